//! Calibration of the story-grouping thresholds, in the open.
//!
//! `cargo run --release -p parallax-eval --example calibrate_stories -- DIR [--split YYYY-MM-DD]
//! [--grid] [--all-rows] [--show] [--set name=value,...]`
//!
//! Reads a stories data set like `parallax eval stories DIR`, computes each article's features
//! once, then groups with the default parameters (and, with `--grid`, every combination of a
//! small grid around them), printing B-cubed precision, recall and F1. With `--split`, gold
//! stories whose articles all precede the date form the calibration part and the rest the
//! check part; each part is grouped on its own, as two collections would be, and both are
//! scored, so a choice made on the older part can be checked on the newer one. `--show` prints
//! the found stories that mix gold stories, with titles and dates, for reading errors.

use parallax_core::model::Document;
use parallax_core::stories::{self, dedup::Signature, features, ArticleFeatures, Params};
use parallax_eval::stories::{found_labels, load, score};
use std::collections::BTreeMap;
use std::path::PathBuf;

struct Part {
    docs: Vec<Document>,
    feats: Vec<ArticleFeatures>,
    sigs: Vec<Signature>,
    gold: Vec<usize>,
}

fn part(
    keep: &[bool],
    docs: &[Document],
    feats: &[ArticleFeatures],
    sigs: &[Signature],
    gold: &[usize],
) -> Part {
    let pick = |i: &usize| keep[*i];
    let idx: Vec<usize> = (0..docs.len()).filter(pick).collect();
    Part {
        docs: idx.iter().map(|&i| docs[i].clone()).collect(),
        feats: idx.iter().map(|&i| feats[i].clone()).collect(),
        sigs: idx.iter().map(|&i| sigs[i]).collect(),
        gold: idx.iter().map(|&i| gold[i]).collect(),
    }
}

fn run(p: &Part, params: Params) -> (BTreeMap<String, f64>, stories::Grouping) {
    let g = stories::group_features(&p.docs, &p.feats, &p.sigs, params);
    let found = found_labels(p.gold.len(), &g);
    (score(&found, &p.gold), g)
}

fn line(name: &str, m: &BTreeMap<String, f64>, g: &stories::Grouping) -> String {
    format!(
        "{name:<12} b3 P {:.3} R {:.3} F1 {:.3} | pair F1 {:.3} | stories {} threads {}",
        m["b3_precision"],
        m["b3_recall"],
        m["b3_f1"],
        m["pairwise_f1"],
        g.stories.len(),
        g.threads.iter().max().map_or(0, |t| t + 1)
    )
}

fn show(p: &Part, g: &stories::Grouping) {
    for (n, s) in g.stories.iter().enumerate() {
        let mut golds: Vec<usize> = s.iter().map(|&i| p.gold[i]).collect();
        golds.sort_unstable();
        golds.dedup();
        if golds.len() < 2 {
            continue;
        }
        println!(
            "story {n} (thread {}): {} gold stories",
            g.threads[n],
            golds.len()
        );
        for &i in s {
            let d = &p.docs[i];
            println!(
                "   g{:<4} {} {}",
                p.gold[i],
                d.published.as_deref().unwrap_or("-"),
                d.title.as_deref().unwrap_or("")
            );
        }
    }
}

