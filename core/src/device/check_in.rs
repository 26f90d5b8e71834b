//! The check-in flow: face verification, trusted time, the geofence verdict and the location
//! trust flags, joined into one signed record and one answer for the screen.
//!
//! Every attempt whose inputs are well-formed is recorded, a failed match or an Outside verdict
//! too, so admins see attempts. Malformed input (unreadable frames, invalid coordinates, no
//! template, no configuration) returns a [`DeviceError`] before anything is appended.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::face::{ActiveLiveness as FaceActiveLiveness, FaceReason, FaceVerdict};
use crate::geofence::{self, GeofenceVerdict, OfficeZone, VerdictKind};
use crate::location::{self, Fix, TrustFlag};
use crate::messages::{self, Locale};
use crate::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation,
};
use crate::time::{
    self, FLAG_CLOCK_SKEW, FLAG_ELAPSED_BACKWARDS, ShiftEdge, TimePolicy, TimeSource, TrustedTime,
};

use super::{Device, DeviceError, clock::read_clock};

/// Outcome of a check-in as the screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckInStatus {
    /// Face matched and live, inside the fence, no trust flag.
    Accepted,
    /// Face and fence passed, but a trust flag (mock location, clock set back, impossible
    /// travel ...) means an admin reviews the record.
    Flagged,
    /// Face or fence failed; the attempt is recorded with its verdicts.
    Rejected,
}

impl CheckInStatus {
    /// Returns the lowercase name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            CheckInStatus::Accepted => "accepted",
            CheckInStatus::Flagged => "flagged",
            CheckInStatus::Rejected => "rejected",
        }
    }

    /// Returns the catalog id of the headline text.
    pub fn message_id(self) -> &'static str {
        match self {
            CheckInStatus::Accepted => "common.accepted",
            CheckInStatus::Flagged => "device.flagged",
            CheckInStatus::Rejected => "common.rejected",
        }
    }
}

/// A reason with its texts filled in, in both locales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonText {
    /// Catalog id, such as `face.no_match` or `location.mock_provider`.
    pub id: String,
    /// Text in Bahasa Indonesia.
    pub id_text: String,
    /// Text in English.
    pub en_text: String,
}

impl ReasonText {
    fn new(id: &str, values: &[(&str, &str)]) -> ReasonText {
        ReasonText {
            id: id.to_string(),
            id_text: messages::format(id, Locale::Id, values),
            en_text: messages::format(id, Locale::En, values),
        }
    }

    /// Returns the text in `locale`.
    pub fn text(&self, locale: Locale) -> &str {
        match locale {
            Locale::Id => &self.id_text,
            Locale::En => &self.en_text,
        }
    }
}

/// The result of [`Device::check_in`]: what the screen shows and what was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInOutcome {
    /// Accepted, flagged or rejected.
    pub status: CheckInStatus,
    /// The headline (`common.accepted`, `device.flagged` or `common.rejected`).
    pub headline: ReasonText,
    /// Whether the ASN should try again now (an Uncertain fence verdict or a photo problem).
    pub retry_advised: bool,
    /// Every reason and flag, in the order the checks ran, then `device.retry` when advised.
    pub reasons: Vec<ReasonText>,
    /// Id of the appended record.
    pub record_id: Uuid,
    /// Its per-device sequence number.
    pub sequence: u64,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// The attendance day in the office zone (for an overnight shift, the day it began).
    pub attendance_day: NaiveDate,
    /// Zone of the office the verdict names.
    pub zone: OfficeZone,
    /// Trusted time of the record, ms since the Unix epoch.
    pub trusted_time_ms: i64,
    /// Source of the trusted time.
    pub time_source: TimeSource,
    /// Latitude of the fix in 1e-7 degrees.
    pub latitude_e7: i32,
    /// Longitude of the fix in 1e-7 degrees.
    pub longitude_e7: i32,
    /// Accuracy radius of the fix in millimetres.
    pub accuracy_mm: u32,
    /// The fence verdict.
    pub geofence: GeofenceCode,
    /// Id of the office the verdict names (inside it, or the nearest).
    pub office_id: String,
    /// Name of that office.
    pub office_name: String,
    /// Geodesic distance to that office's nearest fence in metres; 0 inside.
    pub distance_m: f64,
    /// Whether the face matched the template.
    pub face_matched: bool,
    /// Match score in thousandths, when a face was embedded.
    pub face_score_milli: Option<i32>,
    /// Passive liveness score in thousandths, when it ran.
    pub liveness_milli: Option<i32>,
}

