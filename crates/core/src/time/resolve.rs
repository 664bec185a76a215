//! Placing a [`Sem`] on the calendar: TIMEX3 type and value, and what the value rests on.
//!
//! Conventions (TimeML/TIMEX3, with news defaults):
//! - A bare weekday in a past-tense clause is the latest such day on or before the reference
//!   (news reports "on Thursday" on the Thursday itself); in a future clause the first one after
//!   it; without a tense marker, past (news mostly reports what happened).
//! - A month (with or without a day) and no year takes the reference year, moved one year back
//!   when a past clause names a later month, one year on when a future clause names an earlier
//!   month.
//! - Without a reference date, a relative expression keeps X's (`XXXX-01-21`, `XXXX-WXX-7`).

use super::lexicon::{Tense, Unit};
use super::sem::{Sem, Shift, YearRef};
use crate::model::TimeType;
use chrono::{Datelike, Duration, Months, NaiveDate};

/// What a value was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Absolute or needing no date (durations, sets, vague references).
    Explicit,
    /// The reference date (publication date, or the story-inferred one).
    Reference,
    /// The last date mentioned before it.
    Previous,
    /// The narrative date: the year of the last explicitly dated event before it, for a
    /// past-tense passage that recounts an earlier time than the reference.
    Narrative,
    /// The article has no reference date: the last full date written before the expression
    /// stands in for it.
    TextDate,
    /// A day with a name of its own ("Black Monday"): not placed on the calendar.
    Named,
    /// It needed a date that is not known: the value keeps X's.
    Missing,
}

#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub reference: Option<NaiveDate>,
    pub tense: Option<Tense>,
    /// The last date mentioned before the expression, at least as precise as it needs.
    pub prev: Option<NaiveDate>,
    /// The last date mentioned before at any precision, with its precision (3 day, 2 month,
    /// 1 year), for "that time", "the same period last year" and "July 22 that year".
    pub prev_any: Option<(NaiveDate, u8)>,
    /// The narrative date for a month, season or quarter named without a year: set only when
    /// the text recounts an earlier year than the reference in a clause that is not future.
    pub narrative: Option<NaiveDate>,
    /// A day named in the same sentence, for clock times.
    pub sentence_day: Option<NaiveDate>,
}

pub struct Resolved {
    pub ty: TimeType,
    pub value: String,
    pub basis: Basis,
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

fn valid_year(y: i32) -> bool {
    (0..=9999).contains(&y)
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let first = d.with_day(1)?;
    let x = if n >= 0 {
        first.checked_add_months(Months::new(u32::try_from(n).ok()?))
    } else {
        first.checked_sub_months(Months::new(u32::try_from(-n).ok()?))
    }?;
    valid_year(x.year()).then_some(x)
}

/// `d` moved by `years` whole years (29 February becomes the 28th).
fn shift_years(d: NaiveDate, years: i64) -> Option<NaiveDate> {
    let y = i32::try_from(i64::from(d.year()).checked_add(years)?)
        .ok()
        .filter(|y| valid_year(*y))?;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
}

/// `d` shifted by `n` days, kept inside the years a TIMEX3 value can write (0..=9999).
fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let x = d.checked_add_signed(Duration::try_days(n)?)?;
    valid_year(x.year()).then_some(x)
}

/// The date `n` units from `d`, written at the unit's granularity.
fn shift_value(d: NaiveDate, n: i64, unit: Unit) -> Option<String> {
    Some(match unit {
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => {
            let days = if unit == Unit::Day { n } else { 0 };
            ymd(add_days(d, days)?)
        }
        Unit::Week => ymd(add_days(d, n.checked_mul(7)?)?),
        Unit::Weekend => format!("{}-WE", week(add_days(d, n.checked_mul(7)?)?)),
        Unit::Month => {
            let x = add_months(d, n)?;
            ym(x.year(), x.month())
        }
        Unit::Quarter => {
            let x = add_months(d, n.checked_mul(3)?)?;
            format!("{:04}-Q{}", x.year(), quarter_of(x))
        }
        Unit::Year => {
            let y = i64::from(d.year()).checked_add(n)?;
            let y = i32::try_from(y).ok().filter(|y| valid_year(*y))?;
            format!("{y:04}")
        }
        Unit::Decade => {
            let y = i64::from(d.year()).checked_add(n.checked_mul(10)?)?;
            let y = i32::try_from(y).ok().filter(|y| valid_year(*y))?;
            format!("{:03}", y / 10)
        }
        Unit::Century => {
            let y = i64::from(d.year()).checked_add(n.checked_mul(100)?)?;
            let y = i32::try_from(y).ok().filter(|y| valid_year(*y))?;
            format!("{:02}", y / 100)
        }
    })
}

