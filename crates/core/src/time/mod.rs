//! Time: TIMEX3-style expressions, normalised against the document date, and anchored
//! through the story when the document has none.
//!
//! Layout: [`tokens`] splits a sentence, [`grammar`] recognises expressions as [`sem::Sem`]
//! meanings, [`tense`] finds the tense around each, [`resolve`] writes the TIMEX3 value from a
//! reference date, and [`story`] infers the reference date of an undated article from a dated
//! article of the same story. Only sentences that contain a trigger word (a digit, or a word of
//! `data/time/lexicon.txt`) are tokenized and parsed, which keeps the stage cheap.

mod display;
mod grammar;
mod lexicon;
mod resolve;
mod sem;
mod story;
mod tense;
mod tokens;

use crate::model::{Anchor, AnchorKind, Document, TimeExpr};
use chrono::{Datelike, NaiveDate};
use lexicon::{lexicon, Tense, GRAMMAR_TRIGGERS};
use resolve::{resolve, Basis, Ctx};
use sem::Sem;
use std::collections::HashSet;
use std::sync::OnceLock;

pub use display::display;
pub use resolve::well_formed;
pub use story::{anchor_story, anchor_through_stories};

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

/// A date mentioned in the text, remembered for the expressions after it.
#[derive(Debug, Clone)]
struct Mark {
    date: NaiveDate,
    /// 3 day, 2 month, 1 year.
    precision: u8,
    text: String,
    sentence: String,
}

impl Mark {
    fn value(&self) -> String {
        match self.precision {
            3 => self.date.format("%Y-%m-%d").to_string(),
            2 => self.date.format("%Y-%m").to_string(),
            _ => self.date.format("%Y").to_string(),
        }
    }
}

/// What the text has said about time so far: the last date at each precision, and the
/// narrative date (the last explicitly dated event, while the text recounts it).
#[derive(Debug, Default)]
struct Memory {
    /// `last[p]`: the last date mentioned with precision `p` or finer (index 1..=3).
    last: [Option<Mark>; 4],
    /// The last date of any precision.
    any: Option<Mark>,
    /// The last explicitly dated event, until an expression counted from the reference date
    /// ("on Tuesday", "last week", "now") brings the text back to the present.
    narrative: Option<Mark>,
    /// The last fully specified (day) date of the narrative: stands in for the reference
    /// date of an article without one.
    narrative_day: Option<Mark>,
}

/// Words before a date that make it the date of an event being recounted ("In 2012, ...",
/// "on Sept. 14, 2012"), as opposed to a point of comparison ("the lowest since 1997").
const NARRATIVE_PREPS: &[&str] = &["in", "on", "during", "by", "at", "that", "then"];

/// Words that make a date the start or end of a span, or a point of comparison ("since its
/// launch in 2003", "the highest since 1997"): not the time the text recounts.
const SPAN_WORDS: &[&str] = &["since", "until", "till", "than", "from", "before", "after"];

