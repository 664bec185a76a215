//! Phase one: everything Parallax knows about one article on its own.
//!
//! An [`Article`] is computed once from an [`ArticleInput`] (clean, segment, entities, time,
//! claims, and the features story grouping compares) and never changes afterwards: it depends
//! on the article's text and on [`ANALYZER_VERSION`], nothing else. That is what lets a store
//! keep it, many workers compute it in parallel, and phase two ([`crate::corpus`]) add it to a
//! growing collection without re-reading anything.

use crate::model::{ArticleInput, Document, Mention, TimeExpr};
use crate::pipeline::Options;
use crate::stories::{self, GroupingFeatures};
use crate::{budget, claims, clean, entities, language, time};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Version of the per-article analysis. A stored [`Article`] whose `analyzer` differs is
/// recomputed from its input. Bump the suffix whenever a stage's output changes for the same
/// input (a rule, a lexicon, a model), not only on releases.
pub const ANALYZER_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+a4");

/// Hex digits of the SHA-256 kept in an article id: 64 bits, so two different articles share
/// an id with probability about n²/2⁶⁵ (one in 10⁸ at 600k articles).
const ID_HEX: usize = 16;

/// One analysed article: its annotated document and what the corpus phase needs of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: from the canonical URL when known, else from the content (see [`article_id`]).
    pub id: String,
    /// SHA-256 (hex) of the article's content: its body and title as read.
    pub content_hash: String,
    /// [`ANALYZER_VERSION`] that produced this analysis.
    pub analyzer: String,
    /// The cleaned, segmented and annotated document (claims and framing included).
    pub document: Document,
    /// Names found in the document, before resolution into entities.
    pub mentions: Vec<Mention>,
    /// Time expressions anchored on the article's own date (undated articles are anchored
    /// through their story in phase two).
    pub times: Vec<TimeExpr>,
    /// What story grouping compares: weighted terms, names, day and a MinHash signature.
    pub features: GroupingFeatures,
}

/// SHA-256 (hex) of what identifies an article's content: its body, and the title, outlet
/// and date the source gave (a wire story printed verbatim by two outlets is two articles,
/// which near-duplicate detection then links; the same file read twice is one).
pub fn content_hash(input: &ArticleInput) -> String {
    let mut h = Sha256::new();
    let m = &input.hints;
    for field in [&m.title, &m.outlet, &m.published] {
        h.update(field.as_deref().unwrap_or("").as_bytes());
        h.update([0u8]);
    }
    h.update(input.body.as_bytes());
    hex(&h.finalize())
}

/// The article id: the first 16 hex digits of SHA-256 over `url:<canonical URL>` when the
/// article has one (a page fetched twice, or saved and fetched, is one article), otherwise
/// over `text:<content hash>`.
pub fn article_id(input: &ArticleInput, content_hash: &str) -> String {
    let key = match input.hints.url.as_deref().map(canonical_url) {
        Some(u) if !u.is_empty() => format!("url:{u}"),
        _ => format!("text:{content_hash}"),
    };
    let full = hex(&Sha256::digest(key.as_bytes()));
    full[..ID_HEX].to_string()
}

/// A URL reduced to what names the article: scheme and host lower-cased, fragment, default
/// port and trailing slash dropped, tracking parameters (`utm_*`, `fbclid`, `gclid`) removed.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or("");
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => return url.to_string(),
    };
    let (host_port, path_query) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut host = host_port.to_ascii_lowercase();
    for (s, port) in [("http", ":80"), ("https", ":443")] {
        if scheme == s {
            if let Some(h) = host.strip_suffix(port) {
                host = h.to_string();
            }
        }
    }
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_query, None),
    };
    let path = path.trim_end_matches('/');
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let k = kv.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid")
        })
        .collect();
    let mut out = format!("{scheme}://{host}{path}");
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The per-article stages after cleaning, in order, as named in `Limits::not_computed`.
const ARTICLE_STAGES: [&str; 3] = ["entities", "time", "claims"];

