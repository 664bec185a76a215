//! Fuzz tests on stable Rust: every input reader and the whole per-article pipeline, fed large
//! generated inputs built from the hostile shapes (`parallax-stress`) with random bytes
//! spliced in, truncated, and mixed with tag soup and broken JSON. They check what must hold
//! for any input: no panic, every error names its item, offsets point into the text, no
//! sentence is analysed over the length cap, and a good article beside the input is always
//! analysed in full.
//!
//! `PARALLAX_FUZZ_CASES` sets the cases per target (default 12, what CI runs); raise it for a
//! longer run, e.g. `PARALLAX_FUZZ_CASES=2000 cargo test --release -p parallax --test fuzz`.
//! A failing case is shrunk and its seed saved under `proptest-regressions/`.

use parallax_core::segment::{MAX_SENTENCE_BYTES, MAX_SENTENCE_WORDS};
use parallax_core::{analyze, analyze_article, ArticleInput, Document, Options};
use parallax_ingest::formats;
use proptest::prelude::*;
use std::path::Path;

fn config() -> ProptestConfig {
    let cases = std::env::var("PARALLAX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    ProptestConfig {
        cases,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

/// Pieces that open or close something: quotes, tags, brackets, JSON, line endings, controls.
const PIECES: &[&str] = &[
    "\u{201c}",
    "\u{201d}",
    "\"",
    "'",
    "\u{2019}",
    "\u{ab}",
    "\u{bb}",
    "<p>",
    "</p>",
    "<div ",
    "<b class=x>",
    "</div>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<svg>",
    "<path/>",
    "<table>",
    "<td>",
    "&amp;",
    "&#",
    "=\"",
    ">",
    "<",
    "{\"text\": \"",
    "\"}",
    "[",
    "]",
    ",",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{1b}[2J",
    "\u{7}",
    "\u{85}",
    "\u{202e}",
    "\u{feff}",
    ". ",
    "? ",
    "! ",
    "\u{2026} ",
    "said ",
    "according to ",
    "on Sunday ",
    "12/03/2014 ",
    "3.5% ",
    "$4,000 ",
    "Smith ",
    "the president ",
    "Mr. ",
    "U.S. ",
    "https://x.example/a?b=c ",
    "a@b.example ",
    "\u{e9}",
    "\u{5d0}",
    "\u{1f600}",
];

/// A hostile input: a shape at a random size, maybe spliced with a second shape and random
/// pieces and bytes, maybe truncated.
fn hostile() -> impl Strategy<Value = Vec<u8>> {
    let n = parallax_stress::shapes().len();
    (
        0..n,
        200usize..24_000,
        proptest::option::of((0..n, 100usize..6_000)),
        proptest::collection::vec((any::<prop::sample::Index>(), 0..PIECES.len()), 0..24),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        proptest::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(shape, size, second, pieces, bytes, cut)| {
            let shapes = parallax_stress::shapes();
            let mut b: Vec<u8> = shapes[shape]
                .generate(size)
                .into_iter()
                .flat_map(|f| f.bytes)
                .collect();
            if let Some((k, m)) = second {
                let at = b.len() / 2;
                let other: Vec<u8> = shapes[k]
                    .generate(m)
                    .into_iter()
                    .flat_map(|f| f.bytes)
                    .collect();
                b.splice(at..at, other);
            }
            for (at, k) in pieces {
                let at = at.index(b.len() + 1);
                b.splice(at..at, PIECES[k].bytes());
            }
            for (at, x) in bytes {
                if !b.is_empty() {
                    let at = at.index(b.len());
                    b[at] = x;
                }
            }
            if let Some(c) = cut {
                b.truncate(c.index(b.len() + 1));
            }
            b
        })
}

/// Tag soup: random pieces and words, heavy on markup.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let words = parallax_stress::words();
    proptest::collection::vec(
        prop_oneof![
            (0..PIECES.len()).prop_map(|k| PIECES[k].to_string()),
            (0..words.len()).prop_map(move |k| format!("{} ", words[k])),
            "[a-z]{1,8}=\"[^\"]{0,12}\" ",
        ],
        0..3_000,
    )
    .prop_map(|v| v.concat().into_bytes())
}

fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => hostile(),
        2 => soup(),
        1 => proptest::collection::vec(any::<u8>(), 0..4_000),
    ]
}

/// What holds for every document, whatever its input.
fn check_document(d: &Document) -> Result<(), TestCaseError> {
    for s in d.sentences() {
        prop_assert!(s.start <= s.end && s.end <= d.text.len());
        prop_assert_eq!(d.text.get(s.start..s.end), Some(s.text.as_str()));
        prop_assert!(s.text.split_whitespace().count() <= MAX_SENTENCE_WORDS);
        prop_assert!(s.text.len() <= MAX_SENTENCE_BYTES);
        for l in &s.loaded {
            prop_assert_eq!(d.text.get(l.start..l.end), Some(l.text.as_str()));
        }
    }
    Ok(())
}

fn good() -> ArticleInput {
    let g = parallax_stress::good_article();
    formats::parse(Path::new(&g.name), &g.bytes)
        .0
        .pop()
        .expect("the good article reads")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn readers_name_every_bad_item(bytes in any_input(), ext in "(txt|md|html|json|jsonl|htm)") {
        let name = format!("fuzz.{ext}");
        let (good, bad) = formats::parse(Path::new(&name), &bytes);
        for e in &bad {
            prop_assert!(e.item.starts_with("fuzz."), "{}", e);
        }
        for a in &good {
            prop_assert!(a.id.starts_with("fuzz"));
        }
    }

    #[test]
    fn html_extraction_never_panics(bytes in any_input()) {
        let page = String::from_utf8_lossy(&bytes);
        let ex = parallax_ingest::html::extract(&page, Some("https://x.example/a"));
        prop_assert!(ex.text.len() <= page.len() * 4 + 64);
        let _ = parallax_ingest::html::html_to_text(&page);
    }

    #[test]
    fn the_article_pipeline_holds_its_invariants(bytes in any_input(), ext in "(txt|md|html|json)") {
        let (inputs, _) = formats::parse(Path::new(&format!("fuzz.{ext}")), &bytes);
        for input in inputs.into_iter().take(4) {
            let a = analyze_article(input, &Options::default());
            check_document(&a.document)?;
            for m in &a.mentions {
                prop_assert_eq!(a.document.text.get(m.start..m.end), Some(m.text.as_str()));
            }
            for t in &a.times {
                prop_assert_eq!(a.document.text.get(t.start..t.end), Some(t.text.as_str()));
            }
        }
    }

    #[test]
    fn a_good_article_beside_any_input_is_analysed(bytes in hostile()) {
        let (mut inputs, _) = formats::parse(Path::new("fuzz.txt"), &bytes);
        inputs.truncate(2);
        inputs.push(good());
        let good_source = inputs.last().map(|g| g.source.clone()).unwrap_or_default();
        let report = analyze(inputs, &Options::default());
        // The good article is there (once: hostile input may repeat its very text) and whole.
        let g = report.documents.iter().find(|d| d.source == good_source);
        prop_assert!(g.is_some_and(|d| d.limits.is_empty() && d.framing.is_some()));
        for d in &report.documents {
            check_document(d)?;
        }
        let id = g.map(|d| d.id.clone()).unwrap_or_default();
        prop_assert!(report.stories.iter().any(|s| s.documents.contains(&id)));
    }
}
