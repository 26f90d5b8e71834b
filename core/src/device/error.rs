//! The device API's public error: a small enum the bindings turn into Kotlin exceptions, each
//! variant with a message id in the catalog so the app shows it in Bahasa Indonesia. The rich
//! errors of the store, face, geofence, location and plan modules map into it in one place,
//! which also logs them (without the NIP, a template or a key).

use crate::face::FaceError;
use crate::geofence::GeofenceError;
use crate::location::LocationError;
use crate::messages::{self, Locale};
use crate::plan::PlanError;
use crate::store::StoreError;

use super::config::ConfigError;

/// Error of a device call. `detail` is English for developers and logs; the screen
/// shows [`DeviceError::message`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// The store has no device identity yet.
    #[error("the device is not initialised: {detail}")]
    NotInitialised { detail: String },
    /// No NIP is registered on the phone.
    #[error("no NIP is registered on this phone; set it before enrolling the face")]
    NoNip,
    /// A NIP that is not 18 digits or not plausible (birth date, appointment, gender, serial).
    #[error("invalid NIP: {detail}")]
    InvalidNip {
        /// Catalog id of the broken rule: `nip.wrong_length`, `nip.birth_date`, ...
        message_id: String,
        /// The NIP as entered, shown back to the ASN who typed it. Personal data: the error
        /// is never logged.
        value: String,
        detail: String,
    },
    /// No face template is enrolled for the registered NIP.
    #[error("no face template is enrolled for the registered NIP; enroll the face first")]
    NoTemplate,
    /// The stored template cannot be used with the current models.
    #[error("the enrolled face template cannot be used: {detail}; enroll the face again")]
    TemplateUnusable { detail: String },
    /// The enrollment photos were rejected.
    #[error("enrollment rejected: {detail}")]
    EnrollmentRejected {
        detail: String,
        /// The photo to take again, counted from 1, when one photo is the cause.
        photo_number: Option<usize>,
        /// Catalog id of a complete text that explains what is wrong with that photo, such as
        /// `face.no_face`. `None` for a problem with the set as a whole.
        reason_id: Option<&'static str>,
    },
    /// A photo or frame that is not a readable JPEG or PNG.
    #[error("invalid photo: {detail}")]
    InvalidPhoto { detail: String },
    /// A GPS fix with invalid coordinates or accuracy.
    #[error("invalid location fix: {detail}")]
    InvalidFix { detail: String },
    /// No server configuration is cached yet.
    #[error("no office configuration is stored; fetch it from the server first")]
    NoConfig,
    /// No office or dinas luar location is valid on the attendance day.
    #[error("no office or dinas luar location is valid today; the admin must assign one")]
    NoPlaces,
    /// A configuration that fails its signature or its checks.
    #[error("configuration rejected: {detail}")]
    ConfigRejected { detail: String },
    /// A work plan change outside the editing window, or an invalid plan.
    #[error("work plan rejected: {detail}")]
    PlanRejected {
        /// Catalog id: `plan.not_today`, `plan.past_cutoff` or `plan.empty_title`.
        message_id: String,
        detail: String,
    },
    /// The key vault does not open this phone's store: a wrong passphrase or key file.
    #[error("{detail}")]
    WrongVault { detail: String },
    /// The store file cannot be read or written.
    #[error("storage failed: {detail}")]
    Storage { detail: String },
    /// The face models or ONNX Runtime cannot be loaded or run.
    #[error("face models unavailable: {detail}")]
    ModelsUnavailable { detail: String },
    /// Anything else: a bug to report.
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

impl DeviceError {
    /// Returns the message catalog id of the text to show.
    pub fn message_id(&self) -> &str {
        match self {
            DeviceError::NotInitialised { .. } => "device.not_initialised",
            DeviceError::NoNip => "device.no_nip",
            DeviceError::InvalidNip { message_id, .. } => message_id,
            DeviceError::NoTemplate => "device.no_template",
            DeviceError::TemplateUnusable { .. } => "device.template_unusable",
            DeviceError::EnrollmentRejected {
                reason_id: Some(reason_id),
                ..
            } => reason_id,
            DeviceError::EnrollmentRejected { .. } => "device.enrollment_rejected",
            DeviceError::InvalidPhoto { .. } => "device.invalid_photo",
            DeviceError::InvalidFix { .. } => "device.invalid_fix",
            DeviceError::NoConfig => "device.no_config",
            DeviceError::NoPlaces => "geofence.no_places",
            DeviceError::ConfigRejected { .. } => "device.config_rejected",
            DeviceError::PlanRejected { message_id, .. } => message_id,
            DeviceError::WrongVault { .. } => "device.wrong_vault",
            DeviceError::Storage { .. } => "device.storage",
            DeviceError::ModelsUnavailable { .. } => "device.models_unavailable",
            DeviceError::Internal { .. } => "common.internal_error",
        }
    }

