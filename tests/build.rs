//! Integration tests: one small fixture site per case, built in a temp dir.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn index_is_newest_first_and_paginated() {
    let dir = site("pagination");
    let outcome = build_ok(dir.path());
    let summary = outcome.result.unwrap();
    assert_eq!(summary.posts, 5);
    let root = dir.path();
    assert_eq!(card_titles(&read(root, "index.html")), ["Post 5", "Post 4"]);
    assert_eq!(
        card_titles(&read(root, "page/2/index.html")),
        ["Post 3", "Post 2"]
    );
    assert_eq!(card_titles(&read(root, "page/3/index.html")), ["Post 1"]);
    assert!(!exists(root, "page/4/index.html"));
    assert!(!exists(root, "page/1/index.html"));
    let page2 = read(root, "page/2/index.html");
    assert!(
        page2.contains("href=\"/\" rel=\"prev\">Newer</a>"),
        "{page2}"
    );
    assert!(page2.contains("href=\"/page/3/\" rel=\"next\">Older</a>"));
    assert!(page2.contains("<a href=\"/page/2/\" aria-current=\"page\">2</a>"));
}

#[test]
fn prev_and_next_at_both_ends() {
    let dir = site("prev_next");
    build_ok(dir.path());
    let root = dir.path();
    let old = read(root, "posts/old/index.html");
    let middle = read(root, "posts/middle/index.html");
    let new = read(root, "posts/new/index.html");

    assert!(
        !old.contains("Prev Post"),
        "the oldest post has no previous post"
    );
    assert!(old.contains("href=\"/posts/middle/\" rel=\"next\"><span class=\"post-nav-label\">Next Post</span> <span class=\"post-nav-title\">The middle post</span>"));

    assert!(middle.contains("href=\"/posts/old/\" rel=\"prev\"><span class=\"post-nav-label\">Prev Post</span> <span class=\"post-nav-title\">The old post</span>"));
    assert!(middle.contains("href=\"/posts/new/\" rel=\"next\"><span class=\"post-nav-label\">Next Post</span> <span class=\"post-nav-title\">The new post</span>"));

    assert!(new.contains("Prev Post"));
    assert!(
        !new.contains("Next Post"),
        "the newest post has no next post"
    );
}

#[test]
fn series_parts_follow_part_numbers() {
    let dir = site("series");
    let summary = build_ok(dir.path()).result.unwrap();
    assert_eq!(summary.series, 1);
    let root = dir.path();

    let page = read(root, "series/learning-rust/index.html");
    let first = page.find("First part").unwrap();
    let second = page.find("Second part").unwrap();
    let third = page.find("Third part").unwrap();
    assert!(
        first < second && second < third,
        "parts in series_part order, not date order"
    );
    assert!(
        page.contains("<h1 class=\"page-title\">Learning Rust, the long way</h1>"),
        "title from content/series/"
    );
    assert!(page.contains("A series about <em>learning</em> Rust."));

    let part2 = read(root, "posts/b/index.html");
    assert!(
        part2.contains(
            "<span class=\"series-box-part\">Part 2 of 3</span> in <a href=\"/series/learning-rust/\">Learning Rust, the long way</a>"
        ),
        "{part2}"
    );
    assert!(part2.contains("<span class=\"current\" aria-current=\"page\">Second part</span>"));
    assert!(part2.contains(
        "<a href=\"/posts/a/\" class=\"series-step prev\"><span aria-hidden=\"true\">&larr;</span> Part 1<span class=\"visually-hidden\">: First part</span></a>"
    ));
    assert!(part2.contains(
        "<a href=\"/posts/c/\" class=\"series-step next\">Part 3<span class=\"visually-hidden\">: Third part</span> <span aria-hidden=\"true\">&rarr;</span></a>"
    ));

    let part1 = read(root, "posts/a/index.html");
    assert!(part1.contains("Part 1 of 3"));
    assert!(!part1.contains("series-step prev"));
    assert!(
        !part1.contains("class=\"upcoming\""),
        "no announced parts without total_parts"
    );

    let other = read(root, "posts/other/index.html");
    assert!(!other.contains("series-box"));

    let list = read(root, "series/index.html");
    assert!(list.contains("<a href=\"/series/learning-rust/\">Learning Rust, the long way</a>"));
    assert!(list.contains("3 parts"));

    let index = read(root, "index.html");
    assert!(index.contains("<span class=\"badge-part\">Part 2 of 3</span>"));
}

