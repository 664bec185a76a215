//! Stories: near-duplicate detection, grouping of articles about the same event, and claim
//! alignment with a timeline inside each story.

use crate::model::{Claim, Document, DuplicateLink, Entity, Mention, TimeExpr, TimelineEvent};

/// The result of grouping: stories as indices into the input documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grouping {
    /// Each story lists document indices in input order; stories are ordered by first index.
    pub stories: Vec<Vec<usize>>,
    /// (copy index, link to the original).
    pub duplicates: Vec<(usize, DuplicateLink)>,
}

/// Groups documents into stories. Every document lands in exactly one story.
pub fn group(docs: &[Document], _mentions: &[Vec<Mention>]) -> Grouping {
    Grouping {
        stories: (0..docs.len()).map(|i| vec![i]).collect(),
        duplicates: Vec::new(),
    }
}

/// Lines up the claims of one story's documents and builds its timeline.
pub fn align(
    _docs: &[&Document],
    _entities: &[Entity],
    _times: &[&TimeExpr],
) -> (Vec<Claim>, Vec<TimelineEvent>) {
    (Vec::new(), Vec::new())
}
