//! The server's SQLite database: opening, pragmas, schema migrations and the async bridge.
//!
//! One connection in WAL mode behind a mutex serves every request. Handlers reach it through
//! [`Db::call`], which runs the closure on tokio's blocking pool, so a slow query does not
//! stall the async workers. The schema version is SQLite's `user_version`, and each entry of
//! [`MIGRATIONS`] moves it up by one inside a transaction.

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Internal database failures; handlers map them to an opaque 500.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// `detail` is rusqlite's text alone: its source repeats SQLite's text with the code.
    #[error("cannot open database {path}: {detail}; check that its folder exists and is writable")]
    Open { path: String, detail: String },
    #[error(
        "database {path} has schema version {found}, newer than this server's {supported}; run a newer siperlu"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("the database connection lock was poisoned by a panic")]
    Poisoned,
    #[error("the database task failed: {0}")]
    Join(String),
}

/// Schema migrations; entry N brings `user_version` from N to N + 1.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE admin_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE admin_sessions (
    token_hash BLOB PRIMARY KEY,
    admin_id INTEGER NOT NULL REFERENCES admin_users(id),
    csrf_token TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
);
CREATE TABLE opd (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('office', 'dinas_luar')),
    opd_id INTEGER REFERENCES opd(id),
    time_zone TEXT NOT NULL,
    fences_json TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE TABLE asn (
    nip TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    opd_id INTEGER NOT NULL REFERENCES opd(id),
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    nip TEXT NOT NULL REFERENCES asn(nip),
    office_id INTEGER NOT NULL REFERENCES offices(id),
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX assignments_by_nip ON assignments(nip, valid_from);
CREATE TABLE enrollment_codes (
    code_hash BLOB PRIMARY KEY,
    nip TEXT NOT NULL REFERENCES asn(nip),
    created_by INTEGER NOT NULL REFERENCES admin_users(id),
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms INTEGER,
    used_by_device TEXT
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    nip TEXT NOT NULL REFERENCES asn(nip),
    public_key BLOB NOT NULL UNIQUE,
    template_id TEXT NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER,
    chain_sequence INTEGER,
    chain_hash BLOB
);
CREATE TABLE plans (
    nip TEXT NOT NULL REFERENCES asn(nip),
    date TEXT NOT NULL,
    revision INTEGER NOT NULL,
    items_json TEXT NOT NULL,
    bytes BLOB NOT NULL,
    device_id TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (nip, date)
);
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    nip TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    kind TEXT NOT NULL,
    local_date TEXT NOT NULL,
    trusted_time_ms INTEGER NOT NULL,
    office_id INTEGER REFERENCES offices(id),
    latitude_e7 INTEGER NOT NULL,
    longitude_e7 INTEGER NOT NULL,
    accuracy_mm INTEGER NOT NULL,
    device_verdict TEXT NOT NULL,
    server_verdict TEXT NOT NULL,
    distance_m REAL,
    face_score_milli INTEGER,
    face_matched INTEGER NOT NULL DEFAULT 0,
    time_source TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    received_at_ms INTEGER NOT NULL
);
CREATE INDEX records_by_date ON records(local_date, office_id);
CREATE UNIQUE INDEX records_by_device_sequence ON records(device_id, sequence);
CREATE TABLE time_anchors (
    device_id TEXT NOT NULL REFERENCES devices(id),
    server_time_ms INTEGER NOT NULL
);
CREATE INDEX time_anchors_by_device ON time_anchors(device_id, server_time_ms);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    device_id TEXT,
    detail TEXT NOT NULL
);
"#,
    r#"
-- Trusted time as the server recomputes it from the record's anchor. Records stored before
-- this migration were never recomputed and keep NULL; readers fall back to trusted_time_ms.
ALTER TABLE records ADD COLUMN server_time_ms INTEGER;
"#,
    r#"
-- Nonces of signed device requests, kept for twice the timestamp window so that a request
-- replayed after a restart is still rejected.
CREATE TABLE request_nonces (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE INDEX request_nonces_by_expiry ON request_nonces(expires_at_ms);
"#,
    r#"
-- Face templates a device registered, and when a later registration replaced each. A record
-- matched against a replaced template is still genuine if it was made before the replacement.
CREATE TABLE device_templates (
    device_id TEXT NOT NULL REFERENCES devices(id),
    template_id TEXT NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    replaced_at_ms INTEGER,
    PRIMARY KEY (device_id, template_id)
) WITHOUT ROWID;
INSERT INTO device_templates (device_id, template_id, registered_at_ms)
    SELECT id, template_id, registered_at_ms FROM devices;
"#,
];

/// The schema version this server writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The shared database handle.
#[derive(Clone)]
pub struct Db {
    connection: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let shown = path.display().to_string();
        let mut connection = Connection::open(path).map_err(|error| DbError::Open {
            path: shown.clone(),
            detail: error.to_string(),
        })?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut connection, &shown)?;
        Ok(Db {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on the blocking pool.
    pub async fn call<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        let joined = tokio::task::spawn_blocking(move || {
            let mut guard = connection.lock().map_err(|_| E::from(DbError::Poisoned))?;
            work(&mut guard)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(error) => Err(E::from(DbError::Join(error.to_string()))),
        }
    }

    /// Runs `work` with the connection on the current thread; for startup and tools.
    pub fn call_blocking<T, E, F>(&self, work: F) -> Result<T, E>
    where
        E: From<DbError>,
        F: FnOnce(&mut Connection) -> Result<T, E>,
    {
        let mut guard = self
            .connection
            .lock()
            .map_err(|_| E::from(DbError::Poisoned))?;
        work(&mut guard)
    }
}

fn migrate(connection: &mut Connection, shown: &str) -> Result<(), DbError> {
    let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: shown.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", index as i64 + 1)?;
        transaction.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn migrates_to_current_version() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("server.db");
        let db = Db::open(&path).expect("open new database");
        let version: i64 = db
            .call_blocking(|c| {
                c.pragma_query_value(None, "user_version", |row| row.get(0))
                    .map_err(DbError::from)
            })
            .expect("read version");
        assert_eq!(version, SCHEMA_VERSION);
        drop(db);
        Db::open(&path).expect("reopen migrated database");
    }

    #[test]
    fn newer_schema_rejected() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("server.db");
        let connection = Connection::open(&path).expect("create");
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("set version");
        drop(connection);
        let error = Db::open(&path).err().expect("newer schema rejected");
        assert!(matches!(error, DbError::TooNew { .. }), "{error}");
    }

    #[test]
    fn uses_wal() {
        let folder = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&folder.path().join("server.db")).expect("open");
        let mode: String = db
            .call_blocking(|c| {
                c.pragma_query_value(None, "journal_mode", |row| row.get(0))
                    .map_err(DbError::from)
            })
            .expect("read mode");
        assert_eq!(mode, "wal");
    }
}
