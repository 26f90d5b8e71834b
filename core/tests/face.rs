//! The face pipeline on the real models and the real photos that scripts/setup fetches.
//! Run `scripts/setup` first; a missing asset fails the test with that advice.

use std::io::Cursor;
use std::sync::OnceLock;

use image::{DynamicImage, ImageEncoder, RgbImage};
use siperlu_core::face::{
    ActiveLiveness, FaceEngine, FaceEngineConfig, FaceError, FacePolicy, FaceReason, FaceTemplate,
};

/// Returns the engine shared by every test in this binary, because creating the five
/// sessions takes most of a second.
fn engine() -> &'static FaceEngine {
    static ENGINE: OnceLock<FaceEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        FaceEngine::new(FaceEngineConfig::default()).unwrap_or_else(|error| {
            panic!("face engine failed to load: {error}; run scripts/setup")
        })
    })
}

fn photo(relative: &str) -> Vec<u8> {
    let path = siperlu_core::assets::test_photo(relative);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!(
            "test photo {} is missing ({error}); run scripts/setup",
            path.display()
        )
    })
}

fn decoded(relative: &str) -> RgbImage {
    image::load_from_memory(&photo(relative))
        .expect("decode test photo")
        .to_rgb8()
}

fn encode_jpeg(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder =
        image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 92);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).expect("JPEG takes EXIF");
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode JPEG");
    bytes
}

/// Builds a big-endian TIFF block with one IFD entry: Orientation (0x0112) = `orientation`.
fn exif_orientation(orientation: u16) -> Vec<u8> {
    let mut exif = b"MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(&1u16.to_be_bytes());
    exif.extend_from_slice(&0x0112u16.to_be_bytes());
    exif.extend_from_slice(&3u16.to_be_bytes());
    exif.extend_from_slice(&1u32.to_be_bytes());
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0]);
    exif.extend_from_slice(&0u32.to_be_bytes());
    exif
}

fn obama_template() -> &'static FaceTemplate {
    static TEMPLATE: OnceLock<FaceTemplate> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let photos = [
            photo("face_recognition/obama.jpg"),
            photo("face_recognition/obama2.jpg"),
            photo("face_recognition/obama3.jpg"),
        ];
        let photos: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
        engine()
            .enroll(&photos, &FacePolicy::default())
            .expect("three Obama photos enroll")
    })
}

#[test]
fn same_person_matches() {
    let policy = FacePolicy::default();
    let verdict = engine()
        .compare_photos(
            &photo("face_recognition/obama.jpg"),
            &photo("face_recognition/obama3.jpg"),
            &policy,
        )
        .expect("compare");
    assert!(verdict.matched, "score {:?}", verdict.score);
    assert!(verdict.accepted, "reasons {:?}", verdict.reasons);
    assert!(verdict.reasons.is_empty(), "{:?}", verdict.reasons);
    let score_milli = verdict.score_milli.expect("score");
    assert!(
        score_milli >= (policy.match_threshold * 1000.0) as i32,
        "{score_milli}"
    );
}

#[test]
fn different_people_do_not_match() {
    let verdict = engine()
        .compare_photos(
            &photo("face_recognition/obama.jpg"),
            &photo("face_recognition/biden.jpg"),
            &FacePolicy::default(),
        )
        .expect("compare");
    assert!(!verdict.matched, "score {:?}", verdict.score);
    assert!(!verdict.accepted);
    assert_eq!(verdict.reasons, vec![FaceReason::NoMatch]);
}

#[test]
fn enrolled_template_verifies_owner_only() {
    let template = obama_template();
    assert_eq!(template.photo_count, 3);
    assert_eq!(&template.model_id, &engine().model_ids().feature);
    template.validate().expect("fresh template is valid");

    let policy = FacePolicy::default();
    let owner = engine()
        .verify(
            template,
            &[&photo("face_recognition/obama_partial_face2.jpg")],
            &policy,
        )
        .expect("verify");
    assert!(
        owner.matched,
        "partial face of the owner still scores {:?}",
        owner.score
    );
    assert_eq!(
        owner.reasons,
        vec![FaceReason::CutOff],
        "but the cut-off gate rejects it"
    );
    assert!(!owner.accepted);

    let other = engine()
        .verify(template, &[&photo("face_recognition/biden.jpg")], &policy)
        .expect("verify");
    assert!(!other.matched, "score {:?}", other.score);
    assert!(other.reasons.contains(&FaceReason::NoMatch));
    assert_eq!(other.template_id, template.template_id);
    assert_eq!(other.active_liveness, ActiveLiveness::NotRequested);
    assert!(other.timings.embed_ms > 0.0);
    assert!(other.timings.total_ms >= other.timings.embed_ms);
}

