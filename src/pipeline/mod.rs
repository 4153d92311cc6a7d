//! The pipeline, once for every command: load -> resolve -> plan -> render each entry -> a
//! sink. `build`, `serve` and `check` differ only in the sink the pages go to (the staging
//! folder, the served output, the link checker); each sink says which files it already has,
//! so a page whose fingerprint did not change is neither rendered nor written.

pub(crate) mod documents;
mod error;
mod handover;
mod options;
pub(crate) mod plan;
pub(crate) mod search;
mod sink;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{self, Content};
use crate::load::theme::{self, Theme};
use crate::markdown::highlight::{self, Highlighter, map_with_lines};
use crate::model::cache::DocumentCache;
use crate::model::resolve;
use crate::model::route::Route;
use crate::model::site::{Selection, Site};
use crate::render::Renderer;
use handover::Handover;

pub use error::BuildError;
pub(crate) use error::merge_failures;
pub use options::BuildOptions;
pub(crate) use plan::{Entry, Manifest, Source};
pub(crate) use sink::Sink;

/// What the load stage read: the config, the theme, the content, and the problems met reading single files.
pub(crate) struct Sources {
    pub config: Config,
    /// The code stylesheet of the configured themes.
    pub highlight_css: String,
    pub theme: Theme,
    pub content: Content,
    /// The size of every picture among the static files and the files beside posts.
    pub pictures: crate::load::pictures::Sizes,
    pub problems: Vec<Diagnostic>,
    /// The checked documents the last build kept (`documents.rs`).
    pub documents: DocumentCache,
}

/// Loads everything a build reads, for `options`.
pub(crate) fn load(options: &BuildOptions) -> Result<Sources, BuildError> {
    let (config, _) = options.load_config_keyed()?;
    let highlight_css = highlight::stylesheet(&config.highlight)?;
    let mut theme = theme::load(&options.root)?;
    // A build publishes the files templates name under hashed names (serve does not).
    let named = (&theme.named_assets, highlight_css.as_str());
    let assets = crate::load::assets::Assets::load(&theme.static_files, named, true)?;
    theme.use_assets(assets, &config.base_url);
    let mut problems = Vec::new();
    // The documents the last build kept are read and decoded beside the content.
    let ((content, pictures), documents) = rayon::join(
        || {
            let content = content::load(&options.root, &config.language_suffixes(), &mut problems);
            let pictures = picture_sizes(&theme, &content);
            (content, pictures)
        },
        || documents::kept(options, &config, &theme),
    );
    Ok(Sources {
        config,
        highlight_css,
        theme,
        content,
        pictures,
        problems,
        documents,
    })
}

/// The size of every picture the site may publish: static files and files beside posts.
pub(crate) fn picture_sizes(theme: &Theme, content: &Content) -> crate::load::pictures::Sizes {
    crate::load::pictures::read(picture_files(theme, content))
}

/// The files the site may publish that may be pictures.
pub(crate) fn picture_files<'a>(
    theme: &'a Theme,
    content: &'a Content,
) -> impl Iterator<Item = &'a Path> {
    let statics = theme.static_files.iter().filter_map(|f| match f {
        crate::load::theme::StaticFile::OnDisk { source, .. } => Some(source.as_path()),
        crate::load::theme::StaticFile::Embedded { .. } => None,
    });
    let assets = content
        .posts
        .iter()
        .flat_map(|p| p.assets.iter().map(|a| a.source.as_path()));
    let loose = content.loose.values().map(PathBuf::as_path);
    statics.chain(assets).chain(loose)
}

