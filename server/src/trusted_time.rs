//! The server's own trusted time for an ingested record, recomputed from the anchor the record
//! names rather than taken from the record's claim.
//!
//! A record carries the anchor its trusted time was computed from. The server first checks that
//! it issued that anchor to the uploading device (table `time_anchors`). Then it runs the
//! function the phone ran, `siperlu_core::time::estimate_trusted_time`, on the record's clock
//! reading, that anchor and the clock reading of the device's previous stored record. The result
//! is the time the server uses for the attendance day, the assignments and the admin pages. The
//! record's own claim stays in the stored bytes and in `records.trusted_time_ms`.

use crate::db::DbError;
use rusqlite::{Connection, params};
use siperlu_core::record::AttendanceRecord;
use siperlu_core::time::{
    DEFAULT_MAX_CLOCK_SKEW_MS, TimePolicy, TimeSource, TrustedTime, estimate_trusted_time,
};

/// Reason id of a record naming an anchor the server never issued to the device.
pub const FLAG_UNKNOWN_ANCHOR: &str = "ingest.unknown_anchor";
/// Reason id of a record whose trusted time differs from the server's recomputation by more
/// than the recomputed uncertainty, or whose time source differs.
pub const FLAG_TIME_MISMATCH: &str = "ingest.time_mismatch";
/// Reason id of a record naming the same anchor as the device's previous record of the same
/// boot, but with another elapsed reading or round trip for it.
pub const FLAG_ANCHOR_MISMATCH: &str = "ingest.anchor_mismatch";
/// Reason id of a trusted time after the moment the server received the record.
pub const FLAG_FUTURE_TIME: &str = "ingest.future_time";

/// Largest uncertainty that widens the future-time allowance. A longer bound would let a
/// record lie days ahead unflagged.
const MAX_FUTURE_ALLOWANCE_MS: i64 = 24 * 3_600_000;

/// The server's recomputation of one record's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerTime {
    /// The trusted time the server computed, ms since the Unix epoch.
    pub time_ms: i64,
    /// Its source: [`TimeSource::WallClock`] as well when the record's anchor is unknown.
    pub source: TimeSource,
    /// Flag ids for an admin (`time.*` from the core computation, `ingest.*` from here).
    pub flags: Vec<String>,
}

/// Recomputes the trusted time of `record` from the anchor it names, if the server issued that
/// anchor to `device_id`.
///
/// `previous` is the device's previous stored record. The core computation compares the
/// elapsed clock with its clock reading, so an elapsed clock running backwards within one boot
/// is flagged. Its anchor, when it is the same anchor, must carry the same readings.
///
/// NOTE: the elapsed readings are the phone's own word. A modified app that names a genuine
/// earlier anchor of the same boot for the first time, with a smaller elapsed clock, can
/// still claim an earlier time that recomputes consistently. `policy` must be the
/// time policy of the configuration the server signs for phones, so both compute alike.
pub fn recompute_time(
    connection: &Connection,
    device_id: &str,
    record: &AttendanceRecord,
    previous: Option<&AttendanceRecord>,
    received_at_ms: i64,
    policy: &TimePolicy,
) -> Result<ServerTime, DbError> {
    let mut flags: Vec<String> = Vec::new();

    // An anchor the server never issued is ignored, so the time falls back to the wall clock.
    let mut anchor_known = true;
    let anchor = match &record.anchor {
        Some(claimed) => {
            anchor_known = anchor_issued(connection, device_id, claimed.server_time_ms)?;
            if !anchor_known {
                flags.push(FLAG_UNKNOWN_ANCHOR.to_string());
            }
            anchor_known.then(|| claimed.to_time_anchor(&record.boot_id))
        }
        None => None,
    };

    // One anchor was received once, so every record of its boot that names it must give it
    // the same elapsed reading and round trip.
    if let (Some(claimed), Some(earlier)) = (&record.anchor, previous)
        && let Some(earlier_anchor) = &earlier.anchor
        && earlier.boot_id == record.boot_id
        && earlier_anchor.server_time_ms == claimed.server_time_ms
        && earlier_anchor != claimed
    {
        flags.push(FLAG_ANCHOR_MISMATCH.to_string());
    }

    let previous_reading = previous.map(AttendanceRecord::clock_reading);
    let recomputed = estimate_trusted_time(
        &record.clock_reading(),
        anchor.as_ref(),
        previous_reading.as_ref(),
        policy,
    );
    flags.extend(recomputed.flags.iter().map(|flag| flag.to_string()));

    // An unknown anchor is already flagged, and a mismatch flag would only repeat that cause.
    if anchor_known && claim_disagrees(record, &recomputed) {
        flags.push(FLAG_TIME_MISMATCH.to_string());
    }

    let allowed_ahead_ms = match recomputed.source {
        TimeSource::ServerAnchor => {
            i64::from(recomputed.uncertainty_ms).min(MAX_FUTURE_ALLOWANCE_MS)
                + DEFAULT_MAX_CLOCK_SKEW_MS
        }
        TimeSource::WallClock => DEFAULT_MAX_CLOCK_SKEW_MS,
    };
    if recomputed.time_ms > received_at_ms.saturating_add(allowed_ahead_ms) {
        flags.push(FLAG_FUTURE_TIME.to_string());
    }

    Ok(ServerTime {
        time_ms: recomputed.time_ms,
        source: recomputed.source,
        flags,
    })
}

