//! Article fields are data, never commands or markup: every string of the report is made
//! inert for the output it goes to before a renderer sees it, so no renderer can forget a
//! field (titles, authors, outlets, file names, boilerplate, entity names, quotes, ...).
//!
//! The walk is generic (through the report's JSON form), so fields added later are covered.
//! Only the terminal and Markdown renderers need it: the HTML page escapes as it writes, and
//! JSON escapes control characters itself.

use parallax_core::text::{inert, inert_lines};
use parallax_core::Report;
use serde_json::Value;
use std::borrow::Cow;

/// For a terminal: control characters and bidirectional overrides escaped; newlines are kept
/// only in `text` fields (document and sentence text), so no one-line field can forge a line.
pub(crate) fn for_terminal(report: &Report) -> Report {
    map_strings(report, &|key, s| {
        if key == "text" {
            inert_lines(s)
        } else {
            inert(s)
        }
    })
}

/// For Markdown: as for a terminal, and the characters that open HTML, entities, links and
/// code spans (`<`, `>`, `&`, `[`, `]`, backtick) written as character references, which a
/// Markdown renderer shows as the characters themselves but never reads as markup.
pub(crate) fn for_markdown(report: &Report) -> Report {
    map_strings(report, &|key, s| {
        let s = if key == "text" {
            inert_lines(s)
        } else {
            inert(s)
        };
        if !s.contains(['<', '>', '&', '[', ']', '`']) {
            return s;
        }
        let mut out = String::with_capacity(s.len() + 16);
        for c in s.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '[' => out.push_str("&#91;"),
                ']' => out.push_str("&#93;"),
                '`' => out.push_str("&#96;"),
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    })
}

/// The report with `f(key, value)` applied to every string (map keys included, with an empty
/// key). Serialising a report cannot fail and the mapped JSON has the same shape, so the way
/// back cannot fail either; if it ever did, an empty report is rendered rather than raw text.
fn map_strings(report: &Report, f: &dyn for<'s> Fn(&str, &'s str) -> Cow<'s, str>) -> Report {
    let empty = || Report {
        schema_version: report.schema_version.clone(),
        documents: Vec::new(),
        entities: Vec::new(),
        times: Vec::new(),
        stories: Vec::new(),
        threads: Vec::new(),
        alignment: Default::default(),
    };
    let Ok(mut v) = serde_json::to_value(report) else {
        return empty();
    };
    walk(&mut v, "", f);
    serde_json::from_value(v).unwrap_or_else(|_| empty())
}

fn walk(v: &mut Value, key: &str, f: &dyn for<'s> Fn(&str, &'s str) -> Cow<'s, str>) {
    match v {
        Value::String(s) => {
            if let Cow::Owned(new) = f(key, s) {
                *s = new;
            }
        }
        Value::Array(items) => {
            for x in items {
                walk(x, key, f);
            }
        }
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (k, mut x) in entries {
                walk(&mut x, &k, f);
                map.insert(f("", &k).into_owned(), x);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::{ArticleInput, InputKind, Metadata, Options};

    fn report(title: &str) -> Report {
        parallax_core::analyze(
            vec![ArticleInput {
                id: "a".into(),
                source: "a\u{1b}[2J.txt".into(),
                kind: InputKind::Json,
                body: "The mayor said on Monday that the bridge would reopen soon.".into(),
                hints: Metadata {
                    title: Some(title.into()),
                    ..Metadata::default()
                },
                boilerplate: Vec::new(),
            }],
            &Options::default(),
        )
    }

    #[test]
    fn terminal_strings_lose_their_controls() {
        let r = for_terminal(&report("Hi\u{1b}]0;owned\u{7}\nthere"));
        let d = &r.documents[0];
        assert_eq!(d.title.as_deref(), Some("Hi\\u{1b}]0;owned\\u{7}\\nthere"));
        assert_eq!(d.source, "a\\u{1b}[2J.txt");
        assert_eq!(d.text, report("x").documents[0].text);
    }

    #[test]
    fn markdown_strings_hold_no_markup() {
        let r = for_markdown(&report("<script>alert(1)</script> [x](javascript:y)"));
        assert_eq!(
            r.documents[0].title.as_deref(),
            Some("&lt;script&gt;alert(1)&lt;/script&gt; &#91;x&#93;(javascript:y)")
        );
    }
}
