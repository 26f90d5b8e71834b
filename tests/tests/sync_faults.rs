//! Fault tests of the sync client on loopback: a real server started in-process with a real
//! SQLite file, a phone with a real store enrolled from real photos, and a TCP proxy between
//! them that drops connections, delays, answers 500 and drops answers after the server stored
//! the batch. Only the phone's camera and GPS are simulated: the fault records are written to
//! the store directly with a fix at the office, as a check-in would write them.
//!
//! Each test watches the outbox states every record passes through (the observer is told
//! after the store has the state, and checks the store agrees), then checks that the server
//! holds every record exactly once and the phone has every record acknowledged.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use siperlu_core::device::{Device, SystemClock};
use siperlu_core::face::{FaceEngine, FaceEngineConfig};
use siperlu_core::location::Fix;
use siperlu_core::plan::{PlanItem, PlanStatus, default_cutoff};
use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordFace, RecordGeofence, RecordLocation,
};
use siperlu_core::store::{OutboxState, Store};
use siperlu_core::sync::{SyncClient, SyncError, SyncObserver, SyncOptions};
use siperlu_core::time::TimeSource;
use siperlu_core::vault::SoftwareVault;
use siperlu_tests::{Admin, Fault, FaultProxy, TestServer, photo_bytes};
use uuid::Uuid;

use OutboxState::{Acknowledged, Pending, Rejected, Sent};

const NIP: &str = "198708172010011003";
/// Another valid NIP, for a record the server must refuse.
const OTHER_NIP: &str = "199001012015022001";
/// Centre of the test office (illustrative coordinates in Sidoarjo, East Java).
const LAT: f64 = -7.4470;
const LON: f64 = 112.7183;

fn engine() -> Arc<FaceEngine> {
    static ENGINE: OnceLock<Arc<FaceEngine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Arc::new(
                FaceEngine::new(FaceEngineConfig::default())
                    .expect("face models; run scripts/setup first"),
            )
        })
        .clone()
}

/// Options with short timeouts and backoff, so that faults cost milliseconds. The 2 s timeout
/// leaves room for a debug-build server on a loaded machine.
fn fast_options(max_attempts: u32) -> SyncOptions {
    SyncOptions {
        connect_timeout_ms: 2_000,
        request_timeout_ms: 2_000,
        max_attempts,
        backoff_base_ms: 10,
        backoff_max_ms: 100,
        batch_size: 100,
    }
}

/// Records every state change per record, and checks the store agrees at that moment.
struct StateLog {
    device: Arc<Device>,
    states: Mutex<HashMap<Uuid, Vec<OutboxState>>>,
}

impl SyncObserver for StateLog {
    fn record_state_changed(&self, record_id: Uuid, state: OutboxState) {
        let stored = self
            .device
            .history(1_000)
            .expect("history")
            .into_iter()
            .find(|entry| entry.record_id == record_id)
            .map(|entry| entry.sync_state);
        assert_eq!(
            stored,
            Some(state),
            "the store has the state before the observer hears of it"
        );
        self.states
            .lock()
            .expect("states")
            .entry(record_id)
            .or_default()
            .push(state);
    }
}

impl StateLog {
    fn new(device: &Arc<Device>) -> Arc<StateLog> {
        Arc::new(StateLog {
            device: device.clone(),
            states: Mutex::new(HashMap::new()),
        })
    }

    fn of(&self, record_id: Uuid) -> Vec<OutboxState> {
        self.states
            .lock()
            .expect("states")
            .get(&record_id)
            .cloned()
            .unwrap_or_default()
    }
}

/// A phone: initialised, NIP set, face enrolled from three real photos, registered with the
/// server (directly, not through the proxy).
struct Phone {
    folder: tempfile::TempDir,
    device: Arc<Device>,
}

