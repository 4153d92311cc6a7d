//! `playpress new` and `playpress init` over the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn playpress(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playpress"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Today's date in `zone`, now and a minute later (either may be written around midnight).
fn today_in(zone: &str) -> Vec<String> {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let now = jiff::Timestamp::now();
    let later = now + jiff::SignedDuration::from_secs(60);
    [now, later]
        .iter()
        .map(|t| t.to_zoned_datetime(tz.clone()).date().to_string())
        .collect()
}

#[test]
fn new_with_series_picks_the_next_part() {
    let dir = common::site("series");
    let root = dir.path();
    let before = today_in("UTC");
    let out = playpress(
        &[
            "new",
            "Fourth: the \"last\" part",
            "--series",
            "learning rust",
            "--tags",
            "rust, web",
        ],
        root,
    );
    assert_eq!(ok(&out), "content/posts/fourth-the-last-part.md\n");
    let text = fs::read_to_string(root.join("content/posts/fourth-the-last-part.md")).unwrap();
    let expected = |date: &str| {
        format!(
            "---\ntitle: \"Fourth: the \\\"last\\\" part\"\ndate: {date}\nauthor: \"Fixture Author\"\ntags: [\"rust\", \"web\"]\nseries: \"Learning Rust\"\nseries_part: 4\n---\n\n"
        )
    };
    assert!(
        before.iter().any(|d| text == expected(d)),
        "{text}\nexpected {}",
        expected(&before[0])
    );

    // The new part builds into the series.
    fs::write(
        root.join("content/posts/fourth-the-last-part.md"),
        text.replace("---\n\n", "---\nThe end.\n")
            .replace(&format!("date: {}", &before[0]), "date: 2024-05-01"),
    )
    .unwrap();
    common::build_ok(root);
    assert!(common::read(root, "posts/fourth-the-last-part/index.html").contains("Part 4 of 4"));
}

#[test]
fn new_never_overwrites() {
    let dir = common::site("series");
    let root = dir.path();
    let before = fs::read_to_string(root.join("content/posts/a.md")).unwrap();
    let out = playpress(&["new", "A"], root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: the file already exists: `playpress new` never overwrites a file\n --> content/posts/a.md\n  = help: choose another title, or edit the existing file\n"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        fs::read_to_string(root.join("content/posts/a.md")).unwrap(),
        before
    );

    let out = playpress(&["new", "!!!"], root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: the title `!!!` gives an empty file name\n --> content/posts/.md\n  = help: use a title with letters or digits\n"
    );
}

#[test]
fn new_page_and_root_flag() {
    let dir = common::site("series");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let out = playpress(
        &["new", "Privacy Policy", "--page", "--root", root],
        elsewhere.path(),
    );
    let printed = ok(&out);
    assert_eq!(
        printed,
        format!(
            "{}\n",
            dir.path().join("content/pages/privacy-policy.md").display()
        )
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("content/pages/privacy-policy.md")).unwrap(),
        "---\ntitle: \"Privacy Policy\"\n---\n\n"
    );
    let out = playpress(&["new", "X", "--page", "--series", "S"], dir.path());
    assert_eq!(out.status.code(), Some(2), "a page has no series");
}