/// The X-form of a relative value of this unit.
fn unknown_of(unit: Unit) -> &'static str {
    match unit {
        Unit::Year => "XXXX",
        Unit::Month => "XXXX-XX",
        Unit::Week => "XXXX-XX-XX",
        Unit::Weekend => "XXXX-WXX-WE",
        Unit::Quarter => "XXXX-QX",
        Unit::Decade => "XXX",
        Unit::Century => "XX",
        _ => "XXXX-XX-XX",
    }
}

/// The weekday `wd` (1 = Monday) relative to `r`.
pub fn weekday_from(
    r: NaiveDate,
    wd: u32,
    shift: Shift,
    tense: Option<Tense>,
) -> Option<NaiveDate> {
    let cur = i64::from(r.weekday().number_from_monday());
    let wd = i64::from(wd);
    let back = (cur - wd).rem_euclid(7); // days back to the latest such day on or before r
    let fwd = (wd - cur).rem_euclid(7); // days forward to the first on or after r
    let n = match shift {
        Shift::Last => -(if back == 0 { 7 } else { back }),
        Shift::Next => {
            if fwd == 0 {
                7
            } else {
                fwd
            }
        }
        Shift::This => wd - cur,
        Shift::Tense => match tense {
            // Future: the first such day on or after the reference (news says "on Monday" of
            // the day itself, in either direction).
            Some(Tense::Future) => fwd,
            _ => -back,
        },
    };
    add_days(r, n)
}

/// The year for a month named without one.
fn implicit_year(r: NaiveDate, m: u32, tense: Option<Tense>) -> i32 {
    match tense {
        Some(Tense::Past) if m > r.month() => r.year() - 1,
        Some(Tense::Future) if m < r.month() => r.year() + 1,
        _ => r.year(),
    }
}

fn year_of(y: YearRef, r: Option<NaiveDate>) -> Option<i32> {
    match y {
        YearRef::Explicit(y) => Some(y),
        YearRef::Offset(o) | YearRef::Occurrence(o) => r.map(|r| r.year() + o),
        YearRef::Implicit | YearRef::Previous => r.map(|r| r.year()),
    }
}

/// Precision a unit is written at: 3 day, 2 month, 1 year.
pub fn precision_of(unit: Unit) -> u8 {
    match unit {
        Unit::Year | Unit::Decade | Unit::Century => 1,
        Unit::Month | Unit::Quarter => 2,
        _ => 3,
    }
}

/// First month of a season, for choosing its year by tense.
fn season_month(s: &str) -> u32 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// The year of a month, season or quarter named without one, when the text says which:
/// the last date's year ("that year"), or the narrative year. `None`: decide from the
/// reference.
fn year_from_text(y: YearRef, ctx: &Ctx) -> Option<(i32, Basis)> {
    match y {
        YearRef::Previous => ctx
            .prev_any
            .map(|(d, _)| (d.year(), Basis::Previous))
            .or_else(|| ctx.narrative.map(|n| (n.year(), Basis::Narrative))),
        YearRef::Implicit => ctx.narrative.map(|n| (n.year(), Basis::Narrative)),
        _ => None,
    }
}

/// `d` written at precision `p` (3 day, 2 month, 1 year), or in `unit`'s own form.
fn at_precision(d: NaiveDate, p: u8, unit: Option<Unit>) -> String {
    match unit {
        Some(Unit::Week) => return week(d),
        Some(Unit::Quarter) => return format!("{:04}-Q{}", d.year(), quarter_of(d)),
        _ => {}
    }
    match p {
        3 => ymd(d),
        2 => ym(d.year(), d.month()),
        _ => format!("{:04}", d.year()),
    }
}

