//! The real binary: exit codes, the summary line, errors on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn build_prints_one_summary_line_and_exits_0() {
    let dir = site("prev_next");
    let out = playpress()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout.trim_end();
    assert!(!line.contains('\n'), "one line: {stdout:?}");
    assert!(
        line.starts_with("built 7 pages (3 posts, 0 series, 0 tags, 0 pages) in "),
        "{line}"
    );
    assert!(line.ends_with(" ms -> public/"), "{line}");
    assert!(dir.path().join("public/posts/old/index.html").exists());
}

#[test]
fn root_and_output_flags() {
    let dir = site("series");
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("site");
    let out = playpress()
        .args(["build", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(target.join("series/learning-rust/index.html").exists());
    assert!(!dir.path().join("public").exists());
}

#[test]
fn content_errors_exit_1_on_stderr() {
    let dir = site("missing_title");
    let out = playpress()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: missing `title`\n --> content/posts/untitled.md:1:1"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_usage_exits_2() {
    let out = playpress()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = playpress().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_config_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = playpress()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("config.yaml"), "{stderr}");
    assert!(
        stderr.contains("help: run playpress in a site folder"),
        "{stderr}"
    );
}

#[test]
fn warnings_go_to_stderr_and_build_succeeds() {
    let dir = site("unknown_key");
    let out = playpress()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: unknown front matter key `tittle`"),
        "{stderr}"
    );
}

#[test]
fn relative_and_base_url_flags() {
    let dir = site("prev_next");
    let out = playpress()
        .args([
            "build",
            "--relative",
            "--base-url",
            "https://preview.example.net/x/",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let post = std::fs::read_to_string(dir.path().join("public/posts/old/index.html")).unwrap();
    assert!(
        post.contains("<link rel=\"stylesheet\" href=\"../../style.css\">"),
        "{post}"
    );
    assert!(post.contains("href=\"https://preview.example.net/x/posts/old/\""));
}

#[test]
fn timings_print_each_stage_and_the_cache_can_be_skipped() {
    let dir = site("highlighting");
    let timings = |extra: &[&str]| {
        let out = playpress()
            .args(["build", "--timings"])
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stages: Vec<&str> = stdout
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(
            stages,
            [
                "load",
                "parse",
                "render",
                "highlight",
                "write",
                "commit",
                "built"
            ],
            "{stdout}"
        );
        stdout
    };
    let cold = timings(&[]);
    assert!(
        cold.contains("(3 blocks highlighted, 0 from the cache; 3 code lines parsed, 0 reused in "),
        "{cold}"
    );
    assert!(dir.path().join(".playpress-cache").is_dir());
    let warm = timings(&[]);
    assert!(
        warm.contains("(0 blocks highlighted, 3 from the cache; 0 code lines parsed, 0 reused in "),
        "{warm}"
    );
    std::fs::remove_dir_all(dir.path().join(".playpress-cache")).unwrap();
    // Into a new folder, so the pages are rendered again rather than kept from the last build.
    let uncached = timings(&["--no-cache", "--output", "again"]);
    assert!(
        uncached.contains("(3 blocks highlighted, 0 from the cache; 3 code lines parsed"),
        "{uncached}"
    );
    assert!(
        !dir.path().join(".playpress-cache").exists(),
        "--no-cache writes no cache"
    );
}
