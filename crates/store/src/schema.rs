//! Versioned migrations. Each migration is a SQL file applied once, in order, inside one
//! transaction, and recorded in `schema_migrations` (a table rather than SQLite's
//! `user_version`, so the same scheme works on PostgreSQL).

use crate::{Result, Store, StoreError};

/// (version, SQL), in order. Never edit a released migration: add a new one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_vectors.sql")),
    (3, include_str!("../migrations/0003_grouping.sql")),
    (4, include_str!("../migrations/0004_story_analyzer.sql")),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 4;

pub(crate) fn migrate(store: &mut Store) -> Result<()> {
    let path = store.path.display().to_string();
    let tx = store.conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TEXT NOT NULL
         )",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path,
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for &(version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, crate::now()],
        )?;
    }
    tx.commit()?;
    Ok(())
}
