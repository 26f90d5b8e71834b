//! Alignment: a least-squares similarity transform (rotation, uniform scale, translation) that
//! carries the five landmark points onto the standard ArcFace 112x112 template, and the warp of
//! the full-resolution photo through it. The embedder was trained on faces aligned this way;
//! a three-point affine warp made same-person and different-person scores overlap.

use super::photo::Photo;
use super::pixels::{AffineMap, Patch};

/// The ArcFace reference points for a 112x112 crop, in the order of
/// [`super::landmarks::Landmarks::five_points`] (published with InsightFace).
const ARCFACE_TEMPLATE_112: [[f32; 2]; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// A similarity transform photo -> crop: `crop = [a -b; b a] * photo + [tx, ty]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Similarity {
    pub a: f32,
    pub b: f32,
    pub tx: f32,
    pub ty: f32,
}

/// Fits the similarity that maps `points` onto the template scaled to `width` x `height`,
/// minimising the sum of squared distances; `None` when the points coincide.
pub(crate) fn fit_similarity(
    points: &[[f32; 2]; 5],
    width: u32,
    height: u32,
) -> Option<Similarity> {
    let scale_x = width as f32 / 112.0;
    let scale_y = height as f32 / 112.0;
    let target: Vec<[f32; 2]> = ARCFACE_TEMPLATE_112
        .iter()
        .map(|point| [point[0] * scale_x, point[1] * scale_y])
        .collect();

    let source_mean = mean(points);
    let target_mean = mean(&target);
    let mut dot = 0.0f32;
    let mut cross = 0.0f32;
    let mut norm = 0.0f32;
    for (source, target) in points.iter().zip(&target) {
        let p = [source[0] - source_mean[0], source[1] - source_mean[1]];
        let q = [target[0] - target_mean[0], target[1] - target_mean[1]];
        dot += p[0] * q[0] + p[1] * q[1];
        cross += p[0] * q[1] - p[1] * q[0];
        norm += p[0] * p[0] + p[1] * p[1];
    }
    if norm < 1e-6 {
        return None;
    }

    let a = dot / norm;
    let b = cross / norm;
    Some(Similarity {
        a,
        b,
        tx: target_mean[0] - (a * source_mean[0] - b * source_mean[1]),
        ty: target_mean[1] - (b * source_mean[0] + a * source_mean[1]),
    })
}

impl Similarity {
    /// Returns the map from crop pixels back to photo pixels, which the warp samples through.
    pub fn inverse_map(&self) -> AffineMap {
        let norm = self.a * self.a + self.b * self.b;
        let a = self.a / norm;
        let b = self.b / norm;
        AffineMap {
            a,
            b,
            c: -(a * self.tx + b * self.ty),
            d: -b,
            e: a,
            f: b * self.tx - a * self.ty,
        }
    }
}

/// Warps the photo into the aligned `width` x `height` face crop.
pub(crate) fn align_face(photo: &Photo, similarity: &Similarity, width: u32, height: u32) -> Patch {
    photo.warp_affine(similarity.inverse_map(), width, height)
}

fn mean(points: &[[f32; 2]]) -> [f32; 2] {
    let count = points.len() as f32;
    let sum = points.iter().fold([0.0f32; 2], |sum, point| {
        [sum[0] + point[0], sum[1] + point[1]]
    });
    [sum[0] / count, sum[1] / count]
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn template_maps_onto_itself() {
        let fit = fit_similarity(&ARCFACE_TEMPLATE_112, 112, 112).expect("fit");
        assert!((fit.a - 1.0).abs() < 1e-5, "{fit:?}");
        assert!(fit.b.abs() < 1e-5, "{fit:?}");
        assert!(fit.tx.abs() < 1e-3, "{fit:?}");
        assert!(fit.ty.abs() < 1e-3, "{fit:?}");
    }

    #[test]
    fn inverse_map_undoes_scaled_rotation() {
        // A face twice the template size, rotated 90 degrees and shifted.
        let points = ARCFACE_TEMPLATE_112.map(|[x, y]| [300.0 - 2.0 * y, 100.0 + 2.0 * x]);
        let fit = fit_similarity(&points, 112, 112).expect("fit");
        let map = fit.inverse_map();
        let [u, v] = ARCFACE_TEMPLATE_112[2];
        let x = map.a * u + map.b * v + map.c;
        let y = map.d * u + map.e * v + map.f;
        assert!((x - points[2][0]).abs() < 1e-2, "x {x} vs {}", points[2][0]);
        assert!((y - points[2][1]).abs() < 1e-2, "y {y} vs {}", points[2][1]);
    }

    #[test]
    fn coincident_points_have_no_fit() {
        assert!(fit_similarity(&[[5.0, 5.0]; 5], 112, 112).is_none());
    }
}
