//! End-to-end tests of the scale-out mode: `ingest --db postgres://...` queues, `parallax
//! worker` processes drain the queue, `parallax status` shows it. Each test gets a fresh
//! database on a throwaway PostgreSQL server (parallax_store::testing: `initdb` and
//! `pg_ctl` in a temporary folder, loopback only, stopped when the tests end); without the
//! server binaries each test says it is skipped (CI installs them and sets
//! PARALLAX_REQUIRE_PG, so there it cannot skip).

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn parallax() -> Command {
    let mut c = Command::cargo_bin("parallax").expect("binary builds");
    c.env_remove("PARALLAX_DB")
        .env("PARALLAX_EMBEDDINGS", "off")
        .env("PARALLAX_NO_FETCH", "1");
    c
}

fn database(test: &str) -> Option<String> {
    let url = parallax_store::testing::fresh_database();
    if url.is_none() {
        eprintln!("{test}: skipped: no PostgreSQL server binaries");
    }
    url
}

/// The development articles (../shared/data/basil-dev/articles, 150) when they are beside
/// the repository, else as many invented articles about a dozen invented events
/// ([`synthetic_articles`]): the bundled examples are one story, too few for these tests.
fn articles() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let basil = root.join("../shared/data/basil-dev/articles");
    if basil.is_dir() && std::env::var_os("PARALLAX_TEST_SYNTHETIC").is_none() {
        basil
    } else {
        synthetic_articles().clone()
    }
}

/// Events of the invented corpus: place, person, organisation, what happened, to what.
const EVENTS: [(&str, &str, &str, &str, &str); 12] = [
    (
        "Velmora",
        "Ana Mirel",
        "Velmora Harbour Board",
        "flooded",
        "the harbour district",
    ),
    (
        "Ostrel",
        "Ivo Brandt",
        "Dravo Mining",
        "collapsed",
        "the north tunnel",
    ),
    (
        "Linden",
        "Tomas Kerr",
        "Linden Rail",
        "derailed",
        "the night freight train",
    ),
    (
        "Brasko",
        "Hela Voss",
        "Brasko City Council",
        "suspended",
        "the tram budget",
    ),
    (
        "Quellin",
        "Piet Arno",
        "Quellin Water Trust",
        "contaminated",
        "the reservoir supply",
    ),
    (
        "Marvik",
        "Sela Dunn",
        "Marvik Ferries",
        "grounded",
        "the island ferry",
    ),
    (
        "Tarrow",
        "Olek Fenn",
        "Tarrow Steelworks",
        "shut",
        "the blast furnace",
    ),
    (
        "Cendra",
        "Rina Holt",
        "Cendra University",
        "cancelled",
        "the spring exams",
    ),
    (
        "Durnhill",
        "Gus Ralla",
        "Durnhill Police",
        "arrested",
        "the warehouse gang",
    ),
    (
        "Esperly",
        "Mona Vick",
        "Esperly Airport",
        "closed",
        "the main runway",
    ),
    (
        "Falbrook",
        "Kai Stroud",
        "Falbrook Hospital",
        "evacuated",
        "the west wing",
    ),
    (
        "Gorran",
        "Lia Pemb",
        "Gorran Energy",
        "halted",
        "the wind farm",
    ),
];

/// Outlets writing about every event, each in its own words.
const OUTLETS: usize = 20;

