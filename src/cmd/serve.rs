//! `playpress serve`: builds the site, serves it on a local port and rebuilds it after every
//! change, telling the browsers to reload. A rebuild that fails keeps the last good site
//! served, with the error shown over it and in the terminal, until the file is fixed.

use std::collections::HashSet;
use std::io::{ErrorKind, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use futures_util::future::{self, Either};

use thiserror::Error;

use crate::cmd::build::{BuildError, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::load::config::{CONFIG_FILE, Config};
use crate::serve::live::{Changes, LiveSite};
use crate::serve::rebuilder::{print_warnings, rebuild_loop};
use crate::serve::server::{self, Hosts, ServerState, Status};
use crate::serve::watch::{WatchError, Watcher};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// Address to listen on; loopback unless told otherwise.
    pub bind: IpAddr,
    /// Port; 0 lets the system choose a free one.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    #[error("{0}")]
    Build(#[from] BuildError),
    #[error("{}", Diagnostic::general(format!("cannot listen on {addr}: {reason}")).with_hint(hint.clone()))]
    Listen {
        addr: SocketAddr,
        reason: String,
        hint: String,
    },
    #[error("{0}")]
    Watch(#[from] WatchError),
    #[error("{}", Diagnostic::general(format!("the server stopped: {}", .0)).with_hint("start it again; if it stops again, the message above says why"))]
    Server(std::io::Error),
}

/// Serves until interrupted (Ctrl-C).
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .build
        .root
        .canonicalize()
        .map_err(|_| missing_config(&options.build.root))?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(missing_config(&options.build.root));
    }
    let output = std::path::absolute(options.build.output_dir())
        .unwrap_or_else(|_| options.build.output_dir());
    let build = BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        ..options.build.clone()
    };
    // Before the first build, which takes seconds on a big site: a busy port is told at once.
    let listener = listen(SocketAddr::new(options.bind, options.port))?;
    let local = listener.local_addr().map_err(ServeError::Server)?;

    let (sender, changes) = mpsc::channel();
    let watcher = Watcher::start(&root, &output, sender)?;
    let mut live = LiveSite::new(build);
    let (warnings, first) = live.rebuild(&Changes::everything());
    print_warnings(&warnings, &mut HashSet::new());
    let error = match first {
        Ok(built) => {
            println!(
                "built {} in {} ms -> {}/",
                built.counts.describe(),
                built.elapsed.as_millis(),
                shown(&options.build.output_dir())
            );
            None
        }
        // Nothing can be served from an output that cannot be written.
        Err(BuildError::Output(e)) => return Err(ServeError::Build(BuildError::Output(e))),
        Err(e) => {
            crate::terminal::report(&format!("{e}\n"));
            println!("the first build failed: fix the error and save, the site builds by itself");
            Some(e.to_string())
        }
    };
    let base_path = live.base_path().unwrap_or("/").to_string();
    let state = Arc::new(ServerState::new(
        output,
        Status {
            base_path: base_path.clone(),
            error,
        },
    ));
    let rebuild_state = Arc::clone(&state);
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let rebuilder = std::thread::Builder::new()
        .name("playpress rebuild".to_string())
        .spawn(move || rebuild_loop(live, watcher, &changes, &rebuild_state, warnings, &stopped))
        .map_err(ServeError::Server)?;

    let open = options.open;
    let announced = move || announce(local, &base_path, open);
    let hosts = Hosts::listening_on(local.ip(), local.port());
    let served = serve_until_interrupted(listener, server::router(state, hosts), announced);
    // Let a rebuild under way finish and the output's manifest be written before exiting,
    // so the next build or serve finds the output as it is.
    stop.store(true, Ordering::Relaxed);
    let _ = rebuilder.join();
    served
}

/// Takes the port, saying what to do when it cannot.
fn listen(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    let listener = TcpListener::bind(addr)
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener));
    listener.map_err(|source| {
        let (reason, hint) = match source.kind() {
            ErrorKind::AddrInUse => (
                "another program already uses this port".to_string(),
                format!(
                    "pass another port, e.g. --port {}, or --port 0 for any free port",
                    addr.port().checked_add(1).unwrap_or(1111)
                ),
            ),
            ErrorKind::PermissionDenied if addr.port() < 1024 => (
                source.to_string(),
                "ports below 1024 need administrator rights: pass another one, e.g. --port 1111, or --port 0 for any free port".to_string(),
            ),
            _ => (
                source.to_string(),
                "check the --bind address belongs to this machine".to_string(),
            ),
        };
        ServeError::Listen { addr, reason, hint }
    })
}

/// Prints where the site is served (and warns when other machines can reach it), and
/// opens it in a browser when asked.
fn announce(local: SocketAddr, base_path: &str, open: bool) {
    if let Some(warning) = exposure_warning(local.ip()) {
        crate::terminal::report(&format!("{warning}\n"));
    }
    let (url, here) = urls(local, base_path);
    match &here {
        Some(here) => println!("serving {url} (on this machine: {here}; press Ctrl-C to stop)"),
        None => println!("serving {url} (press Ctrl-C to stop)"),
    }
    let _ = std::io::stdout().flush();
    if open {
        open_browser(here.as_deref().unwrap_or(&url));
    }
}

