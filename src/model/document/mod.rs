//! Documents: a Markdown file's front matter checked against the site (title, dates, slug,
//! series, aliases, the documented limits), every problem found reported together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::ZonedDateTime;

use crate::diagnostic::Diagnostic;
use crate::load::config::Config;
use crate::load::content::{PostSource, SourceFile};
use crate::model::date;
mod checker;

use crate::model::front_matter::{self, FrontMatter, Split};
use crate::model::url::normalize_alias;
use checker::Checker;

/// What a Markdown document is, once its front matter has been checked.
///
/// Kept between builds without its text (`model/cache/record.rs`): the text is the file's,
/// or kept beside it when it was rewritten.
#[derive(Debug, Clone, PartialEq, minicbor::Encode, minicbor::Decode)]
pub struct Document {
    /// The file, as shown to the user.
    #[n(0)]
    pub source: PathBuf,
    #[n(1)]
    pub title: String,
    #[n(2)]
    pub slug: String,
    #[cbor(n(3), with = "crate::model::cache::record::zoned")]
    pub date: Option<ZonedDateTime>,
    #[cbor(n(4), with = "crate::model::cache::record::zoned")]
    pub updated: Option<ZonedDateTime>,
    /// The authors as written (names or keys of the config's `authors:`), else the config's
    /// `author:`; resolved to the site's authors in `model/author.rs`.
    #[n(5)]
    pub authors: Vec<String>,
    /// `summary:` (or Jekyll's `excerpt:`) from the front matter.
    #[n(6)]
    pub summary: Option<String>,
    /// `description:`, for the page's meta description (else the summary).
    #[n(7)]
    pub description: Option<String>,
    /// The post's own site path (`permalink:`, Hugo's `url:`, Zola's `path:`), normalised;
    /// Jekyll's placeholders (`/blog/:title/`) are filled like the config's.
    #[n(8)]
    pub permalink: Option<crate::load::url::Permalink>,
    /// A shorter title for links to the post (Hugo's `linkTitle`).
    #[n(9)]
    pub link_title: Option<String>,
    /// The language it is written in (a BCP 47 tag such as `zh-Hant`), when `lang:` says it
    /// is not the site's.
    #[n(10)]
    pub lang: Option<String>,
    /// Where the summary ends, when not at `<!-- more -->` (Jekyll's `excerpt_separator`).
    #[n(11)]
    pub excerpt_separator: Option<String>,
    #[n(12)]
    pub tags: Vec<String>,
    /// Categories (Jekyll, Hugo, Zola) as URL segments, for a permalink's `{categories}`.
    #[n(13)]
    pub categories: Vec<String>,
    #[n(14)]
    pub series: Option<String>,
    #[n(15)]
    pub series_part: Option<u32>,
    /// In a series description: the planned number of parts.
    #[n(16)]
    pub total_parts: Option<u32>,
    #[n(17)]
    pub draft: bool,
    /// Old site paths of the post, each normalised to start with `/`.
    #[n(18)]
    pub aliases: Vec<String>,
    /// `image:` as written.
    #[n(19)]
    pub image: Option<String>,
    #[cbor(n(20), with = "crate::model::cache::record::json")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The whole (normalised) file text and where the body starts in it.
    #[cbor(skip)]
    pub text: Arc<str>,
    #[n(21)]
    pub body_offset: usize,
    /// A hash of `text`, made once: what a page showing the body is made from.
    #[n(22)]
    pub text_hash: u128,
    /// The file as written, when its body was rewritten from another generator's syntax
    /// (`text` is then the rewritten file): what problems in the body are shown from.
    #[cbor(skip)]
    pub written: Option<Arc<str>>,
    /// Another generator's syntax that is not understood is left in the body (as text): kept
    /// out of descriptions.
    #[n(23)]
    pub foreign_syntax: bool,
    /// The body has internal links (`@/x.md`), whose targets may move.
    #[n(24)]
    pub links_to_documents: bool,
}

