//! Cleaning: from an [`ArticleInput`] to a segmented [`Document`].
//!
//! Steps, in order: Unicode normalisation (NFC, line endings, invisible characters); Markdown
//! markup stripped; paragraphs rebuilt from lines (hard wraps joined, copy-paste breaks that
//! continue in lower case repaired); header lines read for title, byline and date (plain text
//! only, and only to fill gaps: metadata from a page or a JSON record wins); boilerplate
//! paragraphs removed and kept under `boilerplate`; outlet read from a footer or dateline;
//! sentences segmented with byte offsets into the cleaned text.
//!
//! Never guesses: an author is taken only from a "By …" line or a name line next to a date
//! line; a date only from a line that is wholly a date.

use crate::model::{ArticleInput, Document, InputKind, Limits, Metadata, Paragraph, Sentence};
use crate::segment;
use crate::text::{squash_ws, word_count};
use chrono::NaiveDate;
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

static BOILERPLATE_DATA: &str = include_str!("../data/boilerplate.txt");

/// Cleans and segments one article.
/// A document from plain text with no metadata, as the unit tests of the later stages build
/// their inputs.
#[cfg(test)]
pub(crate) fn test_document(id: &str, text: &str) -> Document {
    clean(ArticleInput {
        id: id.into(),
        source: id.into(),
        kind: crate::model::InputKind::Json,
        body: text.into(),
        hints: crate::model::Metadata::default(),
        boilerplate: vec![],
    })
}

pub fn clean(input: ArticleInput) -> Document {
    let ArticleInput {
        id,
        source,
        kind,
        body,
        hints,
        mut boilerplate,
    } = input;
    let normalized = normalize(&body);
    let stripped = if kind == InputKind::Html {
        normalized
    } else {
        strip_markdown(&normalized)
    };
    let mut meta = hints;
    let body_start = if kind == InputKind::Html {
        0
    } else {
        read_header(&stripped, &mut meta)
    };
    let mut paras = paragraphs(stripped.get(body_start..).unwrap_or(""));
    let removed = remove_boilerplate(&mut paras);
    if meta.outlet.is_none() {
        meta.outlet = outlet_from_footer(&removed).or_else(|| outlet_from_dateline(&paras));
    }
    boilerplate.extend(removed);
    repair_breaks(&mut paras);
    if meta.language.is_none() {
        meta.language = guess_language(&paras);
    }
    assemble(id, source, meta, boilerplate, &paras)
}

/// Builds a document from ready paragraphs (no cleaning): used by [`clean`] and by eval
/// readers that rebuild a text from gold tokens. Paragraphs are joined by a blank line.
pub fn assemble(
    id: String,
    source: String,
    meta: Metadata,
    boilerplate: Vec<String>,
    paras: &[String],
) -> Document {
    let mut text = String::new();
    let mut spans = Vec::new();
    for p in paras {
        if p.trim().is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(p.trim());
        spans.push((start, text.len()));
    }
    let mut n = 0usize;
    let mut limits = Limits::default();
    let paragraphs = spans
        .into_iter()
        .map(|(ps, pe)| Paragraph {
            start: ps,
            end: pe,
            sentences: segment::split_marked(&text, ps, pe)
                .into_iter()
                .map(|(s, e, cut)| {
                    let sent = Sentence::new(format!("{id}:{n}"), text[s..e].to_string(), s, e);
                    if cut {
                        limits.split_sentences.push(sent.id.clone());
                    }
                    n += 1;
                    sent
                })
                .collect(),
        })
        .collect();
    Document {
        word_count: word_count(&text),
        id,
        source,
        title: meta.title.filter(|t| !t.trim().is_empty()),
        author: meta.author.filter(|t| !t.trim().is_empty()),
        published: meta.published.filter(|t| !t.trim().is_empty()),
        outlet: meta.outlet.filter(|t| !t.trim().is_empty()),
        language: meta.language.filter(|t| !t.trim().is_empty()),
        url: meta.url.filter(|t| !t.trim().is_empty()),
        boilerplate,
        text,
        paragraphs,
        framing: None,
        duplicate_of: None,
        limits,
    }
}

