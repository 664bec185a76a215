//! `parallax eval entities`: name mentions and cross-document entity resolution on MEANTIME.
//!
//! Protocol (dev numbers; see the module docs of [`crate::meantime`] for the format):
//! - Text: each document is rebuilt from its tokens, one paragraph per gold sentence, with
//!   light detokenisation (no space before "," "." "'s" ...); gold spans map through the
//!   token offsets.
//! - Region: MEANTIME annotates only the first sentences; the region of a document is every
//!   sentence up to the last one holding a document-level entity mention or TIMEX3. Gold and
//!   predictions outside it are ignored.
//! - Gold: `syntactic_type` NAM mentions whose entity type is PER, ORG or LOC (LOC -> PLACE).
//!   PRE.NAM (names used as modifiers, "US" in "US airtanker") are not gold, and neither are NAM
//!   mentions of other types (products, financial): both are "don't care" regions, where an
//!   unmatched prediction counts neither way. `*_strict` metrics count them as errors instead.
//! - Predictions: `detect` mentions typed PERSON, ORG or PLACE. GROUP (demonyms), EVENT and
//!   OTHER are left out: MEANTIME has no such NAM types.
//! - Matching: exact = same byte span; overlap = a one-to-one matching of overlapping spans,
//!   preferring pairs that share their end (the head of a name) and then the largest overlap.
//!   Typed scores need the same type as well.
//! - Coreference: each MEANTIME corpus (sub-folder, one topic) is one story: `resolve` runs over
//!   all its documents. Scored over the gold mentions matched (overlap) by a prediction: key =
//!   gold `instance_id` (document-local entity when it has none), response = the predicted
//!   mention's entity. MUC, B-cubed, CEAF-e, and CoNLL = their mean F1.

use crate::coref::{b_cubed, ceaf_e, muc};
use crate::meantime::{read_dir, rebuild_sentences, MeantimeDoc};
use crate::metrics::prf;
use crate::{dataset_name, EvalError, EvalResult};
use parallax_core::clean::assemble;
use parallax_core::entities::{detect, resolve};
use parallax_core::{Document, EntityType, Mention, Metadata};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A gold span in the rebuilt text.
#[derive(Debug, Clone)]
struct Gold {
    start: usize,
    end: usize,
    ty: EntityType,
    cluster: String,
}

/// One document ready for scoring.
struct Item {
    doc: Document,
    gold: Vec<Gold>,
    dont_care: Vec<(usize, usize)>,
    region_end: usize,
}

fn gold_type(t: &str) -> Option<EntityType> {
    match t {
        "PER" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Place),
        _ => None,
    }
}

fn scored_type(t: EntityType) -> bool {
    matches!(t, EntityType::Person | EntityType::Org | EntityType::Place)
}

