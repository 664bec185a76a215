//! Names of speakers and sources: a PERSON mention when the entity stage has one, else the
//! capitalised run at a phrase's head with titles stripped; the subject of a whole sentence
//! (for "…, remarking, "…""); whether a name looks like a person's or an organisation's.

use super::attribution::{can_head, is, Np, BOUNDARY, CALENDAR, DETERMINERS};
use super::lexicon::Lexicons;
use super::tokens::Tok;
use crate::model::{EntityType, Mention};

/// Words that make a capitalised name an organisation or place rather than a person.
const ORG_WORDS: &[&str] = &[
    "office",
    "committee",
    "department",
    "party",
    "court",
    "council",
    "association",
    "house",
    "senate",
    "congress",
    "agency",
    "commission",
    "university",
    "times",
    "news",
    "post",
    "press",
    "network",
    "institute",
    "foundation",
    "bank",
    "ministry",
    "government",
    "administration",
    "union",
    "coalition",
    "group",
    "center",
    "centre",
    "service",
    "board",
    "journal",
    "company",
    "corporation",
    "inc",
    "fund",
    "organization",
    "organisation",
];

/// A name that looks like a person's (no organisation word in it).
pub fn looks_personal(name: &str) -> bool {
    !crate::text::words(name).any(|(_, w)| is(&crate::text::fold(w), ORG_WORDS))
}

/// A person-like name inside `np`: a PERSON mention when the entity stage found one, else the
/// capitalised run at the phrase's head with titles stripped ("Then-Secretary of State Jane
/// Doe" -> "Jane Doe", "Mr. Smith" -> "Smith"). `None` when the head is a common noun.
pub fn name_in(
    text: &str,
    toks: &[Tok],
    np: Np,
    mentions: &[Mention],
    lex: &Lexicons,
) -> Option<String> {
    let (a, b) = (toks.get(np.start)?.start, toks.get(np.end - 1)?.end);
    if let Some(m) = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Person && m.start >= a && m.end <= b)
        .max_by_key(|m| m.end)
    {
        return Some(strip_titles(&m.text, lex));
    }
    let head = np.end - 1;
    if !toks[head].cap {
        return None;
    }
    let mut s = head;
    while s > np.start {
        let p = &toks[s - 1];
        let joins = p.cap
            || is(
                &p.norm,
                &[
                    "of", "de", "al", "van", "von", "bin", "da", "del", "la", "le",
                ],
            );
        if !joins || toks[s].breaks_before() {
            break;
        }
        s -= 1;
    }
    // The name run must open the phrase or follow a title or determiner: "the opposition in
    // Paris" is headed by "opposition", not by "Paris"; "party spokeswoman Jo Lee" is Jo Lee.
    if s > np.start {
        let p = &toks[s - 1];
        if !(lex.titles.contains(p.norm.as_str()) || is(&p.norm, DETERMINERS)) {
            return None;
        }
    }
    let run = &toks[s..=head];
    let keep: Vec<&Tok> = strip_title_toks(run, lex);
    let (f, l) = (keep.first()?, keep.last()?);
    text.get(f.start..l.end).map(str::to_string)
}

fn strip_title_toks<'t, 'a>(run: &'t [Tok<'a>], lex: &Lexicons) -> Vec<&'t Tok<'a>> {
    // Everything up to the last title goes ("Party President Ann Bell" -> "Ann Bell",
    // "Secretary of State Jo Ray" -> "Jo Ray"); a trailing "of Place" goes too ("Ann Bell of
    // Ohio" -> "Ann Bell").
    let n = run.len();
    let is_title = |t: &Tok| lex.titles.contains(t.norm.as_str()) && !is(&t.norm, &["of", "the"]);
    let start = (0..n.saturating_sub(1))
        .rev()
        .find(|&k| {
            is_title(&run[k]) && run[k + 1].norm != "of" || !run[k].cap && run[k].norm != "of"
        })
        .map_or(0, |k| k + 1);
    let mut end = n;
    if let Some(of) = run[start..].iter().position(|t| t.norm == "of") {
        if of >= 2 {
            end = start + of;
        }
    }
    run[start..end].iter().collect()
}

