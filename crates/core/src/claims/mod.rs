//! Claims and voice: what each sentence does (report, attribute, speculate, opine, quote) and
//! how loaded the outlet's wording is.
//!
//! Every sentence gets all the labels that apply and a primary status by priority quote >
//! attributed > speculation > opinion > reported. Rules, in short:
//! - quote: a double-quoted passage of 4+ words (or 2+ with a speaker cue) overlaps the
//!   sentence; its speaker comes from a reporting verb next to the quote ("…," X said / X said:
//!   "…" / "…, remarking, "…"" = the sentence's subject), carried over every sentence of a quote
//!   that runs on, and to a wholly quoted sentence that follows a quote.
//! - attributed: a reporting verb outside quotes with a source subject ("Critics argue"), an
//!   "according to X", an agent "criticised by X", or a quote with a speaker.
//! - speculation: a hedge outside quotes (lexicon `hedges.tsv`). Agentless reporting passives
//!   ("was seen as", "is believed to") are hedges, not attributions: they name no source.
//! - opinion: evaluative or normative wording in the outlet's own voice (outside quotes, in a
//!   sentence not attributed to someone else).
//! - loaded: lexicon terms anywhere; those inside quotes are flagged and left out of framing.

mod affiliation;
pub mod attribution;
mod framing;
pub mod lexicon;
pub mod names;
mod quotes;
mod tokens;
mod voice;

use crate::model::{Attribution, Document, LoadedSpan, Mention, Status};
use attribution::{np_text, Np};
use lexicon::Lexicons;
use names::name_in;
use tokens::{tokenize, Tok};

/// Opinion cues needed for the `opinion` label (see [`voice::opinion_score`]).
const OPINION_THRESHOLD: f32 = 1.0;
/// Hedges weaker than this are reported but do not make a sentence speculation.
const HEDGE_THRESHOLD: f32 = 0.3;

/// Sets each sentence's status, labels, source, markers, speaker and loaded spans, and the
/// document's framing profile. `mentions` are the document's own name mentions (PERSON
/// mentions name quote speakers when present; without them capitalised-name rules are used).
/// Idempotent: running it twice gives the same result.
pub fn annotate(doc: &mut Document, mentions: &[Mention]) {
    let lex = lexicon::get();
    let results = analyse(doc, mentions, lex);
    for (s, r) in doc.sentences_mut().zip(results) {
        s.status = Some(r.status);
        s.labels = r.labels;
        s.source = r.source.map(Who::into_attribution);
        s.speaker = r.speaker.map(Who::into_attribution);
        s.markers = r.markers;
        s.loaded = r.loaded;
    }
    doc.framing = Some(framing::profile(doc));
}

/// What the rules found for one sentence.
#[derive(Debug)]
struct Result {
    status: Status,
    labels: Vec<Status>,
    source: Option<Who>,
    speaker: Option<Who>,
    markers: Vec<String>,
    loaded: Vec<LoadedSpan>,
}

/// Who speaks a quote or is a claim's source, as found in one sentence.
#[derive(Debug, Clone)]
struct Spoken {
    /// The name used for the speaker (titles stripped): "Ann Bell".
    name: String,
    /// The phrase as written, with title and appositive: "Rep. Ann Bell, D-Ohio".
    shown: String,
    /// The side named in that phrase, if any.
    side: Option<String>,
}

impl Spoken {
    /// A speaker known only by name (a resolved pronoun, a sentence subject).
    fn plain(name: String) -> Self {
        Spoken {
            shown: name.clone(),
            name,
            side: None,
        }
    }
}

/// A source or speaker: the text shown and the side the article gives them.
#[derive(Debug)]
struct Who {
    text: String,
    side: Option<String>,
}

impl Who {
    fn into_attribution(self) -> Attribution {
        Attribution {
            text: self.text,
            entity: None,
            affiliation: self.side,
        }
    }
}

