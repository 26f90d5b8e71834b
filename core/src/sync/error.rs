//! Errors of the sync client. Each names what failed and what to do, and maps to a message id
//! the Android shell shows the ASN.

use crate::device::DeviceError;
use crate::messages::{self, Locale};
use crate::store::StoreError;

/// Why a registration or a sync run stopped. Records already acknowledged or rejected before
/// the error keep that state in the store; the rest stay pending for the next run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server address is not an http or https URL.
    #[error(
        "server address {url:?} is invalid: {reason}; give a URL such as https://presensi.example.go.id"
    )]
    InvalidServerUrl { url: String, reason: String },
    /// A step needs a registration this phone does not have yet.
    #[error(
        "{what}; register the device with `siperlu device register` (or the app's setup) first"
    )]
    NotRegistered { what: String },
    /// The server could not be reached, or kept failing, through every attempt.
    #[error(
        "server unreachable after {attempts} attempts: {detail}; the records stay pending and are sent at the next sync"
    )]
    Unreachable { attempts: u32, detail: String },
    /// The server refused the request in a way another attempt will not change.
    #[error("server refused {what} with HTTP {status} {error_id}: {message}")]
    Refused {
        what: &'static str,
        status: u16,
        error_id: String,
        message: String,
    },
    /// A signed document does not verify with the pinned server key.
    #[error(
        "{document} is not signed by the pinned server key {pinned_key_id:?}: {detail}; it was not used"
    )]
    UntrustedSignature {
        document: &'static str,
        pinned_key_id: String,
        detail: String,
    },
    /// The server sent a response this client cannot read.
    #[error("unexpected answer to {what}: {detail}")]
    Protocol { what: &'static str, detail: String },
    /// The device API refused to store what the server sent, or could not read the store.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks that the catalog has a text for the server's error id that needs no values. The
/// phone then shows the server's reason (a used enrollment code, say) instead of a general one.
fn has_complete_text(error_id: &str) -> bool {
    messages::text(error_id, Locale::Id).is_some_and(|text| !text.contains('{'))
}

impl SyncError {
    /// Returns the message catalog id to show the ASN.
    pub fn message_id(&self) -> &str {
        match self {
            SyncError::InvalidServerUrl { .. } => "sync.invalid_server_url",
            SyncError::NotRegistered { .. } => "sync.not_registered",
            SyncError::Unreachable { .. } => "sync.offline",
            SyncError::Refused { error_id, .. } if has_complete_text(error_id) => error_id,
            SyncError::Refused { .. } | SyncError::Protocol { .. } => "sync.refused",
            SyncError::UntrustedSignature { .. } => "sync.untrusted_server",
            SyncError::Device(error) => error.message_id(),
            SyncError::Store(_) => "device.storage",
        }
    }

    /// Returns the text for the ASN in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            SyncError::InvalidServerUrl { url, .. } => {
                messages::format(self.message_id(), locale, &[("value", url)])
            }
            SyncError::Device(error) => error.message(locale),
            _ => messages::format(self.message_id(), locale, &[]),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn refused(error_id: &str) -> SyncError {
        SyncError::Refused {
            what: "registration",
            status: 403,
            error_id: error_id.to_string(),
            message: "refused".to_string(),
        }
    }

    #[test]
    fn refusal_shows_server_reason() {
        let error = refused("api.enrollment_code_invalid");
        assert_eq!(error.message_id(), "api.enrollment_code_invalid");
        assert!(error.message(Locale::Id).contains("Minta kode baru"));
    }

    #[test]
    fn refusal_with_values_shows_general_text() {
        // A catalog text with placeholders cannot be filled on the phone.
        let with_values = messages::text("api.invalid_field", Locale::Id).expect("in catalog");
        assert!(with_values.contains('{'));
        assert_eq!(refused("api.invalid_field").message_id(), "sync.refused");
        assert_eq!(refused("no.such_id").message_id(), "sync.refused");
    }
}
