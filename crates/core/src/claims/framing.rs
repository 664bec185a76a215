//! The framing profile of one document: how loaded its own wording is, whose voices it carries,
//! how much it hedges.

use crate::model::{Document, Framing, NameCount, Status, TermCount};
use std::collections::{BTreeMap, HashMap};

/// Builds the profile from the sentences the claims stage has annotated. Loaded terms inside
/// direct quotes are the speaker's words and are not counted.
pub fn profile(doc: &Document) -> Framing {
    let words = doc.word_count;
    let per_k = |n: usize| {
        if words == 0 {
            0.0
        } else {
            n as f64 * 1000.0 / words as f64
        }
    };
    let mut terms: HashMap<String, TermCount> = HashMap::new();
    let mut loaded_count = 0;
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut sources: HashMap<String, (String, usize)> = HashMap::new();
    let mut speakers: HashMap<String, (String, usize)> = HashMap::new();
    let mut hedges = 0;
    let mut n_sent = 0;
    for s in doc.sentences() {
        n_sent += 1;
        let st = s.status.unwrap_or(Status::Reported);
        *statuses.entry(st.as_str().to_string()).or_default() += 1;
        hedges += s.markers.len();
        for l in s.loaded.iter().filter(|l| !l.in_quote) {
            loaded_count += 1;
            let term = l.term.clone().unwrap_or_else(|| l.text.to_lowercase());
            terms
                .entry(term.clone())
                .or_insert_with(|| TermCount {
                    term,
                    count: 0,
                    category: l.category.clone(),
                    alternative: l.alternative.clone(),
                })
                .count += 1;
        }
        if let Some(a) = &s.source {
            bump(&mut sources, &a.text);
        }
        if s.labels.contains(&Status::Quote) {
            if let Some(a) = &s.speaker {
                bump(&mut speakers, &a.text);
            }
        }
    }
    let mut loaded_terms: Vec<TermCount> = terms.into_values().collect();
    loaded_terms.sort_by(|a, b| b.count.cmp(&a.count).then(a.term.cmp(&b.term)));
    let status_shares = statuses
        .into_iter()
        .map(|(k, v)| (k, v as f64 / n_sent.max(1) as f64))
        .collect();
    Framing {
        words,
        loaded_count,
        loaded_per_1000_words: per_k(loaded_count),
        loaded_terms,
        status_shares,
        sources: ranked(sources),
        hedges_per_1000_words: per_k(hedges),
        quotes_by_speaker: ranked(speakers),
    }
}

/// Counts a name case-insensitively, keeping the first spelling seen.
fn bump(map: &mut HashMap<String, (String, usize)>, name: &str) {
    let key = crate::text::fold(name);
    map.entry(key).or_insert_with(|| (name.to_string(), 0)).1 += 1;
}

fn ranked(map: HashMap<String, (String, usize)>) -> Vec<NameCount> {
    let mut v: Vec<NameCount> = map
        .into_values()
        .map(|(name, count)| NameCount { name, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    v
}
