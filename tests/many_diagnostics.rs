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
