//! The verdict on one GPS fix against the places an ASN may check in at.

use serde::Serialize;

use super::{GeofenceError, LatLon, Office};
use crate::messages::{self, Locale, units};

/// The three outcomes of a geofence check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// The whole accuracy circle lies inside a fence of the office.
    Inside,
    /// The whole accuracy circle lies outside every fence of every place.
    Outside,
    /// The accuracy circle straddles a boundary: the ASN must retry; never a pass.
    Uncertain,
}

impl VerdictKind {
    /// Lowercase name as it appears in JSON and in records: `inside`, `outside`, `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Inside => "inside",
            VerdictKind::Outside => "outside",
            VerdictKind::Uncertain => "uncertain",
        }
    }
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeofenceVerdict {
    /// Inside, outside or uncertain.
    pub kind: VerdictKind,
    /// The office the point is inside, or else the nearest one.
    pub office_id: String,
    /// Name of that office, for messages.
    pub office_name: String,
    /// Geodesic distance from the point to that office's nearest fence, in metres; 0 when the
    /// point lies inside a fence or on its boundary.
    pub distance_m: f64,
    /// How far inside the boundary of that office's best fence the point lies, in metres; 0
    /// when outside. The verdict is Inside exactly when this is at least `accuracy_m`.
    pub inside_margin_m: f64,
    /// The accuracy radius the verdict used, in metres.
    pub accuracy_m: f64,
    /// Message catalog id of the reason: `geofence.inside`, `geofence.outside` or
    /// `geofence.uncertain`.
    pub reason_id: &'static str,
}

impl GeofenceVerdict {
    /// Returns the reason as a sentence for the ASN, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        messages::format(
            self.reason_id,
            locale,
            &[
                ("office", &self.office_name),
                (
                    "distance",
                    &units::format_distance_m(self.distance_m, locale),
                ),
                (
                    "accuracy_m",
                    &units::format_decimal(self.accuracy_m, 1, locale),
                ),
            ],
        )
    }
}

/// One office's verdict and distances, before the offices are compared.
struct OfficeOutcome<'a> {
    office: &'a Office,
    kind: VerdictKind,
    distance_m: f64,
    inside_margin_m: f64,
}

/// Judges `point`, with an accuracy circle of radius `accuracy_m` metres, against `places`
/// (offices and dinas luar locations, each already validated with [`Office::validate`]).
///
/// An office's area is the union of its fences. The office is Inside when the accuracy circle
/// fits in one fence, Outside when the circle reaches no fence, and otherwise Uncertain.
/// Across offices, if any office is Inside, the verdict names the one with the largest inside
/// margin. Otherwise it names the nearest office (ties go to the larger inside margin, then to
/// the first listed) and takes that office's kind, Uncertain or Outside. The nearest office is
/// Uncertain whenever any office is, since Uncertain means a distance no greater than the
/// accuracy.
///
/// NOTE: an accuracy circle covered by two overlapping fences of one office but by neither
/// alone is judged Uncertain; configure one polygon for such an area.
pub fn evaluate<'a>(
    places: impl IntoIterator<Item = &'a Office>,
    point: LatLon,
    accuracy_m: f64,
) -> Result<GeofenceVerdict, GeofenceError> {
    LatLon::new(point.lat, point.lon)?;
    if !accuracy_m.is_finite() || accuracy_m <= 0.0 {
        return Err(GeofenceError::InvalidAccuracy { accuracy_m });
    }

    let mut best: Option<OfficeOutcome> = None;
    for office in places {
        let outcome = judge_office(office, point, accuracy_m)?;
        if best
            .as_ref()
            .is_none_or(|best| ranks_before(&outcome, best))
        {
            best = Some(outcome);
        }
    }
    let best = best.ok_or(GeofenceError::NoPlaces)?;

    let reason_id = match best.kind {
        VerdictKind::Inside => "geofence.inside",
        VerdictKind::Outside => "geofence.outside",
        VerdictKind::Uncertain => "geofence.uncertain",
    };
    tracing::debug!(
        office_id = %best.office.id,
        verdict = best.kind.as_str(),
        distance_m = best.distance_m,
        accuracy_m,
        "geofence verdict"
    );
    Ok(GeofenceVerdict {
        kind: best.kind,
        office_id: best.office.id.clone(),
        office_name: best.office.name.clone(),
        distance_m: best.distance_m,
        inside_margin_m: best.inside_margin_m,
        accuracy_m,
        reason_id,
    })
}

