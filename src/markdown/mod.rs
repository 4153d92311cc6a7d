//! Markdown to HTML with pulldown-cmark: heading ids and a table of contents, highlighted code
//! blocks, GFM alerts with a title, the summary, and word counts.

pub mod code_cache;
pub mod highlight;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::markdown::highlight::{Highlighter, LineCache, OverBudget};

/// The marker that ends a post's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A code block whose fence names a language no grammar knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// Byte offset of the fence in the Markdown text.
    pub offset: usize,
    pub language: String,
}

/// A code block too large to highlight, shown as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnhighlightedBlock {
    /// Byte offset of the fence in the Markdown text.
    pub offset: usize,
    pub why: OverBudget,
}

/// How much of a document to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything, the HTML of the whole body included.
    Full,
    /// What lists and checks need (headings, summary, word count, unknown languages), without
    /// the HTML of the body: a build renders that later, page by page, so it never holds the
    /// bodies of all posts at once.
    Outline,
}

/// A Markdown document rendered to HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The whole body; empty when rendered in [`Mode::Outline`] (see `complete`).
    pub html: String,
    /// `html` holds the body.
    pub complete: bool,
    pub toc: Vec<TocEntry>,
    /// The HTML before `<!-- more -->`, when the marker is present.
    pub summary_html: Option<String>,
    /// The first top-level paragraph, as HTML.
    pub first_paragraph_html: Option<String>,
    /// The first top-level paragraph, as plain text.
    pub first_paragraph_text: String,
    /// Words outside code blocks.
    pub word_count: usize,
    pub unknown_languages: Vec<UnknownLanguage>,
    pub over_budget: Vec<UnhighlightedBlock>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Where a heading sits in the event list, and what the id is made from.
struct HeadingSlot {
    index: usize,
    level: HeadingLevel,
    explicit_id: Option<String>,
    text: String,
}

/// Renders `markdown`. Root-relative links (`/about/`) are prefixed with `root` (the site's
/// base path, e.g. `/blog/`) so content works under a subpath.
pub fn render(markdown: &str, highlighter: &Highlighter, root: &str) -> Rendered {
    render_with(
        markdown,
        highlighter,
        root,
        Mode::Full,
        &mut LineCache::new(),
    )
}

