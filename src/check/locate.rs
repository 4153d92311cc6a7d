//! Where a broken link was written: the page's own Markdown, another post's, a value in
//! `config.yaml`, or a template; and the one report per place, link and reason.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::links::{self, Written};
use crate::diagnostic::{
    Diagnostic, Lines, Position, closest_within, did_you_mean, join_names, position_of,
};
use crate::load::config::CONFIG_FILE;
use crate::model::post::Document;
use crate::model::route::Route;
use crate::model::site::Site;

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Problem {
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
    /// The link, written in a post or page, leads to a page in another language (a warning):
    /// the page, its language, and its version in the page's own language when it has one.
    OtherLanguage {
        page: String,
        language: String,
        instead: Option<String>,
    },
}

/// A broken link on one page.
pub(super) struct Broken {
    pub(super) route: Route,
    pub(super) url: String,
    pub(super) image: bool,
    pub(super) problem: Problem,
}

/// Finds where a link was written.
pub(super) struct Locator<'a> {
    site: &'a Site,
    /// The links written in each post and page, by the document's index in `docs`; read once.
    written: Vec<OnceCell<Vec<Written>>>,
    /// The links of each document by the URL the site shows, the first of each; made once.
    shown: Vec<OnceCell<HashMap<String, (Position, usize)>>>,
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
    pub(super) fn new(
        site: &'a Site,
        config_text: String,
        origins: BTreeMap<String, String>,
    ) -> Self {
        let docs: Vec<&Document> = site
            .posts
            .iter()
            .map(|p| &p.doc)
            .chain(site.pages.iter().map(|p| &p.doc))
            .collect();
        Self {
            site,
            written: docs.iter().map(|_| OnceCell::new()).collect(),
            shown: docs.iter().map(|_| OnceCell::new()).collect(),
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

    /// Where each URL a link of document `doc` is shown as was first written in it.
    fn shown_in(&self, doc: usize) -> &HashMap<String, (Position, usize)> {
        self.shown[doc].get_or_init(|| {
            let root = self.site.config.base_url.root();
            let mut shown = HashMap::new();
            for w in self.written(doc) {
                for url in Self::shown_as(&w.url, root).into_iter().flatten() {
                    shown.entry(url).or_insert((w.position, w.width));
                }
            }
            shown
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
            && let Some(&(position, width)) = self.shown_in(doc).get(url)
        {
            return self.place_in(doc, position, width);
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

pub(super) fn diagnose(
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
        // Links to other languages that the theme writes (the language switcher) are meant.
        if matches!(b.problem, Problem::OtherLanguage { .. }) && !(own && place.at.is_some()) {
            continue;
        }
        let pages = grouped
            .entry((place, b.url, b.image, b.problem))
            .or_default();
        if !own {
            pages.push(site.path(b.route));
        }
    }
    // The lines of the file shown last: the places come in file order.
    let mut lines: Option<(&Arc<str>, Lines<'_>)> = None;
    grouped
        .iter()
        .map(|((place, url, image, problem), pages)| {
            let (reason, label, hint) = explain(problem, base, all_paths);
            let what = if *image { "image" } else { "link" };
            let other = matches!(problem, Problem::OtherLanguage { .. });
            let mut message = if other {
                format!("{what} `{url}` leads to another language: {reason}")
            } else {
                format!("broken {what} `{url}`: {reason}")
            };
            if !pages.is_empty() {
                let shown: Vec<&str> = pages.iter().take(3).map(String::as_str).collect();
                let list = match pages.len() {
                    4 => format!("{} and 1 more page", shown.join(", ")),
                    n if n > 3 => format!("{} and {} more pages", shown.join(", "), n - 3),
                    _ => join_names(&shown),
                };
                message.push_str(&format!(" (on {list})"));
            }
            let mut d = if other {
                Diagnostic::warning(place.file.clone(), message).with_hint(hint)
            } else {
                Diagnostic::error(place.file.clone(), message).with_hint(hint)
            };
            if let (Some((position, width)), Some(text)) = (place.at, &place.text) {
                let (shown, index) = match lines.take() {
                    Some((shown, index)) if Arc::ptr_eq(shown, text) => (shown, index),
                    _ => (text, Lines::new(text)),
                };
                d = d.at_in(&index, position, width).with_label(label);
                lines = Some((shown, index));
            }
            d
        })
        .collect()
}

/// Why a link is a problem, the label under it and the hint: (reason, label, hint).
fn explain(
    problem: &Problem,
    base: &crate::load::url::BaseUrl,
    all_paths: &[String],
) -> (String, String, String) {
    match problem {
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
        Problem::OtherLanguage {
            page,
            language,
            instead,
        } => (
            format!("{} is in `{language}`", base.url(page)),
            "in another language".to_string(),
            match instead {
                Some(own) => format!("link its translation, {}", base.url(own)),
                None => format!(
                    "it has no translation into this page's language: translate it, or say that the link leads to a page in `{language}`"
                ),
            },
        ),
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
    }
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
