//! Resolve: from the loaded config and content to the site. Every file is checked (all errors
//! are collected and returned together), posts are selected (drafts, future) and ordered,
//! every body is outlined (not rendered: that is done page by page), and series and tags
//! are grouped (whether two sources share a URL is [`Site::collisions`]). A
//! [`DocumentCache`] keeps the checked documents, outlines and finished posts between
//! rebuilds, so a file whose text did not change is neither parsed nor outlined again.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::ZonedDateTime;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Lines};
use crate::load::config::Config;
use crate::load::content::{Asset, Content, LooseFiles, SourceFile};
use crate::markdown::Outline;
use crate::markdown::highlight::{Highlighter, map_with_lines};
use crate::markdown::links::Links;
use crate::model::body::LinkPlaces;
use crate::model::cache::{Body, DocumentCache, Parsed};
use crate::model::post::{self, Document, Kind, Page, Post};
use crate::model::route::SITEMAP_LIMIT;
use crate::model::series;
use crate::model::site::{Selection, Site};
use crate::model::term;

/// The result of resolving: the site and the warnings found on the way.
pub(crate) type Resolved = (Site, Vec<Diagnostic>);

/// A file to check: its kind, the file, the name its slug and date may come from, and for
/// a bundled post, the files beside it.
struct Job<'a> {
    kind: Kind,
    file: &'a SourceFile,
    name: String,
    assets: &'a [Asset],
    /// For a post that is not a bundle: its folder under `content/posts/`.
    folder: Option<&'a str>,
}

fn file_jobs(files: &[SourceFile], kind: Kind) -> Vec<Job<'_>> {
    files
        .iter()
        .map(|file| Job {
            kind,
            file,
            name: post::stem(&file.path),
            assets: &[],
            folder: None,
        })
        .collect()
}

/// What resolving found: errors and warnings, in the order found (sorted at the end).
struct Resolver<'a> {
    config: &'a Config,
    highlighter: &'a Highlighter,
    /// The components there are, to check calls against.
    components: &'a crate::markdown::components::Specs,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Where every post and page is, for internal links: known once posts are selected.
    links: Links,
}

