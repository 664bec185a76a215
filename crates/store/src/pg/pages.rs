//! The web pages' read queries on PostgreSQL (the SQLite ones are in ../pages.rs, whose row
//! builders both use), and read-only connections for a server.

use super::{describe_error, PgStore};
use crate::articles::outlet_key;
use crate::backend::redact_url;
use crate::pages::{
    article_row, entity_row, outlet_count, summary_row, ArticleRow, OutletCount, ARTICLE_COLUMNS,
    ENTITY_COLUMNS, SUMMARY_COLUMNS,
};
use crate::schema::SCHEMA_VERSION;
use crate::stories::{EntityRef, StoryFilter, StorySummary};
use crate::{Result, StoreError};
use postgres::types::ToSql;
use postgres::{Client, NoTls};
use std::sync::Mutex;

/// The conditions of the story list over `stories s`, with their arguments (`$1`...).
/// `COLLATE "C"`: ISO dates and the U+10FFFF bound compare by code point, as on SQLite.
pub(crate) fn story_conditions(f: &StoryFilter) -> (String, Vec<String>) {
    let mut sql = String::from("s.articles > 0");
    let mut args: Vec<String> = Vec::new();
    if let Some(o) = &f.outlet {
        args.push(outlet_key(o));
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet_key = ${})",
            args.len()
        ));
    }
    if let Some(d) = &f.since {
        args.push(d.clone());
        sql.push_str(&format!(
            " AND s.last_published COLLATE \"C\" >= ${}",
            args.len()
        ));
    }
    if let Some(d) = &f.until {
        args.push(format!("{d}\u{10FFFF}"));
        sql.push_str(&format!(
            " AND s.first_published COLLATE \"C\" <= ${}",
            args.len()
        ));
    }
    (sql, args)
}

/// The arguments as the driver takes them.
pub(crate) fn sql_args(args: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

impl PgStore {
    /// Connects to an existing store for reading only (a server's connections): no
    /// migration, and every transaction of the session is read-only. Fails when the
    /// database is not a Parallax store or its schema is not this build's.
    pub fn connect_read_only(url: &str) -> Result<PgStore> {
        let shown = redact_url(url);
        let mut client = Client::connect(url, NoTls).map_err(|e| StoreError::Connect {
            url: shown.clone(),
            message: describe_error(&e),
        })?;
        let not_store = |message: String| StoreError::File {
            path: shown.clone(),
            message,
        };
        let version: i64 = client
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )
            .map_err(|e| {
                not_store(format!(
                    "not a Parallax store (run `parallax ingest --db URL` first): {}",
                    describe_error(&e)
                ))
            })?
            .try_get(0)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::PgTooNew {
                url: shown,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(not_store(format!(
                "schema version {version} is older than this parallax's ({SCHEMA_VERSION}); \
                 connect once with `parallax ingest --db URL` or `parallax worker` to upgrade"
            )));
        }
        client.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
        Ok(PgStore {
            client: Mutex::new(client),
            url: shown,
        })
    }

    pub(crate) fn pg_story_count(&self, f: &StoryFilter) -> Result<i64> {
        let (cond, args) = story_conditions(f);
        let row = self.db()?.query_one(
            &format!("SELECT COUNT(*) FROM stories s WHERE {cond}"),
            &sql_args(&args),
        )?;
        Ok(row.try_get(0)?)
    }

    pub(crate) fn pg_story_summary(&self, id: &str) -> Result<Option<StorySummary>> {
        self.db()?
            .query_opt(
                &format!("SELECT {SUMMARY_COLUMNS} FROM stories WHERE id = $1"),
                &[&id],
            )?
            .map(|r| summary_row(&r))
            .transpose()
    }

    /// Articles waiting for placement (stored by a worker, no story yet) are not shown.
    pub(crate) fn pg_article_row(&self, id: &str) -> Result<Option<ArticleRow>> {
        self.db()?
            .query_opt(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles
                     WHERE id = $1 AND seq IS NOT NULL AND story_id IS NOT NULL"
                ),
                &[&id],
            )?
            .map(|r| article_row(&r))
            .transpose()
    }

    pub(crate) fn pg_story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>> {
        self.db()?
            .query(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles
                     WHERE story_id = $1 AND seq IS NOT NULL ORDER BY seq"
                ),
                &[&story],
            )?
            .iter()
            .map(article_row)
            .collect()
    }

    pub(crate) fn pg_entity(&self, id: &str) -> Result<Option<EntityRef>> {
        self.db()?
            .query_opt(
                &format!(
                    "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
                     WHERE e.id = $1"
                ),
                &[&id],
            )?
            .map(|r| entity_row(&r))
            .transpose()
    }

    pub(crate) fn pg_namesakes(
        &self,
        id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityRef>> {
        let (limit, offset) = (limit as i64, offset as i64);
        self.db()?
            .query(
                &format!(
                    "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
                     WHERE e.key = (SELECT key FROM entities WHERE id = $1)
                     ORDER BY s.seq DESC, e.seq LIMIT $2 OFFSET $3"
                ),
                &[&id, &limit, &offset],
            )?
            .iter()
            .map(entity_row)
            .collect()
    }

    pub(crate) fn pg_namesake_count(&self, id: &str) -> Result<i64> {
        let row = self.db()?.query_one(
            "SELECT COUNT(*) FROM entities WHERE key = (SELECT key FROM entities WHERE id = $1)",
            &[&id],
        )?;
        Ok(row.try_get(0)?)
    }

    /// As on SQLite, over placed articles; outlet keys order by code point.
    pub(crate) fn pg_outlets(&self, limit: usize) -> Result<Vec<OutletCount>> {
        let limit = limit as i64;
        self.db()?
            .query(
                "SELECT a.outlet, c.n FROM
                     (SELECT MIN(seq) AS first, COUNT(*) AS n FROM articles
                      WHERE seq IS NOT NULL AND outlet_key IS NOT NULL AND outlet_key <> ''
                      GROUP BY outlet_key) c
                 JOIN articles a ON a.seq = c.first
                 ORDER BY c.n DESC, a.outlet_key COLLATE \"C\" LIMIT $1",
                &[&limit],
            )?
            .iter()
            .map(outlet_count)
            .collect()
    }
}
