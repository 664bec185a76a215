//! Renders a [`Report`] for people: plain/ANSI text, Markdown, and a self-contained HTML page.
//! Pure functions from the report to a `String`; the binary decides where it goes.

mod html;
mod markdown;
mod text;

pub use html::render_html;
pub use markdown::render_markdown;
pub use text::render_text;
