//! Check: the pipeline with a link checker as its sink. Every page is rendered and scanned;
//! then every internal link and image must lead to a page or file of the site, and every
//! `#anchor` to an element with that id. A broken link is reported where it was written (a
//! Markdown file, `config.yaml`, or a template).

pub(crate) mod links;
mod locate;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::load::config::CONFIG_FILE;
use crate::model::route::Route;
use crate::model::site::Site;
use crate::pipeline::{self, BuildError, BuildOptions, Entry, Manifest, Sink, Source};
use crate::render::Renderer;
use links::{PageLinks, Target};
use locate::{Broken, Locator, Problem, diagnose};

/// Everything `check` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems in the site's files, errors first.
    pub problems: Vec<Diagnostic>,
    /// Errors that stop the check early (config, templates), as printed.
    pub fatal: Vec<Fatal>,
    pub pages: usize,
    pub links: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.fatal.len() + self.problems.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.iter().filter(|d| !d.is_error()).count()
    }

    /// True when the check fails: an error, or with `strict` a warning.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }

    /// The last line printed.
    pub fn summary(&self, strict: bool) -> String {
        let found = match (self.errors(), self.warnings()) {
            (0, 0) => "no problems".to_string(),
            (e, w) => format!(
                "{}, {}",
                crate::diagnostic::counted(e, "error", "errors"),
                crate::diagnostic::counted(w, "warning", "warnings")
            ),
        };
        let mut line = format!(
            "checked {} and {}: {found}",
            crate::diagnostic::counted(self.pages, "page", "pages"),
            crate::diagnostic::counted(self.links, "link", "links")
        );
        if strict && self.warnings() > 0 {
            line.push_str(" (--strict: warnings count as errors)");
        }
        line
    }
}

/// An error that stops the check before the links (a config or template error), or a page
/// that cannot be rendered.
#[derive(Debug)]
pub enum Fatal {
    Build(BuildError),
    Render(crate::render::RenderError),
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Build(e) => e.fmt(f),
            Self::Render(e) => e.fmt(f),
        }
    }
}

/// The sink of `check`: scans each rendered page for links and ids, and writes nothing.
/// A page checked: its language's place and route, its file, and its links.
type CheckedPage = ((usize, Route), PathBuf, PageLinks);

#[derive(Default)]
struct LinkCheck {
    pages: Mutex<Vec<CheckedPage>>,
}

impl Sink for LinkCheck {
    fn keeps(&self, _: &Entry, _: u128) -> bool {
        false
    }

    /// The search index is not made to be checked (it holds no links): its folder is taken
    /// as there, and links into it as leading somewhere.
    fn keeps_folder(&self, _: &Path, _: u128) -> bool {
        true
    }

    fn may_keep_folder(&self, _: &Path) -> bool {
        true
    }

    fn put(&self, entry: &Entry, bytes: &[u8], _: u128) -> Result<bool, BuildError> {
        // HTML pages only: a feed's links are escaped text in it (and a JSON Feed's are in
        // JSON strings), the same links as the pages' own.
        if let Source::Page(lang, route) = entry.source
            && route.template().ends_with(".html")
        {
            let links = links::scan(&String::from_utf8_lossy(bytes));
            let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
            pages.push(((lang, route), entry.file.clone(), links));
        }
        Ok(false)
    }

    fn copy(&self, _: &Entry, _: &Path) -> Result<bool, BuildError> {
        Ok(false)
    }

    /// A resized picture holds no links: it is not made.
    fn made(
        &self,
        _: &Entry,
        _: u128,
        _: &dyn Fn() -> Result<Vec<u8>, BuildError>,
    ) -> Result<bool, BuildError> {
        Ok(false)
    }
}

/// Checks the site described by `options`: everything a build checks, then its links.
pub(crate) fn run(options: &BuildOptions) -> Report {
    let mut found = Vec::new();
    let mut report = Report::default();
    match checked(options, &mut report, &mut found) {
        Ok(()) => {}
        Err(BuildError::Content(Diagnostics(problems))) => found.extend(problems),
        Err(BuildError::Render(errors)) => {
            report.fatal.extend(errors.into_iter().map(Fatal::Render));
        }
        Err(e) => report.fatal.push(Fatal::Build(e)),
    }
    report.problems = Diagnostics::sorted(found).0;
    report
}

