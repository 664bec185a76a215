//! Reading data files under the size limit every `parallax` command applies (gzip pages are
//! limited once inflated, so a small bomb cannot inflate to gigabytes).

use crate::EvalError;
use parallax_ingest::DEFAULT_MAX_BYTES;
use std::cell::Cell;
use std::io::Read;
use std::path::Path;

thread_local! {
    static LIMIT: Cell<u64> = const { Cell::new(DEFAULT_MAX_BYTES) };
}

/// Runs `f` with `limit` as the size limit of the files it reads on this thread.
pub(crate) fn with_limit<R>(limit: u64, f: impl FnOnce() -> R) -> R {
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            LIMIT.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(LIMIT.with(|l| l.replace(limit)));
    f()
}

fn limit() -> u64 {
    LIMIT.with(Cell::get)
}

/// A whole file, refused (with a message naming it) past the limit or when it is not a
/// regular file.
pub(crate) fn bytes(path: &Path) -> Result<Vec<u8>, String> {
    parallax_ingest::read_bytes(path, limit())
        .map_err(|e| format!("{}: {e}", parallax_ingest::path_text(path)))
}

/// A whole UTF-8 file.
pub(crate) fn text(path: &Path) -> Result<String, EvalError> {
    let raw = parallax_ingest::read_bytes(path, limit()).map_err(|e| EvalError::data(path, e))?;
    String::from_utf8(raw).map_err(|e| EvalError::data(path, e))
}

/// Inflates gzip data, refusing more than the limit.
pub(crate) fn gunzip(raw: &[u8]) -> Result<Vec<u8>, String> {
    let limit = limit();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("gzip: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "gzip data inflates to more than {limit} bytes, over the limit (raise it with \
             --max-bytes)"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_gzip_bomb_is_refused_and_a_small_page_is_not() {
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b'a'; 3_000_000]).unwrap();
        let bomb = z.finish().unwrap();
        assert!(bomb.len() < 20_000);
        let err = with_limit(1_000_000, || gunzip(&bomb)).unwrap_err();
        assert!(err.contains("over the limit"), "{err}");
        assert_eq!(
            with_limit(4_000_000, || gunzip(&bomb)).unwrap().len(),
            3_000_000
        );
        assert_eq!(limit(), DEFAULT_MAX_BYTES);
    }
}
