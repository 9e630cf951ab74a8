#!/usr/bin/env python3
"""Measure `iamcross simulate --requests` throughput against the reference.

Generates a batch with tests/eval/gen_requests.py (random policies, a
different set for every request, or with --policy-sets N, N sets shared by
all requests as in a batch that asks many requests of the same policies),
then times the same batch through
iamcross (the median of --runs runs) and through @cloud-copilot/iam-simulate
(tests/eval/reference.js, one run, since it takes minutes).  Prints requests
a second for both and the ratio.  Times are wall-clock times, as a user
would measure them.  The machine's other load skews them, so compare only
figures of one run.

Usage: simulate_throughput.py --binary IAMCROSS [--count N] [--seed N] [--runs N]
                              [--policy-sets N] [--skip-reference]
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "tests", "eval")


def timed(cmd, stdin_path):
    with open(stdin_path, "rb") as fin, open(os.devnull, "wb") as fout:
        start = time.perf_counter()
        subprocess.run(cmd, stdin=fin, stdout=fout, check=True)
        return time.perf_counter() - start


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--policy-sets", type=int, default=0)
    parser.add_argument("--skip-reference", action="store_true")
    opts = parser.parse_args()

    work = tempfile.mkdtemp(prefix="iamcross-bench-")
    batch = os.path.join(work, "requests.jsonl")
    subprocess.run([sys.executable, os.path.join(TESTS, "gen_requests.py"), "--seed", str(opts.seed),
                    "--count", str(opts.count), "--policy-sets", str(opts.policy_sets), "--out", batch],
                   check=True)
    size = os.path.getsize(batch)
    shared = "%d shared policy sets" % opts.policy_sets if opts.policy_sets else "unique policies"
    print("batch: %d requests, %s, seed %d, %.1f MB; %s, %d CPUs" % (
        opts.count, shared, opts.seed, size / 1e6, cpu_model(), os.cpu_count() or 0))

    times = [timed([opts.binary, "simulate", "--requests", "-"], batch) for _ in range(opts.runs)]
    ours = opts.count / statistics.median(times)
    print("iamcross simulate:    %9.0f requests/s (median of %d runs: %s s)" % (
        ours, opts.runs, ", ".join("%.2f" % t for t in times)))
    if opts.skip_reference:
        return 0

    ref_time = timed(["node", os.path.join(TESTS, "reference.js"), "-"], batch)
    theirs = opts.count / ref_time
    print("iam-simulate 0.1.173: %9.0f requests/s (one run: %.1f s)" % (theirs, ref_time))
    print("ratio: %.0f times the reference's requests per second" % (ours / theirs))
    os.remove(batch)
    os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
