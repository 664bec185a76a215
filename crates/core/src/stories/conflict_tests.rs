use super::*;
use crate::model::{
    Anchor, AnchorKind, Claim, ClaimKind, Document, Entity, EntityType, TimeExpr, TimeType,
};
use crate::stories::align::{align_claims, LexicalSimilarity};

use crate::clean::test_document as doc;

fn date(d: &Document, n: usize, value: &str) -> TimeExpr {
    let s = d.sentences().nth(n).expect("test sentence exists");
    TimeExpr {
        doc: d.id.clone(),
        sentence: s.id.clone(),
        start: s.start,
        end: s.end,
        text: value.into(),
        ty: TimeType::Date,
        value: value.into(),
        anchor: Anchor {
            kind: AnchorKind::Explicit,
            from: None,
            sentences: vec![],
            note: None,
        },
        display: None,
    }
}

fn run(docs: &[&Document], times: &[TimeExpr]) -> Vec<Claim> {
    let refs: Vec<&TimeExpr> = times.iter().collect();
    align_claims("s1", docs, &[], &refs, &LexicalSimilarity)
}

#[test]
fn approximate_numbers_and_detail_are_not_conflicts() {
    let a = doc(
        "a",
        "More than 20 miners were rescued by Dravo Mining teams after the collapse in Ostrel.",
    );
    let b = doc(
        "b",
        "Dravo Mining teams rescued 23 miners after the tunnel collapse near Ostrel on the coast.",
    );
    let claims = run(&[&a, &b], &[]);
    assert!(
        claims.iter().any(|c| c.kind == ClaimKind::Agreed),
        "{claims:#?}"
    );
    assert!(claims.iter().all(|c| c.kind != ClaimKind::Conflict));
}

#[test]
fn exact_numbers_of_the_same_unit_conflict() {
    let a = doc(
        "a",
        "Dravo Mining teams rescued 23 miners after the tunnel collapse in Ostrel.",
    );
    let b = doc(
        "b",
        "Dravo Mining teams rescued 31 miners after the tunnel collapse in Ostrel.",
    );
    let claims = run(&[&a, &b], &[]);
    let c = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .expect("a conflict");
    let k = c.conflict.as_ref().expect("conflict details");
    assert_eq!(k.kind, ConflictKind::Number);
    assert_eq!(k.values.len(), 2);
}

#[test]
fn same_resolved_day_agrees_and_different_days_conflict() {
    let a = doc(
        "a",
        "The Velmora court released the activist Ana Mirel on Tuesday after a hearing.",
    );
    let b = doc(
        "b",
        "The Velmora court released the activist Ana Mirel on March 3 after a hearing.",
    );
    let same = run(
        &[&a, &b],
        &[date(&a, 0, "2021-03-03"), date(&b, 0, "2021-03-03")],
    );
    assert!(same.iter().all(|c| c.kind != ClaimKind::Conflict));
    assert!(same.iter().any(|c| c.kind == ClaimKind::Agreed));
    let diff = run(
        &[&a, &b],
        &[date(&a, 0, "2021-03-02"), date(&b, 0, "2021-03-03")],
    );
    let c = diff
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .expect("a conflict");
    assert_eq!(
        c.conflict.as_ref().map(|k| k.kind),
        Some(ConflictKind::Date)
    );
    // A relative expression ("later") never makes a date conflict, whatever it resolved to.
    let mut later = date(&a, 0, "2021-03-02");
    later.text = "later".into();
    let rel = run(&[&a, &b], &[later, date(&b, 0, "2021-03-03")]);
    assert!(rel.iter().all(|c| c.kind != ClaimKind::Conflict));
    // Partially resolved dates never conflict.
    let part = run(
        &[&a, &b],
        &[date(&a, 0, "2021-03"), date(&b, 0, "2021-03-03")],
    );
    assert!(part.iter().all(|c| c.kind != ClaimKind::Conflict));
}

#[test]
fn explicit_negation_conflicts_but_negative_verbs_do_not() {
    let a = doc(
        "a",
        "The Ostrel council approved the new harbour budget for Dravo Mining on Monday.",
    );
    let b = doc(
        "b",
        "The Ostrel council did not approve the new harbour budget for Dravo Mining on Monday.",
    );
    let c = run(&[&a, &b], &[]);
    let k = c
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .expect("a conflict");
    assert_eq!(
        k.conflict.as_ref().map(|k| k.kind),
        Some(ConflictKind::Negation)
    );
    let r = doc(
        "r",
        "The Ostrel council refused to approve the new harbour budget for Dravo Mining.",
    );
    let claims = run(&[&r, &b], &[]);
    assert!(
        claims.iter().all(|c| c.kind != ClaimKind::Conflict),
        "{claims:#?}"
    );
}

