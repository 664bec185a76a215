//! One story: the articles side by side, the aligned claims as rows across them, the timeline,
//! the main actors and the framing profile per outlet.

use super::index::Index;
use super::{format, labels, push_escaped, spans};
use parallax_core::{AnchorKind, Claim, ClaimKind, Document, Story, TimelineEvent};
use std::fmt::Write;

pub(crate) use super::links::{claim_anchor, doc_anchor, sentence_anchor};

/// The page anchor of the `n`th story (position-based, so always unique).
pub(crate) fn story_anchor(_s: &Story, n: usize) -> String {
    super::links::story_anchor(n)
}

/// The story's heading text: its label, or `Story n` when the label is empty.
pub(crate) fn story_title(s: &Story, n: usize) -> String {
    let l = s.label.trim();
    if l.is_empty() {
        format!("Story {}", n + 1)
    } else {
        format::truncate(l, 160)
    }
}

pub(crate) fn push_story(out: &mut String, idx: &Index, s: &Story, n: usize) {
    let anchor = story_anchor(s, n);
    let _ = write!(
        out,
        "<section class=\"story\" id=\"{anchor}\" aria-labelledby=\"{anchor}-h\">\n\
         <h2 id=\"{anchor}-h\"><span class=\"kicker\">Story {}</span> ",
        n + 1
    );
    push_escaped(out, &story_title(s, n));
    out.push_str("</h2>\n");
    push_story_body(out, idx, s, n);
    out.push_str("</section>\n");
}

/// Everything of a story below its heading: the claim counts, the claims side by side, the
/// timeline, the actors and the framing table (the web server's story page wraps this in its
/// own heading).
pub(crate) fn push_story_body(out: &mut String, idx: &Index, s: &Story, n: usize) {
    let anchor = story_anchor(s, n);
    let cols = columns(s);
    push_story_summary(out, s, &anchor);
    push_thread(out, idx, s);
    push_claims_table(out, idx, s, n, &cols, &anchor);
    out.push_str("<div class=\"story-grid\">\n");
    push_timeline(out, idx, s);
    push_actors(out, idx, s, &cols);
    out.push_str("</div>\n");
    push_framing(out, idx, &cols);
}

/// The story's documents, then any document a claim names that the story list lacks.
fn columns(s: &Story) -> Vec<&str> {
    let mut cols: Vec<&str> = Vec::new();
    let named = s.documents.iter().map(String::as_str).chain(
        s.claims
            .iter()
            .flat_map(|c| c.sentences.iter().map(|x| x.doc.as_str())),
    );
    for d in named {
        if !cols.contains(&d) {
            cols.push(d);
        }
    }
    cols
}

fn push_story_summary(out: &mut String, s: &Story, anchor: &str) {
    let count = |k: ClaimKind| s.claims.iter().filter(|c| c.kind == k).count();
    let (agreed, only, conflict) = (
        count(ClaimKind::Agreed),
        count(ClaimKind::OnlyIn),
        count(ClaimKind::Conflict),
    );
    let _ = write!(
        out,
        "<p class=\"story-meta\">{} &middot; {}",
        format::plural(s.documents.len(), "article", "articles"),
        format::plural(s.claims.len(), "aligned claim", "aligned claims"),
    );
    if !s.claims.is_empty() {
        out.push_str(": ");
        let mut parts = Vec::new();
        if agreed > 0 {
            parts.push(format!(
                "<a class=\"kind k-agreed\" href=\"#{anchor}-agreed\">{agreed} agreed</a>"
            ));
        }
        if only > 0 {
            parts.push(format!(
                "<a class=\"kind k-only\" href=\"#{anchor}-only\">{only} only in one outlet</a>"
            ));
        }
        if conflict > 0 {
            parts.push(format!(
                "<a class=\"kind k-conflict\" href=\"#{anchor}-conflict\">{}</a>",
                format::plural(conflict, "conflict", "conflicts")
            ));
        }
        out.push_str(&parts.join(" "));
    }
    out.push_str("</p>\n");
}

