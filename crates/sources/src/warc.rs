//! WARC archives (`.warc`, `.warc.gz`): the HTML pages among their response records.
//!
//! Records are streamed: each header block is parsed with `warc`'s parser, a body is read only
//! up to the size cap and the rest skipped without being held in memory. (`warc`'s own record
//! type is not used: its header accessor panics on a header value that is not UTF-8.) `response` records hold the HTTP
//! message as captured (status line, headers, body); `resource` records hold a document
//! directly. Records that are not successful HTML responses (requests, metadata, images,
//! redirects) are counted and reported in one note per archive.

use crate::error::{Reason, SourceError};
use crate::http;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// An HTML page found in an archive.
#[derive(Debug)]
pub(crate) struct WarcPage {
    /// `ARCHIVE#N (URI)`, for messages.
    pub item: String,
    pub uri: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub charset: Option<String>,
    pub body: Vec<u8>,
}

pub(crate) enum Event {
    Page(WarcPage),
    Problem(SourceError),
}

/// Reads the archive at `path`, calling `on` for each HTML page and each bad record; returns
/// when the archive ends, a record cannot be parsed (nothing after it can be trusted) or
/// `cancel` is set.
pub(crate) fn read(path: &Path, limit: u64, cancel: &AtomicBool, on: &mut dyn FnMut(Event)) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return on(Event::Problem(SourceError::new(
                name,
                Reason::Ingest(parallax_ingest::ErrorKind::Io(e.to_string())),
            )))
        }
    };
    let gz = name.to_ascii_lowercase().ends_with(".gz");
    let inner: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else {
        Box::new(file)
    };
    read_from(&name, inner, limit, cancel, on);
}

/// [`read`] over any byte stream (already decompressed); `name` names the archive.
pub(crate) fn read_from(
    name: &str,
    inner: impl Read,
    limit: u64,
    cancel: &AtomicBool,
    on: &mut dyn FnMut(Event),
) {
    let mut reader = BufReader::new(inner);
    match reader.fill_buf() {
        Ok(buf) if buf.starts_with(b"WARC/") => {}
        Ok(_) => {
            return on(Event::Problem(SourceError::new(
                name,
                Reason::Warc("does not start with a WARC record (`WARC/`)".into()),
            )))
        }
        Err(e) => {
            return on(Event::Problem(SourceError::new(
                name,
                Reason::Warc(format!("cannot read: {e}")),
            )))
        }
    }
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut n = 0usize;
    let mut pages = 0usize;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let head = match next_head(&mut reader) {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(why) => {
                n += 1;
                on(Event::Problem(SourceError::new(
                    format!("{name}#{n}"),
                    Reason::Warc(format!("{why}; the rest of the archive is not read")),
                )));
                break;
            }
        };
        n += 1;
        let item = match &head.uri {
            Some(u) => format!("{name}#{n} ({u})"),
            None => format!("{name}#{n}"),
        };
        let wanted = matches!(head.kind.as_str(), "response" | "resource");
        // Bodies of records that are not pages are skipped unread; a page body is read up to
        // the cap and the rest skipped.
        let keep = if wanted { limit + 1 } else { 0 };
        let raw = match read_body(&mut reader, head.length, keep) {
            Ok(b) => b,
            Err(why) => {
                on(Event::Problem(SourceError::new(
                    item,
                    Reason::Warc(format!("{why}; the rest of the archive is not read")),
                )));
                break;
            }
        };
        if !wanted {
            *skipped.entry(format!("{} records", head.kind)).or_default() += 1;
            continue;
        }
        if raw.len() as u64 > limit {
            on(Event::Problem(SourceError::new(
                item,
                Reason::TooLarge { limit },
            )));
            continue;
        }
        let (content_type, charset, body) = if head.kind == "response" {
            if !head.content_type.starts_with("application/http") {
                *skipped
                    .entry("responses that are not HTTP".into())
                    .or_default() += 1;
                continue;
            }
            match http::parse_response(&raw, limit) {
                Ok(m) if (200..300).contains(&m.status) => (m.content_type, m.charset, m.body),
                Ok(m) => {
                    *skipped
                        .entry(format!("HTTP {} responses", m.status))
                        .or_default() += 1;
                    continue;
                }
                Err(why) => {
                    on(Event::Problem(SourceError::new(item, Reason::Warc(why))));
                    continue;
                }
            }
        } else {
            let (ct, cs) = crate::fetch::parse_content_type(&head.content_type);
            (ct, cs, raw)
        };
        if crate::page::classify(&content_type, &body) != crate::page::BodyKind::Html {
            let what = if content_type.is_empty() {
                "responses without a content type that are not HTML".to_string()
            } else {
                format!("{content_type} responses")
            };
            *skipped.entry(what).or_default() += 1;
            continue;
        }
        pages += 1;
        on(Event::Page(WarcPage {
            item,
            uri: head.uri,
            date: head.date,
            charset,
            body,
        }));
    }
    if n == 0 {
        on(Event::Problem(SourceError::new(
            name,
            Reason::Warc("no complete WARC record".into()),
        )));
    } else if !skipped.is_empty() {
        let total: usize = skipped.values().sum();
        let detail: Vec<String> = skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
        on(Event::Problem(SourceError::new(
            name,
            Reason::Note(format!(
                "{n} records, {pages} HTML pages read, {total} other records skipped ({})",
                detail.join(", ")
            )),
        )));
    }
}

