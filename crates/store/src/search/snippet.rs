//! Snippets made in Rust from a hit's text: the stretch of [`SNIPPET_TOKENS`] words that holds
//! the most distinct query terms, matches between [`MATCH_START`] and [`MATCH_END`].
//!
//! FTS5's `snippet()` needs a `MATCH` statement of its own per row shown, and each one seeks
//! through every term's row list again: about 1 ms a row for common words on a 100k-article
//! store, 20 ms for a page of results. The candidates' text is already in hand.

use super::rank::{Term, Token};
use super::{MATCH_END, MATCH_START};

/// Words in a snippet (FTS5's `snippet(..., 24)` before).
pub(crate) const SNIPPET_TOKENS: usize = 24;
const ELLIPSIS: &str = "…";

/// The snippet of `text` (whose tokens are `toks`) for `terms`.
pub(crate) fn snippet(text: &str, toks: &[Token<'_>], terms: &[Term]) -> String {
    // Every match: (first token, last token, term index).
    let mut found: Vec<(usize, usize, usize)> = terms
        .iter()
        .enumerate()
        .flat_map(|(k, t)| {
            let n = t.words.len();
            t.positions(toks).map(move |p| (p, p + n - 1, k))
        })
        .collect();
    found.sort_unstable();
    let n = toks.len();
    let (from, to) = if n <= SNIPPET_TOKENS {
        (0, n)
    } else {
        best_window(&found, n, terms.len())
    };
    let mut out = String::new();
    if n == 0 {
        return out;
    }
    let start = if from == 0 { 0 } else { toks[from].start };
    let end = if to >= n {
        text.len()
    } else {
        toks[to - 1].end
    };
    if from > 0 {
        out.push_str(ELLIPSIS);
    }
    // Marks around each match inside the window; overlapping matches make one span.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for &(a, b, _) in &found {
        if a < from || b >= to {
            continue;
        }
        match spans.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => spans.push((a, b)),
        }
    }
    let mut at = start;
    for (a, b) in spans {
        out.push_str(&text[at..toks[a].start]);
        out.push(MATCH_START);
        out.push_str(&text[toks[a].start..toks[b].end]);
        out.push(MATCH_END);
        at = toks[b].end;
    }
    out.push_str(&text[at..end]);
    if to < n {
        out.push_str(ELLIPSIS);
    }
    out
}

/// The window of [`SNIPPET_TOKENS`] tokens (start, end exclusive) around the matches that
/// holds the most distinct terms, then the most matches; the first such.
fn best_window(found: &[(usize, usize, usize)], n: usize, nterms: usize) -> (usize, usize) {
    let mut best = (0usize, 0usize);
    let mut best_score = None;
    for &(a, b, _) in found {
        // Centre the match in the window.
        let span = b - a + 1;
        let before = SNIPPET_TOKENS.saturating_sub(span) / 2;
        let from = a.saturating_sub(before).min(n - SNIPPET_TOKENS);
        let to = from + SNIPPET_TOKENS;
        let mut distinct = vec![false; nterms];
        let mut count = 0;
        for &(x, y, k) in found {
            if x >= from && y < to {
                if let Some(d) = distinct.get_mut(k) {
                    *d = true;
                }
                count += 1;
            }
        }
        let score = (distinct.iter().filter(|d| **d).count(), count);
        if best_score.is_none_or(|s| score > s) {
            best_score = Some(score);
            best = (from, to);
        }
    }
    if best_score.is_none() {
        return (0, SNIPPET_TOKENS);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::rank::tokens;
    use super::*;
    use proptest::prelude::*;

    fn snip(text: &str, terms: &[&str]) -> String {
        let t: Vec<Term> = terms.iter().map(|t| Term::new(t)).collect();
        snippet(text, &tokens(text), &t)
            .replace(MATCH_START, "[")
            .replace(MATCH_END, "]")
    }

    #[test]
    fn short_texts_are_whole_with_matches_marked() {
        assert_eq!(
            snip("Olm floods Kessel.", &["kessel", "olm"]),
            "[Olm] floods [Kessel]."
        );
        assert_eq!(
            snip("The Café Zürich reopened", &["cafe zurich"]),
            "The [Café Zürich] reopened"
        );
        assert_eq!(
            snip("budget passes budget", &["budget passes", "budget"]),
            "[budget passes] [budget]"
        );
        assert_eq!(snip("", &["x"]), "");
        assert_eq!(snip("no match here", &["x"]), "no match here");
    }

    #[test]
    fn long_texts_show_the_window_with_most_terms() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let s = snip(&text, &["w70", "w75", "w5"]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("[w70]") && s.contains("[w75]"), "{s}");
        assert!(!s.contains("w5 "), "{s}");
        assert_eq!(s.split_whitespace().count(), SNIPPET_TOKENS);
        let start = snip(&text, &["w1"]);
        assert!(
            start.starts_with("w0 [w1]") && start.ends_with('…'),
            "{start}"
        );
        let end = snip(&text, &["w99"]);
        assert!(end.starts_with('…') && end.ends_with("[w99]"), "{end}");
        let none = snip(&text, &["x"]);
        assert!(none.starts_with("w0 ") && none.ends_with('…'), "{none}");
    }

    proptest! {
        #[test]
        fn any_text_gives_a_snippet(s in "\\PC{0,300}", q in "\\PC{0,20}") {
            let t = [Term::new(&q)];
            let out = snippet(&s, &tokens(&s), &t).replace([MATCH_START, MATCH_END], "");
            prop_assert!(s.contains(out.trim_matches('…')), "{out:?}");
        }
    }
}
