//! HTML main-text extraction and page metadata.
//!
//! The page is parsed once (html5ever via `dom_query`). Metadata and the boilerplate sample are
//! read from the untouched tree; then the tree goes to `dom_smoothie`, a port of Mozilla
//! Readability, which picks the main content. Its HTML is rendered to paragraphs here
//! ([`text`]). When Readability fails (no candidate, too many elements, a panic inside the
//! crate) or the tree is too deep for its recursive passes, a chrome-skipping fallback over the
//! whole body is used instead ([`boilerplate::main_text_without_chrome`]), which is iterative.
//! Before parsing, [`guard`] flattens adversarial nesting (html5ever is quadratic in depth).

mod boilerplate;
mod data;
mod guard;
mod meta;
mod prune;
mod text;

use dom_query::Document;
use parallax_core::Metadata;

/// What extraction found in a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Main text, one paragraph per block, paragraphs separated by a blank line.
    pub text: String,
    pub meta: Metadata,
    /// Text blocks removed as boilerplate (navigation, share bars, related links, comments).
    pub boilerplate: Vec<String>,
}

/// Trees deeper than this skip Readability: its passes recurse over the DOM and would overflow
/// the stack on adversarial nesting. Real article pages stay far below (dev maximum: ~40).
const MAX_READABILITY_DEPTH: usize = 300;
/// Pages with more elements than this skip Readability (bounded time on huge pages).
const MAX_READABILITY_ELEMENTS: usize = 200_000;

/// Extracts the main text and metadata of an HTML page. `url` is where the page came from, if
/// known (used to resolve the canonical URL and site name).
pub fn extract(html: &str, url: Option<&str>) -> Extracted {
    let html = guard::limit_nesting(html);
    let html = html.as_ref();
    let doc = Document::from(html);
    let mut meta = meta::read(&doc, url);
    let chrome = boilerplate::blocks(&doc.root());
    let deep = text::max_depth(&doc.root(), MAX_READABILITY_DEPTH) >= MAX_READABILITY_DEPTH;
    let article = if deep { None } else { readability(doc, url) };
    let mut pruned = Vec::new();
    let mut paras = match article {
        Some(a) if !a.paras.is_empty() => {
            fill_gaps(&mut meta, a.meta);
            pruned = a.pruned;
            a.paras
        }
        _ => {
            // The tree was consumed (or skipped); a re-parse is only paid on this rare path.
            let doc = Document::from(html);
            let root = doc.body().unwrap_or_else(|| doc.root());
            boilerplate::main_text_without_chrome(&root)
        }
    };
    pruned.extend(prune::prune_lines(&mut paras, meta.author.as_deref()));
    let text = paras.join("\n\n");
    let mut boilerplate: Vec<String> = chrome
        .into_iter()
        .filter(|b| !text.contains(b.trim_end_matches('…')))
        .collect();
    for p in pruned {
        if boilerplate.len() >= boilerplate::MAX_BLOCKS {
            break;
        }
        let p = boilerplate::shorten(&p);
        if !boilerplate.contains(&p) {
            boilerplate.push(p);
        }
    }
    Extracted {
        text,
        meta,
        boilerplate,
    }
}

/// All visible text of an HTML document or fragment as paragraphs separated by blank lines,
/// with nothing removed. The evaluation uses it to turn gold HTML into text with the very
/// renderer that produces [`Extracted::text`].
pub fn html_to_text(html: &str) -> String {
    let doc = Document::from(guard::limit_nesting(html).as_ref());
    text::paragraphs(&doc.root()).join("\n\n")
}

/// Readability's result, rendered, with the blocks the precision pass removed from it.
struct Article {
    paras: Vec<String>,
    meta: Metadata,
    pruned: Vec<String>,
}

fn readability(doc: Document, url: Option<&str>) -> Option<Article> {
    let cfg = dom_smoothie::Config {
        max_elements_to_parse: MAX_READABILITY_ELEMENTS,
        // Class names are what the precision pass (`prune`) reads; Readability would strip them.
        keep_classes: true,
        ..Default::default()
    };
    // Readability needs an absolute URL or none at all.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    // Defence in depth: a panic inside the third-party crate must not take the caller down;
    // the fallback extractor handles the page instead.
    let run = std::panic::AssertUnwindSafe(move || {
        let mut r = dom_smoothie::Readability::with_document(doc, url, Some(cfg)).ok()?;
        let a = r.parse().ok()?;
        let content = Document::fragment(a.content.clone());
        let pruned = prune::prune_blocks(&content.root());
        let paras = text::paragraphs(&content.root());
        let date = a.published_time.as_deref().and_then(meta::normalise_date);
        Some(Article {
            paras,
            meta: Metadata {
                title: Some(a.title.clone()).filter(|t| !t.trim().is_empty()),
                author: a.byline.as_deref().and_then(meta::clean_author),
                published: date,
                outlet: a.site_name.clone().filter(|s| !s.trim().is_empty()),
                language: None,
                url: None,
            },
            pruned,
        })
    });
    std::panic::catch_unwind(run).ok().flatten()
}

