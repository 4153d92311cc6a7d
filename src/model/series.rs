//! Multi-part series: which posts belong together, in which order, and the optional
//! description from `content/series/<slug>.md`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use std::sync::Arc;

use crate::markdown::Outline;
use crate::model::post::{Document, Post};
use crate::model::url::name_slug;

/// A series of posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub slug: String,
    /// The name shown to readers.
    pub title: String,
    /// The description, from `content/series/<slug>.md`: its body is rendered on the pages
    /// that show it.
    pub description: Option<Document>,
    pub description_text: Option<String>,
    /// Indices into the site's posts, in reading order (part 1 first).
    pub parts: Vec<usize>,
    /// The number of parts announced in the description (`total_parts`), when more are planned
    /// than are published.
    pub planned: Option<u32>,
    /// Site path, `/series/<slug>/`.
    pub path: String,
    /// The path a browser asks for.
    pub url: String,
    /// In a site of several languages, the parts not written in this series' language but
    /// in the default one, in order: shown with their language, in place of "coming soon".
    pub elsewhere: Vec<Elsewhere>,
}

/// A part of a series in another language than the page that lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Elsewhere {
    /// Its number in the series.
    pub number: usize,
    pub title: String,
    pub url: String,
    /// The language it is written in: its tag and its name in itself.
    pub lang: String,
    pub language: String,
}

impl Series {
    /// Parts in the series: published ones, or the announced total when it is larger.
    pub fn total(&self) -> usize {
        let planned = self.planned.map_or(0, |n| n as usize);
        self.parts.len().max(planned)
    }

    /// Numbers of the announced parts that are not published yet (in any language: the
    /// parts in another language follow this one's own).
    pub fn upcoming(&self) -> std::ops::RangeInclusive<usize> {
        self.parts.len() + self.elsewhere.len() + 1..=self.total()
    }
}

/// Where a post sits in its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRef {
    pub series: usize,
    /// 0-based position in [`Series::parts`].
    pub position: usize,
}

/// A series description file, already rendered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Description {
    pub slug: String,
    pub title: String,
    /// The summary, or the first paragraph as plain text, cut at a word to at most
    /// [`crate::model::limits::DESCRIPTION_CHARACTERS`].
    pub text: String,
    pub source: PathBuf,
    /// `total_parts`: how many parts the series will have.
    pub total_parts: Option<u32>,
    pub doc: Document,
}

impl Description {
    /// The description in `doc`, whose body is outlined as `body`; `suffix` is the code of
    /// its language that ends its file name, when it is not in the default language.
    pub(crate) fn new(doc: Document, body: &Outline, suffix: Option<&str>) -> Self {
        let stem = crate::model::post::stem(&doc.source);
        let name = match suffix {
            Some(suffix) => crate::model::translation::without_suffix(&stem, suffix),
            None => &stem,
        };
        Self {
            slug: name_slug(name),
            title: doc.title.clone(),
            text: crate::markdown::words::cut_at_word(
                doc.summary.as_deref().unwrap_or(&body.first_paragraph_text),
                crate::model::limits::DESCRIPTION_CHARACTERS,
            )
            .into_owned(),
            total_parts: doc.total_parts,
            source: doc.source.clone(),
            doc,
        }
    }
}

/// Groups `posts` (newest first) into series. Parts are ordered by `series_part`, then by
/// date. Duplicate or missing part numbers are warnings naming the files; two series whose
/// names differ but share a URL (`C++` and `C#`) are an error.
pub(crate) fn build(
    posts: &[Arc<Post>],
    descriptions: Vec<Description>,
    config: &crate::load::config::Config,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Series>, Vec<Option<SeriesRef>>) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, post) in posts.iter().enumerate() {
        if let Some(name) = &post.doc.series {
            groups.entry(name_slug(name)).or_default().push(i);
        }
    }
    let mut descriptions: BTreeMap<String, Description> = descriptions
        .into_iter()
        .map(|d| (d.slug.clone(), d))
        .collect();
    let mut all = Vec::with_capacity(groups.len());
    let mut refs = vec![None; posts.len()];
    for (slug, mut parts) in groups {
        parts.sort_by(|&a, &b| {
            let (pa, pb) = (&posts[a], &posts[b]);
            (
                pa.doc.series_part.unwrap_or(u32::MAX),
                &pa.date,
                &pa.doc.source,
            )
                .cmp(&(
                    pb.doc.series_part.unwrap_or(u32::MAX),
                    &pb.date,
                    &pb.doc.source,
                ))
        });
        let first_name = parts
            .first()
            .and_then(|&i| posts[i].doc.series.clone())
            .unwrap_or_else(|| slug.clone());
        check_names(&first_name, &slug, &parts, posts, errors);
        check_parts(&first_name, &parts, posts, warnings);
        let description = descriptions.remove(&slug);
        let planned = description.as_ref().and_then(|d| d.total_parts);
        if let (Some(total), Some(d)) = (planned, &description)
            && parts.len() > total as usize
        {
            warnings.push(
                Diagnostic::warning(
                    d.source.clone(),
                    format!(
                        "series `{first_name}` has {} parts but `total_parts` says {total}",
                        parts.len()
                    ),
                )
                .with_hint(format!(
                    "raise `total_parts` to {}, or remove it",
                    parts.len()
                )),
            );
        }
        let index = all.len();
        for (position, &post) in parts.iter().enumerate() {
            refs[post] = Some(SeriesRef {
                series: index,
                position,
            });
        }
        let path = config.localized(&format!("{}{slug}/", crate::model::route::SERIES_LIST));
        all.push(Series {
            url: config.base_url.url(&path),
            path,
            title: description.as_ref().map_or(first_name, |d| d.title.clone()),
            description_text: description.as_ref().map(|d| d.text.clone()),
            description: description.map(|d| d.doc),
            slug,
            parts,
            planned,
            elsewhere: Vec::new(),
        });
    }
    (all, refs)
}

