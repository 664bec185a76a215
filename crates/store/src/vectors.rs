//! Sentence vectors kept in the store ([`VectorCache`]), so a story recomputed when an
//! article joins it embeds only the new article's sentences.

use crate::Store;
use parallax_core::embed::VectorCache;
use rusqlite::params;
use sha2::{Digest, Sha256};

/// The key of `text` in the `vectors` table: the first 16 bytes of its SHA-256.
fn key(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes())[..16].to_vec()
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The vector in `blob`, or `None` when it is not a whole number of f32 (a damaged row is
/// treated as missing and recomputed).
fn from_blob(blob: &[u8]) -> Option<Vec<f32>> {
    if blob.is_empty() || !blob.len().is_multiple_of(4) {
        return None;
    }
    let v: Vec<f32> = blob
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    v.iter().all(|x| x.is_finite()).then_some(v)
}

/// A [`VectorCache`] over the store. Errors are not fatal to an analysis: a vector that
/// cannot be read is computed again, one that cannot be written is computed next time.
pub struct StoreVectors<'a> {
    pub(crate) store: &'a mut Store,
}

impl VectorCache for StoreVectors<'_> {
    fn get(&mut self, model: &str, texts: &[&str]) -> Vec<Option<Vec<f32>>> {
        let Ok(mut st) = self
            .store
            .conn
            .prepare_cached("SELECT vector FROM vectors WHERE model = ?1 AND hash = ?2")
        else {
            return vec![None; texts.len()];
        };
        texts
            .iter()
            .map(|t| {
                st.query_row(params![model, key(t)], |r| r.get::<_, Vec<u8>>(0))
                    .ok()
                    .and_then(|b| from_blob(&b))
            })
            .collect()
    }

    fn put(&mut self, model: &str, texts: &[&str], vectors: &[Vec<f32>]) {
        let Ok(tx) = self.store.conn.transaction() else {
            return;
        };
        {
            let Ok(mut st) = tx.prepare_cached(
                "INSERT INTO vectors (model, hash, vector) VALUES (?1, ?2, ?3)
                 ON CONFLICT (model, hash) DO NOTHING",
            ) else {
                return;
            };
            for (t, v) in texts.iter().zip(vectors) {
                if st.execute(params![model, key(t), to_blob(v)]).is_err() {
                    return;
                }
            }
        }
        let _ = tx.commit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_and_damaged_rows_are_missing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.db")).unwrap();
        let mut cache = StoreVectors { store: &mut store };
        assert_eq!(cache.get("m", &["a"]), vec![None]);
        cache.put("m", &["a", "b"], &[vec![0.5, -1.0], vec![2.0]]);
        assert_eq!(
            cache.get("m", &["b", "a", "c"]),
            vec![Some(vec![2.0]), Some(vec![0.5, -1.0]), None]
        );
        assert_eq!(cache.get("other model", &["a"]), vec![None]);
        assert_eq!(from_blob(&[1, 2, 3]), None);
        assert_eq!(from_blob(&f32::NAN.to_le_bytes()), None);
    }
}
