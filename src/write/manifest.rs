//! An output folder's manifest: the file beside the folder that says playpress made it, and
//! what it holds: each file with what it was made from and its stamp, and each folder with
//! when its entries last changed (so that a file added by hand is found without reading
//! every folder).
//!
//! The manifest is named by the folder's inode (`.public.playpress-tree-<inode>`), so it
//! follows the folder when a build swaps two folders. While the folder changes it is renamed
//! `…-<inode>.changing`: a change that stops half-way leaves a folder still known to be
//! playpress's, whose files are listed but trusted with nothing (each is written again).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::stamp::{Folder, FolderStamp, Stamp, inode};

/// What the manifest knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Record {
    /// What the file was made from.
    pub(super) fingerprint: u128,
    /// A hash of its bytes: new inputs that give the same bytes need no write.
    pub(super) content: u128,
    pub(super) stamp: Stamp,
}

/// First line of a manifest.
const HEADER: &str = "playpress output manifest 3";
/// The manifest before folders were listed: its files are read as well.
const HEADER_2: &str = "playpress output manifest 2";
/// The suffix of a manifest whose folder is being changed.
const CHANGING: &str = "changing";

/// The files of a folder: by the hash of the relative path's bytes (far cheaper to look up
/// than a `Path`, which hashes component by component), with the path itself.
pub(super) type Files = HashMap<u128, (PathBuf, Record)>;

/// The stamps of folders: by [`key`], with the path.
pub(super) type FolderStamps = HashMap<u128, (PathBuf, FolderStamp)>;

pub(super) fn key(relative: &Path) -> u128 {
    xxhash_rust::xxh3::xxh3_128(relative.as_os_str().as_encoded_bytes())
}

/// What a folder's manifest says of it.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: Files,
    /// The stamps of the folders holding the files (the top folder aside), as written.
    pub(super) folders: FolderStamps,
    /// playpress made the folder: it has a manifest, perhaps one being changed.
    pub(super) owned: bool,
    /// The manifest was complete: the files' stamps can be trusted.
    pub(super) trusted: bool,
}

/// The manifest of the folder whose inode is `folder_inode`, for the output `name` in
/// `parent`.
pub(super) fn manifest_path(parent: &Path, name: &str, folder_inode: u64) -> PathBuf {
    parent.join(format!(".{name}.playpress-tree-{folder_inode}"))
}

/// `manifest` with `.suffix` after its name.
fn suffixed(manifest: &Path, suffix: &str) -> PathBuf {
    let mut name = manifest.as_os_str().to_os_string();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn changing_path(manifest: &Path) -> PathBuf {
    suffixed(manifest, CHANGING)
}

/// The manifest of `dir`, the output `name` in `parent`: nothing when it has none.
pub(super) fn read(dir: &Path, parent: &Path, name: &str) -> Listing {
    let Ok(meta) = fs::metadata(dir) else {
        return Listing::default();
    };
    let path = manifest_path(parent, name, inode(&meta));
    if let Ok(text) = fs::read_to_string(&path) {
        let (files, folders) = parse(&text).unwrap_or_default();
        return Listing {
            files,
            folders,
            owned: true,
            trusted: true,
        };
    }
    let Ok(text) = fs::read_to_string(changing_path(&path)) else {
        return Listing::default();
    };
    let (mut files, _) = parse(&text).unwrap_or_default();
    for (_, record) in files.values_mut() {
        record.stamp = Stamp::UNKNOWN;
    }
    Listing {
        files,
        folders: HashMap::new(),
        owned: true,
        trusted: false,
    }
}

/// The folder `dir` has a manifest (perhaps one being changed): playpress made it.
pub(super) fn exists(dir: &Path, parent: &Path, name: &str) -> bool {
    fs::metadata(dir).is_ok_and(|meta| {
        let path = manifest_path(parent, name, inode(&meta));
        fs::symlink_metadata(&path).is_ok() || fs::symlink_metadata(changing_path(&path)).is_ok()
    })
}

/// Marks the manifest of `dir` as being changed: renamed, or (for a folder that had none)
/// made empty, so the folder stays known as playpress's if the change stops half-way.
pub(super) fn unlist(dir: &Path, parent: &Path, name: &str) {
    let Ok(meta) = fs::metadata(dir) else {
        return;
    };
    let path = manifest_path(parent, name, inode(&meta));
    let changing = changing_path(&path);
    if fs::rename(&path, &changing).is_err() && fs::symlink_metadata(&changing).is_err() {
        let _ = fs::write(&changing, format!("{HEADER}\n"));
    }
}

/// Writes the manifest of `dir`, the output `name` in `parent` (replacing the one being
/// changed): the files of `listing`, and the stamps of the folders that hold them: read now
/// for the folders runs `touched` (or that it does not list), as it lists them for the
/// others, and none for the folders `unstamped` (both by [`key`]). Returns those stamps.
pub(super) fn write(
    dir: &Path,
    (parent, name): (&Path, &str),
    listing: &Listing,
    (touched, unstamped): (&HashSet<u128>, &HashSet<u128>),
    token: &str,
) -> io::Result<FolderStamps> {
    let meta = fs::metadata(dir)?;
    let path = manifest_path(parent, name, inode(&meta));
    let temp = suffixed(&path, &format!("{token}.tmp"));
    let mut folders = folder_stamps(dir, listing, touched);
    folders.retain(|k, _| !unstamped.contains(k));
    fs::write(&temp, text(&listing.files, &folders))?;
    fs::rename(&temp, &path)?;
    let _ = fs::remove_file(changing_path(&path));
    Ok(folders)
}

/// The manifest at `file` belongs to one of the folders with inodes `live`.
pub(super) fn is_live(file: &Path, parent: &Path, name: &str, live: &[u64]) -> bool {
    live.iter().any(|&ino| {
        let path = manifest_path(parent, name, ino);
        file == path || file == changing_path(&path)
    })
}

/// The folders holding `path`, from the nearest up (the top, which is not listed, aside).
fn folders_above(path: &Path) -> impl Iterator<Item = &Path> {
    // By bytes where the path is text: `Path::parent` parses components, far slower.
    let text = path.to_str();
    let mut end = text.map(str::len);
    let mut parent = path.parent();
    std::iter::from_fn(move || match (text, end) {
        (Some(text), Some(at)) => {
            let cut = text[..at].rfind('/')?;
            end = Some(cut);
            Some(Path::new(&text[..cut]))
        }
        _ => {
            let folder = parent.filter(|f| !f.as_os_str().is_empty())?;
            parent = folder.parent();
            Some(folder)
        }
    })
}

/// Adds the folders holding `path` (by [`key`]) to `folders`.
pub(super) fn add_folders_of(folders: &mut HashSet<u128>, path: &Path) {
    for folder in folders_above(path) {
        // Once a folder is in, so are the ones above it.
        if !folders.insert(key(folder)) {
            break;
        }
    }
}

/// The folders that hold some of `files`, each once (the top folder aside).
pub(super) struct Holders<'a> {
    /// By [`key`].
    pub(super) keys: HashSet<u128>,
    pub(super) paths: Vec<&'a Path>,
}

