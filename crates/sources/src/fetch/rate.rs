//! Per-host rate limit: at most one request per interval to each origin.

use crate::error::Reason;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest crawl delay a robots.txt can impose; longer requests are capped (a feed poll that
/// waited minutes between articles would never finish).
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);
/// How often a wait looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

pub(crate) struct RateLimiter {
    interval: Duration,
    /// Per-host interval when robots.txt asks for a longer one.
    slower: HashMap<String, Duration>,
    last: HashMap<String, Instant>,
}

impl RateLimiter {
    pub fn new(interval: Duration) -> Self {
        RateLimiter {
            interval,
            slower: HashMap::new(),
            last: HashMap::new(),
        }
    }

    /// Raises one host's interval to `delay` (a robots.txt `Crawl-delay`), capped.
    pub fn at_least(&mut self, host: &str, delay: Duration) {
        let d = delay.min(MAX_CRAWL_DELAY);
        if d > self.interval {
            self.slower.insert(host.to_string(), d);
        }
    }

    fn interval(&self, host: &str) -> Duration {
        self.slower.get(host).copied().unwrap_or(self.interval)
    }

    /// Sleeps until `host` may be asked again, then books the request. Returns early with an
    /// error when `cancel` is set.
    pub fn wait(&mut self, host: &str, cancel: &AtomicBool) -> Result<(), Reason> {
        if let Some(&last) = self.last.get(host) {
            let due = last + self.interval(host);
            loop {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Reason::Note("cancelled".into()));
                }
                let now = Instant::now();
                if now >= due {
                    break;
                }
                std::thread::sleep((due - now).min(CANCEL_POLL));
            }
        }
        self.last.insert(host.to_string(), Instant::now());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawl_delay_raises_and_is_capped() {
        let mut r = RateLimiter::new(Duration::from_millis(10));
        r.at_least("a", Duration::from_secs(600));
        assert_eq!(r.interval("a"), MAX_CRAWL_DELAY);
        r.at_least("b", Duration::from_millis(1));
        assert_eq!(r.interval("b"), Duration::from_millis(10));
    }

    #[test]
    fn cancel_interrupts_a_wait() {
        let mut r = RateLimiter::new(Duration::from_secs(3600));
        let cancel = AtomicBool::new(false);
        assert!(r.wait("h", &cancel).is_ok());
        cancel.store(true, Ordering::Relaxed);
        assert!(r.wait("h", &cancel).is_err());
    }
}
