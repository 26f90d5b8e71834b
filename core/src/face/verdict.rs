//! Results of the face module: the reasons a photo was rejected (stable ids, texts in the
//! message catalog), the analysis of one photo, and the verdict of a verification.

use serde::{Deserialize, Serialize};

use super::detect::FaceBox;
use super::liveness::{ActiveLiveness, PassiveLiveness};

/// Reason a photo or a verification was rejected. Each reason has a stable id whose texts live
/// in the message catalog (`core/src/messages/face.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FaceReason {
    #[serde(rename = "face.no_face")]
    NoFace,
    #[serde(rename = "face.multiple_faces")]
    MultipleFaces,
    #[serde(rename = "face.too_small")]
    TooSmall,
    #[serde(rename = "face.cut_off")]
    CutOff,
    #[serde(rename = "face.too_dark")]
    TooDark,
    #[serde(rename = "face.too_bright")]
    TooBright,
    #[serde(rename = "face.blurry")]
    Blurry,
    #[serde(rename = "face.head_turned")]
    HeadTurned,
    #[serde(rename = "face.no_match")]
    NoMatch,
    #[serde(rename = "face.not_live")]
    NotLive,
    #[serde(rename = "face.no_blink")]
    NoBlink,
    #[serde(rename = "face.blink_required")]
    BlinkRequired,
    #[serde(rename = "face.template_model_mismatch")]
    TemplateModelMismatch,
}

impl FaceReason {
    /// Every reason, in the order the checks run.
    pub const ALL: [FaceReason; 13] = [
        FaceReason::NoFace,
        FaceReason::MultipleFaces,
        FaceReason::TooSmall,
        FaceReason::CutOff,
        FaceReason::TooDark,
        FaceReason::TooBright,
        FaceReason::Blurry,
        FaceReason::HeadTurned,
        FaceReason::NoMatch,
        FaceReason::NotLive,
        FaceReason::NoBlink,
        FaceReason::BlinkRequired,
        FaceReason::TemplateModelMismatch,
    ];

    /// Returns the stable id, such as `face.no_face`.
    pub fn id(self) -> &'static str {
        match self {
            FaceReason::NoFace => "face.no_face",
            FaceReason::MultipleFaces => "face.multiple_faces",
            FaceReason::TooSmall => "face.too_small",
            FaceReason::CutOff => "face.cut_off",
            FaceReason::TooDark => "face.too_dark",
            FaceReason::TooBright => "face.too_bright",
            FaceReason::Blurry => "face.blurry",
            FaceReason::HeadTurned => "face.head_turned",
            FaceReason::NoMatch => "face.no_match",
            FaceReason::NotLive => "face.not_live",
            FaceReason::NoBlink => "face.no_blink",
            FaceReason::BlinkRequired => "face.blink_required",
            FaceReason::TemplateModelMismatch => "face.template_model_mismatch",
        }
    }
}

/// Measurements the quality gates compared with the policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QualityMeasures {
    /// Shorter side of the face box in photo pixels.
    pub face_side_px: f32,
    /// Mean grey level (0..255) inside the face box.
    pub brightness: f32,
    /// Variance of the Laplacian of the aligned grey face.
    pub sharpness: f32,
    /// Estimated head yaw in degrees.
    pub yaw_deg: f32,
}

/// Time spent in each stage of one call, in milliseconds; stages that did not run are 0.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct StageTimings {
    pub decode_ms: f32,
    pub detect_ms: f32,
    pub landmark_ms: f32,
    pub align_ms: f32,
    pub embed_ms: f32,
    pub liveness_ms: f32,
    pub quality_ms: f32,
    pub blink_ms: f32,
    pub match_ms: f32,
    pub total_ms: f32,
}

/// Analysis of one photo: the faces found and the quality gates of the largest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceAnalysis {
    /// Photo width in pixels, after EXIF orientation.
    pub width: u32,
    /// Photo height in pixels, after EXIF orientation.
    pub height: u32,
    /// Every detected face, highest detector score first.
    pub faces: Vec<FaceBox>,
    /// Index in `faces` of the face the gates judged (the largest), if any.
    pub primary_face: Option<usize>,
    /// Failed quality gates; empty when the photo is usable.
    pub reasons: Vec<FaceReason>,
    /// The gate measurements of the primary face.
    pub quality: Option<QualityMeasures>,
    /// Passive liveness of the primary face.
    pub liveness: Option<PassiveLiveness>,
    /// Time per stage.
    pub timings: StageTimings,
}

impl FaceAnalysis {
    /// Returns whether the photo passed every quality gate.
    pub fn usable(&self) -> bool {
        self.reasons.is_empty()
    }

    /// Returns the failed gates, plus `face.not_live` when passive liveness ran and failed:
    /// every reason for enrollment or a check-in to turn this photo's face away.
    pub fn rejection_reasons(&self) -> Vec<FaceReason> {
        let mut reasons = self.reasons.clone();
        if self.liveness.is_some_and(|result| !result.live) {
            reasons.push(FaceReason::NotLive);
        }
        reasons
    }
}

/// The decision on one check-in attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceVerdict {
    /// Whether the selfie passed every gate, matched the template and passed liveness.
    pub accepted: bool,
    /// Whether the face matched the template (score at or above the threshold).
    pub matched: bool,
    /// Cosine similarity (-1..1) to the template; `None` when no single face could be compared.
    pub score: Option<f32>,
    /// The score in thousandths (-1000..=1000), as attendance records store it.
    pub score_milli: Option<i32>,
    /// The match threshold in force.
    pub threshold: f32,
    /// Passive liveness of the selfie.
    pub liveness: Option<PassiveLiveness>,
    /// The blink check over the burst frames.
    pub active_liveness: ActiveLiveness,
    /// Every reason the attempt was rejected; empty when accepted.
    pub reasons: Vec<FaceReason>,
    /// The analysis of the selfie (frame 0).
    pub selfie: FaceAnalysis,
    /// Time per stage, the burst frames included.
    pub timings: StageTimings,
    /// Id of the template compared with.
    pub template_id: String,
    /// Model ids used, by role (detect, landmark, feature, liveness, eye).
    pub model_ids: ModelIds,
}

/// The model id of each model the engine runs, from the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelIds {
    pub detect: String,
    pub landmark: String,
    pub feature: String,
    pub liveness: String,
    pub eye: String,
}

/// Converts a cosine (-1..1) to thousandths, rounding to nearest.
pub(crate) fn cosine_to_milli(score: f32) -> i32 {
    (score.clamp(-1.0, 1.0) * 1000.0).round() as i32
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn reason_serialises_as_id() {
        for reason in FaceReason::ALL {
            let json = serde_json::to_string(&reason).expect("serialise");
            assert_eq!(json, format!("\"{}\"", reason.id()));
        }
    }

    #[test]
    fn every_reason_has_catalog_text() {
        for reason in FaceReason::ALL {
            assert!(
                crate::messages::lookup(reason.id()).is_some(),
                "{} has no message in the catalog",
                reason.id()
            );
        }
    }

    #[test]
    fn cosine_milli_rounds() {
        assert_eq!(cosine_to_milli(0.5555), 556);
        assert_eq!(cosine_to_milli(-0.2), -200);
    }
}
