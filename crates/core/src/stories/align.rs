//! Claim alignment inside one story: every informative sentence is a claim; claims of different
//! outlets are lined up by shared content stems (event words folded through synonym groups),
//! actors (entity ids, or capitalised names when the entity stage has none), numbers and
//! resolved dates. A group is `agreed` (several outlets), `only_in` (one) or `conflict`.
//!
//! Conflicts are deliberately rare: a pair must be strongly aligned (high similarity, same
//! actor, same event word) and then show a clear contradiction: two different fully resolved
//! dates, two different exact numbers of the same unit, or the explicit negation of a
//! predicate the other side states. Differences of detail or resolution are agreement.
//!
//! The similarity is pluggable through [`SentenceSimilarity`]: a sentence-embedding scorer can
//! replace or blend with [`LexicalSimilarity`] without touching the grouping logic.

pub use super::conflict::{amount_digit_conflict, contradiction, year_range_conflict};
use super::conflict::{amounts_disagree, cut_off, StoryContext};
use super::lexicon::{event_group, is_content, is_stopword, normalize_word, stem};
use super::pair::{self, Variant};
use crate::embed::{SentenceVectors, TokenVectors};
use crate::model::{
    Claim, ClaimKind, ClaimSentence, Confidence, Document, Entity, Status, TimeExpr, TimeType,
};
use crate::text::{truncate_chars, words};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

pub(crate) static CUES: &str = include_str!("../../data/stories/claim_cues.txt");

/// Sentences shorter than this (in words) are not claims.
pub const MIN_WORDS: usize = 6;
/// Quoted sentences shorter than [`MIN_WORDS`] are claims down to this many words: a short
/// quotation that several outlets repeat ("Rise to the occasion.") is a fact of the story,
/// while a short sentence in an outlet's own voice is mostly a fragment or a transition.
/// Such a quotation agrees only with a sentence that contains its very words
/// ([`short_quote_repeated`]).
pub const MIN_QUOTE_WORDS: usize = 3;
/// At most this many `only_in` claims per document, the most informative ones.
const MAX_ONLY_IN_PER_DOC: usize = 10;
/// At most this many `related` claims per story, the closest ones: near misses worth a look,
/// not a list of every sentence on the same topic.
const MAX_RELATED: usize = 5;
/// Stems in more than this many sentences are not used to find candidate pairs.
const MAX_POSTING: usize = 400;
/// Up to this many claims in a story, every cross-outlet pair is scored; above it only pairs
/// sharing a (not too common) stem, so the cost stays bounded in big stories.
const ALL_PAIRS_UP_TO: usize = 1500;
/// Closest candidates per claim and article looked at for a bridge through a third article.
const BRIDGE_CANDIDATES: usize = 3;

struct Cues {
    approx: Vec<Vec<String>>,
    negators: HashSet<String>,
    negative_verbs: HashSet<String>,
    number_words: HashMap<String, f64>,
}

fn cues() -> &'static Cues {
    static C: OnceLock<Cues> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = Cues {
            approx: Vec::new(),
            negators: HashSet::new(),
            negative_verbs: HashSet::new(),
            number_words: HashMap::new(),
        };
        for line in CUES.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let kind = parts.next().unwrap_or("");
            let rest: Vec<String> = parts.map(str::to_string).collect();
            match kind {
                "approx" => c.approx.push(rest),
                "negator" => {
                    c.negators.extend(rest);
                }
                "negative_verb" => {
                    c.negative_verbs.extend(rest.iter().map(|w| stem(w)));
                }
                "number_word" => {
                    if let [w, v] = rest.as_slice() {
                        if let Ok(v) = v.parse::<f64>() {
                            c.number_words.insert(w.clone(), v);
                        }
                    }
                }
                _ => {}
            }
        }
        c
    })
}

/// A number in a claim with the word it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// Stem of the counted word ("migrant", "percent").
    pub unit: String,
    /// Preceded by an approximator ("more than", "about").
    pub approx: bool,
    /// The span of time the amount is counted over, when the clause gives one: a rate
    /// (`year`, `month`, `week`, `day`: "$1,179 a month", "$6 trillion a year") or `years`
    /// ("$5 trillion over the next decade"), or the base of a change (`change over a month`:
    /// "0.9 percent from March"; `change over a year`: "3% from the same period in 2020").
    /// Amounts counted over different spans are different quantities, not two accounts of
    /// one.
    pub period: Option<&'static str>,
    pub text: String,
    /// Stems of the content words right before and after it ("a $43,000 gold watch": `gold`,
    /// `watch`): two amounts are only compared when they share one, so that different facts
    /// with the same unit ("$43,000 watch", "$750,000 of campaign funds") never conflict.
    pub context: BTreeSet<String>,
}

/// Everything alignment knows about one candidate claim (one sentence).
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFeatures {
    /// Index of the document in the story.
    pub doc: usize,
    /// Position of the sentence in its document.
    pub pos: usize,
    pub sentence_id: String,
    pub text: String,
    pub status: Option<Status>,
    /// Content stems folded through event groups, with TF-IDF weights, L2-normalised, by id.
    pub stems: BTreeMap<String, f64>,
    /// Event groups named in the sentence.
    pub events: BTreeSet<String>,
    /// Actors: entity ids when the sentence has them, else capitalised name tokens (`n:`).
    pub actors: BTreeSet<String>,
    /// The actors weighted by how rare they are in the story, in 0..1 (the story's main actor,
    /// named in most sentences, says little about which claim a sentence makes).
    pub actor_weights: BTreeMap<String, f64>,
    pub numbers: Vec<Quantity>,
    /// Resolved DATE values the sentence names itself (a digit, a month, a weekday), cut to
    /// their precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub dates: BTreeSet<String>,
    /// Any resolved DATE values (also `YYYY-MM`, `YYYY`).
    pub partial_dates: BTreeSet<String>,
    /// Spans of years written as such ("from 1967 to 1979", "1966-1978"), first and last year.
    pub year_ranges: Vec<(i32, i32)>,
    /// The day the sentence's article was published, when known: whether a date it names
    /// lies ahead or behind (see `conflict::date_conflict`).
    pub published: Option<chrono::NaiveDate>,
    /// Stems explicitly negated ("did not approve" -> "approv").
    pub negated: BTreeSet<String>,
    /// Any negation or negative verb at all (guards the negation conflict).
    pub negative: bool,
    /// The sentence's words, normalised to lower case, function words included (phrase and
    /// length features of the pair model).
    pub words: Vec<String>,
    /// Stem n-grams, character trigrams, word sequence and numerals (the pair model's surface
    /// features), computed once per sentence.
    pub surface: pair::Surface,
}

/// How strongly two claims of a story are aligned, and how the pair model reads that.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// Probability that the two sentences state the same fact.
    pub p: f64,
    /// The same, with number and negation disagreement left out: "the same fact apart from
    /// the value", the condition for a conflict.
    pub p_apart_from_values: f64,
    /// The thresholds of the variant that scored the pair.
    pub variant: &'static Variant,
}

