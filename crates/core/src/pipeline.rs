//! Runs the stages in order over a batch of articles. The only place that knows the order.

use crate::budget::{self, Budget};
use crate::model::{
    ArticleInput, Attribution, Document, Entity, Mention, Report, Story, TimeExpr, SCHEMA_VERSION,
};
use crate::{claims, clean, entities, stories, time};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Knobs for a run. Defaults are what `parallax analyze` uses, except the budget: the binary
/// gives each article a time budget (`--article-timeout`); by default there is none.
#[derive(Clone, Default)]
pub struct Options {
    /// Time budget of each article's own stages (see [`analyze_article`]); `None`: unlimited.
    pub budget: Option<Arc<dyn Budget>>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("budget", &self.budget.as_ref().map(|_| "set"))
            .finish()
    }
}

/// One article after its own stages: what the corpus stages read.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub doc: Document,
    pub mentions: Vec<Mention>,
    pub times: Vec<TimeExpr>,
}

/// The per-article stages after cleaning, in order, as named in `Limits::not_computed`.
const ARTICLE_STAGES: [&str; 3] = ["entities", "time", "claims"];

/// Runs one article's own stages (clean, entities, time, claims) within its time budget. When
/// the budget runs out, the stage that was running and every later one are left out (their
/// partial results dropped) and named in `doc.limits.not_computed`, followed by `stories`:
/// such an article joins no story. Cleaning always runs (linear and fast), so the article's
/// text and sentences are always there.
pub fn analyze_article(input: ArticleInput, opts: &Options) -> Analysed {
    let check = opts.budget.as_ref().map(|b| b.start(&input));
    let run = move || {
        let mut doc = clean::clean(input);
        let mut mentions = Vec::new();
        let mut times = Vec::new();
        let stopped = 'stages: {
            if budget::spent() {
                break 'stages Some(0);
            }
            mentions = entities::detect(&doc);
            if budget::spent() {
                break 'stages Some(0);
            }
            times = time::tag(&doc);
            if budget::spent() {
                break 'stages Some(1);
            }
            claims::annotate(&mut doc, &mentions);
            if budget::spent() {
                break 'stages Some(2);
            }
            None
        };
        if let Some(k) = stopped {
            if k == 0 {
                mentions.clear();
            }
            if k <= 1 {
                times.clear();
            }
            clear_claims(&mut doc);
            doc.limits.not_computed = ARTICLE_STAGES[k..]
                .iter()
                .chain(&["stories"])
                .map(|s| s.to_string())
                .collect();
        }
        Analysed {
            doc,
            mentions,
            times,
        }
    };
    match check {
        Some(check) => budget::within(check, run),
        None => run(),
    }
}

/// Undoes a partly run claims stage.
fn clear_claims(doc: &mut Document) {
    doc.framing = None;
    for s in doc.sentences_mut() {
        s.status = None;
        s.labels.clear();
        s.source = None;
        s.speaker = None;
        s.markers.clear();
        s.loaded.clear();
    }
}

/// Analyses a batch of articles into one report. Input order is kept in `documents`; callers
/// sort inputs (by path, then position) so that two runs over the same files diff clean.
/// Articles cut off by their budget keep what their finished stages found but join no story.
pub fn analyze(inputs: Vec<ArticleInput>, opts: &Options) -> Report {
    let mut docs = Vec::with_capacity(inputs.len());
    let mut mentions = Vec::with_capacity(inputs.len());
    let mut times = Vec::with_capacity(inputs.len());
    for a in inputs.into_iter().map(|i| analyze_article(i, opts)) {
        docs.push(a.doc);
        mentions.push(a.mentions);
        times.push(a.times);
    }
    analyze_corpus(docs, mentions, times)
}

