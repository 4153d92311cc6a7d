//! The pipeline, once for every command: load -> resolve -> plan -> render each entry -> a
//! sink. `build`, `serve` and `check` differ only in the sink the pages go to (the staging
//! folder, the served output, the link checker); each sink says which files it already has,
//! so a page whose fingerprint did not change is neither rendered nor written.

mod error;
mod options;
pub(crate) mod plan;
mod sink;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{self, Content};
use crate::load::theme::{self, Theme};
use crate::markdown::highlight::{self, Highlighter};
use crate::model::cache::DocumentCache;
use crate::model::resolve;
use crate::model::route::Route;
use crate::model::site::{Selection, Site};
use crate::render::Renderer;

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
    pub problems: Vec<Diagnostic>,
}

/// Loads everything a build reads, for `options`.
pub(crate) fn load(options: &BuildOptions) -> Result<Sources, BuildError> {
    let (config, _) = options.load_config_keyed()?;
    let highlight_css = highlight::stylesheet(&config.highlight)?;
    let theme = theme::load(&options.root)?;
    let mut problems = Vec::new();
    let content = content::load(&options.root, &mut problems);
    Ok(Sources {
        config,
        highlight_css,
        theme,
        content,
        problems,
    })
}

/// Resolves loaded content into the site and plans its output. `problems` found while
/// loading are errors too; warnings are appended to `warnings` when the site resolves.
#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve(
    root: &Path,
    config: Config,
    content: &Content,
    mut problems: Vec<Diagnostic>,
    (theme, highlight_css): (&Theme, &str),
    highlighter: &Highlighter,
    cache: &mut DocumentCache,
    selection: Selection,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Site, Manifest), BuildError> {
    let (site, mut found) =
        match resolve::resolve_cached(config, content, highlighter, selection, cache) {
            Ok(resolved) => resolved,
            Err(Diagnostics(mut found)) => {
                problems.append(&mut found);
                return Err(BuildError::Content(Diagnostics::sorted(problems)));
            }
        };
    // Two sources of one URL, and the files of the output: independent, so side by side.
    let (mut collisions, manifest) = rayon::join(
        || site.collisions(),
        || Manifest::new(root, &site, theme, highlight_css),
    );
    if !problems.is_empty() || !collisions.is_empty() {
        problems.append(&mut collisions);
        problems.append(&mut found);
        return Err(BuildError::Content(Diagnostics::sorted(problems)));
    }
    warnings.append(&mut found);
    let manifest =
        manifest.map_err(|problems| BuildError::Content(Diagnostics::sorted(problems)))?;
    Ok((site, manifest))
}

/// What rendering the plan into a sink did.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The routes rendered (not kept), in the plan's order.
    pub routes: Vec<Route>,
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
struct Tally {
    kept: AtomicUsize,
    bytes: AtomicU64,
    write_ns: AtomicU64,
    done: Mutex<Vec<(usize, bool, bool)>>,
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
    let tally = Tally::default();
    let failures: Vec<BuildError> = manifest
        .entries
        .par_iter()
        .enumerate()
        .map_init(
            || highlighter.line_cache(),
            |lines, (index, entry)| {
                let result = render_entry(renderer, entry, lines.get(), sink, &tally);
                match result {
                    Ok((rendered, wrote)) => {
                        let mut done = tally.done.lock().unwrap_or_else(|e| e.into_inner());
                        done.push((index, rendered, wrote));
                        None
                    }
                    Err(e) => Some(e),
                }
            },
        )
        .flatten()
        .collect();
    if !failures.is_empty() {
        return Err(merge_failures(failures));
    }
    let mut done = tally.done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable();
    let mut out = Rendered {
        kept: tally.kept.into_inner(),
        bytes: tally.bytes.into_inner(),
        write_cpu: Duration::from_nanos(tally.write_ns.into_inner()),
        ..Rendered::default()
    };
    for (index, rendered, wrote) in done {
        let entry = &manifest.entries[index];
        if let (true, Source::Page(route)) = (rendered, &entry.source) {
            out.routes.push(*route);
        }
        if wrote {
            out.written.push(entry.file.clone());
        }
    }
    Ok(out)
}

/// One entry: kept, or rendered (pages) or taken as it is, and given to the sink. Returns
/// whether it was rendered and whether the sink wrote it.
fn render_entry(
    renderer: &Renderer<'_>,
    entry: &Entry,
    lines: &mut crate::markdown::highlight::LineCache,
    sink: &dyn Sink,
    tally: &Tally,
) -> Result<(bool, bool), BuildError> {
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
        Source::Page(route) => {
            let made_from = renderer.fingerprint(*route);
            if sink.keeps(entry, made_from) {
                tally.kept.fetch_add(1, Ordering::Relaxed);
                return Ok((false, false));
            }
            let bytes = renderer
                .render_with(*route, lines)
                .map_err(|e| BuildError::Render(vec![e]))?;
            Ok((true, timed(&bytes, made_from)?))
        }
        Source::Generated(text) => {
            let bytes = text.as_bytes();
            Ok((false, timed(bytes, xxhash_rust::xxh3::xxh3_128(bytes))?))
        }
        Source::Embedded(bytes) => Ok((false, timed(bytes, xxhash_rust::xxh3::xxh3_128(bytes))?)),
        Source::Copy(from) => Ok((false, sink.copy(entry, from)?)),
    }
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
    pub fn of(site: &crate::model::site::Site, manifest: &crate::pipeline::plan::Manifest) -> Self {
        Self {
            pages: manifest.page_count(),
            posts: site.posts.len(),
            series: site.series.len(),
            tags: site.tags.len(),
            standalone_pages: site.pages.len(),
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
