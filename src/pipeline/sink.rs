//! Where the files of a plan go: the seam where `build`, `serve` and `check` differ.

use std::path::Path;

use super::{BuildError, Entry};
use crate::write::{LiveOutput, Staging};

/// Takes the files of a site. It says which files it already has (made from the same
/// inputs, untouched since), so they are neither rendered nor written again.
pub(crate) trait Sink: Sync {
    /// The sink has `entry` as made from inputs with `fingerprint`.
    fn keeps(&self, entry: &Entry, fingerprint: u128) -> bool;
    /// Takes the bytes of `entry`, made from inputs with `fingerprint`; returns whether it
    /// wrote them (false: it had them already).
    fn put(&self, entry: &Entry, bytes: &[u8], fingerprint: u128) -> Result<bool, BuildError>;
    /// Takes `entry`, a copy of the site's file `from`.
    fn copy(&self, entry: &Entry, from: &Path) -> Result<bool, BuildError>;
    /// Takes `entry`, made from inputs with `fingerprint` by `make` (a resized picture: costly
    /// to make), unless it has it; returns whether it wrote it.
    fn made(
        &self,
        entry: &Entry,
        fingerprint: u128,
        make: &dyn Fn() -> Result<Vec<u8>, BuildError>,
    ) -> Result<bool, BuildError> {
        if self.keeps(entry, fingerprint) {
            return Ok(false);
        }
        self.put(entry, &make()?, fingerprint)
    }
    /// The sink has every file under `folder` as made from inputs with `fingerprint` (the
    /// search index, whose files are known only once it is made), and keeps them.
    fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool;
    /// Keeps every file it has under `folder` as it is, whatever it was made from (an index
    /// out of date, served until the new one is made). Only a sink whose files stay from
    /// pass to pass (`serve`'s) has any.
    fn retains_folder(&self, _folder: &Path) {}
    /// The sink may have files under `folder` that it could keep (false: it has none, and
    /// [`Sink::keeps_folder`] would say no for any fingerprint).
    fn may_keep_folder(&self, folder: &Path) -> bool;
}

/// A build: into the staging folder, swapped in at the end.
impl Sink for Staging {
    fn keeps(&self, entry: &Entry, fingerprint: u128) -> bool {
        Staging::keeps(self, &entry.file, fingerprint)
    }

    fn put(&self, entry: &Entry, bytes: &[u8], fingerprint: u128) -> Result<bool, BuildError> {
        Ok(self.write_made_from(&entry.file, bytes, fingerprint)?)
    }

    fn copy(&self, entry: &Entry, from: &Path) -> Result<bool, BuildError> {
        Ok(Staging::copy(self, from, &entry.file)?)
    }

    fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool {
        Staging::keeps_folder(self, folder, fingerprint)
    }

    fn may_keep_folder(&self, folder: &Path) -> bool {
        Staging::may_keep_folder(self, folder)
    }

    /// The staging folder holds the output before last: a file costly to make that the
    /// output has as made from the same inputs is taken from there.
    fn made(
        &self,
        entry: &Entry,
        fingerprint: u128,
        make: &dyn Fn() -> Result<Vec<u8>, BuildError>,
    ) -> Result<bool, BuildError> {
        if self.keeps(&entry.file, fingerprint)
            || self.takes_from_output(&entry.file, fingerprint)?
        {
            return Ok(false);
        }
        Ok(self.write_made_from(&entry.file, &make()?, fingerprint)?)
    }
}

/// `serve`: into the served output, in place.
impl Sink for LiveOutput {
    fn keeps(&self, entry: &Entry, fingerprint: u128) -> bool {
        LiveOutput::keeps(self, &entry.file, fingerprint)
    }

    fn put(&self, entry: &Entry, bytes: &[u8], fingerprint: u128) -> Result<bool, BuildError> {
        Ok(self.write(&entry.file, bytes, fingerprint)?)
    }

    fn copy(&self, entry: &Entry, from: &Path) -> Result<bool, BuildError> {
        Ok(LiveOutput::copy(self, from, &entry.file)?)
    }

    fn keeps_folder(&self, folder: &Path, fingerprint: u128) -> bool {
        LiveOutput::keeps_folder(self, folder, fingerprint)
    }

    fn retains_folder(&self, folder: &Path) {
        LiveOutput::retains_folder(self, folder);
    }

    fn may_keep_folder(&self, folder: &Path) -> bool {
        LiveOutput::may_keep_folder(self, folder)
    }
}
