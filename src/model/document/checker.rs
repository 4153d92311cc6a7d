//! The checks of a document's front matter against the site: title, slug, dates, permalink,
//! language, series parts, names, aliases and the documented limits.

use jiff::ZonedDateTime;

use super::Kind;
use crate::diagnostic::Diagnostic;
use crate::load::config::Config;
use crate::load::content::SourceFile;
use crate::model::date;
use crate::model::front_matter::{self, FrontMatter, Located, Split, Spot};
use crate::model::url::{check_alias, check_slug, normalize_alias, suggest_slug};

/// The checks of one document's front matter, each adding what it finds to `errors`.
pub(super) struct Checker<'a> {
    pub file: &'a SourceFile,
    pub split: &'a Split<'a>,
    pub fm: &'a FrontMatter,
    pub kind: Kind,
    pub config: &'a Config,
    pub errors: Vec<Diagnostic>,
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
    pub(super) fn permalink(&mut self) -> Option<crate::load::url::Permalink> {
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

    /// `lang:`: a language tag (`en`, `zh-Hant`, `pt-BR`), kept as written.
    pub(super) fn lang(&mut self) -> Option<String> {
        let lang = self.fm.lang.as_ref()?;
        let tag = lang.value.trim();
        if crate::load::language::is_language_tag(tag) {
            return Some(tag.to_string());
        }
        let message = format!("invalid `lang` `{}`", lang.value.escape_debug());
        let d = self
            .at(lang.location, lang.value.chars().count().max(1), message)
            .with_label("not a language tag")
            .with_hint("write a language tag such as `en`, `zh-Hant` or `pt-BR`");
        self.errors.push(d);
        None
    }

    pub(super) fn title(&mut self) -> Option<String> {
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
    pub(super) fn slug(&mut self, file_slug: &str) -> Option<String> {
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

    pub(super) fn date(
        &mut self,
        value: Option<&Located<String>>,
        key: &str,
    ) -> Option<ZonedDateTime> {
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
    pub(super) fn parts(&mut self) {
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
    pub(super) fn names(&mut self) {
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

    pub(super) fn aliases(&mut self) {
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
    /// of every URL segment the front matter writes as it is (`slug`, `permalink`, aliases).
    pub(super) fn limits(&mut self, slug: Option<&str>) {
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
        // Categories become tags too, unless the config says otherwise.
        let categories = fm
            .categories
            .iter()
            .filter(|_| self.config.front_matter.categories_as_tags);
        let tags: Vec<&String> = fm.tags.iter().chain(categories).collect();
        if tags.len() > MAX_TAGS {
            let message = format!(
                "{} tags on one post: at most {MAX_TAGS} are allowed",
                tags.len()
            );
            errors.push(
                located(fm.tags_at, message)
                    .with_label("too many tags")
                    .with_hint(
                        "keep the tags readers browse by; put other keywords under `extra:`",
                    ),
            );
        }
        // The segments written as they are: those made from a name (a tag, a series, a slug
        // from the file name) are cut to fit instead (`model::url::bounded_segment`).
        let mut segments: Vec<(String, String, Option<Spot>)> = Vec::new();
        if let (Some(slug), Some(written)) = (slug, &fm.slug) {
            segments.push((
                "`slug`".to_string(),
                slug.to_string(),
                Some(written.location),
            ));
        }
        if let Some(permalink) = &fm.permalink {
            let what = "`permalink`".to_string();
            segments.push((what, permalink.value.clone(), Some(permalink.location)));
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
