//! Posts and standalone pages: a checked [`Document`] with its outlined body, settled into
//! what pages show (URLs, dates, summary, reading time). Pure: works on files already read.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::ZonedDateTime;

use crate::diagnostic::{Diagnostic, Lines};
use crate::load::config::Config;
use crate::load::content::Asset;
use crate::load::url::PermalinkFields;
use crate::markdown::highlight::{Highlighter, LineCache};
use crate::markdown::links::Links;
use crate::markdown::words::cut_at_word;
use crate::markdown::{self, Outline};
use crate::model::date::DateView;
pub(crate) use crate::model::document::{Document, Kind, fallback_name, parse_document, stem};
use crate::model::limits::{DESCRIPTION_CHARACTERS, SUMMARY_CHARACTERS};

/// Words read a minute, for reading time.
const WORDS_PER_MINUTE: usize = 200;

/// The longest a summary taken from a first paragraph in Chinese or Japanese may be, in
/// characters (about two sentences, as search engines show of such a page).
const CJK_SUMMARY_CHARACTERS: usize = 120;

/// A post ready to be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub doc: Document,
    pub date: ZonedDateTime,
    /// `date` in the forms templates show, made once (many pages show a post's date).
    pub date_view: DateView,
    /// Site path, e.g. `/posts/slug/`.
    pub path: String,
    /// The file of its page in the output, e.g. `posts/slug/index.html`.
    pub file: PathBuf,
    /// The path a browser asks for (the site path under the base path) and the absolute URL.
    pub url: String,
    pub permalink: String,
    /// `updated` in the forms templates show.
    pub updated_view: Option<DateView>,
    /// The absolute URL of `image:`, for link previews.
    pub image_url: Option<String>,
    pub assets: Vec<Asset>,
    /// Shared with the cache of rendered bodies, so keeping a post costs no copy of its body.
    pub body: Arc<Outline>,
    /// Summary as HTML: `<!-- more -->`, else `summary:`, else the first paragraph.
    pub summary_html: String,
    /// Summary as plain text, for descriptions.
    pub description: String,
    pub reading_minutes: usize,
    /// Dated after the build (shown only with `--future`): never in the search index.
    pub future: bool,
    /// The fingerprint of the post's own fields as pages show them: made by the renderer
    /// the first time it needs it, and kept with the post between rebuilds.
    pub view_digest: std::sync::OnceLock<u128>,
}

/// A standalone page (about, privacy policy) at `/<slug>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub doc: Document,
    pub path: String,
    pub body: Arc<Outline>,
    pub description: String,
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    pulldown_cmark_escape::escape_html_body_text(&mut out, text).ok();
    out
}

