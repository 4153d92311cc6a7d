//! The output folder is playpress's own: a folder it did not write is refused (unless
//! `--output-overwrite` says its files may go), a file added to the output by hand is removed
//! with one warning on the next build (the same after every build, however many ran), and a
//! `.git` in the output stays where it is, never copied. Each case runs the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::*;

fn run(root: &Path, args: &[&str]) -> Output {
    playpress()
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder of the user's own: a document in a subfolder, a dotfile and a note.
fn users_folder(dir: &Path) {
    fs::create_dir_all(dir.join("Documents")).unwrap();
    fs::write(dir.join("Documents/thesis.txt"), "four years of work").unwrap();
    fs::write(dir.join(".bashrc"), "alias ll='ls -l'").unwrap();
    fs::write(dir.join("notes.md"), "call the printer").unwrap();
}

fn assert_users_files_intact(dir: &Path) {
    assert_eq!(
        fs::read_to_string(dir.join("Documents/thesis.txt")).unwrap(),
        "four years of work"
    );
    assert_eq!(
        fs::read_to_string(dir.join(".bashrc")).unwrap(),
        "alias ll='ls -l'"
    );
    assert_eq!(
        fs::read_to_string(dir.join("notes.md")).unwrap(),
        "call the printer"
    );
}

/// Every file under `dir` other than the user's three, as relative paths.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

/// Before, the first build moved the user's files into the hidden staging folder and the
/// second deleted them, both with exit 0.
#[test]
fn a_folder_playpress_did_not_write_is_refused_and_left_as_it_was() {
    let dir = site("determinism");
    let root = dir.path();
    let docs = root.join("docs");
    users_folder(&docs);
    for _ in 0..2 {
        let out = run(root, &["build", "--output", "docs"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "error: refusing to use docs as the output directory: it holds files playpress did not write (.bashrc, Documents/, notes.md)\n  = help: a build replaces its output folder whole: pass an empty or new folder with --output, or add --output-overwrite to let playpress delete what docs holds (a .git in it is kept)\n"
        );
        assert_users_files_intact(&docs);
        assert_eq!(
            files_under(&docs),
            [".bashrc", "Documents/thesis.txt", "notes.md"]
        );
    }
    let left: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".docs"))
        .collect();
    assert!(
        left.iter().all(|name| name.ends_with("playpress-lock")),
        "no staging folder or manifest was made: {left:?}"
    );
    // `serve` is refused the same way, before it writes a file.
    let out = run(root, &["serve", "--output", "docs", "--port", "0"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("as the output directory: it holds files playpress did not write (.bashrc, Documents/, notes.md)"),
        "{}",
        stderr(&out)
    );
    assert_users_files_intact(&docs);
}

#[test]
fn a_refusal_names_the_first_entries_and_counts_the_rest() {
    let dir = site("determinism");
    let root = dir.path();
    let docs = root.join("docs");
    fs::create_dir_all(&docs).unwrap();
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
        fs::write(docs.join(name), name).unwrap();
    }
    let out = run(root, &["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: refusing to use docs as the output directory: it holds files playpress did not write (a.txt, b.txt, c.txt and 2 more)\n"),
        "{}",
        stderr(&out)
    );
}

