//! The error every HTTP handler returns, and its JSON body.
//!
//! Handlers work with rich internal errors (database, validation, NIP, request signing). Each
//! maps into [`ApiError`], a small public enum that fixes the HTTP status and a stable message
//! id from the catalog. The body is always `{"error": {"id": "...", "message": "...",
//! "messages": {"id": "...", "en": "..."}}}`. `message` is the English text, and `messages`
//! contains it in Bahasa Indonesia and English, so a client shows the admin's or the ASN's
//! language and a script can branch on the id.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use siperlu_core::messages::{self, Locale};

/// The public error of every API handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400: malformed JSON, an invalid field, an invalid NIP.
    BadRequest {
        id: &'static str,
        message: ErrorText,
    },
    /// 401: missing login, missing or invalid request signature.
    Unauthorized {
        id: &'static str,
        message: ErrorText,
    },
    /// 403: a CSRF token or an enrollment code that does not match.
    Forbidden {
        id: &'static str,
        message: ErrorText,
    },
    /// 404: unknown path or object.
    NotFound {
        id: &'static str,
        message: ErrorText,
    },
    /// 405: the path exists but not with this method.
    MethodNotAllowed {
        id: &'static str,
        message: ErrorText,
    },
    /// 409: a replayed request or data that conflicts with stored data.
    Conflict {
        id: &'static str,
        message: ErrorText,
    },
    /// 413: the body exceeds the configured limit.
    PayloadTooLarge {
        id: &'static str,
        message: ErrorText,
    },
    /// 429: the per-device or per-address rate limit is exhausted.
    TooManyRequests {
        id: &'static str,
        message: ErrorText,
        retry_after_s: u64,
    },
    /// 500: anything unexpected; the details go to the log, never to the client.
    Internal {
        id: &'static str,
        message: ErrorText,
    },
}

/// An error text rendered in both catalog locales: English for the JSON body, Indonesian for
/// the admin pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorText {
    pub english: String,
    pub indonesian: String,
}

/// Renders catalog message `id` with `values` in both locales.
pub fn text(id: &'static str, values: &[(&str, &str)]) -> ErrorText {
    ErrorText {
        english: messages::format(id, Locale::En, values),
        indonesian: messages::format(id, Locale::Id, values),
    }
}

/// Formats catalog text `id` in both locales, with `name` filled by `value`'s text in the same
/// locale.
fn text_with_localized(id: &'static str, name: &str, value: &ErrorText) -> ErrorText {
    ErrorText {
        english: messages::format(id, Locale::En, &[(name, &value.english)]),
        indonesian: messages::format(id, Locale::Id, &[(name, &value.indonesian)]),
    }
}

/// Names a request field in `locale`. English keeps the JSON field name, which is what an API
/// client sends. Bahasa Indonesia uses the label of the admin form, and falls back to the JSON
/// name for a field no form shows.
pub fn field_label(field: &str, locale: Locale) -> String {
    if locale == Locale::En {
        return field.to_string();
    }
    let label_id = match field {
        "date" => "admin.filter_date",
        "office_id" => "admin.filter_office",
        "status" => "admin.filter_status",
        "flag" => "admin.filter_flag",
        "reason" => "admin.reason",
        "month" => "admin_field.month",
        "opd_id" => "admin.export_opd",
        "nip" => "admin.recap_nip",
        "name" => "admin.recap_name",
        "decision" => "admin_field.decision",
        "code" => "admin_field.office_code",
        "kind" => "admin_field.office_kind",
        "time_zone" => "admin_field.time_zone",
        "fences" => "admin_field.fences",
        "valid_from" => "admin_field.valid_from",
        "valid_until" => "admin_field.valid_until",
        "valid_minutes" => "admin_field.valid_minutes",
        "password" => "admin_field.password",
        "format" => "admin_field.export_format",
        _ => return field.to_string(),
    };
    messages::format(label_id, locale, &[])
}

impl ApiError {
    pub fn malformed_json(detail: &str) -> Self {
        let id = "api.malformed_json";
        ApiError::BadRequest {
            id,
            message: text(id, &[("detail", detail)]),
        }
    }

    /// Builds a 400 error for an invalid field whose detail exists only in English, such as
    /// a device API error. [`ApiError::invalid_field_text`] is for details from the catalog.
    pub fn invalid_field(field: &str, detail: &str) -> Self {
        ApiError::invalid_field_text(
            field,
            &ErrorText {
                english: detail.to_string(),
                indonesian: detail.to_string(),
            },
        )
    }