/// Invented articles (20 outlets on each of 12 events, written once per test process under
/// Cargo's temporary folder for tests): enough stories and queue jobs for the scale-out tests
/// when the development articles are not beside the repository.
fn synthetic_articles() -> &'static PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale-articles");
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let verbs = ["said", "told reporters", "confirmed", "announced", "stated", "added"];
        let times = ["on Monday", "early on Monday", "late on Monday", "on Monday morning"];
        for (e, (place, person, org, what, thing)) in EVENTS.iter().enumerate() {
            for o in 0..OUTLETS {
                let verb = verbs[o % verbs.len()];
                let when = times[o % times.len()];
                let n = 10 + e * 7 + o % 3;
                let mut sentences = vec![
                    format!("{org} {what} {thing} in {place} {when}, officials {verb}."),
                    format!("{person}, who leads {org}, {verb} that {n} workers were sent home."),
                    format!("Residents of {place} gathered near {thing} as crews arrived."),
                    format!("{person} {verb} the decision about {thing} was taken for safety."),
                    format!("It was the first time {org} had {what} {thing} since it opened."),
                    format!("Local leaders in {place} asked {org} for a full account of what happened."),
                    format!("An inquiry into why {org} {what} {thing} is expected to report within weeks."),
                    format!("Outlet number {o} will follow the {place} story as it develops."),
                    format!("Engineers from {org} spent the day checking {thing} and the roads around it."),
                    format!("Shops near {thing} in {place} stayed closed while {person} met the crews."),
                    format!("{person} thanked the people of {place} for their patience on {when}."),
                    format!("The regional government said it would pay for repairs to {thing} if needed."),
                ];
                sentences.rotate_left(o % 5);
                sentences.truncate(9 + o % 4);
                let body = format!(
                    "{place}: {org} {what} {thing}\n\n{}\n",
                    sentences.join("\n\n")
                );
                std::fs::write(dir.join(format!("event{e:02}-outlet{o:02}.txt")), body)
                    .expect("write an invented article");
            }
        }
        dir
    })
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = parallax().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn spawn_worker(url: &str, extra: &[&str]) -> Child {
    let bin = assert_cmd::cargo::cargo_bin("parallax");
    std::process::Command::new(bin)
        .env_remove("PARALLAX_DB")
        .env("PARALLAX_EMBEDDINGS", "off")
        .env("PARALLAX_NO_FETCH", "1")
        .args(["worker", "--drain", "--db", url])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker")
}

fn wait_ok(mut w: Child) -> String {
    let status = w.wait().expect("wait");
    let mut err = String::new();
    if let Some(mut e) = w.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert!(status.success(), "worker failed: {err}");
    err
}

