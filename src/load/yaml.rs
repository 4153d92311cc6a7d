//! YAML documents (config and front matter): one set of parser options and budgets, and the
//! translation of parser errors into [`Diagnostic`]s that name the key, the position counted
//! from the top of the file, and a fix.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;

use crate::diagnostic::{Diagnostic, Position, did_you_mean};

/// A YAML text that may sit inside a larger file (front matter), so that positions can be
/// reported against the whole file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct YamlSource<'a> {
    /// The file as shown to the user.
    pub file: &'a Path,
    /// The whole file text, for snippets.
    pub file_text: &'a str,
    /// The YAML itself.
    pub yaml: &'a str,
    /// How many lines of the file come before the YAML.
    pub line_offset: usize,
}

/// Describes, for a dotted key path such as `tags` or `footer.contact.tel`, the value expected
/// there, e.g. "a list of tags, e.g. `tags: [rust, web]`".
pub(crate) type ShapeHint<'a> = &'a dyn Fn(&str) -> Option<String>;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_events: 200_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 200_000,
            max_documents: 1,
            max_recorded_anchor_events: 100_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
        },
    }
}

/// Parses `source.yaml` into `T`, or explains what is wrong with it.
pub(crate) fn parse<T: DeserializeOwned>(
    source: YamlSource<'_>,
    shape: ShapeHint<'_>,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(source.yaml, options())
        .map_err(|err| diagnose(&err, source, shape))
}

