//! What a recognised expression means, before it is placed on the calendar.

use super::lexicon::Unit;

/// A year as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRef {
    /// Written out ("2009").
    Explicit(i32),
    /// Relative to the reference year ("of next year" +1, "of last year" -1).
    Offset(i32),
    /// The previous (-1), current (0) or next (+1) occurrence of a month relative to the
    /// reference month ("last September", "next March").
    Occurrence(i32),
    /// Not given: chosen from the tense and the reference date, or from the narrative date
    /// when the text recounts an earlier time.
    Implicit,
    /// The year of the last date mentioned before ("July 22 that year", "that summer").
    Previous,
}

/// Which occurrence of a weekday or month is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// Bare ("on Sunday"): decided by the tense of the sentence.
    Tense,
    /// "last Sunday": strictly before the reference.
    Last,
    /// "next Sunday": strictly after the reference.
    Next,
    /// "this Sunday": inside the reference's week (or year, for months).
    This,
}

/// The meaning of a time expression, independent of any reference date.
#[derive(Debug, Clone, PartialEq)]
pub enum Sem {
    /// A calendar date, possibly partial ("January 21", "May 2009", "2025-02-10").
    Cal {
        y: YearRef,
        m: u32,
        d: Option<u32>,
    },
    Year(YearRef),
    /// A decade by its first three digits (199 for the 1990s), or relative ("this decade").
    Decade(i32),
    Quarter {
        q: u32,
        y: YearRef,
    },
    Half {
        h: u32,
        y: YearRef,
    },
    Season {
        s: &'static str,
        y: YearRef,
    },
    FiscalYear(i32),
    Weekday {
        wd: u32,
        shift: Shift,
    },
    /// Days from the reference: today 0, yesterday -1, tomorrow +1.
    DayOffset(i64),
    /// "this week" (0), "last month" (-1), "next year" (+1): the unit containing the reference,
    /// shifted.
    ThisUnit {
        unit: Unit,
        offset: i64,
    },
    /// "three years ago": `n` units before the reference, at the unit's granularity.
    Ago {
        n: f64,
        unit: Unit,
    },
    /// "two days later", "the next day", "the same day", "the previous year": relative to the
    /// last date mentioned before it in the document.
    Anaphoric {
        n: i64,
        unit: Unit,
    },
    /// "that time", "the same period last year", "the same month a year ago": the last date
    /// mentioned before, at `unit`'s precision (its own precision when `None`), shifted by
    /// `years`.
    SameAs {
        unit: Option<Unit>,
        years: i64,
    },
    /// A name that looks like a date ("Black Monday", "Super Tuesday"): a day with a name of
    /// its own, never placed on the calendar from the reference date.
    NamedDay,
    /// A part of a day ("Tuesday night", "this morning").
    PartOfDay {
        day: Box<Sem>,
        part: &'static str,
    },
    /// A clock time, with the day it belongs to when the text gives one.
    Clock {
        day: Option<Box<Sem>>,
        h: u32,
        min: u32,
        zone: Option<&'static str>,
    },
    /// A length of time; `n` is `None` for a vague amount ("several years").
    Duration {
        n: Option<f64>,
        unit: Unit,
    },
    /// A recurring time (TIMEX3 SET), value already in TIMEX3 form.
    Set(String),
    /// PRESENT_REF, PAST_REF, FUTURE_REF.
    Ref(&'static str),
}
