//! A small tokenizer for the time grammar: words, numbers and single punctuation marks, with
//! byte offsets into the text.
//!
//! Runs of letters and digits form one token ("2nd", "1990s"); a digit group with inner commas
//! or a decimal point stays one number ("3,200", "2.5"); single letters joined by periods stay
//! one token ("p.m.", "U.S."). Everything else that is not white space is a one-char token, so
//! "May 14, 2009" and the space-joined "May 14 , 2009" give the same token sequence.

#[derive(Debug, Clone, PartialEq)]
pub struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// Lower-cased text with typographic apostrophes folded to `'`.
    pub low: String,
    /// Integer value of an all-digit token (no commas), when it fits.
    pub int: Option<u32>,
    /// Number of digits of an all-digit token.
    pub digits: usize,
    /// True when white space precedes the token (or it starts the text).
    pub space_before: bool,
}

impl Tok<'_> {
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphabetic)
    }

    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Tokenizes `text[start..end]` (offsets stay relative to `text`). Work is linear in the span.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let Some(slice) = text.get(start..end) else {
        return out;
    };
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map(|x| x.1);
    let off = |k: usize| chars.get(k).map_or(slice.len(), |x| x.0);
    let mut i = 0;
    let mut space = true;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if c.is_alphanumeric() {
            // Whether the token so far is digits with inner separators only.
            let mut numeric = c.is_ascii_digit();
            while j < n {
                let d = chars[j].1;
                if d.is_alphanumeric() {
                    numeric &= d.is_ascii_digit();
                    j += 1;
                } else if (d == ',' || d == '.')
                    && numeric
                    && at(j + 1).is_some_and(|q| q.is_ascii_digit())
                {
                    j += 2;
                } else {
                    break;
                }
            }
            // Dotted single letters: "p.m.", "a.m.", "U.S."
            if j == i + 1 && c.is_alphabetic() && at(j) == Some('.') {
                let mut k = j;
                while at(k) == Some('.')
                    && at(k + 1).is_some_and(char::is_alphabetic)
                    && !at(k + 2).is_some_and(char::is_alphanumeric)
                {
                    k += 2;
                }
                if k > j && at(k) == Some('.') {
                    j = k + 1;
                }
            }
        }
        let (s, e) = (off(i), off(j));
        let t = &slice[s..e];
        let all_digits = t.bytes().all(|b| b.is_ascii_digit());
        let low = crate::text::fold(t);
        out.push(Tok {
            start: start + s,
            end: start + e,
            text: t,
            low,
            int: if all_digits && t.len() <= 9 {
                t.parse().ok()
            } else {
                None
            },
            digits: if all_digits { t.len() } else { 0 },
            space_before: space,
        });
        space = false;
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s, 0, s.len())
            .into_iter()
            .map(|t| t.text.to_string())
            .collect()
    }

    #[test]
    fn splits_dates_and_numbers() {
        assert_eq!(texts("May 14, 2009"), ["May", "14", ",", "2009"]);
        assert_eq!(
            texts("3,200 cars at 2.5%"),
            ["3,200", "cars", "at", "2.5", "%"]
        );
        assert_eq!(
            texts("6:40 p.m. on the 2nd"),
            ["6", ":", "40", "p.m.", "on", "the", "2nd"]
        );
        assert_eq!(texts("2025-02-10"), ["2025", "-", "02", "-", "10"]);
        assert_eq!(texts("Feb. 10"), ["Feb", ".", "10"]);
    }

    #[test]
    fn offsets_are_relative_to_text() {
        let s = "ab Ünïcode 12";
        let t = tokenize(s, 3, s.len());
        assert_eq!(&s[t[0].start..t[0].end], "Ünïcode");
        assert_eq!(t[1].int, Some(12));
    }
}
