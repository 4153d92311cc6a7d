//! The search index: made in the build from the rendered posts and pages (issue 14).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_ok, build_with, site};

/// The files under `public/pagefind/`, relative to it, sorted.
fn index_files(root: &std::path::Path) -> Vec<String> {
    let dir = root.join("public/pagefind");
    let mut files: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn the_index_is_built_with_the_site_and_listed_in_its_manifest() {
    let dir = site("search");
    let root = dir.path();
    build_ok(root);
    let files = index_files(root);
    for needed in ["pagefind.js", "pagefind-entry.json"] {
        assert!(files.iter().any(|f| f == needed), "{needed} in {files:?}");
    }
    assert!(files.iter().any(|f| f.ends_with(".pf_fragment")));
    let entry = std::fs::read_to_string(root.join("public/pagefind/pagefind-entry.json")).unwrap();
    // Posts and pages in English, and the Chinese post in its own language (`lang:`), so
    // that Pagefind cuts its text into words.
    assert!(entry.contains("\"en\":{"), "{entry}");
    assert!(entry.contains("\"zh-hant\":{"), "{entry}");
    let chinese = std::fs::read_to_string(root.join("public/posts/hong-kong/index.html")).unwrap();
    assert!(chinese.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hant\">"));
    assert!(chinese.contains("\"inLanguage\":\"zh-Hant\""));
    // Every index file is in the output's manifest: the next build trusts them.
    let manifests: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".public.playpress-tree")
        })
        .collect();
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    let manifest = std::fs::read_to_string(&manifests[0]).unwrap();
    for file in &files {
        assert!(
            manifest.contains(&format!("pagefind/{file}")),
            "{file} not in the manifest"
        );
    }
    // Pages mark what the index holds.
    let two = std::fs::read_to_string(root.join("public/posts/part-two/index.html")).unwrap();
    assert!(two.contains("<article class=\"post\" data-pagefind-body>"));
}

#[test]
fn drafts_are_never_indexed_and_a_warm_build_keeps_the_index() {
    let dir = site("search");
    let root = dir.path();
    assert_eq!(
        build_ok(root).result.unwrap().indexed,
        Some(4),
        "three posts, one in Chinese, and a page"
    );
    let before = index_files(root);
    let drafts = build_with(root, |o| o.drafts = true);
    assert!(drafts.result.is_ok());
    assert_eq!(index_files(root), before, "a draft shown is not indexed");
    let future = build_with(root, |o| o.future = true);
    assert!(future.result.is_ok());
    assert!(root.join("public/posts/later/index.html").exists());
    assert_eq!(
        index_files(root),
        before,
        "a future post shown is not indexed"
    );
    // Neither folder of the output holds the pages of a plain build now (drafts, then future
    // posts, were shown; their pages differ, so their indexes replaced the first in the
    // cache): the index is made again, the same as the first; then kept.
    let indexed = |outcome: playpress::cmd::build::Outcome| outcome.result.unwrap().indexed;
    assert_eq!(indexed(build_ok(root)), Some(4));
    assert_eq!(index_files(root), before);
    assert_eq!(indexed(build_ok(root)), None);
    assert_eq!(indexed(build_ok(root)), None);
    assert_eq!(index_files(root), before);
    // An edited post: the index is made again, once; the next build takes it from the output.
    let post = root.join("content/posts/part-one.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, text.replace("ownership", "borrowing")).unwrap();
    assert_eq!(indexed(build_ok(root)), Some(4));
    let after = index_files(root);
    assert_ne!(after, before);
    assert_eq!(indexed(build_ok(root)), None);
    assert_eq!(index_files(root), after);
}

#[test]
fn a_build_into_an_empty_output_takes_the_index_from_the_cache() {
    let dir = site("search");
    let root = dir.path();
    let first = build_ok(root).result.unwrap();
    assert_eq!((first.indexed, first.index_from_cache), (Some(4), None));
    let read = |root: &std::path::Path| {
        index_files(root)
            .into_iter()
            .map(|f| {
                (
                    std::fs::read(root.join("public/pagefind").join(&f)).unwrap(),
                    f,
                )
            })
            .collect::<Vec<_>>()
    };
    let made = read(root);
    std::fs::remove_dir_all(root.join("public")).unwrap();
    let again = build_ok(root).result.unwrap();
    assert_eq!((again.indexed, again.index_from_cache), (None, Some(4)));
    assert!(read(root) == made, "the same index, byte for byte");
    // Without the cache it is made, the same again.
    std::fs::remove_dir_all(root.join("public")).unwrap();
    let fresh = build_with(root, |o| o.no_cache = true).result.unwrap();
    assert_eq!((fresh.indexed, fresh.index_from_cache), (Some(4), None));
    assert!(read(root) == made);
    // A damaged pack is not used: the index is made again.
    let pack = root.join(".playpress-cache/search-v1.pack");
    let mut bytes = std::fs::read(&pack).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&pack, bytes).unwrap();
    std::fs::remove_dir_all(root.join("public")).unwrap();
    assert_eq!(build_ok(root).result.unwrap().indexed, Some(4));
    assert!(read(root) == made);
}

