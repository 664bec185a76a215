//! Throughput of HTML extraction on the dev pages, one thread.
//!
//! `cargo bench -p parallax-ingest --bench html` extracts every
//! `shared/data/extraction/readability/*/source.html` ROUNDS times and prints pages/s and MB/s.
//! `shared/data` is found beside the repository (`../../../shared/data` from this crate) or at
//! `/work/shared/data`; when neither exists the bench prints a note and exits 0 (CI clones
//! without data). `PARALLAX_BENCH_ROUNDS` overrides the number of rounds.

use std::path::PathBuf;
use std::time::Instant;

const DEFAULT_ROUNDS: usize = 5;

fn data_dir() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    [beside, PathBuf::from("/work/shared/data")]
        .into_iter()
        .map(|d| d.join("extraction/readability"))
        .find(|d| d.is_dir())
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we do not support.
    let Some(dir) = data_dir() else {
        println!("html bench: no shared/data/extraction/readability found; skipped");
        return;
    };
    let mut pages = Vec::new();
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            println!("html bench: cannot read {}: {e}; skipped", dir.display());
            return;
        }
    };
    entries.sort();
    for d in entries {
        let Ok(bytes) = std::fs::read(d.join("source.html")) else {
            continue;
        };
        if let Ok(html) = parallax_ingest::decode::decode(&bytes, None) {
            pages.push(html);
        }
    }
    if pages.is_empty() {
        println!(
            "html bench: no readable pages in {}; skipped",
            dir.display()
        );
        return;
    }
    let rounds = std::env::var("PARALLAX_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let bytes: usize = pages.iter().map(String::len).sum();
    // One warm-up pass, then timed rounds.
    let mut sink = 0usize;
    for p in &pages {
        sink += parallax_ingest::html::extract(p, None).text.len();
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            sink += parallax_ingest::html::extract(p, None).text.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (pages.len() * rounds) as f64;
    // Reference point under the same machine load: the bare Readability port alone (no
    // metadata, boilerplate sample, nesting guard or paragraph rendering).
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            if let Ok(a) =
                dom_smoothie::Readability::new(p.as_str(), None, None).and_then(|mut r| r.parse())
            {
                sink += a.text_content.len();
            }
        }
    }
    let base = start.elapsed().as_secs_f64();
    println!(
        "html bench: bare dom_smoothie for reference: {:.1} pages/s, {:.2} MB/s",
        n / base,
        bytes as f64 * rounds as f64 / 1e6 / base,
    );
    println!(
        "html bench: {} pages x {rounds} rounds, {:.1} MB/round, one thread: {:.1} pages/s, {:.2} MB/s, {:.2} ms/page (checksum {sink})",
        pages.len(),
        bytes as f64 / 1e6,
        n / secs,
        bytes as f64 * rounds as f64 / 1e6 / secs,
        secs * 1000.0 / n,
    );
}
