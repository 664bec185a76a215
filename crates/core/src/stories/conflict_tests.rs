use super::*;
use crate::model::{
    Anchor, AnchorKind, ArticleInput, Claim, ClaimKind, Document, InputKind, Metadata, TimeExpr,
    TimeType,
};
use crate::stories::align::{align_claims, LexicalSimilarity};

fn doc(id: &str, text: &str) -> Document {
    crate::clean::clean(ArticleInput {
        id: id.into(),
        source: id.into(),
        kind: InputKind::Json,
        body: text.into(),
        hints: Metadata::default(),
        boilerplate: vec![],
    })
}

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
