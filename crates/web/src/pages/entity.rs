//! An entity across stories: every story whose entity has the same name key
//! (`parallax_core::entities::name_key`), and in each, which outlets name it and how.

use super::{html_response, id_param, json_response, pages};
use crate::error::WebError;
use crate::layout::{self, plural};
use crate::links;
use crate::params::{self, Raw};
use crate::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use parallax_store::{Backend, EntityRef};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const PER_PAGE: usize = 20;
/// Namesakes read for the spellings summary (one cheap row each).
const SPELLINGS_FROM: usize = 2000;

/// The entity page and `/api/entities/{id}`.
#[derive(Debug, Serialize)]
pub struct EntityPage {
    pub entity: EntityRef,
    /// Stories with an entity of the same name key, on every page.
    pub total: i64,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    /// Every spelling across those stories, with the number of stories using it.
    pub spellings: Vec<Spelling>,
    /// This page's stories, newest first.
    pub appearances: Vec<Appearance>,
}

#[derive(Debug, Serialize)]
pub struct Spelling {
    pub form: String,
    pub stories: usize,
}

/// The entity in one story: which articles name it and with which forms.
#[derive(Debug, Serialize)]
pub struct Appearance {
    pub entity: EntityRef,
    pub articles: Vec<Naming>,
}

#[derive(Debug, Serialize)]
pub struct Naming {
    pub article: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The file or address it was read from.
    pub source: String,
    /// The forms the article uses, each once, in order of first use.
    pub forms: Vec<String>,
    pub mentions: usize,
}

pub async fn load(st: &Arc<AppState>, id: String, page: usize) -> Result<EntityPage, WebError> {
    st.pool
        .read(st.limits.queue_wait, move |store| {
            let entity = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("No entity “{id}”.")))?;
            let total = store.namesake_count(&id)?;
            let n_pages = pages(total, PER_PAGE);
            if page > n_pages {
                return Err(WebError::NotFound(format!(
                    "There is no page {page}: this entity's list has {}.",
                    plural(n_pages as i64, "page", "pages")
                )));
            }
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for e in store.namesakes(&id, SPELLINGS_FROM, 0)? {
                let mut forms: Vec<&String> = std::iter::once(&e.name).chain(&e.aliases).collect();
                forms.sort();
                forms.dedup();
                for f in forms {
                    *counts.entry(f.clone()).or_default() += 1;
                }
            }
            let mut spellings: Vec<Spelling> = counts
                .into_iter()
                .map(|(form, stories)| Spelling { form, stories })
                .collect();
            spellings.sort_by(|a, b| b.stories.cmp(&a.stories).then(a.form.cmp(&b.form)));
            let mut appearances = Vec::new();
            for e in store.namesakes(&id, PER_PAGE, (page - 1) * PER_PAGE)? {
                let articles = namings(store, &e)?;
                appearances.push(Appearance {
                    entity: e,
                    articles,
                });
            }
            Ok(EntityPage {
                entity,
                total,
                page,
                pages: n_pages,
                per_page: PER_PAGE,
                spellings,
                appearances,
            })
        })
        .await
}

/// Which articles of `e`'s story name it, and how (from the story's stored analysis).
fn namings(store: &dyn Backend, e: &EntityRef) -> Result<Vec<Naming>, WebError> {
    let Some(analysis) = store.story_analysis(&e.story)? else {
        return Ok(Vec::new());
    };
    let Some(full) = analysis.entities.iter().find(|x| x.id == e.id) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in store.story_article_rows(&e.story)? {
        let mut forms: Vec<String> = Vec::new();
        let mut mentions = 0;
        for m in full.mentions.iter().filter(|m| m.doc == row.id) {
            mentions += 1;
            if !forms.contains(&m.text) {
                forms.push(m.text.clone());
            }
        }
        if mentions > 0 {
            out.push(Naming {
                article: row.id,
                title: row.title,
                outlet: row.outlet,
                published: row.published,
                source: row.source,
                forms,
                mentions,
            });
        }
    }
    Ok(out)
}

async fn checked(
    st: &Arc<AppState>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<Raw>, QueryRejection>,
) -> Result<EntityPage, WebError> {
    let id = id_param(p, "entity")?;
    let page = params::check(q)?.page;
    load(st, id, page).await
}

pub async fn html(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<Raw>, QueryRejection>,
) -> Response {
    html_response(checked(&st, p, q).await, render)
}

pub async fn json(
    State(st): State<Arc<AppState>>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<Raw>, QueryRejection>,
) -> Response {
    json_response(checked(&st, p, q).await)
}

fn type_name(t: &str) -> &str {
    match t {
        "PERSON" => "Person",
        "ORG" => "Organisation",
        "PLACE" => "Place",
        "GROUP" => "Group",
        "EVENT" => "Event",
        _ => "Other",
    }
}

pub fn render(m: &EntityPage) -> Markup {
    let e = &m.entity;
    let path = links::entity(&e.id);
    let body = html! {
        div.page-head {
            p.crumbs { a href="/" { "Stories" } " ›" }
            h1 { (e.name) " " span.etype { (type_name(&e.ty)) } }
            p.meta-line {
                "Named in " (plural(m.total, "story", "stories"))
                ", matched across stories by name (case, accents and punctuation aside)."
            }
        }
        h2.section-title { "Spellings" }
        ul.spellings {
            @for s in &m.spellings {
                li { span.form { (s.form) } " " span.muted { "· " (plural(s.stories as i64, "story", "stories")) } }
            }
        }
        h2.section-title { "Stories and outlets" }
        ol.appearances {
            @for a in &m.appearances {
                li.appearance {
                    h2 {
                        a href=(links::story(&a.entity.story)) {
                            (if a.entity.story_label.trim().is_empty() { a.entity.story.as_str() } else { a.entity.story_label.trim() })
                        }
                    }
                    p.muted {
                        "As " strong { (a.entity.name) }
                        @let others: Vec<&String> = a.entity.aliases.iter().filter(|x| **x != a.entity.name).collect();
                        @if !others.is_empty() {
                            ", also written "
                            @for f in &others { span.alias { (f) } }
                        }
                        " · " (plural(a.entity.mentions, "mention", "mentions"))
                    }
                    @if a.articles.is_empty() {
                        p.empty { "Which articles name it shows once the story is analysed." }
                    } @else {
                        table {
                            thead { tr { th scope="col" { "Outlet" } th scope="col" { "Article" } th scope="col" { "Written as" } th scope="col" { "Mentions" } } }
                            tbody {
                                @for n in &a.articles {
                                    tr {
                                        td { span.outlet-chip { (n.outlet.as_deref().unwrap_or("outlet unknown")) } }
                                        td {
                                            a href=(links::article(&n.article)) { (layout::article_name(n.title.as_deref(), &n.source)) }
                                            @if let Some(p) = &n.published { " " span.muted { (layout::day(p)) } }
                                        }
                                        td.forms {
                                            @for f in &n.forms { span.alias { (f) } }
                                        }
                                        td { (n.mentions) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (layout::pager(&path, &[], m.page, Some(m.pages), false))
    };
    let page = m.page.to_string();
    let api = links::with_query(
        &format!("/api{path}"),
        &[("page", if m.page > 1 { &page } else { "" })],
    );
    layout::page(&e.name, Some(&api), "", body)
}
