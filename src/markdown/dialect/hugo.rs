//! Hugo's shortcodes: `{{< name args >}}` and `{{% name args %}}`, closed by
//! `{{< /name >}}` when they have a body. `figure`, `highlight`, `ref`, `relref`, `youtube`,
//! `vimeo`, `gist`, `details` and callouts (`alert`, `notice`, `callout`, `admonition`,
//! `hint`, ...) are understood; `{{</* x */>}}` is Hugo's way to show a shortcode as text. A
//! shortcode never closed (by `>}}`, or by its `{{< /name >}}`) is shown as text, reported.

use super::args::{self, Args};
use super::emit;
use super::scan::Scanner;

/// The shortcode at the scanner's position (`{{<` or `{{%`).
pub(super) fn shortcode(s: &mut Scanner<'_>) {
    let percent = s.body[s.pos..].starts_with("{{%");
    let (open, close) = if percent {
        ("{{%", "%}}")
    } else {
        ("{{<", ">}}")
    };
    let Some(tag) = s.tag_at(s.pos, open, close) else {
        unclosed(s, open, close);
        s.copy(3);
        return;
    };
    let end = tag.end;
    if let Some(shown) = tag
        .inner
        .strip_prefix("/*")
        .and_then(|t| t.strip_suffix("*/"))
    {
        s.out.push_str(&format!("{open} {} {close}", shown.trim()));
        s.pos = end;
        return;
    }
    let inner = tag.inner.trim_end_matches('/').trim_end();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let (name, rest) = (&inner[..name_end], &inner[name_end..]);
    if name.starts_with('/') {
        // The end of a shortcode whose start was not understood (and was reported).
        s.copy(end - s.pos);
        return;
    }
    let args = args::parse(rest);
    let self_closed = tag.inner.ends_with('/');
    if !understood(s, (name, self_closed), &args, end) {
        s.not_understood(format!("{open} {name} {close}"));
        s.copy(end - s.pos);
    }
}

/// A `{{<` with a name after it and no `>}}` soon enough: reported, shown as text.
fn unclosed(s: &mut Scanner<'_>, open: &str, close: &str) {
    let rest = &s.body[s.pos + open.len()..];
    let name_start = rest.len() - rest.trim_start().len();
    let name: String = rest[name_start..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
        .collect();
    if name.is_empty()
        || !name
            .trim_start_matches('/')
            .starts_with(char::is_alphabetic)
    {
        return;
    }
    let written = format!("{}{name}", &s.body[s.pos..s.pos + open.len() + name_start]);
    s.warn(
        &written,
        format!("`{open} {name}` is never closed by `{close}`, shown as text"),
        "opened here",
        format!("end the shortcode with {close}"),
    );
}

/// Writes what shortcode `name` stands for and moves past it; false when it is not known.
fn understood(
    s: &mut Scanner<'_>,
    (name, self_closed): (&str, bool),
    args: &Args,
    end: usize,
) -> bool {
    let inline = match name {
        "figure" => args.get("src", 0).map(|src| {
            let caption = args.named("caption").or(args.named("title"));
            let alt = args.named("alt").or(caption).unwrap_or("");
            emit::figure(src, alt, caption, args.named("link"))
        }),
        "youtube" | "vimeo" => args
            .get("id", 0)
            .map(|id| emit::video(name, id, args.named("title"))),
        "gist" => match (args.positional.first(), args.positional.get(1)) {
            (Some(user), Some(id)) => {
                Some(emit::gist(&format!("https://gist.github.com/{user}/{id}")))
            }
            _ => None,
        },
        "ref" | "relref" => {
            let Some(target) = args.get("path", 0) else {
                return false;
            };
            let target = target.to_string();
            s.internal_link(&target);
            s.pos = end;
            return true;
        }
        _ => None,
    };
    if let Some(html) = inline {
        s.out.push_str(&html);
        s.pos = end;
        return true;
    }
    block(s, (name, self_closed), args, end)
}

/// The shortcodes with a body: `highlight`, `details` and callouts, closed by the closing
/// the pairs found for them (`{{< name />}}`: an empty body).
fn block(s: &mut Scanner<'_>, (name, self_closed): (&str, bool), args: &Args, end: usize) -> bool {
    if !super::pairs::has_body(name) {
        return false;
    }
    let close = if self_closed {
        Some((end, end))
    } else {
        s.context
            .pairs
            .closing(s.pos)
            .filter(|(_, close_end)| *close_end <= s.body.len())
    };
    let written = &s.body[s.pos..end];
    let Some((start, close_end)) = close else {
        let open = &written[..3];
        let closing = if open == "{{%" {
            format!("{{{{% /{name} %}}}}")
        } else {
            format!("{{{{< /{name} >}}}}")
        };
        s.warn(
            written,
            format!(
                "`{open} {name} {}` is never closed by `{closing}`, shown as text",
                &closing[closing.len() - 3..]
            ),
            "opened here",
            format!("end it with {closing}"),
        );
        s.copy(end - s.pos);
        return true;
    };
    if name != "highlight" && s.too_deep(written, name, end) {
        return true;
    }
    let text = match name {
        "highlight" => emit::fence(args.get("lang", 0).unwrap_or(""), &s.body[end..start]),
        "details" => {
            let summary = emit::text(args.get("summary", 0).unwrap_or("Details"));
            let content = s.nested(end, start);
            format!(
                "<details><summary>{summary}</summary>\n\n{}\n\n</details>",
                content.trim_matches('\n')
            )
        }
        _ => {
            let kind = ["type", "theme", "context", "variant"]
                .iter()
                .find_map(|k| args.named(k))
                .or(args.positional.first().map(String::as_str))
                .filter(|_| matches!(name, "alert" | "notice" | "callout" | "admonition" | "hint"))
                .unwrap_or(name)
                .to_string();
            let content = s.nested(end, start);
            emit::alert(emit::alert_kind(&kind), &content)
        }
    };
    s.out.push_str(&text);
    s.pos = close_end;
    true
}
