//! The site model: published posts in order, pages, series, tags. Resolved from the loaded
//! config and content ([`crate::model::resolve`]); every page it has is in
//! [`crate::model::route`]. Pure.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::diagnostic::{Diagnostic, join_names};
use crate::load::config::Config;
use crate::model::post::{Page, Post};
use crate::model::route::Route;
use crate::model::series::{Series, SeriesRef};
use crate::model::term::Tag;

/// Which posts a build includes.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Include `draft: true` posts.
    pub drafts: bool,
    /// Include posts dated after `now`.
    pub future: bool,
    /// The moment that decides what is in the future.
    pub now: Timestamp,
}

/// The resolved site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Published posts, newest first.
    pub posts: Vec<Arc<Post>>,
    pub pages: Vec<Page>,
    pub series: Vec<Series>,
    pub tags: Vec<Tag>,
    /// Everyone who wrote a post, by slug.
    pub authors: Vec<crate::model::author::Author>,
    /// For each post, its place in its series.
    pub post_series: Vec<Option<SeriesRef>>,
    /// For each post, indices into `tags`.
    pub post_tags: Vec<Vec<usize>>,
    /// For each post, indices into `authors`, in the order written.
    pub post_authors: Vec<Vec<usize>>,
    /// For each post, its related posts (`related.rs`), best first.
    pub(crate) related: Vec<Vec<usize>>,
    /// Posts left out (drafts, future), for the summary.
    pub skipped: usize,
    /// URLs in one sitemap file ([`crate::model::route::SITEMAP_LIMIT`]; smaller in tests).
    pub sitemap_limit: usize,
    /// The site path of each post and page, for internal links (`@/posts/x.md`).
    pub(crate) links: crate::markdown::links::Links,
    /// The size of every picture published, by its file in the output (set once the output
    /// is planned).
    pub(crate) pictures: std::sync::Arc<crate::load::pictures::ByFile>,
    /// The theme's words in the site's language (set once the output is planned).
    pub(crate) strings: std::sync::Arc<crate::load::strings::Strings>,
    /// The output files of the pictures that have resized variants (set with `pictures`).
    pub(crate) varied: std::sync::Arc<std::collections::HashSet<std::path::PathBuf>>,
    /// The place of this site's language among the site's languages (0: the default).
    pub lang: usize,
    /// The site in each other language (`languages:` of the config), on the default
    /// language's site only.
    pub languages: Vec<Site>,
    /// Which pages are translations of which, shared by the site in every language.
    pub(crate) translations: Arc<crate::model::translation::Translations>,
}

impl Site {
    /// The site in language `lang` (0: this one, the default).
    pub fn language(&self, lang: usize) -> &Site {
        match lang.checked_sub(1) {
            Some(i) => self.languages.get(i).unwrap_or(self),
            None => self,
        }
    }

    /// The site in every language, the default first.
    pub fn every_language(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(&self.languages)
    }

    /// Sources that would write the same file (compared without case, as some file systems
    /// do): one error per file, naming every source.
    pub fn collisions(&self) -> Vec<Diagnostic> {
        let routes = self.routes();
        let mut by_file: HashMap<String, Vec<Route>> = HashMap::with_capacity(routes.len());
        for route in routes {
            let file = self.output_file(route);
            let file = file.to_string_lossy();
            let key = if file.is_ascii() {
                file.to_ascii_lowercase()
            } else {
                file.to_lowercase()
            };
            by_file.entry(key).or_default().push(route);
        }
        let mut shared: Vec<(String, Vec<Route>)> = by_file
            .into_iter()
            .filter(|(_, routes)| routes.len() > 1)
            .collect();
        shared.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        shared
            .iter()
            .map(|(_, routes)| {
                // Named by file, whatever order the posts have; aliases last, and the error
                // points at the last file named.
                let mut routes = routes.clone();
                routes.sort_by_cached_key(|&r| {
                    (matches!(r, Route::Alias { .. }), self.source_of(r), r)
                });
                let file = routes
                    .iter()
                    .rev()
                    .find_map(|&r| self.source_of(r))
                    .unwrap_or_else(|| PathBuf::from("content"));
                let names: Vec<String> = routes.iter().map(|&r| self.describe(r)).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let count = match routes.len() {
                    2 => "two".to_string(),
                    n => n.to_string(),
                };
                let mut paths: Vec<String> = routes.iter().map(|&r| self.path(r)).collect();
                paths.dedup();
                let what = if paths.len() == 1 {
                    format!("{count} sources produce the URL {}", paths[0])
                } else {
                    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                    format!(
                        "{count} sources produce URLs that differ only in case, {}, which are one file on case-insensitive file systems",
                        join_names(&paths)
                    )
                };
                let hint = if routes.iter().any(|r| matches!(r, Route::Alias { .. })) {
                    if routes.len() == 2 {
                        "remove the alias, or give the other page another `slug:`"
                    } else {
                        "remove the alias, or give the other pages another `slug:`"
                    }
                } else {
                    "give all of them but one another `slug:`"
                };
                Diagnostic::error(file, format!("{what}: {}", join_names(&names))).with_hint(hint)
            })
            .collect()
    }

    /// The year of the newest post, for the copyright line (no clock involved).
    pub fn newest_year(&self) -> Option<i16> {
        self.posts.first().map(|p| p.date.year())
    }
}
