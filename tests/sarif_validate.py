#!/usr/bin/env python3
"""Validate SARIF output against the official SARIF 2.1.0 JSON schema.

Every golden case whose command reports findings (check, scan) is run again
with `--format sarif`, and the output must validate against
tests/schema/sarif-2.1.0.json with Debian's python3-jsonschema.  Without
jsonschema the test fails: it never passes quietly.

Usage: sarif_validate.py --binary PATH --schema FILE SUITE_DIR...
Prints TAP.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402  (shares the case layout and setup handling)


def strip_format(args):
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "--format":
            skip = True
            continue
        if a.startswith("--format="):
            continue
        out.append(a)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("suites", nargs="+")
    opts = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("not ok 1 - python3-jsonschema is not installed (apt-get install python3-jsonschema)")
        print("1..1")
        return 1
    with open(opts.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    binary = os.path.abspath(opts.binary)

    n = 0
    failed = 0
    for suite in opts.suites:
        for case in golden.find_cases(suite):
            with open(os.path.join(case, "cmd"), encoding="utf-8") as f:
                args = shlex.split(f.read().strip())
            if not args or args[0] not in ("check", "scan") or "--help" in args:
                continue  # only reports are SARIF; --help prints the usage
            args = strip_format(args) + ["--format", "sarif"]
            workdir, scratch = golden.prepare(case)
            try:
                stdout, stderr, status = golden.run_in(binary, workdir, args)
            finally:
                if scratch:
                    golden.shutil.rmtree(scratch, ignore_errors=True)
            if status == 2:
                continue  # usage errors and unreadable inputs print no report
            n += 1
            name = os.path.relpath(case)
            try:
                errors = sorted(validator.iter_errors(json.loads(stdout)), key=str)
            except ValueError as e:
                errors = ["output is not JSON: %s" % e]
            if errors:
                failed += 1
                print("not ok %d - %s" % (n, name))
                for e in errors[:5]:
                    print("#   %s" % str(e).splitlines()[0])
            else:
                print("ok %d - %s" % (n, name))
    print("1..%d" % n)
    return 1 if failed or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
