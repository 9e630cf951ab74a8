#!/usr/bin/env python3
"""Run iamcross over a whole environments repository and report what to look at.

The run checks that every .tf file parses (through scripts/hcl-corpus.py)
and times `iamcross scan` of the repository next to `cat` of the same
files in the same run.  It counts the findings per rule and severity and
prints a sample of findings per rule to review for false positives.  With --asan it
also scans with a sanitizer build and fails if the sanitizers print
anything.  It is not part of the test suite: the repository is not in this
one.

Usage: scripts/terraform-corpus.py [--build build] [--asan build-asan]
                                   [--sample N] [--seed S] PATH
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile


def tf_files(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".tf"):
                yield os.path.join(folder, name)


def timed(command, stdout):
    """Run `command` under /usr/bin/time -v; return (status, wall seconds, max RSS in KiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", report.name] + command, stdout=stdout,
                              stderr=subprocess.PIPE)
        text = report.read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return proc.returncode, seconds, rss, proc.stderr.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--build", default="build", help="the build folder (default: %(default)s)")
    parser.add_argument("--asan", help="a build folder configured with -Db_sanitize=address,undefined")
    parser.add_argument("--sample", type=int, default=5, help="findings shown per rule (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample (default: %(default)s)")
    args = parser.parse_args()

    binary = os.path.join(args.build, "iamcross")
    here = os.path.dirname(os.path.abspath(__file__))
    files = list(tf_files(args.path))
    print("## Parsing\n")
    parsed = subprocess.run([sys.executable, os.path.join(here, "hcl-corpus.py"), "--dump",
                             os.path.join(args.build, "tests", "hcl", "hcl-dump"), args.path],
                            capture_output=True, text=True)
    print(parsed.stdout.strip().splitlines()[0] if parsed.stdout else parsed.stderr.strip())

    print("\n## Time and memory\n")
    with tempfile.NamedTemporaryFile("wb") as names:
        names.write(b"\0".join(os.fsencode(f) for f in files))
        names.flush()
        _, cat_seconds, cat_rss, _ = timed(["sh", "-c", "xargs -0 cat < '%s'" % names.name], subprocess.DEVNULL)
    with tempfile.NamedTemporaryFile("w+") as out:
        status, seconds, rss, stderr = timed([binary, "scan", args.path, "--format", "json", "--fail-on", "never"], out)
        out.seek(0)
        if status != 0:
            sys.exit("terraform-corpus: scan failed with status %d: %s" % (status, stderr.strip()))
        report = json.load(out)
    print("%d .tf files, %.1f MiB" % (len(files), sum(os.path.getsize(f) for f in files) / 2 ** 20))
    print("cat:  %6.2f s wall, %7d KiB peak" % (cat_seconds, cat_rss))
    print("scan: %6.2f s wall, %7d KiB peak, on %d cores" % (seconds, rss, os.cpu_count()))

    print("\n## Findings per rule\n")
    by_rule = collections.defaultdict(list)
    for f in report["findings"]:
        by_rule[(f["rule"], f["severity"])].append(f)
    for (rule, severity), items in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print("%6d  %-8s %s" % (len(items), severity, rule))
    print("summary: %s" % json.dumps(report["summary"]))

    print("\n## Samples to review\n")
    rng = random.Random(args.seed)
    for (rule, severity), items in sorted(by_rule.items()):
        print("### %s (%s)" % (rule, severity))
        for f in rng.sample(items, min(args.sample, len(items))):
            print("- %s:%d:%d: %s" % (os.path.relpath(f["file"], args.path), f["line"], f["column"], f["message"]))
        print()

    if args.asan:
        print("## Sanitizers\n")
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")
        proc = subprocess.run([os.path.join(args.asan, "iamcross"), "scan", args.path, "--format", "json",
                               "--fail-on", "never"], capture_output=True, env=env)
        clean = proc.returncode == 0 and not proc.stderr
        print("scan under ASan and UBSan: %s" % ("no report" if clean else "REPORTED (status %d)" % proc.returncode))
        if not clean:
            print(proc.stderr.decode(errors="replace")[:4000])
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
