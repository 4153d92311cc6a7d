//! The last search index made, kept in `.playpress-cache/search-v1.pack` with the key of what
//! it was made from: a build into an empty output (a fresh CI runner with the cache restored,
//! a deleted `public/`) whose pages did not change takes the index from there instead of
//! making it again (Pagefind takes seconds for thousands of pages). One pack, written whole
//! under a temporary name and renamed; safe to delete. The pack is sealed (`seal.rs`). A pack
//! of another format or of another key is not used: the index is simply made again; a pack
//! cut short or failing its checksum is not used either, and the build says so once
//! ([`IndexStore::damage`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Index;
use crate::diagnostic::Diagnostic;
use crate::load::kept::{self, Kept};

/// First bytes of a pack's contents.
const MAGIC: &[u8; 16] = b"playpress srch 2";
const PACK: &str = "search-v1.pack";

/// Where the index is kept: the site's cache folder, or nowhere (`--no-cache`, `check`).
#[derive(Debug, Clone)]
pub(crate) struct IndexStore {
    dir: Option<PathBuf>,
    read_only: bool,
    /// The pack was found damaged (shared by the clones of a store).
    damaged: Arc<AtomicBool>,
}

impl IndexStore {
    /// The store in the cache folder `dir` (`.playpress-cache`).
    pub(crate) fn open(dir: &Path) -> Self {
        Self {
            dir: Some(dir.to_path_buf()),
            read_only: false,
            damaged: Arc::default(),
        }
    }

    /// This store, read but never written (a server, like its code cache).
    pub(crate) fn read_only(self) -> Self {
        Self {
            read_only: true,
            ..self
        }
    }

    /// No store: every index is made.
    pub(crate) fn none() -> Self {
        Self {
            dir: None,
            read_only: true,
            damaged: Arc::default(),
        }
    }

    /// The index kept for `key`, when there is one and it is intact.
    pub(crate) fn get(&self, key: u128) -> Option<Index> {
        self.load()
            .and_then(|(made_from, index)| (made_from == key).then_some(index))
    }

    /// The index kept, with the key it was made from, when there is one and it is intact
    /// (read before the key of this build's pages is known).
    pub(crate) fn load(&self) -> Option<(u128, Index)> {
        match kept::read(&self.dir.as_ref()?.join(PACK)) {
            Kept::Whole(contents) => decode(&contents),
            Kept::Damaged => {
                self.damaged.store(true, Ordering::Relaxed);
                None
            }
            Kept::Nothing => None,
        }
    }

    /// The warning that the pack was found damaged (and the index made again), if it was.
    pub(crate) fn damage(&self) -> Option<Diagnostic> {
        let shown = Path::new(crate::seal::CACHE_DIR).join(PACK);
        self.damaged
            .load(Ordering::Relaxed)
            .then(|| crate::seal::damaged_file(&shown))
    }

    /// Keeps `index`, made from `key`, in place of the one kept before. A failure leaves the
    /// old pack (it is only a cache) and no temporary file.
    pub(crate) fn put(&self, key: u128, index: &Index) -> io::Result<()> {
        let Some(dir) = self.dir.as_ref().filter(|_| !self.read_only) else {
            return Ok(());
        };
        fs::create_dir_all(dir)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            fs::write(&ignore, "*\n")?;
        }
        let temp = dir.join(format!("{PACK}.{}.tmp", std::process::id()));
        let written =
            fs::write(&temp, sealed(key, index)?).and_then(|()| fs::rename(&temp, dir.join(PACK)));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

/// A pack, sealed: the seal's head, then magic, key, page count, file count, then each
/// file's name and bytes (lengths first).
fn sealed(key: u128, index: &Index) -> io::Result<Vec<u8>> {
    let size: usize = index
        .files
        .iter()
        .map(|(n, b)| n.as_os_str().len() + b.len() + 12)
        .sum();
    // The head is written over these zeros once the contents are known.
    let mut out = vec![0; crate::seal::HEAD];
    out.reserve(size + 56);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&(index.pages as u64).to_le_bytes());
    out.extend_from_slice(&(index.files.len() as u64).to_le_bytes());
    for (name, bytes) in &index.files {
        let name = name.to_str().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "an index file name is not UTF-8",
            )
        })?;
        let name_len = u32::try_from(name.len()).map_err(io::Error::other)?;
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let (head, contents) = out.split_at_mut(crate::seal::HEAD);
    head.copy_from_slice(&crate::seal::head(&[contents]));
    Ok(out)
}

