//! playpress: a static blog generator with first-class series.
//!
//! The pipeline runs one way: load (config, content, templates) -> resolve (the site model)
//! -> render (one page and the templates give bytes) -> write (into a staging directory that
//! is swapped in at the end). Only loading and writing touch the disk. ARCHITECTURE.md shows
//! the folders and the direction of imports.

pub mod check;
pub mod cmd;
pub mod diagnostic;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod terminal;
pub mod write;
