//! URLs as the config writes them: the base URL (which may carry a subpath), permalink
//! patterns, and the rule every site path follows (no way out of the output, no name some
//! systems cannot create).

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
pub(crate) fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

/// How a slug is made from a file or folder name (`file_slugs:` in the config).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileSlugs {
    /// Lowercase; dots, `_` and `~` kept, other characters unsafe in a URL become `-`
    /// (Hugo's way: `v22.18.0.md` is `/posts/v22.18.0/`).
    #[default]
    Lowercase,
    /// As written, case too; only characters unsafe in a URL become `-` (Jekyll's `:title`).
    Keep,
    /// Letters and digits only, lowercase, everything else `-` (Zola's default).
    Slugify,
}

/// A permalink pattern such as `/posts/{slug}/` or `/{year}/{month}/{day}/{slug}.html`.
#[derive(Debug, Clone, PartialEq, Eq, minicbor::Encode, minicbor::Decode)]
#[cbor(transparent)]
pub struct Permalink {
    #[n(0)]
    pattern: String,
}

/// The values a permalink pattern is filled with.
#[derive(Debug, Clone, Copy)]
pub struct PermalinkFields<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
    /// The post's folder under `content/posts/` (`""`, `news`, `news/2024`).
    pub section: &'a str,
    /// The post's categories, already made into URL segments.
    pub categories: &'a [String],
}

const PERMALINK_TOKENS: [&str; 9] = [
    "year",
    "month",
    "day",
    "slug",
    "section",
    "categories",
    "i_month",
    "i_day",
    "short_year",
];

/// Jekyll's permalink styles, by name.
const JEKYLL_STYLES: [(&str, &str); 4] = [
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
    ("none", "/:categories/:title:output_ext"),
];

/// Jekyll's and Hugo's `:name` placeholders, as playpress's `{name}` (longest names first,
/// so `:slugorfilename` is not read as `:slug`). Jekyll's `:title` and Hugo's `:filename`
/// are the name of the file, which `slug:` overrides: playpress's `{slug}`.
const COLON_TOKENS: [(&str, &str); 14] = [
    (":slugorfilename", "{slug}"),
    (":contentbasename", "{slug}"),
    (":categories", "{categories}"),
    (":short_year", "{short_year}"),
    (":output_ext", ".html"),
    (":filename", "{slug}"),
    (":sections", "{section}"),
    (":section", "{section}"),
    (":i_month", "{i_month}"),
    (":i_day", "{i_day}"),
    (":month", "{month}"),
    (":title", "{slug}"),
    (":year", "{year}"),
    (":slug", "{slug}"),
];

