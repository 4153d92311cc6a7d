//! `playpress check`: everything a build does except writing, and then every link (see
//! [`crate::check`]).

pub use crate::check::Report;
use crate::pipeline::BuildOptions;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Warnings count as errors.
    pub strict: bool,
}

/// Checks the site described by `options`.
pub fn run(options: &CheckOptions) -> Report {
    crate::check::run(&options.build)
}