/// Running context for pronouns: the last person and the last group that spoke.
#[derive(Debug, Default)]
struct Context {
    last_person: Option<String>,
    last_group: Option<String>,
    /// Speaker of the last quote, and the sentence index where it was seen.
    last_speaker: Option<(String, usize)>,
    /// How that speaker was written (with title and affiliation), for the quote's source, and
    /// the side named there.
    last_shown: String,
    last_side: Option<String>,
    /// The last person named as a sentence's subject ("Rep. Ann Bell questioned the bill."),
    /// and the sentence index: "he said" in the next sentence is most likely that person.
    last_subject: Option<(String, usize)>,
    /// That subject's verb was passive ("Ann Bell was arrested."): a quote with no cue after
    /// it is not theirs.
    subject_passive: bool,
}

impl Context {
    /// Resolves "he"/"she" to the most recent of the last quoted person and the last person
    /// named as a subject (within a few sentences), else the last person seen; "they" to the
    /// last group; a role description ("the Texas governor") through `role` (a person mention
    /// earlier in the document with that role); keeps other text.
    fn resolve(
        &self,
        text: String,
        at: usize,
        role: impl Fn(&str) -> Option<String>,
        carries_on: bool,
    ) -> Option<String> {
        match crate::text::fold(&text).as_str() {
            "he" | "she" => {
                let speaker = self
                    .last_speaker
                    .as_ref()
                    .filter(|(sp, n)| at <= n + 4 && names::looks_personal(sp));
                let subject = self.last_subject.as_ref().filter(|(_, n)| at <= n + 4);
                match (speaker, subject) {
                    (Some(a), Some(b)) => Some(if b.1 > a.1 { b.0.clone() } else { a.0.clone() }),
                    (Some(a), None) => Some(a.0.clone()),
                    (None, Some(b)) => Some(b.0.clone()),
                    (None, None) => self.last_person.clone(),
                }
            }
            "they" => self.last_group.clone().or(Some(text)),
            "i" | "we" => None,
            _ => role(&text)
                .or_else(|| {
                    carries_on
                        .then(|| self.recent_for_role(&text, at))
                        .flatten()
                })
                .or(Some(text)),
        }
    }

    /// "…," the Texas governor continues: a role description with no earlier mention holding
    /// that title, named by a verb of going on right after a quote, is that quote's speaker.
    fn recent_for_role(&self, desc: &str, at: usize) -> Option<String> {
        let mut words = crate::text::words(desc).map(|(_, w)| crate::text::fold(w));
        if words.next().as_deref() != Some("the") {
            return None;
        }
        let head = words.last()?;
        let personal_title = lexicon::get().titles.contains(head.as_str())
            && !matches!(
                head.as_str(),
                "party" | "house" | "senate" | "state" | "the" | "of"
            );
        self.last_speaker
            .as_ref()
            .filter(|(sp, n)| personal_title && at <= n + 1 && names::looks_personal(sp))
            .map(|(sp, _)| sp.clone())
    }

    fn note(&mut self, text: &str, person: bool) {
        match crate::text::fold(text).as_str() {
            "he" | "she" | "they" | "i" | "we" => {}
            _ if person => self.last_person = Some(text.to_string()),
            _ => self.last_group = Some(text.to_string()),
        }
    }
}

/// A sentence's span in the document and its tokens.
struct Sent<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    toks: Vec<Tok<'a>>,
}

