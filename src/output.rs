//! Writing the site: every file goes into a staging directory beside the output, which is
//! swapped in only when the whole build succeeded. A failed build leaves the previous output
//! exactly as it was; a lock keeps two builds from writing the same output at once.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// A problem writing the output.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("error: refusing to use {} as the output directory: {reason}\n  = help: pass another folder with --output, e.g. --output public", path.display())]
    Refused { path: PathBuf, reason: &'static str },
    #[error("error: cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("error: another build is writing to {} (lock file {})\n  = help: wait for it to finish, then build again", output.display(), lock.display())]
    Locked { output: PathBuf, lock: PathBuf },
    #[error("error: two files would be written to {}\n  = help: {hint}", path.display())]
    Duplicate { path: PathBuf, hint: String },
}

fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A build's output in progress.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    lock: Option<OutputLock>,
}

/// The lock on an output directory: while it is held, no other build writes there.
#[derive(Debug)]
pub struct OutputLock {
    target: PathBuf,
    _file: File,
}

impl OutputLock {
    /// Checks `target` may be used as the output of the site at `root`, and locks it.
    pub fn acquire(root: &Path, target: &Path) -> Result<Self, OutputError> {
        check_target(root, target)?;
        let target = absolute(target);
        let (parent, name) = parent_and_name(&target);
        fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
        let lock_path = parent.join(format!(".{name}.playpress-lock"));
        let file = File::create(&lock_path).map_err(io_error("create", &lock_path))?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                target,
                _file: file,
            }),
            Err(fs::TryLockError::WouldBlock) => Err(OutputError::Locked {
                output: target,
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
}

impl LiveOutput {
    pub fn target(&self) -> &Path {
        self.lock.target()
    }

    /// Gives the lock back, e.g. to write the whole output again through a [`Staging`].
    pub fn into_lock(self) -> OutputLock {
        self.lock
    }

    /// Writes one file, replacing any file already there.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let path = inside(self.target(), relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
        temp_name.push(".playpress-new");
        let temp = path.with_file_name(temp_name);
        fs::write(&temp, bytes).map_err(io_error("write", &temp))?;
        fs::rename(&temp, &path).map_err(io_error("write", &path))
    }

    /// Removes one file, and the folders it leaves empty.
    pub fn remove(&self, relative: &Path) -> Result<(), OutputError> {
        let path = inside(self.target(), relative)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error("remove", &path)(e)),
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

/// Checks that `output` may be replaced wholesale: not `/`, not the site root (or a folder
/// containing it), and not a folder with a `content/` folder in it.
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
    let root_abs = absolute_dir(root);
    if root_abs.starts_with(&absolute) {
        return refuse("it is the site folder or contains it");
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
    /// Locks `target` and prepares an empty staging directory beside it.
    pub fn begin(root: &Path, target: &Path) -> Result<Self, OutputError> {
        Self::with_lock(OutputLock::acquire(root, target)?)
    }

    /// Prepares an empty staging directory beside the locked output.
    pub fn with_lock(lock: OutputLock) -> Result<Self, OutputError> {
        let target = lock.target().to_path_buf();
        let (parent, name) = parent_and_name(&target);
        let dir = parent.join(format!(".{name}.playpress-staging"));
        if dir.exists() {
            // Left by a build that was killed: nothing in it is worth keeping.
            fs::remove_dir_all(&dir)
                .map_err(io_error("remove the stale staging directory", &dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_error("create", &dir))?;
        Ok(Self {
            dir,
            target,
            committed: false,
            lock: Some(lock),
        })
    }

    /// The final output directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    fn path_for(&self, relative: &Path) -> Result<PathBuf, OutputError> {
        inside(&self.dir, relative)
    }

    /// Writes one file (creating its folders).
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path_for(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OutputError::Duplicate {
                        path: relative.to_path_buf(),
                        hint: "a static file, a page or a post asset share this path; rename one"
                            .to_string(),
                    }
                } else {
                    io_error("write", &path)(e)
                }
            })?;
        file.write_all(bytes).map_err(io_error("write", &path))?;
        Ok(())
    }

    /// Copies a file from the site into the output.
    pub fn copy(&self, source: &Path, relative: &Path) -> Result<(), OutputError> {
        let bytes = fs::read(source).map_err(io_error("read", source))?;
        self.write(relative, &bytes)
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
        match self.lock.take() {
            Some(lock) => Ok(LiveOutput { lock }),
            None => Err(OutputError::Refused {
                path: self.target.clone(),
                reason: "the output is no longer locked",
            }),
        }
    }

    fn swap_in(&mut self) -> Result<(), OutputError> {
        if self.target.exists() {
            swap(&self.dir, &self.target)?;
            // `dir` now holds the previous output.
            fs::remove_dir_all(&self.dir)
                .map_err(io_error("remove the previous output", &self.dir))?;
        } else {
            fs::rename(&self.dir, &self.target)
                .map_err(io_error("move the new output to", &self.target))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
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