#[test]
fn exif_rotated_photo_matches_upright() {
    let upright = decoded("face_recognition/obama.jpg");
    let upright_jpeg = encode_jpeg(&upright, None);
    // Orientation 6: the stored pixels must be turned 90 degrees clockwise for display, so
    // store the upright picture turned 90 degrees counter-clockwise.
    let stored = image::imageops::rotate270(&upright);
    let rotated_jpeg = encode_jpeg(&stored, Some(exif_orientation(6)));

    let template = obama_template();
    let policy = FacePolicy::default();
    let from_upright = engine()
        .verify(template, &[&upright_jpeg], &policy)
        .expect("upright");
    let from_rotated = engine()
        .verify(template, &[&rotated_jpeg], &policy)
        .expect("rotated");

    assert_eq!(
        from_rotated.selfie.width,
        upright.width(),
        "orientation applied"
    );
    assert_eq!(from_rotated.selfie.height, upright.height());
    assert!(from_rotated.accepted, "reasons {:?}", from_rotated.reasons);
    assert_eq!(from_rotated.accepted, from_upright.accepted);
    let difference =
        (from_rotated.score.expect("score") - from_upright.score.expect("score")).abs();
    assert!(
        difference < 0.02,
        "rotated and upright scores differ by {difference}"
    );
}

#[test]
fn rgba_png_works() {
    let analysis = engine()
        .inspect(&photo("face_recognition/32bit.png"), &FacePolicy::default())
        .expect("inspect PNG");
    assert_eq!(analysis.faces.len(), 1);
    assert!(analysis.usable(), "reasons {:?}", analysis.reasons);
    let liveness = analysis.liveness.expect("liveness of a single face");
    assert!(liveness.live, "score {}", liveness.score);
}

#[test]
fn partial_face_is_cut_off() {
    for relative in [
        "face_recognition/obama_partial_face.jpg",
        "face_recognition/obama_partial_face2.jpg",
    ] {
        let analysis = engine()
            .inspect(&photo(relative), &FacePolicy::default())
            .expect("inspect");
        assert!(
            analysis.reasons.contains(&FaceReason::CutOff),
            "{relative}: {:?}",
            analysis.reasons
        );
    }
}

#[test]
fn group_photo_is_multiple_faces() {
    let analysis = engine()
        .inspect(&photo("insightface/t1.jpg"), &FacePolicy::default())
        .expect("inspect");
    assert!(
        analysis.faces.len() >= 5,
        "found {} faces",
        analysis.faces.len()
    );
    assert_eq!(analysis.reasons, vec![FaceReason::MultipleFaces]);
    assert!(
        analysis.liveness.is_none(),
        "an ambiguous photo is not scored"
    );

    let verdict = engine()
        .verify(
            obama_template(),
            &[&photo("insightface/t1.jpg")],
            &FacePolicy::default(),
        )
        .expect("verify");
    assert_eq!(verdict.score, None, "no score for an ambiguous photo");
    assert!(!verdict.accepted);
}

#[test]
fn dark_bright_blurry_small_are_gated() {
    let upright = decoded("face_recognition/obama.jpg");
    let policy = FacePolicy::default();
    let cases: [(&str, RgbImage, FaceReason); 4] = [
        (
            "dark",
            image::imageops::colorops::brighten(&upright, -120),
            FaceReason::TooDark,
        ),
        (
            "bright",
            image::imageops::colorops::brighten(&upright, 130),
            FaceReason::TooBright,
        ),
        (
            "blurred",
            image::imageops::blur(&upright, 8.0),
            FaceReason::Blurry,
        ),
        (
            "small",
            image::imageops::resize(&upright, 180, 225, image::imageops::FilterType::Triangle),
            FaceReason::TooSmall,
        ),
    ];
    for (name, picture, reason) in cases {
        let analysis = engine()
            .inspect(&encode_jpeg(&picture, None), &policy)
            .expect(name);
        assert!(
            analysis.reasons.contains(&reason),
            "{name}: {:?} {:?}",
            analysis.reasons,
            analysis.quality
        );
    }
}

