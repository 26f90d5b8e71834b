//! Registration and "sync now" for the app: thin wrappers over core's `SyncClient`, which
//! talks to the server with blocking HTTP. The app calls them on a worker thread (a
//! WorkManager job for the periodic sync), one run at a time per phone.

use std::sync::Arc;

use siperlu_core::store::OutboxState;
use siperlu_core::sync::{self as core_sync, SyncClient};
use uuid::Uuid;

use crate::device::SiperluDevice;
use crate::error::{SiperluError, guard};
use crate::types::{ConfigSummary, Reason, SyncState};

/// Timeouts and retries of the sync client. Null in the calls below means the defaults: 10 s
/// to connect, 30 s per request, 5 attempts with backoff from 1 s up to 60 s.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    pub connect_timeout_ms: u64,
    pub request_timeout_ms: u64,
    /// Attempts per request before the run gives up, at least 1.
    pub max_attempts: u32,
    /// First backoff delay in ms; it doubles with each retry up to `backoff_max_ms`.
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
}

/// Returns the default sync options, for the app to adjust one field.
#[uniffi::export]
pub fn default_sync_options() -> SyncOptions {
    let options = core_sync::SyncOptions::default();
    SyncOptions {
        connect_timeout_ms: options.connect_timeout_ms,
        request_timeout_ms: options.request_timeout_ms,
        max_attempts: options.max_attempts,
        backoff_base_ms: options.backoff_base_ms,
        backoff_max_ms: options.backoff_max_ms,
    }
}

fn core_options(options: Option<SyncOptions>) -> core_sync::SyncOptions {
    let defaults = core_sync::SyncOptions::default();
    match options {
        None => defaults,
        Some(options) => core_sync::SyncOptions {
            connect_timeout_ms: options.connect_timeout_ms,
            request_timeout_ms: options.request_timeout_ms,
            max_attempts: options.max_attempts,
            backoff_base_ms: options.backoff_base_ms,
            backoff_max_ms: options.backoff_max_ms,
            ..defaults
        },
    }
}

/// Receives each record's new sync state on the sync thread, as soon as the store has it. The
/// history screen refreshes its badges from it.
#[uniffi::export(foreign)]
pub trait SyncListener: Send + Sync {
    fn record_state_changed(&self, record_id: String, state: SyncState);
}

struct ListenerAdapter(Arc<dyn SyncListener>);

impl core_sync::SyncObserver for ListenerAdapter {
    fn record_state_changed(&self, record_id: Uuid, state: OutboxState) {
        self.0
            .record_state_changed(record_id.to_string(), state.into());
    }
}

/// The outcome of a registration with an enrollment code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegistrationResult {
    /// The device id the server registered: this phone's own.
    pub device_id: String,
    /// Id of the server key now pinned.
    pub server_key_id: String,
    /// The first configuration, verified and stored.
    pub config: ConfigSummary,
}

/// A record the server refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RejectedRecord {
    pub record_id: String,
    pub reason: Reason,
}

/// Summary of one sync run.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Records the server stored in this run.
    pub accepted: u32,
    /// Records the server already had; acknowledged now too.
    pub duplicates: u32,
    pub rejected: Vec<RejectedRecord>,
    /// Upload requests sent, successful or not.
    pub batches_sent: u32,
    /// Work plan revisions the server stored.
    pub plans_pushed: u32,
    /// Plan revisions the server refused in this run, as `day #revision: reason id`. Those it
    /// rejected for good are not sent again.
    pub plans_refused: Vec<String>,
    /// Failed attempts that were retried.
    pub retries: u32,
    /// Server time of the time anchor stored in this run, ms since the Unix epoch.
    pub anchor_server_time_ms: Option<i64>,
    /// Issue time of the configuration stored in this run, ms since the Unix epoch.
    pub config_issued_at_ms: Option<i64>,
}

impl From<core_sync::SyncReport> for SyncReport {
    fn from(report: core_sync::SyncReport) -> SyncReport {
        SyncReport {
            accepted: report.accepted,
            duplicates: report.duplicates,
            rejected: report
                .rejected
                .into_iter()
                .map(|rejected| RejectedRecord {
                    record_id: rejected.record_id.to_string(),
                    reason: Reason::from_id(&rejected.reason_id),
                })
                .collect(),
            batches_sent: report.batches_sent,
            plans_pushed: report.plans_pushed,
            plans_refused: report.plans_refused,
            retries: report.retries,
            anchor_server_time_ms: report.anchor.map(|anchor| anchor.server_time_ms),
            config_issued_at_ms: report.config_issued_at_ms,
        }
    }
}

#[uniffi::export]
impl SiperluDevice {
    /// Registers the phone with `server_url` using the one-time `enrollment_code` an admin
    /// issued; the NIP must be set and the face enrolled first. Pins the server key and stores
    /// the first configuration. A used or unknown code throws `Network` with the server's
    /// reason id (`api.enrollment_code_invalid`).
    pub fn register(
        &self,
        server_url: String,
        enrollment_code: String,
        options: Option<SyncOptions>,
    ) -> Result<RegistrationResult, SiperluError> {
        guard("register", || {
            let client = SyncClient::new(self.core(), &server_url, core_options(options))?;
            let registered = client.register(&enrollment_code)?;
            Ok(RegistrationResult {
                device_id: registered.device_id.to_string(),
                server_key_id: registered.server_key_id,
                config: registered.config.into(),
            })
        })
    }

    /// Runs one sync with the server the phone registered with: a time anchor, the pending
    /// records, the work plan revisions, then the configuration. Records acknowledged before an
    /// error keep that state; the rest stay pending for the next run.
    // NOTE: nothing here stops two runs at once; the app runs sync as one unique WorkManager
    // job, and a second concurrent run would upload the same records and get `duplicate`.
    pub fn sync_now(
        &self,
        options: Option<SyncOptions>,
        listener: Option<Arc<dyn SyncListener>>,
    ) -> Result<SyncReport, SiperluError> {
        guard("sync_now", || {
            let server_url = self
                .core()
                .registration()?
                .and_then(|registration| registration.server_url)
                .ok_or_else(|| {
                    SiperluError::from(core_sync::SyncError::NotRegistered {
                        what: "this phone has no server to sync with".to_string(),
                    })
                })?;
            let mut client = SyncClient::new(self.core(), &server_url, core_options(options))?;
            if let Some(listener) = listener {
                client = client.with_observer(Arc::new(ListenerAdapter(listener)));
            }
            Ok(client.sync()?.into())
        })
    }
}