/// Links to the other stories of the story's thread (same subject, other events).
fn push_thread(out: &mut String, idx: &Index, s: &Story) {
    let mates = crate::view::thread_mates(idx.report, s);
    if mates.is_empty() {
        return;
    }
    out.push_str("<p class=\"story-thread\">Same subject (");
    push_escaped(out, s.thread.as_deref().unwrap_or(""));
    out.push_str("): ");
    for (k, (id, label)) in mates
        .iter()
        .take(crate::view::THREAD_MATES_SHOWN)
        .enumerate()
    {
        if k > 0 {
            out.push_str(", ");
        }
        // Story anchors are positional (`story-<n>`), as are story ids.
        let pos = idx
            .report
            .stories
            .iter()
            .position(|x| x.id == *id)
            .unwrap_or(0);
        let _ = write!(out, "<a href=\"#{}\">", story_anchor(s, pos));
        push_escaped(out, &crate::view::short(label));
        out.push_str("</a>");
    }
    let more = mates.len().saturating_sub(crate::view::THREAD_MATES_SHOWN);
    if more > 0 {
        let _ = write!(out, " and {more} more");
    }
    out.push_str("</p>\n");
}

/// The side-by-side table: one column per article, one row group per claim.
fn push_claims_table(
    out: &mut String,
    idx: &Index,
    s: &Story,
    n: usize,
    cols: &[&str],
    anchor: &str,
) {
    let ncols = cols.len().max(1);
    let many = cols.len() > 3;
    let _ = write!(
        out,
        "<div class=\"cols-wrap{}\" role=\"region\" aria-label=\"Claims side by side\" tabindex=\"0\">\n\
         <table class=\"cols\" style=\"--ncols:{ncols}\">\n<caption>Claims side by side, one column per article{}</caption>\n<thead><tr>",
        if many { " many" } else { "" },
        if many {
            format!(" ({ncols} articles: scroll sideways to see them all)")
        } else {
            String::new()
        }
    );
    if cols.is_empty() {
        out.push_str("<th scope=\"col\">No articles in this story</th>");
    }
    for d in cols {
        out.push_str("<th scope=\"col\" class=\"doc-head\">");
        push_doc_card(out, idx, d);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n");

    if s.claims.is_empty() {
        let _ = writeln!(
            out,
            "<tbody><tr><td colspan=\"{ncols}\" class=\"empty\">{}</td></tr></tbody>",
            if cols.len() < 2 {
                "No claims aligned yet: this story has a single article, so there is nothing to \
                 compare it with. Its full text is below."
            } else {
                "No claims aligned yet. The full texts are below; this table fills in when claim \
                 alignment has run."
            }
        );
        out.push_str("</table>\n</div>\n");
        return;
    }

    let agreed: Vec<&Claim> = s
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Agreed)
        .collect();
    push_group(
        out,
        idx,
        n,
        cols,
        &agreed,
        &format!("{anchor}-agreed"),
        ClaimKind::Agreed,
        "Agreed",
        "carried by more than one outlet",
    );

    // "Only in" claims: one compact row, each column listing what only it reports.
    let only: Vec<&Claim> = s
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::OnlyIn)
        .collect();
    push_only_row(out, idx, n, cols, &only, &format!("{anchor}-only"));

    let conflicts: Vec<&Claim> = s
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Conflict)
        .collect();
    push_group(
        out,
        idx,
        n,
        cols,
        &conflicts,
        &format!("{anchor}-conflict"),
        ClaimKind::Conflict,
        "Conflicts",
        "outlets disagree on a detail",
    );
    let related: Vec<&Claim> = s
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Related)
        .collect();
    push_group(
        out,
        idx,
        n,
        cols,
        &related,
        &format!("{anchor}-related"),
        ClaimKind::Related,
        "Related",
        "same topic, not the same fact: not counted as agreement",
    );
    out.push_str("</table>\n</div>\n");
}

/// The document an "only in" claim belongs to.
fn only_owner(c: &Claim) -> &str {
    c.documents
        .first()
        .map(String::as_str)
        .or_else(|| c.sentences.first().map(|s| s.doc.as_str()))
        .unwrap_or("")
}

