//! Stories: near-duplicate detection, grouping of articles about the same event, and claim
//! alignment with a timeline inside each story.
//!
//! - [`dedup`]: MinHash + LSH over word shingles links copies to the earliest version.
//! - [`features`] + [`index`]: TF-IDF terms and names per article (IDF from the batch), and an
//!   incremental [`StoryIndex`] that compares each new article with story centroids found
//!   through an inverted index (sub-quadratic, deterministic, resistant to chaining).
//! - [`align`]: claims lined up across the documents of one story (agreed / only in / conflict).
//! - [`timeline`]: the story's dated events in order.

pub mod align;
pub mod dedup;
pub mod features;
pub mod index;
pub mod lexicon;
pub mod pair;
pub mod timeline;

pub use align::{EmbeddingSimilarity, LexicalSimilarity, SentenceSimilarity};
pub use features::{DocFeatures, DocVector, Idf};
pub use index::{Params, StoryIndex};

use crate::embed::SentenceVectors;
use crate::model::{Claim, Document, DuplicateLink, Entity, Mention, TimeExpr, TimelineEvent};
use features::StemCache;

/// The result of grouping: stories as indices into the input documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grouping {
    /// Each story lists document indices in input order; stories are ordered by first index.
    pub stories: Vec<Vec<usize>>,
    /// (copy index, link to the original).
    pub duplicates: Vec<(usize, DuplicateLink)>,
}

/// Groups documents into stories. Every document lands in exactly one story.
pub fn group(docs: &[Document], mentions: &[Vec<Mention>]) -> Grouping {
    group_with(docs, mentions, Params::default())
}

/// [`group`] with explicit parameters (for tuning and evaluation).
pub fn group_with(docs: &[Document], mentions: &[Vec<Mention>], params: Params) -> Grouping {
    let (feats, sigs) = extract_all(docs, mentions);
    let dups = dedup::find(docs, &sigs);
    drop(sigs);

    // IDF from the batch, each cluster of copies counted once.
    let mut idf = Idf::default();
    for (i, f) in feats.iter().enumerate() {
        if dups.representative[i] == i {
            idf.count(f);
        }
    }

    let mut index = StoryIndex::new(params);
    let mut story_of: Vec<usize> = vec![usize::MAX; docs.len()];
    for i in 0..docs.len() {
        let rep = dups.representative[i];
        story_of[i] = if rep != i && story_of[rep] != usize::MAX {
            // A copy joins its representative's story and does not count twice.
            story_of[rep]
        } else {
            index.add(&DocVector::new(&feats[i], &idf))
        };
    }

    let mut stories: Vec<Vec<usize>> = vec![Vec::new(); index.len()];
    for (i, &s) in story_of.iter().enumerate() {
        if let Some(st) = stories.get_mut(s) {
            st.push(i);
        }
    }
    stories.retain(|s| !s.is_empty());
    // Members are pushed in input order; stories are numbered in order of their first member.
    stories.sort_by_key(|s| s[0]);
    Grouping {
        stories,
        duplicates: dups.links,
    }
}

/// Features and MinHash signatures of all documents, computed on all available cores; the
/// result does not depend on the number of threads (chunks are joined in input order).
fn extract_all(
    docs: &[Document],
    mentions: &[Vec<Mention>],
) -> (Vec<DocFeatures>, Vec<dedup::Signature>) {
    let work = |range: std::ops::Range<usize>| {
        let mut cache = StemCache::default();
        range
            .map(|i| {
                let m = mentions.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let (f, words) = features::extract_with_words(&docs[i], m, &mut cache);
                (f, dedup::signature_of_words(&words))
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let results: Vec<(DocFeatures, dedup::Signature)> = if threads <= 1 || docs.len() < 64 {
        work(0..docs.len())
    } else {
        let chunk = docs.len().div_ceil(threads);
        std::thread::scope(|sc| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let lo = (t * chunk).min(docs.len());
                    let hi = ((t + 1) * chunk).min(docs.len());
                    sc.spawn(move || work(lo..hi))
                })
                .collect();
            let mut all = Vec::with_capacity(docs.len());
            for (t, h) in handles.into_iter().enumerate() {
                match h.join() {
                    Ok(part) => all.extend(part),
                    // A panicking worker is a bug; redo its chunk here rather than lose docs.
                    Err(_) => {
                        let lo = (t * chunk).min(docs.len());
                        let hi = ((t + 1) * chunk).min(docs.len());
                        all.extend(work(lo..hi));
                    }
                }
            }
            all
        })
    };
    results.into_iter().unzip()
}

/// Lines up the claims of one story's documents and builds its timeline. Claim ids are
/// prefixed with the first document's id; [`align_story`] takes the story id instead.
pub fn align(
    docs: &[&Document],
    entities: &[Entity],
    times: &[&TimeExpr],
    vectors: Option<&SentenceVectors>,
) -> (Vec<Claim>, Vec<TimelineEvent>) {
    let prefix = docs.first().map(|d| d.id.as_str()).unwrap_or("story");
    align_story(prefix, docs, entities, times, vectors)
}

/// [`align`] with the story id used in claim ids (`<story>-c<n>`). With sentence vectors
/// (of any sentences; those of other stories are ignored) the pair model adds their cosine;
/// without, claims are aligned on words only.
pub fn align_story(
    story_id: &str,
    docs: &[&Document],
    entities: &[Entity],
    times: &[&TimeExpr],
    vectors: Option<&SentenceVectors>,
) -> (Vec<Claim>, Vec<TimelineEvent>) {
    let claims = match vectors {
        Some(v) => align::align_claims(
            story_id,
            docs,
            entities,
            times,
            &EmbeddingSimilarity::new(v),
        ),
        None => align::align_claims(story_id, docs, entities, times, &LexicalSimilarity),
    };
    let timeline = timeline::build(docs, times);
    (claims, timeline)
}

#[cfg(test)]
mod tests;
