//! The server's Ed25519 signing key, which signs the configuration and the time anchors that
//! phones trust offline.
//!
//! The key is a PKCS#8 file beside the database (`<db>.server-key.p8`, mode 0600), created on
//! first start. A key file readable by other users is rejected rather than used, because a
//! leaked key lets anyone forge configuration that phones accept.

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write server key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "server key file {path} has mode {mode:o}; it must be readable by its owner only (chmod 600 {path})"
    )]
    Permissions { path: String, mode: u32 },
    #[error("server key file {path} is not an Ed25519 PKCS#8 key; restore it from backup")]
    Invalid { path: String },
    #[error("the system random generator failed")]
    Random,
}

/// The loaded server key.
pub struct ServerKey {
    key_pair: Ed25519KeyPair,
    public_key_hex: String,
}

/// Returns the key file path for the database at `db_path`.
pub fn key_path_for(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_os_string();
    name.push(".server-key.p8");
    PathBuf::from(name)
}

impl ServerKey {
    /// Loads the key at `path`, creating it (mode 0600) if the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<ServerKey, KeyError> {
        let shown = path.display().to_string();
        let io = |source| KeyError::Io {
            path: shown.clone(),
            source,
        };

        if !path.exists() {
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
                .map_err(|_| KeyError::Random)?;
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(io)?;
            file.write_all(pkcs8.as_ref()).map_err(io)?;
            file.sync_all().map_err(io)?;
            tracing::info!(path = %shown, "server signing key created");
        }

        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Permissions { path: shown, mode });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let key_pair = Ed25519KeyPair::from_pkcs8(&bytes).map_err(|_| KeyError::Invalid {
            path: shown.clone(),
        })?;
        let public_key_hex = hex::encode(key_pair.public_key().as_ref());
        Ok(ServerKey {
            key_pair,
            public_key_hex,
        })
    }

    /// Signs `message` and returns the lowercase hex signature.
    pub fn sign_hex(&self, message: &[u8]) -> String {
        hex::encode(self.key_pair.sign(message).as_ref())
    }

    /// Returns the key id of the envelopes this key signs (see `siperlu_core::signed::key_id_for`).
    pub fn key_id(&self) -> String {
        siperlu_core::signed::key_id_for(self.key_pair.public_key().as_ref())
    }

    /// Signs `payload` as a `siperlu_core::signed::SignedEnvelope` and returns its encoding.
    pub fn sign_envelope(
        &self,
        payload: &[u8],
    ) -> Result<Vec<u8>, siperlu_core::signed::SignedError> {
        let envelope =
            siperlu_core::signed::SignedEnvelope::sign(&self.key_id(), payload, &self.key_pair)?;
        Ok(envelope.encode())
    }

    /// Returns the 32-byte public key as lowercase hex.
    pub fn public_key_hex(&self) -> &str {
        &self.public_key_hex
    }
}

/// Returns `length` random bytes from the system generator.
pub fn random_bytes(length: usize) -> Result<Vec<u8>, KeyError> {
    let mut bytes = vec![0u8; length];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| KeyError::Random)?;
    Ok(bytes)
}

#[cfg(test)]
mod test {
    use super::*;
    use ring::signature::{ED25519, UnparsedPublicKey};

    #[test]
    fn key_created_once_with_owner_only_mode() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = key_path_for(&folder.path().join("server.db"));
        let first = ServerKey::load_or_create(&path).expect("create key");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = ServerKey::load_or_create(&path).expect("load key");
        assert_eq!(first.public_key_hex(), second.public_key_hex());
    }

    #[test]
    fn signature_verifies_with_public_key() {
        let folder = tempfile::tempdir().expect("temp dir");
        let key = ServerKey::load_or_create(&folder.path().join("k.p8")).expect("create key");
        let signature = hex::decode(key.sign_hex(b"config")).expect("hex");
        let public_key = hex::decode(key.public_key_hex()).expect("hex");
        UnparsedPublicKey::new(&ED25519, &public_key)
            .verify(b"config", &signature)
            .expect("verifies");
    }

    #[test]
    fn readable_key_file_rejected() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("k.p8");
        ServerKey::load_or_create(&path).expect("create key");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let error = ServerKey::load_or_create(&path).err().expect("rejected");
        assert!(
            matches!(error, KeyError::Permissions { mode: 0o644, .. }),
            "{error}"
        );
    }
}