    /// Builds a 400 error for an invalid field, with the field's label and the detail in each
    /// locale.
    pub fn invalid_field_text(field: &str, detail: &ErrorText) -> Self {
        let id = "api.invalid_field";
        let render = |locale: Locale, detail: &str| {
            messages::format(
                id,
                locale,
                &[("field", &field_label(field, locale)), ("detail", detail)],
            )
        };
        ApiError::BadRequest {
            id,
            message: ErrorText {
                english: render(Locale::En, &detail.english),
                indonesian: render(Locale::Id, &detail.indonesian),
            },
        }
    }

    /// Builds a 400 error for a field whose value does not have the expected form. The
    /// catalog id `expected_id` (such as `api.expected_date`) names that form.
    pub fn invalid_value(field: &str, value: &str, expected_id: &'static str) -> Self {
        let id = "api.invalid_value";
        let shown: String = value.chars().take(64).collect();
        let expected = text(expected_id, &[]);
        ApiError::BadRequest {
            id,
            message: ErrorText {
                english: messages::format(
                    id,
                    Locale::En,
                    &[
                        ("field", &field_label(field, Locale::En)),
                        ("value", &shown),
                        ("expected", &expected.english),
                    ],
                ),
                indonesian: messages::format(
                    id,
                    Locale::Id,
                    &[
                        ("field", &field_label(field, Locale::Id)),
                        ("value", &shown),
                        ("expected", &expected.indonesian),
                    ],
                ),
            },
        }
    }

    /// Builds a 400 error with a specific catalog id, such as `nip.birth_date`, and its
    /// catalog values.
    pub fn invalid_with_id(id: &'static str, values: &[(&str, &str)]) -> Self {
        ApiError::BadRequest {
            id,
            message: text(id, values),
        }
    }

    pub fn body_too_large(limit_bytes: usize) -> Self {
        let id = "api.body_too_large";
        ApiError::PayloadTooLarge {
            id,
            message: text(id, &[("limit_bytes", &limit_bytes.to_string())]),
        }
    }

    pub fn unsigned(detail: &str) -> Self {
        let id = "api.unsigned_request";
        ApiError::Unauthorized {
            id,
            message: text(id, &[("detail", detail)]),
        }
    }

    pub fn unknown_device(device_id: &str) -> Self {
        let id = "api.unknown_device";
        let shown: String = device_id.chars().take(64).collect();
        ApiError::Unauthorized {
            id,
            message: text(id, &[("device_id", &shown)]),
        }
    }

    pub fn bad_signature() -> Self {
        let id = "api.bad_signature";
        ApiError::Unauthorized {
            id,
            message: text(id, &[]),
        }
    }

    pub fn stale_request(detail: &str) -> Self {
        let id = "api.stale_request";
        ApiError::Unauthorized {
            id,
            message: text(id, &[("detail", detail)]),
        }
    }

    pub fn replayed_request() -> Self {
        let id = "api.replayed_request";
        ApiError::Conflict {
            id,
            message: text(id, &[]),
        }
    }

    pub fn rate_limited(retry_after_s: u64) -> Self {
        let id = "api.rate_limited";
        ApiError::TooManyRequests {
            id,
            message: text(id, &[("retry_after_s", &retry_after_s.to_string())]),
            retry_after_s,
        }
    }

    pub fn enrollment_code_invalid() -> Self {
        let id = "api.enrollment_code_invalid";
        ApiError::Forbidden {
            id,
            message: text(id, &[]),
        }
    }

    /// Builds the 409 for an ASN with no office or dinas luar place to check in at, whose
    /// configuration the phone could not use. The enrollment code stays unused.
    pub fn no_assignment() -> Self {
        let id = "api.no_assignment";
        ApiError::Conflict {
            id,
            message: text(id, &[]),
        }
    }

    /// The code is live but was issued for another NIP. The text never echoes either NIP.
    pub fn enrollment_code_other_nip() -> Self {
        let id = "api.enrollment_code_other_nip";
        ApiError::Forbidden {
            id,
            message: text(id, &[]),
        }
    }

    pub fn device_key_in_use() -> Self {
        let id = "api.device_key_in_use";
        ApiError::Conflict {
            id,
            message: text(id, &[]),
        }
    }

    pub fn not_found(what: &str) -> Self {
        let id = "api.not_found";
        ApiError::NotFound {
            id,
            message: text(id, &[("what", what)]),
        }
    }

    /// Builds a 404 error for an object named in each locale, such as `admin_form.object_office`.
    pub fn not_found_text(what: &ErrorText) -> Self {
        let id = "api.not_found";
        ApiError::NotFound {
            id,
            message: text_with_localized(id, "what", what),
        }
    }

    pub fn method_not_allowed() -> Self {
        let id = "api.method_not_allowed";
        ApiError::MethodNotAllowed {
            id,
            message: text(id, &[]),
        }
    }

    pub fn conflict(detail: &str) -> Self {
        let id = "api.conflict";
        ApiError::Conflict {
            id,
            message: text(id, &[("detail", detail)]),
        }
    }

