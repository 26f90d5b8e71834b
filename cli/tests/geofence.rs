//! `siperlu geofence check` run as an admin runs it, on offices files written by the tests.
//!
//! Expected distances come from the construction of each case. A fix whose distance is checked
//! lies on the meridian through the nearest point of the fence, and a meridian is a geodesic.
//! So the expected distance is a meridian arc, computed here from the WGS84 meridian radius of
//! curvature.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn siperlu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siperlu"))
}

/// Two offices in Bogor and one dinas luar location in Makassar valid 2026-12-01..=03.
const OFFICES: &str = r#"{
  "offices": [
    {
      "id": "pemkot-bogor",
      "name": "Balai Kota Bogor",
      "time_zone": "Asia/Jakarta",
      "fences": [
        {"type": "circle", "center": {"lat": -6.5950, "lon": 106.7990}, "radius_m": 100}
      ]
    },
    {
      "id": "bappeda-bogor",
      "name": "Bappeda Kota Bogor",
      "time_zone": "Asia/Jakarta",
      "fences": [
        {
          "type": "polygon",
          "exterior": [
            {"lat": -6.5900, "lon": 106.7950}, {"lat": -6.5900, "lon": 106.7970},
            {"lat": -6.5880, "lon": 106.7970}, {"lat": -6.5880, "lon": 106.7950}
          ],
          "holes": [[
            {"lat": -6.5893, "lon": 106.7957}, {"lat": -6.5893, "lon": 106.7963},
            {"lat": -6.5887, "lon": 106.7963}, {"lat": -6.5887, "lon": 106.7957}
          ]]
        }
      ]
    }
  ],
  "dinas_luar": [
    {
      "location": {
        "id": "bkn-kanreg-makassar",
        "name": "Kanreg IV BKN Makassar",
        "time_zone": "Asia/Makassar",
        "fences": [
          {"type": "circle", "center": {"lat": -5.1477, "lon": 119.4327}, "radius_m": 150}
        ]
      },
      "valid_from": "2026-12-01",
      "valid_to": "2026-12-03",
      "letter_number": "800/1234/BKPSDM"
    }
  ]
}"#;

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write offices file");
    path
}

fn check(offices: &Path, extra: &[&str]) -> Output {
    siperlu()
        .args(["geofence", "check", "--offices"])
        .arg(offices)
        .args(extra)
        .output()
        .expect("run siperlu geofence check")
}

fn check_json(offices: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = extra.to_vec();
    args.push("--json");
    let output = check(offices, &args);
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn stderr_of(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Meridian arc between two latitudes in degrees: the integral of the meridian radius of
/// curvature M(φ) = a(1 - e²) / (1 - e² sin²φ)^(3/2) on WGS84, by Simpson's rule.
fn meridian_arc_m(from_lat_deg: f64, to_lat_deg: f64) -> f64 {
    let a = 6_378_137.0;
    let f = 1.0 / 298.257_223_563;
    let e_sq = f * (2.0 - f);
    let radius = |phi: f64| a * (1.0 - e_sq) / (1.0 - e_sq * phi.sin().powi(2)).powf(1.5);
    let (start, end) = (from_lat_deg.to_radians(), to_lat_deg.to_radians());
    let steps = 1000;
    let h = (end - start) / steps as f64;
    let mut sum = radius(start) + radius(end);
    for i in 1..steps {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * radius(start + i as f64 * h);
    }
    (sum * h / 3.0).abs()
}

#[test]
fn inside_circle_names_office() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let json = check_json(
        &offices,
        &["--lat", "-6.5950", "--lon", "106.7990", "--accuracy", "10"],
    );
    assert_eq!(json["verdict"], "inside");
    assert_eq!(json["office_id"], "pemkot-bogor");
    assert_eq!(json["distance_m"], 0.0);
    assert_eq!(json["inside_margin_m"], 100.0);
    assert_eq!(json["reasons"][0]["id"], "geofence.inside");
}

#[test]
fn outside_reports_nearest_office_and_distance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    // Due south of the Bogor circle's centre: nearer to it than to the Bappeda polygon.
    let json = check_json(
        &offices,
        &[
            "--lat",
            "-6.5970",
            "--lon",
            "106.7990",
            "--accuracy",
            "5",
            "--locale",
            "en",
        ],
    );
    assert_eq!(json["verdict"], "outside");
    assert_eq!(json["office_id"], "pemkot-bogor");
    let expected_m = meridian_arc_m(-6.5950, -6.5970) - 100.0;
    let distance_m = json["distance_m"].as_f64().expect("number");
    assert!(
        (distance_m - expected_m).abs() < 0.001,
        "{distance_m} vs {expected_m}"
    );
    let message = json["reasons"][0]["message"].as_str().expect("message");
    assert!(message.starts_with("You are 121 m outside"), "{message}");
}

