//! Outlet names as the reports show them: compared case-insensitively ("NYT" and "nyt" are
//! one outlet, shown in its most frequent spelling), and "unknown" when an article names none
//! (never its file id, which is not an outlet).

use parallax_core::{Document, Report};
use std::collections::HashMap;

/// What the reports say for an article without an outlet.
pub(crate) const UNKNOWN: &str = "unknown";

/// Comparison key: case-folded, whitespace squashed. `None` for an empty name.
pub(crate) fn key(name: &str) -> Option<String> {
    let k = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (!k.is_empty()).then_some(k)
}

/// One display spelling per outlet of a report.
pub(crate) struct Outlets<'a> {
    /// key -> display spelling.
    names: HashMap<String, &'a str>,
}

impl<'a> Outlets<'a> {
    pub fn new(report: &'a Report) -> Self {
        // key -> spelling -> (count, first position)
        let mut seen: HashMap<String, HashMap<&'a str, (usize, usize)>> = HashMap::new();
        for (i, d) in report.documents.iter().enumerate() {
            let Some(name) = d.outlet.as_deref().map(str::trim) else {
                continue;
            };
            if let Some(k) = key(name) {
                let e = seen.entry(k).or_default().entry(name).or_insert((0, i));
                e.0 += 1;
            }
        }
        let names = seen
            .into_iter()
            .filter_map(|(k, spellings)| {
                spellings
                    .into_iter()
                    .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                    .map(|(s, _)| (k, s))
            })
            .collect();
        Outlets { names }
    }

    /// The document's outlet in its shared spelling, `None` when unknown.
    pub fn of(&self, d: &Document) -> Option<&'a str> {
        let k = key(d.outlet.as_deref()?)?;
        self.names.get(&k).copied()
    }

    /// The document's outlet, or [`UNKNOWN`].
    pub fn name(&self, d: &Document) -> &'a str {
        self.of(d).unwrap_or(UNKNOWN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_space() {
        assert_eq!(key(" New  York Times "), key("new york times"));
        assert_eq!(key("NYT"), key("nyt"));
        assert_eq!(key("  "), None);
    }
}