#[test]
fn tags_group_case_insensitively_and_paginate() {
    let dir = site("tags");
    let summary = build_ok(dir.path()).result.unwrap();
    assert_eq!(summary.tags, 2);
    let root = dir.path();
    let tags = read(root, "tags/index.html");
    assert!(
        tags.contains("<a href=\"/tags/rust/\">rust <span class=\"count\">2"),
        "{tags}"
    );
    assert!(tags.contains("<a href=\"/tags/web-dev/\">Web Dev <span class=\"count\">1"));
    // One post a page: the rust tag has two pages, newest first.
    assert_eq!(card_titles(&read(root, "tags/rust/index.html")), ["Two"]);
    assert_eq!(
        card_titles(&read(root, "tags/rust/page/2/index.html")),
        ["One"]
    );
    let post = read(root, "posts/one/index.html");
    assert!(post.contains("<a href=\"/tags/rust/\" rel=\"tag\">rust</a>"));
    assert!(post.contains("<a href=\"/tags/web-dev/\" rel=\"tag\">Web Dev</a>"));
}

#[test]
fn drafts_and_future_posts_are_left_out_everywhere() {
    let dir = site("drafts_future");
    let root = dir.path();
    let summary = build_ok(root).result.unwrap();
    assert_eq!(summary.posts, 1);
    assert_eq!(summary.skipped, 2);
    for (path, html) in snapshot(&root.join("public")) {
        let text = String::from_utf8_lossy(&html);
        assert!(!text.contains("Draft post"), "draft in {}", path.display());
        assert!(
            !text.contains("Future post"),
            "future post in {}",
            path.display()
        );
    }
    assert!(!exists(root, "posts/draft/index.html"));
    assert!(!exists(root, "posts/future/index.html"));
    assert!(!exists(root, "tags/draft-only/index.html"));
    assert!(!exists(root, "tags/future-only/index.html"));
    let published = read(root, "posts/published/index.html");
    assert!(published.contains("Part 1 of 1"));
    assert!(!published.contains("Next Post"));

    let with_all = build_with(root, |o| {
        o.drafts = true;
        o.future = true;
    });
    assert_eq!(with_all.result.unwrap().posts, 3);
    let published = read(root, "posts/published/index.html");
    assert!(published.contains("Part 1 of 3"));
    assert!(published.contains("Draft post"));
    assert!(exists(root, "tags/future-only/index.html"));
}

#[test]
fn subpath_base_url_prefixes_every_internal_link() {
    let dir = site("subpath");
    build_ok(dir.path());
    let root = dir.path();
    for (path, bytes) in snapshot(&root.join("public")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            for href in hrefs(&html) {
                let internal = href.starts_with('/');
                assert!(
                    !internal || href.starts_with("/blog/"),
                    "{}: link {href} does not honour the /blog/ subpath",
                    path.display()
                );
            }
        }
    }
    let post = read(root, "posts/hello/index.html");
    assert!(
        post.contains("href=\"/blog/about/\">the about page</a>"),
        "Markdown links are rebased"
    );
    assert!(
        post.contains("<link rel=\"stylesheet\" href=\"/blog/style."),
        "the stylesheet is under the base path"
    );
    assert!(
        post.contains("<link rel=\"canonical\" href=\"https://example.com/blog/posts/hello/\">")
    );
    assert!(post.contains("<a href=\"/blog/privacy/\">Privacy Policy</a>"));

    // --base-url overrides the config, e.g. for a preview deploy.
    let outcome = build_with(root, |o| {
        o.base_url = Some("https://preview.example.org/".to_string())
    });
    assert!(outcome.result.is_ok());
    let post = read(root, "posts/hello/index.html");
    assert!(post.contains("<link rel=\"stylesheet\" href=\"/style."));
    assert!(post.contains("href=\"https://preview.example.org/posts/hello/\""));
}

