#!/usr/bin/env python3
"""Run every rule's documented examples: the failing example must report the
rule and the passing example must not.

Each rules/checks/<rule>/rule.json names the example command; fail/ and pass/
hold its input files.  The command runs in the example folder with
`--format json --fail-on never` added, and the findings are read from the
JSON report.

The rule `custom-rule` stands for every rule a configuration defines: its
findings carry the custom rule's id, so its failing example must report a
rule that is not built in.

Usage: rule_examples.py --binary PATH CHECKS_DIR
Prints TAP, two lines per rule.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys


def wrapper():
    """The command prefix a test setup asks for, e.g. valgrind."""
    return shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))


def findings(binary, folder, command):
    args = shlex.split(command) + ["--format", "json", "--fail-on", "never"]
    proc = subprocess.run(
        wrapper() + [binary] + args, cwd=folder, capture_output=True, stdin=subprocess.DEVNULL, timeout=60
    )
    if proc.returncode != 0:
        return None, "exit status %d: %s" % (proc.returncode, proc.stderr.decode(errors="replace").strip())
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        return None, "the JSON report does not parse: %s" % e
    return [f["rule"] for f in report["findings"]], None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("checks")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)

    builtin = set(os.listdir(opts.checks))
    n = 0
    failed = 0
    for rule in sorted(os.listdir(opts.checks)):
        folder = os.path.join(opts.checks, rule)
        if not os.path.isdir(folder):
            continue
        with open(os.path.join(folder, "rule.json"), encoding="utf-8") as f:
            command = json.load(f)["example"]
        for kind, want in (("fail", True), ("pass", False)):
            n += 1
            rules, error = findings(binary, os.path.join(folder, kind), command)
            if error:
                ok = False
                detail = error
            else:
                if rule == "custom-rule":
                    reported = any(r not in builtin for r in rules)
                else:
                    reported = rule in rules
                ok = reported == want
                detail = "reported: %s" % (", ".join(rules) or "nothing")
            if ok:
                print("ok %d - %s %s example" % (n, rule, kind))
            else:
                failed += 1
                print("not ok %d - %s %s example" % (n, rule, kind))
                print("#   expected %s '%s'; %s" % ("to report" if want else "not to report", rule, detail))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
