//! `parallax eval time`.

use crate::{EvalError, EvalResult};
use std::path::Path;

pub fn run(_dir: &Path) -> Result<EvalResult, EvalError> {
    Err(EvalError::NotBuilt("time"))
}
