//! The bytes of one variant: the picture decoded (within limits, turned upright as its EXIF
//! orientation says), resized with `fast_image_resize` (Lanczos3) and encoded, WebP with
//! libwebp's lossy encoder (effort 2), PNG and JPEG with `image`'s. Pure: bytes in, bytes out.

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder};

use super::{Format, Variant};
use crate::load::pictures::MAX_PIXELS;

/// The most memory one decoding may take: a picture at the pixel limit, 4 bytes a pixel.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4 + (64 << 20);

/// libwebp's effort (0 to 6; its default is 4): 2 encodes 2.6x faster than 4 for files 5 to
/// 9 % larger (bench/RESULTS.md).
const WEBP_METHOD: i32 = 2;

/// A decoded picture, 8 bits a channel, with or without alpha.
pub(crate) struct Decoded {
    pixels: fr::images::Image<'static>,
    alpha: bool,
}

/// Why a picture cut short cannot be decoded.
pub(crate) const CUT_SHORT: &str = "the file ends before the picture does: it was cut short";

/// Decodes a picture's bytes, upright; the decoder's words when it cannot. A picture that
/// does not decode whole is not decoded: the PNG decoder says so itself, the ends of a JPEG and
/// of a WebP are looked for (`whole.rs`).
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if super::whole::cut_short(bytes) {
        return Err(CUT_SHORT.to_string());
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("it has {width}x{height} pixels"));
    }
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let (buffer, kind) = if alpha {
        (image.into_rgba8().into_raw(), fr::PixelType::U8x4)
    } else {
        (image.into_rgb8().into_raw(), fr::PixelType::U8x3)
    };
    let pixels =
        fr::images::Image::from_vec_u8(width, height, buffer, kind).map_err(|e| e.to_string())?;
    Ok(Decoded { pixels, alpha })
}

/// The bytes of `variant` made from `picture`.
pub(crate) fn make(picture: &Decoded, variant: &Variant) -> Result<Vec<u8>, String> {
    let (width, height) = (variant.size.width, variant.size.height);
    let mut resized = fr::images::Image::new(width, height, picture.pixels.pixel_type());
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new()
        .resize(&picture.pixels, &mut resized, &options)
        .map_err(|e| e.to_string())?;
    let pixels = resized.buffer();
    let layout = if picture.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match variant.format {
        Format::WebP => {
            let encoder = if picture.alpha {
                webp::Encoder::from_rgba(pixels, width, height)
            } else {
                webp::Encoder::from_rgb(pixels, width, height)
            };
            let mut config =
                webp::WebPConfig::new().map_err(|()| "libwebp cannot start".to_string())?;
            config.lossless = 0;
            config.alpha_compression = 1;
            config.quality = f32::from(variant.quality);
            config.method = WEBP_METHOD;
            let encoded = encoder
                .encode_advanced(&config)
                .map_err(|e| format!("{e:?}"))?;
            out.extend_from_slice(&encoded);
        }
        Format::Png => image::codecs::png::PngEncoder::new(&mut out)
            .write_image(pixels, width, height, layout)
            .map_err(|e| e.to_string())?,
        Format::Jpeg => {
            let rgb;
            let (pixels, layout) = if picture.alpha {
                // JPEG has no alpha: drop it.
                rgb = pixels
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect::<Vec<u8>>();
                (rgb.as_slice(), image::ExtendedColorType::Rgb8)
            } else {
                (pixels, layout)
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, variant.quality)
                .write_image(pixels, width, height, layout)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::pictures::Size;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let (layout, channels) = if alpha {
            (image::ExtendedColorType::Rgba8, 4)
        } else {
            (image::ExtendedColorType::Rgb8, 3)
        };
        let pixels: Vec<u8> = (0..width * height * channels)
            .map(|i| (i % 251) as u8)
            .collect();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&pixels, width, height, layout)
            .unwrap();
        out
    }

    #[test]
    fn variants_have_their_size_and_format() {
        for alpha in [false, true] {
            let picture = decode(&png(80, 60, alpha)).unwrap();
            for format in [Format::WebP, Format::Png, Format::Jpeg] {
                let variant = Variant {
                    from: "x.png".into(),
                    named: "x.png".into(),
                    size: Size {
                        width: 40,
                        height: 30,
                    },
                    format,
                    quality: 80,
                };
                let bytes = make(&picture, &variant).unwrap();
                let size = imagesize::blob_size(&bytes).unwrap();
                assert_eq!((size.width, size.height), (40, 30), "{format:?}");
                let kind = imagesize::image_type(&bytes).unwrap();
                let expected = match format {
                    Format::WebP => imagesize::ImageType::Webp,
                    Format::Png => imagesize::ImageType::Png,
                    Format::Jpeg => imagesize::ImageType::Jpeg,
                };
                assert_eq!(kind, expected);
            }
        }
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let pixels: Vec<u8> = (0..width * height * 3)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn pictures_cut_short_are_errors() {
        let whole = jpeg(64, 48);
        assert!(decode(&whole).is_ok());
        for cut in [whole.len() / 3, whole.len() * 2 / 3, whole.len() - 1] {
            assert_eq!(decode(&whole[..cut]).err().as_deref(), Some(CUT_SHORT));
        }
        let png = png(64, 48, true);
        for cut in [png.len() / 3, png.len() * 2 / 3] {
            assert!(decode(&png[..cut]).is_err(), "a PNG cut at {cut}");
        }
        let pixels: Vec<u8> = png_pixels()
            .chunks(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let lossy = webp::Encoder::from_rgb(&pixels, 64, 48)
            .encode(80.0)
            .to_vec();
        let mut lossless = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut lossless)
            .write_image(&png_pixels(), 64, 48, image::ExtendedColorType::Rgba8)
            .unwrap();
        for webp in [lossy, lossless] {
            assert!(decode(&webp).is_ok());
            for cut in [webp.len() / 3, webp.len() * 2 / 3, webp.len() - 1] {
                assert_eq!(decode(&webp[..cut]).err().as_deref(), Some(CUT_SHORT));
            }
        }
    }

    fn png_pixels() -> Vec<u8> {
        (0..64 * 48 * 4).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn broken_pictures_are_errors() {
        let mut bytes = png(80, 60, false);
        bytes.truncate(60);
        assert!(decode(&bytes).is_err());
        assert!(decode(b"not a picture").is_err());
    }
}
