//! The site model, resolved from what was loaded: documents checked against the site, posts
//! in order, series, tags, and every page and URL. Pure.

pub mod cache;
pub mod date;
pub mod document;
pub mod front_matter;
pub mod limits;
pub mod post;
pub mod resolve;
pub mod route;
pub mod series;
pub mod site;
pub mod tag;
pub mod url;