#[test]
fn boundary_with_accuracy_is_uncertain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    // On the Bappeda polygon's west edge (a meridian), with 3 m accuracy.
    let json = check_json(
        &offices,
        &["--lat", "-6.5890", "--lon", "106.7950", "--accuracy", "3"],
    );
    assert_eq!(json["verdict"], "uncertain");
    assert_eq!(json["office_id"], "bappeda-bogor");
    assert_eq!(json["reasons"][0]["id"], "geofence.uncertain");
}

#[test]
fn point_in_hole_is_outside() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let json = check_json(
        &offices,
        &["--lat", "-6.5890", "--lon", "106.7960", "--accuracy", "5"],
    );
    assert_eq!(json["verdict"], "outside");
    assert_eq!(json["office_id"], "bappeda-bogor");
    // The hole's nearest edges are 0.0003 degrees of latitude (north and south) away.
    let expected_m = meridian_arc_m(-6.5890, -6.5893);
    let distance_m = json["distance_m"].as_f64().expect("number");
    assert!(
        (distance_m - expected_m).abs() < 0.01,
        "{distance_m} vs {expected_m}"
    );
}

#[test]
fn dinas_luar_counts_on_its_dates_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let makassar = ["--lat", "-5.1477", "--lon", "119.4327", "--accuracy", "20"];

    let mut during = makassar.to_vec();
    during.extend(["--date", "2026-12-02"]);
    let json = check_json(&offices, &during);
    assert_eq!(json["verdict"], "inside");
    assert_eq!(json["office_id"], "bkn-kanreg-makassar");

    let mut after = makassar.to_vec();
    after.extend(["--date", "2026-12-04"]);
    let json = check_json(&offices, &after);
    assert_eq!(json["verdict"], "outside");
    assert_ne!(json["office_id"], "bkn-kanreg-makassar");
}

#[test]
fn text_output_lists_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let output = check(
        &offices,
        &["--lat", "-6.5950", "--lon", "106.7990", "--accuracy", "150"],
    );
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("verdict: uncertain"), "{text}");
    assert!(
        text.contains("office: pemkot-bogor (Balai Kota Bogor)"),
        "{text}"
    );
    assert!(text.contains("reason: geofence.uncertain: "), "{text}");
}

#[test]
fn help_lists_output_fields() {
    let output = siperlu()
        .args(["geofence", "check", "--help"])
        .output()
        .expect("run help");
    let help = String::from_utf8_lossy(&output.stdout);
    for field in [
        "verdict",
        "office_id",
        "distance_m",
        "inside_margin_m",
        "reasons",
    ] {
        assert!(help.contains(field), "help should list {field}:\n{help}");
    }
}

#[test]
fn swapped_pair_is_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let error = stderr_of(&check(
        &offices,
        &["--lat", "106.799", "--lon", "-6.595", "--accuracy", "5"],
    ));
    assert!(error.contains("looks swapped"), "{error}");
    assert!(
        error.contains("106.799") && error.contains("-6.595"),
        "{error}"
    );
}

#[test]
fn nan_and_range_errors_name_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offices = write_file(dir.path(), "offices.json", OFFICES);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--lat", "NaN", "--lon", "106.8", "--accuracy", "5"],
            "latitude NaN",
        ),
        (
            &["--lat", "-6.6", "--lon", "200", "--accuracy", "5"],
            "longitude 200",
        ),
        (
            &["--lat", "-6.6", "--lon", "106.8", "--accuracy", "0"],
            "accuracy 0 m",
        ),
        (
            &["--lat", "-6.6", "--lon", "106.8", "--accuracy", "-4"],
            "accuracy -4 m",
        ),
    ];
    for (args, expected) in cases {
        let error = stderr_of(&check(&offices, args));
        assert!(error.contains(expected), "{args:?}: {error}");
    }
}

#[test]
fn bad_files_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.json");
    let error = stderr_of(&check(
        &missing,
        &["--lat", "-6.6", "--lon", "106.8", "--accuracy", "5"],
    ));
    assert!(
        error.contains("cannot read offices file") && error.contains("missing.json"),
        "{error}"
    );

    let truncated = write_file(dir.path(), "truncated.json", &OFFICES[..200]);
    let error = stderr_of(&check(
        &truncated,
        &["--lat", "-6.6", "--lon", "106.8", "--accuracy", "5"],
    ));
    assert!(
        error.contains("truncated.json") && error.contains("offices file format"),
        "{error}"
    );

    let swapped = OFFICES.replace(
        r#"{"lat": -6.5950, "lon": 106.7990}"#,
        r#"{"lat": 106.7990, "lon": -6.5950}"#,
    );
    let swapped = write_file(dir.path(), "swapped.json", &swapped);
    let error = stderr_of(&check(
        &swapped,
        &["--lat", "-6.6", "--lon", "106.8", "--accuracy", "5"],
    ));
    assert!(
        error.contains("office \"pemkot-bogor\", fence 0") && error.contains("looks swapped"),
        "{error}"
    );
}
