//! The site in several languages (`languages:` in the config). A file whose name ends with a
//! language's code (`posts/x.zh-hant.md`, `posts/x/index.zh-hant.md`, `pages/about.zh-hant.md`,
//! `series/s.zh-hant.md`) is written in that language and translates the file without it
//! (`posts/x.md`). The files of each language are resolved into a site of their own, whose
//! pages are under the language's prefix; [`Translations`] says which pages of the languages
//! are one page, for the language switcher, `hreflang` and the sitemap. Pure.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{Content, SourceFile};
use crate::markdown::highlight::Highlighter;
use crate::model::cache::DocumentCache;
use crate::model::loose::unused_files;
use crate::model::resolve::{Resolved, resolve_language};
use crate::model::route::Route;
use crate::model::site::{Selection, Site};

/// `name` without a final `.<suffix>` (compared without case): `x.zh-hant` -> `x`.
pub(crate) fn without_suffix<'n>(name: &'n str, suffix: &str) -> &'n str {
    match name.rsplit_once('.') {
        Some((bare, end)) if end.eq_ignore_ascii_case(suffix) && !bare.is_empty() => bare,
        _ => name,
    }
}

/// The language of the file at `path`: 0 for the default, else 1 + the place of the suffix
/// among `suffixes` that ends its file stem.
fn language_of(path: &Path, suffixes: &[String]) -> usize {
    let stem = path.file_stem().map(|s| s.to_string_lossy());
    let end = stem
        .as_deref()
        .and_then(|s| s.rsplit_once('.'))
        .map(|(_, e)| e);
    end.and_then(|end| suffixes.iter().position(|s| s.eq_ignore_ascii_case(end)))
        .map_or(0, |i| i + 1)
}

/// What a file and its translations share: its path without the language's code
/// (`content/posts/x.zh-hant.md` -> `content/posts/x.md`).
pub(crate) fn key_of(path: &Path, suffixes: &[String]) -> String {
    let text = path.to_string_lossy();
    let lang = language_of(path, suffixes);
    let Some(suffix) = lang.checked_sub(1).and_then(|i| suffixes.get(i)) else {
        return text.into_owned();
    };
    let (dir_and_stem, ext) = text.rsplit_once('.').unwrap_or((&text, ""));
    let bare = without_suffix(dir_and_stem, suffix);
    format!("{bare}.{ext}")
}

/// The end of the file name of `path` (`fr` of `content/posts/first.fr.md`) when it names a
/// language the site does not declare, in a site of several languages (as Zola, a site in one
/// language reads the end as part of the name). `v1.2.md` and `notes.draft.md` name none.
fn undeclared_language<'p>(
    path: &'p Path,
    config: &Config,
    suffixes: &[String],
) -> Option<&'p str> {
    if config.languages.is_empty() {
        return None;
    }
    let (_, end) = path.file_stem()?.to_str()?.rsplit_once('.')?;
    let declared = end.eq_ignore_ascii_case(&config.language)
        || suffixes.iter().any(|s| s.eq_ignore_ascii_case(end));
    (!declared && crate::load::language::is_language_suffix(end)).then_some(end)
}

/// An error for each file whose name ends in a language the site does not declare
/// ([`undeclared_language`]): published, it would be a page of the default language at
/// `/posts/first.fr/`.
fn undeclared_languages(
    content: &Content,
    config: &Config,
    suffixes: &[String],
) -> Vec<Diagnostic> {
    let files = content.posts.iter().map(|p| &p.file);
    let files = files.chain(&content.pages).chain(&content.series);
    let languages =
        std::iter::once(&config.language).chain(config.languages.iter().map(|l| &l.code));
    let languages: Vec<&str> = languages.map(String::as_str).collect();
    files
        .filter_map(|file| {
            let code = undeclared_language(&file.path, config, suffixes)?;
            let stem = file.path.file_stem()?.to_string_lossy();
            let bare = stem.get(..stem.len() - code.len() - 1)?;
            let ext = file.path.extension().map_or(String::new(), |e| {
                format!(".{}", e.to_string_lossy())
            });
            let message = format!(
                "the file name says it is in `{code}`, a language `languages` in config.yaml does not declare (the site's languages: {})",
                languages.join(", ")
            );
            let hint = format!(
                "add `{code}` under `languages:` in config.yaml, or rename the file ({bare}-{code}{ext}) if `{code}` is not its language"
            );
            Some(Diagnostic::error(file.path.clone(), message).with_hint(hint))
        })
        .collect()
}