/// Checks whether the record's claimed time differs from the recomputation beyond its
/// uncertainty.
/// A wall-clock estimate is the wall clock itself, so it gets no tolerance.
fn claim_disagrees(record: &AttendanceRecord, recomputed: &TrustedTime) -> bool {
    if record.time_source != recomputed.source {
        return true;
    }
    let tolerance_ms = match recomputed.source {
        TimeSource::ServerAnchor => i64::from(recomputed.uncertainty_ms),
        TimeSource::WallClock => 0,
    };
    let difference_ms = i128::from(record.trusted_time_ms) - i128::from(recomputed.time_ms);
    difference_ms.abs() > i128::from(tolerance_ms)
}

/// Checks whether the server issued an anchor with this server time to this device.
fn anchor_issued(
    connection: &Connection,
    device_id: &str,
    server_time_ms: i64,
) -> Result<bool, DbError> {
    let count: i64 = connection.query_row(
        "SELECT COUNT(*) FROM time_anchors WHERE device_id = ?1 AND server_time_ms = ?2",
        params![device_id, server_time_ms],
        |row| row.get(0),
    )?;
    Ok(count > 0)
}

#[cfg(test)]
mod test {
    use super::*;
    use siperlu_core::record::{
        ActiveLiveness, AttendanceKind, GENESIS_HASH, GeofenceCode, RECORD_FORMAT_VERSION,
        RecordAnchor, RecordFace, RecordGeofence, RecordLocation,
    };
    use siperlu_core::time::{FLAG_CLOCK_SKEW, FLAG_ELAPSED_BACKWARDS, FLAG_NO_ANCHOR};
    use uuid::Uuid;

    const DEVICE: &str = "5a1e0c3e-7d2b-4f0a-9c41-0b9e2f6d8a17";
    const ANCHOR_MS: i64 = 1_796_346_000_000;

    fn connection() -> Connection {
        let connection = Connection::open_in_memory().expect("in-memory database");
        connection
            .execute_batch(
                "CREATE TABLE time_anchors (device_id TEXT NOT NULL, server_time_ms INTEGER NOT NULL);",
            )
            .expect("create table");
        connection
            .execute(
                "INSERT INTO time_anchors (device_id, server_time_ms) VALUES (?1, ?2)",
                params![DEVICE, ANCHOR_MS],
            )
            .expect("insert anchor");
        connection
    }

    /// Builds a record made one hour after the anchor, as an honest phone computes it.
    fn honest_record() -> AttendanceRecord {
        AttendanceRecord {
            format_version: RECORD_FORMAT_VERSION,
            record_id: Uuid::from_u128(0x0193_8f3a_1c00_7000_8000_0000_0000_0001),
            device_id: Uuid::parse_str(DEVICE).expect("uuid"),
            nip: "199001012015031001".to_string(),
            kind: AttendanceKind::CheckIn,
            wall_clock_ms: ANCHOR_MS + 3_600_000,
            elapsed_ms: 5_000_000 + 3_600_000,
            boot_id: "boot-1".to_string(),
            trusted_time_ms: ANCHOR_MS + 3_600_000,
            trusted_uncertainty_ms: 50 + 360,
            time_source: TimeSource::ServerAnchor,
            anchor: Some(RecordAnchor {
                server_time_ms: ANCHOR_MS,
                elapsed_ms: 5_000_000,
                round_trip_uncertainty_ms: 50,
            }),
            zone_offset_minutes: 420,
            location: RecordLocation {
                latitude_e7: -65_950_000,
                longitude_e7: 1_067_967_000,
                accuracy_mm: 8_000,
                fix_time_ms: ANCHOR_MS + 3_598_000,
                provider: "gps".to_string(),
                mock: false,
            },
            geofence: RecordGeofence {
                code: GeofenceCode::Inside,
                office_id: "KB-01".to_string(),
                distance_mm: 0,
            },
            face: RecordFace {
                matched: true,
                score_milli: 720,
                liveness_milli: 980,
                active_liveness: ActiveLiveness::Passed,
            },
            reasons: Vec::new(),
            template_id: "template-1".to_string(),
            model_ids: Vec::new(),
            sequence: 1,
            previous_hash: GENESIS_HASH,
        }
    }

    fn received_ms() -> i64 {
        ANCHOR_MS + 3_700_000
    }

