//! Internal links: a link to another document by its file (`@/posts/x.md`, Zola's syntax, and
//! what Jekyll's `{% post_url %}` and Hugo's `{{< ref >}}` become), resolved to its site path
//! when the body is read. A document is found by its path under `content/` or any shorter
//! ending of it (`news/x.md`, `x.md`, `x`), as Hugo's `ref` finds it.

use std::collections::HashMap;
use std::path::Path;

/// The site path of every document, by each name it can be linked by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Links {
    paths: HashMap<String, String>,
}

impl Links {
    /// Adds the document at `source` (`content/posts/news/x.md`), served at `site_path`.
    /// A name two documents share links to the first added.
    pub(crate) fn add(&mut self, source: &Path, site_path: &str) {
        let relative = source.strip_prefix("content").unwrap_or(source);
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        for start in 0..parts.len() {
            let ending = parts[start..].join("/");
            for name in names(&ending) {
                self.paths
                    .entry(name)
                    .or_insert_with(|| site_path.to_string());
            }
        }
    }

    /// The site path (with its `#fragment`) of internal link `target` (`@/x.md#a`, `x.md`).
    pub(crate) fn resolve(&self, target: &str) -> Option<String> {
        let (path, fragment) = match target.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (target, None),
        };
        let key = key(path);
        let site_path = self.paths.get(&key)?;
        Some(match fragment {
            Some(fragment) => format!("{site_path}#{fragment}"),
            None => site_path.clone(),
        })
    }
}

/// The names `ending` (`news/x.md`, `x/index.md`) is linked by.
fn names(ending: &str) -> Vec<String> {
    let mut names = vec![ending.to_string()];
    let stem = ending
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .map_or(ending, |(stem, _)| stem);
    names.push(stem.to_string());
    if let Some(folder) = stem.strip_suffix("/index") {
        names.push(folder.to_string());
        names.push(format!("{folder}.md"));
    } else if stem == "index" {
        return Vec::new();
    }
    names
}

/// How a link target is looked up: without `@/`, `content/`, leading and trailing slashes;
/// Jekyll's `_posts/` is `posts/`.
fn key(path: &str) -> String {
    let path = path.trim().strip_prefix("@/").unwrap_or(path.trim());
    let path = path.trim_start_matches('/');
    let path = path.strip_prefix("content/").unwrap_or(path);
    let path = path.trim_end_matches('/');
    match path.strip_prefix("_posts/") {
        Some(post) => format!("posts/{post}"),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_found_by_any_ending_of_their_path() {
        let mut links = Links::default();
        links.add(Path::new("content/posts/news/x.md"), "/posts/x/");
        links.add(Path::new("content/posts/b/index.md"), "/posts/b/");
        links.add(Path::new("content/pages/about.md"), "/about/");
        for target in [
            "@/posts/news/x.md",
            "news/x.md",
            "x.md",
            "x",
            "/posts/news/x/",
            "_posts/news/x.md",
        ] {
            assert_eq!(
                links.resolve(target).as_deref(),
                Some("/posts/x/"),
                "{target}"
            );
        }
        assert_eq!(
            links.resolve("@/posts/b/index.md").as_deref(),
            Some("/posts/b/")
        );
        assert_eq!(links.resolve("b").as_deref(), Some("/posts/b/"));
        assert_eq!(
            links.resolve("about.md#team").as_deref(),
            Some("/about/#team")
        );
        assert_eq!(links.resolve("missing.md"), None);
        assert_eq!(links.resolve("index.md"), None);
    }
}
