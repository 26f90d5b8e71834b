//! Texts shared by every area: generic input errors and outcomes.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "common.invalid_value",
        id_text: "Nilai {name} tidak valid: {value}",
        en_text: "Invalid {name}: {value}",
    },
    Message {
        id: "common.internal_error",
        id_text: "Terjadi kesalahan pada aplikasi. Silakan coba lagi; jika berulang, hubungi admin OPD.",
        en_text: "Something went wrong in the app. Please try again; if it keeps happening, contact your OPD admin.",
    },
    Message {
        id: "common.accepted",
        id_text: "Presensi diterima",
        en_text: "Attendance accepted",
    },
    Message {
        id: "common.rejected",
        id_text: "Presensi ditolak",
        en_text: "Attendance rejected",
    },
];