    /// Returns the text for the ASN in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            DeviceError::InvalidNip { value, .. } => {
                messages::format(self.message_id(), locale, &[("value", value)])
            }
            DeviceError::EnrollmentRejected {
                photo_number: Some(number),
                ..
            } => {
                let reason = messages::format(self.message_id(), locale, &[]);
                messages::format(
                    "device.enrollment_photo",
                    locale,
                    &[("number", &number.to_string()), ("reason", &reason)],
                )
            }
            _ => messages::format(self.message_id(), locale, &[]),
        }
    }
}

impl From<StoreError> for DeviceError {
    fn from(error: StoreError) -> DeviceError {
        let detail = error.to_string();
        let mapped = match error {
            StoreError::NoDevice => DeviceError::NotInitialised { detail },
            StoreError::WrongVault { .. } => DeviceError::WrongVault { detail },
            StoreError::OtherNip => DeviceError::PlanRejected {
                message_id: "plan.other_nip".to_string(),
                detail,
            },
            StoreError::Config(_) | StoreError::NoServerKey => {
                DeviceError::ConfigRejected { detail }
            }
            StoreError::Plan(plan) => plan.into(),
            StoreError::Corrupt { .. }
            | StoreError::TooNew { .. }
            | StoreError::Damaged { .. }
            | StoreError::Vault(_)
            | StoreError::Sqlite(_) => DeviceError::Storage { detail },
            StoreError::AlreadyInitialised(_)
            | StoreError::NotFound { .. }
            | StoreError::InvalidTransition { .. }
            | StoreError::Record(_) => DeviceError::Internal { detail },
        };
        log_error(&mapped);
        mapped
    }
}

impl From<PlanError> for DeviceError {
    fn from(error: PlanError) -> DeviceError {
        DeviceError::PlanRejected {
            message_id: error
                .message_id()
                .unwrap_or("common.internal_error")
                .to_string(),
            detail: error.to_string(),
        }
    }
}

impl From<FaceError> for DeviceError {
    fn from(error: FaceError) -> DeviceError {
        let detail = error.to_string();
        let mapped = match error {
            FaceError::EnrollmentPhotoRejected { index, reasons } => {
                DeviceError::EnrollmentRejected {
                    detail,
                    photo_number: Some(index + 1),
                    reason_id: reasons.first().map(|reason| reason.id()),
                }
            }
            FaceError::EnrollmentDuplicate { second, .. } => DeviceError::EnrollmentRejected {
                detail,
                photo_number: Some(second + 1),
                reason_id: Some("device.enrollment_duplicate"),
            },
            FaceError::EnrollmentInconsistent { index, .. } => DeviceError::EnrollmentRejected {
                detail,
                photo_number: Some(index + 1),
                reason_id: Some("device.enrollment_other_person"),
            },
            FaceError::EnrollmentPhotoUnreadable { index, .. } => DeviceError::EnrollmentRejected {
                detail,
                photo_number: Some(index + 1),
                reason_id: Some("device.invalid_photo"),
            },
            FaceError::EmptyImage
            | FaceError::ImageTooLarge { .. }
            | FaceError::NotAnImage
            | FaceError::TooManyPixels { .. }
            | FaceError::ImageTooSmall { .. }
            | FaceError::CorruptImage { .. }
            | FaceError::NoFrames => DeviceError::InvalidPhoto { detail },
            FaceError::EnrollmentPhotoCount { .. } | FaceError::ReferenceRejected { .. } => {
                DeviceError::EnrollmentRejected {
                    detail,
                    photo_number: None,
                    reason_id: None,
                }
            }
            FaceError::TemplateCorrupt { .. } | FaceError::TemplateModelMismatch { .. } => {
                DeviceError::TemplateUnusable { detail }
            }
            FaceError::InvalidPolicy { .. } => DeviceError::ConfigRejected { detail },
            FaceError::Manifest { .. }
            | FaceError::ModelMissing { .. }
            | FaceError::ModelMismatch { .. }
            | FaceError::Runtime { .. }
            | FaceError::Inference { .. }
            | FaceError::InvalidConfig { .. } => DeviceError::ModelsUnavailable { detail },
        };
        log_error(&mapped);
        mapped
    }
}

