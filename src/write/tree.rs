//! A folder of output files and what its manifest says of them. The one way, shared by a
//! build's staging folder and the output `serve` changes in place, to know that a file need
//! not be written again: it was made from the same inputs (its fingerprint) and has not been
//! touched since (its size, modification time and inode are as written).
//!
//! What the manifest holds, and how it follows its folder, is [`manifest`]'s; what a folder
//! holds that its manifest does not name is [`foreign`]'s.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use super::file;
use super::foreign::{self, Entry};
use super::manifest::{self, Listing, Record, key};
use super::stamp::{Folder, Stamp, source_fingerprint};
use super::{OutputError, failed, inside};

/// The records of a run, written from every thread: split in shards by key, so threads
/// rarely wait for each other.
#[derive(Debug, Default)]
struct Current {
    shards: [Mutex<HashMap<u128, Record>>; 16],
}

impl Current {
    fn shard(&self, k: u128) -> std::sync::MutexGuard<'_, HashMap<u128, Record>> {
        // The low bits of a hash are as good as any.
        self.shards[(k & 15) as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn insert(&self, k: u128, record: Record) {
        self.shard(k).insert(k, record);
    }

    fn contains(&self, k: u128) -> bool {
        self.shard(k).contains_key(&k)
    }

    /// Every record, the shards emptied.
    fn take(&mut self) -> HashMap<u128, Record> {
        let mut all = HashMap::new();
        for shard in &mut self.shards {
            all.extend(
                shard
                    .get_mut()
                    .unwrap_or_else(PoisonError::into_inner)
                    .drain(),
            );
        }
        all
    }
}

/// A folder of output files being changed: what it held, and what this run kept or wrote.
#[derive(Debug)]
pub(super) struct Tree {
    pub(super) dir: PathBuf,
    /// Where the manifests of the output's folders are, and the output's name.
    parent: PathBuf,
    name: String,
    /// What the folder held, as its manifest said: every file in it (with stamps that may
    /// not be trusted), or nothing known.
    listing: Listing,
    /// The files of this run, kept or written (by key; the paths are those of `previous`
    /// or of `written`).
    current: Current,
    /// The paths of the files this run wrote.
    written: Mutex<HashMap<u128, PathBuf>>,
    /// The folders whose entries runs changed since the manifest was written (the others
    /// keep the stamps it lists).
    touched: Mutex<HashSet<u128>>,
    /// Written straight into a served output (by `serve`), not into a staging folder.
    in_place: bool,
    /// The manifest was taken away for this run's changes.
    unlisted: AtomicBool,
    /// Names temporary files apart from other writers.
    token: String,
    folder: Folder,
    /// The folders this run made or found in the staging folder.
    folders: file::Folders,
}

impl Tree {
    /// The folder `dir` of the output `name` in `parent`, with what its manifest says.
    pub(super) fn open(dir: PathBuf, parent: PathBuf, name: String, in_place: bool) -> Self {
        let listing = manifest::read(&dir, &parent, &name);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            folder: Folder::open(&dir),
            dir,
            parent,
            name,
            listing,
            current: Current::default(),
            written: Mutex::new(HashMap::new()),
            touched: Mutex::new(HashSet::new()),
            in_place,
            unlisted: AtomicBool::new(false),
            token: format!("{}-{nanos}", std::process::id()),
            folders: file::Folders::default(),
        }
    }

    /// The manifest was whole when read: what it says of the files' stamps is true (false
    /// for a folder left by a run that stopped, or one without a manifest).
    pub(super) fn trusted(&self) -> bool {
        self.listing.trusted
    }

    /// The folder has a manifest: playpress made it.
    pub(super) fn owned(&self) -> bool {
        self.listing.owned
    }

    /// Forgets what the manifest listed (the folder was cleared).
    pub(super) fn forget(&mut self) {
        self.listing.files.clear();
        self.listing.folders.clear();
    }

    /// What the folder holds that playpress did not write (the kept `.git` aside).
    pub(super) fn foreign(&self) -> Vec<Entry> {
        foreign::find(&self.dir, &self.listing)
    }

