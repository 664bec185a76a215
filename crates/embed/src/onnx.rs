//! all-MiniLM-L6-v2 on ONNX Runtime: token ids in, mean-pooled 384-dimensional vectors out.
//!
//! Sentences are sorted by token length and cut into batches, each padded only to its own
//! longest sentence, so short sentences do not pay for long ones. One single-threaded ONNX
//! Runtime session per core takes batches from a shared queue, so all cores are used. By
//! default the model's int8 weights are multiplied in int8 ([`crate::int8`]), for about a
//! third less CPU than the float products the file describes; [`Precision::Float`] runs the
//! file as written.

use crate::store::{ModelFiles, MODEL_ID, MODEL_ID_FLOAT};
use crate::wordpiece::WordPiece;
use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;
use parallax_core::embed::{EmbedError, Embedder, Token, WithTokens};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Sentences per batch. Measured on the 2-core machine (BENCHMARKS.md): 16 costs about a
/// quarter less CPU per sentence than 32 or 64 (smaller activations stay in cache, less
/// padding), while 8 or fewer pay the per-run overhead again and 1 costs the most.
const BATCH: usize = 16;
/// Vectors with the index of their text, as a worker returns them.
type Indexed = Vec<(usize, Output)>;
/// One text's mean vector and, when asked for, its tokens.
type Output = WithTokens;

/// At most this many sessions (one per core); each holds its own copy of the weights.
const MAX_SESSIONS: usize = 8;

/// How the weight products are computed. The two give slightly different vectors (cosine
/// 0.996 on average, 0.983 at worst, on news sentences), so they have different model ids and
/// their cached vectors are never mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Activations quantized to 8 bits with fixed scales and multiplied with the int8 weights
    /// (see [`crate::int8`]); the default.
    #[default]
    Int8,
    /// The graph as the file describes it: weights turned back into floats, float products.
    Float,
}

impl Precision {
    /// The model id stored beside vectors computed this way.
    pub fn model_id(self) -> &'static str {
        match self {
            Precision::Int8 => MODEL_ID,
            Precision::Float => MODEL_ID_FLOAT,
        }
    }
}

/// The loaded model. Cheap to share: `embed` takes `&self`. One single-threaded session per
/// core (each behind a mutex); `embed` runs its length-sorted batches on all of them at once.
pub struct OnnxEmbedder {
    sessions: Vec<Mutex<Session>>,
    tokenizer: WordPiece,
    dims: usize,
    precision: Precision,
}

impl std::fmt::Debug for OnnxEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnnxEmbedder")
            .field("model", &self.precision.model_id())
            .field("dims", &self.dims)
            .finish()
    }
}

/// ONNX Runtime is loaded once per process; a second load of another path is refused.
static RUNTIME: OnceLock<Result<Environment, String>> = OnceLock::new();

fn load_runtime(path: &std::path::Path) -> Result<&'static Environment, EmbedError> {
    let r = RUNTIME.get_or_init(|| {
        // ort panics where the library is unusable (wrong version, missing symbol): catch it
        // so that a bad library means "embeddings off", not a crash.
        let p = path.to_path_buf();
        let init = || -> Result<Environment, String> {
            ort::init_from(&p)
                .map_err(|e| e.to_string())?
                .with_name("parallax")
                .build()
                .map_err(|e| e.to_string())
        };
        match std::panic::catch_unwind(init) {
            Ok(Ok(env)) => Ok(env),
            Ok(Err(e)) => Err(format!("{}: {e}", p.display())),
            Err(_) => Err(format!(
                "{}: not a usable ONNX Runtime library",
                p.display()
            )),
        }
    });
    match r {
        Ok(env) => Ok(env),
        Err(e) => Err(EmbedError(e.clone())),
    }
}

impl OnnxEmbedder {
    /// Loads verified model files (see [`crate::store::locate`]), int8 products.
    pub fn load(files: &ModelFiles) -> Result<Self, EmbedError> {
        Self::load_with(files, Precision::default())
    }

