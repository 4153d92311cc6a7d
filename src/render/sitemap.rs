//! The sitemap (whole, or one part of it and the index of the parts) and robots.txt.

use serde::Serialize;

use crate::model::route::{Route, SITEMAP};

use super::Renderer;

/// One URL in a sitemap.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SitemapUrl {
    pub loc: String,
    /// RFC 3339.
    pub lastmod: Option<String>,
}

/// What `sitemap.xml` (or one part of it) and `sitemap_index.xml` see.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SitemapContext {
    pub urls: Vec<SitemapUrl>,
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
                .map(|r| SitemapUrl {
                    loc: self.site.permalink(r),
                    lastmod: self.site.last_modified_iso(r),
                })
                .collect(),
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
                })
                .collect(),
        }
    }

    pub(super) fn robots(&self) -> RobotsContext {
        RobotsContext {
            sitemap_url: self.site.config.base_url.permalink(SITEMAP),
        }
    }
}
