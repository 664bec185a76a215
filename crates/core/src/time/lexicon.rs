//! The time vocabulary, loaded once from `data/time/*.txt`.
//!
//! Kept as data so that the word lists can be reviewed and extended without touching the
//! grammar; every word in the lexicon is also a trigger for the cheap per-sentence prefilter.

use std::collections::HashMap;
use std::sync::OnceLock;

static LEXICON_DATA: &str = include_str!("../../data/time/lexicon.txt");
static TENSE_DATA: &str = include_str!("../../data/time/tense.txt");

/// What a lexicon word means to the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Month(u32),
    Weekday(u32),
    Number(u32),
    Ordinal(u32),
    Unit(Unit),
    Season(&'static str),
    Part(&'static str),
    SetAdverb(&'static str),
    Ref(&'static str),
    Zone(&'static str),
}

/// Calendar units, with their TIMEX3 letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Quarter,
    Decade,
    Century,
    Weekend,
}

impl Unit {
    fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "Y" => Unit::Year,
            "M" => Unit::Month,
            "W" => Unit::Week,
            "D" => Unit::Day,
            "H" => Unit::Hour,
            "MIN" => Unit::Minute,
            "S" => Unit::Second,
            "Q" => Unit::Quarter,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            "WE" => Unit::Weekend,
            _ => return None,
        })
    }

    /// True for units below a day, written after `T` in a TIMEX3 duration.
    pub fn is_clock(self) -> bool {
        matches!(self, Unit::Hour | Unit::Minute | Unit::Second)
    }

    /// The duration letter and multiplier: a decade is 10 years, a quarter 3 months.
    pub fn duration_letter(self) -> (&'static str, u32) {
        match self {
            Unit::Year => ("Y", 1),
            Unit::Month => ("M", 1),
            Unit::Week => ("W", 1),
            Unit::Day => ("D", 1),
            Unit::Hour => ("H", 1),
            Unit::Minute => ("M", 1),
            Unit::Second => ("S", 1),
            Unit::Quarter => ("M", 3),
            Unit::Decade => ("Y", 10),
            Unit::Century => ("Y", 100),
            Unit::Weekend => ("D", 2),
        }
    }

    /// The letter for an unknown amount (`PXY`, `PXDE`).
    pub fn vague_letter(self) -> &'static str {
        match self {
            Unit::Year => "Y",
            Unit::Month => "M",
            Unit::Week => "W",
            Unit::Day => "D",
            Unit::Hour => "H",
            Unit::Minute => "M",
            Unit::Second => "S",
            Unit::Quarter => "Q",
            Unit::Decade => "DE",
            Unit::Century => "CE",
            Unit::Weekend => "WE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    /// Listed so that the `-ed` rule does not take it for a past verb.
    Neutral,
    /// Future only when "to" follows ("plans to").
    FutureTo,
    /// A reporting verb: past, but only for an expression right next to it.
    Report,
}

/// How a tense word that is no verb dates the expressions of its clause (verbs and
/// auxiliaries are in [`Lexicon::tense`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// An adverb ("last", "next", "ago"): used only when the clause has no verb marker.
    Adverb,
    /// A preposition right before the expression ("since Monday"): decides alone.
    Preposition,
}

pub struct Lexicon {
    pub words: HashMap<&'static str, Word>,
    /// Verb markers (auxiliaries, modals, irregular past forms, reporting verbs, neutral words).
    pub tense: HashMap<&'static str, Tense>,
    /// Tense-bearing adverbs and prepositions.
    pub adverbs: HashMap<&'static str, (Tense, MarkerKind)>,
    /// Words that open a new clause (the governing-verb search stops there).
    pub clause: std::collections::HashSet<&'static str>,
    /// Capitalised words that give the weekday after them a name ("Black Monday").
    pub named_days: std::collections::HashSet<&'static str>,
    /// Event nouns that make "annual" a recurrence ("the annual conference").
    pub recurring: std::collections::HashSet<&'static str>,
}

fn leak_code(s: &str) -> &'static str {
    // Codes are a handful of short constants; interning them through a match keeps them static.
    match s {
        "SP" => "SP",
        "SU" => "SU",
        "FA" => "FA",
        "WI" => "WI",
        "MO" => "MO",
        "AF" => "AF",
        "EV" => "EV",
        "NI" => "NI",
        "P1D" => "P1D",
        "P1W" => "P1W",
        "P1M" => "P1M",
        "P1Y" => "P1Y",
        "PT1H" => "PT1H",
        "PRESENT_REF" => "PRESENT_REF",
        "PAST_REF" => "PAST_REF",
        "FUTURE_REF" => "FUTURE_REF",
        "Z" => "Z",
        "-05" => "-05",
        "-04" => "-04",
        "-06" => "-06",
        "-08" => "-08",
        "-07" => "-07",
        "+01" => "+01",
        "+02" => "+02",
        _ => "",
    }
}

