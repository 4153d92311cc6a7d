//! Writing the site: every file goes into a staging directory beside the output, which is
//! swapped in only when the whole build succeeded. A failed build leaves the previous output
//! exactly as it was; a lock keeps two builds from writing the same output at once.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use thiserror::Error;

/// A problem writing the output.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("error: refusing to use {} as the output directory: {reason}\n  = help: pass another folder with --output, e.g. --output public", path.display())]
    Refused { path: PathBuf, reason: &'static str },
    #[error("error: cannot {action} {}: {source}\n  = help: {}{}", path.display(), io_hint(action, source), if *in_place { "" } else { "; the previous output was left as it was" })]
    Io {
        action: &'static str,
        path: PathBuf,
        /// Written straight into a served output (by `serve`), not into a staging directory.
        in_place: bool,
        source: io::Error,
    },
    #[error("error: refusing to use {} as the output directory: {reason}\n  = help: pass a folder apart from content/, templates/ and static/, e.g. --output public", output.display())]
    Overlaps { output: PathBuf, reason: String },
    #[error("error: refusing to use {} as the output directory: it is a file, not a folder\n  = help: pass a folder with --output, e.g. --output public; the file was left as it was", path.display())]
    NotAFolder { path: PathBuf },
    #[error("error: the {what} {} is a symbolic link: playpress never follows a link there\n  = help: remove the link (playpress makes the {what} itself), then build again", path.display())]
    Link { path: PathBuf, what: &'static str },
    #[error("{}", locked_message(output, lock, holder.as_ref()))]
    Locked {
        output: PathBuf,
        lock: PathBuf,
        /// Which command holds the lock, and its process id, as the lock file says.
        holder: Option<(Holder, u32)>,
    },
    #[error("error: two files would be written to {}\n  = help: {hint}", path.display())]
    Duplicate { path: PathBuf, hint: String },
}

/// The command that holds an output's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Build,
    Serve,
}

impl Holder {
    fn name(self) -> &'static str {
        match self {
            Self::Build => "build",
            Self::Serve => "serve",
        }
    }

    /// What the lock file says: `serve 1234`.
    fn parse(text: &str) -> Option<(Self, u32)> {
        let (name, pid) = text.trim().split_once(' ')?;
        let holder = match name {
            "build" => Self::Build,
            "serve" => Self::Serve,
            _ => return None,
        };
        Some((holder, pid.parse().ok()?))
    }
}

fn locked_message(output: &Path, lock: &Path, holder: Option<&(Holder, u32)>) -> String {
    let (output, lock) = (output.display(), lock.display());
    match holder {
        Some((Holder::Serve, pid)) => format!(
            "error: `playpress serve` (pid {pid}) is serving {output} and holds it (lock file {lock})\n  = help: build while it serves: it rebuilds by itself on every change; or stop it (Ctrl-C in its terminal, or `kill {pid}`), or build into another folder with --output"
        ),
        Some((Holder::Build, pid)) => format!(
            "error: another build (pid {pid}) is writing to {output} (lock file {lock})\n  = help: wait for it to finish, then build again"
        ),
        None => format!(
            "error: another build is writing to {output} (lock file {lock})\n  = help: wait for it to finish, then build again"
        ),
    }
}

/// What to do about a failed file operation.
fn io_hint(action: &str, error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::PermissionDenied if action == "read" => {
            "check that you may read this file, then build again"
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge => {
            "free some disk space, then build again"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "check that you may write to this folder, or pass another one with --output"
        }
        _ => "fix the problem named above, then build again",
    }
}

fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    failed(action, path, false)
}

/// Like [`io_error`], for a file changed in place in a served output.
fn live_io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    failed(action, path, true)
}

fn failed<'a>(
    action: &'static str,
    path: &'a Path,
    in_place: bool,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        in_place,
        source,
    }
}

/// A build's output in progress.
///
/// The staging directory is kept between builds: after a swap it holds the output before last,
/// and a manifest records, for each of its files, what it was made from (a fingerprint) and
/// its size, time and inode. The next build rewrites only the files whose fingerprint changed
/// or that were touched since, removes the files that have no source any more, and swaps the
/// directories again. A rebuild of an unchanged site writes nothing and deletes nothing.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    lock: Option<OutputLock>,
    /// What the staging directory held when the build began: every file in it (a directory
    /// without a whole manifest is cleared first).
    previous: HashMap<PathBuf, Record>,
    /// The directory was swapped in: it now holds the output before last, to be kept.
    swapped: bool,
    /// The files of this build, kept or written.
    current: Mutex<HashMap<PathBuf, Record>>,
    /// Names temporary files apart from other writers.
    token: String,
}

