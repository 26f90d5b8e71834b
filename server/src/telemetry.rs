//! Request ids, tracing spans, latency metrics, the per-address rate limit, and the small
//! operational endpoints (`/healthz`, `/metrics`, JSON 404 and 405).
//!
//! Each request gets a span with a request id (taken from `x-request-id` when the client sent
//! a sane one, generated otherwise) and, once the signature check has identified it, the
//! device id. NIPs never appear in spans; code that must refer to an ASN logs
//! `siperlu_core::nip::nip_log_id`.

use crate::AppState;
use crate::error::{ApiError, ErrorId};
use axum::Json;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
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

/// JSON 404 for unknown paths.
pub async fn not_found(request: Request) -> ApiError {
    let path: String = request.uri().path().chars().take(200).collect();
    ApiError::not_found(&format!("path {path}"))
}

/// JSON 405 for a known path with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
