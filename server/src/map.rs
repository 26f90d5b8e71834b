//! The inline SVG map on the check-in detail page: the office fences, the GPS fix and its
//! accuracy circle, drawn on a local metre grid so that an admin can tell at a glance where
//! the phone was. No map tiles are needed, so it works on an offline network.
//!
//! Coordinates are projected equirectangularly around the office centre: x is east and y is
//! north in metres. Over a few kilometres the error of this projection is well under a metre,
//! far below GPS accuracy.

use crate::fences::{Fence, LatLon};
use crate::html::escape;
use std::fmt::Write;

/// Mean Earth radius in metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Width and height of the drawing, in SVG user units.
const SIZE: f64 = 400.0;

/// A point in metres east and north of the office centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalPoint {
    pub east_m: f64,
    pub north_m: f64,
}

/// Projects `point` onto the metre grid around `origin`.
pub fn project(origin: LatLon, point: LatLon) -> LocalPoint {
    let latitude0 = origin.lat.to_radians();
    LocalPoint {
        east_m: (point.lon - origin.lon).to_radians() * latitude0.cos() * EARTH_RADIUS_M,
        north_m: (point.lat - origin.lat).to_radians() * EARTH_RADIUS_M,
    }
}

/// Converts record coordinates in 1e-7 degrees to a point.
pub fn from_e7(latitude_e7: i64, longitude_e7: i64) -> LatLon {
    LatLon {
        lat: latitude_e7 as f64 / 1e7,
        lon: longitude_e7 as f64 / 1e7,
    }
}

/// Returns the centre of an office: the centre of its first circle, or the vertex mean of its
/// first polygon.
pub fn office_centre(fences: &[Fence]) -> Option<LatLon> {
    match fences.first()? {
        Fence::Circle { center, .. } => Some(*center),
        Fence::Polygon { exterior, .. } => {
            let count = exterior.len().max(1) as f64;
            Some(LatLon {
                lat: exterior.iter().map(|p| p.lat).sum::<f64>() / count,
                lon: exterior.iter().map(|p| p.lon).sum::<f64>() / count,
            })
        }
    }
}

/// Distance in metres between the office centre and the fix, on the local grid.
pub fn distance_from_centre_m(fences: &[Fence], fix: LatLon) -> Option<f64> {
    let local = project(office_centre(fences)?, fix);
    Some(local.east_m.hypot(local.north_m))
}

