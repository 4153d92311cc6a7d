//! Finding one's way around (issue 16): the archive, the current section in the menu.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_ok, read, site};

#[test]
fn the_archive_lists_every_post_by_year_and_month_newest_first() {
    let dir = site("wayfinding");
    build_ok(dir.path());
    let page = read(dir.path(), "archive/index.html");
    assert!(page.contains("<title>Archive"), "{page}");
    assert!(page.contains("<p class=\"lede\">4 posts, the newest first.</p>"));
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle}\n{page}"))
    };
    // Years newest first, each with its count; months newest first within them.
    assert!(page.contains("<h2 id=\"year-2024\">2024 <span class=\"count\">2 posts</span></h2>"));
    assert!(page.contains("<h2 id=\"year-2023\">2023 <span class=\"count\">2 posts</span></h2>"));
    assert!(at("year-2024") < at("year-2023"));
    assert!(at("<h3 id=\"2023-11\">November</h3>") < at("<h3 id=\"2023-03\">March</h3>"));
    assert!(at("The fourth post") < at("The third post"));
    assert!(page.contains("<li><time datetime=\"2024-01-28T00:00:00+00:00\">2024-01-28</time> <a href=\"/blog/posts/fourth/\">The fourth post</a></li>"));
    // The index links it below its pagination, on every page of it.
    for index in ["index.html", "page/2/index.html"] {
        let html = read(dir.path(), index);
        assert!(
            html.contains(
                "<p class=\"archive-link\"><a href=\"/blog/archive/\">Every post, by month</a></p>"
            ),
            "{html}"
        );
    }
    // It is in the sitemap.
    assert!(
        read(dir.path(), "sitemap.xml").contains("<loc>https://example.com/blog/archive/</loc>")
    );
}

#[test]
fn the_menu_shows_the_section_a_page_is_in() {
    let dir = site("wayfinding");
    build_ok(dir.path());
    let current = |rel: &str| -> Vec<String> {
        let page = read(dir.path(), rel);
        let nav = page.find("<nav class=\"site-nav\"").unwrap();
        let html = &page[nav..nav + page[nav..].find("</nav>").unwrap()];
        html.match_indices(" aria-current=\"page\">")
            .filter_map(|(i, _)| {
                let before = &html[..i];
                let start = before.rfind("<a href=\"")?;
                Some(before[start + 9..].trim_end_matches('"').to_string())
            })
            .collect()
    };
    assert_eq!(current("index.html"), ["/blog/"]);
    assert_eq!(current("posts/first/index.html"), ["/blog/"]);
    assert_eq!(current("tags/index.html"), ["/blog/tags/"]);
    assert_eq!(current("tags/rust/index.html"), ["/blog/tags/"]);
    assert_eq!(current("series/index.html"), ["/blog/series/"]);
    assert_eq!(current("archive/index.html"), ["/blog/archive/"]);
    assert!(current("404.html").is_empty());
}

#[test]
fn related_posts_share_the_rarest_tags_newer_first() {
    let dir = site("wayfinding");
    build_ok(dir.path());
    let related = |rel: &str| -> Vec<String> {
        let page = read(dir.path(), rel);
        let Some(at) = page.find("<section class=\"related\"") else {
            return Vec::new();
        };
        let section = &page[at..at + page[at..].find("</section>").unwrap()];
        section
            .split("<a href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    // `web` is on two posts of four, `rust` on three: sharing `web` counts more.
    assert_eq!(
        related("posts/second/index.html"),
        [
            "/blog/posts/third/",
            "/blog/posts/fourth/",
            "/blog/posts/first/"
        ]
    );
    assert_eq!(
        related("posts/fourth/index.html"),
        ["/blog/posts/second/", "/blog/posts/first/"]
    );
    assert_eq!(related("posts/third/index.html"), ["/blog/posts/second/"]);
}

#[test]
fn the_site_sets_its_own_logo_and_icon() {
    let dir = site("wayfinding");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(root.join("static/images/logo.png"), common::PNG_4X3).unwrap();
    std::fs::write(root.join("static/icon.png"), common::PNG_4X3).unwrap();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}logo: images/logo.png\nfavicon: /icon.png\n"),
    )
    .unwrap();
    build_ok(root);
    let page = read(root, "index.html");
    assert!(page.contains("<a class=\"brand\" href=\"/blog/\"><img class=\"brand-logo\" src=\"/blog/images/logo.png\" alt=\"\" width=\"4\" height=\"3\"><span>Wayfinding</span></a>"), "{page}");
    assert!(!page.contains("brand-mark"));
    assert!(page.contains("<link rel=\"icon\" href=\"/blog/icon.png\" type=\"image/png\">"));

    std::fs::remove_file(root.join("static/images/logo.png")).unwrap();
    let error = common::build_err(root);
    assert!(
        error.contains(
            "error: `logo` /images/logo.png is not a file of the site\n  --> config.yaml:16:1\n"
        ),
        "{error}"
    );
    assert!(
        error.contains("= help: put the file in static/ (static/images/logo.png), or fix the path")
    );
}
