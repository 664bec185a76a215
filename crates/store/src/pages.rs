//! Read queries for browsing a collection page by page (the web server's pages): read-only
//! connections, counts for paging, single rows by id, an entity's namesakes across stories,
//! the outlets. This file has the SQLite queries and the row shapes; pg/pages.rs answers the
//! same on PostgreSQL. Both build their rows with the functions here, over [`Columns`], so a
//! row reads the same from either engine.

use crate::articles::outlet_key;
use crate::schema::SCHEMA_VERSION;
use crate::stories::{EntityRef, StoryFilter, StorySummary};
use crate::{Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
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

/// A result row of either engine, read by column position. Type mismatches are errors, not
/// panics (the drivers' `get` panics).
pub(crate) trait Columns {
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    /// An integer column of any width.
    fn int(&self, i: usize) -> Result<i64>;
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.get(i)?)
    }
}

impl Columns for postgres::Row {
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.try_get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64> {
        // BIGINT columns, and INTEGER ones (`dirty`).
        match self.try_get::<_, i64>(i) {
            Ok(v) => Ok(v),
            Err(_) => Ok(i64::from(self.try_get::<_, i32>(i)?)),
        }
    }
}

/// The columns [`article_row`] reads, in order (from `articles`).
pub(crate) const ARTICLE_COLUMNS: &str =
    "id, story_id, title, outlet, published, url, source, word_count, copy_of";

pub(crate) fn article_row(r: &impl Columns) -> Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.text(0)?,
        story: r.text(1)?,
        title: r.opt_text(2)?,
        outlet: r.opt_text(3)?,
        published: r.opt_text(4)?,
        url: r.opt_text(5)?,
        source: r.text(6)?,
        word_count: r.int(7)?,
        copy_of: r.opt_text(8)?,
    })
}

/// The columns [`summary_row`] reads, in order (from `stories`). Not `analysis`: a list
/// reads no story's analysis.
pub(crate) const SUMMARY_COLUMNS: &str = "id, label, articles, outlets, first_published, \
                                          last_published, agreed, only_in, conflicts, dirty, \
                                          analyzer";

/// A story-list line. A damaged outlets list reads as none (the line still shows).
pub(crate) fn summary_row(r: &impl Columns) -> Result<StorySummary> {
    Ok(StorySummary {
        id: r.text(0)?,
        label: r.text(1)?,
        articles: r.int(2)?,
        outlets: serde_json::from_str(&r.text(3)?).unwrap_or_default(),
        first_published: r.opt_text(4)?,
        last_published: r.opt_text(5)?,
        agreed: r.int(6)?,
        only_in: r.int(7)?,
        conflicts: r.int(8)?,
        analysed: r.int(9)? == 0,
        older_analysis: older_analysis(r.opt_text(10)?.as_deref(), r.int(9)? != 0),
    })
}

/// Whether a story whose row records `analyzer` (and is `dirty` or not) holds an analysis
/// of another version of the story analysis (see `StorySummary::older_analysis`). Without a
/// recorded version, a clean story was stored before schema version 4 (unknown: older); a
/// dirty one may as well never have been analysed, and reads as waiting for its new
/// articles.
fn older_analysis(analyzer: Option<&str>, dirty: bool) -> bool {
    match analyzer {
        Some(v) => !v.starts_with(parallax_core::stories::story_analysis_version()),
        None => !dirty,
    }
}

/// The columns [`entity_row`] reads, in order (from `entities e JOIN stories s`).
pub(crate) const ENTITY_COLUMNS: &str =
    "e.id, e.story_id, s.label, e.name, e.type, e.aliases, e.mentions";

/// An entity of a story. A damaged aliases list reads as none.
pub(crate) fn entity_row(r: &impl Columns) -> Result<EntityRef> {
    Ok(EntityRef {
        id: r.text(0)?,
        story: r.text(1)?,
        story_label: r.text(2)?,
        name: r.text(3)?,
        ty: r.text(4)?,
        aliases: serde_json::from_str(&r.text(5)?).unwrap_or_default(),
        mentions: r.int(6)?,
    })
}

/// Every row of a prepared SQLite query, built by `f`.
pub(crate) fn collect_rows<T>(
    mut rows: rusqlite::Rows<'_>,
    f: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(r)?);
    }
    Ok(out)
}

/// The first row of a prepared SQLite query, built by `f`.
fn first_row<T>(
    mut rows: rusqlite::Rows<'_>,
    f: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    rows.next()?.map(f).transpose()
}

