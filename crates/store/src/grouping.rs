//! The grouping state on disk (SQLite): the tables of migration 0003 behind core's
//! [`Backing`], the per-article transaction that places an article and writes what its
//! placement changed, and the rebuild of the state from the stored articles when it is missing
//! or was written by another version.
//!
//! Invariant: the written state covers exactly the stored articles up to
//! `grouping_meta.last_seq`, and those after it are placed by replaying them in arrival order
//! (placement is deterministic, so the replay gives what the first placement gave). An ingest
//! places each article in its own `BEGIN IMMEDIATE` transaction (no other writer interleaves)
//! and writes the changed records every [`FLUSH_EVERY`] articles and at its end. A process
//! whose cache does not end at the newest stored article (another process wrote meanwhile, or
//! a failed transaction left its cache ahead of the file) reloads and replays before placing.

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
/// An ingest writes the grouping records every this many articles (in that article's
/// transaction) and at its end, rather than with every article: a busy story's centroid and
/// a common key's posting list change with most articles, and writing them once per interval
/// instead of each time is most of the write cost. After a kill the next open replays at most
/// this many stored articles to catch up (the state records up to which article it is written).
pub(crate) const FLUSH_EVERY: usize = 256;

/// What a rebuild did.
#[derive(Debug, Default)]
pub(crate) struct Rebuilt {
    /// Articles whose stored placement differed from the replayed one (their rows are moved).
    pub moves: usize,
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

    /// One range scan per key rather than one look-up per (key, bucket): an article asks for
    /// about 20 keys in 10-15 buckets each, most of them empty, and the buckets of one key lie
    /// close together (around its days) apart from the two special buckets at the bottom.
    fn postings(
        &mut self,
        keys: &[(u32, i32)],
    ) -> std::result::Result<Vec<Option<Vec<u32>>>, BackingError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT bucket, stories FROM grouping_postings
                 WHERE key = ?1 AND bucket >= ?2 AND bucket <= ?3",
            )
            .map_err(err)?;
        let mut found: std::collections::HashMap<(u32, i32), Vec<u8>> =
            std::collections::HashMap::new();
        let mut scan = |key: u32, lo: i32, hi: i32| -> std::result::Result<(), BackingError> {
            let rows = st
                .query_map(params![key, lo, hi], |r| {
                    Ok((r.get::<_, i32>(0)?, r.get::<_, Vec<u8>>(1)?))
                })
                .map_err(err)?;
            for row in rows {
                let (b, raw) = row.map_err(err)?;
                found.insert((key, b), raw);
            }
            Ok(())
        };
        let mut i = 0;
        while i < keys.len() {
            let key = keys[i].0;
            let j = i + keys[i..].iter().take_while(|k| k.0 == key).count();
            let buckets: Vec<i32> = keys[i..j].iter().map(|k| k.1).collect();
            let special: Vec<i32> = buckets
                .iter()
                .copied()
                .filter(|&b| b <= SPECIAL_MAX)
                .collect();
            let days: Vec<i32> = buckets
                .iter()
                .copied()
                .filter(|&b| b > SPECIAL_MAX)
                .collect();
            if let (Some(lo), Some(hi)) = (special.iter().min(), special.iter().max()) {
                scan(key, *lo, *hi)?;
            }
            if let (Some(lo), Some(hi)) = (days.iter().min(), days.iter().max()) {
                if i64::from(*hi) - i64::from(*lo) <= MAX_SPAN {
                    scan(key, *lo, *hi)?;
                } else {
                    for &b in &days {
                        scan(key, b, b)?;
                    }
                }
            }
            i = j;
        }
        keys.iter()
            .map(|&(k, b)| {
                found
                    .get(&(k, b))
                    .map(|raw| decode_list(raw, k, b))
                    .transpose()
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

/// Buckets at or below this are the story index's special buckets (undated, any day).
const SPECIAL_MAX: i32 = parallax_core::stories::index::LAST_SPECIAL_BUCKET;
/// Widest run of day buckets read in one range scan; beyond it each bucket is looked up alone.
const MAX_SPAN: i64 = 32;

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

fn newest_seq(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })?,
    )
}

