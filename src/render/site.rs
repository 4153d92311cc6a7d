//! What every template sees (`site`, `page`), and the views of posts, links and pagination
//! that several page kinds share.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::load::config::Link;
use crate::markdown::TocEntry;
use crate::model::date::DateView;
use crate::model::post::Post;
use crate::model::route::{self, HIGHLIGHT_CSS, Route, paginated_path};
use crate::model::site::Site;
use crate::picture::valid_url;

use super::Renderer;

/// A link in a menu or footer, with its URL resolved against the base path.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView<'a> {
    pub name: &'a str,
    pub url: Option<String>,
    pub external: bool,
}

impl<'a> LinkView<'a> {
    pub(super) fn of(link: &'a Link, base: &crate::load::url::BaseUrl) -> Self {
        LinkView {
            name: &link.name,
            external: link
                .url
                .as_deref()
                .is_some_and(crate::model::url::is_external),
            url: link.url.as_deref().map(|u| valid_url(base.url(u))),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactView<'a> {
    pub address: Option<&'a str>,
    pub tel: Option<&'a str>,
    /// `tel:` link.
    pub tel_href: Option<String>,
    pub email: Option<&'a str>,
    pub email_href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FooterView<'a> {
    pub about: Option<&'a str>,
    pub links: Vec<LinkView<'a>>,
    pub services: Vec<LinkView<'a>>,
    pub contact: ContactView<'a>,
    pub copyright: Option<&'a str>,
    pub privacy_url: Option<String>,
}

/// Everything about the site that every template may use, as `site`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteContext<'a> {
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
    /// The site has a search index (`search: true`): pages mark what it holds.
    pub search: bool,
    /// The search page.
    pub search_url: String,
    /// Year of the newest post, for the copyright line.
    pub copyright_year: Option<i16>,
    /// Who holds the copyright: the footer's `copyright`, else the site's title.
    pub copyright_holder: &'a str,
    pub stylesheet_url: String,
    pub highlight_css_url: String,
    pub favicon_url: String,
    /// The favicon's type (`image/svg+xml`, `image/png`...).
    pub favicon_type: &'static str,
    /// The site's own logo (`logo:` in the config), with its size when known.
    pub logo: Option<super::logo::LogoView>,
    pub home_url: String,
    pub series_url: String,
    pub tags_url: String,
    /// The list of authors, when a post has one.
    pub authors_url: Option<String>,
    /// Every post by year and month.
    pub archive_url: String,
    pub post_count: usize,
    /// The site's Atom and RSS feeds.
    pub feeds: Vec<FeedLink>,
    /// The theme's words in the site's language, for `t(key=...)`.
    pub strings: &'a crate::load::strings::Strings,
}

/// What every page context carries, as `page`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PageMeta {
    /// `index`, `post`, `page`, `series_list`, `series`, `tags`, `tag`, `archive` or `404`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    /// The language the page is written in: the site's, or a post's own `lang:`.
    pub lang: String,
    /// The Atom feed of this series or tag, besides the site's feeds.
    pub feed: Option<FeedLink>,
    /// `og:locale`: the language as Open Graph writes it (`zh_TW`, `en`).
    pub locale: String,
    /// The page in every language of the site, this one's included (none when the site has
    /// one language): for the language switcher and `hreflang`.
    pub languages: Vec<super::languages::LanguageLink>,
    /// The page in the default language, for `hreflang="x-default"`, when it has one.
    pub x_default: Option<String>,
    /// The place in `site.menu` of the item this page is, or is below (a post is below the
    /// home page, a series below the list of series).
    pub section: Option<usize>,
}

impl PageMeta {
    /// The meta of a page written in `lang` (when it is not the site's language).
    pub(super) fn in_language(self, lang: Option<&str>) -> Self {
        match lang {
            Some(lang) => Self {
                locale: super::languages::og_locale(lang),
                lang: lang.to_string(),
                ..self
            },
            None => self,
        }
    }
}

