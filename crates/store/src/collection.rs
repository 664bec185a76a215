//! A store with its grouping state: what `parallax ingest` (and later workers) drive.

use crate::articles::{Known, Placed};
use crate::backend::Backend;
use crate::vectors::StoreVectors;
use crate::{Result, Store};
use parallax_core::article::{analyze_article, article_id, content_hash, Article};
use parallax_core::corpus::{analyze_story, Corpus, Placement};
use parallax_core::model::{ArticleInput, Document};
use parallax_core::pipeline::sentence_vectors;
use parallax_core::stories::{read_stored_version, story_analysis_version_for, StoredVersion};
use parallax_core::Options;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
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
    /// Of the stories recomputed, those whose stored analysis another version of the story
    /// analysis had computed (a newer binary, a refitted pair model): see
    /// [`Collection::refresh`].
    pub stories_outdated: usize,
    /// Of the stories recomputed, those this story analysis had aligned with other
    /// embeddings than this run's (on words only where this run has a model, or the other
    /// way round, or another model).
    pub stories_realigned: usize,
    /// True when the cancel flag stopped the run early (everything before it is stored).
    pub interrupted: bool,
}

/// A store and the grouping state rebuilt from it. `S` is the backend: the SQLite [`Store`]
/// by default, or the PostgreSQL [`crate::PgStore`] (where workers hold one each).
pub struct Collection<S: Backend = Store> {
    pub(crate) store: S,
    corpus: Corpus,
    /// Arrival position of the last article replayed into `corpus`.
    last_seq: i64,
    /// How articles are analysed (time budget, embeddings, ...).
    options: Options,
    /// The grouping state lives in the store (SQLite) and `corpus` is a bounded cache of it;
    /// otherwise `corpus` holds all of it, replayed from the stored articles on open.
    /// (`last_seq` is then the newest stored article the cache covers.)
    paged: bool,
    /// Placements not yet written to the store's grouping state (paged only).
    pending: usize,
}

impl Collection<Store> {
    /// Opens the store at `path` and rebuilds the grouping state (see [`Collection::load`]).
    pub fn open(path: &Path, obs: &dyn Observer) -> Result<Collection> {
        Collection::load(Store::open(path)?, obs)
    }

    /// [`Collection::open`] analysing articles (new or stale) with `options`.
    pub fn open_with(path: &Path, options: Options, obs: &dyn Observer) -> Result<Collection> {
        Collection::load_with(Store::open(path)?, options, obs)
    }
}

impl<S: Backend> Collection<S> {
    /// Rebuilds the grouping state of `store`: articles analysed by another version are
    /// re-analysed from their stored input, then every article's features are replayed in
    /// arrival order. Where the replay places an article differently from its row (the
    /// analyzer changed), the row is corrected and both stories are marked for recomputation.
    pub fn load(store: S, obs: &dyn Observer) -> Result<Collection<S>> {
        Collection::load_with(store, Options::default(), obs)
    }

