//! Makes the variants a build needs and keeps each in `.playpress-cache/pictures/`, named by a
//! hash of the picture's bytes and the variant's settings: a build into an empty output finds
//! them there, and a picture changed back and forth is not resized again. A build that made
//! or took every variant removes the ones it did not use. Safe to delete; a file of it that
//! cannot be read or written is made again or not kept (it is only a cache). Each file is
//! sealed (`seal.rs`): one cut short or changed is not copied out but made again, and the
//! build says once how many there were ([`Maker::damage`]).
//!
//! The hash of each picture's bytes comes from `sources.rs`.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::resize::{self, Decoded};
use super::sources::{self, Sources};
use super::{Format, Variant};
use crate::diagnostic::Diagnostic;
use crate::load::kept::{self, Kept};

/// The folder of the cache, in the site's `.playpress-cache/`.
const FOLDER: &str = "pictures";

/// Changes when the way variants are made does, so that old ones are not taken.
pub(crate) const VERSION: u32 = 2;

/// How many decoded pictures are kept for the next variant of the same one (each variant of
/// a picture is an entry of the plan, the entries of one picture side by side).
const RECENT: usize = 8;

/// A picture decoded once, by whichever thread wants it first.
type Decoding = OnceLock<Result<Arc<Decoded>, String>>;

/// Why a variant could not be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum VariantError {
    #[error("it cannot be read ({0})")]
    Read(std::io::Error),
    #[error("it cannot be decoded ({0})")]
    Decode(String),
}

/// What made variants; counted for `build --timings`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MadeCounts {
    /// Variants resized and encoded.
    pub made: usize,
    /// Variants taken from the cache.
    pub reused: usize,
    /// Pictures decoded.
    pub decoded: usize,
    /// Pictures read to hash their bytes (new ones, or their size or time changed).
    pub read: usize,
    /// Time spent decoding, resizing and encoding, on all threads.
    pub cpu: std::time::Duration,
}

/// Makes variants, with or without a cache.
#[derive(Debug)]
pub(crate) struct Maker {
    /// The cache folder; none: no cache.
    dir: Option<PathBuf>,
    /// Names this build's temporary files apart from those of other builds.
    token: String,
    /// The last pictures decoded (or being decoded), by the hash of their bytes.
    recent: Mutex<Vec<(u128, Arc<Decoding>)>>,
    /// The cache's files this build made or took.
    used: Mutex<HashSet<String>>,
    /// The cache's files this build found damaged.
    damaged: Mutex<HashSet<String>>,
    /// The hash of each picture's bytes.
    sources: Sources,
    made: AtomicUsize,
    reused: AtomicUsize,
    decoded: AtomicUsize,
    cpu_ns: AtomicU64,
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Decoded")
    }
}

impl Maker {
    /// A maker with the site's cache folder `cache` (`.playpress-cache`; none when it is a
    /// link: nothing is written out of the site).
    pub(crate) fn open(cache: &Path) -> Self {
        let linked = fs::symlink_metadata(cache).is_ok_and(|m| m.file_type().is_symlink());
        match linked {
            true => Self::new(None, None),
            false => Self::new(Some(cache.join(FOLDER)), Some(cache.join(sources::FILE))),
        }
    }

    /// A maker without a cache (`--no-cache`).
    pub(crate) fn without_cache() -> Self {
        Self::new(None, None)
    }

