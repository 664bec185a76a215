//! The grouping state on disk (SQLite): the tables of migration 0003 behind core's
//! [`Backing`], the per-article transaction that places an article and writes what its
//! placement changed, and the rebuild of the state from the stored articles when it is missing
//! or was written by another version.
//!
//! Invariant: the state always matches the stored articles. An article row and the grouping
//! records its placement changed are committed in one transaction (taken with `BEGIN
//! IMMEDIATE`, so no other writer interleaves), and `grouping_meta.arrivals` counts the
//! articles placed. A process whose in-memory [`Corpus`] counts differently (another process
//! wrote meanwhile, or a failed transaction left its cache ahead of the disk) reloads it
//! before placing anything.

use crate::articles::{insert_rows, parse_features};
use crate::{Result, Store, StoreError};
use parallax_core::article::{Article, ANALYZER_VERSION};
use parallax_core::corpus::{Corpus, Placement};
use parallax_core::model::ArticleInput;
use parallax_core::stories::{Backing, BackingError, Changes, Counters, GROUPING_VERSION};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Grouping records kept in memory at most (story states, posting lists, near-copy bands and
/// arrivals, with known absences); beyond it the written ones are dropped and reloaded when an
/// article needs them. A record is at most a few kilobytes (a story centroid), so this bounds
/// the cache to tens of megabytes whatever the size of the collection; an 8-day news window
/// of a busy collection fits in it.
pub(crate) const RESIDENT_BUDGET: usize = 60_000;
/// Articles placed per transaction while rebuilding the state.
const REBUILD_BATCH: usize = 512;

/// What a rebuild did.
#[derive(Debug, Default)]
pub(crate) struct Rebuilt {
    /// Articles whose stored placement differs from the rebuilt one: (id, new placement).
    pub moves: Vec<(String, Placement)>,
    /// Articles whose stored features cannot be read: (id, reason).
    pub broken: Vec<(String, String)>,
}

fn version() -> String {
    format!("{ANALYZER_VERSION}+g{GROUPING_VERSION}")
}

fn err(e: rusqlite::Error) -> BackingError {
    BackingError(e.to_string())
}

/// Core's view of the grouping tables through one connection (or open transaction).
pub(crate) struct SqlBacking<'c> {
    pub conn: &'c Connection,
}

impl Backing for SqlBacking<'_> {
    fn stories(&mut self, n: &[u32]) -> std::result::Result<Vec<Option<Vec<u8>>>, BackingError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT record FROM grouping_stories WHERE number = ?1")
            .map_err(err)?;
        n.iter()
            .map(|k| st.query_row([k], |r| r.get(0)).optional().map_err(err))
            .collect()
    }

    fn postings(
        &mut self,
        keys: &[(u32, i32)],
    ) -> std::result::Result<Vec<Option<Vec<u32>>>, BackingError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT stories FROM grouping_postings WHERE key = ?1 AND bucket = ?2")
            .map_err(err)?;
        keys.iter()
            .map(|(k, b)| {
                let raw: Option<Vec<u8>> = st
                    .query_row(params![k, b], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                raw.map(|r| decode_list(&r, *k, *b)).transpose()
            })
            .collect()
    }

    fn bands(&mut self, keys: &[(u8, u64)]) -> std::result::Result<Vec<Option<u32>>, BackingError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT arrival FROM grouping_bands WHERE band = ?1 AND hash = ?2")
            .map_err(err)?;
        keys.iter()
            .map(|(b, h)| {
                st.query_row(params![b, *h as i64], |r| r.get(0))
                    .optional()
                    .map_err(err)
            })
            .collect()
    }

    fn arrivals(&mut self, n: &[u32]) -> std::result::Result<Vec<Option<Vec<u8>>>, BackingError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT record FROM grouping_arrivals WHERE number = ?1")
            .map_err(err)?;
        n.iter()
            .map(|k| st.query_row([k], |r| r.get(0)).optional().map_err(err))
            .collect()
    }
}

