//! Authentication of device API requests by their Ed25519 request signature.
//!
//! [`SignedDevice`] is an axum extractor. It reads the signature headers, checks the timestamp
//! window, looks the device up, applies the per-device rate limit, and reads the body within
//! the size limit. Then it verifies the signature over the canonical request (see
//! `siperlu_core::request_auth`) and records the nonce, so that the same request cannot be
//! replayed inside the window. Nonces live in the `request_nonces` table, so a restart does not
//! forget them. The nonce is recorded only after the signature verified, so forged requests
//! cannot fill the table or burn a real device's nonces.

use crate::AppState;
use crate::db::DbError;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use rusqlite::{Connection, OptionalExtension, params};
use siperlu_core::request_auth::{
    self, HEADER_DEVICE_ID, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, RequestAuthError,
    RequestParts,
};

/// A registered device.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub nip: String,
    pub public_key: Vec<u8>,
}

/// A request whose signature verified, with its body.
pub struct SignedDevice {
    pub device: Device,
    pub body: Bytes,
    pub nonce: String,
}

/// Records a device's nonce in the database and returns false if it is already recorded and
/// not yet expired.
///
/// The check and the insert are one statement, so two requests with the same nonce cannot both
/// pass, and the table survives a restart. A nonce is kept for twice the window, because a
/// request may be stamped up to one window ahead of server time and still be accepted one
/// window later. Expired nonces of every device are deleted in the same transaction.
pub fn record_nonce(
    connection: &mut Connection,
    device_id: &str,
    nonce: &str,
    now_ms: i64,
    window_ms: i64,
) -> Result<bool, DbError> {
    let transaction = connection.transaction()?;
    transaction.execute(
        "DELETE FROM request_nonces WHERE expires_at_ms <= ?1",
        params![now_ms],
    )?;
    let inserted = transaction.execute(
        "INSERT INTO request_nonces (device_id, nonce, expires_at_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (device_id, nonce) DO NOTHING",
        params![device_id, nonce, now_ms + 2 * window_ms],
    )?;
    transaction.commit()?;
    Ok(inserted == 1)
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, ApiError> {
    let value = headers.get(name).ok_or_else(|| {
        ApiError::unsigned(&RequestAuthError::MissingHeader { header: name }.to_string())
    })?;
    value
        .to_str()
        .map_err(|_| ApiError::unsigned(&format!("header {name} is not ASCII")))
}

impl FromRequest<AppState> for SignedDevice {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let method = request.method().as_str().to_string();
        let path_and_query = request
            .uri()
            .path_and_query()
            .map(|value| value.as_str().to_string())
            .unwrap_or_else(|| request.uri().path().to_string());

        let device_id = header(&headers, HEADER_DEVICE_ID)?.to_string();
        let timestamp_ms = request_auth::parse_timestamp(header(&headers, HEADER_TIMESTAMP)?)
            .map_err(|error| ApiError::unsigned(&error.to_string()))?;
        let nonce = header(&headers, HEADER_NONCE)?.to_string();
        request_auth::validate_nonce(&nonce)
            .map_err(|error| ApiError::unsigned(&error.to_string()))?;
        let signature_hex = header(&headers, HEADER_SIGNATURE)?.to_string();
        tracing::Span::current().record("device_id", device_id.as_str());

        let now_ms = crate::now_ms();
        let window_ms = state.config.request_window_ms;
        request_auth::check_timestamp(timestamp_ms, now_ms, window_ms)
            .map_err(|error| ApiError::stale_request(&error.to_string()))?;

        let device = find_device(state, &device_id).await?;
        state
            .device_limiter
            .check(&device.id)
            .map_err(ApiError::rate_limited)?;

        let limit_bytes = state.config.max_body_bytes;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| body_error(rejection, limit_bytes))?;

        let parts = RequestParts {
            method: &method,
            path_and_query: &path_and_query,
            timestamp_ms,
            nonce: &nonce,
            body: &body,
        };
        request_auth::verify_request(&device.public_key, &parts, &signature_hex).map_err(
            |error| {
                tracing::warn!(device_id = %device.id, %error, "device request signature rejected");
                match error {
                    RequestAuthError::BadSignature => ApiError::bad_signature(),
                    other => ApiError::unsigned(&other.to_string()),
                }
            },
        )?;

        let nonce_device = device.id.clone();
        let nonce_value = nonce.clone();
        let fresh = state
            .db
            .call(move |connection| {
                record_nonce(connection, &nonce_device, &nonce_value, now_ms, window_ms)
                    .map_err(ApiError::from)
            })
            .await?;
        if !fresh {
            tracing::warn!(device_id = %device.id, "replayed device request rejected");
            return Err(ApiError::replayed_request());
        }
        Ok(SignedDevice {
            device,
            body,
            nonce,
        })
    }
}

