//! The Parallax store: a collection of articles and stories in one SQLite file, or in a
//! PostgreSQL database shared by many workers.
//!
//! - [`Store`] is the SQLite database: versioned migrations, WAL mode, one transaction per
//!   article, queries for stories, search and export. All SQL lives in this crate.
//! - [`PgStore`] is the same store on PostgreSQL (full-text search with `tsvector`/GIN), plus
//!   a work queue (`jobs`) that `parallax worker` processes drain; [`worker`] is their loop.
//! - [`Backend`] is what both answer, so every command works over either ([`open`] picks by
//!   [`Location`]: a `postgres://` URL or a file).
//! - [`Store`] is the database: versioned migrations, WAL mode, one transaction per article,
//!   queries for stories, search and export. All SQL lives in this crate.
//! - Read-only connections and the page queries of a browser ([`open_read_only`], counts
//!   for paging, rows by id, an actor's namesakes across stories) are part of [`Backend`]:
//!   `pages.rs` for SQLite (with the row builders both engines share), `pg/pages.rs`.
//! - [`Collection`] is a store plus its grouping state ([`parallax_core::Corpus`]). SQLite
//!   keeps that state in its own tables (`grouping.rs`) and the collection holds a bounded
//!   cache of it; on PostgreSQL it is re-built on open by replaying the stored grouping
//!   features in arrival order. It ingests articles (analysing only what is new), and
//!   recomputes the stories that changed.
//!
//! Invariants:
//! - An article is stored once: its id (from the canonical URL or the content) is unique.
//! - An article row and the mark on its story are committed together, so a kill at any moment
//!   loses at most the article in flight; stories marked dirty are recomputed by the next run.
//! - Grouping is a deterministic function of the stored features in arrival order: replay on
//!   open (or a rebuild of the SQLite state) reproduces every stored placement, and corrects
//!   rows when the analyzer changed.
//! - The SQLite grouping state matches the stored articles: it covers those up to the one it
//!   records, and the articles after it are replayed (see `grouping.rs`).

mod articles;
mod backend;
mod collection;
mod export;
mod grouping;
mod pages;
pub mod pg;
mod schema;
pub mod search;
mod stories;
#[cfg(any(test, feature = "test-server"))]
pub mod testing;
mod vectors;
pub mod worker;

pub use articles::{Known, Placed};
pub use backend::{open, open_read_only, redact_url, Backend, Location};
pub use collection::{Collection, IngestStats, Observer, Quiet, Refreshed};
pub use export::{ClaimRow, SentenceRow};
pub use pages::{ArticleRow, OutletCount};
pub use pg::PgStore;
pub use search::{Hit, HitKind, SearchQuery};
pub use stories::{EntityRef, StoryFilter, StorySummary};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Everything that can go wrong in the store, naming the file or row concerned.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path}: cannot open the store: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A stored row that cannot be read back (damaged or written by an incompatible version).
    #[error("store: {what}: {message}")]
    Row { what: String, message: String },
    #[error("{path}: the store has schema version {found}, newer than this parallax knows ({known}); use a newer parallax")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("search: {0}")]
    Query(String),
    /// PostgreSQL: cannot connect (the URL is shown without its password).
    #[error("{url}: cannot connect to PostgreSQL: {message}")]
    Connect { url: String, message: String },
    #[error("postgresql: {0}")]
    Pg(#[from] postgres::Error),
    #[error("{url}: the database has schema version {found}, newer than this parallax knows ({known}); use a newer parallax")]
    PgTooNew { url: String, found: i64, known: i64 },
    /// A queue operation that needs PostgreSQL was asked of another store.
    #[error("{0}")]
    Unsupported(String),
}

impl StoreError {
    pub(crate) fn row(what: impl Into<String>, message: impl std::fmt::Display) -> Self {
        StoreError::Row {
            what: what.into(),
            message: message.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open store file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating when missing) the store at `path`, with its folder, and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::File {
                path: dir.display().to_string(),
                message: format!("cannot create the store's folder: {e}"),
            })?;
        }
        if path.is_dir() {
            return Err(StoreError::File {
                path: path.display().to_string(),
                message: "is a folder, not a store file".into(),
            });
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Store::setup(conn, path.to_path_buf())
    }

    /// A store in memory (tests, one-off runs).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store> {
        let name = path.display().to_string();
        let wrap = |source: rusqlite::Error| StoreError::Open {
            path: name.clone(),
            source,
        };
        // WAL: readers (a running `serve`) never block the writer; NORMAL sync is durable
        // across process kills (only an OS crash can lose the last commits).
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(wrap)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(wrap)?;
        let mut store = Store { conn, path };
        schema::migrate(&mut store)?;
        Ok(store)
    }

    /// Path of the store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Row counts of every table (for tests and `parallax status`), sorted by table name.
    pub fn counts(&self) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for t in ["articles", "entities", "search", "stories"] {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            out.push((t.to_string(), n));
        }
        Ok(out)
    }
}

/// The current time as an ISO 8601 UTC timestamp, for `added_at` and `updated_at`.
pub(crate) fn now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, dd) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod contract;
#[cfg(test)]
mod tests;