/// What the manifest knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    fingerprint: u128,
    stamp: Stamp,
}

/// A file's size, modification time and inode: if any changed, the file was touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    modified_ns: u128,
    inode: u64,
}

impl Stamp {
    /// The stamp of the regular file at `path` (a link is not followed: it has none).
    pub fn of(path: &Path) -> Option<Self> {
        let meta = fs::symlink_metadata(path).ok()?;
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
            inode: inode(&meta),
        })
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

/// First line of a manifest.
const MANIFEST_HEADER: &str = "playpress output manifest 1";

/// The manifest of the directory tree whose root has inode `root_inode`, in `parent`.
fn manifest_path(parent: &Path, name: &str, root_inode: u64) -> PathBuf {
    parent.join(format!(".{name}.playpress-tree-{root_inode}"))
}

fn read_manifest(path: &Path) -> HashMap<PathBuf, Record> {
    let Ok(text) = fs::read_to_string(path) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return HashMap::new();
    }
    let mut records = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(5, '\t');
        let (Some(fp), Some(size), Some(modified), Some(ino), Some(file)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return HashMap::new();
        };
        let (Ok(fingerprint), Ok(size), Ok(modified_ns), Ok(inode)) = (
            u128::from_str_radix(fp, 16),
            size.parse(),
            modified.parse(),
            ino.parse(),
        ) else {
            return HashMap::new();
        };
        records.insert(
            PathBuf::from(file),
            Record {
                fingerprint,
                stamp: Stamp {
                    size,
                    modified_ns,
                    inode,
                },
            },
        );
    }
    records
}

/// The lock on an output directory: while it is held, no other build writes there.
#[derive(Debug)]
pub struct OutputLock {
    target: PathBuf,
    _file: File,
}

impl OutputLock {
    /// Checks `target` may be used as the output of the site at `root`, and locks it for
    /// `holder` (the lock file names it, for the message another command gets).
    pub fn acquire(root: &Path, target: &Path, holder: Holder) -> Result<Self, OutputError> {
        check_target(root, target)?;
        let target = absolute(target);
        let (parent, name) = parent_and_name(&target);
        fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
        let lock_path = parent.join(format!(".{name}.playpress-lock"));
        refuse_link(&lock_path, "lock file")?;
        let mut file = open_unlinked(&lock_path).map_err(|e| {
            if fs::symlink_metadata(&lock_path).is_ok_and(|m| m.file_type().is_symlink()) {
                OutputError::Link {
                    path: lock_path.clone(),
                    what: "lock file",
                }
            } else {
                io_error("create", &lock_path)(e)
            }
        })?;
        match file.try_lock() {
            Ok(()) => {
                // Only the holder writes the file, and only while it holds the lock.
                let _ = file.set_len(0);
                let _ = writeln!(file, "{} {}", holder.name(), std::process::id());
                Ok(Self {
                    target,
                    _file: file,
                })
            }
            Err(fs::TryLockError::WouldBlock) => Err(OutputError::Locked {
                output: target,
                holder: fs::read_to_string(&lock_path)
                    .ok()
                    .and_then(|text| Holder::parse(&text)),
                lock: lock_path,
            }),
            Err(fs::TryLockError::Error(e)) => Err(io_error("lock", &lock_path)(e)),
        }
    }

    /// The output directory (absolute).
    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// Refuses a symbolic link at `path`, one of playpress's own files next to the output.
fn refuse_link(path: &Path, what: &'static str) -> Result<(), OutputError> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputError::Link {
            path: path.to_path_buf(),
            what,
        });
    }
    Ok(())
}

