//! User-facing problem reports: a file, an optional position with a snippet of the source,
//! what is wrong and how to fix it. Every error and warning the generator prints goes
//! through [`Diagnostic`] (a problem in a user's file, or with a folder, a port, a lock),
//! so they all look the same.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

mod lines;

pub use lines::Lines;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The source line a diagnostic points into, kept so the report can show it: the whole
/// line when it is short, else a window of it around the position (a diagnostic never holds
/// more than a few KiB of its file, however long the line).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Excerpt {
    position: Position,
    line_text: String,
    /// The 1-based column of the position in `line_text`: `position.column` unless the text
    /// is a window of the line.
    column: usize,
    /// Width of the underline, in characters (at least 1).
    width: usize,
}

/// A line longer than this (in bytes) is kept as a window around the position.
const LONG_LINE: usize = 1024;
/// The characters a window keeps on each side of the underline, and at most under it: more
/// than a terminal shows, so the report looks as it would with the whole line.
const WINDOW: usize = 200;

impl Excerpt {
    /// The excerpt of `line` (without its line ending) for a diagnostic at `position`;
    /// `at` tells, when the line is long, the byte of the line the position is at and how
    /// many columns past the line's end it is.
    fn new(
        line: &str,
        position: Position,
        width: usize,
        at: impl FnOnce() -> (usize, usize),
    ) -> Self {
        let width = width.max(1);
        if line.len() <= LONG_LINE {
            return Self {
                position,
                line_text: line.to_string(),
                column: position.column,
                width,
            };
        }
        let (mut at, past) = at();
        at = at.min(line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        let start = line[..at]
            .char_indices()
            .rev()
            .nth(WINDOW - 1)
            .map_or(0, |(i, _)| i);
        let end = line[at..]
            .char_indices()
            .nth(width.min(WINDOW) + WINDOW)
            .map_or(line.len(), |(i, _)| at + i);
        Self {
            position,
            line_text: line[start..end].to_string(),
            column: line[start..at].chars().count() + 1 + past,
            width,
        }
    }
}

/// One problem: in a user's file, or with what a command was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user knows it (relative to the site root where possible); empty
    /// for a problem that is not in a file.
    pub file: PathBuf,
    pub message: String,
    /// Short text under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Lines under the message and notes, when there are any.
    more: Option<Box<More>>,
    excerpt: Option<Box<Excerpt>>,
}

