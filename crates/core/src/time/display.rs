//! Human-readable forms of TIMEX3 values, for every place a person reads a date: "Tue 21 Jan
//! 2025" instead of `2025-01-21`, "week of Mon 9 Jun 2014" instead of `2014-W24`, "3 years"
//! instead of `P3Y`. The TIMEX3 value stays in the JSON beside it; this is only its reading.
//!
//! Pure string work on the value alone, so the same value always reads the same way.

use crate::model::TimeType;
use chrono::{Datelike, NaiveDate, Weekday};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

const WEEKDAYS_LONG: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "Tue 21 Jan 2025".
fn day(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_name(d.weekday()),
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn month_name(m: &str) -> Option<&'static str> {
    let n = digits(m, 2)?;
    MONTHS
        .get(usize::try_from(n).ok()?.checked_sub(1)?)
        .copied()
}

fn season_name(s: &str) -> Option<&'static str> {
    Some(match s {
        "SP" => "spring",
        "SU" => "summer",
        "FA" => "autumn",
        "WI" => "winter",
        _ => return None,
    })
}

fn part_name(s: &str) -> Option<&'static str> {
    Some(match s {
        "MO" => "morning",
        "AF" => "afternoon",
        "EV" => "evening",
        "NI" => "night",
        _ => return None,
    })
}

fn ordinal_half(n: u32) -> Option<&'static str> {
    match n {
        1 => Some("first"),
        2 => Some("second"),
        _ => None,
    }
}

/// "Tue 21 Jan 2025", "Jan 2025", "week of Mon 9 Jun 2014", "spring 2009", "21 Jan (year
/// unknown)": the date part of a value (before any `T`).
fn date_part(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.split('-').collect();
    let year = parts.first().copied()?;
    if year == "XXXX" {
        return unknown_year(&parts);
    }
    match parts.as_slice() {
        [y] => match y.len() {
            4 => digits(y, 4).map(|y| format!("{y}")),
            3 => digits(y, 3).map(|d| format!("the {}s", d * 10)),
            2 => digits(y, 2).map(|c| format!("the {}", century(c + 1))),
            _ => None,
        },
        [y, m] => {
            let y = digits(y, 4)?;
            if let Some(m) = month_name(m) {
                return Some(format!("{m} {y}"));
            }
            if let Some(s) = season_name(m) {
                return Some(format!("{s} {y}"));
            }
            if let Some(q) = m.strip_prefix('Q').and_then(|q| digits(q, 1)) {
                return Some(format!("Q{q} {y}"));
            }
            if let Some(h) = m.strip_prefix('H').and_then(|h| digits(h, 1)) {
                return Some(format!("{} half of {y}", ordinal_half(h)?));
            }
            let w = m.strip_prefix('W').and_then(|w| digits(w, 2))?;
            let monday = NaiveDate::from_isoywd_opt(i32::try_from(y).ok()?, w, Weekday::Mon)?;
            Some(format!("week of {}", day(monday)))
        }
        [y, w, we] if *we == "WE" => {
            let y = i32::try_from(digits(y, 4)?).ok()?;
            let w = w.strip_prefix('W').and_then(|w| digits(w, 2))?;
            let sat = NaiveDate::from_isoywd_opt(y, w, Weekday::Sat)?;
            Some(format!("weekend of {}", day(sat)))
        }
        [y, m, d] => {
            let date = NaiveDate::from_ymd_opt(
                i32::try_from(digits(y, 4)?).ok()?,
                digits(m, 2)?,
                digits(d, 2)?,
            )?;
            Some(day(date))
        }
        _ => None,
    }
}

