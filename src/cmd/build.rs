//! `playpress build`: load, resolve, render and write the site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use thiserror::Error;

use crate::cache::DocumentCache;
use crate::config::{Config, ConfigError};
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::highlight::{self, HighlightError, Highlighter};
use crate::manifest::{Manifest, Source};
use crate::output::{OutputError, Staging};
use crate::render::{RenderError, Renderer};
use crate::site::{self, Selection, Site};
use crate::theme::{self, Theme, ThemeError};
use crate::url::BaseUrl;

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
                Diagnostic::error(crate::config::CONFIG_FILE, e.to_string()).with_hint(hint)
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
}

impl BuildSummary {
    /// The line printed after a build.
    pub fn line(&self, shown_output: &Path) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "built {} ({}, {}, {}, {}) in {} ms -> {}/",
            plural(self.pages, "page", "pages"),
            plural(self.posts, "post", "posts"),
            plural(self.series, "series", "series"),
            plural(self.tags, "tag", "tags"),
            plural(self.standalone_pages, "page", "pages"),
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
    pub theme: theme::Theme,
    pub highlight_css: String,
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
    let config = options.load_config()?;
    let highlight_css = highlight::stylesheet(&config.highlight)?;
    let theme = theme::load(&options.root)?;

    let mut problems = Vec::new();
    let content = content::load(&options.root, &mut problems);
    let site = resolve_site(
        config,
        content,
        problems,
        &Highlighter::new(),
        &mut DocumentCache::new(),
        options.selection(),
        warnings,
    )?;
    Ok(Prepared {
        site,
        theme,
        highlight_css,
    })
}

/// Resolves loaded content into the site. `problems` found while loading are errors too;
/// warnings are appended to `warnings` when the site resolves.
pub fn resolve_site(
    config: Config,
    content: content::Content,
    mut problems: Vec<Diagnostic>,
    highlighter: &Highlighter,
    cache: &mut DocumentCache,
    selection: Selection,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Site, BuildError> {
    match site::resolve_cached(config, content, highlighter, selection, cache) {
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
    let result =
        prepare(options, &mut warnings).and_then(|prepared| write(options, prepared, started));
    Outcome { warnings, result }
}

/// Renders and writes a prepared site; `started` is when the build began, for the summary.
pub fn write(
    options: &BuildOptions,
    prepared: Prepared,
    started: Instant,
) -> Result<BuildSummary, BuildError> {
    let Prepared {
        site,
        mut theme,
        highlight_css,
    } = prepared;
    let manifest = manifest(&options.root, &site, &theme, &highlight_css)?;
    let staging = Staging::begin(&options.root, &options.output_dir())?;
    let renderer = Renderer::new(&site, &mut theme);

    let failures: Vec<BuildError> = manifest
        .entries
        .par_iter()
        .filter_map(|entry| match entry.source {
            Source::Page(route) => renderer
                .render(route)
                .map_err(|e| BuildError::Render(vec![e]))
                .and_then(|bytes| staging.write(&entry.file, &bytes).map_err(BuildError::from))
                .err(),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        return Err(merge_failures(failures));
    }

    let mut pages = 0;
    let mut files = 0;
    for entry in &manifest.entries {
        match &entry.source {
            Source::Page(route) => {
                // Count the HTML pages readers see, not feeds, sitemaps or redirects.
                if entry.file.extension().is_some_and(|e| e == "html")
                    && !matches!(route, crate::site::Route::Alias { .. })
                {
                    pages += 1;
                }
            }
            Source::Generated(text) => staging.write(&entry.file, text.as_bytes())?,
            Source::Embedded(bytes) => staging.write(&entry.file, bytes)?,
            Source::Copy(from) => staging.copy(from, &entry.file)?,
        }
        if !matches!(entry.source, Source::Page(_)) {
            files += 1;
        }
    }

    let output = staging.commit()?;
    Ok(BuildSummary {
        pages,
        posts: site.posts.len(),
        series: site.series.len(),
        tags: site.tags.len(),
        standalone_pages: site.pages.len(),
        skipped: site.skipped,
        files,
        output,
        elapsed: started.elapsed(),
    })
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
