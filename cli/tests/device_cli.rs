//! Drives the built `siperlu` binary through a phone's day: `device init`, `device enroll`,
//! `device config import` (the simulator's signed configuration), and `device check-in` with
//! person A inside the fence, person B, A outside the fence, A with a mock fix, and malformed
//! input. The photo files stand in for the camera frames and `--lat/--lon/--accuracy/--mock`
//! for the phone's GPS fix, which cannot exist here. Run `scripts/setup` first for the models
//! and photos.

mod common;

use common::{siperlu, text};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use siperlu_core::record::verify_chain;
use siperlu_core::store::Store;
use siperlu_core::vault::{KeyVault, SoftwareVault};

const NIP: &str = "198503152010011002";
const OFFICES: &str = r#"{"offices": [{"id": "bkpsdm-makassar", "name": "BKPSDM Kota Makassar",
  "time_zone": "WITA", "fences": [{"type": "circle", "center": {"lat": -5.1477, "lon": 119.4327},
  "radius_m": 100}]}]}"#;

fn photo(name: &str) -> String {
    let path: PathBuf = siperlu_core::assets::test_photo(&format!("face_recognition/{name}"));
    assert!(
        path.is_file(),
        "test photo {} is missing; run scripts/setup",
        path.display()
    );
    path.display().to_string()
}

fn succeed(arguments: &[&str]) -> Output {
    let output = siperlu(arguments);
    assert!(
        output.status.success(),
        "{arguments:?} failed\n{}",
        text(&output)
    );
    output
}

/// Returns the arguments of `device check-in` with `selfie` at latitude `lat`, longitude
/// 119.4327 (the office's), with an accuracy of `accuracy_m`.
fn check_in_arguments<'a>(
    data_dir: &'a str,
    selfie: &'a str,
    lat: &'a str,
    accuracy_m: &'a str,
) -> Vec<&'a str> {
    vec![
        "device",
        "check-in",
        "--data-dir",
        data_dir,
        "--selfie",
        selfie,
        "--lat",
        lat,
        "--lon",
        "119.4327",
        "--accuracy",
        accuracy_m,
    ]
}

/// Runs `device check-in --json` and returns the parsed outcome.
fn check_in(data_dir: &str, selfie: &str, lat: &str, extra: &[&str]) -> serde_json::Value {
    let mut arguments = check_in_arguments(data_dir, selfie, lat, "8");
    arguments.push("--json");
    arguments.extend_from_slice(extra);
    let output = succeed(&arguments);
    serde_json::from_slice(&output.stdout).expect("check-in prints JSON")
}

fn reason_ids(outcome: &serde_json::Value) -> Vec<String> {
    outcome["reasons"]
        .as_array()
        .expect("reasons array")
        .iter()
        .map(|reason| reason["id"].as_str().expect("reason id").to_string())
        .collect()
}

