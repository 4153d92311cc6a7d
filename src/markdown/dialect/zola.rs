//! Zola's shortcodes: the built-in inline ones (`{{ youtube(id="...") }}`, `vimeo`, `gist`),
//! whose arguments are typed as Zola types them (an argument of the wrong type is an error),
//! and the body ones, `{% name(...) %}...{% end %}`: callouts (`note`, `tip`, `warning`,
//! ...) become alerts; the others are kept as text, their body read as Markdown.

use super::args::{self, Typed};
use super::emit;
use super::scan::Scanner;

/// `{{ name(args) }}` at the scanner's position, ending at `end`.
pub(super) fn inline(s: &mut Scanner<'_>, name: &str, args: &str, end: usize) {
    let args = args::typed(args);
    let text = |key: &str, index: usize| -> Result<Option<String>, &Typed> {
        match args::typed_get(&args, key, index) {
            None => Ok(None),
            Some(Typed::Text(text) | Typed::Number(text)) => Ok(Some(text.clone())),
            Some(other) => Err(other),
        }
    };
    let html = match name {
        "youtube" | "vimeo" => text("id", 0).and_then(|id| {
            let title = text("title", usize::MAX)?;
            Ok(id.map(|id| emit::video(name, &id, title.as_deref())))
        }),
        "gist" => text("url", 0).map(|url| url.map(|url| emit::gist(&url))),
        _ => Ok(None),
    };
    match html {
        Ok(Some(html)) => {
            s.out.push_str(&html);
            s.pos = end;
        }
        Ok(None) => {
            s.not_understood(format!("{{{{ {name}() }}}}"));
            s.copy(end - s.pos);
        }
        Err(wrong) => {
            let key = ["id", "title", "url"]
                .into_iter()
                .find(|key| args::typed_get(&args, key, usize::MAX).is_some_and(|v| v == wrong))
                .unwrap_or("id");
            let hint = match (name, key) {
                ("youtube", "id") => {
                    "write the video's id in quotes: youtube(id=\"dQw4w9WgXcQ\")".to_string()
                }
                ("vimeo", "id") => {
                    "write the video's id in quotes: vimeo(id=\"76979871\")".to_string()
                }
                _ => format!("write it in quotes: {name}({key}=\"...\")"),
            };
            let written = &s.body[s.pos..end];
            s.fail(
                written,
                format!("`{key}` of `{name}()` is text, not {}", wrong.kind()),
                "this shortcode",
                hint,
            );
            s.copy(end - s.pos);
        }
    }
}

/// `{% name(args) %}` at the scanner's position, ending at `end`: a callout closed by the
/// `{% end %}` paired with it.
pub(super) fn block(s: &mut Scanner<'_>, name: &str, args: &str, end: usize) {
    if !emit::is_callout(name) {
        s.not_understood(format!("{{% {name}() %}}"));
        s.copy(end - s.pos);
        return;
    }
    let close = s
        .context
        .pairs
        .closing(s.pos)
        .filter(|(_, close_end)| *close_end <= s.body.len());
    let written = &s.body[s.pos..end];
    let Some((start, close_end)) = close else {
        s.warn(
            written,
            format!("`{{% {name}() %}}` is never closed by `{{% end %}}`, shown as text"),
            "opened here",
            "end it with {% end %}".to_string(),
        );
        s.copy(end - s.pos);
        return;
    };
    if s.too_deep(written, name, end) {
        return;
    }
    let args = args::parse(args);
    let kind = match name {
        "alert" | "admonition" | "callout" => args.get("type", 0).unwrap_or(name),
        _ => name,
    };
    let content = s.nested(end, start);
    s.out
        .push_str(&emit::alert(emit::alert_kind(kind), &content));
    s.pos = close_end;
}