/// The content of each language, the default first; a file in a language the site does not
/// declare is in none.
fn split(content: &Content, config: &Config, suffixes: &[String]) -> Vec<Content> {
    let mut parts: Vec<Content> = (0..=suffixes.len())
        .map(|_| Content {
            loose: Arc::clone(&content.loose),
            ..Content::default()
        })
        .collect();
    let declared = |path: &Path| undeclared_language(path, config, suffixes).is_none();
    for post in content.posts.iter().filter(|p| declared(&p.file.path)) {
        parts[language_of(&post.file.path, suffixes)]
            .posts
            .push(post.clone());
    }
    for page in content.pages.iter().filter(|p| declared(&p.path)) {
        parts[language_of(&page.path, suffixes)]
            .pages
            .push(page.clone());
    }
    for series in content.series.iter().filter(|s| declared(&s.path)) {
        parts[language_of(&series.path, suffixes)]
            .series
            .push(series.clone());
    }
    parts
}

/// Resolves the site in every language of `config`: the default's site, holding the others
/// in [`Site::languages`]. The errors of every language are reported together.
pub(crate) fn resolve_languages(
    config: Config,
    content: &Content,
    tools: (&Highlighter, &crate::markdown::components::Specs),
    selection: Selection,
    cache: &mut DocumentCache,
) -> Result<Resolved, Diagnostics> {
    let suffixes = config.language_suffixes();
    crate::model::resolve::forget_removed(cache, content);
    let mut errors = undeclared_languages(content, &config, &suffixes);
    let (mut sites, mut warnings) = (Vec::new(), Vec::new());
    for (lang, part) in split(content, &config, &suffixes).iter().enumerate() {
        let own = match lang.checked_sub(1).and_then(|i| config.languages.get(i)) {
            Some(language) => config.for_language(language),
            None => config.clone(),
        };
        match resolve_language(own, part, tools, selection, cache) {
            Ok((site, mut found)) => {
                warnings.append(&mut found);
                sites.push(site);
            }
            Err(Diagnostics(mut found)) => errors.append(&mut found),
        }
    }
    if !errors.is_empty() {
        errors.append(&mut warnings);
        return Err(Diagnostics::sorted(errors));
    }
    let every_post: Vec<_> = sites.iter().flat_map(|s| s.posts.iter().cloned()).collect();
    unused_files(content, &every_post, &mut warnings);
    warnings.extend(missing_originals(content, &config, &suffixes));
    let mut sites = sites.into_iter();
    let Some(mut site) = sites.next() else {
        return Err(Diagnostics(Vec::new()));
    };
    site.languages = sites.collect();
    let default_language = crate::load::language::native_name(&site.config.language);
    let by_slug: HashMap<&str, &crate::model::series::Series> =
        site.series.iter().map(|s| (s.slug.as_str(), s)).collect();
    for (i, other) in site.languages.iter_mut().enumerate() {
        other.lang = i + 1;
        name_tags(other);
        let original = |slug: &str| by_slug.get(slug).copied();
        for series in &mut other.series {
            if let Some(original) = original(&series.slug) {
                let language = (site.config.language.as_str(), default_language.as_str());
                series.elsewhere = elsewhere(series, original, &site.posts, language);
            }
        }
    }
    let translations = Arc::new(Translations::of(&site, &suffixes));
    for other in &mut site.languages {
        other.translations = Arc::clone(&translations);
    }
    site.translations = translations;
    Ok((site, crate::diagnostic::merge_groups(warnings)))
}

