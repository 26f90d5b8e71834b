//! siperlu-server: the backend that phones sync to and admins verify check-ins on.
//!
//! It links siperlu-core without the on-device features, so it runs the same geofence and
//! record verification code as the phone.

use axum::{Json, Router, routing::get};
use serde_json::json;

/// Builds the HTTP router.
pub fn router() -> Router {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

#[cfg(test)]
mod test {
    use super::*;

    #[tokio::test]
    async fn healthz_answers_on_loopback() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, router()).await.expect("serve") });

        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .expect("write request");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .await
            .expect("read response");

        assert!(
            response.starts_with("HTTP/1.1 200"),
            "unexpected response: {response}"
        );
        assert!(
            response.contains("\"status\":\"ok\""),
            "unexpected body: {response}"
        );
    }
}
