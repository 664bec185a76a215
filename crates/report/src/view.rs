//! What the text and Markdown reports show, computed once from a [`Report`]: short labels for
//! documents, outlet names, times per sentence, and entity look-ups.

use parallax_core::{Document, Entity, Report, Sentence, Status, TimeExpr};
use std::collections::HashMap;

pub(crate) struct View<'a> {
    docs: HashMap<&'a str, (usize, &'a Document)>,
    outlets: crate::outlets::Outlets<'a>,
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
            outlets: crate::outlets::Outlets::new(report),
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

    /// The outlet name (one spelling per outlet, compared case-insensitively), or `unknown`.
    pub fn outlet(&self, id: &str) -> String {
        self.doc(id)
            .map_or(crate::outlets::UNKNOWN, |d| self.outlets.name(d))
            .to_string()
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

/// `"on Sunday" = Sun 19 Jan 2025 (anchored through the story)`: the value as a person
/// reads it (the TIMEX3 value stays in the JSON), with how it was anchored in words.
pub(crate) fn time_note(t: &TimeExpr) -> String {
    format!(
        "\"{}\" = {} ({})",
        t.text,
        time_value(t),
        anchor_words(t.anchor.kind)
    )
}

/// The readable value of a time expression; the TIMEX3 value only when it has no reading.
pub(crate) fn time_value(t: &TimeExpr) -> String {
    t.display
        .clone()
        .or_else(|| parallax_core::time::display(&t.value, t.ty))
        .unwrap_or_else(|| t.value.clone())
}

/// The readable date of a timeline event.
pub(crate) fn event_date(e: &parallax_core::TimelineEvent) -> String {
    e.display
        .clone()
        .or_else(|| parallax_core::time::display(&e.date, parallax_core::TimeType::Date))
        .unwrap_or_else(|| e.date.clone())
}

/// How a value was anchored, in plain words.
pub(crate) fn anchor_words(k: parallax_core::AnchorKind) -> &'static str {
    use parallax_core::AnchorKind::*;
    match k {
        Document => "from the article's date",
        Story => "anchored through the story",
        Explicit => "needs no anchor",
        PreviousExpression => "from an earlier date in the text",
        None => "cannot anchor: no date to resolve it against",
    }
}

/// The other stories of `story`'s thread, in order of creation, as (id, label) pairs; empty
/// when the story is alone in its thread (or the report has no threads).
pub(crate) fn thread_mates<'r>(
    report: &'r Report,
    story: &parallax_core::Story,
) -> Vec<(&'r str, &'r str)> {
    let Some(tid) = story.thread.as_deref() else {
        return Vec::new();
    };
    let Some(thread) = report.threads.iter().find(|t| t.id == tid) else {
        return Vec::new();
    };
    thread
        .stories
        .iter()
        .filter(|id| **id != story.id)
        .filter_map(|id| report.stories.iter().find(|s| s.id == *id))
        .map(|s| (s.id.as_str(), s.label.as_str()))
        .collect()
}

/// How many thread mates a report line names before "and N more".
pub(crate) const THREAD_MATES_SHOWN: usize = 5;

/// "Same subject (thread-2): story-4 “Label”, story-9 “Label” and 3 more", or `None` when the
/// story is alone in its thread.
pub(crate) fn thread_line(report: &Report, story: &parallax_core::Story) -> Option<String> {
    let mates = thread_mates(report, story);
    if mates.is_empty() {
        return None;
    }
    let shown: Vec<String> = mates
        .iter()
        .take(THREAD_MATES_SHOWN)
        .map(|(id, label)| format!("{id} “{}”", crate::view::short(label)))
        .collect();
    let more = mates.len().saturating_sub(THREAD_MATES_SHOWN);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!(
        "Same subject ({}): {}{tail}",
        story.thread.as_deref().unwrap_or(""),
        shown.join(", ")
    ))
}

/// A label cut to 80 characters for one-line mentions.
pub(crate) fn short(label: &str) -> String {
    parallax_core::text::truncate_chars(label, 80)
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
