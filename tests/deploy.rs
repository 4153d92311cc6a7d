//! Deploying anywhere: the sample site built at a domain root, under a subpath and with
//! relative links; every internal link and asset in every output file must resolve to a file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use playpress::cmd::build::BuildOptions;
use scraper::{Html, Selector};

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

fn build(tweak: impl FnOnce(&mut BuildOptions)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let outcome = common::build_with(Path::new(env!("CARGO_MANIFEST_DIR")), |o| {
        o.output = Some(out.clone());
        tweak(o);
    });
    if let Err(e) = outcome.result {
        panic!("{e}");
    }
    let files = common::snapshot(&out);
    Built {
        _dir: dir,
        out,
        files,
    }
}

/// Every URL an output file refers to: href/src/action in HTML, href and <loc> in XML.
fn references(path: &Path, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => {
            let doc = Html::parse_document(&text);
            let mut refs = Vec::new();
            for (selector, attr) in [("[href]", "href"), ("[src]", "src"), ("[action]", "action")] {
                for element in doc.select(&Selector::parse(selector).unwrap()) {
                    refs.push(element.value().attr(attr).unwrap().to_string());
                }
            }
            let refresh = Selector::parse("meta[http-equiv=\"refresh\"]").unwrap();
            for element in doc.select(&refresh) {
                let content = element.value().attr("content").unwrap();
                refs.push(content.split("url=").nth(1).unwrap().to_string());
            }
            refs
        }
        Some("xml") => {
            let mut refs: Vec<String> = text
                .split("href=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .map(str::to_string)
                .collect();
            refs.extend(
                text.split("<loc>")
                    .skip(1)
                    .filter_map(|s| s.split("</loc>").next())
                    .map(str::to_string),
            );
            refs.extend(
                text.split("<link>")
                    .skip(1)
                    .filter_map(|s| s.split("</link>").next())
                    .map(str::to_string),
            );
            refs
        }
        _ => Vec::new(),
    }
}

fn ids(bytes: &[u8]) -> BTreeSet<String> {
    let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
    doc.select(&Selector::parse("[id]").unwrap())
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect()
}

/// Checks that `reference`, found in `from`, names an existing file (and anchor).
/// `site_url` is the absolute base URL, `root` the base path.
fn check(
    built: &Built,
    from: &Path,
    reference: &str,
    site_url: &str,
    root: &str,
    relative: bool,
) -> Result<(), String> {
    let (target, fragment) = match reference.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (reference, None),
    };
    let file: PathBuf = if target.is_empty() {
        from.to_path_buf()
    } else if let Some(rest) = target.strip_prefix(site_url) {
        index_of(Path::new(rest))
    } else if target.contains(':') || target.starts_with("//") {
        return Ok(()); // another site, mailto:, tel:
    } else if let Some(rest) = target.strip_prefix('/') {
        if relative {
            return Err(format!("{reference} is not relative"));
        }
        let rest = rest
            .strip_prefix(root.trim_start_matches('/'))
            .ok_or_else(|| format!("{reference} ignores the base path {root}"))?;
        index_of(Path::new(rest))
    } else {
        let joined = from.parent().unwrap_or(Path::new("")).join(target);
        let mut parts: Vec<String> = Vec::new();
        for c in joined.components() {
            match c.as_os_str().to_str().unwrap() {
                ".." => {
                    parts
                        .pop()
                        .ok_or_else(|| format!("{reference} leaves the site"))?;
                }
                "." => {}
                s => parts.push(s.to_string()),
            }
        }
        let path: PathBuf = parts.iter().collect();
        if relative && target.ends_with('/') {
            return Err(format!(
                "{reference} does not name a file, so it fails when opened from disk"
            ));
        }
        index_of(&path)
    };
    let bytes = built
        .files
        .get(&file)
        .ok_or_else(|| format!("{reference} -> {} does not exist", file.display()))?;
    if let Some(fragment) = fragment.filter(|f| !f.is_empty())
        && file.extension().is_some_and(|e| e == "html")
        && !ids(bytes).contains(fragment)
    {
        return Err(format!(
            "{reference}: no element with id `{fragment}` in {}",
            file.display()
        ));
    }
    Ok(())
}

fn index_of(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    if text.is_empty() || text.ends_with('/') || path.extension().is_none() {
        path.join("index.html")
    } else {
        path.to_path_buf()
    }
}

fn check_all(built: &Built, site_url: &str, root: &str, relative: bool) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, bytes) in &built.files {
        for reference in references(path, bytes) {
            checked += 1;
            if let Err(e) = check(built, path, &reference, site_url, root, relative) {
                problems.push(format!("{}: {e}", path.display()));
            }
        }
    }
    assert!(checked > 500, "only {checked} references checked");
    assert!(
        problems.is_empty(),
        "{} broken references in {}:\n{}",
        problems.len(),
        built.out.display(),
        problems.join("\n")
    );
}

#[test]
fn every_reference_resolves_at_a_domain_root() {
    let built = build(|_| {});
    check_all(&built, "https://codeisplay.ai/", "/", false);
}

#[test]
fn every_reference_resolves_under_a_subpath() {
    let built = build(|o| o.base_url = Some("https://example.com/blog/".to_string()));
    let index = String::from_utf8(built.files[Path::new("index.html")].clone()).unwrap();
    assert!(index.contains("href=\"/blog/style."));
    check_all(&built, "https://example.com/blog/", "/blog/", false);
}

#[test]
fn relative_links_work_from_any_path() {
    let built = build(|o| {
        o.base_url = Some("https://example.com/blog/".to_string());
        o.relative = true;
    });
    let post = String::from_utf8(
        built.files[Path::new("posts/ai-industry-review-2024-part-two/index.html")].clone(),
    )
    .unwrap();
    assert!(
        post.contains("<link rel=\"stylesheet\" href=\"../../style."),
        "{post}"
    );
    assert!(post.contains("href=\"../../series/ai-industry-review-in-2024/index.html\""));
    assert!(post.contains("<link rel=\"canonical\" href=\"https://example.com/blog/posts/ai-industry-review-2024-part-two/\">"), "absolute URLs stay absolute");
    check_all(&built, "https://example.com/blog/", "/blog/", true);
}