/// The corpus stages over articles whose own stages have run: grouping, entity resolution,
/// anchoring through stories, claim alignment.
fn analyze_corpus(
    mut docs: Vec<Document>,
    mentions: Vec<Vec<Mention>>,
    mut times: Vec<Vec<TimeExpr>>,
) -> Report {
    let mut grouping = stories::group(&docs, &mentions);
    // An article cut off by its budget is in no story (each is resolved on its own).
    let cut_off = |i: &usize| {
        docs.get(*i)
            .is_some_and(|d| !d.limits.not_computed.is_empty())
    };
    if docs.iter().any(|d| !d.limits.not_computed.is_empty()) {
        for members in &mut grouping.stories {
            members.retain(|i| !cut_off(i));
        }
        grouping.stories.retain(|m| !m.is_empty());
    }
    for (copy, link) in &grouping.duplicates {
        if let Some(d) = docs.get_mut(*copy) {
            d.duplicate_of = Some(link.clone());
        }
    }
    let entities = entities::resolve(&docs, &mentions, &grouping.stories);
    link_entities(&mut docs, &entities);
    time::anchor_through_stories(&docs, &mut times, &grouping.stories);

    let stories = grouping
        .stories
        .iter()
        .enumerate()
        .map(|(n, members)| build_story(n, members, &docs, &entities, &times))
        .collect();

    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        documents: docs,
        entities,
        times: times.into_iter().flatten().collect(),
        stories,
    }
}

/// Points sentences at the entities they mention, and attributions at their entity.
fn link_entities(docs: &mut [Document], entities: &[Entity]) {
    let mut by_sentence: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    let mut forms: HashMap<&str, Forms> = HashMap::new();
    for e in entities {
        for m in &e.mentions {
            by_sentence
                .entry((m.doc.as_str(), m.sentence.as_str()))
                .or_default()
                .push(e.id.as_str());
            let f = forms.entry(m.doc.as_str()).or_default();
            let form = m.text.to_lowercase();
            f.longest = f.longest.max(form.len());
            f.by_form.insert(form, e.id.as_str());
        }
    }
    let none = Forms::default();
    for doc in docs.iter_mut() {
        let doc_id = doc.id.clone();
        let f = forms.get(doc_id.as_str()).unwrap_or(&none);
        for s in doc.sentences_mut() {
            if let Some(ids) = by_sentence.get(&(doc_id.as_str(), s.id.as_str())) {
                let mut ids: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
                ids.sort();
                ids.dedup();
                s.entities = ids;
            }
            for a in [s.source.as_mut(), s.speaker.as_mut()]
                .into_iter()
                .flatten()
            {
                resolve_attribution(a, f);
            }
        }
    }
}

/// One document's entity mention forms (lower case) and their entity ids.
#[derive(Default)]
struct Forms<'a> {
    by_form: HashMap<String, &'a str>,
    /// Length in bytes of the longest form.
    longest: usize,
}

/// Resolves an attribution to the entity whose mention is the longest form it contains as
/// whole words (ties: the smaller id). The attribution's word-bounded spans up to the longest
/// form's length are looked up, so the cost does not grow with the document's forms.
fn resolve_attribution(a: &mut Attribution, forms: &Forms) {
    if a.entity.is_some() || forms.by_form.is_empty() {
        return;
    }
    let text = a.text.to_lowercase();
    let boundary_before = |i: usize| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let boundary_after = |i: usize| !text[i..].chars().next().is_some_and(char::is_alphanumeric);
    let cuts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let ends: Vec<usize> = cuts
        .iter()
        .copied()
        .filter(|&i| i > 0 && boundary_after(i))
        .collect();
    let mut best: Option<(usize, &str)> = None;
    for &start in cuts
        .iter()
        .filter(|&&i| i < text.len() && boundary_before(i))
    {
        let from = ends.partition_point(|&e| e <= start);
        for &end in ends[from..]
            .iter()
            .take_while(|&&e| e - start <= forms.longest)
        {
            if let Some(&id) = forms.by_form.get(&text[start..end]) {
                let better =
                    best.is_none_or(|(len, b)| end - start > len || end - start == len && id < b);
                if better {
                    best = Some((end - start, id));
                }
            }
        }
    }
    if let Some((_, id)) = best {
        a.entity = Some(id.to_string());
    }
}