/// Builds the document and its gold spans from a MEANTIME file.
fn prepare(md: &MeantimeDoc) -> Item {
    let (sents, spans) = rebuild_sentences(md);
    let id = if md.doc_id.is_empty() {
        md.doc_name.clone()
    } else {
        md.doc_id.clone()
    };
    let doc = assemble(
        id,
        md.path.display().to_string(),
        Metadata::default(),
        Vec::new(),
        &sents,
    );
    // Paragraph start of each rebuilt sentence (assemble skips empty ones and trims).
    let mut para_start = vec![None; sents.len()];
    let mut paras = doc.paragraphs.iter();
    for (i, s) in sents.iter().enumerate() {
        if s.trim().is_empty() {
            continue;
        }
        if let Some(p) = paras.next() {
            let lead = s.len() - s.trim_start().len();
            para_start[i] = Some((p.start, lead));
        }
    }
    let tok_index = md.token_index();
    let abs = |ti: usize| -> Option<(usize, usize)> {
        let (si, s, e) = *spans.get(ti)?;
        let (ps, lead) = para_start.get(si).copied().flatten()?;
        Some((ps + s.checked_sub(lead)?, ps + e.checked_sub(lead)?))
    };
    let span_of = |toks: &[String]| -> Option<(usize, usize, usize)> {
        let idx: Vec<usize> = toks
            .iter()
            .filter_map(|t| tok_index.get(t.as_str()).copied())
            .collect();
        let (a, b) = (*idx.iter().min()?, *idx.iter().max()?);
        let (s, _) = abs(a)?;
        let (_, e) = abs(b)?;
        Some((s, e, md.tokens[a].sentence))
    };
    // Region: sentences up to the last one with a document-level annotation.
    let mut last_sentence = 0;
    for m in md.mentions.iter().filter(|m| m.syntactic_type.is_some()) {
        if let Some((_, _, s)) = span_of(&m.tokens) {
            last_sentence = last_sentence.max(s);
        }
    }
    for t in &md.timexes {
        if let Some((_, _, s)) = span_of(&t.tokens) {
            last_sentence = last_sentence.max(s);
        }
    }
    let region_end = md
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.sentence <= last_sentence)
        .filter_map(|(i, _)| abs(i).map(|x| x.1))
        .max()
        .unwrap_or(0);
    let mut gold = Vec::new();
    let mut dont_care = Vec::new();
    for m in &md.mentions {
        let st = m.syntactic_type.as_deref().unwrap_or("");
        if st != "NAM" && st != "PRE.NAM" {
            continue;
        }
        let Some((s, e, _)) = span_of(&m.tokens) else {
            continue;
        };
        if s >= region_end {
            continue;
        }
        match m.ent_type.as_deref().and_then(gold_type) {
            Some(ty) if st == "NAM" => {
                let cluster = match (&m.instance_id, &m.entity_m_id) {
                    (Some(i), _) => i.clone(),
                    (None, Some(e)) => format!("{}#{e}", doc.id),
                    (None, None) => format!("{}#m{}", doc.id, m.m_id),
                };
                gold.push(Gold {
                    start: s,
                    end: e,
                    ty,
                    cluster,
                })
            }
            _ => dont_care.push((s, e)),
        }
    }
    Item {
        doc,
        gold,
        dont_care,
        region_end,
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// One-to-one matching of predictions to gold: `exact` needs equal spans; otherwise any
/// overlap, preferring a shared end, then the largest overlap. Returns (pred, gold) pairs.
fn matching(pred: &[&Mention], gold: &[Gold], exact: bool) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let same = p.start == g.start && p.end == g.end;
            if exact && !same || !overlaps((p.start, p.end), (g.start, g.end)) {
                continue;
            }
            let ov = p.end.min(g.end) - p.start.max(g.start);
            cands.push((same, p.end == g.end, ov, i, j));
        }
    }
    cands.sort_by(|a, b| {
        (b.0, b.1, b.2)
            .cmp(&(a.0, a.1, a.2))
            .then((a.3, a.4).cmp(&(b.3, b.4)))
    });
    let mut used_p = vec![false; pred.len()];
    let mut used_g = vec![false; gold.len()];
    let mut out = Vec::new();
    for (_, _, _, i, j) in cands {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[derive(Default)]
struct Counts {
    pred: usize,
    pred_strict: usize,
    gold: usize,
    tp: usize,
    typed_tp: usize,
}

impl Counts {
    fn add(&mut self, pred: &[&Mention], item: &Item, pairs: &[(usize, usize)]) {
        let matched: Vec<bool> = {
            let mut v = vec![false; pred.len()];
            for &(i, _) in pairs {
                v[i] = true;
            }
            v
        };
        let ignored = pred
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                !matched[*i]
                    && item
                        .dont_care
                        .iter()
                        .any(|&d| overlaps(d, (p.start, p.end)))
            })
            .count();
        self.pred += pred.len() - ignored;
        self.pred_strict += pred.len();
        self.gold += item.gold.len();
        self.tp += pairs.len();
        self.typed_tp += pairs
            .iter()
            .filter(|&&(i, j)| pred[i].ty == item.gold[j].ty)
            .count();
    }

    fn put(&self, name: &str, m: &mut BTreeMap<String, f64>) {
        let (p, r, f) = prf(self.tp, self.pred, self.gold);
        m.insert(format!("mention_p_{name}"), p);
        m.insert(format!("mention_r_{name}"), r);
        m.insert(format!("mention_f1_{name}"), f);
        let (p, r, f) = prf(self.typed_tp, self.pred, self.gold);
        m.insert(format!("typed_p_{name}"), p);
        m.insert(format!("typed_r_{name}"), r);
        m.insert(format!("typed_f1_{name}"), f);
        let (p, _, f) = prf(self.tp, self.pred_strict, self.gold);
        m.insert(format!("mention_p_{name}_strict"), p);
        m.insert(format!("mention_f1_{name}_strict"), f);
    }
}

