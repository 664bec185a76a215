//! Mention detection: capitalised runs in each sentence, cut into roles, demonyms and names,
//! then typed by gazetteers, head words ("… Airlines", "Ministry of …"), given names and shape.
//!
//! Two passes over a document: the first collects the capitalised words seen in the middle of
//! ordinary sentences (so that "Apple" at the start of a sentence is known to be a name when
//! the article also writes it mid-sentence, and title-case or all-caps headlines can be read),
//! the second finds mentions. A last step retypes bare surnames of persons named in full.

use super::lexicon::{lexicon, HeadPos, Lexicon, RolePart};
use super::tokens::{tokenize, Tok};
use crate::model::{Document, EntityType, Mention};
use std::collections::HashSet;

/// Longest capitalised run read as one name; longer runs are title-case text, not a name.
const MAX_RUN: usize = 10;

/// Confidence under which a type is a guess that resolution may override.
pub const SOFT: f32 = 0.5;

/// Lower-case words that may join two capitalised parts of one name.
const CONNECTORS: &[&str] = &[
    "of", "for", "&", "de", "da", "di", "del", "della", "van", "von", "der", "den", "du", "des",
    "la", "le", "bin", "ibn", "al", "el", "abu", "y", "on",
];
/// Lower-case function words of title case ("Ford Taurus to Be Revived").
const TITLE_FUNCTION: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by", "with",
    "from", "as", "is", "be", "vs",
];
/// Legal-form suffixes that end an organisation name.
const LEGAL: &[&str] = &[
    "Inc", "Corp", "Ltd", "LLC", "LLP", "PLC", "plc", "AG", "SA", "SpA", "GmbH", "NV", "N.V",
];
/// Verbs after a name that mark a person speaking.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "wrote",
    "explained",
    "argued",
    "insisted",
];
/// Words before a name that mark it as a place ("in X", "near X").
const PLACE_PREPS: &[&str] = &["in", "near", "outside", "across", "throughout"];

struct SentenceCtx<'a> {
    doc: &'a Document,
    sentence: &'a str,
    toks: Vec<Tok<'a>>,
    headline: bool,
    allcaps: bool,
}

/// Finds the name mentions of one document.
pub fn detect(doc: &Document) -> Vec<Mention> {
    let lx = lexicon();
    let mut sents: Vec<SentenceCtx> = Vec::new();
    for s in doc.sentences() {
        let Some(text) = doc.text.get(s.start..s.end) else {
            continue;
        };
        let toks = tokenize(text, s.start);
        let (headline, allcaps) = headline_kind(&toks);
        sents.push(SentenceCtx {
            doc,
            sentence: s.id.as_str(),
            toks,
            headline,
            allcaps,
        });
    }
    // Pass 1: capitalised words seen mid-sentence in ordinary sentences.
    let mut known: HashSet<&str> = HashSet::new();
    for sc in &sents {
        if sc.headline {
            continue;
        }
        for (k, t) in sc.toks.iter().enumerate() {
            if t.word && t.cap && !is_initial(&sc.toks, k) && !lx.nonnames.contains(t.text) {
                known.insert(t.text);
            }
        }
    }
    // Pass 2: mentions.
    let mut out = Vec::new();
    for sc in &sents {
        if crate::budget::spent() {
            break;
        }
        find_in_sentence(sc, lx, &known, &mut out);
    }
    retype_surnames(&mut out, lx);
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    out
}

