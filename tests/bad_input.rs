//! Bad input: every case gives a clear error naming the file (line:column with a snippet and
//! a hint where one exists), exit code 1, no panic, and leaves the previous output alone.
//! One fixture per case; the numbers follow the list in the issue.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

/// Builds fixture `name` and returns the error, after checking nothing was written.
fn error_of(name: &str) -> String {
    let dir = site(name);
    let err = build_err(dir.path());
    assert!(
        !dir.path().join("public").exists(),
        "{name}: nothing is written"
    );
    err
}

/// Case 1: malformed YAML: tab indentation, an unclosed quote, `title: a: b`; positions from the top of the file
#[test]
fn malformed_yaml_tab_quote_and_colon() {
    assert_eq!(
        error_of("bad_yaml"),
        "error: invalid YAML: mapping values are not allowed in this context\n --> content/posts/colon.md:2:9\n  |\n2 | title: a: b\n  |         ^ mapping values are not allowed in this context\n  |\n  = help: a value containing `: ` must be quoted, e.g. title: \"a: b\"\n\nerror: invalid YAML: unclosed quote\n --> content/posts/quote.md:2:8\n  |\n2 | title: \"never closed\n  |        ^ unclosed quote\n  |\n  = help: close the quote on the same line, or use a block scalar (`|`)\n\nerror: invalid YAML: while scanning a plain scalar, found a tab\n --> content/posts/tab.md:3:1\n  |\n3 |     date: 2024-01-01\n  | ^^^^ while scanning a plain scalar, found a tab\n  |\n  = help: indent YAML with spaces, not tabs\n\n3 errors in content; nothing was written"
    );
}

/// Case 2: front matter opened but never closed
#[test]
fn front_matter_never_closed() {
    assert_eq!(
        error_of("unclosed_front_matter"),
        "error: front matter is never closed\n --> content/posts/open.md:1:1\n  |\n1 | ---\n  | ^^^ opened here\n  |\n  = help: add a line with `---` after the last front matter key\n\n1 error in content; nothing was written"
    );
}

/// Case 3: no front matter
#[test]
fn no_front_matter_at_all() {
    assert_eq!(
        error_of("no_front_matter"),
        "error: no front matter: the file must start with a `---` line\n --> content/posts/plain.md:1:1\n  |\n1 | # Just Markdown\n  | ^^^^^^^^^^^^^^^ expected `---`\n  |\n  = help: start the file with front matter:\n          ---\n          title: \"My post\"\n          ---\n\n1 error in content; nothing was written"
    );
}

/// Case 4: an empty file
#[test]
fn an_empty_file() {
    assert_eq!(
        error_of("empty_file"),
        "error: the file is empty\n --> content/posts/empty.md\n  = help: start the file with front matter:\n          ---\n          title: \"My post\"\n          ---\n\n1 error in content; nothing was written"
    );
}

/// Case 5: wrong types: `tags: {rust: 1}`, `draft: "maybe"`, `date: 12`, `series_part: two`,
/// `series_part: 0` (`tags: rust` and `draft: "no"` are Jekyll's and Hugo's ways: see tests/compat.rs)
#[test]
fn wrong_types_are_reported_together() {
    assert_eq!(
        error_of("wrong_types"),
        "error: wrong type for `tags`: expected a list or space-separated text, found map\n --> content/posts/a-tags.md:4:7\n  |\n4 | tags: {rust: 1}\n  |       ^ wrong type\n  |\n  = help: write tags as a list, e.g. tags: [rust, web]\n\nerror: wrong type for `draft`: expected true or false, found string \"maybe\"\n --> content/posts/b-draft.md:4:8\n  |\n4 | draft: \"maybe\"\n  |        ^^^^^^^ wrong type\n  |\n  = help: write true or false\n\nerror: invalid `date`: `12` is not a date\n --> content/posts/c-date.md:3:7\n  |\n3 | date: 12\n  |       ^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\nerror: wrong type for `series_part`: expected a positive whole number\n --> content/posts/d-part.md:5:14\n  |\n5 | series_part: two\n  |              ^^^ not a positive whole number\n  |\n  = help: write the part number as a positive whole number, e.g. series_part: 2\n\nerror: `series_part` must be 1 or more\n --> content/posts/e-zero.md:5:14\n  |\n5 | series_part: 0\n  |              ^ parts are counted from 1\n  |\n  = help: the first part of a series is series_part: 1\n\n5 errors in content; nothing was written"
    );
}

