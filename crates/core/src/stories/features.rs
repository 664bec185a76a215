//! Per-document grouping features: stemmed content terms, name tokens and the publication day,
//! then TF-IDF vectors with the IDF taken from the batch itself.
//!
//! Term and name ids are 32-bit stable hashes (collisions among a few hundred thousand distinct
//! stems are rare and only add noise to one weight), so vectors are compact and no global
//! vocabulary has to be shared between threads.

use super::lexicon::{hash64, is_content, normalize_into, normalize_word, stem, FastHash};
use crate::model::{Document, Mention};
use crate::text::words;
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// How many of a document's strongest terms (names) its vector keeps: bounds memory and the
/// cost of a comparison; the tail of a long article adds little to what it is about.
pub const TOP_TERMS: usize = 64;
pub const TOP_NAMES: usize = 24;
/// Title words count this many times: headlines name the event.
const TITLE_WEIGHT: u16 = 3;
/// Batch size from which batch IDF is trusted fully.
const FULL_IDF_DOCS: f32 = 20.0;

/// Raw counts of one document, before weighting.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocFeatures {
    /// (term id, count), sorted by id.
    pub terms: Vec<(u32, u16)>,
    /// (name id, count), sorted by id.
    pub names: Vec<(u32, u16)>,
    /// Publication day (days since 0001-01-01), when the date parses.
    pub day: Option<i32>,
}

/// Caches, per lower-case surface form, whether it is a content word and its stem id:
/// stemming and the stop-word test are the costliest steps of feature extraction, and news
/// vocabulary repeats a lot.
#[derive(Default)]
pub struct StemCache {
    map: HashMap<String, Option<u32>, FastHash>,
}

impl StemCache {
    /// Term id of a lower-case content word (stemmed).
    pub fn term_id(&mut self, lower: &str) -> u32 {
        hash64(&stem(lower)) as u32
    }

    /// Term id of a lower-case word, or `None` when it is not a content word.
    pub fn content_id(&mut self, lower: &str) -> Option<u32> {
        if let Some(&id) = self.map.get(lower) {
            return id;
        }
        let id = is_content(lower).then(|| hash64(&stem(lower)) as u32);
        // A crude bound so a cache over a huge stream cannot grow without limit.
        if self.map.len() > 2_000_000 {
            self.map.clear();
        }
        self.map.insert(lower.to_string(), id);
        id
    }
}

/// Name token id: names are compared as lower-case tokens, unstemmed, in their own id space.
pub fn name_id(lower: &str) -> u32 {
    (hash64(lower) >> 32) as u32 ^ 0x9e37_79b9
}

/// Parses the date part of `published` (`YYYY-MM-DD…`) into a day number.
pub fn day_of(published: Option<&str>) -> Option<i32> {
    let p = published?;
    let head = p.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .ok()
        .map(|d| d.num_days_from_ce())
}

/// Extracts the features of one document. Names come from `mentions` when there are any,
/// otherwise from capitalised words that never occur in lower case in the same text.
pub fn extract(doc: &Document, mentions: &[Mention], cache: &mut StemCache) -> DocFeatures {
    extract_with_words(doc, mentions, cache).0
}

/// [`extract`], also returning the stable hashes of the body's normalised words in order (the
/// input of the MinHash signature), so the text is tokenised once.
pub fn extract_with_words(
    doc: &Document,
    mentions: &[Mention],
    cache: &mut StemCache,
) -> (DocFeatures, Vec<u64>) {
    let mut terms: HashMap<u32, u16, FastHash> = HashMap::default();
    let mut names: HashMap<u32, u16, FastHash> = HashMap::default();
    let mut buf = String::new();
    let title = doc.title.as_deref().unwrap_or("");
    for (_, w) in words(title) {
        normalize_into(w, &mut buf);
        if let Some(id) = cache.content_id(&buf) {
            let e = terms.entry(id).or_insert(0);
            *e = e.saturating_add(TITLE_WEIGHT);
        }
    }
    let mut word_hashes = Vec::with_capacity(doc.word_count);
    for (_, w) in words(&doc.text) {
        normalize_into(w, &mut buf);
        word_hashes.push(hash64(&buf));
        if let Some(id) = cache.content_id(&buf) {
            let e = terms.entry(id).or_insert(0);
            *e = e.saturating_add(1);
        }
    }
    if mentions.is_empty() {
        for n in capitalised_names(title, &doc.text) {
            let e = names.entry(name_id(&n)).or_insert(0);
            *e = e.saturating_add(1);
        }
    } else {
        for m in mentions {
            for (_, w) in words(&m.text) {
                normalize_into(w, &mut buf);
                if is_content(&buf) {
                    let e = names.entry(name_id(&buf)).or_insert(0);
                    *e = e.saturating_add(1);
                }
            }
        }
    }
    let mut terms: Vec<(u32, u16)> = terms.into_iter().collect();
    terms.sort_unstable();
    let mut names: Vec<(u32, u16)> = names.into_iter().collect();
    names.sort_unstable();
    (
        DocFeatures {
            terms,
            names,
            day: day_of(doc.published.as_deref()),
        },
        word_hashes,
    )
}

