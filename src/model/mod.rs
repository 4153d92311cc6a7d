//! The site model, resolved from what was loaded: documents checked against the site, posts
//! in order, series, tags, and every page and URL. Pure.

pub(crate) mod author;
pub(crate) mod body;
pub(crate) mod cache;
pub(crate) mod date;
pub(crate) mod document;
pub(crate) mod front_matter;
pub(crate) mod limits;
pub(crate) mod loose;
pub(crate) mod post;
pub(crate) mod related;
pub(crate) mod resolve;
pub(crate) mod route;
pub(crate) mod series;
pub(crate) mod site;
pub(crate) mod term;
pub(crate) mod translation;
pub(crate) mod url;
