//! Work done on single documents, kept between rebuilds: the checked front matter, the
//! outline of the Markdown body and, for a post, the finished post, by file path and text. A
//! file whose text did not change is neither parsed nor rendered again. Both results depend on
//! the configuration too, so the owner names the configuration in use and a new one empties
//! the cache. `serve` keeps it in memory; a build reads and writes it as bytes
//! ([`record`]: the documents and outlines with nothing to report, in
//! `.playpress-cache/documents-v1`).

pub(crate) mod record;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::content::Asset;
use crate::markdown::Outline;
use crate::model::post::{Document, Kind, Post};

/// A checked document (or its errors) and the warnings found while checking it.
pub(crate) type Parsed = (Result<Document, Vec<Diagnostic>>, Vec<Diagnostic>);

/// A rendered body and the warnings found while rendering it.
pub(crate) type Body = (Arc<Outline>, Vec<Diagnostic>);

/// The key of a file's entry: a hash of its kind and path (cheaper to look up than the
/// `Path`, which hashes component by component).
pub(crate) fn key(kind: Kind, path: &Path) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&[kind as u8]);
    hasher.update(path.as_os_str().as_encoded_bytes());
    hasher.digest128()
}

#[derive(Debug, Clone)]
struct Entry {
    /// The file text, when this process read it, and a hash of it (for an entry read back
    /// from bytes, the only trace of the text), and the name its slug and date may come from:
    /// the key of the results.
    text: Option<Arc<str>>,
    text_hash: u128,
    name: String,
    parsed: Parsed,
    body: Option<Body>,
    /// The finished post, made with these assets.
    post: Option<(Vec<Asset>, Arc<Post>)>,
}

/// Parsed and rendered documents of one configuration.
#[derive(Debug, Default)]
pub(crate) struct DocumentCache {
    config_key: String,
    /// A hash of the components and their arguments the bodies were checked against.
    components_key: u128,
    /// By [`key`] of the kind and path.
    entries: HashMap<u128, Entry>,
    /// Keep nothing: a one-off build reuses no document.
    disabled: bool,
    /// Something was kept or forgotten since the cache was made or read: worth writing again.
    changed: bool,
    counts: Counts,
    /// The warning that the bytes this cache was to be read from were damaged.
    damage: Option<Diagnostic>,
}

/// What resolving did with documents: checked (front matter), outlined (Markdown bodies),
/// and taken checked from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub checked: usize,
    pub outlined: usize,
    pub reused: usize,
}

impl DocumentCache {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A cache that keeps nothing, for a one-off build.
    pub(crate) fn disabled() -> Self {
        Self {
            disabled: true,
            ..Self::default()
        }
    }

    /// Whether results are kept at all: when not, callers need not copy them to store.
    pub(crate) fn keeps_documents(&self) -> bool {
        !self.disabled
    }

    /// Names the configuration the next results are made with (e.g. the text of the config
    /// file). Another configuration than before empties the cache.
    /// Forgets every document when the components there are (or their arguments) changed:
    /// the calls in bodies were checked against them.
    pub(crate) fn use_components(&mut self, specs: &crate::load::components::Specs) {
        let key = xxhash_rust::xxh3::xxh3_128(format!("{specs:?}").as_bytes());
        if self.components_key != key {
            self.forget_all();
            self.components_key = key;
        }
    }

    pub(crate) fn use_config(&mut self, key: &str) {
        if self.config_key != key {
            self.forget_all();
            self.config_key = key.to_string();
        }
    }

    fn forget_all(&mut self) {
        self.changed |= !self.entries.is_empty();
        self.entries.clear();
    }

    /// Notes that the bytes of this cache were damaged (`warning` says so): nothing was read
    /// from them, and the cache is worth writing again.
    pub(crate) fn damaged(&mut self, warning: Diagnostic) {
        self.changed = true;
        self.damage = Some(warning);
    }

    /// The warning that the bytes of this cache were damaged, once.
    pub(crate) fn take_damage(&mut self) -> Option<Diagnostic> {
        self.damage.take()
    }

    /// What resolving has done with documents so far.
    pub(crate) fn counts(&self) -> Counts {
        self.counts
    }

