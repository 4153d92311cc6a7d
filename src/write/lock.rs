//! The lock on an output folder, and the checks that an output may be replaced at all:
//! while a command holds the lock, no other one writes there.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{OutputError, io_error};
use crate::diagnostic::Diagnostic;

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

pub(super) fn locked(output: &Path, lock: &Path, holder: Option<&(Holder, u32)>) -> Diagnostic {
    let (output, lock) = (output.display(), lock.display());
    match holder {
        Some((Holder::Serve, pid)) => Diagnostic::general(format!(
            "`playpress serve` (pid {pid}) is serving {output} and holds it (lock file {lock})"
        ))
        .with_hint(format!(
            "build while it serves: it rebuilds by itself on every change; or stop it (Ctrl-C in its terminal, or `kill {pid}`), or build into another folder with --output"
        )),
        Some((Holder::Build, pid)) => Diagnostic::general(format!(
            "another build (pid {pid}) is writing to {output} (lock file {lock})"
        ))
        .with_hint("wait for it to finish, then build again"),
        None => Diagnostic::general(format!(
            "another build is writing to {output} (lock file {lock})"
        ))
        .with_hint("wait for it to finish, then build again"),
    }
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
    /// A folder playpress did not write is refused unless `overwrite` (`--output-overwrite`)
    /// lets its files go.
    pub fn acquire(
        root: &Path,
        target: &Path,
        holder: Holder,
        overwrite: bool,
    ) -> Result<Self, OutputError> {
        check_target(root, target)?;
        let shown = target;
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
                if !overwrite {
                    check_owned(shown, &target, &parent, &name)?;
                }
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
pub(super) fn refuse_link(path: &Path, what: &'static str) -> Result<(), OutputError> {
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

pub(super) fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target.file_name().map_or_else(
        || "public".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    (parent, name)
}

/// The folders of a site that a build reads: an output may not be, hold or lie inside one.
pub(crate) const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "static", ".playpress-cache"];

/// Checks that `output` may be replaced wholesale: a folder (or nothing yet), not `/`, not
/// the site root (or a folder containing it), not a folder with a site in it, and apart from
/// every folder the build reads.
pub(crate) fn check_target(root: &Path, output: &Path) -> Result<(), OutputError> {
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

/// Refuses a folder that holds something (a `.git` aside) and has no manifest: playpress
/// did not write it, so replacing it would lose the user's files.
fn check_owned(shown: &Path, target: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    const SHOWN: usize = 3;
    let Ok(entries) = fs::read_dir(target) else {
        return Ok(());
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_name() != super::foreign::KEPT)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    if names.is_empty() || super::manifest::exists(target, parent, name) {
        return Ok(());
    }
    names.sort();
    let count = names.len();
    names.truncate(SHOWN);
    Err(OutputError::NotOurs {
        path: shown.to_path_buf(),
        entries: names,
        count,
    })
}

pub(super) fn absolute(path: &Path) -> PathBuf {
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
