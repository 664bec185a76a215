//! Time: TIMEX3-style expressions, normalised against the document date, and anchored
//! through the story when the document has none.
//!
//! Layout: [`tokens`] splits a sentence, [`grammar`] recognises expressions as [`sem::Sem`]
//! meanings, [`tense`] finds the tense around each, [`resolve`] writes the TIMEX3 value from a
//! reference date, and [`story`] infers the reference date of an undated article from a dated
//! article of the same story. Only sentences that contain a trigger word (a digit, or a word of
//! `data/time/lexicon.txt`) are tokenized and parsed, which keeps the stage cheap.

mod grammar;
mod lexicon;
mod resolve;
mod sem;
mod story;
mod tense;
mod tokens;

use crate::model::{Anchor, AnchorKind, Document, TimeExpr};
use chrono::NaiveDate;
use lexicon::{lexicon, Tense, GRAMMAR_TRIGGERS};
use resolve::{resolve, Basis, Ctx};
use sem::Sem;
use std::collections::HashSet;
use std::sync::OnceLock;

pub use resolve::well_formed;
pub use story::anchor_through_stories;

/// A sentence to tag: its id and byte span in the text.
#[derive(Debug, Clone, Copy)]
pub struct SentenceSpan<'a> {
    pub id: &'a str,
    pub start: usize,
    pub end: usize,
}

/// One tagged expression with what the story step needs to re-resolve it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub expr: TimeExpr,
    pub sem: Sem,
    pub tense: Option<Tense>,
}

/// Finds and normalises the time expressions of one document, anchored on its publication
/// date when it has one (otherwise relative values keep X's and `anchor.kind` is `none`).
pub fn tag(doc: &Document) -> Vec<TimeExpr> {
    let reference = doc.published.as_deref().and_then(parse_date);
    tag_document(doc, reference)
        .into_iter()
        .map(|f| f.expr)
        .collect()
}

/// Tags `doc` against an explicit reference date (`None`: relative values stay unresolved).
pub(crate) fn tag_document(doc: &Document, reference: Option<NaiveDate>) -> Vec<Found> {
    let spans: Vec<SentenceSpan<'_>> = doc
        .sentences()
        .map(|s| SentenceSpan {
            id: &s.id,
            start: s.start,
            end: s.end,
        })
        .collect();
    tag_detailed(&doc.id, &doc.text, &spans, reference)
}

/// Lower-level entry point (used by the evaluation): tags the given sentences of `text`
/// against an explicit reference date, the date relative expressions are counted from.
pub fn tag_text(
    doc_id: &str,
    text: &str,
    sentences: &[SentenceSpan<'_>],
    reference: Option<NaiveDate>,
) -> Vec<TimeExpr> {
    tag_detailed(doc_id, text, sentences, reference)
        .into_iter()
        .map(|f| f.expr)
        .collect()
}

/// Reads the date part of an ISO date or timestamp (`2025-02-10`, `2025-02-10T08:00:00Z`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let head = s.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

fn triggers() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        // Number words and ordinals only matter next to a unit word, which is itself a trigger.
        lexicon()
            .words
            .iter()
            .filter(|(_, w)| !matches!(w, lexicon::Word::Number(_) | lexicon::Word::Ordinal(_)))
            .map(|(k, _)| *k)
            .chain(GRAMMAR_TRIGGERS.iter().copied())
            .collect()
    })
}

/// Cheap scan: does the span contain a digit or a trigger word? ASCII only, no allocation.
fn has_trigger(text: &str) -> bool {
    let set = triggers();
    let b = text.as_bytes();
    let mut i = 0;
    let mut buf = [0u8; 16];
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            return true;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let len = i - start;
            if len <= buf.len() {
                for (k, &x) in b[start..i].iter().enumerate() {
                    buf[k] = x.to_ascii_lowercase();
                }
                if let Ok(w) = std::str::from_utf8(&buf[..len]) {
                    if set.contains(w) {
                        return true;
                    }
                }
            }
            continue;
        }
        i += 1;
    }
    false
}

