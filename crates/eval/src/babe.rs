//! Reader for BABE (Spinde et al., Findings of EMNLP 2021, "Neural Media Bias Detection Using
//! Distant Supervision With BABE"): one CSV file, semicolon-separated, fields quoted with `"`
//! (a `""` inside a quoted field is one quote; a quoted field may span lines), with the header
//! `text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words`. `label_bias` is
//! `Biased`, `Non-biased` or `No agreement`; `biased_words` is a Python-style list of strings
//! (`['bizarre', "don't"]`, possibly `[]`).
//!
//! Columns are found by their header names, so a reordered file reads the same; `text`,
//! `label_bias` and `biased_words` are required, the others may be missing.
//!
//! A malformed row (wrong number of fields, an unknown label, a broken word list, bytes that
//! are not UTF-8, a quote left open) is one [`RowError`] naming its line; reading goes on with
//! the next line, so one bad row loses nothing else.

use crate::EvalError;
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read (the dev set is 0.7 MB).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The sentence-level label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Biased,
    NonBiased,
    /// The annotators did not agree: scored by neither sentence-level class.
    NoAgreement,
}

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Physical line (from 1) where the record starts.
    pub line: usize,
    pub text: String,
    pub outlet: String,
    pub topic: String,
    pub label: Label,
    /// The words that make the sentence biased, as annotated (lower-case as a rule).
    pub biased_words: Vec<String>,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Physical line (from 1) where the record starts.
    pub line: usize,
    pub message: String,
}

/// What one file holds: the rows read and the rows refused, both in file order.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
}

