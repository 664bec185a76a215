//! Who a speaker is, as the article introduces them: the phrase around the name ("Rep. Ann
//! Bell, D-Ohio", "Jo Lee, a spokeswoman for the mayor") and the side it names (a party, an
//! organisation, the person they speak for).
//!
//! Readers need this because a quote's weight depends on whose side the speaker is on, and an
//! article usually says so only once, at the first mention: "Bell said" three paragraphs later
//! carries the affiliation given at "Rep. Ann Bell, D-Ohio". [`Introductions`] remembers it per
//! name for the whole document.

use super::attribution::{is, np_text, Np, BOUNDARY, CALENDAR, DETERMINERS};
use super::lexicon::Lexicons;
use super::names::strip_titles;
use super::tokens::Tok;
use crate::model::{EntityType, Mention};
use crate::text::fold;
use std::collections::HashMap;

/// Party words that may open an appositive ("Ann Bell, Democrat of Ohio") or stand in a title
/// run ("Republican presidential nominee").
const PARTY_WORDS: &[&str] = &[
    "democrat",
    "democratic",
    "republican",
    "gop",
    "independent",
    "labour",
    "conservative",
    "liberal",
];

/// Words that link a role to the body it serves ("a spokesman for the mayor", "president of
/// the union", "a fellow at the institute").
const LINKS: &[&str] = &["for", "of", "at", "with"];

/// "R-Ky." / "D-N.Y." / "I-Vt.": the party letter of a US party-and-state code at token `k`
/// (the tokeniser splits at the hyphen).
pub fn party_code(toks: &[Tok], k: usize) -> Option<&'static str> {
    let t = toks.get(k)?;
    let next = toks.get(k + 1)?;
    if next.gap != "-" || !next.cap {
        return None;
    }
    match t.raw {
        "R" => Some("Republican"),
        "D" => Some("Democrat"),
        "I" => Some("independent"),
        _ => None,
    }
}

/// The introduction of the name `name` (tokens `name.start..name.end`): `np` widened over the
/// title run before it, plus the appositive after it. Returns that phrase's end token (the
/// appositive's last token + 1, or `name.end` when there is none).
///
/// An appositive opens with a comma (or a bracket for a party code) and an article, a party
/// code, a party word, or a role noun within its first three words ("advisory board member
/// for …"); it ends at the next comma, dash, bracket, sentence end, quote or relative pronoun.
pub fn appositive_end(toks: &[Tok], name: Np, lex: &Lexicons) -> usize {
    let named = name.end > name.start && toks.get(name.end - 1).is_some_and(|t| t.cap);
    let Some(first) = toks.get(name.end).filter(|t| named && !t.quoted) else {
        return name.end;
    };
    let code = party_code(toks, name.end).is_some();
    let comma = first.gap.contains(',');
    let bracket = first.gap.contains('(');
    let role_soon = toks
        .iter()
        .skip(name.end)
        .take(3)
        .take_while(|t| !t.cap || t.norm == "the")
        .any(|t| lex.source_nouns.contains(t.norm.as_str()) || lex.titles.contains(&*t.norm));
    let opens = code && (comma || bracket)
        || comma
            && (matches!(first.norm.as_str(), "a" | "an" | "the")
                || first.cap && is(&first.norm, PARTY_WORDS)
                || role_soon);
    if !opens {
        return name.end;
    }
    let mut k = name.end + 1;
    while k < toks.len() && k < name.end + 12 {
        let t = &toks[k];
        // A party code's own hyphen is not a break, nor are the commas around a state in
        // "the Kansas City, Mo., branch".
        let in_code = code && k == name.end + 1;
        let state = state_between_commas(toks, k) || k > 0 && state_between_commas(toks, k - 1);
        if t.quoted
            || !in_code && !state && (t.breaks_before() || t.hard_break_before())
            || matches!(
                t.norm.as_str(),
                "who" | "which" | "that" | "said" | "says" | "told"
            )
        {
            break;
        }
        k += 1;
    }
    k
}

