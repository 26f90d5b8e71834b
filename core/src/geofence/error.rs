//! Errors of the geofence module: invalid coordinates, accuracies and office configurations.
//!
//! Every variant names the value at fault and, for configuration errors, the office id and the
//! fence index, so an admin can find the line to fix in the offices file.

use std::fmt;

use crate::messages::{self, Locale, units};

use super::{INDONESIA_LAT_RANGE, INDONESIA_LON_RANGE, MAX_FENCE_EXTENT_M, MIN_POLYGON_AREA_M2};

/// Problem with one latitude and longitude pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoordinateProblem {
    #[error("latitude and longitude must be finite numbers of degrees")]
    NotFinite,
    #[error("latitude must lie within -90..=90 degrees")]
    LatitudeOutOfRange,
    #[error("longitude must lie within -180..=180 degrees")]
    LongitudeOutOfRange,
    #[error(
        "the pair looks swapped: in Indonesia latitude lies within {}..{} and longitude within \
         {}..{} degrees; write latitude first",
        INDONESIA_LAT_RANGE.0, INDONESIA_LAT_RANGE.1, INDONESIA_LON_RANGE.0, INDONESIA_LON_RANGE.1
    )]
    LooksSwapped,
}

/// Part of a fence that contains a bad value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FencePart {
    /// The centre of a circle.
    Center,
    /// The exterior ring of a polygon.
    Exterior,
    /// A hole of a polygon, by index in `holes`.
    Hole(usize),
}

impl fmt::Display for FencePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FencePart::Center => write!(f, "centre"),
            FencePart::Exterior => write!(f, "exterior ring"),
            FencePart::Hole(index) => write!(f, "hole {index}"),
        }
    }
}

/// Problem with one fence of an office.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FenceProblem {
    #[error(
        "radius {radius_m} m is invalid: it must be a finite number above 0 and at most {MAX_FENCE_EXTENT_M} m"
    )]
    InvalidRadius { radius_m: f64 },

    #[error("{part} vertex {vertex_index} (latitude {lat}, longitude {lon}) is invalid: {problem}")]
    InvalidCoordinate {
        part: FencePart,
        vertex_index: usize,
        lat: f64,
        lon: f64,
        problem: CoordinateProblem,
    },

    #[error("{part} has {distinct_points} distinct points; a ring needs at least 3")]
    TooFewPoints {
        part: FencePart,
        distinct_points: usize,
    },

    #[error("{part} vertex {vertex_index} repeats the vertex before it; remove the duplicate")]
    RepeatedVertex {
        part: FencePart,
        vertex_index: usize,
    },

    #[error(
        "{part} encloses {area_m2:.3} m², below the minimum of {MIN_POLYGON_AREA_M2} m²; its points are (nearly) collinear"
    )]
    ZeroArea { part: FencePart, area_m2: f64 },

    #[error(
        "{part_a} edge {edge_a} intersects {part_b} edge {edge_b}; rings must not cross or touch each other or themselves"
    )]
    SelfIntersection {
        part_a: FencePart,
        edge_a: usize,
        part_b: FencePart,
        edge_b: usize,
    },

    #[error("{part} lies outside the exterior ring; a hole must lie inside it")]
    HoleOutsideExterior { part: FencePart },

    #[error("{part_a} lies inside {part_b}; holes must not nest")]
    NestedHoles {
        part_a: FencePart,
        part_b: FencePart,
    },

    #[error(
        "the polygon spans {span_deg} degrees of longitude; at most 180 are allowed (split it into several fences)"
    )]
    SpansTooMuchLongitude { span_deg: f64 },

    #[error(
        "{part} vertex {vertex_index} lies {distance_m:.0} m from the first vertex; a fence may span at most {MAX_FENCE_EXTENT_M} m"
    )]
    TooLarge {
        part: FencePart,
        vertex_index: usize,
        distance_m: f64,
    },
}

