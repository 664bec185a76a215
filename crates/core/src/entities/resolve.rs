//! Resolution: mentions into entities, within each document and then across the documents of
//! each story. Every merge needs evidence (a rule, the forms it linked and the sentences it
//! read); a merge is refused when the two sides have incompatible types or different full names.

use super::detect::SOFT;
use super::lexicon::{lexicon, Lexicon};
use super::names::{acronym_key, fold, initials, org_key, translit, translit_match, Translit};
use super::person::{self, PersonKey};
use crate::model::{Document, Entity, EntityType, Evidence, Mention, MentionRef};
use std::collections::{BTreeSet, HashMap};

/// A mention with its place in the input.
struct Node<'a> {
    /// Position of its document in the story's document list.
    doc: usize,
    m: &'a Mention,
}

/// Union-find over nodes that keeps each set's members, so merges can be checked.
struct Sets {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (big, small) = if self.members[ra].len() >= self.members[rb].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small] = big;
        let moved = std::mem::take(&mut self.members[small]);
        self.members[big].extend(moved);
        true
    }
}

struct Story<'a> {
    nodes: Vec<Node<'a>>,
    sets: Sets,
    evidence: Vec<(usize, Evidence)>,
    docs: Vec<&'a Document>,
    /// Person key of each node that can name a person (see [`person_keys`]).
    keys: Vec<Option<PersonKey>>,
    /// Nodes the text says are two people ("Sam Lee and his wife, Jo"): never one entity.
    apart: HashMap<usize, Vec<usize>>,
    /// Root of a set -> the distinct person keys of its members.
    root_keys: HashMap<usize, Vec<PersonKey>>,
}

/// Merges mentions into entities: within each document, then across the documents of each
/// story (`stories` holds indices into `docs`). Every merge records its evidence.
pub fn resolve(
    docs: &[Document],
    mentions: &[Vec<Mention>],
    stories: &[Vec<usize>],
) -> Vec<Entity> {
    // Each document belongs to its first story; documents in none form their own.
    let mut seen = vec![false; docs.len().min(mentions.len())];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for s in stories {
        let g: Vec<usize> = s
            .iter()
            .copied()
            .filter(|&d| d < seen.len() && !std::mem::replace(&mut seen[d], true))
            .collect();
        if !g.is_empty() {
            groups.push(g);
        }
    }
    for (d, was) in seen.iter().enumerate() {
        if !was {
            groups.push(vec![d]);
        }
    }
    let mut entities: Vec<(usize, usize, Entity)> = Vec::new();
    for g in &groups {
        let docs: Vec<&Document> = g.iter().map(|&d| &docs[d]).collect();
        let mentions: Vec<&[Mention]> = g.iter().map(|&d| mentions[d].as_slice()).collect();
        for (e, (pos, at)) in resolve_group(&docs, &mentions) {
            entities.push((g[pos], at, e));
        }
    }
    entities.sort_by_key(|a| (a.0, a.1));
    entities
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, mut e))| {
            e.id = format!("e{}", i + 1);
            e
        })
        .collect()
}

/// Merges the mentions of one story's documents (`mentions[i]` belongs to `docs[i]`) into
/// entities with ids `<story_id>-e<n>`, numbered in order of first appearance.
pub fn resolve_story(story_id: &str, docs: &[&Document], mentions: &[&[Mention]]) -> Vec<Entity> {
    let mut found = resolve_group(docs, mentions);
    found.sort_by_key(|(_, first)| *first);
    found
        .into_iter()
        .enumerate()
        .map(|(i, (mut e, _))| {
            e.id = format!("{story_id}-e{}", i + 1);
            e
        })
        .collect()
}

