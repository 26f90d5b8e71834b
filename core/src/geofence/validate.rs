//! Validation of coordinates and of office configurations, run when an admin configures an
//! office and when a phone or the server loads the offices file.
//!
//! Topology checks (repeated points, zero area, crossing rings, holes) run in a local plane:
//! an equirectangular projection around the first exterior vertex, scaled to metres. Within
//! [`MAX_FENCE_EXTENT_M`] of that vertex its distortion is a small fraction of a percent, far
//! too little to turn a valid ring into a crossing one except for rings that nearly touch
//! themselves, which are worth rejecting anyway.

use std::collections::HashSet;

use super::distance::{geodesic_distance_m, open_ring};
use super::{
    Assignment, CoordinateProblem, Fence, FencePart, FenceProblem, GeofenceError,
    INDONESIA_LAT_RANGE, INDONESIA_LON_RANGE, LatLon, MAX_FENCE_EXTENT_M, MIN_POLYGON_AREA_M2,
    Office,
};

/// Checks one latitude and longitude pair in degrees: finite, in range, and not a swapped
/// Indonesian pair. A swapped pair is reported as [`CoordinateProblem::LooksSwapped`] rather
/// than as an out-of-range latitude, because every swapped Indonesian pair has a latitude
/// above 90.
pub fn check_coordinate(lat: f64, lon: f64) -> Result<(), CoordinateProblem> {
    if !lat.is_finite() || !lon.is_finite() {
        return Err(CoordinateProblem::NotFinite);
    }

    let lat_in_lon_range = (INDONESIA_LON_RANGE.0..=INDONESIA_LON_RANGE.1).contains(&lat);
    let lon_in_lat_range = (INDONESIA_LAT_RANGE.0..=INDONESIA_LAT_RANGE.1).contains(&lon);
    if lat_in_lon_range && lon_in_lat_range {
        return Err(CoordinateProblem::LooksSwapped);
    }

    if !(-90.0..=90.0).contains(&lat) {
        return Err(CoordinateProblem::LatitudeOutOfRange);
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(CoordinateProblem::LongitudeOutOfRange);
    }
    Ok(())
}

impl Office {
    /// Checks the office: non-empty id and name, at least one fence, and every fence valid.
    pub fn validate(&self) -> Result<(), GeofenceError> {
        for (field, value) in [("id", &self.id), ("name", &self.name)] {
            if value.trim().is_empty() {
                return Err(GeofenceError::EmptyField {
                    office_id: self.id.clone(),
                    field,
                });
            }
        }
        if self.fences.is_empty() {
            return Err(GeofenceError::NoFences {
                office_id: self.id.clone(),
            });
        }

        for (fence_index, fence) in self.fences.iter().enumerate() {
            fence
                .validate()
                .map_err(|problem| GeofenceError::InvalidFence {
                    office_id: self.id.clone(),
                    fence_index,
                    problem,
                })?;
        }
        Ok(())
    }
}

impl Assignment {
    /// Checks every office and dinas luar location, the travel dates, and that ids are unique
    /// across both lists.
    pub fn validate(&self) -> Result<(), GeofenceError> {
        if self.offices.is_empty() && self.dinas_luar.is_empty() {
            return Err(GeofenceError::NoPlaces);
        }

        let mut seen = HashSet::new();
        let places = self
            .offices
            .iter()
            .chain(self.dinas_luar.iter().map(|travel| &travel.location));
        for office in places {
            office.validate()?;
            if !seen.insert(office.id.as_str()) {
                return Err(GeofenceError::DuplicateOfficeId {
                    office_id: office.id.clone(),
                });
            }
        }

        for travel in &self.dinas_luar {
            if travel.valid_from > travel.valid_to {
                return Err(GeofenceError::InvalidDateRange {
                    office_id: travel.location.id.clone(),
                    valid_from: travel.valid_from,
                    valid_to: travel.valid_to,
                });
            }
        }
        Ok(())
    }
}