impl FencePart {
    /// Names the part in `locale`, counting holes from 1.
    pub fn admin_name(&self, locale: Locale) -> String {
        match self {
            FencePart::Center => messages::format("geofence.part_center", locale, &[]),
            FencePart::Exterior => messages::format("geofence.part_exterior", locale, &[]),
            FencePart::Hole(index) => messages::format(
                "geofence.part_hole",
                locale,
                &[("number", &(index + 1).to_string())],
            ),
        }
    }
}

impl CoordinateProblem {
    /// Describes the problem in `locale`.
    pub fn admin_message(&self, locale: Locale) -> String {
        let degrees = |value: f64| units::format_decimal(value, 1, locale);
        match self {
            CoordinateProblem::NotFinite => {
                messages::format("geofence.coordinate_not_finite", locale, &[])
            }
            CoordinateProblem::LatitudeOutOfRange => {
                messages::format("geofence.latitude_out_of_range", locale, &[])
            }
            CoordinateProblem::LongitudeOutOfRange => {
                messages::format("geofence.longitude_out_of_range", locale, &[])
            }
            CoordinateProblem::LooksSwapped => messages::format(
                "geofence.coordinate_swapped",
                locale,
                &[
                    ("lat_min", &degrees(INDONESIA_LAT_RANGE.0)),
                    ("lat_max", &degrees(INDONESIA_LAT_RANGE.1)),
                    ("lon_min", &degrees(INDONESIA_LON_RANGE.0)),
                    ("lon_max", &degrees(INDONESIA_LON_RANGE.1)),
                ],
            ),
        }
    }
}

impl FenceProblem {
    /// Describes the problem in `locale`, counting vertices, edges and holes from 1.
    pub fn admin_message(&self, locale: Locale) -> String {
        let number = |index: usize| (index + 1).to_string();
        let decimal = |value: f64, digits: usize| units::format_decimal(value, digits, locale);
        match self {
            FenceProblem::InvalidRadius { radius_m } => messages::format(
                "geofence.fence_radius",
                locale,
                &[
                    ("radius_m", &decimal(*radius_m, 1)),
                    ("max_m", &decimal(MAX_FENCE_EXTENT_M, 0)),
                ],
            ),
            FenceProblem::InvalidCoordinate {
                part,
                vertex_index,
                lat,
                lon,
                problem,
            } => messages::format(
                "geofence.fence_coordinate",
                locale,
                &[
                    ("vertex", &number(*vertex_index)),
                    ("part", &part.admin_name(locale)),
                    ("lat", &decimal(*lat, 7)),
                    ("lon", &decimal(*lon, 7)),
                    ("problem", &problem.admin_message(locale)),
                ],
            ),
            FenceProblem::TooFewPoints {
                part,
                distinct_points,
            } => messages::format(
                "geofence.fence_too_few_points",
                locale,
                &[
                    ("part", &part.admin_name(locale)),
                    ("count", &distinct_points.to_string()),
                ],
            ),
            FenceProblem::RepeatedVertex { part, vertex_index } => messages::format(
                "geofence.fence_repeated_vertex",
                locale,
                &[
                    ("vertex", &number(*vertex_index)),
                    ("part", &part.admin_name(locale)),
                ],
            ),
            FenceProblem::ZeroArea { part, area_m2 } => messages::format(
                "geofence.fence_zero_area",
                locale,
                &[
                    ("part", &part.admin_name(locale)),
                    ("area_m2", &decimal(*area_m2, 3)),
                    ("min_m2", &decimal(MIN_POLYGON_AREA_M2, 3)),
                ],
            ),
            FenceProblem::SelfIntersection {
                part_a,
                edge_a,
                part_b,
                edge_b,
            } => messages::format(
                "geofence.fence_self_intersection",
                locale,
                &[
                    ("part_a", &part_a.admin_name(locale)),
                    ("edge_a", &number(*edge_a)),
                    ("part_b", &part_b.admin_name(locale)),
                    ("edge_b", &number(*edge_b)),
                ],
            ),
            FenceProblem::HoleOutsideExterior { part } => messages::format(
                "geofence.fence_hole_outside",
                locale,
                &[("part", &part.admin_name(locale))],
            ),
            FenceProblem::NestedHoles { part_a, part_b } => messages::format(
                "geofence.fence_nested_holes",
                locale,
                &[
                    ("part_a", &part_a.admin_name(locale)),
                    ("part_b", &part_b.admin_name(locale)),
                ],
            ),
            FenceProblem::SpansTooMuchLongitude { span_deg } => messages::format(
                "geofence.fence_spans_longitude",
                locale,
                &[("span_deg", &decimal(*span_deg, 1))],
            ),
            FenceProblem::TooLarge {
                part,
                vertex_index,
                distance_m,
            } => messages::format(
                "geofence.fence_too_large",
                locale,
                &[
                    ("vertex", &number(*vertex_index)),
                    ("part", &part.admin_name(locale)),
                    ("distance_m", &decimal(*distance_m, 0)),
                    ("max_m", &decimal(MAX_FENCE_EXTENT_M, 0)),
                ],
            ),
        }
    }
}

