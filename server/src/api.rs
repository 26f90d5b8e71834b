//! The device API under `/api/v1`: registration, signed configuration, the time anchor and
//! daily work plans.
//!
//! Registration is the only unsigned request: the phone proves itself with a one-time
//! enrollment code from an admin and registers its Ed25519 public key. Every later request is
//! signed with that key (see `device_auth`). The configuration and the time anchor are signed
//! by the server key, so the phone can trust them later while offline.

use crate::admin::{self, enrollment_code_hash};
use crate::db::DbError;
use crate::device_auth::SignedDevice;
use crate::error::ApiError;
use crate::extract::{JsonBody, parse_json};
use crate::{AppState, now_ms};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use siperlu_core::geofence::{Assignment, DinasLuar};
use siperlu_core::location::LocationPolicy;
use siperlu_core::nip::{nip_log_id, parse_nip};

/// Format version of the configuration document.
pub const CONFIG_FORMAT: u32 = 1;
/// Largest number of items in one day's work plan.
pub const MAX_PLAN_ITEMS: usize = 30;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub enrollment_code: String,
    pub nip: String,
    /// The device's Ed25519 public key, 64 hex digits.
    pub device_public_key: String,
    /// Id of the face template enrolled on the phone.
    pub template_id: String,
    /// The device id the phone created when it initialised its store (a UUID). Records name
    /// this id, so a phone that has one must send it; without it the server assigns one.
    #[serde(default)]
    pub device_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RegisterResponse {
    pub device_id: String,
    pub config: SignedDocument,
}

/// A JSON document signed by the server key. The signature covers the exact UTF-8 bytes of
/// `document`, which is why it travels as a string rather than as nested JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct SignedDocument {
    pub document: String,
    /// Ed25519 signature over `document`, 128 hex digits.
    pub signature: String,
    /// The server's public key, 64 hex digits.
    pub server_public_key: String,
}

/// The configuration a phone works with offline.
#[derive(Debug, Serialize, Deserialize)]
pub struct ConfigDocument {
    pub format: u32,
    pub issued_at_ms: i64,
    pub device_id: String,
    pub nip: String,
    /// The largest allowed distance between a request timestamp and server time.
    pub request_window_ms: i64,
    /// The places the ASN may check in at, in core's geofence format: offices assigned today,
    /// and dinas luar locations that have not ended, with their dates.
    pub assignment: Assignment,
    /// Limits for the location trust flags.
    pub location_policy: LocationPolicy,
}

/// A server time anchor bound to the request that asked for it.
#[derive(Debug, Serialize, Deserialize)]
pub struct TimeAnchor {
    pub server_time_ms: i64,
    pub device_id: String,
    /// The nonce of the signed request, so a phone can tell this anchor is fresh.
    pub request_nonce: String,
}

fn check_template_id(value: &str) -> Result<(), ApiError> {
    let valid = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    if valid {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "template_id",
            "expected 1 to 128 characters from A-Z, a-z, 0-9, '-', '_', '.' and ':'",
        ))
    }
}

fn parse_public_key(value: &str) -> Result<Vec<u8>, ApiError> {
    hex::decode(value)
        .ok()
        .filter(|bytes| bytes.len() == 32)
        .ok_or_else(|| {
            ApiError::invalid_field(
                "device_public_key",
                "expected 64 hex digits (a 32-byte Ed25519 public key)",
            )
        })
}

