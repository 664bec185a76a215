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

use super::lexicon::{event_group, is_content, is_stopword, normalize_word, stem};
use crate::model::{
    Claim, ClaimKind, ClaimSentence, Conflict, ConflictKind, Document, Entity, Status, TimeExpr,
    TimeType,
};
use crate::text::{truncate_chars, words};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

static CUES: &str = include_str!("../../data/stories/claim_cues.txt");

/// Sentences shorter than this (in words) are not claims.
const MIN_WORDS: usize = 6;
/// Pair similarity needed to line two sentences up as the same claim.
pub const AGREE_THRESHOLD: f64 = 0.24;
/// Pair similarity needed before a contradiction is even looked for (numbers).
pub const CONFLICT_THRESHOLD: f64 = 0.4;
/// Pair similarity needed for a date conflict.
pub const DATE_CONFLICT_THRESHOLD: f64 = 0.45;
/// Pair similarity needed for a negation conflict: negation is the easiest to misread ("will
/// not seek" vs "announces whether he will seek"), so it needs nearly the same sentence.
pub const NEGATION_CONFLICT_THRESHOLD: f64 = 0.6;
/// At most this many `only_in` claims per document, the most informative ones.
const MAX_ONLY_IN_PER_DOC: usize = 10;
/// Stems in more than this many sentences are not used to find candidate pairs.
const MAX_POSTING: usize = 400;

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
    pub text: String,
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
    /// Fully resolved DATE values (`YYYY-MM-DD`) of the sentence.
    pub dates: BTreeSet<String>,
    /// Any resolved DATE values (also `YYYY-MM`, `YYYY`).
    pub partial_dates: BTreeSet<String>,
    /// Stems explicitly negated ("did not approve" -> "approv").
    pub negated: BTreeSet<String>,
    /// Any negation or negative verb at all (guards the negation conflict).
    pub negative: bool,
}