fn record_count(data_dir: &str) -> usize {
    let output = succeed(&["device", "records", "--data-dir", data_dir, "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    rows.as_array().expect("array").len()
}

fn set_up_phone(folder: &Path) -> String {
    let data_dir = folder.join("phone").display().to_string();
    succeed(&["device", "init", "--data-dir", &data_dir]);
    let (a1, a2, a3) = (photo("obama.jpg"), photo("obama2.jpg"), photo("obama3.jpg"));
    let enrolled = succeed(&[
        "device",
        "enroll",
        "--data-dir",
        &data_dir,
        "--nip",
        NIP,
        "--photo",
        &a1,
        "--photo",
        &a2,
        "--photo",
        &a3,
    ]);
    assert!(
        String::from_utf8_lossy(&enrolled.stdout).contains("Wajah Anda berhasil didaftarkan."),
        "{}",
        text(&enrolled)
    );

    let offices = folder.join("offices.json");
    std::fs::write(&offices, OFFICES).expect("offices file written");
    let imported = succeed(&[
        "device",
        "config",
        "import",
        "--data-dir",
        &data_dir,
        "--offices",
        &offices.display().to_string(),
    ]);
    assert!(
        String::from_utf8_lossy(&imported.stdout).contains("simulator-local"),
        "{}",
        text(&imported)
    );
    data_dir
}

#[test]
fn check_in_journey_through_cli() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = set_up_phone(folder.path());
    let selfie_a = photo("32bit.png");

    let accepted = check_in(&data_dir, &selfie_a, "-5.1477", &[]);
    assert_eq!(accepted["status"], "accepted", "{accepted}");
    assert_eq!(accepted["geofence"], "inside");
    assert_eq!(accepted["sequence"], 1);
    assert_eq!(accepted["zone"], "WITA");
    assert_eq!(accepted["office_id"], "bkpsdm-makassar");
    assert_eq!(accepted["kind"], "check_in");

    let other = check_in(&data_dir, &photo("biden.jpg"), "-5.1477", &[]);
    assert_eq!(other["status"], "rejected", "{other}");
    assert!(reason_ids(&other).contains(&"face.no_match".to_string()));

    let mocked = check_in(&data_dir, &selfie_a, "-5.1477", &["--mock"]);
    assert_eq!(mocked["status"], "flagged", "{mocked}");
    assert!(reason_ids(&mocked).contains(&"location.mock_provider".to_string()));

    // 0.02 degrees north of the office: about 2.1 km outside the 100 m fence.
    let outside = check_in(&data_dir, &selfie_a, "-5.1277", &["--kind", "out"]);
    assert_eq!(outside["status"], "rejected", "{outside}");
    assert_eq!(outside["geofence"], "outside");
    assert_eq!(outside["kind"], "check_out");
    assert!(outside["distance_m"].as_f64().expect("distance") > 2_000.0);

    // Garbage selfie bytes and NaN coordinates: typed errors, exit 1, nothing appended.
    let garbage = folder.path().join("garbage.jpg");
    std::fs::write(&garbage, b"these bytes are not a photo").expect("written");
    let failed = siperlu(&check_in_arguments(
        &data_dir,
        &garbage.display().to_string(),
        "-5.1477",
        "8",
    ));
    assert!(!failed.status.success(), "{}", text(&failed));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("Foto tidak dapat dibaca."),
        "{}",
        text(&failed)
    );
    let mut arguments = check_in_arguments(&data_dir, &selfie_a, "NaN", "8");
    arguments.extend(["--locale", "en"]);
    let failed = siperlu(&arguments);
    assert!(!failed.status.success(), "{}", text(&failed));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("The GPS location is invalid."),
        "{}",
        text(&failed)
    );
    assert_eq!(record_count(&data_dir), 4);

    // The signed chain in the store verifies with the device's public key.
    let vault: Arc<dyn KeyVault> = Arc::new(
        SoftwareVault::open_key_file(&Path::new(&data_dir).join("vault.key")).expect("key file"),
    );
    let store = Store::open(&Path::new(&data_dir).join("siperlu.db"), vault).expect("opens");
    let identity = store.device().expect("identity");
    let rows = store.records(1, 100).expect("records");
    let bytes: Vec<&[u8]> = rows.iter().map(|row| row.bytes.as_slice()).collect();
    let report = verify_chain(identity.device_id, &identity.public_key, None, &bytes);
    assert!(report.is_clean(), "{:?}", report.findings);
}

#[test]
fn check_in_text_is_indonesian() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = set_up_phone(folder.path());
    let output = succeed(&check_in_arguments(
        &data_dir,
        &photo("32bit.png"),
        "-5.1477",
        "8",
    ));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Presensi diterima\n"), "{stdout}");
    assert!(stdout.contains("Hari presensi "), "{stdout}");
    assert!(stdout.contains("BKPSDM Kota Makassar"), "{stdout}");
    assert!(
        stdout.contains("(akurasi 8,0 m)"),
        "Indonesian text uses a decimal comma: {stdout}"
    );
}

#[test]
fn check_in_input_errors_are_catalog_texts() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = set_up_phone(folder.path());
    let missing = folder.path().join("missing.jpg").display().to_string();
    let output = siperlu(&check_in_arguments(&data_dir, &missing, "-5.1477", "8"));
    assert!(!output.status.success(), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("Berkas foto {missing} tidak dapat dibuka")),
        "{}",
        text(&output)
    );

    // A negative accuracy reaches the fix check instead of being read as an option.
    let output = siperlu(&check_in_arguments(
        &data_dir,
        &photo("obama.jpg"),
        "-5.1477",
        "-3",
    ));
    assert!(!output.status.success(), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Lokasi dari GPS tidak valid"),
        "{}",
        text(&output)
    );
    assert!(!stderr.contains("unexpected argument"), "{}", text(&output));
    assert_eq!(record_count(&data_dir), 0);
}

