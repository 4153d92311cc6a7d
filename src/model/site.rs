//! The site model: published posts in order, pages, series, tags and every URL the site
//! serves. Built from the loaded config and content; pure.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{Content, PostSource, SourceFile};
use crate::markdown::Mode;
use crate::markdown::Rendered;
use crate::markdown::highlight::{Highlighter, LineCache};
use crate::model::cache::{Body, DocumentCache, Parsed};
use crate::model::post::{self, Document, Kind, Page, Post};
use crate::model::series::{self, Series, SeriesRef};
use crate::model::tag::{self, Tag};
use crate::model::url::output_file;
use crate::pipeline::plan::join_names;

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
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
    pub series: Vec<Series>,
    pub tags: Vec<Tag>,
    /// For each post, its place in its series.
    pub post_series: Vec<Option<SeriesRef>>,
    /// For each post, indices into `tags`.
    pub post_tags: Vec<Vec<usize>>,
    /// Posts left out (drafts, future), for the summary.
    pub skipped: usize,
    /// URLs in one sitemap file ([`SITEMAP_LIMIT`]; smaller in tests).
    pub sitemap_limit: usize,
}

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
    NotFound,
    /// An Atom feed of the newest posts (all, one series, or one tag).
    Atom(FeedScope),
    /// The RSS 2.0 feed of the newest posts.
    Rss,
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
}

/// URLs in one sitemap file, as the sitemap protocol allows.
pub const SITEMAP_LIMIT: usize = 50_000;

/// Site path of page `number` of a paginated list whose first page is `first`.
pub fn paginated_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

/// Number of pages needed for `items` items, `per_page` a page (at least one page).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The result of resolving: the site and the warnings found on the way.
pub type Resolved = (Site, Vec<Diagnostic>);

/// Checks every content file and builds the site. All errors are collected and returned
/// together; warnings come back with the site.
pub fn resolve(
    config: Config,
    content: Content,
    highlighter: &Highlighter,
    selection: Selection,
) -> Result<Resolved, Diagnostics> {
    resolve_cached(
        config,
        content,
        highlighter,
        selection,
        Mode::Full,
        &mut DocumentCache::new(),
    )
}

/// A file to check: its kind, the file, and the name its slug and date may come from.
struct Job<'a> {
    kind: Kind,
    file: &'a SourceFile,
    name: String,
}

