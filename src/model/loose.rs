//! The files beside posts that are not bundles (`content/posts/x.png` next to `x.md`): which
//! of them a post links to, published next to its page, and a warning for the rest. Pure.

use std::collections::HashSet;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::content::{Asset, Content, LooseFiles};
use crate::markdown::Outline;
use crate::model::post::{Document, Post};

/// The files beside a post that is not a bundle (`name.md` in `folder`) that its body or its
/// `image:` links to relative to itself: published next to its page, as a bundle's are.
pub(crate) fn nearby(
    loose: &LooseFiles,
    folder: &str,
    doc: &Document,
    body: &Outline,
) -> Vec<Asset> {
    if loose.is_empty() {
        return Vec::new();
    }
    let image = doc.image.as_deref().and_then(crate::markdown::local_file);
    let mut found: Vec<Asset> = Vec::new();
    for reference in body.local_refs.iter().map(String::as_str).chain(image) {
        let key = match folder {
            "" => reference.to_string(),
            folder => format!("{folder}/{reference}"),
        };
        let Some(source) = loose.get(&key) else {
            continue;
        };
        if !found.iter().any(|a| a.source == *source) {
            found.push(Asset {
                source: source.clone(),
                relative: std::path::PathBuf::from(reference),
            });
        }
    }
    found
}

/// One warning for the files beside posts that no post links to (they are not published),
/// and one for each format of post that is not read.
pub(crate) fn unused_files(content: &Content, posts: &[Arc<Post>], warnings: &mut Vec<Diagnostic>) {
    let used: HashSet<&std::path::Path> = posts
        .iter()
        .flat_map(|p| p.assets.iter().map(|a| a.source.as_path()))
        .collect();
    for (key, source) in content.loose.iter() {
        if used.contains(source.as_path()) {
            continue;
        }
        let file = std::path::Path::new("content/posts").join(key);
        warnings.push(
            Diagnostic::warning(file, "no post links to this file, so it is not published")
                .with_hint("link to it from the post beside it (e.g. ![](name.png)), or move it to static/")
                .grouped("unused-file"),
        );
    }
    for path in &content.unread {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        warnings.push(
            Diagnostic::warning(path.clone(), format!("`.{ext}` files are not read, so this post is not published"))
                .with_hint("playpress reads Markdown (.md): rename a post that is plain Markdown, or convert it")
                .grouped(format!("unread:{ext}")),
        );
    }
}
