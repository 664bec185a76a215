//! One article: its sentences tagged by status, loaded words marked with their neutral
//! alternative, dates with their values, links back to the story's claims, and the original.

use super::{html_response, id_param, json_response};
use crate::error::WebError;
use crate::layout;
use crate::links::{self, WebLinks};
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use parallax_core::model::{Claim, Document, Report, TimeExpr};
use parallax_report::html::{legend, web_url, Components};
use parallax_store::{ArticleRow, StorySummary};
use serde::Serialize;
use std::sync::Arc;

/// The article page and `/api/articles/{id}`.
#[derive(Debug, Serialize)]
pub struct ArticlePage {
    pub article: ArticleRow,
    /// The story it belongs to.
    pub story: Option<StorySummary>,
    /// The analysed article: sentences with status, source, speaker, loaded words.
    pub document: Document,
    /// Its time expressions, anchored through the story.
    pub times: Vec<TimeExpr>,
    /// The story's claims that include one of its sentences.
    pub claims: Vec<Claim>,
    /// The story's report, which the page renders from (not part of the JSON).
    #[serde(skip)]
    pub report: Report,
}

pub async fn load(st: &Arc<AppState>, id: String) -> Result<ArticlePage, WebError> {
    st.pool
        .read(st.limits.queue_wait, move |store| {
            let missing = || WebError::NotFound(format!("No article “{id}”."));
            let article = store.article_row(&id)?.ok_or_else(missing)?;
            let story = store.story_summary(&article.story)?;
            let mut report = store.story_report_now(&article.story)?;
            if !report
                .as_ref()
                .is_some_and(|r| r.documents.iter().any(|d| d.id == id))
            {
                // Not in its story's report (moved meanwhile): the article on its own.
                let a = store.article(&id)?.ok_or_else(missing)?;
                report = Some(parallax_core::corpus::assemble(vec![a], vec![]));
            }
            let report = report.ok_or_else(missing)?;
            let document = report
                .documents
                .iter()
                .find(|d| d.id == id)
                .cloned()
                .ok_or_else(missing)?;
            let times = report
                .times
                .iter()
                .filter(|t| t.doc == id)
                .cloned()
                .collect();
            let claims = report
                .stories
                .iter()
                .flat_map(|s| &s.claims)
                .filter(|c| c.sentences.iter().any(|x| x.doc == id))
                .cloned()
                .collect();
            Ok(ArticlePage {
                article,
                story,
                document,
                times,
                claims,
                report,
            })
        })
        .await
}

pub async fn html(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let r = match id_param(p, "article") {
        Ok(id) => load(&st, id).await,
        Err(e) => Err(e),
    };
    html_response(r, render)
}

pub async fn json(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let r = match id_param(p, "article") {
        Ok(id) => load(&st, id).await,
        Err(e) => Err(e),
    };
    json_response(r)
}

pub fn render(m: &ArticlePage) -> Markup {
    let d = &m.document;
    let parts = Components::new(&m.report, &WebLinks);
    let title = parts.title(&d.id).unwrap_or_else(|| d.id.clone());
    let title = title.as_str();
    let url = d.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let body = html! {
        div.page-head {
            p.crumbs {
                a href="/" { "Stories" } " › "
                @if let Some(s) = &m.story {
                    a href=(links::story(&s.id)) { (super::story::title(s)) } " ›"
                }
            }
            h1 { (title) }
            p.meta-line {
                span.outlet-chip { (d.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty()).unwrap_or("outlet unknown")) }
                " "
                (PreEscaped(parts.byline(&d.id).unwrap_or_default()))
            }
            @if let Some(u) = url {
                p.original {
                    @match web_url(u) {
                        Some(link) => { a href=(link) rel="noopener noreferrer" { "Read the original ↗" } " " span.muted { (link) } }
                        None => { span.not-linked { "Original address (not a web link, so not linked): " code { (u) } } }
                    }
                }
            }
        }
        details.howto {
            summary { "How to read this page" }
            (PreEscaped(legend()))
        }
        p.tools {
            label { input type="checkbox" #f-labels; " Hide status labels in the text" }
        }
        article.article-page {
            (PreEscaped(parts.article_text(&d.id).unwrap_or_default()))
            aside.doc-side {
                (PreEscaped(parts.article_side(&d.id).unwrap_or_default()))
            }
        }
    };
    layout::page(
        title,
        Some(&format!("/api{}", links::article(&d.id))),
        "",
        body,
    )
}
