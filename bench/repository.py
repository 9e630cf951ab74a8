#!/usr/bin/env python3
"""Time iamcross on a whole environments repository, each figure next to its reference.

Generates the synthetic repository of gen-environments.py (1,500
namespaces, about 12,000 .tf files, 18 MB; or takes --repo PATH), then
measures in the same run:

- `iamcross scan` of the whole repository against `cat` of the same .tf
  files: wall time (median of --runs runs, alternating, page cache warm)
  and peak memory;
- HCL parse throughput of iamcross's parser (bench-hcl-parse) against
  @cdktf/hcl2json (hcl2json_parse.js) on the same files, both in one
  process with the files already in memory.

It asserts nothing: the figures depend on the machine and its load.

Usage: repository.py --binary IAMCROSS --hcl-parse BENCH_HCL_PARSE
                     [--repo PATH] [--runs N] [--rounds N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def tf_files(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".tf"):
                yield os.path.join(folder, name)


def timed(cmd, stdin_path=None):
    """Run `cmd` with its output discarded; return (wall seconds, peak RSS in KiB, status)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if stdin_path:
        stdin.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode


def scan_against_cat(binary, repo, list_path, runs):
    cat = ["xargs", "-0", "-a", list_path, "cat"]
    scan = [binary, "scan", repo, "--format", "json"]
    timed(cat)  # warm the page cache
    results = {"cat": [], "scan": []}
    for _ in range(runs):
        for name, cmd in (("cat", cat), ("scan", scan)):
            wall, rss, status = timed(cmd)
            if status not in (0, 1):
                sys.exit("repository.py: %s exited with status %d" % (" ".join(cmd), status))
            results[name].append((wall, rss))
    for name in ("cat", "scan"):
        walls = [w for w, _ in results[name]]
        print("%-5s median %6.2f s wall (runs: %s), peak %7d KiB" % (
            name, statistics.median(walls), ", ".join("%.2f" % w for w in walls),
            max(r for _, r in results[name])))
    ratio = statistics.median(w for w, _ in results["scan"]) / statistics.median(w for w, _ in results["cat"])
    print("scan / cat wall time: %.2f" % ratio)


def parse_against_hcl2json(hcl_parse, newline_list, rounds):
    node = shutil.which("node")
    script = os.path.join(HERE, "hcl2json_parse.js")
    for cmd in ([hcl_parse, str(rounds)], [node or "node", script, str(rounds)]):
        with open(newline_list, "rb") as fin:
            proc = subprocess.run(cmd, stdin=fin, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("repository.py: %s failed: %s" % (" ".join(cmd), proc.stderr.strip()))
        print(proc.stdout.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--hcl-parse", required=True)
    parser.add_argument("--repo")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="iamcross-bench-")
    try:
        repo = opts.repo
        if not repo:
            repo = os.path.join(scratch, "environments")
            subprocess.run([sys.executable, os.path.join(HERE, "gen-environments.py"), repo],
                           check=True, stdout=subprocess.DEVNULL)
        files = list(tf_files(repo))
        size = sum(os.path.getsize(f) for f in files)
        print("repository: %s, %d .tf files, %.1f MB, %d CPUs" % (
            "synthetic (gen-environments.py)" if not opts.repo else opts.repo,
            len(files), size / 1e6, os.cpu_count()))
        nul_list = os.path.join(scratch, "files.nul")
        newline_list = os.path.join(scratch, "files.txt")
        with open(nul_list, "w", encoding="utf-8") as f:
            f.write("\0".join(files))
        with open(newline_list, "w", encoding="utf-8") as f:
            f.write("\n".join(files) + "\n")
        scan_against_cat(os.path.abspath(opts.binary), repo, nul_list, opts.runs)
        parse_against_hcl2json(os.path.abspath(opts.hcl_parse), newline_list, opts.rounds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
