//! `parallax eval bias`: the claims stage on BASIL (lexical-bias spans, quotes and speakers);
//! on BABE (loaded language at sentence and word level) see [`crate::bias_babe`].
//!
//! Each article becomes a [`Document`] whose sentences are exactly BASIL's body sentences (one
//! paragraph per sentence, so segmentation cannot shift them); the title is left out (it holds
//! one informational annotation in the dev set). The claims stage runs with no mentions (the
//! entity stage is separate), so speakers come from its capitalised-name rules.
//!
//! Metrics (all micro-averaged over the corpus; items = articles):
//! - `lex_sentence_*`: a sentence is gold-positive when it holds a `bias: lex` span, predicted
//!   positive when the stage marks a loaded span in it (the headline metric). Variants:
//!   `_unquoted` (loaded spans outside quotes only), `_opinion` (the opinion label),
//!   `_loaded_or_opinion` (either).
//! - `lex_span_f1` (+ precision/recall): word-level overlap between loaded spans and gold lex
//!   spans, micro over words.
//! - `quote_recall`: of `quote: yes` spans, the share whose sentence is labelled quote or
//!   attributed.
//! - `speaker_accuracy`: of `quote: yes` spans whose gold speaker is a name (placeholders
//!   `other_anti`, `other_pro`, `other_neutral` are skipped), the share whose sentence's speaker
//!   or source (the phrase as written, with its title and appositive affiliation, e.g. "party
//!   spokeswoman Jo Lee" or "Jo Lee, a spokeswoman for the Obama campaign", or the
//!   `affiliation` the claims stage gives it, e.g. `Democrat` for "Rep. Jo Lee, D-Ohio")
//!   shares a name word with it (underscores as spaces, case-folded, plural/adjective endings
//!   allowed: "Democrats" ~ "Democratic"; 5+ letter spellings one letter apart: "Cowan" ~
//!   "Cowen"). So a group label matches a member's quote only when the article says whom the
//!   speaker speaks for.
//!
//! `PARALLAX_EVAL_DEBUG=1` lists on stderr, for lexicon and rule work: each missed speaker (gold,
//! ours with affiliation, the sentence and the two before it); one `LEXSENT` line per sentence
//! (gold flag, loaded terms as `term|category|in_quote`, status, text); and `LEX TP`/`FP`/`FN`
//! lines per loaded span or missed gold span.