impl PairScore {
    pub fn is_same_fact(&self) -> bool {
        self.p >= self.variant.agree
    }
    /// The condition for a conflict: with the disagreeing values left out, the pair is the
    /// same fact with the `conflict` threshold's confidence (between `agree` and `agree_high`).
    pub fn is_same_fact_apart_from_values(&self) -> bool {
        self.p_apart_from_values >= self.variant.conflict
    }
    pub fn is_related(&self) -> bool {
        self.p >= self.variant.related
    }
    pub fn confidence(&self, p: f64) -> Confidence {
        if p >= self.variant.agree_high {
            Confidence::High
        } else if p >= self.variant.agree {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }
}

/// The seam where sentence embeddings plug in: the cosine of two claims' sentences, when there
/// are vectors for both. The pair model does the rest, on words when this gives nothing.
pub trait SentenceSimilarity {
    fn cosine(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<f32>;
    /// The best cosine between clauses of the two sentences, when there are clause vectors.
    fn part_cosine(&self, _a: &ClaimFeatures, _b: &ClaimFeatures) -> Option<f32> {
        None
    }
    /// The content-token vectors of a claim's sentence, when there are any.
    fn tokens(&self, _a: &ClaimFeatures) -> Option<&TokenVectors> {
        None
    }
}

/// Words only: no cosine.
#[derive(Debug, Clone, Copy, Default)]
pub struct LexicalSimilarity;

impl SentenceSimilarity for LexicalSimilarity {
    fn cosine(&self, _: &ClaimFeatures, _: &ClaimFeatures) -> Option<f32> {
        None
    }
}

/// Sentence-embedding cosine from precomputed vectors (by sentence id).
#[derive(Debug, Clone, Copy)]
pub struct EmbeddingSimilarity<'a> {
    vectors: &'a SentenceVectors,
}

impl<'a> EmbeddingSimilarity<'a> {
    pub fn new(vectors: &'a SentenceVectors) -> Self {
        EmbeddingSimilarity { vectors }
    }
}

impl SentenceSimilarity for EmbeddingSimilarity<'_> {
    fn cosine(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<f32> {
        self.vectors.cosine(&a.sentence_id, &b.sentence_id)
    }
    fn part_cosine(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<f32> {
        self.vectors
            .best_part_cosine(&a.sentence_id, &b.sentence_id)
    }
    fn tokens(&self, a: &ClaimFeatures) -> Option<&TokenVectors> {
        self.vectors.tokens(&a.sentence_id)
    }
}

/// The features of a free-standing pair (no story context): [`pair::pair_features`] and, when
/// both sentences have token vectors, the token match with every token weighted alike.
pub fn free_pair_features(
    a: &ClaimFeatures,
    b: &ClaimFeatures,
    cosine: Option<f32>,
    tokens: Option<(&TokenVectors, &TokenVectors)>,
) -> [f64; pair::N_FEATURES] {
    let mut x = pair::pair_features(a, b, cosine);
    if let Some((ta, tb)) = tokens {
        if let Some(cover) = crate::embed::coverage(ta, tb, &|_| 1.0) {
            let t = pair::token_features(cover, ta.len() <= tb.len());
            for (k, v) in pair::TOKEN_FEATURES.into_iter().zip(t) {
                x[k] = v;
            }
        }
    }
    x
}

/// Scores a free-standing pair (no story context) with the paraphrase model: the probability
/// and whether it reaches the paraphrase threshold.
pub fn paraphrase_score(
    a: &ClaimFeatures,
    b: &ClaimFeatures,
    cosine: Option<f32>,
    tokens: Option<(&TokenVectors, &TokenVectors)>,
) -> (f64, bool) {
    let v = pair::model().paraphrase.variant(cosine.is_some());
    let p = pair::probability(v, &free_pair_features(a, b, cosine, tokens));
    (p, p >= v.paraphrase)
}

/// Scores a pair of a story with the alignment model, given its context features.
pub fn align_score(x: [f64; pair::N_FEATURES], embeddings: bool) -> PairScore {
    let v = pair::model().align.variant(embeddings);
    PairScore {
        p: pair::probability(v, &x),
        p_apart_from_values: super::conflict::apart_from_values(v, &x),
        variant: v,
    }
}

/// The features of every candidate pair of a story, with the story-context features filled in:
/// whether the two sentences are each other's closest match in the other's article
/// (`mutual_best`) and by how much the pair beats the next best candidate on each side
/// (`margin`). Closeness is the embedding cosine when there is one, else the stem cosine.
pub fn story_pair_features(
    claims: &[ClaimFeatures],
    pairs: &BTreeSet<(usize, usize)>,
    sim: &dyn SentenceSimilarity,
) -> HashMap<(usize, usize), ([f64; pair::N_FEATURES], bool)> {
    let mut feats: HashMap<(usize, usize), ([f64; pair::N_FEATURES], bool)> = HashMap::new();
    // best[i][doc] = (best closeness, its claim, second best closeness)
    let mut best: HashMap<(usize, usize), (f64, usize, f64)> = HashMap::new();
    let mut note = |i: usize, d: usize, c: f64, j: usize| {
        let e = best
            .entry((i, d))
            .or_insert((f64::MIN, usize::MAX, f64::MIN));
        if c > e.0 {
            *e = (c, j, e.0);
        } else if c > e.2 {
            e.2 = c;
        }
    };
    for &(i, j) in pairs {
        let cos = sim.cosine(&claims[i], &claims[j]);
        let mut x = pair::pair_features(&claims[i], &claims[j], cos);
        x[pair::PART_COSINE] = sim
            .part_cosine(&claims[i], &claims[j])
            .map_or(0.0, f64::from);
        let close = cos.map_or(x[2], f64::from);
        note(i, claims[j].doc, close, j);
        note(j, claims[i].doc, close, i);
        feats.insert((i, j), (x, cos.is_some()));
    }
    for (&(i, j), (x, has_cos)) in feats.iter_mut() {
        let close = if *has_cos { x[1] } else { x[2] };
        let side = |a: usize, b: usize| -> (bool, f64) {
            match best.get(&(a, claims[b].doc)) {
                Some(&(_, arg, second)) if arg == b => (true, close - second.max(0.0)),
                Some(&(c, _, _)) => (false, close - c),
                None => (false, 0.0),
            }
        };
        let (bi, mi) = side(i, j);
        let (bj, mj) = side(j, i);
        x[pair::MUTUAL_BEST] = if bi && bj { 1.0 } else { 0.0 };
        x[pair::MARGIN] = ((mi + mj) / 2.0).clamp(-1.0, 1.0);
    }
    let closeness: HashMap<(usize, usize), f64> = feats
        .iter()
        .map(|(&k, (x, has_cos))| (k, if *has_cos { x[1] } else { x[2] }))
        .collect();
    // Ranks: each claim's candidates in each other article, closest first.
    let mut lists: HashMap<(usize, usize), Vec<(f64, usize)>> = HashMap::new();
    for (&(i, j), &c) in &closeness {
        lists.entry((i, claims[j].doc)).or_default().push((c, j));
        lists.entry((j, claims[i].doc)).or_default().push((c, i));
    }
    for (&(i, _), l) in lists.iter_mut() {
        l.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let n = l.len() as f64;
        let mean = l.iter().map(|p| p.0).sum::<f64>() / n.max(1.0);
        let sd = (l.iter().map(|p| (p.0 - mean).powi(2)).sum::<f64>() / n.max(1.0)).sqrt();
        for (r, &(c, j)) in l.iter().enumerate() {
            if let Some((x, _)) = feats.get_mut(&(i.min(j), i.max(j))) {
                let rr = 1.0 / (r + 1) as f64;
                x[pair::RECIP_RANK] += 0.5 * rr;
                // The first side seen sets it; the second keeps the lower.
                x[pair::RECIP_RANK_MIN] = if x[pair::RECIP_RANK_MIN] == 0.0 {
                    rr
                } else {
                    x[pair::RECIP_RANK_MIN].min(rr)
                };
                let z = if sd > 1e-9 { (c - mean) / sd } else { 0.0 };
                x[pair::CLOSENESS_Z] += 0.5 * z.clamp(-3.0, 3.0) / 3.0;
            }
        }
    }
    // The same ranks by the best clause cosine, when there are clause vectors.
    let mut part_lists: HashMap<(usize, usize), Vec<(f64, usize)>> = HashMap::new();
    for (&(i, j), (x, has_cos)) in &feats {
        if *has_cos {
            let c = x[pair::PART_COSINE];
            part_lists
                .entry((i, claims[j].doc))
                .or_default()
                .push((c, j));
            part_lists
                .entry((j, claims[i].doc))
                .or_default()
                .push((c, i));
        }
    }
    for (&(i, _), l) in part_lists.iter_mut() {
        l.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (r, &(_, j)) in l.iter().enumerate() {
            if let Some((x, _)) = feats.get_mut(&(i.min(j), i.max(j))) {
                x[pair::PART_RECIP_RANK] += 0.5 / (r + 1) as f64;
            }
        }
    }
    // Opening sentences: the first three, and in the first quarter of the article (in a
    // short article every sentence is near the top, which says nothing).
    let mut length: HashMap<usize, usize> = HashMap::new();
    for c in claims {
        let n = length.entry(c.doc).or_insert(0);
        *n = (*n).max(c.pos + 1);
    }
    let opening =
        |c: &ClaimFeatures| c.pos < 3 && 4 * c.pos < length.get(&c.doc).copied().unwrap_or(0);
    for (&(i, j), (x, _)) in feats.iter_mut() {
        x[pair::LEADS] = if opening(&claims[i]) && opening(&claims[j]) {
            1.0
        } else {
            0.0
        };
    }
    // Bridges through a third article: each claim's few closest candidates per article are
    // enough (a bridge through a far candidate is weak anyway), which keeps this linear in
    // the number of pairs.
    let mut near: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    for (&(i, _), l) in &lists {
        near.entry(i)
            .or_default()
            .extend(l.iter().take(BRIDGE_CANDIDATES).map(|&(c, k)| (k, c)));
    }
    for (&(i, j), (x, _)) in feats.iter_mut() {
        let (di, dj) = (claims[i].doc, claims[j].doc);
        let through = |a: usize, b: usize| {
            near.get(&a)
                .into_iter()
                .flatten()
                .filter(|&&(k, _)| claims[k].doc != di && claims[k].doc != dj)
                .filter_map(|&(k, c)| closeness.get(&(b.min(k), b.max(k))).map(|&d| c.min(d)))
                .fold(0.0f64, f64::max)
        };
        x[pair::BRIDGE] = through(i, j).max(through(j, i));
    }
    // Neighbours: the sentences right before and after, in the same article.
    let at: HashMap<(usize, usize), usize> = claims
        .iter()
        .enumerate()
        .map(|(k, c)| ((c.doc, c.pos), k))
        .collect();
    let next_to = |k: usize| {
        let c = &claims[k];
        [c.pos.checked_sub(1), c.pos.checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(|p| at.get(&(c.doc, p)).copied())
    };
    let get = |a: usize, b: usize| closeness.get(&(a.min(b), a.max(b))).copied();
    for (&(i, j), (x, _)) in feats.iter_mut() {
        let nb = next_to(j)
            .filter_map(|n| get(i, n))
            .chain(next_to(i).filter_map(|n| get(n, j)))
            .fold(0.0f64, f64::max);
        x[pair::NEIGHBOUR] = nb;
    }
    add_token_features(claims, &mut feats, sim);
    feats
}

/// Fills in the token-match features ([`pair::TOKEN_FEATURES`]) of every pair, with each
/// token weighted by its rarity in the story: ln((n + 1) / (df + 1)) over the `n` sentences
/// that have tokens, `df` of them holding the token. The cost is that of multiplying each
/// article's token matrix by each other's (every content token against every one of another
/// outlet), like the other pair features linear in the pairs.
fn add_token_features(
    claims: &[ClaimFeatures],
    feats: &mut HashMap<(usize, usize), ([f64; pair::N_FEATURES], bool)>,
    sim: &dyn SentenceSimilarity,
) {
    let tokens: Vec<Option<&TokenVectors>> = claims.iter().map(|c| sim.tokens(c)).collect();
    let mut df: HashMap<u64, usize> = HashMap::new();
    let mut n = 0usize;
    for t in tokens.iter().flatten() {
        n += 1;
        let keys: HashSet<u64> = t.keys().iter().copied().collect();
        for k in keys {
            *df.entry(k).or_insert(0) += 1;
        }
    }
    if n == 0 {
        return;
    }
    let weight = |k: u64| ((n + 1) as f64 / (df.get(&k).copied().unwrap_or(0) + 1) as f64).ln();
    for (&(i, j), (x, _)) in feats.iter_mut() {
        let (Some(a), Some(b)) = (tokens[i], tokens[j]) else {
            continue;
        };
        if let Some(cover) = crate::embed::coverage(a, b, &weight) {
            let t = pair::token_features(cover, a.len() <= b.len());
            for (k, v) in pair::TOKEN_FEATURES.into_iter().zip(t) {
                x[k] = v;
            }
        }
    }
}

/// The pairs alignment looks at further: related, or the same fact apart from a value.
fn kept(s: &PairScore) -> bool {
    s.is_related() || s.p_apart_from_values >= s.variant.agree
}

/// Builds claim features for every sentence long enough to be a claim.
pub fn features(
    docs: &[&Document],
    entities: &[Entity],
    times: &[&TimeExpr],
) -> Vec<ClaimFeatures> {
    let _ = entities; // Sentence.entities already carries the resolved ids.
    let mut dates: HashMap<(&str, &str), Vec<(&str, bool)>> = HashMap::new();
    for t in times {
        if t.ty == TimeType::Date {
            dates
                .entry((t.doc.as_str(), t.sentence.as_str()))
                .or_default()
                .push((t.value.as_str(), names_a_day(&t.text)));
        }
    }
    let mut out = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let lower_seen: HashSet<String> = words(&d.text)
            .filter(|(_, w)| w.chars().next().is_some_and(char::is_lowercase))
            .map(|(_, w)| normalize_word(w))
            .collect();
        for (pos, s) in d.sentences().enumerate() {
            let toks: Vec<&str> = words(&s.text).map(|(_, w)| w).collect();
            let min = if s.status == Some(Status::Quote) {
                MIN_QUOTE_WORDS
            } else {
                MIN_WORDS
            };
            if toks.len() < min {
                continue;
            }
            let mut f = sentence_features(&s.text, &toks, &lower_seen);
            f.doc = di;
            f.pos = pos;
            f.sentence_id = s.id.clone();
            f.text = s.text.clone();
            f.status = s.status;
            f.published = d
                .published
                .as_deref()
                .and_then(|p| p.get(..10))
                .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
            if !s.entities.is_empty() {
                f.actors = s.entities.iter().cloned().collect();
            }
            for v in dates
                .get(&(d.id.as_str(), s.id.as_str()))
                .into_iter()
                .flatten()
            {
                let (v, calendar) = *v;
                if is_resolved(v) {
                    f.partial_dates.insert(v.to_string());
                    if calendar {
                        let precise = v
                            .char_indices()
                            .take_while(|(_, c)| c.is_ascii_digit() || *c == '-')
                            .last()
                            .map_or("", |(i, c)| &v[..i + c.len_utf8()])
                            .trim_end_matches('-');
                        if matches!(precise.len(), 4 | 7 | 10) {
                            f.dates.insert(precise.to_string());
                        }
                    }
                }
            }
            out.push(f);
        }
    }
    weight_stems(&mut out);
    out
}

/// Whether each side shorter than [`MIN_WORDS`] (a short quotation) has its words, in order,
/// in the other sentence: a few words say too little for the pair model to tell one
/// quotation from another ("We are not afraid!" against a sentence quoting other slogans),
/// but the same words repeated are the same quotation ("Do not come." / "... had a message
/// for Central Americans: \u{201c}Do not come.\u{201d}"). Trivially true when both are long.
pub fn short_quote_repeated(a: &ClaimFeatures, b: &ClaimFeatures) -> bool {
    let inside = |short: &[String], long: &[String]| {
        short.len() >= MIN_WORDS
            || short.is_empty()
            || long.windows(short.len()).any(|w| w == short)
    };
    inside(&a.words, &b.words) && inside(&b.words, &a.words)
}

/// Claim features of free-standing sentences (no document, no entities, no dates), weighted
/// against each other as one story: how `eval paraphrase` reads sentence pairs.
pub fn features_of_texts(texts: &[&str]) -> Vec<ClaimFeatures> {
    let mut out: Vec<ClaimFeatures> = texts
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let toks: Vec<&str> = words(t).map(|(_, w)| w).collect();
            let lower_seen: HashSet<String> = toks
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                .map(|w| normalize_word(w))
                .collect();
            let mut f = sentence_features(t, &toks, &lower_seen);
            f.doc = n;
            f.text = t.to_string();
            f
        })
        .collect();
    weight_stems(&mut out);
    out
}

