//! Turns the bytes of a selfie (JPEG or PNG; grey, RGB, RGBA or 16-bit) into an upright 8-bit
//! RGB image. Size limits are checked on the byte count and on the header's dimensions before
//! any pixel buffer is allocated, so a hostile or broken file cannot exhaust a phone's memory.
//! EXIF orientation is applied, because phone cameras often store portraits rotated.
//!
//! A large JPEG can also be decoded at 1/2, 1/4 or 1/8 of its size by DCT scaling, which
//! skips most of the inverse-DCT and colour-conversion work. The face models read inputs of
//! at most 320x240 pixels, so a 12-megapixel selfie holds far more pixels than they use.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, RgbImage};
use serde::{Deserialize, Serialize};

use super::FaceError;

/// Limits on the photos the engine accepts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DecodeLimits {
    /// Maximum file size in bytes.
    pub max_bytes: usize,
    /// Maximum width times height, checked on the header before decoding.
    pub max_pixels: u64,
    /// Minimum width and height in pixels.
    pub min_side_px: u32,
}

impl Default for DecodeLimits {
    /// 20 MiB and 40 megapixels cover every phone camera in service; 64 px is below any usable
    /// face photo.
    fn default() -> DecodeLimits {
        DecodeLimits {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 40_000_000,
            min_side_px: 64,
        }
    }
}

/// An upright RGB photo, decoded at full size or reduced by DCT scaling.
pub(crate) struct DecodedPhoto {
    pub image: RgbImage,
    /// How many stored pixels one decoded pixel spans along each axis: 1, 2, 4 or 8. A
    /// decoded coordinate times the divisor is the coordinate in the stored photo.
    pub divisor: u32,
    /// Upright width of the stored photo in pixels.
    pub full_width: u32,
    /// Upright height of the stored photo in pixels.
    pub full_height: u32,
}

/// DCT scale divisors that JPEG decoding supports, largest first.
pub(crate) const JPEG_DIVISORS: [u32; 4] = [8, 4, 2, 1];

