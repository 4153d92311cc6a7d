#!/usr/bin/env bash
# playpress benchmark: builds synthetic blogs of 1k, 10k (and with --100k, 100k) posts, cold
# (no cache) and warm (cache kept, nothing changed), and prints wall time, pages per second
# and peak memory. With --floor it also times the floor (../shared/bench/floor) side by side
# on the 10k corpus with hyperfine.
#
#   bench/run.sh [--100k] [--floor] [--runs N]
#
# Needs python3, GNU time (/usr/bin/time) and, for --floor, hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=(1000 10000)
floor=0
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --100k) sizes+=(100000) ;;
    --floor) floor=1 ;;
    --runs) runs="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

gen=../shared/bench/gen_corpus.py
work=${BENCH_DIR:-/tmp/playpress-bench}
mkdir -p "$work"
cargo build --release --quiet
# PLAYPRESS_BIN measures another binary (say, an older release) with the same corpus.
bin=${PLAYPRESS_BIN:-$PWD/target/release/playpress}

corpus() {
  local n=$1 dir="$work/corpus-$1"
  if [ ! -d "$dir/content/posts" ]; then
    python3 "$gen" --posts "$n" --out "$dir" >/dev/null
    printf 'title: Bench\nbase_url: https://example.com/\nposts_per_page: 10\n' > "$dir/config.yaml"
  fi
  echo "$dir"
}

# One build under GNU time: prints "wall_s peak_mib pages".
measure() {
  local dir=$1
  local out
  out=$( { /usr/bin/time -f '%e %M' "$bin" build --root "$dir" --output "$work/out" >"$work/stdout" ; } 2>&1 | tail -1)
  local pages
  pages=$(sed -E 's/^built ([0-9]+) pages.*/\1/' "$work/stdout")
  read -r wall kb <<<"$out"
  echo "$wall $((kb / 1024)) $pages"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-8s %-5s %10s %12s %10s\n' posts mode "wall (s)" "pages/s" "peak MiB"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  for mode in cold warm; do
    walls=(); peaks=(); pages=0
    for _ in $(seq "$runs"); do
      if [ "$mode" = cold ]; then
        rm -rf "$dir/.playpress-cache" "$work/out" "$work"/.out.playpress-*
        sync; sleep 2
      fi
      read -r wall peak pages < <(measure "$dir")
      walls+=("$wall"); peaks+=("$peak")
    done
    w=$(printf '%s\n' "${walls[@]}" | median)
    p=$(printf '%s\n' "${peaks[@]}" | median)
    rate=$(awk -v p="$pages" -v w="$w" 'BEGIN { printf "%.0f", (w > 0 ? p / w : 0) }')
    printf '%-8s %-5s %10s %12s %10s\n' "$n" "$mode" "$w" "$rate" "$p"
  done
done

if [ "$floor" = 1 ]; then
  dir=$(corpus 10000)
  CARGO_TARGET_DIR=$work/floor-target cargo build --release --quiet --manifest-path ../shared/bench/floor/Cargo.toml
  hyperfine --runs "$runs" --warmup 0 \
    --prepare "rm -rf $work/out $work/.out.playpress-* $work/floor-out $dir/.playpress-cache; sync; sleep 3" \
    "$bin build --root $dir --output $work/out" \
    "$work/floor-target/release/floor $dir $work/floor-out"
fi
