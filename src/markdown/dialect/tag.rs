//! A tag as written: `{% name args %}`, `{{ value }}`, `{{< name args >}}`, found within a
//! bound, so that a long run of openings without a closing stays linear.

/// How far a tag may run before its closing `%}` or `}}`: tags are short.
pub(super) const MAX_TAG: usize = 4096;

/// A tag as written: what is between its delimiters (trimmed) and where it ends.
pub(super) struct Tag<'a> {
    pub inner: &'a str,
    pub end: usize,
}

/// The tag of `body` at `at` opened by `open` and closed by `close`, if it closes soon enough.
pub(super) fn tag_in<'a>(body: &'a str, at: usize, open: &str, close: &str) -> Option<Tag<'a>> {
    let rest = body.get(at..)?.strip_prefix(open)?;
    let window = &rest[..floor_char_boundary(rest, MAX_TAG)];
    let end = window.find(close)?;
    let inner = rest[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
    Some(Tag {
        inner,
        end: at + open.len() + end + close.len(),
    })
}

/// The largest char boundary of `text` at or below `at`.
pub(super) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
