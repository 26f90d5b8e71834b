//! Every threshold of face verification in one serde struct, so the server can ship a policy
//! in its signed configuration and a deployment can tune it without a new app build.

use serde::{Deserialize, Serialize};

/// Thresholds for detection, the quality gates, matching and liveness.
///
/// `Default` contains the values calibrated on the labelled photo set described in
/// docs/BENCHMARKS.md (section "Face verification").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FacePolicy {
    /// Minimum cosine similarity (-1..1) between template and selfie for a match.
    pub match_threshold: f32,
    /// Minimum detector confidence (0..1) for a face to count.
    pub min_detection_score: f32,
    /// Intersection over union above which two detections are the same face.
    pub nms_iou: f32,
    /// Minimum face box side in photo pixels.
    pub min_face_px: f32,
    /// A second face whose box area is at least this fraction of the largest face's area
    /// makes the photo ambiguous (0..1).
    pub multi_face_area_fraction: f32,
    /// Fraction of the face box width or height that may lie outside the photo before the
    /// face counts as cut off by the frame edge.
    pub max_outside_fraction: f32,
    /// Minimum mean grey level (0..255) of the face.
    pub min_brightness: f32,
    /// Maximum mean grey level (0..255) of the face.
    pub max_brightness: f32,
    /// Minimum sharpness: variance of the Laplacian of the aligned grey face crop.
    pub min_sharpness: f32,
    /// Maximum estimated head yaw in degrees.
    pub max_yaw_deg: f32,
    /// Minimum passive liveness probability (0..1) for a live decision.
    pub liveness_threshold: f32,
    /// Eye-open probability (0..1) at or above which an eye counts as open in the blink check.
    pub eye_open_threshold: f32,
    /// Whether a check-in needs the blink check: a selfie alone is then rejected with
    /// `face.blink_required`, and the server flags a record without one.
    pub require_blink: bool,
}

/// A face policy value out of its valid range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid face policy value {name} = {value}: {expected}")]
pub struct InvalidFacePolicy {
    /// Field name, as in the configuration.
    pub name: &'static str,
    /// The value found.
    pub value: String,
    /// The range or form the field accepts.
    pub expected: &'static str,
}

impl Default for FacePolicy {
    fn default() -> FacePolicy {
        FacePolicy {
            match_threshold: 0.55,
            min_detection_score: 0.7,
            nms_iou: 0.3,
            min_face_px: 60.0,
            multi_face_area_fraction: 0.25,
            max_outside_fraction: 0.1,
            min_brightness: 40.0,
            max_brightness: 220.0,
            min_sharpness: 60.0,
            max_yaw_deg: 35.0,
            liveness_threshold: 0.5,
            eye_open_threshold: 0.5,
            require_blink: false,
        }
    }
}

impl FacePolicy {
    /// Checks that every value is finite and in its range.
    pub fn validate(&self) -> Result<(), InvalidFacePolicy> {
        let checks: [(&'static str, f32, f32, f32, &'static str); 12] = [
            (
                "match_threshold",
                self.match_threshold,
                -1.0,
                1.0,
                "a cosine between -1 and 1",
            ),
            (
                "min_detection_score",
                self.min_detection_score,
                0.0,
                1.0,
                "a probability between 0 and 1",
            ),
            ("nms_iou", self.nms_iou, 0.0, 1.0, "a ratio between 0 and 1"),
            (
                "min_face_px",
                self.min_face_px,
                0.0,
                10_000.0,
                "pixels between 0 and 10000",
            ),
            (
                "multi_face_area_fraction",
                self.multi_face_area_fraction,
                0.0,
                1.0,
                "a fraction between 0 and 1",
            ),
            (
                "max_outside_fraction",
                self.max_outside_fraction,
                0.0,
                1.0,
                "a fraction between 0 and 1",
            ),
            (
                "min_brightness",
                self.min_brightness,
                0.0,
                255.0,
                "a grey level between 0 and 255",
            ),
            (
                "max_brightness",
                self.max_brightness,
                0.0,
                255.0,
                "a grey level between 0 and 255",
            ),
            (
                "min_sharpness",
                self.min_sharpness,
                0.0,
                1.0e6,
                "a Laplacian variance between 0 and 1000000",
            ),
            (
                "max_yaw_deg",
                self.max_yaw_deg,
                0.0,
                90.0,
                "degrees between 0 and 90",
            ),
            (
                "liveness_threshold",
                self.liveness_threshold,
                0.0,
                1.0,
                "a probability between 0 and 1",
            ),
            (
                "eye_open_threshold",
                self.eye_open_threshold,
                0.0,
                1.0,
                "a probability between 0 and 1",
            ),
        ];
        for (name, value, min, max, expected) in checks {
            if !(value.is_finite() && value >= min && value <= max) {
                return Err(InvalidFacePolicy {
                    name,
                    value: value.to_string(),
                    expected,
                });
            }
        }
        if self.min_brightness >= self.max_brightness {
            return Err(InvalidFacePolicy {
                name: "min_brightness",
                value: self.min_brightness.to_string(),
                expected: "a grey level below max_brightness",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        FacePolicy::default()
            .validate()
            .expect("defaults are in range");
    }

    #[test]
    fn nan_threshold_is_rejected() {
        let policy = FacePolicy {
            match_threshold: f32::NAN,
            ..FacePolicy::default()
        };
        let error = policy.validate().expect_err("NaN");
        assert!(error.to_string().contains("match_threshold"), "{error}");
    }

    #[test]
    fn partial_json_keeps_defaults() {
        let policy: FacePolicy = serde_json::from_str(r#"{"match_threshold": 0.6}"#).expect("JSON");
        assert_eq!(policy.match_threshold, 0.6);
        assert_eq!(policy.nms_iou, FacePolicy::default().nms_iou);
    }
}