async fn find_device(state: &AppState, device_id: &str) -> Result<Device, ApiError> {
    let lookup_id = device_id.to_string();
    let found = state
        .db
        .call(move |connection| {
            connection
                .query_row(
                    "SELECT id, nip, public_key FROM devices WHERE id = ?1 AND revoked_at_ms IS NULL",
                    params![lookup_id],
                    |row| {
                        Ok(Device {
                            id: row.get(0)?,
                            nip: row.get(1)?,
                            public_key: row.get(2)?,
                        })
                    },
                )
                .optional()
                .map_err(|error| ApiError::from(crate::db::DbError::from(error)))
        })
        .await?;
    found.ok_or_else(|| ApiError::unknown_device(device_id))
}

/// Maps a body read failure: a body over the limit is 413, anything else 400.
pub fn body_error(
    rejection: axum::extract::rejection::BytesRejection,
    limit_bytes: usize,
) -> ApiError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::body_too_large(limit_bytes)
    } else {
        ApiError::invalid_field("body", &rejection.body_text())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn database() -> (tempfile::TempDir, crate::db::Db) {
        let folder = tempfile::tempdir().expect("temp dir");
        let db = crate::db::Db::open(&folder.path().join("server.db")).expect("open database");
        (folder, db)
    }

    fn record(db: &crate::db::Db, device_id: &str, nonce: &str, now_ms: i64) -> bool {
        db.call_blocking(|connection| record_nonce(connection, device_id, nonce, now_ms, 300_000))
            .expect("record nonce")
    }

    fn stored_nonces(db: &crate::db::Db) -> i64 {
        db.call_blocking(|connection| {
            connection
                .query_row("SELECT COUNT(*) FROM request_nonces", [], |row| row.get(0))
                .map_err(DbError::from)
        })
        .expect("count nonces")
    }

    #[test]
    fn nonce_seen_twice_rejected() {
        let (_folder, db) = database();
        assert!(record(&db, "d1", "nonce-0000000001", 1_000));
        assert!(!record(&db, "d1", "nonce-0000000001", 2_000));
        assert!(record(&db, "d2", "nonce-0000000001", 2_000), "per device");
        assert!(
            !record(&db, "d1", "nonce-0000000001", 1_000 + 600_000 - 1),
            "kept for twice the window"
        );
        assert!(
            record(&db, "d1", "nonce-0000000001", 1_000 + 600_000),
            "expired after twice the window"
        );
    }

    #[test]
    fn expired_nonces_pruned() {
        let (_folder, db) = database();
        assert!(record(&db, "d1", "nonce-0000000001", 1_000));
        assert!(record(&db, "d2", "nonce-0000000002", 1_000));
        assert!(record(&db, "d1", "nonce-0000000003", 400_000));
        assert_eq!(stored_nonces(&db), 3);

        assert!(record(&db, "d3", "nonce-0000000004", 601_000));
        assert_eq!(
            stored_nonces(&db),
            2,
            "the two nonces from 1 000 ms are gone"
        );
    }

    #[test]
    fn nonce_survives_reopen() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("server.db");
        let db = crate::db::Db::open(&path).expect("open database");
        assert!(record(&db, "d1", "nonce-0000000001", 1_000));
        drop(db);

        let reopened = crate::db::Db::open(&path).expect("reopen database");
        assert!(!record(&reopened, "d1", "nonce-0000000001", 2_000));
    }
}
