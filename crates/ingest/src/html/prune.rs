//! Precision pass over the chosen main content: removes what Readability keeps inside an
//! article but a reader does not count as the article: photo captions and credits,
//! chrome-marked boxes (newsletter sign-ups, related and "most read" lists, share bars,
//! comments), link-dense blocks (lists of headlines without telling class names), and short
//! clutter lines (cue lines such as "Read more: …", sign-up calls, "Advertisement", and
//! bylines and dates repeated at the start or end of the text).
//!
//! Rules are structural (element names, class/id vocabulary, link density) or line patterns
//! from `data/clutter-lines.txt`; none names a site. A guard keeps any block holding a large
//! share of the article's text, so a wrapper with an unlucky class name never takes the
//! article with it. Everything removed is reported as boilerplate.

use super::text::{tag, SKIPPED};
use dom_query::{NodeId, NodeRef};
use regex::RegexSet;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A block holding more than this share of the content's text is never removed.
const MAX_REMOVED_SHARE: f64 = 0.4;
/// Link-dense blocks: at least this many links...
const MIN_LINKS: usize = 3;
/// ...and at least this share of their text inside links.
const LINK_DENSITY: f64 = 0.5;
/// Byline and date lines are looked for among the first and last few paragraphs.
const EDGE_PARAGRAPHS: usize = 4;
/// Clutter lines are short.
const MAX_CLUTTER_WORDS: usize = 30;

/// Containers that can be link-list boxes.
const BOXES: &[&str] = &["div", "section", "ul", "ol", "dl", "table", "aside", "nav"];

/// Text and link-text sizes of every element under a root, computed in one post-order pass.
#[derive(Default, Clone, Copy)]
struct Sizes {
    text: usize,
    link_text: usize,
    links: usize,
}

fn measure(root: &NodeRef) -> HashMap<NodeId, Sizes> {
    let mut sizes: HashMap<NodeId, Sizes> = HashMap::new();
    // (node, children done?)
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    while let Some((n, done)) = stack.pop() {
        if !done {
            if tag(&n).is_some_and(|t| SKIPPED.contains(&t.as_str())) {
                continue;
            }
            stack.push((n, true));
            for c in n.children() {
                stack.push((c, false));
            }
            continue;
        }
        let mut s = Sizes::default();
        for c in n.children() {
            if c.is_text() {
                s.text += c.text().trim().chars().count();
            } else if let Some(cs) = sizes.get(&c.id) {
                s.text += cs.text;
                s.link_text += cs.link_text;
                s.links += cs.links;
            }
        }
        if tag(&n).as_deref() == Some("a") {
            s.link_text = s.text;
            s.links += 1;
        }
        sizes.insert(n.id, s);
    }
    sizes
}

/// Removes clutter blocks from the content under `root`; returns their text (for the
/// boilerplate sample).
pub(crate) fn prune_blocks(root: &NodeRef) -> Vec<String> {
    let sizes = measure(root);
    let total = sizes.get(&root.id).map_or(0, |s| s.text).max(1);
    let mut doomed = Vec::new();
    let mut stack: Vec<NodeRef> = root.children().into_iter().rev().collect();
    while let Some(n) = stack.pop() {
        let Some(name) = tag(&n) else { continue };
        let s = sizes.get(&n.id).copied().unwrap_or_default();
        if s.text as f64 <= total as f64 * MAX_REMOVED_SHARE && is_clutter(&n, &name, s) {
            doomed.push(n);
            continue;
        }
        for c in n.children().into_iter().rev() {
            stack.push(c);
        }
    }
    let mut removed = Vec::new();
    for n in doomed {
        let t = super::text::flat_text(&n);
        if !t.trim().is_empty() {
            removed.push(t);
        }
        n.remove_from_parent();
    }
    removed
}

