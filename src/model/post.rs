//! Posts and standalone pages: front matter checked against the site (title, dates, slug),
//! then the body rendered. Pure: works on [`SourceFile`]s already read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::ZonedDateTime;

use crate::diagnostic::Diagnostic;
use crate::load::config::Config;
use crate::load::content::{Asset, PostSource, SourceFile};
use crate::load::url::{PermalinkFields, check_site_path};
use crate::markdown::highlight::{Highlighter, LineCache};
use crate::markdown::{self, Outline};
use crate::model::date::{self, DateView};
use crate::model::front_matter::{self, FrontMatter, Located, Split};

/// Words read a minute, for reading time.
const WORDS_PER_MINUTE: usize = 200;

/// What a Markdown document is, once its front matter has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file, as shown to the user.
    pub source: PathBuf,
    pub title: String,
    pub slug: String,
    pub date: Option<ZonedDateTime>,
    pub updated: Option<ZonedDateTime>,
    pub author: Option<String>,
    /// `summary:` (or `description:`) from the front matter.
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub series: Option<String>,
    pub series_part: Option<u32>,
    /// In a series description: the planned number of parts.
    pub total_parts: Option<u32>,
    pub draft: bool,
    /// Old site paths of the post, each normalised to start with `/`.
    pub aliases: Vec<String>,
    /// `image:` as written.
    pub image: Option<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The whole (normalised) file text and where the body starts in it.
    pub text: Arc<str>,
    pub body_offset: usize,
    /// A hash of `text`, made once: what a page showing the body is made from.
    pub text_hash: u128,
}

impl Document {
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }
}

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

/// Which kind of file a document comes from; decides which keys are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Post,
    Page,
    SeriesDescription,
}