/// Reason ids that reject a check-in: any face reason, and a fence verdict other than Inside.
fn is_rejecting(reason_id: &str) -> bool {
    reason_id.starts_with("face.")
        || reason_id == "geofence.outside"
        || reason_id == "geofence.uncertain"
}

/// Reason ids that send a recorded check-in to an admin. `time.no_anchor` is not one: it only
/// marks a record whose time is the wall clock, which the server checks when the record arrives.
fn is_flag(reason_id: &str) -> bool {
    reason_id.starts_with("location.")
        || reason_id == FLAG_CLOCK_SKEW
        || reason_id == FLAG_ELAPSED_BACKWARDS
}

/// Returns the status of a record from its reason ids, so the history screen and the check-in
/// screen agree.
pub fn classify(
    reason_ids: &[String],
    face_matched: bool,
    geofence: GeofenceCode,
) -> CheckInStatus {
    let rejected = !face_matched
        || geofence != GeofenceCode::Inside
        || reason_ids.iter().any(|id| is_rejecting(id));
    if rejected {
        CheckInStatus::Rejected
    } else if reason_ids.iter().any(|id| is_flag(id)) {
        CheckInStatus::Flagged
    } else {
        CheckInStatus::Accepted
    }
}

impl Device {
    /// Runs one check-in or check-out and appends its signed record.
    ///
    /// `frames[0]` is the selfie; further frames are the blink burst. `fix` is the GPS fix the
    /// phone took for this attempt. Returns a [`DeviceError`] and appends nothing when an input
    /// is malformed or the phone is not set up (no NIP, template or configuration).
    pub fn check_in(
        &self,
        kind: AttendanceKind,
        frames: &[&[u8]],
        fix: Fix,
    ) -> Result<CheckInOutcome, DeviceError> {
        let mut store = self.lock_store()?;

        // Set-up and input checks come first: they must fail before anything is recorded.
        let identity = store.device()?;
        let nip = Device::registered_nip(&store)?;
        let config = Device::load_config(&store)?.ok_or(DeviceError::NoConfig)?;
        let template = Device::load_template(&store, &nip)?.ok_or(DeviceError::NoTemplate)?;
        let point = fix.lat_lon()?;
        if fix.accuracy_mm == 0 {
            return Err(DeviceError::InvalidFix {
                detail: "the fix has no accuracy (0 mm); wait for a GPS fix that reports one"
                    .to_string(),
            });
        }
        if frames.is_empty() {
            return Err(DeviceError::InvalidPhoto {
                detail: "no frames were given; the selfie is frame 0".to_string(),
            });
        }

        // Trusted time from the last anchor of this boot, checked against the previous record.
        let reading = read_clock(self.clock.as_ref());
        let anchor = store.latest_time_anchor()?;
        let previous = match store.last_record()? {
            Some(row) => Some(
                row.signed()
                    .map_err(|error| DeviceError::Storage {
                        detail: format!("stored record {} is damaged: {error}", row.sequence),
                    })?
                    .record()
                    .clone(),
            ),
            None => None,
        };
        let time_policy = TimePolicy::from(config.time_policy);
        let trusted = time::estimate_trusted_time(
            &reading,
            anchor.as_ref(),
            previous
                .as_ref()
                .map(AttendanceRecord::clock_reading)
                .as_ref(),
            &time_policy,
        );
        let instant =
            time::utc_from_ms(trusted.time_ms).map_err(|error| DeviceError::Internal {
                detail: format!("trusted time is unusable: {error}"),
            })?;

        // The fence verdict against the places valid on the attendance day, each dinas luar
        // location judged by the local date in its own zone.
        let places = config.assignment.places_at(instant);
        let verdict = geofence::evaluate(places.iter().copied(), point, fix.accuracy_m())?;
        let zone = places
            .iter()
            .find(|office| office.id == verdict.office_id)
            .map(|office| office.time_zone)
            .unwrap_or_else(|| config.home_zone());
        let edge = match kind {
            AttendanceKind::CheckIn => ShiftEdge::Start,
            AttendanceKind::CheckOut => ShiftEdge::End,
        };
        let time_error = |error: time::TimeError| DeviceError::Internal {
            detail: format!("attendance day: {error}"),
        };
        let attendance_day = config
            .shift()
            .shift_day(trusted.time_ms, zone.tz(), edge)
            .map_err(time_error)?;
        let zone_offset_minutes =
            time::zone_offset_minutes(trusted.time_ms, zone.tz()).map_err(time_error)?;

        // Location trust flags; the speed check uses the previous record's fix and trusted time.
        let previous_fix = previous.as_ref().map(|record| {
            let location = &record.location;
            (
                Fix {
                    latitude_e7: location.latitude_e7,
                    longitude_e7: location.longitude_e7,
                    accuracy_mm: location.accuracy_mm,
                    fix_time_ms: location.fix_time_ms,
                    provider: location.provider.clone(),
                    is_mock: location.mock,
                },
                record.trusted_time_ms,
            )
        });
        let location_flags = location::assess_fix(
            &fix,
            previous_fix.as_ref().map(|(fix, time_ms)| (fix, *time_ms)),
            trusted.time_ms,
            &config.location_policy,
        )?;

        // The face, last, because it is the slow step and bad frames are still an error here.
        // NOTE: a selfie without a burst passes with passive liveness only; no configuration
        // field requires the blink burst yet.
        let face = self.engine.verify(&template, frames, &config.face_policy)?;

        let reasons = collect_reasons(&face, &verdict, &location_flags, &trusted, &time_policy);
        let reason_ids: Vec<String> = reasons.iter().map(|reason| reason.id.clone()).collect();
        let geofence_code = match verdict.kind {
            VerdictKind::Inside => GeofenceCode::Inside,
            VerdictKind::Outside => GeofenceCode::Outside,
            VerdictKind::Uncertain => GeofenceCode::Uncertain,
        };
        let status = classify(&reason_ids, face.matched, geofence_code);

        let record = AttendanceRecord {
            format_version: RECORD_FORMAT_VERSION,
            record_id: Uuid::now_v7(),
            device_id: identity.device_id,
            nip,
            kind,
            wall_clock_ms: reading.wall_clock_ms,
            elapsed_ms: reading.elapsed_ms.max(0),
            boot_id: reading.boot_id.clone(),
            trusted_time_ms: trusted.time_ms,
            trusted_uncertainty_ms: trusted.uncertainty_ms,
            time_source: trusted.source,
            anchor: trusted.anchor.as_ref().map(RecordAnchor::from_time_anchor),
            zone_offset_minutes,
            location: RecordLocation {
                latitude_e7: fix.latitude_e7,
                longitude_e7: fix.longitude_e7,
                accuracy_mm: fix.accuracy_mm,
                fix_time_ms: fix.fix_time_ms,
                provider: fix.provider.clone(),
                mock: fix.is_mock,
            },
            geofence: RecordGeofence {
                code: geofence_code,
                office_id: verdict.office_id.clone(),
                // NOTE: the distance to the fence (0 inside), as the verdict reports it; the
                // inside margin is not recorded.
                distance_mm: (verdict.distance_m * 1000.0).round() as i64,
            },
            face: record_face(&face),
            reasons: reason_ids,
            template_id: face.template_id.clone(),
            model_ids: vec![
                face.model_ids.detect.clone(),
                face.model_ids.landmark.clone(),
                face.model_ids.feature.clone(),
                face.model_ids.liveness.clone(),
                face.model_ids.eye.clone(),
            ],
            // The store fills the sequence and the chain hash in the append transaction.
            sequence: 1,
            previous_hash: GENESIS_HASH,
        };
        let stored = store.append_record(record, reading.wall_clock_ms)?;
        drop(store);

        tracing::info!(
            record_id = %stored.record_id,
            device_id = %identity.device_id,
            sequence = stored.sequence,
            status = status.name(),
            geofence = geofence_code.name(),
            "check-in recorded"
        );

        let retry_advised = status == CheckInStatus::Rejected
            && (verdict.kind == VerdictKind::Uncertain
                || face.reasons.iter().any(|reason| {
                    !matches!(
                        reason,
                        FaceReason::NoMatch | FaceReason::TemplateModelMismatch
                    )
                }));
        let mut reasons = without_repeated_accuracy(reasons);
        if retry_advised {
            reasons.push(ReasonText::new("device.retry", &[]));
        }
        Ok(CheckInOutcome {
            status,
            headline: ReasonText::new(status.message_id(), &[]),
            retry_advised,
            reasons,
            record_id: stored.record_id,
            sequence: stored.sequence,
            kind,
            attendance_day,
            zone,
            trusted_time_ms: trusted.time_ms,
            time_source: trusted.source,
            latitude_e7: fix.latitude_e7,
            longitude_e7: fix.longitude_e7,
            accuracy_mm: fix.accuracy_mm,
            geofence: geofence_code,
            office_id: verdict.office_id,
            office_name: verdict.office_name,
            distance_m: verdict.distance_m,
            face_matched: face.matched,
            face_score_milli: face.score_milli,
            liveness_milli: face.liveness.map(|liveness| liveness.score_milli as i32),
        })
    }
}

