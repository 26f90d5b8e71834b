//! Record ingest: `POST /api/v1/records`, where a device uploads batches of signed attendance
//! records.
//!
//! The server believes nothing a record merely claims. For each record it checks, in order:
//!
//! 1. the bytes decode, the record names the uploading device, and its Ed25519 signature
//!    verifies. These checks need no database and run on the blocking pool before the handler
//!    takes the connection ([`prepare_batch`]);
//! 2. its id is new, or was stored with the very same bytes (an idempotent resend). A known id
//!    with other bytes is rejected and logged as a security event;
//! 3. the per-device hash chain (`siperlu_core::record::link_verified_chain`), against the
//!    chain state read inside the transaction;
//! 4. the NIP is the device owner's.
//!
//! Accepted records are stored byte for byte. Beside them the server stores columns it derives
//! itself. The first is the trusted time recomputed from the record's anchor (see
//! [`crate::trusted_time`]). At that time it recomputes the geofence verdict from its own
//! assignments and the local attendance day. It also stores flags for an admin: device reasons, location trust flags,
//! time checks, verdict mismatch, face mismatch, chain gaps and breaks.

use crate::admin;
use crate::db::DbError;
use crate::device_auth::{Device, SignedDevice};
use crate::error::ApiError;
use crate::extract::parse_json;
use crate::trusted_time;
use crate::{AppState, now_ms};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use siperlu_core::geofence::{self, LatLon};
use siperlu_core::location::{Fix, assess_fix};
use siperlu_core::messages::{self, Locale};
use siperlu_core::nip::nip_log_id;
use siperlu_core::policy::DevicePolicy;
use siperlu_core::record::{
    ActiveLiveness, ChainState, ChainStatus, RecordError, SignedRecord, VerifiedRecord,
    link_verified_chain,
};
use siperlu_core::wire::{DecodeError, DecodeProblem};
use uuid::Uuid;

/// Largest number of records in one upload.
pub const MAX_BATCH_RECORDS: usize = 100;

/// Flag of a record without the blink check while the device policy requires it.
pub const FLAG_BLINK_MISSING: &str = "ingest.blink_missing";

/// Flag of a record whose face template is not the one the device registered with.
pub const FLAG_TEMPLATE_NOT_REGISTERED: &str = "ingest.template_not_registered";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// Signed record bytes (body then signature), standard base64 each.
    pub records: Vec<String>,
}

/// The outcome for one record of a batch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RecordResult {
    /// Position in the uploaded batch.
    pub index: usize,
    /// Record id, when the bytes decode.
    pub record_id: Option<String>,
    /// `accepted`, `duplicate` or `rejected`.
    pub status: &'static str,
    /// Catalog id of the rejection reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_id: Option<&'static str>,
    /// Catalog ids of the flags raised on an accepted record.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct UploadResponse {
    pub results: Vec<RecordResult>,
}

fn rejected(index: usize, record_id: Option<Uuid>, reason_id: &'static str) -> RecordResult {
    RecordResult {
        index,
        record_id: record_id.map(|id| id.to_string()),
        status: "rejected",
        reason_id: Some(reason_id),
        flags: Vec::new(),
    }
}

