//! Heading ids (explicit `{#id}`s first, then slugs of the text, each made unique) and the
//! nested table of contents.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag};

use super::TocEntry;

/// Where a heading sits in the event list, and what the id is made from.
pub(super) struct HeadingSlot {
    pub(super) index: usize,
    pub(super) level: HeadingLevel,
    pub(super) explicit_id: Option<String>,
    pub(super) text: String,
}

/// Gives every heading a unique id (explicit `{#id}`s first, then slugs of the text in
/// document order) and builds the nested table of contents.
pub(super) fn assign_ids(events: &mut [Event<'_>], headings: &[HeadingSlot]) -> Vec<TocEntry> {
    let mut used: HashSet<String> = headings
        .iter()
        .filter_map(|h| h.explicit_id.clone())
        .collect();
    // For each base slug, the next suffix to try: a run of identical headings tries each
    // number once, not every number before it again.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut flat: Vec<TocEntry> = Vec::with_capacity(headings.len());
    for heading in headings {
        let id = match &heading.explicit_id {
            Some(id) => id.clone(),
            None => {
                // Chinese and Japanese keep their characters (`引言`, not `yin-yan`).
                let slug = super::cjk::heading_id(&heading.text)
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| slug::slugify(&heading.text));
                let base = if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                };
                let n = next_suffix.entry(base.clone()).or_insert(0);
                let mut candidate = if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                while used.contains(&candidate) {
                    *n += 1;
                    candidate = format!("{base}-{n}");
                }
                *n += 1;
                used.insert(candidate.clone());
                candidate
            }
        };
        if let Some(Event::Start(Tag::Heading { id: slot, .. })) = events.get_mut(heading.index) {
            *slot = Some(CowStr::from(id.clone()));
        }
        flat.push(TocEntry {
            level: heading.level as u8,
            id,
            title: heading
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            children: Vec::new(),
        });
    }
    nest(flat)
}

/// Nests a flat list of headings by level.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    let mut stack: Vec<TocEntry> = Vec::new();
    for entry in flat {
        while stack.last().is_some_and(|top| top.level >= entry.level) {
            close_top(&mut stack, &mut roots);
        }
        stack.push(entry);
    }
    while !stack.is_empty() {
        close_top(&mut stack, &mut roots);
    }
    roots
}

fn close_top(stack: &mut Vec<TocEntry>, roots: &mut Vec<TocEntry>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}