    /// [`Collection::load`] analysing articles (new or stale) with `options`.
    pub fn load_with(mut store: S, options: Options, obs: &dyn Observer) -> Result<Collection<S>> {
        let reanalysed = reanalyse_stale(&mut store, &options, obs)?;
        if let Some(sql) = store.as_sqlite() {
            let (corpus, last_seq) = open_grouping(sql, reanalysed > 0, &options, obs)?;
            return Ok(Collection {
                store,
                corpus,
                last_seq,
                options,
                paged: true,
                pending: 0,
            });
        }
        let total = store.article_count()? as usize;
        obs.start("loading", "articles", total);
        let mut c = Collection {
            store,
            corpus: Corpus::new(),
            last_seq: 0,
            options,
            paged: false,
            pending: 0,
        };
        let broken = c.replay(&|| obs.step(), &|m| obs.note(m))?;
        obs.done();
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

    /// Replays the features of the articles placed since the last replay (by another
    /// process sharing the store), correcting rows the replay places differently. Returns the
    /// ids whose features could not be read (left out of grouping).
    fn replay(&mut self, step: &dyn Fn(), note: &dyn Fn(&str)) -> Result<Vec<String>> {
        let mut moves: Vec<(String, Placement)> = Vec::new();
        let mut broken: Vec<String> = Vec::new();
        let corpus = &mut self.corpus;
        let last = &mut self.last_seq;
        self.store.for_each_placed(*last, &mut |p: Placed| {
            step();
            *last = (*last).max(p.seq);
            let features = match p.features {
                Ok(f) => f,
                Err(e) => {
                    note(&format!("{e}; re-analysing it"));
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
        for (id, placed) in &moves {
            self.store.move_article(id, placed)?;
        }
        if !moves.is_empty() {
            note(&format!(
                "{} article(s) regrouped: the analyzer's grouping changed",
                moves.len()
            ));
        }
        Ok(broken)
    }

    /// Brings the grouping state up to the store: replays the articles other processes
    /// placed since the last call. Returns how many were replayed.
    pub fn catch_up(&mut self, obs: &dyn Observer) -> Result<usize> {
        if self.paged {
            // The store's grouping state is read afresh when another process wrote.
            return Ok(0);
        }
        let before = self.corpus.len();
        for id in self.replay(&|| {}, &|m| obs.note(m))? {
            obs.note(&format!("article {id}: left out of grouping"));
        }
        Ok(self.corpus.len() - before)
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Arrival position of the last article in the grouping state.
    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }

    /// The grouping state, to place articles stored by a worker (see `pg::place`).
    pub(crate) fn parts(&mut self) -> (&mut S, &mut Corpus, &mut i64) {
        (&mut self.store, &mut self.corpus, &mut self.last_seq)
    }

    /// How this collection analyses articles.
    pub fn options(&self) -> &Options {
        &self.options
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
        let stored = match self.store.as_sqlite() {
            Some(sql) => Stored::open(sql),
            None => Stored::Ids(self.corpus.ids().map(str::to_string).collect()),
        };
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
                        let stored = match self.store.as_sqlite() {
                            Some(sql) => sql.insert_grouped(
                                &input,
                                &article,
                                &mut self.corpus,
                                &mut self.last_seq,
                                &mut self.pending,
                            )?,
                            None => match self.corpus.add(&article) {
                                Some(placed) => self
                                    .store
                                    .insert_article(&input, &article, &placed)?
                                    .then_some(placed),
                                None => None,
                            },
                        };
                        if let Some(placed) = stored {
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
        if let Some(sql) = self.store.as_sqlite() {
            // Also after a failure or a cancel: what was stored is placed and written.
            let flushed = sql.flush_grouping(&mut self.corpus, self.last_seq);
            self.pending = 0;
            written?;
            flushed?;
        } else {
            written?;
        }
        obs.done();
        stats.interrupted = cancel.load(Ordering::Relaxed);
        if !stats.interrupted {
            let r = self.refresh(obs, cancel)?;
            stats.stories_updated = r.stored;
            stats.stories_outdated = r.outdated;
            stats.stories_realigned = r.realigned;
            stats.interrupted = cancel.load(Ordering::Relaxed);
        }
        Ok(stats)
    }

    /// The story analysis version a run of this collection records when its embedder works
    /// ([`story_analysis_version_for`] the embedder's model, words only without one): what
    /// [`Collection::refresh`] brings every stored story to.
    pub fn story_version(&self) -> String {
        story_analysis_version_for(self.options.embedder.as_ref().map(|e| e.model_id()))
    }

    /// Recomputes every story marked dirty, in parallel batches. Stories whose stored
    /// analysis differs from what this run computes ([`Collection::story_version`]: another
    /// version of the story analysis, or other embeddings, such as a story stored by an
    /// ingest with `--no-embeddings` while this one has the model) are first marked dirty, so
    /// they are recomputed from their stored articles (vectors from the store's cache) as if
    /// they had changed; a note says why. Stops between batches when `cancel` is set (the
    /// rest stay dirty, and the next refresh takes them).
    pub fn refresh(&mut self, obs: &dyn Observer, cancel: &AtomicBool) -> Result<Refreshed> {
        let current = self.story_version();
        let before = self.store.outdated_versions(&current)?;
        self.store.mark_outdated_stories(&current)?;
        if !before.is_empty() {
            // Dirty ones too: this run recomputes them, for the same reason.
            let n: i64 = before.iter().map(|(_, n)| n).sum();
            obs.note(&format!(
                "recomputing {n} stor{}: {}",
                if n == 1 { "y" } else { "ies" },
                why_outdated(
                    &before,
                    self.options.embedder.as_ref().map(|e| e.model_id())
                )
            ));
        }
        let stored = self.recompute_dirty(obs, cancel)?;
        let (mut outdated, mut realigned) = (0, 0);
        if !before.is_empty() {
            let (older, other) = outdated_kinds(&before);
            let (older_after, other_after) =
                outdated_kinds(&self.store.outdated_versions(&current)?);
            outdated = (older - older_after).max(0) as usize;
            realigned = (other - other_after).max(0) as usize;
        }
        Ok(Refreshed {
            stored,
            outdated,
            realigned,
        })
    }

    /// Recomputes every story marked dirty, in parallel batches; returns how many were
    /// stored.
    fn recompute_dirty(&mut self, obs: &dyn Observer, cancel: &AtomicBool) -> Result<usize> {
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

/// What [`Collection::refresh`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Stories recomputed and stored.
    pub stored: usize,
    /// Of those, the ones another version of the story analysis had computed.
    pub outdated: usize,
    /// Of those, the ones this story analysis had aligned with other embeddings.
    pub realigned: usize,
}

/// How many stories of `versions` (stored versions with their counts) another version of the
/// story analysis computed, and how many this one aligned with other embeddings.
fn outdated_kinds(versions: &[(Option<String>, i64)]) -> (i64, i64) {
    let mut kinds = (0, 0);
    for (v, n) in versions {
        match read_stored_version(v.as_deref()) {
            StoredVersion::Other => kinds.0 += n,
            StoredVersion::Aligned(_) => kinds.1 += n,
        }
    }
    kinds
}

/// Why the stories of `versions` (stored versions outdated for this run, with their counts)
/// are recomputed, for a note: another version of the story analysis, or alignment with other
/// embeddings than `model`, this run's (`None`: words only). With one reason the counts are
/// left out (the note gives the total), e.g. `aligned on words only (embeddings off); this run
/// aligns with the embeddings of all-MiniLM-L6-v2`.
pub(crate) fn why_outdated(versions: &[(Option<String>, i64)], model: Option<&str>) -> String {
    let mut older = 0;
    let mut aligned: BTreeMap<Option<&str>, i64> = BTreeMap::new();
    for (v, n) in versions {
        match read_stored_version(v.as_deref()) {
            StoredVersion::Other => older += n,
            StoredVersion::Aligned(m) => *aligned.entry(m).or_default() += n,
        }
    }
    let one_reason = usize::from(older > 0) + aligned.len() == 1;
    let count = |n: i64| {
        if one_reason {
            String::new()
        } else {
            format!("{n} ")
        }
    };
    let mut parts = Vec::new();
    if older > 0 {
        parts.push(format!(
            "{}analysed by another version of the story analysis",
            count(older)
        ));
    }
    for (m, n) in &aligned {
        parts.push(format!("{}aligned {}", count(*n), aligned_with(*m)));
    }
    let mut why = parts.join(", ");
    if !aligned.is_empty() {
        why.push_str(&format!("; this run aligns {}", aligned_with(model)));
    }
    why
}

/// How claims were aligned, for [`why_outdated`].
fn aligned_with(model: Option<&str>) -> String {
    match model {
        None => "on words only (embeddings off)".to_string(),
        Some(m) => format!("with the embeddings of {m}"),
    }
}

/// Ids already stored, as the reading side of an ingest checks them (on its own thread).
enum Stored {
    /// Every stored id (a collection whose grouping state is in memory anyway).
    Ids(HashSet<String>),
    /// A read-only connection to the SQLite file: one indexed look-up per input, and no
    /// memory that grows with the collection.
    Db(Box<Store>),
    /// No way to check ahead: the writer's own check catches repeats (after analysis).
    Unknown,
}

impl Stored {
    fn open(store: &Store) -> Stored {
        match Store::open_read_only(&store.path) {
            Ok(s) => Stored::Db(Box::new(s)),
            Err(_) => Stored::Unknown,
        }
    }

    fn contains(&self, id: &str) -> bool {
        match self {
            Stored::Ids(ids) => ids.contains(id),
            Stored::Db(s) => !matches!(s.known(id), Ok(Known::New) | Err(_)),
            Stored::Unknown => false,
        }
    }
}

/// The grouping state of a SQLite store: the stored one, or rebuilt from the articles when it
/// is missing, of another version, or `stale` (articles were re-analysed). A rebuild corrects
/// rows it places differently and re-analyses articles whose features cannot be read.
fn open_grouping(
    sql: &mut Store,
    stale: bool,
    options: &Options,
    obs: &dyn Observer,
) -> Result<(Corpus, i64)> {
    let kept = if stale { None } else { sql.grouping_state()? };
    let (mut corpus, mut last_seq, found) = match kept {
        Some(k) => k,
        None => {
            let total = sql.article_count()? as usize;
            obs.start("grouping", "articles", total);
            let r = sql.rebuild_grouping(&|| obs.step())?;
            obs.done();
            r
        }
    };
    if found.moves > 0 {
        obs.note(&format!(
            "{} article(s) regrouped: the analyzer's grouping changed",
            found.moves
        ));
    }
    for (id, why) in found.broken {
        obs.note(&format!("{why}; re-analysing it"));
        match sql.input_of(&id) {
            Ok(input) => {
                let a = analyze_article(input, options);
                sql.replace_analysis(&a)?;
                sql.place_stored(&a, &mut corpus, &mut last_seq)?;
            }
            Err(e) => obs.note(&format!("{e}; left out of grouping")),
        }
    }
    Ok((corpus, last_seq))
}

/// Re-analyses, from their stored inputs, the articles a different analyzer version wrote;
/// returns how many were re-analysed.
fn reanalyse_stale<S: Backend>(
    store: &mut S,
    options: &Options,
    obs: &dyn Observer,
) -> Result<usize> {
    let stale = store.stale_ids()?;
    if stale.is_empty() {
        return Ok(0);
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
    Ok(stale.len())
}
