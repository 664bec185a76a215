//! Read queries for browsing a collection page by page (the web server's pages): read-only
//! connections, counts for paging, single rows by id, an entity's namesakes across stories,
//! the outlets. Plain SQL on the portable tables, so another backend can answer the same.

use crate::articles::outlet_key;
use crate::schema::SCHEMA_VERSION;
use crate::stories::{EntityRef, StoryFilter, StorySummary};
use crate::{Result, Store, StoreError};
use parallax_core::article::Article;
use parallax_core::corpus::{analyze_story, assemble};
use parallax_core::model::Report;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use serde::Serialize;
use std::path::Path;

/// One article without its analysis: what lists and links need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub story: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub source: String,
    pub word_count: i64,
    /// Id of the earlier article it nearly copies.
    pub copy_of: Option<String>,
}

/// An outlet and how many stored articles it has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletCount {
    /// The outlet as first written.
    pub outlet: String,
    pub articles: i64,
}

const ARTICLE_COLUMNS: &str =
    "id, story_id, title, outlet, published, url, source, word_count, copy_of";

fn article_row(r: &Row<'_>) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        story: r.get(1)?,
        title: r.get(2)?,
        outlet: r.get(3)?,
        published: r.get(4)?,
        url: r.get(5)?,
        source: r.get(6)?,
        word_count: r.get(7)?,
        copy_of: r.get(8)?,
    })
}

const SUMMARY_COLUMNS: &str = "id, label, articles, outlets, first_published, last_published, \
                               agreed, only_in, conflicts, dirty";

fn summary_row(r: &Row<'_>) -> rusqlite::Result<StorySummary> {
    let outlets: String = r.get(3)?;
    Ok(StorySummary {
        id: r.get(0)?,
        label: r.get(1)?,
        articles: r.get(2)?,
        outlets: serde_json::from_str(&outlets).unwrap_or_default(),
        first_published: r.get(4)?,
        last_published: r.get(5)?,
        agreed: r.get(6)?,
        only_in: r.get(7)?,
        conflicts: r.get(8)?,
        analysed: r.get::<_, i64>(9)? == 0,
    })
}

fn entity_row(r: &Row<'_>) -> rusqlite::Result<EntityRef> {
    let aliases: String = r.get(5)?;
    Ok(EntityRef {
        id: r.get(0)?,
        story: r.get(1)?,
        story_label: r.get(2)?,
        name: r.get(3)?,
        ty: r.get(4)?,
        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
        mentions: r.get(6)?,
    })
}

/// The conditions of [`Store::stories`] as SQL over `stories s`, with their arguments.
fn story_conditions(f: &StoryFilter) -> (String, Vec<String>) {
    let mut sql = String::from("s.articles > 0");
    let mut args: Vec<String> = Vec::new();
    if let Some(o) = &f.outlet {
        args.push(outlet_key(o));
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.outlet_key = ?{})",
            args.len()
        ));
    }
    if let Some(d) = &f.since {
        args.push(d.clone());
        sql.push_str(&format!(" AND s.last_published >= ?{}", args.len()));
    }
    if let Some(d) = &f.until {
        args.push(format!("{d}\u{10FFFF}"));
        sql.push_str(&format!(" AND s.first_published <= ?{}", args.len()));
    }
    (sql, args)
}

