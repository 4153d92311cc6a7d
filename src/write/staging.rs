//! A build's output in progress: a staging folder beside the output, swapped in only when
//! the whole build succeeded.
//!
//! The staging folder is kept between builds: after a swap it holds the output before last,
//! with its manifest ([`Tree`]). The next build rewrites only the files whose fingerprint
//! changed or that were touched since, removes the files that have no source any more, and
//! swaps the folders again. A rebuild of an unchanged site writes nothing and deletes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use super::foreign::{self, Entry, KEPT};
use super::lock::{Holder, OutputLock, parent_and_name, refuse_link};
use super::manifest;
use super::stamp::inode;
use super::tree::Tree;
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
    /// What the output's manifest says of it: read on a thread of its own from the start.
    output: std::sync::OnceLock<Tree>,
    reading_output: std::sync::Mutex<Option<std::thread::JoinHandle<Tree>>>,
}

impl Staging {
    /// Locks `target` for a build and prepares the staging folder beside it. A target
    /// playpress did not write is refused unless `overwrite`.
    pub(crate) fn begin(root: &Path, target: &Path, overwrite: bool) -> Result<Self, OutputError> {
        Self::with_lock(OutputLock::acquire(root, target, Holder::Build, overwrite)?)
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
        return_kept(&dir, &target)?;
        let mut tree = Tree::open(dir.clone(), parent, name, false);
        let empty = fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_none());
        // The manifest is marked while the build changes the folder: if the build stops
        // half-way, the next one finds it so and clears what that build left.
        tree.unlist();
        if !tree.trusted() && !empty {
            // Stale: a build stopped half-way (killed, or the disk filled). What it wrote may
            // be what fills the disk, so it goes before anything is written.
            clear(&dir)?;
            tree.forget();
        } else {
            // Left by a build stopped between its swap and the removal of what the output
            // held that playpress did not write.
            foreign::remove_pending(&dir, &parent_and_name(&target));
        }
        let reading = {
            let (target, (parent, name)) = (target.clone(), parent_and_name(&target));
            std::thread::spawn(move || Tree::open(target, parent, name, false))
        };
        Ok(Self {
            tree,
            target,
            output: std::sync::OnceLock::new(),
            reading_output: std::sync::Mutex::new(Some(reading)),
            _lock: lock,
            swapped: false,
        })
    }

    /// What the output's manifest says of it.
    fn output(&self) -> &Tree {
        output_of(&self.output, &self.reading_output, &self.target)
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
        if !self.output().has_intact(relative, fingerprint) {
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
        let files = self.output().intact_under(folder, fingerprint);
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
        let prefix = format!(".{name}.playpress-tree-");
        for entry in entries.flatten() {
            let file = entry.path();
            let a_manifest = entry.file_name().to_string_lossy().starts_with(&prefix);
            if a_manifest && !manifest::is_live(&file, &parent, &name, &live) {
                let _ = fs::remove_file(file);
            }
        }
    }

    /// Swaps the staging folder in place of the output; returns the output and what the
    /// output held that playpress did not write, removed (a `.git` at its top is moved into
    /// the new output instead). The lock goes with the staging folder.
    pub(crate) fn commit(mut self) -> Result<(PathBuf, Vec<Entry>), OutputError> {
        self.tree.remove_stale()?;
        let exists = fs::symlink_metadata(&self.target).is_ok();
        let output = output_of(&self.output, &self.reading_output, &self.target);
        let tree = &mut self.tree;
        let (saved, foreign) = rayon::join(
            || tree.save(),
            || if exists { output.foreign() } else { Vec::new() },
        );
        saved?;
        if exists {
            keep_in_place(&self.target, &self.tree.dir)?;
            let names = parent_and_name(&self.target);
            foreign::note_pending(&self.target, &names, &foreign);
            // The staging folder then holds the previous output: the next build starts from it.
            swap(&self.tree.dir, &self.target)?;
            foreign::remove(&self.tree.dir, &foreign);
            foreign::forget_pending(&self.tree.dir, &names);
        } else {
            fs::rename(&self.tree.dir, &self.target)
                .map_err(io_error("move the new output to", &self.target))?;
        }
        self.swapped = true;
        self.forget_old_manifests();
        Ok((self.target.clone(), foreign))
    }
}

