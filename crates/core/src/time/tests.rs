//! Tests of the whole time stage on invented sentences.

use super::*;
use crate::model::{ArticleInput, InputKind, Metadata, TimeType};

fn doc(id: &str, body: &str, published: Option<&str>) -> Document {
    let mut d = crate::clean::clean(ArticleInput {
        id: id.into(),
        source: format!("{id}.txt"),
        kind: InputKind::Text,
        body: body.into(),
        hints: Metadata::default(),
        boilerplate: Vec::new(),
    });
    d.published = published.map(str::to_string);
    d
}

fn tag_one(text: &str, reference: Option<&str>) -> Vec<TimeExpr> {
    let spans = [SentenceSpan {
        id: "s0",
        start: 0,
        end: text.len(),
    }];
    tag_text("d", text, &spans, reference.and_then(parse_date))
}

fn values(text: &str, reference: Option<&str>) -> Vec<(String, String)> {
    tag_one(text, reference)
        .into_iter()
        .map(|t| (t.text, t.value))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn absolute_dates() {
    assert_eq!(
        values("The treaty was signed on February 10, 2025 in Oslo.", None),
        pairs(&[("February 10, 2025", "2025-02-10")])
    );
    assert_eq!(
        values("It opened on 10 February 2025 and closed in 2017.", None),
        pairs(&[("10 February 2025", "2025-02-10"), ("2017", "2017")])
    );
    assert_eq!(
        values("Filed 2025-02-10.", None),
        pairs(&[("2025-02-10", "2025-02-10")])
    );
    assert_eq!(
        values("Filed 2/10/2025.", None),
        pairs(&[("2/10/2025", "2025-02-10")])
    );
    assert_eq!(values("in the 1990s", None), pairs(&[("the 1990s", "199")]));
    assert_eq!(
        values("in May 2009 it fell", None),
        pairs(&[("May 2009", "2009-05")])
    );
}

#[test]
fn relative_dates_from_the_publication_date() {
    let r = Some("2025-02-10"); // a Monday
    assert_eq!(
        values("The factory was closed on January 21.", r),
        pairs(&[("January 21", "2025-01-21")])
    );
    assert_eq!(
        values("Sales fell last year.", r),
        pairs(&[("last year", "2024")])
    );
    assert_eq!(
        values("He arrived yesterday.", r),
        pairs(&[("yesterday", "2025-02-09")])
    );
    assert_eq!(
        values("It was raided on Sunday.", r),
        pairs(&[("Sunday", "2025-02-09")])
    );
    assert_eq!(
        values("They will vote on Sunday.", r),
        pairs(&[("Sunday", "2025-02-16")])
    );
    assert_eq!(
        values("It happened a week ago.", r),
        pairs(&[("a week ago", "2025-02-03")])
    );
    assert_eq!(
        values("Prices rose three years ago.", r),
        pairs(&[("three years ago", "2022")])
    );
    assert_eq!(
        values("Talks resume this week.", r),
        pairs(&[("this week", "2025-W07")])
    );
    assert_eq!(
        values("Profits rose in the third quarter.", r),
        pairs(&[("the third quarter", "2024-Q3")])
    );
    assert_eq!(
        values("The body was found earlier this month.", r),
        pairs(&[("earlier this month", "2025-02")])
    );
    assert_eq!(
        values("He spoke at 3 p.m. today.", r)[0].1,
        "2025-02-10T15:00"
    );
    assert_eq!(
        values("He left Tuesday night.", r),
        pairs(&[("Tuesday night", "2025-02-04TNI")])
    );
}

#[test]
fn durations_sets_and_references() {
    assert_eq!(
        values("He ruled for three years.", None),
        pairs(&[("three years", "P3Y")])
    );
    assert_eq!(
        values("a six months wait", None),
        pairs(&[("six months", "P6M")])
    );
    assert_eq!(
        values("after 48 hours of talks", None),
        pairs(&[("48 hours", "PT48H")])
    );
    assert_eq!(
        values("They meet every week.", None),
        pairs(&[("every week", "P1W")])
    );
    assert_eq!(
        values("It is reviewed annually.", None),
        pairs(&[("annually", "P1Y")])
    );
    assert_eq!(
        values("She is currently abroad.", None),
        pairs(&[("currently", "PRESENT_REF")])
    );
    assert_eq!(
        values("a 12-year sentence", None),
        pairs(&[("12-year", "P12Y")])
    );
}

#[test]
fn previous_expression_anchor() {
    let t = tag_one(
        "The strike began on March 3, 2020 and ended two days later.",
        None,
    );
    assert_eq!(t[1].value, "2020-03-05");
    assert_eq!(t[1].anchor.kind, AnchorKind::PreviousExpression);
}

#[test]
fn undated_relative_values_keep_x() {
    let t = tag_one(
        "The mayor was arrested on Sunday and freed on January 21.",
        None,
    );
    assert_eq!(t[0].value, "XXXX-WXX-7");
    assert_eq!(t[0].anchor.kind, AnchorKind::None);
    assert!(t[0].anchor.note.is_some());
    assert_eq!(t[1].value, "XXXX-01-21");
}

#[test]
fn no_false_alarms_on_lookalikes() {
    assert!(values("She may decide to march on.", None).is_empty());
    assert!(values("After the fall of the regime, the second man spoke.", None).is_empty());
    assert!(values("It costs $2010 and 3,200 people came.", None).is_empty());
    assert!(values("The group NOW said it was the Arab Spring of hope.", None).is_empty());
}

#[test]
fn tag_uses_document_date_and_sentence_ids() {
    let d = doc(
        "a",
        "The governor was detained on Sunday in the capital.",
        Some("2025-02-10"),
    );
    let t = tag(&d);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].value, "2025-02-09");
    assert_eq!(t[0].anchor.kind, AnchorKind::Document);
    assert_eq!(t[0].sentence, "a:0");
    assert_eq!(t[0].ty, TimeType::Date);
}

