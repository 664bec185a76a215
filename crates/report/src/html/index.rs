//! Lookup tables over a report, built once per render: documents, sentences, entities and time
//! expressions by id, plus a short display label per document. Maps are only used for lookups;
//! output order always follows the report's own vectors (determinism).

use super::links::{Fragments, Links};
use parallax_core::{Claim, Document, Entity, Report, Sentence, TimeExpr};
use std::collections::{BTreeSet, HashMap};

pub(crate) struct Index<'a> {
    pub report: &'a Report,
    /// Where links point (fragments of one page, or a server's URLs).
    pub links: &'a dyn Links,
    docs: HashMap<&'a str, &'a Document>,
    /// (doc id, sentence id) -> sentence.
    sentences: HashMap<(&'a str, &'a str), &'a Sentence>,
    /// sentence id -> (doc, sentence), first occurrence wins (evidence only carries sentence ids).
    by_sentence_id: HashMap<&'a str, (&'a Document, &'a Sentence)>,
    entities: HashMap<&'a str, &'a Entity>,
    /// doc id -> time expressions, sorted by start offset.
    times: HashMap<&'a str, Vec<&'a TimeExpr>>,
    labels: HashMap<&'a str, String>,
    /// doc id -> index of the story that contains it (first one).
    story_of: HashMap<&'a str, usize>,
    /// (doc id, sentence id) -> the claims the sentence takes part in, with their story index,
    /// in report order.
    claims_of: HashMap<(&'a str, &'a str), Vec<(usize, &'a Claim)>>,
}

impl<'a> Index<'a> {
    /// An index whose links are fragments of one self-contained page.
    pub fn new(report: &'a Report) -> Self {
        Index::with_links(report, &Fragments)
    }

    pub fn with_links(report: &'a Report, links: &'a dyn Links) -> Self {
        let mut docs = HashMap::new();
        let mut sentences = HashMap::new();
        let mut by_sentence_id = HashMap::new();
        for d in &report.documents {
            docs.entry(d.id.as_str()).or_insert(d);
            for s in d.sentences() {
                sentences.entry((d.id.as_str(), s.id.as_str())).or_insert(s);
                by_sentence_id.entry(s.id.as_str()).or_insert((d, s));
            }
        }
        let mut entities = HashMap::new();
        for e in &report.entities {
            entities.entry(e.id.as_str()).or_insert(e);
        }
        let mut times: HashMap<&str, Vec<&TimeExpr>> = HashMap::new();
        for t in &report.times {
            times.entry(t.doc.as_str()).or_default().push(t);
        }
        for v in times.values_mut() {
            v.sort_by_key(|t| (t.start, std::cmp::Reverse(t.end)));
        }
        let mut story_of = HashMap::new();
        let mut claims_of: HashMap<(&str, &str), Vec<(usize, &Claim)>> = HashMap::new();
        for (n, s) in report.stories.iter().enumerate() {
            for d in &s.documents {
                story_of.entry(d.as_str()).or_insert(n);
            }
            for c in &s.claims {
                for cs in &c.sentences {
                    let v = claims_of
                        .entry((cs.doc.as_str(), cs.sentence.as_str()))
                        .or_default();
                    if !v.iter().any(|(m, x)| *m == n && std::ptr::eq(*x, c)) {
                        v.push((n, c));
                    }
                }
            }
        }
        Index {
            report,
            links,
            docs,
            sentences,
            by_sentence_id,
            entities,
            times,
            labels: doc_labels(report),
            story_of,
            claims_of,
        }
    }

    pub fn doc(&self, id: &str) -> Option<&'a Document> {
        self.docs.get(id).copied()
    }

    pub fn sentence(&self, doc: &str, id: &str) -> Option<&'a Sentence> {
        self.sentences.get(&(doc, id)).copied()
    }

    pub fn sentence_by_id(&self, id: &str) -> Option<(&'a Document, &'a Sentence)> {
        self.by_sentence_id.get(id).copied()
    }

    pub fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.entities.get(id).copied()
    }

    pub fn times(&self, doc: &str) -> &[&'a TimeExpr] {
        self.times.get(doc).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn claims_of<'s>(&'s self, doc: &'s str, sentence: &'s str) -> &'s [(usize, &'a Claim)] {
        self.claims_of
            .get(&(doc, sentence))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn story_of(&self, doc: &str) -> Option<usize> {
        self.story_of.get(doc).copied()
    }

    /// The short name of a document in column heads and chips: its outlet, or "Unknown
    /// outlet", with the id added when two documents share the label.
    pub fn label(&self, doc: &str) -> String {
        self.labels
            .get(doc)
            .cloned()
            .unwrap_or_else(|| doc.to_string())
    }

    /// True when the document names its outlet (the label is then its name).
    pub fn has_outlet(&self, doc: &str) -> bool {
        self.doc(doc).and_then(outlet_key).is_some()
    }

    /// Number of distinct outlets, compared case-insensitively (documents without one count
    /// one each: they may come from different outlets).
    pub fn outlet_count(&self) -> usize {
        self.report
            .documents
            .iter()
            .map(|d| outlet_key(d).unwrap_or_else(|| format!("\u{0}{}", d.id)))
            .collect::<BTreeSet<_>>()
            .len()
    }
}

fn outlet_key(d: &Document) -> Option<String> {
    crate::outlets::key(d.outlet.as_deref()?)
}

/// Labels: the outlet (one spelling per case-folded name), "Unknown outlet" when there is
/// none; the document id is added only to tell apart two documents with the same label.
fn doc_labels(report: &Report) -> HashMap<&str, String> {
    let outlets = crate::outlets::Outlets::new(report);
    let base: Vec<String> = report
        .documents
        .iter()
        .map(|d| outlets.of(d).unwrap_or("Unknown outlet").to_string())
        .collect();
    let mut per_label: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *per_label.entry(b.as_str()).or_default() += 1;
    }
    report
        .documents
        .iter()
        .zip(&base)
        .map(|(d, b)| {
            let label = if per_label.get(b.as_str()).copied().unwrap_or(0) > 1 {
                format!("{b} ({})", d.id)
            } else {
                b.clone()
            };
            (d.id.as_str(), label)
        })
        .collect()
}
