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

/// An axis-aligned rectangle in photo pixel coordinates. It may extend past the photo edges,
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

impl AffineMap {
    /// Returns the photo rectangle (min x, min y, max x, max y) that the corners of a
    /// `width` x `height` output map to.
    pub fn bounds(&self, width: u32, height: u32) -> (f32, f32, f32, f32) {
        let corners = [
            (-0.5, -0.5),
            (width as f32, -0.5),
            (-0.5, height as f32),
            (width as f32, height as f32),
        ];
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (u, v) in corners {
            let x = self.a * u + self.b * v + self.c;
            let y = self.d * u + self.e * v + self.f;
            min_x = min_x.min(x);
            min_y = min_y.min(y);
            max_x = max_x.max(x);
            max_y = max_y.max(y);
        }
        (min_x, min_y, max_x, max_y)
    }
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

    // One photo pixel an output pixel, inside the photo: a copy. The detector's quarter-scale
    // rendering of a selfie comes this way.
    let (left, top) = (region.x as u32, region.y as u32);
    if step_x == 1.0
        && step_y == 1.0
        && region.x == left as f32
        && region.y == top as f32
        && left + width <= image.width()
        && top + height <= image.height()
    {
        let row_bytes = image.width() as usize * 3;
        for row in image
            .as_raw()
            .chunks_exact(row_bytes)
            .skip(top as usize)
            .take(height as usize)
        {
            let span = &row[left as usize * 3..(left + width) as usize * 3];
            rgb.extend(span.iter().map(|&sample| f32::from(sample)));
        }
        return Patch { width, height, rgb };
    }