/// Opens (creating) a file for writing without truncating it, refusing to follow a symbolic
/// link put there since it was checked.
fn open_unlinked(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target.file_name().map_or_else(
        || "public".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    (parent, name)
}

/// Checks that a path relative to the output stays inside it.
fn inside(base: &Path, relative: &Path) -> Result<PathBuf, OutputError> {
    let safe = relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !safe || relative.as_os_str().is_empty() {
        return Err(OutputError::Refused {
            path: relative.to_path_buf(),
            reason: "the path would leave the output directory",
        });
    }
    Ok(base.join(relative))
}

/// A written output directory, changed file by file while its lock is held (by `serve`).
/// Each file is replaced atomically, so a reader sees the old file or the new one.
#[derive(Debug)]
pub struct LiveOutput {
    lock: OutputLock,
    /// The manifest of the output folder: it stops listing every file at the first change,
    /// so that change removes it (a later build then checks every file).
    manifest: Option<PathBuf>,
    changed: std::sync::Once,
}

impl LiveOutput {
    pub fn target(&self) -> &Path {
        self.lock.target()
    }

    /// Gives the lock back, e.g. to write the whole output again through a [`Staging`].
    pub fn into_lock(self) -> OutputLock {
        self.lock
    }

    fn forget_manifest(&self) {
        self.changed.call_once(|| {
            if let Some(manifest) = &self.manifest {
                let _ = fs::remove_file(manifest);
            }
        });
    }

    /// Writes one file, replacing any file already there.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let path = inside(self.target(), relative)?;
        self.forget_manifest();
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(live_io_error("create", parent))?;
        }
        let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
        temp_name.push(".playpress-new");
        let temp = path.with_file_name(temp_name);
        fs::write(&temp, bytes).map_err(live_io_error("write", &temp))?;
        fs::rename(&temp, &path).map_err(live_io_error("write", &path))
    }

    /// Removes one file, and the folders it leaves empty.
    pub fn remove(&self, relative: &Path) -> Result<(), OutputError> {
        let path = inside(self.target(), relative)?;
        self.forget_manifest();
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(live_io_error("remove", &path)(e)),
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.target() || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

/// The folders of a site that a build reads: an output may not be, hold or lie inside one.
pub const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "static", ".playpress-cache"];

/// Checks that `output` may be replaced wholesale: a folder (or nothing yet), not `/`, not
/// the site root (or a folder containing it), not a folder with a site in it, and apart from
/// every folder the build reads.
pub fn check_target(root: &Path, output: &Path) -> Result<(), OutputError> {
    let refuse = |reason| {
        Err(OutputError::Refused {
            path: output.to_path_buf(),
            reason,
        })
    };
    let absolute = absolute(output);
    if absolute.parent().is_none() {
        return refuse("it is the file system root");
    }
    if fs::metadata(&absolute).is_ok_and(|m| !m.is_dir()) {
        return Err(OutputError::NotAFolder {
            path: output.to_path_buf(),
        });
    }
    let root_abs = absolute_dir(root);
    if root_abs.starts_with(&absolute) {
        return refuse("it is the site folder or contains it");
    }
    for folder in SOURCE_FOLDERS {
        let source = absolute_dir(&root.join(folder));
        let reason = if source == absolute {
            format!(
                "it is the site's {folder}/ folder, which the build reads: building would delete it"
            )
        } else if absolute.starts_with(&source) {
            format!(
                "it lies inside the site's {folder}/ folder ({}), which the build reads: each build would copy the one before into itself",
                source.display()
            )
        } else if source.starts_with(&absolute) {
            format!(
                "it contains the site's {folder}/ folder ({}), which the build reads: building would delete it",
                source.display()
            )
        } else {
            continue;
        };
        return Err(OutputError::Overlaps {
            output: output.to_path_buf(),
            reason,
        });
    }
    if absolute.join("content").exists() || absolute.join("config.yaml").exists() {
        return refuse("it contains a site (content/ or config.yaml): it would be deleted");
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    // Resolve the parts that exist (symlinks, `..`), keep the rest as written.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return joined,
        }
    }
}

fn absolute_dir(path: &Path) -> PathBuf {
    absolute(path)
}

impl Staging {
    /// Locks `target` for a build and prepares the staging directory beside it.
    pub fn begin(root: &Path, target: &Path) -> Result<Self, OutputError> {
        Self::with_lock(OutputLock::acquire(root, target, Holder::Build)?)
    }

