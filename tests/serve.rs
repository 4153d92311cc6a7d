//! `playpress serve` over the real binary: serving, live rebuilds equal to a full build, path
//! traversal refused, the error overlay, stylesheet swaps, subpaths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::server::Server;
use common::*;

/// Builds `root` with `playpress build` into a fresh folder and returns every file.
fn full_build(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let status = playpress()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    snapshot(&target)
}

/// Waits for the rebuild after a change, then checks the served output equals a full build.
/// A burst of events may give two rebuilds; the second is waited for if the first is not
/// the end.
fn assert_rebuilt_like_full_build(server: &mut Server, root: &Path, out: &Path) {
    server.wait_for_line("rebuilt ");
    let expected = full_build(root);
    if snapshot(out) != expected {
        server.wait_for_line("rebuilt ");
    }
    let actual = snapshot(out);
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &expected {
        assert!(
            actual[file] == *bytes,
            "{} differs from a full build",
            file.display()
        );
    }
}

#[test]
fn an_incremental_rebuild_equals_a_full_build() {
    let dir = site("live");
    let root = dir.path();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let mut server = Server::start(root, &["--output", out.to_str().unwrap()]);
    assert_eq!(snapshot(&out), full_build(root), "the first build");

    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("content/posts/two.md", "title: Two", "title: The second");
    assert_rebuilt_like_full_build(&mut server, root, &out);
    let page = server.get("/posts/three/");
    assert!(
        page.body.contains("The second"),
        "the neighbour shows the new title"
    );

    fs::write(
        root.join("content/posts/six.md"),
        "---\ntitle: Six\ndate: 2024-01-06\ntags: [rust]\n---\nSix.\n",
    )
    .unwrap();
    assert_rebuilt_like_full_build(&mut server, root, &out);

    fs::remove_file(root.join("content/posts/four.md")).unwrap();
    assert_rebuilt_like_full_build(&mut server, root, &out);
    assert_eq!(server.get("/posts/four/").status, 404);

    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ title }}</h1>{% endblock content %}",
    )
    .unwrap();
    assert_rebuilt_like_full_build(&mut server, root, &out);

    edit("config.yaml", "title: Live", "title: Alive");
    assert_rebuilt_like_full_build(&mut server, root, &out);
    assert!(server.get("/").body.contains("<title>Alive</title>"));
}

#[test]
fn an_atomic_save_and_editor_files_rebuild_once_with_the_new_text() {
    let dir = site("live");
    let root = dir.path();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let mut server = Server::start(root, &["--output", out.to_str().unwrap()]);
    // What editors do: write a temporary file beside the post, then rename it over the post.
    let temp = root.join("content/posts/.two.md.swp");
    let text = fs::read_to_string(root.join("content/posts/two.md")).unwrap();
    fs::write(&temp, text.replace("title: Two", "title: Saved atomically")).unwrap();
    fs::rename(&temp, root.join("content/posts/two.md")).unwrap();
    let line = server.wait_for_line("rebuilt ");
    assert!(line.contains("(content/posts/two.md)"), "{line}");
    assert!(!line.contains(".swp"), "{line}");
    assert_rebuilt_like_full_build_now(root, &out);
    assert!(server.get("/posts/two/").body.contains("Saved atomically"));
}

fn assert_rebuilt_like_full_build_now(root: &Path, out: &Path) {
    assert!(
        snapshot(out) == full_build(root),
        "the output equals a full build"
    );
}

#[test]
fn served_pages_get_the_reload_script_but_written_files_do_not() {
    let dir = site("live");
    let root = dir.path();
    let server = Server::start(root, &[]);
    assert_eq!(server.url, format!("http://127.0.0.1:{}/", server.port));
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(
        home.body
            .contains("new EventSource(\"/__playpress/events\")")
    );
    assert!(
        home.body.ends_with("</script></body>\n</html>\n"),
        "before </body>"
    );
    let on_disk = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(
        !on_disk.contains("playpress-live-reload"),
        "never in the output"
    );
    assert!(!on_disk.contains("EventSource"));

    let css = server.get("/extra.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.body, "body { color: black; }\n",
        "only HTML gets the script"
    );
    let svg = server.get("/posts/trip/view.svg");
    assert_eq!(
        svg.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    let folder = server.get("/posts/two");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/posts/two/"));
}

#[test]
fn the_server_refuses_path_traversal() {
    let dir = site("live");
    let root = dir.path();
    fs::write(root.join("secret.txt"), "the secret").unwrap();
    let server = Server::start(root, &[]);
    // A link in the output that leads out of it.
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("public/leak.txt")).unwrap();
    std::os::unix::fs::symlink(root, root.join("public/up")).unwrap();
    let outside = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/posts/..%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/posts/%5C..%5C..%5Csecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "http://127.0.0.1/../secret.txt",
        "/leak.txt",
        "/up/secret.txt",
        "/up/config.yaml",
        "/index.html%00.txt",
    ];
    for target in outside {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}");
        assert!(
            response
                .body
                .contains("<h1 class=\"page-title\">Page not found</h1>"),
            "{target} gets the site's 404 page"
        );
        assert!(!response.body.contains("the secret"), "{target}");
        assert!(!response.body.contains("root:"), "{target}");
    }
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert!(missing.body.contains("playpress-live-reload"));
}

