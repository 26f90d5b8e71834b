//! Texts about trusted time: why a record's time is flagged for an admin to review.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "time.clock_skew",
        id_text: "Jam ponsel berbeda lebih dari {limit_minutes} menit dari waktu server. Periksa pengaturan jam ponsel.",
        en_text: "The phone clock differs from server time by more than {limit_minutes} minutes. Check the phone's clock settings.",
    },
    Message {
        id: "time.elapsed_backwards",
        id_text: "Jam sejak nyala ponsel berjalan mundur; waktu presensi ini perlu diperiksa admin.",
        en_text: "The phone's time-since-boot clock went backwards; an admin needs to review this attendance time.",
    },
    Message {
        id: "time.no_anchor",
        id_text: "Waktu presensi diambil dari jam ponsel karena ponsel belum sinkron dengan server sejak dinyalakan.",
        en_text: "The attendance time comes from the phone clock because the phone has not synced with the server since it was switched on.",
    },
];
