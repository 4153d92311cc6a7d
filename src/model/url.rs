//! Paths of the site: the file that serves a site path, links resolved against a page, made
//! relative to it or rewritten in HTML, and how names that share a URL are told apart.

use std::path::PathBuf;

pub(crate) use crate::load::url::{BaseUrl, FileSlugs, check_site_path, is_external};

/// A name without case, spaces, dashes and underscores: `Web Dev` and `web-dev` are spelled
/// the same (and share a URL), `C++` and `C` are not (yet share one too).
pub(crate) fn spelling(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name that is its own slug in every style but `slugify`: lowercase letters, digits, `.`,
/// `_`, `~` and single inner dashes.
fn is_plain_slug(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| !matches!(b, b'-' | b'.'));
    edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'~' | b'-'))
        && memchr::memmem::find(bytes, b"--").is_none()
}

/// The slug of a name (a tag, a series, an author), fit for one segment of a URL: cut by
/// [`bounded_segment`] when it is long.
pub(crate) fn name_slug(name: &str) -> String {
    bounded_segment(slug::slugify(name))
}

/// `slug` (made from a name) when it fits in [`MAX_SEGMENT_BYTES`]; else cut at a dash to fit
/// with a dash and 8 hex digits of a hash of the whole slug after it, so two long names that
/// begin alike are still two pages. The same slug is always cut the same way.
///
/// [`MAX_SEGMENT_BYTES`]: crate::model::limits::MAX_SEGMENT_BYTES
pub(crate) fn bounded_segment(slug: String) -> String {
    const HASH: usize = 9;
    let limit = crate::model::limits::MAX_SEGMENT_BYTES;
    if slug.len() <= limit {
        return slug;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes()) >> 32;
    let mut end = limit - HASH;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let separator = ['-', '_', '.'];
    let head = &slug[..end];
    let head = match head.rfind(separator) {
        _ if slug[end..].starts_with(separator) => head,
        Some(at) if at >= end / 2 => &head[..at],
        _ => head,
    };
    format!("{}-{hash:08x}", head.trim_end_matches(separator))
}

/// The slug of a file or folder name (after its date prefix), in `style`. Letters of other
/// scripts are spelled in ASCII, as before. A long one is cut ([`bounded_segment`]).
pub(crate) fn file_slug(name: &str, style: FileSlugs) -> String {
    bounded_segment(whole_file_slug(name, style))
}

fn whole_file_slug(name: &str, style: FileSlugs) -> String {
    if style == FileSlugs::Slugify {
        return slug::slugify(name);
    }
    if is_plain_slug(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut foreign = String::new();
    let flush = |foreign: &mut String, out: &mut String| {
        if !foreign.is_empty() {
            out.push('-');
            out.push_str(&slug::slugify(foreign.as_str()));
            out.push('-');
            foreign.clear();
        }
    };
    for c in name.chars() {
        if !c.is_ascii() {
            foreign.push(c);
            continue;
        }
        flush(&mut foreign, &mut out);
        match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '~' | '-' => out.push(c),
            'A'..='Z' if style == FileSlugs::Keep => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            _ => out.push('-'),
        }
    }
    flush(&mut foreign, &mut out);
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '-' && collapsed.ends_with('-')) {
            collapsed.push(c);
        }
    }
    collapsed.trim_matches(['-', '.']).to_string()
}

