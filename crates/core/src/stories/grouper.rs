//! Incremental grouping: articles arrive one at a time and each joins a story or starts one.
//!
//! [`Grouper`] holds everything grouping remembers between articles: document frequencies of
//! the articles seen so far (the IDF weights), the [`StoryIndex`] of story centroids, and an
//! LSH table of MinHash signatures for near-duplicates. Its result depends only on the order
//! articles arrive in, never on articles still to come, so a collection built in two halves
//! groups exactly like one batch of everything in the same order.

use super::codec;
use super::dedup::{self, Signature, BINS};
use super::features::{self, ArticleFeatures, StemCache};
use super::index::{Params, StoryAssignment, StoryIndex};
use super::paged::{Backing, BackingError, Changes, Counters, Paged};
use crate::model::{Document, Mention, TimeExpr};
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Story number: stories are numbered in order of creation and never renumbered.
    pub story: usize,
    /// Thread number (the ongoing subject), likewise in order of creation.
    pub thread: usize,
    /// True when this article started the story.
    pub new_story: bool,
    /// Arrival number of the first article of its near-duplicate cluster, when it is a copy.
    pub copy_of: Option<usize>,
    /// Story id and thread id (`s-`/`t-` and the first 12 characters of the article that
    /// started them; empty for articles added without an id).
    pub story_id: String,
    pub thread_id: String,
    /// Id of the article it copies, when it is a copy.
    pub copy_of_id: Option<String>,
}

/// What grouping remembers of each article: its id, its story and its near-copy signature.
#[derive(Debug, Clone, PartialEq)]
struct ArrivalRecord {
    id: String,
    story: u32,
    /// `None`: no words, or a copy, which is never compared.
    signature: Signature,
}

/// Version of the encoded arrival record.
const ARRIVAL_RECORD: u8 = 1;

impl ArrivalRecord {
    fn encode(&self) -> Vec<u8> {
        let mut w = codec::Writer::default();
        w.u8(ARRIVAL_RECORD);
        w.str(&self.id);
        w.u32(self.story);
        match &self.signature {
            Some(sig) => {
                w.u8(1);
                for &x in sig {
                    w.u64(x);
                }
            }
            None => w.u8(0),
        }
        w.into_bytes()
    }

    fn decode(bytes: &[u8]) -> Option<ArrivalRecord> {
        let mut r = codec::Reader::new(bytes);
        if r.u8()? != ARRIVAL_RECORD {
            return None;
        }
        let id = r.str()?;
        let story = r.u32()?;
        let signature = match r.u8()? {
            0 => None,
            1 => {
                let mut sig = [0u64; BINS];
                for x in &mut sig {
                    *x = r.u64()?;
                }
                Some(sig)
            }
            _ => return None,
        };
        r.end().then_some(ArrivalRecord {
            id,
            story,
            signature,
        })
    }
}

/// Incremental grouping state (see the module comment). Its big tables are [`Paged`]: with a
/// [`Backing`] ([`Grouper::add_backed`]) only what the articles at hand need is in memory.
#[derive(Debug, Default)]
pub struct Grouper {
    index: StoryIndex,
    /// (band, band hash) -> arrival number of the first article in that bucket.
    buckets: Paged<(u8, u64), u32>,
    /// Arrival number -> what grouping remembers of that article.
    arrivals: Paged<u32, ArrivalRecord>,
    /// Articles added (the next arrival number).
    count: u32,
}

impl Grouper {
    pub fn new(params: Params) -> Self {
        Grouper {
            index: StoryIndex::new(params),
            ..Grouper::default()
        }
    }

