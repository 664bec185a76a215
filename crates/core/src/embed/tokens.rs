//! Contextual token vectors of a sentence and how two sentences' tokens cover each other.
//!
//! A sentence's mean vector blurs a long lead sentence that states several facts: the one it
//! shares with a short sentence of another outlet is a small part of its mean. Matching token
//! by token keeps it: each token of one sentence finds its closest token of the other in the
//! model's contextual space, and the best similarities are averaged, weighted by how rare each
//! token is in the story (BERTScore's greedy matching, Zhang et al. 2020). Only content tokens
//! are kept (function words are in `data/stories/token_stopwords.txt`), as int8 with one scale
//! per token, so a sentence's tokens take a few kilobytes in a store.

use std::collections::HashSet;
use std::sync::OnceLock;

pub(crate) static STOPWORDS: &str = include_str!("../../data/stories/token_stopwords.txt");

fn stopwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| crate::stories::lexicon::data_lines(STOPWORDS).collect())
}

/// One token of a sentence as the model read it: its word piece (`##` marks a piece that
/// continues a word) and its output vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub piece: String,
    pub vector: Vec<f32>,
}

/// A word piece worth matching: letters or digits only, and not a function word (a piece
/// continuing a word always counts).
pub fn is_content_piece(piece: &str) -> bool {
    let lower = piece.to_lowercase();
    let bare = lower.trim_start_matches('#');
    !bare.is_empty()
        && bare.chars().all(char::is_alphanumeric)
        && (lower.starts_with("##") || !stopwords().contains(bare))
}

/// The content tokens of one sentence: keys (hashes of the lower-case piece, for weighting by
/// rarity) and unit vectors stored as int8 with one scale per token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenVectors {
    keys: Vec<u64>,
    scales: Vec<f32>,
    data: Vec<i8>,
    dim: usize,
}

/// First bytes of the stored form, with its version.
const MAGIC: &[u8; 4] = b"PXT1";
/// Tokens a sentence keeps (the model reads at most 256 pieces of a sentence anyway).
const MAX_TOKENS: usize = 256;

impl TokenVectors {
    /// Keeps the content tokens of `tokens`: an empty set when there is none (kept in a cache
    /// like any other, so the sentence is not embedded again for them); `None` when their
    /// vectors differ in length, are empty or zero, or are not finite.
    pub fn from_tokens(tokens: &[Token]) -> Option<Self> {
        let content: Vec<&Token> = tokens
            .iter()
            .filter(|t| is_content_piece(&t.piece))
            .take(MAX_TOKENS)
            .collect();
        let Some(first) = content.first() else {
            return Some(TokenVectors {
                keys: Vec::new(),
                scales: Vec::new(),
                data: Vec::new(),
                dim: 0,
            });
        };
        let dim = first.vector.len();
        if dim == 0 {
            return None;
        }
        let mut out = TokenVectors {
            keys: Vec::with_capacity(content.len()),
            scales: Vec::with_capacity(content.len()),
            data: Vec::with_capacity(content.len() * dim),
            dim,
        };
        for t in content {
            let v = &t.vector;
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            let peak = v.iter().fold(0f32, |m, x| m.max(x.abs())) / norm;
            if v.len() != dim || !norm.is_finite() || norm <= f32::EPSILON || !peak.is_finite() {
                return None;
            }
            let scale = peak / 127.0;
            out.keys
                .push(crate::stories::lexicon::hash64(&t.piece.to_lowercase()));
            out.scales.push(scale);
            // |x / norm / scale| <= 127 by the choice of scale, so the cast cannot wrap.
            out.data.extend(
                v.iter()
                    .map(|x| (x / norm / scale).round().clamp(-127.0, 127.0) as i8),
            );
        }
        Some(out)
    }

    /// Number of content tokens.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The token keys, in sentence order.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    fn row(&self, i: usize) -> &[i8] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Cosine of token `i` of `self` and token `j` of `other`.
    fn cosine(&self, i: usize, other: &TokenVectors, j: usize) -> f32 {
        let d: i32 = self
            .row(i)
            .iter()
            .zip(other.row(j))
            .map(|(&a, &b)| i32::from(a) * i32::from(b))
            .sum();
        d as f32 * self.scales[i] * other.scales[j]
    }

    /// The stored form: magic, token count and dimension (u32 LE), then the keys (u64 LE), the
    /// scales (f32 LE) and the int8 values.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.keys.len();
        let mut b = Vec::with_capacity(12 + n * (12 + self.dim));
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&(n as u32).to_le_bytes());
        b.extend_from_slice(&(self.dim as u32).to_le_bytes());
        for k in &self.keys {
            b.extend_from_slice(&k.to_le_bytes());
        }
        for s in &self.scales {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b.extend(self.data.iter().map(|&x| x as u8));
        b
    }

    /// Reads [`TokenVectors::to_bytes`]; `None` for anything else (a damaged cache row is
    /// recomputed, never trusted).
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        let rest = b.strip_prefix(MAGIC)?;
        let u32_at = |k: usize| -> Option<usize> {
            let s = rest.get(k..k + 4)?;
            Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        };
        let (n, dim) = (u32_at(0)?, u32_at(4)?);
        if n == 0 && dim == 0 && rest.len() == 8 {
            return TokenVectors::from_tokens(&[]);
        }
        if n == 0 || n > MAX_TOKENS || dim == 0 || dim > 4096 {
            return None;
        }
        let body = &rest[8..];
        if body.len() != n * (12 + dim) {
            return None;
        }
        let (keys, body) = body.split_at(n * 8);
        let (scales, data) = body.split_at(n * 4);
        let keys: Vec<u64> = keys
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        let scales: Vec<f32> = scales
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if !scales.iter().all(|s| s.is_finite() && *s >= 0.0) {
            return None;
        }
        Some(TokenVectors {
            keys,
            scales,
            data: data.iter().map(|&x| x as i8).collect(),
            dim,
        })
    }
}