impl Store {
    /// Opens an existing store for reading only (a server's connections): no migration, no
    /// write; it fails when the file is missing or its schema is not this build's. In WAL
    /// mode such readers see each commit of a running `parallax ingest` as it lands.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let name = path.display().to_string();
        if !path.is_file() {
            return Err(StoreError::File {
                path: name,
                message: "no store here (run `parallax ingest` first)".into(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: name.clone(),
            source,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::File {
                path: name.clone(),
                message: format!("not a Parallax store: {e}"),
            })?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: name,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::File {
                path: name,
                message: format!(
                    "schema version {version} is older than this parallax's \
                     ({SCHEMA_VERSION}); open it once with `parallax ingest` to upgrade"
                ),
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// How many stories [`Store::stories`] lists for `f` without limit and offset.
    pub fn story_count(&self, f: &StoryFilter) -> Result<i64> {
        let (cond, args) = story_conditions(f);
        Ok(self.conn.query_row(
            &format!("SELECT COUNT(*) FROM stories s WHERE {cond}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?)
    }

    /// One story's line of the story list.
    pub fn story_summary(&self, id: &str) -> Result<Option<StorySummary>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM stories WHERE id = ?1"),
                [id],
                summary_row,
            )
            .optional()?)
    }

    /// A story's report: its stored analysis with its articles, or, for a story whose
    /// articles arrived after the last `ingest` finished (never analysed), an analysis
    /// computed now and not stored. `None` for an unknown story.
    pub fn story_report_now(&self, id: &str) -> Result<Option<Report>> {
        if let Some(r) = self.story_report(id)? {
            return Ok(Some(r));
        }
        let (members, articles) = self.story_members(id)?;
        if articles.is_empty() {
            return Ok(None);
        }
        // Aligned on words: the server loads no embedding model; the next `ingest` stores
        // the story's full analysis.
        let refs: Vec<&Article> = articles.iter().collect();
        let analysis = analyze_story(&members, &refs, None);
        let owned = articles;
        Ok(Some(assemble(owned, vec![analysis])))
    }

    /// One article's row (without parsing its analysis).
    pub fn article_row(&self, id: &str) -> Result<Option<ArticleRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"),
                [id],
                article_row,
            )
            .optional()?)
    }

    /// The rows of a story's articles, in arrival order.
    pub fn story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ?1 ORDER BY seq"
        ))?;
        let rows = st.query_map([story], article_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One entity of one story.
    pub fn entity(&self, id: &str) -> Result<Option<EntityRef>> {
        Ok(self
            .conn
            .query_row(
                "SELECT e.id, e.story_id, s.label, e.name, e.type, e.aliases, e.mentions
                 FROM entities e JOIN stories s ON s.id = e.story_id WHERE e.id = ?1",
                [id],
                entity_row,
            )
            .optional()?)
    }

    /// The entities of every story whose name folds to the same key as entity `id`'s
    /// (`parallax_core::entities::name_key`): one actor across stories, newest story first.
    pub fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<EntityRef>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.story_id, s.label, e.name, e.type, e.aliases, e.mentions
             FROM entities e JOIN stories s ON s.id = e.story_id
             WHERE e.key = (SELECT key FROM entities WHERE id = ?1)
             ORDER BY s.seq DESC, e.seq LIMIT ?2 OFFSET ?3",
        )?;
        let rows = st.query_map(
            rusqlite::params![id, limit as i64, offset as i64],
            entity_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many entities [`Store::namesakes`] lists for `id` without limit and offset.
    pub fn namesake_count(&self, id: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM entities WHERE key = (SELECT key FROM entities WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?)
    }

    /// The outlets with the most articles first (at most `limit`), each under the spelling
    /// of its first article.
    pub fn outlets(&self, limit: usize) -> Result<Vec<OutletCount>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.outlet, c.n FROM
                 (SELECT MIN(seq) AS first, COUNT(*) AS n FROM articles
                  WHERE outlet_key IS NOT NULL AND outlet_key <> '' GROUP BY outlet_key) c
             JOIN articles a ON a.seq = c.first
             ORDER BY c.n DESC, a.outlet_key LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(OutletCount {
                outlet: r.get(0)?,
                articles: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::sample_store;
    use crate::{Store, StoryFilter};

    #[test]
    fn counts_rows_and_namesakes() {
        let (_dir, path) = sample_store();
        let s = Store::open_read_only(&path).expect("read-only open");
        let all = s.stories(&StoryFilter::default()).expect("stories");
        assert_eq!(
            s.story_count(&StoryFilter::default()).expect("count"),
            all.len() as i64
        );
        let first = &all[0];
        assert_eq!(
            s.story_summary(&first.id).expect("summary").as_ref(),
            Some(first)
        );
        assert!(s.story_summary("s-nope").expect("summary").is_none());
        let rows = s.story_article_rows(&first.id).expect("rows");
        assert_eq!(rows.len() as i64, first.articles);
        let one = s.article_row(&rows[0].id).expect("row").expect("exists");
        assert_eq!(one, rows[0]);
        assert!(s.story_report_now(&first.id).expect("report").is_some());
        assert!(s.story_report_now("s-nope").expect("report").is_none());
        let outlets = s.outlets(10).expect("outlets");
        assert!(!outlets.is_empty());
        let only = StoryFilter {
            outlet: Some(outlets[0].outlet.to_uppercase()),
            ..StoryFilter::default()
        };
        assert!(s.story_count(&only).expect("count") >= 1);
        let e = s
            .entities_named("Kessel")
            .expect("named")
            .into_iter()
            .next();
        if let Some(e) = e {
            assert_eq!(s.entity(&e.id).expect("entity").as_ref(), Some(&e));
            let n = s.namesake_count(&e.id).expect("count");
            assert!(n >= 1);
            assert_eq!(
                s.namesakes(&e.id, 100, 0).expect("namesakes").len() as i64,
                n
            );
        }
        assert!(s.entity("nope").expect("entity").is_none());
        assert_eq!(s.namesake_count("nope").expect("count"), 0);
    }

    #[test]
    fn read_only_refuses_missing_and_foreign_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("none.db");
        assert!(Store::open_read_only(&missing).is_err());
        assert!(!missing.exists(), "nothing is created");
        let foreign = dir.path().join("foreign.db");
        std::fs::write(&foreign, b"not a database at all").expect("write");
        let e = Store::open_read_only(&foreign).err().expect("refused");
        assert!(e.to_string().contains("foreign.db"), "{e}");
    }
}