#[test]
fn bad_input_is_typed_error() {
    let policy = FacePolicy::default();
    let obama = photo("face_recognition/obama.jpg");

    let error = engine().inspect(&[], &policy).expect_err("empty");
    assert!(matches!(error, FaceError::EmptyImage), "{error}");

    let error = engine()
        .inspect(&obama[..obama.len() / 2], &policy)
        .expect_err("truncated");
    assert!(matches!(error, FaceError::CorruptImage { .. }), "{error}");

    let error = engine()
        .inspect(b"GIF89a is not supported here", &policy)
        .expect_err("not image");
    assert!(matches!(error, FaceError::NotAnImage), "{error}");

    let mut one_pixel = Vec::new();
    DynamicImage::new_rgb8(1, 1)
        .write_to(&mut Cursor::new(&mut one_pixel), image::ImageFormat::Png)
        .expect("encode 1x1");
    let error = engine().inspect(&one_pixel, &policy).expect_err("1x1");
    assert!(matches!(error, FaceError::ImageTooSmall { .. }), "{error}");

    let error = engine()
        .inspect(&huge_header_jpeg(), &policy)
        .expect_err("20000x20000");
    assert!(
        matches!(
            error,
            FaceError::TooManyPixels {
                width: 20000,
                height: 20000,
                ..
            }
        ),
        "{error}"
    );
}

/// Builds a real JPEG whose frame header is edited to claim 20000x20000 pixels.
fn huge_header_jpeg() -> Vec<u8> {
    let mut bytes = encode_jpeg(&RgbImage::new(64, 64), None);
    let frame = bytes
        .windows(2)
        .position(|pair| pair == [0xFF, 0xC0])
        .expect("baseline frame header");
    // Marker (2), length (2), precision (1), then height and width, big-endian.
    bytes[frame + 5..frame + 7].copy_from_slice(&20000u16.to_be_bytes());
    bytes[frame + 7..frame + 9].copy_from_slice(&20000u16.to_be_bytes());
    bytes
}

#[test]
fn burst_without_blink_is_rejected() {
    let selfie = photo("face_recognition/obama.jpg");
    let verdict = engine()
        .verify(
            obama_template(),
            &[&selfie, &selfie, &selfie],
            &FacePolicy::default(),
        )
        .expect("verify");
    assert_eq!(verdict.active_liveness, ActiveLiveness::NoBlink);
    assert!(verdict.reasons.contains(&FaceReason::NoBlink));
    assert!(verdict.matched);
    assert!(!verdict.accepted);
    assert!(verdict.timings.blink_ms > 0.0);
}

#[test]
fn required_blink_rejects_single_selfie() {
    let selfie = photo("face_recognition/obama.jpg");
    let policy = FacePolicy {
        require_blink: true,
        ..FacePolicy::default()
    };
    let verdict = engine()
        .verify(obama_template(), &[&selfie], &policy)
        .expect("verify");
    assert_eq!(verdict.active_liveness, ActiveLiveness::NotRequested);
    assert!(verdict.reasons.contains(&FaceReason::BlinkRequired));
    assert!(verdict.matched, "the face itself matched");
    assert!(!verdict.accepted);

    let relaxed = engine()
        .verify(obama_template(), &[&selfie], &FacePolicy::default())
        .expect("verify");
    assert!(!relaxed.reasons.contains(&FaceReason::BlinkRequired));
    assert!(relaxed.accepted, "{:?}", relaxed.reasons);
}

/// Returns a copy of `picture` with skin colour painted over both eyes of `face`.
fn cover_eyes(picture: &RgbImage, face: &siperlu_core::face::FaceBox) -> RgbImage {
    let mut covered = picture.clone();
    let skin = *picture.get_pixel(
        ((face.x1 + face.x2) / 2.0) as u32,
        (face.y1 + face.height() * 0.75) as u32,
    );
    let eye_top = (face.y1 + face.height() * 0.3) as u32;
    let eye_bottom = (face.y1 + face.height() * 0.48) as u32;
    for y in eye_top..eye_bottom {
        for x in face.x1 as u32..face.x2 as u32 {
            covered.put_pixel(x, y, skin);
        }
    }
    covered
}

#[test]
fn covered_eyes_make_a_blink() {
    // NOTE: painting skin over both eyes is a synthetic stand-in for a real closed-eye frame,
    // which the fetched photos do not include.
    let picture = decoded("face_recognition/obama.jpg");
    let policy = FacePolicy::default();
    let analysis = engine()
        .inspect(&encode_jpeg(&picture, None), &policy)
        .expect("inspect");
    let face = analysis.faces[analysis.primary_face.expect("face")];

    let closed = encode_jpeg(&cover_eyes(&picture, &face), None);
    let open = photo("face_recognition/obama.jpg");
    let verdict = engine()
        .verify(obama_template(), &[&open, &closed, &open], &policy)
        .expect("verify");
    assert_eq!(
        verdict.active_liveness,
        ActiveLiveness::BlinkSeen,
        "{:?}",
        verdict.reasons
    );
}