    /// Loads verified model files, computing the products as `precision` says.
    pub fn load_with(files: &ModelFiles, precision: Precision) -> Result<Self, EmbedError> {
        let err = |what: &str, e: &dyn std::fmt::Display| EmbedError(format!("{what}: {e}"));
        let model_name = files.model.display().to_string();
        let bytes = std::fs::read(&files.model).map_err(|e| err(&model_name, &e))?;
        let bytes = match precision {
            Precision::Float => bytes,
            Precision::Int8 => {
                crate::int8::quantize_matmuls(&bytes)
                    .map_err(|e| err(&model_name, &e))?
                    .bytes
            }
        };
        let tok_text = std::fs::read_to_string(&files.tokenizer)
            .map_err(|e| err(&files.tokenizer.display().to_string(), &e))?;
        let tokenizer = WordPiece::from_tokenizer_json(&tok_text)
            .map_err(|e| err(&files.tokenizer.display().to_string(), &e))?;
        let env = load_runtime(&files.runtime)?;
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        // One single-threaded session per core, each running whole batches: measured faster
        // than one session spreading every batch over all cores (BENCHMARKS.md, "Sentence
        // embeddings"): the matrices of a short-sentence batch are too small to split well,
        // and two batches in flight need no synchronisation inside the model.
        let n_sessions = cores.clamp(1, MAX_SESSIONS);
        let mut sessions = Vec::new();
        for _ in 0..n_sessions {
            let model = bytes.as_slice();
            let build = move || -> Result<Session, ort::Error<()>> {
                Session::builder(env)?
                    .with_optimization_level(GraphOptimizationLevel::Level3)
                    .map_err(ort::Error::<()>::from)?
                    .with_intra_threads(1)
                    .map_err(ort::Error::<()>::from)?
                    .with_inter_threads(1)
                    .map_err(ort::Error::<()>::from)?
                    // No thread pool to spin: idle waiting never steals a core from the
                    // other session or from other work on the machine.
                    .with_config_entry("session.intra_op.allow_spinning", "0")
                    .map_err(ort::Error::<()>::from)?
                    // ONNX Runtime's fused SkipLayerNormalization kernel is slower here than
                    // the Add and LayerNormalization it replaces (measured: about 15% of the
                    // model's CPU time, identical vectors; BENCHMARKS.md).
                    .with_config_entry(
                        "optimization.disable_specified_optimizers",
                        "SkipLayerNormFusion",
                    )
                    .map_err(ort::Error::<()>::from)?
                    .commit_from_memory(model)
            };
            let session = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)) {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => return Err(err(&model_name, &e)),
                Err(_) => {
                    return Err(EmbedError(format!(
                        "{}: ONNX Runtime failed to load the model",
                        files.model.display()
                    )))
                }
            };
            sessions.push(Mutex::new(session));
        }
        let mut me = OnnxEmbedder {
            sessions,
            tokenizer,
            dims: 0,
            precision,
        };
        // One probe sentence: checks the model's inputs and learns its width.
        let probe = me.embed_batch(0, &[me.tokenizer.encode("probe")], false)?;
        me.dims = probe.first().map_or(0, |o| o.0.len());
        if me.dims == 0 {
            return Err(EmbedError("the model returned empty vectors".into()));
        }
        Ok(me)
    }

    /// How the products are computed.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Vector width (384 for this model).
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Runs one padded batch on session `worker` (modulo the number of sessions); mean pooling
    /// over real tokens.
    fn embed_batch(
        &self,
        worker: usize,
        seqs: &[Vec<i64>],
        with_tokens: bool,
    ) -> Result<Vec<Output>, EmbedError> {
        let n = seqs.len();
        let len = seqs.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut ids = vec![0i64; n * len];
        let mut mask = vec![0i64; n * len];
        for (i, s) in seqs.iter().enumerate() {
            ids[i * len..i * len + s.len()].copy_from_slice(s);
            mask[i * len..i * len + s.len()].fill(1);
        }
        let types = vec![0i64; n * len];
        let e = |e: ort::Error| EmbedError(format!("ONNX Runtime: {e}"));
        let shape = [n, len];
        let t_ids = Tensor::from_array((shape, ids)).map_err(e)?;
        let t_mask = Tensor::from_array((shape, mask.clone())).map_err(e)?;
        let t_types = Tensor::from_array((shape, types)).map_err(e)?;
        let mut session = self.sessions[worker % self.sessions.len()]
            .lock()
            .map_err(|_| EmbedError("the model failed earlier in this run".into()))?;
        let outputs = session
            .run(ort::inputs![
                "input_ids" => t_ids,
                "attention_mask" => t_mask,
                "token_type_ids" => t_types,
            ])
            .map_err(e)?;
        let (out_shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(e)?;
        let dims = match out_shape.as_ref() {
            [b, l, d] if *b as usize == n && *l as usize == len => *d as usize,
            other => {
                return Err(EmbedError(format!(
                    "unexpected model output shape {other:?} for a batch of {n}x{len}"
                )))
            }
        };
        let mut out = Vec::with_capacity(n);
        for (i, seq) in seqs.iter().enumerate() {
            let mut v = vec![0f32; dims];
            let mut count = 0f32;
            let mut tokens = Vec::new();
            for t in 0..len {
                if mask[i * len + t] == 0 {
                    continue;
                }
                count += 1.0;
                let row = &data[(i * len + t) * dims..(i * len + t + 1) * dims];
                for (a, b) in v.iter_mut().zip(row) {
                    *a += b;
                }
                if let Some(piece) = seq
                    .get(t)
                    .filter(|_| with_tokens)
                    .and_then(|&id| self.tokenizer.piece(id))
                {
                    tokens.push(Token {
                        piece: piece.to_string(),
                        vector: row.to_vec(),
                    });
                }
            }
            // Mean pooling then unit length: the mean's scale cancels, so the sum is scaled.
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if count > 0.0 && norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
            out.push((v, tokens));
        }
        Ok(out)
    }
}