/// Strips leading titles from a name given as text.
pub fn strip_titles(name: &str, lex: &Lexicons) -> String {
    let words: Vec<(usize, &str)> = crate::text::words(name).collect();
    let mut i = 0;
    while i + 1 < words.len() && lex.titles.contains(crate::text::fold(words[i].1).as_str()) {
        i += 1;
    }
    match words.get(i) {
        Some(&(off, _)) => name[off..].trim().to_string(),
        None => name.trim().to_string(),
    }
}

/// Capitalised words that open sentences without being names.
pub(super) const OPENERS: &[&str] = &[
    "in",
    "on",
    "at",
    "for",
    "after",
    "before",
    "during",
    "with",
    "by",
    "from",
    "as",
    "when",
    "while",
    "if",
    "but",
    "and",
    "so",
    "yet",
    "since",
    "though",
    "although",
    "because",
    "close",
    "more",
    "many",
    "some",
    "most",
    "there",
    "here",
    "this",
    "that",
    "these",
    "those",
    "it",
    "what",
    "why",
    "how",
    "where",
    "who",
    "then",
    "now",
    "still",
    "even",
    "also",
    "once",
    "meanwhile",
    "however",
    "instead",
    "earlier",
    "later",
    "last",
    "next",
    "according",
    "dear",
    "both",
    "all",
    "no",
    "not",
    "only",
    "just",
    "yes",
    "please",
    "today",
    "yesterday",
    "asked",
    "of",
    "to",
    "like",
    "unlike",
    "despite",
    "amid",
    "among",
    "over",
    "under",
    "without",
];

/// A single capitalised word at the start of a sentence that can be its subject ("Smith
/// said"): not a function word, a participle, a day or a title.
fn initial_name(toks: &[Tok], i: usize, lex: &Lexicons) -> bool {
    let t = &toks[i];
    // "Republican presidential nominee Jo Lee said": a modifier of a titled name further on.
    let titled_name_follows = toks.iter().skip(i + 1).take(3).enumerate().any(|(k, x)| {
        lex.titles.contains(x.norm.as_str()) && toks.get(i + 2 + k).is_some_and(|n| n.cap)
    });
    i == 0
        && !titled_name_follows
        && !is(&t.norm, OPENERS)
        && !is(&t.norm, CALENDAR)
        && !lex.titles.contains(t.norm.as_str())
        && !t.norm.ends_with("ed")
        && !t.norm.ends_with("ing")
        && toks.get(i + 1).is_some_and(|n| {
            !n.cap
                && !n.quoted
                && !is(
                    &n.norm,
                    &["to", "of", "in", "for", "and", "the", "a", "on", "at"],
                )
        })
}

/// The noun phrase of the sentence's subject before `limit`: the first name run (or pronoun)
/// in the unquoted words.
pub fn subject_np(toks: &[Tok], limit: usize, lex: &Lexicons) -> Option<Np> {
    let mut i = 0;
    while i < limit.min(toks.len()) {
        let t = &toks[i];
        if !t.quoted && is(&t.norm, &["he", "she", "they"]) {
            return Some(Np {
                start: i,
                end: i + 1,
            });
        }
        if !t.quoted
            && can_head(t, lex)
            && t.cap
            && !(i == 0 && is(&t.norm, OPENERS))
            && !after_preposition(toks, i, lex)
        {
            let mut e = i + 1;
            let joins = |e: usize| {
                toks[e].cap
                    || is(&toks[e].norm, &["of", "de", "al", "bin"])
                        && toks.get(e + 1).is_some_and(|x| x.cap)
            };
            while e < limit.min(toks.len())
                && !toks[e].breaks_before()
                && !toks[e].hard_break_before()
                && joins(e)
            {
                e += 1;
            }
            let titled = toks[i..e]
                .iter()
                .any(|x| lex.titles.contains(x.norm.as_str()));
            if e - i >= 2 || titled || e == i + 1 && initial_name(toks, i, lex) {
                return Some(Np { start: i, end: e });
            }
            i = e;
            continue;
        }
        i += 1;
    }
    None
}

