//! Publishing: feeds (parsed with a real feed parser), sitemap, robots.txt, redirects from
//! aliases, page metadata, and escaping of hostile text in every output format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use scraper::{Html, Selector};

fn feed(root: &std::path::Path, rel: &str) -> feed_rs::model::Feed {
    let text = read(root, rel);
    feed_rs::parser::parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("{rel} does not parse: {e}\n{text}"))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

const HOSTILE: &str = "Rust <3 & \"quotes\" 'n' </title><script>alert(1)</script>";

#[test]
fn atom_and_rss_feeds_parse_with_entries_newest_first() {
    let dir = site("feeds");
    build_ok(dir.path());
    let root = dir.path();
    // JSON Feed 1.1 too: the same posts, contents and escaping.
    for rel in ["atom.xml", "rss.xml", "feed.json"] {
        let f = feed(root, rel);
        assert_eq!(
            titles(&f),
            [HOSTILE, "Bundle with image", "Older 2"],
            "{rel}: newest 3 (feed_limit), no draft or future post"
        );
        let first = &f.entries[0];
        assert_eq!(
            first.links[0].href,
            "https://example.com/blog/posts/hostile/"
        );
        assert!(first.published.is_some(), "{rel}: published date");
        let body = first
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| first.summary.as_ref().map(|s| s.content.clone()))
            .unwrap();
        assert!(
            body.contains("href=\"https://example.com/blog/about/\""),
            "{rel}: root links made absolute: {body}"
        );
        assert!(
            body.contains("href=\"https://example.com/blog/posts/hostile/other/\""),
            "{rel}: relative links made absolute"
        );
        assert!(
            body.contains("href=\"https://example.com/blog/posts/hostile/#top\""),
            "{rel}: anchors made absolute"
        );
        let bundle = f.entries[1]
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| f.entries[1].summary.as_ref().map(|s| s.content.clone()))
            .unwrap();
        assert!(
            bundle.contains("src=\"https://example.com/blog/posts/bundle/cover.svg\""),
            "{rel}: images made absolute: {bundle}"
        );
        let authors: Vec<_> = f.entries[1]
            .authors
            .iter()
            .filter_map(|a| a.name.clone())
            .collect();
        assert_eq!(authors, ["Bundle Author"], "{rel}");
        let categories: Vec<_> = first.categories.iter().map(|c| c.term.clone()).collect();
        assert_eq!(categories, ["a&b", "<tag>"], "{rel}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(root, "feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["feed_url"], "https://example.com/blog/feed.json");
    assert_eq!(json["items"][0]["title"], HOSTILE);
    assert_eq!(
        json["items"][0]["date_published"],
        "2024-01-04T00:00:00+00:00"
    );
    let atom = feed(root, "atom.xml");
    assert_eq!(atom.title.as_ref().unwrap().content, "Feed & Co");
    assert_eq!(
        atom.entries[2].updated.unwrap().to_rfc3339(),
        "2024-02-02T00:00:00+00:00",
        "updated from front matter"
    );
    let atom_text = read(root, "atom.xml");
    assert!(
        atom_text.contains("<published>2024-01-04T00:00:00+00:00</published>"),
        "RFC 3339 dates"
    );
    let rss_text = read(root, "rss.xml");
    assert!(
        rss_text.contains("<pubDate>Thu, 04 Jan 2024 00:00:00 +0000</pubDate>"),
        "RFC 822 dates"
    );
}

#[test]
fn series_and_tag_feeds() {
    let dir = site("feeds");
    build_ok(dir.path());
    let root = dir.path();
    let series = feed(root, "series/saga-1/atom.xml");
    assert_eq!(titles(&series), [HOSTILE, "Bundle with image"]);
    let tag = feed(root, "tags/a-b/atom.xml");
    assert_eq!(
        titles(&tag),
        [HOSTILE, "Bundle with image"],
        "no draft or future post in a tag feed"
    );
    let tag_page = read(root, "tags/a-b/index.html");
    assert!(tag_page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Feed &amp; Co: posts tagged a&amp;b (Atom)\" href=\"https://example.com/blog/tags/a-b/atom.xml\">"), "{tag_page}");
}

