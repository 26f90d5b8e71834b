//! Geofences of the offices an ASN may check in at, and the accuracy-aware verdict.
//!
//! An office has one or more fences (geodesic circles and polygons with holes, on WGS84). An
//! ASN is assigned one or more offices plus dinas luar (official travel) locations valid for a
//! date range. [`evaluate`] judges a GPS fix and the radius of its accuracy circle against
//! those places. The phone and the server run this same code, so the server can recompute
//! every verdict from its own configuration.
//!
//! # Distances
//!
//! Every distance is geodesic on the WGS84 ellipsoid (`geo::Geodesic`, Karney's algorithms).
//! The distance from a point to a fence is 0 inside or on the boundary, and otherwise the
//! geodesic distance to the nearest point of the boundary. The `distance` submodule explains
//! how the nearest point of a polygon edge is found and how large its error is (at most
//! 0.26 mm for edges and distances of up to 5 km, measured against dense sampling).
//!
//! # Verdict
//!
//! With `m` the distance from the point to the boundary when the point is inside (the inside
//! margin), `d` the distance to the fence when outside, and `a` the accuracy radius:
//!
//! - Inside when `m >= a`: the closed accuracy circle fits in the closed fence. A circle that
//!   touches the boundary from inside is inside, because the boundary belongs to the fence.
//! - Outside when `d > a`: the accuracy circle does not reach the fence.
//! - Uncertain otherwise, including a point exactly on the boundary (`m = 0 < a`) and an
//!   accuracy circle larger than the whole fence. On Uncertain the ASN must retry, and it never
//!   counts as a pass.
//!
//! The accuracy must be finite and above 0, so a point on the boundary is never Inside.

mod distance;
mod error;
mod validate;
mod verdict;
#[cfg(test)]
mod vincenty;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use distance::{FenceLocation, ON_BOUNDARY_TOLERANCE_M, geodesic_distance_m};
pub use error::{CoordinateProblem, FencePart, FenceProblem, GeofenceError};
pub use validate::check_coordinate;
pub use verdict::{GeofenceVerdict, VerdictKind, evaluate};

/// Latitudes of Indonesia's territory, with a margin, in degrees (min, max).
pub const INDONESIA_LAT_RANGE: (f64, f64) = (-11.0, 6.0);

/// Longitudes of Indonesia's territory, with a margin, in degrees (min, max).
pub const INDONESIA_LON_RANGE: (f64, f64) = (95.0, 141.0);

/// Largest circle radius, and largest distance of a polygon vertex from the first exterior
/// vertex, in metres. The error of the polygon distance is measured up to this size, and
/// an office fence wider than this is a configuration mistake.
pub const MAX_FENCE_EXTENT_M: f64 = 10_000.0;

/// Smallest area a polygon ring may enclose, in square metres; less means collinear points.
pub const MIN_POLYGON_AREA_M2: f64 = 1.0;

/// A point on WGS84 in degrees. Latitude comes first everywhere in this system, in files too.
///
/// The fields are public for plain construction and serde. [`LatLon::new`] validates, and
/// [`evaluate`] and [`Office::validate`] check every coordinate they receive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude in degrees, north positive.
    pub lat: f64,
    /// Longitude in degrees, east positive.
    pub lon: f64,
}

impl LatLon {
    /// Builds a point, rejecting non-finite or out-of-range values and pairs that look swapped.
    pub fn new(lat: f64, lon: f64) -> Result<LatLon, GeofenceError> {
        check_coordinate(lat, lon).map_err(|problem| GeofenceError::InvalidCoordinate {
            lat,
            lon,
            problem,
        })?;
        Ok(LatLon { lat, lon })
    }

    /// Tells whether the point lies within the latitude and longitude ranges of Indonesia.
    pub fn is_in_indonesia(&self) -> bool {
        (INDONESIA_LAT_RANGE.0..=INDONESIA_LAT_RANGE.1).contains(&self.lat)
            && (INDONESIA_LON_RANGE.0..=INDONESIA_LON_RANGE.1).contains(&self.lon)
    }
}

