//! Signed device requests: how a registered phone proves that an API request comes from it.
//!
//! The phone signs every request except registration with its Ed25519 device key, and the
//! server verifies the signature against the public key it stored at registration. The signed
//! bytes are a canonical string of the request (see [`canonical_request`]). A timestamp and a
//! random nonce in it let the server reject stale and replayed requests. The phone's sync client
//! and the server both use this module, so the two sides build the very same bytes.
//!
//! Headers of a signed request:
//!
//! | header | value |
//! |---|---|
//! | `x-siperlu-device` | the device id the server assigned at registration |
//! | `x-siperlu-timestamp` | the phone's trusted time, milliseconds since the Unix epoch |
//! | `x-siperlu-nonce` | 16 to 64 characters from `[A-Za-z0-9_-]`, fresh for each request |
//! | `x-siperlu-signature` | lowercase hex of the 64-byte Ed25519 signature |

use ring::digest;
use ring::signature::{self, Ed25519KeyPair, KeyPair};

/// Header naming the device id.
pub const HEADER_DEVICE_ID: &str = "x-siperlu-device";
/// Header carrying the request time in milliseconds since the Unix epoch.
pub const HEADER_TIMESTAMP: &str = "x-siperlu-timestamp";
/// Header carrying the single-use nonce.
pub const HEADER_NONCE: &str = "x-siperlu-nonce";
/// Header carrying the hex Ed25519 signature over [`canonical_request`].
pub const HEADER_SIGNATURE: &str = "x-siperlu-signature";

/// First line of the canonical string; it changes if the scheme ever changes.
pub const SCHEME_VERSION: &str = "SIPERLU-REQUEST-V1";

/// Shortest accepted nonce, in characters.
pub const MIN_NONCE_LENGTH: usize = 16;
/// Longest accepted nonce, in characters.
pub const MAX_NONCE_LENGTH: usize = 64;

/// Reasons a signed request is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestAuthError {
    #[error("header {header} is missing; every device request except registration must be signed")]
    MissingHeader { header: &'static str },
    #[error("header {header} has an invalid value {value:?}: {reason}")]
    InvalidHeader {
        header: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error(
        "request timestamp {timestamp_ms} ms is {skew_ms} ms away from server time {now_ms} ms; the limit is {window_ms} ms, so refresh the time anchor and sign again"
    )]
    StaleTimestamp {
        timestamp_ms: i64,
        now_ms: i64,
        skew_ms: i64,
        window_ms: i64,
    },
    #[error("the request signature does not verify with the device's registered key")]
    BadSignature,
    #[error("device public key has {length} bytes; an Ed25519 public key has 32")]
    InvalidPublicKey { length: usize },
}

/// The parts of a request that the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// HTTP method; it is upper-cased in the canonical string.
    pub method: &'a str,
    /// Path with the query string exactly as sent in the request target, for example
    /// `/api/v1/plans/2026-12-04?x=1`.
    pub path_and_query: &'a str,
    /// Request time in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// Single-use nonce.
    pub nonce: &'a str,
    /// The body bytes exactly as sent (empty for GET).
    pub body: &'a [u8],
}

/// Headers to attach to a signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub device_id: String,
    pub timestamp_ms: i64,
    pub nonce: String,
    pub signature_hex: String,
}

impl SignedHeaders {
    /// Returns the four (name, value) header pairs.
    pub fn to_pairs(&self) -> [(&'static str, String); 4] {
        [
            (HEADER_DEVICE_ID, self.device_id.clone()),
            (HEADER_TIMESTAMP, self.timestamp_ms.to_string()),
            (HEADER_NONCE, self.nonce.clone()),
            (HEADER_SIGNATURE, self.signature_hex.clone()),
        ]
    }
}

/// Builds the canonical string that the device signs:
///
/// ```text
/// SIPERLU-REQUEST-V1\n
/// <METHOD>\n
/// <path with query>\n
/// <timestamp ms, decimal>\n
/// <nonce>\n
/// <lowercase hex SHA-256 of the body>
/// ```
///
/// There is no trailing newline.
pub fn canonical_request(parts: &RequestParts<'_>) -> String {
    let body_hash = digest::digest(&digest::SHA256, parts.body);
    format!(
        "{SCHEME_VERSION}\n{}\n{}\n{}\n{}\n{}",
        parts.method.to_ascii_uppercase(),
        parts.path_and_query,
        parts.timestamp_ms,
        parts.nonce,
        hex::encode(body_hash.as_ref())
    )
}

/// Signs `parts` with the device key and returns the headers to send.
pub fn sign_request(
    key_pair: &Ed25519KeyPair,
    device_id: &str,
    parts: &RequestParts<'_>,
) -> SignedHeaders {
    let signature = key_pair.sign(canonical_request(parts).as_bytes());
    SignedHeaders {
        device_id: device_id.to_string(),
        timestamp_ms: parts.timestamp_ms,
        nonce: parts.nonce.to_string(),
        signature_hex: hex::encode(signature.as_ref()),
    }
}

/// Returns the 32-byte public key of a device key pair, as registered with the server.
pub fn public_key_of(key_pair: &Ed25519KeyPair) -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(key_pair.public_key().as_ref());
    key
}

/// Checks that the nonce has an accepted length and alphabet.
pub fn validate_nonce(nonce: &str) -> Result<(), RequestAuthError> {
    let length_ok = (MIN_NONCE_LENGTH..=MAX_NONCE_LENGTH).contains(&nonce.len());
    let alphabet_ok = nonce
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if length_ok && alphabet_ok {
        Ok(())
    } else {
        Err(RequestAuthError::InvalidHeader {
            header: HEADER_NONCE,
            value: nonce.chars().take(80).collect(),
            reason: "expected 16 to 64 characters from A-Z, a-z, 0-9, '-' and '_'",
        })
    }
}