/// A feed to announce with `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedLink {
    pub title: String,
    pub url: String,
    /// `application/atom+xml` or `application/rss+xml`.
    pub mime: &'static str,
}

/// A link to a tag's or an author's page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TermLink<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// A post's place in its series, for badges on cards.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SeriesBadge<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub part: usize,
    pub total: usize,
}

/// A post as templates see it. `content` and `toc` are set on the post's own page only.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PostView<'a> {
    /// What comes from the post alone (title, dates, summary...), as `post.title` and so on.
    #[serde(flatten)]
    pub core: Core<'a>,
    /// The post's `image:`, to show as its hero and card thumbnail.
    pub picture: Option<PictureView>,
    /// The names of its authors, joined (`Ann, Bob`).
    pub author: Option<String>,
    pub authors: Vec<TermLink<'a>>,
    pub tags: Vec<TermLink<'a>>,
    pub series: Option<SeriesBadge<'a>>,
    pub content: Option<Cow<'a, str>>,
    pub toc: Option<&'a [TocEntry]>,
}

/// The fields of a post's view that come from the post alone.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PostCore<'a> {
    pub title: &'a str,
    /// A shorter title for links (Hugo's `linkTitle`), else the title.
    pub link_title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub date: &'a DateView,
    pub updated: Option<&'a DateView>,
    /// HTML.
    pub summary: &'a str,
    /// Plain text.
    pub description: &'a str,
    pub reading_minutes: usize,
    pub word_count: usize,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// Absolute URL of the `image:` for link previews, encoded ([`crate::picture::valid_url`]).
    pub image: Option<Cow<'a, str>>,
}

impl<'a> PostCore<'a> {
    pub(super) fn of(post: &'a Post) -> Self {
        Self {
            title: &post.doc.title,
            link_title: post.doc.link_title.as_deref().unwrap_or(&post.doc.title),
            slug: &post.doc.slug,
            url: &post.url,
            permalink: &post.permalink,
            date: &post.date_view,
            updated: post.updated_view.as_ref(),
            summary: &post.summary_html,
            description: &post.description,
            reading_minutes: post.reading_minutes,
            word_count: post.body.word_count + post.body.cjk_characters,
            extra: &post.doc.extra,
            image: (post.image_url.as_deref()).map(|url| crate::picture::encoded(url, false)),
        }
    }
}

/// A picture to show, with its size when the site has the file, and its variants.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PictureView {
    /// The URL the page links it by.
    pub src: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The `srcset` of its variants in its own format and itself, for the `<img>`.
    pub srcset: Option<String>,
    /// The `srcset` of its WebP variants, for a `<source type="image/webp">`.
    pub webp: Option<String>,
    /// How wide pictures show in the body (`pictures.sizes` of the config).
    pub sizes: Option<String>,
    /// Its absolute URL for link previews (`og:image`): a variant up to 1200 pixels wide
    /// when it has one.
    pub preview: String,
}

/// A post's own fields: rendering, the fields; fingerprinting, their fingerprint, made once
/// per version of the post (a post kept between rebuilds keeps it), which stands for them
/// exactly.
#[derive(Debug, Clone)]
pub(super) enum Core<'a> {
    Fields(PostCore<'a>),
    Digest(u128),
}

impl Serialize for Core<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Self::Fields(fields) => fields.serialize(serializer),
            Self::Digest(digest) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("core", digest)?;
                map.end()
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PostLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: &'a DateView,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were skipped between the previous number and this one.
    pub gap_before: bool,
}

/// Pagination: numbered links around the current page (first, last and two either side),
/// so a page's context stays small however many pages there are.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page links; a gap between two numbers means pages were skipped.
    pub pages: Vec<PageNumber>,
}

/// Digits of a phone number for a `tel:` link; a leading `+` or `(country code)` becomes `+`.
pub(crate) fn tel_href(tel: &str) -> String {
    let international = tel.trim_start().starts_with(['+', '(']);
    let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
    if international {
        format!("tel:+{digits}")
    } else {
        format!("tel:{digits}")
    }
}

