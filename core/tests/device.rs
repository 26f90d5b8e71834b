//! The check-in flow of the device API on the real face models, the real test photos and a
//! real SQLite store. obama, obama2, obama3 and 32bit.png show one person (A), biden.jpg
//! another (B). Run `scripts/setup` first; a missing asset fails the test with that advice.
//!
//! A phone's camera, GPS and clocks cannot exist here: the photo files stand in for the camera
//! frames, each `Fix` stands in for a GPS fix, and `TestClock` for Android's wall clock,
//! `elapsedRealtime` and boot id.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use siperlu_core::device::{
    CheckInStatus, Device, DeviceConfig, DeviceError, PlatformClock, STORE_FILE, ShiftConfig,
    TimePolicyConfig,
};
use siperlu_core::face::{FaceEngine, FaceEngineConfig, FacePolicy};
use siperlu_core::geofence::{Assignment, Fence, LatLon, Office, OfficeZone};
use siperlu_core::location::{Fix, LocationPolicy};
use siperlu_core::plan::{PlanItem, PlanStatus};
use siperlu_core::record::{AttendanceKind, GeofenceCode, verify_chain};
use siperlu_core::signed::{PinnedKey, SignedEnvelope};
use siperlu_core::store::Store;
use siperlu_core::time::TimeAnchor;
use siperlu_core::vault::{KeyVault, SoftwareVault};

const NIP: &str = "198503152010011002";
/// A closed port: these tests never reach a server.
const TEST_SERVER_URL: &str = "http://127.0.0.1:9";
const BOOT: &str = "5d7c1f0e-3b2a-4c9d-8e1f-0a1b2c3d4e5f";
/// Centre of the test office fence (a 100 m circle in Makassar, WITA).
const OFFICE_LAT: f64 = -5.1477;
const OFFICE_LON: f64 = 119.4327;

fn engine() -> Arc<FaceEngine> {
    static ENGINE: OnceLock<Arc<FaceEngine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Arc::new(
                FaceEngine::new(FaceEngineConfig::default()).unwrap_or_else(|error| {
                    panic!("face engine failed to load: {error}; run scripts/setup")
                }),
            )
        })
        .clone()
}

fn photo(relative: &str) -> Vec<u8> {
    let path = siperlu_core::assets::test_photo(relative);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!(
            "test photo {} is missing ({error}); run scripts/setup",
            path.display()
        )
    })
}

/// Stands in for the phone's clocks; the test moves them.
struct TestClock {
    state: Mutex<(i64, i64)>,
}

impl TestClock {
    fn new(wall_clock_ms: i64) -> Arc<TestClock> {
        Arc::new(TestClock {
            state: Mutex::new((wall_clock_ms, 3_600_000)),
        })
    }

    /// Lets `elapsed_ms` pass on both clocks, then moves the wall clock by `wall_shift_ms`.
    fn advance(&self, elapsed_ms: i64, wall_shift_ms: i64) {
        let mut state = self.state.lock().expect("clock lock");
        state.0 += elapsed_ms + wall_shift_ms;
        state.1 += elapsed_ms;
    }
}

impl PlatformClock for TestClock {
    fn wall_clock_ms(&self) -> i64 {
        self.state.lock().expect("clock lock").0
    }
    fn elapsed_since_boot_ms(&self) -> i64 {
        self.state.lock().expect("clock lock").1
    }
    fn boot_id(&self) -> String {
        BOOT.to_string()
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

fn ms(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("test timestamp parses")
        .timestamp_millis()
}

fn office(id: &str, zone: OfficeZone, lat: f64, lon: f64) -> Office {
    Office {
        id: id.to_string(),
        name: format!("Kantor {id}"),
        time_zone: zone,
        fences: vec![Fence::Circle {
            center: LatLon { lat, lon },
            radius_m: 100.0,
        }],
    }
}

/// A phone with a device identity, a registered NIP, a pinned server key and a signed
/// configuration for `office`.
struct Phone {
    device: Device,
    clock: Arc<TestClock>,
    vault: Arc<dyn KeyVault>,
    folder: tempfile::TempDir,
}

fn phone(office: Office, wall_clock_ms: i64) -> Phone {
    phone_with_shift(office, wall_clock_ms, ShiftConfig::default())
}

fn phone_with_shift(office: Office, wall_clock_ms: i64, shift: ShiftConfig) -> Phone {
    let folder = tempfile::tempdir().expect("temp dir");
    let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[7; 32]));
    let clock = TestClock::new(wall_clock_ms);
    let device =
        Device::open(folder.path(), vault.clone(), engine(), clock.clone()).expect("device opens");
    let identity = device.initialise().expect("device initialises");
    device.set_nip(NIP).expect("NIP is set");

