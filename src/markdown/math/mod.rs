//! Maths: `$...$` and `$$...$$` (pulldown-cmark's math syntax, which leaves a dollar followed
//! by a space or a digit alone, so prices stay prices) made into MathML at build time with
//! `pulldown-latex`. Browsers show MathML Core themselves: no script, no web font. The TeX
//! source goes with it as an annotation. A formula is measured against the maths budget
//! before it is parsed (`budget.rs`), and nothing it says becomes markup (`escape.rs`).

mod budget;
mod escape;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

pub(crate) use budget::{COMMAND_CHAIN, FORMULA_BYTES, GROUP_DEPTH, OverBudget};

/// A formula that is not made MathML: where it is in the Markdown and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// Byte range of what to point at (the formula with its dollars, or its opening dollars)
    /// in the Markdown text.
    pub offset: usize,
    pub width: usize,
    pub message: String,
    /// The words under the formula, and how to fix it.
    pub label: &'static str,
    pub hint: String,
}

/// Why a formula is not made MathML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The parser's words.
    Invalid(String),
    OverBudget(OverBudget),
}

impl Refusal {
    /// Whether the report points at the whole formula, or only at its opening dollars (a
    /// formula past the budget may be very long).
    pub(crate) fn whole(&self) -> bool {
        matches!(self, Self::Invalid(_))
    }

    pub(crate) fn message(&self) -> String {
        let grouped = |n: usize| crate::diagnostic::grouped(n as u64);
        match self {
            Self::Invalid(words) => format!("invalid maths: {words}"),
            Self::OverBudget(OverBudget::Bytes(bytes)) => format!(
                "formula too long: {} bytes, over the maths budget of {} bytes",
                grouped(*bytes),
                grouped(FORMULA_BYTES)
            ),
            Self::OverBudget(OverBudget::Depth(depth)) => format!(
                "formula nested too deep: {depth} groups, over the maths budget of {GROUP_DEPTH}"
            ),
            Self::OverBudget(OverBudget::Chain(chain)) => format!(
                "formula nested too deep: {chain} commands each given the next as its argument, over the maths budget of {COMMAND_CHAIN}"
            ),
            Self::OverBudget(OverBudget::Silent(run)) => format!(
                "formula nested too deep: {run} comments or commands that write nothing (\\relax) in a row, over the maths budget of {COMMAND_CHAIN}"
            ),
            Self::OverBudget(OverBudget::Macro(name)) => {
                format!("maths macros are not supported: `{name}`")
            }
        }
    }

    pub(crate) fn label(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "not valid LaTeX",
            Self::OverBudget(OverBudget::Bytes(_)) => "too long",
            Self::OverBudget(OverBudget::Macro(_)) => "a macro",
            Self::OverBudget(_) => "too deep",
        }
    }

    pub(crate) fn hint(&self) -> String {
        match self {
            Self::Invalid(_) => "fix the formula; to show a dollar sign as it is, write \\$".into(),
            Self::OverBudget(OverBudget::Bytes(_)) => "split it into several formulas".into(),
            Self::OverBudget(OverBudget::Depth(_)) => format!(
                "braces, \\left...\\right and \\begin...\\end nest at most {GROUP_DEPTH} deep in a formula: write it flatter"
            ),
            Self::OverBudget(OverBudget::Chain(_)) => {
                "write the arguments in braces: \\frac{1}{\\frac{1}{x}}, not \\frac1\\frac1x".into()
            }
            Self::OverBudget(OverBudget::Silent(_)) => {
                "remove the comments (%) or \\relax between the formula's parts".into()
            }
            Self::OverBudget(OverBudget::Macro(_)) => {
                "write the formula out without \\def, \\let or \\newcommand (a macro can expand without bound)".into()
            }
        }
    }
}

/// The MathML of formula `tex`, shown as a block (`$$...$$`) or in the line; why not, when
/// it is past the budget or not valid LaTeX.
pub(super) fn mathml(tex: &str, display: bool) -> Result<String, Refusal> {
    let tex = escape::source(tex.trim());
    budget::check(&tex).map_err(Refusal::OverBudget)?;
    let storage = Storage::new();
    let events = Parser::new(&tex, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            Refusal::Invalid(
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string),
            )
        })?;
    let owned: Vec<Option<String>> = events.iter().map(escape::text_to_guard).collect();
    let annotation = escape::annotation(&tex);
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let guarded = events.into_iter().zip(&owned).map(|(event, owned)| {
        Ok::<_, pulldown_latex::ParserError>(escape::guard(event, owned.as_deref()))
    });
    let mut out = String::with_capacity(tex.len() * 8);
    push_mathml(&mut out, guarded, config).map_err(|e| Refusal::Invalid(e.to_string()))?;
    Ok(escape::finish(out))
}

#[cfg(test)]
mod tests;
