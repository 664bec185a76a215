//! Fetched or archived bytes to an article: what kind of body it is (page, feed, text) and
//! the conversion through `parallax-ingest` (decoding, HTML extraction, metadata).

use crate::error::Reason;
use parallax_core::{ArticleInput, Metadata};
use parallax_ingest::decode::decode;
use parallax_ingest::formats;

/// What a body is, from its media type and (when that is vague) its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Html,
    Feed,
    Text,
    Other,
}

pub(crate) fn classify(content_type: &str, body: &[u8]) -> BodyKind {
    let ct = content_type;
    if ct.contains("rss") || ct.contains("atom") || ct == "application/feed+json" {
        return BodyKind::Feed;
    }
    if ct == "text/html" || ct == "application/xhtml+xml" {
        return BodyKind::Html;
    }
    let vague = ct.is_empty()
        || ct == "text/plain"
        || ct == "application/octet-stream"
        || ct.ends_with("/xml")
        || ct.ends_with("+xml");
    if !vague {
        return BodyKind::Other;
    }
    let head = sniff_head(body);
    if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf") {
        BodyKind::Feed
    } else if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") {
        BodyKind::Html
    } else if ct == "text/plain" {
        BodyKind::Text
    } else {
        BodyKind::Other
    }
}

/// The first 2 KiB, lower-case, for sniffing.
fn sniff_head(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase()
}

/// Decodes and extracts a page. `url` is where it came from (base for relative links, and
/// the canonical URL when the page names none); `known` fills only what the page lacks.
pub(crate) fn html_article(
    id: String,
    source: String,
    body: &[u8],
    charset: Option<&str>,
    url: Option<&str>,
    known: Metadata,
) -> Result<ArticleInput, Reason> {
    let page = decode(body, charset).map_err(Reason::Ingest)?;
    let mut input =
        formats::html_page(id, source, &page, url, Metadata::default()).map_err(Reason::Ingest)?;
    fill(&mut input.hints, known);
    Ok(input)
}

/// A plain-text body as an article (header lines read by the core's cleaning).
pub(crate) fn text_article(
    id: String,
    source: String,
    body: &[u8],
    charset: Option<&str>,
    known: Metadata,
) -> Result<ArticleInput, Reason> {
    let text = decode(body, charset).map_err(Reason::Ingest)?;
    let mut input = formats::text_input(id, source, text).map_err(Reason::Ingest)?;
    fill(&mut input.hints, known);
    Ok(input)
}

/// Fills fields the page left empty from what else is known (a feed entry's title, author,
/// date; a fetched URL).
pub(crate) fn fill(m: &mut Metadata, known: Metadata) {
    m.title = m.title.take().or(known.title);
    m.author = m.author.take().or(known.author);
    m.published = m.published.take().or(known.published);
    m.outlet = m.outlet.take().or(known.outlet);
    m.language = m.language.take().or(known.language);
    m.url = m.url.take().or(known.url);
}

/// At most `n` chars of `s`, for messages.
pub(crate) fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("application/rss+xml", b""), BodyKind::Feed);
        assert_eq!(
            classify("text/xml", b"<?xml version='1.0'?><rss>"),
            BodyKind::Feed
        );
        assert_eq!(classify("", b"<!DOCTYPE html><html>"), BodyKind::Html);
        assert_eq!(classify("text/html", b"anything"), BodyKind::Html);
        assert_eq!(classify("text/plain", b"Plain words."), BodyKind::Text);
        assert_eq!(classify("image/png", b"<html>"), BodyKind::Other);
    }
}