#[test]
fn an_output_without_an_index_takes_the_kept_one_only_for_the_same_pages() {
    let dir = site("search");
    let root = dir.path();
    build_ok(root);
    // No output and no staging folder (a fresh clone with the cache restored): the kept
    // index is read while the pages are fingerprinted.
    let empty = |root: &std::path::Path| {
        for folder in ["public", ".public.playpress-staging"] {
            let _ = std::fs::remove_dir_all(root.join(folder));
        }
    };
    empty(root);
    let again = build_ok(root).result.unwrap();
    assert_eq!((again.indexed, again.index_from_cache), (None, Some(4)));
    // A post changed: the kept index is of other pages, and a new one is made.
    let post = root.join("content/posts/hong-kong.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        format!("{text}\nOne more sentence about harbours.\n"),
    )
    .unwrap();
    empty(root);
    let changed = build_ok(root).result.unwrap();
    assert_eq!((changed.indexed, changed.index_from_cache), (Some(4), None));
}

#[test]
fn search_false_writes_no_index_and_marks_nothing() {
    let dir = site("search");
    let root = dir.path();
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    std::fs::write(
        root.join("config.yaml"),
        config.replace("search: true", "search: false"),
    )
    .unwrap();
    build_ok(root);
    assert!(!root.join("public/pagefind").exists());
    let two = std::fs::read_to_string(root.join("public/posts/part-two/index.html")).unwrap();
    assert!(!two.contains("pagefind"));
}

#[test]
fn the_index_is_the_same_from_build_to_build() {
    let (a, b) = (site("search"), site("search"));
    build_ok(a.path());
    build_ok(b.path());
    let files = index_files(a.path());
    assert_eq!(files, index_files(b.path()));
    for file in &files {
        let read = |root: &std::path::Path| {
            std::fs::read(root.join("public/pagefind").join(file)).unwrap()
        };
        assert!(read(a.path()) == read(b.path()), "{file} differs");
    }
}

#[test]
fn the_search_page_and_header_form_come_with_search() {
    let dir = site("search");
    let root = dir.path();
    build_ok(root);
    let page = std::fs::read_to_string(root.join("public/search/index.html")).unwrap();
    assert!(page.contains(
        "<link rel=\"modulepreload\" id=\"pagefind-js\" href=\"/pagefind/pagefind.js\">"
    ));
    // The Chinese post's index is searched beside the English one.
    assert!(page.contains("const languages = [\"zh-hant\"];"), "{page}");
    // The search page has its own field besides the header's, each search landmark named.
    assert!(page.contains("<input id=\"search-page-q\" type=\"search\" name=\"q\""));
    assert!(page.contains("<form class=\"search-form\" role=\"search\" aria-label=\"Site search\" action=\"/search/\">"));
    assert!(page.contains("role=\"search\" aria-label=\"Search the posts\""));
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    let post = std::fs::read_to_string(root.join("public/posts/part-one/index.html")).unwrap();
    assert!(post.contains("<form class=\"search-form\" role=\"search\" aria-label=\"Site search\" action=\"/search/\">"));
    // Only the search page loads the search code.
    assert!(!post.contains("<script src") && !post.contains("<script type=\"module\""));
    // Off: no search page, no form.
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    std::fs::write(
        root.join("config.yaml"),
        config.replace("search: true", "search: false"),
    )
    .unwrap();
    build_ok(root);
    assert!(!root.join("public/search").exists());
    let post = std::fs::read_to_string(root.join("public/posts/part-one/index.html")).unwrap();
    assert!(!post.contains("search-form"));
}

