//! A reader for the JPEG photos phone cameras write: baseline Huffman coding, 8-bit samples,
//! one interleaved scan, grey or YCbCr with 4:4:4, 4:2:2, 4:4:0 or 4:2:0 chroma. It decodes the
//! entropy-coded data once into quantised DCT coefficients, and renders pixels only where the
//! pipeline reads them, each at the coarsest scale that reading needs (see [`render`]).
//!
//! Every crop still comes from the full-resolution data: rendering at 1/n keeps each
//! block's lowest frequencies, and n is never more than the photo pixels a crop pixel
//! covers. In the face benchmark, reading a 1280x960 selfie this way, the detector's 320x240
//! preview included, takes 0.6 to 0.7 of the time the general decoder takes for its pixels.
//!
//! Every other JPEG (progressive, arithmetic-coded, 12-bit, CMYK, several scans) and every
//! malformed one gets `None` from [`read_jpeg`], and the general decoder takes it.

mod bits;
mod render;

use std::cell::RefCell;

use image::metadata::Orientation;
use tracing::debug;

use bits::{BitReader, HuffmanTable, ZIGZAG};
use render::Canvas;
pub(crate) use render::Rendered;

/// The quantised DCT coefficients of a whole photo, with what is needed to render them.
pub(crate) struct JpegCoefficients {
    width: u32,
    height: u32,
    /// Largest horizontal and vertical sampling factors: an MCU is 8 times these in pixels.
    max_h: u32,
    max_v: u32,
    mcus_wide: u32,
    mcus_high: u32,
    components: Vec<Component>,
    orientation: Orientation,
    /// Pixels rendered so far, one canvas for each of the scales 1, 2, 4 and 8.
    canvases: RefCell<[Option<Canvas>; 4]>,
}

/// One colour component's sampling factors, dequantisation and coefficients.
struct Component {
    h: u32,
    v: u32,
    /// Dequantisation factors in natural order.
    quant: [f32; 64],
    /// 64 coefficients a block in natural order. Blocks are in scan order: MCU by MCU,
    /// row-major, and within an MCU the component's h x v blocks row-major.
    coefficients: Vec<i16>,
}

impl Component {
    /// Returns the coefficients of block (`block_x`, `block_y`) of MCU number `mcu`.
    fn block(&self, mcu: usize, block_x: usize, block_y: usize) -> Option<&[i16]> {
        let blocks_per_mcu = (self.h * self.v) as usize;
        let index = mcu * blocks_per_mcu + block_y * self.h as usize + block_x;
        self.coefficients.get(index * 64..index * 64 + 64)
    }
}

/// One component of the frame header.
#[derive(Clone, Copy)]
struct FrameComponent {
    id: u8,
    h: u32,
    v: u32,
    quant_table: usize,
}

/// Reads `bytes` into coefficients, or returns `None` (with the reason in a debug log) when
/// the photo is not one this reader takes or exceeds `max_pixels`. With `preview`, the
/// detector's input size, the whole photo is also rendered at the scale the detector reads.
pub(crate) fn read_jpeg(
    bytes: &[u8],
    max_pixels: u64,
    preview: Option<(u32, u32)>,
) -> Option<JpegCoefficients> {
    match read(bytes, max_pixels, preview) {
        Ok(coefficients) => Some(coefficients),
        Err(reason) => {
            debug!(reason, "JPEG left to the general decoder");
            None
        }
    }
}

