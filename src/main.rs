//! The `playpress` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use playpress::cmd::build::{self, BuildOptions};
use playpress::cmd::check::{self, CheckOptions};
use playpress::cmd::init;
use playpress::cmd::new::{self, NewOptions};
use playpress::cmd::serve::{self, ServeOptions};
use playpress::terminal;

/// jemalloc instead of the system allocator: a build keeps every post's text while it
/// renders, and glibc's malloc grows slower as that heap grows (a 100,000-post build took
/// 1.45x as long; see bench/RESULTS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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

/// What every command that builds the site takes.
#[derive(Debug, Args)]
struct SiteArgs {
    /// The site folder (with config.yaml and content/) [default: the nearest folder with a
    /// config.yaml, from the current one up].
    #[arg(long)]
    root: Option<PathBuf>,
    /// Override base_url from config.yaml, e.g. for a preview deploy.
    #[arg(long)]
    base_url: Option<String>,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    future: bool,
}

impl SiteArgs {
    fn options(self, output: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            output,
            base_url: self.base_url,
            drafts: self.drafts,
            future: self.future,
            ..BuildOptions::new(site_root(self.root))
        }
    }
}

/// The site folder: `--root` as given, else the nearest folder from the current one up that
/// holds a `config.yaml` (as git and cargo find their roots), said when it is not the current
/// one. With none anywhere, the current folder, whose missing config.yaml is then reported.
fn site_root(given: Option<PathBuf>) -> PathBuf {
    if let Some(root) = given {
        return root;
    }
    let found = std::env::current_dir()
        .ok()
        .and_then(|cwd| playpress::cmd::find_root(&cwd));
    match found {
        Some(relative) if relative != std::path::Path::new(".") => {
            terminal::report(&format!(
                "note: using the site in {} (the nearest folder with a config.yaml)",
                shown(&relative)
            ));
            relative
        }
        _ => PathBuf::from("."),
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output directory (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use an output folder playpress did not write, deleting what it holds (a .git in it
        /// is kept).
        #[arg(long)]
        output_overwrite: bool,
        /// Make every internal link relative, so the site works from any path or from disk.
        #[arg(long)]
        relative: bool,
        /// Neither read nor write the code cache (.playpress-cache/).
        #[arg(long)]
        no_cache: bool,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it locally and rebuild it on every change, reloading the browser.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use an output folder playpress did not write, deleting what it holds (a .git in it
        /// is kept).
        #[arg(long)]
        output_overwrite: bool,
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
    /// Write a new post (or page) with its front matter filled in, and print its path.
    New {
        /// The title of the post.
        title: String,
        /// Add the post to this series, as its next part.
        #[arg(long, conflicts_with = "page")]
        series: Option<String>,
        /// Tags, separated by commas: --tags rust,web
        #[arg(long, value_delimiter = ',', conflicts_with = "page")]
        tags: Vec<String>,
        /// Write a standalone page in content/pages/ instead of a post.
        #[arg(long)]
        page: bool,
        /// Write the post as a draft (`draft: true`): builds leave it out until you remove it.
        #[arg(long, conflicts_with = "page")]
        draft: bool,
        /// The site folder (with config.yaml and content/) [default: the nearest folder with a
        /// config.yaml, from the current one up].
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Check the site without writing it: everything a build checks, plus links and anchors.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors (exit with 1 when there are any).
        #[arg(long)]
        strict: bool,
    },
    /// Create a new site in DIR (default: the current folder), which must be empty.
    Init {
        /// The folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the completion script of a shell, e.g. `playpress completions bash >
    /// ~/.local/share/bash-completion/completions/playpress`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(error) => failed(&error),
    }
}

/// The one place an error is printed, and the exit code it gives.
fn failed(error: &dyn std::fmt::Display) -> ExitCode {
    terminal::report(&error.to_string());
    ExitCode::from(1)
}

type Failure = Box<dyn std::error::Error>;

/// Runs one command; what it prints is its own, a failure is printed by [`failed`].
fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Build {
            site,
            output,
            output_overwrite,
            relative,
            no_cache,
            timings,
        } => build_site(
            BuildOptions {
                relative,
                no_cache,
                output_overwrite,
                ..site.options(output)
            },
            timings,
        ),
        Command::Serve {
            site,
            output,
            output_overwrite,
            port,
            bind,
            open,
        } => {
            let options = ServeOptions {
                build: BuildOptions {
                    output_overwrite,
                    ..site.options(output)
                },
                bind,
                port,
                open,
            };
            serve::run(options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            title,
            series,
            tags,
            page,
            draft,
            root,
        } => {
            let options = NewOptions {
                root: site_root(root),
                title,
                series,
                tags,
                page,
                draft,
            };
            println!("{}", shown(&new::run(&options)?));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { site, strict } => Ok(check_site(&CheckOptions {
            build: site.options(None),
            strict,
        })),
        Command::Completions { shell } => {
            // Made in memory first: the generator panics when its writer fails (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "playpress", &mut script);
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &script);
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => init_site(&dir),
    }
}

fn build_site(options: BuildOptions, timings: bool) -> Result<ExitCode, Failure> {
    let outcome = build::run(&options);
    for warning in &outcome.warnings {
        terminal::report(&format!("{warning}\n"));
    }
    let summary = outcome.result?;
    if timings {
        println!("{}", summary.timings.report());
    }
    println!("{}", summary.line(&options.output_dir()));
    Ok(ExitCode::SUCCESS)
}

/// `check` prints what it found on standard output, as its result; it fails when it found
/// an error (or, with --strict, a warning).
fn check_site(options: &CheckOptions) -> ExitCode {
    let report = check::run(options);
    for text in &report.fatal {
        println!("{text}\n");
    }
    for problem in &report.problems {
        println!("{problem}\n");
    }
    println!("{}", report.summary(options.strict));
    if report.failed(options.strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn init_site(dir: &std::path::Path) -> Result<ExitCode, Failure> {
    let files = init::run(dir)?;
    let shown_dir = shown(dir);
    println!("created a new site in {shown_dir}/:");
    for file in files {
        println!("  {}", file.display());
    }
    if dir == std::path::Path::new(".") {
        println!("next: playpress serve");
    } else {
        println!("next: cd {shown_dir} && playpress serve");
    }
    Ok(ExitCode::SUCCESS)
}

/// A path as the user would type it: without a leading `./` or a trailing `/`.
fn shown(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let text = text.strip_prefix("./").unwrap_or(&text);
    match text.trim_end_matches('/') {
        "" => ".".to_string(),
        t => t.to_string(),
    }
}
