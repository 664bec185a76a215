//! The work queue against a throwaway PostgreSQL server (each test says it is skipped when
//! the server binaries are not installed).

use super::*;
use crate::tests::corpus;
use crate::worker::{self, NoFetch, WorkerOptions};
use crate::{Quiet, StoryFilter};
use parallax_core::model::ArticleInput;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn db(name: &str) -> Option<String> {
    let url = crate::testing::fresh_database();
    if url.is_none() {
        eprintln!("{name}: skipped: no PostgreSQL server binaries");
    }
    url
}

fn jobs(inputs: Vec<ArticleInput>) -> Vec<(String, JobPayload)> {
    inputs
        .into_iter()
        .map(|i| (i.source.clone(), JobPayload::Input(Box::new(i))))
        .collect()
}

fn drain_opts() -> WorkerOptions {
    WorkerOptions {
        drain: true,
        poll: Duration::from_millis(20),
        story_delay: Duration::ZERO,
        retry_after: Duration::ZERO,
        report_every: Duration::ZERO,
        ..WorkerOptions::default()
    }
}

#[test]
fn enqueue_is_idempotent_and_claims_skip_locked_jobs() {
    let Some(url) = db("enqueue_is_idempotent_and_claims_skip_locked_jobs") else {
        return;
    };
    let mut s = PgStore::connect(&url).expect("connect");
    let e = s.enqueue(&jobs(corpus())).expect("enqueue");
    assert_eq!((e.queued, e.known), (4, 0));
    let e = s.enqueue(&jobs(corpus())).expect("enqueue again");
    assert_eq!((e.queued, e.known), (0, 4));

    let mut other = PgStore::connect(&url).expect("connect");
    let w1 = s.register_worker().expect("worker");
    let w2 = other.register_worker().expect("worker");
    let a = s
        .claim(w1, Duration::from_secs(60))
        .expect("claim")
        .expect("job");
    let b = other
        .claim(w2, Duration::from_secs(60))
        .expect("claim")
        .expect("job");
    assert_ne!(a.seq, b.seq, "two workers never hold one job");
    assert_eq!((a.attempts, b.attempts), (1, 1));
    let st = s.queue_status().expect("status");
    assert_eq!((st.queued, st.running, st.workers), (2, 2, 2));
    // A released job is queued again without counting the attempt.
    s.release(w1, a.seq).expect("release");
    let again = s
        .claim(w1, Duration::from_secs(60))
        .expect("claim")
        .expect("job");
    assert_eq!((again.seq, again.attempts), (a.seq, 1));
    // Only the holder may finish a job.
    assert!(other
        .complete(w2, again.seq, &[])
        .expect("complete")
        .is_none());
}

