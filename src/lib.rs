//! playpress: a static blog generator with first-class series.
//!
//! The pipeline runs one way: load (config, content, templates) -> resolve (the site model)
//! -> plan -> render each file -> a sink (the staging folder of a build, the output a server
//! changes in place, the link checker). Only load and write touch the disk. ARCHITECTURE.md
//! shows the folders and the direction of imports.
//!
//! The public API is what the binary, the tests, the benchmarks and the fuzz targets use:
//! the commands ([`cmd`]), the presentation of problems ([`diagnostic`], [`terminal`]), and
//! the entry points of the stages re-exported below.
#![warn(unreachable_pub)]

mod check;
pub mod cmd;
pub mod diagnostic;
mod load;
mod markdown;
mod model;
mod picture;
mod pipeline;
mod render;
mod seal;
mod search;
mod serve;
pub mod terminal;
mod write;

pub use load::config::{Config, Footer, HighlightConfig};
pub use load::content::{SourceFile, normalize};
pub use markdown::highlight::{Highlighter, LineCache};
pub use markdown::{Outline, html as markdown_html, outline as markdown_outline};
pub use model::cache::Counts as DocumentCounts;
pub use model::document::{Document, Kind, parse_document};
pub use model::route::Route;
pub use picture::maker::MadeCounts;
pub use render::Renderer;
pub use serve::live::{Changes, LiveSite, Rebuilt};
pub use write::{Holder, OutputLock};
