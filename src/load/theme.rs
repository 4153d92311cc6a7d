//! The theme: Tera templates and static files. The default theme (this repository's
//! `templates/` and `static/`) is embedded in the binary; files in a site's own `templates/`
//! and `static/` override embedded files of the same name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::Tera;
use thiserror::Error;

use crate::diagnostic::{Diagnostic, Lines, display_path};
use crate::load::url::BaseUrl;

/// The default theme's templates, by name.
pub(crate) const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("post.html", include_str!("../../templates/post.html")),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "series_list.html",
        include_str!("../../templates/series_list.html"),
    ),
    ("series.html", include_str!("../../templates/series.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("authors.html", include_str!("../../templates/authors.html")),
    ("author.html", include_str!("../../templates/author.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    (
        "components/figure.html",
        include_str!("../../templates/components/figure.html"),
    ),
    (
        "components/youtube.html",
        include_str!("../../templates/components/youtube.html"),
    ),
    (
        "components/video.html",
        include_str!("../../templates/components/video.html"),
    ),
    (
        "components/details.html",
        include_str!("../../templates/components/details.html"),
    ),
    (
        "components/callout.html",
        include_str!("../../templates/components/callout.html"),
    ),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    (
        "partials/post_card.html",
        include_str!("../../templates/partials/post_card.html"),
    ),
    (
        "partials/author_profile.html",
        include_str!("../../templates/partials/author_profile.html"),
    ),
    (
        "partials/authors.html",
        include_str!("../../templates/partials/authors.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    (
        "partials/series_box.html",
        include_str!("../../templates/partials/series_box.html"),
    ),
];

/// The default theme's static files, by path relative to the output root.
pub(crate) const EMBEDDED_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

/// A problem with the templates.
#[derive(Debug, Error)]
pub enum ThemeError {
    #[error("{}", Diagnostic::general(format!("cannot read template {}: {source}", path.display())).with_hint("check that you may read the file, then build again"))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}\n\nnothing was written")]
    Files(crate::diagnostic::Diagnostics),
    #[error("{}", template_report(detail, origin, hint))]
    Template {
        detail: String,
        origin: String,
        hint: String,
    },
}

/// A template engine's report (it begins with `error: `) presented as a diagnostic, with
/// where the template came from and how to fix it.
fn template_report(detail: &str, origin: &str, hint: &str) -> Diagnostic {
    let (title, rest) = detail.split_once('\n').unwrap_or((detail, ""));
    let title = title.strip_prefix("error: ").unwrap_or(title);
    let mut d = Diagnostic::general(title);
    if !rest.is_empty() {
        d = d.with_detail(rest);
    }
    d.with_note(origin)
        .with_hint(format!("{hint}; nothing was written"))
}

/// A static file to copy to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticFile {
    Embedded {
        relative: &'static str,
        bytes: &'static [u8],
    },
    OnDisk {
        source: PathBuf,
        relative: PathBuf,
    },
}

impl StaticFile {
    /// Its path relative to the output root as templates name it (`css/site.css`).
    pub(crate) fn name(&self) -> String {
        match self {
            Self::Embedded { relative, .. } => (*relative).to_string(),
            Self::OnDisk { relative, .. } => crate::load::content::slash_separated(relative),
        }
    }

    pub fn relative(&self) -> PathBuf {
        match self {
            Self::Embedded { relative, .. } => PathBuf::from(relative),
            Self::OnDisk { relative, .. } => relative.clone(),
        }
    }
}

/// The loaded theme.
pub struct Theme {
    pub tera: Tera,
    pub static_files: Vec<StaticFile>,
    /// Where each template came from ("`post.html` is templates/post.html"), for messages.
    pub origins: BTreeMap<String, String>,
    /// A hash of every template's name and text: equal for the same templates.
    pub fingerprint: u128,
    /// The components (`components/<name>.html`) and the arguments each declares.
    pub(crate) components: crate::load::components::Specs,
    /// The static files templates name in `asset_url(path="...")`.
    pub(crate) named_assets: BTreeSet<String>,
    /// The theme's words in every language (`i18n/`).
    pub(crate) strings: crate::load::strings::Catalog,
    /// The static files templates may link, as `asset_url` gives them (see [`Theme::use_assets`]).
    pub(crate) assets: std::sync::Arc<crate::load::assets::Assets>,
}

impl Theme {
    /// Makes `asset_url` give the names of `assets`, under the base path of `base`.
    pub(crate) fn use_assets(&mut self, assets: crate::load::assets::Assets, base: &BaseUrl) {
        let assets = std::sync::Arc::new(assets);
        self.assets = assets.clone();
        self.tera
            .register_function(crate::load::assets::FUNCTION, assets.function(base.clone()));
    }
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("static_files", &self.static_files)
            .field("origins", &self.origins)
            .finish_non_exhaustive()
    }
}

/// Loads the embedded theme with the overrides in `<root>/templates` and `<root>/static`.
pub(crate) fn load(root: &Path) -> Result<Theme, ThemeError> {
    let mut sources: BTreeMap<String, (String, String)> = EMBEDDED_TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                (text.to_string(), format!("`{name}` of the built-in theme")),
            )
        })
        .collect();
    let template_dir = root.join("templates");
    for path in files_under(root, &template_dir, |_| false)? {
        let Ok(relative) = path.strip_prefix(&template_dir) else {
            continue;
        };
        let name = crate::load::content::slash_separated(relative);
        let text = std::fs::read_to_string(&path).map_err(|source| ThemeError::Read {
            path: display_path(root, &path),
            source,
        })?;
        let origin = format!("`{name}` is {}", display_path(root, &path).display());
        sources.insert(name, (text, origin));
    }
    let tera = build_tera(&sources)?;
    let components = component_specs(&sources);
    let mut problems = Vec::new();
    let strings = crate::load::strings::Catalog::load(root, &mut problems);
    if !problems.is_empty() {
        return Err(ThemeError::Files(crate::diagnostic::Diagnostics(problems)));
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (name, (text, _)) in &sources {
        for part in [name, text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    let fingerprint = hasher.digest128();

    let mut static_files: BTreeMap<PathBuf, StaticFile> = EMBEDDED_STATIC
        .iter()
        .map(|(relative, bytes)| {
            (
                PathBuf::from(relative),
                StaticFile::Embedded { relative, bytes },
            )
        })
        .collect();
    let static_dir = root.join("static");
    for path in files_under(root, &static_dir, is_published_dotfile)? {
        if let Ok(relative) = path.strip_prefix(&static_dir) {
            let relative = relative.to_path_buf();
            static_files.insert(
                relative.clone(),
                StaticFile::OnDisk {
                    source: path.clone(),
                    relative,
                },
            );
        }
    }
    let static_files: Vec<StaticFile> = static_files.into_values().collect();
    let mut exist: BTreeSet<String> = static_files.iter().map(StaticFile::name).collect();
    exist.insert(crate::load::assets::HIGHLIGHT_CSS.to_string());
    let named_assets = named_assets(&sources, &exist)?;
    Ok(Theme {
        tera,
        static_files,
        origins: sources
            .into_iter()
            .map(|(name, (_, origin))| (name, origin))
            .collect(),
        fingerprint,
        components,
        named_assets,
        strings,
        assets: Default::default(),
    })
}

/// The static files the templates name with a literal path in `asset_url(path="...")`;
/// one error for each such file the site does not have, at its place in the template.
fn named_assets(
    sources: &BTreeMap<String, (String, String)>,
    exist: &BTreeSet<String>,
) -> Result<BTreeSet<String>, ThemeError> {
    let mut named = BTreeSet::new();
    let mut missing = Vec::new();
    for (template, (text, _)) in sources {
        // Found for the template's first missing file, once for all of them.
        let lines = std::cell::OnceCell::new();
        for (name, offset, width) in crate::load::assets::named_in(text) {
            let plain = name.trim_start_matches('/');
            if exist.contains(plain) {
                named.insert(plain.to_string());
                continue;
            }
            let hint = crate::diagnostic::did_you_mean(plain, exist.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!("put the file in static/ (static/{plain}), or fix the path")
                });
            missing.push(
                Diagnostic::error(
                    Path::new("templates").join(template),
                    format!("`asset_url` names `{name}`, which is not a static file of the site"),
                )
                .at_offset_in(lines.get_or_init(|| Lines::new(text)), offset, width)
                .with_label("no such file")
                .with_hint(hint),
            );
        }
    }
    if missing.is_empty() {
        Ok(named)
    } else {
        Err(ThemeError::Files(crate::diagnostic::Diagnostics(missing)))
    }
}

/// The components among the templates (`components/<name>.html`) and what each takes.
fn component_specs(sources: &BTreeMap<String, (String, String)>) -> crate::load::components::Specs {
    sources
        .iter()
        .filter_map(|(name, (text, _))| {
            let component = name
                .strip_prefix(crate::load::components::FOLDER)?
                .strip_suffix(".html")?;
            Some((
                component.to_string(),
                crate::load::components::spec_of(text),
            ))
        })
        .collect()
}

/// Parses all templates together, so inheritance, includes and cycles are checked before
/// anything is rendered.
fn build_tera(sources: &BTreeMap<String, (String, String)>) -> Result<Tera, ThemeError> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // Replaced by the site's assets before anything is rendered (`Theme::use_assets`).
    let unset = |_: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
        Err(tera::Error::message("`asset_url` is not ready"))
    };
    tera.register_function(crate::load::assets::FUNCTION, unset);
    tera.register_function(
        crate::load::strings::FUNCTION,
        crate::load::strings::function,
    );
    // Parse one by one first, so a syntax error names the file it is in.
    for (name, (text, origin)) in sources {
        let mut single = Tera::new();
        single.register_function(crate::load::assets::FUNCTION, unset);
        single.register_function(
            crate::load::strings::FUNCTION,
            crate::load::strings::function,
        );
        if let Err(e) = single.add_raw_templates(std::iter::once((name.as_str(), text.as_str())))
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            return Err(ThemeError::Template {
                detail: e.to_string(),
                origin: origin.clone(),
                hint: "fix the template".to_string(),
            });
        }
    }
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str())),
    )
    .map_err(|e| link_error(&e, sources))?;
    Ok(tera)
}