impl Document {
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }
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
    let silenced = &config.front_matter.ignore;
    let fm = front_matter::parse(&file.text, &split, &file.path, silenced, warnings)
        .map_err(|d| vec![d])?;
    let mut check = Checker {
        file,
        split: &split,
        fm: &fm,
        kind,
        config,
        errors: Vec::new(),
    };
    let title = check.title();
    let (file_date, file_slug) = match date::from_file_name(fallback_name) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, fallback_name),
    };
    let slug = check.slug(file_slug);
    let (date_key, date_value) = match (&fm.date, &fm.publish_date) {
        (None, Some(publish)) => ("publishDate", Some(publish)),
        (date, _) => ("date", date.as_ref()),
    };
    let mut date = check.date(date_value, date_key);
    let updated = check.date(fm.updated.as_ref(), "updated");
    if date.is_none() && date_value.is_none() {
        date = file_date.and_then(|d| date::in_zone(d, &config.timezone));
    }
    let permalink = check.permalink();
    let lang = check.lang();
    check.parts();
    check.names();
    check.aliases();
    check.limits(slug.as_deref());
    if kind == Kind::Post && date.is_none() && date_value.is_none() {
        check.errors.push(
            Diagnostic::error(file.path.clone(), "missing `date`").with_hint(
                "add `date: YYYY-MM-DD` to the front matter, or name the file YYYY-MM-DD-slug.md",
            ),
        );
    }
    let mut errors = check.errors;
    let (text, foreign) = match &title {
        Some(title) if errors.is_empty() => {
            let place = (file.path.as_path(), &*file.text, split.body_offset);
            let separator = fm.excerpt_separator.as_deref();
            let reports = (&mut *warnings, &mut errors);
            match crate::model::body::rewrite(place, title, separator, config, reports) {
                Some((text, foreign)) => (Arc::from(text), foreign),
                None => (file.text.clone(), false),
            }
        }
        _ => (file.text.clone(), false),
    };
    match (title, slug) {
        (Some(title), Some(slug)) if errors.is_empty() => Ok(Document {
            lang,
            ..document(
                (file, text, foreign),
                &split,
                fm,
                config,
                (title, slug, permalink),
                (date, updated),
            )
        }),
        _ => Err(errors),
    }
}

/// The document of checked front matter.
fn document(
    (file, text, foreign): (&SourceFile, Arc<str>, bool),
    split: &Split<'_>,
    fm: FrontMatter,
    config: &Config,
    (title, slug, permalink): (String, String, Option<crate::load::url::Permalink>),
    (date, updated): (Option<ZonedDateTime>, Option<ZonedDateTime>),
) -> Document {
    let mut extra = front_matter::extra_for_templates(&fm);
    let FrontMatter {
        authors,
        summary,
        excerpt,
        description,
        mut tags,
        categories,
        series,
        series_part,
        total_parts,
        draft,
        aliases,
        image,
        link_title,
        excerpt_separator,
        ..
    } = fm;
    let uses_categories = config.permalink.uses("categories")
        || permalink.as_ref().is_some_and(|p| p.uses("categories"));
    let category_segments =
        place_categories(categories, uses_categories, config, (&mut tags, &mut extra));
    Document {
        source: file.path.clone(),
        title,
        slug,
        date,
        updated,
        authors: if authors.is_empty() {
            config.author.iter().cloned().collect()
        } else {
            dedup(authors)
        },
        summary: summary.or(excerpt),
        description: description.map(|d| d.value),
        permalink,
        link_title,
        lang: None,
        excerpt_separator,
        tags: dedup(tags),
        categories: category_segments,
        series: series.map(|s| s.value.trim().to_string()),
        series_part: series_part.map(|p| p.value),
        total_parts: total_parts.map(|p| p.value),
        draft,
        aliases: aliases
            .map(|a| a.value.iter().map(|p| normalize_alias(p)).collect())
            .unwrap_or_default(),
        image,
        extra,
        text_hash: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
        written: (!Arc::ptr_eq(&text, &file.text)).then(|| file.text.clone()),
        foreign_syntax: foreign,
        links_to_documents: memchr::memmem::find(
            &text.as_bytes()[split.body_offset.min(text.len())..],
            b"@/",
        )
        .is_some(),
        text,
        body_offset: split.body_offset,
    }
}

/// Categories as tags (or, when the config says so, for templates as `extra.categories`),
/// and as URL segments when a permalink has `{categories}`.
fn place_categories(
    categories: Vec<String>,
    uses_categories: bool,
    config: &Config,
    (tags, extra): (&mut Vec<String>, &mut BTreeMap<String, serde_json::Value>),
) -> Vec<String> {
    let segments = categories
        .iter()
        .filter(|_| uses_categories)
        .map(|c| crate::model::url::file_slug(c, crate::model::url::FileSlugs::Lowercase))
        .filter(|c| !c.is_empty())
        .collect();
    if config.front_matter.categories_as_tags {
        tags.extend(categories);
    } else if !categories.is_empty() {
        let categories = categories
            .into_iter()
            .map(serde_json::Value::String)
            .collect();
        extra
            .entry("categories".to_string())
            .or_insert(serde_json::Value::Array(categories));
    }
    segments
}

fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(t.to_lowercase()))
        .collect()
}

/// The name a post's slug and date may come from: the bundle folder, else the file stem.
pub(crate) fn fallback_name(source: &PostSource) -> String {
    source
        .bundle_name
        .clone()
        .unwrap_or_else(|| stem(&source.file.path))
}

pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