/// Points `d` at the line of `key` in the front matter of `post`, when it has one.
fn at_key(d: Diagnostic, post: &Post, key: &str, label: String) -> Diagnostic {
    let text = &post.doc.text;
    let front_matter = text.get(..post.doc.body_offset).unwrap_or(text);
    match front_matter.find(&format!("\n{key}:")) {
        Some(i) => d.at_offset(text, i + 1, key.len()).with_label(label),
        None => d,
    }
}

fn at_part(d: Diagnostic, post: &Post, label: String) -> Diagnostic {
    at_key(d, post, "series_part", label)
}

/// One error for each other name in a group of posts whose series names share the URL of
/// `first` but are not spelled the same.
fn check_names(
    first: &str,
    slug: &str,
    parts: &[usize],
    posts: &[Arc<Post>],
    errors: &mut Vec<Diagnostic>,
) {
    let Some(&first_post) = parts.first() else {
        return;
    };
    let mut reported: Vec<String> = vec![crate::model::url::spelling(first)];
    for &i in parts {
        let Some(name) = &posts[i].doc.series else {
            continue;
        };
        let spelled = crate::model::url::spelling(name);
        if reported.contains(&spelled) {
            continue;
        }
        reported.push(spelled);
        let d = Diagnostic::error(
            posts[i].doc.source.clone(),
            format!(
                "series `{first}` ({}) and `{name}` ({}) share the URL /series/{slug}/",
                posts[first_post].doc.source.display(),
                posts[i].doc.source.display()
            ),
        )
        .with_hint(
            "rename one of them so the names differ in letters or digits (e.g. `C Sharp` for `C#`), or use one name for both",
        );
        errors.push(at_key(d, &posts[i], "series", "same URL".to_string()));
    }
}

/// Missing part numbers named in a warning; the rest are counted.
const MISSING_SHOWN: usize = 3;

/// The first `count` numbers from 1 that `present` (sorted, unique) lacks.
fn first_missing(present: &[u32], count: usize) -> Vec<u32> {
    let mut missing = Vec::with_capacity(count);
    let mut next = 1;
    for &n in present {
        while next < n && missing.len() < count {
            missing.push(next);
            next += 1;
        }
        if missing.len() == count {
            break;
        }
        next = n + 1;
    }
    missing
}

fn check_parts(name: &str, parts: &[usize], posts: &[Arc<Post>], warnings: &mut Vec<Diagnostic>) {
    let numbered: Vec<(u32, usize)> = parts
        .iter()
        .filter_map(|&i| posts[i].doc.series_part.map(|n| (n, i)))
        .collect();
    if numbered.is_empty() {
        return;
    }
    for pair in numbered.windows(2) {
        if let [(a, first), (b, second)] = pair
            && a == b
        {
            let d = Diagnostic::warning(
                posts[*second].doc.source.clone(),
                format!(
                    "series `{name}` has two parts numbered {a}: {} and {}",
                    posts[*first].doc.source.display(),
                    posts[*second].doc.source.display()
                ),
            )
            .with_hint("give each part its own `series_part` number");
            warnings.push(at_part(d, &posts[*second], format!("part {a} again")));
        }
    }
    let mut present: Vec<u32> = numbered.iter().map(|(n, _)| *n).collect();
    present.sort_unstable();
    present.dedup();
    let max = present.last().copied().unwrap_or(0);
    let missing_count = u64::from(max) - present.len() as u64;
    if missing_count > 0 {
        let first_missing = first_missing(&present, MISSING_SHOWN);
        let more = missing_count - first_missing.len() as u64;
        let mut missing = first_missing
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if more > 0 {
            missing.push_str(&format!(
                " and {} more",
                crate::model::limits::grouped(more)
            ));
        }
        let files: Vec<String> = numbered
            .iter()
            .map(|(n, i)| format!("part {n}: {}", posts[*i].doc.source.display()))
            .collect();
        let first = &posts[numbered[0].1];
        let d = Diagnostic::warning(
            first.doc.source.clone(),
            format!(
                "series `{name}` has no part {missing} ({})",
                files.join(", ")
            ),
        )
        .with_hint("number the parts 1, 2, 3... without gaps, or publish the missing part");
        let label = match missing_count {
            1 => format!("part {missing} is missing"),
            _ => format!("parts {missing} are missing"),
        };
        warnings.push(at_part(d, first, label));
    }
    if numbered.len() != parts.len() {
        let unnumbered: Vec<String> = parts
            .iter()
            .filter(|&&i| posts[i].doc.series_part.is_none())
            .map(|&i| posts[i].doc.source.display().to_string())
            .collect();
        warnings.push(
            Diagnostic::warning(
                posts[parts[0]].doc.source.clone(),
                format!(
                    "series `{name}` mixes numbered and unnumbered parts ({} has no `series_part`)",
                    unnumbered.join(", ")
                ),
            )
            .with_hint("give every part a `series_part`, or none (then parts are ordered by date)"),
        );
    }
}
