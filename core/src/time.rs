//! Trusted time for attendance records, and which attendance day and shift a moment belongs to.
//!
//! A phone's wall clock can be set back by its owner, so a check-in never trusts it alone. When
//! the phone last talked to the server it kept a time anchor: the server's UTC time, the phone's
//! monotonic elapsed-since-boot clock at that moment, and the boot id. As long as the phone has
//! not rebooted, trusted time is the anchor's server time plus the elapsed time since, which the
//! owner cannot change. Without an anchor for the current boot the wall clock is used and the
//! record says so ([`TimeSource::WallClock`]).
//!
//! The attendance day is the local date of trusted time in the office's zone (WIB
//! `Asia/Jakarta`, WITA `Asia/Makassar`, WIT `Asia/Jayapura`), never the UTC date.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Reason id of a phone clock that differs from trusted time by more than the allowed skew.
pub const FLAG_CLOCK_SKEW: &str = "time.clock_skew";
/// Reason id of the elapsed-since-boot clock going backwards within one boot.
pub const FLAG_ELAPSED_BACKWARDS: &str = "time.elapsed_backwards";
/// Reason id of a record whose time comes from the wall clock because no anchor applies.
pub const FLAG_NO_ANCHOR: &str = "time.no_anchor";

/// Default limit between the phone clock and trusted time before a record is flagged.
pub const DEFAULT_MAX_CLOCK_SKEW_MS: i64 = 2 * 60 * 1000;
/// Default drift allowed for the elapsed clock, in parts per million of the time since the
/// anchor. NOTE: 100 ppm is an allowance, not a measured drift of phone elapsed clocks.
pub const DEFAULT_ELAPSED_DRIFT_PPM: i64 = 100;
/// Uncertainty written for wall-clock time: the wall clock has no bound at all.
pub const UNBOUNDED_UNCERTAINTY_MS: u32 = u32::MAX;

/// Where a record's trusted-time estimate comes from. The code is part of the record encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TimeSource {
    /// The last server anchor of this boot plus the elapsed time since.
    ServerAnchor = 1,
    /// The phone's wall clock: no anchor exists, or the phone rebooted since the last one.
    WallClock = 2,
}

impl TimeSource {
    /// Returns the wire code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Returns the source for a wire code, or `None` for an unknown code.
    pub fn from_code(code: u8) -> Option<TimeSource> {
        match code {
            1 => Some(TimeSource::ServerAnchor),
            2 => Some(TimeSource::WallClock),
            _ => None,
        }
    }

    /// Returns the lowercase name used in JSON and logs.
    pub fn name(self) -> &'static str {
        match self {
            TimeSource::ServerAnchor => "server_anchor",
            TimeSource::WallClock => "wall_clock",
        }
    }
}

/// The server's time as the phone learned it during a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeAnchor {
    /// Server UTC time in milliseconds since the Unix epoch.
    pub server_time_ms: i64,
    /// The phone's elapsed-since-boot clock (Android `SystemClock.elapsedRealtime`) when the
    /// server's answer arrived, in milliseconds.
    pub elapsed_ms: i64,
    /// Identifier of the boot the elapsed clock belongs to.
    pub boot_id: String,
    /// Half the request's round trip in milliseconds: how far the server time may be off.
    pub round_trip_uncertainty_ms: u32,
}

/// One reading of the phone's clocks, taken at check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReading {
    /// Wall clock (`System.currentTimeMillis`) in milliseconds since the Unix epoch.
    pub wall_clock_ms: i64,
    /// Elapsed-since-boot clock in milliseconds.
    pub elapsed_ms: i64,
    /// Identifier of the current boot.
    pub boot_id: String,
}

/// Limits of the trust rules, kept in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimePolicy {
    /// Largest difference between the phone clock and trusted time not flagged, in ms.
    pub max_clock_skew_ms: i64,
    /// Drift allowed for the elapsed clock since the anchor, in parts per million.
    pub elapsed_drift_ppm: i64,
}

impl Default for TimePolicy {
    fn default() -> TimePolicy {
        TimePolicy {
            max_clock_skew_ms: DEFAULT_MAX_CLOCK_SKEW_MS,
            elapsed_drift_ppm: DEFAULT_ELAPSED_DRIFT_PPM,
        }
    }
}