/// Entities of one group of documents, each with (document position, mention position) of
/// its first mention; ids are left to the caller.
fn resolve_group<'a>(
    docs: &[&'a Document],
    mentions: &[&'a [Mention]],
) -> Vec<(Entity, (usize, usize))> {
    let lx = lexicon();
    let mut nodes = Vec::new();
    for (pos, ms) in mentions.iter().enumerate().take(docs.len()) {
        for m in ms.iter() {
            nodes.push(Node { doc: pos, m });
        }
    }
    let n = nodes.len();
    let (keys, apart) = person_keys(&nodes, docs, lx);
    let root_keys = keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.clone().map(|k| (i, vec![k])))
        .collect();
    let mut st = Story {
        nodes,
        sets: Sets::new(n),
        evidence: Vec::new(),
        docs: docs.to_vec(),
        keys,
        apart,
        root_keys,
    };
    merge_story(&mut st, lx);
    build_entities(&mut st)
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_acronym(m: &Mention) -> bool {
    acronym_key(&m.text).is_some()
}

impl<'a> Story<'a> {
    /// The hard type of a set: the type of its confident mentions, if any.
    fn hard_type(&mut self, x: usize) -> Option<EntityType> {
        let r = self.sets.find(x);
        let mut best: Option<(EntityType, f32)> = None;
        for &i in &self.sets.members[r] {
            let m = self.nodes[i].m;
            if m.confidence >= SOFT
                && m.ty != EntityType::Group
                && best.is_none_or(|b| m.confidence > b.1)
            {
                best = Some((m.ty, m.confidence));
            }
        }
        best.map(|b| b.0)
    }

    /// Full person names (two words or more) of a set.
    fn full_names(&mut self, x: usize) -> Vec<&'a str> {
        let r = self.sets.find(x);
        self.sets.members[r]
            .iter()
            .map(|&i| self.nodes[i].m)
            .filter(|m| m.ty == EntityType::Person && words(&m.text) >= 2)
            .map(|m| m.text.as_str())
            .collect()
    }

    /// The distinct person keys of a set's members (kept per root as sets are joined, so a
    /// check costs the number of distinct names, not of mentions).
    fn set_keys(&mut self, x: usize) -> &[PersonKey] {
        let r = self.sets.find(x);
        self.root_keys.get(&r).map_or(&[], Vec::as_slice)
    }

    /// Whether two sets may be one entity: compatible types, no two different full names, no
    /// difference in given name or gender between two of their person names, and nothing the
    /// text says keeps them apart (a relative of the other).
    fn compatible(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.sets.find(a), self.sets.find(b));
        if ra == rb {
            return true;
        }
        let (ta, tb) = (self.hard_type(a), self.hard_type(b));
        if let (Some(x), Some(y)) = (ta, tb) {
            if x != y {
                return false;
            }
        }
        // Distinct forms only: a set holds many mentions of few names.
        let (fa, fb): (BTreeSet<&str>, BTreeSet<&str>) = (
            self.full_names(a).into_iter().collect(),
            self.full_names(b).into_iter().collect(),
        );
        if !fa.is_empty() && !fb.is_empty() {
            let ok = fa.iter().any(|x| {
                fb.iter().any(|y| {
                    fold(x) == fold(y)
                        || translit_match(x, y)
                        || contains_name(x, y)
                        || matches!(
                            (person::person_key(x, None), person::person_key(y, None)),
                            (Some(p), Some(q)) if person::keys_match(&p, &q)
                        )
                })
            });
            if !ok {
                return false;
            }
        }
        // Given names and genders: every pair of person names must agree where both say.
        let ka = self.set_keys(a).to_vec();
        let kb = self.set_keys(b);
        if ka
            .iter()
            .any(|x| kb.iter().any(|y| !person::no_conflict(x, y)))
        {
            return false;
        }
        // Few nodes are relatives: walk those, not the sets' members.
        let pairs: Vec<(usize, usize)> = self
            .apart
            .iter()
            .flat_map(|(&i, others)| others.iter().map(move |&o| (i, o)))
            .collect();
        !pairs
            .into_iter()
            .any(|(i, o)| self.sets.find(i) == ra && self.sets.find(o) == rb)
    }

    fn merge(&mut self, a: usize, b: usize, rule: &str) -> bool {
        if self.sets.find(a) == self.sets.find(b) || !self.compatible(a, b) {
            return false;
        }
        let (ra, rb) = (self.sets.find(a), self.sets.find(b));
        self.sets.join(a, b);
        let root = self.sets.find(a);
        let mut keys = self.root_keys.remove(&ra).unwrap_or_default();
        for k in self.root_keys.remove(&rb).unwrap_or_default() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if !keys.is_empty() {
            self.root_keys.insert(root, keys);
        }
        if !rule.is_empty() {
            let (ma, mb) = (self.nodes[a].m, self.nodes[b].m);
            let mut forms = vec![ma.text.clone(), mb.text.clone()];
            forms.dedup();
            let mut sentences = vec![ma.sentence.clone(), mb.sentence.clone()];
            sentences.dedup();
            self.evidence.push((
                a,
                Evidence {
                    rule: rule.to_string(),
                    forms,
                    sentences,
                },
            ));
        }
        true
    }
}

