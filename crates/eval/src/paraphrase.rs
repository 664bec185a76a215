//! `parallax eval paraphrase`: the claim-alignment pair model on the Microsoft Research
//! Paraphrase Corpus (Dolan & Brockett 2005): news sentence pairs from the same story, labelled
//! 1 when they say the same thing.
//!
//! Format (`msr_paraphrase_*.txt`): UTF-8, optionally with a byte-order mark; a header line;
//! tab-separated `Quality`, `#1 ID`, `#2 ID`, `#1 String`, `#2 String`; no quoting (a string may
//! hold `"`). PATH is one such file or a folder whose `msr_paraphrase_*.txt` files are all read.
//! A malformed record is reported with its file and line and skipped; the rest is scored.
//!
//! Each pair is scored by the same pair model alignment uses (words, plus the embedding cosine
//! when a model is given); a pair is a paraphrase when the probability reaches the model's
//! `paraphrase` threshold. Metrics: `accuracy`, and `precision`, `recall`, `f1` of class 1.

use crate::metrics::prf;
use crate::{EvalError, EvalOptions, EvalResult};
use parallax_core::embed::{Embedder, SentenceVectors, TokenVectors};
use parallax_core::stories::align::{self, ClaimFeatures};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One labelled pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub label: bool,
    pub a: String,
    pub b: String,
    /// `file:line`, for messages.
    pub at: String,
}

/// The files PATH stands for: itself, or the folder's `msr_paraphrase_*.txt`, sorted.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let all = crate::files_under(path, &["txt"])?;
    Ok(all
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("msr_paraphrase_"))
        })
        .collect())
}

/// Parses one file's text. Returns the pairs and one error per malformed record (named by
/// `name:line`); a file without the header is one error.
pub fn parse(name: &str, text: &str) -> (Vec<Pair>, Vec<EvalError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_start().starts_with("Quality") => {}
        Some(_) => {
            errors.push(EvalError::data(
                format!("{name}:1"),
                "no MRPC header (`Quality<TAB>#1 ID<TAB>#2 ID<TAB>#1 String<TAB>#2 String`)",
            ));
            return (pairs, errors);
        }
        None => return (pairs, errors),
    }
    for (n, line) in lines {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{name}:{}", n + 1);
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 5 {
            errors.push(EvalError::data(
                &at,
                format!("expected 5 tab-separated fields, found {}", f.len()),
            ));
            continue;
        }
        let label = match f[0].trim() {
            "1" => true,
            "0" => false,
            other => {
                errors.push(EvalError::data(
                    &at,
                    format!("Quality must be 0 or 1, found {:?}", crate_truncate(other)),
                ));
                continue;
            }
        };
        if f[3].trim().is_empty() || f[4].trim().is_empty() {
            errors.push(EvalError::data(&at, "an empty sentence"));
            continue;
        }
        pairs.push(Pair {
            label,
            a: f[3].to_string(),
            b: f[4].to_string(),
            at,
        });
    }
    (pairs, errors)
}

fn crate_truncate(s: &str) -> String {
    parallax_core::text::truncate_chars(s, 20)
}

/// Reads every file; malformed records and unreadable files are reported on stderr and skipped.
pub fn read(path: &Path) -> Result<Vec<Pair>, EvalError> {
    let mut out = Vec::new();
    for f in files(path)? {
        let bytes = std::fs::read(&f).map_err(|e| EvalError::data(&f, e))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                // Mis-encoded bytes are replaced; the records stay readable.
                eprintln!(
                    "parallax: {}: not valid UTF-8, bad bytes replaced",
                    f.display()
                );
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let (pairs, errors) = parse(&f.display().to_string(), &text);
        for e in errors {
            eprintln!("parallax: skipped {e}");
        }
        out.extend(pairs);
    }
    Ok(out)
}

pub fn run(path: &Path, opts: &EvalOptions) -> Result<EvalResult, EvalError> {
    let pairs = read(path)?;
    if pairs.is_empty() {
        return Err(EvalError::Empty(path.display().to_string()));
    }
    let (predicted, rows) = predict(&pairs, opts.embedder.as_deref());
    if let Some(out) = &opts.features {
        crate::write_features(out, &rows)?;
    }
    let gold: Vec<bool> = pairs.iter().map(|p| p.label).collect();
    Ok(EvalResult {
        task: "paraphrase".into(),
        dataset: crate::dataset_name(path),
        items: pairs.len(),
        metrics: score(&predicted, &gold),
        counts: Default::default(),
    })
}

