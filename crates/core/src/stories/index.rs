//! Incremental story index: a new article is compared with the centroids of the stories that
//! share one of its most distinctive terms or names (an inverted index, so the cost per article
//! does not grow with the number of stories), and joins the best one above a threshold or
//! starts a new story.
//!
//! Comparing with a story's centroid rather than its nearest member avoids single-link
//! chaining: an article that resembles one member of a story but not the story as a whole
//! stays apart.

use super::features::{DocVector, Sparse};
use std::collections::HashMap;

/// Terms (names) of a document used to look up candidate stories.
const QUERY_TERMS: usize = 12;
const QUERY_NAMES: usize = 6;
/// Terms (names) of a story's centroid entered into the inverted index.
const INDEX_TERMS: usize = 16;
const INDEX_NAMES: usize = 8;
/// Only the most recent stories of one posting list are looked at: a term shared by thousands
/// of stories says little, and news locality favours recent stories.
const POSTING_CAP: usize = 256;
/// Candidates scored in full against their centroid, after the posting-list pre-ranking.
const RESCORE: usize = 24;

/// Tunable weights and thresholds of the story score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Share of the name cosine in the score (the rest is the term cosine).
    pub name_weight: f32,
    /// Minimum score to join a story.
    pub threshold: f32,
    /// Publication days apart without any penalty.
    pub free_days: f32,
    /// Beyond `free_days`, the score decays by e every this many days.
    pub decay_days: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            name_weight: 0.25,
            threshold: 0.17,
            free_days: 4.0,
            decay_days: 30.0,
        }
    }
}

#[derive(Debug, Default)]
struct Centroid {
    sum: HashMap<u32, f32>,
    norm2: f32,
}

impl Centroid {
    fn add(&mut self, v: &Sparse) {
        for &(id, w) in v {
            let e = self.sum.entry(id).or_insert(0.0);
            self.norm2 += (*e + w) * (*e + w) - *e * *e;
            *e += w;
        }
    }

    fn cosine(&self, v: &Sparse) -> f32 {
        if self.norm2 <= 0.0 {
            return 0.0;
        }
        let dot: f32 = v
            .iter()
            .filter_map(|(id, w)| self.sum.get(id).map(|c| c * w))
            .sum();
        dot / self.norm2.sqrt()
    }

    /// The `k` heaviest ids, ties by id (deterministic).
    fn top(&self, k: usize) -> Vec<u32> {
        let mut v: Vec<(u32, f32)> = self.sum.iter().map(|(a, b)| (*a, *b)).collect();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(k).map(|x| x.0).collect()
    }
}

#[derive(Debug, Default)]
struct StoryState {
    terms: Centroid,
    names: Centroid,
    first_day: Option<i32>,
    last_day: Option<i32>,
    size: usize,
    indexed_terms: Vec<u32>,
    indexed_names: Vec<u32>,
}

/// Stories built so far, with their centroids and the inverted index over their top terms.
#[derive(Debug, Default)]
pub struct StoryIndex {
    params: Params,
    stories: Vec<StoryState>,
    term_postings: HashMap<u32, Vec<u32>>,
    name_postings: HashMap<u32, Vec<u32>>,
    /// Scratch accumulator per story for candidate pre-ranking (kept zeroed between calls).
    acc: Vec<f32>,
}

impl StoryIndex {
    pub fn new(params: Params) -> Self {
        StoryIndex {
            params,
            ..StoryIndex::default()
        }
    }

    /// Number of stories so far.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Adds an article: returns the number of the story it joins (or starts).
    pub fn add(&mut self, v: &DocVector) -> usize {
        let best = self.best_story(v);
        let story = match best {
            Some((s, score)) if score >= self.params.threshold => s,
            _ => {
                self.stories.push(StoryState::default());
                self.stories.len() - 1
            }
        };
        self.update(story, v);
        story
    }

