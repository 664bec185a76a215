//! HTML main-text extraction and page metadata.

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

/// Extracts the main text and metadata of an HTML page. `url` is where the page came from, if
/// known (used to resolve the canonical URL and site name).
pub fn extract(html: &str, _url: Option<&str>) -> Extracted {
    // Minimal placeholder until the real extractor lands: drop tags.
    let mut out = String::new();
    let mut in_tag = false;
    let body = html.find("</head>").map_or(html, |i| &html[i..]);
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    Extracted {
        text: out,
        ..Default::default()
    }
}