/// Lists the reasons in the order the checks ran: face, fence, location, time.
fn collect_reasons(
    face: &FaceVerdict,
    verdict: &GeofenceVerdict,
    location_flags: &[TrustFlag],
    trusted: &TrustedTime,
    time_policy: &TimePolicy,
) -> Vec<ReasonText> {
    let mut reasons: Vec<ReasonText> = face
        .reasons
        .iter()
        .map(|reason| ReasonText::new(reason.id(), &[]))
        .collect();

    if verdict.kind != VerdictKind::Inside {
        reasons.push(ReasonText {
            id: verdict.reason_id.to_string(),
            id_text: verdict.message(Locale::Id),
            en_text: verdict.message(Locale::En),
        });
    }

    for flag in location_flags {
        reasons.push(ReasonText {
            id: flag.reason_id().to_string(),
            id_text: flag.message(Locale::Id),
            en_text: flag.message(Locale::En),
        });
    }

    let limit_minutes = format!("{}", time_policy.max_clock_skew_ms as f64 / 60_000.0);
    for flag in &trusted.flags {
        reasons.push(ReasonText::new(flag, &[("limit_minutes", &limit_minutes)]));
    }
    reasons
}

/// Drops `location.poor_accuracy` from the reasons shown to the ASN when
/// `geofence.uncertain` is among them, because both then report that the GPS accuracy is too
/// poor. The record keeps both ids, so the admin still sees the flag.
fn without_repeated_accuracy(reasons: Vec<ReasonText>) -> Vec<ReasonText> {
    let uncertain = reasons
        .iter()
        .any(|reason| reason.id == "geofence.uncertain");
    if !uncertain {
        return reasons;
    }
    reasons
        .into_iter()
        .filter(|reason| reason.id != "location.poor_accuracy")
        .collect()
}

