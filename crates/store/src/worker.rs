//! One worker's loop (`parallax worker`): claim the oldest queued job, fetch (for a URL) and
//! analyse its articles, store them and finish the job in one transaction; then place what
//! is ready, in queue order, and recompute stories. Run as many as there are cores, on any
//! machine that reaches the database.
//!
//! A worker stops cleanly when `stop` is set (SIGTERM, Ctrl-C): between jobs, or by giving
//! back the job it holds if a fetch was cut short. A worker killed outright loses nothing
//! either: its connection ends, so its lock goes, and the next worker to look puts its job
//! back in the queue (see [`crate::pg::queue`]).

use crate::collection::{Collection, Observer};
use crate::pg::{Claimed, JobPayload, PgStore};
use crate::Result;
use parallax_core::article::{analyze_article, Article};
use parallax_core::model::ArticleInput;
use parallax_core::Options;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How a worker behaves; the defaults are `parallax worker`'s.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// How long a claimed job stays the worker's before another may take it over (the
    /// backstop for a worker that hangs while its connection stays up).
    pub lease: Duration,
    /// Attempts before a job fails for good.
    pub max_attempts: i32,
    /// A failed attempt is retried after this times its attempt count.
    pub retry_after: Duration,
    /// Sleep between looks when there is nothing to do.
    pub poll: Duration,
    /// While jobs keep coming, a story dirty for this long is recomputed between jobs
    /// (otherwise stories wait until the queue is empty, each recomputed once).
    pub story_delay: Duration,
    /// Exit when there is nothing left to do (no job queued or running, everything placed,
    /// no story to recompute) instead of waiting for more.
    pub drain: bool,
    /// How often to report progress through [`Observer::note`] (zero: never).
    pub report_every: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            lease: Duration::from_secs(600),
            max_attempts: 3,
            retry_after: Duration::from_secs(5),
            poll: Duration::from_millis(500),
            story_delay: Duration::from_secs(10),
            drain: false,
            report_every: Duration::from_secs(30),
        }
    }
}

/// Fetches a URL job's articles (the binary reads them with `parallax-sources`: robots.txt,
/// rate limits, feeds). `Err` is the reason, kept in the job.
pub trait Fetcher {
    fn fetch(
        &mut self,
        url: &str,
        stop: &AtomicBool,
    ) -> std::result::Result<Vec<ArticleInput>, String>;
}

/// A fetcher for workers that only take queued inputs.
pub struct NoFetch;

impl Fetcher for NoFetch {
    fn fetch(
        &mut self,
        url: &str,
        _: &AtomicBool,
    ) -> std::result::Result<Vec<ArticleInput>, String> {
        Err(format!("{url}: this worker does not fetch URLs"))
    }
}

/// What a worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerStats {
    /// The worker's id in the `workers` table.
    pub worker: i64,
    /// Jobs finished (`done`).
    pub jobs: usize,
    /// Articles stored.
    pub stored: usize,
    /// Articles found already stored.
    pub already: usize,
    /// Attempts that failed (and were retried or failed the job).
    pub errors: usize,
    /// Jobs that failed for good.
    pub failed: usize,
    /// Jobs given back on stop.
    pub released: usize,
    /// Jobs taken over by another worker before this one finished them.
    pub lost: usize,
    /// Jobs of stopped workers put back in the queue (or failed) by this one.
    pub reaped: usize,
    pub placed: usize,
    pub stories: usize,
}

/// Runs a worker on the database at `url` until `stop` is set (or, with `drain`, until
/// there is nothing left to do).
pub fn run(
    url: &str,
    analysis: Options,
    opts: &WorkerOptions,
    fetcher: &mut dyn Fetcher,
    obs: &dyn Observer,
    stop: &AtomicBool,
) -> Result<WorkerStats> {
    let mut c = Collection::open_postgres(url, analysis, obs)?;
    let id = c.store_mut().register_worker()?;
    let mut stats = WorkerStats {
        worker: id,
        ..WorkerStats::default()
    };
    obs.note(&format!(
        "worker {id} started on {} ({} articles in its grouping state)",
        c.store().url(),
        c.corpus().len()
    ));
    let r = work(&mut c, id, opts, fetcher, obs, stop, &mut stats);
    if r.is_ok() {
        c.store_mut().unregister_worker(id)?;
    }
    r.map(|_| stats)
}

