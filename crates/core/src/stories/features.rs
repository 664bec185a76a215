//! Per-article grouping features, computed from one article alone (so they can be stored with
//! it and never change when other articles arrive): stemmed content terms weighted by where
//! they stand (headline and lead sentences name the event), name tokens, numbers, the
//! publication day and the event days the time stage resolved.
//!
//! Weighting by rarity happens later, in the [`super::index::StoryIndex`], from document
//! frequencies over the articles added so far.
//!
//! Term and name ids are 32-bit stable hashes (collisions among a few hundred thousand distinct
//! stems are rare and only add noise to one weight), so features are compact and no global
//! vocabulary has to be shared between threads.

use super::lexicon::{hash64, is_content, normalize_into, normalize_word, stem, FastHash};
use crate::model::{AnchorKind, Document, Mention, TimeExpr, TimeType};
use crate::text::words;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How many of an article's terms (names) are kept, by weighted count: bounds memory and the
/// cost of a comparison; the tail of a long article adds little to what it is about.
pub const TOP_TERMS: usize = 96;
pub const TOP_NAMES: usize = 32;
/// Headline words count this many times: headlines name the event.
const TITLE_WEIGHT: u16 = 3;
/// Words of the lead (the first [`LEAD_SENTENCES`] sentences) count this many times: the lead
/// says who did what; the rest of an article is background and reactions.
const LEAD_WEIGHT: u16 = 2;
const LEAD_SENTENCES: usize = 2;
/// Event days kept per article, and how far from the publication day they may lie: an event
/// reported is at most a few weeks old (older dates are background) and not in the future
/// beyond a couple of days (later dates are plans and deadlines, not the event).
const MAX_EVENT_DAYS: usize = 6;
const EVENT_DAYS_BEFORE: i32 = 45;
const EVENT_DAYS_AFTER: i32 = 2;

/// What the story index needs of one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleFeatures {
    /// (term id, weighted count), sorted by id; the [`TOP_TERMS`] heaviest.
    pub terms: Vec<(u32, u16)>,
    /// (name id, weighted count), sorted by id: name tokens of the entity mentions (or of
    /// capitalised words when there are none) and numbers; the [`TOP_NAMES`] heaviest.
    pub names: Vec<(u32, u16)>,
    /// Publication day (days since 0001-01-01), when the date parses.
    pub day: Option<i32>,
    /// Days of the resolved, anchored calendar dates the article mentions near its
    /// publication day (sorted, distinct, at most [`MAX_EVENT_DAYS`]).
    pub event_days: Vec<i32>,
}

/// Caches, per lower-case surface form, whether it is a content word and its stem id:
/// stemming and the stop-word test are the costliest steps of feature extraction, and news
/// vocabulary repeats a lot.
#[derive(Default)]
pub struct StemCache {
    map: HashMap<String, Option<u32>, FastHash>,
}

impl StemCache {
    /// Term id of a lower-case content word (stemmed).
    pub fn term_id(&mut self, lower: &str) -> u32 {
        hash64(&stem(lower)) as u32
    }

    /// Term id of a lower-case word, or `None` when it is not a content word.
    pub fn content_id(&mut self, lower: &str) -> Option<u32> {
        if let Some(&id) = self.map.get(lower) {
            return id;
        }
        let id = is_content(lower).then(|| hash64(&stem(lower)) as u32);
        // A crude bound so a cache over a huge stream cannot grow without limit.
        if self.map.len() > 2_000_000 {
            self.map.clear();
        }
        self.map.insert(lower.to_string(), id);
        id
    }
}

/// Name token id: names are compared as lower-case tokens, unstemmed, in their own id space.
pub fn name_id(lower: &str) -> u32 {
    (hash64(lower) >> 32) as u32 ^ 0x9e37_79b9
}

/// Parses the date part of `published` (`YYYY-MM-DD…`) into a day number.
pub fn day_of(published: Option<&str>) -> Option<i32> {
    let p = published?;
    let head = p.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .ok()
        .map(|d| d.num_days_from_ce())
}

/// Extracts the features of one article. Names come from `mentions` when there are any,
/// otherwise from capitalised words that never occur in lower case in the same text; `times`
/// are the article's time expressions (`time::tag`), which give its event days.
pub fn extract(
    doc: &Document,
    mentions: &[Mention],
    times: &[TimeExpr],
    cache: &mut StemCache,
) -> ArticleFeatures {
    extract_with_words(doc, mentions, times, cache).0
}

fn bump(m: &mut HashMap<u32, u16, FastHash>, id: u32, w: u16) {
    let e = m.entry(id).or_insert(0);
    *e = e.saturating_add(w);
}

