//! playpress: a static blog generator with first-class series.
//!
//! The pipeline runs one way: load (config, content, templates) -> resolve (the site model)
//! -> render (one page and the templates give bytes) -> write (into a staging directory that
//! is swapped in at the end). Only loading and writing touch the disk.

pub mod cache;
pub mod cmd;
pub mod code_cache;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod feed;
pub mod fingerprint;
pub mod front_matter;
pub mod highlight;
pub mod limits;
pub mod link;
pub mod live;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod post;
pub mod reload;
pub mod render;
pub mod series;
pub mod server;
pub mod site;
pub mod tag;
pub mod terminal;
pub mod theme;
pub mod url;
pub mod watch;
pub mod yaml;