pub fn resolve(sem: &Sem, ctx: &Ctx) -> Resolved {
    let date = |value: String, basis| Resolved {
        ty: TimeType::Date,
        value,
        basis,
    };
    let r = ctx.reference;
    let rb = if r.is_some() {
        Basis::Reference
    } else {
        Basis::Missing
    };
    match sem {
        Sem::Cal { y, m, d } => {
            let (m, d) = (*m, *d);
            let year = match (*y, r) {
                (YearRef::Explicit(y), _) => Some((y, Basis::Explicit)),
                (YearRef::Implicit | YearRef::Previous, _) if year_from_text(*y, ctx).is_some() => {
                    year_from_text(*y, ctx)
                }
                (_, None) => None,
                (YearRef::Implicit | YearRef::Previous, Some(r)) => {
                    Some((implicit_year(r, m, ctx.tense), rb))
                }
                (YearRef::Offset(o), Some(r)) => Some((r.year() + o, rb)),
                // "last September": the latest September before the reference month.
                (YearRef::Occurrence(o), Some(r)) => {
                    let y = match o.signum() {
                        -1 if m >= r.month() => r.year() - 1,
                        1 if m <= r.month() => r.year() + 1,
                        _ => r.year(),
                    };
                    Some((y, rb))
                }
            };
            match (year, d) {
                (Some((y, b)), Some(d)) => match NaiveDate::from_ymd_opt(y, m, d) {
                    Some(x) => date(ymd(x), b),
                    None => date(format!("{y:04}-{m:02}-{d:02}"), b),
                },
                (Some((y, b)), None) => date(ym(y, m), b),
                (None, Some(d)) => date(format!("XXXX-{m:02}-{d:02}"), Basis::Missing),
                (None, None) => date(format!("XXXX-{m:02}"), Basis::Missing),
            }
        }
        Sem::Year(y) => match year_of(*y, r) {
            Some(v) if valid_year(v) => date(
                format!("{v:04}"),
                if matches!(y, YearRef::Explicit(_)) {
                    Basis::Explicit
                } else {
                    rb
                },
            ),
            _ => date("XXXX".into(), Basis::Missing),
        },
        Sem::Decade(d) => date(format!("{d:03}"), Basis::Explicit),
        Sem::FiscalYear(y) => date(format!("FY{y:04}"), Basis::Explicit),
        Sem::Quarter { q, y } | Sem::Half { h: q, y } => {
            let letter = if matches!(sem, Sem::Quarter { .. }) {
                "Q"
            } else {
                "H"
            };
            let mut basis = if matches!(y, YearRef::Explicit(_)) {
                Basis::Explicit
            } else {
                rb
            };
            let from_text = year_from_text(*y, ctx);
            if let Some((_, b)) = from_text {
                basis = b;
            }
            let year = match (y, r) {
                _ if from_text.is_some() => from_text.map(|x| x.0),
                // "the fourth quarter" in March is last year's (results come after the
                // quarter), unless the clause is in the future tense.
                (YearRef::Implicit, Some(r)) if letter == "Q" => {
                    let cur = quarter_of(r);
                    Some(match ctx.tense {
                        Some(Tense::Future) if *q < cur => r.year() + 1,
                        Some(Tense::Future) => r.year(),
                        _ if *q > cur => r.year() - 1,
                        _ => r.year(),
                    })
                }
                _ => year_of(*y, r),
            };
            match year {
                Some(v) if valid_year(v) => date(format!("{v:04}-{letter}{q}"), basis),
                _ => date(format!("XXXX-{letter}{q}"), Basis::Missing),
            }
        }
        Sem::Season { s, y } => {
            let (year, basis) = match (year_from_text(*y, ctx), y, r) {
                (Some((v, b)), _, _) => (Some(v), b),
                (None, YearRef::Explicit(v), _) => (Some(*v), Basis::Explicit),
                // "in the summer": the latest summer for a past clause, the next for a future one.
                (None, YearRef::Implicit | YearRef::Previous, Some(r)) => {
                    (Some(implicit_year(r, season_month(s), ctx.tense)), rb)
                }
                (None, _, _) => (year_of(*y, r), rb),
            };
            match year {
                Some(v) if valid_year(v) => date(format!("{v:04}-{s}"), basis),
                _ => date(format!("XXXX-{s}"), Basis::Missing),
            }
        }
        Sem::Weekday { wd, shift } => match r.and_then(|r| weekday_from(r, *wd, *shift, ctx.tense))
        {
            Some(x) => date(ymd(x), Basis::Reference),
            None => date(format!("XXXX-WXX-{wd}"), Basis::Missing),
        },
        Sem::DayOffset(n) => match r.and_then(|r| add_days(r, *n)) {
            Some(x) => date(ymd(x), Basis::Reference),
            None => date("XXXX-XX-XX".into(), Basis::Missing),
        },
        Sem::ThisUnit { unit, offset } => {
            let v = r.and_then(|r| match unit {
                Unit::Week => add_days(r, offset * 7).map(week),
                Unit::Weekend => add_days(r, offset * 7).map(|d| format!("{}-WE", week(d))),
                Unit::Quarter if *offset == 0 => {
                    Some(format!("{:04}-Q{}", r.year(), quarter_of(r)))
                }
                Unit::Day => add_days(r, *offset).map(ymd),
                _ => shift_value(r, *offset, *unit),
            });
            match v {
                Some(v) => date(v, Basis::Reference),
                None => date(unknown_of(*unit).into(), Basis::Missing),
            }
        }
        Sem::Ago { n, unit } => {
            let whole = n.round() as i64;
            let v = r.and_then(|r| {
                if unit.is_clock() {
                    return Some(ymd(r));
                }
                if (*n - n.trunc()).abs() > f64::EPSILON {
                    return None;
                }
                shift_value(r, -whole, *unit)
            });
            match v {
                Some(v) => date(v, Basis::Reference),
                None if r.is_some() => date("PAST_REF".into(), Basis::Reference),
                None => date(unknown_of(*unit).into(), Basis::Missing),
            }
        }
        Sem::Anaphoric { n, unit } => {
            let (base, basis) = match (ctx.prev, r) {
                (Some(p), _) => (Some(p), Basis::Previous),
                (None, Some(r)) => (Some(r), Basis::Reference),
                _ => (None, Basis::Missing),
            };
            match base.and_then(|b| shift_value(b, *n, *unit)) {
                Some(v) => date(v, basis),
                None => date(unknown_of(*unit).into(), Basis::Missing),
            }
        }
        Sem::SameAs { unit, years } => {
            let v = ctx.prev_any.and_then(|(d, p)| {
                let need = unit.map_or(p, precision_of);
                if need > p {
                    return None;
                }
                let shifted = shift_years(d, *years)?;
                Some(at_precision(shifted, need, *unit))
            });
            match v {
                Some(v) => date(v, Basis::Previous),
                None => date(unknown_of(unit.unwrap_or(Unit::Day)).into(), Basis::Missing),
            }
        }
        Sem::NamedDay => date("XXXX-XX-XX".into(), Basis::Named),
        Sem::PartOfDay { day, part } => {
            let d = resolve(day, ctx);
            Resolved {
                ty: TimeType::Time,
                value: format!("{}T{part}", d.value),
                basis: d.basis,
            }
        }
        Sem::Clock { day, h, min, zone } => {
            let (dv, basis) = match day {
                Some(d) => {
                    let x = resolve(d, ctx);
                    (x.value, x.basis)
                }
                None => match (ctx.sentence_day, r) {
                    (Some(d), _) => (ymd(d), Basis::Previous),
                    (None, Some(r)) => (ymd(r), Basis::Reference),
                    _ => ("XXXX-XX-XX".to_string(), Basis::Missing),
                },
            };
            let z = match zone {
                Some("Z") => "Z".to_string(),
                Some(z) => format!("{z}00"),
                None => String::new(),
            };
            Resolved {
                ty: TimeType::Time,
                value: format!("{dv}T{h:02}:{min:02}{z}"),
                basis,
            }
        }
        Sem::Duration { n, unit } => Resolved {
            ty: TimeType::Duration,
            value: duration_value(*n, *unit),
            basis: Basis::Explicit,
        },
        Sem::Set(v) => Resolved {
            ty: TimeType::Set,
            value: v.clone(),
            basis: Basis::Explicit,
        },
        Sem::Ref(v) => date((*v).to_string(), Basis::Explicit),
    }
}

