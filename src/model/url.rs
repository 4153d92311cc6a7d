//! Paths of the site: the file that serves a site path, links resolved against a page, made
//! relative to it or rewritten in HTML, and how names that share a URL are told apart.

use std::path::PathBuf;

pub use crate::load::url::{BaseUrl, is_external};

/// A name without case, spaces, dashes and underscores: `Web Dev` and `web-dev` are spelled
/// the same (and share a URL), `C++` and `C` are not (yet share one too).
pub fn spelling(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The file (relative to the output directory) that serves site path `site_path`:
/// `/posts/x/` is `posts/x/index.html`, `/feed.xml` is `feed.xml`.
pub fn output_file(site_path: &str) -> PathBuf {
    let trimmed = site_path.trim_start_matches('/');
    let mut path = PathBuf::new();
    for segment in trimmed.split('/').filter(|s| !s.is_empty()) {
        path.push(segment);
    }
    if site_path.ends_with('/') || trimmed.is_empty() {
        path.push("index.html");
    }
    path
}

/// Rewrites the value of every `href="..."` and `src="..."` attribute in `html` for which
/// `rewrite` returns a new value. Works on the HTML playpress and pulldown-cmark write
/// (double-quoted attributes).
pub fn rewrite_links(html: &str, rewrite: impl Fn(&str) -> Option<String>) -> String {
    const ATTRS: [&str; 2] = [" href=\"", " src=\""];
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // Where each attribute next occurs, searched once and again only after it is passed, so
    // the scan stays linear however many links the page has.
    let find = |attr: &str, from: usize| html[from..].find(attr).map(|i| from + i);
    let mut next: [Option<usize>; 2] = [find(ATTRS[0], 0), find(ATTRS[1], 0)];
    let mut copied = 0;
    while let Some((which, start)) = next
        .iter()
        .enumerate()
        .filter_map(|(i, at)| at.map(|at| (i, at)))
        .min_by_key(|&(_, at)| at)
    {
        let value_start = start + ATTRS[which].len();
        let Some(value_len) = html[value_start..].find('"') else {
            break;
        };
        let value_end = value_start + value_len;
        out.push_str(&html[copied..value_start]);
        let value = &html[value_start..value_end];
        match rewrite(value) {
            Some(new) => out.push_str(&new),
            None => out.push_str(value),
        }
        copied = value_end;
        for (i, attr) in ATTRS.iter().enumerate() {
            if next[i].is_some_and(|at| at < value_end) {
                next[i] = find(attr, value_end);
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Resolves `reference` (a link found on the page at site path `page`) to a site path.
/// Returns `None` for external URLs and pure fragments.
pub fn resolve(page: &str, reference: &str) -> Option<String> {
    if reference.is_empty() || reference.starts_with('#') || is_external(reference) {
        return None;
    }
    let (path, suffix) = match reference.find(['#', '?']) {
        Some(i) => (&reference[..i], &reference[i..]),
        None => (reference, ""),
    };
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out.push_str(suffix);
    Some(out)
}

/// The link from the page at site path `from` to site path `to`, relative, ending in a file
/// name so it also works when the site is opened from disk (`/tags/` becomes
/// `../tags/index.html`).
pub fn relative(from: &str, to: &str) -> String {
    let (to_path, suffix) = match to.find(['#', '?']) {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    };
    let target = output_file(to_path);
    let from_file = output_file(from);
    let from_parts: Vec<String> = from_file
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let to_parts: Vec<String> = target
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from_parts.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    if out.is_empty() {
        out.push_str("index.html");
    }
    out.push_str(suffix);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), PathBuf::from("index.html"));
        assert_eq!(
            output_file("/posts/a/"),
            PathBuf::from("posts/a/index.html")
        );
        assert_eq!(output_file("/404.html"), PathBuf::from("404.html"));
    }

    #[test]
    fn links_are_rewritten_in_attributes_only() {
        let html = "<a href=\"/a/\">x</a> <img src=\"b.png\" alt=\"\"> <code>href=\"/c/\"</code> <p>src</p>";
        let out = rewrite_links(html, |v| Some(format!("[{v}]")));
        assert_eq!(
            out,
            "<a href=\"[/a/]\">x</a> <img src=\"[b.png]\" alt=\"\"> <code>href=\"/c/\"</code> <p>src</p>"
        );
    }

    #[test]
    fn references_resolve_against_the_page() {
        assert_eq!(
            resolve("/posts/a/", "img.png").as_deref(),
            Some("/posts/a/img.png")
        );
        assert_eq!(resolve("/posts/a/", "../b/").as_deref(), Some("/posts/b/"));
        assert_eq!(
            resolve("/posts/a/", "/tags/x/#top").as_deref(),
            Some("/tags/x/#top")
        );
        assert_eq!(
            resolve("/2024/a.html", "b.html").as_deref(),
            Some("/2024/b.html")
        );
        assert_eq!(resolve("/posts/a/", "#top"), None);
        assert_eq!(resolve("/posts/a/", "https://x.org/"), None);
    }

    #[test]
    fn relative_links_end_in_files() {
        assert_eq!(relative("/posts/a/", "/tags/x/"), "../../tags/x/index.html");
        assert_eq!(relative("/", "/posts/a/"), "posts/a/index.html");
        assert_eq!(relative("/posts/a/", "/style.css"), "../../style.css");
        assert_eq!(relative("/posts/a/", "/posts/a/img.png"), "img.png");
        assert_eq!(relative("/posts/a/", "/posts/a/#x"), "index.html#x");
        assert_eq!(relative("/404.html", "/"), "index.html");
        assert_eq!(relative("/tags/x/page/2/", "/tags/x/"), "../../index.html");
    }
}