/// [`extract`], also returning the stable hashes of the body's normalised words in order (the
/// input of the MinHash signature), so the text is tokenised once.
pub fn extract_with_words(
    doc: &Document,
    mentions: &[Mention],
    times: &[TimeExpr],
    cache: &mut StemCache,
) -> (ArticleFeatures, Vec<u64>) {
    let mut terms: HashMap<u32, u16, FastHash> = HashMap::default();
    let mut names: HashMap<u32, u16, FastHash> = HashMap::default();
    let mut buf = String::new();
    let title = doc.title.as_deref().unwrap_or("");
    for (_, w) in words(title) {
        normalize_into(w, &mut buf);
        if let Some(id) = cache.content_id(&buf) {
            bump(&mut terms, id, TITLE_WEIGHT);
        }
    }
    // The lead ends where its last sentence ends.
    let lead_end = doc
        .sentences()
        .take(LEAD_SENTENCES)
        .last()
        .map_or(0, |s| s.end);
    let weight_at = |at: usize| if at < lead_end { LEAD_WEIGHT } else { 1 };
    let mut word_hashes = Vec::with_capacity(doc.word_count);
    for (at, w) in words(&doc.text) {
        normalize_into(w, &mut buf);
        word_hashes.push(hash64(&buf));
        if let Some(id) = cache.content_id(&buf) {
            bump(&mut terms, id, weight_at(at));
        }
    }
    if mentions.is_empty() {
        for n in capitalised_names(title, &doc.text) {
            bump(&mut names, name_id(&n), 1);
        }
    } else {
        for m in mentions {
            for (_, w) in words(&m.text) {
                normalize_into(w, &mut buf);
                if is_content(&buf) {
                    bump(&mut names, name_id(&buf), weight_at(m.start));
                }
            }
        }
    }
    for (at, n) in numbers(&doc.text) {
        // Day numbers and the like belong to the time stage.
        if times.iter().any(|t| at >= t.start && at < t.end) {
            continue;
        }
        bump(&mut names, number_id(&n), weight_at(at));
    }
    for (_, n) in numbers(title) {
        bump(&mut names, number_id(&n), TITLE_WEIGHT);
    }
    let day = day_of(doc.published.as_deref());
    (
        ArticleFeatures {
            terms: top_sorted(terms, TOP_TERMS),
            names: top_sorted(names, TOP_NAMES),
            day,
            event_days: event_days(times, day),
        },
        word_hashes,
    )
}

/// The `k` heaviest entries (ties by id), sorted by id.
fn top_sorted(m: HashMap<u32, u16, FastHash>, k: usize) -> Vec<(u32, u16)> {
    let mut v: Vec<(u32, u16)> = m.into_iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(k);
    v.sort_unstable();
    v
}

/// Days of the full, anchored calendar dates among `times`, near the publication day when
/// there is one.
fn event_days(times: &[TimeExpr], published: Option<i32>) -> Vec<i32> {
    let mut days: Vec<i32> = times
        .iter()
        .filter(|t| t.ty == TimeType::Date && t.anchor.kind != AnchorKind::None)
        .filter(|t| t.value.len() == 10)
        .filter_map(|t| day_of(Some(&t.value)))
        .filter(|&d| {
            published.is_none_or(|p| (p - EVENT_DAYS_BEFORE..=p + EVENT_DAYS_AFTER).contains(&d))
        })
        .collect();
    days.sort_unstable();
    days.dedup();
    days.truncate(MAX_EVENT_DAYS);
    days
}

/// Numbers worth matching across outlets (amounts, counts, percentages, bill numbers), with
/// their scale word: `$3.5 trillion` gives `3.5 trillion`, `65%` gives `65 percent`. Years and
/// numbers under 10 say little about which event an article reports and are left out.
pub fn numbers(text: &str) -> Vec<(usize, String)> {
    const SCALES: [&str; 5] = ["percent", "thousand", "million", "billion", "trillion"];
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut num = String::new();
        while i < b.len() {
            if b[i].is_ascii_digit() {
                num.push(char::from(b[i]));
                i += 1;
            } else if (b[i] == b'.' || b[i] == b',') && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                if b[i] == b'.' {
                    num.push('.');
                }
                i += 1;
            } else {
                break;
            }
        }
        // A number glued to letters (`5G`, `2nd`) is a name or an ordinal.
        if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let decimal = num.contains('.');
        let value: f64 = num.parse().unwrap_or(0.0);
        let is_year = !decimal && num.len() == 4 && (1900.0..=2100.0).contains(&value);
        if is_year || (value < 10.0 && !decimal) {
            continue;
        }
        let rest = &text[i..];
        let scale = if rest.starts_with('%') {
            Some("percent")
        } else {
            words(rest)
                .next()
                .filter(|(off, _)| *off <= 1)
                .and_then(|(_, w)| SCALES.into_iter().find(|s| w.eq_ignore_ascii_case(s)))
        };
        let key = match scale {
            Some(s) => format!("{num} {s}"),
            None => num,
        };
        out.push((start, key));
    }
    out
}

