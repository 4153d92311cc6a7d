//! Runs `playpress serve` (the real binary) on a free port and talks to it with raw HTTP over
//! 127.0.0.1, so request paths go out exactly as written. Every wait has a timeout; the
//! server is killed when the handle is dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Server {
    child: Child,
    pub port: u16,
    /// The URL the server printed.
    pub url: String,
    /// The whole `serving ...` line.
    pub line: String,
    /// Lines on stdout that waits skipped, in order (the first build's `built ...` line).
    pub skipped: Vec<String>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

/// A response: status code, headers (lower-case names) and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Server {
    /// Starts `playpress serve --root ROOT --port 0 ARGS...` and waits until it serves.
    pub fn start(root: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playpress"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let mut server = Self {
            child,
            port: 0,
            url: String::new(),
            line: String::new(),
            skipped: Vec::new(),
            stdout,
            stderr,
        };
        let line = server.wait_for_line("serving ");
        let url = line
            .trim_start_matches("serving ")
            .split(' ')
            .next()
            .unwrap()
            .to_string();
        server.port = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .and_then(|authority| authority.rsplit(':').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.url = url;
        server.line = line;
        server
    }

    /// Sends `signal` (`INT` as Ctrl-C does, `TERM` as `kill` does) and waits for the exit.
    pub fn stop_with(mut self, signal: &str) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -s {signal} failed");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop after SIG{signal}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The next line on stdout that starts with `prefix` (earlier lines are skipped).
    pub fn wait_for_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(line) => self.skipped.push(line),
                Err(_) => panic!(
                    "no line starting with {prefix:?} on stdout; stderr:\n{}",
                    self.stderr_so_far()
                ),
            }
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends Ctrl-C (SIGINT) and waits for the server to exit; returns its exit code.
    pub fn interrupt(&mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not stop after Ctrl-C");
    }

    /// Everything printed on stderr until now.
    pub fn stderr_so_far(&self) -> String {
        let mut text = String::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(50)) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        stream
    }

    /// Sends `GET target` as written (no normalisation) and reads the whole response.
    pub fn get(&self, target: &str) -> Response {
        self.request(&format!("GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"))
    }

    /// Sends `raw` (a whole request, as written) and reads the response until the server
    /// closes the connection (send HTTP/1.0 or `Connection: close`).
    pub fn request(&self, raw: &str) -> Response {
        let mut stream = self.connect();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut head_lines = head.lines();
        let status = head_lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("bad response to {raw:?}: {text:?}"));
        let headers = head_lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Subscribes to the live-reload events; returns once the server said it is listening.
    pub fn events(&self) -> Events {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /__playpress/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        let mut line = String::new();
        loop {
            line.clear();
            events.reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        assert_eq!(events.next(), ("ready".to_string(), "ready".to_string()));
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A stream of Server-Sent Events.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name, data), skipping keep-alive comments.
    pub fn next(&mut self) -> (String, String) {
        let mut name = String::new();
        let mut data: Vec<String> = Vec::new();
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).unwrap_or(0);
            assert!(read > 0, "the event stream ended");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !name.is_empty() || !data.is_empty() {
                    return (name, data.join("\n"));
                }
            } else if let Some(v) = line.strip_prefix("event:") {
                name = v.trim_start().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
            }
        }
    }
}
