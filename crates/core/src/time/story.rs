//! Anchoring undated articles through a dated article of the same story.
//!
//! An undated report says "he was released on Tuesday"; a dated report of the same story says
//! "his release on January 21". When the two sentences share an event word (same synonym group
//! of `data/events.txt`) and an actor, the undated report's Tuesday is January 21,
//! which fixes its reference date, and every relative expression of the undated report is
//! re-resolved from that date. Publication dates of other articles are never used as a
//! reference: only dates of events both articles report. When the candidate pairings disagree
//! on the reference date, nothing is anchored.

use super::lexicon::data_lines;
use super::resolve::infer_reference;
use super::{parse_date, tag_document};
use crate::model::{AnchorKind, Document, Sentence, TimeExpr};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static EVENT_DATA: &str = include_str!("../../data/events.txt");

/// Stem → names of the event groups it belongs to.
fn event_groups() -> &'static HashMap<String, Vec<&'static str>> {
    static MAP: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<String, Vec<&'static str>> = HashMap::new();
        for line in data_lines(EVENT_DATA) {
            let Some((name, words)) = line.split_once(':') else {
                continue;
            };
            // `*` marks institution words (court, tribunal): not events to anchor on.
            if name.starts_with('*') {
                continue;
            }
            let name = name.trim();
            for w in words.split_whitespace() {
                let e = map.entry(stem(w)).or_default();
                if !e.contains(&name) {
                    e.push(name);
                }
            }
        }
        map
    })
}

/// A light suffix stripper: enough to make "release", "released", "releases" and "releasing"
/// meet, applied the same way to the lexicon and to the text.
pub(crate) fn stem(w: &str) -> String {
    let mut w = crate::text::fold(w);
    if let Some(x) = w.strip_suffix("'s") {
        w = x.to_string();
    }
    let n = w.chars().count();
    for (suf, min) in [("ing", 6), ("ed", 5), ("es", 5), ("s", 4)] {
        if n >= min && w.ends_with(suf) && !(suf == "s" && w.ends_with("ss")) {
            w.truncate(w.len() - suf.len());
            break;
        }
    }
    if w.chars().count() >= 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// Event groups named in a sentence.
fn events_of(text: &str) -> HashSet<&'static str> {
    let map = event_groups();
    crate::text::words(text)
        .filter_map(|(_, w)| map.get(&stem(w)))
        .flatten()
        .copied()
        .collect()
}

/// Capitalised words inside a sentence (not its first word), as a stand-in for actors when
/// the entity stage has filled nothing.
fn names_of(text: &str) -> HashSet<String> {
    crate::text::words(text)
        .skip(1)
        .filter(|(_, w)| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 3
                && !super::lexicon::lexicon()
                    .words
                    .contains_key(crate::text::fold(w).as_str())
        })
        .map(|(_, w)| {
            let f = crate::text::fold(w);
            f.strip_suffix("'s").map(str::to_string).unwrap_or(f)
        })
        .collect()
}