impl Resolver<'_> {
    /// Checks the front matter of every job, in parallel, reusing and filling `cache`.
    fn parse(&self, jobs: &[Job<'_>], cache: &mut DocumentCache) -> Vec<Parsed> {
        let keeps = cache.keeps_documents();
        // Each result, whether it is fresh, and the copy of a fresh one for the cache (made
        // on the parallel threads too).
        let results: Vec<(Parsed, bool, Option<Parsed>)> = jobs
            .par_iter()
            .map(
                |job| match cache.parsed(job.kind, &job.file.path, &job.file.text, &job.name) {
                    Some(hit) => (hit, false, None),
                    None => {
                        let mut warnings = Vec::new();
                        let doc = post::parse_document(
                            job.file,
                            &job.name,
                            job.kind,
                            self.config,
                            &mut warnings,
                        );
                        let parsed = (doc, warnings);
                        let copy = keeps.then(|| parsed.clone());
                        (parsed, true, copy)
                    }
                },
            )
            .collect();
        let checked = results.iter().filter(|(_, fresh, _)| *fresh).count();
        cache.count(checked, results.len() - checked, 0);
        results
            .into_iter()
            .zip(jobs)
            .map(|((parsed, _, copy), job)| {
                if let Some(copy) = copy {
                    let file = job.file;
                    cache.store_parsed(job.kind, &file.path, &file.text, &job.name, copy);
                }
                parsed
            })
            .collect()
    }

    /// The posts `cache` has finished already, with their warnings, and the jobs left.
    /// A post beside files outside bundles (which it may link to: they may have come or
    /// gone), a post with internal links (their targets may have moved) and a future post
    /// (whose date may have come) are finished again.
    fn finished_posts<'f>(
        &mut self,
        jobs: Vec<Job<'f>>,
        cache: &DocumentCache,
        loose: &LooseFiles,
    ) -> (Vec<Arc<Post>>, Vec<Job<'f>>) {
        if !cache.keeps_documents() {
            return (Vec::new(), jobs);
        }
        let mut finished = Vec::new();
        let mut left = Vec::new();
        for job in jobs {
            let beside_files = job.folder.is_some() && !loose.is_empty();
            let hit = (!beside_files)
                .then(|| cache.post(&job.file.path, &job.file.text, &job.name, job.assets))
                .flatten();
            match hit.filter(|(post, _)| !post.doc.links_to_documents && !post.future) {
                Some((post, mut warnings)) => {
                    self.warnings.append(&mut warnings);
                    finished.push(post);
                }
                None => left.push(job),
            }
        }
        (finished, left)
    }

    /// The document, when it checked out; its errors and warnings are kept either way.
    fn keep(&mut self, (result, mut warnings): Parsed) -> Option<Document> {
        self.warnings.append(&mut warnings);
        match result {
            Ok(doc) => Some(doc),
            Err(mut errors) => {
                self.errors.append(&mut errors);
                None
            }
        }
    }

    /// The documents that checked out, each with its job.
    fn keep_all<'j, 'f>(
        &mut self,
        parsed: Vec<Parsed>,
        jobs: &'j [Job<'f>],
    ) -> Vec<(Document, &'j Job<'f>)> {
        parsed
            .into_iter()
            .zip(jobs)
            .filter_map(|(parsed, job)| self.keep(parsed).map(|doc| (doc, job)))
            .collect()
    }

    /// Outlines every body, in parallel, reusing and filling `cache`.
    fn outline<T: Send>(
        &mut self,
        docs: Vec<(Document, &Job<'_>, T)>,
        cache: &mut DocumentCache,
    ) -> Vec<(Document, Arc<Outline>, T)> {
        let (config, highlighter, links) = (self.config, self.highlighter, &self.links);
        let components = self.components;
        let kept = &*cache;
        let outlined: Vec<(Document, Body, bool, &Job<'_>, T)> =
            map_with_lines(highlighter, docs, |lines, (doc, job, extra)| {
                let file = job.file;
                // A body with internal links changes with where they lead: not kept.
                let hit = (!doc.links_to_documents)
                    .then(|| {
                        // The document's hash is its file's when its text is the file's.
                        let hash = Arc::ptr_eq(&doc.text, &file.text).then_some(doc.text_hash);
                        kept.body((job.kind, &file.path), &file.text, hash, &job.name)
                    })
                    .flatten();
                match hit {
                    Some(hit) => (doc, hit.clone(), false, job, extra),
                    None => {
                        let mut warnings = Vec::new();
                        let body = post::outline_body(
                            &doc,
                            (config, links, components),
                            highlighter,
                            lines,
                            &mut warnings,
                        );
                        (doc, (Arc::new(body), warnings), true, job, extra)
                    }
                }
            });
        cache.count(0, 0, outlined.iter().filter(|o| o.2).count());
        outlined
            .into_iter()
            .map(|(doc, (body, mut warnings), fresh, job, extra)| {
                self.broken_links(&doc, &body);
                self.math_errors(&doc, &body);
                self.component_errors(&doc, &body);
                if fresh && cache.keeps_documents() && !doc.links_to_documents {
                    cache.store_body(job.kind, &job.file.path, (body.clone(), warnings.clone()));
                }
                self.warnings.append(&mut warnings);
                (doc, body, extra)
            })
            .collect()
    }

    /// Outlines the selected posts and finishes them, with the files beside them that they
    /// link to; keeps them in `cache`.
    fn finish_posts(
        &mut self,
        selected: Vec<Selected<'_, '_>>,
        content: &Content,
        cache: &mut DocumentCache,
    ) -> Vec<Arc<Post>> {
        let config = self.config;
        // Each post on its own, on every thread (its summary is rewritten with lol_html).
        let posts: Vec<Arc<Post>> = self
            .outline(selected, cache)
            .into_par_iter()
            .map(|(doc, body, (date, mut assets, folder, future))| {
                if let Some(folder) = folder {
                    assets.extend(crate::model::loose::nearby(
                        &content.loose,
                        folder,
                        &doc,
                        &body,
                    ));
                }
                let mut post = post::finish_post(doc, date, assets, config, body);
                post.future = future;
                Arc::new(post)
            })
            .collect();
        if cache.keeps_documents() {
            for post in &posts {
                cache.store_post(&post.doc.source, Arc::clone(post));
            }
        }
        posts
    }

    /// An error for each internal link of `doc` that leads to no post or page.
    fn broken_links(&mut self, doc: &Document, body: &Outline) {
        if body.broken_links.is_empty() {
            return;
        }
        let written = doc.written.as_deref();
        let mut places = LinkPlaces::new(&doc.text, doc.body_offset, written);
        for target in &body.broken_links {
            let d = Diagnostic::error(
                doc.source.clone(),
                format!("`{target}` leads to no post or page"),
            );
            self.errors.push(
                places.point(d, target)
                .with_label("no such document")
                .with_hint("link to a file under content/ by its path, e.g. @/posts/name.md, or fix the name"),
            );
        }
    }

    /// An error for each formula of `doc` that is not valid LaTeX or is past the maths
    /// budget, at the formula.
    fn math_errors(&mut self, doc: &Document, body: &Outline) {
        if body.math_errors.is_empty() {
            return;
        }
        let lines = Lines::new(&doc.text);
        for error in &body.math_errors {
            let at = doc.body_offset + error.offset;
            let width = doc.text.get(at..at + error.width).map_or(1, |formula| {
                formula.lines().next().unwrap_or("").chars().count().max(1)
            });
            self.errors.push(
                Diagnostic::error(doc.source.clone(), error.message.clone())
                    .at_offset_in(&lines, at, width)
                    .with_label(error.label)
                    .with_hint(error.hint.clone()),
            );
        }
    }

    /// An error for each component call of `doc` that does not fit its component.
    fn component_errors(&mut self, doc: &Document, body: &Outline) {
        if body.component_errors.is_empty() {
            return;
        }
        let lines = Lines::new(&doc.text);
        for error in &body.component_errors {
            self.errors.push(
                Diagnostic::error(doc.source.clone(), error.message.clone())
                    .at_offset_in(&lines, doc.body_offset + error.offset, error.width.max(1))
                    .with_label("this call")
                    .with_hint(error.hint.clone()),
            );
        }
    }

    /// Where every selected post (and the posts kept from before) and every page is, when a
    /// document links to another by its file (else nothing is looked up, and nothing made).
    fn find_links(
        &mut self,
        kept: &[Arc<Post>],
        selected: &[Selected<'_, '_>],
        (pages, series): (&[Checked<'_, '_>], &[Checked<'_, '_>]),
    ) {
        let any = kept.iter().any(|p| p.doc.links_to_documents)
            || selected.iter().any(|(doc, ..)| doc.links_to_documents)
            || pages
                .iter()
                .chain(series)
                .any(|(doc, _)| doc.links_to_documents);
        if !any {
            return;
        }
        let mut all: Vec<(&std::path::Path, String)> = kept
            .iter()
            .map(|p| (p.doc.source.as_path(), p.path.clone()))
            .chain(selected.iter().map(|(doc, _, (date, ..))| {
                (
                    doc.source.as_path(),
                    post::site_path(doc, date, self.config),
                )
            }))
            .chain(pages.iter().map(|(doc, _)| {
                (
                    doc.source.as_path(),
                    post::page_path(&doc.slug, self.config),
                )
            }))
            .collect();
        all.sort();
        for (source, path) in all {
            self.links.add(source, &path);
        }
    }

    /// Everything found, errors first, when there is an error.
    fn failed(&mut self) -> Option<Diagnostics> {
        if self.errors.is_empty() {
            return None;
        }
        let mut all = std::mem::take(&mut self.errors);
        all.append(&mut self.warnings);
        Some(Diagnostics::sorted(all))
    }
}

/// A document that checked out, with its job.
type Checked<'j, 'f> = (Document, &'j Job<'f>);

/// A post that checked out and is selected: its document, date, assets and folder (when it
/// is not a bundle), and its job.
type Selected<'j, 'f> = (
    Document,
    &'j Job<'f>,
    (ZonedDateTime, Vec<Asset>, Option<&'f str>, bool),
);

/// The posts that checked out and that `selection` includes, and how many it leaves out.
fn select<'j, 'f>(
    docs: Vec<(Document, &'j Job<'f>)>,
    selection: Selection,
) -> (Vec<Selected<'j, 'f>>, usize) {
    let mut skipped = 0;
    let mut selected = Vec::with_capacity(docs.len());
    for (doc, job) in docs {
        let Some(date) = doc.date.clone() else {
            continue;
        };
        let in_future = date.timestamp() > selection.now;
        if (doc.draft && !selection.drafts) || (in_future && !selection.future) {
            skipped += 1;
            continue;
        }
        selected.push((doc, job, (date, job.assets.to_vec(), job.folder, in_future)));
    }
    (selected, skipped)
}

/// Newest first: the reverse of reading order, which settles ties of time by series part,
/// then by file (as Jekyll does), so part 1 of two same-day parts is the older one.
fn newest_first(posts: &mut [Arc<Post>]) {
    posts.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.doc.series_part.cmp(&a.doc.series_part))
            .then_with(|| b.doc.source.cmp(&a.doc.source))
    });
}

