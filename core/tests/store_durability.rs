//! Durability of the offline store on real SQLite files: a process killed while appending keeps
//! every record whose append had returned, with the hash chain intact, and damaged files give a
//! typed error instead of a panic.
//!
//! The killed process is this test binary itself, started again to run the ignored test
//! `append_loop_child`, which appends records until it is killed with SIGKILL.
//!
//! NOTE: SIGKILL leaves the kernel's page cache intact, so the kill test checks that appends are
//! atomic and the chain consistent. Surviving a power cut rests on `synchronous=FULL`, which
//! cannot be tested here.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation, verify_chain,
};
use siperlu_core::store::{Store, StoreError};
use siperlu_core::time::TimeSource;
use siperlu_core::vault::{KeyVault, SoftwareVault};
use uuid::Uuid;

const CHILD_DIR_ENV: &str = "SIPERLU_APPEND_LOOP_DIR";
const PRINT_PREFIX: &str = "appended sequence ";

fn open_store(folder: &Path) -> Result<Store, StoreError> {
    let vault: Arc<dyn KeyVault> =
        Arc::new(SoftwareVault::open_key_file(&folder.join("vault.key")).expect("key file opens"));
    Store::open(&folder.join("siperlu.db"), vault)
}

fn create_store(folder: &Path) -> Store {
    SoftwareVault::create_key_file(&folder.join("vault.key")).expect("key file is created");
    let mut store = open_store(folder).expect("new store opens");
    store.init_device(1).expect("device initialises");
    store
}

fn new_record(now_ms: i64) -> AttendanceRecord {
    AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id: Uuid::now_v7(),
        device_id: Uuid::nil(),
        nip: "198507252010012003".to_string(),
        kind: AttendanceKind::CheckIn,
        wall_clock_ms: now_ms,
        elapsed_ms: 1_000,
        boot_id: "boot".to_string(),
        trusted_time_ms: now_ms,
        trusted_uncertainty_ms: 500,
        time_source: TimeSource::ServerAnchor,
        anchor: Some(RecordAnchor {
            server_time_ms: now_ms - 1_000,
            elapsed_ms: 0,
            round_trip_uncertainty_ms: 500,
        }),
        zone_offset_minutes: 480,
        location: RecordLocation {
            latitude_e7: -51_476_000,
            longitude_e7: 1_194_328_000,
            accuracy_mm: 9_000,
            fix_time_ms: now_ms,
            provider: "gps".to_string(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Inside,
            office_id: "opd-1".to_string(),
            distance_mm: 1_000,
        },
        face: RecordFace {
            matched: true,
            score_milli: 700,
            liveness_milli: 950,
            active_liveness: ActiveLiveness::NotRun,
        },
        reasons: vec![],
        template_id: "tpl-1".to_string(),
        model_ids: vec![],
        sequence: 0,
        previous_hash: GENESIS_HASH,
    }
}

/// Appends records until killed, printing each sequence number once its append has returned.
#[test]
#[ignore = "run by killed_appender_keeps_returned_records as its child process"]
fn append_loop_child() {
    let Some(folder) = std::env::var_os(CHILD_DIR_ENV) else {
        return;
    };
    let mut store = open_store(Path::new(&folder)).expect("child opens the store");
    for now_ms in 1.. {
        let stored = store
            .append_record(new_record(now_ms), now_ms)
            .expect("append succeeds");
        // stdout is line-buffered, so the line leaves the process as soon as it is printed.
        println!("{PRINT_PREFIX}{}", stored.sequence);
    }
}

