//! DOM to paragraphs: block elements start new paragraphs, inline text is joined with
//! whitespace squashed. Every walk here is iterative (explicit stack), so arbitrarily deep
//! trees cannot overflow the call stack.

use dom_query::NodeRef;

/// Elements whose content is never text a reader sees.
pub(crate) const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
    "select", "option", "textarea", "input", "button", "canvas", "video", "audio", "map",
];

/// Elements that begin and end a paragraph (a heading or list item is a paragraph of its own).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "figcaption",
    "hr",
    "br",
    "address",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
    "body",
    "html",
    "center",
    "hgroup",
];

/// Table cells are separated by a space within their row's paragraph.
const CELLS: &[&str] = &["td", "th"];

/// The lower-case local name of an element node, `None` for other nodes.
pub(crate) fn tag(node: &NodeRef) -> Option<String> {
    if !node.is_element() {
        return None;
    }
    node.node_name().map(|n| n.to_ascii_lowercase())
}

/// Collects paragraphs while walking: text accumulates until a block boundary.
#[derive(Default)]
pub(crate) struct Paragraphs {
    pub paras: Vec<String>,
    cur: String,
}

impl Paragraphs {
    pub fn push_text(&mut self, t: &str) {
        if t.starts_with(char::is_whitespace) {
            self.space();
        }
        for (i, w) in t.split_whitespace().enumerate() {
            if i > 0 {
                self.cur.push(' ');
            }
            self.cur.push_str(w);
        }
        if t.ends_with(char::is_whitespace) {
            self.space();
        }
    }

    pub fn space(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with(' ') {
            self.cur.push(' ');
        }
    }

    pub fn flush(&mut self) {
        let p = self.cur.trim();
        if !p.is_empty() {
            self.paras.push(p.to_string());
        }
        self.cur.clear();
    }

    pub fn finish(mut self) -> Vec<String> {
        self.flush();
        self.paras
    }
}

/// Walks `root`'s subtree in document order, calling `visit` on entering each element; when it
/// returns `false` the element's subtree is skipped. Text lands in `out`.
pub(crate) fn walk<F>(root: &NodeRef, out: &mut Paragraphs, mut visit: F)
where
    F: FnMut(&NodeRef, &str) -> bool,
{
    // (node, leaving?) pairs; a block element is pushed again as "leaving" to flush after it.
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    while let Some((node, leaving)) = stack.pop() {
        if leaving {
            out.flush();
            continue;
        }
        if node.is_text() {
            out.push_text(&node.text());
            continue;
        }
        if node.is_element() {
            let name = tag(&node).unwrap_or_default();
            if SKIPPED.contains(&name.as_str()) || !visit(&node, &name) {
                continue;
            }
            if BLOCKS.contains(&name.as_str()) {
                out.flush();
                stack.push((node, true));
            } else if CELLS.contains(&name.as_str()) {
                out.space();
            }
        } else if !node.is_document() && !node.is_fragment() {
            continue; // comments, doctypes, processing instructions
        }
        let children = node.children();
        for c in children.into_iter().rev() {
            stack.push((c, false));
        }
    }
}

/// All paragraphs under `root`.
pub(crate) fn paragraphs(root: &NodeRef) -> Vec<String> {
    let mut out = Paragraphs::default();
    walk(root, &mut out, |_, _| true);
    out.finish()
}

/// Whitespace-squashed text of a subtree (no paragraph structure).
pub(crate) fn flat_text(root: &NodeRef) -> String {
    paragraphs(root).join(" ")
}

/// Depth of the deepest node under `root`, counted iteratively; stops counting at `cap`.
pub(crate) fn max_depth(root: &NodeRef, cap: usize) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(*root, 0usize)];
    while let Some((n, d)) = stack.pop() {
        deepest = deepest.max(d);
        if deepest >= cap {
            return cap;
        }
        for c in n.children() {
            stack.push((c, d + 1));
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn paras(html: &str) -> Vec<String> {
        let doc = Document::from(html);
        paragraphs(&doc.root())
    }

    #[test]
    fn blocks_headings_and_lists_are_paragraphs() {
        let p = paras(
            "<h2>A heading</h2><p>One <b>bold</b>\n word.</p><ul><li>first</li><li>second</li></ul>\
             <script>var x;</script><div>tail<br>line</div>",
        );
        assert_eq!(
            p,
            [
                "A heading",
                "One bold word.",
                "first",
                "second",
                "tail",
                "line"
            ]
        );
    }

    #[test]
    fn cells_are_spaced() {
        let p = paras("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>");
        assert_eq!(p, ["a b", "c"]);
    }

    #[test]
    fn inline_spacing_is_kept() {
        assert_eq!(paras("<p>x<a>y</a> <i>z</i></p>"), ["xy z"]);
    }
}
