//! Language of an article's text, when its source does not declare one.
//!
//! Parallax's rules (names, dates, claims, loaded words) are written for English; the core
//! skips them for an article in another language and says so. Detection uses `whatlang`
//! (trigram statistics, no model files) on the first few thousand characters of the body,
//! and answers only when the detector calls its guess reliable.

use parallax_core::ArticleInput;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Text sampled for detection: enough for a reliable guess, bounded cost on huge bodies.
const SAMPLE_CHARS: usize = 4000;
/// Below this many words a guess is not worth making.
const MIN_WORDS: usize = 12;

/// Fills `hints.language` from the body when the source gave none.
pub fn fill(input: &mut ArticleInput) {
    if input
        .hints
        .language
        .as_deref()
        .is_some_and(|l| !l.trim().is_empty())
    {
        return;
    }
    if let Some(l) = detect(&input.body) {
        input.hints.language = Some(l);
    }
}

/// The BCP 47 code of `text`'s language (`en`, `de`, `zh`), or `None` when unsure.
pub fn detect(text: &str) -> Option<String> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    if sample.split_whitespace().count() < MIN_WORDS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(two_letter().get(code).copied().unwrap_or(code).to_string())
}

fn two_letter() -> &'static HashMap<&'static str, &'static str> {
    static T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../data/iso639.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        let de = "Die Regierung hat am Montag beschlossen, dass die neuen Regeln für den \
                  Hafen ab dem nächsten Jahr gelten sollen, sagte ein Sprecher der Stadt.";
        let fr = "Le gouvernement a décidé lundi que les nouvelles règles du port \
                  s'appliqueront dès l'année prochaine, a déclaré un porte-parole de la ville.";
        let en = "The government decided on Monday that the new rules for the harbour will \
                  apply from next year, a spokesman for the city said in a statement.";
        assert_eq!(detect(de).as_deref(), Some("de"));
        assert_eq!(detect(fr).as_deref(), Some("fr"));
        assert_eq!(detect(en).as_deref(), Some("en"));
        assert_eq!(detect("Too short to tell."), None);
    }

    #[test]
    fn table_has_every_entry_once() {
        let t = two_letter();
        assert!(t.len() >= 70);
        assert_eq!(t.get("deu"), Some(&"de"));
    }

    #[test]
    fn declared_language_wins() {
        let mut input = ArticleInput {
            id: "x".into(),
            source: "x".into(),
            kind: parallax_core::InputKind::Text,
            body: "Die Regierung hat am Montag beschlossen, dass die neuen Regeln gelten sollen, \
                   sagte ein Sprecher der Stadt am Hafen."
                .into(),
            hints: Default::default(),
            boilerplate: Vec::new(),
        };
        input.hints.language = Some("en".into());
        fill(&mut input);
        assert_eq!(input.hints.language.as_deref(), Some("en"));
        input.hints.language = None;
        fill(&mut input);
        assert_eq!(input.hints.language.as_deref(), Some("de"));
    }
}
