//! Face embedding with fr_feature: the aligned 112x112 face becomes a 512-dimensional unit
//! vector, and two faces are compared by the cosine of their vectors (their dot product).

use super::FaceError;
use super::manifest::Preprocess;
use super::pixels::{Patch, patch_to_tensor};
use super::runtime::ModelSession;

/// Runs the embedder on an aligned face and returns the L2-normalised embedding.
pub(crate) fn embed_face(
    session: &ModelSession,
    preprocess: &Preprocess,
    aligned: &Patch,
) -> Result<Vec<f32>, FaceError> {
    let tensor = patch_to_tensor(aligned, preprocess);
    let outputs = session.run(
        [1, 3, preprocess.height as usize, preprocess.width as usize],
        &tensor,
    )?;
    let embedding = outputs.into_iter().next().unwrap_or_default();
    normalize(embedding).ok_or(FaceError::Inference {
        model: "feature",
        detail: "the embedding is empty, zero or not finite".to_string(),
    })
}

/// Scales `vector` to unit length; `None` for an empty, zero or non-finite vector.
pub(crate) fn normalize(mut vector: Vec<f32>) -> Option<Vec<f32>> {
    let norm = vector.iter().map(|value| value * value).sum::<f32>().sqrt();
    if vector.is_empty() || !norm.is_finite() || norm < 1e-12 {
        return None;
    }
    for value in &mut vector {
        *value /= norm;
    }
    Some(vector)
}

/// Returns the cosine similarity of two unit vectors of the same length (-1..1).
pub(crate) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| x * y)
        .sum::<f32>()
        .clamp(-1.0, 1.0)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn normalize_gives_unit_length() {
        let unit = normalize(vec![3.0, 4.0]).expect("non-zero");
        assert_eq!(unit, vec![0.6, 0.8]);
        assert!(normalize(vec![0.0, 0.0]).is_none());
        assert!(normalize(vec![f32::NAN]).is_none());
    }

    #[test]
    fn cosine_of_opposites_is_minus_one() {
        assert_eq!(cosine(&[0.6, 0.8], &[-0.6, -0.8]), -1.0);
    }
}
