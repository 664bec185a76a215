//! Renders a [`parallax_core::Report`] for people: plain/ANSI text, Markdown, and a
//! self-contained HTML page. Pure functions from the report to a `String`; the binary decides
//! where it goes.

mod html;
mod inert;
mod markdown;
mod outlets;
mod text;
mod view;

pub use html::render_html;
pub use markdown::render_markdown;
pub use text::render_text;

/// At most `max` characters, cut on a char boundary with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    parallax_core::text::truncate_chars(s, max)
}
