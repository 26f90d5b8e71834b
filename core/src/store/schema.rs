//! The store's SQL schema and its migrations, applied in order by `PRAGMA user_version`.
//!
//! Migration `n` moves a database from user_version `n - 1` to `n` inside one transaction, so a
//! phone that dies during an app update keeps its previous schema. Migrations are only ever
//! appended; an applied one is never edited.

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Migration `i` moves user_version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE device (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id   BLOB NOT NULL CHECK (length(device_id) = 16),
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    -- PKCS#8 Ed25519 key, wrapped by the key vault; never stored in plain.
    wrapped_key BLOB NOT NULL,
    created_ms  INTEGER NOT NULL
);

-- Face templates as opaque bytes produced by the face module, wrapped by the key vault.
CREATE TABLE templates (
    template_id TEXT PRIMARY KEY,
    nip         TEXT NOT NULL,
    wrapped     BLOB NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX templates_nip ON templates (nip);

-- The outbox of signed records. `bytes` are the signed bytes exactly as sent to the server.
CREATE TABLE records (
    sequence      INTEGER PRIMARY KEY,
    record_id     BLOB NOT NULL UNIQUE CHECK (length(record_id) = 16),
    bytes         BLOB NOT NULL,
    hash          BLOB NOT NULL CHECK (length(hash) = 32),
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'acknowledged', 'rejected')),
    reject_reason TEXT,
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL
);
CREATE INDEX records_state ON records (state, sequence);

-- A record leaves the phone only after the server acknowledged it.
CREATE TRIGGER records_keep_unacknowledged BEFORE DELETE ON records
WHEN OLD.state <> 'acknowledged'
BEGIN
    SELECT RAISE(ABORT, 'a record is deleted only after the server acknowledged it');
END;

CREATE TRIGGER records_immutable BEFORE UPDATE OF sequence, record_id, bytes, hash ON records
BEGIN
    SELECT RAISE(ABORT, 'signed record bytes never change');
END;

-- The last appended record, kept apart so that pruning acknowledged rows never loses it.
CREATE TABLE chain_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    sequence  INTEGER NOT NULL,
    hash      BLOB NOT NULL CHECK (length(hash) = 32)
);

-- Signed work plan revisions; `day` is the ISO date of the attendance day.
CREATE TABLE plans (
    nip        TEXT NOT NULL,
    day        TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    created_ms INTEGER NOT NULL,
    synced     INTEGER NOT NULL DEFAULT 0 CHECK (synced IN (0, 1)),
    PRIMARY KEY (nip, day, revision)
);

-- The server public key pinned at enrollment; configuration must verify against it.
CREATE TABLE server_key (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    key_id     TEXT NOT NULL,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32)
);

-- The last server-signed configuration, as the signed envelope bytes.
CREATE TABLE config (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    envelope   BLOB NOT NULL,
    fetched_ms INTEGER NOT NULL
);

CREATE TABLE time_anchors (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    server_time_ms            INTEGER NOT NULL,
    elapsed_ms                INTEGER NOT NULL,
    boot_id                   TEXT NOT NULL,
    round_trip_uncertainty_ms INTEGER NOT NULL,
    received_ms               INTEGER NOT NULL
);
"#,
    r#"
-- Who uses the phone and where it syncs: the NIP typed at setup (templates and records carry
-- it), and, once the server accepted the enrollment code, its address and the time of that.
CREATE TABLE registration (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    nip           TEXT NOT NULL,
    server_url    TEXT,
    registered_ms INTEGER
);
"#,
    r#"
-- The face template the server accepted with the enrollment code. A face enrolled later stays
-- unused for check-ins until a new registration sends it to the server.
ALTER TABLE registration ADD COLUMN template_id TEXT;
"#,
    r#"
-- A revision the server rejected for good (invalid, past its cutoff, or not newer than the
-- server's) keeps the catalog id of the reason and is not sent again.
ALTER TABLE plans ADD COLUMN refused_reason_id TEXT;
ALTER TABLE plans ADD COLUMN refused_ms INTEGER;
"#,
];
