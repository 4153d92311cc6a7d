//! The theme's words in each language: `i18n/<language>.yaml` of the built-in theme (`en`
//! and `zh-Hant`), each string of which a site may change in its own `i18n/<language>.yaml`
//! (as in Hugo). Templates say them with `{{ t(key="prev_post") }}`, filling `{name}`
//! placeholders from the other arguments (`t(key="min_read", minutes=5)`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The built-in theme's strings, by language.
const EMBEDDED: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.yaml")),
    ("zh-Hant", include_str!("../../i18n/zh-Hant.yaml")),
];

/// The language whose strings every other falls back to.
const FALLBACK: &str = "en";

/// The folder of a site's own strings.
pub(crate) const FOLDER: &str = "i18n";

/// The name of the template function.
pub(crate) const FUNCTION: &str = "t";

/// One language's strings: key to text.
pub(crate) type Strings = BTreeMap<String, String>;

/// Every language's strings, the built-in theme's with the site's over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Catalog {
    by_language: BTreeMap<String, Strings>,
}

impl Catalog {
    /// The built-in strings with those of `<root>/i18n/*.yaml` over them. A file that cannot
    /// be read or is not a map of texts is an error in `problems`.
    pub(crate) fn load(root: &Path, problems: &mut Vec<Diagnostic>) -> Self {
        let mut by_language: BTreeMap<String, Strings> = BTreeMap::new();
        for (language, text) in EMBEDDED {
            let strings = parse(Path::new(language), text, problems);
            by_language.insert((*language).to_string(), strings);
        }
        let dir = root.join(FOLDER);
        for path in crate::load::content::walk(root, &dir, problems) {
            let Some(language) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml").or_else(|| n.strip_suffix(".yml")))
            else {
                continue;
            };
            if path.parent() != Some(dir.as_path()) {
                continue;
            }
            let shown = crate::diagnostic::display_path(root, &path);
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(
                        Diagnostic::error(&shown, format!("cannot read {}: {e}", shown.display()))
                            .with_hint("check that you may read the file, then build again"),
                    );
                    continue;
                }
            };
            let own = parse(&shown, &text, problems);
            by_language
                .entry(language.to_string())
                .or_default()
                .extend(own);
        }
        Self { by_language }
    }

    /// The strings of `language`: its own, and the fallback's where it lacks one. A key it
    /// lacks is a warning in `warnings` (once per key), unless `language` is the fallback.
    pub(crate) fn for_language(&self, language: &str, warnings: &mut Vec<Diagnostic>) -> Strings {
        let fallback = self.by_language.get(FALLBACK).cloned().unwrap_or_default();
        let Some(own) = self
            .by_language
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(language))
            .map(|(_, strings)| strings)
        else {
            if !language.eq_ignore_ascii_case(FALLBACK) {
                warnings.push(
                    Diagnostic::warning(
                        crate::load::config::CONFIG_FILE,
                        format!("the theme has no words in `{language}`: they are in English"),
                    )
                    .with_hint(format!("put them in {FOLDER}/{language}.yaml (the keys of the theme's {FOLDER}/en.yaml)")),
                );
            }
            return fallback;
        };
        let mut strings = fallback;
        for key in strings.keys() {
            if !own.contains_key(key) {
                warnings.push(
                    Diagnostic::warning(
                        format!("{FOLDER}/{language}.yaml"),
                        format!("no `{key}` in the words of `{language}`: the English is shown"),
                    )
                    .with_hint(format!("add `{key}:` to {FOLDER}/{language}.yaml")),
                );
            }
        }
        strings.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        strings
    }
}

/// The strings of one file: a map of texts.
fn parse(shown: &Path, text: &str, problems: &mut Vec<Diagnostic>) -> Strings {
    match serde_saphyr::from_str::<Option<Strings>>(text) {
        Ok(strings) => {
            let mut strings = strings.unwrap_or_default();
            // A NUL (`\0` in YAML) reaches pages: U+FFFD, as in front matter and bodies.
            for text in strings.values_mut() {
                crate::load::content::replace_nul(text);
            }
            strings
        }
        Err(e) => {
            problems.push(
                Diagnostic::error(
                    shown,
                    format!("{} is not a map of texts: {e}", shown.display()),
                )
                .with_hint("write one `key: text` a line, e.g. prev_post: Prev Post"),
            );
            Strings::new()
        }
    }
}

/// The template function `t(key=..., name=value...)`: the string `key` of the page's
/// language (`site.strings`), its `{name}` placeholders filled from the other arguments.
pub(crate) fn function(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let key: String = kwargs.must_get("key")?;
    let site: Option<tera::Value> = state.get("site")?;
    let path = format!("strings.{key}");
    let text = site
        .as_ref()
        .and_then(|s| s.get_from_path(&path))
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| {
            tera::Error::message(format!(
                "`t`: no string `{key}` in the theme's words (i18n/)"
            ))
        })?;
    let args: Vec<(String, String)> = kwargs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .filter(|(name, _)| name != "key")
        .collect();
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    Ok(fill(&text, &args))
}

/// `text` with each `{name}` of `args` replaced by its value.
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The string `key` of `strings`, filled from `args` (the key itself when there is none:
/// every language has every key of the English, which the built-in theme defines).
pub(crate) fn say(strings: &Strings, key: &str, args: &[(&str, &str)]) -> String {
    strings
        .get(key)
        .map_or_else(|| key.to_string(), |text| fill(text, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_of_the_theme_has_every_english_key() {
        let mut problems = Vec::new();
        let catalog = Catalog::load(Path::new("/nonexistent"), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let mut warnings = Vec::new();
        let zh = catalog.for_language("zh-Hant", &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(zh["prev_post"], "上一篇");
        assert_eq!(
            catalog.for_language("en", &mut warnings)["prev_post"],
            "Prev Post"
        );
    }

    #[test]
    fn a_language_without_words_is_english_with_a_warning() {
        let catalog = Catalog::load(Path::new("/nonexistent"), &mut Vec::new());
        let mut warnings = Vec::new();
        let fr = catalog.for_language("fr", &mut warnings);
        assert_eq!(fr["prev_post"], "Prev Post");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .to_string()
                .contains("the theme has no words in `fr`")
        );
    }

    #[test]
    fn a_nul_in_the_words_is_a_replacement_character() {
        let mut problems = Vec::new();
        let strings = parse(
            Path::new("i18n/en.yaml"),
            "prev_post: \"a\\0b\"\n",
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(strings["prev_post"], "a\u{FFFD}b");
    }
}
