//! Parallax ingest: the I/O edge that turns files into [`ArticleInput`]s.
//!
//! [`read_paths`] walks files and folders (recursively, sorted), reads each supported file
//! under a size limit, decodes it ([`decode`]), and parses it by extension ([`formats`]).
//! A bad item yields one [`IngestError`] naming it and never stops the batch. Reading the same
//! files twice gives the same inputs in the same order (ids included).

pub mod decode;
pub mod error;
pub mod formats;
pub mod html;
pub mod lang;

pub use error::{ErrorKind, IngestError};
use parallax_core::ArticleInput;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Default per-file size limit: far above any article, far below what would hurt.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files larger than this are refused with [`ErrorKind::TooLarge`].
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Everything read from a set of paths: the good articles and one error per bad item.
#[derive(Debug, Default)]
pub struct Ingested {
    pub inputs: Vec<ArticleInput>,
    pub errors: Vec<IngestError>,
}

/// File extensions Parallax reads.
pub const EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "json", "jsonl", "ndjson",
];

/// Lists the readable files under `paths` (files as given, folders recursively), sorted and
/// de-duplicated. Unreadable directory entries become errors; files of other types in a
/// folder are counted in one note per folder.
pub fn list_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut unsupported: BTreeMap<String, usize> = BTreeMap::new();
            for entry in walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        if has_supported_extension(e.path()) {
                            files.push(e.into_path());
                        } else {
                            *unsupported.entry(extension_label(e.path())).or_default() += 1;
                        }
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let item = err
                            .path()
                            .map_or_else(|| p.display().to_string(), |x| x.display().to_string());
                        errors.push(IngestError::new(item, ErrorKind::Io(err.to_string())));
                    }
                }
            }
            if let Some(note) = unsupported_note(&unsupported) {
                errors.push(IngestError::new(
                    p.display().to_string(),
                    ErrorKind::Skipped(note),
                ));
            }
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// `.pdf`, or `no extension`, for counting skipped files.
fn extension_label(p: &Path) -> String {
    match p.extension().and_then(|e| e.to_str()) {
        Some(e) => format!(".{}", e.to_ascii_lowercase()),
        None => "no extension".to_string(),
    }
}

/// "3 files of other types skipped (.pdf 2, .png 1)", most frequent first.
fn unsupported_note(counts: &BTreeMap<String, usize>) -> Option<String> {
    let total: usize = counts.values().sum();
    if total == 0 {
        return None;
    }
    let mut by_count: Vec<(&String, &usize)> = counts.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = by_count
        .iter()
        .take(8)
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    let more = if by_count.len() > 8 { ", …" } else { "" };
    Some(format!(
        "{total} file{} of other types skipped ({}{more}; Parallax reads {})",
        if total == 1 { "" } else { "s" },
        shown.join(", "),
        EXTENSIONS
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(" ")
    ))
}

fn has_supported_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads every article under `paths`. Calls `progress` after each file (for progress bars).
pub fn read_paths(
    paths: &[PathBuf],
    opts: &IngestOptions,
    mut progress: impl FnMut(&Path),
) -> Ingested {
    let (files, mut errors) = list_files(paths);
    let mut inputs = Vec::new();
    for f in &files {
        let (mut good, bad) = read_file(f, opts);
        inputs.append(&mut good);
        errors.extend(bad);
        progress(f);
    }
    make_ids_unique(&mut inputs);
    Ingested { inputs, errors }
}

/// Reads one file into zero or more articles (JSON files may hold many).
pub fn read_file(path: &Path, opts: &IngestOptions) -> (Vec<ArticleInput>, Vec<IngestError>) {
    let item = path.display().to_string();
    let bytes = match read_limited(path, opts.max_bytes) {
        Ok(b) => b,
        Err(kind) => return (Vec::new(), vec![IngestError::new(item, kind)]),
    };
    formats::parse(path, &bytes)
}

fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ErrorKind> {
    let file = std::fs::File::open(path).map_err(|e| ErrorKind::Io(e.to_string()))?;
    let meta = file.metadata().map_err(|e| ErrorKind::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(ErrorKind::Io("is a directory".into()));
    }
    if meta.len() > limit {
        return Err(ErrorKind::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ErrorKind::Io(e.to_string()))?;
    if buf.len() as u64 > limit {
        return Err(ErrorKind::TooLarge {
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// Ids are file stems; when two inputs share one, each gets its source path instead so ids
/// stay unique and stable across runs.
fn make_ids_unique(inputs: &mut [ArticleInput]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for i in inputs.iter() {
        *counts.entry(i.id.clone()).or_default() += 1;
    }
    for i in inputs.iter_mut() {
        if counts.get(&i.id).copied().unwrap_or(0) > 1 {
            i.id = i.source.replace('\\', "/");
        }
    }
}
