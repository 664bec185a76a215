//! The claims stage's word lists, parsed once from the data files under `data/lexicons/`, and a
//! phrase matcher over folded word tokens.
//!
//! Matching works on the words of [`crate::text::words`], lower-cased with typographic
//! apostrophes folded ([`crate::text::fold`]). Inflected forms are generated when the lists are
//! loaded (a verb entry also matches its -s/-ed/-ing forms), so matching itself is one hash
//! look-up per word plus a short scan of the phrases that start with that word: no regex runs
//! per word.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static REPORTING: &str = include_str!("../../data/lexicons/reporting_verbs.tsv");
static HEDGES: &str = include_str!("../../data/lexicons/hedges.tsv");
static LOADED: &str = include_str!("../../data/lexicons/loaded.tsv");
static VADER: &str = include_str!("../../data/lexicons/vader_emotive.tsv");
static SCORED: &str = include_str!("../../data/lexicons/loaded_scored.tsv");
static OPINION: &str = include_str!("../../data/lexicons/opinion.tsv");
static SOURCE_NOUNS: &str = include_str!("../../data/lexicons/source_nouns.txt");
static TITLES: &str = include_str!("../../data/lexicons/titles.txt");
static DOCUMENT_NOUNS: &str = include_str!("../../data/lexicons/document_nouns.tsv");

/// Kind of reporting verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbKind {
    Speech,
    Cognition,
    Demand,
    /// A verb of saying only right next to a quote ("…," she continued).
    QuoteOnly,
}

/// A reporting-verb match payload.
#[derive(Debug, Clone)]
pub struct Verb {
    pub kind: VerbKind,
    /// The matched form is an `-ing` participle ("saying", "remarking").
    pub participle: bool,
}

/// A hedge entry.
#[derive(Debug, Clone)]
pub struct Hedge {
    /// The phrase as reported in `markers`.
    pub phrase: String,
    pub strength: f32,
    /// A modal verb: counts only when a verb-like word follows.
    pub modal: bool,
}

/// A loaded-term entry.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The lexicon form (lemma), used to count terms across inflections.
    pub term: String,
    pub category: String,
    pub alternative: Option<String>,
    /// From the model-built list (`loaded_scored.tsv`): evidence about the outlet's own
    /// wording, so it is not counted inside a quotation.
    pub model: bool,
    /// Rests on thin evidence (a word annotators marked in a single sentence): counted only
    /// beside another loaded cue in the same sentence (see `loaded_scored.tsv`'s header).
    pub paired: bool,
}

/// An opinion-cue entry.
#[derive(Debug, Clone)]
pub struct Cue {
    pub phrase: String,
    /// A verdict word that counts only as the predicate of "be" ("The vote was a betrayal").
    pub predicate: bool,
}

/// Greedy longest-match phrase matcher over folded word tokens.
#[derive(Debug)]
pub struct PhraseSet<T> {
    /// First word -> (remaining words, payload), longest first.
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            by_first: HashMap::new(),
        }
    }
}

impl<T> PhraseSet<T> {
    /// Adds a phrase given as folded words; an existing identical phrase is kept.
    pub fn insert(&mut self, words: Vec<String>, payload: T) {
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let list = self.by_first.entry(first.clone()).or_default();
        if list.iter().any(|(r, _)| r.as_slice() == rest) {
            return;
        }
        list.push((rest.to_vec(), payload));
        list.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
    }

    /// The longest phrase starting at `words[i]`: its length in words and payload.
    pub fn longest_at<S: AsRef<str>>(&self, words: &[S], i: usize) -> Option<(usize, &T)> {
        let first = words.get(i)?.as_ref();
        let list = self.by_first.get(first)?;
        list.iter().find_map(|(rest, p)| {
            let ok = rest
                .iter()
                .enumerate()
                .all(|(k, w)| words.get(i + 1 + k).is_some_and(|x| x.as_ref() == w));
            ok.then_some((rest.len() + 1, p))
        })
    }