/// True when a time expression names a calendar day itself (a digit, a month or a weekday):
/// only such dates can contradict each other. Relative words ("later", "now", "recently")
/// resolve through anchors that may be wrong, and a wrong anchor must not make a conflict.
fn names_a_day(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        || words(text).any(|(_, w)| {
            let l = normalize_word(w);
            let l = l.trim_end_matches('.');
            crate::text::MONTHS
                .iter()
                .chain(crate::text::WEEKDAYS.iter())
                .any(|m| *m == l || (l.len() >= 3 && m.starts_with(l)))
        })
}

/// A value whose year is known (no X in the year).
pub fn is_resolved(v: &str) -> bool {
    v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

/// Features of one sentence; `lower_seen` holds the words its document also writes in lower
/// case (a capitalised word that is never lower case is taken as a name).
pub fn sentence_features(text: &str, toks: &[&str], lower_seen: &HashSet<String>) -> ClaimFeatures {
    let c = cues();
    let lower: Vec<String> = toks.iter().map(|w| normalize_word(w)).collect();
    let mut stems = BTreeMap::new();
    let mut events = BTreeSet::new();
    let mut actors = BTreeSet::new();
    let mut negated = BTreeSet::new();
    let mut negative = false;
    for (i, (w, l)) in toks.iter().zip(&lower).enumerate() {
        let is_negator = c.negators.contains(l.as_str()) || l.ends_with("n't");
        if is_negator {
            negative = true;
            // The negated predicate: the next content word within three tokens. Only a
            // negated verb asserts that something did not happen: "no" negates a noun ("all
            // the no votes", "no place for bigotry"), and a negated -ing form sits in a
            // subordinate clause ("criticism for not having visited") that asserts nothing of
            // its own.
            if let Some(p) = lower
                .iter()
                .skip(i + 1)
                .take(3)
                .find(|x| is_content(x) && !c.negators.contains(x.as_str()))
                .filter(|p| l != "no" && !p.ends_with("ing"))
                .filter(|_| {
                    lower
                        .get(i + 1)
                        .is_none_or(|n| !matches!(n.as_str(), "having" | "being"))
                })
            {
                negated.insert(fold(&stem(p)));
            }
        }
        if !is_content(l) {
            continue;
        }
        let st = stem(l);
        if c.negative_verbs.contains(&st) {
            negative = true;
        }
        if let Some(g) = event_group(&st) {
            events.insert(g.to_string());
        }
        *stems.entry(fold(&st)).or_insert(0.0) += 1.0;
        if w.chars().next().is_some_and(char::is_uppercase) && !lower_seen.contains(l) {
            actors.insert(format!("n:{l}"));
        }
    }
    ClaimFeatures {
        doc: 0,
        pos: 0,
        sentence_id: String::new(),
        text: String::new(),
        status: None,
        stems,
        events,
        actors,
        actor_weights: BTreeMap::new(),
        numbers: numbers(text, &lower),
        dates: BTreeSet::new(),
        partial_dates: BTreeSet::new(),
        year_ranges: year_ranges(text),
        published: None,
        negated,
        negative,
        surface: pair::Surface::of(text, &lower),
        words: lower,
    }
}

/// A stem folded to its event group name, so synonyms count as one word.
fn fold(st: &str) -> String {
    event_group(st).map_or_else(|| st.to_string(), str::to_string)
}

/// Stop words that still make sense as the unit of a count.
const UNIT_STOPWORDS: [&str; 7] = ["people", "year", "years", "day", "days", "week", "weeks"];

/// Digits with their thousands separators and decimals, a currency sign before, a percent
/// sign or a scale word after ("$5,687.75", "1.5 million", "56%"). A digit run glued to letters
/// ("21st", "F-16") is not a quantity.
fn number_re() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(
            r"(?i)([$£€])?\b(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\b(?:\s*(%|percent\b|per cent\b))?(?:[\s-]+(hundred|thousand|million|billion|trillion)\b)?",
        )
        .expect("static pattern")
    })
}

