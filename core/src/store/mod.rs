//! The phone's offline store (SQLite through rusqlite, bundled): device identity, wrapped face
//! templates, the outbox of signed records, work plans, the server-signed configuration and
//! time anchors.
//!
//! A check-in made offline must survive until the server has it. So the store runs SQLite in
//! WAL mode with `synchronous=FULL`, which makes a committed record survive a power cut. It
//! appends a record in one transaction (sequence number, chain hash and row together or not at
//! all), and a trigger rejects deleting any record the server has not acknowledged. Secrets (the device key
//! and templates) go through the [`KeyVault`] and are never written in plain.

mod outbox;
mod plans;
mod registration;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::plan::PlanError;
use crate::record::{PUBLIC_KEY_LEN, RecordError};
use crate::signed::{PinnedKey, SignedEnvelope, SignedError};
use crate::time::TimeAnchor;
use crate::vault::{self, KeyVault, SecretBytes, VaultError};

pub use outbox::{OutboxState, StoredRecord};
pub use plans::RefusedPlan;
pub use registration::Registration;
pub use schema::SCHEMA_VERSION;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a SQLite database or its pages are damaged.
    #[error(
        "store file {path} is damaged or not a Siperlu store ({detail}); restore it from a backup, or move it aside and initialise the device again"
    )]
    Corrupt { path: String, detail: String },
    /// The file was written by a newer app version.
    #[error(
        "store file {path} has schema version {found}, newer than version {supported} of this app; update the app"
    )]
    TooNew {
        path: String,
        found: i32,
        supported: i32,
    },
    /// The vault does not open the stored device key: a wrong passphrase or key file.
    #[error(
        "wrong passphrase or key file: the vault does not open the device key of store {path}; nothing was changed"
    )]
    WrongVault { path: String },
    /// A plan for a NIP other than the one registered on the phone.
    #[error(
        "the plan's NIP is not the NIP registered on this phone; a phone keeps plans only for its own ASN"
    )]
    OtherNip,
    /// No device identity yet.
    #[error("the device is not initialised; run `siperlu device init` (or the app's setup) first")]
    NoDevice,
    /// `init_device` on a device that has an identity.
    #[error("the device is already initialised as device {0}; its key is never replaced in place")]
    AlreadyInitialised(Uuid),
    /// No row with this id.
    #[error("{what} {id} not found in the store")]
    NotFound { what: &'static str, id: String },
    /// An outbox state change that the state machine does not allow.
    #[error("record {record_id} is {from}; it cannot become {to}")]
    InvalidTransition {
        record_id: Uuid,
        from: OutboxState,
        to: OutboxState,
    },
    /// No server key is pinned, so configuration cannot be checked.
    #[error(
        "no server key is pinned; enroll the device with the server before storing its configuration"
    )]
    NoServerKey,
    /// A stored value fails to parse: the row was changed outside this code.
    #[error("stored {what} is damaged: {detail}")]
    Damaged { what: &'static str, detail: String },
    /// Building or signing a record failed.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Building or signing a plan failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The vault failed to wrap or unwrap.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The configuration envelope failed to verify.
    #[error(transparent)]
    Config(#[from] SignedError),
    /// Any other SQLite error.
    #[error("store database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The device's identity as the server registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceIdentity {
    /// Device id carried by every record.
    pub device_id: Uuid,
    /// Ed25519 public key that verifies the device's records and plans.
    pub public_key: [u8; PUBLIC_KEY_LEN],
    /// When the identity was created, ms since the Unix epoch.
    pub created_ms: i64,
}

/// An open store. Not `Sync`: the app keeps one behind a mutex, as SQLite connections are.
pub struct Store {
    connection: Connection,
    vault: Arc<dyn KeyVault>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Store")
            .field("path", &self.path)
            .finish()
    }
}

impl Store {
    /// Opens or creates the store at `path` and migrates it to [`SCHEMA_VERSION`].
    pub fn open(path: &Path, vault: Arc<dyn KeyVault>) -> Result<Store, StoreError> {
        let connection = Connection::open(path).map_err(|error| corrupt_or(path, error))?;
        Store::prepare(connection, vault, path.to_path_buf())
    }

    /// Opens a fresh store in memory, for tests.
    pub fn open_in_memory(vault: Arc<dyn KeyVault>) -> Result<Store, StoreError> {
        Store::prepare(
            Connection::open_in_memory()?,
            vault,
            PathBuf::from(":memory:"),
        )
    }

