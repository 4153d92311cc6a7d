//! Nothing lost, nothing leaked: outputs that would overlap what a build reads, files and
//! links where playpress keeps its own, and links that lead out of the site. Each case runs
//! the real binary on a fixture and asserts the exact message and that nothing was touched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

fn run(root: &Path, args: &[&str]) -> Output {
    playpress().args(args).current_dir(root).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `build --output` into a folder the build reads: refused, naming both paths, and every
/// source file is still there (before, `--output content` deleted every post).
#[test]
fn an_output_that_overlaps_a_source_folder_is_refused() {
    let dir = site("determinism");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/logo.txt"), "logo").unwrap();
    let before = snapshot(root);
    let real = root.canonicalize().unwrap();
    let cases = [
        (
            "content",
            "it is the site's content/ folder, which the build reads: building would delete it"
                .to_string(),
        ),
        (
            "templates",
            "it is the site's templates/ folder, which the build reads: building would delete it"
                .to_string(),
        ),
        (
            "static/out",
            format!(
                "it lies inside the site's static/ folder ({}), which the build reads: each build would copy the one before into itself",
                real.join("static").display()
            ),
        ),
        (
            "content/posts",
            format!(
                "it lies inside the site's content/ folder ({}), which the build reads: each build would copy the one before into itself",
                real.join("content").display()
            ),
        ),
    ];
    for (output, reason) in cases {
        let out = run(root, &["build", "--output", output]);
        assert_eq!(out.status.code(), Some(1), "{output}");
        assert_eq!(
            stderr(&out),
            format!(
                "error: refusing to use {output} as the output directory: {reason}\n  = help: pass a folder apart from content/, templates/ and static/, e.g. --output public\n"
            )
        );
        // `serve` takes its output the same way.
        let out = run(root, &["serve", "--port", "0", "--output", output]);
        assert_eq!(out.status.code(), Some(1), "serve {output}");
        assert!(
            stderr(&out).contains(&reason),
            "serve {output}: {}",
            stderr(&out)
        );
    }
    assert_same_tree(&before, &snapshot(root), "no source file was touched");
}

/// An output that is an existing file: refused, and the file stays where it is (before, it
/// was moved to `.notes.txt.playpress-staging` and deleted by the next build).
#[test]
fn an_output_that_is_a_file_is_refused() {
    let dir = site("determinism");
    let root = dir.path();
    std::fs::write(root.join("notes.txt"), "my notes").unwrap();
    let out = run(root, &["build", "--output", "notes.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: refusing to use notes.txt as the output directory: it is a file, not a folder\n  = help: pass a folder with --output, e.g. --output public; the file was left as it was\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert!(!root.join(".notes.txt.playpress-staging").exists());
}

/// The lock file and the staging folder are never followed when they are links (before, a
/// linked file was truncated to 0 bytes).
#[cfg(unix)]
#[test]
fn the_lock_and_the_staging_folder_are_never_followed() {
    let dir = site("determinism");
    let root = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let precious = elsewhere.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let lock = root.join(".public.playpress-lock");
    std::os::unix::fs::symlink(&precious, &lock).unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: the lock file {} is a symbolic link: playpress never follows a link there\n  = help: remove the link (playpress makes the lock file itself), then build again\n",
            root.canonicalize()
                .unwrap()
                .join(".public.playpress-lock")
                .display()
        )
    );
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    std::fs::remove_file(&lock).unwrap();

    let staging = root.join(".public.playpress-staging");
    std::os::unix::fs::symlink(elsewhere.path(), &staging).unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: the staging folder {} is a symbolic link: playpress never follows a link there\n  = help: remove the link (playpress makes the staging folder itself), then build again\n",
            root.canonicalize()
                .unwrap()
                .join(".public.playpress-staging")
                .display()
        )
    );
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    assert!(!root.join("public").exists());
}

/// Links in static/, content/ and a page bundle that lead out of the site are errors naming
/// the link and its target, and nothing is published (before, an environment variable
/// appeared in public/env.txt); links inside the site keep working.
#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_errors_and_links_inside_work() {
    let dir = site("bundle");
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.env");
    std::fs::write(&secret, "API_KEY=hunter2\n").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    link(&secret, "static/env.txt");
    link(&secret, "content/posts/trip/env.txt");
    link(outside.path(), "content/posts/out");
    // Inside the site: a link to a file of the bundle.
    link(&root.join("content/posts/trip/view.svg"), "static/view.svg");

    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: symbolic link to {}, which is outside the site folder\n --> static/env.txt\n  = help: copy the file into the site instead: playpress never publishes a file from outside the site folder\n\nnothing was written\n",
            secret.display()
        )
    );
    std::fs::remove_file(root.join("static/env.txt")).unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: symbolic link to {}, which is outside the site folder\n --> content/posts/out\n  = help: copy the file into the site instead: playpress never publishes a file from outside the site folder\n\nerror: symbolic link to {}, which is outside the site folder\n --> content/posts/trip/env.txt\n  = help: copy the file into the site instead: playpress never publishes a file from outside the site folder\n\n2 errors in content; nothing was written\n",
            outside.path().display(),
            secret.display()
        )
    );
    assert!(!root.join("public").exists());
    let check = run(root, &["check"]);
    assert_eq!(check.status.code(), Some(1));

    std::fs::remove_file(root.join("content/posts/trip/env.txt")).unwrap();
    std::fs::remove_file(root.join("content/posts/out")).unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(root.join("public/view.svg")).unwrap(),
        std::fs::read(root.join("content/posts/trip/view.svg")).unwrap()
    );
    let published = snapshot(&root.join("public"));
    assert!(
        published
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("hunter2")),
        "no secret is published"
    );
}

/// A build while `serve` holds the output names serve and its pid, and what to do (before:
/// "another build is writing... wait for it to finish", which a serve never does).
#[test]
fn a_build_while_serve_runs_names_serve_and_its_pid() {
    let dir = site("determinism");
    let root = dir.path();
    let server = common::server::Server::start(root, &[]);
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let real = root.canonicalize().unwrap();
    assert_eq!(
        stderr(&out),
        format!(
            "error: `playpress serve` (pid {pid}) is serving {} and holds it (lock file {})\n  = help: build while it serves: it rebuilds by itself on every change; or stop it (Ctrl-C in its terminal, or `kill {pid}`), or build into another folder with --output\n",
            real.join("public").display(),
            real.join(".public.playpress-lock").display(),
            pid = server.pid()
        )
    );
    drop(server);
}
