//! Markdown under bad input: maths that carries markup or nests without end, and other
//! generators' syntax that is unclosed, nested or given wrong arguments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_err, build_ok, read, site};

/// The tags pulldown-latex writes: anything else inside `<math>` came from a formula's text.
const MATHML_TAGS: &[&str] = &[
    "annotation",
    "math",
    "merror",
    "mfrac",
    "mi",
    "mn",
    "mo",
    "mover",
    "mroot",
    "mrow",
    "mspace",
    "msqrt",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "semantics",
];

/// Reads one tag at the start of `text` (after its `<`): its length, or why it is not one
/// pulldown-latex writes (a known name, then ` name="value"` attributes whose values hold no
/// `<`, `>`, `"` or raw `&`).
fn tag_length(text: &str) -> Result<usize, String> {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'/'));
    let name_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_lowercase) {
        i += 1;
    }
    let name = &text[name_start..i];
    if !MATHML_TAGS.contains(&name) {
        return Err(format!("a tag `<{name}` pulldown-latex never writes"));
    }
    loop {
        match bytes.get(i) {
            Some(b'>') => return Ok(i + 1),
            Some(b' ') if text[i..].starts_with(" />") => return Ok(i + 3),
            Some(b' ') => {
                let rest = &text[i + 1..];
                let eq = rest
                    .find("=\"")
                    .ok_or_else(|| format!("an attribute without a value in `{rest}`"))?;
                if !rest[..eq].bytes().all(|b| b.is_ascii_lowercase()) {
                    return Err(format!(
                        "a broken attribute name in `<{name}{}`",
                        &text[i..]
                    ));
                }
                let value_start = i + 1 + eq + 2;
                let value_end = value_start
                    + text[value_start..]
                        .find('"')
                        .ok_or("an attribute never closed")?;
                let value = &text[value_start..value_end];
                if value.contains(['<', '>', '&']) {
                    return Err(format!("markup in the attribute `{value}`"));
                }
                i = value_end + 1;
            }
            _ => return Err(format!("a broken tag `<{}`", &text[..i.min(text.len())])),
        }
    }
}

