//! URLs of the site: the base URL (which may carry a subpath), permalink patterns, and the
//! mapping from a URL path to the file that serves it.

use std::path::PathBuf;

/// The site's base URL, split into origin (`https://example.com`) and path (`/blog/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Parses an absolute `http(s)://host[:port][/path]` URL.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| format!("`{text}` is not an absolute URL"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("`{text}` must start with http:// or https://"));
        }
        if rest.contains(['?', '#', ' ', '\\']) {
            return Err(format!(
                "`{text}` must not contain a query, fragment, space or backslash"
            ));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(format!("`{text}` has no host"));
        }
        if path.split('/').any(|s| s == "." || s == "..") {
            return Err(format!("`{text}` must not contain `.` or `..` segments"));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        while path.contains("//") {
            path = path.replace("//", "/");
        }
        Ok(Self {
            origin: format!("{scheme}://{host}"),
            path,
        })
    }

    /// The subpath the site lives under, with leading and trailing slash (`/` or `/blog/`).
    pub fn root(&self) -> &str {
        &self.path
    }

    /// The full base URL with a trailing slash.
    pub fn as_str(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// The path a browser requests for site path `site_path` (e.g. `/posts/x/` under a `/blog/`
    /// base gives `/blog/posts/x/`). Absolute URLs and in-page anchors are returned unchanged.
    pub fn url(&self, site_path: &str) -> String {
        if is_external(site_path) || site_path.starts_with('#') {
            return site_path.to_string();
        }
        let mut out = String::with_capacity(self.path.len() + site_path.len());
        out.push_str(&self.path);
        out.push_str(site_path.trim_start_matches('/'));
        out
    }

    /// The absolute URL of site path `site_path`.
    pub fn permalink(&self, site_path: &str) -> String {
        if is_external(site_path) {
            return site_path.to_string();
        }
        format!("{}{}", self.origin, self.url(site_path))
    }
}

/// True for URLs that leave the site (`https://`, `mailto:`, `//host`...).
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

/// A name without case, spaces, dashes and underscores: `Web Dev` and `web-dev` are spelled
/// the same (and share a URL), `C++` and `C` are not (yet share one too).
pub fn spelling(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A permalink pattern such as `/posts/{slug}/` or `/{year}/{month}/{day}/{slug}.html`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
}

/// The values a permalink pattern is filled with.
#[derive(Debug, Clone, Copy)]
pub struct PermalinkFields<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
}

const PERMALINK_TOKENS: [&str; 4] = ["year", "month", "day", "slug"];

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Self, (String, Option<String>)> {
        if !pattern.starts_with('/') {
            return Err((
                format!("permalink `{pattern}` must start with `/`"),
                Some(format!("write `/{}`", pattern.trim_start_matches('/'))),
            ));
        }
        if pattern.starts_with("//") || pattern.contains("//") {
            return Err((
                format!(
                    "permalink `{pattern}` contains `//`: a URL starting so leads to another site"
                ),
                Some("write one `/` between the parts, e.g. permalink: /posts/{slug}/".to_string()),
            ));
        }
        if let Some(c) = pattern.chars().find(|c| {
            matches!(c, '?' | '#' | '%' | '"' | '<' | '>') || c.is_whitespace() || c.is_control()
        }) {
            return Err((
                format!("permalink `{}` contains {}: it must be a plain path", pattern.escape_debug(), shown_char(c)),
                Some("use letters, digits, `-`, `_`, `.` and the tokens, e.g. permalink: /{year}/{slug}/".to_string()),
            ));
        }
        if !pattern.contains("{slug}") {
            return Err((
                format!("permalink `{pattern}` does not contain `{{slug}}`"),
                Some("every post needs its own URL, e.g. `/posts/{slug}/`".to_string()),
            ));
        }
        let mut rest = pattern;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let end = after
                .find('}')
                .ok_or_else(|| (format!("permalink `{pattern}` has an unclosed `{{`"), None))?;
            let token = &after[..end];
            if !PERMALINK_TOKENS.contains(&token) {
                let hint = crate::diagnostic::did_you_mean(token, PERMALINK_TOKENS)
                    .map(|t| format!("did you mean `{{{t}}}`?"))
                    .unwrap_or_else(|| "known tokens: {year}, {month}, {day}, {slug}".to_string());
                return Err((format!("unknown permalink token `{{{token}}}`"), Some(hint)));
            }
            rest = &after[end + 1..];
        }
        check_site_path(pattern).map_err(|e| (format!("permalink `{pattern}` {e}"), None))?;
        Ok(Self {
            pattern: pattern.to_string(),
        })
    }

    /// The site path of a post.
    pub fn fill(&self, fields: PermalinkFields<'_>) -> String {
        let path = self
            .pattern
            .replace("{year}", &format!("{:04}", fields.year))
            .replace("{month}", &format!("{:02}", fields.month))
            .replace("{day}", &format!("{:02}", fields.day))
            .replace("{slug}", fields.slug);
        if path.ends_with('/') || has_extension(&path) {
            path
        } else {
            path + "/"
        }
    }
}