impl Embedder for OnnxEmbedder {
    fn model_id(&self) -> &str {
        self.precision.model_id()
    }

    /// Each distinct text is embedded once (a vector depends only on its text: batches are
    /// padded per sentence and the 8-bit scales are fixed), so repeated texts cost nothing.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(self
            .embed_repeated(texts, false)?
            .into_iter()
            .map(|o| o.0)
            .collect())
    }

    fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<Output>, EmbedError> {
        self.embed_repeated(texts, true)
    }
}

impl OnnxEmbedder {
    /// Embeds each distinct text once and hands the result to each of its places in `texts`.
    fn embed_repeated(&self, texts: &[&str], with_tokens: bool) -> Result<Vec<Output>, EmbedError> {
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut distinct: Vec<&str> = Vec::new();
        let slots: Vec<usize> = texts
            .iter()
            .map(|&t| {
                *first.entry(t).or_insert_with(|| {
                    distinct.push(t);
                    distinct.len() - 1
                })
            })
            .collect();
        let mut vectors = self.embed_distinct(&distinct, with_tokens)?;
        if distinct.len() == texts.len() {
            return Ok(vectors);
        }
        let mut left: Vec<usize> = vec![0; distinct.len()];
        for &k in &slots {
            left[k] += 1;
        }
        // The last use of each vector takes it; earlier ones copy it.
        Ok(slots
            .into_iter()
            .map(|k| {
                left[k] -= 1;
                if left[k] == 0 {
                    std::mem::take(&mut vectors[k])
                } else {
                    vectors[k].clone()
                }
            })
            .collect())
    }
}

impl OnnxEmbedder {
    /// Embeds `texts` (all different) in length-sorted batches on every session.
    fn embed_distinct(&self, texts: &[&str], with_tokens: bool) -> Result<Vec<Output>, EmbedError> {
        let seqs: Vec<Vec<i64>> = texts.iter().map(|t| self.tokenizer.encode(t)).collect();
        let mut order: Vec<usize> = (0..seqs.len()).collect();
        order.sort_by_key(|&i| (seqs[i].len(), i));
        let chunks: Vec<&[usize]> = order.chunks(BATCH).collect();
        let workers = self.sessions.len().min(chunks.len()).max(1);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let run = |w: usize| -> Result<Indexed, EmbedError> {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(k) else {
                    return Ok(done);
                };
                let batch: Vec<Vec<i64>> = chunk.iter().map(|&i| seqs[i].clone()).collect();
                done.extend(
                    chunk
                        .iter()
                        .copied()
                        .zip(self.embed_batch(w, &batch, with_tokens)?),
                );
            }
        };
        let results: Vec<Result<Indexed, EmbedError>> = if workers == 1 {
            vec![run(0)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..workers).map(|w| s.spawn(move || run(w))).collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(EmbedError("an embedding thread panicked".into()))
                        })
                    })
                    .collect()
            })
        };
        let mut out: Vec<Output> = vec![(Vec::new(), Vec::new()); seqs.len()];
        for r in results {
            for (i, v) in r? {
                out[i] = v;
            }
        }
        Ok(out)
    }
}
