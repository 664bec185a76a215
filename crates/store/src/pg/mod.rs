//! The store on PostgreSQL: the tables of the SQLite store with PostgreSQL types, full-text
//! search with `tsvector`/GIN, and the work queue (`jobs`) that workers on many machines
//! drain. The SQL of each part is in its own module; [`PgStore`] answers the [`Backend`]
//! interface like the SQLite [`crate::Store`].
//!
//! Concurrency: every write is one transaction; placement into stories is serialised by a
//! session advisory lock ([`LOCK_CLASS`], [`PLACEMENT`]); a story is recomputed under its own
//! advisory lock and stored only if its version did not move (see [`place`] and
//! ARCHITECTURE.md).

mod articles;
mod export;
mod pages;
pub mod place;
pub mod queue;
mod search;
mod stories;
#[cfg(test)]
mod tests;

use crate::backend::{redact_url, Backend};
use crate::{Result, StoreError};
use postgres::{Client, NoTls};
use std::sync::{Mutex, MutexGuard};

pub use queue::{Claimed, Enqueued, FailedJob, JobPayload, QueueStatus};

/// (version, SQL) of the PostgreSQL migrations, in order; versions match the SQLite ones.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (
        2,
        include_str!("../../migrations/postgres/0002_vectors.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_grouping.sql"),
    ),
    (
        4,
        include_str!("../../migrations/postgres/0004_story_analyzer.sql"),
    ),
];

/// The first key of every advisory lock Parallax takes (`PX`), so they never collide with an
/// application sharing the database.
pub const LOCK_CLASS: i32 = 0x5058;
/// Second keys under [`LOCK_CLASS`].
pub const MIGRATE: i32 = 0;
pub const PLACEMENT: i32 = 1;
/// First key of a story's lock (second key: `hashtext(story id)`).
pub const STORY_CLASS: i32 = LOCK_CLASS + 1;
/// First key of a live worker's lock (second key: its id).
pub const WORKER_CLASS: i32 = LOCK_CLASS + 2;

/// A PostgreSQL store: one connection. Reads take `&self` (the connection sits behind a
/// mutex, so a store can be shared between threads); writes take `&mut self`.
pub struct PgStore {
    client: Mutex<Client>,
    /// The URL without its password, for messages.
    url: String,
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date (concurrent
    /// starts are serialised by an advisory lock, so many workers may start at once).
    pub fn connect(url: &str) -> Result<PgStore> {
        let shown = redact_url(url);
        let client = Client::connect(url, NoTls).map_err(|e| StoreError::Connect {
            url: shown.clone(),
            message: describe_error(&e),
        })?;
        let mut store = PgStore {
            client: Mutex::new(client),
            url: shown,
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let url = self.url.clone();
        let known = crate::schema::SCHEMA_VERSION;
        let mut tx = self.client_mut().transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, $2)",
            &[&LOCK_CLASS, &MIGRATE],
        )?;
        tx.batch_execute(
            "SET LOCAL client_min_messages = warning;
             CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 applied_at TEXT NOT NULL
             )",
        )?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )?
            .get(0);
        if current > known {
            return Err(StoreError::PgTooNew {
                url,
                found: current,
                known,
            });
        }
        for &(version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[&version, &crate::now()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The connection, for reads.
    pub(crate) fn db(&self) -> Result<MutexGuard<'_, Client>> {
        self.client
            .lock()
            .map_err(|_| StoreError::row("connection", "a query on it panicked earlier"))
    }

    /// The connection, for writes.
    pub(crate) fn client_mut(&mut self) -> &mut Client {
        match self.client.get_mut() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The URL without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Row counts of the main tables (as the SQLite store's), sorted by table name.
    pub fn counts(&self) -> Result<Vec<(String, i64)>> {
        let mut db = self.db()?;
        let mut out = Vec::new();
        for t in ["articles", "entities", "search", "stories"] {
            let n: i64 = db
                .query_one(&format!("SELECT COUNT(*) FROM {t}"), &[])?
                .get(0);
            out.push((t.to_string(), n));
        }
        Ok(out)
    }
}

/// A driver error with the server's own message and detail when there is one (the driver's
/// display of a server error is only "db error").
pub(crate) fn describe_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{}: {d}", db.message()),
            None => db.message().to_string(),
        },
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                s.push_str(": ");
                s.push_str(&inner.to_string());
                src = inner.source();
            }
            s
        }
    }
}

