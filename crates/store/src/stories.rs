//! Story rows: the queue of stories to recompute, storing a story's analysis with its
//! entities, and the story list.

use crate::articles::{outlet_key, parse_article};
use crate::pages::{
    collect_rows, entity_row, story_conditions, summary_row, ENTITY_COLUMNS, SUMMARY_COLUMNS,
};
use crate::{Result, Store, StoreError};
use parallax_core::article::Article;
use parallax_core::corpus::{assemble, StoryAnalysis};
use parallax_core::model::{ClaimKind, EntityType, Report};
use parallax_core::stories::{story_analysis_version, story_analysis_version_of};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of the story list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    pub id: String,
    pub label: String,
    pub articles: i64,
    /// Outlets in the story, each once (compared case-insensitively), sorted.
    pub outlets: Vec<String>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub agreed: i64,
    pub only_in: i64,
    pub conflicts: i64,
    /// False while articles have joined since the story was last analysed (or while a
    /// recomputation of an outdated analysis is pending).
    pub analysed: bool,
    /// The stored analysis was computed by another version of the story analysis (another
    /// build, pair model or cue list; see `parallax_core::stories::story_analysis_version`):
    /// the next `parallax ingest` recomputes it. Which embeddings it was aligned with is not
    /// compared here: that depends on the next writer's configuration, which a reader cannot
    /// know.
    pub older_analysis: bool,
}

/// Which stories to list. Dates compare as ISO text (`2024-05-01`); `limit` 0 means 50.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    /// Only stories with an article from this outlet (case-insensitive).
    pub outlet: Option<String>,
    /// Only stories with an article published on or after this date.
    pub since: Option<String>,
    /// Only stories with an article published on or before this date.
    pub until: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// An entity of one story, for the pages that follow an actor across stories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub story: String,
    pub story_label: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub aliases: Vec<String>,
    pub mentions: i64,
}

/// The SQL condition on a `stories` row whose stored analysis a writer recording `current`
/// ([`parallax_core::stories::story_analysis_version_for`] its embedder) recomputes, and the
/// value its placeholder `ph` takes. A writer with a model recomputes every story that holds
/// anything else: another version of the story analysis, other embeddings, words only, or an
/// unknown version (stored before schema version 4). A writer on words only (no model,
/// `--no-embeddings`) recomputes only the stories of another version of the story analysis:
/// one this story analysis aligned with a model is better than what it would compute, and is
/// kept (never a downgrade; the story is recomputed on words only when an article joins it).
/// The same condition on both backends.
pub(crate) fn outdated(current: &str, ph: &str) -> (String, String) {
    match current.strip_suffix(parallax_core::stories::WORDS_ONLY) {
        // The base and its `+`: any embeddings of this story analysis.
        Some(base) if base.ends_with('+') => (older_base(ph), base.to_string()),
        _ => (
            format!("analysis IS NOT NULL AND (analyzer IS NULL OR analyzer <> {ph})"),
            current.to_string(),
        ),
    }
}

/// The SQL condition on a `stories` row whose stored analysis another version of the story
/// analysis computed, whatever its embeddings, with `base` the placeholder of this build's
/// [`story_analysis_version`] (a prefix of every version it records). What readers warn
/// about: they cannot know the embeddings of the next writer. A prefix test, not `LIKE`
/// (whose `_` and `%` a version or a model id may hold); the same condition on both
/// backends.
pub(crate) fn older_base(base: &str) -> String {
    format!(
        "analysis IS NOT NULL AND (analyzer IS NULL \
         OR substr(analyzer, 1, length(CAST({base} AS TEXT))) <> CAST({base} AS TEXT))"
    )
}

/// The stored versions of the stories [`outdated`] for `current`, with how many stories
/// each (NULL: unknown), as the SQL of both backends, and the value of its placeholder `ph`.
pub(crate) fn outdated_versions_sql(current: &str, ph: &str) -> (String, String) {
    let (cond, value) = outdated(current, ph);
    (
        format!(
            "SELECT analyzer, COUNT(*) FROM stories WHERE {cond} GROUP BY analyzer ORDER BY analyzer"
        ),
        value,
    )
}