    /// All non-overlapping longest matches, left to right: `(first word, word count, payload)`.
    pub fn find_all<S: AsRef<str>>(&self, words: &[S]) -> Vec<(usize, usize, &T)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some((n, p)) = self.longest_at(words, i) {
                out.push((i, n, p));
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    pub fn contains_first(&self, w: &str) -> bool {
        self.by_first.contains_key(w)
    }

    pub fn len(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

/// Every lexicon the stage uses.
#[derive(Debug)]
pub struct Lexicons {
    pub verbs: PhraseSet<Verb>,
    pub hedges: PhraseSet<Hedge>,
    pub loaded: PhraseSet<Loaded>,
    pub opinion: PhraseSet<Cue>,
    pub source_nouns: HashSet<String>,
    pub titles: HashSet<String>,
    /// Document noun (and its plural) -> its class ("commercial" -> "ad").
    pub documents: HashMap<String, String>,
}

/// The lexicons, parsed on first use.
pub fn get() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| Lexicons {
        verbs: parse_verbs(REPORTING),
        hedges: parse_hedges(HEDGES),
        loaded: parse_loaded(LOADED, VADER, SCORED),
        opinion: parse_opinion(OPINION),
        source_nouns: parse_words(SOURCE_NOUNS, true),
        titles: parse_words(TITLES, false),
        documents: parse_documents(DOCUMENT_NOUNS),
    })
}

/// Lines that carry data: not blank, not `#` comments.
fn data_lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Splits a phrase into folded words the way sentences are split.
pub fn phrase_words(s: &str) -> Vec<String> {
    crate::text::words(s)
        .map(|(_, w)| crate::text::fold(w))
        .collect()
}

/// Regular inflections of one English word. Over-generation is harmless (a non-word never
/// matches); missed irregular forms are listed in the data files.
pub fn inflect_verb(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    if n < 2 {
        return out;
    }
    let last = chars[n - 1];
    let prev = chars[n - 2];
    let vowel = |c: char| "aeiou".contains(c);
    if last == 'e' {
        let stem = &w[..w.len() - 1];
        out.push(format!("{w}s"));
        out.push(format!("{w}d"));
        out.push(format!("{stem}ing"));
    } else if last == 'y' && !vowel(prev) {
        let stem = &w[..w.len() - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
        out.push(format!("{w}ing"));
    } else {
        let es = w.ends_with('s')
            || w.ends_with('x')
            || w.ends_with('z')
            || w.ends_with("ch")
            || w.ends_with("sh");
        out.push(if es {
            format!("{w}es")
        } else {
            format!("{w}s")
        });
        out.push(format!("{w}ed"));
        out.push(format!("{w}ing"));
        // Consonant doubling ("slam" -> "slammed", "admit" -> "admitted"); generated as an
        // extra form because it depends on stress the inflector cannot see.
        if !vowel(last) && vowel(prev) && !"wxy".contains(last) {
            out.push(format!("{w}{last}ed"));
            out.push(format!("{w}{last}ing"));
        }
    }
    out
}

pub fn inflect_noun(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    if let Some(stem) = w.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'o', 'u']) {
            out.push(format!("{stem}ies"));
            return out;
        }
    }
    if w.ends_with('s') || w.ends_with('x') || w.ends_with("ch") || w.ends_with("sh") {
        out.push(format!("{w}es"));
    } else {
        out.push(format!("{w}s"));
    }
    out
}

/// An adjective and its adverb ("brutal" -> "brutally", "terrible" -> "terribly").
pub fn inflect_adj(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    if let Some(stem) = w.strip_suffix("le") {
        out.push(format!("{stem}ly"));
    } else if let Some(stem) = w.strip_suffix('y') {
        out.push(format!("{stem}ily"));
    } else if w.ends_with("ic") {
        out.push(format!("{w}ally"));
    } else {
        out.push(format!("{w}ly"));
    }
    out
}

/// All written forms of an entry: the explicit `a|b|c` forms plus generated inflections of the
/// word that inflects (first word for verbs, last word for nouns, single adjectives).
fn forms(field: &str, pos: &str) -> Vec<(Vec<String>, String)> {
    let mut parts = field.split('|').map(str::trim).filter(|s| !s.is_empty());
    let Some(lemma) = parts.next() else {
        return Vec::new();
    };
    let lemma_words = phrase_words(lemma);
    let mut out: Vec<Vec<String>> = vec![lemma_words.clone()];
    if !lemma_words.is_empty() {
        match pos {
            "v" => {
                for f in inflect_verb(&lemma_words[0]) {
                    let mut w = lemma_words.clone();
                    w[0] = f;
                    out.push(w);
                }
            }
            "n" => {
                let last = lemma_words.len() - 1;
                for f in inflect_noun(&lemma_words[last]) {
                    let mut w = lemma_words.clone();
                    w[last] = f;
                    out.push(w);
                }
            }
            "a" if lemma_words.len() == 1 => {
                for f in inflect_adj(&lemma_words[0]) {
                    out.push(vec![f]);
                }
            }
            _ => {}
        }
    }
    for p in parts {
        out.push(phrase_words(p));
    }
    out.into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| (w, lemma.to_string()))
        .collect()
}

