//! The enrolled face template: the mean of the embeddings of 3 to 5 enrollment photos, tagged
//! with the embedding model's id and an id derived from its content. Attendance records cite
//! the template id, so an auditor can tell which enrollment a check-in was matched against.

use serde::{Deserialize, Serialize};

use super::FaceError;
use super::embed::{cosine, normalize};

/// Current template layout version.
pub const TEMPLATE_FORMAT_VERSION: u32 = 1;

/// An enrolled face. It is biometric data: store it encrypted and never log it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceTemplate {
    /// Layout version of this struct.
    pub format_version: u32,
    /// Hex SHA-256 of the model id, a zero byte and the embedding as little-endian f32 bytes.
    pub template_id: String,
    /// Model id of the embedder that produced `embedding`.
    pub model_id: String,
    /// Unit-length embedding.
    pub embedding: Vec<f32>,
    /// Number of photos averaged into the embedding.
    pub photo_count: u32,
}

impl std::fmt::Debug for FaceTemplate {
    /// Prints the ids only; the embedding is biometric data and stays out of logs.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FaceTemplate")
            .field("template_id", &self.template_id)
            .field("model_id", &self.model_id)
            .field("photo_count", &self.photo_count)
            .finish_non_exhaustive()
    }
}

impl FaceTemplate {
    /// Builds a template from the embeddings (one per photo) of one person, made by the
    /// embedder `model_id`: their mean direction, normalised to unit length.
    pub fn from_embeddings(
        model_id: &str,
        embeddings: &[Vec<f32>],
    ) -> Result<FaceTemplate, FaceError> {
        let dimension = embeddings.first().map(Vec::len).unwrap_or(0);
        let mut sum = vec![0.0f32; dimension];
        for embedding in embeddings {
            for (total, value) in sum.iter_mut().zip(embedding) {
                *total += value;
            }
        }
        let embedding = normalize(sum).ok_or_else(|| FaceError::TemplateCorrupt {
            template_id: String::new(),
            detail: "the enrollment embeddings cancel out or are empty".to_string(),
        })?;

        Ok(FaceTemplate {
            format_version: TEMPLATE_FORMAT_VERSION,
            template_id: content_id(model_id, &embedding),
            model_id: model_id.to_string(),
            embedding,
            photo_count: embeddings.len() as u32,
        })
    }

    /// Checks that the embedding is a finite unit vector and that the id matches the content,
    /// so a template altered in storage is caught before it is compared.
    pub fn validate(&self) -> Result<(), FaceError> {
        let corrupt = |detail: String| FaceError::TemplateCorrupt {
            template_id: self.template_id.clone(),
            detail,
        };
        if self.format_version != TEMPLATE_FORMAT_VERSION {
            return Err(corrupt(format!(
                "format version {} is not supported (expected {TEMPLATE_FORMAT_VERSION})",
                self.format_version
            )));
        }
        if self.embedding.is_empty() || self.embedding.iter().any(|value| !value.is_finite()) {
            return Err(corrupt("the embedding is empty or not finite".to_string()));
        }
        let norm = self
            .embedding
            .iter()
            .map(|value| value * value)
            .sum::<f32>()
            .sqrt();
        if (norm - 1.0).abs() > 1e-3 {
            return Err(corrupt(format!(
                "the embedding has length {norm}, expected 1"
            )));
        }
        let expected = content_id(&self.model_id, &self.embedding);
        if expected != self.template_id {
            return Err(corrupt(format!("the content hashes to {expected}")));
        }
        Ok(())
    }

    /// Returns the cosine similarity of two templates; templates of different models are an
    /// error, never a score.
    pub fn compare(&self, other: &FaceTemplate) -> Result<f32, FaceError> {
        self.compare_embedding(&other.model_id, &other.embedding)
    }

    /// Returns the cosine similarity of this template and an embedding made by `model_id`.
    pub(crate) fn compare_embedding(
        &self,
        model_id: &str,
        embedding: &[f32],
    ) -> Result<f32, FaceError> {
        if self.model_id != model_id || self.embedding.len() != embedding.len() {
            return Err(FaceError::TemplateModelMismatch {
                template_model: self.model_id.clone(),
                engine_model: model_id.to_string(),
            });
        }
        Ok(cosine(&self.embedding, embedding))
    }
}

/// Hex SHA-256 of the model id, a zero byte, and the embedding's little-endian f32 bytes.
fn content_id(model_id: &str, embedding: &[f32]) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(model_id.as_bytes());
    context.update(&[0]);
    for value in embedding {
        context.update(&value.to_le_bytes());
    }
    hex::encode(context.finish())
}

#[cfg(test)]
mod test {
    use super::*;

    fn template(model_id: &str) -> FaceTemplate {
        FaceTemplate::from_embeddings(model_id, &[vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]])
            .expect("template")
    }

    #[test]
    fn template_is_mean_direction() {
        let made = template("model-a");
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((made.embedding[0] - half).abs() < 1e-6);
        assert_eq!(made.photo_count, 2);
        made.validate().expect("fresh template is valid");
    }

    #[test]
    fn altered_embedding_is_corrupt() {
        let mut made = template("model-a");
        made.embedding.swap(0, 2);
        let error = made.validate().expect_err("altered");
        assert!(
            matches!(error, FaceError::TemplateCorrupt { .. }),
            "{error}"
        );
    }

    #[test]
    fn other_model_is_never_scored() {
        let error = template("model-a")
            .compare(&template("model-b"))
            .expect_err("mismatch");
        assert!(
            matches!(error, FaceError::TemplateModelMismatch { .. }),
            "{error}"
        );
    }

    #[test]
    fn id_depends_on_model() {
        assert_ne!(
            template("model-a").template_id,
            template("model-b").template_id
        );
        assert_eq!(template("model-a").template_id.len(), 64);
    }

    #[test]
    fn debug_hides_embedding() {
        let text = format!("{:?}", template("model-a"));
        assert!(!text.contains("0.7071"), "{text}");
    }
}
