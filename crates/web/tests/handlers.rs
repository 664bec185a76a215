//! Handler tests: requests through the real router (`tower::ServiceExt::oneshot`) against a
//! store built from the bundled seed articles, hostile articles and generated stories.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::*;
use http_body_util::BodyExt;
use parallax_web::{router, AppState, Limits};
use serde_json::Value;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    app: Router,
}

fn fixture(extra: Vec<parallax_core::model::ArticleInput>) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut inputs = seed_inputs();
    inputs.extend(extra);
    let path = store_with(dir.path(), inputs);
    let app = router(AppState::open(&path, Limits::default()).expect("state"));
    Fixture {
        _dir: dir,
        path,
        app,
    }
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get(app: &Router, uri: &str) -> Got {
    let req = Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Got {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

async fn json(app: &Router, uri: &str) -> Value {
    let g = get(app, uri).await;
    assert_eq!(g.status, StatusCode::OK, "{uri}: {}", g.body);
    assert!(g.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .starts_with("application/json"));
    serde_json::from_str(&g.body).expect("JSON")
}

/// The seed story's id (the story with both seed articles).
async fn seed_story(app: &Router) -> String {
    let list = json(app, "/api/stories").await;
    list["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .find(|s| s["articles"] == 2)
        .and_then(|s| s["id"].as_str())
        .expect("a story with both seed articles")
        .to_string()
}

#[tokio::test]
async fn story_list_page_and_twin() {
    let f = fixture(vec![]);
    let g = get(&f.app, "/").await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.body.starts_with("<!DOCTYPE html>"));
    assert!(g.body.contains("1 story"), "{}", g.body);
    assert!(g.body.contains("class=\"story-item\""));
    assert!(g.body.contains("Tue 21 Jan 2025") || g.body.contains("2025"));
    let list = json(&f.app, "/api/stories").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["page"], 1);
    assert_eq!(list["stories"][0]["articles"], 2);
    let id = seed_story(&f.app).await;
    assert!(g.body.contains(&format!("href=\"/stories/{id}\"")));
}

#[tokio::test]
async fn story_page_shows_both_columns_claims_timeline_and_actors() {
    let f = fixture(vec![]);
    let id = seed_story(&f.app).await;
    let g = get(&f.app, &format!("/stories/{id}")).await;
    assert_eq!(g.status, StatusCode::OK);
    let b = &g.body;
    assert_eq!(
        b.matches("<th scope=\"col\" class=\"doc-head\">").count(),
        2
    );
    assert!(
        b.contains("class=\"group k-agreed\""),
        "an agreed claim group"
    );
    assert!(b.contains("<section class=\"timeline\"><h3>Timeline</h3>"));
    assert!(
        b.contains("Tue 21 Jan 2025"),
        "the timeline writes dates for people"
    );
    assert!(
        b.contains("Almasri") && b.contains("al-Masri"),
        "both spellings"
    );
    assert!(b.contains("class=\"entity-link\" href=\"/entities/"));
    assert!(
        b.contains("href=\"/articles/"),
        "columns link to the articles"
    );
    // The twin is the same story's report.
    let twin = json(&f.app, &format!("/api/stories/{id}")).await;
    assert_eq!(twin["story"]["id"], id.as_str());
    assert_eq!(twin["report"]["stories"][0]["id"], id.as_str());
    assert_eq!(twin["articles"].as_array().map(Vec::len), Some(2));
    // The stored analysis, not one computed for this request.
    assert_eq!(twin["analysed_now"], false);
    assert!(!b.contains("analysed just now"));
}

#[tokio::test]
async fn article_entity_and_search_pages() {
    let f = fixture(vec![]);
    let id = seed_story(&f.app).await;
    let twin = json(&f.app, &format!("/api/stories/{id}")).await;
    let art = twin["articles"][0]["id"]
        .as_str()
        .expect("article id")
        .to_string();
    let g = get(&f.app, &format!("/articles/{art}")).await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.body.contains("class=\"fulltext\""));
    assert!(
        g.body.contains("<mark class=\"loaded\""),
        "loaded words marked"
    );
    assert!(
        g.body.contains("data-alt=\""),
        "with their neutral alternative"
    );
    assert!(g.body.contains(&format!("href=\"/stories/{id}\"")));
    let a = json(&f.app, &format!("/api/articles/{art}")).await;
    assert_eq!(a["article"]["id"], art.as_str());
    assert!(a["document"]["paragraphs"].is_array());

    // The actor known as Almasri and al-Masri: its page lists the story and both forms.
    let ents = twin["report"]["entities"].as_array().expect("entities");
    let actor = ents
        .iter()
        .find(|e| {
            let forms: Vec<&str> = e["aliases"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            forms.contains(&"Almasri") && forms.iter().any(|f| f.contains("al-Masri"))
        })
        .expect("an entity with both spellings");
    let eid = actor["id"].as_str().expect("id");
    let g = get(&f.app, &format!("/entities/{eid}")).await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.body.contains("Almasri") && g.body.contains("al-Masri"));
    assert!(g.body.contains(&format!("href=\"/stories/{id}\"")));
    let e = json(&f.app, &format!("/api/entities/{eid}")).await;
    assert_eq!(e["total"], 1);
    let namings = e["appearances"][0]["articles"]
        .as_array()
        .expect("articles");
    assert_eq!(namings.len(), 2, "both outlets name it: {e}");

    let g = get(&f.app, "/search?q=Almasri").await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(
        g.body.contains("<mark class=\"hit\">Almasri</mark>"),
        "{}",
        g.body
    );
    let s = json(&f.app, "/api/search?q=Almasri").await;
    assert!(!s["hits"].as_array().expect("hits").is_empty());
    assert!(s["hits"][0]["snippet_marked"]
        .as_str()
        .unwrap_or("")
        .contains("[Almasri]"));
    // The search form alone.
    assert_eq!(get(&f.app, "/search").await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_ids_are_404_and_bad_parameters_400() {
    let f = fixture(vec![]);
    for uri in [
        "/stories/s-000000000000",
        "/articles/0000000000000000",
        "/entities/s-0-e1",
        "/no/such/page",
        "/?page=2",
        "/stories/%3Cscript%3E",
    ] {
        let g = get(&f.app, uri).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(g.body.contains("404"), "{uri}: an HTML error page");
        assert!(!g.body.contains("<script>"), "{uri}: escaped");
    }
    for uri in [
        "/api/stories/nope",
        "/api/articles/nope",
        "/api/entities/nope",
        "/api/nope",
    ] {
        let g = get(&f.app, uri).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{uri}");
        let v: Value = serde_json::from_str(&g.body).expect("JSON error");
        assert_eq!(v["error"]["status"], 404);
    }
    for uri in [
        "/?page=0",
        "/?page=abc",
        "/?since=yesterday",
        "/?since=2025-02-01&until=2025-01-01",
        "/search?q=%22%22%20**",
        "/api/search",
        "/api/stories?until=2025-13-40",
        "/?page=%FF",
    ] {
        let g = get(&f.app, uri).await;
        assert_eq!(g.status, StatusCode::BAD_REQUEST, "{uri}: {}", g.body);
    }
    let long = format!("/search?q={}", "a".repeat(5000));
    assert_eq!(get(&f.app, &long).await.status, StatusCode::URI_TOO_LONG);
}

#[tokio::test]
async fn pages_carry_security_headers_and_no_inline_script() {
    let f = fixture(vec![]);
    let id = seed_story(&f.app).await;
    for uri in [
        "/".to_string(),
        format!("/stories/{id}"),
        "/search?q=Libya".into(),
    ] {
        let g = get(&f.app, &uri).await;
        let csp = g.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        let script = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"));
        assert_eq!(script, Some("script-src 'self'"), "{csp}");
        assert!(csp.starts_with("default-src 'none'"));
        assert_eq!(g.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(g.headers[header::X_FRAME_OPTIONS], "DENY");
        // The only script element is the page's own file.
        assert_eq!(g.body.matches("<script").count(), 1, "{uri}");
        assert!(g.body.contains("<script src=\"/static/parallax-"));
    }
    let css = get(&f.app, parallax_web_css()).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .starts_with("text/css"));
    assert!(css.body.contains(".story-item") && css.body.contains(".cols-wrap"));
}

fn parallax_web_css() -> &'static str {
    concat!("/static/parallax-", env!("CARGO_PKG_VERSION"), ".css")
}

#[tokio::test]
async fn hostile_articles_are_escaped_and_their_links_inert() {
    let f = fixture(vec![hostile()]);
    let list = json(&f.app, "/api/stories").await;
    let story = list["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .find(|s| s["label"].as_str().unwrap_or("").contains("crane") || s["articles"] == 1)
        .and_then(|s| s["id"].as_str())
        .expect("the hostile story")
        .to_string();
    let twin = json(&f.app, &format!("/api/stories/{story}")).await;
    let art = twin["articles"][0]["id"].as_str().expect("id").to_string();
    for uri in [
        "/".to_string(),
        format!("/stories/{story}"),
        format!("/articles/{art}"),
        "/search?q=crane".into(),
        "/search?q=script".into(),
    ] {
        let g = get(&f.app, &uri).await;
        assert_eq!(g.status, StatusCode::OK, "{uri}");
        let b = &g.body;
        assert!(!b.contains("<script>document"), "{uri}: raw script");
        assert!(!b.contains("<img src=x"), "{uri}: raw img");
        assert!(!b.contains("<svg"), "{uri}: raw svg");
        assert!(!b.contains(" onerror=\""), "{uri}: live handler");
        assert!(!b.contains("href=\"javascript:"), "{uri}: javascript link");
        assert!(
            !b.to_ascii_lowercase().contains("href=\"javascript"),
            "{uri}"
        );
    }
    let g = get(&f.app, &format!("/articles/{art}")).await;
    assert!(
        g.body.contains("&lt;script&gt;document.title="),
        "shown as text"
    );
    assert!(g.body.contains("not a web link, so not linked"));
}

#[tokio::test]
async fn long_lists_paginate_and_keep_their_filters() {
    let f = fixture(generated(30));
    let p1 = json(&f.app, "/api/stories").await;
    let total = p1["total"].as_i64().expect("total");
    assert!(total >= 26, "{total} stories");
    assert_eq!(p1["stories"].as_array().map(Vec::len), Some(25));
    let p2 = json(&f.app, "/api/stories?page=2").await;
    assert_eq!(
        p2["stories"].as_array().map(Vec::len),
        Some((total - 25) as usize)
    );
    let g = get(&f.app, "/").await;
    assert!(g.body.contains("href=\"/?page=2\""), "a next link");
    let g = get(&f.app, "/?outlet=Courier%20Two").await;
    assert!(g.body.contains("<option value=\"Courier Two\" selected>"));
    let only = json(&f.app, "/api/stories?outlet=courier%20two").await;
    assert_eq!(only["total"], 10);
    let dated = json(&f.app, "/api/stories?since=2023-01-10&until=2023-01-12").await;
    assert_eq!(dated["total"], 3);
    // Search pages too.
    let s1 = json(&f.app, "/api/search?q=of").await;
    assert_eq!(s1["more"], true);
    let s2 = json(&f.app, "/api/search?q=of&page=2").await;
    assert_ne!(s1["hits"][0], s2["hits"][0]);
}

#[tokio::test]
async fn new_articles_show_on_the_next_load_without_restart() {
    let f = fixture(vec![]);
    assert_eq!(json(&f.app, "/api/stories").await["total"], 1);
    add(&f.path, generated(3));
    assert_eq!(json(&f.app, "/api/stories").await["total"], 4);
    let new = generated(1).remove(0).hints.title.expect("title");
    let word = new.split(' ').next().expect("a word");
    let g = get(&f.app, &format!("/search?q={word}")).await;
    assert!(g
        .body
        .contains(&format!("<mark class=\"hit\">{word}</mark>")));
}