/// A story where "Ivo Brandt" is named in two sentences of ten (a specific actor) and the
/// two spans of his term differ by a year at each end.
#[test]
fn different_spans_of_years_for_one_actor_conflict() {
    let a = doc(
        "a",
        "Mara Lind will become the second woman in the Dovre seat after Ivo Brandt, who served from 1967 to 1979. \
         Mara Lind was sworn in by the council on a cold morning in the capital. \
         Mara Lind thanked her family and her former colleagues at the firm. \
         Mara Lind said she would vote with the governor on the budget. \
         Mara Lind will hold the seat until a special election in the summer.",
    );
    let b = doc(
        "b",
        "Mara Lind becomes the first woman since Ivo Brandt, who held the Dovre seat from 1966 to 1978. \
         Mara Lind is a lawyer who worked for the governor for four years. \
         Mara Lind has never held elected office before this appointment. \
         Mara Lind said the appointment was an honour she had not expected. \
         Mara Lind will not run in the special election, her office said.",
    );
    let claims = run(&[&a, &b], &[]);
    let c = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .unwrap_or_else(|| panic!("a conflict in {claims:#?}"));
    let k = c.conflict.as_ref().expect("conflict details");
    assert_eq!(k.kind, ConflictKind::Date);
    assert_eq!(
        k.values,
        vec!["1967-1979".to_string(), "1966-1978".to_string()]
    );
    // The same span agrees.
    let same = doc("b", &b.text.replace("1966 to 1978", "1967 to 1979"));
    let claims = run(&[&a, &same], &[]);
    assert!(
        claims.iter().all(|c| c.kind != ClaimKind::Conflict),
        "{claims:#?}"
    );
}

#[test]
fn precise_amounts_one_digit_apart_conflict() {
    let a = doc(
        "a",
        "Records show the couple spent $4,120.50 on a cruise and $7,341.20 at the Harlow Lodge in Maine, along with many other purchases charged to the fund.",
    );
    let b = doc(
        "b",
        "The filing lists a $7,841.20 stay at the Harlow Lodge among the expenses.",
    );
    let claims = run(&[&a, &b], &[]);
    let c = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .unwrap_or_else(|| panic!("a conflict in {claims:#?}"));
    let k = c.conflict.as_ref().expect("conflict details");
    assert_eq!(k.kind, ConflictKind::Number);
    assert_eq!(
        k.values,
        vec!["$7,341.20".to_string(), "$7,841.20".to_string()]
    );
    // Amounts that differ in more than one digit, or round ones, are different facts.
    for other in ["$7,845.90", "$2,000"] {
        let d = doc("b", &b.text.replace("$7,841.20", other));
        let claims = run(&[&a, &d], &[]);
        assert!(
            claims.iter().all(|c| c.kind != ClaimKind::Conflict),
            "{other}: {claims:#?}"
        );
    }
    // Without a shared context word the amounts are not compared.
    let d = doc(
        "b",
        "The filing lists a $7,841.20 payment to a printing firm in Ohio.",
    );
    let claims = run(&[&a, &d], &[]);
    assert!(
        claims.iter().all(|c| c.kind != ClaimKind::Conflict),
        "{claims:#?}"
    );
}

fn claim(doc: usize, id: &str, text: &str) -> ClaimFeatures {
    let mut f = crate::stories::align::features_of_texts(&[text])
        .pop()
        .expect("one claim");
    f.doc = doc;
    f.sentence_id = id.into();
    f
}

#[test]
fn the_same_fact_apart_from_values_counts_a_date_clash_as_agreement() {
    let v = &pair::model().align.words;
    let mut x = [0.0; pair::N_FEATURES];
    x[0] = 1.0;
    x[feature("stem_cosine").expect("feature")] = 0.5;
    let plain = pair::probability(v, &x);
    assert!((apart_from_values(v, &x) - plain).abs() < 1e-12);
    let mut clash = x;
    clash[pair::DATE_CLASH] = 1.0;
    let agree = {
        let mut y = x;
        y[feature("number_agree").expect("feature")] = 1.0;
        pair::probability(v, &y)
    };
    assert!((apart_from_values(v, &clash) - agree).abs() < 1e-12);
    // A disagreement never lowers the score "apart from the values".
    for i in pair::VALUE_FEATURES {
        let mut y = x;
        y[i] = 1.0;
        assert!(apart_from_values(v, &y) >= pair::probability(v, &y) - 1e-12);
    }
}