/// A sentence is a headline when nearly all its words are capitalised (title case) or upper case.
fn headline_kind(toks: &[Tok]) -> (bool, bool) {
    let words: Vec<&Tok> = toks
        .iter()
        .filter(|t| t.word && t.text.chars().any(char::is_alphabetic))
        .collect();
    if words.len() < 4 {
        return (false, false);
    }
    let upper = words.iter().filter(|t| t.allcaps).count();
    if upper * 10 >= words.len() * 8 {
        return (true, true);
    }
    // A sentence that ends like one ("... the Clean Water Restoration Act, or CWRA, on
    // Tuesday.") is no headline, however many capitals its names bring: headlines carry no
    // full stop.
    let ends_sentence = toks
        .iter()
        .rev()
        .find(|t| !matches!(t.text, "\"" | "”" | "’" | "'" | ")" | "»"))
        .is_some_and(|t| matches!(t.text, "." | "?" | "!"));
    if ends_sentence {
        return (false, false);
    }
    // Cheap first: most sentences have few capitals and are no headline.
    if words.iter().filter(|t| t.cap).count() * 2 < words.len() {
        return (false, false);
    }
    let content: Vec<&&Tok> = words
        .iter()
        .filter(|t| !TITLE_FUNCTION.contains(&t.text))
        .collect();
    let caps = content.iter().filter(|t| t.cap).count();
    (content.len() >= 3 && caps * 10 >= content.len() * 8, false)
}

/// First word of a sentence, or first after an opening quote, colon, dash or bracket.
fn is_initial(toks: &[Tok], k: usize) -> bool {
    let mut j = k;
    while j > 0 {
        j -= 1;
        let t = &toks[j];
        if t.word {
            return false;
        }
        if matches!(
            t.text,
            "\"" | "“" | "‘" | "'" | ":" | "—" | "–" | "-" | "(" | "[" | "•" | "*" | "`" | "«"
        ) {
            return true;
        }
    }
    true
}

fn is_connector(t: &Tok) -> bool {
    t.word && CONNECTORS.contains(&t.text) || t.text == "&"
}

fn find_in_sentence(sc: &SentenceCtx, lx: &Lexicon, known: &HashSet<&str>, out: &mut Vec<Mention>) {
    let toks = &sc.toks;
    let n = toks.len();
    let name_ok = |k: usize| -> bool {
        let t = &toks[k];
        if !t.word || !t.cap || lx.nonnames.contains(t.text) {
            return false;
        }
        if !sc.headline {
            return true;
        }
        headline_token_ok(t, lx, known, sc.allcaps)
    };
    let mut k = 0;
    while k < n {
        if !name_ok(k) {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        if !toks[k].possessive {
            while e < n && e - k < MAX_RUN {
                if name_ok(e) {
                    e += 1;
                    if toks[e - 1].possessive {
                        break;
                    }
                } else if is_connector(&toks[e]) && !sc.headline {
                    match connector_span(toks, k, e, lx) {
                        Some(next) if next < n && name_ok(next) => e = next,
                        _ => break,
                    }
                } else {
                    break;
                }
            }
        }
        let run_end = e;
        if e - k >= MAX_RUN {
            // A long capitalised stretch: read it like a headline, token by token.
            for (j, t) in toks.iter().enumerate().take(e).skip(k) {
                if headline_token_ok(t, lx, known, false) {
                    process_run(sc, lx, known, j, j + 1, out);
                }
            }
        } else {
            process_run(sc, lx, known, k, run_end, out);
        }
        k = run_end.max(k + 1);
    }
}

/// In a headline, a word is a name only when it is known from the body or a gazetteer, or
/// (title case) when it is no common word.
fn headline_token_ok(t: &Tok, lx: &Lexicon, known: &HashSet<&str>, allcaps: bool) -> bool {
    if !t.word || !t.cap {
        return false;
    }
    if allcaps {
        let title = title_case(t.text);
        return known.contains(title.as_str())
            || known.contains(t.text)
            || lx.place(t.text).is_some()
            || lx.org(t.text, true).is_some()
            || lx.demonym(&title).is_some();
    }
    known.contains(t.text)
        || lx.places.contains_key(t.text)
        || lx.orgs.contains_key(t.text)
        || lx.demonym(t.text).is_some()
        || (!lx.is_common(t.text) && !lx.nonnames.contains(t.text))
}

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Where a run may continue after the connector at `e`: the index of the next name token, or
/// None when the connector does not join ("Nordio of Italy" stays two names).
fn connector_span(toks: &[Tok], k: usize, e: usize, lx: &Lexicon) -> Option<usize> {
    let c = toks[e].text;
    let prev = &toks[e - 1];
    if prev.possessive {
        return None;
    }
    match c {
        "&" => Some(e + 1),
        "of" | "for" | "on" => {
            let joins = lx.head(prev.text).is_some_and(|(_, p)| p != HeadPos::Last)
                || lx.role(prev.text).is_some()
                || matches!(
                    prev.text,
                    "Republic"
                        | "Kingdom"
                        | "State"
                        | "States"
                        | "Duke"
                        | "Isle"
                        | "Bank"
                        | "Gulf"
                        | "Bay"
                        | "Sea"
                        | "City"
                        | "Province"
                        | "Union"
                        | "Secretary"
                        | "Minister"
                        | "Office"
                        | "Court"
                        | "Council"
                        | "Committee"
                        | "Board"
                        | "Chamber"
                        | "House"
                        | "Museum"
                        | "Church"
                        | "Order"
                        | "Federation"
                        | "Association"
                        | "Party"
                        | "Commissioner"
                        | "Governor"
                        | "Mayor"
                        | "Ambassador"
                        | "Institute"
                        | "Centre"
                        | "Center"
                        | "Cathedral"
                );
            if !joins {
                return None;
            }
            // "of the Red Cross"
            if toks.get(e + 1).is_some_and(|t| t.text == "the") {
                Some(e + 2)
            } else {
                Some(e + 1)
            }
        }
        "and" => {
            // only inside an organisation name that ends with an org head word
            let mut j = e + 1;
            while j < toks.len() && toks[j].word && toks[j].cap && !toks[j].possessive {
                j += 1;
            }
            let last = toks.get(j.checked_sub(1)?)?;
            let starts_org = lx.head(toks[k].text).is_some();
            let ends_org = j > e + 1
                && lx
                    .head(last.text)
                    .is_some_and(|(t, _)| t == EntityType::Org);
            (starts_org || ends_org).then_some(e + 1)
        }
        _ => {
            // name particles: "Ludwig van Beethoven", "Osama bin Laden"
            prev.word.then_some(e + 1)
        }
    }
}

struct Piece {
    a: usize,
    b: usize,
    /// Byte span when the piece is part of one token (a split hyphenated pair).
    span: Option<(usize, usize)>,
    ty: EntityType,
    conf: f32,
    role: Option<String>,
    points_to: Option<String>,
}

fn span_text<'a>(sc: &SentenceCtx<'a>, a: usize, b: usize) -> &'a str {
    let toks = &sc.toks;
    let (s, e) = (toks[a].start, toks[b - 1].end);
    sc.doc.text.get(s..e).unwrap_or("")
}