/// The hash of a body's text and of where its internal links lead.
fn with_links(text_hash: u128, targets: &[String]) -> u128 {
    let mut bytes = text_hash.to_le_bytes().to_vec();
    for target in targets {
        bytes.extend_from_slice(target.as_bytes());
        bytes.push(0);
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// The description of `doc`, whose (first) paragraph is `paragraph`: its `description:`,
/// else its `summary:`, else the paragraph's text; at most [`DESCRIPTION_CHARACTERS`], cut at
/// a word.
pub(crate) fn description_of(doc: &Document, paragraph: &str) -> String {
    match doc.description.as_deref().or(doc.summary.as_deref()) {
        Some(own) => cut_at_word(own, DESCRIPTION_CHARACTERS).into_owned(),
        None => {
            let text = plain_description(doc, paragraph);
            match cut_at_word(&text, DESCRIPTION_CHARACTERS) {
                std::borrow::Cow::Owned(cut) => cut,
                std::borrow::Cow::Borrowed(_) => text,
            }
        }
    }
}

/// The first paragraph as a description: without template syntax that was not understood.
fn plain_description(doc: &Document, text: &str) -> String {
    if doc.foreign_syntax {
        without_template_syntax(text)
    } else {
        text.to_string()
    }
}

/// Plain text without another generator's template syntax left in it (`{{< x >}}`,
/// `{% x %}`, `{{ x }}`): what a description, a feed summary or JSON-LD must never show.
pub(crate) fn without_template_syntax(text: &str) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let close = ["{{<", "{{%", "{{", "{%"]
            .iter()
            .find(|open| after.starts_with(**open))
            .and_then(|open| {
                let closer = match *open {
                    "{{<" => ">}}",
                    "{{%" => "%}}",
                    "{{" => "}}",
                    _ => "%}",
                };
                after.find(closer).map(|end| end + closer.len())
            });
        match close {
            Some(end) => rest = &after[end..],
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The site path of a post: its own `permalink:`, else the config's pattern filled, under
/// the prefix of its language.
pub(crate) fn site_path(doc: &Document, date: &ZonedDateTime, config: &Config) -> String {
    let path = pattern_path(doc, date, config);
    config.localized(&path)
}

fn pattern_path(doc: &Document, date: &ZonedDateTime, config: &Config) -> String {
    let pattern = doc.permalink.as_ref().unwrap_or(&config.permalink);
    let section = if pattern.uses("section") {
        section_of(&doc.source, config.file_slugs)
    } else {
        String::new()
    };
    pattern.fill(PermalinkFields {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        slug: &doc.slug,
        section: &section,
        categories: &doc.categories,
    })
}

/// The folder of a post under `content/posts/` (for a bundle, the folder holding the
/// bundle), `/`-separated: `""` for `content/posts/x.md`, `news` for `content/posts/news/x.md`.
fn section_of(source: &std::path::Path, style: crate::model::url::FileSlugs) -> String {
    let relative = source.strip_prefix("content/posts").unwrap_or(source);
    let mut folder = relative.parent();
    let stem = relative.file_stem().map(|s| s.to_string_lossy());
    if stem.is_some_and(|s| s == "index" || s.starts_with("index.")) {
        folder = folder.and_then(std::path::Path::parent);
    }
    let parts: Vec<String> = folder
        .map(|f| {
            f.components()
                .map(|c| crate::model::url::file_slug(&c.as_os_str().to_string_lossy(), style))
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default();
    parts.join("/")
}

/// Outlines a post's body and settles its URL and summary (for tests: a site does both in
/// steps). Unknown code languages are reported as warnings.
#[cfg(test)]
fn outline_post(
    doc: Document,
    date: ZonedDateTime,
    assets: Vec<Asset>,
    config: &Config,
    highlighter: &Highlighter,
    warnings: &mut Vec<Diagnostic>,
) -> Post {
    let links = Links::default();
    let body = outline_body(
        &doc,
        (config, &links, &markdown::components::Specs::new()),
        highlighter,
        &mut LineCache::new(),
        warnings,
    );
    finish_post(doc, date, assets, config, Arc::new(body))
}

/// Settles a post's URL and summary around its outlined body.
pub(crate) fn finish_post(
    mut doc: Document,
    date: ZonedDateTime,
    assets: Vec<Asset>,
    config: &Config,
    body: Arc<Outline>,
) -> Post {
    let path = site_path(&doc, &date, config);
    if !body.internal.is_empty() {
        // The body shows where its internal links lead: a page made from it changes with them.
        doc.text_hash = with_links(doc.text_hash, &body.internal);
    }
    // A first paragraph in Chinese or Japanese longer than the budget is cut at a sentence
    // end: it has no spaces to cut at, and is read a character at a time. Any other too long
    // for a card is cut at a word (and shown as text).
    let first = &body.first_paragraph_text;
    let cut = if body.cjk_characters > 0 && first.chars().any(crate::markdown::cjk::is_cjk) {
        crate::markdown::cjk::cut_at_sentence(first, CJK_SUMMARY_CHARACTERS)
    } else {
        cut_at_word(first, SUMMARY_CHARACTERS)
    };
    let cut = Some(cut).filter(|cut| cut.len() < first.len());
    let summary_html = match (&body.summary_html, &doc.summary, &cut) {
        (Some(html), _, _) => shown_elsewhere(html, &path, config),
        (None, Some(text), _) => {
            format!(
                "<p>{}</p>\n",
                escape_text(&cut_at_word(text, SUMMARY_CHARACTERS))
            )
        }
        (None, None, Some(cut)) => format!("<p>{}</p>\n", escape_text(cut)),
        (None, None, None) => body
            .first_paragraph_html
            .as_deref()
            .map(|html| shown_elsewhere(html, &path, config))
            .unwrap_or_default(),
    };
    let description = description_of(&doc, cut.as_deref().unwrap_or(first));
    let reading_minutes = crate::markdown::cjk::reading_minutes(
        body.word_count,
        body.cjk_characters,
        WORDS_PER_MINUTE,
    );
    let base = &config.base_url;
    let image_url = doc.image.as_deref().map(|image| {
        crate::model::url::resolve(&path, image)
            .map_or_else(|| image.to_string(), |p| base.permalink(&p))
    });
    Post {
        file: crate::model::url::output_file(&path),
        url: base.url(&path),
        permalink: base.permalink(&path),
        updated_view: doc
            .updated
            .as_ref()
            .map(|d| DateView::new(d, &config.language)),
        image_url,
        doc,
        date_view: DateView::new(&date, &config.language),
        date,
        path,
        assets,
        body,
        summary_html,
        description,
        reading_minutes,
        future: false,
        view_digest: std::sync::OnceLock::new(),
    }
}

/// HTML of the post at site path `post_path`, made fit for other pages (index, tags): links
/// relative to the post (a bundle's `view.png`, `#anchor`) are made to lead to the same place
/// from anywhere on the site.
fn shown_elsewhere(html: &str, post_path: &str, config: &Config) -> String {
    let base = &config.base_url;
    crate::model::url::rewrite_links(html, |value| {
        if value.starts_with('/') || crate::model::url::is_external(value) {
            return None;
        }
        if value.starts_with('#') {
            return Some(format!("{}{value}", base.url(post_path)));
        }
        crate::model::url::resolve(post_path, value).map(|path| base.url(&path))
    })
}

/// The site path of the standalone page with `slug`: `/<slug>/` (under the prefix of the
/// language of `config`).
pub(crate) fn page_path(slug: &str, config: &Config) -> String {
    config.localized(&format!("/{slug}/"))
}

/// Settles a standalone page's URL and description around its outlined body.
pub(crate) fn finish_page(mut doc: Document, body: Arc<Outline>, config: &Config) -> Page {
    if !body.internal.is_empty() {
        doc.text_hash = with_links(doc.text_hash, &body.internal);
    }
    let description = description_of(&doc, &body.first_paragraph_text);
    Page {
        path: page_path(&doc.slug, config),
        doc,
        body,
        description,
    }
}

/// The HTML of a document's body, its code highlighted: made when its page is rendered.
pub(crate) fn body_html(
    doc: &Document,
    (config, links, pictures): (&Config, &Links, &markdown::pictures::Pictures<'_>),
    highlighter: &Highlighter,
    lines: &mut LineCache,
) -> String {
    markdown::html_linked(
        doc.body(),
        highlighter,
        (config.base_url.root(), links, pictures),
        lines,
    )
}

/// Byte `at` of `doc`'s body as a place in its text: the body's start when it is not one (a
/// place is never trusted to slice the text with).
fn place_in(doc: &Document, at: usize) -> usize {
    let offset = doc.body_offset + at;
    if offset <= doc.text.len() && doc.text.is_char_boundary(offset) {
        offset
    } else {
        doc.body_offset.min(doc.text.len())
    }
}

/// Outlines a document's Markdown body (see [`Outline`]), with a warning for each code block
/// that will be shown as plain text.
pub(crate) fn outline_body(
    doc: &Document,
    (config, links, specs): (&Config, &Links, &markdown::components::Specs),
    highlighter: &Highlighter,
    lines: &mut LineCache,
    warnings: &mut Vec<Diagnostic>,
) -> Outline {
    let root = config.base_url.root();
    let checking = markdown::pictures::Pictures::checking(specs);
    let body = markdown::outline_linked(doc.body(), highlighter, (root, links, &checking), lines);
    if body.unknown_languages.is_empty() && body.over_budget.is_empty() {
        return body;
    }
    let places = Lines::new(&doc.text);
    for unknown in &body.unknown_languages {
        let offset = place_in(doc, unknown.offset);
        let fence_width = doc.text[offset..].find('\n').unwrap_or(3);
        warnings.push(
            Diagnostic::warning(doc.source.clone(), format!("unknown code language `{}`", unknown.language))
                .at_offset_in(&places, offset, fence_width)
                .with_label("shown as plain text")
                .with_hint("use a known language name (rust, python, yaml, sh...), or `text` for no highlighting"),
        );
    }
    for block in &body.over_budget {
        let offset = place_in(doc, block.offset);
        let fence_width = doc.text[offset..].find('\n').unwrap_or(3);
        warnings.push(
            Diagnostic::warning(doc.source.clone(), block.why.describe())
                .at_offset_in(&places, offset, fence_width)
                .with_label("shown as plain text")
                .with_hint("break up long lines or split the block; or write ```text to show it as plain text without this warning"),
        );
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::SourceFile;
    use std::path::Path;

    fn config() -> Config {
        Config::parse(
            "title: T\nbase_url: https://e.com/\ntimezone: Asia/Hong_Kong\nauthor: Site Author\n",
            Path::new("config.yaml"),
        )
        .unwrap()
    }

    fn doc(text: &str, name: &str) -> Result<Document, Vec<Diagnostic>> {
        let file = SourceFile {
            path: PathBuf::from(format!("content/posts/{name}.md")),
            text: text.into(),
        };
        parse_document(&file, name, Kind::Post, &config(), &mut Vec::new())
    }

    #[test]
    fn date_and_slug_from_file_name() {
        let d = doc("---\ntitle: Hello\n---\nBody\n", "2024-12-15-hello-world").unwrap();
        assert_eq!(d.slug, "hello-world");
        assert_eq!(
            d.date.unwrap().strftime("%Y-%m-%d %z").to_string(),
            "2024-12-15 +0800"
        );
        assert_eq!(d.authors, ["Site Author"]);
    }

    #[test]
    fn front_matter_wins_over_file_name() {
        let d = doc(
            "---\ntitle: Hello\ndate: 2023-01-02\nslug: custom\n---\n",
            "2024-12-15-hello",
        )
        .unwrap();
        assert_eq!(d.slug, "custom");
        assert_eq!(d.date.unwrap().year(), 2023);
    }

    #[test]
    fn missing_title_and_date_are_both_reported() {
        let errors = doc("---\ntags: [a]\n---\n", "no-date").unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, vec!["missing `title`", "missing `date`"]);
    }

    #[test]
    fn bad_slug_is_rejected() {
        let errors = doc("---\ntitle: x\ndate: 2024-01-01\nslug: ../etc\n---\n", "x").unwrap_err();
        assert_eq!(
            errors[0].message,
            "invalid `slug` `../etc`: it contains `/`"
        );
    }

    #[test]
    fn punctuation_only_file_name_needs_slug() {
        let errors = doc("---\ntitle: x\ndate: 2024-01-01\n---\n", "!!!").unwrap_err();
        assert_eq!(
            errors[0].message,
            "the file name `!!!` gives an empty URL slug"
        );
    }

    #[test]
    fn impossible_date() {
        let errors = doc("---\ntitle: x\ndate: 2026-02-30\n---\n", "x").unwrap_err();
        assert_eq!(
            errors[0].message,
            "invalid `date`: `2026-02-30` is not a valid date: month 2 of 2026 has no day 30"
        );
        assert_eq!(
            errors[0].position().map(|p| (p.line, p.column)),
            Some((3, 7))
        );
    }

    #[test]
    fn summary_precedence() {
        let c = config();
        let h = Highlighter::new();
        let d = doc(
            "---\ntitle: x\ndate: 2024-01-01\nsummary: From <fm>\n---\nFirst para.\n",
            "x",
        )
        .unwrap();
        let date = d.date.clone().unwrap();
        let p = outline_post(d, date.clone(), vec![], &c, &h, &mut vec![]);
        assert_eq!(p.summary_html, "<p>From &lt;fm&gt;</p>\n");
        assert_eq!(p.description, "From <fm>");
        assert_eq!(p.path, "/posts/x/");
        let d = doc(
            "---\ntitle: x\ndate: 2024-01-01\nsummary: ignored\n---\nTop.\n\n<!-- more -->\nRest\n",
            "x",
        )
        .unwrap();
        let p = outline_post(d, date, vec![], &c, &h, &mut vec![]);
        assert_eq!(p.summary_html, "<p>Top.</p>\n");
    }

    #[test]
    fn unknown_language_warns_with_line() {
        let c = config();
        let d = doc(
            "---\ntitle: x\ndate: 2024-01-01\n---\nText\n\n```klingon\nx\n```\n",
            "x",
        )
        .unwrap();
        let date = d.date.clone().unwrap();
        let mut warnings = vec![];
        let _ = outline_post(d, date, vec![], &c, &Highlighter::new(), &mut warnings);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].message, "unknown code language `klingon`");
        assert_eq!(warnings[0].position().map(|p| p.line), Some(7));
    }
}