    let server_key = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .expect("key generates")
            .as_ref(),
    )
    .expect("key parses");
    let pinned = PinnedKey {
        key_id: "server-test".to_string(),
        public_key: server_key.public_key().as_ref().to_vec(),
    };
    // Registration itself happens in `enroll_person_a`, because the server accepts a phone
    // only with an enrolled face.
    device.pin_server_key(&pinned).expect("server key pinned");
    let config = DeviceConfig {
        format: 1,
        issued_at_ms: wall_clock_ms,
        device_id: identity.device_id.to_string(),
        nip: NIP.to_string(),
        assignment: Assignment {
            offices: vec![office],
            dinas_luar: vec![],
        },
        location_policy: LocationPolicy::default(),
        face_policy: FacePolicy::default(),
        time_policy: TimePolicyConfig::default(),
        plan_cutoff: siperlu_core::plan::default_cutoff(),
        shift,
    };
    let envelope = SignedEnvelope::sign("server-test", &config.to_json_bytes(), &server_key)
        .expect("config signs");
    device
        .save_config(&envelope.encode())
        .expect("signed configuration is stored");
    Phone {
        device,
        clock,
        vault,
        folder,
    }
}

fn enroll_person_a(device: &Device) {
    let photos = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama2.jpg"),
        photo("face_recognition/obama3.jpg"),
    ];
    let refs: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
    let outcome = device.enroll_face(&refs).expect("person A enrolls");
    assert_eq!(outcome.photo_count, 3);
    assert!(outcome.active, "the first enrollment is used at once");
    assert_eq!(
        device.enrolled_template_id().expect("reads"),
        Some(outcome.template_id.clone())
    );
    register_template(device, &outcome.template_id);
}

/// Records a registration with `template_id`, as the sync client does once the server
/// accepted the enrollment code.
fn register_template(device: &Device, template_id: &str) {
    let key = device
        .server_key()
        .expect("reads the pinned key")
        .expect("the test phone pinned a server key");
    device
        .record_registration(TEST_SERVER_URL, &key, template_id)
        .expect("registration recorded");
}

/// Three different files of person B: the photo, a re-encoded copy and a mirror image, as a
/// colleague would take of himself with the ASN's phone.
fn person_b_photos() -> Vec<Vec<u8>> {
    let original = photo("face_recognition/biden.jpg");
    let image = image::load_from_memory(&original).expect("biden.jpg decodes");
    let encode = |image: &image::DynamicImage| {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image
            .to_rgb8()
            .write_to(&mut bytes, image::ImageFormat::Png)
            .expect("PNG encodes");
        bytes.into_inner()
    };
    vec![original, encode(&image), encode(&image.fliph())]
}

/// A fix `north_m` metres north of the office centre, as the GPS would report it now.
fn fix_at(clock: &TestClock, north_m: f64, mock: bool) -> Fix {
    let lat = OFFICE_LAT + north_m / 110_574.0;
    Fix::from_degrees(lat, OFFICE_LON, 8.0, clock.wall_clock_ms(), "gps", mock)
        .expect("fix is valid")
}

