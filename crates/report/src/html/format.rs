//! Small formatting helpers for people: counts, dates, rates. All return plain text (callers
//! escape it like any other content).

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

/// A TIMEX3 / ISO date made readable through the time stage's own reading
/// (`parallax_core::time::display`): `2025-03-09` -> `Sun 9 Mar 2025`, `2025-04` -> `Apr
/// 2025`, `XXXX-03-09` -> `9 Mar (year unknown)`, `2025-W03` -> `week of Mon 13 Jan 2025`; a
/// publication timestamp reads as its date. A value with no reading is returned as written.
pub fn human_date(v: &str) -> String {
    let v = v.trim();
    // A publication timestamp ("2025-03-09T10:00:00Z", "2025-03-09 10:00") reads as its day.
    let date = match v.get(..10) {
        Some(d) if v.len() > 10 && matches!(v.as_bytes().get(10), Some(b'T' | b' ')) => d,
        _ => v,
    };
    parallax_core::time::display(date, parallax_core::TimeType::Date)
        .unwrap_or_else(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_humanised_or_kept() {
        assert_eq!(human_date("2025-03-09"), "Sun 9 Mar 2025");
        assert_eq!(human_date("2025-03-09T10:00:00Z"), "Sun 9 Mar 2025");
        assert_eq!(human_date("2025-04"), "Apr 2025");
        assert_eq!(human_date("2019"), "2019");
        assert_eq!(human_date("XXXX-01-21"), "21 Jan (year unknown)");
        assert_eq!(human_date("P3Y"), "3 years");
        assert_eq!(human_date("2024-WI"), "winter 2024");
        assert_eq!(human_date("XXXX-XX-XX"), "date unknown");
        assert_eq!(human_date("2025-13-01"), "2025-13-01");
        assert_eq!(human_date("2025-W03"), "week of Mon 13 Jan 2025");
        assert_eq!(human_date("2010-W26-WE"), "weekend of Sat 3 Jul 2010");
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
        }
    }
}
