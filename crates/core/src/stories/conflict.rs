//! Conflicts between claims of different outlets: the checks that tell a real, checkable
//! disagreement (two dates, two amounts, two spans of years, a negation) from a difference of
//! detail. They only read [`ClaimFeatures`]; which pairs are asked (the same fact apart from
//! the values, merely related, any two sentences) is decided by `align::align_claims`.
//!
//! Conflicts are deliberately rare: a wrong conflict costs a reader's trust more than a missed
//! one, so every check needs both a clear contradiction and evidence that the two sides speak
//! of the same thing (a shared actor, event word or context word).

use super::align::{ClaimFeatures, Quantity, SPECIFIC_ACTOR};
use crate::model::{Conflict, ConflictKind, Status};
use crate::text::truncate_chars;
use std::collections::BTreeSet;

/// A contradiction between two claims already judged the same fact apart from their values:
/// two different dates of the same precision (days, months or years; "March" and "March 3"
/// are compatible), exact numbers of the same unit with none in common, or one side negating
/// a predicate the other states without any negation. Both sides must share an actor.
pub fn contradiction(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    // A quote against the outlet's own voice is two kinds of statement, not a disagreement.
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if a.actors.is_disjoint(&b.actors) || quoted(a) || quoted(b) {
        return None;
    }
    let sides = || vec![a.sentence_id.clone(), b.sentence_id.clone()];
    let precision = |d: &BTreeSet<String>| -> Option<usize> {
        let n = d.iter().next()?.len();
        d.iter().all(|x| x.len() == n).then_some(n)
    };
    if let (Some(pa), Some(pb)) = (precision(&a.dates), precision(&b.dates)) {
        let compatible = a.dates.iter().any(|x| {
            b.dates
                .iter()
                .any(|y| x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
        });
        // As many dates on each side (one date, or a from-to range), all near each other: two
        // accounts of one event's date differ by days, months or a year or two, while dates
        // far apart are different events of the same story.
        let near = a.dates.iter().zip(&b.dates).all(|(x, y)| dates_near(x, y));
        // The dates must be those of one kind of event ("apologized on Friday" / "had to
        // apologize Saturday"): a lead sentence dates the latest turn ("resigned Monday"),
        // another outlet's lead an earlier one, and those are two events, not a disagreement.
        let same_event = !a.events.is_disjoint(&b.events);
        if pa == pb && !compatible && a.dates.len() == b.dates.len() && near && same_event {
            return Some(Conflict {
                kind: ConflictKind::Date,
                values: vec![join(&a.dates), join(&b.dates)],
                sentences: sides(),
            });
        }
    }
    if let Some(c) = year_range_conflict(a, b) {
        return Some(c);
    }
    for x in a.numbers.iter().filter(|x| !x.approx) {
        let same_unit: Vec<&Quantity> = b
            .numbers
            .iter()
            .filter(|y| y.unit == x.unit && !y.context.is_disjoint(&x.context))
            .collect();
        if same_unit.is_empty() || same_unit.iter().any(|y| y.approx) {
            continue;
        }
        let a_vals: Vec<f64> = a
            .numbers
            .iter()
            .filter(|q| q.unit == x.unit)
            .map(|q| q.value)
            .collect();
        let agrees = same_unit
            .iter()
            .any(|y| a_vals.iter().any(|v| (v - y.value).abs() < 1e-9));
        if !agrees {
            return Some(Conflict {
                kind: ConflictKind::Number,
                values: vec![x.text.clone(), same_unit[0].text.clone()],
                sentences: sides(),
            });
        }
    }
    for (neg, other, flip) in [(a, b, false), (b, a, true)] {
        if other.negative {
            continue;
        }
        if neg
            .negated
            .iter()
            .any(|p| other.stems.contains_key(p) && neg.stems.contains_key(p))
        {
            let mut values = vec![
                truncate_chars(&neg.text, 120),
                truncate_chars(&other.text, 120),
            ];
            if flip {
                values.reverse();
            }
            return Some(Conflict {
                kind: ConflictKind::Negation,
                values,
                sentences: sides(),
            });
        }
    }
    None
}

/// The same span of years told differently ("served from 1967 to 1979" / "held the seat from
/// 1966 to 1978"): one range a side, both ends within three years, not the same range, and an
/// actor in common that is not the story's main one (whose term it is). A span of years
/// attached to the same person is specific enough to be checked between sentences that are
/// only related, not the same fact as a whole (the span is often a side remark).
pub fn year_range_conflict(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    let ([ra], [rb]) = (a.year_ranges.as_slice(), b.year_ranges.as_slice()) else {
        return None;
    };
    let specific_actor = a
        .actor_weights
        .iter()
        .any(|(k, w)| *w >= SPECIFIC_ACTOR && b.actor_weights.contains_key(k));
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if ra == rb
        || (ra.0 - rb.0).abs() > 3
        || (ra.1 - rb.1).abs() > 3
        || !specific_actor
        || quoted(a)
        || quoted(b)
    {
        return None;
    }
    Some(Conflict {
        kind: ConflictKind::Date,
        values: vec![format!("{}-{}", ra.0, ra.1), format!("{}-{}", rb.0, rb.1)],
        sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
    })
}

/// The same precise amount told with one digit changed ("$5,687.75" / "$5,587.75" for the
/// same item): exact amounts of the same unit, written with at least five digits and as many
/// on each side, that differ in exactly one digit and share a context word. An amount that
/// precise names one item; two different items of a story almost never share all but one of
/// five or more digits, so this is checked between any two sentences of different outlets,
/// not only between sentences already aligned as the same fact (a long sentence listing
/// several expenses rarely scores as the same fact as a sentence naming one of them).
pub fn amount_digit_conflict(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if quoted(a) || quoted(b) {
        return None;
    }
    let digits =
        |q: &Quantity| -> Vec<char> { q.text.chars().filter(char::is_ascii_digit).collect() };
    for x in a.numbers.iter().filter(|x| !x.approx) {
        let dx = digits(x);
        if dx.len() < MIN_PRECISE_DIGITS {
            continue;
        }
        // The other side must not also state this very amount (then they agree on it).
        if b.numbers
            .iter()
            .any(|y| y.unit == x.unit && (y.value - x.value).abs() < 1e-9)
        {
            continue;
        }
        for y in b
            .numbers
            .iter()
            .filter(|y| !y.approx && y.unit == x.unit && !y.context.is_disjoint(&x.context))
        {
            let dy = digits(y);
            let differing = dx.iter().zip(&dy).filter(|(p, q)| p != q).count();
            if dy.len() == dx.len() && differing == 1 {
                return Some(Conflict {
                    kind: ConflictKind::Number,
                    values: vec![x.text.clone(), y.text.clone()],
                    sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
                });
            }
        }
    }
    None
}

/// Digits from which an amount is precise enough to name one item (see
/// [`amount_digit_conflict`]).
const MIN_PRECISE_DIGITS: usize = 5;

/// Two dates of the same precision close enough to be two accounts of one date: within 7
/// days, 3 months or 3 years.
fn dates_near(x: &str, y: &str) -> bool {
    let num = |s: &str, r: std::ops::Range<usize>| s.get(r).and_then(|v| v.parse::<i64>().ok());
    match x.len() {
        10 => {
            let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            matches!((d(x), d(y)), (Some(a), Some(b)) if (a - b).num_days().abs() <= 7)
        }
        7 => match (num(x, 0..4), num(x, 5..7), num(y, 0..4), num(y, 5..7)) {
            (Some(ya), Some(ma), Some(yb), Some(mb)) => {
                ((ya * 12 + ma) - (yb * 12 + mb)).abs() <= 3
            }
            _ => false,
        },
        4 => matches!((num(x, 0..4), num(y, 0..4)), (Some(a), Some(b)) if (a - b).abs() <= 3),
        _ => false,
    }
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
#[path = "conflict_tests.rs"]
mod tests;