/// Names the tags of a site in another language as its config's `tags:` map does.
fn name_tags(site: &mut Site) {
    let config = &site.config;
    for tag in &mut site.tags {
        let named = (config.tag_names.get(&tag.name)).or_else(|| config.tag_names.get(&tag.slug));
        if let Some(name) = named {
            tag.name.clone_from(name);
        }
    }
}

/// The parts of `original` (a series of the default language, whose posts are `posts`) after
/// the parts `series` has in its own language, which it shows in the default language; the
/// total of `series` grows to the original's.
fn elsewhere(
    series: &mut crate::model::series::Series,
    original: &crate::model::series::Series,
    posts: &[Arc<crate::model::post::Post>],
    (code, language): (&str, &str),
) -> Vec<crate::model::series::Elsewhere> {
    let total = original.total().max(series.total());
    if total > series.parts.len() {
        series.planned = u32::try_from(total).ok();
    }
    (series.parts.len()..original.parts.len())
        .filter_map(|position| {
            let post = posts.get(original.parts[position])?;
            Some(crate::model::series::Elsewhere {
                number: position + 1,
                title: post
                    .doc
                    .link_title
                    .clone()
                    .unwrap_or_else(|| post.doc.title.clone()),
                url: post.url.clone(),
                lang: code.to_string(),
                language: language.to_string(),
            })
        })
        .collect()
}

/// One warning (grouped) for each file in another language whose original is not there.
fn missing_originals(content: &Content, config: &Config, suffixes: &[String]) -> Vec<Diagnostic> {
    let files = || {
        let posts = content.posts.iter().map(|p| &p.file);
        posts.chain(&content.pages).chain(&content.series)
    };
    let originals: HashSet<String> = files()
        .filter(|f| language_of(&f.path, suffixes) == 0)
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    files()
        .filter_map(|f: &SourceFile| {
            let lang = language_of(&f.path, suffixes);
            let language = config.languages.get(lang.checked_sub(1)?)?;
            let key = key_of(&f.path, suffixes);
            if originals.contains(&key) {
                return None;
            }
            let d = Diagnostic::warning(
                f.path.clone(),
                format!(
                    "this `{}` translation has no original: there is no {key}",
                    language.code
                ),
            )
            .with_hint(format!(
                "add {key} in `{}`, or leave it so if the page is for `{}` readers only",
                config.language, language.code
            ))
            .grouped("translation-without-original");
            Some(d)
        })
        .collect()
}

/// A language of the site as pages name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LanguageName {
    /// Its tag (`zh-Hant`).
    pub code: String,
    /// Where its pages are (`/zh-hant/`).
    pub prefix: String,
    /// Its name in itself (`繁體中文`).
    pub name: String,
}

/// Which pages of the site's languages are one page in several languages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Translations {
    /// Every language, the default first.
    pub languages: Vec<LanguageName>,
    /// Each post or page written in more than one language: (language, site path) of each.
    groups: Vec<Vec<(usize, String)>>,
    /// The group of each post and page that has one, by site path.
    group_of: HashMap<String, usize>,
    /// The site path of every page, in each language.
    paths: Vec<HashSet<String>>,
}

