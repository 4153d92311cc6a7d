//! Components: Tera templates in `templates/components/<name>.html`, called from Markdown with
//! the generic directive syntax (the CommonMark proposal that remark, Docusaurus and VitePress
//! follow), which no Markdown means anything by:
//!
//! - block: a line `:::name{key="value"}`, the Markdown inside, and a line `:::`;
//! - inline: `:name[text]{key="value"}` (the `[text]` and `{...}` parts optional but one).
//!
//! Inside code blocks and code spans nothing is expanded. Each call is checked against the
//! arguments its template declares in a first-line comment, `{# args: src, alt, caption? #}`
//! (`?`: optional; `name: number` or `name: bool` for a type other than text, `name: a|b` for
//! one of a few words).
//!
//! Before the Markdown is parsed, each call is replaced, on its own line for a block, by an
//! HTML comment that stands for it, so lines stay where they were; the walk over the events
//! renders it (the block's inside is rendered as Markdown first).

use std::collections::BTreeMap;

#[cfg(test)]
use crate::load::components::spec_of;
pub(crate) use crate::load::components::{ArgType, FOLDER, Specs};

/// An argument's value, as written and as the template sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// How far a call's `[...]` or `{...}` is looked for: calls are short, and a bound keeps a
/// long line of would-be calls linear.
const SCAN: usize = 1024;

/// A call's arguments as written: (name, value).
type Args = Vec<(String, String)>;

/// What an inline call reads: name, `[label]`, arguments, and how many bytes.
type Inline = (String, Option<String>, Args, usize);

/// One call of a component in a body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    pub args: Args,
    /// An inline call's `[text]`.
    pub label: Option<String>,
    pub block: bool,
    /// Byte offset in the body as written, and the call's width.
    pub offset: usize,
    pub width: usize,
}

/// A call that does not fit its component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentError {
    pub offset: usize,
    pub width: usize,
    pub message: String,
    pub hint: String,
}

/// The marker a block call's lines are replaced by (`open`, `end`): an HTML comment alone on
/// its line, which Markdown keeps as a block of its own.
fn marker(kind: &str, n: usize) -> String {
    format!("<!--playpress-{kind}:{n}-->")
}

/// An inline call is replaced by private-use characters around its number: plain text to
/// Markdown (no HTML block, no smart punctuation), found again in the text events.
pub(super) const INLINE_OPEN: char = '\u{E000}';
pub(super) const INLINE_CLOSE: char = '\u{E001}';

fn inline_marker(n: usize) -> String {
    format!("{INLINE_OPEN}{n}{INLINE_CLOSE}")
}

/// The block call a marker stands for: (`open` or `end`, index), for the walk.
pub(super) fn read_marker(html: &str) -> Option<(&str, usize)> {
    let inner = html
        .trim()
        .strip_prefix("<!--playpress-")?
        .strip_suffix("-->")?;
    let (kind, n) = inner.split_once(':')?;
    Some((kind, n.parse().ok()?))
}

/// A body with its calls replaced by markers: the text, the calls, and where the text differs
/// from the body as written, to tell places in the one as places in the other.
pub(crate) struct Prepared {
    pub text: String,
    pub calls: Vec<Call>,
    /// Block calls never closed by a line `:::`.
    pub unclosed: Vec<ComponentError>,
    /// For each replacement, in order: where it starts in `text`, how long it is there, and
    /// the difference (written - rewritten) summed over it and those before.
    shifts: Vec<(usize, usize, isize)>,
}

impl Prepared {
    /// The place in the body as written of byte `at` of the rewritten text.
    pub(crate) fn original(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|&(start, _, _)| start <= at);
        let Some(&(start, len, total)) = i.checked_sub(1).and_then(|i| self.shifts.get(i)) else {
            return at;
        };
        if at < start + len {
            // Inside a marker: its call's start.
            let before = i
                .checked_sub(2)
                .and_then(|i| self.shifts.get(i))
                .map_or(0, |s| s.2);
            return (start as isize + before).max(0) as usize;
        }
        (at as isize + total).max(0) as usize
    }

    fn replace(&mut self, written: usize, marker: &str) {
        let before = self.shifts.last().map_or(0, |s| s.2);
        let delta = written as isize - marker.len() as isize;
        self.shifts
            .push((self.text.len(), marker.len(), before + delta));
        self.text.push_str(marker);
    }
}