/// Case 6: duplicate keys
#[test]
fn duplicate_keys() {
    assert_eq!(
        error_of("duplicate_keys"),
        "error: duplicate key `title`\n --> content/posts/dup.md:4:1\n  |\n4 | title: Second\n  | ^^^^^ second definition\n  |\n  = help: keep only one `title:` line\n\n1 error in content; nothing was written"
    );
}

/// Case 7: YAML 1.1 traps: `title:` empty is rejected with a hint
#[test]
fn an_empty_title_is_rejected() {
    assert_eq!(
        error_of("empty_title"),
        "error: `title` is empty\n --> content/posts/blank.md:2:6\n  |\n2 | title:\n  |      ^ no title here\n  |\n  = help: give the post a title, e.g. title: \"My post\"\n\n1 error in content; nothing was written"
    );
}

/// Case 8: impossible dates
#[test]
fn impossible_dates_list_the_formats() {
    assert_eq!(
        error_of("impossible_dates"),
        "error: invalid `date`: `2026-02-30` is not a valid date: month 2 of 2026 has no day 30\n --> content/posts/feb.md:3:7\n  |\n3 | date: 2026-02-30\n  |       ^^^^^^^^^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\nerror: invalid `date`: `2026-13-01` is not a valid date: there is no month 13\n --> content/posts/month.md:3:7\n  |\n3 | date: 2026-13-01\n  |       ^^^^^^^^^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\n2 errors in content; nothing was written"
    );
}

/// Case 10: a file name or slug that slugifies to nothing
#[test]
fn names_that_slugify_to_nothing() {
    assert_eq!(
        error_of("empty_slug"),
        "error: the file name `!!!` gives an empty URL slug\n --> content/posts/!!!.md\n  = help: add a `slug:` to the front matter, e.g. slug: my-post\n\nerror: invalid `slug` `!!!`: only letters, digits, `-`, `_`, `.` and `~` are allowed\n --> content/posts/given.md:4:7\n  |\n4 | slug: \"!!!\"\n  |       ^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: my-post\n\n2 errors in content; nothing was written"
    );
}

/// Case 13: a file that is not UTF-8
#[test]
fn a_file_that_is_not_utf8() {
    assert_eq!(
        error_of("not_utf8"),
        "error: not valid UTF-8 at byte 43\n --> content/posts/latin1.md:5:4\n  |\n5 | caf\u{fffd}\n  |    ^ this byte\n  |\n  = help: save the file as UTF-8 (the text may be in Latin-1 or Windows-1252)\n\n1 error in content; nothing was written"
    );
}

/// Case 15: YAML alias bombs
#[test]
fn yaml_alias_bombs_hit_the_budget() {
    assert_eq!(
        error_of("yaml_bomb"),
        "error: YAML is too large or expands too much (too many recorded anchor events)\n  --> content/posts/bomb.md:10:10\n   |\n10 |   f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n   |          ^^ limit reached here\n   |\n   = help: simplify this YAML: front matter and config are small documents; avoid aliases that repeat other aliases\n\n1 error in content; nothing was written"
    );
}

/// Case 15: deep nesting
#[test]
fn deep_nesting_hits_the_budget() {
    assert_eq!(
        error_of("deep_nesting"),
        "error: YAML is nested too deeply (more than 64 levels)\n --> content/posts/deep.md:4:72\n  |\n4 | nested: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n  |                                                                        ^ too deep here\n  |\n  = help: flatten this value: front matter and config need only a few levels\n\n1 error in content; nothing was written"
    );
}