fn parse_verbs(data: &str) -> PhraseSet<Verb> {
    let mut set = PhraseSet::default();
    for line in data_lines(data) {
        let mut cols = line.split('\t');
        let (Some(field), Some(kind)) = (cols.next(), cols.next()) else {
            continue;
        };
        let kind = match kind.trim() {
            "cognition" => VerbKind::Cognition,
            "demand" => VerbKind::Demand,
            "quote" => VerbKind::QuoteOnly,
            _ => VerbKind::Speech,
        };
        for (words, _) in forms(field, "v") {
            let participle = words.first().is_some_and(|w| w.ends_with("ing"));
            set.insert(words, Verb { kind, participle });
        }
    }
    set
}

const BE: [&str; 7] = ["is", "are", "was", "were", "be", "been", "being"];

fn parse_hedges(data: &str) -> PhraseSet<Hedge> {
    let mut set = PhraseSet::default();
    for line in data_lines(data) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [phrase, strength, kind] = cols.as_slice() else {
            continue;
        };
        let strength: f32 = strength.trim().parse().unwrap_or(0.5);
        let modal = kind.trim() == "modal";
        let variants: Vec<String> = if let Some(rest) = phrase.strip_prefix("BE ") {
            BE.iter().map(|b| format!("{b} {rest}")).collect()
        } else {
            vec![phrase.to_string()]
        };
        for v in variants {
            let words = phrase_words(&v);
            set.insert(
                words,
                Hedge {
                    phrase: v.clone(),
                    strength,
                    modal,
                },
            );
        }
    }
    set
}

/// The loaded terms: the hand list (`loaded.tsv`, with categories and neutral alternatives),
/// the chosen VADER words, and the single words a model over BABE evidence adds
/// (`loaded_scored.tsv`, see its header). An entry listed earlier wins.
fn parse_loaded(data: &str, vader: &str, scored: &str) -> PhraseSet<Loaded> {
    let mut set = PhraseSet::default();
    // Rows of the scored list with no probability pair a VADER word (see its header).
    let vader_paired: HashSet<&str> = data_lines(scored)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(2).map(|p| p.trim()) == Some("-")).then(|| cols[0].trim())
        })
        .collect();
    for line in data_lines(data) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [field, category, alt, pos] = cols.as_slice() else {
            continue;
        };
        let alternative = match alt.trim() {
            "-" | "" => None,
            a => Some(a.to_string()),
        };
        for (words, lemma) in forms(field, pos.trim()) {
            set.insert(
                words,
                Loaded {
                    term: lemma,
                    category: category.trim().to_string(),
                    alternative: alternative.clone(),
                    model: false,
                    paired: false,
                },
            );
        }
    }
    for line in data_lines(vader) {
        let Some(word) = line.split('\t').next() else {
            continue;
        };
        let words = phrase_words(word);
        set.insert(
            words,
            Loaded {
                term: word.trim().to_string(),
                category: "emotive".to_string(),
                alternative: None,
                model: false,
                paired: vader_paired.contains(word.trim()),
            },
        );
    }
    for line in data_lines(scored) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(word), Some(category)) = (cols.first(), cols.get(1)) else {
            continue;
        };
        if cols.get(2).map(|p| p.trim()) == Some("-") {
            continue;
        }
        set.insert(
            phrase_words(word),
            Loaded {
                term: word.trim().to_string(),
                category: category.trim().to_string(),
                alternative: None,
                model: true,
                paired: cols.get(4).is_some_and(|s| s.trim() == "paired"),
            },
        );
    }
    set
}

fn parse_opinion(data: &str) -> PhraseSet<Cue> {
    let mut set = PhraseSet::default();
    for line in data_lines(data) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [field, kind, pos] = cols.as_slice() else {
            continue;
        };
        let predicate = kind.trim() == "predicate";
        for (words, lemma) in forms(field, pos.trim()) {
            set.insert(
                words,
                Cue {
                    phrase: lemma,
                    predicate,
                },
            );
        }
    }
    set
}

fn parse_documents(data: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for line in data_lines(data) {
        let mut cols = line.split('\t');
        let (Some(noun), Some(class)) = (cols.next(), cols.next()) else {
            continue;
        };
        for form in inflect_noun(noun.trim()) {
            map.insert(form, class.trim().to_string());
        }
        map.insert(noun.trim().to_string(), class.trim().to_string());
    }
    map
}

