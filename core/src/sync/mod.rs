//! The sync client: how a phone that may be offline for days hands its check-ins to the server
//! without losing or duplicating one.
//!
//! [`SyncClient::register`] registers the phone with an enrollment code and pins the server
//! key from the first signed document. [`SyncClient::sync`] then, on each run (the Android
//! shell runs it in a JobScheduler job on a worker thread):
//!
//! 1. fetches a signed time anchor, timed with the elapsed-since-boot clock;
//! 2. uploads the outbox in sequence order, in batches of up to [`MAX_BATCH_RECORDS`];
//! 3. pushes unsynced work plan revisions;
//! 4. fetches the signed configuration and stores it if it verifies with the pinned key.
//!
//! Every outbox change is written to the store before the next step: a batch is marked `sent`
//! before the request leaves, `acknowledged` (server answered `accepted` or `duplicate`) or
//! `rejected` with the server's reason id when the answer arrives, and back to `pending` when
//! no usable answer came. A run killed mid-request leaves its batch `sent`; the next run puts
//! it back to `pending` and sends it again, and the server answers `duplicate` for what it had
//! already stored. Each request is retried with exponential backoff and jitter
//! ([`backoff::backoff_delay_ms`]) on a dropped connection, a timeout, a 5xx, a 429 or a
//! replayed nonce; other refusals stop the run with [`SyncError::Refused`]. See docs/SYNC.md.

pub mod backoff;
mod error;
mod http;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use uuid::Uuid;

use crate::device::{Device, DeviceConfig, DeviceError};
use crate::signed::{PinnedKey, SignedEnvelope, key_id_for};
use crate::store::{OutboxState, StoredRecord};
use crate::time::TimeAnchor;

pub use error::SyncError;
use http::{Answer, AttemptFailure, Http, PartsOwned, new_nonce};

/// Largest number of records in one upload; the server accepts at most this many.
pub const MAX_BATCH_RECORDS: usize = 100;

/// Timeouts, retries and batch size of the sync client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOptions {
    /// Time allowed to open a connection, in ms.
    pub connect_timeout_ms: u64,
    /// Time allowed for a whole request and its response, in ms.
    pub request_timeout_ms: u64,
    /// Attempts per request (or per record batch) before the run gives up, at least 1.
    pub max_attempts: u32,
    /// First backoff delay, in ms; it doubles with each retry.
    pub backoff_base_ms: u64,
    /// Largest backoff delay, in ms (also the cap on a server's Retry-After).
    pub backoff_max_ms: u64,
    /// Records per upload, 1 to [`MAX_BATCH_RECORDS`].
    pub batch_size: usize,
}

impl Default for SyncOptions {
    /// 10 s to connect, 30 s per request, 5 attempts, backoff from 1 s up to 60 s, batches of 100.
    fn default() -> SyncOptions {
        SyncOptions {
            connect_timeout_ms: 10_000,
            request_timeout_ms: 30_000,
            max_attempts: 5,
            backoff_base_ms: 1_000,
            backoff_max_ms: 60_000,
            batch_size: MAX_BATCH_RECORDS,
        }
    }
}

/// Told about each outbox state change right after the store has it; the Android shell uses
/// it to refresh the history screen, the tests to check the order of states.
pub trait SyncObserver: Send + Sync {
    /// `record_id` is now in `state` in the store.
    fn record_state_changed(&self, record_id: Uuid, state: OutboxState);
}

/// The outcome of a registration.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    /// The device id the server registered (the store's own id).
    pub device_id: Uuid,
    /// Key id of the pinned server key.
    pub server_key_id: String,
    /// The first configuration, verified and stored.
    pub config: DeviceConfig,
}

/// A record the server refused, with the catalog id of its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub record_id: Uuid,
    pub reason_id: String,
}

/// Counts and results of one sync run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Records the server stored in this run (answered `accepted`).
    pub accepted: u32,
    /// Records the server already had (answered `duplicate`), also acknowledged now.
    pub duplicates: u32,
    /// Records the server refused in this run.
    pub rejected: Vec<RejectedRecord>,
    /// Upload requests sent, successful or not.
    pub batches_sent: u32,
    /// Plan revisions the server stored.
    pub plans_pushed: u32,
    /// Plan revisions the server refused in this run, as `day #revision: reason id`. Those it
    /// rejected for good are marked refused in the store and not sent again
    /// (`Store::refused_plans` lists them). The others stay unsynced.
    pub plans_refused: Vec<String>,
    /// Attempts that failed and were retried, over every request of the run.
    pub retries: u32,
    /// The time anchor stored in this run.
    pub anchor: Option<TimeAnchor>,
    /// Issue time of the configuration stored in this run.
    pub config_issued_at_ms: Option<i64>,
}

