//! Helpers shared by the integration tests: copy a fixture site into a temp dir, build it,
//! read the output.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use playpress::cmd::build::{self, BuildOptions, Outcome};

pub mod server;

/// The real `playpress` binary.
pub fn playpress() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_playpress"))
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies fixture `name` into a fresh temporary directory and returns it.
pub fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Builds the site in `root` with default options changed by `tweak`.
pub fn build_with(root: &Path, tweak: impl FnOnce(&mut BuildOptions)) -> Outcome {
    let mut options = BuildOptions::new(root);
    tweak(&mut options);
    build::run(&options)
}

/// Builds and expects success.
pub fn build_ok(root: &Path) -> Outcome {
    let outcome = build_with(root, |_| {});
    if let Err(e) = &outcome.result {
        panic!("build failed:\n{e}");
    }
    outcome
}

/// Builds and returns the error text.
pub fn build_err(root: &Path) -> String {
    match build_with(root, |_| {}).result {
        Ok(_) => panic!("build succeeded but should have failed"),
        Err(e) => e.to_string(),
    }
}

/// A real PNG of 4 x 3 pixels.
#[allow(dead_code)]
pub const PNG_4X3: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 3, 8, 2, 0,
    0, 0, 59, 150, 57, 145, 0, 0, 0, 16, 73, 68, 65, 84, 120, 218, 99, 112, 182, 56, 5, 71, 12, 56,
    57, 0, 34, 244, 15, 61, 150, 237, 14, 114, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

pub fn read(root: &Path, rel: &str) -> String {
    let path = root.join("public").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn exists(root: &Path, rel: &str) -> bool {
    root.join("public").join(rel).exists()
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The text of every `<a href>` in `html`, in order.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Titles of the post cards on a list page, in order.
pub fn card_titles(html: &str) -> Vec<String> {
    html.split("<article class=\"card\">")
        .skip(1)
        .filter_map(|card| card.split("<h2><a href=\"").nth(1))
        .filter_map(|s| s.split('>').nth(1))
        .filter_map(|s| s.split('<').next())
        .map(str::to_string)
        .collect()
}

/// Asserts two output trees hold the same files with the same bytes, naming the differences.
pub fn assert_same_tree(
    a: &BTreeMap<PathBuf, Vec<u8>>,
    b: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let mut differences = Vec::new();
    for (path, bytes) in a {
        match b.get(path) {
            None => differences.push(format!("only in the first: {}", path.display())),
            Some(other) if other != bytes => {
                differences.push(format!("differs: {}", path.display()))
            }
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        differences.push(format!("only in the second: {}", path.display()));
    }
    assert!(
        differences.is_empty(),
        "{what}:\n{}",
        differences.join("\n")
    );
}
