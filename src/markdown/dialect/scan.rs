//! The scanner: walks a body once, copies what is not template syntax, skips code (fenced
//! blocks and code spans), and hands each `{%`, `{{`, `{{<` and `{{%` to the dialect that
//! reads it. Searches for a closing tag are bounded or remembered, so no input makes the
//! scan quadratic.

use std::collections::HashMap;

use super::{SiteValues, Unknown, hugo, liquid};

/// How far a tag may run before its closing `%}` or `}}`: tags are short.
const MAX_TAG: usize = 4096;

pub(super) struct Scanner<'a> {
    pub(super) body: &'a str,
    pub(super) pos: usize,
    pub(super) out: String,
    pub(super) unknown: Vec<Unknown>,
    pub(super) site: &'a SiteValues<'a>,
    /// The open code fence: its character and length.
    fence: Option<(u8, usize)>,
    /// Where the last `{{ site.baseurl }}` was written in `out` (start, end): an internal
    /// link right after it stands for the whole URL and replaces it.
    pub(super) base_written: Option<(usize, usize)>,
    /// Closing tags looked for and not found after a position: not looked for again.
    missing_close: HashMap<String, usize>,
}

/// A tag as written: what is between its delimiters (trimmed) and where it ends.
pub(super) struct Tag<'a> {
    pub inner: &'a str,
    pub end: usize,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(body: &'a str, site: &'a SiteValues<'a>) -> Self {
        Self {
            body,
            pos: 0,
            out: String::with_capacity(body.len() + body.len() / 8),
            unknown: Vec::new(),
            site,
            fence: None,
            base_written: None,
            missing_close: HashMap::new(),
        }
    }

    pub(super) fn finish(self) -> (String, Vec<Unknown>) {
        (self.out, self.unknown)
    }

    pub(super) fn run(&mut self) {
        while self.pos < self.body.len() {
            let at_line_start = self.pos == 0 || self.body.as_bytes()[self.pos - 1] == b'\n';
            if at_line_start && self.fence_line() {
                continue;
            }
            let rest = &self.body[self.pos..];
            let Some(next) = rest.find(['`', '{', '\n']) else {
                self.out.push_str(rest);
                self.pos = self.body.len();
                break;
            };
            self.out.push_str(&rest[..next]);
            self.pos += next;
            match self.body.as_bytes()[self.pos] {
                b'\n' => self.copy(1),
                b'`' => self.code_span(),
                _ => self.brace(),
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

    /// A line inside or opening or closing a code fence: copied (Jekyll's `{% raw %}` markers
    /// dropped). False when the line is not one.
    fn fence_line(&mut self) -> bool {
        let rest = &self.body[self.pos..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        let marker = fence_marker(line);
        match (self.fence, marker) {
            (Some((c, n)), Some((mc, mn, tail)))
                if mc == c && mn >= n && tail.trim().is_empty() =>
            {
                self.fence = None;
            }
            (Some(_), _) => {}
            (None, Some((c, n, _))) => self.fence = Some((c, n)),
            (None, None) => return false,
        }
        self.out.push_str(&without_raw_markers(line));
        self.pos += line_end;
        true
    }

    /// A code span: copied as written, but for `{% raw %}` markers; an unmatched backtick run
    /// is text.
    fn code_span(&mut self) {
        let rest = &self.body[self.pos..];
        let run = rest.bytes().take_while(|b| *b == b'`').count();
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let mut at = run;
        while at < line_end {
            let Some(i) = rest[at..line_end].find('`') else {
                break;
            };
            let start = at + i;
            let len = rest[start..].bytes().take_while(|b| *b == b'`').count();
            if len == run {
                let span = &rest[..start + len];
                self.out.push_str(&without_raw_markers(span));
                self.pos += start + len;
                return;
            }
            at = start + len;
        }
        self.copy(run);
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
        let rest = self.body.get(at..)?.strip_prefix(open)?;
        let window = &rest[..floor_char_boundary(rest, MAX_TAG)];
        let end = window.find(close)?;
        let inner = rest[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        Some(Tag {
            inner,
            end: at + open.len() + end + close.len(),
        })
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
        let mut inner = Scanner::new(&self.body[start..end], self.site);
        inner.run();
        let (out, unknown) = inner.finish();
        self.unknown.extend(unknown.into_iter().map(|u| Unknown {
            syntax: u.syntax,
            offset: u.offset + start,
        }));
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

/// A code fence opening `line` (at most three spaces, then three or more `` ` `` or `~`):
/// its character, length and what follows.
fn fence_marker(line: &str) -> Option<(u8, usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = *trimmed.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = trimmed.bytes().take_while(|b| *b == c).count();
    let tail = &trimmed[n..];
    (n >= 3 && !(c == b'`' && tail.contains('`'))).then_some((c, n, tail))
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

/// The largest char boundary of `text` at or below `at`.
pub(super) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