#[test]
fn blink_of_face_elsewhere_is_ignored() {
    // A burst whose "closed" frame shows the face in another part of the picture (the selfie
    // swapped for another photo mid-burst) must not count as a blink.
    let open = decoded("face_recognition/obama.jpg");
    let policy = FacePolicy::default();
    let analysis = engine()
        .inspect(&encode_jpeg(&open, None), &policy)
        .expect("inspect");
    let face = analysis.faces[analysis.primary_face.expect("face")];

    // Move the face with covered eyes to the lower left of a frame of the same size.
    let covered = cover_eyes(&open, &face);
    let face_region = image::imageops::crop_imm(&covered, 300, 0, 400, 500).to_image();
    let mut shifted =
        RgbImage::from_pixel(open.width(), open.height(), image::Rgb([128, 128, 128]));
    image::imageops::replace(&mut shifted, &face_region, 0, 600);
    let open_bytes = photo("face_recognition/obama.jpg");
    let shifted_bytes = encode_jpeg(&shifted, None);

    let moved = engine()
        .inspect(&shifted_bytes, &policy)
        .expect("inspect shifted frame");
    let moved_face = moved.faces[moved
        .primary_face
        .expect("the moved face is still detected")];
    assert!(
        moved_face.y1 > face.y2,
        "the moved face {moved_face:?} must not overlap {face:?}"
    );

    let verdict = engine()
        .verify(
            obama_template(),
            &[&open_bytes, &shifted_bytes, &open_bytes],
            &policy,
        )
        .expect("verify");
    assert_eq!(
        verdict.active_liveness,
        ActiveLiveness::NoBlink,
        "{:?}",
        verdict.reasons
    );
}

#[test]
fn template_from_other_model_is_never_scored() {
    let template = obama_template();
    let foreign = FaceTemplate::from_embeddings(
        "another-embedder-v9",
        std::slice::from_ref(&template.embedding),
    )
    .expect("template");
    let verdict = engine()
        .verify(
            &foreign,
            &[&photo("face_recognition/obama.jpg")],
            &FacePolicy::default(),
        )
        .expect("verify");
    assert_eq!(verdict.score, None);
    assert!(!verdict.matched);
    assert!(
        verdict.reasons.contains(&FaceReason::TemplateModelMismatch),
        "{:?}",
        verdict.reasons
    );

    let error = template.compare(&foreign).expect_err("different models");
    assert!(
        matches!(error, FaceError::TemplateModelMismatch { .. }),
        "{error}"
    );
}

#[test]
fn enrollment_errors_name_photo() {
    let policy = FacePolicy::default();
    let obama = photo("face_recognition/obama.jpg");
    let obama2 = photo("face_recognition/obama2.jpg");
    let obama3 = photo("face_recognition/obama3.jpg");
    let biden = photo("face_recognition/biden.jpg");
    let group = photo("insightface/t1.jpg");

    let error = engine()
        .enroll(&[&obama, &obama2], &policy)
        .expect_err("two photos");
    assert!(
        matches!(error, FaceError::EnrollmentPhotoCount { count: 2, .. }),
        "{error}"
    );

    let error = engine()
        .enroll(&[&obama, &group, &obama3], &policy)
        .expect_err("group photo");
    match error {
        FaceError::EnrollmentPhotoRejected { index, reasons } => {
            assert_eq!(index, 1);
            assert_eq!(reasons, vec![FaceReason::MultipleFaces]);
        }
        other => panic!("expected EnrollmentPhotoRejected, got {other}"),
    }

    let error = engine()
        .enroll(&[&obama, &obama2, &obama3, &biden], &policy)
        .expect_err("Biden");
    assert!(
        matches!(error, FaceError::EnrollmentInconsistent { index: 3, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("photo 4 "), "{error}");
}

#[test]
fn enrollment_blames_the_outlier_not_the_first_photo() {
    let policy = FacePolicy::default();
    let obama = photo("face_recognition/obama.jpg");
    let obama2 = photo("face_recognition/obama2.jpg");
    let biden = photo("face_recognition/biden.jpg");

    // With three photos one stranger drags every score down; photo 1 was blamed before.
    let error = engine()
        .enroll(&[&obama, &obama2, &biden], &policy)
        .expect_err("Biden among two Obama photos");
    assert!(
        matches!(error, FaceError::EnrollmentInconsistent { index: 2, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("photo 3 "), "{error}");
}

#[test]
fn enrollment_refuses_the_same_photo_twice() {
    let policy = FacePolicy::default();
    let obama = photo("face_recognition/obama.jpg");

    let error = engine()
        .enroll(&[&obama, &obama, &obama], &policy)
        .expect_err("one photo three times");
    assert!(
        matches!(
            error,
            FaceError::EnrollmentDuplicate {
                first: 0,
                second: 1
            }
        ),
        "{error}"
    );
}

#[test]
fn template_survives_json() {
    let template = obama_template();
    let json = serde_json::to_string(template).expect("serialise");
    let restored: FaceTemplate = serde_json::from_str(&json).expect("deserialise");
    restored.validate().expect("restored template is valid");
    assert_eq!(&restored, template);
}

#[test]
fn verify_from_threads_agrees() {
    let selfie = photo("face_recognition/obama3.jpg");
    let policy = FacePolicy::default();
    let expected = engine()
        .verify(obama_template(), &[&selfie], &policy)
        .expect("verify")
        .score;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    engine()
                        .verify(obama_template(), &[&selfie], &policy)
                        .expect("verify")
                        .score
                })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().expect("thread"), expected);
        }
    });
}

