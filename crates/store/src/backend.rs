//! The store interface: what a backend (SQLite [`Store`], PostgreSQL [`PgStore`]) answers, so
//! [`crate::Collection`] and every command work over either. Which one a `--db` names is
//! decided by [`Location::parse`]: a `postgres://` or `postgresql://` URL, else a file.
//!
//! The trait is sealed: backends live in this crate, where the SQL is. New queries are added
//! here with an implementation per backend, as the web pages' reads are (pages.rs and
//! pg/pages.rs), so `parallax serve` shows the same pages from either.

use crate::articles::{Known, Placed};
use crate::export::{ClaimRow, SentenceRow};
use crate::pages::{ArticleRow, OutletCount};
use crate::pg::PgStore;
use crate::search::{Hit, SearchQuery};
use crate::stories::{EntityRef, StoryFilter, StorySummary};
use crate::{Result, Store};
use parallax_core::article::Article;
use parallax_core::corpus::{analyze_story, assemble, Placement, StoryAnalysis, StoryMembers};
use parallax_core::model::{ArticleInput, Report};
use std::path::{Path, PathBuf};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Store {}
    impl Sealed for crate::pg::PgStore {}
    impl Sealed for Box<dyn super::Backend> {}
}

/// Where a store is: a SQLite file or a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// A connection URL (`postgres://user:password@host:port/database`, or with
    /// `?host=/run/postgresql` for a Unix socket).
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a PostgreSQL database; anything else is
    /// a file path.
    pub fn parse(spec: &str) -> Location {
        let lower = spec.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Postgres(spec.trim().to_string())
        } else {
            Location::Sqlite(PathBuf::from(spec))
        }
    }

    /// For messages: the path, or the URL with any password replaced by `***`.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => redact_url(url),
        }
    }
}

/// A path is a SQLite file (what the web server's callers that predate PostgreSQL pass).
impl From<&Path> for Location {
    fn from(p: &Path) -> Location {
        Location::Sqlite(p.to_path_buf())
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Location {
        Location::Sqlite(p.clone())
    }
}

/// A connection URL without its password (a URL's `user:password@` part, and a `password=`
/// parameter).
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..auth_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let (a, b) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
                out.replace_range(a..b, "***");
            }
        }
    }
    if let Some(p) = out.find("password=") {
        let start = p + "password=".len();
        let end = out[start..]
            .find('&')
            .map(|e| start + e)
            .unwrap_or(out.len());
        out.replace_range(start..end, "***");
    }
    out
}

/// Opens the store at `loc`, creating and migrating it when needed.
pub fn open(loc: &Location) -> Result<Box<dyn Backend>> {
    Ok(match loc {
        Location::Sqlite(p) => Box::new(Store::open(p)?),
        Location::Postgres(url) => Box::new(PgStore::connect(url)?),
    })
}

/// Opens an existing store for reading only (a web server's connections): nothing is
/// created or migrated, and it fails when the store is missing or its schema is not this
/// build's. A SQLite reader in WAL mode and a PostgreSQL session both see each commit of a
/// running ingest or worker as it lands.
pub fn open_read_only(loc: &Location) -> Result<Box<dyn Backend>> {
    Ok(match loc {
        Location::Sqlite(p) => Box::new(Store::open_read_only(p)?),
        Location::Postgres(url) => Box::new(PgStore::connect_read_only(url)?),
    })
}