fn reason_ids(outcome: &siperlu_core::device::CheckInOutcome) -> Vec<&str> {
    outcome
        .reasons
        .iter()
        .map(|reason| reason.id.as_str())
        .collect()
}

fn record_count(phone: &Phone) -> usize {
    phone.device.history(1000).expect("history reads").len()
}

/// Verifies the whole chain of the phone's store with the device's public key.
fn assert_chain_valid(phone: &Phone) {
    let identity = phone.device.identity().expect("identity");
    let store = Store::open(&phone.folder.path().join(STORE_FILE), phone.vault.clone())
        .expect("store opens a second time");
    let rows = store.records(1, 1000).expect("records read");
    let bytes: Vec<&[u8]> = rows.iter().map(|row| row.bytes.as_slice()).collect();
    let report = verify_chain(identity.device_id, &identity.public_key, None, &bytes);
    assert!(report.is_clean(), "chain findings: {:?}", report.findings);
    assert_eq!(
        report.state.map(|state| state.sequence),
        Some(rows.len() as u64)
    );
}

#[test]
fn check_in_journey() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let device = &phone.device;
    enroll_person_a(device);
    let selfie_a = photo("face_recognition/32bit.png");

    // Person A inside the fence.
    let accepted = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&selfie_a],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(
        accepted.status,
        CheckInStatus::Accepted,
        "{:?}",
        accepted.reasons
    );
    assert_eq!(accepted.geofence, GeofenceCode::Inside);
    assert_eq!(accepted.sequence, 1);
    assert_eq!(accepted.office_id, "bkpsdm-makassar");
    assert_eq!(accepted.zone, OfficeZone::Wita);
    assert!(accepted.face_matched);
    assert_eq!(accepted.headline.id_text, "Presensi diterima");
    assert_eq!(reason_ids(&accepted), ["time.no_anchor"]);

    // Person B inside the fence: recorded, rejected for the face.
    phone.clock.advance(60_000, 0);
    let other = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/biden.jpg")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(other.status, CheckInStatus::Rejected);
    assert!(
        reason_ids(&other).contains(&"face.no_match"),
        "{:?}",
        other.reasons
    );
    assert!(!other.face_matched);
    assert_eq!(other.sequence, 2);

    // Person A with a mock location inside the fence: recorded and flagged.
    phone.clock.advance(60_000, 0);
    let mocked = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&selfie_a],
            fix_at(&phone.clock, 0.0, true),
        )
        .expect("well-formed check-in");
    assert_eq!(
        mocked.status,
        CheckInStatus::Flagged,
        "{:?}",
        mocked.reasons
    );
    assert!(reason_ids(&mocked).contains(&"location.mock_provider"));
    assert_eq!(
        mocked.headline.id_text,
        "Presensi tercatat, tetapi perlu diperiksa admin OPD."
    );

    // Person A 2 km outside the fence an hour later: recorded, rejected with the distance.
    phone.clock.advance(3_600_000, 0);
    let outside = device
        .check_in(
            AttendanceKind::CheckOut,
            &[&selfie_a],
            fix_at(&phone.clock, 2_000.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(
        outside.status,
        CheckInStatus::Rejected,
        "{:?}",
        outside.reasons
    );
    assert_eq!(outside.geofence, GeofenceCode::Outside);
    assert!(
        (outside.distance_m - 1_900.0).abs() < 5.0,
        "{}",
        outside.distance_m
    );
    assert!(reason_ids(&outside).contains(&"geofence.outside"));
    assert!(!outside.retry_advised, "outside is not a retry case");

    // The accuracy circle straddles the fence edge: rejected with retry advice.
    phone.clock.advance(60_000, 0);
    let straddling = device
        .check_in(
            AttendanceKind::CheckOut,
            &[&selfie_a],
            fix_at(&phone.clock, 100.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(straddling.status, CheckInStatus::Rejected);
    assert_eq!(straddling.geofence, GeofenceCode::Uncertain);
    assert!(straddling.retry_advised);
    assert!(reason_ids(&straddling).contains(&"device.retry"));

    // Garbage bytes as the selfie: a typed error, nothing appended.
    let before = record_count(&phone);
    let error = device
        .check_in(
            AttendanceKind::CheckIn,
            &[b"not a photo at all"],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect_err("garbage is not a photo");
    assert!(matches!(error, DeviceError::InvalidPhoto { .. }), "{error}");
    assert_eq!(error.message_id(), "device.invalid_photo");

    // Coordinates out of range: a typed error, nothing appended.
    let mut bad_fix = fix_at(&phone.clock, 0.0, false);
    bad_fix.latitude_e7 = 950_000_000;
    let error = device
        .check_in(AttendanceKind::CheckIn, &[&selfie_a], bad_fix)
        .expect_err("latitude 95 is invalid");
    assert!(matches!(error, DeviceError::InvalidFix { .. }), "{error}");
    assert_eq!(record_count(&phone), before);

    // History lists newest first with the sync state.
    let history = device.history(10).expect("history reads");
    let statuses: Vec<CheckInStatus> = history.iter().map(|entry| entry.status).collect();
    assert_eq!(
        statuses,
        [
            CheckInStatus::Rejected,
            CheckInStatus::Rejected,
            CheckInStatus::Flagged,
            CheckInStatus::Rejected,
            CheckInStatus::Accepted
        ]
    );
    assert_eq!(history[0].sequence, 5);
    assert_eq!(history[4].record_id, accepted.record_id);
    assert!(
        history
            .iter()
            .all(|entry| entry.sync_state.name() == "pending")
    );
    assert_eq!(device.history(2).expect("history reads").len(), 2);

    assert_chain_valid(&phone);
}

#[test]
fn clock_set_back_is_flagged() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    enroll_person_a(&phone.device);

    // The server anchor says the phone's clock was right at that moment.
    phone
        .device
        .save_time_anchor(&TimeAnchor {
            server_time_ms: phone.clock.wall_clock_ms(),
            elapsed_ms: phone.clock.elapsed_since_boot_ms(),
            boot_id: BOOT.to_string(),
            round_trip_uncertainty_ms: 40,
        })
        .expect("anchor stored");

    // Ten minutes later the owner sets the wall clock back one hour. The GPS fix time is
    // satellite time and stays right.
    phone.clock.advance(600_000, -3_600_000);
    let true_now_ms = phone.clock.wall_clock_ms() + 3_600_000;
    let mut fix = fix_at(&phone.clock, 0.0, false);
    fix.fix_time_ms = true_now_ms;
    let outcome = phone
        .device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/32bit.png")],
            fix,
        )
        .expect("well-formed check-in");
    assert_eq!(
        outcome.status,
        CheckInStatus::Flagged,
        "{:?}",
        outcome.reasons
    );
    assert!(reason_ids(&outcome).contains(&"time.clock_skew"));
    assert_eq!(
        outcome.trusted_time_ms, true_now_ms,
        "trusted time ignores the wall clock"
    );
    let skew = outcome
        .reasons
        .iter()
        .find(|reason| reason.id == "time.clock_skew")
        .expect("skew reason");
    assert!(skew.id_text.contains("2 menit"), "{}", skew.id_text);

    assert_chain_valid(&phone);
}

#[test]
fn attendance_day_follows_office_zone() {
    // 22:30 UTC on the 4th is 07:30 WIT on the 5th in Jayapura.
    let (lat, lon) = (-2.5337, 140.7181);
    let wit = office("bkd-jayapura", OfficeZone::Wit, lat, lon);
    let morning_ms = ms("2026-12-04T22:30:00Z");
    let phone = phone(wit, morning_ms);
    enroll_person_a(&phone.device);
    phone
        .device
        .save_time_anchor(&TimeAnchor {
            server_time_ms: morning_ms,
            elapsed_ms: phone.clock.elapsed_since_boot_ms(),
            boot_id: BOOT.to_string(),
            round_trip_uncertainty_ms: 40,
        })
        .expect("anchor stored");

    let fix = Fix::from_degrees(lat, lon, 8.0, morning_ms, "gps", false).expect("fix");
    let outcome = phone
        .device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/32bit.png")],
            fix,
        )
        .expect("well-formed check-in");
    assert_eq!(
        outcome.status,
        CheckInStatus::Accepted,
        "{:?}",
        outcome.reasons
    );
    assert_eq!(outcome.zone, OfficeZone::Wit);
    assert_eq!(outcome.attendance_day.to_string(), "2026-12-05");
    let history = phone.device.history(1).expect("history");
    assert_eq!(history[0].zone_offset_minutes, 540);
}

#[test]
fn missing_setup_is_typed_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[7; 32]));
    let clock = TestClock::new(now_ms());
    let device = Device::open(folder.path(), vault, engine(), clock.clone()).expect("opens");
    let selfie = photo("face_recognition/obama.jpg");
    let fix = || fix_at(&clock, 0.0, false);

    let error = device
        .check_in(AttendanceKind::CheckIn, &[&selfie], fix())
        .expect_err("no identity");
    assert_eq!(error.message_id(), "device.not_initialised");

    device.initialise().expect("initialises");
    let error = device
        .check_in(AttendanceKind::CheckIn, &[&selfie], fix())
        .expect_err("no NIP");
    assert!(matches!(error, DeviceError::NoNip), "{error}");

    let error = device.set_nip("12345").expect_err("short NIP");
    assert!(matches!(error, DeviceError::InvalidNip { .. }), "{error}");
    // Birth month 13: 18 digits, but the server would refuse it.
    let error = device
        .set_nip("198513152010011002")
        .expect_err("birth month 13");
    assert_eq!(error.message_id(), "nip.birth_date", "{error}");
    let text = error.message(siperlu_core::messages::Locale::En);
    assert!(text.contains("NIP 198513152010011002"), "{text}");
    device.set_nip(NIP).expect("NIP is set");
    let error = device
        .check_in(AttendanceKind::CheckIn, &[&selfie], fix())
        .expect_err("no configuration");
    assert!(matches!(error, DeviceError::NoConfig), "{error}");
    assert_eq!(
        error.message(siperlu_core::messages::Locale::En),
        "The office configuration has not been received from the server yet. Connect the phone to the internet, then try again."
    );

    let error = device
        .enroll_face(&[&selfie])
        .expect_err("one photo is too few");
    assert!(
        matches!(error, DeviceError::EnrollmentRejected { .. }),
        "{error}"
    );
    assert!(device.history(10).expect("history").is_empty());
}

