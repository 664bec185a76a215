//! Scale-out over a PostgreSQL store: `ingest --db postgres://...` queues articles,
//! `parallax worker` processes (any number, on any machine) drain the queue, and
//! `parallax status` shows it. The queue and the worker loop are in parallax-store
//! (`pg::queue`, `worker`); this module reads sources, prints, and handles signals.

use crate::collection::{db_location, interrupt_flag, open_existing, plural, take_article};
use crate::progress::Bars;
use crate::{write_output, EXIT_OK, EXIT_SOME_FAILED};
use anyhow::{bail, Result};
use parallax_core::ArticleInput;
use parallax_sources::{read_sources, watch, Item, Source, SourceOptions};
use parallax_store::pg::{Enqueued, JobPayload, QueueStatus};
use parallax_store::worker::{Fetcher, WorkerOptions};
use parallax_store::{Location, Observer, PgStore};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Jobs sent to the database per transaction while reading sources.
const BATCH: usize = 256;

fn store_err(e: parallax_store::StoreError) -> anyhow::Error {
    anyhow::anyhow!("{}", crate::inert(&e.to_string()))
}

/// `parallax ingest --db postgres://...`: queues every article read from `sources` (files,
/// folders, standard input, archives and feed files are read here; URLs are queued for a
/// worker to fetch), and with `--watch` keeps queueing what the feeds bring.
pub fn enqueue_cmd(
    url: &str,
    sources: &[Source],
    watch: Option<watch::WatchConfig>,
    opts: &SourceOptions,
) -> Result<u8> {
    let mut store = PgStore::connect(url).map_err(store_err)?;
    let cancel = interrupt_flag("the current batch");
    let bars = Bars::new();
    let mut total = Enqueued::default();
    let mut failed = 0usize;
    let mut pending: Vec<(String, JobPayload)> = Vec::new();
    let mut flush = |store: &mut PgStore, pending: &mut Vec<(String, JobPayload)>| -> Result<()> {
        let e = store.enqueue(pending).map_err(store_err)?;
        total.queued += e.queued;
        total.known += e.known;
        total.retried += e.retried;
        pending.clear();
        Ok(())
    };
    let (urls, local): (Vec<&Source>, Vec<&Source>) =
        sources.iter().partition(|s| matches!(s, Source::Url(_)));
    for s in urls {
        if let Source::Url(u) = s {
            pending.push((u.clone(), JobPayload::Url(u.clone())));
        }
    }
    let local: Vec<Source> = local.into_iter().cloned().collect();
    if !local.is_empty() {
        // Read on a thread of its own, queueing a batch at a time as articles come.
        let (tx, rx) = std::sync::mpsc::sync_channel::<ArticleInput>(BATCH);
        let read_failed = std::thread::scope(|scope| -> Result<usize> {
            let bars = &bars;
            let cancel = &cancel;
            let local = &local;
            let reader = scope.spawn(move || {
                let mut failed = 0usize;
                read_sources(local, opts, cancel, |item| {
                    if let Some(input) = take_article(item, bars, &mut failed) {
                        let _ = tx.send(input);
                    }
                });
                failed
            });
            let mut r = Ok(());
            for input in rx.iter() {
                pending.push((input.source.clone(), JobPayload::Input(Box::new(input))));
                if pending.len() >= BATCH {
                    r = flush(&mut store, &mut pending);
                    if r.is_err() {
                        break;
                    }
                }
            }
            drop(rx);
            let f = reader.join().unwrap_or(0);
            r.map(|_| f)
        })?;
        failed += read_failed;
    }
    flush(&mut store, &mut pending)?;
    if let Some(config) = watch {
        let feeds = config.feeds.len();
        eprintln!("parallax: watching {feeds} feed(s); Ctrl-C stops");
        let mut watcher = watch::Watcher::new(config, opts.clone());
        while !cancel.load(Ordering::Relaxed) {
            watcher.poll(Instant::now(), false, &cancel, &mut |item: Item| {
                if let Some(i) = take_article(item, &bars, &mut failed) {
                    pending.push((i.source.clone(), JobPayload::Input(Box::new(i))));
                }
            });
            flush(&mut store, &mut pending)?;
            let Some(due) = watcher.next_due() else { break };
            while !cancel.load(Ordering::Relaxed) && Instant::now() < due {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    bars.done();
    let st = store.queue_status().map_err(store_err)?;
    eprintln!(
        "parallax: {} queued{}, {} already stored or queued; {} holds {} queued, {} running, \
         {} done, {} failed; start `parallax worker --db URL` to process them",
        total.queued,
        if total.retried > 0 {
            format!(" ({} that had failed)", total.retried)
        } else {
            String::new()
        },
        total.known,
        crate::inert(store.url()),
        st.queued,
        st.running,
        st.done,
        st.failed,
    );
    Ok(if failed == 0 && !cancel.load(Ordering::Relaxed) {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// What `parallax worker` was asked.
pub struct WorkerArgs {
    pub drain: bool,
    pub lease: f64,
    pub max_attempts: u32,
    pub retry_after: f64,
    pub max_bytes: u64,
    pub delay: f64,
    pub article_secs: f64,
    pub embedder: Option<Arc<dyn parallax_core::embed::Embedder>>,
    pub embeddings_note: Option<String>,
}

/// Fetches URL jobs with parallax-sources (robots.txt, per-host delay, size cap; a feed's
/// entries are each fetched).
struct SourcesFetcher {
    opts: SourceOptions,
}

impl Fetcher for SourcesFetcher {
    fn fetch(&mut self, url: &str, stop: &AtomicBool) -> Result<Vec<ArticleInput>, String> {
        let source = Source::parse(url).map_err(|e| e.to_string())?;
        let mut articles = Vec::new();
        let mut errors = Vec::new();
        read_sources(&[source], &self.opts, stop, |item| match item {
            Item::Article(a) => {
                let a = *a;
                let mut input = a.input;
                if input.hints.url.is_none() {
                    input.hints.url = a.provenance.url;
                }
                articles.push(input);
            }
            Item::Error(e) if !e.is_note() => errors.push(e.to_string()),
            Item::Error(_) => {}
        });
        if articles.is_empty() && !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(articles)
    }
}

/// Notes on standard error, one line each (a worker runs unattended: no progress bars).
struct Log;

impl Observer for Log {
    fn note(&self, message: &str) {
        eprintln!("parallax: {}", crate::inert(message));
    }
}

/// `parallax worker`: claims jobs, analyses and stores their articles, places them into
/// stories in queue order and recomputes the stories they touched, until SIGTERM/Ctrl-C
/// (or, with `--drain`, until there is nothing left to do).
pub fn worker_cmd(db: Option<String>, args: WorkerArgs) -> Result<u8> {
    let url = match db_location(db)? {
        Location::Postgres(url) => url,
        Location::Sqlite(p) => bail!(
            "{}: `parallax worker` needs a PostgreSQL store (--db postgres://...); a SQLite \
             store is filled by `parallax ingest` directly",
            crate::inert(&p.display().to_string())
        ),
    };
    let stop = interrupt_flag("the current job");
    let options = parallax_core::Options {
        budget: Some(Arc::new(crate::budget::Deadline {
            secs_per_mb: args.article_secs,
        })),
        embedder: args.embedder,
        embeddings_note: args.embeddings_note,
    };
    let opts = WorkerOptions {
        lease: Duration::from_secs_f64(args.lease.clamp(1.0, 86_400.0 * 7.0)),
        max_attempts: args.max_attempts.clamp(1, 1000) as i32,
        retry_after: Duration::from_secs_f64(args.retry_after.clamp(0.0, 86_400.0)),
        drain: args.drain,
        ..WorkerOptions::default()
    };
    let mut fetcher = SourcesFetcher {
        opts: SourceOptions {
            max_bytes: args.max_bytes,
            per_host_interval: Duration::from_secs_f64(args.delay.clamp(0.0, 3600.0)),
            ..SourceOptions::default()
        },
    };
    let stats = parallax_store::worker::run(&url, options, &opts, &mut fetcher, &Log, &stop)
        .map_err(store_err)?;
    eprintln!(
        "parallax: worker {} stopped: {} {} done ({} stored, {} already stored), {} failed, \
         {} released",
        stats.worker,
        stats.jobs,
        plural(stats.jobs, "job", "jobs"),
        stats.stored,
        stats.already,
        stats.failed,
        stats.released
    );
    Ok(EXIT_OK)
}

/// `parallax status`: the store's size and, on PostgreSQL, the queue: depth, throughput,
/// workers and recent failures.
pub fn status_cmd(db: Option<String>, format: crate::collection::ListFormat) -> Result<u8> {
    let mut store = open_existing(db)?;
    let counts = store.counts().map_err(store_err)?;
    let count = |t: &str| counts.iter().find(|c| c.0 == t).map_or(0, |c| c.1);
    let describe = store.describe();
    let queue: Option<QueueStatus> = match store.as_postgres() {
        Some(pg) => Some(pg.queue_status().map_err(store_err)?),
        None => None,
    };
    let dirty = store.dirty_stories().map_err(store_err)?.len();
    let out = match format {
        crate::collection::ListFormat::Json => {
            let v = serde_json::json!({
                "store": describe,
                "articles": count("articles"),
                "stories": count("stories"),
                "stories_to_recompute": dirty,
                "queue": queue,
            });
            serde_json::to_string_pretty(&v)? + "\n"
        }
        crate::collection::ListFormat::Text => {
            let mut s = format!(
                "store       {}\narticles    {} stored\nstories     {} ({} to recompute)\n",
                crate::inert(&describe),
                count("articles"),
                count("stories"),
                dirty
            );
            match &queue {
                None => s.push_str(
                    "queue       none (a SQLite store is filled by `parallax ingest` directly)\n",
                ),
                Some(q) => {
                    s.push_str(&format!(
                        "queue       {} queued, {} running, {} done, {} failed{}\n",
                        q.queued,
                        q.running,
                        q.done,
                        q.failed,
                        q.oldest_queued_seconds
                            .map(|a| format!(" (oldest queued {a:.0} s ago)"))
                            .unwrap_or_default()
                    ));
                    s.push_str(&format!(
                        "placement   {} stored {} waiting to be placed into stories\n",
                        q.waiting_placement,
                        plural(q.waiting_placement as usize, "article", "articles"),
                    ));
                    s.push_str(&format!(
                        "workers     {} connected\nthroughput  {:.2} jobs/s over the last minute; {} done in the last 10 minutes\n",
                        q.workers, q.per_second, q.done_last_10_minutes
                    ));
                    if !q.recent_failures.is_empty() {
                        s.push_str("failures    (newest first)\n");
                        for f in &q.recent_failures {
                            s.push_str(&format!(
                                "  job {} {} ({} {}, {}): {}\n",
                                f.job,
                                crate::inert(&f.source),
                                f.attempts,
                                plural(f.attempts.max(0) as usize, "attempt", "attempts"),
                                f.finished,
                                crate::inert(&f.error)
                            ));
                        }
                    }
                }
            }
            s
        }
    };
    write_output(None, &out)?;
    Ok(EXIT_OK)
}