/// NFC, `\n` line endings (CR LF and a lone CR, as old Mac files have, become LF), no invisible
/// characters, no-break spaces as spaces, trimmed lines.
pub fn normalize(s: &str) -> String {
    let unified;
    let s = if s.contains('\r') {
        unified = s.replace("\r\n", "\n").replace('\r', "\n");
        unified.as_str()
    } else {
        s
    };
    let clean_char = |c: char| match c {
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}' | '\u{200E}' | '\u{200F}' => None,
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' => Some(' '),
        '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}' => Some('\n'),
        c if c.is_control() && c != '\n' => None,
        c => Some(c),
    };
    // Most news text is already NFC: skip the composition pass when a quick check says so, and
    // skip the character filter for plain printable ASCII.
    let plain = s.bytes().all(|b| (0x20..0x7f).contains(&b) || b == b'\n');
    let mapped: String = if plain {
        s.to_string()
    } else {
        let mut m = String::with_capacity(s.len());
        if unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            m.extend(s.chars().filter_map(clean_char));
        } else {
            m.extend(s.nfc().filter_map(clean_char));
        }
        m
    };
    let mut out = String::with_capacity(mapped.len());
    for (i, line) in mapped.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

/// Removes Markdown markup that is not text: heading marks, emphasis, link targets, images.
fn strip_markdown(s: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    static EMPH: OnceLock<Regex> = OnceLock::new();
    let link =
        LINK.get_or_init(|| Regex::new(r"!?\[([^\]\n]*)\]\([^)\n]*\)").expect("valid regex"));
    let emph = EMPH
        .get_or_init(|| Regex::new(r"(\*\*|__)(\S[^*_\n]*?\S|\S)(\*\*|__)").expect("valid regex"));
    s.lines()
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start();
            let l = link.replace_all(l, "$1");
            emph.replace_all(&l, "$2").into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | '"' | '”' | '’' | ')' | ':' | ';'))
}