const DATED: &str = "A court refused to approve the arrest of Colonel Pieter Vandermolen, leading to Vandermolen's release and return to Ostravia on March 4. Officials in Ostravia welcomed the decision.";
const UNDATED: &str = "Colonel Pieter Vandermolen was detained in Brelsk on Sunday after a warrant from the tribunal. On Tuesday, however, he was unexpectedly released by Brelsk judges. Vandermolen then flew back to Ostravia.";

#[test]
fn story_anchor_resolves_undated_weekdays() {
    // 2025-03-04 is a Tuesday.
    let docs = vec![
        doc("dated", DATED, Some("2025-03-20")),
        doc("undated", UNDATED, None),
    ];
    let mut times: Vec<Vec<TimeExpr>> = docs.iter().map(tag).collect();
    assert!(times[1].iter().all(|t| t.anchor.kind == AnchorKind::None));
    anchor_through_stories(&docs, &mut times, &[vec![0, 1]]);
    let get = |w: &str| times[1].iter().find(|t| t.text.contains(w)).cloned();
    let tue = get("Tuesday").expect("Tuesday tagged");
    let sun = get("Sunday").expect("Sunday tagged");
    assert_eq!(tue.value, "2025-03-04");
    assert_eq!(sun.value, "2025-03-02");
    assert_eq!(sun.anchor.kind, AnchorKind::Story);
    assert_eq!(tue.anchor.from.as_deref(), Some("2025-03-04"));
    assert_eq!(
        tue.anchor.sentences,
        vec!["undated:1".to_string(), "dated:0".to_string()]
    );
    assert!(tue
        .anchor
        .note
        .as_deref()
        .is_some_and(|n| n.contains("release")));
}

