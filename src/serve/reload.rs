//! Live reload: what the server tells browsers after a rebuild, over Server-Sent Events, and
//! the script and error overlay it adds to the HTML pages it serves. `build` never adds them:
//! only [`inject`] does, on the way out of the server.

use serde::Serialize;

/// Where browsers listen for events.
pub(crate) const EVENTS_PATH: &str = "/__playpress/events";

/// What happened, as sent to browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LiveEvent {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Stylesheets(Swap),
    /// The rebuild failed: show the error over the last good page.
    Failed(String),
}

/// The stylesheets to swap.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub(crate) struct Swap {
    /// The URL paths of the stylesheets that changed (under their own name).
    pub paths: Vec<String>,
    /// Stylesheets linked by a hashed name (`asset_url`) that is now another: old URL path
    /// to new. Pages link the new one; open pages swap theirs.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renamed: std::collections::BTreeMap<String, String>,
}

impl LiveEvent {
    /// The SSE event name.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Reload => "reload",
            Self::Stylesheets(_) => "css",
            // Not `error`: an EventSource fires its own `error` events when the connection drops.
            Self::Failed(_) => "build-error",
        }
    }

    /// The SSE event data.
    pub(crate) fn data(&self) -> String {
        match self {
            Self::Reload => "reload".to_string(),
            Self::Stylesheets(swap) => serde_json::to_string(swap).unwrap_or_default(),
            Self::Failed(message) => message.clone(),
        }
    }
}

/// The id of the overlay element.
const OVERLAY_ID: &str = "playpress-overlay";

/// The styles of the overlay and its title and message. Every element gets all of its own
/// (`all:initial`, then colours, background and font) and every declaration is `!important`,
/// so no rule of the site's stylesheet (`pre { background: ... }`) reaches into it: light
/// text on a dark background in both colour schemes.
const OVERLAY_STYLE: &str = "all:initial;position:fixed;inset:0;z-index:2147483647;display:block;box-sizing:border-box;overflow:auto;margin:0;padding:2rem;background:#18181c;color:#f3f3f3;color-scheme:dark;text-align:left;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
const TITLE_STYLE: &str = "all:initial;display:block;margin:0 0 1rem;background:#18181c;color:#ffb4a8;font:600 15px/1.5 system-ui,sans-serif";
const MESSAGE_STYLE: &str = "all:initial;display:block;box-sizing:border-box;margin:0;padding:1rem 1.15rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4;background:#0d0d10;color:#f3f3f3;border:1px solid #3b3b45;border-radius:6px;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

/// `declarations` with `!important` on each.
fn important(declarations: &str) -> String {
    declarations
        .split(';')
        .map(|d| format!("{d}!important"))
        .collect::<Vec<_>>()
        .join(";")
}

const OVERLAY_TITLE: &str = "playpress could not rebuild the site; this is the last good version. Fix the file and save: the page reloads by itself.";

/// The script every served page gets.
fn script() -> String {
    let (overlay_style, title_style, message_style) = (
        important(OVERLAY_STYLE),
        important(TITLE_STYLE),
        important(MESSAGE_STYLE),
    );
    format!(
        r#"<script id="playpress-live-reload">(() => {{
  const id = "{OVERLAY_ID}";
  const show = (text) => {{
    let overlay = document.getElementById(id);
    if (!overlay) {{
      overlay = document.createElement("div");
      overlay.id = id;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "{overlay_style}";
      document.body.appendChild(overlay);
    }}
    const title = document.createElement("p");
    title.style.cssText = "{title_style}";
    title.textContent = "{OVERLAY_TITLE}";
    const pre = document.createElement("pre");
    pre.style.cssText = "{message_style}";
    pre.textContent = text;
    overlay.replaceChildren(title, pre);
  }};
  const events = new EventSource("{EVENTS_PATH}");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("build-error", (e) => show(e.data));
  events.addEventListener("css", (e) => {{
    const {{ paths, renamed = {{}} }} = JSON.parse(e.data);
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {{
      const url = new URL(link.href);
      const to = renamed[url.pathname];
      if (to) url.pathname = to;
      else if (paths.includes(url.pathname)) url.searchParams.set("playpress", Date.now());
      else continue;
      const next = link.cloneNode();
      next.href = url.href;
      next.onload = () => link.remove();
      link.after(next);
    }}
    document.getElementById(id)?.remove();
  }});
}})();</script>"#
    )
}

