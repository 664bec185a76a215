//! Commands over the collection store: `ingest`, `stories`, `story`, `search`, `export`.
//! Each works over a SQLite file or a PostgreSQL database (`--db postgres://...`), where
//! `ingest` queues the articles for `parallax worker` processes (see crate::scale).

use crate::progress::Bars;
use crate::{write_output, EXIT_FATAL, EXIT_OK, EXIT_SOME_FAILED};
use anyhow::{bail, Context, Result};
use parallax_core::ArticleInput;
use parallax_sources::{read_sources, watch, Item, Source, SourceOptions, SourcedArticle};
use parallax_store::{
    Backend, Collection, IngestStats, Location, Observer, SearchQuery, StoryFilter,
};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Environment variable naming the store when `--db` is not given.
pub const DB_ENV: &str = "PARALLAX_DB";

/// The store: `--db` (a file, or a `postgres://` URL), else `$PARALLAX_DB`, else
/// `parallax.db` in the user's data directory (`~/.local/share/parallax` on Linux).
pub fn db_location(db: Option<String>) -> Result<Location> {
    if let Some(p) = db {
        return Ok(Location::parse(&p));
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(Location::parse(&p.to_string_lossy()));
    }
    let dirs = directories::ProjectDirs::from("", "", "parallax")
        .context("no home directory to keep the store in: give --db FILE")?;
    Ok(Location::Sqlite(dirs.data_dir().join("parallax.db")))
}

/// Opens an existing store for reading; a missing file is a usage error, not a new store.
pub(crate) fn open_existing(db: Option<String>) -> Result<Box<dyn Backend>> {
    let loc = db_location(db)?;
    if let Location::Sqlite(path) = &loc {
        if !path.exists() {
            bail!(
                "{}: no store here yet; run `parallax ingest --db {} PATH...` first",
                path.display(),
                path.display()
            );
        }
    }
    parallax_store::open(&loc).map_err(|e| anyhow::anyhow!("{}", crate::inert(&e.to_string())))
}

impl Observer for Bars {
    fn start(&self, what: &str, unit: &str, total: usize) {
        self.begin(what, unit, total as u64);
    }
    fn step(&self) {
        self.inc();
    }
    fn done(&self) {
        Bars::done(self);
    }
    fn note(&self, message: &str) {
        self.suspend(|| eprintln!("parallax: note {}", crate::inert(message)));
    }
}

/// A flag set by the first Ctrl-C or SIGTERM (stop after `what`); a second one exits at
/// once.
pub(crate) fn interrupt_flag(what: &'static str) -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let _ = ctrlc::set_handler(move || {
        if f.swap(true, Ordering::SeqCst) {
            eprintln!("parallax: interrupted again: exiting now");
            std::process::exit(130);
        }
        eprintln!("parallax: stopping after {what} (interrupt again to quit now)");
    });
    flag
}

/// What `parallax ingest` reads and how.
pub struct IngestArgs {
    pub sources: Vec<String>,
    pub watch: Option<PathBuf>,
    pub max_bytes: u64,
    /// Seconds between two requests to one host.
    pub delay: f64,
    /// Time budget of an article's own stages, seconds per MB of text (`--article-timeout`).
    pub article_secs: f64,
    /// Sentence embeddings for claim alignment, or none (then `embeddings_note` says why).
    pub embedder: Option<Arc<dyn parallax_core::embed::Embedder>>,
    pub embeddings_note: Option<String>,
}