#[test]
fn enrollment_names_rejected_photo() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let photos = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama_partial_face.jpg"),
        photo("face_recognition/obama3.jpg"),
    ];
    let refs: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
    let error = phone
        .device
        .enroll_face(&refs)
        .expect_err("the second photo cuts the face off");
    let DeviceError::EnrollmentRejected {
        photo_number,
        reason_id,
        ..
    } = &error
    else {
        panic!("expected an enrollment rejection, got {error:?}");
    };
    assert_eq!(*photo_number, Some(2));
    assert!(
        reason_id.is_some_and(|id| id.starts_with("face.")),
        "{reason_id:?}"
    );
    assert_eq!(error.message_id(), reason_id.unwrap_or_default());
    let text = error.message(siperlu_core::messages::Locale::Id);
    assert!(text.starts_with("Foto ke-2: "), "{text}");

    // The same file twice names the second copy.
    let twice = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama2.jpg"),
        photo("face_recognition/obama.jpg"),
    ];
    let refs: Vec<&[u8]> = twice.iter().map(Vec::as_slice).collect();
    let error = phone.device.enroll_face(&refs).expect_err("duplicate file");
    assert_eq!(error.message_id(), "device.enrollment_duplicate");
    let text = error.message(siperlu_core::messages::Locale::Id);
    assert!(text.starts_with("Foto ke-3: Foto ini sama"), "{text}");
}

