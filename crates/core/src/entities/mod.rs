//! Entities: proper-name mentions in sentences, and their resolution into one entity per
//! real-world actor across the articles of a story.
//!
//! No statistical tagger is available to a pure-Rust core, so detection is rules plus
//! lexicons (see `data/entities/`): capitalisation, gazetteers, head words, roles, given names.
//! Resolution merges mentions only on stated evidence, kept in [`crate::model::Evidence`].

mod detect;
pub(crate) mod lexicon;
mod names;
mod person;
mod resolve;
mod tokens;

pub use detect::detect;
pub use resolve::{resolve, resolve_story};

/// The key that links one actor's entities across stories: the name folded to lower case,
/// without diacritics or punctuation ("Al-Masri" and "al-masri" share one).
pub fn name_key(name: &str) -> String {
    names::fold(name)
}

#[cfg(test)]
mod tests;
