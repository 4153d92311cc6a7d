use super::{OverBudget, Refusal, mathml};

#[test]
fn formulas_become_mathml_and_errors_say_why() {
    let inline = mathml("x^2", false).unwrap();
    assert!(inline.starts_with("<math"), "{inline}");
    assert!(inline.contains("<msup>"), "{inline}");
    assert!(inline.contains("x^2</annotation>"), "{inline}");
    let block = mathml(r"\frac{a}{b}", true).unwrap();
    assert!(block.contains("display=\"block\""), "{block}");
    assert!(block.contains("<mfrac>"), "{block}");
    // A `<` in a formula is text, never a tag.
    let less = mathml(r"0<p \le 1", false).unwrap();
    assert!(less.contains("<mo>&lt;</mo>"), "{less}");
    assert!(less.contains("0&lt;p \\le 1</annotation>"), "{less}");
    assert!(!less.contains("<p"), "{less}");
    let Err(Refusal::Invalid(error)) = mathml(r"\frac{a}", false) else {
        panic!("not an error")
    };
    assert!(!error.is_empty());
    assert!(!error.contains('\n'), "{error}");
    assert_eq!(
        mathml(&format!("{}x", r"\sqrt".repeat(40)), false),
        Err(Refusal::OverBudget(OverBudget::Chain(40)))
    );
}

/// The tags pulldown-latex writes.
const TAGS: [&str; 22] = [
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

/// Asserts that `html` has only pulldown-latex's tags, with attributes free of markup, and
/// text whose `&` start entities.
fn assert_safe(html: &str, tex: &str) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        assert!(!text.contains(['>', '"']), "raw text in {html} of {tex}");
        for (at, _) in text.match_indices('&') {
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;"]
                    .iter()
                    .any(|e| text[at..].starts_with(e)),
                "raw & in {html} of {tex}"
            );
        }
        let tag = &rest[lt + 1..];
        let end = tag
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html}"));
        let inside = &tag[..end];
        let name = inside
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        assert!(TAGS.contains(&name), "tag `<{inside}>` in {html} of {tex}");
        assert!(
            !inside.contains(['<', '&']),
            "markup in `<{inside}>` of {tex}"
        );
        assert_eq!(
            inside.matches('"').count() % 2,
            0,
            "broken attribute in {html} of {tex}"
        );
        rest = &tag[end + 1..];
    }
    assert!(!rest.contains(['>', '"']), "raw text at the end of {html}");
}

#[test]
fn no_command_turns_text_into_markup() {
    // Every command of pulldown-latex 0.8 that takes text or characters, and those it does not
    // have (an error, never markup), each given markup, a quote and ampersands.
    let commands = [
        r"\operatorname{P}",
        r"\text{P}",
        r"\textrm{P}",
        r"\textbf{P}",
        r"\textit{P}",
        r"\textsf{P}",
        r"\texttt{P}",
        r"\mathrm{P}",
        r"\mathbf{P}",
        r"\mathit{P}",
        r"\mathsf{P}",
        r"\mathtt{P}",
        r"\mathcal{P}",
        r"\mathbb{P}",
        r"\mathfrak{P}",
        r"\boldsymbol{P}",
        r"\mathop{P}",
        r"\mathord{P}",
        r"\mathbin{P}",
        r"\mathrel{P}",
        r"\mathopen{P}",
        r"\mathclose{P}",
        r"\mathpunct{P}",
        r"\mathinner{P}",
        r"\colorbox{red}{P}",
        r"\fcolorbox{red}{blue}{P}",
        r"\textcolor{red}{P}",
        r"\color{P} x",
        r"\begin{P} x \end{P}",
        r"\begin{array}{c} \text{P} \\ \operatorname{P} \end{array}",
        r"\begin{matrix} \text{P} & \mathrm{P} \end{matrix}",
        r"\overset{P}{x}",
        r"\underset{\text{P}}{x}",
        r"\underbrace{x}_{\text{P}}",
        r"\xrightarrow{\text{P}}",
        r"\sideset{P}{P}\sum",
        r"\substack{P}",
        r"x^{\text{P}}_{\operatorname{P}}",
        r"\sqrt[\text{P}]{\text{P}}",
        r"\frac{\text{P}}{\operatorname{P}}",
        r"\mbox{P}",
        r"\hbox{P}",
        r"\href{P}{P}",
        r"\url{P}",
        r"\label{P}",
        r"\tag{P}",
        r"\verb|P|",
        r"\boxed{P}",
    ];
    let payloads = [
        "<script>alert(1)</script>",
        "\"onmouseover=\"alert(1)",
        "&amp;&lt;&#60;",
        "</mi><script>",
        "<",
        "&",
        "\"",
    ];
    for command in commands {
        for payload in payloads {
            let tex = command.replace('P', payload);
            for display in [false, true] {
                if let Ok(html) = mathml(&tex, display) {
                    assert_safe(&html, &tex);
                }
            }
        }
    }
    // Characters that mean something in HTML, however they are written.
    for tex in [
        r"\char60 \char38 \char34 \char62",
        r"\lt \gt \# \& \backslash \not< \not>",
        r#"\mathrel{<} \mathbin{&} \mathord{"} \mathopen{<} \mathclose{>}"#,
        "\u{FDD0}\u{FDD2}",
        r"a~b\ c",
    ] {
        let html = mathml(tex, false).unwrap();
        assert_safe(&html, tex);
        assert!(!html.contains('\u{FDD0}'), "{html}");
    }
    let chars = mathml(r"\char60 \mathrel{<} \mathbin{&} \operatorname{<b>}", false).unwrap();
    assert!(chars.contains("<mi>&lt;</mi>"), "{chars}");
    assert!(chars.contains("<mo>&lt;</mo>"), "{chars}");
    assert!(chars.contains("&amp;</m"), "{chars}");
    assert!(chars.contains("<mi>&lt;b&gt;</mi>"), "{chars}");
    // `~` and `\ ` are spaces, not the letters `&nbsp;`.
    let spaces = mathml(r"a~b\ c", false).unwrap();
    assert_eq!(
        spaces.matches("<mspace width=\"0.3333em\" />").count(),
        2,
        "{spaces}"
    );
}

#[test]
fn formulas_within_the_budget_fit_in_half_a_thread_stack() {
    // The parser calls itself for each command given the next and each token that writes
    // nothing; at the budget's limits, a debug build needs well under the 2 MiB of a thread
    // (a few hundred overflowed it before the budget).
    let formulas = [
        format!("{}x", r"\frac1".repeat(32)),
        format!("x^{} y", r"\mathbf".repeat(31)),
        format!("{}x", r"\sqrt[3]".repeat(32)),
        format!("{} x", r"\not\cancel".repeat(16)),
        format!(
            "x{}y",
            r"\relax %c
"
            .repeat(16)
        ),
        format!(
            "{}{}{}",
            "{".repeat(100),
            r"\frac1".repeat(32),
            "}".repeat(100)
        ),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            for tex in &formulas {
                // Parsed, not refused: valid or not, it did not overflow.
                let result = mathml(tex, true);
                assert!(!matches!(result, Err(Refusal::OverBudget(_))), "{tex}");
            }
        })
        .unwrap();
    worker.join().unwrap();
}
