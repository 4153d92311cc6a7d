//! The commands of the `playpress` binary. Each returns its outcome; `main.rs` prints it
//! (`serve` prints as it goes: it runs until stopped).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

/// The site folder for a command run in `dir`: the nearest folder from `dir` up that holds a
/// `config.yaml`, as a path relative to `dir` (`.`, `..`, `../..`).
pub fn find_root(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    dir.ancestors()
        .position(|folder| folder.join(crate::load::config::CONFIG_FILE).is_file())
        .map(|up| match up {
            0 => std::path::PathBuf::from("."),
            n => std::iter::repeat_n("..", n).collect(),
        })
}

pub use crate::diagnostic::counted;

/// What the commands say of a site: the same figures, counted the same way, by `build`,
/// `serve` and `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages readers see (not feeds, sitemaps or redirects).
    pub pages: usize,
    pub posts: usize,
    pub series: usize,
    pub tags: usize,
    /// Standalone pages (about, privacy).
    pub standalone_pages: usize,
}

impl Counts {
    pub fn of(site: &crate::model::site::Site, manifest: &crate::pipeline::plan::Manifest) -> Self {
        Self {
            pages: manifest.page_count(),
            posts: site.posts.len(),
            series: site.series.len(),
            tags: site.tags.len(),
            standalone_pages: site.pages.len(),
        }
    }

    /// `27 pages (13 posts, 1 series, 12 tags, 2 pages)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}, {}, {}, {})",
            counted(self.pages, "page", "pages"),
            counted(self.posts, "post", "posts"),
            counted(self.series, "series", "series"),
            counted(self.tags, "tag", "tags"),
            counted(self.standalone_pages, "page", "pages"),
        )
    }
}
