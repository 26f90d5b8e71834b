//! `SiperluDevice`, the object the Android app holds for the phone's whole life: it wraps
//! core's `Device` (the store, the face engine and the clock) and delegates every call to it.
//! Core locks the store per call, so the object is safe to share between threads. Each method
//! blocks while face inference, SQLite or HTTP runs, so the app calls it off the main thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use siperlu_core::device::Device;
use siperlu_core::face::{FaceEngine, FaceEngineConfig};
use siperlu_core::signed::PinnedKey;

use crate::error::{SiperluError, guard};
use crate::platform::{ClockAdapter, KeyVault, PlatformClock, VaultAdapter};
use crate::types::{
    AttendanceKind, CheckInResult, ConfigSummary, DeviceInfo, EnrollResult, HistoryEntry,
    LocationFix, PlanItem, PlanStatus, RegistrationInfo, TodayPlan,
};

/// Paths of the face models and ONNX Runtime on the phone. The app copies the models out of
/// its assets once; ONNX Runtime is a native library packaged in the APK.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
pub struct FaceModelPaths {
    /// Path of `manifest.toml`, which names each model with its size and SHA-256.
    pub manifest_path: String,
    /// Folder holding the `.onnx` files.
    pub models_dir: String,
    /// Path of `libonnxruntime.so`. A process loads only one: every device must name the same.
    pub onnxruntime_library: String,
}

/// Face engines already loaded in this process, by their paths. Loading one takes seconds and
/// ONNX Runtime can be loaded once per process, so devices opened again share the engine.
static ENGINES: Mutex<Vec<(FaceModelPaths, Arc<FaceEngine>)>> = Mutex::new(Vec::new());

fn load_engine(paths: &FaceModelPaths) -> Result<Arc<FaceEngine>, SiperluError> {
    let mut engines = ENGINES
        .lock()
        .map_err(|_| SiperluError::internal("an earlier engine load panicked"))?;
    if let Some((_, engine)) = engines.iter().find(|(known, _)| known == paths) {
        return Ok(engine.clone());
    }
    let config = FaceEngineConfig {
        manifest_path: PathBuf::from(&paths.manifest_path),
        models_dir: PathBuf::from(&paths.models_dir),
        onnxruntime_library: PathBuf::from(&paths.onnxruntime_library),
        ..FaceEngineConfig::default()
    };
    let engine = Arc::new(
        FaceEngine::new(config)
            .map_err(|error| SiperluError::from(siperlu_core::device::DeviceError::from(error)))?,
    );
    engines.push((paths.clone(), engine.clone()));
    Ok(engine)
}

/// The phone's side of Siperlu.
#[derive(uniffi::Object)]
pub struct SiperluDevice {
    device: Arc<Device>,
}

impl std::fmt::Debug for SiperluDevice {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SiperluDevice")
            .finish_non_exhaustive()
    }
}

impl SiperluDevice {
    /// Returns the core device, which the sync client shares.
    pub(crate) fn core(&self) -> Arc<Device> {
        self.device.clone()
    }
}

#[uniffi::export]
impl SiperluDevice {
    /// Opens (or creates) the store in `data_dir` (the app's `filesDir`), loads the face
    /// models, and creates the device identity on first use.
    #[uniffi::constructor]
    pub fn open(
        data_dir: String,
        models: FaceModelPaths,
        vault: Arc<dyn KeyVault>,
        clock: Arc<dyn PlatformClock>,
    ) -> Result<Arc<SiperluDevice>, SiperluError> {
        guard("open", || {
            let engine = load_engine(&models)?;
            let device = Device::open(
                &PathBuf::from(data_dir),
                Arc::new(VaultAdapter(vault)),
                engine,
                Arc::new(ClockAdapter(clock)),
            )?;
            device.initialise()?;
            Ok(Arc::new(SiperluDevice {
                device: Arc::new(device),
            }))
        })
    }

    /// Returns the device id and public key the server registers.
    pub fn identity(&self) -> Result<DeviceInfo, SiperluError> {
        guard("identity", || Ok(self.device.identity()?.into()))
    }

