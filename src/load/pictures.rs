//! Pictures: the size of every picture the site publishes (static files, files beside posts),
//! read from the file's header with `imagesize`, without decoding it, so that pages can give
//! every `<img>` its `width` and `height` (no layout shift). A header that cannot be read, or
//! that claims more pixels than [`MAX_PIXELS`] (a decompression bomb), is kept as a problem,
//! reported where a page shows the picture.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The most pixels a picture may have: 100 megapixels (10,000 x 10,000), well above any
/// camera's, far below what would exhaust memory when decoded.
pub(crate) const MAX_PIXELS: u64 = 100_000_000;

/// A picture's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub(crate) struct Size {
    pub width: u32,
    pub height: u32,
}

/// Why a picture's size is not known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Problem {
    /// Not a picture format that is known, or a broken header: the reader's words.
    Unreadable(String),
    /// More pixels than [`MAX_PIXELS`].
    TooLarge { width: u64, height: u64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable(why) => write!(f, "its header cannot be read ({why})"),
            Self::TooLarge { width, height } => write!(
                f,
                "it claims {width}x{height} pixels, more than the {} million allowed",
                MAX_PIXELS / 1_000_000
            ),
        }
    }
}

/// The size of each picture, by its file on disk.
pub(crate) type Sizes = HashMap<PathBuf, Result<Size, Problem>>;

/// The size of each picture the site publishes, by its file in the output.
pub(crate) type ByFile = HashMap<PathBuf, Result<Size, Problem>>;

/// File extensions of the pictures whose size is read (vector pictures have none).
const EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "tiff"];

/// True for a file whose name says it is a raster picture.
pub(crate) fn is_picture(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|known| e.eq_ignore_ascii_case(known)))
}

/// Reads the size of every picture among `files`, on every thread.
pub(crate) fn read<'a>(files: impl Iterator<Item = &'a Path>) -> Sizes {
    let pictures: Vec<&Path> = files.filter(|p| is_picture(p)).collect();
    pictures
        .into_par_iter()
        .map(|path| (path.to_path_buf(), size_of(path)))
        .collect()
}

/// A file's length and modification time: if neither changed, its header is as read.
type Stamp = (u64, Option<std::time::SystemTime>);

/// A picture's size (or why it has none), with the stamp of its file when it was read.
type Read = (Stamp, Result<Size, Problem>);

/// The sizes read so far, with the stamp of each file when it was read (kept by `serve`
/// from one rebuild to the next).
#[derive(Debug, Default)]
pub(crate) struct Known(HashMap<PathBuf, Read>);

impl Known {
    /// [`read`], reading again only the pictures whose file changed since (a server's
    /// rebuild looks at each picture's length and time, not its bytes).
    pub(crate) fn read<'a>(&mut self, files: impl Iterator<Item = &'a Path>) -> Sizes {
        let pictures: Vec<&Path> = files.filter(|p| is_picture(p)).collect();
        let known = &self.0;
        let read: Vec<(PathBuf, Read)> = pictures
            .into_par_iter()
            .map(|path| {
                let stamp = std::fs::metadata(path)
                    .map(|m| (m.len(), m.modified().ok()))
                    .unwrap_or((0, None));
                let size = match known.get(path) {
                    Some((was, size)) if *was == stamp && stamp.1.is_some() => size.clone(),
                    _ => size_of(path),
                };
                (path.to_path_buf(), (stamp, size))
            })
            .collect();
        self.0 = read.into_iter().collect();
        self.0
            .iter()
            .map(|(path, (_, size))| (path.clone(), size.clone()))
            .collect()
    }
}

/// The size in the header of the picture at `path`, as shown: a JPEG that its EXIF says
/// to turn a quarter is shown with its width and height swapped (as browsers do). One read
/// of the file's first bytes gives both.
fn size_of(path: &Path) -> Result<Size, Problem> {
    use std::io::Read;
    let jpeg = is_jpeg(path);
    let limit = if jpeg { JPEG_HEAD } else { HEAD };
    // Room for all of it: one `read`, not one per doubling of a growing buffer.
    let mut head = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(limit).read_to_end(&mut head))
        .map_err(|e| Problem::Unreadable(e.to_string()))?;
    let size = match imagesize::blob_size(&head) {
        Ok(size) => size,
        // A header past the first bytes (a JPEG with a large EXIF thumbnail).
        Err(_) => imagesize::size(path).map_err(|e| Problem::Unreadable(e.to_string()))?,
    };
    let size = checked(size.width as u64, size.height as u64)?;
    if jpeg && turned_a_quarter(head) {
        return Ok(Size {
            width: size.height,
            height: size.width,
        });
    }
    Ok(size)
}

