//! Face detection with the Ultra-Light RFB-320 detector. The whole photo is shrunk, aspect ratio
//! kept, into the detector's 320x240 input (the rest padded with mid-grey), so detection costs
//! the same on any camera. The boxes are mapped back to full-resolution pixel coordinates.

use serde::{Deserialize, Serialize};

use super::FaceError;
use super::manifest::Preprocess;
use super::photo::Photo;
use super::pixels::{Patch, Region, patch_to_tensor};
use super::runtime::ModelSession;

/// A detected face: box corners in photo pixels and the detector's confidence (0..1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaceBox {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub score: f32,
}

impl FaceBox {
    /// Returns the box width in pixels.
    pub fn width(&self) -> f32 {
        (self.x2 - self.x1).max(0.0)
    }

    /// Returns the box height in pixels.
    pub fn height(&self) -> f32 {
        (self.y2 - self.y1).max(0.0)
    }

    /// Returns the box area in square pixels.
    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    /// Returns the intersection over union of two boxes (0..1).
    pub fn iou(&self, other: &FaceBox) -> f32 {
        let width = (self.x2.min(other.x2) - self.x1.max(other.x1)).max(0.0);
        let height = (self.y2.min(other.y2) - self.y1.max(other.y1)).max(0.0);
        let intersection = width * height;
        let union = self.area() + other.area() - intersection;
        if union <= 0.0 {
            0.0
        } else {
            intersection / union
        }
    }
}

/// Detects every face scoring at least `min_score`, after non-maximum suppression at
/// `nms_iou`, largest score first.
pub(crate) fn detect_faces(
    session: &ModelSession,
    preprocess: &Preprocess,
    photo: &Photo,
    min_score: f32,
    nms_iou: f32,
) -> Result<Vec<FaceBox>, FaceError> {
    let input_width = preprocess.width;
    let input_height = preprocess.height;
    let (photo_width, photo_height) = photo.dimensions();
    let scale =
        (input_width as f32 / photo_width as f32).min(input_height as f32 / photo_height as f32);
    let content_width = ((photo_width as f32 * scale).round() as u32).clamp(1, input_width);
    let content_height = ((photo_height as f32 * scale).round() as u32).clamp(1, input_height);

    let content = photo.crop_resize(
        Region {
            x: 0.0,
            y: 0.0,
            width: photo_width as f32,
            height: photo_height as f32,
        },
        content_width,
        content_height,
    );
    let letterboxed = letterbox(&content, input_width, input_height, &preprocess.mean);
    let tensor = patch_to_tensor(&letterboxed, preprocess);
    let channel_count = preprocess.channels.channel_count();
    let outputs = session.run(
        [
            1,
            channel_count,
            input_height as usize,
            input_width as usize,
        ],
        &tensor,
    )?;
    let [scores, boxes] = outputs.as_slice() else {
        return Err(FaceError::Inference {
            model: "detect",
            detail: format!(
                "expected 2 outputs (scores, boxes), found {}",
                outputs.len()
            ),
        });
    };
    if scores.len() % 2 != 0 || boxes.len() != scores.len() * 2 {
        return Err(FaceError::Inference {
            model: "detect",
            detail: format!(
                "scores ({} values) and boxes ({} values) do not describe the same anchors",
                scores.len(),
                boxes.len()
            ),
        });
    }

    // Boxes are corner form, 0..1 of the 320x240 input; dividing by `scale` undoes the shrink.
    let to_photo_x = input_width as f32 / scale;
    let to_photo_y = input_height as f32 / scale;
    let mut candidates: Vec<FaceBox> = scores
        .chunks_exact(2)
        .zip(boxes.chunks_exact(4))
        .filter(|(score, _)| score[1] >= min_score)
        .map(|(score, corners)| FaceBox {
            x1: corners[0] * to_photo_x,
            y1: corners[1] * to_photo_y,
            x2: corners[2] * to_photo_x,
            y2: corners[3] * to_photo_y,
            score: score[1],
        })
        .filter(|face| face.area() > 0.0)
        .collect();
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));

    Ok(suppress_overlaps(candidates, nms_iou))
}

/// Greedy non-maximum suppression over boxes sorted by descending score.
pub(crate) fn suppress_overlaps(sorted: Vec<FaceBox>, max_iou: f32) -> Vec<FaceBox> {
    let mut kept: Vec<FaceBox> = Vec::new();
    for candidate in sorted {
        if kept.iter().all(|face| face.iou(&candidate) <= max_iou) {
            kept.push(candidate);
        }
    }
    kept
}

/// Places `content` at the top-left of a `width` x `height` patch filled with `fill`, the
/// value that the mean subtraction turns into zero.
fn letterbox(content: &Patch, width: u32, height: u32, fill: &[f32]) -> Patch {
    let fill_value = fill.first().copied().unwrap_or(127.0);
    let mut rgb = vec![fill_value; (width * height * 3) as usize];
    for row in 0..content.height {
        let source = (row * content.width * 3) as usize;
        let target = (row * width * 3) as usize;
        let length = (content.width * 3) as usize;
        rgb[target..target + length].copy_from_slice(&content.rgb[source..source + length]);
    }
    Patch { width, height, rgb }
}

#[cfg(test)]
mod test {
    use super::*;

    fn face(x1: f32, score: f32) -> FaceBox {
        FaceBox {
            x1,
            y1: 0.0,
            x2: x1 + 10.0,
            y2: 10.0,
            score,
        }
    }

    #[test]
    fn nms_drops_overlapping_box() {
        let kept = suppress_overlaps(vec![face(0.0, 0.9), face(1.0, 0.8), face(50.0, 0.7)], 0.3);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].x1, 50.0);
    }

    #[test]
    fn iou_of_identical_boxes_is_one() {
        assert_eq!(face(0.0, 1.0).iou(&face(0.0, 1.0)), 1.0);
        assert_eq!(face(0.0, 1.0).iou(&face(20.0, 1.0)), 0.0);
    }
}
