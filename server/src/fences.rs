//! Office fences as the server stores them and sends them to phones.
//!
//! A fence is a circle (centre and radius) or a polygon with optional holes; coordinates are
//! integers in 1e-7 degrees, as in the signed record. TODO: validate with core's `geofence`
//! module once it is on this branch, so the server accepts exactly the fences the phone can
//! evaluate; until then this module checks ranges and shapes itself.

use serde::{Deserialize, Serialize};

/// Largest accepted circle radius, in metres.
pub const MAX_RADIUS_M: u32 = 50_000;
/// Largest number of vertices in one ring.
pub const MAX_RING_VERTICES: usize = 1_000;
/// Largest number of fences per office.
pub const MAX_FENCES: usize = 16;

/// One fence of an office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fence {
    Circle {
        latitude_e7: i64,
        longitude_e7: i64,
        radius_m: u32,
    },
    Polygon {
        /// Vertices as `[latitude_e7, longitude_e7]`; the ring closes itself.
        exterior: Vec<[i64; 2]>,
        #[serde(default)]
        holes: Vec<Vec<[i64; 2]>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FenceError {
    #[error("an office needs 1 to {MAX_FENCES} fences, got {count}")]
    Count { count: usize },
    #[error("fence {index}: latitude_e7 {value} is outside -900000000..=900000000")]
    Latitude { index: usize, value: i64 },
    #[error("fence {index}: longitude_e7 {value} is outside -1800000000..=1800000000")]
    Longitude { index: usize, value: i64 },
    #[error("fence {index}: radius_m {value} is outside 1..={MAX_RADIUS_M}")]
    Radius { index: usize, value: u32 },
    #[error("fence {index}: a ring has {count} distinct vertices; use 3 to {MAX_RING_VERTICES}")]
    Ring { index: usize, count: usize },
}

/// Checks coordinate ranges, radii and ring sizes of every fence.
pub fn validate_fences(fences: &[Fence]) -> Result<(), FenceError> {
    if fences.is_empty() || fences.len() > MAX_FENCES {
        return Err(FenceError::Count {
            count: fences.len(),
        });
    }
    for (index, fence) in fences.iter().enumerate() {
        match fence {
            Fence::Circle {
                latitude_e7,
                longitude_e7,
                radius_m,
            } => {
                check_point(index, [*latitude_e7, *longitude_e7])?;
                if *radius_m == 0 || *radius_m > MAX_RADIUS_M {
                    return Err(FenceError::Radius {
                        index,
                        value: *radius_m,
                    });
                }
            }
            Fence::Polygon { exterior, holes } => {
                for ring in std::iter::once(exterior).chain(holes.iter()) {
                    check_ring(index, ring)?;
                }
            }
        }
    }
    Ok(())
}

fn check_point(index: usize, [latitude_e7, longitude_e7]: [i64; 2]) -> Result<(), FenceError> {
    if !(-900_000_000..=900_000_000).contains(&latitude_e7) {
        return Err(FenceError::Latitude {
            index,
            value: latitude_e7,
        });
    }
    if !(-1_800_000_000..=1_800_000_000).contains(&longitude_e7) {
        return Err(FenceError::Longitude {
            index,
            value: longitude_e7,
        });
    }
    Ok(())
}

fn check_ring(index: usize, ring: &[[i64; 2]]) -> Result<(), FenceError> {
    for point in ring {
        check_point(index, *point)?;
    }
    let mut distinct = ring.to_vec();
    distinct.sort();
    distinct.dedup();
    if distinct.len() < 3 || ring.len() > MAX_RING_VERTICES {
        return Err(FenceError::Ring {
            index,
            count: distinct.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn valid_circle_and_polygon() {
        let fences: Vec<Fence> = serde_json::from_str(
            r#"[{"type":"circle","latitude_e7":-62000000,"longitude_e7":1068166666,"radius_m":150},
                {"type":"polygon","exterior":[[-62000000,1068160000],[-62000000,1068170000],[-62010000,1068170000]]}]"#,
        )
        .expect("parse fences");
        validate_fences(&fences).expect("valid fences");
    }

    #[test]
    fn invalid_fences_named() {
        let circle = |latitude_e7, longitude_e7, radius_m| Fence::Circle {
            latitude_e7,
            longitude_e7,
            radius_m,
        };
        assert_eq!(validate_fences(&[]), Err(FenceError::Count { count: 0 }));
        assert!(matches!(
            validate_fences(&[circle(900_000_001, 0, 10)]),
            Err(FenceError::Latitude { .. })
        ));
        assert!(matches!(
            validate_fences(&[circle(0, 1_800_000_001, 10)]),
            Err(FenceError::Longitude { .. })
        ));
        assert!(matches!(
            validate_fences(&[circle(0, 0, 0)]),
            Err(FenceError::Radius { .. })
        ));
        let degenerate = Fence::Polygon {
            exterior: vec![[0, 0], [0, 0], [1, 1]],
            holes: vec![],
        };
        assert!(matches!(
            validate_fences(&[degenerate]),
            Err(FenceError::Ring { count: 2, .. })
        ));
    }

    #[test]
    fn unknown_shape_rejected() {
        let parsed: Result<Vec<Fence>, _> =
            serde_json::from_str(r#"[{"type":"square","side_m":5}]"#);
        assert!(parsed.is_err());
    }
}