/// Case 7: YAML 1.1 traps: `title: no` and `title: 1.10` stay the text the author wrote.
#[test]
fn yaml_1_1_traps_keep_the_text() {
    let dir = site("yaml_traps");
    build_ok(dir.path());
    assert!(read(dir.path(), "posts/no/index.html").contains("<h1>no</h1>"));
    assert!(read(dir.path(), "posts/version/index.html").contains("<h1>1.10</h1>"));
}

/// Case 14: A 50 MB post and a pathological line build in bounded time and memory.
#[test]
fn huge_and_pathological_posts_build() {
    let dir = site("empty_title");
    std::fs::remove_file(dir.path().join("content/posts/blank.md")).unwrap();
    let paragraph =
        "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit. ".repeat(20) + "\n\n";
    let big = format!(
        "---\ntitle: Big\ndate: 2024-01-01\n---\n{}",
        paragraph.repeat(4_000)
    );
    std::fs::write(dir.path().join("content/posts/big.md"), big).unwrap();
    let brackets = format!(
        "---\ntitle: Brackets\ndate: 2024-01-02\n---\n{}\n",
        "[".repeat(100_000)
    );
    std::fs::write(dir.path().join("content/posts/brackets.md"), brackets).unwrap();
    build_ok(dir.path());
    assert!(read(dir.path(), "posts/brackets/index.html").contains("[[[[[[[["));
}

/// Case 18: a missing template (the names searched)
#[test]
fn a_missing_template_names_where_it_was_looked_for() {
    assert_eq!(
        error_of("missing_template"),
        "error: Unknown template `partials/missing.html`\n --> post.html:3:12\n  |\n3 | {% include \"partials/missing.html\" %}\n  |            ^^^^^^^^^^^^^^^^^^^^^^^\n  = note: `post.html` is templates/post.html; looked for templates/partials/missing.html in the site and for `partials/missing.html` in the built-in theme\n  = help: fix the template; nothing was written"
    );
}

/// Case 19: an include cycle
#[test]
fn an_include_cycle() {
    assert_eq!(
        error_of("include_cycle"),
        "error: templates include each other in a loop: a.html -> b.html -> a.html\n  = note: `a.html` is templates/a.html; `b.html` is templates/b.html\n  = help: remove one of these includes; nothing was written"
    );
}

/// Case 19: an extends cycle
#[test]
fn an_extends_cycle() {
    assert_eq!(
        error_of("extends_cycle"),
        "error: templates extend each other in a loop: z.html -> y.html -> z.html\n  = note: `z.html` is templates/z.html; `y.html` is templates/y.html\n  = help: one of them must not use `extends`; nothing was written"
    );
}

/// Case 11: two sources producing the same URL: posts, pages, the tag index, aliases, and case-only differences
#[test]
fn two_sources_for_one_url_name_every_file() {
    assert_eq!(
        error_of("collisions"),
        "error: two sources produce the URL /tags/: the tag index and content/pages/tags.md\n --> content/pages/tags.md\n  = help: give all of them but one another `slug:`\n\nerror: two sources produce URLs that differ only in case, /Hello/ and /hello/, which are one file on case-insensitive file systems: content/posts/b.md and content/posts/c.md\n --> content/posts/c.md\n  = help: give all of them but one another `slug:`\n\nerror: 3 sources produce the URL /about/: content/pages/about.md, content/posts/a.md and content/posts/d.md (an alias)\n --> content/posts/d.md\n  = help: remove the alias, or give the other pages another `slug:`\n\n3 errors in content; nothing was written"
    );
}

