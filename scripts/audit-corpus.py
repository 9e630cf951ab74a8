#!/usr/bin/env python3
"""Run `iamcross audit` on every namespace of an environments repository.

Each folder namespaces/<cluster>/<namespace>/resources that contains .tf files
is audited on its own, with --index on the repository's namespaces folder
so that SSM parameters other namespaces publish resolve, as a user would
run it.  A run fails when iamcross exits with a status other than 0 or
prints anything on stderr, which is where AddressSanitizer and
UndefinedBehaviorSanitizer report.  The script prints the failures, the
slowest namespaces with their wall-clock times, and with --format json the
count of edges that leave the account, by state.

Usage: audit-corpus.py --binary PATH --repo PATH [--jobs N] [--format F] [--var NAME=VALUE]...
       [--keep FOLDER]

--keep writes each namespace's output to FOLDER/<namespace>.<format>.
Not a CI test: it needs a local copy of a real repository.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import time


def namespaces(repo):
    root = os.path.join(repo, "namespaces")
    for cluster in sorted(os.listdir(root)):
        cluster_dir = os.path.join(root, cluster)
        if not os.path.isdir(cluster_dir):
            continue
        for name in sorted(os.listdir(cluster_dir)):
            folder = os.path.join(cluster_dir, name, "resources")
            if os.path.isdir(folder) and any(f.endswith(".tf") for f in os.listdir(folder)):
                yield name, folder


def audit(options, name, folder):
    args = [options.binary, "audit", folder, "--index", os.path.join(options.repo, "namespaces"),
            "--format", options.format]
    for var in options.var:
        args += ["--var", var]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, errors="replace")
    return name, folder, time.perf_counter() - start, done


def count_edges(text, counts):
    for ns in json.loads(text)["namespaces"]:
        for role in ns["roles"]:
            for service in role["services"]:
                for grant in service["resources"]:
                    if grant["edge"]:
                        counts[grant["edge"]["state"]] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", default="markdown", choices=["text", "markdown", "json", "dot"])
    parser.add_argument("--var", action="append", default=[])
    parser.add_argument("--keep")
    options = parser.parse_args()
    if options.keep:
        os.makedirs(options.keep, exist_ok=True)

    results = []
    failures = []
    edges = collections.Counter()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
        jobs = [pool.submit(audit, options, name, folder) for name, folder in namespaces(options.repo)]
        for job in concurrent.futures.as_completed(jobs):
            name, folder, seconds, done = job.result()
            results.append((seconds, name))
            if done.returncode != 0 or done.stderr:
                failures.append((folder, done.returncode, done.stderr.strip()[:2000]))
            elif options.format == "json":
                count_edges(done.stdout, edges)
            if options.keep:
                with open(os.path.join(options.keep, f"{name}.{options.format}"), "w") as out:
                    out.write(done.stdout)
    elapsed = time.perf_counter() - started

    results.sort(reverse=True)
    print(f"namespaces: {len(results)}, failures: {len(failures)}, wall time {elapsed:.1f} s with {options.jobs} jobs")
    for seconds, name in results[:5]:
        print(f"  {seconds:7.3f} s  {name}")
    if edges:
        print("edges that leave the account: " + ", ".join(f"{n} {state}" for state, n in sorted(edges.items())))
    for folder, status, stderr in sorted(failures):
        print(f"FAILED {folder}: exit {status}\n{stderr}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
