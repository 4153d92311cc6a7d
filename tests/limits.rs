//! Small inputs that used to hang a build or blow up its output: each now finishes (the real
//! binary, killed if it runs past a generous deadline; before, each ran for a minute or more)
//! with the documented limit or budget named in its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Far more than any of these builds needs now (well under a second of work each in a
/// release build), far less than they needed before (a minute or more).
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `playpress ARGS` in `root`, failing the test if it is still running at [`DEADLINE`].
fn run_within(root: &Path, args: &[&str]) -> Output {
    let mut child = playpress()
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!(
                "`playpress {}` still ran after {DEADLINE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn post(root: &Path, name: &str, front_matter: &str, body: &str) {
    std::fs::write(
        root.join("content/posts").join(name),
        format!("---\ntitle: {name}\ndate: 2024-01-01\n{front_matter}---\n{body}"),
    )
    .unwrap();
}

/// `series_part: 1000000000` ran past 60 s (the gap warning listed every missing part).
/// Now a part number over the limit is an error, and a gap warning names three parts.
#[test]
fn huge_part_numbers_are_refused_and_gaps_are_named_briefly() {
    let dir = site("limits");
    let root = dir.path();
    post(
        root,
        "far.md",
        "series: S\nseries_part: 1000000000\n",
        "Far.\n",
    );
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: `series_part` is 1,000,000,000: a series has at most 1,000 parts\n --> content/posts/far.md:5:14\n  |\n5 | series_part: 1000000000\n  |              ^^^^^^^^^^ too many parts\n  |\n  = help: number the parts 1, 2, 3...; split a longer series into several\n\n1 error in content; nothing was written\n"
    );

    post(root, "far.md", "series: S\nseries_part: 999\n", "Far.\n");
    post(root, "first.md", "series: S\nseries_part: 1\n", "First.\n");
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: series `S` has no part 2, 3, 4 and 994 more (part 1: content/posts/first.md, part 999: content/posts/far.md)\n --> content/posts/first.md:5:1\n  |\n5 | series_part: 1\n  | ^^^^^^^^^^^ parts 2, 3, 4 and 994 more are missing\n  |\n  = help: number the parts 1, 2, 3... without gaps, or publish the missing part\n\n"
    );
}

/// `total_parts: 100000000` in a series description ran past 60 s (each part page listed
/// every planned part): the same limit.
#[test]
fn a_huge_planned_total_is_refused() {
    let dir = site("limits");
    let root = dir.path();
    post(root, "one.md", "series: S\nseries_part: 1\n", "One.\n");
    std::fs::create_dir_all(root.join("content/series")).unwrap();
    std::fs::write(
        root.join("content/series/s.md"),
        "---\ntitle: S\ntotal_parts: 100000000\n---\nAbout S.\n",
    )
    .unwrap();
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: `total_parts` is 100,000,000: a series has at most 1,000 parts\n --> content/series/s.md:3:14\n  |\n3 | total_parts: 100000000\n  |              ^^^^^^^^^ too many parts\n  |\n  = help: number the parts 1, 2, 3...; split a longer series into several\n\n1 error in content; nothing was written\n"
    );
}

/// A ```c fence of 200 KB of `a(` ran past 60 s. Past the highlighter's budget, the block is
/// shown as escaped plain text with a warning at its fence.
#[test]
fn a_code_block_past_the_budget_is_shown_plain() {
    let dir = site("limits");
    let root = dir.path();
    post(
        root,
        "code.md",
        "",
        &format!("Text.\n\n```c\n{}\n```\n", "a(".repeat(100_000)),
    );
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: code block not highlighted: its line 1 has 200,000 bytes, over the highlighter's budget of 4,096 bytes a line\n --> content/posts/code.md:7:1\n  |\n7 | ```c\n  | ^^^^ shown as plain text\n  |\n  = help: break up long lines or split the block; or write ```text to show it as plain text without this warning\n\n"
    );
    let page = std::fs::read_to_string(root.join("public/posts/code/index.html")).unwrap();
    assert!(
        page.contains("<code class=\"language-c\">a(a(a("),
        "plain, escaped"
    );
}

/// A ```sh fence of one 3,880-byte line of maths took 12 s in a release build (the fuzzer
/// found it): the shell grammar's time grows with the cube of a line's length. Long lines
/// count against a budget of their lengths cubed.
#[test]
fn a_code_block_whose_long_lines_add_up_past_the_budget_is_shown_plain() {
    let dir = site("limits");
    let root = dir.path();
    let line = format!(
        "${}{}kTitle = \"v\"",
        "\\alpha+\\beta+".repeat(100),
        "\\frac{1}{2}+".repeat(100)
    );
    assert_eq!(line.len(), 2513);
    post(
        root,
        "shell.md",
        "",
        &format!("Text.\n\n```sh\necho\n{line}\n```\n"),
    );
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: code block not highlighted: its long lines are over the highlighter's budget (the longest, line 2, has 2,513 bytes; lines over 256 bytes may add up to one line of 1,536 bytes, their lengths counted cubed)\n --> content/posts/shell.md:7:1\n  |\n7 | ```sh\n  | ^^^^^ shown as plain text\n  |\n  = help: break up long lines or split the block; or write ```text to show it as plain text without this warning\n\n"
    );
}

