//! Static files as templates link them: `{{ asset_url(path="style.css") }}`. A build
//! publishes each static file a template names so a second time, under a name with a hash
//! of its bytes (`style.3f2a1c9e.css`), and links that name: browsers may keep it for ever,
//! and a new version is a new URL. `serve` links the plain names (`style.css`), so that its
//! stylesheet hot swap replaces one file instead of changing every page.
//!
//! The names are found in the templates' text (`asset_url(path="...")` with a literal
//! path), so that a build knows which files to hash before it renders anything; a file
//! named so that does not exist is an error at the template's line. Any other static file
//! may be named at render time too (`asset_url(path=page.extra.icon)`): it keeps its plain
//! name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::load::theme::{StaticFile, ThemeError};
use crate::load::url::BaseUrl;

/// The name of the template function.
pub(crate) const FUNCTION: &str = "asset_url";

/// The code stylesheet, generated rather than a static file, named like one.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";

/// Every static file templates may link, with the name it is published under.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Assets {
    /// By path relative to the output root (`style.css`): the published path, with a hash
    /// in it for the files named in templates when fingerprinting.
    published: BTreeMap<String, String>,
}

impl Assets {
    /// The assets of `static_files` (and the code stylesheet `highlight_css`). With
    /// `fingerprint`, each file of `named` gets a name with the hash of its bytes (files on
    /// disk are read here).
    pub(crate) fn load(
        static_files: &[StaticFile],
        (named, highlight_css): (&BTreeSet<String>, &str),
        fingerprint: bool,
    ) -> Result<Self, ThemeError> {
        let mut published = BTreeMap::new();
        published.insert(HIGHLIGHT_CSS.to_string(), HIGHLIGHT_CSS.to_string());
        for file in static_files {
            let name = file.name();
            published.insert(name.clone(), name);
        }
        if fingerprint {
            for name in named {
                let hash = match static_files
                    .iter()
                    .find(|f| f.relative() == Path::new(name))
                {
                    Some(StaticFile::Embedded { bytes, .. }) => hash_of(bytes),
                    Some(StaticFile::OnDisk { source, .. }) => {
                        let bytes =
                            std::fs::read(source).map_err(|source_error| ThemeError::Read {
                                path: source.clone(),
                                source: source_error,
                            })?;
                        hash_of(&bytes)
                    }
                    None if name == HIGHLIGHT_CSS => hash_of(highlight_css.as_bytes()),
                    None => continue,
                };
                published.insert(name.clone(), hashed_name(name, &hash));
            }
        }
        Ok(Self { published })
    }

    /// The published path of static file `path` (`style.css` or `/style.css`).
    pub(crate) fn published(&self, path: &str) -> Option<&str> {
        self.published
            .get(path.trim_start_matches('/'))
            .map(String::as_str)
    }

    /// The files published a second time under a hashed name: (plain, hashed).
    pub(crate) fn fingerprinted(&self) -> impl Iterator<Item = (&str, &str)> {
        self.published
            .iter()
            .filter(|(plain, published)| plain != published)
            .map(|(plain, published)| (plain.as_str(), published.as_str()))
    }

    /// The Tera function `asset_url(path=...)`: the URL of a static file as a browser asks
    /// for it, under the base path.
    pub(crate) fn function(
        self: Arc<Self>,
        base: BaseUrl,
    ) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<String> + Send + Sync + 'static
    {
        move |kwargs: tera::Kwargs, _: &tera::State| {
            let path: String = kwargs.must_get("path")?;
            match self.published(&path) {
                Some(published) => Ok(base.url(&format!("/{}", url_path(published)))),
                None => Err(tera::Error::message(format!(
                    "`{FUNCTION}`: `{path}` is not a static file of the site (put it in static/)"
                ))),
            }
        }
    }
}

/// The bytes a URL's path may not hold as they are (besides non-ASCII and control bytes).
const NOT_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The path of the file `name` (relative to the output, as published) in a URL: a name with
/// spaces, non-ASCII letters or a `%` percent-encoded (`my font 字.woff2` ->
/// `my%20font%20%E5%AD%97.woff2`). A static file is named by its name, never by an encoded
/// one, so every `%` is a percent sign.
fn url_path(name: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(name, NOT_IN_PATH).into()
}