fn is_clutter(n: &NodeRef, name: &str, s: Sizes) -> bool {
    if name == "figcaption" || has_token(n, &["caption", "credit"]) || is_image_caption(n, name) {
        return true;
    }
    if is_chrome(n, name) {
        return true;
    }
    // A link list is a box of other stories only when it says so: its own heading or the
    // heading just before it is a box cue ("More on this story", "Related", "Most read").
    // Link lists without one (tables of contents, link collections in a post, "See also") are
    // often the content itself, so they stay.
    BOXES.contains(&name)
        && s.links >= MIN_LINKS
        && s.link_text as f64 >= s.text as f64 * LINK_DENSITY
        && s.text <= MAX_BOX_CHARS
        && (first_line(n).is_some_and(|l| is_box_cue(&l))
            || n.prev_element_sibling()
                .filter(|p| p.text().split_whitespace().count() <= 8)
                .is_some_and(|p| is_box_cue(p.text().trim())))
}

/// Inline elements are never removed for their class alone (a styled link or span in prose).
const INLINE: &[&str] = &[
    "a", "span", "em", "strong", "b", "i", "small", "time", "abbr", "cite", "code", "label", "sup",
    "sub", "u", "mark", "font", "q",
];

/// A caption without caption markup: a short block right after a bare image whose text sits
/// entirely in one `em`/`i`/`small` element (`<p><img></p><p><em>Boats at dawn.</em></p>`).
fn is_image_caption(n: &NodeRef, name: &str) -> bool {
    if !matches!(name, "p" | "div") {
        return false;
    }
    let Some(prev) = n.prev_element_sibling() else {
        return false;
    };
    let prev_is_image = prev.text().trim().is_empty()
        && (matches!(tag(&prev).as_deref(), Some("img" | "picture" | "figure"))
            || prev
                .descendants()
                .iter()
                .any(|d| matches!(tag(d).as_deref(), Some("img" | "picture"))));
    if !prev_is_image || n.text().split_whitespace().count() > 40 {
        return false;
    }
    let kids: Vec<NodeRef> = n
        .children()
        .into_iter()
        .filter(|c| !(c.is_text() && c.text().trim().is_empty()))
        .collect();
    kids.len() == 1 && matches!(tag(&kids[0]).as_deref(), Some("em" | "i" | "small"))
}

/// Link boxes are small; a longer link-dense block is left alone (and not walked twice).
const MAX_BOX_CHARS: usize = 3000;

/// The first paragraph of a block (its heading, usually).
fn first_line(n: &NodeRef) -> Option<String> {
    super::text::paragraphs(n).into_iter().next()
}

/// A heading that announces a box of other stories.
fn is_box_cue(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words > 0 && words <= 8 && lines().cues.is_match(line.trim())
}

/// Chrome inside the chosen content: chrome tags and roles, and class/id words from
/// `data/chrome-markers.txt` matched more strictly than when sampling a whole page, because
/// here a false match deletes article text: a marker must be a whole part of a class token
/// (`share-bar`, `comments`; not `shared`), and ids count only when short (`comments`,
/// `related-box`), since long ids are usually slugs of a heading ("example-1-amend-a-shared-…").
fn is_chrome(n: &NodeRef, name: &str) -> bool {
    if super::boilerplate::CHROME_TAGS.contains(&name) {
        return true;
    }
    if matches!(
        n.attr("role").as_deref(),
        Some("navigation" | "banner" | "contentinfo" | "complementary")
    ) || n.attr("aria-hidden").as_deref() == Some("true")
    {
        return true;
    }
    if INLINE.contains(&name) {
        return false;
    }
    let chrome = super::data::chrome_markers();
    let content = super::data::content_markers();
    let marked = |token: &str| {
        content.contains(&token)
            || token.split(['-', '_']).any(|part| {
                content.contains(&part)
                    || chrome.iter().any(|m| {
                        part == *m
                            || part.strip_suffix('s') == Some(m)
                            || (m.len() >= 6 && part.starts_with(m))
                    })
            })
    };
    let class_hit = n
        .attr("class")
        .is_some_and(|v| v.to_ascii_lowercase().split_whitespace().any(marked));
    let id_hit = n.attr("id").is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.split(['-', '_']).count() <= 2 && marked(&v)
    });
    class_hit || id_hit
}

/// Whether a class or id token of `n` contains one of `fragments`.
fn has_token(n: &NodeRef, fragments: &[&str]) -> bool {
    ["class", "id"].iter().any(|a| {
        n.attr(a).is_some_and(|v| {
            v.to_ascii_lowercase()
                .split_whitespace()
                .any(|t| fragments.iter().any(|f| t.contains(f)))
        })
    })
}

