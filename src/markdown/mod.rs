//! Markdown with pulldown-cmark: a document's outline (heading ids and the table of contents,
//! the summary, the first paragraph, word counts, code blocks to warn about), made when the
//! site is resolved, and its HTML with highlighted code, made when its page is rendered.

mod budget;
pub(crate) mod cjk;
pub(crate) mod code_cache;
pub(crate) mod components;
pub(crate) mod dialect;
mod footnotes;
mod headings;
pub(crate) mod highlight;
mod lines;
pub(crate) mod links;
pub(crate) mod math;
mod output;
pub(crate) mod pictures;
mod stylesheet;
mod walk;
pub(crate) mod words;

use links::Links;
pub(crate) use walk::local_file;

use serde::Serialize;

use crate::markdown::highlight::{Highlighter, LineCache, OverBudget};
use walk::Walk;

/// The marker that ends a post's summary.
pub(crate) const MORE_MARKER: &str = "<!-- more -->";

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, minicbor::Encode, minicbor::Decode)]
pub struct TocEntry {
    #[n(0)]
    pub level: u8,
    #[n(1)]
    pub id: String,
    #[n(2)]
    pub title: String,
    #[n(3)]
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

/// What lists, tables of contents and checks need of a document, without the HTML of its
/// body: that is made page by page when the site is rendered, so nothing ever holds the
/// bodies of all posts at once.
///
/// Kept between builds (`model/cache/record.rs`) only when it has nothing to report: the
/// problems it lists are not encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, minicbor::Encode, minicbor::Decode)]
pub struct Outline {
    #[n(0)]
    pub toc: Vec<TocEntry>,
    /// The HTML before `<!-- more -->`, when the marker is present.
    #[n(1)]
    pub summary_html: Option<String>,
    /// The first top-level paragraph, as HTML.
    #[n(2)]
    pub first_paragraph_html: Option<String>,
    /// The first top-level paragraph, as plain text.
    #[n(3)]
    pub first_paragraph_text: String,
    /// Words outside code blocks (CJK characters aside).
    #[n(4)]
    pub word_count: usize,
    /// CJK characters outside code blocks: Chinese and Japanese are read a character at a
    /// time (`cjk.rs`).
    #[n(5)]
    pub cjk_characters: usize,
    #[cbor(skip)]
    pub unknown_languages: Vec<UnknownLanguage>,
    #[cbor(skip)]
    pub over_budget: Vec<UnhighlightedBlock>,
    /// Files the body links to relative to itself (`![](cover.png)`), as written.
    #[n(6)]
    pub local_refs: Vec<String>,
    /// The site paths its internal links (`@/x.md`) lead to.
    #[n(7)]
    pub internal: Vec<String>,
    /// Internal link targets that name no document.
    #[cbor(skip)]
    pub broken_links: Vec<String>,
    /// Formulas that are not valid LaTeX.
    #[cbor(skip)]
    pub math_errors: Vec<math::MathError>,
    /// Every picture the body shows.
    #[n(8)]
    pub(crate) pictures: Vec<pictures::PictureRef>,
    /// Component calls that do not fit their component.
    #[cbor(skip)]
    pub component_errors: Vec<components::ComponentError>,
}

impl Outline {
    /// Whether it lists anything to report (warnings or errors): such an outline is made
    /// again rather than kept between builds, which do not keep what it lists.
    pub(crate) fn has_problems(&self) -> bool {
        !(self.unknown_languages.is_empty()
            && self.over_budget.is_empty()
            && self.broken_links.is_empty()
            && self.math_errors.is_empty()
            && self.component_errors.is_empty())
    }
}

/// The outline of `markdown`. Root-relative links (`/about/`) are prefixed with `root` (the
/// site's base path, e.g. `/blog/`) so content works under a subpath. Only the code blocks a
/// summary shows are highlighted.
pub fn outline(
    markdown: &str,
    highlighter: &Highlighter,
    root: &str,
    lines: &mut LineCache,
) -> Outline {
    let none = pictures::Pictures::none();
    outline_linked(
        markdown,
        highlighter,
        (root, &Links::default(), &none),
        lines,
    )
}

/// [`outline`], with internal links (`@/x.md`) resolved through `links` and component calls
/// checked against the components of `context`.
pub(crate) fn outline_linked(
    markdown: &str,
    highlighter: &Highlighter,
    (root, links, context): (&str, &Links, &pictures::Pictures<'_>),
    lines: &mut LineCache,
) -> Outline {
    let (prepared, calls) = prepare(markdown);
    let text = prepared.as_ref().map_or(markdown, |p| p.text.as_str());
    // Places found in the rewritten text, told as places in the body as written.
    let original = |at: usize| prepared.as_ref().map_or(at, |p| p.original(at));
    let mut walk = Walk::new(text, (root, links), context, calls);
    let toc = walk.assign_heading_ids();
    let (unknown_languages, over_budget) = walk.code_warnings(highlighter);
    let summary_end = walk.more_at;
    if let Some(end) = summary_end {
        walk.highlight_before(end, highlighter, lines);
    }
    let mut unknown_languages = unknown_languages;
    unknown_languages
        .iter_mut()
        .for_each(|u| u.offset = original(u.offset));
    let mut over_budget = over_budget;
    over_budget
        .iter_mut()
        .for_each(|b| b.offset = original(b.offset));
    let mut math_errors = std::mem::take(&mut walk.math_errors);
    math_errors
        .iter_mut()
        .for_each(|m| m.offset = original(m.offset));
    let mut pictures = std::mem::take(&mut walk.picture_refs);
    pictures
        .iter_mut()
        .for_each(|p| p.offset = original(p.offset));
    // Calls' places are told as written already.
    walk.note_component_pictures();
    pictures.append(&mut walk.picture_refs);
    Outline {
        toc,
        summary_html: summary_end.map(|end| walk.html_of(0..end)),
        first_paragraph_html: walk
            .first_paragraph
            .clone()
            .map(|range| walk.html_of(range)),
        first_paragraph_text: cjk::join_lines(&walk.first_paragraph_text),
        word_count: walk.word_count,
        cjk_characters: walk.cjk_characters,
        unknown_languages,
        over_budget,
        local_refs: std::mem::take(&mut walk.local_refs),
        internal: std::mem::take(&mut walk.internal),
        broken_links: std::mem::take(&mut walk.broken),
        math_errors,
        pictures,
        component_errors: {
            let mut errors = std::mem::take(&mut walk.component_errors);
            errors.extend(prepared.iter().flat_map(|p| p.unclosed.iter().cloned()));
            errors
        },
    }
}

/// `markdown` with its component calls replaced by markers (when it has any), and the calls.
fn prepare(markdown: &str) -> (Option<components::Prepared>, Vec<components::Call>) {
    let mut prepared = components::prepare(markdown);
    let calls = prepared
        .as_mut()
        .map(|p| std::mem::take(&mut p.calls))
        .unwrap_or_default();
    (prepared, calls)
}

/// The HTML of `markdown`'s whole body, its code highlighted.
pub fn html(
    markdown: &str,
    highlighter: &Highlighter,
    root: &str,
    lines: &mut LineCache,
) -> String {
    let none = pictures::Pictures::none();
    html_linked(
        markdown,
        highlighter,
        (root, &Links::default(), &none),
        lines,
    )
}

/// [`html`], with internal links (`@/x.md`) resolved through `links`, and pictures sized.
pub(crate) fn html_linked(
    markdown: &str,
    highlighter: &Highlighter,
    (root, links, pictures): (&str, &Links, &pictures::Pictures<'_>),
    lines: &mut LineCache,
) -> String {
    let (prepared, calls) = prepare(markdown);
    let text = prepared.as_ref().map_or(markdown, |p| p.text.as_str());
    let mut walk = Walk::new(text, (root, links), pictures, calls);
    walk.assign_heading_ids();
    walk.highlight_before(usize::MAX, highlighter, lines);
    walk.html_of(0..walk.events.len())
}

#[cfg(test)]
mod tests {
    use super::walk::count_words;
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

    /// The outline and the HTML of `text`, as a test looks at them.
    struct Rendered {
        html: String,
        toc: Vec<TocEntry>,
        summary_html: Option<String>,
        first_paragraph_html: Option<String>,
        first_paragraph_text: String,
        word_count: usize,
        unknown_languages: Vec<UnknownLanguage>,
    }

    fn render(text: &str, highlighter: &Highlighter, root: &str) -> Rendered {
        let o = outline(text, highlighter, root, &mut LineCache::new());
        Rendered {
            html: html(text, highlighter, root, &mut LineCache::new()),
            toc: o.toc,
            summary_html: o.summary_html,
            first_paragraph_html: o.first_paragraph_html,
            first_paragraph_text: o.first_paragraph_text,
            word_count: o.word_count,
            unknown_languages: o.unknown_languages,
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
        assert!(r.html.contains("<li id=\"fn-1\">"));
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_listed_at_the_end() {
        let r = md(
            "A[^b] and B[^a], then A again[^b].\n\n[^a]: Alpha.\n\n[^b]: Beta.\n\n[^c]: Never used.\n\nLast paragraph.\n",
        );
        assert_eq!(
            r.html,
            "<p>A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> and B<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>, then A again<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup>.</p>\n<p>Last paragraph.</p>\n<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n<li id=\"fn-1\">\n<p>Beta. <a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">\u{21a9}</a> <a href=\"#fnref-1-2\" class=\"footnote-backref\" aria-label=\"Back to reference 1-2\">\u{21a9}<sup>2</sup></a></p>\n</li>\n<li id=\"fn-2\">\n<p>Alpha. <a href=\"#fnref-2\" class=\"footnote-backref\" aria-label=\"Back to reference 2\">\u{21a9}</a></p>\n</li>\n</ol>\n</section>\n"
        );
        // A definition's paragraph is never the post's first paragraph.
        assert_eq!(r.first_paragraph_text, "A and B, then A again.");
    }

    #[test]
    fn code_and_headings_in_a_footnote_are_kept() {
        let r = md(
            "# Top\n\nSee[^x].\n\n[^x]: Code:\n\n    ```rust\n    fn a() {}\n    ```\n\n## After\n",
        );
        assert!(r.html.contains("<span class=\"hl-storage"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"after\">After</h2>"), "{}", r.html);
        let list = r.html.find("<section class=\"footnotes\"").unwrap();
        assert!(r.html[list..].contains("hl-storage"));
        assert!(!r.html[list..].contains("After"));
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