/// A posting list blob: story numbers as little-endian u32.
fn decode_list(raw: &[u8], key: u32, bucket: i32) -> std::result::Result<Vec<u32>, BackingError> {
    if !raw.len().is_multiple_of(4) {
        return Err(BackingError(format!(
            "posting list ({key}, {bucket}) is {} bytes, not a multiple of 4",
            raw.len()
        )));
    }
    Ok(raw
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn encode_list(list: &[u32]) -> Vec<u8> {
    list.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Writes what changed, and the counters, in the caller's transaction.
fn write_changes(conn: &Connection, c: &Changes, last_seq: i64) -> Result<()> {
    let n = &c.counters;
    conn.prepare_cached(
        "INSERT INTO grouping_meta (one, version, last_seq, arrivals, stories, threads, docs)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (one) DO UPDATE SET version = excluded.version,
             last_seq = MAX(last_seq, excluded.last_seq), arrivals = excluded.arrivals,
             stories = excluded.stories, threads = excluded.threads, docs = excluded.docs",
    )?
    .execute(params![
        version(),
        last_seq,
        n.arrivals,
        n.stories,
        n.threads,
        n.docs
    ])?;
    let mut st = conn.prepare_cached(
        "INSERT OR REPLACE INTO grouping_stories (number, record) VALUES (?1, ?2)",
    )?;
    for (k, v) in &c.stories {
        st.execute(params![k, v])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT OR REPLACE INTO grouping_postings (key, bucket, stories) VALUES (?1, ?2, ?3)",
    )?;
    for ((k, b), list) in &c.postings {
        st.execute(params![k, b, encode_list(list)])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT OR REPLACE INTO grouping_bands (band, hash, arrival) VALUES (?1, ?2, ?3)",
    )?;
    for ((b, h), a) in &c.bands {
        st.execute(params![b, *h as i64, a])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT OR REPLACE INTO grouping_arrivals (number, record) VALUES (?1, ?2)",
    )?;
    for (k, v) in &c.arrivals {
        st.execute(params![k, v])?;
    }
    let mut st = conn
        .prepare_cached("INSERT OR REPLACE INTO grouping_frequencies (key, df) VALUES (?1, ?2)")?;
    for (k, df) in &c.frequencies {
        st.execute(params![*k as i64, df])?;
    }
    Ok(())
}

/// The stored state's counters, when a state of this version is there.
fn read_meta(conn: &Connection) -> Result<Option<(Counters, i64)>> {
    let row: Option<(String, i64, i64, i64, i64, i64)> = conn
        .query_row(
            "SELECT version, last_seq, arrivals, stories, threads, docs FROM grouping_meta",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((v, last, arrivals, stories, threads, docs)) = row else {
        return Ok(None);
    };
    if v != version() {
        return Ok(None);
    }
    let n = |x: i64, what: &str| {
        u32::try_from(x).map_err(|_| StoreError::row("grouping state", format!("{what} = {x}")))
    };
    Ok(Some((
        Counters {
            arrivals: n(arrivals, "arrivals")?,
            stories: n(stories, "stories")?,
            threads: n(threads, "threads")?,
            docs: n(docs, "docs")?,
        },
        last,
    )))
}

/// A backed corpus continuing from the stored state (counters and document frequencies).
fn load_corpus(conn: &Connection, counters: Counters) -> Result<Corpus> {
    let mut st = conn.prepare("SELECT key, df FROM grouping_frequencies")?;
    let freq = st
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u32))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Corpus::backed(counters, freq))
}

impl Store {
    /// The grouping state to continue from: the stored one when it is of this version and
    /// covers every stored article, else `None` (the caller rebuilds it).
    pub(crate) fn grouping_state(&self) -> Result<Option<Corpus>> {
        let Some((counters, last)) = read_meta(&self.conn)? else {
            return Ok(None);
        };
        let newest: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
        if newest != last {
            return Ok(None);
        }
        load_corpus(&self.conn, counters).map(Some)
    }

    /// Rebuilds the grouping state from the stored articles in arrival order, a batch per
    /// transaction, with memory bounded by [`RESIDENT_BUDGET`]. `step` is called per article.
    pub(crate) fn rebuild_grouping(&mut self, step: &dyn Fn()) -> Result<(Corpus, Rebuilt)> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM grouping_meta; DELETE FROM grouping_frequencies;
             DELETE FROM grouping_stories; DELETE FROM grouping_postings;
             DELETE FROM grouping_bands; DELETE FROM grouping_arrivals;",
        )?;
        let mut corpus = Corpus::backed(Counters::default(), Vec::new());
        write_changes(&tx, &corpus.take_changes(), 0)?;
        tx.commit()?;
        let mut out = Rebuilt::default();
        let mut after = 0i64;
        loop {
            let batch = self.placed_after(after, REBUILD_BATCH)?;
            let Some(last) = batch.last().map(|b| b.0) else {
                break;
            };
            let tx = self.conn.transaction()?;
            for (seq, id, raw, story, copy_of) in batch {
                step();
                after = seq;
                let features = match parse_features(&id, &raw) {
                    Ok(f) => f,
                    Err(e) => {
                        out.broken.push((id, e.to_string()));
                        continue;
                    }
                };
                let placed = corpus
                    .add_backed(&id, &features, &mut SqlBacking { conn: &tx })
                    .map_err(|e| StoreError::row(format!("article {id}"), e))?;
                if placed.story != story || placed.copy_of != copy_of {
                    out.moves.push((id, placed));
                }
            }
            write_changes(&tx, &corpus.take_changes(), last)?;
            tx.commit()?;
            corpus.shrink(RESIDENT_BUDGET);
        }
        Ok((corpus, out))
    }

    /// (seq, id, features JSON, story, copy_of) of up to `limit` articles after `after`.
    #[allow(clippy::type_complexity)]
    fn placed_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, String, String, String, Option<String>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, id, features, story_id, copy_of FROM articles WHERE seq > ?1
             ORDER BY seq LIMIT ?2",
        )?;
        let rows = st.query_map(params![after, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Places a stored article whose features had to be re-analysed (after a rebuild left
    /// it out) at the end of the arrival order, writing the state in one transaction.
    pub(crate) fn place_stored(&mut self, a: &Article, corpus: &mut Corpus) -> Result<Placement> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        sync(&tx, corpus)?;
        let placed = corpus
            .add_backed(&a.id, &a.features, &mut SqlBacking { conn: &tx })
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let last: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })?;
        write_changes(&tx, &corpus.take_changes(), last)?;
        tx.commit()?;
        corpus.shrink(RESIDENT_BUDGET);
        Ok(placed)
    }

    /// Places a new article with the stored grouping state and stores it, in one transaction
    /// (see the module's invariant). `None` when the id is already stored (nothing changes).
    pub(crate) fn insert_grouped(
        &mut self,
        input: &ArticleInput,
        a: &Article,
        corpus: &mut Corpus,
    ) -> Result<Option<Placement>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Option<i64> = tx
            .query_row("SELECT 1 FROM articles WHERE id = ?1", [&a.id], |r| {
                r.get(0)
            })
            .optional()?;
        if stored.is_some() {
            return Ok(None);
        }
        sync(&tx, corpus)?;
        let placed = corpus
            .add_backed(&a.id, &a.features, &mut SqlBacking { conn: &tx })
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let Some(seq) = insert_rows(&tx, input, a, &placed)? else {
            return Ok(None);
        };
        write_changes(&tx, &corpus.take_changes(), seq)?;
        tx.commit()?;
        corpus.shrink(RESIDENT_BUDGET);
        Ok(Some(placed))
    }
}

/// Reloads `corpus` from the stored state when it does not count the same articles (another
/// process wrote, or an earlier transaction failed after the cache moved on).
fn sync(conn: &Connection, corpus: &mut Corpus) -> Result<()> {
    let Some((counters, _)) = read_meta(conn)? else {
        return Err(StoreError::row(
            "grouping state",
            "missing or of another version; open the collection again to rebuild it",
        ));
    };
    if counters.arrivals as usize != corpus.len() {
        *corpus = load_corpus(conn, counters)?;
    }
    Ok(())
}
