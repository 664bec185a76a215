//! Tests of the SQLite store alone (files, migrations); the store contract that both
//! backends meet is in contract.rs, the queue's in pg_queue.rs.

use super::*;
use parallax_core::model::{ArticleInput, InputKind, Metadata};
use std::sync::atomic::AtomicBool;

pub(crate) fn input(name: &str, outlet: &str, date: &str, title: &str, body: &str) -> ArticleInput {
    ArticleInput {
        id: name.into(),
        source: format!("{name}.json"),
        kind: InputKind::Json,
        body: body.into(),
        hints: Metadata {
            title: Some(title.into()),
            outlet: Some(outlet.into()),
            published: Some(date.into()),
            ..Metadata::default()
        },
        boilerplate: vec![],
    }
}

pub(crate) fn corpus() -> Vec<ArticleInput> {
    vec![
        input(
            "a",
            "Kessel Post",
            "2021-05-01",
            "Olm floods Kessel",
            "The river Olm burst its banks near the town of Kessel on Friday night. Rescue \
             teams evacuated about four hundred residents from low-lying streets of Kessel. \
             Mayor Anna Brandt said the damage would take weeks to repair.",
        ),
        input(
            "b",
            "Varnia Daily",
            "2021-05-02",
            "Budget passes",
            "Parliament in Varnia passed the budget after a long night of debate over \
             pensions and taxes. The opposition walked out before the final vote.",
        ),
        input(
            "c",
            "NYT",
            "2021-05-01",
            "Hundreds evacuated in Kessel",
            "Floodwater from the Olm swept through Kessel late on Friday. About four hundred \
             Kessel residents were evacuated by rescue teams, Mayor Anna Brandt said. \
             Forecasters had warned of heavy rain in the Olm valley.",
        ),
        input(
            "d",
            "nyt",
            "2021-05-03",
            "Varnia opposition vows fight over budget",
            "The Varnia opposition vowed to fight the budget passed by parliament, saying \
             the pension cuts in the budget would hurt retirees. The vote on the budget \
             followed a long debate over taxes.",
        ),
    ]
}

pub(crate) fn ingest<S: Backend>(c: &mut Collection<S>, inputs: Vec<ArticleInput>) -> IngestStats {
    let n = inputs.len();
    c.ingest(inputs, Some(n), &Quiet, &AtomicBool::new(false))
        .expect("ingest")
}

#[test]
fn migrations_run_once_and_reopen_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub").join("p.db");
    let s = Store::open(&path).expect("open");
    let before = s.counts().expect("counts");
    drop(s);
    let s = Store::open(&path).expect("reopen");
    assert_eq!(s.counts().expect("counts"), before);
    let n: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, crate::schema::SCHEMA_VERSION);
}

#[test]
fn a_newer_schema_is_refused_with_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    let s = Store::open(&path).expect("open");
    s.conn
        .execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')",
            [],
        )
        .expect("insert");
    drop(s);
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(err.contains("p.db") && err.contains("99"), "{err}");
}

#[test]
fn a_folder_or_garbage_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = Store::open(dir.path()).err().expect("folder").to_string();
    assert!(err.contains("folder"), "{err}");
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x42u8; 8192]).expect("write");
    let err = Store::open(&junk).err().expect("junk").to_string();
    assert!(err.contains("junk.db"), "{err}");
}

#[test]
fn search_ranks_only_the_newest_matches_of_a_common_word() {
    let mut c = Collection::load(Store::open_in_memory().expect("db"), &Quiet).expect("load");
    ingest(&mut c, corpus());
    let s = c.store();
    let q = SearchQuery {
        text: "evacuated".into(),
        ..SearchQuery::default()
    };
    let all = s.search_within(&q, 100).expect("search");
    let newest = s.search_within(&q, 1).expect("search");
    // One article row (the newest match) and no entity matches that word.
    assert_eq!(newest.len(), 1, "{newest:?}");
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.contains(&newest[0]));
}