fn status(url: &str) -> Value {
    let (code, out, err) = run(&["status", "--db", url, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("status json")
}

/// Story id -> its article ids (sorted), as `parallax analyze` groups `dir`.
fn batch_stories(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("report json");
    report["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| {
            let mut docs: Vec<String> = s["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .map(|d| d.as_str().unwrap_or("").to_string())
                .collect();
            docs.sort();
            (s["id"].as_str().unwrap_or("").to_string(), docs)
        })
        .collect()
}

/// Story id -> its article ids (sorted), as stored: `stories --format json` for the list and
/// the article counts, `export --what sentences` for which article is in which story.
fn stored_stories(url: &str) -> BTreeMap<String, Vec<String>> {
    let (code, out, err) = run(&[
        "stories", "--db", url, "--format", "json", "--limit", "100000",
    ]);
    assert_eq!(code, 0, "{err}");
    let list: Value = serde_json::from_str(&out).expect("stories json");
    let (code, out, err) = run(&["export", "--db", url, "--what", "sentences"]);
    assert_eq!(code, 0, "{err}");
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.lines() {
        let row: Value = serde_json::from_str(line).expect("row");
        let story = row["story"].as_str().unwrap_or("").to_string();
        let article = row["article"].as_str().unwrap_or("").to_string();
        let m = members.entry(story).or_default();
        if !m.contains(&article) {
            m.push(article);
        }
    }
    let mut out = BTreeMap::new();
    for s in list.as_array().expect("list") {
        let id = s["id"].as_str().unwrap_or("").to_string();
        assert_eq!(s["analysed"], Value::Bool(true), "{s}");
        let mut docs = members.remove(&id).unwrap_or_default();
        assert_eq!(
            docs.len() as u64,
            s["articles"].as_u64().unwrap_or(0),
            "{s}"
        );
        docs.sort();
        out.insert(id, docs);
    }
    out
}

fn ingest(url: &str, dir: &Path) {
    let (code, _, err) = run(&["ingest", "--db", url, dir.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("queued"), "{err}");
}

/// Every job done once, every article stored once, the batch's stories.
fn assert_complete(url: &str, dir: &Path, batch: &BTreeMap<String, Vec<String>>) {
    let st = status(url);
    let n: usize = batch.values().map(Vec::len).sum();
    let q = &st["queue"];
    assert_eq!(q["done"].as_u64(), Some(n as u64), "{st}");
    assert_eq!(
        (
            q["queued"].as_u64(),
            q["running"].as_u64(),
            q["failed"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "{st}"
    );
    assert_eq!(q["waiting_placement"].as_u64(), Some(0), "{st}");
    assert_eq!(st["articles"].as_u64(), Some(n as u64), "{st}");
    assert_eq!(st["stories_to_recompute"].as_u64(), Some(0), "{st}");
    assert_eq!(&stored_stories(url), batch, "stories of {}", dir.display());
    // Queueing the same folder again adds nothing.
    let (code, _, err) = run(&["ingest", "--db", url, dir.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("0 queued, {n} already")), "{err}");
}

fn workers_give_the_batch_stories(test: &str, workers: usize) {
    let Some(url) = database(test) else { return };
    let dir = articles();
    let batch = batch_stories(&dir);
    assert!(batch.len() >= 2, "{batch:?}");
    ingest(&url, &dir);
    let ws: Vec<Child> = (0..workers).map(|_| spawn_worker(&url, &[])).collect();
    for w in ws {
        wait_ok(w);
    }
    assert_complete(&url, &dir, &batch);
}

#[test]
fn two_workers_give_the_stories_of_one_analyze() {
    workers_give_the_batch_stories("two_workers_give_the_stories_of_one_analyze", 2);
}

#[test]
fn four_workers_give_the_stories_of_one_analyze() {
    workers_give_the_batch_stories("four_workers_give_the_stories_of_one_analyze", 4);
}

#[test]
fn a_worker_killed_mid_job_loses_nothing_and_does_nothing_twice() {
    let Some(url) = database("a_worker_killed_mid_job_loses_nothing_and_does_nothing_twice") else {
        return;
    };
    let dir = articles();
    let batch = batch_stories(&dir);
    ingest(&url, &dir);
    let survivor = spawn_worker(&url, &[]);
    let mut victim = spawn_worker(&url, &[]);
    let mut db = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let pid = i64::from(victim.id());
    // SIGKILL (no clean-up) once the queue is under way, while the victim holds a job.
    let start = Instant::now();
    let mut killed = false;
    while start.elapsed() < Duration::from_secs(300) {
        let row = db
            .query_one(
                "SELECT (SELECT COUNT(*) FROM jobs WHERE status = 'done'),
                        EXISTS (SELECT 1 FROM jobs j JOIN workers w ON w.id = j.worker
                                WHERE w.pid = $1 AND j.status = 'running'),
                        (SELECT COUNT(*) FROM jobs WHERE status = 'queued')",
                &[&pid],
            )
            .expect("query");
        let (done, holding, queued): (i64, bool, i64) = (row.get(0), row.get(1), row.get(2));
        if done >= 5 && holding {
            victim.kill().expect("kill -9");
            killed = true;
            break;
        }
        if queued == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = victim.wait();
    assert!(
        killed,
        "the queue ran out before the worker could be killed holding a job"
    );
    // A restarted worker and the survivor finish the queue.
    let restarted = spawn_worker(&url, &[]);
    wait_ok(survivor);
    wait_ok(restarted);
    assert_complete(&url, &dir, &batch);
    // The killed worker's job was taken up again: its second attempt finished it.
    let retried: i64 = db
        .query_one("SELECT COUNT(*) FROM jobs WHERE attempts > 1", &[])
        .expect("query")
        .get(0);
    assert!(retried >= 1);
}

#[test]
fn a_poison_job_fails_alone_with_its_error_kept() {
    let Some(url) = database("a_poison_job_fails_alone_with_its_error_kept") else {
        return;
    };
    let dir = articles();
    // A URL nothing answers: every fetch fails.
    let (code, _, err) = run(&[
        "ingest",
        "--db",
        &url,
        dir.to_str().expect("path"),
        "http://127.0.0.1:9/poison",
    ]);
    assert_eq!(code, 0, "{err}");
    let n = status(&url)["queue"]["queued"].as_u64().expect("queued") - 1;
    assert!(n >= 2);
    // A second poison: a queued article whose stored input cannot be read back.
    let mut db = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let damaged = db
        .execute(
            "UPDATE jobs SET payload = 'not json'
             WHERE seq = (SELECT seq FROM jobs WHERE kind = 'input' ORDER BY seq LIMIT 1)",
            &[],
        )
        .expect("damage a job");
    assert_eq!(damaged, 1);
    let w = spawn_worker(&url, &["--max-attempts", "2", "--retry-after", "0"]);
    let log = wait_ok(w);
    let st = status(&url);
    let q = &st["queue"];
    // The two poisons failed; every other job is done and its article stored.
    assert_eq!(q["failed"].as_u64(), Some(2), "{st}\n{log}");
    assert_eq!(q["done"].as_u64(), Some(n - 1), "{st}");
    assert_eq!(st["articles"].as_u64(), Some(n - 1), "{st}");
    assert_eq!(q["queued"].as_u64(), Some(0), "{st}");
    assert_eq!(st["stories_to_recompute"].as_u64(), Some(0), "{st}");
    let failures = q["recent_failures"].as_array().expect("failures");
    let poison = failures
        .iter()
        .find(|f| f["source"] == "http://127.0.0.1:9/poison")
        .expect("the URL job failed");
    assert_eq!(poison["attempts"].as_u64(), Some(2), "{poison}");
    assert!(!poison["error"].as_str().unwrap_or("").is_empty());
    let unreadable = failures
        .iter()
        .find(|f| f["source"] != "http://127.0.0.1:9/poison")
        .expect("the damaged job failed");
    assert_eq!(unreadable["attempts"].as_u64(), Some(1), "{unreadable}");
    assert!(
        unreadable["error"]
            .as_str()
            .unwrap_or("")
            .contains("cannot be read back"),
        "{unreadable}"
    );
    // The text view names them too.
    let (code, out, _) = run(&["status", "--db", &url]);
    assert_eq!(code, 0);
    assert!(out.contains("2 failed") && out.contains("poison"), "{out}");
}

#[test]
fn sigterm_stops_a_waiting_worker_cleanly() {
    let Some(url) = database("sigterm_stops_a_waiting_worker_cleanly") else {
        return;
    };
    let bin = assert_cmd::cargo::cargo_bin("parallax");
    let w = std::process::Command::new(bin)
        .env("PARALLAX_EMBEDDINGS", "off")
        .args(["worker", "--db", &url])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker");
    // Wait until it is connected, then ask it to stop.
    let start = Instant::now();
    while status(&url)["queue"]["workers"].as_u64() != Some(1) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "worker never connected"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = w.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let err = wait_ok(w);
    assert!(err.contains("stopped"), "{err}");
    assert_eq!(status(&url)["queue"]["workers"].as_u64(), Some(0));
}

#[test]
fn worker_needs_postgres_and_stores_read_the_same_over_either_backend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let (code, _, err) = run(&["worker", "--db", db.to_str().expect("path")]);
    assert_ne!(code, 0);
    assert!(err.contains("PostgreSQL"), "{err}");
    let (code, _, err) = run(&[
        "status",
        "--db",
        "postgres://nobody:secret@127.0.0.1:9/none",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot connect"), "{err}");
    assert!(
        !err.contains("secret"),
        "the password is never shown: {err}"
    );
    // A SQLite store has no queue; status says so.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let (code, _, err) = run(&[
        "ingest",
        "--db",
        db.to_str().expect("path"),
        examples.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["status", "--db", db.to_str().expect("path")]);
    assert_eq!(code, 0);
    assert!(out.contains("queue       none"), "{out}");
}

/// A small HTTP server on 127.0.0.1 for the fetch test: one article page, 404 for anything
/// else (robots.txt included: everything is allowed). Returns its base URL and the paths
/// asked for, in order. The thread ends with the test process.
fn article_server(
    path: &'static str,
    html: String,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(match stream.try_clone() {
                Ok(s) => s,
                Err(_) => continue,
            });
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the head, up to the blank line.
            let mut header = String::new();
            while reader
                .read_line(&mut header)
                .map(|n| n > 2)
                .unwrap_or(false)
            {
                header.clear();
            }
            let asked_path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let (status, body) = if asked_path == path {
                ("200 OK", html.as_str())
            } else {
                ("404 Not Found", "not here")
            };
            if let Ok(mut v) = log.lock() {
                v.push(asked_path);
            }
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, asked)
}

#[test]
fn a_worker_fetches_a_queued_url_and_stores_its_article() {
    let Some(url) = database("a_worker_fetches_a_queued_url_and_stores_its_article") else {
        return;
    };
    let html = "<!doctype html><html lang=\"en\"><head><title>Quay fire contained</title>\
        <meta property=\"og:site_name\" content=\"Harbour Courier\">\
        <meta property=\"article:published_time\" content=\"2024-06-03T08:00:00Z\"></head><body>\
        <nav><a href=\"/\">Home</a></nav><article><h1>Quay fire contained</h1>\
        <p>A fire in a warehouse on the Lindqvist quay was contained on Sunday night, the \
        harbour fire service said. Nobody was injured, according to the service.</p>\
        <p>Crews from three stations fought the blaze for six hours. The cause of the fire \
        is not yet known, a spokeswoman said on Monday.</p></article></body></html>"
        .to_string();
    let (base, asked) = article_server("/news/quay-fire", html);
    let page = format!("{base}/news/quay-fire");
    let (code, _, err) = run(&["ingest", "--db", &url, &page]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(status(&url)["queue"]["queued"].as_u64(), Some(1));
    // Queued, not fetched: the worker fetches.
    assert!(asked.lock().expect("log").is_empty());

    let log = wait_ok(spawn_worker(&url, &["--delay", "0"]));
    let st = status(&url);
    assert_eq!(st["queue"]["done"].as_u64(), Some(1), "{st}\n{log}");
    assert_eq!(st["queue"]["failed"].as_u64(), Some(0), "{st}\n{log}");
    assert_eq!(st["articles"].as_u64(), Some(1), "{st}");
    let paths = asked.lock().expect("log").clone();
    assert_eq!(
        paths.iter().filter(|p| *p == "/news/quay-fire").count(),
        1,
        "{paths:?}"
    );

    // The stored article is the page's: its title, outlet, address and text.
    let (code, out, err) = run(&["stories", "--db", &url, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let list: Value = serde_json::from_str(&out).expect("stories json");
    let story = &list[0];
    assert_eq!(story["articles"].as_u64(), Some(1), "{list}");
    assert_eq!(story["outlets"][0], "Harbour Courier", "{list}");
    let (code, out, err) = run(&["export", "--db", &url, "--what", "sentences"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert!(
        rows.iter()
            .any(|r| r["text"].as_str().unwrap_or("").contains("Lindqvist quay")),
        "{out}"
    );
    assert!(
        !out.contains("Home"),
        "the page's navigation is not part of the text"
    );
    let id = rows[0]["article"].as_str().expect("article id");
    let (code, out, err) = run(&[
        "story",
        "--db",
        &url,
        story["id"].as_str().expect("id"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(id), "{out}");
    assert!(out.contains(&page), "the article keeps its address: {out}");
}
