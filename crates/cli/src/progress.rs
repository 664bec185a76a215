//! Progress bars on stderr for long phases, shown only on a terminal and for work large
//! enough to be worth watching.

use indicatif::{ProgressBar, ProgressStyle};
use parallax_core::pipeline::{Phase, Progress};
use std::io::IsTerminal;
use std::sync::Mutex;

/// Below this many steps a phase finishes too fast for a bar to help.
const MIN_STEPS: u64 = 50;

/// One bar per phase, replaced when the next phase starts.
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

impl Bars {
    pub fn new() -> Self {
        Bars {
            current: Mutex::new(None),
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Starts a bar for a phase of the binary's own (reading, writing).
    pub fn begin(&self, what: &str, unit: &str, total: u64) {
        let bar = bar(self.enabled, what, unit, total);
        if let Ok(mut cur) = self.current.lock() {
            if let Some(old) = cur.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    pub fn inc(&self) {
        if let Ok(cur) = self.current.lock() {
            if let Some(b) = cur.as_ref() {
                b.inc(1);
            }
        }
    }

    /// Runs `f` (which prints) with the current bar hidden, so lines do not tear it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match self.current.lock().ok().and_then(|c| c.clone()) {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the current bar.
    pub fn done(&self) {
        if let Ok(mut cur) = self.current.lock() {
            if let Some(old) = cur.take() {
                old.finish_and_clear();
            }
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.done();
    }
}

impl Progress for Bars {
    fn start(&self, phase: Phase, total: usize) {
        let (what, unit) = match phase {
            Phase::Analysing => ("analysing", "articles"),
            Phase::Grouping => ("grouping", "articles"),
            Phase::Aligning => ("aligning", "stories"),
        };
        self.begin(what, unit, total as u64);
    }

    fn step(&self, _phase: Phase) {
        self.inc();
    }
}

/// A bar on stderr, or a hidden one when stderr is not a terminal or the work is small.
pub fn bar(enabled: bool, what: &str, unit: &str, total: u64) -> ProgressBar {
    if !enabled || total < MIN_STEPS {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = format!("{{msg:>10}} {{bar:40}} {{pos}}/{{len}} {unit} ({{eta}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}
