//! Article rows on PostgreSQL: insertion (placed at once, or waiting for placement when a
//! worker stores them), look-ups, and the replay of grouping features.

use super::search::insert_article_rows;
use super::PgStore;
use crate::articles::{outlet_key, parse_article, parse_features, Known, Placed};
use crate::{Result, StoreError};
use parallax_core::article::{Article, ANALYZER_VERSION};
use parallax_core::corpus::{Placement, StoryMembers};
use parallax_core::model::ArticleInput;
use postgres::GenericClient;

/// Rows read per round trip when walking a table.
pub(crate) const PAGE: i64 = 500;

/// Where a new article row goes: placed now (the direct path), or waiting for placement as
/// part `part` of queue job `job`.
pub(crate) enum Slot<'a> {
    Placed(&'a Placement),
    Waiting { job: i64, part: i32 },
}

/// Inserts an article row (and its search rows); false when the id is already stored.
/// A placed row gets the next arrival number and marks its story.
pub(crate) fn insert_row(
    db: &mut impl GenericClient,
    input: &ArticleInput,
    a: &Article,
    slot: Slot<'_>,
) -> Result<bool> {
    let json = |what: &str, r: serde_json::Result<String>| {
        r.map_err(|e| StoreError::row(format!("article {} ({what})", a.id), e))
    };
    let input_json = json("input", serde_json::to_string(input))?;
    let analysis = json("analysis", serde_json::to_string(a))?;
    let features = json("features", serde_json::to_string(&a.features))?;
    let d = &a.document;
    let (story, copy_of, job, part) = match &slot {
        Slot::Placed(p) => (Some(p.story.as_str()), p.copy_of.as_deref(), None, 0),
        Slot::Waiting { job, part } => (None, None, Some(*job), *part),
    };
    let placed = matches!(slot, Slot::Placed(_));
    let inserted = db.execute(
        "INSERT INTO articles (seq, id, content_hash, url, source, title, outlet, outlet_key,
             published, language, word_count, added_at, analyzer, input, analysis, features,
             story_id, copy_of, job, job_part)
         VALUES (CASE WHEN $1 THEN nextval('arrival') END, $2, $3, $4, $5, $6, $7, $8, $9,
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         ON CONFLICT (id) DO NOTHING",
        &[
            &placed,
            &a.id,
            &a.content_hash,
            &d.url,
            &d.source,
            &d.title,
            &d.outlet,
            &d.outlet.as_deref().map(outlet_key),
            &d.published,
            &d.language,
            &(d.word_count as i64),
            &crate::now(),
            &a.analyzer,
            &input_json,
            &analysis,
            &features,
            &story,
            &copy_of,
            &job,
            &part,
        ],
    )?;
    if inserted == 0 {
        return Ok(false);
    }
    if let Slot::Placed(p) = slot {
        mark_story(db, &p.story, &p.thread)?;
    }
    insert_article_rows(db, a)?;
    Ok(true)
}

/// Creates a story (dirty) or marks it dirty with its version bumped.
pub(crate) fn mark_story(db: &mut impl GenericClient, story: &str, thread: &str) -> Result<()> {
    db.execute(
        "INSERT INTO stories (id, thread, dirty, version, dirty_since) VALUES ($1, $2, 1, 1, now())
         ON CONFLICT (id) DO UPDATE SET dirty = 1, version = stories.version + 1,
             dirty_since = COALESCE(stories.dirty_since, now())",
        &[&story, &thread],
    )?;
    Ok(())
}

impl PgStore {
    pub(crate) fn pg_known(&self, id: &str) -> Result<Known> {
        let row = self
            .db()?
            .query_opt("SELECT analyzer FROM articles WHERE id = $1", &[&id])?;
        Ok(match row.map(|r| r.get::<_, String>(0)) {
            None => Known::New,
            Some(a) if a == ANALYZER_VERSION => Known::Current,
            Some(_) => Known::Stale,
        })
    }

    pub(crate) fn pg_article_count(&self) -> Result<i64> {
        Ok(self
            .db()?
            .query_one("SELECT COUNT(*) FROM articles", &[])?
            .get(0))
    }

    pub(crate) fn pg_insert_article(
        &mut self,
        input: &ArticleInput,
        a: &Article,
        placed: &Placement,
    ) -> Result<bool> {
        let mut tx = self.client_mut().transaction()?;
        let inserted = insert_row(&mut tx, input, a, Slot::Placed(placed))?;
        tx.commit()?;
        Ok(inserted)
    }

