//! `playpress build`: the pipeline with the staging folder as its sink, swapped in place of
//! the output when every file is written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::load::theme::Theme;
use crate::markdown::highlight::Highlighter;
use crate::model::cache::DocumentCache;
use crate::model::site::Site;
use crate::pipeline::{self, Manifest};
use crate::render::Renderer;
use crate::write::Staging;

pub use crate::pipeline::{BuildError, BuildOptions};

/// What a successful build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildSummary {
    /// HTML pages rendered.
    pub pages: usize,
    pub posts: usize,
    pub series: usize,
    pub tags: usize,
    pub standalone_pages: usize,
    /// Posts left out (drafts, future).
    pub skipped: usize,
    /// Other files written (stylesheets, static files, post assets).
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub timings: Timings,
    /// Pages the search index was made from, when it was made (`None`: no search, or the
    /// previous index was kept because no page it holds changed).
    pub indexed: Option<usize>,
    /// Pages the search index holds, when it was taken from `.playpress-cache` (made before
    /// from the same pages) instead of being made.
    pub index_from_cache: Option<usize>,
}

/// Where a build's time went. Stages that run on several threads count time summed over the
/// threads (CPU time), so they can add up to more than the wall time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    /// Reading the config, templates and content (wall).
    pub load: Duration,
    /// Front matter, Markdown outlines, series, tags (wall).
    pub resolve: Duration,
    /// Rendering and writing every file (wall).
    pub render_and_write: Duration,
    /// Of which highlighting code (CPU, all threads).
    pub highlight: Duration,
    /// Of which writing files (CPU, all threads).
    pub write: Duration,
    /// Swapping the new output in and saving the code cache (wall).
    pub commit: Duration,
    /// Code blocks reused from the cache, and highlighted.
    pub blocks_cached: u64,
    pub blocks_highlighted: u64,
    /// Code lines answered from a thread's line cache, and lines parsed.
    pub lines_reused: u64,
    pub lines_parsed: u64,
    /// Line caches started (one per parallel job).
    pub line_caches: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Pages kept from the build before because nothing they show changed.
    pub pages_kept: usize,
    /// Variants of pictures: planned, and made, taken from the cache or kept in the output.
    pub variants: usize,
    pub pictures: crate::picture::maker::MadeCounts,
    /// Documents checked and outlined, and taken checked from the last build.
    pub documents: crate::model::cache::Counts,
}

impl Timings {
    /// The report printed by `build --timings`.
    pub fn report(&self) -> String {
        let ms = |d: Duration| d.as_millis();
        format!(
            "load     {:>7} ms (config, templates, content files)\nparse    {:>7} ms (front matter, Markdown outlines, series, tags, URLs; {} documents checked, {} outlined, {} kept from the last build)\nrender   {:>7} ms (with writing, on all threads; {} pages unchanged, kept)\n  highlight {:>7} ms cpu ({} blocks highlighted, {} from the cache; {} code lines parsed, {} reused in {} line caches)\n  write     {:>7} ms cpu ({:.1} MiB)\n  pictures  {:>7} ms cpu ({} variants: {} made from {} pictures decoded, {} from the cache, {} unchanged, kept; {} pictures read)\ncommit   {:>7} ms (swap the output in, save the code cache)",
            ms(self.load),
            ms(self.resolve),
            self.documents.checked,
            self.documents.outlined,
            self.documents.reused,
            ms(self.render_and_write),
            self.pages_kept,
            ms(self.highlight),
            self.blocks_highlighted,
            self.blocks_cached,
            self.lines_parsed,
            self.lines_reused,
            self.line_caches,
            ms(self.write),
            self.bytes as f64 / (1024.0 * 1024.0),
            ms(self.pictures.cpu),
            self.variants,
            self.pictures.made,
            self.pictures.decoded,
            self.pictures.reused,
            self.variants_kept(),
            self.pictures.read,
            ms(self.commit),
        )
    }
}

impl BuildSummary {
    /// The line printed after a build.
    pub fn line(&self, shown_output: &Path) -> String {
        let counts = super::Counts {
            pages: self.pages,
            posts: self.posts,
            series: self.series,
            tags: self.tags,
            standalone_pages: self.standalone_pages,
        };
        format!(
            "built {} in {} ms -> {}/",
            counts.describe(),
            self.elapsed.as_millis(),
            shown_output
                .display()
                .to_string()
                .trim_start_matches("./")
                .trim_end_matches('/')
        )
    }
}

/// A build's result and the warnings found on the way (reported whether or not it failed).
#[derive(Debug)]
pub struct Outcome {
    pub warnings: Vec<Diagnostic>,
    pub result: Result<BuildSummary, BuildError>,
}

/// The loaded and resolved site with its templates and its plan, ready to render.
pub struct Prepared {
    pub site: Site,
    /// Every file of the output.
    pub manifest: Manifest,
    pub theme: Theme,
    pub highlight_css: String,
    /// Renders the code of post bodies when their pages are written.
    pub highlighter: Highlighter,
    pub timings: Timings,
    /// The checked documents and outlines, kept for the next build.
    documents: DocumentCache,
}

