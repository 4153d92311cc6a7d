//! A document's body as playpress reads it: other generators' template syntax rewritten
//! ([`crate::markdown::dialect`]), and Jekyll's `excerpt_separator` made into
//! `<!-- more -->`. What is not understood is reported, one warning per kind for the whole
//! site (grouped), at its first place; what is never closed is a warning at its place, and an
//! argument of the wrong type an error there.

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
