//! Small text utilities shared by the stages: word iteration, safe truncation, char classes.

/// Iterates the `\w+` words of `s` with their byte offsets (letters, digits, `_`, and the
/// apostrophes inside a word such as "Libya's" or "don’t").
pub fn words(s: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut iter = s.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(i, c)) = iter.peek() {
            if is_word_char(c) {
                let start = i;
                let mut end = i + c.len_utf8();
                iter.next();
                while let Some(&(j, d)) = iter.peek() {
                    if is_word_char(d) {
                        end = j + d.len_utf8();
                        iter.next();
                    } else if is_apostrophe(d) {
                        // Keep an apostrophe only when a word character follows it.
                        let mut look = iter.clone();
                        look.next();
                        match look.peek() {
                            Some(&(_, e)) if is_word_char(e) => {
                                iter.next();
                            }
                            _ => break,
                        }
                    } else {
                        break;
                    }
                }
                return Some((start, &s[start..end]));
            }
            iter.next();
        }
        None
    })
}

/// Number of words as [`words`] counts them, without building the words (a hot path: every
/// stage's per-1000-words rates and the benchmarks count words).
pub fn word_count(s: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    // An apostrophe right after a word character may continue the word ("don't").
    let mut apostrophe_in_word = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                if !in_word && !apostrophe_in_word {
                    count += 1;
                }
                in_word = true;
                apostrophe_in_word = false;
            } else {
                apostrophe_in_word = b == b'\'' && in_word;
                in_word = false;
            }
        }
        return count;
    }
    for c in s.chars() {
        if is_word_char(c) {
            if !in_word && !apostrophe_in_word {
                count += 1;
            }
            in_word = true;
            apostrophe_in_word = false;
        } else {
            apostrophe_in_word = is_apostrophe(c) && in_word;
            in_word = false;
        }
    }
    count
}

/// English month names, lower case, January first (shared by date-line parsing and alignment).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// English weekday names, lower case, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Opening or closing quotation marks, straight or typographic.
pub fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '‘' | '’' | '\'' | '‹' | '›'
    )
}

/// At most `max` characters of `s`, cut on a char boundary, with an ellipsis when cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
    }
}

/// Collapses runs of white space (including newlines) into single spaces and trims.
pub fn squash_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `s` safe to print on a terminal on one line: control characters (C0 including newlines,
/// DEL, C1: ESC, BEL, CSI, ...) and bidirectional overrides are written as escapes (`\n`,
/// `\u{1b}`), so no title, name or file name can move the cursor, retitle or clear the
/// terminal, forge a line of output or reorder what is shown. Tabs are kept.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(s, false)
}

/// [`inert`] for multi-line text: newlines are kept, every other control is escaped.
pub fn inert_lines(s: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(s, true)
}

fn needs_escape(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

fn escape_controls(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newlines)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' if !keep_newlines => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c, keep_newlines) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Lower-cases and folds typographic apostrophes to `'`, for dictionary look-ups.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes() {
        let w: Vec<&str> = words("Libya’s oil, don't 'quote' 2025")
            .map(|x| x.1)
            .collect();
        assert_eq!(w, ["Libya’s", "oil", "don't", "quote", "2025"]);
    }

    proptest::proptest! {
        #[test]
        fn word_count_agrees_with_words(s in "[a-zé' ’_.,0-9]{0,60}") {
            proptest::prop_assert_eq!(word_count(&s), words(&s).count());
        }
    }

    #[test]
    fn inert_escapes_terminal_controls() {
        assert_eq!(inert("plain “text”\tok"), "plain “text”\tok");
        assert_eq!(
            inert("a\u{1b}]0;owned\u{7}b\nc\u{9b}2J\u{202e}d"),
            "a\\u{1b}]0;owned\\u{7}b\\nc\\u{9b}2J\\u{202e}d"
        );
        assert_eq!(inert_lines("one\ntwo\u{1b}[2J"), "one\ntwo\\u{1b}[2J");
    }

    proptest::proptest! {
        #[test]
        fn inert_output_has_no_controls(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}a-z]{0,40}") {
            proptest::prop_assert!(!inert(&s).chars().any(|c| c.is_control() && c != '\t'));
        }
    }

    #[test]
    fn truncate_is_char_safe() {
        assert_eq!(truncate_chars("ééé", 2), "éé…");
        assert_eq!(truncate_chars("ab", 5), "ab");
    }
}
