//! The on-disk cache of highlighted code blocks, `.playpress-cache/code-v2.pack` at the site
//! root (the name stays; the magic says the format's version). The pack holds records (the
//! HTML of a block) followed by an index of their keys, offsets, lengths and checksums, and a
//! footer with the checksum of the index; a build reads the index, fetches a block only when
//! it needs it, and rewrites the pack at the end with the blocks it highlighted and the old
//! ones it used (or, when it kept pages without rendering them, every old one). Safe to
//! delete. A pack of another format is ignored; a damaged index or a record that fails its
//! checksum is not used, the block is highlighted again, and the build says once that the
//! pack was damaged ([`CodeCache::damage`]). The checksums are the seal's (`seal.rs`): the
//! pack is read a block at a time, so each block and the index carry their own.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::seal::sum;

/// First bytes of a pack; a file that does not start with them is not read.
const MAGIC: &[u8; 16] = b"playpress code 3";

/// The cache folder, relative to the site root.
pub(crate) const CACHE_DIR: &str = crate::seal::CACHE_DIR;
const PACK: &str = "code-v2.pack";
/// An index entry: key (16), offset (8), length (4), checksum (16).
const ENTRY: usize = 44;
/// The end of a pack: index offset (8), entry count (8), checksum of the index (16), magic
/// (16).
const FOOTER: usize = 48;

#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    len: u32,
    sum: u128,
}

/// Why a pack's index is not used.
#[derive(Debug, PartialEq, Eq)]
enum Unread {
    /// Not a pack of this format (or no file): nothing to say.
    Foreign,
    /// A pack of this format, cut short or changed.
    Damaged,
}

/// Highlighted blocks from the last build, and the blocks of this one.
#[derive(Debug)]
pub struct CodeCache {
    dir: PathBuf,
    /// Names this cache's temporary files apart from those of other builds.
    token: String,
    /// The previous pack, open for reading, and where its records are.
    old: Option<File>,
    index: HashMap<u128, Place>,
    /// Old records this build used, to keep in the new pack.
    used: Mutex<HashSet<u128>>,
    /// Blocks highlighted by this build, written to a side file as they come so a large build
    /// does not hold them in memory.
    fresh: Mutex<Fresh>,
    /// Never written: `put` drops blocks and `save` does nothing.
    read_only: bool,
    /// The pack was found damaged: its index, or a record this build asked for.
    damaged: AtomicBool,
    /// Old records that failed their checksum: highlighted again, they are kept anew.
    broken: Mutex<HashSet<u128>>,
}

#[derive(Debug, Default)]
struct Fresh {
    out: Option<BufWriter<File>>,
    written: u64,
    places: Vec<(u128, Place)>,
    /// The keys in `places`: a block highlighted twice in one build is stored once.
    keys: HashSet<u128>,
    /// A write failed: the cache is left as it was (it is only a cache).
    failed: bool,
}

impl CodeCache {
    /// Opens the cache of the site at `root` to read only: blocks put in it are dropped (a
    /// server, which runs until stopped, never writes the cache).
    pub fn open_read_only(root: &Path) -> Self {
        Self {
            read_only: true,
            ..Self::open(root)
        }
    }

    /// Opens the cache of the site at `root`. A missing or unreadable pack is an empty cache.
    pub fn open(root: &Path) -> Self {
        let dir = root.join(CACHE_DIR);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let old = File::open(dir.join(PACK)).ok();
        let index = old.as_ref().map_or(Err(Unread::Foreign), read_index);
        let damaged = AtomicBool::new(matches!(index, Err(Unread::Damaged)));
        let index = index.unwrap_or_default();
        Self {
            dir,
            token: format!("{}-{nanos}", std::process::id()),
            old,
            index,
            used: Mutex::new(HashSet::new()),
            fresh: Mutex::new(Fresh::default()),
            read_only: false,
            damaged,
            broken: Mutex::new(HashSet::new()),
        }
    }

    /// The warning that the pack was damaged, when this cache found it so.
    pub fn damage(&self) -> Option<Diagnostic> {
        self.damaged
            .load(Ordering::Relaxed)
            .then(|| crate::seal::damaged_file(&Path::new(CACHE_DIR).join(PACK)))
    }