/// The subject of the whole sentence, for "…, remarking, "…"": the first PERSON mention, or the
/// first capitalised name run (titles stripped) before `limit`.
pub fn sentence_subject(
    text: &str,
    toks: &[Tok],
    limit: usize,
    mentions: &[Mention],
    lex: &Lexicons,
) -> Option<String> {
    let limit_byte = toks.get(limit).map_or(usize::MAX, |t| t.start);
    let first_tok = toks.first()?.start;
    if let Some(m) = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Person && m.start >= first_tok && m.end <= limit_byte)
        .filter(|m| {
            // "Of Obama, he said …": a name after a preposition is not the subject, nor is a
            // name inside a quotation.
            let k = toks.iter().position(|t| t.start >= m.start).unwrap_or(0);
            !after_preposition(toks, k, lex) && !toks.get(k).is_some_and(|t| t.quoted)
        })
        .min_by_key(|m| m.start)
    {
        return Some(strip_titles(&m.text, lex));
    }
    let mut i = 0;
    while i < limit.min(toks.len()) {
        let t = &toks[i];
        if t.quoted {
            i += 1;
            continue;
        }
        if is(&t.norm, &["he", "she"]) {
            return Some(t.raw.to_string());
        }
        if is(&t.norm, PREPOSITIONS) {
            // "Of Senator Ada Lee, he said": skip the prepositional object's name.
            i += 1;
            while i < toks.len() && toks[i].cap && !toks[i].breaks_before() {
                i += 1;
            }
            continue;
        }
        if t.cap && !is(&t.norm, DETERMINERS) && !is(&t.norm, BOUNDARY) && !is(&t.norm, OPENERS) {
            let mut e = i + 1;
            while e < toks.len()
                && !toks[e].breaks_before()
                && !toks[e].hard_break_before()
                && (toks[e].cap
                    || is(&toks[e].norm, &["of", "de", "al", "bin"])
                        && toks.get(e + 1).is_some_and(|x| x.cap))
            {
                e += 1;
            }
            let run = &toks[i..e];
            let keep = strip_title_toks(run, lex);
            let titled = keep.len() < run.len();
            let initial = e == i + 1 && initial_name(toks, i, lex);
            if keep.len() >= 2 || titled || initial {
                let (f, l) = (keep.first()?, keep.last()?);
                return text.get(f.start..l.end).map(str::to_string);
            }
            i = e;
            continue;
        }
        i += 1;
    }
    // Fallback: the first capitalised word that can head a subject ("It came after Boehner
    // chided Obama, accusing …" -> Boehner).
    toks[..limit.min(toks.len())]
        .iter()
        .enumerate()
        .find(|(k, t)| {
            !t.quoted
                && *k > 0
                && !in_prepositional_name(toks, *k, lex)
                && t.cap
                && can_head(t, lex)
                && !is(&t.norm, OPENERS)
                && !lex.titles.contains(t.norm.as_str())
        })
        .map(|(_, t)| t.raw.to_string())
}

/// Prepositions that put a name out of subject position ("Of Obama, he said …").
const PREPOSITIONS: &[&str] = &[
    "of", "to", "for", "with", "by", "against", "on", "about", "from", "at", "in", "into",
    "toward", "towards", "over", "under", "after", "before", "like", "than",
];

/// Token `k` (a name, or its title) follows a preposition, skipping titles in between ("of
/// Senator Ada Lee").
fn after_preposition(toks: &[Tok], mut k: usize, lex: &Lexicons) -> bool {
    let title =
        |t: &Tok| t.cap && !is(&t.norm, PREPOSITIONS) && lex.titles.contains(t.norm.as_str());
    loop {
        if k > 0 && title(&toks[k - 1]) {
            k -= 1;
        } else if k > 1 && toks[k - 1].norm == "of" && title(&toks[k - 2]) {
            // "Secretary of State Jo Ray": the "of" belongs to the title.
            k -= 2;
        } else {
            break;
        }
    }
    k > 0 && is(&toks[k - 1].norm, PREPOSITIONS)
}

/// Token `k` sits in a capitalised run that opens with a preposition or follows one ("Of
/// Senator Ada Lee": Lee).
fn in_prepositional_name(toks: &[Tok], k: usize, lex: &Lexicons) -> bool {
    let mut r = k;
    while r > 0 && toks[r - 1].cap && !toks[r].breaks_before() {
        r -= 1;
    }
    is(&toks[r].norm, PREPOSITIONS) || after_preposition(toks, r, lex)
}

/// Who a sentence's subject is, for pronouns in the sentences that follow.
#[derive(Debug, PartialEq)]
pub enum Subject {
    /// A person named by a PERSON mention (titles stripped).
    Person(String),
    /// "he"/"she": the previous subject carries on.
    Pronoun,
}