/// `parallax ingest`: read sources, analyse what is new, store it, recompute changed stories;
/// with `--watch`, keep polling the configured feeds until Ctrl-C.
pub fn ingest_cmd(db: Option<String>, args: IngestArgs) -> Result<u8> {
    let mut sources = Vec::with_capacity(args.sources.len());
    for a in &args.sources {
        match Source::parse(a) {
            Ok(s) => sources.push(s),
            Err(e) => bail!("{}", crate::inert(&e.to_string())),
        }
    }
    let watch = match &args.watch {
        Some(p) => Some(
            watch::load_config(p)
                .map_err(|e| anyhow::anyhow!("{}", crate::inert(&e.to_string())))?,
        ),
        None => None,
    };
    // With no sources, an existing SQLite store is brought up to date (its stories of
    // another story analysis, or left dirty, recomputed); anything else is a usage error.
    let refresh_only = sources.is_empty() && watch.is_none();
    if refresh_only {
        let existing = matches!(db_location(db.clone())?, Location::Sqlite(ref p) if p.is_file());
        if !existing {
            bail!("nothing to ingest: give files, folders, URLs, `-` or --watch CONFIG");
        }
    }
    let opts = SourceOptions {
        max_bytes: args.max_bytes,
        per_host_interval: Duration::from_secs_f64(args.delay.clamp(0.0, 3600.0)),
        ..SourceOptions::default()
    };
    let path = match db_location(db)? {
        Location::Sqlite(p) => p,
        Location::Postgres(url) => {
            return crate::scale::enqueue_cmd(&url, &sources, watch, &opts);
        }
    };
    let bars = Bars::new();
    let options = parallax_core::Options {
        budget: Some(Arc::new(crate::budget::Deadline {
            secs_per_mb: args.article_secs,
        })),
        embedder: args.embedder.clone(),
        embeddings_note: args.embeddings_note.clone(),
    };
    let mut collection = Collection::open_with(&path, options, &bars)
        .with_context(|| format!("opening the store {}", path.display()))?;
    let cancel = interrupt_flag("the current article");
    let mut total = IngestStats::default();
    let mut failed = 0usize;
    if !sources.is_empty() {
        let (stats, f) = ingest_sources(&mut collection, &sources, &opts, &bars, &cancel)?;
        add_stats(&mut total, &stats);
        failed += f;
    }
    if refresh_only {
        let stats = collection.ingest(std::iter::empty(), Some(0), &bars, &cancel)?;
        add_stats(&mut total, &stats);
    }
    if let Some(config) = watch {
        let feeds = config.feeds.len();
        eprintln!("parallax: watching {feeds} feed(s); Ctrl-C stops between articles");
        let mut watcher = watch::Watcher::new(config, opts.clone());
        while !cancel.load(Ordering::Relaxed) {
            let mut inputs = Vec::new();
            watcher.poll(Instant::now(), false, &cancel, &mut |item| {
                if let Some(i) = take_article(item, &bars, &mut failed) {
                    inputs.push(i);
                }
            });
            if !inputs.is_empty() {
                let n = inputs.len();
                let stats = collection.ingest(inputs, Some(n), &bars, &cancel)?;
                bars.done();
                print_stats(&stats, &path, collection.store().article_count()?);
                add_stats(&mut total, &stats);
            }
            let Some(due) = watcher.next_due() else { break };
            while !cancel.load(Ordering::Relaxed) && Instant::now() < due {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    bars.done();
    print_stats(&total, &path, collection.store().article_count()?);
    if cancel.load(Ordering::Relaxed) || total.interrupted {
        eprintln!(
            "parallax: interrupted: what was stored is kept; run the same command again to finish"
        );
        return Ok(EXIT_SOME_FAILED);
    }
    Ok(if failed == 0 {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// Reads `sources` on a thread of its own (network waits do not hold up analysis) and
/// streams the articles into the collection. Returns the stats and the failed item count.
fn ingest_sources(
    collection: &mut Collection,
    sources: &[Source],
    opts: &SourceOptions,
    bars: &Bars,
    cancel: &AtomicBool,
) -> Result<(IngestStats, usize)> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<ArticleInput>(256);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut failed = 0usize;
            read_sources(sources, opts, cancel, |item| {
                if let Some(input) = take_article(item, bars, &mut failed) {
                    // A closed channel means the ingest stopped (an error): stop quietly.
                    let _ = tx.send(input);
                }
            });
            failed
        });
        // The receiver moves into the ingest and is dropped when it returns, which unblocks
        // the reader if the ingest stopped early.
        let stats = collection.ingest(rx, None, bars, cancel);
        let failed = reader.join().unwrap_or(0);
        Ok((stats?, failed))
    })
}

/// The article of a source item (its canonical URL kept as the article's URL), or `None`
/// after printing a failed item or note on stderr.
pub(crate) fn take_article(item: Item, bars: &Bars, failed: &mut usize) -> Option<ArticleInput> {
    match item {
        Item::Article(a) => {
            let SourcedArticle {
                mut input,
                provenance,
            } = *a;
            if input.hints.url.is_none() {
                input.hints.url = provenance.url;
            }
            if let Some(note) = provenance.note {
                bars.suspend(|| {
                    eprintln!(
                        "parallax: note {}: {}",
                        crate::inert(&input.source),
                        crate::inert(&note)
                    )
                });
            }
            Some(input)
        }
        Item::Error(e) => {
            let what = if e.is_note() { "note" } else { "skipped" };
            if !e.is_note() {
                *failed += 1;
            }
            bars.suspend(|| eprintln!("parallax: {what} {}", crate::inert(&e.to_string())));
            None
        }
    }
}

fn add_stats(total: &mut IngestStats, s: &IngestStats) {
    total.added += s.added;
    total.known += s.known;
    total.new_stories += s.new_stories;
    total.stories_updated += s.stories_updated;
    total.stories_outdated += s.stories_outdated;
    total.stories_realigned += s.stories_realigned;
    total.interrupted |= s.interrupted;
}

fn print_stats(stats: &IngestStats, path: &Path, stored: i64) {
    let mut why = Vec::new();
    if stats.stories_outdated > 0 {
        why.push(format!(
            "{} for a newer story analysis",
            stats.stories_outdated
        ));
    }
    if stats.stories_realigned > 0 {
        why.push(format!(
            "{} for this run's embeddings",
            stats.stories_realigned
        ));
    }
    let outdated = if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join(", "))
    };
    eprintln!(
        "parallax: {} added, {} already stored, {} new {}, {} {} updated{}; {} now holds {} {}",
        stats.added,
        stats.known,
        stats.new_stories,
        plural(stats.new_stories, "story", "stories"),
        stats.stories_updated,
        plural(stats.stories_updated, "story", "stories"),
        outdated,
        crate::inert(&path.display().to_string()),
        stored,
        plural(stored as usize, "article", "articles"),
    );
}

pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Says once on stderr when stories of the store at `db` hold an analysis another version of
/// the story analysis computed (after an upgrade, or a store of an older schema), and what
/// recomputes them. Readers never recompute: that is a writer's job, in batches. Only the
/// story analysis itself is compared, not the embeddings a story was aligned with: those
/// depend on the next writer's model (or `--no-embeddings`), which a reader cannot know;
/// that writer recomputes the stories it would align otherwise, and says so.
pub(crate) fn warn_outdated(store: &dyn Backend, db: &Location) -> Result<()> {
    let n = store.older_analysis_stories()?;
    if n == 0 {
        return Ok(());
    }
    let fix = match db {
        Location::Sqlite(p) => format!(
            "`parallax ingest --db {}` (no sources needed) recomputes {}",
            p.display(),
            plural(n as usize, "it", "them")
        ),
        Location::Postgres(_) => format!(
            "a `parallax worker` started now recomputes {}",
            plural(n as usize, "it", "them")
        ),
    };
    eprintln!(
        "parallax: note {n} {} analysed by an older version of the story analysis: {} \
         claims may differ from this version's; {}",
        plural(n as usize, "story was", "stories were"),
        plural(n as usize, "its", "their"),
        crate::inert(&fix)
    );
    Ok(())
}

/// Output formats of the listing commands.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq)]
pub enum ListFormat {
    Text,
    Json,
}

