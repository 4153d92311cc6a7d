//! The commands of the `playpress` binary. Each returns its outcome; `main.rs` prints it
//! (`serve` prints as it goes: it runs until stopped).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

/// `n` with the noun that fits it, for the lines the commands print: "1 page", "3 pages".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
