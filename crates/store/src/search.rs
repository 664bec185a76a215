//! Full-text search (FTS5) over titles, sentences and entity names, with snippets.
//!
//! What a user types is never handed to FTS5's query syntax: it is cut into words and
//! "quoted phrases", each passed as a quoted FTS5 string, all required. So any input is a
//! valid query, and `-`, `:`, `*`, `NEAR`, `AND` and the like are plain words.

use crate::articles::{outlet_key, ROWS_PER_ARTICLE};
use crate::{Result, Store, StoreError};
use rusqlite::OptionalExtension;
use serde::Serialize;

/// Marks around matched words in [`Hit::snippet`] (Unicode private-use characters, so a
/// renderer can escape the text first and then turn them into highlighting).
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

/// Longest query accepted, in bytes; more is a mistake or an attack, not a search.
const MAX_QUERY_BYTES: usize = 1000;
/// Most terms in one query.
const MAX_TERMS: usize = 32;
/// Article rows (and entity rows) ranked per query: the newest this many matches, far more
/// than anyone pages through. Measured with `parallax bench --search` on a 100k-article store:
/// ranking every match of a common word cost hundreds of milliseconds.
const RANK_WINDOW: i64 = 1000;
/// The same for queries with an outlet or date filter, which walk matches newest first and
/// test each against its article row until the window is full: a filter that few recent
/// articles pass walks many rows, so its window is smaller.
const FILTERED_WINDOW: i64 = 300;

/// A search and its filters. Dates compare as ISO text; `limit` 0 means 20.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Only hits in articles of this outlet (case-insensitive); entity hits are dropped.
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Title,
    Sentence,
    Entity,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    /// The article (titles and sentences).
    pub article: Option<String>,
    /// The story of the article, or of the entity.
    pub story: Option<String>,
    /// The sentence id (`<article>:<n>`), for sentence hits.
    pub sentence: Option<String>,
    /// The entity id, for entity hits.
    pub entity: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The matching text around the match, matches between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
}

/// Turns what a user typed into a safe FTS5 query: words and "phrases" as quoted strings.
pub fn fts_query(text: &str) -> Result<String> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(StoreError::Query(format!(
            "the query is {} bytes; the most is {MAX_QUERY_BYTES}",
            text.len()
        )));
    }
    let mut terms: Vec<String> = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        let phrase = i % 2 == 1;
        let words: Vec<&str> = part
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| !w.is_empty())
            .collect();
        if phrase && !words.is_empty() {
            terms.push(format!("\"{}\"", words.join(" ")));
        } else {
            terms.extend(words.iter().map(|w| format!("\"{}\"", w.replace('"', ""))));
        }
    }
    if terms.is_empty() {
        return Err(StoreError::Query(
            "nothing to search for: give at least one word".into(),
        ));
    }
    terms.truncate(MAX_TERMS);
    Ok(terms.join(" "))
}

