//! The caches of `.playpress-cache/` are checked, not trusted (issue 30): every cache file
//! carries a checksum of its contents; a damaged one is not used, is rebuilt from the sources
//! and is reported once. A build with caches equals a build without them, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{assert_same_tree, build_ok, build_with, read, site, snapshot};
use playpress::cmd::build::Outcome;

const CACHE: &str = ".playpress-cache";

/// Removes the output and the staging folder beside it (the output before last): the next
/// build takes everything it can from the caches.
fn empty_output(root: &Path) {
    for folder in ["public", ".public.playpress-staging"] {
        let _ = std::fs::remove_dir_all(root.join(folder));
    }
}

/// The warnings of a build, as printed.
fn warnings(outcome: &Outcome) -> Vec<String> {
    outcome.warnings.iter().map(ToString::to_string).collect()
}

/// The output of a build of the site at `root` without any cache, into a folder of its own.
fn uncached(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let outcome = build_with(root, |o| {
        o.no_cache = true;
        o.output = Some(out.path().join("public"));
    });
    assert!(outcome.result.is_ok(), "{:?}", outcome.result.err());
    assert_eq!(warnings(&outcome), Vec::<String>::new());
    snapshot(&out.path().join("public"))
}

fn summary(outcome: &Outcome) -> &playpress::cmd::build::BuildSummary {
    outcome.result.as_ref().unwrap()
}

/// The warning of a damaged cache file.
fn damaged(file: &str) -> String {
    format!(
        "warning: this cache file was damaged (it does not match its checksum): it was not used, and this build rebuilt it from the sources\n --> {file}\n  = help: nothing to do; if it happens again, check the disk (deleting {CACHE}/ is always safe)"
    )
}

#[test]
fn a_build_with_warm_caches_equals_a_build_without_them_byte_for_byte() {
    let dir = site("cache_site");
    let root = dir.path();
    let cold = build_ok(root);
    assert_eq!(warnings(&cold), Vec::<String>::new());
    let fresh = uncached(root);
    assert_same_tree(&snapshot(&root.join("public")), &fresh, "a cold build");

    // The same output again: pages kept.
    let warm = build_ok(root);
    assert_eq!(warnings(&warm), Vec::<String>::new());
    assert_same_tree(&snapshot(&root.join("public")), &fresh, "a warm build");

    // An empty output: everything from the caches.
    empty_output(root);
    let cached = build_ok(root);
    assert_eq!(warnings(&cached), Vec::<String>::new());
    let timings = &summary(&cached).timings;
    assert!(timings.documents.reused > 0, "{timings:?}");
    assert_eq!(timings.blocks_highlighted, 0, "{timings:?}");
    assert!(timings.blocks_cached > 0, "{timings:?}");
    assert_eq!(timings.pictures.made, 0, "{timings:?}");
    assert_eq!(timings.pictures.reused, timings.variants, "{timings:?}");
    assert!(timings.variants > 0);
    assert!(summary(&cached).index_from_cache.is_some());
    assert_same_tree(
        &snapshot(&root.join("public")),
        &fresh,
        "a build from the caches",
    );
}

/// The first offset of `text` in `bytes`.
fn find(bytes: &[u8], text: &str) -> usize {
    bytes
        .windows(text.len())
        .position(|w| w == text.as_bytes())
        .unwrap_or_else(|| panic!("`{text}` is not in the bytes"))
}

#[test]
fn a_changed_byte_in_the_kept_documents_publishes_no_title_a_source_does_not_have() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let file = root.join(CACHE).join("documents-v1");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = find(&bytes, "Harbour notes");
    bytes[at] = b'J';
    std::fs::write(&file, &bytes).unwrap();

    let outcome = build_ok(root);
    let page = read(root, "posts/harbour/index.html");
    assert!(page.contains("<title>Harbour notes"), "{page}");
    for (path, bytes) in snapshot(&root.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Jarbour"),
            "{}",
            path.display()
        );
    }
    assert_same_tree(
        &snapshot(&root.join("public")),
        &uncached(root),
        "after the damaged documents",
    );
    assert_eq!(
        warnings(&outcome),
        [damaged(".playpress-cache/documents-v1")]
    );
    // Rebuilt: the next build takes its documents from it, with nothing to say.
    let again = build_ok(root);
    assert_eq!(warnings(&again), Vec::<String>::new());
    assert!(summary(&again).timings.documents.reused > 0);
}

#[test]
fn kept_documents_cut_short_are_not_used() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let file = root.join(CACHE).join("documents-v1");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..100]).unwrap();
    let outcome = build_ok(root);
    assert_eq!(
        warnings(&outcome),
        [damaged(".playpress-cache/documents-v1")]
    );
    assert_eq!(summary(&outcome).timings.documents.reused, 0);
}

