//! Pixel sampling shared by the pipeline stages: cropping and resizing a region of the
//! full-resolution photo, warping it by a similarity transform, and packing the result into a
//! model input tensor as the manifest's pre-processing describes.

use image::RgbImage;

use super::manifest::{ChannelOrder, Preprocess};

/// A small RGB picture with 0..255 float samples, interleaved, row-major.
#[derive(Debug, Clone)]
pub(crate) struct Patch {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<f32>,
}

/// An axis-aligned rectangle in photo pixel coordinates; it may extend past the photo edges,
/// where the edge pixels are repeated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Region {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// Maps output pixel (u, v) to photo coordinates: x = a*u + b*v + c, y = d*u + e*v + f.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AffineMap {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Patch {
    /// Returns the mean grey level (0..255) of the patch.
    pub fn mean_grey(&self) -> f32 {
        let pixel_count = (self.width * self.height).max(1) as f32;
        let sum: f32 = self.rgb.chunks_exact(3).map(grey).sum();
        sum / pixel_count
    }

    /// Returns the grey levels of the patch, row-major.
    pub fn to_grey(&self) -> Vec<f32> {
        self.rgb.chunks_exact(3).map(grey).collect()
    }
}

/// ITU-R BT.601 luma, the weights OpenCV uses for its grey conversion.
fn grey(rgb: &[f32]) -> f32 {
    0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
}

/// Crops `region` and resizes it to `width` x `height`: box averaging where the region shrinks
/// (so a 4000-pixel photo does not alias), bilinear interpolation where it grows.
pub(crate) fn crop_resize(image: &RgbImage, region: Region, width: u32, height: u32) -> Patch {
    let step_x = region.width / width as f32;
    let step_y = region.height / height as f32;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);

    if step_x >= 1.0 && step_y >= 1.0 {
        let columns: Vec<(i64, i64)> = (0..width).map(|u| box_span(region.x, step_x, u)).collect();
        for v in 0..height {
            let (row_start, row_end) = box_span(region.y, step_y, v);
            for &(column_start, column_end) in &columns {
                let mut sum = [0u32; 3];
                for y in row_start..row_end {
                    let y = clamp_index(y, image.height());
                    for x in column_start..column_end {
                        let pixel = image.get_pixel(clamp_index(x, image.width()), y).0;
                        sum[0] += u32::from(pixel[0]);
                        sum[1] += u32::from(pixel[1]);
                        sum[2] += u32::from(pixel[2]);
                    }
                }
                let count = ((row_end - row_start) * (column_end - column_start)) as f32;
                rgb.extend(sum.iter().map(|&channel| channel as f32 / count));
            }
        }
    } else {
        for v in 0..height {
            let y = region.y + (v as f32 + 0.5) * step_y - 0.5;
            for u in 0..width {
                let x = region.x + (u as f32 + 0.5) * step_x - 0.5;
                rgb.extend(sample_bilinear(image, x, y));
            }
        }
    }

    Patch { width, height, rgb }
}

/// Warps the photo into a `width` x `height` patch through `map`, averaging n x n bilinear
/// samples per output pixel when the map shrinks the photo by n (at most 4).
pub(crate) fn warp_affine(image: &RgbImage, map: AffineMap, width: u32, height: u32) -> Patch {
    let shrink = (map.a * map.a + map.d * map.d).sqrt();
    let taps = shrink.ceil().clamp(1.0, 4.0) as u32;
    let tap_weight = 1.0 / (taps * taps) as f32;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);

    for v in 0..height {
        for u in 0..width {
            let mut sum = [0.0f32; 3];
            for tap_v in 0..taps {
                let sub_v = v as f32 + (tap_v as f32 + 0.5) / taps as f32 - 0.5;
                for tap_u in 0..taps {
                    let sub_u = u as f32 + (tap_u as f32 + 0.5) / taps as f32 - 0.5;
                    let x = map.a * sub_u + map.b * sub_v + map.c;
                    let y = map.d * sub_u + map.e * sub_v + map.f;
                    let sample = sample_bilinear(image, x, y);
                    for channel in 0..3 {
                        sum[channel] += sample[channel];
                    }
                }
            }
            rgb.extend(sum.iter().map(|channel| channel * tap_weight));
        }
    }

    Patch { width, height, rgb }
}

