//! Benchmark of one check-in through the device API on a real SQLite file: face verification
//! of a selfie on the real models, trusted time, the geofence verdict, the location flags, and
//! the signed append committed with synchronous=FULL. The face step alone is timed too, so the
//! rest of the flow shows as the difference.
//!
//! Run: `cargo bench -p siperlu-core --bench device` (run `scripts/setup` first). Set
//! `SIPERLU_BENCH_CHECK_INS` to change the number of timed check-ins (default 40).
//!
//! The photo replaces the camera frame, and a fixed fix replaces the phone's GPS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use siperlu_core::device::{
    CheckInStatus, Device, DeviceConfig, ShiftConfig, SystemClock, TimePolicyConfig,
};
use siperlu_core::face::{FaceEngine, FaceEngineConfig, FacePolicy};
use siperlu_core::geofence::{Assignment, Fence, LatLon, Office, OfficeZone};
use siperlu_core::location::{Fix, LocationPolicy};
use siperlu_core::record::AttendanceKind;
use siperlu_core::signed::{PinnedKey, SignedEnvelope};
use siperlu_core::vault::{KeyVault, SoftwareVault};

const NIP: &str = "198503152010011002";

fn photo(relative: &str) -> Vec<u8> {
    let path = siperlu_core::assets::test_photo(relative);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!("{} is missing ({error}); run scripts/setup", path.display())
    })
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name}: n={} p50={:.1} ms p90={:.1} ms max={:.1} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.9).as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
}

fn main() {
    let count: usize = std::env::var("SIPERLU_BENCH_CHECK_INS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(40);

    let folder = tempfile::tempdir().expect("temp dir");
    let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[3; 32]));
    let engine = Arc::new(FaceEngine::new(FaceEngineConfig::default()).expect("models load"));
    let device = Device::open(folder.path(), vault, engine.clone(), Arc::new(SystemClock))
        .expect("device opens");
    let identity = device.initialise().expect("initialises");
    device.set_nip(NIP).expect("NIP");

    let server_key = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .expect("key")
            .as_ref(),
    )
    .expect("key parses");
    device
        .pin_server_key(&PinnedKey {
            key_id: "bench".to_string(),
            public_key: server_key.public_key().as_ref().to_vec(),
        })
        .expect("pins");
    let config = DeviceConfig {
        format: 1,
        issued_at_ms: wall_clock_ms(),
        device_id: identity.device_id.to_string(),
        nip: NIP.to_string(),
        assignment: Assignment {
            offices: vec![Office {
                id: "bkpsdm".to_string(),
                name: "BKPSDM".to_string(),
                time_zone: OfficeZone::Wita,
                fences: vec![Fence::Circle {
                    center: LatLon {
                        lat: -5.1477,
                        lon: 119.4327,
                    },
                    radius_m: 100.0,
                }],
            }],
            dinas_luar: vec![],
        },
        location_policy: LocationPolicy::default(),
        face_policy: FacePolicy::default(),
        time_policy: TimePolicyConfig::default(),
        plan_cutoff: siperlu_core::plan::default_cutoff(),
        shift: ShiftConfig::default(),
    };
    let envelope =
        SignedEnvelope::sign("bench", &config.to_json_bytes(), &server_key).expect("signs");
    device.save_config(&envelope.encode()).expect("config");

    let enrollment = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama2.jpg"),
        photo("face_recognition/obama3.jpg"),
    ];
    let refs: Vec<&[u8]> = enrollment.iter().map(Vec::as_slice).collect();
    let started = Instant::now();
    let enrolled = device.enroll_face(&refs).expect("enrolls");
    println!(
        "enroll_face (3 photos): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    let selfie = photo("face_recognition/32bit.png");
    let template = engine
        .enroll(&refs, &FacePolicy::default())
        .expect("template for the face-only timing");
    assert_eq!(template.template_id, enrolled.template_id);

    // Warm-up: the first inference of each model allocates its buffers.
    for _ in 0..3 {
        engine
            .verify(&template, &[&selfie], &FacePolicy::default())
            .expect("verifies");
    }

    let mut face_times = Vec::with_capacity(count);
    let mut check_in_times = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        engine
            .verify(&template, &[&selfie], &FacePolicy::default())
            .expect("verifies");
        face_times.push(started.elapsed());

        let fix =
            Fix::from_degrees(-5.1477, 119.4327, 8.0, wall_clock_ms(), "gps", false).expect("fix");
        let started = Instant::now();
        let outcome = device
            .check_in(AttendanceKind::CheckIn, &[&selfie], fix)
            .expect("checks in");
        check_in_times.push(started.elapsed());
        assert_eq!(
            outcome.status,
            CheckInStatus::Accepted,
            "{:?}",
            outcome.reasons
        );
    }
    report("face verify (selfie only)", face_times);
    report(
        "check_in (face, time, geofence, flags, signed append)",
        check_in_times,
    );
}