#[test]
fn pictures_cut_short_in_the_cache_are_made_again_not_copied_out() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let folder = root.join(CACHE).join("pictures");
    let mut cut = 0;
    for file in std::fs::read_dir(&folder).unwrap() {
        let path = file.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..100]).unwrap();
        cut += 1;
    }
    assert_eq!(cut, 4);
    empty_output(root);
    let outcome = build_ok(root);
    assert_same_tree(
        &snapshot(&root.join("public")),
        &uncached(root),
        "after the damaged pictures",
    );
    assert_eq!(
        warnings(&outcome),
        [
            "warning: 4 files of this cache were damaged (they do not match their checksums): they were not used, and this build rebuilt them from the pictures\n --> .playpress-cache/pictures/\n  = help: nothing to do; if it happens again, check the disk (deleting .playpress-cache/ is always safe)"
        ]
    );
    // The two languages' posts show one picture: each variant is made once or twice, as
    // the threads meet; the output is the same.
    assert!(summary(&outcome).timings.pictures.made >= 4);
    // Rebuilt: the next build into an empty output takes every variant from the cache.
    empty_output(root);
    let again = build_ok(root);
    assert_eq!(warnings(&again), Vec::<String>::new());
    let timings = &summary(&again).timings;
    assert_eq!((timings.pictures.made, timings.pictures.reused), (0, 8));
}

#[test]
fn a_changed_byte_in_the_hashes_of_pictures_is_not_used() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let file = root.join(CACHE).join("picture-sources-v1");
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, &bytes).unwrap();
    empty_output(root);
    let outcome = build_ok(root);
    assert_eq!(
        warnings(&outcome),
        [damaged(".playpress-cache/picture-sources-v1")]
    );
    let timings = &summary(&outcome).timings;
    // The picture is read again to hash its bytes; its variants are in the cache.
    assert_eq!(
        (timings.pictures.read, timings.pictures.reused),
        (1, 8),
        "{timings:?}"
    );
    assert_same_tree(
        &snapshot(&root.join("public")),
        &uncached(root),
        "after the damaged hashes",
    );
}

#[test]
fn a_damaged_code_cache_is_highlighted_again() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let file = root.join(CACHE).join("code-v2.pack");
    let original = std::fs::read(&file).unwrap();
    // One changed byte in the HTML of a block, then the pack cut to 100 bytes.
    let mut changed = original.clone();
    let at = find(&changed, "aboard");
    changed[at] = b'X';
    for bytes in [changed, original[..100].to_vec()] {
        std::fs::write(&file, &bytes).unwrap();
        empty_output(root);
        let outcome = build_ok(root);
        assert_eq!(
            warnings(&outcome),
            [damaged(".playpress-cache/code-v2.pack")]
        );
        assert!(summary(&outcome).timings.blocks_highlighted > 0);
        assert_same_tree(
            &snapshot(&root.join("public")),
            &uncached(root),
            "after the damaged code cache",
        );
        // Rebuilt: every block comes from it next time.
        empty_output(root);
        let again = build_ok(root);
        assert_eq!(warnings(&again), Vec::<String>::new());
        assert_eq!(summary(&again).timings.blocks_highlighted, 0);
    }
}

#[test]
fn a_damaged_search_index_is_made_again() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    let file = root.join(CACHE).join("search-v1.pack");
    let original = std::fs::read(&file).unwrap();
    let mut changed = original.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x10;
    for bytes in [changed, original[..100].to_vec()] {
        std::fs::write(&file, &bytes).unwrap();
        empty_output(root);
        let outcome = build_ok(root);
        assert_eq!(
            warnings(&outcome),
            [damaged(".playpress-cache/search-v1.pack")]
        );
        assert!(summary(&outcome).indexed.is_some(), "made, not taken");
        assert_same_tree(
            &snapshot(&root.join("public")),
            &uncached(root),
            "after the damaged search index",
        );
        empty_output(root);
        let again = build_ok(root);
        assert_eq!(warnings(&again), Vec::<String>::new());
        assert!(summary(&again).index_from_cache.is_some());
    }
}

#[test]
fn a_cache_file_of_another_format_is_replaced_without_a_word() {
    let dir = site("cache_site");
    let root = dir.path();
    build_ok(root);
    // What an older playpress (or anything else) left there: not ours to judge.
    for name in [
        "documents-v1",
        "code-v2.pack",
        "search-v1.pack",
        "picture-sources-v1",
    ] {
        std::fs::write(root.join(CACHE).join(name), "playpress documents 1\nold").unwrap();
    }
    empty_output(root);
    let outcome = build_ok(root);
    assert_eq!(warnings(&outcome), Vec::<String>::new());
    empty_output(root);
    let again = build_ok(root);
    let timings = &summary(&again).timings;
    assert!(timings.documents.reused > 0);
    assert_eq!(timings.blocks_highlighted, 0);
    assert!(summary(&again).index_from_cache.is_some());
}
