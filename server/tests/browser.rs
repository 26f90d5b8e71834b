//! The admin pages in a real browser: Debian's headless chromium, driven by playwright-core,
//! logs in, opens a check-in, checks the SVG map and approves it.
//!
//! Ignored by plain `cargo test` because it needs chromium and node modules installed by
//! `scripts/setup-browser`; `scripts/test` installs them and runs it with `--ignored`.

mod common;

use common::*;
use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and playwright-core; run scripts/setup-browser, then cargo test -p siperlu-server --test browser -- --ignored"]
async fn browser_logs_in_and_approves() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(3);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;
    let record = phone.next_record();
    let upload = phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    assert_eq!(upload.status, 200, "{}", upload.text());

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/review.mjs");
    let base_url = format!("http://{}", server.address);
    let record_id = record.record().record_id.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args([script, &base_url, ADMIN_PASSWORD, &record_id])
            .output()
    })
    .await
    .expect("join")
    .expect("run node; is it installed? scripts/setup-browser installs the rest");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );

    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let status: String = connection
        .query_row("SELECT status FROM records", [], |row| row.get(0))
        .expect("record status");
    assert_eq!(status, "approved");
    let audited: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'checkin.approve'",
            [],
            |row| row.get(0),
        )
        .expect("audit count");
    assert_eq!(audited, 1);
}
