//! Rendering: one route of the site plus the templates gives the bytes of one page. Templates
//! see the typed context structs below; the site-wide part (`site`) is set once as Tera's
//! global context, so building a page's context never copies the whole site.

pub mod feed;
pub mod fingerprint;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::{Context, Tera};

use crate::load::theme::Theme;
use crate::markdown::highlight::{Highlighter, LineCache};
use crate::model::post;
use thiserror::Error;

use crate::load::config::Link;
use crate::markdown::TocEntry;
use crate::model::date::DateView;
use crate::model::post::Post;
use crate::model::route::{self, FeedScope, HIGHLIGHT_CSS, Route, page_count, paginated_path};
use crate::model::series::Series;
use crate::model::site::Site;
use fingerprint::Fingerprinter;

/// A template failed while rendering a page.
#[derive(Debug, Error)]
#[error(
    "error: cannot render {page}{from} with template `{template}`\n{detail}\n  = note: {origin}"
)]
pub struct RenderError {
    /// Site path of the page.
    pub page: String,
    /// ` (from content/posts/x.md)` when the page has a source file.
    pub from: String,
    pub template: &'static str,
    pub detail: String,
    /// Where the template came from.
    pub origin: String,
}

/// A link in a menu or footer, with its URL resolved against the base path.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: Option<String>,
    pub external: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView<'a> {
    pub address: Option<&'a str>,
    pub tel: Option<&'a str>,
    /// `tel:` link.
    pub tel_href: Option<String>,
    pub email: Option<&'a str>,
    pub email_href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FooterView<'a> {
    pub about: Option<&'a str>,
    pub links: Vec<LinkView<'a>>,
    pub services: Vec<LinkView<'a>>,
    pub contact: ContactView<'a>,
    pub copyright: Option<&'a str>,
    pub privacy_url: Option<String>,
}

/// Everything about the site that every template may use, as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute base URL with trailing slash.
    pub base_url: String,
    /// Base path (`/` or `/blog/`).
    pub root: &'a str,
    pub language: &'a str,
    pub author: Option<&'a str>,
    pub menu: Vec<LinkView<'a>>,
    pub footer: FooterView<'a>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Year of the newest post, for the copyright line.
    pub copyright_year: Option<i16>,
    pub stylesheet_url: String,
    pub highlight_css_url: String,
    pub favicon_url: String,
    pub home_url: String,
    pub series_url: String,
    pub tags_url: String,
    pub post_count: usize,
    /// The site's Atom and RSS feeds.
    pub feeds: Vec<FeedLink>,
}

/// What every page context carries, as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// `index`, `post`, `page`, `series_list`, `series`, `tags`, `tag` or `404`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    /// The Atom feed of this series or tag, besides the site's feeds.
    pub feed: Option<FeedLink>,
}

/// A feed to announce with `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
    /// `application/atom+xml` or `application/rss+xml`.
    pub mime: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A post's place in its series, for badges on cards.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesBadge<'a> {
    pub title: &'a str,
    pub url: String,
    pub part: usize,
    pub total: usize,
}

/// A post as templates see it. `content` and `toc` are set on the post's own page only.
#[derive(Debug, Clone, Serialize)]
pub struct PostView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub author: Option<&'a str>,
    /// HTML.
    pub summary: &'a str,
    /// Plain text.
    pub description: &'a str,
    pub tags: Vec<TagLink<'a>>,
    pub series: Option<SeriesBadge<'a>>,
    pub reading_minutes: usize,
    pub word_count: usize,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    pub content: Option<Cow<'a, str>>,
    pub toc: Option<&'a [TocEntry]>,
    /// Absolute URL of the `image:` for link previews.
    pub image: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartLink<'a> {
    pub number: usize,
    pub title: &'a str,
    pub url: String,
    pub date: DateView,
    pub current: bool,
}

