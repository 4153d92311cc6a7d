//! The `authors:` map of `config.yaml`: who writes for the site, each under the key posts
//! may name them by (`author: ann`), with a display name, a short bio, an avatar and links.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::load::config::Link;
use crate::load::url::is_external;

/// One entry of `authors:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthor {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    bio: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    links: Vec<Link>,
}

/// An author the config describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorInfo {
    /// The key under `authors:` (posts may name the author by it).
    pub key: String,
    /// The name shown (the key when `name:` is not given).
    pub name: String,
    pub bio: Option<String>,
    /// A site path (`/authors/ann.png`, a file of the site) or an absolute URL.
    pub avatar: Option<String>,
    pub links: Vec<Link>,
}

impl AuthorInfo {
    /// The avatar when it is a file of the site, which must exist.
    pub(crate) fn avatar_file(&self) -> Option<&str> {
        self.avatar.as_deref().filter(|a| !is_external(a))
    }
}

/// The authors of `raw`, in the order of their keys.
pub(crate) fn authors(raw: BTreeMap<String, RawAuthor>) -> Vec<AuthorInfo> {
    raw.into_iter()
        .map(|(key, a)| AuthorInfo {
            name: a
                .name
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| key.clone()),
            key,
            bio: a.bio.filter(|b| !b.trim().is_empty()),
            avatar: a.avatar.map(|a| {
                if is_external(&a) {
                    a
                } else {
                    format!("/{}", a.trim_start_matches('/'))
                }
            }),
            links: a.links,
        })
        .collect()
}