/// The time zone of an office: one of Indonesia's three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OfficeZone {
    /// WIB, UTC+7 (Sumatra, Java, West and Central Kalimantan).
    #[serde(rename = "Asia/Jakarta", alias = "WIB")]
    Wib,
    /// WITA, UTC+8 (Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi).
    #[serde(rename = "Asia/Makassar", alias = "WITA")]
    Wita,
    /// WIT, UTC+9 (Maluku, Papua).
    #[serde(rename = "Asia/Jayapura", alias = "WIT")]
    Wit,
}

impl OfficeZone {
    /// IANA time zone name.
    pub fn tz_name(self) -> &'static str {
        match self {
            OfficeZone::Wib => "Asia/Jakarta",
            OfficeZone::Wita => "Asia/Makassar",
            OfficeZone::Wit => "Asia/Jayapura",
        }
    }

    /// Abbreviation as ASN and admins write it.
    pub fn abbreviation(self) -> &'static str {
        match self {
            OfficeZone::Wib => "WIB",
            OfficeZone::Wita => "WITA",
            OfficeZone::Wit => "WIT",
        }
    }

    /// Returns the `chrono_tz` zone, for local dates and times.
    pub fn tz(self) -> chrono_tz::Tz {
        match self {
            OfficeZone::Wib => chrono_tz::Asia::Jakarta,
            OfficeZone::Wita => chrono_tz::Asia::Makassar,
            OfficeZone::Wit => chrono_tz::Asia::Jayapura,
        }
    }

    /// Returns the local calendar date at `instant` in this zone.
    pub fn local_date(self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.tz()).date_naive()
    }
}

impl From<OfficeZone> for chrono_tz::Tz {
    fn from(zone: OfficeZone) -> chrono_tz::Tz {
        zone.tz()
    }
}

/// One geofence. Serialised with a `type` tag: `{"type": "circle", ...}` or
/// `{"type": "polygon", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fence {
    /// Every point within `radius_m` metres (geodesic) of `center`.
    Circle { center: LatLon, radius_m: f64 },
    /// The area inside `exterior` and outside every hole. Edges are geodesics between
    /// consecutive vertices; a ring may repeat its first vertex at the end or not, and may
    /// wind either way.
    Polygon {
        exterior: Vec<LatLon>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        holes: Vec<Vec<LatLon>>,
    },
}

/// An office (or a dinas luar location) with its fences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// Stable id used in records and configuration, for example `bkpsdm-kota-bogor`.
    pub id: String,
    /// Name shown to the ASN.
    pub name: String,
    /// Zone of the office's local attendance day.
    pub time_zone: OfficeZone,
    /// The office's area is the union of these fences.
    pub fences: Vec<Fence>,
}

/// A temporary place of work for official travel, valid on the local dates
/// `valid_from..=valid_to` in the location's own time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DinasLuar {
    /// The place, with its own id, name, zone and fences.
    pub location: Office,
    /// First valid local date.
    pub valid_from: NaiveDate,
    /// Last valid local date, inclusive.
    pub valid_to: NaiveDate,
    /// Number of the travel order (surat tugas), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_number: Option<String>,
}

impl DinasLuar {
    /// Tells whether the travel is valid on the local `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_to
    }
}

/// The places one ASN may check in at. This is also the format of the offices file that
/// `siperlu geofence check` reads (see docs/GEOFENCE.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Assignment {
    /// Regular offices, valid every day.
    pub offices: Vec<Office>,
    /// Official travel locations, valid on their dates only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dinas_luar: Vec<DinasLuar>,
}

impl Assignment {
    /// Parses an assignment from JSON and validates it.
    pub fn from_json(text: &str) -> Result<Assignment, GeofenceError> {
        let assignment: Assignment =
            serde_json::from_str(text).map_err(|error| GeofenceError::Parse {
                message: error.to_string(),
            })?;
        assignment.validate()?;
        Ok(assignment)
    }

    /// Returns the offices plus the dinas luar locations valid on the local `date`.
    pub fn places_on(&self, date: NaiveDate) -> Vec<&Office> {
        let travel = self
            .dinas_luar
            .iter()
            .filter(|travel| travel.is_valid_on(date))
            .map(|travel| &travel.location);
        self.offices.iter().chain(travel).collect()
    }

