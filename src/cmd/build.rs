//! `playpress build`: load, resolve, render and write the site.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use thiserror::Error;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::load::config::{Config, ConfigError};
use crate::load::content;
use crate::load::theme::{self, Theme, ThemeError};
use crate::markdown::Mode;
use crate::markdown::code_cache::CodeCache;
use crate::markdown::highlight::{self, HighlightError, Highlighter};
use crate::model::cache::DocumentCache;
use crate::model::site::{self, Selection, Site};
use crate::model::url::BaseUrl;
use crate::pipeline::plan::{Manifest, Source};
use crate::render::{RenderError, Renderer};
use crate::write::{OutputError, Staging};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Make every internal link relative (also `relative_links: true` in the config).
    pub relative: bool,
    /// Neither read nor write the code cache (`.playpress-cache/`).
    pub no_cache: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            relative: false,
            no_cache: false,
        }
    }

    /// The highlighter for a build: with the site's code cache unless `--no-cache`.
    pub fn highlighter(&self, config: &Config) -> Highlighter {
        if self.no_cache {
            Highlighter::for_themes(&config.highlight)
        } else {
            Highlighter::with_disk_cache(CodeCache::open(&self.root), &config.highlight)
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build failed. Nothing was written when any of these is returned.
#[derive(Debug, Error)]
pub enum BuildError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("error: invalid --base-url: {0}")]
    BaseUrl(String),
    #[error("{}", highlight_message(.0))]
    Highlight(#[from] HighlightError),
    #[error("{0}")]
    Theme(#[from] ThemeError),
    #[error("{0}\n\n{count} error{s} in content; nothing was written", count = .0.error_count(), s = if .0.error_count() == 1 { "" } else { "s" })]
    Content(Diagnostics),
    #[error("{}", render_message(.0))]
    Render(Vec<RenderError>),
    #[error("{0}")]
    Output(#[from] OutputError),
}

fn highlight_message(e: &HighlightError) -> String {
    match e {
        HighlightError::UnknownTheme { suggestion, .. } => {
            let hint = suggestion.as_ref().map_or_else(
                || format!("known themes: {}", highlight::theme_names().join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            format!(
                "{}",
                Diagnostic::error(crate::load::config::CONFIG_FILE, e.to_string()).with_hint(hint)
            )
        }
        HighlightError::Css(_) => format!("error: {e}"),
    }
}

fn render_message(errors: &[RenderError]) -> String {
    let mut text: Vec<String> = errors.iter().take(10).map(ToString::to_string).collect();
    if errors.len() > 10 {
        text.push(format!(
            "... and {} more pages failed the same way",
            errors.len() - 10
        ));
    }
    text.push("nothing was written".to_string());
    text.join("\n\n")
}

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
}

impl Timings {
    /// The report printed by `build --timings`.
    pub fn report(&self) -> String {
        let ms = |d: Duration| d.as_millis();
        format!(
            "load     {:>7} ms (config, templates, content files)\nparse    {:>7} ms (front matter, Markdown outlines, series, tags, URLs)\nrender   {:>7} ms (with writing, on all threads; {} pages unchanged, kept)\n  highlight {:>7} ms cpu ({} blocks highlighted, {} from the cache; {} code lines parsed, {} reused in {} line caches)\n  write     {:>7} ms cpu ({:.1} MiB)\ncommit   {:>7} ms (swap the output in, save the code cache)",
            ms(self.load),
            ms(self.resolve),
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

/// The loaded and resolved site with its templates, ready to render.
pub struct Prepared {
    pub site: Site,
    /// Every file of the output.
    pub manifest: Manifest,
    pub theme: theme::Theme,
    pub highlight_css: String,
    /// Renders the code of post bodies when their pages are written.
    pub highlighter: Highlighter,
    pub timings: Timings,
}

impl BuildOptions {
    /// Which posts to include, deciding "future" by the clock now.
    pub fn selection(&self) -> Selection {
        Selection {
            drafts: self.drafts,
            future: self.future,
            now: jiff::Timestamp::now(),
        }
    }

    /// Reads the config, with `--base-url` applied.
    pub fn load_config(&self) -> Result<Config, BuildError> {
        self.load_config_keyed().map(|(config, _)| config)
    }

    /// Reads the config, with `--base-url` applied, and a text that is the same exactly when
    /// the config is (the file's text and the override).
    pub fn load_config_keyed(&self) -> Result<(Config, String), BuildError> {
        let (mut config, mut key) = Config::load_with_text(&self.root)?;
        if let Some(url) = &self.base_url {
            config.base_url = BaseUrl::parse(url).map_err(BuildError::BaseUrl)?;
            key.push_str("\n\0base_url=");
            key.push_str(url);
        }
        if self.relative {
            config.relative_links = true;
            key.push_str("\n\0relative");
        }
        Ok((config, key))
    }
}

/// Loads and resolves everything a build needs, without writing anything.
pub fn prepare(
    options: &BuildOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Prepared, BuildError> {
    let started = Instant::now();
    let config = options.load_config()?;
    let highlight_css = highlight::stylesheet(&config.highlight)?;
    let theme = theme::load(&options.root)?;
    let highlighter = options.highlighter(&config);

    let mut problems = Vec::new();
    let content = content::load(&options.root, &mut problems);
    let load = started.elapsed();
    let site = resolve_site(
        config,
        content,
        problems,
        &highlighter,
        &mut DocumentCache::disabled(),
        options.selection(),
        Mode::Outline,
        warnings,
    )?;
    let manifest = manifest(&options.root, &site, &theme, &highlight_css)?;
    Ok(Prepared {
        manifest,
        site,
        theme,
        highlight_css,
        highlighter,
        timings: Timings {
            load,
            resolve: started.elapsed() - load,
            ..Timings::default()
        },
    })
}

/// Resolves loaded content into the site. `problems` found while loading are errors too;
/// warnings are appended to `warnings` when the site resolves.
#[allow(clippy::too_many_arguments)]
pub fn resolve_site(
    config: Config,
    content: content::Content,
    mut problems: Vec<Diagnostic>,
    highlighter: &Highlighter,
    cache: &mut DocumentCache,
    selection: Selection,
    mode: Mode,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Site, BuildError> {
    match site::resolve_cached(config, content, highlighter, selection, mode, cache) {
        Ok((site, mut found)) if problems.is_empty() => {
            warnings.append(&mut found);
            Ok(site)
        }
        Ok((_, mut found)) | Err(Diagnostics(mut found)) => {
            problems.append(&mut found);
            Err(BuildError::Content(Diagnostics::sorted(problems)))
        }
    }
}

/// Lists the output of a prepared site.
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
        write(options, prepared, started)
    });
    Outcome { warnings, result }
}

/// Renders and writes a prepared site; `started` is when the build began, for the summary.
/// Pages are rendered and written one at a time on every thread, so the output is never
/// held in memory whole.
pub fn write(
    options: &BuildOptions,
    prepared: Prepared,
    started: Instant,
) -> Result<BuildSummary, BuildError> {
    let Prepared {
        site,
        manifest,
        mut theme,
        highlighter,
        mut timings,
        ..
    } = prepared;
    let staging = Staging::begin(&options.root, &options.output_dir())?;
    let rendering = Instant::now();
    let writing = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let kept = AtomicUsize::new(0);
    {
        let renderer = Renderer::new(&site, &mut theme, &highlighter);
        let write_timed =
            |file: &Path, data: &[u8], made_from: Option<u128>| -> Result<(), BuildError> {
                let t = Instant::now();
                let result = match made_from {
                    Some(fingerprint) => staging.write_made_from(file, data, fingerprint),
                    None => staging.write(file, data),
                };
                writing.fetch_add(nanos(t.elapsed()), Ordering::Relaxed);
                if matches!(result, Ok(true)) {
                    bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
                result.map(|_| ()).map_err(BuildError::from)
            };
        let failures: Vec<BuildError> = manifest
            .entries
            .par_iter()
            .map_init(
                || highlighter.line_cache(),
                |lines, entry| match &entry.source {
                    Source::Page(route) => {
                        // A page made from the same inputs as the one the staging directory has
                        // is neither rendered nor written.
                        let made_from = renderer.fingerprint(*route);
                        if made_from.is_some_and(|f| staging.keeps(&entry.file, f)) {
                            kept.fetch_add(1, Ordering::Relaxed);
                            return None;
                        }
                        renderer
                            .render_with(*route, lines.get())
                            .map_err(|e| BuildError::Render(vec![e]))
                            .and_then(|data| write_timed(&entry.file, &data, made_from))
                            .err()
                    }
                    Source::Generated(text) => {
                        write_timed(&entry.file, text.as_bytes(), None).err()
                    }
                    Source::Embedded(data) => write_timed(&entry.file, data, None).err(),
                    Source::Copy(from) => staging
                        .copy(from, &entry.file)
                        .map_err(BuildError::from)
                        .err(),
                },
            )
            .flatten()
            .collect();
        if !failures.is_empty() {
            return Err(merge_failures(failures));
        }
    }
    timings.render_and_write = rendering.elapsed();
    let (highlight_cpu, cached, highlighted) = highlighter.stats();
    timings.highlight = highlight_cpu;
    timings.blocks_cached = cached;
    timings.blocks_highlighted = highlighted;
    (
        timings.lines_reused,
        timings.lines_parsed,
        timings.line_caches,
    ) = highlighter.line_stats();
    timings.write = Duration::from_nanos(writing.load(Ordering::Relaxed));
    timings.bytes = bytes.load(Ordering::Relaxed);
    timings.pages_kept = kept.load(Ordering::Relaxed);

    let committing = Instant::now();
    let output = staging.commit()?;
    // The cache is only a cache: failing to save it does not fail the build. A kept page's
    // blocks were not asked for, yet are still in use: only a build that kept none prunes.
    let _ = highlighter.save_cache(timings.pages_kept == 0);
    timings.commit = committing.elapsed();
    let files = manifest
        .entries
        .iter()
        .filter(|e| !matches!(e.source, Source::Page(_)))
        .count();
    Ok(BuildSummary {
        pages: manifest.page_count(),
        posts: site.posts.len(),
        series: site.series.len(),
        tags: site.tags.len(),
        standalone_pages: site.pages.len(),
        skipped: site.skipped,
        files,
        output,
        elapsed: started.elapsed(),
        timings,
    })
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Render errors are reported together; any other error wins.
pub fn merge_failures(failures: Vec<BuildError>) -> BuildError {
    let mut renders = Vec::new();
    for failure in failures {
        match failure {
            BuildError::Render(mut r) => renders.append(&mut r),
            other => return other,
        }
    }
    renders.sort_by(|a, b| a.page.cmp(&b.page));
    BuildError::Render(renders)
}
