//! Overlaying loaded terms and time expressions on a sentence's text.
//!
//! Spans are byte offsets into `Document::text` produced by other stages; this module trusts
//! none of them. A span is used only when it lies inside the sentence and `text.get(start..end)`
//! succeeds (in range, on char boundaries); overlapping spans are resolved greedily (earliest
//! start, then longest) so the output never nests or crosses tags. Anything dropped here is
//! still listed elsewhere (framing table, timeline).

use super::{labels, push_escaped};
use parallax_core::{Document, LoadedSpan, Sentence, TimeExpr};

pub(crate) enum Mark<'a> {
    Loaded(&'a LoadedSpan),
    /// A time expression; `true` when its value is one of the values in conflict.
    Time(&'a TimeExpr, bool),
    /// A conflicting value found verbatim in the sentence.
    Differs,
}

pub(crate) struct Overlay<'a> {
    pub start: usize,
    pub end: usize,
    pub mark: Mark<'a>,
}

/// Keeps the overlays that are valid slices of `text` inside `lo..hi`, without overlaps.
pub(crate) fn pick<'a>(
    text: &str,
    lo: usize,
    hi: usize,
    mut cands: Vec<Overlay<'a>>,
) -> Vec<Overlay<'a>> {
    cands
        .retain(|o| o.start < o.end && lo <= o.start && o.end <= hi && valid(text, o.start, o.end));
    // Ties: longer first, then loaded before time (stable sort keeps input order otherwise).
    cands.sort_by_key(|o| {
        (
            o.start,
            std::cmp::Reverse(o.end),
            match o.mark {
                Mark::Differs => 0,
                Mark::Loaded(_) => 1,
                Mark::Time(..) => 2,
            },
        )
    });
    let mut kept: Vec<Overlay<'a>> = Vec::with_capacity(cands.len());
    let mut cursor = lo;
    for o in cands {
        if o.start >= cursor {
            cursor = o.end;
            kept.push(o);
        }
    }
    kept
}

/// True when `start..end` is a non-empty slice of `text` on char boundaries.
pub(crate) fn valid(text: &str, start: usize, end: usize) -> bool {
    start < end && text.get(start..end).is_some()
}

/// Writes `text[lo..hi]` escaped, with `overlays` (from [`pick`]) turned into marks.
pub(crate) fn push_range(out: &mut String, text: &str, lo: usize, hi: usize, overlays: &[Overlay]) {
    let mut cursor = lo;
    for o in overlays {
        push_escaped(out, text.get(cursor..o.start).unwrap_or(""));
        let inner = text.get(o.start..o.end).unwrap_or("");
        match o.mark {
            Mark::Loaded(l) => push_loaded(out, l, inner),
            Mark::Time(t, differs) => push_time(out, t, inner, differs),
            Mark::Differs => {
                out.push_str("<strong class=\"cv\" title=\"This detail differs between outlets\">");
                push_escaped(out, inner);
                out.push_str("</strong>");
            }
        }
        cursor = o.end;
    }
    push_escaped(out, text.get(cursor..hi).unwrap_or(""));
}

fn push_loaded(out: &mut String, l: &LoadedSpan, inner: &str) {
    let cat = l.category.trim();
    out.push_str("<mark class=\"loaded\" data-cat=\"");
    push_escaped(out, cat);
    out.push('"');
    if let Some(alt) = l.alternative.as_deref().filter(|a| !a.trim().is_empty()) {
        out.push_str(" data-alt=\"");
        push_escaped(out, alt.trim());
        out.push('"');
    }
    out.push_str(" title=\"");
    push_escaped(out, &loaded_title(l));
    out.push_str("\">");
    push_escaped(out, inner);
    out.push_str("</mark>");
}

/// `Loaded term (emotive); neutral alternative: “said”`.
pub(crate) fn loaded_title(l: &LoadedSpan) -> String {
    let cat = l.category.trim();
    let mut t = if cat.is_empty() {
        "Loaded term".to_string()
    } else {
        format!("Loaded term ({cat})")
    };
    match l.alternative.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => {
            t.push_str("; neutral alternative: “");
            t.push_str(a);
            t.push('”');
        }
        _ => t.push_str("; no neutral alternative listed"),
    }
    t
}

