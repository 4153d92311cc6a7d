//! Pictures under bad input (issue 30): a picture that does not decode whole is an error
//! naming it, once; a picture whose name has spaces or non-ASCII characters is one picture
//! however a body spells it, sized and offered with `srcset` like any other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_err, build_ok, exists, read, site};
use image::ImageEncoder;

/// Noise of `width` x `height`, 3 bytes a pixel (so that the picture compresses badly and a
/// cut loses most of it).
fn noise(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..width * height * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            &noise(width, height),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            &noise(width, height),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn webp(width: u32, height: u32) -> Vec<u8> {
    webp::Encoder::from_rgb(&noise(width, height), width, height)
        .encode(80.0)
        .to_vec()
}

/// The pictures site with `name` (these bytes) shown by the small post's body.
fn site_showing(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = site("pictures");
    let post = dir.path().join("content/posts/small");
    std::fs::write(post.join(name), bytes).unwrap();
    std::fs::write(
        post.join("index.md"),
        format!("---\ntitle: A photo\ndate: 2024-02-01\n---\n![A photo]({name})\n"),
    )
    .unwrap();
    dir
}

#[test]
fn a_jpeg_cut_to_a_third_is_an_error_naming_it_once() {
    let whole = jpeg(1300, 700);
    let dir = site_showing("photo.jpg", &whole);
    // Whole, it is resized.
    build_ok(dir.path());
    assert!(exists(dir.path(), "posts/small/photo.600w.jpg"));
    std::fs::write(
        dir.path().join("content/posts/small/photo.jpg"),
        &whole[..whole.len() / 3],
    )
    .unwrap();
    assert_eq!(
        build_err(dir.path()),
        "error: picture content/posts/small/photo.jpg cannot be resized: it cannot be decoded (the file ends before the picture does: it was cut short)\n --> content/posts/small/photo.jpg\n  = help: save it again as PNG, JPEG or WebP, or remove it\n\n1 error in content; nothing was written"
    );
}

#[test]
fn a_jpeg_with_bytes_after_its_end_is_whole() {
    // Phones append a video or other data after a JPEG's end (motion photos).
    let mut bytes = jpeg(1300, 700);
    bytes.extend_from_slice(b"\0\0\0\x18ftypmp42 and the rest of a video");
    let dir = site_showing("photo.jpg", &bytes);
    build_ok(dir.path());
    assert!(exists(dir.path(), "posts/small/photo.1200w.webp"));
}

#[test]
fn a_png_cut_to_a_third_is_one_error_not_one_a_variant() {
    let whole = png(1300, 700);
    let dir = site_showing("chart.png", &whole[..whole.len() / 3]);
    let error = build_err(dir.path());
    assert_eq!(
        error
            .matches("error: picture content/posts/small/chart.png cannot be resized: it cannot be decoded (")
            .count(),
        1,
        "{error}"
    );
    assert!(
        error.ends_with("\n\n1 error in content; nothing was written"),
        "{error}"
    );
}

#[test]
fn a_webp_cut_to_a_third_is_an_error_naming_it_once() {
    let whole = webp(1300, 700);
    let dir = site_showing("photo.webp", &whole);
    build_ok(dir.path());
    assert!(exists(dir.path(), "posts/small/photo.600w.webp"));
    std::fs::write(
        dir.path().join("content/posts/small/photo.webp"),
        &whole[..whole.len() / 3],
    )
    .unwrap();
    assert_eq!(
        build_err(dir.path()),
        "error: picture content/posts/small/photo.webp cannot be resized: it cannot be decoded (the file ends before the picture does: it was cut short)\n --> content/posts/small/photo.webp\n  = help: save it again as PNG, JPEG or WebP, or remove it\n\n1 error in content; nothing was written"
    );
}

#[test]
fn a_name_with_spaces_and_non_ascii_is_one_picture_in_either_spelling() {
    let dir = site("picture_names");
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let root = dir.path();
    for width in [600, 1200] {
        for extension in ["webp", "png"] {
            let file = format!("posts/names/my wide 香港.{width}w.{extension}");
            assert!(exists(root, &file), "{file}");
        }
    }
    let page = read(root, "posts/names/index.html");
    let url = "my%20wide%20%E9%A6%99%E6%B8%AF";
    let sizes = "sizes=\"(max-width: 40rem) 100vw, 37rem\"";
    let webp = format!("srcset=\"{url}.600w.webp 600w, {url}.1200w.webp 1200w\"");
    let own = format!("srcset=\"{url}.600w.png 600w, {url}.1200w.png 1200w, {url}.png 1300w\"");
    for alt in ["Encoded", "As written"] {
        let lazy = if alt == "Encoded" {
            ""
        } else {
            " loading=\"lazy\""
        };
        let img = format!(
            "<picture><source type=\"image/webp\" {webp} {sizes}><img src=\"{url}.png\" alt=\"{alt}\" {own} {sizes} width=\"1300\" height=\"975\"{lazy} decoding=\"async\"></picture>"
        );
        assert!(page.contains(&img), "{img}\n{page}");
    }
    let html = format!(
        "<picture><source type=\"image/webp\" {webp} {sizes}><img src=\"{url}.png\" alt=\"Encoded, in HTML\" width=\"1300\" height=\"975\" {own} {sizes} loading=\"lazy\" decoding=\"async\"></picture>"
    );
    assert!(page.contains(&html), "{html}\n{page}");
    // Raw HTML that writes the name as it is keeps its `src` as written; the URLs of its
    // `srcset` are encoded.
    let spelled = format!(
        "<img src=\"my wide 香港.png\" alt=\"As written, in HTML\" width=\"1300\" height=\"975\" {own} {sizes} loading=\"lazy\" decoding=\"async\">"
    );
    assert!(page.contains(&spelled), "{spelled}\n{page}");
}

#[test]
fn an_encoded_name_is_checked_like_the_picture_it_names() {
    let dir = site("picture_names");
    let post = dir.path().join("content/posts/names");
    std::fs::write(post.join("broken 圖.png"), b"not a picture at all").unwrap();
    std::fs::write(
        post.join("index.md"),
        "---\ntitle: Names\ndate: 2024-03-01\nimage: my%20wide%20%E9%A6%99%E6%B8%AF.png\n---\n![Broken](broken%20%E5%9C%96.png)\n",
    )
    .unwrap();
    let error = build_err(dir.path());
    assert!(
        error.starts_with(
            "error: picture `broken%20%E5%9C%96.png` cannot be shown: its header cannot be read ("
        ),
        "{error}"
    );
    assert!(
        error.contains(" --> content/posts/names/index.md:6:11\n"),
        "{error}"
    );
    // Named by its encoded name, the `image:` is the site's file: no warning, and sized.
    std::fs::remove_file(post.join("broken 圖.png")).unwrap();
    std::fs::write(
        post.join("index.md"),
        "---\ntitle: Names\ndate: 2024-03-01\nimage: my%20wide%20%E9%A6%99%E6%B8%AF.png\n---\nText.\n",
    )
    .unwrap();
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = read(dir.path(), "posts/names/index.html");
    assert!(page.contains("width=\"1300\" height=\"975\""), "{page}");
}
