//! Front matter: the block of keys at the top of a Markdown file, in YAML between `---`
//! lines or in TOML between `+++` lines (Hugo's and Zola's default). Known keys are typed
//! (wrong types are errors); the keys of Jekyll, Hugo and Zola whose meaning is clear are
//! read as playpress's own ([`keys`]); other keys are kept for templates.

mod keys;
mod toml;
mod values;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Lines, Position, did_you_mean};
use crate::load::yaml::{self, YamlSource};

pub(crate) use keys::KNOWN_KEYS;

/// The language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub format: Format,
    /// The front matter's text, between the fences.
    pub yaml: &'a str,
    /// Lines of the file before the front matter's text (the opening fence).
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Splits `text` (BOM removed, LF line endings) into front matter and body.
pub(crate) fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    let (format, fence) = match first_line.trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => return Err(no_front_matter(text, file, first_line)),
    };
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start.min(text.len());
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                format,
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
        .with_hint(format!(
            "add a line with `{fence}` after the last front matter key"
        )))
}

fn no_front_matter(text: &str, file: &Path, first_line: &str) -> Diagnostic {
    let message = if text.trim().is_empty() {
        "the file is empty"
    } else {
        "no front matter: the file must start with a `---` line"
    };
    let d = Diagnostic::error(file, message)
        .with_hint("start the file with front matter:\n---\ntitle: \"My post\"\n---");
    if text.is_empty() {
        d
    } else {
        d.at(
            text,
            Position { line: 1, column: 1 },
            first_line.chars().count().max(1),
        )
        .with_label("expected `---`")
    }
}

/// Where a value is written in the front matter: 1-based line (counted in the front
/// matter's text) and column, and its width as written (0 when not known).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Spot {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl Spot {
    pub(crate) fn of_yaml(location: serde_saphyr::Location) -> Self {
        Self {
            line: usize::try_from(location.line()).unwrap_or(0),
            column: usize::try_from(location.column()).unwrap_or(0),
            width: usize::try_from(location.span().len()).unwrap_or(0),
        }
    }

    /// The spot of the bytes `range` of the text of `lines`.
    pub(crate) fn of_range(lines: &Lines<'_>, range: std::ops::Range<usize>) -> Self {
        let (text, position) = (lines.text(), lines.position(range.start));
        let width = text
            .get(range.start..range.end.min(text.len()))
            .map_or(0, |s| s.chars().count());
        Self {
            line: position.line,
            column: position.column,
            width,
        }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located<T> {
    pub value: T,
    pub location: Spot,
}

/// Parsed front matter, before it is checked against the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    pub title: Option<Located<Option<String>>>,
    pub date: Option<Located<String>>,
    /// Hugo's `publishDate`: the date, when `date` is not set.
    pub publish_date: Option<Located<String>>,
    /// `updated`, or `lastmod` (Hugo), `last_modified_at` (Jekyll).
    pub updated: Option<Located<String>>,
    /// `author:` / `authors:` (and Zola's `taxonomies.authors`): names or keys of `authors:`
    /// in the config, in the order written.
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<Located<String>>,
    /// Jekyll's `excerpt`: the summary, when `summary` is not set.
    pub excerpt: Option<String>,
    pub tags: Vec<String>,
    /// Where `tags:` is written.
    pub tags_at: Option<Spot>,
    /// `categories` / `category` (Jekyll, Hugo) and Zola's `taxonomies.categories`.
    pub categories: Vec<String>,
    pub series: Option<Located<String>>,
    /// More series named in a list (`series: [a, b]`): a post is in one.
    pub more_series: Vec<String>,
    pub series_part: Option<Located<u32>>,
    /// In a series description: how many parts the series will have.
    pub total_parts: Option<Located<u32>>,
    pub slug: Option<Located<String>>,
    /// The post's own URL path: Jekyll's `permalink`, Hugo's `url`, Zola's `path`.
    pub permalink: Option<Located<String>>,
    pub draft: bool,
    /// `yes`, `no`, `on`, `off` written where `true` or `false` is meant: (key, where).
    pub loose_flags: Vec<Located<String>>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub aliases: Option<Located<Vec<String>>>,
    /// Image for link previews (`og:image`): a URL, a site path, or a file beside the post.
    pub image: Option<String>,
    /// `lang:` (or `language:`): the language the document is written in, when it is not the
    /// site's.
    pub lang: Option<Located<String>>,
    /// Hugo's `linkTitle`: a shorter title for links to the post.
    pub link_title: Option<String>,
    /// Jekyll's `excerpt_separator`: where the summary ends.
    pub excerpt_separator: Option<String>,
    /// Keys that steer another generator's templates (`layout`, `weight`, ...): kept for
    /// templates without a word.
    pub template_keys: Vec<(String, serde_json::Value)>,
    /// Keys playpress does not know, kept for templates (under `extra`).
    pub unknown: Vec<(Located<String>, serde_json::Value)>,
}

