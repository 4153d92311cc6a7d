//! A post's page: the post with its body, its neighbours ("Prev Post", "Next Post"), the
//! series box ("Part 2 of 3") and schema.org JSON-LD.

use std::borrow::Cow;

use serde::Serialize;

use crate::markdown::highlight::LineCache;
use crate::model::date::DateView;
use crate::model::series::Series;

use super::site::{PageMeta, PostLink, PostView};
use super::{BodyOf, Renderer};

#[derive(Debug, Clone, Serialize)]
pub(super) struct PartLink<'a> {
    pub number: usize,
    pub title: &'a str,
    pub url: &'a str,
    pub date: &'a DateView,
    pub current: bool,
}

/// The series box inside a post: "Part 2 of 3", all parts, previous and next part.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SeriesNav<'a> {
    pub title: &'a str,
    pub url: String,
    pub part: usize,
    pub total: usize,
    pub parts: Vec<PartLink<'a>>,
    /// Numbers of announced parts not published yet (`total_parts` in the description).
    pub upcoming: Vec<usize>,
    /// The parts published in the default language only (a site in several languages).
    pub elsewhere: &'a [crate::model::series::Elsewhere],
    pub previous: Option<PartLink<'a>>,
    pub next: Option<PartLink<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PostContext<'a> {
    pub page: PageMeta,
    pub post: PostView<'a>,
    /// The next older post ("Prev Post").
    pub older: Option<PostLink<'a>>,
    /// The next newer post ("Next Post").
    pub newer: Option<PostLink<'a>>,
    pub series: Option<SeriesNav<'a>>,
    /// Up to three posts sharing the rarest tags with this one, not of its series.
    pub related: Vec<PostLink<'a>>,
    /// schema.org `BlogPosting` as JSON, safe to put inside `<script>`.
    pub json_ld: String,
}

/// schema.org types for the JSON-LD of a post.
#[derive(Debug, Clone, Serialize)]
struct BlogPosting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<OneOrMore<Thing<'a>>>,
    publisher: Thing<'a>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "wordCount")]
    word_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
}

/// One value as itself, several as a list (schema.org takes both; one reads simpler).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum OneOrMore<T> {
    One(T),
    More(Vec<T>),
}

impl<T> OneOrMore<T> {
    fn of(mut values: Vec<T>) -> Option<Self> {
        match values.len() {
            0 => None,
            1 => values.pop().map(OneOrMore::One),
            _ => Some(OneOrMore::More(values)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// JSON made safe to sit inside a `<script>` element: `<`, `>` and `&` are escaped.
pub(super) fn script_safe_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl<'a> Renderer<'a> {
    pub(super) fn post_page(
        &self,
        index: usize,
        lines: &mut LineCache,
        bodies: bool,
    ) -> PostContext<'a> {
        let site = self.site;
        let post = &site.posts[index];
        let series = site.post_series[index].map(|r| {
            let s: &'a Series = &site.series[r.series];
            let part = |position: usize| -> PartLink<'a> {
                let p = s.parts[position];
                let link = self.post_link(p);
                PartLink {
                    number: position + 1,
                    title: link.title,
                    url: link.url,
                    date: link.date,
                    current: position == r.position,
                }
            };
            SeriesNav {
                title: &s.title,
                url: s.url.clone(),
                part: r.position + 1,
                total: s.total(),
                parts: (0..s.parts.len()).map(part).collect(),
                upcoming: s.upcoming().collect(),
                elsewhere: &s.elsewhere,
                previous: r.position.checked_sub(1).map(part),
                next: (r.position + 1 < s.parts.len()).then(|| part(r.position + 1)),
            }
        });
        let view = self.post_view(index, true, bodies);
        PostContext {
            page: self
                .meta(
                    "post",
                    post.doc.title.clone(),
                    post.description.clone(),
                    &post.path,
                )
                .in_language(post.doc.lang.as_deref()),
            // Made from the post's view, its series and the site only, all of which the rest
            // of the context (or the shared inputs) holds: a fingerprint needs it not.
            json_ld: if bodies {
                self.json_ld(index)
            } else {
                String::new()
            },
            post: PostView {
                content: Some(Cow::Owned(self.body(BodyOf::Post(index), lines, bodies))),
                ..view
            },
            older: (index + 1 < site.posts.len()).then(|| self.post_link(index + 1)),
            newer: index.checked_sub(1).map(|i| self.post_link(i)),
            related: site.related[index]
                .iter()
                .map(|&i| self.post_link(i))
                .collect(),
            series,
        }
    }

    pub(super) fn json_ld(&self, index: usize) -> String {
        let site = self.site;
        let post = &site.posts[index];
        let base = &site.config.base_url;
        let series = site.post_series[index].map(|r| (&site.series[r.series], r.position + 1));
        let posting = BlogPosting {
            context: "https://schema.org",
            kind: "BlogPosting",
            headline: &post.doc.title,
            description: &post.description,
            url: post.permalink.clone(),
            main_entity_of_page: post.permalink.clone(),
            date_published: post.date_view.iso.clone(),
            date_modified: post
                .updated_view
                .as_ref()
                .unwrap_or(&post.date_view)
                .iso
                .clone(),
            author: OneOrMore::of(
                site.post_authors[index]
                    .iter()
                    .map(|&a| {
                        let term = &site.authors[a].term;
                        Thing {
                            kind: "Person",
                            name: &term.name,
                            url: Some(base.permalink(&term.path)),
                        }
                    })
                    .collect(),
            ),
            publisher: Thing {
                kind: "Organization",
                name: &site.config.title,
                url: Some(base.as_str()),
            },
            in_language: post.doc.lang.as_deref().unwrap_or(&site.config.language),
            keywords: site.post_tags[index]
                .iter()
                .map(|&t| site.tags[t].name.as_str())
                .collect(),
            word_count: post.body.word_count + post.body.cjk_characters,
            image: post
                .doc
                .image
                .as_deref()
                .map(|image| self.picture_view(&post.path, image).preview),
            is_part_of: series.map(|(s, _)| Thing {
                kind: "CreativeWorkSeries",
                name: &s.title,
                url: Some(base.permalink(&s.path)),
            }),
            position: series.map(|(_, part)| part),
        };
        script_safe_json(&posting)
    }
}
