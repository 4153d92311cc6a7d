//! The `languages:` map of `config.yaml`: the languages a site is written in besides its
//! default (`language:`), each with its URL prefix and its own title, description, menu,
//! footer texts and tag names. A site in one language needs none.
//!
//! ```yaml
//! language: en
//! languages:
//!   zh-Hant:
//!     prefix: /zh-hant/     # the default: the code in lowercase
//!     title: 代碼即遊戲
//!     menu: [{ name: 首頁, url: / }]
//!     tags: { AI: 人工智能 }
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::load::config::{Config, ConfigError, Footer, Link};

/// One entry of `languages:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLanguage {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    menu: Option<Vec<Link>>,
    #[serde(default)]
    footer: Option<Footer>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

/// A language of the site other than the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// Its BCP 47 tag (`zh-Hant`), as `<html lang>` and `hreflang` say it.
    pub code: String,
    /// Its name in itself, as the language switcher shows it (`繁體中文`); by default the
    /// name of a known language, else the code.
    pub name: Option<String>,
    /// Where its pages are under the site's root: `/zh-hant/`.
    pub prefix: String,
    /// Its own texts; the default language's where it gives none.
    pub title: Option<String>,
    pub description: Option<String>,
    pub menu: Option<Vec<Link>>,
    pub footer: Option<Footer>,
    /// Tag names in this language, by the tag's name or slug in the default language.
    pub tags: BTreeMap<String, String>,
}

/// What is wrong with one language: its key, and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// The error of `problem`, at its language's key in `text` (the config, `file`).
pub(crate) fn config_error(problem: Problem, file: &std::path::Path, text: &str) -> ConfigError {
    let d = Diagnostic::error(file, problem.message).with_hint(problem.hint);
    match language_at(text, &problem.code) {
        Some(at) => ConfigError::from(
            d.at_offset(text, at, problem.code.chars().count())
                .with_label("this language"),
        ),
        None => ConfigError::from(d),
    }
}

/// Where the key of language `code` is written under `languages:` in the config `text`.
fn language_at(text: &str, code: &str) -> Option<usize> {
    let section = text.find("\nlanguages:").map_or(0, |i| i + 1);
    text[section..]
        .match_indices(&format!("{code}:"))
        .map(|(i, _)| section + i)
        .find(|&i| text[..i].ends_with(' ') || text[..i].ends_with('"'))
}

/// Where the `prefix:` of language `code` is written in the config `text` (under its key, or
/// on its line), and how wide the key is; the language's key when it has no `prefix:`.
pub(crate) fn prefix_at(text: &str, code: &str) -> Option<(usize, usize)> {
    let at = language_at(text, code)?;
    let indent = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut offset = at;
    for (n, line) in text[at..].split_inclusive('\n').enumerate() {
        let depth = line.len() - line.trim_start().len();
        if n > 0 && !line.trim().is_empty() && depth <= indent {
            break;
        }
        if let Some(i) = line.find("prefix:") {
            return Some((offset + i, "prefix".len()));
        }
        offset += line.len();
    }
    Some((at, code.chars().count()))
}

impl Config {
    /// The config of the pages in `language`: its own title, description, menu and footer
    /// where it gives them, the default language's elsewhere (the menu's and the footer's
    /// site paths moved under its prefix), and its prefix and tag names.
    pub fn for_language(&self, language: &Language) -> Config {
        let prefix = language.prefix.as_str();
        let moved = |links: &[Link]| -> Vec<Link> {
            links
                .iter()
                .map(|l| Link {
                    name: l.name.clone(),
                    url: l.url.as_deref().map(|u| under_prefix(prefix, u)),
                })
                .collect()
        };
        let footer = match &language.footer {
            Some(own) => own.clone(),
            None => Footer {
                links: moved(&self.footer.links),
                ..self.footer.clone()
            },
        };
        Config {
            title: language.title.clone().unwrap_or_else(|| self.title.clone()),
            description: (language.description.clone()).unwrap_or_else(|| self.description.clone()),
            language: language.code.clone(),
            menu: language.menu.clone().unwrap_or_else(|| moved(&self.menu)),
            footer,
            prefix: language.prefix.clone(),
            tag_names: language.tags.clone(),
            ..self.clone()
        }
    }

    /// The site path of `path` (`/series/`) in this config's language: `/zh-hant/series/`.
    pub fn localized(&self, path: &str) -> String {
        under(&self.prefix, path)
    }

    /// The codes of the languages besides the default, in lowercase, as file names end:
    /// `zh-hant` for `post.zh-hant.md`.
    pub fn language_suffixes(&self) -> Vec<String> {
        self.languages
            .iter()
            .map(|l| l.code.to_lowercase())
            .collect()
    }
}

/// `url` moved under `prefix` when it is a site path (`/about/` -> `/zh-hant/about/`).
fn under_prefix(prefix: &str, url: &str) -> String {
    if url.starts_with('/') && !crate::load::url::is_external(url) {
        under(prefix, url)
    } else {
        url.to_string()
    }
}

/// The site path `path` under `prefix` (`/` or `/zh-hant/`).
fn under(prefix: &str, path: &str) -> String {
    if prefix == "/" {
        path.to_string()
    } else {
        format!("{prefix}{}", path.trim_start_matches('/'))
    }
}