/// The model's decision for every pair, and the feature rows (`label`, features) behind it.
pub fn predict(
    pairs: &[Pair],
    embedder: Option<&dyn Embedder>,
) -> (Vec<bool>, Vec<crate::FeatureRow>) {
    let texts: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let mut claims: Vec<ClaimFeatures> = align::features_of_texts(&texts);
    for (n, c) in claims.iter_mut().enumerate() {
        c.sentence_id = format!("s{n}");
        c.doc = n % 2;
    }
    let vectors = embedder.and_then(|e| {
        let mut v = SentenceVectors::new(e.model_id());
        match e.embed_tokens(&texts) {
            Ok(vs) if vs.len() == texts.len() => {
                for (n, (x, t)) in vs.into_iter().enumerate() {
                    v.insert(format!("s{n}"), x);
                    if let Some(t) = TokenVectors::from_tokens(&t) {
                        v.insert_tokens(format!("s{n}"), t);
                    }
                }
                Some(v)
            }
            Ok(_) => {
                eprintln!(
                    "parallax: the model returned a wrong number of vectors; scoring on words"
                );
                None
            }
            Err(err) => {
                eprintln!("parallax: embedding failed ({err}); scoring on words");
                None
            }
        }
    });
    let mut decisions = Vec::with_capacity(pairs.len());
    let mut rows = Vec::with_capacity(pairs.len());
    for (k, p) in pairs.iter().enumerate() {
        let (a, b) = (&claims[2 * k], &claims[2 * k + 1]);
        let cos = vectors
            .as_ref()
            .and_then(|v| v.cosine(&a.sentence_id, &b.sentence_id));
        let tokens = vectors
            .as_ref()
            .and_then(|v| Some((v.tokens(&a.sentence_id)?, v.tokens(&b.sentence_id)?)));
        decisions.push(align::paraphrase_score(a, b, cos, tokens).1);
        rows.push(crate::FeatureRow {
            label: p.label,
            features: align::free_pair_features(a, b, cos, tokens),
            group: p.at.clone(),
            pair: p.at.clone(),
        });
    }
    (decisions, rows)
}

fn score(pred: &[bool], gold: &[bool]) -> BTreeMap<String, f64> {
    let tp = pred.iter().zip(gold).filter(|(p, g)| **p && **g).count();
    let correct = pred.iter().zip(gold).filter(|(p, g)| p == g).count();
    let n_pred = pred.iter().filter(|p| **p).count();
    let n_gold = gold.iter().filter(|g| **g).count();
    let (p, r, f) = prf(tp, n_pred, n_gold);
    let mut m = BTreeMap::new();
    m.insert("accuracy".into(), correct as f64 / pred.len().max(1) as f64);
    m.insert("precision".into(), p);
    m.insert("recall".into(), r);
    m.insert("f1".into(), f);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEAD: &str = "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n";

    #[test]
    fn reads_records_with_bom_and_quotes() {
        let text = format!(
            "{HEAD}1\t1\t2\tThe mayor said \"no\" on Monday.\tOn Monday the mayor said no.\n0\t3\t4\tA.\tB.\n"
        );
        let (pairs, errors) = parse("f.txt", &text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(pairs.len(), 2);
        assert!(pairs[0].label && !pairs[1].label);
        assert!(pairs[0].a.contains("\"no\""));
        assert_eq!(pairs[1].at, "f.txt:3");
    }

    #[test]
    fn malformed_records_are_named_and_the_rest_kept() {
        let text = format!("{HEAD}1\t1\t2\tonly four\n7\t1\t2\ta\tb\n0\t1\t2\tx y\tz w\n");
        let (pairs, errors) = parse("f.txt", &text);
        assert_eq!(pairs.len(), 1);
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0].to_string().starts_with("f.txt:2:"),
            "{}",
            errors[0]
        );
        assert!(errors[1].to_string().contains("f.txt:3"), "{}", errors[1]);
    }

    #[test]
    fn a_file_without_header_is_one_error() {
        let (pairs, errors) = parse("g.txt", "1\t1\t2\ta\tb\n");
        assert!(pairs.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("g.txt:1"));
    }

    #[test]
    fn scores_accuracy_and_class_one() {
        let m = score(&[true, true, false, false], &[true, false, true, false]);
        assert_eq!(m["accuracy"], 0.5);
        assert_eq!(m["precision"], 0.5);
        assert_eq!(m["recall"], 0.5);
    }

    #[test]
    fn same_sentence_is_a_paraphrase_and_unrelated_is_not() {
        let pairs = vec![
            Pair {
                label: true,
                a: "The central bank raised interest rates by half a point on Tuesday.".into(),
                b: "On Tuesday the central bank raised interest rates by half a point.".into(),
                at: "t:1".into(),
            },
            Pair {
                label: false,
                a: "The central bank raised interest rates by half a point on Tuesday.".into(),
                b: "Heavy snow closed three mountain passes in the north overnight.".into(),
                at: "t:2".into(),
            },
        ];
        let (pred, rows) = predict(&pairs, None);
        assert_eq!(pred, vec![true, false]);
        assert_eq!(rows.len(), 2);
    }

    proptest! {
        #[test]
        fn parser_never_panics_and_loses_no_good_record(
            junk in "\\PC{0,200}",
            a in "[a-zA-Z \"]{1,40}",
            b in "[a-zA-Z \"]{1,40}",
        ) {
            prop_assume!(!a.trim().is_empty() && !b.trim().is_empty());
            let text = format!("{HEAD}{junk}\n1\t1\t2\t{a}\t{b}\n");
            let (pairs, errors) = parse("p.txt", &text);
            prop_assert!(pairs.iter().any(|p| p.a == a && p.b == b));
            prop_assert!(errors.iter().all(|e| e.to_string().starts_with("p.txt:")));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse("b.txt", &text);
        }

        #[test]
        fn truncated_files_keep_the_complete_records(cut in 0usize..200) {
            let full = format!("{HEAD}1\t1\t2\tfirst sentence here\tsecond one here\n0\t3\t4\tthird\tfourth\n");
            let cut = full.char_indices().map(|(i, _)| i).rfind(|&i| i <= cut + HEAD.len()).unwrap_or(0);
            let (pairs, _) = parse("t.txt", &full[..cut]);
            prop_assert!(pairs.len() <= 2);
        }
    }
}
