//! A store with its grouping state: what `parallax ingest` (and later workers) drive.

use crate::articles::Placed;
use crate::vectors::StoreVectors;
use crate::{Result, Store};
use parallax_core::article::{analyze_article, article_id, content_hash, Article};
use parallax_core::corpus::{analyze_story, Corpus, Placement};
use parallax_core::model::{ArticleInput, Document};
use parallax_core::pipeline::sentence_vectors;
use parallax_core::Options;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Articles analysed in parallel before their rows are written (one transaction each).
const CHUNK: usize = 64;
/// Stories analysed in parallel per round of recomputation.
const STORY_BATCH: usize = 32;

/// Hears about a collection's long phases (progress bars) and notes for the user.
pub trait Observer: Sync {
    /// A phase begins: `what` is shown to the user, `total` steps of `unit`.
    fn start(&self, _what: &str, _unit: &str, _total: usize) {}
    fn step(&self) {}
    /// The phase is over.
    fn done(&self) {}
    /// Something the user should know ("3 articles re-analysed: the analyzer changed").
    fn note(&self, _message: &str) {}
}

/// An [`Observer`] that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Articles analysed and stored.
    pub added: usize,
    /// Inputs already stored (or repeated within this run), not analysed again.
    pub known: usize,
    /// Of the added articles, those that started a new story.
    pub new_stories: usize,
    /// Stories recomputed.
    pub stories_updated: usize,
    /// True when the cancel flag stopped the run early (everything before it is stored).
    pub interrupted: bool,
}

/// A store and the grouping state rebuilt from it.
pub struct Collection {
    pub(crate) store: Store,
    corpus: Corpus,
    /// How articles are analysed (time budget, ...).
    options: Options,
}

impl Collection {
    /// Opens the store at `path` and rebuilds the grouping state (see [`Collection::load`]).
    pub fn open(path: &Path, obs: &dyn Observer) -> Result<Collection> {
        Collection::load(Store::open(path)?, obs)
    }

    /// [`Collection::open`] analysing articles (new or stale) with `options`.
    pub fn open_with(path: &Path, options: Options, obs: &dyn Observer) -> Result<Collection> {
        Collection::load_with(Store::open(path)?, options, obs)
    }

    /// Rebuilds the grouping state of `store`: articles analysed by another version are
    /// re-analysed from their stored input, then every article's features are replayed in
    /// arrival order. Where the replay places an article differently from its row (the
    /// analyzer changed), the row is corrected and both stories are marked for recomputation.
    pub fn load(store: Store, obs: &dyn Observer) -> Result<Collection> {
        Collection::load_with(store, Options::default(), obs)
    }