/// The sync client of one phone and one server.
pub struct SyncClient {
    device: Arc<Device>,
    server_url: String,
    http: Http,
    options: SyncOptions,
    observer: Option<Arc<dyn SyncObserver>>,
    retries: AtomicU32,
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SyncClient")
            .field("server_url", &self.server_url)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A signed document as the server sends it; only the envelope form is used.
#[derive(Deserialize)]
struct SignedDocumentWire {
    envelope: String,
    server_public_key: String,
}

#[derive(Deserialize)]
struct RegisterAnswer {
    device_id: String,
    config: SignedDocumentWire,
}

#[derive(Deserialize)]
struct TimeDocument {
    server_time_ms: i64,
    device_id: String,
    request_nonce: String,
}

#[derive(Deserialize)]
struct UploadAnswer {
    results: Vec<RecordResultWire>,
}

#[derive(Deserialize)]
struct RecordResultWire {
    index: usize,
    status: String,
    #[serde(default)]
    reason_id: Option<String>,
}

/// One request that got an answer, with the elapsed clock read around it.
struct Exchange {
    answer: Answer,
    nonce: String,
    elapsed_before_ms: i64,
    elapsed_after_ms: i64,
}

impl SyncClient {
    /// Builds a client for `server_url` (for example `https://presensi.sidoarjokab.go.id`).
    pub fn new(
        device: Arc<Device>,
        server_url: &str,
        options: SyncOptions,
    ) -> Result<SyncClient, SyncError> {
        let invalid = |reason: String| SyncError::InvalidServerUrl {
            url: server_url.to_string(),
            reason,
        };
        if options.max_attempts == 0 || !(1..=MAX_BATCH_RECORDS).contains(&options.batch_size) {
            return Err(invalid(format!(
                "max_attempts must be at least 1 and batch_size 1 to {MAX_BATCH_RECORDS}, found {} and {}",
                options.max_attempts, options.batch_size
            )));
        }
        let http = Http::new(
            server_url,
            options.connect_timeout_ms,
            options.request_timeout_ms,
        )
        .map_err(invalid)?;
        Ok(SyncClient {
            device,
            server_url: server_url.trim_end_matches('/').to_string(),
            http,
            options,
            observer: None,
            retries: AtomicU32::new(0),
        })
    }

    /// Sets the observer that receives outbox state changes.
    pub fn with_observer(mut self, observer: Arc<dyn SyncObserver>) -> SyncClient {
        self.observer = Some(observer);
        self
    }

    /// Registers the phone with a one-time enrollment code from an admin. The phone must be
    /// initialised, have its NIP set and a face enrolled. Pins the server key that signed the
    /// first configuration and stores that configuration.
    ///
    /// An enrollment code works once, with one exception for a lost response. The same
    /// request again (same code, NIP, key, template and device id) within the code's lifetime
    /// returns the same device id and a fresh configuration, and the client's own retries rely
    /// on that. After the code expires, a new code is needed.
    pub fn register(&self, enrollment_code: &str) -> Result<Registered, SyncError> {
        let identity = self.device.identity()?;
        let nip = self.device.registration()?.ok_or(DeviceError::NoNip)?.nip;
        let template_id = self
            .device
            .enrolled_template_id()?
            .ok_or(DeviceError::NoTemplate)?;
        let body = serde_json::json!({
            "enrollment_code": enrollment_code,
            "nip": nip,
            "device_public_key": hex::encode(identity.public_key),
            "template_id": template_id,
            "device_id": identity.device_id.to_string(),
        })
        .to_string();

        let exchange = self.request(
            "registration",
            "POST",
            "/api/v1/devices/register",
            body.into_bytes(),
            false,
        )?;
        let answer = expect_status("registration", exchange.answer, 201)?;
        let registered: RegisterAnswer = parse_json("registration", &answer.body)?;
        if Uuid::parse_str(&registered.device_id).ok() != Some(identity.device_id) {
            return Err(SyncError::Protocol {
                what: "registration",
                detail: format!(
                    "the server registered device {}, not this phone's {}",
                    registered.device_id, identity.device_id
                ),
            });
        }

        let public_key = hex::decode(&registered.config.server_public_key)
            .ok()
            .filter(|key| key.len() == 32)
            .ok_or_else(|| SyncError::Protocol {
                what: "registration",
                detail: "server_public_key is not 64 hex digits".to_string(),
            })?;
        let key = PinnedKey {
            key_id: key_id_for(&public_key),
            public_key,
        };
        let envelope = decode_envelope("registration", &registered.config.envelope)?;
        SignedEnvelope::open(&envelope, &key).map_err(|error| SyncError::UntrustedSignature {
            document: "the registration configuration",
            pinned_key_id: key.key_id.clone(),
            detail: error.to_string(),
        })?;

        self.device
            .record_registration(&self.server_url, &key, &template_id)?;
        let config = self.device.save_config(&envelope)?;
        tracing::info!(device_id = %identity.device_id, key_id = %key.key_id, "device registered with the server");
        Ok(Registered {
            device_id: identity.device_id,
            server_key_id: key.key_id,
            config,
        })
    }

