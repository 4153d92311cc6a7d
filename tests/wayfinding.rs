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

#[test]
fn authors_have_pages_and_posts_link_them() {
    let dir = site("authors");
    let root = dir.path();
    build_ok(root);
    // Named by key (`ann`), by name (`Ann Lee`), without regard to case (`BOB`, a Zola
    // taxonomy), not described (`Cai Wen`), or the site's `author:` for a post with none.
    let list = read(root, "authors/index.html");
    for (slug, name, count) in [
        ("ann", "Ann Lee", "2 posts"),
        ("bob", "Bob", "2 posts"),
        ("cai-wen", "Cai Wen", "1 post"),
        ("site-team", "Site Team", "1 post"),
    ] {
        assert!(
            list.contains(&format!(
                "<h2><a href=\"/blog/authors/{slug}/\">{name}</a></h2>\n    <p class=\"meta\">{count}</p>"
            )),
            "{slug}\n{list}"
        );
    }
    // An author's page: the config's avatar (with its size), bio (escaped) and links, above
    // the posts, paginated like a tag's.
    let ann = read(root, "authors/ann/index.html");
    assert!(ann.contains("<title>Posts by Ann Lee"), "{ann}");
    assert!(
        ann.contains(
            "<img class=\"avatar\" src=\"/blog/ann.png\" alt=\"\" width=\"4\" height=\"3\""
        )
    );
    assert!(ann.contains("<h1 class=\"page-title\">Posts by Ann Lee</h1>"));
    assert!(ann.contains("<p class=\"bio\">Writes &lt;about&gt; Rust &amp; more.</p>"));
    assert!(ann.contains("<li><a href=\"https://ann.example/\" rel=\"me noopener\">Website</a></li><li><a href=\"/blog/about/\">About</a></li>"));
    assert!(ann.contains("<a href=\"/blog/posts/two/\">Two</a>"));
    assert!(!ann.contains("<a href=\"/blog/posts/one/\">One</a>"));
    assert!(ann.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Authors: posts by Ann Lee (Atom)\" href=\"https://example.com/blog/authors/ann/atom.xml\">"), "{ann}");
    let second = read(root, "authors/ann/page/2/index.html");
    assert!(second.contains("<a href=\"/blog/posts/one/\">One</a>"));
    assert!(second.contains("<h1 class=\"page-title\">Posts by Ann Lee, page 2</h1>"));
    // The menu has no Authors item here; the page says where it is below.
    assert!(ann.contains("<p class=\"kicker\"><a href=\"/blog/authors/\">Authors</a></p>"));
    // A post with two authors links both, on its page and on its card.
    let byline = "by <a href=\"/blog/authors/ann/\" rel=\"author\">Ann Lee</a> and <a href=\"/blog/authors/bob/\" rel=\"author\">Bob</a>";
    let two = read(root, "posts/two/index.html");
    assert!(
        two.contains(&format!(
            "by <span class=\"author\">{}</span>",
            &byline[3..]
        )),
        "{two}"
    );
    assert!(two.contains("<meta property=\"article:author\" content=\"Ann Lee\">\n<meta property=\"article:author\" content=\"Bob\">"));
    assert!(read(root, "page/4/index.html").contains(byline));
    assert!(
        read(root, "authors/site-team/index.html")
            .contains("by <a href=\"/blog/authors/site-team/\" rel=\"author\">Site Team</a>")
    );
}

#[test]
fn json_ld_and_feeds_name_authors_as_people_with_their_pages() {
    let dir = site("authors");
    let root = dir.path();
    build_ok(root);
    let json_ld = |rel: &str| -> serde_json::Value {
        let page = read(root, rel);
        let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
        let end = start + page[start..].find("</script>").unwrap();
        serde_json::from_str(&page[start..end]).unwrap()
    };
    let one = json_ld("posts/one/index.html");
    assert_eq!(
        one["author"],
        serde_json::json!({"@type": "Person", "name": "Ann Lee", "url": "https://example.com/blog/authors/ann/"})
    );
    let two = json_ld("posts/two/index.html");
    assert_eq!(
        two["author"],
        serde_json::json!([
            {"@type": "Person", "name": "Ann Lee", "url": "https://example.com/blog/authors/ann/"},
            {"@type": "Person", "name": "Bob", "url": "https://example.com/blog/authors/bob/"}
        ])
    );
    // Atom, RSS and the JSON Feed carry every author of an entry.
    let parse = |rel: &str| feed_rs::parser::parse(read(root, rel).as_bytes()).unwrap();
    let atom = parse("atom.xml");
    let entry = atom
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Two")
        .unwrap();
    let names: Vec<&str> = entry
        .authors
        .iter()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["Ann Lee", "Bob"]);
    assert_eq!(
        entry.authors[1].uri.as_deref(),
        Some("https://example.com/blog/authors/bob/")
    );
    let rss = read(root, "rss.xml");
    assert!(
        rss.contains("<dc:creator>Ann Lee</dc:creator><dc:creator>Bob</dc:creator>"),
        "{rss}"
    );
    let json: serde_json::Value = serde_json::from_str(&read(root, "feed.json")).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Two")
        .unwrap();
    assert_eq!(
        item["authors"],
        serde_json::json!([
            {"name": "Ann Lee", "url": "https://example.com/blog/authors/ann/"},
            {"name": "Bob", "url": "https://example.com/blog/authors/bob/"}
        ])
    );
    // Each author has an Atom feed of their posts.
    let ann = parse("authors/ann/atom.xml");
    let titles: Vec<String> = ann
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles, ["Two", "One"]);
    // The sitemap lists the author pages.
    let sitemap = read(root, "sitemap.xml");
    for page in [
        "authors/",
        "authors/ann/",
        "authors/ann/page/2/",
        "authors/cai-wen/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.com/blog/{page}</loc>")),
            "{page}"
        );
    }
}