#[test]
fn dates_compare_at_the_coarser_precision_and_by_what_they_date() {
    let mut a = claim(
        0,
        "a:0",
        "Both parties will hold their primaries in mid May.",
    );
    let mut b = claim(1, "b:0", "The primary would be held on April 30.");
    a.dates = ["2031-05".to_string()].into();
    b.dates = ["2031-04-30".to_string()].into();
    let c = date_conflict(&a, &b).expect("May against April");
    assert_eq!(c.kind, ConflictKind::Date);
    // "March" against "March 3" agrees.
    b.dates = ["2031-05-03".to_string()].into();
    assert!(date_conflict(&a, &b).is_none());
    // A date of another event of the same kind is not a second account.
    let mut e = claim(
        1,
        "b:1",
        "She will hold the seat until an election in June.",
    );
    e.dates = ["2031-06".to_string()].into();
    assert!(date_conflict(&a, &e).is_none(), "{e:?}");
}

#[test]
fn one_amount_a_side_conflicts_unless_the_other_outlet_states_it() {
    let a = claim(
        0,
        "a:0",
        "The ad for Norvale Action is costing the group $1 million, a spokesman said.",
    );
    let b = claim(
        1,
        "b:0",
        "Norvale Action reserved $500,000 of airtime in Velm and Ostrel.",
    );
    let ctx = StoryContext::new(&[a.clone(), b.clone()], &[]);
    let c = ctx.contradiction(&a, &b, true).expect("a conflict");
    assert_eq!(c.kind, ConflictKind::Number);
    assert_eq!(
        c.values,
        vec!["$1 million".to_string(), "$500,000".to_string()]
    );
    // The other article states the amount elsewhere: two facts of the story.
    let elsewhere = claim(
        1,
        "b:1",
        "Norvale Action raised $1 million last year from donors.",
    );
    let ctx = StoryContext::new(&[a.clone(), b.clone(), elsewhere], &[]);
    assert!(ctx.contradiction(&a, &b, true).is_none());
}

/// A place entity of the story (for the place checks).
fn place(id: &str, name: &str) -> Entity {
    Entity {
        id: id.into(),
        ty: EntityType::Place,
        confidence: 1.0,
        name: name.into(),
        aliases: vec![name.into()],
        roles: vec![],
        mentions: vec![],
        evidence: vec![],
    }
}

#[test]
fn two_towns_for_one_actor_conflict_but_a_country_and_its_city_do_not() {
    let mut a = claim(
        0,
        "a:0",
        "The photo was sent to Ana Mirel, a student in Bellwater.",
    );
    let mut b = claim(
        1,
        "b:0",
        "The photo was sent to a Kestrelby woman, Ana Mirel.",
    );
    for (c, town) in [(&mut a, "p1"), (&mut b, "p2")] {
        c.actors = ["e1".to_string(), town.to_string()].into();
        c.actor_weights = [("e1".to_string(), 0.8), (town.to_string(), 0.8)].into();
    }
    let ents = vec![place("p1", "Bellwater"), place("p2", "Kestrelby")];
    let ctx = StoryContext::new(&[a.clone(), b.clone()], &ents);
    let c = ctx.place_conflict(&a, &b).expect("a place conflict");
    assert_eq!(
        c.values,
        vec!["Bellwater".to_string(), "Kestrelby".to_string()]
    );
    // A country against a city in it is a difference of detail.
    let ents = vec![place("p1", "Italy"), place("p2", "Kestrelby")];
    let ctx = StoryContext::new(&[a.clone(), b.clone()], &ents);
    assert!(ctx.place_conflict(&a, &b).is_none());
    // A town the other outlet also names is another place of the story.
    let mut other = claim(1, "b:1", "Ana Mirel grew up near Bellwater.");
    other.actors = ["p1".to_string()].into();
    let ents = vec![place("p1", "Bellwater"), place("p2", "Kestrelby")];
    let ctx = StoryContext::new(&[a.clone(), b.clone(), other], &ents);
    assert!(ctx.place_conflict(&a, &b).is_none());
}

