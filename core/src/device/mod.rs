//! The device API: what the Android shell (through the UniFFI bindings), the CLI simulator and
//! the sync client call on the phone.
//!
//! A [`Device`] owns the offline store, the face engine and the platform clock. It enrolls the
//! ASN's face (the template is stored wrapped by the key vault), runs check-ins
//! ([`Device::check_in`]), lists the history with each record's sync state, keeps today's work
//! plan, and stores the registration data and the server-signed configuration. Every failure is
//! a [`DeviceError`] with a message id in the catalog. Logs carry record and device ids, never
//! the NIP, a template or a key.

mod check_in;
mod clock;
mod config;
mod error;
mod plans;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

use crate::face::{FaceEngine, FaceTemplate};
use crate::record::{AttendanceKind, GeofenceCode};
use crate::signed::PinnedKey;
use crate::store::{DeviceIdentity, OutboxState, Registration, Store};
use crate::time::{TimeAnchor, TimeSource};
use crate::vault::KeyVault;

pub use crate::policy::{ShiftConfig, TimePolicyConfig};
pub use check_in::{CheckInOutcome, CheckInStatus, ReasonText, classify};
pub use clock::{PlatformClock, SystemClock, read_clock};
pub use config::{CONFIG_FORMAT, ConfigError, DeviceConfig};
pub use error::DeviceError;
pub use plans::TodayPlan;

/// File name of the store inside the app's data folder.
pub const STORE_FILE: &str = "siperlu.db";

/// The result of a face enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollOutcome {
    /// Id of the new template; records cite it, and registration sends it to the server.
    pub template_id: String,
    /// Number of photos averaged into it.
    pub photo_count: u32,
    /// Id of the embedding model that made it.
    pub model_id: String,
    /// Whether check-ins use the new template now. `false` on a registered phone: the
    /// template the server accepted stays in use until a registration with a new enrollment
    /// code sends the new one, so a face enrolled on someone else's phone cannot check in
    /// without an admin.
    pub active: bool,
}

/// One row of the check-in history, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Per-device sequence number.
    pub sequence: u64,
    /// Record id.
    pub record_id: Uuid,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// Status as the check-in screen showed it.
    pub status: CheckInStatus,
    /// Trusted time, ms since the Unix epoch.
    pub trusted_time_ms: i64,
    /// Source of the trusted time.
    pub time_source: TimeSource,
    /// UTC offset of the office zone, in minutes.
    pub zone_offset_minutes: i16,
    /// Fence verdict.
    pub geofence: GeofenceCode,
    /// Office the verdict names.
    pub office_id: String,
    /// Reason ids recorded.
    pub reasons: Vec<String>,
    /// Upload state: pending, sent, acknowledged or rejected.
    pub sync_state: OutboxState,
    /// The server's reason when it rejected the record.
    pub reject_reason: Option<String>,
}

/// The phone's side of Siperlu. `Send + Sync`: calls lock the store one at a time.
pub struct Device {
    store: Mutex<Store>,
    engine: Arc<FaceEngine>,
    clock: Arc<dyn PlatformClock>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Device").finish_non_exhaustive()
    }
}

impl Device {
    /// Opens (or creates) the store in `data_dir` and builds the device on it.
    pub fn open(
        data_dir: &Path,
        vault: Arc<dyn KeyVault>,
        engine: Arc<FaceEngine>,
        clock: Arc<dyn PlatformClock>,
    ) -> Result<Device, DeviceError> {
        std::fs::create_dir_all(data_dir).map_err(|error| DeviceError::Storage {
            detail: format!("cannot create {}: {error}", data_dir.display()),
        })?;
        let store = Store::open(&data_dir.join(STORE_FILE), vault)?;
        Ok(Device::with_store(store, engine, clock))
    }

    /// Builds the device on an open store.
    pub fn with_store(
        store: Store,
        engine: Arc<FaceEngine>,
        clock: Arc<dyn PlatformClock>,
    ) -> Device {
        Device {
            store: Mutex::new(store),
            engine,
            clock,
        }
    }