/// The folders that hold `files`.
pub(super) fn folders_of(files: &Files) -> Holders<'_> {
    let mut keys = HashSet::with_capacity(files.len());
    let mut paths = Vec::with_capacity(files.len());
    for (path, _) in files.values() {
        for folder in folders_above(path) {
            // Once a folder is in, so are the ones above it.
            if !keys.insert(key(folder)) {
                break;
            }
            paths.push(folder);
        }
    }
    Holders { keys, paths }
}

/// The stamps of the folders in `dir` that hold the files of `listing`: as it lists them,
/// but for those `touched` or not listed, read now (on every thread).
fn folder_stamps(dir: &Path, listing: &Listing, touched: &HashSet<u128>) -> FolderStamps {
    use rayon::prelude::*;
    let handle = Folder::open(dir);
    folders_of(&listing.files)
        .paths
        .par_iter()
        .filter_map(|f| {
            let k = key(f);
            let known = listing
                .folders
                .get(&k)
                .filter(|_| !touched.contains(&k))
                .map(|(_, stamp)| *stamp);
            known
                .or_else(|| handle.folder_stamp(dir, f))
                .map(|stamp| (k, (f.to_path_buf(), stamp)))
        })
        .collect()
}

fn parse(text: &str) -> Option<(Files, FolderStamps)> {
    let mut lines = text.lines();
    let header = lines.next()?;
    if header != HEADER && header != HEADER_2 {
        return None;
    }
    let mut files = HashMap::new();
    let mut folders = HashMap::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("d\t") {
            let (folder, stamp) = parse_folder(rest)?;
            folders.insert(key(&folder), (folder, stamp));
        } else {
            let (file, record) = parse_file(line)?;
            files.insert(key(&file), (file, record));
        }
    }
    Some((files, folders))
}

fn parse_file(line: &str) -> Option<(PathBuf, Record)> {
    let mut parts = line.splitn(6, '\t');
    let (fp, content, size, modified, ino, file) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let stamp = Stamp {
        size: size.parse().ok()?,
        modified_ns: modified.parse().ok()?,
        inode: ino.parse().ok()?,
    };
    let record = Record {
        fingerprint: u128::from_str_radix(fp, 16).ok()?,
        content: u128::from_str_radix(content, 16).ok()?,
        stamp,
    };
    Some((PathBuf::from(file), record))
}

fn parse_folder(rest: &str) -> Option<(PathBuf, FolderStamp)> {
    let mut parts = rest.splitn(3, '\t');
    let (modified, changed, folder) = (parts.next()?, parts.next()?, parts.next()?);
    let stamp = FolderStamp {
        modified_ns: modified.parse().ok()?,
        changed_ns: changed.parse().ok()?,
    };
    Some((PathBuf::from(folder), stamp))
}

