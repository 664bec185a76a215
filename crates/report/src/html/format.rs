//! Small formatting helpers for people: counts, dates, rates. All return plain text (callers
//! escape it like any other content).

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `1 article`, `3 articles`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// At most `max` chars, with an ellipsis when cut; never splits a char.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => {
            let mut t = s.get(..i).unwrap_or(s).trim_end().to_string();
            t.push('…');
            t
        }
    }
}

/// A rate such as loaded words per 1000: one decimal, `–` when not a finite number.
pub(crate) fn rate(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "–".to_string()
    }
}

/// A share in 0..1 as a whole percentage clamped to 0..=100 (`None` when not finite).
pub(crate) fn percent(x: f64) -> Option<u32> {
    if x.is_finite() {
        Some((x * 100.0).round().clamp(0.0, 100.0) as u32)
    } else {
        None
    }
}

/// A TIMEX3 / ISO date made readable: `2025-03-09` -> `9 Mar 2025`, `2025-04` -> `Apr 2025`,
/// `XXXX-03-09` -> `9 Mar (year unknown)`, a timestamp keeps its date part. Anything else
/// (durations, weeks, seasons, `PRESENT_REF`) is returned as written, since the raw value is
/// then the most honest description.
pub fn human_date(v: &str) -> String {
    let v = v.trim();
    let date = v.split(['T', ' ']).next().unwrap_or(v);
    let parts: Vec<&str> = date.split('-').collect();
    let year = |y: &str| -> Option<String> {
        if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
            Some(y.to_string())
        } else if y.eq_ignore_ascii_case("XXXX") {
            Some("(year unknown)".to_string())
        } else {
            None
        }
    };
    let month = |m: &str| -> Option<&'static str> {
        let n: usize = m.parse().ok()?;
        if m.len() == 2 {
            MONTHS.get(n.checked_sub(1)?).copied()
        } else {
            None
        }
    };
    let day = |d: &str| -> Option<u32> {
        let n: u32 = d.parse().ok()?;
        (d.len() == 2 && (1..=31).contains(&n)).then_some(n)
    };
    if v.eq_ignore_ascii_case("XXXX-XX-XX") || v.eq_ignore_ascii_case("XXXX") {
        return "date unknown".to_string();
    }
    let season = |s: &str| -> Option<&'static str> {
        match s.to_ascii_uppercase().as_str() {
            "SP" => Some("spring"),
            "SU" => Some("summer"),
            "FA" | "AU" => Some("autumn"),
            "WI" => Some("winter"),
            _ => None,
        }
    };
    match parts.as_slice() {
        [y, s] if season(s).is_some() => match (year(y), season(s)) {
            (Some(y), Some(s)) => format!("{s} {y}"),
            _ => v.to_string(),
        },
        [y, m, d] => match (year(y), month(m), day(d)) {
            (Some(y), Some(m), Some(d)) => format!("{d} {m} {y}"),
            _ => v.to_string(),
        },
        [y, m] => match (year(y), month(m)) {
            (Some(y), Some(m)) => format!("{m} {y}"),
            _ => v.to_string(),
        },
        [y] if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => y.to_string(),
        _ => v.to_string(),
    }
}

