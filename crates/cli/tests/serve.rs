//! End-to-end: `parallax ingest` then `parallax serve` as a user runs them (the README's
//! commands), answered over a real TCP connection.

use assert_cmd::cargo::CommandCargoExt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn parallax() -> Command {
    Command::cargo_bin("parallax").expect("binary builds")
}

/// Stops the server when the test ends, however it ends.
struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One GET over a fresh connection: (status line, body).
fn get(host: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
}

#[test]
fn ingest_then_serve_shows_the_seed_story_with_both_spellings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let out = parallax()
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&examples)
        .output()
        .expect("ingest runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (server, host) = start_server(db.as_os_str());
    let host = host.as_str();
    assert!(host.starts_with("127.0.0.1:"), "{host}");

    let (status, list) = get(host, "/");
    assert!(status.contains("200"), "{status}");
    let at = list.find("href=\"/stories/").expect("a story link") + "href=\"".len();
    let path = &list[at..at + list[at..].find('"').expect("end of link")];
    let (status, story) = get(host, path);
    assert!(status.contains("200"), "{status}");
    assert!(story.contains("Almasri") && story.contains("al-Masri"));
    let (status, _) = get(host, "/stories/s-nope");
    assert!(status.contains("404"), "{status}");

    drop(server);
}

/// Starts `parallax serve` on a free port: the server and its `host:port`.
fn start_server(db: &std::ffi::OsStr) -> (Server, String) {
    let child = parallax()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut server = Server(child);
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the address line");
    let url = line.trim();
    let host = url
        .strip_prefix("http://")
        .and_then(|h| h.strip_suffix('/'))
        .unwrap_or_else(|| panic!("an http address, not {url:?}"))
        .to_string();
    (server, host)
}

/// The README's scale-out commands: `ingest --db postgres://...` queues the articles, a
/// worker stores them, and `serve --db postgres://...` shows the same story pages and JSON.
#[test]
fn serve_reads_a_postgresql_store_filled_by_a_worker() {
    let Some(url) = parallax_store::testing::fresh_database() else {
        eprintln!("serve_reads_a_postgresql_store_filled_by_a_worker: skipped: no PostgreSQL");
        return;
    };
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let quiet = |c: &mut Command| {
        c.env_remove("PARALLAX_DB")
            .env("PARALLAX_EMBEDDINGS", "off")
            .env("PARALLAX_NO_FETCH", "1");
    };
    let mut ingest = parallax();
    quiet(&mut ingest);
    let out = ingest
        .args(["ingest", "--db", &url])
        .arg(&examples)
        .output()
        .expect("ingest runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut worker = parallax();
    quiet(&mut worker);
    let out = worker
        .args(["worker", "--drain", "--db", &url])
        .output()
        .expect("worker runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (server, host) = start_server(std::ffi::OsStr::new(&url));
    let (status, list) = get(&host, "/api/stories");
    assert!(status.contains("200"), "{status}: {list}");
    let list: serde_json::Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(list["total"], 1, "{list}");
    let id = list["stories"][0]["id"].as_str().expect("a story id");
    let (status, story) = get(&host, &format!("/stories/{id}"));
    assert!(status.contains("200"), "{status}");
    assert!(story.contains("Almasri") && story.contains("al-Masri"));
    let (status, twin) = get(&host, &format!("/api/stories/{id}"));
    assert!(status.contains("200"), "{status}");
    let twin: serde_json::Value = serde_json::from_str(&twin).expect("JSON");
    assert_eq!(twin["articles"].as_array().map(Vec::len), Some(2));
    let (status, _) = get(&host, "/stories/s-nope");
    assert!(status.contains("404"), "{status}");
    drop(server);
}

#[test]
fn serve_needs_an_existing_store_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("none.db");
    let out = parallax()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("none.db") && err.contains("parallax ingest"),
        "{err}"
    );
    assert!(!db.exists(), "no store is created");
}