/// The "only in one outlet" claims as one row: each article's column lists the claims only
/// it reports, one short cell each, so a story with many of them stays one screen tall
/// instead of one mostly empty row per claim. Claims of a document without a column (it
/// should not happen) get a column-wide cell of their own at the end.
fn push_only_row(
    out: &mut String,
    idx: &Index,
    n: usize,
    cols: &[&str],
    only: &[&Claim],
    id: &str,
) {
    if only.is_empty() {
        return;
    }
    let ncols = cols.len().max(1);
    let class = labels::claim_kind_class(ClaimKind::OnlyIn);
    let _ = writeln!(
        out,
        "<tbody class=\"group {class}\"><tr><th colspan=\"{ncols}\" scope=\"colgroup\" id=\"{id}\">\
         <span class=\"kind {class}\">Only in one outlet</span> <span class=\"muted\">{} &middot; \
         each column lists what no other outlet reports</span></th></tr></tbody>",
        format::plural(only.len(), "claim", "claims")
    );
    let _ = write!(
        out,
        "<tbody class=\"claim {class} only-row\"><tr class=\"claim-cells\">"
    );
    for d in cols {
        let mine: Vec<&Claim> = only
            .iter()
            .copied()
            .filter(|c| only_owner(c) == *d)
            .collect();
        if mine.is_empty() {
            out.push_str(
                "<td class=\"omit\"><span class=\"omit-text\">Nothing only here</span></td>",
            );
            continue;
        }
        let _ = write!(
            out,
            "<td><p class=\"only-count\">{} only here</p>",
            format::plural(mine.len(), "claim", "claims")
        );
        for c in mine {
            push_only_item(out, idx, n, c);
        }
        out.push_str("</td>");
    }
    if cols.is_empty() {
        out.push_str("<td class=\"omit\">No article columns</td>");
    }
    out.push_str("</tr></tbody>\n");
    let stray: Vec<&Claim> = only
        .iter()
        .copied()
        .filter(|c| !cols.contains(&only_owner(c)))
        .collect();
    if !stray.is_empty() {
        let _ = write!(
            out,
            "<tbody class=\"claim {class} only-row\"><tr><td colspan=\"{ncols}\">"
        );
        for c in stray {
            push_only_item(out, idx, n, c);
        }
        out.push_str("</td></tr></tbody>\n");
    }
}

/// One "only in" claim inside its column: status badges, the sentence, a link to it.
fn push_only_item(out: &mut String, idx: &Index, n: usize, c: &Claim) {
    for cs in c.sentences.iter().take(1) {
        let sentence = idx.sentence(&cs.doc, &cs.sentence);
        let status = sentence.and_then(|s| s.status).or(cs.status);
        let _ = write!(
            out,
            "<div class=\"cell-s s only-item {}\" id=\"{}\"><p class=\"badges\">",
            labels::status_class(status),
            claim_anchor(n, &c.id)
        );
        labels::push_status_badges(out, status, sentence);
        out.push_str("</p><p class=\"quote\"");
        if let Some(doc) = idx.doc(&cs.doc) {
            super::document::push_lang(out, doc);
        }
        out.push('>');
        match (idx.doc(&cs.doc), sentence) {
            (Some(doc), Some(s)) => spans::push_sentence_text(out, doc, s, idx.times(&doc.id), &[]),
            _ => push_escaped(out, &cs.text),
        }
        out.push_str("</p>");
        if sentence.is_some() {
            out.push_str("<a class=\"goto\" href=\"");
            push_escaped(out, &idx.links.sentence(&cs.doc, &cs.sentence));
            out.push_str("\">in context &rarr;</a>");
        }
        out.push_str("</div>");
    }
    if c.sentences.is_empty() {
        let _ = write!(
            out,
            "<div class=\"cell-s only-item\" id=\"{}\"><p class=\"quote\">",
            claim_anchor(n, &c.id)
        );
        push_escaped(out, c.summary.trim());
        out.push_str("</p></div>");
    }
}