/// How much of `a` `b` covers and how much of `b` `a` covers: for each token of one, its best
/// cosine with the other's tokens, averaged with the weight `weight` gives its key. `None` when
/// either side has no token or the dimensions differ.
pub fn coverage(
    a: &TokenVectors,
    b: &TokenVectors,
    weight: &dyn Fn(u64) -> f64,
) -> Option<(f64, f64)> {
    if a.is_empty() || b.is_empty() || a.dim != b.dim {
        return None;
    }
    let mut best_b = vec![f32::MIN; b.len()];
    let (mut num_a, mut den_a) = (0.0, 0.0);
    for i in 0..a.len() {
        let mut best = f32::MIN;
        for (j, bj) in best_b.iter_mut().enumerate() {
            let c = a.cosine(i, b, j);
            best = best.max(c);
            *bj = bj.max(c);
        }
        let w = weight(a.keys[i]);
        num_a += w * f64::from(best);
        den_a += w;
    }
    let (mut num_b, mut den_b) = (0.0, 0.0);
    for (j, &c) in best_b.iter().enumerate() {
        let w = weight(b.keys[j]);
        num_b += w * f64::from(c);
        den_b += w;
    }
    let ratio = |n: f64, d: f64| {
        if d > 0.0 {
            (n / d).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    };
    Some((ratio(num_a, den_a), ratio(num_b, den_b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tok(piece: &str, v: &[f32]) -> Token {
        Token {
            piece: piece.to_string(),
            vector: v.to_vec(),
        }
    }

    #[test]
    fn function_words_and_punctuation_are_dropped() {
        assert!(is_content_piece("court"));
        assert!(is_content_piece("##ing"));
        assert!(is_content_piece("2025"));
        assert!(!is_content_piece("the"));
        assert!(!is_content_piece("The"));
        assert!(!is_content_piece(","));
        assert!(!is_content_piece("##"));
        let t = TokenVectors::from_tokens(&[
            tok("the", &[1.0, 0.0]),
            tok("court", &[0.0, 2.0]),
            tok(".", &[1.0, 1.0]),
        ])
        .expect("one content token");
        assert_eq!(t.len(), 1);
        assert!((t.cosine(0, &t, 0) - 1.0).abs() < 0.02);
    }

    #[test]
    fn coverage_of_a_subset_is_full_one_way() {
        let a = TokenVectors::from_tokens(&[tok("court", &[1.0, 0.0, 0.0])]).expect("a");
        let b = TokenVectors::from_tokens(&[
            tok("court", &[1.0, 0.0, 0.0]),
            tok("libya", &[0.0, 1.0, 0.0]),
        ])
        .expect("b");
        let (ab, ba) = coverage(&a, &b, &|_| 1.0).expect("both have tokens");
        assert!((ab - 1.0).abs() < 0.02, "a is all in b: {ab}");
        assert!((ba - 0.5).abs() < 0.02, "half of b is in a: {ba}");
        let c = TokenVectors::from_tokens(&[tok("court", &[1.0, 0.0])]).expect("c");
        assert!(coverage(&a, &c, &|_| 1.0).is_none(), "dimensions differ");
    }

    #[test]
    fn bad_vectors_give_none() {
        let none = TokenVectors::from_tokens(&[tok(",", &[1.0])]).expect("no content token");
        assert!(none.is_empty());
        assert_eq!(
            TokenVectors::from_bytes(&none.to_bytes()),
            Some(none.clone())
        );
        assert!(coverage(&none, &none, &|_| 1.0).is_none());
        assert!(TokenVectors::from_tokens(&[tok("court", &[0.0, 0.0])]).is_none());
        assert!(TokenVectors::from_tokens(&[tok("court", &[f32::NAN, 1.0])]).is_none());
        assert!(
            TokenVectors::from_tokens(&[tok("court", &[1.0, 0.0]), tok("law", &[1.0])]).is_none()
        );
    }

    proptest! {
        #[test]
        fn the_stored_form_reads_back(vs in proptest::collection::vec(
            proptest::collection::vec(-1.0f32..1.0, 8), 1..20)) {
            let tokens: Vec<Token> = vs.iter().enumerate()
                .map(|(k, v)| tok(&format!("w{k}"), v)).collect();
            if let Some(t) = TokenVectors::from_tokens(&tokens) {
                prop_assert_eq!(TokenVectors::from_bytes(&t.to_bytes()), Some(t.clone()));
                let (x, y) = coverage(&t, &t, &|_| 1.0).expect("same tokens");
                prop_assert!(x > 0.97 && y > 0.97, "{} {}", x, y);
            }
        }

        #[test]
        fn damaged_stored_forms_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200),
                                            cut in 0usize..200) {
            let _ = TokenVectors::from_bytes(&b);
            let good = TokenVectors::from_tokens(&[tok("court", &[0.5, -0.5, 0.25])])
                .expect("one token").to_bytes();
            let _ = TokenVectors::from_bytes(&good[..cut.min(good.len())]);
            let mut with_magic = MAGIC.to_vec();
            with_magic.extend(&b);
            let _ = TokenVectors::from_bytes(&with_magic);
        }
    }
}
