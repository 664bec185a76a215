//! The seed acceptance test: `parallax analyze` on the bundled example articles, checked by the
//! project's acceptance script `../shared/seeds/check.py` when it is present beside the
//! repository (it is in the development workspace and in CI). The bundled articles are the
//! seed articles, with the same file names, so the script finds them.

use assert_cmd::Command;
use std::path::Path;

/// The checks of check.py that the current pipeline is held to.
const CHECKS: &[&str] = &[
    "docs",
    "meta",
    "boilerplate",
    "repair",
    "entities",
    "time",
    "claims",
    "stories",
];

#[test]
fn seed_acceptance_script_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("../shared/seeds/check.py");
    if !script.exists() {
        eprintln!("skipped: {} not found", script.display());
        return;
    }
    let out = Command::cargo_bin("parallax")
        .expect("binary builds")
        .env("PARALLAX_NO_FETCH", "1")
        .args(["analyze", "--format", "json"])
        .arg(root.join("examples/articles"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("a.json");
    std::fs::write(&json, &out.stdout).expect("write report");
    let check = std::process::Command::new("python3")
        .arg(&script)
        .arg(&json)
        .args(CHECKS)
        .output();
    let check = match check {
        Ok(c) => c,
        Err(e) => panic!("python3 is needed for the seed acceptance test: {e}"),
    };
    assert!(
        check.status.success(),
        "check.py {CHECKS:?} failed:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The seeds through the JSON report (with the embedding model when it is installed, else on
/// words): the two articles' shared account of the release is listed as agreed with high or
/// medium confidence, and nothing is called a conflict.
#[test]
fn seeds_agree_on_the_release_without_conflict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::cargo_bin("parallax")
        .expect("binary builds")
        .env("PARALLAX_NO_FETCH", "1")
        .args(["analyze", "--format", "json"])
        .arg(root.join("examples/articles"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let claims: Vec<&serde_json::Value> = v["stories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["claims"].as_array().into_iter().flatten())
        .collect();
    assert!(
        claims.iter().all(|c| c["kind"] != "conflict"),
        "a conflict was invented"
    );
    let agreed_on = |words: &[&str]| {
        claims.iter().any(|c| {
            c["kind"] == "agreed"
                && c["confidence"].is_string()
                && c["documents"].as_array().is_some_and(|d| d.len() == 2)
                && c["sentences"].as_array().is_some_and(|ss| {
                    ss.iter().all(|s| {
                        let t = s["text"].as_str().unwrap_or("").to_lowercase();
                        words.iter().any(|w| t.contains(w))
                    })
                })
        })
    };
    assert!(
        agreed_on(&["procedural"]),
        "the procedural error is not agreed"
    );
    // A sentence another outlet also states is never listed as only in its own outlet.
    let sentences_of = |kinds: &[&str]| -> Vec<String> {
        claims
            .iter()
            .filter(|c| kinds.iter().any(|k| c["kind"] == *k))
            .flat_map(|c| c["sentences"].as_array().into_iter().flatten())
            .filter_map(|s| s["sentence"].as_str().map(str::to_string))
            .collect()
    };
    let shared = sentences_of(&["agreed", "conflict"]);
    for s in sentences_of(&["only_in"]) {
        assert!(
            !shared.contains(&s),
            "{s} is both shared and only in one outlet"
        );
    }
}