/// Rebuilds paragraphs from lines. Blank lines always separate. Inside a block, long lines
/// (over 100 characters) are paragraphs of their own; short lines are hard wraps and are
/// joined, breaking after a line that ends a sentence well short of the wrap width.
fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in s.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let mut cur = String::new();
        for (i, line) in lines.iter().enumerate() {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(line);
            let next_lower = lines
                .get(i + 1)
                .and_then(|n| n.chars().next())
                .is_some_and(char::is_lowercase);
            let len = line.chars().count();
            let breaks = if width > 90 {
                !next_lower
            } else {
                // A short line without final punctuation before a capitalised line is a
                // heading or a name line; a sentence end well short of the width ends a
                // paragraph.
                !next_lower && (ends_sentence(line) || len < 50) && len * 10 < width * 8
            };
            if breaks {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// Joins a paragraph that ends mid-sentence with the next when that one continues in lower
/// case (a copy-paste break: "…presence in Libya's oil" / "sector, often…"). One pass, with
/// word counts carried along, so a long run of broken paragraphs costs linear time.
fn repair_breaks(paras: &mut Vec<String>) {
    let mut out: Vec<String> = Vec::with_capacity(paras.len());
    let mut rest = std::mem::take(paras).into_iter();
    let Some(mut cur) = rest.next() else {
        return;
    };
    let mut cur_words = word_count(&cur);
    let mut cur_has_sentence_end = cur.contains(". ");
    for next in rest {
        let last = cur.trim_end().chars().next_back();
        let ends_open = last.is_some_and(|c| c.is_alphanumeric() || c == ',' || c == '-');
        let next_lower = next.chars().next().is_some_and(char::is_lowercase);
        // A long body paragraph that stops on a bare word is cut mid-sentence even when the
        // next part starts with a capital ("…claimed to liberate" / "Libya from tyranny…").
        let ends_word = last.is_some_and(char::is_lowercase);
        let body_like = cur_words >= 15 && cur_has_sentence_end;
        let next_words = word_count(&next);
        let next_body = next_words >= 8;
        if ends_open && (next_lower || ends_word && body_like && next_body) {
            cur.truncate(cur.trim_end().len());
            cur.push(' ');
            cur.push_str(next.trim_start());
            cur_words += next_words;
            cur_has_sentence_end |= next.contains(". ");
        } else {
            cur_words = next_words;
            cur_has_sentence_end = next.contains(". ");
            out.push(std::mem::replace(&mut cur, next));
        }
    }
    out.push(cur);
    *paras = out;
}

/// Reads title, byline and date from the first lines of a plain-text article and returns the
/// byte offset where the body starts (after the lines it used). Works on raw lines, before
/// paragraphs are built, so short header lines are never joined as hard wraps. A title is
/// taken only when a blank line or a byline/date line follows it, so the first line of a
/// hard-wrapped paragraph is never mistaken for one. Fills only fields that are still unknown.
fn read_header(text: &str, meta: &mut Metadata) -> usize {
    // (byte offset after the line, trimmed line, blank line follows)
    let mut lines: Vec<(usize, &str, bool)> = Vec::new();
    let mut off = 0usize;
    let raw: Vec<&str> = text.split('\n').collect();
    for (i, l) in raw.iter().enumerate() {
        off += l.len() + 1;
        if l.trim().is_empty() {
            continue;
        }
        let blank_after = raw.get(i + 1).is_none_or(|n| n.trim().is_empty());
        lines.push((off.min(text.len()), l.trim(), blank_after));
        if lines.len() == 6 {
            break;
        }
    }
    let is_meta_line = |l: &str| parse_date_line(l).is_some() || byline(l).is_some();
    let mut consumed = 0usize;
    let mut title: Option<String> = None;
    let mut author: Option<String> = None;
    let mut date: Option<NaiveDate> = None;
    for i in 0..lines.len().min(5) {
        let (end, line, blank_after) = lines[i];
        let next = lines.get(i + 1).map(|x| x.1);
        let prev = i.checked_sub(1).map(|p| lines[p].1);
        if let Some(d) = parse_date_line(line) {
            date.get_or_insert(d);
        } else if let Some(a) = byline(line) {
            author.get_or_insert(a);
        } else if looks_like_name(line)
            && (next.is_some_and(|n| parse_date_line(n).is_some())
                || prev.is_some_and(|p| parse_date_line(p).is_some()))
        {
            author.get_or_insert(line.to_string());
        } else if i == 0
            && looks_like_title(line)
            && next.is_some()
            && (blank_after || next.is_some_and(is_meta_line))
        {
            title = Some(line.to_string());
        } else {
            break;
        }
        consumed = end;
    }
    if consumed == 0 {
        return 0;
    }
    if meta.title.is_none() {
        meta.title = title;
    }
    if meta.author.is_none() {
        meta.author = author;
    }
    if meta.published.is_none() {
        meta.published = date.map(|d| d.format("%Y-%m-%d").to_string());
    }
    consumed
}

fn looks_like_title(line: &str) -> bool {
    let words = word_count(line);
    (2..=25).contains(&words)
        && line.chars().count() <= 200
        && !line.ends_with('.')
        && segment::split(line, 0, line.len()).len() == 1
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“')
}

/// A line that is only a person's name: 2-4 capitalised words, letters, hyphens, apostrophes
/// and initials.
fn looks_like_name(line: &str) -> bool {
    let parts: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&parts.len())
        && line.chars().count() <= 50
        && parts.iter().all(|p| {
            let mut cs = p.chars();
            cs.next().is_some_and(char::is_uppercase)
                && cs.all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        })
}

/// "By Jane Doe", "By Jane Doe and John Roe, Reuters" -> the names.
fn byline(line: &str) -> Option<String> {
    static BY: OnceLock<Regex> = OnceLock::new();
    let re = BY.get_or_init(|| {
        Regex::new(r"^(?i:by|written by|words by)\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|&|de|van|von|al|el|bin|da|del|la|le))*)")
            .expect("valid regex")
    });
    if line.chars().count() > 120 {
        return None;
    }
    re.captures(line).map(|c| c[1].trim().to_string())
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    crate::text::MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(&w) && (w.len() == 3 || w == "sept")))
        .map(|p| p as u32 + 1)
}

