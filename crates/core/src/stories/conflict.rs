//! Conflicts between claims of different outlets: the checks that tell a real, checkable
//! disagreement (two dates, two amounts, two spans of years, a negation) from a difference of
//! detail. They only read [`ClaimFeatures`]; which pairs are asked (the same fact apart from
//! the values, merely related, any two sentences) is decided by `align::align_claims`.
//!
//! Conflicts are deliberately rare: a wrong conflict costs a reader's trust more than a missed
//! one, so every check needs both a clear contradiction and evidence that the two sides speak
//! of the same thing (a shared actor, event word or context word).

use super::align::{ClaimFeatures, Quantity, SPECIFIC_ACTOR};
use super::lexicon::{event_group, is_content, normalize_word, stem};
use super::pair::{self, Variant};
use crate::model::{Conflict, ConflictKind, Entity, EntityType, Status};
use crate::text::{truncate_chars, words};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

pub(crate) static CUES: &str = include_str!("../../data/stories/conflict_cues.txt");

/// Stems of the context words that name no item (see the data file).
fn generic_context() -> &'static HashSet<String> {
    static G: OnceLock<HashSet<String>> = OnceLock::new();
    G.get_or_init(|| cue_set("generic_context"))
}

/// Index of a pair-model feature by name (the model's feature list is the authority).
fn feature(name: &str) -> Option<usize> {
    pair::FEATURES.iter().position(|f| *f == name)
}

/// "The same fact apart from the values": the pair model's probability with the values the
/// two sides disagree on not counted against the pair. A disagreement feature with a negative
/// weight is left out; one the fitted model gives a positive weight (a clash is only possible
/// between sentences that state the same kind of value, which same-fact pairs often do) is
/// kept, since leaving it out would lower the score for the very disagreement it should
/// ignore. Two dates that clash are counted as the agreement they would be had they matched
/// (`number_agree` counts dates that agree too): a date is the detail two accounts of one
/// event most often tell differently.
pub fn apart_from_values(v: &Variant, x: &[f64; pair::N_FEATURES]) -> f64 {
    let mut y = *x;
    if y[pair::DATE_CLASH] > 0.0 {
        if let Some(i) = feature("number_agree") {
            y[i] = 1.0;
        }
        y[pair::DATE_CLASH] = 0.0;
    }
    for i in pair::VALUE_FEATURES {
        if v.weights[i] < 0.0 {
            y[i] = 0.0;
        }
    }
    pair::probability(v, &y)
}

/// What the place check needs to know about a story: which actors are local places (cities,
/// towns: places the gazetteer does not know as a country, region or continent) and which
/// actors each article names anywhere.
#[derive(Debug, Default)]
pub struct StoryContext {
    /// Entity id -> name, for local places.
    local_places: HashMap<String, String>,
    /// Ids of every place entity (a place is never the actor two places are told of).
    places: HashSet<String>,
    /// Per document (index in the claims), every actor its claims name.
    doc_actors: HashMap<usize, HashSet<String>>,
    /// Per document, every exact amount its claims state (unit, value).
    doc_amounts: HashMap<usize, Vec<(String, f64)>>,
}

impl StoryContext {
    pub fn new(claims: &[ClaimFeatures], entities: &[Entity]) -> Self {
        let lx = crate::entities::lexicon::lexicon();
        // A town: a city of the gazetteer, or a place it does not know whose words are all
        // names ("Linden"; not "Congressional District", a common phrase typed as a place).
        let local = |e: &Entity| match lx.place(&e.name) {
            Some((_, p)) => matches!(p.kind.as_str(), "city" | "capital"),
            None => words(&e.name).all(|(_, w)| !lx.is_common(&w.to_lowercase())),
        };
        let local_places = entities
            .iter()
            .filter(|e| e.ty == EntityType::Place && local(e))
            .map(|e| (e.id.clone(), e.name.clone()))
            .collect();
        let places = entities
            .iter()
            .filter(|e| e.ty == EntityType::Place)
            .map(|e| e.id.clone())
            .collect();
        let mut doc_actors: HashMap<usize, HashSet<String>> = HashMap::new();
        let mut doc_amounts: HashMap<usize, Vec<(String, f64)>> = HashMap::new();
        for c in claims {
            doc_actors
                .entry(c.doc)
                .or_default()
                .extend(c.actors.iter().cloned());
            doc_amounts.entry(c.doc).or_default().extend(
                c.numbers
                    .iter()
                    .filter(|q| !q.approx)
                    .map(|q| (q.unit.clone(), q.value)),
            );
        }
        StoryContext {
            local_places,
            places,
            doc_actors,
            doc_amounts,
        }
    }

