//! Rule tables loaded from `crates/ingest/data/` (each file documents its source in a `#`
//! header). One entry per line; blank lines and `#` lines are ignored.

use std::sync::OnceLock;

fn entries(src: &'static str) -> Vec<&'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

macro_rules! table {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub(crate) fn $name() -> &'static [&'static str] {
            static T: OnceLock<Vec<&'static str>> = OnceLock::new();
            T.get_or_init(|| entries(include_str!(concat!("../../data/", $file))))
        }
    };
}

table!(
    /// Class/id fragments that mark page chrome.
    chrome_markers,
    "chrome-markers.txt"
);
table!(
    /// Class/id words that mark furniture inside the main content (matched strictly).
    content_markers,
    "content-markers.txt"
);
table!(
    /// Words that lead a byline ("By").
    byline_prefixes,
    "byline-prefixes.txt"
);
table!(
    /// English month names and abbreviations, lower-case.
    month_names,
    "month-names.txt"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_without_comments() {
        for t in [
            chrome_markers(),
            content_markers(),
            byline_prefixes(),
            month_names(),
        ] {
            assert!(!t.is_empty());
            assert!(t
                .iter()
                .all(|e| !e.starts_with('#') && e == &e.to_lowercase()));
        }
        assert!(month_names().contains(&"march"));
    }
}