impl Job<'_> {
    fn parse(&self, config: &Config, cache: &DocumentCache) -> (Parsed, bool) {
        match cache.parsed(self.kind, &self.file.path, &self.file.text, &self.name) {
            Some(hit) => (hit.clone(), false),
            None => {
                let mut warnings = Vec::new();
                let doc =
                    post::parse_document(self.file, &self.name, self.kind, config, &mut warnings);
                ((doc, warnings), true)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn body(
        &self,
        doc: &Document,
        config: &Config,
        highlighter: &Highlighter,
        mode: Mode,
        lines: &mut LineCache,
        cache: &DocumentCache,
    ) -> (Body, bool) {
        match cache.body(self.kind, &self.file.path, &self.file.text, &self.name) {
            Some(hit) if hit.0.complete || mode == Mode::Outline => (hit.clone(), false),
            _ => {
                let mut warnings = Vec::new();
                let body = post::render_body(doc, config, highlighter, mode, lines, &mut warnings);
                ((Arc::new(body), warnings), true)
            }
        }
    }
}

fn file_jobs(files: &[SourceFile], kind: Kind) -> Vec<Job<'_>> {
    files
        .iter()
        .map(|file| Job {
            kind,
            file,
            name: post::stem(&file.path),
        })
        .collect()
}

/// [`resolve`], reusing what `cache` holds for files whose text did not change and keeping
/// the new results in it. The result is the same as without the cache.
/// Bodies are rendered in `mode`: a server keeps them whole, a build only outlines them and
/// renders each body when it writes its page.
pub fn resolve_cached(
    config: Config,
    content: Content,
    highlighter: &Highlighter,
    selection: Selection,
    mode: Mode,
    cache: &mut DocumentCache,
) -> Result<Resolved, Diagnostics> {
    let Content {
        posts,
        pages,
        series,
    } = content;

    let post_jobs: Vec<Job<'_>> = posts
        .iter()
        .map(|source| Job {
            kind: Kind::Post,
            file: &source.file,
            name: post::fallback_name(source),
        })
        .collect();
    let page_jobs = file_jobs(&pages, Kind::Page);
    let series_jobs = file_jobs(&series, Kind::SeriesDescription);
    if cache.keeps_documents() {
        let keep: HashSet<(Kind, PathBuf)> = post_jobs
            .iter()
            .chain(&page_jobs)
            .chain(&series_jobs)
            .map(|job| (job.kind, job.file.path.clone()))
            .collect();
        cache.retain(&keep);
    }

    let parse_all = |jobs: &[Job<'_>], cache: &mut DocumentCache| -> Vec<Parsed> {
        let results: Vec<(Parsed, bool)> = jobs
            .par_iter()
            .map(|job| job.parse(&config, cache))
            .collect();
        results
            .into_iter()
            .zip(jobs)
            .map(|((parsed, fresh), job)| {
                if fresh && cache.keeps_documents() {
                    cache.store_parsed(
                        job.kind,
                        &job.file.path,
                        &job.file.text,
                        &job.name,
                        parsed.clone(),
                    );
                }
                parsed
            })
            .collect()
    };
    let parsed_posts = parse_all(&post_jobs, cache);
    let parsed_pages = parse_all(&page_jobs, cache);
    let parsed_series = parse_all(&series_jobs, cache);

    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut keep =
        |result: Result<Document, Vec<Diagnostic>>, mut w: Vec<Diagnostic>| -> Option<Document> {
            warnings.append(&mut w);
            match result {
                Ok(doc) => Some(doc),
                Err(mut e) => {
                    errors.append(&mut e);
                    None
                }
            }
        };

    let mut skipped = 0;
    let mut selected: Vec<(Document, jiff::ZonedDateTime, &PostSource, &Job<'_>)> = Vec::new();
    for (((result, w), source), job) in parsed_posts.into_iter().zip(&posts).zip(&post_jobs) {
        let Some(doc) = keep(result, w) else { continue };
        let Some(date) = doc.date.clone() else {
            continue;
        };
        let in_future = date.timestamp() > selection.now;
        if (doc.draft && !selection.drafts) || (in_future && !selection.future) {
            skipped += 1;
            continue;
        }
        selected.push((doc, date, source, job));
    }
    let page_docs: Vec<(Document, &Job<'_>)> = parsed_pages
        .into_iter()
        .zip(&page_jobs)
        .filter_map(|((r, w), job)| keep(r, w).map(|doc| (doc, job)))
        .collect();
    let series_docs: Vec<(Document, &Job<'_>)> = parsed_series
        .into_iter()
        .zip(&series_jobs)
        .filter_map(|((r, w), job)| keep(r, w).map(|doc| (doc, job)))
        .collect();

    if !errors.is_empty() {
        errors.append(&mut warnings);
        return Err(Diagnostics::sorted(errors));
    }

    // Render every body (in parallel), then keep the new ones in the cache.
    let render_all = |docs: Vec<(Document, &Job<'_>)>,
                      mode: Mode,
                      cache: &mut DocumentCache,
                      warnings: &mut Vec<Diagnostic>|
     -> Vec<(Document, Arc<Rendered>)> {
        let rendered: Vec<(Document, Body, bool, &Job<'_>)> = docs
            .into_par_iter()
            .map_init(
                || highlighter.line_cache(),
                |lines, (doc, job)| {
                    let (body, fresh) =
                        job.body(&doc, &config, highlighter, mode, lines.get(), cache);
                    (doc, body, fresh, job)
                },
            )
            .collect();
        rendered
            .into_iter()
            .map(|(doc, (body, mut w), fresh, job)| {
                if fresh && cache.keeps_documents() {
                    cache.store_body(job.kind, &job.file.path, (body.clone(), w.clone()));
                }
                warnings.append(&mut w);
                (doc, body)
            })
            .collect()
    };

    let (post_docs, post_dates): (Vec<(Document, &Job<'_>)>, Vec<_>) = selected
        .into_iter()
        .map(|(doc, date, source, job)| ((doc, job), (date, source.assets.clone())))
        .unzip();
    let mut posts: Vec<Post> = render_all(post_docs, mode, cache, &mut warnings)
        .into_iter()
        .zip(post_dates)
        .map(|((doc, body), (date, assets))| post::finish_post(doc, date, assets, &config, body))
        .collect();
    // Newest first: the reverse of reading order, which settles ties of time by series part,
    // then by file (as Jekyll does), so part 1 of two same-day parts is the older one.
    posts.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.doc.series_part.cmp(&a.doc.series_part))
            .then_with(|| b.doc.source.cmp(&a.doc.source))
    });

    let mut pages: Vec<Page> = render_all(page_docs, mode, cache, &mut warnings)
        .into_iter()
        .map(|(doc, body)| post::finish_page(doc, body))
        .collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let descriptions: Vec<series::Description> =
        render_all(series_docs, Mode::Full, cache, &mut warnings)
            .into_iter()
            .map(|(doc, body)| series::Description {
                slug: slug::slugify(post::stem(&doc.source)),
                title: doc.title.clone(),
                text: doc
                    .summary
                    .clone()
                    .unwrap_or_else(|| body.first_paragraph_text.clone()),
                html: body.html.clone(),
                total_parts: doc.total_parts,
                source: doc.source,
            })
            .collect();

    let (series, post_series) = series::build(&posts, descriptions, &mut warnings, &mut errors);
    let (tags, post_tags) = tag::build(&posts, &mut warnings);
    if !errors.is_empty() {
        errors.append(&mut warnings);
        return Err(Diagnostics::sorted(errors));
    }

    let site = Site {
        config,
        posts,
        pages,
        series,
        tags,
        post_series,
        post_tags,
        skipped,
        sitemap_limit: SITEMAP_LIMIT,
    };
    let collisions = site.collisions();
    if !collisions.is_empty() {
        let mut all = collisions;
        all.append(&mut warnings);
        return Err(Diagnostics::sorted(all));
    }
    Ok((site, warnings))
}

impl Site {
    /// Every file the site produces, in a stable order.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = self.page_routes();
        routes.push(Route::NotFound);
        routes.push(Route::Atom(FeedScope::Site));
        routes.push(Route::Rss);
        routes.extend((0..self.series.len()).map(|i| Route::Atom(FeedScope::Series(i))));
        routes.extend((0..self.tags.len()).map(|i| Route::Atom(FeedScope::Tag(i))));
        let parts = self.sitemap_count();
        if parts == 1 {
            routes.push(Route::Sitemap { part: 0 });
        } else {
            routes.push(Route::SitemapIndex);
            routes.extend((1..=parts).map(|part| Route::Sitemap { part }));
        }
        routes.push(Route::Robots);
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
            .chain(std::iter::once(Route::TagList))
            .chain(self.tags.iter().enumerate().flat_map(move |(tag, t)| {
                (1..=page_count(t.posts.len(), per_page))
                    .map(move |number| Route::Tag { tag, number })
            }))
    }

    /// The pages listed in part `part` of the sitemap (0: the whole, unsplit sitemap).
    pub fn sitemap_part(&self, part: usize) -> Vec<Route> {
        if part == 0 {
            return self.page_routes();
        }
        let limit = self.sitemap_limit;
        self.page_route_iter()
            .skip((part - 1) * limit)
            .take(limit)
            .collect()
    }

    /// Number of sitemap files the site needs.
    pub fn sitemap_count(&self) -> usize {
        page_count(self.page_route_iter().count(), self.sitemap_limit)
    }

    /// When the content of a page last changed: a post's `updated` or `date`; for lists,
    /// the newest post they show.
    pub fn last_modified(&self, route: Route) -> Option<&jiff::ZonedDateTime> {
        let per_page = self.config.posts_per_page;
        let post_time = |i: usize| {
            self.posts
                .get(i)
                .map(|p| p.doc.updated.as_ref().unwrap_or(&p.date))
        };
        match route {
            Route::Post(i) => post_time(i),
            Route::Page(i) => self.pages[i]
                .doc
                .updated
                .as_ref()
                .or(self.pages[i].doc.date.as_ref()),
            Route::Index { number } => post_time((number - 1) * per_page),
            Route::Tag { tag, number } => self.tags[tag]
                .posts
                .get((number - 1) * per_page)
                .and_then(|&i| post_time(i)),
            Route::Series(i) => self.series[i]
                .parts
                .iter()
                .filter_map(|&p| post_time(p))
                .max(),
            Route::SeriesList | Route::TagList | Route::Atom(FeedScope::Site) | Route::Rss => {
                post_time(0)
            }
            Route::Atom(FeedScope::Series(i)) => self.series[i]
                .parts
                .iter()
                .filter_map(|&p| post_time(p))
                .max(),
            Route::Atom(FeedScope::Tag(t)) => {
                self.tags[t].posts.first().and_then(|&i| post_time(i))
            }
            _ => None,
        }
    }

    /// The posts a feed carries, newest first, at most `feed_limit` of them.
    pub fn feed_posts(&self, scope: FeedScope) -> Vec<usize> {
        let limit = self.config.feed_limit;
        match scope {
            FeedScope::Site => (0..self.posts.len().min(limit)).collect(),
            FeedScope::Tag(t) => self.tags[t].posts.iter().copied().take(limit).collect(),
            FeedScope::Series(s) => {
                let mut parts = self.series[s].parts.clone();
                parts.sort_unstable();
                parts.truncate(limit);
                parts
            }
        }
    }

    /// The site path of a route.
    pub fn path(&self, route: Route) -> String {
        match route {
            Route::Index { number } => paginated_path("/", number),
            Route::Post(i) => self.posts[i].path.clone(),
            Route::Page(i) => self.pages[i].path.clone(),
            Route::SeriesList => "/series/".to_string(),
            Route::Series(i) => self.series[i].path.clone(),
            Route::TagList => "/tags/".to_string(),
            Route::Tag { tag, number } => paginated_path(&self.tags[tag].path, number),
            Route::NotFound => "/404.html".to_string(),
            Route::Atom(FeedScope::Site) => "/atom.xml".to_string(),
            Route::Atom(FeedScope::Series(i)) => format!("{}atom.xml", self.series[i].path),
            Route::Atom(FeedScope::Tag(i)) => format!("{}atom.xml", self.tags[i].path),
            Route::Rss => "/rss.xml".to_string(),
            Route::Sitemap { part: 0 } | Route::SitemapIndex => "/sitemap.xml".to_string(),
            Route::Sitemap { part } => format!("/sitemap-{part}.xml"),
            Route::Robots => "/robots.txt".to_string(),
            Route::Alias { post, alias } => self.posts[post].doc.aliases[alias].clone(),
        }
    }

    /// The file a route comes from, for error messages.
    pub fn source_of(&self, route: Route) -> Option<PathBuf> {
        match route {
            Route::Post(i) | Route::Alias { post: i, .. } => Some(self.posts[i].doc.source.clone()),
            Route::Page(i) => Some(self.pages[i].doc.source.clone()),
            _ => None,
        }
    }

    /// Describes what produces a route, for error messages.
    pub fn describe(&self, route: Route) -> String {
        match (route, self.source_of(route)) {
            (Route::Alias { .. }, Some(path)) => format!("{} (an alias)", path.display()),
            (_, Some(path)) => path.display().to_string(),
            (Route::Index { number }, None) => format!("the post index (page {number})"),
            (Route::Series(i), None) => format!("the page of series `{}`", self.series[i].title),
            (Route::Tag { tag, number }, None) => {
                format!("the page of tag `{}` (page {number})", self.tags[tag].name)
            }
            (Route::SeriesList, None) => "the series index".to_string(),
            (Route::TagList, None) => "the tag index".to_string(),
            (Route::NotFound, None) => "the 404 page".to_string(),
            (route, None) => format!("the generated file {}", self.path(route)),
        }
    }

    /// Sources that would write the same file (compared without case, as some file systems
    /// do): one error per file, naming every source.
    fn collisions(&self) -> Vec<Diagnostic> {
        let mut by_file: BTreeMap<String, Vec<Route>> = BTreeMap::new();
        for route in self.routes() {
            let key = output_file(&self.path(route))
                .to_string_lossy()
                .to_lowercase();
            by_file.entry(key).or_default().push(route);
        }
        by_file
            .values()
            .filter(|routes| routes.len() > 1)
            .map(|routes| {
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
