//! Maths: `$...$` and `$$...$$` (pulldown-cmark's math syntax, which leaves a dollar followed
//! by a space or a digit alone, so prices stay prices) made into MathML at build time with
//! `pulldown-latex`. Browsers show MathML Core themselves: no script, no web font. The TeX
//! source goes with it as an annotation.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// A formula the LaTeX parser rejects: where it is in the Markdown and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// Byte range of the formula (with its dollars) in the Markdown text.
    pub offset: usize,
    pub width: usize,
    pub message: String,
}

/// The MathML of formula `tex`, shown as a block (`$$...$$`) or in the line; the parser's
/// message when it is not valid LaTeX.
pub(super) fn mathml(tex: &str, display: bool) -> Result<String, String> {
    let tex = tex.trim();
    let storage = Storage::new();
    let events = Parser::new(tex, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string)
        })?;
    // pulldown-latex writes the annotation and some text as it is: escaped here first, and
    // any `<` or `&` left in its text after (`<mo><</mo>`).
    let mut annotation = String::with_capacity(tex.len());
    pulldown_cmark_escape::escape_html_body_text(&mut annotation, tex).ok();
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(tex.len() * 8);
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, pulldown_latex::ParserError>),
        config,
    )
    .map_err(|e| e.to_string())?;
    Ok(escape_text(&out))
}

/// MathML with each `<` that starts no tag and each `&` that starts no entity escaped.
fn escape_text(mathml: &str) -> String {
    let bytes = mathml.as_bytes();
    let mut out = String::with_capacity(mathml.len() + 8);
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped = match b {
            b'<' => {
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                (!(next.is_ascii_alphabetic() || next == b'/' || next == b'!')).then_some("&lt;")
            }
            b'&' => {
                let rest = &mathml[i + 1..];
                let entity = rest.find(';').is_some_and(|end| {
                    end > 0
                        && end < 12
                        && rest[..end]
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || c == b'#')
                });
                (!entity).then_some("&amp;")
            }
            _ => None,
        };
        if let Some(escaped) = escaped {
            out.push_str(&mathml[copied..i]);
            out.push_str(escaped);
            copied = i + 1;
        }
    }
    out.push_str(&mathml[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::mathml;

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
        let error = mathml(r"\frac{a}", false).unwrap_err();
        assert!(!error.is_empty());
        assert!(!error.contains('\n'), "{error}");
    }
}
