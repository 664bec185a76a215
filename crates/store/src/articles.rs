//! Article rows: insertion (one transaction each, with the mark on its story and its search
//! rows), look-ups, and the replay of grouping features.

use crate::{Result, Store, StoreError};
use parallax_core::article::{Article, ANALYZER_VERSION};
use parallax_core::corpus::{Placement, StoryMembers};
use parallax_core::model::ArticleInput;
use parallax_core::stories::GroupingFeatures;
use rusqlite::{params, OptionalExtension, Transaction};

/// Search rows per article: its title and up to this many sentences (see the schema).
pub(crate) const ROWS_PER_ARTICLE: i64 = 1 << 20;

/// What the store holds for an article id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Not stored.
    New,
    /// Stored, analysed by this version.
    Current,
    /// Stored, analysed by another version: to be recomputed.
    Stale,
}

/// One stored article's grouping record, as replayed on open.
pub struct Placed {
    /// Its arrival position (increasing; not necessarily contiguous).
    pub seq: i64,
    pub id: String,
    pub features: Result<GroupingFeatures>,
    pub story: String,
    pub copy_of: Option<String>,
}

impl Store {
    /// Whether `id` is stored, and by which analyzer. An id from a canonical URL counts as
    /// stored even when the text at that URL has changed: the first version is kept.
    pub fn known(&self, id: &str) -> Result<Known> {
        let analyzer: Option<String> = self
            .conn
            .query_row("SELECT analyzer FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match analyzer {
            None => Known::New,
            Some(a) if a == ANALYZER_VERSION => Known::Current,
            Some(_) => Known::Stale,
        })
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
    }

    /// Stores a new article and marks its story for recomputation, in one transaction.
    /// Returns false (and changes nothing) when the id is already stored.
    pub(crate) fn insert_article(
        &mut self,
        input: &ArticleInput,
        a: &Article,
        placed: &Placement,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        if insert_rows(&tx, input, a, placed)?.is_none() {
            return Ok(false);
        }
        tx.commit()?;
        Ok(true)
    }

    /// Replaces a stale article's analysis (and its search rows) with a fresh one.
    pub(crate) fn replace_analysis(&mut self, a: &Article) -> Result<()> {
        let analysis = serde_json::to_string(a)
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let features = serde_json::to_string(&a.features)
            .map_err(|e| StoreError::row(format!("article {}", a.id), e))?;
        let d = &a.document;
        let tx = self.conn.transaction()?;
        let seq: i64 = tx.query_row("SELECT seq FROM articles WHERE id = ?1", [&a.id], |r| {
            r.get(0)
        })?;
        tx.execute(
            "UPDATE articles SET title = ?2, outlet = ?3, outlet_key = ?4, published = ?5,
                 language = ?6, word_count = ?7, analyzer = ?8, analysis = ?9, features = ?10
             WHERE id = ?1",
            params![
                a.id,
                d.title,
                d.outlet,
                d.outlet.as_deref().map(outlet_key),
                d.published,
                d.language,
                d.word_count as i64,
                a.analyzer,
                analysis,
                features,
            ],
        )?;
        tx.execute(
            "UPDATE stories SET dirty = 1, version = version + 1
             WHERE id = (SELECT story_id FROM articles WHERE id = ?1)",
            [&a.id],
        )?;
        tx.execute(
            "DELETE FROM search WHERE rowid >= ?1 AND rowid < ?2",
            params![seq * ROWS_PER_ARTICLE, (seq + 1) * ROWS_PER_ARTICLE],
        )?;
        insert_search_rows(&tx, seq, a)?;
        tx.commit()?;
        Ok(())
    }

    /// Ids of articles analysed by another version than this one, in arrival order.
    pub(crate) fn stale_ids(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM articles WHERE analyzer <> ?1 ORDER BY seq")?;
        let rows = st.query_map([ANALYZER_VERSION], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The stored input of an article (to recompute its analysis).
    pub(crate) fn input_of(&self, id: &str) -> Result<ArticleInput> {
        let json: String =
            self.conn
                .query_row("SELECT input FROM articles WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        serde_json::from_str(&json)
            .map_err(|e| StoreError::row(format!("article {id} (stored input)"), e))
    }

    /// Calls `f` with every stored article's grouping record after arrival position `after`
    /// (0: all), in arrival order, streaming (memory does not grow with the number of rows).
    pub(crate) fn for_each_placed(
        &self,
        after: i64,
        mut f: impl FnMut(Placed) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn.prepare(
            "SELECT seq, id, features, story_id, copy_of FROM articles WHERE seq > ?1
             ORDER BY seq",
        )?;
        let mut rows = st.query([after])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let id: String = r.get(1)?;
            let raw: String = r.get(2)?;
            let features = parse_features(&id, &raw);
            f(Placed {
                seq,
                id,
                features,
                story: r.get(3)?,
                copy_of: r.get(4)?,
            })?;
        }
        Ok(())
    }

    /// Moves an article to another story (after a regrouping), marking both stories.
    pub(crate) fn move_article(&mut self, id: &str, placed: &Placement) -> Result<()> {
        let tx = self.conn.transaction()?;
        crate::grouping::move_rows(&tx, id, placed)?;
        tx.commit()?;
        Ok(())
    }

    /// One stored article, analysed.
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let raw: Option<String> = self
            .conn
            .query_row("SELECT analysis FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        raw.map(|j| parse_article(id, &j)).transpose()
    }

    /// A story's members (ids, copy links, thread) and its articles, in arrival order.
    pub fn story_members(&self, story: &str) -> Result<(StoryMembers, Vec<Article>)> {
        let rows = self.story_articles(story)?;
        let thread: Option<String> = self
            .conn
            .query_row("SELECT thread FROM stories WHERE id = ?1", [story], |r| {
                r.get(0)
            })
            .optional()?;
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

    /// The articles of a story in arrival order, each with the id of the earlier article it
    /// nearly copies.
    pub fn story_articles(&self, story: &str) -> Result<Vec<(Article, Option<String>)>> {
        let mut st = self.conn.prepare(
            "SELECT id, analysis, copy_of FROM articles WHERE story_id = ?1 ORDER BY seq",
        )?;
        let mut rows = st.query([story])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let raw: String = r.get(1)?;
            out.push((parse_article(&id, &raw)?, r.get(2)?));
        }
        Ok(out)
    }
}

pub(crate) fn parse_features(id: &str, json: &str) -> Result<GroupingFeatures> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::row(format!("article {id} (grouping features)"), e))
}