impl Phone {
    fn registered(server: &TestServer, code: &str) -> Phone {
        let phone = Phone::enrolled();
        SyncClient::new(phone.device.clone(), &server.url(), fast_options(3))
            .expect("client")
            .register(code)
            .expect("register");
        phone
    }

    /// Creates a phone initialised, with its NIP set and a face enrolled, not yet registered.
    fn enrolled() -> Phone {
        let folder = tempfile::tempdir().expect("temp dir");
        let vault =
            SoftwareVault::create_key_file(&folder.path().join("vault.key")).expect("vault key");
        let device = Arc::new(
            Device::open(
                folder.path(),
                Arc::new(vault),
                engine(),
                Arc::new(SystemClock),
            )
            .expect("open device"),
        );
        device.initialise().expect("initialise");
        device.set_nip(NIP).expect("set NIP");
        let photos = [
            photo_bytes("obama.jpg"),
            photo_bytes("obama2.jpg"),
            photo_bytes("32bit.png"),
        ];
        let refs: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
        device.enroll_face(&refs).expect("enroll face");
        Phone { folder, device }
    }

    /// Opens a second connection to the phone's store, as the check-in screen's writer.
    fn store(&self) -> Store {
        open_store(self.folder.path())
    }

    /// Appends `count` check-ins at the office (GPS and face simulated) and returns their ids
    /// in sequence order. `nip_of` may give a record another NIP than the phone's.
    fn append_records(&self, count: usize, nip_of: impl Fn(usize) -> String) -> Vec<Uuid> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let records = (0..count)
            .map(|index| record(nip_of(index), now_ms - (count - index) as i64 * 60_000))
            .collect();
        self.store()
            .append_records(records, now_ms)
            .expect("append records")
            .into_iter()
            .map(|stored| stored.record_id)
            .collect()
    }

    fn states(&self) -> HashMap<Uuid, (OutboxState, Option<String>)> {
        self.device
            .history(10_000)
            .expect("history")
            .into_iter()
            .map(|entry| (entry.record_id, (entry.sync_state, entry.reject_reason)))
            .collect()
    }
}

fn open_store(folder: &Path) -> Store {
    let vault = SoftwareVault::open_key_file(&folder.join("vault.key")).expect("vault");
    Store::open(&folder.join("siperlu.db"), Arc::new(vault)).expect("open store")
}

fn record(nip: String, time_ms: i64) -> AttendanceRecord {
    AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id: Uuid::now_v7(),
        device_id: Uuid::nil(),
        nip,
        kind: AttendanceKind::CheckIn,
        wall_clock_ms: time_ms,
        elapsed_ms: 1_000_000,
        boot_id: "boot-test".into(),
        trusted_time_ms: time_ms,
        trusted_uncertainty_ms: 0,
        time_source: TimeSource::WallClock,
        anchor: None,
        zone_offset_minutes: 420,
        location: RecordLocation {
            latitude_e7: (LAT * 1e7).round() as i32,
            longitude_e7: (LON * 1e7).round() as i32,
            accuracy_mm: 8_000,
            fix_time_ms: time_ms - 2_000,
            provider: "gps".into(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Inside,
            office_id: "KB-UJI".into(),
            distance_mm: 0,
        },
        face: RecordFace {
            matched: true,
            score_milli: 720,
            liveness_milli: 980,
            active_liveness: ActiveLiveness::Passed,
        },
        reasons: Vec::new(),
        template_id: "template-test".into(),
        model_ids: vec!["fr_feature".into()],
        sequence: 0,
        previous_hash: GENESIS_HASH,
    }
}

/// Sets up a server, a proxy in front of its record upload, and a registered phone.
fn setup(office_code: &str) -> (TestServer, FaultProxy, Phone) {
    let server = TestServer::start();
    let code = Admin::login(&server.url()).office_asn_and_code(office_code, NIP, LAT, LON);
    let proxy = FaultProxy::start(&server.runtime, server.address, "/api/v1/records");
    let phone = Phone::registered(&server, &code);
    (server, proxy, phone)
}

