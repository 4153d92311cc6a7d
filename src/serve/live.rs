//! The site kept in memory while serving, rebuilt after each change through the one
//! pipeline (load -> resolve -> plan -> render into the served output), with as little work
//! as the change needs:
//!
//! - only files the watcher reported are read again (the folders are still walked, so added
//!   and removed files are found, unless every change is to a file that was there before);
//! - a file whose text did not change is neither parsed nor outlined again
//!   ([`DocumentCache`]); code blocks come from the site's code cache, or from memory when
//!   this server highlighted them;
//! - a page is rendered only when its fingerprint (templates, `site` context and its own
//!   context) differs from that of the file in the output, which the output itself records
//!   ([`LiveOutput`]): an edit to one post renders that post and the pages that show
//!   something of it, with no list of dependencies to keep up to date; the first rebuild
//!   starts from what the last `build` left, so an unchanged site writes nothing;
//! - files no longer produced are removed.
//!
//! The output is the same, byte for byte, as a full build's. A failed rebuild writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Severity, display_path};
use crate::load::config::{CONFIG_FILE, HighlightConfig};
use crate::load::content::{self, Content, SourceFile};
use crate::load::theme::{self, Theme};
use crate::markdown::code_cache::CodeCache;
use crate::markdown::highlight::{self, Highlighter};
use crate::model::cache::DocumentCache;
use crate::pipeline::search::{IndexOutcome, IndexWhen};
use crate::pipeline::{self, BuildError, BuildOptions};
use crate::render::Renderer;
use crate::write::LiveOutput;

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
    pub counts: crate::pipeline::Counts,
    /// The search index was made, holding this many pages.
    pub indexed: Option<usize>,
    /// Files linked by a hashed name (`asset_url`) whose name changed: old file, new file.
    pub renamed: Vec<(PathBuf, PathBuf)>,
    /// Every source that changed is a stylesheet: pages changed only in the names of the
    /// stylesheets they link.
    pub stylesheet_sources: bool,
    pub elapsed: Duration,
}

impl Rebuilt {
    /// Only stylesheets changed: every changed file is one, or only stylesheets were edited
    /// and the pages changed in the hashed names they link them by. Browsers can swap them
    /// without reloading.
    pub fn only_stylesheets(&self) -> bool {
        let mut changed = self.written.iter().chain(&self.removed).peekable();
        let renamed = self.stylesheet_sources
            && !self.renamed.is_empty()
            && self.renamed.iter().all(|(old, _)| is_css(old));
        changed.peek().is_some() && (renamed || changed.all(|f| is_css(f)))
    }
}

/// The served output, opened on the first rebuild.
fn open_output<'o>(
    slot: &'o mut Option<LiveOutput>,
    options: &BuildOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<&'o mut LiveOutput, BuildError> {
    if slot.is_none() {
        let output = options.output_dir();
        let (live, removed) = LiveOutput::open(&options.root, &output, options.output_overwrite)?;
        if !removed.is_empty() {
            warnings.push(crate::write::foreign_warning(&output, &removed));
        }
        *slot = Some(live);
    }
    slot.as_mut().ok_or_else(|| {
        BuildError::Output(crate::write::OutputError::Refused {
            path: options.output_dir(),
            reason: "the output could not be opened",
        })
    })
}

/// The files whose hashed name in `after` is not the one in `before`: old, new.
fn renamed(
    before: &crate::load::assets::Assets,
    after: &crate::load::assets::Assets,
) -> Vec<(PathBuf, PathBuf)> {
    after
        .fingerprinted()
        .filter_map(|(plain, new)| {
            let old = before.published(plain)?;
            (old != new).then(|| (PathBuf::from(old), PathBuf::from(new)))
        })
        .collect()
}

fn is_css(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "css")
}

/// The loaded config and what comes from it alone.
struct Loaded {
    config: crate::load::config::Config,
    highlight_css: String,
}

/// A site being served: everything needed to rebuild it quickly.
pub struct LiveSite {
    options: BuildOptions,
    highlighter: Highlighter,
    cache: DocumentCache,
    /// The size of each picture, with the stamp of its file when read.
    picture_sizes: crate::load::pictures::Known,
    config: Option<Loaded>,
    theme: Option<Theme>,
    /// The content as last loaded, updated in place when only files it has changed.
    content: Option<Content>,
    /// The last load met no problem: its folders need not be walked again.
    whole: bool,
    output: Option<LiveOutput>,
    /// The last rebuild left the search index out of date (see [`LiveSite::index_if_due`]).
    index_due: bool,
}

