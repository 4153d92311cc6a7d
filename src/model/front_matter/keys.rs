//! The front matter keys, and the keys of Jekyll, Hugo and Zola read as playpress's own:
//! one visitor for YAML and TOML, which differ only in how a value's place is told
//! ([`Flavor`]). Keys are matched without regard to case, as Hugo does (`linkTitle`).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};

use super::values::{DateText, Flag, ImageRef, Names, Texts, Words};
use super::{FrontMatter, Located, Spot};
use crate::diagnostic::Lines;

/// The keys playpress understands, in the order the README documents them.
pub(crate) const KNOWN_KEYS: [&str; 16] = [
    "title",
    "date",
    "updated",
    "author",
    "summary",
    "description",
    "tags",
    "series",
    "series_part",
    "slug",
    "draft",
    "extra",
    "aliases",
    "total_parts",
    "image",
    "lang",
];

/// Keys that only steer another generator's templates or build (Jekyll, Hugo, Zola): kept
/// for templates as `post.extra.<key>`, without a warning.
pub(crate) const TEMPLATE_KEYS: [&str; 30] = [
    "layout",
    "weight",
    "menu",
    "menus",
    "sitemap",
    "comments",
    "toc",
    "type",
    "template",
    "render",
    "outputs",
    "cascade",
    "build",
    "headless",
    "markup",
    "resources",
    "translationkey",
    "iscjklanguage",
    "expirydate",
    "keywords",
    "render_with_liquid",
    "in_search_index",
    "sort_by",
    "paginate_by",
    "paginate_path",
    "insert_anchor_links",
    "transparent",
    "page_template",
    "generate_feeds",
    "share",
];

/// How a front matter language tells where a value is written.
pub(crate) trait Flavor {
    type Spanned<T: DeserializeOwned>: DeserializeOwned;
    /// The value and its spot; `lines` are the front matter's text.
    fn unpack<T: DeserializeOwned>(spanned: Self::Spanned<T>, lines: &Lines<'_>) -> Located<T>;
}

/// YAML, read by serde-saphyr: places come as lines and columns.
pub(crate) struct YamlFlavor;

impl Flavor for YamlFlavor {
    type Spanned<T: DeserializeOwned> = serde_saphyr::Spanned<T>;
    fn unpack<T: DeserializeOwned>(spanned: Self::Spanned<T>, _: &Lines<'_>) -> Located<T> {
        Located {
            value: spanned.value,
            location: Spot::of_yaml(spanned.referenced),
        }
    }
}

/// TOML, read by the `toml` crate: places come as byte ranges of the text.
pub(crate) struct TomlFlavor;

impl Flavor for TomlFlavor {
    type Spanned<T: DeserializeOwned> = ::toml::Spanned<T>;
    fn unpack<T: DeserializeOwned>(spanned: Self::Spanned<T>, lines: &Lines<'_>) -> Located<T> {
        let range = spanned.span();
        Located {
            value: spanned.into_inner(),
            location: Spot::of_range(lines, range),
        }
    }
}

/// Front matter read from YAML (the text is not needed: places come with the values).
pub(crate) struct Yaml(pub FrontMatter);

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = FrontMatterVisitor::<YamlFlavor> {
            lines: &Lines::new(""),
            flavor: PhantomData,
        };
        deserializer.deserialize_map(visitor).map(Yaml)
    }
}

/// Reads front matter whose text is that of `lines` (found once for the places of all its
/// values), in flavor `F`.
pub(crate) struct FrontMatterVisitor<'t, F> {
    pub lines: &'t Lines<'t>,
    pub flavor: PhantomData<F>,
}

impl<'de, F: Flavor> DeserializeSeed<'de> for FrontMatterVisitor<'_, F> {
    type Value = FrontMatter;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<FrontMatter, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: Flavor> Visitor<'de> for FrontMatterVisitor<'_, F> {
    type Value = FrontMatter;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of front matter keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FrontMatter, A::Error> {
        let mut fm = FrontMatter::default();
        while let Some(key) = map.next_key::<F::Spanned<String>>()? {
            let key = F::unpack(key, self.lines);
            let lower = lowercase(&key.value);
            if !self.known(&lower, &mut map, &mut fm)? {
                let value = map.next_value::<serde_json::Value>()?;
                if TEMPLATE_KEYS.contains(&&*lower) {
                    fm.template_keys.push((key.value, value));
                } else {
                    fm.unknown.push((key, value));
                }
            }
        }
        Ok(fm)
    }
}

