//! SOURCE arguments: what each one is, decided from its spelling (and, for URLs, later from
//! what the server sends).

use crate::error::{Reason, SourceError};
use std::path::PathBuf;

/// One SOURCE argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file or folder, read exactly as `parallax analyze` reads it (folders recursively).
    Path(PathBuf),
    /// Standard input (`-`): HTML, JSON/JSONL, an RSS/Atom feed or plain text, by content.
    Stdin,
    /// A WARC archive (`.warc`, `.warc.gz`): its HTML response records.
    Warc(PathBuf),
    /// An RSS/Atom feed file (`.rss`, `.atom`, `.xml`): each entry's link is fetched.
    FeedFile(PathBuf),
    /// An http(s) URL: a feed when the server sends one, else an article page.
    Url(String),
}

impl Source {
    /// Reads one SOURCE argument. Paths must exist; URLs must be absolute http(s).
    pub fn parse(arg: &str) -> Result<Source, SourceError> {
        let bad = |r| Err(SourceError::new(arg, r));
        if arg == "-" {
            return Ok(Source::Stdin);
        }
        if arg.trim().is_empty() {
            return bad(Reason::BadSource("empty argument".into()));
        }
        if let Some((scheme, _)) = arg.split_once("://") {
            if scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
            {
                return match crate::fetch::parse_http_url(arg) {
                    Ok(u) => Ok(Source::Url(u.to_string())),
                    Err(r) => bad(r),
                };
            }
        }
        let path = PathBuf::from(arg);
        if !path.exists() {
            return bad(Reason::BadSource("no such file, folder or URL".into()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if path.is_file() {
            if name.ends_with(".warc") || name.ends_with(".warc.gz") {
                return Ok(Source::Warc(path));
            }
            if [".rss", ".atom", ".xml"].iter().any(|e| name.ends_with(e)) {
                return Ok(Source::FeedFile(path));
            }
        }
        Ok(Source::Path(path))
    }

    /// The argument as the user would write it (for messages and provenance).
    pub fn display(&self) -> String {
        match self {
            Source::Path(p) | Source::Warc(p) | Source::FeedFile(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let w = dir.path().join("crawl.WARC.gz");
        let f = dir.path().join("news.rss");
        let t = dir.path().join("a.txt");
        for p in [&w, &f, &t] {
            std::fs::write(p, "x").unwrap();
        }
        let s = |p: &std::path::Path| Source::parse(p.to_str().unwrap()).unwrap();
        assert_eq!(s(&w), Source::Warc(w.clone()));
        assert_eq!(s(&f), Source::FeedFile(f.clone()));
        assert_eq!(s(&t), Source::Path(t.clone()));
        assert_eq!(s(dir.path()), Source::Path(dir.path().to_path_buf()));
        assert_eq!(Source::parse("-").unwrap(), Source::Stdin);
        assert_eq!(
            Source::parse("https://example.org/a").unwrap(),
            Source::Url("https://example.org/a".into())
        );
    }

    #[test]
    fn bad_arguments_name_themselves() {
        for arg in ["", "ftp://example.org/x", "/no/such/thing", "http://"] {
            let e = Source::parse(arg).unwrap_err();
            assert_eq!(e.item, arg);
        }
    }
}