/// Token `k` is a capitalised abbreviation set off by commas after a place ("Springfield,
/// Ill., resident"): `, Ill.,`.
fn state_between_commas(toks: &[Tok], k: usize) -> bool {
    let (Some(t), Some(next)) = (toks.get(k), toks.get(k + 1)) else {
        return false;
    };
    k > 0
        && t.cap
        && t.raw.chars().count() <= 5
        && t.gap.trim() == ","
        && next.gap.trim() == ".,"
        && toks[k - 1].cap
}

/// The side named in an introduction: a party code or party word after the name, else the
/// body after a linking word ("a spokeswoman for the Tea Party Express" -> "Tea Party
/// Express"), else the capitalised words of the title run before the name that are not titles
/// ("NAACP President Ann Bell" -> "NAACP"). `None` when the phrase names no side.
///
/// `intro` spans the whole introduction; `name_end` is where the name itself ends (the name is
/// the trailing run of capitalised words before it that are not titles).
pub fn side(
    text: &str,
    toks: &[Tok],
    intro: Np,
    name_end: usize,
    lex: &Lexicons,
) -> Option<String> {
    let name_start = (intro.start..name_end)
        .rev()
        .find(|&k| !toks[k].cap || is_rank(&toks[k], lex))
        .map_or(intro.start, |k| k + 1);
    if name_start >= name_end {
        // "Italian authorities": a common noun heads the phrase, so it names no one.
        return None;
    }
    let name = Np {
        start: name_start,
        end: name_end,
    };
    // After the name: a party code or party word heading the appositive ("D-Ohio", "a
    // Republican of Idaho"), not one inside a body's name ("the D-Day Museum").
    let head =
        (name.end..intro.end).find(|&k| !is(&toks[k].norm, &["a", "an", "the"]) || toks[k].cap);
    if let Some(k) = head {
        if let Some(p) = party_code(toks, k) {
            return Some(p.to_string());
        }
        let t = &toks[k];
        if t.cap && is(&t.norm, PARTY_WORDS) && !toks.get(k + 1).is_some_and(|n| n.cap) {
            return Some(party_name(&t.norm));
        }
    }
    // The last linked body: "president of the Kansas City, Mo., branch of the NAACP" is the
    // NAACP's.
    // Links inside a run of capitalised words ("Our Lady of Lourdes") are part of a name.
    let first_name = (intro.start..intro.end)
        .find(|&k| toks[k].cap && !is_rank(&toks[k], lex))
        .unwrap_or(name.end);
    let first_link = (first_name + 1..intro.end).find(|&k| is(&toks[k].norm, LINKS));
    for k in (first_name + 1..intro.end).rev() {
        if !is(&toks[k].norm, LINKS) || toks[k].cap || toks[k - 1].cap && Some(k) != first_link {
            continue;
        }
        let mut a = k + 1;
        while a < intro.end && toks[a].norm == "the" && !toks[a].cap {
            a += 1;
        }
        let mut b = a;
        while b < intro.end
            && (!toks[b].breaks_before() || state_between_commas(toks, b))
            && (toks[b].cap
                || b > a
                    && is(&toks[b].norm, &["of", "for", "and"])
                    && toks.get(b + 1).is_some_and(|x| x.cap))
        {
            b += 1;
        }
        if b > a {
            let body = np_text(text, toks, Np { start: a, end: b });
            return Some(strip_titles(&body, lex));
        }
    }
    // Before the name: the capitalised words of the run that introduces it, nearest first.
    let lead = &toks[intro.start..name.start];
    if let Some(p) = lead.iter().find(|t| t.cap && is(&t.norm, PARTY_WORDS)) {
        return Some(party_name(&p.norm));
    }
    let end = lead.iter().rposition(|t| t.cap && !is_rank(t, lex))? + 1;
    // "Ohio Gov. Jo Lee", "Texas Sen. Al Roe": a place before an office is a jurisdiction.
    if lead.get(end).is_some_and(|t| is(&t.norm, OFFICES)) {
        return None;
    }
    let start = lead[..end]
        .iter()
        .rposition(|t| !t.cap || is_rank(t, lex))
        .map_or(0, |k| k + 1);
    let (f, l) = (lead.get(start)?, lead.get(end - 1)?);
    text.get(f.start..l.end).map(str::to_string)
}