impl Store {
    /// Searches titles, sentences and entity names, best matches first among the newest
    /// [`RANK_WINDOW`] matching rows of each kind ([`FILTERED_WINDOW`] with a filter; ties:
    /// newest first).
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let filtered = q.outlet.is_some() || q.since.is_some() || q.until.is_some();
        self.search_within(
            q,
            if filtered {
                FILTERED_WINDOW
            } else {
                RANK_WINDOW
            },
        )
    }

    /// [`Store::search`] ranking the newest `window` matching rows of each kind.
    pub(crate) fn search_within(&self, q: &SearchQuery, window: i64) -> Result<Vec<Hit>> {
        let query = fts_query(&q.text)?;
        let limit = if q.limit == 0 { 20 } else { q.limit.min(500) } as i64;
        let filtered = q.outlet.is_some() || q.since.is_some() || q.until.is_some();
        let mut join = "";
        let mut conds = String::new();
        let mut args: Vec<String> = vec![query];
        if filtered {
            join = " JOIN articles a ON a.seq = (s.rowid >> 20)";
        }
        if let Some(o) = &q.outlet {
            args.push(outlet_key(o));
            conds.push_str(&format!(" AND a.outlet_key = ?{}", args.len()));
        }
        if let Some(d) = &q.since {
            args.push(d.clone());
            conds.push_str(&format!(" AND a.published >= ?{}", args.len()));
        }
        if let Some(d) = &q.until {
            args.push(format!("{d}\u{10FFFF}"));
            conds.push_str(&format!(" AND a.published <= ?{}", args.len()));
        }
        // Ranking costs time in proportion to the rows ranked, and a common word matches a
        // large share of a big collection: rank only the newest RANK_WINDOW article rows
        // (FTS5 walks matches in rowid order, newest first, and stops) and the newest
        // RANK_WINDOW entity rows. The cut-offs are rowids read from the store, not input.
        let window = window.max(1) - 1;
        let article_cut: i64 = self
            .conn
            .query_row(
                &format!(
                    "SELECT s.rowid FROM search s{join} WHERE search MATCH ?1 AND s.rowid >= 0{conds}
                     ORDER BY s.rowid DESC LIMIT 1 OFFSET {window}"
                ),
                rusqlite::params_from_iter(args.iter()),
                |r| r.get(0),
            )
            .optional()
            .map_err(query_error)?
            .unwrap_or(0);
        let mut sql = format!(
            "SELECT s.rowid, s.rank FROM search s{join}
             WHERE search MATCH ?1 AND s.rowid >= {article_cut}{conds}"
        );
        if !filtered {
            // Entity rows have rowid -seq: the newest are the most negative.
            let entity_cut: i64 = self
                .conn
                .query_row(
                    &format!(
                        "SELECT rowid FROM search WHERE search MATCH ?1 AND rowid < 0
                         ORDER BY rowid ASC LIMIT 1 OFFSET {window}"
                    ),
                    [&args[0]],
                    |r| r.get(0),
                )
                .optional()
                .map_err(query_error)?
                .unwrap_or(-1);
            sql.push_str(&format!(
                " UNION ALL SELECT rowid, rank FROM search
                  WHERE search MATCH ?1 AND rowid < 0 AND rowid <= {entity_cut}"
            ));
        }
        sql.push_str(&format!(
            " ORDER BY 2, 1 DESC LIMIT {limit} OFFSET {}",
            q.offset as i64
        ));
        let mut st = self.conn.prepare(&sql)?;
        let found: Vec<i64> = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
            .map_err(query_error)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(query_error)?;
        // Snippets only for the rows shown (one indexed look-up each), not for every row ranked.
        let mut snip = self.conn.prepare_cached(
            "SELECT snippet(search, 0, char(57344), char(57345), '…', 24)
             FROM search WHERE search MATCH ?1 AND rowid = ?2",
        )?;
        let mut hits = Vec::with_capacity(found.len());
        for rowid in found {
            let snippet: String = snip
                .query_row(rusqlite::params![&args[0], rowid], |r| r.get(0))
                .optional()
                .map_err(query_error)?
                .unwrap_or_default();
            if let Some(h) = self.hit(rowid, snippet)? {
                hits.push(h);
            }
        }
        Ok(hits)
    }

    /// The hit behind a search row (`None` for a row whose article or entity is gone).
    fn hit(&self, rowid: i64, snippet: String) -> Result<Option<Hit>> {
        if rowid < 0 {
            let row = self
                .conn
                .query_row(
                    "SELECT id, story_id FROM entities WHERE seq = ?1",
                    [-rowid],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?;
            return Ok(row.map(|(id, story)| Hit {
                kind: HitKind::Entity,
                article: None,
                story: Some(story),
                sentence: None,
                entity: Some(id),
                title: None,
                outlet: None,
                published: None,
                snippet,
            }));
        }
        let seq = rowid / ROWS_PER_ARTICLE;
        let n = rowid % ROWS_PER_ARTICLE;
        let row = self
            .conn
            .query_row(
                "SELECT id, story_id, title, outlet, published FROM articles WHERE seq = ?1",
                [seq],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map(|(id, story, title, outlet, published)| Hit {
            kind: if n == 0 {
                HitKind::Title
            } else {
                HitKind::Sentence
            },
            sentence: (n > 0).then(|| format!("{id}:{}", n - 1)),
            article: Some(id),
            story: Some(story),
            entity: None,
            title,
            outlet,
            published,
            snippet,
        }))
    }
}

/// FTS5 reports query problems as SQL errors; they are the user's query, not the store.
fn query_error(e: rusqlite::Error) -> StoreError {
    StoreError::Query(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn queries_are_quoted_words_and_phrases() {
        assert_eq!(fts_query("flood Kessel").unwrap(), "\"flood\" \"Kessel\"");
        assert_eq!(
            fts_query("\"river Olm\" rescue").unwrap(),
            "\"river Olm\" \"rescue\""
        );
        assert_eq!(
            fts_query("NEAR(a b) OR -x:y*").unwrap(),
            "\"NEAR\" \"a\" \"b\" \"OR\" \"x\" \"y\""
        );
        assert!(fts_query("  \"\" ** ").is_err());
        assert!(fts_query(&"a ".repeat(600)).is_err());
    }

    proptest! {
        #[test]
        fn any_text_is_a_safe_query(s in ".{0,200}") {
            if let Ok(q) = fts_query(&s) {
                // Every term is one quoted string without inner quotes.
                for t in q.split("\" \"") {
                    prop_assert!(!t.trim_matches('"').contains('"'));
                }
            }
        }
    }
}