#[test]
fn story_anchor_needs_a_shared_event_and_agreement() {
    // No dated partner: nothing changes.
    let docs = vec![doc("undated", UNDATED, None)];
    let mut times: Vec<Vec<TimeExpr>> = docs.iter().map(tag).collect();
    let before = times.clone();
    anchor_through_stories(&docs, &mut times, &[vec![0]]);
    assert_eq!(times, before);

    // A dated article about something else: its publication date is never used.
    let other = "Ostravia opened a new stadium on March 4 with a concert.";
    let docs = vec![
        doc("other", other, Some("2025-03-20")),
        doc("undated", UNDATED, None),
    ];
    let mut times: Vec<Vec<TimeExpr>> = docs.iter().map(tag).collect();
    anchor_through_stories(&docs, &mut times, &[vec![0, 1]]);
    assert!(times[1].iter().all(|t| t.anchor.kind == AnchorKind::None));

    // Two dated articles that disagree on the release date: no anchor.
    let dated2 = DATED.replace("March 4", "March 11");
    let docs = vec![
        doc("dated", DATED, Some("2025-03-20")),
        doc("dated2", &dated2, Some("2025-03-20")),
        doc("undated", UNDATED, None),
    ];
    let mut times: Vec<Vec<TimeExpr>> = docs.iter().map(tag).collect();
    anchor_through_stories(&docs, &mut times, &[vec![0, 1, 2]]);
    assert!(times[2].iter().all(|t| t.anchor.kind == AnchorKind::None));
}

#[test]
fn pathological_input_is_bounded() {
    let many = "1, ".repeat(10_000) + "2025";
    let t = tag_one(&many, Some("2025-01-01"));
    assert!(t.len() <= many.len());
    let words = "year ".repeat(5_000);
    let _ = tag_one(&words, None);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_spans_hold(s in "\\PC{0,300}", dated in proptest::bool::ANY) {
            let r = if dated { Some("2024-02-29") } else { None };
            for t in tag_one(&s, r) {
                prop_assert!(t.start < t.end && t.end <= s.len());
                prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                prop_assert_eq!(&s[t.start..t.end], t.text.as_str());
                prop_assert!(well_formed(&t.value), "bad value {:?} for {:?}", t.value, t.text);
            }
        }

        #[test]
        fn time_words_never_panic(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the", "last", "next", "this", "Sunday", "January", "21", "2025", "years",
                    "ago", "later", "a", "-", "3", ":", "p.m.", "UTC", "of", "quarter", "third",
                    "early", "since", "May", "9999", "0", "31", "/", "every", "week", "1990s",
                    "'", "82", "half", "and", "twenty", "five", "days", "the", "same", "day",
                ]),
                0..40,
            ),
            dated in proptest::bool::ANY,
        ) {
            let s = words.join(" ");
            let r = if dated { Some("2000-12-31") } else { None };
            for t in tag_one(&s, r) {
                prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                prop_assert!(well_formed(&t.value), "bad value {:?} for {:?}", t.value, t.text);
            }
        }
    }
}

/// Tags a whole invented article (one sentence per line) against `reference`.
fn article(body: &str, reference: Option<&str>) -> Vec<TimeExpr> {
    let d = doc("n", body, reference);
    tag(&d)
}

fn value_of(times: &[TimeExpr], text: &str) -> String {
    times
        .iter()
        .find(|t| t.text == text)
        .map(|t| t.value.clone())
        .unwrap_or_else(|| format!("<{text} not tagged: {times:?}>"))
}

