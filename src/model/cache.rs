//! Work done on single documents, kept between rebuilds: the checked front matter, the
//! outline of the Markdown body and, for a post, the finished post, by file path and text. A file whose text did not change
//! is neither parsed nor rendered again. Both results depend on the configuration too, so the
//! owner names the configuration in use and a new one empties the cache.

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
    /// The file text and the name its slug and date may come from: the key of the results.
    text: Arc<str>,
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
            self.entries.clear();
            self.components_key = key;
        }
    }

    pub(crate) fn use_config(&mut self, key: &str) {
        if self.config_key != key {
            self.entries.clear();
            self.config_key = key.to_string();
        }
    }

    fn entry(&self, kind: Kind, path: &Path, text: &Arc<str>, name: &str) -> Option<&Entry> {
        self.entries
            .get(&key(kind, path))
            .filter(|e| (Arc::ptr_eq(&e.text, text) || e.text == *text) && e.name == name)
    }

    /// The checked document of this exact file, if it was checked before.
    pub(crate) fn parsed(
        &self,
        kind: Kind,
        path: &Path,
        text: &Arc<str>,
        name: &str,
    ) -> Option<&Parsed> {
        self.entry(kind, path, text, name).map(|e| &e.parsed)
    }

    /// The rendered body of this exact file, if it was rendered before.
    pub(crate) fn body(
        &self,
        kind: Kind,
        path: &Path,
        text: &Arc<str>,
        name: &str,
    ) -> Option<&Body> {
        self.entry(kind, path, text, name)
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
        self.entries.insert(
            key(kind, path),
            Entry {
                text: text.clone(),
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
        let entry = self.entry(Kind::Post, path, text, name)?;
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
        self.entries.retain(|key, _| keep.contains(key));
    }
}