/// What the manifest of the output at `target` says of it: read by the thread `reading`
/// started, or now.
fn output_of<'a>(
    cell: &'a std::sync::OnceLock<Tree>,
    reading: &std::sync::Mutex<Option<std::thread::JoinHandle<Tree>>>,
    target: &Path,
) -> &'a Tree {
    cell.get_or_init(|| {
        let handle = reading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        handle.and_then(|h| h.join().ok()).unwrap_or_else(|| {
            let (parent, name) = parent_and_name(target);
            Tree::open(target.to_path_buf(), parent, name, false)
        })
    })
}

/// Moves the output's `.git` into the staging folder about to be swapped in, so that it
/// stays where it is.
fn keep_in_place(output: &Path, staging: &Path) -> Result<(), OutputError> {
    let kept = output.join(KEPT);
    if fs::symlink_metadata(&kept).is_err() {
        return Ok(());
    }
    let moved = staging.join(KEPT);
    if fs::symlink_metadata(&moved).is_ok() {
        return Err(two_gits(output, staging));
    }
    fs::rename(&kept, &moved).map_err(io_error("move the output's .git into", staging))
}

fn two_gits(output: &Path, staging: &Path) -> OutputError {
    OutputError::TwoGits {
        output: output.to_path_buf(),
        staging: staging.to_path_buf(),
    }
}

/// Removes everything in the staging folder `dir` but a `.git` (one is there only when the
/// output has none: [`return_kept`] gave it back).
fn clear(dir: &Path) -> Result<(), OutputError> {
    let entries = fs::read_dir(dir).map_err(io_error("clear the stale staging folder", dir))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name() != KEPT {
            foreign::remove_one(&path)
                .map_err(io_error("clear the stale staging folder", &path))?;
        }
    }
    Ok(())
}

