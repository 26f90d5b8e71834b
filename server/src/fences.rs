//! Office fences as the server stores them: core's geofence types, validated by core's own
//! rules so the server accepts exactly the fences a phone can evaluate.

use serde_json::Value;
pub use siperlu_core::geofence::{Fence, GeofenceError, LatLon, Office as GeoOffice, OfficeZone};

/// Parses an IANA zone name (Asia/Jakarta, Asia/Makassar, Asia/Jayapura) or its abbreviation.
pub fn parse_zone(name: &str) -> Option<OfficeZone> {
    serde_json::from_value(Value::String(name.to_string())).ok()
}

/// Builds and validates the core office for `code`, so a bad fence is reported with the
/// office id, the fence index and the problem.
pub fn validate_office(
    code: &str,
    name: &str,
    zone: OfficeZone,
    fences: &[Fence],
) -> Result<GeoOffice, GeofenceError> {
    let office = GeoOffice {
        id: code.to_string(),
        name: name.to_string(),
        time_zone: zone,
        fences: fences.to_vec(),
    };
    office.validate()?;
    Ok(office)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn zone_names_and_abbreviations() {
        assert_eq!(parse_zone("Asia/Makassar"), Some(OfficeZone::Wita));
        assert_eq!(parse_zone("WIT"), Some(OfficeZone::Wit));
        assert_eq!(parse_zone("Asia/Tokyo"), None);
    }

    #[test]
    fn core_rules_apply() {
        let circle = |lat: f64, lon: f64, radius_m: f64| Fence::Circle {
            center: LatLon { lat, lon },
            radius_m,
        };
        validate_office(
            "KB-01",
            "Kantor",
            OfficeZone::Wib,
            &[circle(-6.2, 106.8, 100.0)],
        )
        .expect("valid office");
        assert!(
            validate_office(
                "KB-01",
                "Kantor",
                OfficeZone::Wib,
                &[circle(-6.2, 106.8, 0.0)]
            )
            .is_err()
        );
        assert!(
            validate_office(
                "KB-01",
                "Kantor",
                OfficeZone::Wib,
                &[circle(106.8, -6.2, 50.0)]
            )
            .is_err()
        );
        assert!(validate_office("KB-01", "Kantor", OfficeZone::Wib, &[]).is_err());
    }
}
