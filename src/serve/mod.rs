//! Serving: the site kept in memory and rebuilt on every change, the HTTP server, live
//! reload and the file watcher.

pub(crate) mod live;
pub(crate) mod rebuilder;
pub(crate) mod reload;
pub(crate) mod server;
pub(crate) mod watch;
