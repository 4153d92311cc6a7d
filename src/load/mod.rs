//! Load: the only stage that reads the site from disk: `config.yaml`, the content folder and
//! the theme (templates and static files).

pub(crate) mod assets;
pub(crate) mod authors;
pub(crate) mod components;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod kept;
pub(crate) mod language;
pub(crate) mod languages;
pub(crate) mod pictures;
pub(crate) mod strings;
pub(crate) mod theme;
pub(crate) mod url;
pub(crate) mod yaml;
