//! The site kept in memory while serving, rebuilt after each change with as little work as
//! the change needs:
//!
//! - only files the watcher reported are read again (the folders are still walked, so added
//!   and removed files are found);
//! - a file whose text did not change is neither parsed nor rendered again
//!   ([`DocumentCache`]), and highlighted code is cached by content ([`Highlighter`]);
//! - a page is rendered only when its fingerprint (templates, `site` context and its own
//!   context, see [`Renderer::fingerprint`]) changed: an edit to one post renders that post
//!   and the pages that show something of it (neighbours, series, tags, index pages), any
//!   new kind of page included, with no list of dependencies to keep up to date;
//! - only files whose bytes changed are written, each atomically; files no longer produced
//!   are removed.
//!
//! The output is the same, byte for byte, as a full build's. A failed rebuild writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::cmd::build::{self, BuildError, BuildOptions, merge_failures};
use crate::diagnostic::{Diagnostic, display_path};
use crate::load::config::{CONFIG_FILE, Config, HighlightConfig};
use crate::load::content::{self, Content, SourceFile};
use crate::load::theme::{self, Theme};
use crate::markdown::Mode;
use crate::markdown::highlight::{self, Highlighter};
use crate::model::cache::DocumentCache;
use crate::pipeline::plan::Source;
use crate::render::Renderer;
use crate::write::{Holder, LiveOutput, OutputError, OutputLock, Staging, Stamp};

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Changed files and folders (absolute, under the site root).
    pub paths: Vec<PathBuf>,
    /// Everything may have changed (the watcher lost events): reload it all.
    pub everything: bool,
}

impl Changes {
    pub fn everything() -> Self {
        Self {
            paths: Vec::new(),
            everything: true,
        }
    }

    fn touches(&self, path: &Path) -> bool {
        self.everything
            || self
                .paths
                .iter()
                .any(|p| p.starts_with(path) || path.starts_with(p))
    }

    /// True when `file` may have changed: it, or a folder holding it, was reported.
    fn invalidates(&self, file: &Path) -> bool {
        self.everything || self.paths.iter().any(|p| file.starts_with(p))
    }
}

/// What a successful rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Site paths of the pages rendered.
    pub rendered: Vec<String>,
    /// Files written (relative to the output).
    pub written: Vec<PathBuf>,
    /// Files removed (relative to the output).
    pub removed: Vec<PathBuf>,
    /// Files rendered from templates (pages, feeds, sitemaps, redirects).
    pub routes: usize,
    /// What the site holds, as every command counts it.
    pub counts: crate::cmd::Counts,
    pub elapsed: Duration,
}

impl Rebuilt {
    /// Every changed file is a stylesheet: browsers can swap them without reloading.
    pub fn only_stylesheets(&self) -> bool {
        let changed: Vec<&PathBuf> = self.written.iter().chain(&self.removed).collect();
        !changed.is_empty()
            && changed
                .iter()
                .all(|f| f.extension().is_some_and(|e| e == "css"))
    }
}

/// What is known of one written file, to tell whether it must be written again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    /// The page's fingerprint, for pages.
    fingerprint: Option<u128>,
    /// Hash of the bytes.
    hash: u128,
    /// For copied files: the source and its size and modification time.
    copied: Option<(PathBuf, u64, Option<SystemTime>)>,
    /// The file in the output as written; another program changed it if this differs.
    stamp: Option<Stamp>,
}

