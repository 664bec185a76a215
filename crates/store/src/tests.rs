use super::*;
use parallax_core::model::{ArticleInput, InputKind, Metadata};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

fn input(name: &str, outlet: &str, date: &str, title: &str, body: &str) -> ArticleInput {
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

fn corpus() -> Vec<ArticleInput> {
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

fn ingest(c: &mut Collection, inputs: Vec<ArticleInput>) -> IngestStats {
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
fn reingest_changes_nothing_and_stories_match_a_batch() {
    let mut c = Collection::load(Store::open_in_memory().expect("db"), &Quiet).expect("load");
    let s1 = ingest(&mut c, corpus());
    assert_eq!((s1.added, s1.known), (4, 0));
    assert!(s1.stories_updated >= 2);
    let counts = c.store().counts().expect("counts");
    let s2 = ingest(&mut c, corpus());
    assert_eq!((s2.added, s2.known, s2.stories_updated), (0, 4, 0));
    assert_eq!(c.store().counts().expect("counts"), counts);

    // The same stories as one in-memory batch analysis.
    let report = parallax_core::analyze(corpus(), &parallax_core::Options::default());
    let stored = c.store().stories(&StoryFilter::default()).expect("stories");
    let mut want: Vec<(String, usize)> = report
        .stories
        .iter()
        .map(|s| (s.id.clone(), s.documents.len()))
        .collect();
    let mut got: Vec<(String, usize)> = stored
        .iter()
        .map(|s| (s.id.clone(), s.articles as usize))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    // Outlets compare case-insensitively: "NYT" and "nyt" are one.
    let varnia = stored
        .iter()
        .find(|s| s.label.contains("Budget") || s.label.contains("Varnia"))
        .expect("budget story");
    assert_eq!(varnia.outlets.len(), 2, "{:?}", varnia.outlets);
}

#[test]
fn two_halves_then_reopen_give_the_batch_stories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    let all = corpus();
    {
        let mut c = Collection::open(&path, &Quiet).expect("open");
        ingest(&mut c, all[..2].to_vec());
    }
    let mut c = Collection::open(&path, &Quiet).expect("reopen");
    ingest(&mut c, all[2..].to_vec());
    let report = parallax_core::analyze(all, &parallax_core::Options::default());
    for s in &report.stories {
        let stored = c
            .store()
            .story_report(&s.id)
            .expect("query")
            .expect("story stored");
        assert_eq!(stored.stories[0].documents, s.documents);
        assert_eq!(stored.stories[0].claims.len(), s.claims.len());
    }
}

#[test]
fn an_interrupted_ingest_is_completed_by_the_next_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    {
        let mut c = Collection::open(&path, &Quiet).expect("open");
        let stop = AtomicBool::new(true);
        let s = c.ingest(corpus(), None, &Quiet, &stop).expect("ingest");
        assert!(s.interrupted);
    }
    let mut c = Collection::open(&path, &Quiet).expect("reopen");
    let s = ingest(&mut c, corpus());
    assert_eq!(s.added + s.known, 4);
    assert_eq!(c.store().article_count().expect("count"), 4);
    assert!(c.store().dirty_stories().expect("dirty").is_empty());
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

#[test]
fn search_finds_sentences_titles_and_entities_with_filters() {
    let mut c = Collection::load(Store::open_in_memory().expect("db"), &Quiet).expect("load");
    ingest(&mut c, corpus());
    let s = c.store();
    let hits = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            ..SearchQuery::default()
        })
        .expect("search");
    // One title ("Hundreds evacuated in Kessel") and two sentences.
    assert_eq!(hits.len(), 3, "{hits:?}");
    let sentences: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Sentence)
        .collect();
    assert_eq!(sentences.len(), 2);
    assert!(hits.iter().all(|h| h.snippet.contains(search::MATCH_START)));
    let sid = sentences[0].sentence.clone().expect("sentence id");
    assert!(sid.starts_with(sentences[0].article.as_deref().expect("article")));

    let nyt = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            outlet: Some("Nyt".into()),
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(nyt.len(), 2);
    assert!(nyt.iter().all(|h| h.outlet.as_deref() == Some("NYT")));

    let titles = s
        .search(&SearchQuery {
            text: "\"budget passes\"".into(),
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(titles[0].kind, HitKind::Title);

    let brandt = s
        .search(&SearchQuery {
            text: "Brandt".into(),
            ..SearchQuery::default()
        })
        .expect("search");
    assert!(
        brandt.iter().any(|h| h.kind == HitKind::Entity),
        "{brandt:?}"
    );
    assert!(s
        .search(&SearchQuery {
            text: "\"".into(),
            ..SearchQuery::default()
        })
        .is_err());
}

#[test]
fn a_story_analysed_at_an_old_version_is_not_stored() {
    let mut c = Collection::load(Store::open_in_memory().expect("db"), &Quiet).expect("load");
    ingest(&mut c, corpus()[..1].to_vec());
    let story = c.store().stories(&StoryFilter::default()).expect("list")[0]
        .id
        .clone();
    let (members, rows) = c.store().story_members(&story).expect("rows");
    let arts: Vec<&parallax_core::Article> = rows.iter().collect();
    let analysis = parallax_core::corpus::analyze_story(&members, &arts, None);
    let mut store = Store::open_in_memory().expect("db");
    // Unknown story at any version: nothing stored.
    assert!(!store.put_story(&analysis, 1, &arts).expect("put"));
    let _ = &mut store;
}

#[test]
fn unreadable_feature_rows_are_reanalysed_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    {
        let mut c = Collection::open(&path, &Quiet).expect("open");
        ingest(&mut c, corpus());
        c.store
            .conn
            .execute(
                "UPDATE articles SET features = 'not json' WHERE seq = 2",
                [],
            )
            .expect("damage");
    }
    struct Notes(Mutex<Vec<String>>);
    impl Observer for Notes {
        fn note(&self, m: &str) {
            self.0.lock().expect("lock").push(m.to_string());
        }
    }
    let notes = Notes(Mutex::new(Vec::new()));
    let c = Collection::open(&path, &notes).expect("reopen");
    let notes = notes.0.into_inner().expect("notes");
    assert!(
        notes.iter().any(|n| n.contains("grouping features")),
        "{notes:?}"
    );
    assert_eq!(c.corpus().len(), 4);
}

