//! GPS fixes as the phone reports them, and the trust signals raised on them.
//!
//! A [`Fix`] keeps the integer wire fields that the signed attendance record carries, so the
//! phone and the server judge the same values. [`assess_fix`] raises a [`TrustFlag`] for each
//! sign of a fake or unusable fix. The signs are a mock provider reported by the OS, a stale or
//! future fix time, an accuracy too poor or implausibly good for a phone, and travel from the
//! previous record faster than a configured speed. Flags do not reject a check-in by themselves; the
//! caller decides, and the server shows them to admins.

use serde::{Deserialize, Serialize};

use crate::geofence::{GeofenceError, LatLon, geodesic_distance_m};
use crate::messages::{self, Locale, units};

/// Errors of the location module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LocationError {
    #[error("invalid fix: {0}")]
    InvalidCoordinate(#[from] GeofenceError),

    #[error(
        "invalid fix accuracy {accuracy_m} m: it must be a finite number of metres within 0..=4294967"
    )]
    InvalidAccuracy { accuracy_m: f64 },

    #[error(
        "invalid location policy: {field} is {value}; it must be a finite number above 0 (max_future_ms may be 0)"
    )]
    InvalidPolicy { field: &'static str, value: f64 },

    #[error(
        "invalid location policy: min_plausible_accuracy_mm {min_plausible_accuracy_mm} is above max_accuracy_mm {max_accuracy_mm}, so every fix would be flagged; lower the first or raise the second"
    )]
    AccuracyLimitsReversed {
        min_plausible_accuracy_mm: u32,
        max_accuracy_mm: u32,
    },
}

/// One GPS fix in the integer units of the signed record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// Latitude in 1e-7 degrees.
    pub latitude_e7: i32,
    /// Longitude in 1e-7 degrees.
    pub longitude_e7: i32,
    /// Radius of the accuracy circle in millimetres (Android's `Location.getAccuracy()`,
    /// a 68 % confidence radius). 0 means the phone reported no accuracy.
    pub accuracy_mm: u32,
    /// Time of the fix as the phone reports it, in milliseconds since the Unix epoch (UTC).
    pub fix_time_ms: i64,
    /// Name of the location provider, for example `gps`, `network` or `fused`.
    pub provider: String,
    /// Whether the OS marked the fix as coming from a mock location provider.
    pub is_mock: bool,
}

impl Fix {
    /// Builds a fix from degrees and metres, rounding to the wire units (1e-7 degree, 1 mm).
    pub fn from_degrees(
        lat: f64,
        lon: f64,
        accuracy_m: f64,
        fix_time_ms: i64,
        provider: &str,
        is_mock: bool,
    ) -> Result<Fix, LocationError> {
        let point = LatLon::new(lat, lon)?;
        let accuracy_mm = accuracy_m * 1000.0;
        if !accuracy_mm.is_finite() || accuracy_mm < 0.0 || accuracy_mm > u32::MAX as f64 {
            return Err(LocationError::InvalidAccuracy { accuracy_m });
        }
        Ok(Fix {
            latitude_e7: (point.lat * 1e7).round() as i32,
            longitude_e7: (point.lon * 1e7).round() as i32,
            accuracy_mm: accuracy_mm.round() as u32,
            fix_time_ms,
            provider: provider.to_string(),
            is_mock,
        })
    }

    /// Converts the wire coordinates to a validated point; a swapped pair is an error here too.
    pub fn lat_lon(&self) -> Result<LatLon, LocationError> {
        let lat = f64::from(self.latitude_e7) / 1e7;
        let lon = f64::from(self.longitude_e7) / 1e7;
        Ok(LatLon::new(lat, lon)?)
    }

    /// Radius of the accuracy circle in metres.
    pub fn accuracy_m(&self) -> f64 {
        f64::from(self.accuracy_mm) / 1000.0
    }
}

/// Limits for the trust flags; part of the server-signed configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocationPolicy {
    /// Oldest fix accepted, in milliseconds before trusted now.
    pub max_fix_age_ms: i64,
    /// Furthest a fix time may lie after trusted now, in milliseconds.
    pub max_future_ms: i64,
    /// Worst accuracy radius accepted, in millimetres.
    pub max_accuracy_mm: u32,
    /// An accuracy radius below this, in millimetres, is implausibly good for a phone.
    pub min_plausible_accuracy_mm: u32,
    /// Fastest plausible travel between two records, in metres per second.
    pub max_speed_m_per_s: f64,
}