    /// Every check for two claims judged the same fact apart from their values. `same_fact`:
    /// the pair is the same fact even with its disagreement counted; a date conflict needs it
    /// (the fitted pair model does not count a date clash against a pair, so a pair with
    /// clashing dates below `agree` is not the same fact).
    pub fn contradiction(
        &self,
        a: &ClaimFeatures,
        b: &ClaimFeatures,
        same_fact: bool,
    ) -> Option<Conflict> {
        let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
        if quoted(a) || quoted(b) || cut_off(a) || cut_off(b) {
            return None;
        }
        let date = date_conflict(a, b);
        if date.is_some() {
            return date.filter(|_| same_fact);
        }
        // One digit apart first: the most specific account of two amounts.
        amount_digit_conflict(a, b)
            .or_else(|| contradiction(a, b))
            .or_else(|| self.amount_conflict(a, b))
            .or_else(|| self.place_conflict(a, b))
    }

    /// Each side states one exact amount of a unit, the two differ, and neither article states
    /// the other's amount anywhere: in two sentences already the same fact, two outlets giving
    /// the amount of one thing ("costing $1 million" / "reserved $500,000 of airtime"). An
    /// amount the other outlet also states is another fact of the story ("$43,000 watch" /
    /// "$750,000 of campaign money", both in both articles), not a second account.
    pub fn amount_conflict(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
        if a.actors.is_disjoint(&b.actors) {
            return None;
        }
        for x in a.numbers.iter().filter(|x| !x.approx) {
            let in_a = a.numbers.iter().filter(|q| q.unit == x.unit).count();
            let in_b: Vec<&Quantity> = b.numbers.iter().filter(|q| q.unit == x.unit).collect();
            let (1, [y]) = (in_a, in_b.as_slice()) else {
                continue;
            };
            if y.approx
                || y.period != x.period
                || same_amount(x, y)
                || !within_an_order(x.value, y.value)
            {
                continue;
            }
            // Either sentence also gives the other's figure, under another word read as its
            // unit or rounded ("1,626,042 valid signatures"; "roughly 1.5 million" for
            // "1,495,709"): they agree on it, and their other figures count other things.
            let gives = |c: &ClaimFeatures, v: &Quantity| {
                c.numbers.iter().any(|q| {
                    (q.value - v.value).abs() < 1e-9 || (q.unit == v.unit && same_amount(q, v))
                })
            };
            if gives(b, x) || gives(a, y) {
                continue;
            }
            let states = |doc: usize, v: f64| {
                self.doc_amounts
                    .get(&doc)
                    .is_some_and(|l| l.iter().any(|(u, w)| *u == x.unit && (w - v).abs() < 1e-9))
            };
            if states(b.doc, x.value) || states(a.doc, y.value) {
                continue;
            }
            return Some(Conflict {
                kind: ConflictKind::Number,
                values: vec![x.text.clone(), y.text.clone()],
                sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
            });
        }
        None
    }

    /// Two different towns for the same specific actor ("a student in Bellwood" / "a Linden
    /// woman", the same person named on both sides), or for the same person described by the
    /// same word on both sides and named on at most one ("Ada Brix, a student in Bellwood" /
    /// "a college student in Linden": `person_noun` in the cue file): each side names a local
    /// place the other article never names at all. Countries and regions are left out, so a difference of
    /// detail ("an Arvish court" / "a court in Velm", a city inside the country) is not a
    /// conflict, and so is a place both outlets know (two places of the story, not two
    /// accounts of one).
    pub fn place_conflict(&self, a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
        let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
        if quoted(a) || quoted(b) {
            return None;
        }
        let specific_actor = a.actor_weights.iter().any(|(k, w)| {
            *w >= SPECIFIC_ACTOR && b.actor_weights.contains_key(k) && !self.places.contains(k)
        });
        if !specific_actor && !same_person_word(a, b) {
            return None;
        }
        let places = |c: &ClaimFeatures, other: &ClaimFeatures| -> Vec<&str> {
            let elsewhere = self.doc_actors.get(&other.doc);
            c.actors
                .iter()
                .filter(|k| !elsewhere.is_some_and(|s| s.contains(*k)))
                .filter_map(|k| self.local_places.get(k).map(String::as_str))
                .filter(|name| !names_an_institution(&c.text, name))
                .collect()
        };
        let (pa, pb) = (places(a, b), places(b, a));
        let (Some(x), Some(y)) = (pa.first(), pb.first()) else {
            return None;
        };
        Some(Conflict {
            kind: ConflictKind::Place,
            values: vec![x.to_string(), y.to_string()],
            sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
        })
    }
}

