//! A build's output in progress: a staging folder beside the output, swapped in only when
//! the whole build succeeded.
//!
//! The staging folder is kept between builds: after a swap it holds the output before last,
//! with its manifest ([`Tree`]). The next build rewrites only the files whose fingerprint
//! changed or that were touched since, removes the files that have no source any more, and
//! swaps the folders again. A rebuild of an unchanged site writes nothing and deletes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use super::lock::{Holder, OutputLock, parent_and_name, refuse_link};
use super::stamp::inode;
use super::tree::{Tree, manifest_path};
use super::{OutputError, io_error};

/// A build's output in progress.
#[derive(Debug)]
pub(crate) struct Staging {
    tree: Tree,
    target: PathBuf,
    /// Held until the staging folder is swapped in or given up.
    _lock: OutputLock,
    /// The folder was swapped in: it now holds the output before last, to be kept.
    swapped: bool,
    /// What the output's manifest says of it, read when first asked.
    output: std::sync::OnceLock<Tree>,
}

impl Staging {
    /// Locks `target` for a build and prepares the staging folder beside it.
    pub(crate) fn begin(root: &Path, target: &Path) -> Result<Self, OutputError> {
        Self::with_lock(OutputLock::acquire(root, target, Holder::Build)?)
    }

    /// Prepares the staging folder beside the locked output: the one kept from the build
    /// before, with what its manifest says of it, or a new empty one.
    pub(crate) fn with_lock(lock: OutputLock) -> Result<Self, OutputError> {
        let target = lock.target().to_path_buf();
        let (parent, name) = parent_and_name(&target);
        let dir = parent.join(format!(".{name}.playpress-staging"));
        refuse_link(&dir, "staging folder")?;
        let is_dir = fs::symlink_metadata(&dir).map(|m| m.is_dir());
        if matches!(is_dir, Ok(false)) {
            fs::remove_file(&dir).map_err(io_error("remove", &dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_error("create", &dir))?;
        let tree = Tree::open(dir.clone(), parent, name, false);
        // The manifest is taken away while the build changes the folder: if the build stops
        // half-way, the next one finds none and clears what that build left.
        tree.unlist();
        let empty = fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_none());
        if tree.knows_nothing() && !empty {
            // Stale: a build stopped half-way (killed, or the disk filled). What it wrote may
            // be what fills the disk, so it goes before anything is written.
            fs::remove_dir_all(&dir).map_err(io_error("clear the stale staging folder", &dir))?;
            fs::create_dir(&dir).map_err(io_error("create", &dir))?;
        }
        Ok(Self {
            tree,
            target,
            output: std::sync::OnceLock::new(),
            _lock: lock,
            swapped: false,
        })
    }

    /// Keeps the file at `relative` as the staging folder has it, when it was made from the
    /// same inputs (`fingerprint`) and has not been touched since. Returns whether it did.
    pub(crate) fn keeps(&self, relative: &Path, fingerprint: u128) -> bool {
        self.tree.keeps(relative, fingerprint)
    }

    /// Takes the file at `relative` from the output, when the output has it as made from
    /// inputs with `fingerprint`, untouched since (for files costly to make: the staging
    /// folder holds the output before last). Returns whether it did.
    pub(crate) fn takes_from_output(
        &self,
        relative: &Path,
        fingerprint: u128,
    ) -> Result<bool, OutputError> {
        let output = self.output.get_or_init(|| {
            let (parent, name) = parent_and_name(&self.target);
            Tree::open(self.target.clone(), parent, name, false)
        });
        if !output.has_intact(relative, fingerprint) {
            return Ok(false);
        }
        let Ok(bytes) = fs::read(self.target.join(relative)) else {
            return Ok(false);
        };
        self.tree.write(relative, &bytes, fingerprint)?;
        Ok(true)
    }

    /// Keeps every file under `folder`, when all were made from inputs with `fingerprint`.
    /// The staging folder holds the output before last: when its files are older but the
    /// output has them as made from the same inputs, they are copied from the output.
    pub(crate) fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool {
        if self.tree.keeps_folder(folder, fingerprint) {
            return true;
        }
        let (parent, name) = parent_and_name(&self.target);
        let output = Tree::open(self.target.clone(), parent, name, false);
        let files = output.intact_under(folder, fingerprint);
        if files.is_empty() {
            return false;
        }
        files.iter().all(|(_, relative, _)| {
            fs::read(self.target.join(relative))
                .ok()
                .is_some_and(|bytes| self.tree.write(relative, &bytes, fingerprint).is_ok())
        })
    }

    /// The staging folder or the output lists files under `folder` (or the output has such
    /// a folder): [`Staging::keeps_folder`] may keep them.
    pub(crate) fn may_keep_folder(&self, folder: &Path) -> bool {
        self.tree.lists_under(folder) || fs::symlink_metadata(self.target.join(folder)).is_ok()
    }

    /// Writes one file (creating its folders); its fingerprint is a hash of its bytes.
    /// Returns whether it wrote (false: the staging folder had the file already).
    #[cfg(test)]
    pub(crate) fn write(&self, relative: &Path, bytes: &[u8]) -> Result<bool, OutputError> {
        self.tree
            .write(relative, bytes, xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// Writes one file made from inputs with `fingerprint`, unless the staging folder
    /// already has it.
    pub(crate) fn write_made_from(
        &self,
        relative: &Path,
        bytes: &[u8],
        fingerprint: u128,
    ) -> Result<bool, OutputError> {
        self.tree.write(relative, bytes, fingerprint)
    }

    /// Copies a file from the site into the output, unless it is there already.
    pub(crate) fn copy(&self, source: &Path, relative: &Path) -> Result<bool, OutputError> {
        self.tree.copy(source, relative)
    }

    /// Removes manifests of folders that no longer exist.
    fn forget_old_manifests(&self) {
        let (parent, name) = parent_and_name(&self.target);
        let live: Vec<u64> = [&self.tree.dir, &self.target]
            .iter()
            .filter_map(|d| fs::metadata(d).ok().map(|m| inode(&m)))
            .collect();
        let Ok(entries) = fs::read_dir(&parent) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.path();
            let ours = live
                .iter()
                .any(|&ino| manifest_path(&parent, &name, ino) == file);
            let a_manifest = entry
                .file_name()
                .to_string_lossy()
                .starts_with(&format!(".{name}.playpress-tree-"));
            if a_manifest && !ours {
                let _ = fs::remove_file(file);
            }
        }
    }

    /// Swaps the staging folder in place of the output; returns the output. The lock goes
    /// with the staging folder.
    pub(crate) fn commit(mut self) -> Result<PathBuf, OutputError> {
        self.tree.remove_stale()?;
        self.tree.save()?;
        if self.target.exists() {
            // The staging folder then holds the previous output: the next build starts from it.
            swap(&self.tree.dir, &self.target)?;
        } else {
            fs::rename(&self.tree.dir, &self.target)
                .map_err(io_error("move the new output to", &self.target))?;
        }
        self.swapped = true;
        self.forget_old_manifests();
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    /// A build that failed removes what it wrote (which may be what filled the disk); the
    /// output it would have replaced was never touched.
    fn drop(&mut self) {
        if !self.swapped {
            let _ = fs::remove_dir_all(&self.tree.dir);
        }
    }
}

/// Exchanges two directories atomically where the system allows it.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> Result<(), OutputError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => swap_by_rename(a, b),
        Err(e) => Err(io_error("swap in the new output at", b)(e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(a: &Path, b: &Path) -> Result<(), OutputError> {
    swap_by_rename(a, b)
}

/// Two renames, for systems without an atomic exchange.
fn swap_by_rename(a: &Path, b: &Path) -> Result<(), OutputError> {
    let aside = a.with_extension("previous");
    if aside.exists() {
        fs::remove_dir_all(&aside).map_err(io_error("remove", &aside))?;
    }
    fs::rename(b, &aside).map_err(io_error("move aside", b))?;
    fs::rename(a, b).map_err(io_error("move the new output to", b))?;
    fs::rename(&aside, a).map_err(io_error("move", &aside))?;
    Ok(())
}
