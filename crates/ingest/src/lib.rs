//! Parallax ingest: the I/O edge that turns files into [`ArticleInput`]s.
//!
//! [`read_paths`] walks files and folders (recursively, sorted), reads each supported file
//! under a size limit, decodes it ([`decode`]), and parses it by extension ([`formats`]).
//! A bad item yields one [`IngestError`] naming it and never stops the batch. Reading the same
//! files twice gives the same inputs in the same order (ids included).

pub mod decode;
pub mod error;
pub mod formats;
pub mod front_matter;
pub mod html;
pub mod lang;

pub use error::{ErrorKind, IngestError};
use parallax_core::ArticleInput;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Default per-file size limit (also for decompressed data): far above any article (a long
/// one is 50 KB of text, a heavy page 2 MB of HTML), far below what would hurt. Larger files
/// are refused with a message; `--max-bytes` raises the limit.
pub const DEFAULT_MAX_BYTES: u64 = 5 * 1024 * 1024;

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
/// de-duplicated. Unreadable directory entries become errors; a path that does not exist is an
/// error naming it (the others are still listed); FIFOs, devices and sockets inside a folder
/// are named in a note and never opened (opening a FIFO blocks until someone writes to it);
/// files of other types in a folder are counted in one note per folder.
pub fn list_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        // `metadata` follows links and never opens the file, so it cannot block.
        match std::fs::metadata(p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(IngestError::new(path_text(p), ErrorKind::Missing));
            }
            Ok(m) if m.is_dir() => {
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
                        Ok(e) if !e.file_type().is_dir() => {
                            let mut err = IngestError::new(
                                path_text(e.path()),
                                ErrorKind::NotRegular(special_kind(&e.file_type())),
                            );
                            err.in_folder = true;
                            errors.push(err);
                        }
                        Ok(_) => {}
                        Err(err) => {
                            let item = err.path().map_or_else(|| path_text(p), path_text);
                            errors.push(IngestError::new(item, ErrorKind::Io(err.to_string())));
                        }
                    }
                }
                if let Some(note) = unsupported_note(&unsupported) {
                    errors.push(IngestError::new(path_text(p), ErrorKind::Skipped(note)));
                }
            }
            _ => files.push(p.clone()),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// What kind of special file this is, in words.
fn special_kind(t: &std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO".into();
        }
        if t.is_char_device() {
            return "a character device".into();
        }
        if t.is_block_device() {
            return "a block device".into();
        }
        if t.is_socket() {
            return "a socket".into();
        }
    }
    if t.is_symlink() {
        return "a broken link".into();
    }
    "not a file".into()
}

/// A path as text for messages, ids and the report. Bytes that are not UTF-8 (possible in file
/// names on Unix) are written as `\xNN`, so two names that differ only there stay distinct.
pub fn path_text(p: &Path) -> String {
    os_text(p.as_os_str())
}

/// [`path_text`] for one name.
pub fn os_text(s: &OsStr) -> String {
    if let Some(t) = s.to_str() {
        return t.to_string();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in s.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned()
    }
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
    let item = path_text(path);
    let bytes = match read_bytes(path, opts.max_bytes) {
        Ok(b) => b,
        Err(kind) => return (Vec::new(), vec![IngestError::new(item, kind)]),
    };
    formats::parse(path, &bytes)
}

/// Reads a whole regular file of at most `limit` bytes. Anything else is refused without
/// blocking: a missing path, a folder, a FIFO or device (checked before opening: opening a
/// FIFO waits for a writer, reading `/dev/zero` never ends), a file over the limit.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ErrorKind> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ErrorKind::Missing,
        _ => ErrorKind::Io(e.to_string()),
    })?;
    if meta.is_dir() {
        return Err(ErrorKind::Io("is a directory".into()));
    }
    if !meta.is_file() {
        return Err(ErrorKind::NotRegular(special_kind(&meta.file_type())));
    }
    let file = std::fs::File::open(path).map_err(|e| ErrorKind::Io(e.to_string()))?;
    read_limited(file, meta.len(), limit)
}

/// Reads `reader` to its end, refusing more than `limit` bytes (`size` is what it claims to
/// hold, for the message and the allocation).
pub fn read_limited(reader: impl Read, size: u64, limit: u64) -> Result<Vec<u8>, ErrorKind> {
    if size > limit {
        return Err(ErrorKind::TooLarge { size, limit });
    }
    let mut buf = Vec::with_capacity(size.min(limit) as usize);
    reader
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ErrorKind::Io(e.to_string()))?;
    if buf.len() as u64 > limit {
        return Err(ErrorKind::TooLargeOpen { limit });
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
