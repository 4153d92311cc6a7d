//! The HTML of a walk's events, with each block component rendered around the HTML of its
//! inside (code highlighted by then).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, html};

use super::components;
use super::walk::Walk;

impl<'a> Walk<'a> {
    /// The pictures component calls show (a `src` argument), noted as pictures of the body,
    /// and those that are files beside the post as its local references (to publish them).
    pub(super) fn note_component_pictures(&mut self) {
        for (call, args) in self.calls.iter().zip(&self.args) {
            let Some(components::Value::Text(src)) = args.as_ref().and_then(|a| a.get("src"))
            else {
                continue;
            };
            self.picture_refs.push(super::pictures::PictureRef {
                src: src.clone(),
                offset: call.offset,
                no_alt: false,
            });
            if let Some(local) = super::walk::local_file(src) {
                self.local_refs.push(local.to_string());
            }
        }
    }

    /// Text with inline component calls in it: the text around them, and each one's HTML.
    pub(super) fn text_with_calls(&mut self, text: &str) {
        let mut rest = text;
        while let Some(open) = rest.find(components::INLINE_OPEN) {
            let after = &rest[open + components::INLINE_OPEN.len_utf8()..];
            let Some(close) = after.find(components::INLINE_CLOSE) else {
                break;
            };
            let Ok(n) = after[..close].parse::<usize>() else {
                break;
            };
            if open > 0 {
                let before = rest[..open].to_string();
                self.words(&before);
                self.events.push(Event::Text(CowStr::from(before)));
            }
            let html = self.inline_component(n);
            self.events.push(Event::InlineHtml(CowStr::from(html)));
            rest = &after[close + components::INLINE_CLOSE.len_utf8()..];
        }
        if !rest.is_empty() {
            self.words(rest);
            self.events
                .push(Event::Text(CowStr::from(rest.to_string())));
        }
    }

    /// The HTML of inline component call `n` (nothing when it does not fit its component).
    fn inline_component(&mut self, n: usize) -> String {
        let label = self
            .calls
            .get(n)
            .and_then(|c| c.label.clone())
            .unwrap_or_default();
        self.words(&label);
        let (Some(call), Some(Some(args))) = (self.calls.get(n), self.args.get(n)) else {
            return String::new();
        };
        let mut body = String::new();
        pulldown_cmark_escape::escape_html_body_text(&mut body, &label).ok();
        let first = self.picture_refs.is_empty() && !self.pictures.hero;
        (self.pictures.component)(&call.name, args, &body, first)
            .map(|html| html.trim_end().to_string())
            .unwrap_or_else(|e| component_failed(&call.name, &e))
    }

    /// The HTML of the events in `range`.
    /// Block components are rendered here, around the HTML of their inside.
    pub(super) fn html_of(&self, range: Range<usize>) -> String {
        let events = &self.events[range];
        // Buffers of the blocks open, innermost last; the first is the whole.
        // Each open block with whether a picture came before it.
        let mut stack: Vec<(Option<(usize, bool)>, String)> = vec![(None, String::new())];
        let mut run_start = 0;
        let mut pictured = self.pictures.hero;
        for (i, event) in events.iter().enumerate() {
            let Event::Html(text) = event else { continue };
            let Some((kind, n)) = components::read_marker(text) else {
                continue;
            };
            if let Some((_, out)) = stack.last_mut() {
                let from = out.len();
                html::push_html(out, events[run_start..i].iter().cloned());
                pictured |= out[from..].contains("<img");
            }
            run_start = i + 1;
            match kind {
                "open" => stack.push((Some((n, !pictured)), String::new())),
                _ if stack.len() > 1 => {
                    if let Some((Some((n, first)), inside)) = stack.pop() {
                        let html = self.block_component(n, &inside, first);
                        pictured |= html.contains("<img");
                        if let Some((_, out)) = stack.last_mut() {
                            out.push_str(&html);
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some((_, out)) = stack.last_mut() {
            html::push_html(out, events[run_start..].iter().cloned());
        }
        // Blocks left open (the summary ends inside one) keep their inside as it is.
        let mut whole = String::new();
        for (_, part) in stack {
            whole.push_str(&part);
        }
        whole
    }

    /// The HTML of block component call `n` around `inside`; `first` when no picture comes
    /// before it.
    fn block_component(&self, n: usize, inside: &str, first: bool) -> String {
        match (self.calls.get(n), self.args.get(n)) {
            (Some(call), Some(Some(args))) => {
                (self.pictures.component)(&call.name, args, inside, first)
                    .unwrap_or_else(|e| component_failed(&call.name, &e))
            }
            _ => inside.to_string(),
        }
    }
}

/// What a page shows where a component's template failed: the error, for the author to see
/// (`check` and `build` report template errors of the site's own pages before this).
pub(super) fn component_failed(name: &str, error: &str) -> String {
    let mut out = format!("<p class=\"component-error\">component `{name}` failed: ");
    pulldown_cmark_escape::escape_html_body_text(&mut out, error).ok();
    out.push_str("</p>");
    out
}
