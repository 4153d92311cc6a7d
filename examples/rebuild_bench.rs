//! Benchmark of `playpress serve`'s rebuild after saving one post (not a test).
//!
//!     cargo run --release --example rebuild_bench -- SITE [--runs N] [--binary PATH]
//!
//! SITE is a site folder, e.g. the 1,000-post corpus of `bench/serve_rebuild.sh`. Two
//! measurements, each over N saves of a post in the middle of the site (its body edited, then
//! its title, in turn):
//!
//! - in process: the time of [`LiveSite::rebuild`] alone, with the change named;
//! - end to end: `playpress serve` runs on a free port, the post is saved, and the time runs
//!   until the server prints that the rebuild finished (watcher, debounce and rebuild).
//!
//! Prints the median and the 90th percentile of each, in milliseconds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use playpress::cmd::build::BuildOptions;
use playpress::{Changes, LiveSite};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site: Option<PathBuf> = None;
    let mut runs = 21;
    let mut binary: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--binary" => binary = args.next().map(PathBuf::from),
            _ => site = Some(PathBuf::from(arg)),
        }
    }
    let site = site
        .expect("usage: rebuild_bench SITE [--runs N] [--binary PATH]")
        .canonicalize()
        .expect("the site folder exists");
    let post = pick_post(&site);
    println!(
        "site {} ({} posts), saving {} {runs} times",
        site.display(),
        std::fs::read_dir(site.join("content/posts"))
            .unwrap()
            .count(),
        post.strip_prefix(&site).unwrap().display()
    );
    let original = std::fs::read_to_string(&post).unwrap();

    let in_process = in_process(&site, &post, &original, runs);
    report("in process: LiveSite::rebuild", &in_process);

    let binary = binary
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/playpress"));
    let (end_to_end, reported) = end_to_end(&binary, &site, &post, &original, runs);
    report("end to end: save -> rebuild finished", &end_to_end);
    report(
        "  of which the rebuild (as the server reports it)",
        &reported,
    );
    std::fs::write(&post, original).unwrap();
}

/// A post in the middle of the site, so it has neighbours on both sides.
fn pick_post(site: &Path) -> PathBuf {
    let mut posts: Vec<PathBuf> = std::fs::read_dir(site.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    posts.sort();
    posts[posts.len() / 2].clone()
}

/// The text of save number `i`: the body or the title changed, in turn.
fn edited(original: &str, i: usize) -> String {
    if i.is_multiple_of(2) {
        format!("{original}\nEdit number {i}.\n")
    } else {
        match original.contains("title: \"") {
            true => original.replacen("title: \"", &format!("title: \"Edited {i} "), 1),
            false => original.replacen("title: ", &format!("title: Edited {i} "), 1),
        }
    }
}

fn in_process(site: &Path, post: &Path, original: &str, runs: usize) -> Vec<f64> {
    let out = std::env::temp_dir().join(format!("rebuild-bench-{}", std::process::id()));
    let mut options = BuildOptions::new(site);
    options.output = Some(out.clone());
    let mut live = LiveSite::new(options);
    let started = Instant::now();
    let (_, first) = live.rebuild(&Changes::everything());
    let first = first.unwrap_or_else(|e| panic!("{e}"));
    println!(
        "first build: {} pages in {} ms",
        first.routes,
        started.elapsed().as_millis()
    );
    let mut times = Vec::new();
    for i in 0..runs {
        std::fs::write(post, edited(original, i)).unwrap();
        let started = Instant::now();
        let (_, result) = live.rebuild(&Changes {
            paths: vec![post.to_path_buf()],
            everything: false,
        });
        let elapsed = started.elapsed();
        let r = result.unwrap_or_else(|e| panic!("{e}"));
        if i < 2 {
            println!(
                "  save {i}: {} pages rendered, {} files written",
                r.rendered.len(),
                r.written.len()
            );
        }
        times.push(elapsed.as_secs_f64() * 1000.0);
    }
    std::fs::write(post, original).unwrap();
    drop(live);
    std::fs::remove_dir_all(&out).ok();
    times
}

fn end_to_end(
    binary: &Path,
    site: &Path,
    post: &Path,
    original: &str,
    runs: usize,
) -> (Vec<f64>, Vec<f64>) {
    let out = std::env::temp_dir().join(format!("rebuild-bench-serve-{}", std::process::id()));
    let mut child = Command::new(binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .arg("--output")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    // The next line starting with `what` printed after `after`.
    let wait = |what: &str, after: Instant| -> (Instant, String) {
        loop {
            let (at, line) = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no `{what}` line from the server"));
            if line.starts_with(what) && at >= after {
                return (at, line);
            }
        }
    };
    wait("serving ", Instant::now() - Duration::from_secs(3600));
    let mut times = Vec::new();
    let mut reported = Vec::new();
    for i in 0..runs {
        // Let the watcher settle, so each save is a rebuild of its own.
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        std::fs::write(post, edited(original, i)).unwrap();
        let (at, line) = wait("rebuilt ", started);
        times.push(at.duration_since(started).as_secs_f64() * 1000.0);
        if let Some(ms) = line
            .split(" in ")
            .nth(1)
            .and_then(|rest| rest.split(" ms").next())
            .and_then(|n| n.parse::<f64>().ok())
        {
            reported.push(ms);
        }
    }
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&out).ok();
    (times, reported)
}

fn report(what: &str, times: &[f64]) {
    if times.is_empty() {
        println!("{what}: no measurements");
        return;
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        at(0.5),
        at(0.9),
        sorted[0],
        sorted[sorted.len() - 1],
        sorted.len()
    );
}