/// Packs `patch` into an NCHW tensor: channel order, mean and scale from `preprocess`.
pub(crate) fn patch_to_tensor(patch: &Patch, preprocess: &Preprocess) -> Vec<f32> {
    let plane = (patch.width * patch.height) as usize;
    let channel_count = preprocess.channels.channel_count();
    let mut tensor = vec![0.0f32; plane * channel_count];

    for (index, pixel) in patch.rgb.chunks_exact(3).enumerate() {
        match preprocess.channels {
            ChannelOrder::Rgb | ChannelOrder::Bgr => {
                for channel in 0..3 {
                    let source = if preprocess.channels == ChannelOrder::Rgb {
                        channel
                    } else {
                        2 - channel
                    };
                    tensor[channel * plane + index] =
                        (pixel[source] - preprocess.mean[channel]) * preprocess.scale[channel];
                }
            }
            ChannelOrder::Grey => {
                tensor[index] = (grey(pixel) - preprocess.mean[0]) * preprocess.scale[0];
            }
        }
    }
    tensor
}

fn box_span(origin: f32, step: f32, index: u32) -> (i64, i64) {
    let start = (origin + index as f32 * step).round() as i64;
    let end = (origin + (index + 1) as f32 * step).round() as i64;
    (start, end.max(start + 1))
}

fn clamp_index(index: i64, size: u32) -> u32 {
    index.clamp(0, i64::from(size) - 1) as u32
}

fn sample_bilinear(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let max_x = image.width() as f32 - 1.0;
    let max_y = image.height() as f32 - 1.0;
    let x = x.clamp(0.0, max_x);
    let y = y.clamp(0.0, max_y);
    let x0 = x.floor();
    let y0 = y.floor();
    let fx = x - x0;
    let fy = y - y0;
    let x1 = (x0 + 1.0).min(max_x) as u32;
    let y1 = (y0 + 1.0).min(max_y) as u32;
    let (x0, y0) = (x0 as u32, y0 as u32);

    let p00 = image.get_pixel(x0, y0).0;
    let p10 = image.get_pixel(x1, y0).0;
    let p01 = image.get_pixel(x0, y1).0;
    let p11 = image.get_pixel(x1, y1).0;
    let mut out = [0.0f32; 3];
    for channel in 0..3 {
        let top = f32::from(p00[channel]) * (1.0 - fx) + f32::from(p10[channel]) * fx;
        let bottom = f32::from(p01[channel]) * (1.0 - fx) + f32::from(p11[channel]) * fx;
        out[channel] = top * (1.0 - fy) + bottom * fy;
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;

    fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 50, 200]))
    }

    #[test]
    fn box_resize_averages() {
        let image = gradient(8, 8);
        let region = Region {
            x: 0.0,
            y: 0.0,
            width: 8.0,
            height: 8.0,
        };
        let patch = crop_resize(&image, region, 2, 2);
        assert_eq!(patch.rgb[0], 1.5, "mean of columns 0..4");
        assert_eq!(patch.rgb[3], 5.5, "mean of columns 4..8");
        assert_eq!(patch.rgb[1], 50.0);
    }

    #[test]
    fn identity_warp_copies() {
        let image = gradient(16, 16);
        let map = AffineMap {
            a: 1.0,
            b: 0.0,
            c: 0.0,
            d: 0.0,
            e: 1.0,
            f: 0.0,
        };
        let patch = warp_affine(&image, map, 16, 16);
        assert_eq!(patch.rgb[3 * 5], 5.0);
    }

    #[test]
    fn tensor_swaps_to_bgr() {
        let patch = Patch {
            width: 1,
            height: 1,
            rgb: vec![10.0, 20.0, 30.0],
        };
        let preprocess = Preprocess {
            width: 1,
            height: 1,
            channels: ChannelOrder::Bgr,
            mean: vec![0.0; 3],
            scale: vec![1.0; 3],
            crop_scale: 1.0,
        };
        assert_eq!(patch_to_tensor(&patch, &preprocess), vec![30.0, 20.0, 10.0]);
    }
}
