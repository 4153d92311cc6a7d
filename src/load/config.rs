//! The site configuration, `config.yaml`: parsed strictly (unknown keys and wrong types are
//! errors with the line and a did-you-mean hint), then validated into [`Config`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::load::url::{BaseUrl, FileSlugs, Permalink};
use crate::load::yaml::{self, YamlSource};

/// A problem with `config.yaml`.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}", Diagnostic::general(format!("cannot read {}: {source}", path.display())).with_hint("run playpress in a site folder (one with config.yaml), or pass --root DIR"))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
}

impl From<Diagnostic> for ConfigError {
    fn from(d: Diagnostic) -> Self {
        Self::Invalid(Box::new(d))
    }
}

/// A link in the menu or the footer.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// The highlighting themes for light and dark colour schemes.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    #[serde(default = "default_light_theme")]
    pub light: String,
    #[serde(default = "default_dark_theme")]
    pub dark: String,
}

fn default_light_theme() -> String {
    "OneHalfLight".to_string()
}

fn default_dark_theme() -> String {
    "OneHalfDark".to_string()
}

impl Default for HighlightConfig {
    fn default() -> Self {
        Self {
            light: default_light_theme(),
            dark: default_dark_theme(),
        }
    }
}

/// Contact details shown in the footer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub tel: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// The footer: about text, links, services, contact details and the copyright line.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub services: Vec<Link>,
    #[serde(default)]
    pub contact: Contact,
    /// Who holds the copyright, e.g. "CODE IS PLAY".
    #[serde(default)]
    pub copyright: Option<String>,
    #[serde(default)]
    pub privacy_url: Option<String>,
}

/// How front matter written for another generator is read.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// Keys kept for templates without a warning (a theme's own keys, on purpose).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Jekyll's and Hugo's `categories` are tags too (else they are kept for templates).
    #[serde(default = "yes")]
    pub categories_as_tags: bool,
}

/// A file of the site as the config names it (`logo.png`, `/img/logo.png`), as a site path.
fn site_path(file: &str) -> String {
    format!("/{}", file.trim_start_matches('/'))
}

/// `pictures:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPictures {
    #[serde(default)]
    widths: Option<Vec<Spanned<u32>>>,
    #[serde(default)]
    quality: Option<Spanned<u8>>,
    #[serde(default)]
    sizes: Option<String>,
}

/// How pictures wider than the reading column are resized (`pictures:`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PicturesConfig {
    /// The widths of the variants, ascending, each once. A picture gets a variant at each
    /// width narrower than itself; none: no variants.
    pub widths: Vec<u32>,
    /// The quality (1 to 100) of lossy variants (WebP, JPEG).
    pub quality: u8,
    /// The `sizes` attribute of pictures in bodies: how wide they are shown.
    pub sizes: String,
}

/// The widths variants may have.
const VARIANT_WIDTHS: std::ops::RangeInclusive<u32> = 16..=10_000;

impl Default for PicturesConfig {
    /// The theme's column is 37rem (592 px): variants for it at 1x and 2x.
    fn default() -> Self {
        Self {
            widths: vec![600, 1200],
            quality: 80,
            sizes: "(max-width: 40rem) 100vw, 37rem".to_string(),
        }
    }
}

/// The pictures' settings as written, checked.
fn pictures(raw: RawPictures, invalid: &Invalid<'_>) -> Result<PicturesConfig, ConfigError> {
    let default = PicturesConfig::default();
    let mut widths = match raw.widths {
        None => default.widths,
        Some(widths) => {
            if let Some(bad) = widths.iter().find(|w| !VARIANT_WIDTHS.contains(&w.value)) {
                return Err(invalid(
                    bad.referenced,
                    1,
                    format!(
                        "a picture width must be between {} and {} pixels, not {}",
                        VARIANT_WIDTHS.start(),
                        VARIANT_WIDTHS.end(),
                        bad.value
                    ),
                    shape_hint("pictures.widths"),
                ));
            }
            widths.iter().map(|w| w.value).collect()
        }
    };
    widths.sort_unstable();
    widths.dedup();
    let quality = match raw.quality {
        None => default.quality,
        Some(q) if (1..=100).contains(&q.value) => q.value,
        Some(q) => {
            return Err(invalid(
                q.referenced,
                1,
                format!("`quality` must be between 1 and 100, not {}", q.value),
                shape_hint("pictures.quality"),
            ));
        }
    };
    Ok(PicturesConfig {
        widths,
        quality,
        sizes: raw.sizes.unwrap_or(default.sizes),
    })
}