/// `POST /api/v1/records`.
pub async fn post_records(
    State(state): State<AppState>,
    signed: SignedDevice,
) -> Result<Response, ApiError> {
    let request: UploadRequest = parse_json(&signed.body)?;
    let count = request.records.len();
    if count == 0 || count > MAX_BATCH_RECORDS {
        let id = "ingest.batch_size";
        return Err(ApiError::invalid_with_id(
            id,
            &[
                ("max", &MAX_BATCH_RECORDS.to_string()),
                ("count", &count.to_string()),
            ],
        ));
    }
    let device = signed.device;
    let Ok(device_uuid) = Uuid::parse_str(&device.id) else {
        return Err(ApiError::internal(
            "device id",
            &"stored device id is not a UUID",
        ));
    };

    // Decoding and the Ed25519 checks need no database, so they run on the blocking pool
    // without holding the single connection that every other request waits for.
    let public_key = device.public_key.clone();
    let prepared = tokio::task::spawn_blocking(move || {
        prepare_batch(&request.records, device_uuid, &public_key)
    })
    .await
    .map_err(|error| ApiError::internal("record verification task", &error))?;

    let config = state.config.clone();
    let results = state
        .db
        .call(move |connection| {
            ingest_batch(
                connection,
                &device,
                prepared,
                now_ms(),
                &config.device_policy,
            )
        })
        .await?;

    let accepted = results.iter().filter(|r| r.status == "accepted").count();
    state.metrics.count_ingested(accepted as u64);
    for result in &results {
        if let Some(reason_id) = result.reason_id {
            state.metrics.count_rejection(reason_id);
        }
    }

    let any_kept = results.iter().any(|r| r.status != "rejected");
    if any_kept {
        return Ok(Json(UploadResponse { results }).into_response());
    }
    // Nothing was kept, so the response is 422 with the usual error body plus the per-record
    // results.
    let first_reason = results
        .first()
        .and_then(|result| result.reason_id)
        .unwrap_or("record.malformed");
    let id = "ingest.batch_rejected";
    let values = [("reason", first_reason)];
    let english = messages::format(id, Locale::En, &values);
    let indonesian = messages::format(id, Locale::Id, &values);
    let body = json!({
        "error": {
            "id": id,
            "message": english,
            "messages": {"id": indonesian, "en": english},
        },
        "results": results,
    });
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    response
        .extensions_mut()
        .insert(crate::error::ErrorId("ingest.batch_rejected"));
    Ok(response)
}

/// One uploaded record after the checks that need no database.
#[derive(Debug)]
pub enum PreparedRecord {
    /// Not base64, or not a canonical signed record. `reason_id` names the problem.
    Malformed { reason_id: &'static str },
    /// A record signed for another device than the uploading one.
    WrongDevice { record_id: Uuid, named_device: Uuid },
    /// The signature does not verify with the device key.
    BadSignature { record_id: Uuid, bytes: Vec<u8> },
    /// The signature verified. Boxed because a decoded record is far larger than the other
    /// variants.
    Verified(Box<VerifiedRecord>),
}

impl PreparedRecord {
    fn record_id_and_bytes(&self) -> Option<(Uuid, &[u8])> {
        match self {
            PreparedRecord::BadSignature { record_id, bytes } => Some((*record_id, bytes)),
            PreparedRecord::Verified(verified) => {
                Some((verified.record().record_id, verified.as_bytes()))
            }
            PreparedRecord::Malformed { .. } | PreparedRecord::WrongDevice { .. } => None,
        }
    }
}

/// Decodes each base64 record and checks its device id and signature, in batch order.
pub fn prepare_batch(
    encoded: &[String],
    device_id: Uuid,
    public_key: &[u8],
) -> Vec<PreparedRecord> {
    encoded
        .iter()
        .map(|text| {
            let Ok(bytes) = STANDARD.decode(text) else {
                return PreparedRecord::Malformed {
                    reason_id: "record.malformed",
                };
            };
            let signed = match SignedRecord::from_bytes(&bytes) {
                Ok(signed) => signed,
                Err(error) => {
                    return PreparedRecord::Malformed {
                        reason_id: malformed_reason(&error),
                    };
                }
            };
            let record_id = signed.record().record_id;
            if signed.record().device_id != device_id {
                return PreparedRecord::WrongDevice {
                    record_id,
                    named_device: signed.record().device_id,
                };
            }
            match VerifiedRecord::verify(signed, public_key) {
                Ok(verified) => PreparedRecord::Verified(Box::new(verified)),
                Err(_) => PreparedRecord::BadSignature { record_id, bytes },
            }
        })
        .collect()
}

/// Returns the reason id of bytes that do not decode: an app still writing an older record
/// format gets its own id, so the phone can ask for an update.
fn malformed_reason(error: &RecordError) -> &'static str {
    match error {
        RecordError::Malformed(DecodeError {
            problem: DecodeProblem::UnsupportedVersion { .. },
            ..
        }) => "record.unsupported_version",
        _ => "record.malformed",
    }
}