#[test]
fn check_in_far_and_inaccurate_texts() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = set_up_phone(folder.path());

    // About 17 km south of the fence: the distance is in kilometres.
    let far = check_in(&data_dir, &photo("obama.jpg"), "-5.3", &[]);
    let outside = far["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|reason| reason["id"] == "geofence.outside")
        .expect("outside reason")
        .clone();
    let outside_text = outside["id_text"].as_str().expect("text");
    assert!(outside_text.contains(" km di luar area"), "{outside_text}");
    let output = succeed(&check_in_arguments(
        &data_dir,
        &photo("obama.jpg"),
        "-5.3",
        "8",
    ));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(" km, lokasi "), "summary in km: {stdout}");

    // An accuracy circle of 5 km: the uncertain verdict already reports the poor accuracy, so
    // the location flag is not shown again.
    let selfie = photo("obama.jpg");
    let mut arguments = check_in_arguments(&data_dir, &selfie, "-5.1477", "5000");
    arguments.push("--json");
    let output = succeed(&arguments);
    let inaccurate: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("check-in prints JSON");
    let ids = reason_ids(&inaccurate);
    assert!(ids.contains(&"geofence.uncertain".to_string()), "{ids:?}");
    assert!(
        !ids.contains(&"location.poor_accuracy".to_string()),
        "{ids:?}"
    );
}

#[test]
fn check_in_without_setup_fails() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone").display().to_string();
    succeed(&["device", "init", "--data-dir", &data_dir]);
    let output = siperlu(&check_in_arguments(
        &data_dir,
        &photo("obama.jpg"),
        "-5.1477",
        "8",
    ));
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("NIP belum diisi."),
        "{}",
        text(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("device enroll --nip"),
        "the simulator names the option that sets the NIP: {}",
        text(&output)
    );
    assert_eq!(record_count(&data_dir), 0);

    // Enrolled, but no configuration yet: name the commands that store one.
    succeed(&[
        "device",
        "enroll",
        "--data-dir",
        &data_dir,
        "--nip",
        "198503152010011002",
        "--photo",
        &photo("obama.jpg"),
        "--photo",
        &photo("obama2.jpg"),
        "--photo",
        &photo("obama3.jpg"),
    ]);
    let output = siperlu(&check_in_arguments(
        &data_dir,
        &photo("obama.jpg"),
        "-5.1477",
        "8",
    ));
    assert!(!output.status.success(), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("device config import") && stderr.contains("device register"),
        "{}",
        text(&output)
    );
    assert_eq!(record_count(&data_dir), 0);
}

#[test]
fn check_in_help_lists_json_fields() {
    let output = succeed(&["device", "check-in", "--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    for field in [
        "status",
        "retry_advised",
        "record_id",
        "attendance_day",
        "distance_m",
    ] {
        assert!(help.contains(field), "--help does not list {field}\n{help}");
    }
}

#[test]
fn simulator_keeps_real_server_key() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = set_up_phone(folder.path());

    // Pin another key id, as a registration with a real server would.
    let vault: Arc<dyn KeyVault> = Arc::new(
        SoftwareVault::open_key_file(&Path::new(&data_dir).join("vault.key")).expect("key file"),
    );
    let mut store = Store::open(&Path::new(&data_dir).join("siperlu.db"), vault).expect("opens");
    store
        .pin_server_key(&siperlu_core::signed::PinnedKey {
            key_id: "server-2026-12".to_string(),
            public_key: vec![9; 32],
        })
        .expect("pins");
    drop(store);

    let offices = folder.path().join("offices.json");
    let output = siperlu(&[
        "device",
        "config",
        "import",
        "--data-dir",
        &data_dir,
        "--offices",
        &offices.display().to_string(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("server-2026-12"),
        "{}",
        text(&output)
    );
}
