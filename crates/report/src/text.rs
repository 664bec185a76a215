//! Terminal report: stories first (actors, timeline, claims, framing), then each article's
//! sentences tagged by status with resolved dates. ANSI colour only when asked.

use crate::view::{status_detail, time_note, View};
use parallax_core::{ClaimKind, Report, Status};
use std::fmt::Write;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn status(&self, st: Option<Status>, s: &str) -> String {
        match st {
            Some(Status::Attributed) => self.wrap("36", s),
            Some(Status::Speculation) => self.wrap("33", s),
            Some(Status::Opinion) => self.wrap("35", s),
            Some(Status::Quote) => self.wrap("32", s),
            _ => s.to_string(),
        }
    }
    fn kind(&self, k: ClaimKind, s: &str) -> String {
        match k {
            ClaimKind::Agreed => self.wrap("32", s),
            ClaimKind::OnlyIn => self.wrap("34", s),
            ClaimKind::Conflict => self.wrap("31;1", s),
            ClaimKind::Related => self.wrap("2", s),
        }
    }
}

pub fn render_text(report: &Report, color: bool) -> String {
    let report = &crate::inert::for_terminal(report);
    let p = Paint(color);
    let v = View::new(report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}\n",
        p.bold("PARALLAX"),
        crate::view::counts_line(report)
    );
    if let Some(note) = crate::alignment_note(report) {
        let _ = writeln!(out, "{}\n", p.dim(&format!("Note: {note}.")));
    }
    for (n, story) in report.stories.iter().enumerate() {
        let _ = writeln!(
            out,
            "{} {}  {}",
            p.bold(&format!("STORY {}", n + 1)),
            story.label,
            p.dim(&story.id)
        );
        if let Some(line) = crate::view::thread_line(report, story) {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(out, "  Articles");
        for id in &story.documents {
            if let Some(d) = v.doc(id) {
                let _ = writeln!(
                    out,
                    "    {} {} · {} · {} · {} · {} words{}",
                    v.tag(id),
                    id,
                    match v.outlet(id).as_str() {
                        crate::outlets::UNKNOWN => "outlet unknown".to_string(),
                        o => o.to_string(),
                    },
                    d.author.as_deref().unwrap_or("author unknown"),
                    d.published.as_deref().unwrap_or("undated"),
                    d.word_count,
                    d.duplicate_of
                        .as_ref()
                        .map(|l| format!(
                            " · copy of {} ({:.0}% alike)",
                            v.tag(&l.original),
                            l.similarity * 100.0
                        ))
                        .unwrap_or_default()
                );
                if let Some(note) = parallax_core::language::skipped_note(d.language.as_deref()) {
                    let _ = writeln!(out, "         note: {note}");
                }
            }
        }
        let actors: Vec<_> = story
            .entities
            .iter()
            .filter_map(|id| v.entity(id))
            .take(12)
            .collect();
        if !actors.is_empty() {
            let _ = writeln!(out, "  Main actors");
            for e in actors {
                let others: Vec<&str> = e
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|a| *a != e.name)
                    .collect();
                let rules: Vec<&str> = e.evidence.iter().map(|x| x.rule.as_str()).collect();
                let _ = writeln!(
                    out,
                    "    {} ({:?}, {} mentions){}{}",
                    e.name,
                    e.ty,
                    e.mentions.len(),
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(" also: {}", others.join(", "))
                    },
                    if rules.is_empty() {
                        String::new()
                    } else {
                        p.dim(&format!(" [merged by {}]", rules.join(", ")))
                    }
                );
            }
        }
        if !story.timeline.is_empty() {
            let _ = writeln!(out, "  Timeline");
            for t in &story.timeline {
                let tags: Vec<String> = t.documents.iter().map(|d| v.tag(d)).collect();
                let _ = writeln!(
                    out,
                    "    {:<16} {} {} {}",
                    crate::view::event_date(t),
                    crate::clip(&t.text, 90),
                    tags.join(""),
                    p.dim(&format!("({})", crate::view::anchor_words(t.anchor)))
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
                    let _ = writeln!(out, "  Conflicts: none found");
                }
                continue;
            }
            let _ = writeln!(out, "  {} ({})", title, claims.len());
            for c in claims {
                let tags: Vec<String> = c.documents.iter().map(|d| v.tag(d)).collect();
                let sure = crate::confidence_label(c)
                    .map(|l| format!(" {}", p.dim(&format!("[{l}]"))))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    {} {}{}",
                    p.kind(kind, &tags.join("")),
                    crate::clip(&c.summary, 140),
                    sure
                );
                if let Some(conf) = &c.conflict {
                    let _ = writeln!(
                        out,
                        "      {} {}: {}",
                        p.kind(kind, "differs:"),
                        crate::conflict_kind_word(conf.kind),
                        conf.values
                            .iter()
                            .map(|x| p.kind(kind, x))
                            .collect::<Vec<_>>()
                            .join(" vs ")
                    );
                }
                if kind != ClaimKind::OnlyIn {
                    for s in &c.sentences {
                        let st = s.status.map(|x| x.as_str()).unwrap_or("-");
                        let text = crate::clip(&s.text, 160);
                        let text = match crate::conflict_value_in(c, &s.sentence) {
                            Some(val) if text.contains(val) => {
                                text.replacen(val, &p.kind(ClaimKind::Conflict, val), 1)
                            }
                            _ => text,
                        };
                        let _ = writeln!(out, "      {} {} {}", v.tag(&s.doc), p.dim(st), text);
                    }
                }
            }
        }
        framing_table(&mut out, &v, &story.documents);
        let _ = writeln!(out);
    }
    for d in &report.documents {
        let _ = writeln!(
            out,
            "{} {} {}",
            p.bold("ARTICLE"),
            v.tag(&d.id),
            d.title.as_deref().unwrap_or(&d.id)
        );
        let _ = writeln!(out, "  source: {}", d.source);
        if let Some(l) = crate::view::limits_line(d) {
            let _ = writeln!(out, "  {}", p.dim(&format!("limits: {l}")));
        }
        for s in d.sentences() {
            let tag = status_detail(s)
                .map(|t| format!("[{t}] "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {}{}",
                p.dim(&s.id),
                p.status(s.status, &tag),
                s.text
            );
            for t in v.times_in(&s.id) {
                let _ = writeln!(out, "      {} {}", p.dim("time:"), time_note(t));
            }
        }
        if !d.boilerplate.is_empty() {
            let _ = writeln!(out, "  {}", p.dim("removed as boilerplate:"));
            for b in &d.boilerplate {
                let _ = writeln!(out, "    {}", p.dim(&crate::clip(b, 120)));
            }
        }
        let _ = writeln!(out);
    }
    out
}

fn framing_table(out: &mut String, v: &View, docs: &[String]) {
    let rows: Vec<_> = docs
        .iter()
        .filter_map(|id| v.doc(id).map(|d| (id, d)))
        .filter(|(_, d)| d.framing.is_some())
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Framing");
    let _ = writeln!(
        out,
        "    {:<6} {:<22} {:>9} {:>9}  loaded terms (count)",
        "", "outlet", "loaded/1k", "hedges/1k"
    );
    for (id, d) in rows {
        let Some(f) = &d.framing else { continue };
        let terms: Vec<String> = f
            .loaded_terms
            .iter()
            .take(8)
            .map(|t| format!("{} ({})", t.term, t.count))
            .collect();
        let _ = writeln!(
            out,
            "    {:<6} {:<22} {:>9.1} {:>9.1}  {}",
            v.tag(id),
            crate::clip(&v.outlet(id), 22),
            f.loaded_per_1000_words,
            f.hedges_per_1000_words,
            if terms.is_empty() {
                "none".to_string()
            } else {
                terms.join(", ")
            }
        );
    }
}