/// Phase one for one article. The input's `id` is replaced by the stable [`article_id`];
/// its `source` (path or URL) is kept as given.
///
/// The stages run within the article's time budget (`opts.budget`): when it runs out, the
/// stage that was running and every later one are left out (their partial results dropped)
/// and named in `document.limits.not_computed`. Cleaning always runs (linear and fast), so
/// the article's text, sentences and grouping features are always there.
pub fn analyze_article(mut input: ArticleInput, opts: &Options) -> Article {
    let hash = content_hash(&input);
    input.id = article_id(&input, &hash);
    let check = opts.budget.as_ref().map(|b| b.start(&input));
    let run = move || {
        let mut document = clean::clean(input);
        let mut mentions = Vec::new();
        let mut times = Vec::new();
        // Articles in another language skip the English-only stages (see `language`).
        if language::english_rules_apply(document.language.as_deref()) {
            let stopped = 'stages: {
                if budget::spent() {
                    break 'stages Some(0);
                }
                mentions = entities::detect(&document);
                if budget::spent() {
                    break 'stages Some(0);
                }
                times = time::tag(&document);
                if budget::spent() {
                    break 'stages Some(1);
                }
                claims::annotate(&mut document, &mentions);
                if budget::spent() {
                    break 'stages Some(2);
                }
                None
            };
            if let Some(k) = stopped {
                if k == 0 {
                    mentions.clear();
                }
                if k <= 1 {
                    times.clear();
                }
                clear_claims(&mut document);
                document.limits.not_computed =
                    ARTICLE_STAGES[k..].iter().map(|s| s.to_string()).collect();
            }
        }
        let features = stories::article_features(&document, &mentions, &times);
        Article {
            id: document.id.clone(),
            content_hash: hash,
            analyzer: ANALYZER_VERSION.to_string(),
            document,
            mentions,
            times,
            features,
        }
    };
    match check {
        Some(check) => budget::within(check, run),
        None => run(),
    }
}

/// Undoes a partly run claims stage.
fn clear_claims(doc: &mut Document) {
    doc.framing = None;
    for s in doc.sentences_mut() {
        s.status = None;
        s.labels.clear();
        s.source = None;
        s.speaker = None;
        s.markers.clear();
        s.loaded.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputKind, Metadata};

    fn analyze_article_plain(i: ArticleInput) -> Article {
        analyze_article(i, &Options::default())
    }

    fn input(body: &str, url: Option<&str>) -> ArticleInput {
        ArticleInput {
            id: "file-stem".into(),
            source: "some/path.txt".into(),
            kind: InputKind::Text,
            body: body.into(),
            hints: Metadata {
                url: url.map(str::to_string),
                ..Metadata::default()
            },
            boilerplate: vec![],
        }
    }

    #[test]
    fn id_is_a_function_of_content_or_url() {
        let a = analyze_article_plain(input("The council met on Monday. It voted.", None));
        let b = analyze_article_plain(input("The council met on Monday. It voted.", None));
        let c = analyze_article_plain(input("The council met on Tuesday. It voted.", None));
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_eq!(a.id.len(), ID_HEX);
        assert_eq!(a.document.id, a.id);
        assert!(a.document.sentences().all(|s| s.id.starts_with(&a.id)));
        assert_eq!(a.document.source, "some/path.txt");
        assert_eq!(a.analyzer, ANALYZER_VERSION);

        let u1 = analyze_article_plain(input(
            "One text.",
            Some("https://News.example/a/?utm_source=x"),
        ));
        let u2 = analyze_article_plain(input("Other text.", Some("https://news.example/a")));
        assert_eq!(u1.id, u2.id, "one canonical URL, one article");
        assert_ne!(u1.content_hash, u2.content_hash);
    }

    #[test]
    fn canonical_urls() {
        assert_eq!(
            canonical_url("HTTPS://Example.COM:443/news/story/?id=3&utm_medium=rss#top"),
            "https://example.com/news/story?id=3"
        );
        assert_eq!(canonical_url("http://a.b:80"), "http://a.b");
        assert_eq!(canonical_url("not a url"), "not a url");
        assert_eq!(canonical_url(""), "");
    }

    #[test]
    fn article_round_trips_through_json() {
        let a = analyze_article_plain(input(
            "Rescue teams evacuated 400 residents of Kessel on Friday, officials said.",
            None,
        ));
        let json = serde_json::to_string(&a).expect("serialises");
        let back: Article = serde_json::from_str(&json).expect("parses");
        assert_eq!(a, back);
    }
}
