//! `parallax eval bias` on BABE: loaded language at sentence and word level.
//!
//! Each row's text becomes one document (one paragraph, segmented as the pipeline would), the
//! entity and claims stages run on it, and the loaded spans of all its sentences are the
//! prediction (quoted ones too: BABE's annotators judged the whole sentence).
//!
//! Metrics (micro-averaged; items = rows):
//! - `sentence_precision`, `sentence_recall`, `sentence_f1`: the class "Biased"; a row is
//!   predicted Biased when it holds a loaded span. Rows labelled "No agreement" are left out.
//!   `sentence_accuracy` and `sentence_macro_f1` (mean F1 of both classes) beside them, and
//!   `sentence_biased_share`, the share of Biased rows: calling every row Biased scores an F1
//!   of 2s/(1+s) with it, the floor a useful detector must beat.
//! - `word_precision`, `word_recall`, `word_f1`: per row, the set of annotated biased words
//!   (split into words and case-folded as the pipeline splits text, so "anti-science" is
//!   "anti" and "science") against the set of words inside loaded spans; true positives are
//!   the words in both, summed over rows.
//!
//! `PARALLAX_EVAL_DEBUG=1` prints one `BABE` line per row on stderr (gold label, predicted,
//! gold words, predicted words, topic, text) for lexicon work.

use crate::babe::{self, Label, Row};
use crate::metrics::prf;
use crate::{EvalError, EvalResult};
use parallax_core::model::{Document, Metadata};
use parallax_core::text::{fold, words};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub fn run(path: &Path) -> Result<EvalResult, EvalError> {
    let file = babe::find(path)?;
    let rows = babe::read(&file)?;
    if rows.is_empty() {
        return Err(EvalError::Empty(file.display().to_string()));
    }
    let mut c = Counts::default();
    let debug = std::env::var_os("PARALLAX_EVAL_DEBUG").is_some();
    for (k, row) in rows.iter().enumerate() {
        let doc = analyse(k, row);
        let pred_words = loaded_words(&doc);
        score(row, &pred_words, &mut c);
        if debug {
            eprintln!(
                "BABE\t{}\t{}\t{}\t{}\t{}\t{}",
                u8::from(row.label == Label::Biased),
                u8::from(!pred_words.is_empty()),
                gold_words(row).into_iter().collect::<Vec<_>>().join(","),
                pred_words.iter().cloned().collect::<Vec<_>>().join(","),
                row.topic,
                row.text.replace(['\n', '\t'], " ")
            );
        }
    }
    let mut m = BTreeMap::new();
    let (p, r, f) = prf(c.sent.0, c.sent.1, c.sent.2);
    m.insert("sentence_precision".into(), p);
    m.insert("sentence_recall".into(), r);
    m.insert("sentence_f1".into(), f);
    let (_, _, f_neg) = prf(c.sent_neg.0, c.sent_neg.1, c.sent_neg.2);
    m.insert("sentence_macro_f1".into(), (f + f_neg) / 2.0);
    m.insert("sentence_accuracy".into(), ratio(c.correct, c.scored));
    m.insert("sentence_biased_share".into(), ratio(c.sent.2, c.scored));
    let (p, r, f) = prf(c.words.0, c.words.1, c.words.2);
    m.insert("word_precision".into(), p);
    m.insert("word_recall".into(), r);
    m.insert("word_f1".into(), f);
    Ok(EvalResult {
        task: "bias".into(),
        dataset: crate::dataset_name(path),
        items: rows.len(),
        metrics: m,
        counts: Default::default(),
    })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// (true positives, predicted, gold) per metric, and the sentence-level tallies.
#[derive(Default)]
struct Counts {
    sent: (usize, usize, usize),
    sent_neg: (usize, usize, usize),
    words: (usize, usize, usize),
    correct: usize,
    scored: usize,
}

fn analyse(k: usize, row: &Row) -> Document {
    let id = format!("babe-{}", row.line);
    let mut doc = parallax_core::clean::assemble(
        id.clone(),
        format!("row {k}"),
        Metadata::default(),
        Vec::new(),
        std::slice::from_ref(&row.text),
    );
    let mentions = parallax_core::entities::detect(&doc);
    parallax_core::claims::annotate(&mut doc, &mentions);
    doc
}

/// Case-folded words inside the document's loaded spans.
fn loaded_words(doc: &Document) -> BTreeSet<String> {
    doc.sentences()
        .flat_map(|s| s.loaded.iter())
        .flat_map(|l| words(&l.text).map(|(_, w)| fold(w)))
        .collect()
}

/// The row's annotated words, split and folded like [`loaded_words`].
fn gold_words(row: &Row) -> BTreeSet<String> {
    row.biased_words
        .iter()
        .flat_map(|w| words(w).map(|(_, x)| fold(x)).collect::<Vec<_>>())
        .collect()
}

fn score(row: &Row, pred_words: &BTreeSet<String>, c: &mut Counts) {
    let pred = !pred_words.is_empty();
    if row.label != Label::NoAgreement {
        let gold = row.label == Label::Biased;
        add(&mut c.sent, pred, gold);
        add(&mut c.sent_neg, !pred, !gold);
        c.scored += 1;
        c.correct += usize::from(pred == gold);
    }
    let gold_words = gold_words(row);
    c.words.0 += pred_words.intersection(&gold_words).count();
    c.words.1 += pred_words.len();
    c.words.2 += gold_words.len();
}

fn add(c: &mut (usize, usize, usize), pred: bool, gold: bool) {
    c.0 += usize::from(pred && gold);
    c.1 += usize::from(pred);
    c.2 += usize::from(gold);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, label: Label, words: &[&str]) -> Row {
        Row {
            line: 2,
            text: text.into(),
            outlet: String::new(),
            topic: String::new(),
            label,
            biased_words: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn gold_words_split_like_text() {
        let r = row("x", Label::Biased, &["Anti-science", "cult"]);
        let g: Vec<String> = gold_words(&r).into_iter().collect();
        assert_eq!(g, ["anti", "cult", "science"]);
    }

    #[test]
    fn counts_sentences_and_words() {
        let mut c = Counts::default();
        let pred: BTreeSet<String> = ["cult".to_string(), "sheer".to_string()].into();
        score(
            &row("a", Label::Biased, &["cult", "bizarre"]),
            &pred,
            &mut c,
        );
        score(&row("b", Label::NonBiased, &[]), &BTreeSet::new(), &mut c);
        score(&row("c", Label::NoAgreement, &["odd"]), &pred, &mut c);
        assert_eq!(c.sent, (1, 1, 1));
        assert_eq!(c.sent_neg, (1, 1, 1));
        assert_eq!((c.correct, c.scored), (2, 2));
        // Row a: cult right, sheer wrong, bizarre missed; row c: odd missed, two wrong.
        assert_eq!(c.words, (1, 4, 3));
    }

    #[test]
    fn loaded_words_come_from_the_claims_stage() {
        let r = row(
            "The regime's brutal crackdown shocked the city.",
            Label::Biased,
            &[],
        );
        let doc = analyse(0, &r);
        let w = loaded_words(&doc);
        assert!(w.contains("brutal"), "{w:?}");
        assert!(!w.contains("city"));
    }
}