impl Fence {
    /// Checks one fence on its own. [`Office::validate`] adds the office id and fence index.
    pub fn validate(&self) -> Result<(), FenceProblem> {
        match self {
            Fence::Circle { center, radius_m } => {
                check_vertex(FencePart::Center, 0, *center)?;
                if !radius_m.is_finite() || *radius_m <= 0.0 || *radius_m > MAX_FENCE_EXTENT_M {
                    return Err(FenceProblem::InvalidRadius {
                        radius_m: *radius_m,
                    });
                }
                Ok(())
            }
            Fence::Polygon { exterior, holes } => validate_polygon(exterior, holes),
        }
    }
}

fn check_vertex(part: FencePart, vertex_index: usize, vertex: LatLon) -> Result<(), FenceProblem> {
    check_coordinate(vertex.lat, vertex.lon).map_err(|problem| FenceProblem::InvalidCoordinate {
        part,
        vertex_index,
        lat: vertex.lat,
        lon: vertex.lon,
        problem,
    })
}

fn validate_polygon(exterior: &[LatLon], holes: &[Vec<LatLon>]) -> Result<(), FenceProblem> {
    let rings: Vec<(FencePart, &[LatLon])> = std::iter::once((FencePart::Exterior, exterior))
        .chain(
            holes
                .iter()
                .enumerate()
                .map(|(index, hole)| (FencePart::Hole(index), hole.as_slice())),
        )
        .map(|(part, ring)| (part, open_ring(ring)))
        .collect();

    // Each vertex on its own, then each ring on its own.
    for (part, ring) in &rings {
        for (vertex_index, vertex) in ring.iter().enumerate() {
            check_vertex(*part, vertex_index, *vertex)?;
        }
        check_ring_points(*part, ring)?;
    }

    // The whole polygon: longitude span, size, then topology in a local plane.
    check_longitude_span(&rings)?;
    let origin = exterior[0];
    for (part, ring) in &rings {
        for (vertex_index, vertex) in ring.iter().enumerate() {
            let distance_m = geodesic_distance_m(origin, *vertex);
            if distance_m > MAX_FENCE_EXTENT_M {
                return Err(FenceProblem::TooLarge {
                    part: *part,
                    vertex_index,
                    distance_m,
                });
            }
        }
    }

    let plane = LocalPlane::around(origin);
    let projected: Vec<(FencePart, Vec<Planar>)> = rings
        .iter()
        .map(|(part, ring)| (*part, ring.iter().map(|v| plane.project(*v)).collect()))
        .collect();

    // A collinear ring would also fail the crossing check, with a less helpful message, so
    // its missing area is reported first. Once the rings are known to be simple, the shoelace
    // area is the enclosed area and catches thin slivers as well.
    for (part, ring) in &projected {
        let area_bound_m2 = strip_area_bound_m2(ring);
        if area_bound_m2 < MIN_POLYGON_AREA_M2 {
            return Err(FenceProblem::ZeroArea {
                part: *part,
                area_m2: shoelace_area_m2(ring).abs(),
            });
        }
    }
    check_no_crossings(&projected)?;
    for (part, ring) in &projected {
        let area_m2 = shoelace_area_m2(ring).abs();
        if area_m2 < MIN_POLYGON_AREA_M2 {
            return Err(FenceProblem::ZeroArea {
                part: *part,
                area_m2,
            });
        }
    }
    check_holes_placement(&projected)
}

/// Returns an upper bound of any area the ring can enclose: the length of its longest chord
/// from the first vertex times the width of the strip along that chord that contains the ring.
fn strip_area_bound_m2(ring: &[Planar]) -> f64 {
    let first = ring[0];
    let length_m = |p: Planar| (p.x_m - first.x_m).hypot(p.y_m - first.y_m);
    let far = ring
        .iter()
        .copied()
        .max_by(|a, b| length_m(*a).total_cmp(&length_m(*b)))
        .unwrap_or(first);
    let chord_m = length_m(far);
    if chord_m == 0.0 {
        return 0.0;
    }
    let (min_offset_m, max_offset_m) = ring.iter().fold((0.0f64, 0.0f64), |(lo, hi), p| {
        let offset_m = orientation(first, far, *p) / chord_m;
        (lo.min(offset_m), hi.max(offset_m))
    });
    // The ring also lies within the chord length on either side of the first vertex.
    2.0 * chord_m * (max_offset_m - min_offset_m)
}