/// A path as a manifest line holds it; none when it cannot (it will simply be written again
/// next time, or its folder read).
fn as_line(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| !p.contains(['\n', '\t']))
}

fn text(files: &Files, folders: &FolderStamps) -> String {
    use std::fmt::Write as _;
    let by_bytes = |a: &Path, b: &Path| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    };
    let mut listed: Vec<(&PathBuf, &Record)> = files.values().map(|(p, r)| (p, r)).collect();
    // By bytes, not by `Path`'s component-wise order: the same determinism, far cheaper.
    listed.sort_unstable_by(|a, b| by_bytes(a.0, b.0));
    let mut folders: Vec<(&PathBuf, &FolderStamp)> =
        folders.values().map(|(p, s)| (p, s)).collect();
    folders.sort_unstable_by(|a, b| by_bytes(a.0, b.0));
    let mut text = String::with_capacity(listed.len() * 96 + folders.len() * 64);
    text.push_str(HEADER);
    text.push('\n');
    for (file, r) in listed {
        let Some(file) = as_line(file) else {
            continue;
        };
        let _ = writeln!(
            text,
            "{:032x}\t{:032x}\t{}\t{}\t{}\t{file}",
            r.fingerprint, r.content, r.stamp.size, r.stamp.modified_ns, r.stamp.inode
        );
    }
    for (folder, stamp) in folders {
        let Some(folder) = as_line(folder) else {
            continue;
        };
        let _ = writeln!(
            text,
            "d\t{}\t{}\t{folder}",
            stamp.modified_ns, stamp.changed_ns
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u128) -> Record {
        Record {
            fingerprint: n,
            content: n + 1,
            stamp: Stamp {
                size: 3,
                modified_ns: 4,
                inode: 5,
            },
        }
    }

    #[test]
    fn a_manifest_reads_back_with_its_folders_and_a_changing_one_trusts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("posts/a")).unwrap();
        let mut files = Files::new();
        for (n, p) in ["index.html", "posts/a/index.html"].iter().enumerate() {
            files.insert(key(Path::new(p)), (PathBuf::from(p), record(n as u128)));
        }
        assert!(!exists(&out, dir.path(), "public"));
        let listing = Listing {
            files: files.clone(),
            ..Listing::default()
        };
        let none = HashSet::new();
        let write = |listing: &Listing| {
            write(&out, (dir.path(), "public"), listing, (&none, &none), "t").unwrap()
        };
        write(&listing);
        let listing = read(&out, dir.path(), "public");
        assert!(listing.owned && listing.trusted);
        assert_eq!(listing.files, files);
        let mut folders: Vec<_> = listing.folders.values().map(|(p, _)| p.clone()).collect();
        folders.sort();
        assert_eq!(folders, [PathBuf::from("posts"), PathBuf::from("posts/a")]);
        unlist(&out, dir.path(), "public");
        let changing = read(&out, dir.path(), "public");
        assert!(changing.owned && !changing.trusted);
        assert_eq!(changing.files.len(), 2);
        assert!(
            changing
                .files
                .values()
                .all(|(_, r)| r.stamp == Stamp::UNKNOWN)
        );
        assert!(exists(&out, dir.path(), "public"));
        write(&listing);
        assert!(read(&out, dir.path(), "public").trusted);
        let left = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 2, "the folder and one manifest");
    }

    #[test]
    fn a_folder_without_a_manifest_is_not_owned_until_it_is_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        assert!(!read(&out, dir.path(), "public").owned);
        unlist(&out, dir.path(), "public");
        let listing = read(&out, dir.path(), "public");
        assert!(listing.owned && !listing.trusted && listing.files.is_empty());
    }

    #[test]
    fn the_folders_above_a_path_are_found_by_its_bytes_or_its_components() {
        let above = |p: &Path| folders_above(p).map(Path::to_path_buf).collect::<Vec<_>>();
        assert_eq!(
            above(Path::new("posts/a/index.html")),
            [PathBuf::from("posts/a"), PathBuf::from("posts")]
        );
        assert_eq!(above(Path::new("index.html")), Vec::<PathBuf>::new());
        use std::os::unix::ffi::OsStrExt;
        let bytes = std::ffi::OsStr::from_bytes(b"t\xff/b/c.html");
        assert_eq!(
            above(Path::new(bytes)),
            [
                Path::new(bytes).parent().unwrap().to_path_buf(),
                PathBuf::from(std::ffi::OsStr::from_bytes(b"t\xff"))
            ]
        );
    }

    #[test]
    fn a_version_2_manifest_is_read_and_a_damaged_one_lists_nothing() {
        let files = "1\t2\t3\t4\t5\tindex.html\n";
        let (read2, folders) = parse(&format!("{HEADER_2}\n{files}")).unwrap();
        assert_eq!(read2.len(), 1);
        assert!(folders.is_empty());
        assert!(parse(&format!("{HEADER}\nnot a line\n")).is_none());
        assert!(parse("something else\n").is_none());
    }
}
