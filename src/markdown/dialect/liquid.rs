//! Jekyll's Liquid in posts: `{% highlight %}`, `{% raw %}`, `{% comment %}`, `{% post_url %}`,
//! `{% link %}`, and the outputs `{{ site.baseurl }}`, `{{ site.url }}`, `{{ site.title }}`,
//! `{{ site.<key of extra> }}`, `{{ page.title }}`, with the `relative_url` and `absolute_url`
//! filters. Zola's shortcodes share the delimiters (`{{ youtube(id=...) }}`,
//! `{% note() %}...{% end %}`) and are told apart by the `(` after their name (`zola.rs`).

use super::emit;
use super::scan::Scanner;

/// A `{% ... %}` tag at the scanner's position.
pub(super) fn tag(s: &mut Scanner<'_>) {
    let Some(tag) = s.tag_at(s.pos, "{%", "%}") else {
        s.copy(2);
        return;
    };
    let end = tag.end;
    if let Some(shown) = zola_escaped(tag.inner) {
        s.out.push_str(&format!("{{% {shown} %}}"));
        s.pos = end;
        return;
    }
    let (name, rest) = split_name(tag.inner);
    if let Some(args) = rest.strip_prefix('(') {
        return super::zola::block(s, name, args.trim_end_matches(')'), end);
    }
    match name {
        "raw" => raw(s, end),
        "endraw" => s.pos = end,
        // The end of a Zola shortcode's body; its start was reported if not understood.
        "end" => s.copy(end - s.pos),
        "highlight" => highlight(s, rest, end),
        "comment" => comment(s, end),
        "post_url" => {
            let target = format!("posts/{}.md", rest.trim().trim_start_matches('/'));
            s.internal_link(&target);
            s.pos = end;
        }
        "link" => {
            link(s, rest.trim());
            s.pos = end;
        }
        _ => {
            s.not_understood(format!("{{% {name} %}}"));
            s.copy(end - s.pos);
        }
    }
}

/// Zola's way to show a shortcode as text: `{{/* youtube(id="x") */}}`.
fn zola_escaped(inner: &str) -> Option<&str> {
    Some(inner.strip_prefix("/*")?.strip_suffix("*/")?.trim())
}

fn split_name(inner: &str) -> (&str, &str) {
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(inner.len());
    (&inner[..end], &inner[end..])
}

/// `{% raw %}...{% endraw %}`: the text between, as written. Never closed, it is the rest of
/// the body, as written (Liquid refuses the template: "'raw' tag was never closed").
fn raw(s: &mut Scanner<'_>, end: usize) {
    match s.find_close(end, ("{%", "%}"), "endraw", |inner| inner == "endraw") {
        Some((start, close_end)) => {
            s.out.push_str(&s.body[end..start]);
            s.pos = close_end;
        }
        None => {
            let written = &s.body[s.pos..end];
            s.warn(
                written,
                "`{% raw %}` is never closed: the rest of the post is kept as written".to_string(),
                "opened here",
                "end it with {% endraw %}".to_string(),
            );
            s.out.push_str(&s.body[end..]);
            s.pos = s.body.len();
        }
    }
}

/// `{% highlight ruby linenos %}...{% endhighlight %}`: a fenced code block.
fn highlight(s: &mut Scanner<'_>, args: &str, end: usize) {
    let language = args.split_whitespace().next().unwrap_or("");
    match s.find_close(end, ("{%", "%}"), "endhighlight", |i| i == "endhighlight") {
        Some((start, close_end)) => {
            let code = super::scan::without_raw_markers(&s.body[end..start]).into_owned();
            s.out.push_str(&emit::fence(language, &code));
            s.pos = close_end;
        }
        None => {
            s.not_understood("{% highlight %} without {% endhighlight %}".to_string());
            s.copy(end - s.pos);
        }
    }
}