/// A pattern written with Jekyll's or Hugo's placeholders (or a Jekyll style name), in
/// playpress's own tokens; `:day` is done last, after the names that contain it.
fn from_colon_tokens(pattern: &str) -> String {
    let mut out = JEKYLL_STYLES
        .iter()
        .find(|(name, _)| *name == pattern)
        .map_or(pattern, |(_, style)| style)
        .to_string();
    for (colon, token) in COLON_TOKENS {
        out = out.replace(colon, token);
    }
    out.replace(":day", "{day}")
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Self, (String, Option<String>)> {
        Self::parse_with(pattern, true)
    }

    /// A post's own `permalink:`, which may have tokens but need not have `{slug}`.
    pub fn parse_own(pattern: &str) -> Result<Self, (String, Option<String>)> {
        Self::parse_with(pattern, false)
    }

    fn parse_with(pattern: &str, needs_slug: bool) -> Result<Self, (String, Option<String>)> {
        let translated = from_colon_tokens(pattern);
        let pattern = translated.as_str();
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
        if needs_slug && !pattern.contains("{slug}") {
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
                    .unwrap_or_else(|| {
                        "known tokens: {year}, {month}, {day}, {slug}, {section}, {categories}, {i_month}, {i_day}, {short_year}".to_string()
                    });
                return Err((format!("unknown permalink token `{{{token}}}`"), Some(hint)));
            }
            rest = &after[end + 1..];
        }
        check_site_path(pattern).map_err(|e| (format!("permalink `{pattern}` {e}"), None))?;
        Ok(Self {
            pattern: pattern.to_string(),
        })
    }

    /// Whether the pattern has `token` (`section`, `categories`): what a post must work out.
    pub fn uses(&self, token: &str) -> bool {
        // `{token}` found without making the string: a `{`, the token, a `}`.
        self.pattern.match_indices('{').any(|(i, _)| {
            self.pattern[i + 1..]
                .strip_prefix(token)
                .is_some_and(|rest| rest.starts_with('}'))
        })
    }

    /// The site path of a post. An empty section or no categories leave no empty segment.
    pub fn fill(&self, fields: PermalinkFields<'_>) -> String {
        use std::fmt::Write;
        let mut path = String::with_capacity(self.pattern.len() + fields.slug.len() + 8);
        let mut rest: &str = &self.pattern;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                break;
            };
            // The tokens were checked when the pattern was read.
            let _ = match &after[..close] {
                "year" => write!(path, "{:04}", fields.year),
                "short_year" => write!(path, "{:02}", fields.year.rem_euclid(100)),
                "month" => write!(path, "{:02}", fields.month),
                "i_month" => write!(path, "{}", fields.month),
                "day" => write!(path, "{:02}", fields.day),
                "i_day" => write!(path, "{}", fields.day),
                "section" => write!(path, "{}", fields.section),
                "categories" => write!(path, "{}", fields.categories.join("/")),
                _ => write!(path, "{}", fields.slug),
            };
            rest = &after[close + 1..];
        }
        path.push_str(rest);
        while path.contains("//") {
            path = path.replace("//", "/");
        }
        if path.ends_with('/') || has_extension(&self.pattern) {
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
pub(crate) fn check_site_path(path: &str) -> Result<(), String> {
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
            section: "",
            categories: &[],
        };
        assert_eq!(p.fill(f), "/2024/03/05/hi.html");
        assert_eq!(Permalink::default().fill(f), "/posts/hi/");
        assert_eq!(
            Permalink::parse("/blog/{slug}").unwrap().fill(f),
            "/blog/hi/"
        );
    }

    #[test]
    fn jekyll_and_hugo_placeholders() {
        let categories = ["release-notes".to_string(), "ruby".to_string()];
        let f = PermalinkFields {
            year: 2009,
            month: 4,
            day: 9,
            slug: "Ruby-3.0",
            section: "news",
            categories: &categories,
        };
        let fill = |p: &str| Permalink::parse(p).unwrap().fill(f);
        assert_eq!(fill("date"), "/release-notes/ruby/2009/04/09/Ruby-3.0.html");
        assert_eq!(fill("pretty"), "/release-notes/ruby/2009/04/09/Ruby-3.0/");
        assert_eq!(
            fill("/:year/:i_month/:i_day/:title:output_ext"),
            "/2009/4/9/Ruby-3.0.html"
        );
        assert_eq!(fill("/:short_year/:slug/"), "/09/Ruby-3.0/");
        assert_eq!(fill("/posts/:section/:filename/"), "/posts/news/Ruby-3.0/");
        assert_eq!(fill("/posts/{section}/{slug}/"), "/posts/news/Ruby-3.0/");
        let top = PermalinkFields {
            section: "",
            categories: &[],
            ..f
        };
        assert_eq!(
            Permalink::parse("/posts/{section}/{slug}/")
                .unwrap()
                .fill(top),
            "/posts/Ruby-3.0/"
        );
        assert_eq!(
            Permalink::parse("date").unwrap().fill(top),
            "/2009/04/09/Ruby-3.0.html"
        );
        // A slug with dots is not mistaken for a file name.
        assert_eq!(Permalink::parse("/{slug}").unwrap().fill(f), "/Ruby-3.0/");
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
    fn external_urls() {
        assert!(is_external("https://a.b"));
        assert!(is_external("mailto:x@y"));
        assert!(is_external("//cdn"));
        assert!(!is_external("/about/"));
        assert!(!is_external("about"));
    }
}