impl Store {
    /// How many stories hold an analysis other than what a writer recording `current`
    /// ([`parallax_core::stories::story_analysis_version_for`] its embedder) would compute:
    /// another version of the story analysis or other embeddings, dirty or not.
    pub fn outdated_stories(&self, current: &str) -> Result<i64> {
        let (cond, value) = outdated(current, "?1");
        Ok(self.conn.query_row(
            &format!("SELECT COUNT(*) FROM stories WHERE {cond}"),
            [value],
            |r| r.get(0),
        )?)
    }

    /// The stored versions of the stories outdated for `current` (see
    /// [`Store::outdated_stories`]), each with how many stories hold it (`None`: unknown), to
    /// say why they are recomputed.
    pub fn outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>> {
        let (sql, value) = outdated_versions_sql(current, "?1");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([value], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many stories hold an analysis of another version of the story analysis than
    /// this build's, whatever embeddings they were aligned with: what a reader, which
    /// cannot know the next writer's embedder, warns about.
    pub fn older_analysis_stories(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            &format!("SELECT COUNT(*) FROM stories WHERE {}", older_base("?1")),
            [story_analysis_version()],
            |r| r.get(0),
        )?)
    }

    /// Marks for recomputation the clean stories outdated for `current` (see
    /// [`Store::outdated_stories`]), as if they had changed; returns how many. One
    /// statement: the recomputation itself is the ordinary one of dirty stories, in batches.
    pub fn mark_outdated_stories(&mut self, current: &str) -> Result<usize> {
        let (cond, value) = outdated(current, "?1");
        Ok(self.conn.execute(
            &format!("UPDATE stories SET dirty = 1 WHERE dirty = 0 AND {cond}"),
            [value],
        )?)
    }

