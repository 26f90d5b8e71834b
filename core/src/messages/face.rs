//! Texts for face verification: why a selfie was rejected and what the ASN should do next.
//! The ids match `FaceReason::id` in the face module.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "face.no_face",
        id_text: "Wajah tidak terdeteksi. Pastikan seluruh wajah Anda terlihat jelas di kamera, lalu coba lagi.",
        en_text: "No face detected. Make sure your whole face is clearly visible to the camera, then try again.",
    },
    Message {
        id: "face.multiple_faces",
        id_text: "Terdeteksi lebih dari satu wajah. Pastikan hanya wajah Anda yang terlihat di kamera, lalu coba lagi.",
        en_text: "More than one face detected. Make sure only your face is in view, then try again.",
    },
    Message {
        id: "face.too_small",
        id_text: "Wajah terlalu kecil atau terlalu jauh. Dekatkan wajah Anda ke kamera, lalu coba lagi.",
        en_text: "Your face is too small or too far away. Move closer to the camera, then try again.",
    },
    Message {
        id: "face.cut_off",
        id_text: "Wajah terpotong oleh tepi foto. Posisikan wajah Anda di tengah layar, lalu coba lagi.",
        en_text: "Your face is cut off by the edge of the photo. Centre your face on the screen, then try again.",
    },
    Message {
        id: "face.too_dark",
        id_text: "Foto terlalu gelap. Cari tempat yang lebih terang atau hadapkan wajah ke sumber cahaya, lalu coba lagi.",
        en_text: "The photo is too dark. Move to a brighter place or face the light, then try again.",
    },
    Message {
        id: "face.too_bright",
        id_text: "Foto terlalu terang. Hindari cahaya langsung atau sinar matahari di belakang kamera, lalu coba lagi.",
        en_text: "The photo is too bright. Avoid direct light or sunlight behind the camera, then try again.",
    },
    Message {
        id: "face.blurry",
        id_text: "Foto buram. Pegang ponsel dengan stabil dan bersihkan lensa kamera, lalu coba lagi.",
        en_text: "The photo is blurry. Hold the phone steady and clean the camera lens, then try again.",
    },
    Message {
        id: "face.head_turned",
        id_text: "Kepala terlalu menoleh. Hadapkan wajah lurus ke kamera, lalu coba lagi.",
        en_text: "Your head is turned too far. Look straight at the camera, then try again.",
    },
    Message {
        id: "face.no_match",
        id_text: "Wajah tidak cocok dengan data wajah yang terdaftar. Pastikan Anda sendiri yang melakukan presensi; jika wajah Anda berubah, minta admin OPD merekam ulang wajah Anda.",
        en_text: "The face does not match the enrolled face. Make sure you are checking in yourself; if your appearance has changed, ask your OPD admin to enroll your face again.",
    },
    Message {
        id: "face.not_live",
        id_text: "Wajah tidak terdeteksi sebagai orang langsung. Jangan gunakan foto atau layar; hadapkan wajah Anda sendiri ke kamera, lalu coba lagi.",
        en_text: "The face was not detected as a live person. Do not use a photo or a screen; face the camera yourself, then try again.",
    },
    Message {
        id: "face.no_blink",
        id_text: "Kedipan mata tidak terdeteksi. Berkediplah sekali saat diminta, lalu coba lagi.",
        en_text: "No blink detected. Blink once when asked, then try again.",
    },
    Message {
        id: "face.blink_required",
        id_text: "Presensi ini memerlukan pemeriksaan kedipan, tetapi hanya satu foto yang diambil. Ulangi presensi dan berkediplah sekali saat kamera merekam.",
        en_text: "This check-in needs the blink check, but only one photo was taken. Repeat the check-in and blink once while the camera records.",
    },
    Message {
        id: "face.template_model_mismatch",
        id_text: "Data wajah Anda dibuat dengan versi model yang berbeda. Minta admin OPD merekam ulang wajah Anda.",
        en_text: "Your enrolled face was made with a different model version. Ask your OPD admin to enroll your face again.",
    },
];
