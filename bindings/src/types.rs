//! The records and enums the Kotlin screens receive, converted from core's types. Dates cross
//! as ISO 8601 text (`2026-12-04`), local times as `HH:MM`, ids as text, and every number
//! carries its unit in its name, as in core.

use chrono::NaiveTime;
use siperlu_core::device::{self as core_device, CheckInOutcome, DeviceConfig, ReasonText};
use siperlu_core::geofence::Office;
use siperlu_core::messages::{self, Locale};
use siperlu_core::{location, plan, record, store, time};

use crate::error::SiperluError;

/// The phone's identity as the server registers it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceInfo {
    /// UUID every record carries.
    pub device_id: String,
    /// Ed25519 public key (32 bytes) that verifies this phone's records and plans.
    pub public_key: Vec<u8>,
    /// When the identity was created, ms since the Unix epoch.
    pub created_ms: i64,
}

impl From<store::DeviceIdentity> for DeviceInfo {
    fn from(identity: store::DeviceIdentity) -> DeviceInfo {
        DeviceInfo {
            device_id: identity.device_id.to_string(),
            public_key: identity.public_key.to_vec(),
            created_ms: identity.created_ms,
        }
    }
}

/// The phone's registration: the ASN's NIP and the server it syncs with.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegistrationInfo {
    /// NIP of the ASN (18 digits). Personal data: the app must not log it.
    pub nip: String,
    /// Base URL of the server; null until the phone registered.
    pub server_url: Option<String>,
    /// When the server accepted the enrollment code, ms since the Unix epoch.
    pub registered_ms: Option<i64>,
}

impl From<store::Registration> for RegistrationInfo {
    fn from(registration: store::Registration) -> RegistrationInfo {
        RegistrationInfo {
            nip: registration.nip,
            server_url: registration.server_url,
            registered_ms: registration.registered_ms,
        }
    }
}

/// Result of a face enrollment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnrollResult {
    /// Id of the stored template; registration sends it to the server.
    pub template_id: String,
    /// Photos averaged into it.
    pub photo_count: u32,
    /// Id of the embedding model that made it.
    pub model_id: String,
    /// Whether check-ins use it now. `false` on a registered phone until a registration with
    /// a new enrollment code sends it to the server.
    pub active: bool,
}

impl From<core_device::EnrollOutcome> for EnrollResult {
    fn from(outcome: core_device::EnrollOutcome) -> EnrollResult {
        EnrollResult {
            template_id: outcome.template_id,
            photo_count: outcome.photo_count,
            model_id: outcome.model_id,
            active: outcome.active,
        }
    }
}

/// One GPS fix in the integer units of the signed record. Build it from Android's `Location`
/// with `locationFixFromDegrees`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LocationFix {
    /// Latitude in 1e-7 degrees.
    pub latitude_e7: i32,
    /// Longitude in 1e-7 degrees.
    pub longitude_e7: i32,
    /// Accuracy radius in mm (`Location.getAccuracy()` × 1000); 0 means none reported.
    pub accuracy_mm: u32,
    /// `Location.getTime()`, ms since the Unix epoch.
    pub fix_time_ms: i64,
    /// Provider name: `gps`, `network`, `fused`.
    pub provider: String,
    /// `Location.isMock()` (API 31+) or `isFromMockProvider()`.
    pub is_mock: bool,
}

impl From<LocationFix> for location::Fix {
    fn from(fix: LocationFix) -> location::Fix {
        location::Fix {
            latitude_e7: fix.latitude_e7,
            longitude_e7: fix.longitude_e7,
            accuracy_mm: fix.accuracy_mm,
            fix_time_ms: fix.fix_time_ms,
            provider: fix.provider,
            is_mock: fix.is_mock,
        }
    }
}

/// Builds a [`LocationFix`] from degrees and metres, rounding to the record's units. A
/// coordinate out of range or a negative or non-finite accuracy is `InvalidInput`.
#[uniffi::export]
pub fn location_fix_from_degrees(
    latitude_deg: f64,
    longitude_deg: f64,
    accuracy_m: f64,
    fix_time_ms: i64,
    provider: String,
    is_mock: bool,
) -> Result<LocationFix, SiperluError> {
    crate::error::guard("location_fix_from_degrees", || {
        let fix = location::Fix::from_degrees(
            latitude_deg,
            longitude_deg,
            accuracy_m,
            fix_time_ms,
            &provider,
            is_mock,
        )
        .map_err(|error| crate::error::map_device_error(core_device::DeviceError::from(error)))?;
        Ok(LocationFix {
            latitude_e7: fix.latitude_e7,
            longitude_e7: fix.longitude_e7,
            accuracy_mm: fix.accuracy_mm,
            fix_time_ms: fix.fix_time_ms,
            provider: fix.provider,
            is_mock: fix.is_mock,
        })
    })
}

