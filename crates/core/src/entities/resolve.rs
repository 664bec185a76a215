//! Resolution: mentions into entities, within each document and then across the documents of
//! each story. Every merge needs evidence (a rule, the forms it linked and the sentences it
//! read); a merge is refused when the two sides have incompatible types or different full names.

use super::detect::SOFT;
use super::lexicon::{lexicon, Lexicon};
use super::names::{acronym_key, fold, initials, org_key, translit, translit_match, Translit};
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
    /// Per set root, kept up to date on every merge so a merge check costs the size of these
    /// summaries, not of the sets: the hard type (type and confidence of the first most
    /// confident non-group mention) and the distinct full person names, in member order.
    hard: Vec<Option<(EntityType, f32)>>,
    full: Vec<Vec<&'a str>>,
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
    let lx = lexicon();
    let mut entities: Vec<(usize, usize, Entity)> = Vec::new();
    for g in &groups {
        let mut nodes = Vec::new();
        for (pos, &d) in g.iter().enumerate() {
            for m in &mentions[d] {
                nodes.push(Node { doc: pos, m });
            }
        }
        let n = nodes.len();
        let hard = nodes.iter().map(|x| own_hard_type(x.m)).collect();
        let full = nodes
            .iter()
            .map(|x| {
                let m = x.m;
                if m.ty == EntityType::Person && words(&m.text) >= 2 {
                    vec![m.text.as_str()]
                } else {
                    Vec::new()
                }
            })
            .collect();
        let mut st = Story {
            nodes,
            sets: Sets::new(n),
            evidence: Vec::new(),
            docs: g.iter().map(|&d| &docs[d]).collect(),
            hard,
            full,
        };
        merge_story(&mut st, lx);
        for e in build_entities(&mut st) {
            let first = e.1;
            entities.push((g[first.0], first.1, e.0));
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

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_acronym(m: &Mention) -> bool {
    acronym_key(&m.text).is_some()
}

/// A mention's own claim to a hard type: its type when it is confident and not a group.
fn own_hard_type(m: &Mention) -> Option<(EntityType, f32)> {
    (m.confidence >= SOFT && m.ty != EntityType::Group).then_some((m.ty, m.confidence))
}

impl<'a> Story<'a> {
    /// The hard type of a set: the type of its most confident mention (the first of them in
    /// member order), among confident non-group mentions, if any.
    fn hard_type(&mut self, x: usize) -> Option<EntityType> {
        let r = self.sets.find(x);
        self.hard[r].map(|b| b.0)
    }

    /// Full person names (two words or more) of a set, each distinct form once.
    fn full_names(&mut self, x: usize) -> Vec<&'a str> {
        let r = self.sets.find(x);
        self.full[r].clone()
    }

    /// Joins the sets of `a` and `b`, merging their summaries as [`Sets::join`] merges their
    /// members (the surviving root's members first).
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.sets.find(a), self.sets.find(b));
        if !self.sets.join(a, b) {
            return;
        }
        let root = self.sets.find(a);
        let other = if root == ra { rb } else { ra };
        let (first, second) = (self.hard[root], self.hard[other].take());
        self.hard[root] = match (first, second) {
            (Some(f), Some(s)) if s.1 > f.1 => Some(s),
            (None, s) => s,
            (f, _) => f,
        };
        let moved = std::mem::take(&mut self.full[other]);
        for name in moved {
            if !self.full[root].contains(&name) {
                self.full[root].push(name);
            }
        }
    }

    /// Whether two sets may be one entity: compatible types, no two different full names.
    fn compatible(&mut self, a: usize, b: usize) -> bool {
        if self.sets.find(a) == self.sets.find(b) {
            return true;
        }
        let (ta, tb) = (self.hard_type(a), self.hard_type(b));
        if let (Some(x), Some(y)) = (ta, tb) {
            if x != y {
                return false;
            }
        }
        let (fa, fb) = (self.full_names(a), self.full_names(b));
        if !fa.is_empty() && !fb.is_empty() {
            let ok = fa.iter().any(|x| {
                fb.iter()
                    .any(|y| fold(x) == fold(y) || translit_match(x, y) || contains_name(x, y))
            });
            if !ok {
                return false;
            }
        }
        true
    }

    fn merge(&mut self, a: usize, b: usize, rule: &str) -> bool {
        if self.sets.find(a) == self.sets.find(b) || !self.compatible(a, b) {
            return false;
        }
        self.join(a, b);
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
        if paren || (ALIAS_GAPS.contains(&g.as_str()) && gap.len() < 40) {
            if a.ty == EntityType::Group || b.ty == EntityType::Group {
                continue;
            }
            let acr = acronym_key(&b.text).is_some_and(|k| initials(&a.text).contains(&k));
            let rule = if acr { "acronym" } else { "stated_alias" };
            st.merge(i, j, rule);
        }
    }
    // 3. Short forms of persons in the same document: "Bloggs" -> nearest "Jo Bloggs".
    let mut full_by_surname: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for j in 0..n {
        let f = st.nodes[j].m;
        if f.ty == EntityType::Person && words(&f.text) >= 2 {
            if let Some(last) = fold(&f.text).rsplit(' ').next() {
                full_by_surname
                    .entry((st.nodes[j].doc, last.to_string()))
                    .or_default()
                    .push(j);
            }
        }
    }
    // Each list sorted by (start, node): the nearest full name is found by binary search.
    let by_start: HashMap<(usize, String), Vec<(usize, usize)>> = full_by_surname
        .iter()
        .map(|(k, list)| {
            let mut v: Vec<(usize, usize)> =
                list.iter().map(|&j| (st.nodes[j].m.start, j)).collect();
            v.sort_unstable();
            (k.clone(), v)
        })
        .collect();
    for i in 0..n {
        let m = st.nodes[i].m;
        if m.ty != EntityType::Person || words(&m.text) != 1 {
            continue;
        }
        let Some(list) = by_start.get(&(st.nodes[i].doc, fold(&m.text))) else {
            continue;
        };
        // Nearest before (the latest start at or before this one), else nearest after; among
        // full names at the same offset, the first.
        let p = list.partition_point(|&(s, _)| s <= m.start);
        let at = if p > 0 {
            list[p - 1].0
        } else {
            list.get(p).map_or(0, |x| x.0)
        };
        let q = list.partition_point(|&(s, _)| s < at);
        if let Some(&(_, j)) = list.get(q) {
            st.merge(j, i, "short_form");
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
    // The first expansion of each initials in each document.
    let mut first_in_doc: HashMap<(&str, usize), usize> = HashMap::new();
    for (k, list) in &by_initials {
        for &j in list {
            first_in_doc
                .entry((k.as_str(), st.nodes[j].doc))
                .or_insert(j);
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
            let pick = first_in_doc
                .get(&(k.as_str(), st.nodes[i].doc))
                .copied()
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
        if !personish || words(&m.text) != 1 {
            continue;
        }
        if !st.full_names(i).is_empty() {
            continue;
        }
        let key = fold(&m.text);
        let mut roots = BTreeSet::new();
        for d in 0..st.docs.len() {
            for &j in full_by_surname.get(&(d, key.clone())).into_iter().flatten() {
                roots.insert(st.sets.find(j));
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
        for m in &ms {
            if m.ty != EntityType::Group {
                *score.entry(m.ty).or_default() += m.confidence;
            }
        }
        let ty = score
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map(|x| *x.0)
            .unwrap_or(EntityType::Group);
        let confidence = ms
            .iter()
            .filter(|m| m.ty == ty)
            .map(|m| m.confidence)
            .fold(0.0f32, f32::max);
        let name = ms
            .iter()
            .filter(|m| m.ty == ty || ty == EntityType::Group)
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
    // Index of each (rule, forms) in `out`, and the sentences each entry holds: hash look-ups,
    // so thousands of merges by one rule cost linear time.
    let mut at: HashMap<(String, Vec<String>), usize> = HashMap::new();
    let mut seen: Vec<std::collections::HashSet<String>> = Vec::new();
    for e in list {
        match at.get(&(e.rule.clone(), e.forms.clone())) {
            Some(&k) => {
                for s in e.sentences {
                    if seen[k].insert(s.clone()) {
                        out[k].sentences.push(s);
                    }
                }
            }
            None => {
                at.insert((e.rule.clone(), e.forms.clone()), out.len());
                seen.push(e.sentences.iter().cloned().collect());
                out.push(e);
            }
        }
    }
    out
}
