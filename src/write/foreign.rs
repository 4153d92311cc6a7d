//! What an output folder holds that playpress did not write: a file added by hand
//! (`public/CNAME`), a folder copied in, the user's own files in a folder given as the
//! output. A build replaces its output whole, so such a file would be in every second output
//! only (it goes with the folder swapped out): instead it is found before the swap and
//! removed with one warning, the same after every build. A `.git` at the top (a gh-pages
//! checkout) is the exception: it is moved into each new output, never copied.
//!
//! Finding them reads only the folders whose entries changed since the manifest was written
//! (their stamps), and the top folder: an unchanged output costs one `statx` a folder.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::manifest::{Listing, folders_of, key};
use super::stamp::{Folder, inode};
use crate::diagnostic::Diagnostic;

/// The one name at the top of an output that is kept in place through every build.
pub(super) const KEPT: &str = ".git";

/// An entry of an output folder that playpress did not write.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// Relative to the output.
    pub(crate) path: PathBuf,
    /// A folder (removed whole, with all it holds).
    pub(crate) folder: bool,
}

impl Entry {
    fn shown(&self, output: &Path) -> String {
        let path = output.join(&self.path);
        if self.folder {
            format!("{}/", path.display())
        } else {
            path.display().to_string()
        }
    }
}

/// The entries of `dir` that its `listing` does not name (the kept `.git` aside), sorted;
/// a folder none of whose files is listed is one entry.
pub(super) fn find(dir: &Path, listing: &Listing) -> Vec<Entry> {
    use rayon::prelude::*;
    let ours = folders_of(&listing.files);
    let handle = Folder::open(dir);
    let mut changed: Vec<&Path> = ours
        .paths
        .par_iter()
        .copied()
        .filter(|f| {
            let listed = listing.folders.get(&key(f)).map(|(_, stamp)| stamp);
            listed != handle.folder_stamp(dir, f).as_ref()
        })
        .collect();
    changed.push(Path::new(""));
    let mut found: Vec<Entry> = changed
        .par_iter()
        .flat_map_iter(|folder| unlisted_in(dir, folder, listing, &ours.keys))
        .collect();
    found.sort();
    found
}

/// Those of `folders` (in `dir`, by [`key`]) that hold an entry `listing` does not name.
pub(super) fn holding_unlisted(
    dir: &Path,
    listing: &Listing,
    folders: &HashSet<u128>,
) -> HashSet<u128> {
    if folders.is_empty() {
        return HashSet::new();
    }
    let ours = folders_of(&listing.files);
    ours.paths
        .iter()
        .map(|f| (key(f), f))
        .filter(|(k, f)| {
            folders.contains(k) && !unlisted_in(dir, f, listing, &ours.keys).is_empty()
        })
        .map(|(k, _)| k)
        .collect()
}

/// The entries of `folder` (in `dir`) that are neither a listed file nor a folder holding one
/// (`ours`, by [`key`]).
fn unlisted_in(dir: &Path, folder: &Path, listing: &Listing, ours: &HashSet<u128>) -> Vec<Entry> {
    let Ok(entries) = fs::read_dir(dir.join(folder)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let relative = folder.join(entry.file_name());
        if folder.as_os_str().is_empty() && relative == Path::new(KEPT) {
            continue;
        }
        // The entry itself, a link not followed.
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        let k = key(&relative);
        let listed = if is_folder {
            ours.contains(&k)
        } else {
            listing.files.get(&k).is_some_and(|(p, _)| *p == relative)
        };
        if !listed {
            found.push(Entry {
                path: relative,
                folder: is_folder,
            });
        }
    }
    found
}

/// Removes `entries` from `dir`, folders whole; a link is removed, never followed.
pub(super) fn remove(dir: &Path, entries: &[Entry]) {
    for entry in entries {
        let _ = remove_one(&dir.join(&entry.path));
    }
}

