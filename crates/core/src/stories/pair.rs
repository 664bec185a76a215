//! The pair model: how likely two sentences of different outlets state the same fact.
//!
//! A logistic model over a few features a reader could check by eye: the sentence-embedding
//! cosine (when there are embeddings), shared content words, shared actors and event words,
//! whether numbers and negation agree, how much of their phrasing they share (stem n-grams,
//! character trigrams, the longest common word subsequence: the MT-metric features that work for
//! news paraphrase) and, inside a story, whether the two sentences are each other's closest
//! match in the other article. Its weights and decision thresholds are data
//! (`data/stories/pair_model.tsv`), fitted on development data by
//! `data/stories/tools/fit_pair_model.py`: one model for alignment inside stories and one for
//! free-standing sentence pairs (paraphrase), each with a variant for runs with embeddings and
//! one for words only.

use super::align::ClaimFeatures;
use std::sync::OnceLock;

pub(crate) static MODEL: &str = include_str!("../../data/stories/pair_model.tsv");

/// Feature names, in the order of [`pair_features`] and of the weights in the data file.
pub const FEATURES: [&str; 44] = [
    "bias",
    "cosine",
    "stem_cosine",
    "containment",
    "coverage",
    "actors",
    "events",
    "number_agree",
    "number_clash",
    "negation_mismatch",
    "mutual_best",
    "margin",
    "part_cosine",
    "neighbour",
    "recip_rank",
    "date_clash",
    "actor_clash",
    "bridge",
    "idf_containment",
    "bigrams",
    "length_ratio",
    "word_jaccard",
    "recip_rank_min",
    "closeness_z",
    "leads",
    "part_recip_rank",
    "ngram1_min",
    "ngram1_max",
    "ngram2_min",
    "ngram2_max",
    "ngram3_min",
    "ngram3_max",
    "ngram4_min",
    "ngram4_max",
    "char_min",
    "char_max",
    "lcs",
    "length_diff",
    "numerals_differ",
    "numerals_subset",
    "unshared",
    "token_max",
    "token_f",
    "token_short",
];
/// Index of the story-context features (0 for free-standing pairs).
pub const MUTUAL_BEST: usize = 10;
pub const MARGIN: usize = 11;
/// Best cosine between clauses of the two sentences (0 without embeddings or clauses).
pub const PART_COSINE: usize = 12;
/// How close one sentence is to a sentence next to the other (same article, one sentence
/// before or after): outlets often state one fact across two sentences ("..., he said in a
/// statement." then the quote), and both halves line up with the other outlet's one sentence.
pub const NEIGHBOUR: usize = 13;
/// Mean reciprocal rank of each sentence among the other's candidates in its article (1 for
/// each other's closest, 1/2 for the second closest): a lead sentence states several facts, so
/// its second-best match is often a real one too.
pub const RECIP_RANK: usize = 14;
/// Features left out of "the same fact apart from the value" (the conflict condition).
pub const VALUE_FEATURES: [usize; 4] = [8, 9, DATE_CLASH, NUMERALS_DIFFER];
/// Both sentences name calendar dates and none of them agree at the coarser precision.
pub const DATE_CLASH: usize = 15;
/// Both sentences name specific actors (not the story's main ones) and share none of them:
/// two sentences about different people are rarely the same fact.
pub const ACTOR_CLASH: usize = 16;
/// How well a third article links the two sentences: the best, over the closest candidates of
/// one sentence in a third article, of the lower of its closeness to each side. A fact three
/// outlets state is a triangle; a pair that is weak on its own but strongly joined through a
/// third outlet's sentence is more likely the same fact (0 in two-article stories).
pub const BRIDGE: usize = 17;
/// The share of one sentence's TF-IDF mass (squared weights) on stems the other also has, the
/// larger of the two sides: a short sentence whose rare words all reappear in a long lead
/// sentence is contained in it, however much else the lead says.
pub const IDF_CONTAINMENT: usize = 18;
/// Word bigrams (all words, lower case) the two share, over the fewer bigrams of the two:
/// reproduced quotations and set phrases.
pub const BIGRAMS: usize = 19;
/// Words of the shorter sentence over words of the longer one.
pub const LENGTH_RATIO: usize = 20;
/// Jaccard overlap of the two sentences' word types, function words included.
pub const WORD_JACCARD: usize = 21;
/// The lower of the two reciprocal ranks (each sentence among the other's candidates in its
/// article): [`RECIP_RANK`] is their mean, this says whether both sides agree on the match.
pub const RECIP_RANK_MIN: usize = 22;
/// How far the pair's closeness stands above each sentence's other candidates in the other
/// article, in standard deviations of their closeness (mean of the two sides, clamped to
/// -3..3, then divided by 3): the same cosine means more in an article where everything else is
/// far away.
pub const CLOSENESS_Z: usize = 23;
/// Both sentences open their article (among its first three sentences and in its first
/// quarter): outlets open with the same news, so their leads state the same facts more often
/// than two sentences further down.
pub const LEADS: usize = 24;
/// Mean reciprocal rank as [`RECIP_RANK`], ranked by the best clause cosine
/// ([`PART_COSINE`]) instead of the whole sentences' closeness: the one fact a short sentence
/// shares with one clause of a long lead (0 without clause vectors).
pub const PART_RECIP_RANK: usize = 25;
/// Stem n-gram overlap for n = 1..4, as in the MT-metric features for paraphrase (BLEU's
/// clipped n-gram matches read in both directions, Madnani et al. 2012): for each n, the shared
/// n-grams (counted with repeats, clipped) over the more n-grams of the two sentences (`min`,
/// the lower of the two precisions) and over the fewer (`max`). Stems of all words, function
/// words included: word order and phrasing are what separates a paraphrase from two sentences
/// on one topic.
pub const NGRAM1_MIN: usize = 26;
/// Character trigrams (of the lower-case words joined by spaces) the two share, over the more
/// trigrams of the two (`char_min`) and over the fewer (`char_max`): spelling and morphology
/// variants ("Al-Kut" / "Kut", "attacker" / "attack") that whole words miss.
pub const CHAR_MIN: usize = 34;
/// Longest common subsequence of the two word sequences over the longer sentence: how much of
/// it the other reproduces in order.
pub const LCS: usize = 36;
/// Difference in words, capped at 30, over 30: one sentence adding a clause.
pub const LENGTH_DIFF: usize = 37;
/// Numerals as written (digits, thousands separators dropped) that only one of the two has:
/// ln(1 + count) / 3. An extra figure is extra information; a different one a different fact
/// or a disagreement, hence a value feature ([`VALUE_FEATURES`]).
pub const NUMERALS_DIFFER: usize = 38;
/// Both write numerals and one's are all among the other's.
pub const NUMERALS_SUBSET: usize = 39;
/// Content stems only one of the two has (capped at 20, over 20): what one says and the other
/// does not.
pub const UNSHARED: usize = 40;
/// Token match (BERTScore-style, see [`crate::embed::coverage`]): each content token of one
/// sentence finds its closest token of the other in the model's contextual space, averaged
/// with rarity weights; `token_max` is the better covered side, `token_f` the harmonic mean of
/// the two sides and `token_short` the side with fewer tokens (a short sentence inside a long
/// lead). All three are 0 without token vectors (words only).
pub const TOKEN_MAX: usize = 41;
pub const TOKEN_F: usize = 42;
pub const TOKEN_SHORT: usize = 43;
/// The token-match features, in order.
pub const TOKEN_FEATURES: [usize; 3] = [TOKEN_MAX, TOKEN_F, TOKEN_SHORT];
/// Features that need a story (0 for free-standing pairs).
pub const CONTEXT_FEATURES: [usize; 10] = [
    MUTUAL_BEST,
    MARGIN,
    PART_COSINE,
    NEIGHBOUR,
    RECIP_RANK,
    BRIDGE,
    RECIP_RANK_MIN,
    CLOSENESS_Z,
    LEADS,
    PART_RECIP_RANK,
];
pub const N_FEATURES: usize = FEATURES.len();