/// Makes every NUL of the texts in `value` (strings, keys, at any depth) U+FFFD, as
/// [`crate::load::content::replace_nul`] does: YAML's `\0` and TOML's `\u0000` write one in
/// a value that templates may show (`extra:`).
pub(crate) fn replace_nul_in_value(value: &mut serde_json::Value) {
    use crate::load::content::replace_nul;
    match value {
        serde_json::Value::String(text) => replace_nul(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(replace_nul_in_value),
        serde_json::Value::Object(map) => replace_nul_in_map(map),
        _ => {}
    }
}

/// [`replace_nul_in_value`] for each key and value of `map`.
pub(crate) fn replace_nul_in_map(map: &mut serde_json::Map<String, serde_json::Value>) {
    if map.keys().any(|k| k.contains('\0')) {
        *map = std::mem::take(map)
            .into_iter()
            .map(|(mut k, v)| {
                crate::load::content::replace_nul(&mut k);
                (k, v)
            })
            .collect();
    }
    map.values_mut().for_each(replace_nul_in_value);
}

/// Position of a location reported by the parser, counted from the top of the file.
pub(crate) fn file_position(source: YamlSource<'_>, location: serde_saphyr::Location) -> Position {
    Position {
        line: location.line() as usize + source.line_offset,
        column: (location.column() as usize).max(1),
    }
}

fn diagnose(err: &YamlError, source: YamlSource<'_>, shape: ShapeHint<'_>) -> Diagnostic {
    if let Some(d) = unclosed_quote(err, source) {
        return d;
    }
    let outer = err.without_snippet();
    // Errors met while expanding an alias wrap the real one; report that, where it happened.
    let location = outer.location();
    let inner = match outer {
        YamlError::AliasError { error, .. } => error.without_snippet(),
        other => other,
    };
    let key = location.and_then(|l| key_path_at(source.yaml, l.line() as usize));
    let key_name = key.clone().unwrap_or_else(|| "value".to_string());
    let (message, label, hint) = describe(inner, key.as_deref(), &key_name, shape);

    let about_tab = message.starts_with("invalid YAML") && message.contains(" tab");
    let mut diagnostic = Diagnostic::error(source.file, message).with_label(label);
    if let Some(hint) = hint {
        diagnostic = diagnostic.with_hint(hint);
    }
    match location {
        Some(l) if l.line() > 0 => {
            let mut position = file_position(source, l);
            let mut width = usize::try_from(l.span().len()).unwrap_or(1).clamp(1, 80);
            let about_value = matches!(
                inner,
                YamlError::SerdeInvalidType { .. } | YamlError::SerdeInvalidValue { .. }
            );
            if let Some((column, value_width)) =
                value_after_key(source.yaml, l).filter(|_| about_value)
            {
                // A value rejected by its type's own check is reported at its key: point
                // at the value, as for every other wrong type.
                position.column = column;
                width = value_width;
            }
            if let Some(tab) = first_tab_from(source.yaml, l.line() as usize).filter(|_| about_tab)
            {
                // The parser reports where the scalar began; the tab is what to fix.
                position = Position {
                    line: tab.line + source.line_offset,
                    column: tab.column,
                };
                width = 1;
            }
            diagnostic.at(source.file_text, position, width)
        }
        _ => diagnostic,
    }
}

/// When `l` points at a key written `key: value` on one line, the column and width of the
/// value.
fn value_after_key(yaml: &str, l: serde_saphyr::Location) -> Option<(usize, usize)> {
    let line = yaml
        .lines()
        .nth(usize::try_from(l.line()).ok()?.checked_sub(1)?)?;
    let column = usize::try_from(l.column()).ok()?;
    let from: String = line.chars().skip(column.checked_sub(1)?).collect();
    let (key, value) = from.split_once(": ")?;
    let value = value.trim_end();
    let key_ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !key_ok || value.is_empty() || value.starts_with('#') {
        return None;
    }
    let gap = value.len() - value.trim_start().len();
    Some((
        column + key.chars().count() + 2 + gap,
        value.trim_start().chars().count().clamp(1, 80),
    ))
}

/// What a parser error says to a user: the message, the label under the caret and a hint.
/// `key` is the dotted key path where it happened, `key_name` the key to name.
fn describe(
    inner: &YamlError,
    key: Option<&str>,
    key_name: &str,
    shape: ShapeHint<'_>,
) -> (String, String, Option<String>) {
    let expected_hint = key.and_then(shape);
    match inner {
        YamlError::SerdeUnknownField { .. }
        | YamlError::SerdeMissingField { .. }
        | YamlError::DuplicateMappingKey { .. } => describe_key(inner, key, key_name, shape),
        YamlError::Unexpected { expected, .. } => (
            format!(
                "wrong type for `{key_name}`: expected {}",
                describe_expected(expected)
            ),
            "wrong type".to_string(),
            expected_hint,
        ),
        YamlError::InvalidBooleanStrict { .. } => (
            format!("wrong type for `{key_name}`: expected true or false"),
            "not a boolean".to_string(),
            Some(
                expected_hint
                    .unwrap_or_else(|| format!("write `{key_name}: true` or `{key_name}: false`")),
            ),
        ),
        YamlError::InvalidScalar { ty, .. } => (
            format!(
                "wrong type for `{key_name}`: expected {}",
                describe_type(ty)
            ),
            format!("not {}", describe_type(ty)),
            expected_hint,
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            format!("wrong type for `{key_name}`: expected {expected}, found {unexpected}"),
            "wrong type".to_string(),
            expected_hint,
        ),
        YamlError::NullIntoString { .. } => (
            format!("`{key_name}` is empty"),
            "no value".to_string(),
            Some(
                expected_hint
                    .unwrap_or_else(|| format!("give `{key_name}` a value, or remove the line")),
            ),
        ),
        YamlError::Budget { breach, .. } => describe_budget(breach),
        YamlError::MultipleDocuments { .. } => (
            "more than one YAML document".to_string(),
            "second document".to_string(),
            Some("remove the extra `---` line".to_string()),
        ),
        other => {
            let text = strip_location_suffix(&other.to_string());
            let hint = syntax_hint(&text, key_name);
            (format!("invalid YAML: {text}"), text, hint)
        }
    }
}

/// What a breached parser budget (too deep, too large) says to a user.
fn describe_budget(
    breach: &serde_saphyr::budget::BudgetBreach,
) -> (String, String, Option<String>) {
    match breach {
        serde_saphyr::budget::BudgetBreach::Depth { .. } => (
            "YAML is nested too deeply (more than 64 levels)".to_string(),
            "too deep here".to_string(),
            Some("flatten this value: front matter and config need only a few levels".to_string()),
        ),
        breach => (
            format!("YAML is too large or expands too much ({})", describe_breach(breach)),
            "limit reached here".to_string(),
            Some("simplify this YAML: front matter and config are small documents; avoid aliases that repeat other aliases".to_string()),
        ),
    }
}

/// What an error about a map key says: unknown, missing or given twice.
fn describe_key(
    inner: &YamlError,
    key: Option<&str>,
    key_name: &str,
    shape: ShapeHint<'_>,
) -> (String, String, Option<String>) {
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let full = match key.and_then(|k| k.rsplit_once('.')) {
                Some((parent, _)) => format!("{parent}.{field}"),
                None => field.clone(),
            };
            let hint = match did_you_mean(field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {}", expected.join(", ")),
            };
            (
                format!("unknown key `{full}`"),
                "unknown key".to_string(),
                Some(hint),
            )
        }
        YamlError::SerdeMissingField { field, .. } => (
            format!("missing key `{field}`"),
            "this map needs it".to_string(),
            shape(field),
        ),
        YamlError::DuplicateMappingKey { key: dup, .. } => {
            let name = dup.clone().unwrap_or_else(|| key_name.to_string());
            (
                format!("duplicate key `{name}`"),
                "second definition".to_string(),
                Some(format!("keep only one `{name}:` line")),
            )
        }
        other => (format!("invalid YAML: {other}"), "here".to_string(), None),
    }
}