fn analyse(doc: &Document, mentions: &[Mention], lex: &Lexicons) -> Vec<Result> {
    let text = doc.text.as_str();
    let blocks = quotes::blocks(text, &doc.paragraphs, lex);
    let mut qspans = quotes::spans(text, &doc.paragraphs);
    qspans.extend(blocks.iter().map(|b| (b.start, b.end)));
    qspans.sort_unstable();
    let block_at: std::collections::HashMap<usize, usize> = blocks
        .iter()
        .enumerate()
        .map(|(k, b)| (b.intro, k))
        .collect();
    let sents: Vec<Sent> = doc
        .sentences()
        .map(|s| Sent {
            start: s.start,
            end: s.end,
            text: s.text.as_str(),
            toks: tokenize(text, s.start, s.end, &qspans),
        })
        .collect();
    // A quotation over several paragraphs is several spans: each one's link to the span before,
    // and where the whole quotation ends (its speaker cue may come only there).
    let linked = quotes::continues(text, &qspans);
    let mut quotation_end: Vec<usize> = qspans.iter().map(|q| q.1).collect();
    for k in (1..qspans.len()).rev() {
        if linked[k] {
            quotation_end[k - 1] = quotation_end[k];
        }
    }
    let span_words: Vec<usize> = qspans
        .iter()
        .map(|&(a, b)| text.get(a..b).map_or(0, crate::text::word_count))
        .collect();

    let by_start = mentions.windows(2).all(|w| w[0].start <= w[1].start);
    // Only one sentence's mentions (sorted by start), so scans stay linear.
    let mentions_in = |s: &Sent| -> &[Mention] {
        if !by_start {
            return mentions;
        }
        let lo = mentions.partition_point(|m| m.start < s.start);
        let hi = lo + mentions[lo..].partition_point(|m| m.start < s.end);
        &mentions[lo..hi]
    };
    let roles = names::RoleIndex::new(mentions);
    let mut intros = affiliation::Introductions::default();
    for s in &sents {
        intros.read(text, &s.toks, mentions_in(s), lex);
    }
    let mut authors = affiliation::Authors::default();
    let mut ctx = Context::default();
    // Per quote: who speaks it.
    let mut span_speaker: Vec<Option<Spoken>> = vec![None; qspans.len()];
    let mut out = Vec::with_capacity(sents.len());
    for (si, s) in sents.iter().enumerate() {
        if crate::budget::spent() {
            break;
        }
        let mut r = Result {
            status: Status::Reported,
            labels: Vec::new(),
            source: None,
            speaker: None,
            markers: Vec::new(),
            loaded: Vec::new(),
        };
        let toks = &s.toks;
        let role = |t: &str| roles.person(t, s.start, lex);

        // Sources of reported speech and belief.
        let mut source: Option<Spoken> = None;
        for f in attribution::attributions(toks, lex) {
            let named = phrase_name(text, toks, f.np, mentions_in(s), lex);
            if let Some(n) = ctx.resolve(named.name.clone(), si, role, false) {
                ctx.note(&n, named.person);
                // The source as written ("party spokeswoman Jo Lee"), unless it was a pronoun.
                source.get_or_insert(if n == named.name {
                    Spoken {
                        name: n,
                        shown: named.written,
                        side: named.side,
                    }
                } else {
                    Spoken::plain(n)
                });
            }
        }

        // Quotes overlapping this sentence, and their speakers.
        let mut quote_speaker: Option<Spoken> = None;
        let mut is_quote = false;
        // Spans are sorted and do not overlap: start at the first that ends after this
        // sentence starts, stop at the first that starts after it ends.
        let first = qspans.partition_point(|&(_, qb)| qb <= s.start);
        for (qi, &(qa, qb)) in qspans.iter().enumerate().skip(first) {
            if qa >= s.end {
                break;
            }
            if qb <= s.start {
                continue;
            }
            if span_speaker[qi].is_none() && linked[qi] {
                // The paragraph before opened this quotation: same speaker.
                span_speaker[qi] = span_speaker[qi - 1].clone();
            }
            if span_speaker[qi].is_none() {
                // A quote running over several sentences (or paragraphs) names its speaker where
                // it closes ("“… . … ,” Bell said."): look ahead to that sentence, found by
                // binary search over the sorted sentences.
                let qend = quotation_end[qi];
                let cue = quote_cue(text, s, qa, qb, mentions_in(s), lex).or_else(|| {
                    let k = sents.partition_point(|c| c.end < qend);
                    sents
                        .get(k)
                        .filter(|c| k > si && c.start < qend)
                        .and_then(|c| quote_cue(text, c, qa, qend, mentions_in(c), lex))
                });
                if let Some(sp) = cue {
                    if let Some(n) = ctx.resolve(sp.name.clone(), si, role, sp.carries_on) {
                        ctx.note(&n, sp.person);
                        span_speaker[qi] = Some(if n == sp.name {
                            Spoken {
                                name: n,
                                shown: sp.written,
                                side: sp.side,
                            }
                        } else {
                            Spoken::plain(n)
                        });
                    }
                }
            }
            let words = span_words[qi];
            let multi_paragraph = linked[qi] || linked.get(qi + 1).copied().unwrap_or(false);
            if words >= 4 || multi_paragraph || words >= 2 && span_speaker[qi].is_some() {
                is_quote = true;
                if quote_speaker.is_none() {
                    quote_speaker = span_speaker[qi].clone();
                }
            }
        }
        let quoted = toks.iter().filter(|t| t.quoted).count();
        if is_quote && quote_speaker.is_none() && quoted * 5 >= toks.len() * 4 {
            // A wholly quoted sentence right after a quote continues that speaker.
            if let Some((sp, at)) = &ctx.last_speaker {
                if si <= at + 2 {
                    quote_speaker = Some(Spoken {
                        name: sp.clone(),
                        shown: ctx.last_shown.clone(),
                        side: ctx.last_side.clone(),
                    });
                }
            }
            // With no speaker just quoted, a quote with no cue right after a sentence about a
            // person ("Ann Bell took on the plan Tuesday. “You may have heard …”") is theirs.
            if quote_speaker.is_none() && !ctx.subject_passive {
                if let Some((sub, at)) = &ctx.last_subject {
                    if si == at + 1 && opens_with(&sents[*at], sub) {
                        quote_speaker = Some(Spoken::plain(sub.clone()));
                    }
                }
            }
        }
        // A sentence announcing a block quotation ("Jo Lee wrote:") gives the block its
        // speaker: its own source, else its subject, else the speaker just quoted.
        if let Some(b) = block_at.get(&s.start).map(|&k| &blocks[k]) {
            let by_subject = || match names::subject_person(toks, mentions_in(s), lex) {
                Some(names::Subject::Person(n)) => Some(Spoken::plain(n)),
                _ => None,
            };
            let recent = || {
                ctx.last_speaker
                    .as_ref()
                    .filter(|(_, at)| si <= at + 1)
                    .map(|(sp, _)| Spoken {
                        name: sp.clone(),
                        shown: ctx.last_shown.clone(),
                        side: ctx.last_side.clone(),
                    })
            };
            let who = source.clone().or_else(by_subject).or_else(recent);
            if let Ok(qi) = qspans.binary_search(&(b.start, b.end)) {
                if span_speaker[qi].is_none() {
                    span_speaker[qi] = who;
                }
            }
        }
        if let Some(q) = &quote_speaker {
            ctx.last_speaker = Some((q.name.clone(), si));
            ctx.last_shown = q.shown.clone();
            ctx.last_side = q.side.clone();
            if source.is_none() {
                source = Some(q.clone());
            }
        }

        // Hedges, loaded words and opinion in the outlet's own voice.
        let hedges = voice::hedges(toks, lex);
        let speculative = hedges.iter().any(|h| h.1 >= HEDGE_THRESHOLD);
        r.markers = hedges.into_iter().map(|h| h.0).collect();
        r.loaded = voice::loaded(text, toks, lex);
        let opinion = source.is_none()
            && !is_quote
            && voice::opinion_score(toks, &r.loaded, s.text, lex) >= OPINION_THRESHOLD;

        if is_quote {
            r.labels.push(Status::Quote);
        }
        if source.is_some() {
            r.labels.push(Status::Attributed);
        }
        if speculative {
            r.labels.push(Status::Speculation);
        }
        if opinion {
            r.labels.push(Status::Opinion);
        }
        if r.labels.is_empty() {
            r.labels.push(Status::Reported);
        }
        match names::subject_at(toks, mentions_in(s), lex) {
            Some(names::SubjectAt {
                subject: names::Subject::Person(n),
                passive,
            }) => {
                ctx.last_subject = Some((n, si));
                ctx.subject_passive = passive;
            }
            Some(names::SubjectAt {
                subject: names::Subject::Pronoun,
                passive,
            }) => {
                if let Some(sub) = ctx.last_subject.as_mut().filter(|(_, n)| si <= n + 4) {
                    sub.1 = si;
                    ctx.subject_passive = passive;
                }
            }
            None => {}
        }
        r.status = r.labels[0];
        // The side: as introduced here, else where the person was introduced, else the author
        // of a document speaker.
        let who = |text: String, sp: Spoken| Who {
            side: sp
                .side
                .or_else(|| intros.side_of(&sp.name))
                .or_else(|| authors.of(&sp.name, lex)),
            text,
        };
        r.source = source.map(|sp| who(sp.shown.clone(), sp));
        r.speaker = if is_quote {
            quote_speaker.map(|sp| who(sp.name.clone(), sp))
        } else {
            None
        };
        authors.read(text, toks, lex);
        out.push(r);
    }
    out
}

