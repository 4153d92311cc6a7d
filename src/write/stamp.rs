//! A file's stamp (size, modification time, inode): what tells the output's manifest that a
//! file was not touched since it was written, and a site file's copy that its source did not
//! change.

use std::fs;
use std::io;
use std::path::Path;

/// A file's size, modification time and inode: if any changed, the file was touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(super) size: u64,
    pub(super) modified_ns: u128,
    pub(super) inode: u64,
}

impl Stamp {
    /// No file has it: a record with it never matches the disk.
    pub(super) const UNKNOWN: Self = Self {
        size: 0,
        modified_ns: 0,
        inode: 0,
    };

    pub(crate) fn of(path: &Path) -> Option<Self> {
        Self::of_meta(&fs::symlink_metadata(path).ok()?)
    }

    /// The stamp of a file just written, from its open handle (no second look-up by name).
    pub(super) fn of_file(file: &fs::File) -> io::Result<Self> {
        Self::of_meta(&file.metadata()?).ok_or_else(|| io::Error::other("not a file"))
    }

    fn of_meta(meta: &fs::Metadata) -> Option<Self> {
        if !meta.is_file() {
            return None;
        }
        Some(Self {
            size: meta.len(),
            modified_ns: modified_ns(meta)?,
            inode: inode(meta),
        })
    }
}

/// An open handle on a folder, to read the stamps of its files relative to it.
#[derive(Debug)]
pub(super) struct Folder {
    #[cfg(target_os = "linux")]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    pub(super) fn open(dir: &Path) -> Self {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Self {
                fd: rustix::fs::open(dir, flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = dir;
            Self {}
        }
    }

    /// The stamp of the file at `relative` in this folder (`dir`), a link not followed.
    pub(super) fn stamp(&self, dir: &Path, relative: &Path) -> Option<Stamp> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            use rustix::fs::{AtFlags, FileType, StatxFlags};
            let mask = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::INO;
            let st = rustix::fs::statx(fd, relative, AtFlags::SYMLINK_NOFOLLOW, mask).ok()?;
            if FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::RegularFile {
                return None;
            }
            let seconds = u128::try_from(st.stx_mtime.tv_sec).ok()?;
            return Some(Stamp {
                size: st.stx_size,
                modified_ns: seconds * 1_000_000_000 + u128::from(st.stx_mtime.tv_nsec),
                inode: st.stx_ino,
            });
        }
        Stamp::of(&dir.join(relative))
    }
}

/// When a folder's entries last changed (its modification and status-change times, in
/// nanoseconds): adding, removing or renaming an entry in it changes both, and nobody can set
/// the second back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FolderStamp {
    pub(super) modified_ns: u128,
    pub(super) changed_ns: u128,
}

impl Folder {
    /// The stamp of the folder at `relative` in this folder (`dir`), a link not followed.
    pub(super) fn folder_stamp(&self, dir: &Path, relative: &Path) -> Option<FolderStamp> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.fd {
            use rustix::fs::{AtFlags, FileType, StatxFlags};
            let mask = StatxFlags::TYPE | StatxFlags::MTIME | StatxFlags::CTIME;
            let at = if relative.as_os_str().is_empty() {
                Path::new(".")
            } else {
                relative
            };
            let st = rustix::fs::statx(fd, at, AtFlags::SYMLINK_NOFOLLOW, mask).ok()?;
            if FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::Directory {
                return None;
            }
            let ns = |t: rustix::fs::StatxTimestamp| {
                u128::try_from(t.tv_sec)
                    .ok()
                    .map(|s| s * 1_000_000_000 + u128::from(t.tv_nsec))
            };
            return Some(FolderStamp {
                modified_ns: ns(st.stx_mtime)?,
                changed_ns: ns(st.stx_ctime)?,
            });
        }
        let meta = fs::symlink_metadata(dir.join(relative)).ok()?;
        if !meta.is_dir() {
            return None;
        }
        Some(FolderStamp {
            modified_ns: modified_ns(&meta)?,
            changed_ns: changed_ns(&meta),
        })
    }
}

/// When the file or folder of `meta` was last modified, in nanoseconds since 1970.
fn modified_ns(meta: &fs::Metadata) -> Option<u128> {
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH);
    Some(since.ok()?.as_nanos())
}

#[cfg(unix)]
fn changed_ns(meta: &fs::Metadata) -> u128 {
    use std::os::unix::fs::MetadataExt;
    let seconds = u128::try_from(meta.ctime()).unwrap_or(0);
    seconds * 1_000_000_000 + u128::try_from(meta.ctime_nsec()).unwrap_or(0)
}

#[cfg(not(unix))]
fn changed_ns(_: &fs::Metadata) -> u128 {
    0
}

#[cfg(unix)]
pub(super) fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
pub(super) fn inode(_: &fs::Metadata) -> u64 {
    0
}

/// A fingerprint of a file copied from the site: its path, size and time.
pub(crate) fn source_fingerprint(source: &Path) -> Option<u128> {
    let stamp = Stamp::of(source)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(source.as_os_str().as_encoded_bytes());
    hasher.update(&stamp.size.to_le_bytes());
    hasher.update(&stamp.modified_ns.to_le_bytes());
    Some(hasher.digest128())
}
