//! Moving in from Jekyll, Hugo and Zola: their front matter, dates, file names, Liquid and
//! shortcodes, read without editing a post.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_ok, read, site};

#[test]
fn other_generators_front_matter_is_understood() {
    let dir = site("compat_front_matter");
    let outcome = build_ok(dir.path());
    let root = dir.path();
    // Jekyll: its date shape, tags as text, categories as tags, redirect_from.
    let jekyll = read(root, "posts/jekyll-date/index.html");
    assert!(
        jekyll.contains("datetime=\"2013-05-06T08:12:52+08:00\""),
        "{jekyll}"
    );
    for tag in ["ruby", "release-notes", "news"] {
        assert!(
            root.join(format!("public/tags/{tag}/index.html")).exists(),
            "{tag}"
        );
    }
    assert!(read(root, "old-jekyll-date/index.html").contains("/posts/jekyll-date/"));
    // `published: false` is a draft.
    assert!(!root.join("public/posts/unpublished").exists());
    // Hugo: linkTitle in links, lastmod, description apart from summary, `draft: no`.
    let hugo = read(root, "posts/hugo-style/index.html");
    assert!(
        hugo.contains(
            "<meta name=\"description\" content=\"The description for search engines.\">"
        ),
        "{hugo}"
    );
    assert!(hugo.contains("2013-06-01"), "lastmod is the update date");
    let index = read(root, "index.html");
    assert!(index.contains("The summary of the Hugo post."));
    assert!(read(root, "posts/jekyll-date/index.html").contains("Hugo post</span>"));
    assert!(root.join("public/tags/releases/index.html").exists());
    // A post's own URL: Jekyll's permalink, Zola's path.
    assert!(read(root, "2013/own-url.html").contains("Its own URL"));
    let zola = read(root, "zola/own-path/index.html");
    assert!(zola.contains("A Zola post"));
    assert!(zola.contains("2013-05-10"), "updated");
    assert!(root.join("public/tags/rust/index.html").exists());
    assert!(root.join("public/tags/tutorials/index.html").exists());

    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: unknown front matter key `team`, in 4 files\n --> content/posts/2013-05-06-jekyll-date.md:8:1\n  |\n8 | team: core\n  | ^^^^ kept for templates as `post.extra`\n  |\n  = note: also in content/posts/2013-05-07-unpublished.md:4, content/posts/hugo-style.md:10, content/posts/zola-toml.md:6\n  = help: templates can read it as `post.extra.team`; list it under `front_matter: ignore:` in config.yaml to silence this warning",
            "warning: `draft` is written as a word, not true or false, in 2 files\n --> content/posts/hugo-style.md:6:8\n  |\n6 | draft: no\n  |        ^^ read as a boolean\n  |\n  = note: also in content/posts/own-url.md:5\n  = help: write `true` or `false`",
        ]
    );
}

#[test]
fn files_are_read_as_hugo_and_jekyll_lay_them_out() {
    let dir = site("compat_files");
    let outcome = build_ok(dir.path());
    let root = dir.path();
    let public = root.join("public");
    // `_index.md` is a section's page, not a post; a bundle's other Markdown is a resource.
    assert!(!public.join("posts/_index").exists());
    assert!(!public.join("posts/notes").exists());
    assert!(!public.join("posts/leaf/notes.md").exists());
    assert!(public.join("posts/leaf/photo.png").exists());
    // Files beside `name.md` that it links to are published next to its page.
    for file in ["cover.png", "hero.png", "files/data.csv"] {
        assert!(public.join("posts/beside").join(file).exists(), "{file}");
    }
    assert!(public.join("posts/in-news/chart.png").exists());
    assert!(!public.join("posts/unused.png").exists());
    // File-name slugs keep their dots.
    assert!(read(root, "posts/v22.18.0/index.html").contains("Node"));
    assert!(read(root, "posts/ruby-3.0/index.html").contains("Ruby"));

    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: no post links to this file, so it is not published\n --> content/posts/unused.png\n  = help: link to it from the post beside it (e.g. ![](name.png)), or move it to static/",
            "warning: `.mdx` files are not read, so this post is not published, in 2 files\n --> content/posts/a.mdx\n  = note: also in content/posts/b.mdx\n  = help: playpress reads Markdown (.md): rename a post that is plain Markdown, or convert it",
        ]
    );
}

#[test]
fn jekyll_permalinks_and_sections() {
    let dir = site("compat_permalinks");
    let root = dir.path();
    build_ok(root);
    // Jekyll's `date` style: /:categories/:year/:month/:day/:title:output_ext, case kept.
    assert!(read(root, "release-notes/ruby/2019/01/01/Ruby-3.0.html").contains("Ruby"));
    assert!(read(root, "2019/01/02/Plain.html").contains("Plain"));
    assert!(read(root, "2024/02/03/Deep-Post.html").contains("Deep"));
    // Hugo's way: the folder under content/posts/ in the URL, lowercase.
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    let config = config
        .replace("file_slugs: keep", "file_slugs: lowercase")
        .replace("permalink: date", "permalink: /posts/:sections/:slug/");
    std::fs::write(root.join("config.yaml"), config).unwrap();
    build_ok(root);
    assert!(read(root, "posts/news/2024/deep-post/index.html").contains("Deep"));
    assert!(read(root, "posts/ruby-3.0/index.html").contains("Ruby"));
}

