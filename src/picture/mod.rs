//! Resized variants of pictures: which a picture gets (a WebP and, unless it is one, a copy
//! in its own format at each configured width narrower than it), what they are named
//! (`banner.png` -> `banner.600w.webp`, `banner.600w.png`) and the `srcset` that offers
//! them, its URLs encoded as a URL must be (`my wide 香港.png` -> `my%20wide%20%E9%A6%99%E6%B8%AF.png`:
//! [`encoded`]). Pure; `resize.rs` makes the bytes of one variant, `maker.rs` keeps them in
//! `.playpress-cache/pictures/`, and `sources.rs` the hash of each picture's bytes by its
//! path, size and time.

pub(crate) mod maker;
pub(crate) mod resize;
pub(crate) mod sources;
mod whole;

use std::path::{Path, PathBuf};

use crate::load::config::PicturesConfig;
use crate::load::pictures::Size;

/// The formats that get variants. GIF (which may be animated), AVIF, BMP and TIFF are
/// published as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    Png,
    Jpeg,
    WebP,
}

impl Format {
    /// The format a file's name says it is in, when it is one that gets variants.
    pub(crate) fn of(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "png" => Some(Self::Png),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "webp" => Some(Self::WebP),
            _ => None,
        }
    }
}

/// One resized copy of a picture: its file on disk, its size and format, and the quality of
/// lossy formats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub(crate) from: PathBuf,
    /// `from` as messages name it (relative to the site).
    pub(crate) named: PathBuf,
    pub(crate) size: Size,
    pub(crate) format: Format,
    pub(crate) quality: u8,
}

/// The widths a picture `width` pixels wide gets variants at: those of `widths` narrower than
/// it.
fn widths_for(width: u32, widths: &[u32]) -> impl Iterator<Item = u32> + '_ {
    widths.iter().copied().filter(move |w| *w < width)
}