impl JpegCoefficients {
    /// Returns the width and height after the EXIF orientation is applied.
    pub fn dimensions(&self) -> (u32, u32) {
        if swaps_axes(self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

fn read(
    bytes: &[u8],
    max_pixels: u64,
    preview: Option<(u32, u32)>,
) -> Result<JpegCoefficients, &'static str> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("no start-of-image marker");
    }
    let mut position = 2;
    let mut quant_tables: [Option<[u16; 64]>; 4] = [None; 4];
    let mut dc_tables: [Option<HuffmanTable>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<HuffmanTable>; 4] = [None, None, None, None];
    let mut frame: Option<(u32, u32, Vec<FrameComponent>)> = None;
    let mut restart_interval = 0u32;
    let mut orientation = Orientation::NoTransforms;
    let mut adobe_transform = None;

    loop {
        let marker = next_marker(bytes, &mut position)?;
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            continue;
        }
        if marker == 0xD9 {
            return Err("the photo ends before its scan");
        }
        let segment = read_segment(bytes, &mut position)?;
        match marker {
            0xC0 | 0xC1 => frame = Some(parse_frame(segment, max_pixels)?),
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err("not a baseline Huffman-coded JPEG");
            }
            0xC4 => parse_huffman_tables(segment, &mut dc_tables, &mut ac_tables)?,
            0xDB => parse_quant_tables(segment, &mut quant_tables)?,
            0xDD => {
                let [high, low, ..] = *segment else {
                    return Err("a short restart interval segment");
                };
                restart_interval = u32::from(u16::from_be_bytes([high, low]));
            }
            0xE1 => {
                // A broken EXIF block counts as upright, as in the general decoder.
                if let Some(exif) = segment.strip_prefix(b"Exif\0\0")
                    && let Some(found) = Orientation::from_exif_chunk(exif)
                {
                    orientation = found;
                }
            }
            0xEE if segment.starts_with(b"Adobe") => adobe_transform = segment.get(11).copied(),
            0xDA => {
                let Some((width, height, components)) = frame else {
                    return Err("a scan before the frame header");
                };
                if components.len() == 3 && adobe_transform == Some(0) {
                    return Err("RGB colour, not YCbCr");
                }
                let scan = ScanSetup {
                    width,
                    height,
                    frame: &components,
                    quant_tables: &quant_tables,
                    dc_tables: &dc_tables,
                    ac_tables: &ac_tables,
                    restart_interval,
                    orientation,
                    preview,
                };
                return decode_scan(&scan, segment, &bytes[position..]);
            }
            _ => {}
        }
    }
}

/// Returns the marker code at `position`, skipping fill bytes, and moves past it.
fn next_marker(bytes: &[u8], position: &mut usize) -> Result<u8, &'static str> {
    if bytes.get(*position) != Some(&0xFF) {
        return Err("marker segments are not contiguous");
    }
    while bytes.get(*position) == Some(&0xFF) {
        *position += 1;
    }
    let marker = *bytes
        .get(*position)
        .ok_or("the photo ends inside a marker")?;
    *position += 1;
    Ok(marker)
}

/// Returns the payload of the segment whose length field is at `position`, and moves past it.
fn read_segment<'a>(bytes: &'a [u8], position: &mut usize) -> Result<&'a [u8], &'static str> {
    let length = match bytes.get(*position..*position + 2) {
        Some(&[high, low]) => usize::from(u16::from_be_bytes([high, low])),
        _ => return Err("the photo ends inside a segment length"),
    };
    if length < 2 {
        return Err("a segment length below 2");
    }
    let segment = bytes
        .get(*position + 2..*position + length)
        .ok_or("the photo ends inside a segment")?;
    *position += length;
    Ok(segment)
}

