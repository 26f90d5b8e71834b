//! The journey of scripts/demo as a test, through the same APIs the demo's CLI calls: a real
//! server on 127.0.0.1 with a real SQLite file, the admin JSON API, a phone with a real store
//! and the real face engine on real photos, and the sync client. Only the phone's camera (the
//! photo files) and GPS (the fixes below) are simulated.

use std::sync::Arc;

use serde_json::{Value, json};
use siperlu_core::device::{CheckInOutcome, CheckInStatus, Device, SystemClock};
use siperlu_core::face::{FaceEngine, FaceEngineConfig};
use siperlu_core::location::Fix;
use siperlu_core::plan::{PlanItem, PlanStatus, TimeWindow};
use siperlu_core::record::AttendanceKind;
use siperlu_core::store::OutboxState;
use siperlu_core::sync::{SyncClient, SyncOptions};
use siperlu_core::vault::SoftwareVault;
use siperlu_tests::{Admin, TestServer, photo_bytes};

const NIP: &str = "198708172010011003";
/// Kantor Bupati Sidoarjo; illustrative coordinates, as in scripts/demo.
const INSIDE: (f64, f64) = (-7.4470, 112.7183);
const OUTSIDE: (f64, f64) = (-7.4560, 112.7183);
const POLYGON: [(f64, f64); 4] = [
    (-7.4457, 112.7170),
    (-7.4457, 112.7196),
    (-7.4483, 112.7196),
    (-7.4483, 112.7170),
];

fn created(answer: (u16, Value), what: &str) -> Value {
    assert_eq!(answer.0, 201, "{what}: {}", answer.1);
    answer.1
}

fn check_in(device: &Device, photo: &str, at: (f64, f64), mock: bool) -> CheckInOutcome {
    let selfie = photo_bytes(photo);
    let now_ms = chrono::Utc::now().timestamp_millis();
    let provider = if mock { "mock" } else { "gps" };
    let fix = Fix::from_degrees(at.0, at.1, 8.0, now_ms, provider, mock).expect("fix");
    device
        .check_in(AttendanceKind::CheckIn, &[&selfie], fix)
        .expect("check-in is recorded")
}

fn reason_ids(outcome: &CheckInOutcome) -> Vec<&str> {
    outcome
        .reasons
        .iter()
        .map(|reason| reason.id.as_str())
        .collect()
}

