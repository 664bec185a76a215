//! Markdown report: the same content as the text report, as headings, lists and tables that
//! render on any forge and diff well.

use crate::view::{status_detail, time_note, View};
use parallax_core::{ClaimKind, Report};
use std::fmt::Write;

/// Escapes the characters that would break a Markdown table cell or start markup.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render_markdown(report: &Report) -> String {
    let report = &crate::inert::for_markdown(report);
    let v = View::new(report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Parallax report\n\n{}\n",
        crate::view::counts_line(report)
    );
    if let Some(note) = crate::alignment_note(report) {
        let _ = writeln!(out, "_Note: {}._\n", cell(note));
    }
    for (n, story) in report.stories.iter().enumerate() {
        let _ = writeln!(
            out,
            "## Story {}: {}\n\nStory id `{}`.\n",
            n + 1,
            cell(&story.label),
            story.id
        );
        if let Some(line) = crate::view::thread_line(report, story) {
            let _ = writeln!(out, "{}\n", cell(&line));
        }
        let _ = writeln!(
            out,
            "| | article | outlet | author | published | words |\n|---|---|---|---|---|---|"
        );
        for id in &story.documents {
            if let Some(d) = v.doc(id) {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} | {} | {} |",
                    v.tag(id),
                    id,
                    cell(&v.outlet(&d.id)),
                    cell(d.author.as_deref().unwrap_or("unknown")),
                    d.published.as_deref().unwrap_or("undated"),
                    d.word_count
                );
            }
        }
        let actors: Vec<_> = story
            .entities
            .iter()
            .filter_map(|id| v.entity(id))
            .take(15)
            .collect();
        if !actors.is_empty() {
            let _ = writeln!(out, "\n### Main actors\n");
            for e in actors {
                let others: Vec<&str> = e
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|a| *a != e.name)
                    .collect();
                let _ = write!(
                    out,
                    "- **{}** ({:?}, {} mentions)",
                    cell(&e.name),
                    e.ty,
                    e.mentions.len()
                );
                if !others.is_empty() {
                    let _ = write!(out, ": also {}", others.join(", "));
                }
                for ev in &e.evidence {
                    let _ = write!(
                        out,
                        "; _{}_: {} ({})",
                        ev.rule,
                        ev.forms.join(" = "),
                        ev.sentences.join(", ")
                    );
                }
                let _ = writeln!(out);
            }
        }
        if !story.timeline.is_empty() {
            let _ = writeln!(
                out,
                "\n### Timeline\n\n| date | event | reported by | anchored |\n|---|---|---|---|"
            );
            for t in &story.timeline {
                let tags: Vec<String> = t.documents.iter().map(|d| v.tag(d)).collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    cell(&crate::view::event_date(t)),
                    cell(&crate::clip(&t.text, 160)),
                    tags.join(" "),
                    crate::view::anchor_words(t.anchor)
                );
            }
        }
        for (kind, title) in [
            (ClaimKind::Agreed, "Agreed by several outlets"),
            (ClaimKind::Conflict, "Conflicts"),
            (ClaimKind::OnlyIn, "Only in one outlet"),
            (
                ClaimKind::Related,
                "Related (same topic, not the same fact)",
            ),
        ] {
            let claims: Vec<_> = story.claims.iter().filter(|c| c.kind == kind).collect();
            if claims.is_empty() {
                if kind == ClaimKind::Conflict && story.documents.len() > 1 {
                    let _ = writeln!(out, "\n### Conflicts\n\nNone found.");
                }
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", claims.len());
            for c in claims {
                let tags: Vec<String> = c.documents.iter().map(|d| v.tag(d)).collect();
                let sure = crate::confidence_label(c)
                    .map(|l| format!(" _({l})_"))
                    .unwrap_or_default();
                let _ = writeln!(out, "- {} {}{}", tags.join(""), cell(&c.summary), sure);
                if let Some(conf) = &c.conflict {
                    let _ = writeln!(
                        out,
                        "  - differs ({}): {}",
                        crate::conflict_kind_word(conf.kind),
                        conf.values
                            .iter()
                            .map(|x| format!("**{}**", cell(x)))
                            .collect::<Vec<_>>()
                            .join(" vs ")
                    );
                }
                if kind != ClaimKind::OnlyIn {
                    for s in &c.sentences {
                        let st = s.status.map(|x| x.as_str()).unwrap_or("-");
                        let text = cell(&s.text);
                        let text = match crate::conflict_value_in(c, &s.sentence).map(cell) {
                            Some(val) if !val.is_empty() && text.contains(&val) => {
                                text.replacen(&val, &format!("**{val}**"), 1)
                            }
                            _ => text,
                        };
                        let _ = writeln!(out, "  - {} _{}_: {}", v.tag(&s.doc), st, text);
                    }
                }
            }
        }
        let framed: Vec<_> = story
            .documents
            .iter()
            .filter_map(|id| v.doc(id))
            .filter(|d| d.framing.is_some())
            .collect();
        if !framed.is_empty() {
            let _ = writeln!(out, "\n### Framing\n\n| | outlet | loaded / 1000 words | hedges / 1000 words | loaded terms |\n|---|---|---|---|---|");
            for d in framed {
                let Some(f) = &d.framing else { continue };
                let terms: Vec<String> = f
                    .loaded_terms
                    .iter()
                    .map(|t| match &t.alternative {
                        Some(a) => format!("{} ×{} (→ {a})", t.term, t.count),
                        None => format!("{} ×{}", t.term, t.count),
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.1} | {:.1} | {} |",
                    v.tag(&d.id),
                    cell(&v.outlet(&d.id)),
                    f.loaded_per_1000_words,
                    f.hedges_per_1000_words,
                    cell(&terms.join(", "))
                );
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Articles\n");
    for d in &report.documents {
        let _ = writeln!(
            out,
            "### {} {}\n",
            v.tag(&d.id),
            cell(d.title.as_deref().unwrap_or(&d.id))
        );
        let _ = writeln!(
            out,
            "source `{}` · outlet {} · author {} · published {}\n",
            d.source,
            v.outlet(&d.id),
            d.author.as_deref().unwrap_or("unknown"),
            d.published.as_deref().unwrap_or("unknown")
        );
        if let Some(note) = parallax_core::language::skipped_note(d.language.as_deref()) {
            let _ = writeln!(out, "> Note: {}\n", cell(&note));
        }
        if let Some(l) = crate::view::limits_line(d) {
            let _ = writeln!(out, "_Limits: {l}._\n");
        }
        for s in d.sentences() {
            let tag = status_detail(s)
                .map(|t| format!("**[{t}]** "))
                .unwrap_or_default();
            let _ = writeln!(out, "- `{}` {}{}", s.id, tag, s.text);
            for t in v.times_in(&s.id) {
                let _ = writeln!(out, "  - time: {}", time_note(t));
            }
        }
        if !d.boilerplate.is_empty() {
            let _ = writeln!(out, "\nRemoved as boilerplate:\n");
            for b in &d.boilerplate {
                let _ = writeln!(out, "> {}", cell(b));
            }
        }
        let _ = writeln!(out);
    }
    out
}
