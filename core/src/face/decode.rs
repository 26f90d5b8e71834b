//! Turns the bytes of a selfie (JPEG or PNG; grey, RGB, RGBA or 16-bit) into an upright 8-bit
//! RGB image. Size limits are checked on the byte count and on the header's dimensions before
//! any pixel buffer is allocated, so a hostile or broken file cannot exhaust a phone's memory.
//! EXIF orientation is applied, because phone cameras often store portraits rotated.
//!
//! The pipeline reads baseline JPEGs through the coefficient reader in `jpeg` and comes here
//! for every other photo, and for the error of any photo that reader does not take.

use std::io::Cursor;

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

/// Decodes `bytes` into an upright RGB image within `limits`.
pub fn decode_photo(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, FaceError> {
    check_byte_limits(bytes, limits)?;

    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| FaceError::CorruptImage {
            detail: error.to_string(),
        })?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg) => {
            // The JPEG decoder fills a truncated scan with grey instead of failing, and half a
            // face must not be scored as a whole one. Damaged markers end the walk the same way.
            if !jpeg_is_complete(bytes) {
                return Err(FaceError::CorruptImage {
                    detail: "the JPEG data is cut off or damaged before its end-of-image marker"
                        .to_string(),
                });
            }
        }
        Some(image::ImageFormat::Png) => {}
        _ => return Err(FaceError::NotAnImage),
    }
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;

    let (width, height) = decoder.dimensions();
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

    // The decoder's own allocation cap is a second guard: 8 bytes per pixel covers 16-bit RGBA.
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_alloc = Some(pixel_count * 8 + 1024 * 1024);
    decoder
        .set_limits(decoder_limits)
        .map_err(map_image_error)?;

    // A broken EXIF block must not lose an otherwise good photo, so it counts as upright.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    image.apply_orientation(orientation);

    Ok(match image {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.to_rgb8(),
    })
}

/// Rejects an empty file and one over the byte limit.
pub(crate) fn check_byte_limits(bytes: &[u8], limits: &DecodeLimits) -> Result<(), FaceError> {
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