    /// Runs one sync: time anchor, record upload, plans, configuration (see the module doc).
    /// Stops at the first error; what was stored before it stays stored.
    pub fn sync(&self) -> Result<SyncReport, SyncError> {
        self.pinned_key()?;
        self.retries.store(0, Ordering::Relaxed);
        let mut report = SyncReport {
            anchor: Some(self.fetch_time_anchor()?),
            ..SyncReport::default()
        };
        self.upload_records(&mut report)?;
        self.push_plans(&mut report)?;
        report.config_issued_at_ms = Some(self.fetch_config()?.issued_at_ms);
        report.retries = self.retries.load(Ordering::Relaxed);
        tracing::info!(
            accepted = report.accepted,
            duplicates = report.duplicates,
            rejected = report.rejected.len(),
            plans = report.plans_pushed,
            retries = report.retries,
            "sync finished"
        );
        Ok(report)
    }

    /// Fetches the signed configuration, checks it with the pinned server key, and stores it.
    /// A configuration signed by any other key is refused with
    /// [`SyncError::UntrustedSignature`] and the cached one stays in use.
    pub fn fetch_config(&self) -> Result<DeviceConfig, SyncError> {
        let pinned = self.pinned_key()?;
        let exchange = self.request("configuration", "GET", "/api/v1/config", Vec::new(), true)?;
        let answer = expect_status("configuration", exchange.answer, 200)?;
        let document: SignedDocumentWire = parse_json("configuration", &answer.body)?;
        let envelope = decode_envelope("configuration", &document.envelope)?;
        SignedEnvelope::open(&envelope, &pinned).map_err(|error| {
            tracing::warn!(pinned_key_id = %pinned.key_id, "configuration with an untrusted signature rejected");
            SyncError::UntrustedSignature {
                document: "the configuration",
                pinned_key_id: pinned.key_id.clone(),
                detail: error.to_string(),
            }
        })?;
        Ok(self.device.save_config(&envelope)?)
    }

    /// Fetches a signed time anchor and stores it. The anchor pairs the server time, exactly as
    /// the server signed it, with the elapsed-since-boot clock read when the answer arrived,
    /// and keeps half the round trip as its uncertainty. The server finds the anchor a record
    /// names by that exact server time, so the time is stored unadjusted; trusted time is then
    /// up to half the round trip early, which the uncertainty covers.
    pub fn fetch_time_anchor(&self) -> Result<TimeAnchor, SyncError> {
        let pinned = self.pinned_key()?;
        let identity = self.device.identity()?;
        let boot_id = self.device.clock().boot_id();
        let exchange = self.request("time anchor", "GET", "/api/v1/time", Vec::new(), true)?;
        let (nonce, before_ms, after_ms) = (
            exchange.nonce.clone(),
            exchange.elapsed_before_ms,
            exchange.elapsed_after_ms,
        );
        let answer = expect_status("time anchor", exchange.answer, 200)?;
        let document: SignedDocumentWire = parse_json("time anchor", &answer.body)?;
        let envelope = decode_envelope("time anchor", &document.envelope)?;
        let payload = SignedEnvelope::open(&envelope, &pinned).map_err(|error| {
            SyncError::UntrustedSignature {
                document: "the time anchor",
                pinned_key_id: pinned.key_id.clone(),
                detail: error.to_string(),
            }
        })?;
        let time: TimeDocument = parse_json("time anchor", &payload)?;
        if time.device_id != identity.device_id.to_string() || time.request_nonce != nonce {
            return Err(SyncError::Protocol {
                what: "time anchor",
                detail: "the anchor answers another device or another request".to_string(),
            });
        }

        let round_trip_ms = after_ms.saturating_sub(before_ms).max(0);
        let half_ms = (round_trip_ms + 1) / 2;
        let anchor = TimeAnchor {
            server_time_ms: time.server_time_ms,
            elapsed_ms: after_ms,
            boot_id,
            round_trip_uncertainty_ms: u32::try_from(half_ms).unwrap_or(u32::MAX),
        };
        self.device.save_time_anchor(&anchor)?;
        tracing::debug!(
            uncertainty_ms = anchor.round_trip_uncertainty_ms,
            "time anchor stored"
        );
        Ok(anchor)
    }

