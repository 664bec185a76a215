//! Renders a [`parallax_core::Report`] for people: plain/ANSI text, Markdown, and a
//! self-contained HTML page. Pure functions from the report to a `String`; the binary decides
//! where it goes. The HTML pieces (a story's claims side by side, timeline, actors, framing;
//! an article's marked-up text) are public in [`html`] so the web server renders the same
//! views, with its own [`html::Links`].

pub mod html;
mod markdown;
mod text;
mod view;

pub use html::render_html;
pub use markdown::render_markdown;
pub use text::render_text;

/// At most `max` characters, cut on a char boundary with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    parallax_core::text::truncate_chars(s, max)
}