/// What every store backend answers. Reads take `&self`; writes take `&mut self` and are
/// each one transaction. Callbacks get rows one at a time (memory does not grow with the
/// collection) and may stop the walk by returning an error.
pub trait Backend: sealed::Sealed + Send {
    /// The file or the URL (without password), for messages.
    fn describe(&self) -> String;
    /// Row counts of the main tables, sorted by table name.
    fn counts(&self) -> Result<Vec<(String, i64)>>;
    /// Number of stored articles.
    fn article_count(&self) -> Result<i64>;
    /// Whether `id` is stored, and by which analyzer.
    fn known(&self, id: &str) -> Result<Known>;
    /// Stores a new article at the end of the arrival order, in `placed`'s story (marked for
    /// recomputation), in one transaction. False (and nothing changed) when already stored.
    fn insert_article(
        &mut self,
        input: &ArticleInput,
        article: &Article,
        placed: &Placement,
    ) -> Result<bool>;
    /// Replaces a stale article's analysis (and its search rows) with a fresh one.
    fn replace_analysis(&mut self, article: &Article) -> Result<()>;
    /// Ids of articles analysed by another version than this one, in arrival order.
    fn stale_ids(&self) -> Result<Vec<String>>;
    /// The stored input of an article.
    fn input_of(&self, id: &str) -> Result<ArticleInput>;
    /// Every placed article after arrival position `after` (0: all), in arrival order.
    fn for_each_placed(&self, after: i64, f: &mut dyn FnMut(Placed) -> Result<()>) -> Result<()>;
    /// Moves an article to another story (after a regrouping), marking both stories.
    fn move_article(&mut self, id: &str, placed: &Placement) -> Result<()>;
    /// One stored article, analysed.
    fn article(&self, id: &str) -> Result<Option<Article>>;
    /// A story's members and its articles, in arrival order.
    fn story_members(&self, story: &str) -> Result<(StoryMembers, Vec<Article>)>;
    /// The articles of a story in arrival order, each with the id of the article it copies.
    fn story_articles(&self, story: &str) -> Result<Vec<(Article, Option<String>)>>;
    /// Stories whose analysis is out of date, with their version, in creation order.
    fn dirty_stories(&self) -> Result<Vec<(String, i64)>>;
    /// How many stories a writer recording `current`
    /// (`parallax_core::stories::story_analysis_version_for` its embedder) recomputes, dirty
    /// or not: with a model, those holding another version of the story analysis, other
    /// embeddings or words only, or an unknown version (stored before schema version 4); on
    /// words only, those of another version of the story analysis or unknown (a story this
    /// story analysis aligned with a model is kept: never a downgrade).
    fn outdated_stories(&self, current: &str) -> Result<i64>;
    /// The stored versions of the stories outdated for `current`, each with how many
    /// stories hold it (`None`: unknown), to say why they are recomputed.
    fn outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>>;
    /// How many stories hold an analysis of another version of the story analysis than this
    /// build's (`parallax_core::stories::story_analysis_version`, the base of every version
    /// it records), whatever their embeddings: what a reader warns about (it cannot know
    /// which embedder the next writer runs).
    fn older_analysis_stories(&self) -> Result<i64>;
    /// Marks the clean stories outdated for `current` dirty, so they are recomputed as if
    /// they had changed; returns how many. Only a writer that recomputes stories calls it,
    /// with the version its own run records.
    fn mark_outdated_stories(&mut self, current: &str) -> Result<usize>;
    /// Stores a story's analysis computed at `version` (recording the story analysis version
    /// of what it used: this build and its embeddings); false (nothing stored) when an
    /// article joined it meanwhile. A story left without articles is removed.
    fn put_story(
        &mut self,
        analysis: &StoryAnalysis,
        version: i64,
        members: &[&Article],
    ) -> Result<bool>;
    /// Stories, newest first.
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>>;
    /// A story's stored analysis (`None` when unknown or not analysed yet).
    fn story_analysis(&self, id: &str) -> Result<Option<StoryAnalysis>>;
    /// Every story's entity whose name folds to the same key as `name`.
    fn entities_named(&self, name: &str) -> Result<Vec<EntityRef>>;
    /// Full-text search over titles, sentences and entity names, best matches first.
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>>;
    /// The analysis of every article, in arrival order.
    fn for_each_article(&self, f: &mut dyn FnMut(Result<Article>) -> Result<()>) -> Result<()>;
    /// Every claim row (docs/export.md), story by story in creation order.
    fn for_each_claim_row(&self, f: &mut dyn FnMut(ClaimRow) -> Result<()>) -> Result<()>;
    /// Every sentence of every article, in arrival order.
    fn for_each_sentence_row(&self, f: &mut dyn FnMut(SentenceRow) -> Result<()>) -> Result<()>;