/// A source phrase: the name to use for the speaker (titles stripped when it is headed by a
/// name), whether that names a person, and the phrase as written.
struct Named {
    name: String,
    person: bool,
    written: String,
    /// The side named in the phrase ("D-Ohio" -> Democrat), if any.
    side: Option<String>,
    /// Named by a verb that says the speaker goes on ("…," the governor continued / added):
    /// a role description there may be the speaker just quoted.
    carries_on: bool,
}

fn phrase_name(text: &str, toks: &[Tok], np: Np, mentions: &[Mention], lex: &Lexicons) -> Named {
    let written = with_appositive(text, toks, with_title_run(toks, np, lex), lex);
    let side = {
        let intro = Np {
            start: affiliation::intro_start(toks, np, lex),
            end: affiliation::appositive_end(toks, np, lex),
        };
        affiliation::side(text, toks, intro, np.end, lex)
    };
    let pronoun = np.end == np.start + 1
        && toks
            .get(np.start)
            .is_some_and(|t| t.norm == "he" || t.norm == "she");
    if pronoun && np.start > 0 {
        // "Ryan hammered Obama for what he called …": the sentence's subject.
        if let Some(n) = names::sentence_subject(text, toks, np.start, mentions, lex) {
            if names::looks_personal(&n) {
                return Named {
                    written: n.clone(),
                    name: n,
                    person: true,
                    side: None,
                    carries_on: false,
                };
            }
        }
    }
    match name_in(text, toks, np, mentions, lex) {
        Some(n) => Named {
            person: names::looks_personal(&n),
            name: n,
            written,
            side,
            carries_on: false,
        },
        None => Named {
            name: written.clone(),
            person: false,
            written,
            side,
            carries_on: false,
        },
    }
}

