//! One pass over a Markdown document's events: links rebased on the site's root, alerts with
//! a title, code blocks set aside (to be highlighted, or only checked), and what an outline
//! needs (headings, the summary's end, the first paragraph, words).

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::components::{self, Call, ComponentError, Value};
use super::footnotes::Notes;
use super::headings::{self, HeadingSlot};
use super::highlight::{Highlighter, LineCache};
use super::links::Links;
use super::math::{self, MathError};
use super::pictures::{self, PictureRef, Pictures};
pub(super) use super::words::count_words;
use super::{MORE_MARKER, TocEntry, UnhighlightedBlock, UnknownLanguage};

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// A fenced or indented code block, set aside: its event is a placeholder until highlighted.
struct CodeBlock {
    /// Index of its placeholder in the events.
    index: usize,
    language: Option<String>,
    /// Byte offset of the fence in the Markdown text.
    offset: usize,
    code: String,
}

/// A Markdown image whose alt text is being read.
struct OpenImage<'a> {
    /// `src` as written, and as the page links it.
    written: String,
    src: CowStr<'a>,
    title: CowStr<'a>,
    /// Where its alt text's events start, and where it is written.
    start: usize,
    offset: usize,
}

/// A document's events, and what was found on the way.
pub(super) struct Walk<'a> {
    pub(super) events: Vec<Event<'a>>,
    headings: Vec<HeadingSlot>,
    code: Vec<CodeBlock>,
    /// Index of the event where `<!-- more -->` was.
    pub(super) more_at: Option<usize>,
    /// Events of the first top-level paragraph.
    pub(super) first_paragraph: Option<Range<usize>>,
    pub(super) first_paragraph_text: String,
    pub(super) word_count: usize,
    pub(super) cjk_characters: usize,
    /// Relative link and image targets (`cover.png`, `./img/a.png`): files the post may
    /// have beside it.
    pub(super) local_refs: Vec<String>,
    /// Site paths internal links (`@/x.md`) led to, and the targets not found.
    pub(super) internal: Vec<String>,
    pub(super) broken: Vec<String>,
    /// Formulas that are not valid LaTeX.
    pub(super) math_errors: Vec<MathError>,
    /// Every picture shown, for checks.
    pub(super) picture_refs: Vec<PictureRef>,
    pub(super) pictures: &'a Pictures<'a>,
    /// Markdown images being read (their alt text is the events since).
    open_images: Vec<OpenImage<'a>>,
    /// Where in the Markdown the event being taken starts.
    at: usize,
    /// The component calls of the body, and each one's arguments once checked (`None`: it
    /// does not fit its component, which is an error).
    pub(super) calls: Vec<Call>,
    pub(super) args: Vec<Option<std::collections::BTreeMap<String, Value>>>,
    pub(super) component_errors: Vec<ComponentError>,
    links: &'a Links,
    root: &'a str,
    /// Footnotes, with the code blocks and headings of their definitions.
    notes: Notes<'a, (Vec<CodeBlock>, Vec<HeadingSlot>)>,
    paragraph_start: Option<usize>,
    depth: usize,
    in_heading: Option<usize>,
    collecting_first_text: bool,
}