/// Checks that the server stores exactly `ids`, each once.
fn assert_stored_once(server: &TestServer, ids: &[Uuid]) {
    let stored = server.stored_record_ids();
    assert_eq!(stored.len(), ids.len(), "server holds every record");
    let mut expected: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    expected.sort();
    let found: Vec<String> = stored.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(found, expected);
    assert!(
        stored.iter().all(|(_, count)| *count == 1),
        "no record stored twice"
    );
}

#[test]
fn upload_survives_every_fault() {
    let (server, proxy, phone) = setup("KB-UJI");
    let ids = phone.append_records(250, |_| NIP.to_string());
    proxy.push_faults(&[
        Fault::DropConnection,
        Fault::Answer500,
        Fault::DropResponse,
        Fault::Delay(Duration::from_millis(4_000)),
    ]);

    let log = StateLog::new(&phone.device);
    let client = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(8))
        .expect("client")
        .with_observer(log.clone());
    let report = client.sync().expect("sync succeeds once the faults stop");

    // The first batch met all four faults. The server stored it on the third attempt, whose
    // response was lost, so the fifth attempt got `duplicate` for all 100.
    assert_eq!(
        proxy.applied("/api/v1/records"),
        [
            Fault::DropConnection,
            Fault::Answer500,
            Fault::DropResponse,
            Fault::Delay(Duration::from_millis(4_000)),
            Fault::Pass,
            Fault::Pass,
            Fault::Pass
        ]
    );
    assert_eq!(report.duplicates, 100);
    assert_eq!(report.accepted, 150);
    assert_eq!(report.batches_sent, 7);
    assert_eq!(report.retries, 4);
    assert!(report.rejected.is_empty());

    for id in &ids[..100] {
        assert_eq!(
            log.of(*id),
            [
                Sent,
                Pending,
                Sent,
                Pending,
                Sent,
                Pending,
                Sent,
                Pending,
                Sent,
                Acknowledged
            ],
            "record {id} of the first batch"
        );
    }
    for id in &ids[100..] {
        assert_eq!(log.of(*id), [Sent, Acknowledged], "record {id}");
    }

    assert_stored_once(&server, &ids);
    let states = phone.states();
    assert!(ids.iter().all(|id| states[id].0 == Acknowledged));
}

#[test]
fn killed_sync_resumes_with_duplicates() {
    let (server, proxy, phone) = setup("KB-RESUME");
    let ids = phone.append_records(30, |_| NIP.to_string());

    // Run 1: the server stores the batch but the response is lost, and this run gives up.
    proxy.push_faults(&[Fault::DropResponse]);
    let log = StateLog::new(&phone.device);
    let error = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(1))
        .expect("client")
        .with_observer(log.clone())
        .sync()
        .expect_err("the only attempt lost its answer");
    assert!(
        matches!(error, SyncError::Unreachable { attempts: 1, .. }),
        "{error}"
    );
    assert!(ids.iter().all(|id| log.of(*id) == [Sent, Pending]));
    assert_eq!(
        server.stored_record_ids().len(),
        30,
        "the server kept the batch"
    );

    // A process killed after sending leaves the batch `sent`: write that state as it would.
    open_store(phone.folder.path())
        .mark_sent(&ids, chrono::Utc::now().timestamp_millis())
        .expect("mark sent");

    // Run 2 (a new process) puts the stranded batch back and sends it again.
    let log = StateLog::new(&phone.device);
    let report = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3))
        .expect("client")
        .with_observer(log.clone())
        .sync()
        .expect("resumed sync");
    assert_eq!(report.duplicates, 30);
    assert_eq!(report.accepted, 0);
    assert!(
        ids.iter()
            .all(|id| log.of(*id) == [Pending, Sent, Acknowledged])
    );
    assert_stored_once(&server, &ids);
    assert!(
        phone
            .states()
            .values()
            .all(|(state, _)| *state == Acknowledged)
    );
}

