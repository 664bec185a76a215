//! A cooperative time budget per article, so that one article cannot stall a batch.
//!
//! Core reads no clock: the caller supplies a [`Budget`] (the binary builds one from a clock)
//! that starts a [`Check`] for each article. [`crate::pipeline::analyze_article`] makes that
//! check the current one of its thread while the article's stages run; the pipeline polls it
//! between stages, and the stages poll it inside their sentence loops through [`spent`], so
//! an article that runs over stops within about one sentence's work. Outside an article (eval
//! readers, the corpus phase) nothing is current and [`spent`] is always false.

use crate::model::ArticleInput;
use std::cell::RefCell;

/// Says whether the budget of the article it was started for is spent. Called often (once per
/// sentence and stage), so it should be cheap.
pub type Check = Box<dyn Fn() -> bool + Send>;

/// Starts the time budget of each article.
pub trait Budget: Send + Sync {
    /// The check for `article`, started now. A budget may scale with the article's size.
    fn start(&self, article: &ArticleInput) -> Check;
}

thread_local! {
    static CURRENT: RefCell<Option<Check>> = const { RefCell::new(None) };
}

/// Whether the budget of the article being analysed on this thread is spent.
pub fn spent() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(|check| check()))
}

/// Runs `f` with `check` as this thread's current budget; the previous one (normally none) is
/// restored afterwards, also when `f` unwinds.
pub fn within<R>(check: Check, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Check>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(Some(check))));
    f()
}

/// A budget of a fixed number of polls per article: deterministic, for tests (a clock-based
/// budget cannot be tested without timing).
#[derive(Debug, Clone, Copy)]
pub struct Polls(pub usize);

impl Budget for Polls {
    fn start(&self, _article: &ArticleInput) -> Check {
        let left = std::sync::atomic::AtomicUsize::new(self.0);
        Box::new(move || {
            left.fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |n| n.checked_sub(1),
            )
            .is_err()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_spent_outside_an_article() {
        assert!(!spent());
        let input = ArticleInput {
            id: "a".into(),
            source: "a".into(),
            kind: crate::model::InputKind::Text,
            body: String::new(),
            hints: Default::default(),
            boilerplate: Vec::new(),
        };
        let inner = within(Polls(2).start(&input), || [spent(), spent(), spent()]);
        assert_eq!(inner, [false, false, true]);
        assert!(!spent());
    }
}
