//! Parsing by file type: plain text and Markdown, HTML, JSON and JSONL records.

use crate::decode::decode_with_repair;
use crate::error::{ErrorKind, IngestError};
use crate::html;
use parallax_core::{ArticleInput, InputKind, Metadata};
use serde_json::Value;
use std::path::Path;

/// Parses one file's bytes by its extension.
pub fn parse(path: &Path, bytes: &[u8]) -> (Vec<ArticleInput>, Vec<IngestError>) {
    let item = crate::path_text(path);
    let stem = path
        .file_stem()
        .map(crate::os_text)
        .unwrap_or_else(|| item.clone());
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut decode = |declared: Option<&str>| {
        decode_with_repair(bytes, declared).map(|(text, repair)| {
            if let Some(r) = repair {
                notes.push(IngestError::new(
                    item.clone(),
                    ErrorKind::InvalidUtf8(r.invalid),
                ));
            }
            text
        })
    };
    let fail = |kind| (Vec::new(), vec![IngestError::new(item.clone(), kind)]);
    let (good, mut bad) = match ext.as_str() {
        "txt" | "md" | "markdown" | "" => match decode(None) {
            Ok(text) if ext != "txt" && markup_share(body_of(&text)) > 0.5 => {
                fail(ErrorKind::NotArticle(format!(
                    "{:.0}% of its lines are headings, list items or table rows",
                    markup_share(body_of(&text)) * 100.0
                )))
            }
            Ok(text) => match text_input(stem, item.clone(), text) {
                Ok(a) => (vec![a], Vec::new()),
                Err(k) => fail(k),
            },
            Err(k) => fail(k),
        },
        "html" | "htm" => match decode(None) {
            Ok(text) => match html_article(stem, item.clone(), &text, Metadata::default()) {
                Ok(a) => (vec![a], Vec::new()),
                Err(k) => fail(k),
            },
            Err(k) => fail(k),
        },
        "json" | "jsonl" | "ndjson" => match decode(Some("utf-8")) {
            Ok(text) => parse_json_records(&stem, &item, &text),
            Err(k) => fail(k),
        },
        other => fail(ErrorKind::Unsupported(other.to_string())),
    };
    notes.append(&mut bad);
    (good, notes)
}

/// The text after its front matter, if it has any (the block's `key: value` lines and lists
/// are metadata, not the structure of notes).
fn body_of(text: &str) -> &str {
    crate::front_matter::split(text).map_or(text, |(_, body)| body)
}

/// Share of non-empty lines that are Markdown structure (headings, list items, table rows):
/// news articles are prose, notes and documentation are mostly structure.
fn markup_share(text: &str) -> f64 {
    let mut total = 0usize;
    let mut structural = 0usize;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        total += 1;
        let bullet = line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ");
        let numbered = line.split_once(". ").is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
        });
        if line.starts_with('#')
            || line.starts_with('|')
            || bullet
            || numbered
            || line.starts_with("```")
        {
            structural += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        structural as f64 / total as f64
    }
}

/// A plain-text article (title, byline and date lines are read later by the core's cleaning);
/// a front-matter block at the top gives its metadata instead ([`crate::front_matter`]).
pub fn text_input(id: String, source: String, text: String) -> Result<ArticleInput, ErrorKind> {
    let (hints, body) = match crate::front_matter::split(&text) {
        Some((mut m, body)) => {
            m.published = m.published.as_deref().map(normalize_date);
            (m, body.to_string())
        }
        None => (Metadata::default(), text),
    };
    if body.trim().is_empty() {
        return Err(ErrorKind::Empty);
    }
    let mut input = ArticleInput {
        id,
        source,
        kind: InputKind::Text,
        body,
        hints,
        boilerplate: Vec::new(),
    };
    crate::lang::fill(&mut input);
    Ok(input)
}

/// Extracts a page and merges metadata: `known` (e.g. JSON fields) wins over the page's own.
pub fn html_article(
    id: String,
    source: String,
    page: &str,
    known: Metadata,
) -> Result<ArticleInput, ErrorKind> {
    let base = known.url.clone();
    html_page(id, source, page, base.as_deref(), known)
}

