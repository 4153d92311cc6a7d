//! Footnotes as GitHub shows them: numbered in the order they are first referenced, collected
//! in a list at the end of the document, each with a link back to every place that refers to
//! it. A definition nobody refers to is left out; a reference to a label with no definition
//! stays text (pulldown-cmark does not make it a reference).

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, TagEnd};

/// A footnote's definition, taken out of the flow of the document, with what the document
/// keeps of the events in it (`X`: its code blocks and headings, placed relative to it).
struct Definition<'a, X> {
    events: Vec<Event<'a>>,
    taken: X,
}

/// The footnotes of one document, as its events go by.
pub(super) struct Notes<'a, X> {
    /// Label -> number, in the order of first reference, and how often it was referenced.
    numbers: HashMap<String, (usize, usize)>,
    /// Labels by number (1-based: `order[0]` is footnote 1).
    order: Vec<String>,
    definitions: HashMap<String, Definition<'a, X>>,
    /// The definition being read: its label and where its events start.
    open: Option<(String, usize)>,
    /// Definitions opened inside it (left where they are).
    nested: usize,
}

/// Where a definition's events went back: what an index relative to the definition became.
pub(super) struct Placed {
    base: usize,
    /// Where the back links were inserted (relative), moving the events after them.
    inserted_at: Option<usize>,
}

impl Placed {
    /// The index in the document of the definition's event `relative`.
    pub(super) fn index(&self, relative: usize) -> usize {
        self.base + relative + usize::from(self.inserted_at.is_some_and(|p| relative >= p))
    }
}

impl<X> Default for Notes<'_, X> {
    fn default() -> Self {
        Self {
            numbers: HashMap::new(),
            order: Vec::new(),
            definitions: HashMap::new(),
            open: None,
            nested: 0,
        }
    }
}

impl<'a, X> Notes<'a, X> {
    /// A reference to `label`: the HTML that stands for it.
    pub(super) fn reference(&mut self, label: &str) -> Event<'a> {
        let next = self.order.len() + 1;
        let (number, count) = self.numbers.entry(label.to_string()).or_insert((next, 0));
        if *number == next {
            self.order.push(label.to_string());
        }
        *count += 1;
        let id = ref_id(*number, *count);
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{id}\">{number}</a></sup>"
        )))
    }

    /// A definition of `label` starts at event `start`. False when it is inside another:
    /// it is then left in the flow, as it comes.
    pub(super) fn open(&mut self, label: &str, start: usize) -> bool {
        if self.open.is_some() {
            self.nested += 1;
            return false;
        }
        self.open = Some((label.to_string(), start));
        true
    }

    /// A definition ends: true when it is one inside another (left in the flow).
    pub(super) fn ends_nested(&mut self) -> bool {
        if self.nested > 0 {
            self.nested -= 1;
            return true;
        }
        false
    }

    /// Where the open definition's events start.
    pub(super) fn open_at(&self) -> Option<usize> {
        self.open.as_ref().map(|(_, start)| *start)
    }

    /// The open definition ends: its events (from `events`) are taken out, to be put back
    /// at the end, with `taken` (what the document took out of them, placed relative to
    /// the definition's start).
    pub(super) fn close(&mut self, events: &mut Vec<Event<'a>>, taken: X) {
        let Some((label, start)) = self.open.take() else {
            return;
        };
        let definition = Definition {
            events: events.drain(start.min(events.len())..).collect(),
            taken,
        };
        // The first definition of a label wins, as in pulldown-cmark's own HTML.
        self.definitions.entry(label).or_insert(definition);
    }

    /// Puts the referenced definitions back, as the list at the end of `events`; returns
    /// what was taken out of each, with where its events are now.
    pub(super) fn finish(mut self, events: &mut Vec<Event<'a>>) -> Vec<(X, Placed)> {
        let mut placed = Vec::new();
        let notes: Vec<(usize, usize, Definition<'a, X>)> = self
            .order
            .iter()
            .enumerate()
            .filter_map(|(i, label)| {
                let count = self.numbers.get(label).map_or(1, |&(_, c)| c);
                let definition = self.definitions.remove(label)?;
                Some((i + 1, count, definition))
            })
            .collect();
        if notes.is_empty() {
            return placed;
        }
        events.push(Event::Html(CowStr::Borrowed(
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n",
        )));
        for (number, count, mut definition) in notes {
            events.push(Event::Html(CowStr::from(format!(
                "<li id=\"fn-{number}\">\n"
            ))));
            let backrefs = Event::InlineHtml(CowStr::from(back_links(number, count)));
            let last_paragraph_end = definition
                .events
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)));
            match last_paragraph_end {
                Some(p) => definition.events.insert(p, backrefs),
                None => definition.events.push(backrefs),
            }
            let where_now = Placed {
                base: events.len(),
                inserted_at: last_paragraph_end,
            };
            placed.push((definition.taken, where_now));
            events.append(&mut definition.events);
            events.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        events.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
        placed
    }
}

/// The id of the `count`th reference to footnote `number`.
fn ref_id(number: usize, count: usize) -> String {
    if count == 1 {
        format!("fnref-{number}")
    } else {
        format!("fnref-{number}-{count}")
    }
}

/// Links back to each of the `count` references to footnote `number`.
fn back_links(number: usize, count: usize) -> String {
    (1..=count)
        .map(|k| {
            let id = ref_id(number, k);
            let (label, mark) = if k == 1 {
                (format!("{number}"), String::new())
            } else {
                (format!("{number}-{k}"), format!("<sup>{k}</sup>"))
            };
            format!(
                " <a href=\"#{id}\" class=\"footnote-backref\" aria-label=\"Back to reference {label}\">\u{21a9}{mark}</a>"
            )
        })
        .collect()
}