/// `POST /api/v1/devices/register`.
pub async fn register(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let nip = parse_nip(&request.nip, admin::today())?;
    let public_key = parse_public_key(&request.device_public_key)?;
    check_template_id(&request.template_id)?;
    let code_hash = enrollment_code_hash(&request.enrollment_code);
    let device_id = match &request.device_id {
        Some(text) => uuid::Uuid::parse_str(text)
            .map_err(|_| {
                ApiError::invalid_field(
                    "device_id",
                    "expected a UUID such as 5a1e0c3e-7d2b-4f0a-9c41-0b9e2f6d8a17",
                )
            })?
            .to_string(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let nip_text = nip.as_str().to_string();

    let registered_id = device_id.clone();
    let config = state
        .db
        .call(move |connection| {
            let now = now_ms();
            let transaction = connection.transaction().map_err(DbError::from)?;
            let consumed = transaction
                .execute(
                    "UPDATE enrollment_codes SET used_at_ms = ?1, used_by_device = ?2
                     WHERE code_hash = ?3 AND nip = ?4 AND used_at_ms IS NULL AND expires_at_ms > ?1",
                    params![now, registered_id, code_hash, nip_text],
                )
                .map_err(DbError::from)?;
            if consumed != 1 {
                return Err(ApiError::enrollment_code_invalid());
            }
            let inserted = transaction.execute(
                "INSERT INTO devices (id, nip, public_key, template_id, registered_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![registered_id, nip_text, public_key, request.template_id, now],
            );
            if let Err(error) = inserted {
                return Err(match &error {
                    rusqlite::Error::SqliteFailure(e, _)
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        ApiError::device_key_in_use()
                    }
                    _ => ApiError::from(DbError::from(error)),
                });
            }
            let config = build_config(&transaction, &registered_id, &nip_text, now)?;
            transaction.commit().map_err(DbError::from)?;
            Ok(config)
        })
        .await
        .inspect_err(|error| {
            tracing::warn!(nip = %nip.log_id(), error_id = error.id(), "device registration rejected");
        })?;

    tracing::info!(device_id = %device_id, nip = %nip.log_id(), "device registered");
    let signed = sign_document(&state, &config)?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            device_id,
            config: signed,
        }),
    ))
}

fn build_config(
    connection: &Connection,
    device_id: &str,
    nip: &str,
    now_ms: i64,
) -> Result<ConfigDocument, ApiError> {
    let today = admin::today();
    let mut assignment = Assignment::default();
    for assigned in admin::assignments_of(connection, nip, today).map_err(ApiError::from)? {
        let office = admin::find_office(connection, assigned.office_id).map_err(ApiError::from)?;
        let (Ok(valid_from), Ok(valid_to)) = (
            admin::parse_date("valid_from", &assigned.valid_from),
            admin::parse_date("valid_until", &assigned.valid_until),
        ) else {
            continue;
        };
        if office.kind == "dinas_luar" {
            assignment.dinas_luar.push(DinasLuar {
                location: office.to_geo(),
                valid_from,
                valid_to,
                letter_number: None,
            });
        } else if valid_from <= today && !assignment.offices.iter().any(|o| o.id == office.code) {
            // NOTE: core's offices are valid every day, so an office assignment starting later
            // reaches the phone only with the first configuration fetched on or after its start.
            assignment.offices.push(office.to_geo());
        }
    }
    Ok(ConfigDocument {
        format: CONFIG_FORMAT,
        issued_at_ms: now_ms,
        device_id: device_id.to_string(),
        nip: nip.to_string(),
        request_window_ms: crate::DEFAULT_REQUEST_WINDOW_MS,
        assignment,
        location_policy: LocationPolicy::default(),
    })
}

fn sign_document<T: Serialize>(state: &AppState, value: &T) -> Result<SignedDocument, ApiError> {
    let document = serde_json::to_string(value)
        .map_err(|error| ApiError::internal("serialize document", &error))?;
    Ok(SignedDocument {
        signature: state.key.sign_hex(document.as_bytes()),
        server_public_key: state.key.public_key_hex().to_string(),
        document,
    })
}

/// `GET /api/v1/config`: the signed configuration of the calling device.
pub async fn get_config(
    State(state): State<AppState>,
    signed: SignedDevice,
) -> Result<Json<SignedDocument>, ApiError> {
    let device = signed.device;
    let config = state
        .db
        .call(move |connection| build_config(connection, &device.id, &device.nip, now_ms()))
        .await?;
    Ok(Json(sign_document(&state, &config)?))
}

/// `GET /api/v1/time`: a signed time anchor.
pub async fn get_time(
    State(state): State<AppState>,
    signed: SignedDevice,
) -> Result<Json<SignedDocument>, ApiError> {
    let anchor = TimeAnchor {
        server_time_ms: now_ms(),
        device_id: signed.device.id,
        request_nonce: signed.nonce,
    };
    Ok(Json(sign_document(&state, &anchor)?))
}