/// The overlay showing `message` (HTML-escaped), for pages served while a rebuild failed.
pub(crate) fn overlay(message: &str) -> String {
    let mut escaped = String::with_capacity(message.len() + 64);
    pulldown_cmark_escape::escape_html(&mut escaped, message).ok();
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{}\"><p style=\"{}\">{OVERLAY_TITLE}</p><pre style=\"{}\">{escaped}</pre></div>",
        important(OVERLAY_STYLE),
        important(TITLE_STYLE),
        important(MESSAGE_STYLE),
    )
}

/// Adds the live-reload script, and the overlay when `error` is set, before `</body>` (or at
/// the end when the page has none).
pub(crate) fn inject(html: &str, error: Option<&str>) -> String {
    let mut addition = String::new();
    if let Some(message) = error {
        addition.push_str(&overlay(message));
    }
    addition.push_str(&script());
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + addition.len());
    out.push_str(&html[..at]);
    out.push_str(&addition);
    out.push_str(&html[at..]);
    out
}

/// The page served when there is no site to show yet (the first build failed).
pub(crate) fn placeholder(error: Option<&str>) -> String {
    inject(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>playpress</title></head>\n<body>\n<p>The site has not been built yet.</p>\n</body>\n</html>\n",
        error,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = inject("<html><body><p>x</p></body></html>", None);
        assert!(out.starts_with("<html><body><p>x</p><script id=\"playpress-live-reload\">"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains(EVENTS_PATH));
        assert!(
            !out.contains("<div id=\"playpress-overlay\""),
            "no overlay without an error"
        );
    }

    #[test]
    fn overlay_is_escaped() {
        let out = inject(
            "<body></body>",
            Some("error: <script>alert(1)</script> & more"),
        );
        assert!(out.contains("\">error: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</pre>"));
        assert!(!out.contains("<script>alert(1)"));
    }

    #[test]
    fn the_overlay_brings_its_own_colours_whatever_the_site_css() {
        let html = overlay("error: x");
        let script = script();
        for (tag, style) in [
            ("div", OVERLAY_STYLE),
            ("p", TITLE_STYLE),
            ("pre", MESSAGE_STYLE),
        ] {
            let style = important(style);
            assert!(
                style.starts_with("all:initial!important;"),
                "{tag}: nothing of the site's CSS is kept"
            );
            for property in [";color:#", ";background:#", ";font:"] {
                assert!(style.contains(property), "{tag} sets {property}");
            }
            assert!(
                style.split(';').all(|d| d.ends_with("!important")),
                "{tag}: {style}"
            );
            assert!(
                !style.contains(['"', '\\', '<']),
                "fits in an attribute and a string"
            );
            assert!(
                html.contains(&format!("<{tag} style=\"{style}\"")) || tag == "div",
                "{tag} in the served overlay: {html}"
            );
            assert!(
                script.contains(&format!(".style.cssText = \"{style}\";")),
                "{tag} in the script's overlay"
            );
        }
        assert!(html.starts_with(&format!(
            "<div id=\"playpress-overlay\" role=\"alert\" style=\"{}\">",
            important(OVERLAY_STYLE)
        )));
        assert_eq!(important("a:1;b:2"), "a:1!important;b:2!important");
    }

    #[test]
    fn events_have_names_and_data() {
        let css = LiveEvent::Stylesheets(Swap {
            paths: vec!["/extra.css".to_string()],
            renamed: Default::default(),
        });
        assert_eq!(css.name(), "css");
        assert_eq!(css.data(), "{\"paths\":[\"/extra.css\"]}");
        let renamed = LiveEvent::Stylesheets(Swap {
            paths: Vec::new(),
            renamed: [("/style.1.css".to_string(), "/style.2.css".to_string())].into(),
        });
        assert_eq!(
            renamed.data(),
            "{\"paths\":[],\"renamed\":{\"/style.1.css\":\"/style.2.css\"}}"
        );
        assert_eq!(LiveEvent::Failed("x".to_string()).name(), "build-error");
    }
}
