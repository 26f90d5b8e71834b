//! Texts of the check-in screen and of the device API's errors, which the Android shell shows
//! to the ASN.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "device.flagged",
        id_text: "Presensi tercatat, tetapi perlu diperiksa admin OPD.",
        en_text: "Attendance recorded, but your OPD admin needs to review it.",
    },
    Message {
        id: "device.retry",
        id_text: "Silakan coba presensi lagi.",
        en_text: "Please try the attendance again.",
    },
    Message {
        id: "device.enrolled",
        id_text: "Wajah Anda berhasil didaftarkan.",
        en_text: "Your face was enrolled.",
    },
    Message {
        id: "device.enrolled_pending",
        id_text: "Wajah baru tersimpan, tetapi presensi tetap memakai wajah yang sudah terdaftar. Minta kode pendaftaran baru kepada admin OPD, lalu daftar ulang agar wajah baru dipakai.",
        en_text: "The new face is saved, but attendance still uses the face already registered. Ask your OPD admin for a new enrollment code, then register again to use the new face.",
    },
    Message {
        id: "device.summary",
        id_text: "Hari presensi {day} {zone}, {office}, jarak {distance}, lokasi {lat}, {lon} (akurasi {accuracy_m} m). Rekaman nomor {sequence}: {record_id}.",
        en_text: "Attendance day {day} {zone}, {office}, distance {distance}, location {lat}, {lon} (accuracy {accuracy_m} m). Record number {sequence}: {record_id}.",
    },
    Message {
        id: "device.not_initialised",
        id_text: "Aplikasi belum disiapkan di ponsel ini. Buka menu pengaturan awal.",
        en_text: "The app is not set up on this phone yet. Open the first-time setup.",
    },
    Message {
        id: "device.no_nip",
        id_text: "NIP belum diisi. Isi NIP Anda pada pengaturan awal.",
        en_text: "No NIP has been entered. Enter your NIP in the first-time setup.",
    },
    Message {
        id: "device.invalid_nip",
        id_text: "NIP harus terdiri dari 18 angka.",
        en_text: "A NIP has 18 digits.",
    },
    Message {
        id: "device.no_template",
        id_text: "Wajah Anda belum didaftarkan di ponsel ini. Lakukan pendaftaran wajah terlebih dahulu.",
        en_text: "Your face is not enrolled on this phone. Enroll your face first.",
    },
    Message {
        id: "device.template_unusable",
        id_text: "Data wajah yang tersimpan tidak dapat dipakai lagi. Daftarkan wajah Anda ulang.",
        en_text: "The stored face data can no longer be used. Enroll your face again.",
    },
    Message {
        id: "device.enrollment_rejected",
        id_text: "Foto pendaftaran wajah tidak dapat dipakai. Ambil 3 sampai 5 foto wajah Anda sendiri, jelas dan menghadap kamera.",
        en_text: "The enrollment photos cannot be used. Take 3 to 5 clear photos of your own face, looking at the camera.",
    },
    Message {
        id: "device.invalid_photo",
        id_text: "Foto tidak dapat dibaca. Ambil foto lagi.",
        en_text: "The photo cannot be read. Take the photo again.",
    },
    Message {
        id: "device.enrollment_photo",
        id_text: "Foto ke-{number}: {reason}",
        en_text: "Photo {number}: {reason}",
    },
    Message {
        id: "device.enrollment_duplicate",
        id_text: "Foto ini sama dengan foto lain yang sudah dipilih. Ambil 3 sampai 5 foto yang berbeda.",
        en_text: "This photo is the same as another photo already chosen. Take 3 to 5 different photos.",
    },
    Message {
        id: "device.enrollment_other_person",
        id_text: "Wajah di foto ini tidak tampak seperti wajah di foto lainnya. Semua foto harus wajah Anda sendiri.",
        en_text: "The face in this photo does not look like the face in the other photos. All photos must show your own face.",
    },
    Message {
        id: "device.nip_registered",
        id_text: "Ponsel ini sudah terdaftar di server untuk NIP lain, jadi NIP {value} tidak dapat dipakai di sini. Untuk memakai ponsel ini bagi ASN lain, hapus data aplikasi Siperlu, lalu daftar dengan kode pendaftaran baru dari admin OPD.",
        en_text: "This phone is registered with the server for another NIP, so NIP {value} cannot be used here. To use this phone for another ASN, clear the Siperlu app's data, then register with a new enrollment code from the OPD admin.",
    },
    Message {
        id: "device.photo_unreadable",
        id_text: "Berkas foto {path} tidak dapat dibuka ({detail}). Periksa nama dan lokasi berkas, lalu coba lagi.",
        en_text: "The photo file {path} cannot be opened ({detail}). Check the file name and location, then try again.",
    },
    Message {
        id: "device.invalid_fix",
        id_text: "Lokasi dari GPS tidak valid. Aktifkan GPS dengan akurasi tinggi, lalu coba lagi.",
        en_text: "The GPS location is invalid. Turn on high-accuracy GPS, then try again.",
    },
    Message {
        id: "device.no_config",
        id_text: "Konfigurasi kantor belum diterima dari server. Sambungkan ponsel ke internet, lalu coba lagi.",
        en_text: "The office configuration has not been received from the server yet. Connect the phone to the internet, then try again.",
    },
    Message {
        id: "device.config_rejected",
        id_text: "Konfigurasi dari server ditolak karena tidak sah atau tidak sesuai dengan ponsel ini. Hubungi admin OPD.",
        en_text: "The configuration from the server was rejected because it is not genuine or does not belong to this phone. Contact your OPD admin.",
    },
    Message {
        id: "device.storage",
        id_text: "Data presensi di ponsel tidak dapat dibaca atau disimpan. Hubungi admin OPD sebelum menghapus data aplikasi.",
        en_text: "The attendance data on the phone cannot be read or saved. Contact your OPD admin before clearing the app's data.",
    },
    Message {
        id: "device.wrong_vault",
        id_text: "Kata sandi atau berkas kunci salah. Data di ponsel tidak diubah; coba lagi dengan kata sandi yang benar.",
        en_text: "Wrong passphrase or key file. Nothing on the phone was changed; try again with the right passphrase.",
    },
    Message {
        id: "device.models_unavailable",
        id_text: "Model pengenalan wajah tidak dapat dimuat. Pasang ulang aplikasi.",
        en_text: "The face recognition models cannot be loaded. Reinstall the app.",
    },
];
