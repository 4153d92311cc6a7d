//! Lists of posts: the paginated index, each tag's paginated page, and the list of tags.

use serde::Serialize;

use crate::model::route::{FeedScope, Route, page_count, paginated_path};

use super::Renderer;
use super::site::{Card, PageMeta, Paginator};

#[derive(Debug, Clone, Serialize)]
pub(super) struct IndexContext<'a> {
    pub page: PageMeta,
    pub posts: Vec<Card<'a>>,
    pub paginator: Paginator,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct TagCard<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct TagsContext<'a> {
    pub page: PageMeta,
    pub tags: Vec<TagCard<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct TagContext<'a> {
    pub page: PageMeta,
    pub tag: TagCard<'a>,
    pub posts: Vec<Card<'a>>,
    pub paginator: Paginator,
}

impl<'a> Renderer<'a> {
    pub(super) fn index(&self, number: usize, bodies: bool) -> IndexContext<'a> {
        let site = self.site;
        let per_page = site.config.posts_per_page;
        let total = page_count(site.posts.len(), per_page);
        let start = (number - 1) * per_page;
        let end = (start + per_page).min(site.posts.len());
        let title = self.numbered(site.config.title.clone(), number);
        IndexContext {
            page: self.meta(
                "index",
                title,
                site.config.description.clone(),
                &self.site.path(Route::Index { number }),
            ),
            posts: (start..end).map(|i| self.card(i, bodies)).collect(),
            paginator: self.paginator(&self.site.path(Route::Index { number: 1 }), number, total),
        }
    }

    pub(super) fn tag_list(&self) -> TagsContext<'a> {
        TagsContext {
            page: self.meta(
                "tags",
                self.say("tags", &[]),
                self.say("tags_description", &[("site", &self.site.config.title)]),
                &self.site.path(Route::TagList),
            ),
            tags: (0..self.site.tags.len())
                .map(|t| self.tag_card(t))
                .collect(),
        }
    }

    pub(super) fn tag_page(&self, tag: usize, number: usize, bodies: bool) -> TagContext<'a> {
        let t = &self.site.tags[tag];
        let per_page = self.site.config.posts_per_page;
        let start = (number - 1) * per_page;
        let posts = t
            .posts
            .iter()
            .skip(start)
            .take(per_page)
            .map(|&p| self.card(p, bodies))
            .collect();
        let total = page_count(t.posts.len(), per_page);
        let title = self.numbered(self.say("tag_title", &[("tag", &t.name)]), number);
        let mut page = self.meta(
            "tag",
            title,
            self.say("tag_description", &[("tag", &t.name)]),
            &paginated_path(&t.path, number),
        );
        page.feed = self.feed_link(
            self.say(
                "tag_feed",
                &[("site", &self.site.config.title), ("tag", &t.name)],
            ),
            &self.site.path(Route::Atom(FeedScope::Tag(tag))),
        );
        TagContext {
            page,
            tag: self.tag_card(tag),
            posts,
            paginator: self.paginator(&t.path, number, total),
        }
    }

    pub(super) fn tag_card(&self, index: usize) -> TagCard<'a> {
        let tag = &self.site.tags[index];
        TagCard {
            name: &tag.name,
            url: tag.url.clone(),
            count: tag.posts.len(),
        }
    }
}
