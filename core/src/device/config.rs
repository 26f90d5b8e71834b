//! The configuration a phone works with offline: the ASN's offices and dinas luar locations,
//! the face, location and time thresholds, the plan cutoff and the shift. The server signs it
//! as the payload of a [`crate::signed::SignedEnvelope`] (JSON, UTF-8), and the store checks it
//! against the pinned server key before each use.
//!
//! The field names match the server's configuration document (`format`, `issued_at_ms`,
//! `device_id`, `nip`, `assignment`, `location_policy`). Fields the server may leave out take
//! their defaults, and unknown fields are ignored, so a newer server can add fields without
//! breaking older phones.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geofence::{Assignment, OfficeZone};
use crate::location::LocationPolicy;
use crate::policy::{DevicePolicy, FacePolicy, ShiftConfig, TimePolicyConfig};
use crate::time::Shift;

/// Layout version of [`DeviceConfig`] this code reads.
pub const CONFIG_FORMAT: u32 = 1;

/// The payload of the server-signed configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceConfig {
    /// Layout version; must be [`CONFIG_FORMAT`].
    pub format: u32,
    /// When the server issued it, ms since the Unix epoch. It orders configurations: the phone
    /// never replaces a cached configuration with an older one.
    pub issued_at_ms: i64,
    /// The device the configuration is for (a UUID); must be this phone's device id.
    pub device_id: String,
    /// NIP of the ASN; must be the NIP registered on this phone.
    pub nip: String,
    /// Offices and dinas luar locations of the ASN.
    pub assignment: Assignment,
    /// Limits of the location trust flags.
    #[serde(default)]
    pub location_policy: LocationPolicy,
    /// Face thresholds.
    #[serde(default)]
    pub face_policy: FacePolicy,
    /// Trusted-time limits.
    #[serde(default)]
    pub time_policy: TimePolicyConfig,
    /// Local time after which today's work plan can no longer be changed.
    #[serde(default = "crate::plan::default_cutoff")]
    pub plan_cutoff: NaiveTime,
    /// Working hours, which decide the attendance day of a check-out after midnight.
    #[serde(default)]
    pub shift: ShiftConfig,
}

/// Reason a configuration payload cannot be used. Each names the field and what to change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration is not valid JSON for this app: {0}")]
    Parse(String),
    #[error("configuration format {found} is not supported; this app reads format {supported}")]
    Format { found: u32, supported: u32 },
    #[error("configuration field {field} is invalid: {detail}")]
    Invalid { field: &'static str, detail: String },
    #[error(
        "configuration is for device {found}, but this phone is device {expected}; fetch the configuration of this device"
    )]
    OtherDevice { found: String, expected: Uuid },
    #[error(
        "configuration is for another NIP than the one registered on this phone; fetch the configuration of this ASN"
    )]
    OtherNip,
    #[error(
        "configuration issued at {found_ms} ms is older than the cached one issued at {cached_ms} ms; the cached one stays in use"
    )]
    Older { found_ms: i64, cached_ms: i64 },
}

