//! Stories: near-duplicate detection, grouping of articles about the same event, and claim
//! alignment with a timeline inside each story.
//!
//! - [`dedup`]: MinHash + LSH over word shingles links copies to the earliest version.
//! - [`features`] + [`index`]: per-article features (headline- and lead-weighted terms, names,
//!   numbers, publication and event days), and an incremental [`StoryIndex`] that places each
//!   new article in the story of one event (or starts one) and each new story in a thread of
//!   one ongoing subject, with rarity weights from the articles seen so far (no batch-wide
//!   statistics, so adding in several runs gives the stories of one run).
//! - [`align`]: claims lined up across the documents of one story (agreed / only in / conflict).
//! - [`conflict`]: the checks that tell a real disagreement between two claims from a
//!   difference of detail.
//! - [`timeline`]: the story's dated events in order.

pub mod align;
mod codec;
pub mod conflict;
pub mod dedup;
pub mod features;
pub mod grouper;
pub mod index;
pub mod lexicon;
pub mod paged;
pub mod pair;
pub mod timeline;
mod version;

pub use align::{EmbeddingSimilarity, LexicalSimilarity, SentenceSimilarity};
pub use features::ArticleFeatures;
pub use grouper::{article_features, Assignment, Grouper, GroupingFeatures};
pub use index::{Params, StoryAssignment, StoryIndex};
pub use paged::{Backing, BackingError, Changes, Counters, GROUPING_VERSION};
pub use version::{
    read_stored_version, story_analysis_version, story_analysis_version_for,
    story_analysis_version_of, StoredVersion, STORY_ANALYSIS_CODE, WORDS_ONLY,
};

use crate::embed::SentenceVectors;
use crate::model::{Claim, Document, DuplicateLink, Entity, Mention, TimeExpr, TimelineEvent};
use features::StemCache;
use std::collections::HashMap;

/// The result of grouping: stories as indices into the input documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grouping {
    /// Each story lists document indices in input order; stories are numbered in order of
    /// creation, which for one pass in input order is the order of their first member.
    pub stories: Vec<Vec<usize>>,
    /// Thread number of each story (same order as `stories`), numbered in order of creation.
    pub threads: Vec<usize>,
    /// (copy index, link to the original).
    pub duplicates: Vec<(usize, DuplicateLink)>,
}

/// Groups documents into stories and threads, tagging their times itself. Every document
/// lands in exactly one story.
pub fn group(docs: &[Document], mentions: &[Vec<Mention>]) -> Grouping {
    let times: Vec<Vec<TimeExpr>> = docs.iter().map(crate::time::tag).collect();
    group_with(docs, mentions, &times, Params::default())
}

/// [`group`] with the documents' time expressions (`time::tag`, one list per document) already
/// computed.
pub fn group_timed(
    docs: &[Document],
    mentions: &[Vec<Mention>],
    times: &[Vec<TimeExpr>],
) -> Grouping {
    group_with(docs, mentions, times, Params::default())
}

/// [`group_timed`] with explicit parameters (for calibration and evaluation): features per
/// document, then one [`StoryIndex::add`] per document in input order.
pub fn group_with(
    docs: &[Document],
    mentions: &[Vec<Mention>],
    times: &[Vec<TimeExpr>],
    params: Params,
) -> Grouping {
    let (feats, sigs) = extract_all(docs, mentions, times);
    group_features(docs, &feats, &sigs, params)
}

/// The grouping loop over precomputed features and MinHash signatures (one per document): one
/// [`Grouper::add`] per document in input order, exactly as a growing collection adds them.
pub fn group_features(
    docs: &[Document],
    feats: &[ArticleFeatures],
    sigs: &[dedup::Signature],
    params: Params,
) -> Grouping {
    let mut grouper = Grouper::new(params);
    let mut placed: Vec<Assignment> = Vec::with_capacity(feats.len());
    for (i, f) in feats.iter().enumerate().take(docs.len()) {
        let g = GroupingFeatures {
            features: f.clone(),
            signature: sigs.get(i).copied().flatten().map(|s| s.to_vec()),
        };
        placed.push(grouper.add(&g));
    }
    let mut stories: Vec<Vec<usize>> = vec![Vec::new(); grouper.stories()];
    let mut threads: Vec<usize> = vec![0; grouper.stories()];
    for (i, a) in placed.iter().enumerate() {
        if let Some(st) = stories.get_mut(a.story) {
            st.push(i);
            threads[a.story] = a.thread;
        }
    }
    // Copy links inside each story, to the earliest-dated version.
    let mut duplicates = Vec::new();
    for members in &stories {
        let refs: Vec<&Document> = members.iter().map(|&i| &docs[i]).collect();
        let pos: HashMap<usize, usize> = members.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        let copy_of: Vec<Option<usize>> = members
            .iter()
            .map(|&i| placed[i].copy_of.and_then(|c| pos.get(&c).copied()))
            .collect();
        for (p, link) in dedup::links_within(&refs, &copy_of) {
            duplicates.push((members[p], link));
        }
    }
    duplicates.sort_by_key(|(i, _)| *i);
    Grouping {
        stories,
        threads,
        duplicates,
    }
}

/// Features and MinHash signatures of all documents, computed on all available cores; the
/// result does not depend on the number of threads (chunks are joined in input order).
pub fn extract_all(
    docs: &[Document],
    mentions: &[Vec<Mention>],
    times: &[Vec<TimeExpr>],
) -> (Vec<ArticleFeatures>, Vec<dedup::Signature>) {
    let work = |range: std::ops::Range<usize>| {
        let mut cache = StemCache::default();
        range
            .map(|i| {
                let m = mentions.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let t = times.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let (f, words) = features::extract_with_words(&docs[i], m, t, &mut cache);
                (f, dedup::signature_of_words(&words))
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let results: Vec<(ArticleFeatures, dedup::Signature)> = if threads <= 1 || docs.len() < 64 {
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
