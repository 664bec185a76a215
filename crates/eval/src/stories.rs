//! `parallax eval stories`: story grouping scored on BASIL and on AllSides roundups.
//!
//! Two formats, both read when present:
//! - BASIL: `DIR/articles/**/<uuid>_<n>.json` (or `DIR/**/*.json` when there is no `articles`
//!   folder); each record's `triplet-uuid` is its gold story. Documents are built from
//!   `title`, `body-paragraphs` (a list of paragraphs, each a list of sentences) and `date`.
//! - AllSides roundups ([`allsides`]): `DIR/**/*.jsonl`, one roundup per line; the roundup is
//!   the gold story of its left, centre and right articles.
//!
//! Documents are cleaned with [`parallax_core::clean::clean`], given mentions by
//! [`parallax_core::entities::detect`] and times by [`parallax_core::time::tag`], and grouped
//! in input order (sorted file paths, then line order) with [`parallax_core::stories::group`].
//!
//! Metrics (all in 0..1): pairwise precision/recall/F1 over same-story article pairs; B-cubed
//! precision/recall/F1 (per-article overlap of found and gold story, averaged);
//! `stories_found_ratio` = min(found, gold) / max(found, gold); and the raw counts as shares of
//! the number of articles (`items`): `found_stories_per_article` and `gold_stories_per_article`
//! (multiply by `items` for the counts).

use crate::allsides;
use crate::metrics::{f1, prf};
use crate::{dataset_name, EvalError, EvalResult};
use parallax_core::model::{ArticleInput, Document, InputKind, Mention, Metadata, TimeExpr};
use parallax_core::{clean, entities, stories, time};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One article: its gold story and the input Parallax reads.
pub(crate) struct Item {
    pub(crate) story: String,
    pub(crate) input: ArticleInput,
}

/// The articles of a stories data set, analysed up to grouping, with their gold stories.
pub struct StoriesData {
    pub docs: Vec<Document>,
    pub mentions: Vec<Vec<Mention>>,
    pub times: Vec<Vec<TimeExpr>>,
    /// Gold story number of each document (numbered in order of first appearance).
    pub gold: Vec<usize>,
}

/// Reads every BASIL record and AllSides roundup under `dir` (sorted paths, then line order)
/// and runs the per-article stages grouping needs.
pub fn load(dir: &Path) -> Result<StoriesData, EvalError> {
    let root = if dir.join("articles").is_dir() {
        dir.join("articles")
    } else {
        dir.to_path_buf()
    };
    let files = crate::files_under(&root, &["json", "jsonl"])?;
    let mut items = Vec::new();
    for f in &files {
        if f.extension().is_some_and(|x| x == "jsonl") {
            // Bad lines are named (file:line) and skipped inside; the rest of the file counts.
            match allsides::read_file(f) {
                Ok(read) => {
                    for e in &read.skipped {
                        eprintln!("parallax: skipped {e}");
                    }
                    items.extend(read.items);
                }
                Err(e) => eprintln!("parallax: skipped {e}"),
            }
            continue;
        }
        match read_item(f) {
            Ok(Some(item)) => items.push(item),
            Ok(None) => {}
            // One bad file is named and skipped; the rest is still grouped and scored.
            Err(e) => eprintln!(
                "parallax: skipped {}",
                parallax_core::text::inert(&e.to_string())
            ),
        }
    }
    if items.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    let gold: Vec<String> = items.iter().map(|i| i.story.clone()).collect();
    let docs: Vec<Document> = items.into_iter().map(|i| clean::clean(i.input)).collect();
    let mentions: Vec<Vec<Mention>> = docs.iter().map(entities::detect).collect();
    let times: Vec<Vec<TimeExpr>> = docs.iter().map(time::tag).collect();
    Ok(StoriesData {
        docs,
        mentions,
        times,
        gold: intern(&gold),
    })
}

pub fn run(dir: &Path) -> Result<EvalResult, EvalError> {
    let data = load(dir)?;
    let grouping = stories::group_timed(&data.docs, &data.mentions, &data.times);
    Ok(result(dir, &data.gold, &grouping))
}