/// Every mention of the place `name` in `text` stands for an institution ("Moscow officials",
/// "Velm authorities": `institution_noun` in the cue file), not for where something happened
/// or where someone lives.
fn names_an_institution(text: &str, name: &str) -> bool {
    let nouns = institution_nouns();
    let mut any = false;
    for (at, _) in text.match_indices(name) {
        any = true;
        let next = text[at + name.len()..]
            .split_whitespace()
            .next()
            .map(|w| normalize_word(w.trim_matches(|c: char| !c.is_alphanumeric())));
        if !next.is_some_and(|w| nouns.contains(&stem(&w))) {
            return false;
        }
    }
    any
}

/// Stems of the words of one kind of line in the cue file (`<kind> word word ...`).
fn cue_set(kind: &str) -> HashSet<String> {
    CUES.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix(kind))
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .flat_map(str::split_whitespace)
        .map(stem)
        .collect()
}

/// Both sentences describe someone by the same person noun ("student", "woman": `person_noun`
/// in the cue file), the way an unnamed person is told of: the place each gives is where that
/// person is.
fn same_person_word(a: &ClaimFeatures, b: &ClaimFeatures) -> bool {
    static N: OnceLock<HashSet<String>> = OnceLock::new();
    let nouns = N.get_or_init(|| cue_set("person_noun"));
    let of = |c: &ClaimFeatures| -> HashSet<String> {
        c.words
            .iter()
            .map(|w| stem(w))
            .filter(|w| nouns.contains(w))
            .collect()
    };
    !of(a).is_disjoint(&of(b))
}

/// Stems of the nouns that make a place name stand for an institution (see the data file).
fn institution_nouns() -> &'static HashSet<String> {
    static N: OnceLock<HashSet<String>> = OnceLock::new();
    N.get_or_init(|| cue_set("institution_noun"))
}

