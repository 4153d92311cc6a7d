//! Every kind of file the site produces, described in one place: its site path, its
//! template, the file it comes from, when it last changed and how messages name it. Each
//! match below names every kind, so a new kind that is not described everywhere does not
//! compile. Each URL of the site is written here once.

use std::path::PathBuf;

use crate::model::site::Site;

/// The site path of the home page (the first page of the post index).
pub(crate) const HOME: &str = "/";
/// The list of every series; each series is under it, at `/series/<slug>/`.
pub(crate) const SERIES_LIST: &str = "/series/";
/// The list of every tag; each tag is under it, at `/tags/<slug>/`.
pub(crate) const TAG_LIST: &str = "/tags/";
/// The list of every author; each author is under it, at `/authors/<slug>/`.
pub(crate) const AUTHOR_LIST: &str = "/authors/";
/// Every published post, by year and month.
pub(crate) const ARCHIVE: &str = "/archive/";
pub(crate) const NOT_FOUND: &str = "/404.html";
/// The search page (with `search: true`).
pub(crate) const SEARCH: &str = "/search/";
/// The Atom feed's file name: at the root for the site, in a series' or tag's folder for it.
pub(crate) const ATOM: &str = "atom.xml";
pub(crate) const RSS: &str = "/rss.xml";
/// The JSON Feed 1.1 of the site.
pub(crate) const JSON_FEED: &str = "/feed.json";
pub(crate) const SITEMAP: &str = "/sitemap.xml";
pub(crate) const ROBOTS: &str = "/robots.txt";
/// The stylesheet of the generated code colours.
pub(crate) const HIGHLIGHT_CSS: &str = "/highlight.css";
/// The theme's stylesheet and icon (files of its `static/`).
pub(crate) const STYLESHEET: &str = "/style.css";
pub(crate) const FAVICON: &str = "/favicon.svg";

/// One page of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Route {
    /// Page `number` (1-based) of the post index.
    Index {
        number: usize,
    },
    Post(usize),
    Page(usize),
    SeriesList,
    Series(usize),
    TagList,
    Tag {
        tag: usize,
        number: usize,
    },
    /// Every author (when a post has one).
    AuthorList,
    Author {
        author: usize,
        number: usize,
    },
    /// Every post, by year and month.
    Archive,
    NotFound,
    /// The search page, with `search: true`.
    Search,
    /// An Atom feed of the newest posts (all, one series, or one tag).
    Atom(FeedScope),
    /// The RSS 2.0 feed of the newest posts.
    Rss,
    /// The JSON Feed 1.1 of the newest posts.
    JsonFeed,
    /// The sitemap (`part` 0) or, above [`SITEMAP_LIMIT`] URLs, part `part` of it.
    Sitemap {
        part: usize,
    },
    /// The sitemap index, when the sitemap is split.
    SitemapIndex,
    Robots,
    /// A redirect page at an old path (`aliases:`) of a post.
    Alias {
        post: usize,
        alias: usize,
    },
}

/// Which posts a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeedScope {
    Site,
    Series(usize),
    Tag(usize),
    Author(usize),
}

/// URLs in one sitemap file, as the sitemap protocol allows.
pub(crate) const SITEMAP_LIMIT: usize = 50_000;

/// Site path of page `number` of a paginated list whose first page is `first`.
pub(crate) fn paginated_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

/// Number of pages needed for `items` items, `per_page` a page (at least one page).
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