/// Asserts every `<math>` of `html` holds only pulldown-latex's tags and escaped text.
fn assert_safe_mathml(html: &str) {
    let mut formulas = 0;
    for piece in html.split("<math").skip(1) {
        formulas += 1;
        let end = piece.find("</math>").expect("every formula is closed") + "</math>".len();
        let formula = format!("<math{}", &piece[..end]);
        let mut rest = formula.as_str();
        while let Some(lt) = rest.find('<') {
            let text = &rest[..lt];
            for (at, _) in text.match_indices('&') {
                let entity = &text[at..];
                assert!(
                    ["&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "a raw `&` in {formula}"
                );
            }
            assert!(
                !text.contains(['>', '"']),
                "raw `>` or `\"` in text of {formula}"
            );
            let length = tag_length(&rest[lt + 1..]).unwrap_or_else(|e| panic!("{e} in {formula}"));
            rest = &rest[lt + 1 + length..];
        }
    }
    assert!(formulas > 0, "no formula in the page");
}

#[test]
fn the_text_of_every_latex_command_is_escaped_in_mathml() {
    let dir = site("md_math_escape");
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = read(dir.path(), "posts/escape/index.html");
    let body = page
        .split("<div class=\"post-body\">")
        .nth(1)
        .unwrap()
        .split("</article>")
        .next()
        .unwrap();
    assert_safe_mathml(body);
    for markup in ["<script", "<b>", "<i>", "</mi><script>", "onmouseover=\""] {
        assert!(!body.contains(markup), "`{markup}` in {body}");
    }
    // The operator's name is shown as written, escaped.
    assert!(
        body.contains("<mi>&lt;script&gt;alert(1)&lt;/script&gt;</mi>"),
        "{body}"
    );
    assert!(
        body.contains("<mi>&quot;onmouseover=&quot;alert(1)</mi>"),
        "{body}"
    );
    assert!(body.contains("<mi>&amp;amp;&amp;lt;&amp;</mi>"), "{body}");
    assert!(body.contains("<mo>&lt;</mo>"), "{body}");
    // `~` and `\ ` are spaces, not the words `&nbsp;`.
    assert!(!body.contains("&amp;nbsp;"), "{body}");
    assert!(
        body.contains("<mi>a</mi><mspace width=\"0.3333em\" /><mi>b</mi>"),
        "{body}"
    );
}

#[test]
fn latex_commands_that_are_not_supported_are_errors_not_markup() {
    let dir = site("md_math_escape");
    std::fs::write(
        dir.path().join("content/posts/unsupported.md"),
        "---\ntitle: Unsupported\ndate: 2024-02-01\n---\n$\\mbox{<script>}$ $\\href{javascript:x}{<b>}$ $\\begin{<script>}x\\end{<script>}$ $\\color{\"red}x$\n",
    )
    .unwrap();
    let error = build_err(dir.path());
    assert_eq!(error.matches("error: invalid maths:").count(), 4, "{error}");
    assert!(
        error.ends_with("4 errors in content; nothing was written"),
        "{error}"
    );
    assert!(!dir.path().join("public/posts/unsupported").exists());
}

#[test]
fn maths_past_its_budget_is_an_error_at_its_line() {
    let dir = site("md_math_budget");
    // A formula over 64 KiB, on lines of its own after the first.
    let mut long = String::from("---\ntitle: Long\ndate: 2024-01-05\n---\nLong:\n\n$$\n");
    while long.len() < 70_000 {
        long.push_str("x + y + z + \\alpha +\n");
    }
    long.push_str("x\n$$\n");
    std::fs::write(dir.path().join("content/posts/long.md"), &long).unwrap();
    // 50,000 braces (the quadratic case) and 25,000 nested fractions: refused quickly.
    let braces = format!(
        "---\ntitle: Braces\ndate: 2024-01-06\n---\n${}x{}$\n",
        "{".repeat(50_000),
        "}".repeat(50_000)
    );
    std::fs::write(dir.path().join("content/posts/braces.md"), braces).unwrap();
    let fractions = format!(
        "---\ntitle: Fractions\ndate: 2024-01-07\n---\n$$\n{}x{}\n$$\n",
        "\\frac{".repeat(25_000),
        "}{y}".repeat(25_000)
    );
    std::fs::write(dir.path().join("content/posts/fractions.md"), fractions).unwrap();
    let error = build_err(dir.path());
    let long_bytes = long.split("$$\n").nth(1).unwrap().trim().len().to_string();
    let long_bytes = format!(
        "{},{}",
        &long_bytes[..long_bytes.len() - 3],
        &long_bytes[long_bytes.len() - 3..]
    );
    let expected = [
        "error: formula too long: 100,001 bytes, over the maths budget of 65,536 bytes\n --> content/posts/braces.md:5:1\n  |\n5 | ${{{{{{".to_string(),
        "error: formula nested too deep: 33 commands each given the next as its argument, over the maths budget of 32\n --> content/posts/chain.md:5:38\n  |\n5 | A continued fraction without braces: $\\frac1\\frac1".to_string(),
        "error: formula nested too deep: 101 groups, over the maths budget of 100\n --> content/posts/deep.md:7:1\n  |\n7 | $${{{{{{".to_string(),
        "error: formula too long: 250,001 bytes, over the maths budget of 65,536 bytes\n --> content/posts/fractions.md:5:1\n  |\n5 | $$\n  | ^^ too long\n  |\n  = help: split it into several formulas".to_string(),
        format!("error: formula too long: {long_bytes} bytes, over the maths budget of 65,536 bytes\n --> content/posts/long.md:7:1\n  |\n7 | $$\n  | ^^ too long\n  |\n  = help: split it into several formulas"),
        "error: maths macros are not supported: `\\newcommand`\n --> content/posts/macro.md:5:7\n  |\n5 | Reals $\\newcommand{\\R}{\\mathbb{R}} x \\in \\R$.\n  |       ^ a macro\n  |\n  = help: write the formula out without \\def, \\let or \\newcommand (a macro can expand without bound)".to_string(),
    ];
    let errors: Vec<&str> = error.split("\n\n").collect();
    assert_eq!(errors.len(), expected.len() + 1, "{error}");
    for (got, want) in errors.iter().zip(&expected) {
        assert!(
            got.starts_with(want.as_str()),
            "got:\n{got}\nwanted:\n{want}"
        );
    }
    assert!(errors[0].ends_with("^ too long\n  |\n  = help: split it into several formulas"));
    assert!(errors[1].ends_with(
        "^ too deep\n  |\n  = help: write the arguments in braces: \\frac{1}{\\frac{1}{x}}, not \\frac1\\frac1x"
    ));
    assert!(errors[2].ends_with(
        "^^ too deep\n  |\n  = help: braces, \\left...\\right and \\begin...\\end nest at most 100 deep in a formula: write it flatter"
    ));
    assert_eq!(errors[6], "6 errors in content; nothing was written");
}

#[test]
fn maths_within_its_budget_builds() {
    let dir = site("md_math_limits");
    let mut long = String::from("---\ntitle: Long\ndate: 2024-01-05\n---\n$$\n");
    let line = "x + y + z + \\alpha +\n";
    while long.len() + line.len() < 60_000 {
        long.push_str(line);
    }
    long.push_str("x\n$$\n");
    std::fs::write(dir.path().join("content/posts/long.md"), &long).unwrap();
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = read(dir.path(), "posts/limits/index.html");
    assert_eq!(page.matches("<math").count(), 4, "{page}");
    assert_eq!(page.matches("<mfrac>").count(), 32 + 200);
    assert!(read(dir.path(), "posts/long/index.html").contains("<math display=\"block\">"));
}

#[test]
fn maths_is_not_template_syntax() {
    let dir = site("md_dialect_maths");
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = read(dir.path(), "posts/maths/index.html");
    assert!(
        page.contains("<msup><mi>x</mi><mrow><mrow><mi>a</mi></mrow></mrow></msup>"),
        "{page}"
    );
    assert!(page.contains("<mfrac>"), "{page}");
    assert!(page.contains("y^{{b}}</annotation>"), "{page}");
    // Outside maths and code, Liquid is read as before.
    assert!(page.contains("and Rich outside."), "{page}");
    assert!(page.contains("Not maths: $ Rich $."), "{page}");
    assert!(page.contains("<code>{{ x }}</code>"), "{page}");
}

#[test]
fn unclosed_raw_comment_and_shortcodes_are_reported_at_their_line() {
    let dir = site("md_dialect_unclosed");
    let outcome = build_ok(dir.path());
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: `{% comment %}` is never closed: the rest of the post is shown\n --> content/posts/comment.md:7:1\n  |\n7 | {% comment %}\n  | ^^^^^^^^^^^^^ opened here\n  |\n  = help: end it with {% endcomment %}",
            "warning: `{{< figure` is never closed by `>}}`, shown as text\n --> content/posts/hugo.md:5:11\n  |\n5 | A picture {{< figure src=\"x.png\"\n  |           ^^^^^^^^^^ opened here\n  |\n  = help: end the shortcode with >}}",
            "warning: `{% raw %}` is never closed: the rest of the post is kept as written\n --> content/posts/raw.md:7:1\n  |\n7 | {% raw %}\n  | ^^^^^^^^^ opened here\n  |\n  = help: end it with {% endraw %}",
        ]
    );
    // What `{% raw %}` protects stays as written to the end of the post.
    let raw = read(dir.path(), "posts/raw/index.html");
    assert!(raw.contains("Before Rich."), "{raw}");
    assert!(raw.contains("Kept {{ site.title }} literally."), "{raw}");
    let hugo = read(dir.path(), "posts/hugo/index.html");
    assert!(hugo.contains("and more text."), "{hugo}");
    assert!(read(dir.path(), "posts/comment/index.html").contains("Never closed."));
}