/// The conditions of [`Store::stories`] and [`Store::story_count`] as SQL over `stories s`,
/// with their arguments (`?1`...). A date bound compares with the day's whole timestamp range.
pub(crate) fn story_conditions(f: &StoryFilter) -> (String, Vec<String>) {
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

/// Bytes of the store file a read-only connection maps into memory. SQLite caps this at its
/// build's `SQLITE_MAX_MMAP_SIZE` (2 GB by default); the rest of a larger file is read with
/// `pread` as before.
const READ_MMAP_BYTES: i64 = 1 << 40;

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
        // Reads through a memory map instead of one `pread` copy per page: a server's
        // connections share the operating system's page cache without copying it. Most of a
        // search's time on a large store was those copies (see BENCHMARKS.md, web section).
        conn.pragma_update(None, "mmap_size", READ_MMAP_BYTES)?;
        // Room for every statement of every page (a search alone uses about ten), so a
        // connection serving mixed pages does not re-parse its SQL (rusqlite keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
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
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories WHERE id = ?1"
        ))?;
        let rows = st.query([id])?;
        first_row(rows, |r| summary_row(r))
    }

    /// One article's row (without parsing its analysis).
    pub fn article_row(&self, id: &str) -> Result<Option<ArticleRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"
        ))?;
        let rows = st.query([id])?;
        first_row(rows, |r| article_row(r))
    }

    /// The rows of a story's articles, in arrival order.
    pub fn story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ?1 ORDER BY seq"
        ))?;
        let rows = st.query([story])?;
        collect_rows(rows, |r| article_row(r))
    }

    /// One entity of one story.
    pub fn entity(&self, id: &str) -> Result<Option<EntityRef>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
             WHERE e.id = ?1"
        ))?;
        let rows = st.query([id])?;
        first_row(rows, |r| entity_row(r))
    }

    /// The entities of every story whose name folds to the same key as entity `id`'s
    /// (`parallax_core::entities::name_key`): one actor across stories, newest story first.
    pub fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<EntityRef>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities e JOIN stories s ON s.id = e.story_id
             WHERE e.key = (SELECT key FROM entities WHERE id = ?1)
             ORDER BY s.seq DESC, e.seq LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = st.query(rusqlite::params![id, limit as i64, offset as i64])?;
        collect_rows(rows, |r| entity_row(r))
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
        let rows = st.query([limit as i64])?;
        collect_rows(rows, |r| outlet_count(r))
    }
}

pub(crate) fn outlet_count(r: &impl Columns) -> Result<OutletCount> {
    Ok(OutletCount {
        outlet: r.text(0)?,
        articles: r.int(1)?,
    })
}

#[cfg(test)]
mod tests {
    //! The page-query contract, run on both backends (`sqlite::…`, `postgres::…`, the latter
    //! skipped with a note when no PostgreSQL server can be started), and a comparison of
    //! every page query's answer on the two.

    use crate::contract::Db;
    use crate::tests::{corpus, ingest};
    use crate::{open_read_only, Backend, Store, StoryFilter};

    /// A store of `db`'s backend holding the test corpus, opened read-only.
    fn filled(db: &Db) -> Box<dyn Backend> {
        ingest(&mut db.collection(), corpus());
        open_read_only(&db.location()).expect("read-only open")
    }

    fn page_queries_agree_with_the_lists(db: &Db) {
        let s = filled(db);
        let all = s.stories(&StoryFilter::default()).expect("stories");
        assert!(all.len() >= 2, "{all:?}");
        assert_eq!(
            s.story_count(&StoryFilter::default()).expect("count"),
            all.len() as i64
        );
        for st in &all {
            assert_eq!(s.story_summary(&st.id).expect("summary").as_ref(), Some(st));
            let rows = s.story_article_rows(&st.id).expect("rows");
            assert_eq!(rows.len() as i64, st.articles);
            for r in &rows {
                assert_eq!(s.article_row(&r.id).expect("row").as_ref(), Some(r));
                assert_eq!(r.story, st.id);
            }
            let report = s.story_report_now(&st.id).expect("report").expect("some");
            assert_eq!(report.documents.len(), rows.len());
        }
        assert!(s.story_summary("s-nope").expect("summary").is_none());
        assert!(s.article_row("nope").expect("row").is_none());
        assert!(s.story_report_now("s-nope").expect("report").is_none());
        assert!(s.story_article_rows("s-nope").expect("rows").is_empty());

        // "NYT" and "nyt" are one outlet, under its first spelling, with both articles.
        let outlets = s.outlets(10).expect("outlets");
        let names: Vec<(&str, i64)> = outlets
            .iter()
            .map(|o| (o.outlet.as_str(), o.articles))
            .collect();
        assert_eq!(
            names,
            vec![("NYT", 2), ("Kessel Post", 1), ("Varnia Daily", 1)]
        );
        assert_eq!(s.outlets(1).expect("outlets").len(), 1);
        let nyt = StoryFilter {
            outlet: Some("nYt".into()),
            ..StoryFilter::default()
        };
        assert_eq!(s.story_count(&nyt).expect("count"), 2);
        let late = StoryFilter {
            since: Some("2021-05-03".into()),
            ..StoryFilter::default()
        };
        assert_eq!(
            s.story_count(&late).expect("count"),
            s.stories(&late).expect("stories").len() as i64
        );
        assert_eq!(s.story_count(&late).expect("count"), 1);

        // Brandt is named in the flood story; her namesakes across stories are herself.
        let flood = all
            .iter()
            .find(|st| st.label.contains("Kessel") || st.label.contains("Olm"))
            .unwrap_or(&all[0]);
        let analysis = s
            .story_analysis(&flood.id)
            .expect("analysis")
            .expect("analysed");
        let e = analysis
            .entities
            .first()
            .expect("the flood story has actors");
        let found = s.entity(&e.id).expect("entity").expect("stored");
        assert_eq!(found.story, flood.id);
        assert_eq!(found.name, e.name);
        let n = s.namesake_count(&e.id).expect("count");
        assert!(n >= 1);
        let namesakes = s.namesakes(&e.id, 100, 0).expect("namesakes");
        assert_eq!(namesakes.len() as i64, n);
        assert!(namesakes.contains(&found));
        assert_eq!(s.namesakes(&e.id, 1, n as usize).expect("past").len(), 0);
        assert!(s.entity("nope").expect("entity").is_none());
        assert_eq!(s.namesake_count("nope").expect("count"), 0);
    }

