//! Local files and folders (as `parallax analyze` reads them) and standard input.

use crate::error::{Reason, SourceError};
use parallax_core::ArticleInput;
use parallax_ingest::{ErrorKind, IngestOptions};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The files under a path, in the order `analyze` reads them, with notes and errors from the
/// walk, and which of them share a stem (their ids become their paths, as in `analyze`).
pub(crate) struct Listing {
    pub files: Vec<PathBuf>,
    pub errors: Vec<SourceError>,
    shared_stems: HashMap<String, usize>,
}

pub(crate) fn list(path: &Path) -> Listing {
    let (files, errors) = parallax_ingest::list_files(&[path.to_path_buf()]);
    let mut shared_stems: HashMap<String, usize> = HashMap::new();
    for f in &files {
        *shared_stems.entry(stem(f)).or_default() += 1;
    }
    Listing {
        files,
        errors: errors.into_iter().map(SourceError::from).collect(),
        shared_stems,
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Listing {
    /// Reads one listed file into its articles and errors.
    pub fn read(&self, file: &Path, max_bytes: u64) -> (Vec<ArticleInput>, Vec<SourceError>) {
        let (mut good, bad) = parallax_ingest::read_file(file, &IngestOptions { max_bytes });
        if self.shared_stems.get(&stem(file)).copied().unwrap_or(0) > 1 {
            for a in &mut good {
                a.id = a.source.replace('\\', "/");
            }
        }
        (good, bad.into_iter().map(SourceError::from).collect())
    }
}

/// Reads standard input (up to `max_bytes`) and parses it by what it looks like.
pub(crate) enum StdinContent {
    Articles(Vec<ArticleInput>, Vec<SourceError>),
    Feed(Vec<u8>),
}

pub(crate) fn read_stdin(reader: impl Read, max_bytes: u64) -> StdinContent {
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(max_bytes + 1).read_to_end(&mut bytes) {
        return fail(Reason::Ingest(ErrorKind::Io(e.to_string())));
    }
    if bytes.len() as u64 > max_bytes {
        return fail(Reason::Ingest(ErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        }));
    }
    parse_stdin(&bytes)
}

fn fail(r: Reason) -> StdinContent {
    StdinContent::Articles(Vec::new(), vec![SourceError::new("-", r)])
}

/// Standard input has no name, so its format comes from its first bytes: a feed, an HTML
/// page, JSON (one record, an array, or one per line), else text.
pub(crate) fn parse_stdin(bytes: &[u8]) -> StdinContent {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let trimmed = start.trim_start_matches('\u{feff}').trim_start();
    if crate::page::classify("", bytes) == crate::page::BodyKind::Feed {
        return StdinContent::Feed(bytes.to_vec());
    }
    let ext = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "jsonl"
    } else if trimmed.starts_with('<') {
        "html"
    } else {
        "txt"
    };
    // `stdin.EXT` only picks the parser; items are then named `-` (`-:LINE`, `-#N`).
    let pseudo = format!("stdin.{ext}");
    let (mut good, bad) = parallax_ingest::formats::parse(Path::new(&pseudo), bytes);
    for a in &mut good {
        a.source = a.source.replacen(&pseudo, "-", 1);
    }
    let bad = bad
        .into_iter()
        .map(|mut e| {
            e.item = e.item.replacen(&pseudo, "-", 1);
            SourceError::from(e)
        })
        .collect();
    StdinContent::Articles(good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(b: &[u8]) -> (Vec<ArticleInput>, Vec<SourceError>) {
        match parse_stdin(b) {
            StdinContent::Articles(g, e) => (g, e),
            StdinContent::Feed(_) => panic!("not a feed"),
        }
    }

    #[test]
    fn formats_by_content() {
        let (g, _) = articles(b"Harbour reopens\n\nThe harbour reopened on Monday after repairs.");
        assert_eq!(g[0].source, "-");
        assert_eq!(g[0].id, "stdin");
        let (g, e) = articles(b"{\"text\":\"One.\"}\n{bad\n");
        assert_eq!(g[0].source, "-:1");
        assert_eq!(e[0].item, "-:2");
        let (g, _) = articles(b"<html><body><p>A page with some words in it.</p></body></html>");
        assert_eq!(g[0].kind, parallax_core::InputKind::Html);
        assert!(matches!(
            parse_stdin(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>"),
            StdinContent::Feed(_)
        ));
    }

    #[test]
    fn cap_and_empty() {
        let (g, e) = match read_stdin(&b"0123456789"[..], 5) {
            StdinContent::Articles(g, e) => (g, e),
            StdinContent::Feed(_) => panic!(),
        };
        assert!(g.is_empty());
        assert_eq!(e[0].item, "-");
        let (g, e) = articles(b"");
        assert!(g.is_empty() && e.len() == 1);
    }
}
