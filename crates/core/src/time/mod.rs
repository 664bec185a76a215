//! Time: TIMEX3-style expressions, normalised against the document date, and anchored
//! through the story when the document has none.

use crate::model::{Document, TimeExpr};

/// Finds and normalises the time expressions of one document, anchored on its publication
/// date when it has one (otherwise relative values keep X's and `anchor.kind` is `none`).
pub fn tag(_doc: &Document) -> Vec<TimeExpr> {
    Vec::new()
}

/// Re-anchors the relative expressions of undated documents through a dated document of the
/// same story that reports the same event. `times[i]` belongs to `docs[i]`.
pub fn anchor_through_stories(
    _docs: &[Document],
    _times: &mut [Vec<TimeExpr>],
    _stories: &[Vec<usize>],
) {
}
