//! Two hundred phones uploading at the same moment: every record must be stored exactly once.

mod common;

use common::*;

const DEVICES: u32 = 200;
const RECORDS_PER_DEVICE: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_devices_lose_nothing() {
    // All phones share 127.0.0.1 here, so the per-address limit is raised as a gateway's
    // address would need.
    let server = start_server(|config| {
        config.ip_rate_per_s = 100_000.0;
        config.ip_burst = 100_000;
    })
    .await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;

    let mut phones = Vec::new();
    for serial in 1..=DEVICES {
        let nip = nip_with_serial(serial);
        let code = admin.enroll_asn(&nip, opd_id, office_id).await;
        phones.push(register_phone(server.address, &nip, &code).await);
    }

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(DEVICES as usize));
    let mut tasks = Vec::new();
    for mut phone in phones {
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let records: Vec<_> = (0..RECORDS_PER_DEVICE)
                .map(|_| phone.next_record())
                .collect();
            let slices: Vec<&[u8]> = records.iter().map(|r| r.as_bytes()).collect();
            let body = batch_body(&slices);
            let headers = phone.sign("POST", "/api/v1/records", &body);
            barrier.wait().await;
            send(phone.address, "POST", "/api/v1/records", &headers, &body).await
        }));
    }

    let mut accepted = 0;
    for task in tasks {
        let reply = task.await.expect("upload task");
        assert_eq!(reply.status, 200, "{}", reply.text());
        accepted += reply.json()["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|result| result["status"] == "accepted")
            .count();
    }
    assert_eq!(accepted, DEVICES as usize * RECORDS_PER_DEVICE);
    assert_eq!(
        count_rows(&server, "records"),
        i64::from(DEVICES) * RECORDS_PER_DEVICE as i64
    );
}
