//! The documents of a [`DocumentCache`] as bytes, for the next build: each checked document
//! and outline with nothing to report (no warning, no error: those are found again), by the
//! key of its file, the hash of its text and the name its slug and date may come from. The
//! text itself is not kept (the next build reads the file), unless the body was rewritten
//! from another generator's syntax. The bytes start with what they were made with (this
//! program, the configuration, the components); bytes made with anything else, or damaged,
//! read as an empty cache. (The file they are kept in is sealed, `seal.rs`: changed bytes
//! that would still decode never reach [`DocumentCache::decode`].)

use std::collections::BTreeMap;
use std::sync::Arc;

use minicbor::{Decode, Encode};
use rayon::prelude::*;

use super::{DocumentCache, Entry};
use crate::markdown::Outline;
use crate::model::post::Document;

/// The first bytes of the encoded cache, with its format's number.
const MAGIC: &[u8] = b"playpress documents 1\n";

/// Records encoded together, on one thread.
const RUN: usize = 256;

/// What the bytes were made with: a cache made with anything else is not used.
#[derive(Debug, Encode, Decode, PartialEq, Eq)]
struct Made {
    /// This program: its version and the stamp of its file (a rebuilt program may outline
    /// differently).
    #[n(0)]
    program: String,
    #[n(1)]
    config_key: String,
    #[n(2)]
    components_key: u128,
}

/// One document as written.
#[derive(Encode)]
struct RecordRef<'a> {
    #[n(0)]
    key: u128,
    #[n(1)]
    text_hash: u128,
    #[n(2)]
    name: &'a str,
    #[n(3)]
    doc: &'a Document,
    /// The rewritten text, when the body was rewritten.
    #[n(4)]
    rewritten: Option<&'a str>,
    #[n(5)]
    outline: Option<&'a Outline>,
}

/// One document as read back.
#[derive(Decode)]
struct Record {
    #[n(0)]
    key: u128,
    #[n(1)]
    text_hash: u128,
    #[n(2)]
    name: String,
    #[n(3)]
    doc: Document,
    #[n(4)]
    rewritten: Option<String>,
    #[n(5)]
    outline: Option<Outline>,
}

impl DocumentCache {
    /// The documents with nothing to report, as bytes, with what they were made with
    /// (`program` names this program): in parts to write one after the other (not copied
    /// into one buffer). Each record is encoded on its own, as a byte string, so that reading
    /// them back can split them first and decode them on every thread; they are encoded on
    /// every thread too, in runs of [`RUN`].
    pub(crate) fn encode_parts(&self, program: &str) -> Vec<Vec<u8>> {
        let made = Made {
            program: program.to_string(),
            config_key: self.config_key.clone(),
            components_key: self.components_key,
        };
        let mut entries: Vec<(u128, RecordRef<'_>)> = self
            .entries
            .iter()
            .filter_map(|(key, entry)| Some((*key, record_of(*key, entry)?)))
            .collect();
        // The same documents give the same bytes.
        entries.sort_unstable_by_key(|(key, _)| *key);
        let runs: Vec<Vec<u8>> = entries
            .par_chunks(RUN)
            .map(|run| {
                let mut encoder = minicbor::Encoder::new(Vec::new());
                for (_, record) in run {
                    // A record that cannot be encoded (an `extra` value JSON cannot hold) is
                    // left out: its document is checked again next time.
                    if let Ok(bytes) = minicbor::to_vec(record) {
                        let _ = encoder.bytes(&bytes);
                    }
                }
                encoder.into_writer()
            })
            .collect();
        let mut head = MAGIC.to_vec();
        let mut encoder = minicbor::Encoder::new(&mut head);
        // Writing into a Vec cannot fail. The array's length is not known before every
        // record is encoded: it is written as indefinite, and ends with a break.
        let _ = encoder.encode(&made);
        let _ = encoder.begin_array();
        let mut parts = vec![head];
        parts.extend(runs);
        let mut end = minicbor::Encoder::new(Vec::new());
        let _ = end.end();
        parts.push(end.into_writer());
        parts
    }

    /// [`Self::encode_parts`], in one buffer.
    #[cfg(test)]
    pub(crate) fn encode(&self, program: &str) -> Vec<u8> {
        self.encode_parts(program).concat()
    }

    /// The cache `bytes` hold when they were made with `program` and the same configuration
    /// and components as `cache` names; else `cache` as it is.
    pub(crate) fn decode(mut self, bytes: &[u8], program: &str) -> Self {
        let expected = Made {
            program: program.to_string(),
            config_key: self.config_key.clone(),
            components_key: self.components_key,
        };
        match bytes
            .strip_prefix(MAGIC)
            .and_then(|rest| records(rest, &expected))
        {
            Some(records) => self.entries.extend(records.into_iter().map(entry_of)),
            None => self.changed = true,
        }
        self
    }
}

/// The records of `bytes` (after the magic), when they were made as `expected` says and
/// every one reads back.
fn records(bytes: &[u8], expected: &Made) -> Option<Vec<Record>> {
    let mut decoder = minicbor::Decoder::new(bytes);
    if decoder.decode::<Made>().ok()? != *expected {
        return None;
    }
    // Indefinite: records up to a break.
    if decoder.array().ok()?.is_some() {
        return None;
    }
    let mut slices = Vec::new();
    while decoder.datatype().ok()? != minicbor::data::Type::Break {
        slices.push(decoder.bytes().ok()?);
    }
    slices
        .par_iter()
        .map(|record| minicbor::decode::<Record>(record).ok())
        .collect()
}

/// The record of an entry with nothing to report (and its outline when that has nothing
/// either), or `None`.
fn record_of(key: u128, entry: &Entry) -> Option<RecordRef<'_>> {
    let (Ok(doc), warnings) = &entry.parsed else {
        return None;
    };
    if !warnings.is_empty() {
        return None;
    }
    let outline = entry
        .body
        .as_ref()
        .filter(|(outline, warnings)| warnings.is_empty() && !outline.has_problems())
        .map(|(outline, _)| &**outline);
    Some(RecordRef {
        key,
        text_hash: entry.text_hash,
        name: &entry.name,
        doc,
        rewritten: doc.written.is_some().then_some(&*doc.text),
        outline,
    })
}