fn build_story(
    n: usize,
    members: &[usize],
    docs: &[Document],
    entities: &[Entity],
    times: &[Vec<TimeExpr>],
) -> Story {
    let story_docs: Vec<&Document> = members.iter().filter_map(|&i| docs.get(i)).collect();
    let story_times: Vec<&TimeExpr> = members
        .iter()
        .filter_map(|&i| times.get(i))
        .flatten()
        .collect();
    let doc_ids: Vec<String> = story_docs.iter().map(|d| d.id.clone()).collect();
    let story_id = format!("story-{}", n + 1);
    let (claims, timeline) = stories::align_story(&story_id, &story_docs, entities, &story_times);

    // Main actors: entities by number of mentions inside the story.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entities {
        let c = e
            .mentions
            .iter()
            .filter(|m| doc_ids.contains(&m.doc))
            .count();
        if c > 0 {
            counts.insert(e.id.as_str(), c);
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));

    // Label: a title when an article has one; else the main actors (people and organisations
    // before places); else the opening sentence.
    let by_id: HashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut actors: Vec<&Entity> = ranked
        .iter()
        .filter_map(|(id, _)| by_id.get(id).copied())
        .collect();
    actors.sort_by_key(|e| match e.ty {
        crate::model::EntityType::Person | crate::model::EntityType::Org => 0,
        crate::model::EntityType::Place => 1,
        _ => 2,
    });
    let actor_label = (actors.len() >= 2).then(|| {
        actors
            .iter()
            .take(3)
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let label = story_docs
        .iter()
        .find_map(|d| d.title.clone())
        .or(actor_label)
        .or_else(|| {
            story_docs
                .first()
                .and_then(|d| d.sentences().next())
                .map(|s| crate::text::truncate_chars(&s.text, 80))
        })
        .unwrap_or_default();

    Story {
        id: story_id,
        label,
        documents: doc_ids,
        claims,
        timeline,
        entities: ranked.into_iter().map(|(id, _)| id.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Polls;
    use crate::model::{InputKind, Metadata};

    fn input(id: &str, body: &str) -> ArticleInput {
        ArticleInput {
            id: id.into(),
            source: format!("{id}.txt"),
            kind: InputKind::Text,
            body: body.into(),
            hints: Metadata::default(),
            boilerplate: Vec::new(),
        }
    }

    const BODY: &str = "Ann Bell, the mayor, said on Monday that the bridge would reopen. \
        \"We are nearly done,\" she told reporters in Rome.";

    #[test]
    fn without_a_budget_every_stage_runs() {
        let a = analyze_article(input("a", BODY), &Options::default());
        assert!(a.doc.limits.is_empty());
        assert!(!a.mentions.is_empty() && !a.times.is_empty());
        assert!(a.doc.sentences().all(|s| s.status.is_some()));
    }

    #[test]
    fn a_spent_budget_leaves_stages_out_and_says_which() {
        let opts = Options {
            budget: Some(Arc::new(Polls(0))),
        };
        let a = analyze_article(input("a", BODY), &opts);
        assert_eq!(
            a.doc.limits.not_computed,
            ["entities", "time", "claims", "stories"]
        );
        assert!(a.mentions.is_empty() && a.times.is_empty());
        assert!(a.doc.sentences().count() == 2 && a.doc.sentences().all(|s| s.status.is_none()));
    }

    #[test]
    fn a_budget_running_out_mid_way_keeps_the_earlier_stages() {
        // Enough polls for entities (one per sentence and between stages), not for the rest.
        let opts = Options {
            budget: Some(Arc::new(Polls(4))),
        };
        let a = analyze_article(input("a", BODY), &opts);
        assert_eq!(a.doc.limits.not_computed, ["time", "claims", "stories"]);
        assert!(!a.mentions.is_empty());
        assert!(a.times.is_empty());
    }

    #[test]
    fn an_article_over_budget_is_reported_but_in_no_story() {
        // The budget counts polls per article: the long article runs out, the short one not.
        let long = format!("{BODY} ").repeat(40);
        let opts = Options {
            budget: Some(Arc::new(Polls(30))),
        };
        let r = analyze(vec![input("a", &long), input("b", BODY)], &opts);
        let ids: Vec<&str> = r.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(!r.documents[0].limits.not_computed.is_empty());
        assert!(r.documents[1].limits.is_empty());
        assert!(r
            .stories
            .iter()
            .all(|s| !s.documents.contains(&"a".to_string())));
        assert!(r.stories.iter().any(|s| s.documents == ["b"]));
        assert!(r
            .entities
            .iter()
            .all(|e| e.mentions.iter().all(|m| m.doc == "b")));
    }
}
