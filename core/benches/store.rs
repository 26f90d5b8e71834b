//! Benchmark of the records outbox on a real SQLite file: appends per second (encode, sign with
//! the vault-wrapped device key, commit with synchronous=FULL), then open time and append
//! latency with 1,000,000 records already stored.
//!
//! Run: `cargo bench -p siperlu-core --no-default-features --features store --bench store`.
//! Set `SIPERLU_BENCH_RECORDS` to change the size of the large store (default 1,000,000) and
//! `SIPERLU_BENCH_DIR` to put the files somewhere other than the system temp folder.
//!
//! The large store is built with `Store::append_records` in batches of 10,000 (one transaction
//! per batch), so each of its records is encoded, signed and chained like any other, without
//! paying one fsync per record.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation,
};
use siperlu_core::store::{OutboxState, Store};
use siperlu_core::time::TimeSource;
use siperlu_core::vault::{KeyVault, SoftwareVault};
use uuid::Uuid;

const BATCH: usize = 10_000;

fn record(now_ms: i64) -> AttendanceRecord {
    AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id: Uuid::now_v7(),
        device_id: Uuid::nil(),
        nip: "199001012015031001".to_string(),
        kind: AttendanceKind::CheckIn,
        wall_clock_ms: now_ms,
        elapsed_ms: 86_400_000,
        boot_id: "3f2c9a4e-1b7d-4c2a-8e5f-6a0b1c2d3e4f".to_string(),
        trusted_time_ms: now_ms,
        trusted_uncertainty_ms: 412,
        time_source: TimeSource::ServerAnchor,
        anchor: Some(RecordAnchor {
            server_time_ms: now_ms - 3_600_000,
            elapsed_ms: 82_800_000,
            round_trip_uncertainty_ms: 52,
        }),
        zone_offset_minutes: 420,
        location: RecordLocation {
            latitude_e7: -61_754_000,
            longitude_e7: 1_068_272_000,
            accuracy_mm: 8_500,
            fix_time_ms: now_ms,
            provider: "gps".to_string(),
            mock: false,
        },
        geofence: RecordGeofence {
            code: GeofenceCode::Inside,
            office_id: "opd-diskominfo-jakarta".to_string(),
            distance_mm: 23_410,
        },
        face: RecordFace {
            matched: true,
            score_milli: 812,
            liveness_milli: 974,
            active_liveness: ActiveLiveness::Passed,
        },
        reasons: vec![],
        template_id: "tpl-01938f39".to_string(),
        model_ids: vec![
            "fr_feature.onnx:5d1a".to_string(),
            "fr_liveness.onnx:9e07".to_string(),
        ],
        sequence: 0,
        previous_hash: GENESIS_HASH,
    }
}

fn vault() -> Arc<dyn KeyVault> {
    Arc::new(SoftwareVault::from_key(&[0x5a; 32]))
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index]
}

fn report_latencies(label: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let total: Duration = latencies.iter().sum();
    println!(
        "{label}: {} appends, {:.0} appends/s, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        latencies.len() as f64 / total.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().expect("at least one append").as_secs_f64() * 1e3,
    );
}

fn timed_appends(store: &mut Store, count: usize) -> Vec<Duration> {
    (0..count)
        .map(|index| {
            let start = Instant::now();
            store
                .append_record(record(index as i64), index as i64)
                .expect("append succeeds");
            start.elapsed()
        })
        .collect()
}

fn file_size_mib(path: &Path) -> f64 {
    let wal = path.with_extension("db-wal");
    let size = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0)
        + std::fs::metadata(wal).map(|meta| meta.len()).unwrap_or(0);
    size as f64 / (1024.0 * 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and only checks it builds.
    if !std::env::args().any(|argument| argument == "--bench") {
        return;
    }
    let large_count: usize = std::env::var("SIPERLU_BENCH_RECORDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000);
    let parent = std::env::var_os("SIPERLU_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let folder = tempfile::tempdir_in(parent).expect("temp dir");

    // 1. Appends per second on a new store: encode, sign, one committed transaction each.
    let small_path = folder.path().join("small.db");
    let mut store = Store::open(&small_path, vault()).expect("store opens");
    store.init_device(0).expect("device initialises");
    timed_appends(&mut store, 50); // warm-up
    report_latencies("empty store", timed_appends(&mut store, 2_000));
    drop(store);

    // 2. Build the large store.
    let large_path = folder.path().join("large.db");
    let mut store = Store::open(&large_path, vault()).expect("store opens");
    store.init_device(0).expect("device initialises");
    let start = Instant::now();
    let mut written = 0;
    while written < large_count {
        let count = BATCH.min(large_count - written);
        let batch = (0..count)
            .map(|index| record((written + index) as i64))
            .collect();
        store.append_records(batch, 0).expect("batch appends");
        written += count;
    }
    let build = start.elapsed();
    drop(store);
    // Write the built file back to disk now, so the timed appends below do not wait for the
    // writeback of half a gigabyte of dirty pages.
    std::fs::File::open(&large_path)
        .and_then(|file| file.sync_all())
        .expect("large store syncs");
    println!(
        "built {large_count} records in {:.1} s ({:.0} records/s signed and inserted in batches of {BATCH}); file {:.0} MiB",
        build.as_secs_f64(),
        large_count as f64 / build.as_secs_f64(),
        file_size_mib(&large_path)
    );

    // 3. Open time: open, migrate check, read the device and the chain head.
    let mut open_times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let store = Store::open(&large_path, vault()).expect("store opens");
        store.device().expect("device");
        let head = store.chain_head().expect("head").expect("records exist");
        open_times.push(start.elapsed());
        assert_eq!(head.sequence as usize, large_count);
    }
    open_times.sort();
    println!(
        "open with {large_count} records: median {:.2} ms, max {:.2} ms over 5 opens (file in the page cache)",
        percentile(&open_times, 0.5).as_secs_f64() * 1e3,
        open_times.last().expect("five opens").as_secs_f64() * 1e3
    );

    // 4. Append latency and outbox query on the large store.
    let mut store = Store::open(&large_path, vault()).expect("store opens");
    timed_appends(&mut store, 20);
    report_latencies(
        &format!("store with {large_count} records"),
        timed_appends(&mut store, 1_000),
    );

    let start = Instant::now();
    let batch = store
        .records_in_state(OutboxState::Pending, 100)
        .expect("outbox reads");
    println!(
        "next upload batch of {} pending records: {:.2} ms",
        batch.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
}
