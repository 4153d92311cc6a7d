//! The output `serve` changes in place, file by file, while it holds the output's lock:
//! each file is replaced atomically, so a reader sees the old file or the new one. It starts
//! from what the last build left there (the output's manifest), so an unchanged site is
//! served without writing a file, and it records what it holds after every rebuild, so a
//! build after it trusts the folder too. A file removed or changed by another program is
//! not trusted, and written again.

use std::path::{Path, PathBuf};

use super::OutputError;
use super::foreign::{self, Entry};
use super::lock::{Holder, OutputLock, parent_and_name};
use super::tree::Tree;

/// A served output, changed in place.
#[derive(Debug)]
pub(crate) struct LiveOutput {
    tree: Tree,
    /// Held while the server runs.
    _lock: OutputLock,
}

impl LiveOutput {
    /// Locks `target`, the output of the site at `root`, for `serve`. A folder playpress did
    /// not write is refused unless `overwrite`; then what it holds (a `.git` aside) is
    /// removed, and returned. An output its manifest lists without trusting (left by a run
    /// that stopped) is written whole.
    pub(crate) fn open(
        root: &Path,
        target: &Path,
        overwrite: bool,
    ) -> Result<(Self, Vec<Entry>), OutputError> {
        let lock = OutputLock::acquire(root, target, Holder::Serve, overwrite)?;
        let target = lock.target().to_path_buf();
        let (parent, name) = parent_and_name(&target);
        std::fs::create_dir_all(&target).map_err(super::failed("create", &target, true))?;
        let tree = Tree::open(target.clone(), parent, name, true);
        let mut removed = Vec::new();
        if !tree.owned() {
            // Empty, or holding only a `.git`, or given up by `--output-overwrite`: the
            // folder is playpress's from now on.
            removed = tree.foreign();
            foreign::remove(&target, &removed);
            tree.unlist();
        }
        Ok((Self { tree, _lock: lock }, removed))
    }

    /// Keeps the file at `relative` as the output has it, when it was made from the same
    /// inputs and nobody touched it since.
    pub(crate) fn keeps(&self, relative: &Path, fingerprint: u128) -> bool {
        self.tree.keeps(relative, fingerprint)
    }

    /// Keeps every file under `folder`, when all were made from inputs with `fingerprint`.
    pub(crate) fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool {
        self.tree.keeps_folder(folder, fingerprint)
    }

    /// The output lists files under `folder`: [`LiveOutput::keeps_folder`] may keep them.
    pub(crate) fn may_keep_folder(&self, folder: &Path) -> bool {
        self.tree.lists_under(folder)
    }

    /// Keeps the files under `folder` as they are, whatever they were made from.
    pub(crate) fn retains_folder(&self, folder: &Path) {
        self.tree.retain_under(folder);
    }

    /// Writes one file made from inputs with `fingerprint`, unless the output has it already;
    /// returns whether it wrote.
    pub(crate) fn write(
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

    /// Ends a rebuild: removes the files it did not keep or write; the next rebuild starts
    /// from what the output holds now. Returns the files removed. The output's manifest is
    /// written by [`LiveOutput::list`], when the server is idle.
    pub(crate) fn commit(&mut self) -> Result<Vec<PathBuf>, OutputError> {
        let removed = self.tree.remove_stale()?;
        self.tree.advance();
        Ok(removed)
    }

    /// Records what the output holds in its manifest, if a rebuild changed it, so a build or
    /// a server after this one trusts it. Until then, the manifest is marked as being
    /// changed: a server stopped in between leaves an output that is written whole next time.
    pub(crate) fn list(&mut self) -> Result<(), OutputError> {
        self.tree.list()
    }
}

impl Drop for LiveOutput {
    fn drop(&mut self) {
        let _ = self.tree.list();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::Staging;

    /// The files of the output at `target`, as relative paths.
    fn files(target: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(target)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(target).unwrap().display().to_string())
            .collect();
        files.sort();
        files
    }

    /// A build writing `files` (name and bytes); returns how many it wrote.
    fn build(root: &Path, target: &Path, files: &[(&str, &[u8])]) -> usize {
        let staging = Staging::begin(root, target, false).unwrap();
        let written = files
            .iter()
            .filter(|(name, bytes)| staging.write(Path::new(name), bytes).unwrap())
            .count();
        staging.commit().unwrap();
        written
    }

    #[test]
    fn a_file_written_in_place_by_serve_is_removed_by_a_later_build() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        build(root.path(), &target, &[("a.html", b"a")]);
        // `serve`: a file written in place (a post added while it ran).
        let mut live = LiveOutput::open(root.path(), &target, false).unwrap().0;
        live.write(Path::new("a.html"), b"a", xxhash_rust::xxh3::xxh3_128(b"a"))
            .unwrap();
        live.write(Path::new("b.html"), b"b", 1).unwrap();
        live.commit().unwrap();
        drop(live);
        // Two builds without that post.
        build(root.path(), &target, &[("a.html", b"a")]);
        build(root.path(), &target, &[("a.html", b"a")]);
        assert_eq!(files(&target), ["a.html"]);
    }

    #[test]
    fn serve_starts_from_what_the_last_build_kept_and_a_build_after_it_too() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let site: [(&str, &[u8]); 2] = [("a.html", b"a"), ("b/index.html", b"b")];
        build(root.path(), &target, &site);
        assert_eq!(
            build(root.path(), &target, &site),
            2,
            "a new staging folder"
        );
        let mut live = LiveOutput::open(root.path(), &target, false).unwrap().0;
        for (name, bytes) in site {
            let fingerprint = xxhash_rust::xxh3::xxh3_128(bytes);
            assert!(live.keeps(Path::new(name), fingerprint), "{name} is kept");
        }
        assert_eq!(live.commit().unwrap(), Vec::<PathBuf>::new());
        drop(live);
        assert_eq!(
            build(root.path(), &target, &site),
            0,
            "nothing is written again"
        );
        // A file changed behind the server is not trusted.
        let mut live = LiveOutput::open(root.path(), &target, false).unwrap().0;
        std::fs::write(target.join("a.html"), "changed").unwrap();
        assert!(!live.keeps(Path::new("a.html"), xxhash_rust::xxh3::xxh3_128(b"a")));
        live.commit().unwrap();
    }
}
