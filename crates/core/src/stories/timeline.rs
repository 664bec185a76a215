//! The story timeline: dated events (DATE expressions whose value has at least a known year)
//! in order, one entry per day and event, merging the reports of several documents.
//!
//! Order: by value as text, which puts a year-only value ("2011") before the months and days
//! of that year ("2011-03", "2011-03-19"): a coarse date is read as "sometime in", and shown
//! first so the finer events of that year follow it. Ties keep story order (document, then
//! sentence position).

use super::lexicon::{event_group, is_content, normalize_word, stem};
use crate::model::{AnchorKind, Document, TimeExpr, TimeType, TimelineEvent};
use crate::text::{truncate_chars, words};
use std::collections::{BTreeSet, HashMap};

const TEXT_CHARS: usize = 160;
/// Entries of the same day looked back over for one to merge with: bounds the cost of a story
/// that dates thousands of events to one day (a real day has a handful).
const MERGE_LOOKBACK: usize = 256;

/// A usable timeline value: a DATE whose year is four digits (no X's), e.g. `2011`,
/// `2025-01`, `2025-01-21`, `2025-W03`.
fn usable(t: &TimeExpr) -> bool {
    t.ty == TimeType::Date && super::align::is_resolved(&t.value)
}

fn event_words(text: &str) -> BTreeSet<String> {
    words(text)
        .map(|(_, w)| normalize_word(w))
        .filter(|l| is_content(l))
        .filter_map(|l| event_group(&stem(&l)).map(str::to_string))
        .collect()
}

/// Builds the timeline of one story.
pub fn build(docs: &[&Document], times: &[&TimeExpr]) -> Vec<TimelineEvent> {
    let mut sentences: HashMap<(&str, &str), (usize, usize, &str)> = HashMap::new();
    for (di, d) in docs.iter().enumerate() {
        for (pos, s) in d.sentences().enumerate() {
            sentences.insert((d.id.as_str(), s.id.as_str()), (di, pos, s.text.as_str()));
        }
    }
    // (value, doc index, position, text, anchor, doc id, sentence id)
    let mut raw: Vec<(String, usize, usize, &str, AnchorKind, &str, &str)> = Vec::new();
    for t in times.iter().filter(|t| usable(t)) {
        let Some(&(di, pos, text)) = sentences.get(&(t.doc.as_str(), t.sentence.as_str())) else {
            continue;
        };
        raw.push((
            t.value.clone(),
            di,
            pos,
            text,
            t.anchor.kind,
            t.doc.as_str(),
            t.sentence.as_str(),
        ));
    }
    raw.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    raw.dedup_by(|a, b| a.0 == b.0 && a.5 == b.5 && a.6 == b.6);

    let mut out: Vec<(TimelineEvent, BTreeSet<String>)> = Vec::new();
    // Event words per sentence, computed once however many expressions it holds.
    let mut words_of: HashMap<(&str, &str), BTreeSet<String>> = HashMap::new();
    for (value, _, _, text, anchor, doc, sentence) in raw {
        let ev = words_of
            .entry((doc, sentence))
            .or_insert_with(|| event_words(text))
            .clone();
        // Same day and same event word (or both without one) in another document: one entry.
        let merge = out
            .iter_mut()
            .rev()
            .take(MERGE_LOOKBACK)
            .take_while(|(e, _)| e.date == value)
            .find(|(e, w)| {
                !e.documents.iter().any(|d| d == doc)
                    && ((w.is_empty() && ev.is_empty()) || !w.is_disjoint(&ev))
            });
        match merge {
            Some((e, _)) => {
                e.documents.push(doc.to_string());
                e.sentences.push(sentence.to_string());
            }
            None => out.push((
                TimelineEvent {
                    display: crate::time::display(&value, TimeType::Date),
                    date: value,
                    text: truncate_chars(text, TEXT_CHARS),
                    anchor,
                    documents: vec![doc.to_string()],
                    sentences: vec![sentence.to_string()],
                },
                ev,
            )),
        }
    }
    out.into_iter().map(|(e, _)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Anchor;

    use crate::clean::test_document as doc;

    fn time(d: &Document, n: usize, text: &str, value: &str, ty: TimeType) -> TimeExpr {
        let s = d.sentences().nth(n).expect("test sentence exists");
        TimeExpr {
            doc: d.id.clone(),
            sentence: s.id.clone(),
            start: s.start,
            end: s.end,
            text: text.into(),
            ty,
            value: value.into(),
            anchor: Anchor {
                kind: AnchorKind::Document,
                from: None,
                sentences: vec![],
                note: None,
            },
            display: None,
        }
    }

    #[test]
    fn orders_and_merges_same_day_events() {
        let a = doc("a", "The dam was opened in 1998 after a decade of work. Engineers were arrested on 2020-03-02 over cracks in the wall.");
        let b = doc("b", "Police detained two engineers on Monday over the cracked wall. Nothing else happened that week in the valley.");
        let ts = [
            time(&a, 1, "2020-03-02", "2020-03-02", TimeType::Date),
            time(&a, 0, "1998", "1998", TimeType::Date),
            time(&b, 0, "Monday", "2020-03-02", TimeType::Date),
            time(&b, 1, "that week", "XXXX-WXX", TimeType::Date),
            time(&b, 1, "a decade", "P10Y", TimeType::Duration),
        ];
        let refs: Vec<&TimeExpr> = ts.iter().collect();
        let tl = build(&[&a, &b], &refs);
        assert_eq!(tl.len(), 2);
        assert_eq!(tl[0].date, "1998");
        assert_eq!(tl[1].date, "2020-03-02");
        assert_eq!(tl[1].documents, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(tl[1].sentences.len(), 2);
    }

    #[test]
    fn year_sorts_before_its_days() {
        let a = doc("a", "The festival began in 2011 in the old port town. It closed on a rainy evening in the summer.");
        let ts = [
            time(&a, 1, "evening", "2011-07-02", TimeType::Date),
            time(&a, 0, "2011", "2011", TimeType::Date),
        ];
        let refs: Vec<&TimeExpr> = ts.iter().collect();
        let tl = build(&[&a], &refs);
        let dates: Vec<&str> = tl.iter().map(|e| e.date.as_str()).collect();
        assert_eq!(dates, vec!["2011", "2011-07-02"]);
    }
}