/// Public offices that a place name precedes ("Ohio Gov.", "Texas Sen.", "Denver Mayor").
const OFFICES: &[&str] = &[
    "gov",
    "governor",
    "sen",
    "senator",
    "rep",
    "representative",
    "mayor",
    "attorney",
    "lt",
    "congressman",
    "congresswoman",
    "councilman",
    "councilwoman",
    "judge",
    "sheriff",
    "state",
    "secretary",
    "commissioner",
];

/// Title words that give a rank rather than a side ("Sen.", "President", "Speaker", "State" in
/// "Secretary of State"), and adjectives that open title runs ("Fellow", "Senior").
fn is_rank(t: &Tok, lex: &Lexicons) -> bool {
    const SIDES: &[&str] = &[
        "party",
        "democratic",
        "republican",
        "gop",
        "national",
        "us",
        "u.s",
    ];
    const OPENERS: &[&str] = &["fellow", "longtime", "veteran", "top", "senior", "former"];
    lex.titles.contains(t.norm.as_str()) && !is(&t.norm, SIDES) || is(&t.norm, OPENERS)
}

/// The first token of the run that introduces the name at `name.start`: titles, role nouns,
/// and capitalised words, walking left to a break, a verb or a function word (at most six).
pub fn intro_start(toks: &[Tok], name: Np, lex: &Lexicons) -> usize {
    const EXTRA: &[&str] = &[
        "presidential",
        "organizer",
        "organiser",
        "founder",
        "communications",
    ];
    let mut k = name.start;
    while k > 0 && name.start - k < 6 {
        let (t, here) = (&toks[k - 1], &toks[k]);
        if t.quoted || here.breaks_before() || here.hard_break_before() {
            break;
        }
        let word = if t.cap {
            !is(&t.norm, BOUNDARY) && !is(&t.norm, DETERMINERS) && !is(&t.norm, CALENDAR)
        } else {
            lex.titles.contains(t.norm.as_str())
                && t.norm != "the"
                && t.norm != "of"
                && t.norm != "former"
                || lex.source_nouns.contains(t.norm.as_str())
                || is(&t.norm, EXTRA)
        };
        if !word {
            break;
        }
        k -= 1;
    }
    k
}

fn party_name(norm: &str) -> String {
    match norm {
        "democrat" | "democratic" => "Democrat",
        "republican" | "gop" => "Republican",
        "independent" => "independent",
        "labour" => "Labour",
        "conservative" => "Conservative",
        _ => "Liberal",
    }
    .to_string()
}

/// Who released each document the article introduces ("The campaign released an ad" -> ad:
/// "The campaign"), so that "the ad says" can name its author.
#[derive(Debug, Default)]
pub struct Authors {
    by_class: HashMap<String, String>,
}

impl Authors {
    /// Records the sentence's opening subject as the author of each document it introduces
    /// with an indefinite or possessive determiner ("adopted a resolution", "its own ad").
    pub fn read(&mut self, text: &str, toks: &[Tok], lex: &Lexicons) {
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        let introduced: Vec<&String> = toks
            .iter()
            .enumerate()
            // "Ann Bell said her rival had released an ad": after a reporting verb the document
            // is someone else's.
            // ("The campaign retorted with an ad" is the campaign's: a preposition follows.)
            .take_while(|&(k, _)| {
                lex.verbs.longest_at(&norms, k).is_none()
                    || k > 0 && is(&toks[k - 1].norm, DETERMINERS)
                    || toks
                        .get(k + 1)
                        .is_some_and(|n| is(&n.norm, &["with", "in", "on", "by", "at"]))
            })
            .filter(|&(k, t)| {
                !t.quoted
                    && k > 0
                    && (1..=3).any(|d| {
                        // "a new television ad": up to two modifiers after the determiner.
                        k >= d
                            && is(
                                &toks[k - d].norm,
                                &["a", "an", "its", "their", "his", "her"],
                            )
                            && toks[k - d + 1..k].iter().all(|m| !m.cap && !m.quoted)
                    })
            })
            .filter_map(|(_, t)| lex.documents.get(t.norm.as_str()))
            .collect();
        if introduced.is_empty() {
            return;
        }
        if let Some(author) = opening_subject(text, toks, lex) {
            for class in introduced {
                // The first introduction wins, as for people.
                self.by_class
                    .entry(class.clone())
                    .or_insert_with(|| author.clone());
            }
        }
    }

