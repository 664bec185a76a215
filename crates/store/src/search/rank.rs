//! Ranking of search candidates in Rust, with FTS5's own `bm25` formula.
//!
//! FTS5's `bm25()` (the `rank` column) counts, on the first row it scores, every row of the
//! whole table that holds each query term, to weigh the terms: a walk through the full row
//! list of every term, whatever the `LIMIT`. For a common word on a 100k-article store that
//! is over 100 ms per query. Here the candidates (the newest matches, with their text) are
//! scored with the same formula: term frequency and row length come from the text itself,
//! the number of rows from FTS5's stored totals, and each term's row count is counted up to
//! [`DF_CAP`] rows and estimated beyond (it only weighs terms against each other; every
//! candidate holds every term).

use super::fold;
use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;

/// Rows counted per term to weigh it; beyond, the count is estimated from how recent the
/// `DF_CAP`-th newest match is.
pub(crate) const DF_CAP: i64 = 1000;
/// bm25 parameters, FTS5's.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// One token of a text: where it is (bytes) and its folded form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub word: Cow<'a, str>,
}

/// Letters, digits and combining marks make words; everything else separates them (as in
/// FTS5's `unicode61` tokenizer; apostrophes separate too).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The tokens of a text, folded like the index folds them (lower case, no diacritics).
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(token(text, s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    out
}

fn token(text: &str, start: usize, end: usize) -> Token<'_> {
    let raw = &text[start..end];
    let word = if raw.is_ascii() {
        if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(raw.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw)
        }
    } else {
        Cow::Owned(fold(raw))
    };
    Token { start, end, word }
}

/// A query term as matched: its folded words, in order (two or more: a phrase).
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub words: Vec<String>,
}

impl Term {
    pub fn new(typed: &str) -> Term {
        Term {
            words: tokens(typed)
                .into_iter()
                .map(|t| t.word.into_owned())
                .collect(),
        }
    }

    /// Token positions where the term starts in `toks`.
    pub fn positions<'a>(&'a self, toks: &'a [Token<'_>]) -> impl Iterator<Item = usize> + 'a {
        let n = self.words.len();
        (0..toks.len().saturating_sub(n.max(1) - 1)).filter(move |&i| {
            n > 0
                && self
                    .words
                    .iter()
                    .zip(&toks[i..i + n])
                    .all(|(w, t)| *w == t.word)
        })
    }
}

/// What the formula needs about the whole table and each term.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    /// Mean tokens per row.
    pub avg_len: f64,
    /// The inverse document frequency of each term.
    pub idf: Vec<f64>,
}

impl Weights {
    /// `hits[i]`: rows holding term i (counted or estimated).
    pub fn new(rows: i64, tokens: i64, hits: &[f64]) -> Weights {
        let n = rows.max(1) as f64;
        let idf = hits
            .iter()
            .map(|&h| {
                // FTS5's bm25: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6.
                let v = ((n - h + 0.5) / (h + 0.5)).ln();
                if v <= 0.0 {
                    1e-6
                } else {
                    v
                }
            })
            .collect();
        Weights {
            avg_len: (tokens.max(0) as f64 / n).max(f64::MIN_POSITIVE),
            idf,
        }
    }

    /// The bm25 score of a row's tokens (higher is better; FTS5's `rank` is its negation):
    /// the formula as written, which [`Scorer`] computes faster and is tested against.
    #[cfg(test)]
    pub fn score(&self, terms: &[Term], toks: &[Token<'_>]) -> f64 {
        let len = toks.len() as f64;
        terms
            .iter()
            .zip(&self.idf)
            .map(|(t, idf)| {
                let tf = t.positions(toks).count() as f64;
                idf * (tf * (K1 + 1.0)) / (tf + K1 * (1.0 - B + B * len / self.avg_len))
            })
            .sum()
    }
}

/// Scores rows one after another with [`Weights::score`]'s formula, reusing one buffer of
/// token spans: a search scores up to a thousand rows, and folding every word of each into
/// its own string was a tenth of a search's time. ASCII words are compared without folding.
pub(crate) struct Scorer<'a> {
    terms: &'a [Term],
    weights: &'a Weights,
    spans: Vec<(usize, usize)>,
}

impl<'a> Scorer<'a> {
    pub fn new(terms: &'a [Term], weights: &'a Weights) -> Scorer<'a> {
        Scorer {
            terms,
            weights,
            spans: Vec::new(),
        }
    }

    /// The bm25 score of `text`, equal to `weights.score(terms, &tokens(text))`.
    pub fn score(&mut self, text: &str) -> f64 {
        self.spans.clear();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let word = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                is_word_char(c)
            };
            match (word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    self.spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            self.spans.push((s, text.len()));
        }
        let spans = &self.spans;
        let len = spans.len() as f64;
        let same = |span: (usize, usize), word: &str| {
            let raw = &text[span.0..span.1];
            if raw.is_ascii() {
                raw.eq_ignore_ascii_case(word)
            } else {
                fold(raw) == word
            }
        };
        self.terms
            .iter()
            .zip(&self.weights.idf)
            .map(|(t, idf)| {
                let n = t.words.len();
                let tf = if n == 0 || spans.len() < n {
                    0.0
                } else {
                    (0..=spans.len() - n)
                        .filter(|&i| {
                            t.words
                                .iter()
                                .zip(&spans[i..i + n])
                                .all(|(w, &sp)| same(sp, w))
                        })
                        .count() as f64
                };
                idf * (tf * (K1 + 1.0)) / (tf + K1 * (1.0 - B + B * len / self.weights.avg_len))
            })
            .sum()
    }
}

