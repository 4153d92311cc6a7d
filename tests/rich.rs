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
