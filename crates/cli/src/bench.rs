//! `parallax bench`: throughput of the per-article stages, in words per second on one core.

use anyhow::{bail, Result};
use parallax_core::{claims, clean, entities, time, ArticleInput};
use parallax_ingest::{read_paths, IngestOptions};
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Reads the corpus once, then times each stage over `rounds` passes and prints a table.
pub fn run(paths: &[PathBuf], rounds: usize) -> Result<String> {
    let mut out = String::new();
    let paths = if paths.is_empty() {
        vec![PathBuf::from("examples/articles")]
    } else {
        paths.to_vec()
    };
    let ingested = read_paths(&paths, &IngestOptions::default(), |_| {});
    if ingested.inputs.is_empty() {
        bail!("no articles to benchmark under the given paths");
    }
    let inputs: Vec<ArticleInput> = ingested.inputs;
    let rounds = rounds.max(1);
    let words: usize = inputs
        .iter()
        .map(|i| parallax_core::text::word_count(&i.body))
        .sum();
    writeln!(
        out,
        "corpus: {} articles, {} words, {} rounds (single thread)",
        inputs.len(),
        words,
        rounds
    )?;
    writeln!(
        out,
        "{:<34} {:>14} {:>12}",
        "stage (cumulative)", "words/s", "ms/round"
    )?;

    // Warm up: compile the lazily built lexicons and regexes outside the timed loops.
    let warm: Vec<_> = inputs.iter().take(3).cloned().map(clean::clean).collect();
    for d in &warm {
        let m = entities::detect(d);
        let _ = time::tag(d);
        let mut d = d.clone();
        claims::annotate(&mut d, &m);
    }
    let t = Instant::now();
    let mut docs = Vec::new();
    for _ in 0..rounds {
        docs = inputs.iter().cloned().map(clean::clean).collect::<Vec<_>>();
    }
    let clean_s = t.elapsed().as_secs_f64();
    line(&mut out, "clean + segment", words, rounds, clean_s);

    let t = Instant::now();
    let mut mentions = Vec::new();
    for _ in 0..rounds {
        mentions = docs.iter().map(entities::detect).collect::<Vec<_>>();
    }
    let ent_s = t.elapsed().as_secs_f64();
    line(&mut out, "+ entities", words, rounds, clean_s + ent_s);

    let t = Instant::now();
    for _ in 0..rounds {
        let _ = docs.iter().map(time::tag).collect::<Vec<_>>();
    }
    let time_s = t.elapsed().as_secs_f64();
    line(&mut out, "+ time", words, rounds, clean_s + ent_s + time_s);

    let t = Instant::now();
    for _ in 0..rounds {
        for (d, m) in docs.iter_mut().zip(&mentions) {
            claims::annotate(d, m);
        }
    }
    let claims_s = t.elapsed().as_secs_f64();
    line(
        &mut out,
        "+ claims and framing",
        words,
        rounds,
        clean_s + ent_s + time_s + claims_s,
    );
    Ok(out)
}

fn line(out: &mut String, name: &str, words: usize, rounds: usize, secs: f64) {
    let wps = (words * rounds) as f64 / secs.max(1e-9);
    let _ = writeln!(
        out,
        "{:<34} {:>14.0} {:>12.2}",
        name,
        wps,
        secs * 1000.0 / rounds as f64
    );
}
