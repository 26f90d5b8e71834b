//! Admin data and the admin JSON API under `/api/v1/admin`. The data are OPD (work units),
//! offices and dinas luar locations with their fences, ASN, assignments of ASN to locations by
//! date, and one-time enrollment codes.
//!
//! The admin JSON API uses the same session cookie as the admin pages. Every request that
//! changes data must also carry the session's CSRF token in the `x-csrf-token` header.

use crate::auth::{self, AdminSession};
use crate::db::DbError;
use crate::error::{ApiError, ErrorText, text as error_text};
use crate::extract::JsonBody;
use crate::fences::{Fence, GeoOffice, parse_zone, validate_office};
use crate::{AppState, now_ms};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use ring::digest;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use siperlu_core::messages::Locale;
use siperlu_core::nip::{mask_nip, nip_log_id, parse_nip};

/// Header carrying the CSRF token on mutating admin JSON requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Default and largest lifetime of an enrollment code, in minutes.
pub const DEFAULT_CODE_MINUTES: i64 = 24 * 60;
pub const MAX_CODE_MINUTES: i64 = 7 * 24 * 60;
/// Enrollment code alphabet: no 0/O or 1/I/L, so a code read aloud is typed right.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 10;

/// Internal errors of admin data.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A field value that breaks a rule, with the rule in `detail` in both locales.
    #[error("{field}: {}", detail.english)]
    Invalid {
        field: &'static str,
        detail: ErrorText,
    },
    /// A value without the expected form; `expected_id` is the catalog id of that form.
    #[error("field {field} has the invalid value {value:?}")]
    InvalidValue {
        field: &'static str,
        value: String,
        expected_id: &'static str,
    },
    #[error(transparent)]
    Nip(#[from] siperlu_core::nip::NipError),
    /// `what` names the object in both locales, such as "office 3" or "kantor 3".
    #[error("{} not found", what.english)]
    NotFound { what: ErrorText },
    #[error("{}", .0.english)]
    Conflict(ErrorText),
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
    #[error("cannot serialize stored data: {0}")]
    Serialize(#[from] serde_json::Error),
}

impl From<rusqlite::Error> for AdminError {
    fn from(error: rusqlite::Error) -> Self {
        AdminError::Db(DbError::Sqlite(error))
    }
}

impl From<AdminError> for ApiError {
    fn from(error: AdminError) -> Self {
        match error {
            AdminError::Invalid { field, detail } => ApiError::invalid_field_text(field, &detail),
            AdminError::InvalidValue {
                field,
                value,
                expected_id,
            } => ApiError::invalid_value(field, &value, expected_id),
            AdminError::Nip(error) => ApiError::from(error),
            AdminError::NotFound { what } => ApiError::not_found_text(&what),
            AdminError::Conflict(detail) => ApiError::conflict_text(&detail),
            AdminError::Db(error) => ApiError::from(error),
            AdminError::Key(error) => ApiError::internal("random", &error),
            AdminError::Serialize(error) => ApiError::internal("serialize", &error),
        }
    }
}

/// Builds an invalid-field error whose detail is catalog message `reason_id` with `values`.
fn invalid(field: &'static str, reason_id: &'static str, values: &[(&str, &str)]) -> AdminError {
    AdminError::Invalid {
        field,
        detail: error_text(reason_id, values),
    }
}

/// Builds a not-found error for the object that catalog message `object_id` names.
fn not_found(object_id: &'static str, values: &[(&str, &str)]) -> AdminError {
    AdminError::NotFound {
        what: error_text(object_id, values),
    }
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ConstraintViolation)
}

fn check_name(field: &'static str, value: &str) -> Result<String, AdminError> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length == 0 || length > 200 {
        return Err(invalid(
            field,
            "admin_form.name_length",
            &[("length", &length.to_string())],
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid(field, "admin_form.control_character", &[]));
    }
    Ok(trimmed.to_string())
}

/// Parses a `yyyy-mm-dd` date.
pub fn parse_date(field: &'static str, value: &str) -> Result<NaiveDate, AdminError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| AdminError::InvalidValue {
        field,
        value: value.to_string(),
        expected_id: "api.expected_date",
    })
}

