//! Resized variants of pictures (issue 15): WebP and the picture's own format at the widths
//! of the config, offered with `srcset`, kept in `.playpress-cache/pictures/`, never made
//! again for a build that has them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{build_err, build_ok, build_with, exists, playpress, read, site};
use playpress::MadeCounts;

/// The width and height of the picture `rel` of the output.
fn size_of(root: &Path, rel: &str) -> (usize, usize) {
    let size = imagesize::size(root.join("public").join(rel)).unwrap();
    (size.width, size.height)
}

fn pictures_of(outcome: &playpress::cmd::build::Outcome) -> (usize, MadeCounts, usize) {
    let timings = &outcome.result.as_ref().unwrap().timings;
    (timings.variants, timings.pictures, timings.variants_kept())
}

#[test]
fn wide_pictures_get_variants_in_webp_and_their_own_format() {
    let dir = site("pictures");
    build_ok(dir.path());
    let root = dir.path();
    for (width, height) in [(600, 450), (1200, 900)] {
        let webp = format!("posts/wide/wide.{width}w.webp");
        let png = format!("posts/wide/wide.{width}w.png");
        assert_eq!(size_of(root, &webp), (width, height));
        assert_eq!(size_of(root, &png), (width, height));
        let bytes = std::fs::read(root.join("public").join(&webp)).unwrap();
        assert_eq!(&bytes[8..12], b"WEBP");
    }
    // The picture itself stays published; a picture narrower than every width gets none.
    assert_eq!(size_of(root, "posts/wide/wide.png"), (1300, 975));
    assert!(exists(root, "posts/small/small.png"));
    assert!(!exists(root, "posts/small/small.600w.webp"));

    let page = read(root, "posts/wide/index.html");
    let sizes = "sizes=\"(max-width: 40rem) 100vw, 37rem\"";
    // Markdown and raw HTML, which link it relative to the post, in a <picture>.
    let webp = "srcset=\"wide.600w.webp 600w, wide.1200w.webp 1200w\"";
    let own = "srcset=\"wide.600w.png 600w, wide.1200w.png 1200w, wide.png 1300w\"";
    assert!(page.contains(&format!("<picture><source type=\"image/webp\" {webp} {sizes}><img src=\"wide.png\" alt=\"Eight bands of colour\" {own} {sizes} width=\"1300\" height=\"975\" loading=\"lazy\" decoding=\"async\"></picture>")), "{page}");
    assert!(page.contains(&format!("<picture><source type=\"image/webp\" {webp} {sizes}><img src=\"wide.png\" alt=\"The same bands, written as HTML\" width=\"1300\" height=\"975\" {own} {sizes} loading=\"lazy\" decoding=\"async\"></picture>")), "{page}");
    // The figure component and the hero, which link it by its site path.
    let webp =
        "srcset=\"/blog/posts/wide/wide.600w.webp 600w, /blog/posts/wide/wide.1200w.webp 1200w\"";
    let own = "srcset=\"/blog/posts/wide/wide.600w.png 600w, /blog/posts/wide/wide.1200w.png 1200w, /blog/posts/wide/wide.png 1300w\"";
    assert!(page.contains(&format!("<figure class=\"figure\"><picture><source type=\"image/webp\" {webp} {sizes}><img src=\"/blog/posts/wide/wide.png\" alt=\"The bands once more\" {own} {sizes} width=\"1300\" height=\"975\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>In a figure.</figcaption>")), "{page}");
    assert!(page.contains(&format!("<picture><source type=\"image/webp\" {webp} {sizes}><img class=\"hero\" src=\"/blog/posts/wide/wide.png\" alt=\"\" {own} {sizes} width=\"1300\" height=\"975\" decoding=\"async\" fetchpriority=\"high\"></picture>")), "{page}");
    // Link previews get the variant 1200 pixels wide, in the picture's own format.
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://example.com/blog/posts/wide/wide.1200w.png\">"
    ));
    assert!(page.contains("\"image\":\"https://example.com/blog/posts/wide/wide.1200w.png\""));
    // The card on the index offers them too.
    let index = read(root, "index.html");
    assert!(index.contains(&format!("<img class=\"thumb\" src=\"/blog/posts/wide/wide.png\" alt=\"\" {own} sizes=\"(max-width: 40rem) 100vw, 23rem\" width=\"1300\" height=\"975\" loading=\"lazy\" decoding=\"async\">")), "{index}");
    let small = read(root, "posts/small/index.html");
    // A video beside the post is published, linked from its page under the site's path.
    assert!(small.contains("<video controls preload=\"none\" src=\"/blog/posts/small/clip.mp4\" poster=\"/blog/posts/small/small.png\" aria-label=\"A short clip\"></video>"), "{small}");
    assert!(exists(root, "posts/small/clip.mp4"));
    assert!(small.contains("<img src=\"small.png\" alt=\"Narrower than the column\" width=\"400\" height=\"300\" decoding=\"async\">"), "{small}");
}

