#!/usr/bin/env python3
"""Builds with search and pictures against builds without, interleaved (issue 18's third target).

    python3 bench/interleaved.py RUNS BIN [BIN...]

For each binary, RUNS times: a build of /tmp/p10k (c10k with `search: true` and
bench/with_pictures.py) into /dev/shm/p, then of /tmp/c10k into /dev/shm/c, each after
removing the output and its staging folder (the caches in the sites are kept). Prints the
medians and the median of the ratios of each pair: on a VM whose speed drifts, pairs run
side by side are fairer than hyperfine's runs of one command after the other.
"""
import statistics
import subprocess
import sys
import time


def run(binary, site, out):
    subprocess.run(
        f"rm -rf {out} $(dirname {out})/.$(basename {out}).playpress-staging", shell=True, check=True
    )
    started = time.perf_counter()
    subprocess.run(
        [binary, "build", "--root", site, "--output", out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def main():
    runs = int(sys.argv[1])
    binaries = sys.argv[2:]
    times = {b: ([], []) for b in binaries}
    for b in binaries:  # fill the caches, and warm the page cache
        run(b, "/tmp/p10k", "/dev/shm/p")
        run(b, "/tmp/c10k", "/dev/shm/c")
    for _ in range(runs):
        for b in binaries:
            times[b][0].append(run(b, "/tmp/p10k", "/dev/shm/p"))
            times[b][1].append(run(b, "/tmp/c10k", "/dev/shm/c"))
    for b, (with_, plain) in times.items():
        ratios = [w / p for w, p in zip(with_, plain)]
        print(
            f"{b}: with {statistics.median(with_):.3f} s, plain {statistics.median(plain):.3f} s, "
            f"ratio of each pair: median {statistics.median(ratios):.3f} "
            f"({min(ratios):.3f}-{max(ratios):.3f})"
        )


if __name__ == "__main__":
    main()
