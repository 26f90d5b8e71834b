//! Liveness checks. Passive: fr_liveness judges from one frame whether the face is a live
//! person or a photo or screen held up to the camera. Active: fr_eye follows the eyes across a
//! short burst of frames and looks for a blink (open, closed, open again).

use serde::{Deserialize, Serialize};

use super::FaceError;
use super::detect::FaceBox;
use super::landmarks::Landmarks;
use super::manifest::Preprocess;
use super::photo::Photo;
use super::pixels::{Region, patch_to_tensor};
use super::runtime::ModelSession;

/// The passive liveness result of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PassiveLiveness {
    /// Probability (0..1) that the face is a live person.
    pub score: f32,
    /// The same score in thousandths (0..=1000), as attendance records store it.
    pub score_milli: u32,
    /// Threshold the score was compared with.
    pub threshold: f32,
    /// Whether the score reached the threshold.
    pub live: bool,
}

/// The outcome of the blink check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActiveLiveness {
    /// Only the selfie was given, so no blink was looked for.
    NotRequested,
    /// The eyes were open, then closed, then open again.
    BlinkSeen,
    /// The burst showed no blink.
    NoBlink,
}

/// Scores the face for liveness; `region` is the face box scaled by the manifest's crop scale.
pub(crate) fn score_liveness(
    session: &ModelSession,
    preprocess: &Preprocess,
    photo: &Photo,
    face: &FaceBox,
    threshold: f32,
) -> Result<PassiveLiveness, FaceError> {
    let (width, height) = photo.dimensions();
    let region = liveness_region(face, preprocess.crop_scale, width, height);
    let patch = photo.crop_resize(region, preprocess.width, preprocess.height);
    let tensor = patch_to_tensor(&patch, preprocess);
    let outputs = session.run(
        [1, 3, preprocess.height as usize, preprocess.width as usize],
        &tensor,
    )?;
    let logits = outputs.into_iter().next().unwrap_or_default();
    if logits.len() < 2 {
        return Err(FaceError::Inference {
            model: "liveness",
            detail: format!("expected at least 2 class scores, found {}", logits.len()),
        });
    }

    let score = softmax(&logits)[0];
    Ok(PassiveLiveness {
        score,
        score_milli: to_milli(score),
        threshold,
        live: score >= threshold,
    })
}

/// Returns the probability (0..1) that the eyes are open: the mean over both eyes.
pub(crate) fn score_eyes_open(
    session: &ModelSession,
    preprocess: &Preprocess,
    photo: &Photo,
    landmarks: &Landmarks,
) -> Result<f32, FaceError> {
    let mut open_sum = 0.0;
    for region in landmarks.eye_regions() {
        let patch = photo.crop_resize(region, preprocess.width, preprocess.height);
        let tensor = patch_to_tensor(&patch, preprocess);
        let outputs = session.run(
            [1, 1, preprocess.height as usize, preprocess.width as usize],
            &tensor,
        )?;
        let logits = outputs.into_iter().next().unwrap_or_default();
        if logits.len() != 2 {
            return Err(FaceError::Inference {
                model: "eye",
                detail: format!("expected 2 class scores, found {}", logits.len()),
            });
        }
        // Class 1 is "open".
        open_sum += softmax(&logits)[1];
    }
    Ok(open_sum / 2.0)
}

/// Looks for open, then closed, then open again in per-frame eye-open probabilities; frames
/// without a readable face are `None` and skipped.
pub(crate) fn find_blink(open_scores: &[Option<f32>], open_threshold: f32) -> ActiveLiveness {
    let mut seen_open = false;
    let mut seen_closed_after_open = false;
    for score in open_scores.iter().flatten() {
        let open = *score >= open_threshold;
        if open && seen_closed_after_open {
            return ActiveLiveness::BlinkSeen;
        }
        if open {
            seen_open = true;
        } else if seen_open {
            seen_closed_after_open = true;
        }
    }
    ActiveLiveness::NoBlink
}

/// Returns the face box enlarged by `scale`, shrunk if needed to fit the photo, then shifted
/// inside it, the way the liveness model's training crops were made.
fn liveness_region(face: &FaceBox, scale: f32, width: u32, height: u32) -> Region {
    let box_width = face.width().max(1.0);
    let box_height = face.height().max(1.0);
    let fit_scale = scale
        .min((width as f32 - 1.0) / box_width)
        .min((height as f32 - 1.0) / box_height);
    let crop_width = box_width * fit_scale;
    let crop_height = box_height * fit_scale;
    let centre_x = (face.x1 + face.x2) / 2.0;
    let centre_y = (face.y1 + face.y2) / 2.0;
    let x = (centre_x - crop_width / 2.0).clamp(0.0, (width as f32 - 1.0 - crop_width).max(0.0));
    let y = (centre_y - crop_height / 2.0).clamp(0.0, (height as f32 - 1.0 - crop_height).max(0.0));
    Region {
        x,
        y,
        width: crop_width,
        height: crop_height,
    }
}

fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|value| (value - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|value| value / sum).collect()
}

/// Converts a 0..1 score to thousandths, rounding to nearest.
pub(crate) fn to_milli(score: f32) -> u32 {
    (score.clamp(0.0, 1.0) * 1000.0).round() as u32
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn blink_needs_open_closed_open() {
        assert_eq!(
            find_blink(&[Some(0.9), Some(0.1), Some(0.9)], 0.5),
            ActiveLiveness::BlinkSeen
        );
        assert_eq!(
            find_blink(&[Some(0.1), Some(0.9), Some(0.9)], 0.5),
            ActiveLiveness::NoBlink
        );
        assert_eq!(
            find_blink(&[Some(0.9), Some(0.1)], 0.5),
            ActiveLiveness::NoBlink
        );
        assert_eq!(
            find_blink(&[Some(0.9), None, Some(0.2), None, Some(0.8)], 0.5),
            ActiveLiveness::BlinkSeen
        );
    }

    #[test]
    fn liveness_region_stays_inside_photo() {
        let face = FaceBox {
            x1: 10.0,
            y1: 10.0,
            x2: 110.0,
            y2: 110.0,
            score: 1.0,
        };
        let region = liveness_region(&face, 2.7, 640, 480);
        assert_eq!(region.width, 270.0);
        assert_eq!(region.x, 0.0);
        let small = liveness_region(&face, 2.7, 200, 200);
        assert!(small.width <= 199.0, "{small:?}");
        assert!(small.x >= 0.0, "{small:?}");
    }

    #[test]
    fn milli_rounds() {
        assert_eq!(to_milli(0.9996), 1000);
        assert_eq!(to_milli(0.1234), 123);
        assert_eq!(to_milli(-0.5), 0);
    }
}
