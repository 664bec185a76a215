//! `parallax serve`: a collection store browsed as web pages, each with a JSON twin.
//!
//! - Pages (`pages/`): the story list, a story, an article, an entity across stories, search.
//!   Each page module loads one serialisable model from the store and renders it; the JSON
//!   twin under `/api/...` returns the same model, so the two never drift apart. URLs and
//!   models are documented in docs/web.md.
//! - Views: page chrome and lists are maud templates (compile-time checked, every value
//!   escaped); a story's claims, timeline, actors and framing and an article's marked-up text
//!   come from `parallax_report::html::Components`, the renderer of the HTML report, with
//!   links pointing at this server's URLs ([`links::WebLinks`]).
//! - The store is read through a small pool of read-only connections used on blocking
//!   threads ([`pool::Pool`]), SQLite or PostgreSQL alike: handlers see a
//!   `&dyn parallax_store::Backend`, whose page queries each backend answers the same. In
//!   WAL mode a running `parallax ingest` never blocks a SQLite reader, a PostgreSQL session
//!   never waits for workers, and every request sees the latest commit, so new articles show
//!   on the next load.
//! - Safety ([`server`]): loopback by default, security headers with a CSP that allows no
//!   inline script, bounded request line, headers, body and query, a header-read timeout and
//!   a per-request timeout, a bound on open connections; unknown ids and bad parameters get
//!   404 and 400 pages; every list is paginated.

mod error;
mod layout;
pub mod links;
mod pages;
mod params;
mod pool;
mod server;

pub use error::WebError;
pub use server::{router, serve, Limits};

use parallax_store::Location;
use std::net::SocketAddr;
use std::sync::Arc;

/// What [`run`] serves and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store: a SQLite file or a PostgreSQL URL (it must exist and be up to date:
    /// `parallax ingest` creates and upgrades it).
    pub db: Location,
    pub addr: SocketAddr,
    pub limits: Limits,
}

/// Shared by every request: the store's connection pool and the limits.
pub struct AppState {
    pool: Arc<pool::Pool>,
    limits: Limits,
}

impl AppState {
    /// Opens one read-only connection to check the store, and keeps it in the pool. `db` is
    /// a [`Location`], or a path (a SQLite file).
    pub fn open(
        db: impl Into<Location>,
        limits: Limits,
    ) -> Result<Arc<AppState>, parallax_store::StoreError> {
        Ok(Arc::new(AppState {
            pool: Arc::new(pool::Pool::open(db.into(), limits.connections)?),
            limits,
        }))
    }
}

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] parallax_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the server's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// Serves `config.db` on `config.addr` until Ctrl-C, on a runtime of its own (the binary
/// stays synchronous). `ready` is called with the bound address (port 0 picks one) before
/// the first request is accepted.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), StartError> {
    let state = AppState::open(config.db.clone(), config.limits.clone())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("parallax-web")
        .build()
        .map_err(StartError::Runtime)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        let local = listener.local_addr().map_err(StartError::Serve)?;
        ready(local);
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        serve(listener, router(state), config.limits, stop)
            .await
            .map_err(StartError::Serve)
    })
}