pub fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut words = HashMap::new();
        let mut named_days = std::collections::HashSet::new();
        let mut recurring = std::collections::HashSet::new();
        for line in data_lines(LEXICON_DATA) {
            let mut it = line.split_whitespace();
            match (it.next(), it.next()) {
                (Some("namedday"), Some(w)) => {
                    named_days.insert(w);
                    continue;
                }
                (Some("recurring"), Some(w)) => {
                    recurring.insert(w);
                    continue;
                }
                _ => {}
            }
            let mut it = line.split_whitespace();
            let (Some(kind), Some(word), Some(value)) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            let num = value.parse::<u32>().ok();
            let code = leak_code(value);
            let w = match (kind, num) {
                ("month", Some(n)) => Word::Month(n),
                ("weekday", Some(n)) => Word::Weekday(n),
                ("number", Some(n)) => Word::Number(n),
                ("ordinal", Some(n)) => Word::Ordinal(n),
                ("unit", _) => match Unit::parse(value) {
                    Some(u) => Word::Unit(u),
                    None => continue,
                },
                ("season", _) if !code.is_empty() => Word::Season(code),
                ("part", _) if !code.is_empty() => Word::Part(code),
                ("setadv", _) if !code.is_empty() => Word::SetAdverb(code),
                ("ref", _) if !code.is_empty() => Word::Ref(code),
                ("zone", _) if !code.is_empty() => Word::Zone(code),
                _ => continue,
            };
            words.entry(word).or_insert(w);
        }
        let mut tense = HashMap::new();
        let mut adverbs = HashMap::new();
        let mut clause = std::collections::HashSet::new();
        for line in data_lines(TENSE_DATA) {
            let mut it = line.split_whitespace();
            match (it.next(), it.next()) {
                (Some("past"), Some(w)) => {
                    tense.insert(w, Tense::Past);
                }
                (Some("future"), Some(w)) => {
                    tense.insert(w, Tense::Future);
                }
                (Some("report"), Some(w)) => {
                    tense.insert(w, Tense::Report);
                }
                (Some("future_to"), Some(w)) => {
                    tense.insert(w, Tense::FutureTo);
                }
                (Some("neutral"), Some(w)) => {
                    tense.entry(w).or_insert(Tense::Neutral);
                }
                (Some("past_adv"), Some(w)) => {
                    adverbs.insert(w, (Tense::Past, MarkerKind::Adverb));
                }
                (Some("future_adv"), Some(w)) => {
                    adverbs.insert(w, (Tense::Future, MarkerKind::Adverb));
                }
                (Some("past_prep"), Some(w)) => {
                    adverbs.insert(w, (Tense::Past, MarkerKind::Preposition));
                }
                (Some("future_prep"), Some(w)) => {
                    adverbs.insert(w, (Tense::Future, MarkerKind::Preposition));
                }
                (Some("clause"), Some(w)) => {
                    clause.insert(w);
                }
                _ => {}
            }
        }
        Lexicon {
            words,
            tense,
            adverbs,
            clause,
            named_days,
            recurring,
        }
    })
}

/// Non-empty, non-comment lines of a data file.
pub fn data_lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Extra trigger words the grammar knows that are not in the lexicon proper.
pub const GRAMMAR_TRIGGERS: &[&str] = &[
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "ago",
    "later",
    "earlier",
    "noon",
    "midnight",
    "past",
    "future",
    "present",
    "recent",
    "current",
    "annual",
    "every",
    "each",
    "per",
    "decades",
    "fiscal",
    "fy",
    "q1",
    "q2",
    "q3",
    "q4",
    "term",
    "being",
    "time",
    "same",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_loads_every_kind() {
        let l = lexicon();
        assert_eq!(l.words.get("february"), Some(&Word::Month(2)));
        assert_eq!(l.words.get("sunday"), Some(&Word::Weekday(7)));
        assert_eq!(l.words.get("six"), Some(&Word::Number(6)));
        assert_eq!(l.words.get("hours"), Some(&Word::Unit(Unit::Hour)));
        assert_eq!(l.words.get("spring"), Some(&Word::Season("SP")));
        assert_eq!(l.words.get("now"), Some(&Word::Ref("PRESENT_REF")));
        assert_eq!(l.words.get("utc"), Some(&Word::Zone("Z")));
        assert_eq!(l.tense.get("will"), Some(&Tense::Future));
        assert_eq!(l.tense.get("was"), Some(&Tense::Past));
        assert_eq!(
            l.adverbs.get("next"),
            Some(&(Tense::Future, MarkerKind::Adverb))
        );
        assert_eq!(
            l.adverbs.get("since"),
            Some(&(Tense::Past, MarkerKind::Preposition))
        );
        assert!(l.clause.contains("which"));
    }
}