/// Builds the `site` context from the resolved site.
pub(crate) fn site_context<'a>(site: &'a Site) -> SiteContext<'a> {
    let config = &site.config;
    let base = &config.base_url;
    let link = |l: &'a Link| LinkView::of(l, base);
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
            privacy_url: footer
                .privacy_url
                .as_deref()
                .map(|u| valid_url(base.url(u))),
        },
        extra: &config.extra,
        search: config.search,
        search_url: base.url(&site.path(Route::Search)),
        copyright_year: site.newest_year(),
        copyright_holder: footer.copyright.as_deref().unwrap_or(&config.title),
        stylesheet_url: base.url(route::STYLESHEET),
        highlight_css_url: base.url(HIGHLIGHT_CSS),
        favicon_url: valid_url(base.url(config.favicon.as_deref().unwrap_or(route::FAVICON))),
        favicon_type: config
            .favicon
            .as_deref()
            .map_or("image/svg+xml", |f| super::logo::icon_type(f)),
        logo: (config.logo.as_deref()).map(|logo| super::logo::logo_view(site, logo)),
        home_url: base.url(&site.path(Route::Index { number: 1 })),
        series_url: base.url(&site.path(Route::SeriesList)),
        tags_url: base.url(&site.path(Route::TagList)),
        authors_url: (!site.authors.is_empty()).then(|| base.url(&site.path(Route::AuthorList))),
        archive_url: base.url(&site.path(Route::Archive)),
        post_count: site.posts.len(),
        feeds: vec![
            FeedLink {
                title: format!("{} (Atom)", config.title),
                url: site.permalink(Route::Atom(route::FeedScope::Site)),
                mime: "application/atom+xml",
            },
            FeedLink {
                title: format!("{} (RSS)", config.title),
                url: site.permalink(Route::Rss),
                mime: "application/rss+xml",
            },
            FeedLink {
                title: format!("{} (JSON Feed)", config.title),
                url: site.permalink(Route::JsonFeed),
                mime: "application/feed+json",
            },
        ],
        strings: &site.strings,
    }
}

/// A post's card on a list page. Rendering, it is the post's view; fingerprinting, it is
/// the fingerprint of that view, made once for all the lists that show the post, which
/// stands for the view exactly (the same view, the same fingerprint).
#[derive(Debug, Clone)]
pub(super) enum Card<'a> {
    View(Box<PostView<'a>>),
    Digest(u128),
}

impl Serialize for Card<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::View(view) => view.serialize(serializer),
            Self::Digest(digest) => digest.serialize(serializer),
        }
    }
}