/// Extracts a page fetched from `url` (the base for relative links and the canonical URL when
/// the page names none); `known` fields win over the page's own.
pub fn html_page(
    id: String,
    source: String,
    page: &str,
    url: Option<&str>,
    known: Metadata,
) -> Result<ArticleInput, ErrorKind> {
    if is_own_html_report(page) {
        return Err(ErrorKind::NotArticle("a Parallax HTML report".into()));
    }
    let ex = html::extract(page, url);
    if ex.text.trim().is_empty() {
        return Err(ErrorKind::NoMainText);
    }
    let m = ex.meta;
    let hints = Metadata {
        title: known.title.or(m.title),
        author: known.author.or(m.author),
        published: known.published.or(m.published),
        outlet: known.outlet.or(m.outlet),
        language: known.language.or(m.language),
        url: known.url.or(m.url),
    };
    let mut input = ArticleInput {
        id,
        source,
        kind: InputKind::Html,
        body: ex.text,
        hints,
        boilerplate: ex.boilerplate,
    };
    crate::lang::fill(&mut input);
    Ok(input)
}

/// Whether a page is one of Parallax's own HTML reports (its generator meta tag), which a
/// folder of results may hold next to the articles.
fn is_own_html_report(page: &str) -> bool {
    let head = page.get(..page.len().min(4096)).unwrap_or(page);
    head.contains("<meta name=\"generator\" content=\"Parallax\">")
}

/// Whether a JSON value is one of Parallax's own JSON reports.
fn is_own_json_report(v: &Value) -> bool {
    v.get("schema_version").is_some() && v.get("documents").is_some_and(Value::is_array)
}

/// A `.json` file holds one record, an array of records, or (like `.jsonl`) one record per
/// line. A malformed line is an error for that line only.
fn parse_json_records(stem: &str, item: &str, text: &str) -> (Vec<ArticleInput>, Vec<IngestError>) {
    let trimmed = text.trim_start();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    if trimmed.starts_with('[')
        || (trimmed.starts_with('{') && serde_json::from_str::<Value>(text).is_ok())
    {
        match serde_json::from_str::<Value>(text) {
            Ok(v) if is_own_json_report(&v) => bad.push(IngestError::new(
                item,
                ErrorKind::NotArticle("a Parallax JSON report".into()),
            )),
            Ok(Value::Array(items)) => {
                if items.is_empty() {
                    bad.push(IngestError::new(item, ErrorKind::NoRecords));
                }
                for (n, v) in items.iter().enumerate() {
                    let id = format!("{stem}#{}", n + 1);
                    let src = format!("{item}#{}", n + 1);
                    match record(id, src.clone(), v) {
                        Ok(a) => good.push(a),
                        Err(k) => bad.push(IngestError::new(src, k)),
                    }
                }
            }
            Ok(v) => match record(stem.to_string(), item.to_string(), &v) {
                Ok(a) => good.push(a),
                Err(k) => bad.push(IngestError::new(item, k)),
            },
            Err(e) => bad.push(IngestError::new(item, ErrorKind::Json(e.to_string()))),
        }
        return (good, bad);
    }
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let src = format!("{item}:{}", n + 1);
        let id = format!("{stem}#{}", n + 1);
        match serde_json::from_str::<Value>(line) {
            Ok(v) => match record(id, src.clone(), &v) {
                Ok(a) => good.push(a),
                Err(k) => bad.push(IngestError::new(src, k)),
            },
            Err(e) => bad.push(IngestError::new(src, ErrorKind::Json(e.to_string()))),
        }
    }
    if good.is_empty() && bad.is_empty() {
        bad.push(IngestError::new(item, ErrorKind::Empty));
    }
    (good, bad)
}

fn string_field(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Array(a)) => {
            let names: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    })
}

/// Body text from `text` (or common aliases); a list of paragraphs (or of lists of
/// sentences, as BASIL's `body-paragraphs`) is joined with blank lines.
fn text_field(v: &Value) -> Option<String> {
    for k in [
        "text",
        "body",
        "content",
        "maintext",
        "article",
        "body-paragraphs",
        "paragraphs",
    ] {
        match v.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
            Some(Value::Array(items)) => {
                let paras: Vec<String> = items
                    .iter()
                    .filter_map(|p| match p {
                        Value::String(s) => Some(s.clone()),
                        Value::Array(ss) => Some(
                            ss.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                        _ => None,
                    })
                    .filter(|p| !p.trim().is_empty())
                    .collect();
                if !paras.is_empty() {
                    return Some(paras.join("\n\n"));
                }
            }
            _ => {}
        }
    }
    None
}

