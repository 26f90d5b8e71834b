//! Ingest benchmark: 200 phones upload batches of 100 signed records at once to a server on
//! 127.0.0.1 (release build, real SQLite file), next to the raw Ed25519 verification rate
//! measured in the same run.
//!
//! Run with `cargo bench -p siperlu-server --bench ingest`. Batches and request signatures are
//! made before the clock starts, so the timed part is the server's work plus loopback HTTP.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use std::time::{Duration, Instant};

const DEVICES: u32 = 200;
const BATCHES_PER_DEVICE: usize = 3;
const RECORDS_PER_BATCH: usize = 100;
const RAW_VERIFICATIONS: usize = 20_000;

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn raw_verification_rate(sample: &siperlu_core::record::SignedRecord, public_key: &[u8]) -> f64 {
    let started = Instant::now();
    for _ in 0..RAW_VERIFICATIONS {
        sample.verify(public_key).expect("sample verifies");
    }
    RAW_VERIFICATIONS as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let server = start_server(|config| {
        config.ip_rate_per_s = 1_000_000.0;
        config.ip_burst = 1_000_000;
    })
    .await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;

    eprintln!("registering {DEVICES} phones and signing their records");
    let mut prepared = Vec::new();
    let mut sample = None;
    for serial in 1..=DEVICES {
        let nip = nip_with_serial(serial);
        let code = admin.enroll_asn(&nip, opd_id, office_id).await;
        let mut phone = register_phone(server.address, &nip, &code).await;
        let mut requests = Vec::new();
        for _ in 0..BATCHES_PER_DEVICE {
            let records: Vec<_> = (0..RECORDS_PER_BATCH)
                .map(|_| phone.next_record())
                .collect();
            if sample.is_none() {
                sample = Some((
                    records[0].clone(),
                    siperlu_core::request_auth::public_key_of(&phone.key),
                ));
            }
            let slices: Vec<&[u8]> = records.iter().map(|r| r.as_bytes()).collect();
            let body = batch_body(&slices);
            let headers = phone.sign("POST", "/api/v1/records", &body);
            requests.push((headers, body));
        }
        prepared.push((phone.address, requests));
    }
    let (sample_record, sample_key) = sample.expect("at least one record");

    let raw_before = raw_verification_rate(&sample_record, &sample_key);

    eprintln!("uploading");
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (address, requests) in prepared {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut accepted = 0usize;
            for (headers, body) in requests {
                let sent = Instant::now();
                let reply = send(address, "POST", "/api/v1/records", &headers, &body).await;
                latencies.push(sent.elapsed());
                assert_eq!(reply.status, 200, "{}", reply.text());
                accepted += reply.json()["results"]
                    .as_array()
                    .expect("results")
                    .iter()
                    .filter(|r| r["status"] == "accepted")
                    .count();
            }
            (latencies, accepted)
        }));
    }
    let mut latencies = Vec::new();
    let mut accepted = 0;
    for task in tasks {
        let (task_latencies, task_accepted) = task.await.expect("upload task");
        latencies.extend(task_latencies);
        accepted += task_accepted;
    }
    let elapsed = started.elapsed();

    let raw_after = raw_verification_rate(&sample_record, &sample_key);
    let raw_rate = (raw_before + raw_after) / 2.0;

    let expected = DEVICES as usize * BATCHES_PER_DEVICE * RECORDS_PER_BATCH;
    assert_eq!(accepted, expected, "every record must be accepted");
    latencies.sort();
    let ingest_rate = accepted as f64 / elapsed.as_secs_f64();
    println!(
        "devices: {DEVICES}, batches per device: {BATCHES_PER_DEVICE}, records per batch: {RECORDS_PER_BATCH}"
    );
    println!(
        "records ingested: {accepted} in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!("ingest throughput: {ingest_rate:.0} records/s");
    println!(
        "batch latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies
            .last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    );
    println!(
        "raw Ed25519 verification (one thread, record-sized messages): {raw_rate:.0} /s (before {raw_before:.0}, after {raw_after:.0})"
    );
    println!(
        "ratio ingest / raw verification: {:.3}",
        ingest_rate / raw_rate
    );

    let nonce_check_s = nonce_check_seconds();
    let requests = DEVICES as usize * BATCHES_PER_DEVICE;
    let nonce_share = nonce_check_s * requests as f64 / elapsed.as_secs_f64();
    println!(
        "nonce check and insert (one thread, own database): {:.1} us each, {:.1} ms for the {requests} uploads ({:.2}% of the upload time)",
        nonce_check_s * 1e6,
        nonce_check_s * requests as f64 * 1000.0,
        nonce_share * 100.0
    );
}

/// Times `record_nonce`, the replay check every signed request makes, on a fresh database
/// file, and returns the mean seconds per call. It leaves out the hop to the blocking pool
/// and the wait for the connection lock that a request adds.
fn nonce_check_seconds() -> f64 {
    const CALLS: usize = 20_000;
    let folder = tempfile::tempdir().expect("temp dir");
    let db = siperlu_server::db::Db::open(&folder.path().join("nonces.db")).expect("open");
    let now = now_ms();
    let started = Instant::now();
    for call in 0..CALLS {
        let nonce = format!("bench-nonce-{call:012}");
        let fresh = db
            .call_blocking(|connection| {
                siperlu_server::device_auth::record_nonce(
                    connection,
                    "bench-device",
                    &nonce,
                    now,
                    siperlu_server::DEFAULT_REQUEST_WINDOW_MS,
                )
            })
            .expect("record nonce");
        assert!(fresh, "every nonce is new");
    }
    started.elapsed().as_secs_f64() / CALLS as f64
}
