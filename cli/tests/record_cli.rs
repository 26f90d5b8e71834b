//! Drives the built `siperlu` binary: `device init` creates a data folder, a record appended to
//! its store is exported with `record export` and checked with `record verify`, and a changed
//! byte makes `record verify` fail with the catalog's verdict.
//!
//! The record is appended through siperlu-core directly, because the check-in command (face,
//! geofence and time together) is not part of this test.

mod common;

use common::{siperlu, text};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation,
};
use siperlu_core::store::Store;
use siperlu_core::time::TimeSource;
use siperlu_core::vault::{KeyVault, SoftwareVault};

fn append_one_record(data_dir: &Path) {
    append_record(data_dir, true);
}

/// Appends one check-out record inside the fence, whose face matched or not.
fn append_record(data_dir: &Path, face_matched: bool) {
    let vault: Arc<dyn KeyVault> =
        Arc::new(SoftwareVault::open_key_file(&data_dir.join("vault.key")).expect("key file"));
    let mut store = Store::open(&data_dir.join("siperlu.db"), vault).expect("store opens");
    let record = AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id: uuid::Uuid::now_v7(),
        device_id: uuid::Uuid::nil(),
        nip: "199203152019032004".to_string(),
        kind: AttendanceKind::CheckOut,
        wall_clock_ms: 1_796_380_000_000,
        elapsed_ms: 7_000_000,
        boot_id: "boot-a".to_string(),
        trusted_time_ms: 1_796_380_000_100,
        trusted_uncertainty_ms: 300,
        time_source: TimeSource::ServerAnchor,
        anchor: Some(RecordAnchor {
            server_time_ms: 1_796_379_000_100,
            elapsed_ms: 6_000_000,
            round_trip_uncertainty_ms: 200,
        }),
        zone_offset_minutes: 540,
        location: RecordLocation {
            latitude_e7: -25_333_000,
            longitude_e7: 1_407_167_000,
            accuracy_mm: 6_000,
            fix_time_ms: 1_796_379_999_000,
            provider: "gps".to_string(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Inside,
            office_id: "opd-setda-jayapura".to_string(),
            distance_mm: 4_000,
        },
        face: RecordFace {
            matched: face_matched,
            score_milli: 790,
            liveness_milli: 960,
            active_liveness: ActiveLiveness::Passed,
        },
        reasons: vec![],
        template_id: "tpl-1".to_string(),
        model_ids: vec![],
        sequence: 0,
        previous_hash: GENESIS_HASH,
    };
    store
        .append_record(record, 1_796_380_000_100)
        .expect("record appends");
}

#[test]
fn init_export_verify() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let data_dir_text = data_dir.to_str().expect("UTF-8 path");

    let init = siperlu(&["device", "init", "--data-dir", data_dir_text, "--json"]);
    assert!(init.status.success(), "{}", text(&init));
    let identity: serde_json::Value =
        serde_json::from_slice(&init.stdout).expect("init prints JSON");
    let public_key = identity["public_key"]
        .as_str()
        .expect("public key")
        .to_string();
    assert_eq!(public_key.len(), 64);

    let again = siperlu(&["device", "init", "--data-dir", data_dir_text]);
    assert!(
        !again.status.success(),
        "a second init must fail: {}",
        text(&again)
    );

    append_one_record(&data_dir);
    let records = siperlu(&["device", "records", "--data-dir", data_dir_text, "--json"]);
    assert!(records.status.success(), "{}", text(&records));
    let listed: serde_json::Value =
        serde_json::from_slice(&records.stdout).expect("records prints JSON");
    assert_eq!(listed[0]["state"], "pending");
    assert_eq!(listed[0]["record"]["kind"], "check_out");

    let exported = folder.path().join("record.hex");
    let exported_text = exported.to_str().expect("UTF-8 path");
    let export = siperlu(&[
        "record",
        "export",
        "--data-dir",
        data_dir_text,
        "--sequence",
        "1",
        "--output",
        exported_text,
        "--hex",
    ]);
    assert!(export.status.success(), "{}", text(&export));

    let verify = siperlu(&[
        "record",
        "verify",
        exported_text,
        "--public-key",
        &public_key,
        "--json",
    ]);
    assert!(verify.status.success(), "{}", text(&verify));
    let verdict: serde_json::Value =
        serde_json::from_slice(&verify.stdout).expect("verify prints JSON");
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["record"]["sequence"], 1);

    let verify_with_store = siperlu(&[
        "record",
        "verify",
        exported_text,
        "--data-dir",
        data_dir_text,
    ]);
    assert!(
        verify_with_store.status.success(),
        "{}",
        text(&verify_with_store)
    );

    // Change one hex digit inside the wall clock field (byte 65 of the body).
    let mut hex_text = std::fs::read_to_string(&exported).expect("read export");
    let position = 65 * 2;
    let flipped = if &hex_text[position..position + 1] == "0" {
        "1"
    } else {
        "0"
    };
    hex_text.replace_range(position..position + 1, flipped);
    let tampered = folder.path().join("tampered.hex");
    std::fs::write(&tampered, hex_text).expect("write");
    let rejected = siperlu(&[
        "record",
        "verify",
        tampered.to_str().expect("UTF-8 path"),
        "--public-key",
        &public_key,
    ]);
    assert!(
        !rejected.status.success(),
        "a changed record must not verify: {}",
        text(&rejected)
    );
    let stderr = String::from_utf8_lossy(&rejected.stderr);
    assert!(
        stderr.contains("Tanda tangan catatan presensi tidak cocok"),
        "{stderr}"
    );
}

