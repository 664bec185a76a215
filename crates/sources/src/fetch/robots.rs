//! robots.txt rules, fetched once per origin and kept for the reader's lifetime.

use crate::error::Reason;
use std::collections::HashMap;
use std::time::Duration;
use texting_robots::Robot;

/// What fetching an origin's robots.txt gave.
pub(crate) enum Outcome {
    /// A robots.txt body to parse.
    Rules(Vec<u8>),
    /// No robots.txt (4xx): everything is allowed.
    AllowAll,
    /// Server error or unreachable: nothing is fetched from the origin (RFC 9309 2.3.1.4).
    Unavailable(String),
}

enum Entry {
    Robot(Box<Robot>),
    AllowAll,
    Unavailable(String),
}

#[derive(Default)]
pub(crate) struct RobotsCache {
    hosts: HashMap<String, Entry>,
}

impl RobotsCache {
    pub fn has(&self, host: &str) -> bool {
        self.hosts.contains_key(host)
    }

    pub fn insert(&mut self, host: &str, user_agent: &str, outcome: Outcome) {
        let entry = match outcome {
            // Rules are matched against the product token, not the whole user-agent string.
            Outcome::Rules(body) => match Robot::new(product_token(user_agent), &body) {
                Ok(r) => Entry::Robot(Box::new(r)),
                // An unparseable file has no rules we can honour; treat like a missing one.
                Err(_) => Entry::AllowAll,
            },
            Outcome::AllowAll => Entry::AllowAll,
            Outcome::Unavailable(why) => Entry::Unavailable(why),
        };
        self.hosts.insert(host.to_string(), entry);
    }

    pub fn allowed(&self, host: &str, url: &str) -> Result<(), Reason> {
        match self.hosts.get(host) {
            Some(Entry::Robot(r)) if !r.allowed(url) => Err(Reason::Robots),
            Some(Entry::Unavailable(why)) => Err(Reason::RobotsUnavailable(why.clone())),
            _ => Ok(()),
        }
    }

    pub fn crawl_delay(&self, host: &str) -> Option<Duration> {
        match self.hosts.get(host) {
            Some(Entry::Robot(r)) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(3600.0))),
            _ => None,
        }
    }
}

/// `parallax/0.1.0 (+url)` -> `parallax`.
fn product_token(user_agent: &str) -> &str {
    user_agent
        .split(['/', ' '])
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or(user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_our_token_and_wildcard() {
        let mut c = RobotsCache::default();
        let txt = b"User-agent: parallax\nDisallow: /private\nCrawl-delay: 2\n\nUser-agent: *\nDisallow: /\n";
        c.insert("h", "parallax/0.1 (+x)", Outcome::Rules(txt.to_vec()));
        assert!(c.allowed("h", "http://h/news/a").is_ok());
        assert_eq!(c.allowed("h", "http://h/private/a"), Err(Reason::Robots));
        assert_eq!(c.crawl_delay("h"), Some(Duration::from_secs(2)));
        c.insert(
            "u",
            "parallax",
            Outcome::Unavailable("HTTP status 503".into()),
        );
        assert!(matches!(
            c.allowed("u", "http://u/a"),
            Err(Reason::RobotsUnavailable(_))
        ));
        c.insert("n", "parallax", Outcome::AllowAll);
        assert!(c.allowed("n", "http://n/a").is_ok());
    }
}
