//! The content folder on disk: finds and reads posts, page bundles and their assets,
//! standalone pages and series descriptions. This is the only content code that touches
//! the disk; everything after it works on the [`SourceFile`]s read here.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, display_path};

/// A Markdown file read from `content/`, its text normalised (no BOM, LF line endings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown to the user (relative to the site root).
    pub path: PathBuf,
    /// Shared, so that keeping a file between rebuilds costs no copy.
    pub text: Arc<str>,
}

/// A file that sits beside a bundled post's `index.md` and is copied next to its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its path relative to the bundle folder.
    pub relative: PathBuf,
}

/// A post file, with its assets when it is a bundle (`slug/index.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostSource {
    pub file: SourceFile,
    /// The bundle folder's name, for bundles.
    pub bundle_name: Option<String>,
    pub assets: Vec<Asset>,
    /// For a post that is not a bundle (`name.md`): its folder under `content/posts/`
    /// (`""` for the folder itself, else `news/2024`), where the files beside it are.
    pub folder: Option<String>,
}

/// Files under `content/posts/` outside any bundle (`cover.png` beside `name.md`), by their
/// path under `content/posts/` (`news/cover.png`): each is published beside the posts that
/// link to it.
pub(crate) type LooseFiles = std::collections::BTreeMap<String, PathBuf>;

/// Everything found under `content/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Content {
    pub posts: Vec<PostSource>,
    pub pages: Vec<SourceFile>,
    pub series: Vec<SourceFile>,
    pub loose: Arc<LooseFiles>,
    /// Files in a format playpress does not read (`.mdx`, `.adoc`, ...), to report.
    pub unread: Vec<PathBuf>,
}

/// Folder names under `content/`.
pub(crate) const POSTS_DIR: &str = "posts";
pub(crate) const PAGES_DIR: &str = "pages";
pub(crate) const SERIES_DIR: &str = "series";

/// True for names editors and systems leave behind: hidden files, backups, swap files.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// The extensions of Markdown files (Jekyll's `markdown_ext` list and `.md`).
const MARKDOWN_EXTENSIONS: [&str; 6] = ["md", "markdown", "mkdown", "mkdn", "mkd", "mdown"];

/// Extensions of posts in formats playpress does not read: reported, never published.
const UNREAD_EXTENSIONS: [&str; 7] = ["mdx", "adoc", "asciidoc", "org", "rst", "textile", "pandoc"];

fn is_markdown(path: &Path) -> bool {
    is_markdown_name(&name_of(path))
}

/// The file name of `path` (a name that is not UTF-8 is read lossily: it is reported when
/// the file is read).
fn name_of(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name()
        .map_or(std::borrow::Cow::Borrowed(""), |n| n.to_string_lossy())
}

/// The extension of a file name, lowercase when it has capitals.
fn extension(name: &str) -> Option<std::borrow::Cow<'_, str>> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(if ext.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(ext.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(ext)
    })
}

fn is_markdown_name(name: &str) -> bool {
    extension(name).is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&&*e))
}

fn is_unread_name(name: &str) -> bool {
    extension(name).is_some_and(|e| UNREAD_EXTENSIONS.contains(&&*e))
}

/// Hugo's and Zola's `_index.md`: a section's page, not a post.
fn is_section_index_name(name: &str) -> bool {
    name.starts_with("_index.") && is_markdown_name(name)
}

/// A bundle's own page: `index.md` (or `index.markdown`, ...), or its translation into one
/// of the site's other `languages` (lowercase codes): `index.zh-hant.md`. In a site of several
/// languages, `index.fr.md` in a language it does not declare is one too: it is reported
/// when the site is resolved, not dropped as a file of the bundle.
fn is_bundle_index_name(name: &str, languages: &[String]) -> bool {
    name.strip_prefix("index.")
        .is_some_and(|ext| match ext.split_once('.') {
            None => true,
            Some((language, _)) => {
                languages.iter().any(|l| l.eq_ignore_ascii_case(language))
                    || (!languages.is_empty()
                        && crate::load::language::is_language_suffix(language))
            }
        })
        && is_markdown_name(name)
}

/// Reads the content folder of the site at `root`. Problems with single files (unreadable,
/// not UTF-8, symlink loops) are collected in `problems`; the rest is still read.
/// `languages` are the codes of the site's languages besides the default, in lowercase.
pub(crate) fn load(root: &Path, languages: &[String], problems: &mut Vec<Diagnostic>) -> Content {
    load_reusing(root, languages, problems, &|_| None)
}

/// A file read before, known not to have changed since, by its path on disk.
pub(crate) type Reuse<'a> = &'a (dyn Fn(&Path) -> Option<SourceFile> + Sync);