/// Case 12: a slug or alias with `../`, an absolute path, a backslash, NUL or a Windows device name
#[test]
fn unsafe_slugs_and_aliases_are_rejected() {
    assert_eq!(
        error_of("unsafe_paths"),
        "error: invalid `slug` `../x`: it contains `/`\n --> content/posts/a.md:4:7\n  |\n4 | slug: \"../x\"\n  |       ^^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: x\n\nerror: invalid `slug` `a\\\\b`: only letters, digits, `-`, `_`, `.` and `~` are allowed\n --> content/posts/b.md:4:7\n  |\n4 | slug: \"a\\\\b\"\n  |       ^^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: a-b\n\nerror: invalid `slug` `con`: must not use the reserved name `con`\n --> content/posts/c.md:4:7\n  |\n4 | slug: \"con\"\n  |       ^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: con-post\n\nerror: invalid `slug` `a\\0b`: only letters, digits, `-`, `_`, `.` and `~` are allowed\n --> content/posts/d.md:4:7\n  |\n4 | slug: \"a\\0b\"\n  |       ^^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: a-b\n\nerror: invalid alias `/../../etc/passwd`: must not contain `.` or `..` segments\n --> content/posts/e.md:4:10\n  |\n4 | aliases: [\"/../../etc/passwd\", \"relative/x\"]\n  |          ^ in this list\n  |\n  = help: an alias is an old path of this post on the site, e.g. /2019/05/old-name/\n\nerror: invalid alias `relative/x`: it must start with `/`\n --> content/posts/e.md:4:10\n  |\n4 | aliases: [\"/../../etc/passwd\", \"relative/x\"]\n  |          ^ in this list\n  |\n  = help: an alias is an old path of this post on the site, e.g. /2019/05/old-name/\n\nerror: invalid `slug` `/absolute`: it contains `/`\n --> content/posts/f.md:4:7\n  |\n4 | slug: \"/absolute\"\n  |       ^^^^^^^^^^^ invalid slug\n  |\n  = help: use letters, digits and dashes, e.g. slug: absolute\n\n7 errors in content; nothing was written"
    );
}

/// Case 12: a permalink with `../`
#[test]
fn an_unsafe_permalink_is_rejected() {
    assert_eq!(
        error_of("unsafe_permalink"),
        "error: permalink `/../{slug}/` must not contain `.` or `..` segments\n --> config.yaml:3:12\n  |\n3 | permalink: /../{slug}/\n  |            ^^^^^^^^^^^"
    );
}

/// Case 11: Tags whose names differ but share a URL are merged, with a warning.
#[test]
fn tags_sharing_a_url_are_merged_with_a_warning() {
    let dir = site("tag_merge");
    let outcome = build_ok(dir.path());
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: tags `C` and `C++` share the URL /tags/c/ and are shown as one tag `C`\n --> content/posts/a.md\n  = help: use one spelling for the tag, or rename one of them"
        ]
    );
    assert!(read(dir.path(), "tags/index.html").contains(">C <span class=\"count\">2"));
}

/// Case 22: A symlink loop and a dangling symlink in content/.
#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    let dir = site("symlinks");
    let posts = dir.path().join("content/posts");
    std::os::unix::fs::symlink(&posts, posts.join("loop")).unwrap();
    std::os::unix::fs::symlink(posts.join("missing.md"), posts.join("dangling.md")).unwrap();
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: broken symbolic link: its target does not exist\n --> content/posts/dangling.md\n  = help: remove the link or restore the file it points to\n\nerror: symbolic link loop\n --> content/posts/loop\n  = help: this link points to a folder that contains it; remove or fix the link\n\n2 errors in content; nothing was written"
    );
}

/// Case 23: An unreadable file (permission denied). As root, the build runs as `nobody`.
#[cfg(unix)]
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site("unreadable");
    let root = dir.path();
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let mut command = if as_root {
        // Root reads everything: drop to `nobody` so the permission applies.
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() {
                0o777
            } else {
                0o666
            };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_playpress"),
        ]);
        c
    } else {
        playpress()
    };
    std::fs::set_permissions(
        root.join("content/posts/secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let out = command
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read: Permission denied (os error 13)\n --> content/posts/secret.md\n  = help: check the file's permissions\n\n1 error in content; nothing was written\n"
    );
    assert!(!root.join("public").exists());
}

/// Case 13: a file name that is not UTF-8
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = site("determinism");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        dir.path().join("content/posts").join(name),
        "---\ntitle: Latin-1 name\ndate: 2024-01-01\n---\nBody.\n",
    )
    .unwrap();
    assert_eq!(
        error_of_dir(&dir),
        "error: the file name is not valid UTF-8\n --> content/posts/caf\u{fffd}.md\n  = help: rename the file using UTF-8 characters\n\n1 error in content; nothing was written"
    );
}