/// Quantities of a sentence: written with digits (read from the text, so "$5,687.75" is one
/// number) or as number words ("two hundred people").
fn numbers(text: &str, lower: &[String]) -> Vec<Quantity> {
    let c = cues();
    let mut out = Vec::new();
    for m in number_re().captures_iter(text) {
        let Some(whole) = m.get(0) else { continue };
        let digits: String = m
            .get(2)
            .map(|d| d.as_str().chars().filter(|c| *c != ',').collect())
            .unwrap_or_default();
        let frac = m.get(3).map_or("", |f| f.as_str());
        let Ok(mut value) = format!("{digits}{frac}").parse::<f64>() else {
            continue;
        };
        let scale = m.get(5).map(|x| x.as_str().to_lowercase());
        if let Some(sc) = &scale {
            value *= c.number_words.get(sc.as_str()).copied().unwrap_or(1.0);
        }
        let before = &text[..whole.start()];
        let prev_word = words(before).last().map(|(_, w)| normalize_word(w));
        let after = &text[whole.end()..];
        let next_word = words(after)
            .next()
            .filter(|(i, _)| after[..*i].trim().is_empty() || after[..*i].trim() == "-")
            .map(|(_, w)| normalize_word(w));
        let unit = if m.get(1).is_some() {
            Some("dollar".to_string())
        } else if m.get(4).is_some() {
            Some("percent".to_string())
        } else {
            // A year, a day of a month or a time of day is a date, not a count.
            let year_like = scale.is_none()
                && frac.is_empty()
                && digits.len() == 4
                && (1800.0..=2100.0).contains(&value);
            let near_month = prev_word
                .as_deref()
                .is_some_and(|p| crate::text::MONTHS.contains(&p))
                || next_word
                    .as_deref()
                    .is_some_and(|n| crate::text::MONTHS.contains(&n));
            let clock = after.starts_with(':') || before.ends_with(':');
            if year_like || near_month || clock {
                continue;
            }
            next_word
                .filter(|n| {
                    n.chars().all(char::is_alphabetic)
                        && n.len() >= 3
                        && (!is_stopword(n) || UNIT_STOPWORDS.contains(&n.as_str()))
                })
                .map(|n| stem(&n))
        };
        let Some(unit) = unit else { continue };
        let lower_before: Vec<String> = words(before).map(|(_, w)| normalize_word(w)).collect();
        let approx = c.approx.iter().any(|phrase| {
            let n = phrase.len();
            lower_before.len() >= n
                && lower_before[lower_before.len() - n..]
                    .iter()
                    .zip(phrase)
                    .all(|(a, b)| a == b)
        });
        let mut context: BTreeSet<String> = words(before)
            .map(|(_, w)| normalize_word(w))
            .filter(|w| is_content(w))
            .last()
            .map(|w| stem(&w))
            .into_iter()
            .collect();
        context.extend(
            words(after)
                .map(|(_, w)| normalize_word(w))
                .filter(|w| is_content(w) && !w.chars().all(|c| c.is_ascii_digit()))
                .take(2)
                .map(|w| stem(&w))
                .filter(|w| *w != unit),
        );
        // "nine days earlier": the word after the unit, for a time reference.
        let past_unit = words(after)
            .nth(1)
            .map(|(_, w)| normalize_word(w))
            .filter(|_| m.get(1).is_none() && m.get(4).is_none());
        let period = if time_reference(&unit, past_unit.as_deref()) {
            Some(TIME_REFERENCE)
        } else if is_age(&unit, prev_word.as_deref(), past_unit.as_deref()) {
            Some(AGE)
        } else {
            period_of(after)
        };
        out.push(Quantity {
            value,
            unit,
            approx,
            period,
            text: whole.as_str().trim().to_string(),
            context,
        });
    }
    out.extend(word_numbers(lower));
    out
}