/// Draws the fences and the fix (with its accuracy radius in metres) as an SVG element.
pub fn render_map(fences: &[Fence], fix: LatLon, accuracy_m: f64, title: &str) -> String {
    let Some(origin) = office_centre(fences) else {
        return String::new();
    };

    // Extent: every fence point, the circles' radii, and the fix with its accuracy circle.
    let fix_point = project(origin, fix);
    let mut half_extent_m: f64 =
        (fix_point.east_m.abs().max(fix_point.north_m.abs()) + accuracy_m).max(10.0);
    for fence in fences {
        match fence {
            Fence::Circle { center, radius_m } => {
                let centre = project(origin, *center);
                let reach = centre.east_m.abs().max(centre.north_m.abs()) + radius_m;
                half_extent_m = half_extent_m.max(reach);
            }
            Fence::Polygon { exterior, holes } => {
                for point in exterior.iter().chain(holes.iter().flatten()) {
                    let local = project(origin, *point);
                    half_extent_m = half_extent_m.max(local.east_m.abs().max(local.north_m.abs()));
                }
            }
        }
    }
    let scale = (SIZE / 2.0 * 0.9) / half_extent_m;
    let to_svg = |point: LocalPoint| {
        (
            SIZE / 2.0 + point.east_m * scale,
            SIZE / 2.0 - point.north_m * scale,
        )
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"checkin-map\" width=\"{SIZE}\" height=\"{SIZE}\" \
         viewBox=\"0 0 {SIZE} {SIZE}\" role=\"img\" aria-label=\"{label}\">\
         <title>{label}</title><rect width=\"{SIZE}\" height=\"{SIZE}\" fill=\"#f4f7f4\"/>",
        label = escape(title)
    );
    for fence in fences {
        match fence {
            Fence::Circle { center, radius_m } => {
                let (x, y) = to_svg(project(origin, *center));
                let _ = write!(
                    svg,
                    "<circle class=\"fence\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"#2e7d32\" fill-opacity=\"0.15\" stroke=\"#2e7d32\" stroke-width=\"2\"/>",
                    r = radius_m * scale
                );
            }
            Fence::Polygon { exterior, holes } => {
                let mut path = String::new();
                for ring in std::iter::once(exterior).chain(holes.iter()) {
                    for (index, point) in ring.iter().enumerate() {
                        let (x, y) = to_svg(project(origin, *point));
                        let command = if index == 0 { "M" } else { "L" };
                        let _ = write!(path, "{command}{x:.1},{y:.1} ");
                    }
                    path.push_str("Z ");
                }
                let _ = write!(
                    svg,
                    "<path class=\"fence\" d=\"{}\" fill=\"#2e7d32\" fill-opacity=\"0.15\" fill-rule=\"evenodd\" stroke=\"#2e7d32\" stroke-width=\"2\"/>",
                    path.trim_end()
                );
            }
        }
    }
    let (fix_x, fix_y) = to_svg(fix_point);
    let _ = write!(
        svg,
        "<circle class=\"accuracy\" cx=\"{fix_x:.1}\" cy=\"{fix_y:.1}\" r=\"{r:.1}\" fill=\"#1565c0\" fill-opacity=\"0.2\" stroke=\"#1565c0\" stroke-dasharray=\"4 3\"/>\
         <circle class=\"fix\" cx=\"{fix_x:.1}\" cy=\"{fix_y:.1}\" r=\"4\" fill=\"#c62828\"/>",
        r = (accuracy_m * scale).max(1.0)
    );

    // A scale bar of a round length near a quarter of the drawing.
    let bar_m = nice_length(half_extent_m / 2.0);
    let bar_px = bar_m * scale;
    let _ = write!(
        svg,
        "<line x1=\"10\" y1=\"{y}\" x2=\"{x2:.1}\" y2=\"{y}\" stroke=\"#222\" stroke-width=\"2\"/>\
         <text x=\"10\" y=\"{ty}\" font-size=\"12\">{bar_m} m</text></svg>",
        y = SIZE - 12.0,
        x2 = 10.0 + bar_px,
        ty = SIZE - 18.0
    );
    svg
}

fn nice_length(target_m: f64) -> f64 {
    let magnitude = 10f64.powf(target_m.max(1.0).log10().floor());
    for step in [5.0, 2.0, 1.0] {
        if step * magnitude <= target_m {
            return step * magnitude;
        }
    }
    magnitude
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn projection_of_known_offset() {
        // 0.001 degree of latitude is about 111.2 m everywhere.
        let local = project(
            from_e7(-62_000_000, 1_068_000_000),
            from_e7(-61_990_000, 1_068_000_000),
        );
        assert!((local.north_m - 111.19).abs() < 0.1, "{local:?}");
        assert!(local.east_m.abs() < 1e-9);
        // 0.001 degree of longitude at 6.2 S is about 110.5 m.
        let local = project(
            from_e7(-62_000_000, 1_068_000_000),
            from_e7(-62_000_000, 1_068_010_000),
        );
        assert!((local.east_m - 110.55).abs() < 0.1, "{local:?}");
    }

    #[test]
    fn map_contains_fence_fix_and_accuracy() {
        let fences = vec![Fence::Circle {
            center: from_e7(-62_000_000, 1_068_000_000),
            radius_m: 100.0,
        }];
        let fix = from_e7(-61_995_000, 1_068_000_000);
        let svg = render_map(&fences, fix, 15.0, "Kantor <A>");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("class=\"fence\""));
        assert!(svg.contains("class=\"fix\""));
        assert!(svg.contains("class=\"accuracy\""));
        assert!(svg.contains("Kantor &lt;A&gt;"));
        let distance = distance_from_centre_m(&fences, fix).expect("centre");
        assert!((distance - 55.6).abs() < 0.2, "{distance}");
    }
}
