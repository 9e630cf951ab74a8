#!/usr/bin/env python3
"""Check that `iamcross suggest` suggests enough: feed every suggested
statement back through `iamcross check` and require that the pair check
finds nothing missing.

For each golden case in the given folders whose command is `suggest` with
JSON output and exit status 0, the suggestion is turned back into
policies: with -i, each target's statements become a resource (or trust)
policy, checked against the case's identity policies; with -r, all the
statements become one identity policy, checked against each of the case's
resource policies.  A finding of missing-principal, action-not-granted,
partially-granted or resource-mismatch fails the case.  A target with
unresolved Terraform values is not checked: its `${expression}` text would
be compared as written with the unknown the Terraform input has.

Usage: complete.py --binary PATH SUGGEST_DIR...
Prints TAP.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

FORBIDDEN = {"missing-principal", "action-not-granted", "partially-granted", "resource-mismatch"}


def wrapper():
    """The command prefix a test setup asks for, e.g. valgrind."""
    return shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))


def run(binary, args, cwd):
    proc = subprocess.run(wrapper() + [binary] + args, cwd=cwd, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def options(args):
    """The -i and -r files, the -p value and the --var and --account options of a suggest command."""
    found = {"-i": [], "-r": [], "-p": None, "passed": []}
    for flag, value in zip(args, args[1:]):
        if flag in ("-i", "-r"):
            found[flag].append(value)
        elif flag == "-p":
            found["-p"] = value
        elif flag in ("--var", "--account"):
            found["passed"] += [flag, value]
    found["passed"] += [a for a in args if a.startswith(("--var=", "--account="))]
    return found


def findings(binary, args, cwd):
    status, out, err = run(binary, ["check"] + args + ["--format", "json", "--fail-on", "never"], cwd)
    if status != 0:
        raise RuntimeError("check exited %d: %s" % (status, err.strip()))
    return [f["rule"] + ": " + f["message"] for f in json.loads(out)["findings"]
            if f["rule"] in FORBIDDEN]


def write_policy(folder, name, statements):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"Version": "2012-10-17", "Statement": statements}, f, indent=2)
    return path


def check_case(binary, case, args):
    status, out, err = run(binary, args, case)
    if status != 0:
        return ["suggest exited %d: %s" % (status, err.strip())]
    suggestion = json.loads(out)
    opts = options(args)
    problems = []
    with tempfile.TemporaryDirectory(prefix="iamcross-suggest-") as scratch:
        if suggestion["side"] == "resource":
            for n, target in enumerate(suggestion["targets"]):
                if target.get("unresolved"):
                    # A suggested ${expression} is text to check, not the unknown the Terraform has.
                    print("# %s: not checked, it has unresolved values" % target["resource"])
                    continue
                path = write_policy(scratch, "target-%d.json" % n, target["statements"])
                identity = [a for f in opts["-i"] for a in ("-i", f)]
                for f in findings(binary, identity + ["-r", path, "-p", opts["-p"]] + opts["passed"], case):
                    problems.append("%s: %s" % (target["resource"], f))
        else:
            statements = [s for t in suggestion["targets"] for s in t["statements"]]
            path = write_policy(scratch, "identity.json", statements)
            for resource in opts["-r"]:
                for f in findings(binary, ["-i", path, "-r", resource, "-p", opts["-p"]] + opts["passed"], case):
                    problems.append("%s: %s" % (resource, f))
    return problems


def wants_hcl(args):
    return "hcl" in args or "--format=hcl" in args


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("suites", nargs="+")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)

    n = 0
    failed = 0
    for suite in opts.suites:
        for name in sorted(os.listdir(suite)):
            case = os.path.join(suite, name)
            cmd = os.path.join(case, "cmd")
            if not os.path.isfile(cmd):
                continue
            with open(cmd, encoding="utf-8") as f:
                args = shlex.split(f.read().strip())
            expected = os.path.join(case, "expected.status")
            if args[0] != "suggest" or wants_hcl(args) or os.path.exists(expected) and open(expected).read().strip() != "0":
                continue
            n += 1
            problems = check_case(binary, case, args)
            print("%s %d - %s" % ("not ok" if problems else "ok", n, os.path.relpath(case)))
            for p in problems:
                print("#   " + p)
            failed += bool(problems)
    if n == 0:
        print("not ok 1 - no suggest cases found")
        n = failed = 1
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
