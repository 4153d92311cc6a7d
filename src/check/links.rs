//! Links between the pages of a site, for `check`: the links, images and element ids found in
//! rendered HTML, where a link leads in the output, and where a broken one was written (a
//! Markdown file, `config.yaml`, or a template). Pure: works on rendered pages and loaded text.

use std::collections::HashSet;
use std::path::PathBuf;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::{Lines, Position};
use crate::model::url::{BaseUrl, is_external, output_file};

/// A link or an image in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// The URL as written in the attribute (entities decoded).
    pub url: String,
    /// An image (`img`, `source`), not a link.
    pub image: bool,
}

/// What a page links to, and the ids it has (targets of `#fragment` links).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageLinks {
    pub links: Vec<Link>,
    pub ids: HashSet<String>,
}

/// Finds links (`a`, `area` and `link` hrefs, `img`, `source`, `script`, `iframe`, `audio`
/// and `video` srcs) and ids in `html`, read by lol_html: comments and the text of scripts
/// and styles are not elements, so they are skipped.
pub(crate) fn scan(html: &str) -> PageLinks {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let found = std::cell::RefCell::new(PageLinks::default());
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "[id], a[name], [href], [src], form[action]",
        |el| {
            let mut found = found.borrow_mut();
            let name = el.tag_name();
            let decoded = |attr: &str| el.get_attribute(attr).map(|v| decode_entities(&v));
            if let Some(id) = decoded("id") {
                found.ids.insert(id);
            }
            if let Some(anchor) = decoded("name").filter(|_| name == "a") {
                found.ids.insert(anchor);
            }
            let link = match name.as_str() {
                "a" | "area" | "link" => decoded("href").map(|url| (url, false)),
                "img" | "source" => decoded("src").map(|url| (url, true)),
                "script" | "iframe" | "audio" | "video" => decoded("src").map(|url| (url, false)),
                "form" => decoded("action").map(|url| (url, false)),
                _ => None,
            };
            if let Some((url, image)) = link {
                found.links.push(Link { url, image });
            }
            Ok(())
        }
    ));
    // Only read: the output is not used, and a page that cannot be read yields what was
    // found before the problem.
    let _ = rewrite_str(html, settings);
    found.into_inner()
}

/// Decodes the character references of an attribute value.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another site, an e-mail address, a `data:` URL...: not checked.
    External,
    /// A path of the site: the file that would serve it and the `#fragment`, if any.
    Internal {
        /// The site path (`/posts/a/`).
        path: String,
        fragment: Option<String>,
    },
    /// A root-relative path outside the site's base path, or `..` above the site.
    Outside,
}

/// Resolves `url`, found on the page at site path `page`, for a site at `base`.
pub(crate) fn resolve(url: &str, page: &str, base: &BaseUrl) -> Target {
    let url = url.trim();
    let own = base.as_str();
    let url = match url.strip_prefix(own.trim_end_matches('/')) {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '?', '#']) => {
            format!("{}{}", base.root().trim_end_matches('/'), rest)
        }
        _ if is_external(url) => return Target::External,
        _ => url.to_string(),
    };
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (
            r,
            Some(percent_decode_str(f).decode_utf8_lossy().into_owned()),
        ),
        None => (url.as_str(), None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let path = if rest.is_empty() {
        page.to_string()
    } else if let Some(absolute) = rest.strip_prefix('/') {
        // Root-relative links carry the site's base path: off with it.
        match format!("/{absolute}").strip_prefix(base.root()) {
            Some(inside) => format!("/{inside}"),
            None if format!("/{absolute}/") == base.root() => "/".to_string(),
            None => return Target::Outside,
        }
    } else {
        match crate::model::url::join(page, rest) {
            Ok(path) => path,
            Err(_) => return Target::Outside,
        }
    };
    let Ok(path) = crate::model::url::join("/", &path) else {
        return Target::Outside;
    };
    Target::Internal {
        path: percent_decode_str(&path).decode_utf8_lossy().into_owned(),
        fragment: fragment.filter(|f| !f.is_empty()),
    }
}

/// The output files that may serve site path `path`: the file itself, or the folder's
/// `index.html` when the trailing slash was left out.
pub(crate) fn candidate_files(path: &str) -> Vec<PathBuf> {
    let mut files = vec![output_file(path)];
    if !path.ends_with('/') {
        files.push(output_file(&format!("{path}/")));
    }
    files
}

