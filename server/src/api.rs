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
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use siperlu_core::geofence::{Assignment, DinasLuar};
use siperlu_core::nip::{nip_log_id, parse_nip};
use siperlu_core::plan::{PlanRevision, SignedPlanRevision, check_editable, default_cutoff};
use siperlu_core::policy::DevicePolicy;

/// Format version of the configuration document.
pub const CONFIG_FORMAT: u32 = 1;

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
    /// The same document as the payload of a `siperlu_core::signed::SignedEnvelope` under the
    /// key id `siperlu_core::signed::key_id_for(server key)`, standard base64. Phones store
    /// and verify this form; `document` and `signature` stay for other clients.
    pub envelope: String,
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
    /// Face, location and time limits, the shift and the plan cutoff, as the fields
    /// `location_policy`, `face_policy`, `time_policy`, `shift` and `plan_cutoff`.
    #[serde(flatten)]
    pub policy: DevicePolicy,
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
    let server_config = state.config.clone();

    let requested_id = request.device_id.is_some().then(|| device_id.clone());
    let registered_id = device_id.clone();
    let (device_id, config, repeated) = state
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
                let repeat = RegistrationRepeat {
                    code_hash: &code_hash,
                    nip: &nip_text,
                    public_key: &public_key,
                    template_id: &request.template_id,
                    requested_id: requested_id.as_deref(),
                };
                if let Some(existing_id) = find_repeated_registration(&transaction, &repeat, now)? {
                    let config = build_config(
                        &transaction,
                        &existing_id,
                        &nip_text,
                        now,
                        &server_config.device_policy,
                    )?;
                    return Ok((existing_id, config, true));
                }

                // A live code issued for another NIP gets its own error, so the ASN checks
                // the NIP typed rather than asking for a new code.
                let for_other_nip: bool = transaction
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM enrollment_codes WHERE code_hash = ?1
                         AND nip <> ?2 AND used_at_ms IS NULL AND expires_at_ms > ?3)",
                        params![code_hash, nip_text, now],
                        |row| row.get(0),
                    )
                    .map_err(DbError::from)?;
                if for_other_nip {
                    return Err(ApiError::enrollment_code_other_nip());
                }
                return Err(ApiError::enrollment_code_invalid());
            }
            // A registered phone whose ASN enrolled a new face registers again with a new code,
            // under its own device id, key and NIP. Only its template changes, and the change
            // is kept as a security event, because a face swap is what an admin must see.
            let reenrolled = transaction
                .execute(
                    "UPDATE devices SET template_id = ?1
                     WHERE id = ?2 AND public_key = ?3 AND nip = ?4 AND revoked_at_ms IS NULL
                       AND template_id <> ?1",
                    params![request.template_id, registered_id, public_key, nip_text],
                )
                .map_err(DbError::from)?;
            if reenrolled == 1 {
                transaction
                    .execute(
                        "UPDATE device_templates SET replaced_at_ms = ?1
                         WHERE device_id = ?2 AND replaced_at_ms IS NULL",
                        params![now, registered_id],
                    )
                    .map_err(DbError::from)?;
                crate::ingest::security_event(
                    &transaction,
                    "device.face_reenrolled",
                    &registered_id,
                    "the device registered a new face template with a new enrollment code",
                )?;
            } else if let Err(error) = transaction.execute(
                "INSERT INTO devices (id, nip, public_key, template_id, registered_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![registered_id, nip_text, public_key, request.template_id, now],
            ) {
                return Err(match &error {
                    rusqlite::Error::SqliteFailure(e, _)
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        ApiError::device_key_in_use()
                    }
                    _ => ApiError::from(DbError::from(error)),
                });
            }
            transaction
                .execute(
                    "INSERT INTO device_templates (device_id, template_id, registered_at_ms)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT (device_id, template_id) DO UPDATE SET replaced_at_ms = NULL",
                    params![registered_id, request.template_id, now],
                )
                .map_err(DbError::from)?;
            let config = build_config(
                &transaction,
                &registered_id,
                &nip_text,
                now,
                &server_config.device_policy,
            )?;

            // Without a place the phone rejects the configuration, so the code must stay
            // usable: returning here rolls the whole registration back.
            if config.assignment.offices.is_empty() && config.assignment.dinas_luar.is_empty() {
                return Err(ApiError::no_assignment());
            }
            transaction.commit().map_err(DbError::from)?;
            Ok((registered_id, config, false))
        })
        .await
        .inspect_err(|error| {
            tracing::warn!(nip = %nip.log_id(), error_id = error.id(), "device registration rejected");
        })?;

    if repeated {
        tracing::info!(device_id = %device_id, nip = %nip.log_id(), "device registration repeated with the same code and key");
    } else {
        tracing::info!(device_id = %device_id, nip = %nip.log_id(), "device registered");
    }
    let signed = sign_document(&state, &config)?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            device_id,
            config: signed,
        }),
    ))
}

