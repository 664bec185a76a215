//! Sentence segmentation with byte offsets.
//!
//! Rule-based: a sentence ends at `.`, `!`, `?` or `…` (with any closing quotes and brackets)
//! followed by white space and a token that can start a sentence. Known abbreviations
//! (`data/abbreviations.txt`), initials ("J. Smith") and dotted acronyms ("U.S.") do not end a
//! sentence unless a typical sentence opener follows the acronym. A lower-case continuation
//! never starts a new sentence, so `"…?" he asked.` stays one sentence.
//!
//! A sentence longer than [`MAX_SENTENCE_WORDS`] words (or [`MAX_SENTENCE_BYTES`] bytes) is cut
//! for analysis at a clause mark, else between words ([`split_marked`] says which sentences were
//! cut), so that no rule that looks across a sentence can cost more than a bounded amount per
//! word on run-on text: scraped pages without punctuation, flattened tables.

use std::collections::HashMap;
use std::sync::OnceLock;

static ABBREVIATIONS_DATA: &str = include_str!("../data/abbreviations.txt");

/// Abbreviations, mapped to whether they are titles (which never end a sentence).
fn abbreviations() -> &'static HashMap<String, bool> {
    static MAP: OnceLock<HashMap<String, bool>> = OnceLock::new();
    MAP.get_or_init(|| {
        ABBREVIATIONS_DATA
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut parts = l.split_whitespace();
                let abbr = parts.next().unwrap_or_default().to_lowercase();
                (abbr, parts.next() == Some("title"))
            })
            .collect()
    })
}

/// Verbs of speech that, right after a closing quote, continue the sentence
/// (`"Where are you going?" Holder recalled.`).
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "recalled",
    "told",
    "added",
    "adds",
    "replied",
    "wrote",
    "writes",
    "continued",
    "explained",
    "shouted",
    "yelled",
    "insisted",
    "noted",
    "declared",
    "tweeted",
    "answered",
    "wondered",
    "joked",
    "argued",
    "warned",
    "cried",
    "exclaimed",
];

/// Words that typically open a sentence; after a dotted acronym they signal a boundary.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "There",
    "Some",
    "Many",
    "Most",
    "Officials",
    "However",
    "Meanwhile",
];

/// Sentences longer than this many words are cut for analysis. Real news sentences stay far
/// below (a long one has 60-80 words); run-on text without punctuation reaches any length.
pub const MAX_SENTENCE_WORDS: usize = 1000;
/// The same cap in bytes, for run-on text with few spaces (URL lists, long tokens).
pub const MAX_SENTENCE_BYTES: usize = 24 * 1024;

/// Splits `text[start..end]` into sentences; returns trimmed `(start, end)` byte spans in
/// `text`. Spans are non-empty, ordered, non-overlapping, on char boundaries. Sentences over
/// the length caps are cut (see [`split_marked`]).
pub fn split(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    split_marked(text, start, end)
        .into_iter()
        .map(|(s, e, _)| (s, e))
        .collect()
}

/// [`split`], with `true` for each piece of a sentence cut because it ran over
/// [`MAX_SENTENCE_WORDS`] words or [`MAX_SENTENCE_BYTES`] bytes.
pub fn split_marked(text: &str, start: usize, end: usize) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    for (s, e) in split_unbounded(text, start, end) {
        cut_long(text, s, e, &mut out);
    }
    out
}

/// Cuts `text[start..end]` into pieces within the length caps, pushing `(start, end, cut)`.
/// A piece ends at the last clause mark (`,` `;` `:` `)` or a dash) followed by a space in the
/// last quarter of the allowed length, else at the last space before the cap, else (one
/// token longer than the byte cap) at a char boundary. Linear in the sentence's length.
fn cut_long(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize, bool)>) {
    let fits = |a: usize| {
        end - a <= MAX_SENTENCE_BYTES && {
            let piece = text.get(a..end).unwrap_or("");
            piece.split_whitespace().nth(MAX_SENTENCE_WORDS).is_none()
        }
    };
    if fits(start) {
        out.push((start, end, false));
        return;
    }
    let mut a = start;
    while a < end {
        if fits(a) {
            push_piece(text, a, end, out);
            break;
        }
        let cut = cut_point(text, a, end);
        push_piece(text, a, cut, out);
        a = cut;
    }
}

