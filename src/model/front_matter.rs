//! Front matter: the YAML block between `---` lines at the top of a Markdown file. Known keys
//! are typed (wrong types are errors); other keys are kept for templates with a warning.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::load::yaml::{self, YamlSource};

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub yaml: &'a str,
    /// Lines of the file before the YAML (the opening `---`).
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Splits `text` (BOM removed, LF line endings) into front matter and body.
pub(crate) fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        let message = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "no front matter: the file must start with a `---` line"
        };
        let d = Diagnostic::error(file, message)
            .with_hint("start the file with front matter:\n---\ntitle: \"My post\"\n---");
        return Err(if text.is_empty() {
            d
        } else {
            d.at(
                text,
                Position { line: 1, column: 1 },
                first_line.chars().count().max(1),
            )
            .with_label("expected `---`")
        });
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start.min(text.len());
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset = end + 1;
    }
    Err(Diagnostic::error(file, "front matter is never closed")
        .at(text, Position { line: 1, column: 1 }, 3)
        .with_label("opened here")
        .with_hint("add a line with `---` after the last front matter key"))
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located<T> {
    pub value: T,
    pub location: Location,
}

impl<T> From<Spanned<T>> for Located<T> {
    fn from(s: Spanned<T>) -> Self {
        Self {
            value: s.value,
            location: s.referenced,
        }
    }
}

/// The keys playpress understands, in the order the README documents them.
pub(crate) const KNOWN_KEYS: [&str; 15] = [
    "title",
    "date",
    "updated",
    "author",
    "summary",
    "description",
    "tags",
    "series",
    "series_part",
    "slug",
    "draft",
    "extra",
    "aliases",
    "total_parts",
    "image",
];

/// Parsed front matter, before it is checked against the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    pub title: Option<Located<Option<String>>>,
    pub date: Option<Located<String>>,
    pub updated: Option<Located<String>>,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub description: Option<Located<String>>,
    pub tags: Vec<String>,
    /// Where `tags:` is written.
    pub tags_at: Option<Location>,
    pub series: Option<Located<String>>,
    pub series_part: Option<Located<u32>>,
    /// In a series description: how many parts the series will have.
    pub total_parts: Option<Located<u32>>,
    pub slug: Option<Located<String>>,
    pub draft: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub aliases: Option<Located<Vec<String>>>,
    /// Image for link previews (`og:image`): a URL, a site path, or a file beside the post.
    pub image: Option<String>,
    /// Keys playpress does not know, kept for templates (under `extra`).
    pub unknown: Vec<(Located<String>, serde_json::Value)>,
}

impl<'de> Deserialize<'de> for FrontMatter {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FrontMatterVisitor)
    }
}

struct FrontMatterVisitor;

impl<'de> Visitor<'de> for FrontMatterVisitor {
    type Value = FrontMatter;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of front matter keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FrontMatter, A::Error> {
        let mut fm = FrontMatter::default();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            match key.value.as_str() {
                "title" => fm.title = Some(map.next_value::<Spanned<Option<String>>>()?.into()),
                "date" => fm.date = Some(map.next_value::<Spanned<String>>()?.into()),
                "updated" => fm.updated = Some(map.next_value::<Spanned<String>>()?.into()),
                "author" => fm.author = Some(map.next_value()?),
                "summary" => fm.summary = Some(map.next_value()?),
                "description" => fm.description = Some(map.next_value::<Spanned<String>>()?.into()),
                "tags" => {
                    let tags = map.next_value::<Spanned<Vec<String>>>()?;
                    fm.tags_at = Some(tags.referenced);
                    fm.tags = tags.value;
                }
                "series" => fm.series = Some(map.next_value::<Spanned<String>>()?.into()),
                "series_part" => fm.series_part = Some(map.next_value::<Spanned<u32>>()?.into()),
                "total_parts" => fm.total_parts = Some(map.next_value::<Spanned<u32>>()?.into()),
                "slug" => fm.slug = Some(map.next_value::<Spanned<String>>()?.into()),
                "draft" => fm.draft = map.next_value()?,
                "extra" => fm.extra = map.next_value()?,
                "aliases" => fm.aliases = Some(map.next_value::<Spanned<Vec<String>>>()?.into()),
                "image" => fm.image = Some(map.next_value()?),
                _ => {
                    let value = map.next_value::<serde_json::Value>()?;
                    fm.unknown.push((key.into(), value));
                }
            }
        }
        Ok(fm)
    }
}