#[test]
fn two_towns_for_one_unnamed_person_conflict_only_when_both_describe_the_person_alike() {
    let ents = vec![place("p1", "Bellwater"), place("p2", "Kestrelby")];
    let with_town = |mut c: ClaimFeatures, town: &str, named: bool| {
        c.actors = [town.to_string()].into();
        c.actor_weights = [(town.to_string(), 0.8)].into();
        if named {
            c.actors.insert("e1".into());
            c.actor_weights.insert("e1".into(), 0.8);
        }
        c
    };
    let a = with_town(
        claim(
            0,
            "a:0",
            "He did not know Ana Mirel, a student at the college in Bellwater.",
        ),
        "p1",
        true,
    );
    // Named on one side only: the same person noun ("student") says it is one person.
    let b = with_town(
        claim(
            1,
            "b:0",
            "The site said the photo was sent to a college student in Kestrelby.",
        ),
        "p2",
        false,
    );
    let ctx = StoryContext::new(&[a.clone(), b.clone()], &ents);
    let c = ctx.place_conflict(&a, &b).expect("a place conflict");
    assert_eq!(
        c.values,
        vec!["Bellwater".to_string(), "Kestrelby".to_string()]
    );
    // No actor and no person noun in common: two places of a story, not two accounts of one.
    let other = with_town(
        claim(
            1,
            "b:0",
            "The site said the photo was first posted by a group in Kestrelby.",
        ),
        "p2",
        false,
    );
    let ctx = StoryContext::new(&[a.clone(), other.clone()], &ents);
    assert!(ctx.place_conflict(&a, &other).is_none());
}

#[test]
fn two_sentences_grouped_through_a_third_are_compared_too() {
    // c gives no count, so it is the closest match of each of a and b; a and b join the group
    // through c, and their counts still disagree.
    let a = doc(
        "a",
        "Dravo Mining teams rescued 23 miners after the tunnel collapse in Ostrel on the coast.",
    );
    let b = doc(
        "b",
        "Dravo Mining rescue teams saved 31 miners after the tunnel collapse near Ostrel.",
    );
    let c = doc(
        "c",
        "Dravo Mining teams rescued the miners after the tunnel collapse in Ostrel near the coast.",
    );
    let claims = run(&[&a, &b, &c], &[]);
    let conflict = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Conflict)
        .unwrap_or_else(|| panic!("a conflict: {claims:#?}"));
    let k = conflict.conflict.as_ref().expect("conflict details");
    assert_eq!(k.kind, ConflictKind::Number, "{claims:#?}");
}

#[test]
fn a_negation_needs_both_outlets_own_voice_and_no_open_question() {
    let mut a = claim(
        0,
        "a:0",
        "The Ostrel council did not approve the harbour budget for Dravo Mining.",
    );
    let mut b = claim(
        1,
        "b:0",
        "The Ostrel council approved the harbour budget for Dravo Mining.",
    );
    a.status = Some(Status::Reported);
    b.status = Some(Status::Reported);
    let c = contradiction(&a, &b).expect("both in the outlets' own voice");
    assert_eq!(c.kind, ConflictKind::Negation);
    // One source's words against another outlet's: not the outlets disagreeing.
    for other in [Status::Attributed, Status::Opinion, Status::Speculation] {
        a.status = Some(other);
        assert!(contradiction(&a, &b).is_none(), "{other:?}");
    }
    a.status = Some(Status::Reported);
    // An open question asserts nothing.
    let mut q = claim(
        0,
        "a:1",
        "The Ostrel council will say on Monday whether it approved the harbour budget for Dravo Mining.",
    );
    q.status = Some(Status::Reported);
    let mut n = claim(
        1,
        "b:1",
        "The Ostrel council has not approved the harbour budget for Dravo Mining.",
    );
    n.status = Some(Status::Reported);
    assert!(contradiction(&q, &n).is_none());
    assert!(contradiction(&n, &q).is_none());
}