/// Today's date in WIB, the zone used to judge NIP plausibility.
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
}

// ---- OPD ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opd {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOpd {
    pub name: String,
}

pub fn insert_opd(connection: &Connection, new: &NewOpd) -> Result<Opd, AdminError> {
    let name = check_name("name", &new.name)?;
    connection
        .execute("INSERT INTO opd (name) VALUES (?1)", params![name])
        .map_err(|error| {
            if is_unique_violation(&error) {
                AdminError::Conflict(error_text(
                    "admin_form.opd_exists",
                    &[("name", &format!("{name:?}"))],
                ))
            } else {
                error.into()
            }
        })?;
    Ok(Opd {
        id: connection.last_insert_rowid(),
        name,
    })
}

pub fn list_opd(connection: &Connection) -> Result<Vec<Opd>, AdminError> {
    let mut statement = connection.prepare("SELECT id, name FROM opd ORDER BY name")?;
    let rows = statement.query_map([], |row| {
        Ok(Opd {
            id: row.get(0)?,
            name: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// ---- offices ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Office {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `office` or `dinas_luar` (a temporary location for official travel).
    pub kind: String,
    pub opd_id: Option<i64>,
    /// IANA zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
    pub time_zone: String,
    pub fences: Vec<Fence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOffice {
    pub code: String,
    pub name: String,
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default)]
    pub opd_id: Option<i64>,
    pub time_zone: String,
    pub fences: Vec<Fence>,
}

fn default_kind() -> String {
    "office".to_string()
}

pub fn insert_office(connection: &Connection, new: &NewOffice) -> Result<Office, AdminError> {
    let code = new.code.trim().to_string();
    if code.is_empty()
        || code.len() > 32
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(invalid(
            "code",
            "admin_form.office_code",
            &[("value", &format!("{code:?}"))],
        ));
    }
    let name = check_name("name", &new.name)?;
    if new.kind != "office" && new.kind != "dinas_luar" {
        return Err(invalid(
            "kind",
            "admin_form.office_kind",
            &[("value", &format!("{:?}", new.kind))],
        ));
    }
    let Some(zone) = parse_zone(&new.time_zone) else {
        return Err(invalid(
            "time_zone",
            "admin_form.time_zone",
            &[("value", &format!("{:?}", new.time_zone))],
        ));
    };
    validate_office(&code, &name, zone, &new.fences).map_err(|error| AdminError::Invalid {
        field: "fences",
        detail: ErrorText {
            english: error.to_string(),
            indonesian: error.admin_message(Locale::Id),
        },
    })?;
    if let Some(opd_id) = new.opd_id {
        find_opd(connection, opd_id)?;
    }

    let fences_json = serde_json::to_string(&new.fences)?;
    connection
        .execute(
            "INSERT INTO offices (code, name, kind, opd_id, time_zone, fences_json, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                code,
                name,
                new.kind,
                new.opd_id,
                zone.tz_name(),
                fences_json,
                now_ms()
            ],
        )
        .map_err(|error| {
            if is_unique_violation(&error) {
                AdminError::Conflict(error_text(
                    "admin_form.office_exists",
                    &[("code", &format!("{code:?}"))],
                ))
            } else {
                error.into()
            }
        })?;
    Ok(Office {
        id: connection.last_insert_rowid(),
        code,
        name,
        kind: new.kind.clone(),
        opd_id: new.opd_id,
        time_zone: zone.tz_name().to_string(),
        fences: new.fences.clone(),
    })
}

impl Office {
    /// Returns the office in core's geofence type, with the office code as its id.
    pub fn to_geo(&self) -> GeoOffice {
        GeoOffice {
            id: self.code.clone(),
            name: self.name.clone(),
            time_zone: parse_zone(&self.time_zone).unwrap_or(crate::fences::OfficeZone::Wib),
            fences: self.fences.clone(),
        }
    }
}

fn office_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Office, String)> {
    let fences_json: String = row.get(6)?;
    Ok((
        Office {
            id: row.get(0)?,
            code: row.get(1)?,
            name: row.get(2)?,
            kind: row.get(3)?,
            opd_id: row.get(4)?,
            time_zone: row.get(5)?,
            fences: Vec::new(),
        },
        fences_json,
    ))
}

