//! One HTTP exchange with the server: builds the URL, signs device requests with the device
//! key, sends with timeouts, and sorts the outcome into an answer, a failure worth another
//! attempt, or a refusal that another attempt will not change.

use std::time::Duration;

use ring::rand::{SecureRandom, SystemRandom};

use crate::request_auth::{RequestParts, SignedHeaders};

/// The server's response to one request.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    /// Returns the `error.id` and `error.message` of an error body, or placeholders.
    pub fn error_parts(&self) -> (String, String) {
        let value: serde_json::Value = serde_json::from_slice(&self.body).unwrap_or_default();
        let id = value["error"]["id"]
            .as_str()
            .unwrap_or("unknown")
            .to_string();
        let message = value["error"]["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&self.body)
                    .chars()
                    .take(200)
                    .collect()
            });
        (id, message)
    }
}

/// How one attempt ended, when it did not end with an answer worth reading.
#[derive(Debug, Clone)]
pub(crate) enum AttemptFailure {
    /// No answer (connection refused or dropped, timeout), a 5xx, a 429 or a replayed nonce:
    /// the same request may succeed later. `retry_after_ms` is the server's hint, if any.
    Retryable {
        detail: String,
        retry_after_ms: Option<u64>,
    },
}

/// The blocking HTTP client with the server's base URL.
pub(crate) struct Http {
    client: reqwest::blocking::Client,
    base_url: String,
}

impl Http {
    /// Builds a client for `base_url` (`http://` or `https://`, no trailing path needed).
    pub fn new(
        base_url: &str,
        connect_timeout_ms: u64,
        request_timeout_ms: u64,
    ) -> Result<Http, String> {
        let trimmed = base_url.trim_end_matches('/');
        let scheme_ok = trimmed.starts_with("http://") || trimmed.starts_with("https://");
        if !scheme_ok || trimmed.len() <= "https://".len() {
            return Err("expected an http:// or https:// address".to_string());
        }

        // rustls with the ring provider: no OpenSSL and no aws-lc in the app. Installing fails
        // only when a provider is already installed, which is then used as is. rustls 0.23.48
        // deprecates ring's provider for lacking post-quantum key exchange; ring is still the
        // provider this app builds for Android without a C toolchain for aws-lc.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let _ = provider.install_default();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_millis(connect_timeout_ms))
            .timeout(Duration::from_millis(request_timeout_ms))
            .user_agent(concat!("siperlu-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        Ok(Http {
            client,
            base_url: trimmed.to_string(),
        })
    }

    /// Sends one request. `signed` carries the device signature headers, or `None` for the
    /// unsigned registration. Returns the answer for 2xx and for 4xx other than 429 and a
    /// replayed nonce; everything else is a retryable failure.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        signed: Option<&SignedHeaders>,
    ) -> Result<Answer, AttemptFailure> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| {
            AttemptFailure::Retryable {
                detail: format!("invalid method {method}"),
                retry_after_ms: None,
            }
        })?;
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base_url))
            .header("accept", "application/json");
        if !body.is_empty() {
            request = request
                .header("content-type", "application/json")
                .body(body.to_vec());
        }
        if let Some(headers) = signed {
            for (name, value) in headers.to_pairs() {
                request = request.header(name, value);
            }
        }

        let response = request.send().map_err(|error| AttemptFailure::Retryable {
            detail: describe(&error),
            retry_after_ms: None,
        })?;
        let status = response.status().as_u16();
        let retry_after_ms = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(|seconds| seconds.saturating_mul(1000));
        let body = response
            .bytes()
            .map_err(|error| AttemptFailure::Retryable {
                detail: format!("the answer broke off: {}", describe(&error)),
                retry_after_ms: None,
            })?
            .to_vec();
        let answer = Answer { status, body };

        let replayed = status == 409 && answer.error_parts().0 == "api.replayed_request";
        if status >= 500 || status == 429 || replayed {
            let (id, message) = answer.error_parts();
            return Err(AttemptFailure::Retryable {
                detail: format!("HTTP {status} {id}: {message}"),
                retry_after_ms,
            });
        }
        Ok(answer)
    }
}

/// Describes a reqwest error with its source chain (timeouts and resets say so only there).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    if error.is_timeout() {
        text.push_str(" (timed out)");
    }
    text
}

/// Returns a fresh 32-character request nonce (16 random bytes in hex).
pub(crate) fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        // The nonce only has to be unique per device within the request window; the clock
        // still makes it so when the generator fails.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or(0);
        bytes.copy_from_slice(&nanos.to_le_bytes());
    }
    hex::encode(bytes)
}

/// The request parts the device signs, owning their strings.
pub(crate) struct PartsOwned {
    pub method: &'static str,
    pub path: String,
    pub timestamp_ms: i64,
    pub nonce: String,
    pub body: Vec<u8>,
}

impl PartsOwned {
    pub fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: self.method,
            path_and_query: &self.path,
            timestamp_ms: self.timestamp_ms,
            nonce: &self.nonce,
            body: &self.body,
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn base_url_must_be_http() {
        assert!(Http::new("ftp://example.invalid", 1000, 1000).is_err());
        assert!(Http::new("127.0.0.1:8080", 1000, 1000).is_err());
        assert!(Http::new("https://", 1000, 1000).is_err());
        let http = Http::new("http://127.0.0.1:8080/", 1000, 1000).expect("valid");
        assert_eq!(http.base_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn nonces_are_valid_and_fresh() {
        let first = new_nonce();
        crate::request_auth::validate_nonce(&first).expect("valid nonce");
        assert_ne!(first, new_nonce());
    }
}
