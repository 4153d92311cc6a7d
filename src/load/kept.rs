//! What earlier builds kept for the next: the contents of a cache file, when it is there and
//! its seal (`seal.rs`) says they are whole (it is only a cache: a missing or unreadable file
//! is no cache, a damaged one is told apart so that the build can say so), and the name of
//! this program those contents must match.

use std::path::Path;

use crate::seal::{self, Opened};

/// What a cache file holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kept {
    /// Its contents, whole.
    Whole(Contents),
    /// It was damaged: cut short, or changed.
    Damaged,
    /// Nothing usable: no file, a file that cannot be read, or one of another format.
    Nothing,
}

impl Kept {
    /// The contents, when whole.
    pub(crate) fn whole(self) -> Option<Contents> {
        match self {
            Self::Whole(contents) => Some(contents),
            Self::Damaged | Self::Nothing => None,
        }
    }
}

/// The contents of a sealed file: its bytes as read, the seal's head still in front (not
/// moved to take it away, unless [`Contents::into_vec`] is asked for).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Contents(Vec<u8>);

impl std::ops::Deref for Contents {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.0.get(seal::HEAD..).unwrap_or_default()
    }
}

impl Contents {
    /// The contents on their own.
    pub(crate) fn into_vec(mut self) -> Vec<u8> {
        self.0.drain(..seal::HEAD.min(self.0.len()));
        self.0
    }
}

/// The contents of the sealed cache file at `path`, read once.
pub(crate) fn read(path: &Path) -> Kept {
    match std::fs::read(path) {
        Ok(bytes) => opened(bytes),
        Err(_) => Kept::Nothing,
    }
}

/// The contents of a sealed file whose bytes are `bytes`.
pub(crate) fn opened(bytes: Vec<u8>) -> Kept {
    match seal::open(&bytes) {
        Opened::Whole(_) => Kept::Whole(Contents(bytes)),
        Opened::Damaged => Kept::Damaged,
        Opened::Foreign => Kept::Nothing,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_reads_whole_damaged_or_as_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        assert_eq!(read(&path), Kept::Nothing);
        std::fs::write(&path, seal::sealed(b"kept")).unwrap();
        let Kept::Whole(contents) = read(&path) else {
            panic!("whole");
        };
        assert_eq!(&*contents, b"kept");
        assert_eq!(contents.into_vec(), b"kept");
        let mut bytes = seal::sealed(b"kept");
        bytes.pop();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path), Kept::Damaged);
        std::fs::write(&path, b"another format altogether").unwrap();
        assert_eq!(read(&path), Kept::Nothing);
    }
}