    /// The best-scoring candidate story and its score, if any shares a key with `v`.
    ///
    /// Candidates are first ranked by the summed weights of the query keys they share (read off
    /// the posting lists into a scratch array), and only the best [`RESCORE`] are scored in
    /// full against their centroids.
    pub fn best_story(&mut self, v: &DocVector) -> Option<(usize, f32)> {
        if self.acc.len() < self.stories.len() {
            self.acc.resize(self.stories.len(), 0.0);
        }
        let mut touched: Vec<u32> = Vec::new();
        let keys = v
            .terms
            .iter()
            .take(QUERY_TERMS)
            .map(|(id, w)| (self.term_postings.get(id), *w))
            .chain(
                v.names
                    .iter()
                    .take(QUERY_NAMES)
                    .map(|(id, w)| (self.name_postings.get(id), *w)),
            );
        for (postings, w) in keys {
            let Some(p) = postings else { continue };
            for &s in &p[p.len().saturating_sub(POSTING_CAP)..] {
                let a = &mut self.acc[s as usize];
                if *a == 0.0 {
                    touched.push(s);
                }
                *a += w.max(1e-6);
            }
        }
        let mut cands: Vec<(f32, u32)> = touched
            .iter()
            .map(|&s| (std::mem::take(&mut self.acc[s as usize]), s))
            .collect();
        cands.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        cands.truncate(RESCORE);
        cands.sort_unstable_by_key(|c| c.1);
        let mut best: Option<(usize, f32)> = None;
        for (_, c) in cands {
            let s = self.score(c as usize, v);
            // Strictly greater: on a tie the earlier story wins.
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((c as usize, s));
            }
        }
        best
    }

    /// Score of article `v` against story `s`: term and name cosines with the centroid,
    /// damped when the publication dates are far apart.
    pub fn score(&self, s: usize, v: &DocVector) -> f32 {
        let Some(st) = self.stories.get(s) else {
            return 0.0;
        };
        let t = st.terms.cosine(&v.terms);
        let has_names = !v.names.is_empty() && st.names.norm2 > 0.0;
        let base = if has_names {
            let n = st.names.cosine(&v.names);
            (1.0 - self.params.name_weight) * t + self.params.name_weight * n
        } else {
            t
        };
        base * self.date_factor(st, v.day)
    }

    fn date_factor(&self, st: &StoryState, day: Option<i32>) -> f32 {
        let (Some(d), Some(lo), Some(hi)) = (day, st.first_day, st.last_day) else {
            return 1.0;
        };
        let gap = if d < lo {
            lo - d
        } else if d > hi {
            d - hi
        } else {
            0
        } as f32;
        if gap <= self.params.free_days {
            1.0
        } else {
            (-(gap - self.params.free_days) / self.params.decay_days).exp()
        }
    }

    fn update(&mut self, s: usize, v: &DocVector) {
        let Some(st) = self.stories.get_mut(s) else {
            return;
        };
        st.terms.add(&v.terms);
        st.names.add(&v.names);
        st.size += 1;
        if let Some(d) = v.day {
            st.first_day = Some(st.first_day.map_or(d, |x| x.min(d)));
            st.last_day = Some(st.last_day.map_or(d, |x| x.max(d)));
        }
        // Re-rank the centroid's keys only while the story is small or at powers of two, so a
        // large story does not re-sort its centroid on every article.
        if st.size <= 8 || st.size.is_power_of_two() {
            let top_t = st.terms.top(INDEX_TERMS);
            let top_n = st.names.top(INDEX_NAMES);
            for id in top_t {
                if !st.indexed_terms.contains(&id) {
                    st.indexed_terms.push(id);
                    self.term_postings.entry(id).or_default().push(s as u32);
                }
            }
            for id in top_n {
                if !st.indexed_names.contains(&id) {
                    st.indexed_names.push(id);
                    self.name_postings.entry(id).or_default().push(s as u32);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vec_of(ids: &[u32], names: &[u32], day: Option<i32>) -> DocVector {
        let w = 1.0 / (ids.len().max(1) as f32).sqrt();
        let nw = 1.0 / (names.len().max(1) as f32).sqrt();
        DocVector {
            terms: ids.iter().map(|&i| (i, w)).collect(),
            names: names.iter().map(|&i| (i, nw)).collect(),
            day,
        }
    }

    #[test]
    fn similar_articles_join_and_unrelated_stay_apart() {
        let mut idx = StoryIndex::new(Params::default());
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[100], Some(10))), 0);
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 5], &[100], Some(11))), 0);
        assert_eq!(idx.add(&vec_of(&[7, 8, 9], &[200], Some(11))), 1);
        assert_eq!(idx.len(), 2);
    }

    #[test]
    fn distant_dates_split_stories() {
        let mut idx = StoryIndex::new(Params::default());
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[], Some(10))), 0);
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[], Some(900))), 1);
        // Undated articles are not penalised.
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[], None)), 0);
    }

    #[test]
    fn centroid_resists_chaining() {
        let mut idx = StoryIndex::new(Params {
            threshold: 0.5,
            ..Params::default()
        });
        // A-B-C-D chain: each shares half its terms with the next one only.
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[], None)), 0);
        assert_eq!(idx.add(&vec_of(&[1, 2, 3, 4], &[], None)), 0);
        assert_eq!(idx.add(&vec_of(&[3, 4, 5, 6], &[], None)), 0);
        // Shares nothing with the first two members: no chaining through the third.
        assert_eq!(idx.add(&vec_of(&[5, 6, 7, 8], &[], None)), 1);
    }
}
