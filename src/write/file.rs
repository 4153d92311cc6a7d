//! How one file gets onto the disk.
//!
//! Nobody reads a staging folder before it is swapped in, so a file appears there in one
//! `open(O_EXCL)`, one `write` and one `fstat` for its stamp, without a temporary name, a
//! rename and a second look-up by name: on a slow disk every system call on a path costs
//! hundreds of microseconds. A served folder is read while it changes, so its files are
//! replaced in one step instead ([`replace`]).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::stamp::Stamp;

/// The folders a writer has made or found, so that a folder holding many files (the search
/// index's, a post's pictures) is looked up once, not once a file (a failed `mkdir` and a
/// `stat` each time).
#[derive(Debug, Default)]
pub(super) struct Folders {
    made: Mutex<HashSet<PathBuf>>,
}

impl Folders {
    /// Makes `dir` and the folders above it, unless this writer already did.
    fn make(&self, dir: &Path) -> io::Result<()> {
        if self.lock().contains(dir) {
            return Ok(());
        }
        fs::create_dir_all(dir)?;
        self.lock().insert(dir.to_path_buf());
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.made.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Writes a file of a folder nobody reads yet, making its folders (once, with `folders`);
/// returns its stamp. What is there already (the output before last, a folder, a link) is
/// replaced, never written through.
pub(super) fn put(path: &Path, bytes: &[u8], token: &str, folders: &Folders) -> io::Result<Stamp> {
    match put_new(path, folders, |file| file.write_all(bytes))? {
        Some(stamp) => Ok(stamp),
        None => replace(path, &[bytes], token),
    }
}

/// [`put`] for the bytes of `source`, copied by the kernel (`copy_file_range`, or `sendfile`
/// between file systems) instead of through this process's memory.
pub(super) fn put_copy(
    path: &Path,
    source: &mut fs::File,
    token: &str,
    folders: &Folders,
) -> io::Result<Stamp> {
    match put_new(path, folders, |file| io::copy(source, file).map(|_| ()))? {
        Some(stamp) => Ok(stamp),
        None => {
            let mut bytes = Vec::new();
            io::Read::read_to_end(source, &mut bytes)?;
            replace(path, &[&bytes], token)
        }
    }
}

/// Makes `path` a new file (`open(O_EXCL)`) filled by `fill`, and returns its stamp; `None`
/// when something is there already.
fn put_new(
    path: &Path,
    folders: &Folders,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<Option<Stamp>> {
    if let Some(parent) = path.parent() {
        folders.make(parent)?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            fill(&mut file)?;
            Stamp::of_file(&file).map(Some)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `parts` (one after the other) beside `path`, then renames them over it: whatever
/// `path` was (a file, a folder, a link to anywhere), it is replaced, and nothing outside is
/// written. A reader sees the old file or the new one, never half of one. `token` makes the
/// temporary name this process's own.
pub(super) fn replace(path: &Path, parts: &[&[u8]], token: &str) -> io::Result<Stamp> {
    let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
    temp_name.push(format!(".{token}.playpress-new"));
    let temp = path.with_file_name(temp_name);
    let written = fs::File::create(&temp)
        .and_then(|mut file| parts.iter().try_for_each(|part| file.write_all(part)));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(path)?;
    }
    fs::rename(&temp, path)?;
    Stamp::of(path).ok_or_else(|| io::Error::other("the file vanished as it was written"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_many_files_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default();
        for name in ["index/a.pf", "index/b.pf", "fragment/c.pf", "index/d.pf"] {
            put(&dir.path().join(name), name.as_bytes(), "test", &folders).unwrap();
            assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), name);
        }
        assert_eq!(folders.lock().len(), 2, "index/ and fragment/, each once");
    }

    #[test]
    fn writes_new_files_and_replaces_what_is_there_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("a/link.html")).unwrap();
        fs::create_dir_all(site.join("b/folder.html/x")).unwrap();
        fs::write(site.join("b/old.html"), "old").unwrap();
        let names = ["a/link.html", "b/folder.html", "b/old.html", "c/d/new.html"];
        let folders = Folders::default();
        for (i, name) in names.iter().enumerate() {
            let path = site.join(name);
            let stamp = put(&path, format!("new {i}").as_bytes(), "test", &folders).unwrap();
            assert!(fs::symlink_metadata(&path).unwrap().is_file(), "{name}");
            assert_eq!(fs::read_to_string(&path).unwrap(), format!("new {i}"));
            assert_eq!(Some(stamp), Stamp::of(&path), "{name}");
        }
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        let left: Vec<_> = fs::read_dir(site.join("b")).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn copies_are_new_files_or_replace_what_is_there_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let source = dir.path().join("photo.jpg");
        fs::write(&source, vec![7u8; 300_000]).unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("a/link.jpg")).unwrap();
        let folders = Folders::default();
        for name in ["a/link.jpg", "b/new.jpg"] {
            let path = site.join(name);
            let mut from = fs::File::open(&source).unwrap();
            let stamp = put_copy(&path, &mut from, "test", &folders).unwrap();
            assert!(fs::symlink_metadata(&path).unwrap().is_file(), "{name}");
            assert_eq!(fs::read(&path).unwrap(), vec![7u8; 300_000], "{name}");
            assert_eq!(Some(stamp), Stamp::of(&path), "{name}");
        }
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
    }

    #[test]
    fn a_file_cannot_be_written_under_a_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "").unwrap();
        let folders = Folders::default();
        assert!(put(&dir.path().join("file/under.html"), b"x", "test", &folders).is_err());
    }
}
