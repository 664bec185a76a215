//! Self-contained HTML report.

use parallax_core::Report;

/// One HTML file with inline CSS and no external resources.
pub fn render_html(report: &Report) -> String {
    let body = crate::markdown::render_markdown(report);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parallax report</title></head><body><pre>{}</pre></body></html>\n",
        escape(&body)
    )
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
