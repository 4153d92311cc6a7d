//! The HTTP server of `playpress serve` (axum, tower-http): serves the files of the output
//! directory under the site's base path, with the live-reload script (and the error overlay
//! after a failed rebuild) added to HTML responses, and the live-reload events.
//!
//! Only files really inside the output are served: a request path is decoded segment by
//! segment, and `..`, `.`, empty segments, encoded slashes or backslashes, NUL and drive
//! prefixes are refused; the file found is resolved (symbolic links followed) and must still
//! be inside the output. Everything else gets the site's 404 page.
//!
//! While it listens on a loopback address, the server answers only requests for this
//! machine's names (see [`Hosts`]), and every connection must send its request headers
//! within [`HEADER_TIMEOUT`].

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, Version, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use percent_encoding::percent_decode_str;
use tokio::sync::{Semaphore, broadcast};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::serve::reload::{self, EVENTS_PATH, LiveEvent};

/// What the server shows: where the output is, under which path, and the current error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Status {
    /// The site's base path, `/` or `/blog/`.
    pub base_path: String,
    /// The error of the last rebuild, when it failed.
    pub error: Option<String>,
}

/// State shared by the request handlers and the rebuild loop.
pub(crate) struct ServerState {
    output: PathBuf,
    status: RwLock<Status>,
    events: broadcast::Sender<LiveEvent>,
}

impl ServerState {
    pub(crate) fn new(output: PathBuf, status: Status) -> Self {
        let (events, _) = broadcast::channel(64);
        Self {
            output,
            status: RwLock::new(status),
            events,
        }
    }

    pub(crate) fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets what pages show from now on and tells the browsers.
    pub(crate) fn update(&self, status: Status, event: LiveEvent) {
        *self.status.write().unwrap_or_else(PoisonError::into_inner) = status;
        // No browser listening is fine.
        let _ = self.events.send(event);
    }
}

/// Where a request path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file inside the output (its real path).
    File(PathBuf),
    /// A folder asked for without its trailing slash, or the site root outside its base path.
    Redirect(String),
    NotFound,
}

/// One decoded path segment that names a file or folder by itself, or `None`.
fn segment(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains(['/', '\\', '\0']) {
        return None;
    }
    let mut parts = Path::new(decoded.as_ref()).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Some(decoded.into_owned()),
        _ => None,
    }
}

/// Finds the file for `request_path` (as sent, still percent-encoded) in `output`, for a site
/// under `base_path`.
pub(crate) fn resolve(output: &Path, base_path: &str, request_path: &str) -> Resolved {
    if base_path != "/" && (request_path == "/" || request_path == base_path.trim_end_matches('/'))
    {
        return Resolved::Redirect(base_path.to_string());
    }
    let Some(rest) = request_path.strip_prefix(base_path) else {
        return Resolved::NotFound;
    };
    let raw: Vec<&str> = rest.split('/').collect();
    let mut path = output.to_path_buf();
    for (i, part) in raw.iter().enumerate() {
        if part.is_empty() && i + 1 == raw.len() {
            continue;
        }
        match segment(part) {
            Some(name) => path.push(name),
            None => return Resolved::NotFound,
        }
    }
    let wants_folder = rest.is_empty() || rest.ends_with('/');
    if wants_folder {
        path.push("index.html");
    }
    let (Ok(real), Ok(real_output)) = (path.canonicalize(), output.canonicalize()) else {
        return Resolved::NotFound;
    };
    if !real.starts_with(&real_output) {
        return Resolved::NotFound;
    }
    if real.is_file() {
        Resolved::File(real)
    } else if real.is_dir() && !wants_folder {
        Resolved::Redirect(format!("{request_path}/"))
    } else {
        Resolved::NotFound
    }
}

/// Which host names the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hosts {
    /// Only this machine's (`localhost`, `127.0.0.1`, `[::1]`), while listening on a loopback
    /// address at `port`: a web page elsewhere whose name was made to lead to 127.0.0.1 (DNS
    /// rebinding) cannot read the site through the browser.
    Local { port: u16 },
    /// Any: the server listens on an address other machines reach, as the user chose.
    Any,
}

impl Hosts {
    /// What a server listening on `ip` at `port` answers.
    pub(crate) fn listening_on(ip: IpAddr, port: u16) -> Self {
        if is_loopback(ip) {
            Self::Local { port }
        } else {
            Self::Any
        }
    }
}

/// Whether only this machine can reach `ip` (IPv4-mapped IPv6 addresses count as IPv4).
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Whether `host` (a Host header or the authority of a request target) names this machine:
/// `localhost` (or `localhost.`), a loopback IPv4 address or a bracketed loopback IPv6
/// address, with a port or none, in any case.
fn is_local_host(host: &str) -> bool {
    let (name, port) = match host.rfind(':') {
        Some(at) if !host[at..].contains(']') => (&host[..at], &host[at + 1..]),
        _ => (host, ""),
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name == "localhost." {
        return true;
    }
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback()),
        None => name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback()),
    }
}

