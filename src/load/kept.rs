//! What earlier builds kept for the next: the bytes of a cache file (none when it is missing
//! or unreadable: it is only a cache), and the name of this program those bytes must match.

use std::path::Path;

/// The bytes of the cache file at `path`, if there is one to read.
pub(crate) fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// This program: its version and the size and time of its file, so that a cache made by
/// another build of it (which may outline differently) is not used.
pub(crate) fn program() -> String {
    let stamp = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            format!("{} {}.{:09}", m.len(), time.as_secs(), time.subsec_nanos())
        })
        .unwrap_or_default();
    format!("playpress {} {stamp}", env!("CARGO_PKG_VERSION"))
}
