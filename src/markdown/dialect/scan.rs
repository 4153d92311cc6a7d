//! The scanner: walks a body once, copies what is not template syntax, skips code and maths
//! (`literal.rs`), and hands each `{%`, `{{`, `{{<` and `{{%` to the dialect that reads it.
//! Searches for a closing tag are bounded or remembered, and shortcodes nest at most
//! [`MAX_NESTING`] deep, so no input makes the scan quadratic.

use std::collections::HashMap;
use std::ops::Range;

use super::pairs::Pairs;
use super::tag::{MAX_TAG, Tag, floor_char_boundary, tag_in};
use super::{Problem, SiteValues, Unknown, hugo, liquid};

/// How deep shortcodes with a body may nest (each level reads its body again).
pub(super) const MAX_NESTING: usize = 16;

/// What every scan of one body shares: the site's values, where code and maths are, and which
/// shortcode closes which. Places are bytes of the whole body.
pub(super) struct Context<'a> {
    pub site: &'a SiteValues<'a>,
    pub literal: &'a [Range<usize>],
    pub pairs: &'a Pairs,
}

pub(super) struct Scanner<'a> {
    /// The body up to where this scan ends (a shortcode's body is scanned on its own).
    pub(super) body: &'a str,
    pub(super) pos: usize,
    pub(super) out: String,
    pub(super) unknown: Vec<Unknown>,
    pub(super) problems: Vec<Problem>,
    pub(super) site: &'a SiteValues<'a>,
    pub(super) context: &'a Context<'a>,
    /// How many shortcode bodies this scan is inside.
    pub(super) depth: usize,
    /// The first range of code or maths not passed yet.
    next_literal: usize,
    /// Where the last `{{ site.baseurl }}` was written in `out` (start, end): an internal
    /// link right after it stands for the whole URL and replaces it.
    pub(super) base_written: Option<(usize, usize)>,
    /// Closing tags looked for and not found after a position: not looked for again.
    missing_close: HashMap<String, usize>,
}

impl<'a> Scanner<'a> {
    /// A scan of `body` from `pos`, inside `depth` shortcode bodies.
    pub(super) fn new(body: &'a str, pos: usize, context: &'a Context<'a>, depth: usize) -> Self {
        let rest = body.len().saturating_sub(pos);
        Self {
            body,
            pos,
            out: String::with_capacity(rest + rest / 8),
            unknown: Vec::new(),
            problems: Vec::new(),
            site: context.site,
            context,
            depth,
            next_literal: super::literal::next_from(context.literal, pos),
            base_written: None,
            missing_close: HashMap::new(),
        }
    }

    pub(super) fn finish(self) -> (String, Vec<Unknown>, Vec<Problem>) {
        (self.out, self.unknown, self.problems)
    }

    pub(super) fn run(&mut self) {
        let literal = self.context.literal;
        while self.pos < self.body.len() {
            // Code and maths that a tag ran over are passed.
            self.next_literal +=
                literal[self.next_literal..].partition_point(|r| r.start < self.pos);
            let limit = literal
                .get(self.next_literal)
                .map_or(self.body.len(), |r| r.start.min(self.body.len()));
            if self.pos == limit {
                let end = literal[self.next_literal].end.min(self.body.len());
                self.out
                    .push_str(&without_raw_markers(&self.body[self.pos..end]));
                self.pos = end;
                self.next_literal += 1;
                continue;
            }
            let rest = &self.body[self.pos..limit];
            match rest.find('{') {
                Some(next) => {
                    self.out.push_str(&rest[..next]);
                    self.pos += next;
                    self.brace();
                }
                None => {
                    self.out.push_str(rest);
                    self.pos = limit;
                }
            }
        }
    }

    /// Copies `n` bytes from the body.
    pub(super) fn copy(&mut self, n: usize) {
        let end = (self.pos + n).min(self.body.len());
        self.out.push_str(&self.body[self.pos..end]);
        self.pos = end;
    }

    /// Records something not understood at the current position.
    pub(super) fn not_understood(&mut self, syntax: String) {
        self.unknown.push(Unknown {
            syntax,
            offset: self.pos,
        });
    }

    /// Reports a warning about what is written at the current position, `written` of it
    /// underlined.
    pub(super) fn warn(
        &mut self,
        written: &str,
        message: String,
        label: &'static str,
        hint: String,
    ) {
        self.report(false, written, (message, label, hint));
    }