/// The [`Quantity::period`] of a span of time that places something in time ("nine days
/// earlier", "two years ago") rather than counting how long it lasted ("11 days of
/// fighting"): the two are never set against each other.
const TIME_REFERENCE: &str = "a time before or after";

/// The [`Quantity::period`] of an age ("75-year-old", "aged 75", "75 years old"): never set
/// against a duration ("a sentence of up to 30 years").
const AGE: &str = "an age";

/// A count of years that gives someone's age: "aged" before it, or "old" right after its
/// unit ("75-year-old", "75 years old", "seventy-five years old"), for figures in digits and
/// in words alike.
fn is_age(unit_stem: &str, prev: Option<&str>, past_unit: Option<&str>) -> bool {
    prev == Some("aged") || (unit_stem == "year" && past_unit == Some("old"))
}

/// A count of time units followed by "ago", "earlier", "later", ... ("nine days earlier").
fn time_reference(unit_stem: &str, next: Option<&str>) -> bool {
    const UNITS: [&str; 7] = ["second", "minut", "hour", "day", "week", "month", "year"];
    const AFTER: [&str; 6] = ["ago", "earlier", "later", "before", "after", "prior"];
    UNITS.contains(&unit_stem) && next.is_some_and(|n| AFTER.contains(&n))
}

/// The span an amount is counted over, read in the rest of its clause (see
/// [`Quantity::period`]).
fn period_of(after: &str) -> Option<&'static str> {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:a|an|per|each|every)\s+(year|month|week|day)|(annual|annually|yearly|monthly|weekly|daily)|over\s+(?:the\s+(?:next\s+|past\s+|last\s+)?|a\s+)?(decade|(?:\w+\s+)?years))\b",
        )
        .expect("a valid regex")
    });
    // A change measured against a base: "from March" or "from a month earlier" is a change
    // over a month, "from the same period in 2020" or "year over year" one over a year.
    static BASE: OnceLock<regex::Regex> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:(year[-\s](?:over|on)[-\s]year|from\s+(?:a|one|the\s+previous)\s+year\b|from\s+the\s+same\s+(?:period|month|quarter|time)|from\s+last\s+year)|(month[-\s](?:over|on)[-\s]month|from\s+(?:a|one|the\s+previous)\s+month\b|from\s+last\s+month|from\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b))",
        )
        .expect("a valid regex")
    });
    let clause = after
        .split([',', ';', ':', '.', '(', '—', '–'])
        .next()
        .unwrap_or("");
    let clause = clause.get(..clause.len().min(80)).unwrap_or(clause);
    if let Some(b) = base.captures(clause) {
        return Some(if b.get(1).is_some() {
            "change over a year"
        } else {
            "change over a month"
        });
    }
    let m = re.captures(clause)?;
    // "a month" / "monthly", "a week" / "weekly", "a day" / "daily", else a year.
    if let Some(w) = m.get(1).or(m.get(2)) {
        let w = w.as_str().to_ascii_lowercase();
        return Some(if w.starts_with("month") {
            "month"
        } else if w.starts_with("week") {
            "week"
        } else if w.starts_with("da") {
            "day"
        } else {
            "year"
        });
    }
    m.get(3).map(|_| "years")
}

/// Spans of years: two years joined by "to", "through", "until", "and" (after "between") or a
/// dash, the second not before the first.
fn year_ranges(text: &str) -> Vec<(i32, i32)> {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:from|between)\s+)?(1[89]\d\d|20\d\d)\s*(?:to|through|until|and|-|–|—)\s*(1[89]\d\d|20\d\d)\b",
        )
        .expect("static pattern")
    });
    re.captures_iter(text)
        .filter_map(|m| {
            let a: i32 = m.get(1)?.as_str().parse().ok()?;
            let b: i32 = m.get(2)?.as_str().parse().ok()?;
            (b >= a).then_some((a, b))
        })
        .collect()
}

