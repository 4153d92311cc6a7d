//! The commands of the `playpress` binary. Each returns its outcome; `main.rs` prints it.

pub mod build;