fn with_fences((mut office, fences_json): (Office, String)) -> Result<Office, AdminError> {
    office.fences = serde_json::from_str(&fences_json).map_err(|error| {
        tracing::error!(office_id = office.id, %error, "stored fences unreadable");
        AdminError::Conflict(error_text(
            "admin_form.stored_fences_unreadable",
            &[("office_id", &office.id.to_string())],
        ))
    })?;
    Ok(office)
}

const OFFICE_COLUMNS: &str = "id, code, name, kind, opd_id, time_zone, fences_json";

pub fn list_offices(connection: &Connection) -> Result<Vec<Office>, AdminError> {
    let mut statement = connection.prepare(&format!(
        "SELECT {OFFICE_COLUMNS} FROM offices ORDER BY name"
    ))?;
    let rows = statement.query_map([], office_from_row)?;
    let mut offices = Vec::new();
    for row in rows {
        offices.push(with_fences(row?)?);
    }
    Ok(offices)
}

pub fn find_office(connection: &Connection, office_id: i64) -> Result<Office, AdminError> {
    let row = connection
        .query_row(
            &format!("SELECT {OFFICE_COLUMNS} FROM offices WHERE id = ?1"),
            params![office_id],
            office_from_row,
        )
        .optional()?;
    match row {
        Some(row) => with_fences(row),
        None => Err(not_found(
            "admin_form.object_office",
            &[("id", &office_id.to_string())],
        )),
    }
}

