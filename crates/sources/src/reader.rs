//! The reader: each source to articles, streamed to a callback.

use crate::error::{Reason, SourceError};
use crate::feed::{self, Entry};
use crate::fetch::Fetcher;
use crate::page::{self, BodyKind};
use crate::{files, ids, warc, Item, Provenance, Source, SourceOptions, SourcedArticle, Via};
use parallax_core::{ArticleInput, Metadata};
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Counts of what a run delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    /// Items that failed (not counting notes).
    pub failed: usize,
    pub notes: usize,
    /// The cancel flag stopped the run before every source was read.
    pub cancelled: bool,
}

/// Reads sources one after another. Keeps what must outlive one source: the HTTP client,
/// robots.txt rules and rate-limit clocks per host, and the ids handed out (an id that would
/// repeat gets its source instead, as `analyze` does for files sharing a stem).
pub struct Reader {
    opts: SourceOptions,
    fetcher: Option<Fetcher>,
    ids: HashSet<String>,
    summary: Summary,
}

/// Reads every source in order, calling `on_item` for each article and each failed item.
/// Stops between articles when `cancel` is set.
pub fn read_sources(
    sources: &[Source],
    opts: &SourceOptions,
    cancel: &AtomicBool,
    mut on_item: impl FnMut(Item),
) -> Summary {
    let mut reader = Reader::new(opts.clone());
    for s in sources {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        reader.read(s, cancel, &mut on_item);
    }
    reader.finish(cancel)
}

/// Where an entry handler sends what it finds; counts as it goes.
struct Sink<'a> {
    on_item: &'a mut dyn FnMut(Item),
    summary: &'a mut Summary,
}

impl Sink<'_> {
    fn article(&mut self, input: ArticleInput, provenance: Provenance) {
        self.summary.articles += 1;
        (self.on_item)(Item::Article(Box::new(SourcedArticle {
            input,
            provenance,
        })));
    }

    fn problem(&mut self, e: SourceError) {
        if e.is_note() {
            self.summary.notes += 1;
        } else {
            self.summary.failed += 1;
        }
        (self.on_item)(Item::Error(e));
    }
}

impl Reader {
    pub fn new(opts: SourceOptions) -> Reader {
        Reader {
            opts,
            fetcher: None,
            ids: HashSet::new(),
            summary: Summary::default(),
        }
    }

    /// What has been delivered so far, with `cancelled` set from the flag.
    pub fn finish(&self, cancel: &AtomicBool) -> Summary {
        Summary {
            cancelled: cancel.load(Ordering::Relaxed),
            ..self.summary
        }
    }

    /// Reads one source, calling `on_item` for each article and each failed item.
    pub fn read(&mut self, source: &Source, cancel: &AtomicBool, on_item: &mut dyn FnMut(Item)) {
        let arg = source.display();
        match source {
            Source::Path(p) => self.read_path(p, &arg, cancel, on_item),
            Source::Stdin => self.read_stdin(std::io::stdin().lock(), cancel, on_item),
            Source::Warc(p) => self.read_warc(p, &arg, cancel, on_item),
            Source::FeedFile(p) => match std::fs::read(p) {
                Ok(bytes) if bytes.len() as u64 > self.opts.max_bytes => self.problem(
                    on_item,
                    SourceError::new(
                        &arg,
                        Reason::Ingest(parallax_ingest::ErrorKind::TooLarge {
                            size: bytes.len() as u64,
                            limit: self.opts.max_bytes,
                        }),
                    ),
                ),
                Ok(bytes) => {
                    self.read_feed_bytes(&arg, &bytes, None, cancel, on_item, &mut |_| true);
                }
                Err(e) => self.problem(
                    on_item,
                    SourceError::new(
                        &arg,
                        Reason::Ingest(parallax_ingest::ErrorKind::Io(e.to_string())),
                    ),
                ),
            },
            Source::Url(u) => self.read_url(u, cancel, on_item),
        }
    }

    /// Standard input (or any reader standing in for it).
    pub fn read_stdin(
        &mut self,
        input: impl std::io::Read,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
    ) {
        match files::read_stdin(input, self.opts.max_bytes) {
            files::StdinContent::Feed(bytes) => {
                self.read_feed_bytes("-", &bytes, None, cancel, on_item, &mut |_| true);
            }
            files::StdinContent::Articles(good, bad) => {
                for e in bad {
                    self.problem(on_item, e);
                }
                for a in good {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let prov = local("-", Via::Stdin, &a);
                    self.deliver(on_item, a, prov);
                }
            }
        }
    }

    fn read_path(
        &mut self,
        path: &Path,
        arg: &str,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
    ) {
        let listing = files::list(path);
        for e in &listing.errors {
            self.problem(on_item, e.clone());
        }
        for f in &listing.files {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            let (good, bad) = listing.read(f, self.opts.max_bytes);
            for e in bad {
                self.problem(on_item, e);
            }
            for a in good {
                let prov = local(arg, Via::File, &a);
                self.deliver(on_item, a, prov);
            }
        }
    }

