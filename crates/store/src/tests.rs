//! Tests of the SQLite store alone (files, migrations); the store contract that both
//! backends meet is in contract.rs, the queue's in pg_queue.rs.

use super::*;
use parallax_core::embed::EmbedError;
use parallax_core::model::{ArticleInput, InputKind, Metadata};
use parallax_core::Options;
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

/// The build lifts SQLite's 2 GB memory-map cap (`.cargo/config.toml`), so a server's
/// read-only connections map the whole of a large store; a writer maps nothing.
#[test]
fn read_only_connections_map_the_whole_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    let writer = Store::open(&path).expect("open");
    let mapped = |s: &Store| -> i64 {
        s.conn
            .query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .expect("pragma")
    };
    assert_eq!(mapped(&writer), 0);
    let reader = Store::open_read_only(&path).expect("read-only");
    assert!(mapped(&reader) > 1 << 32, "{}", mapped(&reader));
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

/// Records the phases started and the notes given.
#[derive(Default)]
pub(crate) struct Phases(pub(crate) std::sync::Mutex<Vec<String>>);

/// A toy embedder (model `letters`): letter counts, enough for alignment to run with
/// embeddings and for the store to record them.
pub(crate) struct Letters;

impl parallax_core::embed::Embedder for Letters {
    fn model_id(&self) -> &str {
        "letters"
    }
    fn embed(&self, texts: &[&str]) -> std::result::Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![1.0; 26];
                for b in t.bytes().map(|b| b.to_ascii_lowercase()) {
                    if b.is_ascii_lowercase() {
                        v[usize::from(b - b'a')] += 1.0;
                    }
                }
                v
            })
            .collect())
    }
}

/// An embedder whose model fails on every call (model `broken`): alignment falls back to
/// words.
pub(crate) struct Broken;

impl parallax_core::embed::Embedder for Broken {
    fn model_id(&self) -> &str {
        "broken"
    }
    fn embed(&self, _: &[&str]) -> std::result::Result<Vec<Vec<f32>>, EmbedError> {
        Err(EmbedError("the model failed".into()))
    }
}

/// Options whose embedder is `e`.
pub(crate) fn embedding_with(e: impl parallax_core::embed::Embedder + 'static) -> Options {
    Options {
        embedder: Some(std::sync::Arc::new(e)),
        ..Options::default()
    }
}

impl Observer for Phases {
    fn start(&self, what: &str, _unit: &str, _total: usize) {
        self.0.lock().expect("lock").push(format!("start {what}"));
    }
    fn note(&self, m: &str) {
        self.0.lock().expect("lock").push(format!("note {m}"));
    }
}

fn memberships(s: &Store) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = s
        .stories(&StoryFilter::default())
        .expect("stories")
        .into_iter()
        .map(|st| {
            let (m, _) = s.story_members(&st.id).expect("members");
            (m.id, m.articles)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_grouping_state_is_kept_on_disk_and_a_rebuild_gives_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.db");
    let all = corpus();
    {
        let mut c = Collection::open(&path, &Quiet).expect("open");
        ingest(&mut c, all[..2].to_vec());
    }
    // Reopened: the stored state is read, not rebuilt from the articles.
    let phases = Phases::default();
    let mut c = Collection::open(&path, &phases).expect("reopen");
    assert!(
        !phases
            .0
            .lock()
            .expect("lock")
            .iter()
            .any(|p| p == "start grouping"),
        "{:?}",
        phases.0
    );
    ingest(&mut c, all[2..].to_vec());
    let two_runs = memberships(c.store());
    drop(c);

    let one_dir = tempfile::tempdir().expect("tempdir");
    let mut one = Collection::open(&one_dir.path().join("one.db"), &Quiet).expect("open");
    ingest(&mut one, all.clone());
    assert_eq!(two_runs, memberships(one.store()));
    assert!(two_runs.len() >= 2, "{two_runs:?}");

    // Without its state (an older store, or another grouping version) the store rebuilds it
    // from the articles, and the rebuild places every article where it is.
    Store::open(&path)
        .expect("open")
        .conn
        .execute("DELETE FROM grouping_meta", [])
        .expect("drop state");
    let phases = Phases::default();
    let c = Collection::open(&path, &phases).expect("rebuild");
    let seen = phases.0.lock().expect("lock").clone();
    assert!(seen.iter().any(|p| p == "start grouping"), "{seen:?}");
    assert!(!seen.iter().any(|p| p.contains("regrouped")), "{seen:?}");
    assert_eq!(c.corpus().len(), all.len());
    assert_eq!(two_runs, memberships(c.store()));
}

#[test]
fn a_second_writer_is_seen_before_the_next_placement() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.db");
    let all = corpus();
    let mut first = Collection::open(&path, &Quiet).expect("open");
    let mut second = Collection::open(&path, &Quiet).expect("open");
    ingest(&mut first, all[..2].to_vec());
    // `second` opened before those were placed: its cached state is behind the file's.
    ingest(&mut second, all[2..].to_vec());
    drop((first, second));
    let one_dir = tempfile::tempdir().expect("tempdir");
    let mut one = Collection::open(&one_dir.path().join("one.db"), &Quiet).expect("open");
    ingest(&mut one, all);
    let c = Collection::open(&path, &Quiet).expect("reopen");
    assert_eq!(memberships(c.store()), memberships(one.store()));
}

#[test]
fn placements_not_yet_written_are_replayed_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("k.db");
    let all = corpus();
    {
        // Three articles stored, their grouping records never written (as after a kill
        // between two writes of the state).
        let mut store = Store::open(&path).expect("open");
        let (mut corpus, mut last, mut pending) = store
            .rebuild_grouping(&|| {})
            .map(|(c, l, _)| (c, l, 0))
            .expect("empty state");
        let opts = parallax_core::Options::default();
        for input in &all[..3] {
            let a = parallax_core::article::analyze_article(input.clone(), &opts);
            store
                .insert_grouped(input, &a, &mut corpus, &mut last, &mut pending)
                .expect("insert")
                .expect("new");
        }
        assert_eq!(pending, 3);
    }
    let phases = Phases::default();
    let mut c = Collection::open(&path, &phases).expect("reopen");
    let seen = phases.0.lock().expect("lock").clone();
    assert!(!seen.iter().any(|p| p == "start grouping"), "{seen:?}");
    assert_eq!(c.corpus().len(), 3);
    ingest(&mut c, all[3..].to_vec());
    let one_dir = tempfile::tempdir().expect("tempdir");
    let mut one = Collection::open(&one_dir.path().join("one.db"), &Quiet).expect("open");
    ingest(&mut one, all);
    assert_eq!(memberships(c.store()), memberships(one.store()));
}

#[test]
fn the_recompute_note_gives_counts_when_reasons_mix() {
    use parallax_core::stories::story_analysis_version_for as version;
    let versions = vec![
        (None, 1),
        (Some("0.0.0+s0.0000000000000000+words".to_string()), 2),
        (Some(version(None)), 3),
        (Some(version(Some("m1"))), 4),
    ];
    assert_eq!(
        crate::collection::why_outdated(&versions, Some("m2")),
        "3 analysed by another version of the story analysis, 3 aligned on words only \
         (embeddings off), 4 aligned with the embeddings of m1; this run aligns with the \
         embeddings of m2"
    );
    // One reason: the note's total says how many.
    assert_eq!(
        crate::collection::why_outdated(&versions[..2], None),
        "analysed by another version of the story analysis"
    );
}
