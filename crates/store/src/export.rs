//! Flat rows for `parallax export`: one claim sentence or one article sentence per row, for
//! pandas and spreadsheets. Column names and meanings are documented in docs/export.md.

use crate::{Result, Store, StoreError};
use parallax_core::article::Article;
use parallax_core::corpus::StoryAnalysis;
use parallax_core::model::Status;
use serde::Serialize;

/// One sentence of one aligned claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRow {
    pub story: String,
    pub story_label: String,
    pub claim: String,
    /// `agreed`, `only_in` or `conflict` (and any kind added later, by its JSON name).
    pub kind: String,
    pub score: f64,
    /// For conflicts: what differs (`date`, `number`, ...) and the values, `|`-separated.
    pub conflict_kind: Option<String>,
    pub conflict_values: Option<String>,
    pub article: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub sentence: String,
    pub status: Option<String>,
    pub text: String,
}

/// One sentence of one article, with its voice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceRow {
    pub article: String,
    pub story: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    pub sentence: String,
    pub status: Option<String>,
    /// Every status that applies, `|`-separated.
    pub labels: String,
    pub source: Option<String>,
    pub speaker: Option<String>,
    /// Hedge markers, `|`-separated.
    pub markers: String,
    /// Loaded terms outside quotes, `|`-separated.
    pub loaded: String,
    pub text: String,
}

fn json_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn status_name(s: Option<Status>) -> Option<String> {
    s.map(|s| s.as_str().to_string())
}

/// (id, outlet, published) of an article, for claim rows.
pub(crate) type ArticleMeta = (String, Option<String>, Option<String>);

/// The claim rows of one story analysis, given its articles' outlets and dates.
pub(crate) fn claim_rows(
    a: &StoryAnalysis,
    meta: &[ArticleMeta],
    f: &mut dyn FnMut(ClaimRow) -> Result<()>,
) -> Result<()> {
    for c in &a.story.claims {
        for s in &c.sentences {
            let (outlet, published) = meta
                .iter()
                .find(|m| m.0 == s.doc)
                .map(|m| (m.1.clone(), m.2.clone()))
                .unwrap_or_default();
            f(ClaimRow {
                story: a.story.id.clone(),
                story_label: a.story.label.clone(),
                claim: c.id.clone(),
                kind: json_name(&c.kind),
                score: c.score,
                conflict_kind: c.conflict.as_ref().map(|x| json_name(&x.kind)),
                conflict_values: c.conflict.as_ref().map(|x| x.values.join("|")),
                article: s.doc.clone(),
                outlet,
                published,
                sentence: s.sentence.clone(),
                status: status_name(s.status),
                text: s.text.clone(),
            })?;
        }
    }
    Ok(())
}

/// The sentence rows of one article in `story`.
pub(crate) fn sentence_rows(
    a: &Article,
    story: &str,
    f: &mut dyn FnMut(SentenceRow) -> Result<()>,
) -> Result<()> {
    let d = &a.document;
    for s in d.sentences() {
        f(SentenceRow {
            article: a.id.clone(),
            story: story.to_string(),
            outlet: d.outlet.clone(),
            published: d.published.clone(),
            title: d.title.clone(),
            sentence: s.id.clone(),
            status: status_name(s.status),
            labels: s
                .labels
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            source: s.source.as_ref().map(|x| x.text.clone()),
            speaker: s.speaker.as_ref().map(|x| x.text.clone()),
            markers: s.markers.join("|"),
            loaded: s
                .loaded
                .iter()
                .filter(|l| !l.in_quote)
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            text: s.text.clone(),
        })?;
    }
    Ok(())
}

impl Store {
    /// Calls `f` with every claim row, story by story in creation order. Stories not
    /// analysed yet are skipped.
    pub fn for_each_claim_row(&self, mut f: impl FnMut(ClaimRow) -> Result<()>) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, analysis FROM stories WHERE analysis IS NOT NULL ORDER BY seq")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let raw: String = r.get(1)?;
            let a: StoryAnalysis = serde_json::from_str(&raw)
                .map_err(|e| StoreError::row(format!("story {id}"), e))?;
            let meta = self.article_meta(&a.story.documents)?;
            claim_rows(&a, &meta, &mut f)?;
        }
        Ok(())
    }

    /// Calls `f` with every sentence of every article, in arrival order.
    pub fn for_each_sentence_row(
        &self,
        mut f: impl FnMut(SentenceRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, story_id, analysis FROM articles ORDER BY seq")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let story: String = r.get(1)?;
            let raw: String = r.get(2)?;
            let a = crate::articles::parse_article(&id, &raw)?;
            sentence_rows(&a, &story, &mut f)?;
        }
        Ok(())
    }

    /// (id, outlet, published) of the given articles.
    fn article_meta(&self, ids: &[String]) -> Result<Vec<ArticleMeta>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT outlet, published FROM articles WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let (o, p) = st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            out.push((id.clone(), o, p));
        }
        Ok(out)
    }
}