    fn read_warc(
        &mut self,
        path: &Path,
        arg: &str,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
    ) {
        let limit = self.opts.max_bytes;
        warc::read(path, limit, cancel, &mut |ev| {
            self.warc_event(arg, on_item, ev)
        });
    }

    fn warc_event(&mut self, arg: &str, on_item: &mut dyn FnMut(Item), ev: warc::Event) {
        let p = match ev {
            warc::Event::Problem(e) => return self.problem(on_item, e),
            warc::Event::Page(p) => p,
        };
        let url = p.uri.clone().filter(|u| u.starts_with("http"));
        let id = ids::from_url(url.as_deref().unwrap_or(&p.item));
        let source = url.clone().unwrap_or_else(|| p.item.clone());
        match page::html_article(
            id,
            source,
            &p.body,
            p.charset.as_deref(),
            url.as_deref(),
            Metadata::default(),
        ) {
            Ok(a) => {
                let prov = Provenance {
                    source: arg.to_string(),
                    url: a.hints.url.clone().or(url),
                    fetched_at: p.date,
                    via: Via::Warc,
                    feed: None,
                    note: None,
                };
                self.deliver(on_item, a, prov);
            }
            Err(r) => self.problem(on_item, SourceError::new(p.item, r)),
        }
    }

    fn read_url(&mut self, url: &str, cancel: &AtomicBool, on_item: &mut dyn FnMut(Item)) {
        let fetched = match self.fetcher().and_then(|f| f.get(url, cancel)) {
            Ok(f) => f,
            Err(r) => return self.problem(on_item, SourceError::new(url, r)),
        };
        match page::classify(&fetched.content_type, &fetched.body) {
            BodyKind::Feed => {
                let body = fetched.body;
                let base = fetched.url;
                self.read_feed_bytes(url, &body, Some(&base), cancel, on_item, &mut |_| true);
            }
            _ => match self.page_from(&fetched, Metadata::default()) {
                Ok(a) => {
                    let prov = Provenance {
                        source: url.to_string(),
                        url: a.hints.url.clone().or(Some(fetched.url.clone())),
                        fetched_at: Some(fetched.fetched_at),
                        via: Via::Page,
                        feed: None,
                        note: None,
                    };
                    self.deliver(on_item, a, prov);
                }
                Err(r) => self.problem(on_item, SourceError::new(url, r)),
            },
        }
    }

    /// Reads a feed's entries: each entry's link fetched as a page, the feed's own content
    /// used (and said so) when the page cannot be had. `keep` filters entries (a watcher skips
    /// those it has seen). Returns `None` when the feed itself could not be parsed, else every
    /// entry's key with whether the entry handed on an article (entries skipped by `keep` or
    /// left by a cancel count as not delivered).
    pub(crate) fn read_feed_bytes(
        &mut self,
        feed_name: &str,
        bytes: &[u8],
        base: Option<&str>,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
        keep: &mut dyn FnMut(&Entry) -> bool,
    ) -> Option<Vec<(String, bool)>> {
        let base = base.or_else(|| feed_name.starts_with("http").then_some(feed_name));
        let parsed = match feed::parse(bytes, base) {
            Ok(f) => f,
            Err(r) => {
                self.problem(on_item, SourceError::new(feed_name, r));
                return None;
            }
        };
        let mut handled = Vec::new();
        for entry in &parsed.entries {
            let delivered = keep(entry)
                && !cancel.load(Ordering::Relaxed)
                && self.read_entry(feed_name, parsed.title.as_deref(), entry, cancel, on_item);
            handled.push((entry.key.clone(), delivered));
        }
        Some(handled)
    }

    fn read_entry(
        &mut self,
        feed_name: &str,
        feed_title: Option<&str>,
        entry: &Entry,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
    ) -> bool {
        let item = match &entry.link {
            Some(l) => format!("{feed_name}#{} ({l})", entry.n),
            None => format!("{feed_name}#{}", entry.n),
        };
        let mut known = entry.meta.clone();
        if known.outlet.is_none() {
            known.outlet = feed_title.map(str::to_string);
        }
        let page_failure = match &entry.link {
            Some(link) => {
                let got = self
                    .fetcher()
                    .and_then(|f| f.get(link, cancel))
                    .and_then(|f| self.page_from(&f, known.clone()).map(|a| (a, f)));
                match got {
                    Ok((a, f)) => {
                        let prov = Provenance {
                            source: feed_name.to_string(),
                            url: a.hints.url.clone().or(Some(f.url.clone())),
                            fetched_at: Some(f.fetched_at),
                            via: Via::Page,
                            feed: Some(feed_name.to_string()),
                            note: None,
                        };
                        self.deliver(on_item, a, prov);
                        return true;
                    }
                    Err(r) => r,
                }
            }
            None => Reason::Note("entry has no link".into()),
        };
        if cancel.load(Ordering::Relaxed) {
            return false;
        }
        let Some(content) = &entry.content else {
            self.problem(on_item, SourceError::new(item, page_failure));
            return false;
        };
        let id = ids::from_url(&entry.key);
        let source = entry.link.clone().unwrap_or_else(|| item.clone());
        let article = page::html_article(
            id,
            source,
            content.as_bytes(),
            Some("utf-8"),
            entry.link.as_deref(),
            known,
        );
        match article {
            Ok(a) => {
                let note =
                    format!("page not fetched ({page_failure}): the feed's own text was used");
                self.problem(on_item, SourceError::new(&item, Reason::Note(note.clone())));
                let prov = Provenance {
                    source: feed_name.to_string(),
                    url: entry.link.clone(),
                    fetched_at: None,
                    via: Via::FeedContent,
                    feed: Some(feed_name.to_string()),
                    note: Some(note),
                };
                self.deliver(on_item, a, prov);
                true
            }
            Err(r) => {
                let why = Reason::Feed(format!("{page_failure}; the entry's own text: {r}"));
                self.problem(on_item, SourceError::new(item, why));
                false
            }
        }
    }

