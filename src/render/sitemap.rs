//! The sitemap (whole, or one part of it and the index of the parts) and robots.txt. Its URLs
//! are percent-encoded, as the sitemap protocol asks (a page whose slug is `關於` is listed as
//! `/%E9%97%9C%E6%96%BC/`).

use serde::Serialize;

use crate::model::route::{Route, SITEMAP};

use super::Renderer;

use crate::picture::valid_url;

/// One URL in a sitemap.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SitemapUrl {
    pub loc: String,
    /// RFC 3339.
    pub lastmod: Option<String>,
    /// The page in each language it is written in (this one's included), when it is in more
    /// than one: `xhtml:link` alternates.
    pub alternates: Vec<super::languages::LanguageLink>,
    /// The page in the default language, for `hreflang="x-default"`.
    pub x_default: Option<String>,
}

/// What `sitemap.xml` (or one part of it) and `sitemap_index.xml` see.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SitemapContext {
    pub urls: Vec<SitemapUrl>,
    /// The site is in more than one language: its URLs may have `xhtml:link` alternates.
    pub multilingual: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct RobotsContext {
    pub sitemap_url: String,
}

impl Renderer<'_> {
    pub(super) fn sitemap(&self, part: usize) -> SitemapContext {
        SitemapContext {
            urls: self
                .site
                .sitemap_part(part)
                .into_iter()
                .map(|(lang, r)| {
                    let renderer = self.language(lang);
                    let site = renderer.site;
                    let document = matches!(r, Route::Post(_) | Route::Page(_));
                    let (mut alternates, x_default) =
                        renderer.language_links(&site.path(r), document);
                    alternates.retain(|l| l.href.is_some());
                    if alternates.len() < 2 {
                        alternates.clear();
                    }
                    for link in &mut alternates {
                        link.href = link.href.take().map(valid_url);
                    }
                    SitemapUrl {
                        loc: valid_url(site.permalink(r)),
                        lastmod: site.last_modified_iso(r),
                        x_default: x_default.filter(|_| !alternates.is_empty()).map(valid_url),
                        alternates,
                    }
                })
                .collect(),
            multilingual: self.site.translations.is_multilingual(),
        }
    }

    pub(super) fn sitemap_index(&self) -> SitemapContext {
        SitemapContext {
            urls: (1..=self.site.sitemap_count())
                .map(|part| SitemapUrl {
                    loc: self
                        .site
                        .config
                        .base_url
                        .permalink(&self.site.path(Route::Sitemap { part })),
                    lastmod: None,
                    alternates: Vec::new(),
                    x_default: None,
                })
                .collect(),
            multilingual: false,
        }
    }

    pub(super) fn robots(&self) -> RobotsContext {
        RobotsContext {
            sitemap_url: self.site.config.base_url.permalink(SITEMAP),
        }
    }
}