/// Errors of the geofence module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeofenceError {
    #[error("invalid coordinate (latitude {lat}, longitude {lon}): {problem}")]
    InvalidCoordinate {
        lat: f64,
        lon: f64,
        problem: CoordinateProblem,
    },

    #[error("invalid accuracy {accuracy_m} m: it must be a finite number of metres above 0")]
    InvalidAccuracy { accuracy_m: f64 },

    #[error("office {office_id:?}, fence {fence_index}: {problem}")]
    InvalidFence {
        office_id: String,
        fence_index: usize,
        problem: FenceProblem,
    },

    #[error("office {office_id:?} has an empty {field}; set a non-empty {field}")]
    EmptyField {
        office_id: String,
        field: &'static str,
    },

    #[error("office {office_id:?} has no fence; add at least one circle or polygon")]
    NoFences { office_id: String },

    #[error("office id {office_id:?} appears more than once; office ids must be unique")]
    DuplicateOfficeId { office_id: String },

    #[error(
        "dinas luar {office_id:?} is valid from {valid_from} to {valid_to}; the start must not be after the end"
    )]
    InvalidDateRange {
        office_id: String,
        valid_from: chrono::NaiveDate,
        valid_to: chrono::NaiveDate,
    },

    #[error("no office or dinas luar location applies; assign at least one office")]
    NoPlaces,

    #[error(
        "office {office_id:?} produced a distance that is not a finite number; run Office::validate on it before evaluating"
    )]
    UnvalidatedOffice { office_id: String },

    #[error(
        "the JSON does not match the offices file format ({message}); docs/GEOFENCE.md describes the format"
    )]
    Parse { message: String },
}

impl GeofenceError {
    /// Describes an office configuration error in `locale` for the admin who entered the
    /// office. Unlike the `Display` text, which gives 0-based JSON indexes, it counts fences,
    /// holes, vertices and edges from 1 ("geofence ke-1").
    ///
    /// NOTE: only the errors that validating one office returns (a bad fence, an empty field,
    /// no fence) have catalog texts. The others fall back to the English `Display` text.
    pub fn admin_message(&self, locale: Locale) -> String {
        match self {
            GeofenceError::InvalidFence {
                fence_index,
                problem,
                ..
            } => messages::format(
                "geofence.fence_error",
                locale,
                &[
                    ("number", &(fence_index + 1).to_string()),
                    ("problem", &problem.admin_message(locale)),
                ],
            ),
            GeofenceError::EmptyField { field, .. } => {
                messages::format("geofence.office_empty_field", locale, &[("field", field)])
            }
            GeofenceError::NoFences { .. } => {
                messages::format("geofence.office_no_fences", locale, &[])
            }
            other => other.to_string(),
        }
    }