#[test]
fn every_page_announces_the_feeds() {
    let dir = site("feeds");
    build_ok(dir.path());
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Feed &amp; Co (Atom)\" href=\"https://example.com/blog/atom.xml\">"), "{}", path.display());
            assert!(html.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Feed &amp; Co (RSS)\" href=\"https://example.com/blog/rss.xml\">"), "{}", path.display());
        }
    }
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_robots_points_at_it() {
    let dir = site("feeds");
    build_ok(dir.path());
    let root = dir.path();
    let sitemap = read(root, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    for expected in [
        "https://example.com/blog/",
        "https://example.com/blog/posts/hostile/",
        "https://example.com/blog/posts/older-1/",
        "https://example.com/blog/series/",
        "https://example.com/blog/series/saga-1/",
        "https://example.com/blog/tags/",
        "https://example.com/blog/tags/a-b/",
    ] {
        assert!(locs.contains(&expected), "{expected} missing from {locs:?}");
    }
    assert!(!sitemap.contains("404"), "the 404 page is not listed");
    assert!(!sitemap.contains("draft"), "no draft");
    assert!(sitemap.contains("<url><loc>https://example.com/blog/posts/older-1/</loc><lastmod>2024-02-01T00:00:00+00:00</lastmod></url>"), "lastmod is `updated`");
    assert!(sitemap.contains("<url><loc>https://example.com/blog/posts/bundle/</loc><lastmod>2024-01-03T00:00:00+00:00</lastmod></url>"), "else `date`");
    assert_eq!(
        read(root, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.com/blog/sitemap.xml\n"
    );
}

#[test]
fn a_large_sitemap_is_split_under_an_index() {
    let dir = site("pagination");
    let options = playpress::cmd::build::BuildOptions::new(dir.path());
    let mut warnings = Vec::new();
    let mut prepared = playpress::cmd::build::prepare(&options, &mut warnings).unwrap();
    prepared.site.sitemap_limit = 4;
    prepared.manifest = playpress::cmd::build::manifest(
        dir.path(),
        &prepared.site,
        &prepared.theme,
        &prepared.highlight_css,
    )
    .unwrap();
    playpress::cmd::build::write(&options, prepared, std::time::Instant::now()).unwrap();
    let root = dir.path();
    let index = read(root, "sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    // 3 index pages + 5 posts + series index + archive + tag index + author index + 3 pages
    // of the author = 15 pages: 4 files of at most 4.
    for part in 1..=4 {
        assert!(index.contains(&format!(
            "<loc>https://example.com/sitemap-{part}.xml</loc>"
        )));
        let text = read(root, &format!("sitemap-{part}.xml"));
        let count = text.matches("<url>").count();
        assert!((1..=4).contains(&count), "part {part} has {count} URLs");
    }
    assert!(!exists(root, "sitemap-5.xml"));
    let total: usize = (1..=4)
        .map(|p| {
            read(root, &format!("sitemap-{p}.xml"))
                .matches("<url>")
                .count()
        })
        .sum();
    assert_eq!(total, 15);
}

#[test]
fn aliases_write_redirect_pages() {
    let dir = site("aliases");
    build_ok(dir.path());
    let root = dir.path();
    for rel in [
        "2019/01/moved.html",
        "old/moved/index.html",
        "old/place/index.html",
    ] {
        let html = read(root, rel);
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/posts/moved/\">"),
            "{rel}: {html}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.com/posts/moved/\">"),
            "{rel}"
        );
        assert!(
            html.contains("<a href=\"/posts/moved/\">Moved post</a>"),
            "{rel}"
        );
    }
    assert!(
        !read(root, "sitemap.xml").contains("/old/"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn an_alias_that_collides_with_a_page_names_both_files() {
    let dir = site("alias_collision");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: two sources produce the URL /posts/b/: content/posts/b.md and content/posts/a.md (an alias)\n --> content/posts/a.md\n  = help: remove the alias, or give the other page another `slug:`\n\n1 error in content; nothing was written"
    );
}

#[test]
fn post_metadata_for_search_and_link_previews() {
    let dir = site("feeds");
    build_ok(dir.path());
    let html = read(dir.path(), "posts/bundle/index.html");
    let doc = Html::parse_document(&html);
    let meta = |attr: &str, name: &str| -> Vec<String> {
        let selector = Selector::parse(&format!("meta[{attr}=\"{name}\"]")).unwrap();
        doc.select(&selector)
            .map(|m| m.value().attr("content").unwrap().to_string())
            .collect()
    };
    assert_eq!(meta("property", "og:type"), ["article"]);
    assert_eq!(meta("property", "og:title"), ["Bundle with image"]);
    assert_eq!(
        meta("property", "og:url"),
        ["https://example.com/blog/posts/bundle/"]
    );
    assert_eq!(
        meta("property", "article:published_time"),
        ["2024-01-03T00:00:00+00:00"]
    );
    assert_eq!(meta("property", "article:author"), ["Bundle Author"]);
    assert_eq!(meta("property", "article:tag"), ["a&b"]);
    assert_eq!(
        meta("property", "og:image"),
        ["https://example.com/blog/posts/bundle/cover.svg"]
    );
    assert_eq!(meta("name", "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta("name", "description").len(), 1);
    let canonical = Selector::parse("link[rel=\"canonical\"]").unwrap();
    assert_eq!(
        doc.select(&canonical).next().unwrap().value().attr("href"),
        Some("https://example.com/blog/posts/bundle/")
    );

    let script = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&doc.select(&script).next().unwrap().inner_html()).unwrap();
    assert_eq!(json["@type"], "BlogPosting");
    assert_eq!(json["headline"], "Bundle with image");
    assert_eq!(json["author"]["name"], "Bundle Author");
    assert_eq!(json["datePublished"], "2024-01-03T00:00:00+00:00");
    assert_eq!(json["isPartOf"]["@type"], "CreativeWorkSeries");
    assert_eq!(json["isPartOf"]["name"], "Saga <1>");
    assert_eq!(json["position"], 2);

    let index = read(dir.path(), "index.html");
    assert!(index.contains("<meta property=\"og:type\" content=\"website\">"));
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = site("feeds");
    build_ok(dir.path());
    let root = dir.path();
    let mut mentions = 0;
    for (path, bytes) in snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        let p = path.display();
        assert!(!text.contains("<script>alert(1)"), "{p}: raw script tag");
        assert!(!text.contains("<3 &"), "{p}: raw < or &");
        assert!(!text.contains("<tag>"), "{p}: raw tag name");
        assert!(!text.contains("<b>tags</b>"), "{p}: raw summary markup");
        assert!(!text.contains("<i>\"E\"</i>"), "{p}: raw author markup");
        if text.contains("alert(1)") {
            mentions += 1;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let doc = Html::parse_document(&text);
                assert!(doc.errors.is_empty(), "{p}: {:?}", doc.errors);
                let script = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
                for s in doc.select(&script) {
                    let raw = s.inner_html();
                    assert!(
                        !raw.contains('<') && !raw.contains('&'),
                        "{p}: JSON-LD must escape < and &"
                    );
                    let json: serde_json::Value = serde_json::from_str(&raw).unwrap();
                    if json["url"] == "https://example.com/blog/posts/hostile/" {
                        assert_eq!(json["headline"], HOSTILE);
                    }
                }
            }
            Some("xml") if p.to_string().contains("atom") || p.to_string().contains("rss") => {
                feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{p}: {e}"));
            }
            _ => {}
        }
    }
    assert!(
        mentions >= 5,
        "the hostile post appears on several pages and feeds ({mentions})"
    );
    let post = read(root, "posts/hostile/index.html");
    let doc = Html::parse_document(&post);
    let h1 = doc
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(h1, HOSTILE, "readers see the title as written");
    let og = doc
        .select(&Selector::parse("meta[property=\"og:title\"]").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        og.value().attr("content"),
        Some(HOSTILE),
        "attribute escaping round-trips"
    );
    let author = doc
        .select(&Selector::parse(".byline .author").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(author, "Eve <i>\"E\"</i> & Co");
    let atom = feed(root, "atom.xml");
    assert_eq!(
        atom.entries[0].authors[0].name.as_deref(),
        Some("Eve <i>\"E\"</i> & Co")
    );
}

/// Control characters and NUL in a post were copied into atom.xml and rss.xml, which stopped
/// being well-formed XML. Characters XML 1.0 forbids never reach a feed or the sitemap.
#[test]
fn characters_xml_forbids_never_reach_a_feed_or_the_sitemap() {
    let dir = site("feeds");
    let root = dir.path();
    std::fs::write(
        root.join("content/posts/controls.md"),
        "---\ntitle: \"Bell\\a and\\x0b tab\\t\"\ndate: 2024-01-09\nsummary: \"nul\\0 here\"\n---\nText with \u{1} and \u{1f} and \u{fffe} and \u{ffff}.\n",
    )
    .unwrap();
    build_ok(root);
    let forbidden = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    for rel in ["atom.xml", "rss.xml", "sitemap.xml"] {
        let text = read(root, rel);
        assert!(!text.chars().any(forbidden), "{rel}: {text:?}");
    }
    // A real parser reads them, with the text around the removed characters kept.
    let atom = feed(root, "atom.xml");
    assert!(
        titles(&atom).contains(&"Bell and tab".to_string()),
        "{:?}",
        titles(&atom)
    );
    let rss = feed(root, "rss.xml");
    assert!(
        titles(&rss).contains(&"Bell and tab".to_string()),
        "{:?}",
        titles(&rss)
    );
}

/// A bundle's picture in a post's first paragraph got `src="cover.svg"` on the index and tag
/// pages, which leads nowhere from there. Summaries shown on other pages lead to the same
/// files as on the post's own page.
#[test]
fn summaries_on_other_pages_keep_their_links_to_the_post_files() {
    let dir = site("feeds");
    let root = dir.path();
    build_ok(root);
    for page in [
        "index.html",
        "tags/a-b/index.html",
        "series/saga-1/index.html",
    ] {
        let html = read(root, page);
        assert!(
            html.contains("src=\"/blog/posts/bundle/cover.svg\""),
            "{page}: {html}"
        );
        assert!(!html.contains("src=\"cover.svg\""), "{page}");
    }
    // The post's own page keeps the short form, which works there.
    assert!(read(root, "posts/bundle/index.html").contains("src=\"cover.svg\""));
}