/// Values whose year is not known: "21 Jan (year unknown)", "a Sunday (date unknown)".
fn unknown_year(parts: &[&str]) -> Option<String> {
    Some(match parts {
        ["XXXX"] => "year unknown".to_string(),
        ["XXXX", "XX"] | ["XXXX", "XX", "XX"] => "date unknown".to_string(),
        ["XXXX", "WXX", "WE"] => "a weekend (date unknown)".to_string(),
        ["XXXX", "WXX", d] => {
            let n = usize::try_from(digits(d, 1)?).ok()?;
            format!("a {} (date unknown)", WEEKDAYS_LONG.get(n.checked_sub(1)?)?)
        }
        ["XXXX", m] => {
            if let Some(m) = month_name(m) {
                format!("{m} (year unknown)")
            } else if let Some(s) = season_name(m) {
                format!("{s} (year unknown)")
            } else if let Some(q) = m.strip_prefix('Q').and_then(|q| digits(q, 1)) {
                format!("Q{q} (year unknown)")
            } else {
                return None;
            }
        }
        ["XXXX", m, d] => format!("{} {} (year unknown)", digits(d, 2)?, month_name(m)?),
        _ => return None,
    })
}

fn century(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix} century")
}

/// "15:00", "15:00 UTC", "15:00 UTC+08:00", "morning".
fn time_part(t: &str) -> Option<String> {
    if let Some(p) = part_name(t) {
        return Some(p.to_string());
    }
    let (clock, zone) = match t.find(['Z', '+', '-']) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let (h, m) = clock.split_once(':')?;
    let (h, m) = (digits(h, 2)?, digits(m, 2)?);
    let zone = match zone {
        "" => String::new(),
        "Z" => " UTC".to_string(),
        z if z.len() == 5 => format!(" UTC{}:{}", &z[..3], &z[3..]),
        _ => return None,
    };
    Some(format!("{h:02}:{m:02}{zone}"))
}

fn unit_words(letter: &str, clock: bool) -> Option<(&'static str, &'static str)> {
    Some(match (letter, clock) {
        ("Y", false) => ("year", "years"),
        ("M", false) => ("month", "months"),
        ("W", false) => ("week", "weeks"),
        ("D", false) => ("day", "days"),
        ("Q", false) => ("quarter", "quarters"),
        ("DE", false) => ("decade", "decades"),
        ("CE", false) => ("century", "centuries"),
        ("WE", false) => ("weekend", "weekends"),
        ("H", true) => ("hour", "hours"),
        ("M", true) => ("minute", "minutes"),
        ("S", true) => ("second", "seconds"),
        _ => return None,
    })
}

/// `P3Y` -> "3 years", `PT48H` -> "48 hours", `PXY` -> "some years".
fn duration(v: &str) -> Option<String> {
    let rest = v.strip_prefix('P')?;
    let (rest, clock) = match rest.strip_prefix('T') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let split = rest.find(|c: char| c.is_ascii_alphabetic() && c != 'X')?;
    let (amount, letter) = rest.split_at(split);
    let (one, many) = unit_words(letter, clock)?;
    if amount == "X" {
        return Some(format!("some {many}"));
    }
    let n: f64 = amount.parse().ok()?;
    Some(if n == 1.0 {
        format!("1 {one}")
    } else {
        format!("{amount} {many}")
    })
}

/// `P1W` -> "every week", `XXXX-WXX-1` -> "every Monday", `TXXMO` -> "every morning".
fn set(v: &str) -> Option<String> {
    if let Some(p) = v.strip_prefix("TXX").and_then(part_name) {
        return Some(format!("every {p}"));
    }
    if let Some(d) = v.strip_prefix("XXXX-WXX-") {
        let n = usize::try_from(digits(d, 1)?).ok()?;
        return Some(format!("every {}", WEEKDAYS_LONG.get(n.checked_sub(1)?)?));
    }
    let d = duration(v)?;
    Some(match d.strip_prefix("1 ") {
        Some(unit) => format!("every {unit}"),
        None => format!("every {d}"),
    })
}

