//! Snapshot tests of the human-readable reports on the bundled examples: any change to what a
//! reader sees shows up as a reviewable diff (`cargo insta review`, or INSTA_UPDATE=always).

use assert_cmd::Command;
use std::path::Path;

fn render(format: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::cargo_bin("parallax")
        .expect("binary builds")
        .current_dir(&root)
        // Snapshots are of the word-only alignment, the same on every machine.
        .args([
            "analyze",
            "--no-embeddings",
            "examples/articles",
            "--color",
            "never",
            "--format",
            format,
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

#[test]
fn text_report() {
    insta::assert_snapshot!("examples_text", render("text"));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!("examples_markdown", render("md"));
}