impl Site {
    /// Every file the site produces, in a stable order.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = self.page_routes();
        routes.push(Route::NotFound);
        if self.config.search {
            routes.push(Route::Search);
        }
        routes.push(Route::Atom(FeedScope::Site));
        routes.push(Route::Rss);
        routes.push(Route::JsonFeed);
        routes.extend((0..self.series.len()).map(|i| Route::Atom(FeedScope::Series(i))));
        routes.extend((0..self.tags.len()).map(|i| Route::Atom(FeedScope::Tag(i))));
        routes.extend((0..self.authors.len()).map(|i| Route::Atom(FeedScope::Author(i))));
        // One sitemap and one robots.txt for every language, at the root.
        if self.lang == 0 {
            let parts = self.sitemap_count();
            if parts == 1 {
                routes.push(Route::Sitemap { part: 0 });
            } else {
                routes.push(Route::SitemapIndex);
                routes.extend((1..=parts).map(|part| Route::Sitemap { part }));
            }
            routes.push(Route::Robots);
        }
        for (post, p) in self.posts.iter().enumerate() {
            routes.extend((0..p.doc.aliases.len()).map(|alias| Route::Alias { post, alias }));
        }
        routes
    }

    /// The HTML pages readers and search engines should find (what the sitemap lists).
    pub fn page_routes(&self) -> Vec<Route> {
        self.page_route_iter().collect()
    }

    /// [`Site::page_routes`] one at a time, so a sitemap part need not list them all.
    fn page_route_iter(&self) -> impl Iterator<Item = Route> + '_ {
        let per_page = self.config.posts_per_page;
        (1..=page_count(self.posts.len(), per_page))
            .map(|number| Route::Index { number })
            .chain((0..self.posts.len()).map(Route::Post))
            .chain((0..self.pages.len()).map(Route::Page))
            .chain(std::iter::once(Route::SeriesList))
            .chain((0..self.series.len()).map(Route::Series))
            .chain([Route::Archive, Route::TagList])
            .chain(self.tags.iter().enumerate().flat_map(move |(tag, t)| {
                (1..=page_count(t.posts.len(), per_page))
                    .map(move |number| Route::Tag { tag, number })
            }))
            .chain((!self.authors.is_empty()).then_some(Route::AuthorList))
            .chain(
                self.authors
                    .iter()
                    .enumerate()
                    .flat_map(move |(author, a)| {
                        (1..=page_count(a.term.posts.len(), per_page))
                            .map(move |number| Route::Author { author, number })
                    }),
            )
    }

    /// The pages of the site in every language (the language's place, the route), the
    /// default's first.
    fn every_page(&self) -> impl Iterator<Item = (usize, Route)> + '_ {
        self.every_language()
            .enumerate()
            .flat_map(|(lang, site)| site.page_route_iter().map(move |r| (lang, r)))
    }

    /// The pages listed in part `part` of the sitemap (0: the whole, unsplit sitemap), in
    /// every language: (the language's place, the route).
    pub fn sitemap_part(&self, part: usize) -> Vec<(usize, Route)> {
        if part == 0 {
            return self.every_page().collect();
        }
        let limit = self.sitemap_limit;
        self.every_page()
            .skip((part - 1) * limit)
            .take(limit)
            .collect()
    }

    /// Number of sitemap files the site needs (the pages of every language).
    pub fn sitemap_count(&self) -> usize {
        page_count(self.every_page().count(), self.sitemap_limit)
    }

    /// When the content of a page last changed: a post's `updated` or `date`; for lists,
    /// the newest post they show. Files that are not pages have none.
    pub fn last_modified(&self, route: Route) -> Option<&jiff::ZonedDateTime> {
        match self.changed_with(route)? {
            Changed::Post(i) => {
                let p = &self.posts[i];
                Some(p.doc.updated.as_ref().unwrap_or(&p.date))
            }
            Changed::Page(i) => {
                let doc = &self.pages[i].doc;
                doc.updated.as_ref().or(doc.date.as_ref())
            }
        }
    }

    /// [`Site::last_modified`] in RFC 3339, as sitemaps write it: made once per post.
    pub fn last_modified_iso(&self, route: Route) -> Option<String> {
        match self.changed_with(route)? {
            Changed::Post(i) => {
                let p = &self.posts[i];
                Some(p.updated_view.as_ref().unwrap_or(&p.date_view).iso.clone())
            }
            Changed::Page(_) => self
                .last_modified(route)
                .map(|t| t.strftime(crate::model::date::RFC_3339).to_string()),
        }
    }

    /// The document whose time is the time a page last changed.
    fn changed_with(&self, route: Route) -> Option<Changed> {
        let per_page = self.config.posts_per_page;
        let post = |i: usize| (i < self.posts.len()).then_some(Changed::Post(i));
        let time = |i: usize| {
            let p = &self.posts[i];
            p.doc.updated.as_ref().unwrap_or(&p.date)
        };
        match route {
            Route::Post(i) => post(i),
            Route::Page(i) => Some(Changed::Page(i)),
            Route::Index { number } => post((number - 1) * per_page),
            Route::Tag { tag, number } => self.tags[tag]
                .posts
                .get((number - 1) * per_page)
                .and_then(|&i| post(i)),
            Route::Author { author, number } => self.authors[author]
                .term
                .posts
                .get((number - 1) * per_page)
                .and_then(|&i| post(i)),
            Route::Series(i) | Route::Atom(FeedScope::Series(i)) => self.series[i]
                .parts
                .iter()
                .copied()
                .max_by(|&a, &b| time(a).cmp(time(b)).then(b.cmp(&a)))
                .map(Changed::Post),
            Route::SeriesList
            | Route::TagList
            | Route::AuthorList
            | Route::Archive
            | Route::Atom(FeedScope::Site)
            | Route::Rss
            | Route::JsonFeed => post(0),
            Route::Atom(FeedScope::Tag(t)) => self.tags[t].posts.first().and_then(|&i| post(i)),
            Route::Atom(FeedScope::Author(a)) => {
                self.authors[a].term.posts.first().and_then(|&i| post(i))
            }
            Route::NotFound
            | Route::Search
            | Route::Sitemap { .. }
            | Route::SitemapIndex
            | Route::Robots
            | Route::Alias { .. } => None,
        }
    }

    /// The file of a route in the output (made once for posts).
    pub fn output_file(&self, route: Route) -> std::borrow::Cow<'_, std::path::Path> {
        if let Route::Post(i) = route {
            return std::borrow::Cow::Borrowed(&self.posts[i].file);
        }
        std::borrow::Cow::Owned(crate::model::url::output_file(&self.path(route)))
    }

    /// The absolute URL of a route (made once for posts).
    pub fn permalink(&self, route: Route) -> String {
        if let Route::Post(i) = route {
            return self.posts[i].permalink.clone();
        }
        self.config.base_url.permalink(&self.path(route))
    }

    /// The posts a feed carries, newest first, at most `feed_limit` of them.
    pub fn feed_posts(&self, scope: FeedScope) -> Vec<usize> {
        let limit = self.config.feed_limit;
        match scope {
            FeedScope::Site => (0..self.posts.len().min(limit)).collect(),
            FeedScope::Tag(t) => self.tags[t].posts.iter().copied().take(limit).collect(),
            FeedScope::Author(a) => {
                let posts = &self.authors[a].term.posts;
                posts.iter().copied().take(limit).collect()
            }
            FeedScope::Series(s) => {
                let mut parts = self.series[s].parts.clone();
                parts.sort_unstable();
                parts.truncate(limit);
                parts
            }
        }
    }

    /// The site path of a route (under the prefix of the site's language).
    pub fn path(&self, route: Route) -> String {
        let local = |path: &str| self.config.localized(path);
        match route {
            Route::Index { number } => paginated_path(&local(HOME), number),
            Route::Post(i) => self.posts[i].path.clone(),
            Route::Page(i) => self.pages[i].path.clone(),
            Route::SeriesList => local(SERIES_LIST),
            Route::Series(i) => self.series[i].path.clone(),
            Route::TagList => local(TAG_LIST),
            Route::Archive => local(ARCHIVE),
            Route::Tag { tag, number } => paginated_path(&self.tags[tag].path, number),
            Route::AuthorList => local(AUTHOR_LIST),
            Route::Author { author, number } => {
                paginated_path(&self.authors[author].term.path, number)
            }
            Route::NotFound => local(NOT_FOUND),
            Route::Search => local(SEARCH),
            Route::Atom(FeedScope::Site) => local(&format!("{HOME}{ATOM}")),
            Route::Atom(FeedScope::Series(i)) => format!("{}{ATOM}", self.series[i].path),
            Route::Atom(FeedScope::Tag(i)) => format!("{}{ATOM}", self.tags[i].path),
            Route::Atom(FeedScope::Author(i)) => format!("{}{ATOM}", self.authors[i].term.path),
            Route::Rss => local(RSS),
            Route::JsonFeed => local(JSON_FEED),
            Route::Sitemap { part: 0 } | Route::SitemapIndex => SITEMAP.to_string(),
            Route::Sitemap { part } => format!("/sitemap-{part}.xml"),
            Route::Robots => ROBOTS.to_string(),
            Route::Alias { post, alias } => self.posts[post].doc.aliases[alias].clone(),
        }
    }

    /// The file a route comes from, for error messages: `None` for generated pages.
    pub fn source_of(&self, route: Route) -> Option<PathBuf> {
        match route {
            Route::Post(i) | Route::Alias { post: i, .. } => Some(self.posts[i].doc.source.clone()),
            Route::Page(i) => Some(self.pages[i].doc.source.clone()),
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
            | Route::Robots => None,
        }
    }

    /// Describes what produces a route, for error messages.
    pub fn describe(&self, route: Route) -> String {
        match route {
            Route::Alias { post, .. } => {
                format!("{} (an alias)", self.posts[post].doc.source.display())
            }
            Route::Post(i) => self.posts[i].doc.source.display().to_string(),
            Route::Page(i) => self.pages[i].doc.source.display().to_string(),
            Route::Index { number } => format!("the post index (page {number})"),
            Route::Series(i) => format!("the page of series `{}`", self.series[i].title),
            Route::Tag { tag, number } => {
                format!("the page of tag `{}` (page {number})", self.tags[tag].name)
            }
            Route::Author { author, number } => format!(
                "the page of author `{}` (page {number})",
                self.authors[author].term.name
            ),
            Route::AuthorList => "the author index".to_string(),
            Route::SeriesList => "the series index".to_string(),
            Route::TagList => "the tag index".to_string(),
            Route::Archive => "the archive".to_string(),
            Route::NotFound => "the 404 page".to_string(),
            Route::Search => "the search page".to_string(),
            Route::Atom(_)
            | Route::Rss
            | Route::JsonFeed
            | Route::Sitemap { .. }
            | Route::SitemapIndex
            | Route::Robots => format!("the generated file {}", self.path(route)),
        }
    }
}

