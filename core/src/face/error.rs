//! Errors of the face module: bad input photos, missing or mismatching models, and ONNX Runtime
//! failures. A photo that decodes but fails a quality gate is not an error. It comes back as a
//! verdict or analysis whose reasons list the failed gates, so the check-in flow can record the
//! attempt.

use std::path::PathBuf;

use super::FaceReason;

/// Everything that can go wrong in the face module.
#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    /// The photo has no bytes at all.
    #[error("the photo is empty (0 bytes); capture or choose the photo again")]
    EmptyImage,

    /// The photo is larger than the configured byte limit.
    #[error(
        "the photo is {size_bytes} bytes, more than the limit of {max_bytes} bytes; send a smaller JPEG or PNG"
    )]
    ImageTooLarge { size_bytes: usize, max_bytes: usize },

    /// The bytes are not a JPEG or PNG file.
    #[error("the photo is not a JPEG or PNG image; send a JPEG or PNG file")]
    NotAnImage,

    /// The header announces more pixels than the configured limit; rejected before decoding.
    #[error(
        "the photo is {width}x{height} pixels, more than the limit of {max_pixels} pixels; resize it before sending"
    )]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },

    /// The photo is too small to hold a face the models can read.
    #[error(
        "the photo is only {width}x{height} pixels; a photo must be at least {min_side_px} pixels on each side"
    )]
    ImageTooSmall {
        width: u32,
        height: u32,
        min_side_px: u32,
    },

    /// The image data is truncated or corrupt.
    #[error(
        "the photo could not be decoded ({detail}); the file is truncated or corrupt, capture it again"
    )]
    CorruptImage { detail: String },

    /// `models/manifest.toml` is missing or invalid.
    #[error(
        "the model manifest {path} could not be read: {detail}; run scripts/setup or restore models/manifest.toml"
    )]
    Manifest { path: PathBuf, detail: String },

    /// A model file is missing or unreadable.
    #[error(
        "the model file {path} could not be read: {detail}; run scripts/setup to fetch the models"
    )]
    ModelMissing { path: PathBuf, detail: String },

    /// A model file differs from the one the manifest names.
    #[error(
        "the model file {path} does not match the manifest: expected {expected}, found {found}; run scripts/setup to fetch it again"
    )]
    ModelMismatch {
        path: PathBuf,
        expected: String,
        found: String,
    },

    /// The ONNX Runtime shared library could not be loaded or initialised.
    #[error(
        "ONNX Runtime could not be loaded from {path}: {detail}; run scripts/setup or set the library path in the engine configuration"
    )]
    Runtime { path: PathBuf, detail: String },

    /// A model failed while running.
    #[error("the {model} model failed: {detail}")]
    Inference { model: &'static str, detail: String },

    /// The engine configuration contains an invalid value.
    #[error("invalid face engine configuration: {detail}")]
    InvalidConfig { detail: String },

    /// A policy value is out of its valid range.
    #[error("invalid face policy value {name} = {value}: {expected}")]
    InvalidPolicy {
        name: &'static str,
        value: String,
        expected: &'static str,
    },

    /// Enrollment received too few or too many photos.
    #[error("enrollment needs {min} to {max} photos, received {count}")]
    EnrollmentPhotoCount {
        count: usize,
        min: usize,
        max: usize,
    },

    /// One enrollment photo failed a quality gate.
    #[error("enrollment photo {} was rejected: {}; take that photo again", .index + 1, reason_ids(.reasons))]
    EnrollmentPhotoRejected {
        index: usize,
        reasons: Vec<FaceReason>,
    },

    /// One enrollment photo cannot be read. `error` is the cause: an empty file, a cut-off
    /// JPEG, a photo over the size limits and so on.
    #[error("enrollment photo {} cannot be read: {error}", .index + 1)]
    EnrollmentPhotoUnreadable { index: usize, error: Box<FaceError> },

    /// Two enrollment photos are the same file. `first` and `second` are 0-based; the text
    /// counts from 1.
    #[error(
        "enrollment photos {} and {} are the same file; take 3 to 5 different photos",
        .first + 1,
        .second + 1
    )]
    EnrollmentDuplicate { first: usize, second: usize },

    /// One enrollment photo does not look like the same person as the others.
    #[error(
        "enrollment photo {} does not match the other photos (score {score:.3} below {threshold:.3}); all photos must show the same person",
        .index + 1
    )]
    EnrollmentInconsistent {
        index: usize,
        score: f32,
        threshold: f32,
    },

    /// A reference photo for a comparison failed a quality gate.
    #[error("the reference photo was rejected: {}; use another photo", reason_ids(.reasons))]
    ReferenceRejected { reasons: Vec<FaceReason> },

    /// `verify` received no frames.
    #[error("verification needs at least one frame (the selfie), received none")]
    NoFrames,

    /// A template's stored id does not match its content, or its embedding is malformed.
    #[error("the face template {template_id} is corrupt: {detail}; enroll again")]
    TemplateCorrupt { template_id: String, detail: String },

    /// Two templates or a template and an engine come from different embedding models.
    #[error(
        "the face template was made with model {template_model}, but this comparison uses {engine_model}; enroll again with the current model"
    )]
    TemplateModelMismatch {
        template_model: String,
        engine_model: String,
    },
}

impl FaceError {
    /// Returns true for the errors of one photo's bytes, as opposed to the engine's own.
    pub fn is_unreadable_photo(&self) -> bool {
        matches!(
            self,
            FaceError::EmptyImage
                | FaceError::ImageTooLarge { .. }
                | FaceError::NotAnImage
                | FaceError::TooManyPixels { .. }
                | FaceError::ImageTooSmall { .. }
                | FaceError::CorruptImage { .. }
        )
    }
}

fn reason_ids(reasons: &[FaceReason]) -> String {
    let ids: Vec<&str> = reasons.iter().map(|reason| reason.id()).collect();
    ids.join(", ")
}

impl From<crate::policy::InvalidFacePolicy> for FaceError {
    fn from(error: crate::policy::InvalidFacePolicy) -> FaceError {
        FaceError::InvalidPolicy {
            name: error.name,
            value: error.value,
            expected: error.expected,
        }
    }
}