fn work(
    c: &mut Collection<PgStore>,
    id: i64,
    opts: &WorkerOptions,
    fetcher: &mut dyn Fetcher,
    obs: &dyn Observer,
    stop: &AtomicBool,
    stats: &mut WorkerStats,
) -> Result<()> {
    let long_ago = Instant::now()
        .checked_sub(Duration::from_secs(3600))
        .unwrap_or_else(Instant::now);
    let (mut last_reap, mut last_beat, mut last_report) =
        (long_ago, Instant::now(), Instant::now());
    let started = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        if last_reap.elapsed() >= Duration::from_secs(1) {
            let (requeued, failed) = c.store_mut().reap(opts.max_attempts)?;
            if requeued + failed > 0 {
                stats.reaped += requeued + failed;
                obs.note(&format!(
                    "worker {id}: {requeued} job(s) of stopped workers queued again, {failed} failed"
                ));
            }
            last_reap = Instant::now();
        }
        if last_beat.elapsed() >= Duration::from_secs(10) {
            c.store_mut().heartbeat(id)?;
            last_beat = Instant::now();
        }
        if !opts.report_every.is_zero() && last_report.elapsed() >= opts.report_every {
            report(obs, stats, started.elapsed());
            last_report = Instant::now();
        }
        match c.store_mut().claim(id, opts.lease)? {
            Some(job) => {
                run_job(c, id, job, opts, fetcher, obs, stop, stats)?;
                stats.placed += c.place_ready(obs)?.unwrap_or(0);
                stats.stories += c.refresh_some(1, Some(opts.story_delay))?;
            }
            None => {
                let placed = c.place_ready(obs)?.unwrap_or(0);
                let stories = c.refresh_some(8, None)?;
                stats.placed += placed;
                stats.stories += stories;
                if placed == 0 && stories == 0 {
                    if opts.drain && c.store().idle()? {
                        break;
                    }
                    nap(opts.poll, stop);
                }
            }
        }
    }
    report(obs, stats, started.elapsed());
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run_job(
    c: &mut Collection<PgStore>,
    id: i64,
    job: Claimed,
    opts: &WorkerOptions,
    fetcher: &mut dyn Fetcher,
    obs: &dyn Observer,
    stop: &AtomicBool,
    stats: &mut WorkerStats,
) -> Result<()> {
    let options = c.options().clone();
    let analyse = |input: ArticleInput| analyse(input, &options);
    // (reason, permanent): a permanent failure cannot be helped by retrying.
    let analysed: std::result::Result<Vec<(ArticleInput, Article)>, (String, bool)> =
        match job.payload {
            Err(reason) => Err((reason, true)),
            Ok(JobPayload::Input(input)) => analyse(*input).map(|a| vec![a]).map_err(|e| (e, true)),
            Ok(JobPayload::Url(url)) => match fetcher.fetch(&url, stop) {
                _ if stop.load(Ordering::Relaxed) => {
                    // Cut short by the stop: give the job back for another worker.
                    c.store_mut().release(id, job.seq)?;
                    stats.released += 1;
                    return Ok(());
                }
                Ok(inputs) => inputs
                    .into_iter()
                    .map(analyse)
                    .collect::<std::result::Result<Vec<_>, String>>()
                    .map_err(|e| (e, true)),
                Err(reason) => Err((reason, false)),
            },
        };
    match analysed {
        Ok(articles) => match c.store_mut().complete(id, job.seq, &articles)? {
            Some(done) => {
                stats.jobs += 1;
                stats.stored += done.stored;
                stats.already += done.already;
            }
            None => {
                stats.lost += 1;
                obs.note(&format!(
                    "worker {id}: job {} ({}) was taken over before it finished; its result is dropped",
                    job.seq, job.source
                ));
            }
        },
        Err((reason, permanent)) => {
            stats.errors += 1;
            let failed = c.store_mut().fail(
                id,
                job.seq,
                &reason,
                permanent,
                opts.max_attempts,
                opts.retry_after,
            )?;
            let what = if failed {
                stats.failed += 1;
                format!("failed after {} attempt(s)", job.attempts)
            } else {
                "will be retried".to_string()
            };
            obs.note(&format!(
                "worker {id}: job {} ({}) {what}: {reason}",
                job.seq, job.source
            ));
        }
    }
    Ok(())
}

/// Analyses one input; a panic in the analysis becomes this article's error instead of
/// taking the worker (and the rest of the queue's progress) down.
fn analyse(
    input: ArticleInput,
    options: &Options,
) -> std::result::Result<(ArticleInput, Article), String> {
    let source = input.source.clone();
    let copy = input.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyze_article(copy, options)
    })) {
        Ok(a) => Ok((input, a)),
        Err(p) => {
            let why = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            Err(format!("{source}: the analysis failed: {why}"))
        }
    }
}

fn report(obs: &dyn Observer, s: &WorkerStats, elapsed: Duration) {
    let secs = elapsed.as_secs_f64().max(1e-3);
    obs.note(&format!(
        "worker {}: {} job(s) done ({} stored, {} already stored), {} failed, {} placed, {} \
         stories recomputed; {:.1} jobs/s",
        s.worker,
        s.jobs,
        s.stored,
        s.already,
        s.failed,
        s.placed,
        s.stories,
        s.jobs as f64 / secs
    ));
}

/// Sleeps `d`, waking early when `stop` is set.
fn nap(d: Duration, stop: &AtomicBool) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20).min(d));
    }
}