pub(crate) fn parse_article(id: &str, json: &str) -> Result<Article> {
    serde_json::from_str(json).map_err(|e| StoreError::row(format!("article {id}"), e))
}

/// Outlets are compared case-insensitively ("NYT" and "nyt" are one outlet).
pub fn outlet_key(outlet: &str) -> String {
    outlet.trim().to_lowercase()
}

/// The rows of a new article (its row, the mark on its story, its search rows) in the
/// caller's transaction; its arrival position, or `None` when the id is already stored.
pub(crate) fn insert_rows(
    tx: &Transaction<'_>,
    input: &ArticleInput,
    a: &Article,
    placed: &Placement,
) -> Result<Option<i64>> {
    let json = |what: &str, r: serde_json::Result<String>| {
        r.map_err(|e| StoreError::row(format!("article {} ({what})", a.id), e))
    };
    let input_json = json("input", serde_json::to_string(input))?;
    let analysis = json("analysis", serde_json::to_string(a))?;
    let features = json("features", serde_json::to_string(&a.features))?;
    let d = &a.document;
    let inserted = tx.execute(
        "INSERT INTO articles (id, content_hash, url, source, title, outlet, outlet_key,
             published, language, word_count, added_at, analyzer, input, analysis,
             features, story_id, copy_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (id) DO NOTHING",
        params![
            a.id,
            a.content_hash,
            d.url,
            d.source,
            d.title,
            d.outlet,
            d.outlet.as_deref().map(outlet_key),
            d.published,
            d.language,
            d.word_count as i64,
            crate::now(),
            a.analyzer,
            input_json,
            analysis,
            features,
            placed.story,
            placed.copy_of,
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    let seq = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO stories (id, thread, dirty, version) VALUES (?1, ?2, 1, 1)
         ON CONFLICT (id) DO UPDATE SET dirty = 1, version = stories.version + 1",
        [&placed.story, &placed.thread],
    )?;
    insert_search_rows(tx, seq, a)?;
    Ok(Some(seq))
}

fn insert_search_rows(tx: &Transaction<'_>, seq: i64, a: &Article) -> Result<()> {
    let base = seq * ROWS_PER_ARTICLE;
    let mut st = tx.prepare_cached("INSERT INTO search (rowid, text) VALUES (?1, ?2)")?;
    if let Some(t) = a.document.title.as_deref().filter(|t| !t.trim().is_empty()) {
        st.execute(params![base, t])?;
    }
    for (n, s) in a
        .document
        .sentences()
        .enumerate()
        .take((ROWS_PER_ARTICLE - 1) as usize)
    {
        st.execute(params![base + n as i64 + 1, s.text])?;
    }
    Ok(())
}