    /// Recomputes `record` of [`DEVICE`], received at [`received_ms`], under the default policy.
    fn recompute(record: &AttendanceRecord, previous: Option<&AttendanceRecord>) -> ServerTime {
        recompute_time(
            &connection(),
            DEVICE,
            record,
            previous,
            received_ms(),
            &TimePolicy::default(),
        )
        .expect("query runs")
    }

    #[test]
    fn honest_record_recomputes_exactly() {
        let record = honest_record();
        let time = recompute(&record, None);
        assert_eq!(time.time_ms, record.trusted_time_ms);
        assert_eq!(time.source, TimeSource::ServerAnchor);
        assert!(time.flags.is_empty(), "{:?}", time.flags);
    }

    #[test]
    fn clock_set_back_keeps_anchored_time() {
        let mut record = honest_record();
        record.wall_clock_ms -= 3_600_000;
        let time = recompute(&record, None);
        assert_eq!(
            time.time_ms,
            ANCHOR_MS + 3_600_000,
            "the wall clock is ignored"
        );
        assert_eq!(time.flags, vec![FLAG_CLOCK_SKEW.to_string()]);
    }

    #[test]
    fn fabricated_anchor_is_unknown() {
        let mut record = honest_record();
        if let Some(anchor) = record.anchor.as_mut() {
            anchor.server_time_ms -= 3_600_000;
        }
        record.trusted_time_ms -= 3_600_000;
        let time = recompute(&record, None);
        assert_eq!(time.source, TimeSource::WallClock);
        assert_eq!(time.time_ms, record.wall_clock_ms);
        assert_eq!(
            time.flags,
            vec![FLAG_UNKNOWN_ANCHOR.to_string(), FLAG_NO_ANCHOR.to_string()]
        );
    }

    #[test]
    fn anchor_of_other_device_is_unknown() {
        let record = honest_record();
        let time = recompute_time(
            &connection(),
            "00000000-0000-4000-8000-000000000000",
            &record,
            None,
            received_ms(),
            &TimePolicy::default(),
        )
        .expect("query runs");
        assert!(
            time.flags.contains(&FLAG_UNKNOWN_ANCHOR.to_string()),
            "{:?}",
            time.flags
        );
    }

    #[test]
    fn claim_beyond_uncertainty_is_mismatch() {
        let mut record = honest_record();
        record.trusted_time_ms -= 410;
        let within = recompute(&record, None);
        assert!(within.flags.is_empty(), "410 ms bound: {:?}", within.flags);

        record.trusted_time_ms = ANCHOR_MS + 3_600_000 - 30 * 60_000;
        record.wall_clock_ms = record.trusted_time_ms;
        let beyond = recompute(&record, None);
        assert_eq!(beyond.time_ms, ANCHOR_MS + 3_600_000, "server time wins");
        assert!(
            beyond.flags.contains(&FLAG_TIME_MISMATCH.to_string()),
            "{:?}",
            beyond.flags
        );
    }

    #[test]
    fn elapsed_backwards_within_boot_is_flagged() {
        let record = honest_record();
        let mut previous = honest_record();
        previous.wall_clock_ms += 60_000;
        previous.elapsed_ms += 60_000;
        previous.trusted_time_ms += 60_000;
        let time = recompute(&record, Some(&previous));
        assert_eq!(time.flags, vec![FLAG_ELAPSED_BACKWARDS.to_string()]);

        let other_boot = AttendanceRecord {
            boot_id: "boot-0".to_string(),
            ..previous
        };
        let time = recompute(&record, Some(&other_boot));
        assert!(time.flags.is_empty(), "another boot: {:?}", time.flags);
    }

    #[test]
    fn same_anchor_other_readings_flagged() {
        let previous = honest_record();
        let mut record = honest_record();
        record.elapsed_ms += 60_000;
        record.wall_clock_ms += 60_000;
        record.trusted_time_ms += 60_000;
        let time = recompute(&record, Some(&previous));
        assert!(
            time.flags.is_empty(),
            "same anchor, same readings: {:?}",
            time.flags
        );

        // The anchor's elapsed reading moved a minute later, so the time moves a minute back.
        if let Some(anchor) = record.anchor.as_mut() {
            anchor.elapsed_ms += 60_000;
        }
        record.trusted_time_ms -= 60_000;
        record.wall_clock_ms -= 60_000;
        let time = recompute(&record, Some(&previous));
        assert_eq!(time.flags, vec![FLAG_ANCHOR_MISMATCH.to_string()]);
    }

    #[test]
    fn time_after_receipt_is_future() {
        let record = honest_record();
        let early_receipt_ms = record.trusted_time_ms - DEFAULT_MAX_CLOCK_SKEW_MS - 10_000;
        let time = recompute_time(
            &connection(),
            DEVICE,
            &record,
            None,
            early_receipt_ms,
            &TimePolicy::default(),
        )
        .expect("query runs");
        assert_eq!(time.flags, vec![FLAG_FUTURE_TIME.to_string()]);
    }
}
