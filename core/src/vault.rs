//! Key wrapping for the secrets a phone keeps at rest: the device signing key and the face
//! templates.
//!
//! [`KeyVault`] is byte-oriented and object-safe so that the Android shell can implement it
//! with an Android Keystore key (through UniFFI) and the store never reads that key. The CLI and
//! the tests use [`SoftwareVault`]: AES-256-GCM (ring) under a key read from a 32-byte key file
//! or derived from a passphrase with PBKDF2-HMAC-SHA256.
//!
//! The device key is an Ed25519 PKCS#8 document that is stored only wrapped. [`sign_with`]
//! unwraps it into zeroed-on-drop memory for one signature.

use std::fmt;
use std::num::NonZeroU32;
use std::path::Path;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::record::{PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// Length of a software vault key and of a key file.
pub const VAULT_KEY_LEN: usize = 32;
/// Version byte at the start of each software-wrapped blob.
pub const WRAP_FORMAT_VERSION: u8 = 1;
/// PBKDF2-HMAC-SHA256 iterations for new passphrase vaults: the minimum OWASP's Password
/// Storage Cheat Sheet gives for this hash since May 2023.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 600_000;
/// Length of the random PBKDF2 salt.
pub const SALT_LEN: usize = 16;

/// Associated data bound into every software-wrapped blob, so a blob from another program that
/// happens to use the same key does not unwrap here.
const WRAP_AAD: &[u8] = b"siperlu-vault-v1";
/// Magic of a passphrase parameter file.
const PARAMS_MAGIC: &[u8; 4] = b"SPVP";

/// Bytes that are overwritten with zeros when dropped: unwrapped keys and templates.
///
/// NOTE: this clears the final buffer only. Copies made by callers, and the key schedule inside
/// ring's `Ed25519KeyPair`, are not cleared.
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: Vec<u8>) -> SecretBytes {
        SecretBytes(bytes)
    }
}

impl std::ops::Deref for SecretBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        for byte in self.0.iter_mut() {
            // A volatile write is not optimised away even though the buffer is freed next.
            unsafe { std::ptr::write_volatile(byte, 0) };
        }
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SecretBytes({} bytes)", self.0.len())
    }
}

/// Errors of wrapping and unwrapping.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The wrapped blob does not open: another key or passphrase, or damaged bytes.
    #[error("cannot unwrap secret: wrong vault key or passphrase, or the stored data is damaged")]
    UnwrapFailed,
    /// The wrapped blob is too short or of an unknown format version.
    #[error("wrapped secret is malformed: {0}")]
    Malformed(String),
    /// The key file is not 32 bytes.
    #[error(
        "vault key file {path} holds {length} bytes; it must hold exactly {VAULT_KEY_LEN} random bytes"
    )]
    BadKeyFile { path: String, length: usize },
    /// The passphrase parameter file is damaged.
    #[error("vault parameter file {path} is damaged: {reason}")]
    BadParams { path: String, reason: String },
    /// Reading or writing a vault file failed.
    #[error("vault file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The platform vault (Android Keystore) reported an error.
    #[error("platform key vault failed: {0}")]
    Platform(String),
    /// The system random generator failed.
    #[error("system random generator failed")]
    Random,
    /// The unwrapped device key is not an Ed25519 PKCS#8 document.
    #[error("device key is not a valid Ed25519 PKCS#8 document; initialise the device again")]
    BadDeviceKey,
}

/// Wraps and unwraps secrets with a key that stays inside the vault.
pub trait KeyVault: Send + Sync {
    /// Encrypts and authenticates `plaintext`; the result is safe to store on disk.
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, VaultError>;

    /// Reverses [`KeyVault::wrap`], failing when the blob was changed or wrapped by another key.
    fn unwrap(&self, wrapped: &[u8]) -> Result<SecretBytes, VaultError>;
}