#[test]
fn a_broken_post_shows_the_overlay_and_the_old_site_stays_served() {
    let dir = site("live");
    let root = dir.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    let before = server.get("/posts/one/").body;

    fs::write(
        root.join("content/posts/bad.md"),
        "---\ntitle: \"Bad <post>\ndate: 2024-02-01\n---\nBody\n",
    )
    .unwrap();
    let message = "error: invalid YAML: unclosed quote\n --> content/posts/bad.md:2:8\n  |\n2 | title: \"Bad <post>\n  |        ^ unclosed quote\n  |\n  = help: close the quote on the same line, or use a block scalar (`|`)\n\n1 error in content; nothing was written";
    assert_eq!(
        events.next(),
        ("build-error".to_string(), message.to_string())
    );
    assert_eq!(
        server.wait_for_line("rebuild failed"),
        "rebuild failed (content/posts/bad.md): still serving the last good site"
    );
    assert!(
        server.stderr_so_far().contains(message),
        "the terminal shows it too"
    );

    let during = server.get("/posts/one/");
    assert_eq!(during.status, 200, "the last good site is still served");
    assert!(
        during
            .body
            .contains("<div id=\"playpress-overlay\" role=\"alert\"")
    );
    assert!(
        during
            .body
            .contains("white-space:pre-wrap!important;overflow-wrap:anywhere!important;tab-size:4!important;background:#0d0d10!important;color:#f3f3f3!important;border:1px solid #3b3b45!important;border-radius:6px!important;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace!important\">error: invalid YAML: unclosed quote\n --&gt; content/posts/bad.md:2:8\n  |\n2 | title: &quot;Bad &lt;post&gt;\n"),
        "the message is escaped, light on dark whatever the site's CSS: {}",
        during.body
    );
    assert!(
        during.body.contains("<pre style=\"all:initial!important;"),
        "the site's `pre` rules do not reach the message"
    );
    let without_overlay = |html: &str| {
        let start = html.find("<div id=\"playpress-overlay\"").unwrap();
        let end = start + html[start..].find("</div>").unwrap() + "</div>".len();
        format!("{}{}", &html[..start], &html[end..])
    };
    assert_eq!(
        without_overlay(&during.body),
        before,
        "the old page, unchanged"
    );
    let mut late = server.events();
    assert_eq!(
        late.next().0,
        "build-error",
        "a page opened now gets the error too"
    );

    fs::write(
        root.join("content/posts/bad.md"),
        "---\ntitle: \"Good <post>\"\ndate: 2024-02-01\n---\nBody\n",
    )
    .unwrap();
    assert_eq!(events.next(), ("reload".to_string(), "reload".to_string()));
    server.wait_for_line("rebuilt ");
    let after = server.get("/posts/one/");
    assert!(
        !after.body.contains("playpress-overlay\" role"),
        "fixing the file clears it"
    );
    assert_eq!(
        server.get("/posts/good-post/").status,
        404,
        "slug comes from the file"
    );
    assert!(server.get("/posts/bad/").body.contains("Good &lt;post&gt;"));
}

#[test]
fn a_stylesheet_change_swaps_the_stylesheet_without_a_reload() {
    let dir = site("live");
    let root = dir.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    fs::write(root.join("static/extra.css"), "body { color: red; }\n").unwrap();
    assert_eq!(
        events.next(),
        (
            "css".to_string(),
            "{\"paths\":[\"/extra.css\"]}".to_string()
        )
    );
    server.wait_for_line("rebuilt ");
    assert_eq!(server.get("/extra.css").body, "body { color: red; }\n");
    fs::write(
        root.join("content/posts/one.md"),
        "---\ntitle: One\ndate: 2024-01-01\n---\nNew.\n",
    )
    .unwrap();
    assert_eq!(events.next().0, "reload", "a page change reloads");
}

