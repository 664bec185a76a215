//! Name-oriented tokenizer: splits a sentence into words and punctuation with byte offsets,
//! keeping the inner dots of "U.S.", abbreviation dots ("Inc.", "Gen."), hyphens and inner
//! apostrophes, and stripping possessives ("Italy's" -> "Italy") and lower-case hyphen tails
//! ("NATO-led" -> "NATO").

use crate::text::is_apostrophe;

#[derive(Debug, Clone, PartialEq)]
pub struct Tok<'a> {
    /// Absolute byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// A word (letters or digits), as opposed to punctuation.
    pub word: bool,
    /// First letter upper case (or a lower-case name particle followed by a capital: "al-Masri").
    pub cap: bool,
    /// Two or more letters, all upper case ("ICC", "U.S.").
    pub allcaps: bool,
    /// Followed by a possessive `'s` that was cut off.
    pub possessive: bool,
}

/// Lower-case particles that may open a hyphenated name ("al-Masri", "el-Sisi", "bin-Salman").
const PARTICLES: &[&str] = &[
    "al", "el", "ad", "ash", "as", "ibn", "bin", "abu", "ben", "d",
];
/// Lower-case prefixes cut from a hyphenated capitalised word ("then-Secretary", "ex-President").
const PREFIXES: &[&str] = &[
    "then", "ex", "former", "pro", "anti", "non", "post", "pre", "mid", "neo", "trans",
];
/// Abbreviations that keep their dot.
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "corp", "ltd", "co", "gen", "sen", "rep",
    "gov", "col", "lt", "capt", "sgt", "adm", "prof", "mt", "ft", "vs", "messrs",
];

fn is_letterish(c: char) -> bool {
    c.is_alphanumeric() || is_mark_or_joiner(c)
}

/// Combining marks and zero-width joiners stay inside a word.
fn is_mark_or_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Tokenizes `text`, whose first byte sits at `base` in the document.
pub fn tokenize(text: &str, base: usize) -> Vec<Tok<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map(|x| x.1);
    let off = |k: usize| chars.get(k).map_or(text.len(), |x| x.0);
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !is_letterish(c) {
            // "'s" split off by a tokenizer: a possessive of the previous word.
            if is_apostrophe(c)
                && matches!(at(i + 1), Some('s') | Some('S'))
                && !at(i + 2).is_some_and(is_letterish)
            {
                if let Some(prev) = out.last_mut() {
                    if prev.word {
                        prev.possessive = true;
                    }
                }
                i += 2;
                continue;
            }
            let s = off(i);
            let e = off(i + 1);
            out.push(Tok {
                start: base + s,
                end: base + e,
                text: &text[s..e],
                word: false,
                cap: false,
                allcaps: false,
                possessive: false,
            });
            i += 1;
            continue;
        }
        // A word: letters/digits, with inner hyphens, apostrophes, '&' and acronym dots.
        let s = i;
        let mut j = i + 1;
        let mut seg = 1usize; // letters since the start or the last acronym dot
        loop {
            match at(j) {
                Some(d) if is_letterish(d) => {
                    j += 1;
                    seg += 1;
                }
                Some(d)
                    if (is_hyphen(d) || is_apostrophe(d) || d == '&')
                        && at(j + 1).is_some_and(is_letterish) =>
                {
                    // a possessive 's ends the word
                    if is_apostrophe(d)
                        && matches!(at(j + 1), Some('s') | Some('S'))
                        && !at(j + 2).is_some_and(is_letterish)
                    {
                        break;
                    }
                    j += 2;
                    seg = 1;
                }
                // "U.S." : single letters separated by dots
                Some('.')
                    if seg == 1
                        && at(j + 1).is_some_and(char::is_alphabetic)
                        && !at(j + 2).is_some_and(is_letterish) =>
                {
                    j += 2;
                    seg = 1;
                }
                _ => break,
            }
        }
        // trailing dot of a dotted acronym or abbreviation
        let word_text = &text[off(s)..off(j)];
        let mut end = j;
        if at(j) == Some('.') {
            let lc = word_text.to_lowercase();
            // a middle initial: "George W. Bush"
            let initial = j == s + 1
                && word_text.chars().all(char::is_uppercase)
                && at(j + 1) == Some(' ')
                && at(j + 2).is_some_and(char::is_uppercase);
            if word_text.contains('.') || ABBREV.contains(&lc.as_str()) || initial {
                end = j + 1;
            }
        }
        let mut possessive = false;
        let mut next = end;
        if at(end).is_some_and(is_apostrophe)
            && matches!(at(end + 1), Some('s') | Some('S'))
            && !at(end + 2).is_some_and(is_letterish)
        {
            possessive = true;
            next = end + 2;
        }
        let (ws, we) = trim_hyphens(text, off(s), off(end));
        let t = &text[ws..we];
        out.push(make_word(t, base + ws, base + we, possessive));
        i = next;
    }
    out
}