fn check_ring_points(part: FencePart, ring: &[LatLon]) -> Result<(), FenceProblem> {
    for vertex_index in 1..ring.len() {
        if ring[vertex_index] == ring[vertex_index - 1] {
            return Err(FenceProblem::RepeatedVertex { part, vertex_index });
        }
    }

    let distinct_points = ring
        .iter()
        .map(|vertex| (vertex.lat.to_bits(), vertex.lon.to_bits()))
        .collect::<HashSet<_>>()
        .len();
    if distinct_points < 3 {
        return Err(FenceProblem::TooFewPoints {
            part,
            distinct_points,
        });
    }
    Ok(())
}

fn check_longitude_span(rings: &[(FencePart, &[LatLon])]) -> Result<(), FenceProblem> {
    let longitudes = rings
        .iter()
        .flat_map(|(_, ring)| ring.iter().map(|v| v.lon));
    let (min_lon, max_lon) = longitudes
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), lon| {
            (lo.min(lon), hi.max(lon))
        });
    let span_deg = max_lon - min_lon;
    if span_deg > 180.0 {
        return Err(FenceProblem::SpansTooMuchLongitude { span_deg });
    }
    Ok(())
}

/// A point in the local plane, in metres east and north of the plane's origin.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Planar {
    x_m: f64,
    y_m: f64,
}

/// Equirectangular projection around one point, with the WGS84 radii of curvature there.
struct LocalPlane {
    origin: LatLon,
    metres_per_deg_lat: f64,
    metres_per_deg_lon: f64,
}

impl LocalPlane {
    fn around(origin: LatLon) -> LocalPlane {
        const SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
        const ECCENTRICITY_SQUARED: f64 = 6.694_379_990_141_3e-3;
        let sin_lat = origin.lat.to_radians().sin();
        let w = (1.0 - ECCENTRICITY_SQUARED * sin_lat * sin_lat).sqrt();
        let meridian_radius_m = SEMI_MAJOR_AXIS_M * (1.0 - ECCENTRICITY_SQUARED) / (w * w * w);
        let normal_radius_m = SEMI_MAJOR_AXIS_M / w;
        LocalPlane {
            origin,
            metres_per_deg_lat: meridian_radius_m * 1.0_f64.to_radians(),
            metres_per_deg_lon: normal_radius_m
                * origin.lat.to_radians().cos()
                * 1.0_f64.to_radians(),
        }
    }

    fn project(&self, point: LatLon) -> Planar {
        Planar {
            x_m: (point.lon - self.origin.lon) * self.metres_per_deg_lon,
            y_m: (point.lat - self.origin.lat) * self.metres_per_deg_lat,
        }
    }
}

fn shoelace_area_m2(ring: &[Planar]) -> f64 {
    let mut twice_area = 0.0;
    for index in 0..ring.len() {
        let a = ring[index];
        let b = ring[(index + 1) % ring.len()];
        twice_area += a.x_m * b.y_m - b.x_m * a.y_m;
    }
    twice_area / 2.0
}

/// Cross product of `b - a` and `c - a`: positive when `c` lies left of the line `a`-`b`.
fn orientation(a: Planar, b: Planar, c: Planar) -> f64 {
    (b.x_m - a.x_m) * (c.y_m - a.y_m) - (b.y_m - a.y_m) * (c.x_m - a.x_m)
}