#[test]
fn a_stylesheet_linked_by_its_hash_is_swapped_under_its_new_name() {
    let dir = site("live");
    let root = dir.path();
    let mut server = Server::start(root, &[]);
    let mut events = server.events();
    let stylesheet = |html: &str| -> String {
        let start = html.find("<link rel=\"stylesheet\" href=\"").unwrap() + 29;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let before = stylesheet(&server.get("/").body);
    assert!(
        before.starts_with("/style.") && before.len() == "/style.12345678.css".len(),
        "{before}"
    );
    fs::write(root.join("static/style.css"), "body { color: red; }\n").unwrap();
    let (name, data) = events.next();
    server.wait_for_line("rebuilt ");
    let after = stylesheet(&server.get("/").body);
    assert_ne!(after, before, "pages link the new name");
    assert_eq!(name, "css", "swapped, not reloaded: {data}");
    assert_eq!(
        data,
        format!("{{\"paths\":[\"/style.css\"],\"renamed\":{{\"{before}\":\"{after}\"}}}}")
    );
    assert_eq!(server.get(&after).body, "body { color: red; }\n");
    assert_eq!(server.get(&before).status, 404, "the old name is gone");
}

#[test]
fn the_site_is_served_under_its_subpath() {
    let dir = site("subpath");
    let server = Server::start(dir.path(), &[]);
    assert!(server.url.ends_with("/blog/"), "{}", server.url);
    let home = server.get("/blog/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/blog/posts/hello/\""));
    assert_eq!(server.get("/blog/posts/hello/").status, 200);
    assert_eq!(server.get("/blog/style.css").status, 200);
    let root = server.get("/");
    assert_eq!(root.status, 301);
    assert_eq!(root.header("location"), Some("/blog/"));
    let outside = server.get("/posts/hello/");
    assert_eq!(outside.status, 404, "only the subpath is the site");
    assert!(outside.body.contains("Page not found"));
}

