//! Rich posts (issue 15): maths as MathML, footnotes, pictures and components.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_err, build_ok, read, site};

#[test]
fn maths_becomes_mathml_and_prices_stay_text() {
    let dir = site("rich");
    build_ok(dir.path());
    let page = read(dir.path(), "posts/maths/index.html");
    assert!(
        page.contains("<math display=\"inline\"><semantics><mrow><msup><mi>e</mi>"),
        "{page}"
    );
    assert!(page.contains("<math display=\"block\">"));
    assert!(page.contains("<annotation encoding=\"application/x-tex\">\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}</annotation>"));
    assert!(page.contains("A coffee costs $5 and a\ncake $6, which is no formula."));
    assert!(page.contains("<code>$x$</code>"));
    assert!(page.contains("$y$\n"));
    assert_eq!(page.matches("<math").count(), 2);
    // No script and no font for it.
    assert!(!page.contains("<script src"));
}

#[test]
fn footnotes_are_listed_at_the_end_with_links_back() {
    let dir = site("rich");
    build_ok(dir.path());
    let page = read(dir.path(), "posts/maths/index.html");
    assert!(
        page.contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>")
    );
    assert!(
        page.contains("<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>")
    );
    assert!(page.contains("<li id=\"fn-1\">\n<p>Named after Leonhard Euler. <a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">\u{21a9}</a></p>\n</li>"));
    let list = page.find("<section class=\"footnotes\"").unwrap();
    assert!(page[list..].contains("Code is never maths."));
    assert!(page.find("stay as written").unwrap() < list);
}

#[test]
fn invalid_maths_is_an_error_at_the_formula() {
    let dir = site("bad_math");
    assert_eq!(
        build_err(dir.path()),
        "error: invalid maths: expected a token\n --> content/posts/bad.md:5:29\n  |\n5 | A fraction needs two parts: $\\frac{a}$ is not one.\n  |                             ^^^^^^^^^^ not valid LaTeX\n  |\n  = help: fix the formula; to show a dollar sign as it is, write \\$\n\nerror: invalid maths: unbalanced group found, expected it to be closed with `\\right`\n --> content/posts/bad.md:7:8\n  |\n7 | Nor is $\\left( x$ closed.\n  |        ^^^^^^^^^^ not valid LaTeX\n  |\n  = help: fix the formula; to show a dollar sign as it is, write \\$\n\n2 errors in content; nothing was written"
    );
}

#[test]
fn pictures_get_their_size_and_load_lazily_below_the_hero() {
    let dir = site("rich");
    let outcome = build_ok(dir.path());
    let page = read(dir.path(), "posts/pictured/index.html");
    assert!(page.contains("<img class=\"hero\" src=\"/posts/pictured/cover.png\" alt=\"\" width=\"32\" height=\"18\" decoding=\"async\" fetchpriority=\"high\">"), "{page}");
    assert!(page.contains("<img src=\"chart.png\" alt=\"Sales by month\" width=\"40\" height=\"30\" loading=\"lazy\" decoding=\"async\">"));
    assert!(page.contains("<img src=\"/img/wide.png\" alt=\"Banner\" width=\"64\" height=\"16\" loading=\"lazy\" decoding=\"async\">"));
    // The card on the index shows the picture as a thumbnail.
    let index = read(dir.path(), "index.html");
    assert!(index.contains("<img class=\"thumb\" src=\"/posts/pictured/cover.png\" alt=\"\" width=\"32\" height=\"18\" loading=\"lazy\" decoding=\"async\">"));
    // A picture without alt text is worth a warning.
    assert_eq!(
        outcome
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "warning: picture `chart.png` has no alt text\n  --> content/posts/pictured/index.md:12:31\n   |\n12 | And one nobody described: ![](chart.png)\n   |                               ^^^^^^^^^ no alt text\n   |\n   = help: say what it shows for readers who cannot see it: ![A chart of sales by year](chart.png)"
        ]
    );
}

#[test]
fn a_broken_or_oversized_picture_is_an_error_naming_it() {
    let dir = site("rich");
    let root = dir.path();
    std::fs::write(
        root.join("content/posts/pictured/chart.png"),
        b"not a picture",
    )
    .unwrap();
    // A header that claims 100,000 x 100,000 pixels (a decompression bomb).
    let mut bomb = common::PNG_4X3.to_vec();
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    std::fs::write(root.join("static/img/wide.png"), bomb).unwrap();
    let error = build_err(root);
    assert!(
        error
            .starts_with("error: picture `chart.png` cannot be shown: its header cannot be read ("),
        "{error}"
    );
    assert!(error.contains("error: picture `/img/wide.png` cannot be shown: it claims 100000x100000 pixels, more than the 100 million allowed\n  --> content/posts/pictured/index.md:10:42\n"), "{error}");
    assert!(error.contains(
        "= help: save it again as PNG, JPEG, WebP or GIF, at most 10,000 x 10,000 pixels"
    ));
}

#[test]
fn components_render_from_their_templates_but_never_in_code() {
    let dir = site("rich");
    build_ok(dir.path());
    let page = read(dir.path(), "posts/components/index.html");
    // A site's own component, inline.
    assert!(
        page.contains("<p>Press <kbd>Ctrl</kbd> and <kbd>C</kbd> to copy.</p>"),
        "{page}"
    );
    // The built-in ones: a figure through the pictures pipeline, details, a callout, a video
    // that loads nothing from the other site until it is followed.
    // The page's first picture (it has no hero): loaded at once, not lazily.
    assert!(page.contains("<figure class=\"figure\"><img src=\"/img/chart.png\" alt=\"Sales by month\" width=\"40\" height=\"30\" decoding=\"async\"><figcaption>Sales rose in spring.</figcaption></figure>"), "{page}");
    assert!(page.contains("<details class=\"details\"><summary>How it was measured</summary>\n<p>Every sale, <strong>counted</strong> once.</p>\n</details>"));
    assert!(page.contains(
        "<blockquote class=\"markdown-alert-tip\"><p class=\"markdown-alert-title\">Tip</p>"
    ));
    assert!(page.contains("<a class=\"video-poster\" href=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\">"));
    assert!(!page.contains("<iframe"));
    assert!(page.contains("<code>:kbd[x]</code>"));
    assert!(page.contains(":::details{summary=\"no\"}\n:::\n</code></pre>"));
}

#[test]
fn a_call_that_does_not_fit_its_component_is_an_error_with_a_hint() {
    let dir = site("bad_component");
    assert_eq!(
        build_err(dir.path()),
        "error: `figure` has no argument `captoin`\n --> content/posts/bad.md:5:1\n  |\n5 | :::figure{src=\"/x.png\" alt=\"X\" captoin=\"typo\"}\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ this call\n  |\n  = help: did you mean `caption`? `figure` takes: alt, caption, src\n\nerror: `details` needs `summary`\n --> content/posts/bad.md:8:1\n  |\n8 | :::details\n  | ^^^^^^^^^^ this call\n  |\n  = help: add summary=\"...\" to the call\n\nerror: no component `detials`\n  --> content/posts/bad.md:12:1\n   |\n12 | :::detials{summary=\"x\"}\n   | ^^^^^^^^^^^^^^^^^^^^^^^ this call\n   |\n   = help: did you mean `details`? The components are: callout, details, figure, video, youtube\n\n3 errors in content; nothing was written"
    );
}

#[test]
fn serve_checks_calls_again_when_a_component_changes() {
    use playpress::cmd::build::BuildOptions;
    use playpress::{Changes, LiveSite};
    let dir = site("rich");
    let root = dir.path().canonicalize().unwrap();
    let mut options = BuildOptions::new(&root);
    options.output = Some(root.join("public"));
    let mut live = LiveSite::new(options);
    live.rebuild(&Changes::everything()).1.unwrap();
    let template = root.join("templates/components/kbd.html");
    std::fs::write(&template, "{# args: key #}<kbd>{{ args.key }}</kbd>\n").unwrap();
    let error = live
        .rebuild(&Changes {
            paths: vec![template],
            everything: false,
        })
        .1
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("error: `kbd` needs `key`\n --> content/posts/components.md:5:7\n"),
        "{error}"
    );
}