    fn fresh_path(&self) -> PathBuf {
        self.dir.join(format!("{PACK}.{}.new", self.token))
    }

    /// The HTML kept for `key`, if any and intact.
    pub fn get(&self, key: u128) -> Option<String> {
        let place = *self.index.get(&key)?;
        let bytes = read_record(self.old.as_ref()?, place);
        let Some(html) = bytes.and_then(|b| String::from_utf8(b).ok()) else {
            self.damaged.store(true, Ordering::Relaxed);
            self.broken
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key);
            return None;
        };
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
        Some(html)
    }

    /// Remembers a block highlighted by this build.
    pub fn put(&self, key: u128, html: &str) {
        let kept = self.index.contains_key(&key)
            && !self
                .broken
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(&key);
        if self.read_only || kept {
            return;
        }
        let mut fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
        if fresh.failed || !fresh.keys.insert(key) {
            return;
        }
        if fresh.out.is_none() {
            // The side file starts as a pack does: at the end it becomes the new pack.
            let opened = fs::create_dir_all(&self.dir)
                .and_then(|()| File::create(self.fresh_path()))
                .map(BufWriter::new)
                .and_then(|mut out| out.write_all(MAGIC).map(|()| out));
            match opened {
                Ok(out) => {
                    fresh.out = Some(out);
                    fresh.written = MAGIC.len() as u64;
                }
                Err(_) => {
                    fresh.failed = true;
                    return;
                }
            }
        }
        let (Ok(len), offset) = (u32::try_from(html.len()), fresh.written) else {
            return;
        };
        let written = fresh.out.as_mut().map(|out| out.write_all(html.as_bytes()));
        if matches!(written, Some(Ok(()))) {
            let sum = sum(html.as_bytes());
            fresh.places.push((key, Place { offset, len, sum }));
            fresh.written += u64::from(len);
        } else {
            fresh.failed = true;
        }
    }

    /// Number of blocks the previous pack holds.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Writes the new pack, atomically: the blocks this build highlighted, and the old ones
    /// it used or, when `prune` is false, every old one. A build that kept pages without
    /// rendering them never asked for their blocks, so it must not prune.
    pub fn save(self, prune: bool) -> io::Result<()> {
        if self.read_only {
            return Ok(());
        }
        let fresh_path = self.fresh_path();
        let temp = self.dir.join(format!("{PACK}.{}.tmp", self.token));
        let used = self
            .used
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let damaged = self.damaged.load(Ordering::Relaxed);
        let result = (|| {
            let dropped = damaged || (prune && used.len() < self.index.len());
            if fresh.failed || (fresh.places.is_empty() && !dropped) {
                // Nothing new and nothing dropped: the pack on disk is current.
                return Ok(());
            }
            let ignore = self.dir.join(".gitignore");
            if !ignore.exists() {
                fs::write(&ignore, "*\n")?;
            }
            // The new pack is the side file of this build's blocks (they are not copied),
            // then the old records this build used, then the index.
            let (mut out, path, mut offset) = match fresh.out {
                Some(out) => (out, fresh_path.clone(), fresh.written),
                None => {
                    let mut out = BufWriter::new(File::create(&temp)?);
                    out.write_all(MAGIC)?;
                    (out, temp.clone(), MAGIC.len() as u64)
                }
            };
            let mut entries = fresh.places;
            let mut keys: Vec<u128> = if prune {
                used.into_iter().collect()
            } else {
                self.index.keys().copied().collect()
            };
            keys.sort_unstable();
            for key in keys {
                let Some(place) = self.index.get(&key).copied() else {
                    continue;
                };
                let Some(bytes) = self.old.as_ref().and_then(|f| read_record(f, place)) else {
                    continue;
                };
                out.write_all(&bytes)?;
                entries.push((key, Place { offset, ..place }));
                offset += u64::from(place.len);
            }
            out.write_all(&index_and_footer(&entries, offset))?;
            out.flush()?;
            drop(out);
            fs::rename(&path, self.dir.join(PACK))
        })();
        // Whatever failed, no half-written file stays behind (after a success, neither exists).
        let _ = fs::remove_file(&fresh_path);
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}

