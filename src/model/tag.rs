//! Tags: posts grouped by tag, each tag with its own (paginated) page.

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::url::BaseUrl;
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
    /// The path a browser asks for.
    pub url: String,
}

/// A tag being gathered: its slug, the name first written, and its posts.
struct Group<'a> {
    slug: String,
    name: &'a str,
    posts: Vec<usize>,
}

/// Groups `posts` (newest first) by tag slug, so `Rust` and `rust` are one tag. Returns the
/// tags sorted by slug and, for each post, the indices of its tags in its own order. Two
/// names that differ in more than case but share a URL (`C++` and `C`) are merged with a
/// warning. One pass over the posts' tags, each name looked up once.
pub(crate) fn build(
    posts: &[Arc<Post>],
    base: &BaseUrl,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Tag>, Vec<Vec<usize>>) {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // The same few names come back on many posts: each is slugged and found once.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut warned: HashSet<(usize, &str)> = HashSet::new();
    let mut per_post: Vec<Vec<usize>> = Vec::with_capacity(posts.len());
    for (i, post) in posts.iter().enumerate() {
        let mut own: Vec<usize> = Vec::with_capacity(post.doc.tags.len());
        for name in &post.doc.tags {
            let group = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = slug::slugify(name);
                *by_slug.entry(slug.clone()).or_insert_with(|| {
                    groups.push(Group {
                        slug,
                        name,
                        posts: Vec::new(),
                    });
                    groups.len() - 1
                })
            });
            let g = &mut groups[group];
            if g.posts.last() != Some(&i) {
                g.posts.push(i);
            }
            let first = g.name;
            // Most posts spell a tag as the first one did: only other names are compared.
            if first != name
                && crate::model::url::spelling(first) != crate::model::url::spelling(name)
                && warned.insert((group, name))
            {
                warnings.push(
                    Diagnostic::warning(
                        post.doc.source.clone(),
                        format!(
                            "tags `{first}` and `{name}` share the URL /tags/{}/ and are shown as one tag `{first}`",
                            g.slug
                        ),
                    )
                    .with_hint("use one spelling for the tag, or rename one of them"),
                );
            }
            if !own.contains(&group) {
                own.push(group);
            }
        }
        per_post.push(own);
    }
    (sorted(groups, &mut per_post, base), per_post)
}

/// The tags of `groups` sorted by slug, with the posts' lists of tags made to follow.
fn sorted(groups: Vec<Group<'_>>, per_post: &mut [Vec<usize>], base: &BaseUrl) -> Vec<Tag> {
    // Sorted by slug; the posts' lists follow the new order.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_unstable_by(|&a, &b| groups[a].slug.cmp(&groups[b].slug));
    let mut rank = vec![0; groups.len()];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    for own in per_post.iter_mut() {
        for t in own.iter_mut() {
            *t = rank[*t];
        }
    }
    let mut groups: Vec<Option<Group<'_>>> = groups.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&old| groups[old].take())
        .map(|g| {
            let path = format!("{}{}/", crate::model::route::TAG_LIST, g.slug);
            Tag {
                url: base.url(&path),
                path,
                slug: g.slug,
                name: g.name.to_string(),
                posts: g.posts,
            }
        })
        .collect()
}
