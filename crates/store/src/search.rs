//! Full-text search (FTS5) over titles, sentences and entity names, with snippets.
//!
//! What a user types is never handed to FTS5's query syntax: it is cut into words and
//! "quoted phrases", each passed as a quoted FTS5 string, all required. So any input is a
//! valid query, and `-`, `:`, `*`, `NEAR`, `AND` and the like are plain words. Unquoted stop
//! words ("the", "of", "to": `data/stopwords.txt`) are left out of a query that has other
//! words ([`query_terms`], shared with the PostgreSQL backend).
//!
//! Each request's work is bounded by a window of the newest matches, not by how common the
//! words are: see [`Store::search`]. Ranking ([`rank`]) and snippets ([`snippet`]) are
//! computed here from the fetched rows.

mod rank;
mod snippet;

use crate::articles::{outlet_key, ROWS_PER_ARTICLE};
use crate::{Result, Store, StoreError};
use rank::{Term, Weights};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Marks around matched words in [`Hit::snippet`] (Unicode private-use characters, so a
/// renderer can escape the text first and then turn them into highlighting).
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

/// Longest query accepted, in bytes; more is a mistake or an attack, not a search.
const MAX_QUERY_BYTES: usize = 1000;
/// Most terms in one query.
const MAX_TERMS: usize = 32;
/// Article rows (and entity rows) ranked per query: the newest this many matches, far more
/// than anyone pages through. Measured on a 100k-article store (BENCHMARKS.md, web section):
/// ranking every match of a common word cost hundreds of milliseconds; reading the text of
/// each ranked row is most of what is left, and a window of 500 instead of 1,000 cut a
/// search request's CPU from 1.50 to 1.16 ms.
pub const RANK_WINDOW: i64 = 500;
/// The same for queries with an outlet or date filter, which walk matches newest first and
/// test each against its article row until the window is full: a filter that few recent
/// articles pass walks many rows, so its window is smaller.
pub const FILTERED_WINDOW: i64 = 300;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// The English stop words, one a line after a `#` header (see the file for its source).
const STOP_WORDS: &str = include_str!("../data/stopwords.txt");

fn stop_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STOP_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether a typed word is a stop word. Both engines cut a word at its apostrophes ("don't"
/// is indexed as "don" and "t"), so a word is one when each of its pieces is.
pub fn is_stop_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let mut pieces = lower
        .split(['\'', '’'])
        .filter(|p| !p.is_empty())
        .peekable();
    pieces.peek().is_some() && pieces.all(|p| stop_words().contains(p))
}

/// Lower case without diacritics: how both engines compare words (SQLite's `unicode61
/// remove_diacritics 2` tokenizer; on PostgreSQL the same folding is done here before
/// indexing).
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Cuts what a user typed into terms, each a word or the words of a "quoted phrase" joined
/// by one space; every term is required. Shared by both backends, so a query means the same
/// on each.
///
/// Unquoted stop words ([`is_stop_word`]) are left out when any other term remains: they
/// occur in most rows, so requiring them changes little but costs the engine a walk through
/// their very long row lists. A quoted phrase keeps all its words, and a query of stop words
/// only is searched as typed. A term repeated (in any case) counts once.
pub fn query_terms(text: &str) -> Result<Vec<String>> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(StoreError::Query(format!(
            "the query is {} bytes; the most is {MAX_QUERY_BYTES}",
            text.len()
        )));
    }
    // (term, whether it was quoted)
    let mut typed: Vec<(String, bool)> = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        let phrase = i % 2 == 1;
        let words: Vec<&str> = part
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| !w.is_empty())
            .collect();
        if phrase && !words.is_empty() {
            typed.push((words.join(" "), true));
        } else {
            typed.extend(words.iter().map(|w| (w.to_string(), false)));
        }
    }
    if typed.is_empty() {
        return Err(StoreError::Query(
            "nothing to search for: give at least one word".into(),
        ));
    }
    let only_stop_words = typed.iter().all(|(t, quoted)| !quoted && is_stop_word(t));
    let mut seen = HashSet::new();
    let mut terms: Vec<String> = typed
        .into_iter()
        .filter(|(t, quoted)| only_stop_words || *quoted || !is_stop_word(t))
        .map(|(t, _)| t)
        .filter(|t| seen.insert(fold(t)))
        .collect();
    terms.truncate(MAX_TERMS);
    Ok(terms)
}