fn entry_of(record: Record) -> (u128, Entry) {
    let mut doc = record.doc;
    if let Some(rewritten) = record.rewritten {
        doc.text = Arc::from(rewritten);
        // A mark until the file's text is attached: see [`attach_text`].
        doc.written = Some(Arc::from(""));
    }
    let entry = Entry {
        text: None,
        text_hash: record.text_hash,
        name: record.name,
        parsed: (Ok(doc), Vec::new()),
        body: record.outline.map(|o| (Arc::new(o), Vec::new())),
        post: None,
    };
    (record.key, entry)
}

/// Gives a document read back from bytes the text of its file.
pub(super) fn attach_text(doc: &mut Document, text: &Arc<str>) {
    match &mut doc.written {
        Some(written) => *written = Arc::clone(text),
        None => doc.text = Arc::clone(text),
    }
}

/// A date with its time zone, as RFC 9557 text (`2024-05-01T09:00:00+08:00[Asia/Hong_Kong]`).
pub(crate) mod zoned {
    use jiff::ZonedDateTime as Zoned;
    use minicbor::decode::{Decoder, Error};
    use minicbor::encode::{self, Encoder, Write};

    pub(crate) fn encode<Ctx, W: Write>(
        value: &Option<Zoned>,
        e: &mut Encoder<W>,
        ctx: &mut Ctx,
    ) -> Result<(), encode::Error<W::Error>> {
        let text = value.as_ref().map(ToString::to_string);
        e.encode_with(text, ctx)?;
        Ok(())
    }

    pub(crate) fn decode<Ctx>(d: &mut Decoder<'_>, _: &mut Ctx) -> Result<Option<Zoned>, Error> {
        match d.decode::<Option<&str>>()? {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| Error::message("a date that does not read back")),
        }
    }
}

/// Values of any shape (the front matter's `extra`), as JSON text.
pub(crate) mod json {
    use super::BTreeMap;
    use minicbor::decode::{Decoder, Error};
    use minicbor::encode::{self, Encoder, Write};

    type Map = BTreeMap<String, serde_json::Value>;

    pub(crate) fn encode<Ctx, W: Write>(
        value: &Map,
        e: &mut Encoder<W>,
        _: &mut Ctx,
    ) -> Result<(), encode::Error<W::Error>> {
        let text = if value.is_empty() {
            String::new()
        } else {
            serde_json::to_string(value).map_err(|_| encode::Error::message("extra values"))?
        };
        e.str(&text)?;
        Ok(())
    }