#[test]
fn a_missing_avatar_is_an_error_at_its_key() {
    let dir = site("authors");
    let root = dir.path();
    std::fs::remove_file(root.join("static/ann.png")).unwrap();
    let error = common::build_err(root);
    assert!(
        error.contains(
            "error: `avatar` /ann.png is not a file of the site\n  --> config.yaml:10:5\n"
        ),
        "{error}"
    );
    assert!(error.contains("= help: put the file in static/ (static/ann.png), or fix the path"));
}

#[test]
fn a_site_without_authors_has_no_author_pages() {
    let dir = site("wayfinding");
    build_ok(dir.path());
    assert!(!common::exists(dir.path(), "authors/index.html"));
    let page = read(dir.path(), "posts/first/index.html");
    assert!(!page.contains("class=\"author\""));
    assert!(!page.contains("\"author\":"));
}

#[test]
fn an_unknown_key_of_an_author_is_an_error_with_a_hint() {
    let dir = site("authors");
    let config = dir.path().join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("    bio: Writes", "    boi: Writes")).unwrap();
    let error = common::build_err(dir.path());
    assert!(
        error.starts_with("error: unknown key `authors.ann.boi`\n --> config.yaml:9:5\n"),
        "{error}"
    );
    assert!(error.contains("= help: did you mean `bio`?"), "{error}");
}

/// The URL the first `<link rel="stylesheet">` of `html` names.
fn first_stylesheet(html: &str) -> String {
    let start = html.find("<link rel=\"stylesheet\" href=\"").unwrap() + 29;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[test]
fn stylesheets_are_published_and_linked_under_a_hash_of_their_bytes() {
    let dir = site("wayfinding");
    let root = dir.path();
    build_ok(root);
    let page = read(root, "index.html");
    let style = first_stylesheet(&page);
    let hash = style
        .strip_prefix("/blog/style.")
        .and_then(|s| s.strip_suffix(".css"))
        .unwrap_or_else(|| panic!("{style}"));
    assert!(
        hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{hash}"
    );
    let highlight = page
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(2)
        .unwrap();
    assert!(
        highlight.starts_with("/blog/highlight.") && !highlight.starts_with("/blog/highlight.css"),
        "{highlight}"
    );
    // Both names are published, with the same bytes.
    let hashed = read(root, &style["/blog/".len()..]);
    assert_eq!(hashed, read(root, "style.css"));
    // A new stylesheet is a new name; the same one is the same name.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/style.css"), "body{color:red}\n").unwrap();
    build_ok(root);
    let changed = first_stylesheet(&read(root, "index.html"));
    assert_ne!(changed, style);
    assert!(
        !common::exists(root, &style["/blog/".len()..]),
        "the old name is gone"
    );
    assert_eq!(read(root, &changed["/blog/".len()..]), "body{color:red}\n");
    build_ok(root);
    assert_eq!(first_stylesheet(&read(root, "index.html")), changed);
    // `check` finds every hashed name.
    let out = common::playpress()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn any_template_links_any_static_file_through_asset_url() {
    let dir = site("wayfinding");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static/js")).unwrap();
    std::fs::write(root.join("static/js/app.js"), "console.log(1);\n").unwrap();
    std::fs::write(root.join("static/plain.txt"), "plain\n").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<script src=\"{{ asset_url(path='js/app.js') }}\"></script>\
         {% set name = \"plain.txt\" %}<a href=\"{{ asset_url(path=name) }}\">plain</a>{% endblock content %}",
    )
    .unwrap();
    build_ok(root);
    let page = read(root, "404.html");
    let start = page.find("<script src=\"/blog/js/app.").unwrap() + 13;
    let src = &page[start..start + page[start..].find('"').unwrap()];
    assert!(
        src.ends_with(".js") && src.len() == "/blog/js/app.12345678.js".len(),
        "{src}"
    );
    assert_eq!(read(root, &src["/blog/".len()..]), "console.log(1);\n");
    // Named at render time, not in the template's text: its own name.
    assert!(
        page.contains("<a href=\"/blog/plain.txt\">plain</a>"),
        "{page}"
    );
}

#[test]
fn asset_url_naming_a_missing_file_is_an_error_at_its_place() {
    let dir = site("wayfinding");
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}<link href=\"{{ asset_url(path=\"styles.css\") }}\">{% endblock content %}",
    )
    .unwrap();
    let error = common::build_err(root);
    assert!(
        error.starts_with(
            "error: `asset_url` names `styles.css`, which is not a static file of the site\n --> templates/404.html:2:51\n"
        ),
        "{error}"
    );
    assert!(
        error.contains("= help: did you mean `style.css`?"),
        "{error}"
    );
    // Named at render time: the page that needs it says so.
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}{% set f = \"nope.css\" %}{{ asset_url(path=f) }}{% endblock content %}",
    )
    .unwrap();
    let error = common::build_err(root);
    assert!(
        error.contains("cannot render /404.html with template `404.html`"),
        "{error}"
    );
    assert!(
        error.contains(
            "`asset_url`: `nope.css` is not a static file of the site (put it in static/)"
        ),
        "{error}"
    );
}
