//! Sentence vectors kept in the store ([`VectorCache`]), so a story recomputed when an
//! article joins it embeds only the new article's sentences. The cache works over either
//! backend (a `vectors` table on both; BYTEA on PostgreSQL), so workers share their vectors.

use crate::{Backend, Store};
use parallax_core::embed::{TokenVectors, VectorCache};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

/// The key of `text` in the `vectors` table: the first 16 bytes of its SHA-256.
pub(crate) fn key(text: &str) -> Vec<u8> {
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

/// A [`VectorCache`] over a store of either backend. Errors are not fatal to an analysis: a
/// vector that cannot be read is computed again, one that cannot be written is computed next
/// time.
pub struct StoreVectors<'a, S: Backend> {
    pub(crate) store: &'a mut S,
}

impl<S: Backend> VectorCache for StoreVectors<'_, S> {
    fn get(&mut self, model: &str, texts: &[&str]) -> Vec<Option<Vec<f32>>> {
        let keys: Vec<Vec<u8>> = texts.iter().map(|t| key(t)).collect();
        match self.store.cached_vectors(model, &keys) {
            Ok(blobs) if blobs.len() == texts.len() => blobs
                .into_iter()
                .map(|b| b.and_then(|b| from_blob(&b)))
                .collect(),
            _ => vec![None; texts.len()],
        }
    }

    fn put(&mut self, model: &str, texts: &[&str], vectors: &[Vec<f32>]) {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = texts
            .iter()
            .zip(vectors)
            .map(|(t, v)| (key(t), to_blob(v)))
            .collect();
        let _ = self.store.keep_vectors(model, &rows);
    }

    fn get_tokens(&mut self, model: &str, texts: &[&str]) -> Vec<Option<TokenVectors>> {
        let keys: Vec<Vec<u8>> = texts.iter().map(|t| key(t)).collect();
        match self.store.cached_vectors(&tokens_model(model), &keys) {
            Ok(blobs) if blobs.len() == texts.len() => blobs
                .into_iter()
                .map(|b| b.and_then(|b| TokenVectors::from_bytes(&b)))
                .collect(),
            _ => vec![None; texts.len()],
        }
    }

    fn put_tokens(&mut self, model: &str, texts: &[&str], tokens: &[TokenVectors]) {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = texts
            .iter()
            .zip(tokens)
            .map(|(t, v)| (key(t), v.to_bytes()))
            .collect();
        let _ = self.store.keep_vectors(&tokens_model(model), &rows);
    }
}

/// The `model` column of a sentence's content-token vectors in the `vectors` table: beside
/// its sentence vector, under the model's id with `#tokens` added (the two never mix: each
/// blob is read back only under the name it was written with).
fn tokens_model(model: &str) -> String {
    format!("{model}#tokens")
}

impl Store {
    /// The stored vector blobs of `keys` (same order) for `model`.
    pub(crate) fn cached_vectors(
        &self,
        model: &str,
        keys: &[Vec<u8>],
    ) -> crate::Result<Vec<Option<Vec<u8>>>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT vector FROM vectors WHERE model = ?1 AND hash = ?2")?;
        keys.iter()
            .map(|k| {
                Ok(st
                    .query_row(params![model, k], |r| r.get::<_, Vec<u8>>(0))
                    .optional()?)
            })
            .collect()
    }

    /// Keeps (key, blob) rows for `model`, in one transaction; existing keys are left alone.
    pub(crate) fn keep_vectors(
        &mut self,
        model: &str,
        rows: &[(Vec<u8>, Vec<u8>)],
    ) -> crate::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO vectors (model, hash, vector) VALUES (?1, ?2, ?3)
                 ON CONFLICT (model, hash) DO NOTHING",
            )?;
            for (k, v) in rows {
                st.execute(params![model, k, v])?;
            }
        }
        tx.commit()?;
        Ok(())
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