#[allow(clippy::too_many_arguments)]
fn push_group(
    out: &mut String,
    idx: &Index,
    n: usize,
    cols: &[&str],
    claims: &[&Claim],
    id: &str,
    kind: ClaimKind,
    title: &str,
    help: &str,
) {
    if claims.is_empty() {
        return;
    }
    let ncols = cols.len().max(1);
    let class = labels::claim_kind_class(kind);
    let _ = write!(
        out,
        "<tbody class=\"group {class}\"><tr><th colspan=\"{ncols}\" scope=\"colgroup\" id=\"{id}\">\
         <span class=\"kind {class}\">"
    );
    push_escaped(out, title);
    let _ = writeln!(
        out,
        "</span> <span class=\"muted\">{} &middot; {help}</span></th></tr></tbody>",
        format::plural(claims.len(), "claim", "claims")
    );
    for c in claims {
        push_claim(out, idx, n, cols, c);
    }
}

fn push_claim(out: &mut String, idx: &Index, n: usize, cols: &[&str], c: &Claim) {
    let ncols = cols.len().max(1);
    let class = labels::claim_kind_class(c.kind);
    let _ = write!(
        out,
        "<tbody class=\"claim {class}\" id=\"{}\"><tr class=\"claim-sum\"><th colspan=\"{ncols}\" scope=\"rowgroup\">\
         <span class=\"kind {class}\">{}</span> ",
        claim_anchor(n, &c.id),
        labels::claim_kind_name(c.kind)
    );
    out.push_str("<span class=\"summary\">");
    push_escaped(out, c.summary.trim());
    out.push_str("</span>");
    if c.kind != ClaimKind::OnlyIn && c.score.is_finite() && c.score > 0.0 {
        let _ = write!(
            out,
            " <span class=\"score\" title=\"How sure the alignment is that these sentences state the same fact (0 to 1)\">"
        );
        match crate::confidence_label(c) {
            Some(l) => push_escaped(out, &l),
            None => {
                let _ = write!(out, "match {:.2}", c.score.clamp(0.0, 1.0));
            }
        }
        out.push_str("</span>");
    }
    if let Some(conf) = &c.conflict {
        out.push_str("<div class=\"conflict-box\"><span class=\"what\">What differs: ");
        out.push_str(labels::conflict_kind_name(conf.kind));
        out.push_str("</span> ");
        let paired = conf.values.len() == c.documents.len() && !c.documents.is_empty();
        out.push_str("<ul class=\"values\">");
        for (i, v) in conf.values.iter().enumerate() {
            out.push_str("<li>");
            if paired {
                if let Some(d) = c.documents.get(i) {
                    out.push_str("<span class=\"who\">");
                    push_escaped(out, &idx.label(d));
                    out.push_str(":</span> ");
                }
            }
            out.push_str("<strong>");
            push_escaped(out, v);
            out.push_str("</strong>");
            let human = format::human_date(v);
            if conf.kind == parallax_core::ConflictKind::Date && human != v.trim() {
                out.push_str(" <span class=\"muted\">(");
                push_escaped(out, &human);
                out.push_str(")</span>");
            }
            out.push_str("</li>");
        }
        if conf.values.is_empty() {
            out.push_str("<li class=\"muted\">values not recorded</li>");
        }
        out.push_str("</ul></div>");
    }
    out.push_str("</th></tr>\n<tr class=\"claim-cells\">");
    let differs: &[String] = c.conflict.as_ref().map_or(&[], |x| x.values.as_slice());
    for d in cols {
        let mine: Vec<_> = c.sentences.iter().filter(|x| x.doc == *d).collect();
        if mine.is_empty() {
            out.push_str(
                "<td class=\"omit\"><span class=\"omit-text\">Not in this article</span></td>",
            );
            continue;
        }
        out.push_str("<td>");
        for cs in mine {
            let sentence = idx.sentence(&cs.doc, &cs.sentence);
            let status = sentence.and_then(|s| s.status).or(cs.status);
            out.push_str("<div class=\"cell-s s ");
            out.push_str(labels::status_class(status));
            out.push_str("\"><p class=\"badges\">");
            labels::push_status_badges(out, status, sentence);
            out.push_str("</p><p class=\"quote\"");
            if let Some(doc) = idx.doc(&cs.doc) {
                super::document::push_lang(out, doc);
            }
            out.push('>');
            match (idx.doc(&cs.doc), sentence) {
                (Some(doc), Some(s)) => {
                    spans::push_sentence_text(out, doc, s, idx.times(&doc.id), differs)
                }
                _ => push_escaped(out, &cs.text),
            }
            out.push_str("</p>");
            if sentence.is_some() {
                out.push_str("<a class=\"goto\" href=\"");
                push_escaped(out, &idx.links.sentence(&cs.doc, &cs.sentence));
                out.push_str("\">in context &rarr;</a>");
            }
            out.push_str("</div>");
        }
        out.push_str("</td>");
    }
    if cols.is_empty() {
        out.push_str("<td class=\"omit\">No article columns</td>");
    }
    out.push_str("</tr></tbody>\n");
}