/// A quote left open runs on to the next quote of the same kind, often lines below (in
/// `tags: ["a"]`), where the parser finds "trailing content". When the quoted value began on
/// an earlier line, the quote that opened it is what to fix: point there.
fn unclosed_quote(err: &YamlError, source: YamlSource<'_>) -> Option<Diagnostic> {
    let text = err.without_snippet().to_string();
    let quote = if text.contains("trailing content after double-quoted scalar") {
        '"'
    } else if text.contains("trailing content after single-quoted scalar") {
        '\''
    } else {
        return None;
    };
    let location = err.without_snippet().location()?;
    let (line, column) = (location.line() as usize, location.column() as usize);
    let opened = opening_quote(source.yaml, line, column, quote)?;
    if opened.line >= line {
        return None;
    }
    let position = Position {
        line: opened.line + source.line_offset,
        column: opened.column,
    };
    Some(
        Diagnostic::error(source.file, "invalid YAML: unclosed quote")
            .at(source.file_text, position, 1)
            .with_label("this quote is not closed on its line")
            .with_hint(format!(
                "close the quote on the same line, or use a block scalar (`|`); the value now runs on to the {quote} on line {}",
                line + source.line_offset
            )),
    )
}

/// Where the quoted value that ends just before `line`:`column` (1-based, characters) of
/// `yaml` opened: the previous unescaped `quote` before its closing one.
fn opening_quote(yaml: &str, line: usize, column: usize, quote: char) -> Option<Position> {
    let line_start: usize = yaml
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let rest = yaml.get(line_start..)?;
    let end = line_start + rest.char_indices().nth(column.checked_sub(1)?)?.0;
    let before: Vec<(usize, char)> = yaml[..end].char_indices().collect();
    // The last character is the closing quote; look for the one that opened the value.
    let mut i = before.len().checked_sub(1)?;
    while i > 0 {
        i -= 1;
        let (at, c) = before[i];
        if c != quote {
            continue;
        }
        let escaped = match quote {
            '"' => i > 0 && before[i - 1].1 == '\\',
            _ => i > 0 && before[i - 1].1 == '\'',
        };
        if escaped {
            i -= 1;
            continue;
        }
        return Some(crate::diagnostic::position_of(yaml, at));
    }
    None
}