/// [`load`], taking the text of a file from `reuse` when it has it instead of reading it
/// again. The folders are still walked, so added, removed and moved files are found.
pub(crate) fn load_reusing(
    root: &Path,
    languages: &[String],
    problems: &mut Vec<Diagnostic>,
    reuse: Reuse<'_>,
) -> Content {
    let read = |p: &Path| reuse(p).map_or_else(|| read_source(root, p), Ok);
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        let shown = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        problems.push(
            Diagnostic::error(
                "content",
                format!("no `content/` folder in {}", shown.display()),
            )
            .with_hint("put the posts in content/posts/, or pass --root with the site folder"),
        );
        return Content::default();
    }
    let posts_dir = content_dir.join(POSTS_DIR);
    let found = bundles(walk(root, &posts_dir, problems), &posts_dir, languages);
    let assets = found.assets;
    let results: Vec<(Result<SourceFile, Diagnostic>, PathBuf, Option<PathBuf>)> = found
        .posts
        .into_par_iter()
        .map(|(p, bundle)| (read(&p), p, bundle))
        .collect();
    let mut posts = Vec::with_capacity(results.len());
    for (result, path, bundle) in results {
        match result {
            Ok(file) => {
                let assets = bundle
                    .as_ref()
                    .and_then(|dir| assets.get(dir).cloned())
                    .unwrap_or_default();
                let folder = match bundle {
                    Some(_) => None,
                    None => Some(folder_under(&path, &posts_dir)),
                };
                posts.push(PostSource {
                    file,
                    bundle_name: bundle
                        .as_ref()
                        .and_then(|d| d.file_name())
                        .map(|n| n.to_string_lossy().into_owned()),
                    assets,
                    folder,
                });
            }
            Err(d) => problems.push(d),
        }
    }
    let mut flat = |folder: &str| {
        let dir = content_dir.join(folder);
        let paths: Vec<PathBuf> = walk(root, &dir, problems)
            .into_iter()
            .filter(|p| is_markdown(p) && p.parent() == Some(dir.as_path()))
            .collect();
        let results: Vec<Result<SourceFile, Diagnostic>> =
            paths.par_iter().map(|p| read(p)).collect();
        let mut files = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(file) => files.push(file),
                Err(d) => problems.push(d),
            }
        }
        files
    };
    let pages = flat(PAGES_DIR);
    let series = flat(SERIES_DIR);
    Content {
        posts,
        pages,
        series,
        loose: Arc::new(found.loose),
        unread: found.unread.iter().map(|p| display_path(root, p)).collect(),
    }
}

/// The folder of `path` under `posts_dir`, `/`-separated (`""` for `posts_dir` itself).
fn folder_under(path: &Path, posts_dir: &Path) -> String {
    // Paths as text when they are (on Unix, always): no walk over their components.
    if let (Some(path), Some(dir)) = (path.to_str(), posts_dir.to_str())
        && std::path::MAIN_SEPARATOR == '/'
        && let Some(rest) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
    {
        return rest
            .rsplit_once('/')
            .map_or_else(String::new, |(folder, _)| folder.to_string());
    }
    let parent = path.parent().unwrap_or(posts_dir);
    let relative = parent.strip_prefix(posts_dir).unwrap_or(Path::new(""));
    if relative.as_os_str().is_empty() {
        return String::new();
    }
    slash_separated(relative)
}

/// `path`'s components joined by `/`, as URLs and template names write them.
pub(crate) fn slash_separated(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The files of each bundle, by bundle folder.
type Assets = HashMap<PathBuf, Vec<Asset>>;

/// The files under `content/posts/`, sorted by what they are.
struct Found {
    /// Posts, each with its bundle folder when it is a bundle's `index.md`.
    posts: Vec<(PathBuf, Option<PathBuf>)>,
    assets: Assets,
    loose: LooseFiles,
    unread: Vec<PathBuf>,
}

/// The files under `content/posts/` sorted into posts (each with its bundle folder, when it
/// is a bundle's `index.md`), the assets of each bundle, the files outside bundles, and
/// files not read. A file belongs to the nearest folder above it that has an `index.md`;
/// one look-up per folder above it, however many bundles there are. As in Hugo, other
/// Markdown files in a bundle are its resources, not posts, and are not published; `_index.md`
/// files are sections' pages, not posts.
fn bundles(post_files: Vec<PathBuf>, posts_dir: &Path, languages: &[String]) -> Found {
    let bundle_dirs: HashSet<PathBuf> = post_files
        .iter()
        .filter(|p| is_bundle_index_name(&name_of(p), languages) && p.parent() != Some(posts_dir))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let mut found = Found {
        posts: Vec::new(),
        assets: HashMap::new(),
        loose: LooseFiles::new(),
        unread: Vec::new(),
    };
    for path in post_files {
        let name = name_of(&path);
        let (markdown, bundle_index) = (
            is_markdown_name(&name),
            is_bundle_index_name(&name, languages),
        );
        if is_section_index_name(&name) {
            continue;
        }
        if is_unread_name(&name) {
            found.unread.push(path);
            continue;
        }
        let bundle = path
            .ancestors()
            .skip(1)
            .take_while(|dir| *dir != posts_dir)
            .find(|dir| bundle_dirs.contains(*dir));
        match bundle {
            Some(dir) if bundle_index && path.parent() == Some(dir) => {
                found.posts.push((path.clone(), Some(dir.to_path_buf())));
            }
            Some(_) if markdown => {}
            Some(dir) => {
                if let Ok(relative) = path.strip_prefix(dir) {
                    let asset = Asset {
                        relative: relative.to_path_buf(),
                        source: path.clone(),
                    };
                    found
                        .assets
                        .entry(dir.to_path_buf())
                        .or_default()
                        .push(asset);
                }
            }
            None if markdown => found.posts.push((path, None)),
            None => {
                if let Ok(relative) = path.strip_prefix(posts_dir) {
                    found.loose.insert(slash_separated(relative), path.clone());
                }
            }
        }
    }
    found
}

/// All files under `dir`, sorted, following symbolic links that stay inside the site at
/// `root`; a missing folder is empty. A link that leads out of the site (to `/etc/shadow`,
/// say) is an error and is not followed: nothing outside the site folder is ever published.
pub(crate) fn walk(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    walk_keeping(root, dir, problems, |_| false)
}

/// [`walk`], taking also the hidden files and folders whose names `kept` accepts (the
/// dotfiles a host reads, in `static/`).
pub(crate) fn walk_keeping(
    root: &Path,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    kept: fn(&str) -> bool,
) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || kept(&name) || !is_ignored_name(&name)
        });
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) => {
                if e.path_is_symlink()
                    && let Some(d) = leaves_site(root, &site, e.path())
                {
                    problems.push(d);
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                if e.file_type().is_file() {
                    files.push(e.into_path());
                }
            }
            Err(err) => problems.push(walk_problem(root, dir, &err)),
        }
    }
    files
}

