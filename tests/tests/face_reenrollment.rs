//! A new face on a registered phone, end to end: the phone's real store and face models, the
//! sync client, and a real server started in-process with a real SQLite file. A face enrolled
//! after registration stays unused until a registration with a new enrollment code from an
//! admin sends it to the server. Then the server and the phone both use it.
//!
//! Person B's three enrollment photos are one real photo, a PNG copy and its mirror image,
//! because the test photo set has a single photo of B.

use std::sync::Arc;

use siperlu_core::device::{Device, SystemClock};
use siperlu_core::face::{FaceEngine, FaceEngineConfig};
use siperlu_core::sync::{SyncClient, SyncOptions};
use siperlu_core::vault::SoftwareVault;
use siperlu_tests::{Admin, TestServer, photo_bytes};

const NIP: &str = "198708172010011003";

fn png(image: &image::DynamicImage) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .to_rgb8()
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("PNG encodes");
    bytes.into_inner()
}

#[test]
fn new_face_needs_new_code() {
    let server = TestServer::start();
    let admin = Admin::login(&server.url());
    let first_code = admin.office_asn_and_code("KB-WAJAH", NIP, -7.4470, 112.7183);

    let folder = tempfile::tempdir().expect("temp dir");
    let vault = SoftwareVault::create_key_file(&folder.path().join("vault.key")).expect("vault");
    let engine = FaceEngine::new(FaceEngineConfig::default()).expect("models; run scripts/setup");
    let device = Arc::new(
        Device::open(
            folder.path(),
            Arc::new(vault),
            Arc::new(engine),
            Arc::new(SystemClock),
        )
        .expect("open device"),
    );
    device.initialise().expect("initialise");
    device.set_nip(NIP).expect("set NIP");
    let client =
        SyncClient::new(device.clone(), &server.url(), SyncOptions::default()).expect("client");

    // Person A enrolls and registers.
    let photos_a = [
        photo_bytes("obama.jpg"),
        photo_bytes("obama2.jpg"),
        photo_bytes("32bit.png"),
    ];
    let refs: Vec<&[u8]> = photos_a.iter().map(Vec::as_slice).collect();
    let face_a = device.enroll_face(&refs).expect("A enrolls");
    client.register(&first_code).expect("A registers");

    // Person B enrolls on A's phone: saved, not active.
    let original = photo_bytes("biden.jpg");
    let decoded = image::load_from_memory(&original).expect("biden.jpg decodes");
    let photos_b = [original, png(&decoded), png(&decoded.fliph())];
    let refs: Vec<&[u8]> = photos_b.iter().map(Vec::as_slice).collect();
    let face_b = device.enroll_face(&refs).expect("B's photos pass");
    assert!(!face_b.active);
    let registered = |device: &Device| {
        device
            .registration()
            .expect("reads")
            .and_then(|registration| registration.template_id)
    };
    assert_eq!(registered(&device), Some(face_a.template_id.clone()));

    // The used code does not register B's face.
    let error = client.register(&first_code).expect_err("used code");
    assert!(error.to_string().contains("enrollment_code"), "{error}");
    assert_eq!(registered(&device), Some(face_a.template_id.clone()));

    // A new code from the admin does, on the same device.
    let (status, answer) = admin.call(
        "POST",
        "/api/v1/admin/enrollment-codes",
        Some(serde_json::json!({"nip": NIP, "valid_minutes": 60})),
    );
    assert_eq!(status, 201, "{answer}");
    let second_code = answer["code"].as_str().expect("code").to_string();
    let again = client.register(&second_code).expect("B's face registers");
    assert_eq!(
        again.device_id,
        device.identity().expect("identity").device_id
    );
    assert_eq!(registered(&device), Some(face_b.template_id.clone()));
}
