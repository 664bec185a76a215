//! Who says what: the subject of a reporting verb ("Critics argue", "The court cited"), the
//! agent of "according to X" and "criticised by X", and names cleaned of titles.
//!
//! There is no parser here: noun phrases are read off word tokens by walking from the verb to
//! a clause boundary (a comma, a relative pronoun, a conjunction or preposition that opens a
//! clause). A subject counts only when its head is a name, a pronoun or a "source noun"
//! (officials, critics, the court, a report), so that "the error cited for his release" is
//! not read as an attribution.

use super::lexicon::{Lexicons, VerbKind};
use super::tokens::Tok;

/// Words that cannot be part of a subject noun phrase: they open a clause or join a verb.
pub(super) const BOUNDARY: &[&str] = &[
    "that", "which", "who", "whom", "whose", "when", "while", "where", "after", "before",
    "because", "as", "if", "but", "although", "though", "since", "to", "than", "so", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "should", "must", "did", "does", "do", "not", "among", "with", "from", "into", "by",
    "at", "on", "over", "about", "against", "under", "between", "through", "during", "without",
    "within", "toward", "towards", "upon", "also", "it", "there", "said", "says", "say", "told",
    "however", "then", "once", "until", "unless", "whether", "or", "nor", "yet", "amid", "despite",
    "like", "what", "how", "why",
];

/// Words allowed between the subject and its verb ("had", "also", "later").
const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "also",
    "later",
    "previously",
    "again",
    "long",
    "did",
    "does",
    "do",
    "not",
    "never",
    "already",
    "still",
    "even",
    "just",
    "often",
    "initially",
    "earlier",
    "then",
    "first",
    "has",
    "had",
    "once",
    "recently",
    "repeatedly",
    "publicly",
    "privately",
    "reportedly",
    "further",
    "quickly",
    "immediately",
    "now",
    "too",
    "can",
    "could",
    "may",
    "might",
    "should",
    "must",
];

/// Day and month names: capitalised but never a source.
pub(super) const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(super) const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i"];

pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "this", "that", "these", "those", "our", "my",
    "your", "some", "many", "several", "most", "other", "two", "three", "four", "few",
];

/// A source found in a sentence: the token range of its noun phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Np {
    pub start: usize,
    pub end: usize,
}

pub(super) fn is(w: &str, list: &[&str]) -> bool {
    list.contains(&w)
}

/// A word that may head a source phrase.
pub(super) fn can_head(t: &Tok, lex: &Lexicons) -> bool {
    (t.cap && !is(&t.norm, DETERMINERS) && !is(&t.norm, CALENDAR) && !is(&t.norm, BOUNDARY))
        || is(&t.norm, PRONOUNS)
        || lex.source_nouns.contains(t.norm.as_str())
        || lex.documents.contains_key(t.norm.as_str())
}

/// The subject noun phrase ending right before `verb` (auxiliaries and adverbs skipped).
/// Handles an appositive or relative clause between commas: "Smith, who chairs the panel,
/// said" -> Smith; "A spokesman for the party, Jane Roe, said" -> Jane Roe.
pub fn subject_before(toks: &[Tok], verb: usize, lex: &Lexicons) -> Option<Np> {
    let mut j = verb;
    // Skip auxiliaries and adverbs.
    while j > 0 {
        let t = &toks[j - 1];
        if t.quoted || toks[j].breaks_before() || toks[j].hard_break_before() {
            break;
        }
        let adverb = t.norm.ends_with("ly") && t.norm.len() > 4 && !t.cap;
        if is(&t.norm, AUX) || adverb {
            j -= 1;
        } else {
            break;
        }
    }
    if j == 0 {
        return None;
    }
    if toks[j].hard_break_before() || toks[j - 1].quoted {
        return None;
    }
    if toks[j].breaks_before() {
        // "Ann Bell, the party's treasurer (R-Ohio), said": a name run followed by a comma
        // opens the sentence.
        if let Some(np) = super::names::subject_np(toks, j, lex) {
            if np.end < j
                && toks.get(np.end).is_some_and(|t| t.breaks_before())
                && toks[np.start].cap
            {
                return Some(np);
            }
        }
        // A parenthetical ends here: find where it starts.
        let close = j;
        let mut k = j - 1;
        while k > 0 && !toks[k].breaks_before() {
            if toks[k].hard_break_before() {
                return None;
            }
            k -= 1;
        }
        if k == 0 {
            // "Marek, accused of fraud, was freed": a participle after the subject, not a
            // reporting verb with its own subject.
            return None;
        }
        let chunk_is_name = toks[k..close].iter().all(|t| {
            t.cap
                || is(
                    &t.norm,
                    &[
                        "of", "de", "al", "van", "von", "bin", "la", "le", "da", "del",
                    ],
                )
        }) && toks[k].cap;
        if chunk_is_name && !is(&toks[k].norm, DETERMINERS) {
            return Some(Np {
                start: k,
                end: close,
            });
        }
        return np_left(toks, k - 1, lex);
    }
    // "…, which condemned": the antecedent before the comma speaks.
    let rel = &toks[j - 1];
    if is(&rel.norm, &["who", "which"]) && rel.breaks_before() && j >= 2 {
        // "who" itself says the antecedent is a person or group, whatever its noun.
        return np_left_from(toks, j - 2, lex, rel.norm != "who");
    }
    np_left(toks, j - 1, lex)
}

