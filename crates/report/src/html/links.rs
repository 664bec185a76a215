//! Where the links inside the rendered pieces point.
//!
//! The same pieces (claim rows, timeline chips, actor evidence, sentence back-links) are
//! rendered into two places: the self-contained report, where every target is a fragment of
//! the one page, and the web server's pages, where an article, a story and an entity each have
//! their own URL. The pieces ask a [`Links`] for every `href` instead of writing fragments
//! themselves, so both places share one renderer.

use super::anchor_id;

/// The `href` of each kind of target. Returned strings are written into attributes escaped,
/// but implementations should return URL-safe text (fragments from [`anchor_id`], percent-
/// encoded path segments).
pub trait Links: Sync {
    /// The story with id `story_id`, the `n`th of the rendered report.
    fn story(&self, story_id: &str, n: usize) -> String;
    /// An article (its full text).
    fn article(&self, doc_id: &str) -> String;
    /// A sentence inside its article's full text.
    fn sentence(&self, doc_id: &str, sentence_id: &str) -> String;
    /// A claim row of a story.
    fn claim(&self, story_id: &str, n: usize, claim_id: &str) -> String;
    /// A page about an entity across stories, when there is one (the report has none).
    fn entity(&self, _entity_id: &str) -> Option<String> {
        None
    }
}

/// Links inside one self-contained page: every target is a fragment.
pub struct Fragments;

impl Links for Fragments {
    fn story(&self, _story_id: &str, n: usize) -> String {
        format!("#{}", story_anchor(n))
    }
    fn article(&self, doc_id: &str) -> String {
        format!("#{}", doc_anchor(doc_id))
    }
    fn sentence(&self, _doc_id: &str, sentence_id: &str) -> String {
        format!("#{}", sentence_anchor(sentence_id))
    }
    fn claim(&self, _story_id: &str, n: usize, claim_id: &str) -> String {
        format!("#{}", claim_anchor(n, claim_id))
    }
}

/// The page anchor of the `n`th story (position-based, so always unique).
pub fn story_anchor(n: usize) -> String {
    format!("story-{}", n + 1)
}

/// Anchor of a claim row: story position plus claim id (claim ids may repeat across stories).
pub fn claim_anchor(story_n: usize, claim_id: &str) -> String {
    anchor_id(&format!("claim-{}", story_n + 1), claim_id)
}

/// Anchor of a sentence inside the full text of its article.
pub fn sentence_anchor(sentence_id: &str) -> String {
    anchor_id("s", sentence_id)
}

/// Anchor of an article's full text.
pub fn doc_anchor(doc_id: &str) -> String {
    anchor_id("doc", doc_id)
}