    /// The author of a definite document phrase ("the ad", "The new resolution").
    pub fn of(&self, phrase: &str, lex: &Lexicons) -> Option<String> {
        let words: Vec<String> = crate::text::words(phrase).map(|(_, w)| fold(w)).collect();
        if words.first().map(String::as_str) != Some("the") || words.len() > 4 {
            return None;
        }
        let class = lex.documents.get(words.last()?.as_str())?;
        self.by_class.get(class).cloned()
    }
}

/// The sentence's opening noun phrase when it names someone: "The NAACP", "The Smith
/// campaign", "Jo Lee" (capitalised words and source nouns from the start, before any verb).
fn opening_subject(text: &str, toks: &[Tok], lex: &Lexicons) -> Option<String> {
    let first = toks.first()?;
    if first.quoted
        || is(&first.norm, super::names::OPENERS) && first.norm != "the"
        || is(&first.norm, super::attribution::PRONOUNS)
        || is(&first.norm, DETERMINERS) && first.norm != "the"
    {
        return None;
    }
    let mut k = usize::from(first.norm == "the");
    let begin = k;
    while let Some(t) = toks.get(k) {
        let noun = t.cap || lex.source_nouns.contains(t.norm.as_str());
        if t.quoted || k > begin && (t.breaks_before() || t.hard_break_before()) || !noun {
            break;
        }
        k += 1;
    }
    if k == begin || !toks[begin..k].iter().any(|t| t.cap) {
        return None;
    }
    Some(np_text(text, toks, Np { start: 0, end: k }))
}

/// The side of each person the document introduces, by full name and by surname (folded), the
/// first introduction that names one winning.
#[derive(Debug, Default)]
pub struct Introductions {
    by_name: HashMap<String, String>,
    /// Surname -> the one full name seen with it, or `None` once two people share it (then the
    /// surname alone names no one).
    surnames: HashMap<String, Option<String>>,
}

impl Introductions {
    /// Reads every PERSON mention's introduction in one sentence's tokens.
    pub fn read(&mut self, text: &str, toks: &[Tok], mentions: &[Mention], lex: &Lexicons) {
        for m in mentions.iter().filter(|m| m.ty == EntityType::Person) {
            let (Some(a), Some(b)) = (
                toks.iter().position(|t| t.start >= m.start),
                toks.iter().rposition(|t| t.end <= m.end),
            ) else {
                continue;
            };
            if b < a || toks[a].quoted {
                continue;
            }
            let name = Np {
                start: a,
                end: b + 1,
            };
            let intro = Np {
                start: intro_start(toks, name, lex),
                end: appositive_end(toks, name, lex),
            };
            let bare = strip_titles(&m.text, lex);
            let full = fold(&bare);
            let words: Vec<_> = crate::text::words(&bare).collect();
            if let (true, Some(&(_, last))) = (words.len() >= 2, words.last()) {
                self.surnames
                    .entry(fold(last))
                    .and_modify(|seen| {
                        if seen.as_deref() != Some(full.as_str()) {
                            *seen = None;
                        }
                    })
                    .or_insert_with(|| Some(full.clone()));
            }
            if let Some(side) = side(text, toks, intro, name.end, lex) {
                for key in keys(&bare) {
                    self.by_name.entry(key).or_insert_with(|| side.clone());
                }
            }
        }
    }

    /// The side of the person called `name` ("Ann Bell" or "Bell"), if introduced with one.
    pub fn side_of(&self, name: &str) -> Option<String> {
        let full = fold(name);
        self.by_name
            .get(&full)
            .or_else(|| {
                let words: Vec<_> = crate::text::words(name).collect();
                let key = fold(words.first()?.1);
                let shared = matches!(self.surnames.get(&key), Some(None));
                (words.len() == 1 && !shared)
                    .then(|| self.by_name.get(&key))
                    .flatten()
            })
            .cloned()
    }
}

