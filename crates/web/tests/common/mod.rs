//! Stores for the web tests: the bundled seed articles, hostile articles, and a long list of
//! generated one-article stories.
#![allow(dead_code)]

use parallax_core::model::{ArticleInput, InputKind, Metadata};
use parallax_store::{Collection, Quiet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The payload every hostile field carries: it would change the page title if it ran.
pub const PWNED: &str = "pwned";

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

/// Reads the bundled example articles (the seeds) the way `parallax ingest` does.
pub fn seed_inputs() -> Vec<ArticleInput> {
    let got = parallax_ingest::read_paths(
        &[examples()],
        &parallax_ingest::IngestOptions::default(),
        |_| {},
    );
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.inputs.len(), 2, "two seed articles");
    got.inputs
}

pub fn input(name: &str, meta: Metadata, body: &str) -> ArticleInput {
    ArticleInput {
        id: name.into(),
        source: format!("{name}.json"),
        kind: InputKind::Json,
        body: body.into(),
        hints: meta,
        boilerplate: vec![],
    }
}

/// An article whose title, author, outlet and URL try to run script in a page.
pub fn hostile() -> ArticleInput {
    input(
        "hostile",
        Metadata {
            title: Some(format!(
                "<script>document.title='{PWNED}'</script>Harbour <b>crane</b> collapses"
            )),
            author: Some(format!(
                "<img src=x onerror=\"document.title='{PWNED}'\"> Jo Lee"
            )),
            outlet: Some(format!("Evil<svg onload=\"document.title='{PWNED}'\">")),
            published: Some("2024-03-02".into()),
            url: Some(format!("javascript:document.title='{PWNED}'")),
            ..Metadata::default()
        },
        &format!(
            "A crane collapsed at the Quillport harbour on Friday, port officials said. \
             <script>document.title='{PWNED}'</script> Nobody was hurt, the harbour master \
             told reporters. \"We were <i onmouseover=x>lucky</i>,\" she said."
        ),
    )
}

/// A made-up capitalised name, different for every `i` below 65536 (letters only: digits
/// are not names).
fn name(i: usize) -> String {
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ba", "do", "fe", "gu", "hi", "jo",
        "pa",
    ];
    // A bijection on 0..65536 spreads consecutive numbers over all four syllables.
    let mut x = (i.wrapping_mul(40_503) + 12_345) % 65_536;
    let mut s = String::new();
    for _ in 0..4 {
        s.push_str(SYL[x % 16]);
        x /= 16;
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// `n` articles about `n` unrelated made-up events, each its own story: every content word is
/// a made-up word of that article alone. Dated a day apart, from three outlets in turn.
pub fn generated(n: usize) -> Vec<ArticleInput> {
    (0..n)
        .map(|i| {
            let [place, person, other, thing] = [i, i + 10_000, i + 20_000, i + 30_000].map(name);
            let [verb, noun] = [i + 40_000, i + 50_000].map(|k| name(k).to_lowercase());
            input(
                &format!("gen-{i}"),
                Metadata {
                    title: Some(format!("{person} of {place} {verb} the {noun}")),
                    outlet: Some(["Gazette One", "Courier Two", "Herald Three"][i % 3].into()),
                    published: Some(format!("2023-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28)),
                    ..Metadata::default()
                },
                &format!(
                    "{person} of {place} {verb} the {noun} of {thing}. \
                     {other} of {place} and {person} {verb} the {noun} in {thing}."
                ),
            )
        })
        .collect()
}

/// A store file in `dir` holding `inputs`, ingested and analysed.
pub fn store_with(dir: &Path, inputs: Vec<ArticleInput>) -> PathBuf {
    let path = dir.join("collection.db");
    add(&path, inputs);
    path
}

/// Ingests `inputs` into the store at `path` (as `parallax ingest` does).
pub fn add(path: &Path, inputs: Vec<ArticleInput>) {
    let mut c = Collection::open(path, &Quiet).expect("open the store");
    c.ingest(inputs, None, &Quiet, &AtomicBool::new(false))
        .expect("ingest");
}