/// Parses a line that is wholly a date (optionally with a weekday, a time, "Published"/
/// "Updated" and a time zone): `10 February 2025`, `February 10, 2025`, `Feb. 10, 2025`,
/// `2025-02-10`, `Monday 10 February 2025 14:05 GMT`.
pub fn parse_date_line(line: &str) -> Option<NaiveDate> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static DMY: OnceLock<Regex> = OnceLock::new();
    static MDY: OnceLock<Regex> = OnceLock::new();
    if line.chars().count() > 80 {
        return None;
    }
    let iso = ISO.get_or_init(|| {
        Regex::new(r"^(?i:(?:published|updated|posted|date)\s*:?\s*)?(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
            .expect("valid regex")
    });
    let prefix = r"^(?i:(?:published|updated|posted|last updated|date)\s*(?:on)?\s*:?\s*)?(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?";
    let suffix =
        r"(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d{2}(?:\s*(?i:[ap]\.?m\.?))?(?:\s*[A-Z]{2,5})?)?\s*$";
    let dmy = DMY.get_or_init(|| {
        RegexBuilder::new(&format!(
            r"{prefix}(\d{{1,2}})(?:st|nd|rd|th)?\s+([A-Za-z]{{3,9}}\.?),?\s+(\d{{4}}){suffix}"
        ))
        .build()
        .expect("valid regex")
    });
    let mdy = MDY.get_or_init(|| {
        RegexBuilder::new(&format!(
            r"{prefix}([A-Za-z]{{3,9}}\.?)\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){suffix}"
        ))
        .build()
        .expect("valid regex")
    });
    if let Some(c) = iso.captures(line) {
        return NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = dmy.captures(line) {
        return NaiveDate::from_ymd_opt(
            c[3].parse().ok()?,
            month_number(&c[2])?,
            c[1].parse().ok()?,
        );
    }
    if let Some(c) = mdy.captures(line) {
        return NaiveDate::from_ymd_opt(
            c[3].parse().ok()?,
            month_number(&c[1])?,
            c[2].parse().ok()?,
        );
    }
    None
}

struct BoilerplateRules {
    /// Footer patterns: only in the last paragraphs. Includes the `any` patterns.
    tail: RegexSet,
    /// Patterns that mark a short paragraph as boilerplate anywhere.
    any: RegexSet,
}

/// Paragraphs longer than this (in bytes, before squashing white space) are never boilerplate.
const MAX_BOILERPLATE_BYTES: usize = 400;

fn rules() -> &'static BoilerplateRules {
    static RULES: OnceLock<BoilerplateRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut tail = Vec::new();
        let mut any = Vec::new();
        for line in BOILERPLATE_DATA.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((scope, pat)) = line.split_once(':') else {
                continue;
            };
            // ASCII word boundaries keep the set on the fast DFA engines (a Unicode `\b` falls
            // back to the slow NFA on non-ASCII text); the patterns are English keywords.
            let pat = pat.replace("\\b", "(?-u:\\b)");
            // The data file is compiled in and tested; a bad pattern is skipped, not fatal.
            if Regex::new(&pat).is_err() {
                continue;
            }
            match scope {
                "tail" => tail.push(pat),
                "any" => {
                    tail.push(pat.clone());
                    any.push(pat);
                }
                _ => {}
            }
        }
        let build = |pats: &[String]| {
            RegexSetBuilder::new(pats)
                .case_insensitive(true)
                .build()
                .unwrap_or_else(|_| RegexSet::empty())
        };
        BoilerplateRules {
            tail: build(&tail),
            any: build(&any),
        }
    })
}

/// Removes boilerplate paragraphs: a trailing run of footer-like paragraphs (searched in the
/// last five), and anywhere short share/cookie/newsletter lines. Returns the removed text,
/// consecutive trailing paragraphs joined into one string.
fn remove_boilerplate(paras: &mut Vec<String>) -> Vec<String> {
    let r = rules();
    let mut removed = Vec::new();
    // Paragraphs come from `paragraphs`, lines already joined by single spaces, so the
    // patterns can run on them as they are.
    let is_tail = |p: &str| p.len() <= MAX_BOILERPLATE_BYTES && r.tail.is_match(p);
    // Trailing run: walk back from the end while paragraphs are boilerplate; allow a short
    // non-matching fragment inside the run when the run continues after it.
    let mut cut = paras.len();
    let floor = paras.len().saturating_sub(5);
    let mut k = paras.len();
    while k > floor.max(1) {
        k -= 1;
        if is_tail(&paras[k]) {
            cut = k;
        } else if !(k > 0 && is_tail(&paras[k - 1]) && paras[k].chars().count() < 80) {
            break;
        }
    }
    let tail: Vec<String> = paras.drain(cut..).collect();
    let mut kept = Vec::with_capacity(paras.len());
    for p in paras.drain(..) {
        if p.len() <= MAX_BOILERPLATE_BYTES && r.any.is_match(&p) {
            removed.push(squash_ws(&p));
            continue;
        }
        kept.push(p);
    }
    *paras = kept;
    if !tail.is_empty() {
        removed.push(squash_ws(&tail.join(" ")));
    }
    removed
}