/// Removes the file, link or folder (whole) at `path`; a link is removed, never followed.
pub(super) fn remove_one(path: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// The note of entries to remove from the folder `dir` (of the output `name` in `parent`)
/// once it is swapped out, kept until they are: a build stopped in between leaves them
/// named, for the next build to remove from its staging folder.
fn pending_path(dir: &Path, (parent, name): &(PathBuf, String)) -> Option<PathBuf> {
    let meta = fs::metadata(dir).ok()?;
    Some(parent.join(format!(".{name}.playpress-removing-{}", inode(&meta))))
}

/// Notes `entries`, about to be swapped out with the folder `dir`, as to be removed.
pub(super) fn note_pending(dir: &Path, names: &(PathBuf, String), entries: &[Entry]) {
    let Some(path) = pending_path(dir, names).filter(|_| !entries.is_empty()) else {
        return;
    };
    let mut text = String::new();
    for entry in entries {
        if let Some(line) = entry.path.to_str().filter(|p| !p.contains('\n')) {
            text.push_str(line);
            text.push('\n');
        }
    }
    let _ = fs::write(path, text);
}

/// The entries of `dir` were removed: their note goes.
pub(super) fn forget_pending(dir: &Path, names: &(PathBuf, String)) {
    if let Some(path) = pending_path(dir, names) {
        let _ = fs::remove_file(path);
    }
}

/// Removes the entries noted as to be removed from `dir` (a staging folder), if a build
/// stopped before it removed them.
pub(super) fn remove_pending(dir: &Path, names: &(PathBuf, String)) {
    let Some(path) = pending_path(dir, names) else {
        return;
    };
    let Ok(text) = fs::read_to_string(&path) else {
        return;
    };
    let entries: Vec<Entry> = text
        .lines()
        .map(PathBuf::from)
        .filter(|p| {
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
                && p != Path::new(KEPT)
        })
        .map(|path| Entry {
            path,
            folder: false,
        })
        .collect();
    remove(dir, &entries);
    let _ = fs::remove_file(path);
}

/// The warning of a build that removed `entries` from the output (as the user knows it,
/// `output`).
pub(crate) fn warning(output: &Path, entries: &[Entry]) -> Diagnostic {
    const SHOWN: usize = 5;
    let message = match entries {
        [one] => format!(
            "{} was not written by playpress, so the build removed it from the output",
            one.shown(output)
        ),
        _ => {
            let names: Vec<String> = entries
                .iter()
                .take(SHOWN)
                .map(|e| e.shown(output))
                .collect();
            let more = match entries.len().saturating_sub(SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!(
                "{} files in {}/ were not written by playpress, so the build removed them from the output: {}{more}",
                entries.len(),
                output.display(),
                names.join(", ")
            )
        }
    };
    let example = entries.iter().find(|e| {
        !e.folder
            && e.path
                .file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
    });
    let how = match example {
        Some(e) => format!(
            "static/{} is copied to {} by every build",
            e.path.display(),
            e.shown(output)
        ),
        None => "every build copies it into the output".to_string(),
    };
    Diagnostic::warning("", message).with_hint(format!(
        "put a file to publish in static/ ({how}); only a {KEPT} in the output is kept as it is"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::{self, Files, Record};
    use crate::write::stamp::Stamp;

    fn listing_of(dir: &Path, files: &[&str]) -> Listing {
        let mut listed = Files::new();
        for file in files {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, file).unwrap();
            let record = Record {
                fingerprint: 1,
                content: 2,
                stamp: Stamp::of(&path).unwrap(),
            };
            listed.insert(key(Path::new(file)), (PathBuf::from(file), record));
        }
        let listing = Listing {
            files: listed,
            ..Listing::default()
        };
        let none = HashSet::new();
        manifest::write(
            dir,
            (dir.parent().unwrap(), "out"),
            &listing,
            (&none, &none),
            "t",
        )
        .unwrap();
        manifest::read(dir, dir.parent().unwrap(), "out")
    }

    fn names(found: &[Entry]) -> Vec<String> {
        found.iter().map(|e| e.shown(Path::new("out"))).collect()
    }

    #[test]
    fn unlisted_files_and_folders_are_found_at_any_depth_and_git_is_not() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let listing = listing_of(
            &dir,
            &["index.html", "posts/a/index.html", "posts/b/index.html"],
        );
        assert_eq!(find(&dir, &listing), []);
        fs::write(dir.join("CNAME"), "x").unwrap();
        fs::create_dir_all(dir.join(".git/objects")).unwrap();
        fs::write(dir.join("posts/a/extra.pdf"), "x").unwrap();
        fs::create_dir_all(dir.join("posts/b/more/deeper")).unwrap();
        std::os::unix::fs::symlink("/etc", dir.join("posts/link")).unwrap();
        assert_eq!(
            names(&find(&dir, &listing)),
            [
                "out/CNAME",
                "out/posts/a/extra.pdf",
                "out/posts/b/more/",
                "out/posts/link"
            ]
        );
        remove(&dir, &find(&dir, &listing));
        assert!(
            Path::new("/etc").is_dir(),
            "a link is removed, not followed"
        );
        assert_eq!(find(&dir, &listing), []);
        assert!(dir.join(".git/objects").is_dir());
        assert!(dir.join("posts/a/index.html").is_file());
    }

    #[test]
    fn a_folder_without_a_manifest_is_foreign_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("docs");
        fs::create_dir_all(dir.join("Documents")).unwrap();
        fs::write(dir.join("Documents/thesis.txt"), "x").unwrap();
        fs::write(dir.join("notes.md"), "x").unwrap();
        let listing = manifest::read(&dir, root.path(), "docs");
        assert_eq!(
            names(&find(&dir, &listing)),
            ["out/Documents/", "out/notes.md"]
        );
    }

    #[test]
    fn the_warning_names_a_few_and_shows_where_to_put_them() {
        let entry = |p: &str, folder| Entry {
            path: PathBuf::from(p),
            folder,
        };
        let one = warning(Path::new("public"), &[entry("CNAME", false)]).to_string();
        assert_eq!(
            one,
            "warning: public/CNAME was not written by playpress, so the build removed it from the output\n  = help: put a file to publish in static/ (static/CNAME is copied to public/CNAME by every build); only a .git in the output is kept as it is"
        );
        let many: Vec<Entry> = (0..7).map(|i| entry(&format!(".f{i}"), false)).collect();
        let text = warning(Path::new("public"), &many).to_string();
        assert!(
            text.starts_with("warning: 7 files in public/ were not written by playpress, so the build removed them from the output: public/.f0, public/.f1, public/.f2, public/.f3, public/.f4 and 2 more\n  = help: put a file to publish in static/ (every build copies it into the output);"),
            "{text}"
        );
    }
}