/// A sentence's subject and whether its verb is passive ("Ann Bell was arrested"): a passive
/// subject is what happened to someone, not a speaker introduced for the quote that follows.
#[derive(Debug, PartialEq)]
pub struct SubjectAt {
    pub subject: Subject,
    pub passive: bool,
}

/// The sentence's subject among its first unquoted words: the first PERSON mention or
/// "he"/"she" that does not follow a preposition. Only PERSON mentions count (no mentions, no
/// subject), so an organisation never becomes "he".
pub fn subject_person(toks: &[Tok], mentions: &[Mention], lex: &Lexicons) -> Option<Subject> {
    subject_at(toks, mentions, lex).map(|s| s.subject)
}

/// [`subject_person`] with the voice of the verb that follows the subject.
pub fn subject_at(toks: &[Tok], mentions: &[Mention], lex: &Lexicons) -> Option<SubjectAt> {
    let (first, last) = (toks.first()?.start, toks.last()?.end);
    let persons: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Person && m.start >= first && m.end <= last)
        .collect();
    let mut seen = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.quoted {
            continue;
        }
        seen += 1;
        if seen > 15 {
            break;
        }
        let after_prep = after_preposition(toks, i, lex);
        if is(&t.norm, &["he", "she"]) {
            if after_prep {
                continue;
            }
            return Some(SubjectAt {
                subject: Subject::Pronoun,
                passive: passive_after(toks, i + 1),
            });
        }
        if let Some(m) = persons
            .iter()
            .find(|m| m.start <= t.start && t.start < m.end)
        {
            if after_prep || m.start < t.start {
                continue;
            }
            let end = i + toks[i..].iter().take_while(|x| x.start < m.end).count();
            return Some(SubjectAt {
                subject: Subject::Person(strip_titles(&m.text, lex)),
                passive: passive_after(toks, end),
            });
        }
    }
    None
}

/// The words from `k` on are a passive verb phrase: an optional appositive ("Ann Bell, a
/// nurse, was …"), a form of "be" (with "has been", "will be"), an optional adverb, and a
/// past participle that is not a state of mind ("was arrested", "had been taken"; not "was
/// pleased", "was angry", "was a nurse").
pub fn passive_after(toks: &[Tok], mut k: usize) -> bool {
    // Participles used as adjectives of feeling: "Bell was stunned." is still Bell's scene.
    const FEELING: &[&str] = &[
        "pleased",
        "delighted",
        "surprised",
        "stunned",
        "shocked",
        "disappointed",
        "concerned",
        "worried",
        "excited",
        "frustrated",
        "angered",
        "outraged",
        "determined",
        "convinced",
        "relieved",
        "thrilled",
        "tired",
        "interested",
        "committed",
        "prepared",
        "confused",
        "amused",
        "annoyed",
        "embarrassed",
        "satisfied",
        "encouraged",
        "scared",
        "horrified",
        "moved",
        "inspired",
        "proud",
        "involved",
        "based",
        "supposed",
        "used",
        "expected",
    ];
    // Irregular participles ("was held", "was taken").
    const IRREGULAR: &[&str] = &[
        "held",
        "shot",
        "hit",
        "caught",
        "sent",
        "sold",
        "told",
        "found",
        "kept",
        "left",
        "brought",
        "put",
        "cut",
        "struck",
        "beaten",
        "bound",
        "fought",
        "led",
        "paid",
        "given",
        "taken",
        "seen",
        "driven",
        "stolen",
        "chosen",
        "written",
        "forgotten",
        "hidden",
        "shaken",
        "bitten",
        "broken",
        "frozen",
        "spoken",
        "sworn",
        "torn",
        "proven",
        "known",
        "thrown",
        "drawn",
        "overthrown",
        "withdrawn",
        "forbidden",
        "hung",
        "hurt",
        "sought",
        "taught",
        "won",
        "lost",
        "met",
        "made",
        "run",
        "sentenced",
        "slain",
    ];
    let word = |k: usize| toks.get(k).filter(|t| !t.quoted && !t.hard_break_before());
    // An appositive between commas.
    if word(k).is_some_and(|t| t.breaks_before()) {
        let close = (k + 1..toks.len().min(k + 10)).find(|&j| toks[j].breaks_before());
        match close {
            Some(j) => k = j,
            None => return false,
        }
    }
    let is_aux = |w: &str| matches!(w, "has" | "have" | "had" | "will" | "would" | "may");
    if word(k).is_some_and(|t| is_aux(&t.norm)) {
        k += 1;
    }
    let Some(be) = word(k) else {
        return false;
    };
    if !matches!(
        be.norm.as_str(),
        "is" | "are" | "was" | "were" | "be" | "been" | "being"
    ) {
        return false;
    }
    k += 1;
    if word(k).is_some_and(|t| matches!(t.norm.as_str(), "been" | "being")) {
        k += 1;
    }
    if word(k).is_some_and(|t| {
        t.norm.ends_with("ly")
            || is(
                &t.norm,
                &["also", "later", "then", "not", "never", "reportedly"],
            )
    }) {
        k += 1;
    }
    word(k).is_some_and(|t| {
        let w = t.norm.as_str();
        !t.cap
            && !FEELING.contains(&w)
            && (w.len() > 4 && w.ends_with("ed") || IRREGULAR.contains(&w))
    })
}