/// Check-in at the start of the shift, or check-out at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AttendanceKind {
    CheckIn,
    CheckOut,
}

impl From<AttendanceKind> for record::AttendanceKind {
    fn from(kind: AttendanceKind) -> record::AttendanceKind {
        match kind {
            AttendanceKind::CheckIn => record::AttendanceKind::CheckIn,
            AttendanceKind::CheckOut => record::AttendanceKind::CheckOut,
        }
    }
}

impl From<record::AttendanceKind> for AttendanceKind {
    fn from(kind: record::AttendanceKind) -> AttendanceKind {
        match kind {
            record::AttendanceKind::CheckIn => AttendanceKind::CheckIn,
            record::AttendanceKind::CheckOut => AttendanceKind::CheckOut,
        }
    }
}

/// Outcome class of a check-in, shown as the headline colour of the result screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckInStatus {
    /// Face matched and live, inside the fence, no trust flag.
    Accepted,
    /// Recorded, but a trust flag sends it to an admin for review.
    Flagged,
    /// Face or fence failed; the attempt is recorded anyway.
    Rejected,
}

impl From<core_device::CheckInStatus> for CheckInStatus {
    fn from(status: core_device::CheckInStatus) -> CheckInStatus {
        match status {
            core_device::CheckInStatus::Accepted => CheckInStatus::Accepted,
            core_device::CheckInStatus::Flagged => CheckInStatus::Flagged,
            core_device::CheckInStatus::Rejected => CheckInStatus::Rejected,
        }
    }
}

/// The fence verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum GeofenceVerdict {
    NotEvaluated,
    Inside,
    Outside,
    /// The accuracy circle crosses the fence: move to open sky and try again.
    Uncertain,
}

impl From<record::GeofenceCode> for GeofenceVerdict {
    fn from(code: record::GeofenceCode) -> GeofenceVerdict {
        match code {
            record::GeofenceCode::NotEvaluated => GeofenceVerdict::NotEvaluated,
            record::GeofenceCode::Inside => GeofenceVerdict::Inside,
            record::GeofenceCode::Outside => GeofenceVerdict::Outside,
            record::GeofenceCode::Uncertain => GeofenceVerdict::Uncertain,
        }
    }
}

/// Source of a record's trusted time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TimeSource {
    /// The last server time anchor of this boot plus the elapsed time since.
    ServerAnchor,
    /// The phone's wall clock; the server checks it when the record arrives.
    WallClock,
}

impl From<time::TimeSource> for TimeSource {
    fn from(source: time::TimeSource) -> TimeSource {
        match source {
            time::TimeSource::ServerAnchor => TimeSource::ServerAnchor,
            time::TimeSource::WallClock => TimeSource::WallClock,
        }
    }
}

/// A reason or a headline with its text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    /// Catalog id, such as `face.no_match` or `location.mock_provider`.
    pub id: String,
    /// Text in Bahasa Indonesia.
    pub text_id: String,
    /// Text in English.
    pub text_en: String,
}

impl From<ReasonText> for Reason {
    fn from(reason: ReasonText) -> Reason {
        Reason {
            id: reason.id,
            text_id: reason.id_text,
            text_en: reason.en_text,
        }
    }
}

impl Reason {
    /// Looks up both texts of a stored reason id. Placeholders a check-in filled in (a
    /// distance, for example) are not stored with the record, so history texts are the
    /// catalog texts with no values.
    pub(crate) fn from_id(id: &str) -> Reason {
        Reason {
            id: id.to_string(),
            text_id: messages::format(id, Locale::Id, &[]),
            text_en: messages::format(id, Locale::En, &[]),
        }
    }
}

/// The result of a check-in or check-out: what the result screen shows, and what was recorded.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInResult {
    pub status: CheckInStatus,
    /// The headline: `common.accepted`, `device.flagged` or `common.rejected`.
    pub headline: Reason,
    /// Whether the ASN should try again now (an uncertain fence or a photo problem).
    pub retry_advised: bool,
    /// Every reason and flag in the order the checks ran.
    pub reasons: Vec<Reason>,
    /// UUID of the appended record.
    pub record_id: String,
    /// Its per-device sequence number.
    pub sequence: u64,
    pub kind: AttendanceKind,
    /// The attendance day in the office zone, `YYYY-MM-DD` (for a night shift, the day it
    /// began).
    pub attendance_day: String,
    /// Zone of the office: `WIB`, `WITA` or `WIT`.
    pub zone: String,
    /// Trusted time of the record, ms since the Unix epoch.
    pub trusted_time_ms: i64,
    pub time_source: TimeSource,
    /// Latitude of the fix, 1e-7 degrees.
    pub latitude_e7: i32,
    /// Longitude of the fix, 1e-7 degrees.
    pub longitude_e7: i32,
    /// Accuracy radius of the fix, mm.
    pub accuracy_mm: u32,
    pub geofence: GeofenceVerdict,
    /// Office the verdict names (inside it, or the nearest).
    pub office_id: String,
    pub office_name: String,
    /// Distance to that office's nearest fence in metres; 0 inside.
    pub distance_m: f64,
    pub face_matched: bool,
    /// Match score in thousandths, when a face was embedded.
    pub face_score_milli: Option<i32>,
    /// Passive liveness score in thousandths, when it ran.
    pub liveness_milli: Option<i32>,
}

