//! Authors: the list of everyone who wrote a post, and each author's paginated page with
//! their bio, avatar and links (from the config's `authors:`) above their posts.

use serde::Serialize;

use crate::model::route::{FeedScope, Route, page_count, paginated_path};

use super::Renderer;
use super::logo::{LogoView, logo_view};
use super::site::{Card, LinkView, PageMeta, Paginator};

/// An author as lists and their page show them.
#[derive(Debug, Clone, Serialize)]
pub(super) struct AuthorCard<'a> {
    pub name: &'a str,
    pub url: &'a str,
    /// Their posts.
    pub count: usize,
    pub bio: Option<&'a str>,
    pub avatar: Option<LogoView>,
    pub links: Vec<LinkView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct AuthorsContext<'a> {
    pub page: PageMeta,
    pub authors: Vec<AuthorCard<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct AuthorContext<'a> {
    pub page: PageMeta,
    pub author: AuthorCard<'a>,
    pub posts: Vec<Card<'a>>,
    pub paginator: Paginator,
}

impl<'a> Renderer<'a> {
    pub(super) fn author_list(&self) -> AuthorsContext<'a> {
        AuthorsContext {
            page: self.meta(
                "authors",
                self.say("authors", &[]),
                self.say("authors_description", &[("site", &self.site.config.title)]),
                &self.site.path(Route::AuthorList),
            ),
            authors: (0..self.site.authors.len())
                .map(|a| self.author_card(a))
                .collect(),
        }
    }

    pub(super) fn author_page(
        &self,
        author: usize,
        number: usize,
        bodies: bool,
    ) -> AuthorContext<'a> {
        let term = &self.site.authors[author].term;
        let per_page = self.site.config.posts_per_page;
        let posts = term
            .posts
            .iter()
            .skip((number - 1) * per_page)
            .take(per_page)
            .map(|&p| self.card(p, bodies))
            .collect();
        let total = page_count(term.posts.len(), per_page);
        let posts_by = self.say("posts_by", &[("name", &term.name)]);
        let title = self.numbered(posts_by.clone(), number);
        let card = self.author_card(author);
        let description = card.bio.map_or(posts_by, str::to_string);
        let mut page = self.meta(
            "author",
            title,
            description,
            &paginated_path(&term.path, number),
        );
        page.feed = self.feed_link(
            self.say(
                "author_feed",
                &[("site", &self.site.config.title), ("name", &term.name)],
            ),
            &self.site.path(Route::Atom(FeedScope::Author(author))),
        );
        AuthorContext {
            page,
            author: card,
            posts,
            paginator: self.paginator(&term.path, number, total),
        }
    }

    fn author_card(&self, index: usize) -> AuthorCard<'a> {
        let site = self.site;
        let term = &site.authors[index].term;
        let info = site.author_info(index);
        let base = &site.config.base_url;
        AuthorCard {
            name: &term.name,
            url: &term.url,
            count: term.posts.len(),
            bio: info.and_then(|i| i.bio.as_deref()),
            avatar: info
                .and_then(|i| i.avatar.as_deref())
                .map(|a| logo_view(site, a)),
            links: info
                .map(|i| i.links.iter().map(|l| LinkView::of(l, base)).collect())
                .unwrap_or_default(),
        }
    }
}
