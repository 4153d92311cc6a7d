//! The `playpress` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use playpress::cmd::build::{self, BuildOptions};
use playpress::cmd::serve::{self, ServeOptions};

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
    },
    /// Build the site, serve it locally and rebuild it on every change, reloading the browser.
    Serve {
        /// The site folder (with config.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include posts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include posts dated in the future.
        #[arg(long)]
        future: bool,
        /// Port to listen on (0: any free port; the URL is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; other machines can connect only if it is not a loopback one.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
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
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
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
        Command::Serve {
            root,
            output,
            base_url,
            drafts,
            future,
            port,
            bind,
            open,
        } => {
            let options = ServeOptions {
                build: BuildOptions {
                    root,
                    output,
                    base_url,
                    drafts,
                    future,
                },
                bind,
                port,
                open,
            };
            match serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
