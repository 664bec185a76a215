//! What goes wrong in a request, as a status code and a page (or JSON for `/api/...`).

use axum::http::StatusCode;
use parallax_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum WebError {
    /// No such story, article or entity (the message names it).
    #[error("{0}")]
    NotFound(String),
    /// A parameter the page cannot use (the message says which and why).
    #[error("{0}")]
    BadRequest(String),
    /// Every store connection stayed busy for too long.
    #[error("the server is busy; try again in a moment")]
    Busy,
    /// A store or server failure; the detail is logged, the page says only that it failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a visitor is told: everything but the internals of a failure.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => {
                "Something went wrong reading the collection. The server log has the details."
                    .to_string()
            }
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            // A search the store cannot run is the user's query, not a failure.
            StoreError::Query(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}
