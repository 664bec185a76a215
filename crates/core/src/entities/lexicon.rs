//! The entity stage's lexicons, parsed once from the data files under `data/entities/` (see
//! each file's header for its source). Everything is a hash lookup so that detection stays a
//! single pass over the tokens, with no per-token regex.

use crate::model::EntityType;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static PLACES: &str = include_str!("../../data/entities/places.tsv");
static PLACES_EXTRA: &str = include_str!("../../data/entities/places_extra.tsv");
static DEMONYMS: &str = include_str!("../../data/entities/demonyms.tsv");
static DEMONYMS_EXTRA: &str = include_str!("../../data/entities/demonyms_extra.tsv");
static ORGS: &str = include_str!("../../data/entities/orgs.tsv");
static ORG_WORDS: &str = include_str!("../../data/entities/org_words.tsv");
static ROLES: &str = include_str!("../../data/entities/roles.tsv");
static COMMON: &str = include_str!("../../data/entities/common_words.txt");
static FIRST_NAMES: &str = include_str!("../../data/entities/first_names.txt");
static NONNAMES: &str = include_str!("../../data/entities/nonnames.txt");
static ACRONYM_STOP: &str = include_str!("../../data/entities/acronym_stop.txt");

/// Where a head word must stand in a run to decide its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadPos {
    First,
    Last,
    Any,
}

/// How a token takes part in a role phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolePart {
    Head,
    Mod,
    Honorific,
}

/// A known place: its kind (`country`, `city`, ...) and the country it belongs to.
#[derive(Debug, Clone)]
pub struct Place {
    pub kind: String,
    pub country: String,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Place name (as written) -> place. Also looked up by lower-cased key in `places_lc`.
    pub places: HashMap<String, Place>,
    pub places_lc: HashMap<String, String>,
    /// Demonym -> the place it points to (may be empty for groups such as "Arab").
    pub demonyms: HashMap<String, String>,
    /// Organisation name or acronym -> canonical full name.
    pub orgs: HashMap<String, String>,
    pub orgs_lc: HashMap<String, String>,
    /// Canonical org name -> its acronym, when it has one.
    pub org_acronym: HashMap<String, String>,
    pub heads: HashMap<String, (EntityType, HeadPos)>,
    pub roles: HashMap<String, RolePart>,
    pub common: HashSet<String>,
    /// The same words with a capital first letter ("However").
    pub common_cap: HashSet<String>,
    pub first_names: HashSet<String>,
    pub nonnames: HashSet<String>,
    pub acronym_stop: HashSet<String>,
}

/// Data lines of a file: no blank lines, no `#` header or comment lines.
fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

fn cols(line: &str) -> Vec<&str> {
    line.split('\t').map(str::trim).collect()
}

impl Lexicon {
    fn load() -> Self {
        let mut lx = Lexicon::default();
        for data in [PLACES, PLACES_EXTRA] {
            for l in lines(data) {
                let c = cols(l);
                if let [name, kind, rest @ ..] = c.as_slice() {
                    let country = rest.first().copied().unwrap_or("");
                    let country = if *kind == "country" && country.is_empty() {
                        name
                    } else {
                        country
                    };
                    lx.places.insert(
                        name.to_string(),
                        Place {
                            kind: kind.to_string(),
                            country: country.to_string(),
                        },
                    );
                    lx.places_lc.insert(name.to_lowercase(), name.to_string());
                }
            }
        }
        for data in [DEMONYMS, DEMONYMS_EXTRA] {
            for l in lines(data) {
                let c = cols(l);
                if let Some(name) = c.first() {
                    let to = c.get(1).copied().unwrap_or("");
                    lx.demonyms.insert(name.to_string(), to.to_string());
                }
            }
        }
        for l in lines(ORGS) {
            let c = cols(l);
            if let Some(name) = c.first() {
                lx.orgs.insert(name.to_string(), name.to_string());
                lx.orgs_lc.insert(name.to_lowercase(), name.to_string());
                if let Some(acr) = c.get(1).filter(|a| !a.is_empty()) {
                    lx.orgs.insert(acr.to_string(), name.to_string());
                    lx.orgs_lc.insert(acr.to_lowercase(), name.to_string());
                    lx.org_acronym.insert(name.to_string(), acr.to_string());
                }
            }
        }
        for l in lines(ORG_WORDS) {
            let c = cols(l);
            if let [w, class, pos] = c.as_slice() {
                let ty = match *class {
                    "PLACE" => EntityType::Place,
                    "EVENT" => EntityType::Event,
                    _ => EntityType::Org,
                };
                let pos = match *pos {
                    "first" => HeadPos::First,
                    "last" => HeadPos::Last,
                    _ => HeadPos::Any,
                };
                lx.heads.insert(w.to_string(), (ty, pos));
            }
        }
        for l in lines(ROLES) {
            let c = cols(l);
            if let [w, part] = c.as_slice() {
                let part = match *part {
                    "head" => RolePart::Head,
                    "honorific" => RolePart::Honorific,
                    _ => RolePart::Mod,
                };
                lx.roles.insert(w.to_string(), part);
            }
        }
        lx.common = lines(COMMON).map(|w| w.trim().to_string()).collect();
        lx.common_cap = lx
            .common
            .iter()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
            .collect();
        lx.first_names = lines(FIRST_NAMES).map(|w| w.trim().to_string()).collect();
        lx.nonnames = lines(NONNAMES).map(|w| w.trim().to_string()).collect();
        lx.acronym_stop = lines(ACRONYM_STOP).map(|w| w.trim().to_string()).collect();
        lx
    }