#[test]
fn rejected_record_keeps_reason() {
    let (server, proxy, phone) = setup("KB-TOLAK");
    let ids = phone.append_records(3, |index| {
        if index == 1 { OTHER_NIP } else { NIP }.to_string()
    });

    let log = StateLog::new(&phone.device);
    let report = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3))
        .expect("client")
        .with_observer(log.clone())
        .sync()
        .expect("sync");
    assert_eq!(report.accepted, 2);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].record_id, ids[1]);
    assert_eq!(report.rejected[0].reason_id, "ingest.nip_mismatch");

    assert_eq!(log.of(ids[0]), [Sent, Acknowledged]);
    assert_eq!(log.of(ids[1]), [Sent, Rejected]);
    assert_eq!(log.of(ids[2]), [Sent, Acknowledged]);
    let states = phone.states();
    assert_eq!(
        states[&ids[1]],
        (Rejected, Some("ingest.nip_mismatch".to_string()))
    );
    assert_stored_once(&server, &[ids[0], ids[2]]);

    // A later run sends nothing again: rejected is final.
    let again = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3))
        .expect("client")
        .sync()
        .expect("second sync");
    assert_eq!(again.batches_sent, 0);
}

#[test]
fn lost_registration_answer_retried() {
    let server = TestServer::start();
    let code = Admin::login(&server.url()).office_asn_and_code("KB-DAFTAR", NIP, LAT, LON);
    let proxy = FaultProxy::start(&server.runtime, server.address, "/api/v1/devices/register");
    proxy.push_faults(&[Fault::DropResponse]);
    let phone = Phone::enrolled();

    // The server registers the phone, the proxy drops its response, and the client sends the
    // same request again with the same code.
    let registered = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3))
        .expect("client")
        .register(&code)
        .expect("the repeated registration succeeds");
    assert_eq!(
        proxy.applied("/api/v1/devices/register"),
        [Fault::DropResponse, Fault::Pass]
    );
    let identity = phone.device.identity().expect("identity");
    assert_eq!(registered.device_id, identity.device_id);

    // The registered phone syncs, so the configuration and the pinned key are in place.
    phone.append_records(2, |_| NIP.to_string());
    let report = SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3))
        .expect("client")
        .sync()
        .expect("sync");
    assert_eq!(report.accepted, 2);
}

#[test]
fn refused_plan_not_resent() {
    let (server, _proxy, phone) = setup("KB-RENCANA");

    // Saved at 01:00 WIT on 5 December, which the phone accepts in zone WIT. The server
    // dates the plan in the office's zone (WIB), where it is still 4 December, so it
    // rejects the revision with plan.not_today.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
    let saved_ms = chrono::DateTime::parse_from_rfc3339("2026-12-05T01:00:00+09:00")
        .expect("time")
        .timestamp_millis();
    let items = vec![PlanItem {
        title: "Menyusun laporan".into(),
        expected_output: "Laporan bulanan".into(),
        window: None,
        status: PlanStatus::Planned,
        note: String::new(),
    }];
    let zone = siperlu_core::time::parse_office_zone("WIT").expect("zone");
    phone
        .store()
        .save_plan(NIP, day, items, saved_ms, zone, default_cutoff())
        .expect("the phone accepts the plan in its own zone");

    let client =
        SyncClient::new(phone.device.clone(), &server.url(), fast_options(3)).expect("client");
    let first = client.sync().expect("first sync");
    assert_eq!(first.plans_pushed, 0);
    assert_eq!(first.plans_refused, ["2026-12-05 #1: plan.not_today"]);
    let refused = phone.store().refused_plans(10).expect("refused plans");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].day, day);
    assert_eq!(refused[0].revision, 1);
    assert_eq!(refused[0].reason_id, "plan.not_today");
    assert!(
        phone
            .store()
            .unsynced_plans(10)
            .expect("unsynced")
            .is_empty()
    );

    // The next run does not offer the refused revision again.
    let second = client.sync().expect("second sync");
    assert_eq!(second.plans_pushed, 0);
    assert!(
        second.plans_refused.is_empty(),
        "{:?}",
        second.plans_refused
    );
    assert_eq!(phone.store().refused_plans(10).expect("refused").len(), 1);
}