fn error_of_dir(dir: &tempfile::TempDir) -> String {
    let err = build_err(dir.path());
    assert!(!dir.path().join("public").exists(), "nothing is written");
    err
}

/// Case 25: Two builds at once on the same output: the second fails clearly and touches nothing.
#[test]
fn a_second_build_on_a_locked_output_fails_clearly() {
    let dir = site("determinism");
    let root = dir.path();
    let public = root.join("public");
    build_ok(root);
    let before = snapshot(&public);
    // Another build holds the lock (a build takes it for as long as it writes).
    let held =
        playpress::OutputLock::acquire(root, &public, playpress::Holder::Build, false).unwrap();
    let out = playpress()
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: another build (pid {}) is writing to {} (lock file {})\n  = help: wait for it to finish, then build again\n",
            std::process::id(),
            public.display(),
            root.join(".public.playpress-lock").display()
        )
    );
    assert_same_tree(
        &before,
        &snapshot(&public),
        "the locked output is untouched",
    );
    // Once the lock is given back, building works again.
    drop(held);
    build_ok(root);
}

/// A site of `posts` posts, each with highlighted code, so a build takes a while.
fn many_posts(posts: usize) -> tempfile::TempDir {
    let dir = site("determinism");
    let code = "fn main() {\n    let xs: Vec<u64> = (0..10).map(|x| x * x).collect();\n    println!(\"{xs:?}\");\n}\n".repeat(8);
    for n in 0..posts {
        std::fs::write(
            dir.path().join(format!("content/posts/many-{n}.md")),
            format!(
                "---\ntitle: Post {n}\ndate: 2023-01-01T00:{:02}:{:02}Z\ntags: [t{}]\n---\nText {n}.\n\n```rust\n// {n}\n{code}```\n",
                n / 60 % 60,
                n % 60,
                n % 7
            ),
        )
        .unwrap();
    }
    dir
}

