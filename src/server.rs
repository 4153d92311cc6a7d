//! The HTTP server of `playpress serve` (axum, tower-http): serves the files of the output
//! directory under the site's base path, with the live-reload script (and the error overlay
//! after a failed rebuild) added to HTML responses, and the live-reload events.
//!
//! Only files really inside the output are served: a request path is decoded segment by
//! segment, and `..`, `.`, empty segments, encoded slashes or backslashes, NUL and drive
//! prefixes are refused; the file found is resolved (symbolic links followed) and must still
//! be inside the output. Everything else gets the site's 404 page.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::reload::{self, EVENTS_PATH, LiveEvent};

/// What the server shows: where the output is, under which path, and the current error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The site's base path, `/` or `/blog/`.
    pub base_path: String,
    /// The error of the last rebuild, when it failed.
    pub error: Option<String>,
}

/// State shared by the request handlers and the rebuild loop.
pub struct ServerState {
    output: PathBuf,
    status: RwLock<Status>,
    events: broadcast::Sender<LiveEvent>,
}

impl ServerState {
    pub fn new(output: PathBuf, status: Status) -> Self {
        let (events, _) = broadcast::channel(64);
        Self {
            output,
            status: RwLock::new(status),
            events,
        }
    }

    pub fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets what pages show from now on and tells the browsers.
    pub fn update(&self, status: Status, event: LiveEvent) {
        *self.status.write().unwrap_or_else(PoisonError::into_inner) = status;
        // No browser listening is fine.
        let _ = self.events.send(event);
    }
}

/// Where a request path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
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
pub fn resolve(output: &Path, base_path: &str, request_path: &str) -> Resolved {
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

/// The router: events, and every other path from the output.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(serve)
        .with_state(state)
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
