//! The device API and the admin JSON API of a real server on 127.0.0.1 with a real SQLite
//! file: registration, signed requests and their guards, record ingest, plans and the
//! OpenAPI document.

mod common;

use common::*;
use serde_json::json;
use siperlu_core::record::GeofenceCode;

#[tokio::test(flavor = "multi_thread")]
async fn registration_rejects_bad_codes() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;

    let wrong = register_request(
        server.address,
        &nip,
        "WRONGCODE9",
        &new_key(),
        random_uuid(),
    )
    .await;
    assert_eq!(wrong.status, 403, "{}", wrong.text());
    assert_eq!(wrong.error_id(), "api.enrollment_code_invalid");

    let other_nip = register_request(
        server.address,
        &nip_with_serial(2),
        &code,
        &new_key(),
        random_uuid(),
    )
    .await;
    assert_eq!(other_nip.status, 403, "a code works only for its own ASN");
    assert_eq!(other_nip.error_id(), "api.enrollment_code_other_nip");
    let other_text = other_nip.text();
    assert!(other_text.contains("another NIP"), "{other_text}");
    assert!(!other_text.contains(&nip), "the code's NIP is not echoed");
    assert!(
        !other_text.contains(&nip_with_serial(2)),
        "the typed NIP is not echoed"
    );

    register_phone(server.address, &nip, &code).await;
    let used = register_request(server.address, &nip, &code, &new_key(), random_uuid()).await;
    assert_eq!(used.status, 403, "{}", used.text());
    assert_eq!(used.error_id(), "api.enrollment_code_invalid");

    // Expiry: moving the code's deadline into the past in the database file replaces waiting
    // out its lifetime.
    let expiring = admin.new_code(&nip).await;
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    connection
        .execute(
            "UPDATE enrollment_codes SET expires_at_ms = 1 WHERE used_at_ms IS NULL",
            [],
        )
        .expect("expire codes");
    let expired =
        register_request(server.address, &nip, &expiring, &new_key(), random_uuid()).await;
    assert_eq!(expired.status, 403, "{}", expired.text());
    assert_eq!(count_rows(&server, "devices"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_registration_is_idempotent() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-02", "Kantor Ulang").await;
    let nip = nip_with_serial(3);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let key = new_key();
    let device_id = random_uuid();

    let first = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let repeat = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(repeat.status, 201, "{}", repeat.text());
    assert_eq!(repeat.json()["device_id"], first.json()["device_id"]);
    let first_config: serde_json::Value = serde_json::from_str(
        first.json()["config"]["document"]
            .as_str()
            .expect("document"),
    )
    .expect("config JSON");
    let repeat_config: serde_json::Value = serde_json::from_str(
        repeat.json()["config"]["document"]
            .as_str()
            .expect("document"),
    )
    .expect("config JSON");
    assert_eq!(repeat_config["device_id"], first_config["device_id"]);
    assert_eq!(repeat_config["nip"], first_config["nip"]);
    assert_eq!(repeat_config["assignment"], first_config["assignment"]);
    assert_eq!(count_rows(&server, "devices"), 1);

    // Any other reuse of the used code fails: another key, another device id, another
    // template.
    let other_key = register_request(server.address, &nip, &code, &new_key(), device_id).await;
    assert_eq!(other_key.status, 403, "{}", other_key.text());
    assert_eq!(other_key.error_id(), "api.enrollment_code_invalid");
    let other_id = register_request(server.address, &nip, &code, &key, random_uuid()).await;
    assert_eq!(other_id.status, 403, "{}", other_id.text());
    let other_template = send(
        server.address,
        "POST",
        "/api/v1/devices/register",
        &[("content-type", "application/json".into())],
        serde_json::json!({
            "enrollment_code": code,
            "nip": nip,
            "device_public_key": hex::encode(ring::signature::KeyPair::public_key(&key).as_ref()),
            "template_id": "template-2",
            "device_id": device_id.to_string(),
        })
        .to_string()
        .as_bytes(),
    )
    .await;
    assert_eq!(other_template.status, 403, "{}", other_template.text());

    // Once the code's lifetime is over, even the same request fails.
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    connection
        .execute("UPDATE enrollment_codes SET expires_at_ms = 1", [])
        .expect("expire codes");
    let expired = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(expired.status, 403, "{}", expired.text());
    assert_eq!(expired.error_id(), "api.enrollment_code_invalid");
    assert_eq!(count_rows(&server, "devices"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeat_of_revoked_device_rejected() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-03", "Kantor Cabut").await;
    let nip = nip_with_serial(4);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let key = new_key();
    let device_id = random_uuid();
    let first = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(first.status, 201, "{}", first.text());

    let revoke = admin
        .post_json(
            &format!("/api/v1/admin/devices/{device_id}/revoke"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(revoke.status, 204, "{}", revoke.text());
    let repeat = register_request(server.address, &nip, &code, &key, device_id).await;
    assert_eq!(repeat.status, 403, "{}", repeat.text());
    assert_eq!(repeat.error_id(), "api.enrollment_code_invalid");
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_validates_fields() {
    let server = start_server(|_| {}).await;
    let bad_nip = register_request(
        server.address,
        "198513122010011001",
        "CODE",
        &new_key(),
        random_uuid(),
    )
    .await;
    assert_eq!(bad_nip.status, 400);
    assert_eq!(bad_nip.error_id(), "nip.birth_date");
    assert!(
        bad_nip.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("198513122010011001")
    );

    let malformed = send(
        server.address,
        "POST",
        "/api/v1/devices/register",
        &[("content-type", "application/json".into())],
        b"{\"nip\": ",
    )
    .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error_id(), "api.malformed_json");
}

#[tokio::test(flavor = "multi_thread")]
async fn config_and_time_are_signed() {
    let (server, _admin, phone) = start_with_phone(|_| {}).await;
    let reply = phone.signed("GET", "/api/v1/config", b"").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let signed = reply.json();
    let document = signed["document"].as_str().expect("document");
    let public_key = hex::decode(signed["server_public_key"].as_str().expect("key")).expect("hex");
    let signature = hex::decode(signed["signature"].as_str().expect("signature")).expect("hex");
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public_key)
        .verify(document.as_bytes(), &signature)
        .expect("configuration signature verifies");
    let config: serde_json::Value = serde_json::from_str(document).expect("config JSON");
    let assignment = serde_json::to_string(&config["assignment"]).expect("assignment");
    let parsed = siperlu_core::geofence::Assignment::from_json(&assignment)
        .expect("core parses the assignment");
    assert_eq!(parsed.offices[0].id, "KB-01");

    let time = phone.signed("GET", "/api/v1/time", b"").await;
    assert_eq!(time.status, 200, "{}", time.text());
    let anchor: serde_json::Value =
        serde_json::from_str(time.json()["document"].as_str().expect("document")).expect("anchor");
    assert!((anchor["server_time_ms"].as_i64().expect("time") - now_ms()).abs() < 60_000);
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn record_upload_is_idempotent() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let records: Vec<_> = (0..3).map(|_| phone.next_record()).collect();
    let slices: Vec<&[u8]> = records.iter().map(|r| r.as_bytes()).collect();
    let body = batch_body(&slices);

    let first = phone.signed("POST", "/api/v1/records", &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let results = first.json()["results"].as_array().expect("results").clone();
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );
    assert!(
        results.iter().all(|r| r.get("flags").is_none()),
        "clean records carry no flags: {results:?}"
    );

    let second = phone.signed("POST", "/api/v1/records", &body).await;
    assert_eq!(second.status, 200, "{}", second.text());
    let results = second.json()["results"]
        .as_array()
        .expect("results")
        .clone();
    assert!(
        results.iter().all(|r| r["status"] == "duplicate"),
        "{results:?}"
    );
    assert_eq!(count_rows(&server, "records"), 3);

    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let stored: Vec<u8> = connection
        .query_row("SELECT bytes FROM records WHERE sequence = 2", [], |row| {
            row.get(0)
        })
        .expect("stored bytes");
    assert_eq!(
        stored,
        records[1].as_bytes(),
        "bytes are stored exactly as received"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_request_signature_rejected() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let record = phone.next_record();
    let body = batch_body(&[record.as_bytes()]);
    let mut headers = phone.sign("POST", "/api/v1/records", &body);
    let forger = new_key();
    let forged = siperlu_core::request_auth::sign_request(
        &forger,
        &phone.device_id.to_string(),
        &siperlu_core::request_auth::RequestParts {
            method: "POST",
            path_and_query: "/api/v1/records",
            timestamp_ms: now_ms(),
            nonce: "forged-nonce-0000000001",
            body: &body,
        },
    );
    headers.retain(|(name, _)| !name.starts_with("x-siperlu"));
    headers.extend(forged.to_pairs());
    let reply = send(server.address, "POST", "/api/v1/records", &headers, &body).await;
    assert_eq!(reply.status, 401, "{}", reply.text());
    assert_eq!(reply.error_id(), "api.bad_signature");

    let unsigned = send(
        server.address,
        "POST",
        "/api/v1/records",
        &[("content-type", "application/json".into())],
        &body,
    )
    .await;
    assert_eq!(unsigned.status, 401);
    assert_eq!(unsigned.error_id(), "api.unsigned_request");
    assert_eq!(count_rows(&server, "records"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn replayed_request_rejected() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let record = phone.next_record();
    let body = batch_body(&[record.as_bytes()]);
    let headers = phone.sign("POST", "/api/v1/records", &body);
    let first = send(server.address, "POST", "/api/v1/records", &headers, &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let replay = send(server.address, "POST", "/api/v1/records", &headers, &body).await;
    assert_eq!(replay.status, 409, "{}", replay.text());
    assert_eq!(replay.error_id(), "api.replayed_request");
    assert_eq!(count_rows(&server, "records"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn replay_after_restart_rejected() {
    let (mut server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let record = phone.next_record();
    let body = batch_body(&[record.as_bytes()]);
    let headers = phone.sign("POST", "/api/v1/records", &body);
    let first = send(server.address, "POST", "/api/v1/records", &headers, &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let replay_before = send(server.address, "POST", "/api/v1/records", &headers, &body).await;

    server.restart().await;
    let replay_after = send(server.address, "POST", "/api/v1/records", &headers, &body).await;
    assert_eq!(replay_after.status, 409, "{}", replay_after.text());
    assert_eq!(replay_after.error_id(), "api.replayed_request");
    assert_eq!(replay_after.status, replay_before.status);
    assert_eq!(replay_after.json(), replay_before.json());
    assert_eq!(count_rows(&server, "records"), 1);

    // A fresh request of the same phone still goes through after the restart.
    phone.address = server.address;
    let fresh = phone.signed("GET", "/api/v1/time", b"").await;
    assert_eq!(fresh.status, 200, "{}", fresh.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_timestamp_rejected() {
    let (server, _admin, phone) = start_with_phone(|_| {}).await;
    let parts = siperlu_core::request_auth::RequestParts {
        method: "GET",
        path_and_query: "/api/v1/config",
        timestamp_ms: now_ms() - 10 * 60 * 1000,
        nonce: "stale-nonce-000000000001",
        body: b"",
    };
    let headers =
        siperlu_core::request_auth::sign_request(&phone.key, &phone.device_id.to_string(), &parts)
            .to_pairs();
    let reply = send(server.address, "GET", "/api/v1/config", &headers, b"").await;
    assert_eq!(reply.status, 401, "{}", reply.text());
    assert_eq!(reply.error_id(), "api.stale_request");
}

#[tokio::test(flavor = "multi_thread")]
async fn record_from_other_device_rejected() {
    let (server, admin, phone) = start_with_phone(|_| {}).await;
    let (opd_id, office_id) = admin.create_office("KB-02", "Kantor Kedua").await;
    let other_nip = nip_with_serial(2);
    let code = admin.enroll_asn(&other_nip, opd_id, office_id).await;
    let mut other = register_phone(server.address, &other_nip, &code).await;

    let foreign = other.next_record();
    let body = batch_body(&[foreign.as_bytes()]);
    let reply = phone.signed("POST", "/api/v1/records", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(reply.error_id(), "ingest.batch_rejected");
    assert_eq!(
        reply.json()["results"][0]["reason_id"],
        "record.wrong_device"
    );
    assert_eq!(count_rows(&server, "records"), 0);
    assert_eq!(count_rows(&server, "security_events"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tampered_record_rejected() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let record = phone.next_record();
    let mut bytes = record.as_bytes().to_vec();
    // Flip a bit inside the body (in the NIP field region, well before the signature).
    bytes[40] ^= 0x01;
    let body = batch_body(&[&bytes]);
    let reply = phone.signed("POST", "/api/v1/records", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let reason = reply.json()["results"][0]["reason_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        reason == "record.bad_signature" || reason == "record.malformed",
        "tampering must break the signature or the encoding: {reason}"
    );
    assert_eq!(count_rows(&server, "records"), 0);

    // A known record id uploaded again with other bytes is rejected and logged.
    let first = phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    assert_eq!(first.status, 200, "{}", first.text());
    let mut changed = record.record().clone();
    changed.location.accuracy_mm = 3_000;
    let resigned = siperlu_core::record::SignedRecord::sign(&changed, &phone.key).expect("sign");
    let conflict = phone
        .signed(
            "POST",
            "/api/v1/records",
            &batch_body(&[resigned.as_bytes()]),
        )
        .await;
    assert_eq!(conflict.status, 422, "{}", conflict.text());
    assert_eq!(
        conflict.json()["results"][0]["reason_id"],
        "ingest.id_conflict"
    );
    assert_eq!(count_rows(&server, "records"), 1);
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let events: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM security_events WHERE kind = 'ingest.id_conflict'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(events, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversize_and_malformed_bodies_rejected() {
    let (server, _admin, phone) = start_with_phone(|_| {}).await;
    let huge = vec![b'x'; siperlu_server::DEFAULT_MAX_BODY_BYTES + 1];
    let reply = phone.signed("POST", "/api/v1/records", &huge).await;
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert_eq!(reply.error_id(), "api.body_too_large");

    let malformed = phone
        .signed("POST", "/api/v1/records", b"{\"records\": [")
        .await;
    assert_eq!(malformed.status, 400, "{}", malformed.text());
    assert_eq!(malformed.error_id(), "api.malformed_json");

    let empty = phone
        .signed("POST", "/api/v1/records", br#"{"records": []}"#)
        .await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.error_id(), "ingest.batch_size");
    assert_eq!(count_rows(&server, "records"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_fence_is_flagged() {
    let (server, admin, mut phone) = start_with_phone(|_| {}).await;
    // About 1.1 km north of the office, while the phone claims inside.
    let record = phone.next_record_at(OFFICE_LAT + 0.01, OFFICE_LON, GeofenceCode::Inside);
    let reply = phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let flags: Vec<String> = reply.json()["results"][0]["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    assert!(
        flags.contains(&"ingest.verdict_mismatch".to_string()),
        "{flags:?}"
    );
    assert!(flags.contains(&"geofence.outside".to_string()), "{flags:?}");

    let listed = admin
        .get("/api/v1/admin/checkins?flag=ingest.verdict_mismatch")
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let list = listed.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["server_verdict"], "outside");
    assert_eq!(
        list[0]["office_time_zone"], "Asia/Jakarta",
        "the list carries the office zone for local times"
    );
    assert!(list[0]["distance_m"].as_f64().expect("distance") > 900.0);
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_put_and_get() {
    let (server, admin, phone) = start_with_phone(|_| {}).await;
    let (path, first) = phone.plan_body(1, &["Rapat koordinasi"]);
    let missing = phone.signed("GET", &path, b"").await;
    assert_eq!(missing.status, 404);

    let put = phone.signed("PUT", &path, &first).await;
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.json()["revision"], 1);
    let resend = phone.signed("PUT", &path, &first).await;
    assert_eq!(
        resend.status, 200,
        "the same revision again is a harmless resend"
    );

    let (_, second) = phone.plan_body(2, &["Rapat koordinasi", "Pelayanan"]);
    let put = phone.signed("PUT", &path, &second).await;
    assert_eq!(put.status, 200, "{}", put.text());
    let (_, stale) = phone.plan_body(2, &["Lain"]);
    let conflict = phone.signed("PUT", &path, &stale).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text());

    let got = phone.signed("GET", &path, b"").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["revision"], 2);
    assert_eq!(got.json()["items"][1]["title"], "Pelayanan");
    assert_eq!(got.json()["items"][1]["status"], "planned");

    // A revision signed by another device's key is rejected.
    let (opd_id, office_id) = admin.create_office("KB-02", "Kantor Kedua").await;
    let other_nip = nip_with_serial(2);
    let code = admin.enroll_asn(&other_nip, opd_id, office_id).await;
    let other = register_phone(server.address, &other_nip, &code).await;
    let (_, foreign) = other.plan_body(3, &["Bukan milik saya"]);
    let rejected = phone.signed("PUT", &path, &foreign).await;
    assert_eq!(rejected.status, 400, "{}", rejected.text());
    assert_eq!(rejected.error_id(), "ingest.plan_invalid");

    let bad_date = phone.signed("GET", "/api/v1/plans/2026-13-01", b"").await;
    assert_eq!(bad_date.status, 400);
    let other_day = phone
        .signed("PUT", "/api/v1/plans/2020-01-01", &first)
        .await;
    assert_eq!(
        other_day.status, 400,
        "the revision is for another date than the path"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_api_requires_session_and_csrf() {
    let server = start_server(|_| {}).await;
    let anonymous = send(server.address, "GET", "/api/v1/admin/offices", &[], b"").await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.error_id(), "api.login_required");

    let admin = login_admin(server.address).await;
    let without_csrf = send(
        server.address,
        "POST",
        "/api/v1/admin/opd",
        &[
            ("cookie", admin.cookie.clone()),
            ("content-type", "application/json".into()),
        ],
        br#"{"name": "Dinas X"}"#,
    )
    .await;
    assert_eq!(without_csrf.status, 403);
    assert_eq!(without_csrf.error_id(), "api.csrf_invalid");

    let wrong = send(
        server.address,
        "POST",
        "/api/v1/admin/session",
        &[("content-type", "application/json".into())],
        br#"{"username": "admin", "password": "salah-sekali-1234"}"#,
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.error_id(), "api.wrong_credentials");
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_api_validates_data() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, _) = admin.create_office("KB-01", "Balai Kota").await;
    let bad_nip = admin
        .post_json(
            "/api/v1/admin/asn",
            &json!({"nip": "19850312201001300", "name": "X", "opd_id": opd_id}),
        )
        .await;
    assert_eq!(bad_nip.status, 400);
    assert_eq!(bad_nip.error_id(), "nip.wrong_length");

    let swapped = admin
        .post_json(
            "/api/v1/admin/offices",
            &json!({"code": "SW", "name": "Tertukar", "time_zone": "Asia/Jakarta",
                "fences": [{"type": "circle", "center": {"lat": 106.7967, "lon": -6.595}, "radius_m": 100.0}]}),
        )
        .await;
    assert_eq!(swapped.status, 400, "{}", swapped.text());
    assert_eq!(swapped.error_id(), "api.invalid_field");

    let bad_zone = admin
        .post_json(
            "/api/v1/admin/offices",
            &json!({"code": "TZ", "name": "Zona", "time_zone": "Asia/Tokyo",
                "fences": [{"type": "circle", "center": {"lat": -6.595, "lon": 106.7967}, "radius_m": 100.0}]}),
        )
        .await;
    assert_eq!(bad_zone.status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_changes_are_audited() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota").await;
    admin
        .enroll_asn(&nip_with_serial(5), opd_id, office_id)
        .await;

    let rejected = admin
        .post_json(
            "/api/v1/admin/offices",
            &json!({"code": "KB-01", "name": "Kembar", "time_zone": "Asia/Jakarta",
                "fences": [{"type": "circle", "center": {"lat": OFFICE_LAT, "lon": OFFICE_LON}, "radius_m": 100.0}]}),
        )
        .await;
    assert_eq!(rejected.status, 409, "{}", rejected.text());

    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let mut statement = connection
        .prepare("SELECT action, target FROM audit_log ORDER BY id")
        .expect("prepare");
    let entries: Vec<(String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let actions: Vec<&str> = entries.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "opd.create",
            "office.create",
            "asn.create",
            "assignment.create",
            "enrollment_code.create"
        ],
        "the rejected office has no entry"
    );
    assert_eq!(entries[1].1, format!("office:{office_id}"));
    assert!(entries[2].1.starts_with("asn:"), "{}", entries[2].1);
    assert!(
        !entries[2].1.contains(&nip_with_serial(5)),
        "no NIP in plain text"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_path_and_method_are_json() {
    let server = start_server(|_| {}).await;
    let missing = send(server.address, "GET", "/api/v1/nothing", &[], b"").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_id(), "api.not_found");
    let wrong_method = send(server.address, "DELETE", "/api/v1/records", &[], b"").await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.error_id(), "api.method_not_allowed");

    let root = send(server.address, "GET", "/", &[], b"").await;
    assert_eq!(root.status, 303, "{}", root.text());
    assert_eq!(root.header("location"), Some("/admin"));
}

#[tokio::test(flavor = "multi_thread")]
async fn address_rate_limit_applies() {
    let server = start_server(|config| {
        config.ip_rate_per_s = 1.0;
        config.ip_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            send(server.address, "GET", "/api/v1/openapi.json", &[], b"")
                .await
                .status,
        );
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert_eq!(statuses[4], 429, "{statuses:?}");
    let health = send(server.address, "GET", "/healthz", &[], b"").await;
    assert_eq!(health.status, 200, "health checks are not rate limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_ingest_and_rejections() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let record = phone.next_record();
    phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    send(server.address, "POST", "/api/v1/records", &[], b"{}").await;
    let metrics = send(server.address, "GET", "/metrics", &[], b"").await;
    let text = metrics.text();
    assert!(text.contains("siperlu_records_ingested_total 1"), "{text}");
    assert!(
        text.contains("siperlu_rejections_total{reason=\"api.unsigned_request\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("siperlu_http_request_duration_seconds_bucket{route=\"/api/v1/records\""),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn openapi_matches_routes() {
    let server = start_server(|_| {}).await;
    let reply = send(server.address, "GET", "/api/v1/openapi.json", &[], b"").await;
    assert_eq!(reply.status, 200);
    let document = reply.json();
    let paths = document["paths"].as_object().expect("paths");

    // Every /api route registered in the router source is described.
    let source = include_str!("../src/lib.rs");
    let mut routed = Vec::new();
    for piece in source.split(".route(").skip(1) {
        let path = piece
            .trim_start()
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap_or("");
        if path.starts_with("/api/") {
            routed.push(path.to_string());
        }
    }
    assert!(
        routed.len() >= 10,
        "route scan found too few routes: {routed:?}"
    );
    for path in &routed {
        assert!(
            paths.contains_key(path),
            "route {path} is not in the OpenAPI document"
        );
    }

    // Every described path and method exists on the running server (no 404 for the path, no
    // 405 for the method).
    for (path, operations) in paths {
        assert!(
            routed.contains(path),
            "documented path {path} is not routed"
        );
        let concrete = path.replace("{date}", "2026-12-04").replace("{id}", "x");
        for method in operations.as_object().expect("operations").keys() {
            let reply = send(
                server.address,
                &method.to_uppercase(),
                &concrete,
                &[("content-type", "application/json".into())],
                b"{}",
            )
            .await;
            assert_ne!(
                reply.status, 405,
                "{method} {path} is documented but not routed"
            );
            if reply.status == 404 {
                assert_ne!(
                    reply.error_id(),
                    "api.not_found",
                    "{method} {path}: {}",
                    reply.text()
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn device_rate_limit_applies() {
    let server = start_server(|config| {
        config.device_rate_per_s = 0.5;
        // One token goes to the time anchor that register_phone fetches.
        config.device_burst = 4;
    })
    .await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let phone = register_phone(server.address, &nip, &code).await;

    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(phone.signed("GET", "/api/v1/time", b"").await.status);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    let limited = phone.signed("GET", "/api/v1/time", b"").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.error_id(), "api.rate_limited");
    assert!(limited.header("retry-after").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn time_moved_off_its_anchor_flagged() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    // A record stamped an hour earlier than its genuine anchor and elapsed clock give.
    let mut record = phone.next_record().record().clone();
    record.trusted_time_ms -= 3_600_000;
    record.wall_clock_ms = record.trusted_time_ms;
    record.location.fix_time_ms = record.trusted_time_ms - 2_000;
    let signed = siperlu_core::record::SignedRecord::sign(&record, &phone.key).expect("sign");
    let reply = phone
        .signed("POST", "/api/v1/records", &batch_body(&[signed.as_bytes()]))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let flags = reply.json()["results"][0]["flags"].clone();
    assert!(
        flags
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "ingest.time_mismatch")),
        "{flags}"
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_device_rejected() {
    let (server, admin, phone) = start_with_phone(|_| {}).await;
    let devices = admin.get("/api/v1/admin/devices").await;
    assert_eq!(devices.status, 200);
    assert_eq!(devices.json()[0]["id"], phone.device_id.to_string());

    let path = format!("/api/v1/admin/devices/{}/revoke", phone.device_id);
    let revoked = admin.post_json(&path, &json!({})).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text());
    let again = admin.post_json(&path, &json!({})).await;
    assert_eq!(again.status, 404);

    let reply = phone.signed("GET", "/api/v1/config", b"").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.error_id(), "api.unknown_device");
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_matches_server_doc() {
    let server = start_server(|_| {}).await;
    let health = send(server.address, "GET", "/healthz", &[], b"").await;
    assert_eq!(health.status, 200);
    let body = health.json();

    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/SERVER.md"))
        .expect("read docs/SERVER.md");
    let example = doc
        .split("`/healthz` returns `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("docs/SERVER.md shows the /healthz body");
    let documented: serde_json::Value = serde_json::from_str(example).expect("documented JSON");

    let keys = |value: &serde_json::Value| {
        let mut names: Vec<String> = value
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(keys(&body), keys(&documented), "{body} vs {documented}");
    assert_eq!(body["status"], documented["status"]);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}