/// Loads, resolves and plans everything a build needs, without writing anything.
pub fn prepare(
    options: &BuildOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Prepared, BuildError> {
    let started = Instant::now();
    let sources = pipeline::load(options)?;
    let highlighter = options.highlighter(&sources.config);
    let mut documents = sources.documents;
    let load = started.elapsed();
    let (site, manifest) = pipeline::resolve(
        &options.root,
        sources.config,
        &sources.content,
        sources.problems,
        (&sources.theme, &sources.highlight_css, &sources.pictures),
        &highlighter,
        &mut documents,
        options.selection(),
        warnings,
    )?;
    Ok(Prepared {
        site,
        manifest,
        theme: sources.theme,
        highlight_css: sources.highlight_css,
        highlighter,
        timings: Timings {
            load,
            resolve: started.elapsed() - load,
            documents: documents.counts(),
            ..Timings::default()
        },
        documents,
    })
}

/// Lists the output of a resolved site.
pub fn manifest(
    root: &Path,
    site: &Site,
    theme: &Theme,
    css: &str,
) -> Result<Manifest, BuildError> {
    Manifest::new(root, site, theme, css)
        .map_err(|problems| BuildError::Content(Diagnostics::sorted(problems)))
}

/// Builds the site described by `options`.
pub fn run(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let mut warnings = Vec::new();
    let result = prepare(options, &mut warnings).and_then(|prepared| {
        warnings.extend(
            prepared
                .manifest
                .missing_images(&prepared.site, Severity::Warning),
        );
        write_reporting(options, prepared, started, &mut warnings)
    });
    Outcome { warnings, result }
}

/// Renders and writes a prepared site into the staging folder and swaps it in; `started` is
/// when the build began, for the summary.
pub fn write(
    options: &BuildOptions,
    prepared: Prepared,
    started: Instant,
) -> Result<BuildSummary, BuildError> {
    write_reporting(options, prepared, started, &mut Vec::new())
}

/// [`write`], with its warnings: the caches found damaged (not used, and rebuilt), and what
/// the output held that playpress did not write.
fn write_reporting(
    options: &BuildOptions,
    prepared: Prepared,
    started: Instant,
    warnings: &mut Vec<Diagnostic>,
) -> Result<BuildSummary, BuildError> {
    let Prepared {
        site,
        manifest,
        theme,
        highlighter,
        mut timings,
        mut documents,
        ..
    } = prepared;
    let staging = Staging::begin(
        &options.root,
        &options.output_dir(),
        options.output_overwrite,
    )?;
    let rendering = Instant::now();
    let maker = options.picture_maker();
    let renderer = Renderer::new(&site, &theme, &highlighter).with_pictures(&maker);
    let now = pipeline::search::IndexWhen::Now;
    let store = options.index_store();
    let (rendered, index) = pipeline::search::render_with_index(
        &renderer,
        &manifest,
        &highlighter,
        (&staging, now, &store),
    )?;
    // The caches found damaged (each rebuilt by now, or when it is saved below).
    warnings.extend(documents.take_damage());
    warnings.extend(highlighter.cache_damage());
    warnings.extend(maker.damage());
    warnings.extend(store.damage());
    let (indexed, index_from_cache) = (index.made(), index.stored());
    timings.render_and_write = rendering.elapsed();
    timings.pages_kept = rendered.kept;
    timings.bytes = rendered.bytes;
    timings.write = rendered.write_cpu;
    timings.take_highlighter(&highlighter);
    timings.variants = manifest.variant_count();
    timings.pictures = maker.counts();
    let committing = Instant::now();
    // The documents are kept for the next build on a thread of their own while the output
    // is swapped in and the other caches saved: after rendering, so that what encoding them
    // takes does not add to what rendering holds.
    let output = std::thread::scope(|scope| {
        scope.spawn(|| pipeline::documents::keep(options, documents));
        let (output, foreign) = staging.commit()?;
        if !foreign.is_empty() {
            let shown = options.output_dir();
            let shown = shown.strip_prefix(".").unwrap_or(&shown);
            warnings.push(crate::write::foreign_warning(shown, &foreign));
        }
        // The cache is only a cache: failing to save it does not fail the build. A kept
        // page's blocks were not asked for, yet are still in use: only a build that kept none
        // prunes.
        let _ = highlighter.save_cache(timings.pages_kept == 0);
        // Likewise for the pictures' variants: only a build that kept none prunes them.
        maker.finish(timings.variants_kept() == 0);
        Ok::<_, BuildError>(output)
    })?;
    timings.commit = committing.elapsed();
    Ok(BuildSummary {
        indexed,
        index_from_cache,
        ..BuildSummary::of(&site, &manifest, output, started, timings)
    })
}

impl BuildSummary {
    /// What a build of `site` by `manifest` into `output` did, begun at `started`.
    fn of(
        site: &Site,
        manifest: &Manifest,
        output: PathBuf,
        started: Instant,
        timings: Timings,
    ) -> Self {
        let files = manifest
            .entries
            .iter()
            .filter(|e| !matches!(e.source, pipeline::Source::Page(..)))
            .count();
        let counts = pipeline::Counts::of(site, manifest);
        Self {
            pages: counts.pages,
            posts: counts.posts,
            series: counts.series,
            tags: counts.tags,
            standalone_pages: counts.standalone_pages,
            skipped: site.every_language().map(|s| s.skipped).sum(),
            files,
            output,
            elapsed: started.elapsed(),
            indexed: None,
            index_from_cache: None,
            timings,
        }
    }
}

impl Timings {
    /// Variants the output had already, made from the same picture and settings.
    pub fn variants_kept(&self) -> usize {
        self.variants
            .saturating_sub(self.pictures.made + self.pictures.reused)
    }

    /// Takes the highlighter's counts: time, blocks and lines.
    fn take_highlighter(&mut self, highlighter: &Highlighter) {
        let (cpu, cached, highlighted) = highlighter.stats();
        self.highlight = cpu;
        self.blocks_cached = cached;
        self.blocks_highlighted = highlighted;
        (self.lines_reused, self.lines_parsed, self.line_caches) = highlighter.line_stats();
    }
}