/// Removes the output and the staging folder beside it (the output before last).
fn empty_output(root: &Path) {
    for folder in ["public", ".public.playpress-staging"] {
        let _ = std::fs::remove_dir_all(root.join(folder));
    }
}

#[test]
fn a_warm_build_touches_no_picture_and_a_cold_one_takes_them_from_the_cache() {
    let dir = site("pictures");
    let first = build_ok(dir.path());
    let (planned, made, kept) = pictures_of(&first);
    assert_eq!(planned, 4);
    assert_eq!((made.made, made.decoded, made.reused, kept), (4, 1, 0, 0));
    // Read once for its four variants.
    assert_eq!(made.read, 1);
    let cached = dir.path().join(".playpress-cache/pictures");
    assert_eq!(std::fs::read_dir(&cached).unwrap().count(), 4);

    // Nothing changed: no picture is read, decoded or taken from the cache.
    let warm = build_ok(dir.path());
    let (_, made, kept) = pictures_of(&warm);
    assert_eq!((made.made, made.decoded, made.reused, kept), (0, 0, 0, 4));

    // An empty output: every variant comes from the cache.
    empty_output(dir.path());
    let cold = build_ok(dir.path());
    let (_, made, kept) = pictures_of(&cold);
    assert_eq!((made.made, made.decoded, made.reused, kept), (0, 0, 4, 0));
    // The hash of its bytes was kept by its path, size and time: the picture is not read.
    assert_eq!(made.read, 0);

    // Without the cache (and an empty output) they are made again, the same bytes.
    let before = std::fs::read(dir.path().join("public/posts/wide/wide.600w.webp")).unwrap();
    empty_output(dir.path());
    let uncached = build_with(dir.path(), |o| o.no_cache = true);
    let (_, made, _) = pictures_of(&uncached);
    assert_eq!((made.made, made.decoded), (4, 1));
    let after = std::fs::read(dir.path().join("public/posts/wide/wide.600w.webp")).unwrap();
    assert_eq!(before, after);

    // Other settings: other variants, and the cache keeps only those in use.
    let config = dir.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}pictures:\n  widths: [300]\n  quality: 60\n"),
    )
    .unwrap();
    let changed = build_ok(dir.path());
    let (planned, made, _) = pictures_of(&changed);
    // The small picture is wider than 300 pixels too.
    assert_eq!((planned, made.made), (4, 4));
    assert_eq!(size_of(dir.path(), "posts/wide/wide.300w.webp"), (300, 225));
    assert_eq!(
        size_of(dir.path(), "posts/small/small.300w.png"),
        (300, 225)
    );
    assert!(!exists(dir.path(), "posts/wide/wide.600w.webp"));
    assert_eq!(std::fs::read_dir(&cached).unwrap().count(), 4);
}

#[test]
fn a_picture_whose_time_changed_is_read_again_and_its_variants_taken_from_the_cache() {
    let dir = site("pictures");
    build_ok(dir.path());
    assert!(
        dir.path()
            .join(".playpress-cache/picture-sources-v1")
            .is_file()
    );
    let picture = dir.path().join("content/posts/wide/wide.png");
    let file = std::fs::File::options().write(true).open(&picture).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    file.set_modified(later).unwrap();
    drop(file);
    empty_output(dir.path());
    let (_, made, _) = pictures_of(&build_ok(dir.path()));
    assert_eq!((made.read, made.made, made.reused), (1, 0, 4));
}