#[test]
fn config_from_other_key_rejected() {
    let (_server, _proxy, phone) = setup("KB-ASLI");
    let cached = phone
        .device
        .current_config()
        .expect("config")
        .expect("cached config");

    // A second server with its own key registers this phone's public key through a genuine
    // registration. Its documents are signed by a key the phone never pinned.
    let other = TestServer::start();
    let code = Admin::login(&other.url()).office_asn_and_code("KB-LAIN", NIP, LAT, LON);
    let identity = phone.device.identity().expect("identity");
    let body = serde_json::json!({
        "enrollment_code": code, "nip": NIP,
        "device_public_key": identity.public_key.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "template_id": phone.device.enrolled_template_id().expect("template").expect("enrolled"),
        "device_id": identity.device_id.to_string(),
    });
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/devices/register", other.url()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .expect("register on the other server")
        .status();
    assert_eq!(status.as_u16(), 201);

    let client =
        SyncClient::new(phone.device.clone(), &other.url(), fast_options(2)).expect("client");
    let error = client
        .fetch_config()
        .expect_err("foreign key must be refused");
    assert!(
        matches!(
            &error,
            SyncError::UntrustedSignature { document: "the configuration", pinned_key_id, .. }
                if pinned_key_id.starts_with("server-")
        ),
        "{error}"
    );
    assert_eq!(error.message_id(), "sync.untrusted_server");
    let error = client.sync().expect_err("the time anchor is refused too");
    assert!(
        matches!(error, SyncError::UntrustedSignature { .. }),
        "{error}"
    );
    assert_eq!(
        phone.device.current_config().expect("config"),
        Some(cached),
        "the cached configuration stays in use"
    );
}

#[test]
fn slow_anchor_is_recognised() {
    let server = TestServer::start();
    let code = Admin::login(&server.url()).office_asn_and_code("KB-WAKTU", NIP, LAT, LON);
    let proxy = FaultProxy::start(&server.runtime, server.address, "/api/v1/time");
    let phone = Phone::registered(&server, &code);

    // The anchor request takes 300 ms, as on a slow mobile network, so half its round trip
    // is far from zero.
    proxy.push_faults(&[Fault::Delay(Duration::from_millis(300))]);
    let client =
        SyncClient::new(phone.device.clone(), &proxy.url(), fast_options(3)).expect("client");
    let anchor = client.sync().expect("sync").anchor.expect("anchor fetched");
    assert!(anchor.round_trip_uncertainty_ms >= 150, "{anchor:?}");

    // A check-in made with that anchor names the anchor the server issued.
    let now_ms = chrono::Utc::now().timestamp_millis();
    let fix = Fix::from_degrees(LAT, LON, 8.0, now_ms, "gps", false).expect("fix");
    let selfie = photo_bytes("obama3.jpg");
    let outcome = phone
        .device
        .check_in(AttendanceKind::CheckIn, &[&selfie], fix)
        .expect("check-in");
    client.sync().expect("second sync");

    let connection = rusqlite::Connection::open(&server.db_path).expect("open server db");
    let (time_source, flags): (String, String) = connection
        .query_row(
            "SELECT time_source, flags FROM records WHERE id = ?1",
            [outcome.record_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("record stored");
    assert_eq!(time_source, TimeSource::ServerAnchor.name());
    assert!(!flags.contains("ingest.unknown_anchor"), "{flags}");
    assert!(!flags.contains("ingest.time_mismatch"), "{flags}");
}