/// Weights and thresholds of one variant (with or without embeddings).
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub weights: [f64; N_FEATURES],
    /// Probability from which two MRPC-style sentences are called paraphrases.
    pub paraphrase: f64,
    /// Probability from which two sentences are aligned as the same fact (`medium`).
    pub agree: f64,
    /// Probability from which the alignment is `high` confidence.
    pub agree_high: f64,
    /// Probability (with the disagreeing values left out) from which two sentences are close
    /// enough for their different values to be a conflict.
    pub conflict: f64,
    /// Probability from which two sentences are shown as `related`.
    pub related: f64,
}

/// All zero (arrays this long have no derived `Default`).
impl Default for Variant {
    fn default() -> Self {
        Variant {
            weights: [0.0; N_FEATURES],
            paraphrase: 0.0,
            agree: 0.0,
            agree_high: 0.0,
            conflict: 0.0,
            related: 0.0,
        }
    }
}

/// One task's two variants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskModel {
    pub words: Variant,
    pub embeddings: Variant,
}

impl TaskModel {
    pub fn variant(&self, embeddings: bool) -> &Variant {
        if embeddings {
            &self.embeddings
        } else {
            &self.words
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairModel {
    /// Sentences of different articles of one story (with the context features).
    pub align: TaskModel,
    /// Free-standing sentence pairs (context features unused).
    pub paraphrase: TaskModel,
}

/// The shipped model.
pub fn model() -> &'static PairModel {
    static M: OnceLock<PairModel> = OnceLock::new();
    M.get_or_init(|| parse(MODEL))
}

/// Reads the data file: `weights <task> <variant> <w...>` and
/// `threshold <task> <variant> <name> <value>` lines; `#` starts a comment. Unknown lines are
/// ignored (a test checks the shipped file sets every value).
pub fn parse(text: &str) -> PairModel {
    let mut m = PairModel::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let t = match f.get(1) {
            Some(&"align") => &mut m.align,
            Some(&"paraphrase") => &mut m.paraphrase,
            _ => continue,
        };
        let v = match f.get(2) {
            Some(&"words") => &mut t.words,
            Some(&"embeddings") => &mut t.embeddings,
            _ => continue,
        };
        match f.first() {
            Some(&"weights") if f.len() == 3 + N_FEATURES => {
                for (w, x) in v.weights.iter_mut().zip(&f[3..]) {
                    *w = x.parse().unwrap_or(0.0);
                }
            }
            Some(&"threshold") if f.len() == 5 => {
                let x: f64 = f[4].parse().unwrap_or(1.0);
                match f[3] {
                    "paraphrase" => v.paraphrase = x,
                    "agree" => v.agree = x,
                    "agree_high" => v.agree_high = x,
                    "conflict" => v.conflict = x,
                    "related" => v.related = x,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    m
}

/// The features of a pair, in [`FEATURES`] order. `cosine` is 0 without embeddings (the words
/// variant gives it no weight).
pub fn pair_features(
    a: &ClaimFeatures,
    b: &ClaimFeatures,
    cosine: Option<f32>,
) -> [f64; N_FEATURES] {
    // One merge of the two sorted stem maps gives the shared stems, the stem cosine and each
    // side's squared TF-IDF mass on them (the same sums, in the same order, as looking each
    // stem up in the other map).
    let (mut shared, mut stem_cos, mut mass_a, mut mass_b) = (0usize, 0.0, 0.0, 0.0);
    let mut rest_b = b.stems.iter().peekable();
    for (k, wa) in &a.stems {
        while rest_b.next_if(|(kb, _)| kb.as_str() < k.as_str()).is_some() {}
        if let Some((_, wb)) = rest_b.next_if(|(kb, _)| *kb == k) {
            shared += 1;
            stem_cos += wa * wb;
            mass_a += wa * wa;
            mass_b += wb * wb;
        }
    }
    let shared_stems = shared;
    let shared = shared as f64;
    let smaller = a.stems.len().min(b.stems.len()).max(1) as f64;
    let larger = a.stems.len().max(b.stems.len()).max(1) as f64;
    let actors = if a.actors.is_empty() || b.actors.is_empty() {
        0.0
    } else {
        let s: f64 = a
            .actor_weights
            .iter()
            .filter(|(k, _)| b.actor_weights.contains_key(*k))
            .map(|(_, w)| w)
            .sum();
        (s / ((a.actors.len() * b.actors.len()) as f64).sqrt()).min(1.0)
    };
    let events = a.events.intersection(&b.events).count() as f64
        / a.events.len().min(b.events.len()).max(1) as f64;
    let (mut agree, mut clash) = (0.0, 0.0);
    for x in &a.numbers {
        for y in b.numbers.iter().filter(|y| y.unit == x.unit) {
            if (x.value - y.value).abs() < 1e-9 {
                agree = 1.0;
            } else if !x.approx && !y.approx {
                clash = 1.0;
            }
        }
    }
    if !a.partial_dates.is_disjoint(&b.partial_dates) {
        agree = 1.0;
    }
    let negation = if a.negative != b.negative { 1.0 } else { 0.0 };
    let date_clash = if !a.dates.is_empty()
        && !b.dates.is_empty()
        && !a.dates.iter().any(|x| {
            b.dates
                .iter()
                .any(|y| x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
        }) {
        1.0
    } else {
        0.0
    };
    fn specific(c: &ClaimFeatures) -> Vec<&String> {
        c.actor_weights
            .iter()
            .filter(|(_, w)| **w >= super::align::SPECIFIC_ACTOR)
            .map(|(k, _)| k)
            .collect()
    }
    let (sa, sb) = (specific(a), specific(b));
    let actor_clash = if !sa.is_empty() && !sb.is_empty() && sa.iter().all(|k| !sb.contains(k)) {
        1.0
    } else {
        0.0
    };
    // Squared TF-IDF mass of each side on the shared stems (both vectors are unit length).
    let idf_containment = mass_a.max(mass_b).min(1.0);
    let (sa, sb) = (&a.surface, &b.surface);
    let shared_bigrams = shared_sorted(&sa.bigrams, &sb.bigrams) as f64
        / sa.bigrams.len().min(sb.bigrams.len()).max(1) as f64;
    let (la, lb) = (a.words.len() as f64, b.words.len() as f64);
    let length_ratio = if la.max(lb) > 0.0 {
        la.min(lb) / la.max(lb)
    } else {
        0.0
    };
    let common_types = shared_sorted(&sa.types, &sb.types);
    let union = sa.types.len() + sb.types.len() - common_types;
    let jaccard = if union == 0 {
        0.0
    } else {
        common_types as f64 / union as f64
    };
    let mut x = [0.0; N_FEATURES];
    x[..NGRAM1_MIN].copy_from_slice(&[
        1.0,
        f64::from(cosine.unwrap_or(0.0)),
        stem_cos,
        shared / smaller,
        shared / larger,
        actors,
        events,
        agree,
        clash,
        negation,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        date_clash,
        actor_clash,
        0.0,
        idf_containment,
        shared_bigrams,
        length_ratio,
        jaccard,
        0.0,
        0.0,
        0.0,
        0.0,
    ]);
    x[NGRAM1_MIN..TOKEN_MAX].copy_from_slice(&surface_features(a, b, shared_stems));
    x
}

/// What the surface features of the pair model need of one sentence, computed once per
/// sentence (alignment scores every cross-outlet pair of a story, so the per-pair work is
/// merges of sorted lists and one word-sequence LCS).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// Hashes of the stem n-grams for n = 1..4 (index n - 1), sorted, repeats kept.
    pub ngrams: [Vec<u64>; 4],
    /// Character trigrams of the lower-case words joined by single spaces, each packed
    /// exactly into a u64 (three 21-bit code points), sorted and deduplicated.
    pub trigrams: Vec<u64>,
    /// Hashes of the lower-case words, in order (for the LCS).
    pub words: Vec<u64>,
    /// Hashes of the word bigrams (lower case, function words included), sorted and
    /// deduplicated: reproduced phrases.
    pub bigrams: Vec<u64>,
    /// Hashes of the distinct lower-case words, sorted: word-type overlap.
    pub types: Vec<u64>,
    /// For each distinct word of the first [`LCS_WORDS`], the positions where it occurs as bits
    /// of one u128, sorted by word hash: the match masks of the bit-parallel LCS.
    pub lcs_masks: Vec<(u64, u128)>,
    /// Numerals as written, thousands separators dropped ("1,200" -> "1200", "3.5"), sorted
    /// and deduplicated.
    pub numerals: Vec<String>,
}

impl Surface {
    /// `lower` is the sentence's words normalised to lower case.
    pub fn of(text: &str, lower: &[String]) -> Self {
        let stems: Vec<u64> = lower
            .iter()
            .map(|w| super::lexicon::hash64(&super::lexicon::stem(w)))
            .collect();
        let ngrams = std::array::from_fn(|k| {
            let mut v: Vec<u64> = stems
                .windows(k + 1)
                .map(|w| {
                    w.iter().fold(k as u64, |h, x| {
                        super::lexicon::mix64(h.rotate_left(17) ^ x)
                    })
                })
                .collect();
            v.sort_unstable();
            v
        });
        let chars: Vec<char> = lower.join(" ").chars().collect();
        let mut trigrams: Vec<u64> = chars
            .windows(3)
            .map(|w| {
                (u64::from(u32::from(w[0])) << 42)
                    | (u64::from(u32::from(w[1])) << 21)
                    | u64::from(u32::from(w[2]))
            })
            .collect();
        trigrams.sort_unstable();
        trigrams.dedup();
        let words: Vec<u64> = lower.iter().map(|w| super::lexicon::hash64(w)).collect();
        let mut lcs_masks: Vec<(u64, u128)> = words
            .iter()
            .take(LCS_WORDS)
            .enumerate()
            .map(|(k, &w)| (w, 1u128 << k))
            .collect();
        lcs_masks.sort_unstable_by_key(|e| e.0);
        lcs_masks.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 |= later.1;
            }
            same
        });
        let mut bigrams: Vec<u64> = words
            .windows(2)
            .map(|w| super::lexicon::mix64(w[0].rotate_left(29) ^ w[1]))
            .collect();
        bigrams.sort_unstable();
        bigrams.dedup();
        let mut types = words.clone();
        types.sort_unstable();
        types.dedup();
        Surface {
            ngrams,
            trigrams,
            words,
            bigrams,
            types,
            lcs_masks,
            numerals: numerals(text),
        }
    }
}

/// Numerals as written: runs of digits, joined across a `.` or `,` between digits; the commas
/// (thousands separators) are dropped.
fn numerals(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_numeric() {
            i += 1;
            continue;
        }
        let mut n = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c.is_numeric() {
                n.push(c);
            } else if (c == '.' || c == ',') && chars.get(i + 1).is_some_and(|d| d.is_numeric()) {
                if c == '.' {
                    n.push(c);
                }
            } else {
                break;
            }
            i += 1;
        }
        out.push(n);
    }
    out.sort();
    out.dedup();
    out
}