/// Tells whether `c`, known to be collinear with `a`-`b`, lies within the segment's box.
fn within_box(a: Planar, b: Planar, c: Planar) -> bool {
    c.x_m >= a.x_m.min(b.x_m)
        && c.x_m <= a.x_m.max(b.x_m)
        && c.y_m >= a.y_m.min(b.y_m)
        && c.y_m <= a.y_m.max(b.y_m)
}

/// Tells whether the closed segments `a`-`b` and `c`-`d` share at least one point.
fn segments_touch(a: Planar, b: Planar, c: Planar, d: Planar) -> bool {
    let o1 = orientation(a, b, c);
    let o2 = orientation(a, b, d);
    let o3 = orientation(c, d, a);
    let o4 = orientation(c, d, b);
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return true;
    }
    (o1 == 0.0 && within_box(a, b, c))
        || (o2 == 0.0 && within_box(a, b, d))
        || (o3 == 0.0 && within_box(c, d, a))
        || (o4 == 0.0 && within_box(c, d, b))
}

fn ring_edges(ring: &[Planar]) -> impl Iterator<Item = (usize, Planar, Planar)> + '_ {
    (0..ring.len()).map(move |index| (index, ring[index], ring[(index + 1) % ring.len()]))
}

/// Rejects any two edges that share a point. Two consecutive edges of one ring share a vertex
/// by construction, so they are rejected only when the second doubles back over the first.
fn check_no_crossings(rings: &[(FencePart, Vec<Planar>)]) -> Result<(), FenceProblem> {
    for (ring_a, (part_a, points_a)) in rings.iter().enumerate() {
        for (ring_b, (part_b, points_b)) in rings.iter().enumerate().skip(ring_a) {
            for (edge_a, a0, a1) in ring_edges(points_a) {
                for (edge_b, b0, b1) in ring_edges(points_b) {
                    if ring_a == ring_b && edge_b <= edge_a {
                        continue;
                    }
                    let crossing = if ring_a == ring_b && edge_b == edge_a + 1 {
                        doubles_back(a0, a1, b1)
                    } else if ring_a == ring_b && edge_a == 0 && edge_b == points_a.len() - 1 {
                        doubles_back(b0, b1, a1)
                    } else {
                        segments_touch(a0, a1, b0, b1)
                    };
                    if crossing {
                        return Err(FenceProblem::SelfIntersection {
                            part_a: *part_a,
                            edge_a,
                            part_b: *part_b,
                            edge_b,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Tells whether the path `a` → `b` → `c` turns straight back, so that the edge `b`-`c`
/// overlaps the edge `a`-`b`.
fn doubles_back(a: Planar, b: Planar, c: Planar) -> bool {
    let dot = (a.x_m - b.x_m) * (c.x_m - b.x_m) + (a.y_m - b.y_m) * (c.y_m - b.y_m);
    orientation(a, b, c) == 0.0 && dot > 0.0
}

fn contains_planar(ring: &[Planar], point: Planar) -> bool {
    let mut inside = false;
    for (_, a, b) in ring_edges(ring) {
        if (a.y_m > point.y_m) != (b.y_m > point.y_m) {
            let crossing_x_m = a.x_m + (point.y_m - a.y_m) * (b.x_m - a.x_m) / (b.y_m - a.y_m);
            if crossing_x_m > point.x_m {
                inside = !inside;
            }
        }
    }
    inside
}

/// Checks where each hole lies. With no crossings left, one vertex per hole decides it.
fn check_holes_placement(rings: &[(FencePart, Vec<Planar>)]) -> Result<(), FenceProblem> {
    let (_, exterior) = &rings[0];
    for (part, hole) in &rings[1..] {
        if !contains_planar(exterior, hole[0]) {
            return Err(FenceProblem::HoleOutsideExterior { part: *part });
        }
        for (other_part, other) in &rings[1..] {
            if other_part != part && contains_planar(other, hole[0]) {
                return Err(FenceProblem::NestedHoles {
                    part_a: *part,
                    part_b: *other_part,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geofence::{DinasLuar, OfficeZone};

    fn at(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    fn office_with(fences: Vec<Fence>) -> Office {
        Office {
            id: "dinas-kominfo".into(),
            name: "Dinas Kominfo".into(),
            time_zone: OfficeZone::Wit,
            fences,
        }
    }

    fn polygon(exterior: Vec<LatLon>, holes: Vec<Vec<LatLon>>) -> Fence {
        Fence::Polygon { exterior, holes }
    }

    /// Returns a 1 km square in Jayapura, counter-clockwise.
    fn square() -> Vec<LatLon> {
        vec![
            at(-2.54, 140.70),
            at(-2.54, 140.709),
            at(-2.531, 140.709),
            at(-2.531, 140.70),
        ]
    }

    fn fence_problem(fence: Fence) -> FenceProblem {
        match office_with(vec![fence]).validate() {
            Err(GeofenceError::InvalidFence { problem, .. }) => problem,
            other => panic!("expected an invalid fence, got {other:?}"),
        }
    }

    #[test]
    fn coordinate_table() {
        // (latitude, longitude, expected result)
        let cases = [
            (-6.2, 106.8, Ok(())),
            (90.0, -180.0, Ok(())),
            (48.85, 2.35, Ok(())),
            (f64::NAN, 106.8, Err(CoordinateProblem::NotFinite)),
            (-6.2, f64::INFINITY, Err(CoordinateProblem::NotFinite)),
            (91.0, 106.8, Err(CoordinateProblem::LatitudeOutOfRange)),
            (-90.0001, 106.8, Err(CoordinateProblem::LatitudeOutOfRange)),
            (-6.2, 180.5, Err(CoordinateProblem::LongitudeOutOfRange)),
            (106.8, -6.2, Err(CoordinateProblem::LooksSwapped)),
            (140.7, -2.5, Err(CoordinateProblem::LooksSwapped)),
            (95.0, 6.0, Err(CoordinateProblem::LooksSwapped)),
            (94.9, 6.0, Err(CoordinateProblem::LatitudeOutOfRange)),
        ];
        for (lat, lon, expected) in cases {
            assert_eq!(
                check_coordinate(lat, lon),
                expected,
                "latitude {lat}, longitude {lon}"
            );
        }
    }

    #[test]
    fn swapped_pair_message_names_both_values() {
        let error = LatLon::new(106.8272, -6.1754).expect_err("swapped");
        let text = error.to_string();
        assert!(error.is_looks_swapped());
        assert!(
            text.contains("106.8272") && text.contains("-6.1754"),
            "{text}"
        );
        assert!(text.contains("looks swapped"), "{text}");
        assert_eq!(error.reason_id(), "geofence.looks_swapped");
    }

    #[test]
    fn valid_fences_pass() {
        let hole = vec![
            at(-2.537, 140.703),
            at(-2.537, 140.706),
            at(-2.534, 140.706),
            at(-2.534, 140.703),
        ];
        let mut closed = square();
        closed.push(closed[0]);
        let mut clockwise = square();
        clockwise.reverse();
        let office = office_with(vec![
            Fence::Circle {
                center: at(-2.53, 140.70),
                radius_m: 150.0,
            },
            polygon(square(), vec![hole]),
            polygon(closed, vec![]),
            polygon(clockwise, vec![]),
        ]);
        office.validate().expect("valid office");
    }

    #[test]
    fn fence_problem_table() {
        let mut bowtie = square();
        bowtie.swap(2, 3);
        let mut swapped_vertex = square();
        swapped_vertex[2] = at(140.709, -2.531);
        let mut repeated = square();
        repeated.insert(2, repeated[1]);
        let mut spike = square();
        spike.insert(2, at(-2.54, 140.705));
        let center = at(-2.535, 140.705);

        let cases: Vec<(&str, Fence, FenceProblem)> = vec![
            (
                "zero radius",
                Fence::Circle {
                    center,
                    radius_m: 0.0,
                },
                FenceProblem::InvalidRadius { radius_m: 0.0 },
            ),
            (
                "negative radius",
                Fence::Circle {
                    center,
                    radius_m: -5.0,
                },
                FenceProblem::InvalidRadius { radius_m: -5.0 },
            ),
            (
                "radius too large",
                Fence::Circle {
                    center,
                    radius_m: 10_001.0,
                },
                FenceProblem::InvalidRadius { radius_m: 10_001.0 },
            ),
            (
                "swapped centre",
                Fence::Circle {
                    center: at(140.705, -2.535),
                    radius_m: 50.0,
                },
                FenceProblem::InvalidCoordinate {
                    part: FencePart::Center,
                    vertex_index: 0,
                    lat: 140.705,
                    lon: -2.535,
                    problem: CoordinateProblem::LooksSwapped,
                },
            ),
            (
                "swapped vertex",
                polygon(swapped_vertex, vec![]),
                FenceProblem::InvalidCoordinate {
                    part: FencePart::Exterior,
                    vertex_index: 2,
                    lat: 140.709,
                    lon: -2.531,
                    problem: CoordinateProblem::LooksSwapped,
                },
            ),
            (
                "two distinct points",
                polygon(vec![square()[0], square()[1], square()[0]], vec![]),
                FenceProblem::TooFewPoints {
                    part: FencePart::Exterior,
                    distinct_points: 2,
                },
            ),
            (
                "empty ring",
                polygon(vec![], vec![]),
                FenceProblem::TooFewPoints {
                    part: FencePart::Exterior,
                    distinct_points: 0,
                },
            ),
            (
                "repeated vertex",
                polygon(repeated, vec![]),
                FenceProblem::RepeatedVertex {
                    part: FencePart::Exterior,
                    vertex_index: 2,
                },
            ),
            (
                "bowtie",
                polygon(bowtie, vec![]),
                FenceProblem::SelfIntersection {
                    part_a: FencePart::Exterior,
                    edge_a: 1,
                    part_b: FencePart::Exterior,
                    edge_b: 3,
                },
            ),
            (
                "spike",
                polygon(spike, vec![]),
                FenceProblem::SelfIntersection {
                    part_a: FencePart::Exterior,
                    edge_a: 0,
                    part_b: FencePart::Exterior,
                    edge_b: 1,
                },
            ),
        ];
        for (name, fence, expected) in cases {
            assert_eq!(fence_problem(fence), expected, "case {name}");
        }
    }

    #[test]
    fn collinear_ring_has_zero_area() {
        // Three points on the equator, a geodesic: the ring encloses nothing.
        let ring = vec![at(0.0, 109.33), at(0.0, 109.335), at(0.0, 109.34)];
        assert!(matches!(
            fence_problem(polygon(ring, vec![])),
            FenceProblem::ZeroArea {
                part: FencePart::Exterior,
                ..
            }
        ));
    }

    #[test]
    fn wide_longitude_span_is_rejected() {
        let ring = vec![
            at(-1.0, -170.0),
            at(-1.0, 170.0),
            at(1.0, 170.0),
            at(1.0, -170.0),
        ];
        assert_eq!(
            fence_problem(polygon(ring, vec![])),
            FenceProblem::SpansTooMuchLongitude { span_deg: 340.0 }
        );
    }

    #[test]
    fn oversized_polygon_is_rejected() {
        let ring = vec![at(-2.5, 140.6), at(-2.5, 140.8), at(-2.4, 140.8)];
        assert!(matches!(
            fence_problem(polygon(ring, vec![])),
            FenceProblem::TooLarge {
                vertex_index: 1,
                ..
            }
        ));
    }

    #[test]
    fn hole_problems() {
        let outside = vec![at(-2.55, 140.70), at(-2.55, 140.703), at(-2.548, 140.703)];
        assert_eq!(
            fence_problem(polygon(square(), vec![outside])),
            FenceProblem::HoleOutsideExterior {
                part: FencePart::Hole(0)
            }
        );

        let crossing = vec![
            at(-2.538, 140.707),
            at(-2.538, 140.712),
            at(-2.535, 140.712),
            at(-2.535, 140.707),
        ];
        assert!(matches!(
            fence_problem(polygon(square(), vec![crossing])),
            FenceProblem::SelfIntersection {
                part_a: FencePart::Exterior,
                part_b: FencePart::Hole(0),
                ..
            }
        ));

        let big = vec![
            at(-2.539, 140.701),
            at(-2.539, 140.708),
            at(-2.532, 140.708),
            at(-2.532, 140.701),
        ];
        let small = vec![
            at(-2.537, 140.703),
            at(-2.537, 140.706),
            at(-2.534, 140.706),
        ];
        assert_eq!(
            fence_problem(polygon(square(), vec![big, small])),
            FenceProblem::NestedHoles {
                part_a: FencePart::Hole(1),
                part_b: FencePart::Hole(0)
            }
        );
    }

    #[test]
    fn office_errors_name_office_and_fence() {
        let office = office_with(vec![
            Fence::Circle {
                center: at(-2.53, 140.70),
                radius_m: 100.0,
            },
            Fence::Circle {
                center: at(-2.53, 140.70),
                radius_m: f64::NAN,
            },
        ]);
        let text = office.validate().expect_err("NaN radius").to_string();
        assert!(text.contains("office \"dinas-kominfo\", fence 1"), "{text}");
        assert!(text.contains("radius NaN m"), "{text}");

        let empty = office_with(vec![]);
        assert_eq!(
            empty.validate(),
            Err(GeofenceError::NoFences {
                office_id: "dinas-kominfo".into()
            })
        );
        let unnamed = Office {
            name: "  ".into(),
            ..office_with(vec![])
        };
        assert!(matches!(
            unnamed.validate(),
            Err(GeofenceError::EmptyField { field: "name", .. })
        ));
    }

    #[test]
    fn assignment_problems() {
        let office = office_with(vec![Fence::Circle {
            center: at(-2.53, 140.70),
            radius_m: 100.0,
        }]);
        let travel = |from: &str, to: &str, id: &str| DinasLuar {
            location: Office {
                id: id.into(),
                ..office.clone()
            },
            valid_from: from.parse().expect("date"),
            valid_to: to.parse().expect("date"),
            letter_number: None,
        };

        let duplicate = Assignment {
            offices: vec![office.clone()],
            dinas_luar: vec![travel("2026-12-01", "2026-12-02", "dinas-kominfo")],
        };
        assert_eq!(
            duplicate.validate(),
            Err(GeofenceError::DuplicateOfficeId {
                office_id: "dinas-kominfo".into()
            })
        );

        let reversed = Assignment {
            offices: vec![office.clone()],
            dinas_luar: vec![travel("2026-12-05", "2026-12-02", "trip")],
        };
        let text = reversed.validate().expect_err("reversed dates").to_string();
        assert!(
            text.contains("2026-12-05") && text.contains("2026-12-02"),
            "{text}"
        );

        assert_eq!(
            Assignment::default().validate(),
            Err(GeofenceError::NoPlaces)
        );
    }

    #[test]
    fn from_json_validates() {
        let swapped = r#"{"offices": [{"id": "x", "name": "X", "time_zone": "Asia/Jakarta",
            "fences": [{"type": "circle", "center": {"lat": 106.8, "lon": -6.2}, "radius_m": 80}]}]}"#;
        let error = Assignment::from_json(swapped).expect_err("swapped centre");
        let text = error.to_string();
        assert!(
            text.contains("office \"x\", fence 0") && text.contains("looks swapped"),
            "{text}"
        );

        let bad_zone =
            r#"{"offices": [{"id": "x", "name": "X", "time_zone": "Asia/Tokyo", "fences": []}]}"#;
        let text = Assignment::from_json(bad_zone)
            .expect_err("bad zone")
            .to_string();
        assert!(text.contains("Asia/Tokyo"), "{text}");
    }
}
