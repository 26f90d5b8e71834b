//! The limits a deployment sets for every phone: the face, location and time thresholds, the
//! working hours and the work plan cutoff. The server reads them from its device policy file
//! and ships them inside the signed configuration. Its ingest applies the same limits, so the
//! phone and the server judge a record by one policy.
//!
//! This module needs none of the heavy cargo features, so the server links it.

mod face;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

pub use face::{FacePolicy, InvalidFacePolicy};

use crate::location::LocationPolicy;
use crate::time::{Shift, TimePolicy};

/// Limits of the trusted-time rules, in the configuration's serde form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimePolicyConfig {
    /// Largest difference between the phone clock and trusted time not flagged, in ms.
    pub max_clock_skew_ms: i64,
    /// Drift allowed for the elapsed clock since the anchor, in parts per million.
    pub elapsed_drift_ppm: i64,
}

impl Default for TimePolicyConfig {
    fn default() -> TimePolicyConfig {
        let policy = TimePolicy::default();
        TimePolicyConfig {
            max_clock_skew_ms: policy.max_clock_skew_ms,
            elapsed_drift_ppm: policy.elapsed_drift_ppm,
        }
    }
}

impl From<TimePolicyConfig> for TimePolicy {
    fn from(config: TimePolicyConfig) -> TimePolicy {
        TimePolicy {
            max_clock_skew_ms: config.max_clock_skew_ms,
            elapsed_drift_ppm: config.elapsed_drift_ppm,
        }
    }
}

/// Working hours in office-local time; an `end` at or before `start` passes midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShiftConfig {
    /// Local start, `HH:MM` or `HH:MM:SS`.
    pub start: NaiveTime,
    /// Local end, `HH:MM` or `HH:MM:SS`.
    pub end: NaiveTime,
}

impl Default for ShiftConfig {
    /// 07:30 to 16:00, a common office day for ASN.
    fn default() -> ShiftConfig {
        ShiftConfig {
            start: NaiveTime::from_hms_opt(7, 30, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default(),
        }
    }
}

/// Lowest match threshold a deployment may set. The face module itself accepts any cosine, so
/// that `siperlu face eval` can explore low thresholds.
pub const MIN_DEPLOYED_MATCH_THRESHOLD: f32 = 0.3;

/// Every limit the server ships to the phones, as the server's device policy file states it.
///
/// Fields left out take their defaults. Phones ignore fields they do not know, so that a newer
/// server can add one. The server reads its own file with [`DevicePolicy::from_toml`], which
/// rejects unknown fields, so a misspelt threshold fails at start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DevicePolicy {
    /// Limits of the location trust flags.
    pub location_policy: LocationPolicy,
    /// Face thresholds, and whether the blink check is required.
    pub face_policy: FacePolicy,
    /// Trusted-time limits.
    pub time_policy: TimePolicyConfig,
    /// Office-local time after which today's work plan can no longer be changed.
    pub plan_cutoff: NaiveTime,
    /// Working hours, which decide the attendance day of a check-out after midnight.
    pub shift: ShiftConfig,
}

impl Default for DevicePolicy {
    fn default() -> DevicePolicy {
        DevicePolicy {
            location_policy: LocationPolicy::default(),
            face_policy: FacePolicy::default(),
            time_policy: TimePolicyConfig::default(),
            plan_cutoff: crate::plan::default_cutoff(),
            shift: ShiftConfig::default(),
        }
    }
}

/// A policy part that cannot be used, with the part's name and what is wrong in it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("policy {field} is invalid: {detail}")]
pub struct PolicyError {
    /// The part: `location_policy`, `face_policy`, `time_policy`, `shift`, `plan_cutoff`, or
    /// `file` for a file that does not parse.
    pub field: &'static str,
    /// The value that is wrong and what the part accepts.
    pub detail: String,
}

impl DevicePolicy {
    /// Checks every part: each threshold in its range and a shift that is not empty.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let invalid = |field: &'static str, detail: String| PolicyError { field, detail };

