//! The store contract: one suite, run against SQLite always and against PostgreSQL when a
//! server can be started (else each PostgreSQL test says it is skipped). Every test takes a
//! [`Db`], which opens fresh connections to one empty store.

use crate::tests::{corpus, ingest};
use crate::*;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

/// An empty store of one backend.
pub(crate) enum Db {
    /// The folder is kept alive as long as the store.
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Db {
    pub(crate) fn sqlite() -> Db {
        Db::Sqlite(tempfile::tempdir().expect("tempdir"))
    }

    /// `None` when no PostgreSQL server can be had (the reason was printed).
    pub(crate) fn postgres() -> Option<Db> {
        crate::testing::fresh_database().map(Db::Postgres)
    }

    pub(crate) fn location(&self) -> Location {
        match self {
            Db::Sqlite(dir) => Location::Sqlite(dir.path().join("p.db")),
            Db::Postgres(url) => Location::Postgres(url.clone()),
        }
    }

    /// A new connection.
    pub(crate) fn open(&self) -> Box<dyn Backend> {
        crate::open(&self.location()).expect("open the store")
    }

    pub(crate) fn collection(&self) -> Collection<Box<dyn Backend>> {
        Collection::load(self.open(), &Quiet).expect("load")
    }

    /// Makes the second stored article's grouping features unreadable. On SQLite, whose
    /// grouping state is kept on disk and read features only to rebuild it, the state is
    /// dropped too, so the next open rebuilds it from the (damaged) features.
    fn damage_second_features(&self) {
        match self {
            Db::Sqlite(dir) => {
                let s = Store::open(&dir.path().join("p.db")).expect("open");
                s.conn
                    .execute_batch(
                        "UPDATE articles SET features = 'not json' WHERE seq = 2;
                         DELETE FROM grouping_meta;",
                    )
                    .expect("damage");
            }
            Db::Postgres(url) => {
                let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).expect("connect");
                c.execute(
                    "UPDATE articles SET features = 'not json'
                     WHERE seq = (SELECT seq FROM articles ORDER BY seq OFFSET 1 LIMIT 1)",
                    &[],
                )
                .expect("damage");
            }
        }
    }
}

impl Db {
    /// Runs SQL (portable, without parameters) on the store, bypassing the backend.
    fn exec(&self, sql: &str) {
        match self {
            Db::Sqlite(dir) => {
                let s = Store::open(&dir.path().join("p.db")).expect("open");
                s.conn.execute_batch(sql).expect(sql);
            }
            Db::Postgres(url) => {
                let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).expect("connect");
                c.batch_execute(sql).expect(sql);
            }
        }
    }

    /// The first column of each row of a query returning one nullable text column.
    fn texts(&self, sql: &str) -> Vec<Option<String>> {
        match self {
            Db::Sqlite(dir) => {
                let s = Store::open(&dir.path().join("p.db")).expect("open");
                let mut st = s.conn.prepare(sql).expect(sql);
                let rows = st.query_map([], |r| r.get(0)).expect(sql);
                rows.collect::<rusqlite::Result<Vec<_>>>().expect(sql)
            }
            Db::Postgres(url) => {
                let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).expect("connect");
                c.query(sql, &[])
                    .expect(sql)
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            }
        }
    }
}

/// Runs each contract test once per backend: `sqlite_NAME` and `postgres_NAME`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(&super::Db::sqlite()); })*
        }
        mod postgres {
            $(#[test] fn $name() {
                match super::Db::postgres() {
                    Some(db) => super::$name(&db),
                    None => eprintln!("{}: skipped: no PostgreSQL server", stringify!($name)),
                }
            })*
        }
    };
}

contract!(
    reingest_changes_nothing_and_stories_match_a_batch,
    two_halves_then_reopen_give_the_batch_stories,
    an_interrupted_ingest_is_completed_by_the_next_run,
    search_finds_sentences_titles_and_entities_with_filters,
    search_folds_case_and_diacritics_and_takes_any_text,
    a_story_analysed_at_an_old_version_is_not_stored,
    unreadable_feature_rows_are_reanalysed_on_open,
    readers_see_a_consistent_store_while_ingesting,
    export_rows_cover_claims_and_sentences,
    story_lists_filter_by_outlet_and_dates,
    sentence_vectors_are_cached_and_shared,
    token_vectors_are_cached_beside_sentence_vectors,
    stories_of_another_story_analysis_are_recomputed_by_the_next_refresh,
    a_store_of_schema_version_3_upgrades_and_recomputes_its_stories,
    stories_aligned_with_other_embeddings_are_recomputed_by_the_next_refresh,
);

