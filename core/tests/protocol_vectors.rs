//! The test vectors of docs/PROTOCOL.md: generated here from a fixed Ed25519 seed, compared with
//! the document byte for byte (so the document cannot drift from the code), and checked by a
//! second implementation, scripts/verify_vectors.py, which decodes and verifies them with the
//! Python `cryptography` package.
//!
//! To rewrite the document's vector section after a deliberate format change:
//! `SIPERLU_UPDATE_VECTORS=1 cargo test -p siperlu-core --test protocol_vectors`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use chrono::DateTime;
use ring::signature::{Ed25519KeyPair, KeyPair};
use siperlu_core::plan::{PlanItem, PlanRevision, PlanStatus, SignedPlanRevision, TimeWindow};
use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation, SignedRecord,
    verify_chain,
};
use siperlu_core::signed::SignedEnvelope;
use siperlu_core::time::{TimePolicy, TimeSource, UNBOUNDED_UNCERTAINTY_MS, estimate_trusted_time};
use uuid::Uuid;

const BEGIN: &str = "<!-- BEGIN GENERATED VECTORS -->";
const END: &str = "<!-- END GENERATED VECTORS -->";

/// Seed of the vector key: the bytes 0x00, 0x01, ..., 0x1f.
fn seed() -> [u8; 32] {
    std::array::from_fn(|index| index as u8)
}

fn ms(text: &str) -> i64 {
    DateTime::parse_from_rfc3339(text)
        .expect("vector timestamp parses")
        .timestamp_millis()
}

fn protocol_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/PROTOCOL.md")
}

fn device_id() -> Uuid {
    Uuid::parse_str("5a1e0c3e-7d2b-4f0a-9c41-0b9e2f6d8a17").expect("valid uuid")
}

