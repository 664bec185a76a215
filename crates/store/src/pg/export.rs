//! Export rows on PostgreSQL: the same rows as the SQLite store's, built by the same
//! functions, read a page at a time.

use super::articles::PAGE;
use super::PgStore;
use crate::articles::parse_article;
use crate::export::{claim_rows, sentence_rows, ArticleMeta, ClaimRow, SentenceRow};
use crate::{Result, StoreError};
use parallax_core::corpus::StoryAnalysis;

impl PgStore {
    pub(crate) fn pg_for_each_claim_row(
        &self,
        f: &mut dyn FnMut(ClaimRow) -> Result<()>,
    ) -> Result<()> {
        let mut last = 0i64;
        loop {
            let rows = self.db()?.query(
                "SELECT seq, id, analysis FROM stories
                 WHERE analysis IS NOT NULL AND seq > $1 ORDER BY seq LIMIT $2",
                &[&last, &PAGE],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in rows {
                last = r.get(0);
                let id: String = r.get(1);
                let raw: String = r.get(2);
                let a: StoryAnalysis = serde_json::from_str(&raw)
                    .map_err(|e| StoreError::row(format!("story {id}"), e))?;
                let meta = self.article_meta(&a.story.documents)?;
                claim_rows(&a, &meta, f)?;
            }
        }
    }

    pub(crate) fn pg_for_each_sentence_row(
        &self,
        f: &mut dyn FnMut(SentenceRow) -> Result<()>,
    ) -> Result<()> {
        let mut last = 0i64;
        loop {
            let rows = self.db()?.query(
                "SELECT seq, id, story_id, analysis FROM articles
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&last, &PAGE],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in rows {
                last = r.get(0);
                let id: String = r.get(1);
                let story: Option<String> = r.get(2);
                let raw: String = r.get(3);
                let a = parse_article(&id, &raw)?;
                sentence_rows(&a, story.as_deref().unwrap_or(""), f)?;
            }
        }
    }

    /// (id, outlet, published) of the given articles, in the order given.
    fn article_meta(&self, ids: &[String]) -> Result<Vec<ArticleMeta>> {
        let rows = self.db()?.query(
            "SELECT id, outlet, published FROM articles WHERE id = ANY($1)",
            &[&ids],
        )?;
        let found: Vec<ArticleMeta> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        ids.iter()
            .map(|id| {
                found
                    .iter()
                    .find(|m| &m.0 == id)
                    .cloned()
                    .ok_or_else(|| StoreError::row(format!("article {id}"), "not stored"))
            })
            .collect()
    }
}
