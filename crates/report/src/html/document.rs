//! Per-article full text: sentences tinted and labelled by status, loaded terms marked, time
//! expressions followed by their resolved value, and the boilerplate that cleaning removed.

use super::index::Index;
use super::story::{doc_anchor, doc_title, push_byline, sentence_anchor};
use super::{format, labels, push_escaped, spans};
use parallax_core::{Document, Paragraph, Sentence, Status};
use std::fmt::Write;

pub(crate) fn push_documents(out: &mut String, idx: &Index) {
    let docs = &idx.report.documents;
    if docs.is_empty() {
        return;
    }
    out.push_str("<section class=\"articles\" id=\"articles\" aria-labelledby=\"articles-h\">\n");
    out.push_str("<h2 id=\"articles-h\">Full texts of the articles</h2>\n");
    out.push_str(
        "<p class=\"muted\">Each article as analysed, sentence by sentence. \
         Click a title to open it.</p>\n",
    );
    for d in docs {
        push_document(out, idx, d);
    }
    out.push_str("</section>\n");
}

fn push_document(out: &mut String, idx: &Index, d: &Document) {
    let _ = write!(
        out,
        "<details class=\"doc\" id=\"{}\"><summary><h3>",
        doc_anchor(&d.id)
    );
    push_escaped(out, &doc_title(d));
    out.push_str(if idx.has_outlet(&d.id) {
        "</h3><span class=\"doc-meta\"><span class=\"outlet\">"
    } else {
        "</h3><span class=\"doc-meta\"><span class=\"outlet by-id\">"
    });
    push_escaped(out, &idx.label(&d.id));
    out.push_str("</span> &middot; ");
    push_byline(out, d);
    out.push_str("</span></summary>\n<div class=\"doc-body\">\n");

    push_article_text(out, idx, d);
    out.push_str("<aside class=\"doc-side\">\n");
    push_article_side(out, idx, d);
    out.push_str("</aside>\n</div></details>\n");
}

/// The article's full text block (status counts and paragraphs).
pub(crate) fn push_article_text(out: &mut String, idx: &Index, d: &Document) {
    out.push_str("<div class=\"fulltext\"");
    push_lang(out, d);
    out.push_str(">\n");
    if let Some(note) = parallax_core::language::skipped_note(d.language.as_deref()) {
        out.push_str("<p class=\"dup-note\" role=\"note\">");
        push_escaped(out, &note.replace('`', ""));
        out.push_str("</p>\n");
    }
    push_status_counts(out, d);
    push_text(out, idx, d);
    out.push_str("</div>\n");
}

/// The article's metadata and removed boilerplate.
pub(crate) fn push_article_side(out: &mut String, idx: &Index, d: &Document) {
    push_meta(out, idx, d);
    push_boilerplate(out, d);
}

/// ` lang="xx"` when the article's language is known, so screen readers pronounce it right.
pub(crate) fn push_lang(out: &mut String, d: &Document) {
    if let Some(l) = d
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        out.push_str(" lang=\"");
        push_escaped(out, l);
        out.push('"');
    }
}

fn push_meta(out: &mut String, idx: &Index, d: &Document) {
    out.push_str("<dl class=\"meta\">");
    out.push_str("<dt>Source</dt><dd><code>");
    push_escaped(out, &d.source);
    out.push_str("</code></dd>");
    if let Some(url) = d.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        out.push_str("<dt>URL</dt><dd>");
        // Only web links become links; anything else (javascript:, data:) stays text.
        if let Some(url) = super::components::web_url(url) {
            out.push_str("<a rel=\"noopener noreferrer\" href=\"");
            push_escaped(out, url);
            out.push_str("\">");
            push_escaped(out, url);
            out.push_str("</a>");
        } else {
            push_escaped(out, url);
        }
        out.push_str("</dd>");
    }
    if let Some(l) = d.language.as_deref().filter(|l| !l.trim().is_empty()) {
        out.push_str("<dt>Language</dt><dd>");
        push_escaped(out, l);
        out.push_str("</dd>");
    }
    out.push_str("<dt>Document id</dt><dd><code>");
    push_escaped(out, &d.id);
    out.push_str("</code></dd>");
    if let Some(n) = idx.story_of(&d.id) {
        if let Some(s) = idx.report.stories.get(n) {
            out.push_str("<dt>Story</dt><dd><a href=\"");
            push_escaped(out, &idx.links.story(&s.id, n));
            out.push_str("\">");
            push_escaped(out, &super::story::story_title(s, n));
            out.push_str("</a></dd>");
        }
    }
    out.push_str("</dl>\n");
    if let Some(dup) = &d.duplicate_of {
        out.push_str("<p class=\"dup-note\"><strong>Near-copy</strong> of ");
        out.push_str("<a href=\"");
        push_escaped(out, &idx.links.article(&dup.original));
        out.push_str("\">");
        push_escaped(out, &idx.label(&dup.original));
        out.push_str("</a>");
        if let Some(p) = format::percent(dup.similarity) {
            let _ = write!(out, " ({p}% similar)");
        }
        if dup.changed_sentences.is_empty() {
            out.push_str("; no sentence changed.");
        } else {
            let _ = write!(
                out,
                "; {} changed:",
                format::plural(dup.changed_sentences.len(), "sentence", "sentences")
            );
            for sid in &dup.changed_sentences {
                out.push_str(" <a href=\"");
                push_escaped(out, &idx.links.sentence(&d.id, sid));
                out.push_str("\">");
                push_escaped(out, sid);
                out.push_str("</a>");
            }
        }
        out.push_str("</p>\n");
    }
}

