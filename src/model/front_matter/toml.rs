//! TOML front matter (between `+++` lines), read with the `toml` crate into the same keys
//! as YAML, with errors at the same places: the line and column of the value in the file.

use std::marker::PhantomData;
use std::path::Path;

use serde::de::DeserializeSeed;

use super::keys::{FrontMatterVisitor, TomlFlavor};
use super::{FrontMatter, Split, Spot, position};
use crate::diagnostic::{Diagnostic, Lines};
use crate::load::yaml::ShapeHint;

/// Parses the TOML of `split` (from `file`, whose whole text is `text`).
pub(super) fn parse(
    text: &str,
    split: &Split<'_>,
    file: &Path,
    shape: ShapeHint<'_>,
) -> Result<FrontMatter, Diagnostic> {
    let toml = split.yaml;
    let visitor = FrontMatterVisitor::<TomlFlavor> {
        lines: &Lines::new(toml),
        flavor: PhantomData,
    };
    ::toml::Deserializer::parse(toml)
        .and_then(|deserializer| visitor.deserialize(deserializer))
        .map_err(|err| diagnose(&err, text, split, file, shape))
}

/// What a TOML error says to a user, at the place it names.
fn diagnose(
    err: &::toml::de::Error,
    text: &str,
    split: &Split<'_>,
    file: &Path,
    shape: ShapeHint<'_>,
) -> Diagnostic {
    let message = err.message().lines().next().unwrap_or("").trim();
    let spot = err
        .span()
        .map(|range| Spot::of_range(&Lines::new(split.yaml), range));
    let key = spot.and_then(|s| key_on_line(split.yaml, s.line));
    let (message, label) = match (message.strip_prefix("invalid type: "), &key) {
        (Some(rest), Some(key)) => {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
            let expected = match crate::load::yaml::describe_type(expected) {
                "a different kind of value" if expected == "a string" => "text",
                "a different kind of value" => expected,
                described => described,
            };
            (
                format!("wrong type for `{key}`: expected {expected}, found {found}"),
                "wrong type",
            )
        }
        _ => (format!("invalid TOML: {message}"), "here"),
    };
    let mut d = Diagnostic::error(file, message).with_label(label);
    if let Some(hint) = key.as_deref().and_then(shape) {
        d = d.with_hint(hint);
    }
    match spot {
        Some(spot) => d.at(text, position(split, spot), spot.width.clamp(1, 80)),
        None => d,
    }
}

/// The key assigned on `line` (1-based) of `toml`, as in `key = value`.
fn key_on_line(toml: &str, line: usize) -> Option<String> {
    let text = toml.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = text.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.rsplit('.').next().unwrap_or(key).to_string())
}