fn parse_frame(
    segment: &[u8],
    max_pixels: u64,
) -> Result<(u32, u32, Vec<FrameComponent>), &'static str> {
    let [
        precision,
        height_high,
        height_low,
        width_high,
        width_low,
        count,
        rest @ ..,
    ] = segment
    else {
        return Err("a short frame header");
    };
    if *precision != 8 {
        return Err("not 8-bit samples");
    }
    let height = u32::from(u16::from_be_bytes([*height_high, *height_low]));
    let width = u32::from(u16::from_be_bytes([*width_high, *width_low]));
    if width == 0 || height == 0 {
        return Err("no dimensions in the frame header");
    }
    // The general decoder reports an oversized photo with its own typed error.
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err("more pixels than the limit");
    }

    let count = usize::from(*count);
    if count != 1 && count != 3 {
        return Err("neither grey nor three colour components");
    }
    let mut components = Vec::with_capacity(count);
    for fields in rest.chunks_exact(3).take(count) {
        let quant_table = usize::from(fields[2]);
        if quant_table > 3 {
            return Err("a quantisation table number above 3");
        }
        components.push(FrameComponent {
            id: fields[0],
            h: u32::from(fields[1] >> 4),
            v: u32::from(fields[1] & 0x0F),
            quant_table,
        });
    }
    if components.len() != count {
        return Err("a short frame header");
    }

    // A grey photo has one block an MCU, whatever sampling factors its header gives.
    if count == 1 {
        components[0].h = 1;
        components[0].v = 1;
    } else {
        let luma = components[0];
        let luma_supported = (1..=2).contains(&luma.h) && (1..=2).contains(&luma.v);
        let chroma_supported = components[1..]
            .iter()
            .all(|chroma| chroma.h == 1 && chroma.v == 1);
        if !luma_supported || !chroma_supported {
            return Err("a chroma subsampling other than 4:4:4, 4:2:2, 4:4:0 or 4:2:0");
        }
    }
    Ok((width, height, components))
}

fn parse_huffman_tables(
    mut segment: &[u8],
    dc_tables: &mut [Option<HuffmanTable>; 4],
    ac_tables: &mut [Option<HuffmanTable>; 4],
) -> Result<(), &'static str> {
    while let [class_and_id, rest @ ..] = segment {
        let Some((counts, rest)) = rest.split_first_chunk::<16>() else {
            return Err("a short Huffman table");
        };
        let total: usize = counts.iter().map(|&count| usize::from(count)).sum();
        let symbols = rest.get(..total).ok_or("a short Huffman table")?;
        let table = HuffmanTable::new(counts, symbols)?;
        let id = usize::from(class_and_id & 0x0F);
        let tables = match class_and_id >> 4 {
            0 => &mut *dc_tables,
            1 => &mut *ac_tables,
            _ => return Err("a Huffman table class other than DC or AC"),
        };
        *tables.get_mut(id).ok_or("a Huffman table number above 3")? = Some(table);
        segment = &rest[total..];
    }
    Ok(())
}

fn parse_quant_tables(
    mut segment: &[u8],
    quant_tables: &mut [Option<[u16; 64]>; 4],
) -> Result<(), &'static str> {
    while let [precision_and_id, rest @ ..] = segment {
        let id = usize::from(precision_and_id & 0x0F);
        let wide = precision_and_id >> 4 == 1;
        let entry_bytes = if wide { 2 } else { 1 };
        let entries = rest
            .get(..64 * entry_bytes)
            .ok_or("a short quantisation table")?;
        let mut table = [0u16; 64];
        for (zigzag_index, value) in entries.chunks_exact(entry_bytes).enumerate() {
            table[ZIGZAG[zigzag_index]] = match *value {
                [high, low] => u16::from_be_bytes([high, low]),
                [byte] => u16::from(byte),
                _ => 0,
            };
        }
        *quant_tables
            .get_mut(id)
            .ok_or("a quantisation table number above 3")? = Some(table);
        segment = &rest[64 * entry_bytes..];
    }
    Ok(())
}

/// The tables and frame a scan is decoded with.
struct ScanSetup<'a> {
    width: u32,
    height: u32,
    frame: &'a [FrameComponent],
    quant_tables: &'a [Option<[u16; 64]>; 4],
    dc_tables: &'a [Option<HuffmanTable>; 4],
    ac_tables: &'a [Option<HuffmanTable>; 4],
    restart_interval: u32,
    orientation: Orientation,
    /// The detector's input size, from which the scale rendered during decoding follows.
    preview: Option<(u32, u32)>,
}