/// The byte ranges of code (blocks and spans) in `markdown`, in order.
fn code_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut ranges = Vec::new();
    let mut in_block = false;
    for (event, range) in Parser::new_ext(markdown, super::walk::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                ranges.push(range);
                in_block = true;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_block = false,
            Event::Code(_) if !in_block => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// Whether byte `at` is inside one of `ranges` (sorted, not overlapping).
fn inside(ranges: &[std::ops::Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].contains(&at)
}

/// `markdown` with every component call replaced by its marker, and the calls. `None` when
/// it has none (found with one `memchr` pass).
pub(crate) fn prepare(markdown: &str) -> Option<Prepared> {
    if !may_have_calls(markdown) {
        return None;
    }
    let code = code_ranges(markdown);
    let mut prepared = Prepared {
        text: String::with_capacity(markdown.len()),
        calls: Vec::new(),
        unclosed: Vec::new(),
        shifts: Vec::new(),
    };
    let mut open: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        let start = at + indent.len();
        if inside(&code, start) {
            prepared.text.push_str(line);
            continue;
        }
        let ending = &line[body.len()..];
        if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim();
            let written = trimmed.len();
            if rest.is_empty() {
                if let Some(n) = open.pop() {
                    prepared.text.push_str(indent);
                    prepared.replace(written, &marker("end", n));
                    prepared.text.push_str(ending);
                    continue;
                }
            } else if let Some((name, args, used)) = name_and_args(rest)
                && used == rest.len()
            {
                let n = prepared.calls.len();
                open.push(n);
                prepared.text.push_str(indent);
                prepared.replace(written, &marker("open", n));
                prepared.text.push_str(ending);
                prepared.calls.push(Call {
                    name,
                    args,
                    label: None,
                    block: true,
                    offset: start,
                    width: trimmed.trim_end().chars().count(),
                });
                continue;
            }
        }
        inline_calls(line, (at, &code), &mut prepared);
    }
    for n in open {
        let call = &prepared.calls[n];
        prepared.unclosed.push(ComponentError {
            offset: call.offset,
            width: call.width,
            message: format!("`{}` is never closed", call.name),
            hint: "end it with a line of its own: :::".to_string(),
        });
    }
    (!prepared.calls.is_empty()).then_some(prepared)
}

/// Whether `markdown` may call a component: a colon after a non-word character, then a
/// name and `[` or `{` (code is not told apart here: a quick look over the bytes, for the
/// usual body that has no call).
fn may_have_calls(markdown: &str) -> bool {
    let bytes = markdown.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|i| {
        let before_ok = i == 0 || !is_name_byte(bytes[i - 1]) && bytes[i - 1] != b':';
        let rest = &bytes[i + 1..];
        let name = rest.iter().take_while(|&&b| is_name_byte(b)).count();
        let starts = rest.first().is_some_and(u8::is_ascii_lowercase);
        let block = i >= 2 && bytes[i - 2..i] == *b"::";
        (before_ok || block)
            && starts
            && matches!(
                rest.get(name),
                Some(b'[' | b'{' | b'\n' | b' ' | b'\r') | None
            )
    })
}

/// Copies `line` (at byte `at` of the body) with its inline calls replaced by markers (not
/// inside code).
fn inline_calls(line: &str, (at, code): (usize, &[std::ops::Range<usize>]), out: &mut Prepared) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b':' if (i == 0 || !is_name_byte(bytes[i - 1]) && bytes[i - 1] != b':')
                && !inside(code, at + i) =>
            {
                match inline_call(&line[i + 1..]) {
                    Some((name, label, args, used)) => {
                        out.text.push_str(&line[copied..i]);
                        let n = out.calls.len();
                        out.replace(1 + used, &inline_marker(n));
                        out.calls.push(Call {
                            name,
                            args,
                            label,
                            block: false,
                            offset: at + i,
                            width: line[i..i + 1 + used].chars().count(),
                        });
                        i += 1 + used;
                        copied = i;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out.text.push_str(&line[copied.min(line.len())..]);
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// `name[label]{args}` at the start of `text` (after the colon): at least one of the label
/// and the arguments. Returns what it read and how many bytes.
fn inline_call(text: &str) -> Option<Inline> {
    let name_len = name_length(text)?;
    let name = text[..name_len].to_string();
    let mut used = name_len;
    let mut label = None;
    if text[used..].starts_with('[') {
        // Looked for within a bound, so a long line of `:a[` stays linear.
        let end = text.as_bytes()[used..]
            .iter()
            .take(SCAN)
            .position(|&b| b == b']')?;
        label = Some(text[used + 1..used + end].to_string());
        used += end + 1;
    }
    let mut args = Vec::new();
    if text[used..].starts_with('{') {
        let end = closing_brace(&text[used..])?;
        args = parse_args(&text[used + 1..used + end])?;
        used += end + 1;
    }
    (label.is_some() || used > name_len).then_some((name, label, args, used))
}

/// A name: a letter, then letters, digits, `-` and `_`.
fn name_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_lowercase() {
        return None;
    }
    Some(bytes.iter().take_while(|&&b| is_name_byte(b)).count())
}

/// A block's `name{args}`: what it read and how many bytes.
fn name_and_args(text: &str) -> Option<(String, Args, usize)> {
    let name_len = name_length(text)?;
    let rest = &text[name_len..];
    if rest.trim().is_empty() {
        return Some((
            text[..name_len].to_string(),
            Vec::new(),
            text.trim_end().len(),
        ));
    }
    let rest_start = name_len + (rest.len() - rest.trim_start().len());
    let braces = &text[rest_start..];
    let end = closing_brace(braces)?;
    let args = parse_args(&braces[1..end])?;
    Some((text[..name_len].to_string(), args, rest_start + end + 1))
}

/// Where the `}` closing the `{` at the start of `text` is (quotes respected).
fn closing_brace(text: &str) -> Option<usize> {
    if !text.starts_with('{') {
        return None;
    }
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1).take(SCAN) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `key="value" key=value flag`: a flag alone is `true`.
fn parse_args(text: &str) -> Option<Args> {
    let mut args = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        if key.is_empty() || !key.bytes().all(is_name_byte) {
            return None;
        }
        rest = &rest[key_len..];
        let value = if let Some(after) = rest.strip_prefix('=') {
            let (value, used) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = after[1..].find(q)?;
                    (after[1..1 + end].to_string(), end + 2)
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (after[..end].to_string(), end)
                }
            };
            rest = &after[used..];
            value
        } else {
            "true".to_string()
        };
        args.push((key.to_string(), value));
        rest = rest.trim_start();
    }
    Some(args)
}

