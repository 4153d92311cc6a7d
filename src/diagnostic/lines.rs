//! The lines of one text, found once: where each starts, so that the many diagnostics of one
//! file find their line by a binary search, and their column without reading the file again.

use std::cell::Cell;

use super::Position;

/// Where the lines of a text start, and the last place asked: a column is counted from
/// there when the next place is on the same line, so places asked in order along one long
/// line cost the length of the line once, not once each.
#[derive(Debug)]
pub struct Lines<'a> {
    text: &'a str,
    /// The byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
    /// The last place found: (line index, byte offset, 1-based column).
    last: Cell<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Self {
            text,
            starts,
            last: Cell::new((0, 0, 1)),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 1-based line and column (in characters) of byte `offset`: the same as
    /// [`super::position_of`] (an offset past the end is the end, one inside a character is
    /// that character's start).
    pub fn position(&self, offset: usize) -> Position {
        let (index, offset) = self.place(offset);
        let column = self.column_at(index, offset);
        Position {
            line: index + 1,
            column,
        }
    }

    /// The 1-based line of byte `offset` (past the end: the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.place(offset).0 + 1
    }

    /// The byte offset where 1-based line `line` starts; `None` past the last line.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        self.starts.get(line.saturating_sub(1)).copied()
    }

    /// `offset` clamped to the text and moved back to a character's start, with the index of
    /// its line.
    pub(super) fn place(&self, offset: usize) -> (usize, usize) {
        let offset = super::char_start(self.text, offset);
        let index = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        (index, offset)
    }

    /// The byte range of line `index` (0-based) without its line ending (`\n`, and any `\r`
    /// before it); an empty range at the end past the last line.
    pub(super) fn bounds(&self, index: usize) -> (usize, usize) {
        let Some(&start) = self.starts.get(index) else {
            return (self.text.len(), self.text.len());
        };
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = self.text[start..end].trim_end_matches('\r');
        (start, start + line.len())
    }

    /// The text of 1-based line `line`, without its line ending; empty past the last line.
    pub fn line(&self, line: usize) -> &'a str {
        let (start, end) = self.bounds(line.saturating_sub(1));
        &self.text[start..end]
    }

    /// The 1-based column of byte `offset` (a character's start) of line `index`.
    fn column_at(&self, index: usize, offset: usize) -> usize {
        let start = self.starts.get(index).copied().unwrap_or(0);
        let count = |from: usize, to: usize| self.text[from..to].chars().count();
        let (last_index, last_offset, last_column) = self.last.get();
        let column = if last_index != index {
            1 + count(start, offset)
        } else if last_offset <= offset {
            last_column + count(last_offset, offset)
        } else if last_offset - offset < offset - start {
            last_column - count(offset, last_offset)
        } else {
            1 + count(start, offset)
        };
        self.last.set((index, offset, column));
        column
    }

    /// Where `position` is in its line: the byte offset in the line's text (without its
    /// line ending), and how many columns the position is past the line's end (0 inside it).
    pub(super) fn in_line(&self, position: Position) -> (usize, usize) {
        let index = position.line.saturating_sub(1);
        let (start, end) = self.bounds(index);
        let wanted = position.column.max(1);
        let (last_index, last_offset, last_column) = self.last.get();
        // Start from the last place when it is on this line and nearer than the line's start.
        let (mut offset, mut column) =
            if last_index == index && last_offset <= end && last_column <= wanted {
                (last_offset, last_column)
            } else {
                (start, 1)
            };
        if last_index == index
            && last_offset <= end
            && wanted < last_column
            && last_column - wanted < wanted
        {
            let back = last_column - wanted;
            let found = self.text[start..last_offset]
                .char_indices()
                .rev()
                .nth(back - 1);
            if let Some((i, _)) = found {
                (offset, column) = (start + i, wanted);
            }
        }
        for c in self.text[offset..end].chars() {
            if column == wanted {
                break;
            }
            offset += c.len_utf8();
            column += 1;
        }
        self.last.set((index, offset, column));
        (offset - start, wanted - column)
    }
}

#[cfg(test)]
mod tests {
    use super::super::position_of;
    use super::*;

    /// Every offset of `text` (and a few past its end) in order, then backwards, then
    /// jumping about: the index says what `position_of` says.
    fn agrees(text: &str) {
        let lines = Lines::new(text);
        let forward: Vec<usize> = (0..text.len() + 3).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        let jumping: Vec<usize> = (0..forward.len())
            .map(|i| (i * 7919) % forward.len())
            .collect();
        for offset in forward.iter().chain(&backward).chain(&jumping) {
            assert_eq!(
                lines.position(*offset),
                position_of(text, *offset),
                "offset {offset} of {text:?}"
            );
        }
    }

    #[test]
    fn positions_agree_with_position_of() {
        agrees("");
        agrees("a");
        agrees("\n");
        agrees("\n\n");
        agrees("ab\nçd\nef");
        agrees("ab\nçd\nef\n");
        agrees("first\r\nsecond\r\n\r\nlast");
        agrees("香港 is\n two 字 wide\nand é\u{301} combines\n");
        agrees(&"word 香港 ".repeat(300));
        agrees(&"line\n".repeat(200));
    }

    #[test]
    fn lines_have_no_line_endings() {
        let lines = Lines::new("one\r\ntwo\nthree\r\r\n");
        assert_eq!(lines.line(1), "one");
        assert_eq!(lines.line(2), "two");
        assert_eq!(lines.line(3), "three");
        assert_eq!(lines.line(4), "");
        assert_eq!(lines.line(9), "");
        assert_eq!(lines.line(0), "one");
    }

    #[test]
    fn columns_are_found_in_their_line() {
        let text = "ab\nçd香e\nlast";
        let lines = Lines::new(text);
        let at = |line, column| lines.in_line(Position { line, column });
        assert_eq!(at(2, 1), (0, 0));
        assert_eq!(at(2, 3), (3, 0));
        assert_eq!(at(2, 4), (6, 0));
        assert_eq!(at(2, 2), (2, 0));
        assert_eq!(at(2, 5), (7, 0));
        assert_eq!(at(2, 7), (7, 2));
        assert_eq!(at(3, 4), (3, 0));
        assert_eq!(at(1, 2), (1, 0));
        assert_eq!(at(5, 2), (0, 1));
        // In any order along a line, as from its start.
        let long = "é".repeat(100);
        let lines = Lines::new(&long);
        for column in [50, 10, 90, 89, 1, 100, 101, 60, 59] {
            let (offset, past) = lines.in_line(Position { line: 1, column });
            assert_eq!(
                (offset, past),
                ((column.min(101) - 1) * 2, column.saturating_sub(101))
            );
        }
    }
}
