//! Render: one route of the site plus the templates gives the bytes of one file. Templates
//! see typed context structs, one file here per page kind or listing; the site-wide part
//! (`site`) is made once and shared by every page, so building a page's context never copies
//! the whole site. A page is described by its context: hashing the context instead of
//! rendering it gives the page's fingerprint, which says whether it changed.

mod archive;
mod authors;
mod component;
mod feed;
pub(crate) mod fingerprint;
mod languages;
mod lists;
mod logo;
mod pages;
mod post;
mod series;
mod site;
mod sitemap;
mod words;

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::{Context, Tera};
use thiserror::Error;

use crate::load::theme::Theme;
use crate::markdown::highlight::{Highlighter, LineCache};
use crate::model::post::{Document, body_html};
use crate::model::route::{FeedScope, Route};
use crate::model::site::Site;
use fingerprint::Fingerprinter;

pub(crate) use site::site_context;

/// A template failed while rendering a page.
#[derive(Debug, Error)]
#[error("{}", crate::diagnostic::Diagnostic::general(format!("cannot render {page}{from} with template `{template}`")).with_detail(detail.clone()).with_note(origin.clone()))]
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

/// What is done with the typed context of a page: handing it to Tera, or hashing it.
trait ContextSink {
    type Output;
    /// Whether the context must hold post bodies (rendering), or may name them by a key of
    /// what they are made from (fingerprinting, which must not render them).
    const BODIES: bool;
    fn take<T: Serialize>(self, context: &T) -> Self::Output;
}

/// Turns a typed context into Tera's, with the shared `site` added.
struct TeraContext<'v>(&'v tera::Value);

