//! Feeds: the Atom and RSS entries of a site, a series or a tag, with content whose links are
//! absolute so it reads correctly in any feed reader.

use serde::Serialize;

use crate::load::strings::say;
use crate::markdown::highlight::LineCache;
use crate::model::post::Post;
use crate::model::route::{FeedScope, Route};
use crate::model::site::Site;
use crate::model::url::{resolve, rewrite_links};

/// One post in a feed.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FeedEntry<'a> {
    pub title: &'a str,
    /// Absolute URL of the post; also its id.
    pub url: String,
    /// RFC 3339.
    pub published: String,
    /// RFC 3339: `updated`, else the date.
    pub updated: String,
    /// RFC 822, for RSS.
    pub published_rfc822: String,
    /// The names of its authors, joined (`Ann, Bob`).
    pub author: Option<String>,
    pub authors: Vec<Person<'a>>,
    /// Plain text.
    pub summary: &'a str,
    /// The summary as HTML, with absolute links.
    pub summary_html: String,
    /// The whole post as HTML, with absolute links: in the site's feeds. Series and tag feeds
    /// carry the summary only, so a build never renders a post's body more than twice.
    pub content: Option<String>,
    pub categories: Vec<&'a str>,
}

/// An author of a post, with the absolute URL of their page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Person<'a> {
    pub name: &'a str,
    pub url: String,
}

/// The feed itself.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FeedMeta {
    pub title: String,
    pub subtitle: String,
    /// Absolute URL of this feed file.
    pub url: String,
    /// Absolute URL of the page the feed follows.
    pub home: String,
    /// RFC 3339 time of the newest entry (or of nothing: the Unix epoch).
    pub updated: String,
    pub updated_rfc822: String,
    pub language: String,
}

/// What `atom.xml` and `rss.xml` see.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FeedContext<'a> {
    pub feed: FeedMeta,
    pub entries: Vec<FeedEntry<'a>>,
}

const RFC_822: &str = "%a, %d %b %Y %H:%M:%S %z";

/// `html` of `post` with every link made absolute against the post's own URL.
pub(super) fn absolute_links(site: &Site, post: &Post, html: &str) -> String {
    let base = &site.config.base_url;
    let root = base.root();
    rewrite_links(html, |value| {
        if let Some(fragment) = value.strip_prefix('#') {
            return Some(format!("{}#{fragment}", base.permalink(&post.path)));
        }
        // Links in Markdown were already given the base path; take it off to get the site path.
        let site_relative = match value.strip_prefix(root) {
            Some(rest) if value.starts_with('/') => format!("/{rest}"),
            _ => value.to_string(),
        };
        resolve(&post.path, &site_relative).map(|path| base.permalink(&path))
    })
}

/// A feed's title, subtitle and the site path of the page it follows.
fn heading(site: &Site, scope: FeedScope) -> (String, String, String) {
    let config = &site.config;
    match scope {
        FeedScope::Site => (
            config.title.clone(),
            config.description.clone(),
            site.path(Route::Index { number: 1 }),
        ),
        FeedScope::Series(i) => {
            let s = &site.series[i];
            (
                format!("{}: {}", config.title, s.title),
                s.description_text.clone().unwrap_or_else(|| {
                    say(
                        &site.strings,
                        "series_parts_description",
                        &[("series", &s.title)],
                    )
                }),
                s.path.clone(),
            )
        }
        FeedScope::Author(i) => {
            let a = &site.authors[i].term;
            (
                say(
                    &site.strings,
                    "author_feed_title",
                    &[("site", &config.title), ("name", &a.name)],
                ),
                say(
                    &site.strings,
                    "author_feed_description",
                    &[("site", &config.title), ("name", &a.name)],
                ),
                a.path.clone(),
            )
        }
        FeedScope::Tag(i) => {
            let t = &site.tags[i];
            (
                say(
                    &site.strings,
                    "tag_feed_title",
                    &[("site", &config.title), ("tag", &t.name)],
                ),
                say(
                    &site.strings,
                    "tag_feed_description",
                    &[("site", &config.title), ("tag", &t.name)],
                ),
                t.path.clone(),
            )
        }
    }
}

