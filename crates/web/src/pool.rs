//! Read-only store connections for request handlers.
//!
//! A store connection (a SQLite handle, or a PostgreSQL session) may move between threads
//! but not be shared, and every query blocks; so each request takes an idle connection (or
//! opens one), runs its queries on tokio's blocking pool, and puts it back. A semaphore
//! bounds how many run at once: a burst of requests waits its turn (up to a limit, then
//! 503) instead of opening connections without end.
//!
//! Handlers see the store as `&dyn Backend`, so one set of handlers serves either backend.

use crate::error::WebError;
use parallax_store::{open_read_only, Backend, Location, StoreError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

pub(crate) struct Pool {
    location: Location,
    idle: Mutex<Vec<Box<dyn Backend>>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Checks the store by opening its first connection.
    pub fn open(location: Location, size: usize) -> Result<Pool, StoreError> {
        let first = open_read_only(&location)?;
        Ok(Pool {
            location,
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(size.max(1))),
        })
    }

    /// Runs `f` with a connection on a blocking thread, waiting at most `wait` for a turn.
    pub async fn read<T, F>(self: &Arc<Self>, wait: Duration, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T, WebError> + Send + 'static,
    {
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| WebError::Busy)?
            .map_err(|_| WebError::Busy)?;
        let pool = Arc::clone(self);
        let job = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = pool.take()?;
            let out = f(store.as_ref());
            // A PostgreSQL session that failed (server restarted, connection cut) is
            // dropped rather than kept: the next request opens a fresh one.
            if !matches!(&out, Err(WebError::Internal(_))) {
                pool.give_back(store);
            }
            out
        });
        job.await
            .map_err(|e| WebError::Internal(format!("request task failed: {e}")))?
    }

    fn take(&self) -> Result<Box<dyn Backend>, WebError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(s) => Ok(s),
            None => open_read_only(&self.location).map_err(WebError::from),
        }
    }

    fn give_back(&self, store: Box<dyn Backend>) {
        if let Ok(mut v) = self.idle.lock() {
            v.push(store);
        }
    }
}

impl Drop for Pool {
    /// A PostgreSQL connection says goodbye to the server on a small runtime of its own,
    /// which cannot run inside the server's (the last request task may drop the pool): the
    /// idle connections are then closed on a plain thread.
    fn drop(&mut self) {
        let idle = std::mem::take(match self.idle.get_mut() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        });
        if idle.is_empty() || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let closer = std::thread::Builder::new().name("parallax-web-close".into());
        if let Err(e) = closer.spawn(move || drop(idle)) {
            eprintln!("parallax serve: store connections not closed cleanly: {e}");
        }
    }
}
