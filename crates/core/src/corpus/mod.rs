//! Phase two: a collection that grows. [`Corpus`] remembers which story each article joined;
//! [`analyze_story`] computes what a story shows (entities across its sources, dates anchored
//! through it, aligned claims, timeline) from its articles; [`assemble`] turns articles and
//! story analyses into the [`crate::model::Report`] every renderer reads.
//!
//! The split is what makes the collection incremental: adding an article costs one placement
//! (no scan of the corpus) and marks one story for recomputation; a store keeps articles and
//! story analyses and recomputes only the stories that changed.

mod links;
mod story;
mod view;

pub use links::link_documents;
pub use story::{analyze_story, StoryAnalysis};
pub use view::assemble;

use crate::article::Article;
use crate::stories::{Grouper, GroupingFeatures, Params};
use std::collections::HashMap;

/// A story of the collection: its stable id and its articles in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryMembers {
    /// `s-` and the first 12 hex digits of the id of the article that started it; never
    /// changes as articles arrive.
    pub id: String,
    /// The thread (ongoing subject) the story belongs to: `t-` and the first 12 hex digits of
    /// the article that started the thread's first story. Fixed when the story starts.
    pub thread: String,
    /// Article ids in arrival order.
    pub articles: Vec<String>,
    /// For each article (same order), the position in `articles` of the earlier article it
    /// nearly copies.
    pub copy_of: Vec<Option<usize>>,
}

/// Where [`Corpus::add`] placed an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Id of the story the article joined or started.
    pub story: String,
    /// Id of the story's thread.
    pub thread: String,
    pub new_story: bool,
    /// Id of the earlier article it nearly copies, if any.
    pub copy_of: Option<String>,
}

/// The grouping state of a collection: articles in arrival order and their stories.
///
/// It holds ids and grouping features only, never documents, so it stays small; the
/// documents live in the caller's articles or in a store.
#[derive(Debug, Default)]
pub struct Corpus {
    grouper: Grouper,
    stories: Vec<StoryMembers>,
    /// Thread number -> thread id.
    threads: Vec<String>,
    /// Article id -> (story number, arrival number).
    placed: HashMap<String, (usize, usize)>,
    /// Arrival number -> article id.
    order: Vec<String>,
}

impl Corpus {
    pub fn new() -> Self {
        Corpus::with_params(Params::default())
    }

    pub fn with_params(params: Params) -> Self {
        Corpus {
            grouper: Grouper::new(params),
            ..Corpus::default()
        }
    }

    /// Adds an analysed article; `None` when an article with its id is already in.
    pub fn add(&mut self, article: &Article) -> Option<Placement> {
        self.add_features(&article.id, &article.features)
    }

    /// [`Corpus::add`] from the id and grouping features alone (how a store re-opens a
    /// collection without loading documents). Cost: one placement, independent of the
    /// number of articles already in.
    pub fn add_features(&mut self, id: &str, features: &GroupingFeatures) -> Option<Placement> {
        if self.placed.contains_key(id) {
            return None;
        }
        let a = self.grouper.add(features);
        let arrival = self.order.len();
        if a.thread >= self.threads.len() {
            self.threads.push(prefixed("t-", id));
        }
        if a.new_story || a.story >= self.stories.len() {
            let thread = self
                .threads
                .get(a.thread)
                .cloned()
                .unwrap_or_else(|| prefixed("t-", id));
            self.stories.push(StoryMembers {
                id: prefixed("s-", id),
                thread,
                articles: Vec::new(),
                copy_of: Vec::new(),
            });
        }
        let copy_of = a.copy_of.and_then(|n| self.order.get(n)).cloned();
        let story_no = a.story.min(self.stories.len() - 1);
        let st = &mut self.stories[story_no];
        let copy_pos = copy_of
            .as_deref()
            .and_then(|c| st.articles.iter().position(|x| x == c));
        st.articles.push(id.to_string());
        st.copy_of.push(copy_pos);
        let story = st.id.clone();
        let thread = st.thread.clone();
        self.placed.insert(id.to_string(), (story_no, arrival));
        self.order.push(id.to_string());
        Some(Placement {
            story,
            thread,
            new_story: a.new_story,
            copy_of,
        })
    }

    /// Stories in order of creation.
    pub fn stories(&self) -> &[StoryMembers] {
        &self.stories
    }

    /// The story an article is in.
    pub fn story_of(&self, article: &str) -> Option<&StoryMembers> {
        self.placed
            .get(article)
            .and_then(|&(s, _)| self.stories.get(s))
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Ids of every article added, in arrival order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    pub fn contains(&self, article: &str) -> bool {
        self.placed.contains_key(article)
    }
}

/// A story or thread id: `prefix` and the first 12 hex digits of the article that started it.
fn prefixed(prefix: &str, first_article: &str) -> String {
    let head: String = first_article.chars().take(12).collect();
    format!("{prefix}{head}")
}

#[cfg(test)]
mod tests;