/// Turns what a user typed into a safe FTS5 query: words and "phrases" as quoted strings.
pub fn fts_query(text: &str) -> Result<String> {
    Ok(fts_terms(&query_terms(text)?))
}

/// Terms as FTS5 strings, all required.
fn fts_terms(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
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
    ///
    /// The plan keeps each request's work bounded by the window, not by how common the words
    /// are: one walk fetches the newest `window` matching rows with their text (FTS5 walks
    /// matches in rowid order, newest first, and stops), each term's weight is counted over
    /// at most [`rank::DF_CAP`] rows, and ranking and snippets are computed here from the
    /// fetched text ([`rank`], [`snippet`]) instead of by FTS5's `bm25()` and `snippet()`,
    /// which walk every row of each term.
    pub(crate) fn search_within(&self, q: &SearchQuery, window: i64) -> Result<Vec<Hit>> {
        let typed = query_terms(&q.text)?;
        let query = fts_terms(&typed);
        let terms: Vec<Term> = typed.iter().map(|t| Term::new(t)).collect();
        let limit = if q.limit == 0 { 20 } else { q.limit.min(500) };
        let window = window.max(1);
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
        // The newest `window` matching article rows, and (unfiltered) entity rows, whose
        // rowid is -seq: the newest are the most negative. Each row is scored as it is read,
        // from the text SQLite hands over, so no row's text is copied.
        let weights = self.weights(&typed)?;
        let mut scorer = rank::Scorer::new(&terms, &weights);
        let mut scored: Vec<(f64, i64)> = Vec::new();
        let mut fetch = |sql: &str, args: &[String]| -> Result<()> {
            let mut st = self.conn.prepare_cached(sql)?;
            let mut found = st
                .query(rusqlite::params_from_iter(args.iter()))
                .map_err(query_error)?;
            while let Some(row) = found.next().map_err(query_error)? {
                let rowid: i64 = row.get(0)?;
                let text = row.get_ref(1)?.as_str().unwrap_or("");
                scored.push((scorer.score(text), rowid));
            }
            Ok(())
        };
        fetch(
            &format!(
                "SELECT s.rowid, s.text FROM search s{join}
                 WHERE search MATCH ?1 AND s.rowid >= 0{conds}
                 ORDER BY s.rowid DESC LIMIT {window}"
            ),
            &args,
        )?;
        if !filtered {
            fetch(
                &format!(
                    "SELECT rowid, text FROM search WHERE search MATCH ?1 AND rowid < 0
                     ORDER BY rowid ASC LIMIT {window}"
                ),
                &args[..1],
            )?;
        }
        if q.offset >= scored.len() {
            return Ok(Vec::new());
        }
        // Best first; ties newest first (article rows before entity rows), as FTS5's
        // `ORDER BY rank, rowid DESC` did.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut text_of = self
            .conn
            .prepare_cached("SELECT text FROM search WHERE rowid = ?1")?;
        let mut hits = Vec::with_capacity(limit);
        for &(_, rowid) in scored.iter().skip(q.offset).take(limit) {
            let text: String = match text_of.query_row([rowid], |r| r.get(0)).optional()? {
                Some(t) => t,
                None => continue,
            };
            let snip = snippet::snippet(&text, &rank::tokens(&text), &terms);
            if let Some(h) = self.hit(rowid, snip)? {
                hits.push(h);
            }
        }
        Ok(hits)
    }

    /// The bm25 weights of `typed` terms: the table's row and token totals (FTS5's averages
    /// record) and each term's row count, counted up to [`rank::DF_CAP`] and estimated
    /// beyond. One term needs no count: its weight scales every score alike.
    fn weights(&self, typed: &[String]) -> Result<Weights> {
        // Every statement of a search is cached on the connection: a server answers many
        // searches per connection, and parsing the SQL each time was a few percent of each.
        let block: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT block FROM search_data WHERE id = 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        let (rows, tokens) = block.as_deref().and_then(rank::averages).unwrap_or((1, 1));
        let mut hits = Vec::with_capacity(typed.len());
        if typed.len() == 1 {
            hits.push(1.0);
            return Ok(Weights::new(rows, tokens, &hits));
        }
        let newest: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM articles")?
            .query_row([], |r| r.get(0))?;
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT count(*), coalesce(min(rowid), 0) FROM
               (SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC
                LIMIT {})",
            rank::DF_CAP
        ))?;
        for t in typed {
            let (counted, last): (i64, i64) = st
                .query_row([fts_terms(std::slice::from_ref(t))], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(query_error)?;
            hits.push(rank::estimate_hits(counted, last, newest));
        }
        Ok(Weights::new(rows, tokens, &hits))
    }

    /// The hit behind a search row (`None` for a row whose article or entity is gone).
    fn hit(&self, rowid: i64, snippet: String) -> Result<Option<Hit>> {
        if rowid < 0 {
            let row = self
                .conn
                .prepare_cached("SELECT id, story_id FROM entities WHERE seq = ?1")?
                .query_row([-rowid], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
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
            .prepare_cached(
                "SELECT id, story_id, title, outlet, published FROM articles WHERE seq = ?1",
            )?
            .query_row([seq], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
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
    use crate::contract::Db;
    use crate::tests::{corpus, ingest, input};
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
            "\"NEAR\" \"b\" \"x\" \"y\""
        );
        assert!(fts_query("  \"\" ** ").is_err());
        assert!(fts_query(&"a ".repeat(600)).is_err());
    }

    #[test]
    fn stop_words_are_dropped_unless_quoted_or_alone() {
        let terms = |t: &str| query_terms(t).unwrap();
        assert_eq!(terms("the flood in Kessel"), ["flood", "Kessel"]);
        assert_eq!(terms("The Flood OF the"), ["Flood"]);
        // Inside quotes every word counts.
        assert_eq!(
            terms("\"the state of the union\" speech"),
            ["the state of the union", "speech"]
        );
        assert_eq!(terms("\"to\" be"), ["to"]);
        // Only stop words: searched as typed (repeats once).
        assert_eq!(terms("to be or not to be"), ["to", "be", "or", "not"]);
        // Contractions are stop words when each piece is; names with apostrophes are not.
        assert_eq!(terms("don't it's O'Brien"), ["O'Brien"]);
        assert_eq!(terms("Kessel kessel KESSEL"), ["Kessel"]);
        assert!(is_stop_word("THE") && !is_stop_word("'") && !is_stop_word(""));
    }

    /// The list file: one lower-case word a line after its header, no repeats; and, where
    /// PostgreSQL is installed, the same words as its english.stop (the stated source).
    #[test]
    fn stop_word_list_is_clean_and_matches_its_source() {
        let words: Vec<&str> = STOP_WORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert!(STOP_WORDS.starts_with("# Stop words"));
        assert_eq!(words.len(), stop_words().len(), "repeated words");
        for w in &words {
            assert!(
                !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()),
                "{w:?}"
            );
        }
        let installed = std::fs::read_dir("/usr/share/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("tsearch_data/english.stop"))
            .find(|p| p.is_file());
        match installed {
            Some(p) => {
                let source = std::fs::read_to_string(&p).expect("read english.stop");
                let source: Vec<&str> = source.lines().filter(|l| !l.is_empty()).collect();
                assert_eq!(words, source, "{}", p.display());
            }
            None => eprintln!("skipped the comparison: no PostgreSQL english.stop installed"),
        }
    }

    /// Articles with repeated words and rows of different lengths, so term frequency, row
    /// length and term weights all decide the order.
    fn ranking_corpus() -> Vec<parallax_core::model::ArticleInput> {
        let mut inputs = corpus();
        let outlets = ["Kessel Post", "NYT", "Varnia Daily", "Le Monde"];
        for i in 0..24 {
            let flood = if i % 3 == 0 {
                "The flood in Kessel rose again, and flood water filled the Kessel square."
            } else {
                "Rain fell on the hills above the town for a third day."
            };
            let budget = if i % 4 == 1 {
                "The budget vote in Varnia was delayed, and the budget talks on pensions went on."
            } else {
                "The council met to discuss the new bridge over the Olm river."
            };
            inputs.push(input(
                &format!("r{i}"),
                outlets[i % 4],
                &format!("2021-06-{:02}", i + 1),
                if i % 2 == 0 {
                    "Flood news from Kessel"
                } else {
                    "Council and budget"
                },
                &format!(
                    "{flood} {budget} Residents of Kessel said the flood was the worst in years. \
                     Officials in Varnia said the budget would pass by the end of the month."
                ),
            ));
        }
        inputs
    }

    /// What a hit points at: its kind, sentence or article, and entity.
    type Key = (HitKind, Option<String>, Option<String>);

    /// What the hits point at, for comparing result lists.
    fn keys(hits: &[Hit]) -> Vec<Key> {
        hits.iter()
            .map(|h| {
                (
                    h.kind,
                    h.sentence.clone().or(h.article.clone()),
                    h.entity.clone(),
                )
            })
            .collect()
    }

    /// The ranking computed here gives the order FTS5's own `bm25` (`ORDER BY rank`) gives,
    /// for ordinary queries: one word, several words, a phrase, names.
    #[test]
    fn ranking_matches_fts5_bm25() {
        let mut c = crate::Collection::load(Store::open_in_memory().expect("db"), &crate::Quiet)
            .expect("load");
        ingest(&mut c, ranking_corpus());
        let s = c.store();
        for text in [
            "flood",
            "Kessel",
            "flood Kessel",
            "budget Varnia pensions",
            "\"budget vote\"",
            "\"flood water\" Kessel",
            "Brandt",
            "Olm river",
            "residents",
        ] {
            let q = SearchQuery {
                text: text.into(),
                limit: 20,
                ..SearchQuery::default()
            };
            let ours = s.search(&q).expect("search");
            let fts = fts_query(text).expect("query");
            let mut st = s
                .conn
                .prepare(
                    "SELECT rowid FROM search WHERE search MATCH ?1
                     ORDER BY rank, rowid DESC LIMIT 20",
                )
                .expect("prepare");
            let rowids: Vec<i64> = st
                .query_map([&fts], |r| r.get(0))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
            let theirs: Vec<Hit> = rowids
                .into_iter()
                .filter_map(|r| s.hit(r, String::new()).expect("hit"))
                .collect();
            assert!(!ours.is_empty(), "{text}");
            assert_eq!(keys(&ours), keys(&theirs), "{text}");
            assert!(
                ours.iter().all(|h| h.snippet.contains(MATCH_START)),
                "{text}: {ours:?}"
            );
        }
    }

    /// Dropping stop words keeps the results of the query without them; a quoted phrase
    /// still needs its exact words; filters still apply. On both backends, which agree on
    /// what matches.
    fn stop_words_and_phrases_on(db: &Db) -> Vec<Vec<Key>> {
        let mut c = db.collection();
        ingest(&mut c, ranking_corpus());
        let s = c.store();
        let find = |text: &str, outlet: Option<&str>, since: Option<&str>| {
            let hits = s
                .search(&SearchQuery {
                    text: text.into(),
                    outlet: outlet.map(str::to_string),
                    since: since.map(str::to_string),
                    limit: 500,
                    ..SearchQuery::default()
                })
                .expect("search");
            let mut k = keys(&hits);
            k.sort();
            k
        };
        let plain = find("flood Kessel", None, None);
        assert!(!plain.is_empty());
        assert_eq!(find("the flood in Kessel", None, None), plain);
        assert_eq!(find("flood of the Kessel", None, None), plain);
        // "flood in Kessel" is in the text; "flood of Kessel" is not.
        let phrase = find("\"flood in Kessel\"", None, None);
        assert!(
            !phrase.is_empty() && phrase.len() < plain.len(),
            "{phrase:?}"
        );
        assert!(find("\"flood of Kessel\"", None, None).is_empty());
        // Stop words alone still search.
        assert!(!find("the", None, None).is_empty());
        // Filters.
        let nyt = find("the flood in Kessel", Some("nyt"), None);
        assert!(!nyt.is_empty() && nyt.len() < plain.len());
        assert!(nyt.iter().all(|k| k.2.is_none()));
        let late = find("the budget", None, Some("2021-06-20"));
        assert!(!late.is_empty());
        assert!(late.len() < find("budget", None, None).len());
        vec![plain, phrase, nyt, late]
    }

    #[test]
    fn stop_words_and_phrases_sqlite_and_postgres_agree() {
        let sqlite = stop_words_and_phrases_on(&Db::sqlite());
        match Db::postgres() {
            Some(db) => {
                let pg = stop_words_and_phrases_on(&db);
                // Titles, sentences and names found are the same (the order differs: each
                // backend ranks with its own formula).
                assert_eq!(sqlite, pg);
            }
            None => eprintln!("postgres: skipped: no PostgreSQL server"),
        }
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