fn push_time(out: &mut String, t: &TimeExpr, inner: &str, differs: bool) {
    let title = time_title(t);
    out.push_str("<span class=\"timex\" title=\"");
    push_escaped(out, &title);
    out.push_str("\">");
    push_escaped(out, inner);
    out.push_str("</span>");
    if !t.value.trim().is_empty() {
        out.push_str(if differs {
            "<span class=\"tval cv\" title=\""
        } else {
            "<span class=\"tval\" title=\""
        });
        push_escaped(out, &title);
        out.push_str("\"> [");
        push_escaped(out, crate::view::time_value(t).trim());
        out.push_str("]</span>");
    }
}

/// `Sun 9 Mar 2025 (TIMEX3 2025-03-09); anchor: document (computed from ...). Note ...`.
pub(crate) fn time_title(t: &TimeExpr) -> String {
    let human = crate::view::time_value(t);
    let mut s = human.trim().to_string();
    if human.trim() != t.value.trim() {
        s.push_str(&format!(" (TIMEX3 {})", t.value.trim()));
    }
    s.push_str(&format!(
        "; anchor: {} ({})",
        labels::anchor_name(t.anchor.kind),
        labels::anchor_help(t.anchor.kind)
    ));
    if let Some(from) = t.anchor.from.as_deref().filter(|f| !f.trim().is_empty()) {
        s.push_str(&format!(", from {}", from.trim()));
    }
    if let Some(note) = t.anchor.note.as_deref().filter(|n| !n.trim().is_empty()) {
        s.push_str(". ");
        s.push_str(note.trim());
    }
    s
}

/// Writes a sentence's inner HTML: the document slice with its marks when the offsets are
/// sound, otherwise the sentence's own `text`, escaped, without marks. `differs` lists values
/// in conflict (claim cells of a conflict): each is emphasised where it occurs verbatim
/// (ASCII case-insensitive), and time expressions resolving to one are flagged.
pub(crate) fn push_sentence_text(
    out: &mut String,
    doc: &Document,
    s: &Sentence,
    times: &[&TimeExpr],
    differs: &[String],
) {
    if !valid(&doc.text, s.start, s.end) {
        push_escaped(out, &s.text);
        return;
    }
    let mut cands: Vec<Overlay> = s
        .loaded
        .iter()
        .map(|l| Overlay {
            start: l.start,
            end: l.end,
            mark: Mark::Loaded(l),
        })
        .collect();
    cands.extend(
        times
            .iter()
            .filter(|t| t.doc == doc.id && s.start <= t.start && t.end <= s.end)
            .map(|t| Overlay {
                start: t.start,
                end: t.end,
                mark: Mark::Time(t, differs.iter().any(|v| v.trim() == t.value.trim())),
            }),
    );
    cands.extend(find_values(&doc.text, s.start, s.end, differs));
    let overlays = pick(&doc.text, s.start, s.end, cands);
    push_range(out, &doc.text, s.start, s.end, &overlays);
}

