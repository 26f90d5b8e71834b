//! Check-ins as admins see them: the derived columns of ingested records, filtered lists, and
//! the approve/reject review with its audit entry.

use crate::AppState;
use crate::admin::{AdminApi, audit};
use crate::db::DbError;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

/// One check-in (or check-out) with the columns derived at ingest.
#[derive(Debug, Clone, Serialize)]
pub struct Checkin {
    pub id: String,
    pub device_id: String,
    pub nip: String,
    pub asn_name: Option<String>,
    pub kind: String,
    pub local_date: String,
    /// Trusted time as the server recomputed it from the record's anchor. Records stored before
    /// the server recomputed time show the device's claim here.
    pub trusted_time_ms: i64,
    /// Trusted time as the device claimed it in the record.
    pub claimed_time_ms: i64,
    pub office_id: Option<i64>,
    pub office_name: Option<String>,
    /// IANA zone of the office, such as `Asia/Makassar`; `None` without an office.
    pub office_time_zone: Option<String>,
    pub latitude_e7: i64,
    pub longitude_e7: i64,
    pub accuracy_mm: i64,
    pub device_verdict: String,
    pub server_verdict: String,
    pub distance_m: Option<f64>,
    /// Comma-separated flag ids raised at ingest, empty when nothing looked wrong.
    pub flags: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
}

/// Filters of the check-in list; every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CheckinFilter {
    pub date: Option<String>,
    pub office_id: Option<String>,
    pub status: Option<String>,
    pub flag: Option<String>,
}

const SELECT: &str = "SELECT r.id, r.device_id, r.nip, a.name, r.kind, r.local_date,
    COALESCE(r.server_time_ms, r.trusted_time_ms),
    r.office_id, o.name, r.latitude_e7, r.longitude_e7, r.accuracy_mm, r.device_verdict,
    r.server_verdict, r.distance_m, r.flags, r.status, o.time_zone, r.trusted_time_ms
    FROM records r LEFT JOIN asn a ON a.nip = r.nip LEFT JOIN offices o ON o.id = r.office_id";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Checkin> {
    Ok(Checkin {
        id: row.get(0)?,
        device_id: row.get(1)?,
        nip: row.get(2)?,
        asn_name: row.get(3)?,
        kind: row.get(4)?,
        local_date: row.get(5)?,
        trusted_time_ms: row.get(6)?,
        office_id: row.get(7)?,
        office_name: row.get(8)?,
        latitude_e7: row.get(9)?,
        longitude_e7: row.get(10)?,
        accuracy_mm: row.get(11)?,
        device_verdict: row.get(12)?,
        server_verdict: row.get(13)?,
        distance_m: row.get(14)?,
        flags: row.get(15)?,
        status: row.get(16)?,
        office_time_zone: row.get(17)?,
        claimed_time_ms: row.get(18)?,
    })
}

/// Maximum length of a review reason, in characters.
const MAX_REASON_CHARS: usize = 1000;

/// Tells whether `flag` can filter check-ins: `any`, or a flag id of the form `area.reason`
/// in lowercase ASCII letters, digits and `_`. An id that ingest no longer raises is still
/// accepted, because older records may carry it.
fn is_flag_filter(flag: &str) -> bool {
    if flag == "any" {
        return true;
    }
    let part_ok = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    match flag.split_once('.') {
        Some((area, reason)) => part_ok(area) && part_ok(reason),
        None => false,
    }
}

/// Lists check-ins matching `filter`, newest first, at most 500.
pub fn list_checkins(
    connection: &Connection,
    filter: &CheckinFilter,
) -> Result<Vec<Checkin>, ApiError> {
    let mut clauses = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let non_empty =
        |value: &Option<String>| value.as_ref().filter(|v| !v.trim().is_empty()).cloned();

    if let Some(date) = non_empty(&filter.date) {
        crate::admin::parse_date("date", &date).map_err(ApiError::from)?;
        clauses.push("r.local_date = ?");
        values.push(date);
    }
    if let Some(office) = non_empty(&filter.office_id) {
        let office_id: i64 = office
            .parse()
            .map_err(|_| ApiError::invalid_value("office_id", &office, "api.expected_number"))?;
        clauses.push("r.office_id = ?");
        values.push(office_id.to_string());
    }
    if let Some(status) = non_empty(&filter.status) {
        if !["pending", "approved", "rejected"].contains(&status.as_str()) {
            return Err(ApiError::invalid_value(
                "status",
                &status,
                "api.expected_status",
            ));
        }
        clauses.push("r.status = ?");
        values.push(status);
    }
    if let Some(flag) = non_empty(&filter.flag) {
        if !is_flag_filter(&flag) {
            return Err(ApiError::invalid_value("flag", &flag, "api.expected_flag"));
        }
        if flag == "any" {
            clauses.push("r.flags <> ''");
        } else {
            // Flags are stored comma-separated; the commas around both sides match whole ids.
            clauses.push("(',' || r.flags || ',') LIKE ('%,' || ? || ',%')");
            values.push(flag);
        }
    }

    let mut sql = SELECT.to_string();
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(" ORDER BY COALESCE(r.server_time_ms, r.trusted_time_ms) DESC LIMIT 500");
    let mut statement = connection.prepare(&sql).map_err(DbError::from)?;
    let rows = statement
        .query_map(params_from_iter(values.iter()), from_row)
        .map_err(DbError::from)?;
    Ok(rows.collect::<Result<_, _>>().map_err(DbError::from)?)
}