#[test]
fn config_checks_signature_and_age() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let cached = phone
        .device
        .current_config()
        .expect("reads")
        .expect("cached");

    // Signed by another key under the pinned key id.
    let other_key = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .expect("key generates")
            .as_ref(),
    )
    .expect("key parses");
    let mut newer = cached.clone();
    newer.issued_at_ms += 1;
    let forged =
        SignedEnvelope::sign("server-test", &newer.to_json_bytes(), &other_key).expect("signs");
    let error = phone
        .device
        .save_config(&forged.encode())
        .expect_err("forged configuration");
    assert!(
        matches!(error, DeviceError::ConfigRejected { .. }),
        "{error}"
    );
    assert_eq!(
        phone.device.current_config().expect("reads"),
        Some(cached),
        "the cached configuration stays in use"
    );
    assert!(Path::new(&phone.folder.path().join(STORE_FILE)).is_file());
}

/// Stores a server anchor that matches the test clock now, so trusted time follows the clock.
fn anchor_now(phone: &Phone) {
    phone
        .device
        .save_time_anchor(&TimeAnchor {
            server_time_ms: phone.clock.wall_clock_ms(),
            elapsed_ms: phone.clock.elapsed_since_boot_ms(),
            boot_id: BOOT.to_string(),
            round_trip_uncertainty_ms: 40,
        })
        .expect("anchor stored");
}

