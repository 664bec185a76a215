//! `parallax eval extract` on tiny hand-made fixtures of both layouts.

use parallax_eval::{run, Task};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn readability_layout() {
    let r = run(Task::Extract, &fixture("extract-readability")).expect("eval runs");
    assert_eq!(r.task, "extract");
    assert_eq!(r.dataset, "extract-readability");
    // page-c-binary is undecodable: reported and skipped, not fatal.
    assert_eq!(r.items, 2);
    for k in ["precision", "recall", "f1"] {
        assert!(r.metrics[k] > 0.95, "{k} = {}", r.metrics[k]);
    }
    assert_eq!(r.metrics["title_accuracy"], 1.0);
    assert_eq!(r.metrics["author_accuracy"], 1.0);
}

#[test]
fn benchmark_layout_with_gzip_pages() {
    let r = run(Task::Extract, &fixture("extract-benchmark")).expect("eval runs");
    assert_eq!(r.dataset, "extract-benchmark");
    // "missing-page" has no HTML file: skipped.
    assert_eq!(r.items, 2);
    assert!(r.metrics["f1"] > 0.95, "{:?}", r.metrics);
    assert!(r.metrics["precision"] <= 1.0 && r.metrics["recall"] <= 1.0);
    // Only "bakery" has a headline and an author.
    assert_eq!(r.metrics["title_accuracy"], 1.0);
    assert_eq!(r.metrics["author_accuracy"], 1.0);
}

#[test]
fn folder_without_pages_is_an_error() {
    assert!(run(Task::Extract, &fixture("extract-benchmark/html")).is_err());
}

/// The extraction test pages (captions, sign-up and related boxes, repeated bylines): the
/// precision pass must keep every article paragraph and drop nearly all of the clutter
/// (before it: precision 0.81).
#[test]
fn pages_with_boxes() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/pages");
    let r = run(Task::Extract, &dir).expect("eval runs");
    assert_eq!(r.items, 6);
    assert!(r.metrics["recall"] > 0.99, "{:?}", r.metrics);
    assert!(r.metrics["precision"] > 0.95, "{:?}", r.metrics);
}

#[test]
fn a_folder_holding_the_data_set_one_level_down_names_its_subfolders() {
    // `tests/fixtures` holds no page itself, only the folders of the data sets.
    let e = run(Task::Extract, &fixture("")).expect_err("no items at the top");
    let msg = e.to_string();
    assert!(msg.contains("no items"), "{msg}");
    assert!(
        msg.contains("extract-benchmark") && msg.contains("extract-readability"),
        "the subfolders are named: {msg}"
    );
}

#[test]
fn an_empty_folder_says_only_that_it_holds_no_items() {
    let dir = std::env::temp_dir().join(format!("px-eval-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let e = run(Task::Extract, &dir).expect_err("nothing to score");
    let _ = std::fs::remove_dir_all(&dir);
    let msg = e.to_string();
    assert!(
        msg.ends_with("no items in a format this task reads were found"),
        "{msg}"
    );
}
