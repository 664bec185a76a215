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
}

impl IngestError {
    /// True for items that were skipped on purpose (not articles) rather than failed.
    pub fn is_note(&self) -> bool {
        matches!(self.kind, ErrorKind::NotArticle(_) | ErrorKind::Skipped(_))
    }

    pub fn new(item: impl Into<String>, kind: ErrorKind) -> Self {
        IngestError {
            item: item.into(),
            kind,
        }
    }
}