pub(crate) fn security_event(
    connection: &Connection,
    kind: &str,
    device_id: &str,
    detail: &str,
) -> Result<(), DbError> {
    tracing::warn!(device_id, kind, detail, "security event");
    connection.execute(
        "INSERT INTO security_events (at_ms, kind, device_id, detail) VALUES (?1, ?2, ?3, ?4)",
        params![now_ms(), kind, device_id, detail],
    )?;
    Ok(())
}

fn duplicate(index: usize, record_id: Uuid) -> RecordResult {
    RecordResult {
        index,
        record_id: Some(record_id.to_string()),
        status: "duplicate",
        reason_id: None,
        flags: Vec::new(),
    }
}

/// Links, checks and stores one device's prepared batch in a single transaction; returns a
/// result per record in batch order.
///
/// The chain state is read inside the transaction, so two batches of one device that were
/// verified at the same time are still linked one after the other against the state the
/// earlier one left.
pub fn ingest_batch(
    connection: &mut Connection,
    device: &Device,
    prepared: Vec<PreparedRecord>,
    received_at_ms: i64,
    policy: &DevicePolicy,
) -> Result<Vec<RecordResult>, ApiError> {
    let transaction = connection.transaction().map_err(DbError::from)?;
    let mut results: Vec<Option<RecordResult>> = vec![None; prepared.len()];
    let Ok(device_uuid) = Uuid::parse_str(&device.id) else {
        return Err(ApiError::internal(
            "device id",
            &"stored device id is not a UUID",
        ));
    };

    // Step 1: reject what failed before the transaction, and sort out known ids. A known id
    // with other bytes is a conflict whatever its signature.
    let mut candidates: Vec<(usize, VerifiedRecord)> = Vec::new();
    for (index, item) in prepared.into_iter().enumerate() {
        if let PreparedRecord::Malformed { reason_id } = item {
            results[index] = Some(rejected(index, None, reason_id));
            continue;
        }
        if let PreparedRecord::WrongDevice {
            record_id,
            named_device,
        } = item
        {
            security_event(
                &transaction,
                "record.wrong_device",
                &device.id,
                &format!("record {record_id} names device {named_device}"),
            )?;
            results[index] = Some(rejected(index, Some(record_id), "record.wrong_device"));
            continue;
        }
        let Some((record_id, bytes)) = item.record_id_and_bytes() else {
            continue;
        };

        let stored: Option<Vec<u8>> = transaction
            .query_row(
                "SELECT bytes FROM records WHERE id = ?1",
                params![record_id.to_string()],
                |row| row.get(0),
            )
            .optional()
            .map_err(DbError::from)?;
        let earlier_in_batch = candidates
            .iter()
            .find(|(_, other)| other.record().record_id == record_id)
            .map(|(_, other)| other.as_bytes().to_vec());
        match stored.or(earlier_in_batch) {
            Some(known) if known == bytes => {
                results[index] = Some(duplicate(index, record_id));
                continue;
            }
            Some(_) => {
                security_event(
                    &transaction,
                    "ingest.id_conflict",
                    &device.id,
                    &format!("record {record_id} uploaded again with different bytes"),
                )?;
                results[index] = Some(rejected(index, Some(record_id), "ingest.id_conflict"));
                continue;
            }
            None => {}
        }

        match item {
            PreparedRecord::Verified(verified) => candidates.push((index, *verified)),
            _ => {
                security_event(
                    &transaction,
                    "record.bad_signature",
                    &device.id,
                    &format!("record {record_id}"),
                )?;
                results[index] = Some(rejected(index, Some(record_id), "record.bad_signature"));
            }
        }
    }

    // Step 2: the hash chain, in sequence order, against the state stored now.
    candidates.sort_by_key(|(_, verified)| verified.record().sequence);
    let state = read_chain_state(&transaction, &device.id)?;
    let references: Vec<&VerifiedRecord> =
        candidates.iter().map(|(_, verified)| verified).collect();
    let report = link_verified_chain(device_uuid, state, &references);

    // Step 3: derive, flag and store each record the chain accepted.
    for ((index, verified), finding) in candidates.iter().zip(&report.findings) {
        let record_id = verified.record().record_id;
        let mut chain_flags: Vec<String> = Vec::new();
        match &finding.status {
            ChainStatus::Linked => {}
            ChainStatus::SequenceGap { .. } | ChainStatus::ChainBreak { .. } => {
                if let Some(id) = finding.status.message_id() {
                    chain_flags.push(id.to_string());
                }
            }
            ChainStatus::Duplicate => {
                results[*index] = Some(duplicate(*index, record_id));
                continue;
            }
            other => {
                let reason_id = other.message_id().unwrap_or("record.malformed");
                security_event(
                    &transaction,
                    reason_id,
                    &device.id,
                    &format!("record {record_id}"),
                )?;
                results[*index] = Some(rejected(*index, Some(record_id), reason_id));
                continue;
            }
        }

        if verified.record().nip != device.nip {
            security_event(
                &transaction,
                "ingest.nip_mismatch",
                &device.id,
                &format!(
                    "record {record_id} signed for NIP {}",
                    nip_log_id(&verified.record().nip)
                ),
            )?;
            results[*index] = Some(rejected(*index, Some(record_id), "ingest.nip_mismatch"));
            continue;
        }

        let derived = derive(
            &transaction,
            device,
            verified.signed(),
            received_at_ms,
            policy,
        )?;
        let mut flags = derived.flags;
        flags.extend(chain_flags);
        let mut unique = Vec::new();
        for flag in flags {
            if !unique.contains(&flag) {
                unique.push(flag);
            }
        }
        store(
            &transaction,
            device,
            verified.signed(),
            &derived.columns,
            &unique,
            received_at_ms,
        )?;
        tracing::info!(
            device_id = %device.id,
            record_id = %record_id,
            sequence = verified.record().sequence,
            verdict = %derived.columns.server_verdict,
            flags = unique.len(),
            "record ingested"
        );
        results[*index] = Some(RecordResult {
            index: *index,
            record_id: Some(record_id.to_string()),
            status: "accepted",
            reason_id: None,
            flags: unique,
        });
    }

    if let Some(state) = report.state {
        transaction
            .execute(
                "UPDATE devices SET chain_sequence = ?1, chain_hash = ?2 WHERE id = ?3",
                params![state.sequence as i64, state.hash.to_vec(), device.id],
            )
            .map_err(DbError::from)?;
    }
    transaction.commit().map_err(DbError::from)?;

    Ok(results
        .into_iter()
        .enumerate()
        .map(|(index, result)| result.unwrap_or_else(|| rejected(index, None, "record.malformed")))
        .collect())
}