#[test]
fn overnight_check_out_belongs_to_shift_start() {
    // A night shift 22:00 to 06:00 WITA; the check-out at 01:00 WITA on the 5th closes the
    // shift that began on the 4th.
    let shift = ShiftConfig {
        start: chrono::NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
        end: chrono::NaiveTime::from_hms_opt(6, 0, 0).expect("time"),
    };
    let wita = office("rsud-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let late_ms = ms("2026-12-04T17:00:00Z");
    let phone = phone_with_shift(wita, late_ms, shift);
    enroll_person_a(&phone.device);
    anchor_now(&phone);

    let outcome = phone
        .device
        .check_in(
            AttendanceKind::CheckOut,
            &[&photo("face_recognition/32bit.png")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-out");
    assert_eq!(
        outcome.status,
        CheckInStatus::Accepted,
        "{:?}",
        outcome.reasons
    );
    assert_eq!(
        outcome.time_source,
        siperlu_core::time::TimeSource::ServerAnchor
    );
    assert_eq!(outcome.attendance_day.to_string(), "2026-12-04");
}

#[test]
fn today_plan_revisions() {
    // 10:00 WITA on the 4th, before the 23:59 cutoff.
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, ms("2026-12-04T02:00:00Z"));
    anchor_now(&phone);
    let device = &phone.device;

    let empty = device.today_plan().expect("plan reads");
    assert_eq!(empty.day.to_string(), "2026-12-04");
    assert_eq!(empty.revision, 0);
    assert!(empty.items.is_empty());

    let item = |title: &str| PlanItem {
        title: title.to_string(),
        expected_output: "Laporan".to_string(),
        window: None,
        status: PlanStatus::Planned,
        note: String::new(),
    };
    let saved = device
        .set_today_plan(vec![item("Rapat koordinasi"), item("Verifikasi berkas")])
        .expect("plan saves");
    assert_eq!(saved.revision, 1);

    let marked = device
        .mark_plan_item(1, PlanStatus::Done, "12 berkas")
        .expect("item marked");
    assert_eq!(marked.revision, 2);
    assert_eq!(marked.items[1].status, PlanStatus::Done);
    assert_eq!(marked.items[1].note, "12 berkas");
    assert_eq!(marked.items[0].status, PlanStatus::Planned);
    assert_eq!(device.today_plan().expect("plan reads"), marked);

    let error = device
        .mark_plan_item(5, PlanStatus::Done, "")
        .expect_err("no item 5");
    assert!(matches!(error, DeviceError::PlanRejected { .. }), "{error}");
    let error = device
        .set_today_plan(vec![item("  ")])
        .expect_err("empty title");
    assert_eq!(error.message_id(), "plan.empty_title");

    // At 23:59:30 WITA the 23:59 cutoff has passed.
    phone
        .clock
        .advance(13 * 3_600_000 + 59 * 60_000 + 30_000, 0);
    let error = device
        .set_today_plan(vec![item("Terlambat")])
        .expect_err("past the cutoff");
    assert_eq!(error.message_id(), "plan.past_cutoff");
}

#[test]
fn older_config_is_rejected() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let cached = phone
        .device
        .current_config()
        .expect("reads")
        .expect("cached");
    let identity = phone.device.identity().expect("identity");

    // Re-sign under a fresh simulator-style key pinned in place of the first one.
    let key = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .expect("key generates")
            .as_ref(),
    )
    .expect("key parses");
    phone
        .device
        .pin_server_key(&PinnedKey {
            key_id: "server-next".to_string(),
            public_key: key.public_key().as_ref().to_vec(),
        })
        .expect("pins");
    let sign = |config: &DeviceConfig| {
        SignedEnvelope::sign("server-next", &config.to_json_bytes(), &key)
            .expect("signs")
            .encode()
    };

    // The cached configuration was signed by the rotated-out key, so it no longer verifies and
    // a configuration under the new key replaces it.
    let rotated = phone
        .device
        .save_config(&sign(&cached))
        .expect("re-signed is stored");
    assert_eq!(rotated, cached);

    let mut older = cached.clone();
    older.issued_at_ms -= 1;
    let error = phone.device.save_config(&sign(&older)).expect_err("older");
    assert!(error.to_string().contains("older"), "{error}");

    let mut other_device = cached.clone();
    other_device.issued_at_ms += 1;
    other_device.device_id = "0193a5b0-0000-7000-8000-000000000001".to_string();
    assert_ne!(other_device.device_id, identity.device_id.to_string());
    let error = phone
        .device
        .save_config(&sign(&other_device))
        .expect_err("another device");
    assert!(error.to_string().contains("device"), "{error}");

    let mut other_nip = cached.clone();
    other_nip.issued_at_ms += 1;
    other_nip.nip = "199001012015032001".to_string();
    let error = phone
        .device
        .save_config(&sign(&other_nip))
        .expect_err("another NIP");
    assert!(error.to_string().contains("NIP"), "{error}");

    let mut newer = cached;
    newer.issued_at_ms += 1;
    let stored = phone
        .device
        .save_config(&sign(&newer))
        .expect("newer is stored");
    assert_eq!(stored.issued_at_ms, newer.issued_at_ms);
}

