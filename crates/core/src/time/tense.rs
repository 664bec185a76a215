//! Tense of the clause around an expression, from the verb that governs it.
//!
//! News resolves a bare weekday or a month-day without a year by tense: "was detained on Sunday"
//! is the Sunday before the reference date, "will meet on Sunday" the one after. The governing
//! verb is the nearest verb marker of the expression's clause (left side favoured: a time
//! adverbial usually follows the verb it dates), so "X, who resigned on Monday, will testify on
//! Friday" dates Monday by "resigned" and Friday by "will". What is not a verb of the clause
//! does not count: words inside other time expressions ("the next day, Sept. 15": "next"
//! belongs to "the next day"), passive participles ("followed by the House on Thursday"),
//! participles after a form of "be" (the auxiliary carries the tense), and verbs across a
//! clause opener ("which", "who", ";"). Tense-bearing adverbs ("last", "ago") decide only when
//! the clause has no verb marker; "since" right before the expression decides alone.

use super::lexicon::{lexicon, MarkerKind, Tense};
use super::tokens::Tok;

/// Forms of "be" after which a participle carries no tense of its own.
const BE: &[&str] = &[
    "be", "been", "being", "is", "are", "am", "was", "were", "'s", "'re",
];

/// The verb-marker tense of token `k`, if it is one.
fn verb_marker(toks: &[Tok<'_>], k: usize) -> Option<Tense> {
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
    // "will be finalized", "has been scheduled", "was held": a participle after "be" carries
    // no tense; the auxiliary before it does. "followed by", "led by": a passive participle.
    let after_be = k > 0 && BE.contains(&toks[k - 1].low.as_str());
    let before_by = toks.get(k + 1).is_some_and(|n| n.low == "by");
    let participle = after_be || before_by;
    match lexicon().tense.get(low) {
        Some(Tense::Neutral) => None,
        Some(Tense::Report) if !participle => Some(Tense::Report),
        Some(Tense::FutureTo) => toks
            .get(k + 1)
            .is_some_and(|n| n.low == "to")
            .then_some(Tense::Future),
        Some(Tense::Past) if participle => None,
        Some(Tense::Report) => None,
        Some(&t) => Some(t),
        None if low.len() >= 5 && low.ends_with("ed") && !participle => Some(Tense::Past),
        None => None,
    }
}

/// The adverb tense of token `k` ("last", "ago", "next"), if it is one.
fn adverb_marker(toks: &[Tok<'_>], k: usize) -> Option<Tense> {
    let t = toks.get(k)?;
    match lexicon().adverbs.get(t.low.as_str()) {
        Some(&(tense, MarkerKind::Adverb)) => Some(tense),
        _ => None,
    }
}

/// A token where the search for the governing verb stops: another clause begins.
fn is_boundary(toks: &[Tok<'_>], k: usize) -> bool {
    toks.get(k)
        .is_some_and(|t| t.low == ";" || lexicon().clause.contains(t.low.as_str()))
}

/// Tense for the expression at tokens `start..end`. `taken` holds the token ranges of all the
/// time expressions of the sentence (their words are not tense markers).
pub fn tense_at(
    toks: &[Tok<'_>],
    start: usize,
    end: usize,
    taken: &[(usize, usize)],
) -> Option<Tense> {
    // "since Monday": in the past whatever the verb.
    if let Some(p) = start.checked_sub(1).and_then(|p| toks.get(p)) {
        if let Some(&(t, MarkerKind::Preposition)) = lexicon().adverbs.get(p.low.as_str()) {
            return Some(t);
        }
    }
    let inside = |k: usize| taken.iter().any(|&(a, b)| a <= k && k < b);
    let verb = |k: usize| {
        if inside(k) {
            None
        } else {
            verb_marker(toks, k)
        }
    };
    let adverb = |k: usize| {
        if inside(k) {
            None
        } else {
            adverb_marker(toks, k)
        }
    };
    nearest(toks, start, end, &verb).or_else(|| nearest(toks, start, end, &adverb))
}

/// The nearest marker found by `find` on either side inside the clause, the left side
/// favoured by a few tokens.
fn nearest(
    toks: &[Tok<'_>],
    start: usize,
    end: usize,
    find: &dyn Fn(usize) -> Option<Tense>,
) -> Option<Tense> {
    const LEFT_BONUS: usize = 3;
    // The search ends at a clause opener; the bound keeps the work constant in run-on text.
    const WINDOW: usize = 20;
    // A reporting verb counts only right next to the expression ("said Friday").
    const REPORT_REACH: usize = 2;
    let usable = |t: Tense, d: usize| match t {
        Tense::Report => (d <= REPORT_REACH).then_some(Tense::Past),
        t => Some(t),
    };
    let mut left = None;
    for k in (start.saturating_sub(WINDOW)..start).rev() {
        if let Some(t) = find(k).and_then(|t| usable(t, start - k)) {
            left = Some((start - k, t));
            break;
        }
        if is_boundary(toks, k) {
            break;
        }
    }
    let mut right = None;
    for k in end..toks.len().min(end + WINDOW) {
        if is_boundary(toks, k) {
            break;
        }
        if let Some(t) = find(k).and_then(|t| usable(t, k + 1 - end)) {
            right = Some((k + 1 - end, t));
            break;
        }
    }
    match (left, right) {
        (Some((dl, tl)), Some((dr, tr))) => Some(if dl <= dr + LEFT_BONUS { tl } else { tr }),
        (Some((_, t)), None) | (None, Some((_, t))) => Some(t),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::grammar::Grammar;
    use super::super::tokens::tokenize;
    use super::*;

    fn tense_of(s: &str, word: &str) -> Option<Tense> {
        let toks = tokenize(s, 0, s.len());
        let taken: Vec<(usize, usize)> = Grammar::new(&toks)
            .all()
            .iter()
            .map(|m| (m.start, m.end))
            .collect();
        let i = toks.iter().position(|t| t.text == word).unwrap_or(0);
        let (a, b) = taken
            .iter()
            .copied()
            .find(|&(a, b)| a <= i && i < b)
            .unwrap_or((i, i + 1));
        tense_at(&toks, a, b, &taken)
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

    #[test]
    fn the_governing_verb_decides() {
        // The relative clause has its own verb; the main clause's "will" dates Sunday.
        let s = "The envoy, who landed in Brelsk on Friday, will travel on to Ostravia on Sunday.";
        assert_eq!(tense_of(s, "Sunday"), Some(Tense::Future));
        assert_eq!(tense_of(s, "Friday"), Some(Tense::Past));
        // A passive participle is no finite verb.
        let s =
            "The senate is expected to vote on Wednesday, followed by the assembly on Thursday.";
        assert_eq!(tense_of(s, "Thursday"), Some(Tense::Future));
        // "next" belongs to "the next day", not to the clause of "Sept. 15".
        let s = "The next day, Sept. 15, the board met again.";
        assert_eq!(tense_of(s, "Sept"), Some(Tense::Past));
        // A verb beats an adverb; an adverb decides when there is no verb.
        assert_eq!(
            tense_of("Sales will rise in May, after a slump last year.", "May"),
            Some(Tense::Future)
        );
        assert_eq!(
            tense_of("Votes next, on Friday.", "Friday"),
            Some(Tense::Future)
        );
        // "since" right before the expression.
        assert_eq!(
            tense_of("The road will stay shut, as it has since Monday.", "Monday"),
            Some(Tense::Past)
        );
    }
}
