//! The list of every series, and each series' page with its parts in reading order.

use serde::Serialize;

use crate::markdown::highlight::LineCache;
use crate::model::date::DateView;
use crate::model::route::{FeedScope, Route};

use super::site::{Card, PageMeta};
use super::{BodyOf, Renderer};

#[derive(Debug, Clone, Serialize)]
pub(super) struct SeriesCard<'a> {
    pub title: &'a str,
    pub url: String,
    /// Published parts.
    pub count: usize,
    /// Published and announced parts.
    pub total: usize,
    pub upcoming: Vec<usize>,
    /// The parts published in the default language only (a site in several languages).
    pub elsewhere: &'a [crate::model::series::Elsewhere],
    pub description: Option<&'a str>,
    pub description_html: Option<String>,
    pub first: Option<DateView>,
    pub last: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct SeriesListContext<'a> {
    pub page: PageMeta,
    pub series: Vec<SeriesCard<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct SeriesContext<'a> {
    pub page: PageMeta,
    pub series: SeriesCard<'a>,
    /// The parts in reading order.
    pub posts: Vec<Card<'a>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn series_list(&self, lines: &mut LineCache, bodies: bool) -> SeriesListContext<'a> {
        SeriesListContext {
            page: self.meta(
                "series_list",
                self.say("series", &[]),
                self.say("series_description", &[("site", &self.site.config.title)]),
                &self.site.path(Route::SeriesList),
            ),
            series: (0..self.site.series.len())
                .map(|s| self.series_card(s, lines, bodies))
                .collect(),
        }
    }

    pub(super) fn series_page(
        &self,
        i: usize,
        lines: &mut LineCache,
        bodies: bool,
    ) -> SeriesContext<'a> {
        let series = &self.site.series[i];
        let mut page = self.meta(
            "series",
            series.title.clone(),
            series.description_text.clone().unwrap_or_else(|| {
                self.say("series_parts_description", &[("series", &series.title)])
            }),
            &series.path,
        );
        page.feed = self.feed_link(
            format!("{}: {} (Atom)", self.site.config.title, series.title),
            &self.site.path(Route::Atom(FeedScope::Series(i))),
        );
        SeriesContext {
            page,
            series: self.series_card(i, lines, bodies),
            posts: series.parts.iter().map(|&p| self.card(p, bodies)).collect(),
        }
    }

    pub(super) fn series_card(
        &self,
        index: usize,
        lines: &mut LineCache,
        bodies: bool,
    ) -> SeriesCard<'a> {
        let series = &self.site.series[index];
        let date = |i: Option<&usize>| i.map(|&p| self.site.posts[p].date_view.clone());
        SeriesCard {
            title: &series.title,
            url: series.url.clone(),
            count: series.parts.len(),
            total: series.total(),
            upcoming: series.upcoming().collect(),
            elsewhere: &series.elsewhere,
            description: series.description_text.as_deref(),
            description_html: series
                .description
                .as_ref()
                .map(|_| self.body(BodyOf::Series(index), lines, bodies)),
            first: date(series.parts.first()),
            last: date(series.parts.last()),
        }
    }
}