/// AES-256-GCM vault whose key lives in process memory.
///
/// A wrapped blob is: version byte `1`, a 12-byte random nonce, then the ciphertext with its
/// 16-byte tag. Random 96-bit nonces are safe here because one vault key wraps a handful of
/// secrets, far below the 2^32 messages NIST SP 800-38D allows for random nonces.
pub struct SoftwareVault {
    key: LessSafeKey,
    random: SystemRandom,
}

impl fmt::Debug for SoftwareVault {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("SoftwareVault")
    }
}

impl SoftwareVault {
    /// Builds a vault from 32 key bytes.
    pub fn from_key(key: &[u8; VAULT_KEY_LEN]) -> SoftwareVault {
        let unbound = UnboundKey::new(&AES_256_GCM, key).expect("AES-256 takes a 32-byte key");
        SoftwareVault {
            key: LessSafeKey::new(unbound),
            random: SystemRandom::new(),
        }
    }

    /// Writes a new key file of 32 random bytes (mode 0600 on Unix), failing if it exists.
    pub fn create_key_file(path: &Path) -> Result<SoftwareVault, VaultError> {
        let mut key = [0u8; VAULT_KEY_LEN];
        SystemRandom::new()
            .fill(&mut key)
            .map_err(|_| VaultError::Random)?;
        write_new_file(path, &key)?;
        let vault = SoftwareVault::from_key(&key);
        key.fill(0);
        Ok(vault)
    }

    /// Reads a key file of exactly 32 bytes.
    pub fn open_key_file(path: &Path) -> Result<SoftwareVault, VaultError> {
        let bytes = SecretBytes::new(std::fs::read(path).map_err(|source| io_error(path, source))?);
        let key: &[u8; VAULT_KEY_LEN] =
            (&*bytes).try_into().map_err(|_| VaultError::BadKeyFile {
                path: path.display().to_string(),
                length: bytes.len(),
            })?;
        Ok(SoftwareVault::from_key(key))
    }

    /// Derives the vault key from a passphrase with PBKDF2-HMAC-SHA256.
    ///
    /// The salt and iteration count live in `params_path` (magic `SPVP`, u32 big-endian
    /// iterations, 16-byte salt). A missing file is created with a random salt and
    /// `iterations_for_new`. An existing file keeps its own count, so raising the default later
    /// does not lock out existing stores. A wrong passphrase is detected at the first
    /// unwrap ([`VaultError::UnwrapFailed`]).
    pub fn from_passphrase(
        passphrase: &str,
        params_path: &Path,
        iterations_for_new: u32,
    ) -> Result<SoftwareVault, VaultError> {
        let (iterations, salt) = match std::fs::read(params_path) {
            Ok(bytes) => parse_params(params_path, &bytes)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let iterations =
                    NonZeroU32::new(iterations_for_new).ok_or_else(|| VaultError::BadParams {
                        path: params_path.display().to_string(),
                        reason: "the iteration count must be at least 1".to_string(),
                    })?;
                let mut salt = [0u8; SALT_LEN];
                SystemRandom::new()
                    .fill(&mut salt)
                    .map_err(|_| VaultError::Random)?;
                let mut bytes = PARAMS_MAGIC.to_vec();
                bytes.extend_from_slice(&iterations.get().to_be_bytes());
                bytes.extend_from_slice(&salt);
                write_new_file(params_path, &bytes)?;
                (iterations, salt)
            }
            Err(source) => return Err(io_error(params_path, source)),
        };

        let mut key = [0u8; VAULT_KEY_LEN];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            &salt,
            passphrase.as_bytes(),
            &mut key,
        );
        let vault = SoftwareVault::from_key(&key);
        key.fill(0);
        Ok(vault)
    }
}

