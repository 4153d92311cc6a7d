//! The hash of each picture's bytes, kept by the picture's path, size and modification time
//! in `.playpress-cache/picture-sources-v1` (the same trust `write/tree.rs` gives the files it
//! copies): the cache of variants is named by that hash, and a build whose variants are all
//! there reads no picture, where it used to read and hash each picture once for every variant.
//! The file is sealed (`seal.rs`): damaged, it is not used (every picture is read again) and
//! the build says so.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::load::kept::{self, Kept};

/// The name of the file, in `.playpress-cache/`.
pub(crate) const FILE: &str = "picture-sources-v1";

/// The first bytes of the file's contents (after the seal's head); then 32 bytes a picture
/// (the hash of its stamp and the hash of its bytes, little-endian), sorted.
const MAGIC: &[u8] = b"playpress picture sources 1\n";

/// What is known of one picture.
#[derive(Default)]
struct Known {
    /// The hash of its bytes; `None` when they could not be read.
    content: OnceLock<Option<u128>>,
    /// Asked for by this build.
    seen: AtomicBool,
}

/// The pictures' hashes: those the last build kept, and those this build read.
#[derive(Default)]
pub(crate) struct Sources {
    file: Option<PathBuf>,
    known: Mutex<HashMap<u128, Arc<Known>>>,
    read: AtomicUsize,
    /// The file was damaged.
    damaged: bool,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Sources {
    /// The hashes kept in `file` (none when it is missing, damaged or not such a file); none
    /// is kept without a file.
    pub(crate) fn open(file: Option<PathBuf>) -> Self {
        let kept = file.as_ref().map_or(Kept::Nothing, |f| kept::read(f));
        let damaged = kept == Kept::Damaged;
        let known = kept.whole().map(|c| decode(&c)).unwrap_or_default();
        Self {
            file,
            known: Mutex::new(known),
            read: AtomicUsize::new(0),
            damaged,
        }
    }

    /// Whether the file was found damaged.
    pub(crate) fn damaged(&self) -> bool {
        self.damaged
    }

    /// The hash of the bytes of the picture at `path`, whose path, size and time hash to
    /// `stamp` (none: not a file, never kept), and its bytes when they were read for it (it is
    /// new to the file, or its size or time changed). Threads asking for the same
    /// picture at once read it once.
    pub(crate) fn content(
        &self,
        path: &Path,
        stamp: Option<u128>,
    ) -> io::Result<(u128, Option<Vec<u8>>)> {
        let Some(stamp) = stamp else {
            return self.read(path).map(|(c, bytes)| (c, Some(bytes)));
        };
        let known = Arc::clone(
            self.known
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(stamp)
                .or_default(),
        );
        known.seen.store(true, Ordering::Relaxed);
        let mut read = None;
        let content = *known.content.get_or_init(|| {
            read = Some(self.read(path));
            read.as_ref().and_then(|r| r.as_ref().ok()).map(|(c, _)| *c)
        });
        match (read, content) {
            (Some(result), _) => result.map(|(c, bytes)| (c, Some(bytes))),
            (None, Some(content)) => Ok((content, None)),
            // Another thread could not read it: so that this one says why.
            (None, None) => self.read(path).map(|(c, bytes)| (c, Some(bytes))),
        }
    }

    fn read(&self, path: &Path) -> io::Result<(u128, Vec<u8>)> {
        let bytes = fs::read(path)?;
        self.read.fetch_add(1, Ordering::Relaxed);
        Ok((xxhash_rust::xxh3::xxh3_128(&bytes), bytes))
    }

    /// How many pictures were read so far.
    pub(crate) fn read_count(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }

    /// Writes the hashes into the file in one step (only those this build asked for, when
    /// `prune`); `token` names the temporary file apart from other builds'.
    pub(crate) fn keep(self, token: &str, prune: bool) -> io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let known = self
            .known
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let pairs: Vec<(u128, u128)> = known
            .iter()
            .filter(|(_, k)| !prune || k.seen.load(Ordering::Relaxed))
            .filter_map(|(stamp, k)| Some((*stamp, (*k.content.get()?)?)))
            .collect();
        if pairs.is_empty() {
            return match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let bytes = crate::seal::sealed(&encode(pairs));
        if fs::read(path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        let temp = path.with_file_name(format!("{FILE}.{token}.tmp"));
        let written = fs::write(&temp, &bytes).and_then(|()| fs::rename(&temp, path));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

/// The bytes of the file for these pairs of a stamp and a content hash.
fn encode(mut pairs: Vec<(u128, u128)>) -> Vec<u8> {
    pairs.sort_unstable();
    let mut bytes = Vec::with_capacity(MAGIC.len() + pairs.len() * 32);
    bytes.extend_from_slice(MAGIC);
    for (stamp, content) in pairs {
        bytes.extend_from_slice(&stamp.to_le_bytes());
        bytes.extend_from_slice(&content.to_le_bytes());
    }
    bytes
}

/// The hashes in the bytes of the file; none when they are not such bytes.
fn decode(bytes: &[u8]) -> HashMap<u128, Arc<Known>> {
    let Some(body) = bytes.strip_prefix(MAGIC).filter(|b| b.len() % 32 == 0) else {
        return HashMap::new();
    };
    let number = |b: &[u8]| <[u8; 16]>::try_from(b).ok().map(u128::from_le_bytes);
    body.chunks_exact(32)
        .filter_map(|pair| {
            let known = Known::default();
            let _ = known.content.set(Some(number(&pair[16..])?));
            Some((number(&pair[..16])?, Arc::new(known)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_keeps_the_pairs_and_refuses_other_bytes() {
        let bytes = encode(vec![(3, 30), (1, 10)]);
        let known = decode(&bytes);
        let content = |stamp| *known[&stamp].content.get().unwrap();
        assert_eq!((content(1), content(3)), (Some(10), Some(30)));
        assert!(decode(&bytes[..bytes.len() - 1]).is_empty());
        assert!(decode(b"something else").is_empty());
        assert_eq!(encode(vec![(1, 10), (3, 30)]), bytes, "sorted");
    }

    #[test]
    fn a_picture_is_read_once_then_known_by_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let picture = dir.path().join("a.png");
        fs::write(&picture, b"pixels").unwrap();
        let file = dir.path().join(FILE);
        let sources = Sources::open(Some(file.clone()));
        let stamp = Some(42);
        let first: Vec<_> = std::thread::scope(|s| {
            let ask = || s.spawn(|| sources.content(&picture, stamp).unwrap().0);
            let asks = [ask(), ask(), ask()];
            asks.map(|a| a.join().unwrap()).to_vec()
        });
        assert_eq!(first, vec![xxhash_rust::xxh3::xxh3_128(b"pixels"); 3]);
        assert_eq!(sources.read_count(), 1);
        sources.keep("t", true).unwrap();

        let again = Sources::open(Some(file.clone()));
        assert_eq!(again.content(&picture, stamp).unwrap(), (first[0], None));
        assert_eq!(again.read_count(), 0);
        // Another stamp (another size or time): read again.
        let bytes = Some(b"pixels".to_vec());
        assert_eq!(
            again.content(&picture, Some(43)).unwrap(),
            (first[0], bytes)
        );
        assert_eq!(again.read_count(), 1);
        // A picture no build asks for is dropped by a pruning build, and the empty file with it.
        Sources::open(Some(file.clone())).keep("t", true).unwrap();
        assert!(!file.exists());
        assert!(
            again
                .content(&dir.path().join("missing.png"), None)
                .is_err()
        );
        assert!(
            again
                .content(&dir.path().join("missing.png"), Some(44))
                .is_err()
        );
    }
}
