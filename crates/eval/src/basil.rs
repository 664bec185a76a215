//! Reader for BASIL (Fan et al., EMNLP 2019, "In Plain Sight: Media Bias Through the Lens of
//! Factual Reporting"): `articles/<year>/<uuid>_<n>.json` with `title` and `body-paragraphs`
//! (paragraphs of sentences), and `annotations/<year>/<uuid>_<n>_ann.json` with
//! `phrase-level-annotations`. An annotation `id` `p<k>` is the k-th sentence of the flattened
//! body (from 0) or `title`; `start`/`end` are CHARACTER offsets in that sentence (checked on
//! the dev set: they agree with `txt` as char offsets, not as byte offsets).
//!
//! Self-contained on purpose: the stories task reads the same files with its own reader.

use crate::EvalError;
use serde::Deserialize;
use std::path::Path;

/// One phrase-level annotation, offsets converted to bytes in its sentence.
#[derive(Debug, Clone)]
pub struct Span {
    /// Body sentence index; `None` for the title.
    pub sentence: Option<usize>,
    /// Byte offsets into that sentence.
    pub start: usize,
    pub end: usize,
    /// `bias: lex` (lexical) rather than `inf` (informational).
    pub lex: bool,
    /// The span is (part of) a quote.
    pub quote: bool,
    /// Gold speaker as annotated ("Michael_Steele", "other_anti", or empty).
    pub speaker: String,
}

/// One annotated article.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub sentences: Vec<String>,
    /// Number of sentences in each body paragraph (quotes may run over a paragraph's sentences).
    pub paragraph_sizes: Vec<usize>,
    pub spans: Vec<Span>,
}

#[derive(Deserialize)]
struct RawArticle {
    #[serde(default)]
    title: String,
    #[serde(rename = "body-paragraphs", default)]
    body: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct RawAnnotations {
    #[serde(rename = "phrase-level-annotations", default)]
    phrases: Vec<RawSpan>,
}

#[derive(Deserialize)]
struct RawSpan {
    id: String,
    start: usize,
    end: usize,
    #[serde(default)]
    bias: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    speaker: String,
}

/// Reads every article of `dir` (the folder holding `articles/` and `annotations/`) that has an
/// annotation file, in path order.
pub fn read(dir: &Path) -> Result<Vec<Article>, EvalError> {
    let articles = dir.join("articles");
    let annotations = dir.join("annotations");
    let files = crate::files_under(&articles, &["json"])?;
    let mut out = Vec::new();
    for f in files {
        let Ok(rel) = f.strip_prefix(&articles) else {
            continue;
        };
        let Some(stem) = f.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let ann_path = annotations
            .join(rel.parent().unwrap_or(Path::new("")))
            .join(format!("{stem}_ann.json"));
        if !ann_path.exists() {
            continue;
        }
        let raw: RawArticle = parse(&f)?;
        let ann: RawAnnotations = parse(&ann_path)?;
        let paragraph_sizes: Vec<usize> = raw.body.iter().map(Vec::len).collect();
        let sentences: Vec<String> = raw.body.into_iter().flatten().collect();
        let mut spans = Vec::new();
        for p in ann.phrases {
            let sentence = if p.id == "title" {
                None
            } else {
                let k =
                    p.id.strip_prefix('p')
                        .and_then(|k| k.parse::<usize>().ok())
                        .ok_or_else(|| EvalError::data(&ann_path, format!("bad id {}", p.id)))?;
                Some(k)
            };
            let text = match sentence {
                None => raw.title.as_str(),
                Some(k) => sentences.get(k).map(String::as_str).ok_or_else(|| {
                    EvalError::data(&ann_path, format!("sentence {k} out of range"))
                })?,
            };
            let (Some(start), Some(end)) = (char_to_byte(text, p.start), char_to_byte(text, p.end))
            else {
                return Err(EvalError::data(
                    &ann_path,
                    format!("offsets out of range in {}", p.id),
                ));
            };
            spans.push(Span {
                sentence,
                start: start.min(end),
                end,
                lex: p.bias == "lex",
                quote: p.quote == "yes",
                speaker: p.speaker,
            });
        }
        out.push(Article {
            id: stem,
            title: raw.title,
            sentences,
            paragraph_sizes,
            spans,
        });
    }
    Ok(out)
}

fn parse<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, EvalError> {
    let s = crate::read::text(path)?;
    serde_json::from_str(&s).map_err(|e| EvalError::data(path, e))
}

/// Byte offset of the `n`-th char (n == char count gives the length).
pub fn char_to_byte(s: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .nth(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_to_bytes() {
        let s = "“Hi” é";
        assert_eq!(char_to_byte(s, 0), Some(0));
        assert_eq!(char_to_byte(s, 1), Some(3));
        assert_eq!(char_to_byte(s, 6), Some(s.len()));
        assert_eq!(char_to_byte(s, 7), None);
    }

    #[test]
    fn reads_a_tiny_corpus() {
        let dir = std::env::temp_dir().join(format!("basil-test-{}", std::process::id()));
        let a = dir.join("articles/2099");
        let n = dir.join("annotations/2099");
        std::fs::create_dir_all(&a).expect("tmp dir");
        std::fs::create_dir_all(&n).expect("tmp dir");
        std::fs::write(
            a.join("x_1.json"),
            r#"{"title":"T","body-paragraphs":[["“Oh” the brutal plan."],["Second."]]}"#,
        )
        .expect("write");
        std::fs::write(
            n.join("x_1_ann.json"),
            r#"{"phrase-level-annotations":[{"id":"p0","start":9,"end":15,"bias":"lex","quote":"no","speaker":""}]}"#,
        )
        .expect("write");
        let arts = read(&dir).expect("reads");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(arts.len(), 1);
        let s = &arts[0].spans[0];
        assert_eq!(&arts[0].sentences[0][s.start..s.end], "brutal");
        assert!(s.lex);
    }
}