#[test]
fn amounts_an_order_apart_or_one_rounding_the_other_are_not_conflicts() {
    let a = claim(
        0,
        "a:0",
        "Dravo Mining paid $1,179 in wages to each Ostrel miner.",
    );
    let far = claim(
        1,
        "b:0",
        "Dravo Mining owes $6.5 trillion in wages to Ostrel miners.",
    );
    assert!(contradiction(&a, &far).is_none());
    let ctx = StoryContext::new(&[a.clone(), far.clone()], &[]);
    assert!(ctx.amount_conflict(&a, &far).is_none());
    // Within an order of magnitude, the same item told differently still conflicts.
    let near = claim(
        1,
        "b:1",
        "Dravo Mining paid $1,279 in wages to each Ostrel miner.",
    );
    let c = contradiction(&a, &near).expect("two accounts of one amount");
    assert_eq!(c.values, vec!["$1,179".to_string(), "$1,279".to_string()]);
    // A round figure for a precise one is the same amount.
    let round = claim(
        0,
        "a:1",
        "Dravo Mining bought a $43,000 gold watch for Ivo Brandt.",
    );
    let precise = claim(
        1,
        "b:2",
        "Dravo Mining bought a $43,350 gold watch and $9,587.64 of furs for Ivo Brandt.",
    );
    assert!(contradiction(&round, &precise).is_none());
    assert!(contradiction(&precise, &round).is_none());
    // "$1 million" does not round "$500,000".
    let q = |text: &str, value: f64| Quantity {
        value,
        unit: "$".into(),
        approx: false,
        period: None,
        text: text.into(),
        context: BTreeSet::new(),
    };
    assert!(same_amount(
        &q("$43,000", 43_000.0),
        &q("$43,350", 43_350.0)
    ));
    assert!(!same_amount(&q("$1 million", 1e6), &q("$500,000", 5e5)));
    assert!(!same_amount(
        &q("$5,687.75", 5_687.75),
        &q("$5,587.75", 5_587.75)
    ));
}

#[test]
fn a_day_ahead_of_one_article_and_a_day_past_for_the_other_are_two_events() {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut past = claim(
        0,
        "a:0",
        "The Norvale debate on Thursday was a reboot for the party.",
    );
    let mut ahead = claim(
        1,
        "b:0",
        "Voters will watch the Norvale debate on Saturday evening.",
    );
    past.dates = ["2031-10-09".to_string()].into();
    ahead.dates = ["2031-10-11".to_string()].into();
    // Undated articles: nothing says which way each day points.
    assert!(date_conflict(&past, &ahead).is_some());
    past.published = day("2031-10-10");
    ahead.published = day("2031-10-10");
    assert!(date_conflict(&past, &ahead).is_none());
    // Both behind their articles: two accounts of one past day.
    ahead.dates = ["2031-10-08".to_string()].into();
    assert!(date_conflict(&past, &ahead).is_some());
}

#[test]
fn compound_number_words_and_lower_bounds_are_read_as_written() {
    let c = claim(
        0,
        "a:0",
        "Sixty-seven senators backed the Ostrel harbour bill.",
    );
    let values: Vec<f64> = c.numbers.iter().map(|q| q.value).collect();
    assert_eq!(values, vec![67.0], "{:?}", c.numbers);
    for text in [
        "Deficits above $1.3 trillion a year would follow the Norvale budget.",
        "Deficits in excess of $1 trillion a year would follow the Norvale budget.",
    ] {
        let c = claim(0, "a:1", text);
        assert!(c.numbers.iter().all(|q| q.approx), "{:?}", c.numbers);
    }
}

#[test]
fn a_breakdown_or_several_figures_a_side_are_not_conflicts() {
    // Parts of a whole.
    let whole = claim(
        0,
        "a:0",
        "Norvale will donate 500 million doses to Ostrel clinics.",
    );
    let parts = claim(
        1,
        "b:0",
        "Norvale will donate 200 million doses this year and 300 million doses next year to Ostrel clinics.",
    );
    assert!(contradiction(&parts, &whole).is_none());
    assert!(contradiction(&whole, &parts).is_none());
    // Several figures of the unit on both sides: which answers which is unknown.
    let a = claim(
        0,
        "a:1",
        "The Norvale plan joins $2.3 trillion for roads, $1.8 trillion for schools and $1.5 trillion in grants.",
    );
    let b = claim(
        1,
        "b:1",
        "The Norvale plan spends $6 trillion in grants next year and $8.2 trillion by 2031.",
    );
    assert!(contradiction(&a, &b).is_none());
    // The same figure read under another unit word agrees.
    let c = claim(
        0,
        "a:2",
        "Ostrel organisers collected 1,626,042 signatures for Ivo Brandt.",
    );
    let d = claim(
        1,
        "b:2",
        "Ostrel organisers filed 1,626,042 valid signatures for Ivo Brandt, above the 1,495,709 signatures required.",
    );
    assert!(contradiction(&c, &d).is_none());
    let ctx = StoryContext::new(&[c.clone(), d.clone()], &[]);
    assert!(ctx.amount_conflict(&c, &d).is_none());
    assert!(ctx.amount_conflict(&d, &c).is_none());
}

