//! What understood syntax becomes: Markdown (fenced code, GitHub-style alerts) or HTML
//! (figures, video frames), written so that the lines of the post stay where they were.

use pulldown_cmark_escape::{escape_href, escape_html};

/// A fenced code block of `code` (which starts after the opening tag and ends before the
/// closing one, newlines included), fenced longer than any backtick run inside it.
pub(super) fn fence(language: &str, code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{ticks}{}", language.trim());
    if !code.starts_with('\n') {
        out.push('\n');
    }
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&ticks);
    out
}

/// The GitHub alert kind for a callout named `name` (Hugo's `notice warning`, Zola's `tip()`).
pub(super) fn alert_kind(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "warn" | "attention" => "WARNING",
        "caution" | "danger" | "error" => "CAUTION",
        _ => "NOTE",
    }
}

/// Shortcode and tag names that are callouts.
pub(super) fn is_callout(name: &str) -> bool {
    matches!(
        name,
        "alert"
            | "notice"
            | "callout"
            | "admonition"
            | "hint"
            | "note"
            | "tip"
            | "info"
            | "warning"
            | "caution"
            | "important"
            | "danger"
    )
}

/// A GitHub-style alert holding `content` (Markdown): every line quoted, so the body keeps
/// its lines; `content` starts after the opening tag and ends before the closing one.
pub(super) fn alert(kind: &str, content: &str) -> String {
    let mut out = format!("> [!{kind}]");
    let content = content.strip_prefix('\n').unwrap_or(content);
    // The line of the closing tag stays, empty: it ends the quote.
    let (content, closing_line) = match content.strip_suffix('\n') {
        Some(content) => (content, "\n"),
        None => (content, ""),
    };
    if !content.trim().is_empty() {
        for line in content.split('\n') {
            out.push_str("\n> ");
            out.push_str(line);
        }
    }
    out.push_str(closing_line);
    out
}

/// `value` escaped for HTML text or an attribute.
pub(super) fn text(value: &str) -> String {
    attr(value)
}

fn attr(value: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, value);
    out
}

fn href(value: &str) -> String {
    let mut out = String::new();
    let _ = escape_href(&mut out, value);
    out
}

/// Hugo's `figure`: an image with its alt text, an optional caption and link.
pub(super) fn figure(src: &str, alt: &str, caption: Option<&str>, link: Option<&str>) -> String {
    let mut img = format!("<img src=\"{}\" alt=\"{}\">", href(src), attr(alt));
    if let Some(link) = link {
        img = format!("<a href=\"{}\">{img}</a>", href(link));
    }
    match caption.filter(|c| !c.trim().is_empty()) {
        Some(caption) => format!(
            "<figure>{img}<figcaption>{}</figcaption></figure>",
            attr(caption)
        ),
        None => format!("<figure>{img}</figure>"),
    }
}

/// A video from YouTube (its privacy-enhanced address) or Vimeo, by id.
pub(super) fn video(site: &str, id: &str, title: Option<&str>) -> String {
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let (src, what) = match site {
        "vimeo" => (
            format!("https://player.vimeo.com/video/{id}"),
            "Vimeo video",
        ),
        _ => (
            format!("https://www.youtube-nocookie.com/embed/{id}"),
            "YouTube video",
        ),
    };
    format!(
        "<div class=\"video\"><iframe src=\"{src}\" title=\"{}\" loading=\"lazy\" allowfullscreen></iframe></div>",
        attr(title.unwrap_or(what))
    )
}

/// A link to a gist (showing one needs its script, which the theme does not run).
pub(super) fn gist(url: &str) -> String {
    format!("<a href=\"{}\">{}</a>", href(url), attr(url))
}