fn checked(
    options: &BuildOptions,
    report: &mut Report,
    found: &mut Vec<Diagnostic>,
) -> Result<(), BuildError> {
    let sources = pipeline::load(options)?;
    // `check` writes nothing, the caches included: it only reads them.
    let highlighter = options.highlighter(&sources.config);
    let mut documents = sources.documents;
    let (site, manifest) = pipeline::resolve(
        &options.root,
        sources.config,
        &sources.content,
        sources.problems,
        (&sources.theme, &sources.highlight_css, &sources.pictures),
        &highlighter,
        &mut documents,
        options.selection(),
        found,
    )?;
    found.extend(manifest.missing_images(&site, Severity::Error));
    let renderer = Renderer::new(&site, &sources.theme, &highlighter);
    let sink = LinkCheck::default();
    let now = pipeline::search::IndexWhen::Now;
    let store = crate::search::IndexStore::none();
    pipeline::search::render_with_index(&renderer, &manifest, &highlighter, (&sink, now, &store))?;
    // Feeds, sitemaps and redirects are checked too, but pages are counted as `build` does.
    report.pages = manifest.page_count();
    let mut pages = sink
        .pages
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    // In the plan's order, as the pages were rendered.
    let order: HashMap<&Path, usize> = manifest
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.file.as_path(), i))
        .collect();
    pages.sort_by_key(|(_, file, _)| order.get(file.as_path()).copied());
    let mut broken = broken_links(&site, &manifest, &pages, &mut report.links);
    if !broken.is_empty() {
        let config_text =
            std::fs::read_to_string(options.root.join(CONFIG_FILE)).unwrap_or_default();
        let all_paths: Vec<String> = (site.every_language())
            .flat_map(|s| s.routes().into_iter().map(|r| s.path(r)))
            .collect();
        for (lang, site) in site.every_language().enumerate() {
            let (own, others) = broken.into_iter().partition(|(l, _)| *l == lang);
            broken = others;
            let own: Vec<Broken> = own.into_iter().map(|(_, b)| b).collect();
            if own.is_empty() {
                continue;
            }
            let origins = sources.theme.origins.clone();
            let locator = Locator::new(site, config_text.clone(), origins);
            found.extend(diagnose(site, &locator, own, &all_paths));
        }
    }
    Ok(())
}

/// Every link of `pages` that leads nowhere; counts the links in `count`.
fn broken_links(
    site: &Site,
    manifest: &Manifest,
    pages: &[CheckedPage],
    count: &mut usize,
) -> Vec<(usize, Broken)> {
    let files: HashSet<&Path> = manifest.entries.iter().map(|e| e.file.as_path()).collect();
    let ids: HashMap<&Path, &HashSet<String>> = pages
        .iter()
        .map(|(_, file, links)| (file.as_path(), &links.ids))
        .collect();
    let base = &site.config.base_url;
    let in_index = |file: &Path| site.config.search && file.starts_with(crate::search::FOLDER);
    let mut broken: Vec<(usize, Broken)> = Vec::new();
    let translations = &site.translations;
    for ((lang, route), _, links) in pages {
        let (lang, route) = (*lang, *route);
        let page = site.language(lang).path(route);
        let document = matches!(route, Route::Post(_) | Route::Page(_));
        for found in &links.links {
            *count += 1;
            let problem = match links::resolve(&found.url, &page, base) {
                Target::External => continue,
                Target::Outside => Problem::Outside,
                Target::Internal { path, fragment } => {
                    let target = links::candidate_files(&path)
                        .into_iter()
                        .find(|f| files.contains(f.as_path()) || in_index(f));
                    match (target, fragment) {
                        (None, _) => Problem::Missing(path),
                        (Some(file), Some(id)) => match ids.get(file.as_path()) {
                            Some(known) if !known.contains(&id) => Problem::NoId {
                                page: path,
                                id,
                                known: known.iter().cloned().collect(),
                            },
                            _ => continue,
                        },
                        (Some(_), None) if document && translations.is_multilingual() => {
                            match other_language(translations, &path, lang) {
                                Some(problem) => problem,
                                None => continue,
                            }
                        }
                        (Some(_), None) => continue,
                    }
                }
            };
            broken.push((
                lang,
                Broken {
                    route,
                    url: found.url.clone(),
                    image: found.image,
                    problem,
                },
            ));
        }
    }
    broken
}

/// The problem of a link from a page in language `lang` to the page at `path`, when that
/// page is in another language: the reader lands in a language they did not choose.
fn other_language(
    translations: &crate::model::translation::Translations,
    path: &str,
    lang: usize,
) -> Option<Problem> {
    let there = translations.language_of_path(path)?;
    if there == lang {
        return None;
    }
    let document = translations.is_document(path);
    Some(Problem::OtherLanguage {
        page: path.to_string(),
        language: translations.languages.get(there)?.code.clone(),
        instead: translations.counterpart(path, (there, lang), document),
    })
}
