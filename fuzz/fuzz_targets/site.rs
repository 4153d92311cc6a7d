//! A whole small site, built from any config, posts, pages and series descriptions through
//! the public build API: no panic, every warning and error renders, a successful build has
//! its output folder.
//!
//! The input is split on the byte 0xFF (never part of UTF-8 text):
//!
//! ```text
//! <flags byte> <config> 0xFF <file> 0xFF <file> ...
//! ```
//!
//! - flags: bit 0 set: `<config>` is the whole `config.yaml`; clear: it is appended to a
//!   valid base config (title and base_url), so most inputs get past the config. Bit 1:
//!   `--drafts`, bit 2: `--future`, bit 3: `--relative`, bit 4: `--base-url` override.
//! - a file that starts with the byte 0x01 names itself: the rest of its first line is its
//!   path under `content/` (e.g. `series/learning-rust.md`, `pages/about.md`,
//!   `posts/trip/index.md`); other files are posts `content/posts/post-<n>.md`.
//!
//! `fuzz/seed.sh` writes the test fixtures in this form. A feed or sitemap (`.xml`) holding a
//! character XML 1.0 forbids is a failure too.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use playpress::cmd::build::{BuildOptions, run};

/// Separates the config and the files.
const SEPARATOR: u8 = 0xFF;
/// Starts a file that names its own path.
const NAMED: u8 = 0x01;
/// What a config that is appended to starts from.
const BASE_CONFIG: &str = "title: Fuzz\nbase_url: https://example.com/blog/\n";
/// At most this many files per site.
const MAX_FILES: usize = 16;
/// At most this many folders deep under `content/`.
const MAX_DEPTH: usize = 4;

/// One site split out of a fuzz input.
struct Input<'a> {
    full_config: bool,
    drafts: bool,
    future: bool,
    relative: bool,
    base_url: bool,
    config: &'a [u8],
    /// Path under `content/` and contents.
    files: Vec<(PathBuf, &'a [u8])>,
}

/// A safe relative path from a file's name line: plain components only.
fn sanitize(name: &[u8]) -> Option<PathBuf> {
    let name = std::str::from_utf8(name).ok()?;
    let parts: Vec<&str> = name.split('/').collect();
    let ok = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.len() <= 64
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    if parts.is_empty() || parts.len() > MAX_DEPTH || !parts.iter().all(ok) {
        return None;
    }
    Some(parts.iter().collect())
}

fn split(data: &[u8]) -> Option<Input<'_>> {
    let (&flags, rest) = data.split_first()?;
    let mut parts = rest.split(|&b| b == SEPARATOR);
    let config = parts.next().unwrap_or_default();
    let mut files = Vec::new();
    for (n, part) in parts.take(MAX_FILES).enumerate() {
        match part.split_first() {
            Some((&NAMED, named)) => {
                let end = named
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(named.len());
                let Some(path) = sanitize(&named[..end]) else {
                    continue;
                };
                files.push((path, named.get(end + 1..).unwrap_or_default()));
            }
            _ => files.push((PathBuf::from(format!("posts/post-{n}.md")), part)),
        }
    }
    Some(Input {
        full_config: flags & 1 != 0,
        drafts: flags & 2 != 0,
        future: flags & 4 != 0,
        relative: flags & 8 != 0,
        base_url: flags & 16 != 0,
        config,
        files,
    })
}

/// Where a feed holds a character XML 1.0 forbids, if it does.
fn xml_problem(text: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Some("not UTF-8".to_string());
    };
    text.char_indices()
        .find(|&(_, c)| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
        })
        .map(|(at, c)| format!("U+{:04X} at byte {at}", c as u32))
}

/// Every `.xml` file under `dir`, with its problem.
fn xml_problems(dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_problems(&path, found);
        } else if path.extension().is_some_and(|e| e == "xml") {
            let text = std::fs::read(&path).unwrap_or_default();
            if let Some(problem) = xml_problem(&text) {
                found.push(format!("{}: {problem}", path.display()));
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = split(data) else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let root = dir.path();
    let content = root.join("content");
    std::fs::create_dir_all(content.join("posts")).unwrap_or_else(|e| panic!("content: {e}"));
    let mut config = Vec::new();
    if !input.full_config {
        config.extend_from_slice(BASE_CONFIG.as_bytes());
    }
    config.extend_from_slice(input.config);
    std::fs::write(root.join("config.yaml"), &config).unwrap_or_else(|e| panic!("config: {e}"));
    for (path, text) in &input.files {
        // A name that is both a file and a folder is skipped: the second cannot be written.
        let path = content.join(path);
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            let _ = std::fs::write(&path, text);
        }
    }

    let output = root.join("out");
    let options = BuildOptions {
        output: Some(output.clone()),
        no_cache: true,
        drafts: input.drafts,
        future: input.future,
        relative: input.relative,
        base_url: input
            .base_url
            .then(|| "https://fuzz.example/sub/".to_string()),
        ..BuildOptions::new(root)
    };
    let outcome = run(&options);
    for warning in &outcome.warnings {
        let _ = warning.render();
        let _ = warning.to_string();
    }
    match &outcome.result {
        Ok(_) => {
            assert!(output.is_dir(), "a successful build has its output folder");
            let mut problems = Vec::new();
            xml_problems(&output, &mut problems);
            assert!(
                problems.is_empty(),
                "feed is not well-formed XML: {}",
                problems.join("; ")
            );
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