/// Parses the timestamp header value.
pub fn parse_timestamp(value: &str) -> Result<i64, RequestAuthError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|ms| *ms > 0)
        .ok_or_else(|| RequestAuthError::InvalidHeader {
            header: HEADER_TIMESTAMP,
            value: value.chars().take(40).collect(),
            reason: "expected milliseconds since the Unix epoch as a positive decimal integer",
        })
}

/// Checks that the request time lies within `window_ms` of the server's clock `now_ms`.
pub fn check_timestamp(
    timestamp_ms: i64,
    now_ms: i64,
    window_ms: i64,
) -> Result<(), RequestAuthError> {
    let skew_ms = timestamp_ms.saturating_sub(now_ms).saturating_abs();
    if skew_ms > window_ms {
        return Err(RequestAuthError::StaleTimestamp {
            timestamp_ms,
            now_ms,
            skew_ms,
            window_ms,
        });
    }
    Ok(())
}

/// Verifies the hex signature over the canonical string of `parts` with the device's 32-byte
/// Ed25519 public key.
pub fn verify_request(
    public_key: &[u8],
    parts: &RequestParts<'_>,
    signature_hex: &str,
) -> Result<(), RequestAuthError> {
    if public_key.len() != 32 {
        return Err(RequestAuthError::InvalidPublicKey {
            length: public_key.len(),
        });
    }
    let signature_bytes = hex::decode(signature_hex)
        .ok()
        .filter(|bytes| bytes.len() == 64)
        .ok_or_else(|| RequestAuthError::InvalidHeader {
            header: HEADER_SIGNATURE,
            value: signature_hex.chars().take(140).collect(),
            reason: "expected 128 hex digits (a 64-byte Ed25519 signature)",
        })?;
    let key = signature::UnparsedPublicKey::new(&signature::ED25519, public_key);
    key.verify(canonical_request(parts).as_bytes(), &signature_bytes)
        .map_err(|_| RequestAuthError::BadSignature)
}

#[cfg(test)]
mod test {
    use super::*;
    use ring::rand::SystemRandom;

    fn key_pair() -> Ed25519KeyPair {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("generate key");
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("parse key")
    }

    fn parts<'a>(body: &'a [u8]) -> RequestParts<'a> {
        RequestParts {
            method: "put",
            path_and_query: "/api/v1/plans/2026-12-04",
            timestamp_ms: 1_796_000_000_000,
            nonce: "0123456789abcdef0123",
            body,
        }
    }

    #[test]
    fn canonical_string_layout() {
        let text = canonical_request(&parts(b""));
        assert_eq!(
            text,
            "SIPERLU-REQUEST-V1\nPUT\n/api/v1/plans/2026-12-04\n1796000000000\n0123456789abcdef0123\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn signed_request_verifies() {
        let key = key_pair();
        let body = br#"{"items":[]}"#;
        let headers = sign_request(&key, "device-1", &parts(body));
        verify_request(&public_key_of(&key), &parts(body), &headers.signature_hex)
            .expect("signature verifies");
    }

    #[test]
    fn tampered_parts_fail() {
        let key = key_pair();
        let body = br#"{"items":[]}"#;
        let headers = sign_request(&key, "device-1", &parts(body));
        let public_key = public_key_of(&key);

        let other_body = parts(br#"{"items":[1]}"#);
        assert_eq!(
            verify_request(&public_key, &other_body, &headers.signature_hex),
            Err(RequestAuthError::BadSignature)
        );
        let other_path = RequestParts {
            path_and_query: "/api/v1/plans/2026-12-05",
            ..parts(body)
        };
        assert_eq!(
            verify_request(&public_key, &other_path, &headers.signature_hex),
            Err(RequestAuthError::BadSignature)
        );
        let other_time = RequestParts {
            timestamp_ms: 1_796_000_000_001,
            ..parts(body)
        };
        assert_eq!(
            verify_request(&public_key, &other_time, &headers.signature_hex),
            Err(RequestAuthError::BadSignature)
        );
        let other_key = public_key_of(&key_pair());
        assert_eq!(
            verify_request(&other_key, &parts(body), &headers.signature_hex),
            Err(RequestAuthError::BadSignature)
        );
    }

    #[test]
    fn malformed_signature_rejected() {
        let key = public_key_of(&key_pair());
        let error = verify_request(&key, &parts(b""), "zz").expect_err("not hex");
        assert!(
            matches!(error, RequestAuthError::InvalidHeader { header, .. } if header == HEADER_SIGNATURE)
        );
    }

    #[test]
    fn timestamp_window() {
        check_timestamp(1_000_000, 1_000_000 + 300_000, 300_000).expect("at the edge");
        check_timestamp(1_000_000 + 300_000, 1_000_000, 300_000).expect("ahead at the edge");
        let error = check_timestamp(1_000_000, 1_000_000 + 300_001, 300_000).expect_err("stale");
        assert!(matches!(
            error,
            RequestAuthError::StaleTimestamp {
                skew_ms: 300_001,
                ..
            }
        ));
    }

    #[test]
    fn nonce_rules() {
        validate_nonce("abcdefABCDEF0123-_").expect("valid nonce");
        assert!(validate_nonce("short").is_err());
        assert!(validate_nonce(&"a".repeat(65)).is_err());
        assert!(validate_nonce("abcdefghijklmnop qr").is_err());
    }

    #[test]
    fn timestamp_parsing() {
        assert_eq!(parse_timestamp("1796000000000"), Ok(1_796_000_000_000));
        assert!(parse_timestamp("-5").is_err());
        assert!(parse_timestamp("12.5").is_err());
    }
}