/// `P3Y`, `PT48H`, `P2.5Y`, `P10Y` (a decade), `PXY` (vague).
pub fn duration_value(n: Option<f64>, unit: Unit) -> String {
    let t = if unit.is_clock() { "T" } else { "" };
    match n {
        None => format!("P{t}X{}", unit.vague_letter()),
        Some(n) => {
            let (letter, mult) = unit.duration_letter();
            let v = n * f64::from(mult);
            if v.fract() == 0.0 && v < 1e9 {
                format!("P{t}{}{letter}", v as u64)
            } else if v.is_finite() && v < 1e9 {
                let s = format!("{v:.2}");
                let s = s.trim_end_matches('0').trim_end_matches('.');
                format!("P{t}{s}{letter}")
            } else {
                format!("P{t}X{letter}")
            }
        }
    }
}

/// The reference date that makes `sem` resolve to `target`, for anchoring an undated article
/// through a dated one: the latest reference for a past weekday would be ambiguous (any of
/// the six days after it), so the earliest consistent one is taken, i.e. the smallest gap
/// between the event and the report, which is what news does ("on Tuesday" in a report of
/// that week). Returns `None` when no reference can produce `target`.
pub fn infer_reference(sem: &Sem, tense: Option<Tense>, target: NaiveDate) -> Option<NaiveDate> {
    match sem {
        Sem::Weekday { wd, shift } => {
            if target.weekday().number_from_monday() != *wd {
                return None;
            }
            match (shift, tense) {
                // Past: the weekday is the latest one on or before the reference; the
                // reference is the day itself.
                (Shift::Tense, Some(Tense::Past) | None) => Some(target),
                (Shift::Tense, Some(Tense::Future)) => Some(target),
                (Shift::Next, _) => add_days(target, -1),
                (Shift::Last, _) => add_days(target, 1),
                (Shift::This, _) => Some(target),
                (Shift::Tense, Some(Tense::Neutral | Tense::FutureTo | Tense::Report)) => {
                    Some(target)
                }
            }
        }
        Sem::DayOffset(n) => add_days(target, -n),
        Sem::PartOfDay { day, .. } => infer_reference(day, tense, target),
        _ => None,
    }
}

