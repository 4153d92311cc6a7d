//! Terms: posts grouped by a name they carry (a tag, an author), each term with its own
//! (paginated) page under a list (`/tags/<slug>/`, `/authors/<slug>/`). One pass over the
//! posts' names, each distinct name looked up once: linear in the names written.

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::config::Config;
use crate::model::post::Post;

/// A tag.
pub(crate) type Tag = Term;

/// A term (a tag, an author) and the posts that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    /// The name as first written (in the newest post that uses it).
    pub name: String,
    /// Indices into the site's posts, newest first.
    pub posts: Vec<usize>,
    /// Site path, `/tags/<slug>/` or `/authors/<slug>/`.
    pub path: String,
    /// The path a browser asks for.
    pub url: String,
}

/// A term being gathered: its slug, the name first written, and its posts.
struct Group {
    slug: String,
    name: String,
    posts: Vec<usize>,
}

/// What kind of term is grouped: where its pages are, and the words of a warning.
pub(crate) struct Kind {
    /// The list the terms are under (`/tags/`).
    pub list: &'static str,
    /// The plural, as messages name them (`tags`).
    pub plural: &'static str,
    pub singular: &'static str,
}

/// The tags of the site.
pub(crate) const TAGS: Kind = Kind {
    list: crate::model::route::TAG_LIST,
    plural: "tags",
    singular: "tag",
};

/// Groups `posts` (newest first) by tag slug, so `Rust` and `rust` are one tag. Returns the
/// tags sorted by slug and, for each post, the indices of its tags in its own order. Two
/// names that differ in more than case but share a URL (`C++` and `C`) are merged with a
/// warning.
pub(crate) fn tags(
    posts: &[Arc<Post>],
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Tag>, Vec<Vec<usize>>) {
    group(
        posts,
        (&TAGS, |p: &Post| p.doc.tags.as_slice()),
        |name| (name.to_string(), crate::model::url::name_slug(name)),
        config,
        warnings,
    )
}

/// Groups `posts` by the names `names_of` gives, each name made a (display name, slug) by
/// `term_of`, called once per distinct name. Terms of one slug are one term, named as the
/// newest post first wrote it; differing spellings get one warning each.
pub(crate) fn group<'p, N, T>(
    posts: &'p [Arc<Post>],
    (kind, names_of): (&Kind, N),
    mut term_of: T,
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Term>, Vec<Vec<usize>>)
where
    N: Fn(&'p Post) -> &'p [String],
    T: FnMut(&str) -> (String, String),
{
    // Under the prefix of the config's language: `/zh-hant/tags/`.
    let list = config.localized(kind.list);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // The same few names come back on many posts: each is slugged and found once.
    let mut by_name: HashMap<&str, (usize, Option<String>)> = HashMap::new();
    let mut warned: HashSet<(usize, &str)> = HashSet::new();
    let mut per_post: Vec<Vec<usize>> = Vec::with_capacity(posts.len());
    for (i, post) in posts.iter().enumerate() {
        let names = names_of(post);
        let mut own: Vec<usize> = Vec::with_capacity(names.len());
        for name in names {
            let (group, spelled) = by_name.entry(name.as_str()).or_insert_with(|| {
                let (shown, slug) = term_of(name);
                let mut differs = None;
                let group = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    groups.push(Group {
                        slug,
                        name: shown.clone(),
                        posts: Vec::new(),
                    });
                    groups.len() - 1
                });
                let first = &groups[group].name;
                // Most posts spell a term as the first one did: only other names are compared.
                if *first != shown
                    && crate::model::url::spelling(first) != crate::model::url::spelling(&shown)
                {
                    differs = Some(shown);
                }
                (group, differs)
            });
            let g = &mut groups[*group];
            if g.posts.last() != Some(&i) {
                g.posts.push(i);
            }
            if let Some(shown) = spelled
                && warned.insert((*group, name))
            {
                let (
                    Kind {
                        plural, singular, ..
                    },
                    first,
                ) = (kind, &g.name);
                warnings.push(
                    Diagnostic::warning(
                        post.doc.source.clone(),
                        format!(
                            "{plural} `{first}` and `{shown}` share the URL {list}{}/ and are shown as one {singular} `{first}`",
                            g.slug
                        ),
                    )
                    .with_hint(format!("use one spelling for the {singular}, or rename one of them")),
                );
            }
            if !own.contains(group) {
                own.push(*group);
            }
        }
        per_post.push(own);
    }
    (
        sorted(groups, &mut per_post, (&config.base_url, &list)),
        per_post,
    )
}

/// The terms of `groups` sorted by slug, with the posts' lists of tags made to follow.
fn sorted(
    groups: Vec<Group>,
    per_post: &mut [Vec<usize>],
    (base, list): (&crate::load::url::BaseUrl, &str),
) -> Vec<Term> {
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
    let mut groups: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&old| groups[old].take())
        .map(|g| {
            let path = format!("{list}{}/", g.slug);
            Term {
                url: base.url(&path),
                path,
                slug: g.slug,
                name: g.name,
                posts: g.posts,
            }
        })
        .collect()
}
