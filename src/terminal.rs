//! What the commands print on standard error: reports (errors, warnings, notes) in colour
//! when it is a terminal, plain otherwise or when `NO_COLOR` is set (anstream decides, as
//! cargo and clap do). The text is the same either way: colour only marks its parts.

use anstyle::{AnsiColor, Style};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();

/// `text` (a report as [`crate::diagnostic::Diagnostic`] and the commands' errors write it)
/// with its parts coloured: `error:`, `warning:` and `note:` in their colours, the `-->`
/// and `|` gutter and the `= help:` lines in blue, the `^` marks like the level above them.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut level = ERROR;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (style, word) = if line.starts_with("error") {
            (ERROR, "error")
        } else if line.starts_with("warning") {
            (WARNING, "warning")
        } else if line.starts_with("note:") {
            (NOTE, "note")
        } else {
            paint_detail(line, level, &mut out);
            continue;
        };
        level = style;
        out.push_str(&format!("{style}{word}{style:#}"));
        out.push_str(&line[word.len()..]);
    }
    out
}

/// A line below a report's first: the gutter and `= help:` in blue, carets in `level`.
fn paint_detail(line: &str, level: Style, out: &mut String) {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(rest) = trimmed.strip_prefix("-->") {
        out.push_str(&format!("{indent}{GUTTER}-->{GUTTER:#}{rest}"));
    } else if let Some(rest) = trimmed.strip_prefix('=') {
        out.push_str(&format!("{indent}{GUTTER}={GUTTER:#}{rest}"));
    } else if let Some((gutter, rest)) = line.split_once('|')
        && gutter.trim().chars().all(|c| c.is_ascii_digit())
    {
        out.push_str(&format!("{GUTTER}{gutter}|{GUTTER:#}"));
        match rest.find('^') {
            Some(at) if rest[..at].trim().is_empty() => {
                out.push_str(&format!("{}{level}{}{level:#}", &rest[..at], &rest[at..]));
            }
            _ => out.push_str(rest),
        }
    } else {
        out.push_str(line);
    }
}

/// Prints a report on standard error, coloured when it goes to a terminal.
pub fn report(text: &str) {
    anstream::eprintln!("{}", paint(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text without its colours.
    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colour_marks_the_parts_and_changes_no_text() {
        let report = "error: `title` is empty\n --> content/posts/a.md:2:6\n  |\n2 | title:\n  |      ^ no title here\n  |\n  = help: give the post a title\n\nwarning: unknown key";
        let painted = paint(report);
        assert_eq!(plain(&painted), report);
        assert!(
            painted.starts_with("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: `title`"),
            "{painted:?}"
        );
        assert!(painted.contains("\u{1b}[33mwarning"), "{painted:?}");
        assert!(painted.contains("\u{1b}[31m^ no title here"), "{painted:?}");
    }
}
