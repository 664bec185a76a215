//! Reader for AllSides headline roundups (JSON lines), the gold stories of a dense news season.
//!
//! Each line is one roundup: `id`, `issue` (its headline), `topic`, `date` (ISO 8601 with an
//! offset) and `news`, an object with `left`, `center` and `right` articles, each holding
//! `newsSource`, `newsTitle`, `newsLink` and `newBody` (a list of paragraphs). The roundup is the
//! gold story of its articles.
//!
//! An article's publication date is the date in its link when the link carries one
//! (`/2021/07/15/`, the publisher's own date), otherwise the roundup's date: the records have no
//! publication date of their own, and a roundup is posted on the day of the event or just after,
//! while its articles appeared up to a few days earlier. Articles whose body is empty or very
//! short (under [`MIN_BODY_CHARS`]) are skipped, as are roundups without any article. A line
//! that is not a JSON object of this shape is named (`file:line`) and skipped; the other lines
//! of the file still count.

use crate::stories::Item;
use crate::EvalError;
use chrono::Datelike;
use parallax_core::model::{ArticleInput, InputKind, Metadata};
use serde_json::Value;
use std::path::Path;

/// Bodies shorter than this (characters, after joining paragraphs) are skipped: too little text
/// to say what the article is about (the scraped bodies are lead paragraphs, 240–680 characters
/// in the development file; a body under 80 characters is a stub or a paywall notice).
pub const MIN_BODY_CHARS: usize = 80;

/// The sides of a roundup, in the order their articles are read.
const SIDES: [&str; 3] = ["left", "center", "right"];

/// What one file gave: its articles, and one error per skipped line.
pub struct Read {
    pub items: Vec<Item>,
    pub skipped: Vec<EvalError>,
}

/// Reads one JSON-lines file of roundups.
pub fn read_file(path: &Path) -> Result<Read, EvalError> {
    let bytes = std::fs::read(path).map_err(|e| EvalError::data(path, e))?;
    Ok(parse_file(path, &bytes))
}

/// Parses the bytes of one JSON-lines file. Lines that are not UTF-8 or not roundups are
/// reported and skipped; nothing else is lost.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Read {
    let mut read = Read {
        items: Vec::new(),
        skipped: Vec::new(),
    };
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let item_name = format!("{}:{}", path.display(), n + 1);
        let Ok(line) = std::str::from_utf8(line) else {
            read.skipped
                .push(EvalError::data(&item_name, "not valid UTF-8"));
            continue;
        };
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        match parse_line(&item_name, line) {
            Ok(items) => read.items.extend(items),
            Err(e) => read.skipped.push(e),
        }
    }
    read
}

/// Parses one roundup into its articles; `item_name` (`file:line`) names it in ids and errors.
pub fn parse_line(item_name: &str, line: &str) -> Result<Vec<Item>, EvalError> {
    let v: Value = serde_json::from_str(line).map_err(|e| EvalError::data(item_name, e))?;
    let obj = v
        .as_object()
        .ok_or_else(|| EvalError::data(item_name, "a roundup must be a JSON object"))?;
    let news = obj
        .get("news")
        .and_then(Value::as_object)
        .ok_or_else(|| EvalError::data(item_name, "no `news` object"))?;
    // The roundup id names the gold story; the line stands in when the id is missing.
    let roundup = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => item_name.to_string(),
    };
    let story = format!("allsides:{roundup}");
    let roundup_day = obj.get("date").and_then(Value::as_str).and_then(day_part);
    let mut items = Vec::new();
    for side in SIDES {
        let Some(a) = news.get(side).and_then(Value::as_object) else {
            continue;
        };
        let body: Vec<String> = match a.get("newBody") {
            Some(Value::Array(ps)) => ps
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.trim().to_string()],
            _ => Vec::new(),
        };
        let body = body.join("\n\n");
        if body.chars().count() < MIN_BODY_CHARS {
            continue;
        }
        let s = |k: &str| {
            a.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
        };
        let url = s("newsLink");
        let published = url
            .as_deref()
            .and_then(date_in_link)
            .or_else(|| roundup_day.clone());
        items.push(Item {
            story: story.clone(),
            input: ArticleInput {
                id: format!("allsides-{roundup}-{side}"),
                source: format!("{item_name}#{side}"),
                kind: InputKind::Json,
                body,
                hints: Metadata {
                    title: s("newsTitle"),
                    published,
                    outlet: s("newsSource"),
                    url,
                    ..Metadata::default()
                },
                boilerplate: Vec::new(),
            },
        });
    }
    Ok(items)
}

/// `YYYY-MM-DD` from the start of an ISO 8601 timestamp, when it is a real date.
fn day_part(ts: &str) -> Option<String> {
    let head = ts.get(..10)?;
    chrono_like_date(head).then(|| head.to_string())
}

/// A `/YYYY/MM/DD/` (or `/YYYY-MM-DD`) date in an article link, when it is a real date.
fn date_in_link(url: &str) -> Option<String> {
    let bytes = url.as_bytes();
    for (i, _) in url.match_indices('/') {
        let rest = &bytes[i + 1..];
        if rest.len() < 10 || !rest[..4].iter().all(u8::is_ascii_digit) {
            continue;
        }
        let sep = rest[4];
        if (sep != b'/' && sep != b'-') || rest[7] != sep {
            continue;
        }
        let (y, m, d) = (&rest[..4], &rest[5..7], &rest[8..10]);
        if ![m, d].iter().all(|p| p.iter().all(u8::is_ascii_digit)) {
            continue;
        }
        // A day must end there (`/2021/07/15/`, `/2021-07-15-title`), not run into more digits.
        if rest.get(10).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let s = format!(
            "{}-{}-{}",
            String::from_utf8_lossy(y),
            String::from_utf8_lossy(m),
            String::from_utf8_lossy(d)
        );
        if chrono_like_date(&s) {
            return Some(s);
        }
    }
    None
}