/// The noun phrase whose head is `toks[head]`, extended to the left.
fn np_left(toks: &[Tok], head: usize, lex: &Lexicons) -> Option<Np> {
    np_left_from(toks, head, lex, true)
}

/// [`np_left`], optionally without requiring a source-like head.
fn np_left_from(toks: &[Tok], head: usize, lex: &Lexicons, check: bool) -> Option<Np> {
    let h = toks.get(head)?;
    if h.quoted
        || check && !can_head(h, lex)
        || is(&h.norm, BOUNDARY) && !is(&h.norm, PRONOUNS)
        || !h.norm.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let mut a = head;
    if !is(&h.norm, PRONOUNS) {
        while a > 0 && head - a < 7 {
            let prev = &toks[a - 1];
            if toks[a].breaks_before() || toks[a].hard_break_before() || prev.quoted {
                break;
            }
            if is(&prev.norm, BOUNDARY) || is(&prev.norm, PRONOUNS) && prev.norm != "i" {
                break;
            }
            // A verb ends the phrase: a reporting verb, or a past form ("The move angered local
            // farmers" stops at "angered"; "unnamed officials" loses "unnamed", a small cost).
            if !prev.cap && (lex.verbs.contains_first(&prev.norm) || prev.norm.ends_with("ed")) {
                break;
            }
            if prev.norm == "and" && !(prev.cap || toks[a].cap && a >= 2 && toks[a - 2].cap) {
                break;
            }
            a -= 1;
        }
    }
    Some(Np {
        start: a,
        end: head + 1,
    })
}

/// The noun phrase starting at `start` ("according to X", "said X", "criticised by X").
pub fn np_right(toks: &[Tok], start: usize, lex: &Lexicons) -> Option<Np> {
    np_right_checked(toks, start, lex, true)
}

/// [`np_right`], optionally without requiring a source-like head ("according to local
/// engineers" names its source whatever the noun).
fn np_right_checked(toks: &[Tok], start: usize, lex: &Lexicons, check: bool) -> Option<Np> {
    let first = toks.get(start)?;
    if first.quoted || first.hard_break_before() {
        return None;
    }
    let stop = [
        "who", "which", "that", "in", "on", "at", "during", "after", "when", "while", "adding",
        "saying", "as", "because", "to", "and", "but", "said", "says", "told", "on", "last",
        "this", "about", "with", "from", "is", "was", "has", "had", "will", "would",
    ];
    let mut b = start;
    while b < toks.len() && b - start < 8 {
        let t = &toks[b];
        if t.quoted || b > start && (t.breaks_before() || t.hard_break_before()) {
            break;
        }
        if b > start && is(&t.norm, &stop) {
            break;
        }
        b += 1;
    }
    if b == start {
        return None;
    }
    let np = Np { start, end: b };
    let ok = !check || toks[start..b].iter().any(|t| can_head(t, lex));
    ok.then_some(np)
}

