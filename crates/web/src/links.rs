//! The server's URLs: one function per page, so every link is built the same way, and the
//! [`WebLinks`] the shared report components use to point at them.

use parallax_report::html::{claim_anchor, sentence_anchor, Links};
use std::fmt::Write;

/// Percent-encodes everything but unreserved characters (RFC 3986), for a path segment or a
/// query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub fn story(id: &str) -> String {
    format!("/stories/{}", encode(id))
}

pub fn article(id: &str) -> String {
    format!("/articles/{}", encode(id))
}

pub fn entity(id: &str) -> String {
    format!("/entities/{}", encode(id))
}

/// `path?k=v&...` with the pairs whose value is not empty, values encoded.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// Links of the shared report components on this server: an article and a story are pages,
/// a sentence and a claim are fragments of theirs, and an entity has its page.
pub struct WebLinks;

impl Links for WebLinks {
    fn story(&self, story_id: &str, _n: usize) -> String {
        story(story_id)
    }
    fn article(&self, doc_id: &str) -> String {
        article(doc_id)
    }
    fn sentence(&self, doc_id: &str, sentence_id: &str) -> String {
        format!("{}#{}", article(doc_id), sentence_anchor(sentence_id))
    }
    fn claim(&self, story_id: &str, n: usize, claim_id: &str) -> String {
        format!("{}#{}", story(story_id), claim_anchor(n, claim_id))
    }
    fn entity(&self, entity_id: &str) -> Option<String> {
        Some(entity(entity_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_their_parts() {
        assert_eq!(story("s-0a1b"), "/stories/s-0a1b");
        assert_eq!(article("a/../b c"), "/articles/a%2F..%2Fb%20c");
        assert_eq!(entity("\"><x"), "/entities/%22%3E%3Cx");
        assert_eq!(
            with_query(
                "/search",
                &[("q", "al-Masri & co"), ("page", ""), ("outlet", "é")]
            ),
            "/search?q=al-Masri%20%26%20co&outlet=%C3%A9"
        );
        assert_eq!(WebLinks.sentence("d1", "d1:3"), "/articles/d1#s-d1.3A3");
        assert_eq!(
            WebLinks.claim("s-1", 0, "s-1-c2"),
            "/stories/s-1#claim-1-s-1-c2"
        );
    }
}
