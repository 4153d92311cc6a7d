//! The documents a build keeps for the next (`.playpress-cache/documents-v1`): a file whose
//! text, configuration and components did not change is neither checked nor outlined again,
//! and the output is the same bytes as without them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{build_ok, build_with, playpress, read, site, snapshot};
use playpress::DocumentCounts;
use playpress::cmd::build::Outcome;

const KEPT: &str = ".playpress-cache/documents-v1";

fn counts(outcome: &Outcome) -> DocumentCounts {
    outcome.result.as_ref().unwrap().timings.documents
}

/// Removes the output and the staging folder beside it, so every page is written again.
fn empty_output(root: &Path) {
    for folder in ["public", ".public.playpress-staging"] {
        let _ = std::fs::remove_dir_all(root.join(folder));
    }
}

fn warnings(outcome: &Outcome) -> Vec<String> {
    outcome.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn kept_documents_give_the_same_bytes_as_documents_checked_again() {
    // Series, maths and components, bodies rewritten from other generators' syntax, two
    // languages, Chinese text.
    for fixture in [
        "series",
        "rich",
        "from_jekyll",
        "from_hugo",
        "from_zola",
        "translations",
        "cjk",
    ] {
        let dir = site(fixture);
        let first = build_ok(dir.path());
        assert!(dir.path().join(KEPT).is_file(), "{fixture}");
        let checked = counts(&first);
        assert_eq!(checked.reused, 0, "{fixture}");
        assert!(checked.checked > 0, "{fixture}");
        let made = snapshot(&dir.path().join("public"));

        empty_output(dir.path());
        let again = build_ok(dir.path());
        let kept = counts(&again);
        assert_eq!(
            kept.checked + kept.reused,
            checked.checked,
            "{fixture}: every document once"
        );
        assert!(kept.reused > 0, "{fixture}: {kept:?}");
        assert_eq!(snapshot(&dir.path().join("public")), made, "{fixture}");
        assert_eq!(warnings(&again), warnings(&first), "{fixture}");

        empty_output(dir.path());
        let uncached = build_with(dir.path(), |o| o.no_cache = true);
        assert_eq!(counts(&uncached).reused, 0, "{fixture}");
        assert_eq!(snapshot(&dir.path().join("public")), made, "{fixture}");
    }
}

#[test]
fn a_changed_post_is_checked_and_outlined_again_and_the_others_are_not() {
    let dir = site("series");
    let first = counts(&build_ok(dir.path()));
    let post = dir.path().join("content/posts/a.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, text.replacen("title: ", "title: Renamed ", 1)).unwrap();
    let second = counts(&build_ok(dir.path()));
    assert_eq!((second.checked, second.outlined), (1, 1));
    assert_eq!(second.reused, first.checked - 1);
    let page = read(dir.path(), "posts/a/index.html");
    assert!(page.contains("Renamed First part"), "{page}");

    // Nothing changed since: every document is kept.
    let third = counts(&build_ok(dir.path()));
    assert_eq!((third.checked, third.outlined), (0, 0));
}

#[test]
fn another_configuration_checks_every_document_again() {
    let dir = site("series");
    let first = counts(&build_ok(dir.path()));
    let config = dir.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("timezone: UTC", "timezone: Asia/Hong_Kong"),
    )
    .unwrap();
    let second = counts(&build_ok(dir.path()));
    assert_eq!(second.reused, 0);
    assert_eq!(second.checked, first.checked);
    // `--base-url` changes the links outlines hold: not the documents of another URL either.
    let third = build_with(dir.path(), |o| {
        o.base_url = Some("https://example.org/blog/".to_string());
    });
    assert_eq!(counts(&third).reused, 0);
}

#[test]
fn damaged_kept_documents_are_ignored_and_written_again() {
    let dir = site("series");
    let first = counts(&build_ok(dir.path()));
    let made = snapshot(&dir.path().join("public"));
    let kept = dir.path().join(KEPT);
    let bytes = std::fs::read(&kept).unwrap();
    for damaged in [
        b"not a cache".to_vec(),
        bytes[..bytes.len() / 2].to_vec(),
        Vec::new(),
    ] {
        std::fs::write(&kept, &damaged).unwrap();
        empty_output(dir.path());
        let outcome = build_ok(dir.path());
        assert_eq!(counts(&outcome).reused, 0);
        assert_eq!(counts(&outcome).checked, first.checked);
        assert_eq!(snapshot(&dir.path().join("public")), made);
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            bytes,
            "written again, the same"
        );
    }
}

#[test]
fn documents_with_warnings_are_checked_every_time_and_warn_every_time() {
    let dir = site("highlighting");
    let first = build_ok(dir.path());
    let second = build_ok(dir.path());
    assert_eq!(warnings(&second), warnings(&first));
    assert!(
        warnings(&second)[0].starts_with("warning: unknown code language `klingon`"),
        "{:?}",
        warnings(&second)
    );
    // The body with the warning is outlined again (its front matter had nothing to report:
    // it is kept); the others are kept whole.
    let kept = counts(&second);
    assert_eq!((kept.checked, kept.outlined), (0, 1));
    assert_eq!(kept.reused, counts(&first).checked);

    // A front matter key that is not understood: that document is checked again, and warned
    // about again.
    let dir = site("unknown_key");
    let first = build_ok(dir.path());
    let second = build_ok(dir.path());
    assert_eq!(warnings(&second), warnings(&first));
    assert!(warnings(&second)[0].starts_with("warning: unknown front matter key `tittle`"));
    assert_eq!(counts(&second).checked, 1);
}

#[test]
fn no_cache_neither_reads_nor_writes_kept_documents_and_check_only_reads_them() {
    let dir = site("series");
    let outcome = build_with(dir.path(), |o| o.no_cache = true);
    assert!(outcome.result.is_ok());
    assert!(!dir.path().join(KEPT).exists());

    let checked = playpress()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(checked.status.success(), "{checked:?}");
    assert!(!dir.path().join(KEPT).exists(), "check writes nothing");

    build_ok(dir.path());
    let bytes = std::fs::read(dir.path().join(KEPT)).unwrap();
    let checked_again = playpress()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(checked_again.stdout, checked.stdout);
    assert_eq!(checked_again.stderr, checked.stderr);
    assert_eq!(std::fs::read(dir.path().join(KEPT)).unwrap(), bytes);
}