/// The series box inside a post: "Part 2 of 3", all parts, previous and next part.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesNav<'a> {
    pub title: &'a str,
    pub url: String,
    pub part: usize,
    pub total: usize,
    pub parts: Vec<PartLink<'a>>,
    /// Numbers of announced parts not published yet (`total_parts` in the description).
    pub upcoming: Vec<usize>,
    pub previous: Option<PartLink<'a>>,
    pub next: Option<PartLink<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostContext<'a> {
    pub page: PageMeta,
    pub post: PostView<'a>,
    /// The next older post ("Prev Post").
    pub older: Option<PostLink<'a>>,
    /// The next newer post ("Next Post").
    pub newer: Option<PostLink<'a>>,
    pub series: Option<SeriesNav<'a>>,
    /// schema.org `BlogPosting` as JSON, safe to put inside `<script>`.
    pub json_ld: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were skipped between the previous number and this one.
    pub gap_before: bool,
}

/// Pagination: numbered links around the current page (first, last and two either side),
/// so a page's context stays small however many pages there are.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page links; a gap between two numbers means pages were skipped.
    pub pages: Vec<PageNumber>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexContext<'a> {
    pub page: PageMeta,
    pub posts: Vec<PostView<'a>>,
    pub paginator: Paginator,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandalonePageContext<'a> {
    pub page: PageMeta,
    pub title: &'a str,
    pub content: Cow<'a, str>,
    pub toc: &'a [TocEntry],
    pub extra: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesCard<'a> {
    pub title: &'a str,
    pub url: String,
    /// Published parts.
    pub count: usize,
    /// Published and announced parts.
    pub total: usize,
    pub upcoming: Vec<usize>,
    pub description: Option<&'a str>,
    pub description_html: Option<&'a str>,
    pub first: Option<DateView>,
    pub last: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesListContext<'a> {
    pub page: PageMeta,
    pub series: Vec<SeriesCard<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesContext<'a> {
    pub page: PageMeta,
    pub series: SeriesCard<'a>,
    /// The parts in reading order.
    pub posts: Vec<PostView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagCard<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagsContext<'a> {
    pub page: PageMeta,
    pub tags: Vec<TagCard<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagContext<'a> {
    pub page: PageMeta,
    pub tag: TagCard<'a>,
    pub posts: Vec<PostView<'a>>,
    pub paginator: Paginator,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotFoundContext {
    pub page: PageMeta,
}

/// One URL in a sitemap.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    /// RFC 3339.
    pub lastmod: Option<String>,
}

/// What `sitemap.xml` (or one part of it) and `sitemap_index.xml` see.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapContext {
    pub urls: Vec<SitemapUrl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RobotsContext {
    pub sitemap_url: String,
}

/// A redirect from an old path of a post to the post.
#[derive(Debug, Clone, Serialize)]
pub struct AliasContext<'a> {
    pub title: &'a str,
    /// Where to go: the post's URL (relative when the site uses relative links).
    pub target: String,
    /// The post's absolute URL, for the canonical link.
    pub permalink: String,
}

/// schema.org types for the JSON-LD of a post.
#[derive(Debug, Clone, Serialize)]
struct BlogPosting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Thing<'a>>,
    publisher: Thing<'a>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "wordCount")]
    word_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// JSON made safe to sit inside a `<script>` element: `<`, `>` and `&` are escaped.
pub fn script_safe_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Digits of a phone number for a `tel:` link; a leading `+` or `(country code)` becomes `+`.
pub fn tel_href(tel: &str) -> String {
    let international = tel.trim_start().starts_with(['+', '(']);
    let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
    if international {
        format!("tel:+{digits}")
    } else {
        format!("tel:{digits}")
    }
}

