//! The registration row: the NIP of the ASN who uses the phone, typed at setup before the face
//! is enrolled, and the server address once the server accepted the phone's enrollment code.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::record::RecordError;

/// Who uses the phone and where it syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// NIP of the ASN, 18 digits. Personal data: never log it.
    pub nip: String,
    /// Base URL of the Siperlu server; `None` until the phone registered with one.
    pub server_url: Option<String>,
    /// When the server accepted the enrollment code, ms since the Unix epoch.
    pub registered_ms: Option<i64>,
    /// Id of the face template the server accepted with the enrollment code; `None` until the
    /// phone registered. Check-ins match against this template only.
    pub template_id: Option<String>,
}

impl Store {
    /// Saves the registration, replacing an earlier one. The NIP must be 18 digits.
    pub fn save_registration(&mut self, registration: &Registration) -> Result<(), StoreError> {
        crate::record::validate_nip(&registration.nip).map_err(RecordError::Invalid)?;
        self.connection.execute(
            "INSERT OR REPLACE INTO registration (singleton, nip, server_url, registered_ms, template_id)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![
                registration.nip,
                registration.server_url,
                registration.registered_ms,
                registration.template_id
            ],
        )?;
        tracing::info!(
            registered = registration.registered_ms.is_some(),
            "registration saved"
        );
        Ok(())
    }

    /// Returns the registration, or `None` before the NIP was set.
    pub fn registration(&self) -> Result<Option<Registration>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT nip, server_url, registered_ms, template_id FROM registration WHERE singleton = 1",
                [],
                |row| {
                    Ok(Registration {
                        nip: row.get(0)?,
                        server_url: row.get(1)?,
                        registered_ms: row.get(2)?,
                        template_id: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn registration_round_trips() {
        let mut store = super::super::test::memory_store();
        assert_eq!(store.registration().expect("reads"), None);

        let registration = Registration {
            nip: "198503152010011002".to_string(),
            server_url: None,
            registered_ms: None,
            template_id: None,
        };
        store.save_registration(&registration).expect("saves");
        assert_eq!(
            store.registration().expect("reads"),
            Some(registration.clone())
        );

        let registered = Registration {
            server_url: Some("http://127.0.0.1:8080".to_string()),
            registered_ms: Some(5_000),
            template_id: Some("tpl-1".to_string()),
            ..registration
        };
        store.save_registration(&registered).expect("replaces");
        assert_eq!(store.registration().expect("reads"), Some(registered));
    }

    #[test]
    fn registration_rejects_bad_nip() {
        let mut store = super::super::test::memory_store();
        let error = store
            .save_registration(&Registration {
                nip: "12345".to_string(),
                server_url: None,
                registered_ms: None,
                template_id: None,
            })
            .expect_err("a 5-digit NIP is invalid");
        assert!(matches!(error, StoreError::Record(_)), "{error}");
    }
}
