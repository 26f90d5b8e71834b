//! The face side of registration and ingest, against a real server on 127.0.0.1 with a real
//! SQLite file. A record matched against another template than the registered one is
//! flagged, because the face on the phone was replaced without a new enrollment code. The
//! device policy's face limits reach the phone's configuration and are applied again at
//! ingest. The phone is simulated (see `common`).

mod common;

use common::*;
use serde_json::Value;
use siperlu_core::record::ActiveLiveness;

#[tokio::test(flavor = "multi_thread")]
async fn replaced_template_is_flagged() {
    let (_server, admin, mut phone) = start_with_phone(|_| {}).await;

    let honest = phone.next_record();
    let result = phone.upload_one(&honest).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(
        !flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.template_not_registered"),
        "{result}"
    );

    // The same phone after someone enrolled another face on it and matched against that.
    let mut record = phone.next_record().record().clone();
    record.template_id = "template-of-someone-else".into();
    let replaced = phone.sign_instead(&record);
    let result = phone.upload_one(&replaced).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(
        flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.template_not_registered"),
        "{result}"
    );

    // The admin check-in list shows the record with the flag's Indonesian label.
    let page = admin
        .get("/admin/checkins?flag=ingest.template_not_registered")
        .await;
    assert_eq!(page.status, 200);
    let flagged = "<span class=\"flag\" title=\"ingest.template_not_registered\">wajah tidak terdaftar</span>";
    assert_eq!(page.text().matches(flagged).count(), 1, "{}", page.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn required_blink_ships_and_is_checked() {
    let (_server, _admin, mut phone) = start_with_phone(|config| {
        config.device_policy.face_policy.require_blink = true;
        config.device_policy.face_policy.match_threshold = 0.6;
    })
    .await;

    // The signed configuration carries the policy.
    let reply = phone.signed("GET", "/api/v1/config", b"").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let document: Value = serde_json::from_str(
        reply.json()["document"]
            .as_str()
            .expect("the signed document is a string"),
    )
    .expect("document is JSON");
    assert_eq!(document["face_policy"]["require_blink"], true, "{document}");
    assert_eq!(
        document["face_policy"]["match_threshold"], 0.6,
        "{document}"
    );
    assert!(document["location_policy"].is_object(), "{document}");
    assert!(document["shift"].is_object(), "{document}");

    // A record with the blink check passes; one without it is flagged.
    let blinked = phone.next_record();
    let result = phone.upload_one(&blinked).await;
    assert!(
        !flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.blink_missing"),
        "{result}"
    );

    let mut record = phone.next_record().record().clone();
    record.face.active_liveness = ActiveLiveness::NotRun;
    let without = phone.sign_instead(&record);
    let result = phone.upload_one(&without).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(
        flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.blink_missing"),
        "{result}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn new_face_registers_with_new_code() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;

    // The used code cannot register a new face.
    let reply = register_with_template(
        server.address,
        &nip,
        &code,
        &phone.key,
        phone.device_id,
        "template-2",
    )
    .await;
    assert_eq!(reply.status, 403, "{}", reply.text());

    // A check-in made with the registered face, still offline when the new face registers.
    let made_before = phone.next_record();
    std::thread::sleep(std::time::Duration::from_millis(5));

    // A new code from the admin registers the new face on the same device.
    let second_code = admin.new_code(&nip).await;
    let reply = register_with_template(
        server.address,
        &nip,
        &second_code,
        &phone.key,
        phone.device_id,
        "template-2",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(
        reply.json()["device_id"].as_str(),
        Some(phone.device_id.to_string().as_str())
    );
    assert_eq!(count_rows(&server, "devices"), 1);
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let events: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM security_events WHERE kind = 'device.face_reenrolled'",
            [],
            |row| row.get(0),
        )
        .expect("count events");
    assert_eq!(events, 1, "the face change is kept for the admin");
    let audit = admin.get("/admin/audit").await;
    assert_eq!(audit.status, 200);
    let html = audit.text();
    assert!(
        html.contains("title=\"device.face_reenrolled\">Ponsel terdaftar mendaftarkan wajah baru"),
        "the audit page shows the face change: {html}"
    );
    assert!(html.contains("<td>ASN 001</td>"), "{html}");

    // The check-in made before the change is genuine; one made after with the old face is
    // flagged, and the new face is not.
    let result = phone.upload_one(&made_before).await;
    assert!(
        !flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.template_not_registered"),
        "{result}"
    );
    let old_face = phone.next_record();
    let result = phone.upload_one(&old_face).await;
    assert!(
        flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.template_not_registered"),
        "{result}"
    );
    let mut record = phone.next_record().record().clone();
    record.template_id = "template-2".into();
    let new_face = phone.sign_instead(&record);
    let result = phone.upload_one(&new_face).await;
    assert!(
        !flags_of(&result)
            .iter()
            .any(|flag| flag == "ingest.template_not_registered"),
        "{result}"
    );

    // Another key cannot take the device id over with a new code.
    let third_code = admin.new_code(&nip).await;
    let reply = register_with_template(
        server.address,
        &nip,
        &third_code,
        &new_key(),
        phone.device_id,
        "template-3",
    )
    .await;
    assert_eq!(reply.status, 409, "{}", reply.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_without_assignment_keeps_code() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, _office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(2);
    let asn = admin
        .post_json(
            "/api/v1/admin/asn",
            &serde_json::json!({"nip": nip, "name": "ASN Baru", "opd_id": opd_id}),
        )
        .await;
    assert_eq!(asn.status, 201, "{}", asn.text());
    let code = admin.new_code(&nip).await;

    let key = new_key();
    let device_id = random_uuid();
    let reply = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(reply.status, 409, "{}", reply.text());
    assert_eq!(reply.error_id(), "api.no_assignment");
    assert!(
        reply.json()["error"]["messages"]["id"]
            .as_str()
            .is_some_and(|text| text.contains("penugasan")),
        "{}",
        reply.text()
    );
    assert_eq!(count_rows(&server, "devices"), 0);

    // Once the admin assigns an office, the same code works.
    let (_, office_id) = admin.create_office("KB-02", "Kantor Camat").await;
    let today = chrono::Utc::now().date_naive();
    let assignment = admin
        .post_json(
            "/api/v1/admin/assignments",
            &serde_json::json!({"nip": nip, "office_id": office_id,
                "valid_from": today.to_string(),
                "valid_until": (today + chrono::Duration::days(30)).to_string()}),
        )
        .await;
    assert_eq!(assignment.status, 201, "{}", assignment.text());
    let reply = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
}
