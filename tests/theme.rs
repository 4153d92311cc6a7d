//! The default theme on the sample site: every page parses as HTML5 without errors and has
//! the landmarks, headings and links readers and assistive technology rely on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

fn sample_site() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let outcome = common::build_with(Path::new(env!("CARGO_MANIFEST_DIR")), |o| {
        o.output = Some(target.clone())
    });
    if let Err(e) = outcome.result {
        panic!("{e}");
    }
    (out, target)
}

fn pages(dir: &Path) -> BTreeMap<PathBuf, String> {
    common::snapshot(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn every_page_is_well_formed_and_accessible() {
    let (_guard, dir) = sample_site();
    let pages = pages(&dir);
    assert!(pages.len() >= 20);
    for (path, html) in &pages {
        let doc = Html::parse_document(html);
        let p = path.display();
        assert!(
            doc.errors.is_empty(),
            "{p}: HTML parse errors {:?}",
            doc.errors
        );
        assert!(html.starts_with("<!DOCTYPE html>"), "{p}: doctype");
        let lang = doc
            .select(&sel("html"))
            .next()
            .and_then(|h| h.value().attr("lang"));
        // The sample blog is in English, with some pages in Traditional Chinese.
        let chinese = p.to_string().starts_with("zh-hant/");
        let expected = if chinese { "zh-Hant" } else { "en" };
        assert_eq!(lang, Some(expected), "{p}: lang from config");
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{p}: exactly one h1");
        for landmark in [
            "header.site-header",
            "main#main",
            "footer.site-footer",
            if chinese {
                "nav[aria-label=\"主選單\"]"
            } else {
                "nav[aria-label=\"Main\"]"
            },
            "nav.language-switcher",
        ] {
            assert_eq!(doc.select(&sel(landmark)).count(), 1, "{p}: one {landmark}");
        }
        let first_link = doc.select(&sel("body a")).next().unwrap();
        assert_eq!(
            first_link.value().attr("href"),
            Some("#main"),
            "{p}: skip link comes first"
        );
        for nav in doc.select(&sel("nav")) {
            let labelled = nav.value().attr("aria-label").is_some()
                || nav.value().attr("aria-labelledby").is_some();
            assert!(labelled, "{p}: every nav is labelled");
        }
        let mut ids = HashSet::new();
        for element in doc.select(&sel("[id]")) {
            let id = element.value().attr("id").unwrap();
            assert!(ids.insert(id.to_string()), "{p}: duplicate id {id}");
        }
        for link in doc.select(&sel("a[href^=\"#\"]")) {
            let target = &link.value().attr("href").unwrap()[1..];
            assert!(
                ids.contains(target),
                "{p}: in-page link to missing #{target}"
            );
        }
        for img in doc.select(&sel("img")) {
            assert!(img.value().attr("alt").is_some(), "{p}: img without alt");
        }
        // Only the search page has a script (it searches the index in the browser).
        let scripts = usize::from(
            p.to_string()
                .trim_start_matches("zh-hant/")
                .starts_with("search/"),
        );
        assert_eq!(
            doc.select(&sel("script:not([type=\"application/ld+json\"])"))
                .count(),
            scripts,
            "{p}: no JavaScript needed"
        );
        for (selector, attr) in [
            ("link[rel=\"stylesheet\"]", "href"),
            ("img", "src"),
            ("link[rel=\"icon\"]", "href"),
        ] {
            for element in doc.select(&sel(selector)) {
                let url = element.value().attr(attr).unwrap();
                assert!(
                    url.starts_with('/') || !url.contains(':'),
                    "{p}: external request to {url}"
                );
            }
        }
        let footer = doc
            .select(&sel("footer.site-footer"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        let blocks = if chinese {
            ["關於我們", "連結", "其他服務", "聯絡我們", "私隱政策"]
        } else {
            [
                "About Us",
                "Links",
                "Other Services",
                "Contact Us",
                "Privacy Policy",
            ]
        };
        for block in blocks {
            assert!(footer.contains(block), "{p}: footer block {block}");
        }
    }
}

#[test]
fn css_stays_small() {
    let (_guard, dir) = sample_site();
    let total: u64 = ["style.css", "highlight.css"]
        .iter()
        .map(|f| std::fs::metadata(dir.join(f)).unwrap().len())
        .sum();
    assert!(total < 20 * 1024, "CSS is {total} bytes, budget 20 KB");
    let css = std::fs::read_to_string(dir.join("style.css")).unwrap();
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(css.contains("@media print"));
    assert!(css.contains(":focus-visible"));
    assert!(
        !css.contains("@import") && !css.contains("url("),
        "no external requests from CSS"
    );
}

#[test]
fn post_page_matches_the_seed_layout() {
    let (_guard, dir) = sample_site();
    let html =
        std::fs::read_to_string(dir.join("posts/ai-industry-review-2024-part-two/index.html"))
            .unwrap();
    let doc = Html::parse_document(&html);
    let text = |s: &str| {
        doc.select(&sel(s))
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert_eq!(
        text("h1"),
        "AI Industry Review in 2024 Part Two: The AI Battle: US Leadership vs. China's Ascent"
    );
    assert!(
        text(".byline").starts_with("by Anthony Law · 2024-12-15 · "),
        "{}",
        text(".byline")
    );
    assert_eq!(
        doc.select(&sel(".byline time"))
            .next()
            .unwrap()
            .value()
            .attr("datetime"),
        Some("2024-12-15T12:00:00+08:00")
    );
    assert_eq!(
        text(".series-box-title"),
        "Part 2 of 3 in AI Industry Review in 2024"
    );
    assert_eq!(doc.select(&sel(".series-parts li")).count(), 3);
    assert_eq!(text(".series-parts [aria-current=\"page\"]"), text("h1"));
    assert_eq!(text(".series-parts .upcoming"), "Part 3: coming soon");
    assert!(text(".post-nav .prev").starts_with("Prev Post AI Industry Review in 2024 Part One"));
    assert!(text(".post-nav .next").starts_with("Next Post The AI Divide"));
    assert!(
        doc.select(&sel("details.toc nav li")).count() > 5,
        "long post has a table of contents"
    );
    let contact = text("footer address");
    assert!(
        contact.contains(
            "Room A, 19/F, Max Share Centre, 367-373 King's Road, North Point, Hong Kong"
        )
    );
}