#[test]
fn date_comes_from_the_file_name() {
    let dir = site("date_from_filename");
    build_ok(dir.path());
    let post = read(dir.path(), "posts/independence/index.html");
    assert!(
        post.contains("<time datetime=\"2023-07-04T00:00:00+00:00\">2023-07-04</time>"),
        "{post}"
    );
}

#[test]
fn bundle_assets_are_copied_beside_the_post() {
    let dir = site("bundle");
    let summary = build_ok(dir.path()).result.unwrap();
    let root = dir.path();
    assert!(exists(root, "posts/trip/view.svg"));
    assert_eq!(read(root, "posts/trip/files/notes.txt"), "notes\n");
    assert!(
        read(root, "posts/trip/index.html")
            .contains("<img src=\"view.svg\" alt=\"The view\" decoding=\"async\">")
    );
    assert_eq!(summary.posts, 1);
}

#[test]
fn site_templates_override_the_built_in_theme() {
    let dir = site("template_override");
    build_ok(dir.path());
    let root = dir.path();
    let post = read(root, "posts/p/index.html");
    assert!(post.contains("<p id=\"custom\">CUSTOM POST TEMPLATE: Overridden</p>"));
    assert!(
        post.contains("class=\"site-footer\""),
        "the built-in base.html is still used"
    );
    assert!(
        read(root, "index.html").contains("class=\"card\""),
        "other templates stay built-in"
    );
}

#[test]
fn unknown_front_matter_keys_are_kept_and_warned() {
    let dir = site("unknown_key");
    let outcome = build_ok(dir.path());
    let post = read(dir.path(), "posts/jekyll/index.html");
    assert!(post.contains("<p id=\"layout\">layout=post</p>"));
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        // `layout` steers Jekyll's templates: kept for templates without a word.
        [
            "warning: unknown front matter key `tittle`\n --> content/posts/jekyll.md:5:1\n  |\n5 | tittle: typo\n  | ^^^^^^ kept for templates as `post.extra`\n  |\n  = help: did you mean `title`?",
        ]
    );
}