/// The eval result of `grouping` against `gold`.
pub fn result(dir: &Path, gold: &[usize], grouping: &stories::Grouping) -> EvalResult {
    let found = found_labels(gold.len(), grouping);
    let gold_n = gold.iter().max().map_or(0, |m| m + 1);
    let mut counts = BTreeMap::new();
    counts.insert("stories_found".to_string(), grouping.stories.len() as u64);
    counts.insert("gold_stories".to_string(), gold_n as u64);
    counts.insert(
        "threads_found".to_string(),
        grouping.threads.iter().max().map_or(0, |m| m + 1) as u64,
    );
    counts.insert(
        "duplicates_found".to_string(),
        grouping.duplicates.len() as u64,
    );
    EvalResult {
        task: "stories".into(),
        dataset: dataset_name(dir),
        items: gold.len(),
        metrics: score(&found, gold),
        counts,
    }
}

/// The found story number of each of `n` documents.
pub fn found_labels(n: usize, grouping: &stories::Grouping) -> Vec<usize> {
    let mut found = vec![0usize; n];
    for (k, s) in grouping.stories.iter().enumerate() {
        for &i in s {
            if let Some(x) = found.get_mut(i) {
                *x = k;
            }
        }
    }
    found
}

/// Reads one BASIL record; `None` for JSON files that are not articles (no `triplet-uuid`).
fn read_item(path: &Path) -> Result<Option<Item>, EvalError> {
    let text = crate::read::text(path)?;
    parse_item(path, &text)
}

/// One BASIL article record; `None` when it has no `triplet-uuid` (not a BASIL article).
fn parse_item(path: &Path, text: &str) -> Result<Option<Item>, EvalError> {
    let v: Value = serde_json::from_str(text).map_err(|e| EvalError::data(path, e))?;
    let Some(story) = v.get("triplet-uuid").and_then(Value::as_str) else {
        return Ok(None);
    };
    let paras: Vec<String> = v
        .get("body-paragraphs")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| match p {
                    Value::Array(ss) => ss
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    Value::String(s) => s.clone(),
                    _ => String::new(),
                })
                .filter(|p| !p.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(Item {
        story: story.to_string(),
        input: ArticleInput {
            id,
            source: path.display().to_string(),
            kind: InputKind::Json,
            body: paras.join("\n\n"),
            hints: Metadata {
                title: s("title"),
                published: s("date"),
                url: s("url"),
                outlet: s("source"),
                ..Metadata::default()
            },
            boilerplate: Vec::new(),
        },
    }))
}

fn intern(labels: &[String]) -> Vec<usize> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    labels
        .iter()
        .map(|l| {
            let n = ids.len();
            *ids.entry(l.as_str()).or_insert(n)
        })
        .collect()
}

