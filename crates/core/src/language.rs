//! Which articles the English rules apply to.
//!
//! Names, dates, quotes, hedges and loaded words are found with English rules and lexicons;
//! on another language they produce nonsense (every capitalised German noun a "name", no
//! dates, no quotes). An article whose language is known and is not English skips those
//! stages: it is still cleaned, segmented, grouped into stories and shown, with a note.
//! Unknown language means English (short texts cannot be told apart reliably).

/// True when the English-only stages (entities, time, claims) should run on an article with
/// this BCP 47 language tag.
pub fn english_rules_apply(language: Option<&str>) -> bool {
    // The primary subtag is the leading run of letters (`en` in `en-GB`, `en_US`); a value
    // without one is not a language tag, so the language counts as unknown.
    let primary: String = language
        .unwrap_or_default()
        .trim()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    primary.is_empty() || primary.eq_ignore_ascii_case("en") || primary.eq_ignore_ascii_case("eng")
}

/// The note shown for an article the English rules skip, e.g. "written in `de`: names,
/// dates and claims not analysed (Parallax's rules are for English)". `None` for English.
pub fn skipped_note(language: Option<&str>) -> Option<String> {
    if english_rules_apply(language) {
        return None;
    }
    Some(format!(
        "written in `{}`: names, dates and claims not analysed (Parallax's rules are for English)",
        language.unwrap_or_default().trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_unknown_apply() {
        for l in [
            None,
            Some(""),
            Some("en"),
            Some("en-GB"),
            Some("EN_us"),
            Some("eng"),
        ] {
            assert!(english_rules_apply(l), "{l:?}");
        }
        for l in [Some("de"), Some("fr-CA"), Some("zh")] {
            assert!(!english_rules_apply(l), "{l:?}");
        }
        assert!(skipped_note(Some("de")).unwrap().contains("`de`"));
        assert_eq!(skipped_note(Some("en")), None);
    }
}
