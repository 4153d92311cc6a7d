//! The incremental rebuild of `serve`, in process: after every kind of change the output is
//! byte for byte what a full build writes, and only the pages that show a change are rendered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use playpress::cmd::build::BuildOptions;
use playpress::{Changes, LiveSite, Rebuilt};

struct Live {
    site: tempfile::TempDir,
    out: tempfile::TempDir,
    live: LiveSite,
}

impl Live {
    fn start(fixture: &str) -> Self {
        let site = site(fixture);
        let out = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        let mut options = BuildOptions::new(&root);
        options.output = Some(out.path().join("public"));
        let mut live = LiveSite::new(options);
        let (_, result) = live.rebuild(&Changes::everything());
        let first = result.unwrap();
        assert_eq!(
            first.routes,
            first.rendered.len(),
            "the first build renders everything"
        );
        Self { site, out, live }
    }

    fn root(&self) -> PathBuf {
        self.site.path().canonicalize().unwrap()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = self.root().join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }

    fn rebuild(&mut self, paths: Vec<PathBuf>) -> Rebuilt {
        let (_, result) = self.live.rebuild(&Changes {
            paths,
            everything: false,
        });
        match result {
            Ok(r) => r,
            Err(e) => panic!("rebuild failed:\n{e}"),
        }
    }

    /// The served output equals a full build of the site as it is now.
    fn assert_same_as_full_build(&self) {
        let full = tempfile::tempdir().unwrap();
        let outcome = build_with(&self.root(), |o| {
            o.output = Some(full.path().join("public"))
        });
        if let Err(e) = outcome.result {
            panic!("full build failed:\n{e}");
        }
        let expected = snapshot(&full.path().join("public"));
        let actual = snapshot(&self.out.path().join("public"));
        let expected_files: BTreeSet<&PathBuf> = expected.keys().collect();
        let actual_files: BTreeSet<&PathBuf> = actual.keys().collect();
        assert_eq!(actual_files, expected_files, "the same files");
        for (file, bytes) in &expected {
            assert!(
                actual[file] == *bytes,
                "{} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
                file.display(),
                String::from_utf8_lossy(&actual[file]),
                String::from_utf8_lossy(bytes)
            );
        }
        assert!(
            !has_empty_dirs(&self.out.path().join("public")),
            "no empty folders are left behind"
        );
    }
}

fn has_empty_dirs(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .any(|e| fs::read_dir(e.path()).unwrap().next().is_none())
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

fn rendered(r: &Rebuilt) -> BTreeSet<String> {
    r.rendered.iter().cloned().collect()
}

#[test]
fn a_new_title_renders_the_post_its_neighbours_series_tags_and_index_page() {
    let mut live = Live::start("live");
    let path = live.edit("content/posts/two.md", "title: Two", "title: Second");
    let r = live.rebuild(vec![path]);
    assert_eq!(
        rendered(&r),
        set(&[
            "/posts/two/",
            "/posts/one/",
            "/posts/three/",
            "/series/learning/",
            "/tags/rust/",
            "/page/2/",
            "/archive/",
            "/atom.xml",
            "/rss.xml",
            "/feed.json",
            "/series/learning/atom.xml",
            "/tags/rust/atom.xml",
            "/authors/live-author/page/2/",
            "/authors/live-author/atom.xml",
        ])
    );
    assert_eq!(r.written.len(), 14, "{:?}", r.written);
    live.assert_same_as_full_build();
}

#[test]
fn a_body_edit_renders_only_the_post_and_the_lists_showing_it() {
    let mut live = Live::start("live");
    let path = live.edit(
        "content/posts/two.md",
        "The end of two.",
        "The end of two, edited.",
    );
    let r = live.rebuild(vec![path]);
    assert_eq!(
        rendered(&r),
        set(&[
            "/posts/two/",
            "/series/learning/",
            "/tags/rust/",
            "/page/2/",
            "/authors/live-author/page/2/",
            "/atom.xml",
            "/rss.xml",
            "/feed.json",
        ]),
        "word counts changed on the cards, the site's feeds carry the body; the neighbours show only the title"
    );
    live.assert_same_as_full_build();

    let path = live.edit("content/posts/two.md", "edited", "changed");
    let r = live.rebuild(vec![path]);
    assert_eq!(
        rendered(&r),
        set(&["/posts/two/", "/atom.xml", "/rss.xml", "/feed.json"]),
        "same words, same cards; the site's feeds carry the body"
    );
    live.assert_same_as_full_build();
}

#[test]
fn unchanged_code_is_not_highlighted_again() {
    let mut live = Live::start("live");
    let blocks = live.live.highlighted_blocks();
    let path = live.edit("content/posts/one.md", "The end of one.", "The end.");
    live.rebuild(vec![path]);
    assert_eq!(live.live.highlighted_blocks(), blocks);
    let path = live.edit("content/posts/one.md", "fn one() {}", "fn one() { 1 }");
    live.rebuild(vec![path]);
    assert_eq!(live.live.highlighted_blocks(), blocks + 1);
    live.assert_same_as_full_build();
}

#[test]
fn added_and_removed_posts_match_a_full_build() {
    let mut live = Live::start("live");
    let path = live.write(
        "content/posts/six.md",
        "---\ntitle: Six\ndate: 2024-01-06\ntags: [rust, new]\nseries: Learning\nseries_part: 3\n---\nSixth.\n",
    );
    live.rebuild(vec![path]);
    live.assert_same_as_full_build();

    let path = live.root().join("content/posts/four.md");
    fs::remove_file(&path).unwrap();
    let r = live.rebuild(vec![path]);
    assert!(r.removed.contains(&PathBuf::from("posts/four/index.html")));
    assert!(r.removed.contains(&PathBuf::from("tags/misc/index.html")));
    live.assert_same_as_full_build();

    let dir = live.root().join("content/posts/trip");
    fs::remove_dir_all(&dir).unwrap();
    live.rebuild(vec![dir]);
    live.assert_same_as_full_build();
}

#[test]
fn templates_static_files_and_config_match_a_full_build() {
    let mut live = Live::start("live");
    let path = live.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 id=\"custom\">{{ title }}</h1>{{ content | safe }}{% endblock content %}",
    );
    let r = live.rebuild(vec![path]);
    assert_eq!(
        rendered(&r).len(),
        r.routes,
        "a template change renders every page"
    );
    assert_eq!(r.written, [PathBuf::from("about/index.html")]);
    live.assert_same_as_full_build();

    let path = live.write("static/extra.css", "body { color: red; }\n");
    let r = live.rebuild(vec![path]);
    assert!(r.rendered.is_empty());
    assert_eq!(r.written, [PathBuf::from("extra.css")]);
    assert!(r.only_stylesheets());
    live.assert_same_as_full_build();

    let path = live.edit("config.yaml", "title: Live", "title: Alive");
    let r = live.rebuild(vec![path]);
    assert_eq!(
        r.written.len(),
        r.routes - 1,
        "the title is on every page and feed, not in robots.txt"
    );
    assert!(!r.only_stylesheets());
    live.assert_same_as_full_build();

    let path = live.write("content/posts/trip/map.txt", "map\n");
    let r = live.rebuild(vec![path]);
    assert_eq!(r.written, [PathBuf::from("posts/trip/map.txt")]);
    live.assert_same_as_full_build();
}