/// Every HTML and XML file of the output, with no template syntax of another generator left.
fn assert_no_template_syntax(root: &std::path::Path) {
    for entry in walkdir::WalkDir::new(root.join("public")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let is_page = path
            .extension()
            .is_some_and(|e| e == "html" || e == "xml" || e == "json");
        if !is_page {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for syntax in ["{%", "{{<", "{{%", "&lbrace;%"] {
            assert!(
                !text.contains(syntax),
                "{syntax} in {}:\n{text}",
                path.display()
            );
        }
    }
}

#[test]
fn a_jekyll_blog_moves_in_unchanged() {
    let dir = site("from_jekyll");
    let root = dir.path();
    let outcome = build_ok(root);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let release = read(root, "release/notes/2013/05/06/Release-3.0.html");
    assert!(release.contains("datetime=\"2013-05-06T00:12:52+00:00\""));
    assert!(
        release.contains("<code class=\"language-ruby\">"),
        "{release}"
    );
    assert!(release.contains("<code>{{ page.title }}</code>"));
    assert!(release.contains("<img src=\"/assets/diagram.png\" alt=\"A diagram\""));
    assert!(release.contains("The code lives at example/blog;"));
    assert!(release.contains("<a href=\"/custom/second/\">the next post</a>"));
    assert!(release.contains("<a href=\"/custom/second/\">same post by file</a>"));
    assert!(release.contains("<a href=\"/about/\">who we are</a>"));
    assert!(!release.contains("never see"));
    assert!(release.contains("<a href=\"https://example.com/feed.xml\">https://example.com</a>"));
    assert!(release.contains("https://example.com/rss.xml."));
    for tag in ["ruby", "web", "release", "notes"] {
        assert!(
            root.join(format!("public/tags/{tag}/index.html")).exists(),
            "{tag}"
        );
    }
    let index = read(root, "index.html");
    assert!(index.contains("Version 3.0 is out"));
    assert!(
        !index.contains("Hello, #"),
        "the summary ends at the excerpt separator"
    );
    assert!(read(root, "old/release-three/index.html").contains("Release-3.0.html"));
    let second = read(root, "custom/second/index.html");
    assert!(
        second.contains("<a href=\"/release/notes/2013/05/06/Release-3.0.html\">the release</a>")
    );
    assert!(!root.join("public/2013/05/08").exists(), "published: false");
    assert!(read(root, "about/index.html").contains("Who writes this blog."));
    // A post's own permalink with Jekyll's placeholders; jekyll-seo-tag's author map.
    let own = read(root, "blog/2013/Own-Pattern/index.html");
    assert!(
        own.contains(
            "<span class=\"author\"><a href=\"/authors/ann-lee/\" rel=\"author\">Ann Lee</a></span>"
        ),
        "{own}"
    );
    assert!(root.join("public/tags/2019/index.html").exists());
    assert_no_template_syntax(root);
}

#[test]
fn a_hugo_blog_moves_in_unchanged() {
    let dir = site("from_hugo");
    let root = dir.path();
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    // `draft: no` is read as false, with a word on how to write it.
    assert_eq!(
        warnings,
        [
            "warning: `draft` is written as a word, not true or false\n --> content/posts/bundle/index.md:4:8\n  |\n4 | draft: no\n  |        ^^ read as a boolean\n  |\n  = help: write `true` or `false`"
        ]
    );
    let release = read(root, "posts/v22.18.0/index.html");
    assert!(release.contains("<figure><img src=\"cover.png\" alt=\"The cover\" width=\"4\" height=\"3\" loading=\"lazy\" decoding=\"async\"><figcaption>Release cover</figcaption></figure>"), "{release}");
    assert!(release.contains("<code class=\"language-go\">"));
    assert!(release.contains("markdown-alert-tip"));
    assert!(release.contains("Upgrade with <strong>care</strong>."));
    assert!(release.contains("<a href=\"/posts/bundle/\">the bundle</a>"));
    assert!(release.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"));
    assert!(release.contains("language-mermaid"));
    assert!(release.contains("2024-01-05"), "lastmod");
    assert!(root.join("public/posts/v22.18.0/cover.png").exists());
    assert!(root.join("public/tags/node/index.html").exists());
    let bundle = read(root, "posts/bundle/index.html");
    assert!(bundle.contains("<a href=\"/posts/v22.18.0/\">the release</a>"));
    assert!(
        bundle.contains("Prev Post</span> <span class=\"post-nav-title\">v22.18.0</span>"),
        "linkTitle"
    );
    assert!(root.join("public/posts/bundle/photo.png").exists());
    assert!(bundle.contains("markdown-alert-warning"), "{bundle}");
    assert!(!root.join("public/posts/bundle/notes.md").exists());
    assert!(!root.join("public/posts/_index").exists());
    let index = read(root, "index.html");
    assert!(index.contains("What changed in this release."));
    assert!(
        !index.contains("Release cover"),
        "the summary ends at <!--more-->"
    );
    assert_no_template_syntax(root);
}

#[test]
fn a_zola_blog_moves_in_unchanged() {
    let dir = site("from_zola");
    let root = dir.path();
    let outcome = build_ok(root);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let first = read(root, "posts/first-post/index.html");
    assert!(
        first.contains("<a href=\"/custom/path/#why\">the second post</a>"),
        "{first}"
    );
    assert!(first.contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"));
    assert!(first.contains("markdown-alert-note"));
    assert!(first.contains("<meta name=\"description\" content=\"How the blog started.\">"));
    assert!(first.contains("2024-03-05"), "updated");
    assert!(root.join("public/tags/rust/index.html").exists());
    assert!(root.join("public/tags/guides/index.html").exists());
    let second = read(root, "custom/path/index.html");
    assert!(second.contains("id=\"why\""));
    assert!(read(root, "old/second/index.html").contains("/custom/path/"));
    assert_no_template_syntax(root);
}

#[test]
fn what_is_not_understood_is_reported_once_per_kind() {
    let dir = site("compat_unknown");
    let root = dir.path();
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: `{% include %}` is not understood, shown as text, in 2 files\n --> content/posts/a.md:7:1\n  |\n7 | {% include note.html %}\n  | ^^ written for another generator\n  |\n  = note: also in content/posts/b.md:6\n  = help: playpress reads Liquid's highlight, raw, comment, post_url and link tags and {{ site.* }} values; write Markdown or HTML for this one",
            "warning: `{{< tweet >}}` is not understood, shown as text, in 2 files\n --> content/posts/a.md:9:1\n  |\n9 | {{< tweet user=\"x\" id=\"1\" >}}\n  | ^^ written for another generator\n  |\n  = note: also in content/posts/c.md:5\n  = help: playpress reads Hugo's figure, highlight, ref, relref, youtube, vimeo, gist, details and callouts (notice, alert, ...); write Markdown or HTML for this one",
        ]
    );
    // Shown as text in the body, never in a description or JSON-LD.
    let c = read(root, "posts/c/index.html");
    assert!(c.contains("{{&lt; tweet"), "{c}");
    assert!(
        c.contains("<meta name=\"description\" content=\"starts the first paragraph.\">"),
        "{c}"
    );
    assert!(
        !c.split("application/ld+json")
            .nth(1)
            .unwrap_or("")
            .split("</script>")
            .next()
            .unwrap_or("")
            .contains("tweet")
    );
}

#[test]
fn a_broken_internal_link_is_an_error_at_its_line() {
    let dir = site("compat_broken_link");
    assert_eq!(
        common::build_err(dir.path()),
        "error: `@/posts/2019-01-01-gone.md` leads to no post or page\n --> content/posts/links.md:7:32\n  |\n7 | See [the old post]({% post_url 2019-01-01-gone %}).\n  |                                ^^^^^^^^^^^^^^^ no such document\n  |\n  = help: link to a file under content/ by its path, e.g. @/posts/name.md, or fix the name\n\n1 error in content; nothing was written"
    );
}

#[test]
fn toml_front_matter_errors_name_the_place() {
    let dir = site("compat_bad_toml");
    // `tags = "a b"` is Jekyll's and Hugo's space-separated list: not an error.
    assert_eq!(
        common::build_err(dir.path()),
        "error: wrong type for `series_part`: expected a positive whole number, found string \"two\"\n --> content/posts/bad.md:5:15\n  |\n5 | series_part = \"two\"\n  |               ^^^^^ wrong type\n  |\n  = help: write the part number as a positive whole number, e.g. series_part: 2\n\nerror: invalid TOML: invalid basic string, expected `\"`\n --> content/posts/broken.md:2:18\n  |\n2 | title = \"Unclosed\n  |                  ^ here\n  |\n  = help: give the post a title, e.g. title: \"My post\"\n\n2 errors in content; nothing was written"
    );
}

#[test]
fn a_post_in_two_series_or_with_a_bad_permalink_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/posts")).unwrap();
    std::fs::write(
        root.join("config.yaml"),
        "title: T\nbase_url: https://example.com/\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/posts/a.md"),
        "---\ntitle: A\ndate: 2024-01-01\nseries: [One, Two]\npermalink: /a?b/\n---\n",
    )
    .unwrap();
    assert_eq!(
        common::build_err(root),
        "error: `series` names 2 series: a post is part of one\n --> content/posts/a.md:4:9\n  |\n4 | series: [One, Two]\n  |         ^ more than one series\n  |\n  = help: keep one, e.g. series: \"One\"\n\nerror: invalid `permalink` `/a?b/`: it must be a plain path, without `?`, `#` or spaces\n --> content/posts/a.md:5:12\n  |\n5 | permalink: /a?b/\n  |            ^^^^^ not a site path\n  |\n  = help: write the post's path on the site, e.g. permalink: /2019/05/my-post/\n\n2 errors in content; nothing was written"
    );
}