/// The time of the newest post of a feed, in RFC 3339 and RFC 822 (the Unix epoch for an
/// empty feed).
fn newest_time(site: &Site, indices: &[usize]) -> (String, String) {
    let newest = indices
        .iter()
        .map(|&i| {
            site.posts[i]
                .doc
                .updated
                .as_ref()
                .unwrap_or(&site.posts[i].date)
        })
        .max();
    match newest {
        Some(t) => (
            t.strftime(crate::model::date::RFC_3339).to_string(),
            t.strftime(RFC_822).to_string(),
        ),
        None => (
            "1970-01-01T00:00:00+00:00".to_string(),
            "Thu, 01 Jan 1970 00:00:00 +0000".to_string(),
        ),
    }
}

/// The feed of `scope`.
/// `body` gives the HTML of a post's body.
pub(super) fn context<'a>(
    site: &'a Site,
    scope: FeedScope,
    feed_path: &str,
    body: &mut dyn FnMut(usize) -> String,
) -> FeedContext<'a> {
    let config = &site.config;
    let base = &config.base_url;
    let (title, subtitle, home) = heading(site, scope);
    let indices = site.feed_posts(scope);
    let entries: Vec<FeedEntry<'a>> = indices
        .iter()
        .map(|&i| {
            let post = &site.posts[i];
            let updated = post.doc.updated.as_ref().unwrap_or(&post.date);
            FeedEntry {
                title: &post.doc.title,
                url: post.permalink.clone(),
                published: post.date_view.iso.clone(),
                updated: updated.strftime(crate::model::date::RFC_3339).to_string(),
                published_rfc822: post.date.strftime(RFC_822).to_string(),
                author: site.byline(i),
                authors: site.post_authors[i]
                    .iter()
                    .map(|&a| {
                        let term = &site.authors[a].term;
                        Person {
                            name: &term.name,
                            url: base.permalink(&term.path),
                        }
                    })
                    .collect(),
                summary: &post.description,
                summary_html: absolute_links(site, post, &post.summary_html),
                content: (scope == FeedScope::Site).then(|| absolute_links(site, post, &body(i))),
                categories: site.post_tags[i]
                    .iter()
                    .map(|&t| site.tags[t].name.as_str())
                    .collect(),
            }
        })
        .collect();
    let (updated, updated_rfc822) = newest_time(site, &indices);
    FeedContext {
        feed: FeedMeta {
            title,
            subtitle,
            url: base.permalink(feed_path),
            home: base.permalink(&home),
            updated,
            updated_rfc822,
            language: config.language.clone(),
        },
        entries,
    }
}

/// A JSON Feed 1.1 (`/feed.json`): the site's feed, the same posts and contents as Atom's.
#[derive(Debug, Clone, Serialize)]
pub(super) struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    description: String,
    language: String,
    items: Vec<JsonItem<'a>>,
}

/// One post of a JSON Feed.
#[derive(Debug, Clone, Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_html: String,
    summary: &'a str,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Person<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

impl<'a> From<FeedContext<'a>> for JsonFeed<'a> {
    fn from(context: FeedContext<'a>) -> Self {
        let items = context
            .entries
            .into_iter()
            .map(|entry| JsonItem {
                id: entry.url.clone(),
                url: entry.url,
                title: entry.title,
                content_html: entry.content.unwrap_or(entry.summary_html),
                summary: entry.summary,
                date_published: entry.published,
                date_modified: entry.updated,
                authors: entry.authors,
                tags: entry.categories,
            })
            .collect();
        let feed = context.feed;
        JsonFeed {
            version: "https://jsonfeed.org/version/1.1",
            title: feed.title,
            home_page_url: feed.home,
            feed_url: feed.url,
            description: feed.subtitle,
            language: feed.language,
            items,
        }
    }
}

impl<'a> super::Renderer<'a> {
    /// The site's JSON Feed.
    pub(super) fn json_feed(&self, lines: &mut LineCache, bodies: bool) -> JsonFeed<'a> {
        self.feed(FeedScope::Site, Route::JsonFeed, lines, bodies)
            .into()
    }

    /// The context of the feed at `route` (an Atom feed or the RSS feed) of `scope`.
    pub(super) fn feed(
        &self,
        scope: FeedScope,
        route: Route,
        lines: &mut LineCache,
        bodies: bool,
    ) -> FeedContext<'a> {
        context(self.site, scope, &self.site.path(route), &mut |post| {
            self.body(super::BodyOf::Post(post), lines, bodies)
        })
    }
}
