//! Query parameters: read leniently (unknown ones are ignored, empty ones are absent), checked
//! strictly (a value that cannot be used is a 400 naming the parameter, never a guess).

use crate::error::WebError;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use serde::Deserialize;

/// Highest page number accepted: deeper pages are a crawler's loop, not a reader.
pub const MAX_PAGE: usize = 10_000;
/// Longest outlet name accepted.
const MAX_OUTLET: usize = 200;
/// Longest search accepted (the store refuses longer ones too).
pub const MAX_QUERY: usize = 1000;

/// Every parameter any page reads; each page uses its own.
#[derive(Debug, Default, Deserialize)]
pub struct Raw {
    pub q: Option<String>,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub page: Option<String>,
}

/// The parameters once checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub q: Option<String>,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// 1-based.
    pub page: usize,
}

/// Checks what axum parsed (or the reason it could not).
pub fn check(q: Result<Query<Raw>, QueryRejection>) -> Result<Checked, WebError> {
    let Query(raw) =
        q.map_err(|e| WebError::BadRequest(format!("the query string cannot be read: {e}")))?;
    let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let q = text(raw.q);
    if q.as_ref().is_some_and(|q| q.len() > MAX_QUERY) {
        return Err(WebError::BadRequest(format!(
            "q: the search is longer than {MAX_QUERY} bytes"
        )));
    }
    let outlet = text(raw.outlet);
    if outlet.as_ref().is_some_and(|o| o.len() > MAX_OUTLET) {
        return Err(WebError::BadRequest(format!(
            "outlet: longer than {MAX_OUTLET} bytes"
        )));
    }
    let since = date("since", text(raw.since))?;
    let until = date("until", text(raw.until))?;
    if let (Some(a), Some(b)) = (&since, &until) {
        if a > b {
            return Err(WebError::BadRequest(format!(
                "since ({a}) is after until ({b})"
            )));
        }
    }
    Ok(Checked {
        q,
        outlet,
        since,
        until,
        page: page(text(raw.page).as_deref())?,
    })
}

fn page(raw: Option<&str>) -> Result<usize, WebError> {
    let Some(raw) = raw else { return Ok(1) };
    match raw.parse::<usize>() {
        Ok(n) if (1..=MAX_PAGE).contains(&n) && raw.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(WebError::BadRequest(format!(
            "page: a whole number from 1 to {MAX_PAGE}, not “{}”",
            parallax_core::text::truncate_chars(raw, 40)
        ))),
    }
}

/// A calendar date `YYYY-MM-DD` (what an `<input type=date>` sends).
fn date(name: &str, raw: Option<String>) -> Result<Option<String>, WebError> {
    let Some(d) = raw else { return Ok(None) };
    let b = d.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = d.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && num(0..4).is_some()
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|x| (1..=31).contains(&x));
    if ok {
        Ok(Some(d))
    } else {
        Err(WebError::BadRequest(format!(
            "{name}: a date like 2025-01-21, not “{}”",
            parallax_core::text::truncate_chars(&d, 40)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> Result<Checked, WebError> {
        let mut r = Raw::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => r.q = v,
                "outlet" => r.outlet = v,
                "since" => r.since = v,
                "until" => r.until = v,
                "page" => r.page = v,
                _ => {}
            }
        }
        check(Ok(Query(r)))
    }

    #[test]
    fn good_values_pass_and_empty_ones_are_absent() {
        let c = raw(&[
            ("q", " flood "),
            ("since", "2025-01-02"),
            ("page", "3"),
            ("outlet", ""),
        ])
        .expect("valid");
        assert_eq!(c.q.as_deref(), Some("flood"));
        assert_eq!(c.since.as_deref(), Some("2025-01-02"));
        assert_eq!(c.outlet, None);
        assert_eq!(c.page, 3);
        assert_eq!(raw(&[]).expect("none").page, 1);
    }

    #[test]
    fn bad_values_are_400s_naming_the_parameter() {
        for (k, v) in [
            ("page", "0"),
            ("page", "-1"),
            ("page", "+2"),
            ("page", "99999999999999999999999"),
            ("page", "10001"),
            ("since", "2025-13-01"),
            ("since", "yesterday"),
            ("until", "2025-1-1"),
            ("until", "２０２５-01-01"),
        ] {
            match raw(&[(k, v)]) {
                Err(WebError::BadRequest(m)) => assert!(m.starts_with(k), "{m}"),
                other => panic!("{k}={v}: {other:?}"),
            }
        }
        assert!(raw(&[("since", "2025-02-01"), ("until", "2025-01-01")]).is_err());
        assert!(raw(&[("q", &"x".repeat(MAX_QUERY + 1))]).is_err());
        assert!(raw(&[("outlet", &"x".repeat(201))]).is_err());
    }
}
