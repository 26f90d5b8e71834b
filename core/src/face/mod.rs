//! Face verification on the phone: is the selfie the enrolled ASN, and a live person?
//!
//! The pipeline decodes the photo (EXIF orientation applied, size limits enforced) and detects
//! faces. A baseline JPEG, as phone cameras write, stays as DCT coefficients, and each stage
//! renders only the region it reads at the scale it needs (`photo`, `jpeg`). On the largest
//! face it locates 68 landmarks, aligns it onto the ArcFace template, embeds it, scores passive
//! liveness and applies the quality gates. The embedding is then compared with the enrolled
//! template by cosine similarity. A burst of frames after the selfie adds a blink check.
//! Thresholds live in [`FacePolicy`]; models and their pre-processing in
//! `models/manifest.toml`. Every rejection carries a [`FaceReason`] with a text in the message
//! catalog.

mod align;
mod decode;
mod detect;
mod embed;
mod engine;
mod error;
mod jpeg;
mod landmarks;
mod liveness;
pub mod manifest;
mod photo;
mod pixels;
mod quality;
mod runtime;
mod template;
mod verdict;

pub use crate::policy::FacePolicy;
pub use decode::{DecodeLimits, decode_photo};
pub use detect::FaceBox;
pub use engine::{
    DEFAULT_ONNXRUNTIME_FILE, FaceEngine, FaceEngineConfig, MAX_ENROLLMENT_PHOTOS,
    MIN_BURST_OVERLAP, MIN_ENROLLMENT_PHOTOS, RawInferenceTimes,
};
pub use error::FaceError;
pub use landmarks::Landmarks;
pub use liveness::{ActiveLiveness, PassiveLiveness};
pub use template::{FaceTemplate, TEMPLATE_FORMAT_VERSION};
pub use verdict::{FaceAnalysis, FaceReason, FaceVerdict, ModelIds, QualityMeasures, StageTimings};
