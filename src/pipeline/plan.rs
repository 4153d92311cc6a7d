//! The manifest of a site's output: every file a build writes and where its bytes come from
//! (a page to render, the code stylesheet, a theme file, a file to copy). `build` writes it,
//! `serve` compares it with the last one to write only what changed, `check` resolves links
//! against it. Pure: made from the resolved site and the loaded theme.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Lines, Severity, join_names};
use crate::load::theme::{StaticFile, Theme};
use crate::model::route::{HIGHLIGHT_CSS, Route};
use crate::model::site::Site;
use crate::model::url::output_file;

/// Where the bytes of one output file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A page, rendered with the templates: the place of its language among the site's
    /// (0: the default), and its route in the site in that language.
    Page(usize, Route),
    /// Text made by the generator (the code stylesheet).
    Generated(String),
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file copied from the site folder (a static file or a post's asset).
    Copy(PathBuf),
    /// A file of the search index, made from the rendered pages after them (never planned:
    /// its files are known only once the index is made).
    SearchIndex,
    /// A resized copy of a picture the site publishes.
    Variant(crate::picture::Variant),
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the output directory.
    pub file: PathBuf,
    pub source: Source,
}

/// Every file of the output, pages first, in the order a build writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// Lists the output of `site` with `theme`. Two sources of the same file (compared without
    /// case, as some file systems do) are an error naming every source.
    pub fn new(
        root: &Path,
        site: &Site,
        theme: &Theme,
        highlight_css: &str,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut entries = Vec::new();
        // A robots.txt of the site's own (in static/) replaces the generated one.
        let own_robots = theme
            .static_files
            .iter()
            .any(|f| f.relative() == Path::new("robots.txt"));
        for (lang, site) in site.every_language().enumerate() {
            for route in site.routes() {
                if own_robots && route == Route::Robots {
                    continue;
                }
                entries.push(Entry {
                    file: site.output_file(route).into_owned(),
                    source: Source::Page(lang, route),
                });
            }
        }
        let files_from = entries.len();
        entries.push(Entry {
            file: output_file(HIGHLIGHT_CSS),
            source: Source::Generated(highlight_css.to_string()),
        });
        for file in &theme.static_files {
            let entry = match file {
                StaticFile::Embedded { relative, bytes } => Entry {
                    file: PathBuf::from(relative),
                    source: Source::Embedded(bytes),
                },
                StaticFile::OnDisk { source, relative } => Entry {
                    file: relative.clone(),
                    source: Source::Copy(source.clone()),
                },
            };
            entries.push(entry);
        }
        // The files templates link by a hashed name (`asset_url`) are published under it too.
        for (plain, hashed) in theme.assets.fingerprinted() {
            let source = entries[files_from..]
                .iter()
                .find(|e| e.file == Path::new(plain))
                .map(|e| e.source.clone());
            if let Some(source) = source {
                entries.push(Entry {
                    file: PathBuf::from(hashed),
                    source,
                });
            }
        }
        for post in site.every_language().flat_map(|s| &s.posts) {
            let dir = post.file.parent().unwrap_or_else(|| Path::new(""));
            for asset in &post.assets {
                entries.push(Entry {
                    file: dir.join(&asset.relative),
                    source: Source::Copy(asset.source.clone()),
                });
            }
        }
        let manifest = Self { entries };
        let mut problems = manifest.duplicates(root, site);
        if site.config.search {
            problems.extend(manifest.in_search_folder(root, site));
        }
        if problems.is_empty() {
            Ok(manifest)
        } else {
            Err(problems)
        }
    }

    /// The HTML pages readers see: every page but feeds, sitemaps and redirects. `build`,
    /// `serve` and `check` all count pages so.
    pub fn page_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.source, Source::Page(_, route) if route.is_page()))
            .count()
    }

    /// One error for each file the config names (`logo`, `favicon`) that the site does not
    /// have, at its key in `config.yaml`.
    pub(crate) fn missing_config_files(&self, site: &Site) -> Vec<Diagnostic> {
        let config_text = &*site.config.text;
        let files: std::collections::HashSet<&Path> =
            self.entries.iter().map(|e| e.file.as_path()).collect();
        let config = &site.config;
        let named = [("logo", &config.logo), ("favicon", &config.favicon)]
            .into_iter()
            .filter_map(|(key, path)| Some((key, path.as_deref()?)));
        let avatars = config
            .authors
            .iter()
            .filter_map(|a| Some(("avatar", a.avatar_file()?)));
        named
            .chain(avatars)
            .filter(|(_, path)| !files.contains(output_file(path).as_path()))
            .map(|(key, path)| {
                let d = Diagnostic::error(
                    crate::load::config::CONFIG_FILE,
                    format!("`{key}` {path} is not a file of the site"),
                )
                .with_hint(format!(
                    "put the file in static/ (static{path}), or fix the path"
                ));
                match config_line(config_text, key, path) {
                    Some(i) => d
                        .at_offset(config_text, i, key.len())
                        .with_label("no such file"),
                    None => d,
                }
            })
            .collect()
    }

    /// The variants of pictures planned.
    pub fn variant_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.source, Source::Variant(_)))
            .count()
    }

    /// One diagnostic of `severity` for each post whose `image:` names a file the site does not
    /// have (a link preview would point at nothing). URLs of other sites are not checked.
    pub fn missing_images(&self, site: &Site, severity: Severity) -> Vec<Diagnostic> {
        let files: std::collections::HashSet<&Path> =
            self.entries.iter().map(|e| e.file.as_path()).collect();
        let mut problems = Vec::new();
        for post in site.every_language().flat_map(|s| &s.posts) {
            let Some(image) = post.doc.image.as_deref() else {
                continue;
            };
            let Some(path) = crate::model::url::resolve(&post.path, image) else {
                continue;
            };
            let path = path.split(['?', '#']).next().unwrap_or_default();
            if files.contains(output_file(&crate::load::pictures::decoded(path)).as_path()) {
                continue;
            }
            let text = &post.doc.text;
            let front_matter = text.get(..post.doc.body_offset).unwrap_or(text);
            let mut d = Diagnostic::new(
                severity,
                post.doc.source.clone(),
                format!("`image` {image} is not a file of the site (looked for {path})"),
            )
            .with_hint("put the picture beside the post's index.md or in static/, or give a full https:// URL");
            if let Some(i) = front_matter.find("\nimage:") {
                d = d
                    .at_offset(text, i + 1, "image".len())
                    .with_label("no such file");
            }
            problems.push(d);
        }
        problems
    }

    /// The size of each published picture (copied from the site), by its output file.
    pub(crate) fn picture_sizes(
        &self,
        sizes: &crate::load::pictures::Sizes,
    ) -> crate::load::pictures::ByFile {
        self.entries
            .iter()
            .filter_map(|e| match &e.source {
                Source::Copy(from) => sizes.get(from).map(|s| (e.file.clone(), s.clone())),
                _ => None,
            })
            .collect()
    }

    /// Problems with the pictures posts and pages show (in their bodies, and a post's
    /// `image:`): an error for one whose size cannot be read or that is too large, a warning
    /// for one without alt text.
    pub(crate) fn picture_problems(&self, site: &Site) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let posts = site.every_language().flat_map(|s| &s.posts);
        let pages = site.every_language().flat_map(|s| &s.pages);
        let docs = (posts.map(|p| (&p.doc, &p.body, p.path.as_str())))
            .chain(pages.map(|p| (&p.doc, &p.body, p.path.as_str())));
        for (doc, body, path) in docs {
            // Found when the document has a problem to show, once for all of them.
            let places = std::cell::OnceCell::new();
            if let Some(image) = doc.image.as_deref() {
                let front = doc.text.get(..doc.body_offset).unwrap_or(&doc.text);
                let at = front
                    .find("\nimage:")
                    .and_then(|i| front[i..].find(image).map(|j| i + j))
                    .unwrap_or(0);
                errors.extend(picture_error(site, (doc, path), image, (at, &places)));
            }
            for picture in &body.pictures {
                let written = doc.body_offset + picture.offset;
                // Underline the source where it is written after the picture's start.
                let at = doc
                    .text
                    .get(written..)
                    .and_then(|t| t.find(&picture.src))
                    .map_or(written, |i| written + i);
                errors.extend(picture_error(
                    site,
                    (doc, path),
                    &picture.src,
                    (at, &places),
                ));
                if picture.no_alt {
                    warnings.push(
                        Diagnostic::warning(
                            doc.source.clone(),
                            format!("picture `{}` has no alt text", picture.src),
                        )
                        .at_offset_in(
                            places.get_or_init(|| Lines::new(&doc.text)),
                            at,
                            picture.src.chars().count().max(1),
                        )
                        .with_label("no alt text")
                        .with_hint("say what it shows for readers who cannot see it: ![A chart of sales by year](chart.png)"),
                    );
                }
            }
        }
        (errors, warnings)
    }

    /// Adds, after the rest, the variants of every picture a page shows (in its body, or as
    /// a post's `image:`) that is wider than a width of `pictures:`. A variant's file that
    /// another source produces too is an error.
    /// Returns the output files of the pictures that have variants.
    pub(crate) fn add_variants(
        &mut self,
        root: &Path,
        site: &Site,
    ) -> Result<std::collections::HashSet<PathBuf>, Vec<Diagnostic>> {
        let shown = shown_pictures(site);
        let mut variants = Vec::new();
        let mut varied = std::collections::HashSet::new();
        for entry in &self.entries {
            if let Source::Copy(from) = &entry.source
                && shown.contains(entry.file.as_path())
                && let Some(Ok(size)) = site.pictures.get(&entry.file)
            {
                let named = crate::diagnostic::display_path(root, from);
                let planned = crate::picture::planned(
                    (from, &named, &entry.file),
                    *size,
                    &site.config.pictures,
                );
                if !planned.is_empty() {
                    varied.insert(entry.file.clone());
                }
                variants.extend(planned.into_iter().map(|(file, variant)| Entry {
                    file,
                    source: Source::Variant(variant),
                }));
            }
        }
        if variants.is_empty() {
            return Ok(varied);
        }
        self.entries.append(&mut variants);
        let problems = self.duplicates(root, site);
        if problems.is_empty() {
            Ok(varied)
        } else {
            Err(problems)
        }
    }

    /// One error for each file that more than one source produces, listing them all.
    /// One error for each file planned in the search index's folder, which the index fills.
    fn in_search_folder(&self, root: &Path, site: &Site) -> Vec<Diagnostic> {
        // A language whose prefix is that folder: one error, at its `prefix:`.
        let folder = format!("/{}/", crate::search::FOLDER);
        let prefix = |lang: usize| site.language(lang).config.prefix.as_str();
        let languages: Vec<usize> = (1..=site.languages.len())
            .filter(|&lang| prefix(lang).starts_with(&folder))
            .collect();
        let mut problems: Vec<Diagnostic> = (languages.iter())
            .map(|&lang| {
                let message = format!("puts its pages in `{folder}`, which the search index fills");
                prefix_error(site, lang, &message)
            })
            .collect();
        // The files of those languages (pages, their posts' files) are that one error.
        let theirs = |file: &Path| {
            (languages.iter()).any(|&lang| file.starts_with(prefix(lang).trim_matches('/')))
        };
        let planned = (self.entries.iter())
            .filter(|e| e.file.starts_with(crate::search::FOLDER) && !theirs(&e.file));
        problems.extend(planned.map(|e| {
            let (name, file) = origin(e, root, site);
            Diagnostic::error(
                file,
                format!(
                    "{name} would be replaced by the search index, which fills `/{}/`",
                    crate::search::FOLDER
                ),
            )
            .with_hint("move it out of that folder, or set `search: false` in config.yaml")
        }));
        problems
    }

    fn duplicates(&self, root: &Path, site: &Site) -> Vec<Diagnostic> {
        let mut by_file: HashMap<String, Vec<&Entry>> = HashMap::with_capacity(self.entries.len());
        for entry in &self.entries {
            let file = entry.file.to_string_lossy();
            let key = if file.is_ascii() {
                file.to_ascii_lowercase()
            } else {
                file.to_lowercase()
            };
            by_file.entry(key).or_default().push(entry);
        }
        let mut shared: Vec<(String, Vec<&Entry>)> = by_file
            .into_iter()
            .filter(|(_, sources)| sources.len() > 1)
            .collect();
        shared.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut problems = Vec::new();
        // The files a language's prefix puts on the pages of another, by language.
        let mut under_prefix: Vec<(usize, Vec<String>)> = Vec::new();
        for (_, sources) in shared {
            let origins: Vec<(String, PathBuf)> =
                sources.iter().map(|e| origin(e, root, site)).collect();
            let names: Vec<&str> = origins.iter().map(|(name, _)| name.as_str()).collect();
            if let Some(lang) = prefix_language(&sources) {
                let mine = |e: &Entry| matches!(e.source, Source::Page(l, _) if l == lang);
                let pick = |own: bool| -> Vec<&str> {
                    let named = sources.iter().zip(&names);
                    named
                        .filter(|(e, _)| mine(e) == own)
                        .map(|(_, n)| *n)
                        .collect()
                };
                let code = &site.language(lang).config.language;
                let collision = format!(
                    "{} is both {} and {} of `{code}`",
                    sources[0].file.display(),
                    join_names(&pick(false)),
                    join_names(&pick(true))
                );
                match under_prefix.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, collisions)) => collisions.push(collision),
                    None => under_prefix.push((lang, vec![collision])),
                }
                continue;
            }
            let file = sources
                .iter()
                .position(|e| !matches!(e.source, Source::Page(..) | Source::Embedded(_)))
                .unwrap_or(0);
            problems.push(
                Diagnostic::error(
                    origins[file].1.clone(),
                    format!(
                        "{} sources produce the file {}: {}",
                        sources.len(),
                        sources[0].file.display(),
                        join_names(&names)
                    ),
                )
                .with_hint("rename or move all of them but one"),
            );
        }
        for (lang, collisions) in under_prefix {
            let more = match collisions.len() {
                0 | 1 => String::new(),
                2 => " (and 1 more file)".to_string(),
                n => format!(" (and {} more files)", n - 1),
            };
            let first = collisions.first().map_or("", String::as_str);
            let message = format!("puts its pages on the site's own: {first}{more}");
            problems.push(prefix_error(site, lang, &message));
        }
        problems
    }
}

