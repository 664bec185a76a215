//! Runs the stages in order over a batch of articles. The only place that knows the order:
//!
//! 1. phase one, per article and in parallel: [`analyze_article`] (clean, segment, entities,
//!    time, claims, grouping features);
//! 2. phase two, in arrival order: [`Corpus::add`] places each article in a story;
//! 3. per story and in parallel: [`analyze_story`] (entities across sources, story-anchored
//!    dates, aligned claims, timeline);
//! 4. [`assemble`]: the [`Report`] view.
//!
//! A store runs the same steps incrementally (`parallax ingest`); a batch is "ingest
//! everything into an empty in-memory corpus and render".

use crate::article::{analyze_article, Article};
use crate::budget::Budget;
use crate::corpus::{analyze_story, assemble, Corpus, StoryAnalysis};
use crate::embed::{self, Embedder, NoCache, SentenceVectors, VectorCache};
use crate::model::{AlignmentInfo, Document};
use crate::model::{ArticleInput, Report};
use crate::stories;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Knobs for a run. Defaults are what a library caller gets: no time budget and no model.
/// The binary gives each article a time budget (`--article-timeout`) and, when the model is
/// installed, an embedder.
#[derive(Clone, Default)]
pub struct Options {
    /// Time budget of each article's own stages (see [`analyze_article`]); `None`: unlimited.
    pub budget: Option<Arc<dyn Budget>>,
    /// Sentence embeddings for claim alignment; `None` aligns on words only.
    pub embedder: Option<Arc<dyn Embedder>>,
    /// Why there is no embedder (said once in the report), when there is none.
    pub embeddings_note: Option<String>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("budget", &self.budget.as_ref().map(|_| "set"))
            .field("embedder", &self.embedder.as_ref().map(|e| e.model_id()))
            .field("embeddings_note", &self.embeddings_note)
            .finish()
    }
}

/// Embeds the sentences alignment compares, when there is an embedder; says why not otherwise.
pub fn sentence_vectors(
    docs: &[&Document],
    opts: &Options,
    cache: &mut dyn VectorCache,
) -> (Option<SentenceVectors>, AlignmentInfo) {
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
    // Every sentence that can be a claim: the shortest claims are quotations.
    match embed::embed_documents_cached(e.as_ref(), docs, stories::align::MIN_QUOTE_WORDS, cache) {
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

/// The long phases of a run, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Phase one, per article.
    Analysing,
    /// Placing articles in stories.
    Grouping,
    /// Analysing stories (entities, anchoring, alignment).
    Aligning,
}

/// Progress reports from a run: `start` once per phase with the number of steps, then one
/// `step` per unit done (possibly from several threads).
pub trait Progress: Sync {
    fn start(&self, _phase: Phase, _total: usize) {}
    fn step(&self, _phase: Phase) {}
}

/// A [`Progress`] that shows nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// An input left out because an earlier input of the batch is the same article (same
/// canonical URL or same text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// Where the repeated input came from.
    pub source: String,
    /// Where the article was first read from.
    pub first: String,
}

/// A batch analysis: the report, and the inputs that repeated an earlier one.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub report: Report,
    pub repeats: Vec<Repeat>,
}

/// Analyses a batch of articles into one report. Input order is kept in `documents`; callers
/// sort inputs (by path, then position) so that two runs over the same files diff clean.
pub fn analyze(inputs: Vec<ArticleInput>, opts: &Options) -> Report {
    analyze_batch(inputs, opts, &Quiet).report
}

/// [`analyze`], reporting progress and repeated inputs.
pub fn analyze_batch(
    inputs: Vec<ArticleInput>,
    opts: &Options,
    progress: &dyn Progress,
) -> Analysis {
    progress.start(Phase::Analysing, inputs.len());
    let all: Vec<Article> = inputs
        .into_par_iter()
        .map(|input| {
            let a = analyze_article(input, opts);
            progress.step(Phase::Analysing);
            a
        })
        .collect();

    progress.start(Phase::Grouping, all.len());
    let mut corpus = Corpus::new();
    let mut articles: Vec<Article> = Vec::with_capacity(all.len());
    let mut first_source: HashMap<String, String> = HashMap::new();
    let mut repeats = Vec::new();
    for a in all {
        progress.step(Phase::Grouping);
        if corpus.add(&a).is_none() {
            repeats.push(Repeat {
                source: a.document.source.clone(),
                first: first_source.get(&a.id).cloned().unwrap_or_default(),
            });
            continue;
        }
        first_source.insert(a.id.clone(), a.document.source.clone());
        articles.push(a);
    }

    let docs: Vec<&Document> = articles.iter().map(|a| &a.document).collect();
    let (vectors, alignment) = sentence_vectors(&docs, opts, &mut NoCache);
    drop(docs);
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    progress.start(Phase::Aligning, corpus.stories().len());
    let analyses: Vec<StoryAnalysis> = corpus
        .stories()
        .par_iter()
        .map(|s| {
            let members: Vec<&Article> = s
                .articles
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            let a = analyze_story(s, &members, vectors.as_ref());
            progress.step(Phase::Aligning);
            a
        })
        .collect();
    drop(by_id);
    let mut report = assemble(articles, analyses);
    report.alignment = alignment;
    Analysis { report, repeats }
}