/// Serves on `listener` until Ctrl-C or SIGTERM. `announce` runs once both are caught, so a
/// signal sent as soon as the site is announced stops it cleanly.
fn serve_until_interrupted(
    listener: TcpListener,
    router: axum::Router,
    announce: impl FnOnce(),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let interrupts = Interrupts::catch()?;
        announce();
        let server = server::serve_connections(listener, router);
        // Not a graceful shutdown: it would wait for the browsers' event streams, which
        // never end. Stopping drops every connection.
        match future::select(Box::pin(server), Box::pin(interrupts.wait())).await {
            Either::Left(((), _)) => Ok(()),
            Either::Right((interrupted, _)) => interrupted,
        }
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    served.map_err(ServeError::Server)
}

/// Ctrl-C (SIGINT) and, on Unix, SIGTERM (`kill PID`), caught from the moment it is made.
struct Interrupts {
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl Interrupts {
    fn catch() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                signals: (
                    signal(SignalKind::interrupt())?,
                    signal(SignalKind::terminate())?,
                ),
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// Resolves at the first of them.
    async fn wait(self) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            let (mut interrupt, mut terminate) = self.signals;
            future::select(Box::pin(interrupt.recv()), Box::pin(terminate.recv())).await;
            Ok(())
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    }
}

fn missing_config(root: &Path) -> ServeError {
    let path = root.join(CONFIG_FILE);
    match Config::load(root) {
        Err(e) => ServeError::Build(BuildError::Config(e)),
        Ok(_) => ServeError::Build(BuildError::Output(crate::write::OutputError::Refused {
            path,
            reason: "the site folder cannot be read",
        })),
    }
}

/// The URL of the address listened on, and when that is every interface, the one to open on
/// this machine.
fn urls(local: SocketAddr, base_path: &str) -> (String, Option<String>) {
    let at = |ip: IpAddr| format!("http://{}{base_path}", SocketAddr::new(ip, local.port()));
    let here = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => Some(at(Ipv4Addr::LOCALHOST.into())),
        IpAddr::V6(ip) if ip.is_unspecified() => Some(at(Ipv6Addr::LOCALHOST.into())),
        _ => None,
    };
    (at(local.ip()), here)
}

/// The warning for an address other machines can reach, or `None` for a loopback one.
fn exposure_warning(ip: IpAddr) -> Option<String> {
    if server::is_loopback(ip) {
        return None;
    }
    let why = if ip.is_unspecified() {
        format!("--bind {ip} listens on every network interface")
    } else {
        format!("--bind {ip} is not a loopback address")
    };
    Some(format!(
        "warning: other machines can open the site: {why}\n  = help: to keep it on this machine, leave out --bind (the default is 127.0.0.1)"
    ))
}

fn shown(path: &Path) -> String {
    path.display()
        .to_string()
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

/// Opens `url` in the default browser; a failure is only reported.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        crate::terminal::report(&format!(
            "warning: cannot open a browser: {e}\n  = help: open {url} yourself"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_address_listened_on() {
        let urls_of = |addr: &str, base: &str| urls(addr.parse().unwrap(), base);
        assert_eq!(
            urls_of("0.0.0.0:1111", "/blog/"),
            (
                "http://0.0.0.0:1111/blog/".to_string(),
                Some("http://127.0.0.1:1111/blog/".to_string())
            )
        );
        assert_eq!(
            urls_of("[::]:1111", "/"),
            (
                "http://[::]:1111/".to_string(),
                Some("http://[::1]:1111/".to_string())
            )
        );
        assert_eq!(
            urls_of("[::1]:8080", "/"),
            ("http://[::1]:8080/".to_string(), None)
        );
        assert_eq!(
            urls_of("192.168.1.5:1111", "/"),
            ("http://192.168.1.5:1111/".to_string(), None)
        );
    }

    #[test]
    fn addresses_other_machines_reach_are_warned_about() {
        let warning = |ip: &str| exposure_warning(ip.parse().unwrap());
        let help =
            "\n  = help: to keep it on this machine, leave out --bind (the default is 127.0.0.1)";
        assert_eq!(
            warning("::").unwrap(),
            format!(
                "warning: other machines can open the site: --bind :: listens on every network interface{help}"
            )
        );
        assert_eq!(
            warning("192.168.1.5").unwrap(),
            format!(
                "warning: other machines can open the site: --bind 192.168.1.5 is not a loopback address{help}"
            )
        );
        assert_eq!(
            warning("fd00::2").unwrap(),
            format!(
                "warning: other machines can open the site: --bind fd00::2 is not a loopback address{help}"
            )
        );
        for local in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            assert_eq!(warning(local), None, "{local}");
        }
    }
}