/// Look-up keys of a person's name: the whole name and the surname.
fn keys(name: &str) -> Vec<String> {
    let mut out = vec![fold(name)];
    if let Some((_, last)) = crate::text::words(name).last() {
        if last.chars().count() >= 3 {
            out.push(fold(last));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lexicon;
    use super::super::tokens::tokenize;
    use super::*;

    /// The side named around the first capitalised two-word name in `s`.
    fn side_in(s: &str, name: &str) -> Option<String> {
        let lex = lexicon::get();
        let toks = tokenize(s, 0, s.len(), &[]);
        let at = s.find(name).unwrap();
        let a = toks.iter().position(|t| t.start == at).unwrap();
        let b = toks.iter().rposition(|t| t.end <= at + name.len()).unwrap() + 1;
        let np = Np { start: a, end: b };
        let intro = Np {
            start: intro_start(&toks, np, lex),
            end: appositive_end(&toks, np, lex),
        };
        side(s, &toks, intro, np.end, lex)
    }

    #[test]
    fn sides() {
        let cases = [
            (
                "Rep. Ann Bell, D-Ohio., said it.",
                "Ann Bell",
                Some("Democrat"),
            ),
            ("Jo Lee (R-Tenn.) wrote it.", "Jo Lee", Some("Republican")),
            (
                "said Representative Al Roe, Democrat of Utah, on air",
                "Al Roe",
                Some("Democrat"),
            ),
            (
                "Jo Lee, a spokeswoman for Mr. Kemp, said",
                "Jo Lee",
                Some("Kemp"),
            ),
            (
                "said Jo Lee, advisory board member for Safe Rivers Now.",
                "Jo Lee",
                Some("Safe Rivers Now"),
            ),
            (
                "Harbor Union President Al Roe said",
                "Al Roe",
                Some("Harbor Union"),
            ),
            (
                "Fellow Mill Town Tea Party organizer Al Roe said",
                "Al Roe",
                Some("Mill Town Tea Party"),
            ),
            ("But Rep. Al Roe said", "Al Roe", None),
            ("Then-Secretary of State Al Roe said", "Al Roe", None),
            (
                "Republican presidential nominee Al Roe said",
                "Al Roe",
                Some("Republican"),
            ),
            ("Sen. Al Roe said", "Al Roe", None),
            (
                "said the Rev. Al Roe of Our Lady of Lourdes on air",
                "Al Roe of Our Lady of Lourdes",
                Some("Our Lady of Lourdes"),
            ),
            (
                "said Al Roe, president of the Mill Town, Ind., branch of the Harbor Union, on air",
                "Al Roe",
                Some("Harbor Union"),
            ),
            ("Al Roe, who chairs it, said", "Al Roe", None),
            ("Italian authorities said", "Italian authorities", None),
            (
                "said Jo Lee, a spokeswoman for the D-Day Museum.",
                "Jo Lee",
                Some("D-Day Museum"),
            ),
            (
                "said Jo Lee, director of the Independent Budget Office.",
                "Jo Lee",
                Some("Independent Budget Office"),
            ),
            ("Ohio Gov. Jo Lee said", "Jo Lee", None),
        ];
        for (s, name, want) in cases {
            assert_eq!(side_in(s, name).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn documents_name_their_author() {
        let lex = lexicon::get();
        let mut a = Authors::default();
        for s in [
            "The Harbor Union adopted a resolution on Tuesday.",
            "The Roe campaign hit back with an ad of its own.",
        ] {
            a.read(s, &tokenize(s, 0, s.len(), &[]), lex);
        }
        assert_eq!(
            a.of("The resolution", lex).as_deref(),
            Some("The Harbor Union")
        );
        assert_eq!(
            a.of("the commercial", lex).as_deref(),
            Some("The Roe campaign")
        );
        assert_eq!(a.of("a letter", lex), None);
        for s in [
            "The Port Authority secured a report on the ballot.",
            "Ann Bell said her rival had released a statement.",
            "She posted a letter.",
        ] {
            a.read(s, &tokenize(s, 0, s.len(), &[]), lex);
        }
        assert_eq!(
            a.of("the report", lex).as_deref(),
            Some("The Port Authority")
        );
        assert_eq!(a.of("the statement", lex), None);
        assert_eq!(a.of("the letter", lex), None);
    }

    #[test]
    fn introductions_carry_by_surname() {
        let mut i = Introductions::default();
        i.by_name.insert("bell".into(), "Democrat".into());
        assert_eq!(i.side_of("Bell").as_deref(), Some("Democrat"));
        assert_eq!(i.side_of("Jo Lee"), None);
    }
}
