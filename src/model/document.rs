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
use crate::model::front_matter::{self, FrontMatter, Located, Split, Spot};
use crate::model::url::{check_alias, check_slug, normalize_alias, suggest_slug};

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
    /// `summary:` (or Jekyll's `excerpt:`) from the front matter.
    pub summary: Option<String>,
    /// `description:`, for the page's meta description (else the summary).
    pub description: Option<String>,
    /// The post's own site path (`permalink:`, Hugo's `url:`, Zola's `path:`), normalised;
    /// Jekyll's placeholders (`/blog/:title/`) are filled like the config's.
    pub permalink: Option<crate::load::url::Permalink>,
    /// A shorter title for links to the post (Hugo's `linkTitle`).
    pub link_title: Option<String>,
    /// Where the summary ends, when not at `<!-- more -->` (Jekyll's `excerpt_separator`).
    pub excerpt_separator: Option<String>,
    pub tags: Vec<String>,
    /// Categories (Jekyll, Hugo, Zola) as URL segments, for a permalink's `{categories}`.
    pub categories: Vec<String>,
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
    /// The file as written, when its body was rewritten from another generator's syntax
    /// (`text` is then the rewritten file): what problems in the body are shown from.
    pub written: Option<Arc<str>>,
    /// Another generator's syntax that is not understood is left in the body (as text): kept
    /// out of descriptions.
    pub foreign_syntax: bool,
    /// The body has internal links (`@/x.md`), whose targets may move.
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
    let errors = check.errors;
    let (text, foreign) = match &title {
        Some(title) if errors.is_empty() => {
            let place = (file.path.as_path(), &*file.text, split.body_offset);
            let separator = fm.excerpt_separator.as_deref();
            match crate::model::body::rewrite(place, title, separator, config, warnings) {
                Some((text, foreign)) => (Arc::from(text), foreign),
                None => (file.text.clone(), false),
            }
        }
        _ => (file.text.clone(), false),
    };
    match (title, slug) {
        (Some(title), Some(slug)) if errors.is_empty() => Ok(document(
            (file, text, foreign),
            &split,
            fm,
            config,
            (title, slug, permalink),
            (date, updated),
        )),
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
        author,
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
        author: author.or_else(|| config.author.clone()),
        summary: summary.or(excerpt),
        description: description.map(|d| d.value),
        permalink,
        link_title,
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

/// The checks of one document's front matter, each adding what it finds to `errors`.
struct Checker<'a> {
    file: &'a SourceFile,
    split: &'a Split<'a>,
    fm: &'a FrontMatter,
    kind: Kind,
    config: &'a Config,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// An error at a located value, underlining it as written (quotes included) when the
    /// parser knows how wide that is, else `width` characters.
    fn at(&self, loc: Spot, width: usize, message: String) -> Diagnostic {
        Diagnostic::error(self.file.path.clone(), message).at(
            &self.file.text,
            front_matter::position(self.split, loc),
            if loc.width > 0 { loc.width } else { width },
        )
    }

    /// `permalink:` (or `url:`, `path:`): a site path of its own, `/` added at both ends, or a
    /// pattern with Jekyll's placeholders (`/blog/:title/`).
    fn permalink(&mut self) -> Option<crate::load::url::Permalink> {
        let p = self.fm.permalink.as_ref()?;
        let trimmed = p.value.trim().trim_start_matches('/');
        let path = normalize_alias(&format!("/{trimmed}"));
        let has_tokens = path.contains([':', '{']);
        let checked = if has_tokens {
            crate::load::url::Permalink::parse_own(&path).map_err(|(why, _)| why)
        } else {
            check_alias(&path)
                .map_err(|why| format!("invalid `permalink` `{}`: {why}", p.value.escape_debug()))
                .and_then(|()| {
                    crate::load::url::Permalink::parse_own(&path).map_err(|(why, _)| why)
                })
        };
        match checked {
            Ok(permalink) => Some(permalink),
            Err(message) => {
                let d = self
                    .at(p.location, p.value.chars().count(), message)
                    .with_label("not a site path")
                    .with_hint(
                        "write the post's path on the site, e.g. permalink: /2019/05/my-post/",
                    );
                self.errors.push(d);
                None
            }
        }
    }

    fn title(&mut self) -> Option<String> {
        match &self.fm.title {
            Some(Located { value: Some(t), .. }) if !t.trim().is_empty() => {
                Some(t.trim().to_string())
            }
            Some(Located { location, .. }) => {
                let d = self
                    .at(*location, 1, "`title` is empty".to_string())
                    .with_label("no title here")
                    .with_hint("give the post a title, e.g. title: \"My post\"");
                self.errors.push(d);
                None
            }
            None => {
                self.errors.push(missing_title(self.file, self.split));
                None
            }
        }
    }

    /// The slug: `slug:`, else from the file or folder name (after a date prefix).
    fn slug(&mut self, file_slug: &str) -> Option<String> {
        if let Some(s) = &self.fm.slug {
            return match check_slug(&s.value) {
                Ok(()) => Some(s.value.clone()),
                Err(why) => {
                    let message = format!("invalid `slug` `{}`: {why}", s.value.escape_debug());
                    let d = self
                        .at(s.location, s.value.chars().count(), message)
                        .with_label("invalid slug")
                        .with_hint(format!(
                            "use letters, digits and dashes, e.g. slug: {}",
                            suggest_slug(&s.value)
                        ));
                    self.errors.push(d);
                    None
                }
            };
        }
        let from_name = crate::model::url::file_slug(file_slug, self.config.file_slugs);
        if !from_name.is_empty() {
            return Some(from_name);
        }
        let source_kind = if self.kind == Kind::Post && self.file.path.ends_with("index.md") {
            "folder"
        } else {
            "file"
        };
        self.errors.push(
            Diagnostic::error(
                self.file.path.clone(),
                format!("the {source_kind} name `{file_slug}` gives an empty URL slug"),
            )
            .with_hint("add a `slug:` to the front matter, e.g. slug: my-post"),
        );
        None
    }

    fn date(&mut self, value: Option<&Located<String>>, key: &str) -> Option<ZonedDateTime> {
        let v = value?;
        match date::parse(&v.value, &self.config.timezone) {
            Ok(z) => Some(z),
            Err(why) => {
                let d = self
                    .at(
                        v.location,
                        v.value.chars().count(),
                        format!("invalid `{key}`: {why}"),
                    )
                    .with_label("not a date")
                    .with_hint(date::ACCEPTED_FORMATS);
                self.errors.push(d);
                None
            }
        }
    }

    /// `total_parts` only in a series description and at least 1; `series_part` at least 1
    /// and with a `series`.
    fn parts(&mut self) {
        let fm = self.fm;
        if let Some(total) = &fm.total_parts {
            if self.kind != Kind::SeriesDescription {
                let message = "`total_parts` only belongs in a series description".to_string();
                let d = self.at(total.location, 1, message).with_hint(
                    "set it in content/series/<series-slug>.md, the file that describes the series",
                );
                self.errors.push(d);
            } else if total.value == 0 {
                let d = self
                    .at(
                        total.location,
                        1,
                        "`total_parts` must be 1 or more".to_string(),
                    )
                    .with_hint("write the planned number of parts, e.g. total_parts: 3");
                self.errors.push(d);
            }
        }
        if let Some(part) = &fm.series_part {
            if part.value == 0 {
                let d = self
                    .at(
                        part.location,
                        1,
                        "`series_part` must be 1 or more".to_string(),
                    )
                    .with_label("parts are counted from 1")
                    .with_hint("the first part of a series is series_part: 1");
                self.errors.push(d);
            }
            if fm.series.is_none() {
                let d = self
                    .at(
                        part.location,
                        1,
                        "`series_part` without `series`".to_string(),
                    )
                    .with_hint("name the series too, e.g. series: \"My series\"");
                self.errors.push(d);
            }
        }
    }

    /// Names that must give a URL (the series, each tag), and one series.
    fn names(&mut self) {
        let fm = self.fm;
        if let Some(series) = &fm.series
            && slug::slugify(&series.value).is_empty()
        {
            let message = format!("series name `{}` gives an empty URL slug", series.value);
            let d = self
                .at(series.location, series.value.chars().count(), message)
                .with_hint("use a series name with letters or digits");
            self.errors.push(d);
        }
        if let Some(series) = &fm.series
            && !fm.more_series.is_empty()
        {
            let message = format!(
                "`series` names {} series: a post is part of one",
                fm.more_series.len() + 1
            );
            let d = self
                .at(series.location, 1, message)
                .with_label("more than one series")
                .with_hint(format!("keep one, e.g. series: \"{}\"", series.value));
            self.errors.push(d);
        }
        for tag in fm.tags.iter().chain(&fm.categories) {
            if slug::slugify(tag).is_empty() {
                self.errors.push(
                    Diagnostic::error(
                        self.file.path.clone(),
                        format!("tag `{tag}` gives an empty URL slug"),
                    )
                    .with_hint("use tags with letters or digits"),
                );
            }
        }
    }

    fn aliases(&mut self) {
        let Some(aliases) = &self.fm.aliases else {
            return;
        };
        for alias in &aliases.value {
            if let Err(why) = check_alias(alias) {
                let message = format!("invalid alias `{}`: {why}", alias.escape_debug());
                let d = self
                    .at(aliases.location, 1, message)
                    .with_label("in this list")
                    .with_hint(
                        "an alias is an old path of this post on the site, e.g. /2019/05/old-name/",
                    );
                self.errors.push(d);
            }
        }
    }

    /// The documented limits ([`crate::model::limits`]): part numbers, tags on a post, and the length
    /// of every URL segment the front matter gives (slug, tags, series, aliases).
    fn limits(&mut self, slug: Option<&str>) {
        use crate::model::limits::{self, MAX_PARTS, MAX_TAGS, shortened};
        let (fm, file) = (self.fm, self.file);
        let mut errors = Vec::new();
        let located = |location: Option<Spot>, message: String| match location {
            Some(location) => self.at(location, 1, message),
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
                        .with_hint(
                            "number the parts 1, 2, 3...; split a longer series into several",
                        ),
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
                    .with_hint(
                        "keep the tags readers browse by; put other keywords under `extra:`",
                    ),
            );
        }
        let mut segments: Vec<(String, String, Option<Spot>)> = Vec::new();
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
        self.errors.append(&mut errors);
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