    mod sqlite {
        #[test]
        fn page_queries_agree_with_the_lists() {
            super::page_queries_agree_with_the_lists(&crate::contract::Db::sqlite());
        }
    }

    mod postgres {
        use crate::contract::Db;
        use crate::{Backend, Location, StoryFilter};

        #[test]
        fn page_queries_agree_with_the_lists() {
            match Db::postgres() {
                Some(db) => super::page_queries_agree_with_the_lists(&db),
                None => eprintln!("page_queries_agree_with_the_lists: skipped: no PostgreSQL"),
            }
        }

        /// Every page query answers the same on PostgreSQL as on SQLite for the same
        /// articles, so `parallax serve` shows the same pages and JSON from either.
        #[test]
        fn every_page_query_answers_as_on_sqlite() {
            let Some(pg) = Db::postgres() else {
                eprintln!("every_page_query_answers_as_on_sqlite: skipped: no PostgreSQL");
                return;
            };
            let lite = Db::sqlite();
            let (a, b) = (super::filled(&lite), super::filled(&pg));
            let filters = [
                StoryFilter::default(),
                StoryFilter {
                    outlet: Some("nyt".into()),
                    ..StoryFilter::default()
                },
                StoryFilter {
                    since: Some("2021-05-02".into()),
                    until: Some("2021-05-03".into()),
                    ..StoryFilter::default()
                },
                StoryFilter {
                    limit: 1,
                    offset: 1,
                    ..StoryFilter::default()
                },
            ];
            for f in &filters {
                assert_eq!(a.story_count(f).expect("a"), b.story_count(f).expect("b"));
                assert_eq!(a.stories(f).expect("a"), b.stories(f).expect("b"));
            }
            assert_eq!(a.outlets(300).expect("a"), b.outlets(300).expect("b"));
            let stories = a.stories(&StoryFilter::default()).expect("stories");
            for st in &stories {
                let id = st.id.as_str();
                assert_eq!(
                    a.story_summary(id).expect("a"),
                    b.story_summary(id).expect("b")
                );
                let rows = a.story_article_rows(id).expect("a");
                assert_eq!(rows, b.story_article_rows(id).expect("b"));
                for r in &rows {
                    assert_eq!(
                        a.article_row(&r.id).expect("a"),
                        b.article_row(&r.id).expect("b")
                    );
                }
                assert_eq!(
                    json(&a.story_report_now(id).expect("a")),
                    json(&b.story_report_now(id).expect("b")),
                    "story {id}"
                );
                let analysis = a.story_analysis(id).expect("a").expect("analysed");
                for e in &analysis.entities {
                    assert_eq!(a.entity(&e.id).expect("a"), b.entity(&e.id).expect("b"));
                    assert_eq!(
                        a.namesake_count(&e.id).expect("a"),
                        b.namesake_count(&e.id).expect("b")
                    );
                    assert_eq!(
                        a.namesakes(&e.id, 20, 0).expect("a"),
                        b.namesakes(&e.id, 20, 0).expect("b")
                    );
                }
            }
        }

        /// Serialised for comparison (a report holds floats and nested models).
        fn json<T: serde::Serialize>(v: &T) -> String {
            serde_json::to_string(v).expect("serialisable")
        }

        #[test]
        fn read_only_connections_refuse_empty_databases_and_writes() {
            let Some(Db::Postgres(url)) = Db::postgres() else {
                eprintln!("read_only_connections: skipped: no PostgreSQL");
                return;
            };
            let e = crate::PgStore::connect_read_only(&url)
                .err()
                .expect("an empty database is refused");
            assert!(e.to_string().contains("not a Parallax store"), "{e}");
            // After a writer created it, a reader opens it and cannot write.
            drop(crate::open(&Location::Postgres(url.clone())).expect("create"));
            let r = crate::PgStore::connect_read_only(&url).expect("reader");
            let e = r
                .db()
                .expect("connection")
                .batch_execute("DELETE FROM articles")
                .expect_err("a read-only session cannot write");
            assert!(crate::pg::describe_error(&e).contains("read-only"), "{e}");
        }
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
