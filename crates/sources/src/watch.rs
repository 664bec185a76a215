//! `--watch`: poll the feeds of a small TOML configuration, each at its own interval, and
//! hand on entries not seen before (format in docs/watch.md).
//!
//! Entries are remembered by their link (else their guid/id) for as long as the feed lists
//! them, so memory stays bounded by the feeds' own lengths; the store also deduplicates by
//! content hash and canonical URL, so an entry seen again after a restart is stored once. An
//! entry whose page and feed text both failed is tried again at the next polls, up to
//! [`MAX_ATTEMPTS`] times.

use crate::error::{Reason, SourceError};
use crate::{Item, Reader, Source, SourceOptions, Summary};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Default polling interval for feeds that set none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// Shortest interval accepted: polling a feed more often than this is impolite.
pub const MIN_INTERVAL: Duration = Duration::from_secs(60);
/// Polls an entry is tried before it is given up.
pub const MAX_ATTEMPTS: u32 = 3;

/// A parsed watch configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchConfig {
    pub feeds: Vec<FeedConfig>,
}

/// One watched feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    /// A feed URL or a feed file.
    pub source: Source,
    pub interval: Duration,
    /// A label for messages (default: the URL).
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    interval: Option<String>,
    #[serde(default)]
    feed: Vec<RawFeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: String,
    interval: Option<String>,
    name: Option<String>,
}

/// Reads a configuration file; errors name the file and the key.
pub fn load_config(path: &Path) -> Result<WatchConfig, SourceError> {
    let item = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        SourceError::new(
            &item,
            Reason::Ingest(parallax_ingest::ErrorKind::Io(e.to_string())),
        )
    })?;
    parse_config(&text).map_err(|why| SourceError::new(item, Reason::Config(why)))
}

/// Parses a configuration; the error names the key at fault (`feed[2].interval`).
pub fn parse_config(text: &str) -> Result<WatchConfig, String> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        // toml's message already names the line, column and (for serde errors) the key.
        e.to_string().trim_end().replace('\n', " ")
    })?;
    let default = match &raw.interval {
        Some(s) => parse_interval(s).map_err(|e| format!("interval: {e}"))?,
        None => DEFAULT_INTERVAL,
    };
    if raw.feed.is_empty() {
        return Err("no [[feed]] entries: add one with `url = \"…\"`".into());
    }
    let mut feeds = Vec::new();
    let mut urls = HashSet::new();
    for (i, f) in raw.feed.iter().enumerate() {
        let key = format!("feed[{}]", i + 1);
        let source = match Source::parse(f.url.trim()) {
            Ok(s @ (Source::Url(_) | Source::FeedFile(_))) => s,
            Ok(Source::Path(p)) if p.is_file() => Source::FeedFile(p),
            Ok(_) => {
                return Err(format!(
                    "{key}.url: `{}` is not a feed URL or feed file",
                    f.url
                ))
            }
            Err(e) => return Err(format!("{key}.url: {}", e.reason)),
        };
        if !urls.insert(source.display()) {
            return Err(format!("{key}.url: `{}` is listed twice", f.url));
        }
        let interval = match &f.interval {
            Some(s) => parse_interval(s).map_err(|e| format!("{key}.interval: {e}"))?,
            None => default,
        };
        feeds.push(FeedConfig {
            source,
            interval,
            name: f.name.clone().filter(|n| !n.trim().is_empty()),
        });
    }
    Ok(WatchConfig { feeds })
}

/// `"90s"`, `"15m"`, `"1h30m"`, `"2d"`; at least [`MIN_INTERVAL`].
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let mut total = 0u64;
    let mut num = String::new();
    let mut any = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            ' ' if num.is_empty() => continue,
            _ => {
                return Err(format!(
                    "`{s}` is not a duration (use e.g. 90s, 15m, 1h30m, 1d)"
                ))
            }
        };
        let n: u64 = num
            .parse()
            .map_err(|_| format!("`{s}` is not a duration (a number must come before `{c}`)"))?;
        total = total.saturating_add(n.saturating_mul(unit));
        num.clear();
        any = true;
    }
    if !num.is_empty() || !any {
        return Err(format!(
            "`{s}` is not a duration (use e.g. 90s, 15m, 1h30m, 1d; the unit is required)"
        ));
    }
    let d = Duration::from_secs(total);
    if d < MIN_INTERVAL {
        return Err(format!("`{s}` is below the minimum of 1m"));
    }
    Ok(d)
}

/// Polls the feeds of a configuration; keeps what was seen and when each feed is due.
pub struct Watcher {
    reader: Reader,
    feeds: Vec<Watched>,
}

struct Watched {
    config: FeedConfig,
    due: Instant,
    /// Keys delivered (or given up) that the feed still lists.
    seen: HashSet<String>,
    attempts: HashMap<String, u32>,
}

impl Watcher {
    /// Every feed is due at once.
    pub fn new(config: WatchConfig, opts: SourceOptions) -> Watcher {
        let now = Instant::now();
        Watcher {
            reader: Reader::new(opts),
            feeds: config
                .feeds
                .into_iter()
                .map(|config| Watched {
                    config,
                    due: now,
                    seen: HashSet::new(),
                    attempts: HashMap::new(),
                })
                .collect(),
        }
    }