    if step_x >= 4.0 && step_y >= 4.0 {
        // Each output pixel covers 4 x 4 photo pixels or more. Averaging every second row and
        // column of its box still takes at least 2 x 2 samples, and reads a quarter of the photo.
        // The byte offset of every second column of each output pixel's box, edges clamped.
        let column_offsets: Vec<Vec<usize>> = (0..width)
            .map(|u| {
                let (column_start, column_end) = box_span(region.x, step_x, u);
                (column_start..column_end)
                    .step_by(2)
                    .map(|x| clamp_index(x, image.width()) as usize * 3)
                    .collect()
            })
            .collect();
        let row_bytes = image.width() as usize * 3;
        let pixels = image.as_raw();
        for v in 0..height {
            let (row_start, row_end) = box_span(region.y, step_y, v);
            for offsets in &column_offsets {
                let mut sum = [0u32; 3];
                let mut count = 0u32;
                for y in (row_start..row_end).step_by(2) {
                    let row_offset = clamp_index(y, image.height()) as usize * row_bytes;
                    let row = &pixels[row_offset..row_offset + row_bytes];
                    for &offset in offsets {
                        sum[0] += u32::from(row[offset]);
                        sum[1] += u32::from(row[offset + 1]);
                        sum[2] += u32::from(row[offset + 2]);
                    }
                    count += offsets.len() as u32;
                }
                rgb.extend(sum.iter().map(|&channel| channel as f32 / count as f32));
            }
        }
    } else if step_x >= 1.0 && step_y >= 1.0 {
        let columns: Vec<(i64, i64)> = (0..width).map(|u| box_span(region.x, step_x, u)).collect();
        let row_bytes = image.width() as usize * 3;
        let pixels = image.as_raw();
        let mut sums = vec![0u32; width as usize * 3];
        for v in 0..height {
            let (row_start, row_end) = box_span(region.y, step_y, v);
            sums.fill(0);
            for y in row_start..row_end {
                let row_offset = clamp_index(y, image.height()) as usize * row_bytes;
                let row = &pixels[row_offset..row_offset + row_bytes];
                for (sum, &(column_start, column_end)) in sums.chunks_exact_mut(3).zip(&columns) {
                    add_row_span(sum, row, column_start, column_end);
                }
            }
            for (sum, &(column_start, column_end)) in sums.chunks_exact(3).zip(&columns) {
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

/// Warps the photo into a `width` x `height` patch through `map`. Where the map shrinks the
/// photo by 2 or more, the region it reads is first box-averaged by that whole factor. Each
/// output pixel then averages at most 2 x 2 bilinear samples instead of up to 4 x 4.
pub(crate) fn warp_affine(image: &RgbImage, map: AffineMap, width: u32, height: u32) -> Patch {
    let shrink = (map.a * map.a + map.d * map.d).sqrt();
    if shrink < 2.0 {
        // Where every tap lands at least one pixel inside the right and bottom edges, no
        // sample needs clamping, and the cheaper sampler gives the same values.
        let (min_x, min_y, max_x, max_y) = map.bounds(width, height);
        if min_x >= 0.0
            && min_y >= 0.0
            && max_x < image.width() as f32 - 1.0
            && max_y < image.height() as f32 - 1.0
        {
            let (pixels, stride) = (image.as_raw(), image.width() as usize * 3);
            return warp_with(
                |x, y| sample_bilinear_inside(pixels, stride, x, y),
                map,
                shrink,
                width,
                height,
            );
        }
        return warp_with(
            |x, y| sample_bilinear(image, x, y),
            map,
            shrink,
            width,
            height,
        );
    }

    // The photo rectangle the output reads, widened by one factor on each side.
    let factor = shrink.floor();
    let (min_x, min_y, max_x, max_y) = map.bounds(width, height);
    let origin_x = (min_x - factor).floor();
    let origin_y = (min_y - factor).floor();
    let small_width = ((max_x + factor - origin_x) / factor).ceil().max(1.0) as u32;
    let small_height = ((max_y + factor - origin_y) / factor).ceil().max(1.0) as u32;
    let region = Region {
        x: origin_x,
        y: origin_y,
        width: small_width as f32 * factor,
        height: small_height as f32 * factor,
    };
    let small = crop_resize(image, region, small_width, small_height);

    // Small pixel i covers photo pixels origin + i*factor ..; its centre is at
    // origin + (i + 0.5) * factor - 0.5, so i = (x - origin + 0.5) / factor - 0.5.
    let small_map = AffineMap {
        a: map.a / factor,
        b: map.b / factor,
        c: (map.c - origin_x + 0.5) / factor - 0.5,
        d: map.d / factor,
        e: map.e / factor,
        f: (map.f - origin_y + 0.5) / factor - 0.5,
    };
    warp_with(
        |x, y| sample_patch(&small, x, y),
        small_map,
        shrink / factor,
        width,
        height,
    )
}

/// Averages n x n samples per output pixel, n = ceil(shrink) clamped to 1..=4.
fn warp_with<S: Fn(f32, f32) -> [f32; 3]>(
    sample: S,
    map: AffineMap,
    shrink: f32,
    width: u32,
    height: u32,
) -> Patch {
    let taps = shrink.ceil().clamp(1.0, 4.0) as u32;
    let tap_weight = 1.0 / (taps * taps) as f32;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    // Where each tap sits inside its output pixel, computed once instead of per pixel.
    let tap_offsets: Vec<f32> = (0..taps)
        .map(|tap| (tap as f32 + 0.5) / taps as f32)
        .collect();

    for v in 0..height {
        for u in 0..width {
            let mut sum = [0.0f32; 3];
            for &offset_v in &tap_offsets {
                let sub_v = v as f32 + offset_v - 0.5;
                for &offset_u in &tap_offsets {
                    let sub_u = u as f32 + offset_u - 0.5;
                    let x = map.a * sub_u + map.b * sub_v + map.c;
                    let y = map.d * sub_u + map.e * sub_v + map.f;
                    let value = sample(x, y);
                    for channel in 0..3 {
                        sum[channel] += value[channel];
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

/// Adds the pixels `start..end` of one row to `sum`, repeating the edge pixels for indices
/// outside the row.
fn add_row_span(sum: &mut [u32], row: &[u8], start: i64, end: i64) {
    let width = (row.len() / 3) as i64;
    let inside_start = start.clamp(0, width);
    let inside_end = end.clamp(0, width);
    let left_count = (end.min(0) - start).max(0) as u32;
    let right_count = (end - start.max(width)).max(0) as u32;

    for pixel in row[inside_start as usize * 3..inside_end as usize * 3].chunks_exact(3) {
        sum[0] += u32::from(pixel[0]);
        sum[1] += u32::from(pixel[1]);
        sum[2] += u32::from(pixel[2]);
    }
    for channel in 0..3 {
        sum[channel] += left_count * u32::from(row[channel]);
        sum[channel] += right_count * u32::from(row[row.len() - 3 + channel]);
    }
}

fn clamp_index(index: i64, size: u32) -> u32 {
    index.clamp(0, i64::from(size) - 1) as u32
}

fn sample_bilinear(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let width = image.width() as usize;
    let max_x = image.width() as f32 - 1.0;
    let max_y = image.height() as f32 - 1.0;
    let x = x.clamp(0.0, max_x);
    let y = y.clamp(0.0, max_y);
    // Truncation is floor for these non-negative values, and unlike `f32::floor` it needs no
    // libm call on baseline x86_64.
    let x0 = (x as u32) as f32;
    let y0 = (y as u32) as f32;
    let fx = x - x0;
    let fy = y - y0;
    let x1 = (x0 + 1.0).min(max_x) as usize;
    let y1 = (y0 + 1.0).min(max_y) as usize;
    let (x0, y0) = (x0 as usize, y0 as usize);

    let pixels = image.as_raw();
    let at = |x: usize, y: usize| (y * width + x) * 3;
    let (i00, i10, i01, i11) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mut out = [0.0f32; 3];
    for channel in 0..3 {
        let top =
            f32::from(pixels[i00 + channel]) * (1.0 - fx) + f32::from(pixels[i10 + channel]) * fx;
        let bottom =
            f32::from(pixels[i01 + channel]) * (1.0 - fx) + f32::from(pixels[i11 + channel]) * fx;
        out[channel] = top * (1.0 - fy) + bottom * fy;
    }
    out
}

/// Samples like [`sample_bilinear`] where 0 <= x < width - 1 and 0 <= y < height - 1, which
/// needs no clamping. `stride` is the row length in bytes.
#[inline(always)]
fn sample_bilinear_inside(pixels: &[u8], stride: usize, x: f32, y: f32) -> [f32; 3] {
    let (x0, y0) = (x as usize, y as usize);
    let fx = x - x0 as f32;
    let fy = y - y0 as f32;
    let start = y0 * stride + x0 * 3;
    let top = &pixels[start..start + 6];
    let bottom = &pixels[start + stride..start + stride + 6];
    let mut out = [0.0f32; 3];
    for channel in 0..3 {
        let upper = f32::from(top[channel]) * (1.0 - fx) + f32::from(top[channel + 3]) * fx;
        let lower = f32::from(bottom[channel]) * (1.0 - fx) + f32::from(bottom[channel + 3]) * fx;
        out[channel] = upper * (1.0 - fy) + lower * fy;
    }
    out
}

fn sample_patch(patch: &Patch, x: f32, y: f32) -> [f32; 3] {
    let width = patch.width as usize;
    let max_x = patch.width as f32 - 1.0;
    let max_y = patch.height as f32 - 1.0;
    let x = x.clamp(0.0, max_x);
    let y = y.clamp(0.0, max_y);
    // Truncation is floor for these non-negative values, and unlike `f32::floor` it needs no
    // libm call on baseline x86_64.
    let x0 = (x as u32) as f32;
    let y0 = (y as u32) as f32;
    let fx = x - x0;
    let fy = y - y0;
    let x1 = (x0 + 1.0).min(max_x) as usize;
    let y1 = (y0 + 1.0).min(max_y) as usize;
    let (x0, y0) = (x0 as usize, y0 as usize);

    let at = |x: usize, y: usize| {
        let start = (y * width + x) * 3;
        &patch.rgb[start..start + 3]
    };
    let (p00, p10, p01, p11) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    std::array::from_fn(|channel| {
        let top = p00[channel] * (1.0 - fx) + p10[channel] * fx;
        let bottom = p01[channel] * (1.0 - fx) + p11[channel] * fx;
        top * (1.0 - fy) + bottom * fy
    })
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
        let patch = crop_resize(&image, region, 4, 4);
        assert_eq!(patch.rgb[0], 0.5, "mean of columns 0 and 1");
        assert_eq!(patch.rgb[3], 2.5, "mean of columns 2 and 3");
        assert_eq!(patch.rgb[1], 50.0);
    }

    #[test]
    fn one_to_one_crop_matches_box_path() {
        let image = RgbImage::from_fn(12, 9, |x, y| {
            image::Rgb([(x * 20) as u8, (y * 25) as u8, 7])
        });
        let region = Region {
            x: 3.0,
            y: 2.0,
            width: 5.0,
            height: 4.0,
        };
        let copied = crop_resize(&image, region, 5, 4);
        assert_eq!(&copied.rgb[..3], &[60.0, 50.0, 7.0], "pixel (3, 2)");

        // The same crop one pixel wider takes the box path; its first columns agree.
        let boxed = crop_resize(
            &image,
            Region {
                width: 6.0,
                ..region
            },
            6,
            4,
        );
        for row in 0..4 {
            assert_eq!(
                copied.rgb[row * 15..row * 15 + 15],
                boxed.rgb[row * 18..row * 18 + 15]
            );
        }
    }

    #[test]
    fn inside_sampler_matches_clamping_one() {
        let image = RgbImage::from_fn(9, 7, |x, y| {
            image::Rgb([(x * 29 + y * 3) as u8, (y * 37) as u8, (x * y * 5) as u8])
        });
        let (pixels, stride) = (image.as_raw(), 9 * 3);
        for (x, y) in [(0.0, 0.0), (0.25, 3.5), (7.99, 5.99), (4.5, 0.75)] {
            assert_eq!(
                sample_bilinear_inside(pixels, stride, x, y),
                sample_bilinear(&image, x, y),
                "({x}, {y})"
            );
        }
    }

    #[test]
    fn large_shrink_samples_every_second_pixel() {
        let image = gradient(16, 16);
        let region = Region {
            x: 0.0,
            y: 0.0,
            width: 16.0,
            height: 16.0,
        };
        let patch = crop_resize(&image, region, 2, 2);
        assert_eq!(patch.rgb[0], 3.0, "mean of columns 0, 2, 4, 6");
        assert_eq!(patch.rgb[3], 11.0, "mean of columns 8, 10, 12, 14");
    }

    #[test]
    fn region_outside_repeats_edge() {
        let image = gradient(8, 8);
        let region = Region {
            x: -4.0,
            y: 0.0,
            width: 8.0,
            height: 8.0,
        };
        let patch = crop_resize(&image, region, 4, 4);
        assert_eq!(patch.rgb[0], 0.0, "columns -4..-2 repeat column 0");
        assert_eq!(patch.rgb[6], 0.5, "columns 0 and 1");
        let right = Region {
            x: 6.0,
            y: 0.0,
            width: 4.0,
            height: 8.0,
        };
        let patch = crop_resize(&image, right, 2, 4);
        assert_eq!(patch.rgb[0], 6.5, "columns 6 and 7");
        assert_eq!(patch.rgb[3], 7.0, "columns 8 and 9 repeat column 7");
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
    fn shrinking_warp_matches_direct_sampling() {
        // A smooth image shrunk 3 times: the pre-averaged path must agree with a direct
        // bilinear read at the same point to within a grey level.
        let image = RgbImage::from_fn(300, 300, |x, y| {
            image::Rgb([(x / 2) as u8, (y / 2) as u8, 90])
        });
        let map = AffineMap {
            a: 3.0,
            b: 0.0,
            c: 40.0,
            d: 0.0,
            e: 3.0,
            f: 20.0,
        };
        let patch = warp_affine(&image, map, 64, 64);
        let (u, v) = (30usize, 17usize);
        let expected = sample_bilinear(&image, 3.0 * u as f32 + 40.0, 3.0 * v as f32 + 20.0);
        let index = (v * 64 + u) * 3;
        assert!(
            (patch.rgb[index] - expected[0]).abs() < 1.0,
            "{} vs {}",
            patch.rgb[index],
            expected[0]
        );
        assert!(
            (patch.rgb[index + 1] - expected[1]).abs() < 1.0,
            "{} vs {}",
            patch.rgb[index + 1],
            expected[1]
        );
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