/// Gives the output back the `.git` a build moved into the staging folder and could not
/// swap in (it was stopped in between).
fn return_kept(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let kept = staging.join(KEPT);
    if fs::symlink_metadata(&kept).is_err() {
        return Ok(());
    }
    if fs::symlink_metadata(output.join(KEPT)).is_ok() {
        return Err(two_gits(output, staging));
    }
    if fs::symlink_metadata(output).is_err() {
        fs::create_dir_all(output).map_err(io_error("create", output))?;
    }
    fs::rename(&kept, output.join(KEPT)).map_err(io_error("give back the .git of", output))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::LiveOutput;

    /// A build writing `files`; returns the entries it removed as foreign.
    fn build(root: &Path, target: &Path, files: &[&str]) -> Vec<Entry> {
        let staging = Staging::begin(root, target, false).unwrap();
        for name in files {
            staging.write(Path::new(name), name.as_bytes()).unwrap();
        }
        staging.commit().unwrap().1
    }

    fn staging_of(root: &Path) -> PathBuf {
        root.join(".public.playpress-staging")
    }

    #[test]
    fn a_git_moved_aside_by_a_build_stopped_before_its_swap_is_given_back() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        fs::create_dir_all(target.join(".git")).unwrap();
        fs::write(target.join(".git/HEAD"), "gh-pages").unwrap();
        build(root.path(), &target, &["index.html"]);
        build(root.path(), &target, &["index.html"]);
        // Stopped between moving `.git` into the staging folder and the swap.
        fs::rename(target.join(".git"), staging_of(root.path()).join(".git")).unwrap();
        assert_eq!(build(root.path(), &target, &["index.html"]), []);
        assert_eq!(
            fs::read_to_string(target.join(".git/HEAD")).unwrap(),
            "gh-pages"
        );
        assert!(!staging_of(root.path()).join(".git").exists());
    }

    #[test]
    fn a_stale_staging_folder_is_cleared_but_never_of_a_git() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        build(root.path(), &target, &["index.html"]);
        let staging = staging_of(root.path());
        fs::create_dir_all(staging.join(".git")).unwrap();
        fs::write(staging.join("half-written.html"), "x").unwrap();
        drop(Staging::begin(root.path(), &target, false).unwrap());
        assert!(!staging.join("half-written.html").exists());
        assert!(target.join(".git").is_dir(), "given back to the output");
        // Two `.git` folders: neither is deleted, and the build says so before it starts.
        fs::create_dir_all(staging.join(".git")).unwrap();
        let error = Staging::begin(root.path(), &target, false).unwrap_err();
        assert!(
            error.to_string().contains("hold a .git: a build was stopped while it moved the output's .git, and playpress deletes neither"),
            "{error}"
        );
        assert!(staging.join(".git").is_dir() && target.join(".git").is_dir());
    }

    #[test]
    fn an_output_left_by_a_server_stopped_mid_change_is_still_playpress_s() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        build(root.path(), &target, &["a.html", "b/index.html"]);
        let (live, removed) = LiveOutput::open(root.path(), &target, false).unwrap();
        assert_eq!(removed, []);
        drop(live);
        // Killed while changing a file: the manifest is left marked as being changed.
        let manifest = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let inode = inode(&fs::metadata(&target).unwrap());
                p.to_string_lossy()
                    .ends_with(&format!("playpress-tree-{inode}"))
            })
            .unwrap();
        let mut changing = manifest.clone().into_os_string();
        changing.push(".changing");
        fs::rename(&manifest, &changing).unwrap();
        fs::write(target.join("a.html"), "half").unwrap();
        let (live, _) = LiveOutput::open(root.path(), &target, false).unwrap();
        let b = xxhash_rust::xxh3::xxh3_128(b"b/index.html");
        assert!(
            !live.keeps(Path::new("b/index.html"), b),
            "nothing is trusted"
        );
        drop(live);
        // A build takes it without a word and without calling its files foreign.
        assert_eq!(build(root.path(), &target, &["a.html", "b/index.html"]), []);
        assert_eq!(fs::read_to_string(target.join("a.html")).unwrap(), "a.html");
    }

    #[test]
    fn what_a_build_stopped_after_its_swap_did_not_remove_is_removed_by_the_next() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        build(root.path(), &target, &["index.html", "posts/a/index.html"]);
        build(root.path(), &target, &["index.html", "posts/a/index.html"]);
        // Swapped out with a file added by hand, and noted, but stopped before removing it.
        let staging = staging_of(root.path());
        fs::write(staging.join("posts/a/extra.pdf"), "x").unwrap();
        let ino = inode(&fs::metadata(&staging).unwrap());
        let note = root
            .path()
            .join(format!(".public.playpress-removing-{ino}"));
        fs::write(&note, "posts/a/extra.pdf\n../../outside\n").unwrap();
        for _ in 0..2 {
            assert_eq!(
                build(root.path(), &target, &["index.html", "posts/a/index.html"]),
                []
            );
            assert!(!target.join("posts/a/extra.pdf").exists());
        }
        assert!(!note.exists());
    }

    #[test]
    fn a_file_added_by_hand_beside_one_serve_rewrote_is_found_by_the_next_build() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let site = ["index.html", "posts/a/index.html"];
        build(root.path(), &target, &site);
        let (mut live, _) = LiveOutput::open(root.path(), &target, false).unwrap();
        fs::write(target.join("posts/a/extra.pdf"), "x").unwrap();
        live.write(Path::new("posts/a/index.html"), b"new", 9)
            .unwrap();
        live.commit().unwrap();
        live.list().unwrap();
        drop(live);
        let found = build(root.path(), &target, &site);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, Path::new("posts/a/extra.pdf"));
        assert!(!target.join("posts/a/extra.pdf").exists());
        assert_eq!(build(root.path(), &target, &site), []);
        assert!(!target.join("posts/a/extra.pdf").exists());
    }
}
