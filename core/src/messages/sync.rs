//! Texts of the sync screen: what the ASN sees when the phone registers with the server or
//! uploads its attendance records.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "sync.registered",
        id_text: "Ponsel ini sudah terdaftar di server presensi.",
        en_text: "This phone is registered with the attendance server.",
    },
    Message {
        id: "sync.done",
        id_text: "Sinkronisasi selesai: {acknowledged} presensi diterima server, {rejected} ditolak, {plans} rencana kerja terkirim.",
        en_text: "Sync finished: {acknowledged} attendance records accepted by the server, {rejected} refused, {plans} work plans sent.",
    },
    Message {
        id: "sync.offline",
        id_text: "Server presensi tidak dapat dihubungi. Data presensi tetap tersimpan di ponsel dan akan dikirim otomatis nanti.",
        en_text: "The attendance server cannot be reached. Your attendance stays on the phone and is sent automatically later.",
    },
    Message {
        id: "sync.register_offline",
        id_text: "Server presensi tidak dapat dihubungi, jadi ponsel belum terdaftar. Periksa alamat server dan koneksi internet, lalu daftar lagi dengan kode yang sama.",
        en_text: "The attendance server cannot be reached, so the phone is not registered yet. Check the server address and the internet connection, then register again with the same code.",
    },
    Message {
        id: "sync.not_registered",
        id_text: "Ponsel ini belum terdaftar di server. Minta kode pendaftaran kepada admin OPD.",
        en_text: "This phone is not registered with the server yet. Ask your OPD admin for an enrollment code.",
    },
    Message {
        id: "sync.refused",
        id_text: "Server menolak permintaan ponsel ini. Hubungi admin OPD.",
        en_text: "The server refused this phone's request. Contact your OPD admin.",
    },
    Message {
        id: "sync.untrusted_server",
        id_text: "Pengaturan kantor tidak ditandatangani oleh server yang terdaftar dan tidak dipakai. Hubungi admin OPD.",
        en_text: "The office settings are not signed by the registered server and were not used. Contact your OPD admin.",
    },
    Message {
        id: "sync.invalid_server_url",
        id_text: "Alamat server tidak valid: {value}",
        en_text: "Invalid server address: {value}",
    },
];
