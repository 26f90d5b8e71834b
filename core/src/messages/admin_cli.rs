//! Texts of `siperlu admin checkins`, the check-in list an OPD admin reads in a terminal.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "admin_cli.checkins_header",
        id_text: "{count} presensi tersinkron di server:",
        en_text: "{count} attendance records synced to the server:",
    },
    Message {
        id: "admin_cli.checkin_line",
        id_text: "{time} {kind} NIP {nip} ({name}) di {office}: lokasi {lat}, {lon} (akurasi {accuracy_m} m), jarak ke area {distance}, putusan ponsel {device_verdict}, putusan server {server_verdict}, tanda [{flags}], status {status}",
        en_text: "{time} {kind} NIP {nip} ({name}) at {office}: location {lat}, {lon} (accuracy {accuracy_m} m), distance to the area {distance}, phone verdict {device_verdict}, server verdict {server_verdict}, flags [{flags}], status {status}",
    },
    Message {
        id: "admin_cli.verdict_inside",
        id_text: "di dalam area",
        en_text: "inside the area",
    },
    Message {
        id: "admin_cli.verdict_outside",
        id_text: "di luar area",
        en_text: "outside the area",
    },
    Message {
        id: "admin_cli.verdict_uncertain",
        id_text: "tidak pasti",
        en_text: "uncertain",
    },
    Message {
        id: "admin_cli.kind_check_in",
        id_text: "presensi masuk",
        en_text: "check-in",
    },
    Message {
        id: "admin_cli.kind_check_out",
        id_text: "presensi pulang",
        en_text: "check-out",
    },
];
