//! `playpress new "Title"`: writes a new post (or page) with its front matter filled in:
//! title, today's date in the site's time zone, the author from the config, tags, and for a
//! series its name and the next free part number. Never overwrites a file. The file's name is
//! the title's slug, cut to one bounded path segment as the build cuts slugs.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::load::config::{Config, ConfigError};
use crate::load::content::{self, PAGES_DIR, POSTS_DIR};
use crate::model::post::{self, Kind};

/// What to write.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    pub series: Option<String>,
    pub tags: Vec<String>,
    /// A standalone page in `content/pages/` instead of a post.
    pub page: bool,
    /// Write `draft: true`, so builds leave the post out until it is removed.
    pub draft: bool,
}

/// Why nothing was written.
#[derive(Debug, Error)]
pub enum NewError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Problem(Box<Diagnostic>),
}

impl From<Diagnostic> for NewError {
    fn from(d: Diagnostic) -> Self {
        Self::Problem(Box::new(d))
    }
}

/// A YAML scalar that reads back as exactly `text` (a JSON string is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
}

/// The series name as the site already writes it, and the part number after its last part.
/// Every post counts, drafts and posts dated in the future too.
fn next_part(root: &Path, config: &Config, series: &str) -> (String, u32) {
    let wanted = slug::slugify(series);
    let mut problems = Vec::new();
    let content = content::load(root, &config.language_suffixes(), &mut problems);
    let mut name = None;
    let mut parts = 0u32;
    let mut highest = 0u32;
    for source in &content.posts {
        let fallback = post::fallback_name(source);
        let Ok(doc) =
            post::parse_document(&source.file, &fallback, Kind::Post, config, &mut Vec::new())
        else {
            continue;
        };
        if let Some(s) = doc.series.as_deref()
            && slug::slugify(s) == wanted
        {
            name.get_or_insert_with(|| s.to_string());
            parts += 1;
            highest = highest.max(doc.series_part.unwrap_or(0));
        }
    }
    (
        name.unwrap_or_else(|| series.trim().to_string()),
        highest.max(parts) + 1,
    )
}

/// The file text of the new post or page.
fn front_matter(options: &NewOptions, config: &Config, root: &Path) -> String {
    let mut text = format!("---\ntitle: {}\n", quoted(options.title.trim()));
    if !options.page {
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(config.timezone.clone())
            .date();
        text.push_str(&format!("date: {today}\n"));
        if let Some(author) = &config.author {
            text.push_str(&format!("author: {}\n", quoted(author)));
        }
        let tags: Vec<String> = options
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(quoted)
            .collect();
        if !tags.is_empty() {
            text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        if let Some(series) = &options.series {
            let (name, part) = next_part(root, config, series);
            text.push_str(&format!("series: {}\nseries_part: {part}\n", quoted(&name)));
        }
        if options.draft {
            text.push_str("draft: true\n");
        }
    }
    text.push_str("---\n\n");
    text
}

/// Writes the new file; returns its path (under `options.root`).
pub fn run(options: &NewOptions) -> Result<PathBuf, NewError> {
    let config = Config::load(&options.root)?;
    // Cut as the build cuts the slug of a file name, so the post's URL is its file's name.
    let slug = crate::model::url::bounded_segment(slug::slugify(options.title.trim()));
    let folder = if options.page { PAGES_DIR } else { POSTS_DIR };
    let relative = Path::new("content").join(folder).join(format!("{slug}.md"));
    if slug.is_empty() {
        return Err(Diagnostic::error(
            relative,
            format!(
                "the title `{}` gives an empty file name",
                options.title.trim()
            ),
        )
        .with_hint("use a title with letters or digits")
        .into());
    }
    if options
        .series
        .as_deref()
        .is_some_and(|s| slug::slugify(s).is_empty())
    {
        return Err(
            Diagnostic::error(relative, "the series name gives an empty URL slug")
                .with_hint("use a series name with letters or digits")
                .into(),
        );
    }
    let text = front_matter(options, &config, &options.root);
    let path = options.root.join(&relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(parent, format!("cannot create the folder: {e}"))
                .with_hint("check the permissions of the site folder")
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(
                    relative.clone(),
                    "the file already exists: `playpress new` never overwrites a file",
                )
                .with_hint("choose another title, or edit the existing file")
            } else {
                Diagnostic::error(relative.clone(), format!("cannot write: {e}"))
                    .with_hint("check the permissions of the content folder")
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        Diagnostic::error(relative.clone(), format!("cannot write: {e}"))
            .with_hint("check the disk has room")
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_the_text() {
        assert_eq!(quoted("AI: \"the\" battle"), "\"AI: \\\"the\\\" battle\"");
        assert_eq!(quoted("no"), "\"no\"");
    }
}
