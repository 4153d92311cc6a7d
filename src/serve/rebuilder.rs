//! The rebuilder of `serve`: waits for changes, rebuilds the site, prints what it did and
//! tells the browsers (reload, swap a stylesheet, or show the error over the page).

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, join_names};
use crate::serve::live::{Changes, LiveSite, Rebuilt};
use crate::serve::reload::{LiveEvent, Swap};
use crate::serve::server::{ServerState, Status};
use crate::serve::watch::Watcher;

/// Prints the warnings not printed last time, so a rebuild repeats none.
pub(crate) fn print_warnings(warnings: &[Diagnostic], printed: &mut HashSet<String>) {
    let now: HashSet<String> = warnings.iter().map(ToString::to_string).collect();
    for warning in warnings {
        let text = warning.to_string();
        if !printed.contains(&text) {
            crate::terminal::report(&format!("{text}\n"));
        }
    }
    *printed = now;
}

/// The paths of a batch of changes, for the terminal.
fn describe(changes: &Changes, root: &Path) -> String {
    if changes.everything {
        return "everything".to_string();
    }
    let names: Vec<String> = changes
        .paths
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    match names.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        _ => join_names(&shown),
    }
}

/// How long the sources stay unchanged before the output's manifest is written.
const IDLE: Duration = Duration::from_millis(500);
/// How often the loop looks whether it should stop or settle.
const POLL: Duration = Duration::from_millis(50);

/// Waits for changes and rebuilds, one batch at a time (changes that come in meanwhile are
/// taken together), until `stop` is set; then records what the output holds and returns.
pub(crate) fn rebuild_loop(
    mut live: LiveSite,
    mut watcher: Watcher,
    changes: &Receiver<Changes>,
    state: &ServerState,
    first_warnings: Vec<Diagnostic>,
    stop: &AtomicBool,
) {
    let root = live.options().root.clone();
    let mut printed: HashSet<String> = first_warnings.iter().map(ToString::to_string).collect();
    let mut failed = state.status().error.is_some();
    let mut last_rebuild = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let mut batch = match changes.recv_timeout(POLL) {
            Ok(batch) => batch,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if last_rebuild.elapsed() >= IDLE {
                    // Nothing changed for a while: make the search index again if an edit
                    // left it out of date, then record what the output holds (nothing is
                    // written when it is recorded already).
                    if let Some((warnings, result)) = live.index_if_due() {
                        print_warnings(&warnings, &mut printed);
                        report_index(result);
                    }
                    live.settle();
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        while let Ok(more) = changes.try_recv() {
            batch.everything |= more.everything;
            batch.paths.extend(more.paths);
        }
        batch.paths.sort();
        batch.paths.dedup();
        watcher.refresh(&batch.paths);
        let what = describe(&batch, &root);
        let (warnings, result) = live.rebuild(&batch);
        last_rebuild = Instant::now();
        print_warnings(&warnings, &mut printed);
        let base_path = live.base_path().unwrap_or("/").to_string();
        match result {
            Ok(rebuilt) => {
                println!("{}", rebuilt_line(&rebuilt, &what));
                let event = if failed || !rebuilt.only_stylesheets() {
                    LiveEvent::Reload
                } else {
                    LiveEvent::Stylesheets(stylesheet_swap(&rebuilt, &base_path))
                };
                failed = false;
                state.update(
                    Status {
                        base_path,
                        error: None,
                    },
                    event,
                );
            }
            Err(e) => {
                let message = e.to_string();
                crate::terminal::report(&format!("{message}\n"));
                println!("rebuild failed ({what}): still serving the last good site");
                failed = true;
                let base_path = state.status().base_path;
                state.update(
                    Status {
                        base_path,
                        error: Some(message.clone()),
                    },
                    LiveEvent::Failed(message),
                );
            }
        }
        let _ = std::io::stdout().flush();
    }
    live.settle();
}

/// Says what the pass that made the search index did. The browsers are not told: pages did
/// not change, and the search page reads the new index when it is next opened.
fn report_index(result: Result<Rebuilt, crate::pipeline::BuildError>) {
    match result {
        Ok(rebuilt) => {
            let pages = rebuilt.indexed.unwrap_or(0);
            println!(
                "search index made again in {} ms ({})",
                rebuilt.elapsed.as_millis(),
                crate::diagnostic::counted(pages, "page", "pages")
            );
        }
        Err(e) => {
            crate::terminal::report(&format!("{e}\n"));
            println!("the search index could not be made: the last one is still served");
        }
    }
    let _ = std::io::stdout().flush();
}

fn rebuilt_line(rebuilt: &Rebuilt, what: &str) -> String {
    let ms = rebuilt.elapsed.as_millis();
    if rebuilt.rendered.is_empty() && rebuilt.written.is_empty() && rebuilt.removed.is_empty() {
        return format!("rebuilt in {ms} ms ({what}): nothing changed");
    }
    let mut line = format!(
        "rebuilt in {ms} ms ({what}): {}; {} rendered, {} written",
        rebuilt.counts.describe(),
        crate::diagnostic::counted(rebuilt.rendered.len(), "file", "files"),
        rebuilt.written.len(),
    );
    if !rebuilt.removed.is_empty() {
        line.push_str(&format!(", {} removed", rebuilt.removed.len()));
    }
    line
}

/// The stylesheets a rebuild changed, as URL paths: those changed under their own name, and
/// those linked by a hashed name that changed.
fn stylesheet_swap(rebuilt: &Rebuilt, base_path: &str) -> Swap {
    let url = |f: &Path| {
        let parts: Vec<String> = f
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{base_path}{}", parts.join("/"))
    };
    let renamed: Vec<&Path> = rebuilt
        .renamed
        .iter()
        .flat_map(|(old, new)| [old.as_path(), new.as_path()])
        .collect();
    Swap {
        paths: rebuilt
            .written
            .iter()
            .chain(&rebuilt.removed)
            .filter(|f| {
                f.extension().is_some_and(|e| e == "css") && !renamed.contains(&f.as_path())
            })
            .map(|f| url(f))
            .collect(),
        renamed: rebuilt
            .renamed
            .iter()
            .map(|(old, new)| (url(old), url(new)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn changes_are_described_briefly() {
        let root = PathBuf::from("/s");
        let changes = Changes {
            paths: ["a", "b", "c", "d"].iter().map(|n| root.join(n)).collect(),
            everything: false,
        };
        assert_eq!(describe(&changes, &root), "a, b, c and 1 more");
    }
}