#[test]
fn the_day_of_a_statement_or_a_bare_year_is_not_an_event_date() {
    let mut a = claim(
        0,
        "a:0",
        "Norvale pledged on Friday to rebuild the Ostrel harbour.",
    );
    let mut b = claim(
        1,
        "b:0",
        "Norvale will rebuild the Ostrel harbour, it said on Thursday.",
    );
    a.dates = ["2031-06-13".to_string()].into();
    b.dates = ["2031-06-12".to_string()].into();
    assert!(date_conflict(&a, &b).is_none());
    // The same pair with the event dated on both sides disagrees.
    let mut c = claim(
        1,
        "b:1",
        "Norvale pledged on Thursday to rebuild the Ostrel harbour.",
    );
    c.dates = ["2031-06-12".to_string()].into();
    assert!(date_conflict(&a, &c).is_some());
    // A day against a bare year.
    let mut y = claim(
        1,
        "b:2",
        "Norvale pledged to rebuild the Ostrel harbour in 2030.",
    );
    y.dates = ["2030".to_string()].into();
    assert!(date_conflict(&a, &y).is_none());
}

#[test]
fn what_a_date_dates_is_read_within_its_clause_and_without_names() {
    // Same subject (names say who, not what happened), two events.
    let mut a = claim(
        0,
        "a:0",
        "Ostrel Harbour Council on Friday elected Ana Mirel.",
    );
    let mut b = claim(
        1,
        "b:0",
        "Ostrel Harbour Council on Wednesday removed Ivo Brandt.",
    );
    a.dates = ["2031-05-16".to_string()].into();
    b.dates = ["2031-05-14".to_string()].into();
    assert!(date_conflict(&a, &b).is_none());
    // The clause after a comma dates nothing.
    let mut c = claim(
        0,
        "a:1",
        "Raiders seized the Velm depot late on Sunday and demanded a ransom.",
    );
    let mut d = claim(
        1,
        "b:1",
        "Raiders struck 200 firms Friday, demanding a ransom.",
    );
    c.dates = ["2031-07-06".to_string()].into();
    d.dates = ["2031-07-04".to_string()].into();
    assert!(date_conflict(&c, &d).is_none());
}

#[test]
fn a_noun_negated_by_no_or_a_negated_ing_form_is_no_negation_conflict() {
    let mut a = claim(
        0,
        "a:0",
        "The Ostrel bill passed 364-62, with all no votes from Norvale members.",
    );
    let mut b = claim(
        1,
        "b:0",
        "The Ostrel bill passed 364 to 62; all votes against came from Norvale members.",
    );
    a.status = Some(Status::Reported);
    b.status = Some(Status::Reported);
    assert!(contradiction(&a, &b).is_none());
    assert!(contradiction(&b, &a).is_none());
    let mut c = claim(
        0,
        "a:1",
        "Ana Mirel visited the Ostrel border after criticism for not having visited it.",
    );
    let mut d = claim(
        1,
        "b:1",
        "Ana Mirel visited the Ostrel border on her first trip.",
    );
    c.status = Some(Status::Reported);
    d.status = Some(Status::Reported);
    assert!(contradiction(&c, &d).is_none());
}

