//! Write: the only stage that changes the disk. A build writes every file into a staging
//! folder beside the output and swaps it in only when the whole build succeeded, so a failed
//! build leaves the previous output exactly as it was; `serve` changes its output in place,
//! file by file. Both know a file need not be written again the same way (a [`tree`]), and a
//! lock keeps two commands from writing one output at once.

mod file;
mod foreign;
mod live;
mod lock;
mod manifest;
mod staging;
mod stamp;
mod tree;

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use lock::locked;

pub(crate) use foreign::warning as foreign_warning;
pub(crate) use live::LiveOutput;
pub use lock::{Holder, OutputLock};
pub(crate) use staging::Staging;
pub(crate) use stamp::source_fingerprint;

/// A problem writing the output.
#[derive(Debug, Error)]
pub enum OutputError {
    Refused {
        path: PathBuf,
        reason: &'static str,
    },
    Io {
        action: &'static str,
        path: PathBuf,
        /// Written straight into a served output (by `serve`), not into a staging directory.
        in_place: bool,
        source: io::Error,
    },
    Overlaps {
        output: PathBuf,
        reason: String,
    },
    NotAFolder {
        path: PathBuf,
    },
    /// A folder playpress did not write, holding something (the first entries, sorted, and
    /// how many there are in all).
    NotOurs {
        path: PathBuf,
        entries: Vec<String>,
        count: usize,
    },
    Link {
        path: PathBuf,
        what: &'static str,
    },
    Locked {
        output: PathBuf,
        lock: PathBuf,
        /// Which command holds the lock, and its process id, as the lock file says.
        holder: Option<(Holder, u32)>,
    },
    Duplicate {
        path: PathBuf,
        hint: String,
    },
    /// The output and its staging folder both hold a `.git` (a build stopped while it moved
    /// the output's one): neither is deleted.
    TwoGits {
        output: PathBuf,
        staging: PathBuf,
    },
}

impl OutputError {
    /// The error as it is shown.
    pub fn diagnostic(&self) -> Diagnostic {
        let refusing = |path: &Path, reason: &str| {
            Diagnostic::general(format!(
                "refusing to use {} as the output directory: {reason}",
                path.display()
            ))
        };
        match self {
            Self::Refused { path, reason } => refusing(path, reason)
                .with_hint("pass another folder with --output, e.g. --output public"),
            Self::Io {
                action,
                path,
                in_place,
                source,
            } => {
                let kept = if *in_place {
                    ""
                } else {
                    "; the previous output was left as it was"
                };
                Diagnostic::general(format!("cannot {action} {}: {source}", path.display()))
                    .with_hint(format!("{}{kept}", io_hint(action, source)))
            }
            Self::Overlaps { output, reason } => refusing(output, reason).with_hint(
                "pass a folder apart from content/, templates/ and static/, e.g. --output public",
            ),
            Self::NotAFolder { path } => refusing(path, "it is a file, not a folder").with_hint(
                "pass a folder with --output, e.g. --output public; the file was left as it was",
            ),
            Self::NotOurs {
                path,
                entries,
                count,
            } => {
                let more = match count.saturating_sub(entries.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                refusing(
                    path,
                    &format!(
                        "it holds files playpress did not write ({}{more})",
                        entries.join(", ")
                    ),
                )
                .with_hint(format!(
                    "a build replaces its output folder whole: pass an empty or new folder with --output, or add --output-overwrite to let playpress delete what {} holds (a .git in it is kept)",
                    path.display()
                ))
            }
            Self::Link { path, what } => Diagnostic::general(format!(
                "the {what} {} is a symbolic link: playpress never follows a link there",
                path.display()
            ))
            .with_hint(format!(
                "remove the link (playpress makes the {what} itself), then build again"
            )),
            Self::Locked {
                output,
                lock,
                holder,
            } => locked(output, lock, holder.as_ref()),
            Self::TwoGits { output, staging } => Diagnostic::general(format!(
                "both {} and {} hold a .git: a build was stopped while it moved the output's .git, and playpress deletes neither",
                output.display(),
                staging.display()
            ))
            .with_hint(format!(
                "keep the .git you want in {} and remove the other, then build again",
                output.display()
            )),
            Self::Duplicate { path, hint } => {
                Diagnostic::general(format!("two files would be written to {}", path.display()))
                    .with_hint(hint.clone())
            }
        }
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic().fmt(f)
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

/// Writes a cache file of the site (under `.playpress-cache/`) whole, from its `parts` one
/// after the other, replacing the old one by a rename: a build killed meanwhile leaves the
/// old file or the new one.
pub(crate) fn keep_cache(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    file::replace(path, parts, &std::process::id().to_string()).map(|_| ())
}

pub(crate) fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    failed(action, path, false)
}

pub(crate) fn failed<'a>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