/// Cuts one capitalised run `toks[a..b]` into mentions.
fn process_run(
    sc: &SentenceCtx,
    lx: &Lexicon,
    known: &HashSet<&str>,
    mut a: usize,
    b: usize,
    out: &mut Vec<Mention>,
) {
    let toks = &sc.toks;
    // Leading words that are not names: "The", and at the start of a sentence a capitalised
    // common word not otherwise known as a name ("Critics", "However", "Following").
    while a < b {
        let t = &toks[a];
        let lc = t.text.to_lowercase();
        let initial = is_initial(toks, a);
        let role_phrase = lx.role(t.text).is_some()
            && a + 1 < b
            && toks.get(a + 1).is_some_and(|n| lx.role(n.text).is_some());
        let drop = lc == "the"
            || TITLE_FUNCTION.contains(&lc.as_str()) && initial
            || initial
                && !role_phrase
                && !(lx.first_names.contains(t.text)
                    && a + 1 < b
                    && !lx.is_common(toks[a + 1].text))
                && lx.is_common(t.text)
                && !t.allcaps
                && !known.contains(t.text)
                && !matches!(lx.role(t.text), Some(RolePart::Head | RolePart::Honorific))
                && lx.demonym(t.text).is_none()
                && !lx.places.contains_key(t.text)
                && lx.org(t.text, false).is_none()
                && !(b - a >= 2 && whole_known(sc, lx, a, b));
        if !drop {
            break;
        }
        a += 1;
    }
    // Trailing connectors never end a name.
    let mut b = b;
    while b > a && is_connector(&toks[b - 1]) {
        b -= 1;
    }
    if a >= b {
        return;
    }
    // Not names: a currency prefix ("US$"), a numbered item ("Chapter 11", "No. 1"), a bare
    // role ("the Prime Minister"), a contraction ("We've").
    let next = toks.get(b);
    if next.is_some_and(|t| t.text == "$" && t.start == toks[b - 1].end) {
        return;
    }
    let after = match next {
        Some(t) if t.text == "." => toks.get(b + 1),
        t => t,
    };
    if b - a == 1
        && lx.is_common(toks[a].text.trim_end_matches('.'))
        && after.is_some_and(|t| t.text.starts_with(|c: char| c.is_ascii_digit()))
    {
        return;
    }
    if toks[a..b]
        .iter()
        .all(|t| lx.role(t.text).is_some() || is_connector(t))
    {
        return;
    }
    if b - a == 1 && is_contraction(toks[a].text) {
        return;
    }
    let mut pieces = Vec::new();
    classify(sc, lx, a, b, None, &mut pieces);
    for p in pieces {
        let (s, e) = p.span.unwrap_or((toks[p.a].start, toks[p.b - 1].end));
        let Some(text) = sc.doc.text.get(s..e) else {
            continue;
        };
        if text.chars().all(|c| !c.is_alphabetic()) {
            continue;
        }
        let mut role = p.role;
        if (p.ty == EntityType::Person || p.conf < SOFT) && role.is_none() {
            role = lowercase_role_before(sc, lx, p.a).or_else(|| appositive_role(sc, lx, p.b));
        }
        out.push(Mention {
            doc: sc.doc.id.clone(),
            sentence: sc.sentence.to_string(),
            start: s,
            end: e,
            text: text.to_string(),
            ty: p.ty,
            confidence: p.conf,
            role,
            points_to: p.points_to,
        });
    }
}