#[test]
fn amounts_over_different_spans_are_different_quantities() {
    let year = claim(
        0,
        "a:0",
        "Norvale proposed a $6 trillion budget for the Ostrel grants.",
    );
    let decade = claim(
        1,
        "b:0",
        "Norvale proposed $5 trillion in new Ostrel grants over the next decade.",
    );
    assert_eq!(decade.numbers[0].period, Some("years"));
    assert!(contradiction(&year, &decade).is_none());
    let ctx = StoryContext::new(&[year.clone(), decade.clone()], &[]);
    assert!(ctx.amount_conflict(&year, &decade).is_none());
    let monthly = claim(
        0,
        "a:1",
        "Ostrel miners were paid $1,179 a month by Dravo Mining.",
    );
    assert_eq!(monthly.numbers[0].period, Some("month"));
    // The same span on both sides still conflicts.
    let other = claim(
        1,
        "b:1",
        "Ostrel miners were paid $1,279 a month by Dravo Mining.",
    );
    assert!(contradiction(&monthly, &other).is_some());
    // Changes against different bases.
    let month = claim(
        0,
        "a:2",
        "Ostrel prices rose 0.9 percent from March, the Dravo index showed.",
    );
    let year = claim(
        1,
        "b:2",
        "Ostrel prices rose 3 percent from the same period a year ago, the Dravo index showed.",
    );
    assert_eq!(month.numbers[0].period, Some("change over a month"));
    assert_eq!(year.numbers[0].period, Some("change over a year"));
    assert!(contradiction(&month, &year).is_none());
    let year_too = claim(
        1,
        "b:3",
        "Ostrel prices rose 2 percent year over year, the Dravo index showed.",
    );
    assert_eq!(year_too.numbers[0].period, Some("change over a year"));
    assert!(contradiction(&year, &year_too).is_some());
}

#[test]
fn a_place_standing_for_an_institution_is_no_side_of_a_place_conflict() {
    assert!(names_an_institution(
        "The exercise is the largest, Velmora officials said.",
        "Velmora"
    ));
    assert!(!names_an_institution(
        "A Velmora woman received the photo from Velmora officials.",
        "Velmora"
    ));
    assert!(!names_an_institution("She lives in Velmora.", "Velmora"));
}

#[test]
fn days_more_than_two_apart_are_two_events_not_two_accounts() {
    let mut a = claim(
        0,
        "a:0",
        "Norvale troops struck the Ostrel depot early Friday.",
    );
    let mut b = claim(
        1,
        "b:0",
        "Norvale troops struck the Ostrel depot on Tuesday.",
    );
    a.dates = ["2031-05-16".to_string()].into();
    b.dates = ["2031-05-13".to_string()].into();
    assert!(date_conflict(&a, &b).is_none());
    // A day apart is two accounts of one day.
    b.dates = ["2031-05-15".to_string()].into();
    assert!(date_conflict(&a, &b).is_some());
}

#[test]
fn the_date_of_a_changes_starting_point_is_not_the_events_date() {
    let mut a = claim(0, "a:0", "The Ostrel jobless rate rose to 6.1% in April.");
    let mut b = claim(
        1,
        "b:0",
        "The Ostrel jobless rate rose to 6.1% from 6% in March.",
    );
    a.dates = ["2031-04".to_string()].into();
    b.dates = ["2031-03".to_string()].into();
    assert!(date_conflict(&a, &b).is_none());
    assert!(dates_a_base("Sales fell 0.9% from March."));
    assert!(dates_a_base(
        "Sales rose to $2.1 billion from $1.8 billion in 2030."
    ));
    // "from" that is not a figure's starting point.
    assert!(!dates_a_base("Ana Mirel was freed from jail on Friday."));
    let mut c = claim(1, "b:1", "The Ostrel jobless rate rose to 6.1% in March.");
    c.dates = ["2031-03".to_string()].into();
    assert!(date_conflict(&a, &c).is_some());
}

#[test]
fn a_sentence_cut_off_by_its_source_is_never_a_side_of_a_conflict() {
    let a = claim(
        0,
        "a:0",
        "Norvale unveiled its Ostrel plan, a $1.8 trillion package of grants.",
    );
    let b = claim(
        1,
        "b:0",
        "Norvale officials say the Ostrel plan, with $1 trillion in...",
    );
    let ctx = StoryContext::new(&[a.clone(), b.clone()], &[]);
    assert!(ctx.contradiction(&a, &b, true).is_none());
    assert!(contradiction(&a, &b).is_none());
    // The same sentence, whole, is compared.
    let whole = claim(
        1,
        "b:1",
        "Norvale officials say the Ostrel plan, with $1 trillion in grants, is ready.",
    );
    let ctx = StoryContext::new(&[a.clone(), whole.clone()], &[]);
    assert!(ctx.contradiction(&a, &whole, true).is_some());
}