fn show_splits(p: &Part, g: &stories::Grouping) {
    let found = found_labels(p.gold.len(), g);
    let n_gold = p.gold.iter().max().map_or(0, |m| m + 1);
    for gold in 0..n_gold {
        let members: Vec<usize> = (0..p.gold.len()).filter(|&i| p.gold[i] == gold).collect();
        let mut fs: Vec<usize> = members.iter().map(|&i| found[i]).collect();
        fs.sort_unstable();
        fs.dedup();
        if fs.len() < 2 {
            continue;
        }
        println!("gold {gold}: split into {} stories", fs.len());
        for &i in &members {
            let d = &p.docs[i];
            println!(
                "   s{:<4} {} {}",
                found[i],
                d.published.as_deref().unwrap_or("-"),
                d.title.as_deref().unwrap_or("")
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: calibrate_stories DIR [--split YYYY-MM-DD] [--grid] [--show]");
        std::process::exit(2);
    };
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .and_then(|d| features::day_of(Some(d)));
    let data = match load(&dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (feats, sigs) = stories::extract_all(&data.docs, &data.mentions, &data.times);

    // Each gold story's last day decides its part.
    let n_gold = data.gold.iter().max().map_or(0, |m| m + 1);
    let mut last = vec![i32::MIN; n_gold];
    for (i, &g) in data.gold.iter().enumerate() {
        last[g] = last[g].max(feats[i].day.unwrap_or(i32::MIN));
    }
    let all = vec![true; data.docs.len()];
    let mut parts = vec![("all", part(&all, &data.docs, &feats, &sigs, &data.gold))];
    if let Some(cut) = split {
        let older: Vec<bool> = data.gold.iter().map(|&g| last[g] < cut).collect();
        let newer: Vec<bool> = older.iter().map(|o| !o).collect();
        parts.push(("older", part(&older, &data.docs, &feats, &sigs, &data.gold)));
        parts.push(("newer", part(&newer, &data.docs, &feats, &sigs, &data.gold)));
    }

    let mut base = Params::default();
    // `--set threshold=0.3,name_weight=0.2,...` overrides defaults.
    if let Some(set) = args
        .iter()
        .position(|a| a == "--set")
        .and_then(|i| args.get(i + 1))
    {
        for kv in set.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let Ok(v) = v.parse::<f32>() else { continue };
            match k {
                "threshold" => base.threshold = v,
                "name_weight" => base.name_weight = v,
                "free_days" => base.free_days = v,
                "decay_days" => base.decay_days = v,
                "thread_threshold" => base.thread_threshold = v,
                "thread_free_days" => base.thread_free_days = v,
                "thread_decay_days" => base.thread_decay_days = v,
                "full_idf_docs" => base.full_idf_docs = v,
                "event_day_penalty" => base.event_day_penalty = v,
                "quiet_free_days" => base.quiet_free_days = v,
                "quiet_decay_days" => base.quiet_decay_days = v,
                "quiet_threshold" => base.quiet_threshold = v,
                "quiet_rival" => base.quiet_rival = v,
                _ => eprintln!("unknown parameter {k}"),
            }
        }
    }
    println!("defaults: {base:?}");
    for (name, p) in &parts {
        let (m, g) = run(p, base);
        println!("{}  ({} articles)", line(name, &m, &g), p.gold.len());
        if args.iter().any(|a| a == "--show") && *name == "all" {
            show(p, &g);
        }
        if args.iter().any(|a| a == "--show-splits") && *name == "all" {
            show_splits(p, &g);
        }
    }
    if !args.iter().any(|a| a == "--grid") {
        return;
    }
    // Grid around the defaults; rows sorted by F1 on the first part after "all" when split
    // (the calibration part), else on "all".
    let tune = if parts.len() > 1 { 1 } else { 0 };
    let mut rows = Vec::new();
    for threshold in [0.23f32] {
        for name_weight in [0.05f32] {
            for (free_days, decay_days) in [(1.0f32, 2.0f32)] {
                for (quiet_free_days, quiet_decay_days) in [(3.0f32, 4.0f32), (4.0, 4.0)] {
                    for quiet_threshold in [0.10f32, 0.12, 0.15, 0.18, 0.23] {
                        for quiet_rival in [0.65f32, 0.5, 0.4] {
                            let params = Params {
                                threshold,
                                name_weight,
                                free_days,
                                decay_days,
                                quiet_free_days,
                                quiet_decay_days,
                                quiet_threshold,
                                quiet_rival,
                                ..base
                            };
                            let scores: Vec<BTreeMap<String, f64>> =
                                parts.iter().map(|(_, p)| run(p, params).0).collect();
                            rows.push((params, scores));
                        }
                    }
                }
            }
        }
    }
    rows.sort_by(|a, b| b.1[tune]["b3_f1"].total_cmp(&a.1[tune]["b3_f1"]));
    println!(
        "\nthreshold name_w free decay quiet_free quiet_decay quiet_threshold quiet_rival | b3 F1 (P/R) per part: {}",
        parts.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
    );
    let shown = if args.iter().any(|a| a == "--all-rows") {
        rows.len()
    } else {
        25
    };
    for (p, scores) in rows.iter().take(shown) {
        let cells: Vec<String> = scores
            .iter()
            .map(|m| {
                format!(
                    "{:.3} ({:.3}/{:.3})",
                    m["b3_f1"], m["b3_precision"], m["b3_recall"]
                )
            })
            .collect();
        println!(
            "{:.2} {:.2} {:.0} {:.0} {:.0} {:.0} {:.2} {:.2} | {}",
            p.threshold,
            p.name_weight,
            p.free_days,
            p.decay_days,
            p.quiet_free_days,
            p.quiet_decay_days,
            p.quiet_threshold,
            p.quiet_rival,
            cells.join("  ")
        );
    }
}