/// The `k` most frequent items, ties broken by the item for determinism.
fn top<T: Ord + Clone + std::hash::Hash + Eq>(
    items: impl Iterator<Item = T>,
    k: usize,
) -> HashSet<T> {
    let mut counts: HashMap<T, usize> = HashMap::new();
    for x in items {
        *counts.entry(x).or_default() += 1;
    }
    let mut v: Vec<(T, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(k).map(|x| x.0).collect()
}

/// Do the two sentences (of two documents) speak about the same actors?
fn shared_actors(du: &Document, su: &Sentence, dd: &Document, sd: &Sentence) -> bool {
    if !su.entities.is_empty() && !sd.entities.is_empty() {
        return su.entities.iter().any(|e| sd.entities.contains(e));
    }
    let main = |d: &Document| top(d.sentences().flat_map(|s| s.entities.iter().cloned()), 5);
    let (mu, md) = (main(du), main(dd));
    if !mu.is_empty() && !md.is_empty() {
        return !mu.is_disjoint(&md);
    }
    if !names_of(&su.text).is_disjoint(&names_of(&sd.text)) {
        return true;
    }
    let names = |d: &Document| top(d.sentences().flat_map(|s| names_of(&s.text)), 5);
    !names(du).is_disjoint(&names(dd))
}

struct Candidate {
    reference: NaiveDate,
    expr_text: String,
    date: NaiveDate,
    event: &'static str,
    undated_sentence: String,
    dated_doc: String,
    dated_sentence: String,
}

/// Re-anchors the relative expressions of undated documents through a dated document of the
/// same story that reports the same event. `times[i]` belongs to `docs[i]`.
pub fn anchor_through_stories(
    docs: &[Document],
    times: &mut [Vec<TimeExpr>],
    stories: &[Vec<usize>],
) {
    for members in stories {
        let story_docs: Vec<&Document> = members.iter().filter_map(|&i| docs.get(i)).collect();
        let mut story_times: Vec<Vec<TimeExpr>> = members
            .iter()
            .filter(|&&i| i < docs.len())
            .map(|&i| times.get(i).cloned().unwrap_or_default())
            .collect();
        anchor_story(&story_docs, &mut story_times);
        let kept = members.iter().filter(|&&i| i < docs.len());
        for (&i, new) in kept.zip(story_times) {
            if let Some(slot) = times.get_mut(i) {
                *slot = new;
            }
        }
    }
}

/// [`anchor_through_stories`] for the documents of one story: `times[i]` belongs to
/// `docs[i]`; only the times of undated documents change.
pub fn anchor_story(docs: &[&Document], times: &mut [Vec<TimeExpr>]) {
    let is_dated = |d: &Document| d.published.as_deref().and_then(parse_date).is_some();
    let dated: Vec<usize> = (0..docs.len()).filter(|&i| is_dated(docs[i])).collect();
    if dated.is_empty() {
        return;
    }
    for u in (0..docs.len()).filter(|&i| !is_dated(docs[i])) {
        if let Some(new) = anchor_one(docs, times, u, &dated) {
            if let Some(slot) = times.get_mut(u) {
                *slot = new;
            }
        }
    }
}

fn sentence<'d>(doc: &'d Document, id: &str) -> Option<&'d Sentence> {
    doc.sentences().find(|s| s.id == id)
}

fn anchor_one(
    docs: &[&Document],
    times: &[Vec<TimeExpr>],
    u: usize,
    dated: &[usize],
) -> Option<Vec<TimeExpr>> {
    let du = docs.get(u)?;
    let found = tag_document(du, None);
    let mut cands = Vec::new();
    for f in found
        .iter()
        .filter(|f| f.expr.anchor.kind == AnchorKind::None)
    {
        let Some(su) = sentence(du, &f.expr.sentence) else {
            continue;
        };
        let ev_u = events_of(&su.text);
        if ev_u.is_empty() {
            continue;
        }
        for &j in dated {
            let (Some(dd), Some(tj)) = (docs.get(j), times.get(j)) else {
                continue;
            };
            for t in tj {
                if !matches!(
                    t.anchor.kind,
                    AnchorKind::Document | AnchorKind::Explicit | AnchorKind::PreviousExpression
                ) || t.value.len() != 10
                {
                    continue;
                }
                let Some(date) = parse_date(&t.value) else {
                    continue;
                };
                let Some(sd) = sentence(dd, &t.sentence) else {
                    continue;
                };
                let ev_d = events_of(&sd.text);
                let Some(event) = ev_u.iter().filter(|e| ev_d.contains(*e)).min().copied() else {
                    continue;
                };
                if !shared_actors(du, su, dd, sd) {
                    continue;
                }
                if let Some(reference) = infer_reference(&f.sem, f.tense, date) {
                    cands.push(Candidate {
                        reference,
                        expr_text: f.expr.text.clone(),
                        date,
                        event,
                        undated_sentence: su.id.clone(),
                        dated_doc: dd.id.clone(),
                        dated_sentence: sd.id.clone(),
                    });
                }
            }
        }
    }
    let first = cands.first()?;
    if cands.iter().any(|c| c.reference != first.reference) {
        return None; // the pairings disagree: no anchor can be justified
    }
    let r = first.reference;
    let rs = r.format("%Y-%m-%d").to_string();
    let why = format!(
        "{} = {}: {} reported by {} ({})",
        first.expr_text,
        first.date.format("%Y-%m-%d"),
        first.event,
        first.dated_doc,
        first.dated_sentence
    );
    let out = tag_document(du, Some(r))
        .into_iter()
        .map(|f| {
            let mut e = f.expr;
            if e.anchor.kind == AnchorKind::Document {
                e.anchor.kind = AnchorKind::Story;
                e.anchor.from = Some(rs.clone());
                e.anchor.sentences =
                    vec![first.undated_sentence.clone(), first.dated_sentence.clone()];
                e.anchor.note = Some(
                    if e.text == first.expr_text && e.sentence == first.undated_sentence {
                        why.clone()
                    } else {
                        format!("counted from {rs}, the article's inferred date ({why})")
                    },
                );
            }
            e
        })
        .collect();
    Some(out)
}
