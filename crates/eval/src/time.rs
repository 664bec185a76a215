//! `parallax eval time`: TIMEX3 extents, types and values, scored the TempEval-3 way.
//!
//! Reads MEANTIME CAT XML (`.xml`) and TempEval-3 TimeML (`.tml`) under DIR. The document
//! creation time is the reference date given to the tagger and is not scored. Extents are
//! compared on the character offsets of the rebuilt text: strict = same span, relaxed = any
//! overlap (one-to-one). Over relaxed matches, type and value accuracy; `type_f1` and
//! `value_f1` are relaxed F1 times those accuracies (TempEval-3 attribute F1).
//! Set `PARALLAX_EVAL_DEBUG=1` to print misses, false alarms and wrong values to stderr.

use crate::metrics::prf;
use crate::time_data::{read_meantime, read_tml, GoldTimex, TimeDoc};
use crate::{dataset_name, EvalError, EvalResult};
use parallax_core::model::{TimeExpr, TimeType};
use parallax_core::time::{parse_date, tag_text, SentenceSpan};
use std::collections::BTreeMap;
use std::path::Path;

pub fn run(dir: &Path) -> Result<EvalResult, EvalError> {
    let files = crate::files_under(dir, &["xml", "tml"])?;
    let mut docs = Vec::new();
    for f in &files {
        match f.extension().and_then(|e| e.to_str()) {
            Some("xml") => {
                // Other XML files (schemas, instance lists) are skipped when they hold no tokens.
                if let Ok(d) = read_meantime(f) {
                    docs.push(d);
                }
            }
            Some("tml") => match read_tml(f) {
                Ok(d) => docs.push(d),
                // One bad file is named and skipped; the rest is still scored.
                Err(e) => eprintln!(
                    "parallax: skipped {}",
                    parallax_core::text::inert(&e.to_string())
                ),
            },
            _ => {}
        }
    }
    if docs.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    let debug = std::env::var_os("PARALLAX_EVAL_DEBUG").is_some();
    let mut c = Counts::default();
    for d in &docs {
        let pred = predict(d);
        score(d, &pred, &mut c, debug);
    }
    Ok(EvalResult {
        task: "time".into(),
        dataset: dataset_name(dir),
        items: docs.len(),
        metrics: c.metrics(),
        counts: Default::default(),
    })
}

/// Runs the tagger on the document's scored region, with its creation time as reference.
fn predict(d: &TimeDoc) -> Vec<TimeExpr> {
    let ids: Vec<String> = (0..d.sentences.len())
        .map(|i| format!("{}:{i}", d.id))
        .collect();
    let spans: Vec<SentenceSpan<'_>> = d
        .sentences
        .iter()
        .zip(&ids)
        .filter(|((s, _), _)| *s < d.region_end)
        .map(|((s, e), id)| SentenceSpan {
            id,
            start: *s,
            end: *e,
        })
        .collect();
    let reference = d.dct.as_deref().and_then(parse_date);
    tag_text(&d.id, &d.text, &spans, reference)
        .into_iter()
        .filter(|t| t.start < d.region_end)
        .filter(|t| !d.excluded.iter().any(|&(s, e)| t.start < e && s < t.end))
        .collect()
}

#[derive(Default)]
struct Counts {
    gold: usize,
    pred: usize,
    strict: usize,
    relaxed: usize,
    ty: usize,
    value: usize,
}

impl Counts {
    fn metrics(&self) -> BTreeMap<String, f64> {
        let (sp, sr, sf) = prf(self.strict, self.pred, self.gold);
        let (rp, rr, rf) = prf(self.relaxed, self.pred, self.gold);
        let acc = |n: usize| {
            if self.relaxed == 0 {
                0.0
            } else {
                n as f64 / self.relaxed as f64
            }
        };
        let mut m = BTreeMap::new();
        m.insert("strict_precision".into(), sp);
        m.insert("strict_recall".into(), sr);
        m.insert("strict_f1".into(), sf);
        m.insert("relaxed_precision".into(), rp);
        m.insert("relaxed_recall".into(), rr);
        m.insert("relaxed_f1".into(), rf);
        m.insert("type_accuracy".into(), acc(self.ty));
        m.insert("value_accuracy".into(), acc(self.value));
        m.insert("type_f1".into(), rf * acc(self.ty));
        m.insert("value_f1".into(), rf * acc(self.value));
        m
    }
}

