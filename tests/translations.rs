//! A site in two languages (issue 17): translations beside their originals, every page kind
//! in each language under its prefix, the language switcher, `hreflang`, the sitemap's
//! alternates, translated series and tag names, and what `check` says of translations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_ok, exists, read, site};

/// The Chinese post of the fixture and its English original.
const ZH_HELLO: &str = "zh-hant/posts/hello/index.html";
const EN_HELLO: &str = "posts/hello/index.html";

#[test]
fn each_language_has_every_page_kind_under_its_prefix() {
    let dir = site("translations");
    let root = dir.path();
    let outcome = build_ok(root);
    let summary = outcome.result.unwrap();
    // hello, second, trip in English; hello, only-zh, trip in Chinese.
    assert_eq!(summary.posts, 6);
    assert_eq!(summary.series, 1, "one series in two languages");
    for page in [
        "index.html",
        "page/2/index.html",
        "archive/index.html",
        "tags/index.html",
        "tags/travel/index.html",
        "series/index.html",
        "series/guide/index.html",
        "authors/index.html",
        "about/index.html",
        "search/index.html",
        "404.html",
        "atom.xml",
        "rss.xml",
        "feed.json",
    ] {
        assert!(exists(root, page), "{page}");
        assert!(exists(root, &format!("zh-hant/{page}")), "zh-hant/{page}");
    }
    // One sitemap and one robots.txt, at the root, for both languages.
    assert!(exists(root, "sitemap.xml") && exists(root, "robots.txt"));
    assert!(!exists(root, "zh-hant/sitemap.xml") && !exists(root, "zh-hant/robots.txt"));
    // A bundle's translation has the bundle's files too.
    assert!(exists(root, "zh-hant/posts/trip/notes.txt"));
    // One search index, with an index per language.
    let entry = read(root, "pagefind/pagefind-entry.json");
    assert!(
        entry.contains("\"en\":") && entry.contains("\"zh-hant\":"),
        "{entry}"
    );
}

#[test]
fn a_post_in_one_language_is_only_in_that_languages_lists() {
    let dir = site("translations");
    let root = dir.path();
    build_ok(root);
    let zh = read(root, "zh-hant/index.html");
    assert!(zh.contains("<h2><a href=\"/zh-hant/posts/hello/\""), "{zh}");
    assert!(zh.contains("<h2><a href=\"/zh-hant/posts/only-zh/\""));
    assert!(!zh.contains("/posts/second/"), "English only: {zh}");
    let en = read(root, "index.html");
    assert!(!en.contains("only-zh"), "{en}");
    let feed = read(root, "zh-hant/atom.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-Hant\">"));
    assert!(feed.contains("<title>兩種語言</title>"), "{feed}");
    assert!(feed.contains("https://example.com/zh-hant/posts/only-zh/"));
    assert!(!feed.contains("<id>https://example.com/posts/"), "{feed}");
    let archive = read(root, "zh-hant/archive/index.html");
    assert!(
        archive.contains("2024年12月10日") || archive.contains("12月10日"),
        "{archive}"
    );
}