/// The time estimate written into a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedTime {
    /// Estimated UTC time in milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Bound on the estimate's error in milliseconds; [`UNBOUNDED_UNCERTAINTY_MS`] for the
    /// wall clock.
    pub uncertainty_ms: u32,
    /// Source of the estimate.
    pub source: TimeSource,
    /// Reason ids of what did not add up (`time.*` in the message catalog).
    pub flags: Vec<&'static str>,
    /// The anchor the estimate was computed from; `None` for the wall clock. A record carries
    /// it so that the server can run this same computation again.
    pub anchor: Option<TimeAnchor>,
}

/// Errors of timestamp conversion, zone parsing and shift attribution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// A millisecond timestamp outside the range chrono can represent.
    #[error("time {0} ms is outside the representable range; check the clock value passed in")]
    OutOfRange(i64),
    /// A shift whose start equals its end.
    #[error("shift start and end are both {0}; a shift needs a duration")]
    EmptyShift(NaiveTime),
    /// A time zone name that is not one of the three Indonesian zones.
    #[error(
        "time zone {0:?} is not an Indonesian office zone; use Asia/Jakarta, Asia/Makassar or Asia/Jayapura"
    )]
    UnknownZone(String),
}

/// The three zones Indonesian offices are in.
pub const OFFICE_ZONES: [Tz; 3] = [Tz::Asia__Jakarta, Tz::Asia__Makassar, Tz::Asia__Jayapura];

/// Parses an office zone by IANA name or by its Indonesian abbreviation (WIB, WITA, WIT).
pub fn parse_office_zone(name: &str) -> Result<Tz, TimeError> {
    match name.trim().to_ascii_uppercase().as_str() {
        "WIB" | "ASIA/JAKARTA" => Ok(Tz::Asia__Jakarta),
        "WITA" | "ASIA/MAKASSAR" => Ok(Tz::Asia__Makassar),
        "WIT" | "ASIA/JAYAPURA" => Ok(Tz::Asia__Jayapura),
        _ => Err(TimeError::UnknownZone(name.to_string())),
    }
}

/// Estimates trusted time for a clock reading taken now.
///
/// `anchor` is the latest server anchor the phone holds and `previous` the clock reading of the
/// previous record, if any; both are optional. An anchor from another boot is ignored, because
/// the elapsed clock restarts at boot.
pub fn estimate_trusted_time(
    reading: &ClockReading,
    anchor: Option<&TimeAnchor>,
    previous: Option<&ClockReading>,
    policy: &TimePolicy,
) -> TrustedTime {
    let mut flags = Vec::new();

    // The elapsed clock never decreases within a boot, neither since the previous record nor
    // since the anchor; if it does, the anchor cannot be used.
    let same_boot_previous = previous.filter(|previous| previous.boot_id == reading.boot_id);
    let same_boot_anchor = anchor.filter(|anchor| anchor.boot_id == reading.boot_id);
    let behind_previous =
        same_boot_previous.is_some_and(|previous| reading.elapsed_ms < previous.elapsed_ms);
    let behind_anchor =
        same_boot_anchor.is_some_and(|anchor| reading.elapsed_ms < anchor.elapsed_ms);
    if behind_previous || behind_anchor {
        flags.push(FLAG_ELAPSED_BACKWARDS);
    }

    let usable_anchor = same_boot_anchor.filter(|_| !behind_anchor);
    let estimate = match usable_anchor {
        Some(anchor) => {
            let since_anchor_ms = reading.elapsed_ms - anchor.elapsed_ms;
            let drift_ms = since_anchor_ms.saturating_mul(policy.elapsed_drift_ppm) / 1_000_000;
            let uncertainty_ms =
                i64::from(anchor.round_trip_uncertainty_ms).saturating_add(drift_ms);
            TrustedTime {
                time_ms: anchor.server_time_ms.saturating_add(since_anchor_ms),
                uncertainty_ms: u32::try_from(uncertainty_ms).unwrap_or(u32::MAX),
                source: TimeSource::ServerAnchor,
                flags: Vec::new(),
                anchor: Some(anchor.clone()),
            }
        }
        None => {
            flags.push(FLAG_NO_ANCHOR);
            TrustedTime {
                time_ms: reading.wall_clock_ms,
                uncertainty_ms: UNBOUNDED_UNCERTAINTY_MS,
                source: TimeSource::WallClock,
                flags: Vec::new(),
                anchor: None,
            }
        }
    };

    // With an anchor the wall clock is compared with trusted time. Without one, the wall clock
    // can still be checked against itself: within one boot it must advance as fast as the
    // elapsed clock since the previous record.
    let skewed = match (usable_anchor, same_boot_previous) {
        (Some(_), _) => (reading.wall_clock_ms - estimate.time_ms).abs() > policy.max_clock_skew_ms,
        (None, Some(previous)) => {
            let wall_advance_ms = reading.wall_clock_ms - previous.wall_clock_ms;
            let elapsed_advance_ms = reading.elapsed_ms - previous.elapsed_ms;
            (wall_advance_ms - elapsed_advance_ms).abs() > policy.max_clock_skew_ms
        }
        (None, None) => false,
    };
    if skewed {
        flags.push(FLAG_CLOCK_SKEW);
    }

    TrustedTime { flags, ..estimate }
}

