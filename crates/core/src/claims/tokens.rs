//! Word tokens of one sentence, with what the claims rules need to know about each: folded
//! form, capitalisation, whether it sits inside a quotation, and the punctuation before it.

use crate::text::{fold, words};

/// One word of a sentence. Offsets are byte offsets into the document text.
#[derive(Debug, Clone)]
pub struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub raw: &'a str,
    /// Lower-cased, apostrophes folded: the key for lexicon look-ups.
    pub norm: String,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Inside a direct quotation.
    pub quoted: bool,
    /// The text between the previous word (or the sentence start) and this one.
    pub gap: &'a str,
    /// A sentence-ending mark or a quotation mark separates it from the previous word (the
    /// period of "Mr." or of an initial "J." does not count).
    pub hard: bool,
}

impl Tok<'_> {
    /// A comma, colon, semicolon, dash or bracket separates this word from the previous one.
    pub fn breaks_before(&self) -> bool {
        self.gap
            .chars()
            .any(|c| matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–' | '[' | ']'))
            || self.gap.contains(" - ")
    }

    pub fn hard_break_before(&self) -> bool {
        self.hard
    }
}

/// Tokenises `text[start..end]`; `quotes` are sorted, disjoint byte ranges of direct quotations.
pub fn tokenize<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    quotes: &[(usize, usize)],
) -> Vec<Tok<'a>> {
    let Some(slice) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut prev_end = start;
    let mut prev_word: &str = "";
    for (off, w) in words(slice) {
        let s = start + off;
        let e = s + w.len();
        // `quotes` are sorted and disjoint: only the last one starting at or before `s` can
        // hold the word.
        let k = quotes.partition_point(|&(qs, _)| qs <= s);
        let quoted = k > 0 && e <= quotes[k - 1].1;
        let gap = text.get(prev_end..s).unwrap_or("");
        let abbrev = matches!(gap.trim(), "." | ".,") && is_abbreviation(prev_word)
            || continues_after_period(gap.trim());
        let hard = !abbrev
            && gap.chars().any(|c| {
                matches!(c, '.' | '!' | '?') || crate::text::is_quote(c) && c != '\'' && c != '’'
            });
        out.push(Tok {
            start: s,
            end: e,
            raw: w,
            norm: strip_possessive(fold(w)),
            cap: w.chars().next().is_some_and(char::is_uppercase),
            quoted,
            gap,
            hard,
        });
        prev_end = e;
        prev_word = w;
    }
    out
}

/// A period that a comma, semicolon or closing bracket follows ("Rep. Ann Bell, D-Ohio., said",
/// "(R-Ohio.), wrote") ends an abbreviation, never a sentence.
fn continues_after_period(gap: &str) -> bool {
    let mut rest = gap.chars();
    rest.next() == Some('.') && {
        let tail: Vec<char> = rest.collect();
        !tail.is_empty()
            && tail.iter().all(|c| matches!(c, ',' | ';' | ')' | ']'))
            && tail.iter().any(|c| matches!(c, ',' | ';' | ')'))
    }
}

/// Titles and initials whose period does not end a sentence ("Gov. Perry", "Anita L. Hill").
fn is_abbreviation(w: &str) -> bool {
    const ABBR: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
        "St", "Jr", "Sr", "Prof", "Rev", "Adm", "Cmdr", "Supt", "Det", "Insp", "Hon", "Pres",
    ];
    ABBR.contains(&w) || w.chars().count() == 1 && w.chars().all(char::is_uppercase)
}

/// "regime's" -> "regime": lexicon entries are base forms.
fn strip_possessive(mut w: String) -> String {
    if w.len() > 2 && w.ends_with("'s") {
        w.truncate(w.len() - 2);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_quoted_words_and_gaps() {
        let t = "He said, \u{201c}We won.\u{201d}";
        let q = [(9, t.len())];
        let toks = tokenize(t, 0, t.len(), &q);
        let quoted: Vec<bool> = toks.iter().map(|x| x.quoted).collect();
        assert_eq!(quoted, [false, false, true, true]);
        assert!(toks[2].breaks_before());
        assert_eq!(toks[1].norm, "said");
    }

    #[test]
    fn period_before_comma_is_not_a_sentence_end() {
        let t = "Rep. Ann Bell, D-Ohio., said it. Bell (R-Ohio.), wrote it.";
        let toks = tokenize(t, 0, t.len(), &[]);
        let hard: Vec<&str> = toks.iter().filter(|x| x.hard).map(|x| x.raw).collect();
        assert_eq!(hard, ["Bell"]);
    }
}
