//! What the text and Markdown reports show, computed once from a [`Report`]: short labels for
//! documents, outlet names, times per sentence, and entity look-ups.

use parallax_core::{Document, Entity, Report, Sentence, Status, TimeExpr};
use std::collections::HashMap;

pub(crate) struct View<'a> {
    docs: HashMap<&'a str, (usize, &'a Document)>,
    entities: HashMap<&'a str, &'a Entity>,
    times: HashMap<&'a str, Vec<&'a TimeExpr>>,
}

impl<'a> View<'a> {
    pub fn new(report: &'a Report) -> Self {
        let docs = report
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), (i, d)))
            .collect();
        let entities = report.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut times: HashMap<&str, Vec<&TimeExpr>> = HashMap::new();
        for t in &report.times {
            times.entry(t.sentence.as_str()).or_default().push(t);
        }
        View {
            docs,
            entities,
            times,
        }
    }

    pub fn doc(&self, id: &str) -> Option<&'a Document> {
        self.docs.get(id).map(|x| x.1)
    }

    /// A short, stable tag for a document: `[A]`, `[B]`, …, `[AA]` in input order.
    pub fn tag(&self, id: &str) -> String {
        match self.docs.get(id) {
            Some((i, _)) => format!("[{}]", letters(*i)),
            None => format!("[{id}]"),
        }
    }

    /// The outlet name, or the document id when the outlet is unknown.
    pub fn outlet(&self, id: &str) -> String {
        self.doc(id)
            .and_then(|d| d.outlet.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.entities.get(id).copied()
    }

    pub fn times_in(&self, sentence: &str) -> &[&'a TimeExpr] {
        self.times.get(sentence).map_or(&[], Vec::as_slice)
    }
}

fn letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A one-word status tag with its detail: `attributed: the court`, `speculation: likely`.
pub(crate) fn status_detail(s: &Sentence) -> Option<String> {
    let status = s.status?;
    let detail = match status {
        Status::Attributed => s.source.as_ref().map(who),
        Status::Quote => s.speaker.as_ref().map(who),
        Status::Speculation => (!s.markers.is_empty()).then(|| s.markers.join(", ")),
        _ => None,
    };
    Some(match detail {
        Some(d) => format!("{}: {d}", status.as_str()),
        None => status.as_str().to_string(),
    })
}

/// A source or speaker with the side the article gives them, unless the text already says it:
/// `Bell (Democrat)`, `Jo Lee, a spokeswoman for the union`.
pub(crate) fn who(a: &parallax_core::Attribution) -> String {
    let text = a.text.trim();
    match a.affiliation.as_deref().map(str::trim) {
        Some(side) if !side.is_empty() && !text.contains(side) => format!("{text} ({side})"),
        _ => text.to_string(),
    }
}

/// "2025-01-19 (story: …)" for a time expression.
pub(crate) fn time_note(t: &TimeExpr) -> String {
    let kind = serde_kind(t);
    format!("\"{}\" = {} ({kind})", t.text, t.value)
}

fn serde_kind(t: &TimeExpr) -> &'static str {
    use parallax_core::AnchorKind::*;
    match t.anchor.kind {
        Document => "from the article's date",
        Story => "anchored through the story",
        Explicit => "explicit",
        PreviousExpression => "from an earlier date in the text",
        None => "cannot anchor: no date to resolve it against",
    }
}

/// Where the analysis of a document was bounded, in words; `None` for ordinary articles.
pub(crate) fn limits_line(d: &parallax_core::Document) -> Option<String> {
    let l = &d.limits;
    let mut parts = Vec::new();
    if !l.split_sentences.is_empty() {
        parts.push(format!(
            "{} sentence pieces cut from over-long sentences for analysis",
            l.split_sentences.len()
        ));
    }
    if !l.not_computed.is_empty() {
        parts.push(format!(
            "over its time budget, not computed: {}",
            l.not_computed.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// "2 articles · 1 story · 25 entities · 6 time expressions", with singulars where due.
pub(crate) fn counts_line(report: &Report) -> String {
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    [
        n(report.documents.len(), "article", "articles"),
        n(report.stories.len(), "story", "stories"),
        n(report.entities.len(), "entity", "entities"),
        n(report.times.len(), "time expression", "time expressions"),
    ]
    .join(" · ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn letters_count_like_columns() {
        assert_eq!(super::letters(0), "A");
        assert_eq!(super::letters(25), "Z");
        assert_eq!(super::letters(26), "AA");
        assert_eq!(super::letters(27), "AB");
    }
}
