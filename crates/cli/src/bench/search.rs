//! `parallax bench --search DB`: search latency over a collection store, the way `parallax
//! search` and the web pages query it. Queries come from the store itself (the names and words
//! of its story labels, sampled evenly), so the same command measures any collection.

use anyhow::{Context, Result};
use parallax_store::{SearchQuery, Store, StoryFilter};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Stories sampled for query terms.
const SAMPLE: usize = 400;

/// Most queries read from a `--queries` file, and its largest size.
const MAX_QUERIES: usize = 100_000;
const MAX_QUERY_FILE_BYTES: u64 = 16 << 20;

/// Runs `rounds` passes over the queries (from `queries_file`, else sampled from the store)
/// and prints latency percentiles.
pub fn run(db: &Path, rounds: usize, queries_file: Option<&Path>) -> Result<String> {
    if !db.is_file() {
        anyhow::bail!("no store at {}", crate::inert(&db.display().to_string()));
    }
    // Read-only, as the server opens it (memory-mapped: see `Store::open_read_only`).
    let store = Store::open_read_only(db).with_context(|| format!("opening {}", db.display()))?;
    let articles = store.article_count()?;
    let queries = match queries_file {
        Some(f) => read_queries(f)?,
        None => sample_queries(&store)?,
    };
    if queries.is_empty() {
        anyhow::bail!("the store has no labelled stories to draw queries from");
    }
    let mut times: Vec<f64> = Vec::with_capacity(queries.len() * rounds.max(1));
    let mut cpu: Vec<f64> = Vec::with_capacity(times.capacity());
    let mut cpu_filtered: Vec<f64> = Vec::new();
    let mut slowest: Vec<(f64, usize)> = Vec::new();
    let mut hits = 0usize;
    // One warm-up pass: the first touch of each page of the file is I/O, not search.
    for q in &queries {
        store
            .search(q)
            .with_context(|| format!("searching for {:?}", crate::inert(&q.text)))?;
    }
    for _ in 0..rounds.max(1) {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let c = thread_cpu_ms();
            hits += store.search(q)?.len();
            let used = thread_cpu_ms() - c;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            cpu.push(used);
            if q.since.is_some() {
                cpu_filtered.push(used);
            }
            slowest.push((used, i));
        }
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    cpu_filtered.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let mut out = String::new();
    writeln!(
        out,
        "search over {articles} articles: {} queries x {} rounds, {:.1} hits per query",
        queries.len(),
        rounds.max(1),
        hits as f64 / times.len() as f64
    )?;
    for (name, v) in [
        ("wall", &times),
        ("cpu", &cpu),
        ("cpu, date-filtered queries", &cpu_filtered),
    ] {
        if v.is_empty() {
            continue;
        }
        writeln!(
            out,
            "{name} ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
            pct(v, 0.50),
            pct(v, 0.90),
            pct(v, 0.99),
            pct(v, 1.0)
        )?;
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, i) in slowest.iter().take(5) {
        let q = &queries[*i];
        writeln!(
            out,
            "slow: {ms:.2} ms cpu  {}{}",
            crate::inert(&q.text),
            q.since
                .as_deref()
                .map(|d| format!("  (since {})", crate::inert(d)))
                .unwrap_or_default()
        )?;
    }
    Ok(out)
}

/// The queries of a file, one per line, as typed (no filters).
fn read_queries(path: &Path) -> Result<Vec<SearchQuery>> {
    let name = crate::inert(&path.display().to_string()).into_owned();
    let size = std::fs::metadata(path)
        .with_context(|| format!("reading the queries in {name}"))?
        .len();
    if size > MAX_QUERY_FILE_BYTES {
        anyhow::bail!("{name}: {size} bytes of queries; the most is {MAX_QUERY_FILE_BYTES}");
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading the queries in {name}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let queries: Vec<SearchQuery> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(MAX_QUERIES)
        .map(|l| SearchQuery {
            text: l.to_string(),
            limit: 20,
            ..SearchQuery::default()
        })
        .collect();
    if queries.is_empty() {
        anyhow::bail!("{name}: no queries (one a line; `#` starts a comment)");
    }
    Ok(queries)
}

/// Queries drawn from story labels: each label's first name as a phrase, each of its words
/// alone, and every fourth query again restricted to a date range (the filtered path).
fn sample_queries(store: &Store) -> Result<Vec<SearchQuery>> {
    let total = store
        .counts()?
        .into_iter()
        .find(|(t, _)| t == "stories")
        .map_or(0, |(_, n)| n.max(0) as usize);
    let step = (total / SAMPLE).max(1);
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < total && out.len() < SAMPLE * 3 {
        let page = store.stories(&StoryFilter {
            limit: 1,
            offset,
            ..StoryFilter::default()
        })?;
        offset += step;
        let Some(s) = page.into_iter().next() else {
            break;
        };
        let first = s.label.split(" · ").next().unwrap_or("").trim().to_string();
        let words: Vec<String> = first
            .split_whitespace()
            .filter(|w| w.chars().count() > 2)
            .map(str::to_string)
            .collect();
        let mut texts = vec![format!("\"{first}\"")];
        texts.extend(words);
        for text in texts {
            let n = out.len();
            out.push(SearchQuery {
                text,
                since: (n % 4 == 3).then(|| s.first_published.clone()).flatten(),
                limit: 20,
                ..SearchQuery::default()
            });
        }
    }
    Ok(out)
}

/// CPU time of the calling thread in ms: what a query costs, whatever else the machine runs.
#[cfg(unix)]
fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes one timespec into memory we own and pass exclusively.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return f64::NAN;
    }
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6
}

/// Without a thread clock, CPU time is not measured (NaN percentiles say so).
#[cfg(not(unix))]
fn thread_cpu_ms() -> f64 {
    f64::NAN
}
