//! The work queue: jobs queued by `parallax ingest`, claimed by workers with
//! `FOR UPDATE SKIP LOCKED`, finished in the same transaction that stores their articles.
//!
//! Every job ends `done` (its articles stored, or found already stored), `failed` (with the
//! error of its last attempt, after `max_attempts` or at once when retrying cannot help), or
//! back in `queued`: a worker that stops on a signal releases its job, and a job whose worker
//! is gone is put back by the next worker's [`PgStore::reap`]. A worker is alive while it
//! holds a session advisory lock on its id, which PostgreSQL releases the moment its
//! connection ends (a `kill -9` included), so a killed worker's job is retried at once, not
//! after a timeout; the lease is the backstop for a worker that hangs with its connection up.

use super::articles::{insert_row, Slot};
use super::{PgStore, WORKER_CLASS};
use crate::{Result, StoreError};
use parallax_core::article::{article_id, content_hash, Article};
use parallax_core::model::ArticleInput;
use serde::Serialize;
use std::time::Duration;

/// What a job asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum JobPayload {
    /// An article already read (a file, an archive record, a feed entry, standard input).
    Input(Box<ArticleInput>),
    /// A URL for the worker to fetch (an article page, or a feed whose entries it reads).
    Url(String),
}

/// What [`PgStore::enqueue`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enqueued {
    pub queued: usize,
    /// Already stored, or already in the queue.
    pub known: usize,
    /// Of the queued, those that had failed before and are queued again.
    pub retried: usize,
}

/// A job a worker has claimed.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub seq: i64,
    pub source: String,
    /// `Err` when the stored payload cannot be read back (the job fails at once).
    pub payload: std::result::Result<JobPayload, String>,
    /// This attempt's number (1 for the first).
    pub attempts: i32,
}

/// A job that failed, for `parallax status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailedJob {
    pub job: i64,
    pub source: String,
    pub attempts: i32,
    pub error: String,
    pub finished: String,
}

/// The queue at a glance (`parallax status`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueueStatus {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    /// Articles stored by workers and waiting to be placed into stories (placement follows
    /// queue order, so one slow job holds back the articles queued after it).
    pub waiting_placement: i64,
    pub dirty_stories: i64,
    pub articles: i64,
    pub stories: i64,
    /// Workers whose connection is up.
    pub workers: i64,
    pub done_last_minute: i64,
    pub done_last_10_minutes: i64,
    /// Jobs finished per second over the last minute.
    pub per_second: f64,
    /// Age in seconds of the oldest queued job.
    pub oldest_queued_seconds: Option<f64>,
    /// The most recent failures, newest first (at most 10).
    pub recent_failures: Vec<FailedJob>,
}

/// How a finished job went, recorded in its row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completed {
    pub stored: usize,
    pub already: usize,
}

/// Jobs inserted per transaction by [`PgStore::enqueue`].
const ENQUEUE_BATCH: usize = 256;

/// SQL: true when worker `j.worker` holds its liveness lock in this database.
fn worker_alive(col: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_locks l
                 WHERE l.locktype = 'advisory' AND l.granted
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid = {WORKER_CLASS}::oid AND l.objid = ({col})::oid
                   AND l.objsubid = 2)"
    )
}