/// A role description used as a speaker ("the Texas governor", "the president") resolved to
/// the last PERSON mention before byte `before` whose role names the same title ("Gov." for
/// governor, "President"). `None` when the phrase is not "the … TITLE" or no mention matches.
pub fn role_person(
    desc: &str,
    mentions: &[Mention],
    before: usize,
    lex: &Lexicons,
) -> Option<String> {
    RoleIndex::new(mentions).person(desc, before, lex)
}

/// PERSON mentions with a role, indexed by the words of the role (folded, at least three
/// letters), each list in document order: [`role_person`] over a whole document in time that
/// does not grow with the number of mentions.
pub struct RoleIndex<'m> {
    by_word: std::collections::HashMap<String, Vec<&'m Mention>>,
}

impl<'m> RoleIndex<'m> {
    pub fn new(mentions: &'m [Mention]) -> Self {
        let mut by_word: std::collections::HashMap<String, Vec<&'m Mention>> =
            std::collections::HashMap::new();
        for m in mentions.iter().filter(|m| m.ty == EntityType::Person) {
            let Some(role) = m.role.as_deref() else {
                continue;
            };
            let mut words: Vec<String> = crate::text::words(role)
                .map(|(_, w)| crate::text::fold(w).trim_end_matches('.').to_string())
                .filter(|w| w.len() >= 3)
                .collect();
            words.sort();
            words.dedup();
            for w in words {
                by_word.entry(w).or_default().push(m);
            }
        }
        for list in by_word.values_mut() {
            list.sort_by_key(|m| m.start);
        }
        RoleIndex { by_word }
    }

    /// "the Texas governor" -> the latest PERSON mention before `before` whose role has a word
    /// that the description's head word starts with ("Gov." for "governor").
    pub fn person(&self, desc: &str, before: usize, lex: &Lexicons) -> Option<String> {
        let words: Vec<String> = crate::text::words(desc)
            .map(|(_, w)| crate::text::fold(w))
            .collect();
        let (first, head) = (words.first()?, words.last()?);
        if first != "the" || words.len() < 2 || !lex.titles.contains(head.as_str()) {
            return None;
        }
        let mut best: Option<&Mention> = None;
        let cuts = head.char_indices().map(|(i, _)| i).skip(1);
        for i in cuts.chain(std::iter::once(head.len())).filter(|&i| i >= 3) {
            let Some(list) = self.by_word.get(&head[..i]) else {
                continue;
            };
            let k = list.partition_point(|m| m.start < before);
            if let Some(&m) = k.checked_sub(1).and_then(|j| list.get(j)) {
                if best.is_none_or(|b| m.start >= b.start) {
                    best = Some(m);
                }
            }
        }
        best.map(|m| strip_titles(&m.text, lex))
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon;
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn strips_titles() {
        let lex = lexicon::get();
        assert_eq!(strip_titles("Foreign Minister Ana Ruiz", lex), "Ana Ruiz");
        assert_eq!(strip_titles("Mr. Toller", lex), "Toller");
        let s = "Then-Secretary of State Jane Doe played a role, remarking, \"We won.\"";
        let toks = tokenize(s, 0, s.len(), &[]);
        assert_eq!(
            sentence_subject(s, &toks, toks.len(), &[], lex).as_deref(),
            Some("Jane Doe")
        );
    }
}