fn record_face(face: &FaceVerdict) -> RecordFace {
    RecordFace {
        matched: face.matched,
        score_milli: face.score_milli.unwrap_or(0),
        liveness_milli: face
            .liveness
            .map(|liveness| liveness.score_milli.min(1000) as i32)
            .unwrap_or(0),
        active_liveness: match face.active_liveness {
            FaceActiveLiveness::NotRequested => ActiveLiveness::NotRun,
            FaceActiveLiveness::BlinkSeen => ActiveLiveness::Passed,
            FaceActiveLiveness::NoBlink => ActiveLiveness::Failed,
        },
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn poor_accuracy_not_repeated_when_uncertain() {
        let reason = |id: &str| ReasonText::new(id, &[]);
        let shown = without_repeated_accuracy(vec![
            reason("geofence.uncertain"),
            reason("location.poor_accuracy"),
            reason("location.mock_provider"),
        ]);
        let shown_ids: Vec<&str> = shown.iter().map(|reason| reason.id.as_str()).collect();
        assert_eq!(shown_ids, ["geofence.uncertain", "location.mock_provider"]);

        let outside = without_repeated_accuracy(vec![
            reason("geofence.outside"),
            reason("location.poor_accuracy"),
        ]);
        assert_eq!(outside.len(), 2, "outside does not mention accuracy");
    }

    #[test]
    fn classify_by_reasons() {
        let inside = GeofenceCode::Inside;
        assert_eq!(classify(&[], true, inside), CheckInStatus::Accepted);
        assert_eq!(
            classify(&ids(&["time.no_anchor"]), true, inside),
            CheckInStatus::Accepted
        );
        assert_eq!(
            classify(&ids(&["location.mock_provider"]), true, inside),
            CheckInStatus::Flagged
        );
        assert_eq!(
            classify(&ids(&["time.clock_skew"]), true, inside),
            CheckInStatus::Flagged
        );
        assert_eq!(
            classify(&ids(&["face.no_match"]), false, inside),
            CheckInStatus::Rejected
        );
        assert_eq!(
            classify(&ids(&["geofence.uncertain"]), true, GeofenceCode::Uncertain),
            CheckInStatus::Rejected
        );
        assert_eq!(
            classify(
                &ids(&["location.mock_provider", "geofence.outside"]),
                true,
                GeofenceCode::Outside
            ),
            CheckInStatus::Rejected
        );
    }

    #[test]
    fn status_texts_exist() {
        for status in [
            CheckInStatus::Accepted,
            CheckInStatus::Flagged,
            CheckInStatus::Rejected,
        ] {
            assert!(messages::lookup(status.message_id()).is_some());
        }
        assert!(messages::lookup("device.retry").is_some());
    }
}