/// Writes the errors of one document to stderr, one per line, tab-separated.
fn print_errors(pred: &[&Mention], item: &Item, pairs: &[(usize, usize)]) {
    let text = &item.doc.text;
    let ctx = |s: usize, e: usize| {
        let (mut a, mut b) = (s.saturating_sub(40), (e + 40).min(text.len()));
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        while !text.is_char_boundary(b) {
            b += 1;
        }
        text[a..b].replace('\n', " ")
    };
    let mp: Vec<usize> = pairs.iter().map(|x| x.0).collect();
    let mg: Vec<usize> = pairs.iter().map(|x| x.1).collect();
    for (i, p) in pred.iter().enumerate() {
        let ignored = item
            .dont_care
            .iter()
            .any(|&d| overlaps(d, (p.start, p.end)));
        if !mp.contains(&i) && !ignored {
            eprintln!("FP\t{:?}\t{}\t{}", p.ty, p.text, ctx(p.start, p.end));
        }
    }
    for (j, g) in item.gold.iter().enumerate() {
        if !mg.contains(&j) {
            eprintln!("FN\t{:?}\t{}", g.ty, &text[g.start..g.end]);
        }
    }
    for &(i, j) in pairs {
        let g = &item.gold[j];
        if pred[i].ty != g.ty {
            eprintln!(
                "TY\t{:?}->{:?}\t{}\t{}",
                pred[i].ty,
                g.ty,
                pred[i].text,
                &text[g.start..g.end]
            );
        }
    }
}

/// Writes the coreference errors to stderr: each gold entity whose mentions went to several
/// predicted entities (SPLIT), and each predicted entity holding mentions of several gold
/// entities (MERGE), with the mention texts of each part.
fn print_coref_errors(scored: &[(String, String, String)], why: &HashMap<String, Vec<String>>) {
    type Parts<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a str>>>;
    let mut by_key: Parts = BTreeMap::new();
    let mut by_resp: Parts = BTreeMap::new();
    for (k, r, t) in scored {
        by_key.entry(k).or_default().entry(r).or_default().push(t);
        by_resp.entry(r).or_default().entry(k).or_default().push(t);
    }
    for (label, parts) in [("SPLIT", &by_key), ("MERGE", &by_resp)] {
        for (head, groups) in parts {
            if groups.len() < 2 {
                continue;
            }
            let desc: Vec<String> = groups
                .values()
                .map(|ts| format!("[{}]", ts.join(" | ")))
                .collect();
            eprintln!("{label}\t{head}\t{}", desc.join(" / "));
            if label == "MERGE" {
                for w in why.get(*head).into_iter().flatten() {
                    eprintln!("  BY\t{w}");
                }
            }
        }
    }
}

