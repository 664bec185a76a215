//! The seam for sentence embeddings: a pure trait that a model crate implements
//! (`parallax-embed` runs an ONNX model) and the vectors alignment reads.
//!
//! Core never loads a model or touches a file: it asks an [`Embedder`] for vectors and keeps
//! them by sentence id in [`SentenceVectors`]. Alignment works without any (on words); with
//! them, the cosine of two sentences is one more feature of the pair model.

use crate::model::Document;
use std::collections::HashMap;
use thiserror::Error;

mod tokens;
/// The token match's function-word list, for the story analysis version
/// ([`crate::stories::story_analysis_version`]).
pub(crate) use tokens::STOPWORDS as TOKEN_STOPWORDS;
pub use tokens::{coverage, is_content_piece, Token, TokenVectors};

/// What [`Embedder::embed_tokens`] gives for one text: its vector and its tokens.
pub type WithTokens = (Vec<f32>, Vec<Token>);

/// Why an embedder could not produce vectors; alignment then falls back to words.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{0}")]
pub struct EmbedError(pub String);

/// Something that turns sentences into vectors of one fixed length.
pub trait Embedder: Send + Sync {
    /// A stable name of the model and its weights (`all-MiniLM-L6-v2-onnx-int8`), stored
    /// beside cached vectors so that vectors of two models are never compared.
    fn model_id(&self) -> &str;
    /// One vector per text, in input order. Vectors need not be normalised.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
    /// One vector per text and the model's output for each of its tokens (the token match of
    /// the pair model reads them). An embedder that cannot give tokens gives none; alignment
    /// then reads the token features as 0.
    fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<WithTokens>, EmbedError> {
        Ok(self
            .embed(texts)?
            .into_iter()
            .map(|v| (v, Vec::new()))
            .collect())
    }
}

/// Unit-length sentence vectors by sentence id (`<doc>:<n>`), all from one model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceVectors {
    model: String,
    by_sentence: HashMap<String, Vec<f32>>,
    /// Vectors of a sentence's clauses (see [`clauses`]), by sentence id.
    parts: HashMap<String, Vec<Vec<f32>>>,
    /// Content-token vectors of a sentence, by sentence id.
    tokens: HashMap<String, TokenVectors>,
}

impl SentenceVectors {
    pub fn new(model: impl Into<String>) -> Self {
        SentenceVectors {
            model: model.into(),
            by_sentence: HashMap::new(),
            parts: HashMap::new(),
            tokens: HashMap::new(),
        }
    }

    /// Stores the content-token vectors of a sentence.
    pub fn insert_tokens(&mut self, sentence: impl Into<String>, t: TokenVectors) {
        self.tokens.insert(sentence.into(), t);
    }

    /// The content-token vectors of a sentence, when the embedder gave them.
    pub fn tokens(&self, sentence: &str) -> Option<&TokenVectors> {
        self.tokens.get(sentence)
    }

    /// The model the vectors came from.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Stores a vector, scaled to unit length; a zero or non-finite vector is not stored
    /// (its sentence is then compared on words only).
    pub fn insert(&mut self, sentence: impl Into<String>, v: Vec<f32>) {
        if let Some(v) = unit(v) {
            self.by_sentence.insert(sentence.into(), v);
        }
    }

    /// Stores the vector of one clause of a sentence, scaled to unit length.
    pub fn insert_part(&mut self, sentence: &str, v: Vec<f32>) {
        if let Some(v) = unit(v) {
            self.parts.entry(sentence.to_string()).or_default().push(v);
        }
    }

    /// The best cosine between any part of `a` and any part of `b` (whole sentences and their
    /// clauses): a fact stated in one clause of a long lead sentence matches the sentence of
    /// another outlet that states only that fact.
    pub fn best_part_cosine(&self, a: &str, b: &str) -> Option<f32> {
        let whole = self.cosine(a, b)?;
        let pa = self
            .get(a)
            .into_iter()
            .chain(self.parts.get(a).into_iter().flatten().map(Vec::as_slice));
        let mut best = whole;
        for x in pa {
            let pb = self
                .get(b)
                .into_iter()
                .chain(self.parts.get(b).into_iter().flatten().map(Vec::as_slice));
            for y in pb {
                if x.len() == y.len() {
                    best = best.max(dot(x, y));
                }
            }
        }
        Some(best.clamp(-1.0, 1.0))
    }

