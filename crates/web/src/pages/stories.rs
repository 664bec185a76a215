//! The story list: newest first, with outlets and claim counts, filtered by outlet and date,
//! paginated.

use super::{html_response, json_response, pages};
use crate::error::WebError;
use crate::layout::{self, plural};
use crate::links;
use crate::params::{self, Checked, Raw};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use parallax_store::{OutletCount, StoryFilter, StorySummary};
use serde::Serialize;
use std::sync::Arc;

pub const PER_PAGE: usize = 25;
/// Outlets offered in the filter (the most prolific first).
const OUTLETS_SHOWN: usize = 300;

/// The story list page and `/api/stories`.
#[derive(Debug, Serialize)]
pub struct StoriesPage {
    /// Stories matching the filters, on every page.
    pub total: i64,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub stories: Vec<StorySummary>,
    /// Outlets to filter by, with their article counts.
    pub outlets: Vec<OutletCount>,
}

pub async fn load(st: &Arc<AppState>, p: Checked) -> Result<StoriesPage, WebError> {
    st.pool
        .read(st.limits.queue_wait, move |store| {
            let filter = StoryFilter {
                outlet: p.outlet.clone(),
                since: p.since.clone(),
                until: p.until.clone(),
                limit: PER_PAGE,
                offset: (p.page - 1) * PER_PAGE,
            };
            let total = store.story_count(&filter)?;
            let n_pages = pages(total, PER_PAGE);
            if p.page > n_pages {
                return Err(WebError::NotFound(format!(
                    "There is no page {}: the list has {}.",
                    p.page,
                    plural(n_pages as i64, "page", "pages")
                )));
            }
            let stories = store.stories(&filter)?;
            Ok(StoriesPage {
                total,
                page: p.page,
                pages: n_pages,
                per_page: PER_PAGE,
                outlet: p.outlet,
                since: p.since,
                until: p.until,
                stories,
                outlets: store.outlets(OUTLETS_SHOWN)?,
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
        Ok(p) => load(&st, p).await,
        Err(e) => Err(e),
    };
    json_response(r)
}

fn api_url(m: &StoriesPage) -> String {
    let page = m.page.to_string();
    links::with_query(
        "/api/stories",
        &[
            ("outlet", m.outlet.as_deref().unwrap_or("")),
            ("since", m.since.as_deref().unwrap_or("")),
            ("until", m.until.as_deref().unwrap_or("")),
            ("page", if m.page > 1 { &page } else { "" }),
        ],
    )
}

pub fn render(m: &StoriesPage) -> Markup {
    let filtered = m.outlet.is_some() || m.since.is_some() || m.until.is_some();
    let pairs = vec![
        ("outlet", m.outlet.clone().unwrap_or_default()),
        ("since", m.since.clone().unwrap_or_default()),
        ("until", m.until.clone().unwrap_or_default()),
    ];
    let body = html! {
        div.page-head {
            h1 { "Stories" }
            p.meta-line {
                (plural(m.total, "story", "stories"))
                @if filtered { " match the filters" }
                " · newest first"
            }
        }
        form.filters method="get" action="/" {
            label {
                "Outlet"
                select name="outlet" {
                    option value="" { "All outlets" }
                    @for o in &m.outlets {
                        @let chosen = m.outlet.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&o.outlet));
                        option value=(o.outlet) selected[chosen] { (o.outlet) " (" (o.articles) ")" }
                    }
                    @if let Some(x) = &m.outlet {
                        @if !m.outlets.iter().any(|o| o.outlet.eq_ignore_ascii_case(x)) {
                            option value=(x) selected { (x) }
                        }
                    }
                }
            }
            label { "Published from" input type="date" name="since" value=[m.since.as_deref()]; }
            label { "to" input type="date" name="until" value=[m.until.as_deref()]; }
            button type="submit" { "Filter" }
            @if filtered { a.reset href="/" { "Clear filters" } }
        }
        @if m.stories.is_empty() {
            p.empty {
                @if filtered { "No story matches these filters." }
                @else { "The collection is empty: add articles with " code { "parallax ingest PATH" } " and reload this page." }
            }
        }
        ol.story-list {
            @for s in &m.stories { (story_item(s)) }
        }
        (layout::pager("/", &pairs, m.page, Some(m.pages), false))
    };
    layout::page("Stories", Some(&api_url(m)), "", body)
}

fn story_item(s: &StorySummary) -> Markup {
    let title = if s.label.trim().is_empty() {
        s.id.as_str()
    } else {
        s.label.trim()
    };
    html! {
        li.story-item {
            h2 { a href=(links::story(&s.id)) { (title) } }
            p.facts {
                span.when { (layout::span(s.first_published.as_deref(), s.last_published.as_deref())) }
                span.n-articles { (plural(s.articles, "article", "articles")) }
                @for o in &s.outlets { span.outlet-chip { (o) } }
                @if s.outlets.is_empty() { span.muted { "outlets unknown" } }
            }
            p.facts {
                @if s.agreed > 0 { span.kind.k-agreed { (s.agreed) " agreed" } }
                @if s.only_in > 0 { span.kind.k-only { (s.only_in) " only in one" } }
                @if s.conflicts > 0 { span.kind.k-conflict { (plural(s.conflicts, "conflict", "conflicts")) } }
                @if s.agreed + s.only_in + s.conflicts == 0 { span.muted { "no claims aligned" } }
                @if s.older_analysis { span.pending title="Analysed by an older version of the story analysis; the next `parallax ingest` recomputes it" { "older analysis" } }
                @else if !s.analysed { span.pending title="Articles joined after the last analysis; the page analyses them when opened" { "new articles" } }
            }
        }
    }
}