#[test]
fn every_page_names_its_language_and_its_translations() {
    let dir = site("translations");
    let root = dir.path();
    build_ok(root);
    let zh = read(root, ZH_HELLO);
    assert!(zh.contains("<html lang=\"zh-Hant\">"));
    assert!(zh.contains("<meta property=\"og:locale\" content=\"zh_TW\">"));
    assert!(zh.contains("<meta property=\"og:locale:alternate\" content=\"en\">"));
    for (code, url) in [
        ("en", "https://example.com/posts/hello/"),
        ("zh-Hant", "https://example.com/zh-hant/posts/hello/"),
        ("x-default", "https://example.com/posts/hello/"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{code}\" href=\"{url}\">");
        assert!(zh.contains(&link), "{link}\n{zh}");
        assert!(read(root, EN_HELLO).contains(&link), "{link}");
    }
    // The switcher leads to the same page in the other language...
    assert!(zh.contains("<a href=\"/posts/hello/\" hreflang=\"en\" lang=\"en\">English</a>"));
    assert!(zh.contains("<span class=\"current\" lang=\"zh-Hant\">繁體中文</span>"));
    let en = read(root, EN_HELLO);
    assert!(en.contains(
        "<a href=\"/zh-hant/posts/hello/\" hreflang=\"zh-Hant\" lang=\"zh-Hant\">繁體中文</a>"
    ));
    // ...or, when it has no translation, to that language's home, and names no alternates.
    let second = read(root, "posts/second/index.html");
    assert!(second.contains(
        "<a href=\"/zh-hant/\" hreflang=\"zh-Hant\" lang=\"zh-Hant\" title=\"Not translated yet: leads to the home page in this language\">繁體中文</a>"
    ));
    assert!(!second.contains("hreflang=\"x-default\""));
    // The search page and the 404 page have their counterparts too.
    let search = read(root, "zh-hant/search/index.html");
    assert!(search.contains("<a href=\"/search/\" hreflang=\"en\" lang=\"en\">English</a>"));
    assert!(read(root, "404.html").contains("<a href=\"/zh-hant/404.html\" hreflang=\"zh-Hant\""));
    // List pages are matched by their path in the other language.
    let tag = read(root, "zh-hant/tags/travel/index.html");
    assert!(tag.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/tags/travel/\">"
    ));
    // The theme speaks the page's language, and the config's texts of that language are used.
    assert!(zh.contains("<h2 id=\"footer-about\">關於我們</h2>"));
    assert!(zh.contains("<p>我們用兩種語言寫作。</p>"));
    assert!(zh.contains(">2024年12月15日</time>"), "{zh}");
    assert!(
        zh.contains("<p>&copy; 2024 兩種語言 版權所有。"),
        "no English in the copyright line"
    );
    assert!(
        search.contains("data-by=\"作者：\""),
        "search results' byline"
    );
    // The language's home holds its posts in the menu, not every page under its prefix.
    assert!(zh.contains("<a href=\"/zh-hant/\" aria-current=\"page\">Home</a>"));
    assert!(!search.contains("aria-current=\"page\">Home"), "{search}");
    // The menu the language does not give is the default's, under its prefix.
    assert!(zh.contains("<a href=\"/zh-hant/about/\">About</a>"), "{zh}");
}

#[test]
fn series_and_tags_are_shared_by_slug_and_named_in_each_language() {
    let dir = site("translations");
    let root = dir.path();
    build_ok(root);
    let zh = read(root, ZH_HELLO);
    assert!(zh.contains(
        "<span class=\"series-box-part\">第 1 部分，共 2 部分</span> 系列： <a href=\"/zh-hant/series/guide/\">指南</a>"
    ), "{zh}");
    // The part not translated is shown in the default language, not "coming soon".
    assert!(zh.contains(
        "<li class=\"elsewhere\"><a href=\"/posts/second/\" hreflang=\"en\" lang=\"en\">Second</a> <span class=\"language-note\">(English)</span></li>"
    ));
    assert!(!zh.contains("即將推出"));
    let series = read(root, "zh-hant/series/guide/index.html");
    assert!(series.contains("<h1 class=\"page-title\">指南</h1>"));
    assert!(
        series.contains("以English撰寫") || series.contains("English"),
        "{series}"
    );
    assert!(zh.contains(
        "<a href=\"/zh-hant/tags/travel/\" rel=\"tag\" data-pagefind-filter=\"tag\">旅遊</a>"
    ));
    assert!(zh.contains(
        "<a href=\"/zh-hant/tags/notes/\" rel=\"tag\" data-pagefind-filter=\"tag\">Notes</a>"
    ));
    let tag = read(root, "zh-hant/tags/travel/index.html");
    assert!(
        tag.contains("<h1 class=\"page-title\">標籤「旅遊」的文章</h1>"),
        "{tag}"
    );
    assert!(read(root, "tags/travel/index.html").contains("Travel"));
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let dir = site("translations");
    let root = dir.path();
    build_ok(root);
    let sitemap = read(root, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains(
        "<url><loc>https://example.com/zh-hant/posts/hello/</loc><lastmod>2024-12-15T09:00:00+08:00</lastmod><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/posts/hello/\"/><xhtml:link rel=\"alternate\" hreflang=\"zh-Hant\" href=\"https://example.com/zh-hant/posts/hello/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.com/posts/hello/\"/></url>"
    ), "{sitemap}");
    // A page in one language has no alternates.
    assert!(sitemap.contains(
        "<url><loc>https://example.com/zh-hant/posts/only-zh/</loc><lastmod>2024-12-10T09:00:00+08:00</lastmod></url>"
    ));
    let urls = sitemap.matches("<url>").count();
    let pages = common::snapshot(&root.join("public"))
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| !p.ends_with("404.html"))
        .count();
    // Every page but the 404s and the search pages, which are not in a sitemap either way.
    assert!(urls >= pages - 2, "{urls} URLs for {pages} pages");
}