/// The CSV file of a BABE path: the path itself when it is a file, else the one `.csv` file in
/// the folder whose first line is a BABE header.
pub fn find(path: &Path) -> Result<PathBuf, EvalError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    let mut found = Vec::new();
    for f in crate::files_under(path, &["csv"])? {
        if has_header(&f) {
            found.push(f);
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(EvalError::Empty(path.display().to_string())),
        _ => Err(EvalError::data(
            path,
            format!(
                "{} BABE files found; name one: {}",
                found.len(),
                found
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The file at `path` starts with a header naming BABE's required columns.
pub fn has_header(path: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if f.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    Header::parse(&records(first).next().map(|r| r.fields).unwrap_or_default()).is_ok()
}

/// Reads and parses one BABE file. Every malformed row is reported: the result is an error
/// naming the file and the line of the first bad row (and how many there are), so no score is
/// computed on silently thinned data.
pub fn read(path: &Path) -> Result<Vec<Row>, EvalError> {
    let size = std::fs::metadata(path)
        .map_err(|e| EvalError::data(path, e))?
        .len();
    if size > MAX_BYTES {
        return Err(EvalError::data(
            path,
            format!("{size} bytes is over the {MAX_BYTES}-byte limit for a BABE file"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| EvalError::data(path, e))?;
    let parsed = parse(&bytes).map_err(|e| EvalError::data(path, e))?;
    if let Some(first) = parsed.errors.first() {
        let more = match parsed.errors.len() {
            1 => String::new(),
            n => format!(" (and {} more malformed rows)", n - 1),
        };
        return Err(EvalError::Data {
            path: format!("{}:{}", path.display(), first.line),
            message: format!("{}{more}", first.message),
        });
    }
    Ok(parsed.rows)
}

/// Column positions, from the header.
#[derive(Debug, Clone, Copy)]
struct Header {
    width: usize,
    text: usize,
    label: usize,
    words: usize,
    outlet: Option<usize>,
    topic: Option<usize>,
}

impl Header {
    fn parse(fields: &[Vec<u8>]) -> Result<Header, String> {
        let names: Vec<String> = fields
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let at = |n: &str| names.iter().position(|x| x == n);
        let need = |n: &str| at(n).ok_or_else(|| format!("no `{n}` column in the header"));
        Ok(Header {
            width: names.len(),
            text: need("text")?,
            label: need("label_bias")?,
            words: need("biased_words")?,
            outlet: at("outlet"),
            topic: at("topic"),
        })
    }
}

/// Parses a whole file's bytes. `Err` only when there is no usable header (an empty or
/// headerless file); row problems are collected in [`Parsed::errors`].
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let mut recs = records(bytes);
    let header = loop {
        match recs.next() {
            None => return Err("empty file: no header line".into()),
            Some(r) if r.blank() => continue,
            Some(r) if r.open => {
                return Err(format!("line {}: header has an unclosed quote", r.line))
            }
            Some(r) => {
                break Header::parse(&r.fields).map_err(|e| format!("line {}: {e}", r.line))?
            }
        }
    };
    let mut out = Parsed::default();
    for r in recs {
        if r.blank() {
            continue;
        }
        match row(&header, &r) {
            Ok(row) => out.rows.push(row),
            Err(message) => out.errors.push(RowError {
                line: r.line,
                message,
            }),
        }
    }
    Ok(out)
}

fn row(h: &Header, r: &Record) -> Result<Row, String> {
    if r.open {
        return Err("a quoted field is never closed".into());
    }
    if r.fields.len() != h.width {
        return Err(format!(
            "{} fields where the header has {}",
            r.fields.len(),
            h.width
        ));
    }
    let field = |k: usize| -> Result<String, String> {
        let b = r.fields.get(k).map(Vec::as_slice).unwrap_or(&[]);
        String::from_utf8(b.to_vec()).map_err(|e| {
            format!(
                "field {} is not UTF-8 (invalid byte at {})",
                k + 1,
                e.utf8_error().valid_up_to()
            )
        })
    };
    let text = field(h.text)?;
    if text.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let label = match field(h.label)?.trim() {
        "Biased" => Label::Biased,
        "Non-biased" => Label::NonBiased,
        "No agreement" => Label::NoAgreement,
        other => return Err(format!("unknown label_bias {other:?}")),
    };
    let biased_words = word_list(&field(h.words)?).map_err(|e| format!("biased_words: {e}"))?;
    let opt = |k: Option<usize>| k.map(field).transpose().map(Option::unwrap_or_default);
    Ok(Row {
        line: r.line,
        text,
        outlet: opt(h.outlet)?,
        topic: opt(h.topic)?,
        label,
        biased_words,
    })
}

/// Parses a Python-style list of string literals: `[]`, `['a', "b's", 'c\'d']`.
pub fn word_list(s: &str) -> Result<Vec<String>, String> {
    let s = s.trim();
    let inner = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .ok_or_else(|| format!("not a [...] list: {}", preview(s)))?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(q) = chars.next() else {
            return Ok(out);
        };
        if q != '\'' && q != '"' {
            return Err(format!("expected a quoted word, found {q:?}"));
        }
        let mut w = String::new();
        let mut closed = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e) => w.push(e),
                    None => break,
                },
                c if c == q => {
                    closed = true;
                    break;
                }
                c => w.push(c),
            }
        }
        if !closed {
            return Err(format!("unclosed word {}", preview(&w)));
        }
        out.push(w);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Ok(out),
            Some(',') => {}
            Some(c) => return Err(format!("expected ',' after a word, found {c:?}")),
        }
    }
}

fn preview(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// One CSV record: its fields (raw bytes, quotes removed), the physical line it starts on, and
/// whether it ended inside an open quote.
#[derive(Debug)]
struct Record {
    line: usize,
    fields: Vec<Vec<u8>>,
    open: bool,
}

impl Record {
    fn blank(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].iter().all(|b| b.is_ascii_whitespace())
    }
}

/// The records of `bytes`, in order. A quoted field may run over line ends; when such a record
/// is left open at the end of the file or has another field count than the header, the quote
/// is taken for a stray one: that line alone is returned (marked open, so it is reported) and
/// reading resumes on the next line, so an unbalanced quote swallows no later row.
fn records(bytes: &[u8]) -> Records<'_> {
    Records {
        bytes,
        at: 0,
        line: 1,
        width: None,
    }
}

struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    /// Field count of the first record (the header): a multi-line record with another count
    /// is taken for a stray quote and re-read line by line.
    width: Option<usize>,
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let (rec, end, lines) = read_record(self.bytes, self.at, self.line);
        let spans_lines = lines > 0;
        let suspicious =
            spans_lines && (rec.open || self.width.is_some_and(|w| rec.fields.len() != w));
        if suspicious {
            // A stray quote: report this line alone and resume on the next one.
            let next = memchr_newline(self.bytes, self.at).map_or(self.bytes.len(), |i| i + 1);
            let (mut one, _, _) = read_record(&self.bytes[..next], self.at, self.line);
            one.open = true;
            self.at = next;
            self.line += 1;
            return Some(one);
        }
        if !rec.blank() {
            self.width.get_or_insert(rec.fields.len());
        }
        self.at = end;
        self.line += lines + 1;
        Some(rec)
    }
}

fn memchr_newline(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| from + i)
}

/// Reads one record from `at`: returns it, the offset after its line end, and how many line
/// ends inside quotes it crossed.
fn read_record(bytes: &[u8], mut at: usize, line: usize) -> (Record, usize, usize) {
    let mut fields = Vec::new();
    let mut cur = Vec::new();
    let mut quoted = false;
    let mut field_start = true;
    let mut inner_lines = 0;
    while at < bytes.len() {
        let b = bytes[at];
        at += 1;
        if quoted {
            match b {
                b'"' if bytes.get(at) == Some(&b'"') => {
                    cur.push(b'"');
                    at += 1;
                }
                b'"' => quoted = false,
                b'\n' => {
                    inner_lines += 1;
                    cur.push(b);
                }
                _ => cur.push(b),
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                field_start = false;
            }
            b';' => {
                fields.push(std::mem::take(&mut cur));
                field_start = true;
            }
            b'\n' => {
                if cur.last() == Some(&b'\r') {
                    cur.pop();
                }
                fields.push(cur);
                return (
                    Record {
                        line,
                        fields,
                        open: false,
                    },
                    at,
                    inner_lines,
                );
            }
            _ => {
                cur.push(b);
                field_start = false;
            }
        }
    }
    if cur.last() == Some(&b'\r') && !quoted {
        cur.pop();
    }
    fields.push(cur);
    (
        Record {
            line,
            fields,
            open: quoted,
        },
        at,
        inner_lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEAD: &str = "text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words\n";

    fn ok(s: &str) -> Parsed {
        parse(s.as_bytes()).expect("header")
    }

    #[test]
    fn reads_rows_with_quotes_and_lists() {
        let p = ok(&format!(
            "{HEAD}\"\"\"Big\"\" plan; a bizarre idea.\";http://x;Outlet A;taxes;left;Biased;Opinion;['bizarre', \"don't\"]\r\n\
             Plain sentence.;http://y;Outlet B;sport;;Non-biased;Entirely factual;[]\r\n"
        ));
        assert_eq!(p.errors, []);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].text, "\"Big\" plan; a bizarre idea.");
        assert_eq!(p.rows[0].biased_words, ["bizarre", "don't"]);
        assert_eq!(p.rows[0].label, Label::Biased);
        assert_eq!(p.rows[0].topic, "taxes");
        assert_eq!(p.rows[1].line, 3);
        assert_eq!(p.rows[1].label, Label::NonBiased);
        assert!(p.rows[1].biased_words.is_empty());
    }

    #[test]
    fn quoted_field_may_span_lines() {
        let p = ok(&format!(
            "{HEAD}\"One\nTwo\";l;o;t;;Biased;x;['two']\nThree;l;o;t;;Non-biased;x;[]\n"
        ));
        assert_eq!(p.errors, []);
        assert_eq!(p.rows[0].text, "One\nTwo");
        assert_eq!(p.rows[1].line, 4);
    }

    #[test]
    fn bad_rows_name_their_line_and_lose_nothing_else() {
        let p = ok(&format!(
            "{HEAD}Good one.;l;o;t;;Biased;x;['one']\n\
             Too few;fields\n\
             Bad label.;l;o;t;;Maybe;x;[]\n\
             \"Stray quote;l;o;t;;Biased;x;[]\n\
             Bad list.;l;o;t;;Biased;x;['open]\n\
             Good two.;l;o;t;;Non-biased;x;[]\n"
        ));
        let texts: Vec<&str> = p.rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Good one.", "Good two."]);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(p.errors[1].message.contains("Maybe"), "{:?}", p.errors[1]);
    }

    #[test]
    fn columns_found_by_name() {
        let p = ok("biased_words;label_bias;text\n['x'];Biased;An x here.\n");
        assert_eq!(p.errors, []);
        assert_eq!(p.rows[0].text, "An x here.");
        assert_eq!(p.rows[0].biased_words, ["x"]);
        assert_eq!(p.rows[0].topic, "");
    }

    #[test]
    fn headerless_and_empty_files_are_errors() {
        assert!(parse(b"").is_err());
        assert!(parse(b"a;b;c\n1;2;3\n").is_err());
    }

    #[test]
    fn non_utf8_row_is_one_error() {
        let mut b = HEAD.as_bytes().to_vec();
        b.extend_from_slice(b"Caf\xe9 news.;l;o;t;;Biased;x;[]\nFine.;l;o;t;;Biased;x;[]\n");
        let p = parse(&b).expect("header");
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 2);
        assert!(p.errors[0].message.contains("UTF-8"));
    }

    #[test]
    fn word_lists() {
        assert_eq!(word_list("[]"), Ok(vec![]));
        assert_eq!(
            word_list(r#"['a', "b's", 'c\'d']"#),
            Ok(vec!["a".into(), "b's".into(), "c'd".into()])
        );
        assert!(word_list("['a' 'b']").is_err());
        assert!(word_list("a, b").is_err());
        assert!(word_list("['a'").is_err());
    }

    fn good_row(k: usize) -> String {
        format!("Sentence {k}; \"\"quoted\"\".;l;o;t;;Biased;x;['w{k}']\n")
            .replacen("Sentence", "\"Sentence", 1)
            .replacen(".;l", ".\";l", 1)
    }

    proptest! {
        #[test]
        fn never_panics_on_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&b);
            let mut with_head = HEAD.as_bytes().to_vec();
            with_head.extend_from_slice(&b);
            let p = parse(&with_head).expect("header present");
            for e in &p.errors {
                prop_assert!(e.line >= 2);
            }
        }

        #[test]
        fn a_bad_row_loses_nothing_else(
            junk in "[^\n]{0,80}",
            before in 0usize..5,
            after in 0usize..5,
        ) {
            let mut s = HEAD.to_string();
            for k in 0..before {
                s.push_str(&good_row(k));
            }
            s.push_str(&junk);
            s.push('\n');
            for k in 0..after {
                s.push_str(&good_row(100 + k));
            }
            let p = parse(s.as_bytes()).expect("header");
            // Every good row survives, whatever the junk line holds (it may itself be a row).
            for k in (0..before).chain(100..100 + after) {
                let w = format!("w{k}");
                prop_assert!(p.rows.iter().any(|r| r.biased_words == [w.clone()]), "lost {}", w);
            }
            prop_assert!(p.rows.len() + p.errors.len() >= before + after);
        }

        #[test]
        fn truncated_files_keep_complete_rows(cut in 0usize..400) {
            let mut s = HEAD.to_string();
            for k in 0..6 {
                s.push_str(&good_row(k));
            }
            let cut = (HEAD.len() + cut).min(s.len());
            let p = parse(&s.as_bytes()[..cut]).expect("header");
            let complete = s[HEAD.len()..cut].matches('\n').count();
            prop_assert!(p.rows.len() >= complete);
            prop_assert!(p.rows.len() <= complete + 1);
        }

        #[test]
        fn huge_fields_are_read_whole(n in 1usize..200_000) {
            let text = "x".repeat(n);
            let s = format!("{HEAD}{text};l;o;t;;Biased;x;[]\n");
            let p = parse(s.as_bytes()).expect("header");
            prop_assert_eq!(p.rows.len(), 1);
            prop_assert_eq!(p.rows[0].text.len(), n);
        }
    }
}