fn hash_bytes(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What to do with one file of the new output.
enum Step {
    Keep(Written),
    Write(Written, Vec<u8>),
    Fail(BuildError),
}

/// The loaded config and what comes from it alone.
struct Loaded {
    config: Config,
    highlight_css: String,
}

/// A site being served: everything needed to rebuild it quickly.
pub struct LiveSite {
    options: BuildOptions,
    highlighter: Highlighter,
    cache: DocumentCache,
    config: Option<Loaded>,
    theme: Option<Theme>,
    /// The files of `content/` last read, by the path shown to the user.
    sources: HashMap<PathBuf, SourceFile>,
    /// The content as last loaded (without problems), to update in place when only known
    /// files changed.
    layout: Option<Content>,
    /// The output as last written.
    written: HashMap<PathBuf, Written>,
    output: Option<LiveOutput>,
}

impl LiveSite {
    /// `options.root` should be absolute, like the paths the watcher reports.
    pub fn new(options: BuildOptions) -> Self {
        Self {
            options,
            highlighter: Highlighter::remembering(&HighlightConfig::default()),
            cache: DocumentCache::new(),
            config: None,
            theme: None,
            sources: HashMap::new(),
            layout: None,
            written: HashMap::new(),
            output: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The base path of the site as last loaded (`/` or `/blog/`).
    pub fn base_path(&self) -> Option<&str> {
        self.config.as_ref().map(|l| l.config.base_url.root())
    }

    /// How many distinct code blocks have been highlighted so far.
    pub fn highlighted_blocks(&self) -> usize {
        self.highlighter.cached_blocks()
    }

    /// Brings the output up to date with `changes`. Warnings come back either way; on error
    /// the output is left as it was.
    pub fn rebuild(&mut self, changes: &Changes) -> (Vec<Diagnostic>, Result<Rebuilt, BuildError>) {
        let mut warnings = Vec::new();
        let result = self.try_rebuild(changes, &mut warnings);
        (warnings, result)
    }

    fn try_rebuild(
        &mut self,
        changes: &Changes,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let root = self.options.root.clone();
        // An output removed or changed by another program (`rm -rf public`) is written whole.
        let first = !self.output.as_ref().is_some_and(|o| self.output_intact(o));
        if first {
            self.written.clear();
        }
        let changes = if first {
            &Changes::everything()
        } else {
            changes
        };

        if self.config.is_none() || changes.touches(&root.join(CONFIG_FILE)) {
            self.config = None;
            let (config, key) = self.options.load_config_keyed()?;
            let highlight_css = highlight::stylesheet(&config.highlight)?;
            self.cache.use_config(&key);
            if self.highlighter.themes() != &config.highlight {
                // Classes depend on the themes: blocks highlighted for others do not fit.
                self.highlighter = Highlighter::remembering(&config.highlight);
            }
            self.config = Some(Loaded {
                config,
                highlight_css,
            });
        }
        if self.theme.is_none()
            || changes.touches(&root.join("templates"))
            || changes.touches(&root.join("static"))
        {
            self.theme = None;
            self.theme = Some(theme::load(&root)?);
        }
        let (Some(loaded), Some(theme)) = (self.config.as_ref(), self.theme.as_mut()) else {
            return Err(BuildError::Output(OutputError::Refused {
                path: root,
                reason: "the site could not be loaded",
            }));
        };

        let mut problems = Vec::new();
        let content = match reread(self.layout.as_ref(), changes, &root) {
            Some(content) => content,
            None => {
                let sources = &self.sources;
                let reuse = |path: &Path| -> Option<SourceFile> {
                    if changes.invalidates(path) {
                        None
                    } else {
                        sources.get(&display_path(&root, path)).cloned()
                    }
                };
                content::load_reusing(&root, &mut problems, &reuse)
            }
        };
        // Keep what was read for next time (the texts are shared, not copied).
        self.sources = content
            .posts
            .iter()
            .map(|p| &p.file)
            .chain(&content.pages)
            .chain(&content.series)
            .map(|f| (f.path.clone(), f.clone()))
            .collect();
        self.layout = problems.is_empty().then(|| content.clone());

        let site = build::resolve_site(
            loaded.config.clone(),
            content,
            problems,
            &self.highlighter,
            &mut self.cache,
            self.options.selection(),
            Mode::Full,
            warnings,
        )?;
        let manifest = build::manifest(&root, &site, theme, &loaded.highlight_css)?;
        warnings.extend(manifest.missing_images(&site, crate::diagnostic::Severity::Warning));
        let renderer = Renderer::new(&site, theme, &self.highlighter);

        let previous = &self.written;
        let steps: Vec<(Step, bool)> = manifest
            .entries
            .par_iter()
            .map(|entry| {
                let old = previous.get(&entry.file);
                match &entry.source {
                    Source::Page(route) => {
                        let fingerprint = renderer.fingerprint(*route);
                        if let Some(old) = old
                            && fingerprint.is_some()
                            && old.fingerprint == fingerprint
                        {
                            return (Step::Keep(old.clone()), false);
                        }
                        match renderer.render(*route) {
                            Ok(bytes) => (step(old, fingerprint, None, bytes), true),
                            Err(e) => (Step::Fail(BuildError::Render(vec![e])), true),
                        }
                    }
                    Source::Generated(text) => {
                        (step(old, None, None, text.as_bytes().to_vec()), false)
                    }
                    Source::Embedded(bytes) => (step(old, None, None, bytes.to_vec()), false),
                    Source::Copy(from) => (copy_step(old, from), false),
                }
            })
            .collect();

        let mut failures = Vec::new();
        let mut rendered = Vec::new();
        let mut writes: Vec<(&Path, Vec<u8>)> = Vec::new();
        let mut written = HashMap::with_capacity(manifest.entries.len());
        for ((step, was_rendered), entry) in steps.into_iter().zip(&manifest.entries) {
            if was_rendered && let Source::Page(route) = entry.source {
                rendered.push(site.path(route));
            }
            match step {
                Step::Keep(w) => {
                    written.insert(entry.file.clone(), w);
                }
                Step::Write(w, bytes) => {
                    written.insert(entry.file.clone(), w);
                    writes.push((&entry.file, bytes));
                }
                Step::Fail(e) => failures.push(e),
            }
        }
        if !failures.is_empty() {
            return Err(merge_failures(failures));
        }
        let mut removed: Vec<PathBuf> = previous
            .keys()
            .filter(|f| !written.contains_key(*f))
            .cloned()
            .collect();
        removed.sort();

        if first {
            let lock = match self.output.take() {
                Some(live) => live.into_lock(),
                None => OutputLock::acquire(&root, &self.options.output_dir(), Holder::Serve)?,
            };
            let staging = Staging::with_lock(lock)?;
            for (file, bytes) in &writes {
                staging.write(file, bytes)?;
            }
            self.output = Some(staging.commit_live()?);
        } else if let Some(output) = &self.output {
            for (file, bytes) in &writes {
                output.write(file, bytes)?;
            }
            for file in &removed {
                output.remove(file)?;
            }
        }
        if let Some(output) = &self.output {
            for (file, _) in &writes {
                if let Some(w) = written.get_mut(*file) {
                    w.stamp = Stamp::of(&output.target().join(file));
                }
            }
        }
        self.written = written;

        Ok(Rebuilt {
            rendered,
            written: writes.iter().map(|(f, _)| f.to_path_buf()).collect(),
            removed,
            routes: manifest
                .entries
                .iter()
                .filter(|e| matches!(e.source, Source::Page(_)))
                .count(),
            counts: crate::cmd::Counts::of(&site, &manifest),
            elapsed: started.elapsed(),
        })
    }
}

impl LiveSite {
    /// The output still holds every file as this server wrote it.
    fn output_intact(&self, output: &LiveOutput) -> bool {
        let target = output.target();
        target.is_dir()
            && self
                .written
                .par_iter()
                .all(|(file, w)| w.stamp.is_some() && Stamp::of(&target.join(file)) == w.stamp)
    }
}

/// The content with the changed files read again, when every change is to a file that was
/// there before and still is (the usual save): no folder needs to be walked. `None` when the
/// layout may have changed.
fn reread(layout: Option<&Content>, changes: &Changes, root: &Path) -> Option<Content> {
    if changes.everything {
        return None;
    }
    let mut content = layout?.clone();
    let content_dir = root.join("content");
    for path in changes.paths.iter().filter(|p| p.starts_with(&content_dir)) {
        if !path.is_file() {
            return None;
        }
        let is_asset = content
            .posts
            .iter()
            .any(|p| p.assets.iter().any(|a| a.source == *path));
        if is_asset {
            continue;
        }
        let shown = display_path(root, path);
        let file = content
            .posts
            .iter_mut()
            .map(|p| &mut p.file)
            .chain(content.pages.iter_mut())
            .chain(content.series.iter_mut())
            .find(|f| f.path == shown)?;
        *file = content::read_source(root, path).ok()?;
    }
    Some(content)
}

/// Writes `bytes` unless the file already holds them.
fn step(
    old: Option<&Written>,
    fingerprint: Option<u128>,
    copied: Option<(PathBuf, u64, Option<SystemTime>)>,
    bytes: Vec<u8>,
) -> Step {
    let w = Written {
        fingerprint,
        hash: hash_bytes(&bytes),
        copied,
        stamp: old.and_then(|o| o.stamp),
    };
    if old.is_some_and(|o| o.hash == w.hash) {
        Step::Keep(w)
    } else {
        Step::Write(w, bytes)
    }
}

/// Copies a file unless its size and modification time are those it had when last copied.
fn copy_step(old: Option<&Written>, from: &Path) -> Step {
    let meta = std::fs::metadata(from).ok();
    let signature = (
        from.to_path_buf(),
        meta.as_ref().map_or(0, std::fs::Metadata::len),
        meta.and_then(|m| m.modified().ok()),
    );
    if let Some(old) = old
        && old.copied.as_ref() == Some(&signature)
    {
        return Step::Keep(old.clone());
    }
    match std::fs::read(from) {
        Ok(bytes) => step(old, None, Some(signature), bytes),
        Err(source) => Step::Fail(BuildError::Output(OutputError::Io {
            action: "read",
            path: from.to_path_buf(),
            in_place: true,
            source,
        })),
    }
}