    /// The bytes of a feed source (a file, or a URL fetched politely) and its base URL.
    pub(crate) fn feed_bytes(
        &mut self,
        source: &Source,
        cancel: &AtomicBool,
    ) -> Result<(Vec<u8>, Option<String>), Reason> {
        match source {
            Source::Url(u) => {
                let f = self.fetcher()?.get(u, cancel)?;
                Ok((f.body, Some(f.url)))
            }
            Source::FeedFile(p) | Source::Path(p) => {
                let meta = std::fs::metadata(p)
                    .map_err(|e| Reason::Ingest(parallax_ingest::ErrorKind::Io(e.to_string())))?;
                if meta.len() > self.opts.max_bytes {
                    return Err(Reason::Ingest(parallax_ingest::ErrorKind::TooLarge {
                        size: meta.len(),
                        limit: self.opts.max_bytes,
                    }));
                }
                let b = std::fs::read(p)
                    .map_err(|e| Reason::Ingest(parallax_ingest::ErrorKind::Io(e.to_string())))?;
                Ok((b, None))
            }
            other => Err(Reason::BadSource(format!(
                "{} is not a feed (a feed URL or file)",
                other.display()
            ))),
        }
    }

    pub(crate) fn report(&mut self, on_item: &mut dyn FnMut(Item), e: SourceError) {
        self.problem(on_item, e);
    }

    /// A fetched body as an article: HTML pages extracted, plain text read as text.
    fn page_from(
        &self,
        f: &crate::fetch::Fetched,
        known: Metadata,
    ) -> Result<ArticleInput, Reason> {
        let id = ids::from_url(&f.url);
        let known = Metadata {
            url: known.url.clone().or(Some(f.url.clone())),
            ..known
        };
        match page::classify(&f.content_type, &f.body) {
            BodyKind::Html => page::html_article(
                id,
                f.url.clone(),
                &f.body,
                f.charset.as_deref(),
                Some(&f.url),
                known,
            ),
            BodyKind::Text => {
                page::text_article(id, f.url.clone(), &f.body, f.charset.as_deref(), known)
            }
            BodyKind::Feed => Err(Reason::NotPage(format!("{} (a feed)", f.content_type))),
            BodyKind::Other => Err(Reason::NotPage(if f.content_type.is_empty() {
                "unknown".into()
            } else {
                f.content_type.clone()
            })),
        }
    }

    fn fetcher(&mut self) -> Result<&mut Fetcher, Reason> {
        if self.fetcher.is_none() {
            self.fetcher = Some(Fetcher::new(&self.opts)?);
        }
        self.fetcher
            .as_mut()
            .ok_or_else(|| Reason::Network("no HTTP client".into()))
    }

    fn deliver(&mut self, on_item: &mut dyn FnMut(Item), mut a: ArticleInput, prov: Provenance) {
        if !self.ids.insert(a.id.clone()) {
            // The same id again (a page read twice, two files sharing a name across sources):
            // the source names it uniquely enough; a counter settles the rest.
            let mut id = a.source.replace('\\', "/");
            let mut n = 2;
            while self.ids.contains(&id) {
                id = format!("{}~{n}", a.source.replace('\\', "/"));
                n += 1;
            }
            self.ids.insert(id.clone());
            a.id = id;
        }
        Sink {
            on_item,
            summary: &mut self.summary,
        }
        .article(a, prov);
    }

    fn problem(&mut self, on_item: &mut dyn FnMut(Item), e: SourceError) {
        Sink {
            on_item,
            summary: &mut self.summary,
        }
        .problem(e);
    }
}

/// Provenance of a local article: its canonical URL when the file named one.
fn local(arg: &str, via: Via, a: &ArticleInput) -> Provenance {
    Provenance {
        source: arg.to_string(),
        url: a.hints.url.clone(),
        fetched_at: None,
        via,
        feed: None,
        note: None,
    }
}
