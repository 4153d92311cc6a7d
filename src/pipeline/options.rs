//! What a command builds and where: the options `build`, `serve` and `check` share, and what
//! follows from them alone (the config with overrides, the highlighter, the selection).

use std::path::PathBuf;

use crate::load::config::Config;
use crate::load::url::BaseUrl;
use crate::markdown::code_cache::CodeCache;
use crate::markdown::highlight::Highlighter;
use crate::model::site::Selection;
use crate::pipeline::BuildError;

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
    /// Neither read nor write the caches (`.playpress-cache/`).
    pub no_cache: bool,
    /// Let the build replace an output folder playpress did not write, deleting what it
    /// holds (a `.git` in it aside): `--output-overwrite`.
    pub output_overwrite: bool,
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
            output_overwrite: false,
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

    /// What makes the variants of pictures: with the site's cache unless `--no-cache`.
    pub(crate) fn picture_maker(&self) -> crate::picture::maker::Maker {
        if self.no_cache {
            crate::picture::maker::Maker::without_cache()
        } else {
            let cache = self.root.join(crate::markdown::code_cache::CACHE_DIR);
            crate::picture::maker::Maker::open(&cache)
        }
    }

    /// Where the last search index is kept: the site's cache unless `--no-cache`.
    pub(crate) fn index_store(&self) -> crate::search::IndexStore {
        if self.no_cache {
            crate::search::IndexStore::none()
        } else {
            crate::search::IndexStore::open(&self.root.join(crate::markdown::code_cache::CACHE_DIR))
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
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