#[test]
fn a_span_that_places_something_in_time_is_not_a_duration() {
    let lasted = claim(
        0,
        "a:0",
        "The Norvale truce ended 11 days of fighting in Ostrel.",
    );
    let earlier = claim(
        1,
        "b:0",
        "Norvale leaders spoke as the fighting in Ostrel began nine days earlier.",
    );
    let ago = claim(1, "b:1", "The Norvale fighting in Ostrel began 9 days ago.");
    assert_eq!(lasted.numbers[0].period, None);
    assert_eq!(earlier.numbers[0].period, Some("a time before or after"));
    assert_eq!(ago.numbers[0].period, Some("a time before or after"));
    for other in [&earlier, &ago] {
        assert!(contradiction(&lasted, other).is_none());
        let ctx = StoryContext::new(&[lasted.clone(), other.clone()], &[]);
        assert!(ctx.contradiction(&lasted, other, true).is_none());
    }
    // Two durations of the same fighting disagree.
    let nine = claim(
        1,
        "b:2",
        "The Norvale truce ended 9 days of fighting in Ostrel.",
    );
    assert!(contradiction(&lasted, &nine).is_some());
}

#[test]
fn sentences_that_disagree_on_an_amount_are_never_agreed() {
    let pledge = |id: &str, who: &str, n: &str| {
        doc(
            id,
            &format!(
                "Leaders of {who} pledged on Friday to deliver {n} million doses of the vaccine \
                 to poorer countries this summer."
            ),
        )
    };
    // The same figure: the pair model reads them as one fact.
    let (a, b) = (pledge("a", "Varnia", "900"), pledge("b", "Ostrel", "900"));
    let claims = run(&[&a, &b], &[]);
    assert!(
        claims.iter().any(|c| c.kind == ClaimKind::Agreed),
        "{claims:#?}"
    );
    // Figures an order of magnitude apart: two different pledges, not two accounts of one
    // (no conflict), and not an agreement either; shown as related, both figures in view.
    let (a, b) = (pledge("a", "Varnia", "900"), pledge("b", "Ostrel", "40"));
    let claims = run(&[&a, &b], &[]);
    assert!(
        claims
            .iter()
            .all(|c| !matches!(c.kind, ClaimKind::Agreed | ClaimKind::Conflict)),
        "{claims:#?}"
    );
    assert!(
        claims
            .iter()
            .any(|c| c.kind == ClaimKind::Related && c.sentences.len() == 2),
        "{claims:#?}"
    );
}

#[test]
fn a_shared_figure_rounding_or_approximation_is_no_disagreement_on_amounts() {
    let disagree = |x: &str, y: &str| amounts_disagree(&claim(0, "a", x), &claim(1, "b", y));
    assert!(disagree(
        "The alliance pledged to deliver 900 million doses of the vaccine.",
        "The country will donate 300 million doses of the vaccine.",
    ));
    // An approximation near the other figure, or a figure both give.
    assert!(!disagree(
        "More than 200 people were killed in the floods.",
        "The floods killed 212 people, officials said.",
    ));
    assert!(disagree(
        "At least two guards were injured in the attack.",
        "The attack injured at least seven guards.",
    ));
    assert!(!disagree(
        "Organisers collected 812,331 valid signatures, above the 700,100 signatures required.",
        "Organisers collected 812,331 signatures on the petition.",
    ));
    // One side's figures add up to the other's.
    assert!(!disagree(
        "The country will donate 300 million doses this year and 200 million doses next year.",
        "The country will donate 500 million doses.",
    ));
    // One shared figure: the other figures are further details.
    assert!(!disagree(
        "Prices rose 0.4% from March and 3.1% over the past year.",
        "Prices rose 0.4% in April, after a 0.2% rise in March.",
    ));
    // Money and percentages are compared only when they count the same item.
    assert!(!disagree(
        "He bought a $41,000 watch with the donations.",
        "He admitted spending $620,000 of campaign money.",
    ));
    assert!(disagree(
        "The town spent $41,000 on the new bridge.",
        "The town spent $56,000 on the bridge.",
    ));
    // An age is not a duration, in digits or in words.
    assert!(!disagree(
        "The 81-year-old inventor was found dead in his cell.",
        "He faced charges that carry a sentence of up to 20 years.",
    ));
    assert!(!disagree(
        "The inventor, eighty years old, was found dead in his cell.",
        "He faced charges that carry a sentence of twenty years.",
    ));
    assert!(disagree(
        "He faced charges that carry a sentence of twenty years.",
        "He faced charges that carry a sentence of eighty years.",
    ));
}
