//! Placement and story maintenance with many workers.
//!
//! Grouping is a deterministic function of arrival order, so for the stories of one
//! `parallax analyze` the articles must be placed one at a time in queue order, whichever
//! worker analysed them and whenever it finished. Placement is cheap next to analysis, so it
//! is serialised: whichever worker holds the placement lock (a session advisory lock) first
//! replays into its own grouping state the articles other workers placed since it last held
//! it, then places every stored article of the finished jobs after the cursor, in job order,
//! stopping at the first job still queued or running. Each batch (the articles' arrival
//! numbers and stories, the stories marked dirty, the cursor) is one transaction.
//!
//! Stories are recomputed by any worker under a per-story advisory lock, so two workers never
//! work on one story at once, and stored only at the version they were computed for (the row
//! is locked while checked), so an article placed meanwhile leaves the story dirty for
//! another round rather than being overwritten by a stale analysis.

use super::articles::mark_story;
use super::{PgStore, LOCK_CLASS, PLACEMENT, STORY_CLASS};
use crate::articles::parse_features;
use crate::collection::{why_outdated, Collection, Observer};
use crate::vectors::StoreVectors;
use crate::Result;
use parallax_core::article::Article;
use parallax_core::corpus::analyze_story;
use parallax_core::model::Document;
use parallax_core::pipeline::sentence_vectors;
use parallax_core::Options;
use std::time::Duration;

/// Finished jobs placed per transaction.
const PLACE_BATCH: i64 = 64;

impl Collection<PgStore> {
    /// Connects a worker's collection: waits for the placement lock, rebuilds the grouping
    /// state from the store (re-analysing stale rows, as on open), and lets the lock go; then
    /// marks dirty the stories another version of the story analysis computed.
    pub fn open_postgres(
        url: &str,
        options: Options,
        obs: &dyn Observer,
    ) -> Result<Collection<PgStore>> {
        let mut store = PgStore::connect(url)?;
        store.client_mut().execute(
            "SELECT pg_advisory_lock($1, $2)",
            &[&LOCK_CLASS, &PLACEMENT],
        )?;
        // On an error the connection, and the lock with it, goes with the store.
        let mut c = Collection::load_with(store, options, obs)?;
        c.store_mut().client_mut().execute(
            "SELECT pg_advisory_unlock($1, $2)",
            &[&LOCK_CLASS, &PLACEMENT],
        )?;
        // Stories another version of the story analysis computed, or aligned with other
        // embeddings than this worker's, are recomputed by the workers like any changed story
        // (a fleet upgraded to a new binary or pair model, or given the model).
        let current = c.story_version();
        let versions = c.store().pg_outdated_versions(&current)?;
        let marked = c.store_mut().pg_mark_outdated_stories(&current)?;
        if marked > 0 {
            // All of them, the ones already dirty too (the reason covers them all).
            let n: i64 = versions.iter().map(|(_, n)| n).sum();
            obs.note(&format!(
                "{n} stor{} marked for recomputation: {}",
                if n == 1 { "y" } else { "ies" },
                why_outdated(
                    &versions,
                    c.options().embedder.as_ref().map(|e| e.model_id())
                )
            ));
        }
        Ok(c)
    }

    /// Places the stored articles of finished jobs, in queue order, if no other worker is
    /// placing: `None` when another holds the lock (it will place them), else how many were
    /// placed. After an error the grouping state may be ahead of the store: drop the
    /// collection (a worker exits; a restarted one rebuilds it).
    pub fn place_ready(&mut self, obs: &dyn Observer) -> Result<Option<usize>> {
        let mut total = 0;
        loop {
            let got: bool = self
                .store_mut()
                .client_mut()
                .query_one(
                    "SELECT pg_try_advisory_lock($1, $2)",
                    &[&LOCK_CLASS, &PLACEMENT],
                )?
                .get(0);
            if !got {
                return Ok(if total == 0 { None } else { Some(total) });
            }
            let placed = self.place_locked(obs);
            self.store_mut().client_mut().execute(
                "SELECT pg_advisory_unlock($1, $2)",
                &[&LOCK_CLASS, &PLACEMENT],
            )?;
            total += placed?;
            // A worker that finished a job while this one held the lock found it taken and
            // went on; what it stored is placed here, now that the lock is free again.
            if !self.store().placement_ready()? {
                return Ok(Some(total));
            }
        }
    }