/// `np` widened leftwards over the title run that introduces a name ("NAACP President Ann
/// Bell", "the party chairman Jo Lee"), when the phrase is a name and the run holds a title.
fn with_title_run(toks: &[Tok], np: Np, lex: &Lexicons) -> Np {
    let named = np.end > np.start && toks.get(np.end - 1).is_some_and(|t| t.cap);
    let mut k = np.start;
    while named && k > 0 {
        let (t, here) = (&toks[k - 1], &toks[k]);
        if t.quoted || here.breaks_before() || here.hard_break_before() {
            break;
        }
        if t.cap || lex.titles.contains(t.norm.as_str()) {
            k -= 1;
        } else {
            break;
        }
    }
    // Not a leading "of", nor a lone sentence-opening word before the title.
    while k < np.start && matches!(toks[k].norm.as_str(), "of") {
        k += 1;
    }
    let titled = toks[k..np.start]
        .iter()
        .any(|t| t.norm != "the" && t.norm != "of" && lex.titles.contains(t.norm.as_str()));
    if titled && k < np.start {
        Np {
            start: k,
            end: np.end,
        }
    } else {
        np
    }
}

/// The phrase as written, with the appositive that says who a named source is ("Jo Lee, a
/// spokeswoman for the mayor", "Rep. Ann Bell, D-Ohio"): the affiliation is part of who said
/// it. The appositive opens with a comma and an article (or is a party-and-state code) and
/// ends at the next comma, dash, bracket, sentence end, quote or relative pronoun.
fn with_appositive(text: &str, toks: &[Tok], np: Np, lex: &Lexicons) -> String {
    let end = affiliation::appositive_end(toks, np, lex);
    np_text(
        text,
        toks,
        Np {
            start: np.start,
            end,
        },
    )
}

