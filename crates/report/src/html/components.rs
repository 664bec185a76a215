//! The HTML pieces shared by the self-contained report and the web server (`parallax serve`):
//! one renderer for a story's claims, timeline, actors and framing, and for an article's full
//! text, whichever page they end up in. Each piece returns escaped HTML as a `String`; the
//! [`Links`] given at construction decide where its links point.

use super::index::Index;
use super::links::Links;
use super::{document, labels, story};
use parallax_core::Report;

/// Renders pieces of one report.
pub struct Components<'a> {
    idx: Index<'a>,
}

impl<'a> Components<'a> {
    pub fn new(report: &'a Report, links: &'a dyn Links) -> Self {
        Components {
            idx: Index::with_links(report, links),
        }
    }

    /// The `n`th story below its heading: claim counts, the claims side by side (one column
    /// per article), timeline, actors and framing. `None` when there is no such story.
    pub fn story_body(&self, n: usize) -> Option<String> {
        let s = self.idx.report.stories.get(n)?;
        let mut out = String::with_capacity(32 * 1024);
        story::push_story_body(&mut out, &self.idx, s, n);
        Some(out)
    }

    /// An article's full text: a line of status counts, then its paragraphs with every
    /// sentence tinted and labelled by status, loaded words marked with their neutral
    /// alternative, dates followed by their value and links back to the claims.
    pub fn article_text(&self, doc_id: &str) -> Option<String> {
        let d = self.idx.doc(doc_id)?;
        let mut out = String::with_capacity(d.text.len() * 3);
        document::push_article_text(&mut out, &self.idx, d);
        Some(out)
    }

    /// An article's side panel: source, URL (a link only for http and https), language, id,
    /// story, near-copy note and the boilerplate cleaning removed.
    pub fn article_side(&self, doc_id: &str) -> Option<String> {
        let d = self.idx.doc(doc_id)?;
        let mut out = String::new();
        document::push_article_side(&mut out, &self.idx, d);
        Some(out)
    }

    /// `by Jane Doe · Sun 9 Mar 2025 · 420 words`.
    pub fn byline(&self, doc_id: &str) -> Option<String> {
        let d = self.idx.doc(doc_id)?;
        let mut out = String::new();
        story::push_byline(&mut out, d);
        Some(out)
    }

    /// An article's title, or its first words when it has none.
    pub fn title(&self, doc_id: &str) -> Option<String> {
        self.idx.doc(doc_id).map(story::doc_title)
    }

    /// The short name of an article in column heads: its outlet, or its id.
    pub fn label(&self, doc_id: &str) -> String {
        self.idx.label(doc_id)
    }
}

/// The legend: what the status colours, claim kinds and marks in the text mean.
pub fn legend() -> String {
    let mut out = String::new();
    labels::push_legend(&mut out);
    out
}

/// `url` when it is a web link (http or https), the only kind ever rendered as a link:
/// `javascript:`, `data:`, `file:` and relative URLs stay text.
pub fn web_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    ((lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace()))
    .then_some(u)
}

#[cfg(test)]
mod tests {
    use super::web_url;

    #[test]
    fn only_web_urls_are_links() {
        assert_eq!(
            web_url(" https://a.example/x "),
            Some("https://a.example/x")
        );
        assert_eq!(web_url("HTTP://A.example"), Some("HTTP://A.example"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "//evil.example",
            "/relative",
            "http://a b",
            "http://a\u{0}b",
            "httpx://a",
            "",
            "é",
        ] {
            assert_eq!(web_url(bad), None, "{bad:?}");
        }
    }
}
