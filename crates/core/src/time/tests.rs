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