impl From<CheckInOutcome> for CheckInResult {
    fn from(outcome: CheckInOutcome) -> CheckInResult {
        CheckInResult {
            status: outcome.status.into(),
            headline: outcome.headline.into(),
            retry_advised: outcome.retry_advised,
            reasons: outcome.reasons.into_iter().map(Reason::from).collect(),
            record_id: outcome.record_id.to_string(),
            sequence: outcome.sequence,
            kind: outcome.kind.into(),
            attendance_day: outcome.attendance_day.to_string(),
            zone: outcome.zone.abbreviation().to_string(),
            trusted_time_ms: outcome.trusted_time_ms,
            time_source: outcome.time_source.into(),
            latitude_e7: outcome.latitude_e7,
            longitude_e7: outcome.longitude_e7,
            accuracy_mm: outcome.accuracy_mm,
            geofence: outcome.geofence.into(),
            office_id: outcome.office_id,
            office_name: outcome.office_name,
            distance_m: outcome.distance_m,
            face_matched: outcome.face_matched,
            face_score_milli: outcome.face_score_milli,
            liveness_milli: outcome.liveness_milli,
        }
    }
}

/// Upload state of a record, for the history screen's sync badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncState {
    /// Stored on the phone, not yet uploaded.
    Pending,
    /// Uploaded, with no response from the server yet.
    Sent,
    /// The server stored it.
    Acknowledged,
    /// The server rejected it, for the reason in `reject_reason`.
    Rejected,
}

impl From<store::OutboxState> for SyncState {
    fn from(state: store::OutboxState) -> SyncState {
        match state {
            store::OutboxState::Pending => SyncState::Pending,
            store::OutboxState::Sent => SyncState::Sent,
            store::OutboxState::Acknowledged => SyncState::Acknowledged,
            store::OutboxState::Rejected => SyncState::Rejected,
        }
    }
}

/// One row of the history screen, newest first.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HistoryEntry {
    pub sequence: u64,
    pub record_id: String,
    pub kind: AttendanceKind,
    pub status: CheckInStatus,
    /// Trusted time, ms since the Unix epoch.
    pub trusted_time_ms: i64,
    pub time_source: TimeSource,
    /// UTC offset of the office zone in minutes (420 WIB, 480 WITA, 540 WIT), to show local time.
    pub zone_offset_minutes: i16,
    pub geofence: GeofenceVerdict,
    pub office_id: String,
    pub reasons: Vec<Reason>,
    pub sync_state: SyncState,
    /// The server's reason when it refused the record.
    pub reject_reason: Option<String>,
}

impl From<core_device::HistoryEntry> for HistoryEntry {
    fn from(entry: core_device::HistoryEntry) -> HistoryEntry {
        HistoryEntry {
            sequence: entry.sequence,
            record_id: entry.record_id.to_string(),
            kind: entry.kind.into(),
            status: entry.status.into(),
            trusted_time_ms: entry.trusted_time_ms,
            time_source: entry.time_source.into(),
            zone_offset_minutes: entry.zone_offset_minutes,
            geofence: entry.geofence.into(),
            office_id: entry.office_id,
            reasons: entry.reasons.iter().map(|id| Reason::from_id(id)).collect(),
            sync_state: entry.sync_state.into(),
            reject_reason: entry.reject_reason,
        }
    }
}

/// Realisation status of a plan item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PlanStatus {
    Planned,
    Done,
    /// Not done, with the reason in the note.
    NotDone,
}

impl From<PlanStatus> for plan::PlanStatus {
    fn from(status: PlanStatus) -> plan::PlanStatus {
        match status {
            PlanStatus::Planned => plan::PlanStatus::Planned,
            PlanStatus::Done => plan::PlanStatus::Done,
            PlanStatus::NotDone => plan::PlanStatus::NotDone,
        }
    }
}

