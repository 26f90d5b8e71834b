//! Texts about signed attendance records, as an admin sees them when the server checks a batch.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "record.bad_signature",
        id_text: "Tanda tangan catatan presensi tidak cocok dengan kunci perangkat; catatan mungkin diubah.",
        en_text: "The attendance record's signature does not match the device key; the record may have been altered.",
    },
    Message {
        id: "record.unsupported_version",
        id_text: "Catatan presensi memakai format versi {found}, sedangkan server menerima versi {supported}. Perbarui aplikasi presensi.",
        en_text: "The attendance record uses format version {found}, but the server accepts version {supported}. Update the attendance app.",
    },
    Message {
        id: "record.malformed",
        id_text: "Catatan presensi rusak atau tidak lengkap (kolom {field}).",
        en_text: "The attendance record is damaged or incomplete (field {field}).",
    },
    Message {
        id: "record.sequence_gap",
        id_text: "Catatan presensi nomor {expected} sampai {before} hilang dari perangkat ini.",
        en_text: "Attendance records {expected} to {before} are missing from this device.",
    },
    Message {
        id: "record.chain_break",
        id_text: "Rantai catatan presensi terputus di nomor {sequence}; catatan sebelumnya diubah atau dihapus.",
        en_text: "The attendance record chain breaks at number {sequence}; an earlier record was changed or deleted.",
    },
    Message {
        id: "record.replay",
        id_text: "Catatan presensi ini dikirim ulang setelah catatan yang lebih baru dari perangkat yang sama.",
        en_text: "This attendance record was sent again after a newer record from the same device.",
    },
    Message {
        id: "record.fork",
        id_text: "Ada dua catatan presensi berbeda dengan nomor urut yang sama dari perangkat ini.",
        en_text: "Two different attendance records carry the same number from this device.",
    },
    Message {
        id: "record.wrong_device",
        id_text: "Catatan presensi berasal dari perangkat lain, bukan perangkat yang terdaftar.",
        en_text: "The attendance record comes from another device, not the registered one.",
    },
];