fn yes() -> bool {
    true
}

impl Default for FrontMatterConfig {
    fn default() -> Self {
        Self {
            ignore: Vec::new(),
            categories_as_tags: true,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    authors: std::collections::BTreeMap<String, crate::load::authors::RawAuthor>,
    #[serde(default)]
    posts_per_page: Option<Spanned<usize>>,
    #[serde(default)]
    permalink: Option<Spanned<String>>,
    #[serde(default)]
    menu: Vec<Link>,
    #[serde(default)]
    highlight: HighlightConfig,
    /// `footer:` with nothing under it (its lines still commented out) is no footer.
    #[serde(default)]
    footer: Option<Footer>,
    #[serde(default)]
    feed_limit: Option<Spanned<usize>>,
    #[serde(default)]
    relative_links: bool,
    #[serde(default)]
    search: bool,
    #[serde(default)]
    front_matter: FrontMatterConfig,
    #[serde(default)]
    file_slugs: FileSlugs,
    #[serde(default)]
    pictures: RawPictures,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    favicon: Option<String>,
    #[serde(default)]
    languages: std::collections::BTreeMap<String, crate::load::languages::RawLanguage>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn default_language() -> String {
    "en".to_string()
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    /// Default post author.
    pub author: Option<String>,
    /// The authors described (`authors:`), by key.
    pub authors: Vec<crate::load::authors::AuthorInfo>,
    pub posts_per_page: usize,
    pub permalink: Permalink,
    pub menu: Vec<Link>,
    pub highlight: HighlightConfig,
    pub footer: Footer,
    /// Posts in each feed.
    pub feed_limit: usize,
    /// Write every internal link relative to the page, so the site works from any path.
    pub relative_links: bool,
    /// A full-text search index of posts and pages (Pagefind), and the search page.
    pub search: bool,
    pub front_matter: FrontMatterConfig,
    /// How slugs are made from file names.
    pub file_slugs: FileSlugs,
    /// How pictures are resized.
    pub pictures: PicturesConfig,
    /// The site's logo in the header, a file of the site (its site path); none: the theme's.
    pub logo: Option<String>,
    /// The site's icon, a file of the site; none: the theme's `favicon.svg`.
    pub favicon: Option<String>,
    /// The text of `config.yaml` (line ends normalised), for messages about its keys.
    pub(crate) text: std::sync::Arc<str>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The site's languages besides the default (`languages:`), in the order of their codes.
    pub languages: Vec<crate::load::languages::Language>,
    /// Where the pages of this config's language are: `/` for the default language,
    /// `/zh-hant/` for the config of another (made by [`Config::for_language`]).
    pub prefix: String,
    /// Tag names in this language, by the tag's name or slug (`languages.<code>.tags`).
    pub tag_names: std::collections::BTreeMap<String, String>,
}

/// The name the config file has in every site.
pub(crate) const CONFIG_FILE: &str = "config.yaml";

fn shape_hint(key: &str) -> Option<String> {
    let text = match key {
        "title" | "description" | "language" | "author" => {
            format!("`{key}` is text, e.g. {key}: \"...\"")
        }
        "base_url" => "e.g. base_url: \"https://example.com/blog/\"".to_string(),
        "timezone" => "an IANA time zone name, e.g. timezone: Asia/Hong_Kong".to_string(),
        "posts_per_page" => "a positive whole number, e.g. posts_per_page: 10".to_string(),
        "feed_limit" => "a positive whole number, e.g. feed_limit: 20".to_string(),
        "relative_links" => "write relative_links: true or relative_links: false".to_string(),
        "search" => "write search: true or search: false".to_string(),
        "permalink" => "e.g. permalink: /posts/{slug}/".to_string(),
        "menu" | "footer.links" | "footer.services" => {
            format!("a list of links, e.g.\n{key}:\n  - name: About\n    url: /about/")
        }
        "highlight" => "highlight:\n  light: OneHalfLight\n  dark: OneHalfDark".to_string(),
        "footer" | "footer.contact" | "extra" | "front_matter" => {
            format!("`{key}` is a map of keys")
        }
        "pictures" => "pictures:\n  widths: [600, 1200]\n  quality: 80".to_string(),
        "pictures.widths" => "a list of widths in pixels, e.g. widths: [600, 1200]".to_string(),
        "pictures.quality" => "a whole number from 1 to 100, e.g. quality: 80".to_string(),
        "pictures.sizes" => {
            "the `sizes` attribute, e.g. sizes: \"(max-width: 40rem) 100vw, 37rem\"".to_string()
        }
        "logo" | "favicon" => format!("a file of static/, e.g. {key}: images/{key}.png"),
        "languages" => "languages:\n  zh-Hant:\n    title: ...\n    prefix: /zh-hant/".to_string(),
        "file_slugs" => "one of lowercase (the default), keep or slugify".to_string(),
        "front_matter.ignore" => "a list of keys, e.g. ignore: [layout, team]".to_string(),
        "front_matter.categories_as_tags" => {
            "write categories_as_tags: true or categories_as_tags: false".to_string()
        }
        _ => return None,
    };
    Some(text)
}

impl Config {
    /// Reads and validates `<root>/config.yaml`.
    pub fn load(root: &Path) -> Result<Self, ConfigError> {
        Self::load_with_text(root).map(|(config, _)| config)
    }

    /// Reads and validates `<root>/config.yaml`, returning its text too.
    pub fn load_with_text(root: &Path) -> Result<(Self, String), ConfigError> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        let config = Self::parse(&text, Path::new(CONFIG_FILE))?;
        Ok((config, text))
    }

    /// Parses config text; `file` is the name used in error messages.
    pub fn parse(text: &str, file: &Path) -> Result<Self, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let normalized = text.replace("\r\n", "\n");
        let source = YamlSource {
            file,
            file_text: &normalized,
            yaml: &normalized,
            line_offset: 0,
        };
        let raw: RawConfig = yaml::parse(source, &shape_hint)?;
        let invalid = |spanned_loc: serde_saphyr::Location,
                       width: usize,
                       message: String,
                       hint: Option<String>| {
            // The parser knows how wide the value is as written (quotes included).
            let written = usize::try_from(spanned_loc.span().len()).unwrap_or(0);
            let mut d = Diagnostic::error(file, message).at(
                &normalized,
                yaml::file_position(source, spanned_loc),
                if written > 0 { written } else { width },
            );
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            ConfigError::from(d)
        };

        let base_url = BaseUrl::parse(&raw.base_url.value).map_err(|e| {
            invalid(
                raw.base_url.referenced,
                raw.base_url.value.chars().count(),
                format!("invalid `base_url`: {e}"),
                shape_hint("base_url"),
            )
        })?;

        let (timezone, timezone_name) = time_zone(raw.timezone.as_ref(), &invalid)?;
        let posts_per_page =
            at_least_one(raw.posts_per_page.as_ref(), "posts_per_page", 10, &invalid)?;
        let feed_limit = at_least_one(raw.feed_limit.as_ref(), "feed_limit", 20, &invalid)?;

        let permalink = permalink(raw.permalink.as_ref(), &invalid)?;

        let pictures = pictures(raw.pictures, &invalid)?;
        let languages = crate::load::languages::languages(raw.languages, &raw.language)
            .map_err(|p| crate::load::languages::config_error(p, file, &normalized))?;
        let mut config = Self {
            title: raw.title,
            description: raw.description,
            base_url,
            language: raw.language.clone(),
            timezone,
            timezone_name,
            author: raw.author,
            authors: crate::load::authors::authors(raw.authors),
            posts_per_page,
            permalink,
            menu: raw.menu,
            highlight: raw.highlight,
            footer: raw.footer.unwrap_or_default(),
            feed_limit,
            relative_links: raw.relative_links,
            search: raw.search,
            front_matter: raw.front_matter,
            file_slugs: raw.file_slugs,
            pictures,
            logo: raw.logo.map(|l| site_path(&l)),
            favicon: raw.favicon.map(|f| site_path(&f)),
            text: std::sync::Arc::from(normalized.as_str()),
            extra: raw.extra,
            languages,
            prefix: "/".to_string(),
            tag_names: std::collections::BTreeMap::new(),
        };
        // A NUL comes only from an escape (`\0`): YAML refuses the character itself.
        if normalized.contains('\\') {
            replace_nul_in_texts(&mut config);
        }
        Ok(config)
    }
}

/// Makes the NULs of every text the config gives pages (titles, descriptions, names, the
/// menu's and the footer's words, `extra:`) U+FFFD, as in front matter and bodies.
fn replace_nul_in_texts(config: &mut Config) {
    use crate::load::content::replace_nul;
    fn links(links: &mut [Link]) {
        links.iter_mut().for_each(|l| replace_nul(&mut l.name));
    }
    fn footer(footer: &mut Footer) {
        let contact = &mut footer.contact;
        let texts = [
            &mut footer.about,
            &mut footer.copyright,
            &mut contact.address,
        ];
        let texts = texts
            .into_iter()
            .chain([&mut contact.tel, &mut contact.email]);
        texts.flatten().for_each(replace_nul);
        links(&mut footer.links);
        links(&mut footer.services);
    }
    replace_nul(&mut config.title);
    replace_nul(&mut config.description);
    config.author.iter_mut().for_each(replace_nul);
    links(&mut config.menu);
    footer(&mut config.footer);
    for author in &mut config.authors {
        replace_nul(&mut author.name);
        author.bio.iter_mut().for_each(replace_nul);
        links(&mut author.links);
    }
    for language in &mut config.languages {
        let texts = [
            &mut language.name,
            &mut language.title,
            &mut language.description,
        ];
        texts.into_iter().flatten().for_each(replace_nul);
        language.menu.iter_mut().for_each(|m| links(m));
        language.footer.iter_mut().for_each(footer);
        language.tags.values_mut().for_each(replace_nul);
    }
    crate::load::yaml::replace_nul_in_map(&mut config.extra);
}

/// Makes the error for a value at a place in the config: the place, its width as
/// written, the message and the hint.
type Invalid<'a> =
    dyn Fn(serde_saphyr::Location, usize, String, Option<String>) -> ConfigError + 'a;

/// The time zone named by `timezone` (UTC when there is none), and its name.
fn time_zone(
    tz: Option<&Spanned<String>>,
    invalid: &Invalid<'_>,
) -> Result<(jiff::tz::TimeZone, String), ConfigError> {
    let Some(tz) = tz else {
        return Ok((jiff::tz::TimeZone::UTC, "UTC".to_string()));
    };
    let zone = jiff::tz::TimeZone::get(&tz.value).map_err(|_| {
        let names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_string())
            .collect();
        let hint = crate::diagnostic::did_you_mean(&tz.value, names.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| shape_hint("timezone"));
        invalid(
            tz.referenced,
            tz.value.chars().count(),
            format!("unknown time zone `{}`", tz.value),
            hint,
        )
    })?;
    Ok((zone, tz.value.clone()))
}