/// Person keys of the nodes, and the pairs the text keeps apart. A node's key comes from its
/// text and title ("Mrs. Lee": surname lee, female); a given name introduced as a relative
/// ("Sam Lee and his wife, Jo") takes the surname of the person it is the relative of and the
/// gender of the relative word, and is kept apart from that person.
fn person_keys(
    nodes: &[Node<'_>],
    docs: &[&Document],
    lx: &Lexicon,
) -> (Vec<Option<PersonKey>>, HashMap<usize, Vec<usize>>) {
    let personish = |m: &Mention| {
        m.ty == EntityType::Person || m.confidence < SOFT && m.ty != EntityType::Group
    };
    let mut keys: Vec<Option<PersonKey>> = nodes
        .iter()
        .map(|n| {
            personish(n.m)
                .then(|| person::person_key(&n.m.text, n.m.role.as_deref()))
                .flatten()
        })
        .collect();
    let mut apart: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..nodes.len() {
        let m = nodes[i].m;
        // A given name alone (typed a person, or a guess): "Jo" in "his wife, Jo".
        let given = m.ty == EntityType::Person
            || (m.confidence < SOFT
                && m.ty != EntityType::Group
                && lx.first_names.contains(&m.text));
        if !given || words(&m.text) != 1 {
            continue;
        }
        let Some(text) = docs.get(nodes[i].doc).map(|d| d.text.as_str()) else {
            continue;
        };
        let Some(gender) = relative_word_before(text, m.start) else {
            continue;
        };
        // The person whose relative this is: the nearest person named before it in the
        // document (in "Lee's wife, Jo" and "Sam Lee and his wife, Jo" alike).
        let owner = (0..i).rev().find(|&j| {
            nodes[j].doc == nodes[i].doc
                && nodes[j].m.ty == EntityType::Person
                && nodes[j].m.end <= m.start
        });
        let Some(j) = owner else { continue };
        let Some(owner_key) = keys[j].clone() else {
            continue;
        };
        keys[i] = Some(PersonKey {
            first: Some(fold(&m.text)),
            last: owner_key.last,
            gender,
        });
        apart.entry(i).or_default().push(j);
        apart.entry(j).or_default().push(i);
    }
    (keys, apart)
}

/// The gender given by a relative word right before `pos` ("his wife, " -> female), when
/// there is one (`Some(None)`: a relative of either gender).
fn relative_word_before(text: &str, pos: usize) -> Option<Option<person::Gender>> {
    let before = text.get(..pos)?.trim_end();
    let before = before.strip_suffix(',').unwrap_or(before).trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = &before[word_start..];
    if word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    person::family_word(word)
}

/// Middle initials and generational suffixes written on both sides must agree ("George W.
/// Bush" is not "George H. W. Bush"; "Jo Lee Jr." is not "Jo Lee Sr."); written on one side
/// only, they say nothing.
fn variants_agree(a: &str, b: &str) -> bool {
    let parts = |s: &str| -> (Vec<String>, Option<String>) {
        let f = fold(s);
        let w: Vec<&str> = f.split(' ').collect();
        let suffix = w
            .last()
            .filter(|x| matches!(**x, "jr" | "sr" | "ii" | "iii" | "iv"))
            .map(|x| x.to_string());
        let inner = if w.len() > 2 {
            &w[1..w.len() - 1]
        } else {
            &[][..]
        };
        let initials = inner
            .iter()
            .filter(|x| x.chars().count() == 1)
            .map(|x| x.to_string())
            .collect();
        (initials, suffix)
    };
    let ((ia, sa), (ib, sb)) = (parts(a), parts(b));
    (ia.is_empty() || ib.is_empty() || ia == ib) && (sa.is_none() || sb.is_none() || sa == sb)
}

/// "Jo Bloggs" inside "Jo Q. Bloggs" or "Jo Bloggs Smith": all words of one in the other.
fn contains_name(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    let wa: Vec<&str> = fa.split(' ').collect();
    let wb: Vec<&str> = fb.split(' ').collect();
    let (short, long) = if wa.len() <= wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    short.iter().all(|w| long.contains(w)) && short.last() == long.last()
}

/// Phrases between two names that state they are the same actor.
const ALIAS_GAPS: &[&str] = &[
    "also known as",
    "better known as",
    "known as",
    "alias",
    "aka",
    "a k a",
    "dubbed",
    "nicknamed",
    "also called",
];

fn merge_story(st: &mut Story, lx: &Lexicon) {
    let n = st.nodes.len();
    // 1. Same form in the same document.
    let mut by_form: HashMap<(usize, String), usize> = HashMap::new();
    for i in 0..n {
        let key = (st.nodes[i].doc, fold(&st.nodes[i].m.text));
        match by_form.get(&key) {
            Some(&j) => {
                // identical text needs no evidence; a variant in case or accents does
                let rule = if st.nodes[j].m.text == st.nodes[i].m.text {
                    ""
                } else {
                    "same_name"
                };
                st.merge(j, i, rule);
            }
            None => {
                by_form.insert(key, i);
            }
        }
    }
    // 2. Stated aliases and parentheses, in the text between two mentions of one sentence.
    for i in 0..n {
        let j = i + 1;
        if j >= n || st.nodes[i].doc != st.nodes[j].doc {
            continue;
        }
        let (a, b) = (st.nodes[i].m, st.nodes[j].m);
        if a.sentence != b.sentence || b.start < a.end {
            continue;
        }
        let text = &st.docs[st.nodes[i].doc].text;
        let Some(gap) = text.get(a.end..b.start) else {
            continue;
        };
        let after = text.get(b.end..).unwrap_or("");
        let g = fold(gap);
        let paren = gap.trim() == "(" && after.trim_start().starts_with(')');
        // "the Clean Water Restoration Act, or CWRA": an acronym defined by ", or".
        let or_acronym = gap.trim_start().starts_with(',')
            && g == "or"
            && acronym_key(&b.text).is_some()
            && words(&a.text) >= 2;
        if paren || or_acronym || (ALIAS_GAPS.contains(&g.as_str()) && gap.len() < 40) {
            if a.ty == EntityType::Group || b.ty == EntityType::Group {
                continue;
            }
            let acr = acronym_key(&b.text).is_some_and(|k| initials(&a.text).contains(&k));
            let rule = if acr { "acronym" } else { "stated_alias" };
            st.merge(i, j, rule);
        }
    }
    // 3. Short forms of persons in the same document: "Bloggs" -> nearest "Jo Bloggs" that
    // nothing sets apart ("Mrs. Bloggs" is not "Sam Bloggs" when the text gives his wife).
    // Full names and relatives given by first name ("his wife, Jo") are indexed by surname.
    let mut full_by_surname: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for j in 0..n {
        let f = st.nodes[j].m;
        let family = words(&f.text) == 1 && st.apart.contains_key(&j);
        if (f.ty == EntityType::Person && words(&f.text) >= 2) || family {
            if let Some(k) = &st.keys[j] {
                full_by_surname
                    .entry((st.nodes[j].doc, k.last.clone()))
                    .or_default()
                    .push(j);
            }
        }
    }
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty != EntityType::Person || words(&m.text) != 1 || st.apart.contains_key(&i) {
            continue;
        }
        let Some(list) = full_by_surname.get(&(st.nodes[i].doc, fold(&m.text))) else {
            continue;
        };
        // Nearest before, else nearest after; a candidate whose known gender agrees with the
        // mention's first; the first one the checks in `merge` accept wins.
        let gender = st.keys[i].as_ref().and_then(|k| k.gender);
        let mut order: Vec<usize> = list.clone();
        order.sort_by_key(|&j| {
            let f = st.nodes[j].m;
            let same_gender =
                gender.is_some() && st.keys[j].as_ref().and_then(|k| k.gender) == gender;
            let dist = if f.start <= m.start {
                (0, m.start - f.start)
            } else {
                (1, f.start - m.start)
            };
            (!same_gender, dist)
        });
        for j in order {
            let rule = if st.apart.contains_key(&j) && words(&st.nodes[j].m.text) == 1 {
                "family"
            } else {
                "short_form"
            };
            if st.merge(j, i, rule) {
                break;
            }
        }
    }
    // 3b. Variants of one full name: middle initials, suffixes and nicknames ("Jo M. Lee Jr."
    // = "Jo Lee", "Bill Tarrant" = "William Tarrant"), across the story.
    let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty == EntityType::Person && words(&m.text) >= 2 {
            if let Some(k) = st.keys[i].as_ref().filter(|k| k.first.is_some()) {
                let list = by_last.entry(k.last.clone()).or_default();
                if list.len() < 64 {
                    list.push(i);
                }
            }
        }
    }
    let mut lasts: Vec<&String> = by_last.keys().collect();
    lasts.sort();
    for last in lasts {
        let list = &by_last[last];
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                let (Some(a), Some(b)) = (&st.keys[i], &st.keys[j]) else {
                    continue;
                };
                if fold(&st.nodes[i].m.text) == fold(&st.nodes[j].m.text)
                    || !person::keys_match(a, b)
                    || !variants_agree(&st.nodes[i].m.text, &st.nodes[j].m.text)
                {
                    continue;
                }
                st.merge(i, j, "name_variant");
            }
        }
    }
    // 4. Organisation names that differ by a legal ending: "Acme Inc." = "Acme".
    let mut by_org: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty != EntityType::Org {
            continue;
        }
        let k = org_key(&m.text);
        if k.is_empty() {
            continue;
        }
        match by_org.get(&k) {
            Some(&j) if fold(&st.nodes[j].m.text) != fold(&m.text) => {
                st.merge(j, i, "org_suffix");
            }
            Some(_) => {}
            None => {
                by_org.insert(k, i);
            }
        }
    }
    // 4b. Short forms of organisations: a name that opens a longer organisation name of the
    // story is that organisation ("Apple" = "Apple Computer", "Northrop" = "Northrop
    // Grumman"), and so is the name a country qualifies ("Air Force" = "United States Air
    // Force", "US Federal Reserve" = "United States Federal Reserve").
    merge_org_short_forms(st, lx);
    // 5. Gazetteer: places and organisations with one canonical name ("U.S." = "United States").
    let mut canon: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        let c = match m.ty {
            EntityType::Place => lx.place(&m.text).map(|(name, p)| {
                if p.kind == "country" {
                    format!("place:{}", p.country)
                } else {
                    format!("place:{name}")
                }
            }),
            EntityType::Org => lx.org(&m.text, false).map(|c| format!("org:{c}")),
            _ => None,
        };
        let Some(c) = c else { continue };
        match canon.get(&c) {
            Some(&j) => {
                let same = fold(&st.nodes[j].m.text) == fold(&m.text);
                let rule = if same { "same_name" } else { "gazetteer" };
                st.merge(j, i, rule);
            }
            None => {
                canon.insert(c, i);
            }
        }
    }
    // 6. The same name across documents (for persons: full names only).
    let mut first_by_name: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty == EntityType::Group || (m.ty == EntityType::Person && words(&m.text) < 2) {
            continue;
        }
        let k = fold(&m.text);
        match first_by_name.get(&k) {
            Some(&j) if st.nodes[j].doc != st.nodes[i].doc => {
                st.merge(j, i, "same_name");
            }
            Some(_) => {}
            None => {
                first_by_name.insert(k, i);
            }
        }
    }
    // 6b. A bare name typed by a guess joins the same bare name typed PERSON elsewhere in the
    // story ("Obama" in one article, "President Obama" in another).
    let mut hard_single: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty == EntityType::Person && m.confidence >= SOFT && words(&m.text) == 1 {
            hard_single.entry(fold(&m.text)).or_insert(i);
        }
    }
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.confidence < SOFT && m.ty != EntityType::Group && words(&m.text) == 1 {
            if let Some(&j) = hard_single.get(&fold(&m.text)) {
                st.merge(j, i, "same_name");
            }
        }
    }
    // 7. Transliteration variants of person names (and soft-typed names) across the story.
    let cand: Vec<usize> = (0..n)
        .filter(|&i| {
            let m = st.nodes[i].m;
            m.ty == EntityType::Person || m.confidence < SOFT && m.ty != EntityType::Group
        })
        .collect();
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    let mut tl: HashMap<usize, Translit> = HashMap::new();
    for &i in &cand {
        let t = translit(&st.nodes[i].m.text);
        if t.full.chars().count() < 4 {
            continue;
        }
        for c in &t.cores {
            let list = buckets.entry(c.clone()).or_default();
            if list.len() < 64 {
                list.push(i);
            }
        }
        tl.insert(i, t);
    }
    let mut keys: Vec<&String> = buckets.keys().collect();
    keys.sort();
    for k in keys {
        let list = &buckets[k];
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                let (Some(a), Some(b)) = (tl.get(&i), tl.get(&j)) else {
                    continue;
                };
                if a.full == b.full && fold(&st.nodes[i].m.text) == fold(&st.nodes[j].m.text) {
                    continue;
                }
                let ok = a.full == b.full
                    || (a.explicit || b.explicit)
                        && a.cores
                            .iter()
                            .any(|c| c.chars().count() >= 4 && b.cores.contains(c));
                if ok {
                    st.merge(i, j, "transliteration");
                }
            }
        }
    }
    // 8. Acronyms and expansions: "ABC" = a multiword name with those initials.
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if matches!(m.ty, EntityType::Person | EntityType::Group) || is_acronym(m) {
            continue;
        }
        for k in initials(&m.text) {
            if k.chars().count() >= 2 {
                by_initials.entry(k).or_default().push(i);
            }
        }
    }
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty == EntityType::Person || m.ty == EntityType::Group {
            continue;
        }
        let Some(k) = acronym_key(&m.text) else {
            continue;
        };
        if let Some(list) = by_initials.get(&k) {
            // prefer an expansion in the same document
            let pick = list
                .iter()
                .copied()
                .find(|&j| st.nodes[j].doc == st.nodes[i].doc)
                .or_else(|| list.first().copied());
            if let Some(j) = pick {
                st.merge(j, i, "acronym");
            }
        }
    }
    // 9. A bare surname across documents: joins the one person of the story with that surname
    // (a soft-typed bare name too: "the Bloggs government").
    for i in 0..n {
        let m = st.nodes[i].m;
        let personish =
            m.ty == EntityType::Person || m.confidence < SOFT && m.ty != EntityType::Group;
        if !personish || words(&m.text) != 1 || st.apart.contains_key(&i) {
            continue;
        }
        if !st.full_names(i).is_empty() {
            continue;
        }
        let key = fold(&m.text);
        let mut roots = BTreeSet::new();
        for d in 0..st.docs.len() {
            for &j in full_by_surname.get(&(d, key.clone())).into_iter().flatten() {
                // Only people the mention can be ("Mrs. Bloggs" leaves out "Sam Bloggs").
                if st.compatible(j, i) {
                    roots.insert(st.sets.find(j));
                }
            }
        }
        if roots.len() == 1 {
            if let Some(&r) = roots.iter().next() {
                st.merge(r, i, "surname");
            }
        }
    }
    // 10. Demonyms point to their country: "Ruritanian" joins "Ruritania" when it is mentioned.
    let mut place_by_country: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty == EntityType::Place {
            if let Some((name, p)) = lx.place(&m.text) {
                let key = if p.kind == "country" {
                    p.country.clone()
                } else {
                    name.to_string()
                };
                place_by_country.entry(key).or_insert(i);
            }
        }
    }
    let mut group_by_target: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty != EntityType::Group {
            continue;
        }
        let target = m.points_to.clone().unwrap_or_else(|| fold(&m.text));
        if let Some(&j) = place_by_country.get(&target) {
            st.merge(j, i, "demonym");
        } else if let Some(&j) = group_by_target.get(&target) {
            st.merge(j, i, "");
        } else {
            group_by_target.insert(target, i);
        }
    }
}