/// 20,000 identical headings took 23.8 s (ids were found by trying every number again).
#[test]
fn many_identical_headings_get_their_ids_in_one_pass() {
    let dir = site("limits");
    let root = dir.path();
    post(root, "heads.md", "", &"## Same\n\n".repeat(20_000));
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(root.join("public/posts/heads/index.html")).unwrap();
    assert!(page.contains("<h2 id=\"same\">Same</h2>"));
    assert!(page.contains("<h2 id=\"same-1\">Same</h2>"));
    assert!(page.contains("<h2 id=\"same-19999\">Same</h2>"));
    assert!(!page.contains("same-20000"));
}

/// 4,000 tags on one post took 20 s and wrote 1.3 GB (each tag page's card listed all of
/// them). More than the limit is an error; at the limit the build is quick.
#[test]
fn more_tags_than_the_limit_is_an_error() {
    let dir = site("limits");
    let root = dir.path();
    let tags = |n: usize| -> String {
        let names: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
        format!("tags: [{}]\n", names.join(", "))
    };
    post(root, "tags.md", &tags(4_000), "Tagged.\n");
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "error: 4000 tags on one post: at most 100 are allowed\n --> content/posts/tags.md:4:7\n"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).ends_with("  |       ^ too many tags\n  |\n  = help: keep the tags readers browse by; put other keywords under `extra:`\n\n1 error in content; nothing was written\n"), "{}", stderr(&out));

    post(root, "tags.md", &tags(100), "Tagged.\n");
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(root.join("public/tags/t99/index.html").exists());

    // Categories are tags too (Jekyll's and Hugo's), and count with them.
    let categories = (0..4_000)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    post(
        root,
        "tags.md",
        &format!("categories: [{categories}]\n"),
        "Filed.\n",
    );
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: 4000 tags on one post: at most 100 are allowed\n"),
        "{}",
        stderr(&out)
    );
}

/// A tag, slug or alias of 300 characters failed with `File name too long` naming no post,
/// and `check` reported nothing. Now resolving names the post, the key and the limit of a
/// slug or an alias, which are URLs as written; a tag's slug, made from its name, is cut to
/// fit (issue 30).
#[test]
fn overlong_url_segments_name_the_post_the_key_and_the_limit() {
    let dir = site("limits");
    let root = dir.path();
    let long = "x".repeat(300);
    post(root, "slug.md", &format!("slug: {long}\n"), "Slug.\n");
    post(root, "tag.md", &format!("tags: [{long}]\n"), "Tag.\n");
    post(
        root,
        "alias.md",
        &format!("aliases: [/old/{long}/]\n"),
        "Alias.\n",
    );
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    // The source lines are folded by the snippet renderer: compare the message, the place and
    // the help of each report.
    let text = stderr(&out);
    let reports: Vec<(&str, &str, &str)> = text
        .trim_end()
        .split("\n\n")
        .filter(|r| r.starts_with("error:"))
        .map(|r| {
            let lines: Vec<&str> = r.lines().collect();
            (lines[0], lines[1], lines[lines.len() - 1])
        })
        .collect();
    let help = "  = help: shorten it: file systems allow 255 bytes in a file name";
    let x35 = "x".repeat(35);
    assert_eq!(
        reports,
        [
            (
                format!("error: alias `/old/{x35}...` is too long for a URL: 300 bytes, at most 200 are allowed").as_str(),
                " --> content/posts/alias.md:4:10",
                help
            ),
            (
                "error: `slug` is too long for a URL: 300 bytes, at most 200 are allowed",
                " --> content/posts/slug.md:4:7",
                help
            ),
        ]
    );
    assert!(
        text.ends_with("\n\n2 errors in content; nothing was written\n"),
        "{text}"
    );
    let check = run_within(root, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("2 errors, 0 warnings"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    for fixed in ["slug.md", "alias.md"] {
        std::fs::remove_file(root.join("content/posts").join(fixed)).unwrap();
    }
    let out = run_within(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tags: Vec<String> = std::fs::read_dir(root.join("public/tags"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('x'))
        .collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert_eq!(tags[0].len(), 200);
    assert!(
        tags[0].starts_with(&format!("{}-", "x".repeat(191))),
        "{tags:?}"
    );
}