/// The error for a symbolic link at `link` whose target is outside the site folder `site`
/// (canonical), or `None` when it stays inside.
fn leaves_site(root: &Path, site: &Path, link: &Path) -> Option<Diagnostic> {
    let real = link.canonicalize().ok()?;
    if real.starts_with(site) {
        return None;
    }
    let target = std::fs::read_link(link).unwrap_or(real);
    Some(
        Diagnostic::error(
            display_path(root, link),
            format!(
                "symbolic link to {}, which is outside the site folder",
                target.display()
            ),
        )
        .with_hint(
            "copy the file into the site instead: playpress never publishes a file from outside the site folder",
        ),
    )
}

fn walk_problem(root: &Path, dir: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let shown = display_path(root, &path);
    if err.loop_ancestor().is_some() {
        Diagnostic::error(shown, "symbolic link loop")
            .with_hint("this link points to a folder that contains it; remove or fix the link")
    } else if path.is_symlink() && !path.exists() {
        Diagnostic::error(shown, "broken symbolic link: its target does not exist")
            .with_hint("remove the link or restore the file it points to")
    } else {
        let reason = err
            .io_error()
            .map_or_else(|| err.to_string(), ToString::to_string);
        Diagnostic::error(shown, format!("cannot read: {reason}"))
            .with_hint("check the file's permissions")
    }
}

/// Reads a Markdown file, checking it is UTF-8, and normalises it.
pub(crate) fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(root, path);
    if path.to_str().is_none() {
        return Err(Diagnostic::error(shown, "the file name is not valid UTF-8")
            .with_hint("rename the file using UTF-8 characters"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(shown.clone(), format!("cannot read: {e}"))
            .with_hint("check the file's permissions")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes());
        // The valid prefix is the same in the lossy text, so the position carries over.
        Diagnostic::error(shown.clone(), format!("not valid UTF-8 at byte {at}"))
            .at_offset(&lossy, at, 1)
            .with_label("this byte")
            .with_hint("save the file as UTF-8 (the text may be in Latin-1 or Windows-1252)")
    })?;
    Ok(SourceFile {
        path: shown,
        text: Arc::from(normalize(text)),
    })
}

/// Removes a byte-order mark, turns CRLF line endings into LF and NUL characters into
/// U+FFFD ([`replace_nul`]).
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    replace_nul(&mut text);
    text
}

/// Makes every NUL (U+0000) of `text` the replacement character U+FFFD, as CommonMark reads
/// a NUL: none reaches a page, a feed or the search index. Copies only a text that has one.
pub(crate) fn replace_nul(text: &mut String) {
    if memchr::memchr(0, text.as_bytes()).is_some() {
        *text = text.replace('\0', "\u{fffd}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_bom_and_crlf() {
        assert_eq!(normalize("\u{feff}a\r\nb\r\n".to_string()), "a\nb\n");
        assert_eq!(normalize("plain\n".to_string()), "plain\n");
        assert_eq!(normalize("a\0b\0".to_string()), "a\u{fffd}b\u{fffd}");
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored_name(".hidden.md"));
        assert!(is_ignored_name("post.md~"));
        assert!(is_ignored_name(".post.md.swp"));
        assert!(!is_ignored_name("post.md"));
    }
}