    fn pinned_key(&self) -> Result<PinnedKey, SyncError> {
        self.device
            .server_key()?
            .ok_or_else(|| SyncError::NotRegistered {
                what: "no server key is pinned on this phone".to_string(),
            })
    }

    /// Uploads the outbox: first puts back to pending what an interrupted run left `sent`, then
    /// sends pending records in sequence order, one batch at a time.
    fn upload_records(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let stranded = self.records_in(OutboxState::Sent, usize::MAX >> 1)?;
        if !stranded.is_empty() {
            tracing::info!(
                count = stranded.len(),
                "re-sending records of an interrupted sync"
            );
            self.set_state(&ids_of(&stranded), OutboxState::Pending)?;
        }

        loop {
            let batch = self.records_in(OutboxState::Pending, self.options.batch_size)?;
            if batch.is_empty() {
                return Ok(());
            }
            self.upload_batch(&batch, report)?;
        }
    }

    /// Sends one batch until the server answers or the attempts run out.
    fn upload_batch(
        &self,
        batch: &[StoredRecord],
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let ids = ids_of(batch);
        let encoded: Vec<String> = batch
            .iter()
            .map(|record| STANDARD.encode(&record.bytes))
            .collect();
        let body = serde_json::json!({ "records": encoded })
            .to_string()
            .into_bytes();

        let mut attempt = 0;
        loop {
            self.set_state(&ids, OutboxState::Sent)?;
            report.batches_sent += 1;
            let outcome = self.attempt("POST", "/api/v1/records", body.clone(), true);
            let failure = match outcome {
                Ok(exchange) => {
                    let answer = exchange.answer;
                    if (answer.status == 200 || answer.status == 422)
                        && let Ok(upload) = serde_json::from_slice::<UploadAnswer>(&answer.body)
                    {
                        return self.apply_results(batch, &upload.results, report);
                    }
                    self.set_state(&ids, OutboxState::Pending)?;
                    let (error_id, message) = answer.error_parts();
                    return Err(SyncError::Refused {
                        what: "the record upload",
                        status: answer.status,
                        error_id,
                        message,
                    });
                }
                Err(failure) => failure,
            };

            self.set_state(&ids, OutboxState::Pending)?;
            attempt += 1;
            let AttemptFailure::Retryable {
                detail,
                retry_after_ms,
            } = failure;
            tracing::warn!(attempt, records = ids.len(), %detail, "record upload failed");
            if attempt >= self.options.max_attempts {
                return Err(SyncError::Unreachable {
                    attempts: attempt,
                    detail,
                });
            }
            self.pause(attempt - 1, retry_after_ms);
        }
    }

    /// Writes the server's per-record results to the store. A record the answer does not
    /// mention goes back to pending.
    fn apply_results(
        &self,
        batch: &[StoredRecord],
        results: &[RecordResultWire],
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut acknowledged = Vec::new();
        let mut rejected = Vec::new();
        let mut answered = vec![false; batch.len()];
        for result in results {
            let Some(record) = batch.get(result.index) else {
                continue;
            };
            answered[result.index] = true;
            match result.status.as_str() {
                "accepted" => {
                    report.accepted += 1;
                    acknowledged.push(record.record_id);
                }
                "duplicate" => {
                    report.duplicates += 1;
                    acknowledged.push(record.record_id);
                }
                _ => rejected.push(RejectedRecord {
                    record_id: record.record_id,
                    reason_id: result
                        .reason_id
                        .clone()
                        .unwrap_or_else(|| "record.malformed".to_string()),
                }),
            }
        }
        let unanswered: Vec<Uuid> = batch
            .iter()
            .zip(&answered)
            .filter(|(_, answered)| !**answered)
            .map(|(record, _)| record.record_id)
            .collect();

        let now_ms = self.device.clock().wall_clock_ms();
        {
            let mut store = self.device.lock_store()?;
            store.mark_acknowledged(&acknowledged, now_ms)?;
            for refused in &rejected {
                store.mark_rejected(refused.record_id, &refused.reason_id, now_ms)?;
            }
            store.mark_unsent(&unanswered, now_ms)?;
        }
        self.notify(&acknowledged, OutboxState::Acknowledged);
        for refused in &rejected {
            tracing::warn!(record_id = %refused.record_id, reason_id = %refused.reason_id, "record rejected by the server");
            self.notify(&[refused.record_id], OutboxState::Rejected);
        }
        self.notify(&unanswered, OutboxState::Pending);
        report.rejected.extend(rejected);
        if !unanswered.is_empty() {
            return Err(SyncError::Protocol {
                what: "the record upload",
                detail: format!(
                    "the answer left out {} records; they stay pending",
                    unanswered.len()
                ),
            });
        }
        Ok(())
    }

