//! The archive: every published post, grouped by year and month, newest first, with the
//! count of each year. One page, linear in the number of posts.

use serde::Serialize;

use super::Renderer;
use super::site::PageMeta;
use crate::model::date::DateView;
use crate::model::route::Route;

#[derive(Debug, Clone, Serialize)]
pub(super) struct ArchiveContext<'a> {
    pub page: PageMeta,
    /// Every post the archive lists.
    pub total: usize,
    pub years: Vec<ArchiveYear<'a>>,
}

/// One year of posts, newest month first.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ArchiveYear<'a> {
    pub year: i16,
    pub count: usize,
    pub months: Vec<ArchiveMonth<'a>>,
}

/// One month of posts, newest first.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ArchiveMonth<'a> {
    /// `December`.
    pub name: String,
    /// `2024-12`: the month's anchor on the page.
    pub id: String,
    pub posts: Vec<ArchiveEntry<'a>>,
}

/// A post as the archive lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ArchiveEntry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: &'a DateView,
}

impl<'a> Renderer<'a> {
    pub(super) fn archive(&self) -> ArchiveContext<'a> {
        let site = self.site;
        let mut years: Vec<ArchiveYear<'a>> = Vec::new();
        // The posts are newest first: each post opens a year or a month, or joins the last.
        for post in &site.posts {
            let (year, month) = (post.date.year(), post.date.month());
            if years.last().is_none_or(|y| y.year != year) {
                years.push(ArchiveYear {
                    year,
                    count: 0,
                    months: Vec::new(),
                });
            }
            let Some(current) = years.last_mut() else {
                continue;
            };
            current.count += 1;
            let id = format!("{year:04}-{month:02}");
            if current.months.last().is_none_or(|m| m.id != id) {
                current.months.push(ArchiveMonth {
                    name: crate::model::date::month_name(&post.date, &site.config.language),
                    id,
                    posts: Vec::new(),
                });
            }
            if let Some(m) = current.months.last_mut() {
                m.posts.push(ArchiveEntry {
                    title: post.doc.link_title.as_deref().unwrap_or(&post.doc.title),
                    url: &post.url,
                    date: &post.date_view,
                });
            }
        }
        ArchiveContext {
            page: self.meta(
                "archive",
                self.say("archive", &[]),
                self.say("archive_description", &[("site", &site.config.title)]),
                &self.site.path(Route::Archive),
            ),
            total: site.posts.len(),
            years,
        }
    }
}
