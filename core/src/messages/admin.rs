//! Texts of the server's admin web pages: login, check-in review, audit log and exports.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "admin.title",
        id_text: "Admin Siperlu",
        en_text: "Siperlu Admin",
    },
    Message {
        id: "admin.login_title",
        id_text: "Masuk Admin",
        en_text: "Admin sign-in",
    },
    Message {
        id: "admin.username",
        id_text: "Nama pengguna",
        en_text: "Username",
    },
    Message {
        id: "admin.password",
        id_text: "Kata sandi",
        en_text: "Password",
    },
    Message {
        id: "admin.login_button",
        id_text: "Masuk",
        en_text: "Sign in",
    },
    Message {
        id: "admin.logout_button",
        id_text: "Keluar",
        en_text: "Sign out",
    },
    Message {
        id: "admin.login_failed",
        id_text: "Nama pengguna atau kata sandi salah.",
        en_text: "Wrong username or password.",
    },
    Message {
        id: "admin.login_locked",
        id_text: "Akun dikunci sementara setelah beberapa kali gagal masuk. Coba lagi dalam {minutes} menit.",
        en_text: "The account is locked for a while after repeated failed logins. Try again in {minutes} minutes.",
    },
    Message {
        id: "admin.checkins_title",
        id_text: "Daftar Presensi",
        en_text: "Check-ins",
    },
    Message {
        id: "admin.filter_date",
        id_text: "Tanggal",
        en_text: "Date",
    },
    Message {
        id: "admin.filter_office",
        id_text: "Kantor",
        en_text: "Office",
    },
    Message {
        id: "admin.filter_status",
        id_text: "Status verifikasi",
        en_text: "Review status",
    },
    Message {
        id: "admin.filter_flag",
        id_text: "Tanda",
        en_text: "Flag",
    },
    Message {
        id: "admin.filter_all",
        id_text: "Semua",
        en_text: "All",
    },
    Message {
        id: "admin.filter_button",
        id_text: "Tampilkan",
        en_text: "Show",
    },
    Message {
        id: "admin.column_time",
        id_text: "Waktu",
        en_text: "Time",
    },
    Message {
        id: "admin.column_asn",
        id_text: "Nama ASN",
        en_text: "ASN name",
    },
    Message {
        id: "admin.column_kind",
        id_text: "Jenis",
        en_text: "Kind",
    },
    Message {
        id: "admin.column_verdict",
        id_text: "Hasil geofence",
        en_text: "Geofence verdict",
    },
    Message {
        id: "admin.no_checkins",
        id_text: "Tidak ada presensi yang cocok dengan filter.",
        en_text: "No check-ins match the filter.",
    },
    Message {
        id: "admin.detail_link",
        id_text: "Periksa",
        en_text: "Review",
    },
    Message {
        id: "admin.status_pending",
        id_text: "Menunggu",
        en_text: "Pending",
    },
    Message {
        id: "admin.status_approved",
        id_text: "Disetujui",
        en_text: "Approved",
    },
    Message {
        id: "admin.status_rejected",
        id_text: "Ditolak",
        en_text: "Rejected",
    },
    Message {
        id: "admin.detail_title",
        id_text: "Detail Presensi",
        en_text: "Check-in detail",
    },
    Message {
        id: "admin.map_title",
        id_text: "Peta geofence kantor dan lokasi presensi",
        en_text: "Office geofence and check-in location",
    },
    Message {
        id: "admin.distance",
        id_text: "Jarak ke geofence kantor: {distance_m} m (0 berarti di dalam); akurasi GPS ±{accuracy_m} m",
        en_text: "Distance to the office geofence: {distance_m} m (0 means inside); GPS accuracy ±{accuracy_m} m",
    },
    Message {
        id: "admin.no_office",
        id_text: "Presensi ini tidak terkait dengan kantor yang dikenal.",
        en_text: "This check-in is not linked to a known office.",
    },
    Message {
        id: "admin.plan_title",
        id_text: "Rencana kerja hari itu",
        en_text: "Work plan of that day",
    },
    Message {
        id: "admin.no_plan",
        id_text: "ASN belum mengirim rencana kerja untuk hari itu.",
        en_text: "The ASN has not sent a work plan for that day.",
    },
    Message {
        id: "admin.review_title",
        id_text: "Verifikasi",
        en_text: "Verification",
    },
    Message {
        id: "admin.reason",
        id_text: "Alasan",
        en_text: "Reason",
    },
    Message {
        id: "admin.approve_button",
        id_text: "Setujui",
        en_text: "Approve",
    },
    Message {
        id: "admin.reject_button",
        id_text: "Tolak",
        en_text: "Reject",
    },
    Message {
        id: "admin.reason_required",
        id_text: "Alasan wajib diisi untuk menolak presensi.",
        en_text: "A reason is required to reject a check-in.",
    },
    Message {
        id: "admin.reviewed",
        id_text: "Presensi telah diverifikasi: {status}",
        en_text: "Check-in reviewed: {status}",
    },
    Message {
        id: "admin.audit_title",
        id_text: "Log Audit",
        en_text: "Audit log",
    },
    Message {
        id: "admin.column_actor",
        id_text: "Pelaku",
        en_text: "Actor",
    },
    Message {
        id: "admin.column_action",
        id_text: "Tindakan",
        en_text: "Action",
    },
    Message {
        id: "admin.column_target",
        id_text: "Sasaran",
        en_text: "Target",
    },
    Message {
        id: "admin.export_title",
        id_text: "Ekspor Rekap Bulanan",
        en_text: "Monthly recap export",
    },
    Message {
        id: "admin.export_month",
        id_text: "Bulan (tttt-bb)",
        en_text: "Month (yyyy-mm)",
    },
    Message {
        id: "admin.export_opd",
        id_text: "Unit kerja (OPD)",
        en_text: "Work unit (OPD)",
    },
    Message {
        id: "admin.export_csv",
        id_text: "Unduh CSV",
        en_text: "Download CSV",
    },
    Message {
        id: "admin.export_xlsx",
        id_text: "Unduh XLSX",
        en_text: "Download XLSX",
    },
    Message {
        id: "admin.recap_nip",
        id_text: "NIP",
        en_text: "Civil servant ID (NIP)",
    },
    Message {
        id: "admin.recap_name",
        id_text: "Nama",
        en_text: "Name",
    },
    Message {
        id: "admin.recap_days_present",
        id_text: "Hari hadir",
        en_text: "Days present",
    },
    Message {
        id: "admin.recap_checkins",
        id_text: "Jumlah presensi",
        en_text: "Check-ins",
    },
    Message {
        id: "admin.recap_approved",
        id_text: "Disetujui",
        en_text: "Approved",
    },
    Message {
        id: "admin.recap_rejected",
        id_text: "Ditolak",
        en_text: "Rejected",
    },
    Message {
        id: "admin.recap_flagged",
        id_text: "Bertanda",
        en_text: "Flagged",
    },
    Message {
        id: "admin.csrf_invalid",
        id_text: "Token keamanan formulir tidak valid. Muat ulang halaman lalu coba lagi.",
        en_text: "The form security token is invalid. Reload the page and try again.",
    },
    Message {
        id: "admin.page_not_found",
        id_text: "Halaman {path} tidak ditemukan. Buka /admin untuk kembali ke daftar presensi.",
        en_text: "Page {path} not found. Open /admin to return to the check-in list.",
    },
    Message {
        id: "admin.method_not_allowed",
        id_text: "Halaman ini tidak menerima permintaan {method}. Buka halaman lewat menu lalu kirim formulirnya dari sana.",
        en_text: "This page does not accept {method} requests. Open the page from the menu and submit its form there.",
    },
    Message {
        id: "admin.not_found",
        id_text: "Data tidak ditemukan.",
        en_text: "Not found.",
    },
    Message {
        id: "admin.asn_title",
        id_text: "ASN dan Kode Pendaftaran",
        en_text: "ASN and enrollment codes",
    },
    Message {
        id: "admin.no_asn",
        id_text: "Belum ada ASN. Tambahkan ASN melalui API admin.",
        en_text: "No ASN yet. Add ASN through the admin API.",
    },
    Message {
        id: "admin.column_codes",
        id_text: "Kode pendaftaran yang dibuat",
        en_text: "Enrollment codes issued",
    },
    Message {
        id: "admin.no_codes",
        id_text: "belum ada",
        en_text: "none yet",
    },
    Message {
        id: "admin.code_used",
        id_text: "dibuat {created}, dipakai {used}",
        en_text: "issued {created}, used {used}",
    },
    Message {
        id: "admin.code_unused",
        id_text: "dibuat {created}, belum dipakai, berlaku sampai {expires}",
        en_text: "issued {created}, unused, valid until {expires}",
    },
    Message {
        id: "admin.code_expired",
        id_text: "dibuat {created}, kedaluwarsa {expires} tanpa dipakai",
        en_text: "issued {created}, expired {expires} unused",
    },
    Message {
        id: "admin.codes_more",
        id_text: "dan {count} kode lebih lama",
        en_text: "and {count} older codes",
    },
    Message {
        id: "admin.security_title",
        id_text: "Kejadian Keamanan",
        en_text: "Security events",
    },
    Message {
        id: "admin.no_security_events",
        id_text: "Belum ada kejadian keamanan.",
        en_text: "No security events yet.",
    },
    Message {
        id: "admin.column_event",
        id_text: "Kejadian",
        en_text: "Event",
    },
    Message {
        id: "admin.column_device",
        id_text: "Perangkat",
        en_text: "Device",
    },
    Message {
        id: "admin.security_device_face_reenrolled",
        id_text: "Ponsel terdaftar mendaftarkan wajah baru dengan kode pendaftaran baru",
        en_text: "A registered phone enrolled a new face with a new enrollment code",
    },
    Message {
        id: "admin.security_record_wrong_device",
        id_text: "Perangkat mengirim presensi yang menyebut perangkat lain",
        en_text: "A device sent a record that names another device",
    },
    Message {
        id: "admin.security_record_bad_signature",
        id_text: "Tanda tangan presensi tidak cocok dengan kunci perangkat",
        en_text: "A record's signature does not match the device key",
    },
    Message {
        id: "admin.security_ingest_id_conflict",
        id_text: "Presensi dengan id yang sama dikirim ulang dengan isi berbeda",
        en_text: "A record was sent again under the same id with different content",
    },
    Message {
        id: "admin.security_ingest_nip_mismatch",
        id_text: "Presensi ditandatangani untuk NIP lain daripada NIP perangkat",
        en_text: "A record was signed for another NIP than the device's",
    },
    Message {
        id: "admin.create_code_button",
        id_text: "Buat kode pendaftaran",
        en_text: "Create enrollment code",
    },
    Message {
        id: "admin.code_created",
        id_text: "Kode pendaftaran perangkat untuk {name}: {code}. Berlaku sampai {expires}, hanya sekali pakai. Kode ini tidak ditampilkan lagi.",
        en_text: "Device enrollment code for {name}: {code}. Valid until {expires}, for one use only. The code is not shown again.",
    },
    Message {
        id: "admin.plan_planned",
        id_text: "direncanakan",
        en_text: "planned",
    },
    Message {
        id: "admin.plan_done",
        id_text: "selesai",
        en_text: "done",
    },
    Message {
        id: "admin.plan_not_done",
        id_text: "tidak selesai",
        en_text: "not done",
    },
    Message {
        id: "admin.kind_check_in",
        id_text: "Masuk",
        en_text: "Check-in",
    },
    Message {
        id: "admin.kind_check_out",
        id_text: "Pulang",
        en_text: "Check-out",
    },
    Message {
        id: "admin.verdict_inside",
        id_text: "di dalam area",
        en_text: "inside the area",
    },
    Message {
        id: "admin.verdict_outside",
        id_text: "di luar area",
        en_text: "outside the area",
    },
    Message {
        id: "admin.verdict_uncertain",
        id_text: "tidak pasti",
        en_text: "uncertain",
    },
    Message {
        id: "admin.verdict_not_evaluated",
        id_text: "tidak dinilai",
        en_text: "not evaluated",
    },
    Message {
        id: "admin.verdict_pair",
        id_text: "server: {server}; ponsel: {device}",
        en_text: "server: {server}; phone: {device}",
    },
    Message {
        id: "admin.filter_flag_any",
        id_text: "ada tanda apa pun",
        en_text: "any flag",
    },
    Message {
        id: "admin.flag_location_mock_provider",
        id_text: "lokasi palsu (mock)",
        en_text: "mock location",
    },
    Message {
        id: "admin.flag_location_stale_fix",
        id_text: "lokasi kedaluwarsa",
        en_text: "stale location fix",
    },
    Message {
        id: "admin.flag_location_future_fix",
        id_text: "waktu lokasi di masa depan",
        en_text: "location fix from the future",
    },
    Message {
        id: "admin.flag_location_poor_accuracy",
        id_text: "akurasi GPS buruk",
        en_text: "poor GPS accuracy",
    },
    Message {
        id: "admin.flag_location_implausible_accuracy",
        id_text: "akurasi GPS tidak wajar",
        en_text: "implausible GPS accuracy",
    },
    Message {
        id: "admin.flag_location_impossible_travel",
        id_text: "perpindahan mustahil",
        en_text: "impossible travel",
    },
    Message {
        id: "admin.flag_time_clock_skew",
        id_text: "jam ponsel menyimpang",
        en_text: "phone clock skew",
    },
    Message {
        id: "admin.flag_time_elapsed_backwards",
        id_text: "jam sejak nyala mundur",
        en_text: "elapsed clock ran backwards",
    },
    Message {
        id: "admin.flag_time_no_anchor",
        id_text: "waktu dari jam ponsel",
        en_text: "time from the phone clock",
    },
    Message {
        id: "admin.flag_ingest_future_time",
        id_text: "waktu di masa depan",
        en_text: "time in the future",
    },
    Message {
        id: "admin.flag_ingest_unknown_anchor",
        id_text: "acuan waktu server tidak dikenal",
        en_text: "unknown server time anchor",
    },
    Message {
        id: "admin.flag_ingest_time_mismatch",
        id_text: "waktu tidak sesuai acuan",
        en_text: "time disagrees with its anchor",
    },
    Message {
        id: "admin.flag_ingest_anchor_mismatch",
        id_text: "acuan waktu berubah",
        en_text: "time anchor readings changed",
    },
    Message {
        id: "admin.column_device_time",
        id_text: "Waktu menurut ponsel",
        en_text: "Time claimed by the phone",
    },
    Message {
        id: "admin.flag_ingest_face_not_matched",
        id_text: "wajah tidak cocok",
        en_text: "face not matched",
    },
    Message {
        id: "admin.flag_ingest_blink_missing",
        id_text: "tanpa kedipan",
        en_text: "no blink check",
    },
    Message {
        id: "admin.flag_ingest_template_not_registered",
        id_text: "wajah tidak terdaftar",
        en_text: "face not registered",
    },
    Message {
        id: "admin.flag_ingest_invalid_location",
        id_text: "lokasi tidak dapat dinilai",
        en_text: "location cannot be evaluated",
    },
    Message {
        id: "admin.flag_ingest_no_assignment",
        id_text: "tanpa penugasan",
        en_text: "no assignment",
    },
    Message {
        id: "admin.flag_ingest_verdict_mismatch",
        id_text: "putusan ponsel dan server berbeda",
        en_text: "phone and server verdicts differ",
    },
    Message {
        id: "admin.flag_record_sequence_gap",
        id_text: "nomor rekaman terlewat",
        en_text: "record sequence gap",
    },
    Message {
        id: "admin.flag_record_chain_break",
        id_text: "rantai rekaman putus",
        en_text: "record chain break",
    },
    Message {
        id: "admin.flag_geofence_outside",
        id_text: "di luar area",
        en_text: "outside the area",
    },
    Message {
        id: "admin.flag_geofence_uncertain",
        id_text: "lokasi tidak pasti",
        en_text: "location uncertain",
    },
    Message {
        id: "admin.action_checkin_approve",
        id_text: "presensi disetujui",
        en_text: "check-in approved",
    },
    Message {
        id: "admin.action_checkin_reject",
        id_text: "presensi ditolak",
        en_text: "check-in rejected",
    },
    Message {
        id: "admin.action_asn_create",
        id_text: "ASN ditambahkan",
        en_text: "ASN added",
    },
    Message {
        id: "admin.action_assignment_create",
        id_text: "penugasan ditambahkan",
        en_text: "assignment added",
    },
    Message {
        id: "admin.action_device_revoke",
        id_text: "perangkat dicabut",
        en_text: "device revoked",
    },
    Message {
        id: "admin.action_enrollment_code_create",
        id_text: "kode pendaftaran dibuat",
        en_text: "enrollment code created",
    },
    Message {
        id: "admin.action_office_create",
        id_text: "kantor ditambahkan",
        en_text: "office added",
    },
    Message {
        id: "admin.action_opd_create",
        id_text: "OPD ditambahkan",
        en_text: "OPD added",
    },
    Message {
        id: "admin.error_title",
        id_text: "Permintaan Tidak Dapat Diproses",
        en_text: "Request cannot be processed",
    },
    Message {
        id: "admin.form_invalid",
        id_text: "Isian formulir tidak lengkap atau tidak valid. Muat ulang halaman, isi kembali, lalu kirim.",
        en_text: "The form is incomplete or invalid. Reload the page, fill it in again and submit it.",
    },
    Message {
        id: "admin.recap_query_invalid",
        id_text: "Pilih bulan (tttt-bb) dan OPD untuk rekap, lalu coba lagi.",
        en_text: "Choose a month (yyyy-mm) and an OPD for the recap, then try again.",
    },
];