/// Resolves loaded content into the site and plans its output. `problems` found while
/// loading are errors too; warnings are appended to `warnings` when the site resolves.
#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve(
    root: &Path,
    config: Config,
    content: &Content,
    mut problems: Vec<Diagnostic>,
    (theme, highlight_css, pictures): (&Theme, &str, &crate::load::pictures::Sizes),
    highlighter: &Highlighter,
    cache: &mut DocumentCache,
    selection: Selection,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Site, Manifest), BuildError> {
    let (mut site, mut found) = match resolve::resolve_cached(
        config,
        content,
        (highlighter, &theme.components),
        selection,
        cache,
    ) {
        Ok(resolved) => resolved,
        Err(Diagnostics(mut found)) => {
            problems.append(&mut found);
            return Err(BuildError::Content(Diagnostics::sorted(problems)));
        }
    };
    // Two sources of one URL, and the files of the output: independent, so side by side.
    let (mut collisions, manifest) = rayon::join(
        || {
            site.every_language()
                .flat_map(Site::collisions)
                .collect::<Vec<_>>()
        },
        || Manifest::new(root, &site, theme, highlight_css),
    );
    if !problems.is_empty() || !collisions.is_empty() {
        problems.append(&mut collisions);
        problems.append(&mut found);
        return Err(BuildError::Content(Diagnostics::sorted(problems)));
    }
    let mut manifest =
        manifest.map_err(|problems| BuildError::Content(Diagnostics::sorted(problems)))?;
    site.pictures = std::sync::Arc::new(manifest.picture_sizes(pictures));
    let strings = theme
        .strings
        .for_language(&site.config.language, &mut found);
    site.strings = std::sync::Arc::new(strings);
    for other in &mut site.languages {
        let strings = theme
            .strings
            .for_language(&other.config.language, &mut found);
        other.strings = std::sync::Arc::new(strings);
        other.pictures = std::sync::Arc::clone(&site.pictures);
    }
    let (mut picture_errors, mut picture_warnings) = manifest.picture_problems(&site);
    picture_errors.extend(manifest.missing_config_files(&site));
    if picture_errors.is_empty() {
        match manifest.add_variants(root, &site) {
            Ok(varied) => {
                site.varied = std::sync::Arc::new(varied);
                for other in &mut site.languages {
                    other.varied = std::sync::Arc::clone(&site.varied);
                }
            }
            Err(mut clashes) => picture_errors.append(&mut clashes),
        }
    }
    if !picture_errors.is_empty() {
        picture_errors.append(&mut found);
        return Err(BuildError::Content(Diagnostics::sorted(picture_errors)));
    }
    warnings.append(&mut found);
    warnings.append(&mut picture_warnings);
    Ok((site, manifest))
}

/// What rendering the plan into a sink did.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The routes rendered (not kept), each with its language's place, in the plan's order.
    pub routes: Vec<(usize, Route)>,
    /// Files the sink wrote (relative to the output), in the plan's order.
    pub written: Vec<PathBuf>,
    /// Pages kept as the sink had them.
    pub kept: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Time spent in the sink, summed over threads.
    pub write_cpu: Duration,
}

/// Counts kept while the entries are rendered on every thread.
#[derive(Default)]
struct Tally<'i> {
    kept: AtomicUsize,
    bytes: AtomicU64,
    write_ns: AtomicU64,
    done: Mutex<Vec<(usize, bool, bool)>>,
    /// Pages rendered for the search index go there, in the plan's order.
    indexed: Option<Handover<'i>>,
}

/// What rendering takes from the search step: the fingerprint of every page, made beforehand
/// (`None` for entries that are not pages), and the indexer to feed when the index is made.
pub(crate) struct Indexing<'i> {
    pub indexer: Option<&'i crate::search::Indexer>,
    pub fingerprints: &'i [Option<u128>],
}

/// Renders every entry of `manifest` that `sink` does not already have, on every thread,
/// and gives it to `sink`. A page is never held in memory longer than it takes to write it.
/// Render errors are collected and reported together; any other error wins.
pub(crate) fn render_into(
    renderer: &Renderer<'_>,
    manifest: &Manifest,
    highlighter: &Highlighter,
    sink: &dyn Sink,
) -> Result<Rendered, BuildError> {
    render_entries(renderer, manifest, highlighter, sink, None)
}

