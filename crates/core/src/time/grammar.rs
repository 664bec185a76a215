//! The recogniser: hand-written matchers over tokens, tried at each position, longest first.
//!
//! Extents follow TimeML: prepositions ("on", "in", "for") stay outside, determiners and
//! modifiers ("the", "early", "nearly", "the past") are inside. Each matcher is a small
//! function over the token slice, so the work per sentence is linear in its tokens times a
//! small constant (no backtracking, no regex).

use super::lexicon::{lexicon, Unit, Word};
use super::sem::{Sem, Shift, YearRef};
use super::tokens::Tok;

/// One recognised expression: tokens `start..end` of the sentence and their meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
}

pub struct Grammar<'t, 'a> {
    toks: &'t [Tok<'a>],
}

/// Prefixes that modify a date without changing its value (TIMEX3 `mod`).
const DATE_MODS: &[&[&str]] = &[
    &["the", "end", "of"],
    &["the", "beginning", "of"],
    &["the", "start", "of"],
    &["the", "middle", "of"],
    &["the", "turn", "of"],
    &["end", "of"],
    &["beginning", "of"],
    &["start", "of"],
    &["early", "-"],
    &["late", "-"],
    &["mid", "-"],
    &["early"],
    &["late"],
    &["mid"],
];

/// Phrases for "one year before" after "the same period" ("the same month a year ago").
const YEAR_BACK: &[&[&str]] = &[
    &["last", "year"],
    &["a", "year", "ago"],
    &["a", "year", "earlier"],
    &["a", "year", "before"],
    &["one", "year", "ago"],
    &["one", "year", "earlier"],
    &["the", "previous", "year"],
    &["the", "prior", "year"],
    &["the", "year", "before"],
    &["the", "last", "year"],
];

/// Prefixes that modify a duration ("nearly five months", "more than a year").
const DURATION_MODS: &[&[&str]] = &[
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
    &["at", "least"],
    &["up", "to"],
    &["nearly"],
    &["almost"],
    &["about"],
    &["around"],
    &["approximately"],
    &["roughly"],
    &["over"],
    &["some"],
];

