//! Texts of geofence verdicts and of office configuration errors.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "geofence.inside",
        id_text: "Anda berada di dalam area {office}.",
        en_text: "You are inside the area of {office}.",
    },
    Message {
        id: "geofence.outside",
        id_text: "Anda berada {distance_m} m di luar area {office}. Presensi hanya dapat dilakukan di dalam area kantor atau lokasi dinas luar.",
        en_text: "You are {distance_m} m outside the area of {office}. Attendance is only possible inside the office area or the dinas luar location.",
    },
    Message {
        id: "geofence.uncertain",
        id_text: "Akurasi GPS ({accuracy_m} m) belum cukup untuk memastikan Anda berada di dalam area {office}. Tunggu sebentar di tempat terbuka, lalu coba lagi.",
        en_text: "The GPS accuracy ({accuracy_m} m) is not enough to confirm that you are inside the area of {office}. Wait a moment in the open, then try again.",
    },
    Message {
        id: "geofence.looks_swapped",
        id_text: "Lintang dan bujur tampaknya tertukar. Di Indonesia lintang berada antara -11 dan 6, bujur antara 95 dan 141. Tulis lintang terlebih dahulu.",
        en_text: "Latitude and longitude look swapped. In Indonesia latitude lies between -11 and 6 and longitude between 95 and 141. Write latitude first.",
    },
    Message {
        id: "geofence.invalid_coordinate",
        id_text: "Koordinat lokasi tidak valid. Aktifkan GPS, lalu coba lagi.",
        en_text: "The location coordinates are invalid. Turn on GPS, then try again.",
    },
    Message {
        id: "geofence.invalid_accuracy",
        id_text: "Ponsel tidak melaporkan akurasi lokasi yang valid. Aktifkan GPS dengan akurasi tinggi, lalu coba lagi.",
        en_text: "The phone did not report a valid location accuracy. Turn on high-accuracy GPS, then try again.",
    },
    Message {
        id: "geofence.no_places",
        id_text: "Anda belum ditugaskan ke kantor atau lokasi dinas luar mana pun. Hubungi admin OPD.",
        en_text: "You are not assigned to any office or dinas luar location. Contact your OPD admin.",
    },
    Message {
        id: "geofence.invalid_configuration",
        id_text: "Konfigurasi area kantor tidak valid. Hubungi admin OPD.",
        en_text: "The office area configuration is invalid. Contact your OPD admin.",
    },
];
