//! Texts of the Android app's own screens: titles, buttons, field labels, status lines and the
//! explanations shown before the phone requests the camera and location permissions.
//!
//! Outcomes of checks (face, geofence, sync, ...) keep their ids in their own sections; this
//! section holds only what the shell itself shows around them.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    // First run: activation and face enrollment.
    Message {
        id: "app.setup_title",
        id_text: "Aktivasi presensi",
        en_text: "Activate attendance",
    },
    Message {
        id: "app.setup_intro",
        id_text: "Isi NIP, alamat server dan kode pendaftaran dari admin OPD, lalu daftarkan wajah Anda.",
        en_text: "Enter your NIP, the server address and the enrollment code from your OPD admin, then enroll your face.",
    },
    Message {
        id: "app.nip_label",
        id_text: "NIP (18 digit)",
        en_text: "NIP (18 digits)",
    },
    Message {
        id: "app.server_url_label",
        id_text: "Alamat server presensi",
        en_text: "Attendance server address",
    },
    Message {
        id: "app.enrollment_code_label",
        id_text: "Kode pendaftaran dari admin OPD",
        en_text: "Enrollment code from your OPD admin",
    },
    Message {
        id: "app.enroll_hint",
        id_text: "Ambil 3 sampai 5 foto wajah dengan kamera depan: lurus ke depan, sedikit menoleh ke kiri dan ke kanan, di tempat yang terang.",
        en_text: "Take 3 to 5 photos of your face with the front camera: straight ahead, turned slightly left and right, in good light.",
    },
    Message {
        id: "app.photo_count",
        id_text: "{count} dari 5 foto diambil",
        en_text: "{count} of 5 photos taken",
    },
    Message {
        id: "app.take_photo_button",
        id_text: "Ambil foto",
        en_text: "Take photo",
    },
    Message {
        id: "app.retake_photos_button",
        id_text: "Ulangi foto",
        en_text: "Retake photos",
    },
    Message {
        id: "app.register_button",
        id_text: "Daftarkan wajah dan ponsel",
        en_text: "Enroll face and register phone",
    },
    Message {
        id: "app.need_more_photos",
        id_text: "Ambil paling sedikit 3 foto wajah terlebih dahulu.",
        en_text: "Take at least 3 photos of your face first.",
    },
    Message {
        id: "app.field_missing",
        id_text: "Isian {field} belum diisi.",
        en_text: "{field} is empty.",
    },
    // Work in progress, shown while a blocking core call runs on a worker thread.
    Message {
        id: "app.working",
        id_text: "Mohon tunggu…",
        en_text: "Please wait…",
    },
    // Home.
    Message {
        id: "app.home_title",
        id_text: "Presensi hari ini",
        en_text: "Today's attendance",
    },
    Message {
        id: "app.status_none",
        id_text: "Belum presensi masuk hari ini.",
        en_text: "No check-in yet today.",
    },
    Message {
        id: "app.status_checked_in",
        id_text: "Sudah presensi masuk pukul {time} {zone}.",
        en_text: "Checked in at {time} {zone}.",
    },
    Message {
        id: "app.status_checked_out",
        id_text: "Sudah presensi pulang pukul {time} {zone}.",
        en_text: "Checked out at {time} {zone}.",
    },
    Message {
        id: "app.check_in_button",
        id_text: "Presensi masuk",
        en_text: "Check in",
    },
    Message {
        id: "app.check_out_button",
        id_text: "Presensi pulang",
        en_text: "Check out",
    },
    Message {
        id: "app.pending_count",
        id_text: "{count} presensi belum tersinkron ke server.",
        en_text: "{count} attendance records not yet synced to the server.",
    },
    Message {
        id: "app.all_synced",
        id_text: "Semua presensi sudah tersinkron.",
        en_text: "All attendance records are synced.",
    },
    Message {
        id: "app.sync_now_button",
        id_text: "Sinkronkan sekarang",
        en_text: "Sync now",
    },
    Message {
        id: "app.sync_running",
        id_text: "Sinkronisasi sedang berjalan. Tunggu sampai selesai.",
        en_text: "A sync is already running. Wait until it finishes.",
    },
    Message {
        id: "app.history_button",
        id_text: "Riwayat presensi",
        en_text: "Attendance history",
    },
    // Today's work plan (rencana kerja harian).
    Message {
        id: "app.plan_title",
        id_text: "Rencana kerja harian",
        en_text: "Daily work plan",
    },
    Message {
        id: "app.plan_empty",
        id_text: "Belum ada kegiatan untuk hari ini.",
        en_text: "No activities planned for today.",
    },
    Message {
        id: "app.plan_cutoff",
        id_text: "Rencana dapat diubah sampai pukul {cutoff}.",
        en_text: "The plan can be changed until {cutoff}.",
    },
    Message {
        id: "app.plan_add_button",
        id_text: "Tambah kegiatan",
        en_text: "Add activity",
    },
    Message {
        id: "app.plan_edit_button",
        id_text: "Ubah",
        en_text: "Edit",
    },
    Message {
        id: "app.plan_activity_label",
        id_text: "Kegiatan",
        en_text: "Activity",
    },
    Message {
        id: "app.plan_output_label",
        id_text: "Output yang diharapkan",
        en_text: "Expected output",
    },
    Message {
        id: "app.plan_note_label",
        id_text: "Catatan realisasi",
        en_text: "Realisation note",
    },
    Message {
        id: "app.plan_status_planned",
        id_text: "Direncanakan",
        en_text: "Planned",
    },
    Message {
        id: "app.plan_status_done",
        id_text: "Selesai",
        en_text: "Done",
    },
    Message {
        id: "app.plan_status_not_done",
        id_text: "Tidak selesai",
        en_text: "Not done",
    },
    Message {
        id: "app.save_button",
        id_text: "Simpan",
        en_text: "Save",
    },
    Message {
        id: "app.cancel_button",
        id_text: "Batal",
        en_text: "Cancel",
    },
    // Check-in.
    Message {
        id: "app.check_in_title",
        id_text: "Presensi dengan wajah",
        en_text: "Attendance with your face",
    },
    Message {
        id: "app.check_in_hint",
        id_text: "Lihat ke kamera dan berkedip sekali setelah menekan tombol.",
        en_text: "Look at the camera and blink once after pressing the button.",
    },
    Message {
        id: "app.locating",
        id_text: "Mencari lokasi GPS…",
        en_text: "Getting a GPS location…",
    },
    Message {
        id: "app.no_fix",
        id_text: "Lokasi GPS belum didapat dalam {seconds} detik. Pindah ke tempat terbuka atau dekat jendela, lalu coba lagi.",
        en_text: "No GPS location within {seconds} seconds. Move outdoors or near a window, then try again.",
    },
    Message {
        id: "app.gps_disabled",
        id_text: "GPS ponsel mati. Nyalakan lokasi (GPS) di pengaturan, lalu coba lagi.",
        en_text: "The phone's GPS is off. Turn on location (GPS) in the settings, then try again.",
    },
    Message {
        id: "app.camera_failed",
        id_text: "Kamera depan tidak dapat dipakai: {reason}. Tutup aplikasi lain yang memakai kamera, lalu coba lagi.",
        en_text: "The front camera cannot be used: {reason}. Close other apps using the camera, then try again.",
    },
    Message {
        id: "app.result_location",
        id_text: "Lokasi {lat}, {lon} (akurasi {accuracy_m} m)",
        en_text: "Location {lat}, {lon} (accuracy {accuracy_m} m)",
    },
    Message {
        id: "app.result_office",
        id_text: "Kantor: {office}",
        en_text: "Office: {office}",
    },
    Message {
        id: "app.result_distance",
        id_text: "Jarak ke batas area kantor: {distance_m} m",
        en_text: "Distance to the office area's boundary: {distance_m} m",
    },
    Message {
        id: "app.result_time",
        id_text: "Waktu presensi {time} {zone}, {day}",
        en_text: "Attendance time {time} {zone}, {day}",
    },
    Message {
        id: "app.retry_button",
        id_text: "Coba lagi",
        en_text: "Try again",
    },
    Message {
        id: "app.back_button",
        id_text: "Kembali",
        en_text: "Back",
    },
    // History.
    Message {
        id: "app.history_empty",
        id_text: "Belum ada presensi di ponsel ini.",
        en_text: "No attendance recorded on this phone yet.",
    },
    Message {
        id: "app.kind_check_in",
        id_text: "Masuk",
        en_text: "In",
    },
    Message {
        id: "app.kind_check_out",
        id_text: "Pulang",
        en_text: "Out",
    },
    Message {
        id: "app.sync_state_pending",
        id_text: "Menunggu dikirim",
        en_text: "Waiting to send",
    },
    Message {
        id: "app.sync_state_sent",
        id_text: "Terkirim",
        en_text: "Sent",
    },
    Message {
        id: "app.sync_state_acknowledged",
        id_text: "Diterima server",
        en_text: "Accepted by server",
    },
    Message {
        id: "app.sync_state_rejected",
        id_text: "Ditolak server",
        en_text: "Refused by server",
    },
    // Permissions, each explained before Android's own dialog appears.
    Message {
        id: "app.camera_permission_reason",
        id_text: "Siperlu memakai kamera depan untuk mencocokkan wajah Anda saat presensi. Foto diproses di ponsel dan tidak dikirim ke server.",
        en_text: "Siperlu uses the front camera to match your face at check-in. Photos are processed on the phone and are not sent to the server.",
    },
    Message {
        id: "app.location_permission_reason",
        id_text: "Siperlu memakai lokasi GPS untuk memastikan Anda berada di kantor atau lokasi dinas luar saat presensi.",
        en_text: "Siperlu uses your GPS location to confirm you are at the office or your dinas luar location at check-in.",
    },
    Message {
        id: "app.camera_permission_denied",
        id_text: "Izin kamera ditolak. Presensi dan pendaftaran wajah tidak dapat dilakukan tanpa kamera; berikan izin di pengaturan aplikasi.",
        en_text: "Camera permission was denied. Attendance and face enrollment need the camera; grant it in the app settings.",
    },
    Message {
        id: "app.location_permission_denied",
        id_text: "Izin lokasi ditolak. Presensi tidak dapat dilakukan tanpa lokasi GPS; berikan izin di pengaturan aplikasi.",
        en_text: "Location permission was denied. Attendance needs the GPS location; grant it in the app settings.",
    },
    Message {
        id: "app.continue_button",
        id_text: "Lanjutkan",
        en_text: "Continue",
    },
];
