//! End-to-end tests: run the real `parallax` binary on the bundled examples and on bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// The binary, never fetching the model on its own (tests use it only when it is installed,
/// e.g. in CI's second pass; `.ci/run` fetches it explicitly).
fn parallax() -> Command {
    let mut c = Command::cargo_bin("parallax").expect("binary builds");
    c.env("PARALLAX_NO_FETCH", "1");
    c
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> PathBuf {
    root().join("examples/articles")
}

fn analyze_json(paths: &[&Path]) -> serde_json::Value {
    let out = parallax()
        .arg("analyze")
        .args(paths)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn analyze_examples_json_has_documents_and_sentences() {
    let v = analyze_json(&[&examples()]);
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 2);
    for d in docs {
        let text = d["text"].as_str().expect("text");
        for p in d["paragraphs"].as_array().expect("paragraphs") {
            for s in p["sentences"].as_array().expect("sentences") {
                let (a, b) = (
                    s["start"].as_u64().unwrap_or(0) as usize,
                    s["end"].as_u64().unwrap_or(0) as usize,
                );
                assert_eq!(&text[a..b], s["text"].as_str().expect("sentence text"));
            }
        }
    }
    for key in ["entities", "times", "stories"] {
        assert!(v[key].is_array(), "{key} missing");
    }
}

#[test]
fn metadata_of_examples_is_read_and_not_guessed() {
    let v = analyze_json(&[&examples()]);
    let docs = v["documents"].as_array().expect("documents");
    let signed = docs
        .iter()
        .find(|d| d["author"].is_string())
        .expect("one signed article");
    assert_eq!(signed["published"], "2025-02-10");
    assert!(signed["boilerplate"][0]
        .as_str()
        .unwrap_or("")
        .contains("contact"));
    let unsigned = docs
        .iter()
        .find(|d| d["author"].is_null())
        .expect("one unsigned article");
    assert!(unsigned["published"].is_null());
    assert!(unsigned["title"].is_null());
}

#[test]
fn two_runs_are_identical() {
    let a = parallax()
        .args(["analyze", "--format", "json"])
        .arg(examples())
        .output()
        .expect("runs");
    let b = parallax()
        .args(["analyze", "--format", "json"])
        .arg(examples())
        .output()
        .expect("runs");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn every_format_renders() {
    for (fmt, needle) in [
        ("text", "PARALLAX"),
        ("md", "# Parallax report"),
        ("html", "<html"),
        ("json", "\"documents\""),
    ] {
        parallax()
            .args(["analyze", "--format", fmt])
            .arg(examples())
            .assert()
            .success()
            .stdout(predicate::str::contains(needle));
    }
}

#[test]
fn schema_in_docs_matches_the_types() {
    let out = parallax().arg("schema").output().expect("runs");
    let committed = std::fs::read_to_string(root().join("docs/report.schema.json"))
        .expect("docs/report.schema.json");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        committed.trim(),
        "docs/report.schema.json is stale: run `parallax schema > docs/report.schema.json`"
    );
}

#[test]
fn bad_items_are_named_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), b"").expect("write");
    std::fs::write(d.join("binary.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").expect("write");
    std::fs::write(
        d.join("latin1.txt"),
        b"Le caf\xE9 de la gare a ferm\xE9 ses portes mardi apr\xE8s trente ans.",
    )
    .expect("write");
    std::fs::write(
        d.join("records.jsonl"),
        b"{\"text\": \"The council voted on Monday.\"}\n{\"text\": \"truncated\n",
    )
    .expect("write");
    std::fs::write(
        d.join("nobody.html"),
        b"<html><head><title>x</title></head></html>",
    )
    .expect("write");
    std::fs::write(
        d.join("good.txt"),
        b"The mayor opened the new bridge on Friday. Crowds gathered.",
    )
    .expect("write");
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(d)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "some items failed -> exit 1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: file is empty"), "{err}");
    assert!(
        err.contains("binary.txt: looks like a binary file"),
        "{err}"
    );
    assert!(err.contains("records.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("nobody.html"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report still written");
    let sources: Vec<String> = v["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .filter_map(|d| d["source"].as_str())
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .collect();
    assert_eq!(sources, ["good.txt", "latin1.txt", "records.jsonl:1"]);
    let latin = &v["documents"][1]["text"];
    assert!(latin.as_str().unwrap_or("").contains("café"));
}

#[test]
fn size_limit_is_configurable_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("big.txt");
    std::fs::write(&f, "word ".repeat(10_000)).expect("write");
    parallax()
        .args(["analyze", "--max-bytes", "1000"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "big.txt: file is 50000 bytes, over the limit of 1000 bytes",
        ));
}

#[test]
fn missing_path_is_a_clear_error() {
    parallax()
        .args(["analyze", "/no/such/place"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/no/such/place: no such file or folder",
        ));
}

