//! The pipeline: the plan of every output file, and the loop that renders or keeps each.

pub mod plan;
