#!/usr/bin/env python3
"""Golden tests: run the CLI on testdata cases and compare the exact output.

A case is a folder with a file `cmd` (one line: the arguments after
`iamcross`, split like a shell would) and the expected results:
`expected.stdout`, `expected.stderr` (absent means empty) and
`expected.status` (absent means 0).  The command runs with the case folder as
its working directory, so paths in `cmd` are relative to it.  Inputs shared by
several cases live in the suite folder and are named as `../file`.

A case may also have an executable `setup`, for inputs that cannot live in
the repository (a 20 MB file, a FIFO, a symlink loop, a git repository).
Such a case runs in a temporary copy of its folder: `setup` runs there
first, then the command.  `setup` finds the case's own folder, and so the
suite's shared files, in the environment variable GOLDEN_CASE.

A case with a file named `unprivileged` runs its command without root's
power to read any file, so that a file its setup made unreadable with
`chmod 000` stays unreadable when the tests run as root (as in CI).  The
runner then starts the command through `setpriv --reuid=65534
--regid=65534 --clear-groups` (util-linux), in a temporary copy of the
case that user can enter; setup still runs as root.  When the runner is
not root, the command runs as the runner's user, who cannot read such a
file either.  Without setpriv the case fails, so it is never skipped.

Usage: golden.py --binary PATH [--update] SUITE_DIR...
Prints TAP.  With --update, rewrites the expected files from the actual
output instead of comparing (review the diff before committing).
"""
import argparse
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile


def wrapper():
    """The command prefix a test setup asks for, e.g. valgrind."""
    return shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))


def find_cases(suite):
    cases = []
    for root, dirs, files in os.walk(suite):
        dirs.sort()
        if "cmd" in files:
            cases.append(root)
    return sorted(cases)


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read()
    except FileNotFoundError:
        return default


# The user and group ID an `unprivileged` case runs as when the runner is root (`nobody` on Debian).
UNPRIVILEGED_ID = 65534


def drops_privileges(case):
    """Whether the case's command must run as UNPRIVILEGED_ID."""
    return os.path.exists(os.path.join(case, "unprivileged")) and os.geteuid() == 0


def privilege_prefix(case):
    """The command prefix that runs the case's command without root's file access."""
    if not drops_privileges(case):
        return []
    if not shutil.which("setpriv"):
        raise RuntimeError("the case has an 'unprivileged' file, but setpriv is not installed; install util-linux")
    return ["setpriv", "--reuid=%d" % UNPRIVILEGED_ID, "--regid=%d" % UNPRIVILEGED_ID, "--clear-groups"]


def prepare(case):
    """The folder to run the case in: the case itself, or a prepared copy."""
    setup = os.path.join(case, "setup")
    if not os.path.exists(setup) and not drops_privileges(case):
        return case, None
    scratch = tempfile.mkdtemp(prefix="iamcross-golden-")
    workdir = os.path.join(scratch, os.path.basename(case))
    shutil.copytree(case, workdir, symlinks=True)
    if drops_privileges(case):
        # mkdtemp() makes the folder 0700, so the command's user could not enter the case.
        os.chmod(scratch, 0o755)
        os.chmod(workdir, 0o755)
    if os.path.exists(setup):
        env = dict(os.environ, GOLDEN_CASE=os.path.abspath(case))
        subprocess.run([os.path.join(workdir, "setup")], cwd=workdir, env=env, check=True)
    return workdir, scratch


def run_case(binary, case):
    with open(os.path.join(case, "cmd"), encoding="utf-8") as f:
        args = shlex.split(f.read().strip())
    prefix = privilege_prefix(case)
    workdir, scratch = prepare(case)
    try:
        return run_in(binary, workdir, args, prefix)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run_in(binary, workdir, args, prefix=()):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["LC_ALL"] = "C.UTF-8"
    proc = subprocess.run(
        list(prefix) + wrapper() + [binary] + args,
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=60,
    )
    decode = lambda b: b.decode("utf-8", errors="surrogateescape")
    return decode(proc.stdout), decode(proc.stderr), proc.returncode


def diff(name, expected, actual):
    lines = difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True), "expected " + name, "actual " + name
    )
    return "".join("#   " + line.rstrip("\n") + "\n" for line in lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--update", action="store_true")
    parser.add_argument("suites", nargs="+")
    opts = parser.parse_args()

    binary = os.path.abspath(opts.binary)
    cases = [c for s in opts.suites for c in find_cases(s)]
    if not cases:
        print("not ok 1 - no golden cases found in %s" % " ".join(opts.suites))
        print("1..1")
        return 1

    failed = 0
    for n, case in enumerate(cases, 1):
        name = os.path.relpath(case)
        try:
            stdout, stderr, status = run_case(binary, case)
        except RuntimeError as e:
            failed += 1
            print("not ok %d - %s" % (n, name))
            print("#   %s" % e)
            continue
        if opts.update:
            with open(os.path.join(case, "expected.stdout"), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(stdout)
            err_path = os.path.join(case, "expected.stderr")
            if stderr:
                with open(err_path, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(stderr)
            elif os.path.exists(err_path):
                os.remove(err_path)
            status_path = os.path.join(case, "expected.status")
            with open(status_path, "w", encoding="utf-8") as f:
                f.write("%d\n" % status)
            print("ok %d - %s (updated)" % (n, name))
            continue

        want_stdout = read(os.path.join(case, "expected.stdout"))
        want_stderr = read(os.path.join(case, "expected.stderr"))
        want_status = int(read(os.path.join(case, "expected.status"), "0").strip() or 0)
        report = ""
        if status != want_status:
            report += "#   exit status %d, expected %d\n" % (status, want_status)
        if stdout != want_stdout:
            report += diff("stdout", want_stdout, stdout)
        if stderr != want_stderr:
            report += diff("stderr", want_stderr, stderr)
        if report:
            failed += 1
            print("not ok %d - %s" % (n, name))
            sys.stdout.write(report)
        else:
            print("ok %d - %s" % (n, name))
    print("1..%d" % len(cases))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