/// Decodes the scan whose header is `header` from the entropy-coded `data` after it.
fn decode_scan(
    setup: &ScanSetup<'_>,
    header: &[u8],
    data: &[u8],
) -> Result<JpegCoefficients, &'static str> {
    // The scan must cover every component of the frame, in frame order, in one pass.
    let [count, rest @ ..] = header else {
        return Err("a short scan header");
    };
    let count = usize::from(*count);
    if count != setup.frame.len() {
        return Err("a scan that does not contain every component");
    }
    let selectors = rest.get(..2 * count).ok_or("a short scan header")?;
    match rest.get(2 * count..2 * count + 3) {
        Some(&[0, 63, 0]) => {}
        _ => return Err("a scan that is not sequential"),
    }
    let mut tables = Vec::with_capacity(count);
    for (frame_component, selector) in setup.frame.iter().zip(selectors.chunks_exact(2)) {
        if selector[0] != frame_component.id {
            return Err("scan components out of frame order");
        }
        let dc = setup
            .dc_tables
            .get(usize::from(selector[1] >> 4))
            .and_then(Option::as_ref);
        let ac = setup
            .ac_tables
            .get(usize::from(selector[1] & 0x0F))
            .and_then(Option::as_ref);
        match (dc, ac) {
            (Some(dc), Some(ac)) => tables.push((dc, ac)),
            _ => return Err("a scan names a Huffman table that was not defined"),
        }
    }

    let max_h = setup
        .frame
        .iter()
        .map(|component| component.h)
        .max()
        .unwrap_or(1);
    let max_v = setup
        .frame
        .iter()
        .map(|component| component.v)
        .max()
        .unwrap_or(1);
    let mcus_wide = setup.width.div_ceil(8 * max_h);
    let mcus_high = setup.height.div_ceil(8 * max_v);
    let mut components = Vec::with_capacity(count);
    for frame_component in setup.frame {
        let quant = setup.quant_tables[frame_component.quant_table]
            .ok_or("a component names a quantisation table that was not defined")?;
        let blocks = (mcus_wide * mcus_high * frame_component.h * frame_component.v) as usize;
        components.push(Component {
            h: frame_component.h,
            v: frame_component.v,
            quant: quant.map(f32::from),
            coefficients: vec![0; blocks * 64],
        });
    }

    let mut photo = JpegCoefficients {
        width: setup.width,
        height: setup.height,
        max_h,
        max_v,
        mcus_wide,
        mcus_high,
        components,
        orientation: setup.orientation,
        canvases: RefCell::new([None, None, None, None]),
    };
    let preview_scale = setup.preview.map(|(preview_width, preview_height)| {
        let (width, height) = photo.dimensions();
        let step = (width as f32 / preview_width.max(1) as f32)
            .max(height as f32 / preview_height.max(1) as f32);
        render_scale(step)
    });

    let mut reader = BitReader::new(data);
    let mut predictions = [0i32; 3];
    let mut left_in_interval = setup.restart_interval;
    let mut mcu_index = 0usize;
    for mcu_y in 0..mcus_high {
        for _ in 0..mcus_wide {
            if setup.restart_interval != 0 {
                if left_in_interval == 0 {
                    reader.restart()?;
                    predictions = [0; 3];
                    left_in_interval = setup.restart_interval;
                }
                left_in_interval -= 1;
            }

            for ((component, &(dc, ac)), prediction) in photo
                .components
                .iter_mut()
                .zip(&tables)
                .zip(&mut predictions)
            {
                let blocks_per_mcu = (component.h * component.v) as usize;
                let first = mcu_index * blocks_per_mcu * 64;
                let Some(mcu_blocks) = component
                    .coefficients
                    .get_mut(first..first + blocks_per_mcu * 64)
                else {
                    return Err("a block outside its component");
                };
                for block in mcu_blocks.chunks_exact_mut(64) {
                    let Some(block) = block.first_chunk_mut::<64>() else {
                        continue;
                    };
                    reader.decode_block(dc, ac, prediction, block)?;
                }
            }
            mcu_index += 1;
        }

        // A scan cut short stops here, not after decoding zeros into every block of the
        // photo its header claims.
        reader.check_not_overrun()?;

        // The preview row renders while its coefficients are still in cache.
        if let Some(scale) = preview_scale {
            photo.render_row(scale, mcu_y);
        }
    }
    reader.check_not_overrun()?;
    Ok(photo)
}