    pub fn get(&self, sentence: &str) -> Option<&[f32]> {
        self.by_sentence.get(sentence).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.by_sentence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_sentence.is_empty()
    }

    /// Cosine of two stored sentences, in -1..1; `None` when either has no vector or the
    /// lengths differ.
    pub fn cosine(&self, a: &str, b: &str) -> Option<f32> {
        let (x, y) = (self.get(a)?, self.get(b)?);
        (x.len() == y.len()).then(|| dot(x, y).clamp(-1.0, 1.0))
    }

    /// Adds every vector of `other` (same model) to this set.
    pub fn extend(&mut self, other: SentenceVectors) {
        self.by_sentence.extend(other.by_sentence);
        self.parts.extend(other.parts);
        self.tokens.extend(other.tokens);
    }
}

fn unit(mut v: Vec<f32>) -> Option<Vec<f32>> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if !norm.is_finite() || norm <= f32::EPSILON {
        return None;
    }
    for x in &mut v {
        *x /= norm;
    }
    Some(v)
}

/// Words that open a new clause in news sentences ("..., leading to", "after a court ...").
const CLAUSE_OPENERS: [&str; 14] = [
    "after",
    "before",
    "leading",
    "which",
    "who",
    "while",
    "whereas",
    "because",
    "although",
    "despite",
    "following",
    "when",
    "where",
    "but",
];

/// The clauses of a long sentence: cut at commas, semicolons, colons and dashes, and before
/// a clause-opening word; pieces of fewer than four words join the one before. A sentence
/// that is one clause gives none (its whole vector stands for it).
pub fn clauses(text: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = vec![0];
    let mut prev_end = 0;
    for (i, w) in crate::text::words(text) {
        let gap = &text[prev_end..i];
        let lw = w.to_lowercase();
        if gap.contains([',', ';', ':', '—', '–', '(', ')'])
            || (i > 0 && CLAUSE_OPENERS.contains(&lw.as_str()))
        {
            cuts.push(i);
        }
        prev_end = i + w.len();
    }
    cuts.push(text.len());
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    for w in cuts.windows(2) {
        let piece = &text[start..w[1]];
        if crate::text::words(piece).count() >= 4 {
            out.push(piece.trim().trim_end_matches([',', ';', ':']).trim());
            start = w[1];
        }
    }
    if start < text.len() {
        // A short tail joins the last clause.
        if let Some(last) = out.pop() {
            let from = last.as_ptr() as usize - text.as_ptr() as usize;
            out.push(text[from..].trim());
        }
    }
    if out.len() < 2 {
        return Vec::new();
    }
    out
}

/// Dot product; the cosine of two unit vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Vectors kept between runs, by model and text (a store implements it), so that no text is
/// embedded twice. Core never reads or writes one itself beyond these calls.
pub trait VectorCache {
    /// The cached vectors of `texts` (same order; `None` where there is none) for `model`.
    fn get(&mut self, model: &str, texts: &[&str]) -> Vec<Option<Vec<f32>>>;
    /// Keeps the vectors of `texts` (same order) for `model`.
    fn put(&mut self, model: &str, texts: &[&str], vectors: &[Vec<f32>]);
    /// The cached content-token vectors of `texts` (same order; `None` where there are none).
    fn get_tokens(&mut self, _model: &str, texts: &[&str]) -> Vec<Option<TokenVectors>> {
        vec![None; texts.len()]
    }
    /// Keeps the content-token vectors of `texts` (same order).
    fn put_tokens(&mut self, _model: &str, _texts: &[&str], _tokens: &[TokenVectors]) {}
}

/// A [`VectorCache`] that keeps nothing.
pub struct NoCache;

impl VectorCache for NoCache {
    fn get(&mut self, _model: &str, texts: &[&str]) -> Vec<Option<Vec<f32>>> {
        vec![None; texts.len()]
    }
    fn put(&mut self, _model: &str, _texts: &[&str], _vectors: &[Vec<f32>]) {}
}