impl Default for LocationPolicy {
    /// 30 s fix age, 5 s of clock skew, 50 m worst accuracy, 1 m best plausible accuracy, and
    /// 70 m/s (252 km/h: faster than any road or rail travel in Indonesia, slower than a plane).
    fn default() -> LocationPolicy {
        LocationPolicy {
            max_fix_age_ms: 30_000,
            max_future_ms: 5_000,
            max_accuracy_mm: 50_000,
            min_plausible_accuracy_mm: 1_000,
            max_speed_m_per_s: 70.0,
        }
    }
}

impl LocationPolicy {
    /// Checks that every limit is usable.
    pub fn validate(&self) -> Result<(), LocationError> {
        let positive_limits = [
            ("max_fix_age_ms", self.max_fix_age_ms as f64),
            ("max_accuracy_mm", f64::from(self.max_accuracy_mm)),
            ("max_speed_m_per_s", self.max_speed_m_per_s),
        ];
        for (field, value) in positive_limits {
            if !value.is_finite() || value <= 0.0 {
                return Err(LocationError::InvalidPolicy { field, value });
            }
        }
        if self.max_future_ms < 0 {
            return Err(LocationError::InvalidPolicy {
                field: "max_future_ms",
                value: self.max_future_ms as f64,
            });
        }
        if self.min_plausible_accuracy_mm > self.max_accuracy_mm {
            return Err(LocationError::AccuracyLimitsReversed {
                min_plausible_accuracy_mm: self.min_plausible_accuracy_mm,
                max_accuracy_mm: self.max_accuracy_mm,
            });
        }
        Ok(())
    }
}

/// One trust signal on a fix. Serialised with its reason id under `reason_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason_id")]
pub enum TrustFlag {
    /// The OS reported the fix as coming from a mock location provider.
    #[serde(rename = "location.mock_provider")]
    MockProvider { provider: String },

    /// The fix is older than the policy allows.
    #[serde(rename = "location.stale_fix")]
    StaleFix { age_ms: i64, max_age_ms: i64 },

    /// The fix time lies after trusted now by more than the policy allows.
    #[serde(rename = "location.future_fix")]
    FutureFix { ahead_ms: i64, max_future_ms: i64 },

    /// The accuracy radius is worse than the policy allows.
    #[serde(rename = "location.poor_accuracy")]
    PoorAccuracy {
        accuracy_mm: u32,
        max_accuracy_mm: u32,
    },

    /// The accuracy radius is better than a phone's GPS can deliver, or missing (0).
    #[serde(rename = "location.implausible_accuracy")]
    ImplausibleAccuracy {
        accuracy_mm: u32,
        min_accuracy_mm: u32,
    },

    /// Reaching this fix from the previous record's fix needs a speed above the limit.
    /// `distance_m` is the geodesic distance less both accuracy radii.
    #[serde(rename = "location.impossible_travel")]
    ImpossibleTravel {
        distance_m: f64,
        elapsed_ms: i64,
        speed_m_per_s: f64,
        max_speed_m_per_s: f64,
    },
}

