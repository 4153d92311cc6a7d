//! Inputs the fuzz targets (`fuzz/fuzz_targets/`) once failed or were slow on, kept under
//! `tests/fixtures/fuzz/<target>/`, fed through the same code as the target: no panic.
//! The fuzz crate cannot be imported here, so each target's body is copied below; keep them
//! in step with the targets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use playpress::Config;
use playpress::cmd::build::{BuildOptions, run};
use playpress::{Highlighter, LineCache};
use playpress::{Kind, parse_document};
use playpress::{SourceFile, normalize};

/// The saved inputs of `target`, by path, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    paths.sort();
    paths
}

fn input(target: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `check` on every saved input of `target` but those in `skip` (which have a test of
/// their own), naming the input that panicked.
fn each(target: &str, skip: &[&str], check: fn(&[u8])) {
    for path in inputs(target) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if skip.contains(&name.as_str()) {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("fuzz input {} panicked", path.display());
        }
    }
}

// ---- markdown: fuzz/fuzz_targets/markdown.rs

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

fn markdown_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let outline = playpress::markdown_outline(text, highlighter(), "/blog/", &mut LineCache::new());
    let _ = playpress::markdown_html(text, highlighter(), "/blog/", &mut LineCache::new());
    for language in ["rust", "python", "yaml", "sh", "toml", "js", "klingon"] {
        let _ = highlighter().highlight(Some(language), text);
    }
    assert!(outline.word_count <= text.len());
}

// ---- front_matter: fuzz/fuzz_targets/front_matter.rs

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            "title: Fuzz\nbase_url: https://example.com/blog/\ntimezone: Asia/Hong_Kong\n",
            Path::new("config.yaml"),
        )
        .unwrap_or_else(|e| panic!("fuzz config: {e}"))
    })
}

fn front_matter_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        path: PathBuf::from("content/posts/fuzz.md"),
        text: normalize(text.to_string()).into(),
    };
    for kind in [Kind::Post, Kind::Page, Kind::SeriesDescription] {
        let mut warnings = Vec::new();
        let result = parse_document(&file, "2024-01-02-fuzz", kind, config(), &mut warnings);
        for d in &warnings {
            let _ = d.render();
        }
        if let Err(errors) = result {
            for d in &errors {
                let _ = d.render();
            }
        }
    }
    let _ = Config::parse(text, Path::new("config.yaml")).map_err(|e| e.to_string());
}

// ---- site: fuzz/fuzz_targets/site.rs (the input form is described there)

const SEPARATOR: u8 = 0xFF;
const NAMED: u8 = 0x01;
const BASE_CONFIG: &str = "title: Fuzz\nbase_url: https://example.com/blog/\n";
const MAX_FILES: usize = 16;
const MAX_DEPTH: usize = 4;

struct Input<'a> {
    full_config: bool,
    drafts: bool,
    future: bool,
    relative: bool,
    base_url: bool,
    config: &'a [u8],
    files: Vec<(PathBuf, &'a [u8])>,
}

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

/// Builds the site in `data`; for a build that succeeded, returns the feeds' XML problems
/// (the target fails on them only with `PLAYPRESS_FUZZ_XML=1`).
fn site_target(data: &[u8]) -> Option<Vec<String>> {
    let input = split(data)?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let content = root.join("content");
    std::fs::create_dir_all(content.join("posts")).unwrap();
    let mut config = Vec::new();
    if !input.full_config {
        config.extend_from_slice(BASE_CONFIG.as_bytes());
    }
    config.extend_from_slice(input.config);
    std::fs::write(root.join("config.yaml"), &config).unwrap();
    for (path, text) in &input.files {
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
            Some(problems)
        }
        Err(error) => {
            let _ = error.to_string();
            None
        }
    }
}

fn site_no_panic(data: &[u8]) {
    let _ = site_target(data);
}

// ---- the saved inputs

#[test]
fn markdown_inputs() {
    each("markdown", &[], markdown_target);
}

#[test]
fn front_matter_inputs() {
    each("front_matter", &[], front_matter_target);
}

#[test]
fn site_inputs() {
    each("site", &[], site_no_panic);
}

/// The harness itself: a site in the seed form builds, with well-formed feeds.
#[test]
fn site_harness_builds_a_seeded_site() {
    let mut data = vec![0x00];
    data.extend_from_slice(b"timezone: UTC\n\xff\x01series/learning-rust.md\n");
    data.extend_from_slice(b"---\ntitle: Learning Rust\n---\nA series.\n");
    data.extend_from_slice(b"\xff---\ntitle: One\ndate: 2024-01-01\nseries: Learning Rust\n");
    data.extend_from_slice(b"series_part: 1\n---\nBody.\n");
    let problems = site_target(&data).expect("the site builds");
    assert!(problems.is_empty(), "{problems:?}");
}

/// The site inputs whose feeds held characters XML 1.0 forbids (C0 controls, U+FFFE,
/// U+FFFF), from the body, a code block, a numeric entity, the title, a tag, and the
/// config's description.
const XML_INPUTS: &[&str] = &[
    "xml-control-in-code-block",
    "xml-control-in-config-description",
    "xml-control-in-tag",
    "xml-control-in-title",
    "xml-entity-control-in-body",
    "xml-nul-in-body",
    "xml-nul-in-body-found",
    "xml-uffff-in-body",
];

#[test]
fn xml_inputs_build() {
    for name in XML_INPUTS {
        assert!(site_target(&input("site", name)).is_some(), "{name} builds");
    }
}

#[test]
fn xml_inputs_give_well_formed_feeds() {
    let mut failed = Vec::new();
    for name in XML_INPUTS {
        let problems = site_target(&input("site", name)).expect("builds");
        if !problems.is_empty() {
            failed.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Random documents in the shapes other generators write (TOML and YAML front matter, their
/// keys, Liquid and shortcodes in the body) through the front matter target: no panic, every
/// diagnostic renders. A cheap stand-in for running the fuzzer, which needs nightly.
#[test]
fn random_documents_from_other_generators() {
    const PIECES: [&str; 40] = [
        "+++\n",
        "---\n",
        "title = \"x\"\n",
        "title: x\n",
        "date = 2024-01-01\n",
        "date: 2013-05-06 02:12:52 +0200\n",
        "[taxonomies]\n",
        "tags = [\"a\"]\n",
        "tags: a b\n",
        "draft: yes\n",
        "published: no\n",
        "series: [a, b]\n",
        "permalink: /x?/\n",
        "path = \"\"\n",
        "[extra]\n",
        "k = 1\n",
        "categories: [A B]\n",
        "images: []\n",
        "image: {path: x}\n",
        "{% highlight x %}",
        "{% endhighlight %}",
        "{% raw %}",
        "{% post_url a %}",
        "{{ site.url }}",
        "{{< figure src=x >}}",
        "{{% notice %}}",
        "{{% /notice %}}",
        "{% note() %}",
        "{% end %}",
        "```\n",
        "`",
        "\n",
        "=",
        "\"",
        "你",
        "é",
        "<!--more-->",
        "@/x.md",
        "](",
        " ",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..1500 {
        let mut doc = String::from(if state & 1 == 0 { "+++\n" } else { "---\n" });
        for _ in 0..30 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            doc.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        if std::panic::catch_unwind(|| front_matter_target(doc.as_bytes())).is_err() {
            panic!("panicked on {doc:?}");
        }
    }
}