/// The files to check: posts (each with its bundle's files), pages, series descriptions.
/// The jobs of `content`'s posts, pages and series descriptions; a name that ends with
/// `.<suffix>` (the code of the language they are written in) loses it.
fn jobs<'c>(
    content: &'c Content,
    suffix: Option<&str>,
) -> (Vec<Job<'c>>, Vec<Job<'c>>, Vec<Job<'c>>) {
    let bare = |name: String| match suffix {
        Some(suffix) => crate::model::translation::without_suffix(&name, suffix).to_string(),
        None => name,
    };
    let named = |files: &'c [SourceFile], kind: Kind| {
        let mut jobs = file_jobs(files, kind);
        for job in &mut jobs {
            job.name = bare(std::mem::take(&mut job.name));
        }
        jobs
    };
    let posts = content
        .posts
        .iter()
        .map(|source| Job {
            kind: Kind::Post,
            file: &source.file,
            name: bare(post::fallback_name(source)),
            assets: &source.assets,
            folder: source.folder.as_deref(),
        })
        .collect();
    (
        posts,
        named(&content.pages, Kind::Page),
        named(&content.series, Kind::SeriesDescription),
    )
}

/// The documents with nothing more to carry through outlining.
fn with_nothing<'j, 'f>(docs: Vec<(Document, &'j Job<'f>)>) -> Vec<(Document, &'j Job<'f>, ())> {
    docs.into_iter().map(|(doc, job)| (doc, job, ())).collect()
}