fn record(id: String, source: String, v: &Value) -> Result<ArticleInput, ErrorKind> {
    if !v.is_object() {
        return Err(ErrorKind::Json("record is not a JSON object".into()));
    }
    let published = string_field(
        v,
        &[
            "published",
            "date",
            "date_publish",
            "published_at",
            "publishedTime",
        ],
    )
    .map(|p| normalize_date(&p));
    let known = Metadata {
        title: string_field(v, &["title", "headline"]),
        author: string_field(v, &["author", "authors", "byline"]),
        published,
        outlet: string_field(
            v,
            &[
                "outlet",
                "site",
                "site_name",
                "source_domain",
                "source",
                "publisher",
            ],
        ),
        language: string_field(v, &["language", "lang"]),
        url: string_field(v, &["url", "link"]),
    };
    if let Some(text) = text_field(v) {
        let mut input = ArticleInput {
            id,
            source,
            kind: InputKind::Json,
            body: text,
            hints: known,
            boilerplate: Vec::new(),
        };
        crate::lang::fill(&mut input);
        return Ok(input);
    }
    if let Some(page) = string_field(v, &["html", "raw_html"]) {
        let mut a = html_article(id, source, &page, known)?;
        a.kind = InputKind::Json;
        return Ok(a);
    }
    Err(ErrorKind::MissingText)
}

/// Keeps ISO dates and timestamps as `YYYY-MM-DD`, parses written dates, else keeps the value.
fn normalize_date(s: &str) -> String {
    if let Some(day) = s
        .get(..10)
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
    {
        return day.to_string();
    }
    parallax_core::clean::parse_date_line(s)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_bad_line_does_not_sink_batch() {
        let data = b"{\"text\":\"One article here.\",\"title\":\"T\",\"published\":\"2024-03-01T10:00:00Z\"}\n{broken\n{\"title\":\"no text\"}\n{\"text\":\"Two.\"}\n";
        let (good, bad) = parse(Path::new("x.jsonl"), data);
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].hints.published.as_deref(), Some("2024-03-01"));
        assert_eq!(good[1].id, "x#4");
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].item, "x.jsonl:2");
        assert_eq!(bad[1].kind, ErrorKind::MissingText);
    }

    #[test]
    fn json_array_and_paragraph_lists() {
        let data = br#"[{"body-paragraphs": [["A b."], ["C d.", "E f."]], "date": "2012-01-02"}]"#;
        let (good, bad) = parse(Path::new("y.json"), data);
        assert!(bad.is_empty());
        assert_eq!(good[0].body, "A b.\n\nC d. E f.");
        assert_eq!(good[0].id, "y#1");
    }

    #[test]
    fn markdown_front_matter_is_metadata_not_body() {
        let md = b"---\ntitle: Council passes the budget\ndate: 2025-01-21T09:00:00Z\ntags:\n  - a\n  - b\n  - c\n---\n\nThe council voted on Tuesday to approve the budget.\n";
        let (good, bad) = parse(Path::new("a.md"), md);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(
            good[0].hints.title.as_deref(),
            Some("Council passes the budget")
        );
        assert_eq!(good[0].hints.published.as_deref(), Some("2025-01-21"));
        assert!(good[0].body.trim_start().starts_with("The council voted"));
    }

    #[test]
    fn markdown_notes_are_not_articles() {
        let notes = b"# Notes\n\n- one\n- two\n- three\n\n| a | b |\n|---|---|\n\nSome prose.";
        let (good, bad) = parse(Path::new("n.md"), notes);
        assert!(good.is_empty());
        assert!(bad[0].is_note());
        let article = b"# Title\n\nA paragraph of prose.\n\nAnother paragraph.\n\n- a list item";
        assert_eq!(parse(Path::new("a.md"), article).0.len(), 1);
    }

    #[test]
    fn an_empty_array_says_so() {
        let (good, bad) = parse(Path::new("e.json"), b" [ ] ");
        assert!(good.is_empty());
        assert_eq!(bad[0].kind, ErrorKind::NoRecords);
    }

    #[test]
    fn a_bad_byte_is_a_note_and_the_quotes_survive() {
        let mut bytes = "Meloni\u{2019}s \u{201c}plan\u{201d} was clear to everyone there."
            .as_bytes()
            .to_vec();
        bytes.insert(10, 0xC3);
        let (good, notes) = parse(Path::new("q.txt"), &bytes);
        assert!(good[0].body.contains("\u{201c}plan\u{201d}"));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].is_note());
        assert_eq!(notes[0].kind, ErrorKind::InvalidUtf8(1));
    }

    #[test]
    fn truncated_json_is_an_error() {
        let (good, bad) = parse(Path::new("z.json"), b"{\"text\": \"abc");
        assert!(good.is_empty());
        assert_eq!(bad.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_any_format(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..1500), ext in "(txt|md|html|json|jsonl)") {
            let _ = parse(Path::new(&format!("f.{ext}")), &bytes);
        }
    }
}