/// Checks the front matter of `file` and returns the document, or every problem found.
/// `fallback_name` is the file stem or bundle name the slug and date may come from.
pub fn parse_document(
    file: &SourceFile,
    fallback_name: &str,
    kind: Kind,
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text, &file.path).map_err(|d| vec![d])?;
    let fm = front_matter::parse(&file.text, &split, &file.path, warnings).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let at = |loc: serde_saphyr::Location, width: usize, message: String| {
        // The parser knows how wide the value is as written (quotes included).
        let written = usize::try_from(loc.span().len()).unwrap_or(0);
        Diagnostic::error(file.path.clone(), message).at(
            &file.text,
            front_matter::position(&split, loc),
            if written > 0 { written } else { width },
        )
    };

    let title = match &fm.title {
        Some(Located { value: Some(t), .. }) if !t.trim().is_empty() => Some(t.trim().to_string()),
        Some(Located { location, .. }) => {
            errors.push(
                at(*location, 1, "`title` is empty".to_string())
                    .with_label("no title here")
                    .with_hint("give the post a title, e.g. title: \"My post\""),
            );
            None
        }
        None => {
            errors.push(missing_title(file, &split));
            None
        }
    };

    let (file_date, file_slug) = match date::from_file_name(fallback_name) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, fallback_name),
    };

    let slug = match &fm.slug {
        Some(s) => match check_slug(&s.value) {
            Ok(()) => Some(s.value.clone()),
            Err(why) => {
                errors.push(
                    at(
                        s.location,
                        s.value.chars().count(),
                        format!("invalid `slug` `{}`: {why}", s.value.escape_debug()),
                    )
                    .with_label("invalid slug")
                    .with_hint(format!(
                        "use letters, digits and dashes, e.g. slug: {}",
                        suggest_slug(&s.value)
                    )),
                );
                None
            }
        },
        None => {
            let from_name = slug::slugify(file_slug);
            if from_name.is_empty() {
                let source_kind = if kind == Kind::Post && file.path.ends_with("index.md") {
                    "folder"
                } else {
                    "file"
                };
                errors.push(
                    Diagnostic::error(
                        file.path.clone(),
                        format!("the {source_kind} name `{file_slug}` gives an empty URL slug"),
                    )
                    .with_hint("add a `slug:` to the front matter, e.g. slug: my-post"),
                );
                None
            } else {
                Some(from_name)
            }
        }
    };

    let parse_date = |value: &Option<Located<String>>,
                      key: &str,
                      errors: &mut Vec<Diagnostic>|
     -> Option<ZonedDateTime> {
        let v = value.as_ref()?;
        match date::parse(&v.value, &config.timezone) {
            Ok(z) => Some(z),
            Err(why) => {
                errors.push(
                    at(
                        v.location,
                        v.value.chars().count(),
                        format!("invalid `{key}`: {why}"),
                    )
                    .with_label("not a date")
                    .with_hint(date::ACCEPTED_FORMATS),
                );
                None
            }
        }
    };
    let mut date = parse_date(&fm.date, "date", &mut errors);
    let updated = parse_date(&fm.updated, "updated", &mut errors);
    if date.is_none() && fm.date.is_none() {
        date = file_date.and_then(|d| date::in_zone(d, &config.timezone));
    }

    if let Some(total) = &fm.total_parts {
        if kind != Kind::SeriesDescription {
            errors.push(
                at(
                    total.location,
                    1,
                    "`total_parts` only belongs in a series description".to_string(),
                )
                .with_hint(
                    "set it in content/series/<series-slug>.md, the file that describes the series",
                ),
            );
        } else if total.value == 0 {
            errors.push(
                at(
                    total.location,
                    1,
                    "`total_parts` must be 1 or more".to_string(),
                )
                .with_hint("write the planned number of parts, e.g. total_parts: 3"),
            );
        }
    }
    if let Some(part) = &fm.series_part {
        if part.value == 0 {
            errors.push(
                at(
                    part.location,
                    1,
                    "`series_part` must be 1 or more".to_string(),
                )
                .with_label("parts are counted from 1")
                .with_hint("the first part of a series is series_part: 1"),
            );
        }
        if fm.series.is_none() {
            errors.push(
                at(
                    part.location,
                    1,
                    "`series_part` without `series`".to_string(),
                )
                .with_hint("name the series too, e.g. series: \"My series\""),
            );
        }
    }
    if let Some(series) = &fm.series
        && slug::slugify(&series.value).is_empty()
    {
        errors.push(
            at(
                series.location,
                series.value.chars().count(),
                format!("series name `{}` gives an empty URL slug", series.value),
            )
            .with_hint("use a series name with letters or digits"),
        );
    }
    if let (Some(summary), Some(description)) = (&fm.summary, &fm.description)
        && summary != &description.value
    {
        errors.push(
            at(
                description.location,
                description.value.chars().count(),
                "both `summary` and `description` are set".to_string(),
            )
            .with_hint("`description` is another name for `summary`: keep one of them"),
        );
    }
    for tag in &fm.tags {
        if slug::slugify(tag).is_empty() {
            errors.push(
                Diagnostic::error(
                    file.path.clone(),
                    format!("tag `{tag}` gives an empty URL slug"),
                )
                .with_hint("use tags with letters or digits"),
            );
        }
    }

    if let Some(aliases) = &fm.aliases {
        for alias in &aliases.value {
            if let Err(why) = check_alias(alias) {
                errors.push(
                    at(
                        aliases.location,
                        1,
                        format!("invalid alias `{}`: {why}", alias.escape_debug()),
                    )
                    .with_label("in this list")
                    .with_hint(
                        "an alias is an old path of this post on the site, e.g. /2019/05/old-name/",
                    ),
                );
            }
        }
    }

    check_limits(&fm, slug.as_deref(), &at, file, &mut errors);

    if kind == Kind::Post && date.is_none() && fm.date.is_none() {
        errors.push(
            Diagnostic::error(file.path.clone(), "missing `date`").with_hint(
                "add `date: YYYY-MM-DD` to the front matter, or name the file YYYY-MM-DD-slug.md",
            ),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(title), Some(slug)) = (title, slug) else {
        return Err(errors);
    };
    let extra = front_matter::extra_for_templates(&fm);
    let FrontMatter {
        author,
        summary,
        description,
        tags,
        series,
        series_part,
        total_parts,
        draft,
        aliases,
        image,
        ..
    } = fm;
    Ok(Document {
        source: file.path.clone(),
        title,
        slug,
        date,
        updated,
        author: author.or_else(|| config.author.clone()),
        summary: summary.or(description.map(|d| d.value)),
        tags: dedup(tags),
        series: series.map(|s| s.value.trim().to_string()),
        series_part: series_part.map(|p| p.value),
        total_parts: total_parts.map(|p| p.value),
        draft,
        aliases: aliases
            .map(|a| a.value.iter().map(|p| normalize_alias(p)).collect())
            .unwrap_or_default(),
        image,
        extra,
        text: file.text.clone(),
        text_hash: xxhash_rust::xxh3::xxh3_128(file.text.as_bytes()),
        body_offset: split.body_offset,
    })
}