/// The answer to a request that names no host of this machine, or `None` to serve it.
fn host_refusal<B>(request: &axum::http::Request<B>, port: u16) -> Option<Response> {
    let hosts: Vec<&[u8]> = request
        .uri()
        .authority()
        .map(|a| a.as_str().as_bytes())
        .into_iter()
        .chain(
            request
                .headers()
                .get_all(header::HOST)
                .iter()
                .map(HeaderValue::as_bytes),
        )
        .collect();
    let text = |code: StatusCode, body: String| {
        let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        Some((code, content_type, body).into_response())
    };
    if hosts.is_empty() {
        // HTTP/1.0 has no Host header, and simple tools still send such requests. They are
        // answered: a browser always sends the Host, so a rebinding page cannot go this way.
        if matches!(request.version(), Version::HTTP_09 | Version::HTTP_10) {
            return None;
        }
        let body = "playpress serve needs the Host header in HTTP/1.1 requests.\n";
        return text(StatusCode::BAD_REQUEST, body.to_string());
    }
    let host = String::from_utf8_lossy(
        hosts
            .into_iter()
            .find(|h| !std::str::from_utf8(h).is_ok_and(is_local_host))?,
    );
    text(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "playpress serve answers only requests for localhost, 127.0.0.1 or [::1], not for {host:?}: this keeps other web sites from reading it (DNS rebinding).\nOpen the site at http://localhost:{port}/ or http://127.0.0.1:{port}/ instead.\n"
        ),
    )
}

async fn check_host(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    if let Hosts::Local { port } = hosts
        && let Some(refusal) = host_refusal(&request, port)
    {
        return refusal;
    }
    next.run(request).await
}

/// How long a client may take to send the headers of a request (or, between requests, to
/// start the next one): a client sending them slowly to hold the connection is cut off.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections served at once (a browser opens about six); more wait to be accepted.
const MAX_CONNECTIONS: usize = 256;

/// Accepts connections on `listener` and serves `router` on each (HTTP/1), forever: stop it
/// by dropping the future. The live-reload event stream is a response that never ends, so
/// there is no time limit on responses, only on request headers.
pub(crate) async fn serve_connections(listener: tokio::net::TcpListener, router: Router) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    loop {
        // Never closed, so never an error.
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                accept_failed(&e).await;
                continue;
            }
        };
        // Events go out as soon as they are written.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            // A client that goes away or is too slow is no error of the server's.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// After a failed accept: a connection reset before it was accepted is only skipped; other
/// errors (such as too many open files) are waited out, as they may pass.
async fn accept_failed(error: &std::io::Error) {
    use std::io::ErrorKind;
    if !matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The router: events, and every other path from the output, for the `hosts` given.
pub(crate) fn router(state: Arc<ServerState>, hosts: Hosts) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(serve)
        .with_state(state)
        .layer(middleware::from_fn_with_state(hosts, check_host))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

async fn events(
    State(state): State<Arc<ServerState>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let mut first = vec![Event::default().event("ready").data("ready")];
    if let Some(error) = state.status().error {
        let failed = LiveEvent::Failed(error);
        first.push(Event::default().event(failed.name()).data(failed.data()));
    }
    let later = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(event) => event,
            // Missed some: whatever they were, a reload shows the site as it is now.
            Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent::Reload,
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((
            Event::default().event(event.name()).data(event.data()),
            receiver,
        ))
    });
    Sse::new(stream::iter(first).chain(later).map(Ok)).keep_alive(KeepAlive::default())
}

async fn serve(State(state): State<Arc<ServerState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let status = state.status();
    match resolve(&state.output, &status.base_path, uri.path()) {
        Resolved::File(path) => match file_response(&path, &status, StatusCode::OK).await {
            Some(response) => response,
            None => not_found(&state, &status).await,
        },
        Resolved::Redirect(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Resolved::NotFound => not_found(&state, &status).await,
    }
}

/// The content type of a file, by its extension; text in UTF-8.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "image/svg+xml"
        );
    if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