/// Counts written as words ("two hundred people", "three counts").
fn word_numbers(lower: &[String]) -> Vec<Quantity> {
    let c = cues();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let first_is_digit = lower[i].chars().next().is_some_and(|c| c.is_ascii_digit());
        // A scale word after digits ("3 million") belongs to the digits, read from the text.
        let after_digits = i > 0
            && lower[i - 1]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
        let Some(mut value) = (!first_is_digit && !after_digits)
            .then(|| c.number_words.get(lower[i].as_str()).copied())
            .flatten()
        else {
            i += 1;
            continue;
        };
        let start = i;
        let mut j = i + 1;
        // "sixty-seven" (the hyphen splits it into two words): tens and units are one number.
        if (20.0..100.0).contains(&value) && value % 10.0 == 0.0 {
            if let Some(units) = lower
                .get(j)
                .and_then(|w| c.number_words.get(w.as_str()).copied())
                .filter(|u| (1.0..=9.0).contains(u))
            {
                value += units;
                j += 1;
            }
        }
        while let Some(scale) = lower
            .get(j)
            .filter(|w| ["hundred", "thousand", "million", "billion"].contains(&w.as_str()))
            .and_then(|w| c.number_words.get(w.as_str()).copied())
        {
            value *= scale;
            j += 1;
        }
        i = j;
        // "a million", "half a million", "a half million", "a quarter million": the article
        // and the fraction belong to the figure (so "nearly a million" is approximate, and
        // "half a million" is 500,000, not a million).
        // After "and" ("one and a half million") the fraction is part of a longer figure,
        // which is not read: the scale word alone stays as it was.
        let article = |k: usize| matches!(lower[k].as_str(), "a" | "an");
        let fraction = |k: usize| match lower[k].as_str() {
            "half" => Some(0.5),
            "quarter" => Some(0.25),
            _ => None,
        };
        let (mut from, mut factor) = (start, 1.0);
        if from > 0 && article(from - 1) {
            from -= 1;
            if let Some(f) = from.checked_sub(1).and_then(fraction) {
                factor = f;
                from -= 1;
            }
        } else if let Some(f) = from.checked_sub(1).and_then(fraction) {
            factor = f;
            from -= 1;
            if from > 0 && article(from - 1) {
                from -= 1;
            }
        }
        let start = if from > 0 && lower[from - 1] == "and" {
            start
        } else {
            value *= factor;
            from
        };
        let Some(unit) = lower.get(j).filter(|n| {
            n.chars().all(char::is_alphabetic)
                && n.len() >= 3
                && (!is_stopword(n) || UNIT_STOPWORDS.contains(&n.as_str()))
        }) else {
            continue;
        };
        let approx = c.approx.iter().any(|phrase| {
            let n = phrase.len();
            start >= n
                && lower[start - n..start]
                    .iter()
                    .zip(phrase)
                    .all(|(a, b)| a == b)
        });
        let context: BTreeSet<String> = start
            .checked_sub(1)
            .and_then(|p| lower.get(p))
            .into_iter()
            .chain(lower.get(j + 1))
            .filter(|w| is_content(w))
            .map(|w| stem(w))
            .collect();
        let unit_stem = stem(unit);
        let next = lower.get(j + 1).map(String::as_str);
        let prev = start
            .checked_sub(1)
            .and_then(|p| lower.get(p))
            .map(String::as_str);
        let period = if time_reference(&unit_stem, next) {
            Some(TIME_REFERENCE)
        } else if is_age(&unit_stem, prev, next) {
            Some(AGE)
        } else {
            None
        };
        out.push(Quantity {
            value,
            unit: unit_stem,
            approx,
            period,
            text: lower[start..j].join(" ") + " " + unit,
            context,
        });
    }
    out
}

/// TF-IDF over the story's claims (IDF = in how many claims a stem occurs), L2-normalised;
/// actors get the same IDF weighting.
fn weight_stems(claims: &mut [ClaimFeatures]) {
    let mut df: HashMap<String, usize> = HashMap::new();
    let mut adf: HashMap<String, usize> = HashMap::new();
    for c in claims.iter() {
        for k in c.stems.keys() {
            *df.entry(k.clone()).or_insert(0) += 1;
        }
        for k in &c.actors {
            *adf.entry(k.clone()).or_insert(0) += 1;
        }
    }
    let n = claims.len() as f64;
    let idf = |d: usize| ((n + 1.0) / (d as f64 + 1.0)).ln() + 1.0;
    for c in claims.iter_mut() {
        for (k, w) in c.stems.iter_mut() {
            *w = (1.0 + w.ln()) * idf(df.get(k).copied().unwrap_or(1));
        }
        normalize(&mut c.stems);
        let rarity = |d: usize| ((n + 1.0) / (d as f64 + 1.0)).ln() / (n + 1.0).ln().max(1e-9);
        c.actor_weights = c
            .actors
            .iter()
            .map(|k| (k.clone(), rarity(adf.get(k).copied().unwrap_or(1))))
            .collect();
    }
}

fn normalize(v: &mut BTreeMap<String, f64>) {
    let norm = v.values().map(|w| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for w in v.values_mut() {
            *w /= norm;
        }
    }
}

/// Rarity weight (see `weight_stems`) from which a shared actor is not the story's main one:
/// named in at most about one claim in seven of a story (ln(8)/ln(n+1) at n = 60 claims is 0.5).
pub(crate) const SPECIFIC_ACTOR: f64 = 0.5;

/// How much a lone claim tells a reader: actors, numbers, dates and a known voice.
fn informativeness(c: &ClaimFeatures) -> usize {
    // Quotes and speculation are what a reader comparing outlets looks for first in what only
    // one outlet says (who was given a voice, what was hinted at), then reports and claims.
    let voice = match c.status {
        Some(Status::Quote) => 4,
        Some(Status::Speculation) => 3,
        Some(Status::Reported | Status::Attributed) => 2,
        Some(Status::Opinion) => 1,
        None => 0,
    };
    c.actors.len().min(4) + 2 * c.numbers.len().min(2) + 2 * c.partial_dates.len().min(2) + voice
}

/// Every pair of claims of different documents, as (lower index, higher index): the
/// candidates of an ordinary story.
pub fn cross_outlet_pairs(claims: &[ClaimFeatures]) -> BTreeSet<(usize, usize)> {
    let mut pairs = BTreeSet::new();
    for (i, a) in claims.iter().enumerate() {
        for (j, b) in claims.iter().enumerate().skip(i + 1) {
            if a.doc != b.doc {
                pairs.insert((i, j));
            }
        }
    }
    pairs
}