/// A contradiction between two claims already judged the same fact apart from their values:
/// two different dates of the same precision (days, months or years; "March" and "March 3"
/// are compatible), exact numbers of the same unit with none in common, or one side negating
/// a predicate the other states without any negation. Both sides must share an actor.
pub fn contradiction(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    // A quote against the outlet's own voice is two kinds of statement, not a disagreement.
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if quoted(a) || quoted(b) || cut_off(a) || cut_off(b) {
        return None;
    }
    // Dates are checked first: a side without any actor (\"the primary is in May\") can
    // still date the same event.
    if let Some(c) = date_conflict(a, b) {
        return Some(c);
    }
    if a.actors.is_disjoint(&b.actors) {
        return None;
    }
    let sides = || vec![a.sentence_id.clone(), b.sentence_id.clone()];
    if let Some(c) = year_range_conflict(a, b) {
        return Some(c);
    }
    for x in a.numbers.iter().filter(|x| !x.approx) {
        // The other side states this amount too (or rounds it): whatever else it counts is
        // something else ("a $43,000 watch" / "a $43,350 watch and $9,587.64 of furs").
        // The very same figure counts whatever word was read as its unit ("1,626,042
        // signatures" / "1,626,042 valid signatures").
        if b.numbers
            .iter()
            .any(|y| (y.unit == x.unit && same_amount(x, y)) || (y.value - x.value).abs() < 1e-9)
        {
            continue;
        }
        // The other side's amounts of the same item, each only when `x` is the one amount of
        // `a` whose context it shares most: in "$4,120.50 on a cruise and $7,341.20 at the
        // lodge", a "$7,845.90 stay at the lodge" may only be set against the lodge's amount,
        // and when two amounts of `a` share its context equally, which one it is about is not
        // known, so it is set against neither.
        let same_unit: Vec<&Quantity> = b
            .numbers
            .iter()
            .filter(|y| y.unit == x.unit && same_item(x, y))
            .filter(|y| {
                let shared = |q: &Quantity| q.context.intersection(&y.context).count();
                a.numbers
                    .iter()
                    .filter(|q| q.unit == x.unit && !std::ptr::eq(*q, x))
                    .all(|q| shared(q) < shared(x))
            })
            .collect();
        if same_unit.is_empty() || same_unit.iter().any(|y| y.approx) {
            continue;
        }
        let of_unit = |c: &'_ ClaimFeatures| -> Vec<f64> {
            c.numbers
                .iter()
                .filter(|q| q.unit == x.unit && !q.approx)
                .map(|q| q.value)
                .collect()
        };
        let (in_a, in_b) = (of_unit(a), of_unit(b));
        // Several amounts of the unit on both sides: which one answers which is not known
        // ("$2.3 trillion, $1.8 trillion and $1.5 trillion" / "$6 trillion ... $8.2 trillion").
        if in_a.len() > 1 && in_b.len() > 1 {
            continue;
        }
        if parts_of(&in_a, &in_b) || parts_of(&in_b, &in_a) {
            continue;
        }
        let agrees = same_unit.iter().any(|y| {
            a.numbers
                .iter()
                .any(|q| q.unit == x.unit && same_amount(q, y))
        });
        // The other side's amount nearest `x` is the one it tells differently; one more than
        // an order of magnitude away is the amount of something else ("$1,179 a month" /
        // "$6.5 trillion"), not a second account of this one.
        let nearest = same_unit
            .iter()
            .filter(|y| y.period == x.period)
            .min_by(|p, q| ratio(x.value, p.value).total_cmp(&ratio(x.value, q.value)));
        if let Some(y) = nearest.filter(|y| !agrees && within_an_order(x.value, y.value)) {
            return Some(Conflict {
                kind: ConflictKind::Number,
                values: vec![x.text.clone(), y.text.clone()],
                sentences: sides(),
            });
        }
    }
    // A negation is a disagreement between outlets only when both speak in their own voice:
    // against an attributed claim, an opinion or a speculation it sets one source's words
    // against another's ("critics question whether he can be impartial" / "they argued he
    // could not be impartial"), which agree more often than not. An open question ("whether
    // he will run", "did not say whether") asserts nothing to negate, or be negated.
    if !(own_voice(a) && own_voice(b)) || asks_whether(a) || asks_whether(b) {
        return None;
    }
    for (neg, other, flip) in [(a, b, false), (b, a, true)] {
        if other.negative {
            continue;
        }
        if neg
            .negated
            .iter()
            .any(|p| other.stems.contains_key(p) && neg.stems.contains_key(p))
        {
            let mut values = vec![
                truncate_chars(&neg.text, 120),
                truncate_chars(&other.text, 120),
            ];
            if flip {
                values.reverse();
            }
            return Some(Conflict {
                kind: ConflictKind::Negation,
                values,
                sentences: sides(),
            });
        }
    }
    None
}

/// A sentence cut off by its source ("with $1 trillion in..."), as feed summaries and
/// truncated bodies are: what its last figure or date counts is lost with the rest, so it is
/// never one side of a conflict (it may still agree).
pub(crate) fn cut_off(c: &ClaimFeatures) -> bool {
    let t = c.text.trim_end();
    t.ends_with("...") || t.ends_with('\u{2026}')
}

/// The outlet's own voice: a reported sentence (or one whose status is unknown, as in
/// free-standing pairs), not a quote, an attributed claim, an opinion or a speculation.
fn own_voice(c: &ClaimFeatures) -> bool {
    matches!(c.status, None | Some(Status::Reported))
}

/// The sentence asks an open question ("announces whether he will run"): it asserts neither
/// side of it.
fn asks_whether(c: &ClaimFeatures) -> bool {
    c.words.iter().any(|w| w == "whether")
}