impl KeyVault for SoftwareVault {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| VaultError::Random)?;

        let mut sealed = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(WRAP_AAD),
                &mut sealed,
            )
            .map_err(|_| VaultError::Malformed("plaintext too long for AES-GCM".to_string()))?;

        let mut wrapped = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        wrapped.push(WRAP_FORMAT_VERSION);
        wrapped.extend_from_slice(&nonce);
        wrapped.extend_from_slice(&sealed);
        Ok(wrapped)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<SecretBytes, VaultError> {
        let minimum = 1 + NONCE_LEN + AES_256_GCM.tag_len();
        if wrapped.len() < minimum {
            return Err(VaultError::Malformed(format!(
                "{} bytes is shorter than the {minimum} bytes of an empty wrapped secret",
                wrapped.len()
            )));
        }
        if wrapped[0] != WRAP_FORMAT_VERSION {
            return Err(VaultError::Malformed(format!(
                "format version {} is unknown; this build reads version {WRAP_FORMAT_VERSION}",
                wrapped[0]
            )));
        }

        let nonce = Nonce::try_assume_unique_for_key(&wrapped[1..1 + NONCE_LEN])
            .map_err(|_| VaultError::UnwrapFailed)?;
        let mut buffer = SecretBytes::new(wrapped[1 + NONCE_LEN..].to_vec());
        let plaintext_len = self
            .key
            .open_in_place(nonce, Aad::from(WRAP_AAD), &mut buffer.0)
            .map_err(|_| VaultError::UnwrapFailed)?
            .len();
        buffer.0.truncate(plaintext_len);
        Ok(buffer)
    }
}

/// A device signing key as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedDeviceKey {
    /// The PKCS#8 document wrapped by the vault.
    pub wrapped_pkcs8: Vec<u8>,
    /// The Ed25519 public key, registered with the server.
    pub public_key: [u8; PUBLIC_KEY_LEN],
}

/// Generates a new Ed25519 device key and wraps it; the plaintext PKCS#8 is cleared at once.
pub fn generate_device_key(vault: &dyn KeyVault) -> Result<WrappedDeviceKey, VaultError> {
    let random = SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&random).map_err(|_| VaultError::Random)?;
    let pkcs8 = SecretBytes::new(pkcs8.as_ref().to_vec());
    let key_pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| VaultError::BadDeviceKey)?;

    let mut public_key = [0u8; PUBLIC_KEY_LEN];
    public_key.copy_from_slice(key_pair.public_key().as_ref());
    Ok(WrappedDeviceKey {
        wrapped_pkcs8: vault.wrap(&pkcs8)?,
        public_key,
    })
}

/// Unwraps the device key, runs `use_key` with it, and drops it again.
pub fn with_device_key<T>(
    vault: &dyn KeyVault,
    wrapped_pkcs8: &[u8],
    use_key: impl FnOnce(&Ed25519KeyPair) -> T,
) -> Result<T, VaultError> {
    let pkcs8 = vault.unwrap(wrapped_pkcs8)?;
    let key_pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| VaultError::BadDeviceKey)?;
    Ok(use_key(&key_pair))
}

/// Signs `message` with the wrapped device key.
pub fn sign_with(
    vault: &dyn KeyVault,
    wrapped_pkcs8: &[u8],
    message: &[u8],
) -> Result<[u8; SIGNATURE_LEN], VaultError> {
    with_device_key(vault, wrapped_pkcs8, |key_pair| {
        let mut signature = [0u8; SIGNATURE_LEN];
        signature.copy_from_slice(key_pair.sign(message).as_ref());
        signature
    })
}

fn parse_params(path: &Path, bytes: &[u8]) -> Result<(NonZeroU32, [u8; SALT_LEN]), VaultError> {
    let bad = |reason: &str| VaultError::BadParams {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    if bytes.len() != 4 + 4 + SALT_LEN || &bytes[..4] != PARAMS_MAGIC {
        return Err(bad(
            "expected magic SPVP, a 4-byte iteration count and a 16-byte salt",
        ));
    }
    let iterations = u32::from_be_bytes(bytes[4..8].try_into().expect("4 bytes"));
    let iterations = NonZeroU32::new(iterations).ok_or_else(|| bad("iteration count is 0"))?;
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&bytes[8..]);
    Ok((iterations, salt))
}

fn write_new_file(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    use std::io::Write;

    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|source| io_error(path, source))?;
    file.write_all(bytes)
        .map_err(|source| io_error(path, source))?;
    file.sync_all().map_err(|source| io_error(path, source))
}

