//! Incremental grouping: articles arrive one at a time and each joins a story or starts one.
//!
//! [`Grouper`] holds everything grouping remembers between articles: document frequencies of
//! the articles seen so far (the IDF weights), the [`StoryIndex`] of story centroids, and an
//! LSH table of MinHash signatures for near-duplicates. Its result depends only on the order
//! articles arrive in, never on articles still to come, so a collection built in two halves
//! groups exactly like one batch of everything in the same order.

use super::dedup::{self, Signature, BINS};
use super::features::{self, ArticleFeatures, StemCache};
use super::index::{Params, StoryIndex};
use crate::model::{Document, Mention, TimeExpr};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What grouping compares of one article; computed once per article (phase one) and stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupingFeatures {
    /// Weighted terms, names and numbers, publication and event days.
    #[serde(flatten)]
    pub features: ArticleFeatures,
    /// One-permutation MinHash of the body's word 5-shingles; `None` for a text without words.
    pub signature: Option<Vec<u64>>,
}

/// Grouping features of one document, from its mentions and time expressions.
pub fn article_features(
    doc: &Document,
    mentions: &[Mention],
    times: &[TimeExpr],
) -> GroupingFeatures {
    let mut cache = StemCache::default();
    let (features, words) = features::extract_with_words(doc, mentions, times, &mut cache);
    GroupingFeatures {
        features,
        signature: dedup::signature_of_words(&words).map(|s| s.to_vec()),
    }
}

/// Where an added article went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// Story number: stories are numbered in order of creation and never renumbered.
    pub story: usize,
    /// Thread number (the ongoing subject), likewise in order of creation.
    pub thread: usize,
    /// True when this article started the story.
    pub new_story: bool,
    /// Arrival number of the first article of its near-duplicate cluster, when it is a copy.
    pub copy_of: Option<usize>,
}

/// Incremental grouping state (see the module comment).
#[derive(Debug, Default)]
pub struct Grouper {
    index: StoryIndex,
    /// (band, band hash) -> arrival number of the first article in that bucket.
    buckets: HashMap<(u8, u64), u32>,
    /// Signature per arrival number (`None`: no words, or a copy, which is never compared).
    signatures: Vec<Signature>,
    /// Story number per arrival number.
    story_of: Vec<u32>,
}

impl Grouper {
    pub fn new(params: Params) -> Self {
        Grouper {
            index: StoryIndex::new(params),
            ..Grouper::default()
        }
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.story_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.story_of.is_empty()
    }

    /// Number of stories so far.
    pub fn stories(&self) -> usize {
        self.index.len()
    }

    /// Adds the next article. A near-copy of an earlier article joins that article's story
    /// and counts in no statistics (a wire story printed ten times counts once); anything else
    /// is placed by the story index.
    pub fn add(&mut self, f: &GroupingFeatures) -> Assignment {
        let n = self.story_of.len();
        let sig: Signature = f
            .signature
            .as_deref()
            .and_then(|s| <[u64; BINS]>::try_from(s).ok());
        if let Some(first) = self.find_copy(n, sig.as_ref()) {
            let story = self.story_of[first] as usize;
            if let Some(a) = self.index.add_copy(story) {
                self.story_of.push(a.story as u32);
                self.signatures.push(None);
                return Assignment {
                    story: a.story,
                    thread: a.thread,
                    new_story: false,
                    copy_of: Some(first),
                };
            }
        }
        let a = self.index.add(&f.features);
        self.story_of.push(a.story as u32);
        self.signatures.push(sig);
        Assignment {
            story: a.story,
            thread: a.thread,
            new_story: a.new_story,
            copy_of: None,
        }
    }

    /// The earlier article `sig` nearly copies, registering `n`'s bands when it copies none.
    /// Each band bucket remembers only its first article, so k copies cost k checks.
    fn find_copy(&mut self, n: usize, sig: Option<&[u64; BINS]>) -> Option<usize> {
        let sig = sig?;
        let keys = dedup::band_keys(sig);
        let mut checked: Vec<u32> = Vec::new();
        for &(band, key) in &keys {
            let Some(&first) = self.buckets.get(&(band, key)) else {
                continue;
            };
            if checked.contains(&first) {
                continue;
            }
            checked.push(first);
            if let Some(Some(other)) = self.signatures.get(first as usize) {
                if dedup::estimate(sig, other) >= dedup::THRESHOLD {
                    return Some(first as usize);
                }
            }
        }
        for (band, key) in keys {
            self.buckets.entry((band, key)).or_insert(n as u32);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleInput, InputKind, Metadata};

    fn features(text: &str, date: &str) -> GroupingFeatures {
        let doc = crate::clean::clean(ArticleInput {
            id: "d".into(),
            source: "d".into(),
            kind: InputKind::Json,
            body: text.into(),
            hints: Metadata {
                published: Some(date.into()),
                ..Metadata::default()
            },
            boilerplate: vec![],
        });
        let times = crate::time::tag(&doc);
        article_features(&doc, &[], &times)
    }

    const FLOOD: &str = "The river Olm burst its banks near the town of Kessel on Friday night. \
        Rescue teams evacuated about four hundred residents from low-lying streets. \
        The regional weather office had warned of heavy rain for three days.";

    #[test]
    fn copies_join_their_original_and_others_are_placed() {
        let mut g = Grouper::new(Params::default());
        let a = g.add(&features(FLOOD, "2021-05-01"));
        assert_eq!((a.story, a.new_story, a.copy_of), (0, true, None));
        let b = g.add(&features(FLOOD, "2021-05-02"));
        assert_eq!((b.story, b.new_story, b.copy_of), (0, false, Some(0)));
        let c = g.add(&features(
            "Parliament passed the budget after a long night of debate over pensions.",
            "2021-05-02",
        ));
        assert_eq!((c.story, c.new_story), (1, true));
        assert_eq!(g.len(), 3);
        assert_eq!(g.stories(), 2);
    }

    #[test]
    fn features_round_trip_through_json() {
        let f = features(FLOOD, "2021-05-01");
        let back: GroupingFeatures =
            serde_json::from_str(&serde_json::to_string(&f).expect("json")).expect("parses");
        assert_eq!(f, back);
    }
}