/// [`render`] in `mode`, reusing the lines this thread has highlighted before.
pub fn render_with(
    markdown: &str,
    highlighter: &Highlighter,
    root: &str,
    mode: Mode,
    lines: &mut LineCache,
) -> Rendered {
    let mut out = Rendered::default();
    // In outline mode code blocks are only highlighted if the summary shows them.
    let mut deferred: Vec<(usize, Option<String>, String)> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut headings: Vec<HeadingSlot> = Vec::new();
    let mut more_at: Option<usize> = None;
    let mut first_paragraph: Option<(usize, usize)> = None;
    let mut paragraph_start: Option<usize> = None;
    let mut depth = 0usize;
    let mut in_heading: Option<usize> = None;
    let mut code: Option<(Option<String>, usize, String)> = None;
    let mut collecting_first_text = false;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Some((_, _, buffer)) = code.as_mut() {
            match event {
                Event::Text(text) => buffer.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((language, offset, buffer)) = code.take() {
                        if mode == Mode::Outline {
                            if let Some(why) = highlighter.over_budget(language.as_deref(), &buffer)
                            {
                                out.over_budget.push(UnhighlightedBlock { offset, why });
                            } else if highlighter.is_unknown(language.as_deref()) {
                                out.unknown_languages.push(UnknownLanguage {
                                    offset,
                                    language: language.clone().unwrap_or_default(),
                                });
                            }
                            deferred.push((events.len(), language, buffer));
                            events.push(Event::Html(CowStr::Borrowed("")));
                            continue;
                        }
                        let highlighted =
                            highlighter.highlight_with(language.as_deref(), &buffer, lines);
                        if let Some(why) = highlighted.over_budget {
                            out.over_budget.push(UnhighlightedBlock { offset, why });
                        }
                        if highlighted.unknown_language {
                            out.unknown_languages.push(UnknownLanguage {
                                offset,
                                language: language.unwrap_or_default(),
                            });
                        }
                        events.push(Event::Html(CowStr::from(highlighted.html)));
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                code = Some((language, range.start, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = Some(headings.len());
                headings.push(HeadingSlot {
                    index: events.len(),
                    level,
                    explicit_id: id.map(|i| i.to_string()),
                    text: String::new(),
                });
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
                depth += 1;
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = None;
                events.push(Event::End(TagEnd::Heading(level)));
                depth = depth.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) => {
                if depth == 0 && first_paragraph.is_none() {
                    paragraph_start = Some(events.len());
                    collecting_first_text = true;
                }
                events.push(Event::Start(Tag::Paragraph));
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                events.push(Event::End(TagEnd::Paragraph));
                depth = depth.saturating_sub(1);
                if depth == 0
                    && first_paragraph.is_none()
                    && let Some(start) = paragraph_start.take()
                {
                    first_paragraph = Some((start, events.len()));
                    collecting_first_text = false;
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                events.push(Event::Start(Tag::BlockQuote(Some(kind))));
                events.push(Event::Html(CowStr::Borrowed(alert_title(kind))));
                depth += 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: rebase(dest_url, root),
                    title,
                    id,
                }));
                depth += 1;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: rebase(dest_url, root),
                    title,
                    id,
                }));
                depth += 1;
            }
            Event::Start(tag) => {
                events.push(Event::Start(tag));
                depth += 1;
            }
            Event::End(tag) => {
                events.push(Event::End(tag));
                depth = depth.saturating_sub(1);
            }
            Event::Html(ref text) | Event::InlineHtml(ref text) if text.trim() == MORE_MARKER => {
                if more_at.is_none() {
                    more_at = Some(events.len());
                }
            }
            Event::Text(text) => {
                out.word_count += count_words(&text);
                if let Some(h) = in_heading {
                    headings[h].text.push_str(&text);
                }
                if collecting_first_text {
                    out.first_paragraph_text.push_str(&text);
                }
                events.push(Event::Text(text));
            }
            Event::Code(text) => {
                out.word_count += count_words(&text);
                if let Some(h) = in_heading {
                    headings[h].text.push_str(&text);
                }
                if collecting_first_text {
                    out.first_paragraph_text.push_str(&text);
                }
                events.push(Event::Code(text));
            }
            Event::SoftBreak | Event::HardBreak => {
                if collecting_first_text {
                    out.first_paragraph_text.push(' ');
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }

    assign_heading_ids(&mut events, &headings, &mut out.toc);

    if mode == Mode::Full {
        out.html.reserve(markdown.len() * 3 / 2);
        html::push_html(&mut out.html, events.iter().cloned());
        out.complete = true;
    } else if let Some(end) = more_at {
        // The summary shows the code blocks above the marker: highlight those.
        for (index, language, code) in deferred.into_iter().filter(|(i, _, _)| *i < end) {
            let highlighted = highlighter.highlight_with(language.as_deref(), &code, lines);
            events[index] = Event::Html(CowStr::from(highlighted.html));
        }
    }
    if let Some(end) = more_at {
        let mut summary = String::new();
        html::push_html(&mut summary, events[..end].iter().cloned());
        out.summary_html = Some(summary);
    }
    if let Some((start, end)) = first_paragraph {
        let mut summary = String::new();
        html::push_html(&mut summary, events[start..end].iter().cloned());
        out.first_paragraph_html = Some(summary);
    }
    out.first_paragraph_text = out
        .first_paragraph_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    out
}

fn alert_title(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "<p class=\"markdown-alert-title\">Note</p>\n",
        BlockQuoteKind::Tip => "<p class=\"markdown-alert-title\">Tip</p>\n",
        BlockQuoteKind::Important => "<p class=\"markdown-alert-title\">Important</p>\n",
        BlockQuoteKind::Warning => "<p class=\"markdown-alert-title\">Warning</p>\n",
        BlockQuoteKind::Caution => "<p class=\"markdown-alert-title\">Caution</p>\n",
    }
}

/// Prefixes root-relative URLs (`/x`) with the site's base path.
fn rebase<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    if root != "/" && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{root}{}", &url[1..]))
    } else {
        url
    }
}