    /// Stories whose analysis is out of date, with their version, in creation order.
    pub fn dirty_stories(&self) -> Result<Vec<(String, i64)>> {
        let mut st = self
            .conn
            .prepare("SELECT id, version FROM stories WHERE dirty = 1 ORDER BY seq")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Stores a story's analysis computed at `version` (see [`Store::dirty_stories`]) with
    /// its entities and their search rows, recording the story analysis version of what it
    /// used ([`story_analysis_version_of`] its alignment: this build, and its embeddings or
    /// none). Returns false, storing nothing, when an article
    /// joined the story meanwhile (the story stays dirty). A story left without articles
    /// (after a regrouping) is removed.
    pub fn put_story(
        &mut self,
        a: &StoryAnalysis,
        version: i64,
        members: &[&Article],
    ) -> Result<bool> {
        let json = serde_json::to_string(a)
            .map_err(|e| StoreError::row(format!("story {}", a.story.id), e))?;
        let tx = self.conn.transaction()?;
        let current: Option<i64> = tx
            .query_row(
                "SELECT version FROM stories WHERE id = ?1",
                [&a.story.id],
                |r| r.get(0),
            )
            .optional()?;
        if current != Some(version) {
            return Ok(false);
        }
        // Old entities and their search rows go first.
        tx.execute(
            "DELETE FROM search WHERE rowid IN (SELECT -seq FROM entities WHERE story_id = ?1)",
            [&a.story.id],
        )?;
        tx.execute("DELETE FROM entities WHERE story_id = ?1", [&a.story.id])?;
        if members.is_empty() {
            tx.execute("DELETE FROM stories WHERE id = ?1", [&a.story.id])?;
            tx.commit()?;
            return Ok(true);
        }
        let f = story_figures(a, members);
        tx.execute(
            "UPDATE stories SET label = ?2, articles = ?3, outlets = ?4, first_published = ?5,
                 last_published = ?6, agreed = ?7, only_in = ?8, conflicts = ?9,
                 updated_at = ?10, dirty = 0, analysis = ?11, analyzer = ?12
             WHERE id = ?1",
            params![
                a.story.id,
                a.story.label,
                members.len() as i64,
                f.outlets_json,
                f.first,
                f.last,
                f.agreed,
                f.only_in,
                f.conflicts,
                crate::now(),
                json,
                story_analysis_version_of(&a.alignment),
            ],
        )?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO entities (id, story_id, name, key, type, aliases, mentions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut fts = tx.prepare_cached("INSERT INTO search (rowid, text) VALUES (?1, ?2)")?;
            for e in &a.entities {
                ins.execute(params![
                    e.id,
                    a.story.id,
                    e.name,
                    parallax_core::entities::name_key(&e.name),
                    type_name(e.ty),
                    serde_json::to_string(&e.aliases).unwrap_or_else(|_| "[]".into()),
                    e.mentions.len() as i64,
                ])?;
                let seq = tx.last_insert_rowid();
                let mut names = vec![e.name.as_str()];
                names.extend(
                    e.aliases
                        .iter()
                        .map(String::as_str)
                        .filter(|a| *a != e.name),
                );
                fts.execute(params![-seq, names.join(" · ")])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// Stories, newest first (by latest publication date; undated ones last, newest
    /// created first).
    pub fn stories(&self, f: &StoryFilter) -> Result<Vec<StorySummary>> {
        let limit = if f.limit == 0 { 50 } else { f.limit } as i64;
        // The same conditions as the page count (`Store::story_count`).
        let (cond, args) = story_conditions(f);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories s WHERE {cond}
             ORDER BY last_published IS NULL, last_published DESC, seq DESC LIMIT {limit} OFFSET {}",
            f.offset as i64
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        collect_rows(rows, |r| summary_row(r))
    }

    /// A story's stored analysis (`None` when the story is unknown or not analysed yet).
    pub fn story_analysis(&self, id: &str) -> Result<Option<StoryAnalysis>> {
        let raw: Option<Option<String>> = self
            .conn
            .query_row("SELECT analysis FROM stories WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        raw.flatten()
            .map(|j| {
                serde_json::from_str(&j).map_err(|e| StoreError::row(format!("story {id}"), e))
            })
            .transpose()
    }

    /// The report of one story: its articles and analysis (`None` when it is unknown or not
    /// analysed yet).
    pub fn story_report(&self, id: &str) -> Result<Option<Report>> {
        let Some(analysis) = self.story_analysis(id)? else {
            return Ok(None);
        };
        let articles: Vec<Article> = self
            .story_articles(id)?
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        Ok(Some(assemble(articles, vec![analysis])))
    }

    /// Every story's entity whose name folds to the same key as `name`.
    pub fn entities_named(&self, name: &str) -> Result<Vec<EntityRef>> {
        let key = parallax_core::entities::name_key(name);
        let mut st = self.conn.prepare(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
             WHERE e.key = ?1 ORDER BY s.seq DESC LIMIT 500"
        ))?;
        let rows = st.query([key])?;
        collect_rows(rows, |r| entity_row(r))
    }

    /// The analysis of every article, one at a time in arrival order (for export).
    pub fn for_each_article(&self, mut f: impl FnMut(Result<Article>) -> Result<()>) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, analysis FROM articles ORDER BY seq")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let raw: String = r.get(1)?;
            f(parse_article(&id, &raw))?;
        }
        Ok(())
    }
}

/// What the story list shows of a story, from its analysis and articles.
pub(crate) struct StoryFigures {
    /// Outlets, each once (compared case-insensitively), sorted, as a JSON list.
    pub outlets_json: String,
    pub first: Option<String>,
    pub last: Option<String>,
    pub agreed: i64,
    pub only_in: i64,
    pub conflicts: i64,
}

pub(crate) fn story_figures(a: &StoryAnalysis, members: &[&Article]) -> StoryFigures {
    let mut outlets: BTreeMap<String, String> = BTreeMap::new();
    for d in members.iter().map(|m| &m.document) {
        if let Some(o) = d.outlet.as_deref().filter(|o| !o.trim().is_empty()) {
            outlets
                .entry(outlet_key(o))
                .or_insert_with(|| o.trim().to_string());
        }
    }
    let outlets: Vec<&String> = outlets.values().collect();
    let dates: Vec<&str> = members
        .iter()
        .filter_map(|m| m.document.published.as_deref())
        .filter(|p| !p.trim().is_empty())
        .collect();
    let count = |k: ClaimKind| a.story.claims.iter().filter(|c| c.kind == k).count() as i64;
    StoryFigures {
        outlets_json: serde_json::to_string(&outlets).unwrap_or_else(|_| "[]".into()),
        first: dates.iter().min().map(|d| d.to_string()),
        last: dates.iter().max().map(|d| d.to_string()),
        agreed: count(ClaimKind::Agreed),
        only_in: count(ClaimKind::OnlyIn),
        conflicts: count(ClaimKind::Conflict),
    }
}

pub(crate) fn type_name(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "PERSON",
        EntityType::Org => "ORG",
        EntityType::Place => "PLACE",
        EntityType::Group => "GROUP",
        EntityType::Event => "EVENT",
        EntityType::Other => "OTHER",
    }
}