/// The index in the contents of a pack and the key it was made from, if they read whole.
fn decode(body: &[u8]) -> Option<(u128, Index)> {
    let mut reader = Reader(body);
    if reader.take(16)? != MAGIC {
        return None;
    }
    let key = u128::from_le_bytes(reader.take(16)?.try_into().ok()?);
    let pages = usize::try_from(reader.u64()?).ok()?;
    let count = usize::try_from(reader.u64()?).ok()?;
    let mut files = Vec::with_capacity(count.min(body.len() / 12));
    for _ in 0..count {
        let name_len =
            usize::try_from(u32::from_le_bytes(reader.take(4)?.try_into().ok()?)).ok()?;
        let name = std::str::from_utf8(reader.take(name_len)?).ok()?;
        let len = usize::try_from(reader.u64()?).ok()?;
        files.push((PathBuf::from(name), reader.take(len)?.to_vec()));
    }
    reader.0.is_empty().then_some((key, Index { files, pages }))
}

/// Reads a pack from the front.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        Index {
            files: vec![
                (PathBuf::from("fragment/en_1.pf_fragment"), vec![1, 2, 3]),
                (PathBuf::from("pagefind-entry.json"), b"{}".to_vec()),
            ],
            pages: 2,
        }
    }

    #[test]
    fn a_kept_index_comes_back_for_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = IndexStore::open(dir.path());
        store.put(7, &index()).unwrap();
        let back = store.get(7).unwrap();
        assert_eq!((back.files, back.pages), (index().files, 2));
        assert!(store.get(8).is_none(), "another key is another index");
        assert_eq!(store.load().map(|(key, i)| (key, i.pages)), Some((7, 2)));
        store.put(8, &index()).unwrap();
        assert!(store.get(7).is_none(), "only the last index is kept");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "the pack and .gitignore, no temporary file: {names:?}"
        );
    }

    #[test]
    fn a_damaged_or_cut_pack_is_not_used_and_said_to_be_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let store = IndexStore::open(dir.path());
        store.put(7, &index()).unwrap();
        let pack = fs::read(dir.path().join(PACK)).unwrap();
        let mut flipped = pack.clone();
        flipped[60] ^= 1;
        for bytes in [
            &pack[..0],
            &pack[..10],
            &pack[..40],
            &pack[..pack.len() - 1],
            &flipped,
        ] {
            fs::write(dir.path().join(PACK), bytes).unwrap();
            let store = IndexStore::open(dir.path());
            assert!(store.get(7).is_none());
            assert!(store.damage().is_some(), "{} bytes", bytes.len());
        }
        fs::write(dir.path().join(PACK), b"playpress srch 1 an older pack").unwrap();
        let store = IndexStore::open(dir.path());
        assert!(store.get(7).is_none());
        assert!(store.damage().is_none(), "another format is not damage");
        let contents = &pack[crate::seal::HEAD..];
        assert_eq!(decode(contents).map(|(key, _)| key), Some(7));
        assert!(decode(&contents[..contents.len() - 1]).is_none());
    }

    #[test]
    fn a_read_only_store_or_none_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        IndexStore::open(dir.path())
            .read_only()
            .put(7, &index())
            .unwrap();
        IndexStore::none().put(7, &index()).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(IndexStore::none().get(7).is_none());
    }
}
