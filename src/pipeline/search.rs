//! Rendering with the search index: the index is made from the rendered posts and pages in
//! the same pass over the plan, and its files go through the sink like any other. It is made
//! again only when a page it holds changed: a build that keeps every such page keeps the
//! previous index files too.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::{Entry, Manifest, Source};
use super::sink::Sink;
use super::{BuildError, Indexing, Rendered, render_entries, render_into};
use crate::markdown::highlight::Highlighter;
use crate::render::Renderer;
use crate::search::{self, IndexStore, Indexer};

/// What the index was made from besides the pages: Pagefind's version and how it is called.
const INDEX_INPUTS: &str = "pagefind 1.6, default options";

/// When to make the search index again, when a page it holds changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexWhen {
    /// In this pass (`build`, `check`, a server's first build).
    Now,
    /// In a pass of its own, later: the sink keeps the index it has meanwhile (`serve`,
    /// which makes it when idle, so that an edit is shown without waiting for it).
    Later,
}

impl IndexWhen {
    /// `Now` when `now`, else `Later`.
    pub(crate) fn now_if(now: bool) -> Self {
        if now { Self::Now } else { Self::Later }
    }
}

/// What became of the search index in a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexOutcome {
    /// The site has no search.
    Off,
    /// The sink has it as it must be.
    Kept,
    /// Made, holding this many pages.
    Made(usize),
    /// Taken from the store, made before from the same pages (this many).
    Stored(usize),
    /// Out of date, left for a later pass ([`IndexWhen::Later`]).
    Due,
}

impl IndexOutcome {
    /// How many pages the index holds, when it was made in this pass.
    pub(crate) fn made(self) -> Option<usize> {
        match self {
            Self::Made(pages) => Some(pages),
            Self::Off | Self::Kept | Self::Due | Self::Stored(_) => None,
        }
    }

    /// How many pages the index holds, when it was taken from the store in this pass.
    pub(crate) fn stored(self) -> Option<usize> {
        match self {
            Self::Stored(pages) => Some(pages),
            Self::Off | Self::Kept | Self::Due | Self::Made(_) => None,
        }
    }
}

/// Renders the plan into `sink` and, when the site has `search: true`, makes the search
/// index (or keeps the one the sink has, when no page it holds changed; or takes the one
/// `store` kept, made from the same pages; or leaves it for later, as `when` says; a new
/// index goes into `store`). Returns what was rendered and what became of the index.
pub(crate) fn render_with_index(
    renderer: &Renderer<'_>,
    manifest: &Manifest,
    highlighter: &Highlighter,
    (sink, when, store): (&dyn Sink, IndexWhen, &IndexStore),
) -> Result<(Rendered, IndexOutcome), BuildError> {
    if !renderer.site().config.search {
        let rendered = render_into(renderer, manifest, highlighter, sink)?;
        return Ok((rendered, IndexOutcome::Off));
    }
    let folder = Path::new(search::FOLDER);
    // Into an output without an index (a fresh clone, a deleted output), the kept index is
    // read while the pages' fingerprints are worked out on the other threads, not after.
    let early = when == IndexWhen::Now && !sink.may_keep_folder(folder);
    let (fingerprints, loaded) = rayon::join(
        || page_fingerprints(renderer, manifest),
        || early.then(|| store.load()).flatten(),
    );
    let key = index_key(renderer, manifest, &fingerprints);
    let kept = sink.keeps_folder(folder, key);
    if kept || when == IndexWhen::Later {
        if !kept {
            sink.retains_folder(folder);
        }
        let known = Indexing {
            indexer: None,
            fingerprints: &fingerprints,
        };
        let rendered = render_entries(renderer, manifest, highlighter, sink, Some(&known))?;
        let outcome = if kept {
            IndexOutcome::Kept
        } else {
            IndexOutcome::Due
        };
        return Ok((rendered, outcome));
    }
    let stored = match early {
        true => loaded.and_then(|(made_from, index)| (made_from == key).then_some(index)),
        false => store.get(key),
    };
    let (rendered, index, outcome) = match stored {
        Some(index) => {
            let known = Indexing {
                indexer: None,
                fingerprints: &fingerprints,
            };
            let rendered = render_entries(renderer, manifest, highlighter, sink, Some(&known))?;
            let outcome = IndexOutcome::Stored(index.pages);
            (rendered, index, outcome)
        }
        None => {
            let indexer = Indexer::start()?;
            let indexing = Indexing {
                indexer: Some(&indexer),
                fingerprints: &fingerprints,
            };
            let rendered = render_entries(renderer, manifest, highlighter, sink, Some(&indexing))?;
            let index = indexer.finish()?;
            // Only a cache: a build does not fail for want of it.
            let _ = store.put(key, &index);
            let outcome = IndexOutcome::Made(index.pages);
            (rendered, index, outcome)
        }
    };
    // One file a page and more: written on every thread, as the pages are.
    index.files.par_iter().try_for_each(|(name, bytes)| {
        let entry = Entry {
            file: PathBuf::from(search::FOLDER).join(name),
            source: Source::SearchIndex,
        };
        sink.put(&entry, bytes, key).map(|_| ())
    })?;
    Ok((rendered, outcome))
}

/// The fingerprint of every page of the plan (none for other files), in its order.
fn page_fingerprints(renderer: &Renderer<'_>, manifest: &Manifest) -> Vec<Option<u128>> {
    manifest
        .entries
        .par_iter()
        .map(|entry| match entry.source {
            Source::Page(lang, route) => Some(renderer.language(lang).fingerprint(route)),
            Source::Generated(_)
            | Source::Embedded(_)
            | Source::Copy(_)
            | Source::SearchIndex
            | Source::Variant(_) => None,
        })
        .collect()
}

/// What the index is made from: the fingerprint and URL of every page it holds, in the plan's
/// order.
fn index_key(renderer: &Renderer<'_>, manifest: &Manifest, prints: &[Option<u128>]) -> u128 {
    let mut bytes = INDEX_INPUTS.as_bytes().to_vec();
    for (entry, print) in manifest.entries.iter().zip(prints) {
        if let (Source::Page(lang, route), Some(print)) = (&entry.source, print)
            && let Some(url) = renderer.language(*lang).indexed_url(*route)
        {
            bytes.extend_from_slice(&print.to_le_bytes());
            bytes.extend_from_slice(url.as_bytes());
            bytes.push(0);
        }
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}
