//! The highlighter's budget: a block past it is shown as escaped plain text, with a warning.

/// Bytes in one line of a block the highlighter takes on: the grammars' regular expressions
/// can take time growing with the square of a line's length (200 KB of `a(` in C ran for
/// minutes), and no real code has lines this long.
pub(crate) const LINE_BUDGET: usize = 4 * 1024;

/// Bytes in one block the highlighter takes on: with lines within [`LINE_BUDGET`], a block
/// this large highlights in well under a second whatever it holds.
pub(crate) const BLOCK_BUDGET: usize = 256 * 1024;

/// Why a block was not highlighted: the first limit it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverBudget {
    /// Line `line` (1-based, in the block) has `bytes` bytes.
    Line { line: usize, bytes: usize },
    /// The block has `bytes` bytes.
    Block { bytes: usize },
}

impl OverBudget {
    /// Checks `code` against the budgets: a deterministic measure, so the same post always
    /// gives the same page (a time limit would not).
    pub fn of(code: &str) -> Option<Self> {
        if code.len() > BLOCK_BUDGET {
            return Some(Self::Block { bytes: code.len() });
        }
        if code.len() <= LINE_BUDGET {
            return None;
        }
        code.split('\n')
            .enumerate()
            .find(|(_, line)| line.len() > LINE_BUDGET)
            .map(|(i, line)| Self::Line {
                line: i + 1,
                bytes: line.len(),
            })
    }

    /// What a warning says.
    pub fn describe(self) -> String {
        let grouped = |n: usize| crate::diagnostic::grouped(n as u64);
        match self {
            Self::Line { line, bytes } => format!(
                "code block not highlighted: its line {line} has {} bytes, over the highlighter's budget of {} bytes a line",
                grouped(bytes),
                grouped(LINE_BUDGET)
            ),
            Self::Block { bytes } => format!(
                "code block not highlighted: it has {} bytes, over the highlighter's budget of {} bytes a block",
                grouped(bytes),
                grouped(BLOCK_BUDGET)
            ),
        }
    }
}