/// The arguments of `call` as its template sees them, or why they do not fit.
/// The hint for an argument `key` that component `name` does not take.
fn unknown_argument_hint(name: &str, key: &str, spec: &crate::load::components::Spec) -> String {
    let names: Vec<&str> = spec.args.keys().map(String::as_str).collect();
    let takes = if names.is_empty() {
        "no arguments".to_string()
    } else {
        names.join(", ")
    };
    match crate::diagnostic::did_you_mean(key, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? `{name}` takes: {takes}"),
        None => format!("`{name}` takes: {takes}"),
    }
}

pub(crate) fn check(call: &Call, specs: &Specs) -> Result<BTreeMap<String, Value>, ComponentError> {
    let error = |message: String, hint: String| ComponentError {
        offset: call.offset,
        width: call.width,
        message,
        hint,
    };
    let Some(spec) = specs.get(&call.name) else {
        let known: Vec<&str> = specs.keys().map(String::as_str).collect();
        let hint = match crate::diagnostic::did_you_mean(&call.name, known.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? The components are: {}",
                known.join(", ")
            ),
            None => format!(
                "the components are: {}; add templates/components/{}.html to make one",
                known.join(", "),
                call.name
            ),
        };
        return Err(error(format!("no component `{}`", call.name), hint));
    };
    let mut values = BTreeMap::new();
    for (key, text) in &call.args {
        let Some((kind, _)) = spec.args.get(key) else {
            return Err(error(
                format!("`{}` has no argument `{key}`", call.name),
                unknown_argument_hint(&call.name, key, spec),
            ));
        };
        let value = match kind {
            ArgType::Text => Value::Text(text.clone()),
            ArgType::Number => Value::Number(text.parse().map_err(|_| {
                error(
                    format!("`{key}` of `{}` is a number, not `{text}`", call.name),
                    format!("write a number, e.g. {key}=640"),
                )
            })?),
            ArgType::Bool => match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    return Err(error(
                        format!("`{key}` of `{}` is true or false, not `{text}`", call.name),
                        format!("write {key}=true or {key}=false"),
                    ));
                }
            },
            ArgType::OneOf(words) if words.contains(text) => Value::Text(text.clone()),
            ArgType::OneOf(words) => {
                let lower = text.to_lowercase();
                let near =
                    crate::diagnostic::did_you_mean(&lower, words.iter().map(String::as_str));
                let first = words.first().map_or("", String::as_str);
                return Err(error(
                    format!(
                        "`{key}` of `{}` is one of {}, not `{text}`",
                        call.name,
                        words.join(", ")
                    ),
                    match near {
                        Some(near) => format!("did you mean `{near}`? write {key}={near}"),
                        None => format!("write one of them, e.g. {key}={first}"),
                    },
                ));
            }
        };
        if values.insert(key.clone(), value).is_some() {
            return Err(error(
                format!("`{}` is given `{key}` twice", call.name),
                format!("keep one {key}=\"...\""),
            ));
        }
    }
    if let Some((missing, _)) = spec
        .args
        .iter()
        .find(|(name, (_, required))| *required && !values.contains_key(*name))
    {
        return Err(error(
            format!("`{}` needs `{missing}`", call.name),
            format!("add {missing}=\"...\" to the call"),
        ));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_never_closed_is_reported_at_its_call() {
        let text = "Before.\n\n:::details{summary=x}\n:::callout{kind=tip}\ninside\n:::\n";
        let prepared = prepare(text).unwrap();
        assert_eq!(prepared.unclosed.len(), 1);
        let e = &prepared.unclosed[0];
        assert_eq!(e.message, "`details` is never closed");
        assert_eq!(e.offset, 9);
        assert_eq!(e.hint, "end it with a line of its own: :::");
    }

    fn specs() -> Specs {
        let mut specs = Specs::new();
        specs.insert(
            "figure".into(),
            spec_of("{# args: src, alt, caption?, width: number? #}\n<figure>"),
        );
        specs.insert(
            "details".into(),
            spec_of("{# args: summary, open: bool? #}"),
        );
        specs.insert(
            "callout".into(),
            spec_of("{# args: kind?: note|tip|warning, title? #}"),
        );
        specs
    }

    #[test]
    fn calls_become_markers_outside_code() {
        let text = "Intro :kbd[Ctrl] here.\n\n:::details{summary=\"More\"}\nInside `:x[no]`.\n:::\n\n```\n:::details{summary=no}\n```\n";
        let prepared = prepare(text).unwrap();
        let (out, calls) = (&prepared.text, &prepared.calls);
        assert_eq!(
            out,
            "Intro \u{E000}0\u{E001} here.\n\n<!--playpress-open:1-->\nInside `:x[no]`.\n<!--playpress-end:1-->\n\n```\n:::details{summary=no}\n```\n"
        );
        // Places in the rewritten text are told as places in the body as written.
        let here = out.find("here").unwrap();
        assert_eq!(prepared.original(here), text.find("here").unwrap());
        let inside = out.find("Inside").unwrap();
        assert_eq!(prepared.original(inside), text.find("Inside").unwrap());
        assert_eq!(prepared.original(out.find('\u{E000}').unwrap()), 6);
        // Code in a list item or a quote is code too.
        assert!(prepare("- ```sh\n  :::details{summary=x}\n  ```\n\n> `:kbd[x]`\n").is_none());
        assert_eq!(calls[0].name, "kbd");
        assert_eq!(calls[0].label.as_deref(), Some("Ctrl"));
        assert_eq!(
            calls[1].args,
            vec![("summary".to_string(), "More".to_string())]
        );
        assert_eq!(calls[1].offset, 24);
        // Times, ratios and URLs are not calls.
        assert!(prepare("At 10:30, ratio 3:4, see https://x.org/a:b and note: this.").is_none());
        assert_eq!(read_marker("<!--playpress-end:7-->\n"), Some(("end", 7)));
        // A long line of would-be calls is read in linear time.
        assert!(prepare(&" :a{".repeat(30_000)).is_none());
    }

    #[test]
    fn arguments_are_checked_strictly() {
        let call = |text: &str| prepare(text).unwrap().calls.remove(0);
        let specs = specs();
        let ok = check(
            &call(":::figure{src=a.png alt='An A' width=640}\n:::\n"),
            &specs,
        )
        .unwrap();
        assert_eq!(ok["width"], Value::Number(640.0));
        let e = check(&call(":::figure{src=a.png alt=A captoin=x}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.message, "`figure` has no argument `captoin`");
        assert_eq!(
            e.hint,
            "did you mean `caption`? `figure` takes: alt, caption, src, width"
        );
        let e = check(&call(":::figure{src=a.png}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.message, "`figure` needs `alt`");
        let e = check(&call(":::figure{src=a.png alt=A alt=B}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.message, "`figure` is given `alt` twice");
        let e = check(
            &call(":::figure{src=a.png alt=A width=wide}\n:::\n"),
            &specs,
        )
        .unwrap_err();
        assert_eq!(e.message, "`width` of `figure` is a number, not `wide`");
        let e = check(&call(":::callout{kind=tpi}\n:::\n"), &specs).unwrap_err();
        assert_eq!(
            e.message,
            "`kind` of `callout` is one of note, tip, warning, not `tpi`"
        );
        assert_eq!(e.hint, "did you mean `tip`? write kind=tip");
        let e = check(&call(":::callout{kind=TIP}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.hint, "did you mean `tip`? write kind=tip");
        let e = check(&call(":::callout{kind=spoiler}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.hint, "write one of them, e.g. kind=note");
        assert!(check(&call(":::callout{kind=warning}\n:::\n"), &specs).is_ok());
        let e = check(&call(":::detials{summary=x}\n:::\n"), &specs).unwrap_err();
        assert_eq!(e.message, "no component `detials`");
        assert_eq!(
            e.hint,
            "did you mean `details`? The components are: callout, details, figure"
        );
    }
}
