//! Polite HTTP: one client, robots.txt per host, a per-host rate limit, manual redirects with
//! loop detection, timeouts and a body size cap.
//!
//! **Why blocking and sequential.** Every request to a host waits for that host's rate limit
//! (default one request per second), and feeds point almost entirely at their own site, so
//! concurrent fetching would mostly wait on the same host's clock; the consumer (analysis and a
//! store commit per article) costs more CPU than fetching. A blocking client keeps the callback
//! API plain (no async runtime in the caller's code, cancel checks between articles) and the
//! order of items deterministic. `reqwest::blocking` runs one small internal runtime thread.

mod rate;
mod robots;

use crate::error::Reason;
use crate::SourceOptions;
use chrono::{DateTime, Utc};
use rate::RateLimiter;
use reqwest::blocking::Client;
use robots::RobotsCache;
use std::io::Read;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use url::Url;

/// A fetched body and what the server said about it.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The URL after redirects.
    pub url: String,
    /// `Content-Type` without parameters, lower-case (empty when missing).
    pub content_type: String,
    /// `charset=` of the `Content-Type` header.
    pub charset: Option<String>,
    pub body: Vec<u8>,
    pub fetched_at: DateTime<Utc>,
}

pub(crate) struct Fetcher {
    client: Client,
    opts: SourceOptions,
    robots: RobotsCache,
    rate: RateLimiter,
}

impl Fetcher {
    pub fn new(opts: &SourceOptions) -> Result<Fetcher, Reason> {
        let client = Client::builder()
            .user_agent(opts.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.read_timeout)
            .no_proxy()
            .build()
            .map_err(|e| Reason::Network(error_chain(&e)))?;
        Ok(Fetcher {
            client,
            opts: opts.clone(),
            robots: RobotsCache::default(),
            rate: RateLimiter::new(opts.per_host_interval),
        })
    }

    /// Fetches `url` politely: robots.txt checked for every hop, the host's rate limit
    /// honoured, redirects followed up to the limit, the body read up to `max_bytes`.
    pub fn get(&mut self, url: &str, cancel: &AtomicBool) -> Result<Fetched, Reason> {
        let mut current = parse_http_url(url)?;
        let mut seen = vec![current.to_string()];
        for _hop in 0..=self.opts.max_redirects {
            self.check_robots(&current, cancel)?;
            let resp = self.request(&current, cancel)?;
            let status = resp.status();
            if status.is_redirection() {
                let location = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or(Reason::Status(status.as_u16()))?;
                let next = current
                    .join(location)
                    .map_err(|e| Reason::BadUrl(format!("{location}: {e}")))?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(Reason::BadUrl(format!("redirect to {next}")));
                }
                if seen.contains(&next.to_string()) {
                    return Err(Reason::RedirectLoop(next.to_string()));
                }
                seen.push(next.to_string());
                current = next;
                continue;
            }
            if !status.is_success() {
                return Err(Reason::Status(status.as_u16()));
            }
            return self.read_body(resp, current);
        }
        Err(Reason::TooManyRedirects(self.opts.max_redirects))
    }

    fn check_robots(&mut self, url: &Url, cancel: &AtomicBool) -> Result<(), Reason> {
        let key = host_key(url);
        if !self.robots.has(&key) {
            let robots_url = format!("{key}/robots.txt");
            let outcome = self.fetch_robots(&robots_url, cancel);
            self.robots.insert(&key, &self.opts.user_agent, outcome);
        }
        if let Some(delay) = self.robots.crawl_delay(&key) {
            self.rate.at_least(&key, delay);
        }
        self.robots.allowed(&key, url.as_str())
    }

    /// robots.txt per RFC 9309: a 4xx means no rules (allow all), a 5xx or an unreachable
    /// host means disallow all; redirects are followed (up to the limit) on the same terms.
    fn fetch_robots(&mut self, robots_url: &str, cancel: &AtomicBool) -> robots::Outcome {
        let Ok(mut current) = Url::parse(robots_url) else {
            return robots::Outcome::Unavailable("invalid robots.txt URL".into());
        };
        for _ in 0..=self.opts.max_redirects {
            let resp = match self.request(&current, cancel) {
                Ok(r) => r,
                Err(e) => return robots::Outcome::Unavailable(e.to_string()),
            };
            let status = resp.status();
            if status.is_redirection() {
                let next = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| current.join(l).ok());
                match next {
                    Some(n) => {
                        current = n;
                        continue;
                    }
                    None => return robots::Outcome::AllowAll,
                }
            }
            if status.is_client_error() {
                return robots::Outcome::AllowAll;
            }
            if !status.is_success() {
                return robots::Outcome::Unavailable(format!("HTTP status {}", status.as_u16()));
            }
            // robots.txt files over 500 KiB may be truncated (RFC 9309 section 2.5).
            return match self.read_body(resp, current.clone()) {
                Ok(f) => robots::Outcome::Rules(f.body),
                Err(Reason::TooLarge { .. }) => robots::Outcome::AllowAll,
                Err(e) => robots::Outcome::Unavailable(e.to_string()),
            };
        }
        robots::Outcome::Unavailable("too many redirects".into())
    }

    /// One GET after the host's rate-limit wait (which the cancel flag interrupts).
    fn request(
        &mut self,
        url: &Url,
        cancel: &AtomicBool,
    ) -> Result<reqwest::blocking::Response, Reason> {
        self.rate.wait(&host_key(url), cancel)?;
        self.client
            .get(url.as_str())
            .send()
            .map_err(|e| self.classify(&e))
    }

    fn classify(&self, e: &reqwest::Error) -> Reason {
        if e.is_timeout() {
            Reason::Timeout(self.opts.read_timeout.as_secs().max(1))
        } else {
            Reason::Network(error_chain(e))
        }
    }

    /// Reads the body up to `max_bytes` (refusing early on a larger `Content-Length`) and
    /// within the total time limit, so a slow trickle cannot hold the reader forever.
    fn read_body(
        &self,
        mut resp: reqwest::blocking::Response,
        url: Url,
    ) -> Result<Fetched, Reason> {
        let limit = self.opts.max_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(Reason::TooLarge { limit });
        }
        let (content_type, charset) = content_type(resp.headers());
        let started = Instant::now();
        let mut body = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = resp.read(&mut buf).map_err(|e| {
                if e.kind() == std::io::ErrorKind::TimedOut || is_timeout_io(&e) {
                    Reason::Timeout(self.opts.read_timeout.as_secs().max(1))
                } else {
                    Reason::Network(e.to_string())
                }
            })?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
            if body.len() as u64 > limit {
                return Err(Reason::TooLarge { limit });
            }
            if started.elapsed() > self.opts.total_timeout {
                return Err(Reason::Timeout(self.opts.total_timeout.as_secs().max(1)));
            }
        }
        Ok(Fetched {
            url: url.to_string(),
            content_type,
            charset,
            body,
            fetched_at: Utc::now(),
        })
    }
}

