//! Posts with many problems: thousands of warnings in one post, and on one long line, are
//! reported as one grouped warning with a small excerpt at the right line:column (nothing
//! per diagnostic is proportional to the file or the line).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::build_ok;

/// A site whose only post is `content/posts/{name}.md` with `body` under its front matter.
fn site_with_post(name: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("config.yaml"),
        "title: T\nbase_url: https://example.com/\ntimezone: UTC\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/posts")).unwrap();
    std::fs::write(
        root.join(format!("content/posts/{name}.md")),
        format!("---\ntitle: Many\ndate: 2024-01-01\n---\n{body}"),
    )
    .unwrap();
    dir
}

const TWEET_HINT: &str = "playpress reads Hugo's figure, highlight, ref, relref, youtube, vimeo, gist, details and callouts (notice, alert, ...); write Markdown or HTML for this one";

#[test]
fn twenty_thousand_unknown_shortcodes_are_one_warning() {
    let dir = site_with_post("many", &"{{< tweet 1 >}}\n\n".repeat(20_000));
    let outcome = build_ok(dir.path());
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: `{{{{< tweet >}}}}` is not understood, shown as text, 20000 times\n --> content/posts/many.md:5:1\n  |\n5 | {{{{< tweet 1 >}}}}\n  | ^^ written for another generator\n  |\n  = note: also in content/posts/many.md:7, content/posts/many.md:9, content/posts/many.md:11 and 19996 more\n  = help: {TWEET_HINT}"
        )]
    );
}

#[test]
fn shortcodes_on_one_long_line_keep_small_excerpts() {
    // A 2 MB line: 2,000 unknown shortcodes, each after 1,000 bytes of words.
    let filler = "word ".repeat(200);
    let line = format!("{filler}{{{{< tweet 1 >}}}} ").repeat(2_000);
    assert!(line.len() > 2_000_000);
    let dir = site_with_post("long", &format!("{line}\n"));
    let outcome = build_ok(dir.path());
    assert_eq!(outcome.warnings.len(), 1, "{:?}", outcome.warnings.len());
    let warning = &outcome.warnings[0];
    // What the diagnostic holds is bounded, whatever the length of the line.
    let held = format!("{warning:?}").len();
    assert!(held < 4_096, "the diagnostic holds {held} bytes");
    let shown = warning.to_string();
    assert!(shown.len() < 2_048, "{} bytes shown:\n{shown}", shown.len());
    assert_eq!(
        shown,
        format!(
            "warning: `{{{{< tweet >}}}}` is not understood, shown as text, 2000 times\n --> content/posts/long.md:5:1001\n  |\n5 | ...ord word word word word word word word word word {{{{< tweet 1 >}}}} word word word word word word word word word word word word word ...\n  |                                                     ^^ written for another generator\n  |\n  = note: also in content/posts/long.md:5, content/posts/long.md:5, content/posts/long.md:5 and 1996 more\n  = help: {TWEET_HINT}"
        )
    );
}

const LINK_HINT: &str =
    "link to a file under content/ by its path, e.g. @/posts/name.md, or fix the name";

#[test]
fn twenty_thousand_broken_internal_links_are_each_an_error_at_its_line() {
    let body: String = (0..20_000)
        .map(|i| format!("[x](@/posts/gone-{i}.md)\n\n"))
        .collect();
    let dir = site_with_post("many", &body);
    let shown = common::build_err(dir.path());
    assert_eq!(shown.matches("leads to no post or page").count(), 20_000);
    let first = format!(
        "error: `@/posts/gone-0.md` leads to no post or page\n --> content/posts/many.md:5:5\n  |\n5 | [x](@/posts/gone-0.md)\n  |     ^^^^^^^^^^^^^^^^^ no such document\n  |\n  = help: {LINK_HINT}\n\n"
    );
    assert!(shown.starts_with(&first), "{}", &shown[..600]);
    let last = format!(
        "\n\nerror: `@/posts/gone-19999.md` leads to no post or page\n     --> content/posts/many.md:40003:5\n      |\n40003 | [x](@/posts/gone-19999.md)\n      |     ^^^^^^^^^^^^^^^^^^^^^ no such document\n      |\n      = help: {LINK_HINT}\n\n20000 errors in content; nothing was written"
    );
    assert!(shown.ends_with(&last), "{}", &shown[shown.len() - 600..]);
}

#[test]
fn broken_links_on_one_long_line_are_shown_from_a_window_of_it() {
    // A 2 MB line: 2,000 broken links, each after 1,000 bytes of words.
    let filler = "word ".repeat(200);
    let line: String = (0..2_000)
        .map(|i| format!("{filler}[x](@/posts/gone-{i}.md) "))
        .collect();
    assert!(line.len() > 2_000_000);
    let dir = site_with_post("long", &format!("{line}\n"));
    let shown = common::build_err(dir.path());
    assert_eq!(shown.matches("leads to no post or page").count(), 2_000);
    assert!(shown.len() < 2_000 * 1_024, "{} bytes shown", shown.len());
    // The second link's target: after the first link's 1,023 bytes, 1,000 of words and `[x](`.
    let second = "\n\nerror: `@/posts/gone-1.md` leads to no post or page\n --> content/posts/long.md:5:2028\n  |\n5 | ...ord word word word word word word word word [x](@/posts/gone-1.md) word word word word word word word word word word word word wor...\n  |                                                    ^^^^^^^^^^^^^^^^^ no such document\n  |\n";
    assert!(shown.contains(second), "{}", &shown[..2_000]);
}

#[test]
fn the_link_checker_reports_twenty_thousand_broken_links_of_one_post() {
    let body: String = (0..20_000)
        .map(|i| format!("[x](/nowhere-{i}/)\n\n"))
        .collect();
    let dir = site_with_post("many", &body);
    let out = common::playpress()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let hint = "  = help: link to a page or file of the site, or fix the address";
    let first = format!(
        "error: broken link `/nowhere-0/`: no page or file has the URL /nowhere-0/ (on /)\n --> content/posts/many.md:5:5\n  |\n5 | [x](/nowhere-0/)\n  |     ^^^^^^^^^^^ not found\n  |\n{hint}\n\nerror: broken link `/nowhere-1/`: no page or file has the URL /nowhere-1/\n --> content/posts/many.md:7:5\n"
    );
    assert!(stdout.starts_with(&first), "{}", &stdout[..600]);
    let last = format!(
        "\n\nerror: broken link `/nowhere-19999/`: no page or file has the URL /nowhere-19999/\n     --> content/posts/many.md:40003:5\n      |\n40003 | [x](/nowhere-19999/)\n      |     ^^^^^^^^^^^^^^^ not found\n      |\n    {hint}\n\nchecked 6 pages and 20079 links: 20000 errors, 0 warnings\n"
    );
    assert!(stdout.ends_with(&last), "{}", &stdout[stdout.len() - 600..]);
}