#[test]
fn a_failed_rebuild_writes_nothing_and_the_next_good_one_catches_up() {
    let mut live = Live::start("live");
    let before = snapshot(&live.out.path().join("public"));
    let good = live.edit("content/posts/one.md", "title: One", "title: First");
    let bad = live.write("content/posts/bad.md", "---\ntitle: [unclosed\n---\n");
    let (_, result) = live.live.rebuild(&Changes {
        paths: vec![good.clone(), bad.clone()],
        everything: false,
    });
    let err = result.unwrap_err().to_string();
    assert!(err.contains("content/posts/bad.md:2:8"), "{err}");
    assert_eq!(before, snapshot(&live.out.path().join("public")));

    let bad = live.write(
        "content/posts/bad.md",
        "---\ntitle: Fixed\ndate: 2023-06-01\n---\n",
    );
    live.rebuild(vec![bad]);
    live.assert_same_as_full_build();
}

/// `rm -rf public/` while serving: later rebuilds wrote only the changed files (6 of 18).
/// An output removed, or changed by another program, is written whole again.
#[test]
fn an_output_removed_or_changed_behind_the_server_is_written_whole() {
    let mut live = Live::start("live");
    let public = live.out.path().join("public");
    fs::remove_dir_all(&public).unwrap();
    let path = live.edit("content/posts/two.md", "Second post.", "The second post.");
    live.rebuild(vec![path]);
    live.assert_same_as_full_build();

    // Another program empties one page and removes another: the next rebuild, whatever
    // changed, puts both back.
    fs::write(public.join("posts/one/index.html"), "").unwrap();
    fs::remove_file(public.join("tags/index.html")).unwrap();
    let path = live.edit("content/posts/two.md", "The end of two.", "The end.");
    live.rebuild(vec![path]);
    live.assert_same_as_full_build();
}

/// `serve` starts from what the last `build` kept: on an unchanged site its first rebuild
/// renders and writes nothing; and a `build` after it rewrites nothing unchanged (before,
/// serve's first build wrote every file and a build after serve rewrote every file).
#[test]
fn serve_starts_from_the_last_build_and_a_build_after_it_rewrites_nothing_unchanged() {
    let site = site("live");
    let root = site.path().canonicalize().unwrap();
    let build = || {
        let outcome = build_with(&root, |_| {});
        outcome.result.unwrap_or_else(|e| panic!("{e}"))
    };
    build();
    let again = build();
    assert_eq!(
        again.timings.pages_kept, 0,
        "the second build has a new staging folder"
    );
    let mut live = LiveSite::new(BuildOptions::new(&root));
    let (_, first) = live.rebuild(&Changes::everything());
    let first = first.unwrap();
    assert!(first.rendered.is_empty(), "{:?}", first.rendered);
    assert!(first.written.is_empty(), "{:?}", first.written);
    live.settle();
    drop(live);
    let after = build();
    assert_eq!(after.timings.bytes, 0, "nothing is written again");
    assert!(
        after.timings.pages_kept >= after.pages,
        "every page is kept"
    );
}

/// A file put beside a post that links to it (`![](cover.png)`, the post not a bundle) is
/// published with the next rebuild, though the post did not change.
#[test]
fn a_file_added_beside_a_post_that_links_to_it_is_published() {
    let mut live = Live::start("live");
    live.write(
        "content/posts/pictured.md",
        "---\ntitle: Pictured\ndate: 2024-03-01\n---\n![A cover](cover.png)\n",
    );
    let other = live.write("content/posts/spare.txt", "a file nobody links to");
    let post = live.root().join("content/posts/pictured.md");
    live.rebuild(vec![post, other]);
    let public = live.out.path().join("public");
    assert!(public.join("posts/pictured/index.html").exists());
    assert!(!public.join("posts/pictured/cover.png").exists());
    let cover = live.root().join("content/posts/cover.png");
    fs::write(&cover, PNG_4X3).unwrap();
    live.rebuild(vec![cover]);
    assert!(
        public.join("posts/pictured/cover.png").exists(),
        "the cover is published"
    );
}