/// Decodes `bytes` into an upright RGB image within `limits`.
pub fn decode_photo(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, FaceError> {
    check_byte_count(bytes, limits)?;
    let format = sniff_format(bytes)?;
    decode_full(bytes, format, limits)
}

/// Decodes `bytes` into an upright RGB image, reduced by the largest divisor of 2, 4 or 8
/// that is at most `max_divisor` and keeps both sides at `min_decoded_side_px` or more.
///
/// Only 8-bit RGB and grey JPEGs are reduced. A PNG, a JPEG too small for any divisor, and
/// any other JPEG (CMYK, 12-bit, lossless) are decoded at full size with divisor 1. The limits
/// apply to the stored size, checked on the header before any pixel buffer is allocated.
pub(crate) fn decode_photo_scaled(
    bytes: &[u8],
    limits: &DecodeLimits,
    max_divisor: u32,
    min_decoded_side_px: u32,
) -> Result<DecodedPhoto, FaceError> {
    check_byte_count(bytes, limits)?;
    let format = sniff_format(bytes)?;
    if format == image::ImageFormat::Jpeg
        && let Some(photo) = decode_jpeg_scaled(bytes, limits, max_divisor, min_decoded_side_px)?
    {
        return Ok(photo);
    }

    let image = decode_full(bytes, format, limits)?;
    Ok(DecodedPhoto {
        full_width: image.width(),
        full_height: image.height(),
        divisor: 1,
        image,
    })
}

/// Returns the largest divisor of [`JPEG_DIVISORS`] that is at most `max_divisor` and leaves
/// the shorter side of a `width` x `height` photo at `min_decoded_side_px` or more.
pub(crate) fn choose_divisor(
    width: u32,
    height: u32,
    max_divisor: u32,
    min_decoded_side_px: u32,
) -> u32 {
    let short_side = width.min(height);
    JPEG_DIVISORS
        .into_iter()
        .find(|&divisor| {
            divisor <= max_divisor && short_side / divisor >= min_decoded_side_px.max(1)
        })
        .unwrap_or(1)
}

/// Decodes a baseline or progressive 8-bit JPEG reduced by DCT scaling. Returns `None` when
/// the photo should take the full-size path instead: no divisor above 1 fits, or the pixel
/// format is not 8-bit RGB or grey.
fn decode_jpeg_scaled(
    bytes: &[u8],
    limits: &DecodeLimits,
    max_divisor: u32,
    min_decoded_side_px: u32,
) -> Result<Option<DecodedPhoto>, FaceError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(map_jpeg_error)?;
    let Some(info) = decoder.info() else {
        return Err(FaceError::CorruptImage {
            detail: "the JPEG header has no frame".to_string(),
        });
    };
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(width, height, limits)?;

    let divisor = choose_divisor(width, height, max_divisor, min_decoded_side_px);
    let channel_count = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::L8 => 1,
        _ => return Ok(None),
    };
    if divisor == 1 {
        return Ok(None);
    }

    // The DCT scaling rounds each side up, so the decoded size is ceil(side / divisor).
    let (decoded_width, decoded_height) = decoder
        .scale(
            width.div_ceil(divisor) as u16,
            height.div_ceil(divisor) as u16,
        )
        .map_err(map_jpeg_error)?;
    let (decoded_width, decoded_height) = (u32::from(decoded_width), u32::from(decoded_height));
    let expected_width = width.div_ceil(divisor);
    let expected_height = height.div_ceil(divisor);
    if (decoded_width, decoded_height) != (expected_width, expected_height) {
        return Err(FaceError::CorruptImage {
            detail: format!(
                "the JPEG decoder scaled {width}x{height} to {decoded_width}x{decoded_height}, \
                 expected {expected_width}x{expected_height}"
            ),
        });
    }
    // The decoder's own allocation cap is a second guard, as on the full-size path.
    let decoded_bytes = decoded_width as usize * decoded_height as usize * channel_count;
    decoder.set_max_decoding_buffer_size(decoded_bytes.saturating_mul(2) + 1024 * 1024);
    let samples = decoder.decode().map_err(map_jpeg_error)?;

    // A broken EXIF block must not lose an otherwise good photo, so it counts as upright.
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let mut image = match channel_count {
        3 => RgbImage::from_raw(decoded_width, decoded_height, samples).map(DynamicImage::from),
        _ => image::GrayImage::from_raw(decoded_width, decoded_height, samples)
            .map(DynamicImage::from),
    }
    .ok_or_else(|| FaceError::CorruptImage {
        detail: format!(
            "the JPEG decoder returned too few samples for {decoded_width}x{decoded_height}"
        ),
    })?;
    image.apply_orientation(orientation);

    let (full_width, full_height) = if swaps_sides(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Some(DecodedPhoto {
        image: match image {
            DynamicImage::ImageRgb8(rgb) => rgb,
            other => other.to_rgb8(),
        },
        divisor,
        full_width,
        full_height,
    }))
}

/// Returns whether applying `orientation` turns a landscape photo into a portrait one.
fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn check_byte_count(bytes: &[u8], limits: &DecodeLimits) -> Result<(), FaceError> {
    if bytes.is_empty() {
        return Err(FaceError::EmptyImage);
    }
    if bytes.len() > limits.max_bytes {
        return Err(FaceError::ImageTooLarge {
            size_bytes: bytes.len(),
            max_bytes: limits.max_bytes,
        });
    }
    Ok(())
}

/// Returns the format of `bytes`: JPEG (only when complete) or PNG.
fn sniff_format(bytes: &[u8]) -> Result<image::ImageFormat, FaceError> {
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => {
            // The JPEG decoders fill a truncated scan with grey instead of failing, and half a
            // face must not be scored as a whole one.
            if !jpeg_is_complete(bytes) {
                return Err(FaceError::CorruptImage {
                    detail: "the JPEG data ends before its end-of-image marker".to_string(),
                });
            }
            Ok(image::ImageFormat::Jpeg)
        }
        Ok(image::ImageFormat::Png) => Ok(image::ImageFormat::Png),
        _ => Err(FaceError::NotAnImage),
    }
}

