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
        let modified_ns = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Self {
            size: meta.len(),
            modified_ns,
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
