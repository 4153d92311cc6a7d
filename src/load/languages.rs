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

use crate::load::config::{Footer, Link};

/// One entry of `languages:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLanguage {
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
pub(crate) struct Language {
    /// Its BCP 47 tag (`zh-Hant`), as `<html lang>` and `hreflang` say it.
    pub code: String,
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
            prefix: prefix.map(str::to_string),
            title: None,
            description: None,
            menu: None,
            footer: None,
            tags: BTreeMap::new(),
        }
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
