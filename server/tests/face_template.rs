//! The face template a device registered with, against a real server on 127.0.0.1 with a real
//! SQLite file: a record matched against another template is flagged, because the face on the
//! phone was replaced without a new enrollment code. The phone is simulated (see `common`).

mod common;

use common::*;
use serde_json::Value;
use siperlu_core::record::SignedRecord;

/// Uploads one record and returns its result object.
async fn upload(phone: &Phone, signed: &SignedRecord) -> Value {
    let reply = phone
        .signed("POST", "/api/v1/records", &batch_body(&[signed.as_bytes()]))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"][0].clone()
}

fn has_flag(result: &Value, flag: &str) -> bool {
    result["flags"]
        .as_array()
        .is_some_and(|flags| flags.iter().any(|value| value == flag))
}

#[tokio::test(flavor = "multi_thread")]
async fn replaced_template_is_flagged() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;

    let honest = phone.next_record();
    let result = upload(&phone, &honest).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(
        !has_flag(&result, "ingest.template_not_registered"),
        "{result}"
    );

    // The same phone after someone enrolled another face on it and matched against that.
    let mut record = phone.next_record().record().clone();
    record.template_id = "template-of-someone-else".into();
    let replaced = SignedRecord::sign(&record, &phone.key).expect("sign record");
    phone.previous_hash = replaced.hash();
    let result = upload(&phone, &replaced).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(
        has_flag(&result, "ingest.template_not_registered"),
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