/// Case 26: A build killed with SIGKILL halfway leaves the previous output whole; the next build
/// succeeds and equals a build from scratch.
#[cfg(unix)]
#[test]
fn a_build_killed_halfway_leaves_the_old_output_whole() {
    let dir = many_posts(400);
    let root = dir.path();
    let public = root.join("public");
    let build = |extra: &[&str]| {
        let mut command = playpress();
        command
            .args(["build", "--no-cache", "--root"])
            .arg(root)
            .args(extra);
        command
    };
    assert!(build(&[]).output().unwrap().status.success());
    let before = snapshot(&public);
    // Change every page, then start a build and kill it while it writes.
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    std::fs::write(
        root.join("config.yaml"),
        config.replace("title: Fixture", "title: Renamed"),
    )
    .unwrap();
    let staging = root.join(".public.playpress-staging");
    // The staging folder keeps the files of earlier builds: count only the ones this build wrote.
    let spawned = std::time::SystemTime::now();
    let mut child = build(&[])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let written = |dir: &std::path::Path| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                e.metadata()
                    .is_ok_and(|m| m.modified().is_ok_and(|t| t >= spawned))
            })
            .count()
    };
    let started = std::time::Instant::now();
    while written(&staging) < 50 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed halfway"
        );
        assert!(started.elapsed().as_secs() < 120, "the build wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed before it finished");
    assert_same_tree(&before, &snapshot(&public), "the old output is whole");

    // The next build succeeds and its output is the same as a build from scratch.
    let out = build(&[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = tempfile::tempdir().unwrap();
    let out = build(&["--output"])
        .arg(fresh.path().join("public"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_tree(
        &snapshot(&fresh.path().join("public")),
        &snapshot(&public),
        "after a killed build, the next build equals a build from scratch",
    );
    assert!(read(root, "index.html").contains("Renamed"));
}

/// Case 27: A full disk while writing: the build fails naming the file, and the previous output is
/// left as it was. The disk is a 1 MiB tmpfs mounted in a private mount namespace
/// (`unshare`), so the test needs neither root nor a real full disk.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_previous_output_whole() {
    let dir = site("determinism");
    let root = dir.path();
    let disk = root.join("disk");
    let results = tempfile::tempdir().unwrap();
    std::fs::create_dir(&disk).unwrap();
    // The second build adds a 2 MB page, which does not fit on the 1 MiB disk.
    let big = results.path().join("big.md");
    let paragraph = "A line of the page that does not fit on the disk. ".repeat(20) + "\n\n";
    std::fs::write(
        &big,
        format!("---\ntitle: Big\n---\n{}", paragraph.repeat(2_000)),
    )
    .unwrap();
    let script = r#"set -e
mount -t tmpfs -o size=1m tmpfs "$2"
"$1" build --root "$3" --output "$2/public" >/dev/null
cp -a "$2/public" "$4/before"
cp "$4/big.md" "$3/content/pages/big.md"
set +e
RAYON_NUM_THREADS=1 "$1" build --root "$3" --output "$2/public" 2>"$4/stderr"
echo $? > "$4/code"
cp -a "$2/public" "$4/after"
ls -A "$2" > "$4/left"
rm "$3/content/pages/big.md"
"$1" build --root "$3" --output "$2/public" >/dev/null 2>"$4/stderr2"
echo $? > "$4/code2"
"#;
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    let out = std::process::Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script, "sh"])
        .arg(env!("CARGO_BIN_EXE_playpress"))
        .arg(&disk)
        .arg(root)
        .arg(results.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "this test needs `unshare` with user namespaces (util-linux): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read_result = |name: &str| std::fs::read_to_string(results.path().join(name)).unwrap();
    assert_eq!(read_result("code"), "1\n");
    assert_eq!(
        read_result("stderr"),
        format!(
            "error: cannot write {}: No space left on device (os error 28)\n  = help: free some disk space, then build again; the previous output was left as it was\n",
            disk.join(".public.playpress-staging/big/index.html")
                .display()
        )
    );
    assert_same_tree(
        &snapshot(&results.path().join("before")),
        &snapshot(&results.path().join("after")),
        "the previous output is whole",
    );
    // The failed build removed what it wrote, so the disk is not left full: once the site
    // fits again, the next build succeeds (before, the half-written staging folder stayed).
    let left = read_result("left");
    assert!(!left.contains("playpress-staging"), "{left}");
    assert_eq!(read_result("code2"), "0\n", "{}", read_result("stderr2"));
}

/// A permalink that leads to another host, or carries a query, fragment, percent-escape or
/// space, is refused at its line (before, links became `href="//evil.example/first/"`).
#[test]
fn a_permalink_must_be_a_plain_path_on_the_site() {
    assert_eq!(
        error_of("bad_permalink"),
        "error: permalink `//evil.example/{slug}/` contains `//`: a URL starting so leads to another site\n --> config.yaml:3:12\n  |\n3 | permalink: \"//evil.example/{slug}/\"\n  |            ^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: write one `/` between the parts, e.g. permalink: /posts/{slug}/"
    );
    for (pattern, what) in [
        ("/{slug}/?x=1", "`?`"),
        ("/{slug}/#x", "`#`"),
        ("/%2e%2e/{slug}/", "`%`"),
        ("/my posts/{slug}/", "a space"),
    ] {
        let dir = site("bad_permalink");
        std::fs::write(
            dir.path().join("config.yaml"),
            format!("title: T\nbase_url: https://example.com/\npermalink: \"{pattern}\"\n"),
        )
        .unwrap();
        let err = build_err(dir.path());
        assert!(
            err.starts_with(&format!(
                "error: permalink `{pattern}` contains {what}: it must be a plain path\n --> config.yaml:3:12\n"
            )),
            "{err}"
        );
        assert!(
            err.ends_with("= help: use letters, digits, `-`, `_`, `.` and the tokens, e.g. permalink: /{year}/{slug}/"),
            "{err}"
        );
    }
}

/// Offsets of a day or more (`+24:00`, `+25:00`) were accepted and shifted the time.
#[test]
fn offsets_of_a_day_or_more_are_refused() {
    assert_eq!(
        error_of("bad_offsets"),
        "error: invalid `date`: `2024-01-01T09:00:00+24:00` has the offset +24, which is not a time zone offset: offsets go from -23:59 to +23:59\n --> content/posts/a.md:3:7\n  |\n3 | date: 2024-01-01T09:00:00+24:00\n  |       ^^^^^^^^^^^^^^^^^^^^^^^^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\nerror: invalid `date`: `2024-01-01T09:00:00+25:00` has the offset +25, which is not a time zone offset: offsets go from -23:59 to +23:59\n --> content/posts/b.md:3:7\n  |\n3 | date: 2024-01-01T09:00:00+25:00\n  |       ^^^^^^^^^^^^^^^^^^^^^^^^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\n2 errors in content; nothing was written"
    );
}

/// Year 9999 gave "does not exist in the site's time zone: ... overflowed".
#[test]
fn a_year_out_of_range_says_what_is_accepted() {
    assert_eq!(
        error_of("out_of_range"),
        "error: invalid `date`: `9999-12-31` is out of range: dates from 0001-01-01 to 9998-12-31 are accepted\n --> content/posts/far.md:3:7\n  |\n3 | date: 9999-12-31\n  |       ^^^^^^^^^^ not a date\n  |\n  = help: accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024\n\n1 error in content; nothing was written"
    );
}

/// Series `C++` and `C#` both became /series/c/ silently; `c++` is the same name as `C++`.
#[test]
fn two_series_sharing_a_url_are_an_error() {
    assert_eq!(
        error_of("series_clash"),
        "error: series `C++` (content/posts/a.md) and `C#` (content/posts/b.md) share the URL /series/c/\n --> content/posts/b.md:4:1\n  |\n4 | series: C#\n  | ^^^^^^ same URL\n  |\n  = help: rename one of them so the names differ in letters or digits (e.g. `C Sharp` for `C#`), or use one name for both\n\n1 error in content; nothing was written"
    );
}

/// A site without content/ built an empty site over public/.
#[test]
fn a_site_without_content_is_an_error() {
    let dir = site("no_content");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        format!(
            "error: no `content/` folder in {}\n --> content\n  = help: put the posts in content/posts/, or pass --root with the site folder\n\n1 error in content; nothing was written",
            dir.path().display()
        )
    );
    assert!(!dir.path().join("public").exists());
}

