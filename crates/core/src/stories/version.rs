//! The version of the story analysis (`corpus::analyze_story`: entities across articles,
//! time anchoring, claim alignment, conflicts, the label).
//!
//! A store keeps each story's analysis from the last time the story changed. The article
//! analyzer's version (`ANALYZER_VERSION`) does not cover it: a refit of the pair model or a
//! change to alignment changes a story's claims while every article's analysis stays the
//! same. So a stored story also records the version it was computed with, and a store that
//! finds another version recomputes the story from its stored articles.

use std::sync::OnceLock;

/// The hand-bumped part of [`story_analysis_version`]: raise the suffix whenever story-level
/// code changes what a story's analysis holds for the same articles (alignment, conflict
/// checks, entity resolution across articles, anchoring, labels). The data files the story
/// analysis reads are hashed in automatically, so a refit of the pair model needs no bump.
pub const STORY_ANALYSIS_CODE: &str = concat!(env!("CARGO_PKG_VERSION"), "+s2");

/// The version of the story analysis: [`STORY_ANALYSIS_CODE`] and a hash of the data it
/// reads (the pair model, the claim and conflict cue lists, the token match's function
/// words), e.g. `0.1.0+s1.3f09a1c2b4d5e6f7`. Equal versions give equal analyses for the same
/// articles (and sentence vectors); a store recomputes stories stored under another one.
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
}
