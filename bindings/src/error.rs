//! The one error type that crosses into Kotlin, and the one place that maps core's errors into
//! it and decides how loudly each is logged.
//!
//! Kotlin sees `SiperluException` with one subclass per variant. Every variant carries a
//! `message_id` from the catalog, which the app turns into Bahasa Indonesia text with
//! `messageText`, and a `reason` in English for developers and bug reports. The variants group
//! errors by what the screen does about them, not by the module that raised them.

use std::panic::{AssertUnwindSafe, catch_unwind};

use siperlu_core::device::DeviceError;
use siperlu_core::sync::SyncError;

/// Error of every exported call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SiperluError {
    /// The phone is not set up for this call yet (no device identity, NIP, enrolled face,
    /// office configuration or place valid today): the app sends the ASN to the step named by
    /// `message_id`.
    #[error("{message_id}: {reason}")]
    NotReady { message_id: String, reason: String },
    /// An argument is unusable: an unreadable photo, a bad NIP or GPS fix, an empty plan title.
    /// The ASN corrects it and tries again.
    #[error("{message_id}: {reason}")]
    InvalidInput { message_id: String, reason: String },
    /// The input was well-formed but refused: enrollment photos that do not show one clear
    /// face, a configuration that fails its checks, a plan past its cutoff.
    #[error("{message_id}: {reason}")]
    Rejected { message_id: String, reason: String },
    /// The phone itself failed: the store, the face models or the key vault. The app shows the
    /// text and the ASN contacts the admin when it persists.
    #[error("{message_id}: {reason}")]
    Device { message_id: String, reason: String },
    /// The server could not be reached or refused the request.
    #[error("{message_id}: {reason}")]
    Network { message_id: String, reason: String },
    /// Anything unexpected, including a caught panic: a bug to report. `message_id` is always
    /// `common.internal_error`.
    #[error("{message_id}: {reason}")]
    Internal { message_id: String, reason: String },
}

impl SiperluError {
    /// Returns the catalog id of the text to show.
    pub fn message_id(&self) -> &str {
        match self {
            SiperluError::NotReady { message_id, .. }
            | SiperluError::InvalidInput { message_id, .. }
            | SiperluError::Rejected { message_id, .. }
            | SiperluError::Device { message_id, .. }
            | SiperluError::Network { message_id, .. }
            | SiperluError::Internal { message_id, .. } => message_id,
        }
    }

    /// Builds the catch-all error.
    pub fn internal(reason: impl Into<String>) -> SiperluError {
        SiperluError::Internal {
            message_id: INTERNAL_ID.to_string(),
            reason: reason.into(),
        }
    }
}

/// Catalog id of [`SiperluError::Internal`].
const INTERNAL_ID: &str = "common.internal_error";

/// Maps a device error, and logs it at the level its kind deserves: errors of the phone at
/// `error`, refusals at `warn`, the ASN's own input mistakes at `info`. The reason never contains
/// the NIP (core keeps it out of its error texts).
pub fn map_device_error(error: DeviceError) -> SiperluError {
    let message_id = error.message_id().to_string();
    let reason = error.to_string();
    let mapped = match error {
        DeviceError::NotInitialised { .. }
        | DeviceError::NoNip
        | DeviceError::NoTemplate
        | DeviceError::NoConfig
        | DeviceError::NoPlaces => SiperluError::NotReady { message_id, reason },
        DeviceError::InvalidNip { .. }
        | DeviceError::InvalidPhoto { .. }
        | DeviceError::InvalidFix { .. } => SiperluError::InvalidInput { message_id, reason },
        // An unreadable enrollment photo is bad input like any unreadable photo; core only
        // adds its number to the text.
        DeviceError::EnrollmentRejected { .. } if message_id == "device.invalid_photo" => {
            SiperluError::InvalidInput { message_id, reason }
        }
        DeviceError::PlanRejected { .. } if message_id == "plan.empty_title" => {
            SiperluError::InvalidInput { message_id, reason }
        }
        DeviceError::PlanRejected { .. } if message_id == "common.invalid_value" => {
            SiperluError::InvalidInput { message_id, reason }
        }
        DeviceError::EnrollmentRejected { .. }
        | DeviceError::ConfigRejected { .. }
        | DeviceError::PlanRejected { .. } => SiperluError::Rejected { message_id, reason },
        DeviceError::TemplateUnusable { .. }
        | DeviceError::WrongVault { .. }
        | DeviceError::Storage { .. }
        | DeviceError::ModelsUnavailable { .. } => SiperluError::Device { message_id, reason },
        DeviceError::Internal { .. } => SiperluError::Internal { message_id, reason },
    };
    log_mapped(&mapped);
    mapped
}

/// Maps a sync error. A refusal whose server error id has a complete catalog text (for example
/// `api.enrollment_code_invalid`) keeps that id, as `SyncError::message_id` decides, so the ASN
/// reads the server's own reason.
pub fn map_sync_error(error: SyncError) -> SiperluError {
    let message_id = error.message_id().to_string();
    let reason = error.to_string();
    let mapped = match error {
        SyncError::Device(device) => return map_device_error(device),
        SyncError::InvalidServerUrl { .. } => SiperluError::InvalidInput { message_id, reason },
        SyncError::NotRegistered { .. } => SiperluError::NotReady { message_id, reason },
        SyncError::Unreachable { .. } | SyncError::Refused { .. } | SyncError::Protocol { .. } => {
            SiperluError::Network { message_id, reason }
        }
        SyncError::UntrustedSignature { .. } => SiperluError::Rejected { message_id, reason },
        SyncError::Store(_) => SiperluError::Device { message_id, reason },
    };
    log_mapped(&mapped);
    mapped
}

