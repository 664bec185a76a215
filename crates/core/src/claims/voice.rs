//! The outlet's own voice: hedges (speculation), opinion cues and loaded terms.

use super::lexicon::Lexicons;
use super::tokens::Tok;
use crate::model::LoadedSpan;

/// Words after which a modal is not a verb ("military might of", "may and June").
const NOT_AFTER_MODAL: &[&str] = &[
    "of", "and", "or", "the", "a", "an", "in", "on", "at", "for", "to", "with", "from", "by", "as",
    "is", "was",
];

/// Speculation markers in the unquoted words, as written in the lexicon, with their strength.
pub fn hedges(toks: &[Tok], lex: &Lexicons) -> Vec<(String, f32)> {
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    let mut out = Vec::new();
    for (i, n, h) in lex.hedges.find_all(&norms) {
        if toks[i..i + n].iter().any(|t| t.quoted) {
            continue;
        }
        if h.modal {
            let lower = toks[i].raw.chars().all(|c| c.is_lowercase());
            let next_ok = toks.get(i + n).is_some_and(|t| {
                !t.hard_break_before()
                    && !t.breaks_before()
                    && !t.cap
                    && t.norm.chars().all(char::is_alphabetic)
                    && !NOT_AFTER_MODAL.contains(&t.norm.as_str())
            });
            // "could not be reached" reports a fact about the past.
            let negated_past = toks[i].norm == "could"
                && toks
                    .get(i + n)
                    .is_some_and(|t| t.norm == "not" || t.norm == "never");
            if !lower || !next_ok || negated_past {
                continue;
            }
        }
        out.push((h.phrase.clone(), h.strength));
    }
    out
}

/// How strongly the unquoted words express the writer's own judgement: rhetorical framing,
/// judgement terms, normative modals, first person, rhetorical questions. `loaded` are the
/// sentence's loaded spans.
pub fn opinion_score(toks: &[Tok], loaded: &[LoadedSpan], sentence: &str, lex: &Lexicons) -> f32 {
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    let mut score = 0.0;
    for (i, n, cue) in lex.opinion.find_all(&norms) {
        if toks[i..i + n].iter().any(|t| t.quoted) || cue.predicate && !predicate_of_be(toks, i) {
            continue;
        }
        score += 1.0;
    }
    for l in loaded.iter().filter(|l| !l.in_quote) {
        // A loaded word the outlet predicates of something ("The plan is reckless") is a
        // verdict, however mild the word's category.
        let at = toks.partition_point(|t| t.start < l.start);
        score += if l.category == "judgement" || predicate_of_be(toks, at) {
            1.0
        } else {
            0.5
        };
    }
    for (i, t) in toks.iter().enumerate() {
        if t.quoted {
            continue;
        }
        match t.norm.as_str() {
            "should" | "ought" if !t.cap || i == 0 => score += 1.0,
            "must" if toks.get(i + 1).is_none_or(|n| n.norm != "have") => score += 1.0,
            "we" | "our" | "us" if t.raw != "US" => score += 1.0,
            "i" if t.raw == "I" && toks.get(i + 1).is_some_and(|n| !n.cap) => score += 1.0,
            _ => {}
        }
    }
    let unquoted_end = toks.last().is_some_and(|t| !t.quoted);
    if unquoted_end && sentence.trim_end().ends_with('?') {
        score += 1.0;
    }
    score
}

/// The word at `i` is the predicate of a form of "be", at most three words after it, with only
/// articles, intensifiers and lower-case modifiers between ("was a betrayal", "is simply
/// wrong", "was nothing but a cynical ploy"), and no punctuation in the way.
fn predicate_of_be(toks: &[Tok], i: usize) -> bool {
    const BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s"];
    const LINK: &[&str] = &[
        "a", "an", "the", "such", "so", "simply", "nothing", "but", "truly", "utterly", "just",
        "clearly", "plainly", "really", "quite", "very", "deeply", "another", "yet",
    ];
    let mut k = i;
    for _ in 0..4 {
        let Some(t) = toks.get(k) else {
            return false;
        };
        if t.quoted || t.hard_break_before() || k != i && t.cap {
            return false;
        }
        if k == 0 {
            return false;
        }
        let prev = &toks[k - 1];
        if BE.contains(&prev.norm.as_str()) && !prev.quoted {
            return !t.breaks_before();
        }
        if t.breaks_before()
            || !(LINK.contains(&prev.norm.as_str()) || prev.norm.ends_with("ly") || k == i)
        {
            return false;
        }
        k -= 1;
    }
    false
}

/// Quoted runs shorter than this many words are fragments the outlet picked (scare quotes).
pub const SPEECH_WORDS: usize = 5;

/// The quoted word at `i` is part of quoted speech: its run of quoted words has
/// [`SPEECH_WORDS`]+ words or is the whole sentence (a sentence inside a longer quotation).
fn in_speech(toks: &[Tok], i: usize) -> bool {
    let quoted = |k: &usize| toks.get(*k).is_some_and(|t| t.quoted);
    let a = (0..=i).rev().take_while(|k| quoted(k)).last().unwrap_or(i);
    let b = (i..toks.len())
        .take_while(|k| quoted(k))
        .last()
        .map_or(i, |k| k + 1);
    b - a >= SPEECH_WORDS || a == 0 && b == toks.len()
}