#[test]
fn help_explains_every_command() {
    let out = parallax().arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["analyze", "extract", "eval", "bench", "schema", "models"] {
        assert!(help.contains(cmd), "--help lacks {cmd}");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_entries_are_named_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::os::unix::fs::symlink(d.join("gone.txt"), d.join("broken.txt")).expect("symlink");
    std::fs::write(
        d.join("good.txt"),
        b"The mayor opened the new bridge on Friday. Crowds gathered.",
    )
    .expect("write");
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(d)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.txt"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report still written");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
}

#[test]
fn eval_bias_reads_a_babe_file_and_names_bad_rows() {
    let dir = std::env::temp_dir().join(format!("parallax-babe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let head = "text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words\n";
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        format!(
            "{head}The regime's brutal crackdown went on.;l;o;t;;Biased;x;['brutal']\n\
             The council met on Tuesday.;l;o;t;;Non-biased;x;[]\n"
        ),
    )
    .expect("write");
    let out = parallax()
        .args(["eval", "bias", "--json"])
        .arg(&good)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["items"], 2);
    assert_eq!(v["metrics"]["sentence_f1"], 1.0);
    assert_eq!(v["metrics"]["word_recall"], 1.0);
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{head}Fine.;l;o;t;;Biased;x;[]\nBroken;row\n"),
    )
    .expect("write");
    let out = parallax()
        .args(["eval", "bias"])
        .arg(&bad)
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:3"), "{err}");
}

#[test]
fn without_embeddings_the_report_says_so_once() {
    let out = parallax()
        .args(["analyze", "--no-embeddings", "--format", "json"])
        .arg(examples())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(v["alignment"]["embeddings"], false);
    let note = v["alignment"]["note"].as_str().expect("a note");
    assert!(note.contains("--no-embeddings"), "{note}");
    let text = parallax()
        .args(["analyze", "--no-embeddings", "--color", "never"])
        .arg(examples())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.matches("embeddings off").count(), 1, "{text}");
}

#[test]
fn a_missing_model_is_not_fetched_when_told_not_to_and_words_are_used() {
    let empty = tempfile::tempdir().expect("tempdir");
    let out = parallax()
        .args(["analyze", "--format", "json", "--models"])
        .arg(empty.path())
        .arg(examples())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(v["alignment"]["embeddings"], false);
    let note = v["alignment"]["note"].as_str().expect("a note");
    assert!(note.contains("models fetch"), "{note}");
    assert!(std::fs::read_dir(empty.path())
        .expect("dir")
        .next()
        .is_none());
}

#[test]
fn models_status_names_the_folder() {
    let empty = tempfile::tempdir().expect("tempdir");
    parallax()
        .args(["models", "status", "--models"])
        .arg(empty.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("not usable").and(predicate::str::contains("models fetch")),
        );
}

#[test]
fn eval_paraphrase_reads_a_file_and_names_bad_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("msr_paraphrase_test.txt");
    std::fs::write(
        &f,
        "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n\
         1\t1\t2\tThe council approved the budget on Monday.\tOn Monday the council approved the budget.\n\
         x\t3\t4\tbroken\n\
         0\t5\t6\tThe council approved the budget on Monday.\tSnow closed three mountain passes overnight.\n",
    )
    .expect("write");
    let out = parallax()
        .args(["eval", "paraphrase", "--json", "--no-embeddings"])
        .arg(&f)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("msr_paraphrase_test.txt:3"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["task"], "paraphrase");
    assert_eq!(v["items"], 2);
    for k in ["accuracy", "precision", "recall", "f1"] {
        let x = v["metrics"][k].as_f64().expect("metric");
        assert!((0.0..=1.0).contains(&x), "{k} {x}");
    }
}

#[test]
fn eval_align_on_the_development_gold_when_present() {
    let dir = root().join("../shared/data/align-dev");
    if !dir.join("align.json").exists() {
        eprintln!("skipped: {} not found", dir.display());
        return;
    }
    let out = parallax()
        .args(["eval", "align", "--json", "--no-embeddings"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["task"], "align");
    assert_eq!(v["items"], 8);
    for k in [
        "pair_precision",
        "pair_recall",
        "pair_f1",
        "conflict_recall",
    ] {
        let x = v["metrics"][k].as_f64().expect("metric");
        assert!((0.0..=1.0).contains(&x), "{k} {x}");
    }
    assert!(
        v["metrics"]["false_conflicts_per_story"]
            .as_f64()
            .expect("rate")
            >= 0.0
    );
    // Aligning at all: most of what is called agreed is agreed in the gold.
    assert!(v["metrics"]["pair_precision"].as_f64().unwrap_or(0.0) > 0.5);
}
