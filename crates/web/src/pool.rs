//! Read-only store connections for request handlers.
//!
//! A rusqlite `Connection` may move between threads but not be shared, and every query
//! blocks; so each request takes an idle connection (or opens one), runs its queries on
//! tokio's blocking pool, and puts it back. A semaphore bounds how many run at once: a burst
//! of requests waits its turn (up to a limit, then 503) instead of opening connections
//! without end.

use crate::error::WebError;
use parallax_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

pub(crate) struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Checks the store by opening its first connection.
    pub fn open(path: &Path, size: usize) -> Result<Pool, StoreError> {
        let first = Store::open_read_only(path)?;
        Ok(Pool {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(size.max(1))),
        })
    }

    /// Runs `f` with a connection on a blocking thread, waiting at most `wait` for a turn.
    pub async fn read<T, F>(self: &Arc<Self>, wait: Duration, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, WebError> + Send + 'static,
    {
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| WebError::Busy)?
            .map_err(|_| WebError::Busy)?;
        let pool = Arc::clone(self);
        let job = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = pool.take()?;
            let out = f(&store);
            pool.give_back(store);
            out
        });
        job.await
            .map_err(|e| WebError::Internal(format!("request task failed: {e}")))?
    }

    fn take(&self) -> Result<Store, WebError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(s) => Ok(s),
            None => Store::open_read_only(&self.path).map_err(WebError::from),
        }
    }

    fn give_back(&self, store: Store) {
        if let Ok(mut v) = self.idle.lock() {
            v.push(store);
        }
    }
}