impl<F: Flavor> FrontMatterVisitor<'_, F> {
    fn located<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &self,
        map: &mut A,
    ) -> Result<Located<T>, A::Error> {
        Ok(F::unpack(map.next_value::<F::Spanned<T>>()?, self.lines))
    }

    /// Reads the value of `key` into `fm` when the key is known; false when it is not.
    fn known<'de, A: MapAccess<'de>>(
        &self,
        key: &str,
        map: &mut A,
        fm: &mut FrontMatter,
    ) -> Result<bool, A::Error> {
        match key {
            "title" => fm.title = Some(self.located(map)?),
            "date" => fm.date = Some(self.date(map)?),
            "publishdate" | "pubdate" => fm.publish_date = Some(self.date(map)?),
            "updated" | "lastmod" | "last_modified_at" | "modified" => {
                let date = self.date(map)?;
                fm.updated.get_or_insert(date);
            }
            "author" | "authors" => {
                let names = map.next_value::<Names>()?.0;
                fm.authors.extend(names);
            }
            "summary" => fm.summary = Some(map.next_value()?),
            "description" => fm.description = Some(self.located(map)?),
            "excerpt" => fm.excerpt = Some(map.next_value()?),
            "tags" => {
                let tags: Located<Words> = self.located(map)?;
                fm.tags_at = Some(tags.location);
                fm.tags.extend(tags.value.0);
            }
            "categories" | "category" => fm.categories.extend(map.next_value::<Words>()?.0),
            "taxonomies" => self.taxonomies(map.next_value()?, fm),
            "series" => {
                let series: Located<Texts> = self.located(map)?;
                set_series(fm, series);
            }
            "series_part" => fm.series_part = Some(self.located(map)?),
            "total_parts" => fm.total_parts = Some(self.located(map)?),
            "slug" => fm.slug = Some(self.located(map)?),
            "permalink" | "url" | "path" => fm.permalink = Some(self.located(map)?),
            "draft" => fm.draft |= self.flag(map, "draft", fm)?,
            "published" => fm.draft |= !self.flag(map, "published", fm)?,
            "extra" => fm.extra.extend(map.next_value::<serde_json::Map<_, _>>()?),
            "aliases" | "redirect_from" => {
                let aliases: Located<Texts> = self.located(map)?;
                match &mut fm.aliases {
                    Some(known) => known.value.extend(aliases.value.0),
                    None => {
                        fm.aliases = Some(Located {
                            value: aliases.value.0,
                            location: aliases.location,
                        })
                    }
                }
            }
            "image" | "images" => {
                let image = map.next_value::<ImageRef>()?.0;
                if fm.image.is_none() {
                    fm.image = image;
                }
            }
            "lang" | "language" => fm.lang = Some(self.located(map)?),
            "linktitle" => fm.link_title = Some(map.next_value()?),
            "excerpt_separator" => fm.excerpt_separator = Some(map.next_value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn date<'de, A: MapAccess<'de>>(&self, map: &mut A) -> Result<Located<String>, A::Error> {
        let date: Located<DateText> = self.located(map)?;
        Ok(Located {
            value: date.value.0,
            location: date.location,
        })
    }

    fn flag<'de, A: MapAccess<'de>>(
        &self,
        map: &mut A,
        key: &str,
        fm: &mut FrontMatter,
    ) -> Result<bool, A::Error> {
        let flag: Located<Flag> = self.located(map)?;
        if flag.value.loose {
            fm.loose_flags.push(Located {
                value: key.to_string(),
                location: flag.location,
            });
        }
        Ok(flag.value.value)
    }

    /// Zola's `[taxonomies]`: tags, categories and a series are read; other taxonomies are
    /// kept for templates.
    fn taxonomies(&self, taxonomies: Taxonomies, fm: &mut FrontMatter) {
        fm.tags.extend(taxonomies.tags.0);
        fm.categories.extend(taxonomies.categories.0);
        fm.authors.extend(taxonomies.authors.0);
        if !taxonomies.series.0.is_empty() && fm.series.is_none() {
            let location = fm.tags_at.unwrap_or_default();
            set_series(
                fm,
                Located {
                    value: taxonomies.series,
                    location,
                },
            );
        }
        if !taxonomies.other.is_empty() {
            fm.template_keys.push((
                "taxonomies".to_string(),
                serde_json::Value::Object(taxonomies.other),
            ));
        }
    }
}

/// `key` in lowercase, copied only when it has capitals.
fn lowercase(key: &str) -> std::borrow::Cow<'_, str> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(key.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(key)
    }
}

/// The first series of a list is the post's; the others are reported.
fn set_series(fm: &mut FrontMatter, series: Located<Texts>) {
    let mut names = series.value.0.into_iter();
    if let Some(first) = names.next() {
        fm.series = Some(Located {
            value: first,
            location: series.location,
        });
        fm.more_series = names.collect();
    }
}

/// Zola's `[taxonomies]` table.
#[derive(Debug, Default, Deserialize)]
struct Taxonomies {
    #[serde(default)]
    tags: Words,
    #[serde(default)]
    categories: Words,
    #[serde(default)]
    series: Texts,
    #[serde(default)]
    authors: Names,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}