/// Explains an error in how templates extend and include each other: the loop, or the
/// template that is missing and where it was looked for.
fn link_error(e: &tera::Error, sources: &BTreeMap<String, (String, String)>) -> ThemeError {
    let origins = |names: &[String]| -> String {
        let mut seen: Vec<&String> = Vec::new();
        for name in names {
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        seen.iter()
            .filter_map(|n| sources.get(*n).map(|(_, origin)| origin.clone()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let searched = |name: &str| {
        format!("looked for templates/{name} in the site and for `{name}` in the built-in theme")
    };
    let template = |detail: String, origin: String, hint: &str| ThemeError::Template {
        detail,
        origin,
        hint: hint.to_string(),
    };
    match e.kind() {
        tera::ErrorKind::CircularInclude { include_chain, .. } => template(
            format!(
                "error: templates include each other in a loop: {}",
                include_chain.join(" -> ")
            ),
            origins(include_chain),
            "remove one of these includes",
        ),
        tera::ErrorKind::CircularExtend {
            inheritance_chain, ..
        } => {
            let mut chain = inheritance_chain.clone();
            if let Some(first) = chain.first().cloned() {
                chain.push(first);
            }
            template(
                format!(
                    "error: templates extend each other in a loop: {}",
                    chain.join(" -> ")
                ),
                origins(&chain),
                "one of them must not use `extends`",
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => template(
            format!("error: template `{current}` extends `{parent}`, which does not exist"),
            format!(
                "{}; {}",
                origins(std::slice::from_ref(current)),
                searched(parent)
            ),
            "add the missing template or extend another one",
        ),
        tera::ErrorKind::TemplateNotFound(name) => template(
            format!("error: template `{name}` not found"),
            searched(name),
            "add the missing template",
        ),
        _ => other_link_error(e, &origins, &searched),
    }
}

/// A template error of another kind (an unknown include comes as a ready-made report:
/// "error: Unknown template `x` --> post.html:1:5 ..."): where it is and what was missing.
fn other_link_error(
    e: &tera::Error,
    origins: &dyn Fn(&[String]) -> String,
    searched: &dyn Fn(&str) -> String,
) -> ThemeError {
    let text = e.to_string();
    let in_template = text
        .split("--> ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .map(str::to_string);
    let missing = text
        .split("Unknown template `")
        .nth(1)
        .and_then(|rest| rest.split('`').next());
    let mut origin = in_template
        .map(|t| origins(&[t]))
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| {
            "while checking how the templates extend and include each other".to_string()
        });
    if let Some(name) = missing {
        origin = format!("{origin}; {}", searched(name));
    }
    let detail = if text.starts_with("error:") {
        text
    } else {
        format!("error: {text}")
    };
    ThemeError::Template {
        detail,
        origin,
        hint: "fix the template".to_string(),
    }
}

/// The hidden files and folders of `static/` that are published: the ones hosts read
/// (GitHub Pages' `.nojekyll`, Codeberg's `.domains`, Apache's `.htaccess`, RFC 8615's
/// `.well-known/`). Every other hidden file (`.env`, `.git`, `.DS_Store`) never is.
pub(crate) fn is_published_dotfile(name: &str) -> bool {
    matches!(name, ".nojekyll" | ".domains" | ".htaccess" | ".well-known")
}

/// The files under `dir`, walked as content is: links out of the site are errors; hidden
/// ones only when `kept` takes their names.
fn files_under(
    root: &Path,
    dir: &Path,
    kept: fn(&str) -> bool,
) -> Result<Vec<PathBuf>, ThemeError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut problems = Vec::new();
    let files = crate::load::content::walk_keeping(root, dir, &mut problems, kept);
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(ThemeError::Files(crate::diagnostic::Diagnostics::sorted(
            problems,
        )))
    }
}