fn check_dimensions(width: u32, height: u32, limits: &DecodeLimits) -> Result<(), FaceError> {
    let pixel_count = u64::from(width) * u64::from(height);
    if pixel_count > limits.max_pixels {
        return Err(FaceError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    if width < limits.min_side_px || height < limits.min_side_px {
        return Err(FaceError::ImageTooSmall {
            width,
            height,
            min_side_px: limits.min_side_px,
        });
    }
    Ok(())
}

/// Decodes a JPEG or PNG at full size with the `image` crate.
fn decode_full(
    bytes: &[u8],
    format: image::ImageFormat,
    limits: &DecodeLimits,
) -> Result<RgbImage, FaceError> {
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;

    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    let pixel_count = u64::from(width) * u64::from(height);

    // The decoder's own allocation cap is a second guard: 8 bytes per pixel covers 16-bit RGBA.
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_alloc = Some(pixel_count * 8 + 1024 * 1024);
    decoder
        .set_limits(decoder_limits)
        .map_err(map_image_error)?;

    // A broken EXIF block must not lose an otherwise good photo, so it counts as upright.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    image.apply_orientation(orientation);

    Ok(match image {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.to_rgb8(),
    })
}

/// Walks the JPEG marker segments and entropy-coded scans and returns whether an end-of-image
/// marker (FF D9) is reached before the data runs out.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    const START_OF_SCAN: u8 = 0xDA;
    const END_OF_IMAGE: u8 = 0xD9;
    let is_restart = |marker: u8| (0xD0..=0xD7).contains(&marker);

    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut index = 2;
    while index + 1 < bytes.len() {
        if bytes[index] != 0xFF {
            return false;
        }
        let marker = bytes[index + 1];
        if marker == 0xFF {
            index += 1;
            continue;
        }
        if marker == END_OF_IMAGE {
            return true;
        }
        if is_restart(marker) || marker == 0x01 {
            index += 2;
            continue;
        }
        if index + 3 >= bytes.len() {
            return false;
        }
        let length = usize::from(u16::from_be_bytes([bytes[index + 2], bytes[index + 3]]));
        index += 2 + length;
        if index > bytes.len() {
            return false;
        }

        if marker == START_OF_SCAN {
            // Entropy-coded data runs until an FF byte that is not stuffing (FF 00), a restart
            // marker or fill.
            loop {
                if index + 1 >= bytes.len() {
                    return false;
                }
                if bytes[index] == 0xFF {
                    let next = bytes[index + 1];
                    if next == 0x00 || is_restart(next) {
                        index += 2;
                        continue;
                    }
                    if next != 0xFF {
                        break;
                    }
                }
                index += 1;
            }
        }
    }
    false
}

fn map_jpeg_error(error: jpeg_decoder::Error) -> FaceError {
    match error {
        jpeg_decoder::Error::Unsupported(_) => FaceError::NotAnImage,
        other => FaceError::CorruptImage {
            detail: other.to_string(),
        },
    }
}

fn map_image_error(error: ImageError) -> FaceError {
    match error {
        ImageError::Unsupported(_) => FaceError::NotAnImage,
        other => FaceError::CorruptImage {
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod test {
    use image::ImageEncoder;

    use super::*;

    fn encode_png(image: &DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encode PNG");
        bytes
    }

    #[test]
    fn empty_bytes_are_rejected() {
        let error = decode_photo(&[], &DecodeLimits::default()).expect_err("empty");
        assert!(matches!(error, FaceError::EmptyImage), "{error}");
    }

    #[test]
    fn text_is_not_an_image() {
        let error = decode_photo(b"hello, this is not a photo", &DecodeLimits::default())
            .expect_err("text");
        assert!(matches!(error, FaceError::NotAnImage), "{error}");
    }

    #[test]
    fn one_pixel_image_is_too_small() {
        let bytes = encode_png(&DynamicImage::new_rgb8(1, 1));
        let error = decode_photo(&bytes, &DecodeLimits::default()).expect_err("1x1");
        assert!(
            matches!(
                error,
                FaceError::ImageTooSmall {
                    width: 1,
                    height: 1,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn png_header_of_20000_pixels_is_rejected() {
        let mut bytes = encode_png(&DynamicImage::new_rgb8(64, 64));
        // Signature (8), chunk length (4), "IHDR" (4), then width and height, big-endian,
        // and the chunk's CRC over type and data after the 13 data bytes.
        bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());

        let error = decode_photo(&bytes, &DecodeLimits::default()).expect_err("20000x20000");
        assert!(
            matches!(
                error,
                FaceError::TooManyPixels {
                    width: 20000,
                    height: 20000,
                    ..
                }
            ),
            "{error}"
        );
    }

    /// Computes the CRC-32 (IEEE 802.3 polynomial) that PNG chunks carry.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                let mask = (crc & 1).wrapping_neg();
                crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
        !crc
    }

    #[test]
    fn byte_limit_is_enforced() {
        let bytes = encode_png(&DynamicImage::new_rgb8(100, 100));
        let limits = DecodeLimits {
            max_bytes: 10,
            ..DecodeLimits::default()
        };
        let error = decode_photo(&bytes, &limits).expect_err("too many bytes");
        assert!(matches!(error, FaceError::ImageTooLarge { .. }), "{error}");
    }

    #[test]
    fn truncated_jpeg_is_corrupt() {
        let mut bytes = Vec::new();
        let picture = image::RgbImage::from_fn(96, 96, |x, y| image::Rgb([x as u8, y as u8, 90]));
        DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
            .expect("encode JPEG");
        assert!(jpeg_is_complete(&bytes), "a whole JPEG is complete");
        decode_photo(&bytes, &DecodeLimits::default()).expect("whole JPEG decodes");

        let error = decode_photo(&bytes[..bytes.len() - 40], &DecodeLimits::default())
            .expect_err("truncated");
        assert!(matches!(error, FaceError::CorruptImage { .. }), "{error}");
    }

    /// Encodes a `width` x `height` JPEG whose left half is dark and right half bright, with
    /// an optional EXIF orientation tag.
    fn encode_jpeg(width: u32, height: u32, orientation: Option<u16>) -> Vec<u8> {
        let picture = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgb([20, 20, 20])
            } else {
                image::Rgb([230, 230, 230])
            }
        });
        let mut bytes = Vec::new();
        let mut encoder =
            image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 90);
        if let Some(orientation) = orientation {
            encoder
                .set_exif_metadata(exif_orientation(orientation))
                .expect("JPEG takes EXIF");
        }
        encoder
            .write_image(
                picture.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .expect("encode JPEG");
        bytes
    }

    /// Builds a big-endian TIFF block with one IFD entry: Orientation (0x0112).
    fn exif_orientation(orientation: u16) -> Vec<u8> {
        let mut exif = b"MM\0\x2a\0\0\0\x08".to_vec();
        exif.extend_from_slice(&1u16.to_be_bytes());
        exif.extend_from_slice(&0x0112u16.to_be_bytes());
        exif.extend_from_slice(&3u16.to_be_bytes());
        exif.extend_from_slice(&1u32.to_be_bytes());
        exif.extend_from_slice(&orientation.to_be_bytes());
        exif.extend_from_slice(&[0, 0]);
        exif.extend_from_slice(&0u32.to_be_bytes());
        exif
    }

    #[test]
    fn divisor_keeps_min_side() {
        assert_eq!(choose_divisor(1280, 960, 8, 480), 2);
        assert_eq!(choose_divisor(4000, 3000, 8, 480), 4);
        assert_eq!(choose_divisor(8000, 6000, 8, 480), 8);
        assert_eq!(choose_divisor(8000, 6000, 2, 480), 2);
        assert_eq!(choose_divisor(910, 1137, 8, 480), 1);
        assert_eq!(choose_divisor(64, 64, 8, 0), 8);
    }

    #[test]
    fn large_jpeg_decodes_reduced() {
        let bytes = encode_jpeg(1280, 960, None);
        let photo = decode_photo_scaled(&bytes, &DecodeLimits::default(), 8, 480).expect("JPEG");
        assert_eq!(photo.divisor, 2);
        assert_eq!(photo.image.dimensions(), (640, 480));
        assert_eq!((photo.full_width, photo.full_height), (1280, 960));
        let dark = photo.image.get_pixel(100, 240).0;
        let bright = photo.image.get_pixel(540, 240).0;
        assert!(dark[0] < 40, "left half stays dark: {dark:?}");
        assert!(bright[0] > 210, "right half stays bright: {bright:?}");
    }

    #[test]
    fn reduced_jpeg_applies_exif_orientation() {
        // Orientation 6: turn 90 degrees clockwise for display, so the dark left half of the
        // stored picture ends up on top.
        let bytes = encode_jpeg(1280, 960, Some(6));
        let photo = decode_photo_scaled(&bytes, &DecodeLimits::default(), 8, 480).expect("JPEG");
        assert_eq!(photo.divisor, 2);
        assert_eq!(photo.image.dimensions(), (480, 640));
        assert_eq!((photo.full_width, photo.full_height), (960, 1280));
        let top = photo.image.get_pixel(240, 100).0;
        let bottom = photo.image.get_pixel(240, 540).0;
        assert!(top[0] < 40, "stored left half is on top: {top:?}");
        assert!(
            bottom[0] > 210,
            "stored right half is at the bottom: {bottom:?}"
        );

        let full = decode_photo(&bytes, &DecodeLimits::default()).expect("full size");
        assert_eq!(
            full.dimensions(),
            (960, 1280),
            "both paths agree on the orientation"
        );
    }

    #[test]
    fn small_jpeg_and_png_stay_full_size() {
        let small = encode_jpeg(900, 700, None);
        let photo = decode_photo_scaled(&small, &DecodeLimits::default(), 8, 480).expect("JPEG");
        assert_eq!(photo.divisor, 1);
        assert_eq!(photo.image.dimensions(), (900, 700));

        let png = encode_png(&DynamicImage::new_rgb8(1280, 960));
        let photo = decode_photo_scaled(&png, &DecodeLimits::default(), 8, 480).expect("PNG");
        assert_eq!(photo.divisor, 1);
        assert_eq!(photo.image.dimensions(), (1280, 960));
    }

    #[test]
    fn max_divisor_caps_reduction() {
        let bytes = encode_jpeg(2048, 1536, None);
        let coarse = decode_photo_scaled(&bytes, &DecodeLimits::default(), 8, 480).expect("JPEG");
        assert_eq!(coarse.divisor, 2, "1536 / 4 is below 480");
        let full = decode_photo_scaled(&bytes, &DecodeLimits::default(), 1, 480).expect("JPEG");
        assert_eq!(full.divisor, 1);
        assert_eq!(full.image.dimensions(), (2048, 1536));
    }

    #[test]
    fn reduced_path_checks_limits_on_header() {
        let mut bytes = encode_jpeg(128, 128, None);
        let frame = bytes
            .windows(2)
            .position(|pair| pair == [0xFF, 0xC0])
            .expect("baseline frame header");
        // Marker (2), length (2), precision (1), then height and width, big-endian.
        bytes[frame + 5..frame + 7].copy_from_slice(&20000u16.to_be_bytes());
        bytes[frame + 7..frame + 9].copy_from_slice(&20000u16.to_be_bytes());
        let error = decode_photo_scaled(&bytes, &DecodeLimits::default(), 8, 480)
            .err()
            .expect("20000x20000");
        assert!(
            matches!(
                error,
                FaceError::TooManyPixels {
                    width: 20000,
                    height: 20000,
                    ..
                }
            ),
            "{error}"
        );

        let whole = encode_jpeg(1280, 960, None);
        let error =
            decode_photo_scaled(&whole[..whole.len() - 40], &DecodeLimits::default(), 8, 480)
                .err()
                .expect("truncated");
        assert!(matches!(error, FaceError::CorruptImage { .. }), "{error}");
        let limits = DecodeLimits {
            max_pixels: 1_000_000,
            ..DecodeLimits::default()
        };
        let error = decode_photo_scaled(&whole, &limits, 8, 480)
            .err()
            .expect("1.2 megapixels over a 1 megapixel limit");
        assert!(matches!(error, FaceError::TooManyPixels { .. }), "{error}");
    }

    #[test]
    fn grey_jpeg_decodes_reduced_to_rgb() {
        let grey = image::GrayImage::from_pixel(1280, 960, image::Luma([120]));
        let mut bytes = Vec::new();
        DynamicImage::ImageLuma8(grey)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
            .expect("encode grey JPEG");
        let photo = decode_photo_scaled(&bytes, &DecodeLimits::default(), 8, 480).expect("JPEG");
        assert_eq!(photo.divisor, 2);
        let pixel = photo.image.get_pixel(10, 10).0;
        assert_eq!(pixel[0], pixel[2]);
        assert!((118..=122).contains(&pixel[1]), "{pixel:?}");
    }

    #[test]
    fn sixteen_bit_grey_decodes_to_rgb() {
        let grey =
            image::ImageBuffer::<image::Luma<u16>, _>::from_pixel(80, 70, image::Luma([40000u16]));
        let bytes = encode_png(&DynamicImage::ImageLuma16(grey));
        let rgb = decode_photo(&bytes, &DecodeLimits::default()).expect("16-bit grey PNG");
        assert_eq!(rgb.dimensions(), (80, 70));
        let pixel = rgb.get_pixel(3, 3).0;
        assert_eq!(pixel[0], pixel[1]);
        assert!(
            (150..=160).contains(&pixel[0]),
            "40000/65535 of 255 is 155, got {pixel:?}"
        );
    }
}
