#!/usr/bin/env python3
"""Test scan on file system trees a repository cannot hold.

The cases are a FIFO named like a .tf file, symbolic links that loop or
leave the scanned folder, and a git repository for --changed-since.  The
last case scans the same tree with one thread and with several.

Each case builds its tree in a temporary folder, runs `iamcross scan` with
a timeout (a FIFO that is opened would block it), and checks the JSON
report.

Usage: scan_special.py --binary PATH
Prints TAP.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

POLICY = """resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::reports/*" }]
  })
}
"""

results = []


def wrapper():
    """The command prefix the test setup sets, e.g. valgrind."""
    return shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))


def scan(binary, cwd, args, jobs=None):
    env = dict(os.environ)
    if jobs is not None:
        env["IAMCROSS_JOBS"] = str(jobs)
    proc = subprocess.run(
        wrapper() + [binary, "scan"] + args + ["--format", "json", "--fail-on", "never"],
        cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, timeout=120, env=env,
    )
    if proc.returncode != 0:
        raise AssertionError("exit status %d: %s" % (proc.returncode, proc.stderr.decode(errors="replace")))
    return proc.stdout.decode(), json.loads(proc.stdout)


def check(name, condition, detail=""):
    results.append((name, condition, detail))


def messages(report, rule):
    return [f["file"] + ": " + f["message"] for f in report["findings"] if f["rule"] == rule]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def test_fifo(binary, root):
    write(os.path.join(root, "ns", "main.tf"), POLICY)
    os.mkfifo(os.path.join(root, "ns", "pipe.tf"))
    _, report = scan(binary, root, ["ns"])
    unreadable = messages(report, "unreadable-file")
    check("FIFO is reported", any("pipe.tf" in m and "not a regular file" in m for m in unreadable), unreadable)
    check("FIFO does not stop the folder", len(messages(report, "wildcard-action")) == 1)


def test_symlinks(binary, root):
    outside = os.path.join(root, "outside")
    write(os.path.join(outside, "secret.tf"), POLICY)
    write(os.path.join(root, "repo", "ns", "main.tf"), POLICY)
    os.symlink(os.path.join(outside, "secret.tf"), os.path.join(root, "repo", "ns", "linked.tf"))
    os.symlink(outside, os.path.join(root, "repo", "escape"))
    os.symlink("..", os.path.join(root, "repo", "ns", "loop"))
    os.symlink("self", os.path.join(root, "repo", "self"))
    _, report = scan(binary, root, ["repo"])
    unreadable = messages(report, "unreadable-file")
    files = {f["file"] for f in report["findings"]}
    check("link to a file outside is reported", any("linked.tf" in m and "outside" in m for m in unreadable), unreadable)
    check("link to a folder outside is reported", any("escape" in m and "outside" in m for m in unreadable), unreadable)
    check("loop of links is reported", any("loop" in m for m in unreadable), unreadable)
    check("link to itself is reported", any("self" in m for m in unreadable), unreadable)
    check("nothing outside is read", not any("outside" in f or "secret" in f for f in files), sorted(files))


def git(root, *args):
    subprocess.run(["git", "-c", "user.email=test@example.com", "-c", "user.name=test"] + list(args),
                   cwd=root, check=True, capture_output=True)


def test_changed_since(binary, root):
    write(os.path.join(root, "a", "main.tf"), POLICY)
    write(os.path.join(root, "b", "main.tf"), POLICY)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "both namespaces")
    write(os.path.join(root, "b", "extra.tf"), "# a change in b\n")
    git(root, "add", ".")
    _, report = scan(binary, root, ["--changed-since", "HEAD", "."])
    files = sorted({f["file"] for f in report["findings"]})
    check("--changed-since checks only the changed folder", files == ["b/main.tf"], files)


def test_threads(binary, testdata):
    one, _ = scan(binary, testdata, ["terraform"], jobs=1)
    many, _ = scan(binary, testdata, ["terraform"], jobs=4)
    check("output is the same with 1 and 4 threads", one == many)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--testdata", required=True)
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    tests = [test_fifo, test_symlinks]
    if shutil.which("git"):
        tests.append(test_changed_since)
    else:
        check("git is available for the --changed-since case", False, "install git")
    for test in tests:
        with tempfile.TemporaryDirectory() as root:
            try:
                test(binary, root)
            except (AssertionError, subprocess.TimeoutExpired) as e:
                check(test.__name__, False, str(e))
    try:
        test_threads(binary, opts.testdata)
    except (AssertionError, subprocess.TimeoutExpired) as e:
        check("test_threads", False, str(e))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            print("#   %s" % detail)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