/// Longest record header accepted (real ones are well under 2 KiB).
const MAX_HEAD: usize = 64 * 1024;

/// What a record header says, as far as pages need it.
struct Head {
    kind: String,
    uri: Option<String>,
    date: Option<DateTime<Utc>>,
    /// The record's `Content-Type`, lower-case.
    content_type: String,
    length: u64,
}

/// Reads the next record header (`None` at a clean end of the archive). The header block is
/// parsed by `warc`'s parser; values are read as lossy UTF-8 (a mis-encoded value is not
/// worth losing the record for).
fn next_head(reader: &mut impl BufRead) -> Result<Option<Head>, String> {
    let mut buf = Vec::new();
    // Blank lines between records are tolerated.
    loop {
        let before = buf.len();
        let got = read_line_capped(reader, &mut buf, MAX_HEAD)?;
        if got == 0 {
            return if buf.iter().all(u8::is_ascii_whitespace) {
                Ok(None)
            } else {
                Err("truncated record header".into())
            };
        }
        let line = &buf[before..];
        if buf.len() == got && (line == b"\r\n" || line == b"\n") {
            buf.clear();
            continue;
        }
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if buf.len() > MAX_HEAD {
            return Err(format!("record header over {MAX_HEAD} bytes"));
        }
    }
    let (_, (_version, headers, length)) =
        warc::parser::headers(&buf).map_err(|_| "malformed record header".to_string())?;
    let value = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| String::from_utf8_lossy(v).trim().to_string())
    };
    let kind = value("WARC-Type")
        .ok_or("record has no WARC-Type")?
        .to_ascii_lowercase();
    Ok(Some(Head {
        kind,
        uri: value("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty()),
        date: value("WARC-Date")
            .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
            .map(|d| d.with_timezone(&Utc)),
        content_type: value("Content-Type")
            .unwrap_or_default()
            .to_ascii_lowercase(),
        length: length as u64,
    }))
}