        self.location_policy
            .validate()
            .map_err(|error| invalid("location_policy", error.to_string()))?;
        self.face_policy
            .validate()
            .map_err(|error| invalid("face_policy", error.to_string()))?;
        if self.face_policy.match_threshold < MIN_DEPLOYED_MATCH_THRESHOLD {
            return Err(invalid(
                "face_policy",
                format!(
                    "match_threshold {} is below {MIN_DEPLOYED_MATCH_THRESHOLD}; different people scored up to 0.46 on the evaluation set (docs/BENCHMARKS.md), so such a threshold lets colleagues check in for each other",
                    self.face_policy.match_threshold
                ),
            ));
        }
        if self.plan_cutoff == NaiveTime::MIN {
            return Err(invalid(
                "plan_cutoff",
                "00:00 would close every day's work plan before the day starts; use a time such as \"10:00\"".to_string(),
            ));
        }
        if self.time_policy.max_clock_skew_ms <= 0 || self.time_policy.elapsed_drift_ppm < 0 {
            return Err(invalid(
                "time_policy",
                format!(
                    "max_clock_skew_ms must be above 0 and elapsed_drift_ppm at least 0, found {} and {}",
                    self.time_policy.max_clock_skew_ms, self.time_policy.elapsed_drift_ppm
                ),
            ));
        }
        Shift::new(self.shift.start, self.shift.end)
            .map_err(|error| invalid("shift", error.to_string()))?;
        Ok(())
    }

    /// Parses and validates a device policy file in TOML. Every key must be a known field:
    /// serde ignores unknown ones (phones rely on that), so the keys are compared with those
    /// of the parsed policy written back.
    pub fn from_toml(text: &str) -> Result<DevicePolicy, PolicyError> {
        let file = |detail: String| PolicyError {
            field: "file",
            detail,
        };
        let written: toml::Table = toml::from_str(text).map_err(|error| file(error.to_string()))?;
        let policy: DevicePolicy = toml::from_str(text).map_err(|error| {
            let hint = if is_time_field(text, &error) {
                "; write times as \"HH:MM\" in 24-hour form, for example \"07:30\""
            } else {
                ""
            };
            file(format!("{}{hint}", error.to_string().trim_end()))
        })?;
        let known = toml::Table::try_from(&policy).map_err(|error| file(error.to_string()))?;
        if let Some(unknown) = first_unknown_key(&written, &known, "") {
            return Err(file(format!(
                "unknown field {unknown}; check its spelling against the fields listed in docs/SERVER.md"
            )));
        }
        policy.validate()?;
        Ok(policy)
    }

    /// Returns the trusted-time limits in the form `time::estimate_trusted_time` takes.
    pub fn time_policy(&self) -> TimePolicy {
        self.time_policy.into()
    }
}

/// Checks whether the parse error points at a time: `plan_cutoff` or a shift's `start` or
/// `end`.
fn is_time_field(text: &str, error: &toml::de::Error) -> bool {
    let Some(span) = error.span() else {
        return false;
    };
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |index| index + 1);
    let line = text[line_start..].trim_start();
    ["plan_cutoff", "start", "end"]
        .iter()
        .any(|key| line.starts_with(key))
}