/// The language (not the default) whose prefix puts its pages on those of another language,
/// when every source of one file is a page and they are of more than one language.
fn prefix_language(sources: &[&Entry]) -> Option<usize> {
    let languages: Vec<usize> = sources
        .iter()
        .map(|e| match e.source {
            Source::Page(lang, _) => Some(lang),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut others = languages.iter().copied().filter(|&l| l > 0);
    others.find(|&l| languages.iter().any(|&m| m != l))
}

/// The error that the prefix of language `lang` `does` something wrong (puts its pages on
/// the site's own), at its `prefix:` in config.yaml.
fn prefix_error(site: &Site, lang: usize, does: &str) -> Diagnostic {
    let config = &site.language(lang).config;
    let (code, prefix) = (&config.language, &config.prefix);
    let message = format!("the `prefix` {prefix} of `{code}` {does}");
    let own = format!("/{}/", code.to_lowercase());
    let suggested = if own == *prefix {
        format!("/lang-{}/", code.to_lowercase())
    } else {
        own
    };
    let d = Diagnostic::error(crate::load::config::CONFIG_FILE, message).with_hint(format!(
        "give `{code}` a prefix under which the site has no pages of its own, e.g. prefix: {suggested}"
    ));
    let text = &*site.config.text;
    match crate::load::languages::prefix_at(text, code) {
        Some((at, width)) => d
            .at_offset(text, at, width)
            .with_label(format!("the prefix of `{code}`")),
        None => d,
    }
}

/// The error for the picture `src`, written at byte `at` of `doc` (shown at site path
/// `path`), when the site has its file but cannot show it. `places` are the lines of the
/// document's text, found for its first problem.
fn picture_error<'d>(
    site: &Site,
    (doc, path): (&'d crate::model::document::Document, &str),
    src: &str,
    (at, places): (usize, &std::cell::OnceCell<Lines<'d>>),
) -> Option<Diagnostic> {
    let file = crate::model::url::resolve(path, src).map(|p| {
        let p = p.split(['?', '#']).next().unwrap_or_default();
        output_file(&crate::load::pictures::decoded(p))
    })?;
    let Err(problem) = site.pictures.get(&file)? else {
        return None;
    };
    Some(
        Diagnostic::error(
            doc.source.clone(),
            format!("picture `{src}` cannot be shown: {problem}"),
        )
        .at_offset_in(
            places.get_or_init(|| Lines::new(&doc.text)),
            at,
            src.chars().count().max(1),
        )
        .with_label("this picture")
        .with_hint("save it again as PNG, JPEG, WebP or GIF, at most 10,000 x 10,000 pixels"),
    )
}

/// The output files of the pictures pages show: in bodies, and posts' `image:`.
fn shown_pictures(site: &Site) -> std::collections::HashSet<PathBuf> {
    let posts = site.every_language().flat_map(|s| &s.posts);
    let pages = site.every_language().flat_map(|s| &s.pages);
    let bodies = (posts.map(|p| (&p.body.pictures, p.path.as_str(), p.doc.image.as_deref())))
        .chain(pages.map(|p| (&p.body.pictures, p.path.as_str(), None)));
    let mut shown = std::collections::HashSet::new();
    for (pictures, path, image) in bodies {
        let sources = pictures.iter().map(|p| p.src.as_str()).chain(image);
        for src in sources {
            if let Some(resolved) = crate::model::url::resolve(path, src) {
                let file = resolved.split(['?', '#']).next().unwrap_or_default();
                shown.insert(output_file(&crate::load::pictures::decoded(file)));
            }
        }
    }
    shown
}

/// What produces `entry`, for messages (a content file, `static/x`, "the built-in theme"),
/// and the file that is in.
fn origin(entry: &Entry, root: &Path, site: &Site) -> (String, PathBuf) {
    match &entry.source {
        Source::Page(lang, route) => (
            site.language(*lang).describe(*route),
            site.language(*lang)
                .source_of(*route)
                .unwrap_or_else(|| PathBuf::from("content")),
        ),
        Source::Generated(_) => (
            "the code stylesheet (config key `highlight`)".to_string(),
            PathBuf::from(crate::load::config::CONFIG_FILE),
        ),
        Source::Embedded(_) => {
            let relative = entry.file.display();
            (
                format!("`{relative}` of the built-in theme"),
                PathBuf::from("static").join(&entry.file),
            )
        }
        Source::Copy(source) => {
            let shown = crate::diagnostic::display_path(root, source);
            (shown.display().to_string(), shown)
        }
        Source::SearchIndex => (
            "the search index (config key `search`)".to_string(),
            PathBuf::from(crate::load::config::CONFIG_FILE),
        ),
        Source::Variant(variant) => {
            let shown = crate::diagnostic::display_path(root, &variant.from);
            (
                format!(
                    "a resized copy of {} (config key `pictures`)",
                    shown.display()
                ),
                shown,
            )
        }
    }
}

/// Where `key: <path>` is written in the config text (the path with or without its leading
/// `/`, quoted or not): the offset of the key.
fn config_line(text: &str, key: &str, path: &str) -> Option<usize> {
    let wanted = path.trim_start_matches('/');
    text.match_indices(&format!("{key}:")).find_map(|(i, _)| {
        let starts_line = text[..i]
            .bytes()
            .rev()
            .take_while(|&b| b != b'\n')
            .all(|b| b == b' ' || b == b'-');
        let value = text[i + key.len() + 1..].lines().next().unwrap_or_default();
        let value = value
            .trim()
            .trim_matches(['"', '\''])
            .trim_start_matches('/');
        (starts_line && value == wanted).then_some(i)
    })
}
