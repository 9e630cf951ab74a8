#!/usr/bin/env python3
"""Parse every .tf file under a folder with iamcross's HCL parser and report.

Prints how many files parse without an hcl-syntax finding, and for the
others the file, line, column and message of each finding.  With --eval it
also evaluates every attribute (all references unknown) and prints how many
values were known, unknown or failed.  Meant for a checkout of a real
environments repository; it is not part of the test suite.

Usage: scripts/hcl-corpus.py [--dump build/tests/hcl/hcl-dump] [--eval] PATH
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

BATCH = 500  # files per hcl-dump run, to stay under the argument length limit


def tf_files(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".terraform"))
        for name in sorted(names):
            if name.endswith(".tf"):
                yield os.path.join(folder, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--dump", default=os.path.join("build", "tests", "hcl", "hcl-dump"),
                        help="the hcl-dump program (default: %(default)s)")
    parser.add_argument("--eval", action="store_true", help="also evaluate every attribute")
    args = parser.parse_args()

    if not os.access(args.dump, os.X_OK):
        sys.exit("hcl-corpus: %s is not an executable; build with 'ninja -C build' first" % args.dump)
    files = list(tf_files(args.path))
    if not files:
        sys.exit("hcl-corpus: no .tf files under %s" % args.path)

    started = time.monotonic()
    clean = 0
    failures = []
    totals = collections.Counter()
    for i in range(0, len(files), BATCH):
        command = [args.dump] + (["--eval"] if args.eval else []) + files[i:i + BATCH]
        proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
        if proc.returncode not in (0, 2) or proc.stderr:
            sys.exit("hcl-corpus: %s failed (status %d): %s" % (args.dump, proc.returncode, proc.stderr.strip()))
        for line in proc.stdout.splitlines():
            record = json.loads(line)
            if record["ok"]:
                clean += 1
                totals.update(record.get("eval", {}))
            else:
                failures.append(record)
    elapsed = time.monotonic() - started

    print("%d of %d .tf files parse without a finding (%.1f%%), in %.1f s"
          % (clean, len(files), 100.0 * clean / len(files), elapsed))
    for record in failures:
        for error in record["errors"]:
            print("%s:%d:%d: %s" % (os.path.relpath(record["file"], args.path), error["line"],
                                    error["column"], error["message"]))
    if args.eval:
        print("attributes evaluated: %d known, %d unknown, %d failed"
              % (totals["known"], totals["unknown"], totals["error"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