use crate::basil::{self, Article};
use crate::metrics::prf;
use crate::{dataset_name, EvalError, EvalResult};
use parallax_core::model::{Document, Paragraph, Sentence, Status};
use parallax_core::text::{fold, words};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Scores the claims stage on BASIL (a folder with `articles/`) or BABE (its CSV file, or a
/// folder holding it: see [`crate::bias_babe`]).
pub fn run(dir: &Path) -> Result<EvalResult, EvalError> {
    if dir.is_file() || !dir.join("articles").is_dir() && crate::babe::find(dir).is_ok() {
        return crate::bias_babe::run(dir);
    }
    let articles = basil::read(dir)?;
    if articles.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    let mut c = Counts::default();
    for a in &articles {
        let mut doc = to_document(a);
        let mentions = parallax_core::entities::detect(&doc);
        parallax_core::claims::annotate(&mut doc, &mentions);
        score(a, &doc, &mut c);
    }
    let mut m = BTreeMap::new();
    let mut put_prf = |name: &str, (tp, pred, gold): (usize, usize, usize)| {
        let (p, r, f) = prf(tp, pred, gold);
        m.insert(format!("{name}_precision"), p);
        m.insert(format!("{name}_recall"), r);
        m.insert(format!("{name}_f1"), f);
    };
    put_prf("lex_sentence", c.sent_loaded);
    put_prf("lex_sentence_unquoted", c.sent_unquoted);
    put_prf("lex_sentence_opinion", c.sent_opinion);
    put_prf("lex_sentence_loaded_or_opinion", c.sent_either);
    put_prf("lex_span", c.span_words);
    m.insert("quote_recall".into(), ratio(c.quote_hit, c.quote_total));
    m.insert(
        "speaker_accuracy".into(),
        ratio(c.speaker_hit, c.speaker_total),
    );
    m.insert(
        "speaker_found".into(),
        ratio(c.speaker_any, c.speaker_total),
    );
    Ok(EvalResult {
        task: "bias".into(),
        dataset: dataset_name(dir),
        items: articles.len(),
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

/// (true positives, predicted, gold) per metric, and hit/total counts.
#[derive(Default)]
struct Counts {
    sent_loaded: (usize, usize, usize),
    sent_unquoted: (usize, usize, usize),
    sent_opinion: (usize, usize, usize),
    sent_either: (usize, usize, usize),
    span_words: (usize, usize, usize),
    quote_hit: usize,
    quote_total: usize,
    speaker_hit: usize,
    speaker_any: usize,
    speaker_total: usize,
}

fn add(c: &mut (usize, usize, usize), pred: bool, gold: bool) {
    c.0 += usize::from(pred && gold);
    c.1 += usize::from(pred);
    c.2 += usize::from(gold);
}

/// BASIL's paragraphs (blank-line separated) holding exactly BASIL's sentences (space
/// separated), built directly so that segmentation cannot shift them.
fn to_document(a: &Article) -> Document {
    let mut text = String::new();
    let mut paragraphs = Vec::new();
    let mut n = 0usize;
    for &size in &a.paragraph_sizes {
        if n > 0 {
            text.push_str("\n\n");
        }
        let pstart = text.len();
        let mut sentences = Vec::new();
        for s in a.sentences.iter().skip(n).take(size) {
            if text.len() > pstart {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(s);
            sentences.push(Sentence::new(
                format!("{}:{n}", a.id),
                s.clone(),
                start,
                text.len(),
            ));
            n += 1;
        }
        paragraphs.push(Paragraph {
            start: pstart,
            end: text.len(),
            sentences,
        });
    }
    Document {
        id: a.id.clone(),
        source: a.id.clone(),
        title: Some(a.title.clone()),
        author: None,
        published: None,
        outlet: None,
        language: Some("en".into()),
        url: None,
        boilerplate: Vec::new(),
        word_count: parallax_core::text::word_count(&text),
        text,
        paragraphs,
        framing: None,
        duplicate_of: None,
        limits: Default::default(),
    }
}

fn score(a: &Article, doc: &Document, c: &mut Counts) {
    let sents: Vec<&Sentence> = doc.sentences().collect();
    for (k, s) in sents.iter().enumerate() {
        let gold_spans: Vec<(usize, usize)> = a
            .spans
            .iter()
            .filter(|x| x.lex && x.sentence == Some(k))
            .map(|x| (x.start, x.end))
            .collect();
        let gold = !gold_spans.is_empty();
        let loaded = !s.loaded.is_empty();
        let unquoted = s.loaded.iter().any(|l| !l.in_quote);
        let opinion = s.labels.contains(&Status::Opinion);
        add(&mut c.sent_loaded, loaded, gold);
        add(&mut c.sent_unquoted, unquoted, gold);
        add(&mut c.sent_opinion, opinion, gold);
        add(&mut c.sent_either, loaded || opinion, gold);
        if std::env::var_os("PARALLAX_EVAL_DEBUG").is_some() {
            // Throwaway aid for lexicon work: each loaded span with its sentence's gold verdict,
            // and each gold span in a sentence with no loaded span.
            let terms: Vec<String> = s
                .loaded
                .iter()
                .map(|l| {
                    let term = l.term.as_deref().unwrap_or(&l.text);
                    format!("{term}|{}|{}", l.category, l.in_quote)
                })
                .collect();
            eprintln!(
                "LEXSENT\t{}\t{}\t{:?}\t{}\t{}",
                u8::from(gold),
                terms.join(";"),
                s.status,
                s.labels.len(),
                s.text
            );
            for l in &s.loaded {
                let tag = if gold { "TP" } else { "FP" };
                eprintln!(
                    "LEX {tag} {} {} q={}",
                    l.term.as_deref().unwrap_or(&l.text),
                    l.category,
                    l.in_quote
                );
            }
            if !loaded {
                for x in a.spans.iter().filter(|x| x.lex && x.sentence == Some(k)) {
                    let t = s.text.get(x.start..x.end).unwrap_or("?");
                    eprintln!("LEX FN {t}");
                }
            }
        }

        // Word-level overlap, offsets local to the sentence.
        let pred_spans: Vec<(usize, usize)> = s
            .loaded
            .iter()
            .map(|l| {
                (
                    l.start.saturating_sub(s.start),
                    l.end.saturating_sub(s.start),
                )
            })
            .collect();
        for (ws, w) in words(&s.text) {
            let we = ws + w.len();
            let inside = |spans: &[(usize, usize)]| spans.iter().any(|&(a, b)| ws < b && a < we);
            add(&mut c.span_words, inside(&pred_spans), inside(&gold_spans));
        }
    }
    for sp in a.spans.iter().filter(|x| x.quote) {
        let Some(s) = sp.sentence.and_then(|k| sents.get(k)) else {
            continue;
        };
        c.quote_total += 1;
        if s.labels.contains(&Status::Quote) || s.labels.contains(&Status::Attributed) {
            c.quote_hit += 1;
        }
        if sp.speaker.is_empty() || sp.speaker.starts_with("other_") {
            continue;
        }
        c.speaker_total += 1;
        let preds: Vec<&str> = [s.speaker.as_ref(), s.source.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|x| std::iter::once(x.text.as_str()).chain(x.affiliation.as_deref()))
            .collect();
        let hit = preds.iter().any(|p| names_match(&sp.speaker, p));
        if !preds.is_empty() {
            c.speaker_any += 1;
            c.speaker_hit += usize::from(hit);
        }
        if std::env::var_os("PARALLAX_EVAL_DEBUG").is_some() && !hit {
            // Throwaway aid for rule work: misses with the sentences before them.
            let k = sp.sentence.unwrap_or(0);
            eprintln!(
                "SPEAKER MISS {} gold={} speaker={:?} source={:?}",
                a.id,
                sp.speaker,
                s.speaker.as_ref().map(|x| (&x.text, &x.affiliation)),
                s.source.as_ref().map(|x| (&x.text, &x.affiliation))
            );
            for p in sents.iter().take(k).skip(k.saturating_sub(2)) {
                eprintln!("   prev: {}", p.text);
            }
            eprintln!("   SENT: {}", s.text);
        }
    }
}

/// Loose name match: some name word of the gold speaker (underscores as spaces) equals a word
/// of the prediction, or one is a prefix of the other at 5+ letters ("democrat"/"democrats"),
/// or they are 5+ letter spellings one letter apart ("Cowan"/"Cowen").
fn names_match(gold: &str, pred: &str) -> bool {
    const GENERIC: &[&str] = &["the", "and", "of", "campaign", "officials", "lawmakers"];
    let toks = |s: &str| -> HashSet<String> {
        words(&s.replace('_', " "))
            .map(|(_, w)| fold(w))
            .map(|w| w.trim_end_matches("'s").to_string())
            .filter(|w| w.chars().count() >= 3 && !GENERIC.contains(&w.as_str()))
            .collect()
    };
    let (g, p) = (toks(gold), toks(pred));
    g.iter().any(|a| {
        p.iter()
            .any(|b| a == b || same_stem(a, b) || one_letter_apart(a, b))
    })
}

/// Spelling variants of a name of 5+ letters that differ in one letter ("Cowan"/"Cowen").
fn one_letter_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len() && a.len() >= 5 && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// Words that differ only in an ending: a shared prefix of 5+ letters that covers all but at
/// most two letters of the shorter word ("democrat"/"democrats"/"democratic").
fn same_stem(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 5 && common + 2 >= shorter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_names() {
        assert!(names_match("Michael_Steele", "Steele"));
        assert!(names_match("senate_Democrats", "Senate Democrats"));
        assert!(names_match("Democratic_Lawmakers", "Democrats"));
        assert!(!names_match("Rick_Perry", "Mitt Romney"));
        assert!(!names_match("Obama_campaign", "the Romney campaign"));
        assert!(names_match("William_Cowan", "Cowen"));
        assert!(!names_match("Jo_Lee", "Jo Lea"));
    }
}