    /// A place by exact form, then by case-insensitive form.
    pub fn place(&self, name: &str) -> Option<(&str, &Place)> {
        if let Some((k, p)) = self.places.get_key_value(name) {
            return Some((k.as_str(), p));
        }
        let k = self.places_lc.get(&name.to_lowercase())?;
        self.places.get(k).map(|p| (k.as_str(), p))
    }

    /// Canonical organisation name for a known org name or acronym.
    pub fn org(&self, name: &str, case_insensitive: bool) -> Option<&str> {
        if let Some(c) = self.orgs.get(name) {
            return Some(c);
        }
        if case_insensitive {
            return self.orgs_lc.get(&name.to_lowercase()).map(String::as_str);
        }
        None
    }

    /// Demonym -> place, accepting a plural ("Italians").
    pub fn demonym(&self, w: &str) -> Option<&str> {
        if let Some(p) = self.demonyms.get(w) {
            return Some(p);
        }
        let base = w.strip_suffix('s')?;
        self.demonyms.get(base).map(String::as_str)
    }

    pub fn role(&self, w: &str) -> Option<RolePart> {
        let w = w.trim_end_matches('.');
        if w.is_empty() {
            return None;
        }
        if let Some(r) = self.roles.get(w) {
            return Some(*r);
        }
        let lc = w.to_lowercase();
        if let Some(r) = self.roles.get(&lc) {
            return Some(*r);
        }
        // plural titles: "Presidents X and Y"
        let base = lc.strip_suffix('s')?;
        self.roles
            .get(base)
            .copied()
            .filter(|r| *r == RolePart::Head)
    }

    pub fn head(&self, w: &str) -> Option<(EntityType, HeadPos)> {
        self.heads.get(w.trim_end_matches('.')).copied()
    }

    /// Whether the word, lower-cased, is a common English word. Capitalised forms are stored
    /// too, so the usual case needs no allocation.
    pub fn is_common(&self, w: &str) -> bool {
        if self.common.contains(w) || self.common_cap.contains(w) {
            return true;
        }
        let mut chars = w.chars().skip(1);
        if !chars.any(char::is_uppercase) {
            return false;
        }
        self.common.contains(&w.to_lowercase())
    }
}

/// The lexicons, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(Lexicon::load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses() {
        for (name, data, ncols) in [
            ("places", PLACES, 3),
            ("places_extra", PLACES_EXTRA, 3),
            ("demonyms", DEMONYMS, 2),
            ("demonyms_extra", DEMONYMS_EXTRA, 2),
            ("orgs", ORGS, 2),
            ("org_words", ORG_WORDS, 3),
            ("roles", ROLES, 2),
        ] {
            assert!(data.starts_with('#'), "{name} has no header");
            for l in lines(data) {
                assert_eq!(l.split('\t').count(), ncols, "{name}: bad line {l:?}");
            }
        }
        for data in [COMMON, FIRST_NAMES, NONNAMES, ACRONYM_STOP] {
            assert!(data.starts_with('#'));
        }
    }

    #[test]
    fn lookups() {
        let lx = lexicon();
        assert_eq!(
            lx.place("France").map(|p| p.1.kind.as_str()),
            Some("country")
        );
        assert_eq!(lx.demonym("Germans"), Some("Germany"));
        assert_eq!(lx.demonym("French"), Some("France"));
        assert_eq!(
            lx.org("NATO", false),
            Some("North Atlantic Treaty Organization")
        );
        assert_eq!(lx.role("Gen."), Some(RolePart::Head));
        assert!(lx.is_common("However"));
        assert!(!lx.is_common("Zubrowski"));
        assert!(lx.first_names.contains("Maria"));
    }
}