/// Both sentences count the same thing and no figure of one is a figure of the other: they
/// disagree on a value. Such a pair is a conflict when the conflict checks say so and two
/// different facts otherwise ("pledged more than 1 billion doses" / "will donate 500 million
/// doses"; "62,500 refugees" / "no more than 15,000 refugees"), never an agreement: a reader
/// citing "agreed" must find the same figures on both sides.
///
/// Per unit: the sides agree when any figure of one is a figure of the other, rounded
/// ([`same_amount`]), approximated ("more than 200" / "212", within [`APPROX_RATIO`]), read
/// under another unit ("1,626,042 valid signatures" / "1,626,042 signatures") or broken into
/// parts that add up to it ([`parts_of`]); their other figures of the unit are then further
/// details. They disagree when no figure is shared and two of them count over the same span
/// ([`Quantity::period`]: a rate is not a total, an age not a duration). Money and percentages count anything, so those two must also share a
/// word saying what they count ("a $43,000 watch" is not an account of "$750,000 of campaign
/// money").
pub(crate) fn amounts_disagree(a: &ClaimFeatures, b: &ClaimFeatures) -> bool {
    let compatible = |x: &Quantity, y: &Quantity| {
        same_amount(x, y) || ((x.approx || y.approx) && ratio(x.value, y.value) <= APPROX_RATIO)
    };
    let gives = |c: &ClaimFeatures, v: &Quantity| {
        c.numbers.iter().any(|q| (q.value - v.value).abs() < 1e-9)
    };
    let generic = |q: &Quantity| matches!(q.unit.as_str(), "dollar" | "percent");
    a.numbers.iter().any(|x| {
        let xs: Vec<&Quantity> = a.numbers.iter().filter(|q| q.unit == x.unit).collect();
        let ys: Vec<&Quantity> = b.numbers.iter().filter(|q| q.unit == x.unit).collect();
        let pairs = || xs.iter().flat_map(|&p| ys.iter().map(move |&q| (p, q)));
        let values = |v: &[&Quantity]| v.iter().map(|q| q.value).collect::<Vec<f64>>();
        let (vx, vy) = (values(&xs), values(&ys));
        let shared = pairs().any(|(p, q)| compatible(p, q))
            || xs.iter().any(|p| gives(b, p))
            || ys.iter().any(|q| gives(a, q))
            || parts_of(&vx, &vy)
            || parts_of(&vy, &vx);
        !shared && pairs().any(|(p, q)| p.period == q.period && (!generic(p) || same_item(p, q)))
    })
}

/// One side breaks the other's amount into parts ("200 million this year and 300 million
/// next year" / "500 million doses"): several figures adding up to one of the other's.
fn parts_of(parts: &[f64], whole: &[f64]) -> bool {
    let total: f64 = parts.iter().sum();
    parts.len() > 1
        && whole
            .iter()
            .any(|w| (total - w).abs() <= 1e-9 * w.abs().max(1.0))
}

/// How far an approximate figure may be from another and still be an account of it
/// ("more than 200" / "212"; not "more than 1 billion" / "500 million").
const APPROX_RATIO: f64 = 1.5;

/// How many times larger the larger of two amounts is (infinite when one is 0).
fn ratio(x: f64, y: f64) -> f64 {
    let (lo, hi) = if x.abs() <= y.abs() {
        (x.abs(), y.abs())
    } else {
        (y.abs(), x.abs())
    };
    if lo == 0.0 {
        f64::INFINITY
    } else {
        hi / lo
    }
}

/// Two accounts of one amount differ by less than an order of magnitude ("$1 million" /
/// "$500,000"); amounts further apart are amounts of different things.
fn within_an_order(x: f64, y: f64) -> bool {
    ratio(x, y) <= ACCOUNT_RATIO
}

/// See [`within_an_order`].
const ACCOUNT_RATIO: f64 = 10.0;

/// The same amount, or the same amount rounded: one side writes a round figure (at most two
/// significant digits: "$43,000", "$1.5 million") within [`ROUNDING`] of the other's precise
/// one ("$43,350"). A writer rounding a figure is not disagreeing with it.
pub(crate) fn same_amount(x: &Quantity, y: &Quantity) -> bool {
    if (x.value - y.value).abs() < 1e-9 {
        return true;
    }
    let round = |q: &Quantity| {
        let digits: String = q.text.chars().filter(char::is_ascii_digit).collect();
        let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
        (1..=2).contains(&significant)
    };
    (round(x) || round(y))
        && (x.value - y.value).abs() <= ROUNDING * x.value.abs().max(y.value.abs())
}

/// The largest relative difference a round figure may have from the amount it rounds (see
/// [`same_amount`]): "$43,000" for "$43,350" (0.8%), not "$1 million" for "$500,000".
const ROUNDING: f64 = 0.05;

/// Two amounts share a context word that names an item (not just \"worth\" or \"total\").
fn same_item(x: &Quantity, y: &Quantity) -> bool {
    let generic = generic_context();
    x.context
        .intersection(&y.context)
        .any(|w| !generic.contains(w))
}