/// Returns the largest of 1, 2, 4 and 8 that is at most `step`, the photo pixels per output
/// pixel: rendering at that scale never drops detail the output could show.
pub(crate) fn render_scale(step: f32) -> u32 {
    match step {
        step if step >= 8.0 => 8,
        step if step >= 4.0 => 4,
        step if step >= 2.0 => 2,
        _ => 1,
    }
}

/// Returns true when `orientation` turns the photo by a quarter, swapping width and height.
fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

#[cfg(test)]
mod test {
    use std::io::Cursor;

    use image::codecs::jpeg::JpegEncoder;
    use image::{Rgb, RgbImage};

    use super::*;
    use crate::assets::test_photo;
    use crate::face::decode::{DecodeLimits, decode_photo};

    /// The JPEG photos that scripts/setup fetches: 4:4:4 with restart markers, and 4:2:0.
    const PHOTOS: [&str; 7] = [
        "face_recognition/obama.jpg",
        "face_recognition/obama2.jpg",
        "face_recognition/obama3.jpg",
        "face_recognition/biden.jpg",
        "face_recognition/obama_partial_face.jpg",
        "face_recognition/obama_partial_face2.jpg",
        "insightface/t1.jpg",
    ];

    fn read_photo(relative: &str) -> Vec<u8> {
        let path = test_photo(relative);
        std::fs::read(&path)
            .unwrap_or_else(|error| panic!("{}: {error}; run scripts/setup first", path.display()))
    }

    /// Returns the mean absolute difference per sample between `image` and the same-sized
    /// top-left part of `reference`, and the largest difference.
    fn difference(image: &RgbImage, reference: &RgbImage) -> (f32, u8) {
        let (mut sum, mut largest, mut count) = (0u64, 0u8, 0u64);
        for (x, y, pixel) in reference.enumerate_pixels() {
            if x >= image.width() || y >= image.height() {
                continue;
            }
            for (a, b) in image.get_pixel(x, y).0.iter().zip(pixel.0) {
                let gap = a.abs_diff(b);
                sum += u64::from(gap);
                largest = largest.max(gap);
                count += 1;
            }
        }
        (sum as f32 / count as f32, largest)
    }

    /// Averages `image` over `scale` x `scale` boxes, the reference for a scaled rendering.
    fn box_average(image: &RgbImage, scale: u32) -> RgbImage {
        let (width, height) = (image.width() / scale, image.height() / scale);
        RgbImage::from_fn(width, height, |x, y| {
            let mut sum = [0u32; 3];
            for dy in 0..scale {
                for dx in 0..scale {
                    let pixel = image.get_pixel(x * scale + dx, y * scale + dy);
                    for channel in 0..3 {
                        sum[channel] += u32::from(pixel[channel]);
                    }
                }
            }
            Rgb(sum.map(|total| (total as f32 / (scale * scale) as f32).round() as u8))
        })
    }

