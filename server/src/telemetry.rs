//! Request ids, tracing spans, latency metrics, the per-address rate limit, and the small
//! operational endpoints (`/healthz`, `/metrics`, the 404 and 405 fallbacks).
//!
//! Each request gets a span with a request id (taken from `x-request-id` when the client sent
//! a sane one, generated otherwise) and, once the signature check has identified it, the
//! device id. NIPs never appear in spans; code that must refer to an ASN logs
//! `siperlu_core::nip::nip_log_id`.

use crate::AppState;
use crate::error::{ApiError, ErrorId};
use axum::Json;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use siperlu_core::messages::{self, Locale};
use std::net::SocketAddr;
use std::time::Instant;
use tracing::Instrument;

/// Header carrying the request id, in both directions.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

fn request_id_of(request: &Request) -> String {
    let offered = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| {
            (1..=64).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    match offered {
        Some(value) => value.to_string(),
        None => uuid::Uuid::now_v7().simple().to_string(),
    }
}

/// Wraps each request in a span, times it, and counts it in the metrics.
pub async fn trace_request(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let request_id = request_id_of(&request);
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        device_id = tracing::field::Empty,
    );

    let mut response = next.run(request).instrument(span.clone()).await;

    let status = response.status().as_u16();
    let elapsed_s = started.elapsed().as_secs_f64();
    state
        .metrics
        .observe_request(&method, &route, status, elapsed_s);
    if let Some(ErrorId(id)) = response.extensions().get::<ErrorId>() {
        state.metrics.count_rejection(id);
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            elapsed_ms = (elapsed_s * 1000.0) as u64,
            "request finished"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Applies the per-address rate limit to everything but `/healthz` and `/metrics`.
pub async fn limit_by_address(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let exempt = path == "/healthz" || path == "/metrics";
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    if let (false, Some(address)) = (exempt, address)
        && let Err(retry_after_s) = state.ip_limiter.check(&address)
    {
        tracing::warn!(retry_after_s, "request rate limited by address");
        return ApiError::rate_limited(retry_after_s).into_response();
    }
    next.run(request).await
}

/// `GET /healthz`.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// `GET /metrics`: Prometheus text format.
///
/// NOTE: served without authentication like most exporters; keep the port off the public
/// network or put the path behind the reverse proxy's access rules.
pub async fn get_metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// Tells whether `path` is under the admin pages, whose errors are HTML in Bahasa Indonesia.
fn is_admin_page(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// Renders an admin page error with the Indonesian text of `message_id`. The response keeps
/// the JSON error id in its extensions, so the rejection metrics count it like an API error.
fn admin_page_error(
    status: StatusCode,
    error_id: &'static str,
    message_id: &str,
    values: &[(&str, &str)],
) -> Response {
    let message = messages::format(message_id, Locale::Id, values);
    let mut response = crate::pages::html_error(status, &message, None);
    response.extensions_mut().insert(ErrorId(error_id));
    response
}

/// 404 for unknown paths: an HTML page under `/admin`, the JSON error everywhere else.
pub async fn not_found(request: Request) -> Response {
    let path: String = request.uri().path().chars().take(200).collect();
    if is_admin_page(&path) {
        return admin_page_error(
            StatusCode::NOT_FOUND,
            "api.not_found",
            "admin.page_not_found",
            &[("path", &path)],
        );
    }
    ApiError::not_found(&format!("path {path}")).into_response()
}

/// 405 for a known path with the wrong method: an HTML page under `/admin`, the JSON error
/// everywhere else.
pub async fn method_not_allowed(request: Request) -> Response {
    let path = request.uri().path();
    if is_admin_page(path) {
        return admin_page_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "api.method_not_allowed",
            "admin.method_not_allowed",
            &[("method", request.method().as_str())],
        );
    }
    ApiError::method_not_allowed().into_response()
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn admin_page_paths_detected() {
        assert!(is_admin_page("/admin"));
        assert!(is_admin_page("/admin/nope"));
        assert!(!is_admin_page("/administrator"));
        assert!(!is_admin_page("/api/v1/admin/asn"));
        assert!(!is_admin_page("/"));
    }
}
