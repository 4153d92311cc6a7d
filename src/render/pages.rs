//! Pages of one thing each: a standalone page (about, privacy policy), the 404 page, and the
//! redirect page at an old path (`aliases:`) of a post.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::markdown::TocEntry;
use crate::markdown::highlight::LineCache;
use crate::model::route::Route;

use super::site::PageMeta;
use super::{BodyOf, Renderer};

#[derive(Debug, Clone, Serialize)]
pub(super) struct StandalonePageContext<'a> {
    pub page: PageMeta,
    pub title: &'a str,
    pub content: Cow<'a, str>,
    pub toc: &'a [TocEntry],
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct NotFoundContext {
    pub page: PageMeta,
}

/// The search page: its results are made in the reader's browser from the search index.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SearchContext {
    pub page: PageMeta,
    /// The languages of indexed pages other than the site's, in lowercase as the index names
    /// them: the search page searches their indexes too.
    pub other_languages: Vec<String>,
}

/// A redirect from an old path of a post to the post.
#[derive(Debug, Clone, Serialize)]
pub(super) struct AliasContext<'a> {
    pub title: &'a str,
    /// Where to go: the post's URL (relative when the site uses relative links).
    pub target: String,
    /// The post's absolute URL, for the canonical link.
    pub permalink: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn standalone(
        &self,
        i: usize,
        lines: &mut LineCache,
        bodies: bool,
    ) -> StandalonePageContext<'a> {
        let page = &self.site.pages[i];
        StandalonePageContext {
            page: self
                .meta(
                    "page",
                    page.doc.title.clone(),
                    page.description.clone(),
                    &page.path,
                )
                .in_language(page.doc.lang.as_deref()),
            title: &page.doc.title,
            content: Cow::Owned(self.body(BodyOf::Page(i), lines, bodies)),
            toc: &page.body.toc,
            extra: &page.doc.extra,
        }
    }

    pub(super) fn not_found(&self) -> NotFoundContext {
        NotFoundContext {
            page: self.meta(
                "404",
                "Page not found".to_string(),
                "This page does not exist.".to_string(),
                &self.site.path(Route::NotFound),
            ),
        }
    }

    pub(super) fn search(&self) -> SearchContext {
        SearchContext {
            page: self.meta(
                "search",
                self.say("search", &[]),
                self.say("search_description", &[("site", &self.site.config.title)]),
                &self.site.path(Route::Search),
            ),
            other_languages: self.other_languages(),
        }
    }

    /// The languages of indexed posts and pages besides the site's (one pass over them).
    fn other_languages(&self) -> Vec<String> {
        let site = self.site;
        let posts = site.posts.iter().filter(|p| !p.doc.draft && !p.future);
        let docs = posts
            .map(|p| &p.doc)
            .chain(site.pages.iter().map(|p| &p.doc));
        let mut languages: std::collections::BTreeSet<String> = docs
            .filter_map(|doc| doc.lang.as_deref())
            .map(str::to_lowercase)
            .collect();
        languages.remove(&site.config.language.to_lowercase());
        languages.into_iter().collect()
    }

    pub(super) fn alias(&self, post: usize, alias: usize) -> AliasContext<'a> {
        let p = &self.site.posts[post];
        let target = if self.site.config.relative_links {
            crate::model::url::relative(&p.doc.aliases[alias], &p.path)
        } else {
            p.url.clone()
        };
        AliasContext {
            title: &p.doc.title,
            target,
            permalink: p.permalink.clone(),
        }
    }
}