/// For each ASCII byte: 1 for a letter or digit, 2 for whitespace, 0 for anything else.
const ASCII_CLASS: [usize; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            1
        } else if c.is_ascii_whitespace() || c == 0x0b {
            2
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The number of whitespace-separated words with at least one letter or digit, in one pass;
/// ASCII text, the usual case and a hot path of a warm build, goes through a table.
fn count_words(text: &str) -> usize {
    if text.is_ascii() {
        // Branch-free over bytes: a word is counted at the whitespace that ends it.
        let mut count = 0;
        let mut word_has_alphanumeric = 0;
        for &b in text.as_bytes() {
            let class = ASCII_CLASS[usize::from(b & 0x7f)];
            count += word_has_alphanumeric & (class >> 1);
            word_has_alphanumeric = (word_has_alphanumeric | (class & 1)) & !(class >> 1);
        }
        return count + word_has_alphanumeric;
    }
    let mut count = 0;
    let mut word_has_alphanumeric = false;
    for c in text.chars() {
        if c.is_whitespace() {
            count += usize::from(word_has_alphanumeric);
            word_has_alphanumeric = false;
        } else {
            word_has_alphanumeric |= c.is_alphanumeric();
        }
    }
    count + usize::from(word_has_alphanumeric)
}

/// Gives every heading a unique id (explicit `{#id}`s first, then slugs of the text in
/// document order) and builds the nested table of contents.
fn assign_heading_ids(events: &mut [Event<'_>], headings: &[HeadingSlot], toc: &mut Vec<TocEntry>) {
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
                let base = match slug::slugify(&heading.text) {
                    s if s.is_empty() => "section".to_string(),
                    s => s,
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
    *toc = nest(flat);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_words_agrees_with_split_whitespace() {
        let reference = |text: &str| {
            text.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        };
        for text in [
            "",
            "   ",
            "one",
            " two words ",
            "a - b -- c",
            "tabs\tand\nnewlines\r\nand\x0bvertical\x0cfeed",
            "non\u{a0}breaking\u{2003}em\u{3000}ideographic\u{85}next",
            "caf\u{e9} na\u{ef}ve \u{4e2d}\u{6587} \u{1f600} !!! 42",
            "\x1cfile\x1dseparators\x1e",
            "trailing!",
        ] {
            assert_eq!(count_words(text), reference(text), "{text:?}");
        }
    }

    fn md(text: &str) -> Rendered {
        render(text, &Highlighter::new(), "/")
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let r = md("# Intro\n\n## Setup\n\n### Step\n\n## Setup\n\n## Custom {#mine}\n");
        assert!(r.html.contains("<h1 id=\"intro\">Intro</h1>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"setup\">Setup</h2>"));
        assert!(r.html.contains("<h2 id=\"setup-1\">Setup</h2>"));
        assert!(r.html.contains("<h2 id=\"mine\">Custom</h2>"));
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 3);
        assert_eq!(r.toc[0].children[0].children[0].id, "step");
    }

    #[test]
    fn explicit_ids_win_over_generated() {
        let r = md("## Setup\n\n## Other {#setup}\n");
        assert!(
            r.html.contains("<h2 id=\"setup-1\">Setup</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"setup\">Other</h2>"));
    }

    #[test]
    fn summary_from_more_marker_and_first_paragraph() {
        let r = md("First *para*.\n\nSecond.\n\n<!-- more -->\n\nRest.\n");
        assert_eq!(
            r.summary_html.as_deref(),
            Some("<p>First <em>para</em>.</p>\n<p>Second.</p>\n")
        );
        assert_eq!(
            r.first_paragraph_html.as_deref(),
            Some("<p>First <em>para</em>.</p>\n")
        );
        assert_eq!(r.first_paragraph_text, "First para.");
        assert!(!r.html.contains("more"));
    }

    #[test]
    fn code_blocks_are_highlighted_and_unknown_reported() {
        let r = md("Text\n\n```rust\nfn a() {}\n```\n\n```nope\n<x>\n```\n");
        assert!(r.html.contains("<span class=\"hl-storage"), "{}", r.html);
        assert!(r.html.contains("&lt;x&gt;"));
        assert_eq!(
            r.unknown_languages,
            vec![UnknownLanguage {
                offset: 29,
                language: "nope".to_string()
            }]
        );
    }

    #[test]
    fn extensions_and_alerts() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ - [x] done\n\n> [!NOTE]\n> Hi\n\nFoot[^1]\n\n[^1]: note\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("markdown-alert-note"));
        assert!(r.html.contains("markdown-alert-title\">Note<"));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn words_are_counted_outside_code() {
        let r = md("One two three.\n\n```\nnot counted here\n```\n");
        assert_eq!(r.word_count, 3);
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let r = render(
            "[a](/about/) [b](https://x.org/) ![i](/img.png) [c](rel/)",
            &Highlighter::new(),
            "/blog/",
        );
        assert!(r.html.contains("href=\"/blog/about/\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(r.html.contains("src=\"/blog/img.png\""));
        assert!(r.html.contains("href=\"rel/\""));
    }
}
