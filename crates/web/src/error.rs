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
    /// A stored row that cannot be read back: written by another version of parallax (or
    /// damaged). The visitor is told how to bring the store up to date.
    #[error("{what} cannot be read: it was stored by another version of parallax, or is damaged. Running `parallax ingest` on this store re-analyses what an older version wrote.")]
    Unreadable { what: String, detail: String },
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
            WebError::Unreadable { .. } | WebError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
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
            StoreError::Row { what, message } => WebError::Unreadable {
                what,
                detail: message,
            },
            other => WebError::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_another_version_say_how_to_update_the_store() {
        let e = WebError::from(StoreError::Row {
            what: "article 05be9964ce31a3ac".into(),
            message: "missing field `event_days`".into(),
        });
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let m = e.public_message();
        assert!(
            m.starts_with("article 05be9964ce31a3ac cannot be read"),
            "{m}"
        );
        assert!(m.contains("parallax ingest"), "{m}");
        // The parser's detail stays in the log.
        assert!(!m.contains("event_days"), "{m}");
    }

    #[test]
    fn failures_hide_their_internals() {
        let e = WebError::Internal("disk I/O error at /secret/path".into());
        assert!(!e.public_message().contains("/secret"));
    }
}
