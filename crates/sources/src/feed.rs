//! RSS/Atom (and JSON Feed) documents into entries: link, id, and what the feed itself says
//! (title, author, date, content), used to fill gaps in the fetched page and as the article
//! when the page cannot be fetched.

use crate::error::Reason;
use parallax_core::Metadata;

/// Feeds with more entries are cut (a feed is a list of recent items; a hostile one must not
/// make the reader fetch without end).
pub(crate) const MAX_ENTRIES: usize = 1000;

/// One feed entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// 1-based position in the feed, for messages (`FEED#N`).
    pub n: usize,
    /// The article link (absolute when the feed gave a base), if any.
    pub link: Option<String>,
    /// What a watcher remembers to skip the entry next time: the link, else the guid/id.
    pub key: String,
    pub meta: Metadata,
    /// The entry's own HTML or text (content, else summary).
    pub content: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Feed {
    pub title: Option<String>,
    pub entries: Vec<Entry>,
}

/// Parses a feed; `base` resolves relative links (the feed's own URL).
pub(crate) fn parse(bytes: &[u8], base: Option<&str>) -> Result<Feed, Reason> {
    let parser = feed_rs::parser::Builder::new().base_uri(base).build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| Reason::Feed(crate::page::clip(&e.to_string(), 200)))?;
    let feed_title = feed.title.map(|t| t.content.trim().to_string());
    let language = feed.language.clone();
    let entries = feed
        .entries
        .into_iter()
        .take(MAX_ENTRIES)
        .enumerate()
        .map(|(i, e)| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_string())
                .filter(|h| !h.is_empty());
            let key = link.clone().unwrap_or_else(|| e.id.clone());
            let author = e
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref().map(str::trim))
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let content = e
                .content
                .and_then(|c| c.body)
                .or(e.summary.map(|s| s.content))
                .filter(|c| !c.trim().is_empty());
            Entry {
                n: i + 1,
                link,
                key,
                meta: Metadata {
                    title: e
                        .title
                        .map(|t| t.content.trim().to_string())
                        .filter(|t| !t.is_empty()),
                    author: Some(author).filter(|a| !a.is_empty()),
                    published: e
                        .published
                        .or(e.updated)
                        .map(|d| d.format("%Y-%m-%d").to_string()),
                    outlet: None,
                    language: language.clone(),
                    url: None,
                },
                content,
            }
        })
        .collect();
    Ok(Feed {
        title: feed_title.filter(|t| !t.is_empty()),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Bay Herald</title><link>https://bay.example/</link>
<item><title>Harbour reopens</title><link>/news/harbour</link><guid>h-1</guid>
<pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate><author>desk@bay.example (Mara Oakes)</author>
<description>&lt;p&gt;The harbour reopened on Monday.&lt;/p&gt;</description></item>
<item><title>No link here</title><guid>g-2</guid><description>Only text.</description></item>
</channel></rss>"#;

    #[test]
    fn rss_entries() {
        let f = parse(RSS.as_bytes(), Some("https://bay.example/feed.xml")).unwrap();
        assert_eq!(f.title.as_deref(), Some("Bay Herald"));
        let e = &f.entries[0];
        assert_eq!(e.link.as_deref(), Some("https://bay.example/news/harbour"));
        assert_eq!(e.key, "https://bay.example/news/harbour");
        assert_eq!(e.meta.title.as_deref(), Some("Harbour reopens"));
        assert_eq!(e.meta.published.as_deref(), Some("2024-03-04"));
        assert!(e.content.as_deref().unwrap().contains("reopened"));
        assert_eq!(f.entries[1].link, None);
        assert_eq!(f.entries[1].key, "g-2");
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>Wire</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
        <entry><title>One</title><id>urn:1</id><link rel="alternate" href="https://w.example/1"/>
        <updated>2024-01-02T00:00:00Z</updated><author><name>Jo Lee</name></author>
        <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"#;
        let f = parse(atom.as_bytes(), None).unwrap();
        let e = &f.entries[0];
        assert_eq!(e.link.as_deref(), Some("https://w.example/1"));
        assert_eq!(e.meta.author.as_deref(), Some("Jo Lee"));
        assert_eq!(e.meta.published.as_deref(), Some("2024-01-02"));
    }

    #[test]
    fn malformed_feed_is_an_error() {
        assert!(matches!(
            parse(b"<rss><channel><item>", None),
            Err(Reason::Feed(_))
        ));
        assert!(matches!(parse(b"", None), Err(Reason::Feed(_))));
        assert!(matches!(
            parse(b"\x00\xff binary", None),
            Err(Reason::Feed(_))
        ));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = parse(&bytes, Some("https://x.example/feed"));
        }

        #[test]
        fn mangled_feeds_never_panic(cut in 0usize..600, flip in 0usize..600, byte in proptest::num::u8::ANY) {
            let mut b = RSS.as_bytes().to_vec();
            if let Some(x) = b.get_mut(flip) { *x = byte; }
            b.truncate(b.len().saturating_sub(cut));
            let _ = parse(&b, None);
        }

        #[test]
        fn tag_soup_never_panics(s in "(<(/?)(rss|channel|item|feed|entry|title|link|guid)>|[a-z ]{0,10}|&amp;|<!\\[CDATA\\[|\\]\\]>){0,40}") {
            let _ = parse(s.as_bytes(), None);
        }
    }
}
