//! Texts of the errors the server's device API returns; the phone shows them by id.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "api.malformed_json",
        id_text: "Isi permintaan bukan JSON yang valid: {detail}",
        en_text: "The request body is not valid JSON: {detail}",
    },
    Message {
        id: "api.invalid_field",
        id_text: "Kolom {field} tidak valid: {detail}",
        en_text: "Field {field} is invalid: {detail}",
    },
    Message {
        id: "api.body_too_large",
        id_text: "Isi permintaan melebihi batas {limit_bytes} byte. Kirim data dalam kelompok yang lebih kecil.",
        en_text: "The request body exceeds the limit of {limit_bytes} bytes. Send the data in smaller batches.",
    },
    Message {
        id: "api.unsigned_request",
        id_text: "Permintaan tidak ditandatangani perangkat: {detail}",
        en_text: "The request is not signed by a device: {detail}",
    },
    Message {
        id: "api.unknown_device",
        id_text: "Perangkat {device_id} tidak terdaftar atau sudah dicabut. Daftarkan ulang perangkat dengan kode pendaftaran dari admin OPD.",
        en_text: "Device {device_id} is not registered or was revoked. Register the device again with an enrollment code from the OPD admin.",
    },
    Message {
        id: "api.bad_signature",
        id_text: "Tanda tangan permintaan tidak cocok dengan kunci perangkat yang terdaftar.",
        en_text: "The request signature does not match the registered device key.",
    },
    Message {
        id: "api.stale_request",
        id_text: "Waktu permintaan terlalu jauh dari waktu server ({detail}). Perbarui waktu server lalu coba lagi.",
        en_text: "The request time is too far from server time ({detail}). Refresh server time and try again.",
    },
    Message {
        id: "api.replayed_request",
        id_text: "Permintaan ini sudah pernah diterima (nonce dipakai ulang).",
        en_text: "This request was already received (nonce reused).",
    },
    Message {
        id: "api.rate_limited",
        id_text: "Terlalu banyak permintaan. Coba lagi dalam {retry_after_s} detik.",
        en_text: "Too many requests. Try again in {retry_after_s} seconds.",
    },
    Message {
        id: "api.enrollment_code_invalid",
        id_text: "Kode pendaftaran tidak dikenal, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada admin OPD.",
        en_text: "The enrollment code is unknown, already used, or expired. Ask the OPD admin for a new code.",
    },
    Message {
        id: "api.device_key_in_use",
        id_text: "Kunci perangkat ini sudah terdaftar. Buat kunci baru lalu daftar ulang.",
        en_text: "This device key is already registered. Create a new key and register again.",
    },
    Message {
        id: "api.not_found",
        id_text: "Tidak ditemukan: {what}",
        en_text: "Not found: {what}",
    },
    Message {
        id: "api.method_not_allowed",
        id_text: "Metode HTTP ini tidak didukung untuk alamat tersebut.",
        en_text: "This HTTP method is not supported for that path.",
    },
    Message {
        id: "api.conflict",
        id_text: "Data bertentangan dengan data yang sudah ada: {detail}",
        en_text: "The data conflicts with existing data: {detail}",
    },
    Message {
        id: "api.login_required",
        id_text: "Silakan masuk sebagai admin terlebih dahulu.",
        en_text: "Please sign in as an admin first.",
    },
    Message {
        id: "api.csrf_invalid",
        id_text: "Token keamanan formulir tidak valid atau kedaluwarsa. Muat ulang halaman lalu coba lagi.",
        en_text: "The form security token is invalid or expired. Reload the page and try again.",
    },
    Message {
        id: "api.internal_error",
        id_text: "Terjadi kesalahan pada server. Coba lagi nanti; jika berulang, hubungi admin.",
        en_text: "Something went wrong on the server. Try again later; if it keeps happening, contact the admin.",
    },
    Message {
        id: "api.wrong_credentials",
        id_text: "Nama pengguna atau kata sandi salah.",
        en_text: "Wrong username or password.",
    },
    Message {
        id: "api.account_locked",
        id_text: "Akun dikunci sementara setelah beberapa kali gagal masuk. Coba lagi dalam {retry_after_s} detik.",
        en_text: "The account is locked for a while after repeated failed logins. Try again in {retry_after_s} seconds.",
    },
    Message {
        id: "api.invalid_value",
        id_text: "Nilai {value} pada kolom {field} tidak valid. Gunakan {expected}.",
        en_text: "Field {field} has the invalid value {value}. Use {expected}.",
    },
    Message {
        id: "api.expected_date",
        id_text: "tanggal dengan format tttt-bb-hh, misalnya 2026-12-04",
        en_text: "a date as yyyy-mm-dd, for example 2026-12-04",
    },
    Message {
        id: "api.expected_month",
        id_text: "bulan dengan format tttt-bb, misalnya 2026-12",
        en_text: "a month as yyyy-mm, for example 2026-12",
    },
    Message {
        id: "api.expected_number",
        id_text: "bilangan bulat",
        en_text: "a whole number",
    },
    Message {
        id: "api.expected_status",
        id_text: "Menunggu (pending), Disetujui (approved) atau Ditolak (rejected)",
        en_text: "pending, approved or rejected",
    },
    Message {
        id: "api.expected_export_format",
        id_text: "csv atau xlsx",
        en_text: "csv or xlsx",
    },
    Message {
        id: "api.expected_flag",
        id_text: "salah satu pilihan kolom Tanda, yaitu id tanda seperti location.mock_provider atau any untuk ada tanda apa pun",
        en_text: "a flag id such as location.mock_provider, or any for any flag",
    },
    Message {
        id: "api.no_assignment",
        id_text: "ASN ini belum ditugaskan ke kantor atau lokasi dinas luar, jadi belum dapat presensi. Minta admin OPD menambahkan penugasan, lalu daftar lagi dengan kode yang sama.",
        en_text: "This ASN is not assigned to an office or a dinas luar location yet, so cannot check in. Ask the OPD admin to add an assignment, then register again with the same code.",
    },
    Message {
        id: "api.enrollment_code_other_nip",
        id_text: "Kode pendaftaran ini dibuat untuk NIP lain. Periksa NIP yang Anda isi, atau minta kode untuk NIP Anda kepada admin OPD.",
        en_text: "This enrollment code was issued for another NIP. Check the NIP you entered, or ask the OPD admin for a code for your NIP.",
    },
];