    /// Prepares the staging directory beside the locked output: the one kept from the build
    /// before, with what its manifest says of it, or a new empty one.
    pub fn with_lock(lock: OutputLock) -> Result<Self, OutputError> {
        let target = lock.target().to_path_buf();
        let (parent, name) = parent_and_name(&target);
        let dir = parent.join(format!(".{name}.playpress-staging"));
        refuse_link(&dir, "staging folder")?;
        let is_dir = fs::symlink_metadata(&dir).map(|m| m.is_dir());
        if matches!(is_dir, Ok(false)) {
            fs::remove_file(&dir).map_err(io_error("remove", &dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_error("create", &dir))?;
        // The manifest is taken away while the build changes the directory: if the build
        // stops half-way, the next one finds none and clears what that build left.
        let manifest = fs::metadata(&dir).map(|m| manifest_path(&parent, &name, inode(&m)));
        let previous = manifest
            .as_ref()
            .map(|path| read_manifest(path))
            .unwrap_or_default();
        if let Ok(path) = &manifest {
            let _ = fs::remove_file(path);
        }
        let empty = fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_none());
        if previous.is_empty() && !empty {
            // Stale: a build stopped half-way (killed, or the disk filled). What it wrote may
            // be what fills the disk, so it goes before anything is written.
            fs::remove_dir_all(&dir).map_err(io_error("clear the stale staging folder", &dir))?;
            fs::create_dir(&dir).map_err(io_error("create", &dir))?;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Self {
            dir,
            target,
            lock: Some(lock),
            previous,
            swapped: false,
            current: Mutex::new(HashMap::new()),
            token: format!("{}-{nanos}", std::process::id()),
        })
    }

    /// Keeps the file at `relative` as the staging directory has it, when it was made from
    /// the same inputs (`fingerprint`) and has not been touched since. Returns whether it did.
    pub fn keeps(&self, relative: &Path, fingerprint: u128) -> bool {
        let Some(record) = self.previous.get(relative) else {
            return false;
        };
        if record.fingerprint != fingerprint {
            return false;
        }
        let Ok(path) = self.path_for(relative) else {
            return false;
        };
        if Stamp::of(&path) != Some(record.stamp) {
            return false;
        }
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current.insert(relative.to_path_buf(), *record);
        true
    }

    /// The final output directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    fn path_for(&self, relative: &Path) -> Result<PathBuf, OutputError> {
        inside(&self.dir, relative)
    }

    /// Writes one file (creating its folders); its fingerprint is a hash of its bytes.
    /// Returns whether it wrote (false: the staging directory had the file already).
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<bool, OutputError> {
        self.write_made_from(relative, bytes, xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// Writes one file made from inputs with `fingerprint`, unless the staging directory
    /// already has it.
    pub fn write_made_from(
        &self,
        relative: &Path,
        bytes: &[u8],
        fingerprint: u128,
    ) -> Result<bool, OutputError> {
        if self.keeps(relative, fingerprint) {
            return Ok(false);
        }
        let path = self.path_for(relative)?;
        {
            let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
            if current.contains_key(relative) {
                return Err(OutputError::Duplicate {
                    path: relative.to_path_buf(),
                    hint: "a static file, a page or a post asset share this path; rename one"
                        .to_string(),
                });
            }
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        // A new file replaces the old one in one step, so a file is never seen half-written.
        let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
        temp_name.push(format!(".{}.playpress-new", self.token));
        let temp = path.with_file_name(temp_name);
        let written = fs::File::create(&temp).and_then(|mut file| file.write_all(bytes));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io_error("write", &path)(e));
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&path).map_err(io_error("replace", &path))?;
        }
        fs::rename(&temp, &path).map_err(io_error("write", &path))?;
        let stamp = Stamp::of(&path).unwrap_or(Stamp {
            size: 0,
            modified_ns: 0,
            inode: 0,
        });
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current.insert(relative.to_path_buf(), Record { fingerprint, stamp });
        Ok(true)
    }

    /// Copies a file from the site into the output (unless it is there already: the
    /// fingerprint is the source's path, size and time).
    pub fn copy(&self, source: &Path, relative: &Path) -> Result<bool, OutputError> {
        let made_from = Stamp::of(source).map(|s| {
            crate::render::fingerprint::of(&(source.to_string_lossy(), s.size, s.modified_ns))
        });
        if let Some(fingerprint) = made_from
            && self.keeps(relative, fingerprint)
        {
            return Ok(false);
        }
        let bytes = fs::read(source).map_err(io_error("read", source))?;
        match made_from {
            Some(fingerprint) => self.write_made_from(relative, &bytes, fingerprint),
            None => self.write(relative, &bytes),
        }
    }

