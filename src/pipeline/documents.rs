//! The documents a build keeps for the next (`.playpress-cache/documents-v1`): each post's
//! checked front matter and outline, read before resolving so that a file whose text did not
//! change is neither parsed nor outlined again, and written (when they changed) while a
//! build swaps its output in. `--no-cache` neither reads nor writes them; `check` only reads them.
//! The file is sealed (`seal.rs`): damaged, it is not used, and the build says so once.

use std::path::{Path, PathBuf};

use crate::load::config::Config;
use crate::load::kept::{self, Kept};
use crate::load::theme::Theme;
use crate::model::cache::DocumentCache;
use crate::pipeline::BuildOptions;

/// The file, relative to the site root.
const FILE: &str = "documents-v1";

/// Where the documents are kept, unless `--no-cache`.
fn file(options: &BuildOptions) -> Option<PathBuf> {
    (!options.no_cache).then(|| options.root.join(crate::seal::CACHE_DIR).join(FILE))
}

/// The documents the last build kept, when they were made with this program, this
/// configuration and these components; an empty cache otherwise, or a disabled one with
/// `--no-cache`.
pub(crate) fn kept(options: &BuildOptions, config: &Config, theme: &Theme) -> DocumentCache {
    let Some(path) = file(options) else {
        return DocumentCache::disabled();
    };
    let mut cache = DocumentCache::new();
    cache.use_config(&config_key(config));
    cache.use_components(&theme.components);
    match kept::read(&path) {
        Kept::Whole(bytes) => cache.decode(&bytes, &kept::program()),
        Kept::Damaged => {
            let shown = Path::new(crate::seal::CACHE_DIR).join(FILE);
            cache.damaged(crate::seal::damaged_file(&shown));
            cache
        }
        // Nothing kept: the first document checked makes the cache worth writing.
        Kept::Nothing => cache,
    }
}

/// Writes the documents for the next build when they changed, then lets them go. Only a
/// cache: a failure to write it does not fail the build.
pub(crate) fn keep(options: &BuildOptions, cache: DocumentCache) {
    if let Some(path) = file(options)
        && cache.keeps_documents()
        && cache.changed()
    {
        let parts = cache.encode_parts(&kept::program());
        drop(cache);
        let mut parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let head = crate::seal::head(&parts);
        parts.insert(0, &head);
        let _ = crate::write::keep_cache(&path, &parts);
    }
}

/// A text that is the same exactly when the configuration is: everything documents are
/// checked and outlined with (the file's text, overrides from the command line, the
/// language's settings).
fn config_key(config: &Config) -> String {
    let debug = format!("{config:?}");
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(debug.as_bytes()))
}