/// Reads the chain state stored after the device's last accepted record.
fn read_chain_state(
    connection: &Connection,
    device_id: &str,
) -> Result<Option<ChainState>, ApiError> {
    let (sequence, hash) = connection
        .query_row(
            "SELECT chain_sequence, chain_hash FROM devices WHERE id = ?1",
            params![device_id],
            |row| {
                Ok((
                    row.get::<_, Option<i64>>(0)?,
                    row.get::<_, Option<Vec<u8>>>(1)?,
                ))
            },
        )
        .map_err(DbError::from)?;
    Ok(match (sequence, hash) {
        (Some(sequence), Some(hash)) if hash.len() == 32 => {
            let mut fixed = [0u8; 32];
            fixed.copy_from_slice(&hash);
            Some(ChainState {
                sequence: sequence as u64,
                hash: fixed,
            })
        }
        _ => None,
    })
}

/// Columns computed by the server for one record.
struct Columns {
    /// Trusted time as the server recomputed it; the record's claim stays in its bytes.
    server_time_ms: i64,
    office_id: Option<i64>,
    local_date: String,
    server_verdict: String,
    distance_m: Option<f64>,
}

struct Derived {
    columns: Columns,
    flags: Vec<String>,
}

/// Recomputes the geofence verdict, the attendance day and the flags of one record.
fn derive(
    connection: &Connection,
    device: &Device,
    signed: &SignedRecord,
    received_at_ms: i64,
    policy: &DevicePolicy,
) -> Result<Derived, ApiError> {
    let record = signed.record();
    let mut flags: Vec<String> = record.reasons.clone();

    // The device's previous stored record: its clocks for the time checks, and its fix and
    // time for impossible travel. A record stored before format version 2 no longer decodes,
    // so it only serves the travel check.
    let previous: Option<(Vec<u8>, Fix, i64)> = connection
        .query_row(
            "SELECT bytes, latitude_e7, longitude_e7, accuracy_mm,
                COALESCE(server_time_ms, trusted_time_ms) FROM records
             WHERE device_id = ?1 AND sequence < ?2 ORDER BY sequence DESC LIMIT 1",
            params![device.id, record.sequence as i64],
            |row| {
                Ok((
                    row.get(0)?,
                    Fix {
                        latitude_e7: row.get::<_, i64>(1)? as i32,
                        longitude_e7: row.get::<_, i64>(2)? as i32,
                        accuracy_mm: row.get::<_, i64>(3)? as u32,
                        fix_time_ms: row.get(4)?,
                        provider: String::new(),
                        is_mock: false,
                    },
                    row.get(4)?,
                ))
            },
        )
        .optional()
        .map_err(DbError::from)?;
    let previous_record = previous.as_ref().and_then(|(bytes, _, _)| {
        SignedRecord::from_bytes(bytes)
            .ok()
            .map(|signed| signed.record().clone())
    });

    // Time: recomputed from the anchor the record names; every later step uses this time.
    let server_time = trusted_time::recompute_time(
        connection,
        &device.id,
        record,
        previous_record.as_ref(),
        received_at_ms,
        &policy.time_policy(),
    )?;
    flags.extend(server_time.flags);
    let trusted_ms = server_time.time_ms;
    if !record.face.matched {
        flags.push("ingest.face_not_matched".into());
    }
    if policy.face_policy.require_blink && record.face.active_liveness == ActiveLiveness::NotRun {
        flags.push(FLAG_BLINK_MISSING.into());
    }

    // The face must have been matched against a template the server accepted with an
    // enrollment code, and, for a template a later registration replaced, before that.
    // Another one means the face on the phone was replaced without a code.
    let template_registered: bool = connection
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM device_templates
             WHERE device_id = ?1 AND template_id = ?2
               AND (replaced_at_ms IS NULL OR replaced_at_ms >= ?3))",
            params![device.id, record.template_id, trusted_ms],
            |row| row.get(0),
        )
        .map_err(DbError::from)?;
    if !template_registered {
        flags.push(FLAG_TEMPLATE_NOT_REGISTERED.into());
    }

    // Location trust flags, with the device's previous stored record for impossible travel.
    let fix = Fix {
        latitude_e7: record.location.latitude_e7,
        longitude_e7: record.location.longitude_e7,
        accuracy_mm: record.location.accuracy_mm,
        fix_time_ms: record.location.fix_time_ms,
        provider: record.location.provider.clone(),
        is_mock: record.location.mock,
    };
    let previous = previous.map(|(_, fix, time_ms)| (fix, time_ms));
    let previous_ref = previous.as_ref().map(|(fix, time_ms)| (fix, *time_ms));
    match assess_fix(&fix, previous_ref, trusted_ms, &policy.location_policy) {
        Ok(location_flags) => flags.extend(
            location_flags
                .iter()
                .map(|flag| flag.reason_id().to_string()),
        ),
        Err(_) => flags.push("ingest.invalid_location".into()),
    }

    // Geofence: recomputed against the places the server assigned for that day.
    let offices = places_at(connection, &device.nip, trusted_ms)?;
    let point = LatLon {
        lat: f64::from(record.location.latitude_e7) / 1e7,
        lon: f64::from(record.location.longitude_e7) / 1e7,
    };
    let accuracy_m = f64::from(record.location.accuracy_mm) / 1000.0;
    let mut columns = Columns {
        server_time_ms: trusted_ms,
        office_id: None,
        local_date: local_date(trusted_ms, i32::from(record.zone_offset_minutes)),
        server_verdict: "not_evaluated".into(),
        distance_m: None,
    };
    if offices.is_empty() {
        flags.push("ingest.no_assignment".into());
    } else {
        let geo_offices: Vec<geofence::Office> =
            offices.iter().map(admin::Office::to_geo).collect();
        match geofence::evaluate(geo_offices.iter(), point, accuracy_m) {
            Ok(verdict) => {
                columns.server_verdict = verdict.kind.as_str().to_string();
                columns.distance_m = Some(verdict.distance_m);
                if let Some(office) = offices
                    .iter()
                    .find(|office| office.code == verdict.office_id)
                {
                    columns.office_id = Some(office.id);
                    if let Some(zone) = crate::fences::parse_zone(&office.time_zone)
                        && let Some(instant) = chrono::DateTime::from_timestamp_millis(trusted_ms)
                    {
                        columns.local_date = zone.local_date(instant).to_string();
                    }
                }
                if verdict.kind != geofence::VerdictKind::Inside {
                    flags.push(verdict.reason_id.to_string());
                }
            }
            Err(_) => flags.push("ingest.invalid_location".into()),
        }
    }
    if record.geofence.code.name() != columns.server_verdict {
        flags.push("ingest.verdict_mismatch".into());
    }
    Ok(Derived { columns, flags })
}

