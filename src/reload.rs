//! Live reload: what the server tells browsers after a rebuild, over Server-Sent Events, and
//! the script and error overlay it adds to the HTML pages it serves. `build` never adds them:
//! only [`inject`] does, on the way out of the server.

use serde::Serialize;

/// Where browsers listen for events.
pub const EVENTS_PATH: &str = "/__playpress/events";

/// What happened, as sent to browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The site changed: reload the page.
    Reload,
    /// Only these stylesheets (URL paths) changed: swap them without reloading.
    Stylesheets(Vec<String>),
    /// The rebuild failed: show the error over the last good page.
    Failed(String),
}

#[derive(Serialize)]
struct StylesheetList<'a> {
    paths: &'a [String],
}

impl LiveEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Reload => "reload",
            Self::Stylesheets(_) => "css",
            // Not `error`: an EventSource fires its own `error` events when the connection drops.
            Self::Failed(_) => "build-error",
        }
    }

    /// The SSE event data.
    pub fn data(&self) -> String {
        match self {
            Self::Reload => "reload".to_string(),
            Self::Stylesheets(paths) => {
                serde_json::to_string(&StylesheetList { paths }).unwrap_or_default()
            }
            Self::Failed(message) => message.clone(),
        }
    }
}

/// The id of the overlay element.
const OVERLAY_ID: &str = "playpress-overlay";

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(20,20,24,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

const OVERLAY_TITLE: &str = "playpress could not rebuild the site; this is the last good version. Fix the file and save: the page reloads by itself.";

/// The script every served page gets.
fn script() -> String {
    format!(
        r#"<script id="playpress-live-reload">(() => {{
  const id = "{OVERLAY_ID}";
  const show = (text) => {{
    let overlay = document.getElementById(id);
    if (!overlay) {{
      overlay = document.createElement("div");
      overlay.id = id;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "{OVERLAY_STYLE}";
      document.body.appendChild(overlay);
    }}
    const title = document.createElement("p");
    title.textContent = "{OVERLAY_TITLE}";
    const pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = text;
    overlay.replaceChildren(title, pre);
  }};
  const events = new EventSource("{EVENTS_PATH}");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("build-error", (e) => show(e.data));
  events.addEventListener("css", (e) => {{
    const changed = JSON.parse(e.data).paths;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {{
      const url = new URL(link.href);
      if (!changed.includes(url.pathname)) continue;
      url.searchParams.set("playpress", Date.now());
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
pub fn overlay(message: &str) -> String {
    let mut escaped = String::with_capacity(message.len() + 64);
    pulldown_cmark_escape::escape_html(&mut escaped, message).ok();
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p>{OVERLAY_TITLE}</p><pre style=\"white-space:pre-wrap\">{escaped}</pre></div>"
    )
}

/// Adds the live-reload script, and the overlay when `error` is set, before `</body>` (or at
/// the end when the page has none).
pub fn inject(html: &str, error: Option<&str>) -> String {
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
pub fn placeholder(error: Option<&str>) -> String {
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
        assert!(out.contains("<pre style=\"white-space:pre-wrap\">error: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</pre>"));
        assert!(!out.contains("<script>alert(1)"));
    }

    #[test]
    fn events_have_names_and_data() {
        let css = LiveEvent::Stylesheets(vec!["/style.css".to_string()]);
        assert_eq!(css.name(), "css");
        assert_eq!(css.data(), "{\"paths\":[\"/style.css\"]}");
        assert_eq!(LiveEvent::Failed("x".to_string()).name(), "build-error");
    }
}
