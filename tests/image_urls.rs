//! The URLs of pictures and static files named with spaces or non-ASCII letters (a post's
//! `image:`, the logo, the icon, an avatar): percent-encoded wherever the build writes them
//! (HTML attributes, link previews, JSON-LD, feeds, the sitemap), and left as they are when
//! the name is already encoded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{build_ok, read, site};

const ENCODED: &str = "my%20wide%20%E9%A6%99%E6%B8%AF";

#[test]
fn an_image_in_either_spelling_has_one_encoded_url() {
    let dir = site("image_urls");
    let root = dir.path();
    let outcome = build_ok(root);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    for post in ["spelled", "encoded"] {
        let page = read(root, &format!("posts/{post}/index.html"));
        let preview = format!("https://example.com/blog/posts/{post}/{ENCODED}.1200w.png");
        for meta in [
            format!("<meta property=\"og:image\" content=\"{preview}\">"),
            format!("<meta name=\"twitter:image\" content=\"{preview}\">"),
            format!("\"image\":\"{preview}\""),
        ] {
            assert!(page.contains(&meta), "{meta}\n{page}");
        }
        let src = format!("/blog/posts/{post}/{ENCODED}");
        let hero = format!(
            "<img class=\"hero\" src=\"{src}.png\" alt=\"\" srcset=\"{src}.600w.png 600w, {src}.1200w.png 1200w, {src}.png 1300w\" sizes=\"(max-width: 40rem) 100vw, 37rem\" width=\"1300\" height=\"975\" decoding=\"async\" fetchpriority=\"high\">"
        );
        assert!(page.contains(&hero), "{hero}\n{page}");
        let thumb = format!(
            "<img class=\"thumb\" src=\"{src}.png\" alt=\"\" srcset=\"{src}.600w.png 600w, {src}.1200w.png 1200w, {src}.png 1300w\" sizes=\"(max-width: 40rem) 100vw, 23rem\" width=\"1300\" height=\"975\" loading=\"lazy\""
        );
        assert!(read(root, "index.html").contains(&thumb), "{thumb}");
    }
    // The images the config names, from `static/`.
    let page = read(root, "index.html");
    for tag in [
        "<link rel=\"icon\" href=\"/blog/brand%20marks/ic%C3%B4ne.png\" type=\"image/png\">",
        "<img class=\"brand-logo\" src=\"/blog/brand%20marks/logo%20%E6%A8%99%E8%AA%8C.png\" alt=\"\" width=\"4\" height=\"3\">",
    ] {
        assert!(page.contains(tag), "{tag}\n{page}");
    }
    let author = read(root, "authors/ann/index.html");
    let avatar = "<img class=\"avatar\" src=\"/blog/brand%20marks/ann%20%E5%AE%89.png\" alt=\"\" width=\"4\" height=\"3\"";
    assert!(author.contains(avatar), "{avatar}\n{author}");
}

/// Every URL in the attributes of `html` (a page, or HTML inside a feed) that can link a
/// file, as written.
fn urls_in_html(html: &str) -> Vec<String> {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let found = std::cell::RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        for name in ["href", "src", "poster", "action", "data"] {
            if let Some(value) = el.get_attribute(name) {
                found.borrow_mut().push(value);
            }
        }
        for name in ["srcset", "imagesrcset"] {
            if let Some(set) = el.get_attribute(name) {
                for candidate in set.split(", ") {
                    let parts: Vec<&str> = candidate.split(' ').collect();
                    assert!(
                        parts.len() == 2 && parts[1].ends_with('w'),
                        "a `srcset` candidate that is not one URL and a width: {candidate:?}"
                    );
                    found.borrow_mut().push(parts[0].to_string());
                }
            }
        }
        let preview = el
            .get_attribute("property")
            .or_else(|| el.get_attribute("name"))
            .is_some_and(|p| p.ends_with(":image") || p.ends_with(":url"));
        if let Some(content) = el.get_attribute("content").filter(|_| preview) {
            found.borrow_mut().push(content);
        }
        Ok(())
    }));
    rewrite_str(html, settings).unwrap();
    found.into_inner()
}

/// Every string of a JSON value that is a URL or the HTML of a post.
fn urls_in_json(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.starts_with("http") || s.starts_with('/') => {
            out.push(s.clone());
        }
        serde_json::Value::String(s) if s.contains('<') => out.extend(urls_in_html(s)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| urls_in_json(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| urls_in_json(v, out)),
        _ => {}
    }
}

/// The text of every `<name>` element of an XML file.
fn texts_of<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once(close.as_str()).map(|(text, _)| text))
        .collect()
}

