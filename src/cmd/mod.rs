//! The commands of the `playpress` binary. Each returns its outcome; `main.rs` prints it
//! (`serve` prints as it goes: it runs until stopped).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

/// The site folder for a command run in `dir`: the nearest folder from `dir` up that holds a
/// `config.yaml`, as a path relative to `dir` (`.`, `..`, `../..`).
pub fn find_root(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    dir.ancestors()
        .position(|folder| folder.join(crate::load::config::CONFIG_FILE).is_file())
        .map(|up| match up {
            0 => std::path::PathBuf::from("."),
            n => std::iter::repeat_n("..", n).collect(),
        })
}

pub use crate::diagnostic::counted;

pub use crate::pipeline::Counts;
