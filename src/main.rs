//! The `playpress` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use playpress::cmd::build::{self, BuildOptions};

#[derive(Debug, Parser)]
#[command(
    name = "playpress",
    version,
    about = "A static blog generator with first-class series"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output directory (public/ by default).
    Build {
        /// The site folder (with config.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.yaml, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
        /// Include posts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include posts dated in the future.
        #[arg(long)]
        future: bool,
        /// Make every internal link relative, so the site works from any path or from disk.
        #[arg(long)]
        relative: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            relative,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
                relative,
            };
            let outcome = build::run(&options);
            for warning in &outcome.warnings {
                eprintln!("{warning}\n");
            }
            match outcome.result {
                Ok(summary) => {
                    println!("{}", summary.line(&options.output_dir()));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
