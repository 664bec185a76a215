//! The report as a view over a collection: articles as phase one left them, with what their
//! stories' analyses add (copy links, entity links, story-anchored dates).

use super::links::Links;
use super::story::StoryAnalysis;
use crate::article::Article;
use crate::model::{Report, Thread, TimeExpr, SCHEMA_VERSION};
use std::collections::HashMap;

/// Builds the [`Report`] of `articles` (in the order they should be listed) and the analyses
/// of their stories (in story order). An article whose story is not among `analyses` is
/// listed as phase one left it.
pub fn assemble(articles: Vec<Article>, analyses: Vec<StoryAnalysis>) -> Report {
    let mut story_of: HashMap<&str, usize> = HashMap::new();
    let mut anchored: HashMap<&str, &Vec<TimeExpr>> = HashMap::new();
    for (n, a) in analyses.iter().enumerate() {
        for d in &a.story.documents {
            story_of.insert(d.as_str(), n);
        }
        for (d, t) in &a.anchored {
            anchored.insert(d.as_str(), t);
        }
    }
    let links: Vec<Links<'_>> = analyses
        .iter()
        .map(|a| Links::new(&a.entities, &a.duplicates))
        .collect();
    let mut documents = Vec::with_capacity(articles.len());
    let mut times = Vec::new();
    for a in articles {
        let Article {
            id,
            mut document,
            times: own,
            ..
        } = a;
        if let Some(l) = story_of.get(id.as_str()).and_then(|&n| links.get(n)) {
            l.apply(&mut document);
        }
        match anchored.get(id.as_str()) {
            Some(t) => times.extend(t.iter().cloned()),
            None => times.extend(own),
        }
        documents.push(document);
    }
    drop(links);
    drop(anchored);
    drop(story_of);
    let mut entities = Vec::new();
    let mut stories = Vec::with_capacity(analyses.len());
    let mut threads: Vec<Thread> = Vec::new();
    // Said once per report: the first story's (a run aligns all its stories the same way).
    let alignment = analyses
        .first()
        .map(|a| a.alignment.clone())
        .unwrap_or_default();
    let mut thread_at: HashMap<String, usize> = HashMap::new();
    for a in analyses {
        entities.extend(a.entities);
        if let Some(t) = a.story.thread.clone() {
            let n = *thread_at.entry(t.clone()).or_insert_with(|| {
                threads.push(Thread {
                    id: t,
                    label: a.story.label.clone(),
                    stories: Vec::new(),
                });
                threads.len() - 1
            });
            threads[n].stories.push(a.story.id.clone());
        }
        stories.push(a.story);
    }
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        documents,
        entities,
        times,
        stories,
        threads,
        alignment,
    }
}