/// `parallax stories`: the story list, newest first.
pub fn stories_cmd(db: Option<String>, filter: StoryFilter, format: ListFormat) -> Result<u8> {
    let loc = db_location(db.clone())?;
    let store = open_existing(db)?;
    warn_outdated(&*store, &loc)?;
    let list = store.stories(&filter)?;
    let out = match format {
        ListFormat::Json => serde_json::to_string_pretty(&list)? + "\n",
        ListFormat::Text => {
            let mut s = String::new();
            if list.is_empty() {
                s.push_str("no stories match\n");
            }
            for st in &list {
                let when = match (&st.first_published, &st.last_published) {
                    (Some(a), Some(b)) if a[..a.len().min(10)] != b[..b.len().min(10)] => {
                        format!("{}..{}", &a[..a.len().min(10)], &b[..b.len().min(10)])
                    }
                    (_, Some(b)) => b[..b.len().min(10)].to_string(),
                    _ => "undated".to_string(),
                };
                let outlets = if st.outlets.is_empty() {
                    "outlets unknown".to_string()
                } else {
                    st.outlets.join(", ")
                };
                s.push_str(&format!(
                    "{}  {:<22}  {:>3} {}  agreed {} · only-in {} · conflicts {}{}\n    {}\n    {}\n",
                    st.id,
                    when,
                    st.articles,
                    plural(st.articles as usize, "article ", "articles"),
                    st.agreed,
                    st.only_in,
                    st.conflicts,
                    list_state(st),
                    crate::inert(&st.label),
                    crate::inert(&outlets),
                ));
            }
            s
        }
    };
    write_output(None, &out)?;
    Ok(EXIT_OK)
}

/// What the story list says after a story's counts when its stored analysis is not current:
/// computed by an older story analysis (whatever else), or waiting for articles that joined
/// since (or for a recomputation a run left undone).
fn list_state(st: &parallax_store::StorySummary) -> &'static str {
    if st.older_analysis {
        " (analysed by an older version; `parallax ingest` recomputes it)"
    } else if !st.analysed {
        " (new articles not analysed yet)"
    } else {
        ""
    }
}

/// `parallax story ID`: one story's report.
pub fn story_cmd(
    db: Option<String>,
    id: &str,
    format: crate::Format,
    output: Option<&Path>,
    color: crate::ColorChoice,
) -> Result<u8> {
    let loc = db_location(db.clone())?;
    let store = open_existing(db)?;
    warn_outdated(&*store, &loc)?;
    let report = match store.story_report(id)? {
        Some(r) => r,
        None => {
            // Not analysed yet (or unknown): analyse it now from its articles, without storing.
            let (members, articles) = store.story_members(id)?;
            if articles.is_empty() {
                eprintln!(
                    "parallax: error: no story {}; `parallax stories` lists them",
                    crate::inert(id)
                );
                return Ok(EXIT_FATAL);
            }
            let refs: Vec<&parallax_core::Article> = articles.iter().collect();
            let analysis = parallax_core::corpus::analyze_story(&members, &refs, None);
            let owned = articles;
            parallax_core::corpus::assemble(owned, vec![analysis])
        }
    };
    crate::render_report(&report, format, output, color)?;
    Ok(EXIT_OK)
}

/// `parallax search`: full-text search with snippets.
pub fn search_cmd(db: Option<String>, q: SearchQuery, format: ListFormat) -> Result<u8> {
    let store = open_existing(db)?;
    let hits = match store.search(&q) {
        Ok(h) => h,
        Err(parallax_store::StoreError::Query(m)) => {
            eprintln!("parallax: error: search: {}", crate::inert(&m));
            return Ok(EXIT_FATAL);
        }
        Err(e) => return Err(e.into()),
    };
    let out = match format {
        ListFormat::Json => {
            let plain: Vec<serde_json::Value> = hits
                .iter()
                .map(|h| {
                    let mut v = serde_json::to_value(h).unwrap_or_default();
                    v["snippet"] = serde_json::Value::String(unmark(&h.snippet, "", ""));
                    v["snippet_marked"] = serde_json::Value::String(unmark(&h.snippet, "[", "]"));
                    v
                })
                .collect();
            serde_json::to_string_pretty(&plain)? + "\n"
        }
        ListFormat::Text => {
            let bold = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let (a, b) = if bold {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("[", "]")
            };
            let mut s = String::new();
            if hits.is_empty() {
                s.push_str("no matches\n");
            }
            for h in &hits {
                let where_ = match h.kind {
                    parallax_store::HitKind::Entity => format!(
                        "entity {} in {}",
                        h.entity.as_deref().unwrap_or("?"),
                        h.story.as_deref().unwrap_or("?")
                    ),
                    _ => format!(
                        "{} · {} · {} · {}",
                        h.sentence
                            .as_deref()
                            .or(h.article.as_deref())
                            .unwrap_or("?"),
                        crate::inert(h.outlet.as_deref().unwrap_or("outlet unknown")),
                        h.published
                            .as_deref()
                            .map(|p| &p[..p.len().min(10)])
                            .unwrap_or("undated"),
                        h.story.as_deref().unwrap_or("?"),
                    ),
                };
                s.push_str(&format!(
                    "{}\n    {}\n",
                    where_,
                    unmark(&crate::inert(&h.snippet), a, b)
                ));
            }
            s
        }
    };
    write_output(None, &out)?;
    Ok(EXIT_OK)
}