/// The index of a pack whose records end at `offset`, and its footer.
fn index_and_footer(entries: &[(u128, Place)], offset: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * ENTRY + FOOTER);
    for (key, place) in entries {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&place.offset.to_le_bytes());
        out.extend_from_slice(&place.len.to_le_bytes());
        out.extend_from_slice(&place.sum.to_le_bytes());
    }
    let index_sum = sum(&out);
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    out.extend_from_slice(&index_sum.to_le_bytes());
    out.extend_from_slice(MAGIC);
    out
}

/// A record's bytes, if they are there and match their checksum.
fn read_record(file: &File, place: Place) -> Option<Vec<u8>> {
    let mut bytes = vec![0; place.len as usize];
    read_at(file, &mut bytes, place.offset).ok()?;
    (sum(&bytes) == place.sum).then_some(bytes)
}

/// Reads a pack's index from its end: none from a file of another format, and none from a
/// pack cut short or changed (damaged).
fn read_index(file: &File) -> Result<HashMap<u128, Place>, Unread> {
    let size = file.metadata().map_err(|_| Unread::Foreign)?.len();
    let mut head = vec![0u8; usize::try_from(size.min(16)).unwrap_or(16)];
    read_at(file, &mut head, 0).map_err(|_| Unread::Foreign)?;
    if !MAGIC.starts_with(&head) {
        return Err(Unread::Foreign);
    }
    index_of(file, size).ok_or(Unread::Damaged)
}