#[test]
fn burst_without_blink_is_rejected() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    enroll_person_a(&phone.device);

    // The same still photo three times stands in for a burst in which the eyes never close,
    // as a photo held up to the camera would give.
    let still = photo("face_recognition/32bit.png");
    let outcome = phone
        .device
        .check_in(
            AttendanceKind::CheckIn,
            &[&still, &still, &still],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(
        outcome.status,
        CheckInStatus::Rejected,
        "{:?}",
        outcome.reasons
    );
    assert!(reason_ids(&outcome).contains(&"face.no_blink"));
    assert!(outcome.retry_advised);
    assert!(outcome.face_matched, "the face itself matched");
}

#[test]
fn ended_travel_leaves_no_places() {
    // The only place is a dinas luar location whose dates ended two days ago.
    let mut config_office = office("hotel-rapat", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    config_office.name = "Lokasi rapat".to_string();
    let phone = phone(config_office, now_ms());
    let mut config = phone
        .device
        .current_config()
        .expect("reads")
        .expect("cached");
    let ended = chrono::Utc::now().date_naive() - chrono::Duration::days(2);
    config.assignment.dinas_luar = vec![siperlu_core::geofence::DinasLuar {
        location: config.assignment.offices.remove(0),
        valid_from: ended - chrono::Duration::days(3),
        valid_to: ended,
        letter_number: None,
    }];
    config.issued_at_ms += 1;

    let key = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .expect("key generates")
            .as_ref(),
    )
    .expect("key parses");
    phone
        .device
        .pin_server_key(&PinnedKey {
            key_id: "server-next".to_string(),
            public_key: key.public_key().as_ref().to_vec(),
        })
        .expect("pins");
    let envelope =
        SignedEnvelope::sign("server-next", &config.to_json_bytes(), &key).expect("signs");
    phone
        .device
        .save_config(&envelope.encode())
        .expect("stored");
    enroll_person_a(&phone.device);

    let error = phone
        .device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/32bit.png")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect_err("no place is valid today");
    assert!(matches!(error, DeviceError::NoPlaces), "{error}");
    assert!(phone.device.history(10).expect("history").is_empty());
}