/// A TIMEX3 date written the way people write dates on a timeline: `2025-01-21` ->
/// `Tue 21 Jan 2025`, `2014-W24` -> `week of 9 Jun 2014`, `2014-W24-WE` -> `weekend of 14 Jun
/// 2014`, `2025-01-21T14:30` -> `Tue 21 Jan 2025, 14:30`, `2025-01-21TMO` -> `Tue 21 Jan
/// 2025, morning`, `2014-Q2` -> `Q2 2014`, `201X` -> `the 2010s`. Everything else as
/// [`human_date`] writes it.
pub fn human_day(v: &str) -> String {
    use chrono::{Datelike, NaiveDate, Weekday};
    let v = v.trim();
    let day = |d: NaiveDate| {
        format!(
            "{} {} {} {}",
            d.weekday(),
            d.day(),
            MONTHS[d.month0() as usize],
            d.year()
        )
    };
    let (date, time) = match v.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    if let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        if date.len() != 10 {
            return human_date(v);
        }
        let mut out = day(d);
        match time.map(|t| t.trim_end_matches('Z')) {
            None | Some("") => {}
            Some(t) => {
                let part = match t {
                    "MO" => Some("morning".to_string()),
                    "AF" => Some("afternoon".to_string()),
                    "EV" => Some("evening".to_string()),
                    "NI" => Some("night".to_string()),
                    "DT" => Some("daytime".to_string()),
                    _ => t
                        .get(..5)
                        .filter(|hm| {
                            hm.as_bytes().get(2) == Some(&b':')
                                && hm
                                    .bytes()
                                    .enumerate()
                                    .all(|(i, b)| i == 2 || b.is_ascii_digit())
                        })
                        .map(str::to_string),
                };
                if let Some(p) = part {
                    out.push_str(", ");
                    out.push_str(&p);
                }
            }
        }
        return out;
    }
    let parts: Vec<&str> = v.split('-').collect();
    let year = |y: &str| -> Option<i32> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y, w] | [y, w, _] if w.len() == 3 && w.starts_with(['W', 'w']) => {
            let week: Option<u32> = w.get(1..).and_then(|n| n.parse().ok());
            let monday = year(y)
                .zip(week)
                .and_then(|(y, w)| NaiveDate::from_isoywd_opt(y, w, Weekday::Mon));
            match (monday, parts.get(2)) {
                (Some(m), None) => format!("week of {}", strip_weekday(&day(m))),
                (Some(m), Some(we)) if we.eq_ignore_ascii_case("WE") => {
                    let sat = m + chrono::Days::new(5);
                    format!("weekend of {}", strip_weekday(&day(sat)))
                }
                _ => human_date(v),
            }
        }
        [y, q]
            if q.len() == 2
                && q.starts_with(['Q', 'q'])
                && year(y).is_some()
                && matches!(&q[1..], "1" | "2" | "3" | "4") =>
        {
            format!("Q{} {y}", &q[1..])
        }
        [dec]
            if dec.len() == 4
                && dec.ends_with(['X', 'x'])
                && dec[..3].bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("the {}0s", &dec[..3])
        }
        _ => human_date(v),
    }
}

/// `Mon 9 Jun 2014` -> `9 Jun 2014`.
fn strip_weekday(s: &str) -> String {
    s.split_once(' ').map_or(s, |(_, rest)| rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_for_people() {
        assert_eq!(human_day("2025-01-21"), "Tue 21 Jan 2025");
        assert_eq!(human_day("2014-W24"), "week of 9 Jun 2014");
        assert_eq!(human_day("2014-W24-WE"), "weekend of 14 Jun 2014");
        assert_eq!(human_day("2025-01-21T14:30"), "Tue 21 Jan 2025, 14:30");
        assert_eq!(human_day("2025-01-21T14:30:00Z"), "Tue 21 Jan 2025, 14:30");
        assert_eq!(human_day("2025-01-21TMO"), "Tue 21 Jan 2025, morning");
        assert_eq!(human_day("2014-Q2"), "Q2 2014");
        assert_eq!(human_day("201X"), "the 2010s");
        assert_eq!(human_day("2025-04"), "Apr 2025");
        assert_eq!(human_day("XXXX-01-21"), "21 Jan (year unknown)");
        assert_eq!(human_day("2014-W60"), "2014-W60");
        assert_eq!(human_day("P3D"), "P3D");
    }

    #[test]
    fn dates_are_humanised_or_kept() {
        assert_eq!(human_date("2025-03-09"), "9 Mar 2025");
        assert_eq!(human_date("2025-03-09T10:00:00Z"), "9 Mar 2025");
        assert_eq!(human_date("2025-04"), "Apr 2025");
        assert_eq!(human_date("2019"), "2019");
        assert_eq!(human_date("XXXX-01-21"), "21 Jan (year unknown)");
        assert_eq!(human_date("P3Y"), "P3Y");
        assert_eq!(human_date("2024-WI"), "winter 2024");
        assert_eq!(human_date("XXXX-XX-XX"), "date unknown");
        assert_eq!(human_date("2025-13-01"), "2025-13-01");
        assert_eq!(human_date("2025-W03"), "2025-W03");
        assert_eq!(human_date(""), "");
    }

    #[test]
    fn truncate_respects_chars() {
        assert_eq!(truncate("héllo wörld", 5), "héllo…");
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn rates_and_percents_tolerate_nan() {
        assert_eq!(rate(f64::NAN), "–");
        assert_eq!(rate(12.345), "12.3");
        assert_eq!(percent(0.456), Some(46));
        assert_eq!(percent(7.0), Some(100));
        assert_eq!(percent(f64::INFINITY), None);
    }

    proptest::proptest! {
        #[test]
        fn human_date_never_panics(s in ".*") {
            let _ = human_date(&s);
            let _ = truncate(&s, 7);
            let _ = human_day(&s);
        }
    }
}