pub fn run(dir: &Path) -> Result<EvalResult, EvalError> {
    let docs = read_dir(dir)?;
    if docs.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    // One story per corpus folder.
    let mut corpora: BTreeMap<String, Vec<&MeantimeDoc>> = BTreeMap::new();
    for d in &docs {
        let key = d
            .path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        corpora.entry(key).or_default().push(d);
    }
    let (mut exact, mut overlap) = (Counts::default(), Counts::default());
    let mut key_labels: Vec<String> = Vec::new();
    let mut resp_labels: Vec<String> = Vec::new();
    let mut items_n = 0;
    // Per scored mention: (gold cluster, predicted entity, mention text), for the debug listing.
    let mut scored: Vec<(String, String, String)> = Vec::new();
    // Predicted entity -> the merges that built it ("rule: form = form"), for MERGE lines.
    let mut why: HashMap<String, Vec<String>> = HashMap::new();
    // PARALLAX_EVAL_DEBUG=1 prints each unmatched prediction (FP), unmatched gold (FN) and type
    // error (TY) to stderr, then the coreference errors: gold entities split over several
    // predicted ones (SPLIT) and predicted entities holding several gold ones (MERGE).
    let debug = std::env::var_os("PARALLAX_EVAL_DEBUG").is_some();
    for (corpus, mds) in &corpora {
        let items: Vec<Item> = mds.iter().map(|d| prepare(d)).collect();
        items_n += items.len();
        let docs: Vec<Document> = items.iter().map(|i| i.doc.clone()).collect();
        let mentions: Vec<Vec<Mention>> = docs.iter().map(detect).collect();
        let story: Vec<usize> = (0..docs.len()).collect();
        let entities = resolve(&docs, &mentions, &[story]);
        let mut ent_of: HashMap<(&str, usize, usize), &str> = HashMap::new();
        if debug {
            for e in &entities {
                why.insert(
                    format!("{corpus}|{}", e.id),
                    e.evidence
                        .iter()
                        .map(|v| format!("{}: {}", v.rule, v.forms.join(" = ")))
                        .collect(),
                );
            }
        }
        for e in &entities {
            for m in &e.mentions {
                ent_of.insert((m.doc.as_str(), m.start, m.end), e.id.as_str());
            }
        }
        for (item, ms) in items.iter().zip(&mentions) {
            let pred: Vec<&Mention> = ms
                .iter()
                .filter(|m| scored_type(m.ty) && m.start < item.region_end)
                .collect();
            let pe = matching(&pred, &item.gold, true);
            exact.add(&pred, item, &pe);
            let po = matching(&pred, &item.gold, false);
            overlap.add(&pred, item, &po);
            if debug {
                print_errors(&pred, item, &po);
            }
            for (i, j) in po {
                let p = pred[i];
                let Some(e) = ent_of.get(&(p.doc.as_str(), p.start, p.end)) else {
                    continue;
                };
                key_labels.push(format!("{corpus}|{}", item.gold[j].cluster));
                resp_labels.push(format!("{corpus}|{e}"));
                if debug {
                    scored.push((
                        key_labels.last().cloned().unwrap_or_default(),
                        resp_labels.last().cloned().unwrap_or_default(),
                        p.text.clone(),
                    ));
                }
            }
        }
    }
    if debug {
        print_coref_errors(&scored, &why);
    }
    let mut metrics = BTreeMap::new();
    exact.put("exact", &mut metrics);
    overlap.put("overlap", &mut metrics);
    let m = muc(&key_labels, &resp_labels);
    let b = b_cubed(&key_labels, &resp_labels);
    let c = ceaf_e(&key_labels, &resp_labels);
    metrics.insert("coref_muc_f1".into(), m.2);
    metrics.insert("coref_b3_p".into(), b.0);
    metrics.insert("coref_b3_r".into(), b.1);
    metrics.insert("coref_b3_f1".into(), b.2);
    metrics.insert("coref_ceafe_f1".into(), c.2);
    metrics.insert("coref_conll_f1".into(), (m.2 + b.2 + c.2) / 3.0);
    metrics.insert(
        "coref_mentions".into(),
        key_labels.len() as f64 / overlap.gold.max(1) as f64,
    );
    Ok(EvalResult {
        task: "entities".into(),
        dataset: dataset_name(dir),
        items: items_n,
        metrics,
        counts: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(start: usize, end: usize, ty: EntityType) -> Mention {
        Mention {
            doc: "d".into(),
            sentence: "d:0".into(),
            start,
            end,
            text: String::new(),
            ty,
            confidence: 1.0,
            role: None,
            points_to: None,
        }
    }

    fn gold(start: usize, end: usize, ty: EntityType) -> Gold {
        Gold {
            start,
            end,
            ty,
            cluster: String::new(),
        }
    }

    #[test]
    fn overlap_matching_is_one_to_one_and_prefers_heads() {
        // gold "Acme parent Zeta Corp" (0..20) and nested "Acme" (0..4)
        let g = vec![gold(0, 20, EntityType::Org), gold(0, 4, EntityType::Org)];
        let a = mention(0, 4, EntityType::Org);
        let b = mention(12, 20, EntityType::Org);
        let p = vec![&a, &b];
        let mut pairs = matching(&p, &g, false);
        pairs.sort();
        assert_eq!(pairs, vec![(0, 1), (1, 0)]);
        assert_eq!(matching(&p, &g, true), vec![(0, 1)]);
    }
}