/// Eight hex digits of the XXH3 hash of `bytes`.
fn hash_of(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))[..8].to_string()
}

/// `style.css` with `hash`: `style.<hash>.css` (`LICENSE.<hash>` without an extension).
fn hashed_name(name: &str, hash: &str) -> String {
    let (folder, file) = match name.rsplit_once('/') {
        Some((folder, file)) => (format!("{folder}/"), file),
        None => (String::new(), name),
    };
    match file.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{folder}{stem}.{hash}.{extension}"),
        _ => format!("{folder}{file}.{hash}"),
    }
}

/// The static files `text` (a template) names with a literal path: each name, with the
/// byte offset and width of the literal (its quotes aside).
pub(crate) fn named_in(text: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let call = format!("{FUNCTION}(");
    for (at, _) in text.match_indices(&call) {
        let args_start = at + call.len();
        let args = &text[args_start..];
        let args = &args[..args.find(')').unwrap_or(args.len())];
        let Some(key) = args.find("path") else {
            continue;
        };
        let after_key = args[key + 4..].trim_start();
        let Some(value) = after_key.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        let Some(quote) = value
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let literal = &value[1..];
        if let Some(end) = literal.find(quote) {
            let offset = args_start + (args.len() - value.len()) + 1;
            found.push((literal[..end].to_string(), offset, end));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_names_are_encoded_in_urls() {
        assert_eq!(url_path("fonts/a-b_c.1f2e.woff2"), "fonts/a-b_c.1f2e.woff2");
        assert_eq!(
            url_path("brand marks/標誌 #1?%.png"),
            "brand%20marks/%E6%A8%99%E8%AA%8C%20%231%3F%25.png"
        );
    }

    #[test]
    fn names_get_the_hash_before_their_extension() {
        assert_eq!(hashed_name("style.css", "3f2a1c9e"), "style.3f2a1c9e.css");
        assert_eq!(
            hashed_name("js/app.min.js", "00ff00ff"),
            "js/app.min.00ff00ff.js"
        );
        assert_eq!(hashed_name("LICENSE", "12345678"), "LICENSE.12345678");
        assert_eq!(
            hashed_name(".well-known/x", "12345678"),
            ".well-known/x.12345678"
        );
        assert_eq!(
            hashed_name("fonts/.hidden", "12345678"),
            "fonts/.hidden.12345678"
        );
        assert_eq!(hash_of(b"a").len(), 8);
    }

    #[test]
    fn literal_names_are_found_with_their_place() {
        let text = r#"<link href="{{ asset_url(path="style.css") }}"><script src="{{ asset_url( path = 'js/a.js' ) }}"></script>{{ asset_url(path=page.x) }}"#;
        let found = named_in(text);
        assert_eq!(
            found.iter().map(|(n, _, _)| n.as_str()).collect::<Vec<_>>(),
            ["style.css", "js/a.js"]
        );
        let (name, offset, width) = &found[1];
        assert_eq!(&text[*offset..offset + width], name);
    }

    #[test]
    fn only_named_files_get_a_hashed_name() {
        let files = [
            StaticFile::Embedded {
                relative: "style.css",
                bytes: b"body{}",
            },
            StaticFile::Embedded {
                relative: "favicon.svg",
                bytes: b"<svg/>",
            },
        ];
        let named: BTreeSet<String> = ["style.css", "highlight.css"]
            .into_iter()
            .map(String::from)
            .collect();
        let assets = Assets::load(&files, (&named, ".hl{}"), true).unwrap();
        let style = assets.published("/style.css").unwrap();
        assert!(style.starts_with("style.") && style.ends_with(".css") && style.len() == 18);
        assert_eq!(assets.published("favicon.svg"), Some("favicon.svg"));
        assert_eq!(assets.fingerprinted().count(), 2);
        assert_eq!(assets.published("missing.css"), None);
        let plain = Assets::load(&files, (&named, ".hl{}"), false).unwrap();
        assert_eq!(plain.published("style.css"), Some("style.css"));
        assert_eq!(plain.fingerprinted().count(), 0);
    }
}