impl TrustFlag {
    /// Message catalog id, also the serialised `reason_id`.
    pub fn reason_id(&self) -> &'static str {
        match self {
            TrustFlag::MockProvider { .. } => "location.mock_provider",
            TrustFlag::StaleFix { .. } => "location.stale_fix",
            TrustFlag::FutureFix { .. } => "location.future_fix",
            TrustFlag::PoorAccuracy { .. } => "location.poor_accuracy",
            TrustFlag::ImplausibleAccuracy { .. } => "location.implausible_accuracy",
            TrustFlag::ImpossibleTravel { .. } => "location.impossible_travel",
        }
    }

    /// Returns the flag as a sentence for the ASN or an admin, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        let seconds = |ms: i64| units::format_decimal(ms as f64 / 1000.0, 0, locale);
        let metres = |mm: u32| units::format_decimal(f64::from(mm) / 1000.0, 1, locale);
        let values: Vec<(&str, String)> = match self {
            TrustFlag::MockProvider { .. } => vec![],
            TrustFlag::StaleFix { age_ms, max_age_ms } => {
                vec![
                    ("age_s", seconds(*age_ms)),
                    ("max_age_s", seconds(*max_age_ms)),
                ]
            }
            TrustFlag::FutureFix { ahead_ms, .. } => vec![("ahead_s", seconds(*ahead_ms))],
            TrustFlag::PoorAccuracy {
                accuracy_mm,
                max_accuracy_mm,
            } => vec![
                ("accuracy_m", metres(*accuracy_mm)),
                ("max_accuracy_m", metres(*max_accuracy_mm)),
            ],
            TrustFlag::ImplausibleAccuracy {
                accuracy_mm,
                min_accuracy_mm,
            } => vec![
                ("accuracy_m", metres(*accuracy_mm)),
                ("min_accuracy_m", metres(*min_accuracy_mm)),
            ],
            TrustFlag::ImpossibleTravel {
                distance_m,
                elapsed_ms,
                speed_m_per_s,
                max_speed_m_per_s,
            } => vec![
                ("distance", units::format_distance_m(*distance_m, locale)),
                ("elapsed", units::format_duration_ms(*elapsed_ms, locale)),
                (
                    "speed_m_per_s",
                    units::format_decimal(*speed_m_per_s, 1, locale),
                ),
                (
                    "max_speed_m_per_s",
                    units::format_decimal(*max_speed_m_per_s, 1, locale),
                ),
            ],
        };
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        messages::format(self.reason_id(), locale, &pairs)
    }
}

/// Raises the trust flags of `fix`, taken for a record made at trusted time `trusted_now_ms`
/// (milliseconds since the Unix epoch, from the trusted-time estimate, not the phone's clock).
///
/// `previous` is the fix of the device's previous record with that record's trusted time. The
/// implied speed uses the two trusted times and never the fix times, because a fake-GPS app
/// sets those.
/// When the trusted time has not advanced since the previous record, any distance beyond the
/// accuracy radii counts as travel in 1 ms.
///
/// NOTE: for non-GPS providers Android stamps `fix_time_ms` with the phone's wall clock, so a
/// phone clock set back makes a fresh fix look stale; the shell should also pass the fix's
/// elapsed-realtime age once the record carries it.
pub fn assess_fix(
    fix: &Fix,
    previous: Option<(&Fix, i64)>,
    trusted_now_ms: i64,
    policy: &LocationPolicy,
) -> Result<Vec<TrustFlag>, LocationError> {
    policy.validate()?;
    let point = fix.lat_lon()?;
    let mut flags = Vec::new();

    if fix.is_mock {
        flags.push(TrustFlag::MockProvider {
            provider: fix.provider.clone(),
        });
    }

    let age_ms = trusted_now_ms.saturating_sub(fix.fix_time_ms);
    if age_ms > policy.max_fix_age_ms {
        flags.push(TrustFlag::StaleFix {
            age_ms,
            max_age_ms: policy.max_fix_age_ms,
        });
    } else if -age_ms > policy.max_future_ms {
        flags.push(TrustFlag::FutureFix {
            ahead_ms: -age_ms,
            max_future_ms: policy.max_future_ms,
        });
    }

    if fix.accuracy_mm > policy.max_accuracy_mm {
        flags.push(TrustFlag::PoorAccuracy {
            accuracy_mm: fix.accuracy_mm,
            max_accuracy_mm: policy.max_accuracy_mm,
        });
    } else if fix.accuracy_mm < policy.min_plausible_accuracy_mm {
        flags.push(TrustFlag::ImplausibleAccuracy {
            accuracy_mm: fix.accuracy_mm,
            min_accuracy_mm: policy.min_plausible_accuracy_mm,
        });
    }

    if let Some((previous_fix, previous_trusted_ms)) = previous {
        let previous_point = previous_fix.lat_lon()?;
        let slack_m = fix.accuracy_m() + previous_fix.accuracy_m();
        let distance_m = (geodesic_distance_m(previous_point, point) - slack_m).max(0.0);
        let elapsed_ms = trusted_now_ms.saturating_sub(previous_trusted_ms);
        let speed_m_per_s = distance_m / (elapsed_ms.max(1) as f64 / 1000.0);
        if speed_m_per_s > policy.max_speed_m_per_s {
            flags.push(TrustFlag::ImpossibleTravel {
                distance_m,
                elapsed_ms,
                speed_m_per_s,
                max_speed_m_per_s: policy.max_speed_m_per_s,
            });
        }
    }

    if !flags.is_empty() {
        let reason_ids: Vec<&str> = flags.iter().map(TrustFlag::reason_id).collect();
        tracing::info!(?reason_ids, provider = %fix.provider, "location trust flags raised");
    }
    Ok(flags)
}

