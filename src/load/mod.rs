//! Load: the only stage that reads the site from disk: `config.yaml`, the content folder and
//! the theme (templates and static files).

pub mod config;
pub mod content;
pub mod theme;
pub mod url;
pub mod yaml;