    fn encode_jpeg(image: &RgbImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 92)
            .encode_image(image)
            .expect("encode JPEG");
        bytes
    }

    /// Inserts an EXIF segment containing `orientation` right after the start-of-image marker.
    fn with_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        exif.extend([0, orientation, 0, 0, 0, 0, 0, 0]);
        let length = (exif.len() + 2) as u16;
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1];
        bytes.extend(length.to_be_bytes());
        bytes.extend(exif);
        bytes.extend(&jpeg[2..]);
        bytes
    }

    /// Makes a picture whose corners all differ, so a wrong rotation or flip shows.
    fn asymmetric_picture() -> RgbImage {
        RgbImage::from_fn(160, 96, |x, y| {
            Rgb([
                (x * 255 / 159) as u8,
                (y * 255 / 95) as u8,
                if x < 40 && y < 24 { 240 } else { 30 },
            ])
        })
    }

    #[test]
    fn full_scale_matches_general_decoder() {
        for relative in PHOTOS {
            let bytes = read_photo(relative);
            let coefficients = read_jpeg(&bytes, u64::MAX, None).expect(relative);
            let reference = decode_photo(&bytes, &DecodeLimits::default()).expect(relative);
            assert_eq!(
                coefficients.dimensions(),
                reference.dimensions(),
                "{relative}"
            );

            let (width, height) = reference.dimensions();
            let rendered = coefficients.render(0.0, 0.0, width as f32, height as f32, 1);
            assert_eq!((rendered.origin_x, rendered.origin_y), (0.0, 0.0));
            let (mean, largest) = difference(rendered.image(), &reference);
            // The two decoders round their IDCTs and upsample 4:2:0 chroma differently, so
            // small differences remain. A decoding error would show as differences of tens.
            assert!(
                mean < 1.0,
                "{relative}: mean difference {mean}, largest {largest}"
            );
        }
    }

    #[test]
    fn scaled_renders_match_box_averages() {
        for relative in PHOTOS {
            let bytes = read_photo(relative);
            let coefficients = read_jpeg(&bytes, u64::MAX, None).expect(relative);
            let reference = decode_photo(&bytes, &DecodeLimits::default()).expect(relative);
            let (width, height) = reference.dimensions();
            for scale in [2, 4, 8] {
                let rendered = coefficients.render(0.0, 0.0, width as f32, height as f32, scale);
                assert_eq!(rendered.scale, scale);
                let (mean, largest) = difference(rendered.image(), &box_average(&reference, scale));
                assert!(
                    mean < 2.5,
                    "{relative} at 1/{scale}: mean difference {mean}, largest {largest}"
                );
            }
        }
    }

    #[test]
    fn render_of_a_region_fills_only_its_mcus() {
        let bytes = read_photo("insightface/t1.jpg");
        let whole_photo = read_jpeg(&bytes, u64::MAX, None).expect("t1.jpg");
        let (width, height) = whole_photo.dimensions();
        let whole = whole_photo.render(0.0, 0.0, width as f32, height as f32, 2);
        let region_photo = read_jpeg(&bytes, u64::MAX, None).expect("t1.jpg");
        let region = region_photo.render(301.0, 517.5, 420.0, 700.0, 2);

        // The region is widened to whole 16-pixel MCUs: columns 288..432, rows 512..704.
        let canvases = region_photo.canvases.borrow();
        let flags = &canvases[1].as_ref().expect("a canvas at scale 2").rendered;
        let mcus_wide = width.div_ceil(16) as usize;
        for (index, &rendered) in flags.iter().enumerate() {
            let (mcu_x, mcu_y) = (index % mcus_wide, index / mcus_wide);
            let inside = (18..27).contains(&mcu_x) && (32..44).contains(&mcu_y);
            assert_eq!(rendered, inside, "MCU ({mcu_x}, {mcu_y})");
        }
        for y in 512 / 2..704 / 2 {
            for x in 288 / 2..432 / 2 {
                assert_eq!(
                    region.image().get_pixel(x, y),
                    whole.image().get_pixel(x, y),
                    "({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn render_while_another_is_borrowed() {
        let bytes = read_photo("insightface/t1.jpg");
        let photo = read_jpeg(&bytes, u64::MAX, None).expect("t1.jpg");
        let borrowed = photo.render(0.0, 0.0, 640.0, 480.0, 2);
        // The canvas is lent to `borrowed`, so this one is rendered apart, not shared.
        let second = photo.render(100.0, 100.0, 300.0, 300.0, 2);
        assert_eq!((second.origin_x, second.origin_y), (96.0, 96.0));
        for y in 50..150 {
            for x in 50..150 {
                assert_eq!(
                    second.image().get_pixel(x - 48, y - 48),
                    borrowed.image().get_pixel(x, y),
                    "({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn exif_orientations_match_general_decoder() {
        let upright = encode_jpeg(&asymmetric_picture());
        for orientation in 1..=8 {
            let bytes = with_orientation(&upright, orientation);
            let coefficients = read_jpeg(&bytes, u64::MAX, None).expect("baseline JPEG");
            let reference = decode_photo(&bytes, &DecodeLimits::default()).expect("decodes");
            assert_eq!(
                coefficients.dimensions(),
                reference.dimensions(),
                "orientation {orientation}"
            );

            let (width, height) = reference.dimensions();
            let whole = coefficients.render(0.0, 0.0, width as f32, height as f32, 1);
            assert_eq!(
                (whole.origin_x, whole.origin_y),
                (0.0, 0.0),
                "orientation {orientation}"
            );
            let (mean, largest) = difference(whole.image(), &reference);
            assert!(
                mean < 1.5,
                "orientation {orientation}: mean {mean}, largest {largest}"
            );

            // A region away from the corner, placed by its origin.
            let part = coefficients.render(20.0, 30.0, 60.0, 70.0, 1);
            for y in 30..70 {
                for x in 20..60 {
                    let local_x = x - part.origin_x as u32;
                    let local_y = y - part.origin_y as u32;
                    let rendered = part.image().get_pixel(local_x, local_y);
                    let expected = reference.get_pixel(x, y);
                    let gap = rendered
                        .0
                        .iter()
                        .zip(expected.0)
                        .map(|(a, b)| a.abs_diff(b));
                    assert!(
                        gap.max().unwrap_or(0) <= 12,
                        "orientation {orientation} at ({x}, {y}): {rendered:?} against {expected:?}"
                    );
                }
            }
        }
    }

    /// Encodes `image` at quality 90 with `sampling`, and a restart marker every
    /// `restart_interval` MCUs (none for 0), as camera encoders may write.
    fn encode_camera_jpeg(
        image: &RgbImage,
        sampling: jpeg_encoder::SamplingFactor,
        restart_interval: u16,
    ) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
        encoder.set_sampling_factor(sampling);
        encoder.set_restart_interval(restart_interval);
        encoder
            .encode(
                image.as_raw(),
                image.width() as u16,
                image.height() as u16,
                jpeg_encoder::ColorType::Rgb,
            )
            .expect("encode JPEG");
        bytes
    }

    /// t1.jpg at 360x270, a size that is no multiple of 16, so MCUs are padded.
    fn camera_picture() -> RgbImage {
        let bytes = read_photo("insightface/t1.jpg");
        let image = decode_photo(&bytes, &DecodeLimits::default()).expect("t1.jpg");
        image::imageops::resize(&image, 360, 270, image::imageops::FilterType::Triangle)
    }

    #[test]
    fn subsamplings_match_general_decoder() {
        use jpeg_encoder::SamplingFactor;

        let picture = camera_picture();
        for (sampling, name) in [
            (SamplingFactor::R_4_2_0, "4:2:0"),
            (SamplingFactor::R_4_2_2, "4:2:2"),
            (SamplingFactor::R_4_4_0, "4:4:0"),
            (SamplingFactor::R_4_4_4, "4:4:4"),
        ] {
            for restart_interval in [0, 1, 7] {
                let bytes = encode_camera_jpeg(&picture, sampling, restart_interval);
                let coefficients = read_jpeg(&bytes, u64::MAX, None)
                    .unwrap_or_else(|| panic!("{name}, restart {restart_interval}"));
                let reference = decode_photo(&bytes, &DecodeLimits::default()).expect("decodes");
                let rendered = coefficients.render(0.0, 0.0, 360.0, 270.0, 1);
                let (mean, largest) = difference(rendered.image(), &reference);
                assert!(
                    mean < 1.5,
                    "{name}, restart {restart_interval}: mean {mean}, largest {largest}"
                );
            }
        }
    }

    #[test]
    fn grey_photos_are_read() {
        let picture = camera_picture();
        let grey = image::DynamicImage::ImageRgb8(picture).to_luma8();
        let mut bytes = Vec::new();
        jpeg_encoder::Encoder::new(&mut bytes, 90)
            .encode(grey.as_raw(), 360, 270, jpeg_encoder::ColorType::Luma)
            .expect("encode grey JPEG");

        let coefficients = read_jpeg(&bytes, u64::MAX, None).expect("grey baseline JPEG");
        let reference = decode_photo(&bytes, &DecodeLimits::default()).expect("decodes");
        let rendered = coefficients.render(0.0, 0.0, 360.0, 270.0, 1);
        let (mean, largest) = difference(rendered.image(), &reference);
        assert!(mean < 1.0, "mean {mean}, largest {largest}");
        assert!(
            rendered
                .image()
                .pixels()
                .all(|pixel| pixel[0] == pixel[1] && pixel[1] == pixel[2])
        );
    }

    #[test]
    fn progressive_goes_to_general_decoder() {
        let picture = camera_picture();
        let mut bytes = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
        encoder.set_progressive(true);
        encoder
            .encode(picture.as_raw(), 360, 270, jpeg_encoder::ColorType::Rgb)
            .expect("encode progressive JPEG");
        assert!(read_jpeg(&bytes, u64::MAX, None).is_none());
        decode_photo(&bytes, &DecodeLimits::default()).expect("the general decoder reads it");
    }

    #[test]
    fn preview_rendered_during_decoding() {
        let bytes = encode_camera_jpeg(&camera_picture(), jpeg_encoder::SamplingFactor::R_4_2_0, 0);
        // 360x270 for a 90x68 detector input: a quarter-scale preview.
        let with_preview = read_jpeg(&bytes, u64::MAX, Some((90, 68))).expect("reads");
        let without = read_jpeg(&bytes, u64::MAX, None).expect("reads");
        let canvases = with_preview.canvases.borrow();
        let preview = canvases[2].as_ref().expect("a canvas at scale 4");
        assert!(preview.rendered.iter().all(|&rendered| rendered));
        drop(canvases);

        let a = with_preview.render(0.0, 0.0, 360.0, 270.0, 4);
        let b = without.render(0.0, 0.0, 360.0, 270.0, 4);
        assert_eq!(a.image(), b.image(), "the same pixels either way");
    }

    #[test]
    fn broken_files_go_to_general_decoder() {
        let bytes = read_photo("insightface/t1.jpg");
        assert!(
            read_jpeg(&bytes, 1000 * 1000, None).is_none(),
            "over the pixel limit"
        );
        assert!(
            read_jpeg(&bytes[..bytes.len() / 2], u64::MAX, None).is_none(),
            "truncated scan"
        );
        assert!(
            read_jpeg(&bytes[..300], u64::MAX, None).is_none(),
            "truncated headers"
        );
        assert!(
            read_jpeg(b"\xFF\xD8\xFF\xD9", u64::MAX, None).is_none(),
            "no frame"
        );
        assert!(read_jpeg(b"", u64::MAX, None).is_none(), "empty");

        // The headers of a 3000x2000 photo with a few bytes of its scan.
        let large = encode_camera_jpeg(
            &RgbImage::from_pixel(3000, 2000, Rgb([90, 120, 150])),
            jpeg_encoder::SamplingFactor::R_4_2_0,
            0,
        );
        let scan_start = large
            .windows(2)
            .position(|pair| pair == [0xFF, 0xDA])
            .expect("a scan");
        let cut = &large[..scan_start + 40];
        assert!(
            read_jpeg(cut, u64::MAX, None).is_none(),
            "a large photo cut short"
        );
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        let clean = encode_jpeg(&asymmetric_picture());
        // SplitMix64 picks the byte to change and its new value.
        let mut state = 0x5151_u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for _ in 0..2000 {
            let mut bytes = clean.clone();
            for _ in 0..1 + next() % 4 {
                let index = (next() % bytes.len() as u64) as usize;
                bytes[index] = next() as u8;
            }
            if let Some(coefficients) = read_jpeg(&bytes, 1 << 24, None) {
                let (width, height) = coefficients.dimensions();
                coefficients.render(0.0, 0.0, width as f32, height as f32, 4);
            }
        }
    }
}