/// Clustering scores of `found` against `gold` (cluster labels per item).
pub fn score(found: &[usize], gold: &[usize]) -> BTreeMap<String, f64> {
    let n = found.len().min(gold.len());
    let (found, gold) = (&found[..n], &gold[..n]);
    let mut m = BTreeMap::new();

    // Pairwise: pairs in one found story vs pairs in one gold story.
    let pairs = |labels: &[usize]| -> usize {
        let mut c: HashMap<usize, usize> = HashMap::new();
        for l in labels {
            *c.entry(*l).or_insert(0) += 1;
        }
        c.values().map(|k| k * k.saturating_sub(1) / 2).sum()
    };
    let mut both: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..n {
        *both.entry((found[i], gold[i])).or_insert(0) += 1;
    }
    let tp: usize = both.values().map(|k| k * k.saturating_sub(1) / 2).sum();
    // With no pairs on a side, that side's score is vacuously perfect.
    let (np, ng_pairs) = (pairs(found), pairs(gold));
    let (p, r, _) = prf(tp, np, ng_pairs);
    let pp = if np == 0 { 1.0 } else { p };
    let pr = if ng_pairs == 0 { 1.0 } else { r };
    let pf = f1(pp, pr);
    m.insert("pairwise_precision".into(), pp);
    m.insert("pairwise_recall".into(), pr);
    m.insert("pairwise_f1".into(), pf);

    // B-cubed.
    let mut size_f: HashMap<usize, usize> = HashMap::new();
    let mut size_g: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        *size_f.entry(found[i]).or_insert(0) += 1;
        *size_g.entry(gold[i]).or_insert(0) += 1;
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for i in 0..n {
        let overlap = both[&(found[i], gold[i])] as f64;
        bp += overlap / size_f[&found[i]] as f64;
        br += overlap / size_g[&gold[i]] as f64;
    }
    let (bp, br) = if n == 0 {
        (0.0, 0.0)
    } else {
        (bp / n as f64, br / n as f64)
    };
    m.insert("b3_precision".into(), bp);
    m.insert("b3_recall".into(), br);
    m.insert("b3_f1".into(), f1(bp, br));

    let (nf, ng) = (size_f.len(), size_g.len());
    let ratio = if nf.max(ng) == 0 {
        0.0
    } else {
        nf.min(ng) as f64 / nf.max(ng) as f64
    };
    m.insert("stories_found_ratio".into(), ratio);
    let per = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    m.insert("found_stories_per_article".into(), per(nf));
    m.insert("gold_stories_per_article".into(), per(ng));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn reader_never_panics(s in "\\PC{0,300}") {
            let _ = parse_item(Path::new("x.json"), &s);
        }

        #[test]
        fn reader_takes_arbitrary_field_values(uuid in "\\PC{0,20}", para in "\\PC{0,80}") {
            let v = serde_json::json!({"triplet-uuid": uuid, "body-paragraphs": [[para]], "date": 7});
            let item = parse_item(Path::new("x.json"), &v.to_string());
            proptest::prop_assert!(matches!(item, Ok(Some(_))));
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn perfect_grouping_scores_one() {
        let m = score(&[0, 0, 1, 1, 2], &[5, 5, 7, 7, 9]);
        for k in ["pairwise_f1", "b3_f1", "stories_found_ratio"] {
            assert!(close(m[k], 1.0), "{k} = {}", m[k]);
        }
    }

    #[test]
    fn merged_stories_lose_precision() {
        // Gold {a,b} {c,d}; found all in one story.
        let m = score(&[0, 0, 0, 0], &[0, 0, 1, 1]);
        assert!(close(m["pairwise_precision"], 2.0 / 6.0));
        assert!(close(m["pairwise_recall"], 1.0));
        assert!(close(m["b3_precision"], 0.5));
        assert!(close(m["b3_recall"], 1.0));
        assert!(close(m["stories_found_ratio"], 0.5));
        assert!(close(m["found_stories_per_article"], 0.25));
    }

    #[test]
    fn split_stories_lose_recall() {
        // Gold {a,b,c}; found {a,b} {c}.
        let m = score(&[0, 0, 1], &[0, 0, 0]);
        assert!(close(m["pairwise_precision"], 1.0));
        assert!(close(m["pairwise_recall"], 1.0 / 3.0));
        assert!(close(m["b3_precision"], 1.0));
        assert!(close(m["b3_recall"], (2.0 / 3.0 * 2.0 + 1.0 / 3.0) / 3.0));
        assert!(m.values().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn reads_a_basil_record() {
        let dir =
            std::env::temp_dir().join(format!("parallax-eval-stories-{}", std::process::id()));
        let sub = dir.join("articles").join("2020");
        std::fs::create_dir_all(&sub).expect("temp dir");
        let rec = r#"{"title": "Bridge opens", "date": "2020-01-02", "triplet-uuid": "t1",
            "body-paragraphs": [["The new bridge over the Sarn opened.", "Crowds came."], ["Traffic flowed."]]}"#;
        std::fs::write(sub.join("t1_1.json"), rec).expect("write");
        std::fs::write(sub.join("t1_2.json"), rec).expect("write");
        std::fs::write(sub.join("other.json"), "{\"x\": 1}").expect("write");
        let r = run(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let r = r.expect("eval runs");
        assert_eq!(r.items, 2);
        assert!(close(r.metrics["b3_f1"], 1.0));
    }
}
