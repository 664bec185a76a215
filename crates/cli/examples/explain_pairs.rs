//! Prints the pair model's probabilities for the cross-outlet sentence pairs of a few articles,
//! for reading why two sentences were (or were not) aligned.
//!
//! ```sh
//! cargo run --release -p parallax --example explain_pairs -- [--min P] [--grep TEXT] FILE...
//! ```
//! The files are read as `parallax analyze` reads them and taken as one story. Each pair with
//! a probability of at least `--min` (default 0.2), or whose sentences contain `--grep` (both
//! sides, `|`-separated: `--grep 'back to Libya|flown back'`), is printed with `p` (same
//! fact), `p_apart` (the same with disagreeing values left out), the thresholds of the variant
//! that scored it and, with `--features`, every feature value. `--jsonl` prints one JSON
//! object per pair instead (full sentences and every feature), for scripts. Embeddings are used when the
//! model is installed (`parallax models fetch`), words only otherwise.

use parallax_core::embed::embed_documents;
use parallax_core::stories::align as core_align;
use parallax_core::stories::pair::FEATURES;
use parallax_core::stories::{EmbeddingSimilarity, LexicalSimilarity};
use parallax_core::{analyze, Options};
use std::path::PathBuf;
use std::sync::Arc;

fn main() -> anyhow::Result<()> {
    let mut min = 0.2f64;
    let mut grep: Option<(String, String)> = None;
    let mut show_features = false;
    let mut jsonl = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--min" => {
                let v = args.next().unwrap_or_default();
                min = v
                    .parse()
                    .map_err(|e| anyhow::anyhow!("--min {v:?}: not a probability ({e})"))?;
            }
            "--grep" => {
                let g = args
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("--grep needs a text, or 'A|B'"))?;
                let (x, y) = g.split_once('|').unwrap_or((&g, &g));
                grep = Some((x.to_lowercase(), y.to_lowercase()));
            }
            "--features" => show_features = true,
            "--jsonl" => jsonl = true,
            _ => files.push(PathBuf::from(a)),
        }
    }
    let ingested =
        parallax_ingest::read_paths(&files, &parallax_ingest::IngestOptions::default(), |_| {});
    // An unreadable file is named and left out; the others are still read as one story.
    for e in &ingested.errors {
        eprintln!("explain_pairs: {e}");
    }
    if ingested.inputs.len() < 2 {
        anyhow::bail!("explain_pairs needs at least two readable articles (one story)");
    }
    let dir = parallax_embed::models_dir(None)?;
    let embedder = parallax_embed::load(&dir).ok().map(Arc::new);
    let opts = Options {
        embedder: embedder
            .clone()
            .map(|e| e as Arc<dyn parallax_core::embed::Embedder>),
        ..Options::default()
    };
    let report = analyze(ingested.inputs, &opts);
    let docs: Vec<&parallax_core::Document> = report.documents.iter().collect();
    let times: Vec<&parallax_core::TimeExpr> = report.times.iter().collect();
    let claims = core_align::features(&docs, &report.entities, &times);
    let pairs = core_align::cross_outlet_pairs(&claims);
    let vectors = match &embedder {
        Some(e) => Some(embed_documents(
            e.as_ref(),
            &docs,
            core_align::MIN_QUOTE_WORDS,
        )?),
        None => None,
    };
    let feats = match &vectors {
        Some(v) => core_align::story_pair_features(&claims, &pairs, &EmbeddingSimilarity::new(v)),
        None => core_align::story_pair_features(&claims, &pairs, &LexicalSimilarity),
    };
    let mut rows: Vec<_> = feats
        .iter()
        .map(|(&(i, j), (x, emb))| (core_align::align_score(*x, *emb), i, j, x))
        .filter(|(s, i, j, _)| {
            let (a, b) = (
                claims[*i].text.to_lowercase(),
                claims[*j].text.to_lowercase(),
            );
            match &grep {
                Some((x, y)) => {
                    (a.contains(x) && b.contains(y)) || (a.contains(y) && b.contains(x))
                }
                None => s.p >= min,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.0.p.total_cmp(&a.0.p));
    let cut = |t: &str| t.chars().take(110).collect::<String>();
    for (s, i, j, x) in rows {
        if jsonl {
            let features: serde_json::Map<String, serde_json::Value> = FEATURES
                .iter()
                .enumerate()
                .map(|(k, name)| (name.to_string(), serde_json::json!(x[k])))
                .collect();
            println!(
                "{}",
                serde_json::json!({
                    "p": s.p, "p_apart": s.p_apart_from_values,
                    "a": claims[i].text, "b": claims[j].text, "features": features,
                })
            );
            continue;
        }
        println!(
            "p {:.3} apart {:.3} (agree {:.3}, conflict {:.3}, related {:.3})",
            s.p, s.p_apart_from_values, s.variant.agree, s.variant.conflict, s.variant.related
        );
        println!("  {}", cut(&claims[i].text));
        println!("  {}", cut(&claims[j].text));
        if show_features {
            for (k, name) in FEATURES.iter().enumerate() {
                if x[k] != 0.0 {
                    println!(
                        "    {name:<18} {:>8.3}  w {:>7.3}",
                        x[k], s.variant.weights[k]
                    );
                }
            }
        }
    }
    Ok(())
}