fn io_error(path: &Path, source: std::io::Error) -> VaultError {
    VaultError::Io {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::record::test::sample_record;
    use crate::record::{GENESIS_HASH, SignedRecord, verify_record};

    #[test]
    fn wrap_unwrap_round_trip() {
        let vault = SoftwareVault::from_key(&[9; 32]);
        let wrapped = vault.wrap(b"template bytes").expect("wraps");
        assert_ne!(&wrapped[1 + NONCE_LEN..], b"template bytes");
        assert_eq!(
            &*vault.unwrap(&wrapped).expect("unwraps"),
            b"template bytes"
        );
    }

    #[test]
    fn other_key_fails_to_unwrap() {
        let wrapped = SoftwareVault::from_key(&[9; 32])
            .wrap(b"secret")
            .expect("wraps");
        let error = SoftwareVault::from_key(&[8; 32])
            .unwrap(&wrapped)
            .expect_err("other key");
        assert!(matches!(error, VaultError::UnwrapFailed), "{error:?}");
    }

    #[test]
    fn changed_blob_fails_to_unwrap() {
        let vault = SoftwareVault::from_key(&[9; 32]);
        let mut wrapped = vault.wrap(b"secret").expect("wraps");
        let last = wrapped.len() - 1;
        wrapped[last] ^= 1;
        assert!(matches!(
            vault.unwrap(&wrapped),
            Err(VaultError::UnwrapFailed)
        ));
        assert!(matches!(
            vault.unwrap(&wrapped[..5]),
            Err(VaultError::Malformed(_))
        ));
    }

    #[test]
    fn key_file_round_trip() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("vault.key");
        let wrapped = SoftwareVault::create_key_file(&path)
            .expect("creates")
            .wrap(b"x")
            .expect("wraps");
        let reopened = SoftwareVault::open_key_file(&path).expect("opens");
        assert_eq!(&*reopened.unwrap(&wrapped).expect("unwraps"), b"x");
        assert!(
            SoftwareVault::create_key_file(&path).is_err(),
            "an existing key file is never overwritten"
        );

        std::fs::write(folder.path().join("short.key"), [1, 2, 3]).expect("write");
        let error =
            SoftwareVault::open_key_file(&folder.path().join("short.key")).expect_err("3 bytes");
        assert!(
            matches!(error, VaultError::BadKeyFile { length: 3, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn passphrase_vault() {
        let folder = tempfile::tempdir().expect("temp dir");
        let params = folder.path().join("vault.params");
        // A low iteration count keeps the debug-build test fast; the default is 600,000.
        let wrapped = SoftwareVault::from_passphrase("kata sandi", &params, 1_000)
            .expect("creates params")
            .wrap(b"pkcs8")
            .expect("wraps");

        let same = SoftwareVault::from_passphrase("kata sandi", &params, 5).expect("reads params");
        assert_eq!(
            &*same.unwrap(&wrapped).expect("same passphrase unwraps"),
            b"pkcs8"
        );

        let wrong = SoftwareVault::from_passphrase("salah", &params, 1_000).expect("reads params");
        assert!(matches!(
            wrong.unwrap(&wrapped),
            Err(VaultError::UnwrapFailed)
        ));
    }

    #[test]
    fn device_key_signs_records() {
        let vault = SoftwareVault::from_key(&[9; 32]);
        let device_key = generate_device_key(&vault).expect("generates");
        let signed = with_device_key(&vault, &device_key.wrapped_pkcs8, |key_pair| {
            SignedRecord::sign(&sample_record(1, GENESIS_HASH), key_pair)
        })
        .expect("unwraps")
        .expect("signs");
        verify_record(signed.as_bytes(), &device_key.public_key)
            .expect("verifies with the stored public key");

        let signature = sign_with(&vault, &device_key.wrapped_pkcs8, b"m").expect("signs");
        assert_eq!(signature.len(), SIGNATURE_LEN);
    }
}