    fn new(dir: Option<PathBuf>, sources_file: Option<PathBuf>) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            dir,
            token: format!("{}-{nanos}", std::process::id()),
            recent: Mutex::new(Vec::new()),
            used: Mutex::new(HashSet::new()),
            damaged: Mutex::new(HashSet::new()),
            sources: Sources::open(sources_file),
            made: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            decoded: AtomicUsize::new(0),
            cpu_ns: AtomicU64::new(0),
        }
    }

    /// The bytes of `variant`: from the cache, or made (and kept in the cache).
    /// `stamp` is the hash of the picture's path, size and time (when it is a file: see
    /// `write::source_fingerprint`), which the hash of its bytes is kept by.
    pub(crate) fn bytes(
        &self,
        variant: &Variant,
        stamp: Option<u128>,
    ) -> Result<Vec<u8>, VariantError> {
        let (content, read) = self
            .sources
            .content(&variant.from, stamp)
            .map_err(VariantError::Read)?;
        let name = cache_name(content, variant);
        let lock = |m: &Mutex<HashSet<String>>| {
            m.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(name.clone());
        };
        if let Some(dir) = &self.dir {
            match kept::read(&dir.join(&name)) {
                Kept::Whole(bytes) => {
                    self.reused.fetch_add(1, Ordering::Relaxed);
                    lock(&self.used);
                    return Ok(bytes.into_vec());
                }
                Kept::Damaged => lock(&self.damaged),
                Kept::Nothing => {}
            }
        }
        let picture = match read {
            Some(picture) => picture,
            None => fs::read(&variant.from).map_err(VariantError::Read)?,
        };
        let started = std::time::Instant::now();
        let decoded = self.decoded(content, &picture)?;
        let bytes = resize::make(&decoded, variant).map_err(VariantError::Decode)?;
        let ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.cpu_ns.fetch_add(ns, Ordering::Relaxed);
        self.made.fetch_add(1, Ordering::Relaxed);
        if let Some(dir) = &self.dir
            && self.keep(dir, &name, &bytes).is_ok()
        {
            lock(&self.used);
        }
        Ok(bytes)
    }

    /// The picture whose bytes (hashed as `content`) are `picture`, decoded once for all
    /// its variants made one after the other (a second thread that wants it meanwhile waits
    /// for the first).
    fn decoded(&self, content: u128, picture: &[u8]) -> Result<Arc<Decoded>, VariantError> {
        let cell = {
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            match recent.iter().find(|(k, _)| *k == content) {
                Some((_, cell)) => Arc::clone(cell),
                None => {
                    if recent.len() >= RECENT {
                        recent.remove(0);
                    }
                    let cell = Arc::new(OnceLock::new());
                    recent.push((content, Arc::clone(&cell)));
                    cell
                }
            }
        };
        cell.get_or_init(|| {
            self.decoded.fetch_add(1, Ordering::Relaxed);
            resize::decode(picture).map(Arc::new)
        })
        .clone()
        .map_err(VariantError::Decode)
    }

    /// Writes a variant into the cache, in one step (never seen half-written).
    fn keep(&self, dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        if let Some(cache) = dir.parent() {
            let ignore = cache.join(".gitignore");
            if !ignore.exists() {
                fs::write(&ignore, "*\n")?;
            }
        }
        let temp = dir.join(format!("{name}.{}.tmp", self.token));
        let head = crate::seal::head(&[bytes]);
        let written = fs::File::create(&temp)
            .and_then(|mut file| {
                use std::io::Write;
                file.write_all(&head)?;
                file.write_all(bytes)
            })
            .and_then(|()| fs::rename(&temp, dir.join(name)));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }

    /// The warnings that files of the cache were found damaged (and made again), if any:
    /// one for the variants, one for the hashes of the pictures' bytes.
    pub(crate) fn damage(&self) -> Vec<Diagnostic> {
        let cache = Path::new(crate::seal::CACHE_DIR);
        let damaged = self
            .damaged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        let variants = (damaged > 0)
            .then(|| crate::seal::damaged_files(&cache.join(FOLDER), damaged, "pictures"));
        let sources = self
            .sources
            .damaged()
            .then(|| crate::seal::damaged_file(&cache.join(sources::FILE)));
        variants.into_iter().chain(sources).collect()
    }

    /// What this maker did so far.
    pub(crate) fn counts(&self) -> MadeCounts {
        MadeCounts {
            made: self.made.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
            decoded: self.decoded.load(Ordering::Relaxed),
            read: self.sources.read_count(),
            cpu: std::time::Duration::from_nanos(self.cpu_ns.load(Ordering::Relaxed)),
        }
    }

    /// Ends a build: when `prune` (it asked for every variant of the site), the cache's
    /// files it did not use are removed.
    pub(crate) fn finish(self, prune: bool) {
        let _ = self.sources.keep(&self.token, prune);
        let Some(dir) = &self.dir else {
            return;
        };
        if !prune {
            return;
        }
        let used = self
            .used
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let Ok(files) = fs::read_dir(dir) else {
            return;
        };
        for file in files.flatten() {
            let name = file.file_name();
            if !name.to_str().is_some_and(|n| used.contains(n)) {
                let _ = fs::remove_file(file.path());
            }
        }
    }
}

/// The name in the cache of `variant` of the picture whose bytes hash to `content`.
fn cache_name(content: u128, variant: &Variant) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&content.to_le_bytes());
    hasher.update(&VERSION.to_le_bytes());
    hasher.update(&variant.size.width.to_le_bytes());
    hasher.update(&variant.size.height.to_le_bytes());
    hasher.update(&[variant.quality]);
    let extension = match variant.format {
        Format::Png => "png",
        Format::Jpeg => "jpg",
        Format::WebP => "webp",
    };
    format!("{:032x}.{extension}", hasher.digest128())
}