/// Returns the dotted path of the first key of `written` that `known` lacks.
fn first_unknown_key(written: &toml::Table, known: &toml::Table, prefix: &str) -> Option<String> {
    for (key, value) in written {
        let path = format!("{prefix}{key}");
        match (value, known.get(key)) {
            (_, None) => return Some(path),
            (toml::Value::Table(inner), Some(toml::Value::Table(known_inner))) => {
                if let Some(found) = first_unknown_key(inner, known_inner, &format!("{path}.")) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        DevicePolicy::default()
            .validate()
            .expect("defaults are valid");
    }

    #[test]
    fn partial_toml_keeps_defaults() {
        let policy: DevicePolicy = toml::from_str(
            "plan_cutoff = \"09:30\"\n[face_policy]\nmatch_threshold = 0.6\nrequire_blink = true\n",
        )
        .expect("parses");
        assert_eq!(policy.face_policy.match_threshold, 0.6);
        assert!(policy.face_policy.require_blink);
        assert_eq!(
            policy.plan_cutoff,
            NaiveTime::from_hms_opt(9, 30, 0).expect("time")
        );
        assert_eq!(policy.location_policy, LocationPolicy::default());
        assert_eq!(policy.shift, ShiftConfig::default());
    }

    #[test]
    fn misspelt_field_is_rejected() {
        let error = DevicePolicy::from_toml("[face_policy]\nmatch_treshold = 0.6\n")
            .expect_err("unknown field");
        assert_eq!(error.field, "file");
        assert!(
            error.detail.contains("face_policy.match_treshold"),
            "{error}"
        );

        let error = DevicePolicy::from_toml("plan_cutof = \"09:00\"\n").expect_err("unknown");
        assert!(error.detail.contains("plan_cutof"), "{error}");
    }

    #[test]
    fn documented_example_is_the_default() {
        // docs/SERVER.md shows a policy file with every default; keep the two in step.
        let doc = include_str!("../../../docs/SERVER.md");
        let start = doc
            .find("```toml\n")
            .expect("a TOML block in docs/SERVER.md")
            + 8;
        let length = doc[start..].find("```").expect("end of the TOML block");
        let policy = DevicePolicy::from_toml(&doc[start..start + length]).expect("valid");
        assert_eq!(policy, DevicePolicy::default());
    }

    #[test]
    fn policy_file_is_validated() {
        let error = DevicePolicy::from_toml("[face_policy]\nmatch_threshold = 1.5\n")
            .expect_err("out of range");
        assert_eq!(error.field, "face_policy");

        let error = DevicePolicy::from_toml("[shift]\nstart = \"7 pagi\"\nend = \"16:00\"\n")
            .expect_err("not a time");
        assert_eq!(error.field, "file");
        assert!(error.detail.contains("line 2"), "{error}");
        assert!(error.detail.contains("7 pagi"), "{error}");
    }

    #[test]
    fn out_of_range_threshold_names_the_part() {
        let mut policy = DevicePolicy::default();
        policy.face_policy.match_threshold = 1.5;
        let error = policy.validate().expect_err("above 1");
        assert_eq!(error.field, "face_policy");
        assert!(error.detail.contains("match_threshold"), "{error}");
    }

    #[test]
    fn unsafe_values_are_rejected() {
        let error = DevicePolicy::from_toml("[face_policy]\nmatch_threshold = -1.0\n")
            .expect_err("matches anyone");
        assert_eq!(error.field, "face_policy");
        assert!(error.detail.contains("below 0.3"), "{error}");

        let error = DevicePolicy::from_toml("plan_cutoff = \"00:00\"\n").expect_err("closed");
        assert_eq!(error.field, "plan_cutoff");
    }

    #[test]
    fn partial_shift_keeps_default_end() {
        let policy = DevicePolicy::from_toml("[shift]\nstart = \"08:00\"\n").expect("valid");
        assert_eq!(
            policy.shift.start,
            NaiveTime::from_hms_opt(8, 0, 0).expect("time")
        );
        assert_eq!(policy.shift.end, ShiftConfig::default().end);
    }

    #[test]
    fn bad_time_explains_format() {
        let error = DevicePolicy::from_toml("plan_cutoff = \"7.30\"\n").expect_err("not a time");
        assert!(error.detail.contains("HH:MM"), "{error}");
        let error = DevicePolicy::from_toml("[face_policy]\nmatch_threshold = \"x\"\n")
            .expect_err("not a number");
        assert!(!error.detail.contains("HH:MM"), "{error}");
    }

    #[test]
    fn empty_shift_is_rejected() {
        let mut policy = DevicePolicy::default();
        policy.shift.end = policy.shift.start;
        let error = policy.validate().expect_err("empty shift");
        assert_eq!(error.field, "shift");
    }
}