    fn place_locked(&mut self, obs: &dyn Observer) -> Result<usize> {
        self.catch_up(obs)?;
        let mut placed = 0;
        loop {
            let (store, corpus, last_seq) = self.parts();
            let mut tx = store.client_mut().transaction()?;
            let cursor: i64 = tx
                .query_one("SELECT cursor FROM placement WHERE one = 1 FOR UPDATE", &[])?
                .get(0);
            let jobs = tx.query(
                "SELECT seq, status FROM jobs WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&cursor, &PLACE_BATCH],
            )?;
            let ready: Vec<i64> = jobs
                .iter()
                .take_while(|j| matches!(j.get::<_, &str>(1), "done" | "failed"))
                .map(|j| j.get(0))
                .collect();
            let Some(&last_job) = ready.last() else {
                return Ok(placed);
            };
            let rows = tx.query(
                "SELECT id, features FROM articles
                 WHERE seq IS NULL AND job = ANY($1) ORDER BY job, job_part",
                &[&ready],
            )?;
            for r in rows {
                let id: String = r.get(0);
                let features = match parse_features(&id, r.get(1)) {
                    Ok(f) => f,
                    Err(e) => {
                        obs.note(&format!("{e}; left out of grouping"));
                        continue;
                    }
                };
                // `None`: the id is already placed (ids are unique, so only if it was
                // stored directly meanwhile); nothing to do.
                if let Some(p) = corpus.add_features(&id, &features) {
                    let seq: i64 = tx
                        .query_one(
                            "UPDATE articles SET seq = nextval('arrival'), story_id = $2,
                                 copy_of = $3
                             WHERE id = $1 RETURNING seq",
                            &[&id, &p.story, &p.copy_of],
                        )?
                        .get(0);
                    mark_story(&mut tx, &p.story, &p.thread)?;
                    *last_seq = seq;
                    placed += 1;
                }
            }
            tx.execute(
                "UPDATE placement SET cursor = $1 WHERE one = 1",
                &[&last_job],
            )?;
            tx.commit()?;
        }
    }

    /// Recomputes up to `limit` dirty stories that no other worker is recomputing (with
    /// `older_than`, only those dirty for that long). Returns how many were stored.
    pub fn refresh_some(&mut self, limit: i64, older_than: Option<Duration>) -> Result<usize> {
        let dirty = self.store().pg_dirty_stories(older_than, limit)?;
        let mut stored = 0;
        for (id, _) in dirty {
            let got: bool = self
                .store_mut()
                .client_mut()
                .query_one(
                    "SELECT pg_try_advisory_lock($1, hashtext($2))",
                    &[&STORY_CLASS, &id],
                )?
                .get(0);
            if !got {
                continue;
            }
            let r = self.refresh_story(&id);
            self.store_mut().client_mut().execute(
                "SELECT pg_advisory_unlock($1, hashtext($2))",
                &[&STORY_CLASS, &id],
            )?;
            if r? {
                stored += 1;
            }
        }
        Ok(stored)
    }

    /// Recomputes one story if it is still dirty; the version is read before the members,
    /// so the analysis is at least as new as the version it is stored at.
    fn refresh_story(&mut self, id: &str) -> Result<bool> {
        let row = self.store().db()?.query_opt(
            "SELECT version FROM stories WHERE id = $1 AND dirty = 1",
            &[&id],
        )?;
        let Some(version) = row.map(|r| r.get::<_, i64>(0)) else {
            return Ok(false);
        };
        let (members, articles) = self.store().pg_story_members(id)?;
        let refs: Vec<&Article> = articles.iter().collect();
        let docs: Vec<&Document> = articles.iter().map(|a| &a.document).collect();
        let options = self.options().clone();
        let mut cache = StoreVectors {
            store: self.store_mut(),
        };
        let (vectors, alignment) = sentence_vectors(&docs, &options, &mut cache);
        let mut analysis = analyze_story(&members, &refs, vectors.as_ref());
        analysis.alignment = alignment;
        self.store_mut().pg_put_story(&analysis, version, &refs)
    }
}
