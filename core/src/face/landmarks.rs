//! The 68-point iBUG landmarks of one face, from fr_landmark run on the face box, and what the
//! later stages read from them: the five alignment points, the eye boxes and a yaw estimate.

use super::FaceError;
use super::detect::FaceBox;
use super::manifest::Preprocess;
use super::photo::Photo;
use super::pixels::{Patch, Region, patch_to_tensor};
use super::runtime::ModelSession;

/// Number of points in the iBUG 68-point layout.
pub const LANDMARK_COUNT: usize = 68;

/// 68 (x, y) points in photo pixel coordinates, in iBUG order (0..16 jaw, 36..41 the eye on
/// the left of the picture, 42..47 the other eye, 30 nose tip, 48 and 54 mouth corners).
#[derive(Debug, Clone, PartialEq)]
pub struct Landmarks {
    pub points: Vec<[f32; 2]>,
}

/// Runs the landmark model on `face` and returns the points together with the crop the model
/// saw (reused for the brightness gate).
pub(crate) fn locate_landmarks(
    session: &ModelSession,
    preprocess: &Preprocess,
    photo: &Photo,
    face: &FaceBox,
) -> Result<(Landmarks, Patch), FaceError> {
    let region = scaled_region(face, preprocess.crop_scale);
    let patch = photo.crop_resize(region, preprocess.width, preprocess.height);
    let tensor = patch_to_tensor(&patch, preprocess);
    let outputs = session.run(
        [1, 1, preprocess.height as usize, preprocess.width as usize],
        &tensor,
    )?;
    let values = outputs.first().map(Vec::as_slice).unwrap_or_default();
    if values.len() != LANDMARK_COUNT * 2 {
        return Err(FaceError::Inference {
            model: "landmark",
            detail: format!(
                "expected {} values, found {}",
                LANDMARK_COUNT * 2,
                values.len()
            ),
        });
    }

    // The model returns each point as a fraction of the crop's width and height.
    let points = values
        .chunks_exact(2)
        .map(|pair| {
            [
                region.x + pair[0] * region.width,
                region.y + pair[1] * region.height,
            ]
        })
        .collect();
    Ok((Landmarks { points }, patch))
}

/// Returns the face box enlarged by `scale` around its centre.
pub(crate) fn scaled_region(face: &FaceBox, scale: f32) -> Region {
    let width = face.width() * scale;
    let height = face.height() * scale;
    Region {
        x: (face.x1 + face.x2) / 2.0 - width / 2.0,
        y: (face.y1 + face.y2) / 2.0 - height / 2.0,
        width,
        height,
    }
}

impl Landmarks {
    fn mean_of(&self, indices: &[usize]) -> [f32; 2] {
        let mut sum = [0.0f32; 2];
        for &index in indices {
            sum[0] += self.points[index][0];
            sum[1] += self.points[index][1];
        }
        let count = indices.len() as f32;
        [sum[0] / count, sum[1] / count]
    }

    /// Returns the five alignment points in ArcFace template order: eye centre on the left of
    /// the picture, the other eye centre, nose tip, left and right mouth corners.
    pub fn five_points(&self) -> [[f32; 2]; 5] {
        [
            self.mean_of(&[36, 37, 38, 39, 40, 41]),
            self.mean_of(&[42, 43, 44, 45, 46, 47]),
            self.points[30],
            self.points[48],
            self.points[54],
        ]
    }

    /// Returns the two square eye regions that fr_eye reads: centred on the eyelid points,
    /// 1.6 times the eye's corner-to-corner width on each side.
    pub(crate) fn eye_regions(&self) -> [Region; 2] {
        let region = |lids: &[usize], corner_a: usize, corner_b: usize| {
            let centre = self.mean_of(lids);
            let side = ((self.points[corner_b][0] - self.points[corner_a][0]).abs() * 1.6).max(4.0);
            Region {
                x: centre[0] - side / 2.0,
                y: centre[1] - side / 2.0,
                width: side,
                height: side,
            }
        };
        [
            region(&[37, 38, 40, 41], 36, 39),
            region(&[43, 44, 46, 47], 42, 45),
        ]
    }

    /// Estimates the head's yaw in degrees (0 = facing the camera) from where the nose tip
    /// sits between the two ends of the jaw line.
    ///
    /// NOTE: a geometric estimate, not a fitted head pose; expect errors of about 10 degrees.
    pub fn yaw_deg(&self) -> f32 {
        let left = self.points[0][0];
        let right = self.points[16][0];
        let span = right - left;
        if span.abs() < 1.0 {
            return 90.0;
        }
        let position = (self.points[30][0] - left) / span;
        let sine = (2.0 * position - 1.0).clamp(-1.0, 1.0);
        sine.asin().to_degrees().abs()
    }

    /// Returns whether every point lies inside a `width` x `height` photo.
    pub fn inside(&self, width: u32, height: u32) -> bool {
        self.points.iter().all(|point| {
            point[0] >= 0.0
                && point[1] >= 0.0
                && point[0] < width as f32
                && point[1] < height as f32
        })
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn symmetric_face() -> Landmarks {
        let mut points = vec![[50.0f32, 50.0]; LANDMARK_COUNT];
        points[0] = [0.0, 40.0];
        points[16] = [100.0, 40.0];
        points[30] = [50.0, 60.0];
        Landmarks { points }
    }

    #[test]
    fn frontal_face_has_zero_yaw() {
        assert!(symmetric_face().yaw_deg() < 0.01);
    }

    #[test]
    fn nose_near_jaw_end_is_turned() {
        let mut face = symmetric_face();
        face.points[30] = [90.0, 60.0];
        assert!(face.yaw_deg() > 45.0, "yaw {}", face.yaw_deg());
    }
}
