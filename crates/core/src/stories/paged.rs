//! Grouping state that need not all be in memory.
//!
//! A collection that grows for weeks must not hold every story's centroid, every posting list
//! and every article's near-copy signature in memory, nor rebuild them from every stored article
//! each time it opens. The big tables of the [`super::Grouper`] are therefore [`Paged`]: a
//! resident cache in front of a [`Backing`] that the caller implements (the store keeps the
//! records in its own tables). Core never does I/O itself: it asks the backing for the records
//! an article needs before placing it ([`super::Grouper::add_backed`]), hands back what changed
//! ([`super::Grouper::take_changes`]) for the caller to write in the same transaction as the
//! article, and drops its cache when it grows past a budget ([`super::Grouper::shrink`]).
//!
//! Without a backing (a batch `analyze`), everything stays resident and nothing is tracked, so
//! the same articles in the same order are placed identically either way.

use super::lexicon::FastHash;
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// Version of the grouping state's records and rules: a store holding a state written by
/// another version rebuilds it from its articles. Raise it whenever placement or a record's
/// encoding changes.
pub const GROUPING_VERSION: &str = "1";

/// A failure of the backing (a database error, a record that does not decode), in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("grouping state: {0}")]
pub struct BackingError(pub String);

/// Where grouping records live when they are not in memory. Every method answers a batch of
/// keys, in order, with `None` for a key that has no record.
pub trait Backing {
    /// Encoded story states by story number ([`super::index`]'s records).
    fn stories(&mut self, numbers: &[u32]) -> Result<Vec<Option<Vec<u8>>>, BackingError>;
    /// Posting lists (story numbers, oldest first) by (key, day bucket).
    fn postings(&mut self, keys: &[(u32, i32)]) -> Result<Vec<Option<Vec<u32>>>, BackingError>;
    /// First article (arrival number) of each near-copy band bucket, by (band, band hash).
    fn bands(&mut self, keys: &[(u8, u64)]) -> Result<Vec<Option<u32>>, BackingError>;
    /// Encoded arrival records (article id, story, signature) by arrival number.
    fn arrivals(&mut self, numbers: &[u32]) -> Result<Vec<Option<Vec<u8>>>, BackingError>;
}

/// The counters of a grouping state: how many articles, stories, threads and counted documents
/// it holds. Stored beside the records so a reopened state continues the numbering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Articles added (the next arrival number).
    pub arrivals: u32,
    /// Stories created (the next story number).
    pub stories: u32,
    /// Threads created (the next thread number).
    pub threads: u32,
    /// Articles counted in the document frequencies (copies are not).
    pub docs: u32,
}

/// Everything that changed since the last [`super::Grouper::take_changes`], for the caller to
/// write. Records are encoded; keys are sorted, so equal histories write equal batches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub counters: Counters,
    pub stories: Vec<(u32, Vec<u8>)>,
    pub postings: Vec<((u32, i32), Vec<u32>)>,
    pub bands: Vec<((u8, u64), u32)>,
    pub arrivals: Vec<(u32, Vec<u8>)>,
    /// (key, document frequency): a term's key is its id, a name's key is its id plus 2^32.
    pub frequencies: Vec<(u64, u32)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
            && self.postings.is_empty()
            && self.bands.is_empty()
            && self.arrivals.is_empty()
            && self.frequencies.is_empty()
    }
}

/// A table of records, resident in a cache, loaded on demand and written back by the caller.
#[derive(Debug)]
pub(crate) struct Paged<K, V> {
    /// Loaded (or created) records; `None` records a key known to have none.
    resident: HashMap<K, Option<V>, FastHash>,
    /// Keys changed since the last [`Paged::take_dirty`]; only when `track` is on.
    dirty: BTreeSet<K>,
    track: bool,
}

impl<K, V> Default for Paged<K, V> {
    fn default() -> Self {
        Paged {
            resident: HashMap::default(),
            dirty: BTreeSet::new(),
            track: false,
        }
    }
}

impl<K: Copy + Eq + Hash + Ord, V> Paged<K, V> {
    /// Starts recording changes (a backed state: the caller writes them).
    pub(crate) fn track(&mut self) {
        self.track = true;
    }

    pub(crate) fn get(&self, k: &K) -> Option<&V> {
        self.resident.get(k).and_then(Option::as_ref)
    }

    /// The record, marked changed.
    pub(crate) fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        let v = self.resident.get_mut(k).and_then(Option::as_mut);
        if v.is_some() && self.track {
            self.dirty.insert(*k);
        }
        v
    }

    pub(crate) fn insert(&mut self, k: K, v: V) {
        if self.track {
            self.dirty.insert(k);
        }
        self.resident.insert(k, Some(v));
    }

    /// The record, created with `make` when there is none (marked changed either way).
    pub(crate) fn entry_or(&mut self, k: K, make: impl FnOnce() -> V) -> &mut V {
        if self.track {
            self.dirty.insert(k);
        }
        self.resident
            .entry(k)
            .or_insert(None)
            .get_or_insert_with(make)
    }

    /// Makes the records of `keys` resident, loading the ones not yet known with `load` (one
    /// call for all of them, answering in order).
    pub(crate) fn ensure<E>(
        &mut self,
        keys: impl IntoIterator<Item = K>,
        load: impl FnOnce(&[K]) -> Result<Vec<Option<V>>, E>,
    ) -> Result<(), E> {
        let mut missing: Vec<K> = keys
            .into_iter()
            .filter(|k| !self.resident.contains_key(k))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort_unstable();
        missing.dedup();
        let got = load(&missing)?;
        for (k, v) in missing
            .into_iter()
            .zip(got.into_iter().chain(std::iter::repeat_with(|| None)))
        {
            self.resident.insert(k, v);
        }
        Ok(())
    }

    /// The changed records (in key order), forgetting that they changed.
    pub(crate) fn take_dirty(&mut self) -> Vec<(K, &V)> {
        let keys = std::mem::take(&mut self.dirty);
        keys.into_iter()
            .filter_map(|k| {
                self.resident
                    .get(&k)
                    .and_then(Option::as_ref)
                    .map(|v| (k, v))
            })
            .collect()
    }

    /// Number of resident slots (records and known absences).
    pub(crate) fn resident(&self) -> usize {
        self.resident.len()
    }

    /// Forgets every resident record that has no unwritten change.
    pub(crate) fn drop_clean(&mut self) {
        if self.dirty.is_empty() {
            self.resident.clear();
        } else {
            let dirty = &self.dirty;
            self.resident.retain(|k, _| dirty.contains(k));
        }
    }
}