/// `read_until(b'\n')` that stops at `cap` bytes; returns the bytes added.
fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> Result<usize, String> {
    let room = (cap + 1).saturating_sub(buf.len()) as u64;
    let start = buf.len();
    reader
        .take(room)
        .read_until(b'\n', buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(buf.len() - start)
}

/// Reads a record body of `length` bytes, keeping at most `keep` of them, then the CRLF CRLF
/// that ends a record.
fn read_body(reader: &mut impl BufRead, length: u64, keep: u64) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut rest = reader.take(length);
    (&mut rest)
        .take(keep)
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read record body: {e}"))?;
    let skipped = std::io::copy(&mut rest, &mut std::io::sink())
        .map_err(|e| format!("cannot read record body: {e}"))?;
    if body.len() as u64 + skipped < length {
        return Err("truncated record body".into());
    }
    let mut end = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match reader.read(&mut end[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) => return Err(format!("cannot read: {e}")),
        }
    }
    if got > 0 && !end[..got].iter().all(|b| *b == b'\r' || *b == b'\n') {
        return Err("record is not followed by CRLF CRLF".into());
    }
    Ok(body)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A WARC record with the given type, target URI, content type and block.
    pub(crate) fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08}-0000-0000-0000-000000000000>\r\n\
             WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len() % 100_000_000,
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    pub(crate) fn http_page(html: &str, extra_headers: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html{extra_headers}\r\n\r\n{html}")
            .into_bytes()
    }

    fn events(bytes: &[u8], limit: u64) -> (Vec<WarcPage>, Vec<SourceError>) {
        let mut pages = Vec::new();
        let mut problems = Vec::new();
        read_from(
            "a.warc",
            bytes,
            limit,
            &AtomicBool::new(false),
            &mut |e| match e {
                Event::Page(p) => pages.push(p),
                Event::Problem(p) => problems.push(p),
            },
        );
        (pages, problems)
    }

    #[test]
    fn html_responses_are_pages_the_rest_is_counted() {
        let mut w = record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        w.extend(record(
            "request",
            "http://a.example/x",
            "application/http; msgtype=request",
            b"GET /x HTTP/1.1\r\n\r\n",
        ));
        w.extend(record(
            "response",
            "http://a.example/x",
            "application/http; msgtype=response",
            &http_page(
                "<html><body><p>Story text.</p></body></html>",
                "; charset=utf-8",
            ),
        ));
        w.extend(record(
            "response",
            "http://a.example/logo.png",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        let (pages, problems) = events(&w, 1 << 20);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].uri.as_deref(), Some("http://a.example/x"));
        assert_eq!(pages[0].item, "a.warc#3 (http://a.example/x)");
        assert_eq!(pages[0].charset.as_deref(), Some("utf-8"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_note());
        let note = problems[0].to_string();
        assert!(
            note.contains("4 records, 1 HTML pages read, 3 other records skipped"),
            "{note}"
        );
    }

    #[test]
    fn oversized_record_is_named_and_the_next_is_read() {
        let big = http_page(&format!("<p>{}</p>", "x".repeat(5000)), "");
        let mut w = record("response", "http://a.example/big", "application/http", &big);
        w.extend(record(
            "response",
            "http://a.example/ok",
            "application/http",
            &http_page("<p>Fine.</p>", ""),
        ));
        let (pages, problems) = events(&w, 1000);
        assert_eq!(pages.len(), 1);
        assert_eq!(problems[0].item, "a.warc#1 (http://a.example/big)");
        assert!(matches!(problems[0].reason, Reason::TooLarge { .. }));
    }

    #[test]
    fn not_a_warc_and_truncated() {
        let (_, p) = events(b"<html>not an archive</html>", 1000);
        assert_eq!(p[0].item, "a.warc");
        let full = record(
            "response",
            "http://a.example/",
            "application/http",
            &http_page("<p>x</p>", ""),
        );
        let (_, p) = events(&full[..full.len() - 10], 1000);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(!p[0].is_note());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..3000)) {
            let (_, problems) = events(&bytes, 10_000);
            for p in problems {
                proptest::prop_assert!(p.item.starts_with("a.warc"));
            }
        }

        #[test]
        fn mangled_archives_never_panic(cut in 0usize..400, flip in 0usize..400, byte in proptest::num::u8::ANY) {
            let mut w = record("response", "http://a.example/p", "application/http", &http_page("<p>Some text here.</p>", ""));
            w.extend(record("response", "http://a.example/q", "application/http", &http_page("<p>More.</p>", "")));
            if let Some(b) = w.get_mut(flip) { *b = byte; }
            w.truncate(w.len().saturating_sub(cut));
            let (_, problems) = events(&w, 10_000);
            for p in problems {
                proptest::prop_assert!(p.item.starts_with("a.warc"));
            }
        }
    }
}