async fn file_response(path: &Path, status: &Status, code: StatusCode) -> Option<Response> {
    let bytes = tokio::fs::read(path).await.ok()?;
    let content_type = content_type(path);
    let body = if is_html(path) {
        let html = String::from_utf8_lossy(&bytes);
        reload::inject(&html, status.error.as_deref()).into_bytes()
    } else {
        bytes
    };
    Some((code, [(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// The site's 404 page, or a page saying there is no site yet.
async fn not_found(state: &ServerState, status: &Status) -> Response {
    let page = state.output.join("404.html");
    if let Some(response) = file_response(&page, status, StatusCode::NOT_FOUND).await {
        return response;
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        reload::placeholder(status.error.as_deref()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out/posts/a")).unwrap();
        std::fs::write(dir.path().join("out/index.html"), "home").unwrap();
        std::fs::write(dir.path().join("out/posts/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("out/style.css"), "css").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn finds_files_and_folders() {
        let dir = site();
        let out = dir.path().join("out");
        let real = out.canonicalize().unwrap();
        assert_eq!(
            resolve(&out, "/", "/"),
            Resolved::File(real.join("index.html"))
        );
        assert_eq!(
            resolve(&out, "/", "/posts/a/"),
            Resolved::File(real.join("posts/a/index.html"))
        );
        assert_eq!(
            resolve(&out, "/", "/posts/a"),
            Resolved::Redirect("/posts/a/".to_string())
        );
        assert_eq!(
            resolve(&out, "/", "/st%79le.css"),
            Resolved::File(real.join("style.css"))
        );
        assert_eq!(resolve(&out, "/", "/nope/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_to_leave_the_output() {
        let dir = site();
        let out = dir.path().join("out");
        for path in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/posts/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/posts/%5c..%5c..%5csecret.txt",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/posts//a/",
            "/./index.html",
            "/index.html%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&out, "/", path), Resolved::NotFound, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_leading_outside() {
        let dir = site();
        let out = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        std::os::unix::fs::symlink(out.join("style.css"), out.join("alias.css")).unwrap();
        assert_eq!(resolve(&out, "/", "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/", "/up/secret.txt"), Resolved::NotFound);
        assert_eq!(
            resolve(&out, "/", "/alias.css"),
            Resolved::File(out.canonicalize().unwrap().join("style.css")),
            "a link that stays inside is fine"
        );
    }

    #[test]
    fn serves_under_the_base_path_only() {
        let dir = site();
        let out = dir.path().join("out");
        let real = out.canonicalize().unwrap();
        assert_eq!(
            resolve(&out, "/blog/", "/"),
            Resolved::Redirect("/blog/".to_string())
        );
        assert_eq!(
            resolve(&out, "/blog/", "/blog"),
            Resolved::Redirect("/blog/".to_string())
        );
        assert_eq!(
            resolve(&out, "/blog/", "/blog/"),
            Resolved::File(real.join("index.html"))
        );
        assert_eq!(resolve(&out, "/blog/", "/style.css"), Resolved::NotFound);
        assert_eq!(
            resolve(&out, "/blog/", "/blog/../blog/style.css"),
            Resolved::NotFound
        );
    }

    #[test]
    fn local_host_names() {
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "localhost.:1111",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "localhost.evil.example",
            "localhostx",
            "127.0.0.1.nip.io",
            "127.0.0.1:1111:1111",
            "localhost:1111x",
            "::1",
            "[::1",
            "[::1]x",
            "[::ffff:127.0.0.1]",
            "10.0.0.1",
            "user@localhost",
            "0.0.0.0",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }

    #[test]
    fn requests_for_other_hosts_are_refused() {
        let request = |version: Version, target: &str, host: Option<&str>| {
            let mut builder = axum::http::Request::builder().version(version).uri(target);
            if let Some(host) = host {
                builder = builder.header(header::HOST, host);
            }
            builder.body(()).unwrap()
        };
        let refused = |r: &axum::http::Request<()>| host_refusal(r, 1111).map(|r| r.status());
        let ok = request(Version::HTTP_11, "/", Some("localhost:1111"));
        assert_eq!(refused(&ok), None);
        let evil = request(Version::HTTP_11, "/", Some("evil.example:1111"));
        assert_eq!(refused(&evil), Some(StatusCode::MISDIRECTED_REQUEST));
        let absolute = request(Version::HTTP_11, "http://evil.example/", Some("localhost"));
        assert_eq!(refused(&absolute), Some(StatusCode::MISDIRECTED_REQUEST));
        let old = request(Version::HTTP_10, "/", None);
        assert_eq!(refused(&old), None, "HTTP/1.0 may leave out the Host");
        let no_host = request(Version::HTTP_11, "/", None);
        assert_eq!(refused(&no_host), Some(StatusCode::BAD_REQUEST));
        let mut two = request(Version::HTTP_11, "/", Some("localhost"));
        two.headers_mut()
            .append(header::HOST, HeaderValue::from_static("evil.example"));
        assert_eq!(refused(&two), Some(StatusCode::MISDIRECTED_REQUEST));
        let mut binary = request(Version::HTTP_11, "/", None);
        binary.headers_mut().insert(
            header::HOST,
            HeaderValue::from_bytes(b"local\xffhost").unwrap(),
        );
        assert_eq!(refused(&binary), Some(StatusCode::MISDIRECTED_REQUEST));
    }

    #[test]
    fn loopback_addresses() {
        for ip in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip}");
            assert_eq!(
                Hosts::listening_on(ip.parse().unwrap(), 1),
                Hosts::Local { port: 1 }
            );
        }
        for ip in ["0.0.0.0", "::", "192.168.1.5", "fd00::2"] {
            assert_eq!(
                Hosts::listening_on(ip.parse().unwrap(), 1),
                Hosts::Any,
                "{ip}"
            );
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("x.svg")),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.png")), "image/png");
        assert_eq!(
            content_type(Path::new("x.unknownext")),
            "application/octet-stream"
        );
    }
}