/// [`render_into`], handing the pages the search index holds to `indexing` (rendered even
/// when the sink keeps them), in the plan's order, a chunk at a time.
pub(crate) fn render_entries(
    renderer: &Renderer<'_>,
    manifest: &Manifest,
    highlighter: &Highlighter,
    sink: &dyn Sink,
    indexing: Option<&Indexing<'_>>,
) -> Result<Rendered, BuildError> {
    let tally = Tally {
        indexed: indexing
            .and_then(|i| i.indexer)
            .map(|indexer| Handover::new(|url, html| indexer.add(url, html))),
        ..Tally::default()
    };
    let jobs: Vec<(usize, &Entry)> = manifest.entries.iter().enumerate().collect();
    let found = map_with_lines(highlighter, jobs, |lines, (index, entry)| {
        let job = Job {
            index,
            entry,
            indexing,
        };
        let result = render_entry(renderer, &job, lines, sink, &tally);
        if let Some(handover) = &tally.indexed {
            handover.done(index);
        }
        match result {
            Ok((rendered, wrote)) => {
                let mut done = tally.done.lock().unwrap_or_else(|e| e.into_inner());
                done.push((index, rendered, wrote));
                None
            }
            Err(e) => Some(e),
        }
    });
    let failures: Vec<BuildError> = found.into_iter().flatten().collect();
    if !failures.is_empty() {
        return Err(merge_failures(failures));
    }
    Ok(tally.rendered(manifest))
}

impl Tally<'_> {
    /// What was rendered and written, in the plan's order.
    fn rendered(self, manifest: &Manifest) -> Rendered {
        let mut done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        done.sort_unstable();
        let mut out = Rendered {
            kept: self.kept.into_inner(),
            bytes: self.bytes.into_inner(),
            write_cpu: Duration::from_nanos(self.write_ns.into_inner()),
            ..Rendered::default()
        };
        for (index, rendered, wrote) in done {
            let entry = &manifest.entries[index];
            if let (true, Source::Page(lang, route)) = (rendered, &entry.source) {
                out.routes.push((*lang, *route));
            }
            if wrote {
                out.written.push(entry.file.clone());
            }
        }
        out
    }
}

/// One entry to render, where it is in the plan, and what feeds the search index.
struct Job<'a> {
    index: usize,
    entry: &'a Entry,
    indexing: Option<&'a Indexing<'a>>,
}