#[test]
fn reenrollment_waits_for_registration() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let device = &phone.device;
    enroll_person_a(device);
    let registered = device
        .registration()
        .expect("reads")
        .and_then(|registration| registration.template_id)
        .expect("registered with a template");

    // A colleague enrolls his own face on the ASN's registered phone.
    let photos = person_b_photos();
    let refs: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
    let enrolled_b = device.enroll_face(&refs).expect("person B's photos pass");
    assert!(
        !enrolled_b.active,
        "a new face waits for a new registration"
    );
    assert_eq!(
        device.enrolled_template_id().expect("reads"),
        Some(enrolled_b.template_id.clone()),
        "the next registration sends the new face"
    );

    // Another NIP is refused on the registered phone, and nothing changes.
    let error = device
        .set_nip("199001012015022001")
        .expect_err("the phone is registered for NIP");
    assert_eq!(error.message_id(), "device.nip_registered");
    assert!(
        error
            .message(siperlu_core::messages::Locale::Id)
            .contains("199001012015022001")
    );
    assert_eq!(
        device.registration().expect("reads").map(|r| r.nip),
        Some(NIP.to_string())
    );

    // Setting the same NIP again does not drop the registration.
    device.set_nip(NIP).expect("the same NIP is accepted");
    assert_eq!(
        device
            .registration()
            .expect("reads")
            .and_then(|registration| registration.template_id),
        Some(registered.clone())
    );

    // Check-ins still match against the registered face: B is refused, A is accepted.
    let by_b = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/biden.jpg")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert_eq!(by_b.status, CheckInStatus::Rejected);
    assert!(reason_ids(&by_b).contains(&"face.no_match"));
    phone.clock.advance(60_000, 0);
    let by_a = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/32bit.png")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert!(by_a.face_matched, "{:?}", by_a.reasons);

    // Once the server accepted the new face with a new code, it replaces the old one.
    register_template(device, &enrolled_b.template_id);
    phone.clock.advance(60_000, 0);
    let after = device
        .check_in(
            AttendanceKind::CheckIn,
            &[&photo("face_recognition/biden.jpg")],
            fix_at(&phone.clock, 0.0, false),
        )
        .expect("well-formed check-in");
    assert!(after.face_matched, "{:?}", after.reasons);
    let store = Store::open(&phone.folder.path().join(STORE_FILE), phone.vault.clone())
        .expect("store opens");
    assert!(
        store
            .template_ids(NIP)
            .expect("lists")
            .iter()
            .all(|id| *id != registered),
        "the replaced template is deleted"
    );
}

#[test]
fn registration_needs_enrolled_template() {
    let wita = office("bkpsdm-makassar", OfficeZone::Wita, OFFICE_LAT, OFFICE_LON);
    let phone = phone(wita, now_ms());
    let key = phone.device.server_key().expect("reads").expect("pinned");
    let error = phone
        .device
        .record_registration(TEST_SERVER_URL, &key, "tpl-never-enrolled")
        .expect_err("no such template");
    assert!(matches!(error, DeviceError::NoTemplate), "{error:?}");
}
