#!/usr/bin/env python3
"""Differential test of the iamcross HCL parser against @cdktf/hcl2json.

Both parsers read every fixture under FIXTURES (recursively) and COUNT
generated random-but-valid files, and their JSON renderings must agree:

- a file both accept must give equal JSON once numbers are compared as
  floats (hcl2json's wasm bridge passes numbers through JavaScript doubles);
- a fixture under an "invalid" folder must be rejected by both, and a
  file one parser rejects must be rejected by the other.

Inputs whose comparison would be meaningless are not generated: invalid
UTF-8 (Node replaces bad bytes before hcl2json reads them), blocks of one
type with different numbers of labels (hcl2json cannot render them), and
`${null}` as the whole body of a template directive (hcl2json then drops
the directive from its output).

The reference tool is required: without Node or tests/node_modules the
test fails and says how to install them.

Usage: hcl-diff.py --dump HCL_DUMP --node-script HCL2JSON_BATCH_JS
                   --fixtures DIR [--generated COUNT] [--seed SEED]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hclgen  # noqa: E402


def fail(message):
    print("hcl-diff: %s" % message)
    sys.exit(1)


def normalise(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def first_difference(ours, ref, path="$"):
    """Describe the first place where two JSON values differ."""
    if type(ours) is not type(ref):
        return "%s: iamcross %r, hcl2json %r" % (path, ours, ref)
    if isinstance(ours, dict):
        for key in sorted(set(ours) | set(ref)):
            if key not in ours or key not in ref:
                side = "hcl2json" if key not in ours else "iamcross"
                return "%s: key %r only in %s" % (path, key, side)
            if ours[key] != ref[key]:
                return first_difference(ours[key], ref[key], "%s.%s" % (path, key))
    if isinstance(ours, list):
        if len(ours) != len(ref):
            return "%s: iamcross has %d items, hcl2json %d" % (path, len(ours), len(ref))
        for i, (a, b) in enumerate(zip(ours, ref)):
            if a != b:
                return first_difference(a, b, "%s[%d]" % (path, i))
    return "%s: iamcross %r, hcl2json %r" % (path, ours, ref)


def run_lines(command, files, stdin_list):
    if stdin_list:
        proc = subprocess.run(command, input="\n".join(files) + "\n", capture_output=True,
                              text=True, encoding="utf-8")
    else:
        proc = subprocess.run(command + files, capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        fail("%s failed with status %d: %s" % (command[0], proc.returncode, proc.stderr.strip()))
    records = {}
    # split("\n"), not splitlines(): a parsed string may hold U+2028 or U+0085,
    # which JSON.stringify leaves as they are and splitlines() would split on.
    for line in proc.stdout.split("\n"):
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            fail("%s printed a line that is not JSON: %r" % (command[0], line[:300]))
        records[record["file"]] = record
    missing = [f for f in files if f not in records]
    if missing:
        fail("%s printed nothing for %s" % (command[0], missing[0]))
    return records


def collect_fixtures(folder):
    files = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".tf"):
                files.append(os.path.join(root, name))
    return files


def compare(files, ours, ref):
    failures = []
    counts = {"equal": 0, "rejected by both": 0}
    for path in files:
        a, b = ours[path], ref[path]
        must_fail = os.sep + "invalid" + os.sep in path
        if must_fail:
            if a["ok"] or b["ok"]:
                failures.append("%s: expected both parsers to reject it; iamcross %s, hcl2json %s"
                                % (path, "accepted" if a["ok"] else "rejected",
                                   "accepted" if b["ok"] else "rejected"))
            else:
                counts["rejected by both"] += 1
            continue
        if a["ok"] and b["ok"]:
            if normalise(a["body"]) == normalise(b["body"]):
                counts["equal"] += 1
            else:
                failures.append("%s: %s" % (path, first_difference(normalise(a["body"]),
                                                                   normalise(b["body"]))))
        elif a["ok"]:
            failures.append("%s: hcl2json rejects it (%s) but iamcross accepts it"
                            % (path, b["error"][:300]))
        elif b["ok"]:
            failures.append("%s: iamcross rejects it (%s) but hcl2json accepts it"
                            % (path, a["errors"][0]))
        else:
            counts["rejected by both"] += 1
    return counts, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", required=True)
    parser.add_argument("--node-script", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--generated", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="write the generated files here and keep them")
    args = parser.parse_args()

    node = shutil.which("node")
    if not node:
        fail("the reference parser needs Node.js, which is not installed "
             "(Debian package 'nodejs'); then run 'npm ci' in tests/")
    modules = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.node_script))),
                           "node_modules", "@cdktf", "hcl2json")
    if not os.path.isdir(modules):
        fail("@cdktf/hcl2json is not installed in tests/node_modules; run 'npm ci' in tests/")

    files = collect_fixtures(args.fixtures)
    if not files:
        fail("no fixtures found under %s" % args.fixtures)
    workdir = args.keep or tempfile.mkdtemp(prefix="iamcross-hcl-diff-")
    os.makedirs(workdir, exist_ok=True)
    rng = random.Random(args.seed)
    for i in range(args.generated):
        path = os.path.join(workdir, "generated-%04d.tf" % i)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(hclgen.generate_file(rng))
        files.append(path)

    try:
        ours = run_lines([args.dump], files, stdin_list=False)
        ref = run_lines([node, args.node_script], files, stdin_list=True)
        counts, failures = compare(files, ours, ref)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    for line in failures:
        print("not equal: " + line)
    print("hcl-diff: %d files (%d fixtures, %d generated with seed %d): %d equal, "
          "%d rejected by both, %d differences"
          % (len(files), len(files) - args.generated, args.generated, args.seed,
             counts["equal"], counts["rejected by both"], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
