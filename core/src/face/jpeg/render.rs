//! Renders pixels from the coefficients: a rectangle of the upright photo at 1/1, 1/2, 1/4 or
//! 1/8 scale. A block rendered to n x n pixels keeps its lowest n x n frequencies, so the
//! result is the full-resolution photo low-pass filtered and decimated, with no extra pass
//! over the full-resolution pixels. 4:2:0 chroma at full scale is interpolated the same way,
//! by evaluating its 8x8 block at 16 x 16 points.

use std::cell::Ref;
use std::sync::OnceLock;

use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};

use super::JpegCoefficients;

/// Pixels rendered from a photo's coefficients, already turned upright. An upright photo
/// lends the whole canvas of the scale, in which the requested rectangle is rendered. A
/// turned photo gives a turned copy of the rectangle.
pub(crate) struct Rendered<'a> {
    image: RenderedImage<'a>,
    /// Position of the image's top-left corner, in pixels of the upright full-resolution photo.
    pub origin_x: f32,
    pub origin_y: f32,
    /// Each pixel of the image covers `scale` x `scale` photo pixels.
    pub scale: u32,
}

enum RenderedImage<'a> {
    Canvas(Ref<'a, RgbImage>),
    Turned(RgbImage),
}

impl Rendered<'_> {
    /// Returns the rendered pixels.
    pub fn image(&self) -> &RgbImage {
        match &self.image {
            RenderedImage::Canvas(image) => image,
            RenderedImage::Turned(image) => image,
        }
    }
}

/// A rectangle of whole MCUs: columns `first_x..end_x`, rows `first_y..end_y`.
struct McuRect {
    first_x: u32,
    first_y: u32,
    end_x: u32,
    end_y: u32,
}

/// The IDCT basis that evaluates an 8-point block at `points` output positions.
struct Basis {
    points: usize,
    /// Frequencies used: those above `points` would alias and are dropped.
    frequencies: usize,
    /// `table[x * 8 + u]`: weight of frequency u at output x, JPEG's normalisation included.
    table: [f32; 16 * 8],
}

/// The bases for 1, 2, 4, 8 and 16 points, computed once.
static BASES: OnceLock<[Basis; 5]> = OnceLock::new();

/// Returns the basis for `points`, a power of two from 1 to 16.
fn basis(points: usize) -> &'static Basis {
    let bases = BASES.get_or_init(|| [1, 2, 4, 8, 16].map(Basis::new));
    &bases[(points.trailing_zeros() as usize).min(4)]
}

impl Basis {
    fn new(points: usize) -> Basis {
        let mut table = [0.0f32; 16 * 8];
        for x in 0..points {
            for u in 0..8 {
                let normalisation = if u == 0 {
                    std::f32::consts::FRAC_1_SQRT_2
                } else {
                    1.0
                };
                let angle = ((2 * x + 1) * u) as f32 * std::f32::consts::PI / (2 * points) as f32;
                table[x * 8 + u] = normalisation / 2.0 * angle.cos();
            }
        }
        Basis {
            points,
            frequencies: points.min(8),
            table,
        }
    }
}

/// The pixels rendered so far at one scale, in stored (not yet upright) orientation. Stages
/// that read overlapping regions (the detector and passive liveness, landmarks and alignment)
/// render each MCU once.
pub(super) struct Canvas {
    scale: u32,
    /// The whole photo, padded to whole MCUs. Only the MCUs flagged in `rendered` are set.
    image: RgbImage,
    /// One flag an MCU, row-major.
    pub(super) rendered: Vec<bool>,
}

impl JpegCoefficients {
    /// Renders the rectangle (x0, y0)..(x1, y1) of the upright photo at 1/`scale`, widened to
    /// whole MCUs and clipped to the photo. `scale` must be 1, 2, 4 or 8. Along the right and
    /// bottom edges the result may include up to one MCU of the encoder's padding, which
    /// encoders fill by repeating the edge.
    pub fn render(&self, x0: f32, y0: f32, x1: f32, y1: f32, scale: u32) -> Rendered<'_> {
        let scale = scale.clamp(1, 8).next_power_of_two();