fn judge_office<'a>(
    office: &'a Office,
    point: LatLon,
    accuracy_m: f64,
) -> Result<OfficeOutcome<'a>, GeofenceError> {
    let mut distance_m = f64::INFINITY;
    let mut inside_margin_m: f64 = 0.0;
    for fence in &office.fences {
        let location = fence.locate(point);
        if !location.boundary_distance_m.is_finite() {
            return Err(GeofenceError::UnvalidatedOffice {
                office_id: office.id.clone(),
            });
        }
        distance_m = distance_m.min(location.distance_m());
        inside_margin_m = inside_margin_m.max(location.inside_margin_m());
    }
    if office.fences.is_empty() {
        return Err(GeofenceError::NoFences {
            office_id: office.id.clone(),
        });
    }

    let kind = if distance_m == 0.0 && inside_margin_m >= accuracy_m {
        VerdictKind::Inside
    } else if distance_m > accuracy_m {
        VerdictKind::Outside
    } else {
        VerdictKind::Uncertain
    };
    Ok(OfficeOutcome {
        office,
        kind,
        distance_m,
        inside_margin_m,
    })
}

/// Tells whether `candidate` should replace `best` as the office the verdict names.
fn ranks_before(candidate: &OfficeOutcome, best: &OfficeOutcome) -> bool {
    let candidate_inside = candidate.kind == VerdictKind::Inside;
    let best_inside = best.kind == VerdictKind::Inside;
    if candidate_inside != best_inside {
        return candidate_inside;
    }
    if candidate_inside {
        return candidate.inside_margin_m > best.inside_margin_m;
    }
    if candidate.distance_m != best.distance_m {
        return candidate.distance_m < best.distance_m;
    }
    candidate.inside_margin_m > best.inside_margin_m
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geofence::vincenty::vincenty_distance_m;
    use crate::geofence::{Fence, OfficeZone, geodesic_distance_m};
    use geo::{Destination, Geodesic};
    use proptest::prelude::*;

    use VerdictKind::{Inside, Outside, Uncertain};

    fn at(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    /// Returns the point `distance_m` metres from `origin` along the geodesic leaving it at
    /// `bearing_deg`. This is the direct problem, and the code under test solves the inverse.
    fn destination(origin: LatLon, bearing_deg: f64, distance_m: f64) -> LatLon {
        let point = Geodesic.destination(origin.to_point(), bearing_deg, distance_m);
        at(point.y(), point.x())
    }

    /// Alun-alun Kota Bogor, a 100 m circle.
    const BOGOR: LatLon = LatLon {
        lat: -6.5950,
        lon: 106.7990,
    };

    fn circle_office() -> Office {
        Office {
            id: "pemkot-bogor".into(),
            name: "Balai Kota Bogor".into(),
            time_zone: OfficeZone::Wib,
            fences: vec![Fence::Circle {
                center: BOGOR,
                radius_m: 100.0,
            }],
        }
    }

    /// A rectangle in Pontianak from the equator to latitude 0.01 and from longitude 109.33
    /// to 109.34, with a square hole from 0.004 to 0.006 and from 109.334 to 109.336. Its
    /// south edge lies on the equator, and its west and east edges and the hole's west edge lie
    /// on meridians. All of those are geodesics, so for a point placed at right angles from
    /// such an edge, the nearest point of the edge is the foot of that perpendicular.
    fn polygon_office() -> Office {
        Office {
            id: "pemkot-pontianak".into(),
            name: "Kantor Wali Kota Pontianak".into(),
            time_zone: OfficeZone::Wib,
            fences: vec![Fence::Polygon {
                exterior: vec![
                    at(0.0, 109.33),
                    at(0.0, 109.34),
                    at(0.01, 109.34),
                    at(0.01, 109.33),
                ],
                holes: vec![vec![
                    at(0.004, 109.334),
                    at(0.006, 109.334),
                    at(0.006, 109.336),
                    at(0.004, 109.336),
                    at(0.004, 109.334),
                ]],
            }],
        }
    }

    struct Case {
        name: &'static str,
        point: LatLon,
        accuracy_m: f64,
        kind: VerdictKind,
        /// Expected distance to the fence (0 inside), computed independently of the code.
        distance_m: f64,
        /// Expected inside margin (0 outside), computed independently of the code.
        inside_margin_m: f64,
    }

    fn check_cases(office: &Office, cases: &[Case]) {
        office.validate().expect("test office is valid");
        for case in cases {
            let verdict = evaluate([office], case.point, case.accuracy_m)
                .unwrap_or_else(|error| panic!("case {}: {error}", case.name));
            assert_eq!(verdict.kind, case.kind, "case {}: {verdict:?}", case.name);
            assert!(
                (verdict.distance_m - case.distance_m).abs() < 0.001,
                "case {}: distance {} m, expected {} m",
                case.name,
                verdict.distance_m,
                case.distance_m
            );
            assert!(
                (verdict.inside_margin_m - case.inside_margin_m).abs() < 0.001,
                "case {}: inside margin {} m, expected {} m",
                case.name,
                verdict.inside_margin_m,
                case.inside_margin_m
            );
            assert_eq!(verdict.office_id, office.id, "case {}", case.name);
            assert_eq!(
                verdict.reason_id,
                format!("geofence.{}", case.kind.as_str())
            );
        }
    }

    #[test]
    fn circle_table() {
        // Each point lies at geodesic distance d from the centre (placed with the direct
        // problem at bearing b). Expected values use Vincenty's inverse formula, independent
        // of geo's Karney solver: distance = max(0, v - 100), margin = max(0, 100 - v), with
        // v = vincenty(centre, point).
        let rows: [(&str, f64, f64, f64, VerdictKind); 12] = [
            // name, bearing b in degrees, d in metres, accuracy in metres, expected verdict
            ("centre, accuracy 50", 0.0, 0.0, 50.0, Inside),
            ("centre, accuracy equals radius", 0.0, 0.0, 100.0, Inside),
            ("accuracy larger than the fence", 0.0, 0.0, 150.0, Uncertain),
            ("99.5 m, accuracy 0.4", 30.0, 99.5, 0.4, Inside),
            ("99.5 m, accuracy 1", 30.0, 99.5, 1.0, Uncertain),
            ("just inside, 99.99 m", 200.0, 99.99, 0.5, Uncertain),
            ("on the boundary", 77.0, 100.0, 0.5, Uncertain),
            ("on the boundary, accuracy 5", 300.0, 100.0, 5.0, Uncertain),
            ("0.5 m outside, accuracy 0.4", 120.0, 100.5, 0.4, Outside),
            ("0.5 m outside, accuracy 0.6", 120.0, 100.5, 0.6, Uncertain),
            ("900 m outside", 10.0, 1000.0, 20.0, Outside),
            (
                "900 m outside, accuracy 1 km",
                10.0,
                1000.0,
                1000.0,
                Uncertain,
            ),
        ];
        let cases: Vec<Case> = rows
            .iter()
            .map(|&(name, bearing_deg, d_m, accuracy_m, kind)| {
                let point = destination(BOGOR, bearing_deg, d_m);
                let v_m = vincenty_distance_m(BOGOR, point);
                Case {
                    name,
                    point,
                    accuracy_m,
                    kind,
                    distance_m: (v_m - 100.0).max(0.0),
                    inside_margin_m: (100.0 - v_m).max(0.0),
                }
            })
            .collect();
        check_cases(&circle_office(), &cases);
    }

    #[test]
    fn polygon_table() {
        // Points on the boundary are given exactly: on the equator, on a meridian edge or on
        // a vertex. The others are placed d metres from a foot F on a geodesic edge, at right
        // angles to it (bearing 90 or 270 from a meridian, 0 or 180 from the equator). So the
        // expected distance to that edge is vincenty(F, point). The other edges are hundreds
        // of metres away.
        let west_foot = at(0.002, 109.33);
        let hole_west_foot = at(0.005, 109.334);
        let south_foot = at(0.0, 109.337);
        let away = |foot: LatLon, bearing_deg: f64, d_m: f64| {
            let point = destination(foot, bearing_deg, d_m);
            (point, vincenty_distance_m(foot, point))
        };

        let (inside_west, inside_west_m) = away(west_foot, 90.0, 20.0);
        let (outside_west, outside_west_m) = away(west_foot, 270.0, 30.0);
        let (south, south_m) = away(south_foot, 180.0, 12.0);
        let (in_hole, in_hole_m) = away(hole_west_foot, 90.0, 40.0);
        let (beside_hole, beside_hole_m) = away(hole_west_foot, 270.0, 15.0);

        let cases = [
            Case {
                name: "on the equator edge",
                point: at(0.0, 109.335),
                accuracy_m: 3.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: 0.0,
            },
            Case {
                name: "on the west edge",
                point: at(0.002, 109.33),
                accuracy_m: 3.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: 0.0,
            },
            Case {
                name: "on a vertex",
                point: at(0.0, 109.33),
                accuracy_m: 3.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: 0.0,
            },
            Case {
                name: "on a hole vertex",
                point: at(0.006, 109.336),
                accuracy_m: 3.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: 0.0,
            },
            Case {
                name: "20 m inside, accuracy 10",
                point: inside_west,
                accuracy_m: 10.0,
                kind: Inside,
                distance_m: 0.0,
                inside_margin_m: inside_west_m,
            },
            Case {
                name: "20 m inside, accuracy 25",
                point: inside_west,
                accuracy_m: 25.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: inside_west_m,
            },
            Case {
                name: "30 m west, accuracy 10",
                point: outside_west,
                accuracy_m: 10.0,
                kind: Outside,
                distance_m: outside_west_m,
                inside_margin_m: 0.0,
            },
            Case {
                name: "30 m west, accuracy 30.5",
                point: outside_west,
                accuracy_m: 30.5,
                kind: Uncertain,
                distance_m: outside_west_m,
                inside_margin_m: 0.0,
            },
            Case {
                name: "12 m south of the equator",
                point: south,
                accuracy_m: 5.0,
                kind: Outside,
                distance_m: south_m,
                inside_margin_m: 0.0,
            },
            Case {
                name: "in the hole",
                point: in_hole,
                accuracy_m: 10.0,
                kind: Outside,
                distance_m: in_hole_m,
                inside_margin_m: 0.0,
            },
            Case {
                name: "in the hole, accuracy 50",
                point: in_hole,
                accuracy_m: 50.0,
                kind: Uncertain,
                distance_m: in_hole_m,
                inside_margin_m: 0.0,
            },
            Case {
                name: "15 m beside the hole",
                point: beside_hole,
                accuracy_m: 10.0,
                kind: Inside,
                distance_m: 0.0,
                inside_margin_m: beside_hole_m,
            },
            Case {
                name: "accuracy larger than the fence",
                point: at(0.002, 109.335),
                accuracy_m: 2_000.0,
                kind: Uncertain,
                distance_m: 0.0,
                inside_margin_m: vincenty_distance_m(at(0.002, 109.335), at(0.0, 109.335)),
            },
        ];
        check_cases(&polygon_office(), &cases);
    }

    #[test]
    fn nearest_office_is_reported() {
        // Expected distances: vincenty(centre, point) - radius for each circle.
        let near = Office {
            id: "near".into(),
            name: "Kantor Dekat".into(),
            time_zone: OfficeZone::Wib,
            fences: vec![Fence::Circle {
                center: BOGOR,
                radius_m: 50.0,
            }],
        };
        let far_center = destination(BOGOR, 90.0, 2_000.0);
        let far = Office {
            id: "far".into(),
            fences: vec![Fence::Circle {
                center: far_center,
                radius_m: 300.0,
            }],
            ..near.clone()
        };
        let point = destination(BOGOR, 270.0, 80.0);
        for places in [[&near, &far], [&far, &near]] {
            let verdict = evaluate(places, point, 10.0).expect("verdict");
            assert_eq!(verdict.kind, Outside);
            assert_eq!(verdict.office_id, "near");
            let expected_m = vincenty_distance_m(BOGOR, point) - 50.0;
            assert!(
                (verdict.distance_m - expected_m).abs() < 0.001,
                "{verdict:?}"
            );
        }

        // Within the accuracy of the far office's fence only: Uncertain names the far office.
        let point = destination(far_center, 0.0, 305.0);
        let verdict = evaluate([&near, &far], point, 10.0).expect("verdict");
        assert_eq!(
            (verdict.kind, verdict.office_id.as_str()),
            (Uncertain, "far")
        );
    }

    #[test]
    fn inside_office_wins_over_uncertain_one() {
        // Two overlapping circles 60 m apart: a point 20 m from A's centre is 80 m inside A
        // (radius 100) and 40 m from B's centre, so 10 m inside B (radius 50).
        let a = Office {
            id: "a".into(),
            ..circle_office()
        };
        let b_center = destination(BOGOR, 45.0, 60.0);
        let b = Office {
            id: "b".into(),
            fences: vec![Fence::Circle {
                center: b_center,
                radius_m: 50.0,
            }],
            ..circle_office()
        };
        let point = destination(BOGOR, 45.0, 20.0);
        for places in [[&a, &b], [&b, &a]] {
            let verdict = evaluate(places, point, 15.0).expect("verdict");
            assert_eq!((verdict.kind, verdict.office_id.as_str()), (Inside, "a"));
            let expected_margin_m = 100.0 - vincenty_distance_m(BOGOR, point);
            assert!((verdict.inside_margin_m - expected_margin_m).abs() < 0.001);
        }

        // With accuracy 5 both are Inside; A has the larger margin.
        let verdict = evaluate([&b, &a], point, 5.0).expect("verdict");
        assert_eq!((verdict.kind, verdict.office_id.as_str()), (Inside, "a"));
    }

    #[test]
    fn office_with_two_fences_uses_best() {
        let mut office = circle_office();
        let annex = destination(BOGOR, 180.0, 500.0);
        office.fences.push(Fence::Circle {
            center: annex,
            radius_m: 40.0,
        });
        let verdict = evaluate([&office], annex, 10.0).expect("verdict");
        assert_eq!(verdict.kind, Inside);
        assert!((verdict.inside_margin_m - 40.0).abs() < 1e-9);
    }

    #[test]
    fn bad_input_is_rejected() {
        let office = circle_office();
        let nan = evaluate([&office], at(f64::NAN, 106.8), 5.0).expect_err("NaN latitude");
        assert!(matches!(
            nan,
            GeofenceError::InvalidCoordinate {
                problem: crate::geofence::CoordinateProblem::NotFinite,
                ..
            }
        ));
        let swapped = evaluate([&office], at(106.799, -6.595), 5.0).expect_err("swapped");
        assert!(swapped.is_looks_swapped(), "{swapped}");
        assert!(swapped.to_string().contains("106.799"), "{swapped}");
        assert!(swapped.to_string().contains("-6.595"), "{swapped}");
        let out_of_range = evaluate([&office], at(-91.0, 106.8), 5.0).expect_err("latitude -91");
        assert_eq!(out_of_range.reason_id(), "geofence.invalid_coordinate");
        for accuracy_m in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
            let error = evaluate([&office], BOGOR, accuracy_m).expect_err("bad accuracy");
            assert!(
                matches!(error, GeofenceError::InvalidAccuracy { .. }),
                "accuracy {accuracy_m}: {error}"
            );
        }
        let none: [&Office; 0] = [];
        assert_eq!(evaluate(none, BOGOR, 5.0), Err(GeofenceError::NoPlaces));
    }

    #[test]
    fn unvalidated_office_is_an_error_not_a_panic() {
        let broken = Office {
            fences: vec![Fence::Circle {
                center: at(f64::NAN, 106.8),
                radius_m: 100.0,
            }],
            ..circle_office()
        };
        let error = evaluate([&broken], BOGOR, 5.0).expect_err("NaN centre");
        assert!(
            matches!(error, GeofenceError::UnvalidatedOffice { .. }),
            "{error}"
        );

        // f64::min would skip a NaN vertex and judge the rest of the ring.
        let mut exterior = vec![
            at(0.0, 109.33),
            at(0.0, 109.34),
            at(0.01, 109.34),
            at(0.01, 109.33),
        ];
        exterior[2].lat = f64::NAN;
        let nan_vertex = Office {
            fences: vec![Fence::Polygon {
                exterior,
                holes: vec![],
            }],
            ..circle_office()
        };
        let error = evaluate([&nan_vertex], at(0.005, 109.335), 5.0).expect_err("NaN vertex");
        assert!(
            matches!(error, GeofenceError::UnvalidatedOffice { .. }),
            "{error}"
        );

        let empty_ring = Office {
            fences: vec![Fence::Polygon {
                exterior: vec![],
                holes: vec![],
            }],
            ..circle_office()
        };
        let error = evaluate([&empty_ring], BOGOR, 5.0).expect_err("empty ring");
        assert!(
            matches!(error, GeofenceError::UnvalidatedOffice { .. }),
            "{error}"
        );
    }

    #[test]
    fn verdict_message_names_office_and_distance() {
        let point = destination(BOGOR, 0.0, 250.0);
        let verdict = evaluate([&circle_office()], point, 5.0).expect("verdict");
        let text = verdict.message(Locale::Id);
        assert!(
            text.contains("berada 150 m di luar"),
            "whole metres: {text}"
        );
        assert!(text.contains("Balai Kota Bogor"), "{text}");

        // From 1 km on the distance is in kilometres, with the locale's decimal separator.
        let far =
            evaluate([&circle_office()], destination(BOGOR, 0.0, 2_600.0), 5.0).expect("verdict");
        let text = far.message(Locale::Id);
        assert!(
            text.contains("berada 2,5 km di luar"),
            "decimal comma: {text}"
        );
        let english = far.message(Locale::En);
        assert!(
            english.contains("You are 2.5 km outside"),
            "decimal point: {english}"
        );
        let json = serde_json::to_value(&verdict).expect("serialise");
        assert_eq!(json["kind"], "outside");
        assert_eq!(json["reason_id"], "geofence.outside");
    }

    /// Generates points within 1 km of the polygon office's centre, which reach its hole, its
    /// ring between hole and exterior, its edges and the area around it.
    fn near_polygon() -> impl Strategy<Value = LatLon> {
        (0.0..360.0f64, 0.0..1_000.0f64)
            .prop_map(|(bearing_deg, d_m)| destination(at(0.005, 109.335), bearing_deg, d_m))
    }

    fn near_circle() -> impl Strategy<Value = LatLon> {
        (0.0..360.0f64, 0.0..200.0f64)
            .prop_map(|(bearing_deg, d_m)| destination(BOGOR, bearing_deg, d_m))
    }

    fn rank(kind: VerdictKind) -> u8 {
        match kind {
            Outside => 0,
            Uncertain => 1,
            Inside => 2,
        }
    }

    proptest! {
        #[test]
        fn growing_accuracy_never_gains_inside(
            on_polygon in any::<bool>(),
            polygon_point in near_polygon(),
            circle_point in near_circle(),
            accuracy_m in 0.01..200.0f64,
            growth_m in 0.0..200.0f64,
        ) {
            let (office, point) = if on_polygon {
                (polygon_office(), polygon_point)
            } else {
                (circle_office(), circle_point)
            };
            let smaller = evaluate([&office], point, accuracy_m).expect("verdict");
            let larger = evaluate([&office], point, accuracy_m + growth_m).expect("verdict");
            if smaller.kind != Inside {
                prop_assert_ne!(larger.kind, Inside, "{:?} then {:?}", smaller, larger);
            }
            // A larger circle can only move Inside or Outside towards Uncertain.
            prop_assert!(
                larger.kind == Uncertain || larger.kind == smaller.kind,
                "{:?} then {:?}", smaller.kind, larger.kind
            );
            prop_assert!(rank(larger.kind) <= rank(smaller.kind) || larger.kind == Uncertain);
        }

        #[test]
        fn polygon_containment_matches_planar_test(point in near_polygon()) {
            // Reference: geo's planar point-in-polygon test on longitude and latitude. Within
            // 0.01 degree of the equator, straight lines in that plane stay within millimetres
            // of the geodesic edges, so the two agree away from the boundary.
            let Fence::Polygon { exterior, holes } = &polygon_office().fences[0] else {
                unreachable!("polygon office has a polygon fence");
            };
            let to_line = |ring: &Vec<LatLon>| {
                geo::LineString::from(ring.iter().map(|v| (v.lon, v.lat)).collect::<Vec<_>>())
            };
            let planar = geo::Polygon::new(to_line(exterior), holes.iter().map(to_line).collect());
            let location = polygon_office().fences[0].locate(point);
            prop_assume!(location.boundary_distance_m > 0.01);
            prop_assert_eq!(
                location.contains,
                geo::Contains::contains(&planar, &point.to_point()),
                "point {:?}, boundary distance {} m", point, location.boundary_distance_m
            );
        }

        #[test]
        fn distances_symmetric_and_non_negative(a in near_polygon(), b in near_circle(), c in near_polygon()) {
            for (p, q) in [(a, b), (a, c), (b, c)] {
                let forward_m = geodesic_distance_m(p, q);
                let backward_m = geodesic_distance_m(q, p);
                prop_assert!(forward_m >= 0.0);
                prop_assert!((forward_m - backward_m).abs() <= 1e-9 * forward_m.max(1.0),
                    "{} vs {}", forward_m, backward_m);
            }
            for office in [polygon_office(), circle_office()] {
                for point in [a, b, c] {
                    let location = office.fences[0].locate(point);
                    prop_assert!(location.boundary_distance_m >= 0.0);
                    prop_assert!(location.distance_m() >= 0.0);
                }
            }
        }
    }
}