/// The outlet named by a footer: an acronym in it that matches the footer's domain
/// ("the ABCN" + "abcn.org" -> "ABCN"), else a "© 2025 Name" holder, else the domain.
fn outlet_from_footer(removed: &[String]) -> Option<String> {
    static DOMAIN: OnceLock<Regex> = OnceLock::new();
    static COPY: OnceLock<Regex> = OnceLock::new();
    let domain = DOMAIN.get_or_init(|| {
        Regex::new(r"(?i)\b(?:https?://)?(?:www\.)?([a-z0-9-]+)\.(?:com|org|net|co\.uk|info|news|de|fr|it)\b").expect("valid regex")
    });
    let copy = COPY.get_or_init(|| {
        Regex::new(r"(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?((?:\p{Lu}[\p{L}&.'-]*\s?){1,5})")
            .expect("valid regex")
    });
    for text in removed {
        if let Some(c) = domain.captures(text) {
            let stem = c[1].to_lowercase();
            let acronym = text.split(|ch: char| !ch.is_alphanumeric()).find(|w| {
                w.len() >= 2 && w.chars().all(|ch| ch.is_uppercase()) && w.to_lowercase() == stem
            });
            return Some(acronym.map(str::to_string).unwrap_or_else(|| {
                c[0].trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_start_matches("www.")
                    .to_string()
            }));
        }
        if let Some(c) = copy.captures(text) {
            return Some(c[1].trim().to_string());
        }
    }
    None
}

/// "LONDON (Reuters) - …" -> "Reuters": a wire service named in the first paragraph's dateline.
fn outlet_from_dateline(paras: &[String]) -> Option<String> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let re = DATELINE.get_or_init(|| {
        Regex::new(r"^\p{Lu}[\p{Lu}\s.,'-]{1,40}(?:,\s*\p{Lu}\w+\.?\s*\d{0,2})?\s*\(([A-Z][A-Za-z]{1,15}(?: [A-Z][a-z]+)?)\)\s*[-—–]")
            .expect("valid regex")
    });
    paras
        .first()
        .and_then(|p| re.captures(p))
        .map(|c| c[1].to_string())
}

