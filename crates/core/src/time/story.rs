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

/// Per-document facts the actor test needs, computed once per document (not once per pair).
#[derive(Default)]
struct DocTops {
    /// The five most frequent entity ids of the document.
    main: Option<HashSet<String>>,
    /// The five most frequent capitalised names of the document.
    names: Option<HashSet<String>>,
}

/// Caches for one story: document tops, each sentence's event groups and names.
#[derive(Default)]
struct Caches<'d> {
    tops: HashMap<usize, DocTops>,
    events: HashMap<(usize, &'d str), HashSet<&'static str>>,
    names: HashMap<(usize, &'d str), HashSet<String>>,
}

impl<'d> Caches<'d> {
    fn events(&mut self, doc: usize, s: &'d Sentence) -> &HashSet<&'static str> {
        self.events
            .entry((doc, s.id.as_str()))
            .or_insert_with(|| events_of(&s.text))
    }

    fn names(&mut self, doc: usize, s: &'d Sentence) -> &HashSet<String> {
        self.names
            .entry((doc, s.id.as_str()))
            .or_insert_with(|| names_of(&s.text))
    }

    fn main(&mut self, doc: usize, d: &Document) -> &HashSet<String> {
        self.tops
            .entry(doc)
            .or_default()
            .main
            .get_or_insert_with(|| top(d.sentences().flat_map(|s| s.entities.iter().cloned()), 5))
    }

    fn top_names(&mut self, doc: usize, d: &'d Document) -> HashSet<String> {
        if let Some(n) = self.tops.get(&doc).and_then(|t| t.names.as_ref()) {
            return n.clone();
        }
        let all: Vec<String> = d
            .sentences()
            .flat_map(|s| self.names(doc, s).iter().cloned().collect::<Vec<_>>())
            .collect();
        let n = top(all.into_iter(), 5);
        self.tops.entry(doc).or_default().names = Some(n.clone());
        n
    }
}

/// Do the two sentences (of documents `u` and `d`) speak about the same actors?
fn shared_actors<'d>(
    c: &mut Caches<'d>,
    (u, du, su): (usize, &'d Document, &'d Sentence),
    (d, dd, sd): (usize, &'d Document, &'d Sentence),
) -> bool {
    if !su.entities.is_empty() && !sd.entities.is_empty() {
        return su.entities.iter().any(|e| sd.entities.contains(e));
    }
    let mu = c.main(u, du).clone();
    let md = c.main(d, dd);
    if !mu.is_empty() && !md.is_empty() {
        return !mu.is_disjoint(md);
    }
    let nu = c.names(u, su).clone();
    if !nu.is_disjoint(c.names(d, sd)) {
        return true;
    }
    !c.top_names(u, du).is_disjoint(&c.top_names(d, dd))
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

/// Pairings of an undated expression with a dated one examined per undated article at most:
/// past it the article is left unanchored (the safe answer), so a story whose articles report
/// the same events thousands of times costs bounded time.
const MAX_PAIRINGS: usize = 50_000;

/// A dated expression of the story that may fix an undated article's reference date.
struct Dated<'d> {
    /// Position in the story's dated documents, and in that document's expressions: the order
    /// pairings are tried in.
    order: (usize, usize),
    doc: usize,
    date: NaiveDate,
    sentence: &'d Sentence,
}

/// The dated expressions of a story, indexed by the event groups of their sentences.
fn index_dated<'d>(
    docs: &[&'d Document],
    times: &[Vec<TimeExpr>],
    dated: &[usize],
    caches: &mut Caches<'d>,
) -> HashMap<&'static str, Vec<Dated<'d>>> {
    let mut by_event: HashMap<&'static str, Vec<Dated<'d>>> = HashMap::new();
    for (pos, &j) in dated.iter().enumerate() {
        let (Some(dd), Some(tj)) = (docs.get(j).copied(), times.get(j)) else {
            continue;
        };
        let by_id: HashMap<&str, &Sentence> = dd.sentences().map(|s| (s.id.as_str(), s)).collect();
        for (k, t) in tj.iter().enumerate() {
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
            let Some(&sd) = by_id.get(t.sentence.as_str()) else {
                continue;
            };
            for &e in caches.events(j, sd).iter() {
                by_event.entry(e).or_default().push(Dated {
                    order: (pos, k),
                    doc: j,
                    date,
                    sentence: sd,
                });
            }
        }
    }
    by_event
}

/// Re-anchors the relative expressions of undated documents through a dated document of the
/// same story that reports the same event. `times[i]` belongs to `docs[i]`.
pub fn anchor_through_stories(
    docs: &[Document],
    times: &mut [Vec<TimeExpr>],
    stories: &[Vec<usize>],
) {
    for members in stories {
        let kept: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| i < docs.len())
            .collect();
        let story_docs: Vec<&Document> = kept.iter().map(|&i| &docs[i]).collect();
        let mut story_times: Vec<Vec<TimeExpr>> = kept
            .iter()
            .map(|&i| times.get(i).cloned().unwrap_or_default())
            .collect();
        anchor_story(&story_docs, &mut story_times);
        for (&i, new) in kept.iter().zip(story_times) {
            if let Some(slot) = times.get_mut(i) {
                *slot = new;
            }
        }
    }
}