#[test]
fn readers_see_a_consistent_store_while_ingesting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    let mut c = Collection::open(&path, &Quiet).expect("open");
    let reader_path = path.clone();
    std::thread::scope(|s| {
        let h = s.spawn(move || {
            let reader = Store::open(&reader_path).expect("reader");
            let mut seen = 0;
            for _ in 0..50 {
                let n = reader.article_count().expect("count");
                assert!(n >= seen, "counts never go back");
                seen = n;
            }
        });
        ingest(&mut c, corpus());
        h.join().expect("reader thread");
    });
    let reader = Store::open(&path).expect("reader");
    assert_eq!(reader.article_count().expect("count"), 4);
}

#[test]
fn export_rows_cover_claims_and_sentences() {
    let mut c = Collection::load(Store::open_in_memory().expect("db"), &Quiet).expect("load");
    ingest(&mut c, corpus());
    let mut sentences = 0;
    c.store()
        .for_each_sentence_row(|r| {
            assert!(r.sentence.starts_with(&r.article));
            sentences += 1;
            Ok(())
        })
        .expect("sentences");
    assert!(sentences >= 10);
    let mut claims = Vec::new();
    c.store()
        .for_each_claim_row(|r| {
            claims.push(r);
            Ok(())
        })
        .expect("claims");
    assert!(!claims.is_empty());
    assert!(claims
        .iter()
        .all(|r| ["agreed", "only_in", "conflict", "related"].contains(&r.kind.as_str())));
}

/// A store file holding the sample corpus, ingested and analysed (for other modules' tests).
pub(crate) fn sample_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sample.db");
    let mut c = Collection::open(&path, &Quiet).expect("open");
    ingest(&mut c, corpus());
    drop(c);
    (dir, path)
}