impl From<SyncError> for SiperluError {
    fn from(error: SyncError) -> SiperluError {
        map_sync_error(error)
    }
}

fn log_mapped(error: &SiperluError) {
    match error {
        SiperluError::Device { .. } | SiperluError::Internal { .. } => {
            tracing::error!(message_id = error.message_id(), %error, "call failed")
        }
        SiperluError::Rejected { .. } | SiperluError::Network { .. } => {
            tracing::warn!(message_id = error.message_id(), %error, "call rejected")
        }
        SiperluError::NotReady { .. } | SiperluError::InvalidInput { .. } => {
            tracing::info!(message_id = error.message_id(), "call needs other input")
        }
    }
}

impl From<DeviceError> for SiperluError {
    fn from(error: DeviceError) -> SiperluError {
        map_device_error(error)
    }
}

/// A Kotlin callback (the key vault, the clock, the log sink) threw something it did not
/// declare. The vault's typed failures arrive as [`SiperluError`] already.
impl From<uniffi::UnexpectedUniFFICallbackError> for SiperluError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> SiperluError {
        let mapped = SiperluError::Device {
            message_id: "device.storage".to_string(),
            reason: format!("a platform callback failed: {}", error.reason),
        };
        log_mapped(&mapped);
        mapped
    }
}

/// Runs one exported call, turning a panic into [`SiperluError::Internal`] so that Kotlin
/// always gets a typed error. Core reports a store lock poisoned by such a panic as internal
/// too, so the next call fails cleanly instead of crashing the app.
pub fn guard<T>(
    call: &'static str,
    body: impl FnOnce() -> Result<T, SiperluError>,
) -> Result<T, SiperluError> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-text panic".to_string());
            let mapped = SiperluError::internal(format!("{call} panicked: {detail}"));
            log_mapped(&mapped);
            Err(mapped)
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn device_errors_map_by_what_the_screen_does() {
        let not_ready = map_device_error(DeviceError::NoTemplate);
        assert!(matches!(not_ready, SiperluError::NotReady { .. }));
        assert_eq!(not_ready.message_id(), "device.no_template");

        let photo = map_device_error(DeviceError::InvalidPhoto {
            detail: "not an image".into(),
        });
        assert!(matches!(photo, SiperluError::InvalidInput { .. }));

        let enrollment_photo = map_device_error(DeviceError::EnrollmentRejected {
            detail: "enrollment photo 2 cannot be read".into(),
            photo_number: Some(2),
            reason_id: Some("device.invalid_photo"),
        });
        assert!(matches!(
            enrollment_photo,
            SiperluError::InvalidInput { .. }
        ));
        assert_eq!(enrollment_photo.message_id(), "device.invalid_photo");

        let cutoff = map_device_error(DeviceError::PlanRejected {
            message_id: "plan.past_cutoff".into(),
            detail: "after 17:00".into(),
        });
        assert!(matches!(cutoff, SiperluError::Rejected { .. }));
        assert_eq!(cutoff.message_id(), "plan.past_cutoff");

        let blank = map_device_error(DeviceError::PlanRejected {
            message_id: "plan.empty_title".into(),
            detail: "item 1".into(),
        });
        assert!(matches!(blank, SiperluError::InvalidInput { .. }));
    }

    #[test]
    fn sync_refusal_keeps_catalog_id() {
        let refused = |error_id: &str| SyncError::Refused {
            what: "registration",
            status: 403,
            error_id: error_id.to_string(),
            message: "refused".to_string(),
        };
        let known = map_sync_error(refused("api.enrollment_code_invalid"));
        assert!(matches!(known, SiperluError::Network { .. }), "{known:?}");
        assert_eq!(known.message_id(), "api.enrollment_code_invalid");
        assert_eq!(
            map_sync_error(refused("api.something_new")).message_id(),
            "sync.refused"
        );

        let offline = map_sync_error(SyncError::Unreachable {
            attempts: 5,
            detail: "connection refused".to_string(),
        });
        assert!(matches!(offline, SiperluError::Network { .. }));
        assert_eq!(offline.message_id(), "sync.offline");
        assert!(matches!(
            map_sync_error(SyncError::Device(DeviceError::NoTemplate)),
            SiperluError::NotReady { .. }
        ));
    }

    #[test]
    fn every_mapped_id_has_catalog_text() {
        for id in [INTERNAL_ID, "device.storage"] {
            assert!(
                siperlu_core::messages::lookup(id).is_some(),
                "{id} is missing"
            );
        }
    }

    #[test]
    fn panic_becomes_internal_error() {
        let result: Result<(), SiperluError> = guard("test_call", || panic!("boom"));
        let error = result.expect_err("a panic is an error");
        assert!(matches!(error, SiperluError::Internal { .. }), "{error:?}");
        assert!(error.to_string().contains("test_call panicked: boom"));
    }
}