impl PgStore {
    /// Queues jobs in order (their order is the arrival order of their articles). An input
    /// whose article id is already stored or queued is not queued again; one whose earlier
    /// job failed is queued afresh at the end.
    pub fn enqueue(&mut self, jobs: &[(String, JobPayload)]) -> Result<Enqueued> {
        let mut out = Enqueued::default();
        for batch in jobs.chunks(ENQUEUE_BATCH) {
            let mut tx = self.client_mut().transaction()?;
            for (source, payload) in batch {
                match payload {
                    JobPayload::Input(input) => {
                        let id = article_id(input, &content_hash(input));
                        let json = serde_json::to_string(input)
                            .map_err(|e| StoreError::row(format!("job for {source}"), e))?;
                        let retried = tx.execute(
                            "DELETE FROM jobs WHERE article_id = $1 AND status = 'failed'",
                            &[&id],
                        )?;
                        let n = tx.execute(
                            "INSERT INTO jobs (kind, article_id, source, payload)
                             SELECT 'input', $1, $2, $3
                             WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = $1)
                             ON CONFLICT (article_id) DO NOTHING",
                            &[&id, source, &json],
                        )?;
                        if n == 0 {
                            out.known += 1;
                        } else {
                            out.queued += 1;
                            out.retried += retried as usize;
                        }
                    }
                    JobPayload::Url(url) => {
                        let n = tx.execute(
                            "INSERT INTO jobs (kind, source, payload)
                             SELECT 'url', $1, $2
                             WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'url'
                                 AND payload = $2 AND status IN ('queued', 'running'))",
                            &[source, url],
                        )?;
                        if n == 0 {
                            out.known += 1;
                        } else {
                            out.queued += 1;
                        }
                    }
                }
            }
            tx.commit()?;
        }
        Ok(out)
    }

    /// Registers a worker and takes its liveness lock (held until the connection ends).
    pub fn register_worker(&mut self) -> Result<i64> {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "unknown".into());
        let pid = std::process::id() as i64;
        let db = self.client_mut();
        let id: i64 = db
            .query_one(
                "INSERT INTO workers (host, pid) VALUES ($1, $2) RETURNING id",
                &[&host, &pid],
            )?
            .get(0);
        db.execute(
            &format!("SELECT pg_advisory_lock({WORKER_CLASS}, ($1::BIGINT)::INTEGER)"),
            &[&id],
        )?;
        Ok(id)
    }

    /// Marks a worker stopped and releases its lock.
    pub fn unregister_worker(&mut self, worker: i64) -> Result<()> {
        let db = self.client_mut();
        db.execute(
            "UPDATE workers SET stopped_at = now(), seen_at = now() WHERE id = $1",
            &[&worker],
        )?;
        db.execute(
            &format!("SELECT pg_advisory_unlock({WORKER_CLASS}, ($1::BIGINT)::INTEGER)"),
            &[&worker],
        )?;
        Ok(())
    }

    /// Notes that a worker is alive (for `parallax status`).
    pub fn heartbeat(&mut self, worker: i64) -> Result<()> {
        self.client_mut().execute(
            "UPDATE workers SET seen_at = now() WHERE id = $1",
            &[&worker],
        )?;
        Ok(())
    }

    /// Puts back running jobs whose worker is gone or whose lease ran out: queued again, or
    /// failed when they have had `max_attempts`. Returns (requeued, failed).
    pub fn reap(&mut self, max_attempts: i32) -> Result<(usize, usize)> {
        let sql = format!(
            "WITH gone AS (
                 SELECT seq FROM jobs j
                 WHERE status = 'running'
                   AND (lease_until < now() OR NOT {alive})
                 FOR UPDATE SKIP LOCKED)
             UPDATE jobs SET
                 status = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'queued' END,
                 error = CASE WHEN lease_until < now()
                     THEN 'its lease ran out before it finished'
                     ELSE 'its worker stopped while running it (killed, crashed or disconnected)'
                     END || CASE WHEN attempts >= $1
                         THEN ' (' || attempts || ' attempts)' ELSE '' END,
                 finished_at = CASE WHEN attempts >= $1 THEN now() END,
                 worker = NULL, lease_until = NULL
             WHERE seq IN (SELECT seq FROM gone)
             RETURNING status",
            alive = worker_alive("j.worker")
        );
        let rows = self.client_mut().query(&sql, &[&max_attempts])?;
        let failed = rows
            .iter()
            .filter(|r| r.get::<_, String>(0) == "failed")
            .count();
        Ok((rows.len() - failed, failed))
    }

    /// Claims the oldest queued job for `worker`, with a lease of `lease`.
    pub fn claim(&mut self, worker: i64, lease: Duration) -> Result<Option<Claimed>> {
        let row = self.client_mut().query_opt(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, worker = $1,
                 started_at = now(), lease_until = now() + make_interval(secs => $2::FLOAT8)
             WHERE seq = (SELECT seq FROM jobs
                          WHERE status = 'queued' AND not_before <= now()
                          ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING seq, kind, source, payload, attempts",
            &[&worker, &lease.as_secs_f64()],
        )?;
        Ok(row.map(|r| {
            let kind: String = r.get(1);
            let payload: String = r.get(3);
            let source: String = r.get(2);
            let payload = match kind.as_str() {
                "url" => Ok(JobPayload::Url(payload)),
                _ => serde_json::from_str::<ArticleInput>(&payload)
                    .map(|i| JobPayload::Input(Box::new(i)))
                    .map_err(|e| format!("the queued input cannot be read back: {e}")),
            };
            Claimed {
                seq: r.get(0),
                source,
                payload,
                attempts: r.get(4),
            }
        }))
    }

    /// Stores a job's articles (waiting for placement) and marks it done, in one
    /// transaction, if `worker` still holds it. `None` when it does not (its lease ran out
    /// and the job went back to the queue): nothing is stored, so nothing is done twice.
    pub fn complete(
        &mut self,
        worker: i64,
        job: i64,
        articles: &[(ArticleInput, Article)],
    ) -> Result<Option<Completed>> {
        let mut tx = self.client_mut().transaction()?;
        let owned = tx.query_opt(
            "SELECT 1 FROM jobs WHERE seq = $1 AND worker = $2 AND status = 'running'
             FOR UPDATE",
            &[&job, &worker],
        )?;
        if owned.is_none() {
            return Ok(None);
        }
        let mut done = Completed::default();
        for (part, (input, a)) in articles.iter().enumerate() {
            let slot = Slot::Waiting {
                job,
                part: part as i32,
            };
            if insert_row(&mut tx, input, a, slot)? {
                done.stored += 1;
            } else {
                done.already += 1;
            }
        }
        let outcome = match (done.stored, done.already) {
            (0, 0) => "no article".to_string(),
            (1, 0) => "stored".to_string(),
            (0, 1) => "already stored".to_string(),
            (s, 0) => format!("stored {s} articles"),
            (0, k) => format!("{k} articles already stored"),
            (s, k) => format!("stored {s} articles, {k} already stored"),
        };
        tx.execute(
            "UPDATE jobs SET status = 'done', finished_at = now(), outcome = $2, error = NULL,
                 worker = NULL, lease_until = NULL
             WHERE seq = $1",
            &[&job, &outcome],
        )?;
        tx.commit()?;
        Ok(Some(done))
    }

    /// Records a failed attempt: the job goes back to the queue after `retry_after` times
    /// its attempt count, or fails for good when it has had `max_attempts` or `permanent`
    /// (retrying cannot help). Returns true when it failed for good.
    pub fn fail(
        &mut self,
        worker: i64,
        job: i64,
        error: &str,
        permanent: bool,
        max_attempts: i32,
        retry_after: Duration,
    ) -> Result<bool> {
        let row = self.client_mut().query_opt(
            "UPDATE jobs SET
                 status = CASE WHEN $3 OR attempts >= $4 THEN 'failed' ELSE 'queued' END,
                 error = $5, worker = NULL, lease_until = NULL,
                 not_before = now() + make_interval(secs => $6::FLOAT8 * attempts),
                 finished_at = CASE WHEN $3 OR attempts >= $4 THEN now() END
             WHERE seq = $1 AND worker = $2 AND status = 'running'
             RETURNING status",
            &[
                &job,
                &worker,
                &permanent,
                &max_attempts,
                &error,
                &retry_after.as_secs_f64(),
            ],
        )?;
        Ok(row.is_some_and(|r| r.get::<_, String>(0) == "failed"))
    }

    /// Gives a job back untouched (the worker is stopping): queued again, the attempt not
    /// counted.
    pub fn release(&mut self, worker: i64, job: i64) -> Result<()> {
        self.client_mut().execute(
            "UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0),
                 worker = NULL, lease_until = NULL
             WHERE seq = $1 AND worker = $2 AND status = 'running'",
            &[&job, &worker],
        )?;
        Ok(())
    }

    /// True when there is nothing left to do: no job queued or running, every finished job
    /// placed, no story waiting for recomputation.
    pub fn idle(&self) -> Result<bool> {
        Ok(self
            .db()?
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))
                    AND (SELECT cursor FROM placement WHERE one = 1)
                        >= COALESCE((SELECT MAX(seq) FROM jobs), 0)
                    AND NOT EXISTS (SELECT 1 FROM stories WHERE dirty = 1)",
                &[],
            )?
            .get(0))
    }

    /// True when the job after placement's cursor is finished (placement can go on).
    pub fn placement_ready(&self) -> Result<bool> {
        Ok(self
            .db()?
            .query_one(
                "SELECT COALESCE((SELECT status IN ('done', 'failed') FROM jobs
                                  WHERE seq > (SELECT cursor FROM placement WHERE one = 1)
                                  ORDER BY seq LIMIT 1), false)",
                &[],
            )?
            .get(0))
    }

    /// The queue at a glance.
    pub fn queue_status(&self) -> Result<QueueStatus> {
        let mut db = self.db()?;
        let r = db.query_one(
            "SELECT COUNT(*) FILTER (WHERE status = 'queued'),
                    COUNT(*) FILTER (WHERE status = 'running'),
                    COUNT(*) FILTER (WHERE status = 'done'),
                    COUNT(*) FILTER (WHERE status = 'failed'),
                    COUNT(*) FILTER (WHERE status = 'done'
                                     AND finished_at > now() - interval '1 minute'),
                    COUNT(*) FILTER (WHERE status = 'done'
                                     AND finished_at > now() - interval '10 minutes'),
                    EXTRACT(EPOCH FROM now() - MIN(enqueued_at) FILTER (WHERE status = 'queued'))::FLOAT8
             FROM jobs",
            &[],
        )?;
        let mut s = QueueStatus {
            queued: r.get(0),
            running: r.get(1),
            done: r.get(2),
            failed: r.get(3),
            done_last_minute: r.get(4),
            done_last_10_minutes: r.get(5),
            oldest_queued_seconds: r.get(6),
            ..QueueStatus::default()
        };
        s.per_second = s.done_last_minute as f64 / 60.0;
        let r = db.query_one(
            &format!(
                "SELECT (SELECT COUNT(*) FROM articles WHERE seq IS NULL),
                        (SELECT COUNT(*) FROM stories WHERE dirty = 1),
                        (SELECT COUNT(*) FROM articles),
                        (SELECT COUNT(*) FROM stories WHERE articles > 0),
                        (SELECT COUNT(*) FROM workers w WHERE stopped_at IS NULL AND {})",
                worker_alive("w.id")
            ),
            &[],
        )?;
        s.waiting_placement = r.get(0);
        s.dirty_stories = r.get(1);
        s.articles = r.get(2);
        s.stories = r.get(3);
        s.workers = r.get(4);
        let rows = db.query(
            "SELECT seq, source, attempts, COALESCE(error, ''),
                    COALESCE(to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')
             FROM jobs WHERE status = 'failed' ORDER BY finished_at DESC NULLS LAST, seq DESC
             LIMIT 10",
            &[],
        )?;
        s.recent_failures = rows
            .iter()
            .map(|r| FailedJob {
                job: r.get(0),
                source: r.get(1),
                attempts: r.get(2),
                error: r.get(3),
                finished: r.get(4),
            })
            .collect();
        Ok(s)
    }
}