/// The index of the pack `file` of `size` bytes (which starts with the magic), if it is
/// whole.
fn index_of(file: &File, size: u64) -> Option<HashMap<u128, Place>> {
    if size < (MAGIC.len() + FOOTER) as u64 {
        return None;
    }
    let mut footer = [0u8; FOOTER];
    read_at(file, &mut footer, size - FOOTER as u64).ok()?;
    if &footer[32..] != MAGIC {
        return None;
    }
    let index_at = u64::from_le_bytes(footer[..8].try_into().ok()?);
    let count = u64::from_le_bytes(footer[8..16].try_into().ok()?);
    let index_sum = u128::from_le_bytes(footer[16..32].try_into().ok()?);
    let index_len = count.checked_mul(ENTRY as u64)?;
    if index_at < MAGIC.len() as u64 || index_at.checked_add(index_len)? != size - FOOTER as u64 {
        return None;
    }
    let mut bytes = vec![0u8; usize::try_from(index_len).ok()?];
    read_at(file, &mut bytes, index_at).ok()?;
    if sum(&bytes) != index_sum {
        return None;
    }
    let mut index = HashMap::with_capacity(usize::try_from(count).ok()?);
    for entry in bytes.chunks_exact(ENTRY) {
        let key = u128::from_le_bytes(entry[..16].try_into().ok()?);
        let offset = u64::from_le_bytes(entry[16..24].try_into().ok()?);
        let len = u32::from_le_bytes(entry[24..28].try_into().ok()?);
        let sum = u128::from_le_bytes(entry[28..44].try_into().ok()?);
        if offset.checked_add(u64::from(len))? > index_at {
            return None;
        }
        index.insert(key, Place { offset, len, sum });
    }
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(dir: &Path) -> PathBuf {
        dir.join(CACHE_DIR).join(PACK)
    }

    #[test]
    fn blocks_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        assert!(cache.is_empty());
        cache.put(1, "<pre>one</pre>");
        cache.put(2, "<pre>two</pre>");
        cache.save(true).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(2).as_deref(), Some("<pre>two</pre>"));
        assert_eq!(cache.get(3), None);
        cache.put(4, "<pre>four</pre>");
        // Only what a build used is kept, with what it added.
        cache.save(true).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(2).as_deref(), Some("<pre>two</pre>"));
        assert_eq!(cache.get(4).as_deref(), Some("<pre>four</pre>"));
        assert_eq!(cache.get(1), None);
        // A build that only reuses old blocks writes them to a new pack, and leaves no
        // side or temporary file behind.
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.get(4).as_deref(), Some("<pre>four</pre>"));
        cache.save(true).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(4).as_deref(), Some("<pre>four</pre>"));
        let mut files: Vec<String> = fs::read_dir(dir.path().join(CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, [".gitignore", PACK]);
    }

    #[test]
    fn a_build_that_kept_pages_keeps_the_blocks_it_did_not_ask_for() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        cache.put(1, "<pre>one</pre>");
        cache.put(2, "<pre>two</pre>");
        cache.save(true).unwrap();
        // Nothing asked for (every page kept): the pack stays whole.
        CodeCache::open(dir.path()).save(false).unwrap();
        assert_eq!(CodeCache::open(dir.path()).len(), 2);
        // One block asked for, one new: the other old one is kept too.
        let cache = CodeCache::open(dir.path());
        assert!(cache.get(1).is_some());
        cache.put(3, "<pre>three</pre>");
        cache.save(false).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(2).as_deref(), Some("<pre>two</pre>"));
        assert_eq!(cache.get(3).as_deref(), Some("<pre>three</pre>"));
    }

    #[test]
    fn a_failed_save_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        cache.put(1, "<pre>one</pre>");
        cache.put(2, "<pre>two</pre>");
        cache.save(true).unwrap();
        // A build that reuses one block of two, whose new pack cannot take the old one's place.
        let cache = CodeCache::open(dir.path());
        assert!(cache.get(1).is_some());
        fs::remove_file(pack(dir.path())).unwrap();
        fs::create_dir_all(pack(dir.path()).join("in-the-way")).unwrap();
        assert!(cache.save(true).is_err());
        let mut files: Vec<String> = fs::read_dir(dir.path().join(CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, [".gitignore", PACK]);
    }

    #[test]
    fn a_block_highlighted_twice_in_one_build_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        cache.put(5, "<pre>five</pre>");
        cache.put(5, "<pre>five</pre>");
        cache.save(true).unwrap();
        let size = fs::metadata(pack(dir.path())).unwrap().len();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.get(5).as_deref(), Some("<pre>five</pre>"));
        cache.save(true).unwrap();
        assert_eq!(fs::metadata(pack(dir.path())).unwrap().len(), size);

        let once = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(once.path());
        cache.put(5, "<pre>five</pre>");
        cache.save(true).unwrap();
        assert_eq!(fs::metadata(pack(once.path())).unwrap().len(), size);
    }

    #[test]
    fn damaged_or_foreign_packs_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        cache.put(7, "<pre>seven</pre>");
        cache.put(8, "<pre>eight</pre>");
        cache.save(true).unwrap();
        let original = fs::read(pack(dir.path())).unwrap();
        assert!(CodeCache::open(dir.path()).damage().is_none());

        // Damage the HTML of one record: its checksum no longer matches.
        let mut bytes = original.clone();
        let at = MAGIC.len() + 2;
        bytes[at] ^= 0x20;
        fs::write(pack(dir.path()), &bytes).unwrap();
        let cache = CodeCache::open(dir.path());
        assert!(cache.damage().is_none(), "not known before it is read");
        assert_eq!(
            cache.get(7),
            None,
            "a record that fails its checksum is not trusted"
        );
        assert!(cache.damage().is_some());
        assert_eq!(cache.get(8).as_deref(), Some("<pre>eight</pre>"));
        // Highlighted again, it is kept anew: the next pack is whole.
        cache.put(7, "<pre>seven</pre>");
        cache.save(true).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.get(7).as_deref(), Some("<pre>seven</pre>"));
        assert_eq!(cache.get(8).as_deref(), Some("<pre>eight</pre>"));
        assert!(cache.damage().is_none());

        fs::write(pack(dir.path()), b"something else entirely").unwrap();
        let cache = CodeCache::open(dir.path());
        assert!(cache.is_empty(), "a foreign file is ignored");
        assert!(cache.damage().is_none(), "without a word");
        // Cut short, or a changed index: damaged.
        let mut index = original.clone();
        let at = original.len() - FOOTER - 3;
        index[at] ^= 1;
        for bytes in [&original[..original.len() - 5], &original[..10], &index[..]] {
            fs::write(pack(dir.path()), bytes).unwrap();
            let cache = CodeCache::open(dir.path());
            assert!(cache.is_empty(), "a damaged pack is ignored");
            assert_eq!(
                cache.damage().map(|d| d.file),
                Some(PathBuf::from(".playpress-cache/code-v2.pack"))
            );
        }
    }
}
