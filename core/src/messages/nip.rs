//! Texts for a NIP that failed validation, shown at enrollment on the phone and in the admin
//! pages.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "nip.wrong_length",
        id_text: "NIP {value} harus terdiri dari tepat 18 digit.",
        en_text: "NIP {value} must have exactly 18 digits.",
    },
    Message {
        id: "nip.not_digits",
        id_text: "NIP {value} hanya boleh berisi angka 0-9, tanpa spasi atau tanda baca.",
        en_text: "NIP {value} may contain only the digits 0-9, without spaces or punctuation.",
    },
    Message {
        id: "nip.birth_date",
        id_text: "Tanggal lahir pada digit 1-8 NIP {value} tidak valid atau tidak wajar.",
        en_text: "The birth date in digits 1-8 of NIP {value} is invalid or implausible.",
    },
    Message {
        id: "nip.appointment",
        id_text: "Tahun dan bulan pengangkatan pada digit 9-14 NIP {value} tidak valid atau tidak wajar.",
        en_text: "The appointment year and month in digits 9-14 of NIP {value} are invalid or implausible.",
    },
    Message {
        id: "nip.gender",
        id_text: "Digit ke-15 NIP {value} harus 1 (laki-laki) atau 2 (perempuan).",
        en_text: "Digit 15 of NIP {value} must be 1 (male) or 2 (female).",
    },
    Message {
        id: "nip.serial",
        id_text: "Nomor urut pada digit 16-18 NIP {value} tidak boleh 000.",
        en_text: "The serial number in digits 16-18 of NIP {value} must not be 000.",
    },
];