#[test]
fn a_paired_shortcode_closes_the_innermost_open_one() {
    let dir = site("md_dialect_nesting");
    let outcome = build_ok(dir.path());
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = read(dir.path(), "posts/nested/index.html");
    let body = page.split("<div class=\"post-body\">").nth(1).unwrap();
    assert!(!body.contains("{{"), "{body}");
    assert!(!body.contains("{%"), "{body}");
    // The inner details inside the outer one, both closed where they should be.
    let outer = body.find("<summary>Outer</summary>").unwrap();
    let inner = body.find("<summary>Inner</summary>").unwrap();
    let outer_end = body.find("Outer end.").unwrap();
    assert!(outer < inner && inner < outer_end, "{body}");
    let closes: Vec<usize> = body.match_indices("</details>").map(|(i, _)| i).collect();
    assert_eq!(closes.len(), 2, "{body}");
    assert!(closes[0] < outer_end && outer_end < closes[1], "{body}");
    // The tip inside the warning, for Hugo and for Zola.
    for (outer, inner, after) in [
        ("markdown-alert-warning", "markdown-alert-tip", "Warn end."),
        ("markdown-alert-note", "markdown-alert-tip", "Note end."),
    ] {
        let at = body.find(outer).unwrap();
        let tip = at + body[at..].find(inner).unwrap();
        let end = body.find(after).unwrap();
        assert!(tip < end, "{body}");
        assert!(
            body[tip..end].contains("</blockquote>"),
            "the inner callout ends before `{after}`: {body}"
        );
        assert!(
            body[end..].contains("</blockquote>"),
            "the outer callout holds `{after}`: {body}"
        );
    }
}

#[test]
fn a_wrong_argument_is_an_error_at_its_line_with_a_did_you_mean() {
    let dir = site("md_bad_arguments");
    // Other generators' syntax is read with the front matter: its errors come first.
    assert_eq!(
        build_err(dir.path()),
        "error: `id` of `youtube()` is text, not an array\n --> content/posts/zola.md:5:1\n  |\n5 | {{ youtube(id=[\"a\", 2]) }}\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^ this shortcode\n  |\n  = help: write the video's id in quotes: youtube(id=\"dQw4w9WgXcQ\")\n\n1 error in content; nothing was written"
    );
    std::fs::write(
        dir.path().join("content/posts/zola.md"),
        "---\ntitle: Zola\ndate: 2024-01-01\n---\n{{ youtube(id=\"a2\") }}\n",
    )
    .unwrap();
    assert_eq!(
        build_err(dir.path()),
        "error: `kind` of `callout` is one of note, tip, important, warning, caution, not `tpi`\n --> content/posts/callout.md:5:1\n  |\n5 | :::callout{kind=tpi}\n  | ^^^^^^^^^^^^^^^^^^^^ this call\n  |\n  = help: did you mean `tip`? write kind=tip\n\n1 error in content; nothing was written"
    );
}
