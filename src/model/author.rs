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
    let find = |name: &str| -> Option<usize> {
        by_key
            .get(name)
            .or_else(|| by_name.get(&name.to_lowercase()))
            .or_else(|| by_slug.get(&slug_of(name)))
            .copied()
    };
    let (terms, per_post) = group(
        posts,
        (&AUTHORS, |p: &Post| p.doc.authors.as_slice()),
        |written| {
            let name = without_links(written);
            match find(&name) {
                Some(i) => (described[i].name.clone(), slug_of(&described[i].key)),
                None => (name.into_owned(), slug_of(written)),
            }
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

/// The slug of an author's name or key (its links' text, for a name written as Markdown
/// links), cut when long ([`crate::model::url::name_slug`]): `author` when nothing of it can
/// be in a URL.
fn slug_of(name: &str) -> String {
    let slug = crate::model::url::name_slug(&without_links(name));
    if slug.is_empty() {
        "author".to_string()
    } else {
        slug
    }
}

/// `name` with each Markdown link in it (`[Ann Lee](https://ann.dev)`) written as its text, as
/// a page shows a name: `[Ann](https://a.dev) (Acme), [Bo](https://b.dev)` is `Ann (Acme),
/// Bo`. Linear: each part of the name is looked at once.
fn without_links(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains("](") {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(']') else {
            break;
        };
        let after = &inner[close + 1..];
        match after
            .strip_prefix('(')
            .and_then(|url| Some((url, url.find(')')?)))
        {
            Some((url, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&inner[..close]);
                rest = &url[end + 1..];
            }
            None => {
                out.push_str(&rest[..open + 1 + close + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_empty() {
        assert_eq!(slug_of("Ann Lee"), "ann-lee");
        assert_eq!(slug_of("!!!"), "author");
    }

    #[test]
    fn names_written_as_markdown_links_are_their_text() {
        assert_eq!(
            without_links(
                "[Martin Kuba](https://e.com/a/b) (Lightstep), [Someone Else](https://e.com/c)"
            ),
            "Martin Kuba (Lightstep), Someone Else"
        );
        assert_eq!(without_links("Ann Lee"), "Ann Lee");
        assert_eq!(without_links("[no link] ](x)"), "[no link] ](x)");
        assert_eq!(without_links("[a](unclosed"), "[a](unclosed");
        assert_eq!(slug_of("[Ann](https://ann.dev/a/very/long/path)"), "ann");
        assert_eq!(slug_of(&"Long Name ".repeat(40)).len(), 198);
    }
}