    /// Counts documents checked and taken from the cache, and bodies outlined.
    pub(crate) fn count(&mut self, checked: usize, reused: usize, outlined: usize) {
        self.counts.checked += checked;
        self.counts.reused += reused;
        self.counts.outlined += outlined;
    }

    /// Whether anything was kept or forgotten since the cache was made or read.
    pub(crate) fn changed(&self) -> bool {
        self.changed
    }

    /// The entry of this exact file; `hash`, when known, is the hash of `text`.
    fn entry(
        &self,
        (kind, path): (Kind, &Path),
        text: &Arc<str>,
        hash: Option<u128>,
        name: &str,
    ) -> Option<&Entry> {
        self.entries.get(&key(kind, path)).filter(|e| {
            let same = match &e.text {
                Some(kept) => Arc::ptr_eq(kept, text) || kept == text,
                None => {
                    hash.unwrap_or_else(|| xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
                        == e.text_hash
                }
            };
            same && e.name == name
        })
    }

    /// The checked document of this exact file, if it was checked before.
    pub(crate) fn parsed(
        &self,
        kind: Kind,
        path: &Path,
        text: &Arc<str>,
        name: &str,
    ) -> Option<Parsed> {
        let entry = self.entry((kind, path), text, None, name)?;
        let (mut result, warnings) = entry.parsed.clone();
        if entry.text.is_none()
            && let Ok(doc) = &mut result
        {
            record::attach_text(doc, text);
        }
        Some((result, warnings))
    }

    /// The rendered body of this exact file, if it was rendered before. `hash`, when known,
    /// is the hash of `text` (a document's, when its text is the file's).
    pub(crate) fn body(
        &self,
        (kind, path): (Kind, &Path),
        text: &Arc<str>,
        hash: Option<u128>,
        name: &str,
    ) -> Option<&Body> {
        self.entry((kind, path), text, hash, name)
            .and_then(|e| e.body.as_ref())
    }

    /// Keeps the checked document of a file (forgetting an older body).
    pub(crate) fn store_parsed(
        &mut self,
        kind: Kind,
        path: &Path,
        text: &Arc<str>,
        name: &str,
        parsed: Parsed,
    ) {
        if self.disabled {
            return;
        }
        let text_hash = match &parsed.0 {
            // Made once already, when the text is the file's.
            Ok(doc) if doc.written.is_none() => doc.text_hash,
            _ => xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
        };
        self.changed = true;
        self.entries.insert(
            key(kind, path),
            Entry {
                text: Some(text.clone()),
                text_hash,
                name: name.to_string(),
                parsed,
                body: None,
                post: None,
            },
        );
    }

    /// Keeps the outlined body of a file whose checked document is kept (forgetting an older
    /// post).
    pub(crate) fn store_body(&mut self, kind: Kind, path: &Path, body: Body) {
        if let Some(entry) = self.entries.get_mut(&key(kind, path)) {
            entry.body = Some(body);
            entry.post = None;
            self.changed = true;
        }
    }

    /// The finished post of this exact file with these assets, if it was finished before,
    /// with every warning found making it.
    pub(crate) fn post(
        &self,
        path: &Path,
        text: &Arc<str>,
        name: &str,
        assets: &[Asset],
    ) -> Option<(Arc<Post>, Vec<Diagnostic>)> {
        let entry = self.entry((Kind::Post, path), text, None, name)?;
        let (kept_assets, post) = entry.post.as_ref()?;
        if kept_assets != assets {
            return None;
        }
        let mut warnings = entry.parsed.1.clone();
        warnings.extend(
            entry
                .body
                .as_ref()
                .map_or(&[][..], |b| &b.1[..])
                .iter()
                .cloned(),
        );
        Some((Arc::clone(post), warnings))
    }

    /// Keeps the finished post of a file whose body is kept.
    pub(crate) fn store_post(&mut self, path: &Path, post: Arc<Post>) {
        if let Some(entry) = self.entries.get_mut(&key(Kind::Post, path)) {
            entry.post = Some((post.assets.clone(), post));
        }
    }

    /// Forgets every file not in `keep`.
    pub(crate) fn retain(&mut self, keep: &HashSet<u128>) {
        let before = self.entries.len();
        self.entries.retain(|key, _| keep.contains(key));
        self.changed |= self.entries.len() != before;
    }
}
