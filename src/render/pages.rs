//! Pages of one thing each: a standalone page (about, privacy policy), the 404 page, and the
//! redirect page at an old path (`aliases:`) of a post.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::markdown::TocEntry;
use crate::markdown::highlight::LineCache;
use crate::model::route::{NOT_FOUND, SEARCH};

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
            page: self.meta(
                "page",
                page.doc.title.clone(),
                page.description.clone(),
                &page.path,
            ),
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
                NOT_FOUND,
            ),
        }
    }

    pub(super) fn search(&self) -> SearchContext {
        SearchContext {
            page: self.meta(
                "search",
                "Search".to_string(),
                format!("Search the posts of {}.", self.site.config.title),
                SEARCH,
            ),
        }
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