/// Two accounts of one event's date that cannot both be true: compared at the coarser
/// precision of the two ("mid May" against "April 30" is May against April; "March" against
/// "March 3" agrees), as many dates on each side, all near each other (two accounts of one
/// date differ by days, months or a year or two; dates far apart are different events), and
/// the dates attached to the same kind of event: the event word nearest each date
/// ("apologized on Friday" / "had to apologize Saturday"), since a lead sentence dates the
/// latest turn ("appointed Wednesday") and another outlet's sentence an earlier one
/// ("confirmed Tuesday"), and those are two events, not a disagreement. A side that names no
/// event word at all ("The primary is on April 30") dates whatever the pair is about.
fn date_conflict(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    if a.dates.is_empty() || a.dates.len() != b.dates.len() {
        return None;
    }
    let cut = a.dates.iter().chain(&b.dates).map(String::len).min()?;
    let at = |d: &BTreeSet<String>| -> BTreeSet<String> {
        d.iter()
            .filter_map(|x| x.get(..cut))
            .map(str::to_string)
            .collect()
    };
    // A day against a bare year is not two accounts of one date: the year is another
    // reference of the sentence ("signed on Thursday" / "after the 2020 election").
    let longest = a.dates.iter().chain(&b.dates).map(String::len).max()?;
    if cut == 4 && longest == 10 {
        return None;
    }
    // The date of a statement ("the White House said Friday" / "it said on Thursday") is
    // when someone spoke, and outlets quote different statements: not the event's date.
    if dates_a_statement(&a.text) || dates_a_statement(&b.text) {
        return None;
    }
    // The date of a change's starting point ("rose to 6.1% from 6% in March") is not the
    // date of the change: the other side's "in April" dates the new figure.
    if dates_a_base(&a.text) || dates_a_base(&b.text) {
        return None;
    }
    let (da, db) = (at(&a.dates), at(&b.dates));
    if !da.is_disjoint(&db) || da.len() != db.len() {
        return None;
    }
    if !da.iter().zip(&db).all(|(x, y)| dates_near(x, y)) {
        return None;
    }
    // One side dates something still ahead of its article, the other something already
    // past for its own ("next Tuesday's debate" / "the debate on Tuesday was supposed to"):
    // two events, not two accounts of one.
    if let (Some(ta), Some(tb)) = (tense(a), tense(b)) {
        if ta != tb {
            return None;
        }
    }
    let (ea, eb) = (dated_events(&a.text), dated_events(&b.text));
    let same_event = (ea.is_empty() || eb.is_empty() || !ea.is_disjoint(&eb))
        && !dated_words(&a.text).is_disjoint(&dated_words(&b.text));
    same_event.then(|| Conflict {
        kind: ConflictKind::Date,
        values: vec![join(&a.dates), join(&b.dates)],
        sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
    })
}

/// Whether every day a sentence names lies after its article's publication day (`Greater`)
/// or every one before it (`Less`); `None` when the article is undated, a date is coarser
/// than a day, or a day is the publication day itself (or the days point both ways).
fn tense(c: &ClaimFeatures) -> Option<std::cmp::Ordering> {
    let published = c.published?;
    let mut out = None;
    for d in &c.dates {
        let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
        let o = day.cmp(&published);
        if o == std::cmp::Ordering::Equal || out.is_some_and(|x| x != o) {
            return None;
        }
        out = Some(o);
    }
    out
}

/// Content words next to a date, on each side, that say what it dates.
const DATE_NEIGHBOURS: usize = 2;

/// The content words right around each date word of a sentence (two on each side, within
/// its clause, skipping small words, numbers, names and other date words), stemmed and
/// folded through event groups: what the date is the date of ("the primary would be held on
/// April 30": `primari`, `held`). Two dates of one event share one ("primaries in mid May"),
/// two dates of two events of the same kind usually do not ("primaries in mid May" / "an
/// election in June"). Names are left out because they say who, not what happened ("House
/// Republicans on Friday elevated" / "House Republicans on Wednesday ousted"), and a comma or
/// a dash ends the search because the next clause dates nothing ("hit 200 companies Friday,
/// demanding $70 million").
fn dated_words(text: &str) -> BTreeSet<String> {
    let raw: Vec<(usize, &str)> = words(text).collect();
    let toks: Vec<String> = raw.iter().map(|(_, w)| normalize_word(w)).collect();
    // A clause boundary between word k - 1 and word k.
    let boundary: Vec<bool> = raw
        .iter()
        .enumerate()
        .map(|(k, &(at, _))| {
            k > 0 && {
                let (prev_at, prev) = raw[k - 1];
                text.get(prev_at + prev.len()..at)
                    .is_some_and(|gap| gap.chars().any(|c| ",;:()[]—–".contains(c)))
            }
        })
        .collect();
    let capital = |k: usize| {
        raw.get(k)
            .is_some_and(|(_, w)| w.chars().next().is_some_and(char::is_uppercase))
    };
    // A capitalised word inside the sentence, or opening it as part of a longer name
    // ("House Republicans on Friday ...").
    let name = |k: usize| capital(k) && (k > 0 || capital(k + 1));
    let usable = |k: usize| {
        let w = &toks[k];
        is_content(w) && !is_date_word(w) && !w.chars().any(|c| c.is_ascii_digit()) && !name(k)
    };
    let fold = |w: &str| {
        let st = stem(w);
        event_group(&st).map_or(st, str::to_string)
    };
    let mut out = BTreeSet::new();
    for (i, _) in toks.iter().enumerate().filter(|(_, w)| is_date_word(w)) {
        let before = (0..i)
            .rev()
            .take_while(|&k| !boundary[k + 1])
            .filter(|&k| usable(k))
            .take(DATE_NEIGHBOURS);
        let after = (i + 1..toks.len())
            .take_while(|&k| !boundary[k])
            .filter(|&k| usable(k))
            .take(DATE_NEIGHBOURS);
        out.extend(before.chain(after).map(|k| fold(&toks[k])));
    }
    out
}