/// Fills fields our own metadata reader left empty with Readability's findings.
fn fill_gaps(meta: &mut Metadata, from: Metadata) {
    meta.title = meta.title.take().or(from.title);
    meta.author = meta.author.take().or(from.author);
    meta.published = meta.published.take().or(from.published);
    meta.outlet = meta.outlet.take().or(from.outlet);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en"><head>
        <title>Lighthouse keepers return | Bay Herald</title>
        <meta property="og:site_name" content="Bay Herald"></head><body>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
        <div class="share-tools"><a>Share on social media</a></div>
        <article><h1>Lighthouse keepers return</h1>
        <p class="byline">By Mara Oakes</p>
        <p>After decades of automation, the coastal authority has decided that a small crew will
        once again live at the old lighthouse on the northern cape, officials said on Monday.</p>
        <p>The keepers will monitor the lamp, record the weather every three hours and help with
        rescues when storms close the harbour, according to the published plan.</p>
        <h2>A long tradition</h2>
        <p>Local historians welcomed the move, saying the building had been empty for too long and
        that the village had always been proud of the people who kept the light burning.</p>
        <ul><li>Three keepers will rotate every month.</li><li>Visitors may tour on Sundays.</li></ul>
        </article>
        <div id="comments"><p>Great news for the village!</p></div>
        <footer>Copyright Bay Herald</footer></body></html>"#;

    #[test]
    fn extracts_article_and_drops_chrome() {
        let ex = extract(PAGE, None);
        let paras: Vec<&str> = ex.text.split("\n\n").collect();
        assert!(paras.contains(&"A long tradition"), "{paras:?}");
        assert!(paras.contains(&"Three keepers will rotate every month."));
        assert!(ex.text.contains("After decades of automation"));
        for chrome in ["Sport", "Share on social", "Great news", "Copyright"] {
            assert!(!ex.text.contains(chrome), "{chrome} leaked: {}", ex.text);
        }
        assert!(ex.boilerplate.iter().any(|b| b.contains("Great news")));
        assert_eq!(ex.meta.title.as_deref(), Some("Lighthouse keepers return"));
        assert_eq!(ex.meta.author.as_deref(), Some("Mara Oakes"));
        assert_eq!(ex.meta.outlet.as_deref(), Some("Bay Herald"));
        assert_eq!(ex.meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for page in [
            "",
            "<",
            "<html>",
            "plain words only",
            "<body><p>x</p>",
            "<<<>>>&&&;",
        ] {
            let _ = extract(page, Some("not a url"));
        }
        let no_body = extract("<p>Just one paragraph of text here.</p>", None);
        assert!(no_body.text.contains("Just one paragraph"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 100_000;
        let page = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        // Run on a small stack like a worker thread would have.
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || extract(&page, None))
            .expect("spawn");
        let ex = h.join().expect("no panic");
        assert_eq!(ex.text, "deep text");
    }

    #[test]
    fn huge_page_is_extracted() {
        let para = "<p>Harbour workers unloaded another long shipment of timber this morning.</p>";
        let page = format!(
            "<html><body><nav><a>Home</a></nav><div class='story'>{}</div></body></html>",
            para.repeat(20_000)
        );
        let ex = extract(&page, None);
        assert_eq!(ex.text.split("\n\n").count(), 20_000);
    }

    #[test]
    fn deep_inline_formatting_is_bounded() {
        let n = 50_000;
        let page = format!("<p>{}bold words{}</p>", "<b>".repeat(n), "</b>".repeat(n));
        assert_eq!(extract(&page, None).text, "bold words");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn never_panics(s in "\\PC{0,400}") {
            let _ = extract(&s, None);
        }

        #[test]
        fn never_panics_on_tag_soup(s in "(<(/?)(div|p|a|li|ul|table|td|tr|script|h1|article)( class=\"(x|share|content)\")?>|[a-z ]{0,12}|&amp;|<!--|-->){0,60}") {
            let ex = extract(&s, Some("https://example.org/x"));
            proptest::prop_assert!(!ex.text.contains("\n\n\n"));
        }
    }
}