/// Number key id, in the name id space (numbers are matched like names).
pub fn number_id(key: &str) -> u32 {
    name_id(&format!("#{key}"))
}

/// Capitalised content words that never appear in lower case in the text (so sentence-initial
/// "Critics" is dropped when "critics" occurs elsewhere), lower-cased. Fallback when the
/// entity stage has produced no mentions.
pub fn capitalised_names(title: &str, text: &str) -> Vec<String> {
    let mut lower_seen: HashSet<String> = HashSet::new();
    for (_, w) in words(text) {
        if w.chars().next().is_some_and(char::is_lowercase) {
            lower_seen.insert(normalize_word(w));
        }
    }
    let mut out = Vec::new();
    for src in [title, text] {
        for (_, w) in words(src) {
            if !w.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let lower = normalize_word(w);
            if is_content(&lower) && !lower_seen.contains(&lower) {
                out.push(lower);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleInput, InputKind, Metadata};

    fn doc(text: &str) -> Document {
        dated(text, None)
    }

    fn dated(text: &str, published: Option<&str>) -> Document {
        crate::clean::clean(ArticleInput {
            id: "d".into(),
            source: "d".into(),
            kind: InputKind::Json,
            body: text.into(),
            hints: Metadata {
                published: published.map(str::to_string),
                ..Metadata::default()
            },
            boilerplate: vec![],
        })
    }

    #[test]
    fn fallback_names_skip_sentence_initial_common_words() {
        let n = capitalised_names(
            "",
            "Farmers in Velmora protested. Many farmers left. The mayor of Velmora spoke.",
        );
        assert!(n.contains(&"velmora".to_string()));
        assert!(!n.contains(&"farmers".to_string()));
    }

    #[test]
    fn stems_merge_inflections_and_the_lead_weighs_more() {
        let mut c = StemCache::default();
        let f = extract(
            &doc("The volcano erupted. Lava flowed. Volcanoes erupting again."),
            &[],
            &[],
            &mut c,
        );
        assert_eq!(c.term_id("erupted"), c.term_id("erupting"));
        let volcano = c.term_id("volcano");
        let lava = c.term_id("lava");
        let weight = |id: u32| f.terms.iter().find(|t| t.0 == id).map(|t| t.1);
        // `volcano` once in the lead (2) and once after it (1); `lava` once in the lead.
        assert_eq!(weight(volcano), Some(3));
        assert_eq!(weight(lava), Some(2));
    }

    #[test]
    fn numbers_keep_amounts_and_drop_years_and_small_counts() {
        let n: Vec<String> =
            numbers("A $3.5 trillion plan, 65% in favour, 1,200 troops, 3 days, 2021, 5G, 2nd.")
                .into_iter()
                .map(|x| x.1)
                .collect();
        assert_eq!(n, vec!["3.5 trillion", "65 percent", "1200"]);
        assert!(numbers("").is_empty());
        assert!(numbers("99").len() == 1);
    }

    #[test]
    fn event_days_come_from_anchored_dates_near_publication() {
        let d = dated(
            "The council voted on Tuesday. The plan dates from March 3, 2001.",
            Some("2022-04-08"),
        );
        let times = crate::time::tag(&d);
        let f = extract(&d, &[], &times, &mut StemCache::default());
        assert_eq!(f.day, day_of(Some("2022-04-08")));
        assert_eq!(
            f.event_days,
            vec![day_of(Some("2022-04-05")).unwrap_or_default()]
        );
    }

    #[test]
    fn features_are_bounded() {
        let text: String = (0..500).map(|i| format!("Word{i}x alpha{i}y. ")).collect();
        let f = extract(&doc(&text), &[], &[], &mut StemCache::default());
        assert!(f.terms.len() <= TOP_TERMS);
        assert!(f.names.len() <= TOP_NAMES);
        assert!(f.terms.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn day_parses_dates_only() {
        assert!(day_of(Some("2020-03-04")).is_some());
        assert!(day_of(Some("2020-03-04T10:00:00Z")).is_some());
        assert_eq!(day_of(Some("soon")), None);
        assert_eq!(day_of(None), None);
    }
}