#[test]
fn the_timings_count_what_was_made() {
    let dir = site("pictures");
    let run = || {
        let out = playpress()
            .args(["build", "--timings"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with("pictures"))
            .map(|l| l.split_once('(').unwrap().1.to_string())
            .unwrap()
    };
    assert_eq!(
        run(),
        "4 variants: 4 made from 1 pictures decoded, 0 from the cache, 0 unchanged, kept; 1 pictures read)"
    );
    assert_eq!(
        run(),
        "4 variants: 0 made from 0 pictures decoded, 0 from the cache, 4 unchanged, kept; 0 pictures read)"
    );
}

#[test]
fn check_makes_no_variant() {
    let dir = site("pictures");
    let out = playpress()
        .arg("check")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!dir.path().join(".playpress-cache/pictures").exists());
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_picture_that_cannot_be_decoded_is_an_error_naming_it() {
    let dir = site("pictures");
    build_ok(dir.path());
    let before = common::snapshot(&dir.path().join("public"));
    // A header that reads well, then nothing.
    let wide = dir.path().join("content/posts/wide/wide.png");
    let bytes = std::fs::read(&wide).unwrap();
    std::fs::write(&wide, &bytes[..100]).unwrap();
    let error = build_err(dir.path());
    assert!(
        error.contains(
            "error: picture content/posts/wide/wide.png cannot be resized: it cannot be decoded ("
        ),
        "{error}"
    );
    assert!(error.contains("= help: save it again as PNG, JPEG or WebP, or remove it"));
    assert_eq!(common::snapshot(&dir.path().join("public")), before);
}

#[test]
fn picture_settings_are_checked() {
    let dir = site("pictures");
    let config = dir.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}pictures:\n  widths: [600, 5]\n")).unwrap();
    let error = build_err(dir.path());
    assert!(
        error.contains("error: a picture width must be between 16 and 10000 pixels, not 5\n --> config.yaml:5:17"),
        "{error}"
    );
    std::fs::write(&config, format!("{text}pictures:\n  quality: 0\n")).unwrap();
    let error = build_err(dir.path());
    assert!(
        error.contains("error: `quality` must be between 1 and 100, not 0"),
        "{error}"
    );
    std::fs::write(&config, format!("{text}pictures:\n  widht: [600]\n")).unwrap();
    let error = build_err(dir.path());
    assert!(error.contains("did you mean `widths`?"), "{error}");
}

/// A JPEG of `width` x `height` whose EXIF says to turn it a quarter clockwise.
fn turned_jpeg(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    // TIFF, little-endian: one IFD with one entry, Orientation (0x0112) = 6.
    let exif: Vec<u8> = [
        &b"II*\0"[..],
        &8u32.to_le_bytes(),
        &1u16.to_le_bytes(),
        &0x0112u16.to_le_bytes(),
        &3u16.to_le_bytes(),
        &1u32.to_le_bytes(),
        &6u16.to_le_bytes(),
        &[0, 0],
        &0u32.to_le_bytes(),
    ]
    .concat();
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 200) as u8).collect();
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    encoder.set_exif_metadata(exif).unwrap();
    encoder
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[test]
fn a_photo_turned_by_its_exif_is_sized_and_resized_upright() {
    let dir = site("pictures");
    let post = dir.path().join("content/posts/small");
    std::fs::write(post.join("photo.jpg"), turned_jpeg(1300, 700)).unwrap();
    std::fs::write(
        post.join("index.md"),
        "---\ntitle: A photo\ndate: 2024-02-01\n---\n![A photo taken upright](photo.jpg)\n",
    )
    .unwrap();
    build_ok(dir.path());
    let page = read(dir.path(), "posts/small/index.html");
    assert!(page.contains("width=\"700\" height=\"1300\""), "{page}");
    assert_eq!(
        size_of(dir.path(), "posts/small/photo.600w.webp"),
        (600, 1114)
    );
    assert_eq!(
        size_of(dir.path(), "posts/small/photo.600w.jpg"),
        (600, 1114)
    );
}

#[test]
fn a_front_matter_picture_that_cannot_be_read_is_an_error_at_its_key() {
    let dir = site("pictures");
    let post = dir.path().join("content/posts/small");
    std::fs::write(post.join("broken.png"), b"not a picture at all").unwrap();
    std::fs::write(
        post.join("index.md"),
        "---\ntitle: Broken\ndate: 2024-02-01\nimage: broken.png\n---\nText.\n",
    )
    .unwrap();
    let error = build_err(dir.path());
    assert!(
        error.contains("error: picture `broken.png` cannot be shown: its header cannot be read ("),
        "{error}"
    );
    assert!(
        error.contains(" --> content/posts/small/index.md:4:8\n"),
        "{error}"
    );
}