/// Builds the three record vectors: one device's records 1, 2 and 3.
fn vector_records() -> Vec<(&'static str, AttendanceRecord)> {
    let check_in = AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id: Uuid::parse_str("01938f3a-1c00-7a11-8b00-000000000001").expect("uuid"),
        device_id: device_id(),
        nip: "199001012015031001".to_string(),
        kind: AttendanceKind::CheckIn,
        wall_clock_ms: ms("2026-12-04T07:28:05+07:00"),
        elapsed_ms: 86_400_123,
        boot_id: "3f2c9a4e-1b7d-4c2a-8e5f-6a0b1c2d3e4f".to_string(),
        trusted_time_ms: ms("2026-12-04T07:28:04.250+07:00"),
        // The anchor an hour earlier: 52 ms half round trip plus 100 ppm of an hour.
        trusted_uncertainty_ms: 412,
        time_source: TimeSource::ServerAnchor,
        anchor: Some(RecordAnchor {
            server_time_ms: ms("2026-12-04T06:28:04.250+07:00"),
            elapsed_ms: 82_800_123,
            round_trip_uncertainty_ms: 52,
        }),
        zone_offset_minutes: 420,
        location: RecordLocation {
            latitude_e7: -61_754_000,
            longitude_e7: 1_068_272_000,
            accuracy_mm: 8_500,
            fix_time_ms: ms("2026-12-04T07:28:02+07:00"),
            provider: "gps".to_string(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Inside,
            office_id: "opd-diskominfo-jakarta".to_string(),
            distance_mm: 23_410,
        },
        face: RecordFace {
            matched: true,
            score_milli: 812,
            liveness_milli: 974,
            active_liveness: ActiveLiveness::Passed,
        },
        reasons: vec![],
        template_id: "tpl-01938f39".to_string(),
        model_ids: vec![
            "fr_feature.onnx:5d1a".to_string(),
            "fr_liveness.onnx:9e07".to_string(),
        ],
        sequence: 1,
        previous_hash: GENESIS_HASH,
    };

    let check_out = AttendanceRecord {
        record_id: Uuid::parse_str("01938f3a-1c00-7a11-8b00-000000000002").expect("uuid"),
        kind: AttendanceKind::CheckOut,
        // The same anchor, 30,338,879 ms of elapsed time later: 52 ms plus 3033 ms of drift.
        wall_clock_ms: ms("2026-12-04T15:53:44+08:00"),
        elapsed_ms: 113_139_002,
        trusted_time_ms: ms("2026-12-04T15:53:43.129+08:00"),
        trusted_uncertainty_ms: 3_085,
        zone_offset_minutes: 480,
        location: RecordLocation {
            latitude_e7: -51_476_000,
            longitude_e7: 1_194_328_000,
            accuracy_mm: 35_000,
            fix_time_ms: ms("2026-12-04T15:53:30+08:00"),
            provider: "fused".to_string(),
            mock: true,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Outside,
            office_id: "opd-bkd-makassar".to_string(),
            distance_mm: -1_250_000,
        },
        face: RecordFace {
            matched: true,
            score_milli: 655,
            liveness_milli: 901,
            active_liveness: ActiveLiveness::NotRun,
        },
        reasons: vec!["geofence.outside".to_string(), "location.mock".to_string()],
        sequence: 2,
        ..check_in.clone()
    };

    let wall_clock = AttendanceRecord {
        record_id: Uuid::parse_str("01938f3a-1c00-7a11-8b00-000000000003").expect("uuid"),
        kind: AttendanceKind::CheckIn,
        wall_clock_ms: ms("2026-12-05T07:31:00+09:00"),
        elapsed_ms: 41_000,
        boot_id: "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".to_string(),
        trusted_time_ms: ms("2026-12-05T07:31:00+09:00"),
        trusted_uncertainty_ms: UNBOUNDED_UNCERTAINTY_MS,
        time_source: TimeSource::WallClock,
        anchor: None,
        zone_offset_minutes: 540,
        location: RecordLocation {
            latitude_e7: -25_333_000,
            longitude_e7: 1_407_167_000,
            accuracy_mm: 120_000,
            fix_time_ms: ms("2026-12-05T07:30:41+09:00"),
            provider: "gps".to_string(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Uncertain,
            office_id: "opd-setda-jayapura".to_string(),
            distance_mm: 40_000,
        },
        face: RecordFace {
            matched: false,
            score_milli: -87,
            liveness_milli: 120,
            active_liveness: ActiveLiveness::Failed,
        },
        reasons: vec![
            "face.no_match".to_string(),
            "face.not_live".to_string(),
            "time.no_anchor".to_string(),
        ],
        sequence: 3,
        ..check_in.clone()
    };

    vec![
        (
            "check-in inside the fence, WIB, time from a server anchor",
            check_in,
        ),
        (
            "check-out outside the fence with a mock fix, WITA",
            check_out,
        ),
        (
            "failed check-in after a reboot, WIT, time from the wall clock",
            wall_clock,
        ),
    ]
}

fn vector_plan() -> PlanRevision {
    PlanRevision {
        device_id: device_id(),
        nip: "199001012015031001".to_string(),
        day: chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"),
        revision: 2,
        created_ms: ms("2026-12-04T07:40:00+07:00"),
        items: vec![
            PlanItem {
                title: "Verifikasi berkas kenaikan pangkat".to_string(),
                expected_output: "12 berkas terverifikasi".to_string(),
                window: Some(TimeWindow {
                    start_minute: 8 * 60,
                    end_minute: 11 * 60 + 30,
                }),
                status: PlanStatus::Done,
                note: String::new(),
            },
            PlanItem {
                title: "Rapat koordinasi OPD".to_string(),
                expected_output: "Notulen rapat".to_string(),
                window: None,
                status: PlanStatus::NotDone,
                note: "ditunda ke Senin".to_string(),
            },
        ],
    }
}

fn hex_block(label: &str, bytes: &[u8]) -> String {
    let hex = hex::encode(bytes);
    let mut block = format!("```hex {label}\n");
    for chunk in hex.as_bytes().chunks(64) {
        block.push_str(std::str::from_utf8(chunk).expect("hex is ASCII"));
        block.push('\n');
    }
    block.push_str("```\n");
    block
}

/// Builds the generated section of docs/PROTOCOL.md.
fn generated_section() -> String {
    let key_pair = Ed25519KeyPair::from_seed_unchecked(&seed()).expect("32-byte seed");
    let public_key = key_pair.public_key().as_ref().to_vec();
    let mut text = String::new();
    writeln!(text, "{BEGIN}").expect("write to string");
    writeln!(
        text,
        "\nAll vectors are signed by the Ed25519 key whose seed is the bytes 0x00 to 0x1f.\n"
    )
    .expect("write");
    text.push_str(&hex_block("seed", &seed()));
    text.push('\n');
    text.push_str(&hex_block("public_key", &public_key));

    let mut previous = GENESIS_HASH;
    for (index, (title, mut record)) in vector_records().into_iter().enumerate() {
        record.previous_hash = previous;
        let signed = SignedRecord::sign(&record, &key_pair).expect("vector record is valid");
        previous = signed.hash();

        writeln!(text, "\n### Record vector {}: {title}\n", index + 1).expect("write");
        let fields = serde_json::to_string_pretty(&record.to_json()).expect("JSON");
        writeln!(text, "```json fields\n{fields}\n```\n").expect("write");
        writeln!(text, "Body, {} bytes:\n", signed.body().len()).expect("write");
        text.push_str(&hex_block("body", signed.body()));
        text.push_str("\nSignature:\n\n");
        text.push_str(&hex_block("signature", signed.signature()));
        text.push_str("\nRecord hash, the SHA-256 of body and signature:\n\n");
        text.push_str(&hex_block("hash", &signed.hash()));
    }

    let plan = SignedPlanRevision::sign(&vector_plan(), &key_pair).expect("vector plan is valid");
    let plan_bytes = plan.as_bytes();
    writeln!(text, "\n### Plan revision vector\n").expect("write");
    writeln!(
        text,
        "Revision 2 of the plan for 2026-12-04 of the same NIP and device: a first item done between \
         08:00 and 11:30, a second item not done. Body, {} bytes:\n",
        plan_bytes.len() - 64
    )
    .expect("write");
    text.push_str(&hex_block(
        "plan_body",
        &plan_bytes[..plan_bytes.len() - 64],
    ));
    text.push_str("\nSignature:\n\n");
    text.push_str(&hex_block(
        "plan_signature",
        &plan_bytes[plan_bytes.len() - 64..],
    ));

    let envelope = SignedEnvelope::sign(
        "server-2026-12",
        br#"{"offices":[],"max_clock_skew_ms":120000}"#,
        &key_pair,
    )
    .expect("vector envelope is valid")
    .encode();
    writeln!(text, "\n### Signed envelope vector\n").expect("write");
    writeln!(
        text,
        "Key id `server-2026-12`, payload `{{\"offices\":[],\"max_clock_skew_ms\":120000}}`, signed \
         by the same key. The whole envelope, {} bytes, the signature being its last 64:\n",
        envelope.len()
    )
    .expect("write");
    text.push_str(&hex_block("envelope", &envelope));
    writeln!(text, "\n{END}").expect("write");
    text
}

#[test]
fn vector_times_recompute_from_anchor() {
    for (title, record) in vector_records() {
        let Some(anchor) = record.anchor else {
            assert_eq!(record.time_source, TimeSource::WallClock, "{title}");
            continue;
        };
        let trusted = estimate_trusted_time(
            &record.clock_reading(),
            Some(&anchor.to_time_anchor(&record.boot_id)),
            None,
            &TimePolicy::default(),
        );
        assert_eq!(trusted.time_ms, record.trusted_time_ms, "{title}");
        assert_eq!(
            trusted.uncertainty_ms, record.trusted_uncertainty_ms,
            "{title}"
        );
        assert!(trusted.flags.is_empty(), "{title}: {:?}", trusted.flags);
    }
}

#[test]
fn vectors_chain_and_verify() {
    let key_pair = Ed25519KeyPair::from_seed_unchecked(&seed()).expect("32-byte seed");
    let mut previous = GENESIS_HASH;
    let mut signed_records = Vec::new();
    for (_, mut record) in vector_records() {
        record.previous_hash = previous;
        let signed = SignedRecord::sign(&record, &key_pair).expect("vector record is valid");
        previous = signed.hash();
        signed_records.push(signed);
    }
    let bytes: Vec<&[u8]> = signed_records
        .iter()
        .map(|signed| signed.as_bytes())
        .collect();
    let report = verify_chain(device_id(), key_pair.public_key().as_ref(), None, &bytes);
    assert!(report.is_clean(), "{:?}", report.findings);
}

#[test]
fn protocol_doc_matches_code() {
    let path = protocol_path();
    let document = std::fs::read_to_string(&path).expect("docs/PROTOCOL.md is readable");
    let start = document
        .find(BEGIN)
        .expect("PROTOCOL.md has the BEGIN marker");
    let end = document.find(END).expect("PROTOCOL.md has the END marker") + END.len() + 1;
    let generated = generated_section();

    if std::env::var_os("SIPERLU_UPDATE_VECTORS").is_some() {
        let updated = format!(
            "{}{}{}",
            &document[..start],
            generated,
            &document[end.min(document.len())..]
        );
        std::fs::write(&path, updated).expect("PROTOCOL.md is writable");
        return;
    }
    assert!(
        document[start..end.min(document.len())] == generated,
        "the vectors in docs/PROTOCOL.md differ from what the code produces; if the format change \
         is deliberate, run SIPERLU_UPDATE_VECTORS=1 cargo test -p siperlu-core --test protocol_vectors"
    );
}

#[test]
fn python_verifies_vectors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let pylib = siperlu_core::assets::cache_dir().join("pylib");
    let mut python_path = pylib.into_os_string();
    if let Some(existing) = std::env::var_os("PYTHONPATH") {
        python_path.push(":");
        python_path.push(existing);
    }

    let output = Command::new("python3")
        .arg(root.join("scripts/verify_vectors.py"))
        .arg(protocol_path())
        .env("PYTHONPATH", python_path)
        .output()
        .expect("python3 runs; install Python 3 and run scripts/setup");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "scripts/verify_vectors.py failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("5 vectors verified"),
        "unexpected output:\n{stdout}"
    );
}