/// Does the expression at tokens `start..` date an event of the narrative?
fn dates_an_event(toks: &[tokens::Tok<'_>], start: usize) -> bool {
    let in_span = (start.saturating_sub(4)..start).any(|k| {
        toks.get(k)
            .is_some_and(|t| SPAN_WORDS.contains(&t.low.as_str()))
    });
    match start.checked_sub(1).and_then(|p| toks.get(p)) {
        None => true,
        Some(p) => {
            !in_span
                && (NARRATIVE_PREPS.contains(&p.low.as_str())
                    || matches!(p.low.as_str(), "," | "(" | "—" | "–" | "\"" | "“"))
        }
    }
}

/// Token span and meaning of one match, for the tense of its neighbours.
fn spans_of(matches: &[grammar::Match]) -> Vec<(usize, usize)> {
    matches.iter().map(|m| (m.start, m.end)).collect()
}

/// Does the value of `sem` come from the last date mentioned (at any precision)?
fn uses_prev_any(sem: &Sem) -> bool {
    match sem {
        Sem::SameAs { .. } => true,
        Sem::Cal {
            y: sem::YearRef::Previous,
            ..
        }
        | Sem::Season {
            y: sem::YearRef::Previous,
            ..
        } => true,
        Sem::PartOfDay { day, .. } => uses_prev_any(day),
        _ => false,
    }
}

/// The precision an anaphor needs of the date it counts from.
fn needed_precision(sem: &Sem) -> u8 {
    match sem {
        Sem::Anaphoric { unit, .. } => resolve::precision_of(*unit),
        Sem::PartOfDay { day, .. } | Sem::Clock { day: Some(day), .. } => needed_precision(day),
        _ => 3,
    }
}

/// Can the year of `sem` come from the narrative date (a month, season or quarter without a
/// year)?
fn takes_narrative_year(sem: &Sem) -> bool {
    use sem::YearRef::{Implicit, Previous};
    match sem {
        Sem::Cal { y, .. }
        | Sem::Season { y, .. }
        | Sem::Quarter { y, .. }
        | Sem::Half { y, .. } => matches!(y, Implicit | Previous),
        Sem::PartOfDay { day, .. } => takes_narrative_year(day),
        _ => false,
    }
}

pub(crate) fn tag_detailed(
    doc_id: &str,
    text: &str,
    sentences: &[SentenceSpan<'_>],
    reference: Option<NaiveDate>,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut mem = Memory::default();
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
        let taken = spans_of(&matches);
        let mut sentence_day: Option<Mark> = None;
        for m in matches {
            let (Some(first), Some(last)) = (toks.get(m.start), toks.get(m.end.saturating_sub(1)))
            else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            let tense = tense::tense_at(&toks, m.start, m.end, &taken);
            let need = needed_precision(&m.sem);
            let usable_prev = mem.last[usize::from(need)].clone();
            // The narrative year applies to a past-tense clause, when the text recounts an
            // earlier year than the reference (or the article has no date at all).
            let narrative = mem
                .narrative
                .clone()
                .filter(|_| tense == Some(Tense::Past) && takes_narrative_year(&m.sem))
                .filter(|n| reference.is_none_or(|r| n.date.year() < r.year()));
            // Without a reference date, the last full date written before stands in for it.
            let text_date = match reference {
                Some(_) => None,
                None => mem.narrative_day.clone(),
            };
            let ctx = Ctx {
                reference: reference.or(text_date.as_ref().map(|t| t.date)),
                tense,
                prev: usable_prev.as_ref().map(|p| p.date),
                prev_any: mem.any.as_ref().map(|p| (p.date, p.precision)),
                narrative: narrative.as_ref().map(|n| n.date),
                sentence_day: sentence_day.as_ref().map(|d| d.date),
            };
            let mut r = resolve(&m.sem, &ctx);
            if text_date.is_some() && r.basis == Basis::Reference {
                r.basis = Basis::TextDate;
            }
            let prev_mark = if uses_prev_any(&m.sem) {
                mem.any.as_ref()
            } else if matches!(m.sem, Sem::Clock { day: None, .. }) {
                sentence_day.as_ref()
            } else {
                usable_prev.as_ref()
            };
            let anchor = make_anchor(
                r.basis,
                explicit_note(r.ty, &r.value),
                reference,
                tense,
                prev_mark,
                narrative.as_ref().or(text_date.as_ref()),
            );
            let expr_text = text[start..end].to_string();
            // What this expression tells the expressions after it.
            // "now", "recently": back to the present. ("later" stays in the narrative.)
            if matches!(m.sem, Sem::Ref("PRESENT_REF" | "PAST_REF")) {
                mem.narrative = None;
                mem.narrative_day = None;
            } else if r.ty != crate::model::TimeType::Duration
                && r.ty != crate::model::TimeType::Set
            {
                if let Some((d, precision)) = date_prefix(&r.value) {
                    let mark = Mark {
                        date: d,
                        precision,
                        text: expr_text.clone(),
                        sentence: s.id.to_string(),
                    };
                    if precision == 3 {
                        sentence_day = Some(mark.clone());
                    }
                    for slot in mem.last.iter_mut().take(usize::from(precision) + 1).skip(1) {
                        *slot = Some(mark.clone());
                    }
                    mem.any = Some(mark.clone());
                    match r.basis {
                        Basis::Reference => {
                            mem.narrative = None;
                            mem.narrative_day = None;
                        }
                        Basis::Explicit | Basis::Previous | Basis::Narrative | Basis::TextDate
                            if dates_an_event(&toks, m.start) =>
                        {
                            if precision == 3 {
                                mem.narrative_day = Some(mark.clone());
                            }
                            // Only an event told in the past moves the narrative.
                            if tense == Some(Tense::Past) {
                                mem.narrative = Some(mark);
                            }
                        }
                        _ => {}
                    }
                }
            }
            out.push(Found {
                expr: TimeExpr {
                    doc: doc_id.to_string(),
                    sentence: s.id.to_string(),
                    start,
                    end,
                    text: expr_text,
                    ty: r.ty,
                    display: display(&r.value, r.ty),
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

/// Why an expression needs no anchor, in words.
fn explicit_note(ty: crate::model::TimeType, value: &str) -> &'static str {
    use crate::model::TimeType;
    match ty {
        TimeType::Duration => "a length of time: needs no anchor",
        TimeType::Set => "a recurring time: needs no anchor",
        _ if value.ends_with("_REF") => "a vague reference to a time: needs no anchor",
        _ => "written out in full: needs no anchor",
    }
}

fn make_anchor(
    basis: Basis,
    explicit: &str,
    reference: Option<NaiveDate>,
    tense: Option<Tense>,
    prev: Option<&Mark>,
    narrative: Option<&Mark>,
) -> Anchor {
    let none = |note: &str| Anchor {
        kind: AnchorKind::None,
        from: None,
        sentences: Vec::new(),
        note: Some(note.to_string()),
    };
    match basis {
        Basis::Explicit => Anchor {
            kind: AnchorKind::Explicit,
            from: None,
            sentences: Vec::new(),
            note: Some(explicit.into()),
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
            Some(p) => {
                let ds = p.value();
                Anchor {
                    kind: AnchorKind::PreviousExpression,
                    note: Some(format!(
                        "counted from \"{}\" ({ds}) mentioned before",
                        p.text
                    )),
                    from: Some(ds),
                    sentences: vec![p.sentence.clone()],
                }
            }
            None => none("no earlier date to count from"),
        },
        Basis::Narrative => match narrative {
            Some(n) => {
                let ds = n.value();
                Anchor {
                    kind: AnchorKind::PreviousExpression,
                    note: Some(format!(
                        "year of \"{}\" ({ds}), the last date written out before it: the \
                         passage recounts that time ({})",
                        n.text,
                        tense_word(tense)
                    )),
                    from: Some(ds),
                    sentences: vec![n.sentence.clone()],
                }
            }
            None => none("no earlier date to count from"),
        },
        Basis::TextDate => match narrative {
            Some(n) => {
                let ds = n.value();
                Anchor {
                    kind: AnchorKind::PreviousExpression,
                    note: Some(format!(
                        "the article has no publication date: counted from \"{}\" ({ds}), the \
                         last full date written before it ({})",
                        n.text,
                        tense_word(tense)
                    )),
                    from: Some(ds),
                    sentences: vec![n.sentence.clone()],
                }
            }
            None => none("no earlier date to count from"),
        },
        Basis::Named => none("a day with a name of its own, not a date counted from the article"),
        Basis::Missing => none(
            "relative expression, but the article has no publication date and no other \
             article of its story fixes it",
        ),
    }
}

#[cfg(test)]
mod tests;
