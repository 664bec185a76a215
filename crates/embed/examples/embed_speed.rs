//! Embedding speed of the installed model on a file of texts, one per line, without the rest
//! of the pipeline: texts/s on all cores, the process's CPU seconds per 1,000 texts (steadier
//! than wall time on a shared machine), and with `--compare` how close the int8 products'
//! vectors are to the float ones.
//!
//! ```text
//! cargo run --release -p parallax-embed --example embed_speed -- TEXTS [--rounds N]
//!     [--clauses] [--float] [--compare] [--models DIR]
//! ```
//!
//! `--clauses` adds every text's clauses, as the pipeline embeds them (each distinct text once).

use parallax_core::embed::Embedder;
use parallax_embed::{OnnxEmbedder, Precision};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

/// User plus system CPU seconds of this process so far (all threads), from /proc; `None`
/// where there is no /proc. Linux reports them in ticks of 1/100 s on every architecture
/// Parallax builds for.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let (mut rounds, mut clauses, mut float, mut compare, mut models) =
        (1usize, false, false, false, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().ok_or("--rounds N")?.parse()?,
            "--clauses" => clauses = true,
            "--float" => float = true,
            "--compare" => compare = true,
            "--models" => models = Some(PathBuf::from(args.next().ok_or("--models DIR")?)),
            _ => file = Some(PathBuf::from(a)),
        }
    }
    let file = file.ok_or(
        "usage: embed_speed TEXTS [--rounds N] [--clauses] [--float] [--compare] [--models DIR]",
    )?;
    let text = std::fs::read_to_string(&file)?;
    let mut seen = HashSet::new();
    let mut texts: Vec<&str> = Vec::new();
    let mut asked = 0;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in &lines {
        let mut all = vec![*l];
        if clauses {
            all.extend(parallax_core::embed::clauses(l));
        }
        asked += all.len();
        for t in all {
            if seen.insert(t) {
                texts.push(t);
            }
        }
    }
    let files = parallax_embed::locate(&parallax_embed::models_dir(models.as_deref())?)?;
    let precision = if float {
        Precision::Float
    } else {
        Precision::Int8
    };
    let t = Instant::now();
    let e = OnnxEmbedder::load_with(&files, precision)?;
    println!(
        "{}: loaded in {:.2} s; {} lines, {} texts, {} distinct embedded, {} rounds",
        e.model_id(),
        t.elapsed().as_secs_f64(),
        lines.len(),
        asked,
        texts.len(),
        rounds
    );
    e.embed(&texts[..texts.len().min(16)])?;
    let (c0, t0) = (cpu_seconds(), Instant::now());
    let mut vectors = Vec::new();
    for _ in 0..rounds.max(1) {
        vectors = e.embed(&texts)?;
    }
    let wall = t0.elapsed().as_secs_f64();
    let n = (texts.len() * rounds.max(1)) as f64;
    print!("{:.1} texts/s", n / wall.max(1e-9));
    if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
        print!("; {:.2} CPU s per 1,000 texts", (b - a) * 1000.0 / n);
    }
    println!();
    if compare {
        let other = if float {
            Precision::Int8
        } else {
            Precision::Float
        };
        let o = OnnxEmbedder::load_with(&files, other)?;
        let w = o.embed(&texts)?;
        let cos: Vec<f32> = vectors
            .iter()
            .zip(&w)
            .map(|(a, b)| parallax_core::embed::dot(a, b))
            .collect();
        let min = cos.iter().copied().fold(f32::INFINITY, f32::min);
        let mean = cos.iter().sum::<f32>() / cos.len().max(1) as f32;
        let below = cos.iter().filter(|&&c| c < 0.99).count();
        println!(
            "cosine to {}: min {min:.4}, mean {mean:.4}, {below} of {} below 0.99",
            o.model_id(),
            cos.len()
        );
    }
    Ok(())
}