impl FrontMatter {
    /// Makes the NULs of every text a page, a feed or a template may show U+FFFD, as
    /// CommonMark does in a body (YAML's `\0` and TOML's `\u0000` write one). Paths (`slug`,
    /// `permalink`, aliases, `image`) and `lang` are kept as written: their checks refuse a NUL.
    fn replace_nul(&mut self) {
        use crate::load::content::replace_nul;
        use crate::load::yaml::{replace_nul_in_map, replace_nul_in_value};
        let texts = (self.title.iter_mut()).filter_map(|t| t.value.as_mut());
        let texts = texts
            .chain(self.description.iter_mut().map(|d| &mut d.value))
            .chain(self.series.iter_mut().map(|s| &mut s.value))
            .chain(&mut self.summary)
            .chain(&mut self.excerpt)
            .chain(&mut self.link_title)
            .chain(&mut self.excerpt_separator)
            .chain(&mut self.authors)
            .chain(&mut self.tags)
            .chain(&mut self.categories)
            .chain(&mut self.more_series);
        texts.for_each(replace_nul);
        replace_nul_in_map(&mut self.extra);
        for (key, value) in &mut self.template_keys {
            replace_nul(key);
            replace_nul_in_value(value);
        }
        for (key, value) in &mut self.unknown {
            replace_nul(&mut key.value);
            replace_nul_in_value(value);
        }
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
        "draft" | "published" => "write true or false",
        "extra" => "extra is a map, e.g.\nextra:\n  key: value",
        "series" | "slug" | "author" | "summary" | "description" | "image" | "permalink" => {
            return Some(format!("`{key}` is text, e.g. {key}: \"...\""));
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// Parses the front matter of `split` from the file `file` whose whole text is `text`.
/// Warnings (unknown keys, `yes` for `true`) are pushed onto `warnings`; keys in `silenced`
/// are kept for templates without a warning.
pub(crate) fn parse(
    text: &str,
    split: &Split<'_>,
    file: &Path,
    silenced: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    let mut fm: FrontMatter = if split.yaml.trim().is_empty() {
        FrontMatter::default()
    } else if split.format == Format::Toml {
        toml::parse(text, split, file, &shape_hint)?
    } else {
        let source = YamlSource {
            file,
            file_text: text,
            yaml: split.yaml,
            line_offset: split.yaml_line_offset,
        };
        yaml::parse::<keys::Yaml>(source, &shape_hint)?.0
    };
    // A NUL comes only from an escape (the file's own were replaced when it was read).
    if split.yaml.contains('\\') {
        fm.replace_nul();
    }
    // Found for the first key to report, once for all of them.
    let index = std::cell::OnceCell::new();
    let lines = || index.get_or_init(|| Lines::new(text));
    for (key, _) in &fm.unknown {
        if silenced.iter().any(|k| k == &key.value) {
            continue;
        }
        warnings.push(unknown_key(lines(), split, file, key));
    }
    for flag in &fm.loose_flags {
        let d = Diagnostic::warning(
            file,
            format!("`{}` is written as a word, not true or false", flag.value),
        )
        .at_in(
            lines(),
            position(split, flag.location),
            flag.location.width.max(1),
        )
        .with_label("read as a boolean")
        .with_hint("write `true` or `false`")
        .grouped(format!("loose-flag:{}", flag.value));
        warnings.push(d);
    }
    Ok(fm)
}

fn unknown_key(
    lines: &Lines<'_>,
    split: &Split<'_>,
    file: &Path,
    key: &Located<String>,
) -> Diagnostic {
    let d = Diagnostic::warning(file, format!("unknown front matter key `{}`", key.value))
        .at_in(
            lines,
            position(split, key.location),
            key.value.chars().count(),
        )
        .with_label("kept for templates as `post.extra`");
    let d = match did_you_mean(&key.value, KNOWN_KEYS) {
        Some(known) => d.with_hint(format!("did you mean `{known}`?")),
        None => d.with_hint(format!(
            "templates can read it as `post.extra.{}`; list it under `front_matter: ignore:` in config.yaml to silence this warning",
            key.value
        )),
    };
    d.grouped(format!("unknown-key:{}", key.value))
}

/// Where a located front matter value sits in the file.
pub(crate) fn position(split: &Split<'_>, location: Spot) -> Position {
    Position {
        line: location.line + split.yaml_line_offset,
        column: location.column.max(1),
    }
}

/// Unknown keys, other generators' template keys and the `extra` map merged, as templates
/// see them.
pub(crate) fn extra_for_templates(fm: &FrontMatter) -> BTreeMap<String, serde_json::Value> {
    let mut out: BTreeMap<String, serde_json::Value> = fm
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let others = fm.unknown.iter().map(|(k, v)| (&k.value, v));
    for (key, value) in others.chain(fm.template_keys.iter().map(|(k, v)| (k, v))) {
        out.entry(key.clone()).or_insert_with(|| value.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Result<FrontMatter, Diagnostic>, Vec<Diagnostic>) {
        let file = Path::new("post.md");
        let mut warnings = Vec::new();
        let result = split(text, file).and_then(|s| parse(text, &s, file, &[], &mut warnings));
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
        // `layout` steers Jekyll's templates: kept without a word.
        assert_eq!(fm.unknown.len(), 1);
        assert_eq!(warnings.len(), 1);
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
        let (fm, _) = parse_text("---\ntitle: ok\ntags: {a: 1}\n---\n");
        let err = fm.unwrap_err();
        assert_eq!(err.position(), Some(Position { line: 3, column: 7 }));
        assert_eq!(
            err.message,
            "wrong type for `tags`: expected a list or space-separated text, found map"
        );
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
        let (fm, _) = parse_text("---\ntitle: x\ndraft: maybe\n---\n");
        assert_eq!(
            fm.unwrap_err().message,
            "wrong type for `draft`: expected true or false, found string \"maybe\""
        );
    }

    #[test]
    fn jekyll_keys() {
        let (fm, warnings) = parse_text(
            "---\ntitle: x\ntags: rust web\ncategories: [Release Notes]\ncategory: news\npublished: false\nredirect_from: /old/\npermalink: /2019/x.html\nexcerpt_separator: <!--cut-->\nlast_modified_at: 2020-01-02\n---\n",
        );
        let fm = fm.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(fm.tags, vec!["rust", "web"]);
        assert_eq!(fm.categories, vec!["Release Notes", "news"]);
        assert!(fm.draft);
        assert_eq!(fm.aliases.unwrap().value, vec!["/old/"]);
        assert_eq!(fm.permalink.unwrap().value, "/2019/x.html");
        assert_eq!(fm.excerpt_separator.as_deref(), Some("<!--cut-->"));
        assert_eq!(fm.updated.unwrap().value, "2020-01-02");
    }

    #[test]
    fn hugo_keys() {
        let (fm, warnings) = parse_text(
            "---\ntitle: x\nlastmod: 2020-01-02\npublishDate: 2020-01-01\ncategories: [a]\nimages: [a.png, b.png]\nlinkTitle: Short\ndraft: yes\nweight: 3\nmenu: main\nurl: /about-us\n---\n",
        );
        let fm = fm.unwrap();
        assert_eq!(fm.updated.unwrap().value, "2020-01-02");
        assert_eq!(fm.publish_date.unwrap().value, "2020-01-01");
        assert_eq!(fm.image.as_deref(), Some("a.png"));
        assert_eq!(fm.link_title.as_deref(), Some("Short"));
        assert!(fm.draft);
        assert_eq!(fm.permalink.unwrap().value, "/about-us");
        assert_eq!(fm.template_keys.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].message,
            "`draft` is written as a word, not true or false"
        );
        assert_eq!(
            warnings[0].position(),
            Some(Position { line: 8, column: 8 })
        );
        assert_eq!(warnings[0].hint.as_deref(), Some("write `true` or `false`"));
    }

    #[test]
    fn toml_front_matter() {
        let text = "+++\ntitle = \"Hi\"\ndate = 2024-12-15\nupdated = 2024-12-16T10:00:00Z\npath = \"/hi/\"\n[taxonomies]\ntags = [\"rust\"]\ncategories = [\"news\"]\n[extra]\nk = 1\n+++\nbody\n";
        let (fm, warnings) = parse_text(text);
        let fm = fm.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(fm.title.unwrap().value.as_deref(), Some("Hi"));
        let date = fm.date.unwrap();
        assert_eq!(date.value, "2024-12-15");
        assert_eq!(
            date.location,
            Spot {
                line: 2,
                column: 8,
                width: 10
            }
        );
        assert_eq!(fm.updated.unwrap().value, "2024-12-16T10:00:00Z");
        assert_eq!(fm.permalink.unwrap().value, "/hi/");
        assert_eq!(fm.tags, vec!["rust"]);
        assert_eq!(fm.categories, vec!["news"]);
        assert_eq!(fm.extra.get("k"), Some(&serde_json::json!(1)));
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn nul_escapes_become_replacement_characters_in_texts_but_not_in_paths() {
        let (fm, _) = parse_text(
            "---\ntitle: \"a\\0b\"\ntags: [\"t\\x00\"]\nauthor: \"\\u0000c\"\nslug: \"s\\0\"\nextra:\n  \"k\\0\": [\"v\\0\"]\n---\n",
        );
        let fm = fm.unwrap();
        assert_eq!(fm.title.unwrap().value.as_deref(), Some("a\u{fffd}b"));
        assert_eq!(fm.tags, ["t\u{fffd}"]);
        assert_eq!(fm.authors, ["\u{fffd}c"]);
        assert_eq!(fm.slug.unwrap().value, "s\0");
        assert_eq!(
            fm.extra.get("k\u{fffd}"),
            Some(&serde_json::json!(["v\u{fffd}"]))
        );
        let (fm, _) =
            parse_text("+++\ntitle = \"x\\u0000y\"\ndescription = \"\\U00000000\"\n+++\n");
        let fm = fm.unwrap();
        assert_eq!(fm.title.unwrap().value.as_deref(), Some("x\u{fffd}y"));
        assert_eq!(fm.description.unwrap().value, "\u{fffd}");
    }

    #[test]
    fn toml_errors_name_the_place() {
        let (fm, _) = parse_text("+++\ntitle = \"ok\"\nseries_part = \"two\"\n+++\n");
        let err = fm.unwrap_err();
        assert_eq!(
            err.message,
            "wrong type for `series_part`: expected a positive whole number, found string \"two\""
        );
        assert_eq!(
            err.position(),
            Some(Position {
                line: 3,
                column: 15
            })
        );
        let (fm, _) = parse_text("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n");
        let err = fm.unwrap_err();
        assert!(
            err.message.starts_with("invalid TOML: duplicate key"),
            "{}",
            err.message
        );
        assert_eq!(err.position().map(|p| p.line), Some(3));
        let (fm, _) = parse_text("+++\ntitle = \n+++\n");
        assert!(fm.unwrap_err().message.starts_with("invalid TOML"));
    }
}