/// Line patterns (see `data/clutter-lines.txt`): lines matched anywhere, and lines matched
/// only near the start or end of the text (bylines and dates).
struct Lines {
    anywhere: RegexSet,
    edges: RegexSet,
    dates: RegexSet,
    cues: RegexSet,
}

fn lines() -> &'static Lines {
    static L: OnceLock<Lines> = OnceLock::new();
    L.get_or_init(|| {
        let mut anywhere = Vec::new();
        let mut edges = Vec::new();
        let mut dates = Vec::new();
        let mut cues = Vec::new();
        for l in include_str!("../../data/clutter-lines.txt").lines() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let Some((kind, p)) = l.split_once(' ') else {
                continue;
            };
            let anchored = format!("^(?:{})$", p.trim());
            match kind {
                "any" => anywhere.push(anchored),
                "edge" => edges.push(anchored),
                "date" => dates.push(anchored),
                "cue" => {
                    // A box heading is also a clutter line on its own.
                    anywhere.push(anchored.clone());
                    cues.push(anchored);
                }
                _ => {}
            }
        }
        // The table is compiled in and tested; an invalid entry is a build-time bug caught by
        // the unit test, and matches nothing here rather than panicking.
        Lines {
            anywhere: RegexSet::new(&anywhere).unwrap_or_else(|_| RegexSet::empty()),
            edges: RegexSet::new(&edges).unwrap_or_else(|_| RegexSet::empty()),
            dates: RegexSet::new(&dates).unwrap_or_else(|_| RegexSet::empty()),
            cues: RegexSet::new(&cues).unwrap_or_else(|_| RegexSet::empty()),
        }
    })
}

/// Drops clutter lines from rendered paragraphs; returns the dropped ones. `author` (from the
/// page's metadata) also marks a repeated byline: a short edge line naming the author.
pub(crate) fn prune_lines(paras: &mut Vec<String>, author: Option<&str>) -> Vec<String> {
    let l = lines();
    let n = paras.len();
    let author = author.map(str::to_lowercase).filter(|a| a.len() >= 4);
    let mut removed = Vec::new();
    let mut kept = Vec::with_capacity(n);
    for (i, p) in paras.drain(..).enumerate() {
        let t = p.trim();
        let words = t.split_whitespace().count();
        let at_edge = (i < EDGE_PARAGRAPHS || i + EDGE_PARAGRAPHS >= n)
            && words <= 12
            && !t.ends_with(['.', '!', '?', '"', '”', '’']);
        let drop = (words <= MAX_CLUTTER_WORDS && l.anywhere.is_match(t))
            || (at_edge && l.edges.is_match(t))
            || (at_edge && t.contains(|c: char| c.is_ascii_digit()) && l.dates.is_match(t))
            || (at_edge && words <= 8 && author.as_deref().is_some_and(|a| names_only(t, a)));
        if drop {
            removed.push(p);
        } else {
            kept.push(p);
        }
    }
    // Never empty an article on the strength of line patterns alone.
    if kept.is_empty() {
        *paras = removed;
        return Vec::new();
    }
    *paras = kept;
    removed
}