#[test]
fn a_busy_port_and_a_missing_site_are_explained() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let dir = site("live");
    // Another output folder than the default, so the port, not the output's lock, is busy.
    let out_dir = tempfile::tempdir().unwrap();
    let out = playpress()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(out_dir.path().join("site"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "error: cannot listen on 127.0.0.1:{port}: another program already uses this port\n  = help: pass another port, e.g. --port {}, or --port 0 for any free port\n",
            port + 1
        )
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "",
        "the port is taken before the site is built"
    );
    assert!(!out_dir.path().join("site").exists(), "nothing was built");

    let empty = tempfile::tempdir().unwrap();
    let out = playpress()
        .args(["serve", "--port", "0", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("config.yaml"), "{stderr}");
    assert!(
        stderr.contains("help: run playpress in a site folder"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_stops_the_server_even_with_a_browser_listening() {
    let dir = site("live");
    let mut server = Server::start(dir.path(), &[]);
    let _events = server.events();
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn a_site_whose_first_build_fails_is_served_once_fixed() {
    let dir = site("live");
    let root = dir.path();
    let good = fs::read_to_string(root.join("content/posts/one.md")).unwrap();
    fs::write(
        root.join("content/posts/one.md"),
        "---\ntitle: [broken\n---\n",
    )
    .unwrap();
    let mut server = Server::start(root, &[]);
    let waiting = server.get("/");
    assert_eq!(waiting.status, 404);
    assert!(waiting.body.contains("The site has not been built yet."));
    assert!(
        waiting.body.contains("content/posts/one.md:2:8"),
        "{}",
        waiting.body
    );
    let mut events = server.events();
    assert_eq!(
        events.next().0,
        "build-error",
        "the current error comes first"
    );
    fs::write(root.join("content/posts/one.md"), good).unwrap();
    assert_eq!(events.next().0, "reload");
    server.wait_for_line("rebuilt ");
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.body.contains("playpress-overlay\" role"));
}

#[test]
fn binding_every_interface_shows_that_address_and_warns() {
    let dir = site("live");
    let server = Server::start(dir.path(), &["--bind", "0.0.0.0"]);
    let port = server.port;
    assert_eq!(
        server.line,
        format!(
            "serving http://0.0.0.0:{port}/ (on this machine: http://127.0.0.1:{port}/; press Ctrl-C to stop)"
        )
    );
    let stderr = server.stderr_so_far();
    assert!(
        stderr.contains(
            "warning: other machines can open the site: --bind 0.0.0.0 listens on every network interface\n  = help: to keep it on this machine, leave out --bind (the default is 127.0.0.1)\n"
        ),
        "{stderr}"
    );
    // Exposed on purpose: any host name is answered.
    let response =
        server.request("GET / HTTP/1.1\r\nHost: my-laptop.lan:1111\r\nConnection: close\r\n\r\n");
    assert_eq!(response.status, 200);
}

#[test]
fn a_loopback_server_warns_of_nothing() {
    let dir = site("live");
    let server = Server::start(dir.path(), &[]);
    assert!(!server.stderr_so_far().contains("warning"));
    assert_eq!(
        server.line,
        format!(
            "serving http://127.0.0.1:{}/ (press Ctrl-C to stop)",
            server.port
        )
    );
}

#[test]
fn on_loopback_only_local_host_names_are_answered() {
    let dir = site("live");
    let server = Server::start(dir.path(), &[]);
    let port = server.port;
    let ask = |target: &str, host: &str| {
        server.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    for host in [
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        "localhost.".to_string(),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        assert_eq!(ask("/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "attacker.test".to_string(),
        "localhost.evil.example".to_string(),
        "127.0.0.1.nip.io".to_string(),
        format!("localhost:{port}x"),
        "[::1".to_string(),
    ] {
        let refused = ask("/", &host);
        assert_eq!(refused.status, 421, "{host}");
        assert_eq!(
            refused.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(
            refused.body,
            format!(
                "playpress serve answers only requests for localhost, 127.0.0.1 or [::1], not for {host:?}: this keeps other web sites from reading it (DNS rebinding).\nOpen the site at http://localhost:{port}/ or http://127.0.0.1:{port}/ instead.\n"
            ),
            "{host}"
        );
    }
    assert_eq!(
        ask("/__playpress/events", "evil.example").status,
        421,
        "the events too"
    );
    let absolute = server.request(
        "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(absolute.status, 421, "the host in the request line counts");
    let old = server.request("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200, "HTTP/1.0 without a Host is answered");
    let no_host = server.request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400);
    assert_eq!(
        no_host.body,
        "playpress serve needs the Host header in HTTP/1.1 requests.\n"
    );
}

#[test]
fn slow_request_headers_are_cut_off_but_the_event_stream_stays() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = site("live");
    let root = dir.path();
    let server = Server::start(root, &[]);
    let mut events = server.events();
    let opened = Instant::now();

    // A slowloris: one header line a second, never the blank line that ends them.
    let mut slow = server.connect();
    slow.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(15) {
        if slow.write_all(b"X-Slow: yes\r\n").is_err() {
            closed = true;
            break;
        }
        let mut byte = [0u8; 1];
        match slow.read(&mut byte) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => panic!("the server answered an unfinished request"),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(
        closed,
        "a connection still sending its headers after {:?} is not closed",
        started.elapsed()
    );

    // The event stream is long-lived: no header timeout cuts it.
    while opened.elapsed() < Duration::from_secs(7) {
        std::thread::sleep(Duration::from_millis(100));
    }
    fs::write(
        root.join("content/posts/one.md"),
        "---\ntitle: One\ndate: 2024-01-01\n---\nChanged.\n",
    )
    .unwrap();
    assert_eq!(events.next(), ("reload".to_string(), "reload".to_string()));
}

/// The modification time of every file of `dir`.
fn modified(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, std::time::SystemTime> {
    snapshot(dir)
        .into_keys()
        .map(|file| {
            let time = fs::metadata(dir.join(&file)).unwrap().modified().unwrap();
            (file, time)
        })
        .collect()
}

/// A server stopped right after it wrote the site (Ctrl-C or `kill`) records what the output
/// holds before it exits, so the next `serve` rewrites nothing. Before, it exited at once
/// (SIGTERM was not even caught) and the next serve wrote every file again.
#[test]
fn a_stopped_server_leaves_an_output_the_next_one_trusts() {
    for signal in ["INT", "TERM"] {
        let site = site("live");
        let root = site.path();
        let out = root.join("public");
        let server = Server::start(root, &[]);
        let status = server.stop_with(signal);
        assert!(status.success(), "SIG{signal}: {status:?}");
        let before = modified(&out);
        assert!(!before.is_empty());
        let again = Server::start(root, &[]);
        assert_eq!(
            modified(&out),
            before,
            "SIG{signal}: no file is written again"
        );
        assert!(again.stop_with(signal).success());
        assert_eq!(snapshot(&out), full_build(root), "SIG{signal}");
    }
}

/// A signal sent the moment the site is announced stops the server cleanly: the handlers are
/// in place before "serving" is printed (they were not, and a quick Ctrl-C killed it).
#[test]
fn a_signal_right_after_serving_is_caught() {
    let site = site("live");
    let root = site.path();
    for round in 0..12 {
        let signal = if round % 2 == 0 { "INT" } else { "TERM" };
        let server = Server::start(root, &[]);
        let status = server.stop_with(signal);
        assert!(status.success(), "round {round}, SIG{signal}: {status:?}");
    }
}
