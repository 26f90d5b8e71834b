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
    Message {
        id: "plan.item_parts",
        id_text: "Kegiatan nomor {index} berisi {count} bagian. Tulis paling banyak 5 bagian: JUDUL|HASIL|JJ:MM-JJ:MM|STATUS|CATATAN.",
        en_text: "Activity number {index} has {count} parts. Write at most 5: TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE.",
    },
    Message {
        id: "plan.invalid_window",
        id_text: "Jam kegiatan nomor {index} ({window}) tidak valid. Tulis jam mulai dan jam selesai sebagai JJ:MM-JJ:MM, dengan jam mulai lebih awal, misalnya 08:00-10:00.",
        en_text: "The time of activity number {index} ({window}) is invalid. Write the start and end as HH:MM-HH:MM with the earlier time first, for example 08:00-10:00.",
    },
    Message {
        id: "plan.invalid_status",
        id_text: "Status kegiatan nomor {index} ({status}) tidak dikenal. Gunakan planned (direncanakan), done (selesai) atau not_done (tidak selesai).",
        en_text: "The status of activity number {index} ({status}) is unknown. Use planned, done or not_done.",
    },
    Message {
        id: "plan.invalid_cutoff",
        id_text: "Batas waktu ubah rencana {value} tidak valid. Tulis jam sebagai JJ:MM, misalnya 16:00.",
        en_text: "The plan change deadline {value} is invalid. Write the time as HH:MM, for example 16:00.",
    },
    Message {
        id: "plan.invalid_day",
        id_text: "Tanggal {value} tidak valid. Tulis tanggal sebagai tttt-bb-hh, misalnya 2026-12-04.",
        en_text: "The date {value} is invalid. Write the date as yyyy-mm-dd, for example 2026-12-04.",
    },
    Message {
        id: "plan.none_saved",
        id_text: "Belum ada rencana kerja untuk tanggal {day}. Simpan rencana dengan `siperlu device plan set`.",
        en_text: "No work plan is saved for {day}. Save one with `siperlu device plan set`.",
    },
];