fn is_timeout_io(e: &std::io::Error) -> bool {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
        .is_some_and(reqwest::Error::is_timeout)
}

/// Parses an absolute http(s) URL.
pub(crate) fn parse_http_url(s: &str) -> Result<Url, Reason> {
    let u = Url::parse(s).map_err(|e| Reason::BadUrl(format!("{s}: {e}")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(Reason::BadUrl(format!("{s}: only http and https URLs")));
    }
    Ok(u)
}

/// `scheme://host[:port]`: robots.txt and the rate limit are per origin.
pub(crate) fn host_key(u: &Url) -> String {
    let host = u.host_str().unwrap_or_default();
    match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    }
}

/// `Content-Type` media type (lower-case, no parameters) and its `charset`.
fn content_type(h: &reqwest::header::HeaderMap) -> (String, Option<String>) {
    let raw = h
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    parse_content_type(raw)
}

pub(crate) fn parse_content_type(raw: &str) -> (String, Option<String>) {
    let mut parts = raw.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|c| !c.is_empty())
    });
    (media, charset)
}

/// An error with its causes (`reqwest` puts the useful part in the source chain).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_and_charset() {
        assert_eq!(
            parse_content_type("text/HTML; Charset=\"ISO-8859-1\""),
            ("text/html".into(), Some("ISO-8859-1".into()))
        );
        assert_eq!(parse_content_type(""), (String::new(), None));
    }

    #[test]
    fn urls() {
        assert!(parse_http_url("ftp://x.org/a").is_err());
        assert!(parse_http_url("not a url").is_err());
        let u = parse_http_url("http://127.0.0.1:8080/a?b").unwrap();
        assert_eq!(host_key(&u), "http://127.0.0.1:8080");
        let u = parse_http_url("https://News.Example.org/a").unwrap();
        assert_eq!(host_key(&u), "https://news.example.org");
    }
}