impl<'a> Walk<'a> {
    pub(super) fn new(
        markdown: &'a str,
        (root, links): (&'a str, &'a Links),
        pictures: &'a Pictures<'a>,
        calls: Vec<Call>,
    ) -> Self {
        let mut component_errors = Vec::new();
        let args = calls
            .iter()
            .map(|call| {
                components::check(call, pictures.specs)
                    .map_err(|e| component_errors.push(e))
                    .ok()
            })
            .collect();
        let mut walk = Self {
            events: Vec::new(),
            headings: Vec::new(),
            code: Vec::new(),
            more_at: None,
            first_paragraph: None,
            first_paragraph_text: String::new(),
            word_count: 0,
            cjk_characters: 0,
            local_refs: Vec::new(),
            internal: Vec::new(),
            broken: Vec::new(),
            math_errors: Vec::new(),
            picture_refs: Vec::new(),
            pictures,
            open_images: Vec::new(),
            at: 0,
            calls,
            args,
            component_errors,
            links,
            root,
            notes: Notes::default(),
            paragraph_start: None,
            depth: 0,
            in_heading: None,
            collecting_first_text: false,
        };
        let mut open_code: Option<CodeBlock> = None;
        for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
            if let Some(block) = open_code.as_mut() {
                match event {
                    Event::Text(text) => block.code.push_str(&text),
                    Event::End(TagEnd::CodeBlock) => {
                        if let Some(mut block) = open_code.take() {
                            block.index = walk.events.len();
                            walk.events.push(Event::Html(CowStr::Borrowed("")));
                            walk.code.push(block);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if let Event::Start(Tag::CodeBlock(kind)) = &event {
                open_code = Some(CodeBlock {
                    index: 0,
                    language: fence_language(kind),
                    offset: range.start,
                    code: String::new(),
                });
                continue;
            }
            walk.at = range.start;
            walk.take(event, range);
        }
        walk.finish_notes();
        walk
    }

    /// A Markdown image starts: its alt text follows.
    fn open_image(&mut self, dest: CowStr<'a>, title: CowStr<'a>) {
        self.depth += 1;
        let written = dest.to_string();
        let src = self.note_ref(dest);
        self.open_images.push(OpenImage {
            written,
            src,
            title,
            start: self.events.len(),
            offset: self.at,
        });
    }

    /// A Markdown image ends: its alt text's events become the `<img>`.
    fn close_image(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        let Some(image) = self.open_images.pop() else {
            return;
        };
        let mut alt = String::new();
        for event in self.events.drain(image.start.min(self.events.len())..) {
            match event {
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let first = self.picture_refs.is_empty();
        let html = pictures::img(
            (&image.written, &image.src),
            alt.trim(),
            &image.title,
            (self.pictures, first),
        );
        self.picture_refs.push(PictureRef {
            src: image.written,
            offset: image.offset,
            no_alt: alt.trim().is_empty(),
        });
        self.events.push(Event::InlineHtml(CowStr::from(html)));
    }

    /// Raw HTML: its internal links resolved, its pictures sized; an inline component
    /// rendered (a block's markers are kept for [`Walk::html_of`]).
    fn raw_html(&mut self, text: CowStr<'a>, inline: bool) {
        let mut text = text;
        if has_internal_link(&text) {
            text = CowStr::from(self.internal_in_html(&text));
        }
        if memchr::memmem::find(text.as_bytes(), b"<img").is_some() {
            let first = self.picture_refs.is_empty();
            let (html, _) = pictures::in_html(
                &text,
                self.at,
                (self.pictures, first),
                &mut self.picture_refs,
            );
            text = CowStr::from(html);
        }
        self.events.push(if inline {
            Event::InlineHtml(text)
        } else {
            Event::Html(text)
        });
    }

    /// A formula `width` bytes long, written where the event being taken is: its MathML, or
    /// (when it is not valid LaTeX, or past the maths budget) its source as code and an error,
    /// at the whole formula or, past the budget, at its opening dollars.
    fn math(&mut self, tex: &str, display: bool, width: usize) {
        self.words(tex);
        match math::mathml(tex, display) {
            Ok(html) => self.events.push(Event::InlineHtml(CowStr::from(html))),
            Err(refusal) => {
                let opening = if display { 2 } else { 1 };
                self.math_errors.push(MathError {
                    offset: self.at,
                    width: if refusal.whole() { width } else { opening },
                    message: refusal.message(),
                    label: refusal.label(),
                    hint: refusal.hint(),
                });
                self.events.push(Event::Code(CowStr::from(tex.to_string())));
            }
        }
    }

    /// Takes one event outside code blocks: pictures, footnotes and maths first.
    fn take(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.open_image(dest_url, title),
            Event::End(TagEnd::Image) => self.close_image(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.depth += 1;
                if !self.notes.open(&label, self.events.len()) {
                    self.events
                        .push(Event::Start(Tag::FootnoteDefinition(label)));
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.depth = self.depth.saturating_sub(1);
                if self.notes.ends_nested() {
                    self.events.push(Event::End(TagEnd::FootnoteDefinition));
                } else {
                    self.close_note();
                }
            }
            Event::InlineMath(tex) => self.math(&tex, false, range.len()),
            Event::DisplayMath(tex) => self.math(&tex, true, range.len()),
            Event::FootnoteReference(label) => {
                let reference = self.notes.reference(&label);
                self.events.push(reference);
            }
            event => self.event(event),
        }
    }

    /// A footnote's definition ends: its events, code blocks and headings are set aside.
    fn close_note(&mut self) {
        let Some(start) = self.notes.open_at() else {
            return;
        };
        let first_code = self.code.partition_point(|b| b.index < start);
        let mut code = self.code.split_off(first_code);
        code.iter_mut().for_each(|b| b.index -= start);
        let first_heading = self.headings.partition_point(|h| h.index < start);
        let mut headings = self.headings.split_off(first_heading);
        headings.iter_mut().for_each(|h| h.index -= start);
        if self.more_at.is_some_and(|at| at >= start) {
            self.more_at = None;
        }
        self.notes.close(&mut self.events, (code, headings));
    }

    /// The footnotes, as a list at the end, with their code blocks and headings.
    fn finish_notes(&mut self) {
        let notes = std::mem::take(&mut self.notes);
        for ((code, headings), placed) in notes.finish(&mut self.events) {
            for mut block in code {
                block.index = placed.index(block.index);
                self.code.push(block);
            }
            for mut heading in headings {
                heading.index = placed.index(heading.index);
                self.headings.push(heading);
            }
        }
    }

    /// Takes one event outside code blocks.
    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = None;
                self.events.push(Event::End(TagEnd::Heading(level)));
                self.depth = self.depth.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph) => {
                self.events.push(Event::End(TagEnd::Paragraph));
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0
                    && self.first_paragraph.is_none()
                    && let Some(start) = self.paragraph_start.take()
                {
                    self.first_paragraph = Some(start..self.events.len());
                    self.collecting_first_text = false;
                }
            }
            Event::End(tag) => {
                self.events.push(Event::End(tag));
                self.depth = self.depth.saturating_sub(1);
            }
            Event::Html(ref text) | Event::InlineHtml(ref text) if is_more_marker(text) => {
                if self.more_at.is_none() {
                    self.more_at = Some(self.events.len());
                }
            }
            Event::Html(text) => self.raw_html(text, false),
            Event::InlineHtml(text) => self.raw_html(text, true),
            Event::Text(text) if text.contains(components::INLINE_OPEN) => {
                self.text_with_calls(&text)
            }
            Event::Text(text) => {
                self.words(&text);
                self.events.push(Event::Text(text));
            }
            Event::Code(text) => {
                self.words(&text);
                self.events.push(Event::Code(text));
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.collecting_first_text {
                    self.first_paragraph_text.push(' ');
                }
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// Text: counted, and kept for a heading's id and the first paragraph.
    pub(super) fn words(&mut self, text: &str) {
        if text.is_ascii() {
            self.word_count += count_words(text);
        } else {
            let (words, characters) = super::cjk::count(text);
            self.word_count += words;
            self.cjk_characters += characters;
        }
        if let Some(h) = self.in_heading {
            self.headings[h].text.push_str(text);
        }
        if self.collecting_first_text {
            self.first_paragraph_text.push_str(text);
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        self.depth += 1;
        let tag = match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                self.in_heading = Some(self.headings.len());
                self.headings.push(HeadingSlot {
                    index: self.events.len(),
                    level,
                    explicit_id: id.map(|i| i.to_string()),
                    text: String::new(),
                });
                Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }
            }
            Tag::Paragraph => {
                if self.depth == 1 && self.first_paragraph.is_none() {
                    self.paragraph_start = Some(self.events.len());
                    self.collecting_first_text = true;
                }
                Tag::Paragraph
            }
            Tag::BlockQuote(Some(kind)) => {
                self.events.push(Event::Start(Tag::BlockQuote(Some(kind))));
                self.events
                    .push(Event::Html(CowStr::Borrowed(alert_title(kind))));
                return;
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: self.note_ref(dest_url),
                title,
                id,
            },
            other => other,
        };
        self.events.push(Event::Start(tag));
    }

    /// Keeps `dest` when it names a file relative to the post, and rebases it.
    fn note_ref(&mut self, dest: CowStr<'a>) -> CowStr<'a> {
        if let Some(target) = dest.strip_prefix("@/") {
            return match self.links.resolve(target) {
                Some(path) => {
                    self.internal.push(path.clone());
                    rebase(CowStr::from(path), self.root)
                }
                None => {
                    self.broken.push(dest.to_string());
                    dest
                }
            };
        }
        if let Some(local) = local_file(&dest) {
            self.local_refs.push(local.to_string());
        }
        rebase(dest, self.root)
    }

    /// Raw HTML with each quoted internal link (`href="@/x.md"`) resolved.
    fn internal_in_html(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find("\"@/") {
            out.push_str(&rest[..=i]);
            let after = &rest[i + 1..];
            let end = after.find('"').unwrap_or(after.len());
            let resolved = self.note_ref(CowStr::from(after[..end].to_string()));
            out.push_str(&resolved);
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    /// Gives every heading its id; returns the table of contents.
    pub(super) fn assign_heading_ids(&mut self) -> Vec<TocEntry> {
        headings::assign_ids(&mut self.events, &self.headings)
    }

    /// The code blocks that will be shown as plain text, to warn about: unknown languages,
    /// and blocks past the highlighter's budget.
    pub(super) fn code_warnings(
        &self,
        highlighter: &Highlighter,
    ) -> (Vec<UnknownLanguage>, Vec<UnhighlightedBlock>) {
        let mut unknown = Vec::new();
        let mut over = Vec::new();
        for block in &self.code {
            if let Some(why) = highlighter.over_budget(block.language.as_deref(), &block.code) {
                over.push(UnhighlightedBlock {
                    offset: block.offset,
                    why,
                });
            } else if highlighter.is_unknown(block.language.as_deref()) {
                unknown.push(UnknownLanguage {
                    offset: block.offset,
                    language: block.language.clone().unwrap_or_default(),
                });
            }
        }
        (unknown, over)
    }

    /// Highlights the code blocks whose events come before `end`.
    pub(super) fn highlight_before(
        &mut self,
        end: usize,
        highlighter: &Highlighter,
        lines: &mut LineCache,
    ) {
        for block in self.code.iter().filter(|b| b.index < end) {
            let highlighted =
                highlighter.highlight_with(block.language.as_deref(), &block.code, lines);
            self.events[block.index] = Event::Html(CowStr::from(highlighted.html));
        }
    }
}

/// The language a code block names: the first word of a fence's info string.
fn fence_language(kind: &CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        CodeBlockKind::Indented => None,
    }
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

/// Whether raw HTML has a quoted internal link (`href="@/x.md"`).
fn has_internal_link(html: &str) -> bool {
    memchr::memmem::find(html.as_bytes(), b"\"@/").is_some()
}

/// `<!-- more -->`, also as Hugo writes it (`<!--more-->`).
fn is_more_marker(html: &str) -> bool {
    let inner = html
        .trim()
        .strip_prefix("<!--")
        .and_then(|t| t.strip_suffix("-->"));
    const WORD: &str = "more";
    debug_assert_eq!(MORE_MARKER, "<!-- more -->");
    inner.is_some_and(|t| t.trim() == WORD)
}

/// The file a relative link target names (`./cover.png` -> `cover.png`), without query or
/// fragment; `None` for URLs, site paths, fragments and paths that leave the folder.
pub(crate) fn local_file(dest: &str) -> Option<&str> {
    let bytes = dest.as_bytes();
    // Most targets are URLs of other sites or site paths: told apart by their first bytes.
    if matches!(bytes.first(), None | Some(b'/' | b'#' | b'@'))
        || memchr::memchr(b':', bytes).is_some()
    {
        return None;
    }
    let end = memchr::memchr2(b'?', b'#', bytes).unwrap_or(bytes.len());
    let path = &dest[..end];
    let path = path.strip_prefix("./").unwrap_or(path);
    let leaves = path.split('/').any(|segment| segment == "..");
    (!path.is_empty() && !path.starts_with('/') && !leaves && !path.ends_with('/')).then_some(path)
}