    /// Builds a 409 error with the conflict described in each locale.
    pub fn conflict_text(detail: &ErrorText) -> Self {
        let id = "api.conflict";
        ApiError::Conflict {
            id,
            message: text_with_localized(id, "detail", detail),
        }
    }

    pub fn login_required() -> Self {
        let id = "api.login_required";
        ApiError::Unauthorized {
            id,
            message: text(id, &[]),
        }
    }

    pub fn csrf_invalid() -> Self {
        let id = "api.csrf_invalid";
        ApiError::Forbidden {
            id,
            message: text(id, &[]),
        }
    }

    /// Logs `error` with the context and returns the opaque 500 error.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!(%error, context, "internal error");
        let id = "api.internal_error";
        ApiError::Internal {
            id,
            message: text(id, &[]),
        }
    }

    /// Returns the HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Returns the catalog id of this error.
    pub fn id(&self) -> &'static str {
        match self {
            ApiError::BadRequest { id, .. }
            | ApiError::Unauthorized { id, .. }
            | ApiError::Forbidden { id, .. }
            | ApiError::NotFound { id, .. }
            | ApiError::MethodNotAllowed { id, .. }
            | ApiError::Conflict { id, .. }
            | ApiError::PayloadTooLarge { id, .. }
            | ApiError::TooManyRequests { id, .. }
            | ApiError::Internal { id, .. } => id,
        }
    }

    /// Returns the English text of this error.
    pub fn message(&self) -> &str {
        &self.text().english
    }

    /// Returns the Indonesian text of this error, for the admin pages.
    pub fn message_indonesian(&self) -> &str {
        &self.text().indonesian
    }

    fn text(&self) -> &ErrorText {
        match self {
            ApiError::BadRequest { message, .. }
            | ApiError::Unauthorized { message, .. }
            | ApiError::Forbidden { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::MethodNotAllowed { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::PayloadTooLarge { message, .. }
            | ApiError::TooManyRequests { message, .. }
            | ApiError::Internal { message, .. } => message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "id": self.id(),
            "message": self.message(),
            "messages": {"id": self.message_indonesian(), "en": self.message()},
        }});
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after_s, .. } = &self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        // The metrics layer counts rejections by this id.
        response.extensions_mut().insert(ErrorId(self.id()));
        response
    }
}

/// The catalog id of an error response, attached for the metrics layer.
#[derive(Debug, Clone, Copy)]
pub struct ErrorId(pub &'static str);

impl From<crate::db::DbError> for ApiError {
    fn from(error: crate::db::DbError) -> Self {
        ApiError::internal("database", &error)
    }
}

impl From<siperlu_core::nip::NipError> for ApiError {
    fn from(error: siperlu_core::nip::NipError) -> Self {
        use siperlu_core::nip::NipError;
        let value = match &error {
            NipError::WrongLength { value, .. }
            | NipError::NotDigits { value }
            | NipError::InvalidBirthDate { value, .. }
            | NipError::ImplausibleBirthDate { value, .. }
            | NipError::InvalidAppointment { value, .. }
            | NipError::ImplausibleAppointment { value, .. }
            | NipError::InvalidGender { value, .. }
            | NipError::ZeroSerial { value } => value.clone(),
        };
        // The English body keeps the detailed rule; the catalog text names only the value.
        ApiError::BadRequest {
            id: error.message_id(),
            message: ErrorText {
                english: error.to_string(),
                indonesian: messages::format(error.message_id(), Locale::Id, &[("value", &value)]),
            },
        }
    }
}

impl ApiError {
    pub fn wrong_credentials() -> Self {
        let id = "api.wrong_credentials";
        ApiError::Unauthorized {
            id,
            message: text(id, &[]),
        }
    }

    pub fn account_locked(retry_after_s: u64) -> Self {
        let id = "api.account_locked";
        ApiError::TooManyRequests {
            id,
            message: text(id, &[("retry_after_s", &retry_after_s.to_string())]),
            retry_after_s,
        }
    }
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(error: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError;
        match error {
            AuthError::WrongCredentials => ApiError::wrong_credentials(),
            AuthError::Locked { until_ms } => {
                let wait_ms = (until_ms - crate::now_ms()).max(1_000);
                ApiError::account_locked((wait_ms as u64).div_ceil(1_000))
            }
            AuthError::PasswordTooShort { length } => ApiError::invalid_field_text(
                "password",
                &text(
                    "admin_form.password_length",
                    &[
                        ("length", &length.to_string()),
                        ("min", &crate::auth::MIN_PASSWORD_LENGTH.to_string()),
                    ],
                ),
            ),
            other => ApiError::internal("admin authentication", &other),
        }
    }
}