    fn prepare(
        mut connection: Connection,
        vault: Arc<dyn KeyVault>,
        path: PathBuf,
    ) -> Result<Store, StoreError> {
        // The first statement reads the file header, so a file that is not a database fails
        // here rather than later.
        let configure = |connection: &Connection| -> rusqlite::Result<()> {
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
            connection.pragma_update(None, "synchronous", "FULL")?;
            connection.pragma_update(None, "foreign_keys", "ON")?;
            Ok(())
        };
        configure(&connection).map_err(|error| corrupt_or(&path, error))?;
        migrate(&mut connection, &path)?;
        verify_vault(&connection, vault.as_ref(), &path)?;

        tracing::debug!(schema_version = SCHEMA_VERSION, "store opened");
        Ok(Store {
            connection,
            vault,
            path,
        })
    }

    /// Runs SQLite's `quick_check` over every page. It reads the whole file, so the app runs
    /// it on demand (after a crash report, say) rather than at each open.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        let result: String = self
            .connection
            .pragma_query_value(None, "quick_check", |row| row.get(0))
            .map_err(|error| corrupt_or(&self.path, error))?;
        if result != "ok" {
            return Err(StoreError::Corrupt {
                path: self.path.display().to_string(),
                detail: result,
            });
        }
        Ok(())
    }

    /// Returns the vault the store wraps secrets with.
    pub fn vault(&self) -> &dyn KeyVault {
        self.vault.as_ref()
    }

    /// Creates the device identity: a new device id and a new Ed25519 key, stored wrapped.
    pub fn init_device(&mut self, now_ms: i64) -> Result<DeviceIdentity, StoreError> {
        if let Some(existing) = self.device_if_any()? {
            return Err(StoreError::AlreadyInitialised(existing.device_id));
        }

        let mut random_bytes = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut random_bytes)
            .map_err(|_| VaultError::Random)?;
        let device_id = uuid::Builder::from_random_bytes(random_bytes).into_uuid();
        let device_key = vault::generate_device_key(self.vault.as_ref())?;

        self.connection.execute(
            "INSERT INTO device (singleton, device_id, public_key, wrapped_key, created_ms) VALUES (1, ?1, ?2, ?3, ?4)",
            params![device_id.as_bytes(), device_key.public_key, device_key.wrapped_pkcs8, now_ms],
        )?;
        tracing::info!(%device_id, "device identity created");
        Ok(DeviceIdentity {
            device_id,
            public_key: device_key.public_key,
            created_ms: now_ms,
        })
    }

    /// Returns the device identity.
    pub fn device(&self) -> Result<DeviceIdentity, StoreError> {
        self.device_if_any()?.ok_or(StoreError::NoDevice)
    }

    fn device_if_any(&self) -> Result<Option<DeviceIdentity>, StoreError> {
        let row = self
            .connection
            .query_row(
                "SELECT device_id, public_key, created_ms FROM device WHERE singleton = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, [u8; 16]>(0)?,
                        row.get::<_, [u8; PUBLIC_KEY_LEN]>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?;
        Ok(
            row.map(|(device_id, public_key, created_ms)| DeviceIdentity {
                device_id: Uuid::from_bytes(device_id),
                public_key,
                created_ms,
            }),
        )
    }

    fn wrapped_device_key(connection: &Connection) -> Result<(Uuid, Vec<u8>), StoreError> {
        connection
            .query_row(
                "SELECT device_id, wrapped_key FROM device WHERE singleton = 1",
                [],
                |row| {
                    Ok((
                        Uuid::from_bytes(row.get::<_, [u8; 16]>(0)?),
                        row.get::<_, Vec<u8>>(1)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::NoDevice)
    }

    /// Wraps `template` (opaque bytes from the face module) and stores it under `template_id`,
    /// replacing a template of the same id.
    pub fn save_template(
        &mut self,
        template_id: &str,
        nip: &str,
        template: &[u8],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        crate::record::validate_nip(nip).map_err(RecordError::Invalid)?;
        let wrapped = self.vault.wrap(template)?;
        self.connection.execute(
            "INSERT OR REPLACE INTO templates (template_id, nip, wrapped, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![template_id, nip, wrapped, now_ms],
        )?;
        tracing::info!(template_id, "face template stored");
        Ok(())
    }

    /// Unwraps the template stored under `template_id`.
    pub fn load_template(&self, template_id: &str) -> Result<SecretBytes, StoreError> {
        let wrapped: Vec<u8> = self
            .connection
            .query_row(
                "SELECT wrapped FROM templates WHERE template_id = ?1",
                [template_id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "template",
                id: template_id.to_string(),
            })?;
        Ok(self.vault.unwrap(&wrapped)?)
    }

    /// Returns the ids of the templates enrolled for `nip`, oldest first. Two enrollments
    /// within one millisecond (a phone whose clock does not advance, or a test clock) keep the
    /// order they were saved in: `INSERT OR REPLACE` gives a re-saved row a new rowid.
    pub fn template_ids(&self, nip: &str) -> Result<Vec<String>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT template_id FROM templates WHERE nip = ?1 ORDER BY created_ms, rowid",
        )?;
        let ids = statement
            .query_map([nip], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// Deletes a template; returns whether one existed.
    pub fn delete_template(&mut self, template_id: &str) -> Result<bool, StoreError> {
        let deleted = self.connection.execute(
            "DELETE FROM templates WHERE template_id = ?1",
            [template_id],
        )?;
        Ok(deleted > 0)
    }

    /// Signs a device API request with the device key (see [`crate::request_auth`]); the key
    /// is unwrapped for this one signature and dropped again.
    pub fn sign_request(
        &self,
        parts: &crate::request_auth::RequestParts<'_>,
    ) -> Result<crate::request_auth::SignedHeaders, StoreError> {
        let (device_id, wrapped_key) = Store::wrapped_device_key(&self.connection)?;
        let headers = vault::with_device_key(self.vault.as_ref(), &wrapped_key, |key_pair| {
            crate::request_auth::sign_request(key_pair, &device_id.to_string(), parts)
        })?;
        Ok(headers)
    }

    /// Pins the server key that configuration must be signed with, replacing any earlier one.
    pub fn pin_server_key(&mut self, key: &PinnedKey) -> Result<(), StoreError> {
        if key.public_key.len() != PUBLIC_KEY_LEN {
            return Err(SignedError::BadPublicKeyLength(key.public_key.len()).into());
        }
        self.connection.execute(
            "INSERT OR REPLACE INTO server_key (singleton, key_id, public_key) VALUES (1, ?1, ?2)",
            params![key.key_id, key.public_key],
        )?;
        Ok(())
    }

    /// Returns the pinned server key, if any.
    pub fn server_key(&self) -> Result<Option<PinnedKey>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT key_id, public_key FROM server_key WHERE singleton = 1",
                [],
                |row| {
                    Ok(PinnedKey {
                        key_id: row.get(0)?,
                        public_key: row.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Verifies a configuration envelope against the pinned server key and caches it. An
    /// envelope that fails verification is not stored and the previous one stays in use.
    pub fn save_config(&mut self, envelope: &[u8], now_ms: i64) -> Result<(), StoreError> {
        let pinned = self.server_key()?.ok_or(StoreError::NoServerKey)?;
        SignedEnvelope::open(envelope, &pinned)?;
        self.connection.execute(
            "INSERT OR REPLACE INTO config (singleton, envelope, fetched_ms) VALUES (1, ?1, ?2)",
            params![envelope, now_ms],
        )?;
        Ok(())
    }

    /// Returns the cached configuration payload, verified again against the pinned key, so a
    /// row changed on disk is never used. `None` when no configuration was fetched yet.
    pub fn load_config(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let envelope: Option<Vec<u8>> = self
            .connection
            .query_row(
                "SELECT envelope FROM config WHERE singleton = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let Some(envelope) = envelope else {
            return Ok(None);
        };
        let pinned = self.server_key()?.ok_or(StoreError::NoServerKey)?;
        Ok(Some(SignedEnvelope::open(&envelope, &pinned)?))
    }

    /// Stores a time anchor learned during a sync.
    pub fn save_time_anchor(
        &mut self,
        anchor: &TimeAnchor,
        received_ms: i64,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO time_anchors (server_time_ms, elapsed_ms, boot_id, round_trip_uncertainty_ms, received_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                anchor.server_time_ms,
                anchor.elapsed_ms,
                anchor.boot_id,
                anchor.round_trip_uncertainty_ms,
                received_ms
            ],
        )?;
        Ok(())
    }

    /// Returns the most recently stored time anchor.
    pub fn latest_time_anchor(&self) -> Result<Option<TimeAnchor>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT server_time_ms, elapsed_ms, boot_id, round_trip_uncertainty_ms FROM time_anchors ORDER BY id DESC LIMIT 1",
                [],
                |row| {
                    Ok(TimeAnchor {
                        server_time_ms: row.get(0)?,
                        elapsed_ms: row.get(1)?,
                        boot_id: row.get(2)?,
                        round_trip_uncertainty_ms: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }
}

/// Checks that `vault` opens the stored device key, so that a wrong passphrase or key file fails
/// at open, before anything is wrapped with it. A store without a device identity has nothing
/// to check yet.
fn verify_vault(
    connection: &Connection,
    vault: &dyn KeyVault,
    path: &Path,
) -> Result<(), StoreError> {
    let wrapped = match Store::wrapped_device_key(connection) {
        Ok((_, wrapped)) => wrapped,
        Err(StoreError::NoDevice) => return Ok(()),
        Err(other) => return Err(other),
    };
    match vault.unwrap(&wrapped) {
        Ok(_) => Ok(()),
        Err(VaultError::UnwrapFailed) => Err(StoreError::WrongVault {
            path: path.display().to_string(),
        }),
        Err(other) => Err(other.into()),
    }
}

fn migrate(connection: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i32 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| corrupt_or(path, error))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.display().to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 0 {
        return Err(StoreError::Corrupt {
            path: path.display().to_string(),
            detail: format!("user_version is {found}"),
        });
    }

    for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
        let target = index as i32 + 1;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", target)?;
        transaction.commit()?;
        tracing::info!(from = index, to = target, "store schema migrated");
    }
    Ok(())
}

/// Maps SQLite's "not a database" and "malformed" errors to [`StoreError::Corrupt`].
fn corrupt_or(path: &Path, error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.display().to_string(),
            detail: error.to_string(),
        },
        _ => StoreError::Sqlite(error),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::vault::SoftwareVault;
    use ring::signature::{Ed25519KeyPair, KeyPair};

    pub(super) fn memory_store() -> Store {
        let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[4; 32]));
        let mut store = Store::open_in_memory(vault).expect("in-memory store opens");
        store.init_device(1_000).expect("device initialises");
        store
    }

    #[test]
    fn new_file_migrates_from_empty() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("siperlu.db");
        let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[4; 32]));
        let store = Store::open(&path, vault.clone()).expect("opens");
        let version: i32 = store
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("pragma");
        assert_eq!(version, SCHEMA_VERSION);
        let journal: String = store
            .connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .expect("pragma");
        assert_eq!(journal, "wal");
        let synchronous: i32 = store
            .connection
            .pragma_query_value(None, "synchronous", |row| row.get(0))
            .expect("pragma");
        assert_eq!(synchronous, 2, "2 is FULL");
        drop(store);

        // Opening again applies nothing and keeps the version.
        let store = Store::open(&path, vault).expect("reopens");
        store.check_integrity().expect("fresh file is intact");
    }

    #[test]
    fn newer_schema_is_rejected() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("siperlu.db");
        let connection = Connection::open(&path).expect("opens");
        connection
            .pragma_update(None, "user_version", 99)
            .expect("sets version");
        drop(connection);
        let vault: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[4; 32]));
        let error = Store::open(&path, vault).expect_err("version 99 is newer");
        assert!(
            matches!(error, StoreError::TooNew { found: 99, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn open_rejects_wrong_vault() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("siperlu.db");
        let right: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[4; 32]));
        let mut store = Store::open(&path, right.clone()).expect("opens");
        store.init_device(1_000).expect("device initialises");
        drop(store);

        let wrong: Arc<dyn KeyVault> = Arc::new(SoftwareVault::from_key(&[5; 32]));
        let error = Store::open(&path, wrong).expect_err("another key must not open the store");
        assert!(matches!(error, StoreError::WrongVault { .. }), "{error:?}");
        assert!(error.to_string().contains("wrong passphrase or key file"));

        let store = Store::open(&path, right).expect("the right key still opens it");
        store.device().expect("identity kept");
    }

    #[test]
    fn device_identity_is_created_once() {
        let mut store = memory_store();
        let device = store.device().expect("initialised");
        let error = store.init_device(2_000).expect_err("second init");
        assert!(matches!(error, StoreError::AlreadyInitialised(id) if id == device.device_id));

        let wrapped: Vec<u8> = store
            .connection
            .query_row("SELECT wrapped_key FROM device", [], |row| row.get(0))
            .expect("row");
        let plain = store.vault.unwrap(&wrapped).expect("unwraps");
        let key_pair = Ed25519KeyPair::from_pkcs8(&plain).expect("PKCS#8");
        assert_eq!(key_pair.public_key().as_ref(), device.public_key);
        assert!(
            !wrapped
                .windows(device.public_key.len())
                .any(|window| window == device.public_key),
            "the stored key is encrypted, so not even its public half appears in plain"
        );
    }

    #[test]
    fn templates_are_wrapped() {
        let mut store = memory_store();
        let template = b"opaque template bytes from the face module";
        store
            .save_template("tpl-1", "199001012015031001", template, 5)
            .expect("saves");
        let stored: Vec<u8> = store
            .connection
            .query_row("SELECT wrapped FROM templates", [], |row| row.get(0))
            .expect("row");
        assert!(
            !stored
                .windows(template.len())
                .any(|window| window == template),
            "template stored in plain"
        );
        assert_eq!(&*store.load_template("tpl-1").expect("loads"), template);
        assert_eq!(
            store.template_ids("199001012015031001").expect("lists"),
            vec!["tpl-1".to_string()]
        );
        assert!(matches!(
            store.load_template("tpl-2"),
            Err(StoreError::NotFound { .. })
        ));
        assert!(store.delete_template("tpl-1").expect("deletes"));
    }

    #[test]
    fn same_millisecond_templates_keep_order() {
        let mut store = memory_store();
        let nip = "199001012015031001";
        for template_id in ["tpl-c", "tpl-a", "tpl-b"] {
            store
                .save_template(template_id, nip, b"template", 5)
                .expect("saves");
        }
        assert_eq!(
            store.template_ids(nip).expect("lists"),
            vec!["tpl-c", "tpl-a", "tpl-b"],
            "oldest first, then in saving order"
        );
    }

    #[test]
    fn config_checked_against_pinned_key() {
        let mut store = memory_store();
        let server = Ed25519KeyPair::from_seed_unchecked(&[6; 32]).expect("seed");
        let envelope = SignedEnvelope::sign("server-1", b"{\"radius_m\":100}", &server)
            .expect("signs")
            .encode();
        assert!(matches!(
            store.save_config(&envelope, 1),
            Err(StoreError::NoServerKey)
        ));

        store
            .pin_server_key(&PinnedKey {
                key_id: "server-1".to_string(),
                public_key: server.public_key().as_ref().to_vec(),
            })
            .expect("pins");
        store
            .save_config(&envelope, 1)
            .expect("verified envelope is stored");
        assert_eq!(
            store.load_config().expect("loads"),
            Some(b"{\"radius_m\":100}".to_vec())
        );

        let impostor = Ed25519KeyPair::from_seed_unchecked(&[7; 32]).expect("seed");
        let forged = SignedEnvelope::sign("server-1", b"{\"radius_m\":100000}", &impostor)
            .expect("signs")
            .encode();
        assert!(matches!(
            store.save_config(&forged, 2),
            Err(StoreError::Config(_))
        ));
        assert_eq!(
            store.load_config().expect("loads"),
            Some(b"{\"radius_m\":100}".to_vec()),
            "the old one stays"
        );

        // A row changed on disk is caught when loading.
        store
            .connection
            .execute("UPDATE config SET envelope = ?1", [forged])
            .expect("update");
        assert!(matches!(store.load_config(), Err(StoreError::Config(_))));
    }

    #[test]
    fn time_anchor_round_trip() {
        let mut store = memory_store();
        assert_eq!(store.latest_time_anchor().expect("reads"), None);
        for server_time_ms in [1_000, 2_000] {
            let anchor = TimeAnchor {
                server_time_ms,
                elapsed_ms: 50,
                boot_id: "boot".to_string(),
                round_trip_uncertainty_ms: 80,
            };
            store
                .save_time_anchor(&anchor, server_time_ms)
                .expect("saves");
        }
        assert_eq!(
            store
                .latest_time_anchor()
                .expect("reads")
                .map(|anchor| anchor.server_time_ms),
            Some(2_000)
        );
    }
}