fn shape_hint(key: &str) -> Option<String> {
    let text = match key {
        "title" => "give the post a title, e.g. title: \"My post\"",
        "date" | "updated" => "write a date as YYYY-MM-DD or RFC 3339, e.g. date: 2024-12-15",
        "tags" => "write tags as a list, e.g. tags: [rust, web]",
        "aliases" => "write aliases as a list of paths, e.g. aliases: [/old/url/]",
        "series_part" => "write the part number as a positive whole number, e.g. series_part: 2",
        "total_parts" => {
            "write the planned number of parts as a positive whole number, e.g. total_parts: 3"
        }
        "draft" => "write draft: true or draft: false",
        "extra" => "extra is a map, e.g.\nextra:\n  key: value",
        "series" | "slug" | "author" | "summary" | "description" | "image" => {
            return Some(format!("`{key}` is text, e.g. {key}: \"...\""));
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// Parses the front matter of `split` from the file `file` whose whole text is `text`.
/// Warnings (unknown keys) are pushed onto `warnings`.
pub(crate) fn parse(
    text: &str,
    split: &Split<'_>,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    let source = YamlSource {
        file,
        file_text: text,
        yaml: split.yaml,
        line_offset: split.yaml_line_offset,
    };
    let fm: FrontMatter = if split.yaml.trim().is_empty() {
        FrontMatter::default()
    } else {
        yaml::parse(source, &shape_hint)?
    };
    for (key, _) in &fm.unknown {
        let mut d = Diagnostic::warning(file, format!("unknown front matter key `{}`", key.value))
            .at(
                text,
                yaml::file_position(source, key.location),
                key.value.chars().count(),
            )
            .with_label("kept for templates as `post.extra`");
        d = match did_you_mean(&key.value, KNOWN_KEYS) {
            Some(known) => d.with_hint(format!("did you mean `{known}`?")),
            None => d.with_hint(format!(
                "templates can read it as `post.extra.{}`; move it under `extra:` to silence this warning",
                key.value
            )),
        };
        warnings.push(d);
    }
    Ok(fm)
}

/// Where a located front matter value sits in the file.
pub(crate) fn position(split: &Split<'_>, location: Location) -> Position {
    Position {
        line: location.line() as usize + split.yaml_line_offset,
        column: (location.column() as usize).max(1),
    }
}

/// Unknown keys and the `extra` map merged, as templates see them.
pub(crate) fn extra_for_templates(fm: &FrontMatter) -> BTreeMap<String, serde_json::Value> {
    let mut out: BTreeMap<String, serde_json::Value> = fm
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, value) in &fm.unknown {
        out.entry(key.value.clone())
            .or_insert_with(|| value.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Result<FrontMatter, Diagnostic>, Vec<Diagnostic>) {
        let file = Path::new("post.md");
        let mut warnings = Vec::new();
        let result = split(text, file).and_then(|s| parse(text, &s, file, &mut warnings));
        (result, warnings)
    }

    #[test]
    fn splits_front_matter() {
        let s = split("---\ntitle: x\n---\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn body_may_be_absent() {
        let s = split("---\ntitle: x\n---", Path::new("a.md")).unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter() {
        let err = split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert_eq!(err.message, "front matter is never closed");
    }

    #[test]
    fn missing_front_matter() {
        let err = split("# Hello\n", Path::new("a.md")).unwrap_err();
        assert_eq!(
            err.message,
            "no front matter: the file must start with a `---` line"
        );
        assert_eq!(
            split("", Path::new("a.md")).unwrap_err().message,
            "the file is empty"
        );
    }

    #[test]
    fn parses_known_keys() {
        let (fm, warnings) = parse_text(
            "---\ntitle: Hi\ndate: 2024-12-15\ntags: [a, b]\nseries: S\nseries_part: 2\ndraft: true\nextra:\n  k: 1\n---\n",
        );
        let fm = fm.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(fm.title.unwrap().value.as_deref(), Some("Hi"));
        assert_eq!(fm.date.unwrap().value, "2024-12-15");
        assert_eq!(fm.tags, vec!["a", "b"]);
        assert_eq!(fm.series_part.unwrap().value, 2);
        assert!(fm.draft);
        assert_eq!(fm.extra.get("k"), Some(&serde_json::json!(1)));
    }

    #[test]
    fn unknown_keys_are_kept_and_warned() {
        let (fm, warnings) = parse_text("---\ntittle: Hi\nlayout: post\n---\n");
        let fm = fm.unwrap();
        assert_eq!(fm.unknown.len(), 2);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(
            warnings[0].position(),
            Some(Position { line: 2, column: 1 })
        );
        let extra = extra_for_templates(&fm);
        assert_eq!(extra.get("layout"), Some(&serde_json::json!("post")));
    }

    #[test]
    fn yaml_positions_count_from_top_of_file() {
        let (fm, _) = parse_text("---\ntitle: ok\ntags: rust\n---\n");
        let err = fm.unwrap_err();
        assert_eq!(err.position(), Some(Position { line: 3, column: 7 }));
        assert_eq!(err.message, "wrong type for `tags`: expected a list");
    }

    #[test]
    fn yaml_1_1_traps_keep_text() {
        let (fm, _) = parse_text("---\ntitle: no\n---\n");
        assert_eq!(fm.unwrap().title.unwrap().value.as_deref(), Some("no"));
        let (fm, _) = parse_text("---\ntitle: 1.10\n---\n");
        assert_eq!(fm.unwrap().title.unwrap().value.as_deref(), Some("1.10"));
    }

    #[test]
    fn strict_booleans() {
        let (fm, _) = parse_text("---\ntitle: x\ndraft: \"no\"\n---\n");
        assert_eq!(
            fm.unwrap_err().message,
            "wrong type for `draft`: expected true or false"
        );
    }
}
