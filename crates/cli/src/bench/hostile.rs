//! `parallax bench --hostile`: each hostile input shape ([`parallax_stress`]) beside one good
//! article, at growing sizes, through the real path (format readers, then the whole pipeline).
//! Prints seconds per MB of input (flat across sizes means linear) and peak memory.
//!
//! Every run is a child process (`--run-one SHAPE:BYTES`), so peak memory is that run's alone
//! and a run that takes too long can be stopped without losing the table.

use anyhow::{bail, Context, Result};
use parallax_core::{analyze, Options};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone, Copy)]
struct Run {
    bytes: usize,
    secs: f64,
    /// Peak resident memory of the run's process, and its resident memory before the input
    /// was generated, in kB (0 where the system does not say).
    peak_kb: u64,
    base_kb: u64,
}

enum Outcome {
    Done(Run),
    TimedOut,
    Failed(String),
}

/// Runs every selected shape at every size and renders the table.
pub fn run(sizes_mb: &[f64], only: &[String], timeout: Duration) -> Result<String> {
    let shapes: Vec<&parallax_stress::Shape> = parallax_stress::shapes()
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s.name))
        .collect();
    if shapes.is_empty() {
        bail!(
            "no such shape; shapes: {}",
            parallax_stress::shapes()
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let exe = std::env::current_exe().context("finding the parallax binary")?;
    let mut rows = Vec::new();
    for shape in &shapes {
        let mut cells = Vec::new();
        for &mb in sizes_mb {
            let bytes = (mb * 1e6) as usize;
            let outcome = run_child(&exe, shape.name, bytes, timeout);
            eprintln!(
                "parallax bench: {} at {} MB: {}",
                shape.name,
                mb,
                describe(&outcome)
            );
            cells.push(outcome);
        }
        rows.push((shape.name, cells));
    }
    Ok(table(sizes_mb, &rows, timeout))
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Done(r) => format!("{:.2} s, peak {:.0} MB", r.secs, r.peak_kb as f64 / 1e3),
        Outcome::TimedOut => "stopped at the timeout".into(),
        Outcome::Failed(e) => format!("failed: {e}"),
    }
}

fn run_child(exe: &Path, shape: &str, bytes: usize, timeout: Duration) -> Outcome {
    let child = Command::new(exe)
        .args(["bench", "--run-one", &format!("{shape}:{bytes}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let line = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match nums.as_slice() {
        [b, s, p, base] if out.status.success() => Outcome::Done(Run {
            bytes: *b as usize,
            secs: *s,
            peak_kb: *p as u64,
            base_kb: *base as u64,
        }),
        _ => Outcome::Failed(format!(
            "{} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// The child's side: generates `SHAPE:BYTES` plus the good article, reads and analyses them,
/// and prints `bytes seconds peak_kb base_kb` on one line.
pub fn run_one(spec: &str) -> Result<String> {
    let (name, bytes) = spec
        .split_once(':')
        .context("--run-one takes SHAPE:BYTES")?;
    let shape = parallax_stress::shape(name).with_context(|| format!("no shape `{name}`"))?;
    let bytes: usize = bytes.parse().context("--run-one takes SHAPE:BYTES")?;
    // Warm up first (lexicons and regexes are built on first use), so that the time and the
    // memory measured are the input's.
    let good = parallax_stress::good_article();
    std::hint::black_box(analyze(
        parallax_ingest::formats::parse(Path::new(&good.name), &good.bytes).0,
        &Options::default(),
    ));
    let base_kb = memory_kb("VmRSS");
    let mut files = shape.generate(bytes);
    files.push(good);
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let start = Instant::now();
    let mut inputs = Vec::new();
    for f in &files {
        inputs.extend(parallax_ingest::formats::parse(Path::new(&f.name), &f.bytes).0);
    }
    let ids: Vec<String> = inputs.iter().map(|i| i.id.clone()).collect();
    let report = analyze(inputs, &Options::default());
    let secs = start.elapsed().as_secs_f64();
    if !report.documents.iter().any(|d| d.id == "good") {
        bail!("the good article is missing from the report (read: {ids:?})");
    }
    std::hint::black_box(&report);
    Ok(format!(
        "{total} {secs:.4} {} {base_kb}\n",
        memory_kb("VmHWM")
    ))
}

/// A field of `/proc/self/status` in kB (Linux); 0 elsewhere.
fn memory_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn table(sizes: &[f64], rows: &[(&str, Vec<Outcome>)], timeout: Duration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "hostile shapes, each beside one good article; read + whole pipeline, one process per run"
    );
    let _ = writeln!(
        out,
        "s/MB = seconds per MB of input (flat = linear); x ord = s/MB over ordinary text's at \
         the same size; peak = peak resident MB; MB/MB = (peak - resident before) per input MB"
    );
    let ordinary: Vec<Option<f64>> = rows
        .iter()
        .find(|(n, _)| *n == "ordinary")
        .map(|(_, c)| c.iter().map(per_mb).collect())
        .unwrap_or_else(|| vec![None; sizes.len()]);
    let mut head = format!("{:<18}", "shape");
    for mb in sizes {
        let _ = write!(head, " {:>22}", format!("{mb} MB: s/MB (x ord)"));
    }
    let _ = write!(head, " {:>10} {:>7}", "peak MB", "MB/MB");
    let _ = writeln!(out, "{head}");
    for (name, cells) in rows {
        let mut line = format!("{name:<18}");
        for (k, c) in cells.iter().enumerate() {
            let cell = match (c, per_mb(c), ordinary.get(k).copied().flatten()) {
                (Outcome::TimedOut, ..) => format!(">{}s stopped", timeout.as_secs()),
                (Outcome::Failed(_), ..) => "failed".to_string(),
                (_, Some(v), Some(o)) => format!("{v:.2} (x{:.1})", v / o.max(1e-9)),
                (_, Some(v), None) => format!("{v:.2}"),
                _ => "-".to_string(),
            };
            let _ = write!(line, " {cell:>22}");
        }
        let last = cells.iter().rev().find_map(|c| match c {
            Outcome::Done(r) => Some(*r),
            _ => None,
        });
        match last {
            Some(r) => {
                let per = (r.peak_kb.saturating_sub(r.base_kb)) as f64
                    / 1e3
                    / (r.bytes as f64 / 1e6).max(1e-9);
                let _ = write!(line, " {:>10.0} {:>7.0}", r.peak_kb as f64 / 1e3, per);
            }
            None => {
                let _ = write!(line, " {:>10} {:>7}", "-", "-");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

fn per_mb(o: &Outcome) -> Option<f64> {
    match o {
        Outcome::Done(r) => Some(r.secs / (r.bytes as f64 / 1e6).max(1e-9)),
        _ => None,
    }
}
