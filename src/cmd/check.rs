//! `playpress check`: everything a build does except writing, and then: every internal link
//! and image of every page leads to a page or file of the site (and `#anchors` to an element
//! with that id). With the build's own checks (series without gaps or duplicate parts, one
//! source per URL, unknown front matter keys, unknown code languages) every problem is
//! reported with its file and line.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::links::{self, PageLinks, Target, Written};
use crate::cmd::build::{self, BuildError, BuildOptions, Prepared};
use crate::diagnostic::{
    Diagnostic, Diagnostics, Position, Severity, closest_within, did_you_mean, position_of,
};
use crate::load::config::CONFIG_FILE;
use crate::model::post::Document;
use crate::model::route::Route;
use crate::model::site::Site;
use crate::pipeline::plan::{Source, join_names};
use crate::render::Renderer;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Warnings count as errors.
    pub strict: bool,
}

/// Everything `check` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems in the site's files, errors first.
    pub problems: Vec<Diagnostic>,
    /// Errors that stop the check early (config, templates), as printed.
    pub fatal: Vec<String>,
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
                super::counted(e, "error", "errors"),
                super::counted(w, "warning", "warnings")
            ),
        };
        let mut line = format!(
            "checked {} and {}: {found}",
            super::counted(self.pages, "page", "pages"),
            super::counted(self.links, "link", "links")
        );
        if strict && self.warnings() > 0 {
            line.push_str(" (--strict: warnings count as errors)");
        }
        line
    }
}

/// Checks the site described by `options`.
pub fn run(options: &CheckOptions) -> Report {
    let mut warnings = Vec::new();
    let mut report = Report::default();
    match build::prepare(&options.build, &mut warnings) {
        Ok(prepared) => check_prepared(options, prepared, &mut report, &mut warnings),
        Err(BuildError::Content(Diagnostics(found))) => warnings.extend(found),
        Err(e) => report.fatal.push(e.to_string()),
    }
    report.problems = Diagnostics::sorted(warnings).0;
    report
}

fn check_prepared(
    options: &CheckOptions,
    prepared: Prepared,
    report: &mut Report,
    problems: &mut Vec<Diagnostic>,
) {
    let root = &options.build.root;
    let Prepared {
        site,
        manifest,
        mut theme,
        highlighter,
        ..
    } = prepared;
    problems.extend(manifest.missing_images(&site, Severity::Error));
    let origins = theme.origins.clone();
    // `check` writes nothing, the code cache included: it only reads it.
    let renderer = Renderer::new(&site, &mut theme, &highlighter);
    let rendered: Vec<Result<(Route, PathBuf, PageLinks), String>> = manifest
        .entries
        .par_iter()
        .map_init(
            || highlighter.line_cache(),
            |lines, entry| match entry.source {
                Source::Page(route) => Some(
                    renderer
                        .render_with(route, lines.get())
                        .map(|bytes| {
                            let links = links::scan(&String::from_utf8_lossy(&bytes));
                            (route, entry.file.clone(), links)
                        })
                        .map_err(|e| e.to_string()),
                ),
                _ => None,
            },
        )
        .flatten()
        .collect();
    let mut pages = Vec::new();
    for result in rendered {
        match result {
            Ok(page) => pages.push(page),
            Err(e) => report.fatal.push(e),
        }
    }
    // Feeds, sitemaps and redirects are checked too, but pages are counted as `build` does.
    report.pages = manifest.page_count();

    let files: HashSet<&Path> = manifest.entries.iter().map(|e| e.file.as_path()).collect();
    let ids: HashMap<&Path, &HashSet<String>> = pages
        .iter()
        .map(|(_, file, links)| (file.as_path(), &links.ids))
        .collect();
    let base = &site.config.base_url;
    let mut broken: Vec<Broken> = Vec::new();
    for (route, _, links) in &pages {
        let page = site.path(*route);
        for found in &links.links {
            report.links += 1;
            let problem = match links::resolve(&found.url, &page, base) {
                Target::External => continue,
                Target::Outside => Problem::Outside,
                Target::Internal { path, fragment } => {
                    let target = links::candidate_files(&path)
                        .into_iter()
                        .find(|f| files.contains(f.as_path()));
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
                        (Some(_), None) => continue,
                    }
                }
            };
            broken.push(Broken {
                route: *route,
                url: found.url.clone(),
                image: found.image,
                problem,
            });
        }
    }
    if broken.is_empty() {
        return;
    }
    let all_paths: Vec<String> = site.routes().iter().map(|&r| site.path(r)).collect();
    let config_text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let locator = Locator::new(&site, config_text, origins);
    problems.extend(diagnose(&site, &locator, broken, &all_paths));
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    /// No file serves this site path.
    Missing(String),
    /// The page has no element with this id.
    NoId {
        page: String,
        id: String,
        known: Vec<String>,
    },
    /// The link leaves the site.
    Outside,
}

