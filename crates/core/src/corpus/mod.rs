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
use crate::stories::{
    Assignment, Backing, BackingError, Changes, Counters, Grouper, GroupingFeatures, Params,
};
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
/// documents live in the caller's articles or in a store. A [`Corpus::backed`] corpus keeps
/// not even that: its grouping state lives in the caller's [`Backing`] and it remembers no
/// members (the store does), so its memory does not grow with the articles it holds.
#[derive(Debug, Default)]
pub struct Corpus {
    grouper: Grouper,
    /// Membership lists; `None` for a backed corpus.
    members: Option<Members>,
}

#[derive(Debug, Default)]
struct Members {
    stories: Vec<StoryMembers>,
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
            members: Some(Members::default()),
        }
    }

    /// A corpus over a stored grouping state: it continues from `counters` and
    /// `frequencies` and loads the rest from the backing given to [`Corpus::add_backed`].
    pub fn backed(counters: Counters, frequencies: impl IntoIterator<Item = (u64, u32)>) -> Self {
        Corpus {
            grouper: Grouper::backed(Params::default(), counters, frequencies),
            members: None,
        }
    }

    /// Adds an analysed article; `None` when an article with its id is already in.
    pub fn add(&mut self, article: &Article) -> Option<Placement> {
        self.add_features(&article.id, &article.features)
    }

    /// [`Corpus::add`] from the id and grouping features alone (how a store re-opens a
    /// collection without loading documents). Cost: one placement, independent of the
    /// number of articles already in. For a backed corpus the caller keeps ids unique.
    pub fn add_features(&mut self, id: &str, features: &GroupingFeatures) -> Option<Placement> {
        if self
            .members
            .as_ref()
            .is_some_and(|m| m.placed.contains_key(id))
        {
            return None;
        }
        let a = self.grouper.place(id, features);
        Some(self.record(id, a))
    }

    /// Adds an article to a backed corpus, loading from `backing` what placing it needs. The
    /// caller writes [`Corpus::take_changes`] with the article.
    pub fn add_backed(
        &mut self,
        id: &str,
        features: &GroupingFeatures,
        backing: &mut dyn Backing,
    ) -> Result<Placement, BackingError> {
        let a = self.grouper.add_backed(id, features, backing)?;
        Ok(self.record(id, a))
    }

    /// Notes a placement in the membership lists (when kept).
    fn record(&mut self, id: &str, a: Assignment) -> Placement {
        if let Some(m) = &mut self.members {
            let arrival = m.order.len();
            if a.new_story || a.story >= m.stories.len() {
                m.stories.push(StoryMembers {
                    id: a.story_id.clone(),
                    thread: a.thread_id.clone(),
                    articles: Vec::new(),
                    copy_of: Vec::new(),
                });
            }
            let story_no = a.story.min(m.stories.len() - 1);
            let st = &mut m.stories[story_no];
            let copy_pos = a
                .copy_of_id
                .as_deref()
                .and_then(|c| st.articles.iter().position(|x| x == c));
            st.articles.push(id.to_string());
            st.copy_of.push(copy_pos);
            m.placed.insert(id.to_string(), (story_no, arrival));
            m.order.push(id.to_string());
        }
        Placement {
            story: a.story_id,
            thread: a.thread_id,
            new_story: a.new_story,
            copy_of: a.copy_of_id,
        }
    }

    /// What changed in a backed corpus's grouping state since the last call.
    pub fn take_changes(&mut self) -> Changes {
        self.grouper.take_changes()
    }

    /// Forgets written grouping records when more than `budget` are in memory.
    pub fn shrink(&mut self, budget: usize) {
        self.grouper.shrink(budget);
    }

    /// Stories in order of creation (none for a backed corpus).
    pub fn stories(&self) -> &[StoryMembers] {
        self.members.as_ref().map_or(&[], |m| &m.stories)
    }

    /// The story an article is in (never known to a backed corpus).
    pub fn story_of(&self, article: &str) -> Option<&StoryMembers> {
        let m = self.members.as_ref()?;
        m.placed.get(article).and_then(|&(s, _)| m.stories.get(s))
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.grouper.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grouper.is_empty()
    }

    /// Ids of every article added, in arrival order (none for a backed corpus).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.members
            .iter()
            .flat_map(|m| m.order.iter().map(String::as_str))
    }

    /// Whether the article is in (never known to a backed corpus).
    pub fn contains(&self, article: &str) -> bool {
        self.members
            .as_ref()
            .is_some_and(|m| m.placed.contains_key(article))
    }
}

#[cfg(test)]
mod tests;
