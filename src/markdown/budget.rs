//! The highlighter's budget: a block past it is shown as escaped plain text, with a warning.

/// Bytes in one line of a block the highlighter takes on: the grammars' regular expressions
/// can take time growing with the square of a line's length (200 KB of `a(` in C ran for
/// minutes), and no real code has lines this long.
pub(crate) const LINE_BUDGET: usize = 4 * 1024;

/// Bytes in one block the highlighter takes on: with lines within [`LINE_BUDGET`], a block
/// this large highlights in well under a second whatever it holds.
pub(crate) const BLOCK_BUDGET: usize = 256 * 1024;

/// Lines at most this long cost the highlighter time in proportion to their length, whatever
/// they hold: only longer ones count against [`LONG_LINES_BUDGET`].
pub(crate) const SHORT_LINE: usize = 256;

/// The long lines of one block the highlighter takes on, measured as the sum of their lengths
/// cubed: one line of this many bytes, or 13 of 640 bytes, or 213 of 257. Some grammars take
/// time growing with the cube of a line's length: a 3,880-byte line of maths in a ```sh block
/// took 12 s (found by the fuzzer), and one of 1,536 bytes of the same about 0.4 s.
pub(crate) const LONG_LINES_BUDGET: usize = 1536;

/// Why a block was not highlighted: the first limit it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverBudget {
    /// Line `line` (1-based, in the block) has `bytes` bytes.
    Line { line: usize, bytes: usize },
    /// The block has `bytes` bytes.
    Block { bytes: usize },
    /// The lines over [`SHORT_LINE`] bytes add up past [`LONG_LINES_BUDGET`]; the longest is
    /// line `line` (1-based), of `bytes` bytes.
    LongLines { line: usize, bytes: usize },
}

impl OverBudget {
    /// Checks `code` against the budgets: a deterministic measure, so the same post always
    /// gives the same page (a time limit would not).
    pub fn of(code: &str) -> Option<Self> {
        if code.len() > BLOCK_BUDGET {
            return Some(Self::Block { bytes: code.len() });
        }
        if code.len() <= SHORT_LINE {
            return None;
        }
        // The sum of the long lines' lengths cubed, in units of a budget's worth (as f64:
        // exact enough, and no overflow).
        let budget = (LONG_LINES_BUDGET as f64).powi(3);
        let mut work = 0.0;
        let mut longest = (0, 0);
        for (i, line) in code.split('\n').enumerate() {
            if line.len() > LINE_BUDGET {
                return Some(Self::Line {
                    line: i + 1,
                    bytes: line.len(),
                });
            }
            if line.len() > SHORT_LINE {
                work += (line.len() as f64).powi(3);
                if line.len() > longest.1 {
                    longest = (i + 1, line.len());
                }
            }
        }
        (work > budget).then_some(Self::LongLines {
            line: longest.0,
            bytes: longest.1,
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
            Self::LongLines { line, bytes } => format!(
                "code block not highlighted: its long lines are over the highlighter's budget (the longest, line {line}, has {} bytes; lines over {} bytes may add up to one line of {} bytes, their lengths counted cubed)",
                grouped(bytes),
                grouped(SHORT_LINE),
                grouped(LONG_LINES_BUDGET)
            ),
            Self::Block { bytes } => format!(
                "code block not highlighted: it has {} bytes, over the highlighter's budget of {} bytes a block",
                grouped(bytes),
                grouped(BLOCK_BUDGET)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_count_cubed_and_short_ones_not_at_all() {
        let line = |n: usize| "x".repeat(n);
        // Short lines never add up, however many.
        let short = vec![line(SHORT_LINE); 900].join("\n");
        assert_eq!(OverBudget::of(&short), None);
        // One line at the budget passes; one byte more does not.
        assert_eq!(OverBudget::of(&line(LONG_LINES_BUDGET)), None);
        assert_eq!(
            OverBudget::of(&format!("a\n{}", line(LONG_LINES_BUDGET + 1))),
            Some(OverBudget::LongLines {
                line: 2,
                bytes: LONG_LINES_BUDGET + 1
            })
        );
        // 13 lines of 640 bytes pass, 14 do not (640^3 * 14 > 1536^3).
        assert_eq!(OverBudget::of(&vec![line(640); 13].join("\n")), None);
        assert!(matches!(
            OverBudget::of(&vec![line(640); 14].join("\n")),
            Some(OverBudget::LongLines {
                line: 1,
                bytes: 640
            })
        ));
        // A line past the line budget is named as before.
        assert_eq!(
            OverBudget::of(&line(LINE_BUDGET + 1)),
            Some(OverBudget::Line {
                line: 1,
                bytes: LINE_BUDGET + 1
            })
        );
    }

    #[test]
    fn the_warning_names_the_longest_line_and_the_budget() {
        let text = OverBudget::LongLines {
            line: 3,
            bytes: 3880,
        }
        .describe();
        assert_eq!(
            text,
            "code block not highlighted: its long lines are over the highlighter's budget (the longest, line 3, has 3,880 bytes; lines over 256 bytes may add up to one line of 1,536 bytes, their lengths counted cubed)"
        );
    }
}