/// The head of an article column: outlet, title, author, date, words.
fn push_doc_card(out: &mut String, idx: &Index, doc_id: &str) {
    let Some(d) = idx.doc(doc_id) else {
        out.push_str("<span class=\"outlet\">");
        push_escaped(out, doc_id);
        out.push_str("</span><span class=\"muted\">article not in this report</span>");
        return;
    };
    out.push_str(if idx.has_outlet(doc_id) {
        "<span class=\"outlet\">"
    } else {
        "<span class=\"outlet by-id\" title=\"The article does not name its outlet\">"
    });
    push_escaped(out, &idx.label(doc_id));
    out.push_str("</span>");
    out.push_str("<a class=\"title\" href=\"");
    push_escaped(out, &idx.links.article(&d.id));
    out.push_str("\">");
    push_escaped(out, &doc_title(d));
    out.push_str("</a><span class=\"byline\">");
    push_byline(out, d);
    out.push_str("</span>");
    if let Some(dup) = &d.duplicate_of {
        out.push_str("<span class=\"dup\">Near-copy of ");
        push_escaped(out, &idx.label(&dup.original));
        out.push_str("</span>");
    }
}

/// The article's title, or its first words, or its id.
pub(crate) fn doc_title(d: &Document) -> String {
    if let Some(t) = d.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return format::truncate(t, 140);
    }
    match d.sentences().next() {
        Some(s) if !s.text.trim().is_empty() => format::truncate(&s.text, 90),
        _ => d.id.clone(),
    }
}

/// `by Jane Doe · 9 Mar 2025 · 420 words`, escaped.
pub(crate) fn push_byline(out: &mut String, d: &Document) {
    let mut parts: Vec<String> = Vec::new();
    match d.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => parts.push(format!("by {}", super::escape(a))),
        None => parts.push("author unknown".to_string()),
    }
    match d
        .published
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => parts.push(format!(
            "<time datetime=\"{}\">{}</time>",
            super::escape(p),
            super::escape(&format::human_date(p))
        )),
        None => parts.push("date unknown".to_string()),
    }
    parts.push(format::plural(d.word_count, "word", "words"));
    out.push_str(&parts.join(" &middot; "));
}

