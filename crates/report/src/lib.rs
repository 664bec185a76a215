//! Renders a [`parallax_core::Report`] for people: plain/ANSI text, Markdown, and a
//! self-contained HTML page. Pure functions from the report to a `String`; the binary decides
//! where it goes. The HTML pieces (a story's claims side by side, timeline, actors, framing;
//! an article's marked-up text) are public in [`html`] so the web server renders the same
//! views, with its own [`html::Links`].

pub mod html;
mod inert;
mod markdown;
mod outlets;
mod text;
mod view;

pub use html::render_html;
pub use markdown::render_markdown;
pub use text::render_text;

/// How sure the alignment is, as a reader-facing label with the score behind it
/// ("high confidence, 0.93"); `None` for claims of one outlet.
pub(crate) fn confidence_label(c: &parallax_core::Claim) -> Option<String> {
    use parallax_core::Confidence;
    let word = match c.confidence? {
        Confidence::High => "high confidence",
        Confidence::Medium => "medium confidence: check the sentences",
        Confidence::Low => "same topic only",
    };
    Some(format!("{word}, {:.2}", c.score))
}

/// A conflict kind as a reader says it.
pub(crate) fn conflict_kind_word(k: parallax_core::ConflictKind) -> &'static str {
    use parallax_core::ConflictKind;
    match k {
        ConflictKind::Date => "date",
        ConflictKind::Number => "number",
        ConflictKind::Place => "place",
        ConflictKind::Actor => "actor",
        ConflictKind::Negation => "negation",
    }
}

/// The conflicting value a claim's sentence holds, to highlight it in that sentence.
pub(crate) fn conflict_value_in<'a>(
    c: &'a parallax_core::Claim,
    sentence: &str,
) -> Option<&'a str> {
    let k = c.conflict.as_ref()?;
    let i = k.sentences.iter().position(|s| s == sentence)?;
    k.values.get(i).map(String::as_str)
}

/// The report's one line about how claims were aligned, when embeddings were off.
pub(crate) fn alignment_note(r: &parallax_core::Report) -> Option<&str> {
    (!r.alignment.embeddings)
        .then_some(r.alignment.note.as_deref())
        .flatten()
}

/// At most `max` characters, cut on a char boundary with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    parallax_core::text::truncate_chars(s, max)
}