/// Where the piece starting at `a` ends (see [`cut_long`]); always past `a`.
fn cut_point(text: &str, a: usize, end: usize) -> usize {
    let piece = text.get(a..end).unwrap_or("");
    let mut words = 0usize;
    let mut in_word = false;
    let mut last_space = None; // offset (in piece) of the last space after a word
    let mut last_clause = None; // offset just after a clause mark that a space follows
    let mut prev = ' ';
    let mut hard = piece.len();
    for (i, c) in piece.char_indices() {
        if i + c.len_utf8() > MAX_SENTENCE_BYTES {
            hard = i;
            break;
        }
        if c.is_whitespace() {
            if in_word {
                last_space = Some(i);
                if matches!(prev, ',' | ';' | ':' | ')' | '—' | '–') {
                    last_clause = Some((i, words));
                }
            }
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > MAX_SENTENCE_WORDS {
                hard = i;
                break;
            }
        }
        prev = c;
    }
    let cut = match (last_clause, last_space) {
        (Some((i, w)), _) if w * 4 >= MAX_SENTENCE_WORDS.min(words) * 3 => i,
        (_, Some(i)) if i > 0 => i,
        _ => hard,
    };
    // Never an empty piece: at least one character.
    let min = piece.chars().next().map_or(piece.len(), char::len_utf8);
    a + cut.max(min)
}

fn push_piece(text: &str, a: usize, b: usize, out: &mut Vec<(usize, usize, bool)>) {
    let Some(piece) = text.get(a..b) else { return };
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push((a + lead, a + lead + trimmed.len(), true));
    }
}

/// Splits at sentence ends only, whatever the length.
fn split_unbounded(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(slice) = text.get(start..end) else {
        return out;
    };
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut sent_start = 0usize; // offset in slice
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Consume a run of terminators and closing punctuation.
            let mut j = i + 1;
            while j < chars.len()
                && (matches!(chars[j].1, '.' | '!' | '?' | '…') || is_closing(chars[j].1))
            {
                j += 1;
            }
            // Must be followed by white space (or the end).
            if j >= chars.len() {
                break;
            }
            if !chars[j].1.is_whitespace() {
                i = j;
                continue;
            }
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            if k >= chars.len() {
                break;
            }
            if is_boundary(slice, &chars, sent_start, i, k) {
                let end_off = chars.get(j).map_or(slice.len(), |x| x.0);
                push_trimmed(&mut out, slice, start, sent_start, end_off);
                sent_start = chars[k].0;
            }
            i = k;
            let _ = pos;
            continue;
        }
        i += 1;
    }
    push_trimmed(&mut out, slice, start, sent_start, slice.len());
    out
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»' | '›')
}

/// Decides whether the terminator at `chars[term]` ends the sentence, given that the next
/// non-space character is `chars[next]`.
fn is_boundary(
    slice: &str,
    chars: &[(usize, char)],
    sent_start: usize,
    term: usize,
    next: usize,
) -> bool {
    let next_c = chars[next].1;
    let next_word = word_at(slice, chars[next].0);
    let starts_upper = next_c.is_uppercase()
        || next_c.is_ascii_digit()
        || (crate::text::is_quote(next_c) || next_c == '(' || next_c == '[')
            && word_at(slice, chars[next].0 + next_c.len_utf8())
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !starts_upper {
        return false;
    }
    // A quote closed by "?" or "!" (or "." in a quote) followed by its speaker and a verb of
    // speech continues the sentence.
    let closes_quote = chars[term + 1..next]
        .iter()
        .any(|&(_, c)| crate::text::is_quote(c));
    if closes_quote && speaker_follows(slice, chars[next].0) {
        return false;
    }
    if chars[term].1 != '.' {
        return true;
    }
    // The token that the period closes.
    let term_off = chars[term].0;
    let before = &slice[sent_start.min(term_off)..term_off];
    let token = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if token.is_empty() {
        return true;
    }
    let bare = token.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut letters = bare.chars();
    // An initial: one capital letter ("J. Smith"), unless it closes a longer run.
    if let (Some(c), None) = (letters.next(), letters.next()) {
        if c.is_uppercase() {
            return OPENERS.contains(&next_word) && bare.len() > 1;
        }
    }
    // A dotted acronym ("U.S.", "a.m."): a boundary only before a typical opener.
    if bare.contains('.') && bare.split('.').all(|p| p.chars().count() <= 2) {
        return OPENERS.contains(&next_word);
    }
    if let Some(&is_title) = abbreviations().get(&bare.to_lowercase()) {
        // "Gen. Smith" never ends; "Tempe, Ariz. It will" does before a sentence opener.
        return !is_title && OPENERS.contains(&next_word);
    }
    true
}

/// True when up to three capitalised words followed by a verb of speech start at `off`.
fn speaker_follows(s: &str, off: usize) -> bool {
    let rest = s.get(off..).unwrap_or("");
    for (i, w) in rest.split_whitespace().take(4).enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if i > 0 && SPEECH_VERBS.contains(&w) {
            return true;
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
    }
    false
}

