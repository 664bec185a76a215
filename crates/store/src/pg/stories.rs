//! Story rows on PostgreSQL: the stories to recompute, storing a story's analysis with its
//! entities (only at the version it was computed for), and the story list.

use super::pages::{sql_args, story_conditions};
use super::search::insert_entity_row;
use super::PgStore;
use crate::pages::{entity_row, summary_row, ENTITY_COLUMNS, SUMMARY_COLUMNS};
use crate::stories::{
    older_base, outdated, outdated_versions_sql, story_figures, type_name, EntityRef, StoryFilter,
    StorySummary,
};
use crate::{Result, StoreError};
use parallax_core::article::Article;
use parallax_core::corpus::StoryAnalysis;
use parallax_core::stories::{story_analysis_version, story_analysis_version_of};
use std::time::Duration;

impl PgStore {
    /// As the SQLite store's `outdated_stories`.
    pub(crate) fn pg_outdated_stories(&self, current: &str) -> Result<i64> {
        let (cond, value) = outdated(current, "$1");
        Ok(self
            .db()?
            .query_one(
                &format!("SELECT COUNT(*) FROM stories WHERE {cond}"),
                &[&value],
            )?
            .get(0))
    }

    /// As the SQLite store's `outdated_versions`.
    pub(crate) fn pg_outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>> {
        let (sql, value) = outdated_versions_sql(current, "$1");
        Ok(self
            .db()?
            .query(&sql, &[&value])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    /// As the SQLite store's `older_analysis_stories`.
    pub(crate) fn pg_older_analysis_stories(&self) -> Result<i64> {
        Ok(self
            .db()?
            .query_one(
                &format!("SELECT COUNT(*) FROM stories WHERE {}", older_base("$1")),
                &[&story_analysis_version()],
            )?
            .get(0))
    }

    /// As the SQLite store's `mark_outdated_stories`; `dirty_since` is now, so busy workers
    /// recompute them after `WorkerOptions::story_delay` like any story that changed.
    pub(crate) fn pg_mark_outdated_stories(&mut self, current: &str) -> Result<usize> {
        let (cond, value) = outdated(current, "$1");
        let n = self.client_mut().execute(
            &format!(
                "UPDATE stories SET dirty = 1, dirty_since = now()
                 WHERE dirty = 0 AND {cond}"
            ),
            &[&value],
        )?;
        Ok(n as usize)
    }

    /// Dirty stories with their version, in creation order: at most `limit`, and with
    /// `older_than` only those dirty for at least that long.
    pub(crate) fn pg_dirty_stories(
        &self,
        older_than: Option<Duration>,
        limit: i64,
    ) -> Result<Vec<(String, i64)>> {
        let secs = older_than.map_or(-1.0, |d| d.as_secs_f64());
        let rows = self.db()?.query(
            "SELECT id, version FROM stories
             WHERE dirty = 1 AND ($1::FLOAT8 < 0 OR dirty_since <= now() - make_interval(secs => $1::FLOAT8))
             ORDER BY seq LIMIT $2",
            &[&secs, &limit],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// As the SQLite store's `put_story`; the story row is locked while its version is
    /// checked and its analysis written, so an article joining meanwhile either waits (and
    /// marks it dirty again after) or made the version differ (nothing stored).
    pub(crate) fn pg_put_story(
        &mut self,
        a: &StoryAnalysis,
        version: i64,
        members: &[&Article],
    ) -> Result<bool> {
        let json = serde_json::to_string(a)
            .map_err(|e| StoreError::row(format!("story {}", a.story.id), e))?;
        let mut tx = self.client_mut().transaction()?;
        let current: Option<i64> = tx
            .query_opt(
                "SELECT version FROM stories WHERE id = $1 FOR UPDATE",
                &[&a.story.id],
            )?
            .map(|r| r.get(0));
        if current != Some(version) {
            return Ok(false);
        }
        // Old entities go first; their search rows go with them (ON DELETE CASCADE).
        tx.execute("DELETE FROM entities WHERE story_id = $1", &[&a.story.id])?;
        if members.is_empty() {
            tx.execute("DELETE FROM stories WHERE id = $1", &[&a.story.id])?;
            tx.commit()?;
            return Ok(true);
        }
        let f = story_figures(a, members);
        tx.execute(
            "UPDATE stories SET label = $2, articles = $3, outlets = $4, first_published = $5,
                 last_published = $6, agreed = $7, only_in = $8, conflicts = $9,
                 updated_at = $10, dirty = 0, dirty_since = NULL, analysis = $11,
                 analyzer = $12
             WHERE id = $1",
            &[
                &a.story.id,
                &a.story.label,
                &(members.len() as i64),
                &f.outlets_json,
                &f.first,
                &f.last,
                &f.agreed,
                &f.only_in,
                &f.conflicts,
                &crate::now(),
                &json,
                &story_analysis_version_of(&a.alignment),
            ],
        )?;
        for e in &a.entities {
            let seq: i64 = tx
                .query_one(
                    "INSERT INTO entities (id, story_id, name, key, type, aliases, mentions)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
                    &[
                        &e.id,
                        &a.story.id,
                        &e.name,
                        &parallax_core::entities::name_key(&e.name),
                        &type_name(e.ty),
                        &serde_json::to_string(&e.aliases).unwrap_or_else(|_| "[]".into()),
                        &(e.mentions.len() as i64),
                    ],
                )?
                .get(0);
            let mut names = vec![e.name.as_str()];
            names.extend(
                e.aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|x| *x != e.name),
            );
            insert_entity_row(&mut tx, seq, &names.join(" · "))?;
        }
        tx.commit()?;
        Ok(true)
    }

    pub(crate) fn pg_stories(&self, f: &StoryFilter) -> Result<Vec<StorySummary>> {
        let limit = if f.limit == 0 { 50 } else { f.limit } as i64;
        let (cond, args) = story_conditions(f);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories s WHERE {cond}
             ORDER BY last_published IS NULL, last_published COLLATE \"C\" DESC, seq DESC
             LIMIT {limit} OFFSET {}",
            f.offset as i64
        );
        self.db()?
            .query(&sql, &sql_args(&args))?
            .iter()
            .map(summary_row)
            .collect()
    }

    pub(crate) fn pg_story_analysis(&self, id: &str) -> Result<Option<StoryAnalysis>> {
        let raw: Option<String> = self
            .db()?
            .query_opt("SELECT analysis FROM stories WHERE id = $1", &[&id])?
            .and_then(|r| r.get(0));
        raw.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::row(format!("story {id}"), e)))
            .transpose()
    }

    pub(crate) fn pg_entities_named(&self, name: &str) -> Result<Vec<EntityRef>> {
        let key = parallax_core::entities::name_key(name);
        self.db()?
            .query(
                &format!(
                    "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
                     WHERE e.key = $1 ORDER BY s.seq DESC LIMIT 500"
                ),
                &[&key],
            )?
            .iter()
            .map(entity_row)
            .collect()
    }
}
