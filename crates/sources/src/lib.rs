//! Parallax sources: turns SOURCE arguments into articles, one at a time.
//!
//! A [`Source`] is a file or folder (read exactly as `parallax analyze` reads it, through
//! `parallax-ingest`), standard input (`-`), a WARC archive (`.warc`, `.warc.gz`), an RSS/Atom
//! feed (a file, or a URL whose body is a feed), or an article URL. [`Reader::read`] streams
//! each article to a callback as soon as it is read, together with its [`Provenance`]; an
//! item that fails becomes one [`SourceError`] naming it and why, and everything else goes on.
//! A cancel flag (set by Ctrl-C in the binary) is checked between articles and during
//! rate-limit waits, so a stop is clean: no article is half delivered.
//!
//! Fetching is polite ([`fetch`]): a clear user agent, robots.txt honoured per origin, a
//! per-host rate limit, timeouts, a body size cap (the same as `--max-bytes`), and bounded
//! redirects with loop detection. [`watch`] polls feeds from a TOML configuration.

mod error;
mod feed;
mod fetch;
mod files;
mod http;
mod ids;
mod page;
mod reader;
mod source;
mod warc;
pub mod watch;

pub use error::{Reason, SourceError};
pub use reader::{read_sources, Reader, Summary};
pub use source::Source;

use chrono::{DateTime, Utc};
use parallax_core::ArticleInput;
use std::time::Duration;

/// Knobs for reading sources. Defaults are what `parallax ingest` uses.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Largest file, page body, WARC record or standard input accepted (`--max-bytes`).
    pub max_bytes: u64,
    /// Sent with every request; its first token (`parallax`) is matched against robots.txt.
    pub user_agent: String,
    /// At most one request per this interval to each origin (robots.txt `Crawl-delay` may
    /// raise it, up to 30 s).
    pub per_host_interval: Duration,
    pub connect_timeout: Duration,
    /// Longest wait for any single read from the server.
    pub read_timeout: Duration,
    /// Longest time for a whole body, so a slow trickle cannot hold the reader.
    pub total_timeout: Duration,
    /// Redirects followed per request (robots.txt and the rate limit apply to every hop).
    pub max_redirects: usize,
}

/// `parallax/VERSION (+REPOSITORY)`; without a repository URL in the package metadata, a plain
/// description instead.
pub fn default_user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let repo = env!("CARGO_PKG_REPOSITORY");
    if repo.is_empty() {
        format!("parallax/{version} (news comparison; honours robots.txt)")
    } else {
        format!("parallax/{version} (+{repo})")
    }
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            max_bytes: parallax_ingest::DEFAULT_MAX_BYTES,
            user_agent: default_user_agent(),
            per_host_interval: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            max_redirects: 5,
        }
    }
}

/// What a reader hands the callback: an article, or an item that failed (or a note).
#[derive(Debug, Clone)]
pub enum Item {
    Article(Box<SourcedArticle>),
    Error(SourceError),
}

/// One article and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedArticle {
    /// Ready for `parallax_core` (id, source, body, metadata hints, removed boilerplate).
    pub input: ArticleInput,
    pub provenance: Provenance,
}

/// Where an article came from: enough to store it once (canonical URL) and to say when and
/// how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// The SOURCE argument as given (path, `-`, archive, feed or page URL).
    pub source: String,
    /// Canonical URL: the page's `<link rel=canonical>` (or `og:url`), else the URL after
    /// redirects, else the WARC record's target URI or the feed entry's link. `None` for
    /// local files without one.
    pub url: Option<String>,
    /// When the page was fetched (or the WARC record captured); `None` for local files.
    pub fetched_at: Option<DateTime<Utc>>,
    pub via: Via,
    /// The feed an entry came from, when it came from one.
    pub feed: Option<String>,
    /// A fallback taken, e.g. "page not fetched (HTTP status 500): the feed's own text".
    pub note: Option<String>,
}

/// How an article was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A local file (text, Markdown, HTML, JSON/JSONL), as `analyze` reads it.
    File,
    Stdin,
    /// A response record of a WARC archive.
    Warc,
    /// A page fetched over HTTP (an article URL, or a feed entry's link).
    Page,
    /// A feed entry's own content, used when its page could not be fetched.
    FeedContent,
}
