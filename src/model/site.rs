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
use crate::model::route::{Route, SITEMAP_LIMIT};
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
