//! `parallax`: the command-line edge. Parses arguments, reads files, runs the core pipeline,
//! writes reports. All analysis lives in `parallax-core`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use parallax_core::{analyze_batch, Options, Report};
use parallax_ingest::{read_paths, IngestOptions, DEFAULT_MAX_BYTES};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod collection;
mod progress;
mod serve;

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
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Colour the text report: auto (when standard output is a terminal and NO_COLOR is
        /// unset), always, never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Print the main text extracted from HTML pages (like the `trafilatura` command).
    Extract {
        /// HTML files.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// `text` prints the main text; `json` adds title, author, date, site, language, URL
        /// and the removed boilerplate.
        #[arg(long, short, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
    },
    /// Score a stage on a public data set (see `parallax eval --help`).
    ///
    /// Tasks and formats: `extract` (Mozilla readability test pages, or the
    /// article-extraction-benchmark layout), `entities` and `time` (MEANTIME CAT XML; `time`
    /// also reads TempEval-3 .tml), `bias` and `stories` (BASIL).
    Eval {
        #[arg(value_enum)]
        task: EvalTask,
        /// Folder holding the data set.
        dir: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Measure throughput of the lexical pipeline (decode, clean, segment, annotate) on
    /// articles; prints words per second.
    Bench {
        /// Files or folders with articles (default: examples/articles).
        paths: Vec<PathBuf>,
        /// Repeat the corpus this many times.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Print the JSON Schema of the `--format json` report.
    Schema,
    /// Add articles to the collection store, analysing only what is new.
    ///
    /// Reads what `analyze` reads. Each article is stored once (its id comes from its
    /// canonical URL or its content), in its own transaction: an interrupted run (Ctrl-C, a
    /// crash) keeps what it stored, and running the same command again finishes the job.
    /// The stories that gained articles are then recomputed. The store is one SQLite file:
    /// `--db`, else $PARALLAX_DB, else parallax.db in the user's data directory.
    Ingest {
        /// Files or folders to read.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
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
    /// The store file [default: $PARALLAX_DB, else parallax.db in the user's data directory].
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("parallax: error: {e:#}");
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
            color,
        } => analyze_cmd(
            &paths,
            format.unwrap_or(Format::Text),
            output.as_deref(),
            max_bytes,
            color,
        ),
        Command::Extract { pages, format } => extract_cmd(&pages, format),
        Command::Eval { task, dir, json } => eval_cmd(task, &dir, json),
        Command::Bench { paths, rounds } => {
            write_output(None, &bench::run(&paths, rounds)?)?;
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
            max_bytes,
        } => collection::ingest_cmd(db.db, &sources, max_bytes),
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
    }
}

fn analyze_cmd(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    max_bytes: u64,
    color: ColorChoice,
) -> Result<u8> {
    let bars = progress::Bars::new();
    let (inputs, failed) = read_inputs(paths, max_bytes, &bars)?;
    let analysis = analyze_batch(inputs, &Options::default(), &bars);
    bars.done();
    for r in &analysis.repeats {
        eprintln!(
            "parallax: note {}: the same article as {}, analysed once",
            inert(&r.source),
            inert(&r.first)
        );
    }
    render_report(&analysis.report, format, output, color)?;
    Ok(if failed == 0 {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

/// Reads articles from files and folders, printing one line per bad item on stderr.
/// Returns the inputs and the number of items that could not be read.
pub(crate) fn read_inputs(
    paths: &[PathBuf],
    max_bytes: u64,
    bars: &progress::Bars,
) -> Result<(Vec<parallax_core::ArticleInput>, usize)> {
    for p in paths {
        if !p.exists() {
            bail!(
                "{}: no such file or folder",
                inert(&p.display().to_string())
            );
        }
    }
    let (files, _) = parallax_ingest::list_files(paths);
    bars.begin("reading", "files", files.len() as u64);
    let ingested = read_paths(paths, &IngestOptions { max_bytes }, |_| bars.inc());
    bars.done();
    for e in &ingested.errors {
        let what = if e.is_note() { "note" } else { "skipped" };
        eprintln!("parallax: {what} {}", inert(&e.to_string()));
    }
    let failed = ingested.errors.iter().filter(|e| !e.is_note()).count();
    if ingested.inputs.is_empty() {
        bail!("no article could be read from {}", display_paths(paths));
    }
    Ok((ingested.inputs, failed))
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

/// Text made safe for a terminal: control characters (C0, C1, DEL; ESC and BEL among them)
/// become visible escapes, so a title or file name cannot move the cursor or retitle the
/// terminal, and a newline cannot forge a line of output.
pub(crate) fn inert(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn extract_cmd(pages: &[PathBuf], format: ExtractFormat) -> Result<u8> {
    let mut failed = false;
    let mut out = String::new();
    for page in pages {
        let bytes = match std::fs::read(page) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("parallax: skipped {}: cannot read: {e}", page.display());
                failed = true;
                continue;
            }
        };
        let html = match parallax_ingest::decode::decode(&bytes, None) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("parallax: skipped {}: {e}", page.display());
                failed = true;
                continue;
            }
        };
        let ex = parallax_ingest::html::extract(&html, None);
        match format {
            ExtractFormat::Text => {
                out.push_str(ex.text.trim_end());
                out.push('\n');
            }
            ExtractFormat::Json => {
                let v = serde_json::json!({
                    "source": page.display().to_string(),
                    "title": ex.meta.title,
                    "author": ex.meta.author,
                    "published": ex.meta.published,
                    "outlet": ex.meta.outlet,
                    "language": ex.meta.language,
                    "url": ex.meta.url,
                    "text": ex.text,
                    "boilerplate": ex.boilerplate,
                });
                out.push_str(&serde_json::to_string(&v)?);
                out.push('\n');
            }
        }
    }
    write_output(None, &out)?;
    Ok(if failed { EXIT_SOME_FAILED } else { EXIT_OK })
}

fn eval_cmd(task: EvalTask, dir: &Path, json: bool) -> Result<u8> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let task = match task {
        EvalTask::Extract => parallax_eval::Task::Extract,
        EvalTask::Entities => parallax_eval::Task::Entities,
        EvalTask::Time => parallax_eval::Task::Time,
        EvalTask::Bias => parallax_eval::Task::Bias,
        EvalTask::Stories => parallax_eval::Task::Stories,
    };
    let result = parallax_eval::run(task, dir).with_context(|| format!("eval {}", task.name()))?;
    if json {
        write_output(None, &(serde_json::to_string(&result)? + "\n"))?;
    } else {
        write_output(None, &result.table())?;
    }
    Ok(EXIT_OK)
}

pub(crate) fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display())),
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
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
