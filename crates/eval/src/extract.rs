//! `parallax eval extract`: main-text extraction and page metadata.
//!
//! Two layouts are read:
//! - Mozilla Readability test pages: each subfolder of `DIR` with `source.html` and
//!   `expected.html` (the gold main content, as HTML) and optionally `expected-metadata.json`
//!   (`title`, `byline`).
//! - The article-extraction-benchmark layout: `DIR/ground-truth.json` maps a page id to an
//!   object with `articleBody` (and optionally `headline`/`title`, `author`, `url`); the page is
//!   `DIR/html/<id>.html` or `DIR/html/<id>.html.gz`.
//!
//! Text metric (the benchmark's): per page, the text is split into `\w+` tokens (Unicode word
//! characters), lower-cased, and compared as *sets* of word 4-gram shingles. A text of 1-3
//! tokens is one shingle (the whole sequence). Precision = shared / predicted shingles, recall
//! = shared / gold shingles. Conventions: an empty prediction has precision 0 and recall 0; a
//! page whose gold text has no token is left out of the text averages (nothing to find) but
//! still counts for title/author. `precision` and `recall` are macro averages over pages and
//! `f1` is the harmonic mean of those two averages.
//!
//! `title_accuracy` / `author_accuracy`: exact match after whitespace squashing (author also
//! case-insensitive), over the pages whose gold value is non-empty; 0 when there are none.
//!
//! Gold HTML is turned into text by the same renderer the extractor uses on its own output
//! ([`parallax_ingest::html::html_to_text`]), so markup conventions cannot favour either side.
//! A page that cannot be read or decoded is reported on stderr and skipped.

use crate::metrics::f1;
use crate::{dataset_name, EvalError, EvalResult};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Shingle width of the benchmark metric.
const SHINGLE: usize = 4;

/// One gold page, before reading its HTML.
struct Item {
    id: String,
    html: PathBuf,
    gold: Gold,
    url: Option<String>,
}

/// What the gold data says about a page. `text` is lazily produced: for the readability layout
/// it comes from `expected.html`.
enum GoldText {
    Plain(String),
    HtmlFile(PathBuf),
}

struct Gold {
    text: GoldText,
    title: Option<String>,
    author: Option<String>,
}

/// Running sums over scored pages.
#[derive(Default, Debug, Clone, PartialEq)]
pub(crate) struct Scores {
    pages: usize,
    text_pages: usize,
    sum_p: f64,
    sum_r: f64,
    titles: usize,
    titles_ok: usize,
    authors: usize,
    authors_ok: usize,
}

impl Scores {
    /// Adds one page: predicted and gold text, title and author.
    pub(crate) fn add(
        &mut self,
        pred: &str,
        gold: &str,
        pred_title: Option<&str>,
        gold_title: Option<&str>,
        pred_author: Option<&str>,
        gold_author: Option<&str>,
    ) {
        self.pages += 1;
        if let Some((p, r)) = page_pr(pred, gold) {
            self.text_pages += 1;
            self.sum_p += p;
            self.sum_r += r;
        }
        if let Some(g) = gold_title.map(squash).filter(|g| !g.is_empty()) {
            self.titles += 1;
            if pred_title.map(squash).as_deref() == Some(g.as_str()) {
                self.titles_ok += 1;
            }
        }
        if let Some(g) = gold_author.map(squash).filter(|g| !g.is_empty()) {
            self.authors += 1;
            let p = pred_author.map(squash).unwrap_or_default();
            if p.to_lowercase() == g.to_lowercase() {
                self.authors_ok += 1;
            }
        }
    }