/// Lines up the claims of a story. `story_id` prefixes claim ids (`<story>-c<n>`).
pub fn align_claims(
    story_id: &str,
    docs: &[&Document],
    entities: &[Entity],
    times: &[&TimeExpr],
    sim: &dyn SentenceSimilarity,
) -> Vec<Claim> {
    // Copies count once: their sentences are skipped; they are listed with their original.
    let ids: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let root: Vec<usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            d.duplicate_of
                .as_ref()
                .and_then(|l| ids.get(l.original.as_str()).copied())
                .unwrap_or(i)
        })
        .collect();
    let originals: Vec<&Document> = docs
        .iter()
        .enumerate()
        .filter(|(i, _)| root[*i] == *i)
        .map(|(_, d)| *d)
        .collect();
    let orig_index: Vec<usize> = (0..docs.len()).filter(|i| root[*i] == *i).collect();
    let claims = features(&originals, entities, times);

    // Candidate pairs: every cross-outlet pair in ordinary stories; through shared stems in
    // very big ones.
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    if claims.len() <= ALL_PAIRS_UP_TO {
        pairs = cross_outlet_pairs(&claims);
    } else {
        let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in claims.iter().enumerate() {
            for k in c.stems.keys() {
                postings.entry(k.as_str()).or_default().push(i);
            }
        }
        for list in postings.values().filter(|l| l.len() <= MAX_POSTING) {
            for (x, &i) in list.iter().enumerate() {
                for &j in &list[x + 1..] {
                    if claims[i].doc != claims[j].doc {
                        pairs.insert((i, j));
                    }
                }
            }
        }
    }
    let scores: HashMap<(usize, usize), PairScore> = story_pair_features(&claims, &pairs, sim)
        .into_iter()
        .map(|(k, (x, emb))| (k, align_score(x, emb)))
        .filter(|(_, s)| kept(s))
        .collect();
    let pair_score = |i: usize, j: usize| scores.get(&(i.min(j), i.max(j))).copied();
    let story = StoryContext::new(&claims, entities);
    // Two sentences that disagree on an amount (one digit changed, or no figure of one in the
    // other) are never listed as agreeing: they stay apart, where the disagreement is checked
    // for a conflict. Nor is a short quotation with a sentence that does not repeat its words.
    let disagree = |i: usize, j: usize| {
        amount_digit_conflict(&claims[i], &claims[j]).is_some()
            || amounts_disagree(&claims[i], &claims[j])
            || !short_quote_repeated(&claims[i], &claims[j])
    };
    let agrees =
        |i: usize, j: usize| pair_score(i, j).is_some_and(|s| s.is_same_fact()) && !disagree(i, j);
    let mut same: Vec<(f64, usize, usize)> = scores
        .iter()
        .filter(|(&(i, j), s)| s.is_same_fact() && !disagree(i, j))
        .map(|(&(i, j), s)| (s.p, i, j))
        .collect();
    same.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // Groups, strongest pairs first, at most one sentence per document per group; two groups
    // join only when every cross pair between them is the same fact (no chaining through one
    // sentence that says two things).
    let mut group_of: Vec<usize> = (0..claims.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..claims.len()).map(|i| vec![i]).collect();
    let mut pair_scores: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); claims.len()];
    for &(p, i, j) in &same {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let docs_i: BTreeSet<usize> = members[gi].iter().map(|&m| claims[m].doc).collect();
        if members[gj].iter().any(|&m| docs_i.contains(&claims[m].doc)) {
            continue;
        }
        let all_same = members[gi]
            .iter()
            .all(|&x| members[gj].iter().all(|&y| agrees(x, y)));
        if !all_same {
            continue;
        }
        let (keep, gone) = (gi.min(gj), gi.max(gj));
        let moved = std::mem::take(&mut members[gone]);
        for &m in &moved {
            group_of[m] = keep;
        }
        members[keep].extend(moved);
        let moved_scores = std::mem::take(&mut pair_scores[gone]);
        pair_scores[keep].extend(moved_scores);
        pair_scores[keep].push((p, i, j));
    }

    let doc_ids = |ds: &BTreeSet<usize>| -> Vec<String> {
        // A contributing original and its copies in the story, in story order.
        (0..docs.len())
            .filter(|&k| ds.contains(&root[k]))
            .map(|k| docs[k].id.clone())
            .collect()
    };
    let sentence = |c: &ClaimFeatures| ClaimSentence {
        doc: originals[c.doc].id.clone(),
        sentence: c.sentence_id.clone(),
        text: c.text.clone(),
        status: c.status,
    };

    // (kind rank, first doc, first pos) -> claim without id
    let mut out: Vec<((u8, usize, usize), Claim)> = Vec::new();
    let mut lone: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut in_conflict: HashSet<(usize, usize)> = HashSet::new();
    // Sentences left alone by the groups but stated by another outlet too (a claim of a pair
    // of their own, below): not "only in" their outlet.
    let mut in_pair_claim: HashSet<usize> = HashSet::new();
    for (g, mem) in members.iter().enumerate() {
        if mem.is_empty() || group_of[mem[0]] != g {
            continue;
        }
        let mut mem = mem.clone();
        mem.sort_by_key(|&m| (claims[m].doc, claims[m].pos));
        if mem.len() == 1 {
            lone.entry(claims[mem[0]].doc).or_default().push(mem[0]);
            continue;
        }
        let ps = &pair_scores[g];
        let score = ps.iter().map(|p| p.0).sum::<f64>() / ps.len().max(1) as f64;
        // Every cross pair of a group is the same fact (groups join only then), but only the
        // pairs that joined it are recorded: two sentences that joined through a third are
        // compared with each other too, the closest pairs first.
        let mut cross: Vec<(f64, usize, usize)> = mem
            .iter()
            .enumerate()
            .flat_map(|(k, &i)| mem[k + 1..].iter().map(move |&j| (i.min(j), i.max(j))))
            .filter(|&(i, j)| claims[i].doc != claims[j].doc)
            .filter_map(|(i, j)| {
                pair_score(i, j)
                    .filter(PairScore::is_same_fact_apart_from_values)
                    .map(|s| (s.p, i, j))
            })
            .collect();
        cross.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let conflict = cross
            .iter()
            .find_map(|&(_, i, j)| story.contradiction(&claims[i], &claims[j], true));
        let confidence = ps
            .first()
            .and_then(|&(_, i, j)| pair_score(i, j))
            .map(|s| s.confidence(score));
        let first_c = &claims[mem[0]];
        let ds: BTreeSet<usize> = mem.iter().map(|&m| orig_index[claims[m].doc]).collect();
        let kind = if conflict.is_some() {
            ClaimKind::Conflict
        } else {
            ClaimKind::Agreed
        };
        let rank = if conflict.is_some() { 0 } else { 1 };
        for &a in &mem {
            for &b in &mem {
                in_conflict.insert((a, b));
            }
        }
        out.push((
            (rank, first_c.doc, first_c.pos),
            Claim {
                id: String::new(),
                kind,
                summary: summary(mem.iter().map(|&m| &claims[m])),
                documents: doc_ids(&ds),
                sentences: mem.iter().map(|&m| sentence(&claims[m])).collect(),
                conflict,
                score: (score * 1000.0).round() / 1000.0,
                confidence,
            },
        ));
    }
    // A sentence often states several facts (a lead sentence carries three or four), and a
    // group holds one sentence per article: same-fact pairs the groups leave apart are claims
    // of their own, so each fact a sentence shares with another outlet is listed.
    let mut extra: Vec<(f64, usize, usize)> = same
        .iter()
        .copied()
        .filter(|&(_, i, j)| group_of[i] != group_of[j])
        .collect();
    extra.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (p, i, j) in extra {
        let (a, b) = (&claims[i], &claims[j]);
        let ds: BTreeSet<usize> = [orig_index[a.doc], orig_index[b.doc]].into();
        let s = pair_score(i, j);
        let conflict = s
            .filter(PairScore::is_same_fact_apart_from_values)
            .and_then(|_| story.contradiction(a, b, true));
        in_conflict.insert((i, j));
        in_pair_claim.extend([i, j]);
        out.push((
            (if conflict.is_some() { 0 } else { 1 }, a.doc, a.pos),
            Claim {
                id: String::new(),
                kind: if conflict.is_some() {
                    ClaimKind::Conflict
                } else {
                    ClaimKind::Agreed
                },
                summary: summary([a, b].into_iter()),
                documents: doc_ids(&ds),
                sentences: vec![sentence(a), sentence(b)],
                conflict,
                score: (p * 1000.0).round() / 1000.0,
                confidence: s.map(|s| s.confidence(p)),
            },
        ));
    }
    // Conflicts between sentences that state the same fact apart from the value they
    // disagree on (the disagreement itself lowers the pair's score below "agreed").
    let mut apart: Vec<(f64, usize, usize)> = scores
        .iter()
        .filter(|(&(i, j), s)| {
            let near_miss =
                (!s.is_same_fact() || disagree(i, j)) && s.is_same_fact_apart_from_values();
            let span = s.is_related() && year_range_conflict(&claims[i], &claims[j]).is_some();
            (near_miss || span) && group_of[i] != group_of[j]
        })
        .map(|(&(i, j), s)| (s.p_apart_from_values, i, j))
        .collect();
    // Precise amounts one digit apart, between any two sentences not already in one group.
    let listed: HashSet<(usize, usize)> = apart.iter().map(|&(_, i, j)| (i, j)).collect();
    for &(i, j) in &pairs {
        if group_of[i] != group_of[j]
            && !listed.contains(&(i, j))
            && amount_digit_conflict(&claims[i], &claims[j]).is_some()
        {
            let p = pair_score(i, j).map_or(0.0, |s| s.p_apart_from_values);
            apart.push((p, i, j));
        }
    }
    apart.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (p, i, j) in apart {
        let whole = pair_score(i, j).is_some_and(|s| s.is_same_fact_apart_from_values());
        let complete = !cut_off(&claims[i]) && !cut_off(&claims[j]);
        // A pair the model reads as the same fact even with its disagreement counted is one
        // only the amounts kept apart: its dates may conflict too.
        let same_fact = pair_score(i, j).is_some_and(|s| s.is_same_fact());
        let found = if whole {
            story.contradiction(&claims[i], &claims[j], same_fact)
        } else {
            year_range_conflict(&claims[i], &claims[j])
        }
        .or_else(|| amount_digit_conflict(&claims[i], &claims[j]))
        .filter(|_| complete);
        let Some(conflict) = found else {
            continue;
        };
        let (a, b) = (&claims[i], &claims[j]);
        let ds: BTreeSet<usize> = [orig_index[a.doc], orig_index[b.doc]].into();
        let confidence = pair_score(i, j).map(|s| s.confidence(p));
        out.push((
            (0, a.doc, a.pos),
            Claim {
                id: String::new(),
                kind: ClaimKind::Conflict,
                summary: summary([a, b].into_iter()),
                documents: doc_ids(&ds),
                sentences: vec![sentence(a), sentence(b)],
                conflict: Some(conflict),
                score: (p * 1000.0).round() / 1000.0,
                confidence,
            },
        ));
        in_conflict.insert((i, j));
        in_pair_claim.extend([i, j]);
    }
    // Related: the closest pairs that are not the same fact, each sentence at most once. A
    // pair kept from "agreed" by an amount it disagrees on (or a short quotation and a
    // sentence that does not repeat it), and found no conflict, is shown here: the reader sees
    // both figures side by side.
    let mut related: Vec<(f64, usize, usize)> = scores
        .iter()
        .filter(|(&(i, j), s)| {
            s.is_related()
                && (!s.is_same_fact() || disagree(i, j))
                && group_of[i] != group_of[j]
                && !in_conflict.contains(&(i, j))
        })
        .map(|(&(i, j), s)| (s.p, i, j))
        .collect();
    related.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used: HashSet<usize> = HashSet::new();
    for (p, i, j) in related {
        if used.len() >= 2 * MAX_RELATED || used.contains(&i) || used.contains(&j) {
            continue;
        }
        used.insert(i);
        used.insert(j);
        let (a, b) = (&claims[i], &claims[j]);
        let ds: BTreeSet<usize> = [orig_index[a.doc], orig_index[b.doc]].into();
        out.push((
            (3, a.doc, a.pos),
            Claim {
                id: String::new(),
                kind: ClaimKind::Related,
                summary: summary([a, b].into_iter()),
                documents: doc_ids(&ds),
                sentences: vec![sentence(a), sentence(b)],
                conflict: None,
                score: (p * 1000.0).round() / 1000.0,
                confidence: Some(Confidence::Low),
            },
        ));
    }
    for (d, list) in lone {
        let mut best: Vec<usize> = list
            .into_iter()
            .filter(|m| !in_pair_claim.contains(m))
            .filter(|&m| informativeness(&claims[m]) > 0)
            // A short quotation alone ("Rise to the occasion.") says too little to stand as
            // what one outlet reports: it is a claim only as the repeated words of a quote.
            .filter(|&m| claims[m].words.len() >= MIN_WORDS)
            .collect();
        best.sort_by_key(|&m| {
            (
                std::cmp::Reverse(informativeness(&claims[m])),
                claims[m].pos,
            )
        });
        best.truncate(MAX_ONLY_IN_PER_DOC);
        for m in best {
            let c = &claims[m];
            out.push((
                (2, d, c.pos),
                Claim {
                    id: String::new(),
                    kind: ClaimKind::OnlyIn,
                    summary: truncate_chars(&c.text, 200),
                    documents: doc_ids(&BTreeSet::from([orig_index[d]])),
                    sentences: vec![sentence(c)],
                    conflict: None,
                    score: 0.0,
                    confidence: None,
                },
            ));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    distinct_summaries(&mut out);
    out.into_iter()
        .enumerate()
        .map(|(n, (_, mut c))| {
            c.id = format!("{story_id}-c{}", n + 1);
            c
        })
        .collect()
}

/// A sentence stating several facts is in one claim per fact it shares with another outlet,
/// and as the clearest sentence it would head each of them, so a reader would see two claims
/// that read the same. A claim whose summary an earlier claim already shows is headed by
/// its clearest other sentence instead (when it has one).
fn distinct_summaries<K>(out: &mut [(K, Claim)]) {
    let mut shown: HashSet<String> = HashSet::new();
    for (_, c) in out.iter_mut() {
        if shown.contains(&c.summary) {
            let other = c
                .sentences
                .iter()
                .map(|s| (s, truncate_chars(&s.text, 200)))
                .filter(|(_, t)| !shown.contains(t))
                .min_by_key(|(s, _)| {
                    (
                        s.status != Some(Status::Reported),
                        words(&s.text).count() < 8,
                        s.text.len(),
                    )
                });
            if let Some((_, t)) = other {
                c.summary = t;
            }
        }
        shown.insert(c.summary.clone());
    }
}

/// The clearest sentence of a group: the outlet's own report first, then the shortest one that
/// still has at least eight words.
fn summary<'a>(cs: impl Iterator<Item = &'a ClaimFeatures>) -> String {
    let best = cs.min_by_key(|c| {
        let n = words(&c.text).count();
        (
            c.status != Some(Status::Reported),
            n < 8,
            c.text.len(),
            c.doc,
            c.pos,
        )
    });
    best.map(|c| truncate_chars(&c.text, 200))
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "align_tests.rs"]
mod tests;