fn local_date(trusted_ms: i64, offset_minutes: i32) -> String {
    chrono::DateTime::from_timestamp_millis(trusted_ms + i64::from(offset_minutes) * 60_000)
        .map(|time| time.date_naive().to_string())
        .unwrap_or_default()
}

/// Returns the offices and dinas luar locations assigned to `nip` on the local day of
/// `trusted_ms`, judging the day in each location's own zone.
fn places_at(
    connection: &Connection,
    nip: &str,
    trusted_ms: i64,
) -> Result<Vec<admin::Office>, ApiError> {
    let Some(instant) = chrono::DateTime::from_timestamp_millis(trusted_ms) else {
        return Ok(Vec::new());
    };
    let earliest = instant.date_naive() - chrono::Duration::days(1);
    let mut places: Vec<admin::Office> = Vec::new();
    for assignment in admin::assignments_of(connection, nip, earliest).map_err(ApiError::from)? {
        let office =
            admin::find_office(connection, assignment.office_id).map_err(ApiError::from)?;
        let Some(zone) = crate::fences::parse_zone(&office.time_zone) else {
            continue;
        };
        let day = zone.local_date(instant).to_string();
        let covers = assignment.valid_from <= day && day <= assignment.valid_until;
        if covers && !places.iter().any(|place| place.id == office.id) {
            places.push(office);
        }
    }
    Ok(places)
}

fn store(
    connection: &Connection,
    device: &Device,
    signed: &SignedRecord,
    columns: &Columns,
    flags: &[String],
    received_at_ms: i64,
) -> Result<(), ApiError> {
    let record = signed.record();
    connection
        .execute(
            "INSERT INTO records (id, device_id, nip, sequence, bytes, kind, local_date,
                trusted_time_ms, office_id, latitude_e7, longitude_e7, accuracy_mm, device_verdict,
                server_verdict, distance_m, face_score_milli, face_matched, time_source, flags,
                received_at_ms, server_time_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21)",
            params![
                record.record_id.to_string(),
                device.id,
                record.nip,
                record.sequence as i64,
                signed.as_bytes(),
                record.kind.name(),
                columns.local_date,
                record.trusted_time_ms,
                columns.office_id,
                i64::from(record.location.latitude_e7),
                i64::from(record.location.longitude_e7),
                i64::from(record.location.accuracy_mm),
                record.geofence.code.name(),
                columns.server_verdict,
                columns.distance_m,
                record.face.score_milli,
                record.face.matched,
                record.time_source.name(),
                flags.join(","),
                received_at_ms,
                columns.server_time_ms,
            ],
        )
        .map_err(DbError::from)?;
    Ok(())
}