    /// Pushes every unsynced plan revision, oldest first.
    fn push_plans(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let revisions = self.device.lock_store()?.unsynced_plans(1_000)?;
        for signed in revisions {
            let revision = signed.revision().clone();
            let body = serde_json::json!({ "signed_revision": STANDARD.encode(signed.as_bytes()) })
                .to_string()
                .into_bytes();
            let path = format!("/api/v1/plans/{}", revision.day);
            let exchange = self.request("work plan", "PUT", &path, body, true)?;
            if exchange.answer.status == 200 {
                self.device.lock_store()?.mark_plan_synced(
                    &revision.nip,
                    revision.day,
                    revision.revision,
                )?;
                report.plans_pushed += 1;
            } else {
                let (error_id, _) = exchange.answer.error_parts();
                if is_final_plan_refusal(exchange.answer.status, &error_id) {
                    let now_ms = self.device.clock().wall_clock_ms();
                    self.device.lock_store()?.mark_plan_refused(
                        &revision.nip,
                        revision.day,
                        revision.revision,
                        &error_id,
                        now_ms,
                    )?;
                }
                tracing::warn!(day = %revision.day, revision = revision.revision, status = exchange.answer.status, %error_id, "plan revision rejected by the server");
                report.plans_refused.push(format!(
                    "{} #{}: {error_id}",
                    revision.day, revision.revision
                ));
            }
        }
        Ok(())
    }

    fn records_in(&self, state: OutboxState, limit: usize) -> Result<Vec<StoredRecord>, SyncError> {
        Ok(self.device.lock_store()?.records_in_state(state, limit)?)
    }

    /// Moves records to `to` in the store (sent or pending), then notifies the observer.
    fn set_state(&self, ids: &[Uuid], to: OutboxState) -> Result<(), SyncError> {
        if ids.is_empty() {
            return Ok(());
        }
        let now_ms = self.device.clock().wall_clock_ms();
        {
            let mut store = self.device.lock_store()?;
            match to {
                OutboxState::Sent => store.mark_sent(ids, now_ms)?,
                _ => store.mark_unsent(ids, now_ms)?,
            }
        }
        self.notify(ids, to);
        Ok(())
    }

    fn notify(&self, ids: &[Uuid], state: OutboxState) {
        if let Some(observer) = &self.observer {
            for id in ids {
                observer.record_state_changed(*id, state);
            }
        }
    }

    /// Sends a request, retrying retryable failures with backoff up to `max_attempts`.
    fn request(
        &self,
        what: &'static str,
        method: &'static str,
        path: &str,
        body: Vec<u8>,
        signed: bool,
    ) -> Result<Exchange, SyncError> {
        let mut attempt = 0;
        loop {
            match self.attempt(method, path, body.clone(), signed) {
                Ok(exchange) => return Ok(exchange),
                Err(AttemptFailure::Retryable {
                    detail,
                    retry_after_ms,
                }) => {
                    attempt += 1;
                    tracing::warn!(attempt, what, %detail, "request failed");
                    if attempt >= self.options.max_attempts {
                        return Err(SyncError::Unreachable {
                            attempts: attempt,
                            detail,
                        });
                    }
                    self.pause(attempt - 1, retry_after_ms);
                }
            }
        }
    }