impl DeviceConfig {
    /// Parses a payload and checks every part of it (see [`DeviceConfig::validate`]).
    pub fn from_json_bytes(payload: &[u8]) -> Result<DeviceConfig, ConfigError> {
        let config: DeviceConfig = serde_json::from_slice(payload)
            .map_err(|error| ConfigError::Parse(error.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Serialises the configuration as the JSON payload the server signs.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        // serde_json fails only on maps with non-string keys, and this type has no map.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Checks the format, the NIP, the places (at least one) and every policy.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.format != CONFIG_FORMAT {
            return Err(ConfigError::Format {
                found: self.format,
                supported: CONFIG_FORMAT,
            });
        }
        let invalid = |field: &'static str, detail: String| ConfigError::Invalid { field, detail };

        crate::record::validate_nip(&self.nip)
            .map_err(|error| invalid("nip", error.to_string()))?;
        Uuid::parse_str(&self.device_id)
            .map_err(|_| invalid("device_id", "expected a UUID".to_string()))?;
        if self.assignment.offices.is_empty() && self.assignment.dinas_luar.is_empty() {
            return Err(invalid(
                "assignment",
                "lists no office and no dinas luar location; assign the ASN to an office"
                    .to_string(),
            ));
        }
        self.assignment
            .validate()
            .map_err(|error| invalid("assignment", error.to_string()))?;
        self.policy()
            .validate()
            .map_err(|error| invalid(error.field, error.detail))?;
        Ok(())
    }

    /// Returns the thresholds, shift and plan cutoff as one policy.
    pub fn policy(&self) -> DevicePolicy {
        DevicePolicy {
            location_policy: self.location_policy.clone(),
            face_policy: self.face_policy,
            time_policy: self.time_policy,
            plan_cutoff: self.plan_cutoff,
            shift: self.shift,
        }
    }

    /// Returns the shift.
    pub fn shift(&self) -> Shift {
        Shift {
            start: self.shift.start,
            end: self.shift.end,
        }
    }

    /// Returns the zone of the ASN's home office: the first office, or the first dinas luar
    /// location when no office is listed. Work plans are dated in this zone.
    pub fn home_zone(&self) -> OfficeZone {
        self.assignment
            .offices
            .first()
            .or_else(|| {
                self.assignment
                    .dinas_luar
                    .first()
                    .map(|travel| &travel.location)
            })
            .map(|office| office.time_zone)
            .unwrap_or(OfficeZone::Wib)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    const OFFICES: &str = r#"{"offices": [{"id": "bkpsdm", "name": "BKPSDM", "time_zone": "WITA",
        "fences": [{"type": "circle", "center": {"lat": -5.1477, "lon": 119.4327}, "radius_m": 100}]}]}"#;

    /// Returns a document in the shape the server signs today, without the device-side fields.
    fn server_document() -> String {
        format!(
            r#"{{"format": 1, "issued_at_ms": 1000, "device_id": "0193a5b0-0000-7000-8000-000000000001",
            "nip": "198503152010011002", "request_window_ms": 300000, "assignment": {OFFICES},
            "location_policy": {{"max_fix_age_ms": 30000, "max_future_ms": 5000, "max_accuracy_mm": 50000,
            "min_plausible_accuracy_mm": 1000, "max_speed_m_per_s": 70.0}}}}"#
        )
    }

    #[test]
    fn server_document_parses_with_defaults() {
        let config = DeviceConfig::from_json_bytes(server_document().as_bytes()).expect("parses");
        assert_eq!(config.face_policy, FacePolicy::default());
        assert_eq!(config.time_policy, TimePolicyConfig::default());
        assert_eq!(config.plan_cutoff, crate::plan::default_cutoff());
        assert_eq!(config.shift, ShiftConfig::default());
        assert_eq!(config.home_zone(), OfficeZone::Wita);
    }

    #[test]
    fn config_round_trips() {
        let mut config =
            DeviceConfig::from_json_bytes(server_document().as_bytes()).expect("parses");
        config.shift.start = NaiveTime::from_hms_opt(22, 0, 0).expect("time");
        config.shift.end = NaiveTime::from_hms_opt(6, 0, 0).expect("time");
        let again = DeviceConfig::from_json_bytes(&config.to_json_bytes()).expect("parses");
        assert_eq!(again, config);
        assert!(again.shift().is_overnight());
    }

    #[test]
    fn times_parse_without_seconds() {
        let document = server_document().replace(
            r#""request_window_ms": 300000,"#,
            r#""shift": {"start": "22:00", "end": "06:00:00"}, "plan_cutoff": "17:30","#,
        );
        let config = DeviceConfig::from_json_bytes(document.as_bytes()).expect("parses");
        assert_eq!(
            config.shift.start,
            NaiveTime::from_hms_opt(22, 0, 0).expect("time")
        );
        assert_eq!(
            config.shift.end,
            NaiveTime::from_hms_opt(6, 0, 0).expect("time")
        );
        assert_eq!(
            config.plan_cutoff,
            NaiveTime::from_hms_opt(17, 30, 0).expect("time")
        );
    }

    #[test]
    fn config_rejects_bad_parts() {
        let cases = [
            (r#""format": 1"#, r#""format": 2"#, "format 2"),
            (r#""nip": "198503152010011002""#, r#""nip": "19850""#, "nip"),
            (
                r#""device_id": "0193a5b0-0000-7000-8000-000000000001""#,
                r#""device_id": "phone-1""#,
                "device_id",
            ),
            (r#""radius_m": 100"#, r#""radius_m": -5"#, "assignment"),
            (
                r#""max_speed_m_per_s": 70.0"#,
                r#""max_speed_m_per_s": 0"#,
                "location_policy",
            ),
        ];
        for (from, to, expected) in cases {
            let document = server_document().replace(from, to);
            assert_ne!(
                document,
                server_document(),
                "case {expected} changes the document"
            );
            let error = DeviceConfig::from_json_bytes(document.as_bytes())
                .expect_err("a bad document is rejected");
            assert!(error.to_string().contains(expected), "{expected}: {error}");
        }
        let error = DeviceConfig::from_json_bytes(b"not json").expect_err("garbage is rejected");
        assert!(matches!(error, ConfigError::Parse(_)), "{error}");
    }
}