/// [`anchor_through_stories`] for the documents of one story: `times[i]` belongs to
/// `docs[i]`; only the times of undated documents change. Dated expressions are indexed by
/// event, so the cost grows with the pairings that share an event, capped per article.
pub fn anchor_story(docs: &[&Document], times: &mut [Vec<TimeExpr>]) {
    let is_dated = |d: &Document| d.published.as_deref().and_then(parse_date).is_some();
    let dated: Vec<usize> = (0..docs.len()).filter(|&i| is_dated(docs[i])).collect();
    let undated: Vec<usize> = (0..docs.len()).filter(|&i| !is_dated(docs[i])).collect();
    if undated.is_empty() || dated.is_empty() {
        return;
    }
    let mut caches = Caches::default();
    let index = index_dated(docs, times, &dated, &mut caches);
    let mut found = Vec::new();
    for &u in &undated {
        found.push((u, anchor_one(docs, u, &index, &mut caches)));
    }
    for (u, new) in found {
        if let (Some(new), Some(slot)) = (new, times.get_mut(u)) {
            *slot = new;
        }
    }
}

fn anchor_one<'d>(
    docs: &[&'d Document],
    u: usize,
    index: &HashMap<&'static str, Vec<Dated<'d>>>,
    caches: &mut Caches<'d>,
) -> Option<Vec<TimeExpr>> {
    let du = docs.get(u).copied()?;
    let by_id: HashMap<&str, &Sentence> = du.sentences().map(|s| (s.id.as_str(), s)).collect();
    let found = tag_document(du, None);
    let mut first: Option<Candidate> = None;
    let mut pairings = 0usize;
    for f in found
        .iter()
        .filter(|f| f.expr.anchor.kind == AnchorKind::None)
    {
        let Some(&su) = by_id.get(f.expr.sentence.as_str()) else {
            continue;
        };
        let ev_u = caches.events(u, su).clone();
        if ev_u.is_empty() {
            continue;
        }
        // The dated expressions sharing an event with this one, in story order.
        let mut pairs: Vec<&Dated> = ev_u.iter().filter_map(|e| index.get(e)).flatten().collect();
        pairs.sort_by_key(|p| p.order);
        pairs.dedup_by_key(|p| p.order);
        for p in pairs {
            pairings += 1;
            if pairings > MAX_PAIRINGS {
                return None;
            }
            let Some(reference) = infer_reference(&f.sem, f.tense, p.date) else {
                continue;
            };
            let ev_d = caches.events(p.doc, p.sentence);
            let Some(event) = ev_u.iter().filter(|e| ev_d.contains(*e)).min().copied() else {
                continue;
            };
            let dd = docs.get(p.doc).copied()?;
            if !shared_actors(caches, (u, du, su), (p.doc, dd, p.sentence)) {
                continue;
            }
            match &first {
                // The pairings disagree: no anchor can be justified.
                Some(c) if c.reference != reference => return None,
                Some(_) => {}
                None => {
                    first = Some(Candidate {
                        reference,
                        expr_text: f.expr.text.clone(),
                        date: p.date,
                        event,
                        undated_sentence: su.id.clone(),
                        dated_doc: dd.id.clone(),
                        dated_sentence: p.sentence.id.clone(),
                    })
                }
            }
        }
    }
    let first = first?;
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
