//! The commands of the `playpress` binary. Each returns its outcome; `main.rs` prints it
//! (`serve` prints as it goes: it runs until stopped).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