/// How a verb at `i` is used: `None` when it is not a finite reporting use (an infinitive "to
/// say", a noun "the claims", an agentless passive "was believed").
pub fn verb_use(toks: &[Tok], i: usize, n: usize) -> Option<VerbUse> {
    let prev = i.checked_sub(1).map(|p| toks[p].norm.as_str());
    if prev.is_some_and(|p| {
        is(
            p,
            &[
                "to", "the", "a", "an", "his", "her", "their", "its", "our", "this", "that",
                "these", "those", "of", "no",
            ],
        )
    }) {
        return None;
    }
    // "Romney's comments", "the group's claims": a possessive makes the form a noun.
    let possessive = i > 0 && {
        let raw = toks[i - 1].raw;
        raw.ends_with("'s") || raw.ends_with("’s") || raw.ends_with("s'")
    };
    if possessive {
        return None;
    }
    let be = prev.is_some_and(|p| is(p, &["is", "are", "was", "were", "be", "been", "being"]));
    if be {
        let by = toks.get(i + n).is_some_and(|t| t.norm == "by" && !t.quoted);
        return by.then_some(VerbUse::PassiveBy);
    }
    Some(VerbUse::Active)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbUse {
    Active,
    PassiveBy,
}

/// One attribution found in a sentence.
#[derive(Debug, Clone)]
pub struct Found {
    pub np: Np,
    pub kind: VerbKind,
}

/// Every attribution in the unquoted part of a sentence: "X said", "said X", "according to X",
/// "criticised by X".
pub fn attributions(toks: &[Tok], lex: &Lexicons) -> Vec<Found> {
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i].quoted {
            i += 1;
            continue;
        }
        if norms[i] == "according" && norms.get(i + 1) == Some(&"to") {
            if let Some(np) = np_right_checked(toks, i + 2, lex, false) {
                out.push(Found {
                    np,
                    kind: VerbKind::Speech,
                });
            }
            i += 2;
            continue;
        }
        let Some((n, verb)) = lex.verbs.longest_at(&norms, i) else {
            i += 1;
            continue;
        };
        if verb.kind == VerbKind::QuoteOnly && !(i > 0 && toks[i - 1].quoted) {
            i += n;
            continue;
        }
        if toks[i].cap && i > 0 {
            // A capitalised mid-sentence verb form is a name ("Judge Rule", "Mr. Call").
            i += n;
            continue;
        }
        match verb_use(toks, i, n) {
            Some(VerbUse::PassiveBy) => {
                if let Some(np) = np_right(toks, i + n + 1, lex) {
                    out.push(Found {
                        np,
                        kind: verb.kind,
                    });
                }
            }
            Some(VerbUse::Active) if verb.participle => {
                // "X …, saying …": the participle's speaker is the sentence's subject.
                if let Some(np) = super::names::subject_np(toks, i, lex) {
                    out.push(Found {
                        np,
                        kind: verb.kind,
                    });
                }
            }
            Some(VerbUse::Active) => {
                let before = subject_before(toks, i, lex);
                let inverted = || {
                    // "…," said Smith: the verb follows a quote or a comma directly.
                    let after_quote = i > 0 && toks[i - 1].quoted
                        || toks[i].breaks_before()
                        || toks[i].hard_break_before();
                    if after_quote {
                        np_right(toks, i + n, lex)
                    } else {
                        None
                    }
                };
                if let Some(np) = before.or_else(inverted) {
                    out.push(Found {
                        np,
                        kind: verb.kind,
                    });
                }
            }
            None => {}
        }
        i += n;
    }
    out
}

/// The text of a noun phrase, from its first word to its last.
pub fn np_text(text: &str, toks: &[Tok], np: Np) -> String {
    let (Some(a), Some(b)) = (toks.get(np.start), toks.get(np.end.saturating_sub(1))) else {
        return String::new();
    };
    text.get(a.start..b.end).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use crate::claims::lexicon;

    fn first_source(s: &str) -> Option<String> {
        let toks = tokenize(s, 0, s.len(), &[]);
        let lex = lexicon::get();
        attributions(&toks, lex)
            .first()
            .map(|f| np_text(s, &toks, f.np))
    }

    #[test]
    fn subjects_of_reporting_verbs() {
        assert_eq!(
            first_source("Analysts argue that the tax will hurt savers.").as_deref(),
            Some("Analysts")
        );
        assert_eq!(
            first_source("The tribunal cited that the minister was not told.").as_deref(),
            Some("The tribunal")
        );
        assert_eq!(
            first_source("The agency had accused him of fraud.").as_deref(),
            Some("The agency")
        );
        assert_eq!(
            first_source("Rosa Vance, who chairs the panel, said the vote would go ahead.")
                .as_deref(),
            Some("Rosa Vance")
        );
        assert_eq!(
            first_source("The plan failed, according to two former officials.").as_deref(),
            Some("two former officials")
        );
        assert_eq!(
            first_source("The scheme has long been criticized by environmental groups.").as_deref(),
            Some("environmental groups")
        );
    }

    #[test]
    fn appositives_and_relative_clauses() {
        assert_eq!(
            first_source("A spokesman for the union, Jane Roe, said the strike would go on.")
                .as_deref(),
            Some("Jane Roe")
        );
        assert_eq!(
            first_source("The move angered local farmers, who accused the ministry of neglect.")
                .as_deref(),
            Some("local farmers")
        );
        assert_eq!(
            first_source("Labour groups, including two large unions, have called for a recount.")
                .as_deref(),
            Some("Labour groups")
        );
    }

    #[test]
    fn non_sources_are_not_attributions() {
        assert_eq!(
            first_source("The error cited for the delay was minor."),
            None
        );
        assert_eq!(first_source("He declined to say where he was."), None);
        assert_eq!(
            first_source("He raised the mayor's comments at a meeting."),
            None
        );
        assert_eq!(
            first_source("Vance, accused of fraud, was freed on Monday."),
            None
        );
    }
}