/// Words within which a reporting verb makes a date the date of a statement.
const STATEMENT_WINDOW: usize = 2;

/// Every date word of the sentence has a reporting verb ("said", "told", "announced", ...:
/// `report_verb` in `conflict_cues.txt`) within [`STATEMENT_WINDOW`] words.
fn dates_a_statement(text: &str) -> bool {
    let verbs = report_verbs();
    let toks: Vec<String> = words(text).map(|(_, w)| normalize_word(w)).collect();
    let mut any = false;
    for (i, _) in toks.iter().enumerate().filter(|(_, w)| is_date_word(w)) {
        any = true;
        let lo = i.saturating_sub(STATEMENT_WINDOW);
        let hi = (i + STATEMENT_WINDOW + 1).min(toks.len());
        if !toks[lo..hi].iter().any(|w| verbs.contains(&stem(w))) {
            return false;
        }
    }
    any
}

/// Words that may stand between "from" and the date of a change's starting point: its
/// figure and the small words around it ("from 6% in March", "from $2.1 billion in 2020",
/// "from March").
fn base_filler(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
        || matches!(
            w,
            "in" | "of"
                | "on"
                | "the"
                | "a"
                | "%"
                | "$"
                | "percent"
                | "per"
                | "cent"
                | "thousand"
                | "million"
                | "billion"
                | "trillion"
        )
}

/// Some date word of the sentence dates the starting point of a change: "from", then only
/// a figure and small words, then the date ("ticked up to 6.1% from 6% in March", "down 0.9%
/// from March").
fn dates_a_base(text: &str) -> bool {
    let toks: Vec<String> = words(text).map(|(_, w)| normalize_word(w)).collect();
    toks.iter()
        .enumerate()
        .filter(|(_, w)| is_date_word(w))
        .any(|(i, _)| {
            toks[..i]
                .iter()
                .rev()
                .find(|w| !base_filler(w))
                .is_some_and(|w| w == "from")
        })
}

/// Stems of the reporting verbs (see the data file).
fn report_verbs() -> &'static HashSet<String> {
    static V: OnceLock<HashSet<String>> = OnceLock::new();
    V.get_or_init(|| cue_set("report_verb"))
}

/// A month, a weekday or a four-digit year.
fn is_date_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    crate::text::MONTHS
        .iter()
        .chain(crate::text::WEEKDAYS.iter())
        .any(|m| *m == w || (w.len() >= 3 && m.starts_with(w)))
        || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
}

/// Words from which a date's event word is looked for, on each side of the date.
const DATE_EVENT_WINDOW: usize = 8;

/// The event groups of the event words nearest each date word of a sentence (a month, a
/// weekday or a year), within a few words.
fn dated_events(text: &str) -> BTreeSet<String> {
    let toks: Vec<String> = words(text).map(|(_, w)| normalize_word(w)).collect();
    let is_date = |w: &str| is_date_word(w);
    let groups: Vec<Option<&'static str>> = toks.iter().map(|w| event_group(&stem(w))).collect();
    let mut out = BTreeSet::new();
    for (i, _) in toks.iter().enumerate().filter(|(_, w)| is_date(w)) {
        let nearest = (1..=DATE_EVENT_WINDOW).find_map(|d| {
            let before = i.checked_sub(d).and_then(|k| groups[k]);
            let after = groups.get(i + d).copied().flatten();
            before.or(after)
        });
        if let Some(g) = nearest {
            out.insert(g.to_string());
        }
    }
    out
}