    /// A grouper whose state lives in a [`Backing`]: it records what changes, for
    /// [`Grouper::take_changes`], and continues from `counters` and `frequencies` (the
    /// stored state; zero and empty for a new one).
    pub fn backed(
        params: Params,
        counters: Counters,
        frequencies: impl IntoIterator<Item = (u64, u32)>,
    ) -> Self {
        let mut g = Grouper::new(params);
        g.index.track();
        g.buckets.track();
        g.arrivals.track();
        g.index.restore(counters, frequencies);
        g.count = counters.arrivals;
        g
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Number of stories so far.
    pub fn stories(&self) -> usize {
        self.index.len()
    }

    /// Adds the next article (without an id: story and thread ids stay empty).
    pub fn add(&mut self, f: &GroupingFeatures) -> Assignment {
        self.place("", f)
    }

    /// Adds the next article, `article` being its id. A near-copy of an earlier article joins
    /// that article's story and counts in no statistics (a wire story printed ten times counts
    /// once); anything else is placed by the story index.
    pub fn place(&mut self, article: &str, f: &GroupingFeatures) -> Assignment {
        let sig = signature(f);
        if let Some(a) = self.try_copy(article, sig.as_ref()) {
            return a;
        }
        let a = self.index.add_named(&f.features, article);
        self.placed(article, a, sig)
    }

    /// [`Grouper::place`] loading from `backing` the records the article needs first.
    pub fn add_backed(
        &mut self,
        article: &str,
        f: &GroupingFeatures,
        backing: &mut dyn Backing,
    ) -> Result<Assignment, BackingError> {
        let sig = signature(f);
        if let Some(sig) = &sig {
            let keys = dedup::band_keys(sig);
            self.buckets
                .ensure(keys.iter().copied(), |k| backing.bands(k))?;
            let firsts: Vec<u32> = keys
                .iter()
                .filter_map(|k| self.buckets.get(k).copied())
                .collect();
            self.ensure_arrivals(firsts, backing)?;
            let stories: Vec<u32> = keys
                .iter()
                .filter_map(|k| self.buckets.get(k))
                .filter_map(|n| self.arrivals.get(n))
                .map(|r| r.story)
                .collect();
            self.index.ensure_stories(stories, backing)?;
        }
        if let Some(a) = self.try_copy(article, sig.as_ref()) {
            return Ok(a);
        }
        let a = self.index.add_backed(&f.features, article, backing)?;
        Ok(self.placed(article, a, sig))
    }

    fn ensure_arrivals(
        &mut self,
        numbers: Vec<u32>,
        backing: &mut dyn Backing,
    ) -> Result<(), BackingError> {
        self.arrivals.ensure(numbers, |n| {
            let raw = backing.arrivals(n)?;
            raw.into_iter()
                .zip(n)
                .map(|(r, num)| match r {
                    None => Ok(None),
                    Some(bytes) => ArrivalRecord::decode(&bytes).map(Some).ok_or_else(|| {
                        BackingError(format!("arrival record {num} does not decode"))
                    }),
                })
                .collect()
        })
    }

    /// Places the article as a copy when it nearly copies an earlier one.
    fn try_copy(&mut self, article: &str, sig: Option<&[u64; BINS]>) -> Option<Assignment> {
        let n = self.count;
        let first = self.find_copy(n, sig)?;
        let (story, copy_id) = {
            let r = self.arrivals.get(&(first as u32))?;
            (r.story as usize, r.id.clone())
        };
        let a = self.index.add_copy(story)?;
        let (story_id, thread_id) = self.ids(a.story);
        self.arrivals.insert(
            n,
            ArrivalRecord {
                id: article.to_string(),
                story: a.story as u32,
                signature: None,
            },
        );
        self.count += 1;
        Some(Assignment {
            story: a.story,
            thread: a.thread,
            new_story: false,
            copy_of: Some(first),
            story_id,
            thread_id,
            copy_of_id: Some(copy_id),
        })
    }

    /// Records an article the story index placed.
    fn placed(&mut self, article: &str, a: StoryAssignment, sig: Signature) -> Assignment {
        let n = self.count;
        self.arrivals.insert(
            n,
            ArrivalRecord {
                id: article.to_string(),
                story: a.story as u32,
                signature: sig,
            },
        );
        self.count += 1;
        let (story_id, thread_id) = self.ids(a.story);
        Assignment {
            story: a.story,
            thread: a.thread,
            new_story: a.new_story,
            copy_of: None,
            story_id,
            thread_id,
            copy_of_id: None,
        }
    }

    fn ids(&self, story: usize) -> (String, String) {
        self.index
            .ids_of(story)
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .unwrap_or_default()
    }

    /// The earlier article `sig` nearly copies, registering `n`'s bands when it copies none.
    /// Each band bucket remembers only its first article, so k copies cost k checks.
    fn find_copy(&mut self, n: u32, sig: Option<&[u64; BINS]>) -> Option<usize> {
        let sig = sig?;
        let keys = dedup::band_keys(sig);
        let mut checked: Vec<u32> = Vec::new();
        for k in &keys {
            let Some(&first) = self.buckets.get(k) else {
                continue;
            };
            if checked.contains(&first) {
                continue;
            }
            checked.push(first);
            if let Some(Some(other)) = self.arrivals.get(&first).map(|r| r.signature.as_ref()) {
                if dedup::estimate(sig, other) >= dedup::THRESHOLD {
                    return Some(first as usize);
                }
            }
        }
        for k in keys {
            if self.buckets.get(&k).is_none() {
                self.buckets.insert(k, n);
            }
        }
        None
    }

    /// Everything that changed since the last call (for a backed grouper), encoded.
    pub fn take_changes(&mut self) -> Changes {
        let mut out = Changes::default();
        self.index.take_changes(&mut out);
        out.bands = self
            .buckets
            .take_dirty()
            .into_iter()
            .map(|(k, &v)| (k, v))
            .collect();
        out.arrivals = self
            .arrivals
            .take_dirty()
            .into_iter()
            .map(|(k, v)| (k, v.encode()))
            .collect();
        out.counters.arrivals = self.count;
        out
    }

    /// Records in memory (story states, postings, bands, arrivals, and known absences).
    pub fn resident(&self) -> usize {
        self.index.resident() + self.buckets.resident() + self.arrivals.resident()
    }

    /// Forgets the written records when more than `budget` are resident, so memory stays
    /// bounded however many articles the backing holds.
    pub fn shrink(&mut self, budget: usize) {
        if self.resident() > budget {
            self.index.drop_clean();
            self.buckets.drop_clean();
            self.arrivals.drop_clean();
        }
    }
}

/// The article's MinHash signature, when it has one of the right size.
fn signature(f: &GroupingFeatures) -> Signature {
    f.signature
        .as_deref()
        .and_then(|s| <[u64; BINS]>::try_from(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleInput, InputKind, Metadata};
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// A damaged arrival record is refused, never a panic; a real one round-trips.
        #[test]
        fn arrival_records_decode_or_are_refused(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            story in any::<u32>(),
            with_sig in any::<bool>(),
        ) {
            let _ = ArrivalRecord::decode(&bytes);
            let r = ArrivalRecord {
                id: "0123456789abcdef".into(),
                story,
                signature: with_sig.then_some([7u64; BINS]),
            };
            let enc = r.encode();
            prop_assert_eq!(ArrivalRecord::decode(&enc), Some(r));
            prop_assert_eq!(ArrivalRecord::decode(&enc[..enc.len() - 1]), None);
        }
    }

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

    /// A backing over plain maps, written from [`Changes`] as a store would.
    #[derive(Default)]
    struct MapBacking {
        stories: HashMap<u32, Vec<u8>>,
        postings: HashMap<(u32, i32), Vec<u32>>,
        bands: HashMap<(u8, u64), u32>,
        arrivals: HashMap<u32, Vec<u8>>,
        frequencies: HashMap<u64, u32>,
        counters: Counters,
        reads: usize,
    }

    impl MapBacking {
        fn write(&mut self, c: Changes) {
            self.counters = c.counters;
            self.stories.extend(c.stories);
            self.postings.extend(c.postings);
            self.bands.extend(c.bands);
            self.arrivals.extend(c.arrivals);
            self.frequencies.extend(c.frequencies);
        }
    }

    impl Backing for MapBacking {
        fn stories(&mut self, n: &[u32]) -> Result<Vec<Option<Vec<u8>>>, BackingError> {
            self.reads += n.len();
            Ok(n.iter().map(|k| self.stories.get(k).cloned()).collect())
        }
        fn postings(&mut self, k: &[(u32, i32)]) -> Result<Vec<Option<Vec<u32>>>, BackingError> {
            self.reads += k.len();
            Ok(k.iter().map(|k| self.postings.get(k).cloned()).collect())
        }
        fn bands(&mut self, k: &[(u8, u64)]) -> Result<Vec<Option<u32>>, BackingError> {
            self.reads += k.len();
            Ok(k.iter().map(|k| self.bands.get(k).copied()).collect())
        }
        fn arrivals(&mut self, n: &[u32]) -> Result<Vec<Option<Vec<u8>>>, BackingError> {
            self.reads += n.len();
            Ok(n.iter().map(|k| self.arrivals.get(k).cloned()).collect())
        }
    }

    /// Synthetic articles: overlapping subjects over a few weeks, some exact copies.
    fn stream(n: u32) -> Vec<GroupingFeatures> {
        (0..n)
            .map(|i| {
                let subject = i % 23;
                let copy = i % 11 == 5;
                let src = if copy { i - 1 } else { i };
                let terms: Vec<(u32, u16)> = (0..12u32)
                    .map(|k| (subject * 100 + (src * 7 + k * 3) % 40, 1 + (k % 3) as u16))
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_iter()
                    .collect();
                let names = vec![(5000 + subject, 2), (6000 + src % 5, 1)];
                let sig: Vec<u64> = (0..BINS as u64)
                    .map(|b| u64::from(src) * 1000 + b)
                    .collect();
                GroupingFeatures {
                    features: ArticleFeatures {
                        terms,
                        names,
                        day: Some(700_000 + (i / 9) as i32),
                        event_days: Vec::new(),
                    },
                    signature: Some(sig),
                }
            })
            .collect()
    }

    #[test]
    fn a_backed_grouper_places_like_one_in_memory() {
        let arts = stream(400);
        let ids: Vec<String> = (0..arts.len()).map(|i| format!("{i:016x}")).collect();
        let mut memory = Grouper::new(Params::default());
        let want: Vec<Assignment> = arts
            .iter()
            .zip(&ids)
            .map(|(f, id)| memory.place(id, f))
            .collect();
        assert!(memory.stories() > 20, "the stream has several stories");
        assert!(want.iter().any(|a| a.copy_of.is_some()), "and copies");

        let mut store = MapBacking::default();
        let mut g = Grouper::backed(Params::default(), Counters::default(), Vec::new());
        let mut got = Vec::new();
        for (i, (f, id)) in arts.iter().zip(&ids).enumerate() {
            if i == 200 {
                // Reopened from what was written.
                let freq: Vec<(u64, u32)> =
                    store.frequencies.iter().map(|(k, v)| (*k, *v)).collect();
                g = Grouper::backed(Params::default(), store.counters, freq);
            }
            got.push(g.add_backed(id, f, &mut store).expect("map backing"));
            store.write(g.take_changes());
            g.shrink(64);
            assert!(g.resident() <= 64, "shrink bounds what stays in memory");
        }
        assert_eq!(want, got);
        assert!(store.reads > 0);
    }

    #[test]
    fn corrupt_records_are_errors() {
        let arts = stream(3);
        let mut store = MapBacking::default();
        let mut g = Grouper::backed(Params::default(), Counters::default(), Vec::new());
        g.add_backed("a", &arts[0], &mut store).expect("first");
        store.write(g.take_changes());
        for v in store.stories.values_mut() {
            v.truncate(3);
        }
        let mut g = Grouper::backed(Params::default(), store.counters, Vec::new());
        let e = g.add_backed("b", &arts[0], &mut store);
        assert!(matches!(e, Err(BackingError(m)) if m.contains("does not decode")));
    }
}