/// A broken link on one page.
struct Broken {
    route: Route,
    url: String,
    image: bool,
    problem: Problem,
}

/// Finds where a link was written.
struct Locator<'a> {
    site: &'a Site,
    /// The links written in each post and page, by the document's index in `docs`; read once.
    written: Vec<OnceCell<Vec<Written>>>,
    /// Every post then every page: where a link that is not in its own page's text is sought.
    docs: Vec<&'a Document>,
    /// Each URL as the site shows it, with the first document and link that wrote it.
    index: OnceCell<HashMap<String, (usize, Position, usize)>>,
    config_text: Arc<str>,
    origins: BTreeMap<String, String>,
}

/// Where a broken link comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    file: PathBuf,
    at: Option<(Position, usize)>,
    /// The text of the file, for the snippet.
    text: Option<Arc<str>>,
}

impl<'a> Locator<'a> {
    fn new(site: &'a Site, config_text: String, origins: BTreeMap<String, String>) -> Self {
        let docs: Vec<&Document> = site
            .posts
            .iter()
            .map(|p| &p.doc)
            .chain(site.pages.iter().map(|p| &p.doc))
            .collect();
        Self {
            site,
            written: docs.iter().map(|_| OnceCell::new()).collect(),
            docs,
            index: OnceCell::new(),
            config_text: config_text.into(),
            origins,
        }
    }

    fn written(&self, doc: usize) -> &[Written] {
        self.written[doc].get_or_init(|| {
            let d = self.docs[doc];
            links::written_in_markdown(&d.text, d.body_offset)
        })
    }

    /// The URLs a link written as `written` is shown as: itself, and for a root-relative link
    /// under a subpath `base_url`, the rebased one.
    fn shown_as(written: &str, root: &str) -> [Option<String>; 2] {
        let rebased = written
            .strip_prefix('/')
            .filter(|_| root != "/")
            .map(|rest| format!("{root}{rest}"));
        [Some(written.to_string()), rebased]
    }

    fn place_in(&self, doc: usize, position: Position, width: usize) -> Place {
        let d = self.docs[doc];
        Place {
            file: d.source.clone(),
            at: Some((position, width)),
            text: Some(Arc::clone(&d.text)),
        }
    }

    fn locate(&self, route: Route, url: &str) -> Place {
        let root = self.site.config.base_url.root();
        // The page's own text first: a link is most often written on the page that shows it.
        let own = match route {
            Route::Post(i) => Some(i),
            Route::Page(i) => Some(self.site.posts.len() + i),
            _ => None,
        };
        if let Some(doc) = own
            && let Some(w) = self.written(doc).iter().find(|w| {
                Self::shown_as(&w.url, root)
                    .iter()
                    .flatten()
                    .any(|shown| shown == url)
            })
        {
            return self.place_in(doc, w.position, w.width);
        }
        let index = self.index.get_or_init(|| {
            let mut index = HashMap::new();
            for doc in 0..self.docs.len() {
                for w in self.written(doc) {
                    for shown in Self::shown_as(&w.url, root).into_iter().flatten() {
                        index.entry(shown).or_insert((doc, w.position, w.width));
                    }
                }
            }
            index
        });
        if let Some(&(doc, position, width)) = index.get(url) {
            return self.place_in(doc, position, width);
        }
        let unrebased = url.strip_prefix(root).map(|rest| format!("/{rest}"));
        for candidate in [Some(url.to_string()), unrebased].into_iter().flatten() {
            if let Some(offset) = find_value(&self.config_text, &candidate) {
                return Place {
                    file: PathBuf::from(CONFIG_FILE),
                    at: Some((
                        position_of(&self.config_text, offset),
                        candidate.chars().count(),
                    )),
                    text: Some(Arc::clone(&self.config_text)),
                };
            }
        }
        let template = route.template();
        let file = match self.origins.get(template) {
            Some(origin) if origin.contains(" is ") => {
                PathBuf::from(origin.rsplit(" is ").next().unwrap_or(template))
            }
            _ => PathBuf::from(format!("{template} (built-in theme)")),
        };
        Place {
            file,
            at: None,
            text: None,
        }
    }
}