impl<'t, 'a> Grammar<'t, 'a> {
    pub fn new(toks: &'t [Tok<'a>]) -> Self {
        Grammar { toks }
    }

    fn low(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.low.as_str())
    }

    fn tok(&self, i: usize) -> Option<&Tok<'a>> {
        self.toks.get(i)
    }

    fn word(&self, i: usize) -> Option<Word> {
        lexicon().words.get(self.low(i)).copied()
    }

    /// True when tokens from `i` spell `seq`.
    fn seq(&self, i: usize, seq: &[&str]) -> bool {
        seq.iter().enumerate().all(|(k, w)| self.low(i + k) == *w)
    }

    /// True when token `i` is punctuation, or beyond the end.
    fn is_punct_or_end(&self, i: usize) -> bool {
        self.tok(i)
            .is_none_or(|t| !t.text.chars().next().is_some_and(char::is_alphanumeric))
    }

    /// All expressions of the sentence, left to right, non-overlapping.
    pub fn all(&self) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        let headline = self.is_headline();
        while i < self.toks.len() {
            match self.at(i) {
                Some(m) if m.end > i => {
                    i = m.end;
                    if headline || !self.is_title(&m) {
                        out.push(m);
                    }
                }
                _ => i += 1,
            }
        }
        out
    }

    /// A headline in title case: most longer words capitalised. Its capitals say nothing.
    fn is_headline(&self) -> bool {
        let long: Vec<&Tok<'_>> = self
            .toks
            .iter()
            .filter(|t| t.is_word() && t.text.chars().count() >= 4)
            .collect();
        long.len() >= 3 && long.iter().filter(|t| t.is_capitalised()).count() * 10 >= long.len() * 6
    }

    /// True when the match is (part of) a title: a word that is written in lower case as a
    /// time word ("this", "week", "today", "tonight") is capitalised in mid-sentence, as in
    /// the programme "This Week" or "the Today show". Months, weekdays and all-capital codes
    /// ("UTC") are capitalised anyway.
    fn is_title(&self, m: &Match) -> bool {
        if matches!(m.sem, Sem::NamedDay) {
            return false;
        }
        (m.start..m.end).any(|k| {
            let Some(t) = self.tok(k) else {
                return false;
            };
            let initial = k == 0
                || self.tok(k - 1).is_some_and(|p| {
                    matches!(
                        p.text,
                        "\"" | "“"
                            | "‘"
                            | "'"
                            | "("
                            | ":"
                            | "—"
                            | "–"
                            | "-"
                            | "["
                            | "."
                            | "?"
                            | "!"
                    )
                });
            let lower_word = match self.word(k) {
                Some(Word::Month(_) | Word::Weekday(_) | Word::Zone(_) | Word::Season(_)) => false,
                Some(_) => true,
                None => matches!(
                    t.low.as_str(),
                    "this"
                        | "next"
                        | "last"
                        | "today"
                        | "tonight"
                        | "yesterday"
                        | "tomorrow"
                        | "ago"
                        | "later"
                        | "earlier"
                        | "past"
                        | "coming"
                        | "previous"
                        | "following"
                        | "same"
                        | "that"
                ),
            };
            let all_caps = t.text.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !t.text.chars().any(char::is_lowercase);
            lower_word && t.is_capitalised() && !all_caps && !initial
        })
    }

    /// The longest expression starting at token `i`, with any modifier prefix.
    pub fn at(&self, i: usize) -> Option<Match> {
        for m in DATE_MODS {
            if self.seq(i, m) {
                let j = i + m.len();
                // "the end of the year", "the start of the day": the unit in context.
                if self.low(j) == "the" {
                    if let Some((unit, false)) = self.unit(j + 1) {
                        return Some(Match {
                            start: i,
                            end: j + 2,
                            sem: Sem::Anaphoric { n: 0, unit },
                        });
                    }
                }
                if let Some(x) = self.core(j) {
                    if is_date_like(&x.sem) {
                        return Some(Match { start: i, ..x });
                    }
                }
            }
        }
        for m in DURATION_MODS {
            if self.seq(i, m) {
                if let Some(x) = self.core(i + m.len()) {
                    if matches!(x.sem, Sem::Duration { .. }) {
                        return Some(Match { start: i, ..x });
                    }
                }
            }
        }
        self.core(i)
    }

    fn core(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let first = t.text.chars().next()?;
        if first.is_ascii_digit() {
            return self
                .iso_date(i)
                .or_else(|| self.slash_date(i))
                .or_else(|| self.clock(i))
                .or_else(|| self.day_month(i))
                .or_else(|| self.amount(i))
                .or_else(|| self.year(i));
        }
        if first == '\'' || first == '’' {
            return self.apostrophe_year(i);
        }
        if !first.is_alphabetic() {
            return None;
        }
        let w = self.word(i);
        match w {
            Some(Word::Month(_)) => return self.month_first(i),
            Some(Word::Weekday(_)) => return self.weekday(i),
            Some(Word::SetAdverb(v)) => {
                return Some(Match {
                    start: i,
                    end: i + 1,
                    sem: Sem::Set(v.to_string()),
                })
            }
            Some(Word::Ref(v)) => return self.reference_word(i, v),
            Some(Word::Ordinal(_)) => return self.quarter(i, i),
            _ => {}
        }
        match t.low.as_str() {
            "today" | "tonight" | "yesterday" | "tomorrow" => return self.deictic_day(i),
            "earlier" | "later" => {
                return self.earlier_later(i).or_else(|| self.vague_later(i));
            }
            "this" | "last" | "next" | "past" | "coming" | "previous" | "following" | "that" => {
                return self.relative(i, i);
            }
            "the" => return self.the_phrase(i),
            "every" | "each" => return self.set_every(i),
            "annual" => {
                // "the annual conference": a recurring event (every year); "an annual loss":
                // a length of one year.
                let next = self.tok(i + 1);
                let recurring = next.is_some_and(|t| {
                    (t.is_capitalised() && t.is_word())
                        || lexicon().recurring.contains(t.low.as_str())
                });
                return Some(Match {
                    start: i,
                    end: i + 1,
                    sem: if recurring {
                        Sem::Set("P1Y".into())
                    } else {
                        Sem::Duration {
                            n: Some(1.0),
                            unit: Unit::Year,
                        }
                    },
                });
            }
            "fiscal" | "fy" => return self.fiscal(i),
            "q1" | "q2" | "q3" | "q4" => {
                let q = t.low[1..].parse().ok()?;
                return Some(self.with_year_after(i, i + 1, |y| Sem::Quarter { q, y }));
            }
            "noon" | "midnight" => {
                let h = if t.low == "noon" { 12 } else { 24 };
                return Some(Match {
                    start: i,
                    end: i + 1,
                    sem: Sem::Clock {
                        day: None,
                        h,
                        min: 0,
                        zone: None,
                    },
                });
            }
            "recent" | "current" => return self.recent_current(i),
            _ => {}
        }
        if let Some(Word::Season(s)) = w {
            return self.season(i, s, false);
        }
        if let Some(Word::Part(p)) = w {
            return self.part_in_context(i, i, p);
        }
        self.amount(i)
            .or_else(|| self.vague_amount(i))
            .or_else(|| self.bare_plural(i))
            .or_else(|| self.fiscal_joined(i))
    }

    // ---- numbers -------------------------------------------------------------------------

    /// A day of month at `i` ("21", "21st", "2nd"), with the token count.
    fn day_number(&self, i: usize) -> Option<u32> {
        let t = self.tok(i)?;
        let d = if let Some(v) = t.int {
            if t.digits > 2 {
                return None;
            }
            v
        } else {
            let digits: String = t.low.chars().take_while(char::is_ascii_digit).collect();
            let rest = &t.low[digits.len()..];
            if digits.is_empty() || digits.len() > 2 || !matches!(rest, "st" | "nd" | "rd" | "th") {
                return None;
            }
            digits.parse().ok()?
        };
        (1..=31).contains(&d).then_some(d)
    }

    /// A four-digit year at `i` that reads as a calendar year.
    fn year_number(&self, i: usize) -> Option<i32> {
        let t = self.tok(i)?;
        if t.digits != 4 {
            return None;
        }
        let y = t.int? as i32;
        (1800..=2099).contains(&y).then_some(y)
    }

    /// An amount at `i`: digits, number words ("twenty-five", "two and a half", "a"), with the
    /// index after it.
    fn number(&self, i: usize) -> Option<(f64, usize)> {
        let t = self.tok(i)?;
        if t.digits > 0 {
            let v: f64 = t.text.parse().ok()?;
            return Some((v, i + 1));
        }
        if t.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // "2.5" or "3,200"
            let v: f64 = t.text.replace(',', "").parse().ok()?;
            return Some((v, i + 1));
        }
        if t.low == "half" && matches!(self.low(i + 1), "a" | "an") {
            return Some((0.5, i + 2));
        }
        if t.low == "a" && self.low(i + 1) == "couple" && self.low(i + 2) == "of" {
            return Some((2.0, i + 3));
        }
        if t.low == "a" && self.low(i + 1) == "dozen" {
            return Some((12.0, i + 2));
        }
        let Some(Word::Number(n)) = self.word(i) else {
            return None;
        };
        let mut v = n as f64;
        let mut j = i + 1;
        // "twenty-five", "twenty five"
        if n >= 20 && n % 10 == 0 && n < 100 {
            let k = if self.low(j) == "-" { j + 1 } else { j };
            if let Some(Word::Number(u)) = self.word(k) {
                if (1..10).contains(&u) && !matches!(self.low(k), "a" | "an") {
                    v += u as f64;
                    j = k + 1;
                }
            }
        }
        // "two and a half"
        if self.seq(j, &["and", "a", "half"]) {
            v += 0.5;
            j += 3;
        }
        Some((v, j))
    }

    /// A unit word at `i` (singular or plural), with the index after it.
    fn unit(&self, i: usize) -> Option<(Unit, bool)> {
        match self.word(i) {
            Some(Word::Unit(u)) => Some((u, self.low(i).ends_with('s'))),
            _ => None,
        }
    }

    // ---- digit-led forms ------------------------------------------------------------------

    fn iso_date(&self, i: usize) -> Option<Match> {
        let y = self.year_number(i)?;
        if self.low(i + 1) != "-" || self.tok(i + 2)?.digits != 2 {
            return None;
        }
        let m = self.tok(i + 2)?.int?;
        if !(1..=12).contains(&m) || self.tok(i + 1)?.space_before || self.tok(i + 2)?.space_before
        {
            return None;
        }
        if self.low(i + 3) == "-"
            && self
                .tok(i + 4)
                .is_some_and(|t| t.digits == 2 && !t.space_before)
        {
            let d = self.tok(i + 4)?.int?;
            if (1..=31).contains(&d) {
                return Some(Match {
                    start: i,
                    end: i + 5,
                    sem: Sem::Cal {
                        y: YearRef::Explicit(y),
                        m,
                        d: Some(d),
                    },
                });
            }
        }
        None
    }

    /// US order `m/d/yyyy` or `m/d/yy`.
    fn slash_date(&self, i: usize) -> Option<Match> {
        if self.low(i + 1) != "/" || self.low(i + 3) != "/" {
            return None;
        }
        let (a, b) = (self.tok(i)?.int?, self.tok(i + 2)?.int?);
        let yt = self.tok(i + 4)?;
        let y = match yt.digits {
            4 => yt.int? as i32,
            2 => {
                let v = yt.int? as i32;
                if v < 50 {
                    2000 + v
                } else {
                    1900 + v
                }
            }
            _ => return None,
        };
        let (m, d) = if a > 12 && b <= 12 { (b, a) } else { (a, b) };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some(Match {
            start: i,
            end: i + 5,
            sem: Sem::Cal {
                y: YearRef::Explicit(y),
                m,
                d: Some(d),
            },
        })
    }

    /// "3 p.m.", "6:40 p.m.", "16:08 UTC", "0800 GMT", optionally followed by a day word.
    fn clock(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let mut j;
        let (mut h, min);
        if self.low(i + 1) == ":" && self.tok(i + 2).is_some_and(|x| x.digits == 2) {
            h = t.int?;
            min = self.tok(i + 2)?.int?;
            j = i + 3;
        } else if t.digits == 4 && matches!(self.word(i + 1), Some(Word::Zone(_))) {
            let v = t.int?;
            h = v / 100;
            min = v % 100;
            j = i + 1;
        } else if t.digits > 0 && t.digits <= 2 && is_ampm(self.low(i + 1)) {
            h = t.int?;
            min = 0;
            j = i + 1;
        } else {
            return None;
        }
        if h > 24 || min > 59 {
            return None;
        }
        let mut saw_marker = false;
        if is_ampm(self.low(j)) {
            let pm = self.low(j).starts_with('p');
            if h > 12 || h == 0 {
                return None;
            }
            if pm && h < 12 {
                h += 12;
            } else if !pm && h == 12 {
                h = 0;
            }
            j += 1;
            saw_marker = true;
        }
        let mut zone = None;
        if let Some(Word::Zone(z)) = self.word(j) {
            zone = Some(z);
            j += 1;
            saw_marker = true;
        }
        if !saw_marker && self.low(i + 1) == ":" && t.digits > 2 {
            return None;
        }
        // A day named right after the time: "12:00 UTC Monday", "16:00 UTC today".
        let mut day = None;
        if let Some(d) = self.day_word(j) {
            day = Some(Box::new(d.sem));
            j = d.end;
        } else if self.low(j) == "," || self.low(j) == "on" {
            // "16:15 UTC, June 1st"
            // The date gives the clock its day but stays an expression of its own.
            if let Some(d) = self.month_first(j + 1).or_else(|| self.weekday(j + 1)) {
                if matches!(d.sem, Sem::Cal { d: Some(_), .. } | Sem::Weekday { .. })
                    && self.low(j) == ","
                {
                    day = Some(Box::new(d.sem));
                }
            }
        }
        Some(Match {
            start: i,
            end: j,
            sem: Sem::Clock { day, h, min, zone },
        })
    }

    /// A weekday or deictic day word at `i`, for attaching to a clock time.
    fn day_word(&self, i: usize) -> Option<Match> {
        match self.word(i) {
            Some(Word::Weekday(_)) => self.weekday(i),
            _ if matches!(self.low(i), "today" | "yesterday" | "tomorrow") => self.deictic_day(i),
            _ => None,
        }
    }

    /// "21 January 2025", "10 February", "11th of December".
    fn day_month(&self, i: usize) -> Option<Match> {
        let d = self.day_number(i)?;
        let mut j = i + 1;
        if self.low(j) == "of" {
            j += 1;
        }
        let Some(Word::Month(m)) = self.word(j) else {
            return None;
        };
        if !self.tok(j)?.is_capitalised() {
            return None;
        }
        j += 1;
        if self.low(j) == "." {
            j += 1;
        }
        let k = if self.low(j) == "," { j + 1 } else { j };
        let (y, end) = match self.year_number(k) {
            Some(y) => (YearRef::Explicit(y), k + 1),
            None => (YearRef::Implicit, j),
        };
        Some(Match {
            start: i,
            end,
            sem: Sem::Cal { y, m, d: Some(d) },
        })
    }

    fn year(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        // "1990s", "70s"
        if let Some(num) = t.low.strip_suffix('s') {
            if num.len() == 4 && num.ends_with('0') && num.bytes().all(|b| b.is_ascii_digit()) {
                let v: i32 = num.parse().ok()?;
                return Some(self.decade_match(i, i + 1, v / 10));
            }
            if num.len() == 2 && num.ends_with('0') && num.bytes().all(|b| b.is_ascii_digit()) {
                let v: i32 = num.parse().ok()?;
                let century = if v < 30 { 200 } else { 190 };
                return Some(self.decade_match(i, i + 1, century + v / 10));
            }
            return None;
        }
        let y = self.year_number(i)?;
        // "the Russell 2000 Index", "Vision 2030 Plan": a number inside a name.
        if self.inside_name(i, i + 1) {
            return None;
        }
        let prev = i.checked_sub(1).map_or("", |p| self.low(p));
        let next = self.low(i + 1);
        if matches!(prev, "$" | "€" | "£" | "#" | "no" | "number" | "us$")
            || matches!(next, "%" | "percent" | "per" | "cent")
            || (prev == "," && i >= 2 && self.tok(i - 2).is_some_and(|t| t.digits > 0))
        {
            return None;
        }
        Some(Match {
            start: i,
            end: i + 1,
            sem: Sem::Year(YearRef::Explicit(y)),
        })
    }

    /// True when tokens `a..b` sit between two capitalised words that are no time words
    /// ("Russell 2000 Index"), or right after one with no space ("iLife '11"): part of a name.
    fn inside_name(&self, a: usize, b: usize) -> bool {
        let name_word = |k: usize| {
            self.tok(k).is_some_and(|t| {
                t.is_word()
                    && t.text.chars().any(char::is_uppercase)
                    && !matches!(
                        self.word(k),
                        Some(Word::Month(_) | Word::Weekday(_) | Word::Season(_))
                    )
            })
        };
        let Some(p) = a.checked_sub(1) else {
            return false;
        };
        // A sentence-initial capital ("In 2009 ...") says nothing.
        if p == 0 && self.tok(p).is_some_and(|t| t.is_capitalised()) {
            return false;
        }
        name_word(p) && name_word(b)
    }

    fn decade_match(&self, i: usize, end: usize, dec: i32) -> Match {
        let start = if i > 0 && self.low(i - 1) == "the" {
            i - 1
        } else {
            i
        };
        Match {
            start,
            end,
            sem: Sem::Decade(dec),
        }
    }

    /// "'82", "'90s". After a name it is a version or an edition ("iLife '11", "Expo '98"),
    /// not a date.
    fn apostrophe_year(&self, i: usize) -> Option<Match> {
        let t = self.tok(i + 1)?;
        if self.tok(i + 1)?.space_before {
            return None;
        }
        if let Some(p) = i.checked_sub(1).and_then(|p| self.tok(p)) {
            let time_word = self.word(i - 1).is_some();
            if p.is_word() && p.text.chars().any(char::is_uppercase) && !time_word && i > 1 {
                return None;
            }
        }
        if t.digits == 2 {
            let v = t.int? as i32;
            let y = if v < 30 { 2000 + v } else { 1900 + v };
            return Some(Match {
                start: i,
                end: i + 2,
                sem: Sem::Year(YearRef::Explicit(y)),
            });
        }
        let num = t.low.strip_suffix('s')?;
        if num.len() == 2 && num.bytes().all(|b| b.is_ascii_digit()) {
            let v: i32 = num.parse().ok()?;
            let c = if v < 30 { 200 } else { 190 };
            return Some(self.decade_match(i, i + 2, c + v / 10));
        }
        None
    }

    // ---- amounts: durations, "ago", "later" ---------------------------------------------

    /// "three years", "48 hours", "12-year", "two days later", "a week ago".
    fn amount(&self, i: usize) -> Option<Match> {
        let (n, mut j) = self.number(i)?;
        // "between 60 and 90 days": the first number borrows the unit.
        if matches!(self.low(j), "and" | "to" | "or") {
            if let Some((_, k)) = self.number(j + 1) {
                if let Some((unit, true)) = self.unit(k) {
                    if self
                        .tok(i)
                        .is_some_and(|t| t.digits > 0 || !matches!(t.low.as_str(), "a" | "an"))
                    {
                        return Some(Match {
                            start: i,
                            end: j,
                            sem: Sem::Duration { n: Some(n), unit },
                        });
                    }
                }
            }
        }
        let hyphen = self.low(j) == "-";
        if hyphen {
            j += 1;
        }
        // "six straight days", "five trading days".
        if !hyphen
            && matches!(
                self.low(j),
                "straight"
                    | "consecutive"
                    | "successive"
                    | "trading"
                    | "business"
                    | "working"
                    | "full"
                    | "calendar"
                    | "more"
                    | "additional"
                    | "further"
            )
            && self.unit(j + 1).is_some()
        {
            j += 1;
        }
        let (unit, _plural) = self.unit(j)?;
        if unit == Unit::Weekend {
            return None;
        }
        j += 1;
        let is_article = matches!(self.low(i), "a" | "an");
        // "about a quarter of its dealers": a fraction, not three months.
        if is_article
            && unit == Unit::Quarter
            && !matches!(self.low(j), "ago" | "later" | "earlier")
        {
            return None;
        }
        if !hyphen {
            match self.low(j) {
                "ago" => {
                    return Some(Match {
                        start: i,
                        end: j + 1,
                        sem: Sem::Ago { n, unit },
                    })
                }
                "later" | "afterwards" | "earlier" => {
                    let sign = if self.low(j) == "earlier" { -1 } else { 1 };
                    return Some(Match {
                        start: i,
                        end: j + 1,
                        sem: Sem::Anaphoric {
                            n: sign * n.round() as i64,
                            unit,
                        },
                    });
                }
                "before" | "after" if self.is_punct_or_end(j + 1) => {
                    let sign = if self.low(j) == "before" { -1 } else { 1 };
                    return Some(Match {
                        start: i,
                        end: j + 1,
                        sem: Sem::Anaphoric {
                            n: sign * n.round() as i64,
                            unit,
                        },
                    });
                }
                _ => {}
            }
        }
        if is_article && !hyphen {
            // "once a year", "$5 million a year", "twice a week": a frequency.
            let prev = i.checked_sub(1).map_or("", |p| self.low(p));
            let prev_num = i
                .checked_sub(1)
                .and_then(|p| self.tok(p))
                .is_some_and(|t| t.digits > 0);
            if matches!(
                prev,
                "once" | "twice" | "times" | "million" | "billion" | "thousand" | "per"
            ) || prev_num
            {
                let (letter, mult) = unit.duration_letter();
                let v = if unit.is_clock() {
                    format!("PT{mult}{letter}")
                } else {
                    format!("P{mult}{letter}")
                };
                return Some(Match {
                    start: i,
                    end: j,
                    sem: Sem::Set(v),
                });
            }
        }
        // "a 20 year" style hyphenless adjectives are plain durations too.
        if hyphen && matches!(self.low(j), "-") && self.low(j + 1) == "long" {
            j += 2;
        }
        Some(Match {
            start: i,
            end: j,
            sem: Sem::Duration { n: Some(n), unit },
        })
    }

    /// "several years", "a few days ago", "many months", "recent years".
    fn vague_amount(&self, i: usize) -> Option<Match> {
        let mut j = i;
        if self.seq(i, &["over", "the"]) {
            // "over the years"
            if let Some((unit, true)) = self.unit(i + 2) {
                if unit != Unit::Weekend {
                    return Some(Match {
                        start: i,
                        end: i + 3,
                        sem: Sem::Duration { n: None, unit },
                    });
                }
            }
            return None;
        }
        if self.seq(i, &["a", "few"]) {
            j = i + 2;
        } else if matches!(self.low(i), "several" | "many" | "few" | "numerous") {
            j = i + 1;
        }
        if j == i {
            return None;
        }
        let (unit, plural) = self.unit(j)?;
        if !plural || unit == Unit::Weekend {
            return None;
        }
        j += 1;
        if self.low(j) == "ago" {
            return Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Ref("PAST_REF"),
            });
        }
        if self.low(j) == "later" {
            return Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Ref("FUTURE_REF"),
            });
        }
        Some(Match {
            start: i,
            end: j,
            sem: Sem::Duration { n: None, unit },
        })
    }

    /// A bare plural unit after "for" ("for years") or before "-long"/"-old" ("decades-long").
    fn bare_plural(&self, i: usize) -> Option<Match> {
        let (unit, plural) = self.unit(i)?;
        if !plural || unit == Unit::Weekend {
            return None;
        }
        let prev = i.checked_sub(1).map_or("", |p| self.low(p));
        if self.low(i + 1) == "-" && matches!(self.low(i + 2), "long" | "old") {
            return Some(Match {
                start: i,
                end: i + 3,
                sem: Sem::Duration { n: None, unit },
            });
        }
        if matches!(prev, "for" | "in" | "within" | "just" | "than" | "after")
            && !matches!(self.low(i + 1), "of" | "-")
        {
            return Some(Match {
                start: i,
                end: i + 1,
                sem: Sem::Duration { n: None, unit },
            });
        }
        None
    }

    // ---- word-led forms ---------------------------------------------------------------------

    /// "January 21", "Feb. 10, 2025", "May 2009", "January", "March of 2010".
    fn month_first(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let Some(Word::Month(m)) = self.word(i) else {
            return None;
        };
        if !t.is_capitalised() {
            return None;
        }
        // "May" is a full name of three letters; "Jan", "Sept" are abbreviations.
        let full = (t.low.len() > 3 && t.low != "sept") || t.low == "may";
        let mut j = i + 1;
        if self.low(j) == "." && !full {
            j += 1;
        }
        if let Some(d) = self.day_number(j) {
            // Not "May 5 percent" or "June 2 million".
            let after = self.low(j + 1);
            if !matches!(after, "%" | "percent" | "million" | "billion" | ":") {
                let k = if self.low(j + 1) == "," { j + 2 } else { j + 1 };
                if let Some(y) = self.year_number(k) {
                    return Some(Match {
                        start: i,
                        end: k + 1,
                        sem: Sem::Cal {
                            y: YearRef::Explicit(y),
                            m,
                            d: Some(d),
                        },
                    });
                }
                // "July 22 that year", "July 22 of the same year": the year of the last date
                // (the year phrase stays an expression of its own).
                let y = if self.year_phrase_previous(j + 1) {
                    YearRef::Previous
                } else {
                    YearRef::Implicit
                };
                return Some(Match {
                    start: i,
                    end: j + 1,
                    sem: Sem::Cal { y, m, d: Some(d) },
                });
            }
        }
        let k = match self.low(j) {
            "," | "of" => j + 1,
            _ => j,
        };
        // "October of next year": the year phrase gives the value but stays an expression of
        // its own (TimeML tags "October" and "next year" apart).
        if self.low(j) == "of" && self.low(k + 1) == "year" {
            let off = match self.low(k) {
                "this" => Some(0),
                "last" => Some(-1),
                "next" => Some(1),
                _ => None,
            };
            if let Some(o) = off {
                return Some(Match {
                    start: i,
                    end: j,
                    sem: Sem::Cal {
                        y: YearRef::Offset(o),
                        m,
                        d: None,
                    },
                });
            }
        }
        if let Some(y) = self.year_number(k) {
            return Some(Match {
                start: i,
                end: k + 1,
                sem: Sem::Cal {
                    y: YearRef::Explicit(y),
                    m,
                    d: None,
                },
            });
        }
        if !full {
            return None;
        }
        // "May" and "March" alone are usually the verb or the noun.
        if matches!(m, 3 | 5) {
            let prev = i.checked_sub(1).map_or("", |p| self.low(p));
            let ok = matches!(
                prev,
                "in" | "since"
                    | "until"
                    | "till"
                    | "by"
                    | "during"
                    | "of"
                    | "early"
                    | "late"
                    | "mid"
                    | "-"
                    | "before"
                    | "after"
                    | "from"
                    | "through"
                    | "last"
                    | "next"
                    | "this"
                    | "end"
            );
            if !ok {
                return None;
            }
        }
        let y = if self.year_phrase_previous(j) {
            YearRef::Previous
        } else {
            YearRef::Implicit
        };
        Some(Match {
            start: i,
            end: j,
            sem: Sem::Cal { y, m, d: None },
        })
    }

    /// True when tokens from `j` say "that year" / "of that year" / "of the same year".
    fn year_phrase_previous(&self, j: usize) -> bool {
        let k = if matches!(self.low(j), "of" | ",") {
            j + 1
        } else {
            j
        };
        self.seq(k, &["that", "year"]) || self.seq(k, &["the", "same", "year"])
    }

    /// "Sunday", "Tuesday night", "Monday, May 14", "Friday morning".
    fn weekday(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let Some(Word::Weekday(wd)) = self.word(i) else {
            return None;
        };
        let full = t.low.ends_with("day");
        if !full && (!t.is_capitalised() || self.low(i + 1) != ".") {
            return None;
        }
        // "Black Monday", "Super Tuesday": a day with a name of its own.
        if full && i > 0 {
            let p = self.tok(i - 1)?;
            if p.is_capitalised() && lexicon().named_days.contains(p.low.as_str()) {
                return Some(Match {
                    start: i - 1,
                    end: i + 1,
                    sem: Sem::NamedDay,
                });
            }
        }
        let mut j = i + 1;
        if !full {
            j += 1;
        }
        // "Monday, May 14, 2009": the calendar date decides.
        let k = if self.low(j) == "," { j + 1 } else { j };
        if let Some(Word::Month(_)) = self.word(k) {
            if let Some(mut cal) = self.month_first(k) {
                if matches!(cal.sem, Sem::Cal { d: Some(_), .. }) {
                    cal.start = i;
                    return Some(cal);
                }
            }
        }
        let day = Sem::Weekday {
            wd,
            shift: Shift::Tense,
        };
        Some(self.with_part(i, j, day))
    }

    /// Adds a following part of day ("Tuesday night") to a day expression.
    fn with_part(&self, start: usize, j: usize, day: Sem) -> Match {
        if let Some(Word::Part(p)) = self.word(j) {
            if self.low(j) != "tonight" {
                return Match {
                    start,
                    end: j + 1,
                    sem: Sem::PartOfDay {
                        day: Box::new(day),
                        part: p,
                    },
                };
            }
        }
        Match {
            start,
            end: j,
            sem: day,
        }
    }

    fn deictic_day(&self, i: usize) -> Option<Match> {
        let off = match self.low(i) {
            "today" => 0,
            "yesterday" => -1,
            "tomorrow" => 1,
            "tonight" => {
                return Some(Match {
                    start: i,
                    end: i + 1,
                    sem: Sem::PartOfDay {
                        day: Box::new(Sem::DayOffset(0)),
                        part: "NI",
                    },
                })
            }
            _ => return None,
        };
        Some(self.with_part(i, i + 1, Sem::DayOffset(off)))
    }

    /// "earlier today", "later this month", "earlier this year".
    fn earlier_later(&self, i: usize) -> Option<Match> {
        let j = i + 1;
        if self.low(j) == "today" {
            return self.deictic_day(j).map(|m| Match { start: i, ..m });
        }
        if self.low(j) == "this" {
            let m = self.relative(j, j)?;
            if matches!(m.sem, Sem::ThisUnit { .. }) {
                return Some(Match { start: i, ..m });
            }
        }
        None
    }

    /// "later" as an adverb ("later recovered", "will decide later") is FUTURE_REF: a time
    /// after the one in context. Not a comparative ("later than planned", "no later than"),
    /// not an adjective ("a later date"), not the tail of an amount ("two days later").
    fn vague_later(&self, i: usize) -> Option<Match> {
        if self.low(i) != "later" {
            return None;
        }
        let prev = i.checked_sub(1).map_or("", |p| self.low(p));
        let next = self.low(i + 1);
        let after_unit = i
            .checked_sub(1)
            .is_some_and(|p| matches!(self.word(p), Some(Word::Unit(_))));
        if after_unit
            || matches!(
                prev,
                "a" | "an" | "the" | "no" | "much" | "even" | "any" | "some" | "-"
            )
            || matches!(next, "than" | "-")
        {
            return None;
        }
        Some(Match {
            start: i,
            end: i + 1,
            sem: Sem::Ref("FUTURE_REF"),
        })
    }

    /// "this week", "last year", "next Monday", "last September", "past week", "this morning".
    /// `start` is where the extent begins (before "the" when there is one).
    fn relative(&self, start: usize, i: usize) -> Option<Match> {
        let w = self.low(i);
        let offset: i64 = match w {
            "this" | "current" | "that" => 0,
            "last" | "past" | "previous" => -1,
            "next" | "coming" | "following" => 1,
            _ => return None,
        };
        let j = i + 1;
        let has_the = start < i;
        // "the past few years", "the last three months", "the next four years": durations.
        if matches!(
            w,
            "past" | "last" | "next" | "coming" | "previous" | "first"
        ) {
            if let Some(mut m) = self.amount(j).or_else(|| self.vague_amount(j)) {
                if matches!(m.sem, Sem::Duration { .. }) {
                    m.start = start;
                    return Some(m);
                }
            }
            if self.low(j) == "few" {
                if let Some((unit, true)) = self.unit(j + 1) {
                    return Some(Match {
                        start,
                        end: j + 2,
                        sem: Sem::Duration { n: None, unit },
                    });
                }
            }
        }
        if w == "that" {
            // "that summer": the season of the last date's year.
            if let Some(Word::Season(s)) = self.word(j) {
                return Some(Match {
                    start,
                    end: j + 1,
                    sem: Sem::Season {
                        s,
                        y: YearRef::Previous,
                    },
                });
            }
            // "by that time", "at that time": the last date mentioned, as precise as it was.
            if self.low(j) == "time" {
                let prev = start.checked_sub(1).map_or("", |p| self.low(p));
                if matches!(
                    prev,
                    "by" | "at" | "until" | "till" | "since" | "before" | "after" | "around"
                ) {
                    return Some(Match {
                        start,
                        end: j + 1,
                        sem: Sem::SameAs {
                            unit: None,
                            years: 0,
                        },
                    });
                }
                return None;
            }
            // "that day", "that week": relative to the previous expression.
            let (unit, plural) = self.unit(j)?;
            if plural || unit == Unit::Weekend {
                return None;
            }
            return Some(Match {
                start,
                end: j + 1,
                sem: Sem::Anaphoric { n: 0, unit },
            });
        }
        match self.word(j) {
            Some(Word::Unit(unit)) => {
                if self.low(j).ends_with('s') && unit != Unit::Weekend {
                    return None;
                }
                if has_the && w == "last" && unit != Unit::Weekend {
                    // "the last quarter", "the last year": the previous one.
                    return Some(Match {
                        start,
                        end: j + 1,
                        sem: Sem::ThisUnit { unit, offset: -1 },
                    });
                }
                if has_the && w == "past" {
                    // "the past year", "the past decade": a duration up to now.
                    if unit == Unit::Weekend {
                        return None;
                    }
                    return Some(Match {
                        start,
                        end: j + 1,
                        sem: Sem::Duration { n: Some(1.0), unit },
                    });
                }
                if has_the || matches!(w, "previous" | "following") {
                    // "the next day", "the following week", "the previous year".
                    return Some(Match {
                        start,
                        end: j + 1,
                        sem: Sem::Anaphoric { n: offset, unit },
                    });
                }
                if w == "past" {
                    return Some(Match {
                        start,
                        end: j + 1,
                        sem: Sem::Duration { n: Some(1.0), unit },
                    });
                }
                if matches!(unit, Unit::Hour | Unit::Minute | Unit::Second) {
                    return None;
                }
                Some(Match {
                    start,
                    end: j + 1,
                    sem: Sem::ThisUnit { unit, offset },
                })
            }
            Some(Word::Month(m)) if self.tok(j)?.is_capitalised() && !has_the => {
                let y = match w {
                    "last" | "past" => YearRef::Occurrence(-1),
                    "next" | "coming" => YearRef::Occurrence(1),
                    _ => YearRef::Occurrence(0),
                };
                Some(Match {
                    start,
                    end: j + 1,
                    sem: Sem::Cal { y, m, d: None },
                })
            }
            Some(Word::Weekday(wd)) if !has_the => {
                let shift = match w {
                    "last" | "past" => Shift::Last,
                    "next" | "coming" => Shift::Next,
                    _ => Shift::This,
                };
                Some(self.with_part(start, j + 1, Sem::Weekday { wd, shift }))
            }
            Some(Word::Season(_)) if !has_the => {
                let Some(Word::Season(s)) = self.word(j) else {
                    return None;
                };
                Some(Match {
                    start,
                    end: j + 1,
                    sem: Sem::Season {
                        s,
                        y: YearRef::Offset(offset as i32),
                    },
                })
            }
            Some(Word::Part(p)) if !has_the && matches!(w, "this" | "last") => {
                let day = if w == "last" && p == "NI" { -1 } else { 0 };
                if w == "last" && p != "NI" {
                    return None;
                }
                Some(Match {
                    start,
                    end: j + 1,
                    sem: Sem::PartOfDay {
                        day: Box::new(Sem::DayOffset(day)),
                        part: p,
                    },
                })
            }
            _ => None,
        }
    }

    /// Phrases opening with "the": quarters, decades, "the next day", "the weekend", "the past".
    fn the_phrase(&self, i: usize) -> Option<Match> {
        let j = i + 1;
        match self.low(j) {
            "past" | "last" | "next" | "previous" | "following" | "coming" | "same" | "first" => {
                if self.low(j) == "same" {
                    return self.same(i, j + 1);
                }
                if let Some(m) = self.quarter(i, j) {
                    return Some(m);
                }
                if let Some(m) = self.relative(i, j) {
                    return Some(m);
                }
                if matches!(self.low(j), "past") && self.is_punct_or_end(j + 1) {
                    return Some(Match {
                        start: i,
                        end: j + 1,
                        sem: Sem::Ref("PAST_REF"),
                    });
                }
                None
            }
            "day" if matches!(self.low(j + 1), "before" | "after") => {
                let n = if self.low(j + 1) == "before" { -1 } else { 1 };
                if self.low(j + 2) == "yesterday" {
                    return Some(Match {
                        start: i,
                        end: j + 3,
                        sem: Sem::DayOffset(-2),
                    });
                }
                if !self.is_punct_or_end(j + 2) {
                    return None;
                }
                Some(Match {
                    start: i,
                    end: j + 2,
                    sem: Sem::Anaphoric { n, unit: Unit::Day },
                })
            }
            "day" | "year" | "week" | "month" => {
                // "ended the day", "for the day", "later in the day": the day in context.
                let prev = i.checked_sub(1).map_or("", |p| self.low(p));
                let prev2 = i.checked_sub(2).map_or("", |p| self.low(p));
                // "late in the day after the vote": the day in context, not "the day after".
                let in_day = prev == "in"
                    && matches!(prev2, "later" | "late" | "early" | "earlier")
                    && matches!(self.low(j + 1), "after" | "before");
                let ok = in_day
                    || (matches!(
                        prev,
                        "end"
                            | "ended"
                            | "ending"
                            | "ends"
                            | "finish"
                            | "finished"
                            | "finishing"
                            | "close"
                            | "closed"
                            | "closing"
                            | "for"
                            | "during"
                            | "throughout"
                    ) || (prev == "in"
                        && matches!(prev2, "later" | "late" | "early" | "earlier")))
                        && !matches!(
                            self.low(j + 1),
                            "of" | "when" | "that" | "after" | "before" | "'"
                        );
                let unit = self.unit(j)?.0;
                if unit == Unit::Year
                    && matches!(self.low(j + 1), "previous" | "before" | "earlier")
                {
                    return Some(Match {
                        start: i,
                        end: j + 2,
                        sem: Sem::Anaphoric { n: -1, unit },
                    });
                }
                ok.then_some(Match {
                    start: i,
                    end: j + 1,
                    sem: Sem::Anaphoric { n: 0, unit },
                })
            }
            "entire" | "whole" | "full" if !self.low(j + 1).ends_with('s') => {
                let (unit, _) = self.unit(j + 1)?;
                Some(Match {
                    start: i,
                    end: j + 2,
                    sem: Sem::Anaphoric { n: 0, unit },
                })
            }
            "time" if self.low(j + 1) == "being" => Some(Match {
                start: i,
                end: j + 2,
                sem: Sem::Ref("PRESENT_REF"),
            }),
            "morning" | "afternoon" | "evening" | "night" => {
                let Some(Word::Part(p)) = self.word(j) else {
                    return None;
                };
                self.part_in_context(i, j, p)
            }
            "weekend" => Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::ThisUnit {
                    unit: Unit::Weekend,
                    offset: 0,
                },
            }),
            "future" => Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Ref("FUTURE_REF"),
            }),
            "near" | "foreseeable" | "distant" | "long" | "short"
                if matches!(self.low(j + 1), "future" | "term") =>
            {
                Some(Match {
                    start: i,
                    end: j + 2,
                    sem: Sem::Ref("FUTURE_REF"),
                })
            }
            "present" if self.is_punct_or_end(j + 1) => Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Ref("PRESENT_REF"),
            }),
            _ => {
                if let Some(m) = self.quarter(i, j) {
                    return Some(m);
                }
                if let Some(Word::Season(s)) = self.word(j) {
                    if let Some(m) = self.season(j, s, true) {
                        return Some(Match { start: i, ..m });
                    }
                }
                // "the 1990s"
                let t = self.tok(j)?;
                if t.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    if let Some(m) = self.year(j) {
                        if matches!(m.sem, Sem::Decade(_)) {
                            return Some(Match { start: i, ..m });
                        }
                    }
                }
                None
            }
        }
    }

    /// "the same day", "the same period last year", "the same month a year ago", "the same
    /// quarter of the previous year". `i` is "the", `j` the word after "same".
    fn same(&self, i: usize, j: usize) -> Option<Match> {
        let unit = match self.unit(j) {
            Some((_, true)) => return None,
            Some((u, false)) if u != Unit::Weekend => Some(u),
            Some(_) => return None,
            None if matches!(self.low(j), "period" | "time") => None,
            None => return None,
        };
        let k = if self.low(j + 1) == "of" {
            j + 2
        } else {
            j + 1
        };
        // A year back: "last year", "a year ago", "a year earlier", "the previous year".
        let back = YEAR_BACK.iter().find(|p| self.seq(k, p));
        if let Some(p) = back {
            return Some(Match {
                start: i,
                end: k + p.len(),
                sem: Sem::SameAs { unit, years: -1 },
            });
        }
        Some(match unit {
            Some(unit) => Match {
                start: i,
                end: j + 1,
                sem: Sem::Anaphoric { n: 0, unit },
            },
            // "the same period" alone: as precise as the last date.
            None if self.low(j) == "period" => Match {
                start: i,
                end: j + 1,
                sem: Sem::SameAs {
                    unit: None,
                    years: 0,
                },
            },
            None => return None,
        })
    }

    /// "the third quarter (of 2009 | of this year)", "third-quarter", "the first half of 2010".
    /// `i` is "the" (or the ordinal itself when `i == j`).
    fn quarter(&self, i: usize, j: usize) -> Option<Match> {
        let q = match self.word(j) {
            Some(Word::Ordinal(q)) => q,
            _ => return None,
        };
        let mut k = j + 1;
        if self.low(k) == "-" {
            k += 1;
        }
        let is_half = self.low(k) == "half";
        if self.low(k) != "quarter" && !is_half {
            return None;
        }
        if (is_half && q > 2) || q > 4 {
            return None;
        }
        let m = self.with_year_after(i, k + 1, |y| {
            if is_half {
                Sem::Half { h: q, y }
            } else {
                Sem::Quarter { q, y }
            }
        });
        Some(m)
    }

    /// Reads an optional year after `j` ("of 2009", "2009", "of this year", "of last year").
    fn with_year_after(&self, start: usize, j: usize, mk: impl Fn(YearRef) -> Sem) -> Match {
        let k = if self.low(j) == "of" { j + 1 } else { j };
        if let Some(y) = self.year_number(k) {
            return Match {
                start,
                end: k + 1,
                sem: mk(YearRef::Explicit(y)),
            };
        }
        if self.low(k + 1) == "year" {
            let off = match self.low(k) {
                "this" => Some(0),
                "last" => Some(-1),
                "next" => Some(1),
                _ => None,
            };
            if let (Some(off), true) = (off, k > j) {
                return Match {
                    start,
                    end: k + 2,
                    sem: mk(YearRef::Offset(off)),
                };
            }
        }
        Match {
            start,
            end: j,
            sem: mk(YearRef::Implicit),
        }
    }

    /// "spring", "the summer of 2009", "winter 2010". Bare seasons need a cue: a year, or
    /// "the"/"in" before; "fall" needs a year or "the".
    fn season(&self, i: usize, s: &'static str, after_the: bool) -> Option<Match> {
        let prev = i.checked_sub(1).map_or("", |p| self.low(p));
        let m = self.with_year_after(i, i + 1, |y| Sem::Season { s, y });
        let has_year = m.end > i + 1;
        // "Autumn meetings" is a season, "the Arab Spring" a name.
        let capital = i > 0
            && self.tok(i).is_some_and(|t| t.is_capitalised())
            && !self.tok(i - 1).is_some_and(|t| t.is_capitalised());
        let cue = after_the
            || capital
            || matches!(
                prev,
                "in" | "early" | "late" | "mid" | "during" | "by" | "until" | "since"
            );
        // "the Summer Olympics", "Spring Festival": a season in a name.
        let in_name = !has_year
            && self
                .tok(i + 1)
                .is_some_and(|t| t.is_word() && t.is_capitalised() && self.word(i + 1).is_none());
        // "the fall of the regime": "fall" is a season only with a year.
        if has_year || (cue && self.low(i) != "fall" && !in_name) {
            return Some(m);
        }
        None
    }

    /// "every week", "each year", "every other month", "every Monday".
    fn set_every(&self, i: usize) -> Option<Match> {
        let mut j = i + 1;
        let mut n = 1;
        if self.low(j) == "other" {
            n = 2;
            j += 1;
        }
        match self.word(j) {
            Some(Word::Unit(u)) if !self.low(j).ends_with('s') => {
                let (letter, mult) = u.duration_letter();
                let t = if u.is_clock() { "T" } else { "" };
                Some(Match {
                    start: i,
                    end: j + 1,
                    sem: Sem::Set(format!("P{t}{}{letter}", n * mult)),
                })
            }
            Some(Word::Weekday(wd)) if self.low(j).ends_with("day") => Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Set(format!("XXXX-WXX-{wd}")),
            }),
            Some(Word::Part(p)) => Some(Match {
                start: i,
                end: j + 1,
                sem: Sem::Set(format!("TXX{p}")),
            }),
            _ => None,
        }
    }

    /// "fiscal 2009", "FY 2009", "FY2009".
    fn fiscal(&self, i: usize) -> Option<Match> {
        let j = i + 1;
        let y = self.year_number(j)?;
        Some(Match {
            start: i,
            end: j + 1,
            sem: Sem::FiscalYear(y),
        })
    }

    fn fiscal_joined(&self, i: usize) -> Option<Match> {
        let rest = self.low(i).strip_prefix("fy")?;
        if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = rest.parse().ok()?;
        Some(Match {
            start: i,
            end: i + 1,
            sem: Sem::FiscalYear(y),
        })
    }

    /// "now", "currently", "recently" and friends, with "right now"/"until now" kept to "now".
    fn reference_word(&self, i: usize, v: &'static str) -> Option<Match> {
        // "now" as a discourse marker ("Now, ...") at sentence start is not a time.
        if self.low(i) == "now" && i == 0 && self.low(1) == "," {
            return None;
        }
        // "NOW" in capitals is an acronym (an organisation), not the adverb.
        if self
            .tok(i)
            .is_some_and(|t| t.text.len() > 1 && t.text.chars().all(|c| c.is_uppercase()))
        {
            return None;
        }
        // "now-defunct", "soon-to-open": part of a compound modifier.
        if self.low(i + 1) == "-" && !self.tok(i + 1).is_some_and(|t| t.space_before) {
            return None;
        }
        Some(Match {
            start: i,
            end: i + 1,
            sem: Sem::Ref(v),
        })
    }

    /// A part of the day in context: "in morning trading", "during the night", "late in the
    /// evening": that part of the last day mentioned (else of the reference day). `start` is
    /// where the extent begins ("the"), `j` the part word.
    fn part_in_context(&self, start: usize, j: usize, part: &'static str) -> Option<Match> {
        if matches!(self.low(j), "tonight" | "overnight" | "mornings") {
            return None;
        }
        let prev = start.checked_sub(1).map_or("", |p| self.low(p));
        // "the night of the election": a day given later, not the day in context.
        if !matches!(
            prev,
            "in" | "during" | "early" | "late" | "by" | "throughout"
        ) || self.low(j + 1) == "of"
        {
            return None;
        }
        Some(Match {
            start,
            end: j + 1,
            sem: Sem::PartOfDay {
                day: Box::new(Sem::Anaphoric {
                    n: 0,
                    unit: Unit::Day,
                }),
                part,
            },
        })
    }

    /// "recent years" (PXY); "recent" before a noun ("the recent downturn") is PAST_REF, but
    /// not as a superlative ("the most recent model": an order, not a time). "current" is not
    /// tagged (too often non-temporal: "current models").
    fn recent_current(&self, i: usize) -> Option<Match> {
        if self.low(i) == "recent" {
            if let Some((unit, true)) = self.unit(i + 1) {
                return Some(Match {
                    start: i,
                    end: i + 2,
                    sem: Sem::Duration { n: None, unit },
                });
            }
            let prev = i.checked_sub(1).map_or("", |p| self.low(p));
            let next_is_word = self.tok(i + 1).is_some_and(|t| t.is_word());
            if next_is_word
                && !matches!(prev, "most" | "more" | "less" | "least" | "very")
                && !self.seq(i + 1, &["and"])
            {
                return Some(Match {
                    start: i,
                    end: i + 1,
                    sem: Sem::Ref("PAST_REF"),
                });
            }
        }
        None
    }
}

fn is_ampm(s: &str) -> bool {
    matches!(s, "a.m." | "p.m." | "am" | "pm")
}

fn is_date_like(s: &Sem) -> bool {
    matches!(
        s,
        Sem::Cal { .. }
            | Sem::Year(_)
            | Sem::Decade(_)
            | Sem::Quarter { .. }
            | Sem::Half { .. }
            | Sem::Season { .. }
            | Sem::ThisUnit { .. }
            | Sem::Weekday { .. }
            | Sem::DayOffset(_)
            | Sem::FiscalYear(_)
    )
}