    /// Returns the message catalog id that explains this error to an ASN or an admin.
    pub fn reason_id(&self) -> &'static str {
        match self {
            GeofenceError::InvalidCoordinate {
                problem: CoordinateProblem::LooksSwapped,
                ..
            } => "geofence.looks_swapped",
            GeofenceError::InvalidCoordinate { .. } => "geofence.invalid_coordinate",
            GeofenceError::InvalidAccuracy { .. } => "geofence.invalid_accuracy",
            GeofenceError::NoPlaces => "geofence.no_places",
            GeofenceError::InvalidFence { .. }
            | GeofenceError::EmptyField { .. }
            | GeofenceError::NoFences { .. }
            | GeofenceError::DuplicateOfficeId { .. }
            | GeofenceError::InvalidDateRange { .. }
            | GeofenceError::UnvalidatedOffice { .. }
            | GeofenceError::Parse { .. } => "geofence.invalid_configuration",
        }
    }

    /// Tells whether the error is a latitude and longitude pair that looks swapped.
    pub fn is_looks_swapped(&self) -> bool {
        matches!(
            self,
            GeofenceError::InvalidCoordinate {
                problem: CoordinateProblem::LooksSwapped,
                ..
            }
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn every_problem() -> Vec<FenceProblem> {
        vec![
            FenceProblem::InvalidRadius { radius_m: -5.0 },
            FenceProblem::InvalidCoordinate {
                part: FencePart::Exterior,
                vertex_index: 2,
                lat: 106.8,
                lon: -6.2,
                problem: CoordinateProblem::LooksSwapped,
            },
            FenceProblem::TooFewPoints {
                part: FencePart::Hole(0),
                distinct_points: 2,
            },
            FenceProblem::RepeatedVertex {
                part: FencePart::Exterior,
                vertex_index: 3,
            },
            FenceProblem::ZeroArea {
                part: FencePart::Exterior,
                area_m2: 0.25,
            },
            FenceProblem::SelfIntersection {
                part_a: FencePart::Hole(0),
                edge_a: 2,
                part_b: FencePart::Exterior,
                edge_b: 0,
            },
            FenceProblem::HoleOutsideExterior {
                part: FencePart::Hole(1),
            },
            FenceProblem::NestedHoles {
                part_a: FencePart::Hole(1),
                part_b: FencePart::Hole(0),
            },
            FenceProblem::SpansTooMuchLongitude { span_deg: 200.5 },
            FenceProblem::TooLarge {
                part: FencePart::Exterior,
                vertex_index: 4,
                distance_m: 12_345.0,
            },
        ]
    }

    #[test]
    fn fence_problems_fill_placeholders() {
        for problem in every_problem() {
            for locale in [Locale::Id, Locale::En] {
                let text = problem.admin_message(locale);
                assert!(!text.contains('{'), "{problem:?}: {text}");
            }
        }
    }

    #[test]
    fn fence_problem_counts_from_one() {
        let crossing = FenceProblem::SelfIntersection {
            part_a: FencePart::Hole(0),
            edge_a: 2,
            part_b: FencePart::Exterior,
            edge_b: 0,
        };
        assert_eq!(
            crossing.admin_message(Locale::Id),
            "sisi ke-3 pada lubang ke-1 memotong sisi ke-1 pada cincin luar; cincin tidak boleh \
             saling memotong atau bersinggungan"
        );

        let error = GeofenceError::InvalidFence {
            office_id: "KB-01".into(),
            fence_index: 1,
            problem: FenceProblem::ZeroArea {
                part: FencePart::Exterior,
                area_m2: 0.25,
            },
        };
        let indonesian = error.admin_message(Locale::Id);
        assert!(indonesian.starts_with("geofence ke-2: "), "{indonesian}");
        assert!(indonesian.contains("0,25 m²"), "{indonesian}");
        assert!(!indonesian.contains("exterior"), "{indonesian}");
    }
}