/// What the embedding closure gives for one text: its vector, and its content-token vectors
/// when they were asked for.
type Embedded = (Vec<f32>, Option<TokenVectors>);

/// [`embed_documents`] asking `cache` first and keeping what it computes there. A sentence
/// whose vector is cached but not its tokens (a store written before token vectors) is
/// embedded once more, and both are kept.
pub fn embed_documents_cached(
    embedder: &dyn Embedder,
    docs: &[&Document],
    min_words: usize,
    cache: &mut dyn VectorCache,
) -> Result<SentenceVectors, EmbedError> {
    let model = embedder.model_id().to_string();
    embed_documents_with(
        &model,
        docs,
        min_words,
        &mut |texts: &[&str], want: &[bool]| {
            let n = texts.len();
            let mut vecs = cache.get(&model, texts);
            vecs.resize(n, None);
            let wanted: Vec<usize> = (0..n).filter(|&i| want[i]).collect();
            let wanted_texts: Vec<&str> = wanted.iter().map(|&i| texts[i]).collect();
            let mut toks: Vec<Option<TokenVectors>> = vec![None; n];
            for (&i, t) in wanted.iter().zip(cache.get_tokens(&model, &wanted_texts)) {
                toks[i] = t;
            }
            let missing: Vec<usize> = (0..n)
                .filter(|&i| vecs[i].is_none() || (want[i] && toks[i].is_none()))
                .collect();
            if !missing.is_empty() {
                let todo: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
                let todo_want: Vec<bool> = missing.iter().map(|&i| want[i]).collect();
                let fresh = embed_wanting_tokens(embedder, &todo, &todo_want)?;
                let (mut put_v, mut put_t) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
                for (i, (v, tk)) in missing.into_iter().zip(fresh) {
                    if vecs[i].is_none() {
                        put_v.0.push(texts[i]);
                        put_v.1.push(v.clone());
                    }
                    vecs[i] = Some(v);
                    if want[i] {
                        toks[i] = tk;
                        if let Some(t) = &toks[i] {
                            put_t.0.push(texts[i]);
                            put_t.1.push(t.clone());
                        }
                    }
                }
                cache.put(&model, &put_v.0, &put_v.1);
                cache.put_tokens(&model, &put_t.0, &put_t.1);
            }
            Ok(vecs
                .into_iter()
                .map(Option::unwrap_or_default)
                .zip(toks)
                .collect())
        },
    )
}

fn wrong_count(got: usize, wanted: usize) -> EmbedError {
    EmbedError(format!(
        "the model returned {got} vectors for {wanted} sentences"
    ))
}

/// Embeds every sentence of `docs` that has at least `min_words` words (the ones alignment
/// considers), each distinct text once, with its clauses and its content tokens. Copies and
/// repeated sentences cost nothing extra.
pub fn embed_documents(
    embedder: &dyn Embedder,
    docs: &[&Document],
    min_words: usize,
) -> Result<SentenceVectors, EmbedError> {
    embed_documents_with(
        embedder.model_id(),
        docs,
        min_words,
        &mut |t: &[&str], want: &[bool]| embed_wanting_tokens(embedder, t, want),
    )
}

/// Embeds `texts`, with their content tokens where `want` says so: the texts that want them in
/// one call of [`Embedder::embed_tokens`], the others (clauses) in one of [`Embedder::embed`],
/// so no token output is copied out of the model only to be dropped.
fn embed_wanting_tokens(
    embedder: &dyn Embedder,
    texts: &[&str],
    want: &[bool],
) -> Result<Vec<Embedded>, EmbedError> {
    let (with, without): (Vec<usize>, Vec<usize>) = (0..texts.len()).partition(|&i| want[i]);
    let pick = |ix: &[usize]| ix.iter().map(|&i| texts[i]).collect::<Vec<&str>>();
    let mut out: Vec<Embedded> = vec![(Vec::new(), None); texts.len()];
    if !with.is_empty() {
        let got = embedder.embed_tokens(&pick(&with))?;
        if got.len() != with.len() {
            return Err(wrong_count(got.len(), with.len()));
        }
        for (&i, (v, tk)) in with.iter().zip(got) {
            out[i] = (v, TokenVectors::from_tokens(&tk));
        }
    }
    if !without.is_empty() {
        let got = embedder.embed(&pick(&without))?;
        if got.len() != without.len() {
            return Err(wrong_count(got.len(), without.len()));
        }
        for (&i, v) in without.iter().zip(got) {
            out[i] = (v, None);
        }
    }
    Ok(out)
}