fn whole_known(sc: &SentenceCtx, lx: &Lexicon, a: usize, b: usize) -> bool {
    let t = span_text(sc, a, b);
    lx.org(t, false).is_some() || lx.places.contains_key(t)
}

/// Types the run `a..b` (already trimmed), pushing one or more pieces.
fn classify(
    sc: &SentenceCtx,
    lx: &Lexicon,
    a: usize,
    b: usize,
    role: Option<String>,
    out: &mut Vec<Piece>,
) {
    let toks = &sc.toks;
    let text = span_text(sc, a, b);
    let piece = |ty, conf, role: Option<String>, points_to: Option<String>| Piece {
        a,
        b,
        span: None,
        ty,
        conf,
        role,
        points_to,
    };
    // Whole-run gazetteer hits (any case in an all-caps headline).
    if lx.org(text, sc.allcaps).is_some() {
        out.push(piece(EntityType::Org, 0.95, role, None));
        return;
    }
    if lx.places.contains_key(text) || sc.allcaps && lx.place(text).is_some() {
        out.push(piece(EntityType::Place, 0.95, role, None));
        return;
    }
    let dem = if sc.allcaps {
        lx.demonym(&title_case(text))
    } else {
        lx.demonym(text)
    };
    if let Some(to) = dem {
        let to = (!to.is_empty()).then(|| to.to_string());
        out.push(piece(EntityType::Group, 0.9, None, to));
        return;
    }
    // A legal suffix inside the run ends the organisation: "Acme Ltd Jo Bloggs".
    if let Some(k) =
        (a..b.saturating_sub(1)).find(|&k| LEGAL.contains(&toks[k].text.trim_end_matches('.')))
    {
        if k > a {
            classify(sc, lx, a, k + 1, None, out);
            classify(sc, lx, k + 1, b, role, out);
            return;
        }
    }
    // "Jo Press": a given name and one more word is a person, even when that word is a head.
    if b - a == 2 && lx.first_names.contains(toks[a].text) && !lx.places.contains_key(toks[a].text)
    {
        out.push(piece(EntityType::Person, 0.75, role, None));
        return;
    }
    // Head words decide organisations, places and events ("Supreme Court", "Heathrow Airport").
    if let Some(ty) = head_type(toks, a, b, lx) {
        out.push(piece(ty, 0.8, role, None));
        return;
    }
    // A role inside the run: "[Libyan] General Osama Najim", "[Acme] CEO Jo Bloggs".
    if role.is_none() {
        if let Some((rs, re)) = find_role(toks, a, b, lx) {
            if re == b && rs > a {
                // "Acme Communications Director": the name is what precedes the role
                classify(sc, lx, a, rs, None, out);
                return;
            }
            if re < b {
                if rs > a {
                    classify(sc, lx, a, rs, None, out);
                }
                if toks[re].text == "of" {
                    // "Prime Minister of Zembla": a role without a name, then a place
                    if re + 1 < b {
                        classify(sc, lx, re + 1, b, None, out);
                    }
                    return;
                }
                let r = span_text(sc, rs, re).to_string();
                person_or_other(sc, lx, re, b, Some(r), out);
                return;
            }
        }
    }
    // A leading demonym or place before a person: "Ruritanian Anna Zogson" (but "Zembla
    // Mutual" stays one name).
    if b - a >= 3 {
        let first = toks[a].text;
        if (lx.demonym(first).is_some() || lx.places.contains_key(first))
            && lx.first_names.contains(toks[a + 1].text)
        {
            classify(sc, lx, a, a + 1, None, out);
            classify(sc, lx, a + 1, b, role, out);
            return;
        }
    }
    // Hyphenated pair of places: "Ruritania-Borduria".
    if b - a == 1 && toks[a].text.contains('-') {
        let parts: Vec<&str> = toks[a].text.split('-').collect();
        if parts
            .iter()
            .all(|p| lx.places.contains_key(*p) || lx.demonym(p).is_some())
        {
            let mut start = toks[a].start;
            for p in parts {
                let (ty, to) = match lx.demonym(p) {
                    Some(to) if !lx.places.contains_key(p) => {
                        (EntityType::Group, Some(to.to_string()))
                    }
                    _ => (EntityType::Place, None),
                };
                out.push(Piece {
                    a,
                    b,
                    span: Some((start, start + p.len())),
                    ty,
                    conf: 0.9,
                    role: None,
                    points_to: to,
                });
                start += p.len() + 1;
            }
            return;
        }
    }
    person_or_other(sc, lx, a, b, role, out);
}

