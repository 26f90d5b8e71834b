//! Reads `models/manifest.toml`: which ONNX file each face model is, its size and sha256, its
//! model id, and how to prepare its input. Keeping the pre-processing here rather than in code
//! lets a replacement model be dropped in by editing the manifest alone.

use std::path::Path;

use serde::Deserialize;

use super::FaceError;

/// The parts of the manifest the face engine needs.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelManifest {
    /// Version of the manifest layout; this code reads version 1.
    pub manifest_version: u32,
    /// The five face models.
    pub models: ManifestModels,
}

/// One entry per model role.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestModels {
    pub detect: ModelEntry,
    pub landmark: ModelEntry,
    pub feature: ModelEntry,
    pub liveness: ModelEntry,
    pub eye: ModelEntry,
}

/// One ONNX model file and how to feed it.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelEntry {
    /// File name inside the models folder.
    pub file: String,
    /// File size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
    /// Stable id of the model, stored in templates and attendance records.
    pub model_id: String,
    /// Input pre-processing.
    pub preprocess: Preprocess,
}

/// Channel order of a model input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelOrder {
    Rgb,
    Bgr,
    Grey,
}

impl ChannelOrder {
    /// Returns the number of input channels.
    pub fn channel_count(self) -> usize {
        match self {
            ChannelOrder::Rgb | ChannelOrder::Bgr => 3,
            ChannelOrder::Grey => 1,
        }
    }
}

/// Input pre-processing of one model: each value is `(pixel - mean[c]) * scale[c]`, laid out
/// NCHW.
#[derive(Debug, Clone, Deserialize)]
pub struct Preprocess {
    /// Input width in pixels.
    pub width: u32,
    /// Input height in pixels.
    pub height: u32,
    /// Channel order.
    pub channels: ChannelOrder,
    /// Per-channel mean subtracted from each 0..255 pixel value.
    pub mean: Vec<f32>,
    /// Per-channel factor applied after the mean.
    pub scale: Vec<f32>,
    /// Enlargement of the face box around its centre before cropping (1.0 = the box itself).
    pub crop_scale: f32,
}

impl ModelManifest {
    /// Reads and validates the manifest at `path`.
    pub fn load(path: &Path) -> Result<ModelManifest, FaceError> {
        let text = std::fs::read_to_string(path).map_err(|error| FaceError::Manifest {
            path: path.to_path_buf(),
            detail: error.to_string(),
        })?;
        ModelManifest::parse(&text).map_err(|detail| FaceError::Manifest {
            path: path.to_path_buf(),
            detail,
        })
    }

    /// Parses and validates manifest text; the error is a description of the first problem.
    pub fn parse(text: &str) -> Result<ModelManifest, String> {
        let manifest: ModelManifest = toml::from_str(text).map_err(|error| error.to_string())?;
        if manifest.manifest_version != 1 {
            return Err(format!(
                "manifest_version {} is not supported; this build reads version 1",
                manifest.manifest_version
            ));
        }
        for (role, entry) in manifest.models.entries() {
            entry.validate(role)?;
        }
        Ok(manifest)
    }
}

impl ManifestModels {
    /// Returns each model with its role name.
    pub fn entries(&self) -> [(&'static str, &ModelEntry); 5] {
        [
            ("detect", &self.detect),
            ("landmark", &self.landmark),
            ("feature", &self.feature),
            ("liveness", &self.liveness),
            ("eye", &self.eye),
        ]
    }
}

impl ModelEntry {
    fn validate(&self, role: &str) -> Result<(), String> {
        let preprocess = &self.preprocess;
        let channel_count = preprocess.channels.channel_count();
        if preprocess.mean.len() != channel_count || preprocess.scale.len() != channel_count {
            return Err(format!(
                "models.{role}.preprocess: mean and scale need {channel_count} values for channels {:?}",
                preprocess.channels
            ));
        }
        if preprocess.width == 0
            || preprocess.height == 0
            || preprocess.width > 4096
            || preprocess.height > 4096
        {
            return Err(format!(
                "models.{role}.preprocess: width and height must be 1..=4096, found {}x{}",
                preprocess.width, preprocess.height
            ));
        }
        if !(preprocess.crop_scale.is_finite() && preprocess.crop_scale >= 1.0) {
            return Err(format!(
                "models.{role}.preprocess: crop_scale must be at least 1.0, found {}",
                preprocess.crop_scale
            ));
        }
        if self.sha256.len() != 64 || !self.sha256.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(format!("models.{role}.sha256 must be 64 hex digits"));
        }
        if self.model_id.trim().is_empty() {
            return Err(format!("models.{role}.model_id is empty"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn repository_manifest_parses() {
        let path = crate::assets::model_manifest_path();
        let manifest = ModelManifest::load(&path).expect("models/manifest.toml should parse");
        assert_eq!(
            manifest.models.feature.preprocess.channels,
            ChannelOrder::Bgr
        );
        assert_eq!(manifest.models.liveness.preprocess.crop_scale, 2.7);
        assert_eq!(manifest.models.detect.preprocess.width, 320);
    }

    #[test]
    fn wrong_mean_count_is_rejected() {
        let path = crate::assets::model_manifest_path();
        let text = std::fs::read_to_string(path).expect("read manifest");
        let broken = text.replacen("mean = [0.0]", "mean = [0.0, 1.0]", 1);
        let error = ModelManifest::parse(&broken).expect_err("two means for a grey input");
        assert!(error.contains("mean and scale"), "{error}");
    }
}