/// The row count of a term from the first [`DF_CAP`] matches newest first: exact when there
/// are fewer, else scaled by the share of articles at least as new as the last one counted
/// (`newest_seq` is the newest article's number).
pub(crate) fn estimate_hits(counted: i64, last_rowid: i64, newest_seq: i64) -> f64 {
    if counted < DF_CAP || last_rowid < 0 || newest_seq <= 0 {
        return counted as f64;
    }
    let last_seq = (last_rowid >> 20).clamp(1, newest_seq);
    counted as f64 * newest_seq as f64 / (newest_seq - last_seq + 1) as f64
}

/// Reads FTS5's averages record (rowid 1 of the `_data` table: a varint row count, then a
/// varint token total per column). `None` when it is not in that shape.
pub(crate) fn averages(block: &[u8]) -> Option<(i64, i64)> {
    let (rows, n) = varint(block)?;
    let (tokens, _) = varint(block.get(n..)?)?;
    Some((i64::try_from(rows).ok()?, i64::try_from(tokens).ok()?))
}

/// SQLite's variable-length integer: 7 bits a byte, high bit set on all but the last, and a
/// ninth byte of 8 bits.
fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let c = *b.get(i)?;
        if i == 8 {
            return Some(((v << 8) | c as u64, 9));
        }
        v = (v << 7) | (c & 0x7f) as u64;
        if c < 0x80 {
            return Some((v, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .map(|t| t.word.into_owned())
            .collect()
    }

    #[test]
    fn tokens_fold_and_split_like_the_index() {
        assert_eq!(
            words("Café Zürich's  O'Brien, 2021-05-01!"),
            ["cafe", "zurich", "s", "o", "brien", "2021", "05", "01"]
        );
        let t = tokens("a Bé");
        assert_eq!((t[1].start, t[1].end), (2, 5));
        assert!(tokens("").is_empty());
        assert!(tokens(" ,.; ").is_empty());
    }

    #[test]
    fn phrases_match_in_order_only() {
        let toks = tokens("The budget passes; budget passes again. Passes budget.");
        assert_eq!(
            Term::new("budget passes")
                .positions(&toks)
                .collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(Term::new("Budget").positions(&toks).count(), 3);
        assert_eq!(Term::new("").positions(&toks).count(), 0);
        assert_eq!(Term::new("budget").positions(&[]).count(), 0);
    }

    #[test]
    fn shorter_rows_and_more_hits_score_higher() {
        let w = Weights::new(100, 1000, &[10.0]);
        let t = [Term::new("flood")];
        let short = w.score(&t, &tokens("Flood in Kessel"));
        let long = w.score(
            &t,
            &tokens("A flood came down the valley late in the night"),
        );
        let twice = w.score(&t, &tokens("Flood after flood came down the valley"));
        assert!(short > long && twice > long, "{short} {long} {twice}");
        // A word in most rows still counts a little, never negatively.
        assert!(Weights::new(10, 100, &[9.0]).idf[0] > 0.0);
    }

    #[test]
    fn estimates_scale_by_the_share_of_newer_articles() {
        assert_eq!(estimate_hits(12, 5 << 20, 100), 12.0);
        // The 1000th newest match is in article 51 of 100: half the articles hold 1000.
        assert_eq!(estimate_hits(DF_CAP, 51 << 20, 100), 2000.0);
        assert_eq!(estimate_hits(DF_CAP, -3, 100), DF_CAP as f64);
    }

    #[test]
    fn averages_record_is_read() {
        // 300 rows (0x82 0x2c), 70000 tokens (0x84 0xa2 0x70).
        assert_eq!(
            averages(&[0x82, 0x2c, 0x84, 0xa2, 0x70]),
            Some((300, 70000))
        );
        assert_eq!(averages(&[]), None);
        assert_eq!(averages(&[0x82]), None);
        assert_eq!(averages(&[0xff; 9]).map(|a| a.0), None);
    }

    proptest! {
        #[test]
        fn the_scorer_scores_as_the_formula_does(
            text in "[a-zA-Z\\u{e9}\\u{c9}\\u{301}' ,.]{0,60}",
            a in "[a-zA-Z\\u{e9}]{1,3}",
            b in "[a-z]{1,2}( [a-z]{1,2})?",
        ) {
            let w = Weights::new(1000, 20_000, &[30.0, 200.0]);
            let terms = [Term::new(&a), Term::new(&b)];
            let expected = w.score(&terms, &tokens(&text));
            let got = Scorer::new(&terms, &w).score(&text);
            prop_assert!((expected - got).abs() < 1e-12, "{expected} {got}");
        }

        #[test]
        fn tokens_lie_on_char_boundaries(s in "\\PC{0,80}") {
            for t in tokens(&s) {
                prop_assert!(t.start < t.end && s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                prop_assert!(!t.word.is_empty() || s[t.start..t.end].chars().all(is_combining_mark));
            }
        }
    }
}
