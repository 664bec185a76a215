//! Page chrome: navigation, share bars, cookie notices, related links, comments.
//!
//! Used twice: to report the text blocks the extractor removed (so later stages and users can
//! see what was dropped), and by the fallback extractor, which skips these containers outright.

use super::text::{tag, walk, Paragraphs};
use dom_query::NodeRef;

/// Elements that are chrome by their tag alone.
pub(crate) const CHROME_TAGS: &[&str] = &["nav", "footer", "aside", "form", "dialog", "menu"];

/// Reported boilerplate is capped: it is a sample for inspection, not an archive.
pub(crate) const MAX_BLOCKS: usize = 40;
/// Longest reported block, in chars; longer blocks are cut at a word boundary.
const MAX_BLOCK_CHARS: usize = 200;

/// Whether `node` (an element named `name`) looks like page chrome.
pub(crate) fn is_chrome(node: &NodeRef, name: &str) -> bool {
    if CHROME_TAGS.contains(&name) {
        return true;
    }
    if matches!(
        node.attr("role").as_deref(),
        Some("navigation" | "banner" | "contentinfo" | "complementary")
    ) || node.attr("aria-hidden").as_deref() == Some("true")
    {
        return true;
    }
    if name == "body" || name == "html" || name == "article" || name == "main" {
        return false;
    }
    let mut attrs = String::new();
    for a in ["class", "id"] {
        if let Some(v) = node.attr(a) {
            attrs.push_str(&v.to_ascii_lowercase());
            attrs.push(' ');
        }
    }
    attrs
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
        .any(|t| super::data::chrome_markers().iter().any(|m| t.contains(m)))
}

/// Text blocks inside chrome containers anywhere under `root`, deduplicated, short, capped.
pub(crate) fn blocks(root: &NodeRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![*root];
    while let Some(n) = stack.pop() {
        if out.len() >= MAX_BLOCKS {
            break;
        }
        if let Some(name) = tag(&n) {
            if super::text::SKIPPED.contains(&name.as_str()) {
                continue;
            }
            if is_chrome(&n, &name) {
                let mut p = Paragraphs::default();
                walk(&n, &mut p, |_, _| true);
                for b in p.finish() {
                    let b = shorten(&b);
                    if b.split_whitespace().count() >= 1 && !out.contains(&b) {
                        out.push(b);
                    }
                }
                continue;
            }
        }
        for c in n.children().into_iter().rev() {
            stack.push(c);
        }
    }
    out.truncate(MAX_BLOCKS);
    out
}

pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_BLOCK_CHARS {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_BLOCK_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Fallback main text: every paragraph under `root` outside chrome containers, dropping
/// link-only lines (menus that escaped the markers).
pub(crate) fn main_text_without_chrome(root: &NodeRef) -> Vec<String> {
    let mut p = Paragraphs::default();
    walk(root, &mut p, |n, name| !is_chrome(n, name));
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    #[test]
    fn finds_chrome_blocks() {
        let doc = Document::from(
            r#"<body><nav><a>Home</a> <a>World</a></nav><article><p>The story.</p>
            <div class="share-bar">Share this</div></article>
            <div id="comments"><p>First!</p></div><footer>© Paper</footer></body>"#,
        );
        let b = blocks(&doc.root());
        assert_eq!(b, ["Home World", "Share this", "First!", "© Paper"]);
        assert_eq!(main_text_without_chrome(&doc.root()), ["The story."]);
    }

    #[test]
    fn long_blocks_are_cut() {
        let long = "word ".repeat(100);
        let s = shorten(&long);
        assert!(s.chars().count() <= MAX_BLOCK_CHARS + 1);
        assert!(s.ends_with('…'));
    }
}
