//! One module per page. Each has `load` (the store to a serialisable model, on a blocking
//! thread), `render` (the model to HTML) and the two handlers: `html` for the page and `json`
//! for its twin under `/api/`, which is the model itself.

pub mod article;
pub mod entity;
pub mod search;
pub mod stories;
pub mod story;

use crate::error::WebError;
use crate::server::web_error;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;
use serde::Serialize;

/// Longest id accepted in a path (real ids are under 40 bytes).
const MAX_ID: usize = 200;

/// The `{id}` of a path, or a 404 naming `what` for one that cannot be an id.
pub(crate) fn id_param(
    p: Result<Path<String>, PathRejection>,
    what: &str,
) -> Result<String, WebError> {
    match p {
        Ok(Path(id)) if !id.is_empty() && id.len() <= MAX_ID => Ok(id),
        Ok(Path(id)) => Err(WebError::NotFound(format!(
            "No {what} “{}”.",
            parallax_core::text::truncate_chars(&id, 60)
        ))),
        Err(e) => Err(WebError::BadRequest(format!(
            "the address cannot be read: {e}"
        ))),
    }
}

pub(crate) fn html_response<M>(
    r: Result<M, WebError>,
    render: impl FnOnce(&M) -> Markup,
) -> Response {
    match r {
        Ok(m) => Html(render(&m).into_string()).into_response(),
        Err(e) => web_error(e, false),
    }
}

pub(crate) fn json_response<M: Serialize>(r: Result<M, WebError>) -> Response {
    match r {
        Ok(m) => axum::Json(m).into_response(),
        Err(e) => web_error(e, true),
    }
}

/// Number of pages for `total` items, at least 1.
pub(crate) fn pages(total: i64, per_page: usize) -> usize {
    (total.max(0) as usize).div_ceil(per_page).max(1)
}