    /// Marks an entry key (its link or guid) as already had, e.g. from a store of earlier runs.
    pub fn mark_seen(&mut self, key: &str) {
        for f in &mut self.feeds {
            f.seen.insert(key.to_string());
        }
    }

    /// When the next feed is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.feeds.iter().map(|f| f.due).min()
    }

    /// Polls every feed that is due at `now` (all of them with `force`), handing new entries
    /// to `on_item`. Returns how many articles were handed on.
    pub fn poll(
        &mut self,
        now: Instant,
        force: bool,
        cancel: &AtomicBool,
        on_item: &mut dyn FnMut(Item),
    ) -> usize {
        let before = self.reader.finish(cancel).articles;
        for i in 0..self.feeds.len() {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            if !force && self.feeds[i].due > now {
                continue;
            }
            self.poll_one(i, cancel, on_item);
            let f = &mut self.feeds[i];
            f.due = Instant::now() + f.config.interval;
        }
        self.reader.finish(cancel).articles - before
    }

    fn poll_one(&mut self, i: usize, cancel: &AtomicBool, on_item: &mut dyn FnMut(Item)) {
        let source = self.feeds[i].config.source.clone();
        let name = self.feeds[i]
            .config
            .name
            .clone()
            .unwrap_or_else(|| source.display());
        let (bytes, base) = match self.reader.feed_bytes(&source, cancel) {
            Ok(x) => x,
            Err(r) => return self.reader.report(on_item, SourceError::new(name, r)),
        };
        let seen = std::mem::take(&mut self.feeds[i].seen);
        let handled = self.reader.read_feed_bytes(
            &name,
            &bytes,
            base.as_deref(),
            cancel,
            on_item,
            &mut |e| !seen.contains(&e.key),
        );
        let f = &mut self.feeds[i];
        let Some(handled) = handled else {
            f.seen = seen;
            return;
        };
        // Keep only keys the feed still lists (bounded memory); add what was delivered now;
        // count failures and give up after MAX_ATTEMPTS polls.
        let mut next = HashSet::new();
        for (key, delivered) in handled {
            if seen.contains(&key) || delivered {
                f.attempts.remove(&key);
                next.insert(key);
            } else if !cancel.load(Ordering::Relaxed) {
                let n = f.attempts.entry(key.clone()).or_default();
                *n += 1;
                if *n >= MAX_ATTEMPTS {
                    f.attempts.remove(&key);
                    next.insert(key);
                }
            }
        }
        f.seen = next;
    }

    /// What the reader has delivered so far.
    pub fn summary(&self, cancel: &AtomicBool) -> Summary {
        self.reader.finish(cancel)
    }
}

/// Watches until `cancel` is set: polls each feed when due, sleeping in between (waking every
/// 100 ms to look at the flag).
pub fn watch(
    config: WatchConfig,
    opts: &SourceOptions,
    cancel: &AtomicBool,
    mut on_item: impl FnMut(Item),
) -> Summary {
    let mut w = Watcher::new(config, opts.clone());
    while !cancel.load(Ordering::Relaxed) {
        w.poll(Instant::now(), false, cancel, &mut on_item);
        let Some(due) = w.next_due() else { break };
        while !cancel.load(Ordering::Relaxed) && Instant::now() < due {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    w.summary(cancel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_interval(" 2d "), Ok(Duration::from_secs(172_800)));
        assert_eq!(parse_interval("90s"), Ok(Duration::from_secs(90)));
        for bad in ["", "15", "m", "5s", "1x", "1.5h", "-3m"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
        assert!(parse_interval("5s").unwrap_err().contains("minimum"));
    }

    #[test]
    fn config_with_defaults() {
        let c = parse_config(
            "interval = \"30m\"\n\n[[feed]]\nurl = \"https://a.example/rss\"\n\n\
             [[feed]]\nurl = \"https://b.example/atom\"\ninterval = \"2h\"\nname = \"B\"\n",
        )
        .unwrap();
        assert_eq!(c.feeds.len(), 2);
        assert_eq!(c.feeds[0].interval, Duration::from_secs(1800));
        assert_eq!(c.feeds[1].interval, Duration::from_secs(7200));
        assert_eq!(c.feeds[1].name.as_deref(), Some("B"));
        let d = parse_config("[[feed]]\nurl = \"https://a.example/rss\"\n").unwrap();
        assert_eq!(d.feeds[0].interval, DEFAULT_INTERVAL);
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (
                "[[feed]]\nurl = \"https://a.example/\"\ninterval = \"soon\"\n",
                "feed[1].interval",
            ),
            (
                "[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"ftp://x\"\n",
                "feed[2].url",
            ),
            (
                "[[feed]]\nurl = \"https://a.example/\"\nintervall = \"1h\"\n",
                "intervall",
            ),
            ("[[feed]]\ninterval = \"1h\"\n", "url"),
            (
                "interval = 5\n[[feed]]\nurl = \"https://a.example/\"\n",
                "interval",
            ),
            ("", "[[feed]]"),
            (
                "[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n",
                "twice",
            ),
            ("[[feed]\nurl=", "line 1"),
        ];
        for (text, key) in cases {
            let e = parse_config(text).unwrap_err();
            assert!(e.contains(key), "{text:?}: {e}");
        }
    }
}
