//! Direct quotations: where they are in the text (straight and typographic double quotes), and
//! which of them are real quotes rather than scare quotes.

use super::lexicon::Lexicons;
use crate::model::Paragraph;

/// Byte ranges (marks included) of the double-quoted passages of each paragraph. A quotation
/// left open at a paragraph's end runs to that end: news style drops the closing mark when a
/// quote continues in the next paragraph, which opens with a new mark (see [`continues`]).
/// When instead the next paragraph has a closing mark before any opening one ("…the town.¶
/// We deserve better," she said.), the quotation runs on from that paragraph's start to the
/// mark. Single quotes are ignored (they double as apostrophes).
pub fn spans(text: &str, paragraphs: &[Paragraph]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // The previous paragraph ended inside a quotation.
    let mut carried = false;
    for p in paragraphs {
        let Some(slice) = text.get(p.start..p.end) else {
            carried = false;
            continue;
        };
        let mut open: Option<usize> = None;
        if carried && closes_first(slice) {
            open = Some(p.start);
        }
        let mut iter = slice.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let at = p.start + i;
            match c {
                '“' | '„' | '«' if open.is_none() => open = Some(at),
                '”' | '»' => {
                    if let Some(s) = open.take() {
                        out.push((s, at + c.len_utf8()));
                    }
                }
                '"' => {
                    if let Some(s) = open.take() {
                        out.push((s, at + 1));
                    } else if iter.peek().is_some_and(|&(_, n)| !n.is_whitespace()) {
                        open = Some(at);
                    }
                }
                _ => {}
            }
        }
        carried = open.is_some();
        if let Some(s) = open {
            out.push((s, p.end));
        }
    }
    out
}

/// The first quotation mark of a paragraph closes a quotation rather than opening one: a
/// typographic closing mark, or a straight mark with no word right after it or none of
/// whitespace right before it (`better."`, `us," she said`).
fn closes_first(slice: &str) -> bool {
    let mut prev = ' ';
    let mut iter = slice.chars().peekable();
    while let Some(c) = iter.next() {
        match c {
            '”' | '»' => return true,
            '“' | '„' | '«' => return false,
            '"' => {
                let next_word = iter.peek().is_some_and(|n| !n.is_whitespace());
                return !prev.is_whitespace() || !next_word;
            }
            _ => prev = c,
        }
    }
    false
}

/// For each span of [`spans`], whether it continues the quotation of the span before: that
/// span was left open at its paragraph's end and this one starts the next paragraph. A
/// quotation over several paragraphs is one speaker's.
pub fn continues(text: &str, spans: &[(usize, usize)]) -> Vec<bool> {
    let mut out = Vec::with_capacity(spans.len());
    for (k, &(a, _)) in spans.iter().enumerate() {
        let linked = k
            .checked_sub(1)
            .and_then(|j| spans.get(j))
            .is_some_and(|&(pa, pb)| {
                let left_open = text
                    .get(pa..pb)
                    .and_then(|q| q.chars().last())
                    .is_some_and(|c| !matches!(c, '”' | '»' | '"'));
                let between = text.get(pb..a).unwrap_or("x");
                left_open && between.contains('\n') && between.trim().is_empty()
            });
        out.push(linked);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Vec<Paragraph> {
        vec![Paragraph {
            start: 0,
            end: text.len(),
            sentences: Vec::new(),
        }]
    }

    #[test]
    fn finds_curly_and_straight_quotes() {
        let t = "She said \"yes\" and \u{201c}no\u{201d}.";
        let s = spans(t, &para(t));
        assert_eq!(s.len(), 2);
        assert_eq!(&t[s[0].0..s[0].1], "\"yes\"");
        assert_eq!(&t[s[1].0..s[1].1], "\u{201c}no\u{201d}");
    }

    fn paras(text: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut start = 0;
        for part in text.split("\n\n") {
            out.push(Paragraph {
                start,
                end: start + part.len(),
                sentences: Vec::new(),
            });
            start += part.len() + 2;
        }
        out
    }

    #[test]
    fn quotation_runs_on_into_a_closing_paragraph() {
        let t =
            "He said: \"The board ignored it.\n\nIt failed us. We deserve better.\"\n\nThe end.";
        let s = spans(t, &paras(t));
        let q: Vec<&str> = s.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(
            q,
            [
                "\"The board ignored it.",
                "It failed us. We deserve better.\""
            ]
        );
        assert_eq!(continues(t, &s), [false, true]);
    }

    #[test]
    fn quotation_reopened_in_the_next_paragraph() {
        let t = "\u{201c}We lost.\n\n\u{201c}We move on,\u{201d} she said. \u{201c}Fine.\u{201d}";
        let s = spans(t, &paras(t));
        assert_eq!(s.len(), 3);
        assert_eq!(continues(t, &s), [false, true, false]);
    }

    #[test]
    fn closed_quote_does_not_carry() {
        let t = "\"We lost,\" she said.\n\nIt rained. \"Wet,\" he said.";
        let s = spans(t, &paras(t));
        let q: Vec<&str> = s.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(q, ["\"We lost,\"", "\"Wet,\""]);
        assert_eq!(continues(t, &s), [false, false]);
    }

    #[test]
    fn open_quote_runs_to_paragraph_end() {
        let t = "\u{201c}We will fight on. We will win.";
        let s = spans(t, &para(t));
        assert_eq!(s, vec![(0, t.len())]);
    }
}

/// A block quotation: a paragraph reproduced from a statement, post or letter that the
/// paragraph before announces with a colon ("Jo Lee wrote:", "Read the full statement:"),
/// without quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Byte range of the quoted paragraph.
    pub start: usize,
    pub end: usize,
    /// Byte offset of the announcing sentence's start.
    pub intro: usize,
}

/// Paragraphs announced by a colon at the end of the paragraph before, when the announcing
/// sentence has a reporting verb or names a text, and the paragraph holds no quotation marks
/// of its own ("UPDATE:" or "Here are the facts:" announce no one's words).
pub fn blocks(text: &str, paragraphs: &[Paragraph], lex: &Lexicons) -> Vec<Block> {
    let mut out = Vec::new();
    for pair in paragraphs.windows(2) {
        let (intro, body) = (&pair[0], &pair[1]);
        let Some(last) = intro.sentences.last() else {
            continue;
        };
        if !last.text.trim_end().ends_with(':') {
            continue;
        }
        let words: Vec<String> = crate::text::words(&last.text)
            .map(|(_, w)| crate::text::fold(w))
            .collect();
        // A reporting verb ("Jo Lee wrote:"), or a named text offered for reading ("Read the
        // full statement:", "Here is the letter:"); "The report made three findings:" is the
        // outlet summing up.
        const OFFER: &[&str] = &[
            "read",
            "reads",
            "here",
            "here's",
            "following",
            "full",
            "below",
        ];
        let announces = words.len() >= 2
            && ((0..words.len()).any(|i| {
                // A verb, not a noun after a determiner ("the report").
                lex.verbs.longest_at(&words, i).is_some()
                    && (i == 0 || !super::attribution::DETERMINERS.contains(&words[i - 1].as_str()))
            }) || words.iter().any(|w| lex.documents.contains_key(w))
                && words.iter().any(|w| OFFER.contains(&w.as_str())));
        let marked = text
            .get(body.start..body.end)
            .is_none_or(|b| b.contains(['"', '“', '”', '«', '»']));
        if announces && !marked && body.end > body.start {
            out.push(Block {
                start: body.start,
                end: body.end,
                intro: last.start,
            });
        }
    }
    out
}
