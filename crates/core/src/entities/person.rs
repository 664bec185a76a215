//! Person keys: what a person's name says about who they are, for deciding whether two
//! mentions can be one person before they are merged on a shared surname.
//!
//! A key keeps the surname, the given name (if written), the gender the text gives (a title such
//! as "Mrs.", a family word such as "his wife", or a given name that is only ever one gender)
//! and drops what does not tell people apart when matching: middle initials and generational
//! suffixes ("Jo M. Lee Jr." matches "Jo Lee"). Given names match when equal, when one is the
//! initial of the other, or when the nickname table pairs them ("Bill" / "William"). Two keys
//! with different given names or genders are two people, whatever their surname.

use super::names::{fold, translit_match};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static NICKNAMES: &str = include_str!("../../data/entities/nicknames.tsv");
static GENDERS: &str = include_str!("../../data/entities/name_gender.tsv");
static PERSON_WORDS: &str = include_str!("../../data/entities/person_words.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    fn parse(s: &str) -> Option<Gender> {
        match s {
            "M" => Some(Gender::Male),
            "F" => Some(Gender::Female),
            _ => None,
        }
    }
}

struct Words {
    /// Unordered given-name pairs ("bill", "william"), both orders stored.
    nicknames: HashSet<(String, String)>,
    genders: HashMap<String, Gender>,
    titles: HashMap<String, Gender>,
    /// Relative word -> the relative's gender, when the word gives one.
    family: HashMap<String, Option<Gender>>,
}

fn data_lines(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut nicknames = HashSet::new();
        for c in data_lines(NICKNAMES) {
            if let [a, b] = c.as_slice() {
                nicknames.insert((a.to_string(), b.to_string()));
                nicknames.insert((b.to_string(), a.to_string()));
            }
        }
        let mut genders = HashMap::new();
        for c in data_lines(GENDERS) {
            if let [n, g] = c.as_slice() {
                if let Some(g) = Gender::parse(g) {
                    genders.insert(n.to_string(), g);
                }
            }
        }
        let (mut titles, mut family) = (HashMap::new(), HashMap::new());
        for c in data_lines(PERSON_WORDS) {
            match c.as_slice() {
                ["title", w, g] => {
                    if let Some(g) = Gender::parse(g) {
                        titles.insert(w.to_string(), g);
                    }
                }
                ["family", w, g] => {
                    family.insert(w.to_string(), Gender::parse(g));
                }
                _ => {}
            }
        }
        Words {
            nicknames,
            genders,
            titles,
            family,
        }
    })
}

/// Particles that belong to a surname ("al-Kaziri", "bin Salem", "van Dijk", "de la Rosa").
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "abu", "ben", "van", "von", "de", "da", "di", "du", "del",
    "della", "der", "den", "des", "la", "le", "st", "mac", "o",
];

/// Generational suffixes dropped for matching.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// What a person's name says about who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKey {
    /// Folded given name, when the name has one ("jo"); an initial is kept as one letter.
    pub first: Option<String>,
    /// Folded surname ("lee"): the last word after titles and suffixes are dropped.
    pub last: String,
    pub gender: Option<Gender>,
}

impl PersonKey {
    /// The matching form: given name and surname, without titles, middle names, initials or
    /// suffixes ("jo lee" for "Jo M. Lee Jr.").
    #[cfg(test)]
    pub fn match_form(&self) -> String {
        match &self.first {
            Some(f) => format!("{f} {}", self.last),
            None => self.last.clone(),
        }
    }
}

/// The gender a title gives ("Mrs." -> female), if it is one of the gendered titles.
pub fn title_gender(title: &str) -> Option<Gender> {
    let t = fold(title);
    t.split(' ')
        .find_map(|w| words().titles.get(w.trim_end_matches('.')).copied())
}

/// The gender a given name is always used for, if the name list knows one.
pub fn name_gender(first: &str) -> Option<Gender> {
    words().genders.get(&fold(first)).copied()
}

/// A relative word ("wife", "son") and the gender it gives the relative (`Some(None)`: a
/// relative of either gender).
pub fn family_word(w: &str) -> Option<Option<Gender>> {
    words().family.get(&w.to_lowercase()).copied()
}