#[test]
fn code_is_highlighted_and_unknown_languages_escaped() {
    let dir = site("highlighting");
    let outcome = build_ok(dir.path());
    let root = dir.path();
    let post = read(root, "posts/code/index.html");
    assert!(
        post.contains("<code class=\"language-rust\"><span class=\"hl-storage\">fn</span> <span class=\"hl-entity hl-name hl-function\">main</span>() { println!(<span class=\"hl-string\">"),
        "{post}"
    );
    assert!(
        post.contains(
            "<code class=\"language-toml\">[<span class=\"hl-entity hl-name\">package</span>]"
        ),
        "TOML comes from two-face: {post}"
    );
    assert!(
        post.contains(
            "<code class=\"language-klingon\">&lt;qapla&#39;&gt; &amp; &quot;batlh&quot;"
        ) || post.contains("<code class=\"language-klingon\">&lt;qapla'&gt; &amp; \"batlh\""),
        "{post}"
    );
    assert!(!post.contains("style=\""), "classes, not inline styles");
    let css = read(root, "highlight.css");
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(css.contains(".hl-code"));
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: unknown code language `klingon`\n  --> content/posts/code.md:16:1\n   |\n16 | ```klingon\n   | ^^^^^^^^^^ shown as plain text\n   |\n   = help: use a known language name (rust, python, yaml, sh...), or `text` for no highlighting"
        ]
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = site("determinism");
    let root = dir.path();
    build_ok(root);
    let first = snapshot(&root.join("public"));
    build_ok(root);
    let second = snapshot(&root.join("public"));
    assert!(first.len() > 10);
    assert_eq!(first, second);

    let other = site("determinism");
    build_ok(other.path());
    assert_eq!(
        first,
        snapshot(&other.path().join("public")),
        "a second copy of the site builds the same"
    );
}

#[test]
fn a_failed_build_leaves_the_old_output_untouched() {
    let dir = site("failed_build");
    let root = dir.path();
    build_ok(root);
    let before = snapshot(&root.join("public"));
    std::fs::write(
        root.join("content/posts/broken.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/posts/good.md"),
        "---\ntitle: Changed title\ndate: 2024-01-01\n---\n",
    )
    .unwrap();
    let err = build_err(root);
    assert!(err.contains("content/posts/broken.md"), "{err}");
    assert_eq!(
        before,
        snapshot(&root.join("public")),
        "old output kept exactly"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging directory left behind: {leftovers:?}"
    );
}

#[test]
fn files_without_a_source_disappear() {
    let dir = site("prev_next");
    let root = dir.path();
    build_ok(root);
    assert!(exists(root, "posts/old/index.html"));
    std::fs::remove_file(root.join("content/posts/old.md")).unwrap();
    build_ok(root);
    assert!(!exists(root, "posts/old/index.html"));
}

#[test]
fn malformed_yaml_reports_every_bad_post() {
    let dir = site("malformed_yaml");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: invalid YAML: mapping values are not allowed in this context\n --> content/posts/bad.md:4:11\n  |\n4 | summary: a: b\n  |           ^ mapping values are not allowed in this context\n  |\n  = help: a value containing `: ` must be quoted, e.g. summary: \"a: b\"\n\nerror: wrong type for `tags`: expected a list or space-separated text, found integer `7`\n --> content/posts/bad2.md:4:7\n  |\n4 | tags: 7\n  |       ^ wrong type\n  |\n  = help: write tags as a list, e.g. tags: [rust, web]\n\n2 errors in content; nothing was written"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn missing_title_is_reported_exactly() {
    let dir = site("missing_title");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: missing `title`\n --> content/posts/untitled.md:1:1\n  |\n1 | ---\n  | ^^^ front matter without a title\n  |\n  = help: add a title to the front matter, e.g. title: \"My post\"\n\n1 error in content; nothing was written"
    );
}

#[test]
fn the_output_may_not_be_the_site_itself() {
    let dir = site("prev_next");
    let root = dir.path().to_path_buf();
    let outcome = build_with(&root, |o| o.output = Some(root.clone()));
    let err = outcome.result.unwrap_err().to_string();
    assert!(err.starts_with("error: refusing to use"), "{err}");
    assert!(err.contains("it is the site folder or contains it"));
    let outcome = build_with(&root, |o| o.output = Some(std::path::PathBuf::from("/")));
    assert!(
        outcome
            .result
            .unwrap_err()
            .to_string()
            .contains("it is the file system root")
    );
    assert!(root.join("content/posts/old.md").exists());
}

#[test]
fn template_runtime_errors_name_template_line_and_page() {
    let dir = site("template_runtime_error");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: cannot render /posts/a/ (from content/posts/a.md) with template `post.html`\nerror: Field `missing_field` is not defined. Available fields: author, authors, content, date, description, extra, image, link_title, permalink, picture, reading_minutes, series, slug, summary, tags, title, toc, updated, url, word_count\n --> post.html:4:12\n  |\n4 | <p>{{ post.missing_field }}</p>\n  |            ^^^^^^^^^^^^^\n  = note: `post.html` is templates/post.html\n\nnothing was written"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn template_syntax_errors_are_caught_before_writing() {
    let dir = site("template_syntax_error");
    let err = build_err(dir.path());
    assert_eq!(
        err,
        "error: Found `</` but expected }}.\n --> post.html:3:19\n  |\n3 | <h1>{{ post.title </h1>\n  |                   ^^\n  = note: `post.html` is templates/post.html\n  = help: fix the template; nothing was written"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn the_sample_site_in_this_repository_builds() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let outcome = build_with(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), |o| {
        o.output = Some(target.clone())
    });
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let summary = outcome.result.unwrap();
    assert!(summary.posts >= 4);
    assert_eq!(summary.series, 1);
    // About and the privacy policy, and About in Traditional Chinese.
    assert_eq!(summary.standalone_pages, 3);
    // Part One in Traditional Chinese, in the series of three parts.
    let zh = std::fs::read_to_string(
        target.join("zh-hant/posts/ai-industry-review-2024-part-one/index.html"),
    )
    .unwrap();
    assert!(zh.contains("<html lang=\"zh-Hant\">"));
    assert!(zh.contains("<span class=\"series-box-part\">第 1 部分，共 3 部分</span>"));
    assert!(
        std::fs::read_to_string(target.join("zh-hant/index.html"))
            .unwrap()
            .contains("第一部分")
    );
    let part_two =
        std::fs::read_to_string(target.join("posts/ai-industry-review-2024-part-two/index.html"))
            .unwrap();
    assert!(part_two.contains(
        "by <span class=\"author\" data-pagefind-meta=\"author\"><a href=\"/authors/anthony-law/\" rel=\"author\">Anthony Law</a></span> <span class=\"sep\" aria-hidden=\"true\">&middot;</span> <time datetime=\"2024-12-15T12:00:00+08:00\" data-pagefind-meta=\"date:2024-12-15\">2024-12-15</time>"
    ));
    assert!(part_two.contains("<span class=\"post-nav-label\">Prev Post</span> <span class=\"post-nav-title\">AI Industry Review in 2024 Part One: The Wave of Prosperity and Innovation</span>"));
    assert!(part_two.contains("<span class=\"post-nav-label\">Next Post</span> <span class=\"post-nav-title\">The AI Divide: Hong Kong&#39;s Digital Transformation at a Crossroads</span>"));
    // Prices are not maths.
    assert!(part_two.contains("set aside $3.1 billion for"));
    assert!(part_two.contains("more than $50 billion"));
    assert!(!part_two.contains("<math"));
    assert!(part_two.contains("<a href=\"tel:+85292622251\">(852) 92622251</a>"));
    assert!(part_two.contains("<a href=\"mailto:info@codeisplay.ai\">info@codeisplay.ai</a>"));
    assert!(part_two.contains("Copyright &copy; 2026 All rights Reserved by CODE IS PLAY."));
    for service in [
        "TVP Funding",
        "Digital Transformation",
        "Technical Training",
    ] {
        assert!(
            part_two.contains(&format!("<li>{service}</li>")),
            "{service}"
        );
    }
    assert!(target.join("about/index.html").exists());
    assert!(target.join("privacy-policy/index.html").exists());
    assert!(target.join("404.html").exists());
    let code =
        std::fs::read_to_string(target.join("posts/how-this-blog-is-built/index.html")).unwrap();
    for lang in ["rust", "python", "yaml", "sh"] {
        let start = format!("<code class=\"language-{lang}\">");
        let block = code
            .split(&start)
            .nth(1)
            .and_then(|rest| rest.split("</code>").next())
            .unwrap_or_else(|| panic!("no {lang} block"));
        assert!(block.contains("<span class=\"hl-"), "{lang} highlighted");
    }
    // The code cache in the repository may be older than this playpress: it must never
    // change what a build writes.
    let fresh = out.path().join("fresh");
    let outcome = build_with(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), |o| {
        o.output = Some(fresh.clone());
        o.no_cache = true;
    });
    outcome.result.unwrap();
    assert!(
        snapshot(&target) == snapshot(&fresh),
        "the cache changed the output"
    );
}

#[test]
fn the_code_cache_never_changes_the_output() {
    let dir = site("highlighting");
    let config = dir.path().join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("highlight:\n  light: InspiredGitHub\n  dark: base16-ocean.dark\n");
    std::fs::write(&config, text).unwrap();
    let cached = dir.path().join("cached");
    for _ in 0..2 {
        build_with(dir.path(), |o| o.output = Some(cached.clone()))
            .result
            .unwrap();
    }
    let fresh = dir.path().join("fresh");
    build_with(dir.path(), |o| {
        o.output = Some(fresh.clone());
        o.no_cache = true;
    })
    .result
    .unwrap();
    assert!(dir.path().join(".playpress-cache").exists());
    let (cached, fresh) = (snapshot(&cached), snapshot(&fresh));
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &cached {
        assert!(fresh[path] == *bytes, "{} differs", path.display());
    }
}

#[test]
fn a_build_that_keeps_every_page_keeps_the_code_cache() {
    let dir = site("highlighting");
    let timings = |outcome: playpress::cmd::build::Outcome| outcome.result.unwrap().timings;
    // The first two builds write every page; the third keeps them all, unrendered.
    for _ in 0..2 {
        build_ok(dir.path());
    }
    let kept = timings(build_ok(dir.path()));
    assert!(kept.pages_kept > 0 && kept.blocks_highlighted == 0);
    // Without the kept pages, every page is rendered again: all its code from the cache.
    std::fs::remove_dir_all(dir.path().join(".public.playpress-staging")).unwrap();
    let again = timings(build_ok(dir.path()));
    assert_eq!(again.pages_kept, 0);
    assert_eq!(again.blocks_highlighted, 0, "{again:?}");
    assert!(again.blocks_cached > 0, "{again:?}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = site("crlf_bom");
    build_ok(dir.path());
    let post = read(dir.path(), "posts/win/index.html");
    assert!(post.contains("<h1>Windows post</h1>"), "{post}");
    assert!(post.contains("<h2 id=\"heading\">Heading</h2>"));
    assert!(!post.contains('\r'));
}

#[test]
fn static_files_are_copied_and_override_the_theme() {
    let dir = site("static_files");
    build_ok(dir.path());
    let root = dir.path();
    assert_eq!(read(root, "robots.txt"), "User-agent: *\n");
    assert_eq!(read(root, "img/logo.gif"), "GIF89a");
    assert_eq!(
        read(root, "style.css"),
        "body{color:red}\n",
        "the site's file wins over the theme's"
    );
    assert!(
        exists(root, "favicon.svg"),
        "theme files the site does not override stay"
    );
}

#[test]
fn an_output_holding_a_site_is_refused() {
    let dir = site("prev_next");
    let other = site("prev_next");
    let target = other.path().to_path_buf();
    let outcome = build_with(dir.path(), |o| o.output = Some(target.clone()));
    let err = outcome.result.unwrap_err().to_string();
    assert!(
        err.contains("it contains a site (content/ or config.yaml): it would be deleted"),
        "{err}"
    );
    assert!(
        target.join("content/posts/old.md").exists(),
        "nothing deleted"
    );
}

#[test]
fn announced_parts_show_as_coming_soon() {
    let dir = site("series_planned");
    build_ok(dir.path());
    let root = dir.path();
    let part2 = read(root, "posts/saga-2/index.html");
    assert!(
        part2.contains("<span class=\"series-box-part\">Part 2 of 4</span>"),
        "{part2}"
    );
    assert!(part2.contains("<li class=\"upcoming\">Part 3: coming soon</li>"));
    assert!(part2.contains("<li class=\"upcoming\">Part 4: coming soon</li>"));
    assert!(
        !part2.contains("series-step next"),
        "no link to a part that is not out"
    );
    let page = read(root, "series/saga/index.html");
    assert!(page.contains("2 of 4 parts published"));
    assert!(read(root, "index.html").contains("<span class=\"badge-part\">Part 1 of 4</span>"));
}

#[test]
fn series_gaps_and_duplicates_are_warned() {
    let dir = site("series_gap");
    let outcome = build_ok(dir.path());
    let warnings: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning: series `Gappy` has two parts numbered 3: content/posts/three.md and content/posts/three-again.md\n --> content/posts/three-again.md:5:1\n  |\n5 | series_part: 3\n  | ^^^^^^^^^^^ part 3 again\n  |\n  = help: give each part its own `series_part` number",
            "warning: series `Gappy` has no part 2 (part 1: content/posts/one.md, part 3: content/posts/three.md, part 3: content/posts/three-again.md)\n --> content/posts/one.md:5:1\n  |\n5 | series_part: 1\n  | ^^^^^^^^^^^ part 2 is missing\n  |\n  = help: number the parts 1, 2, 3... without gaps, or publish the missing part",
        ]
    );
}

#[test]
fn rebuilds_keep_unchanged_pages_and_equal_a_full_build() {
    let dir = site("determinism");
    let root = dir.path();
    build_ok(root);
    build_ok(root);
    // From the third build on, the staging directory holds the output before last and its
    // manifest: an unchanged site renders and writes nothing.
    let summary = build_ok(root).result.unwrap();
    assert!(summary.timings.pages_kept > 10, "{:?}", summary.timings);
    assert_eq!(summary.timings.bytes, 0, "nothing written");
    let unchanged = snapshot(&root.join("public"));

    std::fs::write(
        root.join("content/posts/p2.md"),
        "---\ntitle: Post 2, renamed\ndate: 2024-03-02\ntags: [a, c]\nseries: S\nseries_part: 2\n---\nNew text.\n",
    )
    .unwrap();
    let summary = build_ok(root).result.unwrap();
    assert!(summary.timings.pages_kept > 0);
    let changed = snapshot(&root.join("public"));
    assert_ne!(unchanged, changed);

    // The same site built from scratch elsewhere gives the same bytes.
    let fresh = tempfile::tempdir().unwrap();
    common::copy_dir(root, fresh.path());
    for leftover in ["public", ".public.playpress-staging", ".playpress-cache"] {
        let _ = std::fs::remove_dir_all(fresh.path().join(leftover));
    }
    build_with(fresh.path(), |o| o.no_cache = true)
        .result
        .unwrap();
    assert_same_tree(
        &changed,
        &snapshot(&fresh.path().join("public")),
        "incremental vs full",
    );
    assert!(
        !changed
            .keys()
            .any(|p| p.to_string_lossy().contains("tags/b2")),
        "a tag without posts disappears"
    );
}

#[test]
fn a_file_changed_by_hand_in_the_kept_output_is_written_again() {
    let dir = site("prev_next");
    let root = dir.path();
    build_ok(root);
    build_ok(root);
    let good = snapshot(&root.join("public"));
    // The staging directory now holds the first output; spoil a file in it, remove another.
    let kept = root.join(".public.playpress-staging");
    std::fs::write(kept.join("posts/old/index.html"), "spoiled").unwrap();
    std::fs::remove_file(kept.join("posts/new/index.html")).unwrap();
    build_ok(root);
    assert_same_tree(
        &good,
        &snapshot(&root.join("public")),
        "after spoiling the kept output",
    );
}

/// Two parts of a series on the same day: part 2 came out as "Prev Post" of part 1. Ties are
/// settled by time, then series part, then file name, the same on every page and feed.
#[test]
fn posts_of_the_same_day_keep_their_reading_order() {
    let dir = site("same_day");
    build_ok(dir.path());
    let root = dir.path();
    // Newest first: a part after the posts without one, part 2 after part 1, the file name
    // last (m-other.md and the parts share the day; the parts come after it).
    assert_eq!(
        card_titles(&read(root, "index.html")),
        ["Part two", "Part one", "Also that day", "Earlier"]
    );
    let first = read(root, "posts/z-first/index.html");
    assert!(first.contains("href=\"/posts/a-second/\" rel=\"next\"><span class=\"post-nav-label\">Next Post</span> <span class=\"post-nav-title\">Part two</span>"), "{first}");
    assert!(first.contains("href=\"/posts/m-other/\" rel=\"prev\"><span class=\"post-nav-label\">Prev Post</span> <span class=\"post-nav-title\">Also that day</span>"), "{first}");
    let atom = read(root, "atom.xml");
    let order: Vec<usize> = ["Part two", "Part one", "Also that day", "Earlier"]
        .iter()
        .map(|t| {
            atom.find(&format!("<title type=\"text\">{t}</title>"))
                .unwrap()
        })
        .collect();
    assert!(order.is_sorted(), "{atom}");
}