/// How much of a picture is read for its size (other formats put it in their first bytes).
const HEAD: u64 = 16 * 1024;

/// How much of a JPEG is read for its size and EXIF orientation: its EXIF segment is at most
/// 64 KiB, and comes before the picture data.
const JPEG_HEAD: u64 = 128 * 1024;

fn is_jpeg(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
}

/// True for the first bytes of a JPEG whose EXIF orientation turns it by a quarter
/// (orientations 5 to 8).
fn turned_a_quarter(head: Vec<u8>) -> bool {
    use image::ImageDecoder;
    use image::metadata::Orientation;
    let Ok(mut decoder) = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(head)) else {
        return false;
    };
    matches!(
        decoder.orientation(),
        Ok(Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH)
    )
}

/// The site path `path` of a picture, as a page links it (without its query or fragment),
/// with its percent-encoded bytes decoded: `my%20wide%20%E9%A6%99.png` and `my wide 香.png`
/// name one file. A segment that would decode to bytes that are not UTF-8, to a `/`, or to
/// `.` or `..` is kept as written.
pub(crate) fn decoded(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains('%') {
        return std::borrow::Cow::Borrowed(path);
    }
    let segments: Vec<std::borrow::Cow<'_, str>> = path
        .split('/')
        .map(
            |segment| match percent_encoding::percent_decode_str(segment).decode_utf8() {
                Ok(d) if !d.contains('/') && d != "." && d != ".." => d,
                _ => std::borrow::Cow::Borrowed(segment),
            },
        )
        .collect();
    std::borrow::Cow::Owned(segments.join("/"))
}

/// A size within the limits.
fn checked(width: u64, height: u64) -> Result<Size, Problem> {
    let too_large = || Problem::TooLarge { width, height };
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(too_large());
    }
    match (u32::try_from(width), u32::try_from(height)) {
        (Ok(width), Ok(height)) if width > 0 && height > 0 => Ok(Size { width, height }),
        (Ok(_), Ok(_)) => Err(Problem::Unreadable("it has no pixels".to_string())),
        _ => Err(too_large()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked_against_the_limit() {
        assert_eq!(
            checked(800, 600),
            Ok(Size {
                width: 800,
                height: 600
            })
        );
        assert_eq!(checked(10_000, 10_000).map(|s| s.width), Ok(10_000));
        assert_eq!(
            checked(100_000, 100_000),
            Err(Problem::TooLarge {
                width: 100_000,
                height: 100_000
            })
        );
        assert!(checked(0, 10).is_err());
        assert!(is_picture(Path::new("a/B.JPG")));
        assert!(!turned_a_quarter(b"not a jpeg".to_vec()));
        assert!(size_of(Path::new("missing.png")).is_err());
    }

    #[test]
    fn percent_encoded_names_are_decoded_segment_by_segment() {
        assert_eq!(
            decoded("/posts/a/my%20wide%20%E9%A6%99%E6%B8%AF.png"),
            "/posts/a/my wide 香港.png"
        );
        assert_eq!(
            decoded("/posts/a/my wide 香港.png"),
            "/posts/a/my wide 香港.png"
        );
        assert_eq!(
            decoded("/a%2Fb/%2e%2E/100%.png/%FF.png"),
            "/a%2Fb/%2e%2E/100%.png/%FF.png"
        );
        assert_eq!(decoded("/a/100%25.png"), "/a/100%.png");
    }

    #[test]
    fn known_sizes_are_read_again_only_when_the_file_changed() {
        let dir = std::env::temp_dir().join(format!("playpress-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.png");
        let png = |w: u8| {
            let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0".to_vec();
            bytes.extend([w, 0, 0, 0, 3, 8, 2, 0, 0, 0]);
            bytes
        };
        std::fs::write(&file, png(4)).unwrap();
        let mut known = Known::default();
        let width = |sizes: &Sizes| sizes[&file].as_ref().map(|s| s.width).unwrap();
        assert_eq!(width(&known.read(std::iter::once(file.as_path()))), 4);
        // Another length: read again.
        let mut wider = png(5);
        wider.push(0);
        std::fs::write(&file, wider).unwrap();
        assert_eq!(width(&known.read(std::iter::once(file.as_path()))), 5);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(!is_picture(Path::new("a/b.svg")));
    }
}