impl LiveSite {
    /// `options.root` should be absolute, like the paths the watcher reports.
    pub fn new(options: BuildOptions) -> Self {
        Self {
            highlighter: serving_highlighter(&options, &HighlightConfig::default()),
            options,
            cache: DocumentCache::new(),
            picture_sizes: Default::default(),
            config: None,
            theme: None,
            content: None,
            whole: false,
            output: None,
            index_due: false,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The base path of the site as last loaded (`/` or `/blog/`).
    pub fn base_path(&self) -> Option<&str> {
        self.config.as_ref().map(|l| l.config.base_url.root())
    }

    /// How many code blocks this server has highlighted (not taken from a cache) so far.
    pub fn highlighted_blocks(&self) -> u64 {
        self.highlighter.stats().2
    }

    /// Records what the output holds in its manifest (when a rebuild changed it), so a
    /// build or server after this one trusts it; a server calls it when it is idle. A
    /// failure only means the next build checks every file.
    pub fn settle(&mut self) {
        if let Some(output) = self.output.as_mut() {
            let _ = output.list();
        }
    }

    /// Brings the output up to date with `changes`. Warnings come back either way; on error
    /// the output is left as it was.
    pub fn rebuild(&mut self, changes: &Changes) -> (Vec<Diagnostic>, Result<Rebuilt, BuildError>) {
        let mut warnings = Vec::new();
        let result = self.try_rebuild(changes, false, &mut warnings);
        (warnings, result)
    }

    /// Makes the search index again when a rebuild left it out of date (a page it holds
    /// changed): a pass with nothing changed that only renders what the index holds. A
    /// server calls it when idle. `None` when the index is as it must be.
    pub fn index_if_due(&mut self) -> Option<(Vec<Diagnostic>, Result<Rebuilt, BuildError>)> {
        if !self.index_due {
            return None;
        }
        let mut warnings = Vec::new();
        let result = self.try_rebuild(&Changes::default(), true, &mut warnings);
        if result.is_err() {
            // Tried once: the next rebuild tries again.
            self.index_due = false;
        }
        Some((warnings, result))
    }

    fn try_rebuild(
        &mut self,
        changes: &Changes,
        index_now: bool,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let first = self.output.is_none();
        let changes = if first {
            &Changes::everything()
        } else {
            changes
        };
        let assets_before = self.theme.as_ref().map(|t| t.assets.clone());
        let (config, problems) = self.load(changes)?;
        let (Some(loaded), Some(theme), Some(content)) = (
            self.config.as_ref(),
            self.theme.as_ref(),
            self.content.as_ref(),
        ) else {
            return Err(BuildError::Output(crate::write::OutputError::Refused {
                path: self.options.root.clone(),
                reason: "the site could not be loaded",
            }));
        };
        // A picture's header is read again only when its file changed.
        let pictures = self
            .picture_sizes
            .read(pipeline::picture_files(theme, content));
        let (site, manifest) = pipeline::resolve(
            &self.options.root,
            config,
            content,
            problems,
            (theme, &loaded.highlight_css, &pictures),
            &self.highlighter,
            &mut self.cache,
            self.options.selection(),
            warnings,
        )?;
        warnings.extend(manifest.missing_images(&site, Severity::Warning));
        let output = open_output(&mut self.output, &self.options, warnings)?;
        // Variants made here go into the cache too (never pruned: a server keeps no count).
        let maker = self.options.picture_maker();
        let renderer = Renderer::new(&site, theme, &self.highlighter).with_pictures(&maker);
        // The first build makes the index; later ones leave it to `index_if_due`, so that an
        // edit is served without waiting for the index (the old one is served meanwhile).
        let when = IndexWhen::now_if(first || index_now);
        let (rendered, index) = pipeline::search::render_with_index(
            &renderer,
            &manifest,
            &self.highlighter,
            (&*output, when, &self.options.index_store().read_only()),
        )?;
        let removed = output.commit()?;
        self.index_due = index == IndexOutcome::Due;
        Ok(Rebuilt {
            rendered: (rendered.routes.iter())
                .map(|&(lang, r)| site.language(lang).path(r))
                .collect(),
            written: rendered.written,
            removed,
            routes: manifest
                .entries
                .iter()
                .filter(|e| matches!(e.source, pipeline::Source::Page(..)))
                .count(),
            counts: crate::pipeline::Counts::of(&site, &manifest),
            indexed: index.made(),
            renamed: assets_before
                .map(|before| renamed(&before, &theme.assets))
                .unwrap_or_default(),
            stylesheet_sources: !changes.everything && changes.paths.iter().all(|p| is_css(p)),
            elapsed: started.elapsed(),
        })
    }
}

impl LiveSite {
    /// Loads the config and the theme again when `changes` may have changed them.
    fn load_settings(&mut self, changes: &Changes) -> Result<(), BuildError> {
        let root = &self.options.root;
        let mut reload = false;
        if self.config.is_none() || changes.touches(&root.join(CONFIG_FILE)) {
            reload = true;
            self.config = None;
            let (config, config_key) = self.options.load_config_keyed()?;
            let highlight_css = highlight::stylesheet(&config.highlight)?;
            self.cache.use_config(&config_key);
            if self.highlighter.themes() != &config.highlight {
                // Classes depend on the themes: blocks highlighted for others do not fit.
                self.highlighter = serving_highlighter(&self.options, &config.highlight);
            }
            self.config = Some(Loaded {
                config,
                highlight_css,
            });
        }
        if self.theme.is_none()
            || changes.touches(&root.join("templates"))
            || changes.touches(&root.join("static"))
            || changes.touches(&root.join(crate::load::strings::FOLDER))
        {
            reload = true;
            self.theme = None;
            let theme = theme::load(root)?;
            self.cache.use_components(&theme.components);
            self.theme = Some(theme);
        }
        // Hashed names as a build gives them (`style.3f2a1c9e.css`), made again whenever the
        // theme or the config is: a stylesheet's file may have changed.
        if let (Some(theme), Some(loaded), true) =
            (self.theme.as_mut(), self.config.as_ref(), reload)
        {
            let named = (&theme.named_assets, loaded.highlight_css.as_str());
            let assets = crate::load::assets::Assets::load(&theme.static_files, named, true)?;
            theme.use_assets(assets, &loaded.config.base_url);
        }
        Ok(())
    }
}

impl LiveSite {
    /// Loads what `changes` may have changed: the config, the theme, the content files named
    /// (the others are kept from the last load). Returns the config and the problems met
    /// reading the content.
    fn load(
        &mut self,
        changes: &Changes,
    ) -> Result<(crate::load::config::Config, Vec<Diagnostic>), BuildError> {
        let root = self.options.root.clone();
        self.load_settings(changes)?;
        let mut problems = Vec::new();
        let in_place = self.whole
            && !changes.everything
            && self
                .content
                .as_mut()
                .is_some_and(|content| reread(content, changes, &root));
        if !in_place {
            // Walk the folders, taking the text of every file not reported changed from the
            // last load (the texts are shared, not copied).
            let last: HashMap<PathBuf, SourceFile> = self
                .content
                .take()
                .map(|c| {
                    let Content {
                        posts,
                        pages,
                        series,
                        ..
                    } = c;
                    posts
                        .into_iter()
                        .map(|p| p.file)
                        .chain(pages)
                        .chain(series)
                        .map(|f| (f.path.clone(), f))
                        .collect()
                })
                .unwrap_or_default();
            let reuse = |path: &Path| -> Option<SourceFile> {
                if changes.invalidates(path) {
                    None
                } else {
                    last.get(&display_path(&root, path)).cloned()
                }
            };
            let languages =
                (self.config.as_ref()).map_or_else(Vec::new, |c| c.config.language_suffixes());
            self.content = Some(content::load_reusing(
                &root,
                &languages,
                &mut problems,
                &reuse,
            ));
        }
        self.whole = problems.is_empty();
        let config = self
            .config
            .as_ref()
            .map(|l| l.config.clone())
            .ok_or_else(|| {
                BuildError::Output(crate::write::OutputError::Refused {
                    path: root.clone(),
                    reason: "the site could not be loaded",
                })
            })?;
        Ok((config, problems))
    }
}

/// The highlighter of a server: the site's code cache, read but never written (a server
/// runs until stopped), and in memory the blocks it highlights itself.
fn serving_highlighter(options: &BuildOptions, themes: &HighlightConfig) -> Highlighter {
    if options.no_cache {
        Highlighter::remembering(themes)
    } else {
        Highlighter::serving(CodeCache::open_read_only(&options.root), themes)
    }
}

/// Reads again, in `content`, the files `changes` names, when every change is to a file that
/// was there before and still is (the usual save): no folder needs to be walked. False when
/// the layout may have changed (`content` may then hold some of the new texts).
fn reread(content: &mut Content, changes: &Changes, root: &Path) -> bool {
    let content_dir = root.join("content");
    for path in changes.paths.iter().filter(|p| p.starts_with(&content_dir)) {
        if !path.is_file() {
            return false;
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
            .find(|f| f.path == shown);
        match (file, content::read_source(root, path)) {
            (Some(file), Ok(read)) => *file = read,
            _ => return false,
        }
    }
    true
}