fn word_at(s: &str, off: usize) -> &str {
    let rest = s.get(off..).unwrap_or("");
    let end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..end]
}

fn push_trimmed(out: &mut Vec<(usize, usize)>, slice: &str, base: usize, s: usize, e: usize) {
    let Some(piece) = slice.get(s..e) else { return };
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push((base + s + lead, base + s + lead + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split(t, 0, t.len())
            .into_iter()
            .map(|(s, e)| &t[s..e])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sents("One here. Two there! Three?"),
            ["One here.", "Two there!", "Three?"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            sents("Gen. Smith met Mr. J. R. Jones on Jan. 21 in the U.S. Navy yard. He left."),
            [
                "Gen. Smith met Mr. J. R. Jones on Jan. 21 in the U.S. Navy yard.",
                "He left."
            ]
        );
    }

    #[test]
    fn acronym_before_opener_ends_sentence() {
        assert_eq!(
            sents("The NATO powers were led by the U.S. The mass protests grew."),
            [
                "The NATO powers were led by the U.S.",
                "The mass protests grew."
            ]
        );
    }

    #[test]
    fn quotes_close_sentences() {
        assert_eq!(
            sents(
                "She said, \"We came, we saw, he died.\" This statement stood. \"Why?\" he asked."
            ),
            [
                "She said, \"We came, we saw, he died.\"",
                "This statement stood.",
                "\"Why?\" he asked."
            ]
        );
    }

    #[test]
    fn curly_quotes_open_sentences() {
        assert_eq!(
            sents("It ended. “Now,” she said."),
            ["It ended.", "“Now,” she said."]
        );
    }

    #[test]
    fn quote_then_speaker_continues() {
        assert_eq!(
            sents("The guard yelled, \"Where are you going? Stop!\" Officer Lee recalled. Then he left."),
            ["The guard yelled, \"Where are you going?", "Stop!\" Officer Lee recalled.", "Then he left."]
        );
    }

    #[test]
    fn state_abbreviation_can_end_a_sentence() {
        assert_eq!(
            sents("It was held in Tempe, Ariz. It will move. Gen. Lee spoke."),
            [
                "It was held in Tempe, Ariz.",
                "It will move.",
                "Gen. Lee spoke."
            ]
        );
    }

    #[test]
    fn offsets_are_exact() {
        let t = "  A b.  C d.  ";
        let spans = split(t, 0, t.len());
        assert_eq!(spans, vec![(2, 6), (8, 12)]);
    }

    #[test]
    fn run_on_text_is_cut_at_clause_marks_then_spaces() {
        let words = MAX_SENTENCE_WORDS * 2 + 10;
        let t: String = (0..words)
            .map(|i| if i % 50 == 49 { "word," } else { "word" })
            .collect::<Vec<_>>()
            .join(" ");
        let spans = split_marked(&t, 0, t.len());
        assert_eq!(spans.len(), 3);
        for &(a, b, cut) in &spans {
            assert!(cut);
            assert!(t[a..b].split_whitespace().count() <= MAX_SENTENCE_WORDS);
        }
        // The first cut follows a comma.
        assert!(t[spans[0].0..spans[0].1].ends_with(','));
        // Ordinary sentences are not marked.
        assert!(split_marked("One here. Two there.", 0, 20)
            .iter()
            .all(|s| !s.2));
    }

    #[test]
    fn one_huge_token_is_cut_on_char_boundaries() {
        let t = "é".repeat(MAX_SENTENCE_BYTES);
        let spans = split(&t, 0, t.len());
        assert!(spans.len() >= 2);
        assert_eq!(spans.iter().map(|s| s.1 - s.0).sum::<usize>(), t.len());
        for (a, b) in spans {
            assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
            assert!(b - a <= MAX_SENTENCE_BYTES);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
        #[test]
        fn long_spans_are_valid_and_bounded(
            ws in proptest::collection::vec("[a-zé]{1,12}[,.;]?", 0..3000),
            sep in "[ \n]"
        ) {
            let s = ws.join(&sep);
            let spans = split_marked(&s, 0, s.len());
            let mut last = 0;
            for (a, b, _) in spans {
                proptest::prop_assert!(a < b && a >= last && b <= s.len());
                proptest::prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
                proptest::prop_assert!(s[a..b].split_whitespace().count() <= MAX_SENTENCE_WORDS);
                last = b;
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn spans_are_valid(s in "\\PC{0,200}") {
            let spans = split(&s, 0, s.len());
            let mut last = 0;
            for (a, b) in spans {
                proptest::prop_assert!(a < b && a >= last && b <= s.len());
                proptest::prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
                last = b;
            }
        }
    }
}