/// The languages of `raw`, by code, checked against the default language `default`.
pub(crate) fn languages(
    raw: BTreeMap<String, RawLanguage>,
    default: &str,
) -> Result<Vec<Language>, Problem> {
    let mut languages: Vec<Language> = Vec::with_capacity(raw.len());
    for (code, raw) in raw {
        let problem = |message: String, hint: &str| Problem {
            code: code.clone(),
            message,
            hint: hint.to_string(),
        };
        if !crate::load::language::is_language_tag(&code) {
            return Err(problem(
                format!("`{code}` is not a language tag"),
                "use a BCP 47 tag, e.g. zh-Hant, pt-BR, fr",
            ));
        }
        if code.eq_ignore_ascii_case(default) {
            return Err(problem(
                format!("`{code}` is the site's default `language`"),
                "list only the other languages under `languages:`",
            ));
        }
        let prefix = prefix_of(raw.prefix.as_deref().unwrap_or(&code.to_lowercase()));
        if prefix == "/" || prefix[1..prefix.len() - 1].contains('/') {
            return Err(problem(
                format!("`prefix` {prefix} is not one folder under the site's root"),
                "give a folder name, e.g. prefix: /zh-hant/",
            ));
        }
        if let Some(other) = languages.iter().find(|l| l.prefix == prefix) {
            return Err(problem(
                format!("`prefix` {prefix} is also the prefix of `{}`", other.code),
                "give each language its own prefix",
            ));
        }
        languages.push(Language {
            name: raw.name,
            code,
            prefix,
            title: raw.title,
            description: raw.description,
            menu: raw.menu,
            footer: raw.footer,
            tags: raw.tags,
        });
    }
    Ok(languages)
}

/// `zh-hant`, `/zh-hant` or `zh-hant/` as `/zh-hant/`.
fn prefix_of(written: &str) -> String {
    match written.trim().trim_matches('/') {
        "" => "/".to_string(),
        folder => format!("/{folder}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(prefix: Option<&str>) -> RawLanguage {
        RawLanguage {
            name: None,
            prefix: prefix.map(str::to_string),
            title: None,
            description: None,
            menu: None,
            footer: None,
            tags: BTreeMap::new(),
        }
    }

    #[test]
    fn a_languages_config_takes_the_defaults_texts_it_does_not_give() {
        let text = "title: T\nbase_url: https://e.com/blog/\nmenu:\n  - { name: About, url: /about/ }\n  - { name: Out, url: https://x.org/ }\nfooter:\n  about: Hi\n  links: [{ name: Home, url: / }]\nlanguages:\n  zh-Hant:\n    title: 中\n    tags: { AI: 人工智能 }\n";
        let config = Config::parse(text, std::path::Path::new("config.yaml")).unwrap();
        let zh = config.for_language(&config.languages[0]);
        assert_eq!((zh.title.as_str(), zh.language.as_str()), ("中", "zh-Hant"));
        assert_eq!(zh.prefix, "/zh-hant/");
        let urls: Vec<_> = zh.menu.iter().map(|l| l.url.clone().unwrap()).collect();
        assert_eq!(urls, ["/zh-hant/about/", "https://x.org/"]);
        assert_eq!(zh.footer.links[0].url.as_deref(), Some("/zh-hant/"));
        assert_eq!(zh.footer.about.as_deref(), Some("Hi"));
        assert_eq!(zh.localized("/tags/"), "/zh-hant/tags/");
        assert_eq!(config.localized("/tags/"), "/tags/");
        assert_eq!(zh.tag_names["AI"], "人工智能");
    }

    #[test]
    fn a_prefix_is_found_under_its_language() {
        let text = "title: T\nprefix: x\nlanguages:\n  fr:\n    title: F\n  zh-Hant:\n    title: Z\n    prefix: /tags/\n  de: { prefix: /d/ }\n";
        let prefix = |code: &str| prefix_at(text, code).map(|(at, width)| &text[at..at + width]);
        assert_eq!(prefix("zh-Hant"), Some("prefix"));
        assert_eq!(
            prefix_at(text, "zh-Hant").map(|(at, _)| at),
            text.find("prefix: /tags/")
        );
        assert_eq!(
            prefix_at(text, "de").map(|(at, _)| at),
            text.find("prefix: /d/")
        );
        // No `prefix:` of its own: the language's key.
        assert_eq!(prefix("fr"), Some("fr"));
        assert_eq!(prefix_at(text, "es"), None);
    }

    #[test]
    fn a_prefix_defaults_to_the_code_in_lowercase() {
        let langs = languages([("zh-Hant".to_string(), raw(None))].into(), "en").unwrap();
        assert_eq!(langs[0].prefix, "/zh-hant/");
        let langs = languages([("fr".to_string(), raw(Some("francais")))].into(), "en").unwrap();
        assert_eq!(langs[0].prefix, "/francais/");
    }

    #[test]
    fn bad_languages_are_refused() {
        let one = |code: &str, prefix: Option<&str>| {
            languages([(code.to_string(), raw(prefix))].into(), "en")
                .unwrap_err()
                .message
        };
        assert_eq!(one("zh_Hant", None), "`zh_Hant` is not a language tag");
        assert_eq!(one("EN", None), "`EN` is the site's default `language`");
        assert_eq!(
            one("fr", Some("/")),
            "`prefix` / is not one folder under the site's root"
        );
        assert_eq!(
            one("fr", Some("a/b")),
            "`prefix` /a/b/ is not one folder under the site's root"
        );
        let two = languages(
            [
                ("fr".to_string(), raw(Some("x"))),
                ("de".to_string(), raw(Some("x"))),
            ]
            .into(),
            "en",
        );
        assert_eq!(
            two.unwrap_err().message,
            "`prefix` /x/ is also the prefix of `de`"
        );
    }
}
