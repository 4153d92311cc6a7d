#!/usr/bin/env bash
# Two playpress binaries side by side in one hyperfine run per case: warm (nothing changed,
# cache and staging kept) and cold (`--no-cache`, no output, no staging), output on tmpfs and
# on disk.
#
#   bench/side_by_side.sh OLD NEW CORPUS_DIR [DISK_DIR]
#
# CORPUS_DIR holds corpus-1000 and corpus-10000 (bench/run.sh writes them).
set -euo pipefail
old=$1 new=$2 corpora=$3 disk=${4:-/tmp/playpress-side}
for n in 1000 10000; do
  site=$corpora/corpus-$n
  for where in /dev/shm/playpress-side "$disk"; do
    mkdir -p "$where"
    "$old" build --root "$site" --output "$where/w-old-$n" >/dev/null
    "$new" build --root "$site" --output "$where/w-new-$n" >/dev/null
    hyperfine -N --warmup 1 --runs 10 \
      -n old "$old build --root $site --output $where/w-old-$n" \
      -n new "$new build --root $site --output $where/w-new-$n"
    runs=5; [ "$n" = 10000 ] && runs=3
    hyperfine --runs $runs --prepare "rm -rf $where/c-$n $where/.c-$n.playpress-*" \
      -n old "$old build --no-cache --root $site --output $where/c-$n" \
      -n new "$new build --no-cache --root $site --output $where/c-$n"
  done
done