    pub(crate) fn metrics(&self) -> BTreeMap<String, f64> {
        let avg = |s: f64, n: usize| if n == 0 { 0.0 } else { s / n as f64 };
        let p = avg(self.sum_p, self.text_pages);
        let r = avg(self.sum_r, self.text_pages);
        let mut m = BTreeMap::new();
        m.insert("precision".to_string(), p);
        m.insert("recall".to_string(), r);
        m.insert("f1".to_string(), f1(p, r));
        m.insert(
            "title_accuracy".to_string(),
            avg(self.titles_ok as f64, self.titles),
        );
        m.insert(
            "author_accuracy".to_string(),
            avg(self.authors_ok as f64, self.authors),
        );
        m
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-cased `\w+` tokens.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let re = WORD.get_or_init(|| Regex::new(r"\w+").expect("constant regex"));
    re.find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect()
}

/// The set of word 4-gram shingles of `text`; 1-3 tokens make one shingle, none make none.
pub(crate) fn shingles(text: &str) -> HashSet<String> {
    let toks = tokens(text);
    if toks.is_empty() {
        return HashSet::new();
    }
    if toks.len() < SHINGLE {
        return HashSet::from([toks.join(" ")]);
    }
    toks.windows(SHINGLE).map(|w| w.join(" ")).collect()
}

/// Precision and recall of one page; `None` when the gold text has no token.
pub(crate) fn page_pr(pred: &str, gold: &str) -> Option<(f64, f64)> {
    let g = shingles(gold);
    if g.is_empty() {
        return None;
    }
    let p = shingles(pred);
    if p.is_empty() {
        return Some((0.0, 0.0));
    }
    let shared = p.intersection(&g).count() as f64;
    Some((shared / p.len() as f64, shared / g.len() as f64))
}

pub fn run(dir: &Path) -> Result<EvalResult, EvalError> {
    let items = if dir.join("ground-truth.json").is_file() {
        benchmark_items(dir)?
    } else {
        readability_items(dir)?
    };
    if items.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    let mut scores = Scores::default();
    let verbose = std::env::var_os("PARALLAX_EVAL_VERBOSE").is_some();
    for item in &items {
        let html = match read_page(&item.html) {
            Ok(h) => h,
            Err(e) => {
                say(&format!("skipped {}: {e}", item.id));
                continue;
            }
        };
        let gold_text = match &item.gold.text {
            GoldText::Plain(t) => t.clone(),
            GoldText::HtmlFile(p) => match read_page(p) {
                Ok(h) => parallax_ingest::html::html_to_text(&h),
                Err(e) => {
                    say(&format!("skipped {}: gold: {e}", item.id));
                    continue;
                }
            },
        };
        let ex = parallax_ingest::html::extract(&html, item.url.as_deref());
        if verbose {
            report_page(item, &ex, &gold_text);
        }
        scores.add(
            &ex.text,
            &gold_text,
            ex.meta.title.as_deref(),
            item.gold.title.as_deref(),
            ex.meta.author.as_deref(),
            item.gold.author.as_deref(),
        );
    }
    if scores.pages == 0 {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    Ok(EvalResult {
        task: "extract".to_string(),
        dataset: dataset_name(dir),
        items: scores.pages,
        metrics: scores.metrics(),
        counts: Default::default(),
    })
}

/// With `PARALLAX_EVAL_VERBOSE` set: one stderr line per page with its scores and any
/// metadata mismatch, for error analysis.
fn report_page(item: &Item, ex: &parallax_ingest::html::Extracted, gold: &str) {
    let (p, r) = page_pr(&ex.text, gold).unwrap_or((f64::NAN, f64::NAN));
    let mut line = format!("{}\tp={p:.3}\tr={r:.3}", item.id);
    let differs = |a: Option<&str>, b: Option<&str>| {
        b.is_some_and(|b| !b.trim().is_empty())
            && a.map(squash).map(|s| s.to_lowercase()) != b.map(squash).map(|s| s.to_lowercase())
    };
    if differs(ex.meta.title.as_deref(), item.gold.title.as_deref()) {
        line += &format!("\ttitle {:?} != {:?}", ex.meta.title, item.gold.title);
    }
    if differs(ex.meta.author.as_deref(), item.gold.author.as_deref()) {
        line += &format!("\tauthor {:?} != {:?}", ex.meta.author, item.gold.author);
    }
    eprintln!("{line}");
}

/// One line on stderr, made inert (ids and messages come from the data set's file names).
fn say(msg: &str) {
    eprintln!(
        "parallax: eval extract: {}",
        parallax_core::text::inert(msg)
    );
}

/// Reads and decodes a page (gzip when the name ends in `.gz`).
fn read_page(path: &Path) -> Result<String, String> {
    let raw = crate::read::bytes(path)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        crate::read::gunzip(&raw).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        raw
    };
    parallax_ingest::decode::decode(&bytes, None).map_err(|e| format!("{}: {e}", path.display()))
}

/// Subfolders with `source.html` + `expected.html`, sorted by name.
fn readability_items(dir: &Path) -> Result<Vec<Item>, EvalError> {
    let rd = std::fs::read_dir(dir).map_err(|e| EvalError::data(dir, e))?;
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").is_file() && p.join("expected.html").is_file())
        .collect();
    dirs.sort();
    let mut items = Vec::new();
    for d in dirs {
        let id = dataset_name(&d);
        let meta_path = d.join("expected-metadata.json");
        let meta: Value = if meta_path.is_file() {
            match crate::read::text(&meta_path)
                .map_err(|e| e.to_string())
                .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
            {
                Ok(v) => v,
                Err(e) => {
                    say(&format!(
                        "{id}: bad expected-metadata.json ({e}); metadata not scored"
                    ));
                    Value::Null
                }
            }
        } else {
            Value::Null
        };
        let s = |k: &str| meta.get(k).and_then(Value::as_str).map(str::to_string);
        items.push(Item {
            id,
            html: d.join("source.html"),
            gold: Gold {
                text: GoldText::HtmlFile(d.join("expected.html")),
                title: s("title"),
                author: s("byline"),
            },
            url: None,
        });
    }
    Ok(items)
}

/// `ground-truth.json` entries whose page exists under `html/`, sorted by id.
fn benchmark_items(dir: &Path) -> Result<Vec<Item>, EvalError> {
    let path = dir.join("ground-truth.json");
    let raw = crate::read::text(&path)?;
    let gt: BTreeMap<String, Value> =
        serde_json::from_str(&raw).map_err(|e| EvalError::data(&path, e))?;
    let mut items = Vec::new();
    for (id, v) in gt {
        let Some(body) = v.get("articleBody").and_then(Value::as_str) else {
            say(&format!("skipped {id}: no articleBody"));
            continue;
        };
        let plain = dir.join("html").join(format!("{id}.html"));
        let gz = dir.join("html").join(format!("{id}.html.gz"));
        let html = if plain.is_file() {
            plain
        } else if gz.is_file() {
            gz
        } else {
            say(&format!("skipped {id}: no html/{id}.html(.gz)"));
            continue;
        };
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        items.push(Item {
            id: id.clone(),
            html,
            gold: Gold {
                text: GoldText::Plain(body.to_string()),
                title: s("headline").or_else(|| s("title")),
                author: v.get("author").and_then(author_names),
            },
            url: s("url"),
        });
    }
    Ok(items)
}

/// An author field: a string, an object with `name`, or a list of those (joined by ", ").
fn author_names(v: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let names: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    let joined = names.join(", ");
    (!joined.trim().is_empty()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unicode_words_lowercased() {
        assert_eq!(
            tokens("Grüße, Ana! 2x-fast"),
            ["grüße", "ana", "2x", "fast"]
        );
    }

    #[test]
    fn shingle_sets() {
        let s = shingles("a b c d e a b c d");
        assert_eq!(s.len(), 5); // "a b c d" appears twice but counts once
        assert_eq!(shingles("one two"), HashSet::from(["one two".to_string()]));
        assert!(shingles(" ,; ").is_empty());
    }

    #[test]
    fn page_precision_recall() {
        // gold: 7 tokens = 4 shingles; one extra word -> 5 predicted shingles, 4 shared.
        let gold = "the cat sat on the mat today";
        let (p, r) = page_pr("the cat sat on the mat today again", gold).unwrap();
        assert_eq!((p, r), (4.0 / 5.0, 1.0));
        assert_eq!(page_pr("", gold), Some((0.0, 0.0)));
        assert_eq!(page_pr("anything", ""), None);
        assert_eq!(page_pr("Short Text", "short text"), Some((1.0, 1.0)));
        assert_eq!(page_pr("short", "short text"), Some((0.0, 0.0)));
    }

    #[test]
    fn macro_average_then_f1() {
        let mut s = Scores::default();
        s.add(
            "w x y z",
            "w x y z",
            Some("T"),
            Some(" T "),
            Some("ann LEE"),
            Some("Ann Lee"),
        );
        s.add("", "p q r s", Some("U"), Some("V"), None, None);
        let m = s.metrics();
        assert_eq!(m["precision"], 0.5);
        assert_eq!(m["recall"], 0.5);
        assert_eq!(m["f1"], 0.5);
        assert_eq!(m["title_accuracy"], 0.5);
        assert_eq!(m["author_accuracy"], 1.0);
    }

    #[test]
    fn author_field_shapes() {
        let v: Value = serde_json::json!([{"name": "A B"}, "C D"]);
        assert_eq!(author_names(&v).as_deref(), Some("A B, C D"));
        assert_eq!(author_names(&serde_json::json!("")), None);
    }

    proptest::proptest! {
        #[test]
        fn scores_stay_in_range(a in "\\PC{0,200}", b in "\\PC{0,200}") {
            if let Some((p, r)) = page_pr(&a, &b) {
                proptest::prop_assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&r));
            }
        }
    }
}
