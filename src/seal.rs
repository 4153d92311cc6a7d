//! The seal of a cache file: the one checksum rule of everything playpress keeps in
//! `.playpress-cache/`. A sealed file is a head of [`HEAD`] bytes (a magic, the length of the
//! contents and their 128-bit xxh3) and the contents. Reading a file gives its contents only
//! when the seal says they are whole ([`open`]): a cache is never trusted blindly. A file
//! that does not start with the magic is of another format (an older playpress, or not
//! ours): not used, without a word. One that starts with it but is cut short, or whose
//! contents do not match their checksum, is damaged: not used, rebuilt from the sources, and
//! reported once a build ([`damaged_file`], [`damaged_files`]).
//!
//! Files read whole use the head (`load/kept.rs` reads them; `write::keep_cache` and the
//! caches that write their own files write the head before the contents). The code cache,
//! read a block at a time, keeps the same checksum ([`sum`]) for each block and for its index.
//! Pure.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The folder of the caches, relative to the site root.
pub(crate) const CACHE_DIR: &str = ".playpress-cache";

/// The first bytes of a sealed file, with the seal's version.
const MAGIC: &[u8; 16] = b"playpress seal 1";

/// The length of a seal's head: the magic, the length of the contents (8 bytes) and their
/// checksum (16), little-endian.
pub(crate) const HEAD: usize = 40;

/// The checksum of the seal: xxh3, 128 bits.
pub(crate) fn sum(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The head of a file whose contents are `parts`, one after the other.
pub(crate) fn head(parts: &[&[u8]]) -> [u8; HEAD] {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut len = 0u64;
    for part in parts {
        hasher.update(part);
        len += part.len() as u64;
    }
    let mut out = [0; HEAD];
    out[..16].copy_from_slice(MAGIC);
    out[16..24].copy_from_slice(&len.to_le_bytes());
    out[24..].copy_from_slice(&hasher.digest128().to_le_bytes());
    out
}

/// `contents`, sealed: the bytes of a file.
pub(crate) fn sealed(contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEAD + contents.len());
    out.extend_from_slice(&head(&[contents]));
    out.extend_from_slice(contents);
    out
}

/// What the bytes of a sealed file hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Opened<'a> {
    /// The contents, whole.
    Whole(&'a [u8]),
    /// A sealed file cut short or changed.
    Damaged,
    /// Not a sealed file: another format, or another version of the seal.
    Foreign,
}

/// The contents of the sealed file whose bytes are `bytes`, if they are whole.
pub(crate) fn open(bytes: &[u8]) -> Opened<'_> {
    let Some((head, contents)) = bytes.split_at_checked(HEAD) else {
        // Shorter than a head: a head cut short, or something else.
        let cut = bytes.len().min(MAGIC.len());
        return match MAGIC.starts_with(&bytes[..cut]) {
            true => Opened::Damaged,
            false => Opened::Foreign,
        };
    };
    if head[..16] != MAGIC[..] {
        return Opened::Foreign;
    }
    let len = <[u8; 8]>::try_from(&head[16..24]).map(u64::from_le_bytes);
    let checksum = <[u8; 16]>::try_from(&head[24..]).map(u128::from_le_bytes);
    match (len, checksum) {
        (Ok(len), Ok(checksum)) if len == contents.len() as u64 && sum(contents) == checksum => {
            Opened::Whole(contents)
        }
        _ => Opened::Damaged,
    }
}

/// What to do about a damaged cache.
const HINT: &str = "nothing to do; if it happens again, check the disk (deleting .playpress-cache/ is always safe)";

/// The warning of a cache file found damaged, `file` relative to the site.
pub(crate) fn damaged_file(file: &Path) -> Diagnostic {
    Diagnostic::warning(
        file,
        "this cache file was damaged (it does not match its checksum): it was not used, and this build rebuilt it from the sources",
    )
    .with_hint(HINT)
}

/// The warning of `count` files of the cache folder `folder` (relative to the site) found
/// damaged, made again from `what`.
pub(crate) fn damaged_files(folder: &Path, count: usize, what: &str) -> Diagnostic {
    let message = match count {
        1 => format!(
            "1 file of this cache was damaged (it does not match its checksum): it was not used, and this build rebuilt it from the {what}"
        ),
        n => format!(
            "{n} files of this cache were damaged (they do not match their checksums): they were not used, and this build rebuilt them from the {what}"
        ),
    };
    let mut shown = folder.as_os_str().to_os_string();
    shown.push("/");
    Diagnostic::warning(shown, message).with_hint(HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_contents_open_whole_and_any_change_is_damage() {
        let bytes = sealed(b"the contents");
        assert_eq!(open(&bytes), Opened::Whole(b"the contents"));
        let parts: [&[u8]; 3] = [b"the ", b"con", b"tents"];
        assert_eq!(head(&parts)[..], bytes[..HEAD], "in parts or whole");
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x01;
            let opened = open(&changed);
            match at {
                // A changed magic is another format.
                0..16 => assert_eq!(opened, Opened::Foreign, "at {at}"),
                _ => assert_eq!(opened, Opened::Damaged, "at {at}"),
            }
        }
        for cut in 0..bytes.len() {
            assert_eq!(open(&bytes[..cut]), Opened::Damaged, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(open(&longer), Opened::Damaged);
        assert_eq!(open(&sealed(b"")), Opened::Whole(b""));
    }

    #[test]
    fn other_bytes_are_foreign() {
        assert_eq!(open(b"playpress documents 1\nold"), Opened::Foreign);
        assert_eq!(open(b"\x89PNG\r\n"), Opened::Foreign);
        assert_eq!(open(&[0; 100]), Opened::Foreign);
    }

    #[test]
    fn damage_is_one_warning_naming_the_file() {
        assert_eq!(
            damaged_file(Path::new(".playpress-cache/documents-v1")).to_string(),
            "warning: this cache file was damaged (it does not match its checksum): it was not used, and this build rebuilt it from the sources\n --> .playpress-cache/documents-v1\n  = help: nothing to do; if it happens again, check the disk (deleting .playpress-cache/ is always safe)"
        );
        let one = damaged_files(Path::new(".playpress-cache/pictures"), 1, "pictures");
        assert!(one.to_string().starts_with("warning: 1 file of this cache was damaged (it does not match its checksum): it was not used, and this build rebuilt it from the pictures\n --> .playpress-cache/pictures/\n"));
    }
}
