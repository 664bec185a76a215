//! `parallax`: the command-line edge. Parses arguments, reads files, runs the core pipeline,
//! writes reports. All analysis lives in `parallax-core`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use parallax_core::text::inert;
use parallax_core::{analyze, Options, Report};
use parallax_ingest::{
    path_text, read_paths, ErrorKind, IngestError, IngestOptions, DEFAULT_MAX_BYTES,
};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

mod bench;
mod budget;

/// Default of `--article-timeout`: seconds per MB of an article's text (at least this much).
/// Ordinary text takes well under a second per MB on one core.
const DEFAULT_ARTICLE_SECS: f64 = 5.0;

/// Exit status when every item was read and analysed.
const EXIT_OK: u8 = 0;
/// Exit status when the report was written but some items could not be read.
const EXIT_SOME_FAILED: u8 = 1;
/// Exit status for usage errors and failures that produced no report.
const EXIT_FATAL: u8 = 2;

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
        /// Refuse pages larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
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
        /// Refuse data files larger than this many bytes (gzip pages: once inflated).
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
    },
    /// Measure throughput of the lexical pipeline (decode, clean, segment, annotate) on
    /// articles; prints words per second. With `--hostile`, feed hostile input shapes at
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
        /// Internal: one `--hostile` run (SHAPE:BYTES) in this process.
        #[arg(long, hide = true)]
        run_one: Option<String>,
    },
    /// Print the JSON Schema of the `--format json` report.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Md,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ColorChoice {
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
        } => eval_cmd(task, &dir, json, max_bytes),
        Command::Bench {
            paths,
            rounds,
            max_bytes,
            hostile,
            sizes,
            shapes,
            timeout,
            run_one,
        } => {
            let out = if let Some(spec) = run_one {
                bench::hostile::run_one(&spec)?
            } else if hostile {
                let timeout = std::time::Duration::from_secs(timeout);
                bench::hostile::run(&sizes, &shapes, timeout)?
            } else {
                bench::run(&paths, rounds, max_bytes)?
            };
            write_output(None, &out)?;
            Ok(EXIT_OK)
        }
        Command::Schema => {
            let schema = schemars::schema_for!(Report);
            write_output(None, &(serde_json::to_string_pretty(&schema)? + "\n"))?;
            Ok(EXIT_OK)
        }
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
) -> Result<u8> {
    let (files, _) = parallax_ingest::list_files(paths);
    let bar = progress_bar(files.len() as u64, "reading");
    let ingested = read_paths(paths, ingest, |_| bar.inc(1));
    bar.finish_and_clear();
    for e in &ingested.errors {
        report_item(e);
    }
    let failed = ingested.errors.iter().filter(|e| !e.is_note()).count();
    if ingested.inputs.is_empty() {
        bail!("no article could be read from {}", display_paths(paths));
    }
    let deadline = Arc::new(budget::Deadline {
        secs_per_mb: article_secs,
    });
    let opts = Options {
        budget: Some(deadline.clone()),
    };
    let report = analyze(ingested.inputs, &opts);
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
    }
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let use_color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let rendered = match format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Text => parallax_report::render_text(&report, use_color),
        Format::Md => parallax_report::render_markdown(&report),
        Format::Html => parallax_report::render_html(&report),
    };
    write_output(output, &rendered)?;
    Ok(if failed == 0 && over_budget == 0 {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
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
    let mut out = String::new();
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
                out.push_str(ex.text.trim_end());
                out.push('\n');
            }
            ExtractFormat::Json => {
                let v = serde_json::json!({
                    "source": path_text(page),
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
    if failed == pages.len() {
        bail!("nothing could be extracted from {}", display_paths(pages));
    }
    write_output(None, &out)?;
    Ok(if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}

fn eval_cmd(task: EvalTask, dir: &Path, json: bool, max_bytes: u64) -> Result<u8> {
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
    let result = parallax_eval::run_with_limit(task, dir, max_bytes)
        .with_context(|| format!("eval {}", task.name()))?;
    if json {
        write_output(None, &(serde_json::to_string(&result)? + "\n"))?;
    } else {
        write_output(None, &result.table())?;
    }
    Ok(EXIT_OK)
}

fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
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

/// A progress bar on stderr for long runs on a terminal; hidden otherwise.
pub(crate) fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    if len < 50 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} files ({eta})")
    {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}
