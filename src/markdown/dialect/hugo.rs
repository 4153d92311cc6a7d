//! Hugo's shortcodes: `{{< name args >}}` and `{{% name args %}}`, closed by
//! `{{< /name >}}` when they have a body. `figure`, `highlight`, `ref`, `relref`, `youtube`,
//! `vimeo`, `gist`, `details` and callouts (`alert`, `notice`, `callout`, `admonition`,
//! `hint`, ...) are understood; `{{</* x */>}}` is Hugo's way to show a shortcode as text.

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
    if !understood(s, name, &args, end) {
        s.not_understood(format!("{open} {name} {close}"));
        s.copy(end - s.pos);
    }
}

/// Writes what shortcode `name` stands for and moves past it; false when it is not known.
fn understood(s: &mut Scanner<'_>, name: &str, args: &Args, end: usize) -> bool {
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
    block(s, name, args, end)
}

/// The shortcodes with a body: `highlight`, `details` and callouts.
fn block(s: &mut Scanner<'_>, name: &str, args: &Args, end: usize) -> bool {
    let known = matches!(name, "highlight" | "details") || emit::is_callout(name);
    if !known {
        return false;
    }
    let closing = format!("/{name}");
    let key = format!("hugo:{name}");
    let is_close = |inner: &str| inner.trim() == closing;
    let close = s
        .find_close(end, ("{{<", ">}}"), &key, is_close)
        .into_iter()
        .chain(s.find_close(end, ("{{%", "%}}"), &format!("{key}%"), is_close))
        .min();
    let Some((start, close_end)) = close else {
        return false;
    };
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