/// A character as a message names it.
fn shown_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_whitespace() || c.is_control() {
        format!("the character {}", c.escape_unicode())
    } else {
        format!("`{c}`")
    }
}

impl Default for Permalink {
    fn default() -> Self {
        Self {
            pattern: "/posts/{slug}/".to_string(),
        }
    }
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
}

const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks that a site path (`/a/b/`) cannot escape the output directory or name a file that
/// some systems cannot create.
pub fn check_site_path(path: &str) -> Result<(), String> {
    if path.contains('\\') {
        return Err("must not contain a backslash".to_string());
    }
    if path.contains('\0') {
        return Err("must not contain a NUL character".to_string());
    }
    for segment in path.split('/') {
        if segment == "." || segment == ".." {
            return Err("must not contain `.` or `..` segments".to_string());
        }
        if segment.contains(':') {
            return Err("must not contain `:`".to_string());
        }
        let stem = segment.split('.').next().unwrap_or("").to_ascii_lowercase();
        if WINDOWS_DEVICES.contains(&stem.as_str()) {
            return Err(format!("must not use the reserved name `{segment}`"));
        }
    }
    Ok(())
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
    fn base_url_with_and_without_subpath() {
        let root = BaseUrl::parse("https://example.com").unwrap();
        assert_eq!(root.root(), "/");
        assert_eq!(root.url("/posts/a/"), "/posts/a/");
        assert_eq!(root.permalink("/posts/a/"), "https://example.com/posts/a/");
        let sub = BaseUrl::parse("https://example.com/blog").unwrap();
        assert_eq!(sub.root(), "/blog/");
        assert_eq!(sub.url("/posts/a/"), "/blog/posts/a/");
        assert_eq!(sub.url("/"), "/blog/");
        assert_eq!(sub.url("https://x.org/"), "https://x.org/");
        assert_eq!(sub.url("mailto:a@b.c"), "mailto:a@b.c");
        assert_eq!(sub.as_str(), "https://example.com/blog/");
    }

    #[test]
    fn base_url_rejects_bad_input() {
        assert!(BaseUrl::parse("example.com").is_err());
        assert!(BaseUrl::parse("ftp://example.com").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://e.com/a/../b").is_err());
    }

    #[test]
    fn permalink_fills_tokens() {
        let p = Permalink::parse("/{year}/{month}/{day}/{slug}.html").unwrap();
        let f = PermalinkFields {
            year: 2024,
            month: 3,
            day: 5,
            slug: "hi",
        };
        assert_eq!(p.fill(f), "/2024/03/05/hi.html");
        assert_eq!(Permalink::default().fill(f), "/posts/hi/");
        assert_eq!(
            Permalink::parse("/blog/{slug}").unwrap().fill(f),
            "/blog/hi/"
        );
    }

    #[test]
    fn permalink_errors() {
        assert!(Permalink::parse("posts/{slug}/").is_err());
        assert!(Permalink::parse("/posts/").is_err());
        let (msg, hint) = Permalink::parse("/{yaer}/{slug}/").unwrap_err();
        assert_eq!(msg, "unknown permalink token `{yaer}`");
        assert_eq!(hint.as_deref(), Some("did you mean `{year}`?"));
        assert!(Permalink::parse("/../{slug}/").is_err());
        let (msg, _) = Permalink::parse("//evil.example/{slug}/").unwrap_err();
        assert_eq!(
            msg,
            "permalink `//evil.example/{slug}/` contains `//`: a URL starting so leads to another site"
        );
        for (pattern, shown) in [
            ("/{slug}/?x=1", "`?`"),
            ("/{slug}/#x", "`#`"),
            ("/%2e%2e/{slug}/", "`%`"),
            ("/my posts/{slug}/", "a space"),
        ] {
            let (msg, _) = Permalink::parse(pattern).unwrap_err();
            assert_eq!(
                msg,
                format!("permalink `{pattern}` contains {shown}: it must be a plain path")
            );
        }
    }

    #[test]
    fn site_paths_are_checked() {
        assert!(check_site_path("/a/b/").is_ok());
        assert!(check_site_path("/a/../b").is_err());
        assert!(check_site_path("/a\\b").is_err());
        assert!(check_site_path("/con/").is_err());
        assert!(check_site_path("/a\0").is_err());
    }

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

    #[test]
    fn external_urls() {
        assert!(is_external("https://a.b"));
        assert!(is_external("mailto:x@y"));
        assert!(is_external("//cdn"));
        assert!(!is_external("/about/"));
        assert!(!is_external("about"));
    }
}
