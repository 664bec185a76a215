//! The router, its protective layers, and the accept loop.

use crate::error::WebError;
use crate::layout::{self, CSS_PATH, JS_PATH};
use crate::{pages, AppState};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The bounds that keep one client (or many) from stalling the others.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Store connections in use at once (requests beyond wait for one).
    pub connections: usize,
    /// How long a request waits for a store connection before a 503.
    pub queue_wait: Duration,
    /// Open client connections at once; more wait in the listen queue.
    pub open_connections: usize,
    /// Time to receive a request's headers (a slow client is cut off after it).
    pub header_timeout: Duration,
    /// Time to answer a request, from its headers to its response.
    pub request_timeout: Duration,
    /// Longest request target (path and query), in bytes.
    pub max_uri: usize,
    /// Largest request body, in bytes (every page is a GET).
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 8,
            queue_wait: Duration::from_secs(5),
            open_connections: 512,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(20),
            max_uri: 4096,
            max_body: 16 * 1024,
        }
    }
}

/// Hyper's read buffer (request line and headers): its minimum, 8 KiB, is plenty for GETs.
const MAX_BUF: usize = 8 * 1024;

/// No inline script anywhere (the pages' one script is a file of this server); inline
/// `style` attributes are allowed for the column count and meter widths.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   style-src-attr 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

/// Every route, with the limits and security headers.
pub fn router(state: Arc<AppState>) -> Router {
    let limits = state.limits.clone();
    let max_uri = limits.max_uri;
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        // Pages change as articles arrive: revalidate every time.
        (header::CACHE_CONTROL, "no-cache"),
    ];
    let mut app = Router::new()
        .route("/", get(pages::stories::html))
        .route("/stories", get(pages::stories::html))
        .route("/stories/{id}", get(pages::story::html))
        .route("/articles/{id}", get(pages::article::html))
        .route("/entities/{id}", get(pages::entity::html))
        .route("/search", get(pages::search::html))
        .route("/api/stories", get(pages::stories::json))
        .route("/api/stories/{id}", get(pages::story::json))
        .route("/api/articles/{id}", get(pages::article::json))
        .route("/api/entities/{id}", get(pages::entity::json))
        .route("/api/search", get(pages::search::json))
        .route(CSS_PATH, get(css))
        .route(JS_PATH, get(js))
        .fallback(fallback)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            bound_uri(req, next, max_uri)
        }));
    for (name, value) in headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// 414 for a request target longer than the limit, before any handler parses it.
async fn bound_uri(req: Request, next: Next, max: usize) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > max {
        return error_response(
            StatusCode::URI_TOO_LONG,
            &format!("The address is {len} bytes long; the most this server reads is {max}."),
            req.uri().path().starts_with("/api/"),
        );
    }
    next.run(req).await
}

async fn fallback(req: Request) -> Response {
    let api = req.uri().path().starts_with("/api/");
    error_response(
        StatusCode::NOT_FOUND,
        "There is no page at this address.",
        api,
    )
}

/// An error as an HTML page, or as `{"error": {"status", "message"}}` for the API.
pub(crate) fn error_response(status: StatusCode, message: &str, api: bool) -> Response {
    if api {
        let body =
            serde_json::json!({ "error": { "status": status.as_u16(), "message": message } });
        return (status, axum::Json(body)).into_response();
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = layout::error_page(status.as_u16(), reason, message);
    (status, axum::response::Html(page.into_string())).into_response()
}

/// A handler's error as a response; internal details go to the log, not to the visitor.
pub(crate) fn web_error(e: WebError, api: bool) -> Response {
    match &e {
        WebError::Internal(detail) => eprintln!("parallax serve: error: {detail}"),
        WebError::Unreadable { what, detail } => {
            eprintln!("parallax serve: error: store: {what}: {detail}")
        }
        _ => {}
    }
    error_response(e.status(), &e.public_message(), api)
}

/// The report's stylesheet followed by the pages' additions, joined once.
static CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}\n{}",
        parallax_report::html::CSS,
        include_str!("../assets/web.css")
    )
});

async fn css() -> Response {
    asset(CSS.as_str(), "text/css; charset=utf-8")
}

async fn js() -> Response {
    asset(parallax_report::html::JS, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, ty: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    // The path carries the version, so a cached copy is never stale.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// Accepts connections on `listener` and serves `app` on each until `stop` completes.
///
/// Each connection runs in its own task (a slow client holds only its own), with hyper's
/// header-read timeout and buffer cap; at most `limits.open_connections` are open at once.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.open_connections.max(1)));
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = open.clone().acquire_owned() => p.map_err(std::io::Error::other)?,
            _ = &mut stop => return Ok(()),
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    eprintln!("parallax serve: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let svc = hyper_util::service::TowerToHyperService::new(app.clone());
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(MAX_BUF)
                .serve_connection(TokioIo::new(stream), svc);
            // A client that goes away mid-request is not an error worth a log line.
            let _ = conn.await;
        });
    }
}