pub(crate) fn tag_detailed(
    doc_id: &str,
    text: &str,
    sentences: &[SentenceSpan<'_>],
    reference: Option<NaiveDate>,
) -> Vec<Found> {
    let mut out = Vec::new();
    // The last date mentioned: (date, text, sentence id, precision: 3 day, 2 month, 1 year).
    let mut prev: Option<(NaiveDate, String, String, u8)> = None;
    for s in sentences {
        if crate::budget::spent() {
            break;
        }
        let Some(slice) = text.get(s.start..s.end) else {
            continue;
        };
        if !has_trigger(slice) {
            continue;
        }
        let toks = tokens::tokenize(text, s.start, s.end);
        let matches = grammar::Grammar::new(&toks).all();
        let mut sentence_day: Option<NaiveDate> = None;
        for m in matches {
            let (Some(first), Some(last)) = (toks.get(m.start), toks.get(m.end.saturating_sub(1)))
            else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            let tense = tense::tense_at(&toks, m.start, m.end);
            // An anaphor finer than the last date's precision cannot count from it.
            let need: u8 = match &m.sem {
                Sem::Anaphoric { unit, .. } => match unit {
                    lexicon::Unit::Year | lexicon::Unit::Decade | lexicon::Unit::Century => 1,
                    lexicon::Unit::Month | lexicon::Unit::Quarter => 2,
                    _ => 3,
                },
                _ => 3,
            };
            let usable_prev = prev.as_ref().filter(|p| p.3 >= need);
            let ctx = Ctx {
                reference,
                tense,
                prev: usable_prev.map(|p| p.0),
                sentence_day,
            };
            let r = resolve(&m.sem, &ctx);
            let anchor = make_anchor(r.basis, reference, tense, usable_prev);
            if matches!(
                r.basis,
                Basis::Explicit | Basis::Reference | Basis::Previous
            ) && r.ty != crate::model::TimeType::Duration
            {
                if let Some((d, precision)) = date_prefix(&r.value) {
                    if precision == 3 {
                        sentence_day = Some(d);
                    }
                    prev = Some((d, text[start..end].to_string(), s.id.to_string(), precision));
                }
            }
            out.push(Found {
                expr: TimeExpr {
                    doc: doc_id.to_string(),
                    sentence: s.id.to_string(),
                    start,
                    end,
                    text: text[start..end].to_string(),
                    ty: r.ty,
                    value: r.value,
                    anchor,
                },
                sem: m.sem,
                tense,
            });
        }
    }
    out
}

/// The date a value starts with, and its precision (3 day, 2 month, 1 year).
fn date_prefix(v: &str) -> Option<(NaiveDate, u8)> {
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if !digits(0..4) {
        return None;
    }
    let y: i32 = v.get(..4)?.parse().ok()?;
    if b.get(4) == Some(&b'-') && digits(5..7) {
        let m: u32 = v.get(5..7)?.parse().ok()?;
        if b.get(7) == Some(&b'-') && digits(8..10) {
            let d: u32 = v.get(8..10)?.parse().ok()?;
            return NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, 3));
        }
        return NaiveDate::from_ymd_opt(y, m, 1).map(|x| (x, 2));
    }
    // "2009", "2009-Q4", "2009-SP": a year.
    if b.len() == 4 || b.get(4) == Some(&b'-') {
        return NaiveDate::from_ymd_opt(y, 1, 1).map(|x| (x, 1));
    }
    None
}

fn tense_word(t: Option<Tense>) -> &'static str {
    match t {
        Some(Tense::Future) => "future tense",
        Some(Tense::Past) => "past tense",
        _ => "no tense marker, read as past",
    }
}

fn make_anchor(
    basis: Basis,
    reference: Option<NaiveDate>,
    tense: Option<Tense>,
    prev: Option<&(NaiveDate, String, String, u8)>,
) -> Anchor {
    match basis {
        Basis::Explicit => Anchor {
            kind: AnchorKind::Explicit,
            from: None,
            sentences: Vec::new(),
            note: None,
        },
        Basis::Reference => {
            let r = reference.map(|r| r.format("%Y-%m-%d").to_string());
            Anchor {
                kind: AnchorKind::Document,
                note: r.as_ref().map(|r| {
                    format!(
                        "counted from the publication date {r} ({})",
                        tense_word(tense)
                    )
                }),
                from: r,
                sentences: Vec::new(),
            }
        }
        Basis::Previous => match prev {
            Some((d, t, sid, precision)) => {
                let ds = match precision {
                    3 => d.format("%Y-%m-%d").to_string(),
                    2 => d.format("%Y-%m").to_string(),
                    _ => d.format("%Y").to_string(),
                };
                Anchor {
                    kind: AnchorKind::PreviousExpression,
                    note: Some(format!("counted from \"{t}\" ({ds}) mentioned before")),
                    from: Some(ds),
                    sentences: vec![sid.clone()],
                }
            }
            None => Anchor {
                kind: AnchorKind::None,
                from: None,
                sentences: Vec::new(),
                note: Some("no earlier date to count from".into()),
            },
        },
        Basis::Missing => Anchor {
            kind: AnchorKind::None,
            from: None,
            sentences: Vec::new(),
            note: Some(
                "relative expression, but the article has no publication date and no other \
                 article of its story fixes it"
                    .into(),
            ),
        },
    }
}

#[cfg(test)]
mod tests;