/// The config's `permalink` pattern, or the default one.
fn permalink(p: Option<&Spanned<String>>, invalid: &Invalid<'_>) -> Result<Permalink, ConfigError> {
    let Some(p) = p else {
        return Ok(Permalink::default());
    };
    Permalink::parse(&p.value)
        .map_err(|(message, hint)| invalid(p.referenced, p.value.chars().count(), message, hint))
}

/// A count that must be at least 1 (`posts_per_page`, `feed_limit`), or its default.
fn at_least_one(
    n: Option<&Spanned<usize>>,
    key: &str,
    default: usize,
    invalid: &Invalid<'_>,
) -> Result<usize, ConfigError> {
    match n {
        None => Ok(default),
        Some(n) if n.value == 0 => Err(invalid(
            n.referenced,
            1,
            format!("`{key}` must be at least 1"),
            shape_hint(key),
        )),
        Some(n) => Ok(n.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("config.yaml")).map_err(|e| e.to_string())
    }

    #[test]
    fn nul_escapes_in_texts_become_replacement_characters() {
        let config = parse(
            "title: \"a\\0b\"\nbase_url: https://e.com/\nmenu: [{ name: \"m\\0\", url: / }]\nfooter: { about: \"f\\0\" }\nlanguages:\n  fr: { title: \"t\\0\", tags: { A: \"b\\0\" } }\n",
        )
        .unwrap();
        assert_eq!(config.title, "a\u{fffd}b");
        assert_eq!(config.menu[0].name, "m\u{fffd}");
        assert_eq!(config.footer.about.as_deref(), Some("f\u{fffd}"));
        assert_eq!(config.languages[0].title.as_deref(), Some("t\u{fffd}"));
        assert_eq!(config.languages[0].tags["A"], "b\u{fffd}");
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title: T\nbase_url: https://e.com/blog\n").unwrap();
        assert_eq!(c.posts_per_page, 10);
        assert_eq!(c.base_url.root(), "/blog/");
        assert_eq!(c.timezone_name, "UTC");
        assert_eq!(c.language, "en");
        assert_eq!(c.highlight, HighlightConfig::default());
    }

    #[test]
    fn unknown_key_has_hint_and_line() {
        let err = parse("title: T\nbase_url: https://e.com/\ntitel: x\n").unwrap_err();
        assert_eq!(
            err,
            "error: unknown key `titel`\n --> config.yaml:3:1\n  |\n3 | titel: x\n  | ^^^^^ unknown key\n  |\n  = help: did you mean `title`?"
        );
    }

    #[test]
    fn nested_unknown_key_names_its_parent() {
        let err = parse("title: T\nbase_url: https://e.com/\nfooter:\n  contact:\n    phone: 1\n")
            .unwrap_err();
        assert!(
            err.starts_with("error: unknown key `footer.contact.phone`\n --> config.yaml:5:5"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_is_reported() {
        let err = parse("title: T\nbase_url: https://e.com/\nposts_per_page: many\n").unwrap_err();
        assert!(err.starts_with("error: wrong type for `posts_per_page`: expected a positive whole number\n --> config.yaml:3:17"), "{err}");
    }

    #[test]
    fn bad_timezone_suggests() {
        let err =
            parse("title: T\nbase_url: https://e.com/\ntimezone: Asia/Hong_Kung\n").unwrap_err();
        assert!(err.contains("unknown time zone `Asia/Hong_Kung`"), "{err}");
        assert!(err.contains("did you mean `Asia/Hong_Kong`?"), "{err}");
    }

    #[test]
    fn bad_base_url() {
        let err = parse("title: T\nbase_url: example.com\n").unwrap_err();
        assert!(
            err.contains("invalid `base_url`: `example.com` is not an absolute URL"),
            "{err}"
        );
        assert!(err.contains("config.yaml:2:11"), "{err}");
    }
}