impl Translations {
    /// The translations of the site in every language (`site` and its `languages`).
    fn of(site: &Site, suffixes: &[String]) -> Self {
        let mut by_key: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut paths = Vec::new();
        let mut languages = Vec::new();
        for (lang, s) in site.every_language().enumerate() {
            let docs = s.posts.iter().map(|p| (&p.doc.source, &p.path));
            let docs = docs.chain(s.pages.iter().map(|p| (&p.doc.source, &p.path)));
            for (source, path) in docs {
                let entry = by_key.entry(key_of(source, suffixes)).or_default();
                entry.push((lang, path.clone()));
            }
            // The pages the sitemap lists, and the search and 404 pages.
            let search = s.config.search.then_some(Route::Search);
            let routes = s.page_routes().into_iter().chain(search);
            let routes = routes.chain(std::iter::once(Route::NotFound));
            paths.push(routes.map(|r| s.path(r)).collect());
            let code = s.config.language.clone();
            let name = (s.config.languages.iter().find(|l| l.code == code))
                .and_then(|l| l.name.clone())
                .unwrap_or_else(|| crate::load::language::native_name(&code));
            languages.push(LanguageName {
                prefix: s.config.prefix.clone(),
                code,
                name,
            });
        }
        let mut groups: Vec<Vec<(usize, String)>> =
            by_key.into_values().filter(|g| g.len() > 1).collect();
        groups.sort_unstable();
        let group_of = groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.iter().map(move |(_, path)| (path.clone(), i)))
            .collect();
        Self {
            languages,
            groups,
            group_of,
            paths,
        }
    }

    /// Whether the site is in more than one language.
    pub(crate) fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The site path of the page at `path` in language `from` in language `to`, when it has
    /// one there. A post or page (`document`) is matched by its file; any other page (a list,
    /// a tag, a series) by its path under the other prefix.
    pub(crate) fn counterpart(
        &self,
        path: &str,
        (from, to): (usize, usize),
        document: bool,
    ) -> Option<String> {
        if from == to {
            return Some(path.to_string());
        }
        if document {
            let group = &self.groups[*self.group_of.get(path)?];
            return group
                .iter()
                .find(|(lang, _)| *lang == to)
                .map(|(_, p)| p.clone());
        }
        let own = &self.languages.get(from)?.prefix;
        let rest = path.strip_prefix(own.as_str())?;
        let there = format!("{}{rest}", self.languages.get(to)?.prefix);
        self.paths.get(to)?.contains(&there).then_some(there)
    }

    /// Whether the page at site path `path` is a post or page that has translations.
    pub(crate) fn is_document(&self, path: &str) -> bool {
        self.group_of.contains_key(path)
    }

    /// The language of the page at site path `path`: `None` for a path no page has.
    pub(crate) fn language_of_path(&self, path: &str) -> Option<usize> {
        self.paths.iter().position(|p| p.contains(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_language_is_the_code_its_name_ends_with() {
        let suffixes = vec!["zh-hant".to_string(), "fr".to_string()];
        let of = |p: &str| language_of(Path::new(p), &suffixes);
        assert_eq!(of("content/posts/x.md"), 0);
        assert_eq!(of("content/posts/x.zh-hant.md"), 1);
        assert_eq!(of("content/posts/x.zh-Hant.md"), 1);
        assert_eq!(of("content/posts/x/index.fr.md"), 2);
        assert_eq!(of("content/posts/v1.2.md"), 0);
        let key = |p: &str| key_of(Path::new(p), &suffixes);
        assert_eq!(key("content/posts/x.zh-hant.md"), "content/posts/x.md");
        assert_eq!(
            key("content/posts/x/index.fr.md"),
            "content/posts/x/index.md"
        );
        assert_eq!(key("content/posts/v1.2.md"), "content/posts/v1.2.md");
        assert_eq!(without_suffix("x.ZH-HANT", "zh-hant"), "x");
        let config = crate::load::config::Config::parse(
            "title: T\nbase_url: https://e.com/\nlanguages: { zh-Hant: {} }\n",
            Path::new("config.yaml"),
        )
        .unwrap();
        let suffixes = config.language_suffixes();
        let undeclared =
            |p: &str| undeclared_language(Path::new(p), &config, &suffixes).map(str::to_string);
        assert_eq!(
            undeclared("content/posts/first.fr.md").as_deref(),
            Some("fr")
        );
        assert_eq!(
            undeclared("content/posts/x/index.pt-BR.md").as_deref(),
            Some("pt-BR")
        );
        for declared in [
            "x.md",
            "x.zh-Hant.md",
            "x.en.md",
            "v1.2.md",
            "notes.draft.md",
        ] {
            assert_eq!(
                undeclared(&format!("content/posts/{declared}")),
                None,
                "{declared}"
            );
        }
        assert_eq!(without_suffix(".zh-hant", "zh-hant"), ".zh-hant");
    }
}
