//! siperlu-ffi: the thin UniFFI layer the Android app calls.
//!
//! Every exported function delegates to siperlu-core; none holds logic of its own. The app
//! holds one [`device::SiperluDevice`], supplies the key vault and the clocks as Kotlin
//! implementations of [`platform::KeyVault`] and [`platform::PlatformClock`], and receives every
//! failure as a [`error::SiperluError`] (`SiperluException` in Kotlin). docs/BINDINGS.md
//! describes the API from the app's side.

pub mod device;
pub mod error;
pub mod logging;
pub mod platform;
pub mod sync;
pub mod types;

uniffi::setup_scaffolding!();

/// Returns the text of message `id` for a BCP 47 `locale_tag` (`id-ID`, `en`, ...), or the id
/// itself when the catalog has no such message. The app shows `SiperluException.messageId`
/// through it.
#[uniffi::export]
pub fn message_text(id: String, locale_tag: String) -> String {
    let locale = siperlu_core::messages::Locale::from_tag(&locale_tag);
    siperlu_core::messages::format(&id, locale, &[])
}

/// Returns the version of the Rust core the app was built with.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn message_text_uses_locale() {
        assert_eq!(
            message_text("common.accepted".into(), "id-ID".into()),
            "Presensi diterima"
        );
        assert_eq!(
            message_text("common.accepted".into(), "en".into()),
            "Attendance accepted"
        );
    }
}