fn sentence_vectors_are_cached_and_shared(db: &Db) {
    use parallax_core::embed::VectorCache;
    let mut store = db.open();
    let mut cache = crate::vectors::StoreVectors { store: &mut store };
    assert_eq!(cache.get("m", &["a"]), vec![None]);
    cache.put("m", &["a", "b"], &[vec![0.5, -1.0], vec![2.0]]);
    // Kept once: a second put of the same text changes nothing.
    cache.put("m", &["a"], &[vec![9.0]]);
    // Another connection (another worker) sees them.
    let mut other = db.open();
    let mut cache = crate::vectors::StoreVectors { store: &mut other };
    assert_eq!(
        cache.get("m", &["b", "a", "c"]),
        vec![Some(vec![2.0]), Some(vec![0.5, -1.0]), None]
    );
    assert_eq!(cache.get("other model", &["a"]), vec![None]);
    assert_eq!(cache.get("m", &[]), Vec::<Option<Vec<f32>>>::new());
}

fn token_vectors_are_cached_beside_sentence_vectors(db: &Db) {
    use parallax_core::embed::{Token, TokenVectors, VectorCache};
    let tokens = TokenVectors::from_tokens(&[
        Token {
            piece: "court".into(),
            vector: vec![0.5, -1.0, 0.25],
        },
        Token {
            piece: "the".into(),
            vector: vec![1.0, 0.0, 0.0],
        },
    ])
    .expect("one content token");
    let mut store = db.open();
    let mut cache = crate::vectors::StoreVectors { store: &mut store };
    cache.put("m", &["a"], &[vec![0.5, -1.0]]);
    assert_eq!(
        cache.get_tokens("m", &["a"]),
        vec![None],
        "a vector is not tokens"
    );
    cache.put_tokens("m", &["a"], std::slice::from_ref(&tokens));
    let mut other = db.open();
    let mut cache = crate::vectors::StoreVectors { store: &mut other };
    assert_eq!(cache.get_tokens("m", &["a", "b"]), vec![Some(tokens), None]);
    assert_eq!(
        cache.get("m", &["a"]),
        vec![Some(vec![0.5, -1.0])],
        "tokens are not a vector"
    );
    // A damaged row is missing, never trusted: a sentence vector read as tokens.
    cache.put("x#tokens", &["a"], &[vec![1.0, 2.0]]);
    assert_eq!(cache.get_tokens("x", &["a"]), vec![None]);
}

fn reingest_changes_nothing_and_stories_match_a_batch(db: &Db) {
    let mut c = db.collection();
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
    assert_eq!(
        c.store().known(&report.documents[0].id).expect("known"),
        Known::Current
    );
    assert_eq!(c.store().known("nosuchid").expect("known"), Known::New);
}

fn two_halves_then_reopen_give_the_batch_stories(db: &Db) {
    let all = corpus();
    {
        let mut c = db.collection();
        ingest(&mut c, all[..2].to_vec());
    }
    let mut c = db.collection();
    assert_eq!(c.corpus().len(), 2);
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
        let (members, articles) = c.store().story_members(&s.id).expect("members");
        assert_eq!(members.articles, s.documents);
        assert_eq!(articles.len(), s.documents.len());
        assert!(c.store().story_analysis(&s.id).expect("analysis").is_some());
    }
    let first = &report.documents[0].id;
    let a = c.store().article(first).expect("article").expect("stored");
    assert_eq!(&a.id, first);
    assert!(c.store().article("nosuchid").expect("article").is_none());
    assert!(c
        .store()
        .story_report("s-nosuchstory")
        .expect("query")
        .is_none());
}

fn an_interrupted_ingest_is_completed_by_the_next_run(db: &Db) {
    {
        let mut c = db.collection();
        let stop = AtomicBool::new(true);
        let s = c.ingest(corpus(), None, &Quiet, &stop).expect("ingest");
        assert!(s.interrupted);
    }
    let mut c = db.collection();
    let s = ingest(&mut c, corpus());
    assert_eq!(s.added + s.known, 4);
    assert_eq!(c.store().article_count().expect("count"), 4);
    assert!(c.store().dirty_stories().expect("dirty").is_empty());
}