    pub(crate) fn decode<Ctx>(d: &mut Decoder<'_>, _: &mut Ctx) -> Result<Map, Error> {
        let text = d.str()?;
        if text.is_empty() {
            return Ok(Map::new());
        }
        serde_json::from_str(text).map_err(|_| Error::message("extra values that do not read back"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::load::config::Config;
    use crate::load::content::SourceFile;
    use crate::model::post::{Kind, parse_document};

    fn config() -> Config {
        Config::parse(
            "title: T\nbase_url: https://e.com/\ntimezone: Asia/Hong_Kong\n",
            Path::new("config.yaml"),
        )
        .unwrap()
    }

    /// A cache holding `texts` (by name) checked and outlined, as a build leaves it.
    fn filled(texts: &[(&str, &str)]) -> (DocumentCache, Vec<SourceFile>) {
        let mut cache = DocumentCache::new();
        cache.use_config("config");
        let highlighter = crate::markdown::highlight::Highlighter::new();
        let mut files = Vec::new();
        for (name, text) in texts {
            let file = SourceFile {
                path: PathBuf::from(format!("content/posts/{name}.md")),
                text: Arc::from(*text),
            };
            let mut warnings = Vec::new();
            let doc = parse_document(&file, name, Kind::Post, &config(), &mut warnings);
            let outline = doc.as_ref().ok().map(|doc| {
                let mut lines = crate::markdown::highlight::LineCache::new();
                crate::markdown::outline(doc.body(), &highlighter, "/", &mut lines)
            });
            cache.store_parsed(Kind::Post, &file.path, &file.text, name, (doc, warnings));
            if let Some(outline) = outline {
                cache.store_body(Kind::Post, &file.path, (Arc::new(outline), Vec::new()));
            }
            files.push(file);
        }
        (cache, files)
    }

    fn read_back(cache: &DocumentCache, program: &str, config_key: &str) -> DocumentCache {
        let mut read = DocumentCache::new();
        read.use_config(config_key);
        read.decode(&cache.encode("program 1"), program)
    }

    const TEXTS: [(&str, &str); 3] = [
        (
            "dated",
            "---\ntitle: Dated\ndate: 2024-03-01T10:00:00-05:00\nupdated: 2024-04-01\ntags: [a, b]\npermalink: /x/{slug}/\nextra:\n  mood: [1, {a: b}]\n---\n# Head\n\nFirst *words* here.\n\n```rust\nfn main() {}\n```\n",
        ),
        (
            "2024-05-06-from-jekyll",
            "---\ntitle: Jekyll\n---\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
        ),
        ("broken", "---\ntitle: [unclosed\n---\n"),
    ];

    #[test]
    fn documents_and_outlines_read_back_as_they_were() {
        let (cache, files) = filled(&TEXTS);
        let read = read_back(&cache, "program 1", "config");
        assert!(!read.changed());
        for file in &files[..2] {
            let name = crate::model::post::stem(&file.path);
            // The same text, read again by another build: another allocation.
            let text: Arc<str> = Arc::from(&*file.text);
            let kept = cache
                .parsed(Kind::Post, &file.path, &file.text, &name)
                .unwrap();
            let back = read.parsed(Kind::Post, &file.path, &text, &name).unwrap();
            assert_eq!(back.0, kept.0, "{name}");
            assert!(back.1.is_empty());
            let body = read
                .body((Kind::Post, &file.path), &text, None, &name)
                .unwrap();
            let kept_body = cache
                .body((Kind::Post, &file.path), &file.text, None, &name)
                .unwrap();
            assert_eq!(body.0, kept_body.0, "{name}");
        }
        let Ok(jekyll) = read
            .parsed(
                Kind::Post,
                &files[1].path,
                &files[1].text,
                "2024-05-06-from-jekyll",
            )
            .unwrap()
            .0
        else {
            panic!("the Jekyll post checks out");
        };
        assert!(jekyll.written.is_some(), "its body was rewritten");
        assert_eq!(jekyll.written.as_deref(), Some(&*files[1].text));
        // A document with errors is checked again: not kept.
        assert!(
            read.parsed(Kind::Post, &files[2].path, &files[2].text, "broken")
                .is_none()
        );
        // Another text under the same name is another document.
        let other: Arc<str> = Arc::from("---\ntitle: Other\n---\n");
        assert!(
            read.parsed(Kind::Post, &files[0].path, &other, "dated")
                .is_none()
        );
    }

    #[test]
    fn the_same_documents_give_the_same_bytes() {
        let (one, _) = filled(&TEXTS);
        let (two, _) = filled(&TEXTS);
        assert_eq!(one.encode("p"), two.encode("p"));
    }

    #[test]
    fn bytes_of_another_program_or_configuration_or_damaged_are_not_used() {
        let (cache, files) = filled(&TEXTS);
        let file = &files[0];
        for read in [
            read_back(&cache, "program 2", "config"),
            read_back(&cache, "program 1", "another config"),
            {
                let mut read = DocumentCache::new();
                read.use_config("config");
                let bytes = cache.encode("program 1");
                read.decode(&bytes[..bytes.len() - 3], "program 1")
            },
        ] {
            assert!(
                read.parsed(Kind::Post, &file.path, &file.text, "dated")
                    .is_none()
            );
            assert!(read.changed(), "worth writing again");
        }
    }
}
