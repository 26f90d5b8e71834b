//! Texts of the location trust flags raised on a GPS fix.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "location.mock_provider",
        id_text: "Lokasi berasal dari aplikasi lokasi palsu (mock location), jadi presensi ini perlu diperiksa admin. Matikan aplikasi tersebut sebelum presensi berikutnya.",
        en_text: "The location comes from a fake-location (mock location) app, so this attendance needs an admin's review. Turn that app off before your next attendance.",
    },
    Message {
        id: "location.stale_fix",
        id_text: "Data lokasi sudah berumur {age_s} detik (batas {max_age_s} detik). Tunggu lokasi baru, lalu coba lagi.",
        en_text: "The location fix is {age_s} seconds old (limit {max_age_s} seconds). Wait for a new fix, then try again.",
    },
    Message {
        id: "location.future_fix",
        id_text: "Waktu data lokasi {ahead_s} detik lebih maju dari waktu tepercaya. Periksa pengaturan jam ponsel.",
        en_text: "The location fix time is {ahead_s} seconds ahead of trusted time. Check the phone's clock settings.",
    },
    Message {
        id: "location.poor_accuracy",
        id_text: "Akurasi lokasi {accuracy_m} m lebih buruk dari batas {max_accuracy_m} m. Pindah ke tempat terbuka, lalu coba lagi.",
        en_text: "The location accuracy of {accuracy_m} m is worse than the limit of {max_accuracy_m} m. Move to an open spot, then try again.",
    },
    Message {
        id: "location.implausible_accuracy",
        id_text: "Akurasi lokasi {accuracy_m} m terlalu baik untuk GPS ponsel (minimal wajar {min_accuracy_m} m); lokasi mungkin dipalsukan.",
        en_text: "The location accuracy of {accuracy_m} m is too good for a phone's GPS (plausible minimum {min_accuracy_m} m); the location may be faked.",
    },
    Message {
        id: "location.impossible_travel",
        id_text: "Perpindahan {distance} dalam {elapsed} sejak presensi sebelumnya berarti kecepatan {speed_m_per_s} m/s, di atas batas {max_speed_m_per_s} m/s.",
        en_text: "Moving {distance} in {elapsed} since the previous attendance implies {speed_m_per_s} m/s, above the limit of {max_speed_m_per_s} m/s.",
    },
];

#[cfg(test)]
mod test {
    use crate::messages::{Locale, text};

    #[test]
    fn mock_location_advice_fits_a_flagged_attempt() {
        // A mock location flags the attempt; it is recorded, so "try again" would mislead.
        let indonesian = text("location.mock_provider", Locale::Id).expect("catalog entry");
        assert!(!indonesian.contains("coba lagi"), "{indonesian}");
        assert!(indonesian.contains("diperiksa"), "{indonesian}");
        let english = text("location.mock_provider", Locale::En).expect("catalog entry");
        assert!(!english.contains("try again"), "{english}");
    }
}