/// True for the characters XML 1.0 allows in a document (surrogates cannot be in a `str`).
fn allowed_in_xml(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` without the characters XML 1.0 forbids (control characters from a post, say), which
/// would make a feed or a sitemap unreadable to every reader.
fn xml_characters_only(text: String) -> String {
    if text.chars().all(allowed_in_xml) {
        text
    } else {
        text.chars().filter(|&c| allowed_in_xml(c)).collect()
    }
}

/// Builds the `site` context from the resolved site.
pub fn site_context<'a>(site: &'a Site) -> SiteContext<'a> {
    let config = &site.config;
    let base = &config.base_url;
    let link = |l: &'a Link| -> LinkView<'a> {
        LinkView {
            name: &l.name,
            external: l.url.as_deref().is_some_and(crate::model::url::is_external),
            url: l.url.as_deref().map(|u| base.url(u)),
        }
    };
    let footer = &config.footer;
    SiteContext {
        title: &config.title,
        description: &config.description,
        base_url: base.as_str(),
        root: base.root(),
        language: &config.language,
        author: config.author.as_deref(),
        menu: config.menu.iter().map(link).collect(),
        footer: FooterView {
            about: footer.about.as_deref(),
            links: footer.links.iter().map(link).collect(),
            services: footer.services.iter().map(link).collect(),
            contact: ContactView {
                address: footer.contact.address.as_deref(),
                tel: footer.contact.tel.as_deref(),
                tel_href: footer.contact.tel.as_deref().map(tel_href),
                email: footer.contact.email.as_deref(),
                email_href: footer
                    .contact
                    .email
                    .as_deref()
                    .map(|e| format!("mailto:{e}")),
            },
            copyright: footer.copyright.as_deref(),
            privacy_url: footer.privacy_url.as_deref().map(|u| base.url(u)),
        },
        extra: &config.extra,
        copyright_year: site.newest_year(),
        stylesheet_url: base.url(route::STYLESHEET),
        highlight_css_url: base.url(HIGHLIGHT_CSS),
        favicon_url: base.url(route::FAVICON),
        home_url: base.url(route::HOME),
        series_url: base.url(route::SERIES_LIST),
        tags_url: base.url(route::TAG_LIST),
        post_count: site.posts.len(),
        feeds: vec![
            FeedLink {
                title: format!("{} (Atom)", config.title),
                url: base.permalink(&format!("{}{}", route::HOME, route::ATOM)),
                mime: "application/atom+xml",
            },
            FeedLink {
                title: format!("{} (RSS)", config.title),
                url: base.permalink(route::RSS),
                mime: "application/rss+xml",
            },
        ],
    }
}

/// What is done with the typed context of a page: handing it to Tera, or hashing it.
trait ContextSink {
    type Output;
    /// Whether the context must hold post bodies (rendering), or may name them by a key of
    /// what they are made from (fingerprinting, which must not render them).
    const BODIES: bool;
    fn take<T: Serialize>(self, context: &T) -> Self::Output;
}

/// Turns a typed context into Tera's context.
struct TeraContext;

impl ContextSink for TeraContext {
    type Output = tera::TeraResult<Context>;
    const BODIES: bool = true;
    fn take<T: Serialize>(self, context: &T) -> Self::Output {
        Context::from_serialize(context)
    }
}

/// Fingerprints a typed context after the other inputs of a page.
struct Fingerprint(Fingerprinter);

impl ContextSink for Fingerprint {
    type Output = Option<u128>;
    const BODIES: bool = false;
    fn take<T: Serialize>(mut self, context: &T) -> Self::Output {
        self.0.value(context);
        Some(self.0.finish())
    }
}

/// Renders routes of one site with one set of templates.
pub struct Renderer<'a> {
    site: &'a Site,
    highlighter: &'a Highlighter,
    tera: &'a Tera,
    origins: &'a BTreeMap<String, String>,
    /// Hash of everything every page depends on: the templates and the `site` context.
    shared_inputs: Option<u128>,
    /// Bodies of the posts in the site's feeds, which are also rendered on their own pages:
    /// made once, by whichever page needs one first. Keyed by the document's address.
    feed_bodies: HashMap<usize, OnceLock<Arc<str>>>,
}

impl<'a> Renderer<'a> {
    /// Installs the `site` context in the theme's templates (once) and returns a renderer.
    pub fn new(site: &'a Site, theme: &'a mut Theme, highlighter: &'a Highlighter) -> Self {
        let context = site_context(site);
        // Besides the templates and `site`: what changes the HTML of bodies and links.
        let shared_inputs = Some(fingerprint::of(&(
            theme.fingerprint,
            &context,
            crate::markdown::highlight::VERSION,
            highlighter.salt(),
            site.config.relative_links,
        )));
        theme.tera.global_context().insert("site", &context);
        let feed_bodies = site
            .feed_posts(FeedScope::Site)
            .into_iter()
            .map(|i| {
                (
                    std::ptr::from_ref(&site.posts[i].doc) as usize,
                    OnceLock::new(),
                )
            })
            .collect();
        Self {
            site,
            highlighter,
            feed_bodies,
            tera: &theme.tera,
            origins: &theme.origins,
            shared_inputs,
        }
    }

    /// A hash of everything the page of `route` is made from: the templates, the `site`
    /// context and the page's own context. Two renderings with the same fingerprint give the
    /// same bytes, so a page whose fingerprint did not change need not be rendered again.
    /// `None` means the inputs are unknown: render the page.
    pub fn fingerprint(&self, route: Route) -> Option<u128> {
        let mut f = Fingerprinter::new();
        f.value(&(self.shared_inputs?, route.template()));
        self.context(route, Fingerprint(f), &mut LineCache::new())
    }

    /// Renders one route to bytes.
    pub fn render(&self, route: Route) -> Result<Vec<u8>, RenderError> {
        self.render_with(route, &mut LineCache::new())
    }

    /// [`Renderer::render`], reusing the code lines this thread has highlighted before.
    pub fn render_with(&self, route: Route, lines: &mut LineCache) -> Result<Vec<u8>, RenderError> {
        let template = route.template();
        let fail = |detail: String| RenderError {
            page: self.site.path(route),
            from: self
                .site
                .source_of(route)
                .map(|p| format!(" (from {})", p.display()))
                .unwrap_or_default(),
            template,
            detail,
            origin: self
                .origins
                .get(template)
                .cloned()
                .unwrap_or_else(|| format!("`{template}` is missing")),
        };
        let context = self
            .context(route, TeraContext, lines)
            .map_err(|e| fail(e.to_string()))?;
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| fail(e.to_string()))?;
        if self.site.config.relative_links && template.ends_with(".html") {
            Ok(self.relativize(&html, &self.site.path(route)).into_bytes())
        } else if template.ends_with(".xml") {
            Ok(xml_characters_only(html).into_bytes())
        } else {
            Ok(html.into_bytes())
        }
    }

    /// Makes every link to the site relative to the page at `page_path`.
    fn relativize(&self, html: &str, page_path: &str) -> String {
        let root = self.site.config.base_url.root();
        crate::model::url::rewrite_links(html, |value| {
            let rest = value.strip_prefix(root)?;
            Some(crate::model::url::relative(page_path, &format!("/{rest}")))
        })
    }

    /// Builds the typed context of `route` and hands it to `sink`.
    fn context<S: ContextSink>(&self, route: Route, sink: S, lines: &mut LineCache) -> S::Output {
        match route {
            Route::Index { number } => sink.take(&self.index(number)),
            Route::Post(i) => sink.take(&self.post_page(i, lines, S::BODIES)),
            Route::Page(i) => {
                let page = &self.site.pages[i];
                sink.take(&StandalonePageContext {
                    page: self.meta(
                        "page",
                        page.doc.title.clone(),
                        page.description.clone(),
                        &page.path,
                    ),
                    title: &page.doc.title,
                    content: self.body(&page.doc, &page.body, lines, S::BODIES),
                    toc: &page.body.toc,
                    extra: &page.doc.extra,
                })
            }
            Route::SeriesList => sink.take(&SeriesListContext {
                page: self.meta(
                    "series_list",
                    "Series".to_string(),
                    format!("All series on {}", self.site.config.title),
                    "/series/",
                ),
                series: self
                    .site
                    .series
                    .iter()
                    .map(|s| self.series_card(s))
                    .collect(),
            }),
            Route::Series(i) => {
                let series = &self.site.series[i];
                let mut page = self.meta(
                    "series",
                    series.title.clone(),
                    series
                        .description_text
                        .clone()
                        .unwrap_or_else(|| format!("All parts of the series {}", series.title)),
                    &series.path,
                );
                page.feed = self.feed_link(
                    format!("{}: {} (Atom)", self.site.config.title, series.title),
                    &self.site.path(Route::Atom(FeedScope::Series(i))),
                );
                sink.take(&SeriesContext {
                    page,
                    series: self.series_card(series),
                    posts: series
                        .parts
                        .iter()
                        .map(|&p| self.post_view(p, false))
                        .collect(),
                })
            }
            Route::TagList => sink.take(&TagsContext {
                page: self.meta(
                    "tags",
                    "Tags".to_string(),
                    format!("All tags on {}", self.site.config.title),
                    "/tags/",
                ),
                tags: (0..self.site.tags.len())
                    .map(|t| self.tag_card(t))
                    .collect(),
            }),
            Route::Tag { tag, number } => {
                let t = &self.site.tags[tag];
                let per_page = self.site.config.posts_per_page;
                let start = (number - 1) * per_page;
                let posts = t
                    .posts
                    .iter()
                    .skip(start)
                    .take(per_page)
                    .map(|&p| self.post_view(p, false))
                    .collect();
                let total = page_count(t.posts.len(), per_page);
                let title = if number > 1 {
                    format!("Tag: {} (page {number})", t.name)
                } else {
                    format!("Tag: {}", t.name)
                };
                let mut page = self.meta(
                    "tag",
                    title,
                    format!("Posts tagged {}", t.name),
                    &paginated_path(&t.path, number),
                );
                page.feed = self.feed_link(
                    format!("{}: posts tagged {} (Atom)", self.site.config.title, t.name),
                    &self.site.path(Route::Atom(FeedScope::Tag(tag))),
                );
                sink.take(&TagContext {
                    page,
                    tag: self.tag_card(tag),
                    posts,
                    paginator: self.paginator(&t.path, number, total),
                })
            }
            Route::NotFound => sink.take(&NotFoundContext {
                page: self.meta(
                    "404",
                    "Page not found".to_string(),
                    "This page does not exist.".to_string(),
                    "/404.html",
                ),
            }),
            Route::Atom(scope) => sink.take(&crate::render::feed::context(
                self.site,
                scope,
                &self.site.path(route),
                &mut |post| {
                    self.body(&post.doc, &post.body, lines, S::BODIES)
                        .into_owned()
                },
            )),
            Route::Rss => sink.take(&crate::render::feed::context(
                self.site,
                FeedScope::Site,
                "/rss.xml",
                &mut |post| {
                    self.body(&post.doc, &post.body, lines, S::BODIES)
                        .into_owned()
                },
            )),
            Route::Sitemap { part } => sink.take(&SitemapContext {
                urls: self
                    .site
                    .sitemap_part(part)
                    .into_iter()
                    .map(|r| SitemapUrl {
                        loc: self.site.config.base_url.permalink(&self.site.path(r)),
                        lastmod: self
                            .site
                            .last_modified(r)
                            .map(|t| t.strftime(crate::model::date::RFC_3339).to_string()),
                    })
                    .collect(),
            }),
            Route::SitemapIndex => sink.take(&SitemapContext {
                urls: (1..=self.site.sitemap_count())
                    .map(|part| SitemapUrl {
                        loc: self
                            .site
                            .config
                            .base_url
                            .permalink(&self.site.path(Route::Sitemap { part })),
                        lastmod: None,
                    })
                    .collect(),
            }),
            Route::Robots => sink.take(&RobotsContext {
                sitemap_url: self.site.config.base_url.permalink(route::SITEMAP),
            }),
            Route::Alias { post, alias } => {
                let p = &self.site.posts[post];
                let base = &self.site.config.base_url;
                let target = if self.site.config.relative_links {
                    crate::model::url::relative(&p.doc.aliases[alias], &p.path)
                } else {
                    base.url(&p.path)
                };
                sink.take(&AliasContext {
                    title: &p.doc.title,
                    target,
                    permalink: base.permalink(&p.path),
                })
            }
        }
    }

    fn meta(&self, kind: &'static str, title: String, description: String, path: &str) -> PageMeta {
        let base = &self.site.config.base_url;
        PageMeta {
            kind,
            title,
            description,
            url: base.url(path),
            permalink: base.permalink(path),
            feed: None,
        }
    }

    /// The Atom feed of a series or tag page.
    fn feed_link(&self, title: String, feed_path: &str) -> Option<FeedLink> {
        Some(FeedLink {
            title,
            url: self.site.config.base_url.permalink(feed_path),
            mime: "application/atom+xml",
        })
    }

    fn index(&self, number: usize) -> IndexContext<'_> {
        let site = self.site;
        let per_page = site.config.posts_per_page;
        let total = page_count(site.posts.len(), per_page);
        let start = (number - 1) * per_page;
        let end = (start + per_page).min(site.posts.len());
        let title = if number > 1 {
            format!("{} (page {number})", site.config.title)
        } else {
            site.config.title.clone()
        };
        IndexContext {
            page: self.meta(
                "index",
                title,
                site.config.description.clone(),
                &paginated_path("/", number),
            ),
            posts: (start..end).map(|i| self.post_view(i, false)).collect(),
            paginator: self.paginator("/", number, total),
        }
    }

    fn paginator(&self, first: &str, current: usize, total: usize) -> Paginator {
        let base = &self.site.config.base_url;
        let url = |n: usize| base.url(&paginated_path(first, n));
        let mut numbers: Vec<usize> = vec![1, total];
        numbers.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
        numbers.sort_unstable();
        numbers.dedup();
        Paginator {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: numbers
                .iter()
                .enumerate()
                .map(|(i, &n)| PageNumber {
                    number: n,
                    url: url(n),
                    current: n == current,
                    gap_before: i > 0 && numbers[i - 1] + 1 < n,
                })
                .collect(),
        }
    }

    fn post_view(&self, index: usize, full: bool) -> PostView<'a> {
        let site = self.site;
        let post: &'a Post = &site.posts[index];
        let base = &site.config.base_url;
        PostView {
            title: &post.doc.title,
            slug: &post.doc.slug,
            url: base.url(&post.path),
            permalink: base.permalink(&post.path),
            date: post.date_view.clone(),
            updated: post.doc.updated.as_ref().map(DateView::new),
            author: post.doc.author.as_deref(),
            summary: &post.summary_html,
            description: &post.description,
            tags: site.post_tags[index]
                .iter()
                .map(|&t| TagLink {
                    name: &site.tags[t].name,
                    url: base.url(&site.tags[t].path),
                })
                .collect(),
            series: site.post_series[index].map(|r| {
                let series = &site.series[r.series];
                SeriesBadge {
                    title: &series.title,
                    url: base.url(&series.path),
                    part: r.position + 1,
                    total: series.total(),
                }
            }),
            reading_minutes: post.reading_minutes,
            word_count: post.body.word_count,
            extra: &post.doc.extra,
            content: None,
            toc: full.then_some(post.body.toc.as_slice()),
            image: post.doc.image.as_deref().and_then(|image| {
                crate::model::url::resolve(&post.path, image)
                    .map(|p| base.permalink(&p))
                    .or_else(|| Some(image.to_string()))
            }),
        }
    }

    fn post_link(&self, index: usize) -> PostLink<'a> {
        let post: &'a Post = &self.site.posts[index];
        PostLink {
            title: &post.doc.title,
            url: self.site.config.base_url.url(&post.path),
            date: post.date_view.clone(),
        }
    }

    /// A document's body: its HTML, or when `html` is false a key of everything the HTML is
    /// made from (the text and where the site lives; the code themes and version are in the
    /// renderer's shared inputs), which tells whether a page changed without rendering it.
    fn body(
        &self,
        doc: &post::Document,
        body: &'a crate::markdown::Rendered,
        lines: &mut LineCache,
        html: bool,
    ) -> Cow<'a, str> {
        if html {
            match self.feed_bodies.get(&(std::ptr::from_ref(doc) as usize)) {
                // Not in a feed: shown on one page only.
                None => post::body_html(doc, body, &self.site.config, self.highlighter, lines),
                Some(shared) => Cow::Owned(
                    shared
                        .get_or_init(|| {
                            post::body_html(doc, body, &self.site.config, self.highlighter, lines)
                                .into()
                        })
                        .to_string(),
                ),
            }
        } else {
            Cow::Owned(format!(
                "{:032x}",
                fingerprint::of(&(
                    &*doc.text,
                    doc.body_offset,
                    self.site.config.base_url.root()
                ))
            ))
        }
    }

    fn post_page(&self, index: usize, lines: &mut LineCache, bodies: bool) -> PostContext<'a> {
        let site = self.site;
        let post = &site.posts[index];
        let series = site.post_series[index].map(|r| {
            let s: &'a Series = &site.series[r.series];
            let part = |position: usize| -> PartLink<'a> {
                let p = s.parts[position];
                let link = self.post_link(p);
                PartLink {
                    number: position + 1,
                    title: link.title,
                    url: link.url,
                    date: link.date,
                    current: position == r.position,
                }
            };
            SeriesNav {
                title: &s.title,
                url: site.config.base_url.url(&s.path),
                part: r.position + 1,
                total: s.total(),
                parts: (0..s.parts.len()).map(part).collect(),
                upcoming: s.upcoming().collect(),
                previous: r.position.checked_sub(1).map(part),
                next: (r.position + 1 < s.parts.len()).then(|| part(r.position + 1)),
            }
        });
        let view = self.post_view(index, true);
        PostContext {
            page: self.meta(
                "post",
                post.doc.title.clone(),
                post.description.clone(),
                &post.path,
            ),
            json_ld: self.json_ld(index, &view),
            post: PostView {
                content: Some(self.body(&post.doc, &post.body, lines, bodies)),
                ..view
            },
            older: (index + 1 < site.posts.len()).then(|| self.post_link(index + 1)),
            newer: index.checked_sub(1).map(|i| self.post_link(i)),
            series,
        }
    }

    fn json_ld(&self, index: usize, view: &PostView<'_>) -> String {
        let site = self.site;
        let post = &site.posts[index];
        let base = &site.config.base_url;
        let series = site.post_series[index].map(|r| (&site.series[r.series], r.position + 1));
        let posting = BlogPosting {
            context: "https://schema.org",
            kind: "BlogPosting",
            headline: &post.doc.title,
            description: &post.description,
            url: view.permalink.clone(),
            main_entity_of_page: view.permalink.clone(),
            date_published: view.date.iso.clone(),
            date_modified: view.updated.as_ref().unwrap_or(&view.date).iso.clone(),
            author: post.doc.author.as_deref().map(|name| Thing {
                kind: "Person",
                name,
                url: None,
            }),
            publisher: Thing {
                kind: "Organization",
                name: &site.config.title,
                url: Some(base.as_str()),
            },
            in_language: &site.config.language,
            keywords: site.post_tags[index]
                .iter()
                .map(|&t| site.tags[t].name.as_str())
                .collect(),
            word_count: post.body.word_count,
            image: view.image.clone(),
            is_part_of: series.map(|(s, _)| Thing {
                kind: "CreativeWorkSeries",
                name: &s.title,
                url: Some(base.permalink(&s.path)),
            }),
            position: series.map(|(_, part)| part),
        };
        script_safe_json(&posting)
    }

    fn series_card(&self, series: &'a Series) -> SeriesCard<'a> {
        let date = |i: Option<&usize>| i.map(|&p| self.site.posts[p].date_view.clone());
        SeriesCard {
            title: &series.title,
            url: self.site.config.base_url.url(&series.path),
            count: series.parts.len(),
            total: series.total(),
            upcoming: series.upcoming().collect(),
            description: series.description_text.as_deref(),
            description_html: series.description_html.as_deref(),
            first: date(series.parts.first()),
            last: date(series.parts.last()),
        }
    }

    fn tag_card(&self, index: usize) -> TagCard<'a> {
        let tag = &self.site.tags[index];
        TagCard {
            name: &tag.name,
            url: self.site.config.base_url.url(&tag.path),
            count: tag.posts.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_output_keeps_only_characters_xml_allows() {
        assert_eq!(
            xml_characters_only("a\0b\u{1}c\td\ne\rf\u{fffe}g\u{ffff}\u{10000}".to_string()),
            "abc\td\ne\rfg\u{10000}"
        );
    }

    #[test]
    fn tel_links() {
        assert_eq!(tel_href("(852) 92622251"), "tel:+85292622251");
        assert_eq!(tel_href("+852 9262 2251"), "tel:+85292622251");
        assert_eq!(tel_href("9262 2251"), "tel:92622251");
    }
}