#[test]
fn verify_rejects_bad_inputs() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("junk.bin");
    std::fs::write(&file, b"SPRCjunk").expect("write");
    let key = "00".repeat(32);

    let malformed = siperlu(&[
        "record",
        "verify",
        file.to_str().expect("UTF-8 path"),
        "--public-key",
        &key,
    ]);
    assert!(!malformed.status.success());
    assert!(
        String::from_utf8_lossy(&malformed.stderr).contains("rusak"),
        "{}",
        text(&malformed)
    );

    let short_key = siperlu(&[
        "record",
        "verify",
        file.to_str().expect("UTF-8 path"),
        "--public-key",
        "abcd",
    ]);
    assert!(!short_key.status.success());
    assert!(
        String::from_utf8_lossy(&short_key.stderr).contains("32 bytes"),
        "{}",
        text(&short_key)
    );

    let missing = siperlu(&[
        "device",
        "records",
        "--data-dir",
        folder.path().join("nowhere").to_str().expect("UTF-8 path"),
    ]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("device init"),
        "{}",
        text(&missing)
    );
}

#[test]
fn passphrase_vault_checks_passphrase() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let data_dir = data_dir.to_str().expect("UTF-8 path");
    let passphrase = "kata-sandi-kantor-2026";

    let init = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args([
            "device",
            "init",
            "--data-dir",
            data_dir,
            "--passphrase-env",
            "TEST_VAULT_PASSPHRASE",
        ])
        .env("TEST_VAULT_PASSPHRASE", passphrase)
        .output()
        .expect("siperlu runs");
    assert!(init.status.success(), "{}", text(&init));
    assert!(
        folder.path().join("phone/vault.params").is_file(),
        "salt and iterations are stored"
    );
    assert!(
        !folder.path().join("phone/vault.key").exists(),
        "no key file for a passphrase vault"
    );

    // Saving a plan signs with the device key, so it needs the right passphrase.
    let plan = |passphrase: &str| {
        Command::new(env!("CARGO_BIN_EXE_siperlu"))
            .args([
                "device",
                "plan",
                "set",
                "--data-dir",
                data_dir,
                "--nip",
                "199001012015031001",
                "--item",
                "Apel pagi",
            ])
            .env("SIPERLU_VAULT_PASSPHRASE", passphrase)
            .output()
            .expect("siperlu runs")
    };
    let wrong = plan("salah");
    assert!(
        !wrong.status.success(),
        "a wrong passphrase must fail: {}",
        text(&wrong)
    );
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase or key file"),
        "{}",
        text(&wrong)
    );
    let right = plan(passphrase);
    assert!(right.status.success(), "{}", text(&right));
}

#[test]
fn passphrase_env_everywhere_wrong_refused() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let data_dir = data_dir.to_str().expect("UTF-8 path");
    let passphrase = "kata-sandi-kantor-2026";
    let run = |arguments: &[&str], variable: &str, value: &str| {
        Command::new(env!("CARGO_BIN_EXE_siperlu"))
            .args(arguments)
            .env_remove("SIPERLU_VAULT_PASSPHRASE")
            .env(variable, value)
            .output()
            .expect("siperlu runs")
    };

    let init = run(
        &[
            "device",
            "init",
            "--data-dir",
            data_dir,
            "--passphrase-env",
            "MY_PASS",
        ],
        "MY_PASS",
        passphrase,
    );
    assert!(init.status.success(), "{}", text(&init));
    let offices = folder.path().join("offices.json");
    std::fs::write(
        &offices,
        r#"{"offices": [{"id": "kantor", "name": "Kantor", "time_zone": "WIB",
  "fences": [{"type": "circle", "center": {"lat": -6.2, "lon": 106.8}, "radius_m": 100}]}]}"#,
    )
    .expect("offices written");
    let offices = offices.to_str().expect("UTF-8 path");

    // A wrong passphrase fails before anything is written, in every command.
    let import = [
        "device",
        "config",
        "import",
        "--data-dir",
        data_dir,
        "--offices",
        offices,
        "--nip",
        "199001012015031001",
    ];
    for arguments in [
        &["device", "records", "--data-dir", data_dir][..],
        &import[..],
    ] {
        let wrong = run(arguments, "SIPERLU_VAULT_PASSPHRASE", "salah-sekali");
        assert!(!wrong.status.success(), "{arguments:?}: {}", text(&wrong));
        assert!(
            String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase or key file"),
            "{arguments:?}: {}",
            text(&wrong)
        );
    }

    // The variable named at init is read again with --passphrase-env, by any subcommand.
    let records = run(
        &[
            "device",
            "records",
            "--data-dir",
            data_dir,
            "--passphrase-env",
            "MY_PASS",
        ],
        "MY_PASS",
        passphrase,
    );
    assert!(records.status.success(), "{}", text(&records));
    let mut with_variable = import.to_vec();
    with_variable.extend(["--passphrase-env", "MY_PASS"]);
    let imported = run(&with_variable, "MY_PASS", passphrase);
    assert!(imported.status.success(), "{}", text(&imported));
}

#[test]
fn records_text_shows_local_outcome_and_sync_state() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let data_dir_text = data_dir.to_str().expect("UTF-8 path");
    let init = siperlu(&["device", "init", "--data-dir", data_dir_text]);
    assert!(init.status.success(), "{}", text(&init));
    append_record(&data_dir, false);

    let records = siperlu(&["device", "records", "--data-dir", data_dir_text]);
    assert!(records.status.success(), "{}", text(&records));
    let line = String::from_utf8_lossy(&records.stdout).trim().to_string();
    let columns: Vec<&str> = line.split('\t').collect();
    // A face that did not match is a rejected attempt, even inside the fence and unsent.
    assert_eq!(
        columns[4..],
        ["rejected", "face=no_match", "fence=inside", "sync=pending"],
        "{line}"
    );
}