impl Backend for PgStore {
    fn describe(&self) -> String {
        self.url.clone()
    }
    fn counts(&self) -> Result<Vec<(String, i64)>> {
        PgStore::counts(self)
    }
    fn article_count(&self) -> Result<i64> {
        self.pg_article_count()
    }
    fn known(&self, id: &str) -> Result<crate::Known> {
        self.pg_known(id)
    }
    fn insert_article(
        &mut self,
        input: &parallax_core::model::ArticleInput,
        article: &parallax_core::article::Article,
        placed: &parallax_core::corpus::Placement,
    ) -> Result<bool> {
        self.pg_insert_article(input, article, placed)
    }
    fn replace_analysis(&mut self, article: &parallax_core::article::Article) -> Result<()> {
        self.pg_replace_analysis(article)
    }
    fn stale_ids(&self) -> Result<Vec<String>> {
        self.pg_stale_ids()
    }
    fn input_of(&self, id: &str) -> Result<parallax_core::model::ArticleInput> {
        self.pg_input_of(id)
    }
    fn for_each_placed(
        &self,
        after: i64,
        f: &mut dyn FnMut(crate::Placed) -> Result<()>,
    ) -> Result<()> {
        self.pg_for_each_placed(after, f)
    }
    fn move_article(&mut self, id: &str, placed: &parallax_core::corpus::Placement) -> Result<()> {
        self.pg_move_article(id, placed)
    }
    fn article(&self, id: &str) -> Result<Option<parallax_core::article::Article>> {
        self.pg_article(id)
    }
    fn story_members(
        &self,
        story: &str,
    ) -> Result<(
        parallax_core::corpus::StoryMembers,
        Vec<parallax_core::article::Article>,
    )> {
        self.pg_story_members(story)
    }
    fn story_articles(
        &self,
        story: &str,
    ) -> Result<Vec<(parallax_core::article::Article, Option<String>)>> {
        self.pg_story_articles(story)
    }
    fn dirty_stories(&self) -> Result<Vec<(String, i64)>> {
        self.pg_dirty_stories(None, i64::MAX)
    }
    fn outdated_stories(&self, current: &str) -> Result<i64> {
        self.pg_outdated_stories(current)
    }
    fn outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>> {
        self.pg_outdated_versions(current)
    }
    fn older_analysis_stories(&self) -> Result<i64> {
        self.pg_older_analysis_stories()
    }
    fn mark_outdated_stories(&mut self, current: &str) -> Result<usize> {
        self.pg_mark_outdated_stories(current)
    }
    fn put_story(
        &mut self,
        analysis: &parallax_core::corpus::StoryAnalysis,
        version: i64,
        members: &[&parallax_core::article::Article],
    ) -> Result<bool> {
        self.pg_put_story(analysis, version, members)
    }
    fn stories(&self, filter: &crate::StoryFilter) -> Result<Vec<crate::StorySummary>> {
        self.pg_stories(filter)
    }
    fn story_analysis(&self, id: &str) -> Result<Option<parallax_core::corpus::StoryAnalysis>> {
        self.pg_story_analysis(id)
    }
    fn entities_named(&self, name: &str) -> Result<Vec<crate::EntityRef>> {
        self.pg_entities_named(name)
    }
    fn search(&self, q: &crate::SearchQuery) -> Result<Vec<crate::Hit>> {
        self.pg_search(q)
    }
    fn for_each_article(
        &self,
        f: &mut dyn FnMut(Result<parallax_core::article::Article>) -> Result<()>,
    ) -> Result<()> {
        self.pg_for_each_article(f)
    }
    fn for_each_claim_row(&self, f: &mut dyn FnMut(crate::ClaimRow) -> Result<()>) -> Result<()> {
        self.pg_for_each_claim_row(f)
    }
    fn for_each_sentence_row(
        &self,
        f: &mut dyn FnMut(crate::SentenceRow) -> Result<()>,
    ) -> Result<()> {
        self.pg_for_each_sentence_row(f)
    }
    fn cached_vectors(&self, model: &str, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>> {
        let rows = self.db()?.query(
            "SELECT hash, vector FROM vectors WHERE model = $1 AND hash = ANY($2)",
            &[&model, &keys],
        )?;
        let found: std::collections::HashMap<Vec<u8>, Vec<u8>> =
            rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
    }
    fn keep_vectors(&mut self, model: &str, rows: &[(Vec<u8>, Vec<u8>)]) -> Result<()> {
        let (keys, blobs): (Vec<&[u8]>, Vec<&[u8]>) = rows
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .unzip();
        self.client_mut().execute(
            "INSERT INTO vectors (model, hash, vector)
             SELECT $1, k, v FROM unnest($2::BYTEA[], $3::BYTEA[]) AS u(k, v)
             ON CONFLICT (model, hash) DO NOTHING",
            &[&model, &keys, &blobs],
        )?;
        Ok(())
    }
    fn story_count(&self, f: &crate::StoryFilter) -> Result<i64> {
        self.pg_story_count(f)
    }
    fn story_summary(&self, id: &str) -> Result<Option<crate::StorySummary>> {
        self.pg_story_summary(id)
    }
    fn article_row(&self, id: &str) -> Result<Option<crate::ArticleRow>> {
        self.pg_article_row(id)
    }
    fn story_article_rows(&self, story: &str) -> Result<Vec<crate::ArticleRow>> {
        self.pg_story_article_rows(story)
    }
    fn entity(&self, id: &str) -> Result<Option<crate::EntityRef>> {
        self.pg_entity(id)
    }
    fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<crate::EntityRef>> {
        self.pg_namesakes(id, limit, offset)
    }
    fn namesake_count(&self, id: &str) -> Result<i64> {
        self.pg_namesake_count(id)
    }
    fn outlets(&self, limit: usize) -> Result<Vec<crate::OutletCount>> {
        self.pg_outlets(limit)
    }
    fn as_postgres(&mut self) -> Option<&mut PgStore> {
        Some(self)
    }
}
