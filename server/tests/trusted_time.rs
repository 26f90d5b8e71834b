//! Trusted time against a real server on 127.0.0.1 with a real SQLite file: the server
//! recomputes each record's time from the anchor it names, and the ways a phone can lie about
//! its time are flagged. The phone's clocks are simulated (see `common`), and the anchors are
//! real ones the server issued, except where a test fabricates one.
//!
//! Also here: concurrent uploads of one device, whose signatures are checked outside the
//! database lock while the chain is linked inside it.

mod common;

use common::*;
use serde_json::Value;
use siperlu_core::record::{AttendanceRecord, RECORD_FORMAT_VERSION, SignedRecord};
use siperlu_core::time::TimeSource;

/// Returns the stored claim, the server's time and the attendance day of a record.
fn stored_times(server: &TestServer, record: &AttendanceRecord) -> (i64, Option<i64>, String) {
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    connection
        .query_row(
            "SELECT trusted_time_ms, server_time_ms, local_date FROM records WHERE id = ?1",
            [record.record_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("record stored")
}

fn wib_date(time_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(time_ms)
        .expect("valid time")
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn clock_set_back_keeps_anchored_time() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    phone.wall_clock_offset_ms = -3_600_000;
    let signed = phone.next_record();
    let record = signed.record();
    assert_eq!(record.time_source, TimeSource::ServerAnchor);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert_eq!(
        flags_of(&result),
        vec!["time.clock_skew".to_string()],
        "the set-back clock is reported, and nothing else"
    );

    let (claimed_ms, server_ms, local_date) = stored_times(&server, record);
    assert_eq!(
        server_ms,
        Some(claimed_ms),
        "the honest claim recomputes exactly"
    );
    assert!(
        (claimed_ms - now_ms()).abs() < 60_000,
        "trusted time is real time, not the phone clock"
    );
    assert_eq!(local_date, wib_date(claimed_ms));
}

#[tokio::test(flavor = "multi_thread")]
async fn fabricated_anchor_is_flagged() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let mut record = phone.next_record().record().clone();

    // A phone that invents an anchor an hour earlier and computes its time from it, to check
    // in an hour earlier than it really does.
    let anchor = record.anchor.as_mut().expect("anchored record");
    anchor.server_time_ms -= 3_600_000;
    record.trusted_time_ms -= 3_600_000;
    record.wall_clock_ms -= 3_600_000;
    let signed = phone.sign_instead(&record);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let flags = flags_of(&result);
    assert!(
        flags.contains(&"ingest.unknown_anchor".to_string()),
        "{flags:?}"
    );
    assert!(flags.contains(&"time.no_anchor".to_string()), "{flags:?}");

    let (claimed_ms, server_ms, _) = stored_times(&server, &record);
    assert_eq!(claimed_ms, record.trusted_time_ms);
    assert_eq!(
        server_ms,
        Some(record.wall_clock_ms),
        "without a known anchor the server falls back to the wall clock"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn time_disagreeing_with_anchor_is_flagged() {
    let (server, admin, mut phone) = start_with_phone(|_| {}).await;
    let mut record = phone.next_record().record().clone();
    let real_ms = record.trusted_time_ms;

    // A genuine anchor, but the claimed time and wall clock moved a day back, so the record
    // would count for yesterday.
    record.trusted_time_ms -= 86_400_000;
    record.wall_clock_ms -= 86_400_000;
    let signed = phone.sign_instead(&record);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let flags = flags_of(&result);
    assert!(
        flags.contains(&"ingest.time_mismatch".to_string()),
        "{flags:?}"
    );
    assert!(
        !flags.contains(&"ingest.unknown_anchor".to_string()),
        "the anchor is genuine: {flags:?}"
    );

    let (claimed_ms, server_ms, local_date) = stored_times(&server, &record);
    assert_eq!(claimed_ms, real_ms - 86_400_000);
    assert_eq!(
        server_ms,
        Some(real_ms),
        "the server recomputes the real time"
    );
    assert_eq!(
        local_date,
        wib_date(real_ms),
        "the attendance day follows the server's time"
    );

    // The detail page shows the server's time and, because they differ, the device's claim.
    let page = admin
        .get(&format!("/admin/checkins/{}", record.record_id))
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("id=\"device-time\""),
        "{}",
        page.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn honest_record_has_no_device_time_row() {
    let (_server, admin, mut phone) = start_with_phone(|_| {}).await;
    let signed = phone.next_record();
    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert!(flags_of(&result).is_empty(), "{result}");

    let page = admin
        .get(&format!("/admin/checkins/{}", signed.record().record_id))
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(!page.text().contains("id=\"device-time\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn elapsed_backwards_within_boot_is_flagged() {
    let (_server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let first = phone.next_record();
    let result = phone.upload_one(&first).await;
    assert!(flags_of(&result).is_empty(), "{result}");

    // The second record's elapsed clock is a minute behind the first one's, and the phone
    // hides the flag its own check raised.
    let mut record = phone.next_record().record().clone();
    record.elapsed_ms = first.record().elapsed_ms - 60_000;
    record.trusted_time_ms = first.record().trusted_time_ms - 60_000;
    record.wall_clock_ms = record.trusted_time_ms;
    record.reasons.clear();
    let signed = phone.sign_instead(&record);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let flags = flags_of(&result);
    assert!(
        flags.contains(&"time.elapsed_backwards".to_string()),
        "{flags:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn changed_anchor_reading_is_flagged() {
    let (_server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let first = phone.next_record();
    let result = phone.upload_one(&first).await;
    assert!(flags_of(&result).is_empty(), "{result}");

    // The second record names the same anchor but claims it arrived ten minutes later on the
    // elapsed clock, which moves its trusted time ten minutes back, consistently.
    let mut record = phone.next_record().record().clone();
    let anchor = record.anchor.as_mut().expect("anchored record");
    anchor.elapsed_ms += 600_000;
    record.trusted_time_ms -= 600_000;
    record.wall_clock_ms -= 600_000;
    let signed = phone.sign_instead(&record);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    let flags = flags_of(&result);
    assert!(
        flags.contains(&"ingest.anchor_mismatch".to_string()),
        "{flags:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reboot_without_anchor_uses_wall_clock() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let first = phone.next_record();
    phone.upload_one(&first).await;

    phone.reboot();
    let signed = phone.next_record();
    let record = signed.record();
    assert_eq!(record.time_source, TimeSource::WallClock);
    assert_eq!(record.anchor, None);

    let result = phone.upload_one(&signed).await;
    assert_eq!(result["status"], "accepted", "{result}");
    assert_eq!(flags_of(&result), vec!["time.no_anchor".to_string()]);
    let (claimed_ms, server_ms, _) = stored_times(&server, record);
    assert_eq!(server_ms, Some(claimed_ms));
    assert_eq!(claimed_ms, record.wall_clock_ms);

    // A fresh anchor in the new boot brings anchored time back.
    phone.fetch_anchor().await;
    let anchored = phone.next_record();
    assert_eq!(anchored.record().time_source, TimeSource::ServerAnchor);
    let result = phone.upload_one(&anchored).await;
    assert!(flags_of(&result).is_empty(), "{result}");
}

#[tokio::test(flavor = "multi_thread")]
async fn version_1_record_is_rejected() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let signed = phone.next_record();
    let mut bytes = signed.as_bytes().to_vec();
    // The format version is the big-endian u16 after the 4-byte magic.
    bytes[4..6].copy_from_slice(&1u16.to_be_bytes());
    assert_eq!(RECORD_FORMAT_VERSION, 2);

    let reply = phone
        .signed("POST", "/api/v1/records", &batch_body(&[&bytes]))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(
        reply.json()["results"][0]["reason_id"],
        "record.unsupported_version"
    );
    assert_eq!(count_rows(&server, "records"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn same_batch_twice_at_once_stores_once() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let records: Vec<SignedRecord> = (0..20).map(|_| phone.next_record()).collect();
    let slices: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
    let body = batch_body(&slices);

    let (first, second) = tokio::join!(
        phone.signed("POST", "/api/v1/records", &body),
        phone.signed("POST", "/api/v1/records", &body)
    );
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(second.status, 200, "{}", second.text());

    let statuses = |reply: &Reply| -> Vec<String> {
        reply.json()["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|result| result["status"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let mut outcomes = [statuses(&first), statuses(&second)];
    outcomes.sort();
    assert!(
        outcomes[0].iter().all(|status| status == "accepted"),
        "one upload stores every record: {outcomes:?}"
    );
    assert!(
        outcomes[1].iter().all(|status| status == "duplicate"),
        "the other finds them stored: {outcomes:?}"
    );
    assert_eq!(count_rows(&server, "records"), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn consecutive_batches_at_once_link_in_order() {
    let (server, _admin, mut phone) = start_with_phone(|_| {}).await;
    let records: Vec<SignedRecord> = (0..10).map(|_| phone.next_record()).collect();
    let slices: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
    let earlier = batch_body(&slices[..5]);
    let later = batch_body(&slices[5..]);

    let (earlier_reply, later_reply) = tokio::join!(
        phone.signed("POST", "/api/v1/records", &earlier),
        phone.signed("POST", "/api/v1/records", &later)
    );
    let results = |reply: &Reply| -> Vec<Value> {
        reply.json()["results"]
            .as_array()
            .expect("results")
            .to_vec()
    };

    // Whichever batch took the connection first, the other one linked against the chain state
    // the first left. Either both link cleanly, or the later batch is stored with a gap and the
    // earlier one is then rejected as a replay. Nothing is linked twice.
    let later_results = results(&later_reply);
    let later_first = flags_of(&later_results[0]).contains(&"record.sequence_gap".to_string());
    if later_first {
        assert_eq!(earlier_reply.status, 422, "{}", earlier_reply.text());
        assert!(
            results(&earlier_reply)
                .iter()
                .all(|result| result["reason_id"] == "record.replay"),
            "{}",
            earlier_reply.text()
        );
        assert_eq!(count_rows(&server, "records"), 5);
    } else {
        assert_eq!(earlier_reply.status, 200, "{}", earlier_reply.text());
        assert!(
            results(&earlier_reply)
                .iter()
                .chain(later_results.iter())
                .all(|result| result["status"] == "accepted" && result.get("flags").is_none()),
            "{} {}",
            earlier_reply.text(),
            later_reply.text()
        );
        assert_eq!(count_rows(&server, "records"), 10);
    }

    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    let chain_sequence: i64 = connection
        .query_row("SELECT chain_sequence FROM devices", [], |row| row.get(0))
        .expect("chain state");
    assert_eq!(chain_sequence, 10, "the chain ends at the last record");
}