#[cfg(test)]
mod test {
    use super::*;
    use geo::{Destination, Geodesic, Point};

    // 2026-12-04 01:00 UTC (08:00 WIB), the trusted time of the record under test.
    const NOW_MS: i64 = 1_796_346_000_000;

    /// Returns a fix at the Monas car park in Jakarta, 5 s old, 8 m accuracy, from GPS.
    fn good_fix() -> Fix {
        Fix::from_degrees(-6.1754, 106.8272, 8.0, NOW_MS - 5_000, "gps", false).expect("valid fix")
    }

    fn reason_ids(flags: &[TrustFlag]) -> Vec<&'static str> {
        flags.iter().map(TrustFlag::reason_id).collect()
    }

    fn assess(fix: &Fix, previous: Option<(&Fix, i64)>) -> Vec<&'static str> {
        let flags = assess_fix(fix, previous, NOW_MS, &LocationPolicy::default()).expect("assess");
        reason_ids(&flags)
    }

    /// Returns a fix `distance_m` metres east of `fix` with the same accuracy, placed by the
    /// geodesic direct problem (independent of the inverse problem under test).
    fn moved_east(fix: &Fix, distance_m: f64) -> Fix {
        let origin = fix.lat_lon().expect("valid");
        let moved = Geodesic.destination(Point::new(origin.lon, origin.lat), 90.0, distance_m);
        Fix::from_degrees(
            moved.y(),
            moved.x(),
            fix.accuracy_m(),
            fix.fix_time_ms,
            "gps",
            false,
        )
        .expect("valid fix")
    }

    #[test]
    fn good_fix_raises_nothing() {
        assert!(assess(&good_fix(), None).is_empty());
    }

    #[test]
    fn flag_table() {
        // Each row: what changes from the good fix, and the flag ids expected.
        let policy = LocationPolicy::default();
        let cases: Vec<(&str, Fix, Vec<&str>)> = vec![
            (
                "mock provider",
                Fix {
                    is_mock: true,
                    ..good_fix()
                },
                vec!["location.mock_provider"],
            ),
            (
                "age at limit",
                Fix {
                    fix_time_ms: NOW_MS - policy.max_fix_age_ms,
                    ..good_fix()
                },
                vec![],
            ),
            (
                "1 ms past limit",
                Fix {
                    fix_time_ms: NOW_MS - policy.max_fix_age_ms - 1,
                    ..good_fix()
                },
                vec!["location.stale_fix"],
            ),
            (
                "future at limit",
                Fix {
                    fix_time_ms: NOW_MS + policy.max_future_ms,
                    ..good_fix()
                },
                vec![],
            ),
            (
                "future past limit",
                Fix {
                    fix_time_ms: NOW_MS + policy.max_future_ms + 1,
                    ..good_fix()
                },
                vec!["location.future_fix"],
            ),
            (
                "accuracy at limit",
                Fix {
                    accuracy_mm: 50_000,
                    ..good_fix()
                },
                vec![],
            ),
            (
                "accuracy past limit",
                Fix {
                    accuracy_mm: 50_001,
                    ..good_fix()
                },
                vec!["location.poor_accuracy"],
            ),
            (
                "accuracy 1 m",
                Fix {
                    accuracy_mm: 1_000,
                    ..good_fix()
                },
                vec![],
            ),
            (
                "accuracy 0.999 m",
                Fix {
                    accuracy_mm: 999,
                    ..good_fix()
                },
                vec!["location.implausible_accuracy"],
            ),
            (
                "accuracy missing",
                Fix {
                    accuracy_mm: 0,
                    ..good_fix()
                },
                vec!["location.implausible_accuracy"],
            ),
            (
                "mock and stale",
                Fix {
                    is_mock: true,
                    fix_time_ms: NOW_MS - 3_600_000,
                    ..good_fix()
                },
                vec!["location.mock_provider", "location.stale_fix"],
            ),
        ];
        for (name, fix, expected) in cases {
            assert_eq!(assess(&fix, None), expected, "case {name}");
        }
    }

    #[test]
    fn travel_speed_uses_trusted_times() {
        let previous = good_fix();
        // 10 km in 100 s of trusted time is 100 m/s after the 16 m of accuracy slack: flagged,
        // even though the fix times claim an hour passed.
        let mut far = moved_east(&previous, 10_016.0);
        far.fix_time_ms = previous.fix_time_ms + 3_600_000;
        let far = Fix {
            fix_time_ms: NOW_MS - 1_000,
            ..far
        };
        let flags = assess_fix(
            &far,
            Some((&previous, NOW_MS - 100_000)),
            NOW_MS,
            &LocationPolicy::default(),
        )
        .expect("assess");
        assert_eq!(reason_ids(&flags), ["location.impossible_travel"]);
        let TrustFlag::ImpossibleTravel {
            distance_m,
            speed_m_per_s,
            elapsed_ms,
            ..
        } = &flags[0]
        else {
            panic!("expected impossible travel, got {flags:?}");
        };
        assert_eq!(*elapsed_ms, 100_000);
        assert!((distance_m - 10_000.0).abs() < 0.1, "distance {distance_m}");
        assert!(
            (speed_m_per_s - 100.0).abs() < 0.01,
            "speed {speed_m_per_s}"
        );

        // The same trip in 1000 s is 10 m/s: not flagged.
        assert!(assess(&far, Some((&previous, NOW_MS - 1_000_000))).is_empty());
    }

    #[test]
    fn travel_within_accuracy_is_not_flagged() {
        let previous = good_fix();
        let jitter = moved_east(&previous, 15.0);
        // 15 m apart with 8 m + 8 m accuracy, in the same trusted millisecond.
        assert!(assess(&jitter, Some((&previous, NOW_MS))).is_empty());
        let jump = moved_east(&previous, 17.0);
        assert_eq!(
            assess(&jump, Some((&previous, NOW_MS))),
            ["location.impossible_travel"]
        );
    }

    #[test]
    fn swapped_fix_is_an_error() {
        let swapped = Fix {
            latitude_e7: 1_068_272_000,
            longitude_e7: -61_754_000,
            ..good_fix()
        };
        let error = assess_fix(&swapped, None, NOW_MS, &LocationPolicy::default())
            .expect_err("swapped pair");
        let LocationError::InvalidCoordinate(inner) = &error else {
            panic!("expected a coordinate error, got {error:?}");
        };
        assert!(inner.is_looks_swapped(), "{inner}");
        let text = error.to_string();
        assert!(
            text.contains("106.8272") && text.contains("-6.1754"),
            "{text}"
        );
    }

    #[test]
    fn from_degrees_rejects_bad_values() {
        assert!(Fix::from_degrees(f64::NAN, 106.8, 5.0, 0, "gps", false).is_err());
        assert!(Fix::from_degrees(-6.2, 181.0, 5.0, 0, "gps", false).is_err());
        assert_eq!(
            Fix::from_degrees(-6.2, 106.8, -1.0, 0, "gps", false),
            Err(LocationError::InvalidAccuracy { accuracy_m: -1.0 })
        );
        assert!(Fix::from_degrees(-6.2, 106.8, f64::INFINITY, 0, "gps", false).is_err());
    }

    #[test]
    fn from_degrees_rounds_to_wire_units() {
        let fix = Fix::from_degrees(-6.17540004, 106.82720006, 3.2104, 7, "fused", false)
            .expect("valid fix");
        assert_eq!(fix.latitude_e7, -61_754_000);
        assert_eq!(fix.longitude_e7, 1_068_272_001);
        assert_eq!(fix.accuracy_mm, 3_210);
    }

    #[test]
    fn policy_serde_fills_defaults() {
        let policy: LocationPolicy =
            serde_json::from_str(r#"{"max_speed_m_per_s": 40.0}"#).expect("parse");
        assert_eq!(policy.max_speed_m_per_s, 40.0);
        assert_eq!(
            policy.max_fix_age_ms,
            LocationPolicy::default().max_fix_age_ms
        );
        let bad = LocationPolicy {
            max_speed_m_per_s: f64::NAN,
            ..LocationPolicy::default()
        };
        let reversed = LocationPolicy {
            min_plausible_accuracy_mm: 60_000,
            ..LocationPolicy::default()
        };
        assert!(matches!(
            reversed.validate(),
            Err(LocationError::AccuracyLimitsReversed { .. })
        ));
        assert!(matches!(
            bad.validate(),
            Err(LocationError::InvalidPolicy {
                field: "max_speed_m_per_s",
                ..
            })
        ));
    }

    #[test]
    fn flags_serialise_with_reason_id() {
        let flag = TrustFlag::StaleFix {
            age_ms: 90_000,
            max_age_ms: 30_000,
        };
        let json = serde_json::to_value(&flag).expect("serialise");
        assert_eq!(json["reason_id"], "location.stale_fix");
        assert_eq!(json["age_ms"], 90_000);
        let back: TrustFlag = serde_json::from_value(json).expect("parse");
        assert_eq!(back, flag);
    }

    #[test]
    fn flag_messages_fill_every_placeholder() {
        let flags = [
            TrustFlag::MockProvider {
                provider: "gps".into(),
            },
            TrustFlag::StaleFix {
                age_ms: 90_000,
                max_age_ms: 30_000,
            },
            TrustFlag::FutureFix {
                ahead_ms: 60_000,
                max_future_ms: 5_000,
            },
            TrustFlag::PoorAccuracy {
                accuracy_mm: 80_000,
                max_accuracy_mm: 50_000,
            },
            TrustFlag::ImplausibleAccuracy {
                accuracy_mm: 100,
                min_accuracy_mm: 1_000,
            },
            TrustFlag::ImpossibleTravel {
                distance_m: 10_000.0,
                elapsed_ms: 100_000,
                speed_m_per_s: 100.0,
                max_speed_m_per_s: 70.0,
            },
        ];
        for flag in flags {
            for locale in [Locale::Id, Locale::En] {
                let text = flag.message(locale);
                assert!(
                    !text.contains('{'),
                    "{} has an unfilled placeholder: {text}",
                    flag.reason_id()
                );
            }
        }
        let stale = TrustFlag::StaleFix {
            age_ms: 90_000,
            max_age_ms: 30_000,
        };
        assert!(
            stale.message(Locale::Id).contains("90 detik"),
            "{}",
            stale.message(Locale::Id)
        );
    }

    #[test]
    fn travel_message_per_locale() {
        let flag = TrustFlag::ImpossibleTravel {
            distance_m: 1_534.0,
            elapsed_ms: 15_500,
            speed_m_per_s: 98.96,
            max_speed_m_per_s: 70.0,
        };
        let indonesian = flag.message(Locale::Id);
        assert!(indonesian.contains("Perpindahan 1,5 km"), "{indonesian}");
        assert!(indonesian.contains("dalam 15,5 detik"), "{indonesian}");
        assert!(indonesian.contains("kecepatan 99 m/s"), "{indonesian}");
        assert!(indonesian.contains("batas 70 m/s"), "{indonesian}");
        let english = flag.message(Locale::En);
        assert!(english.contains("Moving 1.5 km"), "{english}");
        assert!(english.contains("in 15.5 s"), "{english}");
        assert!(english.contains("implies 99 m/s"), "{english}");

        let long_trip = TrustFlag::ImpossibleTravel {
            distance_m: 250_000.0,
            elapsed_ms: 150_000,
            speed_m_per_s: 1_666.67,
            max_speed_m_per_s: 70.0,
        };
        let indonesian = long_trip.message(Locale::Id);
        assert!(indonesian.contains("250 km"), "{indonesian}");
        assert!(indonesian.contains("2,5 menit"), "{indonesian}");
        assert!(indonesian.contains("1666,7 m/s"), "{indonesian}");
        assert!(long_trip.message(Locale::En).contains("2.5 min"));
    }

    #[test]
    fn accuracy_message_decimal_comma() {
        let flag = TrustFlag::PoorAccuracy {
            accuracy_mm: 62_500,
            max_accuracy_mm: 50_000,
        };
        let indonesian = flag.message(Locale::Id);
        assert!(indonesian.contains("62,5 m"), "{indonesian}");
        assert!(indonesian.contains("batas 50 m"), "{indonesian}");
        let english = flag.message(Locale::En);
        assert!(english.contains("62.5 m"), "{english}");
    }
}
