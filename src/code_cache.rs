//! The on-disk cache of highlighted code blocks, `.playpress-cache/code-v1.pack` at the site
//! root: one file of records (key, length, checksum, HTML), read whole at the start of a
//! build and rewritten at the end with the blocks that build used. Safe to delete. A record
//! that is cut short, fails its checksum or is not UTF-8 is ignored, as is a file written by
//! another version: the block is simply highlighted again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// First bytes of a pack; a file that does not start with them is not read.
const MAGIC: &[u8] = b"playpress code cache 1\n";

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".playpress-cache";
const PACK: &str = "code-v1.pack";
/// Bytes of a record before its HTML: key (16), length (4), checksum (8).
const HEADER: usize = 28;

/// Highlighted blocks from the last build, and the blocks of this one.
#[derive(Debug)]
pub struct CodeCache {
    dir: PathBuf,
    /// Names this cache's temporary files apart from those of other builds.
    token: String,
    /// The previous pack, as read.
    old: Vec<u8>,
    /// Where each valid record's HTML sits in `old`.
    index: HashMap<u128, (usize, usize)>,
    /// Old records this build used, to keep in the new pack.
    used: Mutex<HashSet<u128>>,
    /// Blocks highlighted by this build, written to a side file as they come so a large
    /// build does not hold them in memory.
    fresh: Mutex<Fresh>,
}

#[derive(Debug, Default)]
struct Fresh {
    out: Option<BufWriter<fs::File>>,
    count: usize,
    /// A write failed: the cache is left as it was (it is only a cache).
    failed: bool,
}

impl CodeCache {
    /// Opens the cache of the site at `root`. A missing or unreadable pack is an empty cache.
    pub fn open(root: &Path) -> Self {
        let dir = root.join(CACHE_DIR);
        let old = fs::read(dir.join(PACK)).unwrap_or_default();
        let index = index(&old);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            dir,
            token: format!("{}-{nanos}", std::process::id()),
            old,
            index,
            used: Mutex::new(HashSet::new()),
            fresh: Mutex::new(Fresh::default()),
        }
    }

    fn fresh_path(&self) -> PathBuf {
        self.dir.join(format!("{PACK}.{}.new", self.token))
    }

    /// The HTML kept for `key`, if any.
    pub fn get(&self, key: u128) -> Option<String> {
        let &(start, len) = self.index.get(&key)?;
        let html = std::str::from_utf8(self.old.get(start..start + len)?).ok()?;
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
        Some(html.to_string())
    }

    /// Remembers a block highlighted by this build.
    pub fn put(&self, key: u128, html: &str) {
        if self.index.contains_key(&key) {
            return;
        }
        let mut fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
        if fresh.failed {
            return;
        }
        if fresh.out.is_none() {
            let opened =
                fs::create_dir_all(&self.dir).and_then(|()| fs::File::create(self.fresh_path()));
            match opened {
                Ok(file) => fresh.out = Some(BufWriter::new(file)),
                Err(_) => {
                    fresh.failed = true;
                    return;
                }
            }
        }
        let written = fresh
            .out
            .as_mut()
            .map(|out| write_record(out, key, html.as_bytes()));
        match written {
            Some(Ok(())) => fresh.count += 1,
            _ => fresh.failed = true,
        }
    }

    /// Number of records read from the previous pack.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Writes the blocks this build used (reused and fresh) as the new pack, atomically.
    pub fn save(self) -> io::Result<()> {
        let fresh_path = self.fresh_path();
        let used = self
            .used
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let result = (|| {
            if fresh.failed {
                return Ok(());
            }
            if fresh.count == 0 && used.len() == self.index.len() {
                return Ok(()); // Nothing new and nothing dropped: the pack on disk is current.
            }
            if let Some(mut out) = fresh.out {
                out.flush()?;
            }
            fs::create_dir_all(&self.dir)?;
            let ignore = self.dir.join(".gitignore");
            if !ignore.exists() {
                fs::write(&ignore, "*\n")?;
            }
            let mut keys: Vec<u128> = used.into_iter().collect();
            keys.sort_unstable();
            let temp = self.dir.join(format!("{PACK}.{}.tmp", self.token));
            {
                let mut out = BufWriter::new(fs::File::create(&temp)?);
                out.write_all(MAGIC)?;
                for key in keys {
                    if let Some(&(start, len)) = self.index.get(&key)
                        && let Some(html) = self.old.get(start..start + len)
                    {
                        write_record(&mut out, key, html)?;
                    }
                }
                if fresh.count > 0 {
                    io::copy(&mut fs::File::open(&fresh_path)?, &mut out)?;
                }
                out.flush()?;
            }
            fs::rename(&temp, self.dir.join(PACK))
        })();
        let _ = fs::remove_file(&fresh_path);
        result
    }
}

fn write_record(out: &mut impl Write, key: u128, html: &[u8]) -> io::Result<()> {
    let len =
        u32::try_from(html.len()).map_err(|_| io::Error::other("code block too large to cache"))?;
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&xxhash_rust::xxh3::xxh3_64(html).to_le_bytes())?;
    out.write_all(html)
}

/// Finds the valid records of a pack. Reading stops at the first damaged record.
fn index(pack: &[u8]) -> HashMap<u128, (usize, usize)> {
    let mut index = HashMap::new();
    let Some(mut rest) = pack.strip_prefix(MAGIC) else {
        return index;
    };
    let mut offset = MAGIC.len();
    while rest.len() >= HEADER {
        let (Ok(key), Ok(len), Ok(sum)) = (
            <[u8; 16]>::try_from(&rest[..16]),
            <[u8; 4]>::try_from(&rest[16..20]),
            <[u8; 8]>::try_from(&rest[20..28]),
        ) else {
            break;
        };
        let len = u32::from_le_bytes(len) as usize;
        let Some(html) = rest.get(HEADER..HEADER + len) else {
            break;
        };
        if xxhash_rust::xxh3::xxh3_64(html) != u64::from_le_bytes(sum) {
            break;
        }
        index.insert(u128::from_le_bytes(key), (offset + HEADER, len));
        rest = &rest[HEADER + len..];
        offset += HEADER + len;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        assert!(cache.is_empty());
        cache.put(1, "<pre>one</pre>");
        cache.put(2, "<pre>two</pre>");
        cache.save().unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(2).as_deref(), Some("<pre>two</pre>"));
        assert_eq!(cache.get(3), None);
        // Only what a build used is kept.
        cache.save().unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(2).as_deref(), Some("<pre>two</pre>"));
    }

    #[test]
    fn damaged_or_foreign_packs_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CodeCache::open(dir.path());
        cache.put(7, "<pre>seven</pre>");
        cache.put(8, "<pre>eight</pre>");
        cache.save().unwrap();
        let pack = dir.path().join(CACHE_DIR).join(PACK);
        let mut bytes = fs::read(&pack).unwrap();
        // Flip a byte in the last record's HTML: its checksum no longer matches.
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20;
        fs::write(&pack, &bytes).unwrap();
        let cache = CodeCache::open(dir.path());
        assert_eq!(cache.get(7).as_deref(), Some("<pre>seven</pre>"));
        assert_eq!(
            cache.get(8),
            None,
            "a record that fails its checksum is not trusted"
        );

        fs::write(&pack, b"something else entirely").unwrap();
        assert!(
            CodeCache::open(dir.path()).is_empty(),
            "a foreign file is ignored"
        );
        bytes.truncate(bytes.len() - 5);
        fs::write(&pack, &bytes).unwrap();
        assert_eq!(
            CodeCache::open(dir.path()).len(),
            1,
            "a cut record is ignored"
        );
    }
}