/// The texts to embed of `docs` (each distinct text once), embedded in one call of `embed`,
/// which is told which texts are whole sentences (their tokens are kept) and which are only
/// clauses.
#[allow(clippy::type_complexity)]
fn embed_documents_with<'a>(
    model: &str,
    docs: &[&'a Document],
    min_words: usize,
    embed: &mut dyn FnMut(&[&str], &[bool]) -> Result<Vec<Embedded>, EmbedError>,
) -> Result<SentenceVectors, EmbedError> {
    let mut texts: Vec<&str> = Vec::new();
    let mut is_sentence: Vec<bool> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut wanted: Vec<(&str, usize)> = Vec::new();
    let mut wanted_parts: Vec<(&str, usize)> = Vec::new();
    for d in docs {
        for s in d.sentences() {
            if crate::text::words(&s.text).count() < min_words {
                continue;
            }
            let mut id_of = |t: &'a str, sentence: bool| {
                let k = *index.entry(t).or_insert_with(|| {
                    texts.push(t);
                    is_sentence.push(false);
                    texts.len() - 1
                });
                is_sentence[k] |= sentence;
                k
            };
            wanted.push((s.id.as_str(), id_of(s.text.as_str(), true)));
            for c in clauses(&s.text) {
                wanted_parts.push((s.id.as_str(), id_of(c, false)));
            }
        }
    }
    let mut out = SentenceVectors::new(model);
    if texts.is_empty() {
        return Ok(out);
    }
    let vectors = embed(&texts, &is_sentence)?;
    if vectors.len() != texts.len() {
        return Err(wrong_count(vectors.len(), texts.len()));
    }
    for (id, n) in wanted {
        if let Some((v, t)) = vectors.get(n) {
            out.insert(id, v.clone());
            if let Some(t) = t {
                out.insert_tokens(id, t.clone());
            }
        }
    }
    for (id, n) in wanted_parts {
        if let Some((v, _)) = vectors.get(n) {
            out.insert_part(id, v.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy embedder: letter counts, enough to test the bookkeeping.
    struct Letters;
    impl Embedder for Letters {
        fn model_id(&self) -> &str {
            "letters"
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            Ok(texts
                .iter()
                .map(|t| {
                    let mut v = vec![0.0; 26];
                    for b in t.bytes().filter(u8::is_ascii_lowercase) {
                        v[usize::from(b - b'a')] += 1.0;
                    }
                    v
                })
                .collect())
        }
    }

    use crate::clean::test_document as doc;

    #[test]
    fn vectors_are_unit_length_and_keyed_by_sentence() {
        let a = doc(
            "a",
            "The council approved the new budget on Monday night. Short one.",
        );
        let b = doc("b", "The council approved the new budget on Monday night.");
        let v = embed_documents(&Letters, &[&a, &b], 4).expect("toy embedder");
        assert_eq!(v.len(), 2, "short sentence skipped, both long ones kept");
        let c = v.cosine("a:0", "b:0").expect("both embedded");
        assert!((c - 1.0).abs() < 1e-5);
        assert!(v.get("a:1").is_none());
        assert_eq!(v.model(), "letters");
    }

    /// Letters, with one token per word (its letter counts), counting the texts it embeds.
    struct WordTokens(std::sync::atomic::AtomicUsize);
    impl Embedder for WordTokens {
        fn model_id(&self) -> &str {
            "word-tokens"
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            self.0
                .fetch_add(texts.len(), std::sync::atomic::Ordering::Relaxed);
            Letters.embed(texts)
        }
        fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<WithTokens>, EmbedError> {
            let v = self.embed(texts)?;
            Ok(v.into_iter()
                .zip(texts)
                .map(|(v, t)| {
                    let words: Vec<&str> = t.split_whitespace().collect();
                    let vecs = Letters.embed(&words).unwrap_or_default();
                    let tokens = words
                        .iter()
                        .zip(vecs)
                        .map(|(w, vector)| Token {
                            piece: w.to_lowercase(),
                            vector,
                        })
                        .collect();
                    (v, tokens)
                })
                .collect())
        }
    }

    /// A cache in memory, as a store keeps it.
    #[derive(Default)]
    struct Memory {
        vectors: HashMap<String, Vec<f32>>,
        tokens: HashMap<String, TokenVectors>,
    }
    impl VectorCache for Memory {
        fn get(&mut self, _: &str, texts: &[&str]) -> Vec<Option<Vec<f32>>> {
            texts
                .iter()
                .map(|t| self.vectors.get(*t).cloned())
                .collect()
        }
        fn put(&mut self, _: &str, texts: &[&str], vectors: &[Vec<f32>]) {
            for (t, v) in texts.iter().zip(vectors) {
                self.vectors.insert(t.to_string(), v.clone());
            }
        }
        fn get_tokens(&mut self, _: &str, texts: &[&str]) -> Vec<Option<TokenVectors>> {
            texts.iter().map(|t| self.tokens.get(*t).cloned()).collect()
        }
        fn put_tokens(&mut self, _: &str, texts: &[&str], tokens: &[TokenVectors]) {
            for (t, v) in texts.iter().zip(tokens) {
                self.tokens.insert(t.to_string(), v.clone());
            }
        }
    }

    #[test]
    fn sentence_tokens_are_kept_and_cached_and_clauses_get_none() {
        let a = doc(
            "a",
            "However, claiming an error in the paperwork, a tribunal refused to approve the arrest, leading to his release on Monday.",
        );
        let e = WordTokens(Default::default());
        let mut cache = Memory::default();
        let v = embed_documents_cached(&e, &[&a], 4, &mut cache).expect("toy embedder");
        let t = v.tokens("a:0").expect("the sentence has tokens");
        assert!(
            t.len() >= 5 && t.len() < 20,
            "content words only: {}",
            t.len()
        );
        assert_eq!(
            cache.tokens.len(),
            1,
            "tokens of the sentence only, not of its clauses"
        );
        let first = e.0.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(first, 4, "the sentence and its three clauses");
        let again = embed_documents_cached(&e, &[&a], 4, &mut cache).expect("toy embedder");
        assert_eq!(again, v);
        assert_eq!(
            e.0.load(std::sync::atomic::Ordering::Relaxed),
            first,
            "all cached"
        );
        // A cache holding the vector but not the tokens (written before there were tokens):
        // the sentence is embedded once more, and from then on both are cached.
        cache.tokens.clear();
        let third = embed_documents_cached(&e, &[&a], 4, &mut cache).expect("toy embedder");
        assert_eq!(third, v);
        assert_eq!(e.0.load(std::sync::atomic::Ordering::Relaxed), first + 1);
        assert_eq!(cache.tokens.len(), 1);
    }

    #[test]
    fn clauses_of_a_lead_sentence() {
        let c = clauses("However, claiming an error in the paperwork, a tribunal refused to approve the arrest, leading to his release on Monday.");
        assert_eq!(
            c,
            vec![
                "However, claiming an error in the paperwork",
                "a tribunal refused to approve the arrest",
                "leading to his release on Monday."
            ]
        );
        assert!(clauses("The council approved the budget on Monday.").is_empty());
    }

    #[test]
    fn zero_vectors_are_not_stored() {
        let mut v = SentenceVectors::new("m");
        v.insert("x", vec![0.0, 0.0]);
        v.insert("y", vec![f32::NAN, 1.0]);
        assert!(v.is_empty());
    }

    struct Broken;
    impl Embedder for Broken {
        fn model_id(&self) -> &str {
            "broken"
        }
        fn embed(&self, _: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            Ok(vec![])
        }
    }

    #[test]
    fn a_short_answer_is_an_error() {
        let a = doc("a", "The council approved the new budget on Monday night.");
        assert!(embed_documents(&Broken, &[&a], 4).is_err());
    }
}
