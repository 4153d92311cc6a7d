//! Checking links: what rendered pages link to, and where a broken link was written.

pub mod links;