/// A link or image written in a Markdown file: its URL and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    pub url: String,
    pub position: Position,
    /// Width of the URL in characters, for the underline.
    pub width: usize,
}

/// The links and images of a Markdown `body` that starts at byte `offset` of the file `text`.
pub(crate) fn written_in_markdown(text: &str, offset: usize) -> Vec<Written> {
    let body = text.get(offset..).unwrap_or("");
    let mut found = Vec::new();
    // Found at the first link, once for all of them.
    let lines = std::cell::OnceCell::new();
    for (event, range) in Parser::new_ext(body, pulldown_cmark::Options::all()).into_offset_iter() {
        let url = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let written = &body[range.clone()];
        let at = written
            .rfind(url.as_ref())
            .map_or(range.start, |i| range.start + i);
        found.push(Written {
            url: url.to_string(),
            position: lines.get_or_init(|| Lines::new(text)).position(offset + at),
            width: url.chars().count().max(1),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_links_images_and_ids() {
        let page = scan(
            "<a href=\"/a/?x=1&amp;y=2\">a</a><!-- <a href=\"/no/\"> --><img src='/i.png' alt=x>\
             <h2 id=\"intro\">I</h2><script>let s = '<a href=\"/js/\">';</script><link rel=stylesheet href=/s.css>\
             <a name=old></a>",
        );
        let urls: Vec<(&str, bool)> = page
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.image))
            .collect();
        assert_eq!(
            urls,
            [("/a/?x=1&y=2", false), ("/i.png", true), ("/s.css", false)]
        );
        assert!(page.ids.contains("intro"));
        assert!(page.ids.contains("old"));
    }

    #[test]
    fn script_and_style_bodies_are_skipped_whatever_the_case_of_their_end() {
        let page = scan(
            "<SCRIPT>'<a href=\"/js/\">'</Script><style>a{}</STYLE><a href=\"/x/\">x</a><script>",
        );
        let urls: Vec<&str> = page.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/x/"]);
    }

    #[test]
    fn an_attribute_without_a_name_neither_panics_nor_hides_the_tag_end() {
        let page = scan("<p><a =\"x\"\u{e9}>w</a><a =\"y\">v</a><a href=\"/b/\">b</a></p>");
        let urls: Vec<&str> = page.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/b/"]);
        let page = scan("<a =x>t</a><img src=/i.png>");
        let urls: Vec<&str> = page.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/i.png"]);
    }

    #[test]
    fn resolves_relative_root_and_absolute_urls() {
        let base = BaseUrl::parse("https://e.com/blog/").unwrap();
        let internal = |path: &str, fragment: Option<&str>| Target::Internal {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        };
        assert_eq!(
            resolve("/blog/posts/a/", "/", &base),
            internal("/posts/a/", None)
        );
        assert_eq!(resolve("/blog/", "/x/", &base), internal("/", None));
        assert_eq!(resolve("/blog", "/x/", &base), internal("/", None));
        assert_eq!(
            resolve("view.svg", "/posts/trip/", &base),
            internal("/posts/trip/view.svg", None)
        );
        assert_eq!(
            resolve("../b/#top", "/posts/a/", &base),
            internal("/posts/b/", Some("top"))
        );
        assert_eq!(
            resolve("#top", "/posts/a/", &base),
            internal("/posts/a/", Some("top"))
        );
        assert_eq!(
            resolve("https://e.com/blog/tags/", "/", &base),
            internal("/tags/", None)
        );
        assert_eq!(resolve("https://other.org/", "/", &base), Target::External);
        assert_eq!(resolve("mailto:a@b.c", "/", &base), Target::External);
        assert_eq!(resolve("/elsewhere/", "/", &base), Target::Outside);
        assert_eq!(resolve("../../x", "/a/", &base), Target::Outside);
        assert_eq!(
            resolve("/blog/caf%C3%A9/", "/", &base),
            internal("/café/", None)
        );
    }

    #[test]
    fn finds_markdown_links_with_positions() {
        let text = "---\ntitle: x\n---\nSee [a](/posts/a/) and ![i](img.png).\n";
        let found = written_in_markdown(text, 17);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].url, "/posts/a/");
        assert_eq!(found[0].position, Position { line: 4, column: 9 });
        assert_eq!(found[1].url, "img.png");
        assert_eq!(
            found[1].position,
            Position {
                line: 4,
                column: 29
            }
        );
    }
}
