//! Texts of admin data validation: field labels as the admin forms show them, and the reasons
//! a value of an office, fence, ASN, assignment or enrollment code is rejected.
//!
//! The server puts a label and a reason into `api.invalid_field`, so an admin page reads as one
//! Indonesian sentence, while the JSON API keeps the JSON field name in its English text.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "admin_field.decision",
        id_text: "Keputusan",
        en_text: "Decision",
    },
    Message {
        id: "admin_field.month",
        id_text: "Bulan",
        en_text: "Month",
    },
    Message {
        id: "admin_field.office_code",
        id_text: "Kode kantor",
        en_text: "Office code",
    },
    Message {
        id: "admin_field.office_kind",
        id_text: "Jenis lokasi",
        en_text: "Location kind",
    },
    Message {
        id: "admin_field.time_zone",
        id_text: "Zona waktu",
        en_text: "Time zone",
    },
    Message {
        id: "admin_field.fences",
        id_text: "Geofence kantor",
        en_text: "Office geofences",
    },
    Message {
        id: "admin_field.valid_from",
        id_text: "Berlaku mulai",
        en_text: "Valid from",
    },
    Message {
        id: "admin_field.valid_until",
        id_text: "Berlaku sampai",
        en_text: "Valid until",
    },
    Message {
        id: "admin_field.valid_minutes",
        id_text: "Masa berlaku kode (menit)",
        en_text: "Code lifetime (minutes)",
    },
    Message {
        id: "admin_field.password",
        id_text: "Kata sandi",
        en_text: "Password",
    },
    Message {
        id: "admin_field.export_format",
        id_text: "Format unduhan",
        en_text: "Download format",
    },
    Message {
        id: "admin_field.expected_decision",
        id_text: "Setujui atau Tolak",
        en_text: "approve or reject",
    },
    Message {
        id: "admin_form.name_length",
        id_text: "panjangnya {length} karakter, padahal yang diterima 1 sampai 200 karakter",
        en_text: "it has {length} characters; use 1 to 200",
    },
    Message {
        id: "admin_form.reason_length",
        id_text: "panjangnya {length} karakter, padahal yang diterima paling banyak {max_length} karakter",
        en_text: "it has {length} characters; use at most {max_length}",
    },
    Message {
        id: "admin_form.control_character",
        id_text: "berisi karakter kontrol; hapus karakter tersebut",
        en_text: "it contains a control character; remove it",
    },
    Message {
        id: "admin_form.office_code",
        id_text: "{value} harus terdiri dari 1 sampai 32 karakter A-Z, a-z, 0-9, '-' dan '_'",
        en_text: "{value} must be 1 to 32 characters from A-Z, a-z, 0-9, '-' and '_'",
    },
    Message {
        id: "admin_form.office_kind",
        id_text: "{value} harus office (kantor) atau dinas_luar (lokasi dinas luar)",
        en_text: "{value} must be office or dinas_luar",
    },
    Message {
        id: "admin_form.time_zone",
        id_text: "{value} harus Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)",
        en_text: "{value} must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
    },
    Message {
        id: "admin_form.date_order",
        id_text: "{until} lebih awal dari tanggal berlaku mulai {from}",
        en_text: "{until} is before valid_from {from}",
    },
    Message {
        id: "admin_form.code_minutes",
        id_text: "{minutes} di luar rentang 1 sampai {max} menit",
        en_text: "{minutes} is outside 1..={max}",
    },
    Message {
        id: "admin_form.password_length",
        id_text: "panjangnya {length} karakter; gunakan paling sedikit {min} karakter",
        en_text: "it has {length} characters; use at least {min}",
    },
    Message {
        id: "admin_form.opd_exists",
        id_text: "OPD bernama {name} sudah ada",
        en_text: "an OPD named {name} already exists",
    },
    Message {
        id: "admin_form.office_exists",
        id_text: "kantor dengan kode {code} sudah ada",
        en_text: "an office with code {code} already exists",
    },
    Message {
        id: "admin_form.asn_exists",
        id_text: "ASN dengan NIP {nip} sudah terdaftar",
        en_text: "ASN with NIP {nip} already exists",
    },
    Message {
        id: "admin_form.stored_fences_unreadable",
        id_text: "geofence tersimpan dari kantor {office_id} tidak terbaca",
        en_text: "stored fences of office {office_id} are unreadable",
    },
    Message {
        id: "admin_form.object_office",
        id_text: "kantor {id}",
        en_text: "office {id}",
    },
    Message {
        id: "admin_form.object_opd",
        id_text: "OPD {id}",
        en_text: "work unit (OPD) {id}",
    },
    Message {
        id: "admin_form.object_asn",
        id_text: "ASN dengan NIP {nip}",
        en_text: "ASN with NIP {nip}",
    },
    Message {
        id: "admin_form.object_device",
        id_text: "perangkat aktif {id}",
        en_text: "active device {id}",
    },
    Message {
        id: "admin_form.object_checkin",
        id_text: "presensi {id}",
        en_text: "check-in {id}",
    },
];