/// Cuts a lower-case hyphen tail ("NATO-led") or a lower-case prefix ("then-Secretary").
fn trim_hyphens(text: &str, s: usize, e: usize) -> (usize, usize) {
    let w = &text[s..e];
    let parts: Vec<(usize, &str)> = split_hyphens(w);
    if parts.len() < 2 {
        return (s, e);
    }
    let first_cap = |p: &str| p.chars().next().is_some_and(char::is_uppercase);
    let (mut a, mut b) = (0usize, parts.len());
    // prefix: lower-case, not a particle, followed by a capital
    let prefix = PREFIXES.contains(&parts[0].1.to_lowercase().as_str()) && first_cap(parts[1].1);
    if prefix
        || !first_cap(parts[0].1)
            && !PARTICLES.contains(&parts[0].1)
            && first_cap(parts[1].1)
            && parts[0].1.chars().all(char::is_lowercase)
    {
        a = 1;
    }
    // tail: once a capitalised word is followed by a lower-case part, cut from there
    // ("NATO-led", "U.S.-based"), unless the earlier part was a particle.
    for k in (a + 1)..parts.len() {
        let prev_particle = PARTICLES.contains(&parts[k - 1].1);
        if !first_cap(parts[k].1) && !prev_particle && first_cap(parts[a].1) {
            b = k;
            break;
        }
    }
    let start = s + parts[a].0;
    let last = parts[b - 1];
    let end = s + last.0 + last.1.len();
    (start, end)
}

fn split_hyphens(w: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut st = 0;
    for (i, c) in w.char_indices() {
        if is_hyphen(c) {
            out.push((st, &w[st..i]));
            st = i + c.len_utf8();
        }
    }
    out.push((st, &w[st..]));
    out
}

fn make_word(t: &str, start: usize, end: usize, possessive: bool) -> Tok<'_> {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let first = t.chars().next();
    let mut cap = first.is_some_and(char::is_uppercase);
    if !cap {
        // "al-Masri", "bin-Salman": a particle and a capital
        let parts = split_hyphens(t);
        if parts.len() >= 2
            && PARTICLES.contains(&parts[0].1)
            && parts[1].1.chars().next().is_some_and(char::is_uppercase)
        {
            cap = true;
        }
    }
    // "Pre" of "Pre-orders", "Anti" of "Anti-war": a prefix left alone is no name
    if PREFIXES.contains(&t.to_lowercase().as_str()) {
        cap = false;
    }
    let allcaps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    Tok {
        start,
        end,
        text: t,
        word: true,
        cap,
        allcaps,
        possessive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s, 0).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn dotted_and_possessive() {
        assert_eq!(
            texts("The U.S. and Acme Inc. met Ruritania's envoy."),
            [
                "The",
                "U.S.",
                "and",
                "Acme",
                "Inc.",
                "met",
                "Ruritania",
                "envoy",
                "."
            ]
        );
        let t = tokenize("Ruritania’s", 0);
        assert!(t[0].possessive);
        assert_eq!(t[0].text, "Ruritania");
    }

    #[test]
    fn hyphens() {
        assert_eq!(texts("a WXYZ-led force"), ["a", "WXYZ", "force"]);
        assert_eq!(texts("then-Senator Quill"), ["Senator", "Quill"]);
        assert_eq!(texts("al-Dabbar said"), ["al-Dabbar", "said"]);
        assert!(tokenize("al-Dabbar", 0)[0].cap);
        assert_eq!(texts("Anna-Lise O'Brannagh"), ["Anna-Lise", "O'Brannagh"]);
    }

    #[test]
    fn split_possessive_token() {
        let t = tokenize("Borduria 's army", 0);
        assert_eq!(t[0].text, "Borduria");
        assert!(t[0].possessive);
        assert_eq!(t[1].text, "army");
    }

    #[test]
    fn offsets_are_absolute() {
        let t = tokenize("Zed Q", 10);
        assert_eq!((t[1].start, t[1].end), (14, 15));
    }
}
