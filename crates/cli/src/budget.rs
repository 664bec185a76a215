//! The clock side of the per-article time budget (core polls it, never reads a clock).

use parallax_core::budget::{Budget, Check};
use parallax_core::ArticleInput;
use std::time::{Duration, Instant};

/// `secs` seconds per MB of an article's text, and at least `secs`: linear stages need time
/// in proportion to the text, so a long article is not cut off merely for being long.
pub struct Deadline {
    pub secs_per_mb: f64,
}

impl Deadline {
    /// The time allowed to an article of `bytes` bytes of text.
    pub fn allowed(&self, bytes: usize) -> Duration {
        let mb = (bytes as f64 / 1e6).max(1.0);
        Duration::try_from_secs_f64(self.secs_per_mb * mb).unwrap_or(Duration::MAX)
    }
}

impl Budget for Deadline {
    fn start(&self, article: &ArticleInput) -> Check {
        let limit = self.allowed(article.body.len());
        let start = Instant::now();
        Box::new(move || start.elapsed() >= limit)
    }
}