impl<'a> Renderer<'a> {
    /// The card of post `index`: its view when `bodies` (rendering), else its fingerprint.
    pub(super) fn card(&self, index: usize, bodies: bool) -> Card<'a> {
        if bodies {
            return Card::View(Box::new(self.post_view(index, false, true)));
        }
        let digest = self.card_digests[index]
            .get_or_init(|| super::fingerprint::of(&self.post_view(index, false, false)));
        Card::Digest(*digest)
    }

    /// The picture `image` (as a post at `page` names it) as pages show it, its URLs
    /// encoded ([`crate::picture::valid_url`]) whichever way `image` spells its name.
    pub(super) fn picture_view(&self, page: &str, image: &str) -> PictureView {
        let shown = self.picture_shown(page, image);
        let base = &self.site.config.base_url;
        let (src, permalink) = match crate::model::url::resolve(page, image) {
            Some(path) => (base.url(&path), base.permalink(&path)),
            None => (image.to_string(), image.to_string()),
        };
        let (src, permalink) = (valid_url(src), valid_url(permalink));
        let settings = &self.site.config.pictures;
        let varied = shown.filter(|s| s.varied).map(|s| s.size);
        let srcset = varied.and_then(|size| crate::picture::srcset(&src, size, &settings.widths));
        let preview = match varied {
            Some(size) => crate::picture::preview_url(&permalink, size, &settings.widths),
            None => permalink,
        };
        PictureView {
            width: shown.map(|s| s.size.width),
            height: shown.map(|s| s.size.height),
            sizes: srcset.as_ref().map(|_| settings.sizes.clone()),
            webp: srcset.as_ref().and_then(|s| s.webp.clone()),
            srcset: srcset.map(|s| s.fallback),
            src,
            preview,
        }
    }

    pub(super) fn meta(
        &self,
        kind: &'static str,
        title: String,
        description: String,
        path: &str,
    ) -> PageMeta {
        let base = &self.site.config.base_url;
        let document = matches!(kind, "post" | "page");
        let (languages, x_default) = self.language_links(path, document);
        PageMeta {
            kind,
            title,
            description,
            url: base.url(path),
            permalink: base.permalink(path),
            lang: self.site.config.language.clone(),
            locale: super::languages::og_locale(&self.site.config.language),
            languages,
            x_default,
            feed: None,
            section: self.section(kind, path),
        }
    }

    /// The menu item a page of `kind` at site path `path` is below: the one with the longest
    /// path that holds it; the home page (`/`) holds only the post index and the posts.
    fn section(&self, kind: &str, path: &str) -> Option<usize> {
        let below_home = matches!(kind, "index" | "post");
        let home = self.site.path(Route::Index { number: 1 });
        self.site
            .config
            .menu
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let url = item.url.as_deref()?;
                let own = url.split(['?', '#']).next().unwrap_or_default();
                let holds = if own == "/" || own == home {
                    below_home || path == own
                } else {
                    own.starts_with('/')
                        && (path == own || own.ends_with('/') && path.starts_with(own))
                };
                holds.then_some((own.len(), i))
            })
            .max()
            .map(|(_, i)| i)
    }

    /// The Atom feed of a series or tag page.
    pub(super) fn feed_link(&self, title: String, feed_path: &str) -> Option<FeedLink> {
        Some(FeedLink {
            title,
            url: self.site.config.base_url.permalink(feed_path),
            mime: "application/atom+xml",
        })
    }

    pub(super) fn paginator(&self, first: &str, current: usize, total: usize) -> Paginator {
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

    /// The view of post `index`, with its table of contents when `full`; when not `bodies`
    /// (fingerprinting), with its own fields as their fingerprint.
    pub(super) fn post_view(&self, index: usize, full: bool, bodies: bool) -> PostView<'a> {
        let site = self.site;
        let post: &'a Post = &site.posts[index];
        let core = if bodies {
            Core::Fields(PostCore::of(post))
        } else {
            Core::Digest(
                *post
                    .view_digest
                    .get_or_init(|| super::fingerprint::of(&PostCore::of(post))),
            )
        };
        PostView {
            core,
            picture: post
                .doc
                .image
                .as_deref()
                .map(|image| self.picture_view(&post.path, image)),
            author: site.byline(index),
            authors: site.post_authors[index]
                .iter()
                .map(|&a| TermLink {
                    name: &site.authors[a].term.name,
                    url: &site.authors[a].term.url,
                })
                .collect(),
            tags: site.post_tags[index]
                .iter()
                .map(|&t| TermLink {
                    name: &site.tags[t].name,
                    url: &site.tags[t].url,
                })
                .collect(),
            series: site.post_series[index].map(|r| {
                let series = &site.series[r.series];
                SeriesBadge {
                    title: &series.title,
                    url: &series.url,
                    part: r.position + 1,
                    total: series.total(),
                }
            }),
            content: None,
            toc: full.then_some(post.body.toc.as_slice()),
        }
    }

    pub(super) fn post_link(&self, index: usize) -> PostLink<'a> {
        let post: &'a Post = &self.site.posts[index];
        PostLink {
            title: post.doc.link_title.as_deref().unwrap_or(&post.doc.title),
            url: &post.url,
            date: &post.date_view,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_links() {
        assert_eq!(tel_href("(852) 92622251"), "tel:+85292622251");
        assert_eq!(tel_href("+852 9262 2251"), "tel:+85292622251");
        assert_eq!(tel_href("9262 2251"), "tel:92622251");
    }
}
