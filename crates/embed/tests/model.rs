//! Tests against the real model files. They need the model installed (`parallax models fetch`,
//! or `$PARALLAX_MODELS`); without it they say so and pass without checking (CI runs them
//! with the model: `.ci/run` fetches it).

use parallax_core::embed::Embedder;
use parallax_embed::wordpiece::WordPiece;

fn dir() -> Option<std::path::PathBuf> {
    let d = parallax_embed::models_dir(None).ok()?;
    if parallax_embed::store::present(&d) {
        Some(d)
    } else {
        eprintln!(
            "skipped: the embedding model is not installed in {} (run `parallax models fetch`)",
            d.display()
        );
        None
    }
}

const SENTENCES: [&str; 4] = [
    "The court refused to approve the arrest of the Libyan general on Tuesday.",
    "Judges declined to authorise the detention of the general from Libya.",
    "Heavy snow closed three mountain passes overnight — “naïve” café, 48-page indictment; $5,687.75!",
    "Rep. Bob Etheridge (D-N.C.) grabbed a student's arm in Washington.",
];

/// Token ids of SENTENCES from the reference implementation (HuggingFace `tokenizers` with the
/// same tokenizer.json).
const REFERENCE_IDS: [&[i64]; 4] = [
    &[
        101, 1996, 2457, 4188, 2000, 14300, 1996, 6545, 1997, 1996, 19232, 2236, 2006, 9857, 1012,
        102,
    ],
    &[
        101, 6794, 6430, 2000, 3166, 5562, 1996, 12345, 1997, 1996, 2236, 2013, 12917, 1012, 102,
    ],
    &[
        101, 3082, 4586, 2701, 2093, 3137, 5235, 11585, 1517, 1523, 15743, 1524, 7668, 1010, 4466,
        1011, 3931, 24265, 1025, 1002, 1019, 1010, 6273, 2581, 1012, 4293, 999, 102,
    ],
    &[
        101, 16360, 1012, 3960, 28855, 13623, 1006, 1040, 1011, 1050, 1012, 1039, 1012, 1007, 4046,
        1037, 3076, 1005, 1055, 2849, 1999, 2899, 1012, 102,
    ],
];

#[test]
fn tokenizer_matches_the_reference() {
    let Some(d) = dir() else { return };
    let text = std::fs::read_to_string(d.join("tokenizer.json")).expect("tokenizer.json readable");
    let t = WordPiece::from_tokenizer_json(&text).expect("valid tokenizer.json");
    for (s, want) in SENTENCES.iter().zip(REFERENCE_IDS) {
        assert_eq!(t.encode(s), want, "{s}");
    }
}

#[test]
fn vectors_match_the_reference_model() {
    let Some(d) = dir() else { return };
    let m = parallax_embed::load(&d).expect("the installed model loads");
    assert_eq!(m.dims(), 384);
    let v = m.embed(&SENTENCES).expect("embeds");
    let cos = |a: usize, b: usize| parallax_core::embed::dot(&v[a], &v[b]);
    // Cosines from ONNX Runtime in Python with the same files, one sentence per batch.
    for (a, b, want) in [(0, 1, 0.7210), (0, 2, 0.0577), (0, 3, 0.0851)] {
        assert!(
            (cos(a, b) - want).abs() < 0.01,
            "cos({a},{b}) = {}",
            cos(a, b)
        );
    }
    // Padding inside a batch must not change a vector.
    let alone = m.embed(&SENTENCES[..1]).expect("embeds");
    assert!((parallax_core::embed::dot(&alone[0], &v[0]) - 1.0).abs() < 1e-4);
}

#[test]
fn int8_products_stay_close_to_float_ones() {
    let Some(d) = dir() else { return };
    let files = parallax_embed::locate(&d).expect("verified files");
    let int8 = parallax_embed::OnnxEmbedder::load_with(&files, parallax_embed::Precision::Int8)
        .expect("int8 loads");
    let float = parallax_embed::OnnxEmbedder::load_with(&files, parallax_embed::Precision::Float)
        .expect("float loads");
    assert_ne!(int8.model_id(), float.model_id());
    let a = int8.embed(&SENTENCES).expect("embeds");
    let b = float.embed(&SENTENCES).expect("embeds");
    for (s, (x, y)) in SENTENCES.iter().zip(a.iter().zip(&b)) {
        let c = parallax_core::embed::dot(x, y);
        assert!(c > 0.98, "cosine {c} between int8 and float vectors of {s}");
    }
}

#[test]
fn repeated_texts_get_the_same_vector_in_place() {
    let Some(d) = dir() else { return };
    let m = parallax_embed::load(&d).expect("the installed model loads");
    let texts = [
        SENTENCES[1],
        SENTENCES[0],
        SENTENCES[1],
        SENTENCES[2],
        SENTENCES[1],
    ];
    let v = m.embed(&texts).expect("embeds");
    let once = m.embed(&SENTENCES[..3]).expect("embeds");
    assert_eq!(v.len(), texts.len());
    for (got, want) in [(0, 1), (1, 0), (2, 1), (3, 2), (4, 1)] {
        assert_eq!(v[got], once[want], "text {got}");
    }
}
