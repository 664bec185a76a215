//! Runs the stages in order over a batch of articles. The only place that knows the order.

use crate::embed::{self, Embedder, SentenceVectors};
use crate::model::{
    AlignmentInfo, ArticleInput, Attribution, Document, Entity, Mention, Report, Story, TimeExpr,
    SCHEMA_VERSION,
};
use crate::{claims, clean, entities, stories, time};
use std::collections::{BTreeMap, HashMap};

/// Knobs for a run. Defaults are what `parallax analyze` uses without a model.
#[derive(Clone, Default)]
pub struct Options {
    /// Sentence embeddings for claim alignment; `None` aligns on words only.
    pub embedder: Option<std::sync::Arc<dyn Embedder>>,
    /// Why there is no embedder (said once in the report), when there is none.
    pub embeddings_note: Option<String>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("embedder", &self.embedder.as_ref().map(|e| e.model_id()))
            .field("embeddings_note", &self.embeddings_note)
            .finish()
    }
}

/// Analyses a batch of articles into one report. Input order is kept in `documents`; callers
/// sort inputs (by path, then position) so that two runs over the same files diff clean.
pub fn analyze(inputs: Vec<ArticleInput>, opts: &Options) -> Report {
    let mut docs: Vec<Document> = inputs.into_iter().map(clean::clean).collect();
    let mentions: Vec<Vec<Mention>> = docs.iter().map(entities::detect).collect();
    let mut times: Vec<Vec<TimeExpr>> = docs.iter().map(time::tag).collect();
    for (doc, m) in docs.iter_mut().zip(&mentions) {
        claims::annotate(doc, m);
    }

    let grouping = stories::group(&docs, &mentions);
    for (copy, link) in &grouping.duplicates {
        if let Some(d) = docs.get_mut(*copy) {
            d.duplicate_of = Some(link.clone());
        }
    }
    let entities = entities::resolve(&docs, &mentions, &grouping.stories);
    link_entities(&mut docs, &entities);
    time::anchor_through_stories(&docs, &mut times, &grouping.stories);
    let (vectors, alignment) = sentence_vectors(&docs, opts);

    let stories = grouping
        .stories
        .iter()
        .enumerate()
        .map(|(n, members)| build_story(n, members, &docs, &entities, &times, vectors.as_ref()))
        .collect();

    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        documents: docs,
        entities,
        times: times.into_iter().flatten().collect(),
        stories,
        alignment,
    }
}

/// Embeds the sentences alignment compares, when an embedder is given; says why not otherwise.
fn sentence_vectors(docs: &[Document], opts: &Options) -> (Option<SentenceVectors>, AlignmentInfo) {
    let off = |note: String| AlignmentInfo {
        embeddings: false,
        model: None,
        note: Some(note),
    };
    let Some(e) = &opts.embedder else {
        let note = opts
            .embeddings_note
            .clone()
            .unwrap_or_else(|| "embeddings off: claims aligned on words only".to_string());
        return (None, off(note));
    };
    let refs: Vec<&Document> = docs.iter().collect();
    match embed::embed_documents(e.as_ref(), &refs, stories::align::MIN_WORDS) {
        Ok(v) => {
            let info = AlignmentInfo {
                embeddings: true,
                model: Some(v.model().to_string()),
                note: None,
            };
            (Some(v), info)
        }
        Err(err) => (
            None,
            off(format!(
                "embeddings off ({err}): claims aligned on words only"
            )),
        ),
    }
}

/// Points sentences at the entities they mention, and attributions at their entity.
fn link_entities(docs: &mut [Document], entities: &[Entity]) {
    let mut by_sentence: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    let mut by_form: HashMap<(&str, String), &str> = HashMap::new();
    for e in entities {
        for m in &e.mentions {
            by_sentence
                .entry((m.doc.as_str(), m.sentence.as_str()))
                .or_default()
                .push(e.id.as_str());
            by_form.insert((m.doc.as_str(), m.text.to_lowercase()), e.id.as_str());
        }
    }
    for doc in docs.iter_mut() {
        let doc_id = doc.id.clone();
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
                resolve_attribution(a, &doc_id, &by_form);
            }
        }
    }
}

/// Resolves an attribution to the entity whose mention is the longest form it contains.
fn resolve_attribution(a: &mut Attribution, doc: &str, by_form: &HashMap<(&str, String), &str>) {
    if a.entity.is_some() {
        return;
    }
    let text = a.text.to_lowercase();
    let best = by_form
        .iter()
        .filter(|((d, form), _)| *d == doc && !form.is_empty() && contains_word(&text, form))
        .max_by_key(|((_, form), id)| (form.len(), std::cmp::Reverse(**id)));
    if let Some((_, id)) = best {
        a.entity = Some(id.to_string());
    }
}

fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn build_story(
    n: usize,
    members: &[usize],
    docs: &[Document],
    entities: &[Entity],
    times: &[Vec<TimeExpr>],
    vectors: Option<&SentenceVectors>,
) -> Story {
    let story_docs: Vec<&Document> = members.iter().filter_map(|&i| docs.get(i)).collect();
    let story_times: Vec<&TimeExpr> = members
        .iter()
        .filter_map(|&i| times.get(i))
        .flatten()
        .collect();
    let doc_ids: Vec<String> = story_docs.iter().map(|d| d.id.clone()).collect();
    let story_id = format!("story-{}", n + 1);
    let (claims, timeline) =
        stories::align_story(&story_id, &story_docs, entities, &story_times, vectors);

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