/// Capitalised content words that never appear in lower case in the text (so sentence-initial
/// "Critics" is dropped when "critics" occurs elsewhere), lower-cased. Fallback when the
/// entity stage has produced no mentions.
pub fn capitalised_names(title: &str, text: &str) -> Vec<String> {
    let mut lower_seen: HashSet<String> = HashSet::new();
    for (_, w) in words(text) {
        if w.chars().next().is_some_and(char::is_lowercase) {
            lower_seen.insert(normalize_word(w));
        }
    }
    let mut out = Vec::new();
    for src in [title, text] {
        for (_, w) in words(src) {
            if !w.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let lower = normalize_word(w);
            if is_content(&lower) && !lower_seen.contains(&lower) {
                out.push(lower);
            }
        }
    }
    out
}

/// Document frequencies over a batch, turned into IDF weights.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    docs: u32,
    df: HashMap<u32, u32>,
    name_df: HashMap<u32, u32>,
}

impl Idf {
    /// Counts one document (call once per distinct text: copies should count once).
    pub fn count(&mut self, f: &DocFeatures) {
        self.docs += 1;
        for (t, _) in &f.terms {
            *self.df.entry(*t).or_insert(0) += 1;
        }
        for (n, _) in &f.names {
            *self.name_df.entry(*n).or_insert(0) += 1;
        }
    }

    fn weight(&self, df: u32) -> f32 {
        // Smoothed IDF: ln((N + 1) / (df + 1)) + 1 stays positive in a batch of two. In a small
        // batch document frequencies say little (in a batch of two, every shared term looks
        // common and every other term rare), so the IDF part is damped until the batch has
        // `FULL_IDF_DOCS` documents: a pair of articles is then compared by term frequencies.
        let idf = ((self.docs as f32 + 1.0) / (df as f32 + 1.0)).ln();
        let trust = (self.docs as f32 / FULL_IDF_DOCS).min(1.0);
        1.0 + idf * trust
    }

    pub fn term(&self, t: u32) -> f32 {
        self.weight(self.df.get(&t).copied().unwrap_or(0))
    }

    pub fn name(&self, n: u32) -> f32 {
        self.weight(self.name_df.get(&n).copied().unwrap_or(0))
    }

    /// Number of documents counted.
    pub fn docs(&self) -> u32 {
        self.docs
    }
}

/// A weighted, L2-normalised sparse vector: (id, weight) sorted by descending weight, ties by id.
pub type Sparse = Vec<(u32, f32)>;

/// What the story index compares: a document's strongest terms and names, and its day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocVector {
    pub terms: Sparse,
    pub names: Sparse,
    pub day: Option<i32>,
}

impl DocVector {
    pub fn new(f: &DocFeatures, idf: &Idf) -> Self {
        DocVector {
            terms: top_normalized(&f.terms, |t| idf.term(t), TOP_TERMS),
            names: top_normalized(&f.names, |n| idf.name(n), TOP_NAMES),
            day: f.day,
        }
    }
}

fn top_normalized(counts: &[(u32, u16)], idf: impl Fn(u32) -> f32, k: usize) -> Sparse {
    let mut v: Sparse = counts
        .iter()
        .map(|&(id, c)| (id, (1.0 + f32::from(c.max(1)).ln()) * idf(id)))
        .collect();
    v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(k);
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            x.1 /= norm;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleInput, InputKind, Metadata};

    fn doc(text: &str) -> Document {
        crate::clean::clean(ArticleInput {
            id: "d".into(),
            source: "d".into(),
            kind: InputKind::Json,
            body: text.into(),
            hints: Metadata::default(),
            boilerplate: vec![],
        })
    }

    #[test]
    fn fallback_names_skip_sentence_initial_common_words() {
        let n = capitalised_names(
            "",
            "Farmers in Velmora protested. Many farmers left. The mayor of Velmora spoke.",
        );
        assert!(n.contains(&"velmora".to_string()));
        assert!(!n.contains(&"farmers".to_string()));
    }

    #[test]
    fn stems_merge_inflections() {
        let mut c = StemCache::default();
        let f = extract(
            &doc("The volcano erupted. Volcanoes erupting again."),
            &[],
            &mut c,
        );
        assert_eq!(c.term_id("erupted"), c.term_id("erupting"));
        assert!(f.terms.iter().any(|&(_, n)| n == 2));
    }

    #[test]
    fn vectors_are_normalised() {
        let mut c = StemCache::default();
        let f = extract(
            &doc("Harbor workers strike over wages in Port Elna."),
            &[],
            &mut c,
        );
        let mut idf = Idf::default();
        idf.count(&f);
        let v = DocVector::new(&f, &idf);
        let n: f32 = v.terms.iter().map(|x| x.1 * x.1).sum();
        assert!((n - 1.0).abs() < 1e-4);
    }

    #[test]
    fn day_parses_dates_only() {
        assert!(day_of(Some("2020-03-04")).is_some());
        assert!(day_of(Some("2020-03-04T10:00:00Z")).is_some());
        assert_eq!(day_of(Some("soon")), None);
        assert_eq!(day_of(None), None);
    }
}
