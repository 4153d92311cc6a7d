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
use crate::search::{self, Indexer};

/// What the index was made from besides the pages: Pagefind's version and how it is called.
const INDEX_INPUTS: &str = "pagefind 1.6, default options";

/// Renders the plan into `sink` and, when the site has `search: true`, makes the search
/// index (or keeps the one the sink has, when no page it holds changed). Returns what was
/// rendered and how many pages the index holds (`None`: no search, or the index was kept).
pub(crate) fn render_with_index(
    renderer: &Renderer<'_>,
    manifest: &Manifest,
    highlighter: &Highlighter,
    sink: &dyn Sink,
) -> Result<(Rendered, Option<usize>), BuildError> {
    if !renderer.site().config.search {
        return Ok((render_into(renderer, manifest, highlighter, sink)?, None));
    }
    let fingerprints: Vec<Option<u128>> = manifest
        .entries
        .par_iter()
        .map(|entry| match entry.source {
            Source::Page(route) => Some(renderer.fingerprint(route)),
            Source::Generated(_) | Source::Embedded(_) | Source::Copy(_) | Source::SearchIndex => {
                None
            }
        })
        .collect();
    let key = index_key(renderer, manifest, &fingerprints);
    let folder = Path::new(search::FOLDER);
    if sink.keeps_folder(folder, key) {
        let known = Indexing {
            indexer: None,
            fingerprints: &fingerprints,
        };
        let rendered = render_entries(renderer, manifest, highlighter, sink, Some(&known))?;
        return Ok((rendered, None));
    }
    let indexer = Indexer::start()?;
    let indexing = Indexing {
        indexer: Some(&indexer),
        fingerprints: &fingerprints,
    };
    let rendered = render_entries(renderer, manifest, highlighter, sink, Some(&indexing))?;
    let index = indexer.finish()?;
    for (name, bytes) in &index.files {
        let entry = Entry {
            file: PathBuf::from(search::FOLDER).join(name),
            source: Source::SearchIndex,
        };
        sink.put(&entry, bytes, key)?;
    }
    Ok((rendered, Some(index.pages)))
}

/// What the index is made from: the fingerprint of every page it holds, in the plan's order.
fn index_key(renderer: &Renderer<'_>, manifest: &Manifest, prints: &[Option<u128>]) -> u128 {
    let mut bytes = INDEX_INPUTS.as_bytes().to_vec();
    for (entry, print) in manifest.entries.iter().zip(prints) {
        if let (Source::Page(route), Some(print)) = (&entry.source, print)
            && renderer.indexed_url(*route).is_some()
        {
            bytes.extend_from_slice(&print.to_le_bytes());
        }
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}