/// The reading of a TIMEX3 value for a person, or `None` when the value has a form this
/// stage does not write.
pub fn display(value: &str, ty: TimeType) -> Option<String> {
    let v = value.trim();
    match v {
        "PRESENT_REF" => return Some("the present".into()),
        "PAST_REF" => return Some("an earlier time".into()),
        "FUTURE_REF" => return Some("a later time".into()),
        _ => {}
    }
    if let Some(y) = v.strip_prefix("FY").and_then(|y| digits(y, 4)) {
        return Some(format!("fiscal year {y}"));
    }
    if ty == TimeType::Set {
        return set(v);
    }
    if v.starts_with('P') {
        return duration(v);
    }
    match v.split_once('T') {
        Some((d, t)) => {
            let t = time_part(t)?;
            if d.is_empty() {
                return Some(t);
            }
            let d = date_part(d)?;
            Some(format!("{d}, {t}"))
        }
        None => date_part(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(v: &str) -> Option<String> {
        display(v, TimeType::Date)
    }

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(date("2025-01-21").as_deref(), Some("Tue 21 Jan 2025"));
        assert_eq!(date("2025-01").as_deref(), Some("Jan 2025"));
        assert_eq!(date("2011").as_deref(), Some("2011"));
        assert_eq!(date("199").as_deref(), Some("the 1990s"));
        assert_eq!(date("20").as_deref(), Some("the 21st century"));
        assert_eq!(date("2014-W24").as_deref(), Some("week of Mon 9 Jun 2014"));
        assert_eq!(
            date("2010-W26-WE").as_deref(),
            Some("weekend of Sat 3 Jul 2010")
        );
        assert_eq!(date("2009-Q3").as_deref(), Some("Q3 2009"));
        assert_eq!(date("2010-H1").as_deref(), Some("first half of 2010"));
        assert_eq!(date("2009-SP").as_deref(), Some("spring 2009"));
        assert_eq!(date("FY2009").as_deref(), Some("fiscal year 2009"));
        assert_eq!(date("PRESENT_REF").as_deref(), Some("the present"));
        assert_eq!(date("FUTURE_REF").as_deref(), Some("a later time"));
    }

    #[test]
    fn unknown_parts_are_said_in_words() {
        assert_eq!(date("XXXX-01-21").as_deref(), Some("21 Jan (year unknown)"));
        assert_eq!(
            date("XXXX-WXX-7").as_deref(),
            Some("a Sunday (date unknown)")
        );
        assert_eq!(date("XXXX-XX-XX").as_deref(), Some("date unknown"));
        assert_eq!(date("XXXX").as_deref(), Some("year unknown"));
    }

    #[test]
    fn times_durations_and_sets() {
        let time = |v: &str| display(v, TimeType::Time);
        assert_eq!(
            time("2025-01-21T15:00").as_deref(),
            Some("Tue 21 Jan 2025, 15:00")
        );
        assert_eq!(
            time("2005-04-27T08:30Z").as_deref(),
            Some("Wed 27 Apr 2005, 08:30 UTC")
        );
        assert_eq!(
            time("2007-10-17T18:40+0800").as_deref(),
            Some("Wed 17 Oct 2007, 18:40 UTC+08:00")
        );
        assert_eq!(
            time("2025-02-04TNI").as_deref(),
            Some("Tue 4 Feb 2025, night")
        );
        let dur = |v: &str| display(v, TimeType::Duration);
        assert_eq!(dur("P3Y").as_deref(), Some("3 years"));
        assert_eq!(dur("P1D").as_deref(), Some("1 day"));
        assert_eq!(dur("PT48H").as_deref(), Some("48 hours"));
        assert_eq!(dur("PT30M").as_deref(), Some("30 minutes"));
        assert_eq!(dur("P6M").as_deref(), Some("6 months"));
        assert_eq!(dur("P2.5Y").as_deref(), Some("2.5 years"));
        assert_eq!(dur("PXDE").as_deref(), Some("some decades"));
        let set = |v: &str| display(v, TimeType::Set);
        assert_eq!(set("P1W").as_deref(), Some("every week"));
        assert_eq!(set("P2W").as_deref(), Some("every 2 weeks"));
        assert_eq!(set("XXXX-WXX-1").as_deref(), Some("every Monday"));
        assert_eq!(set("TXXMO").as_deref(), Some("every morning"));
    }

    #[test]
    fn malformed_values_have_no_reading() {
        for v in [
            "",
            "2025-13-01",
            "2025-02-30",
            "P",
            "hello",
            "2025-W60",
            "XXXX-WXX-9",
        ] {
            assert_eq!(date(v), None, "{v}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            for ty in [TimeType::Date, TimeType::Time, TimeType::Duration, TimeType::Set] {
                let _ = display(&s, ty);
            }
        }
    }
}
