//! The version of the story analysis (`corpus::analyze_story`: entities across articles,
//! time anchoring, claim alignment, conflicts, the label).
//!
//! A store keeps each story's analysis from the last time the story changed. The article
//! analyzer's version (`ANALYZER_VERSION`) does not cover it: a refit of the pair model or a
//! change to alignment changes a story's claims while every article's analysis stays the
//! same. So a stored story also records the version it was computed with, and a store that
//! finds another version recomputes the story from its stored articles.
//!
//! The same articles also give other claims when their sentences are embedded by another
//! model, or not at all (`--no-embeddings`, no model installed, a model that failed): so
//! what a story records is [`story_analysis_version_for`] the embeddings its alignment
//! actually used, and a writer recomputes the stories whose record differs from what its
//! own run would compute (its code, its data and its embedder).

use crate::model::AlignmentInfo;
use std::sync::OnceLock;

/// The hand-bumped part of [`story_analysis_version`]: raise the suffix whenever story-level
/// code changes what a story's analysis holds for the same articles (alignment, conflict
/// checks, entity resolution across articles, anchoring, labels). The data files the story
/// analysis reads are hashed in automatically, so a refit of the pair model needs no bump.
pub const STORY_ANALYSIS_CODE: &str = concat!(env!("CARGO_PKG_VERSION"), "+s7");

/// The version of the story analysis: [`STORY_ANALYSIS_CODE`] and a hash of the data it
/// reads (the pair model, the claim and conflict cue lists, the token match's function
/// words), e.g. `0.1.0+s1.3f09a1c2b4d5e6f7`. Equal versions give equal analyses for the same
/// articles and the same sentence vectors; which vectors (which model, or none) is not part
/// of it: a stored story records [`story_analysis_version_for`] its embeddings, which starts
/// with this base.
pub fn story_analysis_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        version_of(
            STORY_ANALYSIS_CODE,
            &[
                super::pair::MODEL,
                super::align::CUES,
                super::conflict::CUES,
                crate::embed::TOKEN_STOPWORDS,
            ],
        )
    })
}

/// What [`story_analysis_version_for`] appends when claims were aligned on words only.
pub const WORDS_ONLY: &str = "words";

/// The version a stored story records: [`story_analysis_version`] (the code and the data
/// it reads), `+`, and what claims were aligned with: the embedding model's id, or
/// [`WORDS_ONLY`] without embeddings, e.g. `0.1.0+s1.3f09a1c2b4d5e6f7+words`. The base stays
/// a version of its own because only a writer knows which embedder it runs: readers
/// (`parallax stories`) compare the base alone, a writer the whole.
pub fn story_analysis_version_for(model: Option<&str>) -> String {
    format!(
        "{}+{}",
        story_analysis_version(),
        model.unwrap_or(WORDS_ONLY)
    )
}

/// The version a story analysis aligned as `alignment` says records: the model only when
/// embeddings were actually used (a model that failed for a batch leaves it words-only, and
/// so recomputed by the next run that has the model).
pub fn story_analysis_version_of(alignment: &AlignmentInfo) -> String {
    story_analysis_version_for(if alignment.embeddings {
        alignment.model.as_deref()
    } else {
        None
    })
}

/// A story version read from a store against this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredVersion<'a> {
    /// Another story analysis (another build, pair model or cue list), none recorded (stored
    /// before schema version 4), or this one without its embeddings (stored before they
    /// were recorded).
    Other,
    /// This build's story analysis, aligned with this model's embeddings (`None`: on words
    /// only).
    Aligned(Option<&'a str>),
}

/// Reads a story's stored version (`stories.analyzer`) against this build's, to say why a
/// story is recomputed.
pub fn read_stored_version(stored: Option<&str>) -> StoredVersion<'_> {
    let rest = stored
        .and_then(|v| v.strip_prefix(story_analysis_version()))
        .and_then(|v| v.strip_prefix('+'))
        .filter(|m| !m.is_empty());
    match rest {
        Some(m) if m == WORDS_ONLY => StoredVersion::Aligned(None),
        Some(m) => StoredVersion::Aligned(Some(m)),
        None => StoredVersion::Other,
    }
}

/// `code` and a stable 64-bit hash of `data` (each part's length is hashed with it, so
/// moving text from one file to the next changes the hash too).
fn version_of(code: &str, data: &[&str]) -> String {
    let mut h: u64 = 0;
    for part in data {
        let own = super::lexicon::hash64(part);
        h = super::lexicon::mix64(h ^ own ^ (part.len() as u64).rotate_left(32));
    }
    format!("{code}.{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_the_code_and_follows_the_data() {
        let v = story_analysis_version();
        assert!(v.starts_with(STORY_ANALYSIS_CODE), "{v}");
        assert_eq!(v, story_analysis_version(), "stable within a build");
        assert_eq!(v.len(), STORY_ANALYSIS_CODE.len() + 17, "{v}");
        let base = version_of("c", &["weights 1 2", "cue"]);
        assert_eq!(base, version_of("c", &["weights 1 2", "cue"]));
        // A refit (any change to a data file) or a code bump changes it.
        assert_ne!(base, version_of("c", &["weights 1 3", "cue"]));
        assert_ne!(base, version_of("c", &["weights 1 2", "cues"]));
        assert_ne!(base, version_of("c", &["weights 1 2cue", ""]));
        assert_ne!(base, version_of("d", &["weights 1 2", "cue"]));
    }

    #[test]
    fn a_stored_version_names_the_embeddings_used() {
        let base = story_analysis_version();
        let words = story_analysis_version_for(None);
        let model = story_analysis_version_for(Some("all-MiniLM-L6-v2"));
        assert_eq!(words, format!("{base}+words"));
        assert_eq!(model, format!("{base}+all-MiniLM-L6-v2"));
        assert_ne!(words, model);
        // Both start with the base, which readers compare alone.
        assert!(words.starts_with(base) && model.starts_with(base));
        // What the analysis actually used counts, not what was asked for.
        let used = |embeddings, model: Option<&str>| {
            story_analysis_version_of(&AlignmentInfo {
                embeddings,
                model: model.map(str::to_string),
                note: None,
            })
        };
        assert_eq!(used(true, Some("all-MiniLM-L6-v2")), model);
        assert_eq!(used(false, Some("all-MiniLM-L6-v2")), words);
        assert_eq!(used(false, None), words);
        // Read back against this build.
        assert_eq!(
            read_stored_version(Some(&words)),
            StoredVersion::Aligned(None)
        );
        assert_eq!(
            read_stored_version(Some(&model)),
            StoredVersion::Aligned(Some("all-MiniLM-L6-v2"))
        );
        for other in [
            None,
            Some(base),
            Some("0.0.0+s0.0000000000000000+words"),
            Some(&format!("{base}+")),
            Some(&format!("{base}x+words")),
        ] {
            assert_eq!(
                read_stored_version(other),
                StoredVersion::Other,
                "{other:?}"
            );
        }
    }
}
