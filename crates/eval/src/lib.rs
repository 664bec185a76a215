//! Parallax evaluation: each task reads a public benchmark format, runs the matching stage,
//! and scores it. Every task returns an [`EvalResult`]: printed as a table, or with `--json`
//! as one object `{"task", "dataset", "items", "metrics"}` with metric values in 0..1 (and
//! `counts`, whole numbers such as the number of stories found, for tasks that have them).

pub mod coref;
pub mod meantime;
pub mod metrics;

mod align;
mod allsides;
mod babe;
mod basil;
mod bias;
mod bias_babe;
mod entities;
mod extract;
pub mod paraphrase;
mod read;
pub mod stories;
mod time;
mod time_data;

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    Data { path: String, message: String },
    #[error("{0}: no items in a format this task reads were found")]
    Empty(String),
    /// [`EvalError::Empty`] for a folder whose data set sits one level down (a download
    /// unpacked into a folder of its own): the subfolders are named so the user can pick one.
    #[error(
        "{path}: no items in a format this task reads were found (its subfolders: \
         {subfolders}; give the one that holds the data set)"
    )]
    EmptyWithSubfolders { path: String, subfolders: String },
    #[error("eval task `{0}` is not built yet")]
    NotBuilt(&'static str),
}

impl EvalError {
    pub fn data(path: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        EvalError::Data {
            path: path.as_ref().display().to_string(),
            message: message.to_string(),
        }
    }
}

/// The tasks `parallax eval` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Extract,
    Entities,
    Time,
    Bias,
    Stories,
    Align,
    Paraphrase,
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::Extract => "extract",
            Task::Entities => "entities",
            Task::Time => "time",
            Task::Bias => "bias",
            Task::Stories => "stories",
            Task::Align => "align",
            Task::Paraphrase => "paraphrase",
        }
    }
}

/// One evaluation's outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalResult {
    pub task: String,
    pub dataset: String,
    pub items: usize,
    pub metrics: BTreeMap<String, f64>,
    /// Whole-number results beside the 0..1 metrics (e.g. `stories_found`), when a task has
    /// any; omitted from the JSON when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
}

impl EvalResult {
    /// A readable two-column table.
    pub fn table(&self) -> String {
        let width = self
            .metrics
            .keys()
            .chain(self.counts.keys())
            .map(String::len)
            .max()
            .unwrap_or(6)
            .max(6);
        let mut out = format!(
            "task     {}\ndataset  {}\nitems    {}\n\n",
            self.task, self.dataset, self.items
        );
        out.push_str(&format!("{:<width$}  value\n", "metric"));
        out.push_str(&format!("{}  -----\n", "-".repeat(width)));
        for (k, v) in &self.metrics {
            out.push_str(&format!("{k:<width$}  {v:.4}\n"));
        }
        for (k, v) in &self.counts {
            out.push_str(&format!("{k:<width$}  {v}\n"));
        }
        out
    }
}

/// What a run may use beyond the data: an embedder for the claim-alignment tasks, a file
/// to write their pair features to (for fitting the pair model), and the size cap of data
/// files (and inflated gzip pages).
#[derive(Clone)]
pub struct EvalOptions {
    pub embedder: Option<std::sync::Arc<dyn parallax_core::embed::Embedder>>,
    pub features: Option<std::path::PathBuf>,
    pub max_bytes: u64,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            embedder: None,
            features: None,
            max_bytes: parallax_ingest::DEFAULT_MAX_BYTES,
        }
    }
}

/// Runs `task` on the data set in `dir`, on words only, reading files of at most
/// [`parallax_ingest::DEFAULT_MAX_BYTES`].
pub fn run(task: Task, dir: &Path) -> Result<EvalResult, EvalError> {
    run_with(task, dir, &EvalOptions::default())
}

/// [`run`], refusing data files (and inflated gzip pages) over `max_bytes`.
pub fn run_with_limit(task: Task, dir: &Path, max_bytes: u64) -> Result<EvalResult, EvalError> {
    run_with(
        task,
        dir,
        &EvalOptions {
            max_bytes,
            ..EvalOptions::default()
        },
    )
}

/// Runs `task` on the data set in `dir` with `opts`.
pub fn run_with(task: Task, dir: &Path, opts: &EvalOptions) -> Result<EvalResult, EvalError> {
    read::with_limit(opts.max_bytes, || run_task(task, dir, opts)).map_err(|e| match e {
        EvalError::Empty(path) => match subfolders(dir) {
            Some(subfolders) => EvalError::EmptyWithSubfolders { path, subfolders },
            None => EvalError::Empty(path),
        },
        other => other,
    })
}

/// The names of a folder's visible subfolders, sorted and comma-separated (at most ten, then
/// "..."); `None` when it has none or cannot be read.
fn subfolders(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    let more = names.len() > 10;
    names.truncate(10);
    let mut list = names
        .iter()
        .map(|n| parallax_core::text::inert(n))
        .collect::<Vec<_>>()
        .join(", ");
    if more {
        list.push_str(", ...");
    }
    Some(list)
}

fn run_task(task: Task, dir: &Path, opts: &EvalOptions) -> Result<EvalResult, EvalError> {
    match task {
        Task::Extract => extract::run(dir),
        Task::Entities => entities::run(dir),
        Task::Time => time::run(dir),
        Task::Bias => bias::run(dir),
        Task::Stories => stories::run(dir),
        Task::Align => align::run(dir, opts),
        Task::Paraphrase => paraphrase::run(dir, opts),
    }
}

/// One scored sentence pair for fitting the pair model: gold label, the pair features (in
/// `parallax_core::stories::pair::FEATURES` order) and a group key (story or file:line) so a
/// fitting script can cross-validate by group, and which pair it is (for reading the misses).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureRow {
    pub label: bool,
    pub features: [f64; parallax_core::stories::pair::N_FEATURES],
    pub group: String,
    /// The pair in the data set's own terms (`align`: `article:indices~article:indices`).
    pub pair: String,
}

/// Writes feature rows as TSV with a header line.
pub fn write_features(path: &Path, rows: &[FeatureRow]) -> Result<(), EvalError> {
    let mut out = String::from("label\tgroup\tpair");
    for f in parallax_core::stories::pair::FEATURES {
        out.push('\t');
        out.push_str(f);
    }
    out.push('\n');
    for r in rows {
        out.push_str(if r.label { "1" } else { "0" });
        out.push('\t');
        out.push_str(&r.group.replace(['\t', '\n'], " "));
        out.push('\t');
        out.push_str(&r.pair.replace(['\t', '\n'], " "));
        for x in r.features {
            out.push_str(&format!("\t{x:.6}"));
        }
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| EvalError::data(path, e))
}

/// Files under `dir` (recursively) whose extension is one of `exts` (any file when `exts` is
/// empty), sorted. An unreadable folder is an error naming it.
pub fn files_under(dir: &Path, exts: &[&str]) -> Result<Vec<std::path::PathBuf>, EvalError> {
    fn walk(dir: &Path, exts: &[&str], out: &mut Vec<std::path::PathBuf>) -> Result<(), EvalError> {
        let rd = std::fs::read_dir(dir).map_err(|e| EvalError::data(dir, e))?;
        for entry in rd {
            let p = entry.map_err(|e| EvalError::data(dir, e))?.path();
            if p.is_dir() {
                walk(&p, exts, out)?;
            } else if exts.is_empty()
                || p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| exts.contains(&x))
            {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, exts, &mut out)?;
    out.sort();
    Ok(out)
}

/// The data set's name as reported: the folder's last component.
pub fn dataset_name(dir: &Path) -> String {
    dir.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}