fn push_timeline(out: &mut String, idx: &Index, s: &Story) {
    out.push_str("<section class=\"timeline\"><h3>Timeline</h3>\n");
    if s.timeline.is_empty() {
        out.push_str("<p class=\"empty\">No dated events yet.</p></section>\n");
        return;
    }
    out.push_str(
        "<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Event</th>\
         <th scope=\"col\">Reported by</th><th scope=\"col\">Anchored</th></tr></thead><tbody>\n",
    );
    for ev in &s.timeline {
        out.push_str("<tr><td class=\"date\">");
        let human = crate::view::event_date(ev);
        let _ = write!(out, "<time datetime=\"{}\">", super::escape(ev.date.trim()));
        push_escaped(out, &human);
        out.push_str("</time>");
        if human != ev.date.trim() {
            out.push_str("<span class=\"raw\">");
            push_escaped(out, ev.date.trim());
            out.push_str("</span>");
        }
        out.push_str("</td><td>");
        push_escaped(out, ev.text.trim());
        out.push_str("</td><td class=\"chips\">");
        for d in &ev.documents {
            let first = ev
                .sentences
                .iter()
                .find(|sid| idx.sentence(d, sid).is_some());
            let href = match first {
                Some(sid) => idx.links.sentence(d, sid),
                None => idx.links.article(d),
            };
            out.push_str("<a class=\"chip\" href=\"");
            push_escaped(out, &href);
            out.push_str("\">");
            push_escaped(out, &idx.label(d));
            out.push_str("</a> ");
        }
        if ev.documents.is_empty() {
            out.push_str("<span class=\"muted\">unknown</span>");
        }
        out.push_str("</td><td>");
        push_anchor_badge(out, idx, ev);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
}

/// The anchor kind as a badge; its note (from the matching time expression) as a tooltip and as
/// text that shows when printed.
fn push_anchor_badge(out: &mut String, idx: &Index, ev: &TimelineEvent) {
    let note = anchor_note(idx, ev);
    let kind = ev.anchor;
    let mut title = labels::anchor_help(kind).to_string();
    if let Some(n) = &note {
        title.push_str(". ");
        title.push_str(n);
    }
    let _ = write!(
        out,
        "<span class=\"anchor a-{}\" title=\"",
        anchor_class(kind)
    );
    push_escaped(out, &title);
    out.push_str("\">");
    out.push_str(labels::anchor_name(kind));
    if note.is_some() {
        out.push_str(" <span class=\"i\" aria-hidden=\"true\">i</span>");
    }
    out.push_str("</span>");
    if let Some(n) = note {
        out.push_str("<span class=\"anote\">");
        push_escaped(out, &n);
        out.push_str("</span>");
    }
}

fn anchor_class(k: AnchorKind) -> &'static str {
    match k {
        AnchorKind::Document => "document",
        AnchorKind::Story => "story",
        AnchorKind::Explicit => "explicit",
        AnchorKind::PreviousExpression => "previous",
        AnchorKind::None => "none",
    }
}

/// The note of the time expression behind a timeline event: one in the event's sentences with
/// the event's value, else any with a note in those sentences.
fn anchor_note(idx: &Index, ev: &TimelineEvent) -> Option<String> {
    let mut fallback = None;
    for d in &ev.documents {
        for t in idx.times(d) {
            if !ev.sentences.contains(&t.sentence) {
                continue;
            }
            let Some(note) = t
                .anchor
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            if t.value.trim() == ev.date.trim() {
                return Some(note.to_string());
            }
            fallback.get_or_insert_with(|| note.to_string());
        }
    }
    fallback
}

const MAX_ACTORS: usize = 12;