/// The height of a variant `width` wide of a picture of `size` (the same proportions).
fn height_at(size: Size, width: u32) -> u32 {
    let height = u64::from(size.height) * u64::from(width) / u64::from(size.width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// `name` (a file name or URL ending in one) with `.<width>w.<extension>` in place of its
/// extension; `webp` gives the WebP one, else the extension stays as written.
fn variant_name(name: &str, width: u32, webp: bool) -> Option<String> {
    let dot = name.rfind('.').filter(|d| !name[*d..].contains('/'))?;
    let extension = if webp { "webp" } else { &name[dot + 1..] };
    Some(format!("{}.{width}w.{extension}", &name[..dot]))
}

/// The variants of the picture `source` (on disk), of `size`, published as `file`: each
/// output file with what it is made from.
pub(crate) fn planned(
    (source, named, file): (&Path, &Path, &Path),
    size: Size,
    settings: &PicturesConfig,
) -> Vec<(PathBuf, Variant)> {
    let Some(format) = file.to_str().and_then(Format::of) else {
        return Vec::new();
    };
    let Some(name) = file.to_str() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for width in widths_for(size.width, &settings.widths) {
        let size = Size {
            width,
            height: height_at(size, width),
        };
        let formats: &[Format] = match format {
            Format::WebP => &[Format::WebP],
            other => &[Format::WebP, other],
        };
        for f in formats {
            if let Some(name) = variant_name(name, width, *f == Format::WebP) {
                let variant = Variant {
                    from: source.to_path_buf(),
                    named: named.to_path_buf(),
                    size,
                    format: *f,
                    quality: settings.quality,
                };
                out.push((PathBuf::from(name), variant));
            }
        }
    }
    out
}

/// The `srcset`s that offer a picture's variants.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Srcset {
    /// The WebP variants, for a `<source type="image/webp">` (none when the picture is a WebP:
    /// then `fallback` has them).
    pub webp: Option<String>,
    /// The variants in the picture's own format and the picture itself, for the `<img>`.
    pub fallback: String,
}

/// `url` with every byte a URL may not hold as it is percent-encoded (spaces, control and
/// non-ASCII characters, the quote, `<`, `>`, the backslash, `^`, the backtick, `{`, `|`, `}`,
/// and a `%` that does not start an encoded byte), and commas too when `in_srcset` (where a
/// comma may end a URL); an encoded byte stays as it is.
pub(crate) fn encoded(url: &str, in_srcset: bool) -> std::borrow::Cow<'_, str> {
    let bytes = url.as_bytes();
    let hex = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_hexdigit);
    let escaped = |i: usize, b: u8| match b {
        b'%' => !(hex(i + 1) && hex(i + 2)),
        b',' => in_srcset,
        b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' => true,
        b => b <= b' ' || b >= 0x7F,
    };
    if !bytes.iter().enumerate().any(|(i, b)| escaped(i, *b)) {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        match escaped(i, *b) {
            true => out.push_str(&format!("%{b:02X}")),
            false => out.push(char::from(*b)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `url` (of a page, a picture or a static file, as a page links it) as a URL must be
/// written: [`encoded`], taking and giving an owned string.
pub(crate) fn valid_url(url: String) -> String {
    match encoded(&url, false) {
        std::borrow::Cow::Borrowed(_) => url,
        std::borrow::Cow::Owned(encoded) => encoded,
    }
}

/// The `srcset`s of the picture at `url` (as a page links it), of `size`, when it has
/// variants; none when the URL cannot name them (a query or a fragment). Its URLs are
/// [`encoded`].
pub(crate) fn srcset(url: &str, size: Size, widths: &[u32]) -> Option<Srcset> {
    let format = Format::of(url)?;
    if url.contains(['?', '#']) || widths_for(size.width, widths).next().is_none() {
        return None;
    }
    let url = &*encoded(url, true);
    let list = |webp: bool| -> Option<Vec<String>> {
        widths_for(size.width, widths)
            .map(|w| variant_name(url, w, webp).map(|name| format!("{name} {w}w")))
            .collect()
    };
    let mut fallback = list(format == Format::WebP)?;
    fallback.push(format!("{url} {}w", size.width));
    let webp = match format {
        Format::WebP => None,
        _ => Some(list(true)?.join(", ")),
    };
    Some(Srcset {
        webp,
        fallback: fallback.join(", "),
    })
}

/// The URL of the picture at `url` (of `size`) or of its variant that suits a link preview:
/// the widest up to 1200 pixels (what link previews show), in the picture's own format.
pub(crate) fn preview_url(url: &str, size: Size, widths: &[u32]) -> String {
    const PREVIEW: u32 = 1200;
    if size.width <= PREVIEW {
        return url.to_string();
    }
    let widest = widths_for(size.width, widths)
        .filter(|w| *w <= PREVIEW)
        .max();
    match (Format::of(url), widest) {
        (Some(_), Some(w)) if !url.contains(['?', '#']) => {
            variant_name(url, w, false).unwrap_or_else(|| url.to_string())
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIG: Size = Size {
        width: 2000,
        height: 1500,
    };

    #[test]
    fn wide_pictures_get_variants_at_narrower_widths() {
        let settings = PicturesConfig::default();
        let planned = planned(
            (
                Path::new("content/posts/a/b.png"),
                Path::new("content/posts/a/b.png"),
                Path::new("posts/a/b.png"),
            ),
            BIG,
            &settings,
        );
        let names: Vec<&str> = planned.iter().filter_map(|(p, _)| p.to_str()).collect();
        assert_eq!(
            names,
            [
                "posts/a/b.600w.webp",
                "posts/a/b.600w.png",
                "posts/a/b.1200w.webp",
                "posts/a/b.1200w.png"
            ]
        );
        assert_eq!(
            planned[0].1.size,
            Size {
                width: 600,
                height: 450
            }
        );
        let small = Size {
            width: 500,
            height: 100,
        };
        assert!(planned_of("x.jpg", small).is_empty());
        assert_eq!(planned_of("x.webp", BIG).len(), 2);
        assert!(planned_of("x.gif", BIG).is_empty());
    }

    fn planned_of(name: &str, size: Size) -> Vec<(PathBuf, Variant)> {
        planned(
            (Path::new(name), Path::new(name), Path::new(name)),
            size,
            &PicturesConfig::default(),
        )
    }

    #[test]
    fn urls_are_encoded_where_a_url_must_be() {
        assert_eq!(encoded("/p/plain-name_1.png", true), "/p/plain-name_1.png");
        assert_eq!(
            encoded("my wide 香港.png", false),
            "my%20wide%20%E9%A6%99%E6%B8%AF.png"
        );
        assert_eq!(
            encoded("my%20wide%20%E9%A6%99%E6%B8%AF.png", true),
            "my%20wide%20%E9%A6%99%E6%B8%AF.png",
            "encoded already"
        );
        assert_eq!(encoded("100%.png", false), "100%25.png");
        assert_eq!(encoded("a,b\"<x>.png", false), "a,b%22%3Cx%3E.png");
        assert_eq!(encoded("a,b.png", true), "a%2Cb.png");
        assert_eq!(
            valid_url("https://e.com/a b/標.png?x=1#y".to_string()),
            "https://e.com/a%20b/%E6%A8%99.png?x=1#y"
        );
    }

    #[test]
    fn srcsets_offer_the_variants_and_the_picture() {
        let widths = [600, 1200];
        let set = srcset("/p/b.JPG", BIG, &widths);
        assert_eq!(
            set,
            Some(Srcset {
                webp: Some("/p/b.600w.webp 600w, /p/b.1200w.webp 1200w".to_string()),
                fallback: "/p/b.600w.JPG 600w, /p/b.1200w.JPG 1200w, /p/b.JPG 2000w".to_string(),
            })
        );
        let webp = srcset("../b.webp", BIG, &widths);
        assert_eq!(webp.and_then(|s| s.webp), None);
        assert_eq!(srcset("/p/b.png?v=1", BIG, &widths), None);
        let spaced = srcset("a b,c.webp", BIG, &[600]).map(|s| s.fallback);
        assert_eq!(
            spaced.as_deref(),
            Some("a%20b%2Cc.600w.webp 600w, a%20b%2Cc.webp 2000w")
        );
        assert_eq!(srcset("/p/b.png", BIG, &[]), None);
        assert_eq!(srcset("/p.d/b", BIG, &widths), None);
        assert_eq!(preview_url("/b.png", BIG, &widths), "/b.1200w.png");
        assert_eq!(preview_url("/b.gif", BIG, &widths), "/b.gif");
        let preview = Size {
            width: 1200,
            height: 630,
        };
        assert_eq!(preview_url("/b.png", preview, &widths), "/b.png");
    }
}
