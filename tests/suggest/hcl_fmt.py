#!/usr/bin/env python3
"""Check that `iamcross suggest --format hcl` prints what `terraform fmt`
would leave unchanged: every golden case in the given folders whose command
asks for HCL is run, and its output is formatted by hclwrite through
@cdktf/hcl-tools (tests/package.json; `npm ci` in tests/ installs it).  The
formatted text must equal the output byte for byte.

Usage: hcl_fmt.py --binary PATH SUGGEST_DIR...
Prints TAP.
"""
import argparse
import difflib
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "node_modules", "@cdktf", "hcl-tools")


def wants_hcl(args):
    return "hcl" in args or "--format=hcl" in args


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("suites", nargs="+")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    if not os.path.isdir(TOOL):
        print("not ok 1 - @cdktf/hcl-tools is not installed in tests/node_modules; run 'npm ci' in tests/")
        print("1..1")
        return 1

    n = 0
    failed = 0
    for suite in opts.suites:
        for name in sorted(os.listdir(suite)):
            cmd = os.path.join(suite, name, "cmd")
            if not os.path.isfile(cmd):
                continue
            with open(cmd, encoding="utf-8") as f:
                args = shlex.split(f.read().strip())
            if args[0] != "suggest" or not wants_hcl(args):
                continue
            n += 1
            out = subprocess.run([binary] + args, cwd=os.path.join(suite, name), capture_output=True,
                                 stdin=subprocess.DEVNULL, timeout=60).stdout.decode("utf-8")
            fmt = subprocess.run(["node", os.path.join(HERE, "hcl-format.js")], input=out.encode("utf-8"),
                                 capture_output=True, timeout=60, cwd=HERE)
            formatted = fmt.stdout.decode("utf-8")
            ok = fmt.returncode == 0 and formatted == out
            print("%s %d - %s" % ("ok" if ok else "not ok", n, os.path.join(os.path.relpath(suite), name)))
            if fmt.returncode != 0:
                print("#   hcl-tools: " + fmt.stderr.decode("utf-8").strip())
            elif not ok:
                for line in difflib.unified_diff(out.splitlines(), formatted.splitlines(), "suggest", "formatted", lineterm=""):
                    print("#   " + line)
            failed += not ok
    if n == 0:
        print("not ok 1 - no HCL suggest cases found")
        n = failed = 1
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