/// Where a page's time of last change comes from.
enum Changed {
    Post(usize),
    Page(usize),
}

impl Route {
    /// The template a route is rendered with.
    pub fn template(self) -> &'static str {
        match self {
            Route::Index { .. } => "index.html",
            Route::Post(_) => "post.html",
            Route::Page(_) => "page.html",
            Route::SeriesList => "series_list.html",
            Route::Series(_) => "series.html",
            Route::TagList => "tags.html",
            Route::Archive => "archive.html",
            Route::Tag { .. } => "tag.html",
            Route::AuthorList => "authors.html",
            Route::Author { .. } => "author.html",
            Route::NotFound => "404.html",
            Route::Search => "search.html",
            Route::Atom(_) => "atom.xml",
            Route::Rss => "rss.xml",
            // Not a template: written with serde_json.
            Route::JsonFeed => "feed.json",
            Route::Sitemap { .. } => "sitemap.xml",
            Route::SitemapIndex => "sitemap_index.xml",
            Route::Robots => "robots.txt",
            Route::Alias { .. } => "alias.html",
        }
    }

    /// An HTML page readers see, counted as a page by every command: not a feed, a sitemap,
    /// robots.txt or a redirect.
    pub fn is_page(self) -> bool {
        match self {
            Route::Index { .. }
            | Route::Post(_)
            | Route::Page(_)
            | Route::SeriesList
            | Route::Series(_)
            | Route::TagList
            | Route::Tag { .. }
            | Route::AuthorList
            | Route::Author { .. }
            | Route::Archive
            | Route::NotFound
            | Route::Search => true,
            Route::Atom(_)
            | Route::Rss
            | Route::JsonFeed
            | Route::Sitemap { .. }
            | Route::SitemapIndex
            | Route::Robots
            | Route::Alias { .. } => false,
        }
    }
}
