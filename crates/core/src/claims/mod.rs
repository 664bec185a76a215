//! Claims and voice: what each sentence does (report, attribute, speculate, opine, quote) and
//! how loaded the outlet's wording is.

use crate::model::{Document, Mention};

/// Sets each sentence's status, labels, source, markers, speaker and loaded spans, and the
/// document's framing profile. `mentions` are the document's own name mentions.
pub fn annotate(_doc: &mut Document, _mentions: &[Mention]) {}