#[test]
fn a_translation_without_its_original_is_reported_once() {
    let dir = site("translations");
    let root = dir.path();
    std::fs::write(
        root.join("content/posts/also-zh.zh-hant.md"),
        "---\ntitle: 也是中文\ndate: 2024-12-09\n---\n中文。\n",
    )
    .unwrap();
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    let about: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("translation has no original"))
        .collect();
    assert_eq!(about.len(), 1, "{warnings:#?}");
    assert!(
        about[0].contains("content/posts/only-zh.zh-hant.md"),
        "{}",
        about[0]
    );
    assert!(about[0].contains("also-zh"), "{}", about[0]);
}

#[test]
fn check_reports_links_that_lead_to_another_language() {
    let dir = site("translations");
    let out = common::playpress()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap() + &String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(
        "warning: link `/posts/second/` leads to another language: /posts/second/ is in `en`\n  --> content/posts/hello.zh-hant.md:12:13\n"
    ), "{stderr}");
    assert!(stderr.contains("= help: it has no translation into this page's language: translate it, or say that the link leads to a page in `en`"));
    assert!(stderr.contains(
        "warning: link `/posts/hello/` leads to another language: /posts/hello/ is in `en`\n  --> content/posts/hello.zh-hant.md:12:40\n"
    ));
    assert!(stderr.contains("= help: link its translation, /zh-hant/posts/hello/"));
    // The language switcher and hreflang links of the theme are meant: not reported.
    assert_eq!(
        stderr.matches("leads to another language").count(),
        2,
        "{stderr}"
    );
}

#[test]
fn a_missing_word_in_another_language_warns_and_falls_back() {
    let dir = site("translations");
    let root = dir.path();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("  zh-Hant:\n", "  zh-Hant:\n    name: 中文\n"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/fr.yaml"), "prev_post: Précédent\n").unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}  fr:\n    title: Deux langues\n")).unwrap();
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("no `next_post` in the words of `fr`: the English is shown")),
        "{warnings:#?}"
    );
    let zh = read(root, ZH_HELLO);
    assert!(zh.contains(">中文</span>"), "a language's own name: {zh}");
    assert!(zh.contains("hreflang=\"fr\" lang=\"fr\""), "{zh}");
    assert!(exists(root, "fr/index.html"));
}

#[test]
fn a_bad_language_is_an_error_at_its_key() {
    let dir = site("translations");
    let root = dir.path();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("  zh-Hant:\n", "  zh_Hant:\n")).unwrap();
    let err = common::build_err(root);
    assert!(
        err.starts_with("error: `zh_Hant` is not a language tag\n  --> config.yaml:20:3\n"),
        "{err}"
    );
    assert!(
        err.contains("= help: use a BCP 47 tag, e.g. zh-Hant, pt-BR, fr"),
        "{err}"
    );
    // An unknown key of a language is an error with a hint, as every key of the config.
    std::fs::write(
        &config,
        text.replace("    title: 兩種語言\n", "    titel: 兩種語言\n"),
    )
    .unwrap();
    let err = common::build_err(root);
    assert!(
        err.starts_with("error: unknown key `languages.zh-Hant.titel`\n  --> config.yaml:21:5\n"),
        "{err}"
    );
    assert!(err.contains("= help: did you mean `title`?"), "{err}");
}
