//! Serving: the site kept in memory and rebuilt on every change, the HTTP server, live
//! reload and the file watcher.

pub mod live;
pub mod reload;
pub mod server;
pub mod watch;
