//! Whether the bytes of a picture are all there. The JPEG decoder `image` uses (zune-jpeg, in
//! the lenient mode `image` always asks for) fills whatever a file cut short lacks with grey
//! and says nothing, so a truncated photo would be resized into variants made from missing
//! data; the WebP decoder reads a few bytes past the end of a cut file as zeros. So:
//!
//! - a JPEG's segments are walked, each by its length, and each scan's entropy-coded data up
//!   to the marker that ends it, until the end-of-image marker (`FF D9`): a file that ends
//!   before that marker is cut short. Bytes after it (the video of a "motion photo", a second
//!   picture) are not the picture's and are not looked at;
//! - a WebP's RIFF header says how long the file is: a shorter file is cut short.
//!
//! PNG needs nothing here: its decoder fails on a file cut short. Linear in the bytes; pure.

/// A JPEG's first bytes: the start-of-image marker.
const SOI: [u8; 2] = [0xFF, 0xD8];

/// The markers that stand alone (no length follows): TEM, RST0 to RST7, SOI.
fn stands_alone(marker: u8) -> bool {
    matches!(marker, 0x01 | 0xD0..=0xD8)
}

/// True when `bytes` are a JPEG that ends before its end-of-image marker, or a WebP shorter
/// than its header says (other bytes are not judged here).
pub(crate) fn cut_short(bytes: &[u8]) -> bool {
    if let Some(rest) = bytes.strip_prefix(&SOI) {
        return end_of_image(rest).is_none();
    }
    match (bytes.get(..4), bytes.get(4..8), bytes.get(8..12)) {
        (Some(b"RIFF"), Some(size), Some(b"WEBP")) => {
            let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
            (bytes.len() as u64) < u64::from(size) + 8
        }
        _ => false,
    }
}

/// Something when `rest` (the file after its start-of-image marker) reaches the end-of-image
/// marker.
fn end_of_image(mut rest: &[u8]) -> Option<()> {
    loop {
        // The next marker: `FF` (any number of them: fill bytes), then its code. Stray bytes
        // before it are skipped, as decoders do.
        let ff = memchr::memchr(0xFF, rest)?;
        let fill = rest[ff..].iter().take_while(|&&b| b == 0xFF).count();
        let marker = *rest.get(ff + fill)?;
        rest = &rest[ff + fill + 1..];
        match marker {
            0xD9 => return Some(()),
            // A stuffed zero out of a scan, or a marker without a length.
            0x00 => {}
            m if stands_alone(m) => {}
            m => {
                let length = usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?]));
                if length < 2 {
                    return None;
                }
                rest = rest.get(length..)?;
                if m == 0xDA {
                    // Start of scan: its entropy-coded data runs to the next marker.
                    rest = &rest[scan_end(rest)?..];
                }
            }
        }
    }
}

/// The length of the entropy-coded data at the start of `data`: up to the `FF` of the first
/// marker that is not a stuffed zero (`FF 00`) or a restart marker (`FF D0` to `FF D7`).
/// `None` when the data runs to the end of the file.
fn scan_end(data: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let ff = at + memchr::memchr(0xFF, data.get(at..)?)?;
        match *data.get(ff + 1)? {
            0x00 | 0xD0..=0xD7 => at = ff + 2,
            // A fill byte: the marker starts at the next `FF`.
            0xFF => at = ff + 1,
            _ => return Some(ff),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's bytes, made of the named parts.
    fn jpeg(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    const APP0: &[u8] = &[0xFF, 0xE0, 0x00, 0x05, b'J', b'F', b'I'];
    /// A start of scan with a header of 2 bytes after its length, then entropy-coded data
    /// with a stuffed zero and a restart marker.
    const SCAN: &[u8] = &[
        0xFF, 0xDA, 0x00, 0x04, 1, 2, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56,
    ];
    const EOI: &[u8] = &[0xFF, 0xD9];

    #[test]
    fn a_jpeg_is_whole_when_it_reaches_its_end_marker() {
        let whole = jpeg(&[&SOI, APP0, SCAN, EOI]);
        assert!(!cut_short(&whole));
        // Progressive: several scans, tables between them; fill bytes before a marker.
        let dht: &[u8] = &[0xFF, 0xFF, 0xC4, 0x00, 0x03, 9];
        assert!(!cut_short(&jpeg(&[&SOI, SCAN, dht, SCAN, SCAN, EOI])));
        // What follows the end is not the picture's.
        assert!(!cut_short(&jpeg(&[&whole, b"ftypmp42", &[0xFF]])));
        // An end marker inside a segment (an EXIF thumbnail) is not the end.
        let thumbnail: &[u8] = &[0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD8, 0xFF, 0xD9];
        assert!(cut_short(&jpeg(&[&SOI, thumbnail, SCAN])));
        assert!(!cut_short(b"not a jpeg"), "not judged here");
        assert!(!cut_short(&[0xFF, 0xD8, 0xFF, 0xD9]));
    }

    #[test]
    fn a_jpeg_cut_anywhere_before_its_end_is_not_whole() {
        let whole = jpeg(&[&SOI, APP0, SCAN, SCAN, EOI]);
        for cut in 2..whole.len() {
            assert!(cut_short(&whole[..cut]), "cut at {cut}");
        }
        assert!(cut_short(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]));
    }

    #[test]
    fn a_webp_is_cut_short_when_shorter_than_its_header_says() {
        let mut webp = b"RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        assert!(!cut_short(&webp));
        webp.push(0);
        assert!(!cut_short(&webp), "longer is not shorter");
        assert!(cut_short(&webp[..19]));
        assert!(cut_short(&webp[..12]));
    }
}