#[test]
fn new_post_without_series_or_author() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("config.yaml"),
        "title: T\nbase_url: https://example.com/\ntimezone: Pacific/Kiritimati\n",
    )
    .unwrap();
    let dates = today_in("Pacific/Kiritimati");
    ok(&playpress(&["new", "Plain"], root));
    let text = fs::read_to_string(root.join("content/posts/plain.md")).unwrap();
    assert!(
        dates
            .iter()
            .any(|d| text == format!("---\ntitle: \"Plain\"\ndate: {d}\n---\n\n")),
        "{text}"
    );
    common::build_ok(root);
    assert!(
        common::exists(root, "posts/plain/index.html"),
        "today's post is published"
    );
}

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let parent = tempfile::tempdir().unwrap();
    let out = playpress(&["init", "my-blog"], parent.path());
    assert_eq!(
        ok(&out),
        "created a new site in my-blog/:\n  config.yaml\n  .gitignore\n  content/posts/hello-world.md\n  static/\nnext: cd my-blog && playpress serve\n"
    );
    let site = parent.path().join("my-blog");
    assert!(site.join("static").is_dir());
    let config = fs::read_to_string(site.join("config.yaml")).unwrap();
    for key in [
        "title",
        "description",
        "base_url",
        "language",
        "timezone",
        "author",
        "posts_per_page",
        "permalink",
        "search",
        "menu",
        "highlight",
        "footer",
        "extra",
    ] {
        let at = config
            .lines()
            .position(|l| l.starts_with(&format!("{key}:")) || l.starts_with(&format!("#{key}:")))
            .unwrap_or_else(|| panic!("no `{key}` in config.yaml"));
        assert!(
            config.lines().nth(at - 1).unwrap().starts_with('#'),
            "`{key}` has a comment above it"
        );
    }

    let outcome = common::build_with(&site, |_| {});
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let summary = outcome.result.unwrap();
    assert_eq!(summary.posts, 1);
    assert!(
        common::read(&site, "posts/hello-world/index.html")
            .contains("<code class=\"language-rust\"><span class=\"hl-")
    );
    // Search is on in a new site: the index and the search page are made.
    assert!(site.join("public/pagefind/pagefind-entry.json").is_file());
    assert!(common::read(&site, "search/index.html").contains("pagefind/pagefind.js"));
    let check = playpress(&["check", "--strict"], &site);
    assert!(ok(&check).ends_with("links: no problems\n"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = playpress(&["init"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: refusing to create a site in .: the folder is not empty\n  = help: pick a new or empty folder, e.g. playpress init my-blog\n"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing added"
    );

    let empty = tempfile::tempdir().unwrap();
    let out = playpress(&["init"], empty.path());
    assert!(ok(&out).ends_with("next: playpress serve\n"));
    assert!(empty.path().join("config.yaml").exists());
}

/// `config.yaml` of a new site with the `#` taken off the left-out settings, as the file
/// tells its reader: `#author:`, and `#footer:` with those of its lines that `keep` accepts.
fn uncommented(config: &str, author: bool, keep: impl Fn(&str) -> bool) -> String {
    let mut in_footer = false;
    config
        .lines()
        .map(|line| {
            let rest = line.strip_prefix('#').unwrap_or(line);
            if line == "#footer:" {
                in_footer = true;
                return rest;
            }
            in_footer &= line.starts_with("#  ");
            if (in_footer && keep(rest.trim())) || (author && line.starts_with("#author:")) {
                rest
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn uncommenting_the_config_as_it_says_gives_a_valid_config() {
    let config = playpress::cmd::init::CONFIG;
    let path = Path::new("config.yaml");
    // As written, and with every setting left out taken in.
    playpress::Config::parse(config, path).unwrap();
    let all = playpress::Config::parse(&uncommented(config, true, |_| true), path).unwrap();
    assert_eq!(all.author.as_deref(), Some("Your Name"));
    assert_eq!(
        all.footer.about.as_deref(),
        Some("One paragraph about the site or its authors.")
    );
    assert_eq!(all.footer.links.len(), 1);
    assert_eq!(
        all.footer.contact.email.as_deref(),
        Some("hello@example.com")
    );
    assert_eq!(all.footer.copyright.as_deref(), Some("Your Name"));
    // Only `footer:` (before this, `footer: {}` plus one uncommented line was a bare YAML
    // error), and `footer:` with one part of it.
    let footer = playpress::Config::parse(&uncommented(config, false, |_| false), path);
    assert_eq!(footer.unwrap().footer, playpress::Footer::default());
    let some = uncommented(config, false, |l| l.starts_with("copyright"));
    let some = playpress::Config::parse(&some, path).unwrap();
    assert_eq!(some.footer.copyright.as_deref(), Some("Your Name"));
    assert_eq!(some.footer.about, None);
}

#[test]
fn a_new_site_keeps_what_builds_write_out_of_git() {
    let parent = tempfile::tempdir().unwrap();
    ok(&playpress(&["init", "blog"], parent.path()));
    let site = parent.path().join("blog");
    ok(&playpress(&["build"], &site));
    ok(&playpress(&["build"], &site));
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    let patterns: Vec<&str> = ignore.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        patterns,
        ["/public/", "/.public.playpress-*", "/.playpress-cache/"]
    );
    // Everything at the top of the site that a build wrote matches one of them.
    let mut written: Vec<String> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["config.yaml", ".gitignore", "content", "static"].contains(&n.as_str()))
        .collect();
    written.sort();
    for name in &written {
        assert!(
            name == "public"
                || name == ".playpress-cache"
                || name.starts_with(".public.playpress-"),
            "{name} is not ignored"
        );
    }
    assert!(
        written.contains(&".public.playpress-staging".to_string()),
        "{written:?}"
    );
    assert!(
        written.contains(&".public.playpress-lock".to_string()),
        "{written:?}"
    );
}