/// A line that is the author's name plus at most a few connecting words ("Jo Lee / Herald",
/// "JO LEE"): a repeated byline, not a sentence.
fn names_only(line: &str, author_lower: &str) -> bool {
    let lower = line.to_lowercase();
    if !lower.contains(author_lower) {
        return false;
    }
    let rest = lower.replacen(author_lower, "", 1);
    !rest.contains(['.', '?', '!', '"', '“', '”']) && rest.split_whitespace().count() <= 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    #[test]
    fn clutter_table_compiles() {
        let l = lines();
        assert!(l.anywhere.len() > 5 && l.edges.len() >= 2 && l.dates.len() >= 2);
        assert!(!l.cues.is_empty());
        let raw = include_str!("../../data/clutter-lines.txt");
        for line in raw.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, p) = line.split_once(' ').expect("kind and pattern");
            assert!(
                ["any", "edge", "date", "cue"].contains(&kind),
                "bad kind: {line}"
            );
            assert!(regex::Regex::new(p).is_ok(), "bad pattern: {p}");
        }
    }

    #[test]
    fn removes_captions_boxes_and_link_lists() {
        let doc = Document::from(
            r#"<div><figure><img src="a.jpg"><figcaption>Boats in the harbour. Photo: X</figcaption></figure>
            <p>The council approved the plan on Monday after a long debate about the cost of the new harbour wall and the dredging works.</p>
            <div class="box"><h4>More on this</h4><ul><li><a href="/1">One headline</a></li><li><a href="/2">Two headline</a></li><li><a href="/3">Three headline</a></li></ul></div>
            <div class="newsletter-signup"><p>Get our briefing every morning.</p></div>
            <p>Work will start in June and should finish before the autumn storms, officials said in a statement, adding that the fleet would return.</p></div>"#,
        );
        let root = doc.root();
        let removed = prune_blocks(&root);
        let text = super::super::text::paragraphs(&root).join("\n");
        assert!(text.contains("council approved") && text.contains("Work will start"));
        for gone in ["Boats in the harbour", "One headline", "briefing"] {
            assert!(!text.contains(gone), "{gone}: {text}");
        }
        assert_eq!(removed.len(), 3);
    }

    #[test]
    fn link_lists_without_a_cue_stay() {
        let doc = Document::from(
            r#"<div><p>The release notes list the work of many contributors this month, with thanks.</p>
            <ul><li><a href="/1">Bug 1 fixed in the parser</a></li><li><a href="/2">Bug 2 fixed in the cache</a></li><li><a href="/3">Bug 3 fixed in the UI</a></li></ul>
            <h3>Most read</h3><ul><li><a href="/a">Storm closes roads</a></li><li><a href="/b">Fair opens</a></li><li><a href="/c">Team wins</a></li></ul></div>"#,
        );
        let root = doc.root();
        prune_blocks(&root);
        let text = super::super::text::paragraphs(&root).join("\n");
        assert!(text.contains("Bug 2 fixed"), "{text}");
        assert!(!text.contains("Storm closes"), "{text}");
    }

    #[test]
    fn chrome_words_match_whole_parts() {
        let doc = Document::from(
            r#"<div id="example-1-amend-a-shared-changeset" class="section"><p>x</p></div>
            <div class="share-bar"><p>y</p></div><div id="comments"><p>z</p></div>"#,
        );
        let divs: Vec<NodeRef> = doc.select("div").nodes().to_vec();
        assert!(!is_chrome(&divs[0], "div"));
        assert!(is_chrome(&divs[1], "div"));
        assert!(is_chrome(&divs[2], "div"));
    }

    #[test]
    fn a_wrapper_with_a_chrome_class_is_kept() {
        let doc = Document::from(
            r#"<div class="post has-comments"><p>The whole article is in here, and it is long enough to be most of the text.</p></div>"#,
        );
        assert!(prune_blocks(&doc.root()).is_empty());
    }

    #[test]
    fn clutter_lines_at_edges_and_anywhere() {
        let mut p: Vec<String> = [
            "By JO LEE",
            "Published March 4, 2024 · Updated March 4, 2024",
            "The council approved the plan on Monday after a long debate.",
            "Read more: Harbour fees to rise next year",
            "Officials said work would start in June.",
            "It was approved by 31 votes to 12.",
            "Advertisement",
            "Jo Lee / The Herald",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let removed = prune_lines(&mut p, Some("Jo Lee"));
        assert_eq!(
            p,
            [
                "The council approved the plan on Monday after a long debate.",
                "Officials said work would start in June.",
                "It was approved by 31 votes to 12."
            ]
        );
        assert_eq!(removed.len(), 5);
    }

    #[test]
    fn prose_is_never_a_clutter_line() {
        let mut p: Vec<String> = vec![
            "By the end of the day, the council had approved the plan.".into(),
            "Updated figures showed the cost had doubled since March.".into(),
            "Subscribers to the scheme will pay less, the council said.".into(),
        ];
        let removed = prune_lines(&mut p, None);
        assert!(removed.is_empty(), "{removed:?}");
    }
}
