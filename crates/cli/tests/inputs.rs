//! End-to-end tests of input handling: folders with other files and Parallax's own reports,
//! articles in other languages, outlets spelt differently, and `extract` on several pages.

use assert_cmd::Command;
use std::path::Path;

fn parallax() -> Command {
    Command::cargo_bin("parallax").expect("binary builds")
}

const EN: &str = "Harbour reopens after repairs\n\nBy Jo Lee\n\nThe harbour reopened on Monday \
after months of repairs to the breakwater, the port authority said in a statement. Fishing \
boats returned to the inner basin in the afternoon, and the fish market will open on Tuesday.\n";
const DE: &str = "Hafen nach Reparaturen wieder offen\n\nDer Hafen wurde am Montag nach \
monatelangen Reparaturen an der Mole wieder geöffnet, teilte die Hafenbehörde mit. Die \
Fischerboote kehrten am Nachmittag in das innere Becken zurück, und der Fischmarkt öffnet am \
Dienstag wieder seine Türen für alle Besucher aus der Stadt.\n";

fn write(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).expect("write fixture");
}

#[test]
fn other_files_are_counted_and_own_reports_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.txt", EN);
    write(dir.path(), "photo.png", "x");
    write(dir.path(), "notes.pdf", "x");
    write(dir.path(), "scan.pdf", "x");
    // A first run's reports, written into the same folder.
    let json = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(json.status.success());
    std::fs::write(dir.path().join("report.json"), &json.stdout).expect("write report");
    let html = parallax()
        .args(["analyze", "--format", "html"])
        .arg(dir.path())
        .output()
        .expect("runs");
    std::fs::write(dir.path().join("report.html"), &html.stdout).expect("write report");

    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "notes are not failures: {stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1), "{stderr}");
    assert!(
        stderr.contains("report.json: not an article: a Parallax JSON report"),
        "{stderr}"
    );
    assert!(
        stderr.contains("report.html: not an article: a Parallax HTML report"),
        "{stderr}"
    );
    let counted: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("of other types"))
        .collect();
    assert_eq!(counted.len(), 1, "{stderr}");
    assert!(
        counted[0].contains("3 files of other types skipped (.pdf 2, .png 1"),
        "{stderr}"
    );
}

#[test]
fn non_english_articles_get_a_note_and_no_english_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "en.txt", EN);
    write(dir.path(), "de.txt", DE);
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let notes: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("written in `de`"))
        .collect();
    assert_eq!(notes.len(), 1, "once per article: {stderr}");
    assert!(notes[0].contains("de.txt"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let docs = v["documents"].as_array().expect("documents");
    let de = docs
        .iter()
        .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with("de.txt")))
        .expect("de document");
    let de_id = de["id"].clone();
    assert_eq!(de["language"], "de");
    assert!(de["framing"].is_null(), "claims stage skipped");
    let de_entities = v["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter(|e| {
            e["mentions"]
                .as_array()
                .is_some_and(|m| m.iter().any(|m| m["doc"] == de_id))
        })
        .count();
    assert_eq!(de_entities, 0, "no English name rules on German");
    let en = docs
        .iter()
        .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with("en.txt")))
        .expect("en document");
    assert_eq!(en["language"], "en");
    let text = parallax()
        .arg("analyze")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&text.stdout).contains("note: written in `de`"));
}

#[test]
fn outlets_differing_in_case_are_one_and_unknown_is_unknown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = |outlet: &str, extra: &str| {
        format!(
            "{{\"title\":\"Harbour reopens\",\"outlet\":\"{outlet}\",\"published\":\"2024-03-04\",\
             \"text\":\"The harbour reopened on Monday after months of repairs to the breakwater, \
             the port authority said. {extra}\"}}"
        )
    };
    write(
        dir.path(),
        "a.json",
        &rec("NYT", "Boats returned in the afternoon."),
    );
    write(
        dir.path(),
        "b.json",
        &rec("nyt", "The market opens on Tuesday."),
    );
    write(
        dir.path(),
        "c.txt",
        "The harbour reopened on Monday after months of repairs to the breakwater, officials said.\n",
    );
    let out = parallax()
        .args(["analyze", "--format", "md"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("outlet NYT"), "{md}");
    assert!(!md.contains("outlet nyt"), "{md}");
    assert!(md.contains("outlet unknown"), "{md}");
    assert!(!md.contains("outlet c "), "file id shown as outlet: {md}");
    let html = parallax()
        .args(["analyze", "--format", "html"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(
        html.contains("How 2 outlets compare"),
        "NYT/nyt one outlet, c unknown"
    );
    assert!(html.contains(">Unknown outlet<"), "unknown outlet label");
}

#[test]
fn extract_separates_pages_and_json_is_one_array() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = |t: &str| {
        format!("<html><head><title>{t}</title></head><body><article><p>{t}: the harbour reopened on Monday after months of repairs, officials said.</p></article></body></html>")
    };
    write(dir.path(), "one.html", &page("First"));
    write(dir.path(), "two.html", &page("Second"));
    let one = dir.path().join("one.html");
    let two = dir.path().join("two.html");
    let out = parallax()
        .arg("extract")
        .arg(&one)
        .arg(&two)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("==> {} <==", one.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("==> {} <==", two.display())),
        "{text}"
    );
    let out = parallax()
        .args(["extract", "--format", "json"])
        .arg(&one)
        .arg(&two)
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let arr = v.as_array().expect("an array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["title"], "Second");
    let single = parallax().arg("extract").arg(&one).output().expect("runs");
    assert!(!String::from_utf8_lossy(&single.stdout).contains("==>"));
}