/// The sentence opens with `name`, after at most a few capitalised title words ("Rep. Ann
/// Bell took on …"): its subject, not an object named later ("Lee named Ann Bell …").
fn opens_with(s: &Sent, name: &str) -> bool {
    let Some((_, first)) = crate::text::words(name).next() else {
        return false;
    };
    s.toks
        .iter()
        .take(4)
        .take_while(|t| t.cap && !t.quoted)
        .any(|t| t.raw == first)
}

/// Verbs that say a speaker goes on: "continued", "added", "went on".
fn carries_on(verb: &str) -> bool {
    verb.starts_with("continu") || matches!(verb, "add" | "adds" | "added" | "went" | "goes")
}

/// The speaker cue of the quote `qa..qb` as seen from sentence `s`: a reporting verb right after
/// the quote closes ("…," X said / said X) or right before it opens (X said: "…", or a
/// participle "…, remarking, "…"" whose speaker is the sentence's subject).
fn quote_cue(
    text: &str,
    s: &Sent,
    qa: usize,
    qb: usize,
    mentions: &[Mention],
    lex: &Lexicons,
) -> Option<Named> {
    let toks = &s.toks;
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    // After the quote closes, within a few words.
    if qb <= s.end {
        let first_after = toks.iter().position(|t| t.start >= qb);
        if let Some(a) = first_after {
            let mut j = a;
            while j < toks.len() && j < a + 25 && !toks[j].quoted {
                if j > a && toks[j].hard_break_before() {
                    break;
                }
                if let Some((n, v)) = lex.verbs.longest_at(&norms, j) {
                    if !v.participle {
                        let np = if j > a {
                            // "…," Rep. Ann Bell, D-Ohio, …, said: the name right after the quote.
                            let lead = toks[a]
                                .cap
                                .then(|| names::subject_np(&toks[a..], j - a, lex))
                                .flatten();
                            lead.filter(|np| np.start == 0)
                                .map(|np| Np {
                                    start: np.start + a,
                                    end: np.end + a,
                                })
                                .or_else(|| attribution::subject_before(toks, j, lex))
                        } else {
                            attribution::np_right(toks, j + n, lex)
                        };
                        if let Some(np) = np {
                            let mut named = phrase_name(text, toks, np, mentions, lex);
                            named.carries_on = carries_on(norms[j]);
                            return Some(named);
                        }
                        // "…," Rep. Ann Bell, D-Ohio, a member of …, told: the name after the
                        // quote.
                        if j > a {
                            if let Some(np) = names::subject_np(&toks[a..], j - a, lex) {
                                let np = Np {
                                    start: np.start + a,
                                    end: np.end + a,
                                };
                                return Some(phrase_name(text, toks, np, mentions, lex));
                            }
                        }
                    }
                }
                j += 1;
            }
        }
    }
    // Before the quote opens: the last reporting verb in the unquoted run before it.
    if qa >= s.start {
        let open = toks
            .iter()
            .position(|t| t.start >= qa)
            .unwrap_or(toks.len());
        let mut j = open;
        while j > 0 && !toks[j - 1].quoted {
            j -= 1;
            if let Some((n, v)) = lex.verbs.longest_at(&norms, j) {
                if j + n > open {
                    continue;
                }
                if v.participle && open - (j + n) <= 3 {
                    return names::sentence_subject(text, toks, j, mentions, lex).map(|n| Named {
                        written: n.clone(),
                        name: n,
                        person: true,
                        side: None,
                        carries_on: false,
                    });
                }
                if v.participle {
                    continue;
                }
                let np = attribution::subject_before(toks, j, lex).or_else(|| {
                    (j > 0 && toks[j].breaks_before())
                        .then(|| attribution::np_right(toks, j + n, lex))
                        .flatten()
                });
                if let Some(np) = np {
                    return Some(phrase_name(text, toks, np, mentions, lex));
                }
                // "Bell leaned in and said, "…"" / "Bell was quick to retort: "…"": a verb
                // right before the quote whose subject is further back is the sentence's.
                if open - (j + n) <= 1 {
                    if let Some(n) = names::sentence_subject(text, toks, j, mentions, lex) {
                        return Some(Named {
                            person: names::looks_personal(&n),
                            written: n.clone(),
                            name: n,
                            side: None,
                            carries_on: false,
                        });
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