/// Rule 4b (see `merge_story`): organisation short forms and country-qualified names.
fn merge_org_short_forms(st: &mut Story, lx: &Lexicon) {
    let n = st.nodes.len();
    let orgs: Vec<usize> = (0..n)
        .filter(|&i| st.nodes[i].m.ty == EntityType::Org)
        .collect();
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in &orgs {
        let k = org_key(&st.nodes[i].m.text);
        if !k.is_empty() {
            by_key.entry(k).or_default().push(i);
        }
    }
    // Prefixes: "apple" opens "apple computer". Each short form collects the long forms it
    // opens, with the word that follows it there ("computer").
    let mut longs: HashMap<usize, Vec<(usize, String)>> = HashMap::new();
    for &l in &orgs {
        let k = org_key(&st.nodes[l].m.text);
        // "Apple Inc." is the company "Apple" itself: a long form with nothing after the
        // short one, so that "Apple Corps" beside it makes "Apple" ambiguous.
        if fold(&st.nodes[l].m.text) != k {
            for &s in by_key.get(&k).into_iter().flatten() {
                if fold(&st.nodes[s].m.text) == k {
                    longs.entry(s).or_default().push((l, String::new()));
                }
            }
        }
        let w: Vec<&str> = k.split(' ').collect();
        for len in 1..w.len() {
            let prefix = w[..len].join(" ");
            // A lone connector or a place name is no short form of a company; a place after
            // it names a branch ("Ford Australia"), not the company.
            if matches!(w[len - 1], "of" | "for" | "and" | "the" | "de")
                || lx.place(&prefix).is_some()
                || lx.place(&w[len..].join(" ")).is_some()
            {
                continue;
            }
            // "Apple TV", "GM VEBA": a code or product after the name is no company name.
            let next_raw = st.nodes[l].m.text.split_whitespace().nth(len).unwrap_or("");
            if next_raw.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !next_raw.chars().any(char::is_lowercase)
                || next_raw.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let next = w[len].trim_end_matches('s').to_string();
            // Only a bare short form ("Apple", not "Apple Inc.") opens a longer name.
            for &s in by_key.get(&prefix).into_iter().flatten() {
                if fold(&st.nodes[s].m.text) == prefix {
                    longs.entry(s).or_default().push((l, next.clone()));
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut shorts: Vec<usize> = longs.keys().copied().collect();
    shorts.sort_unstable();
    for s in shorts {
        let cands = &longs[&s];
        let distinct: BTreeSet<&str> = cands.iter().map(|c| c.1.as_str()).collect();
        // "Apple" opens "Apple Computer" and "Apple Corps": two companies, so the short form
        // joins only a long form of its own article, and only when that one is unambiguous.
        let chosen: Vec<usize> = if distinct.len() == 1 {
            cands.iter().map(|c| c.0).collect()
        } else {
            let here: Vec<&(usize, String)> = cands
                .iter()
                .filter(|c| st.nodes[c.0].doc == st.nodes[s].doc)
                .collect();
            let here_words: BTreeSet<&str> = here.iter().map(|c| c.1.as_str()).collect();
            if here_words.len() == 1 {
                here.iter().map(|c| c.0).collect()
            } else {
                Vec::new()
            }
        };
        for l in chosen {
            pairs.push((l, s, "org_short_form"));
        }
    }
    // Country-qualified names: ("united states", "air force") for "United States Air Force".
    let mut qualified: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut by_rest: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for &l in &orgs {
        let text = &st.nodes[l].m.text;
        let toks: Vec<&str> = text.split_whitespace().collect();
        for len in 1..toks.len().min(4) {
            let head = toks[..len].join(" ");
            let Some((_, place)) = lx.place(&head) else {
                continue;
            };
            if place.kind != "country" {
                continue;
            }
            let rest = org_key(&toks[len..].join(" "));
            if rest.is_empty() {
                continue;
            }
            qualified
                .entry(rest.clone())
                .or_default()
                .insert(place.country.clone());
            by_rest
                .entry((place.country.clone(), rest))
                .or_default()
                .push(l);
            break;
        }
    }
    let mut keys: Vec<&(String, String)> = by_rest.keys().collect();
    keys.sort();
    for key in keys {
        let list = &by_rest[key];
        for &l in list {
            // The same name under the same country: one organisation.
            if l != list[0] {
                pairs.push((list[0], l, "place_qualified"));
            }
            // The bare name, when only one country qualifies it in the story.
            if qualified.get(&key.1).is_some_and(|c| c.len() == 1) {
                for &s in by_key.get(&key.1).into_iter().flatten() {
                    pairs.push((l, s, "place_qualified"));
                }
            }
        }
    }
    for (a, b, rule) in pairs {
        st.merge(a, b, rule);
    }
}

/// Type confidence of a given name the text introduces as a relative ("his wife, Jo").
const RELATIVE_CONFIDENCE: f32 = 0.8;

/// One entity per set, with its first mention's (story document position, byte offset).
fn build_entities(st: &mut Story) -> Vec<(Entity, (usize, usize))> {
    let n = st.nodes.len();
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = st.sets.find(i);
        by_root.entry(r).or_default().push(i);
    }
    let mut ev_by_root: HashMap<usize, Vec<Evidence>> = HashMap::new();
    for (node, ev) in std::mem::take(&mut st.evidence) {
        let r = st.sets.find(node);
        ev_by_root.entry(r).or_default().push(ev);
    }
    let mut out = Vec::new();
    for (root, mut members) in by_root {
        members.sort_by_key(|&i| (st.nodes[i].doc, st.nodes[i].m.start));
        let ms: Vec<&Mention> = members.iter().map(|&i| st.nodes[i].m).collect();
        // Type: the most confident type by summed confidence, demonyms only when alone.
        let mut score: HashMap<EntityType, f32> = HashMap::new();
        for (&i, m) in members.iter().zip(&ms) {
            // A given name the text introduces as a relative ("his wife, Jo") is a person,
            // whatever the detector guessed.
            let (ty, conf) = if st.apart.contains_key(&i) && m.confidence < SOFT {
                (EntityType::Person, RELATIVE_CONFIDENCE)
            } else {
                (m.ty, m.confidence)
            };
            if ty != EntityType::Group {
                *score.entry(ty).or_default() += conf;
            }
        }
        let ty = score
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map(|x| *x.0)
            .unwrap_or(EntityType::Group);
        let relative = |i: usize| st.apart.contains_key(&i) && ty == EntityType::Person;
        let confidence = members
            .iter()
            .zip(&ms)
            .filter(|(&i, m)| m.ty == ty || relative(i))
            .map(|(&i, m)| {
                if relative(i) {
                    m.confidence.max(RELATIVE_CONFIDENCE)
                } else {
                    m.confidence
                }
            })
            .fold(0.0f32, f32::max);
        let name = members
            .iter()
            .zip(&ms)
            .filter(|(&i, m)| m.ty == ty || ty == EntityType::Group || relative(i))
            .map(|(_, m)| m)
            .max_by_key(|m| (!is_acronym(m), words(&m.text), m.text.len()))
            .map(|m| m.text.clone())
            .unwrap_or_default();
        let aliases: BTreeSet<String> = ms.iter().map(|m| m.text.clone()).collect();
        let roles: BTreeSet<String> = ms.iter().filter_map(|m| m.role.clone()).collect();
        let evidence = merge_evidence(ev_by_root.remove(&root).unwrap_or_default());
        let first = (st.nodes[members[0]].doc, ms[0].start);
        out.push((
            Entity {
                id: String::new(),
                ty,
                confidence,
                name,
                aliases: aliases.into_iter().collect(),
                roles: roles.into_iter().collect(),
                mentions: ms
                    .iter()
                    .map(|m| MentionRef {
                        doc: m.doc.clone(),
                        sentence: m.sentence.clone(),
                        start: m.start,
                        end: m.end,
                        text: m.text.clone(),
                    })
                    .collect(),
                evidence,
            },
            first,
        ));
    }
    out
}

/// One evidence entry per (rule, forms), with the sentences of all its occurrences.
fn merge_evidence(list: Vec<Evidence>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    for e in list {
        match out
            .iter_mut()
            .find(|o| o.rule == e.rule && o.forms == e.forms)
        {
            Some(o) => {
                for s in e.sentences {
                    if !o.sentences.contains(&s) {
                        o.sentences.push(s);
                    }
                }
            }
            None => out.push(e),
        }
    }
    out
}
