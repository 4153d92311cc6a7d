#!/usr/bin/env bash
# Benchmark (not a test) of `playpress serve` on a site that a build has just made: the
# seconds until it prints "serving", the rebuild line after each of three edits of one post,
# and the server's peak memory (GNU time).
#
#   bench/serve_start.sh SITE [BINARY]
#
# Build the site twice first (`playpress build --root SITE`) so its output, staging folder
# and code cache are warm, as the targets in bench/RESULTS.md assume.
set -u
site=$1
bin=${2:-$PWD/target/release/playpress}
post=$(ls "$site"/content/posts/*.md | sed -n '5000p')
[ -n "$post" ] || post=$(ls "$site"/content/posts/*.md | head -1)
work=$(mktemp -d)
cp "$post" "$work/original.md"
out=$work/out
start=$(date +%s.%N)
/usr/bin/time -f "peak %M KB" -o "$work/time" "$bin" serve --root "$site" --port 0 >"$out" 2>"$work/err" &
pid=$!
until grep -q "^serving" "$out" 2>/dev/null; do sleep 0.02; done
echo "serving after $(echo "$(date +%s.%N) - $start" | bc) s"
sleep 1
for i in 1 2 3; do
  echo "Edited line $i." >>"$post"
  n=$(grep -c "^rebuilt" "$out")
  while [ "$(grep -c "^rebuilt" "$out")" -le "$n" ]; do sleep 0.02; done
  grep "^rebuilt" "$out" | tail -1 | cut -c1-60
  sleep 0.5
done
cp "$work/original.md" "$post"
sleep 1
kill -INT "$(pgrep -P $pid)" 2>/dev/null
wait $pid 2>/dev/null
cat "$work/time"
rm -rf "$work"
