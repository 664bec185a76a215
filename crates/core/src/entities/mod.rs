//! Entities: proper-name mentions in sentences, and their resolution into one entity per
//! real-world actor across the articles of a story.

use crate::model::{Document, Entity, Mention};

/// Finds the name mentions of one document.
pub fn detect(_doc: &Document) -> Vec<Mention> {
    Vec::new()
}

/// Merges mentions into entities: within each document, then across the documents of each
/// story (`stories` holds indices into `docs`). Every merge records its evidence.
pub fn resolve(
    _docs: &[Document],
    _mentions: &[Vec<Mention>],
    _stories: &[Vec<usize>],
) -> Vec<Entity> {
    Vec::new()
}
