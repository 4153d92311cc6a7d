//! `playpress init [DIR]`: creates a new site that builds at once with the built-in theme:
//! `config.yaml` with every key explained, one example post, `static/` and a `.gitignore` for
//! what builds write. Refuses a folder
//! that is not empty.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::load::config::CONFIG_FILE;

/// The config of a new site: every key, each with a comment.
pub const CONFIG: &str = include_str!("../../scaffold/config.yaml");

/// The example post; `{date}` becomes today's date.
pub const EXAMPLE_POST: &str = include_str!("../../scaffold/hello-world.md");

/// What git should not track: the built site and what playpress keeps beside it (its
/// staging folder, lock and manifests) and the code cache.
pub const GITIGNORE: &str = "# Written by playpress: the built site, its staging folder, lock and manifests, and\n# the cache of highlighted code. All of it is made again by `playpress build`.\n/public/\n/.public.playpress-*\n/.playpress-cache/\n";

/// Where the example post goes.
pub const EXAMPLE_POST_PATH: &str = "content/posts/hello-world.md";

/// Why no site was created.
#[derive(Debug, Error)]
pub enum InitError {
    #[error("{}", Diagnostic::general(format!("refusing to create a site in {}: the folder is not empty", .0.display())).with_hint("pick a new or empty folder, e.g. playpress init my-blog"))]
    NotEmpty(PathBuf),
    #[error("{}", Diagnostic::general(format!("cannot {action} {}: {source}", path.display())).with_hint("check the permissions of the parent folder"))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> InitError + 'a {
    move |source| InitError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Creates the site in `dir`; returns the files written, relative to it.
pub fn run(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io("read", dir))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let files = [
        (PathBuf::from(CONFIG_FILE), CONFIG.to_string()),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
        (
            PathBuf::from(EXAMPLE_POST_PATH),
            EXAMPLE_POST.replace("{date}", &today.to_string()),
        ),
    ];
    for (relative, text) in &files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        std::fs::write(&path, text).map_err(io("write", &path))?;
    }
    let static_dir = dir.join("static");
    std::fs::create_dir_all(&static_dir).map_err(io("create", &static_dir))?;
    let mut written: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    written.push(PathBuf::from("static/"));
    Ok(written)
}
