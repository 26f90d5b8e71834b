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
        id_text: "Anda berada {distance} di luar area {office}. Presensi hanya dapat dilakukan di dalam area kantor atau lokasi dinas luar.",
        en_text: "You are {distance} outside the area of {office}. Attendance is only possible inside the office area or the dinas luar location.",
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
    Message {
        id: "geofence.part_center",
        id_text: "pusat lingkaran",
        en_text: "centre",
    },
    Message {
        id: "geofence.part_exterior",
        id_text: "cincin luar",
        en_text: "exterior ring",
    },
    Message {
        id: "geofence.part_hole",
        id_text: "lubang ke-{number}",
        en_text: "hole {number}",
    },
    Message {
        id: "geofence.coordinate_not_finite",
        id_text: "lintang dan bujur harus berupa bilangan derajat yang terhingga",
        en_text: "latitude and longitude must be finite numbers of degrees",
    },
    Message {
        id: "geofence.latitude_out_of_range",
        id_text: "lintang harus di antara -90 dan 90 derajat",
        en_text: "latitude must lie within -90..=90 degrees",
    },
    Message {
        id: "geofence.longitude_out_of_range",
        id_text: "bujur harus di antara -180 dan 180 derajat",
        en_text: "longitude must lie within -180..=180 degrees",
    },
    Message {
        id: "geofence.coordinate_swapped",
        id_text: "lintang dan bujur tampak tertukar: di Indonesia lintang berada di antara {lat_min} dan {lat_max} derajat dan bujur di antara {lon_min} dan {lon_max} derajat, jadi tulis lintang lebih dahulu",
        en_text: "the pair looks swapped: in Indonesia latitude lies within {lat_min}..{lat_max} and longitude within {lon_min}..{lon_max} degrees, so write latitude first",
    },
    Message {
        id: "geofence.fence_error",
        id_text: "geofence ke-{number}: {problem}",
        en_text: "fence {number}: {problem}",
    },
    Message {
        id: "geofence.fence_radius",
        id_text: "jari-jari {radius_m} m tidak valid; isi bilangan di atas 0 dan paling besar {max_m} m",
        en_text: "radius {radius_m} m is invalid; use a number above 0 and at most {max_m} m",
    },
    Message {
        id: "geofence.fence_coordinate",
        id_text: "titik ke-{vertex} pada {part} (lintang {lat}, bujur {lon}) tidak valid: {problem}",
        en_text: "{part} vertex {vertex} (latitude {lat}, longitude {lon}) is invalid: {problem}",
    },
    Message {
        id: "geofence.fence_too_few_points",
        id_text: "{part} hanya punya {count} titik berbeda, padahal sebuah cincin perlu paling sedikit 3",
        en_text: "{part} has {count} distinct points; a ring needs at least 3",
    },
    Message {
        id: "geofence.fence_repeated_vertex",
        id_text: "titik ke-{vertex} pada {part} sama dengan titik sebelumnya; hapus duplikatnya",
        en_text: "{part} vertex {vertex} repeats the vertex before it; remove the duplicate",
    },
    Message {
        id: "geofence.fence_zero_area",
        id_text: "{part} hanya melingkupi {area_m2} m², di bawah batas {min_m2} m², karena titik-titiknya (hampir) segaris",
        en_text: "{part} encloses {area_m2} m², below the minimum of {min_m2} m², because its points are (nearly) collinear",
    },
    Message {
        id: "geofence.fence_self_intersection",
        id_text: "sisi ke-{edge_a} pada {part_a} memotong sisi ke-{edge_b} pada {part_b}; cincin tidak boleh saling memotong atau bersinggungan",
        en_text: "{part_a} edge {edge_a} intersects {part_b} edge {edge_b}; rings must not cross or touch",
    },
    Message {
        id: "geofence.fence_hole_outside",
        id_text: "{part} berada di luar cincin luar; lubang harus berada di dalamnya",
        en_text: "{part} lies outside the exterior ring; a hole must lie inside it",
    },
    Message {
        id: "geofence.fence_nested_holes",
        id_text: "{part_a} berada di dalam {part_b}; lubang tidak boleh bersarang",
        en_text: "{part_a} lies inside {part_b}; holes must not nest",
    },
    Message {
        id: "geofence.fence_spans_longitude",
        id_text: "poligon membentang {span_deg} derajat bujur, padahal paling banyak 180; pecah menjadi beberapa geofence",
        en_text: "the polygon spans {span_deg} degrees of longitude, but at most 180 are allowed; split it into several fences",
    },
    Message {
        id: "geofence.fence_too_large",
        id_text: "titik ke-{vertex} pada {part} berjarak {distance_m} m dari titik pertama, padahal satu geofence paling lebar {max_m} m",
        en_text: "{part} vertex {vertex} lies {distance_m} m from the first vertex, but a fence may span at most {max_m} m",
    },
    Message {
        id: "geofence.office_empty_field",
        id_text: "kolom {field} kosong; isi kolom tersebut",
        en_text: "the {field} is empty; fill it in",
    },
    Message {
        id: "geofence.office_no_fences",
        id_text: "kantor belum punya geofence; tambahkan paling sedikit satu lingkaran atau poligon",
        en_text: "the office has no fence; add at least one circle or polygon",
    },
];
