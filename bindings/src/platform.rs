//! What the phone supplies to the core through Kotlin: the key vault (the Android Keystore on
//! the phone) and the clocks. Each foreign trait has an adapter to the core trait of the same
//! name, so core never handles an FFI type.

use std::sync::Arc;

use siperlu_core::vault::{SecretBytes, VaultError};

use crate::error::SiperluError;

/// Wraps and unwraps secrets (the device signing key, face templates) with a key that never
/// leaves the platform. On Android this is an AES-256-GCM key in the Android Keystore,
/// ideally StrongBox-backed and not exportable.
#[uniffi::export(foreign)]
pub trait KeyVault: Send + Sync {
    /// Encrypts and authenticates `plaintext`. The result is stored in the app's database.
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, SiperluError>;

    /// Reverses `wrap`; must fail (throw a `SiperluException`) when the blob was changed or
    /// wrapped by another key.
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, SiperluError>;
}

/// The phone's clocks. A method that throws is read as "unknown", which core treats as
/// untrusted (an elapsed clock of 0 ms and an unknown boot, so no server anchor applies).
#[uniffi::export(foreign)]
pub trait PlatformClock: Send + Sync {
    /// `System.currentTimeMillis()`: ms since the Unix epoch; the owner can set it.
    fn wall_clock_ms(&self) -> Result<i64, SiperluError>;

    /// `SystemClock.elapsedRealtime()`: ms since boot, counting deep sleep.
    fn elapsed_since_boot_ms(&self) -> Result<i64, SiperluError>;

    /// Returns an id that changes at each reboot (`Settings.Global.BOOT_COUNT` as text on Android).
    fn boot_id(&self) -> Result<String, SiperluError>;
}

/// Presents a Kotlin [`KeyVault`] as core's vault.
pub(crate) struct VaultAdapter(pub(crate) Arc<dyn KeyVault>);

impl siperlu_core::vault::KeyVault for VaultAdapter {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        self.0
            .wrap(plaintext.to_vec())
            .map_err(|error| VaultError::Platform(error.to_string()))
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<SecretBytes, VaultError> {
        // A wrong key and a damaged blob look the same from here; core reports both as a
        // store that cannot be opened.
        self.0
            .unwrap(wrapped.to_vec())
            .map(SecretBytes::new)
            .map_err(|error| VaultError::Platform(error.to_string()))
    }
}

/// Presents a Kotlin [`PlatformClock`] as core's clock.
pub(crate) struct ClockAdapter(pub(crate) Arc<dyn PlatformClock>);

/// Boot id used when the platform cannot tell; it matches no stored anchor.
const UNKNOWN_BOOT: &str = "unknown-boot";

impl siperlu_core::device::PlatformClock for ClockAdapter {
    fn wall_clock_ms(&self) -> i64 {
        self.0.wall_clock_ms().unwrap_or_else(|error| {
            tracing::warn!(%error, "the platform wall clock failed; reading 0");
            0
        })
    }

    fn elapsed_since_boot_ms(&self) -> i64 {
        self.0.elapsed_since_boot_ms().unwrap_or_else(|error| {
            tracing::warn!(%error, "the platform elapsed clock failed; reading 0");
            0
        })
    }

    fn boot_id(&self) -> String {
        self.0.boot_id().unwrap_or_else(|error| {
            tracing::warn!(%error, "the platform boot id failed");
            UNKNOWN_BOOT.to_string()
        })
    }
}