    pub(super) fn io_error<'a>(
        &self,
        action: &'static str,
        path: &'a Path,
    ) -> impl FnOnce(io::Error) -> OutputError + 'a {
        failed(action, path, self.in_place)
    }

    /// Marks the manifest as being changed before the first change, so a run that stops
    /// half-way leaves a folder that is trusted with nothing (but still known as ours).
    pub(super) fn unlist(&self) {
        if !self.unlisted.swap(true, Ordering::Relaxed) {
            manifest::unlist(&self.dir, &self.parent, &self.name);
        }
    }

    /// Keeps the file at `relative` as the folder has it, when it was made from the same
    /// inputs (`fingerprint`) and has not been touched since. Returns whether it did.
    pub(super) fn keeps(&self, relative: &Path, fingerprint: u128) -> bool {
        let k = key(relative);
        let Some((_, record)) = self.listing.files.get(&k).filter(|(p, _)| p == relative) else {
            return false;
        };
        // The path came from the plan, whose paths are checked: no need to check it again.
        if record.fingerprint != fingerprint
            || self.folder.stamp(&self.dir, relative) != Some(record.stamp)
        {
            return false;
        }
        self.current.insert(k, *record);
        true
    }

    /// The folder has the file at `relative` as made from inputs with `fingerprint`,
    /// untouched since (nothing is kept: only asked).
    pub(super) fn has_intact(&self, relative: &Path, fingerprint: u128) -> bool {
        self.listing
            .files
            .get(&key(relative))
            .filter(|(p, _)| p == relative)
            .is_some_and(|(_, record)| {
                record.fingerprint == fingerprint
                    && self.folder.stamp(&self.dir, relative) == Some(record.stamp)
            })
    }

    /// Keeps every file the folder has under `folder` (a search index), when all were made from
    /// inputs with `fingerprint` and none was touched since; false (keeping none) otherwise.
    pub(super) fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool {
        let files = self.intact_under(folder, fingerprint);
        for (k, _, record) in &files {
            self.current.insert(*k, *record);
        }
        !files.is_empty()
    }

    /// The manifest lists files under `folder`.
    pub(super) fn lists_under(&self, folder: &Path) -> bool {
        self.listing
            .files
            .values()
            .any(|(path, _)| path.starts_with(folder))
    }

    /// Keeps every file under `folder` that is as written, with the fingerprint it was made
    /// from (so that a later pass still sees it as out of date).
    pub(super) fn retain_under(&self, folder: &Path) {
        for (k, (path, record)) in &self.listing.files {
            if path.starts_with(folder) && self.folder.stamp(&self.dir, path) == Some(record.stamp)
            {
                self.current.insert(*k, *record);
            }
        }
    }

    /// The files under `folder` (key, path, record), when the manifest lists some and every
    /// one was made from inputs with `fingerprint` and is as written (looked at once each, on
    /// every thread); else none.
    pub(super) fn intact_under(
        &self,
        folder: &Path,
        fingerprint: u128,
    ) -> Vec<(u128, PathBuf, Record)> {
        use rayon::prelude::*;
        let mut files: Vec<(u128, PathBuf, Record)> = self
            .listing
            .files
            .iter()
            .filter(|(_, (path, _))| path.starts_with(folder))
            .map(|(k, (path, record))| (*k, path.clone(), *record))
            .collect();
        let intact = files.par_iter().all(|(_, path, record)| {
            record.fingerprint == fingerprint
                && self.folder.stamp(&self.dir, path) == Some(record.stamp)
        });
        if !intact {
            return Vec::new();
        }
        files.sort_unstable_by(|a, b| a.1.cmp(&b.1));
        files
    }

    /// Writes one file made from inputs with `fingerprint`, unless the folder already has it;
    /// returns whether it wrote. A file is replaced in one step, never seen half-written.
    pub(super) fn write(
        &self,
        relative: &Path,
        bytes: &[u8],
        fingerprint: u128,
    ) -> Result<bool, OutputError> {
        if self.keeps(relative, fingerprint) {
            return Ok(false);
        }
        let content = xxhash_rust::xxh3::xxh3_128(bytes);
        self.place(relative, fingerprint, content, |path| {
            let stamp = if self.in_place {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(self.io_error("create", parent))?;
                }
                file::replace(path, &[bytes], &self.token)
            } else {
                file::put(path, bytes, &self.token, &self.folders)
            };
            stamp.map_err(self.io_error("write", path))
        })
    }

    /// Puts the file at `relative`, made from `fingerprint`, whose bytes hash to `content`,
    /// with `put` unless the folder holds those bytes there already; returns whether it wrote.
    fn place(
        &self,
        relative: &Path,
        fingerprint: u128,
        content: u128,
        put: impl FnOnce(&Path) -> Result<Stamp, OutputError>,
    ) -> Result<bool, OutputError> {
        let path = inside(&self.dir, relative)?;
        self.refuse_duplicate(relative)?;
        if self.holds(relative, &path, content) {
            // New inputs, the same bytes: the file stays, with its new fingerprint.
            self.record(relative, fingerprint, content, &path);
            return Ok(false);
        }
        self.unlist();
        let stamp = put(&path)?;
        self.record_stamp(relative, fingerprint, content, stamp);
        Ok(true)
    }

    /// The folder has the file at `relative` with exactly the bytes hashed as `content`, as
    /// written and untouched since.
    fn holds(&self, relative: &Path, path: &Path, content: u128) -> bool {
        self.listing
            .files
            .get(&key(relative))
            .is_some_and(|(p, r)| {
                p == relative && r.content == content && Stamp::of(path) == Some(r.stamp)
            })
    }

    fn record(&self, relative: &Path, fingerprint: u128, content: u128, path: &Path) {
        let stamp = Stamp::of(path).unwrap_or(Stamp::UNKNOWN);
        self.record_stamp(relative, fingerprint, content, stamp);
    }

    fn record_stamp(&self, relative: &Path, fingerprint: u128, content: u128, stamp: Stamp) {
        let record = Record {
            fingerprint,
            content,
            stamp,
        };
        let k = key(relative);
        self.current.insert(k, record);
        let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
        written.insert(k, relative.to_path_buf());
    }

    fn refuse_duplicate(&self, relative: &Path) -> Result<(), OutputError> {
        if self.current.contains(key(relative)) {
            return Err(OutputError::Duplicate {
                path: relative.to_path_buf(),
                hint: "a static file, a page or a post asset share this path; rename one"
                    .to_string(),
            });
        }
        Ok(())
    }

    /// Copies a file of the site into the folder, unless it is there already (made from the
    /// same source path, size and time).
    pub(super) fn copy(&self, source: &Path, relative: &Path) -> Result<bool, OutputError> {
        let made_from = source_fingerprint(source);
        if let Some(fingerprint) = made_from
            && self.keeps(relative, fingerprint)
        {
            return Ok(false);
        }
        if let Some(fingerprint) = made_from
            && !self.in_place
        {
            return self.copy_new(source, relative, fingerprint);
        }
        let bytes = fs::read(source).map_err(self.io_error("read", source))?;
        let fingerprint = made_from.unwrap_or_else(|| xxhash_rust::xxh3::xxh3_128(&bytes));
        self.write(relative, &bytes, fingerprint)
    }

    /// [`Tree::copy`] into a staging folder: the kernel copies the bytes (a post's photos are
    /// most of a site's bytes), which are known by the source's fingerprint, not hashed.
    fn copy_new(
        &self,
        source: &Path,
        relative: &Path,
        fingerprint: u128,
    ) -> Result<bool, OutputError> {
        self.place(relative, fingerprint, fingerprint, |path| {
            let mut from = fs::File::open(source).map_err(self.io_error("read", source))?;
            file::put_copy(path, &mut from, &self.token, &self.folders)
                .map_err(self.io_error("write", path))
        })
    }

    /// Removes every file the folder held that this run did not keep or write, and the
    /// folders left empty; returns them, in order.
    pub(super) fn remove_stale(&self) -> Result<Vec<PathBuf>, OutputError> {
        let mut gone: Vec<&PathBuf> = self
            .listing
            .files
            .iter()
            .filter(|(k, _)| !self.current.contains(**k))
            .map(|(_, (path, _))| path)
            .collect();
        gone.sort();
        if !gone.is_empty() {
            self.unlist();
        }
        let mut touched = self.touched.lock().unwrap_or_else(PoisonError::into_inner);
        for relative in &gone {
            manifest::add_folders_of(&mut touched, relative);
        }
        drop(touched);
        for relative in gone.iter().rev() {
            let path = self.dir.join(relative);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(self.io_error("remove", &path)(e)),
            }
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.dir) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(gone.into_iter().cloned().collect())
    }

    /// Ends a run: what it kept and wrote is what the folder holds now, and the next run
    /// starts from it. Returns whether that differs from what it held.
    pub(super) fn advance(&mut self) -> bool {
        let current = self.current.take();
        let written = std::mem::take(
            self.written
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        // The folder may have been replaced (`rm -rf public` while serving): look files up
        // in the one there now.
        self.folder = Folder::open(&self.dir);
        let changed = self.unlisted.load(Ordering::Relaxed)
            || !written.is_empty()
            || current.len() != self.listing.files.len();
        if changed {
            let touched = self
                .touched
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner);
            for path in written.values() {
                manifest::add_folders_of(touched, path);
            }
            // Kept files keep their records: only the written ones and the gone ones change.
            self.listing.files.retain(|k, _| current.contains_key(k));
            for (k, path) in written {
                if let Some(record) = current.get(&k) {
                    self.listing.files.insert(k, (path, *record));
                }
            }
        }
        changed
    }

    /// Writes the folder's manifest, when it was marked as being changed (and the folder
    /// changed since).
    pub(super) fn list(&mut self) -> Result<(), OutputError> {
        if !self.unlisted.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        let touched = std::mem::take(
            self.touched
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        // A served folder may hold files added by hand, which serve leaves alone: a folder
        // holding one is left without a stamp, so that the next build reads it.
        let unstamped = if self.in_place {
            foreign::holding_unlisted(&self.dir, &self.listing, &touched)
        } else {
            HashSet::new()
        };
        self.listing.folders = manifest::write(
            &self.dir,
            (&self.parent, &self.name),
            &self.listing,
            (&touched, &unstamped),
            &self.token,
        )
        .map_err(self.io_error("write the manifest of", &self.dir))?;
        self.listing.trusted = true;
        self.listing.owned = true;
        Ok(())
    }

    /// [`Tree::advance`], then [`Tree::list`].
    pub(super) fn save(&mut self) -> Result<(), OutputError> {
        self.advance();
        self.list()
    }
}
