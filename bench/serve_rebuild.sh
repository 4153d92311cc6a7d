#!/usr/bin/env bash
# Benchmark (not a test) of `playpress serve`: from saving one post to the rebuild finished,
# on a generated corpus (1,000 posts by default). Prints the median and 90th percentile of
# the in-process rebuild and of the end-to-end time (watcher, debounce, rebuild).
#
#   bench/serve_rebuild.sh                 # 1,000 posts, 21 saves
#   POSTS=5000 RUNS=11 bench/serve_rebuild.sh
set -euo pipefail
cd "$(dirname "$0")/.."

posts=${POSTS:-1000}
runs=${RUNS:-21}
generator=${GEN_CORPUS:-../shared/bench/gen_corpus.py}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$generator" --posts "$posts" --out "$work/site" >/dev/null
printf 'title: Bench\nbase_url: https://example.com/\n' >"$work/site/config.yaml"

cargo build --release --quiet --bin playpress --example rebuild_bench
target/release/examples/rebuild_bench "$work/site" --runs "$runs" --binary target/release/playpress
