//! Watching a site's sources while serving: `config.yaml`, `content/`, `templates/` and
//! `static/`, with notify and a debouncer, so a burst of events (an editor's atomic save: a
//! temporary file written, then renamed over the post) gives one batch. Editor temporary and
//! backup files and the output folder are ignored.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::EventKind;
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use thiserror::Error;

use crate::load::config::CONFIG_FILE;
use crate::load::content::is_ignored_name;
use crate::serve::live::Changes;

/// The folders of a site that are watched, recursively.
pub(crate) const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// How long the file system must stay quiet before a batch of changes is reported.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(20);

/// The watcher could not start.
#[derive(Debug, Error)]
#[error("{}", crate::diagnostic::Diagnostic::general(format!("cannot watch {} for changes: {reason}", path.display())).with_hint(*hint))]
pub struct WatchError {
    pub path: PathBuf,
    pub reason: String,
    pub hint: &'static str,
}

/// True for files that editors and tools write beside the real one: temporary, swap and
/// backup files (`.post.md.swp`, `post.md~`, `#post.md#`, `4913`, `post.md.tmp`...).
pub(crate) fn is_editor_file(name: &str) -> bool {
    is_ignored_name(name)
        || name == "4913"
        || name.ends_with(".crswap")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
}

/// True when a change to `path` may change the site at `root` (whose output is `output`).
pub(crate) fn is_source(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative.components();
    let first = match parts.next() {
        Some(Component::Normal(first)) => first.to_string_lossy(),
        _ => return false,
    };
    let known = first == CONFIG_FILE || WATCHED_DIRS.contains(&first.as_ref());
    known
        && relative.components().all(|c| match c {
            Component::Normal(name) => !is_editor_file(&name.to_string_lossy()),
            _ => false,
        })
}

/// True for events that change nothing by themselves: a file opened, read or closed (the
/// rebuild itself reads the sources, and must not trigger another rebuild; a write is also
/// reported as a modification, so its close adds nothing).
fn is_access(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(_))
}

/// Watches a site and sends a [`Changes`] for each batch of relevant events.
pub(crate) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching the site at `root` (absolute). Changes under `output` are ignored.
    pub(crate) fn start(
        root: &Path,
        output: &Path,
        sender: Sender<Changes>,
    ) -> Result<Self, WatchError> {
        let (root_owned, output_owned) = (root.to_path_buf(), output.to_path_buf());
        let handler = move |result: DebounceEventResult| {
            let changes = match result {
                Ok(events) if events.iter().any(|e| e.need_rescan()) => Changes::everything(),
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = events
                        .into_iter()
                        .filter(|e| !is_access(&e.kind))
                        .flat_map(|e| e.event.paths)
                        .filter(|p| is_source(&root_owned, &output_owned, p))
                        .collect();
                    paths.sort();
                    paths.dedup();
                    if paths.is_empty() {
                        return;
                    }
                    Changes {
                        paths,
                        everything: false,
                    }
                }
                // Events were lost (e.g. the kernel's queue overflowed): look at everything.
                Err(_) => Changes::everything(),
            };
            let _ = sender.send(changes);
        };
        let debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| WatchError {
            path: root.to_path_buf(),
            reason: e.to_string(),
            hint: "on Linux, raise fs.inotify.max_user_watches or close other watching programs",
        })?;
        let mut watcher = Self {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        watcher.refresh(&[]);
        Ok(watcher)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), WatchError> {
        self.debouncer.watch(path, mode).map_err(|e| WatchError {
            path: path.to_path_buf(),
            reason: e.to_string(),
            hint: "check the folder exists and can be read",
        })
    }

    /// Watches the folders that appeared since, and again those that were replaced (a
    /// folder deleted and made anew loses its watch). Call with each batch of changes.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) {
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            let replaced = changed.contains(&dir);
            let watched = self.watched.contains(&dir);
            if dir.is_dir() && (!watched || replaced) {
                if watched {
                    let _ = self.debouncer.unwatch(&dir);
                }
                if self.watch(&dir, RecursiveMode::Recursive).is_ok() && !watched {
                    self.watched.push(dir);
                }
            } else if !dir.is_dir() && watched {
                self.watched.retain(|d| *d != dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        let root = Path::new("/site");
        let output = Path::new("/site/public");
        let yes = [
            "/site/config.yaml",
            "/site/content/posts/a.md",
            "/site/content/posts/trip/view.png",
            "/site/templates/post.html",
            "/site/static/style.css",
            "/site/content",
        ];
        for path in yes {
            assert!(is_source(root, output, Path::new(path)), "{path}");
        }
        let no = [
            "/site/public/index.html",
            "/site/README.md",
            "/site/content/posts/.a.md.swp",
            "/site/content/posts/a.md~",
            "/site/content/posts/4913",
            "/site/content/posts/#a.md#",
            "/site/content/posts/a.md.tmp",
            "/site/static/style.css.crswap",
            "/site/.git/index",
            "/site",
            "/elsewhere/config.yaml",
        ];
        for path in no {
            assert!(!is_source(root, output, Path::new(path)), "{path}");
        }
    }
}
