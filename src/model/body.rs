//! A document's body as playpress reads it: other generators' template syntax rewritten
//! ([`crate::markdown::dialect`]), and Jekyll's `excerpt_separator` made into
//! `<!-- more -->`. What is not understood is reported, one warning per kind for the whole
//! site (grouped), at its first place; what is never closed is a warning at its place, and an
//! argument of the wrong type an error there. Where a broken internal link is written, in the
//! file as written, is [`LinkPlaces`].

use std::path::Path;

use crate::diagnostic::{Diagnostic, Lines};
use crate::load::config::Config;
use crate::markdown::MORE_MARKER;
use crate::markdown::dialect::{self, Problem, SiteValues, Unknown};

/// The whole text of the file with its body rewritten, and whether syntax that is not
/// understood is left in it; `None` when nothing changes. `body_offset` is where the body
/// starts in `text`. Errors go to `errors`.
pub(crate) fn rewrite(
    (path, text, body_offset): (&Path, &str, usize),
    title: &str,
    excerpt_separator: Option<&str>,
    config: &Config,
    (warnings, errors): (&mut Vec<Diagnostic>, &mut Vec<Diagnostic>),
) -> Option<(String, bool)> {
    let body = text.get(body_offset..).unwrap_or("");
    let base = config.base_url.permalink("/");
    let values = SiteValues {
        root: config.base_url.root(),
        base: &base,
        title: &config.title,
        description: &config.description,
        author: config.author.as_deref(),
        extra: &config.extra,
        page_title: title,
    };
    let rewritten = dialect::rewrite(body, &values);
    let foreign = rewritten
        .as_ref()
        .is_some_and(|r| !r.unknown.is_empty() || !r.problems.is_empty());
    if let Some(r) = rewritten.as_ref().filter(|_| foreign) {
        // Found once, for all the places reported in the file.
        let lines = Lines::new(text);
        for unknown in &r.unknown {
            warnings.push(not_understood(path, &lines, body_offset, unknown));
        }
        for problem in &r.problems {
            let diagnostic = reported(path, &lines, body_offset, problem);
            if problem.error {
                errors.push(diagnostic);
            } else {
                warnings.push(diagnostic);
            }
        }
    }
    let mut body = rewritten.map(|r| r.body);
    if let Some(separator) = excerpt_separator.filter(|s| !s.trim().is_empty()) {
        let current = body
            .as_deref()
            .unwrap_or(text.get(body_offset..).unwrap_or(""));
        if let Some(at) = current.find(separator) {
            let mut changed = String::with_capacity(current.len() + MORE_MARKER.len());
            changed.push_str(&current[..at]);
            changed.push_str(MORE_MARKER);
            changed.push_str(&current[at + separator.len()..]);
            body = Some(changed);
        }
    }
    body.map(|body| (format!("{}{body}", &text[..body_offset]), foreign))
}

/// A problem the rewrite found, at its place: an error, or a warning grouped with the same
/// one elsewhere (a snippet pasted into many posts is reported once).
fn reported(path: &Path, lines: &Lines<'_>, body_offset: usize, problem: &Problem) -> Diagnostic {
    let at = |d: Diagnostic| {
        d.at_offset_in(lines, body_offset + problem.offset, problem.width)
            .with_label(problem.label)
            .with_hint(problem.hint.clone())
    };
    if problem.error {
        at(Diagnostic::error(path, problem.message.clone()))
    } else {
        at(Diagnostic::warning(path, problem.message.clone()))
            .grouped(format!("dialect:{}", problem.message))
    }
}

fn not_understood(
    path: &Path,
    lines: &Lines<'_>,
    body_offset: usize,
    unknown: &Unknown,
) -> Diagnostic {
    let hint = if unknown.syntax.starts_with("{{<") || unknown.syntax.starts_with("{{%") {
        "playpress reads Hugo's figure, highlight, ref, relref, youtube, vimeo, gist, details and callouts (notice, alert, ...); write Markdown or HTML for this one"
    } else if unknown.syntax.contains("()") {
        "playpress reads Zola's youtube, vimeo and gist shortcodes and callouts (note, tip, warning, ...); write Markdown or HTML for this one"
    } else {
        "playpress reads Liquid's highlight, raw, comment, post_url and link tags and {{ site.* }} values; write Markdown or HTML for this one"
    };
    let width = unknown.syntax.chars().count().min(2);
    Diagnostic::warning(
        path,
        format!("`{}` is not understood, shown as text", unknown.syntax),
    )
    .at_offset_in(lines, body_offset + unknown.offset, width)
    .with_label("written for another generator")
    .with_hint(hint)
    .grouped(format!("dialect:{}", unknown.syntax))
}

/// Where the broken internal links of a document are written: in its text, or in the file as
/// written when its body was rewritten from Liquid or a shortcode (the same line as
/// written, at the target's name: `{% post_url 2019-01-01-x %}` names `2019-01-01-x`).
/// Links come in the order they are written: each is sought from the last found, so the
/// text is read about once for all of them.
pub(crate) struct LinkPlaces<'d> {
    text: Lines<'d>,
    written: Option<Lines<'d>>,
    body_offset: usize,
    /// Where the last link was found, in the text and in the file as written.
    from: (usize, usize),
}

impl<'d> LinkPlaces<'d> {
    /// For the document of `text`, whose body starts at `body_offset`, written as `written`
    /// when its body was rewritten.
    pub(crate) fn new(text: &'d str, body_offset: usize, written: Option<&'d str>) -> Self {
        Self {
            text: Lines::new(text),
            written: written.map(Lines::new),
            body_offset,
            from: (body_offset, 0),
        }
    }

    /// `d` pointed at where link `target` is written (the body's start when it is not).
    pub(crate) fn point(&mut self, d: Diagnostic, target: &str) -> Diagnostic {
        let found = find_from(self.text.text(), target, self.from.0);
        let at = found.unwrap_or(self.body_offset);
        self.from.0 = found.unwrap_or(self.from.0);
        let Some(written) = &self.written else {
            return d.at_offset_in(&self.text, at, target.chars().count());
        };
        let line_start = written.start_of(self.text.line_of(at)).unwrap_or(0);
        let line = written.text()[line_start..]
            .split('\n')
            .next()
            .unwrap_or("");
        let name = target.trim_start_matches("@/");
        let name = name.strip_prefix("posts/").unwrap_or(name);
        let name = name.strip_suffix(".md").unwrap_or(name);
        // From the last link found when it is on this line.
        let from = (self.from.1.checked_sub(line_start)).filter(|&i| i <= line.len());
        match find_from(line, name, from.unwrap_or(0)) {
            Some(column) => {
                self.from.1 = line_start + column;
                d.at_offset_in(written, line_start + column, name.chars().count())
            }
            // Underlined to the line's end (a long line is cut to a window anyway).
            None => {
                let width = line.chars().take(1024).count().max(1);
                d.at_offset_in(written, line_start, width)
            }
        }
    }
}

/// The first `needle` in `hay` from byte `from` on (a place found before), else before it.
fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let after = hay.get(from..).and_then(|rest| rest.find(needle));
    after.map(|i| from + i).or_else(|| hay.find(needle))
}