/// Loaded-term spans of a sentence (quoted ones too, flagged), skipping capitalised matches
/// inside the sentence (names: "the Radical Party").
///
/// Two context rules keep words that are loaded only in some uses from flagging neutral
/// sentences:
/// - inside quoted speech (a quoted run of [`SPEECH_WORDS`]+ words, or a whole sentence of a
///   longer quotation), loaded verbs, political labels and the model-built words are skipped:
///   they are the speaker's wording ("I am strongly pro-life"), while a slanted verb is the
///   narrator's choice ("slammed" for "criticised") and the model's evidence is about the
///   outlet's own wording. A short quoted fragment (scare quotes: called him an "elitist") is
///   the outlet's pick and keeps everything; quoted verdicts, emotive words and intensifiers are
///   still reported everywhere (flagged `in_quote`);
/// - a `paired` entry (one resting on a single annotated sentence) counts half: the sentence
///   keeps its loaded spans only when they add up to one whole cue, so such a word is reported
///   beside another loaded word, never alone.
pub fn loaded(text: &str, toks: &[Tok], lex: &Lexicons) -> Vec<LoadedSpan> {
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    let mut out = Vec::new();
    let mut weight = 0.0;
    for (i, n, entry) in lex.loaded.find_all(&norms) {
        let name_like = i > 0 && toks[i].cap && !toks[i].hard_break_before();
        if name_like {
            continue;
        }
        let in_quote = toks[i..i + n].iter().any(|t| t.quoted);
        let speakers =
            entry.model || matches!(entry.category.as_str(), "loaded_verb" | "ideological");
        if in_quote && speakers && in_speech(toks, i) {
            continue;
        }
        let (s, e) = (toks[i].start, toks[i + n - 1].end);
        let Some(surface) = text.get(s..e) else {
            continue;
        };
        weight += if entry.paired { 0.5 } else { 1.0 };
        out.push(LoadedSpan {
            start: s,
            end: e,
            text: surface.to_string(),
            category: entry.category.clone(),
            alternative: entry.alternative.clone(),
            term: Some(entry.term.clone()),
            in_quote,
        });
    }
    if weight < 1.0 {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lexicon;
    use super::super::tokens::tokenize;
    use super::*;

    fn markers(s: &str) -> Vec<String> {
        let toks = tokenize(s, 0, s.len(), &[]);
        hedges(&toks, lexicon::get())
            .into_iter()
            .map(|x| x.0)
            .collect()
    }

    #[test]
    fn hedge_markers() {
        assert_eq!(
            markers("A deal cannot be ruled out, officials said."),
            ["cannot be ruled out"]
        );
        assert_eq!(markers("The storm will likely move north."), ["likely"]);
        assert_eq!(markers("The talks may resume in May."), ["may"]);
        assert!(markers("She could not be reached for comment.").is_empty());
        assert!(markers("The military might of the empire grew.").is_empty());
        assert_eq!(
            markers("Whether it works remains to be seen."),
            ["remains to be seen"]
        );
    }

    #[test]
    fn loaded_spans_and_opinion() {
        let s = "The council's sheer incompetence is emblematic of a disgraceful era.";
        let toks = tokenize(s, 0, s.len(), &[]);
        let lex = lexicon::get();
        let l = loaded(s, &toks, lex);
        let terms: Vec<&str> = l.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(terms, ["sheer", "incompetence", "disgraceful"]);
        assert!(opinion_score(&toks, &l, s, lex) >= 1.0);
        let plain = "The council met on Tuesday to discuss the budget.";
        let toks = tokenize(plain, 0, plain.len(), &[]);
        let l = loaded(plain, &toks, lex);
        assert!(l.is_empty());
        assert!(opinion_score(&toks, &l, plain, lex) < 1.0);
    }

    #[test]
    fn capitalised_names_are_not_loaded() {
        let s = "He joined the Radical Party in 1990.";
        let toks = tokenize(s, 0, s.len(), &[]);
        assert!(loaded(s, &toks, lexicon::get()).is_empty());
    }

    fn terms(s: &str) -> Vec<String> {
        let toks = tokenize(s, 0, s.len(), &[]);
        loaded(s, &toks, lexicon::get())
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn paired_words_need_another_cue() {
        // "abject" rests on one annotated sentence: not loaded alone, loaded beside "slammed".
        let l = lexicon::get();
        let entry = l.loaded.longest_at(&["abject"], 0).map(|x| x.1.paired);
        assert_eq!(entry, Some(true));
        assert!(terms("The plan was an abject attempt at reform.").is_empty());
        assert_eq!(
            terms("Critics slammed the abject plan."),
            ["slammed", "abject"]
        );
        // A word with evidence from several sentences counts alone.
        assert_eq!(terms("Officials called it anarchy."), ["anarchy"]);
    }
}