/// Loads one check-in.
pub fn find_checkin(connection: &Connection, id: &str) -> Result<Option<Checkin>, ApiError> {
    Ok(connection
        .query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], from_row)
        .optional()
        .map_err(DbError::from)?)
}

/// An admin's decision on a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Records the decision with its reason and appends it to the audit log. A rejection needs a
/// reason.
pub fn review_checkin(
    connection: &mut Connection,
    id: &str,
    decision: Decision,
    reason: &str,
    actor: &str,
) -> Result<(), ApiError> {
    let reason = reason.trim();
    if decision == Decision::Reject && reason.is_empty() {
        return Err(ApiError::invalid_with_id("admin.reason_required", &[]));
    }
    let length = reason.chars().count();
    if length > MAX_REASON_CHARS {
        return Err(ApiError::invalid_field_text(
            "reason",
            &crate::error::text(
                "admin_form.reason_length",
                &[
                    ("length", &length.to_string()),
                    ("max_length", &MAX_REASON_CHARS.to_string()),
                ],
            ),
        ));
    }
    let (status, action) = match decision {
        Decision::Approve => ("approved", "checkin.approve"),
        Decision::Reject => ("rejected", "checkin.reject"),
    };
    let transaction = connection.transaction().map_err(DbError::from)?;
    let changed = transaction
        .execute("UPDATE records SET status = ?1 WHERE id = ?2", [status, id])
        .map_err(DbError::from)?;
    if changed == 0 {
        return Err(ApiError::not_found_text(&crate::error::text(
            "admin_form.object_checkin",
            &[("id", id)],
        )));
    }
    audit(&transaction, actor, action, &format!("record:{id}"), reason).map_err(DbError::from)?;
    transaction.commit().map_err(DbError::from)?;
    tracing::info!(record_id = %id, status, actor, "check-in reviewed");
    Ok(())
}

/// One audit log entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

/// Returns the newest audit entries, at most `limit`.
pub fn list_audit(connection: &Connection, limit: i64) -> Result<Vec<AuditEntry>, ApiError> {
    let mut statement = connection
        .prepare(
            "SELECT at_ms, actor, action, target, reason FROM audit_log ORDER BY id DESC LIMIT ?1",
        )
        .map_err(DbError::from)?;
    let rows = statement
        .query_map([limit], |row| {
            Ok(AuditEntry {
                at_ms: row.get(0)?,
                actor: row.get(1)?,
                action: row.get(2)?,
                target: row.get(3)?,
                reason: row.get(4)?,
            })
        })
        .map_err(DbError::from)?;
    Ok(rows.collect::<Result<_, _>>().map_err(DbError::from)?)
}

/// One security event, such as a phone that registered a new face, with the ASN of its
/// device when the device is known.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityEvent {
    pub at_ms: i64,
    /// Event id, such as `device.face_reenrolled` or `record.bad_signature`.
    pub kind: String,
    pub device_id: Option<String>,
    pub asn_name: Option<String>,
}

/// Returns the newest security events, at most `limit`.
pub fn list_security_events(
    connection: &Connection,
    limit: i64,
) -> Result<Vec<SecurityEvent>, ApiError> {
    let mut statement = connection
        .prepare(
            "SELECT e.at_ms, e.kind, e.device_id, a.name FROM security_events e
             LEFT JOIN devices d ON d.id = e.device_id
             LEFT JOIN asn a ON a.nip = d.nip
             ORDER BY e.id DESC LIMIT ?1",
        )
        .map_err(DbError::from)?;
    let rows = statement
        .query_map([limit], |row| {
            Ok(SecurityEvent {
                at_ms: row.get(0)?,
                kind: row.get(1)?,
                device_id: row.get(2)?,
                asn_name: row.get(3)?,
            })
        })
        .map_err(DbError::from)?;
    Ok(rows.collect::<Result<_, _>>().map_err(DbError::from)?)
}

/// `GET /api/v1/admin/checkins`: the filtered check-in list as JSON.
pub async fn get_checkins(
    State(state): State<AppState>,
    _admin: AdminApi,
    Query(filter): Query<CheckinFilter>,
) -> Result<Json<Vec<Checkin>>, ApiError> {
    let list = state
        .db
        .call(move |connection| list_checkins(connection, &filter))
        .await?;
    Ok(Json(list))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn flag_filter_accepts_flag_ids() {
        for flag in [
            "any",
            "location.mock_provider",
            "record.chain_break",
            "x1.y_2",
        ] {
            assert!(is_flag_filter(flag), "{flag}");
        }
    }

    #[test]
    fn flag_filter_rejects_malformed_ids() {
        for flag in [
            "foo",
            "Location.mock",
            ".stale",
            "location.",
            "a.b.c",
            "a b.c",
        ] {
            assert!(!is_flag_filter(flag), "{flag}");
        }
    }
}