/// One line of counts per status, or a note that statuses are not computed yet.
fn push_status_counts(out: &mut String, d: &Document) {
    let total = d.sentences().count();
    let counted: Vec<(Status, usize)> = labels::STATUSES
        .iter()
        .map(|s| (*s, d.sentences().filter(|x| x.status == Some(*s)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let _ = write!(
        out,
        "<p class=\"status-counts\">{}",
        format::plural(total, "sentence", "sentences")
    );
    if counted.is_empty() {
        if total > 0 {
            out.push_str(" &middot; <span class=\"muted\">statuses not computed yet</span>");
        }
    } else {
        for (s, n) in counted {
            let _ = write!(
                out,
                " <span class=\"badge {}\">{} {n}</span>",
                labels::status_class(Some(s)),
                labels::status_name(s)
            );
        }
    }
    out.push_str("</p>\n");
}

fn push_text(out: &mut String, idx: &Index, d: &Document) {
    let times = idx.times(&d.id);
    if d.paragraphs.is_empty() {
        // Not segmented: show the text itself, split at blank lines.
        for para in d.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            out.push_str("<p>");
            push_escaped(out, para.trim());
            out.push_str("</p>\n");
        }
        if d.text.trim().is_empty() {
            out.push_str("<p class=\"empty\">No text.</p>\n");
        }
        return;
    }
    for p in &d.paragraphs {
        push_paragraph(out, idx, d, p, times);
    }
}

/// A paragraph: the gaps between sentences come from the text itself, so nothing the
/// segmenter skipped disappears; sentences with unusable offsets fall back to their own text.
fn push_paragraph(
    out: &mut String,
    idx: &Index,
    d: &Document,
    p: &Paragraph,
    times: &[&parallax_core::TimeExpr],
) {
    out.push_str("<p>");
    let text = &d.text;
    let mut cursor = Some(p.start).filter(|&c| text.get(c..c).is_some());
    if p.sentences.is_empty() {
        push_escaped(out, text.get(p.start..p.end).unwrap_or(""));
        cursor = None;
    }
    for (i, s) in p.sentences.iter().enumerate() {
        let usable = spans::valid(text, s.start, s.end);
        match cursor {
            Some(c) if usable && c <= s.start => {
                push_escaped(out, text.get(c..s.start).unwrap_or(""));
            }
            _ if i > 0 => out.push(' '),
            _ => {}
        }
        push_sentence(out, idx, d, s, times);
        if usable {
            cursor = Some(cursor.map_or(s.end, |c| c.max(s.end)));
        }
    }
    if let Some(c) = cursor {
        if c < p.end {
            push_escaped(out, text.get(c..p.end).unwrap_or(""));
        }
    }
    out.push_str("</p>\n");
}

fn push_sentence(
    out: &mut String,
    idx: &Index,
    d: &Document,
    s: &Sentence,
    times: &[&parallax_core::TimeExpr],
) {
    let class = labels::status_class(s.status);
    let _ = write!(
        out,
        "<span class=\"s {class}\" id=\"{}\"",
        sentence_anchor(&s.id)
    );
    if s.status.is_some() {
        out.push_str(" title=\"");
        push_escaped(out, &labels::status_text(s.status, Some(s)));
        out.push('"');
    }
    out.push('>');
    // A word label for every status but the outlet's plain voice, so colour is not the signal.
    if let Some(st) = s.status.filter(|st| *st != Status::Reported) {
        out.push_str("<span class=\"sl\">");
        out.push_str(labels::status_name(st));
        out.push_str("</span>");
    }
    spans::push_sentence_text(out, d, s, times, &[]);
    // Back-links to the claims this sentence is part of.
    for (n, c) in idx.claims_of(&d.id, &s.id) {
        let story_id = idx.report.stories.get(*n).map_or("", |s| s.id.as_str());
        let _ = write!(
            out,
            " <a class=\"cref kind {}\" href=\"",
            labels::claim_kind_class(c.kind),
        );
        push_escaped(out, &idx.links.claim(story_id, *n, &c.id));
        out.push_str("\" title=\"");
        push_escaped(
            out,
            &format!("{}: {}", labels::claim_kind_name(c.kind), c.summary.trim()),
        );
        out.push_str("\">");
        out.push_str(match c.kind {
            parallax_core::ClaimKind::Agreed => "agreed",
            parallax_core::ClaimKind::OnlyIn => "only here",
            parallax_core::ClaimKind::Conflict => "conflict",
            parallax_core::ClaimKind::Related => "related",
        });
        out.push_str("</a>");
    }
    out.push_str("</span>");
}

fn push_boilerplate(out: &mut String, d: &Document) {
    let items: Vec<&str> = d
        .boilerplate
        .iter()
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
        .collect();
    out.push_str("<div class=\"boiler\"><h4>Removed as boilerplate</h4>");
    if items.is_empty() {
        out.push_str("<p class=\"muted\">Nothing was removed.</p></div>\n");
        return;
    }
    out.push_str("<ul>");
    for b in items {
        out.push_str("<li>");
        push_escaped(out, &format::truncate(b, 400));
        out.push_str("</li>");
    }
    out.push_str("</ul></div>\n");
}