    /// Returns the offices plus the dinas luar locations valid at `instant`, each judged by
    /// the local date in the location's own zone. Pass trusted time, not the phone's clock.
    pub fn places_at(&self, instant: DateTime<Utc>) -> Vec<&Office> {
        let travel = self
            .dinas_luar
            .iter()
            .filter(|travel| travel.is_valid_on(travel.location.time_zone.local_date(instant)))
            .map(|travel| &travel.location);
        self.offices.iter().chain(travel).collect()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn office(id: &str) -> Office {
        Office {
            id: id.to_string(),
            name: format!("Kantor {id}"),
            time_zone: OfficeZone::Wita,
            fences: vec![Fence::Circle {
                center: LatLon {
                    lat: -5.1477,
                    lon: 119.4327,
                },
                radius_m: 150.0,
            }],
        }
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("valid date")
    }

    #[test]
    fn zone_names_and_offsets() {
        assert_eq!(OfficeZone::Wib.tz_name(), "Asia/Jakarta");
        assert_eq!(OfficeZone::Wita.tz_name(), "Asia/Makassar");
        assert_eq!(OfficeZone::Wit.tz_name(), "Asia/Jayapura");
        for zone in [OfficeZone::Wib, OfficeZone::Wita, OfficeZone::Wit] {
            assert_eq!(chrono_tz::Tz::from(zone).name(), zone.tz_name());
        }

        // 2026-12-04 16:30 UTC is 23:30 WIB (same day) and 01:30 WIT (next day).
        let instant: DateTime<Utc> = "2026-12-04T16:30:00Z".parse().expect("valid instant");
        assert_eq!(OfficeZone::Wib.local_date(instant), date("2026-12-04"));
        assert_eq!(OfficeZone::Wit.local_date(instant), date("2026-12-05"));
    }

    #[test]
    fn zone_serde_uses_iana_names() {
        let json = serde_json::to_string(&OfficeZone::Wita).expect("serialise");
        assert_eq!(json, "\"Asia/Makassar\"");
        let zone: OfficeZone = serde_json::from_str("\"WIT\"").expect("alias");
        assert_eq!(zone, OfficeZone::Wit);
        assert!(serde_json::from_str::<OfficeZone>("\"Asia/Singapore\"").is_err());
    }

    #[test]
    fn office_round_trips_through_json() {
        let mut original = office("kanreg-makassar");
        original.fences.push(Fence::Polygon {
            exterior: vec![
                LatLon {
                    lat: -5.14,
                    lon: 119.43,
                },
                LatLon {
                    lat: -5.14,
                    lon: 119.44,
                },
                LatLon {
                    lat: -5.15,
                    lon: 119.44,
                },
            ],
            holes: vec![],
        });
        let json = serde_json::to_string(&original).expect("serialise");
        assert!(json.contains("\"type\":\"circle\""), "{json}");
        let parsed: Office = serde_json::from_str(&json).expect("parse");
        assert_eq!(parsed, original);
    }

    #[test]
    fn places_on_includes_valid_travel_only() {
        let assignment = Assignment {
            offices: vec![office("home")],
            dinas_luar: vec![DinasLuar {
                location: office("travel"),
                valid_from: date("2026-12-01"),
                valid_to: date("2026-12-03"),
                letter_number: Some("800/123/BKPSDM".to_string()),
            }],
        };
        let ids = |places: Vec<&Office>| places.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(assignment.places_on(date("2026-11-30"))), ["home"]);
        assert_eq!(
            ids(assignment.places_on(date("2026-12-01"))),
            ["home", "travel"]
        );
        assert_eq!(
            ids(assignment.places_on(date("2026-12-03"))),
            ["home", "travel"]
        );
        assert_eq!(ids(assignment.places_on(date("2026-12-04"))), ["home"]);

        // 2026-12-03 16:30 UTC is already 2026-12-04 00:30 WITA: the travel has ended.
        let late: DateTime<Utc> = "2026-12-03T16:30:00Z".parse().expect("valid instant");
        assert_eq!(ids(assignment.places_at(late)), ["home"]);
        let earlier: DateTime<Utc> = "2026-12-03T15:30:00Z".parse().expect("valid instant");
        assert_eq!(ids(assignment.places_at(earlier)), ["home", "travel"]);
    }
}