#[test]
fn narrative_date_moves_with_explicitly_dated_events() {
    // An article of 2013 recounting 2012: the next day and the bare month-day stay in 2012.
    let t = article(
        "On Sept. 14, 2012, the board met in Brelsk. The next day, Sept. 15, it voted to close the plant.",
        Some("2013-11-20"),
    );
    assert_eq!(value_of(&t, "Sept. 14, 2012"), "2012-09-14");
    assert_eq!(value_of(&t, "The next day"), "2012-09-15");
    assert_eq!(value_of(&t, "Sept. 15"), "2012-09-15");
    let sept15 = t.iter().find(|x| x.text == "Sept. 15").expect("tagged");
    assert_eq!(sept15.anchor.kind, AnchorKind::PreviousExpression);
    assert!(sept15
        .anchor
        .note
        .as_deref()
        .is_some_and(|n| n.contains("recounts") && n.contains("past tense")));

    // "In May, she filed": month-only, in the year the passage recounts.
    let t = article(
        "In 2012 the mayor resigned. In May, she filed a lawsuit against the council.",
        Some("2014-01-10"),
    );
    assert_eq!(value_of(&t, "May"), "2012-05");

    // An expression counted from the publication date brings the text back to the present.
    let t = article(
        "In 2012 the mayor resigned. On Tuesday, she filed a lawsuit. In May, she was fined.",
        Some("2014-06-10"),
    );
    assert_eq!(value_of(&t, "Tuesday"), "2014-06-10");
    assert_eq!(value_of(&t, "May"), "2014-05");

    // A future clause is not part of the recounted past.
    let t = article(
        "In 2012 the mayor resigned. She will run again in May.",
        Some("2014-01-10"),
    );
    assert_eq!(value_of(&t, "May"), "2014-05");

    // A point of comparison is no narrative date: "since 1997" does not move it.
    let t = article(
        "The index closed at its lowest level since 1997. It had risen in March.",
        Some("2009-04-04"),
    );
    assert_eq!(value_of(&t, "March"), "2009-03");
}

#[test]
fn that_year_and_that_summer_take_the_last_year() {
    let t = article(
        "In June 2016 the firm opened a plant in Ostravia. On July 22 that year, workers walked out.",
        Some("2018-03-01"),
    );
    assert_eq!(value_of(&t, "June 2016"), "2016-06");
    assert_eq!(value_of(&t, "July 22"), "2016-07-22");
    assert_eq!(value_of(&t, "that year"), "2016");
    let t = article(
        "She graduated in 2014. That summer, she moved to Brelsk.",
        Some("2020-05-05"),
    );
    assert_eq!(value_of(&t, "That summer"), "2014-SU");
}

#[test]
fn day_anaphora_count_from_the_last_full_date() {
    // "since 1983" in between is coarser: "the day" is still Friday.
    let t = article(
        "Stocks rose on Friday, the best run since 1983. The index ended the day up 2 percent.",
        Some("2009-04-04"),
    );
    assert_eq!(value_of(&t, "Friday"), "2009-04-03");
    assert_eq!(value_of(&t, "the day"), "2009-04-03");
    let t = article(
        "The strike began on March 3, 2020. Two days later, the plant closed.",
        Some("2021-01-01"),
    );
    assert_eq!(value_of(&t, "Two days later"), "2020-03-05");
    // A part of the day in context.
    let t = article(
        "Shares fell on Tuesday, then rose in morning trading.",
        Some("2010-03-03"),
    );
    assert_eq!(value_of(&t, "morning"), "2010-03-02TMO");
}

#[test]
fn same_period_a_year_before() {
    let t = article(
        "Car sales fell 12 percent in January compared with the same month a year ago.",
        Some("2025-02-03"),
    );
    assert_eq!(value_of(&t, "January"), "2025-01");
    assert_eq!(value_of(&t, "the same month a year ago"), "2024-01");
    let t = article(
        "Sales rose 40 percent in February compared to the same period last year.",
        Some("2010-03-03"),
    );
    assert_eq!(value_of(&t, "the same period last year"), "2009-02");
    let t = article(
        "The sale must close by June 10. If no price is agreed by that time, the bank pays.",
        Some("2025-05-29"),
    );
    assert_eq!(value_of(&t, "that time"), "2025-06-10");
}

#[test]
fn tense_comes_from_the_governing_verb() {
    // 2025-02-12 is a Wednesday.
    let t = article(
        "The envoy, who landed in Brelsk on Friday, will travel on to Ostravia on Sunday.",
        Some("2025-02-12"),
    );
    assert_eq!(value_of(&t, "Friday"), "2025-02-07");
    assert_eq!(value_of(&t, "Sunday"), "2025-02-16");
    // 2025-02-10 is a Monday.
    let t = article(
        "The senate is expected to vote on Wednesday, followed by the assembly on Thursday.",
        Some("2025-02-10"),
    );
    assert_eq!(value_of(&t, "Wednesday"), "2025-02-12");
    assert_eq!(value_of(&t, "Thursday"), "2025-02-13");
}