fn parse_words(data: &str, plural: bool) -> HashSet<String> {
    let mut set = HashSet::new();
    for line in data_lines(data) {
        let w = crate::text::fold(line.trim())
            .trim_end_matches('.')
            .to_string();
        if plural {
            set.extend(inflect_noun(&w));
        }
        set.insert(w);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        phrase_words(s)
    }

    #[test]
    fn reporting_verbs_load() {
        let l = get();
        assert!(l.verbs.len() > 300);
        for w in ["said", "argues", "accused", "told", "insisting", "called"] {
            assert!(l.verbs.contains_first(w), "{w}");
        }
        let m = l.verbs.longest_at(&words("called for a vote"), 0);
        assert_eq!(m.map(|x| x.0), Some(2));
        assert!(l
            .verbs
            .longest_at(&words("saying"), 0)
            .is_some_and(|x| x.1.participle));
    }

    #[test]
    fn hedges_load() {
        let l = get();
        let w = words("it cannot be ruled out that they may go");
        let found: Vec<&str> = l
            .hedges
            .find_all(&w)
            .iter()
            .map(|x| x.2.phrase.as_str())
            .collect();
        assert_eq!(found, ["cannot be ruled out", "may"]);
        let w = words("the plan was seen as weak");
        assert_eq!(l.hedges.find_all(&w).len(), 1);
    }

    #[test]
    fn loaded_loads() {
        let l = get();
        let cats = [
            "ideological",
            "emotive",
            "intensifier",
            "euphemism",
            "judgement",
            "loaded_verb",
        ];
        for line in data_lines(LOADED) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "{line}");
            assert!(cats.contains(&cols[1]), "{line}");
            assert!(["v", "n", "a", "x"].contains(&cols[3]), "{line}");
        }
        let w = words("critics slammed the brutally enhanced interrogation programme");
        let found: Vec<&str> = l
            .loaded
            .find_all(&w)
            .iter()
            .map(|x| x.2.term.as_str())
            .collect();
        assert_eq!(found, ["slam", "brutal", "enhanced interrogation"]);
    }

    #[test]
    fn vader_loads() {
        assert!(data_lines(VADER).count() > 100);
        for line in data_lines(VADER) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 2, "{line}");
            assert!(
                cols[1].parse::<f32>().is_ok_and(|v| v.abs() >= 2.5),
                "{line}"
            );
        }
    }

    #[test]
    fn scored_loads() {
        let mut n = 0;
        let mut seen = HashSet::new();
        for line in data_lines(SCORED) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 5, "{line}");
            assert!(["alone", "paired"].contains(&cols[4]), "{line}");
            if cols[2] == "-" {
                // A VADER word's standing: the word is in vader_emotive.tsv, and paired.
                assert!(
                    VADER.lines().any(|v| v.split('\t').next() == Some(cols[0])),
                    "{line}"
                );
                assert_eq!(cols[4], "paired", "{line}");
                continue;
            }
            assert_eq!(phrase_words(cols[0]).len(), 1, "{line}");
            assert!(seen.insert(cols[0]), "duplicate {line}");
            assert!(["emotive", "loaded_verb"].contains(&cols[1]), "{line}");
            assert!(
                cols[2]
                    .parse::<f32>()
                    .is_ok_and(|p| (0.3..=1.0).contains(&p)),
                "{line}"
            );
            n += 1;
        }
        assert!(n > 300, "{n} entries");
        // Added words match; the hand list's entries keep their category and alternative.
        let l = get();
        let w = words("agitators backed the regime");
        let found: Vec<(&str, Option<&str>)> = l
            .loaded
            .find_all(&w)
            .iter()
            .map(|x| (x.2.term.as_str(), x.2.alternative.as_deref()))
            .collect();
        assert_eq!(found, [("agitators", None), ("regime", Some("government"))]);
    }

    #[test]
    fn opinion_loads() {
        let l = get();
        let w = words("this case brings into focus a wider trend");
        assert_eq!(l.opinion.find_all(&w).len(), 1);
    }

    #[test]
    fn document_nouns_load() {
        let l = get();
        assert_eq!(
            l.documents.get("commercials").map(String::as_str),
            Some("ad")
        );
        assert_eq!(
            l.documents.get("statement").map(String::as_str),
            Some("statement")
        );
        assert!(l.documents.values().all(|c| !c.is_empty()));
    }

    #[test]
    fn source_nouns_load() {
        let l = get();
        assert!(l.source_nouns.contains("critics"));
        assert!(l.source_nouns.contains("authorities"));
        assert!(l.titles.contains("sen"));
    }

    #[test]
    fn inflections() {
        assert!(inflect_verb("slam").contains(&"slammed".to_string()));
        assert!(inflect_verb("argue").contains(&"arguing".to_string()));
        assert!(inflect_verb("deny").contains(&"denied".to_string()));
        assert!(inflect_noun("authority").contains(&"authorities".to_string()));
        assert!(inflect_adj("terrible").contains(&"terribly".to_string()));
    }
}
