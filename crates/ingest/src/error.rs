//! One error type for everything that can go wrong reading one item.

use thiserror::Error;

/// Why one input item (a file, or one record of a JSON/JSONL file) could not be read.
/// Always names the item, so one line on stderr tells the user what to fix.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{item}: {kind}")]
pub struct IngestError {
    /// Path, with `:LINE` for a JSONL record or `#N` for an element of a JSON array.
    pub item: String,
    pub kind: ErrorKind,
    /// Found while walking a folder rather than named by the user (special files there are
    /// skipped with a note).
    pub in_folder: bool,
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum ErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("file is empty")]
    Empty,
    #[error("no text left after cleaning")]
    NoText,
    #[error("looks like a binary file, not text ({0})")]
    Binary(String),
    #[error("file is {size} bytes, over the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    /// A stream (a decompressed page, a growing file) that went on past the limit.
    #[error("more than {limit} bytes, over the limit (raise it with --max-bytes)")]
    TooLargeOpen { limit: u64 },
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("JSON record has no `text` or `html` field (nor body/content)")]
    MissingText,
    #[error("unsupported file type `{0}` (use .txt, .md, .html, .htm, .json, .jsonl)")]
    Unsupported(String),
    #[error("HTML page has no extractable main text")]
    NoMainText,
    /// Not a failure: the file is readable but is not an article (skipped with a note).
    #[error("not an article: {0}")]
    NotArticle(String),
    /// Not a failure: files skipped on purpose, counted in one note (unsupported types).
    #[error("{0}")]
    Skipped(String),
    /// Not a failure: UTF-8 text with a few bad bytes, read as UTF-8 (a note).
    #[error("{0} invalid UTF-8 byte sequence(s) replaced with U+FFFD; the rest read as UTF-8")]
    InvalidUtf8(usize),
    #[error("the JSON array holds no records")]
    NoRecords,
    /// A FIFO, device or socket: reading it could block for ever or never end.
    #[error("not a regular file ({0}); only files and folders are read")]
    NotRegular(String),
    #[error("no such file or folder")]
    Missing,
}

impl IngestError {
    /// True for notes rather than failures: items skipped on purpose (not articles, special
    /// files inside a folder) and text read with repairs.
    pub fn is_note(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::NotArticle(_) | ErrorKind::Skipped(_) | ErrorKind::InvalidUtf8(_)
        ) || self.in_folder
    }

    pub fn new(item: impl Into<String>, kind: ErrorKind) -> Self {
        IngestError {
            item: item.into(),
            kind,
            in_folder: false,
        }
    }
}