fn unescaped(xml: &str) -> String {
    xml.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every URL the build wrote into the output file `file`.
fn urls_of(file: &Path) -> Vec<String> {
    let extension = file.extension().and_then(|e| e.to_str());
    if !matches!(extension, Some("html" | "json" | "xml")) {
        return Vec::new();
    }
    let text = std::fs::read_to_string(file).unwrap();
    let mut urls = Vec::new();
    match extension {
        Some("html") => {
            urls.extend(urls_in_html(&text));
            for block in text.split("<script type=\"application/ld+json\">").skip(1) {
                let json = block.split("</script>").next().unwrap();
                urls_in_json(&serde_json::from_str(json).unwrap(), &mut urls);
            }
        }
        Some("json") if file.ends_with("feed.json") => {
            urls_in_json(&serde_json::from_str(&text).unwrap(), &mut urls);
        }
        Some("xml") => {
            for name in ["loc", "id", "link", "guid", "uri", "icon", "logo"] {
                urls.extend(texts_of(&text, name).into_iter().map(unescaped));
            }
            urls.extend(urls_in_html(&unescaped(&text)));
        }
        _ => {}
    }
    urls
}

#[test]
fn no_url_the_build_writes_holds_a_space_or_a_letter_a_url_cannot() {
    let dir = site("image_urls");
    let root = dir.path();
    build_ok(root);
    let mut seen = 0;
    let mut pictures = 0;
    for entry in walkdir::WalkDir::new(root.join("public")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        for url in urls_of(entry.path()) {
            seen += 1;
            pictures += usize::from(url.contains(ENCODED) || url.contains("brand%20marks"));
            assert!(
                url.is_ascii() && !url.contains([' ', '"', '<', '>', '\\', '{', '}', '|']),
                "{}: {url:?}",
                entry.path().display()
            );
        }
    }
    assert!(seen > 100, "{seen} URLs");
    assert!(pictures > 50, "{pictures} URLs of the pictures");
}

#[test]
fn picture_urls_in_feeds_are_absolute_and_encoded() {
    let dir = site("image_urls");
    let root = dir.path();
    build_ok(root);
    let absolute = format!("https://example.com/blog/posts/spelled/{ENCODED}");
    let atom = unescaped(&read(root, "atom.xml"));
    let feed: serde_json::Value = serde_json::from_str(&read(root, "feed.json")).unwrap();
    let json = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["title"] == "Spelled")
        .unwrap()["content_html"]
        .as_str()
        .unwrap()
        .to_string();
    for content in [atom, unescaped(&read(root, "rss.xml")), json] {
        let img = format!(
            "<img src=\"{absolute}.png\" alt=\"In the body\" srcset=\"{absolute}.600w.png 600w, {absolute}.1200w.png 1200w, {absolute}.png 1300w\""
        );
        assert!(content.contains(&img), "{img}\n{content}");
        let webp = format!(
            "<source type=\"image/webp\" srcset=\"{absolute}.600w.webp 600w, {absolute}.1200w.webp 1200w\""
        );
        assert!(content.contains(&webp), "{webp}\n{content}");
    }
}

#[test]
fn with_relative_links_the_urls_of_a_srcset_are_relative_too() {
    let dir = site("image_urls");
    let root = dir.path();
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    std::fs::write(root.join("config.yaml"), config + "relative_links: true\n").unwrap();
    build_ok(root);
    let hero = format!(
        "<img class=\"hero\" src=\"{ENCODED}.png\" alt=\"\" srcset=\"{ENCODED}.600w.png 600w, {ENCODED}.1200w.png 1200w, {ENCODED}.png 1300w\""
    );
    let page = read(root, "posts/spelled/index.html");
    assert!(page.contains(&hero), "{hero}\n{page}");
    let thumb = format!("posts/spelled/{ENCODED}");
    let webp = format!(
        "<source type=\"image/webp\" srcset=\"{thumb}.600w.webp 600w, {thumb}.1200w.webp 1200w\""
    );
    let index = read(root, "index.html");
    assert!(index.contains(&webp), "{webp}\n{index}");
}

#[test]
fn asset_url_encodes_the_name_of_a_static_file() {
    let dir = site("image_urls");
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<img src=\"{{ asset_url(path='brand marks/logo 標誌.png') }}\"><a href=\"{{ asset_url(path='brand marks/ann 安.png') }}\">Ann</a>{% endblock content %}",
    )
    .unwrap();
    build_ok(root);
    let page = read(root, "404.html");
    // Named with a literal, a file is published under a name with a hash of its bytes too.
    let hashed = page
        .split("<img src=\"/blog/brand%20marks/logo%20%E6%A8%99%E8%AA%8C.")
        .nth(1)
        .and_then(|rest| rest.split_once(".png\">"))
        .map(|(hash, _)| hash.to_string());
    let hash = hashed.unwrap_or_else(|| panic!("{page}"));
    assert!(common::exists(
        root,
        &format!("brand marks/logo 標誌.{hash}.png")
    ));
    assert!(
        page.contains("<a href=\"/blog/brand%20marks/ann%20%E5%AE%89."),
        "{page}"
    );
    for url in urls_of(&root.join("public/404.html")) {
        assert!(url.is_ascii() && !url.contains(' '), "{url:?}");
    }
}

#[test]
fn the_sitemap_lists_a_page_with_a_non_ascii_slug_by_its_encoded_url() {
    let dir = site("image_urls");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(
        root.join("content/pages/about.md"),
        "---\ntitle: About\nslug: 關於\n---\nText.\n",
    )
    .unwrap();
    build_ok(root);
    let sitemap = read(root, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/blog/%E9%97%9C%E6%96%BC/</loc>"),
        "{sitemap}"
    );
    for loc in texts_of(&sitemap, "loc") {
        assert!(loc.is_ascii(), "{loc}");
    }
}