/// For errors about tabs: the first tab used for indentation at or after `line` (1-based).
fn first_tab_from(yaml: &str, line: usize) -> Option<Position> {
    yaml.lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .find_map(|(i, text)| {
            let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
            text[..indent].find('\t').map(|col| Position {
                line: i + 1,
                column: col + 1,
            })
        })
}

/// The budget limit that was reached, in words.
fn describe_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    let text = format!("{breach:?}");
    let name = text.split([' ', '{', '(']).next().unwrap_or("limit");
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    format!("too many {words}")
}

fn describe_expected(expected: &str) -> &str {
    match expected {
        "sequence start" => "a list",
        "mapping start" => "a map of keys",
        "string scalar" => "text",
        other => other,
    }
}

pub(crate) fn describe_type(ty: &str) -> &'static str {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a positive whole number",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "bool" => "true or false",
        _ => "a different kind of value",
    }
}

fn syntax_hint(text: &str, key: &str) -> Option<String> {
    if text.contains("mapping values are not allowed") {
        Some(format!(
            "a value containing `: ` must be quoted, e.g. {key}: \"a: b\""
        ))
    } else if text.contains("unclosed quote") || text.contains("while scanning a quoted scalar") {
        Some("close the quote on the same line, or use a block scalar (`|`)".to_string())
    } else if text.contains("trailing content after") {
        Some(format!(
            "put the whole value inside the quotes, e.g. {key}: \"a\" b becomes {key}: '\"a\" b'"
        ))
    } else if text.contains("tab") {
        Some("indent YAML with spaces, not tabs".to_string())
    } else if text.contains("recursion limit") {
        Some("YAML here may nest at most 64 levels deep; flatten the structure".to_string())
    } else {
        None
    }
}

fn strip_location_suffix(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

/// The dotted path of mapping keys that encloses `line` (1-based) in block-style YAML, found
/// by walking up to lines of smaller indentation. Returns `None` when `line` is not under a key.
pub(crate) fn key_path_at(yaml: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut index = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let mut path: Vec<String> = Vec::new();
    let mut limit = usize::MAX;
    loop {
        let text = lines[index];
        let indent = text.len() - text.trim_start_matches([' ', '-']).len();
        let trimmed = text.trim_start_matches([' ', '-']);
        if indent < limit
            && !trimmed.is_empty()
            && !trimmed.starts_with('#')
            && let Some(key) = key_of(trimmed)
        {
            path.push(key.to_string());
            limit = indent;
            if indent == 0 {
                break;
            }
        }
        if index == 0 {
            break;
        }
        index -= 1;
    }
    if path.is_empty() {
        return None;
    }
    path.reverse();
    Some(path.join("."))
}

fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_path_follows_indentation() {
        let yaml = "title: x\nfooter:\n  contact:\n    tel: 1\n    email: [a]\nmenu:\n  - name: a\n    url: b\n";
        assert_eq!(key_path_at(yaml, 1).as_deref(), Some("title"));
        assert_eq!(key_path_at(yaml, 4).as_deref(), Some("footer.contact.tel"));
        assert_eq!(
            key_path_at(yaml, 5).as_deref(),
            Some("footer.contact.email")
        );
        assert_eq!(key_path_at(yaml, 8).as_deref(), Some("menu.url"));
    }

    #[test]
    fn the_quote_that_opened_a_value_is_found() {
        let yaml = "title: \"never closed\ndate: 2024-01-01\ntags: [\"a\", \"b\"]\n";
        assert_eq!(
            opening_quote(yaml, 3, 9, '"'),
            Some(Position { line: 1, column: 8 })
        );
        let yaml = "title: 'it''s open\nsummary: it's here\n";
        assert_eq!(
            opening_quote(yaml, 2, 13, '\''),
            Some(Position { line: 1, column: 8 })
        );
    }

    #[test]
    fn strips_location() {
        assert_eq!(
            strip_location_suffix("bad thing at line 1, column 2"),
            "bad thing"
        );
    }
}
