//! Direct quotations: where they are in the text (straight and typographic double quotes), and
//! which of them are real quotes rather than scare quotes.

use super::lexicon::Lexicons;
use crate::model::Paragraph;

/// Byte ranges (marks included) of the double-quoted passages of each paragraph. A quotation
/// left open at a paragraph's end runs to that end: news style drops the closing mark when a
/// quote continues in the next paragraph. Single quotes are ignored (they double as
/// apostrophes).
pub fn spans(text: &str, paragraphs: &[Paragraph]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for p in paragraphs {
        let Some(slice) = text.get(p.start..p.end) else {
            continue;
        };
        let mut open: Option<usize> = None;
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
        if let Some(s) = open {
            out.push((s, p.end));
        }
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