    /// Removes from the staging directory every file this build did not keep or write, and
    /// the folders left empty; then records what it holds.
    fn settle(&self) -> Result<(), OutputError> {
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        // The manifest listed every file: remove the ones without a source any more.
        let mut gone: Vec<&PathBuf> = self
            .previous
            .keys()
            .filter(|f| !current.contains_key(*f))
            .collect();
        gone.sort();
        for relative in gone.into_iter().rev() {
            let path = self.dir.join(relative);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error("remove", &path)(e)),
            }
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.dir) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        let (parent, name) = parent_and_name(&self.target);
        let root = fs::metadata(&self.dir).map_err(io_error("read", &self.dir))?;
        let mut files: Vec<(&PathBuf, &Record)> = current.iter().collect();
        // By bytes, not by `Path`'s component-wise order: the same determinism, far cheaper.
        files.sort_unstable_by(|a, b| {
            a.0.as_os_str()
                .as_encoded_bytes()
                .cmp(b.0.as_os_str().as_encoded_bytes())
        });
        let mut text = String::with_capacity(files.len() * 96);
        text.push_str(MANIFEST_HEADER);
        text.push('\n');
        for (file, r) in files {
            let Some(file) = file.to_str().filter(|f| !f.contains(['\n', '\t'])) else {
                continue; // Not representable: it will simply be written again next time.
            };
            text.push_str(&format!(
                "{:032x}\t{}\t{}\t{}\t{file}\n",
                r.fingerprint, r.stamp.size, r.stamp.modified_ns, r.stamp.inode
            ));
        }
        let path = manifest_path(&parent, &name, inode(&root));
        let temp = path.with_extension(format!("{}.tmp", self.token));
        fs::write(&temp, text).map_err(io_error("write", &temp))?;
        fs::rename(&temp, &path).map_err(io_error("write", &path))
    }

    /// Removes manifests of trees that no longer exist.
    fn forget_old_manifests(&self) {
        let (parent, name) = parent_and_name(&self.target);
        let live: Vec<u64> = [&self.dir, &self.target]
            .iter()
            .filter_map(|d| fs::metadata(d).ok().map(|m| inode(&m)))
            .collect();
        let prefix = format!(".{name}.playpress-tree-");
        let Ok(entries) = fs::read_dir(&parent) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(ino) = file.strip_prefix(&prefix) else {
                continue;
            };
            let keep = ino.parse::<u64>().is_ok_and(|i| live.contains(&i));
            if !keep {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Swaps the staging directory in place of the output.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let live = self.commit_live()?;
        Ok(live.target().to_path_buf())
    }

    /// Swaps the staging directory in place of the output and keeps the output locked, to be
    /// changed file by file.
    pub fn commit_live(mut self) -> Result<LiveOutput, OutputError> {
        self.swap_in()?;
        let (parent, name) = parent_and_name(&self.target);
        let manifest = fs::metadata(&self.target)
            .ok()
            .map(|m| manifest_path(&parent, &name, inode(&m)));
        match self.lock.take() {
            Some(lock) => Ok(LiveOutput {
                lock,
                manifest,
                changed: std::sync::Once::new(),
            }),
            None => Err(OutputError::Refused {
                path: self.target.clone(),
                reason: "the output is no longer locked",
            }),
        }
    }

    fn swap_in(&mut self) -> Result<(), OutputError> {
        self.settle()?;
        if self.target.exists() {
            // `dir` then holds the previous output: the next build starts from it.
            swap(&self.dir, &self.target)?;
        } else {
            fs::rename(&self.dir, &self.target)
                .map_err(io_error("move the new output to", &self.target))?;
        }
        self.swapped = true;
        self.forget_old_manifests();
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that failed removes what it wrote (which may be what filled the disk); the
    /// output it would have replaced was never touched.
    fn drop(&mut self) {
        if !self.swapped {
            let _ = fs::remove_dir_all(&self.dir);
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

    #[test]
    fn a_file_written_in_place_by_serve_is_removed_by_a_later_build() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let build = |lock: Option<OutputLock>| {
            let staging = match lock {
                Some(lock) => Staging::with_lock(lock).unwrap(),
                None => Staging::begin(root.path(), &target).unwrap(),
            };
            staging.write(Path::new("a.html"), b"a").unwrap();
            staging
        };
        // `serve`: a build, then a file written in place (a post added while it ran).
        let live = build(None).commit_live().unwrap();
        live.write(Path::new("b.html"), b"b").unwrap();
        // Two builds without that post: the second one starts from the served folder.
        build(Some(live.into_lock())).commit().unwrap();
        build(None).commit().unwrap();
        assert_eq!(files(&target), ["a.html"]);
    }

    #[test]
    fn io_errors_name_the_file_and_a_fix_for_what_failed() {
        let error = |action, kind, in_place| {
            OutputError::Io {
                action,
                path: PathBuf::from("static/logo.png"),
                in_place,
                source: io::Error::from(kind),
            }
            .to_string()
        };
        assert_eq!(
            error("read", io::ErrorKind::PermissionDenied, false),
            "error: cannot read static/logo.png: permission denied\n  = help: check that you may read this file, then build again; the previous output was left as it was"
        );
        assert_eq!(
            error("write", io::ErrorKind::PermissionDenied, true),
            "error: cannot write static/logo.png: permission denied\n  = help: check that you may write to this folder, or pass another one with --output"
        );
    }
}