/// Places the next (up to `limit`) stored articles after arrival position `after` with
/// `corpus`, in the caller's transaction: rows the placement puts elsewhere are moved, rows
/// whose features cannot be read are listed; then the changed records are written (the state
/// now covers them) and the cache shrunk. The last position placed, or `None` when there was
/// nothing after `after`.
fn replay_batch(
    conn: &Connection,
    corpus: &mut Corpus,
    after: i64,
    limit: usize,
    out: &mut Rebuilt,
    step: &dyn Fn(),
) -> Result<Option<i64>> {
    #[allow(clippy::type_complexity)]
    let batch: Vec<(i64, String, String, String, Option<String>)> = {
        let mut st = conn.prepare_cached(
            "SELECT seq, id, features, story_id, copy_of FROM articles WHERE seq > ?1
             ORDER BY seq LIMIT ?2",
        )?;
        let rows = st.query_map(params![after, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let Some(last) = batch.last().map(|b| b.0) else {
        return Ok(None);
    };
    for (_, id, raw, story, copy_of) in batch {
        step();
        let features = match parse_features(&id, &raw) {
            Ok(f) => f,
            Err(e) => {
                out.broken.push((id, e.to_string()));
                continue;
            }
        };
        let placed = corpus
            .add_backed(&id, &features, &mut SqlBacking { conn })
            .map_err(|e| StoreError::row(format!("article {id}"), e))?;
        if placed.story != story || placed.copy_of != copy_of {
            move_rows(conn, &id, &placed)?;
            out.moves += 1;
        }
    }
    write_changes(conn, &corpus.take_changes(), last)?;
    corpus.shrink(RESIDENT_BUDGET);
    Ok(Some(last))
}

impl Store {
    /// The stored grouping state when it is of this version, brought up to the newest
    /// article by replaying the articles stored after its last write (an ingest writes the
    /// state every [`FLUSH_EVERY`] articles and at its end, so after a kill at most that
    /// many); `None` when there is none of this version (the caller rebuilds it). Returns the
    /// corpus, the newest arrival position it covers, and what the replay found.
    pub(crate) fn grouping_state(&mut self) -> Result<Option<(Corpus, i64, Rebuilt)>> {
        let Some((counters, flushed)) = read_meta(&self.conn)? else {
            return Ok(None);
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut corpus = load_corpus(&tx, counters)?;
        let mut out = Rebuilt::default();
        let mut after = flushed;
        while let Some(last) =
            replay_batch(&tx, &mut corpus, after, REBUILD_BATCH, &mut out, &|| {})?
        {
            after = last;
        }
        let newest = newest_seq(&tx)?;
        tx.commit()?;
        Ok(Some((corpus, newest, out)))
    }

    /// Rebuilds the grouping state from the stored articles in arrival order, a batch per
    /// transaction, with memory bounded by [`RESIDENT_BUDGET`]. `step` is called per article.
    /// Returns the corpus, the newest arrival position it covers, and what the replay found.
    pub(crate) fn rebuild_grouping(&mut self, step: &dyn Fn()) -> Result<(Corpus, i64, Rebuilt)> {
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
            let tx = self.conn.transaction()?;
            let got = replay_batch(&tx, &mut corpus, after, REBUILD_BATCH, &mut out, step)?;
            tx.commit()?;
            match got {
                Some(last) => after = last,
                None => break,
            }
        }
        Ok((corpus, after, out))
    }

    /// Places a stored article whose features had to be re-analysed (a rebuild left it
    /// out) at the end of the arrival order, moving its rows, and writes the state.
    pub(crate) fn place_stored(
        &mut self,
        a: &Article,
        corpus: &mut Corpus,
        last_seq: &mut i64,
    ) -> Result<Placement> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        sync(&tx, corpus, last_seq)?;
        let seen = std::mem::replace(last_seq, -1);
        let placed = corpus
            .add_backed(&a.id, &a.features, &mut SqlBacking { conn: &tx })
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        move_rows(&tx, &a.id, &placed)?;
        write_changes(&tx, &corpus.take_changes(), seen)?;
        tx.commit()?;
        *last_seq = seen;
        corpus.shrink(RESIDENT_BUDGET);
        Ok(placed)
    }

    /// Places a new article with the grouping state and stores it, in one transaction (see
    /// the module's invariant). `last_seq` is the newest arrival position `corpus` covers;
    /// `pending` counts placements not yet written. `None` when the id is already stored
    /// (nothing changes).
    pub(crate) fn insert_grouped(
        &mut self,
        input: &ArticleInput,
        a: &Article,
        corpus: &mut Corpus,
        last_seq: &mut i64,
        pending: &mut usize,
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
        if sync(&tx, corpus, last_seq)? {
            *pending = 0;
        }
        // Until this transaction commits, the cache may be ahead of the file: a failure
        // below leaves `last_seq` unknown, so the next call reloads.
        *last_seq = -1;
        let placed = corpus
            .add_backed(&a.id, &a.features, &mut SqlBacking { conn: &tx })
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let Some(seq) = insert_rows(&tx, input, a, &placed)? else {
            return Ok(None);
        };
        *pending += 1;
        let flush = *pending >= FLUSH_EVERY;
        if flush {
            write_changes(&tx, &corpus.take_changes(), seq)?;
        }
        tx.commit()?;
        *last_seq = seq;
        if flush {
            *pending = 0;
        }
        corpus.shrink(RESIDENT_BUDGET);
        Ok(Some(placed))
    }

    /// Writes the placements not yet written (the end of an ingest). Skipped when another
    /// process stored articles since (`last_seq` is not the newest): the next open replays
    /// them from the stored articles.
    pub(crate) fn flush_grouping(&mut self, corpus: &mut Corpus, last_seq: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let flushed = read_meta(&tx)?.map(|m| m.1);
        if newest_seq(&tx)? != last_seq || flushed.is_none_or(|f| f > last_seq) {
            return Ok(());
        }
        write_changes(&tx, &corpus.take_changes(), last_seq)?;
        tx.commit()?;
        corpus.shrink(RESIDENT_BUDGET);
        Ok(())
    }
}

/// Moves an article's row to another story (after a regrouping), marking both stories, in
/// the caller's transaction.
pub(crate) fn move_rows(conn: &Connection, id: &str, placed: &Placement) -> Result<()> {
    let (story, copy_of) = (placed.story.as_str(), placed.copy_of.as_deref());
    conn.execute(
        "UPDATE stories SET dirty = 1, version = version + 1
         WHERE id = (SELECT story_id FROM articles WHERE id = ?1)",
        [id],
    )?;
    conn.execute(
        "UPDATE articles SET story_id = ?2, copy_of = ?3 WHERE id = ?1",
        params![id, story, copy_of],
    )?;
    conn.execute(
        "INSERT INTO stories (id, thread, dirty, version) VALUES (?1, ?2, 1, 1)
         ON CONFLICT (id) DO UPDATE SET dirty = 1, version = stories.version + 1,
             thread = excluded.thread",
        [story, placed.thread.as_str()],
    )?;
    Ok(())
}

/// Brings `corpus` up to the store when another process stored articles since `last_seq`
/// (or a failed transaction left it unknown): reloads the written state and replays the
/// articles after it. True when it reloaded (placements not yet written are then dropped:
/// the replay re-derives them from the stored articles).
fn sync(conn: &Connection, corpus: &mut Corpus, last_seq: &mut i64) -> Result<bool> {
    let newest = newest_seq(conn)?;
    if newest == *last_seq {
        return Ok(false);
    }
    let Some((counters, flushed)) = read_meta(conn)? else {
        return Err(StoreError::row(
            "grouping state",
            "missing or of another version; open the collection again to rebuild it",
        ));
    };
    *corpus = load_corpus(conn, counters)?;
    let mut out = Rebuilt::default();
    let mut after = flushed;
    while let Some(last) = replay_batch(conn, corpus, after, REBUILD_BATCH, &mut out, &|| {})? {
        after = last;
    }
    *last_seq = newest;
    Ok(true)
}