#[test]
fn replay_times_models_verify_ran() {
    // An engine of its own: the shared one records the inputs of other tests' calls too.
    let engine = FaceEngine::new(FaceEngineConfig::default()).expect("engine");
    let policy = FacePolicy::default();
    let enrollment = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama2.jpg"),
        photo("face_recognition/obama3.jpg"),
    ];
    let enrollment: Vec<&[u8]> = enrollment.iter().map(Vec::as_slice).collect();
    let template = engine.enroll(&enrollment, &policy).expect("enroll");
    let selfie = photo("face_recognition/obama2.jpg");

    let single = engine
        .measure_raw_inference_replaying(&template, &[&selfie], &policy)
        .expect("replays");
    for (model, ms) in [
        ("detect", single.detect_ms),
        ("landmark", single.landmark_ms),
        ("feature", single.feature_ms),
        ("liveness", single.liveness_ms),
    ] {
        assert!(ms > 0.0, "{model} was not replayed");
    }
    assert_eq!(single.eye_ms, 0.0, "no burst, no eye model");

    let burst = engine
        .measure_raw_inference_replaying(&template, &[&selfie, &selfie, &selfie], &policy)
        .expect("replays");
    assert!(burst.eye_ms > 0.0, "the burst runs the eye model");

    // A verify that fails makes the measurement fail too.
    assert!(
        engine
            .measure_raw_inference_replaying(&template, &[b"not a photo"], &policy)
            .is_err()
    );
}

#[test]
fn enrollment_names_an_unreadable_photo() {
    let policy = FacePolicy::default();
    let obama = photo("face_recognition/obama.jpg");
    let obama2 = photo("face_recognition/obama2.jpg");
    let obama3 = photo("face_recognition/obama3.jpg");
    let cut = &obama3[..obama3.len() / 2];

    let error = engine()
        .enroll(&[&obama, &obama2, cut], &policy)
        .expect_err("a cut-off photo");
    match error {
        FaceError::EnrollmentPhotoUnreadable { index, error } => {
            assert_eq!(index, 2);
            assert!(matches!(*error, FaceError::CorruptImage { .. }), "{error}");
        }
        other => panic!("expected EnrollmentPhotoUnreadable, got {other}"),
    }
}

#[test]
fn enrollment_rejects_non_live_photo() {
    // A grey print of obama3.jpg passes every quality gate but scores about 0.2 for
    // liveness, below the 0.5 threshold.
    let policy = FacePolicy::default();
    let grey = DynamicImage::ImageRgb8(decoded("face_recognition/obama3.jpg")).to_luma8();
    let mut grey_jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut grey_jpeg), 90)
        .write_image(
            grey.as_raw(),
            grey.width(),
            grey.height(),
            image::ExtendedColorType::L8,
        )
        .expect("encode grey JPEG");
    let obama = photo("face_recognition/obama.jpg");
    let obama2 = photo("face_recognition/obama2.jpg");

    let error = engine()
        .enroll(&[&obama, &obama2, &grey_jpeg], &policy)
        .expect_err("a photo that is not live");
    match error {
        FaceError::EnrollmentPhotoRejected { index, reasons } => {
            assert_eq!(index, 2);
            assert_eq!(reasons, vec![FaceReason::NotLive]);
        }
        other => panic!("expected EnrollmentPhotoRejected, got {other}"),
    }
}
