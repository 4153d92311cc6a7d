//! Authors: the names posts give in `author:` / `authors:`, matched to the config's
//! `authors:` map, and each author's (paginated) page at `/authors/<slug>/`.
//!
//! A name written in a post is, in this order: a key of `authors:` (`author: ann`), the
//! `name:` of an entry (compared without case), a name whose slug is a key (`Ann Lee` for
//! `ann-lee:`), or else an author of its own, named as written, with no bio. Grouped like tags
//! (`term.rs`): linear in the names written, each distinct name matched once.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::authors::AuthorInfo;
use crate::model::post::Post;
use crate::model::term::{Kind, Term, group};

/// The list every author page is under.
pub(crate) const AUTHORS: Kind = Kind {
    list: crate::model::route::AUTHOR_LIST,
    plural: "authors",
    singular: "author",
};

/// An author of posts on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// Name, slug, posts (newest first) and URL.
    pub term: Term,
    /// The config's entry (`config.authors[info]`), when it describes the author.
    pub info: Option<usize>,
}

/// The authors of `posts` (newest first), sorted by slug, and for each post the indices of
/// its authors in the order written.
pub(crate) fn build(
    posts: &[Arc<Post>],
    config: &crate::load::config::Config,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Author>, Vec<Vec<usize>>) {
    let described: &[AuthorInfo] = &config.authors;
    let by_key: HashMap<&str, usize> = described
        .iter()
        .enumerate()
        .map(|(i, a)| (a.key.as_str(), i))
        .collect();
    let by_name: HashMap<String, usize> = described
        .iter()
        .enumerate()
        .map(|(i, a)| (a.name.to_lowercase(), i))
        .collect();
    let by_slug: HashMap<String, usize> = described
        .iter()
        .enumerate()
        .map(|(i, a)| (slug_of(&a.key), i))
        .collect();
    let find = |name: &str| {
        by_key
            .get(name)
            .or_else(|| by_name.get(&name.to_lowercase()))
            .or_else(|| by_slug.get(&slug_of(name)))
            .copied()
    };
    let (terms, per_post) = group(
        posts,
        (&AUTHORS, |p: &Post| p.doc.authors.as_slice()),
        |name| match find(name) {
            Some(i) => (described[i].name.clone(), slug_of(&described[i].key)),
            None => (name.to_string(), slug_of(name)),
        },
        config,
        warnings,
    );
    let by_slug = &by_slug;
    let authors = terms
        .into_iter()
        .map(|term| Author {
            info: by_slug.get(&term.slug).copied(),
            term,
        })
        .collect();
    (authors, per_post)
}

impl crate::model::site::Site {
    /// The names of the authors of post `index`, joined (`Ann, Bob`); `None` when it has none.
    pub fn byline(&self, index: usize) -> Option<String> {
        let names: Vec<&str> = self.post_authors[index]
            .iter()
            .map(|&a| self.authors[a].term.name.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// The config's description of author `index`, when it has one.
    pub fn author_info(&self, index: usize) -> Option<&AuthorInfo> {
        self.authors[index]
            .info
            .and_then(|i| self.config.authors.get(i))
    }
}

/// The slug of an author's name or key: `author` when nothing of it can be in a URL.
fn slug_of(name: &str) -> String {
    let slug = slug::slugify(name);
    if slug.is_empty() {
        "author".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_empty() {
        assert_eq!(slug_of("Ann Lee"), "ann-lee");
        assert_eq!(slug_of("!!!"), "author");
    }
}
