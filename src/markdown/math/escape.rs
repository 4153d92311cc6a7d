//! What a formula says never becomes markup. pulldown-latex writes some of its events' text as
//! it is: the name of `\operatorname{...}` and `\mathop{...}`, and every character it reads
//! (`\char60` is a `<`, `\mathrel{"}` a `"`). So before the events are written, each `<`,
//! `>`, `&` and `"` in their text and characters becomes a sentinel, a Unicode noncharacter
//! (reserved for a program's internal use, and taken out of the formula first), and the
//! sentinels in the MathML written become entities. The markup is pulldown-latex's own: fixed
//! tags, numbers, colours as bytes, and dimensions.

use std::borrow::Cow;

use pulldown_latex::event::{Content, Dimension, DimensionUnit, Event, Grouping};
use pulldown_latex::{Parser, Storage};

/// The sentinel of each character that means something in HTML, and its entity.
const SENTINELS: [(char, char, &str); 4] = [
    ('<', '\u{FDD0}', "&lt;"),
    ('>', '\u{FDD1}', "&gt;"),
    ('&', '\u{FDD2}', "&amp;"),
    ('"', '\u{FDD3}', "&quot;"),
];

fn sentinel(c: char) -> Option<char> {
    SENTINELS.iter().find(|(raw, _, _)| *raw == c).map(|s| s.1)
}

fn is_sentinel(c: char) -> bool {
    SENTINELS.iter().any(|(_, s, _)| *s == c)
}

/// `tex` with the sentinels it holds (noncharacters no text means) made U+FFFD.
pub(super) fn source(tex: &str) -> Cow<'_, str> {
    if tex.contains(is_sentinel) {
        Cow::Owned(tex.replace(is_sentinel, "\u{FFFD}"))
    } else {
        Cow::Borrowed(tex)
    }
}

/// `text` with its special characters made sentinels, when it has any.
fn guarded(text: &str) -> Option<String> {
    text.contains(['<', '>', '&', '"'])
        .then(|| text.chars().map(|c| sentinel(c).unwrap_or(c)).collect())
}

/// The text of `event` that needs sentinels: a name, a number, a text, or a relation of
/// characters that cannot be given one directly (none in pulldown-latex 0.8, but for one of
/// two characters this keeps the rule).
pub(super) fn text_to_guard(event: &Event<'_>) -> Option<String> {
    match event {
        Event::Content(Content::Text(text) | Content::Function(text) | Content::Number(text)) => {
            guarded(text)
        }
        Event::Content(Content::Relation { content, .. }) => {
            let mut buf = [0u8; 8];
            let text = std::str::from_utf8(content.encode_utf8_to_buf(&mut buf)).ok()?;
            (text.chars().count() > 1).then(|| guarded(text)).flatten()
        }
        _ => None,
    }
}

/// The relation of the sentinel of `c`, made by the parser (the type has no constructor).
fn sentinel_relation(c: char) -> Option<Content<'static>> {
    let tex = format!("\\mathrel{{{}}}", sentinel(c)?);
    let storage = Storage::new();
    let mut events = Parser::new(&tex, &storage);
    match events.next() {
        Some(Ok(Event::Content(Content::Relation { content, small }))) => {
            Some(Content::Relation { content, small })
        }
        _ => None,
    }
}

/// `event` with sentinels in place of special characters; `owned` is what
/// [`text_to_guard`] made of it.
pub(super) fn guard<'a>(event: Event<'a>, owned: Option<&'a str>) -> Event<'a> {
    let char_of = |c: char| sentinel(c).unwrap_or(c);
    let Event::Content(content) = event else {
        // Listed in full, so that a new kind of event with text is a compile error here.
        return match event {
            Event::Begin(Grouping::LeftRight(open, close)) => {
                Event::Begin(Grouping::LeftRight(open.map(char_of), close.map(char_of)))
            }
            other @ (Event::Content(_)
            | Event::Begin(_)
            | Event::End
            | Event::Visual(_)
            | Event::Script { .. }
            | Event::Space { .. }
            | Event::StateChange(_)
            | Event::EnvironmentFlow(_)) => other,
        };
    };
    let content = match (content, owned) {
        // The parser's own word for `~` and `\ `, which pulldown-latex would show as the
        // letters `&nbsp;`: a space a third of an em wide, as TeX's.
        (Content::Text("&nbsp;"), _) => {
            return Event::Space {
                width: Some(Dimension::new(0.3333, DimensionUnit::Em)),
                height: None,
                depth: None,
            };
        }
        (Content::Relation { .. }, Some(text)) => Content::Text(text),
        (Content::Text(_), Some(text)) => Content::Text(text),
        (Content::Function(_), Some(text)) => Content::Function(text),
        (Content::Number(_), Some(text)) => Content::Number(text),
        (Content::Relation { content, small }, None) => {
            let mut buf = [0u8; 8];
            let text = std::str::from_utf8(content.encode_utf8_to_buf(&mut buf)).unwrap_or("");
            match text.chars().next().filter(|c| sentinel(*c).is_some()) {
                Some(c) => sentinel_relation(c).unwrap_or(Content::Text("\u{FFFD}")),
                None => Content::Relation { content, small },
            }
        }
        (Content::Ordinary { content, stretchy }, _) => Content::Ordinary {
            content: char_of(content),
            stretchy,
        },
        (Content::LargeOp { content, small }, _) => Content::LargeOp {
            content: char_of(content),
            small,
        },
        (Content::BinaryOp { content, small }, _) => Content::BinaryOp {
            content: char_of(content),
            small,
        },
        (Content::Delimiter { content, size, ty }, _) => Content::Delimiter {
            content: char_of(content),
            size,
            ty,
        },
        (Content::Punctuation(c), _) => Content::Punctuation(char_of(c)),
        (text @ (Content::Text(_) | Content::Function(_) | Content::Number(_)), None) => text,
    };
    Event::Content(content)
}

/// The MathML written with its sentinels made entities.
pub(super) fn finish(mathml: String) -> String {
    if !mathml.contains(is_sentinel) {
        return mathml;
    }
    let mut out = String::with_capacity(mathml.len() + 16);
    for c in mathml.chars() {
        match SENTINELS.iter().find(|(_, s, _)| *s == c) {
            Some((_, _, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// The TeX source as the annotation shows it: escaped for HTML.
pub(super) fn annotation(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len() + 8);
    pulldown_cmark_escape::escape_html(&mut out, tex).ok();
    out
}