impl From<ConfigError> for DeviceError {
    fn from(error: ConfigError) -> DeviceError {
        let mapped = DeviceError::ConfigRejected {
            detail: error.to_string(),
        };
        log_error(&mapped);
        mapped
    }
}

impl From<LocationError> for DeviceError {
    fn from(error: LocationError) -> DeviceError {
        DeviceError::InvalidFix {
            detail: error.to_string(),
        }
    }
}

impl From<GeofenceError> for DeviceError {
    fn from(error: GeofenceError) -> DeviceError {
        let detail = error.to_string();
        match error {
            GeofenceError::InvalidCoordinate { .. } | GeofenceError::InvalidAccuracy { .. } => {
                DeviceError::InvalidFix { detail }
            }
            GeofenceError::NoPlaces => DeviceError::NoPlaces,
            // The configuration was validated when it was stored, so anything else about the
            // places is a configuration the server must fix.
            _ => {
                let mapped = DeviceError::ConfigRejected { detail };
                log_error(&mapped);
                mapped
            }
        }
    }
}

/// Logs errors that point at a broken phone or app rather than at the ASN's input.
///
/// Every one is also returned to the caller, which shows or reports it, so the log stays below
/// error level: at error level a CLI printed each failure twice.
fn log_error(error: &DeviceError) {
    match error {
        DeviceError::Storage { .. }
        | DeviceError::ModelsUnavailable { .. }
        | DeviceError::Internal { .. } => {
            tracing::warn!(message_id = error.message_id(), %error, "device call failed")
        }
        DeviceError::ConfigRejected { .. } | DeviceError::TemplateUnusable { .. } => {
            tracing::info!(message_id = error.message_id(), %error, "device call failed")
        }
        _ => {}
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn every_error_has_catalog_text() {
        let errors = [
            DeviceError::NotInitialised {
                detail: String::new(),
            },
            DeviceError::NoNip,
            DeviceError::InvalidNip {
                message_id: "nip.appointment".to_string(),
                value: String::new(),
                detail: String::new(),
            },
            DeviceError::NoTemplate,
            DeviceError::TemplateUnusable {
                detail: String::new(),
            },
            DeviceError::EnrollmentRejected {
                detail: String::new(),
                photo_number: None,
                reason_id: None,
            },
            DeviceError::InvalidPhoto {
                detail: String::new(),
            },
            DeviceError::InvalidFix {
                detail: String::new(),
            },
            DeviceError::NoConfig,
            DeviceError::NoPlaces,
            DeviceError::ConfigRejected {
                detail: String::new(),
            },
            DeviceError::WrongVault {
                detail: String::new(),
            },
            DeviceError::Storage {
                detail: String::new(),
            },
            DeviceError::ModelsUnavailable {
                detail: String::new(),
            },
            DeviceError::Internal {
                detail: String::new(),
            },
        ];
        for error in errors {
            assert!(
                messages::lookup(error.message_id()).is_some(),
                "{} has no catalog entry",
                error.message_id()
            );
        }
    }

    #[test]
    fn photo_errors_map_to_invalid_photo() {
        let error = DeviceError::from(FaceError::NotAnImage);
        assert_eq!(error.message_id(), "device.invalid_photo");
        assert_eq!(
            error.message(Locale::Id),
            "Foto tidak dapat dibaca. Ambil foto lagi."
        );
    }

    #[test]
    fn unreadable_enrollment_photo_is_named() {
        let error = DeviceError::from(FaceError::EnrollmentPhotoUnreadable {
            index: 2,
            error: Box::new(FaceError::EmptyImage),
        });
        assert_eq!(error.message_id(), "device.invalid_photo");
        assert_eq!(
            error.message(Locale::Id),
            "Foto ke-3: Foto tidak dapat dibaca. Ambil foto lagi."
        );
    }
}