/// One item of a daily work plan (rencana kerja harian).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    pub title: String,
    #[serde(default)]
    pub detail: String,
    /// Place of the work when it is not the assigned office, for example a dinas luar venue.
    #[serde(default)]
    pub place: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub items: Vec<PlanItem>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Plan {
    pub date: String,
    /// Starts at 1 and grows by one with each put.
    pub revision: i64,
    pub items: Vec<PlanItem>,
    pub updated_at_ms: i64,
}

fn check_plan(items: &[PlanItem]) -> Result<(), ApiError> {
    if items.is_empty() || items.len() > MAX_PLAN_ITEMS {
        return Err(ApiError::invalid_field(
            "items",
            &format!("{} items; a plan has 1 to {MAX_PLAN_ITEMS}", items.len()),
        ));
    }
    for (index, item) in items.iter().enumerate() {
        let title_length = item.title.trim().chars().count();
        if title_length == 0 || title_length > 200 {
            return Err(ApiError::invalid_field(
                "items.title",
                &format!("item {index}: {title_length} characters; use 1 to 200"),
            ));
        }
        if item.detail.chars().count() > 2000 || item.place.chars().count() > 200 {
            return Err(ApiError::invalid_field(
                "items.detail",
                &format!("item {index}: detail is limited to 2000 and place to 200 characters"),
            ));
        }
    }
    Ok(())
}

/// `PUT /api/v1/plans/{date}`: stores the calling ASN's plan of `date`, replacing the last one.
pub async fn put_plan(
    State(state): State<AppState>,
    Path(date): Path<String>,
    signed: SignedDevice,
) -> Result<Json<Plan>, ApiError> {
    let date = admin::parse_date("date", &date).map_err(ApiError::from)?;
    let request: PlanRequest = parse_json(&signed.body)?;
    check_plan(&request.items)?;
    let device = signed.device;

    let plan = state
        .db
        .call(move |connection| {
            let items_json = serde_json::to_string(&request.items)
                .map_err(|error| ApiError::internal("serialize plan", &error))?;
            let now = now_ms();
            let revision: i64 = connection
                .query_row(
                    "INSERT INTO plans (nip, date, revision, items_json, device_id, updated_at_ms)
                     VALUES (?1, ?2, 1, ?3, ?4, ?5)
                     ON CONFLICT (nip, date) DO UPDATE SET revision = revision + 1,
                        items_json = excluded.items_json, device_id = excluded.device_id,
                        updated_at_ms = excluded.updated_at_ms
                     RETURNING revision",
                    params![device.nip, date.to_string(), items_json, device.id, now],
                    |row| row.get(0),
                )
                .map_err(DbError::from)?;
            tracing::info!(device_id = %device.id, nip = %nip_log_id(&device.nip), %date, revision, "work plan stored");
            Ok::<_, ApiError>(Plan {
                date: date.to_string(),
                revision,
                items: request.items,
                updated_at_ms: now,
            })
        })
        .await?;
    Ok(Json(plan))
}

/// Loads the plan of `nip` for `date`, if any.
pub fn find_plan(connection: &Connection, nip: &str, date: &str) -> Result<Option<Plan>, ApiError> {
    let row: Option<(i64, String, i64)> = connection
        .query_row(
            "SELECT revision, items_json, updated_at_ms FROM plans WHERE nip = ?1 AND date = ?2",
            params![nip, date],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(DbError::from)?;
    let Some((revision, items_json, updated_at_ms)) = row else {
        return Ok(None);
    };
    let items = serde_json::from_str(&items_json)
        .map_err(|error| ApiError::internal("stored plan unreadable", &error))?;
    Ok(Some(Plan {
        date: date.to_string(),
        revision,
        items,
        updated_at_ms,
    }))
}

/// `GET /api/v1/plans/{date}`: the calling ASN's plan of `date`.
pub async fn get_plan(
    State(state): State<AppState>,
    Path(date): Path<String>,
    signed: SignedDevice,
) -> Result<Json<Plan>, ApiError> {
    let date = admin::parse_date("date", &date).map_err(ApiError::from)?;
    let nip = signed.device.nip;
    let plan = state
        .db
        .call(move |connection| find_plan(connection, &nip, &date.to_string()))
        .await?;
    plan.map(Json)
        .ok_or_else(|| ApiError::not_found(&format!("work plan of {date}")))
}
