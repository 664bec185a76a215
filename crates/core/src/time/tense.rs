//! Tense of the clause around an expression, from the nearest tense marker.
//!
//! News resolves a bare weekday or a month-day without a year by tense: "was detained on Sunday"
//! is the Sunday before the reference date, "will meet on Sunday" the one after. The marker
//! nearest to the expression wins, so "X, who resigned on Monday, will testify next week"
//! dates Monday in the past.

use super::lexicon::{lexicon, Tense};
use super::tokens::Tok;

/// The tense marker of token `t`, if it is one.
fn marker(toks: &[Tok<'_>], k: usize) -> Option<Tense> {
    let t = toks.get(k)?;
    if !t.is_word() {
        return None;
    }
    let low = t.low.as_str();
    // "won't" is "will not", not the past of "win".
    if low == "won" && toks.get(k + 1).is_some_and(|n| n.low == "'") {
        return Some(Tense::Future);
    }
    // "'ll": the tokenizer leaves "ll" after an apostrophe.
    if low == "ll" && k > 0 && toks[k - 1].low == "'" {
        return Some(Tense::Future);
    }
    // "will be finalized", "has been scheduled": a participle after "be" carries no tense;
    // the auxiliary before it does.
    let after_be = k > 0 && matches!(toks[k - 1].low.as_str(), "be" | "been" | "being");
    match lexicon().tense.get(low) {
        Some(Tense::Neutral) => None,
        Some(Tense::Report) => Some(Tense::Report),
        Some(Tense::FutureTo) => toks
            .get(k + 1)
            .is_some_and(|n| n.low == "to")
            .then_some(Tense::Future),
        Some(&t) => Some(t),
        None if low.len() >= 5 && low.ends_with("ed") && !after_be => Some(Tense::Past),
        None => None,
    }
}

/// Tense for the expression at tokens `start..end`: the nearest marker outside it, with the
/// left side favoured by a few tokens (a time adverbial usually follows the verb it dates:
/// "who resigned on Monday will testify" dates Monday by "resigned").
pub fn tense_at(toks: &[Tok<'_>], start: usize, end: usize) -> Option<Tense> {
    const LEFT_BONUS: usize = 3;
    // Markers further away belong to other clauses; the bound also keeps the work constant.
    const WINDOW: usize = 10;
    // A reporting verb counts only right next to the expression ("said Friday").
    const REPORT_REACH: usize = 2;
    let usable = |t: Tense, d: usize| match t {
        Tense::Report => (d <= REPORT_REACH).then_some(Tense::Past),
        t => Some(t),
    };
    let left = (start.saturating_sub(WINDOW)..start).rev().find_map(|k| {
        marker(toks, k)
            .and_then(|t| usable(t, start - k))
            .map(|t| (start - k, t))
    });
    let right = (end..toks.len().min(end + WINDOW)).find_map(|k| {
        marker(toks, k)
            .and_then(|t| usable(t, k + 1 - end))
            .map(|t| (k + 1 - end, t))
    });
    match (left, right) {
        (Some((dl, tl)), Some((dr, tr))) => Some(if dl <= dr + LEFT_BONUS { tl } else { tr }),
        (Some((_, t)), None) | (None, Some((_, t))) => Some(t),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn tense_of(s: &str, word: &str) -> Option<Tense> {
        let toks = tokenize(s, 0, s.len());
        let i = toks.iter().position(|t| t.text == word).unwrap_or(0);
        tense_at(&toks, i, i + 1)
    }

    #[test]
    fn nearest_marker_wins() {
        assert_eq!(
            tense_of("The mayor was arrested on Sunday.", "Sunday"),
            Some(Tense::Past)
        );
        assert_eq!(
            tense_of("The council will vote on Sunday.", "Sunday"),
            Some(Tense::Future)
        );
        assert_eq!(
            tense_of("A man who resigned on Monday will testify soon.", "Monday"),
            Some(Tense::Past)
        );
        assert_eq!(
            tense_of("She'll arrive Friday.", "Friday"),
            Some(Tense::Future)
        );
        assert_eq!(tense_of("Talks on Friday.", "Friday"), None);
    }

    #[test]
    fn ed_exceptions_are_not_past() {
        assert_eq!(tense_of("Indeed a hundred on Monday.", "Monday"), None);
    }
}
