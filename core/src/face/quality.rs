//! Quality gates: whether a detected face is fit to be compared at all. Each failed gate
//! becomes a [`FaceReason`] whose message explains to the ASN what to change (move closer, face the light,
//! hold still, look straight at the camera).

use super::FacePolicy;
use super::detect::FaceBox;
use super::landmarks::Landmarks;
use super::pixels::Patch;
use super::verdict::{FaceReason, QualityMeasures};

/// Returns the gate reasons that concern the set of faces rather than one face: no face, or a
/// second face of comparable size. `faces` is sorted by detector score.
pub(crate) fn check_face_count(
    faces: &[FaceBox],
    policy: &FacePolicy,
) -> (Option<usize>, Vec<FaceReason>) {
    let Some((primary, largest)) = faces
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| a.area().total_cmp(&b.area()))
    else {
        return (None, vec![FaceReason::NoFace]);
    };

    let comparable = faces
        .iter()
        .enumerate()
        .filter(|(index, face)| {
            *index != primary && face.area() >= largest.area() * policy.multi_face_area_fraction
        })
        .count();
    if comparable > 0 {
        (Some(primary), vec![FaceReason::MultipleFaces])
    } else {
        (Some(primary), Vec::new())
    }
}

/// Measures the primary face and returns the failed gates, in the order of [`FaceReason::ALL`].
pub(crate) fn check_face(
    face: &FaceBox,
    landmarks: &Landmarks,
    face_patch: &Patch,
    aligned_grey: &[f32],
    aligned_width: u32,
    photo_size: (u32, u32),
    policy: &FacePolicy,
) -> (QualityMeasures, Vec<FaceReason>) {
    let measures = QualityMeasures {
        face_side_px: face.width().min(face.height()),
        brightness: face_patch.mean_grey(),
        sharpness: laplacian_variance(aligned_grey, aligned_width as usize),
        yaw_deg: landmarks.yaw_deg(),
    };

    let mut reasons = Vec::new();
    if measures.face_side_px < policy.min_face_px {
        reasons.push(FaceReason::TooSmall);
    }
    if is_cut_off(face, landmarks, photo_size, policy.max_outside_fraction) {
        reasons.push(FaceReason::CutOff);
    }
    if measures.brightness < policy.min_brightness {
        reasons.push(FaceReason::TooDark);
    }
    if measures.brightness > policy.max_brightness {
        reasons.push(FaceReason::TooBright);
    }
    if measures.sharpness < policy.min_sharpness {
        reasons.push(FaceReason::Blurry);
    }
    if measures.yaw_deg > policy.max_yaw_deg {
        reasons.push(FaceReason::HeadTurned);
    }
    (measures, reasons)
}

/// Returns whether the face is cut off: a landmark falls outside the photo, or the box sticks
/// out of the photo by more than `max_outside_fraction` of its size.
fn is_cut_off(
    face: &FaceBox,
    landmarks: &Landmarks,
    (width, height): (u32, u32),
    max_outside_fraction: f32,
) -> bool {
    if !landmarks.inside(width, height) {
        return true;
    }
    let outside_x = (-face.x1).max(0.0) + (face.x2 - width as f32).max(0.0);
    let outside_y = (-face.y1).max(0.0) + (face.y2 - height as f32).max(0.0);
    outside_x > face.width() * max_outside_fraction
        || outside_y > face.height() * max_outside_fraction
}

/// Returns the variance of the 4-neighbour Laplacian over the interior of a grey image: low
/// for a blurred face, high for a sharp one.
pub(crate) fn laplacian_variance(grey: &[f32], width: usize) -> f32 {
    let height = grey.len() / width.max(1);
    if width < 3 || height < 3 {
        return 0.0;
    }
    let mut sum = 0.0f64;
    let mut sum_squares = 0.0f64;
    let mut count = 0usize;
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let centre = grey[y * width + x];
            let laplacian = grey[(y - 1) * width + x]
                + grey[(y + 1) * width + x]
                + grey[y * width + x - 1]
                + grey[y * width + x + 1]
                - 4.0 * centre;
            sum += f64::from(laplacian);
            sum_squares += f64::from(laplacian) * f64::from(laplacian);
            count += 1;
        }
    }
    let mean = sum / count as f64;
    (sum_squares / count as f64 - mean * mean) as f32
}

#[cfg(test)]
mod test {
    use super::*;

    fn face(x1: f32, size: f32) -> FaceBox {
        FaceBox {
            x1,
            y1: 0.0,
            x2: x1 + size,
            y2: size,
            score: 0.9,
        }
    }

    #[test]
    fn no_faces_is_no_face() {
        let (primary, reasons) = check_face_count(&[], &FacePolicy::default());
        assert_eq!(primary, None);
        assert_eq!(reasons, vec![FaceReason::NoFace]);
    }

    #[test]
    fn small_background_face_is_ignored() {
        let (primary, reasons) = check_face_count(
            &[face(0.0, 100.0), face(200.0, 30.0)],
            &FacePolicy::default(),
        );
        assert_eq!(primary, Some(0));
        assert!(reasons.is_empty(), "{reasons:?}");
    }

    #[test]
    fn comparable_second_face_is_multiple() {
        let (primary, reasons) = check_face_count(
            &[face(200.0, 80.0), face(0.0, 100.0)],
            &FacePolicy::default(),
        );
        assert_eq!(primary, Some(1), "the largest face is primary");
        assert_eq!(reasons, vec![FaceReason::MultipleFaces]);
    }

    #[test]
    fn flat_image_has_zero_sharpness() {
        assert_eq!(laplacian_variance(&[100.0; 25], 5), 0.0);
        let checker: Vec<f32> = (0..25)
            .map(|i| if i % 2 == 0 { 0.0 } else { 255.0 })
            .collect();
        assert!(laplacian_variance(&checker, 5) > 1000.0);
    }
}