    /// Cached sentence vectors: the blob of each key (same order; `None` where none) for
    /// `model` (see [`crate::vectors`]).
    fn cached_vectors(&self, model: &str, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>>;
    /// Keeps (key, blob) vector rows for `model`; keys already kept are left alone.
    fn keep_vectors(&mut self, model: &str, rows: &[(Vec<u8>, Vec<u8>)]) -> Result<()>;

    // The page queries of a browser (crates/web): counts for paging, single rows by id, an
    // entity's namesakes across stories, the outlets. Implemented in pages.rs (SQLite) and
    // pg/pages.rs.

    /// How many stories [`Backend::stories`] lists for `f` without limit and offset.
    fn story_count(&self, f: &StoryFilter) -> Result<i64>;
    /// One story's line of the story list.
    fn story_summary(&self, id: &str) -> Result<Option<StorySummary>>;
    /// One placed article's row (without parsing its analysis).
    fn article_row(&self, id: &str) -> Result<Option<ArticleRow>>;
    /// The rows of a story's articles, in arrival order.
    fn story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>>;
    /// One entity of one story.
    fn entity(&self, id: &str) -> Result<Option<EntityRef>>;
    /// The entities of every story whose name folds to the same key as entity `id`'s
    /// (`parallax_core::entities::name_key`): one actor across stories, newest story first.
    fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<EntityRef>>;
    /// How many entities [`Backend::namesakes`] lists for `id` without limit and offset.
    fn namesake_count(&self, id: &str) -> Result<i64>;
    /// The outlets with the most articles first (at most `limit`), each under the spelling
    /// of its first article.
    fn outlets(&self, limit: usize) -> Result<Vec<OutletCount>>;

    /// A story's report: its stored analysis with its articles, or, for a story whose
    /// articles arrived after its last analysis (never analysed), an analysis computed now
    /// and not stored. `None` for an unknown story.
    fn story_report_now(&self, id: &str) -> Result<Option<Report>> {
        if let Some(r) = self.story_report(id)? {
            return Ok(Some(r));
        }
        let (members, articles) = self.story_members(id)?;
        if articles.is_empty() {
            return Ok(None);
        }
        // Aligned on words: a reader loads no embedding model; the next `ingest` (or a
        // worker) stores the story's full analysis.
        let refs: Vec<&Article> = articles.iter().collect();
        let analysis = analyze_story(&members, &refs, None);
        Ok(Some(assemble(articles, vec![analysis])))
    }

    /// The report of one story (`None` when unknown or not analysed yet).
    fn story_report(&self, id: &str) -> Result<Option<Report>> {
        let Some(analysis) = self.story_analysis(id)? else {
            return Ok(None);
        };
        let articles: Vec<Article> = self
            .story_articles(id)?
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        Ok(Some(assemble(articles, vec![analysis])))
    }

    /// The PostgreSQL store behind this backend, for the queue commands.
    fn as_postgres(&mut self) -> Option<&mut PgStore> {
        None
    }

    /// The SQLite store behind this backend: it keeps the grouping state on disk (see
    /// `grouping.rs`), so a [`crate::Collection`] over it holds only a bounded cache.
    fn as_sqlite(&mut self) -> Option<&mut Store> {
        None
    }
}

impl Backend for Store {
    fn describe(&self) -> String {
        self.path().display().to_string()
    }
    fn counts(&self) -> Result<Vec<(String, i64)>> {
        Store::counts(self)
    }
    fn article_count(&self) -> Result<i64> {
        Store::article_count(self)
    }
    fn known(&self, id: &str) -> Result<Known> {
        Store::known(self, id)
    }
    fn insert_article(
        &mut self,
        input: &ArticleInput,
        article: &Article,
        placed: &Placement,
    ) -> Result<bool> {
        Store::insert_article(self, input, article, placed)
    }
    fn replace_analysis(&mut self, article: &Article) -> Result<()> {
        Store::replace_analysis(self, article)
    }
    fn stale_ids(&self) -> Result<Vec<String>> {
        Store::stale_ids(self)
    }
    fn input_of(&self, id: &str) -> Result<ArticleInput> {
        Store::input_of(self, id)
    }
    fn for_each_placed(&self, after: i64, f: &mut dyn FnMut(Placed) -> Result<()>) -> Result<()> {
        Store::for_each_placed(self, after, f)
    }
    fn move_article(&mut self, id: &str, placed: &Placement) -> Result<()> {
        Store::move_article(self, id, placed)
    }
    fn article(&self, id: &str) -> Result<Option<Article>> {
        Store::article(self, id)
    }
    fn story_members(&self, story: &str) -> Result<(StoryMembers, Vec<Article>)> {
        Store::story_members(self, story)
    }
    fn story_articles(&self, story: &str) -> Result<Vec<(Article, Option<String>)>> {
        Store::story_articles(self, story)
    }
    fn dirty_stories(&self) -> Result<Vec<(String, i64)>> {
        Store::dirty_stories(self)
    }
    fn outdated_stories(&self, current: &str) -> Result<i64> {
        Store::outdated_stories(self, current)
    }
    fn outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>> {
        Store::outdated_versions(self, current)
    }
    fn older_analysis_stories(&self) -> Result<i64> {
        Store::older_analysis_stories(self)
    }
    fn mark_outdated_stories(&mut self, current: &str) -> Result<usize> {
        Store::mark_outdated_stories(self, current)
    }
    fn put_story(
        &mut self,
        analysis: &StoryAnalysis,
        version: i64,
        members: &[&Article],
    ) -> Result<bool> {
        Store::put_story(self, analysis, version, members)
    }
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        Store::stories(self, filter)
    }
    fn story_analysis(&self, id: &str) -> Result<Option<StoryAnalysis>> {
        Store::story_analysis(self, id)
    }
    fn entities_named(&self, name: &str) -> Result<Vec<EntityRef>> {
        Store::entities_named(self, name)
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        Store::search(self, q)
    }
    fn for_each_article(&self, f: &mut dyn FnMut(Result<Article>) -> Result<()>) -> Result<()> {
        Store::for_each_article(self, f)
    }
    fn for_each_claim_row(&self, f: &mut dyn FnMut(ClaimRow) -> Result<()>) -> Result<()> {
        Store::for_each_claim_row(self, f)
    }
    fn for_each_sentence_row(&self, f: &mut dyn FnMut(SentenceRow) -> Result<()>) -> Result<()> {
        Store::for_each_sentence_row(self, f)
    }
    fn cached_vectors(&self, model: &str, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>> {
        Store::cached_vectors(self, model, keys)
    }
    fn keep_vectors(&mut self, model: &str, rows: &[(Vec<u8>, Vec<u8>)]) -> Result<()> {
        Store::keep_vectors(self, model, rows)
    }
    fn story_report(&self, id: &str) -> Result<Option<Report>> {
        Store::story_report(self, id)
    }
    fn as_sqlite(&mut self) -> Option<&mut Store> {
        Some(self)
    }
    fn story_count(&self, f: &StoryFilter) -> Result<i64> {
        Store::story_count(self, f)
    }
    fn story_summary(&self, id: &str) -> Result<Option<StorySummary>> {
        Store::story_summary(self, id)
    }
    fn article_row(&self, id: &str) -> Result<Option<ArticleRow>> {
        Store::article_row(self, id)
    }
    fn story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>> {
        Store::story_article_rows(self, story)
    }
    fn entity(&self, id: &str) -> Result<Option<EntityRef>> {
        Store::entity(self, id)
    }
    fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<EntityRef>> {
        Store::namesakes(self, id, limit, offset)
    }
    fn namesake_count(&self, id: &str) -> Result<i64> {
        Store::namesake_count(self, id)
    }
    fn outlets(&self, limit: usize) -> Result<Vec<OutletCount>> {
        Store::outlets(self, limit)
    }
}

/// A boxed backend is a backend (what the commands hold after [`open`]).
impl Backend for Box<dyn Backend> {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn counts(&self) -> Result<Vec<(String, i64)>> {
        (**self).counts()
    }
    fn article_count(&self) -> Result<i64> {
        (**self).article_count()
    }
    fn known(&self, id: &str) -> Result<Known> {
        (**self).known(id)
    }
    fn insert_article(
        &mut self,
        input: &ArticleInput,
        article: &Article,
        placed: &Placement,
    ) -> Result<bool> {
        (**self).insert_article(input, article, placed)
    }
    fn replace_analysis(&mut self, article: &Article) -> Result<()> {
        (**self).replace_analysis(article)
    }
    fn stale_ids(&self) -> Result<Vec<String>> {
        (**self).stale_ids()
    }
    fn input_of(&self, id: &str) -> Result<ArticleInput> {
        (**self).input_of(id)
    }
    fn for_each_placed(&self, after: i64, f: &mut dyn FnMut(Placed) -> Result<()>) -> Result<()> {
        (**self).for_each_placed(after, f)
    }
    fn move_article(&mut self, id: &str, placed: &Placement) -> Result<()> {
        (**self).move_article(id, placed)
    }
    fn article(&self, id: &str) -> Result<Option<Article>> {
        (**self).article(id)
    }
    fn story_members(&self, story: &str) -> Result<(StoryMembers, Vec<Article>)> {
        (**self).story_members(story)
    }
    fn story_articles(&self, story: &str) -> Result<Vec<(Article, Option<String>)>> {
        (**self).story_articles(story)
    }
    fn dirty_stories(&self) -> Result<Vec<(String, i64)>> {
        (**self).dirty_stories()
    }
    fn outdated_stories(&self, current: &str) -> Result<i64> {
        (**self).outdated_stories(current)
    }
    fn outdated_versions(&self, current: &str) -> Result<Vec<(Option<String>, i64)>> {
        (**self).outdated_versions(current)
    }
    fn older_analysis_stories(&self) -> Result<i64> {
        (**self).older_analysis_stories()
    }
    fn mark_outdated_stories(&mut self, current: &str) -> Result<usize> {
        (**self).mark_outdated_stories(current)
    }
    fn put_story(
        &mut self,
        analysis: &StoryAnalysis,
        version: i64,
        members: &[&Article],
    ) -> Result<bool> {
        (**self).put_story(analysis, version, members)
    }
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        (**self).stories(filter)
    }
    fn story_analysis(&self, id: &str) -> Result<Option<StoryAnalysis>> {
        (**self).story_analysis(id)
    }
    fn entities_named(&self, name: &str) -> Result<Vec<EntityRef>> {
        (**self).entities_named(name)
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        (**self).search(q)
    }
    fn for_each_article(&self, f: &mut dyn FnMut(Result<Article>) -> Result<()>) -> Result<()> {
        (**self).for_each_article(f)
    }
    fn for_each_claim_row(&self, f: &mut dyn FnMut(ClaimRow) -> Result<()>) -> Result<()> {
        (**self).for_each_claim_row(f)
    }
    fn for_each_sentence_row(&self, f: &mut dyn FnMut(SentenceRow) -> Result<()>) -> Result<()> {
        (**self).for_each_sentence_row(f)
    }
    fn cached_vectors(&self, model: &str, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>> {
        (**self).cached_vectors(model, keys)
    }
    fn keep_vectors(&mut self, model: &str, rows: &[(Vec<u8>, Vec<u8>)]) -> Result<()> {
        (**self).keep_vectors(model, rows)
    }
    fn story_report(&self, id: &str) -> Result<Option<Report>> {
        (**self).story_report(id)
    }
    fn story_report_now(&self, id: &str) -> Result<Option<Report>> {
        (**self).story_report_now(id)
    }
    fn story_count(&self, f: &StoryFilter) -> Result<i64> {
        (**self).story_count(f)
    }
    fn story_summary(&self, id: &str) -> Result<Option<StorySummary>> {
        (**self).story_summary(id)
    }
    fn article_row(&self, id: &str) -> Result<Option<ArticleRow>> {
        (**self).article_row(id)
    }
    fn story_article_rows(&self, story: &str) -> Result<Vec<ArticleRow>> {
        (**self).story_article_rows(story)
    }
    fn entity(&self, id: &str) -> Result<Option<EntityRef>> {
        (**self).entity(id)
    }
    fn namesakes(&self, id: &str, limit: usize, offset: usize) -> Result<Vec<EntityRef>> {
        (**self).namesakes(id, limit, offset)
    }
    fn namesake_count(&self, id: &str) -> Result<i64> {
        (**self).namesake_count(id)
    }
    fn outlets(&self, limit: usize) -> Result<Vec<OutletCount>> {
        (**self).outlets(limit)
    }
    fn as_postgres(&mut self) -> Option<&mut PgStore> {
        (**self).as_postgres()
    }
    fn as_sqlite(&mut self) -> Option<&mut Store> {
        (**self).as_sqlite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_postgres_and_anything_else_a_file() {
        assert_eq!(
            Location::parse("postgres://u@h/db"),
            Location::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            Location::parse("PostgreSQL://h/db"),
            Location::Postgres(_)
        ));
        assert_eq!(
            Location::parse("p.db"),
            Location::Sqlite(PathBuf::from("p.db"))
        );
        assert!(matches!(
            Location::parse("postgres.db"),
            Location::Sqlite(_)
        ));
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact_url("postgres://ann:s3cret@db:5432/news"),
            "postgres://ann:***@db:5432/news"
        );
        assert_eq!(
            redact_url("postgresql:///news?host=/run/pg&password=x&user=a"),
            "postgresql:///news?host=/run/pg&password=***&user=a"
        );
        assert_eq!(
            redact_url("postgres://ann@db/news"),
            "postgres://ann@db/news"
        );
    }
}