    /// [`Collection::load`] analysing articles (new or stale) with `options`.
    pub fn load_with(mut store: Store, options: Options, obs: &dyn Observer) -> Result<Collection> {
        reanalyse_stale(&mut store, &options, obs)?;
        let total = store.article_count()? as usize;
        obs.start("loading", "articles", total);
        let mut corpus = Corpus::new();
        let mut moves: Vec<(String, Placement)> = Vec::new();
        let mut broken: Vec<String> = Vec::new();
        store.for_each_placed(|p: Placed| {
            obs.step();
            let features = match p.features {
                Ok(f) => f,
                Err(e) => {
                    obs.note(&format!("{e}; re-analysing it"));
                    broken.push(p.id);
                    return Ok(());
                }
            };
            if let Some(placed) = corpus.add_features(&p.id, &features) {
                if placed.story != p.story || placed.copy_of != p.copy_of {
                    moves.push((p.id, placed));
                }
            }
            Ok(())
        })?;
        obs.done();
        for (id, placed) in &moves {
            store.move_article(id, placed)?;
        }
        if !moves.is_empty() {
            obs.note(&format!(
                "{} article(s) regrouped: the analyzer's grouping changed",
                moves.len()
            ));
        }
        let mut c = Collection {
            store,
            corpus,
            options,
        };
        // Rows whose features could not be read: analyse again from the stored input and
        // place them now (after the others: their arrival position is lost).
        for id in broken {
            match c.store.input_of(&id) {
                Ok(input) => {
                    let a = analyze_article(input, &c.options);
                    c.store.replace_analysis(&a)?;
                    if let Some(p) = c.corpus.add(&a) {
                        c.store.move_article(&a.id, &p)?;
                    }
                }
                Err(e) => obs.note(&format!("{e}; left out of grouping")),
            }
        }
        Ok(c)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Analyses and stores the inputs that are not stored yet, in order, then recomputes the
    /// stories that changed. Inputs are consumed as a stream (a feed reader or an archive can
    /// feed them as they come); `total`, when known, sizes the progress bar. Each article is
    /// committed on its own; `cancel` is checked between articles, and a cancelled run
    /// leaves a consistent store that the next run completes.
    pub fn ingest<I>(
        &mut self,
        inputs: I,
        total: Option<usize>,
        obs: &dyn Observer,
        cancel: &AtomicBool,
    ) -> Result<IngestStats>
    where
        I: IntoIterator<Item = ArticleInput>,
        I::IntoIter: Send,
    {
        let mut stats = IngestStats::default();
        obs.start("analysing", "articles", total.unwrap_or(0));
        // Ids stored before this run; repeats within the run are caught as they come.
        let stored: HashSet<String> = self.corpus.ids().map(str::to_string).collect();
        let stored = &stored;
        let options = self.options.clone();
        let options = &options;
        // The producer (this scope's thread) reads inputs, drops those already stored and
        // analyses the rest a chunk at a time on all cores; this thread stores them. A bounded
        // channel keeps memory flat and lets storing chunk k overlap analysing chunk k + 1.
        type Chunk = (Vec<(ArticleInput, Article)>, usize);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
        let inputs = inputs.into_iter();
        let written = std::thread::scope(|scope| -> Result<()> {
            let producer = scope.spawn(move || {
                let mut seen: HashSet<String> = HashSet::new();
                let mut inputs = inputs;
                loop {
                    let mut chunk: Vec<ArticleInput> = Vec::with_capacity(CHUNK);
                    let mut skipped = 0usize;
                    for input in inputs.by_ref() {
                        let id = article_id(&input, &content_hash(&input));
                        if stored.contains(&id) || !seen.insert(id) {
                            skipped += 1;
                        } else {
                            chunk.push(input);
                        }
                        if chunk.len() == CHUNK || cancel.load(Ordering::Relaxed) {
                            break;
                        }
                    }
                    if chunk.is_empty() && skipped == 0 {
                        break;
                    }
                    let analysed: Vec<(ArticleInput, Article)> = chunk
                        .into_par_iter()
                        .map(|input| {
                            let a = analyze_article(input.clone(), options);
                            (input, a)
                        })
                        .collect();
                    if tx.send((analysed, skipped)).is_err() || cancel.load(Ordering::Relaxed) {
                        break;
                    }
                }
            });
            let written = (|| -> Result<()> {
                for (analysed, skipped) in rx.iter() {
                    stats.known += skipped;
                    for _ in 0..skipped {
                        obs.step();
                    }
                    for (input, article) in analysed {
                        if cancel.load(Ordering::Relaxed) {
                            return Ok(());
                        }
                        obs.step();
                        let Some(placed) = self.corpus.add(&article) else {
                            stats.known += 1;
                            continue;
                        };
                        if self.store.insert_article(&input, &article, &placed)? {
                            stats.added += 1;
                            stats.new_stories += usize::from(placed.new_story);
                        } else {
                            stats.known += 1;
                        }
                    }
                }
                Ok(())
            })();
            drop(rx);
            let _ = producer.join();
            written
        });
        written?;
        obs.done();
        stats.interrupted = cancel.load(Ordering::Relaxed);
        if !stats.interrupted {
            stats.stories_updated = self.refresh(obs, cancel)?;
            stats.interrupted = cancel.load(Ordering::Relaxed);
        }
        Ok(stats)
    }

    /// Recomputes every story marked dirty, in parallel batches; returns how many were
    /// stored. Stops between batches when `cancel` is set (the rest stay dirty).
    pub fn refresh(&mut self, obs: &dyn Observer, cancel: &AtomicBool) -> Result<usize> {
        let dirty = self.store.dirty_stories()?;
        obs.start("aligning", "stories", dirty.len());
        let mut updated = 0;
        for batch in dirty.chunks(STORY_BATCH) {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            let mut loaded = Vec::with_capacity(batch.len());
            for (id, version) in batch {
                let (members, articles) = self.store.story_members(id)?;
                loaded.push((members, *version, articles));
            }
            // One embedding call per batch: the model batches well, and the store's cache
            // means only sentences never seen before are embedded.
            let docs: Vec<&Document> = loaded
                .iter()
                .flat_map(|(_, _, articles)| articles.iter().map(|a| &a.document))
                .collect();
            let mut cache = StoreVectors {
                store: &mut self.store,
            };
            let (vectors, alignment) = sentence_vectors(&docs, &self.options, &mut cache);
            drop(docs);
            let analysed: Vec<_> = loaded
                .par_iter()
                .map(|(members, version, articles)| {
                    let refs: Vec<&Article> = articles.iter().collect();
                    let mut analysis = analyze_story(members, &refs, vectors.as_ref());
                    analysis.alignment = alignment.clone();
                    obs.step();
                    (analysis, *version, refs)
                })
                .collect();
            for (analysis, version, articles) in &analysed {
                if self.store.put_story(analysis, *version, articles)? {
                    updated += 1;
                }
            }
        }
        obs.done();
        Ok(updated)
    }
}

/// Re-analyses, from their stored inputs, the articles a different analyzer version wrote.
fn reanalyse_stale(store: &mut Store, options: &Options, obs: &dyn Observer) -> Result<()> {
    let stale = store.stale_ids()?;
    if stale.is_empty() {
        return Ok(());
    }
    obs.note(&format!(
        "re-analysing {} stored article(s): they were analysed by another version",
        stale.len()
    ));
    obs.start("re-analysing", "articles", stale.len());
    for ids in stale.chunks(CHUNK) {
        let mut inputs = Vec::with_capacity(ids.len());
        for id in ids {
            match store.input_of(id) {
                Ok(i) => inputs.push((id.clone(), i)),
                Err(e) => obs.note(&format!("{e}; keeping its old analysis")),
            }
        }
        let fresh: Vec<(String, Article)> = inputs
            .into_par_iter()
            .map(|(id, input)| {
                let a = analyze_article(input, options);
                obs.step();
                (id, a)
            })
            .collect();
        for (id, a) in &fresh {
            if *id == a.id {
                store.replace_analysis(a)?;
            } else {
                obs.note(&format!(
                    "article {id}: this version gives it the id {}; keeping its old analysis",
                    a.id
                ));
            }
        }
    }
    obs.done();
    Ok(())
}