#[test]
fn a_static_file_in_the_index_folder_is_an_error() {
    let dir = site("search");
    let root = dir.path();
    std::fs::create_dir_all(root.join("static/pagefind")).unwrap();
    std::fs::write(root.join("static/pagefind/pagefind.js"), "// mine").unwrap();
    assert_eq!(
        common::build_err(root),
        "error: static/pagefind/pagefind.js would be replaced by the search index, which fills `/pagefind/`\n --> static/pagefind/pagefind.js\n  = help: move it out of that folder, or set `search: false` in config.yaml\n\n1 error in content; nothing was written"
    );
}

#[test]
fn a_post_in_another_language_says_so_and_a_bad_language_tag_is_an_error() {
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
        "---\ntitle: A\ndate: 2024-01-01\nlang: english please\n---\nText.\n",
    )
    .unwrap();
    assert_eq!(
        common::build_err(root),
        "error: invalid `lang` `english please`\n --> content/posts/a.md:4:7\n  |\n4 | lang: english please\n  |       ^^^^^^^^^^^^^^ not a language tag\n  |\n  = help: write a language tag such as `en`, `zh-Hant` or `pt-BR`\n\n1 error in content; nothing was written"
    );
    // Jekyll's `lang` and the longer `language` both name it; without search no index.
    std::fs::write(
        root.join("content/posts/a.md"),
        "---\ntitle: A\ndate: 2024-01-01\nlanguage: pt-BR\n---\nTexto.\n",
    )
    .unwrap();
    build_ok(root);
    let page = std::fs::read_to_string(root.join("public/posts/a/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"pt-BR\">"));
    let index = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(index.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(!root.join("public/pagefind").exists());
}

#[test]
fn check_takes_the_index_as_there_and_writes_nothing() {
    let dir = site("search");
    let root = dir.path();
    let out = common::playpress()
        .args(["check", "--strict", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.ends_with("links: no problems\n"), "{stdout}");
    assert!(!root.join("public").exists());
}

#[test]
fn serve_shows_an_edit_at_once_and_makes_the_index_again_when_idle() {
    use playpress::cmd::build::BuildOptions;
    use playpress::{Changes, LiveSite};
    let dir = site("search");
    let root = dir.path().canonicalize().unwrap();
    let mut options = BuildOptions::new(&root);
    options.output = Some(root.join("public"));
    let mut live = LiveSite::new(options);
    let first = live.rebuild(&Changes::everything()).1.unwrap();
    assert_eq!(first.indexed, Some(4), "the first build makes the index");
    assert!(live.index_if_due().is_none());
    let entry =
        || std::fs::read_to_string(root.join("public/pagefind/pagefind-entry.json")).unwrap();
    let before = entry();

    let post = root.join("content/posts/part-two.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nA quokka appears.\n")).unwrap();
    let edit = live
        .rebuild(&Changes {
            paths: vec![post],
            everything: false,
        })
        .1
        .unwrap();
    // The edit is served at once, with the index it had.
    assert_eq!(edit.indexed, None);
    assert!(edit.rendered.contains(&"/posts/part-two/".to_string()));
    assert_eq!(entry(), before);
    assert!(
        std::fs::read_to_string(root.join("public/posts/part-two/index.html"))
            .unwrap()
            .contains("quokka")
    );

    // When idle, the index is made again: the same as a full build's.
    let (_, index) = live.index_if_due().expect("the index is due");
    let index = index.unwrap();
    assert_eq!(index.indexed, Some(4));
    assert!(
        index.rendered.is_empty(),
        "no page changes: {:?}",
        index.rendered
    );
    assert!(live.index_if_due().is_none());
    live.settle();
    let full = site("search");
    std::fs::copy(
        root.join("content/posts/part-two.md"),
        full.path().join("content/posts/part-two.md"),
    )
    .unwrap();
    build_ok(full.path());
    assert_eq!(index_files(&root), index_files(full.path()));
    for file in index_files(full.path()) {
        let read =
            |r: &std::path::Path| std::fs::read(r.join("public/pagefind").join(&file)).unwrap();
        assert!(
            read(&root) == read(full.path()),
            "{file} differs from a full build's"
        );
    }
}