/// The documented limits ([`crate::model::limits`]): part numbers, tags on a post, and the length
/// of every URL segment the front matter gives (slug, tags, series, aliases).
fn check_limits(
    fm: &FrontMatter,
    slug: Option<&str>,
    at: &dyn Fn(serde_saphyr::Location, usize, String) -> Diagnostic,
    file: &SourceFile,
    errors: &mut Vec<Diagnostic>,
) {
    use crate::model::limits::{self, MAX_PARTS, MAX_TAGS, shortened};
    let located = |location: Option<serde_saphyr::Location>, message: String| match location {
        Some(location) => at(location, 1, message),
        None => Diagnostic::error(file.path.clone(), message),
    };
    for (key, part) in [
        ("series_part", &fm.series_part),
        ("total_parts", &fm.total_parts),
    ] {
        if let Some(part) = part.as_ref().filter(|p| p.value > MAX_PARTS) {
            let message = format!(
                "`{key}` is {}: a series has at most {} parts",
                limits::grouped(part.value.into()),
                limits::grouped(MAX_PARTS.into())
            );
            errors.push(
                located(Some(part.location), message)
                    .with_label("too many parts")
                    .with_hint("number the parts 1, 2, 3...; split a longer series into several"),
            );
        }
    }
    if fm.tags.len() > MAX_TAGS {
        let message = format!(
            "{} tags on one post: at most {MAX_TAGS} are allowed",
            fm.tags.len()
        );
        errors.push(
            located(fm.tags_at, message)
                .with_label("too many tags")
                .with_hint("keep the tags readers browse by; put other keywords under `extra:`"),
        );
    }
    let mut segments: Vec<(String, String, Option<serde_saphyr::Location>)> = Vec::new();
    if let Some(slug) = slug {
        let what = match &fm.slug {
            Some(_) => "`slug`".to_string(),
            None => format!("the slug `{}` from the file name", shortened(slug)),
        };
        segments.push((what, slug.to_string(), fm.slug.as_ref().map(|s| s.location)));
    }
    for tag in &fm.tags {
        let what = format!("tag `{}`", shortened(tag));
        segments.push((what, slug::slugify(tag), fm.tags_at));
    }
    if let Some(series) = &fm.series {
        let what = format!("series `{}`", shortened(&series.value));
        segments.push((what, slug::slugify(&series.value), Some(series.location)));
    }
    if let Some(aliases) = &fm.aliases {
        for alias in &aliases.value {
            let what = format!("alias `{}`", shortened(alias));
            segments.push((what, alias.clone(), Some(aliases.location)));
        }
    }
    for (what, value, location) in segments {
        if let Some(segment) = limits::overlong_segment(&value) {
            errors.push(
                located(location, limits::too_long_message(&what, segment))
                    .with_label("too long")
                    .with_hint("shorten it: file systems allow 255 bytes in a file name"),
            );
        }
    }
}

fn missing_title(file: &SourceFile, split: &Split<'_>) -> Diagnostic {
    let d = Diagnostic::error(file.path.clone(), "missing `title`")
        .with_hint("add a title to the front matter, e.g. title: \"My post\"");
    if split.yaml.is_empty() {
        d
    } else {
        d.at(
            &file.text,
            crate::diagnostic::Position { line: 1, column: 1 },
            3,
        )
        .with_label("front matter without a title")
    }
}

fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(t.to_lowercase()))
        .collect()
}