fn type_name(t: TimeType) -> &'static str {
    match t {
        TimeType::Date => "DATE",
        TimeType::Time => "TIME",
        TimeType::Duration => "DURATION",
        TimeType::Set => "SET",
    }
}

/// Scores one document: exact spans first, then greedy one-to-one overlap matching.
fn score(d: &TimeDoc, pred: &[TimeExpr], c: &mut Counts, debug: bool) {
    c.gold += d.gold.len();
    c.pred += pred.len();
    c.strict += pred
        .iter()
        .filter(|p| d.gold.iter().any(|g| g.start == p.start && g.end == p.end))
        .count();
    let mut used = vec![false; pred.len()];
    let mut matched_gold = vec![false; d.gold.len()];
    // Exact matches pair first so that a relaxed pairing never steals them.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (gi, g) in d.gold.iter().enumerate() {
        if let Some(pi) =
            (0..pred.len()).find(|&i| !used[i] && pred[i].start == g.start && pred[i].end == g.end)
        {
            used[pi] = true;
            matched_gold[gi] = true;
            pairs.push((gi, pi));
        }
    }
    for (gi, g) in d.gold.iter().enumerate() {
        if matched_gold[gi] {
            continue;
        }
        if let Some(pi) = (0..pred.len()).find(|&i| !used[i] && overlaps(g, &pred[i])) {
            used[pi] = true;
            matched_gold[gi] = true;
            pairs.push((gi, pi));
        }
    }
    c.relaxed += pairs.len();
    for &(gi, pi) in &pairs {
        let (g, p) = (&d.gold[gi], &pred[pi]);
        let ty_ok = type_name(p.ty) == g.ty;
        let v_ok = p.value == g.value;
        c.ty += usize::from(ty_ok);
        c.value += usize::from(v_ok);
        if debug && (!v_ok || !ty_ok) {
            eprintln!(
                "VALUE\t{}\t{:?}\t{} {}\tgold {:?}\t{} {}\tdct {:?}",
                d.id,
                p.text,
                type_name(p.ty),
                p.value,
                &d.text[g.start..g.end],
                g.ty,
                g.value,
                d.dct
            );
        }
    }
    if debug {
        for (gi, g) in d.gold.iter().enumerate() {
            if !matched_gold[gi] {
                eprintln!(
                    "MISS\t{}\t{:?}\t{} {}\t{}",
                    d.id,
                    &d.text[g.start..g.end],
                    g.ty,
                    g.value,
                    context(&d.text, g.start, g.end)
                );
            }
        }
        for (pi, p) in pred.iter().enumerate() {
            if !used[pi] {
                eprintln!(
                    "FALSE\t{}\t{:?}\t{} {}\t{}",
                    d.id,
                    p.text,
                    type_name(p.ty),
                    p.value,
                    context(&d.text, p.start, p.end)
                );
            }
        }
    }
}

fn overlaps(g: &GoldTimex, p: &TimeExpr) -> bool {
    g.start < p.end && p.start < g.end
}

fn context(text: &str, s: usize, e: usize) -> String {
    let mut a = s.saturating_sub(50);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + 50).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    text[a..b].replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_scores() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/time");
        let r = run(&dir).expect("fixture evaluates");
        assert_eq!(r.task, "time");
        assert_eq!(r.items, 1);
        assert_eq!(r.metrics["relaxed_recall"], 1.0);
        assert_eq!(r.metrics["value_accuracy"], 1.0);
        for v in r.metrics.values() {
            assert!((0.0..=1.0).contains(v));
        }
    }

    #[test]
    fn strict_and_relaxed_differ() {
        let d = TimeDoc {
            id: "x".into(),
            text: "on Sunday night".into(),
            sentences: vec![(0, 15)],
            dct: None,
            gold: vec![GoldTimex {
                start: 3,
                end: 9,
                ty: "DATE".into(),
                value: "XXXX-WXX-7".into(),
            }],
            region_end: 15,
            excluded: vec![],
        };
        let p = predict(&d);
        let mut c = Counts::default();
        score(&d, &p, &mut c, false);
        let m = c.metrics();
        assert_eq!(m["strict_f1"], 0.0);
        assert_eq!(m["relaxed_f1"], 1.0);
        assert_eq!(m["type_accuracy"], 0.0);
    }
}
