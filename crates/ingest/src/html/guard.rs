//! Input guard against adversarial nesting, applied before parsing.
//!
//! html5ever's tree builder scans its stack of open elements for many start tags, so a page of
//! N nested elements costs O(N²) (100k nested `<div>`s: minutes). Real pages nest a few dozen
//! levels. A cheap byte scan estimates nesting from start/end tags; only when the estimate
//! passes [`MAX_NESTING`] is the input rewritten, dropping the tags (never the text) that would
//! go deeper. Elements whose end tag is optional or absent (`p`, `li`, void elements) are not
//! counted, so sloppy but ordinary markup never trips the guard.
//!
//! The same pass bounds attributes: html5ever checks each new attribute of a tag against the
//! ones before it (O(N²) in a tag's attributes: 200,000 attributes take 19 s), so a tag with
//! more than [`MAX_ATTRIBUTES`] keeps only its first ones. Real tags have a few dozen.

use std::borrow::Cow;

/// Deepest estimated nesting kept; tags beyond it are dropped.
pub(crate) const MAX_NESTING: usize = 256;
/// Attributes kept per tag; the rest of an over-long tag is dropped.
pub(crate) const MAX_ATTRIBUTES: usize = 256;

/// Elements not counted: void elements and those whose end tag may be omitted.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body",
    "image", "basefont", "bgsound", "frame",
];

/// Elements whose content is raw text: their body is skipped up to the matching end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];

/// `html` unchanged when its estimated nesting is within [`MAX_NESTING`] and no tag has more
/// than [`MAX_ATTRIBUTES`] attributes, else a copy without the too-deep tags and the excess
/// attributes.
pub(crate) fn limit_nesting(html: &str) -> Cow<'_, str> {
    let (deepest, long_tags) = scan(html, None);
    if deepest <= MAX_NESTING && !long_tags {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, Some(&mut out));
    Cow::Owned(out)
}

/// One tag found by the scanner.
struct Tag<'a> {
    end: usize,
    name: &'a str,
    closing: bool,
    /// Ends in `/>`: an empty element in SVG/MathML (in HTML the slash is ignored).
    self_closing: bool,
    /// Where the attribute after the first [`MAX_ATTRIBUTES`] starts, when there is one.
    cut: Option<usize>,
}

/// Walks the tags; returns the deepest estimated nesting and whether a tag has too many
/// attributes. With `out`, copies the input there, leaving out start tags deeper than the cap
/// and as many matching end tags, and the attributes of a tag past [`MAX_ATTRIBUTES`].
fn scan(html: &str, mut out: Option<&mut String>) -> (usize, bool) {
    let mut long_tags = false;
    let b = html.as_bytes();
    let (mut depth, mut deepest, mut dropped) = (0usize, 0usize, 0usize);
    // Open <svg>/<math> elements: inside them `<path/>` is empty, not an open element.
    let mut foreign = 0usize;
    let mut i = 0;
    let mut copied = 0; // bytes of `html` already handled for `out`
    while let Some(off) = memchr_lt(&b[i..]) {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start + 4..]
                .find("-->")
                .map_or(b.len(), |e| start + 4 + e + 3);
            continue;
        }
        let Some(tag) = read_tag(html, start) else {
            i = start + 1;
            continue;
        };
        i = tag.end;
        if let Some(cut) = tag.cut {
            long_tags = true;
            if let Some(o) = out.as_deref_mut() {
                o.push_str(&html[copied..cut]);
                o.push('>');
                copied = tag.end;
            }
        }
        let name = tag.name.to_ascii_lowercase();
        if !tag.closing && RAW_TEXT.contains(&name.as_str()) {
            i = find_end_tag(html, i, &name);
            continue;
        }
        if UNCOUNTED.contains(&name.as_str()) || (foreign > 0 && tag.self_closing) {
            continue;
        }
        if name == "svg" || name == "math" {
            if tag.closing {
                foreign = foreign.saturating_sub(1);
            } else if !tag.self_closing {
                foreign += 1;
            }
        }
        let drop = if tag.closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_NESTING {
            dropped += 1;
            true
        } else {
            depth += 1;
            deepest = deepest.max(depth);
            false
        };
        if drop {
            deepest = deepest.max(depth + 1);
            if let Some(o) = out.as_deref_mut() {
                // A dropped tag goes whole, including a part already copied before its cut.
                if tag.cut.is_some() {
                    o.truncate(o.len() - (tag.cut.unwrap_or(start) + 1 - start));
                } else {
                    o.push_str(&html[copied..start]);
                }
                copied = tag.end;
            }
        }
    }
    if let Some(o) = out {
        o.push_str(&html[copied..]);
    }
    (deepest, long_tags)
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// Reads `<name ...>` or `</name ...>` at `start`; `None` when it is not a tag.
fn read_tag(html: &str, start: usize) -> Option<Tag<'_>> {
    let b = html.as_bytes();
    let mut j = start + 1;
    let closing = b.get(j) == Some(&b'/');
    if closing {
        j += 1;
    }
    let name_start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
        j += 1;
    }
    if j == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &html[name_start..j];
    // The tag ends at the next '>' outside quotes. Attributes are counted on the way: one
    // starts at a character after white space that is not `=` nor a value after `=`.
    let mut quote: Option<u8> = None;
    let (mut attributes, mut cut) = (0usize, None);
    let (mut after_space, mut after_eq) = (false, false);
    while j < b.len() {
        let c = b[j];
        match (quote, c) {
            (None, b'>') => {
                return Some(Tag {
                    end: j + 1,
                    name,
                    closing,
                    self_closing: j > 0 && b[j - 1] == b'/',
                    cut,
                })
            }
            (None, q @ (b'"' | b'\'')) => {
                quote = Some(q);
                after_eq = false;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) if c.is_ascii_whitespace() => {
                after_space = true;
                j += 1;
                continue;
            }
            (None, b'=') => after_eq = true,
            (None, b'/') => {}
            (None, _) => {
                if after_space && !after_eq {
                    attributes += 1;
                    if attributes == MAX_ATTRIBUTES + 1 {
                        cut = Some(j);
                    }
                }
                after_eq = false;
            }
        }
        after_space = false;
        j += 1;
    }
    Some(Tag {
        end: b.len(),
        name,
        closing,
        self_closing: false,
        cut,
    })
}

