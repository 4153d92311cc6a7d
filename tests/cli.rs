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
        line.starts_with("built 10 pages (3 posts, 0 series, 0 tags, 0 pages) in "),
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
        post.contains("<link rel=\"stylesheet\" href=\"../../style."),
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
                "pictures",
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

fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    playpress().args(args).current_dir(dir).output().unwrap()
}

/// The figures between "built " (or "checked ") and " in" / " and".
fn counts_in(line: &str, prefix: &str) -> String {
    let rest = line
        .split(prefix)
        .nth(1)
        .unwrap_or_else(|| panic!("{line}"));
    rest.split(" in ").next().unwrap().to_string()
}

/// `build` said 27 pages, `serve` 39 and `check` counted alias pages: all three count the
/// pages readers see, the same way, on a site with aliases, feeds and a sitemap.
#[test]
fn build_serve_and_check_report_the_same_page_counts() {
    let dir = site("aliases");
    let root = dir.path();
    let build = run_in(root, &["build"]);
    let build_line = String::from_utf8(build.stdout).unwrap();
    let built = counts_in(&build_line, "built ");
    assert!(built.starts_with("6 pages ("), "{build_line}");

    let mut server = common::server::Server::start(root, &[]);
    let served = server
        .skipped
        .iter()
        .find(|l| l.starts_with("built "))
        .map(|l| counts_in(l, "built "))
        .unwrap_or_else(|| panic!("no built line: {:?}", server.skipped));
    assert_eq!(served, built);
    // Adding a post: the rebuild line says what the site now holds.
    std::fs::write(
        root.join("content/posts/added.md"),
        "---\ntitle: Added\ndate: 2024-06-01\n---\nNew.\n",
    )
    .unwrap();
    let rebuilt = server.wait_for_line("rebuilt ");
    assert!(
        rebuilt.contains("(content/posts/added.md): 7 pages ("),
        "{rebuilt}"
    );
    drop(server);
    std::fs::remove_file(root.join("content/posts/added.md")).unwrap();

    let check = run_in(root, &["check"]);
    let check_out = String::from_utf8(check.stdout).unwrap();
    let pages = built.split(' ').next().unwrap();
    assert!(
        check_out.contains(&format!("checked {pages} pages and ")),
        "{check_out}"
    );
}

/// `playpress new` inside content/ could not find config.yaml. Every command finds the site
/// by walking up to the nearest config.yaml, and says which folder it used.
#[test]
fn commands_find_the_site_from_a_folder_inside_it() {
    let dir = site("prev_next");
    let posts = dir.path().join("content/posts");
    let out = run_in(&posts, &["new", "From inside", "--draft"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "note: using the site in ../.. (the nearest folder with a config.yaml)\n"
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "../../content/posts/from-inside.md\n"
    );
    let text = std::fs::read_to_string(posts.join("from-inside.md")).unwrap();
    assert!(text.ends_with("draft: true\n---\n\n"), "{text}");

    let out = run_in(&posts, &["build"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.ends_with(" ms -> ../../public/\n"), "{stdout}");
    // The draft is left out.
    assert!(stdout.starts_with("built 10 pages (3 posts,"), "{stdout}");
    assert!(!dir.path().join("public/posts/from-inside").exists());
    // At the root itself, nothing is said.
    let out = run_in(dir.path(), &["build"]);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

/// Errors and warnings in colour when stderr is a terminal (forced here with
/// CLICOLOR_FORCE, as a terminal would), never with NO_COLOR, and plain when piped.
#[test]
fn reports_are_coloured_only_for_a_terminal() {
    let dir = site("missing_title");
    let plain = run_in(dir.path(), &["build"]);
    let plain_text = String::from_utf8(plain.stderr).unwrap();
    assert!(plain_text.starts_with("error: "), "{plain_text}");
    assert!(!plain_text.contains('\u{1b}'));

    let forced = playpress()
        .arg("build")
        .current_dir(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let coloured = String::from_utf8(forced.stderr).unwrap();
    assert!(
        coloured.starts_with("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: "),
        "{coloured:?}"
    );

    let refused = playpress()
        .arg("build")
        .current_dir(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(refused.stderr).unwrap(), plain_text);
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, start) in [
        ("bash", "_playpress() {"),
        ("zsh", "#compdef playpress"),
        ("fish", "# Print an optspec"),
    ] {
        let out = playpress().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.starts_with(start), "{shell}: {script}");
        assert!(script.contains("serve"), "{shell}");
    }
}