    pub(crate) fn pg_replace_analysis(&mut self, a: &Article) -> Result<()> {
        let analysis = serde_json::to_string(a)
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let features = serde_json::to_string(&a.features)
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let d = &a.document;
        let mut tx = self.client_mut().transaction()?;
        tx.execute(
            "UPDATE articles SET title = $2, outlet = $3, outlet_key = $4, published = $5,
                 language = $6, word_count = $7, analyzer = $8, analysis = $9, features = $10
             WHERE id = $1",
            &[
                &a.id,
                &d.title,
                &d.outlet,
                &d.outlet.as_deref().map(outlet_key),
                &d.published,
                &d.language,
                &(d.word_count as i64),
                &a.analyzer,
                &analysis,
                &features,
            ],
        )?;
        tx.execute(
            "UPDATE stories SET dirty = 1, version = version + 1,
                 dirty_since = COALESCE(dirty_since, now())
             WHERE id = (SELECT story_id FROM articles WHERE id = $1)",
            &[&a.id],
        )?;
        tx.execute("DELETE FROM search WHERE article_id = $1", &[&a.id])?;
        insert_article_rows(&mut tx, a)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn pg_stale_ids(&self) -> Result<Vec<String>> {
        let rows = self.db()?.query(
            "SELECT id FROM articles WHERE analyzer <> $1 ORDER BY seq NULLS LAST, job, job_part",
            &[&ANALYZER_VERSION],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(crate) fn pg_input_of(&self, id: &str) -> Result<ArticleInput> {
        let json: String = self
            .db()?
            .query_opt("SELECT input FROM articles WHERE id = $1", &[&id])?
            .ok_or_else(|| StoreError::row(format!("article {id}"), "not stored"))?
            .get(0);
        serde_json::from_str(&json)
            .map_err(|e| StoreError::row(format!("article {id} (stored input)"), e))
    }

    /// Placed articles after `after`, a page per round trip (the connection is free while
    /// `f` runs).
    pub(crate) fn pg_for_each_placed(
        &self,
        after: i64,
        f: &mut dyn FnMut(Placed) -> Result<()>,
    ) -> Result<()> {
        let mut last = after;
        loop {
            let rows = self.db()?.query(
                "SELECT seq, id, features, story_id, copy_of FROM articles
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&last, &PAGE],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in rows {
                last = r.get(0);
                let id: String = r.get(1);
                let raw: String = r.get(2);
                let features = parse_features(&id, &raw);
                f(Placed {
                    seq: last,
                    id,
                    features,
                    story: r.get::<_, Option<String>>(3).unwrap_or_default(),
                    copy_of: r.get(4),
                })?;
            }
        }
    }

    pub(crate) fn pg_move_article(&mut self, id: &str, placed: &Placement) -> Result<()> {
        let mut tx = self.client_mut().transaction()?;
        tx.execute(
            "UPDATE stories SET dirty = 1, version = version + 1,
                 dirty_since = COALESCE(dirty_since, now())
             WHERE id = (SELECT story_id FROM articles WHERE id = $1)",
            &[&id],
        )?;
        tx.execute(
            "UPDATE articles SET story_id = $2, copy_of = $3 WHERE id = $1",
            &[&id, &placed.story, &placed.copy_of],
        )?;
        tx.execute(
            "INSERT INTO stories (id, thread, dirty, version, dirty_since)
             VALUES ($1, $2, 1, 1, now())
             ON CONFLICT (id) DO UPDATE SET dirty = 1, version = stories.version + 1,
                 thread = excluded.thread, dirty_since = COALESCE(stories.dirty_since, now())",
            &[&placed.story, &placed.thread],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn pg_article(&self, id: &str) -> Result<Option<Article>> {
        let raw: Option<String> = self
            .db()?
            .query_opt("SELECT analysis FROM articles WHERE id = $1", &[&id])?
            .map(|r| r.get(0));
        raw.map(|j| parse_article(id, &j)).transpose()
    }

    pub(crate) fn pg_story_members(&self, story: &str) -> Result<(StoryMembers, Vec<Article>)> {
        let rows = self.pg_story_articles(story)?;
        let thread: Option<String> = self
            .db()?
            .query_opt("SELECT thread FROM stories WHERE id = $1", &[&story])?
            .map(|r| r.get(0));
        let ids: Vec<String> = rows.iter().map(|(a, _)| a.id.clone()).collect();
        let copy_of = rows
            .iter()
            .map(|(_, c)| c.as_deref().and_then(|c| ids.iter().position(|x| x == c)))
            .collect();
        let members = StoryMembers {
            id: story.to_string(),
            thread: thread.unwrap_or_default(),
            articles: ids,
            copy_of,
        };
        Ok((members, rows.into_iter().map(|(a, _)| a).collect()))
    }

    pub(crate) fn pg_story_articles(&self, story: &str) -> Result<Vec<(Article, Option<String>)>> {
        let rows = self.db()?.query(
            "SELECT id, analysis, copy_of FROM articles
             WHERE story_id = $1 AND seq IS NOT NULL ORDER BY seq",
            &[&story],
        )?;
        rows.iter()
            .map(|r| {
                let id: String = r.get(0);
                let raw: String = r.get(1);
                Ok((parse_article(&id, &raw)?, r.get(2)))
            })
            .collect()
    }

    pub(crate) fn pg_for_each_article(
        &self,
        f: &mut dyn FnMut(Result<Article>) -> Result<()>,
    ) -> Result<()> {
        let mut last = 0i64;
        loop {
            let rows = self.db()?.query(
                "SELECT seq, id, analysis FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&last, &PAGE],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in rows {
                last = r.get(0);
                let id: String = r.get(1);
                let raw: String = r.get(2);
                f(parse_article(&id, &raw))?;
            }
        }
    }
}
