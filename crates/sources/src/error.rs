//! One error type for everything that can go wrong reading one item of a source.

use parallax_ingest::ErrorKind;
use thiserror::Error;

/// Why one item (a file, a URL, a feed entry, a WARC record) could not be read, or a note
/// about items skipped on purpose. Always names the item, so one line on stderr says what to
/// fix; the other items of the same source go on.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{item}: {reason}")]
pub struct SourceError {
    /// The item: a path (`:LINE` / `#N` for records), a URL, `FEED#N (LINK)` for a feed
    /// entry, `ARCHIVE.warc#N (URI)` for a WARC record, `-` for standard input.
    pub item: String,
    pub reason: Reason,
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum Reason {
    /// Reading or parsing a file, page or record (the same reasons `analyze` gives).
    #[error("{0}")]
    Ingest(ErrorKind),
    #[error("not a source: {0}")]
    BadSource(String),
    #[error("invalid URL: {0}")]
    BadUrl(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("network error: {0}")]
    Network(String),
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("body is over the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { limit: u64 },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("redirect loop back to {0}")]
    RedirectLoop(String),
    #[error("disallowed by robots.txt")]
    Robots,
    #[error("robots.txt unavailable ({0}); not fetching")]
    RobotsUnavailable(String),
    #[error("not an article page (content type `{0}`)")]
    NotPage(String),
    #[error("malformed feed: {0}")]
    Feed(String),
    #[error("malformed WARC archive: {0}")]
    Warc(String),
    #[error("invalid watch configuration: {0}")]
    Config(String),
    /// Not a failure: items skipped on purpose, or a fallback taken (feed content used).
    #[error("{0}")]
    Note(String),
}

impl SourceError {
    pub fn new(item: impl Into<String>, reason: Reason) -> Self {
        SourceError {
            item: item.into(),
            reason,
        }
    }

    /// True for notes (items skipped on purpose, fallbacks taken) rather than failures.
    pub fn is_note(&self) -> bool {
        match &self.reason {
            Reason::Note(_) => true,
            Reason::Ingest(k) => matches!(k, ErrorKind::NotArticle(_) | ErrorKind::Skipped(_)),
            _ => false,
        }
    }
}

impl From<parallax_ingest::IngestError> for SourceError {
    fn from(e: parallax_ingest::IngestError) -> Self {
        SourceError::new(e.item, Reason::Ingest(e.kind))
    }
}
