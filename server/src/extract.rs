//! Request body parsing that always responds with the JSON error body.
//!
//! axum's own `Json` extractor rejects malformed input with a plain-text body; [`JsonBody`] reads the
//! bytes within the body limit and maps every failure to an [`ApiError`].

use crate::AppState;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit_bytes = state.config.max_body_bytes;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| crate::device_auth::body_error(rejection, limit_bytes))?;
        parse_json(&body).map(JsonBody)
    }
}

/// Parses `body` as JSON of type `T`; the error names the line, column and problem.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| ApiError::malformed_json(&error.to_string()))
}