/// True when `v` is a well-formed TIMEX3 value of the forms this stage writes.
pub fn well_formed(v: &str) -> bool {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^(?:(?:PRESENT|PAST|FUTURE)_REF|FY\d{4}|[\dX]{2,4}(?:-(?:[\dX]{2}(?:-[\dX]{2})?|W[\dX]{2}(?:-(?:WE|\d))?|WXX-[\dX]|WXX-WE|Q[\dX]|H[12]|SP|SU|FA|WI))?(?:T(?:MO|AF|EV|NI|XX|\d{2}:\d{2}(?:Z|[+-]\d{4})?))?|XXXX-WXX-\d|TXX(?:MO|AF|EV|NI)|PT?(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|H|S|Q|DE|CE|WE))$",
        )
        .expect("constant regex")
    });
    re.is_match(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn ctx(r: Option<&str>, tense: Option<Tense>) -> Ctx {
        Ctx {
            reference: r.map(d),
            tense,
            ..Ctx::default()
        }
    }

    fn v(sem: Sem, c: &Ctx) -> String {
        resolve(&sem, c).value
    }

    #[test]
    fn weekdays_follow_tense() {
        // 2025-01-21 is a Tuesday.
        let sun = Sem::Weekday {
            wd: 7,
            shift: Shift::Tense,
        };
        assert_eq!(
            v(sun.clone(), &ctx(Some("2025-01-21"), Some(Tense::Past))),
            "2025-01-19"
        );
        assert_eq!(
            v(sun, &ctx(Some("2025-01-21"), Some(Tense::Future))),
            "2025-01-26"
        );
        let tue_f = Sem::Weekday {
            wd: 2,
            shift: Shift::Tense,
        };
        assert_eq!(
            v(tue_f, &ctx(Some("2025-01-21"), Some(Tense::Future))),
            "2025-01-21"
        );
        let tue = Sem::Weekday {
            wd: 2,
            shift: Shift::Tense,
        };
        assert_eq!(
            v(tue.clone(), &ctx(Some("2025-01-21"), Some(Tense::Past))),
            "2025-01-21"
        );
        assert_eq!(v(tue, &ctx(None, Some(Tense::Past))), "XXXX-WXX-2");
    }

    #[test]
    fn month_day_takes_year_by_tense() {
        let dec = Sem::Cal {
            y: YearRef::Implicit,
            m: 12,
            d: Some(5),
        };
        assert_eq!(
            v(dec.clone(), &ctx(Some("2025-02-10"), Some(Tense::Past))),
            "2024-12-05"
        );
        assert_eq!(
            v(dec.clone(), &ctx(Some("2025-02-10"), Some(Tense::Future))),
            "2025-12-05"
        );
        assert_eq!(v(dec, &ctx(None, None)), "XXXX-12-05");
    }

    #[test]
    fn relative_units() {
        let c = ctx(Some("2025-02-10"), Some(Tense::Past));
        assert_eq!(
            v(
                Sem::ThisUnit {
                    unit: Unit::Year,
                    offset: -1
                },
                &c
            ),
            "2024"
        );
        assert_eq!(
            v(
                Sem::ThisUnit {
                    unit: Unit::Week,
                    offset: 0
                },
                &c
            ),
            "2025-W07"
        );
        assert_eq!(
            v(
                Sem::ThisUnit {
                    unit: Unit::Month,
                    offset: -1
                },
                &c
            ),
            "2025-01"
        );
        assert_eq!(
            v(
                Sem::ThisUnit {
                    unit: Unit::Quarter,
                    offset: -1
                },
                &c
            ),
            "2024-Q4"
        );
        assert_eq!(
            v(
                Sem::Ago {
                    n: 1.0,
                    unit: Unit::Week
                },
                &c
            ),
            "2025-02-03"
        );
        assert_eq!(
            v(
                Sem::Ago {
                    n: 3.0,
                    unit: Unit::Year
                },
                &c
            ),
            "2022"
        );
        assert_eq!(v(Sem::DayOffset(-1), &c), "2025-02-09");
        assert_eq!(duration_value(Some(48.0), Unit::Hour), "PT48H");
        assert_eq!(duration_value(Some(2.5), Unit::Year), "P2.5Y");
        assert_eq!(duration_value(None, Unit::Decade), "PXDE");
    }

    #[test]
    fn inference_inverts_weekdays() {
        let tue = Sem::Weekday {
            wd: 2,
            shift: Shift::Tense,
        };
        assert_eq!(
            infer_reference(&tue, Some(Tense::Past), d("2025-01-21")),
            Some(d("2025-01-21"))
        );
        assert_eq!(
            infer_reference(&tue, Some(Tense::Past), d("2025-01-22")),
            None
        );
        assert_eq!(
            infer_reference(&Sem::DayOffset(-1), None, d("2025-01-21")),
            Some(d("2025-01-22"))
        );
    }

    #[test]
    fn well_formed_values() {
        for ok in [
            "2025-01-21",
            "2025-01",
            "2025-W03",
            "2025",
            "199",
            "P3Y",
            "PT48H",
            "PRESENT_REF",
            "XXXX-01-21",
            "XXXX-WXX-7",
            "2025-Q3",
            "2009-SP",
            "2025-01-21TNI",
            "2009-06-01T12:00Z",
            "P2.5Y",
            "PXY",
            "2008-W42-WE",
            "XXXX-XX-XX",
        ] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in ["", "2025-1-2", "P", "hello", "2025-01-21T"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