/// Index just past `</name ...>` at or after `from`, or the end of input. Only a `</name`
/// is read as a tag, so raw text full of `<` costs linear time.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut i = from;
    while let Some(off) = memchr_lt(&b[i..]) {
        let at = i + off;
        let head = b.get(at + 2..at + 2 + name.len());
        if b.get(at + 1) == Some(&b'/')
            && head.is_some_and(|h| h.eq_ignore_ascii_case(name.as_bytes()))
        {
            if let Some(t) = read_tag(html, at) {
                if t.closing && t.name.eq_ignore_ascii_case(name) {
                    return t.end;
                }
            }
        }
        i = at + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div><script>if (a<b) {}</script>";
        assert!(matches!(limit_nesting(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_but_text_kept() {
        let n = MAX_NESTING + 50;
        let page = format!("{}deep{}", "<div class='x'>".repeat(n), "</div>".repeat(n));
        let out = limit_nesting(&page);
        assert_eq!(out.matches("<div").count(), MAX_NESTING);
        assert_eq!(out.matches("</div>").count(), MAX_NESTING);
        assert!(out.contains("deep"));
        assert_eq!(scan(&out, None).0, MAX_NESTING);
    }

    #[test]
    fn empty_svg_elements_do_not_nest() {
        let page = format!(
            "<svg>{}</svg><p>ok</p>",
            "<path d='M0 0'/>".repeat(MAX_NESTING * 2)
        );
        assert!(matches!(limit_nesting(&page), Cow::Borrowed(_)));
        // Outside SVG the slash is ignored by HTML parsers, so `<div/>` still nests.
        let html = "<div/>".repeat(MAX_NESTING * 2);
        assert!(matches!(limit_nesting(&html), Cow::Owned(_)));
    }

    #[test]
    fn raw_text_and_comments_are_not_counted() {
        let inner = "<div>".repeat(MAX_NESTING + 5);
        let page = format!("<script>{inner}</script><!--{inner}--><p>ok</p>");
        assert!(matches!(limit_nesting(&page), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_keep_their_first_attributes() {
        let attrs: String = (0..MAX_ATTRIBUTES + 40)
            .map(|i| format!(" data-a{i} = \"v>{i}\""))
            .collect();
        let page = format!("<html><body><p class='x'{attrs}>kept text</p></body></html>");
        let out = limit_nesting(&page);
        assert!(matches!(out, Cow::Owned(_)));
        assert_eq!(
            out.matches("data-a").count(),
            MAX_ATTRIBUTES - 1,
            "class and the first data attributes"
        );
        assert!(out.contains(">kept text</p>"));
        // Ordinary tags are untouched.
        let ok = "<a href='x' class=\"y\" id=z data-q = 'w'>t</a>";
        assert!(matches!(limit_nesting(ok), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_tags_with_many_attributes_are_dropped_whole() {
        let attrs: String = (0..MAX_ATTRIBUTES + 5)
            .map(|i| format!(" a{i}=v"))
            .collect();
        let n = MAX_NESTING + 3;
        let page = format!(
            "{}deep{}",
            format!("<div{attrs}>").repeat(n),
            "</div>".repeat(n)
        );
        let out = limit_nesting(&page);
        assert_eq!(out.matches("<div").count(), MAX_NESTING);
        assert_eq!(out.matches(" a0=v").count(), MAX_NESTING);
        assert!(!out.contains(&format!("a{}=", MAX_ATTRIBUTES)));
        assert!(out.contains("deep"));
    }

    #[test]
    fn raw_text_full_of_angle_brackets_is_skipped() {
        let page = format!("<script>{}</script><p>ok</p>", "<a ".repeat(10_000));
        assert_eq!(
            find_end_tag(&page, 8, "script"),
            page.len() - "<p>ok</p>".len()
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_short_inputs(s in "\\PC{0,300}") {
            let out = limit_nesting(&s);
            proptest::prop_assert_eq!(out.as_ref(), s.as_str());
        }
    }
}
