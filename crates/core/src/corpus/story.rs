//! What one story shows, computed from its articles alone: near-copy links, entities across
//! its sources, dates of undated articles anchored through it, aligned claims, the timeline,
//! its main actors and a label. Recomputed whenever an article joins the story; the cost
//! depends on the story's size only.

use super::links::link_documents;
use super::StoryMembers;
use crate::article::Article;
use crate::embed::SentenceVectors;
use crate::model::{
    AlignmentInfo, Document, DuplicateLink, Entity, EntityType, Mention, Story, TimeExpr,
};
use crate::{entities, stories, time};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The result of [`analyze_story`]: everything a report shows about one story beyond its
/// articles' own analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryAnalysis {
    pub story: Story,
    /// Entities across the story's sources, ids `<story>-e<n>`.
    pub entities: Vec<Entity>,
    /// For undated articles whose relative dates could be anchored through the story: all
    /// of that article's time expressions, replacing its own (`(article id, times)`).
    pub anchored: Vec<(String, Vec<TimeExpr>)>,
    /// Near-copies and the earliest version they copy (`(copy id, link)`).
    pub duplicates: Vec<(String, DuplicateLink)>,
    /// How its claims were aligned (with embeddings or on words only).
    #[serde(default)]
    pub alignment: AlignmentInfo,
}

/// Analyses one story: `articles` are the articles of `members`, in the same order.
/// `vectors` are sentence embeddings (of these articles' sentences, or more); without them
/// claims are aligned on words only.
pub fn analyze_story(
    members: &StoryMembers,
    articles: &[&Article],
    vectors: Option<&SentenceVectors>,
) -> StoryAnalysis {
    let story_id = members.id.as_str();
    let copy_of = members.copy_of.as_slice();
    let own_docs: Vec<&Document> = articles.iter().map(|a| &a.document).collect();
    let duplicates: Vec<(String, DuplicateLink)> = stories::dedup::links_within(&own_docs, copy_of)
        .into_iter()
        .filter_map(|(i, l)| own_docs.get(i).map(|d| (d.id.clone(), l)))
        .collect();
    let mentions: Vec<&[Mention]> = articles.iter().map(|a| a.mentions.as_slice()).collect();
    let entities = entities::resolve_story(story_id, &own_docs, &mentions);

    let mut times: Vec<Vec<TimeExpr>> = articles.iter().map(|a| a.times.clone()).collect();
    time::anchor_story(&own_docs, &mut times);
    let anchored: Vec<(String, Vec<TimeExpr>)> = articles
        .iter()
        .zip(&times)
        .filter(|(a, t)| a.times != **t)
        .map(|(a, t)| (a.id.clone(), t.clone()))
        .collect();

    // Alignment reads sentence entities and copy links: give it linked copies.
    let mut docs: Vec<Document> = own_docs.iter().map(|d| (*d).clone()).collect();
    link_documents(&mut docs, &entities, &duplicates);
    let doc_refs: Vec<&Document> = docs.iter().collect();
    let time_refs: Vec<&TimeExpr> = times.iter().flatten().collect();
    let (claims, timeline) =
        stories::align_story(story_id, &doc_refs, &entities, &time_refs, vectors);

    let ranked = main_actors(&entities);
    let label = label(&doc_refs, &entities, &ranked);
    StoryAnalysis {
        story: Story {
            id: story_id.to_string(),
            label,
            documents: docs.iter().map(|d| d.id.clone()).collect(),
            claims,
            timeline,
            entities: ranked.iter().map(|(id, _)| id.to_string()).collect(),
            thread: Some(members.thread.clone()),
        },
        entities,
        anchored,
        duplicates,
        alignment: AlignmentInfo {
            embeddings: vectors.is_some(),
            model: vectors.map(|v| v.model().to_string()),
            note: None,
        },
    }
}

/// Entity ids by number of mentions in the story, most first, ties by id.
fn main_actors(entities: &[Entity]) -> Vec<(&str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entities.iter().filter(|e| !e.mentions.is_empty()) {
        counts.insert(e.id.as_str(), e.mentions.len());
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
}

/// A title when an article has one; else the main actors (people and organisations before
/// places); else the opening sentence.
fn label(docs: &[&Document], entities: &[Entity], ranked: &[(&str, usize)]) -> String {
    let by_id: HashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut actors: Vec<&Entity> = ranked
        .iter()
        .filter_map(|(id, _)| by_id.get(id).copied())
        .collect();
    actors.sort_by_key(|e| match e.ty {
        EntityType::Person | EntityType::Org => 0,
        EntityType::Place => 1,
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
    docs.iter()
        .find_map(|d| d.title.clone())
        .or(actor_label)
        .or_else(|| {
            docs.first()
                .and_then(|d| d.sentences().next())
                .map(|s| crate::text::truncate_chars(&s.text, 80))
        })
        .unwrap_or_default()
}