/// `image: nope.png` made `og:image` point at nothing and `check` said nothing: a warning
/// in `build`, an error in `check`. A file in static/ is found.
#[test]
fn an_image_that_is_not_a_file_of_the_site() {
    let dir = site("missing_image");
    let outcome = build_with(dir.path(), |_| {});
    assert!(outcome.result.is_ok());
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    let expected = |level: &str| {
        format!(
            "{level}: `image` nope.png is not a file of the site (looked for /posts/pic/nope.png)\n --> content/posts/pic/index.md:4:1\n  |\n4 | image: nope.png\n  | ^^^^^ no such file\n  |\n  = help: put the picture beside the post's index.md or in static/, or give a full https:// URL"
        )
    };
    assert_eq!(warnings, [expected("warning")]);
    let out = playpress()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("{}\n\n", expected("error"))),
        "{stdout}"
    );
}

/// An unclosed quote on line 2 was reported at line 4 (`tags:`) as "invalid trailing
/// content", with no hint: the quote that opened the value is what to fix.
#[test]
fn an_unclosed_quote_is_reported_where_it_opened() {
    assert_eq!(
        error_of("unclosed_quote"),
        "error: invalid YAML: unclosed quote\n --> content/posts/open.md:2:8\n  |\n2 | title: \"Never closed\n  |        ^ this quote is not closed on its line\n  |\n  = help: close the quote on the same line, or use a block scalar (`|`); the value now runs on to the \" on line 4\n\n1 error in content; nothing was written"
    );
}