/// A slug given in front matter must be one safe path segment.
fn check_slug(slug: &str) -> Result<(), String> {
    if slug.trim().is_empty() {
        return Err("it is empty".to_string());
    }
    if slug.contains('/') {
        return Err("it contains `/`".to_string());
    }
    if slug
        .chars()
        .any(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
    {
        return Err("only letters, digits, `-`, `_`, `.` and `~` are allowed".to_string());
    }
    check_site_path(&format!("/{slug}/"))
}

/// An alias must be a site path that stays inside the output.
fn check_alias(alias: &str) -> Result<(), String> {
    if !alias.starts_with('/') {
        return Err("it must start with `/`".to_string());
    }
    if alias.trim_matches('/').is_empty() {
        return Err("it would replace the home page".to_string());
    }
    if alias.contains(['?', '#', ' ']) {
        return Err("it must be a plain path, without `?`, `#` or spaces".to_string());
    }
    check_site_path(alias)
}

/// `/old` and `/old/` are the same page; `/old.html` is a file.
fn normalize_alias(alias: &str) -> String {
    let last = alias.rsplit('/').next().unwrap_or("");
    if alias.ends_with('/') || last.contains('.') {
        alias.to_string()
    } else {
        format!("{alias}/")
    }
}

fn suggest_slug(text: &str) -> String {
    match slug::slugify(text) {
        s if s.is_empty() => "my-post".to_string(),
        s if check_slug(&s).is_err() => format!("{s}-post"),
        s => s,
    }
}

/// The name a post's slug and date may come from: the bundle folder, else the file stem.
pub fn fallback_name(source: &PostSource) -> String {
    source
        .bundle_name
        .clone()
        .unwrap_or_else(|| stem(&source.file.path))
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    pulldown_cmark_escape::escape_html_body_text(&mut out, text).ok();
    out
}

/// Outlines a post's body and settles its URL and summary. Unknown code languages are
/// reported as warnings.
pub fn outline_post(
    doc: Document,
    date: ZonedDateTime,
    assets: Vec<Asset>,
    config: &Config,
    highlighter: &Highlighter,
    warnings: &mut Vec<Diagnostic>,
) -> Post {
    let body = outline_body(&doc, config, highlighter, &mut LineCache::new(), warnings);
    finish_post(doc, date, assets, config, Arc::new(body))
}

/// Settles a post's URL and summary around its outlined body.
pub fn finish_post(
    doc: Document,
    date: ZonedDateTime,
    assets: Vec<Asset>,
    config: &Config,
    body: Arc<Outline>,
) -> Post {
    let path = config.permalink.fill(PermalinkFields {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        slug: &doc.slug,
    });
    let summary_html = match (&body.summary_html, &doc.summary) {
        (Some(html), _) => shown_elsewhere(html, &path, config),
        (None, Some(text)) => format!("<p>{}</p>\n", escape_text(text)),
        (None, None) => body
            .first_paragraph_html
            .as_deref()
            .map(|html| shown_elsewhere(html, &path, config))
            .unwrap_or_default(),
    };
    let description = doc
        .summary
        .clone()
        .unwrap_or_else(|| body.first_paragraph_text.clone());
    let reading_minutes = reading_minutes(body.word_count);
    let base = &config.base_url;
    let image_url = doc.image.as_deref().map(|image| {
        crate::model::url::resolve(&path, image)
            .map_or_else(|| image.to_string(), |p| base.permalink(&p))
    });
    Post {
        file: crate::model::url::output_file(&path),
        url: base.url(&path),
        permalink: base.permalink(&path),
        updated_view: doc.updated.as_ref().map(DateView::new),
        image_url,
        doc,
        date_view: DateView::new(&date),
        date,
        path,
        assets,
        body,
        summary_html,
        description,
        reading_minutes,
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

/// Settles a standalone page's URL and description around its outlined body.
pub fn finish_page(doc: Document, body: Arc<Outline>) -> Page {
    let description = doc
        .summary
        .clone()
        .unwrap_or_else(|| body.first_paragraph_text.clone());
    Page {
        path: format!("/{}/", doc.slug),
        doc,
        body,
        description,
    }
}

/// The HTML of a document's body, its code highlighted: made when its page is rendered.
pub fn body_html(
    doc: &Document,
    config: &Config,
    highlighter: &Highlighter,
    lines: &mut LineCache,
) -> String {
    markdown::html(doc.body(), highlighter, config.base_url.root(), lines)
}

/// Outlines a document's Markdown body (see [`Outline`]), with a warning for each code block
/// that will be shown as plain text.
pub fn outline_body(
    doc: &Document,
    config: &Config,
    highlighter: &Highlighter,
    lines: &mut LineCache,
    warnings: &mut Vec<Diagnostic>,
) -> Outline {
    let body = markdown::outline(doc.body(), highlighter, config.base_url.root(), lines);
    for unknown in &body.unknown_languages {
        let offset = doc.body_offset + unknown.offset;
        let fence_width = doc.text[offset..].find('\n').unwrap_or(3);
        warnings.push(
            Diagnostic::warning(doc.source.clone(), format!("unknown code language `{}`", unknown.language))
                .at_offset(&doc.text, offset, fence_width)
                .with_label("shown as plain text")
                .with_hint("use a known language name (rust, python, yaml, sh...), or `text` for no highlighting"),
        );
    }
    for block in &body.over_budget {
        let offset = doc.body_offset + block.offset;
        let fence_width = doc.text[offset..].find('\n').unwrap_or(3);
        warnings.push(
            Diagnostic::warning(doc.source.clone(), block.why.describe())
                .at_offset(&doc.text, offset, fence_width)
                .with_label("shown as plain text")
                .with_hint("break up long lines or split the block; or write ```text to show it as plain text without this warning"),
        );
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(d.author.as_deref(), Some("Site Author"));
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