/// The seam where sentence similarity plugs in: lexical now, embeddings later.
pub trait SentenceSimilarity {
    /// Similarity of two claims in 0..1.
    fn similarity(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> f64;
}

/// Weighted stem cosine, plus shared actors and shared dates/numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct LexicalSimilarity;

impl SentenceSimilarity for LexicalSimilarity {
    fn similarity(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> f64 {
        let shared = a.stems.keys().filter(|k| b.stems.contains_key(*k)).count();
        // One shared word is a coincidence, not a claim.
        if shared < 2 {
            return 0.0;
        }
        let cos = dot(&a.stems, &b.stems);
        // Shared actors by rarity in the story, over the geometric mean of the set sizes.
        let actors = if a.actors.is_empty() || b.actors.is_empty() {
            0.0
        } else {
            a.actor_weights
                .iter()
                .filter(|(k, _)| b.actor_weights.contains_key(*k))
                .map(|(_, w)| w)
                .sum::<f64>()
                / ((a.actors.len() * b.actors.len()) as f64).sqrt()
        };
        let events = a.events.intersection(&b.events).count() as f64
            / a.events.len().min(b.events.len()).max(1) as f64;
        let shared_when = !a.partial_dates.is_disjoint(&b.partial_dates)
            || a.numbers.iter().any(|x| {
                b.numbers
                    .iter()
                    .any(|y| x.unit == y.unit && (x.value - y.value).abs() < 1e-9)
            });
        let s =
            0.6 * cos + 0.2 * actors.min(1.0) + 0.1 * events + if shared_when { 0.1 } else { 0.0 };
        s.clamp(0.0, 1.0)
    }
}

fn dot(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> f64 {
    a.iter().filter_map(|(k, w)| b.get(k).map(|v| v * w)).sum()
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
            if toks.len() < MIN_WORDS {
                continue;
            }
            let mut f = sentence_features(&toks, &lower_seen);
            f.doc = di;
            f.pos = pos;
            f.sentence_id = s.id.clone();
            f.text = s.text.clone();
            f.status = s.status;
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
                    if calendar && v.len() >= 10 && v.as_bytes().get(4) == Some(&b'-') {
                        if let Some(day) = v.get(..10) {
                            if day[5..].bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                                f.dates.insert(day.to_string());
                            }
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

fn sentence_features(toks: &[&str], lower_seen: &HashSet<String>) -> ClaimFeatures {
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
            // The negated predicate: the next content word within three tokens.
            if let Some(p) = lower
                .iter()
                .skip(i + 1)
                .take(3)
                .find(|x| is_content(x) && !c.negators.contains(x.as_str()))
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
        numbers: numbers(&lower),
        dates: BTreeSet::new(),
        partial_dates: BTreeSet::new(),
        negated,
        negative,
    }
}

/// A stem folded to its event group name, so synonyms count as one word.
fn fold(st: &str) -> String {
    event_group(st).map_or_else(|| st.to_string(), str::to_string)
}

/// Stop words that still make sense as the unit of a count.
const UNIT_STOPWORDS: [&str; 7] = ["people", "year", "years", "day", "days", "week", "weeks"];

fn parse_number(l: &str) -> Option<f64> {
    if l.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits: String = l.chars().filter(|c| *c != ',').collect();
        return digits.parse::<f64>().ok();
    }
    cues().number_words.get(l).copied()
}

fn numbers(lower: &[String]) -> Vec<Quantity> {
    let c = cues();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let Some(mut value) = parse_number(&lower[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut j = i + 1;
        // "3 million", "two hundred"
        while let Some(scale) = lower
            .get(j)
            .and_then(|w| {
                ["hundred", "thousand", "million", "billion"]
                    .contains(&w.as_str())
                    .then(|| parse_number(w))
            })
            .flatten()
        {
            value *= scale;
            j += 1;
        }
        i = j;
        let prev = start.checked_sub(1).and_then(|p| lower.get(p));
        let next = lower.get(j);
        let near_month = prev.is_some_and(|p| crate::text::MONTHS.contains(&p.as_str()))
            || next.is_some_and(|n| crate::text::MONTHS.contains(&n.as_str()));
        let year_like = (1800.0..=2100.0).contains(&value) && lower[start].len() == 4;
        if near_month || year_like {
            continue;
        }
        let Some(unit) = next.filter(|n| {
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
        out.push(Quantity {
            value,
            unit: stem(unit),
            approx,
            text: lower[start..j.min(lower.len())].join(" ") + " " + unit,
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

/// A contradiction between two strongly aligned claims, if there is a clear one.
pub fn contradiction(a: &ClaimFeatures, b: &ClaimFeatures, sim: f64) -> Option<Conflict> {
    if sim < CONFLICT_THRESHOLD || a.actors.is_disjoint(&b.actors) {
        return None;
    }
    let same_event = !a.events.is_disjoint(&b.events);
    if same_event
        && sim >= DATE_CONFLICT_THRESHOLD
        && !a.dates.is_empty()
        && !b.dates.is_empty()
        && a.dates.is_disjoint(&b.dates)
    {
        return Some(Conflict {
            kind: ConflictKind::Date,
            values: vec![first(&a.dates), first(&b.dates)],
        });
    }
    if same_event {
        for x in a.numbers.iter().filter(|x| !x.approx) {
            let same_unit: Vec<&Quantity> = b.numbers.iter().filter(|y| y.unit == x.unit).collect();
            if same_unit.is_empty() || same_unit.iter().any(|y| y.approx) {
                continue;
            }
            let a_vals: Vec<f64> = a
                .numbers
                .iter()
                .filter(|q| q.unit == x.unit)
                .map(|q| q.value)
                .collect();
            let agrees = same_unit
                .iter()
                .any(|y| a_vals.iter().any(|v| (v - y.value).abs() < 1e-9));
            if !agrees {
                return Some(Conflict {
                    kind: ConflictKind::Number,
                    values: vec![x.text.clone(), same_unit[0].text.clone()],
                });
            }
        }
    }
    for (neg, other) in [(a, b), (b, a)] {
        if other.negative || sim < NEGATION_CONFLICT_THRESHOLD {
            continue;
        }
        if neg
            .negated
            .iter()
            .any(|p| other.stems.contains_key(p) && neg.stems.contains_key(p))
        {
            return Some(Conflict {
                kind: ConflictKind::Negation,
                values: vec![
                    truncate_chars(&neg.text, 120),
                    truncate_chars(&other.text, 120),
                ],
            });
        }
    }
    None
}

fn first(s: &BTreeSet<String>) -> String {
    s.iter().next().cloned().unwrap_or_default()
}

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

    // Candidate pairs through shared stems, then scored.
    let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        for k in c.stems.keys() {
            postings.entry(k.as_str()).or_default().push(i);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for list in postings.values().filter(|l| l.len() <= MAX_POSTING) {
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if claims[i].doc != claims[j].doc {
                    pairs.insert((i, j));
                }
            }
        }
    }
    let mut scored: Vec<(f64, usize, usize)> = pairs
        .into_iter()
        .map(|(i, j)| (sim.similarity(&claims[i], &claims[j]), i, j))
        .filter(|(s, _, _)| *s >= AGREE_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // Greedy grouping, strongest pairs first, at most one sentence per document per group.
    let mut group_of: Vec<usize> = (0..claims.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..claims.len()).map(|i| vec![i]).collect();
    let mut pair_scores: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); claims.len()];
    for (s, i, j) in scored {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let docs_i: BTreeSet<usize> = members[gi].iter().map(|&m| claims[m].doc).collect();
        if members[gj].iter().any(|&m| docs_i.contains(&claims[m].doc)) {
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
        pair_scores[keep].push((s, i, j));
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
        let conflict = ps
            .iter()
            .find_map(|&(s, i, j)| contradiction(&claims[i], &claims[j], s));
        let first_c = &claims[mem[0]];
        let ds: BTreeSet<usize> = mem.iter().map(|&m| orig_index[claims[m].doc]).collect();
        let kind = if conflict.is_some() {
            ClaimKind::Conflict
        } else {
            ClaimKind::Agreed
        };
        let rank = if conflict.is_some() { 0 } else { 1 };
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
            },
        ));
    }
    for (d, list) in lone {
        let mut best: Vec<usize> = list
            .into_iter()
            .filter(|&m| informativeness(&claims[m]) > 0)
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
                },
            ));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out.into_iter()
        .enumerate()
        .map(|(n, (_, mut c))| {
            c.id = format!("{story_id}-c{}", n + 1);
            c
        })
        .collect()
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
