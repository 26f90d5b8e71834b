//! Texts of the server's record ingest: why a record was rejected or flagged for an admin.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "ingest.nip_mismatch",
        id_text: "Presensi ditandatangani untuk NIP lain, bukan ASN pemilik perangkat ini.",
        en_text: "The record was signed for another NIP than the ASN this device belongs to.",
    },
    Message {
        id: "ingest.id_conflict",
        id_text: "Presensi dengan id yang sama sudah tersimpan dengan isi berbeda; data diubah setelah ditandatangani.",
        en_text: "A record with the same id is stored with different contents; the data was changed after signing.",
    },
    Message {
        id: "ingest.future_time",
        id_text: "Waktu presensi lebih maju dari waktu server saat diterima.",
        en_text: "The record time lies after server time at upload.",
    },
    Message {
        id: "ingest.no_assignment",
        id_text: "ASN tidak memiliki penugasan kantor atau dinas luar pada tanggal presensi.",
        en_text: "The ASN has no office or dinas luar assignment on the date of the record.",
    },
    Message {
        id: "ingest.verdict_mismatch",
        id_text: "Hasil geofence di ponsel berbeda dengan hasil hitung ulang server.",
        en_text: "The phone's geofence verdict differs from the server's recomputed verdict.",
    },
    Message {
        id: "ingest.face_not_matched",
        id_text: "Wajah pada presensi tidak cocok dengan template yang terdaftar.",
        en_text: "The face in the record did not match the enrolled template.",
    },
    Message {
        id: "ingest.blink_missing",
        id_text: "Presensi tanpa pemeriksaan kedipan, padahal kebijakan perangkat mewajibkannya.",
        en_text: "The check-in has no blink check, although the device policy requires one.",
    },
    Message {
        id: "ingest.template_not_registered",
        id_text: "Wajah dicocokkan dengan template yang tidak didaftarkan ke server. Wajah di ponsel mungkin telah diganti tanpa kode pendaftaran baru.",
        en_text: "The face was matched against a template that was not registered with the server. The face on the phone may have been replaced without a new enrollment code.",
    },
    Message {
        id: "ingest.invalid_location",
        id_text: "Lokasi pada presensi tidak dapat dinilai: {detail}",
        en_text: "The location in the record cannot be judged: {detail}",
    },
    Message {
        id: "ingest.batch_rejected",
        id_text: "Tidak ada presensi dalam kiriman ini yang diterima. Alasan pertama: {reason}",
        en_text: "No record in this batch was accepted. First reason: {reason}",
    },
    Message {
        id: "ingest.batch_size",
        id_text: "Satu kiriman berisi 1 sampai {max} presensi; kiriman ini berisi {count}.",
        en_text: "A batch holds 1 to {max} records; this one holds {count}.",
    },
    Message {
        id: "ingest.plan_invalid",
        id_text: "Rencana kerja ditolak: {detail}",
        en_text: "The work plan was rejected: {detail}",
    },
    Message {
        id: "ingest.unknown_anchor",
        id_text: "Presensi menyebut acuan waktu server yang tidak pernah diberikan server ke perangkat ini; waktunya dihitung dari jam ponsel.",
        en_text: "The record names a server time anchor the server never gave this device; its time is taken from the phone clock.",
    },
    Message {
        id: "ingest.anchor_mismatch",
        id_text: "Presensi menyebut acuan waktu yang sama dengan presensi sebelumnya, tetapi dengan pembacaan jam ponsel yang berbeda.",
        en_text: "The record names the same time anchor as the previous record, but with different phone clock readings for it.",
    },
    Message {
        id: "ingest.time_mismatch",
        id_text: "Waktu presensi yang dikirim ponsel berbeda dengan waktu yang dihitung ulang server dari acuan waktunya.",
        en_text: "The record's trusted time differs from the time the server recomputed from its anchor.",
    },
];