/// Drops from `cache` every document that is not in `content` any more.
pub(crate) fn forget_removed(cache: &mut DocumentCache, content: &Content) {
    let (posts, pages, series) = jobs(content, None);
    forget_removed_jobs(cache, [&posts, &pages, &series]);
}

fn forget_removed_jobs(cache: &mut DocumentCache, jobs: [&Vec<Job<'_>>; 3]) {
    if cache.keeps_documents() {
        let keep: HashSet<u128> = jobs
            .into_iter()
            .flatten()
            .map(|job| crate::model::cache::key(job.kind, &job.file.path))
            .collect();
        cache.retain(&keep);
    }
}

/// Resolves `content` into the site, reusing and filling `cache`: in one language, or in each
/// of the config's `languages` ([`crate::model::translation::resolve_languages`]).
pub(crate) fn resolve_cached(
    config: Config,
    content: &Content,
    tools: (&Highlighter, &crate::markdown::components::Specs),
    selection: Selection,
    cache: &mut DocumentCache,
) -> Result<Resolved, Diagnostics> {
    if config.languages.is_empty() {
        let (post_jobs, page_jobs, series_jobs) = jobs(content, None);
        forget_removed_jobs(cache, [&post_jobs, &page_jobs, &series_jobs]);
        let (site, mut warnings) = resolve_language(config, content, tools, selection, cache)?;
        crate::model::loose::unused_files(content, &site.posts, &mut warnings);
        return Ok((site, crate::diagnostic::merge_groups(warnings)));
    }
    crate::model::translation::resolve_languages(config, content, tools, selection, cache)
}

/// [`resolve_cached`] for the files of one language (`config.language`), whose names end
/// with its code unless it is the site's default. Files beside posts are not looked at.
pub(crate) fn resolve_language(
    config: Config,
    content: &Content,
    (highlighter, components): (&Highlighter, &crate::markdown::components::Specs),
    selection: Selection,
    cache: &mut DocumentCache,
) -> Result<Resolved, Diagnostics> {
    let suffix = (config.prefix != "/").then(|| config.language.to_lowercase());
    let (post_jobs, page_jobs, series_jobs) = jobs(content, suffix.as_deref());
    let mut r = Resolver {
        config: &config,
        highlighter,
        components,
        errors: Vec::new(),
        warnings: Vec::new(),
        links: Links::default(),
    };
    let (mut posts, post_jobs) = r.finished_posts(post_jobs, cache, &content.loose);
    let parsed = r.parse(&post_jobs, cache);
    let post_docs = r.keep_all(parsed, &post_jobs);
    let parsed = r.parse(&page_jobs, cache);
    let page_docs = r.keep_all(parsed, &page_jobs);
    let parsed = r.parse(&series_jobs, cache);
    let series_docs = r.keep_all(parsed, &series_jobs);
    if let Some(failed) = r.failed() {
        return Err(failed);
    }
    let (selected, skipped) = select(post_docs, selection);
    r.find_links(&posts, &selected, (&page_docs, &series_docs));
    let mut fresh = r.finish_posts(selected, content, cache);
    posts.append(&mut fresh);
    newest_first(&mut posts);
    let mut pages: Vec<Page> = r
        .outline(with_nothing(page_docs), cache)
        .into_iter()
        .map(|(doc, body, ())| post::finish_page(doc, body, &config))
        .collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let descriptions: Vec<series::Description> = r
        .outline(with_nothing(series_docs), cache)
        .into_iter()
        .map(|(doc, body, ())| series::Description::new(doc, &body, suffix.as_deref()))
        .collect();
    let (series, post_series) = series::build(
        &posts,
        descriptions,
        &config,
        &mut r.warnings,
        &mut r.errors,
    );
    if let Some(failed) = r.failed() {
        return Err(failed);
    }
    let (links, mut warnings) = (
        std::mem::take(&mut r.links),
        std::mem::take(&mut r.warnings),
    );
    let site = assemble(
        config,
        (posts, pages),
        (series, post_series),
        (skipped, links),
        &mut warnings,
    );
    // One report per kind of warning (an unknown key in many posts), where it is first met.
    Ok((site, warnings))
}

/// The site of resolved posts, pages and series: with its tags, authors and related posts.
fn assemble(
    config: Config,
    (posts, pages): (Vec<Arc<Post>>, Vec<Page>),
    (series, post_series): (Vec<series::Series>, Vec<Option<series::SeriesRef>>),
    (skipped, links): (usize, crate::markdown::links::Links),
    warnings: &mut Vec<Diagnostic>,
) -> Site {
    let (tags, post_tags) = term::tags(&posts, &config, warnings);
    let (authors, post_authors) = crate::model::author::build(&posts, &config, warnings);
    let related = crate::model::related::related(&tags, &post_tags, &post_series);
    Site {
        config,
        posts,
        pages,
        series,
        tags,
        authors,
        post_series,
        post_tags,
        post_authors,
        related,
        skipped,
        sitemap_limit: SITEMAP_LIMIT,
        links,
        pictures: Default::default(),
        strings: Default::default(),
        varied: Default::default(),
        lang: 0,
        languages: Vec::new(),
        translations: Default::default(),
    }
}