fn find_opd(connection: &Connection, opd_id: i64) -> Result<Opd, AdminError> {
    connection
        .query_row(
            "SELECT id, name FROM opd WHERE id = ?1",
            params![opd_id],
            |row| {
                Ok(Opd {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| not_found("admin_form.object_opd", &[("id", &opd_id.to_string())]))
}

// ---- ASN ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Asn {
    pub nip: String,
    pub name: String,
    pub opd_id: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAsn {
    pub nip: String,
    pub name: String,
    pub opd_id: i64,
}

pub fn insert_asn(connection: &Connection, new: &NewAsn) -> Result<Asn, AdminError> {
    let nip = parse_nip(&new.nip, today())?;
    let name = check_name("name", &new.name)?;
    find_opd(connection, new.opd_id)?;
    connection
        .execute(
            "INSERT INTO asn (nip, name, opd_id, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![nip.as_str(), name, new.opd_id, now_ms()],
        )
        .map_err(|error| {
            if is_unique_violation(&error) {
                AdminError::Conflict(error_text(
                    "admin_form.asn_exists",
                    &[("nip", &nip.masked())],
                ))
            } else {
                error.into()
            }
        })?;
    tracing::info!(nip = %nip.log_id(), "ASN added");
    Ok(Asn {
        nip: nip.as_str().to_string(),
        name,
        opd_id: new.opd_id,
    })
}

pub fn list_asn(connection: &Connection) -> Result<Vec<Asn>, AdminError> {
    let mut statement = connection.prepare("SELECT nip, name, opd_id FROM asn ORDER BY name")?;
    let rows = statement.query_map([], |row| {
        Ok(Asn {
            nip: row.get(0)?,
            name: row.get(1)?,
            opd_id: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn require_asn(connection: &Connection, nip: &str) -> Result<(), AdminError> {
    let found: Option<String> = connection
        .query_row("SELECT nip FROM asn WHERE nip = ?1", params![nip], |row| {
            row.get(0)
        })
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| not_found("admin_form.object_asn", &[("nip", &mask_nip(nip))]))
}

// ---- assignments ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Assignment {
    pub id: i64,
    pub nip: String,
    pub office_id: i64,
    /// First day, inclusive, `yyyy-mm-dd`.
    pub valid_from: String,
    /// Last day, inclusive, `yyyy-mm-dd`.
    pub valid_until: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    pub nip: String,
    pub office_id: i64,
    pub valid_from: String,
    pub valid_until: String,
}

pub fn insert_assignment(
    connection: &Connection,
    new: &NewAssignment,
) -> Result<Assignment, AdminError> {
    let from = parse_date("valid_from", &new.valid_from)?;
    let until = parse_date("valid_until", &new.valid_until)?;
    if until < from {
        return Err(invalid(
            "valid_until",
            "admin_form.date_order",
            &[("until", &until.to_string()), ("from", &from.to_string())],
        ));
    }
    require_asn(connection, &new.nip)?;
    find_office(connection, new.office_id)?;
    connection.execute(
        "INSERT INTO assignments (nip, office_id, valid_from, valid_until, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            new.nip,
            new.office_id,
            from.to_string(),
            until.to_string(),
            now_ms()
        ],
    )?;
    Ok(Assignment {
        id: connection.last_insert_rowid(),
        nip: new.nip.clone(),
        office_id: new.office_id,
        valid_from: from.to_string(),
        valid_until: until.to_string(),
    })
}

/// Assignments of `nip` that have not ended before `from_date`.
pub fn assignments_of(
    connection: &Connection,
    nip: &str,
    from_date: NaiveDate,
) -> Result<Vec<Assignment>, AdminError> {
    let mut statement = connection.prepare(
        "SELECT id, nip, office_id, valid_from, valid_until FROM assignments
         WHERE nip = ?1 AND valid_until >= ?2 ORDER BY valid_from",
    )?;
    let rows = statement.query_map(params![nip, from_date.to_string()], |row| {
        Ok(Assignment {
            id: row.get(0)?,
            nip: row.get(1)?,
            office_id: row.get(2)?,
            valid_from: row.get(3)?,
            valid_until: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn list_assignments(connection: &Connection) -> Result<Vec<Assignment>, AdminError> {
    let mut statement = connection.prepare(
        "SELECT id, nip, office_id, valid_from, valid_until FROM assignments ORDER BY valid_from, id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(Assignment {
            id: row.get(0)?,
            nip: row.get(1)?,
            office_id: row.get(2)?,
            valid_from: row.get(3)?,
            valid_until: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// ---- enrollment codes ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEnrollmentCode {
    pub nip: String,
    #[serde(default)]
    pub valid_minutes: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct EnrollmentCode {
    /// The code to give the ASN; shown only in this response, the server keeps its hash.
    pub code: String,
    pub nip: String,
    pub expires_at_ms: i64,
}

/// An issued enrollment code as the ASN page lists it. The code itself is not stored, only
/// its hash, so the list shows when it was made and whether it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub nip: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// When a phone registered with the code; `None` while unused.
    pub used_at_ms: Option<i64>,
}

/// Lists every issued enrollment code, newest first.
pub fn list_enrollment_codes(connection: &Connection) -> Result<Vec<IssuedCode>, AdminError> {
    let mut statement = connection.prepare(
        "SELECT nip, created_at_ms, expires_at_ms, used_at_ms FROM enrollment_codes
         ORDER BY created_at_ms DESC",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(IssuedCode {
            nip: row.get(0)?,
            created_at_ms: row.get(1)?,
            expires_at_ms: row.get(2)?,
            used_at_ms: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Hashes an enrollment code as stored; codes are compared upper-cased without spaces.
pub fn enrollment_code_hash(code: &str) -> Vec<u8> {
    let normalized: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    digest::digest(&digest::SHA256, normalized.as_bytes())
        .as_ref()
        .to_vec()
}

pub fn create_enrollment_code(
    connection: &Connection,
    admin_id: i64,
    new: &NewEnrollmentCode,
    now_ms: i64,
) -> Result<EnrollmentCode, AdminError> {
    let minutes = new.valid_minutes.unwrap_or(DEFAULT_CODE_MINUTES);
    if !(1..=MAX_CODE_MINUTES).contains(&minutes) {
        return Err(invalid(
            "valid_minutes",
            "admin_form.code_minutes",
            &[
                ("minutes", &minutes.to_string()),
                ("max", &MAX_CODE_MINUTES.to_string()),
            ],
        ));
    }
    require_asn(connection, &new.nip)?;

    // Rejection sampling keeps every letter of the alphabet equally likely.
    let mut code = String::with_capacity(CODE_LENGTH);
    while code.len() < CODE_LENGTH {
        for byte in crate::keys::random_bytes(32)? {
            let limit = 256 - (256 % CODE_ALPHABET.len());
            if (byte as usize) < limit && code.len() < CODE_LENGTH {
                code.push(CODE_ALPHABET[byte as usize % CODE_ALPHABET.len()] as char);
            }
        }
    }
    let expires_at_ms = now_ms + minutes * 60_000;
    connection.execute(
        "INSERT INTO enrollment_codes (code_hash, nip, created_by, created_at_ms, expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            enrollment_code_hash(&code),
            new.nip,
            admin_id,
            now_ms,
            expires_at_ms
        ],
    )?;
    tracing::info!(nip = %nip_log_id(&new.nip), admin_id, "enrollment code created");
    Ok(EnrollmentCode {
        code,
        nip: new.nip.clone(),
        expires_at_ms,
    })
}

// ---- devices ----

/// A registered device as admins see it.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub nip: String,
    pub template_id: String,
    pub registered_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    /// Sequence number of the last record accepted from the device.
    pub last_sequence: Option<i64>,
}

pub fn list_devices(connection: &Connection) -> Result<Vec<DeviceInfo>, AdminError> {
    let mut statement = connection.prepare(
        "SELECT id, nip, template_id, registered_at_ms, revoked_at_ms, chain_sequence
         FROM devices ORDER BY registered_at_ms, id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(DeviceInfo {
            id: row.get(0)?,
            nip: row.get(1)?,
            template_id: row.get(2)?,
            registered_at_ms: row.get(3)?,
            revoked_at_ms: row.get(4)?,
            last_sequence: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes a device, for example a lost phone: its signed requests are rejected from now on.
/// Records it uploaded before stay.
pub fn revoke_device(
    connection: &Connection,
    device_id: &str,
    now_ms: i64,
) -> Result<(), AdminError> {
    let changed = connection.execute(
        "UPDATE devices SET revoked_at_ms = ?1 WHERE id = ?2 AND revoked_at_ms IS NULL",
        params![now_ms, device_id],
    )?;
    if changed == 0 {
        return Err(not_found("admin_form.object_device", &[("id", device_id)]));
    }
    tracing::info!(device_id, "device revoked");
    Ok(())
}

// ---- audit ----

/// Appends an entry to the audit log.
pub fn audit(
    connection: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
) -> Result<(), rusqlite::Error> {
    connection.execute(
        "INSERT INTO audit_log (at_ms, actor, action, target, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now_ms(), actor, action, target, reason],
    )?;
    Ok(())
}

// ---- HTTP: authentication ----

/// An admin authenticated by the session cookie; on a mutating request also by the CSRF
/// header.
pub struct AdminApi(pub AdminSession);

/// Loads the session of the request's cookie.
pub async fn load_session(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<AdminSession>, ApiError> {
    let Some(token) = state.cookies.session_token(&parts.headers) else {
        return Ok(None);
    };
    let session = state
        .db
        .call(move |connection| {
            auth::find_session(connection, &token, now_ms()).map_err(ApiError::from)
        })
        .await?;
    Ok(session)
}

impl FromRequestParts<AppState> for AdminApi {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = load_session(state, parts)
            .await?
            .ok_or_else(ApiError::login_required)?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let presented = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            if !auth::constant_time_eq(presented.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::csrf_invalid());
            }
        }
        Ok(AdminApi(session))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
pub struct LoginResponse {
    pub csrf_token: String,
}

/// `POST /api/v1/admin/session`: logs in and sets the session cookie.
pub async fn post_session(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let session = state
        .db
        .call(move |connection| {
            auth::login(connection, &request.username, &request.password, now_ms())
                .map_err(ApiError::from)
        })
        .await?;
    let policy = state.cookies;
    let cookie = policy.set_cookie(
        policy.session_name(),
        &session.token,
        auth::SESSION_TTL_MS / 1000,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(LoginResponse {
            csrf_token: session.csrf_token,
        }),
    )
        .into_response())
}

/// `DELETE /api/v1/admin/session`: logs out.
pub async fn delete_session(
    State(state): State<AppState>,
    AdminApi(_session): AdminApi,
    parts: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let policy = state.cookies;
    if let Some(token) = policy.session_token(&parts) {
        state
            .db
            .call(move |connection| auth::logout(connection, &token).map_err(ApiError::from))
            .await?;
    }
    let cookie = policy.set_cookie(policy.session_name(), "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

// ---- HTTP: data ----

async fn run<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Connection) -> Result<T, AdminError> + Send + 'static,
) -> Result<T, ApiError> {
    state
        .db
        .call(move |connection| work(connection).map_err(ApiError::from))
        .await
}

/// Runs `change` and writes its audit entry in one transaction, so no change is stored without
/// its entry. `target` names the changed object in the audit log, such as `office:3`.
async fn run_audited<T: Send + 'static>(
    state: &AppState,
    actor: String,
    action: &'static str,
    change: impl FnOnce(&Connection) -> Result<T, AdminError> + Send + 'static,
    target: impl FnOnce(&T) -> String + Send + 'static,
) -> Result<T, ApiError> {
    run(state, move |connection| {
        let transaction = connection.unchecked_transaction()?;
        let changed = change(&transaction)?;
        audit(&transaction, &actor, action, &target(&changed), "")?;
        transaction.commit()?;
        Ok(changed)
    })
    .await
}

pub async fn get_opd(
    State(state): State<AppState>,
    _admin: AdminApi,
) -> Result<Json<Vec<Opd>>, ApiError> {
    Ok(Json(run(&state, list_opd).await?))
}

pub async fn post_opd(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    JsonBody(new): JsonBody<NewOpd>,
) -> Result<(StatusCode, Json<Opd>), ApiError> {
    let opd = run_audited(
        &state,
        session.username,
        "opd.create",
        move |c| insert_opd(c, &new),
        |opd| format!("opd:{}", opd.id),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(opd)))
}

pub async fn get_offices(
    State(state): State<AppState>,
    _admin: AdminApi,
) -> Result<Json<Vec<Office>>, ApiError> {
    Ok(Json(run(&state, list_offices).await?))
}

pub async fn post_office(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    JsonBody(new): JsonBody<NewOffice>,
) -> Result<(StatusCode, Json<Office>), ApiError> {
    let office = run_audited(
        &state,
        session.username,
        "office.create",
        move |c| insert_office(c, &new),
        |office| format!("office:{}", office.id),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(office)))
}

pub async fn get_asn(
    State(state): State<AppState>,
    _admin: AdminApi,
) -> Result<Json<Vec<Asn>>, ApiError> {
    Ok(Json(run(&state, list_asn).await?))
}

pub async fn post_asn(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    JsonBody(new): JsonBody<NewAsn>,
) -> Result<(StatusCode, Json<Asn>), ApiError> {
    let asn = run_audited(
        &state,
        session.username,
        "asn.create",
        move |c| insert_asn(c, &new),
        |asn| format!("asn:{}", nip_log_id(&asn.nip)),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(asn)))
}

pub async fn get_assignments(
    State(state): State<AppState>,
    _admin: AdminApi,
) -> Result<Json<Vec<Assignment>>, ApiError> {
    Ok(Json(run(&state, list_assignments).await?))
}

pub async fn post_assignment(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    JsonBody(new): JsonBody<NewAssignment>,
) -> Result<(StatusCode, Json<Assignment>), ApiError> {
    let assignment = run_audited(
        &state,
        session.username,
        "assignment.create",
        move |c| insert_assignment(c, &new),
        |assignment| format!("assignment:{}", assignment.id),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(assignment)))
}

pub async fn get_devices(
    State(state): State<AppState>,
    _admin: AdminApi,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    Ok(Json(run(&state, list_devices).await?))
}

/// `POST /api/v1/admin/devices/{id}/revoke`.
pub async fn post_revoke_device(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    axum::extract::Path(device_id): axum::extract::Path<String>,
) -> Result<StatusCode, ApiError> {
    let target = format!("device:{device_id}");
    run_audited(
        &state,
        session.username,
        "device.revoke",
        move |c| revoke_device(c, &device_id, now_ms()),
        move |_| target,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn post_enrollment_code(
    State(state): State<AppState>,
    AdminApi(session): AdminApi,
    JsonBody(new): JsonBody<NewEnrollmentCode>,
) -> Result<(StatusCode, Json<EnrollmentCode>), ApiError> {
    let admin_id = session.admin_id;
    let code = run_audited(
        &state,
        session.username,
        "enrollment_code.create",
        move |c| create_enrollment_code(c, admin_id, &new, now_ms()),
        |code| format!("asn:{}", nip_log_id(&code.nip)),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(code)))
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::db::Db;

    fn database() -> (tempfile::TempDir, Db) {
        let folder = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&folder.path().join("server.db")).expect("open database");
        (folder, db)
    }

    #[test]
    fn office_validation_names_field() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let new = |time_zone: &str, code: &str| NewOffice {
                code: code.into(),
                name: "Kantor Bupati".into(),
                kind: "office".into(),
                opd_id: None,
                time_zone: time_zone.into(),
                fences: vec![Fence::Circle {
                    center: crate::fences::LatLon {
                        lat: -6.2,
                        lon: 106.8166666,
                    },
                    radius_m: 100.0,
                }],
            };
            insert_office(c, &new("Asia/Jakarta", "KB-01"))?;
            let error = insert_office(c, &new("Asia/Tokyo", "KB-02")).expect_err("zone");
            assert!(
                matches!(
                    error,
                    AdminError::Invalid {
                        field: "time_zone",
                        ..
                    }
                ),
                "{error}"
            );
            let error = insert_office(c, &new("Asia/Jakarta", "KB-01")).expect_err("dup");
            assert!(matches!(error, AdminError::Conflict(_)), "{error}");
            let error = insert_office(c, &new("Asia/Jakarta", "K B")).expect_err("code");
            assert!(
                matches!(error, AdminError::Invalid { field: "code", .. }),
                "{error}"
            );
            Ok::<_, AdminError>(())
        })
        .expect("flow");
    }

    /// Returns the Indonesian text that an admin page shows for `error`.
    fn indonesian(error: AdminError) -> String {
        ApiError::from(error).message_indonesian().to_string()
    }

    fn circle_office(code: &str, lat: f64, lon: f64, radius_m: f64) -> NewOffice {
        NewOffice {
            code: code.into(),
            name: "Kantor Camat".into(),
            kind: "office".into(),
            opd_id: None,
            time_zone: "Asia/Jakarta".into(),
            fences: vec![Fence::Circle {
                center: crate::fences::LatLon { lat, lon },
                radius_m,
            }],
        }
    }

    #[test]
    fn office_errors_are_indonesian() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let radius = indonesian(
                insert_office(c, &circle_office("KC-01", -6.2, 106.8, -5.0)).expect_err("radius"),
            );
            assert_eq!(
                radius,
                "Kolom Geofence kantor tidak valid: geofence ke-1: jari-jari -5 m tidak valid; \
                 isi bilangan di atas 0 dan paling besar 10000 m"
            );

            let swapped = indonesian(
                insert_office(c, &circle_office("KC-02", 106.8, -6.2, 100.0)).expect_err("swap"),
            );
            assert!(swapped.contains("pusat lingkaran"), "{swapped}");
            assert!(swapped.contains("lintang 106,8"), "{swapped}");
            assert!(swapped.contains("tampak tertukar"), "{swapped}");

            let mut zone = circle_office("KC-03", -6.2, 106.8, 100.0);
            zone.time_zone = "Asia/Tokyo".into();
            let zone = indonesian(insert_office(c, &zone).expect_err("zone"));
            assert!(zone.starts_with("Kolom Zona waktu tidak valid"), "{zone}");
            assert!(zone.contains("harus Asia/Jakarta (WIB)"), "{zone}");

            let mut name = circle_office("KC-04", -6.2, 106.8, 100.0);
            name.name = " ".into();
            let name = indonesian(insert_office(c, &name).expect_err("name"));
            assert!(name.starts_with("Kolom Nama tidak valid"), "{name}");
            assert!(name.contains("panjangnya 0 karakter"), "{name}");

            insert_office(c, &circle_office("KC-05", -6.2, 106.8, 100.0))?;
            let duplicate = indonesian(
                insert_office(c, &circle_office("KC-05", -6.2, 106.8, 100.0)).expect_err("dup"),
            );
            assert!(
                duplicate.contains("kantor dengan kode \"KC-05\" sudah ada"),
                "{duplicate}"
            );
            Ok::<_, AdminError>(())
        })
        .expect("flow");
    }

    #[test]
    fn assignment_errors_are_indonesian() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let reversed = indonesian(
                insert_assignment(
                    c,
                    &NewAssignment {
                        nip: "198503122010011001".into(),
                        office_id: 1,
                        valid_from: "2026-12-10".into(),
                        valid_until: "2026-12-01".into(),
                    },
                )
                .expect_err("reversed dates"),
            );
            assert_eq!(
                reversed,
                "Kolom Berlaku sampai tidak valid: 2026-12-01 lebih awal dari tanggal berlaku \
                 mulai 2026-12-10"
            );

            let bad_date = indonesian(
                insert_assignment(
                    c,
                    &NewAssignment {
                        nip: "198503122010011001".into(),
                        office_id: 1,
                        valid_from: "10-12-2026".into(),
                        valid_until: "2026-12-01".into(),
                    },
                )
                .expect_err("bad date"),
            );
            assert!(
                bad_date.starts_with("Nilai 10-12-2026 pada kolom Berlaku mulai tidak valid"),
                "{bad_date}"
            );

            let missing = indonesian(
                insert_assignment(
                    c,
                    &NewAssignment {
                        nip: "198503122010011001".into(),
                        office_id: 1,
                        valid_from: "2026-12-01".into(),
                        valid_until: "2026-12-10".into(),
                    },
                )
                .expect_err("unknown ASN"),
            );
            assert!(
                missing.starts_with("Tidak ditemukan: ASN dengan NIP"),
                "{missing}"
            );

            let minutes = indonesian(
                create_enrollment_code(
                    c,
                    1,
                    &NewEnrollmentCode {
                        nip: "198503122010011001".into(),
                        valid_minutes: Some(0),
                    },
                    0,
                )
                .expect_err("zero minutes"),
            );
            assert!(
                minutes.starts_with("Kolom Masa berlaku kode (menit) tidak valid: 0 di luar"),
                "{minutes}"
            );
            Ok::<_, AdminError>(())
        })
        .expect("flow");
    }

    #[test]
    fn asn_requires_valid_nip_and_opd() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let opd = insert_opd(
                c,
                &NewOpd {
                    name: "Dinas Kesehatan".into(),
                },
            )?;
            let error = insert_asn(
                c,
                &NewAsn {
                    nip: "198513122010011002".into(),
                    name: "Siti".into(),
                    opd_id: opd.id,
                },
            )
            .expect_err("month 13");
            assert!(matches!(error, AdminError::Nip(_)), "{error}");
            let error = insert_asn(
                c,
                &NewAsn {
                    nip: "198503122010011002".into(),
                    name: "Siti".into(),
                    opd_id: opd.id + 100,
                },
            )
            .expect_err("unknown OPD");
            assert!(matches!(error, AdminError::NotFound { .. }), "{error}");
            insert_asn(
                c,
                &NewAsn {
                    nip: "198503122010011002".into(),
                    name: "Siti".into(),
                    opd_id: opd.id,
                },
            )?;
            Ok::<_, AdminError>(())
        })
        .expect("flow");
    }

    #[test]
    fn code_hash_ignores_case_and_separators() {
        assert_eq!(
            enrollment_code_hash("ab-cd ef"),
            enrollment_code_hash("ABCDEF")
        );
    }
}