/// True for a valid calendar date `YYYY-MM-DD` between 1900 and 2199.
fn chrono_like_date(s: &str) -> bool {
    parallax_core::time::parse_date(s).is_some_and(|d| (1900..2200).contains(&d.year()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn roundup(id: u32, date: &str, left_body: &str) -> String {
        serde_json::json!({
            "id": id, "issue": "Bridge opens", "topic": "Transport", "date": date,
            "news": {
                "left": {"newsSource": "A", "newsTitle": "Sarn bridge opens", "newsLink": "https://a.example/2021/07/14/bridge",
                         "newBody": [left_body, "Traffic flowed across the river on the first morning."]},
                "right": {"newsSource": "B", "newsTitle": "New bridge over the Sarn", "newsLink": "https://b.example/news/bridge",
                          "newBody": ["The new bridge over the Sarn opened on Thursday after four years of work and delays."]},
                "center": {"newsSource": "C", "newsTitle": "Stub", "newBody": []}
            }
        })
        .to_string()
    }

    #[test]
    fn reads_articles_dates_and_skips_short_bodies() {
        let line = roundup(
            7,
            "2021-07-15T16:45:00-07:00",
            "The Sarn bridge opened to traffic on Wednesday morning.",
        );
        let items = parse_line("f.jsonl:1", &line).expect("parses");
        assert_eq!(items.len(), 2, "the empty centre article is skipped");
        assert!(items.iter().all(|i| i.story == "allsides:7"));
        assert_eq!(items[0].input.id, "allsides-7-left");
        assert_eq!(
            items[0].input.hints.published.as_deref(),
            Some("2021-07-14")
        );
        assert_eq!(
            items[1].input.hints.published.as_deref(),
            Some("2021-07-15")
        );
        assert_eq!(items[1].input.hints.outlet.as_deref(), Some("B"));
        assert!(items[0].input.body.contains("\n\nTraffic flowed"));
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_is_kept() {
        let good = roundup(
            1,
            "2021-05-01T10:00:00-07:00",
            "A long enough body about the Sarn bridge opening in May.",
        );
        let data = format!("{good}\n{{not json\n[1,2]\n\n{good}\n\u{ff}\u{fe}");
        let mut bytes = data.into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe\n");
        let read = parse_file(Path::new("x.jsonl"), &bytes);
        assert_eq!(read.items.len(), 4);
        let names: Vec<String> = read.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(names[0].starts_with("x.jsonl:2:"), "{names:?}");
        assert!(names[1].starts_with("x.jsonl:3:"), "{names:?}");
        assert!(names[3].starts_with("x.jsonl:7:"), "{names:?}");
    }

    #[test]
    fn link_dates() {
        assert_eq!(
            date_in_link("https://x.com/2021/07/15/politics/a").as_deref(),
            Some("2021-07-15")
        );
        assert_eq!(
            date_in_link("https://x.com/news/2021-06-01-title").as_deref(),
            Some("2021-06-01")
        );
        assert_eq!(date_in_link("https://x.com/2021/13/15/a"), None);
        assert_eq!(date_in_link("https://x.com/20210715/a"), None);
        assert_eq!(date_in_link("https://x.com/2021/07/150/a"), None);
        assert_eq!(date_in_link("/"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_bytes_never_panic_and_every_line_is_accounted_for(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let read = parse_file(Path::new("p.jsonl"), &bytes);
            let lines = bytes.split(|&b| b == b'\n').count();
            prop_assert!(read.skipped.len() <= lines);
            for e in &read.skipped {
                prop_assert!(e.to_string().starts_with("p.jsonl:"));
            }
        }

        #[test]
        fn any_text_line_never_panics(s in "\\PC{0,400}") {
            let _ = parse_line("p.jsonl:1", &s);
        }

        #[test]
        fn arbitrary_field_values_are_read_or_named(
            id in proptest::option::of("\\PC{0,12}"),
            date in "\\PC{0,30}",
            link in "\\PC{0,60}",
            body in "\\PC{0,200}",
        ) {
            let v = serde_json::json!({"id": id, "date": date,
                "news": {"left": {"newsLink": link, "newsTitle": 5, "newBody": [body, 3, null]}}});
            let items = parse_line("p.jsonl:1", &v.to_string()).expect("a roundup object is read");
            prop_assert!(items.len() <= 1);
            for i in &items {
                prop_assert!(i.input.body.chars().count() >= MIN_BODY_CHARS);
                prop_assert!(i.input.hints.title.is_none());
            }
        }

        #[test]
        fn truncated_lines_are_skipped_not_fatal(cut in 0usize..400) {
            let line = roundup(3, "2021-07-15T16:45:00-07:00", "The Sarn bridge opened to traffic on Wednesday morning.");
            let cut = cut.min(line.len());
            let mut data = line.as_bytes()[..cut].to_vec();
            data.push(b'\n');
            data.extend_from_slice(line.as_bytes());
            let read = parse_file(Path::new("t.jsonl"), &data);
            // The whole second line is always read; the cut first line is read or named.
            prop_assert!(read.items.len() >= 2);
            prop_assert!(read.items.len() == 2 || read.items.len() == 4);
        }

        #[test]
        fn huge_bodies_are_read(n in 1usize..50) {
            let big = "The bridge over the Sarn opened. ".repeat(n * 200);
            let line = roundup(9, "2021-07-15T16:45:00-07:00", &big);
            let items = parse_line("h.jsonl:1", &line).expect("parses");
            prop_assert_eq!(items.len(), 2);
        }
    }
}
