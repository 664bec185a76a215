//! End-to-end tests of bounded, safe input and inert output: special files, size limits, bad
//! bytes, hostile titles and file names, the per-article time budget.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

/// A generous limit on any one run: these tests check that nothing hangs, never how fast it is.
const HANG: Duration = Duration::from_secs(60);

fn parallax() -> Command {
    let mut c = Command::cargo_bin("parallax").expect("binary builds");
    c.timeout(HANG);
    c
}

const GOOD: &str = "The mayor opened the new bridge on Friday, officials said. Crowds gathered \
    along the river to watch the first cars cross.";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn json_docs(stdout: &[u8]) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(stdout).expect("a JSON report");
    v["documents"].as_array().cloned().unwrap_or_default()
}

#[cfg(unix)]
fn mkfifo(p: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_with_one_line_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("feed.txt");
    if !mkfifo(&fifo) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(&fifo)
        .arg(&good)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("feed.txt: not a regular file (a FIFO)"),
        "{err}"
    );
    assert_eq!(json_docs(&out.stdout).len(), 1);

    // Inside a folder: named in a note, never opened, and not a failure.
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note") && err.contains("feed.txt: not a regular file"),
        "{err}"
    );

    // `extract` refuses it too, and with nothing extracted exits 2.
    parallax()
        .arg("extract")
        .arg(&fifo)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a regular file (a FIFO)"));
}

#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    parallax()
        .args(["extract", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "/dev/zero: not a regular file (a character device)",
        ));
}

#[test]
fn extract_respects_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = format!("<html><body><p>{}</p></body></html>", GOOD.repeat(50));
    let big = write(dir.path(), "big.html", page.as_bytes());
    parallax()
        .args(["extract", "--max-bytes", "1000"])
        .arg(&big)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("over the limit of 1000 bytes"));
    parallax()
        .arg("extract")
        .arg(&big)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("The mayor opened"));
}

#[test]
fn one_bad_byte_keeps_the_curly_quotes_and_gets_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text =
        "Meloni\u{2019}s government faced pressure. \u{201c}We acted within the law,\u{201d} \
        the minister said on Tuesday in Rome.";
    let mut bytes = text.as_bytes().to_vec();
    bytes.insert(12, 0xFF);
    let f = write(dir.path(), "onebad.txt", &bytes);
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(&f)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "a note is not a failure");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note") && err.contains("onebad.txt: 1 invalid UTF-8 byte sequence"),
        "{err}"
    );
    let docs = json_docs(&out.stdout);
    let body = docs[0]["text"].as_str().unwrap_or("");
    assert!(
        body.contains("\u{201c}We acted within the law,\u{201d}"),
        "{body}"
    );
    assert!(body.contains("Meloni\u{2019}s"), "{body}");
    assert!(!body.contains("â€"), "{body}");
}

#[test]
fn a_title_with_terminal_escapes_prints_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = serde_json::json!({
        "title": "Owned\u{1b}]0;pwned\u{7}\u{1b}[2J",
        "author": "Eve\u{1b}[31m",
        "outlet": "Bad\u{9b}1J",
        "text": GOOD,
    });
    let f = write(dir.path(), "escapes.json", record.to_string().as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "text", "--color", "never"])
        .arg(&f)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal"
    );
    assert!(
        text.contains("Owned\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"),
        "{text}"
    );
    // With colour on, the only escapes are the report's own colour codes.
    let out = parallax()
        .args(["analyze", "--format", "text", "--color", "always"])
        .arg(&f)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        !text.contains('\u{7}') && !text.contains("\u{1b}]"),
        "{text}"
    );
}

#[test]
fn markdown_holds_no_live_script() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = serde_json::json!({
        "title": "<script>alert(1)</script> and <img src=x onerror=alert(2)>",
        "outlet": "[click](javascript:alert(3))",
        "text": format!("{GOOD} <script>alert(4)</script>"),
    });
    let f = write(dir.path(), "script.json", record.to_string().as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "md"])
        .arg(&f)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).expect("UTF-8").to_lowercase();
    assert!(!md.contains("<script"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("](javascript:"), "{md}");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
}

#[test]
fn file_names_on_stderr_are_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "bad\u{1b}[2J\nparallax: forged line.txt";
    let Ok(()) = std::fs::write(dir.path().join(name), b"") else {
        eprintln!("skipped: this file system refuses such names");
        return;
    };
    write(dir.path(), "good.txt", GOOD.as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad\\u{1b}[2J\\nparallax: forged line.txt: file is empty"),
        "{err}"
    );
}

#[test]
fn a_missing_path_does_not_abort_the_batch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path().join("missing.txt"))
        .arg(&good)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.txt: no such file or folder"), "{err}");
    assert_eq!(json_docs(&out.stdout).len(), 1);
}

#[test]
fn an_empty_json_array_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "none.json", b"[]");
    parallax()
        .arg("analyze")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "none.json: the JSON array holds no records",
        ));
}

#[test]
fn extract_exits_2_when_nothing_was_extracted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "empty.html",
        b"<html><head></head><body></body></html>",
    );
    parallax()
        .arg("extract")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("empty.html"));
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_get_distinct_ids() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, what) in [
        (&b"caf\xe9.txt"[..], "first"),
        (&b"caf\xe8.txt"[..], "second"),
    ] {
        let p = dir.path().join(std::ffi::OsStr::from_bytes(name));
        if std::fs::write(&p, format!("{GOOD} The {what} one.")).is_err() {
            eprintln!("skipped: this file system refuses non-UTF-8 names");
            return;
        }
    }
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    // Both files are read (distinct contents, distinct ids), each named by its escaped path.
    let docs = json_docs(&out.stdout);
    let mut sources: Vec<String> = docs
        .iter()
        .filter_map(|d| d["source"].as_str())
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .collect();
    sources.sort();
    assert_eq!(sources, ["caf\\xE8.txt", "caf\\xE9.txt"]);
    assert_ne!(docs[0]["id"], docs[1]["id"]);
}

#[test]
fn cr_only_line_endings_keep_paragraphs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!("{GOOD}\r\r{GOOD}\r\rA third paragraph closes the story.");
    let f = write(dir.path(), "mac.txt", body.as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(&f)
        .output()
        .expect("runs");
    let docs = json_docs(&out.stdout);
    assert_eq!(docs[0]["paragraphs"].as_array().map(Vec::len), Some(3));
}

#[test]
fn an_article_over_its_budget_is_named_and_the_report_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "slow.txt", GOOD.as_bytes());
    // A budget of zero seconds runs out before the first stage: deterministic.
    let out = parallax()
        .args(["analyze", "--format", "json", "--article-timeout", "0"])
        .arg(&f)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("over its time budget")
            && err.contains("slow.txt: entities, time, claims not computed"),
        "{err}"
    );
    let docs = json_docs(&out.stdout);
    assert_eq!(
        docs[0]["limits"]["not_computed"],
        serde_json::json!(["entities", "time", "claims"])
    );
    assert!(docs[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("bridge")));
}

#[test]
fn a_run_on_sentence_is_cut_and_the_report_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let words: Vec<String> = (0..2500).map(|i| format!("word{}", i % 97)).collect();
    let f = write(dir.path(), "runon.txt", words.join(" ").as_bytes());
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(&f)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let docs = json_docs(&out.stdout);
    let split = docs[0]["limits"]["split_sentences"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(split.len(), 3);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("runon.txt: 3 pieces of sentences over 1000 words"),
        "{err}"
    );
}