        // The stored (not yet upright) rectangle, in whole MCUs.
        let (stored_x0, stored_y0, stored_x1, stored_y1) = self.to_stored_rect(x0, y0, x1, y1);
        let mcu_width = 8 * self.max_h;
        let mcu_height = 8 * self.max_v;
        let first_x = (stored_x0 / mcu_width).min(self.mcus_wide - 1);
        let first_y = (stored_y0 / mcu_height).min(self.mcus_high - 1);
        let mcus = McuRect {
            first_x,
            first_y,
            end_x: stored_x1
                .div_ceil(mcu_width)
                .clamp(first_x + 1, self.mcus_wide),
            end_y: stored_y1
                .div_ceil(mcu_height)
                .clamp(first_y + 1, self.mcus_high),
        };
        let slot = scale.trailing_zeros() as usize;

        // While an earlier `Rendered` of this photo still borrows the canvas, this one renders
        // on a canvas of its own instead of sharing.
        let Ok(mut canvases) = self.canvases.try_borrow_mut() else {
            return self.render_apart(scale, &mcus);
        };
        let canvas = canvases[slot].get_or_insert_with(|| self.new_canvas(scale));
        self.fill(canvas, &mcus);
        drop(canvases);

        // An upright photo lends its canvas, and a turned one gets a turned copy of the
        // rectangle. The slot was filled above, so the last arm is only a panic-free fallback.
        match Ref::filter_map(self.canvases.borrow(), |all| all[slot].as_ref()) {
            Ok(canvas) if self.orientation == Orientation::NoTransforms => Rendered {
                image: RenderedImage::Canvas(Ref::map(canvas, |canvas| &canvas.image)),
                origin_x: 0.0,
                origin_y: 0.0,
                scale,
            },
            Ok(canvas) => self.copy_out(&canvas, &mcus),
            Err(_) => self.render_apart(scale, &mcus),
        }
    }

    /// Renders `mcus` on a canvas of their own and copies them out, sharing nothing.
    fn render_apart(&self, scale: u32, mcus: &McuRect) -> Rendered<'static> {
        let mut canvas = self.new_canvas(scale);
        self.fill(&mut canvas, mcus);
        self.copy_out(&canvas, mcus)
    }

    /// Renders the MCUs of `mcus` that `canvas` does not contain yet, run by run.
    fn fill(&self, canvas: &mut Canvas, mcus: &McuRect) {
        let mut planes: [Vec<f32>; 3] = Default::default();
        for mcu_y in mcus.first_y..mcus.end_y {
            let row = (mcu_y * self.mcus_wide) as usize;
            let mut mcu_x = mcus.first_x;
            while mcu_x < mcus.end_x {
                if canvas.rendered[row + mcu_x as usize] {
                    mcu_x += 1;
                    continue;
                }
                let run_start = mcu_x;
                while mcu_x < mcus.end_x && !canvas.rendered[row + mcu_x as usize] {
                    canvas.rendered[row + mcu_x as usize] = true;
                    mcu_x += 1;
                }
                self.render_run(canvas, &mut planes, mcu_y, run_start, mcu_x);
            }
        }
    }

    /// Copies the MCUs of `mcus` out of `canvas` and turns them upright.
    fn copy_out(&self, canvas: &Canvas, mcus: &McuRect) -> Rendered<'static> {
        let (mcu_width, mcu_height, scale) = (8 * self.max_h, 8 * self.max_v, canvas.scale);
        let left = mcus.first_x * mcu_width / scale;
        let top = mcus.first_y * mcu_height / scale;
        let width = (mcus.end_x - mcus.first_x) * mcu_width / scale;
        let height = (mcus.end_y - mcus.first_y) * mcu_height / scale;
        let stored = image::imageops::crop_imm(&canvas.image, left, top, width, height).to_image();
        let mut upright = DynamicImage::ImageRgb8(stored);
        upright.apply_orientation(self.orientation);
        let (origin_x, origin_y) = self.upright_origin(
            mcus.first_x * mcu_width,
            mcus.first_y * mcu_height,
            mcus.end_x * mcu_width,
            mcus.end_y * mcu_height,
        );
        Rendered {
            image: RenderedImage::Turned(upright.into_rgb8()),
            origin_x,
            origin_y,
            scale,
        }
    }

    /// Renders MCU row `mcu_y` at 1/`scale`. The decoder calls this as each row is decoded.
    pub(super) fn render_row(&self, scale: u32, mcu_y: u32) {
        let mut canvases = self.canvases.borrow_mut();
        let slot = scale.trailing_zeros() as usize;
        let canvas = canvases[slot].get_or_insert_with(|| self.new_canvas(scale));
        let row = (mcu_y * self.mcus_wide) as usize;
        canvas.rendered[row..row + self.mcus_wide as usize].fill(true);
        let mut planes: [Vec<f32>; 3] = Default::default();
        self.render_run(canvas, &mut planes, mcu_y, 0, self.mcus_wide);
    }

    fn new_canvas(&self, scale: u32) -> Canvas {
        let width = self.mcus_wide * 8 * self.max_h / scale;
        let height = self.mcus_high * 8 * self.max_v / scale;
        Canvas {
            scale,
            image: RgbImage::new(width, height),
            rendered: vec![false; (self.mcus_wide * self.mcus_high) as usize],
        }
    }

    /// Renders MCUs `first_mcu_x..end_mcu_x` of MCU row `mcu_y` into `canvas`, through
    /// `planes`, one sample grid a component, reused between calls.
    fn render_run(
        &self,
        canvas: &mut Canvas,
        planes: &mut [Vec<f32>; 3],
        mcu_y: u32,
        first_mcu_x: u32,
        end_mcu_x: u32,
    ) {
        let mcu_width = (8 * self.max_h / canvas.scale) as usize;
        let height = (8 * self.max_v / canvas.scale) as usize;
        let count = (end_mcu_x - first_mcu_x) as usize;
        let stride = count * mcu_width;
        let first_mcu = (mcu_y * self.mcus_wide + first_mcu_x) as usize;

        for (component, plane) in self.components.iter().zip(planes.iter_mut()) {
            plane.resize(stride * height, 0.0);
            let (h, v) = (component.h as usize, component.v as usize);
            let basis_x = basis(mcu_width / h);
            let basis_y = basis(height / v);

            for mcu in 0..count {
                for block_y in 0..v {
                    for block_x in 0..h {
                        let Some(coefficients) = component.block(first_mcu + mcu, block_x, block_y)
                        else {
                            continue;
                        };
                        let offset = block_y * basis_y.points * stride
                            + mcu * mcu_width
                            + block_x * basis_x.points;
                        idct_block(
                            coefficients,
                            &component.quant,
                            basis_x,
                            basis_y,
                            &mut plane[offset..],
                            stride,
                        );
                    }
                }
            }
        }

        let left = first_mcu_x as usize * mcu_width;
        let top = mcu_y as usize * height;
        for row in 0..height {
            let start = ((top + row) * canvas.image.width() as usize + left) * 3;
            let line = &mut (*canvas.image)[start..start + stride * 3];
            let samples = row * stride..(row + 1) * stride;
            if self.components.len() == 1 {
                for (pixel, &y) in line.chunks_exact_mut(3).zip(&planes[0][samples]) {
                    pixel.fill(to_byte(y));
                }
                continue;
            }
            let luma = &planes[0][samples.clone()];
            let blue = &planes[1][samples.clone()];
            let red = &planes[2][samples];
            for (((pixel, &y), &cb), &cr) in line.chunks_exact_mut(3).zip(luma).zip(blue).zip(red) {
                let (cb, cr) = (cb - 128.0, cr - 128.0);
                pixel[0] = to_byte(y + 1.402 * cr);
                pixel[1] = to_byte(y - 0.344_136 * cb - 0.714_136 * cr);
                pixel[2] = to_byte(y + 1.772 * cb);
            }
        }
    }

    /// Maps a rectangle of the upright photo to the stored photo's pixels, clipped to it.
    fn to_stored_rect(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> (u32, u32, u32, u32) {
        let (width, height) = (self.width as f32, self.height as f32);
        let to_stored = |x: f32, y: f32| match self.orientation {
            Orientation::NoTransforms => (x, y),
            Orientation::FlipHorizontal => (width - x, y),
            Orientation::Rotate180 => (width - x, height - y),
            Orientation::FlipVertical => (x, height - y),
            Orientation::Rotate90FlipH => (y, x),
            Orientation::Rotate90 => (y, height - x),
            Orientation::Rotate270FlipH => (width - y, height - x),
            Orientation::Rotate270 => (width - y, x),
        };
        let (ax, ay) = to_stored(x0, y0);
        let (bx, by) = to_stored(x1, y1);
        let clip = |value: f32, size: u32| value.clamp(0.0, size as f32);
        let left = clip(ax.min(bx), self.width).floor() as u32;
        let top = clip(ay.min(by), self.height).floor() as u32;
        let right = clip(ax.max(bx), self.width).ceil() as u32;
        let bottom = clip(ay.max(by), self.height).ceil() as u32;
        (left, top, right.max(left + 1), bottom.max(top + 1))
    }

    /// Returns the upright position of the top-left corner of the stored rectangle
    /// (x0, y0)..(x1, y1) once turned upright.
    fn upright_origin(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> (f32, f32) {
        let (width, height) = (self.width as f32, self.height as f32);
        let (x0, y0, x1, y1) = (x0 as f32, y0 as f32, x1 as f32, y1 as f32);
        match self.orientation {
            Orientation::NoTransforms => (x0, y0),
            Orientation::FlipHorizontal => (width - x1, y0),
            Orientation::Rotate180 => (width - x1, height - y1),
            Orientation::FlipVertical => (x0, height - y1),
            Orientation::Rotate90FlipH => (y0, x0),
            Orientation::Rotate90 => (height - y1, x0),
            Orientation::Rotate270FlipH => (height - y1, width - x1),
            Orientation::Rotate270 => (y0, width - x1),
        }
    }
}

/// Evaluates one block at `basis_x.points` x `basis_y.points` positions into `out`, whose
/// rows are `stride` apart. Samples are level-shifted back to 0..255 but not yet clamped.
fn idct_block(
    coefficients: &[i16],
    quant: &[f32; 64],
    basis_x: &Basis,
    basis_y: &Basis,
    out: &mut [f32],
    stride: usize,
) {
    match (basis_x.points, basis_y.points) {
        (2, 2) => return quarter_block(coefficients, quant, out, stride),
        (4, 4) => return idct_square::<4>(coefficients, quant, &basis_x.table, out, stride),
        (8, 8) => return idct_square::<8>(coefficients, quant, &basis_x.table, out, stride),
        _ => {}
    }

    let (columns, rows) = (basis_x.frequencies, basis_y.frequencies);
    let mut frequencies = [0.0f32; 64];
    let mut has_ac = false;
    for v in 0..rows {
        for u in 0..columns {
            let coefficient = coefficients[v * 8 + u];
            if coefficient != 0 {
                frequencies[v * 8 + u] = f32::from(coefficient) * quant[v * 8 + u];
                has_ac |= u + v != 0;
            }
        }
    }

    // A flat block, the common case at small scales, is one value. At one point a block
    // keeps only its DC coefficient, so it is always flat.
    if !has_ac {
        let value = frequencies[0] * basis_x.table[0] * basis_y.table[0] + 128.0;
        for y in 0..basis_y.points {
            out[y * stride..y * stride + basis_x.points].fill(value);
        }
        return;
    }

    // Rows first: partial[v][x] for the kept vertical frequencies v.
    let mut partial = [0.0f32; 8 * 16];
    for v in 0..rows {
        let row = &frequencies[v * 8..v * 8 + 8];
        for x in 0..basis_x.points {
            let weights = &basis_x.table[x * 8..x * 8 + 8];
            let mut sum = 0.0;
            for u in 0..columns {
                sum += row[u] * weights[u];
            }
            partial[v * 16 + x] = sum;
        }
    }
    for y in 0..basis_y.points {
        let weights = &basis_y.table[y * 8..y * 8 + 8];
        let line = &mut out[y * stride..y * stride + basis_x.points];
        for (x, sample) in line.iter_mut().enumerate() {
            let mut sum = 128.0;
            for v in 0..rows {
                sum += weights[v] * partial[v * 16 + x];
            }
            *sample = sum;
        }
    }
}

/// Evaluates a block at 2 x 2 points with one butterfly, as [`idct_block`] would: the weights
/// of frequencies 0 and 1 at the two points are all 1/(2 sqrt 2).
#[inline(always)]
fn quarter_block(coefficients: &[i16], quant: &[f32; 64], out: &mut [f32], stride: usize) {
    let dequantised = |index: usize| f32::from(coefficients[index]) * quant[index];
    let (dc, right, down, diagonal) = (
        dequantised(0),
        dequantised(1),
        dequantised(8),
        dequantised(9),
    );
    let (sum, difference) = (dc + down, dc - down);
    let (cross_sum, cross_difference) = (right + diagonal, right - diagonal);
    out[0] = (sum + cross_sum) * 0.125 + 128.0;
    out[1] = (sum - cross_sum) * 0.125 + 128.0;
    out[stride] = (difference + cross_difference) * 0.125 + 128.0;
    out[stride + 1] = (difference - cross_difference) * 0.125 + 128.0;
}

/// Evaluates a block at N x N points from its lowest N x N frequencies, as [`idct_block`]
/// would, with the sizes known at compile time so that the loops unroll.
fn idct_square<const N: usize>(
    coefficients: &[i16],
    quant: &[f32; 64],
    table: &[f32; 16 * 8],
    out: &mut [f32],
    stride: usize,
) {
    let mut frequencies = [[0.0f32; N]; N];
    let mut has_ac = false;
    for (v, row) in frequencies.iter_mut().enumerate() {
        for (u, frequency) in row.iter_mut().enumerate() {
            let coefficient = coefficients[v * 8 + u];
            *frequency = f32::from(coefficient) * quant[v * 8 + u];
            has_ac |= coefficient != 0 && u + v != 0;
        }
    }
    if !has_ac {
        let value = frequencies[0][0] * 0.125 + 128.0;
        for y in 0..N {
            out[y * stride..y * stride + N].fill(value);
        }
        return;
    }

    let mut partial = [[0.0f32; N]; N];
    for (row, partial_row) in frequencies.iter().zip(&mut partial) {
        for (x, sample) in partial_row.iter_mut().enumerate() {
            let weights = &table[x * 8..x * 8 + N];
            *sample = row.iter().zip(weights).map(|(f, w)| f * w).sum();
        }
    }
    for y in 0..N {
        let weights = &table[y * 8..y * 8 + N];
        let line = &mut out[y * stride..y * stride + N];
        for (x, sample) in line.iter_mut().enumerate() {
            let mut sum = 128.0;
            for (weight, partial_row) in weights.iter().zip(&partial) {
                sum += weight * partial_row[x];
            }
            *sample = sum;
        }
    }
}

/// Rounds and clamps a sample to 0..=255. The `as` conversion saturates and maps NaN to 0.
fn to_byte(value: f32) -> u8 {
    (value + 0.5) as u8
}
