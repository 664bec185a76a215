//! One story: its outlets side by side, agreed claims, conflicts, only-in claims, timeline,
//! actors and framing (the report's own components), and its articles.

use super::{html_response, id_param, json_response};
use crate::error::WebError;
use crate::layout::{self, plural};
use crate::links::{self, WebLinks};
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use parallax_core::model::Report;
use parallax_report::html::{legend, Components};
use parallax_store::{ArticleRow, StorySummary};
use serde::Serialize;
use std::sync::Arc;

/// The story page and `/api/stories/{id}`.
#[derive(Debug, Serialize)]
pub struct StoryPage {
    pub story: StorySummary,
    /// Its articles in arrival order.
    pub articles: Vec<ArticleRow>,
    /// The story's report (the JSON report's shape, docs/json.md): documents, entities,
    /// times and the one story with its claims and timeline.
    pub report: Report,
    /// The store holds no analysis of the story yet, so `report` was computed for this
    /// request (on words only: a reader loads no embedding model). False when `report` is
    /// the stored analysis, which may predate articles that joined since.
    pub analysed_now: bool,
}

pub async fn load(st: &Arc<AppState>, id: String) -> Result<StoryPage, WebError> {
    st.pool
        .read(st.limits.queue_wait, move |store| {
            let missing = || WebError::NotFound(format!("No story “{id}”."));
            let story = store.story_summary(&id)?.ok_or_else(missing)?;
            let (report, analysed_now) = match store.story_report(&id)? {
                Some(r) => (r, false),
                None => (store.story_report_now(&id)?.ok_or_else(missing)?, true),
            };
            let articles = store.story_article_rows(&id)?;
            Ok(StoryPage {
                story,
                articles,
                report,
                analysed_now,
            })
        })
        .await
}

pub async fn html(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let r = match id_param(p, "story") {
        Ok(id) => load(&st, id).await,
        Err(e) => Err(e),
    };
    html_response(r, render)
}

pub async fn json(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let r = match id_param(p, "story") {
        Ok(id) => load(&st, id).await,
        Err(e) => Err(e),
    };
    json_response(r)
}

pub fn title(s: &StorySummary) -> &str {
    if s.label.trim().is_empty() {
        &s.id
    } else {
        s.label.trim()
    }
}

pub fn render(m: &StoryPage) -> Markup {
    let s = &m.story;
    let parts = Components::new(&m.report, &WebLinks);
    let body = parts.story_body(0).unwrap_or_default();
    let page = html! {
        div.page-head {
            p.crumbs { a href="/" { "Stories" } " ›" }
            h1 { (title(s)) }
            p.meta-line {
                (layout::span(s.first_published.as_deref(), s.last_published.as_deref()))
                " · " (plural(s.articles, "article", "articles"))
                @if !s.outlets.is_empty() { " from " (s.outlets.join(", ")) }
                @if s.older_analysis { " · " span.pending { "analysed by an older version: the next ingest recomputes it" } }
                @else if m.analysed_now { " · " span.pending { "analysed just now, on words only: the next ingest stores its full analysis" } }
                @else if !s.analysed { " · " span.pending { "this analysis predates the last articles: the next ingest recomputes it" } }
            }
        }
        details.howto {
            summary { "How to read this page" }
            (PreEscaped(legend()))
        }
        p.tools {
            button type="button" data-toggle-all="open" hidden { "Expand all" } " "
            button type="button" data-toggle-all="close" hidden { "Collapse all" } " "
            label { input type="checkbox" #f-conflicts; " Show only conflicts" }
        }
        section.story-page aria-label="Story" {
            (PreEscaped(body))
        }
        section.articles-of-story {
            h2 { "The articles" }
            ol.article-list {
                @for a in &m.articles {
                    li {
                        a href=(links::article(&a.id)) { (parts.title(&a.id).unwrap_or_else(|| layout::article_name(a.title.as_deref(), &a.source).to_string())) }
                        " · " span.outlet-chip { (a.outlet.as_deref().unwrap_or("outlet unknown")) }
                        @if let Some(p) = &a.published { " · " span.muted { (layout::day(p)) } }
                        @if a.copy_of.is_some() { " · " span.dup { "near-copy" } }
                    }
                }
            }
        }
    };
    layout::page(
        title(s),
        Some(&format!("/api{}", links::story(&s.id))),
        "",
        page,
    )
}