    /// Signs the request (with a fresh nonce and the current time) and sends it once.
    fn attempt(
        &self,
        method: &'static str,
        path: &str,
        body: Vec<u8>,
        signed: bool,
    ) -> Result<Exchange, AttemptFailure> {
        let parts = PartsOwned {
            method,
            path: path.to_string(),
            timestamp_ms: self.request_time_ms(),
            nonce: new_nonce(),
            body,
        };
        let headers = if signed {
            let store = self.device.lock_store().map_err(local_failure)?;
            Some(store.sign_request(&parts.parts()).map_err(local_failure)?)
        } else {
            None
        };

        let elapsed_before_ms = self.device.clock().elapsed_since_boot_ms();
        let answer = self
            .http
            .send(method, path, &parts.body, headers.as_ref())?;
        let elapsed_after_ms = self.device.clock().elapsed_since_boot_ms();
        Ok(Exchange {
            answer,
            nonce: parts.nonce,
            elapsed_before_ms,
            elapsed_after_ms,
        })
    }

    /// The time to sign requests with: the latest anchor carried forward by the elapsed clock
    /// when it is from this boot, the wall clock otherwise.
    // NOTE: a phone whose wall clock is more than the request window (5 min) off and that has
    // no anchor of this boot is refused with api.stale_request, even for the time request.
    fn request_time_ms(&self) -> i64 {
        let clock = self.device.clock();
        let anchor = self
            .device
            .lock_store()
            .ok()
            .and_then(|store| store.latest_time_anchor().ok().flatten());
        match anchor {
            Some(anchor) if anchor.boot_id == clock.boot_id() => {
                let since_ms = clock.elapsed_since_boot_ms() - anchor.elapsed_ms;
                if since_ms >= 0 {
                    anchor.server_time_ms + since_ms
                } else {
                    clock.wall_clock_ms()
                }
            }
            _ => clock.wall_clock_ms(),
        }
    }

    fn pause(&self, retry: u32, retry_after_ms: Option<u64>) {
        self.retries.fetch_add(1, Ordering::Relaxed);
        let delay_ms = backoff::backoff_delay_ms(
            retry,
            self.options.backoff_base_ms,
            self.options.backoff_max_ms,
        )
        .max(retry_after_ms.unwrap_or(0).min(self.options.backoff_max_ms));
        std::thread::sleep(Duration::from_millis(delay_ms));
    }
}

/// Tells whether the server's response to a plan upload rejects that revision for good: an
/// invalid revision (400, 413, 422) or one that is not newer than the server's (409), each with
/// a JSON error id. Other responses (a stale request time, an unknown device, a proxy's page)
/// are not about the revision itself, so it stays unsynced and goes out at the next run.
fn is_final_plan_refusal(status: u16, error_id: &str) -> bool {
    matches!(status, 400 | 409 | 413 | 422)
        && error_id != "api.replayed_request"
        && error_id != "unknown"
}

/// A failure of the phone itself while preparing a request; retried like a network failure,
/// since a locked or busy store usually clears.
fn local_failure(error: impl std::fmt::Display) -> AttemptFailure {
    AttemptFailure::Retryable {
        detail: format!("cannot sign the request: {error}"),
        retry_after_ms: None,
    }
}

fn ids_of(records: &[StoredRecord]) -> Vec<Uuid> {
    records.iter().map(|record| record.record_id).collect()
}

fn expect_status(what: &'static str, answer: Answer, status: u16) -> Result<Answer, SyncError> {
    if answer.status == status {
        return Ok(answer);
    }
    let (error_id, message) = answer.error_parts();
    Err(SyncError::Refused {
        what,
        status: answer.status,
        error_id,
        message,
    })
}

fn parse_json<T: for<'de> Deserialize<'de>>(
    what: &'static str,
    bytes: &[u8],
) -> Result<T, SyncError> {
    serde_json::from_slice(bytes).map_err(|error| SyncError::Protocol {
        what,
        detail: error.to_string(),
    })
}

fn decode_envelope(what: &'static str, text: &str) -> Result<Vec<u8>, SyncError> {
    STANDARD
        .decode(text.as_bytes())
        .map_err(|_| SyncError::Protocol {
            what,
            detail: "envelope is not standard base64".to_string(),
        })
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn final_plan_refusals() {
        let cases = [
            (400, "plan.not_today", true),
            (400, "plan.past_cutoff", true),
            (409, "api.conflict", true),
            (413, "api.body_too_large", true),
            (409, "api.replayed_request", false),
            (400, "unknown", false),
            (401, "api.stale_request", false),
            (403, "api.forbidden", false),
            (404, "api.unknown_device", false),
        ];
        for (status, error_id, expected) in cases {
            assert_eq!(
                is_final_plan_refusal(status, error_id),
                expected,
                "{status} {error_id}"
            );
        }
    }
}