#[test]
fn demo_journey_end_to_end() {
    // Server and admin setup.
    let server = TestServer::start();
    let admin = Admin::login(&server.url());
    let opd = created(
        admin.call(
            "POST",
            "/api/v1/admin/opd",
            Some(json!({"name": "Sekretariat Daerah Kabupaten Sidoarjo"})),
        ),
        "OPD",
    );
    let exterior: Vec<Value> = POLYGON
        .iter()
        .map(|(lat, lon)| json!({"lat": lat, "lon": lon}))
        .collect();
    let office = created(
        admin.call(
            "POST",
            "/api/v1/admin/offices",
            Some(json!({"code": "KB-SDA", "name": "Kantor Bupati Sidoarjo", "opd_id": opd["id"],
                "time_zone": "Asia/Jakarta", "fences": [{"type": "polygon", "exterior": exterior}]})),
        ),
        "office",
    );
    assert_eq!(office["time_zone"], "Asia/Jakarta");
    created(
        admin.call(
            "POST",
            "/api/v1/admin/asn",
            Some(json!({"nip": NIP, "name": "Budi Santoso", "opd_id": opd["id"]})),
        ),
        "ASN",
    );
    let today = chrono::Utc::now().date_naive();
    created(
        admin.call(
            "POST",
            "/api/v1/admin/assignments",
            Some(json!({"nip": NIP, "office_id": office["id"],
                "valid_from": (today - chrono::Duration::days(1)).to_string(),
                "valid_until": (today + chrono::Duration::days(30)).to_string()})),
        ),
        "assignment",
    );
    let code = created(
        admin.call(
            "POST",
            "/api/v1/admin/enrollment-codes",
            Some(json!({"nip": NIP, "valid_minutes": 30})),
        ),
        "enrollment code",
    )["code"]
        .as_str()
        .expect("code")
        .to_string();

    // The phone: initialise, enroll from three real photos, register, first sync.
    let folder = tempfile::tempdir().expect("temp dir");
    let vault = SoftwareVault::create_key_file(&folder.path().join("vault.key")).expect("vault");
    let engine =
        FaceEngine::new(FaceEngineConfig::default()).expect("face models; run scripts/setup");
    let device = Arc::new(
        Device::open(
            folder.path(),
            Arc::new(vault),
            Arc::new(engine),
            Arc::new(SystemClock),
        )
        .expect("open device"),
    );
    let identity = device.initialise().expect("initialise");
    device.set_nip(NIP).expect("NIP");
    let enrollment = [
        photo_bytes("obama.jpg"),
        photo_bytes("obama2.jpg"),
        photo_bytes("32bit.png"),
    ];
    let refs: Vec<&[u8]> = enrollment.iter().map(Vec::as_slice).collect();
    assert_eq!(device.enroll_face(&refs).expect("enroll").photo_count, 3);

    let client =
        SyncClient::new(device.clone(), &server.url(), SyncOptions::default()).expect("client");
    let registered = client.register(&code).expect("register");
    assert_eq!(registered.device_id, identity.device_id);
    assert!(registered.server_key_id.starts_with("server-"));
    assert_eq!(registered.config.assignment.offices.len(), 1);
    assert_eq!(registered.config.assignment.offices[0].id, "KB-SDA");
    let first = client.sync().expect("first sync");
    assert!(first.anchor.is_some(), "a time anchor was stored");
    assert_eq!(first.batches_sent, 0);

    // Four check-ins.
    let accepted = check_in(&device, "obama3.jpg", INSIDE, false);
    assert_eq!(
        accepted.status,
        CheckInStatus::Accepted,
        "{:?}",
        reason_ids(&accepted)
    );
    assert!(!reason_ids(&accepted).contains(&"time.no_anchor"));

    let other_face = check_in(&device, "biden.jpg", INSIDE, false);
    assert_eq!(other_face.status, CheckInStatus::Rejected);
    assert!(
        reason_ids(&other_face).contains(&"face.no_match"),
        "{:?}",
        reason_ids(&other_face)
    );

    let outside = check_in(&device, "obama3.jpg", OUTSIDE, false);
    assert_eq!(outside.status, CheckInStatus::Rejected);
    assert!(
        reason_ids(&outside).contains(&"geofence.outside"),
        "{:?}",
        reason_ids(&outside)
    );

    let mocked = check_in(&device, "obama3.jpg", INSIDE, true);
    assert_eq!(mocked.status, CheckInStatus::Flagged);
    assert!(
        reason_ids(&mocked).contains(&"location.mock_provider"),
        "{:?}",
        reason_ids(&mocked)
    );

    // Today's plan, then the sync that carries everything.
    device
        .set_today_plan(vec![
            PlanItem {
                title: "Rapat koordinasi pelayanan publik".into(),
                expected_output: "Notulen rapat".into(),
                window: Some(TimeWindow {
                    start_minute: 480,
                    end_minute: 600,
                }),
                status: PlanStatus::Planned,
                note: String::new(),
            },
            PlanItem {
                title: "Verifikasi usulan kenaikan pangkat".into(),
                expected_output: "Daftar usulan terverifikasi".into(),
                window: None,
                status: PlanStatus::Planned,
                note: String::new(),
            },
        ])
        .expect("plan");
    let report = client.sync().expect("sync");
    assert_eq!(report.accepted, 4);
    assert_eq!(report.plans_pushed, 1);
    assert!(report.rejected.is_empty());
    let history = device.history(10).expect("history");
    assert_eq!(history.len(), 4);
    assert!(
        history
            .iter()
            .all(|entry| entry.sync_state == OutboxState::Acknowledged)
    );

    // What the admin sees.
    let (status, list) = admin.call("GET", "/api/v1/admin/checkins", None);
    assert_eq!(status, 200);
    let rows = list.as_array().expect("list");
    assert_eq!(rows.len(), 4);
    let row = |outcome: &CheckInOutcome| {
        rows.iter()
            .find(|row| row["id"] == outcome.record_id.to_string())
            .unwrap_or_else(|| panic!("record {} on the server", outcome.record_id))
    };
    let flags = |row: &Value| row["flags"].as_str().unwrap_or("").to_string();

    let shown = row(&accepted);
    assert_eq!(shown["server_verdict"], "inside");
    assert_eq!(shown["latitude_e7"], -74_470_000);
    assert_eq!(shown["longitude_e7"], 1_127_183_000);
    assert_eq!(shown["nip"], NIP);
    assert_eq!(shown["office_name"], "Kantor Bupati Sidoarjo");

    let shown = row(&other_face);
    assert!(
        flags(shown).contains("ingest.face_not_matched"),
        "{}",
        flags(shown)
    );

    let shown = row(&outside);
    assert_eq!(shown["server_verdict"], "outside");
    assert_eq!(shown["device_verdict"], "outside");
    let distance_m = shown["distance_m"].as_f64().expect("distance");
    assert!(
        (800.0..900.0).contains(&distance_m),
        "{distance_m} m outside the polygon"
    );

    let shown = row(&mocked);
    assert!(
        flags(shown).contains("location.mock_provider"),
        "{}",
        flags(shown)
    );

    // The admin page responds at the address the demo prints.
    let page = reqwest::blocking::get(format!("{}/admin", server.url())).expect("admin page");
    assert!(
        page.status().is_success() || page.status().is_redirection(),
        "{}",
        page.status()
    );
}
