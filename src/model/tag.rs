//! Tags: posts grouped by tag, each tag with its own (paginated) page.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Diagnostic;
use crate::model::post::Post;

/// A tag and the posts that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub slug: String,
    /// The name as first written (in the newest post that uses it).
    pub name: String,
    /// Indices into the site's posts, newest first.
    pub posts: Vec<usize>,
    /// Site path, `/tags/<slug>/`.
    pub path: String,
}

/// Groups `posts` (newest first) by tag slug, so `Rust` and `rust` are one tag. Returns the
/// tags sorted by slug and, for each post, the indices of its tags in its own order. Two
/// names that differ in more than case but share a URL (`C++` and `C`) are merged with a
/// warning.
pub fn build(posts: &[Post], warnings: &mut Vec<Diagnostic>) -> (Vec<Tag>, Vec<Vec<usize>>) {
    // The same few tags come back on many posts: make each slug once.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for post in posts {
        for name in &post.doc.tags {
            slugs
                .entry(name.as_str())
                .or_insert_with(|| slug::slugify(name));
        }
    }
    let slug_of = |name: &str| {
        slugs
            .get(name)
            .cloned()
            .unwrap_or_else(|| slug::slugify(name))
    };
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let mut warned: Vec<(String, String)> = Vec::new();
    for (i, post) in posts.iter().enumerate() {
        for name in &post.doc.tags {
            let slug = slug_of(name);
            let entry = groups
                .entry(slug.clone())
                .or_insert_with(|| (name.clone(), Vec::new()));
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
            let pair = (entry.0.clone(), name.clone());
            if crate::model::url::spelling(&entry.0) != crate::model::url::spelling(name)
                && !warned.contains(&pair)
            {
                warnings.push(
                    Diagnostic::warning(
                        post.doc.source.clone(),
                        format!(
                            "tags `{}` and `{name}` share the URL /tags/{slug}/ and are shown as one tag `{}`",
                            entry.0, entry.0
                        ),
                    )
                    .with_hint("use one spelling for the tag, or rename one of them"),
                );
                warned.push(pair);
            }
        }
    }
    let tags: Vec<Tag> = groups
        .into_iter()
        .map(|(slug, (name, posts))| Tag {
            path: format!("{}{slug}/", crate::model::route::TAG_LIST),
            slug,
            name,
            posts,
        })
        .collect();
    let index: BTreeMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let per_post = posts
        .iter()
        .map(|p| {
            p.doc
                .tags
                .iter()
                .filter_map(|name| {
                    let slug = slugs.get(name.as_str())?;
                    index.get(slug.as_str()).copied()
                })
                .fold(Vec::new(), |mut unique: Vec<usize>, t| {
                    if !unique.contains(&t) {
                        unique.push(t);
                    }
                    unique
                })
        })
        .collect();
    (tags, per_post)
}
