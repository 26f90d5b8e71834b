//! Vincenty's inverse formula on WGS84, used by tests as an expected-value oracle that shares
//! no code with `geo::Geodesic` (Karney's method). T. Vincenty, "Direct and inverse solutions
//! of geodesics on the ellipsoid with application of nested equations", Survey Review 23
//! (1975). The test below checks it against closed forms to 0.1 mm.

use super::LatLon;

const SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
const FLATTENING: f64 = 1.0 / 298.257_223_563;

/// Geodesic distance in metres between two points, by Vincenty's iteration on the reduced
/// latitudes and the longitude on the auxiliary sphere.
pub(super) fn vincenty_distance_m(a: LatLon, b: LatLon) -> f64 {
    let semi_minor_axis_m = SEMI_MAJOR_AXIS_M * (1.0 - FLATTENING);
    let u1 = ((1.0 - FLATTENING) * a.lat.to_radians().tan()).atan();
    let u2 = ((1.0 - FLATTENING) * b.lat.to_radians().tan()).atan();
    let l = (b.lon - a.lon).to_radians();
    let (sin_u1, cos_u1) = u1.sin_cos();
    let (sin_u2, cos_u2) = u2.sin_cos();

    let mut lambda = l;
    let mut result = (0.0, 0.0, 0.0, 0.0, 0.0);
    for _ in 0..200 {
        let (sin_lambda, cos_lambda) = lambda.sin_cos();
        let sin_sigma = ((cos_u2 * sin_lambda).powi(2)
            + (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda).powi(2))
        .sqrt();
        if sin_sigma == 0.0 {
            return 0.0;
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lambda;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_lambda / sin_sigma;
        let cos_sq_alpha = 1.0 - sin_alpha * sin_alpha;
        let cos_2sigma_m = if cos_sq_alpha == 0.0 {
            0.0
        } else {
            cos_sigma - 2.0 * sin_u1 * sin_u2 / cos_sq_alpha
        };
        let c = FLATTENING / 16.0 * cos_sq_alpha * (4.0 + FLATTENING * (4.0 - 3.0 * cos_sq_alpha));
        let previous = lambda;
        lambda = l
            + (1.0 - c)
                * FLATTENING
                * sin_alpha
                * (sigma
                    + c * sin_sigma
                        * (cos_2sigma_m + c * cos_sigma * (-1.0 + 2.0 * cos_2sigma_m.powi(2))));
        result = (sin_sigma, cos_sigma, sigma, cos_sq_alpha, cos_2sigma_m);
        if (lambda - previous).abs() < 1e-13 {
            break;
        }
    }

    let (sin_sigma, cos_sigma, sigma, cos_sq_alpha, cos_2sigma_m) = result;
    let u_sq = cos_sq_alpha * (SEMI_MAJOR_AXIS_M.powi(2) - semi_minor_axis_m.powi(2))
        / semi_minor_axis_m.powi(2);
    let big_a = 1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
    let big_b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
    let delta_sigma = big_b
        * sin_sigma
        * (cos_2sigma_m
            + big_b / 4.0
                * (cos_sigma * (-1.0 + 2.0 * cos_2sigma_m.powi(2))
                    - big_b / 6.0
                        * cos_2sigma_m
                        * (-3.0 + 4.0 * sin_sigma.powi(2))
                        * (-3.0 + 4.0 * cos_2sigma_m.powi(2))));
    semi_minor_axis_m * big_a * (sigma - delta_sigma)
}

#[cfg(test)]
mod test {
    use super::*;

    /// Meridian arc from the equator to `lat_deg`: the integral of the meridian radius of
    /// curvature M(φ) = a(1 - e²) / (1 - e² sin²φ)^(3/2), by Simpson's rule.
    fn meridian_arc_m(lat_deg: f64) -> f64 {
        let e_sq = FLATTENING * (2.0 - FLATTENING);
        let radius = |phi: f64| {
            SEMI_MAJOR_AXIS_M * (1.0 - e_sq) / (1.0 - e_sq * phi.sin().powi(2)).powf(1.5)
        };
        let steps = 1000;
        let h = lat_deg.to_radians() / steps as f64;
        let mut sum = radius(0.0) + radius(lat_deg.to_radians());
        for i in 1..steps {
            let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
            sum += weight * radius(i as f64 * h);
        }
        sum * h / 3.0
    }

    #[test]
    fn vincenty_matches_closed_forms() {
        let north = vincenty_distance_m(
            LatLon {
                lat: 0.0,
                lon: 100.0,
            },
            LatLon {
                lat: 1.0,
                lon: 100.0,
            },
        );
        assert!(
            (north - meridian_arc_m(1.0)).abs() < 1e-4,
            "{north} vs {}",
            meridian_arc_m(1.0)
        );

        // Along the equator the geodesic (for arcs well under 180°) is the equator itself.
        let east = vincenty_distance_m(
            LatLon {
                lat: 0.0,
                lon: 100.0,
            },
            LatLon {
                lat: 0.0,
                lon: 101.0,
            },
        );
        let expected = SEMI_MAJOR_AXIS_M * 1.0_f64.to_radians();
        assert!((east - expected).abs() < 1e-4, "{east} vs {expected}");
    }
}