/// Replaces the store's match marks with `open` and `close`.
fn unmark(s: &str, open: &str, close: &str) -> String {
    s.replace(parallax_store::search::MATCH_START, open)
        .replace(parallax_store::search::MATCH_END, close)
}

/// What `parallax export` writes a row for.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq)]
pub enum ExportWhat {
    /// One row per sentence of each aligned claim (agreed, only in one outlet, conflict, related).
    Claims,
    /// One row per sentence of each article, with its status, source, speaker and loaded terms.
    Sentences,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

/// `parallax export`: flat rows for pandas and spreadsheets (columns in docs/export.md).
pub fn export_cmd(
    db: Option<String>,
    what: ExportWhat,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<u8> {
    let loc = db_location(db.clone())?;
    let store = open_existing(db)?;
    // Exported claims are the stored ones: say so when an older story analysis computed some.
    warn_outdated(&*store, &loc)?;
    let sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut w = RowWriter::new(sink, format);
    let r = match what {
        ExportWhat::Claims => store.for_each_claim_row(&mut |row| w.write(&row)),
        ExportWhat::Sentences => store.for_each_sentence_row(&mut |row| w.write(&row)),
    };
    match r.and_then(|_| w.finish()) {
        Ok(()) => Ok(EXIT_OK),
        Err(parallax_store::StoreError::File { message, .. })
            if message.contains("Broken pipe") =>
        {
            Ok(EXIT_OK)
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes serialisable rows as JSON lines or CSV (header from the first row's fields).
struct RowWriter {
    format: ExportFormat,
    json: Option<Box<dyn Write>>,
    csv: Option<csv::Writer<Box<dyn Write>>>,
}

impl RowWriter {
    fn new(sink: Box<dyn Write>, format: ExportFormat) -> Self {
        match format {
            ExportFormat::Jsonl => RowWriter {
                format,
                json: Some(sink),
                csv: None,
            },
            ExportFormat::Csv => RowWriter {
                format,
                json: None,
                csv: Some(csv::Writer::from_writer(sink)),
            },
        }
    }

    fn write<T: serde::Serialize>(&mut self, row: &T) -> parallax_store::Result<()> {
        let err = |e: String| parallax_store::StoreError::File {
            path: "export".into(),
            message: e,
        };
        match self.format {
            ExportFormat::Jsonl => {
                if let Some(w) = self.json.as_mut() {
                    serde_json::to_writer(&mut *w, row).map_err(|e| err(e.to_string()))?;
                    w.write_all(b"\n").map_err(|e| err(e.to_string()))?;
                }
            }
            ExportFormat::Csv => {
                if let Some(w) = self.csv.as_mut() {
                    w.serialize(row).map_err(|e| err(e.to_string()))?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> parallax_store::Result<()> {
        let err = |e: std::io::Error| parallax_store::StoreError::File {
            path: "export".into(),
            message: e.to_string(),
        };
        if let Some(w) = self.json.as_mut() {
            w.flush().map_err(err)?;
        }
        if let Some(w) = self.csv.as_mut() {
            w.flush().map_err(err)?;
        }
        Ok(())
    }
}