impl From<plan::PlanStatus> for PlanStatus {
    fn from(status: plan::PlanStatus) -> PlanStatus {
        match status {
            plan::PlanStatus::Planned => PlanStatus::Planned,
            plan::PlanStatus::Done => PlanStatus::Done,
            plan::PlanStatus::NotDone => PlanStatus::NotDone,
        }
    }
}

/// A fixed local time for a plan item, in minutes after midnight in the office zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PlanWindow {
    pub start_minute: u16,
    /// After `start_minute`, at most 1440.
    pub end_minute: u16,
}

/// One item of the work plan (rencana kerja harian).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanItem {
    /// Title of the activity, not blank, at most 200 bytes.
    pub title: String,
    /// Expected output (a report, a letter, a number of services), at most 500 bytes.
    pub expected_output: String,
    pub window: Option<PlanWindow>,
    pub status: PlanStatus,
    /// Free note, for example why an item was not done; at most 1000 bytes.
    pub note: String,
}

impl From<PlanItem> for plan::PlanItem {
    fn from(item: PlanItem) -> plan::PlanItem {
        plan::PlanItem {
            title: item.title,
            expected_output: item.expected_output,
            window: item.window.map(|window| plan::TimeWindow {
                start_minute: window.start_minute,
                end_minute: window.end_minute,
            }),
            status: item.status.into(),
            note: item.note,
        }
    }
}

impl From<plan::PlanItem> for PlanItem {
    fn from(item: plan::PlanItem) -> PlanItem {
        PlanItem {
            title: item.title,
            expected_output: item.expected_output,
            window: item.window.map(|window| PlanWindow {
                start_minute: window.start_minute,
                end_minute: window.end_minute,
            }),
            status: item.status.into(),
            note: item.note,
        }
    }
}

/// Today's plan as the plan screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TodayPlan {
    /// The attendance day, `YYYY-MM-DD`.
    pub day: String,
    pub items: Vec<PlanItem>,
    /// Latest revision number; 0 before the first save.
    pub revision: u32,
    /// Local time (`HH:MM`) after which the plan can no longer be changed.
    pub cutoff: String,
}

impl From<core_device::TodayPlan> for TodayPlan {
    fn from(plan: core_device::TodayPlan) -> TodayPlan {
        TodayPlan {
            day: plan.day.to_string(),
            items: plan.items.into_iter().map(PlanItem::from).collect(),
            revision: plan.revision,
            cutoff: hh_mm(plan.cutoff),
        }
    }
}

/// A place the ASN may check in at.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlaceSummary {
    pub id: String,
    pub name: String,
    /// `WIB`, `WITA` or `WIT`.
    pub zone: String,
    /// For dinas luar: first and last valid local dates (`YYYY-MM-DD`), and the number of the
    /// travel order (surat tugas) when known. Null for regular offices.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub letter_number: Option<String>,
}

fn office_summary(office: &Office) -> PlaceSummary {
    PlaceSummary {
        id: office.id.clone(),
        name: office.name.clone(),
        zone: office.time_zone.abbreviation().to_string(),
        valid_from: None,
        valid_to: None,
        letter_number: None,
    }
}

/// The server-signed configuration, as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConfigSummary {
    /// When the server issued it, ms since the Unix epoch.
    pub issued_at_ms: i64,
    pub device_id: String,
    pub offices: Vec<PlaceSummary>,
    pub dinas_luar: Vec<PlaceSummary>,
    /// Zone of the first office: `WIB`, `WITA` or `WIT`.
    pub home_zone: String,
    /// Local `HH:MM` after which today's plan is closed.
    pub plan_cutoff: String,
    /// Working hours, local `HH:MM`; an end at or before the start passes midnight.
    pub shift_start: String,
    pub shift_end: String,
}

impl From<DeviceConfig> for ConfigSummary {
    fn from(config: DeviceConfig) -> ConfigSummary {
        ConfigSummary {
            issued_at_ms: config.issued_at_ms,
            device_id: config.device_id.clone(),
            offices: config
                .assignment
                .offices
                .iter()
                .map(office_summary)
                .collect(),
            dinas_luar: config
                .assignment
                .dinas_luar
                .iter()
                .map(|travel| PlaceSummary {
                    valid_from: Some(travel.valid_from.to_string()),
                    valid_to: Some(travel.valid_to.to_string()),
                    letter_number: travel.letter_number.clone(),
                    ..office_summary(&travel.location)
                })
                .collect(),
            home_zone: config.home_zone().abbreviation().to_string(),
            plan_cutoff: hh_mm(config.plan_cutoff),
            shift_start: hh_mm(config.shift.start),
            shift_end: hh_mm(config.shift.end),
        }
    }
}

fn hh_mm(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}