/// Converts milliseconds since the Unix epoch to a UTC date-time.
pub fn utc_from_ms(time_ms: i64) -> Result<DateTime<Utc>, TimeError> {
    DateTime::from_timestamp_millis(time_ms).ok_or(TimeError::OutOfRange(time_ms))
}

/// Returns the attendance day of `time_ms`: its local date in `zone`.
pub fn attendance_day(time_ms: i64, zone: Tz) -> Result<NaiveDate, TimeError> {
    Ok(utc_from_ms(time_ms)?.with_timezone(&zone).date_naive())
}

/// Returns the UTC offset of `zone` at `time_ms` in minutes, as records carry it.
pub fn zone_offset_minutes(time_ms: i64, zone: Tz) -> Result<i16, TimeError> {
    let utc = utc_from_ms(time_ms)?;
    let seconds = zone
        .offset_from_utc_datetime(&utc.naive_utc())
        .fix()
        .local_minus_utc();
    Ok((seconds / 60) as i16)
}

/// Whether a moment is the start or the end of a working period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftEdge {
    /// A check-in.
    Start,
    /// A check-out.
    End,
}

/// A working shift in office-local time. An `end` at or before `start` passes midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// Local start time.
    pub start: NaiveTime,
    /// Local end time; on the next day when it is not after `start`.
    pub end: NaiveTime,
}