    /// Sets the NIP (18 digits) of the ASN who uses the phone; the activation screen calls it
    /// first. Another NIP than before removes the face enrolled for the previous one.
    pub fn set_nip(&self, nip: String) -> Result<(), SiperluError> {
        guard("set_nip", || Ok(self.device.set_nip(&nip)?))
    }

    /// Returns the NIP and server the phone is registered with, or null before `setNip`.
    pub fn registration(&self) -> Result<Option<RegistrationInfo>, SiperluError> {
        guard("registration", || {
            Ok(self.device.registration()?.map(RegistrationInfo::from))
        })
    }

    /// Enrolls the ASN's face from 3 to 5 JPEG or PNG photos (the enrollment screen's
    /// captures), replacing an earlier enrollment.
    pub fn enroll_face(&self, photos: Vec<Vec<u8>>) -> Result<EnrollResult, SiperluError> {
        guard("enroll_face", || {
            let photos: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
            Ok(self.device.enroll_face(&photos)?.into())
        })
    }

    /// Returns the id of the enrolled face template, or null.
    pub fn enrolled_template_id(&self) -> Result<Option<String>, SiperluError> {
        guard("enrolled_template_id", || {
            Ok(self.device.enrolled_template_id()?)
        })
    }

    /// Runs a check-in or check-out. `frames[0]` is the selfie (JPEG or PNG); further frames
    /// are the blink burst. Every well-formed attempt is recorded, a rejected one too; a
    /// malformed input or a phone not set up throws and records nothing.
    pub fn check_in(
        &self,
        kind: AttendanceKind,
        frames: Vec<Vec<u8>>,
        fix: LocationFix,
    ) -> Result<CheckInResult, SiperluError> {
        guard("check_in", || {
            let frames: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
            Ok(self
                .device
                .check_in(kind.into(), &frames, fix.into())?
                .into())
        })
    }

    /// Returns up to `limit` records, newest first, each with its sync state.
    pub fn history(&self, limit: u32) -> Result<Vec<HistoryEntry>, SiperluError> {
        guard("history", || {
            Ok(self
                .device
                .history(limit as usize)?
                .into_iter()
                .map(HistoryEntry::from)
                .collect())
        })
    }

    /// Returns today's work plan.
    pub fn today_plan(&self) -> Result<TodayPlan, SiperluError> {
        guard("today_plan", || Ok(self.device.today_plan()?.into()))
    }

    /// Saves `items` as the next signed revision of today's plan.
    pub fn set_today_plan(&self, items: Vec<PlanItem>) -> Result<TodayPlan, SiperluError> {
        guard("set_today_plan", || {
            let items = items.into_iter().map(Into::into).collect();
            Ok(self.device.set_today_plan(items)?.into())
        })
    }

    /// Sets the status and note of item `index` (0-based) of today's plan, as a new revision.
    pub fn mark_plan_item(
        &self,
        index: u32,
        status: PlanStatus,
        note: String,
    ) -> Result<TodayPlan, SiperluError> {
        guard("mark_plan_item", || {
            Ok(self
                .device
                .mark_plan_item(index as usize, status.into(), &note)?
                .into())
        })
    }

    /// Returns the cached server configuration, verified again, or null before the first one.
    pub fn current_config(&self) -> Result<Option<ConfigSummary>, SiperluError> {
        guard("current_config", || {
            Ok(self.device.current_config()?.map(ConfigSummary::from))
        })
    }

    /// Pins the server's Ed25519 public key (32 bytes) under `key_id`. Registration does this;
    /// the app calls it itself only when the key comes another way (a QR code from the admin).
    pub fn pin_server_key(&self, key_id: String, public_key: Vec<u8>) -> Result<(), SiperluError> {
        guard("pin_server_key", || {
            Ok(self
                .device
                .pin_server_key(&PinnedKey { key_id, public_key })?)
        })
    }

    /// Verifies a signed configuration envelope (`SPSE`, docs/PROTOCOL.md) against the pinned
    /// key and caches it. Sync does this; it is exported for configurations that arrive
    /// another way.
    pub fn save_config(&self, envelope: Vec<u8>) -> Result<ConfigSummary, SiperluError> {
        guard("save_config", || {
            Ok(self.device.save_config(&envelope)?.into())
        })
    }
}