#[test]
fn a_killed_workers_job_is_requeued_and_an_expired_lease_too() {
    let Some(url) = db("a_killed_workers_job_is_requeued_and_an_expired_lease_too") else {
        return;
    };
    let mut s = PgStore::connect(&url).expect("connect");
    s.enqueue(&jobs(corpus()[..2].to_vec())).expect("enqueue");
    {
        // A worker that dies holding a job: its connection (and liveness lock) goes.
        let mut dead = PgStore::connect(&url).expect("connect");
        let w = dead.register_worker().expect("worker");
        dead.claim(w, Duration::from_secs(600))
            .expect("claim")
            .expect("job");
    }
    // The server notices the closed connection asynchronously; poll briefly.
    let mut requeued = 0;
    for _ in 0..100 {
        requeued += s.reap(3).expect("reap").0;
        if requeued > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(requeued, 1);
    // A live worker whose lease ran out loses its job, and cannot finish it any more.
    let w = s.register_worker().expect("worker");
    let job = s.claim(w, Duration::ZERO).expect("claim").expect("job");
    std::thread::sleep(Duration::from_millis(20));
    let (requeued, failed) = s.reap(3).expect("reap");
    assert_eq!((requeued, failed), (1, 0));
    assert!(s.complete(w, job.seq, &[]).expect("complete").is_none());
    let st = s.queue_status().expect("status");
    assert_eq!((st.queued, st.running), (2, 0));
}

#[test]
fn attempts_are_limited_and_the_error_is_kept() {
    let Some(url) = db("attempts_are_limited_and_the_error_is_kept") else {
        return;
    };
    let mut s = PgStore::connect(&url).expect("connect");
    s.enqueue(&jobs(corpus()[..1].to_vec())).expect("enqueue");
    let w = s.register_worker().expect("worker");
    for attempt in 1..=2 {
        let job = s
            .claim(w, Duration::from_secs(60))
            .expect("claim")
            .expect("job");
        assert_eq!(job.attempts, attempt);
        let gone = s
            .fail(w, job.seq, "timed out", false, 2, Duration::ZERO)
            .expect("fail");
        assert_eq!(gone, attempt == 2);
    }
    assert!(s
        .claim(w, Duration::from_secs(60))
        .expect("claim")
        .is_none());
    let st = s.queue_status().expect("status");
    assert_eq!((st.queued, st.failed), (0, 1));
    assert_eq!(st.recent_failures[0].error, "timed out");
    assert_eq!(st.recent_failures[0].attempts, 2);
    // Queued again by a later ingest: a fresh start.
    let e = s.enqueue(&jobs(corpus()[..1].to_vec())).expect("enqueue");
    assert_eq!((e.queued, e.retried), (1, 1));
}

#[test]
fn workers_store_each_article_once_with_the_batch_stories_and_a_poison_fails_alone() {
    let Some(url) =
        db("workers_store_each_article_once_with_the_batch_stories_and_a_poison_fails_alone")
    else {
        return;
    };
    let mut s = PgStore::connect(&url).expect("connect");
    let mut queued = jobs(corpus());
    // A job whose stored payload cannot be read back: it fails, the others go on.
    queued.insert(2, ("poison.json".into(), JobPayload::Url("poison".into())));
    s.enqueue(&queued).expect("enqueue");
    let stop = AtomicBool::new(false);
    let opts = drain_opts();
    let stats: Vec<worker::WorkerStats> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..2)
            .map(|_| {
                sc.spawn(|| {
                    worker::run(&url, Default::default(), &opts, &mut NoFetch, &Quiet, &stop)
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("thread").expect("worker"))
            .collect()
    });
    assert_eq!(stats.iter().map(|s| s.stored).sum::<usize>(), 4);
    assert_eq!(stats.iter().map(|s| s.failed).sum::<usize>(), 1);
    let st = s.queue_status().expect("status");
    assert_eq!((st.done, st.failed, st.queued, st.running), (4, 1, 0, 0));
    assert!(st.recent_failures[0].error.contains("does not fetch"));
    assert_eq!(st.waiting_placement, 0);
    assert_eq!(st.dirty_stories, 0);

    let report = parallax_core::analyze(corpus(), &parallax_core::Options::default());
    let mut want: Vec<(String, Vec<String>)> = report
        .stories
        .iter()
        .map(|s| (s.id.clone(), s.documents.clone()))
        .collect();
    let mut got: Vec<(String, Vec<String>)> = s
        .pg_stories(&StoryFilter::default())
        .expect("stories")
        .iter()
        .map(|x| {
            let (m, _) = s.pg_story_members(&x.id).expect("members");
            (x.id.clone(), m.articles)
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn a_starting_worker_recomputes_stories_of_another_story_analysis() {
    let Some(url) = db("a_starting_worker_recomputes_stories_of_another_story_analysis") else {
        return;
    };
    let mut s = PgStore::connect(&url).expect("connect");
    s.enqueue(&jobs(corpus())).expect("enqueue");
    let stop = AtomicBool::new(false);
    let opts = drain_opts();
    let run = || worker::run(&url, Default::default(), &opts, &mut NoFetch, &Quiet, &stop);
    run().expect("worker");
    let stories = s
        .pg_stories(&StoryFilter::default())
        .expect("stories")
        .len();
    assert!(stories >= 2);
    // Workers of default options align on words only.
    let words = parallax_core::stories::story_analysis_version_for(None);
    assert_eq!(s.pg_outdated_stories(&words).expect("count"), 0);
    // An upgraded fleet: the stored analyses are of another version.
    s.client_mut()
        .execute("UPDATE stories SET analyzer = 'old'", &[])
        .expect("age");
    assert_eq!(
        s.pg_outdated_stories(&words).expect("count"),
        stories as i64
    );
    let stats = run().expect("worker");
    assert_eq!(stats.stories, stories);
    assert_eq!(s.pg_outdated_stories(&words).expect("count"), 0);
    // Nothing left: another worker finds nothing to recompute.
    assert_eq!(run().expect("worker").stories, 0);
}
