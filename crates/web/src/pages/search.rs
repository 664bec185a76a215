//! Full-text search over titles, sentences and names, with highlighted snippets.

use super::{html_response, json_response};
use crate::error::WebError;
use crate::layout;
use crate::links;
use crate::params::{self, Checked, Raw};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use parallax_report::html::sentence_anchor;
use parallax_store::search::{MATCH_END, MATCH_START};
use parallax_store::{HitKind, SearchQuery};
use serde::Serialize;
use std::sync::Arc;

pub const PER_PAGE: usize = 20;

/// The search page and `/api/search`.
#[derive(Debug, Serialize)]
pub struct SearchPage {
    /// What was searched (absent: the page shows the form only).
    pub q: Option<String>,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub page: usize,
    pub per_page: usize,
    /// Whether a next page has hits (searches are not counted in full).
    pub more: bool,
    pub hits: Vec<HitOut>,
}

/// One hit; `snippet` is plain text, `snippet_marked` has the matches in `[` `]`.
#[derive(Debug, Serialize)]
pub struct HitOut {
    pub kind: HitKind,
    pub article: Option<String>,
    pub story: Option<String>,
    /// The label of the hit's story (null when the story is gone).
    pub story_label: Option<String>,
    pub sentence: Option<String>,
    pub entity: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub snippet: String,
    pub snippet_marked: String,
    /// The snippet with the store's match marks (U+E000, U+E001), as the page renders it.
    #[serde(skip)]
    pub raw: String,
}

pub async fn load(st: &Arc<AppState>, p: Checked) -> Result<SearchPage, WebError> {
    let Some(text) = p.q.clone() else {
        return Ok(SearchPage {
            q: None,
            outlet: p.outlet,
            since: p.since,
            until: p.until,
            page: 1,
            per_page: PER_PAGE,
            more: false,
            hits: Vec::new(),
        });
    };
    st.pool
        .read(st.limits.queue_wait, move |store| {
            let q = SearchQuery {
                text,
                outlet: p.outlet.clone(),
                since: p.since.clone(),
                until: p.until.clone(),
                limit: PER_PAGE + 1,
                offset: (p.page - 1) * PER_PAGE,
            };
            let mut hits = store.search(&q)?;
            let more = hits.len() > PER_PAGE;
            hits.truncate(PER_PAGE);
            let unmark =
                |s: &str, a: &str, b: &str| s.replace(MATCH_START, a).replace(MATCH_END, b);
            Ok(SearchPage {
                q: p.q,
                outlet: p.outlet,
                since: p.since,
                until: p.until,
                page: p.page,
                per_page: PER_PAGE,
                more,
                hits: hits
                    .into_iter()
                    .map(|h| {
                        let story_label = match &h.story {
                            Some(id) => store.story_summary(id)?.map(|s| s.label),
                            None => None,
                        };
                        Ok(HitOut {
                            snippet: unmark(&h.snippet, "", ""),
                            snippet_marked: unmark(&h.snippet, "[", "]"),
                            raw: h.snippet,
                            kind: h.kind,
                            article: h.article,
                            story: h.story,
                            story_label,
                            sentence: h.sentence,
                            entity: h.entity,
                            title: h.title,
                            outlet: h.outlet,
                            published: h.published,
                        })
                    })
                    .collect::<Result<_, parallax_store::StoreError>>()?,
            })
        })
        .await
}

pub async fn html(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Raw>, QueryRejection>,
) -> Response {
    let r = match params::check(q) {
        Ok(p) => load(&st, p).await,
        Err(e) => Err(e),
    };
    html_response(r, render)
}

pub async fn json(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Raw>, QueryRejection>,
) -> Response {
    let r = match params::check(q) {
        Ok(p) if p.q.is_none() => Err(WebError::BadRequest(
            "q: give something to search for".into(),
        )),
        Ok(p) => load(&st, p).await,
        Err(e) => Err(e),
    };
    json_response(r)
}

/// Where a hit leads: the sentence in its article, the article, or the entity.
fn target(h: &HitOut) -> Option<String> {
    match (h.kind, &h.article, &h.sentence, &h.entity) {
        (HitKind::Sentence, Some(a), Some(s), _) => {
            Some(format!("{}#{}", links::article(a), sentence_anchor(s)))
        }
        (HitKind::Entity, _, _, Some(e)) => Some(links::entity(e)),
        (_, Some(a), _, _) => Some(links::article(a)),
        _ => None,
    }
}

pub fn render(m: &SearchPage) -> Markup {
    let q = m.q.as_deref().unwrap_or("");
    let pairs = vec![
        ("q", q.to_string()),
        ("outlet", m.outlet.clone().unwrap_or_default()),
        ("since", m.since.clone().unwrap_or_default()),
        ("until", m.until.clone().unwrap_or_default()),
    ];
    let body = html! {
        div.page-head {
            h1 { "Search" }
            p.meta-line { "Titles, sentences and names. Every word must occur, except common words such as \"the\" and \"of\"; put a phrase in \"quotes\" to match it exactly, common words and all. Results are the best of the newest " (parallax_store::search::RANK_WINDOW) " matching titles and sentences (" (parallax_store::search::FILTERED_WINDOW) " with an outlet or date filter) and of the newest " (parallax_store::search::RANK_WINDOW) " matching names." }
        }
        form.filters method="get" action="/search" role="search" {
            label { "Words" input type="search" name="q" value=(q) maxlength="1000" autofocus; }
            label { "Outlet" input type="search" name="outlet" value=[m.outlet.as_deref()] maxlength="200"; }
            label { "Published from" input type="date" name="since" value=[m.since.as_deref()]; }
            label { "to" input type="date" name="until" value=[m.until.as_deref()]; }
            button type="submit" { "Search" }
        }
        @if m.q.is_some() {
            @if m.hits.is_empty() {
                p.empty { @if m.page > 1 { "No more matches." } @else { "No matches." } }
            } @else {
                p.result-count {
                    "Matches " ((m.page - 1) * m.per_page + 1) "–" ((m.page - 1) * m.per_page + m.hits.len())
                    @if m.more { ", more on the next page" }
                    ", best first"
                }
            }
            ol.hits {
                @for h in &m.hits { (hit(h)) }
            }
            (layout::pager("/search", &pairs, m.page, None, m.more))
        }
    };
    let page = m.page.to_string();
    let api = m.q.as_ref().map(|_| {
        let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if m.page > 1 {
            all.push(("page", &page));
        }
        links::with_query("/api/search", &all)
    });
    let title = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    layout::page(&title, api.as_deref(), q, body)
}

fn hit(h: &HitOut) -> Markup {
    let kind = match h.kind {
        HitKind::Title => "title",
        HitKind::Sentence => "sentence",
        HitKind::Entity => "name",
    };
    let story_name = h
        .story_label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or("the story");
    html! {
        li.hit-item {
            p.where {
                span.hit-kind { (kind) }
                @if let Some(o) = &h.outlet { span.outlet-chip { (o) } " " }
                @if h.kind == HitKind::Entity {
                    "An actor named in "
                    @if let Some(s) = &h.story { a href=(links::story(s)) { (story_name) } }
                } @else {
                    @if let Some(t) = &h.title { (t) }
                    @if let Some(p) = &h.published { " · " (layout::day(p)) }
                    @if let Some(s) = &h.story {
                        " · " a.story-link href=(links::story(s)) title=(story_name) { "its story" }
                    }
                }
            }
            p.snip {
                @match target(h) {
                    Some(href) => { a href=(href) { (layout::snippet(&h.raw)) } }
                    None => { (layout::snippet(&h.raw)) }
                }
            }
        }
    }
}