/// The parts of a registration request that must match a stored registration for the request
/// to count as a repeat of it.
struct RegistrationRepeat<'a> {
    code_hash: &'a [u8],
    nip: &'a str,
    public_key: &'a [u8],
    template_id: &'a str,
    /// The device id the phone sent, if it sent one.
    requested_id: Option<&'a str>,
}

/// Finds the device that an earlier registration created with this very code, NIP, public
/// key and template id, while the code has not expired and the device is not revoked.
///
/// A phone whose registration response was lost sends the same request again. Returning the
/// same device id and a fresh configuration spares the admin a new code, while a used code
/// with any other NIP, key, template or device id still fails.
fn find_repeated_registration(
    connection: &Connection,
    repeat: &RegistrationRepeat<'_>,
    now_ms: i64,
) -> Result<Option<String>, ApiError> {
    let found: Option<(String, String)> = connection
        .query_row(
            "SELECT d.id, d.template_id FROM enrollment_codes c
             JOIN devices d ON d.id = c.used_by_device
             WHERE c.code_hash = ?1 AND c.nip = ?2 AND c.used_at_ms IS NOT NULL
               AND c.expires_at_ms > ?3 AND d.nip = ?2 AND d.public_key = ?4
               AND d.revoked_at_ms IS NULL",
            params![repeat.code_hash, repeat.nip, now_ms, repeat.public_key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(DbError::from)?;
    let Some((device_id, template_id)) = found else {
        return Ok(None);
    };
    let same_id = repeat
        .requested_id
        .is_none_or(|requested| requested == device_id);
    if same_id && template_id == repeat.template_id {
        Ok(Some(device_id))
    } else {
        Ok(None)
    }
}

fn build_config(
    connection: &Connection,
    device_id: &str,
    nip: &str,
    now_ms: i64,
    policy: &DevicePolicy,
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
        policy: policy.clone(),
    })
}

fn sign_document<T: Serialize>(state: &AppState, value: &T) -> Result<SignedDocument, ApiError> {
    let document = serde_json::to_string(value)
        .map_err(|error| ApiError::internal("serialize document", &error))?;
    let envelope = state
        .key
        .sign_envelope(document.as_bytes())
        .map_err(|error| ApiError::internal("sign envelope", &error))?;
    Ok(SignedDocument {
        signature: state.key.sign_hex(document.as_bytes()),
        server_public_key: state.key.public_key_hex().to_string(),
        envelope: STANDARD.encode(envelope),
        document,
    })
}

/// `GET /api/v1/config`: the signed configuration of the calling device.
pub async fn get_config(
    State(state): State<AppState>,
    signed: SignedDevice,
) -> Result<Json<SignedDocument>, ApiError> {
    let device = signed.device;
    let server_config = state.config.clone();
    let config = state
        .db
        .call(move |connection| {
            build_config(
                connection,
                &device.id,
                &device.nip,
                now_ms(),
                &server_config.device_policy,
            )
        })
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
    // Ingest checks records that claim anchored time against the anchors this device received.
    let device_id = anchor.device_id.clone();
    let server_time_ms = anchor.server_time_ms;
    state
        .db
        .call(move |connection| {
            connection
                .execute(
                    "INSERT INTO time_anchors (device_id, server_time_ms) VALUES (?1, ?2)",
                    params![device_id, server_time_ms],
                )
                .map_err(|error| ApiError::from(DbError::from(error)))
        })
        .await?;
    Ok(Json(sign_document(&state, &anchor)?))
}

/// One item of a daily work plan (rencana kerja harian), as the server shows it; decoded
/// from the signed plan revision.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanItem {
    pub title: String,
    pub expected_output: String,
    /// Local time window in minutes after midnight, `[start, end]`, when the item has one.
    pub window_minutes: Option<[u16; 2]>,
    /// `planned`, `done` or `not_done`.
    pub status: String,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The signed plan revision (`siperlu_core::plan::SignedPlanRevision` bytes), standard
    /// base64.
    pub signed_revision: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Plan {
    pub date: String,
    /// The phone's revision number, from 1.
    pub revision: i64,
    pub items: Vec<PlanItem>,
    pub updated_at_ms: i64,
    /// The signed revision as stored, standard base64.
    pub signed_revision: String,
}

fn plan_items(revision: &PlanRevision) -> Vec<PlanItem> {
    revision
        .items
        .iter()
        .map(|item| PlanItem {
            title: item.title.clone(),
            expected_output: item.expected_output.clone(),
            window_minutes: item
                .window
                .map(|window| [window.start_minute, window.end_minute]),
            status: item.status.name().to_string(),
            note: item.note.clone(),
        })
        .collect()
}

fn plan_error(id: &'static str, detail: &str) -> ApiError {
    ApiError::invalid_with_id(id, &[("detail", detail)])
}

