//! `playpress check` over the real binary: exact messages, exit codes, `--strict`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

fn check(root: &Path, args: &[&str]) -> Output {
    common::playpress()
        .args(["check", "--root"])
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

const BROKEN: &str = "\
error: broken link `/contact/`: no page or file has the URL /contact/ (on /, /posts/b/, /posts/a/ and 6 more pages)
 --> config.yaml:8:10
  |
8 |     url: /contact/
  |          ^^^^^^^^^ not found
  |
  = help: link to a page or file of the site, or fix the address

error: broken image `/images/me.png`: no page or file has the URL /images/me.png
 --> content/pages/about.md:4:26
  |
4 | About, with ![a picture](/images/me.png).
  |                          ^^^^^^^^^^^^^^ not found
  |
  = help: link to a page or file of the site, or fix the address

error: broken link `/posts/missing/`: no page or file has the URL /posts/missing/
 --> content/posts/a.md:9:24
  |
9 | See [the missing post](/posts/missing/) and [the setup of part three](/posts/b/#setup).
  |                        ^^^^^^^^^^^^^^^ not found
  |
  = help: link to a page or file of the site, or fix the address

error: broken link `/posts/b/#setup`: /posts/b/ has no element with id `setup`
 --> content/posts/a.md:9:71
  |
9 | See [the missing post](/posts/missing/) and [the setup of part three](/posts/b/#setup).
  |                                                                       ^^^^^^^^^^^^^^^ no such id
  |
  = help: did you mean `#set-up`?

error: broken link `/posts/a/#top-of-page`: /posts/a/ has no element with id `top-of-page`
  --> content/posts/b.md:11:43
   |
11 | Back to [part one](../a/) and [its start](/posts/a/#top-of-page), [home](/).
   |                                           ^^^^^^^^^^^^^^^^^^^^^ no such id
   |
   = help: the ids there: footer-contact, main, series-box-title

";

const SERIES_GAP: &str = "\
warning: series `Trip` has no part 2 (part 1: content/posts/a.md, part 3: content/posts/b.md)
 --> content/posts/a.md:5:1
  |
5 | series_part: 1
  | ^^^^^^^^^^^ part 2 is missing
  |
  = help: number the parts 1, 2, 3... without gaps, or publish the missing part

";

#[test]
fn reports_broken_links_anchors_images_and_series_gaps_exactly() {
    let dir = common::site("check");
    let out = check(dir.path(), &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        format!("{BROKEN}{SERIES_GAP}checked 9 pages and 157 links: 5 errors, 1 warning\n")
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let dir = common::site("check");
    let root = dir.path();
    let fix = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    fix("config.yaml", "/contact/", "mailto:me@example.com");
    fix("content/pages/about.md", "/images/me.png", "/favicon.svg");
    fix("content/posts/a.md", "/posts/missing/", "/about/");
    fix("content/posts/a.md", "#setup", "#set-up");
    fix("content/posts/b.md", "#top-of-page", "#main");

    let out = check(root, &[]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{SERIES_GAP}checked 9 pages and 157 links: 0 errors, 1 warning\n")
    );
    assert_eq!(out.status.code(), Some(0));

    let out = check(root, &["--strict"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{SERIES_GAP}checked 9 pages and 157 links: 0 errors, 1 warning (--strict: warnings count as errors)\n"
        )
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn sources_sharing_a_url_are_all_listed() {
    let dir = common::site("prev_next");
    let root = dir.path();
    for name in ["x1", "x2"] {
        fs::write(
            root.join(format!("content/posts/{name}.md")),
            "---\ntitle: Same\ndate: 2024-01-01\nslug: old\n---\nText.\n",
        )
        .unwrap();
    }
    let out = check(root, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("error: 3 sources produce the URL /posts/old/: content/posts/old.md, content/posts/x1.md and content/posts/x2.md\n --> content/posts/x2.md\n  = help: give all of them but one another `slug:`\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("checked 0 pages and 0 links: 1 error, 0 warnings\n"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_static_file_in_the_way_of_a_page_is_an_error() {
    let dir = common::site("prev_next");
    let root = dir.path();
    fs::create_dir_all(root.join("static/posts/old")).unwrap();
    fs::write(root.join("static/posts/old/index.html"), "<p>old</p>").unwrap();
    let out = check(root, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("error: 2 sources produce the file posts/old/index.html: content/posts/old.md and static/posts/old/index.html\n --> static/posts/old/index.html\n"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_clean_site_has_no_problems() {
    let out = check(Path::new(env!("CARGO_MANIFEST_DIR")), &["--strict"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("checked "), "{stdout}");
    assert!(stdout.ends_with(" links: no problems\n"), "{stdout}");
    assert_eq!(out.status.code(), Some(0));
}