impl ContextSink for TeraContext<'_> {
    type Output = tera::TeraResult<Context>;
    const BODIES: bool = true;
    fn take<T: Serialize>(self, context: &T) -> Self::Output {
        let mut context = Context::from_serialize(context)?;
        // A shared value: inserting it copies no part of the site.
        context.insert_value("site", self.0.clone());
        Ok(context)
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

/// The document whose body a page shows.
#[derive(Debug, Clone, Copy)]
enum BodyOf {
    Post(usize),
    Page(usize),
    Series(usize),
}

/// Renders routes of one site with one set of templates.
pub struct Renderer<'a> {
    site: &'a Site,
    highlighter: &'a Highlighter,
    tera: &'a Tera,
    origins: &'a std::collections::BTreeMap<String, String>,
    /// The components there are.
    specs: &'a crate::markdown::components::Specs,
    /// The `site` every template sees, made once.
    site_value: tera::Value,
    /// Hash of everything every page depends on: the templates and the `site` context.
    shared_inputs: u128,
    /// Bodies of the posts in the site's feeds, which are also rendered on their own pages:
    /// made once, by whichever page needs one first. By post, the newest first.
    feed_bodies: Vec<OnceLock<Arc<str>>>,
    /// The fingerprint of each post's card, made once, by whichever list needs it first.
    card_digests: Vec<OnceLock<u128>>,
    /// Makes the variants of pictures (and keeps them in its cache).
    maker: Option<&'a crate::picture::maker::Maker>,
    /// The renderers of the site in its other languages (`Site::languages`).
    languages: Vec<Renderer<'a>>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `site` with the templates of `theme`.
    pub fn new(site: &'a Site, theme: &'a Theme, highlighter: &'a Highlighter) -> Self {
        let context = site_context(site);
        // Besides the templates and `site`: what changes the HTML of bodies and links.
        let shared_inputs = fingerprint::of(&(
            theme.fingerprint,
            &context,
            crate::markdown::highlight::VERSION,
            highlighter.salt(),
            site.config.relative_links,
            &site.config.pictures,
            // What `asset_url` gives.
            &*theme.assets,
        ));
        let feed_bodies = (0..site.feed_posts(FeedScope::Site).len())
            .map(|_| OnceLock::new())
            .collect();
        Self {
            site,
            highlighter,
            tera: &theme.tera,
            origins: &theme.origins,
            specs: &theme.components,
            site_value: tera::Value::from_serializable(&context),
            shared_inputs,
            feed_bodies,
            card_digests: (0..site.posts.len()).map(|_| OnceLock::new()).collect(),
            maker: None,
            languages: (site.languages.iter())
                .map(|other| Renderer::new(other, theme, highlighter))
                .collect(),
        }
    }

    /// This renderer, making the variants of pictures with `maker` (else without a cache).
    pub(crate) fn with_pictures(self, maker: &'a crate::picture::maker::Maker) -> Self {
        Self {
            maker: Some(maker),
            languages: (self.languages.into_iter())
                .map(|other| other.with_pictures(maker))
                .collect(),
            ..self
        }
    }

    /// The renderer of the site in language `lang` (0: the default, this one).
    pub(crate) fn language(&self, lang: usize) -> &Renderer<'a> {
        match lang.checked_sub(1) {
            Some(i) => self.languages.get(i).unwrap_or(self),
            None => self,
        }
    }

    /// The bytes of a picture's variant; `stamp` is the hash of the picture's path, size and
    /// time, when it is a file.
    pub(crate) fn variant(
        &self,
        variant: &crate::picture::Variant,
        stamp: Option<u128>,
    ) -> Result<Vec<u8>, crate::picture::maker::VariantError> {
        match self.maker {
            Some(maker) => maker.bytes(variant, stamp),
            None => crate::picture::maker::Maker::without_cache().bytes(variant, stamp),
        }
    }

    /// A hash of everything the page of `route` is made from: the templates, the `site`
    /// context and the page's own context. Two renderings with the same fingerprint give the
    /// same bytes, so a page whose fingerprint did not change need not be rendered again.
    pub fn fingerprint(&self, route: Route) -> u128 {
        let mut f = Fingerprinter::new();
        f.value(&(self.shared_inputs, route.template()));
        self.context(route, Fingerprint(f), &mut LineCache::new())
            .unwrap_or_default()
    }

    /// Renders one route to bytes.
    pub fn render(&self, route: Route) -> Result<Vec<u8>, RenderError> {
        self.render_with(route, &mut LineCache::new())
    }

    /// [`Renderer::render`], reusing the code lines this thread has highlighted before.
    /// The site this renderer renders.
    pub(crate) fn site(&self) -> &'a Site {
        self.site
    }

    /// The URL the search index lists `route` under, when it lists it: posts (never a draft
    /// or a future post, even when they are shown) and standalone pages, not lists or feeds.
    /// It is the site path (`/posts/x/`): the search page puts it under the site's root as the
    /// browser sees it, so the index works at a domain root, under a subpath and with
    /// relative links alike.
    pub(crate) fn indexed_url(&self, route: Route) -> Option<String> {
        match route {
            Route::Post(i) => self
                .site
                .posts
                .get(i)
                .filter(|p| !p.doc.draft && !p.future)
                .map(|p| p.path.clone()),
            Route::Page(i) => self.site.pages.get(i).map(|p| p.path.clone()),
            Route::Index { .. }
            | Route::SeriesList
            | Route::Series(_)
            | Route::TagList
            | Route::Tag { .. }
            | Route::AuthorList
            | Route::Author { .. }
            | Route::Archive
            | Route::NotFound
            | Route::Search
            | Route::Atom(_)
            | Route::Rss
            | Route::JsonFeed
            | Route::Sitemap { .. }
            | Route::SitemapIndex
            | Route::Robots
            | Route::Alias { .. } => None,
        }
    }

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
        if route == Route::JsonFeed {
            // `<`, `>` and `&` escaped as in JSON-LD: the feed's text never reads as markup.
            return Ok(post::script_safe_json(&self.json_feed(lines, true)).into_bytes());
        }
        let context = self
            .context(route, TeraContext(&self.site_value), lines)
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
        crate::model::url::rewrite_links_under(html, root, |value| {
            let rest = value.strip_prefix(root)?;
            Some(crate::model::url::relative(page_path, &format!("/{rest}")))
        })
    }

    /// Builds the typed context of `route` and hands it to `sink`.
    fn context<S: ContextSink>(&self, route: Route, sink: S, lines: &mut LineCache) -> S::Output {
        let bodies = S::BODIES;
        match route {
            Route::Index { number } => sink.take(&self.index(number, bodies)),
            Route::Post(i) => sink.take(&self.post_page(i, lines, bodies)),
            Route::Page(i) => sink.take(&self.standalone(i, lines, bodies)),
            Route::SeriesList => sink.take(&self.series_list(lines, bodies)),
            Route::Series(i) => sink.take(&self.series_page(i, lines, bodies)),
            Route::TagList => sink.take(&self.tag_list()),
            Route::Archive => sink.take(&self.archive()),
            Route::Tag { tag, number } => sink.take(&self.tag_page(tag, number, bodies)),
            Route::AuthorList => sink.take(&self.author_list()),
            Route::Author { author, number } => {
                sink.take(&self.author_page(author, number, bodies))
            }
            Route::NotFound => sink.take(&self.not_found()),
            Route::Search => sink.take(&self.search()),
            Route::Atom(scope) => sink.take(&self.feed(scope, route, lines, bodies)),
            Route::Rss => sink.take(&self.feed(FeedScope::Site, route, lines, bodies)),
            Route::JsonFeed => sink.take(&self.json_feed(lines, bodies)),
            Route::Sitemap { part } => sink.take(&self.sitemap(part)),
            Route::SitemapIndex => sink.take(&self.sitemap_index()),
            Route::Robots => sink.take(&self.robots()),
            Route::Alias { post, alias } => sink.take(&self.alias(post, alias)),
        }
    }

    /// A document's body: its HTML, or when `html` is false a key of everything the HTML is
    /// made from (the text and where the site lives; the code themes and version are in the
    /// renderer's shared inputs), which tells whether a page changed without rendering it.
    fn body(&self, of: BodyOf, lines: &mut LineCache, html: bool) -> String {
        let doc: &Document = match of {
            BodyOf::Post(i) => &self.site.posts[i].doc,
            BodyOf::Page(i) => &self.site.pages[i].doc,
            BodyOf::Series(i) => match &self.site.series[i].description {
                Some(doc) => doc,
                None => return String::new(),
            },
        };
        let (path, hero) = match of {
            BodyOf::Post(i) => (
                &self.site.posts[i].path,
                self.site.posts[i].doc.image.is_some(),
            ),
            BodyOf::Page(i) => (&self.site.pages[i].path, false),
            BodyOf::Series(i) => (&self.site.series[i].path, false),
        };
        let size = |src: &str| self.picture_shown(path, src);
        if !html {
            // The sizes of its pictures are part of what the HTML is made from.
            let shown: &[crate::markdown::pictures::PictureRef] = match of {
                BodyOf::Post(i) => &self.site.posts[i].body.pictures,
                BodyOf::Page(i) => &self.site.pages[i].body.pictures,
                BodyOf::Series(_) => &[],
            };
            let sizes: Vec<Option<crate::markdown::pictures::Shown>> =
                shown.iter().map(|p| size(&p.src)).collect();
            let key = (
                doc.text_hash,
                doc.body_offset,
                self.site.config.base_url.root(),
                hero,
                sizes,
            );
            return format!("{:032x}", fingerprint::of(&key));
        }
        let component = |name: &str, args: &_, inside: &str, first: bool| {
            self.component(path, name, (args, inside), first)
        };
        let pictures = crate::markdown::pictures::Pictures {
            size: &size,
            widths: &self.site.config.pictures.widths,
            sizes: &self.site.config.pictures.sizes,
            hero,
            specs: self.specs,
            component: &component,
        };
        let render = |lines: &mut LineCache| {
            body_html(
                doc,
                (&self.site.config, &self.site.links, &pictures),
                self.highlighter,
                lines,
            )
        };
        match of {
            // In a feed too: made once, shared with the feeds.
            BodyOf::Post(i) if i < self.feed_bodies.len() => self.feed_bodies[i]
                .get_or_init(|| render(lines).into())
                .to_string(),
            BodyOf::Post(_) | BodyOf::Page(_) | BodyOf::Series(_) => render(lines),
        }
    }
}

impl Renderer<'_> {
    /// The size of the picture `src` shows on the page at site path `page`, and whether it
    /// has variants, when the site publishes it.
    pub(super) fn picture_shown(
        &self,
        page: &str,
        src: &str,
    ) -> Option<crate::markdown::pictures::Shown> {
        let path = crate::model::url::resolve(page, src)?;
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let file = crate::model::url::output_file(&crate::load::pictures::decoded(path));
        let size = self.site.pictures.get(&file)?.as_ref().ok().copied()?;
        Some(crate::markdown::pictures::Shown {
            size,
            varied: self.site.varied.contains(&file),
        })
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
}