/// `{% comment %}...{% endcomment %}`: nothing, but the lines it took.
fn comment(s: &mut Scanner<'_>, end: usize) {
    match s.find_close(end, ("{%", "%}"), "endcomment", |i| i == "endcomment") {
        Some((_, close_end)) => {
            let lines = s.body[s.pos..close_end].matches('\n').count();
            s.out.push_str(&"\n".repeat(lines));
            s.pos = close_end;
        }
        None => {
            let written = &s.body[s.pos..end];
            s.warn(
                written,
                "`{% comment %}` is never closed: the rest of the post is shown".to_string(),
                "opened here",
                "end it with {% endcomment %}".to_string(),
            );
            s.pos = end;
        }
    }
}

/// `{% link _posts/2019-01-01-x.md %}` (a post), `{% link about.md %}` (a page),
/// `{% link assets/a.pdf %}` (a file of the site).
fn link(s: &mut Scanner<'_>, target: &str) {
    let target = target.trim_start_matches('/');
    let is_document = [".md", ".markdown", ".html"]
        .iter()
        .any(|ext| target.ends_with(ext));
    if is_document {
        let target = target
            .strip_prefix("_posts/")
            .map_or_else(|| target.to_string(), |post| format!("posts/{post}"));
        s.internal_link(&target);
    } else {
        let path = format!("/{target}");
        let url = site_path(s, &path);
        s.out.push_str(&url);
    }
}

/// A site path as a link target (rebased later with the rest of the Markdown) or, outside a
/// link, with the site's base path.
fn site_path(s: &Scanner<'_>, path: &str) -> String {
    if s.in_link_target() {
        path.to_string()
    } else {
        format!("{}{}", s.site.root, path.trim_start_matches('/'))
    }
}

/// A `{{ ... }}` output at the scanner's position.
pub(super) fn output(s: &mut Scanner<'_>) {
    let Some(tag) = s.tag_at(s.pos, "{{", "}}") else {
        s.copy(2);
        return;
    };
    let (inner, end) = (tag.inner, tag.end);
    if let Some(shown) = zola_escaped(inner) {
        s.out.push_str(&format!("{{{{ {shown} }}}}"));
        s.pos = end;
        return;
    }
    let (name, rest) = split_name(inner);
    if let Some(args) = rest.strip_prefix('(') {
        super::zola::inline(s, name, args.trim_end_matches(')'), end);
        return;
    }
    let mut parts = inner.split('|').map(str::trim);
    let head = parts.next().unwrap_or("");
    let filters: Vec<&str> = parts.collect();
    let Some(value) = value(s, head, filters.is_empty()) else {
        s.not_understood(format!("{{{{ {head} }}}}"));
        s.copy(end - s.pos);
        return;
    };
    let mut value = value;
    for filter in filters {
        value = match filter {
            "relative_url" => site_path(s, &format!("/{}", value.trim_start_matches('/'))),
            "absolute_url" => format!("{}{}", s.site.base, value.trim_start_matches('/')),
            other => {
                s.not_understood(format!("{{{{ ... | {other} }}}}"));
                s.copy(end - s.pos);
                return;
            }
        };
    }
    let start = s.out.len();
    s.out.push_str(&value);
    if head == "site.baseurl" {
        s.base_written = Some((start, s.out.len()));
    }
    s.pos = end;
}

/// The value of `head`: a quoted text or a variable. `alone` is true when no filter follows.
fn value(s: &Scanner<'_>, head: &str, alone: bool) -> Option<String> {
    if let Some(text) = quoted(head) {
        return Some(text.to_string());
    }
    let site = s.site;
    let link = s.in_link_target();
    let root_without_slash = site.root.trim_end_matches('/');
    let value = match head {
        "site.baseurl" if link => String::new(),
        "site.baseurl" => root_without_slash.to_string(),
        "site.url" if link && alone => String::new(),
        "site.url" => origin(site.base).to_string(),
        "site.title" => site.title.to_string(),
        "site.description" => site.description.to_string(),
        "site.author" => site.author?.to_string(),
        "page.title" => site.page_title.to_string(),
        other => {
            let key = other.strip_prefix("site.")?;
            match site.extra.get(key)? {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            }
        }
    };
    Some(value)
}

fn quoted(text: &str) -> Option<&str> {
    ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q)?.strip_suffix(*q))
}

/// `https://example.com` of `https://example.com/blog/`.
fn origin(base: &str) -> &str {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    }
}