    /// A shortcode `name` opened [`MAX_NESTING`] deep: warned about, and shown as text up to
    /// `end`. Returns whether it was.
    pub(super) fn too_deep(&mut self, written: &str, name: &str, end: usize) -> bool {
        if self.depth < MAX_NESTING {
            return false;
        }
        self.warn(
            written,
            format!("`{name}` is nested more than {MAX_NESTING} deep, shown as text"),
            "too deep",
            "put fewer shortcodes inside one another".to_string(),
        );
        self.copy(end - self.pos);
        true
    }

    /// Reports an error about what is written at the current position.
    pub(super) fn fail(
        &mut self,
        written: &str,
        message: String,
        label: &'static str,
        hint: String,
    ) {
        self.report(true, written, (message, label, hint));
    }

    fn report(
        &mut self,
        error: bool,
        written: &str,
        (message, label, hint): (String, &'static str, String),
    ) {
        self.problems.push(Problem {
            error,
            message,
            label,
            hint,
            offset: self.pos,
            width: written.lines().next().unwrap_or("").chars().count().max(1),
        });
    }

    /// At a `{`: the syntax that starts here, if any.
    fn brace(&mut self) {
        let rest = &self.body[self.pos..];
        if rest.starts_with("{{<") || rest.starts_with("{{%") {
            hugo::shortcode(self);
        } else if rest.starts_with("{%") {
            liquid::tag(self);
        } else if rest.starts_with("{{") {
            liquid::output(self);
        } else {
            self.copy(1);
        }
    }

    /// The tag at `at` opened by `open` and closed by `close`, if it closes soon enough.
    pub(super) fn tag_at(&self, at: usize, open: &str, close: &str) -> Option<Tag<'a>> {
        tag_in(self.body, at, open, close)
    }

    /// The first tag after `from` opened by `open`, closed by `close`, whose inner text
    /// satisfies `is_close`: its start and end. Remembered by `key` when there is none.
    pub(super) fn find_close(
        &mut self,
        from: usize,
        (open, close): (&str, &str),
        key: &str,
        is_close: impl Fn(&str) -> bool,
    ) -> Option<(usize, usize)> {
        if self
            .missing_close
            .get(key)
            .is_some_and(|after| *after <= from)
        {
            return None;
        }
        let mut at = from;
        while let Some(i) = self.body.get(at..).and_then(|r| r.find(open)) {
            let start = at + i;
            if let Some(tag) = self.tag_at(start, open, close)
                && is_close(tag.inner)
            {
                return Some((start, tag.end));
            }
            at = start + open.len();
        }
        self.missing_close.insert(key.to_string(), from);
        None
    }

    /// The body between `start` and `end`, itself rewritten (a callout's content).
    pub(super) fn nested(&mut self, start: usize, end: usize) -> String {
        let mut inner = Scanner::new(&self.body[..end], start, self.context, self.depth + 1);
        inner.run();
        let (out, unknown, problems) = inner.finish();
        self.unknown.extend(unknown);
        self.problems.extend(problems);
        out
    }

    /// Whether what is written now is the target of a Markdown link: after `](`, or in a
    /// link reference definition (`[id]: `).
    pub(super) fn in_link_target(&self) -> bool {
        let out = self.out.as_str();
        if out.ends_with("](") || out.ends_with("](<") {
            return true;
        }
        let line = out.rsplit('\n').next().unwrap_or(out).trim_start();
        line.starts_with('[') && line.trim_end().ends_with("]:")
    }

    /// Writes an internal link to the document at `target` (under `content/`); a
    /// `{{ site.baseurl }}` written just before it is part of it and goes.
    pub(super) fn internal_link(&mut self, target: &str) {
        if let Some((start, end)) = self.base_written
            && end == self.out.len()
        {
            self.out.truncate(start);
        }
        self.out.push_str("@/");
        self.out.push_str(target.trim().trim_start_matches('/'));
    }
}

/// `text` without Jekyll's `{% raw %}` and `{% endraw %}` markers.
pub(super) fn without_raw_markers(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("raw") || !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let close = after[..floor_char_boundary(after, MAX_TAG)].find("%}");
        match close {
            Some(end)
                if matches!(
                    after[..end].trim_matches(|c: char| c == '-' || c.is_whitespace()),
                    "raw" | "endraw"
                ) =>
            {
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{%");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}
