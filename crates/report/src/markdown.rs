//! Markdown report.

use parallax_core::Report;
use std::fmt::Write;

pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Parallax report\n");
    for d in &report.documents {
        let _ = writeln!(out, "## {}\n", d.title.as_deref().unwrap_or(&d.id));
        let _ = writeln!(out, "- source: `{}`", d.source);
        let _ = writeln!(
            out,
            "- author: {}",
            d.author.as_deref().unwrap_or("unknown")
        );
        let _ = writeln!(
            out,
            "- published: {}",
            d.published.as_deref().unwrap_or("unknown")
        );
        let _ = writeln!(
            out,
            "- outlet: {}\n",
            d.outlet.as_deref().unwrap_or("unknown")
        );
        for s in d.sentences() {
            let _ = writeln!(out, "{} {}", s.id, s.text);
        }
        let _ = writeln!(out);
    }
    out
}
