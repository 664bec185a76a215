//! `parallax bench`: throughput of the per-article stages, in words per second on one thread.
//!
//! Files are read into memory first, so the numbers measure Parallax, not the disk. Each stage
//! runs `rounds` times over the whole corpus after one warm-up pass (which builds the lazily
//! compiled lexicons and regexes); the table is cumulative: each line is the throughput of
//! everything up to and including that stage.

pub mod hostile;
pub mod search;

use anyhow::{bail, Result};
use parallax_core::{claims, clean, entities, time, ArticleInput};
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Instant;

pub fn run(paths: &[PathBuf], rounds: usize, max_bytes: u64) -> Result<String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("examples/articles")]
    } else {
        paths.to_vec()
    };
    let (files, _) = parallax_ingest::list_files(&paths);
    let raw: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter_map(|f| {
            parallax_ingest::read_bytes(&f, max_bytes)
                .map_err(|e| {
                    let e = parallax_ingest::IngestError::new(parallax_ingest::path_text(&f), e);
                    eprintln!(
                        "parallax: skipped {}",
                        parallax_core::text::inert(&e.to_string())
                    );
                })
                .ok()
                .map(|b| (f, b))
        })
        .collect();
    let parse_all = || -> Vec<ArticleInput> {
        raw.iter()
            .flat_map(|(p, b)| parallax_ingest::formats::parse(p, b).0)
            .collect()
    };
    let inputs = parse_all();
    if inputs.is_empty() {
        bail!("no articles to benchmark under the given paths");
    }
    let rounds = rounds.max(1);
    let words: usize = inputs
        .iter()
        .map(|i| parallax_core::text::word_count(&i.body))
        .sum();
    let bytes: usize = raw.iter().map(|(_, b)| b.len()).sum();

    // Warm-up outside the timed loops.
    for d in inputs.iter().take(3).cloned().map(clean::clean) {
        let m = entities::detect(&d);
        let _ = time::tag(&d);
        let mut d = d;
        claims::annotate(&mut d, &m);
    }

    let mut out = String::new();
    writeln!(
        out,
        "corpus: {} files, {} articles, {} words, {:.1} MB; {} rounds, single thread",
        raw.len(),
        inputs.len(),
        words,
        bytes as f64 / 1e6,
        rounds
    )?;
    writeln!(
        out,
        "{:<34} {:>14} {:>12}",
        "stage (cumulative)", "words/s", "ms/round"
    )?;

    let mut total = 0.0;
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(parse_all());
    }
    total += t.elapsed().as_secs_f64();
    line(&mut out, "decode + parse formats", words, rounds, total);

    let t = Instant::now();
    let mut docs = Vec::new();
    for _ in 0..rounds {
        docs = inputs.iter().cloned().map(clean::clean).collect::<Vec<_>>();
    }
    total += t.elapsed().as_secs_f64();
    line(&mut out, "+ clean + segment", words, rounds, total);

    let t = Instant::now();
    let mut mentions = Vec::new();
    for _ in 0..rounds {
        mentions = docs.iter().map(entities::detect).collect::<Vec<_>>();
    }
    total += t.elapsed().as_secs_f64();
    line(&mut out, "+ entities", words, rounds, total);

    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(docs.iter().map(time::tag).collect::<Vec<_>>());
    }
    total += t.elapsed().as_secs_f64();
    line(&mut out, "+ time", words, rounds, total);

    let t = Instant::now();
    for _ in 0..rounds {
        for (d, m) in docs.iter_mut().zip(&mentions) {
            claims::annotate(d, m);
        }
    }
    total += t.elapsed().as_secs_f64();
    line(&mut out, "+ claims and framing", words, rounds, total);
    Ok(out)
}

/// Embedding throughput and whole-pipeline articles per second with embeddings off and on.
/// `embedder` is the loaded model (none: only the words-only pipeline is timed).
pub fn run_embeddings(
    paths: &[PathBuf],
    rounds: usize,
    embedder: Option<std::sync::Arc<dyn parallax_core::embed::Embedder>>,
    note: Option<String>,
) -> Result<String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("examples/articles")]
    } else {
        paths.to_vec()
    };
    let inputs = parallax_ingest::read_paths(
        &paths,
        &parallax_ingest::IngestOptions {
            max_bytes: parallax_ingest::DEFAULT_MAX_BYTES,
        },
        |_| {},
    )
    .inputs;
    if inputs.is_empty() {
        bail!("no articles to benchmark under the given paths");
    }
    let rounds = rounds.max(1);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = String::new();
    writeln!(
        out,
        "\nwhole pipeline (analyze): {} articles, {} rounds; embeddings on {} cores",
        inputs.len(),
        rounds,
        threads
    )?;
    let time_pipeline = |opts: &parallax_core::Options| {
        let t = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(parallax_core::analyze(inputs.clone(), opts));
        }
        t.elapsed().as_secs_f64()
    };
    let off = time_pipeline(&parallax_core::Options::default());
    writeln!(
        out,
        "{:<34} {:>14.1} articles/s",
        "embeddings off",
        (inputs.len() * rounds) as f64 / off.max(1e-9)
    )?;
    let Some(e) = embedder else {
        writeln!(
            out,
            "embeddings on: not measured ({})",
            note.unwrap_or_default()
        )?;
        return Ok(out);
    };
    let docs: Vec<parallax_core::Document> = inputs.iter().cloned().map(clean::clean).collect();
    let texts: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.sentences())
        .map(|s| s.text.as_str())
        .filter(|t| parallax_core::text::word_count(t) >= parallax_core::stories::align::MIN_WORDS)
        .collect();
    let _ = e.embed(&texts[..texts.len().min(8)]);
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(e.embed(&texts).map_err(|x| anyhow::anyhow!("{x}"))?);
    }
    let secs = t.elapsed().as_secs_f64();
    writeln!(
        out,
        "{:<34} {:>14.1} sentences/s ({} sentences)",
        "embedding alone",
        (texts.len() * rounds) as f64 / secs.max(1e-9),
        texts.len()
    )?;
    let on = time_pipeline(&parallax_core::Options {
        embedder: Some(e),
        ..parallax_core::Options::default()
    });
    writeln!(
        out,
        "{:<34} {:>14.1} articles/s (sentences and their clauses embedded)",
        "embeddings on",
        (inputs.len() * rounds) as f64 / on.max(1e-9)
    )?;
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