/// The byte offset of `value` written as a whole YAML value in `text`.
fn find_value(text: &str, value: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(value) {
        let at = from + i;
        let before = text[..at].chars().last();
        let after = text[at + value.len()..].chars().next();
        let starts = matches!(before, Some(' ' | '"' | '\'' | '['));
        let ends = matches!(
            after,
            None | Some('\n' | '\r' | '"' | '\'' | ' ' | ',' | ']')
        );
        if starts && ends {
            return Some(at);
        }
        from = at + value.len().max(1);
    }
    None
}

fn diagnose(
    site: &Site,
    locator: &Locator<'_>,
    broken: Vec<Broken>,
    all_paths: &[String],
) -> Vec<Diagnostic> {
    let base = &site.config.base_url;
    // One problem per place, link and reason, with the pages it breaks.
    let mut grouped: BTreeMap<(Place, String, bool, Problem), Vec<String>> = BTreeMap::new();
    for b in broken {
        let place = locator.locate(b.route, &b.url);
        let own = site.source_of(b.route).as_ref() == Some(&place.file);
        let pages = grouped
            .entry((place, b.url, b.image, b.problem))
            .or_default();
        if !own {
            pages.push(site.path(b.route));
        }
    }
    grouped
        .into_iter()
        .map(|((place, url, image, problem), pages)| {
            let (reason, label, hint) = match &problem {
                Problem::Missing(path) => (
                    format!("no page or file has the URL {}", base.url(path)),
                    "not found".to_string(),
                    closest_within(path, all_paths.iter().map(String::as_str), 3).map_or_else(
                        || "link to a page or file of the site, or fix the address".to_string(),
                        |p| format!("did you mean `{}`?", base.url(p)),
                    ),
                ),
                Problem::NoId { page, id, known } => {
                    let mut known = known.clone();
                    known.sort();
                    (
                        format!("{} has no element with id `{id}`", base.url(page)),
                        "no such id".to_string(),
                        match did_you_mean(id, known.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `#{s}`?"),
                            None if known.is_empty() => "that page has no ids".to_string(),
                            None => format!(
                                "the ids there: {}",
                                known.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
                            ),
                        },
                    )
                }
                Problem::Outside => (
                    format!(
                        "it leads outside the site, which is served under {}",
                        base.root()
                    ),
                    "outside the site".to_string(),
                    format!(
                        "start links to the site with {}, or write them relative to the page",
                        base.root()
                    ),
                ),
            };
            let what = if image { "image" } else { "link" };
            let mut message = format!("broken {what} `{url}`: {reason}");
            if !pages.is_empty() {
                let shown: Vec<&str> = pages.iter().take(3).map(String::as_str).collect();
                let list = match pages.len() {
                    4 => format!("{} and 1 more page", shown.join(", ")),
                    n if n > 3 => format!("{} and {} more pages", shown.join(", "), n - 3),
                    _ => join_names(&shown),
                };
                message.push_str(&format!(" (on {list})"));
            }
            let mut d = Diagnostic::error(place.file.clone(), message).with_hint(hint);
            if let (Some((position, width)), Some(text)) = (place.at, &place.text) {
                d = d.at(text, position, width).with_label(label);
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values_are_found_whole() {
        let text = "menu:\n  - name: A\n    url: /about/x/\n  - name: B\n    url: /about/\n";
        assert_eq!(find_value(text, "/about/"), text.rfind("/about/"));
        assert_eq!(find_value(text, "/nope/"), None);
    }
}