impl Shift {
    /// Builds a shift, rejecting one that starts and ends at the same minute.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Shift, TimeError> {
        if start == end {
            return Err(TimeError::EmptyShift(start));
        }
        Ok(Shift { start, end })
    }

    /// Whether the shift passes midnight.
    pub fn is_overnight(&self) -> bool {
        self.end < self.start
    }

    /// Returns the local date on which the shift that `time_ms` belongs to began.
    ///
    /// A day shift belongs to the local date. For an overnight shift, a check-in before the
    /// shift's end time belongs to the shift that began the day before (the ASN is inside last
    /// night's shift), and a check-out belongs to the day before when it falls earlier than the
    /// middle of the off-duty gap between end and start, so a late check-out after midnight
    /// still closes the shift that began the evening before.
    pub fn shift_day(
        &self,
        time_ms: i64,
        zone: Tz,
        edge: ShiftEdge,
    ) -> Result<NaiveDate, TimeError> {
        let local = utc_from_ms(time_ms)?.with_timezone(&zone);
        let date = local.date_naive();
        if !self.is_overnight() {
            return Ok(date);
        }

        let time_of_day = local.time();
        let belongs_to_previous = match edge {
            ShiftEdge::Start => time_of_day < self.end,
            ShiftEdge::End => {
                let gap_seconds = i64::from(self.start.num_seconds_from_midnight())
                    - i64::from(self.end.num_seconds_from_midnight());
                let middle = self.end + Duration::seconds(gap_seconds / 2);
                time_of_day < middle
            }
        };
        if belongs_to_previous {
            Ok(date.pred_opt().unwrap_or(date))
        } else {
            Ok(date)
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    const BOOT: &str = "boot-1";

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .expect("test timestamp parses")
            .timestamp_millis()
    }

    fn reading(wall: &str, elapsed_ms: i64, boot: &str) -> ClockReading {
        ClockReading {
            wall_clock_ms: ms(wall),
            elapsed_ms,
            boot_id: boot.to_string(),
        }
    }

    fn anchor(server: &str, elapsed_ms: i64) -> TimeAnchor {
        TimeAnchor {
            server_time_ms: ms(server),
            elapsed_ms,
            boot_id: BOOT.to_string(),
            round_trip_uncertainty_ms: 150,
        }
    }

    #[test]
    fn anchor_plus_elapsed() {
        let anchor = anchor("2026-12-04T00:00:00Z", 1_000_000);
        let now = reading("2026-12-04T01:00:00Z", 1_000_000 + 3_600_000, BOOT);
        let trusted = estimate_trusted_time(&now, Some(&anchor), None, &TimePolicy::default());
        assert_eq!(trusted.time_ms, ms("2026-12-04T01:00:00Z"));
        assert_eq!(trusted.source, TimeSource::ServerAnchor);
        assert_eq!(
            trusted.uncertainty_ms,
            150 + 360,
            "round trip plus 100 ppm of one hour"
        );
        assert!(trusted.flags.is_empty(), "{:?}", trusted.flags);
        assert_eq!(
            trusted.anchor,
            Some(anchor),
            "the estimate names its anchor"
        );
    }

    #[test]
    fn clock_set_back_one_hour_is_flagged() {
        let anchor = anchor("2026-12-04T00:00:00Z", 1_000_000);
        let now = reading("2026-12-04T00:00:00Z", 1_000_000 + 3_600_000, BOOT);
        let trusted = estimate_trusted_time(&now, Some(&anchor), None, &TimePolicy::default());
        assert_eq!(
            trusted.time_ms,
            ms("2026-12-04T01:00:00Z"),
            "trusted time ignores the wall clock"
        );
        assert_eq!(trusted.flags, vec![FLAG_CLOCK_SKEW]);
    }

    #[test]
    fn clock_set_back_without_anchor_is_flagged() {
        let previous = reading("2026-12-04T08:00:00Z", 5_000_000, BOOT);
        let now = reading("2026-12-04T08:05:00Z", 5_000_000 + 65 * 60_000, BOOT);
        let trusted = estimate_trusted_time(&now, None, Some(&previous), &TimePolicy::default());
        assert_eq!(trusted.source, TimeSource::WallClock);
        assert_eq!(trusted.flags, vec![FLAG_NO_ANCHOR, FLAG_CLOCK_SKEW]);
    }

    #[test]
    fn small_skew_is_not_flagged() {
        let anchor = anchor("2026-12-04T00:00:00Z", 0);
        let now = reading("2026-12-04T00:01:30Z", 0, BOOT);
        let trusted = estimate_trusted_time(&now, Some(&anchor), None, &TimePolicy::default());
        assert!(
            trusted.flags.is_empty(),
            "90 s is within the 2 minute default"
        );
    }

    #[test]
    fn reboot_falls_back_to_wall_clock() {
        let anchor = anchor("2026-12-04T00:00:00Z", 1_000_000);
        let now = reading("2026-12-04T02:00:00Z", 20_000, "boot-2");
        let trusted = estimate_trusted_time(&now, Some(&anchor), None, &TimePolicy::default());
        assert_eq!(trusted.source, TimeSource::WallClock);
        assert_eq!(trusted.time_ms, now.wall_clock_ms);
        assert_eq!(trusted.uncertainty_ms, UNBOUNDED_UNCERTAINTY_MS);
        assert_eq!(trusted.flags, vec![FLAG_NO_ANCHOR]);
        assert_eq!(
            trusted.anchor, None,
            "an anchor of another boot is not used"
        );
    }

    #[test]
    fn elapsed_backwards_is_flagged() {
        let anchor = anchor("2026-12-04T00:00:00Z", 0);
        let previous = reading("2026-12-04T00:10:00Z", 600_000, BOOT);
        let now = reading("2026-12-04T00:09:00Z", 540_000, BOOT);
        let trusted =
            estimate_trusted_time(&now, Some(&anchor), Some(&previous), &TimePolicy::default());
        assert_eq!(trusted.flags, vec![FLAG_ELAPSED_BACKWARDS]);
    }

    #[test]
    fn elapsed_before_anchor_is_flagged() {
        let anchor = anchor("2026-12-04T00:00:00Z", 600_000);
        let now = reading("2026-12-04T00:05:00Z", 300_000, BOOT);
        let trusted = estimate_trusted_time(&now, Some(&anchor), None, &TimePolicy::default());
        assert_eq!(
            trusted.source,
            TimeSource::WallClock,
            "the anchor cannot be used"
        );
        assert_eq!(trusted.flags, vec![FLAG_ELAPSED_BACKWARDS, FLAG_NO_ANCHOR]);
    }

    #[test]
    fn attendance_day_in_three_zones() {
        // 16:30 UTC on the 4th is 23:30 WIB (4th), 00:30 WITA (5th) and 01:30 WIT (5th).
        let time_ms = ms("2026-12-04T16:30:00Z");
        let day = |zone| attendance_day(time_ms, zone).expect("valid time");
        assert_eq!(
            day(Tz::Asia__Jakarta),
            NaiveDate::from_ymd_opt(2026, 12, 4).expect("date")
        );
        assert_eq!(
            day(Tz::Asia__Makassar),
            NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
        );
        assert_eq!(
            day(Tz::Asia__Jayapura),
            NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
        );
    }

    #[test]
    fn wit_morning_is_next_utc_day() {
        // 07:30 WIT on the 5th is 22:30 UTC on the 4th.
        let time_ms = ms("2026-12-04T22:30:00Z");
        let day = attendance_day(time_ms, Tz::Asia__Jayapura).expect("valid time");
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 12, 5).expect("date"));
    }

    #[test]
    fn midnight_edges_per_zone() {
        let cases = [
            (Tz::Asia__Jakarta, "2026-12-04T16:59:59Z", 4),
            (Tz::Asia__Jakarta, "2026-12-04T17:00:00Z", 5),
            (Tz::Asia__Makassar, "2026-12-04T15:59:59Z", 4),
            (Tz::Asia__Makassar, "2026-12-04T16:00:00Z", 5),
            (Tz::Asia__Jayapura, "2026-12-04T14:59:59Z", 4),
            (Tz::Asia__Jayapura, "2026-12-04T15:00:00Z", 5),
        ];
        for (zone, utc, expected_day) in cases {
            let day = attendance_day(ms(utc), zone).expect("valid time");
            assert_eq!(
                day,
                NaiveDate::from_ymd_opt(2026, 12, expected_day).expect("date"),
                "{utc} in {zone}"
            );
        }
    }

    #[test]
    fn zone_offsets() {
        let time_ms = ms("2026-12-04T00:00:00Z");
        assert_eq!(zone_offset_minutes(time_ms, Tz::Asia__Jakarta), Ok(420));
        assert_eq!(zone_offset_minutes(time_ms, Tz::Asia__Makassar), Ok(480));
        assert_eq!(zone_offset_minutes(time_ms, Tz::Asia__Jayapura), Ok(540));
    }

    #[test]
    fn overnight_checkout_belongs_to_previous_day() {
        let shift = Shift::new(
            NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(6, 0, 0).expect("time"),
        )
        .expect("valid shift");
        let zone = Tz::Asia__Makassar;
        let fourth = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        let fifth = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");

        // 21:55 WITA on the 4th: check-in for the shift of the 4th.
        let check_in = shift.shift_day(ms("2026-12-04T13:55:00Z"), zone, ShiftEdge::Start);
        assert_eq!(check_in, Ok(fourth));
        // 06:10 WITA on the 5th: check-out of the shift that began on the 4th.
        let check_out = shift.shift_day(ms("2026-12-04T22:10:00Z"), zone, ShiftEdge::End);
        assert_eq!(check_out, Ok(fourth));
        // 00:30 WITA on the 5th: a late check-in still joins the shift of the 4th.
        let late_in = shift.shift_day(ms("2026-12-04T16:30:00Z"), zone, ShiftEdge::Start);
        assert_eq!(late_in, Ok(fourth));
        // 21:50 WITA on the 5th: check-in for the shift of the 5th.
        let next_in = shift.shift_day(ms("2026-12-05T13:50:00Z"), zone, ShiftEdge::Start);
        assert_eq!(next_in, Ok(fifth));
    }

    #[test]
    fn day_shift_uses_local_date() {
        let shift = Shift::new(
            NaiveTime::from_hms_opt(7, 30, 0).expect("time"),
            NaiveTime::from_hms_opt(16, 0, 0).expect("time"),
        )
        .expect("valid shift");
        let day = shift.shift_day(
            ms("2026-12-04T22:30:00Z"),
            Tz::Asia__Jayapura,
            ShiftEdge::Start,
        );
        assert_eq!(day, Ok(NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")));
    }

    #[test]
    fn empty_shift_is_rejected() {
        let time = NaiveTime::from_hms_opt(8, 0, 0).expect("time");
        assert_eq!(Shift::new(time, time), Err(TimeError::EmptyShift(time)));
    }

    #[test]
    fn office_zone_names() {
        assert_eq!(parse_office_zone("WITA"), Ok(Tz::Asia__Makassar));
        assert_eq!(parse_office_zone("asia/jayapura"), Ok(Tz::Asia__Jayapura));
        assert!(parse_office_zone("Europe/Paris").is_err());
    }
}