#[test]
fn month_only_and_seasons() {
    assert_eq!(
        values("In May, she filed a lawsuit.", Some("2025-08-01")),
        pairs(&[("May", "2025-05")])
    );
    assert_eq!(
        values("In May, she filed a lawsuit.", Some("2025-02-10")),
        pairs(&[("May", "2024-05")])
    );
    assert_eq!(
        values(
            "In the spring, the council voted to close it.",
            Some("2025-02-10")
        ),
        pairs(&[("the spring", "2024-SP")])
    );
    assert_eq!(
        values("The council will vote in the spring.", Some("2025-02-10")),
        pairs(&[("the spring", "2025-SP")])
    );
    assert!(values("She ran in the Summer Olympics.", Some("2025-02-10")).is_empty());
}

#[test]
fn names_are_not_dates() {
    // A programme, an index, a product version.
    assert_eq!(
        values(
            "She told This Week on Sunday that talks had stalled.",
            Some("2025-02-10")
        ),
        pairs(&[("Sunday", "2025-02-09")])
    );
    assert!(values("The Russell 2000 Index fell 3 percent.", Some("2025-02-10")).is_empty());
    assert_eq!(
        values(
            "Ostravia Soft released Zephyr '11 last week.",
            Some("2025-02-10")
        ),
        pairs(&[("last week", "2025-W06")])
    );
    // A day with a name of its own is shown, never dated from the article.
    let t = tag_one("Markets crashed on Black Monday.", Some("2025-02-10"));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].text, "Black Monday");
    assert_eq!(t[0].value, "XXXX-XX-XX");
    assert_eq!(t[0].anchor.kind, AnchorKind::None);
    assert!(t[0].anchor.note.is_some());
    // Title-case headlines keep their dates.
    assert_eq!(
        values("Council To Vote Next Week On Budget", Some("2025-02-10")),
        pairs(&[("Next Week", "2025-W08")])
    );
}

#[test]
fn undated_article_counts_from_its_own_full_date() {
    let t = article(
        "The council met on March 3, 2021 in Brelsk. The parade was postponed today after a storm.",
        None,
    );
    let today = t.iter().find(|x| x.text == "today").expect("today tagged");
    assert_eq!(today.value, "2021-03-03");
    assert_eq!(today.anchor.kind, AnchorKind::PreviousExpression);
    assert!(today
        .anchor
        .note
        .as_deref()
        .is_some_and(|n| n.contains("no publication date")));
}

#[test]
fn vague_references() {
    let r = Some("2025-02-10");
    assert_eq!(
        values("Analysts blame the recent downturn.", r),
        pairs(&[("recent", "PAST_REF")])
    );
    assert!(values("It is the most recent model.", r).is_empty());
    assert_eq!(
        values("Prices later recovered.", r),
        pairs(&[("later", "FUTURE_REF")])
    );
    assert!(values("It arrived later than planned.", r).is_empty());
    let t = tag_one("He spoke at the annual conference.", r);
    assert_eq!((t[0].ty, t[0].value.as_str()), (TimeType::Set, "P1Y"));
    let t = tag_one("It posted an annual loss.", r);
    assert_eq!((t[0].ty, t[0].value.as_str()), (TimeType::Duration, "P1Y"));
}

#[test]
fn every_expression_reads_in_words_and_explains_its_anchor() {
    let t = article(
        "The plant closed on January 21, 2025. It reopened two weeks later, on Tuesday. Talks lasted three years.",
        Some("2025-02-10"),
    );
    for x in &t {
        assert!(x.display.is_some(), "{x:?}");
        assert!(x.anchor.note.is_some(), "{x:?}");
    }
    let jan = t
        .iter()
        .find(|x| x.text == "January 21, 2025")
        .expect("tagged");
    assert_eq!(jan.display.as_deref(), Some("Tue 21 Jan 2025"));
    let dur = t.iter().find(|x| x.text == "three years").expect("tagged");
    assert_eq!(dur.display.as_deref(), Some("3 years"));
}
