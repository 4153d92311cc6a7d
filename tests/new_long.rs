//! `playpress new` with titles that make no ordinary file name: very long ones (the file name
//! is cut as the build cuts a slug, so the post builds to the slug of its file) and ones of
//! symbols only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

fn playpress(args: &[&str], root: &Path) -> Output {
    common::playpress()
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

/// Runs `new` and gives the file it wrote, relative to `root`.
fn new_post(root: &Path, title: &str) -> String {
    let out = playpress(&["new", title], root);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    printed.trim_end().to_string()
}

/// A site of no posts, whose posts are published whatever day they are dated.
fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("config.yaml"),
        "title: T\nbase_url: https://example.com/\n",
    )
    .unwrap();
    dir
}

/// The post `file` made by `new`, dated in the past and given a body, so a build publishes it.
fn publishable(root: &Path, file: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("date: ") {
                "date: 2024-05-01\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&path, format!("{text}Body.\n")).unwrap();
}

#[test]
fn a_long_title_makes_a_file_name_the_build_cuts_the_same_way() {
    let dir = empty_site();
    let root = dir.path();
    let words = "A rather long title about many things ".repeat(11);
    let chinese = "香港的一個很長的標題".repeat(40);
    assert!(words.len() >= 400 && chinese.chars().count() == 400);
    let mut stems = Vec::new();
    for title in [words.as_str(), chinese.as_str()] {
        let file = new_post(root, title);
        let name = file.strip_prefix("content/posts/").unwrap();
        let stem = name.strip_suffix(".md").unwrap();
        assert!(stem.len() <= 200, "{} bytes: {stem}", stem.len());
        assert!(stem.len() > 150, "cut near the bound: {stem}");
        let (head, hash) = stem.rsplit_once('-').unwrap();
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{stem}"
        );
        assert!(!head.ends_with('-'), "cut at a dash: {stem}");
        // The title is written whole.
        let text = fs::read_to_string(root.join(&file)).unwrap();
        assert!(
            text.contains(&format!("title: \"{}\"\n", title.trim())),
            "{text}"
        );
        publishable(root, &file);
        stems.push(stem.to_string());
    }
    assert!(stems[0].starts_with("a-rather-long-title-about-many-things-a-rather"));
    assert!(stems[1].starts_with("xiang-gang-de-yi-ge"), "{}", stems[1]);

    let summary = common::build_ok(root).result.unwrap();
    assert_eq!(summary.posts, 2);
    for stem in &stems {
        let page = common::read(root, &format!("posts/{stem}/index.html"));
        assert!(
            page.contains("Body."),
            "the post is at the slug of its file"
        );
    }

    // The same title again is the same file: `new` refuses to overwrite it.
    let out = playpress(&["new", &words], root);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: the file already exists: `playpress new` never overwrites a file\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_long_series_name_makes_no_folder_and_builds() {
    let dir = empty_site();
    let root = dir.path();
    let series = "The series of many parts ".repeat(16);
    let out = playpress(&["new", "Part one", "--series", &series], root);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "content/posts/part-one.md\n"
    );
    publishable(root, "content/posts/part-one.md");
    common::build_ok(root);
    let page = common::read(root, "posts/part-one/index.html");
    assert!(page.contains("Part 1 of 1"), "{page}");
}

#[test]
fn a_title_of_symbols_only() {
    let dir = empty_site();
    let root = dir.path();
    // Emoji have names, which make the file name.
    assert_eq!(
        new_post(root, "🎉🎉 ✨"),
        "content/posts/tada-tada-sparkles.md"
    );
    assert_eq!(new_post(root, "🎉!!!"), "content/posts/tada.md");
    publishable(root, "content/posts/tada.md");
    common::build_ok(root);
    assert!(common::read(root, "posts/tada/index.html").contains("Body."));

    // Punctuation alone has none: nothing is written, and the error says why.
    for title in ["!!! ???", "—…", "  "] {
        let out = playpress(&["new", title], root);
        assert_eq!(out.status.code(), Some(1), "{title}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!(
                "error: the title `{}` gives an empty file name\n --> content/posts/.md\n  = help: use a title with letters or digits\n",
                title.trim()
            )
        );
    }
    let mut names: Vec<String> = fs::read_dir(root.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["tada-tada-sparkles.md", "tada.md"]);
}
