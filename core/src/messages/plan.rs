//! Texts about the daily work plan (rencana kerja harian) an ASN edits on the phone.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "plan.not_today",
        id_text: "Rencana kerja tanggal {day} tidak dapat diubah lagi; hanya rencana hari ini yang dapat diubah.",
        en_text: "The work plan for {day} can no longer be changed; only today's plan can be edited.",
    },
    Message {
        id: "plan.past_cutoff",
        id_text: "Batas waktu ubah rencana kerja hari ini sudah lewat (pukul {cutoff}).",
        en_text: "Today's deadline for changing the work plan has passed ({cutoff}).",
    },
    Message {
        id: "plan.empty_title",
        id_text: "Judul kegiatan nomor {index} belum diisi.",
        en_text: "Activity number {index} has no title.",
    },
    Message {
        id: "plan.sync_refused",
        id_text: "{count} rencana kerja ditolak server dan belum tersinkron:",
        en_text: "{count} work plans were refused by the server and are not synced:",
    },
    Message {
        id: "plan.other_nip",
        id_text: "Rencana kerja hanya dapat disimpan untuk NIP yang terdaftar di ponsel ini.",
        en_text: "A work plan can be saved only for the NIP registered on this phone.",
    },
];