/// `en` when English function words make up a plausible share of the text; otherwise unknown.
fn guess_language(paras: &[String]) -> Option<String> {
    const EN: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by",
        "it", "he", "his", "at", "from", "has", "have", "be", "are", "were", "which", "not",
    ];
    let mut total = 0usize;
    let mut hits = 0usize;
    for p in paras.iter().take(20) {
        for (_, w) in crate::text::words(p) {
            total += 1;
            if EN.iter().any(|e| e.eq_ignore_ascii_case(w)) {
                hits += 1;
            }
        }
    }
    (total >= 20 && hits * 100 >= total * 15).then(|| "en".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(body: &str) -> ArticleInput {
        ArticleInput {
            id: "t".into(),
            source: "t.txt".into(),
            kind: InputKind::Text,
            body: body.into(),
            hints: Metadata::default(),
            boilerplate: Vec::new(),
        }
    }

    const BODY: &str = "The minister resigned on Monday after weeks of pressure from the opposition parties in parliament.";

    #[test]
    fn reads_name_and_date_lines() {
        let d = clean(input(&format!("\n\nJane Doe\n10 February 2025\n\n{BODY}")));
        assert_eq!(d.author.as_deref(), Some("Jane Doe"));
        assert_eq!(d.published.as_deref(), Some("2025-02-10"));
        assert_eq!(d.title, None);
        assert!(d.text.starts_with("The minister"));
    }

    #[test]
    fn title_byline_and_date() {
        let d = clean(input(&format!(
            "Minister quits\nBy John Roe and Ann Lee\nFeb. 3, 2024\n\n{BODY}"
        )));
        assert_eq!(d.title.as_deref(), Some("Minister quits"));
        assert_eq!(d.author.as_deref(), Some("John Roe and Ann Lee"));
        assert_eq!(d.published.as_deref(), Some("2024-02-03"));
    }

    #[test]
    fn never_guesses_author_or_date() {
        let d = clean(input(BODY));
        assert_eq!((d.author, d.published, d.title), (None, None, None));
    }

    #[test]
    fn footer_goes_to_boilerplate_with_outlet() {
        let d = clean(input(&format!(
            "{BODY}\n\n\n\nTo contact the ABCN and the\nSome Party visit:\n\nabcn.org/contact"
        )));
        assert_eq!(
            d.boilerplate,
            ["To contact the ABCN and the Some Party visit: abcn.org/contact"]
        );
        assert_eq!(d.outlet.as_deref(), Some("ABCN"));
        assert!(!d.text.contains("contact"));
    }

    #[test]
    fn link_stub_goes_to_boilerplate() {
        let d = clean(input(&format!(
            "{BODY}\nFor more on the crisis, you can read further on the response here."
        )));
        assert_eq!(d.boilerplate.len(), 1);
        assert!(d.boilerplate[0].starts_with("For more on"));
        assert_eq!(d.sentences().count(), 1);
    }

    #[test]
    fn repairs_lowercase_continuation() {
        let d = clean(input(
            "Companies sought to expand their presence in the oil\n\nsector, often forming partnerships with militias.",
        ));
        assert_eq!(d.paragraphs.len(), 1);
        assert_eq!(d.sentences().count(), 1);
    }

    #[test]
    fn repairs_break_before_capitalised_word() {
        let d = clean(input(
            "In the aftermath, the country descended into chaos. Militias fought for power across the country. The forces that claimed to liberate\n\nLibya from tyranny facilitated the rise of new oppressors in the region.",
        ));
        assert_eq!(d.paragraphs.len(), 1);
        assert_eq!(d.sentences().count(), 3);
    }

    #[test]
    fn keeps_headings_apart() {
        let d = clean(input(&format!(
            "Intro sentence here.\n\nA heading about things\n\n{BODY}"
        )));
        assert_eq!(d.paragraphs.len(), 3);
    }

    #[test]
    fn cr_only_line_endings_keep_paragraphs() {
        let d = clean(input(&format!("{BODY}\r\r{BODY}\r\rA third one here.")));
        assert_eq!(d.paragraphs.len(), 3);
        let crlf = clean(input(&format!("{BODY}\r\n\r\n{BODY}")));
        assert_eq!(crlf.paragraphs.len(), 2);
        assert!(!crlf.text.contains('\r'));
    }

    #[test]
    fn long_runs_of_broken_paragraphs_are_joined() {
        let body = "word word word\n\nand more words\n\n".repeat(2000);
        let d = clean(input(&body));
        assert_eq!(d.paragraphs.len(), 1);
    }

    #[test]
    fn joins_hard_wrapped_lines() {
        let d = clean(input(
            "The committee met on Tuesday to discuss the budget, and members\nagreed to delay the vote until the end of the month when more data\nis available. The chair said so.",
        ));
        assert_eq!(d.paragraphs.len(), 1);
        assert_eq!(d.sentences().count(), 2);
    }

    #[test]
    fn sentence_offsets_point_into_text() {
        let d = clean(input(
            "Ünïcode line one. Second “quoted” line.\n\nNew paragraph here.",
        ));
        for s in d.sentences() {
            assert_eq!(&d.text[s.start..s.end], s.text);
        }
        assert_eq!(d.sentences().last().map(|s| s.id.as_str()), Some("t:2"));
    }

    #[test]
    fn date_lines() {
        for (l, want) in [
            ("10 February 2025", "2025-02-10"),
            ("February 10, 2025", "2025-02-10"),
            ("Mon, Feb. 10, 2025 3:45 PM EST", "2025-02-10"),
            ("Published: 2025-02-10T08:00:00Z", "2025-02-10"),
            ("Updated 1st March 2024", "2024-03-01"),
        ] {
            assert_eq!(
                parse_date_line(l).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{l}"
            );
        }
        assert_eq!(
            parse_date_line("The 10 February 2025 meeting was long"),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn clean_never_panics_and_offsets_hold(s in "\\PC{0,400}") {
            let d = clean(input(&s));
            for sent in d.sentences() {
                proptest::prop_assert_eq!(&d.text[sent.start..sent.end], sent.text.as_str());
            }
        }
    }
}