/// The same span of years told differently ("served from 1967 to 1979" / "held the seat from
/// 1966 to 1978"): one range a side, both ends within three years, not the same range, and an
/// actor in common that is not the story's main one (whose term it is). A span of years
/// attached to the same person is specific enough to be checked between sentences that are
/// only related, not the same fact as a whole (the span is often a side remark).
pub fn year_range_conflict(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    let ([ra], [rb]) = (a.year_ranges.as_slice(), b.year_ranges.as_slice()) else {
        return None;
    };
    let specific_actor = a
        .actor_weights
        .iter()
        .any(|(k, w)| *w >= SPECIFIC_ACTOR && b.actor_weights.contains_key(k));
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if ra == rb
        || (ra.0 - rb.0).abs() > 3
        || (ra.1 - rb.1).abs() > 3
        || !specific_actor
        || quoted(a)
        || quoted(b)
    {
        return None;
    }
    Some(Conflict {
        kind: ConflictKind::Date,
        values: vec![format!("{}-{}", ra.0, ra.1), format!("{}-{}", rb.0, rb.1)],
        sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
    })
}

/// The same precise amount told with one digit changed ("$5,687.75" / "$5,587.75" for the
/// same item): exact amounts of the same unit, written with at least five digits and as many
/// on each side, that differ in exactly one digit and share a context word. An amount that
/// precise names one item; two different items of a story almost never share all but one of
/// five or more digits, so this is checked between any two sentences of different outlets,
/// not only between sentences already aligned as the same fact (a long sentence listing
/// several expenses rarely scores as the same fact as a sentence naming one of them).
pub fn amount_digit_conflict(a: &ClaimFeatures, b: &ClaimFeatures) -> Option<Conflict> {
    let quoted = |c: &ClaimFeatures| c.status == Some(Status::Quote);
    if quoted(a) || quoted(b) {
        return None;
    }
    let digits =
        |q: &Quantity| -> Vec<char> { q.text.chars().filter(char::is_ascii_digit).collect() };
    for x in a.numbers.iter().filter(|x| !x.approx) {
        let dx = digits(x);
        if dx.len() < MIN_PRECISE_DIGITS {
            continue;
        }
        // The other side must not also state this very amount (then they agree on it).
        if b.numbers
            .iter()
            .any(|y| y.unit == x.unit && (y.value - x.value).abs() < 1e-9)
        {
            continue;
        }
        for y in b
            .numbers
            .iter()
            .filter(|y| !y.approx && y.unit == x.unit && !y.context.is_disjoint(&x.context))
        {
            let dy = digits(y);
            let differing = dx.iter().zip(&dy).filter(|(p, q)| p != q).count();
            if dy.len() == dx.len() && differing == 1 {
                return Some(Conflict {
                    kind: ConflictKind::Number,
                    values: vec![x.text.clone(), y.text.clone()],
                    sentences: vec![a.sentence_id.clone(), b.sentence_id.clone()],
                });
            }
        }
    }
    None
}

/// Digits from which an amount is precise enough to name one item (see
/// [`amount_digit_conflict`]).
const MIN_PRECISE_DIGITS: usize = 5;

/// Days further apart than this are not two accounts of one day. Outlets that disagree on a
/// day are a day apart ("apologized Friday" / "apologized Saturday": a late-night event, a time
/// zone); days 3 to 7 apart are much more often two events of one kind in a story that runs
/// for days ("struck on Tuesday" / "attacked early Friday"), or a weekday anchored in another
/// week than the writer meant.
const MAX_DAY_GAP: i64 = 2;

/// Two dates of the same precision close enough to be two accounts of one date: within
/// [`MAX_DAY_GAP`] days, 3 months or 3 years.
fn dates_near(x: &str, y: &str) -> bool {
    let num = |s: &str, r: std::ops::Range<usize>| s.get(r).and_then(|v| v.parse::<i64>().ok());
    match x.len() {
        10 => {
            let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            matches!((d(x), d(y)), (Some(a), Some(b)) if (a - b).num_days().abs() <= MAX_DAY_GAP)
        }
        7 => match (num(x, 0..4), num(x, 5..7), num(y, 0..4), num(y, 5..7)) {
            (Some(ya), Some(ma), Some(yb), Some(mb)) => {
                ((ya * 12 + ma) - (yb * 12 + mb)).abs() <= 3
            }
            _ => false,
        },
        4 => matches!((num(x, 0..4), num(y, 0..4)), (Some(a), Some(b)) if (a - b).abs() <= 3),
        _ => false,
    }
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
#[path = "conflict_tests.rs"]
mod tests;