/// What few diagnostics have: kept apart, so the common ones stay small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct More {
    /// Lines shown under the message: another tool's own report (a template engine's).
    detail: Option<String>,
    /// What else helps to understand it (`= note:` lines).
    notes: Vec<String>,
    /// Diagnostics of one group (the same unknown key in many files) are reported once,
    /// with the count and the first places: see [`Diagnostics::sorted`].
    group: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), message.into())
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), message.into())
    }

    pub fn new(severity: Severity, file: PathBuf, message: String) -> Self {
        Self {
            severity,
            file,
            message,
            label: None,
            hint: None,
            more: None,
            excerpt: None,
        }
    }

    /// An error that is not about one file: a folder, a port, an option.
    pub fn general(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, PathBuf::new(), message.into())
    }

    /// Adds lines under the message, as another tool reported the problem.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.more.get_or_insert_default().detail = Some(detail.into());
        self
    }

    /// Puts the diagnostic in group `key`: all of one group are reported as one.
    pub fn grouped(mut self, key: impl Into<String>) -> Self {
        self.more.get_or_insert_default().group = Some(key.into());
        self
    }

    fn group(&self) -> Option<&str> {
        self.more.as_ref().and_then(|m| m.group.as_deref())
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.more.get_or_insert_default().notes.push(note.into());
        self
    }

    /// Points the diagnostic at `position` in `source` (the whole file text), underlining
    /// `width` characters. For several diagnostics in one file, [`Diagnostic::at_in`] finds
    /// the line sooner.
    pub fn at(mut self, source: &str, position: Position, width: usize) -> Self {
        let bytes = source.as_bytes();
        let start = match position.line.saturating_sub(1) {
            0 => Some(0),
            n => memchr::memchr_iter(b'\n', bytes).nth(n - 1).map(|i| i + 1),
        };
        let line = start.map_or("", |start| {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(source.len(), |i| start + i);
            source[start..end].trim_end_matches('\r')
        });
        let at = || {
            let mut chars = line.char_indices().map(|(i, _)| i).chain([line.len()]);
            let wanted = position.column.max(1);
            match chars.nth(wanted - 1) {
                Some(at) => (at, 0),
                None => (line.len(), wanted - 1 - line.chars().count()),
            }
        };
        self.excerpt = Some(Box::new(Excerpt::new(line, position, width, at)));
        self
    }

    /// Points the diagnostic at `position` of the text of `lines`, underlining `width`
    /// characters: as [`Diagnostic::at`], with the line found in the index.
    pub fn at_in(mut self, lines: &Lines<'_>, position: Position, width: usize) -> Self {
        let line = lines.line(position.line);
        let at = || lines.in_line(position);
        self.excerpt = Some(Box::new(Excerpt::new(line, position, width, at)));
        self
    }

    /// Points the diagnostic at a byte offset in `source`. For several diagnostics in one
    /// file, [`Diagnostic::at_offset_in`] does not read the file again for each.
    pub fn at_offset(self, source: &str, offset: usize, width: usize) -> Self {
        let position = position_of(source, offset);
        let offset = char_start(source, offset);
        let bytes = source.as_bytes();
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(source.len(), |i| offset + i);
        self.pointed(&source[start..end], offset - start, position, width)
    }

    /// Points the diagnostic at byte `offset` of the text of `lines`.
    pub fn at_offset_in(self, lines: &Lines<'_>, offset: usize, width: usize) -> Self {
        let position = lines.position(offset);
        let (index, offset) = lines.place(offset);
        let (start, end) = lines.bounds(index);
        self.pointed(&lines.text()[start..end], offset - start, position, width)
    }

    /// Points the diagnostic at `position`, byte `at` of `line` (its line ending cut off or
    /// not: the position is past the line's end only by its `\r`, a byte a column).
    fn pointed(mut self, line: &str, at: usize, position: Position, width: usize) -> Self {
        let line = line.trim_end_matches('\r');
        let at = || (at.min(line.len()), at.saturating_sub(line.len()));
        self.excerpt = Some(Box::new(Excerpt::new(line, position, width, at)));
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn position(&self) -> Option<Position> {
        self.excerpt.as_ref().map(|e| e.position)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The report as printed to the terminal (no colours).
    pub fn render(&self) -> String {
        let path = self.file.display().to_string();
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        match &self.excerpt {
            Some(excerpt) => {
                let (start, end) = char_span(&excerpt.line_text, excerpt.column, excerpt.width);
                let mut annotation = AnnotationKind::Primary.span(start..end);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                let snippet = Snippet::source(excerpt.line_text.as_str())
                    .line_start(excerpt.position.line)
                    .path(path.as_str())
                    .annotation(annotation);
                let mut group = level.primary_title(self.message.as_str()).element(snippet);
                for note in self.more.as_deref().map_or(&[][..], |m| &m.notes[..]) {
                    group = group.element(Level::NOTE.message(note.as_str()));
                }
                if let Some(hint) = &self.hint {
                    group = group.element(Level::HELP.message(hint.as_str()));
                }
                let report = Renderer::plain().render(&[group]);
                excerpt.with_column(report, &path, start)
            }
            None => {
                let word = match self.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut out = format!("{word}: {}", self.message);
                if !path.is_empty() {
                    out.push_str(&format!("\n --> {path}"));
                }
                let more = self.more.as_deref();
                if let Some(detail) = more.and_then(|m| m.detail.as_ref()) {
                    out.push('\n');
                    out.push_str(detail);
                }
                let notes = more
                    .map_or(&[][..], |m| &m.notes[..])
                    .iter()
                    .map(|n| ("note", n));
                for (kind, text) in notes.chain(self.hint.iter().map(|h| ("help", h))) {
                    // Continuation lines line up under the first, as in snippet reports.
                    out.push_str(&format!("\n  = {kind}: "));
                    out.push_str(&text.replace('\n', "\n          "));
                }
                out
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Several diagnostics reported together, errors first, in file and line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// How many other places of a group a report names.
const GROUP_PLACES: usize = 3;

impl Diagnostics {
    /// Errors first, then by file and position; each group reported once, at its first place,
    /// with the count and the next few places.
    pub fn sorted(mut list: Vec<Diagnostic>) -> Self {
        list.sort_by(|a, b| {
            (a.severity, &a.file, a.position()).cmp(&(b.severity, &b.file, b.position()))
        });
        Self(merge_groups(list))
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            f.write_str(&d.render())?;
        }
        Ok(())
    }
}

/// `list` with each group kept at its first member, which names how many there are and where
/// the next few are. Linear in the number of diagnostics.
pub(crate) fn merge_groups(list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Each group's members, and where in the list the group stands (its first member).
    let mut out: Vec<Option<Diagnostic>> = Vec::with_capacity(list.len());
    let mut groups: std::collections::HashMap<String, (usize, Vec<Diagnostic>)> =
        std::collections::HashMap::new();
    for d in list {
        match d.group().map(str::to_string) {
            None => out.push(Some(d)),
            Some(key) => match groups.get_mut(&key) {
                Some((_, members)) => members.push(d),
                None => {
                    groups.insert(key, (out.len(), vec![d]));
                    out.push(None);
                }
            },
        }
    }
    for (index, mut members) in groups.into_values() {
        // The first place in file order reports the group, whatever order they came in.
        members.sort_by(|a, b| (&a.file, a.position()).cmp(&(&b.file, b.position())));
        let files: std::collections::HashSet<&Path> =
            members.iter().map(|d| d.file.as_path()).collect();
        let (count, files) = (members.len(), files.len());
        let places: Vec<String> = members
            .iter()
            .skip(1)
            .take(GROUP_PLACES)
            .map(Diagnostic::place)
            .collect();
        let mut first = members.swap_remove(0);
        if count > 1 {
            first.message = if files > 1 {
                format!("{}, in {files} files", first.message)
            } else {
                format!("{}, {count} times", first.message)
            };
            let rest = count - 1 - places.len();
            let mut note = format!("also in {}", places.join(", "));
            if rest > 0 {
                note.push_str(&format!(" and {rest} more"));
            }
            first.more.get_or_insert_default().notes.push(note);
        }
        if let Some(slot) = out.get_mut(index) {
            *slot = Some(first);
        }
    }
    out.into_iter().flatten().collect()
}

impl Diagnostic {
    /// `file:line`, or the file alone.
    fn place(&self) -> String {
        match self.position() {
            Some(p) => format!("{}:{}", self.file.display(), p.line),
            None => self.file.display().to_string(),
        }
    }
}

impl Excerpt {
    /// `report`, rendered from this excerpt with the underline from byte `start` of its
    /// text, with the column of the position in the line where the text is a window of it
    /// (the renderer counts columns in the text it is given).
    fn with_column(&self, report: String, path: &str, start: usize) -> String {
        if self.column == self.position.column {
            return report;
        }
        // The renderer names the column it underlines: the position's, or the text's end.
        let shown = self.line_text[..start].chars().count() + 1;
        let column = (self.position.column).saturating_sub(self.column.saturating_sub(shown));
        let line = self.position.line;
        report.replacen(
            &format!("--> {path}:{line}:{shown}\n"),
            &format!("--> {path}:{line}:{column}\n"),
            1,
        )
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `source`. For several
/// offsets in one text, [`Lines::position`] does not read the text again for each.
pub fn position_of(source: &str, offset: usize) -> Position {
    let offset = char_start(source, offset);
    let before = &source.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    Position { line, column }
}

/// `offset` within `source`: its end past it, the character's start inside one.
fn char_start(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Byte range within `line` of `width` characters starting at 1-based character `column`.
fn char_span(line: &str, column: usize, width: usize) -> (usize, usize) {
    let mut indices = line
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line.len()));
    let start = indices.nth(column.saturating_sub(1)).unwrap_or(line.len());
    let end = line[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain(std::iter::once(line.len()))
        .nth(width)
        .unwrap_or(line.len());
    (start, end.max(start))
}

/// Shows `path` relative to `root` when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// The closest of `candidates` to `word` within `max_edits` edits, found quickly among many
/// candidates: those whose length or letters differ by more are skipped without measuring.
pub fn closest_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max_edits: usize,
) -> Option<&'a str> {
    let histogram = |s: &str| {
        let mut h = [0i32; 64];
        for b in s.bytes() {
            h[usize::from(b % 64)] += 1;
        }
        h
    };
    let wanted = histogram(word);
    candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(word.len()) <= max_edits)
        .filter(|c| {
            // Each edit changes at most two counts by one: a cheap lower bound.
            let h = histogram(c);
            let diff: i32 = h.iter().zip(&wanted).map(|(a, b)| (a - b).abs()).sum();
            usize::try_from(diff).unwrap_or(usize::MAX) <= 2 * max_edits
        })
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= max_edits)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// `n` with the noun that fits it, for the lines the commands print: "1 page", "3 pages".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A number with thousands separators: `999,999,994`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(999_999_994), "999,999,994");
    }

    #[test]
    fn position_counts_lines_and_chars() {
        let s = "ab\nçd\nef";
        assert_eq!(position_of(s, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of(s, 3), Position { line: 2, column: 1 });
        assert_eq!(position_of(s, 5), Position { line: 2, column: 2 });
        assert_eq!(position_of(s, 7), Position { line: 3, column: 1 });
        assert_eq!(position_of(s, 8), Position { line: 3, column: 2 });
    }

    /// The diagnostic as it was made before lines were cut to a window: the whole line.
    fn with_whole_line(d: &Diagnostic, source: &str) -> Diagnostic {
        let mut whole = d.clone();
        if let Some(excerpt) = whole.excerpt.as_deref_mut() {
            let line = source.lines().nth(excerpt.position.line - 1).unwrap_or("");
            excerpt.line_text = line.trim_end_matches('\r').to_string();
            excerpt.column = excerpt.position.column;
        }
        whole
    }

    #[test]
    fn a_long_line_is_kept_as_a_window_and_shown_as_the_whole() {
        let line = "word 香港 ".repeat(100_000);
        let source = format!("---\ntitle: x\n---\n{line}\nafter\n");
        let lines = Lines::new(&source);
        let starts = [
            19,
            20,
            21,
            500,
            4_000,
            4_001,
            400_000,
            1_199_990,
            source.len() - 7,
        ];
        for offset in starts {
            let d = Diagnostic::warning("a.md", "oops")
                .with_label("here")
                .with_hint("fix it");
            let alone = d.clone().at_offset(&source, offset, 3);
            let indexed = d.clone().at_offset_in(&lines, offset, 3);
            assert_eq!(alone, indexed, "offset {offset}");
            let position = position_of(&source, offset);
            assert_eq!(alone.position(), Some(position));
            assert_eq!(d.clone().at(&source, position, 3), alone, "offset {offset}");
            assert_eq!(
                d.clone().at_in(&lines, position, 3),
                alone,
                "offset {offset}"
            );
            let held = alone.excerpt.as_ref().map_or(0, |e| e.line_text.len());
            assert!(
                held < 4 * 3 * WINDOW,
                "{held} bytes kept at offset {offset}"
            );
            let shown = alone.render();
            assert_eq!(
                shown,
                with_whole_line(&alone, &source).render(),
                "offset {offset}"
            );
            let place = format!("a.md:{}:{}\n", position.line, position.column);
            assert!(shown.contains(&place), "{shown}");
        }
    }

    #[test]
    fn every_way_of_pointing_agrees() {
        let long = "é-".repeat(700);
        let source = format!("a\r\nçd\n\n{long}\r\n{long}\nlast");
        let lines = Lines::new(&source);
        for offset in 0..source.len() + 2 {
            let d = Diagnostic::error("a.md", "oops");
            let position = position_of(&source, offset);
            let alone = d.clone().at_offset(&source, offset, 2);
            assert_eq!(alone.position(), Some(position));
            assert_eq!(d.clone().at_offset_in(&lines, offset, 2), alone, "{offset}");
            assert_eq!(d.clone().at(&source, position, 2), alone, "{offset}");
            assert_eq!(d.clone().at_in(&lines, position, 2), alone, "{offset}");
            if position.line < 4 || position.line == 6 {
                // A short line is kept whole, as it always was.
                let whole = with_whole_line(&alone, &source);
                assert_eq!(alone, whole, "{offset}");
            }
        }
    }

    #[test]
    fn a_position_past_a_long_line_is_shown_at_its_end() {
        let source = format!("{}\n", "x".repeat(5_000));
        let d = Diagnostic::error("a.md", "oops").at(
            &source,
            Position {
                line: 1,
                column: 5_010,
            },
            1,
        );
        assert_eq!(
            d.position(),
            Some(Position {
                line: 1,
                column: 5_010
            })
        );
        assert_eq!(d.render(), with_whole_line(&d, &source).render());
        assert!(d.render().contains("a.md:1:5001\n"), "{}", d.render());
    }

    #[test]
    fn a_wide_underline_on_a_long_line_is_cut() {
        let source = "y".repeat(1_000_000);
        let d = Diagnostic::error("a.md", "oops").at_offset(&source, 10, 1_000_000);
        assert!(d.render().len() < 4 * WINDOW * 3, "{}", d.render().len());
    }

    #[test]
    fn renders_snippet_with_hint() {
        let source = "---\ntitle: a: b\n---\n";
        let d = Diagnostic::error("content/posts/x.md", "bad YAML")
            .at(source, Position { line: 2, column: 9 }, 1)
            .with_label("here")
            .with_hint("quote it");
        assert_eq!(
            d.render(),
            "error: bad YAML\n --> content/posts/x.md:2:9\n  |\n2 | title: a: b\n  |         ^ here\n  |\n  = help: quote it"
        );
    }

    #[test]
    fn renders_without_snippet() {
        let d = Diagnostic::warning("config.yaml", "something").with_hint("fix it");
        assert_eq!(
            d.render(),
            "warning: something\n --> config.yaml\n  = help: fix it"
        );
    }

    #[test]
    fn multi_line_hints_are_indented() {
        let d = Diagnostic::error("a.md", "oops").with_hint("first\nsecond");
        assert_eq!(
            d.render(),
            "error: oops\n --> a.md\n  = help: first\n          second"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["title", "date", "tags", "summary"];
        assert_eq!(did_you_mean("tittle", keys), Some("title"));
        assert_eq!(did_you_mean("tag", keys), Some("tags"));
        assert_eq!(did_you_mean("layout", keys), None);
    }

    #[test]
    fn closest_within_a_few_edits() {
        let paths = ["/posts/hello/", "/posts/world/", "/tags/"];
        assert_eq!(
            closest_within("/posts/helo/", paths, 3),
            Some("/posts/hello/")
        );
        assert_eq!(closest_within("/elsewhere/entirely/", paths, 3), None);
    }

    #[test]
    fn span_handles_multibyte_and_overflow() {
        assert_eq!(char_span("aé b", 2, 1), (1, 3));
        assert_eq!(char_span("ab", 5, 3), (2, 2));
    }

    #[test]
    fn a_group_is_reported_at_its_first_place_whatever_the_order() {
        let at = |file: &str| Diagnostic::warning(file, "unknown key `x`").grouped("k");
        let merged = merge_groups(vec![at("c.md"), at("a.md"), at("b.md")]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].file, PathBuf::from("a.md"));
        assert_eq!(merged[0].message, "unknown key `x`, in 3 files");
        assert_eq!(
            merged[0].render(),
            "warning: unknown key `x`, in 3 files\n --> a.md\n  = note: also in b.md, c.md"
        );
    }
}