/// The word that lets a build replace what a folder holds: the user's files go, with one
/// warning naming them; a `.git` in it stays.
#[test]
fn output_overwrite_replaces_a_foreign_folder_and_says_what_it_removed() {
    let dir = site("determinism");
    let root = dir.path();
    let docs = root.join("docs");
    users_folder(&docs);
    fs::create_dir_all(docs.join(".git")).unwrap();
    fs::write(docs.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    let out = run(root, &["build", "--output", "docs", "--output-overwrite"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: 3 files in docs/ were not written by playpress, so the build removed them from the output: docs/.bashrc, docs/Documents/, docs/notes.md\n  = help: put a file to publish in static/ (static/notes.md is copied to docs/notes.md by every build); only a .git in the output is kept as it is\n\n"
    );
    assert!(docs.join("index.html").is_file());
    assert!(!docs.join("notes.md").exists());
    assert!(!docs.join("Documents").exists());
    assert_eq!(
        fs::read_to_string(docs.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    // The folder is playpress's now: the next build needs no word and says nothing.
    let out = run(root, &["build", "--output", "docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert!(docs.join(".git/HEAD").is_file());
}

/// An empty folder, or one holding only a `.git` (a fresh gh-pages worktree), is taken as
/// it is, and its `.git` is kept in place through any number of builds, never copied.
#[test]
fn an_empty_folder_or_one_with_only_git_is_taken_and_git_stays_in_place() {
    let dir = site("determinism");
    let root = dir.path();
    fs::create_dir_all(root.join("empty")).unwrap();
    let out = run(root, &["build", "--output", "empty"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pages = root.join("pages");
    fs::create_dir_all(pages.join(".git/objects")).unwrap();
    fs::write(pages.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(pages.join(".git/objects/blob"), "history").unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
    let git_inode = inode(&pages.join(".git"));
    for round in 0..3 {
        let out = run(root, &["build", "--output", "pages"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: {}",
            stderr(&out)
        );
        assert_eq!(stderr(&out), "", "round {round}");
        assert!(pages.join("index.html").is_file(), "round {round}");
        assert_eq!(
            fs::read_to_string(pages.join(".git/objects/blob")).unwrap(),
            "history"
        );
        assert_eq!(inode(&pages.join(".git")), git_inode, "moved, never copied");
        let staging = root.join(".pages.playpress-staging");
        assert!(!staging.join(".git").exists(), "round {round}: not copied");
    }
}

/// A file added to the output by hand (`public/CNAME`): before, it was there after every
/// second build only. Now the first build after it removes it, with one warning saying to
/// put it in static/, and no later build brings it back.
#[test]
fn a_file_added_to_the_output_by_hand_is_removed_with_one_warning_every_time() {
    let dir = site("determinism");
    let root = dir.path();
    let public = root.join("public");
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = files_under(&public);
    fs::write(public.join("CNAME"), "blog.example.com\n").unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: public/CNAME was not written by playpress, so the build removed it from the output\n  = help: put a file to publish in static/ (static/CNAME is copied to public/CNAME by every build); only a .git in the output is kept as it is\n\n"
    );
    for round in 0..3 {
        assert_eq!(files_under(&public), before, "round {round}");
        let out = run(root, &["build"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "round {round}");
    }
    // Deep in the output and a whole folder: found as well.
    let post_dir = fs::read_dir(public.join("posts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    fs::write(post_dir.join("extra.pdf"), "pdf").unwrap();
    fs::create_dir_all(public.join("downloads/old")).unwrap();
    fs::write(public.join("downloads/old/a.zip"), "zip").unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = post_dir.strip_prefix(root).unwrap().join("extra.pdf");
    assert!(
        stderr(&out).starts_with(&format!(
            "warning: 2 files in public/ were not written by playpress, so the build removed them from the output: public/downloads/, {}\n",
            shown.display()
        )),
        "{}",
        stderr(&out)
    );
    for round in 0..2 {
        assert_eq!(files_under(&public), before, "round {round}");
        let out = run(root, &["build"]);
        assert_eq!(stderr(&out), "", "round {round}");
    }
    // Put in static/, it is published by every build.
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/CNAME"), "blog.example.com\n").unwrap();
    for _ in 0..2 {
        let out = run(root, &["build"]);
        assert_eq!(stderr(&out), "");
        assert_eq!(
            fs::read_to_string(public.join("CNAME")).unwrap(),
            "blog.example.com\n"
        );
    }
}

/// The dotfiles hosts read (`.nojekyll` for GitHub Pages, `.well-known/`, `.htaccess`) are
/// published from static/, so the warning's advice works for them too. Other hidden files
/// (`.env`, a `.git`) and editor leftovers never are.
#[test]
fn dotfiles_in_static_are_published_but_editor_leftovers_are_not() {
    let dir = site("determinism");
    let root = dir.path();
    fs::create_dir_all(root.join("static/.well-known")).unwrap();
    fs::write(root.join("static/.nojekyll"), "").unwrap();
    fs::write(root.join("static/.well-known/security.txt"), "Contact: x").unwrap();
    fs::write(root.join("static/.style.css.swp"), "swap").unwrap();
    fs::write(root.join("static/.DS_Store"), "finder").unwrap();
    fs::write(root.join("static/.htaccess"), "ErrorDocument 404 /404.html").unwrap();
    fs::write(root.join("static/.env"), "SECRET=1").unwrap();
    fs::create_dir_all(root.join("static/.git")).unwrap();
    fs::write(root.join("static/.git/config"), "[core]").unwrap();
    fs::write(root.join("static/notes.txt~"), "backup").unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let public = root.join("public");
    assert!(public.join(".nojekyll").is_file());
    assert!(public.join(".well-known/security.txt").is_file());
    assert!(!public.join(".style.css.swp").exists());
    assert!(!public.join(".DS_Store").exists());
    assert!(public.join(".htaccess").is_file());
    assert!(!public.join(".env").exists());
    assert!(!public.join(".git").exists());
    assert!(!public.join("notes.txt~").exists());
}
