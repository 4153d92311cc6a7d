//! Other generators' template syntax in posts, read as Markdown before it is parsed: Jekyll's
//! Liquid (`{% highlight %}`, `{% raw %}`, `{{ site.baseurl }}`, `{% post_url %}`, ...),
//! Hugo's shortcodes (`{{< figure >}}`, `{{% notice %}}`, `{{< ref >}}`, ...) and Zola's
//! (`{{ youtube(id=...) }}`, `{% note() %}...{% end %}`). What is understood becomes plain
//! Markdown or HTML: fenced code, GitHub-style alerts, figures, video frames, and internal
//! links (`@/posts/x.md`, resolved to the post's URL). What is not is kept as text and
//! reported, one finding per place; what is never closed is reported at its opening, and an
//! argument of the wrong type is an error there. Code (blocks and spans) and maths (`$...$`,
//! `$$...$$`), as pulldown-cmark reads them, are left as written (`literal.rs`), but for
//! Jekyll's `{% raw %}` markers, which are dropped everywhere. A paired shortcode closes the
//! innermost open one of its name (`pairs.rs`).
//!
//! The rewrite keeps the body's lines where it can (a tag alone on its line becomes one line),
//! so the positions of later warnings stay right. Pure: text in, text out.

mod args;
mod emit;
mod hugo;
mod liquid;
mod literal;
mod pairs;
mod scan;
mod tag;
mod zola;

/// What the rewrite may put into a post: the site's addresses and the values `{{ site.x }}`
/// and `{{ page.title }}` name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SiteValues<'a> {
    /// The site's base path, with a slash at both ends: `/` or `/blog/`.
    pub root: &'a str,
    /// The site's base URL: `https://example.com/blog/`.
    pub base: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub author: Option<&'a str>,
    /// `extra:` of the config: Jekyll's own `_config.yml` keys, moved there.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The post's title, for `{{ page.title }}`.
    pub page_title: &'a str,
}

/// Something in a post written for another generator that is not understood: kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// What it is, as a warning names it: `{% include %}`, `{{< tweet >}}`, `{{ site.repository }}`.
    pub syntax: String,
    /// Byte offset in the body as written.
    pub offset: usize,
}

/// Something written for another generator that is reported at its place: a tag never
/// closed, shortcodes nested too deep (warnings), an argument of the wrong type (an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub error: bool,
    pub message: String,
    pub label: &'static str,
    pub hint: String,
    /// Byte offset in the body as written, and how many characters to underline.
    pub offset: usize,
    pub width: usize,
}

/// A body rewritten for playpress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rewritten {
    pub body: String,
    pub unknown: Vec<Unknown>,
    pub problems: Vec<Problem>,
}

/// The body with other generators' syntax rewritten, or `None` when it has none (the usual
/// case, found with one pass of `memchr`).
pub(crate) fn rewrite(body: &str, site: &SiteValues<'_>) -> Option<Rewritten> {
    if !may_have_syntax(body) {
        return None;
    }
    let literal = literal::ranges(body);
    let pairs = pairs::Pairs::of(body, &literal);
    let context = scan::Context {
        site,
        literal: &literal,
        pairs: &pairs,
    };
    let mut scanner = scan::Scanner::new(body, 0, &context, 0);
    scanner.run();
    let (out, unknown, problems) = scanner.finish();
    (out != body || !unknown.is_empty() || !problems.is_empty()).then_some(Rewritten {
        body: out,
        unknown,
        problems,
    })
}

/// Whether `body` has a `{{` or a `{%` anywhere.
pub(crate) fn may_have_syntax(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

#[cfg(test)]
mod tests;
