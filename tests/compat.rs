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