/// A slug given in front matter must be one safe path segment.
pub(crate) fn check_slug(slug: &str) -> Result<(), String> {
    if slug.trim().is_empty() {
        return Err("it is empty".to_string());
    }
    if slug.contains('/') {
        return Err("it contains `/`".to_string());
    }
    if slug
        .chars()
        .any(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
    {
        return Err("only letters, digits, `-`, `_`, `.` and `~` are allowed".to_string());
    }
    check_site_path(&format!("/{slug}/"))
}

/// An alias must be a site path that stays inside the output.
pub(crate) fn check_alias(alias: &str) -> Result<(), String> {
    if !alias.starts_with('/') {
        return Err("it must start with `/`".to_string());
    }
    if alias.trim_matches('/').is_empty() {
        return Err("it would replace the home page".to_string());
    }
    if alias.contains(['?', '#', ' ']) {
        return Err("it must be a plain path, without `?`, `#` or spaces".to_string());
    }
    check_site_path(alias)
}

/// `/old` and `/old/` are the same page; `/old.html` is a file.
pub(crate) fn normalize_alias(alias: &str) -> String {
    let last = alias.rsplit('/').next().unwrap_or("");
    if alias.ends_with('/') || last.contains('.') {
        alias.to_string()
    } else {
        format!("{alias}/")
    }
}

pub(crate) fn suggest_slug(text: &str) -> String {
    match slug::slugify(text) {
        s if s.is_empty() => "my-post".to_string(),
        s if check_slug(&s).is_err() => format!("{s}-post"),
        s => s,
    }
}

/// The file (relative to the output directory) that serves site path `site_path`:
/// `/posts/x/` is `posts/x/index.html`, `/feed.xml` is `feed.xml`.
pub(crate) fn output_file(site_path: &str) -> PathBuf {
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

/// Rewrites the value of every `href`, `src` and `action` (a form's) attribute in `html`, and
/// each URL of a `srcset`, for which `rewrite` returns a new value (it is given the value as
/// written, entities and all). Everything else is left byte for byte as it was. The HTML is
/// read by lol_html, so only real attributes are touched (not text that looks like one).
pub(crate) fn rewrite_links(html: &str, rewrite: impl Fn(&str) -> Option<String>) -> String {
    rewrite_links_under(html, "", rewrite)
}

/// [`rewrite_links`] for the URLs that start with `prefix` only (the others are not even
/// handed to `rewrite`).
pub(crate) fn rewrite_links_under(
    html: &str,
    prefix: &str,
    rewrite: impl Fn(&str) -> Option<String>,
) -> String {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let rewrite = |value: &str| value.starts_with(prefix).then(|| rewrite(value)).flatten();
    let handle = |el: &mut lol_html::html_content::Element<'_, '_>| {
        for name in ["href", "src", "action"] {
            if let Some(new) = el.get_attribute(name).and_then(|value| rewrite(&value)) {
                el.set_attribute(name, &new)?;
            }
        }
        let srcset = el.get_attribute("srcset");
        if let Some(new) = srcset.and_then(|set| rewrite_srcset(&set, rewrite)) {
            el.set_attribute("srcset", &new)?;
        }
        Ok(())
    };
    let selector = if prefix.is_empty() || prefix.contains(['"', '\\']) {
        "[href], [src], [action], [srcset]".to_string()
    } else {
        format!("[href^=\"{prefix}\"], [src^=\"{prefix}\"], [action^=\"{prefix}\"], [srcset]")
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!(&selector, |el| handle(el)));
    // A rewriter error (none is expected with no memory limit) leaves the links as written.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// `srcset` with each of its URLs that `rewrite` gives a new one for replaced, read as
/// browsers read it (a URL runs to the next space; a comma after it, or after its
/// descriptors, ends the candidate); `None` when none is.
fn rewrite_srcset(srcset: &str, rewrite: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(srcset.len() + 64);
    let mut changed = false;
    let mut rest = srcset;
    loop {
        let start = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        out.push_str(&rest[..rest.len() - start.len()]);
        if start.is_empty() {
            break;
        }
        let end = start
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(start.len());
        let url = start[..end].trim_end_matches(',');
        match rewrite(url) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
            }
            None => out.push_str(url),
        }
        rest = &start[url.len()..];
        if !start[..end].ends_with(',') {
            let descriptors = rest.find(',').unwrap_or(rest.len());
            out.push_str(&rest[..descriptors]);
            rest = &rest[descriptors..];
        }
    }
    changed.then_some(out)
}

/// Resolves `reference` (a link found on the page at site path `page`) to a site path.
/// Returns `None` for external URLs and pure fragments. A `..` above the site's root stays
/// at the root.
pub(crate) fn resolve(page: &str, reference: &str) -> Option<String> {
    if reference.is_empty() || reference.starts_with('#') || is_external(reference) {
        return None;
    }
    let (path, suffix) = match reference.find(['#', '?']) {
        Some(i) => (&reference[..i], &reference[i..]),
        None => (reference, ""),
    };
    let mut out = join(page, path).unwrap_or_else(|above| above);
    out.push_str(suffix);
    Some(out)
}

/// The site path `path` (root-relative, or relative to the page at site path `page`) leads
/// to, with `.` and `..` taken away; a trailing `/`, `/.` or `/..` keeps it a folder. The one
/// resolver of the site's links. `Err` when a `..` would go above the root, with the path
/// kept at the root.
pub(crate) fn join(page: &str, path: &str) -> Result<String, String> {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let mut above = false;
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => above |= segments.pop().is_none(),
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    if above { Err(out) } else { Ok(out) }
}

/// The link from the page at site path `from` to site path `to`, relative, ending in a file
/// name so it also works when the site is opened from disk (`/tags/` becomes
/// `../tags/index.html`).
pub(crate) fn relative(from: &str, to: &str) -> String {
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
    fn each_url_of_a_srcset_is_rewritten() {
        let html = r#"<img src="a.png" srcset="a.600w.png 600w, a.png 1300w"><source srcset="/x/b,c.png 1x,/y.png, z.png 2x">"#;
        let out = rewrite_links(html, |v| Some(format!("https://h/{v}")));
        assert_eq!(
            out,
            r#"<img src="https://h/a.png" srcset="https://h/a.600w.png 600w, https://h/a.png 1300w"><source srcset="https://h//x/b,c.png 1x,https://h//y.png, https://h/z.png 2x">"#
        );
        let only = rewrite_links_under(html, "/x/", |v| Some(format!("..{v}")));
        assert!(
            only.contains(r#"srcset="../x/b,c.png 1x,/y.png, z.png 2x""#),
            "{only}"
        );
        assert_eq!(rewrite_links(html, |_| None), html);
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

    #[test]
    fn file_slugs_keep_what_the_source_generator_keeps() {
        use super::{FileSlugs, file_slug};
        assert_eq!(file_slug("v22.18.0", FileSlugs::Lowercase), "v22.18.0");
        assert_eq!(
            file_slug("Ruby-3.0 Released!", FileSlugs::Lowercase),
            "ruby-3.0-released"
        );
        assert_eq!(file_slug("Ruby-3.0", FileSlugs::Keep), "Ruby-3.0");
        assert_eq!(file_slug("v22.18.0", FileSlugs::Slugify), "v22-18-0");
        assert_eq!(file_slug("a_b~c", FileSlugs::Lowercase), "a_b~c");
        assert_eq!(
            file_slug("你好 world", FileSlugs::Lowercase),
            "ni-hao-world"
        );
        assert_eq!(file_slug("..hidden.", FileSlugs::Lowercase), "hidden");
        assert_eq!(file_slug("???", FileSlugs::Lowercase), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_dash_with_a_hash_of_the_whole() {
        let words = "word-".repeat(60);
        let cut = bounded_segment(format!("{words}end"));
        assert_eq!(cut.len(), 198);
        assert!(cut.starts_with(&"word-".repeat(38)), "{cut}");
        assert!(cut[190..].bytes().all(|b| b.is_ascii_hexdigit()), "{cut}");
        assert_eq!(cut, bounded_segment(format!("{words}end")));
        assert_ne!(cut, bounded_segment(format!("{words}other")));
        // One long word: cut where it must be.
        let one = bounded_segment("x".repeat(300));
        assert_eq!(one.len(), 200);
        assert!(one.starts_with(&format!("{}-", "x".repeat(191))));
        assert_eq!(bounded_segment("short".to_string()), "short");
        assert_eq!(bounded_segment("a".repeat(200)), "a".repeat(200));
        assert_eq!(name_slug(&"Hong Kong ".repeat(30)).len(), 198);
        let chinese = file_slug(&"香港".repeat(40), FileSlugs::Lowercase);
        assert!(
            chinese.len() <= 200 && chinese.starts_with("xiang-gang-"),
            "{chinese}"
        );
    }
}