/// Reads a person name as written, with the role or title the text gives it ("Mrs.").
/// `None` for an empty name.
pub fn person_key(text: &str, role: Option<&str>) -> Option<PersonKey> {
    let folded = fold(text);
    let mut w: Vec<&str> = folded.split(' ').filter(|x| !x.is_empty()).collect();
    let mut gender = role.and_then(title_gender);
    // Titles written inside the name ("Mrs Jo Lee").
    while w.len() > 1 {
        match words().titles.get(w[0]) {
            Some(&g) => {
                gender = gender.or(Some(g));
                w.remove(0);
            }
            None if matches!(w[0], "dr" | "prof" | "rev") => {
                w.remove(0);
            }
            None => break,
        }
    }
    while w.len() > 1 && w.last().is_some_and(|x| SUFFIXES.contains(x)) {
        w.pop();
    }
    let last = w.last()?.to_string();
    // "al-Kaziri", "van Dijk": a name particle opens a surname, not a given name.
    let first = (w.len() >= 2 && !PARTICLES.contains(&w[0])).then(|| w[0].to_string());
    if gender.is_none() {
        gender = first
            .as_deref()
            .filter(|f| f.len() > 1)
            .and_then(name_gender);
    }
    Some(PersonKey {
        first,
        last,
        gender,
    })
}

/// Whether two given names can name one person: equal, an initial of the other, paired in
/// the nickname table, or transliteration variants.
pub fn first_names_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let initial = |x: &str, y: &str| x.chars().count() == 1 && y.starts_with(x);
    if initial(a, b) || initial(b, a) {
        return true;
    }
    words().nicknames.contains(&(a.to_string(), b.to_string())) || translit_match(a, b)
}

/// Whether two surnames are the same (folded, or transliteration variants).
pub fn surnames_match(a: &str, b: &str) -> bool {
    a == b || translit_match(a, b)
}

/// Whether two keys can name one person: the same surname, and no difference in given name or
/// gender where both are known.
pub fn keys_match(a: &PersonKey, b: &PersonKey) -> bool {
    surnames_match(&a.last, &b.last) && no_conflict(a, b)
}

/// Whether nothing known about the two tells them apart (given name, gender), surnames aside.
pub fn no_conflict(a: &PersonKey, b: &PersonKey) -> bool {
    if let (Some(x), Some(y)) = (&a.first, &b.first) {
        if !first_names_match(x, y) {
            return false;
        }
    }
    !matches!((a.gender, b.gender), (Some(x), Some(y)) if x != y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> PersonKey {
        person_key(s, None).expect("a name")
    }

    #[test]
    fn middle_initials_and_suffixes_are_dropped() {
        assert_eq!(key("Jo M. Lee Jr.").match_form(), "jo lee");
        assert_eq!(key("Ana Ruiz III").match_form(), "ana ruiz");
        assert_eq!(key("Lee").match_form(), "lee");
        assert!(keys_match(&key("Jo M. Lee Jr."), &key("Jo Lee")));
        assert!(keys_match(&key("J. Lee"), &key("Jo Lee")));
        assert_eq!(key("al-Kaziri").first, None);
        assert!(keys_match(&key("Omar al-Kaziri"), &key("al-Kaziri")));
    }

    #[test]
    fn given_name_variants_from_the_nickname_table() {
        assert!(first_names_match("bill", "william"));
        assert!(first_names_match("william", "bill"));
        assert!(first_names_match("peggy", "margaret"));
        assert!(!first_names_match("bill", "hillary"));
        assert!(keys_match(&key("Bill Tarrant"), &key("William Tarrant")));
        assert!(!keys_match(&key("Sam Tarrant"), &key("Ruth Tarrant")));
    }

    #[test]
    fn titles_and_given_names_give_a_gender() {
        assert_eq!(title_gender("Mrs."), Some(Gender::Female));
        assert_eq!(title_gender("Mr"), Some(Gender::Male));
        assert_eq!(title_gender("President"), None);
        let mrs = person_key("Lee", Some("Mrs.")).expect("a name");
        assert_eq!(mrs.gender, Some(Gender::Female));
        assert!(!keys_match(&mrs, &key("William Lee")));
        assert!(keys_match(&mrs, &key("Margaret Lee")));
        assert_eq!(key("Mr. Sam Lee").gender, Some(Gender::Male));
        assert_eq!(family_word("wife"), Some(Some(Gender::Female)));
        assert_eq!(family_word("spouse"), Some(None));
        assert_eq!(family_word("colleague"), None);
    }
}