/// One entry: kept, or rendered (pages) or taken as it is, and given to the sink. Returns
/// whether it was rendered and whether the sink wrote it.
fn render_entry(
    renderer: &Renderer<'_>,
    job: &Job<'_>,
    lines: &mut crate::markdown::highlight::LineCache,
    sink: &dyn Sink,
    tally: &Tally,
) -> Result<(bool, bool), BuildError> {
    let entry = job.entry;
    let timed = |bytes: &[u8], made_from: u128| -> Result<bool, BuildError> {
        let started = Instant::now();
        let wrote = sink.put(entry, bytes, made_from)?;
        let ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        tally.write_ns.fetch_add(ns, Ordering::Relaxed);
        if wrote {
            tally.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        Ok(wrote)
    };
    match &entry.source {
        Source::Page(lang, route) => {
            let renderer = renderer.language(*lang);
            let known = job
                .indexing
                .and_then(|i| i.fingerprints.get(job.index).copied().flatten());
            let made_from = known.unwrap_or_else(|| renderer.fingerprint(*route));
            let indexed_at = job
                .indexing
                .and_then(|i| i.indexer)
                .and_then(|_| renderer.indexed_url(*route));
            let kept = sink.keeps(entry, made_from);
            if kept {
                tally.kept.fetch_add(1, Ordering::Relaxed);
                if indexed_at.is_none() {
                    return Ok((false, false));
                }
            }
            let bytes = renderer
                .render_with(*route, lines)
                .map_err(|e| BuildError::Render(vec![e]))?;
            if let (Some(url), Some(handover)) = (indexed_at, &tally.indexed) {
                handover.page(job.index, url, crate::search::indexed_part(&bytes));
            }
            if kept {
                return Ok((false, false));
            }
            Ok((true, timed(&bytes, made_from)?))
        }
        Source::Generated(text) => {
            let bytes = text.as_bytes();
            Ok((false, timed(bytes, xxhash_rust::xxh3::xxh3_128(bytes))?))
        }
        Source::Embedded(bytes) => Ok((false, timed(bytes, xxhash_rust::xxh3::xxh3_128(bytes))?)),
        Source::Copy(from) => Ok((false, sink.copy(entry, from)?)),
        Source::Variant(variant) => {
            let picture = crate::write::source_fingerprint(&variant.from);
            let made_from = variant_fingerprint(variant, picture.unwrap_or_default());
            let make = || {
                renderer
                    .variant(variant, picture)
                    .map_err(|e| picture_failure(variant, &e))
            };
            let started = Instant::now();
            let wrote = sink.made(entry, made_from, &make)?;
            if wrote {
                let ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                tally.write_ns.fetch_add(ns, Ordering::Relaxed);
            }
            Ok((false, wrote))
        }
        // Made after the pages, by `search::render_with_index`.
        Source::SearchIndex => Ok((false, false)),
    }
}

/// What a variant is made from: its picture's path, size and time (`picture`), and its
/// settings.
fn variant_fingerprint(variant: &crate::picture::Variant, picture: u128) -> u128 {
    let settings = (
        crate::picture::maker::VERSION,
        variant.size,
        format!("{:?}", variant.format),
        variant.quality,
    );
    crate::render::fingerprint::of(&(picture, settings))
}

/// The error of a picture whose variant cannot be made, naming its file.
fn picture_failure(
    variant: &crate::picture::Variant,
    e: &crate::picture::maker::VariantError,
) -> BuildError {
    let d = Diagnostic::error(
        variant.named.clone(),
        format!("picture {} cannot be resized: {e}", variant.named.display()),
    )
    .with_hint("save it again as PNG, JPEG or WebP, or remove it");
    BuildError::Content(Diagnostics(vec![d]))
}

/// What the commands say of a site: the same figures, counted the same way, by `build`,
/// `serve` and `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages readers see (not feeds, sitemaps or redirects).
    pub pages: usize,
    pub posts: usize,
    pub series: usize,
    pub tags: usize,
    /// Standalone pages (about, privacy).
    pub standalone_pages: usize,
}

impl Counts {
    /// The counts of `site` in every language: posts and pages in each, series and tags
    /// once however many languages they are in.
    pub fn of(site: &crate::model::site::Site, manifest: &crate::pipeline::plan::Manifest) -> Self {
        let distinct = |slugs: &mut dyn Iterator<Item = &str>| {
            slugs.collect::<std::collections::HashSet<&str>>().len()
        };
        let every = || site.every_language();
        Self {
            pages: manifest.page_count(),
            posts: every().map(|s| s.posts.len()).sum(),
            series: distinct(&mut every().flat_map(|s| s.series.iter().map(|x| x.slug.as_str()))),
            tags: distinct(&mut every().flat_map(|s| s.tags.iter().map(|t| t.slug.as_str()))),
            standalone_pages: every().map(|s| s.pages.len()).sum(),
        }
    }

    /// `27 pages (13 posts, 1 series, 12 tags, 2 pages)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}, {}, {}, {})",
            crate::diagnostic::counted(self.pages, "page", "pages"),
            crate::diagnostic::counted(self.posts, "post", "posts"),
            crate::diagnostic::counted(self.series, "series", "series"),
            crate::diagnostic::counted(self.tags, "tag", "tags"),
            crate::diagnostic::counted(self.standalone_pages, "page", "pages"),
        )
    }
}
