//! The web pages over a PostgreSQL store: requests through the real router
//! (`tower::ServiceExt::oneshot`) against the same articles stored in SQLite and in
//! PostgreSQL (a throwaway server, `parallax_store::testing`), whose pages and JSON twins
//! must match. Skipped, with a note, when no PostgreSQL server can be started (CI sets
//! PARALLAX_REQUIRE_PG so it cannot skip there).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use common::*;
use http_body_util::BodyExt;
use parallax_store::{Collection, Location, Quiet};
use parallax_web::{router, AppState, Limits};
use serde_json::Value;
use std::sync::atomic::AtomicBool;
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    )
}

/// The same answer from both apps; the body, for further checks.
async fn same(lite: &Router, pg: &Router, uri: &str) -> (StatusCode, String) {
    let a = get(lite, uri).await;
    let b = get(pg, uri).await;
    assert_eq!(a.0, b.0, "{uri}: status");
    assert!(a.1 == b.1, "{uri}: bodies differ:\n{}\n---\n{}", a.1, b.1);
    a
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).expect("JSON")
}

/// What a search finds, in an order of its own (the engines rank ties differently, and cut
/// their snippets each their own way).
fn hit_set(v: &Value) -> Vec<String> {
    let mut hits: Vec<String> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            format!(
                "{} {} {} {}",
                h["kind"], h["article"], h["sentence"], h["entity"]
            )
        })
        .collect();
    hits.sort();
    hits
}

#[test]
fn a_postgresql_store_serves_the_pages_and_twins_of_sqlite() {
    let Some(url) = parallax_store::testing::fresh_database() else {
        eprintln!(
            "a_postgresql_store_serves_the_pages_and_twins_of_sqlite: skipped: no PostgreSQL"
        );
        return;
    };
    let mut inputs = seed_inputs();
    inputs.push(hostile());
    inputs.extend(generated(30));

    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_with(dir.path(), inputs.clone());
    let pg_loc = Location::Postgres(url);
    {
        let store = parallax_store::open(&pg_loc).expect("PostgreSQL store");
        let mut c = Collection::load(store, &Quiet).expect("collection");
        c.ingest(inputs, None, &Quiet, &AtomicBool::new(false))
            .expect("ingest");
    }
    // Both states open (and later close) their connections outside the runtime.
    let lite = router(AppState::open(&path, Limits::default()).expect("SQLite state"));
    let pg = router(AppState::open(pg_loc, Limits::default()).expect("PostgreSQL state"));

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        // The story list, two pages of it, and filtered.
        let (status, body) = same(&lite, &pg, "/api/stories").await;
        assert_eq!(status, StatusCode::OK);
        let list = json(&body);
        assert_eq!(list["total"], 32, "{list}");
        same(&lite, &pg, "/").await;
        same(&lite, &pg, "/?page=2").await;
        same(&lite, &pg, "/api/stories?page=2").await;
        same(
            &lite,
            &pg,
            "/api/stories?outlet=gazette%20one&since=2023-02-01",
        )
        .await;
        let (status, _) = same(&lite, &pg, "/api/stories?page=9").await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Every story of the first page, its articles, and the seed story's actors.
        let mut entities = Vec::new();
        for s in list["stories"].as_array().expect("stories") {
            let id = s["id"].as_str().expect("id");
            same(&lite, &pg, &format!("/stories/{id}")).await;
            let (status, body) = same(&lite, &pg, &format!("/api/stories/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            let story = json(&body);
            for a in story["articles"].as_array().expect("articles") {
                let aid = a["id"].as_str().expect("article id");
                same(&lite, &pg, &format!("/articles/{aid}")).await;
                same(&lite, &pg, &format!("/api/articles/{aid}")).await;
            }
            if s["articles"] == 2 {
                for e in story["report"]["entities"].as_array().expect("entities") {
                    entities.push(e["id"].as_str().expect("entity id").to_string());
                }
            }
        }
        assert!(!entities.is_empty(), "the seed story has actors");
        for e in &entities {
            same(&lite, &pg, &format!("/entities/{e}")).await;
            let (status, _) = same(&lite, &pg, &format!("/api/entities/{e}")).await;
            assert_eq!(status, StatusCode::OK);
        }

        // Unknown ids and bad parameters.
        for uri in [
            "/stories/s-nope",
            "/api/articles/nope",
            "/entities/nope",
            "/api/stories?page=0",
        ] {
            let (status, _) = same(&lite, &pg, uri).await;
            assert!(status.is_client_error(), "{uri}: {status}");
        }

        // Search: the same hits, each engine ranking them its own way.
        let (a, b) = (
            get(&lite, "/api/search?q=Almasri").await,
            get(&pg, "/api/search?q=Almasri").await,
        );
        assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
        let (a, b) = (json(&a.1), json(&b.1));
        assert!(!hit_set(&a).is_empty());
        assert_eq!(hit_set(&a), hit_set(&b));
        let (status, page) = get(&pg, "/search?q=Almasri").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("<mark class=\"hit\">Almasri</mark>"),
            "{page}"
        );
    });
    drop(rt);
    drop((lite, pg));
}