/// Found in review: each of these broke a page or the build.
#[test]
fn component_markers_never_break_code_places_or_following_text() {
    let dir = site("rich");
    let root = dir.path();
    let post = |text: &str| {
        std::fs::write(
            root.join("content/posts/edge.md"),
            format!("---\ntitle: Edge\ndate: 2024-04-01\n---\n{text}"),
        )
        .unwrap();
    };
    // A call before a code block of an unknown language at the end (with a non-ASCII
    // character in it) panicked: the warning is at the fence as written.
    post(":kbd[x] first.\n\n```nope\né\n```\n");
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "warning: unknown code language `nope`\n --> content/posts/edge.md:7:1\n"
        )),
        "{warnings:?}"
    );
    // Code inside a list item stays code, and calls after it still work; an inline call that
    // starts a line leaves the rest of the paragraph Markdown.
    post("- ```sh\n  :kbd[no]\n  ```\n\n:kbd[Yes] and **bold** after.\nNext line *too*.\n");
    build_ok(root);
    let page = read(root, "posts/edge/index.html");
    assert!(
        page.contains(":kbd[no]") && !page.contains("<kbd>no</kbd>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<p><kbd>Yes</kbd> and <strong>bold</strong> after.\nNext line <em>too</em>.</p>"
        ),
        "{page}"
    );
    assert!(!page.contains('\u{E000}'));
    // `<` in maths is text.
    post("If $0<p \\le 1$ then it holds.\n");
    build_ok(root);
    let page = read(root, "posts/edge/index.html");
    assert!(page.contains("<mo>&lt;</mo>"), "{page}");
    assert!(page.contains("</math> then it holds.</p>"), "{page}");
}
