#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
//! Micro-benchmarks of the hot paths of a build: front matter, Markdown, highlighting and
//! template rendering. `cargo bench` runs them; whole-build numbers come from `bench/run.sh`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use playpress::Config;
use playpress::SourceFile;
use playpress::{Highlighter, LineCache};
use playpress::{Kind, parse_document};

const POST: &str = r#"---
title: "Boring Benchmarks About Async IO: Going Deeper"
date: 2024-05-14
author: Anthony Law
tags: [career, productivity, rust]
series: Benchmarks
series_part: 2
summary: "Lifetime template learn read map context clock framework finally test string cost."
---

Key queue registry [signal](https://example.com/record/split) takes shared compiler however
parallel benchmark learned review agent await query those. Vector ran user subtle parse fast
clock latency ships obvious been small learned launch hidden be feature?

## Pragmatic myths

- Tree alert token value vector registry model reference by design
- Serial remote by token with `cache`

| metric | before | after |
|---|---|---|
| p50 | 12 ms | 9 ms |

```rust
/// Merges two sorted lists.
pub fn merge(a: &[i64], b: &[i64]) -> Vec<i64> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
```

Robust fast clear design explicit dataset bug of replica metric iterator!

```python
def merge(a, b):
    """Merge two sorted lists."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
```
"#;

fn config() -> Config {
    Config::parse(
        "title: Bench\nbase_url: https://example.com/\n",
        Path::new("config.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn front_matter(c: &mut Criterion) {
    let config = config();
    let file = SourceFile {
        path: PathBuf::from("content/posts/bench.md"),
        text: POST.into(),
    };
    c.bench_function("front matter: split, parse, check", |b| {
        b.iter(|| {
            let mut warnings = Vec::new();
            parse_document(&file, "bench", Kind::Post, &config, &mut warnings)
        });
    });
}

fn markdown(c: &mut Criterion) {
    let body = POST.split("---\n").nth(2).unwrap_or(POST);
    let highlighter = Highlighter::new();
    c.bench_function("markdown: outline (no code)", |b| {
        b.iter(|| playpress::markdown_outline(body, &highlighter, "/", &mut LineCache::new()));
    });
    let mut lines = LineCache::new();
    c.bench_function("markdown: full body with code", |b| {
        b.iter(|| playpress::markdown_html(body, &highlighter, "/", &mut lines));
    });
}

fn highlighting(c: &mut Criterion) {
    let code = POST
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or("");
    let highlighter = Highlighter::new();
    c.bench_function("highlight: rust block, cold lines", |b| {
        b.iter(|| highlighter.highlight_with(Some("rust"), code, &mut LineCache::new()));
    });
    let mut lines = LineCache::new();
    c.bench_function("highlight: rust block, lines seen before", |b| {
        b.iter(|| highlighter.highlight_with(Some("rust"), code, &mut lines));
    });
}

fn rendering(c: &mut Criterion) {
    use playpress::Renderer;
    use playpress::Route;
    use playpress::cmd::build::{BuildOptions, prepare};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/determinism");
    let mut options = BuildOptions::new(&root);
    options.no_cache = true;
    let mut warnings = Vec::new();
    let prepared = prepare(&options, &mut warnings).unwrap_or_else(|e| panic!("{e}"));
    let renderer = Renderer::new(&prepared.site, &prepared.theme, &prepared.highlighter);
    let mut lines = LineCache::new();
    c.bench_function("render: a post page (templates + body)", |b| {
        b.iter(|| renderer.render_with(Route::Post(0), &mut lines));
    });
    c.bench_function("render: the index page", |b| {
        b.iter(|| renderer.render_with(Route::Index { number: 1 }, &mut lines));
    });
    c.bench_function("render: fingerprint of a post page", |b| {
        b.iter(|| renderer.fingerprint(Route::Post(0)));
    });
}

criterion_group!(benches, front_matter, markdown, highlighting, rendering);
criterion_main!(benches);