/// Type of a run decided by a head word, if any.
fn head_type(toks: &[Tok], a: usize, b: usize, lx: &Lexicon) -> Option<EntityType> {
    let last = &toks[b - 1];
    if let Some((ty, pos)) = lx.head(last.text) {
        if pos != HeadPos::First && b - a >= 2 {
            return Some(ty);
        }
    }
    let first = &toks[a];
    if let Some((ty, pos)) = lx.head(first.text) {
        if pos != HeadPos::Last && b - a >= 3 && toks[a + 1].text == "of" {
            return Some(ty);
        }
        if pos == HeadPos::First && b - a >= 2 {
            return Some(ty);
        }
    }
    for t in &toks[a..b] {
        if let Some((ty, HeadPos::Any)) = lx.head(t.text) {
            if b - a >= 2 {
                return Some(ty);
            }
        }
    }
    None
}

/// The first role phrase in `a..b`: role words with at least one head word or honorific.
fn find_role(toks: &[Tok], a: usize, b: usize, lx: &Lexicon) -> Option<(usize, usize)> {
    let mut i = a;
    while i < b {
        if toks[i].allcaps && lx.role(toks[i].text) != Some(RolePart::Head) {
            i += 1;
            continue;
        }
        if lx.role(toks[i].text).is_some() {
            let s = i;
            let mut has_head = false;
            while i < b {
                match lx.role(toks[i].text) {
                    Some(RolePart::Head) | Some(RolePart::Honorific) => has_head = true,
                    Some(RolePart::Mod) => {}
                    None if toks[i].text == "of" && i + 1 < b => {
                        // "Secretary of State": keep going only into role words
                        if lx.role(toks[i + 1].text).is_none() {
                            break;
                        }
                    }
                    None => break,
                }
                i += 1;
            }
            if has_head {
                return Some((s, i));
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Types what remains after roles and prefixes: a person, an acronym, a place or a guess.
fn person_or_other(
    sc: &SentenceCtx,
    lx: &Lexicon,
    a: usize,
    b: usize,
    role: Option<String>,
    out: &mut Vec<Piece>,
) {
    let toks = &sc.toks;
    let text = span_text(sc, a, b);
    let mut push = |ty, conf, points_to: Option<String>| {
        out.push(Piece {
            a,
            b,
            span: None,
            ty,
            conf,
            role: role.clone(),
            points_to,
        })
    };
    if lx.org(text, false).is_some() {
        return push(EntityType::Org, 0.95, None);
    }
    if lx.places.contains_key(text) {
        return push(EntityType::Place, 0.95, None);
    }
    if let Some(to) = lx.demonym(text) {
        return push(
            EntityType::Group,
            0.9,
            (!to.is_empty()).then(|| to.to_string()),
        );
    }
    let n = b - a;
    let first = &toks[a];
    let has_particle = toks[a..b].iter().any(|t| {
        let lc = t.text.to_lowercase();
        lc.starts_with("al-")
            || lc.starts_with("el-")
            || matches!(
                lc.as_str(),
                "bin" | "ibn" | "van" | "von" | "de" | "al" | "el" | "abu"
            )
    });
    let honorific = role.is_some();
    if n >= 2 && lx.first_names.contains(first.text) {
        return push(EntityType::Person, 0.9, None);
    }
    if honorific && !first.allcaps {
        return push(EntityType::Person, 0.85, None);
    }
    if has_particle {
        return push(EntityType::Person, 0.7, None);
    }
    if n == 1 {
        let t = first.text;
        if first.allcaps && lx.place(t).is_some() {
            return push(EntityType::Place, 0.9, None);
        }
        // "R-Ariz.", "D-N.Y.": a party and state tag, not a name
        let tag = ["R-", "D-", "I-"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
        if tag {
            return;
        }
        let bare = t.replace('.', "");
        if first.allcaps && bare.chars().count() <= 6 {
            if lx.acronym_stop.contains(&bare) {
                return;
            }
            return push(EntityType::Org, 0.6, None);
        }
        if bare.chars().any(|c| c.is_ascii_digit()) && !bare.chars().any(char::is_lowercase) {
            return;
        }
        // "X, <state or country>": a town ("Everett, Washington")
        if toks.get(b).is_some_and(|t| t.text == ",")
            && toks.get(b + 1).is_some_and(|t| {
                t.cap
                    && lx
                        .places
                        .get(t.text)
                        .is_some_and(|p| matches!(p.kind.as_str(), "region" | "country"))
            })
        {
            return push(EntityType::Place, 0.6, None);
        }
        // "in X": a place, unless X is a known given name
        let prev = a.checked_sub(1).and_then(|p| toks.get(p));
        if prev.is_some_and(|p| PLACE_PREPS.contains(&p.text)) && !lx.first_names.contains(t) {
            return push(EntityType::Place, 0.45, None);
        }
        // News names people in full on first mention: a bare unknown name is more often an
        // organisation or brand. The type stays soft; resolution may retype it.
        return push(EntityType::Org, 0.4, None);
    }
    // A model code inside ("Zephyr X200"): a product, not an actor.
    if toks[a..b].iter().any(|t| {
        t.text.chars().any(|c| c.is_ascii_digit()) && t.text.chars().any(char::is_alphabetic)
    }) {
        return push(EntityType::Other, 0.5, None);
    }
    let common = toks[a..b]
        .iter()
        .filter(|t| lx.is_common(t.text) && !is_connector(t))
        .count();
    // Without a given name or a title, a person is recognised by what follows: a speech verb
    // or an appositive ("X Y said", "X Y, 54,"); otherwise the guess is an organisation.
    let speaks = toks.get(b).is_some_and(|t| SPEECH.contains(&t.text))
        || toks.get(b).is_some_and(|t| t.text == ",")
            && toks.get(b + 1).is_some_and(|t| {
                matches!(t.text, "who" | "whose") || t.text.chars().all(|c| c.is_ascii_digit())
            });
    let speaks = speaks || appositive_role(sc, lx, b).is_some();
    if common == 0 && n <= 4 && !toks[a..b].iter().any(|t| t.allcaps) && speaks {
        push(EntityType::Person, 0.6, None)
    } else {
        push(EntityType::Org, 0.45, None)
    }
}

/// "We've", "Don't": a word with a clitic, never a name.
fn is_contraction(w: &str) -> bool {
    let Some(pos) = w.rfind(crate::text::is_apostrophe) else {
        return false;
    };
    let tail = w[pos..].chars().skip(1).collect::<String>().to_lowercase();
    matches!(tail.as_str(), "ve" | "re" | "ll" | "d" | "m" | "t")
}

/// Lower-case role words right before a name: "chief executive Jo Bloggs".
fn lowercase_role_before(sc: &SentenceCtx, lx: &Lexicon, a: usize) -> Option<String> {
    let toks = &sc.toks;
    let mut s = a;
    let mut has_head = false;
    while s > 0 && a - s < 4 {
        let t = &toks[s - 1];
        if !t.word || t.cap {
            break;
        }
        match lx.role(t.text) {
            Some(RolePart::Head) => has_head = true,
            Some(_) => {}
            None => break,
        }
        s -= 1;
    }
    (has_head && s < a).then(|| span_text(sc, s, a).to_string())
}

/// An appositive role after a name: "X, (who is) the head of the judicial police, …".
fn appositive_role(sc: &SentenceCtx, lx: &Lexicon, b: usize) -> Option<String> {
    let toks = &sc.toks;
    if toks.get(b)?.text != "," {
        return None;
    }
    let mut i = b + 1;
    if toks.get(i).is_some_and(|t| t.text == "who") {
        i += 1;
        if toks
            .get(i)
            .is_some_and(|t| matches!(t.text, "is" | "was" | "has"))
        {
            i += 1;
        }
        if toks.get(i).is_some_and(|t| t.text == "been") {
            i += 1;
        }
    }
    if toks
        .get(i)
        .is_some_and(|t| matches!(t.text, "the" | "a" | "an"))
    {
        i += 1;
    }
    let s = i;
    // skip modifiers up to a head word
    while i < toks.len() && i - s < 3 && lx.role(toks[i].text) == Some(RolePart::Mod) {
        i += 1;
    }
    let head = toks.get(i)?;
    if head.cap || lx.role(head.text) != Some(RolePart::Head) {
        return None;
    }
    let mut e = i + 1;
    while e < toks.len()
        && e - s < 10
        && toks[e].word
        && !matches!(
            toks[e].text,
            "and" | "or" | "but" | "who" | "which" | "that" | "since" | "after" | "when" | "said"
        )
    {
        e += 1;
    }
    Some(span_text(sc, s, e).to_string())
}

/// Bare names equal to the surname of a person named in full in the same document are that
/// person ("Smith" after "Jo Smith"), unless the bare name is a country.
fn retype_surnames(out: &mut [Mention], lx: &Lexicon) {
    let surnames: HashSet<String> = out
        .iter()
        .filter(|m| m.ty == EntityType::Person && m.text.split_whitespace().count() >= 2)
        .filter_map(|m| m.text.split_whitespace().last().map(str::to_string))
        .collect();
    for m in out.iter_mut() {
        if m.text.contains(' ') || !surnames.contains(&m.text) || m.ty == EntityType::Person {
            continue;
        }
        let is_country = lx.place(&m.text).is_some_and(|p| p.1.kind == "country");
        if m.ty == EntityType::Group || is_country {
            continue;
        }
        if m.confidence < SOFT || m.ty == EntityType::Place {
            m.ty = EntityType::Person;
            m.confidence = 0.8;
        }
    }
}
