//! YAML-style front matter at the top of a Markdown or text file (`---`, `key: value` lines,
//! `---`), as static-site generators, note apps and scrapers write it: its title, author,
//! date, URL, outlet and language become the article's metadata, and the block is not read as
//! body text.
//!
//! Only flat `key: value` lines are read (quoted or not, an inline `[a, b]` list gives its
//! first item); anything else inside the block is skipped. No YAML library is needed for that,
//! and nothing in the block can make the reader do more than one pass over it.

use parallax_core::model::Metadata;

/// Longest block looked at, in bytes: front matter is short; a file whose first line is `---`
/// and that has no closing line within this span is read as it is.
const MAX_BLOCK: usize = 16 * 1024;

/// The metadata of `text`'s front matter and the body after it; `None` when the text does not
/// open with a front-matter block.
pub fn split(text: &str) -> Option<(Metadata, &str)> {
    let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let mut meta = Metadata::default();
    let mut at = first_end + 1;
    while at < rest.len() && at <= MAX_BLOCK {
        let end = rest[at..].find('\n').map_or(rest.len(), |n| at + n);
        let line = rest[at..end].trim_end_matches('\r');
        let next = (end + 1).min(rest.len());
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some((meta, &rest[next..]));
        }
        if let Some((k, v)) = line.split_once(':') {
            if !k.starts_with([' ', '\t', '-', '#']) {
                take(&mut meta, &k.trim().to_ascii_lowercase(), value(v));
            }
        }
        at = next;
        if end == rest.len() {
            break;
        }
    }
    None
}

/// A value without its quotes, the first item of an inline list, `None` when empty.
fn value(v: &str) -> Option<String> {
    let mut v = v.trim();
    if let Some(inner) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        v = inner.split(',').next().unwrap_or("").trim();
    }
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            v = &v[1..v.len() - 1];
        }
    }
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn take(meta: &mut Metadata, key: &str, v: Option<String>) {
    let Some(v) = v else { return };
    let slot = match key {
        "title" | "headline" => &mut meta.title,
        "author" | "authors" | "byline" | "by" => &mut meta.author,
        "date" | "published" | "published_at" | "publish_date" | "pubdate" | "datepublished" => {
            &mut meta.published
        }
        "url" | "canonical_url" | "canonical" | "link" | "source_url" | "permalink" => {
            &mut meta.url
        }
        "outlet" | "publisher" | "site" | "site_name" | "publication" => &mut meta.outlet,
        "source" if v.starts_with("http://") || v.starts_with("https://") => &mut meta.url,
        "source" => &mut meta.outlet,
        "language" | "lang" => &mut meta.language,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_fields_and_returns_the_body() {
        let text = "---\ntitle: \"Council votes: budget passes\"\nauthor: [Ann Lee, Bo Ng]\ndate: 2025-01-21\nsource: https://example.org/a\npublisher: The Example\ntags:\n  - local\n---\nThe council voted on Tuesday.\n";
        let (m, body) = split(text).expect("front matter");
        assert_eq!(m.title.as_deref(), Some("Council votes: budget passes"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.published.as_deref(), Some("2025-01-21"));
        assert_eq!(m.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(m.outlet.as_deref(), Some("The Example"));
        assert_eq!(body, "The council voted on Tuesday.\n");
    }

    #[test]
    fn no_block_or_no_closing_line_is_not_front_matter() {
        assert!(split("The council voted.\n---\ntitle: x\n---\n").is_none());
        assert!(split("---\ntitle: x\nThe council voted on Tuesday and never closed.\n").is_none());
        assert!(split("---").is_none());
        assert!(split("").is_none());
    }

    #[test]
    fn crlf_and_a_byte_order_mark() {
        let (m, body) = split("\u{feff}---\r\ntitle: T\r\n---\r\nBody.\r\n").expect("block");
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(body, "Body.\r\n");
    }

    proptest! {
        #[test]
        fn never_panics_and_the_body_is_a_suffix(s in "(---\n)?\\PC{0,200}(\n---\n)?\\PC{0,50}") {
            if let Some((_, body)) = split(&s) {
                prop_assert!(s.ends_with(body));
            }
        }
    }
}