fn push_actors(out: &mut String, idx: &Index, s: &Story, cols: &[&str]) {
    out.push_str("<section class=\"actors\"><h3>Main actors</h3>\n");
    let actors: Vec<_> = s.entities.iter().filter_map(|id| idx.entity(id)).collect();
    if actors.is_empty() {
        out.push_str("<p class=\"empty\">No entities resolved yet.</p></section>\n");
        return;
    }
    out.push_str("<ul class=\"actor-list\">\n");
    for (i, e) in actors.iter().enumerate() {
        if i == MAX_ACTORS {
            let _ = write!(
                out,
                "</ul>\n<details class=\"more\"><summary>{} more</summary><ul class=\"actor-list\">\n",
                actors.len() - MAX_ACTORS
            );
        }
        out.push_str("<li><details class=\"actor\"><summary><span class=\"name\">");
        match idx.links.entity(&e.id) {
            Some(href) => {
                out.push_str("<a class=\"entity-link\" href=\"");
                push_escaped(out, &href);
                out.push_str("\">");
                push_escaped(out, e.name.trim());
                out.push_str("</a>");
            }
            None => push_escaped(out, e.name.trim()),
        }
        out.push_str("</span> <span class=\"etype\">");
        out.push_str(labels::entity_type_name(e.ty));
        out.push_str("</span>");
        let roles: Vec<&str> = e
            .roles
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        if !roles.is_empty() {
            out.push_str(" <span class=\"roles\">");
            push_escaped(out, &roles.join(", "));
            out.push_str("</span>");
        }
        let other_forms: Vec<&str> = e
            .aliases
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty() && *a != e.name.trim())
            .collect();
        if !other_forms.is_empty() {
            out.push_str(" <span class=\"aka\">also ");
            push_escaped(out, &other_forms.join(", "));
            out.push_str("</span>");
        }
        // Mentions per outlet column, in column order.
        let per_doc: Vec<(String, usize)> = cols
            .iter()
            .map(|d| {
                (
                    idx.label(d),
                    e.mentions.iter().filter(|m| m.doc == *d).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        if !per_doc.is_empty() {
            out.push_str("<span class=\"mentions\">Mentions: ");
            let parts: Vec<String> = per_doc
                .iter()
                .map(|(l, n)| format!("{} {n}", super::escape(l)))
                .collect();
            out.push_str(&parts.join(" &middot; "));
            out.push_str("</span>");
        }
        out.push_str("</summary>\n<div class=\"actor-body\">");
        let aliases: Vec<&String> = e
            .aliases
            .iter()
            .filter(|a| a.trim() != e.name.trim())
            .collect();
        out.push_str("<p><span class=\"lbl\">Also written as:</span> ");
        if aliases.is_empty() {
            out.push_str("<span class=\"muted\">no other form</span>");
        }
        for a in aliases {
            out.push_str("<span class=\"alias\">");
            push_escaped(out, a);
            out.push_str("</span> ");
        }
        out.push_str("</p>");
        if e.evidence.is_empty() {
            out.push_str("<p class=\"muted\">No merge evidence: one form only, or merged without a recorded rule.</p>");
        } else {
            out.push_str(
                "<p class=\"lbl\">Why these forms were merged:</p><ul class=\"evidence\">",
            );
            for ev in &e.evidence {
                out.push_str("<li>");
                let forms: Vec<String> = ev
                    .forms
                    .iter()
                    .map(|f| format!("&ldquo;{}&rdquo;", super::escape(f)))
                    .collect();
                out.push_str(&forms.join(" &harr; "));
                if let Some(why) = labels::rule_text(&ev.rule) {
                    out.push_str(": <span class=\"why\">");
                    out.push_str(why);
                    out.push_str("</span>");
                }
                out.push_str(" <span class=\"rule\">");
                push_escaped(out, &ev.rule.replace('_', " "));
                out.push_str("</span>");
                for sid in &ev.sentences {
                    match idx.sentence_by_id(sid) {
                        Some((d, sent)) => {
                            out.push_str("<blockquote><a href=\"");
                            push_escaped(out, &idx.links.sentence(&d.id, sid));
                            out.push_str("\">");
                            push_escaped(out, &idx.label(&d.id));
                            out.push_str("</a>: ");
                            push_escaped(out, &format::truncate(&sent.text, 220));
                            out.push_str("</blockquote>");
                        }
                        None => {
                            out.push_str(" <span class=\"muted\">(");
                            push_escaped(out, sid);
                            out.push_str(")</span>");
                        }
                    }
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</div></details></li>\n");
    }
    out.push_str("</ul>\n");
    if actors.len() > MAX_ACTORS {
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

const TOP_TERMS: usize = 6;

fn push_framing(out: &mut String, idx: &Index, cols: &[&str]) {
    out.push_str("<section class=\"framing\"><h3>Framing by outlet</h3>\n");
    let rows: Vec<(&str, &Document)> = cols
        .iter()
        .filter_map(|d| idx.doc(d).map(|doc| (*d, doc)))
        .collect();
    if rows.iter().all(|(_, d)| d.framing.is_none()) {
        out.push_str("<p class=\"empty\">No framing profile yet (loaded terms, hedges, sources).</p></section>\n");
        return;
    }
    let max_loaded = rows
        .iter()
        .filter_map(|(_, d)| d.framing.as_ref())
        .map(|f| f.loaded_per_1000_words)
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::max);
    out.push_str(
        "<div class=\"table-scroll\"><table><thead><tr><th scope=\"col\">Outlet</th>\
         <th scope=\"col\">Loaded words <span class=\"unit\">per 1000</span></th>\
         <th scope=\"col\">Hedges <span class=\"unit\">per 1000</span></th>\
         <th scope=\"col\">Sentence status mix</th>\
         <th scope=\"col\">Top loaded terms <span class=\"unit\">&rarr; neutral alternative</span></th>\
         <th scope=\"col\">Who gets a voice</th></tr></thead><tbody>\n",
    );
    for (id, d) in rows {
        out.push_str("<tr><th scope=\"row\">");
        push_escaped(out, &idx.label(id));
        out.push_str("</th>");
        let Some(f) = &d.framing else {
            out.push_str("<td colspan=\"5\" class=\"empty\">Not profiled yet.</td></tr>\n");
            continue;
        };
        // Loaded rate with a bar scaled to the highest outlet of the story.
        let width = if max_loaded > 0.0 && f.loaded_per_1000_words.is_finite() {
            (f.loaded_per_1000_words / max_loaded * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        let _ = write!(
            out,
            "<td class=\"num\"><span class=\"rate\">{}</span><span class=\"meter\" aria-hidden=\"true\"><span style=\"width:{width:.0}%\"></span></span>\
             <span class=\"muted small\">{} of {}</span></td>",
            format::rate(f.loaded_per_1000_words),
            f.loaded_count,
            format::plural(f.words, "word", "words")
        );
        let _ = write!(
            out,
            "<td class=\"num\"><span class=\"rate\">{}</span></td>",
            format::rate(f.hedges_per_1000_words)
        );
        out.push_str("<td>");
        push_status_mix(out, f);
        out.push_str("</td><td>");
        if f.loaded_terms.is_empty() {
            out.push_str("<span class=\"muted\">none found</span>");
        } else {
            out.push_str("<ul class=\"terms\">");
            for t in f.loaded_terms.iter().take(TOP_TERMS) {
                out.push_str("<li><mark class=\"loaded\">");
                push_escaped(out, &t.term);
                let _ = write!(out, "</mark> &times;{} <span class=\"cat\">", t.count);
                push_escaped(out, &t.category);
                out.push_str("</span>");
                if let Some(a) = t.alternative.as_deref().filter(|a| !a.trim().is_empty()) {
                    out.push_str(" &rarr; <span class=\"alt\">");
                    push_escaped(out, a.trim());
                    out.push_str("</span>");
                }
                out.push_str("</li>");
            }
            if f.loaded_terms.len() > TOP_TERMS {
                let _ = write!(
                    out,
                    "<li class=\"muted\">+ {} more</li>",
                    f.loaded_terms.len() - TOP_TERMS
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</td><td>");
        push_voices(out, "Cited", &f.sources);
        push_voices(out, "Quoted", &f.quotes_by_speaker);
        if f.sources.is_empty() && f.quotes_by_speaker.is_empty() {
            out.push_str("<span class=\"muted\">no named sources</span>");
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// A stacked bar of status shares, with the shares as text (the bar is decoration).
fn push_status_mix(out: &mut String, f: &parallax_core::Framing) {
    let mut shares: Vec<(&str, &str, u32)> = Vec::new();
    for s in labels::STATUSES {
        if let Some(p) = f
            .status_shares
            .get(s.as_str())
            .and_then(|x| format::percent(*x))
        {
            if p > 0 {
                shares.push((labels::status_class(Some(s)), labels::status_name(s), p));
            }
        }
    }
    if shares.is_empty() {
        out.push_str("<span class=\"muted\">no statuses</span>");
        return;
    }
    out.push_str("<span class=\"mix\" aria-hidden=\"true\">");
    for (class, _, p) in &shares {
        let _ = write!(out, "<span class=\"{class}\" style=\"width:{p}%\"></span>");
    }
    out.push_str("</span><span class=\"mix-text\">");
    let parts: Vec<String> = shares
        .iter()
        .map(|(class, name, p)| {
            format!("<span class=\"share\"><span class=\"mk {class}\"></span>{name} {p}%</span>")
        })
        .collect();
    out.push_str(&parts.join(" "));
    out.push_str("</span>");
}

fn push_voices(out: &mut String, what: &str, names: &[parallax_core::NameCount]) {
    if names.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<p class=\"voices\"><span class=\"lbl\">{what}:</span> "
    );
    let parts: Vec<String> = names
        .iter()
        .take(8)
        .map(|n| {
            format!(
                "{} <span class=\"muted\">({})</span>",
                super::escape(&n.name),
                n.count
            )
        })
        .collect();
    out.push_str(&parts.join(", "));
    if names.len() > 8 {
        let _ = write!(
            out,
            ", <span class=\"muted\">+{} more</span>",
            names.len() - 8
        );
    }
    out.push_str("</p>");
}