/// Every verbatim occurrence of each value inside `lo..hi`. ASCII lower-casing keeps byte
/// offsets, so positions found in the lowered copy are valid in the original.
fn find_values<'a>(text: &str, lo: usize, hi: usize, values: &[String]) -> Vec<Overlay<'a>> {
    let Some(hay) = text.get(lo..hi).map(str::to_ascii_lowercase) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for v in values {
        let needle = v.trim().to_ascii_lowercase();
        if needle.is_empty() {
            continue;
        }
        for (i, _) in hay.match_indices(&needle) {
            found.push(Overlay {
                start: lo + i,
                end: lo + i + needle.len(),
                mark: Mark::Differs,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::{Anchor, AnchorKind, TimeType};
    use proptest::prelude::*;

    fn loaded(start: usize, end: usize) -> LoadedSpan {
        LoadedSpan {
            start,
            end,
            text: String::new(),
            category: "emotive".into(),
            alternative: Some("calm".into()),
            term: None,
            in_quote: false,
        }
    }

    fn time(start: usize, end: usize) -> TimeExpr {
        TimeExpr {
            doc: "d".into(),
            sentence: "d:0".into(),
            start,
            end,
            text: String::new(),
            ty: TimeType::Date,
            value: "2024-05-06".into(),
            anchor: Anchor {
                kind: AnchorKind::Document,
                from: Some("2024-05-07".into()),
                sentences: vec![],
                note: Some("the day before publication".into()),
            },
            display: None,
        }
    }

    fn doc(text: &str) -> Document {
        Document {
            id: "d".into(),
            source: "d.txt".into(),
            title: None,
            author: None,
            published: None,
            outlet: None,
            language: None,
            url: None,
            boilerplate: vec![],
            text: text.into(),
            word_count: 0,
            paragraphs: vec![],
            framing: None,
            duplicate_of: None,
            limits: Default::default(),
        }
    }

    #[test]
    fn marks_loaded_and_time() {
        let text = "A furious crowd gathered on Monday.";
        let d = doc(text);
        let mut s = Sentence::new("d:0".into(), text.into(), 0, text.len());
        s.loaded.push(loaded(2, 9));
        let at = text.find("on Monday").unwrap_or(0);
        let t = time(at, at + "on Monday".len());
        let mut out = String::new();
        push_sentence_text(&mut out, &d, &s, &[&t], &[]);
        assert!(out.contains("<mark class=\"loaded\" data-cat=\"emotive\" data-alt=\"calm\""));
        assert!(out.contains(">furious</mark>"));
        assert!(out.contains("on Monday</span><span class=\"tval\""));
        // The reader sees the date in words; the TIMEX3 value only in the tooltip.
        assert!(out.contains(" [Mon 6 May 2024]</span>."));
        assert!(!out.contains("[2024-05-06]"));
        assert!(out.contains("(TIMEX3 2024-05-06)"));
        assert!(out.contains("the day before publication"));
    }

    #[test]
    fn conflicting_values_are_emphasised() {
        let text = "Police said 60 Households left on Monday.";
        let d = doc(text);
        let s = Sentence::new("d:0".into(), text.into(), 0, text.len());
        let at = text.find("on Monday").unwrap_or(0);
        let mut t = time(at, at + 9);
        t.value = "2025-03-10".into();
        let mut out = String::new();
        let differs = ["60 households".to_string(), "2025-03-10".to_string()];
        push_sentence_text(&mut out, &d, &s, &[&t], &differs);
        assert!(out.contains("<strong class=\"cv\" title=\"This detail differs between outlets\">60 Households</strong>"));
        assert!(out.contains("<span class=\"tval cv\""));
    }

    #[test]
    fn bad_spans_are_dropped_not_fatal() {
        let text = "Ça va très bien.";
        let d = doc(text);
        let mut s = Sentence::new("d:0".into(), text.into(), 0, text.len());
        // Off a char boundary (inside 'Ç'), reversed, out of range, overlapping.
        s.loaded = vec![
            loaded(1, 3),
            loaded(9, 4),
            loaded(3, 500),
            loaded(4, 6),
            loaded(5, 12),
        ];
        let mut out = String::new();
        push_sentence_text(&mut out, &d, &s, &[], &[]);
        assert_eq!(out.matches("<mark").count(), 1, "{out}");
        assert!(out.starts_with("Ça "));
    }

    #[test]
    fn falls_back_to_sentence_text_when_offsets_are_wrong() {
        let d = doc("short");
        let s = Sentence::new("d:0".into(), "A <b> sentence".into(), 2, 90);
        let mut out = String::new();
        push_sentence_text(&mut out, &d, &s, &[], &[]);
        assert_eq!(out, "A &lt;b&gt; sentence");
    }

    proptest! {
        #[test]
        fn arbitrary_spans_never_panic_or_leak_markup(
            text in "[a-zé<>&\" ]{0,40}",
            spans in proptest::collection::vec((0usize..50, 0usize..50), 0..8),
            lo in 0usize..50, hi in 0usize..50,
        ) {
            let d = doc(&text);
            let mut s = Sentence::new("d:0".into(), text.clone(), lo, hi);
            s.loaded = spans.iter().map(|&(a, b)| loaded(a, b)).collect();
            let ts: Vec<TimeExpr> = spans.iter().map(|&(a, b)| time(b, a)).collect();
            let tr: Vec<&TimeExpr> = ts.iter().collect();
            let mut out = String::new();
            push_sentence_text(&mut out, &d, &s, &tr, &["É<".to_string(), "a".to_string()]);
            // Every '<' opens one of our own tags.
            for (i, _) in out.match_indices('<') {
                let rest = &out[i..];
                prop_assert!(
                    ["<mark ", "</mark>", "<span ", "</span>", "<strong ", "</strong>"].iter().any(|t| rest.starts_with(t)),
                    "unexpected tag at {i} in {out}"
                );
            }
        }
    }
}