/// Items two sorted lists share, repeats matched one to one (clipped counts).
fn shared_sorted<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Words of each sentence the LCS feature reads (news sentences are far shorter): one u128 of
/// match bits.
const LCS_WORDS: usize = 128;

/// Length of the longest common subsequence of a sentence's first `len` words (given by their
/// match masks, [`Surface::lcs_masks`]) and the words `b`: the bit-parallel algorithm of
/// Allison and Dix (1986) in Hyyrö's form (2004), one add and a few bit operations per word of
/// `b` instead of a row of the quadratic table. `len` is at most [`LCS_WORDS`].
fn lcs_bits(masks: &[(u64, u128)], len: usize, b: &[u64]) -> usize {
    let mut v: u128 = !0;
    for y in b {
        if let Ok(i) = masks.binary_search_by_key(y, |e| e.0) {
            let m = masks[i].1;
            v = v.wrapping_add(v & m) | (v & !m);
        }
    }
    let low = if len >= 128 {
        !0u128
    } else {
        (1u128 << len) - 1
    };
    (!v & low).count_ones() as usize
}

/// Length of the longest common subsequence of two sequences (one row of the table at a time):
/// the reference [`lcs_bits`] is tested against.
#[cfg(test)]
fn lcs(a: &[u64], b: &[u64]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

/// The surface features ([`NGRAM1_MIN`] .. [`UNSHARED`]) of a pair, in [`FEATURES`] order.
/// `shared_stems`: the content stems the two have in common (counted once by the caller).
fn surface_features(a: &ClaimFeatures, b: &ClaimFeatures, shared_stems: usize) -> [f64; 15] {
    let (sa, sb) = (&a.surface, &b.surface);
    let over = |shared: usize, x: usize, y: usize| -> (f64, f64) {
        let s = shared as f64;
        (s / x.max(y).max(1) as f64, s / x.min(y).max(1) as f64)
    };
    let mut out = [0.0; 15];
    for k in 0..4 {
        let (x, y) = (&sa.ngrams[k], &sb.ngrams[k]);
        let (lo, hi) = over(shared_sorted(x, y), x.len(), y.len());
        out[2 * k] = lo;
        out[2 * k + 1] = hi;
    }
    let (x, y) = (&sa.trigrams, &sb.trigrams);
    (out[8], out[9]) = over(shared_sorted(x, y), x.len(), y.len());
    let (la, lb) = (sa.words.len(), sb.words.len());
    // Both read at most LCS_WORDS words: the table is quadratic, and a run-on "sentence" of a
    // thousand words (the segmenter's cap) against another would cost a million steps a pair.
    let (wa, wb) = (
        &sa.words[..la.min(LCS_WORDS)],
        &sb.words[..lb.min(LCS_WORDS)],
    );
    out[10] = lcs_bits(&sa.lcs_masks, wa.len(), wb) as f64 / wa.len().max(wb.len()).max(1) as f64;
    out[11] = la.abs_diff(lb).min(30) as f64 / 30.0;
    let (na, nb) = (&sa.numerals, &sb.numerals);
    let common = shared_sorted(na, nb);
    out[12] = ((na.len() + nb.len() - 2 * common) as f64).ln_1p() / 3.0;
    out[13] = if !na.is_empty() && !nb.is_empty() && common == na.len().min(nb.len()) {
        1.0
    } else {
        0.0
    };
    let only = (a.stems.len() + b.stems.len()).saturating_sub(2 * shared_stems);
    out[14] = only.min(20) as f64 / 20.0;
    out
}

/// The token-match features of a pair: `(a covered by b, b covered by a)` from
/// [`crate::embed::coverage`], and which side has fewer tokens.
pub fn token_features(cover: (f64, f64), a_is_shorter: bool) -> [f64; 3] {
    let (ra, rb) = cover;
    let f = if ra + rb > 0.0 {
        2.0 * ra * rb / (ra + rb)
    } else {
        0.0
    };
    [ra.max(rb), f, if a_is_shorter { ra } else { rb }]
}

/// Probability that the pair states the same fact, under one variant.
pub fn probability(v: &Variant, x: &[f64; N_FEATURES]) -> f64 {
    let z: f64 = v.weights.iter().zip(x).map(|(w, x)| w * x).sum();
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_sets_every_value() {
        let m = model();
        for v in [&m.align.words, &m.align.embeddings] {
            assert!(v.weights.iter().any(|w| *w != 0.0));
            for t in [v.agree, v.agree_high, v.related, v.conflict] {
                assert!(t > 0.0 && t < 1.0, "{v:?}");
            }
            assert!(v.related <= v.agree && v.agree <= v.agree_high, "{v:?}");
            assert!(v.agree <= v.conflict && v.conflict <= v.agree_high, "{v:?}");
        }
        for v in [&m.paraphrase.words, &m.paraphrase.embeddings] {
            assert!(v.paraphrase > 0.0 && v.paraphrase < 1.0, "{v:?}");
            for k in CONTEXT_FEATURES {
                assert_eq!(v.weights[k], 0.0, "no story context in free pairs");
            }
        }
        // The embedding closeness must count for a pair in a story. Its direct readings (the
        // whole-sentence cosine and the best clause cosine) overlap with the surface features
        // (n-grams, character trigrams) and with the token match, which take most of their
        // weight in the alignment fit (the whole-sentence cosine's own weight is negative: a
        // correction of the token match it is collinear with); the closeness also counts
        // through the features the story computes from it: how far it stands above each
        // side's other candidates and the rank by clause cosine.
        let e = &m.align.embeddings.weights;
        let tokens: f64 = TOKEN_FEATURES.iter().map(|&k| e[k]).sum();
        assert!(
            e[1] + e[PART_COSINE] + e[CLOSENESS_Z] + e[PART_RECIP_RANK] + tokens > 0.0,
            "the embeddings count"
        );
        assert!(
            e[CLOSENESS_Z] > 0.0 && e[PART_RECIP_RANK] > 0.0 && tokens > 0.0,
            "closeness and the token match count in a story"
        );
        assert!(
            m.paraphrase.embeddings.weights[1] > 0.0,
            "cosine counts with embeddings"
        );
        for t in [&m.align, &m.paraphrase] {
            for k in [
                1,
                PART_COSINE,
                PART_RECIP_RANK,
                TOKEN_MAX,
                TOKEN_F,
                TOKEN_SHORT,
            ] {
                assert_eq!(t.words.weights[k], 0.0, "no cosine without embeddings");
            }
        }
    }

    fn texts(t: &[&str]) -> Vec<ClaimFeatures> {
        super::super::align::features_of_texts(t)
    }

    proptest::proptest! {
        #[test]
        fn the_bit_parallel_lcs_is_the_table_lcs(
            a in proptest::collection::vec(0u64..6, 0..140),
            b in proptest::collection::vec(0u64..6, 0..140),
        ) {
            let a = &a[..a.len().min(LCS_WORDS)];
            let text: Vec<String> = a.iter().map(|w| format!("w{w}")).collect();
            let s = Surface::of(&text.join(" "), &text);
            let hb: Vec<u64> = b
                .iter()
                .map(|w| super::super::lexicon::hash64(&format!("w{w}")))
                .collect();
            proptest::prop_assert_eq!(
                lcs_bits(&s.lcs_masks, a.len(), &hb),
                lcs(&s.words, &hb)
            );
        }
    }

    #[test]
    fn the_lcs_reads_the_first_words_of_a_run_on_sentence() {
        let shared: Vec<String> = (0..LCS_WORDS).map(|k| format!("word{k}")).collect();
        let tail = |p: &str| (0..300).map(|k| format!("{p}{k}")).collect::<Vec<_>>();
        let a = [shared.clone(), tail("left")].concat().join(" ");
        let b = [shared, tail("right")].concat().join(" ");
        let c = texts(&[&a, &b]);
        let x = pair_features(&c[0], &c[1], None);
        assert!((x[LCS] - 1.0).abs() < 1e-9, "{}", x[LCS]);
    }

    #[test]
    fn phrase_length_and_word_overlap_features() {
        let c = texts(&[
            "The council said it would try showing a little class next year.",
            "Critics told the council to try showing a little class.",
            "A bakery opened on the square.",
        ]);
        let x = pair_features(&c[0], &c[1], None);
        let far = pair_features(&c[0], &c[2], None);
        assert!(x[BIGRAMS] > far[BIGRAMS] && x[BIGRAMS] > 0.4, "{x:?}");
        assert!(x[WORD_JACCARD] > far[WORD_JACCARD]);
        assert!(x[IDF_CONTAINMENT] > far[IDF_CONTAINMENT]);
        assert!((0.0..=1.0).contains(&x[IDF_CONTAINMENT]));
        let (la, lb) = (c[0].words.len() as f64, c[1].words.len() as f64);
        assert!((x[LENGTH_RATIO] - la.min(lb) / la.max(lb)).abs() < 1e-9);
        for k in CONTEXT_FEATURES {
            assert_eq!(x[k], 0.0, "no story context in a free pair");
        }
        // Empty sentences give zeros, not NaN.
        let e = texts(&["", ""]);
        assert!(pair_features(&e[0], &e[1], None)
            .iter()
            .all(|v| v.is_finite()));
    }

    #[test]
    fn surface_features_read_phrasing_spelling_and_numerals() {
        let c = texts(&[
            "On Wednesday, a man was shot near Kut as he tried to run over two marines.",
            "On Wednesday, the Marines shot an attacker near the town of Al-Kut as he tried to run over two Marines.",
            "Shares of the company fell 3.5 percent to $1,200 in early trading.",
            "The company's shares fell 3.5 percent to $1200 in early trading on Friday.",
            "The company's shares fell 4 percent in early trading.",
        ]);
        let x = pair_features(&c[0], &c[1], None);
        let far = pair_features(&c[0], &c[2], None);
        for k in NGRAM1_MIN..NGRAM1_MIN + 8 {
            assert!((0.0..=1.0).contains(&x[k]), "{k}: {x:?}");
            assert!(x[k] >= far[k], "{k}");
        }
        // "tried to run over two" is shared in order: 4-grams match.
        assert!(x[NGRAM1_MIN + 6] > 0.0 && far[NGRAM1_MIN + 6] == 0.0);
        // Each n's lower reading never exceeds its higher one.
        for k in (NGRAM1_MIN..CHAR_MIN + 2).step_by(2) {
            assert!(x[k] <= x[k + 1], "{k}");
        }
        assert!(x[CHAR_MIN] > far[CHAR_MIN] && x[LCS] > far[LCS]);
        assert!((0.0..=1.0).contains(&x[LCS]) && (0.0..=1.0).contains(&x[UNSHARED]));
        // Numerals as written: "$1,200" and "$1200" are one numeral; "4" is not "3.5".
        let same = pair_features(&c[2], &c[3], None);
        assert_eq!(same[NUMERALS_DIFFER], 0.0);
        assert_eq!(same[NUMERALS_SUBSET], 1.0);
        let diff = pair_features(&c[2], &c[4], None);
        assert!(diff[NUMERALS_DIFFER] > 0.0);
        assert_eq!(diff[NUMERALS_SUBSET], 0.0);
        assert_eq!(x[NUMERALS_SUBSET], 0.0, "no numerals on one side");
        let (la, lb) = (c[0].words.len(), c[1].words.len());
        assert!((x[LENGTH_DIFF] - la.abs_diff(lb) as f64 / 30.0).abs() < 1e-9);
        // The pair read the other way round gives the same values.
        let y = pair_features(&c[1], &c[0], None);
        for k in NGRAM1_MIN..N_FEATURES {
            assert!((x[k] - y[k]).abs() < 1e-12, "{k}");
        }
        assert_eq!(
            numerals("In 2003, 1,500.25 and 7."),
            ["1500.25", "2003", "7"]
        );
        assert_eq!(lcs(&[1, 2, 3, 4], &[2, 9, 4]), 2);
        assert_eq!(shared_sorted(&[1, 1, 2], &[1, 2, 2]), 2);
    }

    #[test]
    fn story_context_sees_leads_and_both_ranks() {
        let doc = crate::clean::test_document;
        let a = doc(
            "a",
            "The Velmora council approved the new harbour budget on Monday evening. \
             Critics said the harbour budget ignores the fishing fleet entirely. \
             A ferry strike is planned for the spring by the union of dock workers. \
             The mayor will travel to the coast next week to meet the fishing fleet.",
        );
        let b = doc(
            "b",
            "On Monday the Velmora council passed the harbour budget after a long debate. \
             A new bakery opened on the market square yesterday morning.",
        );
        let claims = super::super::align::features(&[&a, &b], &[], &[]);
        assert_eq!(claims.len(), 6);
        let pairs: std::collections::BTreeSet<(usize, usize)> =
            (0..4).flat_map(|i| [(i, 4), (i, 5)]).collect();
        let f = super::super::align::story_pair_features(
            &claims,
            &pairs,
            &super::super::align::LexicalSimilarity,
        );
        let x = |i: usize, j: usize| f.get(&(i, j)).map(|v| v.0).expect("scored pair");
        assert_eq!(x(0, 4)[LEADS], 1.0);
        assert_eq!(x(3, 4)[LEADS], 0.0, "the fourth sentence is not a lead");
        assert_eq!(
            x(0, 5)[LEADS],
            0.0,
            "the second of two sentences opens nothing"
        );
        // Each other's first choice on both sides.
        assert!((x(0, 4)[RECIP_RANK_MIN] - 1.0).abs() < 1e-9);
        assert!(x(0, 4)[CLOSENESS_Z] > x(2, 4)[CLOSENESS_Z]);
        for v in f.values() {
            assert!((0.0..=1.0).contains(&v.0[RECIP_RANK_MIN]));
            assert!((-1.0..=1.0).contains(&v.0[CLOSENESS_Z]));
            assert_eq!(v.0[PART_RECIP_RANK], 0.0, "no clause vectors on words");
        }
    }

    #[test]
    fn parse_ignores_malformed_lines() {
        let m = parse("weights align words 1 2\nthreshold align words agree x\nnonsense\n");
        assert_eq!(m.align.words.weights, [0.0; N_FEATURES]);
        assert_eq!(m.align.words.agree, 1.0);
    }
}