fn search_finds_sentences_titles_and_entities_with_filters(db: &Db) {
    let mut c = db.collection();
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
    assert!(hits.iter().all(|h| h.story.is_some()));

    let nyt = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            outlet: Some("Nyt".into()),
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(nyt.len(), 2);
    assert!(nyt.iter().all(|h| h.outlet.as_deref() == Some("NYT")));

    let dated = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            since: Some("2021-05-02".into()),
            ..SearchQuery::default()
        })
        .expect("search");
    assert!(dated.is_empty(), "{dated:?}");
    let until = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            until: Some("2021-05-01".into()),
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(until.len(), 3);

    let titles = s
        .search(&SearchQuery {
            text: "\"budget passes\"".into(),
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(titles[0].kind, HitKind::Title);
    // A phrase's words must be together and in order.
    let apart = s
        .search(&SearchQuery {
            text: "\"passes budget\"".into(),
            ..SearchQuery::default()
        })
        .expect("search");
    assert!(apart.is_empty(), "{apart:?}");

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
    let paged = s
        .search(&SearchQuery {
            text: "evacuated".into(),
            limit: 2,
            offset: 2,
            ..SearchQuery::default()
        })
        .expect("search");
    assert_eq!(paged.len(), 1);
}

fn search_folds_case_and_diacritics_and_takes_any_text(db: &Db) {
    let mut c = db.collection();
    let mut inputs = corpus();
    inputs.push(crate::tests::input(
        "e",
        "Le Monde",
        "2021-06-01",
        "Café Zürich reopens",
        "The Café Zürich reopened on Monday after a long renovation of its kitchen.",
    ));
    ingest(&mut c, inputs);
    let s = c.store();
    for text in ["cafe zurich", "CAFÉ", "\"café zürich\""] {
        let hits = s
            .search(&SearchQuery {
                text: text.into(),
                ..SearchQuery::default()
            })
            .expect("search");
        assert!(
            hits.iter().any(|h| h.kind == HitKind::Title),
            "{text}: {hits:?}"
        );
    }
    // Query syntax of either engine is plain words here.
    for text in [
        "NEAR(a b)",
        "a & b | !c",
        "x:* <-> y",
        "'; DROP TABLE articles; --",
        "\\",
        "\u{0}",
    ] {
        let r = s.search(&SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        });
        match r {
            Ok(hits) => assert!(hits.len() <= 20),
            Err(StoreError::Query(_)) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
    assert_eq!(s.article_count().expect("count"), 5);
}

fn a_story_analysed_at_an_old_version_is_not_stored(db: &Db) {
    let mut c = db.collection();
    ingest(&mut c, corpus()[..1].to_vec());
    let story = c.store().stories(&StoryFilter::default()).expect("list")[0]
        .id
        .clone();
    let (members, rows) = c.store().story_members(&story).expect("rows");
    let arts: Vec<&parallax_core::Article> = rows.iter().collect();
    let analysis = parallax_core::corpus::analyze_story(&members, &arts, None);
    // The story is at version 1 and clean: an analysis for version 0 is refused.
    assert!(!c.store_mut().put_story(&analysis, 0, &arts).expect("put"));
    // A second article joins: the version moves, and the old analysis is refused again.
    ingest(&mut c, corpus()[2..3].to_vec());
    assert!(!c.store_mut().put_story(&analysis, 1, &arts).expect("put"));
    assert!(c.store().dirty_stories().expect("dirty").is_empty());
}

fn unreadable_feature_rows_are_reanalysed_on_open(db: &Db) {
    {
        let mut c = db.collection();
        ingest(&mut c, corpus());
    }
    db.damage_second_features();
    struct Notes(Mutex<Vec<String>>);
    impl Observer for Notes {
        fn note(&self, m: &str) {
            self.0.lock().expect("lock").push(m.to_string());
        }
    }
    let notes = Notes(Mutex::new(Vec::new()));
    let c = Collection::load(db.open(), &notes).expect("reopen");
    let notes = notes.0.into_inner().expect("notes");
    assert!(
        notes.iter().any(|n| n.contains("grouping features")),
        "{notes:?}"
    );
    assert_eq!(c.corpus().len(), 4);
}

fn readers_see_a_consistent_store_while_ingesting(db: &Db) {
    let mut c = db.collection();
    std::thread::scope(|s| {
        let h = s.spawn(|| {
            let reader = db.open();
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
    let reader = db.open();
    assert_eq!(reader.article_count().expect("count"), 4);
}

fn export_rows_cover_claims_and_sentences(db: &Db) {
    let mut c = db.collection();
    ingest(&mut c, corpus());
    let mut sentences = 0;
    c.store()
        .for_each_sentence_row(&mut |r| {
            assert!(r.sentence.starts_with(&r.article));
            assert!(r.story.starts_with("s-"));
            sentences += 1;
            Ok(())
        })
        .expect("sentences");
    assert!(sentences >= 10);
    let mut claims = Vec::new();
    c.store()
        .for_each_claim_row(&mut |r| {
            claims.push(r);
            Ok(())
        })
        .expect("claims");
    assert!(!claims.is_empty());
    assert!(claims
        .iter()
        .all(|r| ["agreed", "only_in", "conflict", "related"].contains(&r.kind.as_str())));
    assert!(claims.iter().all(|r| r.outlet.is_some()));
    let mut articles = Vec::new();
    c.store()
        .for_each_article(&mut |a| {
            articles.push(a.expect("article").id);
            Ok(())
        })
        .expect("articles");
    assert_eq!(articles.len(), 4);
    // A callback's error stops the walk and comes back.
    let r = c
        .store()
        .for_each_article(&mut |_| Err(StoreError::Query("stop".into())));
    assert!(matches!(r, Err(StoreError::Query(_))));
}

fn story_lists_filter_by_outlet_and_dates(db: &Db) {
    let mut c = db.collection();
    ingest(&mut c, corpus());
    let s = c.store();
    let all = s.stories(&StoryFilter::default()).expect("list");
    assert!(all.len() >= 2);
    assert!(all.iter().all(|st| st.analysed));
    // Newest first: the budget story (last article 2021-05-03) before the flood.
    assert!(all[0].last_published >= all[1].last_published);
    let varnia = s
        .stories(&StoryFilter {
            outlet: Some("VARNIA DAILY".into()),
            ..StoryFilter::default()
        })
        .expect("list");
    assert_eq!(varnia.len(), 1);
    let since = s
        .stories(&StoryFilter {
            since: Some("2021-05-02".into()),
            ..StoryFilter::default()
        })
        .expect("list");
    assert!(since
        .iter()
        .all(|st| st.last_published.as_deref() >= Some("2021-05-02")));
    let until = s
        .stories(&StoryFilter {
            until: Some("2021-05-01".into()),
            ..StoryFilter::default()
        })
        .expect("list");
    assert!(until
        .iter()
        .all(|st| st.first_published.as_deref() <= Some("2021-05-01\u{10FFFF}")));
    assert!(!until.is_empty());
    let page = s
        .stories(&StoryFilter {
            limit: 1,
            offset: 1,
            ..StoryFilter::default()
        })
        .expect("list");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, all[1].id);
    let id = &all[0].id;
    let analysis = s.story_analysis(id).expect("analysis").expect("analysed");
    if let Some(e) = analysis.entities.first() {
        let named = s.entities_named(&e.name).expect("entities");
        assert!(named.iter().any(|r| &r.story == id), "{named:?}");
    }
}

fn stories_of_another_story_analysis_are_recomputed_by_the_next_refresh(db: &Db) {
    // A collection without an embedder: its stories record the words-only version.
    let current = &parallax_core::stories::story_analysis_version_for(None);
    let mut c = db.collection();
    assert_eq!(&c.story_version(), current);
    ingest(&mut c, corpus());
    let ids = db.texts("SELECT id FROM stories ORDER BY seq");
    assert!(ids.len() >= 2, "{ids:?}");
    let all = db.texts("SELECT analyzer FROM stories ORDER BY seq");
    assert!(
        all.iter().all(|v| v.as_deref() == Some(current.as_str())),
        "{all:?}"
    );
    assert_eq!(c.store().outdated_stories(current).expect("count"), 0);
    assert_eq!(c.store().older_analysis_stories().expect("count"), 0);

    // Every story current: a refresh recomputes nothing.
    let r = c.refresh(&Quiet, &AtomicBool::new(false)).expect("refresh");
    assert_eq!(r, Refreshed::default());

    // The first story stored under an older version (its claim counts damaged, so a
    // recomputation shows), the second under an unknown one (stored before the column), the
    // others current (their counts damaged too: they must stay so, not recomputed).
    let (first, second) = (ids[0].clone().expect("id"), ids[1].clone().expect("id"));
    db.exec(&format!(
        "UPDATE stories SET agreed = 99;
         UPDATE stories SET analyzer = '0.0.0+s0.0000000000000000' WHERE id = '{first}';
         UPDATE stories SET analyzer = NULL WHERE id = '{second}';"
    ));
    assert_eq!(c.store().outdated_stories(current).expect("count"), 2);
    // A reader sees the same count (what `parallax stories` warns about), and the list says
    // which.
    assert_eq!(db.open().older_analysis_stories().expect("count"), 2);
    let older: Vec<String> = db
        .open()
        .stories(&StoryFilter::default())
        .expect("list")
        .into_iter()
        .filter(|st| st.older_analysis)
        .map(|st| st.id)
        .collect();
    assert_eq!(older.len(), 2, "{older:?}");
    assert!(
        older.contains(&first) && older.contains(&second),
        "{older:?}"
    );

    // The next ingest, with nothing new, recomputes exactly those two.
    let s = ingest(&mut c, vec![]);
    assert_eq!(
        (
            s.added,
            s.stories_updated,
            s.stories_outdated,
            s.stories_realigned
        ),
        (0, 2, 2, 0)
    );
    assert_eq!(c.store().outdated_stories(current).expect("count"), 0);
    assert!(c.store().dirty_stories().expect("dirty").is_empty());
    let all = db.texts("SELECT analyzer FROM stories ORDER BY seq");
    assert!(
        all.iter().all(|v| v.as_deref() == Some(current.as_str())),
        "{all:?}"
    );
    let agreed = |id: &str| {
        c.store()
            .stories(&StoryFilter::default())
            .expect("list")
            .into_iter()
            .find(|st| st.id == id)
            .expect("listed")
            .agreed
    };
    assert_ne!(agreed(&first), 99, "recomputed");
    assert_ne!(agreed(&second), 99, "recomputed");
    for id in ids[2..].iter().flatten() {
        assert_eq!(agreed(id), 99, "{id}: current, so not recomputed");
    }
    let again = ingest(&mut c, vec![]);
    assert_eq!((again.stories_updated, again.stories_outdated), (0, 0));
}

fn a_store_of_schema_version_3_upgrades_and_recomputes_its_stories(db: &Db) {
    {
        let mut c = db.collection();
        ingest(&mut c, corpus());
    }
    let stories = db.texts("SELECT id FROM stories").len() as i64;
    // What this store was before schema version 4: no `analyzer` column, no migration 4.
    db.exec(
        "ALTER TABLE stories DROP COLUMN analyzer;
         DELETE FROM schema_migrations WHERE version = 4;",
    );
    // A reader refuses the older schema and says what upgrades it.
    let err = crate::open_read_only(&db.location())
        .err()
        .expect("older schema refused")
        .to_string();
    assert!(
        err.contains("older") && err.contains("parallax ingest"),
        "{err}"
    );
    // Opening to write migrates: every stored analysis is of an unknown version.
    let store = db.open();
    let versions = db.texts("SELECT CAST(MAX(version) AS TEXT) FROM schema_migrations");
    assert_eq!(
        versions,
        vec![Some(crate::schema::SCHEMA_VERSION.to_string())]
    );
    assert_eq!(store.older_analysis_stories().expect("count"), stories);
    assert!(store.dirty_stories().expect("dirty").is_empty());
    let mut c = Collection::load(store, &Quiet).expect("load");
    let s = ingest(&mut c, vec![]);
    assert_eq!(s.stories_outdated as i64, stories);
    assert_eq!(s.stories_updated as i64, stories);
    assert_eq!(
        c.store()
            .outdated_stories(&c.story_version())
            .expect("count"),
        0
    );
    assert!(crate::open_read_only(&db.location()).is_ok());
}

fn stories_aligned_with_other_embeddings_are_recomputed_by_the_next_refresh(db: &Db) {
    use crate::tests::{embedding_with, Broken, Letters, Phases};
    use parallax_core::stories::story_analysis_version_for;
    let words = story_analysis_version_for(None);
    let letters = story_analysis_version_for(Some("letters"));
    let analyzers = || db.texts("SELECT analyzer FROM stories ORDER BY seq");
    let all_are = |v: &str| analyzers().iter().all(|a| a.as_deref() == Some(v));
    let stop = AtomicBool::new(false);

    // As `ingest --no-embeddings`: every story records words only.
    let mut c = db.collection();
    ingest(&mut c, corpus());
    let n = analyzers().len();
    assert!(n >= 2, "{n}");
    assert!(all_are(&words), "{:?}", analyzers());
    let s = c.store();
    assert_eq!(s.outdated_stories(&words).expect("count"), 0);
    assert_eq!(s.outdated_stories(&letters).expect("count"), n as i64);
    // Readers cannot know the next run's embeddings: nothing is older for them.
    assert_eq!(s.older_analysis_stories().expect("count"), 0);
    assert!(s
        .stories(&StoryFilter::default())
        .expect("list")
        .iter()
        .all(|st| st.analysed && !st.older_analysis));
    // Another words-only run recomputes nothing.
    assert_eq!(
        c.refresh(&Quiet, &stop).expect("refresh"),
        Refreshed::default()
    );
    drop(c);

    // A run with a model recomputes them all, says why, and records its model.
    let mut c = Collection::load_with(db.open(), embedding_with(Letters), &Quiet).expect("load");
    assert_eq!(c.story_version(), letters);
    let notes = Phases::default();
    let r = c.refresh(&notes, &stop).expect("refresh");
    assert_eq!(
        r,
        Refreshed {
            stored: n,
            outdated: 0,
            realigned: n
        }
    );
    let notes = notes.0.lock().expect("lock").join("\n");
    assert!(
        notes.contains(&format!(
            "note recomputing {n} stories: aligned on words only (embeddings off); this run \
             aligns with the embeddings of letters"
        )),
        "{notes}"
    );
    assert!(all_are(&letters), "{:?}", analyzers());
    let first = analyzers().len();
    let stored = c.store().stories(&StoryFilter::default()).expect("list");
    assert_eq!(stored.len(), first);
    let id = &stored[0].id;
    let a = c
        .store()
        .story_analysis(id)
        .expect("analysis")
        .expect("analysed");
    assert!(a.alignment.embeddings, "{:?}", a.alignment);
    assert_eq!(c.store().outdated_stories(&letters).expect("count"), 0);
    // A words-only writer keeps what a model aligned.
    assert_eq!(c.store().outdated_stories(&words).expect("count"), 0);
    assert_eq!(c.store().older_analysis_stories().expect("count"), 0);
    assert_eq!(
        c.refresh(&Quiet, &stop).expect("refresh"),
        Refreshed::default()
    );
    drop(c);

    // A model that fails mid-run: the stories fall back to words and record that, so they
    // stay outdated for a run with the model (the next one that has it recomputes them).
    let mut c = Collection::load_with(db.open(), embedding_with(Broken), &Quiet).expect("load");
    let broken = c.story_version();
    let r = c.refresh(&Quiet, &stop).expect("refresh");
    assert_eq!(r.stored, n);
    assert!(all_are(&words), "{:?}", analyzers());
    assert_eq!(
        c.store().outdated_stories(&broken).expect("count"),
        n as i64
    );
    drop(c);

    // And back: a words-only run keeps them, a run with the model recomputes them again.
    let mut c = db.collection();
    assert_eq!(
        c.refresh(&Quiet, &stop).expect("refresh"),
        Refreshed::default()
    );
    drop(c);
    let mut c = Collection::load_with(db.open(), embedding_with(Letters), &Quiet).expect("load");
    assert_eq!(c.refresh(&Quiet, &stop).expect("refresh").realigned, n);
    drop(c);
    // A words-only run never downgrades: the stories a model aligned keep their analysis.
    let mut c = db.collection();
    let notes = Phases::default();
    assert_eq!(
        c.refresh(&notes, &stop).expect("refresh"),
        Refreshed::default()
    );
    let notes = notes.0.lock().expect("lock").join("\n");
    assert!(!notes.contains("recomputing"), "{notes}");
    assert!(all_are(&letters), "{:?}", analyzers());
    // But a story of another version of the story analysis is recomputed on words.
    db.exec("UPDATE stories SET analyzer = '0.0.0+s0.0+letters'");
    assert_eq!(c.store().outdated_stories(&words).expect("count"), n as i64);
    let r = c.refresh(&Quiet, &stop).expect("refresh");
    assert_eq!((r.stored, r.outdated, r.realigned), (n, n, 0));
    assert!(all_are(&words), "{:?}", analyzers());
}