/// Starts the child, reads `kill_after` returned sequence numbers, kills it with SIGKILL, and
/// returns every sequence number it printed (lines still in the pipe included).
fn run_and_kill_child(folder: &Path, kill_after: usize) -> Vec<u64> {
    let mut child = Command::new(std::env::current_exe().expect("test binary path"))
        .args([
            "append_loop_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR_ENV, folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();

    let mut returned = Vec::new();
    while returned.len() < kill_after {
        let line = lines
            .next()
            .expect("child prints until killed")
            .expect("child output is UTF-8");
        if let Some(sequence) = line.strip_prefix(PRINT_PREFIX) {
            returned.push(sequence.parse().expect("sequence number"));
        }
    }

    // Child::kill sends SIGKILL on Unix: no destructor, no SQLite close, no checkpoint.
    child.kill().expect("child is killed");
    for line in lines {
        let Ok(line) = line else { break };
        if let Some(sequence) = line.strip_prefix(PRINT_PREFIX) {
            returned.push(sequence.parse().expect("sequence number"));
        }
    }
    let status = child.wait().expect("child is reaped");
    assert!(
        !status.success(),
        "the child died from the kill, not by finishing"
    );
    returned
}

#[test]
fn killed_appender_keeps_returned_records() {
    let folder = tempfile::tempdir().expect("temp dir");
    let device = create_store(folder.path()).device().expect("device");

    let mut all_returned = Vec::new();
    for kill_after in [40, 75, 20] {
        let returned = run_and_kill_child(folder.path(), kill_after);
        assert!(
            returned.len() >= kill_after,
            "child printed {} sequence numbers",
            returned.len()
        );
        all_returned.extend(returned);

        let store = open_store(folder.path()).expect("store opens after the kill");
        let stored = store.records(1, usize::MAX >> 1).expect("records read");
        for sequence in &all_returned {
            assert!(
                stored.iter().any(|record| record.sequence == *sequence),
                "record {sequence} was returned by append but is missing after the kill"
            );
        }

        let bytes: Vec<&[u8]> = stored
            .iter()
            .map(|record| record.bytes.as_slice())
            .collect();
        let report = verify_chain(device.device_id, &device.public_key, None, &bytes);
        assert!(
            report.is_clean(),
            "chain findings after the kill: {:?}",
            report.findings
        );
        assert_eq!(
            report.state,
            store.chain_head().expect("head reads"),
            "chain head matches the last row"
        );
        store.check_integrity().expect("SQLite pages are intact");
    }
}

#[test]
fn garbage_file_is_corrupt_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    SoftwareVault::create_key_file(&folder.path().join("vault.key")).expect("key file");
    let garbage: Vec<u8> = (0..8192u32)
        .map(|index| (index.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(folder.path().join("siperlu.db"), garbage).expect("write");

    let error = open_store(folder.path()).expect_err("garbage is not a database");
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(
        error.to_string().contains("siperlu.db"),
        "the message names the file: {error}"
    );
}

#[test]
fn damaged_pages_are_typed_errors() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut store = create_store(folder.path());
    for now_ms in 0..300 {
        store
            .append_record(new_record(now_ms), now_ms)
            .expect("appends");
    }
    // Closing the last connection checkpoints the WAL into the main file.
    drop(store);

    let path = folder.path().join("siperlu.db");
    let mut bytes = std::fs::read(&path).expect("read");
    assert!(
        bytes.len() > 16 * 4096,
        "the store spans many pages ({} bytes)",
        bytes.len()
    );
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 8192] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("write");

    // The header is intact, so the file opens; reading the damaged pages must fail cleanly.
    let store = open_store(folder.path()).expect("header still opens");
    let integrity = store.check_integrity();
    assert!(
        matches!(integrity, Err(StoreError::Corrupt { .. })),
        "{integrity:?}"
    );
    // Reading every record either fails with a typed error or skips nothing silently.
    match store.records(1, 1_000) {
        Ok(records) => assert_eq!(
            records.len(),
            300,
            "a successful read must return every record"
        ),
        Err(error) => assert!(
            matches!(error, StoreError::Sqlite(_) | StoreError::Corrupt { .. }),
            "{error:?}"
        ),
    }
}

#[test]
fn truncated_file_is_typed_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut store = create_store(folder.path());
    for now_ms in 0..300 {
        store
            .append_record(new_record(now_ms), now_ms)
            .expect("appends");
    }
    drop(store);

    let path = folder.path().join("siperlu.db");
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 3]).expect("write");

    let outcome = open_store(folder.path()).and_then(|store| {
        store.check_integrity()?;
        store.records(1, 1_000)
    });
    assert!(
        outcome.is_err(),
        "a file cut to a third must not read as a whole store"
    );
}
