//! The shapes other generators write values in, read into one meaning: a list of names that
//! may be a space-separated text (Jekyll's `tags: rust web`), a flag that may be `yes` or
//! `no`, a date that may be TOML's own date type, an image that may be a map or a list.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

/// Names (tags, categories, aliases): a list, or one text of space-separated names, as
/// Jekyll splits `tags:` and `categories:` (and Hugo a text where it expects a list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Words(pub Vec<String>);

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WordsVisitor { split: true })
    }
}

/// One or more texts kept whole: a list, or a single text (`redirect_from: /old/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Texts(pub Vec<String>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(WordsVisitor { split: false })
            .map(|w| Self(w.0))
    }
}

struct WordsVisitor {
    split: bool,
}

impl<'de> Visitor<'de> for WordsVisitor {
    type Value = Words;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.split {
            "a list or space-separated text"
        } else {
            "a list or a text"
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Words, E> {
        Ok(Words(if self.split {
            v.split_whitespace().map(str::to_string).collect()
        } else if v.trim().is_empty() {
            Vec::new()
        } else {
            vec![v.to_string()]
        }))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Words, E> {
        Ok(Words(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Words, E> {
        Ok(Words(Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Words, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<String>()? {
            out.push(item);
        }
        Ok(Words(out))
    }
}

/// A yes-or-no key (`draft`, `published`): `true`/`false`, or one of YAML 1.1's words
/// (`yes`, `no`, `on`, `off`) that Jekyll and Hugo read as booleans; `loose` says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag {
    pub value: bool,
    pub loose: bool,
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("true or false")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Flag, E> {
        Ok(Flag {
            value,
            loose: false,
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        let value = match v.trim().to_ascii_lowercase().as_str() {
            "yes" | "on" | "true" | "y" => true,
            "no" | "off" | "false" | "n" => false,
            _ => return Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        };
        Ok(Flag { value, loose: true })
    }
}

/// A date as written: text in YAML, text or a date value in TOML (`date = 2024-12-15`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = DateText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
        Ok(DateText(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateText, E> {
        Ok(DateText(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateText, E> {
        Ok(DateText(v.to_string()))
    }

    /// TOML's date and time values arrive as a map of one private key to their text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, text)) => Ok(DateText(text)),
            None => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// An image: a path or URL, a map with one (`image: {path: ...}`, as jekyll-seo-tag reads
/// it), or a list whose first item is the one to show (Hugo's `images`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef(pub Option<String>);

impl<'de> Deserialize<'de> for ImageRef {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ImageVisitor)
    }
}

struct ImageVisitor;

impl<'de> Visitor<'de> for ImageVisitor {
    type Value = ImageRef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an image path or URL")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ImageRef, E> {
        Ok(ImageRef(
            Some(v.to_string()).filter(|v| !v.trim().is_empty()),
        ))
    }

    fn visit_unit<E: de::Error>(self) -> Result<ImageRef, E> {
        Ok(ImageRef(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<ImageRef, E> {
        Ok(ImageRef(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ImageRef, A::Error> {
        let first = seq.next_element::<ImageRef>()?.and_then(|i| i.0);
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(ImageRef(first))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ImageRef, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if matches!(key.as_str(), "path" | "src" | "url") && found.is_none() {
                found = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(ImageRef(found))
    }
}

/// Authors: a name, a list of names, or maps with a `name` (jekyll-seo-tag's
/// `author: {name: ..., url: ...}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Names(pub Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name, a list of names, or a map with a `name`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
        Ok(Names(
            Some(v.trim().to_string())
                .filter(|v| !v.is_empty())
                .into_iter()
                .collect(),
        ))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
        Ok(Names::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Names, E> {
        Ok(Names::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut out = Vec::new();
        while let Some(names) = seq.next_element::<Names>()? {
            out.extend(names.0);
        }
        Ok(Names(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
        let mut name = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "name" && name.is_none() {
                name = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(Names(name.into_iter().collect()))
    }
}