    pub(crate) fn lock_store(&self) -> Result<MutexGuard<'_, Store>, DeviceError> {
        self.store.lock().map_err(|_| DeviceError::Internal {
            detail: "an earlier call panicked while holding the store".to_string(),
        })
    }

    /// The platform clock; the sync client reads the elapsed clock around time requests.
    pub(crate) fn clock(&self) -> &dyn PlatformClock {
        self.clock.as_ref()
    }

    /// Creates the device identity (device id and Ed25519 key) unless it exists, and returns it.
    pub fn initialise(&self) -> Result<DeviceIdentity, DeviceError> {
        let mut store = self.lock_store()?;
        match store.device() {
            Ok(identity) => Ok(identity),
            Err(crate::store::StoreError::NoDevice) => {
                Ok(store.init_device(self.clock.wall_clock_ms())?)
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Returns the device identity: the id records carry and the public key the server pins.
    pub fn identity(&self) -> Result<DeviceIdentity, DeviceError> {
        Ok(self.lock_store()?.device()?)
    }

    /// Sets the NIP of the ASN who uses the phone. The NIP already set changes nothing.
    /// Before registration, another NIP removes the templates enrolled for the previous one,
    /// which would never match again. On a registered phone another NIP is an error
    /// (`device.nip_registered`), because the server registered the device key for that NIP
    /// only.
    pub fn set_nip(&self, nip: &str) -> Result<(), DeviceError> {
        // The same plausibility rules as the server's, so a NIP the server would refuse at
        // registration is refused here before a face is enrolled for it.
        let today = chrono::DateTime::from_timestamp_millis(self.clock.wall_clock_ms())
            .map(|now| now.date_naive())
            .unwrap_or_default();
        let nip = crate::nip::parse_nip(nip, today).map_err(|error| DeviceError::InvalidNip {
            message_id: error.message_id().to_string(),
            value: nip.to_string(),
            detail: error.to_string(),
        })?;
        let nip = nip.as_str();
        let mut store = self.lock_store()?;
        let previous = store.registration()?;

        if let Some(previous) = &previous {
            // The same NIP again keeps the registration and its face, so setting the NIP
            // cannot make a newly enrolled face active without the server.
            if previous.nip == nip {
                return Ok(());
            }

            // The server registered this phone's key for the previous NIP and would reject
            // records of another one. Another ASN needs a new device identity and a new code.
            if previous.registered_ms.is_some() {
                return Err(DeviceError::InvalidNip {
                    message_id: "device.nip_registered".to_string(),
                    value: nip.to_string(),
                    detail: "the phone is registered for another NIP; clear the app's data and register again with a new enrollment code".to_string(),
                });
            }

            for template_id in store.template_ids(&previous.nip)? {
                store.delete_template(&template_id)?;
            }
        }
        let registration = Registration {
            nip: nip.to_string(),
            server_url: previous.and_then(|previous| previous.server_url),
            registered_ms: None,
            template_id: None,
        };
        store.save_registration(&registration)?;
        Ok(())
    }

    /// Returns the registration (NIP, server URL, registration time), if the NIP was set.
    pub fn registration(&self) -> Result<Option<Registration>, DeviceError> {
        Ok(self.lock_store()?.registration()?)
    }

    /// Records that `server_url` accepted this phone with the face template `template_id`, and
    /// pins the server key its configuration and time anchors must be signed with. Templates
    /// other than `template_id` are deleted. The sync client calls this after a successful
    /// registration.
    pub fn record_registration(
        &self,
        server_url: &str,
        server_key: &PinnedKey,
        template_id: &str,
    ) -> Result<(), DeviceError> {
        let mut store = self.lock_store()?;
        let nip = Device::registered_nip(&store)?;
        let stored = store.template_ids(&nip)?;
        if !stored.iter().any(|id| id == template_id) {
            return Err(DeviceError::NoTemplate);
        }

        store.pin_server_key(server_key)?;
        store.save_registration(&Registration {
            nip,
            server_url: Some(server_url.to_string()),
            registered_ms: Some(self.clock.wall_clock_ms()),
            template_id: Some(template_id.to_string()),
        })?;
        for other in stored.iter().filter(|id| *id != template_id) {
            store.delete_template(other)?;
        }
        tracing::info!(key_id = %server_key.key_id, template_id, "server key pinned at registration");
        Ok(())
    }

    /// Pins the server key without changing the registration.
    pub fn pin_server_key(&self, server_key: &PinnedKey) -> Result<(), DeviceError> {
        self.lock_store()?.pin_server_key(server_key)?;
        Ok(())
    }

    /// Returns the pinned server key, if any.
    pub fn server_key(&self) -> Result<Option<PinnedKey>, DeviceError> {
        Ok(self.lock_store()?.server_key()?)
    }

    /// Verifies a configuration envelope (a [`crate::signed::SignedEnvelope`] whose payload is
    /// a [`DeviceConfig`] as JSON) against the pinned key, checks it belongs to this device and
    /// NIP and is not older than the cached one, and caches it.
    pub fn save_config(&self, envelope: &[u8]) -> Result<DeviceConfig, DeviceError> {
        let mut store = self.lock_store()?;
        let pinned = store
            .server_key()?
            .ok_or_else(|| DeviceError::ConfigRejected {
                detail: "no server key is pinned; register the device first".to_string(),
            })?;
        let payload = crate::signed::SignedEnvelope::open(envelope, &pinned)
            .map_err(crate::store::StoreError::from)?;
        let config = DeviceConfig::from_json_bytes(&payload)?;

        let identity = store.device()?;
        if Uuid::parse_str(&config.device_id).ok() != Some(identity.device_id) {
            return Err(ConfigError::OtherDevice {
                found: config.device_id.clone(),
                expected: identity.device_id,
            }
            .into());
        }
        if Device::registered_nip(&store)? != config.nip {
            return Err(ConfigError::OtherNip.into());
        }
        // A cached configuration that no longer verifies (the server key was rotated and
        // pinned again) orders nothing, so the new one replaces it.
        let cached = match Device::load_config(&store) {
            Ok(cached) => cached,
            Err(DeviceError::ConfigRejected { .. }) => None,
            Err(other) => return Err(other),
        };
        if let Some(cached) = cached
            && cached.issued_at_ms > config.issued_at_ms
        {
            return Err(ConfigError::Older {
                found_ms: config.issued_at_ms,
                cached_ms: cached.issued_at_ms,
            }
            .into());
        }

        store.save_config(envelope, self.clock.wall_clock_ms())?;
        tracing::info!(
            device_id = %identity.device_id,
            issued_at_ms = config.issued_at_ms,
            places = config.assignment.offices.len() + config.assignment.dinas_luar.len(),
            "configuration stored"
        );
        Ok(config)
    }

    /// Returns the cached configuration, verified again against the pinned key.
    pub fn current_config(&self) -> Result<Option<DeviceConfig>, DeviceError> {
        Device::load_config(&*self.lock_store()?)
    }

    /// Stores a time anchor the sync client obtained from the server. `elapsed_ms` and
    /// `boot_id` must come from this device's [`PlatformClock`] when the response arrived.
    ///
    /// NOTE: the server's signature on the anchor is not checked here, so the caller (the sync
    /// client) must verify it first.
    pub fn save_time_anchor(&self, anchor: &TimeAnchor) -> Result<(), DeviceError> {
        let received_ms = self.clock.wall_clock_ms();
        self.lock_store()?.save_time_anchor(anchor, received_ms)?;
        Ok(())
    }

    /// Builds a face template from 3 to 5 photos of the registered ASN and stores it wrapped by
    /// the vault, replacing earlier templates of that NIP. Uses the configured face policy, or
    /// the default one before any configuration arrived (enrollment precedes registration).
    pub fn enroll_face(&self, photos: &[&[u8]]) -> Result<EnrollOutcome, DeviceError> {
        let mut store = self.lock_store()?;
        let identity = store.device()?;
        let nip = Device::registered_nip(&store)?;
        let policy = Device::load_config(&store)?
            .map(|config| config.face_policy)
            .unwrap_or_default();

        let template = self.engine.enroll(photos, &policy)?;
        let bytes = serde_json::to_vec(&template).map_err(|error| DeviceError::Internal {
            detail: format!("cannot serialise the template: {error}"),
        })?;
        // Keep the registered template: it stays the one check-ins use until the server
        // accepts the new one with a new enrollment code. Earlier unregistered enrollments go.
        let registered = store
            .registration()?
            .and_then(|registration| registration.template_id);
        let earlier = store.template_ids(&nip)?;
        store.save_template(
            &template.template_id,
            &nip,
            &bytes,
            self.clock.wall_clock_ms(),
        )?;
        for template_id in earlier {
            if template_id != template.template_id && Some(&template_id) != registered.as_ref() {
                store.delete_template(&template_id)?;
            }
        }

        let active = registered.is_none() || registered.as_ref() == Some(&template.template_id);
        tracing::info!(
            device_id = %identity.device_id,
            template_id = %template.template_id,
            photos = template.photo_count,
            active,
            "face enrolled"
        );
        Ok(EnrollOutcome {
            template_id: template.template_id,
            photo_count: template.photo_count,
            model_id: template.model_id,
            active,
        })
    }

    /// Returns the id of the enrolled template, if any.
    ///
    /// This is the newest enrollment, which the next registration sends to the server. On a
    /// registered phone it may differ from the template check-ins use (see
    /// [`EnrollOutcome::active`]).
    pub fn enrolled_template_id(&self) -> Result<Option<String>, DeviceError> {
        let store = self.lock_store()?;
        let Some(registration) = store.registration()? else {
            return Ok(None);
        };
        Ok(store.template_ids(&registration.nip)?.pop())
    }

    /// Returns up to `limit` records, newest first, with their sync states.
    pub fn history(&self, limit: usize) -> Result<Vec<HistoryEntry>, DeviceError> {
        let store = self.lock_store()?;
        let Some(head) = store.chain_head()? else {
            return Ok(Vec::new());
        };
        let from_sequence = head
            .sequence
            .saturating_sub(limit as u64)
            .saturating_add(1)
            .max(1);
        let mut rows = store.records(from_sequence, limit)?;
        rows.reverse();

        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let signed = row.signed().map_err(|error| DeviceError::Storage {
                detail: format!("stored record {} is damaged: {error}", row.sequence),
            })?;
            let record = signed.record();
            entries.push(HistoryEntry {
                sequence: row.sequence,
                record_id: row.record_id,
                kind: record.kind,
                status: classify(&record.reasons, record.face.matched, record.geofence.code),
                trusted_time_ms: record.trusted_time_ms,
                time_source: record.time_source,
                zone_offset_minutes: record.zone_offset_minutes,
                geofence: record.geofence.code,
                office_id: record.geofence.office_id.clone(),
                reasons: record.reasons.clone(),
                sync_state: row.state,
                reject_reason: row.reject_reason,
            });
        }
        Ok(entries)
    }

    fn registered_nip(store: &Store) -> Result<String, DeviceError> {
        Ok(store.registration()?.ok_or(DeviceError::NoNip)?.nip)
    }

    fn load_config(store: &Store) -> Result<Option<DeviceConfig>, DeviceError> {
        let Some(payload) = store.load_config()? else {
            return Ok(None);
        };
        Ok(Some(DeviceConfig::from_json_bytes(&payload)?))
    }

    /// Loads the template check-ins match against: the registered one on a registered phone,
    /// otherwise the newest enrollment.
    fn load_template(store: &Store, nip: &str) -> Result<Option<FaceTemplate>, DeviceError> {
        let registered = store
            .registration()?
            .and_then(|registration| registration.template_id);
        let newest = store.template_ids(nip)?.pop();
        let Some(template_id) = registered.or(newest) else {
            return Ok(None);
        };
        let bytes = store.load_template(&template_id)?;
        let template: FaceTemplate =
            serde_json::from_slice(&bytes).map_err(|error| DeviceError::TemplateUnusable {
                detail: format!("template {template_id} does not parse: {error}"),
            })?;
        Ok(Some(template))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn device_is_send_and_sync() {
        // The bindings share one `Arc<Device>` between the UI thread and background jobs.
        assert_send_sync::<Device>();
    }
}
