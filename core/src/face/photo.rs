//! The photo the pipeline stages read from. A baseline JPEG, as phone cameras write, stays
//! as DCT coefficients, and each stage renders just the region it reads, at the coarsest
//! scale that still has at least as many pixels as the stage's output needs. Any other photo
//! is decoded to full-resolution RGB once.

use image::RgbImage;

use super::FaceError;
use super::decode::{DecodeLimits, check_byte_limits, decode_photo};
use super::jpeg::{JpegCoefficients, Rendered, read_jpeg, render_scale};
use super::pixels::{self, AffineMap, Patch, Region};

/// A decoded photo, upright.
pub(crate) enum Photo {
    Pixels(RgbImage),
    Jpeg(Box<JpegCoefficients>),
}

/// Reads `bytes` within `limits`: through the coefficient reader when it takes the photo,
/// through the general decoder otherwise, which also reports every error. `detector_input`
/// is the detector's input size, which the coefficient reader renders for during decoding.
pub(crate) fn load_photo(
    bytes: &[u8],
    limits: &DecodeLimits,
    detector_input: (u32, u32),
) -> Result<Photo, FaceError> {
    check_byte_limits(bytes, limits)?;
    if let Some(coefficients) = read_jpeg(bytes, limits.max_pixels, Some(detector_input)) {
        let (width, height) = coefficients.dimensions();
        if width >= limits.min_side_px && height >= limits.min_side_px {
            return Ok(Photo::Jpeg(Box::new(coefficients)));
        }
    }
    decode_photo(bytes, limits).map(Photo::Pixels)
}

impl Photo {
    /// Returns the width and height of the upright photo.
    pub fn dimensions(&self) -> (u32, u32) {
        match self {
            Photo::Pixels(image) => image.dimensions(),
            Photo::Jpeg(coefficients) => coefficients.dimensions(),
        }
    }

    /// Crops `region` and resizes it to `width` x `height`, as [`pixels::crop_resize`] does.
    pub fn crop_resize(&self, region: Region, width: u32, height: u32) -> Patch {
        let coefficients = match self {
            Photo::Pixels(image) => return pixels::crop_resize(image, region, width, height),
            Photo::Jpeg(coefficients) => coefficients,
        };

        let step = (region.width / width as f32).min(region.height / height as f32);
        let scale = render_scale(step);
        // One rendered pixel of margin, for the bilinear taps at the region's edges.
        let margin = scale as f32;
        let rendered = coefficients.render(
            region.x - margin,
            region.y - margin,
            region.x + region.width + margin,
            region.y + region.height + margin,
            scale,
        );
        let local = Region {
            x: (region.x - rendered.origin_x) / rendered.scale as f32,
            y: (region.y - rendered.origin_y) / rendered.scale as f32,
            width: region.width / rendered.scale as f32,
            height: region.height / rendered.scale as f32,
        };
        pixels::crop_resize(rendered.image(), local, width, height)
    }

    /// Warps the photo through `map` into a `width` x `height` patch, as
    /// [`pixels::warp_affine`] does.
    pub fn warp_affine(&self, map: AffineMap, width: u32, height: u32) -> Patch {
        let coefficients = match self {
            Photo::Pixels(image) => return pixels::warp_affine(image, map, width, height),
            Photo::Jpeg(coefficients) => coefficients,
        };

        let shrink = (map.a * map.a + map.d * map.d).sqrt();
        let scale = render_scale(shrink);
        let (min_x, min_y, max_x, max_y) = map.bounds(width, height);
        // Two rendered pixels of margin, because the taps of an edge pixel reach past its
        // centre, and one output pixel more for a shrink the warp box-averages first.
        let margin = 2.0 * scale as f32 + shrink;
        let rendered = coefficients.render(
            min_x - margin,
            min_y - margin,
            max_x + margin,
            max_y + margin,
            scale,
        );
        pixels::warp_affine(rendered.image(), to_rendered(&rendered, map), width, height)
    }
}

/// Re-expresses `map`, which points into the full-resolution photo, in `rendered`'s pixels.
/// Rendered pixel i covers photo pixels origin + i*scale onwards, so its centre is at
/// origin + (i + 0.5) * scale - 0.5.
fn to_rendered(rendered: &Rendered<'_>, map: AffineMap) -> AffineMap {
    let scale = rendered.scale as f32;
    AffineMap {
        a: map.a / scale,
        b: map.b / scale,
        c: (map.c - rendered.origin_x + 0.5) / scale - 0.5,
        d: map.d / scale,
        e: map.e / scale,
        f: (map.f - rendered.origin_y + 0.5) / scale - 0.5,
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::assets::test_photo;

    fn photos(relative: &str) -> (Photo, Photo) {
        let bytes = std::fs::read(test_photo(relative)).expect("run scripts/setup first");
        let limits = DecodeLimits::default();
        let fast = load_photo(&bytes, &limits, (320, 240)).expect("loads");
        assert!(
            matches!(fast, Photo::Jpeg(_)),
            "{relative} takes the coefficient path"
        );
        let general = Photo::Pixels(decode_photo(&bytes, &limits).expect("decodes"));
        (fast, general)
    }

    fn mean_difference(a: &Patch, b: &Patch) -> f32 {
        assert_eq!((a.width, a.height), (b.width, b.height));
        let total: f32 = a.rgb.iter().zip(&b.rgb).map(|(x, y)| (x - y).abs()).sum();
        total / a.rgb.len() as f32
    }

    #[test]
    fn crops_and_warps_match_full_resolution() {
        for relative in ["insightface/t1.jpg", "face_recognition/obama.jpg"] {
            let (fast, general) = photos(relative);
            assert_eq!(fast.dimensions(), general.dimensions());
            let (width, height) = fast.dimensions();

            // The detector's view, a face-sized crop and a region past the top-left corner.
            let regions = [
                (0.0, 0.0, width as f32, height as f32, 160, 120),
                (
                    width as f32 * 0.3,
                    height as f32 * 0.2,
                    300.0,
                    300.0,
                    112,
                    112,
                ),
                (-40.0, -30.0, 200.0, 150.0, 64, 48),
            ];
            for (x, y, region_width, region_height, out_width, out_height) in regions {
                let region = Region {
                    x,
                    y,
                    width: region_width,
                    height: region_height,
                };
                let difference = mean_difference(
                    &fast.crop_resize(region, out_width, out_height),
                    &general.crop_resize(region, out_width, out_height),
                );
                assert!(
                    difference < 3.0,
                    "{relative} {region:?}: mean difference {difference}"
                );
            }

            // A turned, shrinking warp, as the alignment onto the ArcFace template makes.
            let map = AffineMap {
                a: 2.6,
                b: -0.5,
                c: width as f32 * 0.35,
                d: 0.5,
                e: 2.6,
                f: height as f32 * 0.25,
            };
            let difference = mean_difference(
                &fast.warp_affine(map, 112, 112),
                &general.warp_affine(map, 112, 112),
            );
            assert!(
                difference < 3.0,
                "{relative} warp: mean difference {difference}"
            );
        }
    }
}
