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