/// `PUT /api/v1/plans/{date}`: stores a signed revision of the calling ASN's plan of `date`.
///
/// The revision must be signed by the calling device for its own NIP and that date, and must
/// have been saved on that attendance day (by its trusted time, in the zone of the ASN's
/// office). A higher revision replaces the stored one; the same bytes again are accepted as a
/// resend; a lower or conflicting revision is rejected with 409.
pub async fn put_plan(
    State(state): State<AppState>,
    Path(date): Path<String>,
    signed: SignedDevice,
) -> Result<Json<Plan>, ApiError> {
    let date = admin::parse_date("date", &date).map_err(ApiError::from)?;
    let request: PlanRequest = parse_json(&signed.body)?;
    let bytes = STANDARD
        .decode(request.signed_revision.as_bytes())
        .map_err(|_| ApiError::invalid_field("signed_revision", "expected standard base64"))?;
    let revision = SignedPlanRevision::from_bytes(&bytes)
        .map_err(|error| plan_error("ingest.plan_invalid", &error.to_string()))?;
    revision
        .verify(&signed.device.public_key)
        .map_err(|error| plan_error("ingest.plan_invalid", &error.to_string()))?;
    let content = revision.revision().clone();
    if content.device_id.to_string() != signed.device.id
        || content.nip != signed.device.nip
        || content.day != date
    {
        return Err(plan_error(
            "ingest.plan_invalid",
            "the revision names another device, NIP or date than the request",
        ));
    }
    let device = signed.device;

    let plan = state
        .db
        .call(move |connection| {
            let zone = office_zone_of(connection, &device.nip)?;
            if let Err(error) = check_editable(date, content.created_ms, zone, default_cutoff()) {
                let id = error.message_id().unwrap_or("ingest.plan_invalid");
                return Err(plan_error(id, &error.to_string()));
            }

            let stored: Option<(i64, Vec<u8>)> = connection
                .query_row(
                    "SELECT revision, bytes FROM plans WHERE nip = ?1 AND date = ?2",
                    params![device.nip, date.to_string()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(DbError::from)?;
            let number = i64::from(content.revision);
            match &stored {
                Some((stored_number, stored_bytes)) if *stored_number == number && *stored_bytes == bytes => {
                    return find_plan(connection, &device.nip, &date.to_string())?
                        .ok_or_else(|| ApiError::not_found("work plan"));
                }
                Some((stored_number, _)) if *stored_number >= number => {
                    return Err(ApiError::conflict(&format!(
                        "revision {number} is not newer than the stored revision {stored_number}"
                    )));
                }
                _ => {}
            }

            let items_json = serde_json::to_string(&plan_items(&content))
                .map_err(|error| ApiError::internal("serialize plan", &error))?;
            let now = now_ms();
            connection
                .execute(
                    "INSERT INTO plans (nip, date, revision, items_json, bytes, device_id, updated_at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (nip, date) DO UPDATE SET revision = excluded.revision,
                        items_json = excluded.items_json, bytes = excluded.bytes,
                        device_id = excluded.device_id, updated_at_ms = excluded.updated_at_ms",
                    params![device.nip, date.to_string(), number, items_json, bytes, device.id, now],
                )
                .map_err(DbError::from)?;
            tracing::info!(device_id = %device.id, nip = %nip_log_id(&device.nip), %date, revision = number, "work plan stored");
            find_plan(connection, &device.nip, &date.to_string())?
                .ok_or_else(|| ApiError::not_found("work plan"))
        })
        .await?;
    Ok(Json(plan))
}

/// Returns the zone of the first office the ASN is assigned to today, or WIB without one.
fn office_zone_of(connection: &Connection, nip: &str) -> Result<chrono_tz::Tz, ApiError> {
    let today = admin::today();
    for assignment in admin::assignments_of(connection, nip, today).map_err(ApiError::from)? {
        let office =
            admin::find_office(connection, assignment.office_id).map_err(ApiError::from)?;
        if let Some(zone) = crate::fences::parse_zone(&office.time_zone) {
            return Ok(zone.tz());
        }
    }
    Ok(chrono_tz::Asia::Jakarta)
}

/// Loads the plan of `nip` for `date`, if any.
pub fn find_plan(connection: &Connection, nip: &str, date: &str) -> Result<Option<Plan>, ApiError> {
    let row: Option<(i64, String, Vec<u8>, i64)> = connection
        .query_row(
            "SELECT revision, items_json, bytes, updated_at_ms FROM plans WHERE nip = ?1 AND date = ?2",
            params![nip, date],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()
        .map_err(DbError::from)?;
    let Some((revision, items_json, bytes, updated_at_ms)) = row else {
        return Ok(None);
    };
    let items = serde_json::from_str(&items_json)
        .map_err(|error| ApiError::internal("stored plan unreadable", &error))?;
    Ok(Some(Plan {
        date: date.to_string(),
        revision,
        items,
        updated_at_ms,
        signed_revision: STANDARD.encode(bytes),
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
